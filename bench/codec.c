/* bench/codec: ns/op of the codec scenarios of seed 003 (and DHCPv6 REPLY
 * parsing). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <arpa/inet.h>

#include <tern/dhcp4.h>

#include "codec_v6.h"

/* Keep the compiler from dropping work whose result is unused. */
#define SINK(x) __asm__ volatile("" : : "g"(x) : "memory")

static uint8_t request[TERN_DHCP4_BOOTP_MIN];
static size_t request_len;
static uint8_t outbuf[1024];

/* A 300-byte DHCPREQUEST like busybox udhcpc's in SELECTING state (7
 * options, padded to the BOOTP minimum). */
static void build_request(void)
{
	struct tern_dhcp4_writer w;
	struct tern_dhcp4_hdr h = {
		.op = 1, .htype = 1, .hlen = 6, .xid = 0x3903f326};
	static const uint8_t cid[7] = {1, 0x02, 0x42, 0xac, 0x11, 0x00, 0x02};
	static const uint8_t prl[8] = {1, 3, 6, 12, 15, 28, 42, 121};
	struct in_addr a;
	int r;

	memcpy(h.chaddr, cid + 1, 6);
	tern_dhcp4_writer_init(&w, request, sizeof(request), 0, 0);
	tern_dhcp4_put_msg_type(&w, TERN_DHCP4_REQUEST);
	tern_dhcp4_put(&w, TERN_DHCP4_OPT_CLIENT_ID, cid, sizeof(cid));
	a.s_addr = inet_addr("192.168.1.100");
	tern_dhcp4_put_addr(&w, TERN_DHCP4_OPT_REQUESTED_IP, a);
	a.s_addr = inet_addr("192.168.1.1");
	tern_dhcp4_put_addr(&w, TERN_DHCP4_OPT_SERVER_ID, a);
	tern_dhcp4_put_u16(&w, TERN_DHCP4_OPT_MAX_MSG_SIZE, 576);
	tern_dhcp4_put(&w, TERN_DHCP4_OPT_PRL, prl, sizeof(prl));
	tern_dhcp4_put_str(&w, TERN_DHCP4_OPT_VENDOR_CLASS, "udhcp 1.35.0");
	tern_dhcp4_write_header(&w, &h);
	r = tern_dhcp4_writer_finish(&w, true);
	if (r != TERN_DHCP4_BOOTP_MIN) {
		fprintf(stderr, "bench: request is %d bytes\n", r);
		exit(1);
	}
	request_len = (size_t)r;
}

__attribute__((noinline)) static void scenario_load(long n)
{
	struct tern_dhcp4_msg m;

	for (long i = 0; i < n; i++) {
		SINK(request);
		if (tern_dhcp4_parse_header(&m, request, request_len) < 0)
			abort();
		SINK(m.hdr.xid);
	}
}

__attribute__((noinline)) static void scenario_load_options(long n)
{
	struct tern_dhcp4_msg m;

	for (long i = 0; i < n; i++) {
		SINK(request);
		if (tern_dhcp4_parse(&m, request, request_len) != 7)
			abort();
		SINK(m.n_opts);
	}
}

static const struct tern_dhcp4_hdr save_hdr = {
	.op = 1,
	.htype = 1,
	.hlen = 6,
	.xid = 0x3903f326,
	.chaddr = {0x02, 0x42, 0xac, 0x11, 0x00, 0x02},
};

__attribute__((noinline)) static void scenario_save(long n)
{
	struct tern_dhcp4_writer w;

	for (long i = 0; i < n; i++) {
		tern_dhcp4_writer_init(&w, outbuf, sizeof(outbuf), 0, 0);
		if (tern_dhcp4_write_header(&w, &save_hdr) < 0)
			abort();
		SINK(outbuf);
	}
}

/* Seed 003's SaveWithOptions: 53, 61, 50, 55 [1,3,6,42], End, header. */
__attribute__((noinline)) static void scenario_save_options(long n)
{
	static const uint8_t cid[7] = {1, 0x02, 0x42, 0xac, 0x11, 0x00, 0x02};
	static const uint8_t prl[4] = {1, 3, 6, 42};
	struct tern_dhcp4_writer w;
	struct in_addr ip = {.s_addr = htonl(0xc0a80164)};

	for (long i = 0; i < n; i++) {
		tern_dhcp4_writer_init(&w, outbuf, sizeof(outbuf), 0, 0);
		tern_dhcp4_put_msg_type(&w, TERN_DHCP4_REQUEST);
		tern_dhcp4_put(&w, TERN_DHCP4_OPT_CLIENT_ID, cid, sizeof(cid));
		tern_dhcp4_put_addr(&w, TERN_DHCP4_OPT_REQUESTED_IP, ip);
		tern_dhcp4_put(&w, TERN_DHCP4_OPT_PRL, prl, sizeof(prl));
		tern_dhcp4_write_header(&w, &save_hdr);
		if (tern_dhcp4_writer_finish(&w, false) < 0)
			abort();
		SINK(outbuf);
	}
}

__attribute__((noinline)) static void scenario_v6_reply(long n)
{
	for (long i = 0; i < n; i++)
		bench_v6_reply_once();
}

struct scenario {
	const char *name;
	void (*run)(long n);
	double seed003_ns; /* 0: no seed figure */
};

static const struct scenario scenarios[] = {
	{"Load", scenario_load, 85},
	{"LoadWithOptions", scenario_load_options, 182},
	{"Save", scenario_save, 70},
	{"SaveWithOptions", scenario_save_options, 257},
	{"V6ReplyParse", scenario_v6_reply, 0},
};

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: bench_codec [-r RUNS] [-n ITERATIONS]\n"
		"       bench_codec --only SCENARIO ITERATIONS   (for "
		"callgrind)\n"
		"Prints the median ns/op over RUNS runs of each scenario.\n");
}

int main(int argc, char **argv)
{
	long iters = 2000000;
	int runs = 9;
	size_t ns = sizeof(scenarios) / sizeof(scenarios[0]);

	build_request();
	if (bench_v6_init() < 0) {
		fprintf(stderr, "bench: cannot build the DHCPv6 REPLY\n");
		return 1;
	}
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-r") && i + 1 < argc) {
			runs = atoi(argv[++i]);
		} else if (!strcmp(argv[i], "-n") && i + 1 < argc) {
			iters = atol(argv[++i]);
		} else if (!strcmp(argv[i], "--only") && i + 2 < argc) {
			const char *name = argv[i + 1];
			long n = atol(argv[i + 2]);

			for (size_t s = 0; s < ns; s++) {
				if (!strcmp(scenarios[s].name, name)) {
					scenarios[s].run(n);
					return 0;
				}
			}
			fprintf(stderr, "bench: no scenario %s\n", name);
			return 1;
		} else {
			usage();
			return 1;
		}
	}
	if (runs < 1 || runs > 101 || iters < 1) {
		usage();
		return 1;
	}
	printf("%-16s %10s %10s %10s %12s\n", "scenario", "median_ns", "min_ns",
	       "max_ns", "seed003/tern");
	for (size_t s = 0; s < ns; s++) {
		double t[101];

		scenarios[s].run(iters / 10); /* warm caches and branches */
		for (int r = 0; r < runs; r++) {
			double t0 = now_ns();

			scenarios[s].run(iters);
			t[r] = (now_ns() - t0) / (double)iters;
		}
		qsort(t, (size_t)runs, sizeof(double), cmp_double);
		if (scenarios[s].seed003_ns > 0)
			printf("%-16s %10.2f %10.2f %10.2f %11.1fx\n",
			       scenarios[s].name, t[runs / 2], t[0],
			       t[runs - 1],
			       scenarios[s].seed003_ns / t[runs / 2]);
		else
			printf("%-16s %10.2f %10.2f %10.2f %12s\n",
			       scenarios[s].name, t[runs / 2], t[0],
			       t[runs - 1], "-");
	}
	printf("(%d runs x %ld iterations, %ld-byte DHCPREQUEST)\n", runs,
	       iters, (long)request_len);
	return 0;
}
