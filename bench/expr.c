/* bench/expr: ns per evaluation of typical Kea class tests (vendor class
 * substrings, option 82 matches, member) against one relayed packet. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <tern/dhcp4.h>

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

int main(int argc, char **argv)
{
	static struct ternd_expr_scratch scratch;
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
	return 0;
}
