/* ternctl decode: human-readable dump of a DHCPv4 message, option by option. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <tern/dhcp4.h>

#include "common/optdefs.h"
#include "ctl/ctl.h"

static const char *const msg_types[] = {
	"?",	       "DHCPDISCOVER",	 "DHCPOFFER", "DHCPREQUEST",
	"DHCPDECLINE", "DHCPACK",	 "DHCPNAK",   "DHCPRELEASE",
	"DHCPINFORM",  "DHCPFORCERENEW",
};

/* Options the server config table leaves out (they belong to the protocol). */
static const char *proto_opt_name(uint8_t code)
{
	switch (code) {
	case TERN_DHCP4_OPT_REQUESTED_IP:
		return "requested-address";
	case TERN_DHCP4_OPT_LEASE_TIME:
		return "lease-time";
	case TERN_DHCP4_OPT_OVERLOAD:
		return "option-overload";
	case TERN_DHCP4_OPT_MSG_TYPE:
		return "message-type";
	case TERN_DHCP4_OPT_PRL:
		return "parameter-request-list";
	case TERN_DHCP4_OPT_MAX_MSG_SIZE:
		return "max-message-size";
	case TERN_DHCP4_OPT_T1:
		return "renewal-time";
	case TERN_DHCP4_OPT_T2:
		return "rebinding-time";
	case TERN_DHCP4_OPT_CLIENT_ID:
		return "client-id";
	case TERN_DHCP4_OPT_FQDN:
		return "client-fqdn";
	case TERN_DHCP4_OPT_RAI:
		return "relay-agent-information";
	case TERN_DHCP4_OPT_SUBNET_SELECTION:
		return "subnet-selection";
	case TERN_DHCP4_OPT_CLASSLESS_ROUTES:
		return "classless-static-route";
	default:
		return NULL;
	}
}

static const char *opt_name(uint8_t code)
{
	const struct tern_optdef *d = tern_optdef_by_code(code);
	const char *n = proto_opt_name(code);

	if (n)
		return n;
	return d ? d->name : "unknown";
}

static void print_hex(FILE *out, const uint8_t *d, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%s%02x", i ? ":" : "", d[i]);
}

static void print_text(FILE *out, const uint8_t *d, size_t n)
{
	fputc('"', out);
	for (size_t i = 0; i < n; i++) {
		if (d[i] >= 0x20 && d[i] < 0x7f && d[i] != '"' && d[i] != '\\')
			fputc(d[i], out);
		else
			fprintf(out, "\\x%02x", d[i]);
	}
	fputc('"', out);
}

static void print_addrs(FILE *out, const uint8_t *d, size_t n)
{
	char s[INET_ADDRSTRLEN];

	if (n == 0 || n % 4) {
		print_hex(out, d, n);
		fputs(" (malformed address list)", out);
		return;
	}
	for (size_t i = 0; i < n; i += 4) {
		inet_ntop(AF_INET, d + i, s, sizeof(s));
		fprintf(out, "%s%s", i ? ", " : "", s);
	}
}

static uint32_t be32(const uint8_t *d)
{
	return (uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 |
	       (uint32_t)d[2] << 8 | d[3];
}

static void print_rai(FILE *out, const uint8_t *d, size_t n)
{
	size_t pos = 0;
	uint8_t code, l;
	const uint8_t *v;
	int r;

	while ((r = tern_dhcp4_subopt_next(d, n, &pos, &code, &v, &l)) > 0) {
		fprintf(out, "\n      sub-option %u", code);
		switch (code) {
		case TERN_RAI_CIRCUIT_ID:
			fputs(" circuit-id ", out);
			print_text(out, v, l);
			break;
		case TERN_RAI_REMOTE_ID:
			fputs(" remote-id ", out);
			print_text(out, v, l);
			break;
		case TERN_RAI_LINK_SELECTION:
			fputs(" link-selection ", out);
			print_addrs(out, v, l);
			break;
		case TERN_RAI_SERVER_ID_OVERRIDE:
			fputs(" server-id-override ", out);
			print_addrs(out, v, l);
			break;
		default:
			fputs(" ", out);
			print_hex(out, v, l);
			break;
		}
	}
	if (r < 0)
		fprintf(out, "\n      (malformed: %s)", tern_strerror(r));
}

/* One option's value, decoded by what the code means. */
static void print_value(FILE *out, uint8_t code, const uint8_t *d, size_t n)
{
	const struct tern_optdef *def = tern_optdef_by_code(code);
	struct tern_dhcp4_route routes[32];
	int nr;

	switch (code) {
	case TERN_DHCP4_OPT_MSG_TYPE:
		if (n == 1 && d[0] &&
		    d[0] < sizeof(msg_types) / sizeof(*msg_types))
			fputs(msg_types[d[0]], out);
		else
			print_hex(out, d, n);
		return;
	case TERN_DHCP4_OPT_REQUESTED_IP:
	case TERN_DHCP4_OPT_SUBNET_SELECTION:
		print_addrs(out, d, n);
		return;
	case TERN_DHCP4_OPT_LEASE_TIME:
	case TERN_DHCP4_OPT_T1:
	case TERN_DHCP4_OPT_T2:
		if (n == 4)
			fprintf(out, "%u s", be32(d));
		else
			print_hex(out, d, n);
		return;
	case TERN_DHCP4_OPT_MAX_MSG_SIZE:
		if (n == 2)
			fprintf(out, "%u", (unsigned)d[0] << 8 | d[1]);
		else
			print_hex(out, d, n);
		return;
	case TERN_DHCP4_OPT_OVERLOAD:
		if (n == 1 && d[0] >= 1 && d[0] <= 3)
			fputs(d[0] == 1	  ? "file"
			      : d[0] == 2 ? "sname"
					  : "file+sname",
			      out);
		else
			print_hex(out, d, n);
		return;
	case TERN_DHCP4_OPT_PRL:
		for (size_t i = 0; i < n; i++)
			fprintf(out, "%s%u(%s)", i ? " " : "", d[i],
				opt_name(d[i]));
		return;
	case TERN_DHCP4_OPT_CLIENT_ID:
		print_hex(out, d, n);
		if (n == 7 && d[0] == 1)
			fputs(" (ethernet)", out);
		return;
	case TERN_DHCP4_OPT_RAI:
		print_rai(out, d, n);
		return;
	case TERN_DHCP4_OPT_CLASSLESS_ROUTES:
		nr = tern_dhcp4_routes_decode(d, n, routes, 32);
		if (nr < 0) {
			print_hex(out, d, n);
			fprintf(out, " (%s)", tern_strerror(nr));
			return;
		}
		for (int i = 0; i < nr; i++) {
			char a[INET_ADDRSTRLEN], g[INET_ADDRSTRLEN];

			inet_ntop(AF_INET, &routes[i].dest, a, sizeof(a));
			inet_ntop(AF_INET, &routes[i].gw, g, sizeof(g));
			fprintf(out, "%s%s/%u via %s", i ? ", " : "", a,
				routes[i].plen, g);
		}
		return;
	default:
		break;
	}
	if (!def) {
		print_hex(out, d, n);
		return;
	}
	switch (def->type) {
	case TERN_OT_IPV4:
		print_addrs(out, d, n);
		break;
	case TERN_OT_STRING:
		print_text(out, d, n);
		break;
	case TERN_OT_U32:
	case TERN_OT_I32:
		if (n == 4)
			fprintf(out, def->type == TERN_OT_I32 ? "%d" : "%u",
				be32(d));
		else
			print_hex(out, d, n);
		break;
	case TERN_OT_U16:
		if (n == 2)
			fprintf(out, "%u", (unsigned)d[0] << 8 | d[1]);
		else
			print_hex(out, d, n);
		break;
	case TERN_OT_U8:
	case TERN_OT_BOOL:
		if (n == 1)
			fprintf(out, "%u", d[0]);
		else
			print_hex(out, d, n);
		break;
	default:
		print_hex(out, d, n);
		break;
	}
}

static void print_field_text(FILE *out, const char *label, const uint8_t *d,
			     size_t n)
{
	size_t l = strnlen((const char *)d, n);

	if (l == 0)
		return;
	fprintf(out, "  %-7s ", label);
	print_text(out, d, l);
	fputc('\n', out);
}

int ctl_print_dhcp4(FILE *out, const uint8_t *buf, size_t len)
{
	struct tern_dhcp4_msg m;
	const struct tern_dhcp4_hdr *h = &m.hdr;
	char ci[INET_ADDRSTRLEN], yi[INET_ADDRSTRLEN], si[INET_ADDRSTRLEN],
		gi[INET_ADDRSTRLEN];
	int type, r;

	r = tern_dhcp4_parse(&m, buf, len);
	if (r < 0) {
		fprintf(out, "DHCPv4, %zu bytes: cannot decode: %s\n", len,
			tern_strerror(r));
		return r;
	}
	type = tern_dhcp4_get_msg_type(&m);
	fprintf(out, "DHCPv4 %s, %zu bytes, %s, xid 0x%08x\n",
		type > 0 && type < (int)(sizeof(msg_types) / sizeof(*msg_types))
			? msg_types[type]
			: "BOOTP",
		len,
		h->op == 1   ? "BOOTREQUEST"
		: h->op == 2 ? "BOOTREPLY"
			     : "op?",
		h->xid);
	inet_ntop(AF_INET, &h->ciaddr, ci, sizeof(ci));
	inet_ntop(AF_INET, &h->yiaddr, yi, sizeof(yi));
	inet_ntop(AF_INET, &h->siaddr, si, sizeof(si));
	inet_ntop(AF_INET, &h->giaddr, gi, sizeof(gi));
	fprintf(out, "  chaddr  ");
	print_hex(out, h->chaddr, h->hlen <= 16 ? h->hlen : 16);
	fprintf(out, " (htype %u, hops %u, secs %u, flags 0x%04x%s)\n",
		h->htype, h->hops, h->secs, h->flags,
		h->flags & TERN_DHCP4_FLAG_BROADCAST ? " broadcast" : "");
	fprintf(out, "  ciaddr  %-15s yiaddr %s\n", ci, yi);
	fprintf(out, "  siaddr  %-15s giaddr %s\n", si, gi);
	if (!(m.overload & TERN_DHCP4_OVERLOAD_SNAME))
		print_field_text(out, "sname", h->sname, TERN_DHCP4_SNAME_LEN);
	if (!(m.overload & TERN_DHCP4_OVERLOAD_FILE))
		print_field_text(out, "file", h->file, TERN_DHCP4_FILE_LEN);
	for (unsigned i = 0; i < m.n_opts; i++) {
		const struct tern_dhcp4_opt_ref *o = &m.opts[i];

		fprintf(out, "  option %3u %-24s ", o->code, opt_name(o->code));
		print_value(out, o->code, tern_dhcp4_opt_data(&m, o), o->len);
		fputc('\n', out);
	}
	return 0;
}
