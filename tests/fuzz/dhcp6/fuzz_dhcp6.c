/* Fuzz target: DHCPv6 decode at every level, typed decoders, relay re-wrap. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <tern/dhcp6.h>
#include <tern/mapt.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_WALK_DEPTH 16

struct ctx {
	bool have_pd;
	struct in6_addr pd;
	uint8_t pd_len;
};

static void check(bool ok)
{
	if (!ok)
		abort();
}

static void walk(struct ctx *c, const uint8_t *opts, size_t len, int depth);

static void names(const uint8_t *v, uint16_t len)
{
	char text[512];
	size_t pos = 0;
	int r;

	r = tern_dhcp6_domain_list_decode(v, len, text, sizeof(text));
	if (r > 0)
		check(strlen(text) < sizeof(text));
	/* Small outputs must fail cleanly, never overrun. */
	(void)tern_dhcp6_domain_list_decode(v, len, text, 4);
	r = tern_dhcp6_name_decode(v, len, &pos, text, sizeof(text));
	if (r >= 0)
		check((size_t)r == strlen(text) && pos <= len);
}

static void ntp(const uint8_t *v, uint16_t len)
{
	struct tern_dhcp6_ntp_server s;
	size_t pos = 0;
	int r, n = 0;

	while ((r = tern_dhcp6_ntp_next(v, len, &pos, &s)) > 0) {
		check(pos <= len && ++n <= 65535 / 4);
		if (s.type == TERN_DHCP6_NTP_SRV_FQDN) {
			char text[TERN_DHCP6_NAME_TEXT_MAX];
			size_t np = 0;

			check(tern_dhcp6_name_decode(s.fqdn, s.fqdn_len, &np,
						     text, sizeof(text)) > 0);
		}
	}
}

static void mapt(struct ctx *c, uint16_t code, const uint8_t *v, uint16_t len)
{
	struct tern_mapt_container mc;
	struct tern_mapt_result mr;
	char t[64];

	if (tern_mapt_parse(v, len, code, &mc) < 0)
		return;
	check(mc.n_rules >= 1 && mc.n_rules <= TERN_MAPT_MAX_RULES);
	if (!c->have_pd)
		return;
	if (tern_mapt_derive(&mc, &c->pd, c->pd_len, &mr) == 0) {
		check(mr.psid_len <= 16 && mr.ratio == 1u << mr.psid_len);
		check(tern_mapt_format_prefix6(&mr.br_prefix, mr.br_plen, t,
					       sizeof(t)) > 0);
	}
}

static void one(struct ctx *c, uint16_t code, const uint8_t *v, uint16_t len,
		int depth)
{
	struct tern_dhcp6_duid d;
	struct tern_dhcp6_ia ia;
	struct tern_dhcp6_iaaddr a;
	struct tern_dhcp6_iaprefix p;
	struct tern_dhcp6_status_code st;
	struct tern_dhcp6_enterprise_data ed;
	struct tern_dhcp6_relay rl[4];
	struct tern_dhcp6_msg m;
	struct in6_addr addrs[8];
	uint16_t oro[16];
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	char text[TERN_DHCP6_NAME_TEXT_MAX];

	switch (code) {
	case TERN_DHCP6_OPT_CLIENTID:
	case TERN_DHCP6_OPT_SERVERID:
		if (tern_dhcp6_duid_decode(v, len, &d) == 0)
			check(d.id + d.id_len == v + len);
		break;
	case TERN_DHCP6_OPT_IA_NA:
	case TERN_DHCP6_OPT_IA_PD:
		if (tern_dhcp6_ia_na_decode(v, len, &ia) == 0)
			walk(c, ia.opts, ia.opts_len, depth + 1);
		break;
	case TERN_DHCP6_OPT_IA_TA:
		if (tern_dhcp6_ia_ta_decode(v, len, &ia) == 0)
			walk(c, ia.opts, ia.opts_len, depth + 1);
		break;
	case TERN_DHCP6_OPT_IAADDR:
		if (tern_dhcp6_iaaddr_decode(v, len, &a) == 0)
			walk(c, a.opts, a.opts_len, depth + 1);
		break;
	case TERN_DHCP6_OPT_IAPREFIX:
		if (tern_dhcp6_iaprefix_decode(v, len, &p) == 0) {
			check(p.plen <= 128);
			c->have_pd = true;
			c->pd = p.prefix;
			c->pd_len = p.plen;
			walk(c, p.opts, p.opts_len, depth + 1);
		}
		break;
	case TERN_DHCP6_OPT_ORO:
		(void)tern_dhcp6_oro_decode(v, len, oro, 16);
		(void)tern_dhcp6_oro_has(v, len, 95);
		break;
	case TERN_DHCP6_OPT_PREFERENCE:
		(void)tern_dhcp6_preference_decode(v, len, &u8);
		break;
	case TERN_DHCP6_OPT_ELAPSED_TIME:
		(void)tern_dhcp6_elapsed_time_decode(v, len, &u16);
		break;
	case TERN_DHCP6_OPT_INFO_REFRESH_TIME:
	case TERN_DHCP6_OPT_SOL_MAX_RT:
		(void)tern_dhcp6_u32_decode(v, len, &u32);
		break;
	case TERN_DHCP6_OPT_RELAY_MSG:
		/* Bounded by the relay limit inside unwrap. */
		if (depth < MAX_WALK_DEPTH &&
		    tern_dhcp6_unwrap(v, len, NULL, 0, &m) >= 0)
			walk(c, m.opts, m.opts_len, depth + 1);
		(void)tern_dhcp6_unwrap(v, len, rl, 4, &m);
		break;
	case TERN_DHCP6_OPT_STATUS_CODE:
		if (tern_dhcp6_status_decode(v, len, &st) == 0)
			check((const uint8_t *)st.msg + st.msg_len == v + len);
		break;
	case TERN_DHCP6_OPT_RAPID_COMMIT:
	case TERN_DHCP6_OPT_RECONF_ACCEPT:
		(void)tern_dhcp6_empty_decode(v, len);
		break;
	case TERN_DHCP6_OPT_INTERFACE_ID:
	case TERN_DHCP6_OPT_SUBSCRIBER_ID:
		(void)tern_dhcp6_opaque_decode(v, len);
		break;
	case TERN_DHCP6_OPT_REMOTE_ID:
		(void)tern_dhcp6_remote_id_decode(v, len, &ed);
		break;
	case TERN_DHCP6_OPT_VENDOR_OPTS:
		if (tern_dhcp6_vendor_opts_decode(v, len, &ed) == 0)
			walk(c, ed.data, ed.len, depth + 1);
		break;
	case TERN_DHCP6_OPT_UNICAST:
	case TERN_DHCP6_OPT_DNS_SERVERS:
	case TERN_DHCP6_OPT_SNTP_SERVERS:
		(void)tern_dhcp6_addrs_decode(v, len, addrs, 8);
		break;
	case TERN_DHCP6_OPT_DOMAIN_LIST:
		names(v, len);
		break;
	case TERN_DHCP6_OPT_AFTR_NAME:
		(void)tern_dhcp6_aftr_name_decode(v, len, text, sizeof(text));
		break;
	case TERN_DHCP6_OPT_NTP_SERVER:
		ntp(v, len);
		break;
	case TERN_DHCP6_OPT_S46_CONT_MAPE:
	case TERN_DHCP6_OPT_S46_CONT_MAPT:
		mapt(c, code, v, len);
		break;
	default:
		break;
	}
}

static void walk(struct ctx *c, const uint8_t *opts, size_t len, int depth)
{
	struct tern_dhcp6_opt_iter it;
	const uint8_t *v;
	uint16_t code, olen;
	int r, valid;

	if (depth > MAX_WALK_DEPTH)
		return;
	valid = tern_dhcp6_opts_validate(opts, len);
	tern_dhcp6_opt_iter_init(&it, opts, len);
	while ((r = tern_dhcp6_opt_next(&it, &code, &v, &olen)) > 0) {
		check(v >= opts && v + olen <= opts + len);
		one(c, code, v, olen, depth);
	}
	check((r < 0) == (valid < 0));
}

/* Re-wrap the reply through the relay levels and unwrap it again. */
static void rewrap(const struct tern_dhcp6_relay *rl, int n,
		   const struct tern_dhcp6_msg *m, size_t cap)
{
	static uint8_t out[70000];
	struct tern_dhcp6_relay back[TERN_DHCP6_MAX_RELAYS];
	struct tern_dhcp6_writer w;
	struct tern_dhcp6_msg again;
	int len;

	tern_dhcp6_writer_init(&w, out, cap);
	for (int i = 0; i < n; i++)
		tern_dhcp6_begin_relay_reply(&w, &rl[i]);
	tern_dhcp6_put_bytes(&w, m->buf, m->len);
	len = tern_dhcp6_writer_finish(&w);
	check(len < 0 || (size_t)len <= cap);
	if (len < 0)
		return;
	check(tern_dhcp6_unwrap(out, (size_t)len, back, TERN_DHCP6_MAX_RELAYS,
				&again) == n);
	check(again.len == m->len && memcmp(again.buf, m->buf, m->len) == 0);
	for (int i = 0; i < n; i++) {
		check(back[i].type == TERN_DHCP6_RELAY_REPL);
		check(back[i].interface_id_len == rl[i].interface_id_len);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tern_dhcp6_relay rl[TERN_DHCP6_MAX_RELAYS];
	struct tern_dhcp6_relay one_level;
	struct tern_dhcp6_msg m;
	struct ctx c = {0};
	int n;

	n = tern_dhcp6_unwrap(data, size, rl, TERN_DHCP6_MAX_RELAYS, &m);
	if (n >= 0) {
		check(m.buf >= data && m.buf + m.len <= data + size);
		for (int i = 0; i < n; i++)
			walk(&c, rl[i].opts, rl[i].opts_len, 0);
		walk(&c, m.opts, m.opts_len, 0);
		rewrap(rl, n, &m, 70000);
		rewrap(rl, n, &m, size / 2);
	}
	(void)tern_dhcp6_parse(&m, data, size);
	(void)tern_dhcp6_parse_relay(&one_level, data, size);
	/* The input as a bare options area too, so decoders see
	 * arbitrary values directly. */
	memset(&c, 0, sizeof(c));
	walk(&c, data, size, 0);
	return 0;
}
