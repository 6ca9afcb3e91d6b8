/* Unit tests for the engine against kea-dhcp4 2.2's behaviour: T1/T2, the
 * lease time, echo-client-id, option 12, subnet selection, every kind of
 * reservation, shared networks, REQUEST verdicts. Expected values are what
 * Kea answers (its source: dhcp4_srv.cc, alloc_engine.cc, cfg_subnets4.cc). */
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
#define BCAST	0xffffffffu

struct fx {
	struct ternd_config *cfg;
	struct ternd_engine *e;
};

static struct fx fx;

static void load(const char *text)
{
	struct ternd_diags d;

	memset(&d, 0, sizeof(d));
	if (ternd_config_load_buf(text, strlen(text), &fx.cfg, &d) != 0) {
		ternd_diags_print(stderr, "test", &d);
		fail_msg("config does not load");
	}
	assert_int_equal(ternd_engine_new(fx.cfg, &fx.e), 0);
}

static int teardown(void **state)
{
	(void)state;
	ternd_engine_free(fx.e);
	ternd_config_free(fx.cfg);
	memset(&fx, 0, sizeof(fx));
	return 0;
}

/* ---- packets ------------------------------------------------------------ */

struct pk {
	uint8_t type;
	uint8_t mac;	  /* chaddr 02:00:00:00:00:mac */
	const char *host; /* option 12 */
	size_t host_len;  /* 0 = strlen */
	bool fqdn;	  /* option 81 */
	const uint8_t *cid;
	size_t cid_len;
	const uint8_t *rai;
	size_t rai_len;
	uint32_t giaddr, ciaddr, reqip, sid, sel118;
	bool has_lt;
	uint32_t lt;
	uint32_t src, dst; /* IP source and destination */
	const char *ifname;
};

struct out {
	int rc;
	uint8_t buf[1500];
	struct tern_dhcp4_msg m;
	struct ternd_change ch[8];
	size_t n;
};

static struct in_addr ina(uint32_t a)
{
	struct in_addr v = {htonl(a)};

	return v;
}

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
	tern_dhcp4_put_msg_type(&w, p->type ? p->type : TERN_DHCP4_DISCOVER);
	if (p->cid)
		tern_dhcp4_put(&w, TERN_DHCP4_OPT_CLIENT_ID, p->cid,
			       p->cid_len);
	if (p->host)
		tern_dhcp4_put(&w, TERN_DHCP4_OPT_HOST_NAME, p->host,
			       p->host_len ? p->host_len : strlen(p->host));
	if (p->fqdn)
		tern_dhcp4_put(&w, TERN_DHCP4_OPT_FQDN, "\0\0\0win", 6);
	if (p->reqip)
		tern_dhcp4_put_addr(&w, TERN_DHCP4_OPT_REQUESTED_IP,
				    ina(p->reqip));
	if (p->sid)
		tern_dhcp4_put_addr(&w, TERN_DHCP4_OPT_SERVER_ID, ina(p->sid));
	if (p->sel118)
		tern_dhcp4_put_addr(&w, TERN_DHCP4_OPT_SUBNET_SELECTION,
				    ina(p->sel118));
	if (p->has_lt)
		tern_dhcp4_put_u32(&w, TERN_DHCP4_OPT_LEASE_TIME, p->lt);
	tern_dhcp4_put(&w, TERN_DHCP4_OPT_PRL, prl, sizeof(prl));
	if (p->rai)
		tern_dhcp4_put(&w, TERN_DHCP4_OPT_RAI, p->rai, p->rai_len);
	memset(&h, 0, sizeof(h));
	h.op = TERN_DHCP4_BOOTREQUEST;
	h.htype = 1;
	h.hlen = 6;
	h.xid = 0x4000u + p->mac;
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
	rx.ifname = p->ifname ? p->ifname : "eth0";
	rx.if_addr = IF_ADDR;
	rx.src_addr = p->src;
	rx.dst_addr = p->dst;
	rx.now = 1700000000;
	o->rc = ternd_engine_handle(fx.e, &rx, &tx, o->ch, 8, &o->n);
	if (o->rc > 0)
		assert_true(tern_dhcp4_parse(&o->m, o->buf, tx.len) >= 0);
	return o->rc;
}

static uint32_t yiaddr(const struct out *o)
{
	return ntohl(o->m.hdr.yiaddr.s_addr);
}

static bool has(const struct out *o, uint8_t code)
{
	return tern_dhcp4_has_opt(&o->m, code);
}

static uint32_t u32(const struct out *o, uint8_t code)
{
	uint32_t v = 0;

	assert_int_equal(tern_dhcp4_get_u32(&o->m, code, &v), 0);
	return v;
}

/* Option 12 of the reply as a string, "" when absent. */
static const char *name12(const struct out *o)
{
	static char s[300];
	uint8_t scratch[300];
	const uint8_t *d;
	int n = tern_dhcp4_opt_get(&o->m, TERN_DHCP4_OPT_HOST_NAME, scratch,
				   sizeof(scratch), &d);

	if (n < 0)
		return "";
	memcpy(s, d, (size_t)n);
	s[n] = 0;
	return s;
}

/* DISCOVER then SELECTING; the ACK in *o. */
static uint32_t dora(struct pk p, struct out *o)
{
	p.type = TERN_DHCP4_DISCOVER;
	assert_int_equal(run(&p, o), TERN_DHCP4_OFFER);
	p.type = TERN_DHCP4_REQUEST;
	p.reqip = yiaddr(o);
	p.sid = IF_ADDR;
	assert_int_equal(run(&p, o), TERN_DHCP4_ACK);
	return yiaddr(o);
}

#define CFG(body)                                               \
	"{\"Dhcp4\": {\"interfaces-config\": {\"interfaces\": " \
	"[\"eth0\"]},\n" body "}}"
#define SUB1 \
	"{\"id\": 1, \"subnet\": \"192.0.2.0/24\", \"interface\": \"eth0\", "
#define POOL1 "\"pools\": [{\"pool\": \"192.0.2.100 - 192.0.2.199\"}]"

/* ---- T1/T2 and the lease time ------------------------------------------- */

static void tee_case(const char *params, uint32_t valid_asked, bool has_t1,
		     uint32_t t1, bool has_t2, uint32_t t2)
{
	char text[1024];
	struct pk p = {.mac = 1};
	struct out o;

	snprintf(text, sizeof(text),
		 CFG("\"valid-lifetime\": 1000, \"max-valid-lifetime\": 5000, "
		     "%s, \"subnet4\": [" SUB1 POOL1 "}]"),
		 params);
	load(text);
	if (valid_asked) {
		p.has_lt = true;
		p.lt = valid_asked;
	}
	assert_int_equal(run(&p, &o), TERN_DHCP4_OFFER);
	assert_int_equal(has(&o, TERN_DHCP4_OPT_T1), has_t1);
	assert_int_equal(has(&o, TERN_DHCP4_OPT_T2), has_t2);
	if (has_t1)
		assert_int_equal(u32(&o, TERN_DHCP4_OPT_T1), t1);
	if (has_t2)
		assert_int_equal(u32(&o, TERN_DHCP4_OPT_T2), t2);
	teardown(NULL);
}

static void test_tee_times(void **state)
{
	(void)state;
	/* Kea's default: calculate-tee-times false, no timers: none. */
	tee_case("\"t1-percent\": 0.5", 0, false, 0, false, 0);
	/* Calculated, rounded half away from zero: 0.5 * 1001 = 500.5. */
	tee_case("\"calculate-tee-times\": true", 1001, true, 501, true, 876);
	tee_case("\"calculate-tee-times\": true, \"t1-percent\": 0.25, "
		 "\"t2-percent\": 0.5",
		 0, true, 250, true, 500);
	/* A timer set wins over the percent; one alone goes alone. */
	tee_case("\"renew-timer\": 300", 0, true, 300, false, 0);
	tee_case("\"rebind-timer\": 800", 0, false, 0, true, 800);
	tee_case("\"renew-timer\": 300, \"calculate-tee-times\": true", 0, true,
		 300, true, 875);
	/* T2 not below the lease is left out; T1 then must be below the
	 * lease only. */
	tee_case("\"renew-timer\": 900, \"rebind-timer\": 1000", 0, true, 900,
		 false, 0);
	/* T1 not below a sent T2 is left out. */
	tee_case("\"renew-timer\": 800, \"calculate-tee-times\": true, "
		 "\"t2-percent\": 0.6",
		 0, false, 0, true, 600);
	/* A 0 timer is not sent. */
	tee_case("\"renew-timer\": 0, \"rebind-timer\": 0", 0, false, 0, false,
		 0);
}

static void test_lease_time(void **state)
{
	struct pk p = {.mac = 2, .has_lt = true};
	struct out o;

	(void)state;
	load(CFG("\"valid-lifetime\": 1000, \"min-valid-lifetime\": 500, "
		 "\"max-valid-lifetime\": 2000, \"subnet4\": [" SUB1 POOL1
		 "}]"));
	/* Option 51 of 0 means "no wish" (Kea's getValidLft). */
	p.lt = 0;
	assert_int_equal(run(&p, &o), TERN_DHCP4_OFFER);
	assert_int_equal(u32(&o, TERN_DHCP4_OPT_LEASE_TIME), 1000);
	p.lt = 100;
	assert_int_equal(run(&p, &o), TERN_DHCP4_OFFER);
	assert_int_equal(u32(&o, TERN_DHCP4_OPT_LEASE_TIME), 500);
	p.lt = 1500;
	assert_int_equal(run(&p, &o), TERN_DHCP4_OFFER);
	assert_int_equal(u32(&o, TERN_DHCP4_OPT_LEASE_TIME), 1500);
	p.lt = 99999;
	assert_int_equal(run(&p, &o), TERN_DHCP4_OFFER);
	assert_int_equal(u32(&o, TERN_DHCP4_OPT_LEASE_TIME), 2000);
	teardown(NULL);
}

static void test_echo_client_id(void **state)
{
	static const uint8_t cid[] = {1, 2, 0, 0, 0, 0, 3};
	struct pk p = {.mac = 3, .cid = cid, .cid_len = sizeof(cid)};
	struct out o;

	(void)state;
	load(CFG("\"subnet4\": [" SUB1 POOL1 "}]"));
	assert_int_equal(run(&p, &o), TERN_DHCP4_OFFER);
	assert_true(has(&o, TERN_DHCP4_OPT_CLIENT_ID));
	teardown(NULL);
	load(CFG("\"echo-client-id\": false, \"authoritative\": true, "
		 "\"subnet4\": [" SUB1 POOL1 "}]"));
	assert_int_equal(run(&p, &o), TERN_DHCP4_OFFER);
	assert_false(has(&o, TERN_DHCP4_OPT_CLIENT_ID));
	/* Nor in a NAK. */
	p.type = TERN_DHCP4_REQUEST;
	p.reqip = IP(192, 0, 2, 150);
	assert_int_equal(run(&p, &o), TERN_DHCP4_NAK);
	assert_false(has(&o, TERN_DHCP4_OPT_CLIENT_ID));
	teardown(NULL);
}

/* ---- option 12 ---------------------------------------------------------- */

static void test_host_name_echo(void **state)
{
	struct pk p = {.mac = 4};
	struct out o;

	(void)state;
	load(CFG("\"subnet4\": [" SUB1 POOL1 "}]"));
	/* Lower-cased, the default char set deleting what is not
	 * [A-Za-z0-9.-]; sent although 12 is not in the PRL. */
	p.host = "KD_Host-15";
	dora(p, &o);
	assert_string_equal(name12(&o), "kdhost-15");
	assert_string_equal(ternd_engine_lease(fx.e, yiaddr(&o))->hostname,
			    "kdhost-15");
	/* Several labels: as sent (lower-cased), not qualified. */
	p.host = "Laptop.Corp.Example";
	assert_int_equal(run(&p, &o), TERN_DHCP4_OFFER);
	assert_string_equal(name12(&o), "laptop.corp.example");
	/* Blanks around trimmed, trailing NULs cut. */
	p.host = " pc7\t\0\0";
	p.host_len = 7;
	assert_int_equal(run(&p, &o), TERN_DHCP4_OFFER);
	assert_string_equal(name12(&o), "pc7");
	p.host_len = 0;
	/* Not a DNS name: no answer, no lease name. */
	p.host = "a..b";
	assert_int_equal(run(&p, &o), TERN_DHCP4_OFFER);
	assert_false(has(&o, TERN_DHCP4_OPT_HOST_NAME));
	/* Nothing left after the char set: no option (Kea cannot send an
	 * empty one). */
	p.host = "___";
	assert_int_equal(run(&p, &o), TERN_DHCP4_OFFER);
	assert_false(has(&o, TERN_DHCP4_OPT_HOST_NAME));
	/* Option 81 wins: no 12 (the FQDN answer is DDNS's). */
	p.host = "pc8";
	p.fqdn = true;
	assert_int_equal(run(&p, &o), TERN_DHCP4_OFFER);
	assert_false(has(&o, TERN_DHCP4_OPT_HOST_NAME));
	p.fqdn = false;
	/* No 12 from the client: none back. */
	p.host = NULL;
	assert_int_equal(run(&p, &o), TERN_DHCP4_OFFER);
	assert_false(has(&o, TERN_DHCP4_OPT_HOST_NAME));
	/* INFORM: Kea does no name processing. */
	p.type = TERN_DHCP4_INFORM;
	p.host = "pc9";
	p.ciaddr = IP(192, 0, 2, 50);
	assert_int_equal(run(&p, &o), TERN_DHCP4_ACK);
	assert_false(has(&o, TERN_DHCP4_OPT_HOST_NAME));
	teardown(NULL);
}

static void test_host_name_knobs(void **state)
{
	struct pk p = {.mac = 5, .host = "Pc_1"};
	struct out o;

	(void)state;
	load(CFG("\"ddns-qualifying-suffix\": \"Example.ORG.\",\n"
		 "\"hostname-char-set\": \"[^a-z]+\",\n"
		 "\"hostname-char-replacement\": \"X\",\n"
		 "\"ddns-generated-prefix\": \"Gen\",\n"
		 "\"subnet4\": [" SUB1 POOL1 ",\n"
		 "\"reservations\": [{\"hw-address\": \"02:00:00:00:00:07\", "
		 "\"hostname\": \"Res-Host\"},\n"
		 "{\"hw-address\": \"02:00:00:00:00:08\", \"hostname\": "
		 "\"full.Example.ORG\"},\n"
		 "{\"hw-address\": \"02:00:00:00:00:06\", \"hostname\": "
		 "\"case.example.org\"}]},\n"
		 "{\"id\": 2, \"subnet\": \"10.0.0.0/24\", "
		 "\"ddns-replace-client-name\": \"when-present\", "
		 "\"pools\": [{\"pool\": \"10.0.0.10 - 10.0.0.20\"}]},\n"
		 "{\"id\": 3, \"subnet\": \"10.0.1.0/24\", "
		 "\"ddns-replace-client-name\": \"always\", "
		 "\"pools\": [{\"pool\": \"10.0.1.10 - 10.0.1.20\"}]}]"));
	/* Runs replaced by one (lower-cased) replacement; one label
	 * qualified, the suffix kept as written, no trailing dot. */
	assert_int_equal(run(&p, &o), TERN_DHCP4_OFFER);
	assert_string_equal(name12(&o), "xcx.Example.ORG");
	/* An escaped dot keeps one label (Kea counts labels as a DNS name
	 * in text): qualified; "\\065" is one escaped byte. */
	p.host = "a\\.b";
	assert_int_equal(run(&p, &o), TERN_DHCP4_OFFER);
	assert_string_equal(name12(&o), "axb.Example.ORG");
	p.host = "\\065bc";
	assert_int_equal(run(&p, &o), TERN_DHCP4_OFFER);
	assert_string_equal(name12(&o), "xbc.Example.ORG");
	p.host = "a\\0";
	assert_int_equal(run(&p, &o), TERN_DHCP4_OFFER);
	assert_false(has(&o, TERN_DHCP4_OPT_HOST_NAME));
	/* Several labels: not qualified (the dots are replaced here). */
	p.host = "a.example.ORG";
	assert_int_equal(run(&p, &o), TERN_DHCP4_OFFER);
	assert_string_equal(name12(&o), "axexamplex");
	/* A reserved name: qualified, then all lower-cased; sent without a
	 * client name. */
	p.mac = 7;
	p.host = NULL;
	assert_int_equal(run(&p, &o), TERN_DHCP4_OFFER);
	assert_string_equal(name12(&o), "res-host.example.org");
	/* Already ending with the suffix: not added twice; Kea compares
	 * the suffix case-sensitively. */
	p.mac = 8;
	assert_int_equal(run(&p, &o), TERN_DHCP4_OFFER);
	assert_string_equal(name12(&o), "full.example.org");
	p.mac = 6;
	assert_int_equal(run(&p, &o), TERN_DHCP4_OFFER);
	assert_string_equal(name12(&o), "case.example.org.example.org");
	/* when-present: a client's name is replaced by a generated one;
	 * without one, nothing. */
	p.mac = 9;
	p.host = "mine";
	p.giaddr = IP(10, 0, 0, 1);
	assert_int_equal(run(&p, &o), TERN_DHCP4_OFFER);
	assert_string_equal(name12(&o), "Gen-10-0-0-10.Example.ORG");
	p.host = NULL;
	assert_int_equal(run(&p, &o), TERN_DHCP4_OFFER);
	assert_false(has(&o, TERN_DHCP4_OPT_HOST_NAME));
	/* always: generated even without a client name. */
	p.giaddr = IP(10, 0, 1, 1);
	assert_int_equal(run(&p, &o), TERN_DHCP4_OFFER);
	assert_string_equal(name12(&o), "Gen-10-0-1-10.Example.ORG");
	/* A root-only name ("."): generated whatever the mode. */
	p.giaddr = 0;
	p.host = ".";
	assert_int_equal(run(&p, &o), TERN_DHCP4_OFFER);
	assert_string_equal(name12(&o), "Gen-192-0-2-104.Example.ORG");
	teardown(NULL);
}

/* ---- subnet selection ---------------------------------------------------- */

static void test_subnet_selection(void **state)
{
	static const uint8_t rai_link[] = {5, 4, 10, 3, 0, 0};
	struct pk p = {.mac = 10};
	struct out o;

	(void)state;
	load(CFG("\"subnet4\": [\n"
		 "{\"id\": 5, \"subnet\": \"10.5.0.0/24\", "
		 "\"relay\": {\"ip-addresses\": [\"10.9.0.1\"]},"
		 "\"pools\": [{\"pool\": \"10.5.0.10 - 10.5.0.20\"}]},\n"
		 "{\"id\": 2, \"subnet\": \"10.2.0.0/24\", "
		 "\"relay\": {\"ip-addresses\": [\"10.9.0.1\", "
		 "\"10.1.0.1\"]},"
		 "\"pools\": [{\"pool\": \"10.2.0.10 - 10.2.0.20\"}]},\n"
		 "{\"id\": 1, \"subnet\": \"10.1.0.0/24\", \"interface\": "
		 "\"eth1\", \"pools\": [{\"pool\": \"10.1.0.10 - "
		 "10.1.0.20\"}]},\n"
		 "{\"id\": 3, \"subnet\": \"10.3.0.0/24\", "
		 "\"pools\": [{\"pool\": \"10.3.0.10 - 10.3.0.20\"}]},\n"
		 "{\"id\": 4, \"subnet\": \"192.0.2.0/24\", "
		 "\"pools\": [{\"pool\": \"192.0.2.10 - 192.0.2.20\"}]}]"));
	/* A relay address two subnets list: the lower id (2), although 5
	 * comes first in the file. */
	p.giaddr = IP(10, 9, 0, 1);
	assert_int_equal(run(&p, &o), TERN_DHCP4_OFFER);
	assert_int_equal(yiaddr(&o) & 0xffffff00u, IP(10, 2, 0, 0));
	/* A relay match beats the subnet holding giaddr (10.1.0.0/24). */
	p.giaddr = IP(10, 1, 0, 1);
	assert_int_equal(run(&p, &o), TERN_DHCP4_OFFER);
	assert_int_equal(yiaddr(&o) & 0xffffff00u, IP(10, 2, 0, 0));
	/* No relay match: the subnet holding giaddr. */
	p.giaddr = IP(10, 3, 0, 77);
	assert_int_equal(run(&p, &o), TERN_DHCP4_OFFER);
	assert_int_equal(yiaddr(&o) & 0xffffff00u, IP(10, 3, 0, 0));
	/* Link selection (RFC 3527) and subnet selection (RFC 3011) come
	 * first; the first one wins. */
	p.rai = rai_link;
	p.rai_len = sizeof(rai_link);
	p.sel118 = IP(10, 1, 0, 0);
	assert_int_equal(run(&p, &o), TERN_DHCP4_OFFER);
	assert_int_equal(yiaddr(&o) & 0xffffff00u, IP(10, 3, 0, 0));
	p.rai = NULL;
	assert_int_equal(run(&p, &o), TERN_DHCP4_OFFER);
	assert_int_equal(yiaddr(&o) & 0xffffff00u, IP(10, 1, 0, 0));
	/* ...and only it: an address in no subnet selects none. */
	p.sel118 = IP(172, 16, 0, 1);
	assert_int_equal(run(&p, &o), -ENETUNREACH);
	p.sel118 = 0;
	/* Direct: ciaddr when not broadcast, then the source address;
	 * broadcast: the interface's subnet, else its address. */
	p.giaddr = 0;
	p.type = TERN_DHCP4_INFORM;
	p.ciaddr = IP(10, 3, 0, 50);
	p.dst = IF_ADDR;
	assert_int_equal(run(&p, &o), TERN_DHCP4_ACK);
	assert_int_equal(ntohl(o.m.hdr.ciaddr.s_addr), IP(10, 3, 0, 50));
	/* Kea's INFORM has no automatic mask (opts' option selection). */
	assert_false(has(&o, TERN_DHCP4_OPT_SUBNET_MASK));
	p.type = TERN_DHCP4_DISCOVER;
	p.ciaddr = 0;
	p.src = IP(10, 2, 0, 99);
	assert_int_equal(run(&p, &o), TERN_DHCP4_OFFER);
	assert_int_equal(yiaddr(&o) & 0xffffff00u, IP(10, 2, 0, 0));
	p.dst = BCAST;
	p.ifname = "eth1";
	assert_int_equal(run(&p, &o), TERN_DHCP4_OFFER);
	assert_int_equal(yiaddr(&o) & 0xffffff00u, IP(10, 1, 0, 0));
	p.ifname = "eth0";
	assert_int_equal(run(&p, &o), TERN_DHCP4_OFFER);
	assert_int_equal(yiaddr(&o) & 0xffffff00u, IP(192, 0, 2, 0));
	teardown(NULL);

	/* A subnet with relays of its own does not take its network's. */
	load(CFG("\"shared-networks\": [{\"name\": \"n\", \"relay\": "
		 "{\"ip-addresses\": [\"10.9.9.9\"]}, \"subnet4\": [\n"
		 "{\"id\": 1, \"subnet\": \"10.1.0.0/24\", \"relay\": "
		 "{\"ip-addresses\": [\"10.1.0.1\"]}, "
		 "\"pools\": [{\"pool\": \"10.1.0.10 - 10.1.0.20\"}]},\n"
		 "{\"id\": 2, \"subnet\": \"10.2.0.0/24\", "
		 "\"pools\": [{\"pool\": \"10.2.0.10 - 10.2.0.20\"}]}]}]"));
	p.ifname = NULL;
	p.giaddr = IP(10, 9, 9, 9);
	assert_int_equal(run(&p, &o), TERN_DHCP4_OFFER);
	assert_int_equal(yiaddr(&o) & 0xffffff00u, IP(10, 2, 0, 0));
	teardown(NULL);
}

/* ---- reservations -------------------------------------------------------- */

/* flex-id provider for the tests: the host name option's bytes. */
static int flex_from_12(void *ctx, const struct tern_dhcp4_msg *m, uint8_t *out,
			size_t cap)
{
	int n = tern_dhcp4_opt_copy(m, TERN_DHCP4_OPT_HOST_NAME, out, cap);

	(*(int *)ctx)++;
	return n < 0 ? 0 : n;
}

static void test_identifiers(void **state)
{
	/* RFC 4361: 255, IAID, DUID */
	static const uint8_t duid_cid[] = {255, 0, 0, 0, 1, 0, 3, 0, 1, 0xaa};
	static const uint8_t rai_circ[] = {1, 4, 'p', 'o', 'r', 't', 2, 1, 9};
	static const uint8_t cid[] = {1, 2, 0, 0, 0, 0, 0x21};
	struct pk p = {.mac = 0x20};
	struct out o;
	int flex_calls = 0;

	(void)state;
	load(CFG("\"host-reservation-identifiers\": [\"circuit-id\", "
		 "\"flex-id\", \"hw-address\", \"duid\", \"client-id\"],\n"
		 "\"subnet4\": [" SUB1 POOL1 ", \"reservations\": [\n"
		 "{\"hw-address\": \"02:00:00:00:00:20\", \"ip-address\": "
		 "\"192.0.2.20\"},\n"
		 "{\"duid\": \"00:03:00:01:aa\", \"ip-address\": "
		 "\"192.0.2.21\"},\n"
		 "{\"circuit-id\": \"'port'\", \"ip-address\": "
		 "\"192.0.2.22\"},\n"
		 "{\"client-id\": \"01:02:00:00:00:00:21\", \"ip-address\": "
		 "\"192.0.2.23\"},\n"
		 "{\"flex-id\": \"'flexy'\", \"ip-address\": "
		 "\"192.0.2.24\"}]}]"));
	assert_int_equal(run(&p, &o), TERN_DHCP4_OFFER);
	assert_int_equal(yiaddr(&o), IP(192, 0, 2, 20));
	/* The DUID inside a type-255 client-id. */
	p.mac = 0x30;
	p.cid = duid_cid;
	p.cid_len = sizeof(duid_cid);
	assert_int_equal(run(&p, &o), TERN_DHCP4_OFFER);
	assert_int_equal(yiaddr(&o), IP(192, 0, 2, 21));
	/* The whole client-id, type byte included. */
	p.mac = 0x31;
	p.cid = cid;
	p.cid_len = sizeof(cid);
	assert_int_equal(run(&p, &o), TERN_DHCP4_OFFER);
	assert_int_equal(yiaddr(&o), IP(192, 0, 2, 23));
	/* Circuit-id comes first in this order: it wins over the hw. */
	p.mac = 0x20;
	p.cid = NULL;
	p.giaddr = IP(192, 0, 2, 1);
	p.rai = rai_circ;
	p.rai_len = sizeof(rai_circ);
	assert_int_equal(run(&p, &o), TERN_DHCP4_OFFER);
	assert_int_equal(yiaddr(&o), IP(192, 0, 2, 22));
	/* flex-id matches only with a provider (the flex_id hook). */
	p.rai = NULL;
	p.mac = 0x32;
	p.host = "flexy";
	assert_int_equal(run(&p, &o), TERN_DHCP4_OFFER);
	assert_int_not_equal(yiaddr(&o), IP(192, 0, 2, 24));
	ternd_engine_set_flex_id(fx.e, flex_from_12, &flex_calls);
	assert_int_equal(run(&p, &o), TERN_DHCP4_OFFER);
	assert_int_equal(yiaddr(&o), IP(192, 0, 2, 24));
	assert_true(flex_calls > 0);
	teardown(NULL);
}

static void test_reservation_modes(void **state)
{
	struct pk p = {.mac = 0x40};
	struct out o;

	(void)state;
	load(CFG("\"reservations-global\": true, \"next-server\": "
		 "\"10.0.0.1\",\n"
		 "\"boot-file-name\": \"global.efi\",\n"
		 "\"reservations\": [\n"
		 "{\"hw-address\": \"02:00:00:00:00:40\", \"ip-address\": "
		 "\"192.0.2.60\", \"hostname\": \"g40\"},\n"
		 "{\"hw-address\": \"02:00:00:00:00:41\", \"ip-address\": "
		 "\"192.0.2.61\", \"hostname\": \"g41\", \"next-server\": "
		 "\"10.0.0.9\"}],\n"
		 "\"subnet4\": [" SUB1 POOL1 ", \"boot-file-name\": \"\",\n"
		 "\"reservations\": [{\"hw-address\": \"02:00:00:00:00:41\", "
		 "\"ip-address\": \"192.0.2.41\", \"boot-file-name\": "
		 "\"sub.efi\"},\n"
		 "{\"hw-address\": \"02:00:00:00:00:42\", \"ip-address\": "
		 "\"192.0.2.150\", \"hostname\": \"in-pool\"}]},\n"
		 "{\"id\": 2, \"subnet\": \"10.2.0.0/24\", "
		 "\"reservation-mode\": "
		 "\"disabled\", \"pools\": [{\"pool\": \"10.2.0.10 - "
		 "10.2.0.20\"}],\n"
		 "\"reservations\": [{\"hw-address\": \"02:00:00:00:00:40\", "
		 "\"ip-address\": \"10.2.0.5\"}]},\n"
		 "{\"id\": 3, \"subnet\": \"10.3.0.0/24\", "
		 "\"reservations-out-of-pool\": true, \"reservations-global\": "
		 "false, \"pools\": [{\"pool\": \"10.3.0.10 - 10.3.0.20\"}],\n"
		 "\"reservations\": [{\"hw-address\": \"02:00:00:00:00:42\", "
		 "\"ip-address\": \"10.3.0.15\", \"hostname\": \"oop\"}]}]"));
	/* A global reservation; fixed fields: subnet ("" inherits the
	 * global file), then reservation. */
	assert_int_equal(run(&p, &o), TERN_DHCP4_OFFER);
	assert_int_equal(yiaddr(&o), IP(192, 0, 2, 60));
	assert_string_equal(name12(&o), "g40");
	assert_int_equal(ntohl(o.m.hdr.siaddr.s_addr), IP(10, 0, 0, 1));
	assert_string_equal((const char *)o.m.hdr.file, "global.efi");
	/* Reserved in the subnet and globally: the subnet's reservation is
	 * the client's (Kea's currentHost), none of the global one's
	 * fields. */
	p.mac = 0x41;
	assert_int_equal(run(&p, &o), TERN_DHCP4_OFFER);
	assert_int_equal(yiaddr(&o), IP(192, 0, 2, 41));
	assert_false(has(&o, TERN_DHCP4_OPT_HOST_NAME));
	assert_int_equal(ntohl(o.m.hdr.siaddr.s_addr), IP(10, 0, 0, 1));
	assert_string_equal((const char *)o.m.hdr.file, "sub.efi");
	/* An in-pool address reserved for 0x42 is not given to others. */
	for (uint8_t m = 0x50; m < 0x50 + 100; m++) {
		p.mac = m;
		assert_int_equal(run(&p, &o), TERN_DHCP4_OFFER);
		assert_int_not_equal(yiaddr(&o), IP(192, 0, 2, 150));
	}
	/* Reservations disabled: none, not even the global one. */
	p.mac = 0x40;
	p.giaddr = IP(10, 2, 0, 1);
	assert_int_equal(run(&p, &o), TERN_DHCP4_OFFER);
	assert_int_equal(yiaddr(&o), IP(10, 2, 0, 10));
	assert_false(has(&o, TERN_DHCP4_OPT_HOST_NAME));
	/* Out of pool: an in-pool reserved address is not the host's (it
	 * gets a dynamic one) but the reservation's name is. */
	p.mac = 0x42;
	p.giaddr = IP(10, 3, 0, 1);
	assert_int_equal(run(&p, &o), TERN_DHCP4_OFFER);
	assert_int_not_equal(yiaddr(&o), IP(10, 3, 0, 15));
	assert_string_equal(name12(&o), "oop");
	teardown(NULL);
}

static void test_non_unique_reservations(void **state)
{
	struct pk p = {.mac = 0x60, .type = TERN_DHCP4_REQUEST};
	struct out o;

	(void)state;
	load(CFG("\"ip-reservations-unique\": false, \"authoritative\": true,\n"
		 "\"subnet4\": [" SUB1 POOL1 ", \"reservations\": [\n"
		 "{\"hw-address\": \"02:00:00:00:00:60\", \"ip-address\": "
		 "\"192.0.2.120\"},\n"
		 "{\"hw-address\": \"02:00:00:00:00:61\", \"ip-address\": "
		 "\"192.0.2.120\"}]}]"));
	/* Either host may have it; a third client may not. */
	p.reqip = IP(192, 0, 2, 120);
	p.sid = IF_ADDR;
	assert_int_equal(run(&p, &o), TERN_DHCP4_ACK);
	p.mac = 0x62;
	assert_int_equal(run(&p, &o), TERN_DHCP4_NAK);
	teardown(NULL);
}

/* ---- shared networks ----------------------------------------------------- */

static void test_shared_network(void **state)
{
	struct pk p = {.mac = 0x70, .giaddr = IP(10, 9, 9, 9)};
	struct out o;

	(void)state;
	load(CFG("\"shared-networks\": [{\"name\": \"n\", \"relay\": "
		 "{\"ip-addresses\": [\"10.9.9.9\"]},\n"
		 "\"option-data\": [{\"name\": \"domain-name\", \"data\": "
		 "\"net.example\"}],\n"
		 "\"subnet4\": [\n"
		 "{\"id\": 3, \"subnet\": \"10.3.0.0/24\", "
		 "\"pools\": [{\"pool\": \"10.3.0.10 - 10.3.0.10\"}],\n"
		 "\"reservations\": [{\"hw-address\": \"02:00:00:00:00:7f\", "
		 "\"ip-address\": \"10.3.0.5\", \"hostname\": \"r3\"}]},\n"
		 "{\"id\": 1, \"subnet\": \"10.1.0.0/24\", "
		 "\"pools\": [{\"pool\": \"10.1.0.10 - 10.1.0.11\"}]},\n"
		 "{\"id\": 2, \"subnet\": \"10.2.0.0/24\", "
		 "\"option-data\": [{\"name\": \"domain-name\", \"data\": "
		 "\"two.example\"}],\n"
		 "\"pools\": [{\"pool\": \"10.2.0.10 - 10.2.0.11\"}]}]}]"));
	/* Selected: id 1 (lowest id holding the network's relay). Its
	 * pool first, then on in id order. */
	assert_int_equal(dora(p, &o), IP(10, 1, 0, 10));
	p.mac++;
	assert_int_equal(dora(p, &o), IP(10, 1, 0, 11));
	p.mac++;
	assert_int_equal(dora(p, &o), IP(10, 2, 0, 10));
	/* The preferred member is now id 2 (most recent allocation). */
	p.mac++;
	assert_int_equal(dora(p, &o), IP(10, 2, 0, 11));
	/* Exhausted: wraps around to id 3. */
	p.mac++;
	assert_int_equal(dora(p, &o), IP(10, 3, 0, 10));
	/* A reservation in another member is found. */
	p.mac = 0x7f;
	assert_int_equal(dora(p, &o), IP(10, 3, 0, 5));
	assert_string_equal(name12(&o), "r3");
	teardown(NULL);
}

/* ---- REQUEST verdicts ---------------------------------------------------- */

static void test_request_verdicts(void **state)
{
	struct pk p = {.mac = 0x80, .type = TERN_DHCP4_REQUEST};
	struct out o;
	uint32_t a;

	(void)state;
	load(CFG("\"subnet4\": [" SUB1 POOL1 "},\n"
		 "{\"id\": 2, \"subnet\": \"10.2.0.0/24\", \"authoritative\": "
		 "true, \"pools\": [{\"pool\": \"10.2.0.10 - 10.2.0.20\"}]}]"));
	/* INIT-REBOOT from a client we do not know: silence unless
	 * authoritative, then NAK. */
	p.reqip = IP(192, 0, 2, 150);
	assert_int_equal(run(&p, &o), 0);
	p.giaddr = IP(10, 2, 0, 1);
	p.reqip = IP(10, 2, 0, 15);
	assert_int_equal(run(&p, &o), TERN_DHCP4_NAK);
	/* A known client with another address: NAK. */
	p.giaddr = 0;
	a = dora((struct pk){.mac = 0x80}, &o);
	p.reqip = a + 1;
	assert_int_equal(run(&p, &o), TERN_DHCP4_NAK);
	p.reqip = a;
	assert_int_equal(run(&p, &o), TERN_DHCP4_ACK);
	/* RENEWING an address in no pool: silence; a free pool address:
	 * the client moves there. */
	p.reqip = 0;
	p.ciaddr = IP(192, 0, 2, 30);
	p.dst = IF_ADDR;
	assert_int_equal(run(&p, &o), 0);
	p.ciaddr = IP(192, 0, 2, 180);
	assert_int_equal(run(&p, &o), TERN_DHCP4_ACK);
	assert_int_equal(yiaddr(&o), IP(192, 0, 2, 180));
	assert_null(ternd_engine_lease(fx.e, a));
	/* Another client's address: NAK. */
	p.mac = 0x81;
	assert_int_equal(run(&p, &o), TERN_DHCP4_NAK);
	/* Neither option 50 nor ciaddr: dropped (RFC 2131 §4.3.2; Kea
	 * would allocate, docs/kea-differences.md). */
	p.ciaddr = 0;
	assert_int_equal(run(&p, &o), -EBADMSG);
	assert_int_equal(ternd_engine_stats(fx.e)->leases_bound, 1);
	teardown(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tee_times),
		cmocka_unit_test(test_lease_time),
		cmocka_unit_test(test_echo_client_id),
		cmocka_unit_test(test_host_name_echo),
		cmocka_unit_test(test_host_name_knobs),
		cmocka_unit_test(test_subnet_selection),
		cmocka_unit_test(test_identifiers),
		cmocka_unit_test(test_reservation_modes),
		cmocka_unit_test(test_non_unique_reservations),
		cmocka_unit_test(test_shared_network),
		cmocka_unit_test(test_request_verdicts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
