/* bench/engine: ns per DORA (DISCOVER+OFFER, REQUEST+ACK) through ternd's
 * engine alone, no sockets or store. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <arpa/inet.h>

#include <tern/dhcp4.h>

#include "server/config/config.h"
#include "server/engine4/engine.h"

static const char cfg_text[] =
	"{\"Dhcp4\": {\"valid-lifetime\": 3600, \"subnet4\": [{\"id\": 1,"
	" \"subnet\": \"10.0.0.0/12\", \"interface\": \"eth0\","
	" \"pools\": [{\"pool\": \"10.0.0.10 - 10.15.255.250\"}],"
	" \"option-data\": [{\"name\": \"routers\", \"data\": \"10.0.0.1\"},"
	" {\"name\": \"domain-name-servers\", \"data\": \"10.0.0.53\"}]}]}}";

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
	uint32_t n = argc > 1 ? (uint32_t)atol(argv[1]) : 200000;
	static uint8_t req[600], rep[1500];
	struct ternd_change ch[8];
	struct ternd_config *cfg = NULL;
	struct ternd_engine *e = NULL;
	struct ternd_rx rx = {.ifindex = 2,
			      .ifname = "eth0",
			      .if_addr = 0x0a000001,
			      .now = 1700000000};
	double t_build = 0, t0, t1;

	if (n == 0 || n > 1000000 ||
	    ternd_config_load_buf(cfg_text, strlen(cfg_text), &cfg, NULL) < 0 ||
	    ternd_engine_new(cfg, &e) < 0) {
		fprintf(stderr, "usage: bench_engine [CLIENTS <= 1000000]\n");
		return 1;
	}
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
			return 1;
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
			return 1;
	}
	t1 = now_s();
	printf("bench_engine: %u DORAs (pool of 1M, filling to %.0f %%): "
	       "%.2f us per DORA in the engine (request building excluded)\n",
	       n, 100.0 * n / 1048561.0, (t1 - t0 - t_build) * 1e6 / (double)n);
	ternd_engine_free(e);
	ternd_config_free(cfg);
	return 0;
}
