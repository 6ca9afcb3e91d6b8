/* bench/engine6: ns per SOLICIT+ADVERTISE, REQUEST+REPLY through ternd's
 * DHCPv6 engine alone, no sockets or store; --classes: the same on a
 * shared network whose pools and subnets are gated by Kea's built-in
 * classes (the first subnet's pool is for KNOWN clients only, so every
 * allocation walks to the second), and the ratio; --expr: every client
 * behind one relay (interface-id, remote-id), once with a plain subnet
 * and once with ten client classes with test expressions (DUID, vendor
 * class, relay options and addresses, message type, interface, member),
 * one of them gating the pool, four with option-data, and the ratio
 * (--expr-only, --relayed-only: one of the two, for callgrind). */
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

/* --expr: the same relayed subnet without and with client classes. */
#define RELAYED_SUBNET                                                \
	" \"subnet6\": [{\"id\": 1, \"subnet\": \"2001:db8:1::/64\"," \
	" \"interface-id\": \"port-1\", \"pools\": [{\"pool\": "      \
	"\"2001:db8:1::/96\""

static const char cfg_relayed_text[] =
	"{\"Dhcp6\": {\"valid-lifetime\": 3600, \"preferred-lifetime\": 1800,"
	" \"option-data\": [{\"name\": \"dns-servers\", \"data\": "
	"\"2001:db8::53\"}]," RELAYED_SUBNET "}]}]}}";

static const char cfg_expr_text[] =
	"{\"Dhcp6\": {\"valid-lifetime\": 3600, \"preferred-lifetime\": 1800,"
	" \"option-data\": [{\"name\": \"dns-servers\", \"data\": "
	"\"2001:db8::53\"}],"
	" \"client-classes\": ["
	"  {\"name\": \"DROP\", \"test\": "
	"\"relay6[0].option[18].hex == 'blocked'\"},"
	"  {\"name\": \"llt\", \"test\": "
	"\"substring(option[1].hex, 0, 2) == 0x0001\","
	"   \"option-data\": [{\"name\": \"nis-domain-name\", \"data\": "
	"\"llt.example\"}]},"
	"  {\"name\": \"modem\", \"test\": \"vendor-class[4491].exists\"},"
	"  {\"name\": \"acme\", \"test\": "
	"\"vendor-class[12345].data == 'acme'\","
	"   \"option-data\": [{\"name\": \"sntp-servers\", \"data\": "
	"\"2001:db8::123\"}]},"
	"  {\"name\": \"port\", \"test\": "
	"\"relay6[0].option[18].hex == 'port-1'\","
	"   \"option-data\": [{\"name\": \"domain-search\", \"data\": "
	"\"port.example\"}]},"
	"  {\"name\": \"rid\", \"test\": "
	"\"substring(relay6[0].option[37].hex, 0, 4) == 0x0000118b\"},"
	"  {\"name\": \"link\", \"test\": "
	"\"relay6[0].linkaddr == 2001:db8:1::1 and relay6[0].peeraddr == "
	"fe80::1\"},"
	"  {\"name\": \"msg\", \"test\": "
	"\"pkt6.msgtype == 1 or pkt6.msgtype == 3\"},"
	"  {\"name\": \"iface\", \"test\": \"pkt.iface == 'eth0'\","
	"   \"option-data\": [{\"name\": \"dns-servers\", \"data\": "
	"\"2001:db8::5353\"}]},"
	"  {\"name\": \"gated\", \"test\": "
	"\"member('acme') and not member('modem')\"}]," RELAYED_SUBNET
	", \"client-class\": \"gated\"}]}]}}";

static const uint8_t sduid[] = {0, 1, 0, 1, 1, 2, 3, 4, 2, 0, 0, 0, 0, 1};

/* A request of client n: SOLICIT, or REQUEST for addr; relayed: inside a
 * RELAY-FORW with interface-id and remote-id, asking for the options the
 * --expr classes set too. */
static size_t build(uint8_t *buf, size_t cap, uint8_t type, uint32_t n,
		    const struct in6_addr *addr, bool relayed)
{
	static const uint16_t oro[] = {23, 24, 29, 31};
	static const uint8_t rid[] = {0, 0, 0x11, 0x8b, 'c', 'm', '-', '1'};
	struct in6_addr link = {{{0x20, 0x01, 0x0d, 0xb8, 0, 1}}};
	struct in6_addr peer = {{{0xfe, 0x80}}};
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

	link.s6_addr[15] = 1;
	peer.s6_addr[15] = 1;
	tern_dhcp6_writer_init(&w, buf, cap);
	if (relayed) {
		tern_dhcp6_write_relay_header(&w, TERN_DHCP6_RELAY_FORW, 0,
					      &link, &peer);
		tern_dhcp6_put(&w, 18, "port-1", 6);
		tern_dhcp6_put(&w, 37, rid, sizeof(rid));
		tern_dhcp6_begin(&w, TERN_DHCP6_OPT_RELAY_MSG);
	}
	tern_dhcp6_write_header(&w, type, n & 0xffffff);
	tern_dhcp6_put(&w, TERN_DHCP6_OPT_CLIENTID, duid, sizeof(duid));
	if (type == TERN_DHCP6_REQUEST)
		tern_dhcp6_put(&w, TERN_DHCP6_OPT_SERVERID, sduid,
			       sizeof(sduid));
	tern_dhcp6_put_oro(&w, oro, relayed ? 4 : 2);
	tern_dhcp6_put(&w, TERN_DHCP6_OPT_VENDOR_CLASS, vc, sizeof(vc));
	tern_dhcp6_begin_ia(&w, TERN_DHCP6_OPT_IA_NA, 1, 0, 0);
	if (addr) {
		tern_dhcp6_begin_iaaddr(&w, addr, 0, 0);
		tern_dhcp6_end(&w);
	}
	tern_dhcp6_end(&w);
	if (relayed)
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

/* The address of the ADVERTISE's first IA_NA (inside the relay levels). */
static bool advertised(const uint8_t *rep, size_t len, struct in6_addr *ret)
{
	struct tern_dhcp6_msg m;
	struct tern_dhcp6_ia ia;
	struct tern_dhcp6_iaaddr a;
	const uint8_t *v;
	int n;

	if (tern_dhcp6_unwrap(rep, len, NULL, 0, &m) < 0 || m.type != 2)
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

/* Whether the REPLY (inside its relay levels) carries option code. */
static bool has_option(const uint8_t *rep, size_t len, uint16_t code)
{
	struct tern_dhcp6_msg m;
	const uint8_t *v;

	return tern_dhcp6_unwrap(rep, len, NULL, 0, &m) >= 0 &&
	       tern_dhcp6_msg_find(&m, code, &v) >= 0;
}

/* ns per exchange pair for n clients with the configuration, or < 0.
 * relayed: the clients are behind one relay; want: an option code every
 * REPLY must carry (0: none), so that a run whose classes do nothing
 * fails instead of measuring nothing. */
static double run(const char *text, uint32_t n, bool relayed, uint16_t want)
{
	static uint8_t req[512], rep[2048];
	static struct ternd_change6 ch[4];
	static struct ternd_diags diags;
	struct ternd_config *cfg = NULL;
	struct ternd_engine6 *e = NULL;
	struct ternd_rx6 rx = {.ifindex = 2,
			       .ifname = "eth0",
			       .multicast = !relayed,
			       .src_port = relayed ? 547 : 546,
			       .now = 1700000000};
	double t_build = 0, t0, r = -1;

	rx.src.s6_addr[0] = relayed ? 0x20 : 0xfe;
	rx.src.s6_addr[1] = relayed ? 0x01 : 0x80;
	rx.src.s6_addr[2] = relayed ? 0x0d : 0;
	rx.src.s6_addr[3] = relayed ? 0xb8 : 0;
	rx.src.s6_addr[15] = 1;
	if (ternd_config_load_buf(text, strlen(text), &cfg, &diags) < 0) {
		ternd_diags_print(stderr, "bench configuration", &diags);
		goto out;
	}
	if (ternd_engine6_new(cfg, n, sduid, sizeof(sduid), &e) < 0)
		goto out;
	t0 = now_s();
	for (uint32_t i = 0; i < n; i++) {
		struct ternd_tx6 tx;
		struct in6_addr a;
		size_t len, k;
		double b0 = now_s();

		/* Building and reading the messages is the client's work:
		 * timed apart. */
		len = build(req, sizeof(req), TERN_DHCP6_SOLICIT, i, NULL,
			    relayed);
		t_build += now_s() - b0;
		if (ternd_engine6_handle(e, &rx, req, len, rep, sizeof(rep),
					 &tx, ch, 4, &k) != 1)
			goto out;
		b0 = now_s();
		if (!advertised(rep, tx.len, &a))
			goto out;
		len = build(req, sizeof(req), TERN_DHCP6_REQUEST, i, &a,
			    relayed);
		t_build += now_s() - b0;
		if (ternd_engine6_handle(e, &rx, req, len, rep, sizeof(rep),
					 &tx, ch, 4, &k) != 1 ||
		    k != 1 || (want && !has_option(rep, tx.len, want)))
			goto out;
	}
	r = (now_s() - t0 - t_build) * 1e9 / (double)n;
out:
	ternd_engine6_free(e);
	ternd_config_free(cfg);
	return r;
}

static int report(const char *what, const char *text, uint32_t n, bool relayed,
		  uint16_t want, double *ret)
{
	*ret = run(text, n, relayed, want);
	if (*ret < 0) {
		fprintf(stderr, "bench_engine6: the %s run failed\n", what);
		return -1;
	}
	printf("engine6 %s: %u clients, %.0f ns per SOLICIT+REQUEST\n", what, n,
	       *ret);
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode =
		argc > 1 && argv[argc - 1][0] == '-' ? argv[argc - 1] : "";
	bool classes = strcmp(mode, "--classes") == 0;
	bool only = strcmp(mode, "--classes-only") == 0;
	bool expr = strcmp(mode, "--expr") == 0;
	bool expr_only = strcmp(mode, "--expr-only") == 0;
	bool relayed_only = strcmp(mode, "--relayed-only") == 0;
	uint32_t n = argc > 1 + (*mode != 0) ? (uint32_t)atol(argv[1]) : 200000;
	double a = -1, b = -1;

	if (n == 0 || n > MAX_CLIENTS ||
	    (*mode && !classes && !only && !expr && !expr_only &&
	     !relayed_only)) {
		fprintf(stderr, "usage: bench_engine6 [CLIENTS <= 1000000] "
				"[--classes | --classes-only | --expr | "
				"--expr-only | --relayed-only]\n");
		return 1;
	}
	if (relayed_only)
		return report("relayed", cfg_relayed_text, n, true, 0, &a) < 0;
	if (expr || expr_only) {
		/* Option 31 (sntp-servers) comes from class "acme" only. */
		if ((expr &&
		     report("relayed", cfg_relayed_text, n, true, 0, &a) < 0) ||
		    report("--expr", cfg_expr_text, n, true, 31, &b) < 0)
			return 1;
		if (expr)
			printf("ratio: %.2f\n", b / a);
		return 0;
	}
	if ((!only && report("plain", cfg_text, n, false, 0, &a) < 0) ||
	    ((classes || only) &&
	     report("--classes", cfg_classes_text, n, false, 0, &b) < 0))
		return 1;
	if (classes)
		printf("ratio: %.2f\n", b / a);
	return 0;
}
