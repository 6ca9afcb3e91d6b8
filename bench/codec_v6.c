/* bench/codec: DHCPv6 REPLY parsing, the work tern-plugin/tern-mgr do per
 * lease. */
#include <stdio.h>
#include <stdlib.h>

#include <tern/dhcp6.h>
#include <tern/mapt.h>

#include "codec_v6.h"

#define SINK(x) __asm__ volatile("" : : "g"(x) : "memory")

static uint8_t reply[1500];
static size_t reply_len;

int bench_v6_init(void)
{
	FILE *f = fopen(TERN_FIXTURES "/v6/kea6_reply.bin", "rb");

	if (!f)
		return -1;
	reply_len = fread(reply, 1, sizeof(reply), f);
	fclose(f);
	return reply_len > 0 ? 0 : -1;
}

/* Nested IAADDR / IAPREFIX of one IA. */
static void parse_ia(uint16_t code, const uint8_t *d, uint16_t l)
{
	struct tern_dhcp6_ia ia;
	struct tern_dhcp6_opt_iter it;
	const uint8_t *v;
	uint16_t c, n;

	if ((code == TERN_DHCP6_OPT_IA_NA
		     ? tern_dhcp6_ia_na_decode(d, l, &ia)
		     : tern_dhcp6_ia_pd_decode(d, l, &ia)) < 0)
		abort();
	tern_dhcp6_opt_iter_init(&it, ia.opts, ia.opts_len);
	while (tern_dhcp6_opt_next(&it, &c, &v, &n) > 0) {
		if (c == TERN_DHCP6_OPT_IAADDR) {
			struct tern_dhcp6_iaaddr a;

			if (tern_dhcp6_iaaddr_decode(v, n, &a) < 0)
				abort();
			SINK(a.valid);
		} else if (c == TERN_DHCP6_OPT_IAPREFIX) {
			struct tern_dhcp6_iaprefix p;

			if (tern_dhcp6_iaprefix_decode(v, n, &p) < 0)
				abort();
			SINK(p.plen);
		}
	}
}

void bench_v6_reply_once(void)
{
	struct tern_dhcp6_msg m;
	struct tern_dhcp6_opt_iter it;
	const uint8_t *v;
	uint16_t c, n;
	int seen = 0;

	SINK(reply);
	if (tern_dhcp6_parse(&m, reply, reply_len) < 0)
		abort();
	tern_dhcp6_opt_iter_init(&it, m.opts, m.opts_len);
	while (tern_dhcp6_opt_next(&it, &c, &v, &n) > 0) {
		switch (c) {
		case TERN_DHCP6_OPT_IA_NA:
		case TERN_DHCP6_OPT_IA_PD:
			parse_ia(c, v, n);
			seen |= c == TERN_DHCP6_OPT_IA_NA ? 1 : 2;
			break;
		case TERN_DHCP6_OPT_DNS_SERVERS: {
			struct in6_addr dns[4];

			if (tern_dhcp6_addrs_decode(v, n, dns, 4) < 1)
				abort();
			SINK(dns[0].s6_addr[15]);
			seen |= 4;
			break;
		}
		case TERN_DHCP6_OPT_S46_CONT_MAPT: {
			struct tern_mapt_container mc;

			if (tern_mapt_parse(v, n, c, &mc) < 0)
				abort();
			SINK(mc.n_rules);
			seen |= 8;
			break;
		}
		default:
			break;
		}
	}
	if (seen != 15)
		abort();
}
