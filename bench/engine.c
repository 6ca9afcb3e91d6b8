/* bench/engine: ns per DORA (DISCOVER+OFFER, REQUEST+ACK) through ternd's
 * engine alone, no sockets or store; --classes: the same with 20 client
 * classes, and the ratio. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <arpa/inet.h>

#include <tern/dhcp4.h>

#include "server/config/config.h"
#include "server/engine4/engine.h"

#define SUBNET                                                                \
	"\"subnet4\": [{\"id\": 1,"                                           \
	" \"subnet\": \"10.0.0.0/12\", \"interface\": \"eth0\","              \
	" \"pools\": [{\"pool\": \"10.0.0.10 - 10.15.255.250\"}],"            \
	" \"option-data\": [{\"name\": \"routers\", \"data\": \"10.0.0.1\"}," \
	" {\"name\": \"domain-name-servers\", \"data\": \"10.0.0.53\"}]"

static const char cfg_text[] =
	"{\"Dhcp4\": {\"valid-lifetime\": 3600, " SUBNET "}]}}";

/*
 * The same plus 20 classes of the kinds real configurations use (spec
 * 2.9): vendor-class substrings, option 82 matches, member(), a class with
 * options and boot fields, one on KNOWN, one required by the subnet.
 */
#define VC(name, len, text)                                              \
	"{\"name\": \"" name                                             \
	"\", \"test\": \"substring(option[60].hex,0," #len ") == '" text \
	"'\"},"
#define RAI(name, text) \
	"{\"name\": \"" name "\", \"test\": \"relay4[1].hex == '" text "'\"},"

static const char cfg_classes_text[] =
	"{\"Dhcp4\": {\"valid-lifetime\": 3600, \"client-classes\": ["
	"{\"name\": \"pxe\", \"test\": \"substring(option[60].hex,0,9) == "
	"'PXEClient'\", \"boot-file-name\": \"pxelinux.0\","
	" \"next-server\": \"10.0.0.5\"},"
	"{\"name\": \"msft\", \"test\": \"substring(option[60].hex,0,8) == "
	"'MSFT 5.0'\", \"option-data\": [{\"name\": \"domain-name\","
	" \"data\": \"win.example\"}]}," VC("docsis", 9, "docsis3.0") VC(
		"aastra", 6, "Aastra") VC("cisco", 5, "Cisco") VC("polycom", 7,
								  "Polycom")
		VC("yealink", 7, "Yealink") VC("android", 11, "android-dh") RAI(
			"port1", "port-1") RAI("port2", "port-2") RAI("port3",
								      "port-3")
			RAI("port4",
			    "port-4") "{\"name\": \"agent\", \"test\": "
				      "\"option[82].option[2].exists\"},"
				      "{\"name\": \"phones\", \"test\": "
				      "\"member('aastra') or "
				      "member('cisco') or member('polycom') or "
				      "member('yealink')\"},"
				      "{\"name\": \"pxe-agent\", \"test\": "
				      "\"member('pxe') and "
				      "member('agent')\"},"
				      "{\"name\": \"not-phone\", \"test\": "
				      "\"not member('phones')\"},"
				      "{\"name\": \"mac\", \"test\": "
				      "\"substring(pkt4.mac,0,1) == 0x04\"},"
				      "{\"name\": \"known\", \"test\": "
				      "\"member('KNOWN')\"},"
				      "{\"name\": \"req\", \"test\": "
				      "\"member('ALL')\","
				      " \"only-if-required\": true},"
				      "{\"name\": \"DROP\", \"test\": "
				      "\"pkt4.msgtype == 7\"}"
				      "], " SUBNET
				      ", \"require-client-classes\": "
				      "[\"req\"]}]}}";

/* A udhcpc-like request for client n. */
static size_t build(uint8_t *buf, size_t cap, uint8_t type, uint32_t n,
		    uint32_t reqip)
{
	static const uint8_t prl[] = {1, 3, 6, 12, 15, 28, 42};
	struct tern_dhcp4_writer w;
	struct tern_dhcp4_hdr h = {.op = 1, .htype = 1, .hlen = 6, .xid = n};
	struct in_addr a;

	h.chaddr[0] = 0x02;
	h.chaddr[2] = (uint8_t)(n >> 24);
	h.chaddr[3] = (uint8_t)(n >> 16);
	h.chaddr[4] = (uint8_t)(n >> 8);
	h.chaddr[5] = (uint8_t)n;
	tern_dhcp4_writer_init(&w, buf, cap, 0, 0);
	tern_dhcp4_put_msg_type(&w, type);
	tern_dhcp4_put_u16(&w, TERN_DHCP4_OPT_MAX_MSG_SIZE, 576);
	if (type == TERN_DHCP4_REQUEST) {
		a.s_addr = htonl(reqip);
		tern_dhcp4_put_addr(&w, TERN_DHCP4_OPT_REQUESTED_IP, a);
		a.s_addr = htonl(0x0a000001);
		tern_dhcp4_put_addr(&w, TERN_DHCP4_OPT_SERVER_ID, a);
	}
	tern_dhcp4_put(&w, TERN_DHCP4_OPT_PRL, prl, sizeof(prl));
	/* The probe's kinds of client: PXE, Windows, DOCSIS, plain, and
	 * every other one behind a relay agent's option 82. */
	if (n % 4 != 3) {
		static const char *const vc[] = {
			"PXEClient:Arch:00000:UNDI:002001", "MSFT 5.0",
			"docsis3.0:053D0101"};
		const char *v = vc[n % 4];

		tern_dhcp4_put(&w, TERN_DHCP4_OPT_VENDOR_CLASS,
			       (const uint8_t *)v, strlen(v));
	}
	if (n % 2) {
		static const uint8_t rai[] = {1,   6,	'p', 'o', 'r', 't',
					      '-', '3', 2,   2,	  'r', 'i'};

		tern_dhcp4_put(&w, TERN_DHCP4_OPT_RAI, rai, sizeof(rai));
	}
	tern_dhcp4_write_header(&w, &h);
	return (size_t)tern_dhcp4_writer_finish(&w, true);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ns per DORA for n clients with the configuration text, or < 0. */
static double run(const char *text, uint32_t n)
{
	static uint8_t req[600], rep[1500];
	struct ternd_change ch[8];
	struct ternd_config *cfg = NULL;
	struct ternd_engine *e = NULL;
	struct ternd_rx rx = {.ifindex = 2,
			      .ifname = "eth0",
			      .if_addr = 0x0a000001,
			      .now = 1700000000};
	double t_build = 0, t0, t1, r = -1;

	if (ternd_config_load_buf(text, strlen(text), &cfg, NULL) < 0 ||
	    ternd_engine_new(cfg, &e) < 0)
		goto out;
	rx.buf = req;
	t0 = now_s();
	for (uint32_t i = 0; i < n; i++) {
		struct ternd_tx tx = {.buf = rep, .cap = sizeof(rep)};
		double b0 = now_s();
		size_t k;

		/* Building the requests is the client's work: timed apart. */
		rx.len = build(req, sizeof(req), TERN_DHCP4_DISCOVER, i, 0);
		t_build += now_s() - b0;
		if (ternd_engine_handle(e, &rx, &tx, ch, 8, &k) !=
		    TERN_DHCP4_OFFER)
			goto out;
		b0 = now_s();
		{
			struct tern_dhcp4_msg m;

			tern_dhcp4_parse_header(&m, rep, tx.len);
			rx.len = build(req, sizeof(req), TERN_DHCP4_REQUEST, i,
				       ntohl(m.hdr.yiaddr.s_addr));
		}
		t_build += now_s() - b0;
		tx.len = 0;
		if (ternd_engine_handle(e, &rx, &tx, ch, 8, &k) !=
			    TERN_DHCP4_ACK ||
		    k != 1)
			goto out;
	}
	t1 = now_s();
	r = (t1 - t0 - t_build) * 1e9 / (double)n;
out:
	ternd_engine_free(e);
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

	if (n == 0 || n > 1000000 || (*mode && !classes && !only)) {
		fprintf(stderr, "usage: bench_engine [CLIENTS <= 1000000] "
				"[--classes | --classes-only]\n");
		return 1;
	}
	if (!classes) {
		/* --classes-only: the class configuration alone (for
		 * callgrind's instruction counts). */
		a = run(only ? cfg_classes_text : cfg_text, n);
		if (a < 0)
			return 1;
		printf("bench_engine%s: %u DORAs (pool of 1M, filling to %.0f "
		       "%%): %.2f us per DORA in the engine (request building "
		       "excluded)\n",
		       only ? " --classes-only" : "", n, 100.0 * n / 1048561.0,
		       a / 1e3);
		return 0;
	}
	/* Interleaved, best of five each: the machine is shared. */
	for (int i = 0; i < 5; i++) {
		double x = run(cfg_text, n), y = run(cfg_classes_text, n);

		if (x < 0 || y < 0)
			return 1;
		if (a < 0 || x < a)
			a = x;
		if (b < 0 || y < b)
			b = y;
	}
	printf("bench_engine --classes: %u DORAs, best of 5: %.0f ns per DORA "
	       "without classes, %.0f ns with 20 classes: %.2fx\n",
	       n, a, b, b / a);
	return 0;
}
