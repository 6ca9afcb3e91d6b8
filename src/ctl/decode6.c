/* ternctl decode: human-readable dump of a DHCPv6 message, relays and nested
 * options. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <tern/dhcp6.h>
#include <tern/mapt.h>

#include "ctl/ctl.h"

static const char *msg_name(uint8_t t)
{
	static const char *const n[] = {
		"?",	      "SOLICIT",     "ADVERTISE",
		"REQUEST",    "CONFIRM",     "RENEW",
		"REBIND",     "REPLY",	     "RELEASE",
		"DECLINE",    "RECONFIGURE", "INFORMATION-REQUEST",
		"RELAY-FORW", "RELAY-REPL",
	};

	return t < sizeof(n) / sizeof(n[0]) ? n[t] : "?";
}

static const char *opt_name(uint16_t c)
{
	switch (c) {
	case TERN_DHCP6_OPT_CLIENTID:
		return "client-id";
	case TERN_DHCP6_OPT_SERVERID:
		return "server-id";
	case TERN_DHCP6_OPT_IA_NA:
		return "ia-na";
	case TERN_DHCP6_OPT_IA_TA:
		return "ia-ta";
	case TERN_DHCP6_OPT_IAADDR:
		return "iaaddr";
	case TERN_DHCP6_OPT_ORO:
		return "oro";
	case TERN_DHCP6_OPT_PREFERENCE:
		return "preference";
	case TERN_DHCP6_OPT_ELAPSED_TIME:
		return "elapsed-time";
	case TERN_DHCP6_OPT_RELAY_MSG:
		return "relay-msg";
	case TERN_DHCP6_OPT_STATUS_CODE:
		return "status-code";
	case TERN_DHCP6_OPT_RAPID_COMMIT:
		return "rapid-commit";
	case TERN_DHCP6_OPT_VENDOR_OPTS:
		return "vendor-opts";
	case TERN_DHCP6_OPT_INTERFACE_ID:
		return "interface-id";
	case TERN_DHCP6_OPT_DNS_SERVERS:
		return "dns-servers";
	case TERN_DHCP6_OPT_DOMAIN_LIST:
		return "domain-search";
	case TERN_DHCP6_OPT_IA_PD:
		return "ia-pd";
	case TERN_DHCP6_OPT_IAPREFIX:
		return "iaprefix";
	case TERN_DHCP6_OPT_SNTP_SERVERS:
		return "sntp-servers";
	case TERN_DHCP6_OPT_NTP_SERVER:
		return "ntp-server";
	case TERN_DHCP6_OPT_AFTR_NAME:
		return "aftr-name";
	case TERN_DHCP6_OPT_S46_CONT_MAPE:
		return "s46-cont-mape";
	case TERN_DHCP6_OPT_S46_CONT_MAPT:
		return "s46-cont-mapt";
	default:
		return "unknown";
	}
}

static void print_hex(FILE *out, const uint8_t *d, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%s%02x", i ? ":" : "", d[i]);
}

static void print_addr6(FILE *out, const struct in6_addr *a)
{
	char s[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET6, a, s, sizeof(s));
	fputs(s, out);
}

static void print_opts(FILE *out, const uint8_t *d, size_t n, int depth);

static void print_map(FILE *out, uint16_t code, const uint8_t *d, size_t n,
		      int depth)
{
	struct tern_mapt_container c;
	char p6[64], p4[32];
	int r = tern_mapt_parse(d, n, code, &c);

	if (r < 0) {
		fprintf(out, "(malformed: %s)", tern_strerror(r));
		return;
	}
	for (unsigned i = 0; i < c.n_rules; i++) {
		const struct tern_s46_rule *ru = &c.rules[i];

		tern_mapt_format_prefix6(&ru->v6_prefix, ru->v6_plen, p6,
					 sizeof(p6));
		tern_mapt_format_prefix4(&ru->v4_prefix, ru->v4_plen, p4,
					 sizeof(p4));
		fprintf(out, "\n%*srule %u: %s ipv4 %s ipv6 %s ea-len %u",
			depth * 2 + 4, "", i, ru->is_fmr ? "FMR" : "BMR", p4,
			p6, ru->ea_len);
		if (ru->has_portparams)
			fprintf(out, " psid-offset %u psid %u/%u",
				ru->psid_offset, ru->psid, ru->psid_len);
	}
	if (c.has_dmr) {
		tern_mapt_format_prefix6(&c.dmr_prefix, c.dmr_plen, p6,
					 sizeof(p6));
		fprintf(out, "\n%*sdmr %s", depth * 2 + 4, "", p6);
	}
	if (c.n_br) {
		fprintf(out, "\n%*sbr ", depth * 2 + 4, "");
		print_addr6(out, &c.br);
	}
}

static void print_value(FILE *out, uint16_t code, const uint8_t *d, uint16_t n,
			int depth)
{
	char text[1024];
	int r;

	switch (code) {
	case TERN_DHCP6_OPT_CLIENTID:
	case TERN_DHCP6_OPT_SERVERID: {
		struct tern_dhcp6_duid duid;

		print_hex(out, d, n);
		if (tern_dhcp6_duid_decode(d, n, &duid) == 0)
			fprintf(out, " (%s)",
				duid.type == TERN_DHCP6_DUID_LLT  ? "DUID-LLT"
				: duid.type == TERN_DHCP6_DUID_EN ? "DUID-EN"
				: duid.type == TERN_DHCP6_DUID_LL ? "DUID-LL"
				: duid.type == TERN_DHCP6_DUID_UUID
					? "DUID-UUID"
					: "DUID");
		return;
	}
	case TERN_DHCP6_OPT_IA_NA:
	case TERN_DHCP6_OPT_IA_TA:
	case TERN_DHCP6_OPT_IA_PD: {
		struct tern_dhcp6_ia ia;

		r = code == TERN_DHCP6_OPT_IA_NA
			    ? tern_dhcp6_ia_na_decode(d, n, &ia)
		    : code == TERN_DHCP6_OPT_IA_PD
			    ? tern_dhcp6_ia_pd_decode(d, n, &ia)
			    : tern_dhcp6_ia_ta_decode(d, n, &ia);
		if (r < 0)
			break;
		fprintf(out, "iaid %u t1 %u t2 %u", ia.iaid, ia.t1, ia.t2);
		print_opts(out, ia.opts, ia.opts_len, depth + 1);
		return;
	}
	case TERN_DHCP6_OPT_IAADDR: {
		struct tern_dhcp6_iaaddr a;

		if (tern_dhcp6_iaaddr_decode(d, n, &a) < 0)
			break;
		print_addr6(out, &a.addr);
		fprintf(out, " preferred %u valid %u", a.preferred, a.valid);
		print_opts(out, a.opts, a.opts_len, depth + 1);
		return;
	}
	case TERN_DHCP6_OPT_IAPREFIX: {
		struct tern_dhcp6_iaprefix p;

		if (tern_dhcp6_iaprefix_decode(d, n, &p) < 0)
			break;
		print_addr6(out, &p.prefix);
		fprintf(out, "/%u preferred %u valid %u", p.plen, p.preferred,
			p.valid);
		print_opts(out, p.opts, p.opts_len, depth + 1);
		return;
	}
	case TERN_DHCP6_OPT_STATUS_CODE: {
		struct tern_dhcp6_status_code s;

		if (tern_dhcp6_status_decode(d, n, &s) < 0)
			break;
		fprintf(out, "%u \"%.*s\"", s.code, (int)s.msg_len, s.msg);
		return;
	}
	case TERN_DHCP6_OPT_ORO: {
		uint16_t codes[128];

		r = tern_dhcp6_oro_decode(d, n, codes, 128);
		if (r < 0)
			break;
		for (int i = 0; i < r; i++)
			fprintf(out, "%s%u(%s)", i ? " " : "", codes[i],
				opt_name(codes[i]));
		return;
	}
	case TERN_DHCP6_OPT_ELAPSED_TIME:
	case TERN_DHCP6_OPT_PREFERENCE: {
		uint16_t v16;
		uint8_t v8;

		if (code == TERN_DHCP6_OPT_PREFERENCE &&
		    tern_dhcp6_preference_decode(d, n, &v8) == 0) {
			fprintf(out, "%u", v8);
			return;
		}
		if (code == TERN_DHCP6_OPT_ELAPSED_TIME &&
		    tern_dhcp6_elapsed_time_decode(d, n, &v16) == 0) {
			fprintf(out, "%u.%02u s", v16 / 100, v16 % 100);
			return;
		}
		break;
	}
	case TERN_DHCP6_OPT_RAPID_COMMIT:
		return;
	case TERN_DHCP6_OPT_DNS_SERVERS:
	case TERN_DHCP6_OPT_SNTP_SERVERS: {
		struct in6_addr a[16];

		r = tern_dhcp6_addrs_decode(d, n, a, 16);
		if (r < 0)
			break;
		for (int i = 0; i < r; i++) {
			if (i)
				fputs(", ", out);
			print_addr6(out, &a[i]);
		}
		return;
	}
	case TERN_DHCP6_OPT_DOMAIN_LIST:
		if (tern_dhcp6_domain_list_decode(d, n, text, sizeof(text)) < 0)
			break;
		fputs(text, out);
		return;
	case TERN_DHCP6_OPT_AFTR_NAME:
		if (tern_dhcp6_aftr_name_decode(d, n, text, sizeof(text)) < 0)
			break;
		fputs(text, out);
		return;
	case TERN_DHCP6_OPT_S46_CONT_MAPE:
	case TERN_DHCP6_OPT_S46_CONT_MAPT:
		print_map(out, code, d, n, depth);
		return;
	default:
		print_hex(out, d, n);
		return;
	}
	print_hex(out, d, n);
	fputs(" (malformed)", out);
}

static void print_opts(FILE *out, const uint8_t *d, size_t n, int depth)
{
	struct tern_dhcp6_opt_iter it;
	const uint8_t *v;
	uint16_t code, len;
	int r;

	tern_dhcp6_opt_iter_init(&it, d, n);
	while ((r = tern_dhcp6_opt_next(&it, &code, &v, &len)) > 0) {
		fprintf(out, "\n%*soption %3u %-14s ", depth * 2 + 2, "", code,
			opt_name(code));
		print_value(out, code, v, len, depth);
	}
	if (r < 0)
		fprintf(out, "\n%*s(malformed options: %s)", depth * 2 + 2, "",
			tern_strerror(r));
}

int ctl_print_dhcp6(FILE *out, const uint8_t *buf, size_t len)
{
	struct tern_dhcp6_relay relays[TERN_DHCP6_MAX_RELAYS];
	struct tern_dhcp6_msg m;
	int n = tern_dhcp6_unwrap(buf, len, relays, TERN_DHCP6_MAX_RELAYS, &m);

	if (n < 0) {
		fprintf(out, "DHCPv6, %zu bytes: cannot decode: %s\n", len,
			tern_strerror(n));
		return n;
	}
	for (int i = 0; i < n; i++) {
		fprintf(out, "DHCPv6 %s (level %d), hop-count %u\n  link ",
			msg_name(relays[i].type), i, relays[i].hop_count);
		print_addr6(out, &relays[i].link_addr);
		fputs(" peer ", out);
		print_addr6(out, &relays[i].peer_addr);
		if (relays[i].interface_id) {
			fputs("\n  interface-id ", out);
			print_hex(out, relays[i].interface_id,
				  relays[i].interface_id_len);
		}
		fputc('\n', out);
	}
	fprintf(out, "DHCPv6 %s, %zu bytes, xid 0x%06x", msg_name(m.type),
		m.len, m.xid);
	print_opts(out, m.opts, m.opts_len, 0);
	fputc('\n', out);
	return 0;
}
