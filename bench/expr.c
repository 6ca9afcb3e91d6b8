/* bench/expr: ns per evaluation of typical Kea class tests (vendor class
 * substrings, option 82 matches, member) against one relayed DHCPv4
 * packet, then typical kea-dhcp6 tests (DUID types, interface-id,
 * vendor class, architecture) against one relayed SOLICIT. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <tern/dhcp4.h>
#include <tern/dhcp6.h>

#include "server/classify/expr.h"

/* What real configurations test (spec §2.9), one class each. */
static const char *const tests[] = {
	"substring(option[60].hex,0,9) == 'PXEClient'",
	"substring(option[60].hex,0,6) == 'Aastra'",
	"substring(option[60].hex,0,10) == 'CiscoPhone'",
	"option[vendor-class-identifier].text == 'MSFT 5.0'",
	"option[93].hex == 0x0007",
	"option[93].hex == 0x0009 or option[93].hex == 0x0010",
	"option[77].hex == 'iPXE'",
	"option[175].exists",
	"member('KNOWN')",
	"not member('KNOWN') and member('ALL')",
	"pkt4.msgtype == 7",
	"relay4[1].hex == 'Gi0/1.100:eth1'",
	"relay4[2].hex == 0x001122334455",
	"option[82].option[1].hex == 'Gi0/1.100:eth1' and relay4[2].exists",
	"hexstring(pkt4.mac, ':') == '02:00:00:00:00:01'",
	"vendor-class[4491].exists",
	"substring(vendor-class[4491].data, 0, 6) == 'docsis'",
	"vendor[4491].option[2].hex == 10.0.0.1",
	"substring(option[60].hex,0,9) == 'PXEClient' and "
	"option[93].hex == 0x0007 and not option[77].hex == 'iPXE'",
	"pkt4.giaddr == 10.0.0.1 and member('HA_server1')",
};
#define N_TESTS (sizeof(tests) / sizeof(tests[0]))

static int class_index(void *ctx, const char *name, bool *ret_dk)
{
	static const char *const names[] = {"ALL", "KNOWN", "UNKNOWN",
					    "HA_server1"};

	(void)ctx;
	*ret_dk = false;
	for (int i = 0; i < 4; i++)
		if (!strcmp(name, names[i]))
			return i;
	return -ENOENT;
}

static size_t build(uint8_t *buf, size_t cap)
{
	static const uint8_t prl[] = {1, 3, 6, 12, 15, 28, 42, 66, 67};
	struct tern_dhcp4_writer w;
	struct tern_dhcp4_hdr h = {.op = 1, .htype = 1, .hlen = 6};

	memcpy(h.chaddr, "\x02\x00\x00\x00\x00\x01", 6);
	h.giaddr.s_addr = htonl(0x0a000001);
	h.xid = 0x12345678;
	tern_dhcp4_writer_init(&w, buf, cap, 0, 0);
	tern_dhcp4_put_msg_type(&w, TERN_DHCP4_DISCOVER);
	tern_dhcp4_put(&w, 61, "\x01\x02\x00\x00\x00\x00\x01", 7);
	tern_dhcp4_put_u16(&w, TERN_DHCP4_OPT_MAX_MSG_SIZE, 1500);
	tern_dhcp4_put(&w, TERN_DHCP4_OPT_PRL, prl, sizeof(prl));
	tern_dhcp4_put_str(&w, 60, "PXEClient:Arch:00007:UNDI:003016");
	tern_dhcp4_put(&w, 93, "\x00\x07", 2);
	tern_dhcp4_put(&w, 94, "\x01\x03\x10", 3);
	tern_dhcp4_put(&w, 124,
		       "\x00\x00\x11\x8b\x09"
		       "docsis3.0",
		       14);
	tern_dhcp4_put(&w, 125, "\x00\x00\x11\x8b\x06\x02\x04\x0a\x00\x00\x01",
		       11);
	tern_dhcp4_container_begin(&w, 82);
	tern_dhcp4_subopt_put(&w, 1, "Gi0/1.100:eth1", 14);
	tern_dhcp4_subopt_put(&w, 2, "\x00\x11\x22\x33\x44\x55", 6);
	tern_dhcp4_container_end(&w);
	tern_dhcp4_write_header(&w, &h);
	return (size_t)tern_dhcp4_writer_finish(&w, true);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct ternd_expr_scratch scratch;

static int bench6(long iters, bool docsis);

int main(int argc, char **argv)
{
	struct ternd_expr_env env = {.class_index = class_index};
	struct ternd_expr *x[N_TESTS];
	struct ternd_expr_error err;
	struct tern_dhcp4_msg m;
	uint64_t classes = 1u << 0 | 1u << 2; /* ALL, UNKNOWN */
	struct ternd_expr_pkt p = {
		.m = &m,
		.iface = "eth0",
		.src = 0x0a000001,
		.dst = 0x0a000002,
		.classes = &classes,
		.n_class_words = 1,
	};
	long iters = argc > 1 ? atol(argv[1]) : 200000;
	uint8_t buf[1024];
	size_t len = build(buf, sizeof(buf));
	double t0, all = 0;
	int matched = 0;

	if (iters <= 0 || tern_dhcp4_parse(&m, buf, len) < 0)
		return 1;
	for (size_t i = 0; i < N_TESTS; i++)
		if (ternd_expr_compile(tests[i], &env, &x[i], &err) != 0) {
			fprintf(stderr, "bench_expr: %s: %u: %s\n", tests[i],
				err.column, err.msg);
			return 1;
		}
	printf("bench_expr: %zu class tests, %ld evaluations each, "
	       "one %zu-byte relayed packet\n",
	       N_TESTS, iters, len);
	for (size_t i = 0; i < N_TESTS; i++) {
		int r = 0;

		t0 = now_s();
		for (long k = 0; k < iters; k++)
			r += ternd_expr_eval(x[i], &p, &scratch);
		t0 = (now_s() - t0) * 1e9 / (double)iters;
		all += t0;
		matched += r > 0;
		printf("%8.1f ns  %s  %s\n", t0, r > 0 ? "match" : "     ",
		       tests[i]);
	}
	/* What classifying one packet costs: every test once, in order,
	 * as the engine will. */
	t0 = now_s();
	for (long k = 0; k < iters; k++)
		for (size_t i = 0; i < N_TESTS; i++)
			ternd_expr_eval(x[i], &p, &scratch);
	t0 = (now_s() - t0) * 1e9 / (double)iters;
	printf("all %zu tests per packet: %.0f ns (%d matching; sum of the "
	       "above %.0f ns)\n",
	       N_TESTS, t0, matched, all);
	for (size_t i = 0; i < N_TESTS; i++)
		ternd_expr_free(x[i]);
	return bench6(iters, true) || bench6(iters, false);
}

/* What kea-dhcp6 configurations test, one class each. */
static const char *const tests6[] = {
	"substring(option[1].hex, 0, 2) == 0x0001",
	"option[clientid].hex == 0x00030001020000000001",
	"relay6[0].option[18].hex == 'Gi0/1.100'",
	"relay6[0].option[37].exists",
	"relay6[0].peeraddr == fe80::1",
	"pkt6.msgtype == 1",
	"option[61].hex == 0x0007",
	"option[16].exists",
	"vendor-class[4491].exists",
	"substring(vendor-class[4491].data, 0, 6) == 'docsis'",
	"vendor[4491].option[2].hex == 'cpe'",
	"option[15].exists and not option[39].exists",
	"member('KNOWN')",
	"not member('KNOWN') and member('ALL')",
	"option[3].option[5].exists",
	"option[39].text == 'x'",
	"pkt.len == 200",
};
#define N_TESTS6 (sizeof(tests6) / sizeof(tests6[0]))

static int build6(uint8_t *buf, size_t cap, bool docsis)
{
	struct in6_addr la = {{{0x20, 0x01, 0x0d, 0xb8, [15] = 1}}};
	struct in6_addr pa = {{{0xfe, 0x80, [15] = 1}}};
	struct in6_addr a = {{{0x20, 0x01, 0x0d, 0xb8, [15] = 5}}};
	struct tern_dhcp6_writer w;

	tern_dhcp6_writer_init(&w, buf, cap);
	tern_dhcp6_write_relay_header(&w, TERN_DHCP6_RELAY_FORW, 0, &la, &pa);
	tern_dhcp6_put(&w, 18, "Gi0/1.100", 9);
	tern_dhcp6_put(&w, 37, "\x00\x00\x0d\xe9remote", 10);
	tern_dhcp6_begin(&w, TERN_DHCP6_OPT_RELAY_MSG);
	tern_dhcp6_write_header(&w, TERN_DHCP6_SOLICIT, 0x123456);
	tern_dhcp6_put(&w, 1, "\x00\x03\x00\x01\x02\x00\x00\x00\x00\x01", 10);
	tern_dhcp6_put(&w, 6, "\x00\x17\x00\x18\x00\x11", 6);
	tern_dhcp6_put(&w, 8, "\x00\x00", 2);
	tern_dhcp6_begin_ia(&w, 3, 1, 0, 0);
	tern_dhcp6_begin_iaaddr(&w, &a, 0, 0);
	tern_dhcp6_end(&w);
	tern_dhcp6_end(&w);
	if (docsis) { /* a cable modem: vendor class and options */
		tern_dhcp6_put(&w, 16,
			       "\x00\x00\x11\x8b\x00\x09"
			       "docsis3.0",
			       15);
		tern_dhcp6_put(&w, 17,
			       "\x00\x00\x11\x8b\x00\x02\x00\x03"
			       "cpe",
			       11);
	}
	tern_dhcp6_put(&w, 61, "\x00\x07", 2);
	tern_dhcp6_put(&w, 15, "\x00\x04iPXE", 6);
	return tern_dhcp6_writer_finish(&w);
}

static int bench6(long iters_arg, bool docsis)
{
	struct ternd_expr_env env = {.family = 6, .class_index = class_index};
	struct ternd_expr *x[N_TESTS6];
	struct ternd_expr_error err;
	struct tern_dhcp6_relay relay;
	struct tern_dhcp6_msg m;
	struct in6_addr src = {{{0xfe, 0x80, [15] = 1}}};
	uint64_t classes = 1u << 0 | 1u << 2; /* ALL, UNKNOWN */
	struct ternd_expr_memo6 memo;
	struct ternd_expr_pkt6 p = {
		.m = &m,
		.relays = &relay,
		.n_relays = 1,
		.iface = "eth0",
		.src = &src,
		.dst = &src,
		.classes = &classes,
		.n_class_words = 1,
	};
	uint8_t buf[1024];
	int len = build6(buf, sizeof(buf), docsis);
	long iters = iters_arg;
	double t0, all = 0;
	int matched = 0;

	if (len <= 0 || tern_dhcp6_unwrap(buf, (size_t)len, &relay, 1, &m) != 1)
		return 1;
	for (size_t i = 0; i < N_TESTS6; i++)
		if (ternd_expr_compile(tests6[i], &env, &x[i], &err) != 0) {
			fprintf(stderr, "bench_expr: %s: %u: %s\n", tests6[i],
				err.column, err.msg);
			return 1;
		}
	printf("\nbench_expr (DHCPv6): %zu class tests, %ld evaluations each, "
	       "one %d-byte relayed SOLICIT%s\n",
	       N_TESTS6, iters, len,
	       docsis ? " (a cable modem's: vendor options 16, 17)"
		      : " (no vendor options)");
	for (size_t i = 0; i < N_TESTS6; i++) {
		int r = 0;

		t0 = now_s();
		for (long k = 0; k < iters; k++)
			r += ternd_expr_eval6(x[i], &p, &scratch);
		t0 = (now_s() - t0) * 1e9 / (double)iters;
		all += t0;
		matched += r > 0;
		printf("%8.1f ns  %s  %s\n", t0, r > 0 ? "match" : "     ",
		       tests6[i]);
	}
	t0 = now_s();
	for (long k = 0; k < iters; k++)
		for (size_t i = 0; i < N_TESTS6; i++)
			ternd_expr_eval6(x[i], &p, &scratch);
	t0 = (now_s() - t0) * 1e9 / (double)iters;
	printf("all %zu tests per packet: %.0f ns (%d matching; sum of the "
	       "above %.0f ns)\n",
	       N_TESTS6, t0, matched, all);
	/* The same with the packet's memo, as the engine would pass it. */
	p.memo = &memo;
	t0 = now_s();
	for (long k = 0; k < iters; k++) {
		memset(&memo, 0, sizeof(memo));
		for (size_t i = 0; i < N_TESTS6; i++)
			ternd_expr_eval6(x[i], &p, &scratch);
	}
	t0 = (now_s() - t0) * 1e9 / (double)iters;
	printf("all %zu tests per packet, with the packet's memo: %.0f ns\n",
	       N_TESTS6, t0);
	for (size_t i = 0; i < N_TESTS6; i++)
		ternd_expr_free(x[i]);
	return 0;
}
