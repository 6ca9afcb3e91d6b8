/* Unit tests for the options a reply carries, as kea-dhcp4 2.2 chooses them:
 * requested and always-send codes through the precedence list, the basic
 * options, option 125, what option-data cannot replace. */
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

#define IP(a, b, c, d)                                                    \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | \
	 (uint32_t)(d))
#define IF_ADDR IP(192, 0, 2, 1)

static const char cfg_text[] =
	"{\"Dhcp4\": {\n"
	" \"valid-lifetime\": 4000, \"renew-timer\": 1000,\n"
	" \"authoritative\": true,\n"
	" \"rebind-timer\": 2000,\n"
	" \"option-def\": [{\"name\": \"vlanid\", \"code\": 2,\n"
	"   \"space\": \"vendor-339\", \"type\": \"uint32\"}],\n"
	" \"option-data\": [\n"
	"  {\"name\": \"ntp-servers\", \"data\": \"192.0.2.123\",\n"
	"   \"always-send\": true},\n"
	"  {\"name\": \"domain-name\", \"data\": \"example.org\"},\n"
	"  {\"name\": \"time-offset\", \"data\": \"60\"},\n"
	"  {\"name\": \"subnet-mask\", \"data\": \"255.0.0.0\"},\n"
	"  {\"name\": \"dhcp-lease-time\", \"data\": \"99\"},\n"
	"  {\"name\": \"vendor-encapsulated-options\"},\n"
	"  {\"code\": 1, \"space\": \"vendor-encapsulated-options-space\",\n"
	"   \"csv-format\": false, \"data\": \"0a0b\"},\n"
	"  {\"name\": \"vlanid\", \"space\": \"vendor-339\", \"data\": \"7\",\n"
	"   \"always-send\": true},\n"
	"  {\"name\": \"tftp-servers\", \"space\": \"vendor-4491\",\n"
	"   \"data\": \"192.0.2.69\"}],\n"
	" \"subnet4\": [\n"
	"  {\"id\": 1, \"subnet\": \"192.0.2.0/24\",\n"
	"   \"pools\": [{\"pool\": \"192.0.2.100 - 192.0.2.109\",\n"
	"     \"option-data\": [{\"name\": \"domain-name\",\n"
	"                       \"data\": \"pool.example\"}]},\n"
	"    {\"pool\": \"192.0.2.110 - 192.0.2.119\"}],\n"
	"   \"option-data\": [\n"
	"    {\"name\": \"routers\", \"data\": \"192.0.2.1\"},\n"
	"    {\"name\": \"ntp-servers\", \"data\": \"192.0.2.124\"},\n"
	"    {\"name\": \"time-offset\", \"never-send\": true},\n"
	"    {\"name\": \"dhcp-client-identifier\", \"data\": \"ff\",\n"
	"     \"always-send\": true}],\n"
	"   \"reservations\": [\n"
	"    {\"hw-address\": \"02:00:00:00:00:aa\",\n"
	"     \"ip-address\": \"192.0.2.10\",\n"
	"     \"option-data\": [{\"name\": \"domain-name\",\n"
	"                       \"data\": \"res.example\"}]}]},\n"
	"  {\"id\": 2, \"subnet\": \"198.51.100.0/24\",\n"
	"   \"relay\": {\"ip-addresses\": [\"198.51.100.1\"]},\n"
	"   \"pools\": [{\"pool\": \"198.51.100.10 - 198.51.100.20\"}],\n"
	"   \"option-data\": [\n"
	"    {\"name\": \"dhcp-server-identifier\",\n"
	"     \"data\": \"198.51.100.250\"},\n"
	"    {\"name\": \"domain-name-servers\", \"data\": "
	"\"198.51.100.53\"},\n"
	"    {\"name\": \"vivso-suboptions\", \"data\": \"4491\",\n"
	"     \"always-send\": true},\n"
	"    {\"name\": \"tftp-servers\", \"space\": \"vendor-4491\",\n"
	"     \"data\": \"198.51.100.69\", \"always-send\": true}]}]\n"
	"}}\n";

struct fx {
	struct ternd_config *cfg;
	struct ternd_engine *e;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct ternd_diags d;

	assert_non_null(f);
	memset(&d, 0, sizeof(d));
	if (ternd_config_load_buf(cfg_text, strlen(cfg_text), &f->cfg, &d)) {
		ternd_diags_print(stderr, "test", &d);
		fail_msg("config does not load");
	}
	assert_int_equal(ternd_engine_new(f->cfg, &f->e), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	ternd_engine_free(f->e);
	ternd_config_free(f->cfg);
	free(f);
	return 0;
}

/* ---- packets ------------------------------------------------------------- */

struct opt {
	uint8_t code;
	uint8_t len;
	const char *data;
};

struct pk {
	uint8_t type;
	uint8_t mac;
	uint32_t ciaddr, giaddr, reqip, sid;
	struct opt o[6]; /* ended by code 0 */
};

struct out {
	int rc;
	struct ternd_tx tx;
	uint8_t buf[1500];
	struct ternd_change ch[4];
	size_t n;
	struct tern_dhcp4_msg m;
};

static struct in_addr ina(uint32_t a)
{
	struct in_addr v = {htonl(a)};

	return v;
}

static int run(struct ternd_engine *e, const struct pk *p, struct out *o)
{
	uint8_t pkt[1024];
	struct tern_dhcp4_writer w;
	struct tern_dhcp4_hdr h;
	struct ternd_rx rx = {0};
	int n;

	tern_dhcp4_writer_init(&w, pkt, sizeof(pkt), 0, 0);
	tern_dhcp4_put_msg_type(&w, p->type);
	if (p->reqip)
		tern_dhcp4_put_addr(&w, TERN_DHCP4_OPT_REQUESTED_IP,
				    ina(p->reqip));
	if (p->sid)
		tern_dhcp4_put_addr(&w, TERN_DHCP4_OPT_SERVER_ID, ina(p->sid));
	for (size_t i = 0; i < 6 && p->o[i].code; i++)
		tern_dhcp4_put(&w, p->o[i].code, p->o[i].data, p->o[i].len);
	memset(&h, 0, sizeof(h));
	h.op = TERN_DHCP4_BOOTREQUEST;
	h.htype = 1;
	h.hlen = 6;
	h.xid = 0x2000u + p->mac;
	h.ciaddr = ina(p->ciaddr);
	h.giaddr = ina(p->giaddr);
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
	rx.src_port = 68;
	rx.now = 1700000000;
	o->tx.buf = o->buf;
	o->tx.cap = sizeof(o->buf);
	o->rc = ternd_engine_handle(e, &rx, &o->tx, o->ch, 4, &o->n);
	if (o->rc > 0)
		assert_true(tern_dhcp4_parse(&o->m, o->buf, o->tx.len) >= 0);
	return o->rc;
}

static bool has(const struct out *o, uint8_t code)
{
	return tern_dhcp4_has_opt(&o->m, code);
}

/* The option's value must be exactly these bytes. */
static void expect(const struct out *o, uint8_t code, const char *data,
		   size_t len)
{
	uint8_t buf[512];
	int n = tern_dhcp4_opt_copy(&o->m, code, buf, sizeof(buf));

	if (n != (int)len || memcmp(buf, data, len) != 0)
		fail_msg("option %u: length %d, wanted %zu", code, n, len);
}
#define EXPECT(o, code, bytes) expect(o, code, bytes, sizeof(bytes) - 1)

/* The option codes of the reply, in wire order, into v. */
static size_t codes(const struct out *o, uint8_t *v, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < o->m.n_opts && n < max; i++)
		v[n++] = o->m.opts[i].code;
	return n;
}

#define PRL(...)                                                         \
	{                                                                \
		TERN_DHCP4_OPT_PRL, sizeof((const char[]){__VA_ARGS__}), \
			(const char[])                                   \
		{                                                        \
			__VA_ARGS__                                      \
		}                                                        \
	}

/* ---- tests ------------------------------------------------------------- */

/* The client's list in its order, then always-send and basic ones by
 * code; each value from the first level that has it. */
static void test_requested_and_always(void **state)
{
	struct fx *f = *state;
	struct pk p = {.type = TERN_DHCP4_DISCOVER,
		       .mac = 1,
		       .o = {PRL(15, 3, 2, 42)}};
	uint8_t c[32];
	size_t n;
	struct out o;

	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_OFFER);
	assert_int_equal(ntohl(o.m.hdr.yiaddr.s_addr), IP(192, 0, 2, 100));
	/* 15 from the pool of the address, 3 from the subnet; 42 from the
	 * subnet although only the global one is always-send (sticky) */
	EXPECT(&o, 15, "pool.example");
	EXPECT(&o, 3, "\xc0\x00\x02\x01");
	EXPECT(&o, 42, "\xc0\x00\x02\x7c");
	/* never-send in the subnet cancels the global 2, requested or not */
	assert_false(has(&o, 2));
	/* always-send: the subnet's 61 value (no client-id to echo) */
	EXPECT(&o, 61, "\xff");
	/* 53 54 51 58 59 1, then 15 3 42 as asked, then 61 */
	n = codes(&o, c, sizeof(c));
	assert_int_equal(n, 10);
	assert_memory_equal(c, "\x35\x36\x33\x3a\x3b\x01\x0f\x03\x2a\x3d", 10);
	/* no list at all: 3 and 15 still go (basic), 43 is not asked */
	memset(&p.o, 0, sizeof(p.o));
	p.mac = 2;
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_OFFER);
	EXPECT(&o, 3, "\xc0\x00\x02\x01");
	EXPECT(&o, 15, "pool.example");
	EXPECT(&o, 42, "\xc0\x00\x02\x7c");
	assert_false(has(&o, 6));
	assert_false(has(&o, 43));
	assert_false(has(&o, 125)); /* nothing to say: no client 125 */
}

/* The reservation's options come first; 43 holds its space's options. */
static void test_reservation_and_43(void **state)
{
	struct fx *f = *state;
	struct pk p = {
		.type = TERN_DHCP4_DISCOVER, .mac = 0xaa, .o = {PRL(15, 43)}};
	struct out o;

	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_OFFER);
	assert_int_equal(ntohl(o.m.hdr.yiaddr.s_addr), IP(192, 0, 2, 10));
	EXPECT(&o, 15, "res.example");
	EXPECT(&o, 43, "\x01\x02\x0a\x0b");
}

/* What the reply holds already is not replaced: the subnet's mask and the
 * lease time; an INFORM has none of them, so configured values go. */
static void test_server_owned(void **state)
{
	struct fx *f = *state;
	struct pk p = {.type = TERN_DHCP4_DISCOVER,
		       .mac = 3,
		       .o = {PRL(1, 51, 61),
			     {TERN_DHCP4_OPT_CLIENT_ID, 3, "\x01\x02\x03"},
			     {TERN_DHCP4_OPT_SUBNET_SELECTION, 4,
			      "\xc0\x00\x02\x00"}}};
	struct out o;

	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_OFFER);
	EXPECT(&o, 1, "\xff\xff\xff\x00");
	EXPECT(&o, 51, "\x00\x00\x0f\xa0");
	EXPECT(&o, 61, "\x01\x02\x03");	     /* the echo, not option-data's */
	EXPECT(&o, 118, "\xc0\x00\x02\x00"); /* RFC 3011: echoed */
	p.type = TERN_DHCP4_INFORM;
	p.ciaddr = IP(192, 0, 2, 50);
	memset(&p.o[1], 0, sizeof(p.o[1]) * 2);
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_ACK);
	EXPECT(&o, 1, "\xff\x00\x00\x00");
	EXPECT(&o, 51, "\x00\x00\x00\x63");
	EXPECT(&o, 15, "example.org"); /* no pool: yiaddr is 0 */
	/* an INFORM without 1 in its list gets no mask */
	p.o[0] = (struct opt)PRL(3);
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_ACK);
	assert_false(has(&o, 1));
}

/* A configured 54 is the server identifier; REQUESTs naming it are ours. */
static void test_configured_server_id(void **state)
{
	struct fx *f = *state;
	struct pk p = {.type = TERN_DHCP4_DISCOVER,
		       .mac = 4,
		       .giaddr = IP(198, 51, 100, 1),
		       .o = {PRL(1)}};
	struct out o;
	uint32_t a;

	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_OFFER);
	EXPECT(&o, 54, "\xc6\x33\x64\xfa");
	EXPECT(&o, 6, "\xc6\x33\x64\x35"); /* basic, not requested */
	a = ntohl(o.m.hdr.yiaddr.s_addr);
	p.type = TERN_DHCP4_REQUEST;
	p.reqip = a;
	p.sid = IP(198, 51, 100, 250);
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_ACK);
	EXPECT(&o, 54, "\xc6\x33\x64\xfa");
	/* another server's identifier still is not: silence */
	p.sid = IP(198, 51, 100, 251);
	p.mac = 5;
	assert_int_equal(run(f->e, &p, &o), 0);
	assert_int_equal(ternd_engine_stats(f->e)->drops[TERND_DROP_NOT_OURS],
			 1);
}

/* 125: the client's DOCSIS ORO and the vendor's always-send options. */
static void test_vivso(void **state)
{
	struct fx *f = *state;
	struct pk p = {.type = TERN_DHCP4_DISCOVER,
		       .mac = 6,
		       .o = {PRL(1),
			     {TERN_DHCP4_OPT_VIVSO, 8,
			      "\x00\x00\x11\x8b\x03\x01\x01\x02"}}};
	struct out o;

	/* subnet 1: ORO asks for 2, found at the global level */
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_OFFER);
	EXPECT(&o, 125, "\x00\x00\x11\x8b\x06\x02\x04\xc0\x00\x02\x45");
	/* ORO asking for nothing configured: no 125 */
	p.o[1].data = "\x00\x00\x11\x8b\x03\x01\x01\x05";
	p.mac = 7;
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_OFFER);
	assert_false(has(&o, 125));
	/* vendor 339: its always-send vlanid, whatever the ORO */
	p.o[1].data = "\x00\x00\x01\x53\x03\x01\x01\x02";
	p.mac = 8;
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_OFFER);
	EXPECT(&o, 125, "\x00\x00\x01\x53\x06\x02\x04\x00\x00\x00\x07");
	/* subnet 2: the configured 125 (always-send) gets the always-send
	 * vendor option, no client 125 needed */
	memset(&p.o[1], 0, sizeof(p.o[1]));
	p.giaddr = IP(198, 51, 100, 1);
	p.mac = 9;
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_OFFER);
	EXPECT(&o, 125, "\x00\x00\x11\x8b\x06\x02\x04\xc6\x33\x64\x45");
}

/* A NAK is 53 and 54 with the echoes, as Kea: no 56, no options. */
static void test_nak(void **state)
{
	struct fx *f = *state;
	struct pk p = {.type = TERN_DHCP4_REQUEST,
		       .mac = 10,
		       .reqip = IP(192, 0, 2, 250),
		       .o = {PRL(3, 15, 42),
			     {TERN_DHCP4_OPT_SUBNET_SELECTION, 4,
			      "\xc0\x00\x02\x00"}}};
	uint8_t c[8];
	struct out o;

	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_NAK);
	assert_int_equal(codes(&o, c, sizeof(c)), 3);
	assert_memory_equal(c, "\x35\x36\x76", 3);
	EXPECT(&o, 118, "\xc0\x00\x02\x00");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_requested_and_always,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_reservation_and_43, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_server_owned, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_configured_server_id,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_vivso, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nak, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
