/* Unit tests for lease reuse (Kea 2.2's cache-threshold and cache-max-age):
 * a client renewing a young lease gets it unchanged, with the lifetime it
 * has left and no store change (Kea-2.2.0 AllocEngine::setLeaseReusable,
 * Dhcpv4Srv::assignLease); the configuration's checks (parseCacheParams). */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <tern/dhcp4.h>

#include "server/config/config.h"
#include "server/engine4/engine.h"

#include "e4_fixture.h"

struct pk {
	uint8_t type;
	uint8_t mac;
	const char *host; /* option 12 */
	uint32_t ciaddr, reqip, sid;
	int64_t at; /* seconds after T0 */
};

static int run(const struct pk *p, struct out *o)
{
	static const uint8_t prl[] = {1, 3, 6};
	uint8_t pkt[1500];
	struct tern_dhcp4_writer w;
	struct tern_dhcp4_hdr h;
	struct ternd_tx tx = {.buf = o->buf, .cap = sizeof(o->buf)};
	struct ternd_rx rx = {0};
	int n;

	tern_dhcp4_writer_init(&w, pkt, sizeof(pkt), 0, 0);
	tern_dhcp4_put_msg_type(&w, p->type);
	if (p->host)
		tern_dhcp4_put(&w, TERN_DHCP4_OPT_HOST_NAME, p->host,
			       strlen(p->host));
	if (p->reqip)
		tern_dhcp4_put_addr(&w, TERN_DHCP4_OPT_REQUESTED_IP,
				    ina(p->reqip));
	if (p->sid)
		tern_dhcp4_put_addr(&w, TERN_DHCP4_OPT_SERVER_ID, ina(p->sid));
	tern_dhcp4_put(&w, TERN_DHCP4_OPT_PRL, prl, sizeof(prl));
	memset(&h, 0, sizeof(h));
	h.op = TERN_DHCP4_BOOTREQUEST;
	h.htype = 1;
	h.hlen = 6;
	h.xid = 0x5000u + p->mac;
	h.ciaddr = ina(p->ciaddr);
	h.chaddr[0] = 0x02;
	h.chaddr[5] = p->mac;
	tern_dhcp4_write_header(&w, &h);
	n = tern_dhcp4_writer_finish(&w, true);
	assert_true(n > 0);
	memset(o, 0, sizeof(*o));
	rx.buf = pkt;
	rx.len = (size_t)n;
	rx.ifindex = 2;
	rx.ifname = "eth0";
	rx.if_addr = IF_ADDR;
	rx.src_addr = p->ciaddr;
	rx.dst_addr = p->ciaddr ? IF_ADDR : 0xffffffffu;
	rx.now = T0 + p->at;
	o->rc = ternd_engine_handle(eng, &rx, &tx, o->ch, 8, &o->n);
	if (o->rc > 0)
		assert_true(tern_dhcp4_parse(&o->m, o->buf, tx.len) >= 0);
	return o->rc;
}

/* DISCOVER and REQUEST at T0: the lease, bound for its full time. */
static uint32_t bind_at_t0(uint8_t mac, const char *host, uint32_t valid)
{
	struct pk p = {.type = TERN_DHCP4_DISCOVER, .mac = mac, .host = host};
	struct out o;

	assert_int_equal(run(&p, &o), TERN_DHCP4_OFFER);
	p.type = TERN_DHCP4_REQUEST;
	p.reqip = ntohl(o.m.hdr.yiaddr.s_addr);
	p.sid = IF_ADDR;
	assert_int_equal(run(&p, &o), TERN_DHCP4_ACK);
	assert_int_equal(u32(&o, TERN_DHCP4_OPT_LEASE_TIME), valid);
	assert_int_equal(o.n, 1);
	assert_int_equal(o.ch[0].op, TERND_CHANGE_UPSERT);
	return p.reqip;
}

/* A RENEWING REQUEST at T0 + at: the lifetime sent, the changes made. */
static uint32_t renew(uint8_t mac, uint32_t addr, const char *host, int64_t at,
		      size_t *ret_n, struct out *o)
{
	struct pk p = {.type = TERN_DHCP4_REQUEST,
		       .mac = mac,
		       .host = host,
		       .ciaddr = addr,
		       .at = at};

	assert_int_equal(run(&p, o), TERN_DHCP4_ACK);
	assert_int_equal(ntohl(o->m.hdr.yiaddr.s_addr), addr);
	*ret_n = o->n;
	return u32(o, TERN_DHCP4_OPT_LEASE_TIME);
}

#define CFG(glob, net, sub)                                                 \
	"{\"Dhcp4\": {\"interfaces-config\": {\"interfaces\": [\"eth0\"]}," \
	"\n\"valid-lifetime\": 1000, " glob                                 \
	"\"shared-networks\": [{\"name\": \"n\", " net                      \
	"\"subnet4\": [{\"id\": 1, \"subnet\": \"192.0.2.0/24\", "          \
	"\"interface\": \"eth0\", " sub                                     \
	"\"pools\": [{\"pool\": \"192.0.2.100 - 192.0.2.199\"}]}]}]}}"

static void test_threshold(void **state)
{
	struct out o;
	uint32_t a;
	size_t n;

	(void)state;
	load(CFG("", "", "\"cache-threshold\": 0.25, "));
	a = bind_at_t0(1, NULL, 1000);
	/* Age 100 <= 1000 * 0.25: the lease as it is, 900 s left, nothing
	 * for the store. */
	assert_int_equal(renew(1, a, NULL, 100, &n, &o), 900);
	assert_int_equal(n, 0);
	/* Age 250 still is (Kea: reused unless age > max). */
	assert_int_equal(renew(1, a, NULL, 250, &n, &o), 750);
	assert_int_equal(n, 0);
	/* Age 251: renewed in full, written; the new cltt counts next. */
	assert_int_equal(renew(1, a, NULL, 251, &n, &o), 1000);
	assert_int_equal(n, 1);
	assert_int_equal(o.ch[0].op, TERND_CHANGE_UPSERT);
	assert_int_equal(o.ch[0].lease.cltt, T0 + 251);
	assert_int_equal(renew(1, a, NULL, 300, &n, &o), 951);
	assert_int_equal(n, 0);
	teardown(NULL);
}

static void test_max_age(void **state)
{
	struct out o;
	uint32_t a;
	size_t n;

	(void)state;
	/* Global cache-max-age, inherited through the network. */
	load(CFG("\"cache-max-age\": 200, ", "", ""));
	a = bind_at_t0(1, NULL, 1000);
	assert_int_equal(renew(1, a, NULL, 200, &n, &o), 800);
	assert_int_equal(n, 0);
	assert_int_equal(renew(1, a, NULL, 201, &n, &o), 1000);
	assert_int_equal(n, 1);
	teardown(NULL);

	/* Both: max-age bounds first, then the threshold decides. */
	load(CFG("\"cache-max-age\": 50, ", "\"cache-threshold\": 0.5, ", ""));
	a = bind_at_t0(1, NULL, 1000);
	assert_int_equal(renew(1, a, NULL, 40, &n, &o), 960);
	assert_int_equal(n, 0);
	assert_int_equal(renew(1, a, NULL, 140, &n, &o), 1000);
	assert_int_equal(n, 1);
	teardown(NULL);

	load(CFG("\"cache-max-age\": 500, ", "\"cache-threshold\": 0.1, ", ""));
	a = bind_at_t0(1, NULL, 1000);
	assert_int_equal(renew(1, a, NULL, 100, &n, &o), 900);
	assert_int_equal(renew(1, a, NULL, 101, &n, &o), 1000);
	assert_int_equal(n, 1);
	teardown(NULL);

	/* cache-max-age 0 turns reuse off, whatever the threshold. */
	load(CFG("", "\"cache-max-age\": 0, ", "\"cache-threshold\": 0.5, "));
	a = bind_at_t0(1, NULL, 1000);
	assert_int_equal(renew(1, a, NULL, 10, &n, &o), 1000);
	assert_int_equal(n, 1);
	teardown(NULL);
}

static void test_no_cache(void **state)
{
	struct out o;
	uint32_t a;
	size_t n;

	(void)state;
	/* Neither key: every renewal is written (Kea's default). */
	load(CFG("", "", ""));
	a = bind_at_t0(1, NULL, 1000);
	assert_int_equal(renew(1, a, NULL, 1, &n, &o), 1000);
	assert_int_equal(n, 1);
	teardown(NULL);

	/* Kea checks no global threshold; out of (0, 1] it only means no
	 * reuse. */
	load(CFG("\"cache-threshold\": 1.5, ", "", ""));
	a = bind_at_t0(1, NULL, 1000);
	assert_int_equal(renew(1, a, NULL, 1, &n, &o), 1000);
	assert_int_equal(n, 1);
	teardown(NULL);

	/* A global threshold of exactly 1: reused while unexpired. */
	load(CFG("\"cache-threshold\": 1.0, ", "", ""));
	a = bind_at_t0(1, NULL, 1000);
	assert_int_equal(renew(1, a, NULL, 999, &n, &o), 1);
	assert_int_equal(n, 0);
	teardown(NULL);
}

static void test_changed_not_reused(void **state)
{
	struct out o;
	uint32_t a;
	size_t n;

	(void)state;
	/* A new host name is a change (Kea's updateLease4Information). */
	load(CFG("\"ddns-qualifying-suffix\": \"example.org\", ", "",
		 "\"cache-threshold\": 0.5, "));
	a = bind_at_t0(1, "alpha", 1000);
	assert_int_equal(renew(1, a, "alpha", 100, &n, &o), 900);
	assert_int_equal(n, 0);
	assert_int_equal(renew(1, a, "beta", 200, &n, &o), 1000);
	assert_int_equal(n, 1);
	assert_string_equal(o.ch[0].lease.hostname, "beta.example.org");
	teardown(NULL);
}

static void test_offer_and_tee(void **state)
{
	struct pk p = {.type = TERN_DHCP4_DISCOVER, .mac = 1, .at = 100};
	struct out o;
	uint32_t a;
	size_t n;

	(void)state;
	load(CFG("\"calculate-tee-times\": true, ", "",
		 "\"cache-threshold\": 0.25, "));
	a = bind_at_t0(1, NULL, 1000);
	/* Kea renews the lease in its fake allocation: the OFFER too has
	 * what is left. */
	assert_int_equal(run(&p, &o), TERN_DHCP4_OFFER);
	assert_int_equal(ntohl(o.m.hdr.yiaddr.s_addr), a);
	assert_int_equal(u32(&o, TERN_DHCP4_OPT_LEASE_TIME), 900);
	assert_int_equal(o.n, 0);
	/* T1/T2 from the lifetime sent (setTeeTimes): 0.5 and 0.875. */
	assert_int_equal(renew(1, a, NULL, 100, &n, &o), 900);
	assert_int_equal(u32(&o, TERN_DHCP4_OPT_T1), 450);
	assert_int_equal(u32(&o, TERN_DHCP4_OPT_T2), 788);
	teardown(NULL);
}

/* The configuration: where each key is read and checked. */
static void test_config(void **state)
{
	struct ternd_config *c = NULL;
	struct ternd_diags d;
	const char *bad[] = {
		CFG("", "", "\"cache-threshold\": 1.0, "),
		CFG("", "\"cache-threshold\": 0.0, ", ""),
		CFG("", "", "\"cache-threshold\": 1, "),
		CFG("", "", "\"cache-max-age\": 1.5, "),
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&d, 0, sizeof(d));
		assert_int_equal(
			ternd_config_load_buf(bad[i], strlen(bad[i]), &c, &d),
			-EBADMSG);
	}
	memset(&d, 0, sizeof(d));
	assert_int_equal(
		ternd_config_load_buf(
			CFG("\"cache-threshold\": 0.0, ", "", ""),
			strlen(CFG("\"cache-threshold\": 0.0, ", "", "")), &c,
			&d),
		0);
	ternd_config_free(c);
	/* Kea takes a negative max-age as its uint32_t. */
	load(CFG("", "", "\"cache-max-age\": -1, "));
	assert_int_equal(cfg->subnets[0].params.cache_max_age, UINT32_MAX);
	teardown(NULL);
	load(CFG("\"cache-max-age\": 7, ", "\"cache-threshold\": 0.3, ", ""));
	assert_true(cfg->subnets[0].params.has_cache_threshold);
	assert_true(cfg->subnets[0].params.has_cache_max_age);
	assert_int_equal(cfg->subnets[0].params.cache_max_age, 7);
	assert_true(cfg->subnets[0].params.cache_threshold == 0.3);
	teardown(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_threshold, teardown),
		cmocka_unit_test_teardown(test_max_age, teardown),
		cmocka_unit_test_teardown(test_no_cache, teardown),
		cmocka_unit_test_teardown(test_changed_not_reused, teardown),
		cmocka_unit_test_teardown(test_offer_and_tee, teardown),
		cmocka_unit_test_teardown(test_config, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
