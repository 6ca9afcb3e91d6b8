/* Unit tests for store-extended-info (Kea 2.2): the relay agent
 * information of the query kept with the lease, as Kea keeps it in the
 * lease's user-context (Kea-2.2.0 AllocEngine::updateLease4ExtendedInfo,
 * Option::toHexString), and what it does to lease reuse. */
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

#define RELAY IP(192, 0, 2, 2)

struct pk {
	uint8_t type;
	uint8_t mac;
	const char *host;   /* option 12 */
	const uint8_t *rai; /* option 82 data, added last */
	size_t rai_len;
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
	if (p->rai)
		tern_dhcp4_put(&w, TERN_DHCP4_OPT_RAI, p->rai, p->rai_len);
	memset(&h, 0, sizeof(h));
	h.op = TERN_DHCP4_BOOTREQUEST;
	h.htype = 1;
	h.hlen = 6;
	h.xid = 0x7000u + p->mac;
	h.ciaddr = ina(p->ciaddr);
	h.giaddr = ina(RELAY);
	h.hops = 1;
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
	rx.src_addr = RELAY;
	rx.dst_addr = IF_ADDR;
	rx.now = T0 + p->at;
	o->rc = ternd_engine_handle(eng, &rx, &tx, o->ch, 8, &o->n);
	if (o->rc > 0)
		assert_true(tern_dhcp4_parse(&o->m, o->buf, tx.len) >= 0);
	return o->rc;
}

/* DISCOVER and REQUEST at T0: the lease, bound for its full time. */
static const uint8_t *bind_rai;
static size_t bind_rai_len;
static struct ternd_lease bound; /* the lease the ACK wrote */

static uint32_t bind_at_t0(uint8_t mac, const char *host, uint32_t valid)
{
	struct pk p = {.type = TERN_DHCP4_DISCOVER,
		       .mac = mac,
		       .host = host,
		       .rai = bind_rai,
		       .rai_len = bind_rai_len};
	struct out o;

	assert_int_equal(run(&p, &o), TERN_DHCP4_OFFER);
	p.type = TERN_DHCP4_REQUEST;
	p.reqip = ntohl(o.m.hdr.yiaddr.s_addr);
	p.sid = IF_ADDR;
	assert_int_equal(run(&p, &o), TERN_DHCP4_ACK);
	assert_int_equal(u32(&o, TERN_DHCP4_OPT_LEASE_TIME), valid);
	assert_int_equal(o.n, 1);
	assert_int_equal(o.ch[0].op, TERND_CHANGE_UPSERT);
	bound = o.ch[0].lease;
	return p.reqip;
}

/* A RENEWING REQUEST at T0 + at: the lifetime sent, the changes made. */
static uint32_t renew(uint8_t mac, uint32_t addr, const uint8_t *rai,
		      size_t rai_len, int64_t at, size_t *ret_n, struct out *o)
{
	struct pk p = {.type = TERN_DHCP4_REQUEST,
		       .mac = mac,
		       .rai = rai,
		       .rai_len = rai_len,
		       .ciaddr = addr,
		       .at = at};

	assert_int_equal(run(&p, o), TERN_DHCP4_ACK);
	assert_int_equal(ntohl(o->m.hdr.yiaddr.s_addr), addr);
	*ret_n = o->n;
	return u32(o, TERN_DHCP4_OPT_LEASE_TIME);
}

#define CFG(glob, sub)                                                      \
	"{\"Dhcp4\": {\"interfaces-config\": {\"interfaces\": [\"eth0\"]}," \
	"\n\"valid-lifetime\": 1000, " glob                                 \
	"\"subnet4\": [{\"id\": 1, \"subnet\": \"192.0.2.0/24\", " sub      \
	"\"pools\": [{\"pool\": \"192.0.2.100 - 192.0.2.199\"}]}]}}"

/* Remote id (2) before circuit id (1), as some relays send them. */
static const uint8_t rai_a[] = {2, 3, 'r', 'e', 'm', 1, 2, 0xab, 0xcd};
static const uint8_t rai_b[] = {1, 2, 0xab, 0xce};

static const char *ctx_of(const struct ternd_lease *l)
{
	static char buf[TERND_LEASE_CTX_MAX];

	assert_true(ternd_lease_user_context(l, buf, sizeof(buf)) >= 0);
	return buf;
}

static void test_stored(void **state)
{
	struct out o;
	uint32_t a;
	size_t n;

	(void)state;
	load(CFG("", "\"store-extended-info\": true, "));
	bind_rai = rai_a;
	bind_rai_len = sizeof(rai_a);
	a = bind_at_t0(1, NULL, 1000);
	/* Kea packs the sub-options again in code order. */
	assert_int_equal(bound.rai_len, sizeof(rai_a));
	assert_memory_equal(bound.rai, "\x01\x02\xab\xcd\x02\x03rem", 9);
	assert_string_equal(ctx_of(&bound),
			    "{ \"ISC\": { \"relay-agent-info\": "
			    "\"0x0102ABCD020372656D\" } }");
	/* A renewal without option 82 keeps it; one with another 82
	 * replaces it. */
	assert_int_equal(renew(1, a, NULL, 0, 10, &n, &o), 1000);
	assert_int_equal(n, 1);
	assert_int_equal(o.ch[0].lease.rai_len, sizeof(rai_a));
	assert_int_equal(renew(1, a, rai_b, sizeof(rai_b), 20, &n, &o), 1000);
	assert_int_equal(n, 1);
	assert_string_equal(ctx_of(&o.ch[0].lease),
			    "{ \"ISC\": { \"relay-agent-info\": "
			    "\"0x0102ABCE\" } }");
	teardown(NULL);
}

static void test_off(void **state)
{
	(void)state;
	/* Kea's default: nothing kept; the user-context is empty. */
	load(CFG("", ""));
	bind_rai = rai_a;
	bind_rai_len = sizeof(rai_a);
	bind_at_t0(1, NULL, 1000);
	assert_int_equal(bound.rai_len, 0);
	assert_string_equal(ctx_of(&bound), "");
	teardown(NULL);
	/* Global, inherited. */
	load(CFG("\"store-extended-info\": true, ", ""));
	bind_at_t0(1, NULL, 1000);
	assert_int_equal(bound.rai_len, sizeof(rai_a));
	teardown(NULL);
}

static void test_reuse(void **state)
{
	struct out o;
	uint32_t a;
	size_t n;

	(void)state;
	load(CFG("\"cache-threshold\": 0.5, ",
		 "\"store-extended-info\": true, "));
	bind_rai = rai_a;
	bind_rai_len = sizeof(rai_a);
	a = bind_at_t0(1, NULL, 1000);
	/* The same relay agent information: reused. */
	assert_int_equal(renew(1, a, rai_a, sizeof(rai_a), 100, &n, &o), 900);
	assert_int_equal(n, 0);
	/* Other relay agent information is a change: written in full. */
	assert_int_equal(renew(1, a, rai_b, sizeof(rai_b), 200, &n, &o), 1000);
	assert_int_equal(n, 1);
	assert_int_equal(o.ch[0].lease.rai_len, sizeof(rai_b));
	teardown(NULL);
}

/* Kea deletes a released lease, and keeps an expired-reclaimed one. */
static void test_released(void **state)
{
	struct pk rel = {.type = TERN_DHCP4_RELEASE, .mac = 1, .sid = IF_ADDR};
	struct out o;
	uint32_t a;

	(void)state;
	load(CFG("", "\"store-extended-info\": true, "));
	bind_rai = rai_a;
	bind_rai_len = sizeof(rai_a);
	a = bind_at_t0(1, NULL, 1000);
	rel.ciaddr = a;
	run(&rel, &o);
	assert_int_equal(o.n, 1);
	bind_rai = NULL;
	bind_rai_len = 0;
	assert_int_equal(bind_at_t0(1, NULL, 1000), a);
	assert_int_equal(bound.rai_len, 0);
	teardown(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_stored, teardown),
		cmocka_unit_test_teardown(test_off, teardown),
		cmocka_unit_test_teardown(test_reuse, teardown),
		cmocka_unit_test_teardown(test_released, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
