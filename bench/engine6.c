/* bench/engine6: ns per SOLICIT+ADVERTISE, REQUEST+REPLY through ternd's
 * DHCPv6 engine alone, no sockets or store; --classes: the same on a
 * shared network whose pools and subnets are gated by Kea's built-in
 * classes (the first subnet's pool is for KNOWN clients only, so every
 * allocation walks to the second), and the ratio. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <tern/dhcp6.h>

#include "server/config/config.h"
#include "server/engine6/engine6.h"

#define MAX_CLIENTS 1000000

static const char cfg_text[] =
	"{\"Dhcp6\": {\"valid-lifetime\": 3600, \"preferred-lifetime\": 1800,"
	" \"option-data\": [{\"name\": \"dns-servers\", \"data\": "
	"\"2001:db8::53\"}],"
	" \"subnet6\": [{\"id\": 1, \"subnet\": \"2001:db8:1::/64\","
	" \"interface\": \"eth0\", \"pools\": [{\"pool\": "
	"\"2001:db8:1::/96\"}]}]}}";

static const char cfg_classes_text[] =
	"{\"Dhcp6\": {\"valid-lifetime\": 3600, \"preferred-lifetime\": 1800,"
	" \"option-data\": [{\"name\": \"dns-servers\", \"data\": "
	"\"2001:db8::53\"}],"
	" \"shared-networks\": [{\"name\": \"lab\", \"interface\": \"eth0\","
	"  \"client-class\": \"ALL\","
	"  \"subnet6\": [{\"id\": 1, \"subnet\": \"2001:db8:1::/64\","
	"   \"pools\": [{\"pool\": \"2001:db8:1::/96\", \"client-class\": "
	"\"KNOWN\"}]},"
	"  {\"id\": 2, \"subnet\": \"2001:db8:2::/64\","
	"   \"client-class\": \"VENDOR_CLASS_acme\","
	"   \"pools\": [{\"pool\": \"2001:db8:2::/96\", \"client-class\": "
	"\"UNKNOWN\"}]}]}]}}";

static const uint8_t sduid[] = {0, 1, 0, 1, 1, 2, 3, 4, 2, 0, 0, 0, 0, 1};

/* A request of client n: SOLICIT, or REQUEST for addr. */
static size_t build(uint8_t *buf, size_t cap, uint8_t type, uint32_t n,
		    const struct in6_addr *addr)
{
	static const uint16_t oro[] = {23, 24};
	static const uint8_t vc[] = {0, 0,   0x30, 0x39, 0,
				     4, 'a', 'c',  'm',	 'e'};
	uint8_t duid[10] = {0,
			    3,
			    0,
			    1,
			    2,
			    0,
			    (uint8_t)(n >> 24),
			    (uint8_t)(n >> 16),
			    (uint8_t)(n >> 8),
			    (uint8_t)n};
	struct tern_dhcp6_writer w;
	int len;

	tern_dhcp6_writer_init(&w, buf, cap);
	tern_dhcp6_write_header(&w, type, n & 0xffffff);
	tern_dhcp6_put(&w, TERN_DHCP6_OPT_CLIENTID, duid, sizeof(duid));
	if (type == TERN_DHCP6_REQUEST)
		tern_dhcp6_put(&w, TERN_DHCP6_OPT_SERVERID, sduid,
			       sizeof(sduid));
	tern_dhcp6_put_oro(&w, oro, 2);
	tern_dhcp6_put(&w, TERN_DHCP6_OPT_VENDOR_CLASS, vc, sizeof(vc));
	tern_dhcp6_begin_ia(&w, TERN_DHCP6_OPT_IA_NA, 1, 0, 0);
	if (addr) {
		tern_dhcp6_begin_iaaddr(&w, addr, 0, 0);
		tern_dhcp6_end(&w);
	}
	tern_dhcp6_end(&w);
	len = tern_dhcp6_writer_finish(&w);
	return len < 0 ? 0 : (size_t)len;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The address of the ADVERTISE's first IA_NA. */
static bool advertised(const uint8_t *rep, size_t len, struct in6_addr *ret)
{
	struct tern_dhcp6_msg m;
	struct tern_dhcp6_ia ia;
	struct tern_dhcp6_iaaddr a;
	const uint8_t *v;
	int n;

	if (tern_dhcp6_parse(&m, rep, len) < 0 || m.type != 2)
		return false;
	n = tern_dhcp6_msg_find(&m, TERN_DHCP6_OPT_IA_NA, &v);
	if (n < 0 || tern_dhcp6_ia_na_decode(v, (size_t)n, &ia) < 0)
		return false;
	n = tern_dhcp6_opt_find(ia.opts, ia.opts_len, TERN_DHCP6_OPT_IAADDR,
				&v);
	if (n < 0 || tern_dhcp6_iaaddr_decode(v, (size_t)n, &a) < 0)
		return false;
	*ret = a.addr;
	return true;
}

/* ns per exchange pair for n clients with the configuration, or < 0. */
static double run(const char *text, uint32_t n)
{
	static uint8_t req[512], rep[2048];
	static struct ternd_change6 ch[4];
	struct ternd_config *cfg = NULL;
	struct ternd_engine6 *e = NULL;
	struct ternd_rx6 rx = {.ifindex = 2,
			       .ifname = "eth0",
			       .multicast = true,
			       .src_port = 546,
			       .now = 1700000000};
	double t_build = 0, t0, r = -1;

	rx.src.s6_addr[0] = 0xfe;
	rx.src.s6_addr[1] = 0x80;
	rx.src.s6_addr[15] = 1;
	if (ternd_config_load_buf(text, strlen(text), &cfg, NULL) < 0 ||
	    ternd_engine6_new(cfg, n, sduid, sizeof(sduid), &e) < 0)
		goto out;
	t0 = now_s();
	for (uint32_t i = 0; i < n; i++) {
		struct ternd_tx6 tx;
		struct in6_addr a;
		size_t len, k;
		double b0 = now_s();

		/* Building and reading the messages is the client's work:
		 * timed apart. */
		len = build(req, sizeof(req), TERN_DHCP6_SOLICIT, i, NULL);
		t_build += now_s() - b0;
		if (ternd_engine6_handle(e, &rx, req, len, rep, sizeof(rep),
					 &tx, ch, 4, &k) != 1)
			goto out;
		b0 = now_s();
		if (!advertised(rep, tx.len, &a))
			goto out;
		len = build(req, sizeof(req), TERN_DHCP6_REQUEST, i, &a);
		t_build += now_s() - b0;
		if (ternd_engine6_handle(e, &rx, req, len, rep, sizeof(rep),
					 &tx, ch, 4, &k) != 1 ||
		    k != 1)
			goto out;
	}
	r = (now_s() - t0 - t_build) * 1e9 / (double)n;
out:
	ternd_engine6_free(e);
	ternd_config_free(cfg);
	return r;
}

int main(int argc, char **argv)
{
	const char *mode =
		argc > 1 && argv[argc - 1][0] == '-' ? argv[argc - 1] : "";
	bool classes = strcmp(mode, "--classes") == 0;
	bool only = strcmp(mode, "--classes-only") == 0;
	uint32_t n = argc > 1 + (*mode != 0) ? (uint32_t)atol(argv[1]) : 200000;
	double a = -1, b = -1;

	if (n == 0 || n > MAX_CLIENTS || (*mode && !classes && !only)) {
		fprintf(stderr, "usage: bench_engine6 [CLIENTS <= 1000000] "
				"[--classes | --classes-only]\n");
		return 1;
	}
	if (!only) {
		a = run(cfg_text, n);
		if (a < 0) {
			fprintf(stderr,
				"bench_engine6: the plain run failed\n");
			return 1;
		}
		printf("engine6: %u clients, %.0f ns per SOLICIT+REQUEST\n", n,
		       a);
	}
	if (classes || only) {
		b = run(cfg_classes_text, n);
		if (b < 0) {
			fprintf(stderr,
				"bench_engine6: the classes run failed\n");
			return 1;
		}
		printf("engine6 --classes: %u clients, %.0f ns per "
		       "SOLICIT+REQUEST\n",
		       n, b);
	}
	if (classes)
		printf("ratio: %.2f\n", b / a);
	return 0;
}
