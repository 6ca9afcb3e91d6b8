/* Unit tests for client classification in ternd's engine: the built-in
 * classes, Kea's order of passes, DROP, KNOWN/UNKNOWN, reserved and
 * required classes, client-class on subnets, networks and pools, and what
 * classes give (options, siaddr/sname/file, lifetimes) by precedence. */
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
#define RELAY1	IP(10, 0, 1, 1)
#define T0	1700000000

struct fx {
	struct ternd_config *cfg;
	struct ternd_engine *e;
};

static struct fx fx_new(const char *text)
{
	struct fx f = {0};
	struct ternd_diags d;

	memset(&d, 0, sizeof(d));
	if (ternd_config_load_buf(text, strlen(text), &f.cfg, &d) != 0) {
		ternd_diags_print(stderr, "test", &d);
		fail_msg("config does not load");
	}
	assert_int_equal(ternd_engine_new(f.cfg, &f.e), 0);
	return f;
}

static void fx_free(struct fx *f)
{
	ternd_engine_free(f->e);
	ternd_config_free(f->cfg);
}

/* ---- packets ------------------------------------------------------------ */

struct pk {
	uint8_t type;
	uint8_t mac; /* 02:00:00:00:00:xx */
	uint32_t giaddr;
	uint32_t reqip;
	uint32_t sid;
	uint32_t ciaddr;
	uint32_t lt;
	const char *vendor;  /* option 60 */
	const char *circuit; /* option 82 sub-option 1 */
	bool no_type;	     /* BOOTP: no option 53 */
};

static const uint8_t prl[] = {1, 3, 6, 15, 42, 66, 67};

static size_t build(const struct pk *p, uint8_t *buf, size_t cap)
{
	struct tern_dhcp4_writer w;
	struct tern_dhcp4_hdr h;
	int n;

	tern_dhcp4_writer_init(&w, buf, cap, 0, 0);
	if (!p->no_type)
		tern_dhcp4_put_msg_type(&w, p->type);
	if (p->reqip)
		tern_dhcp4_put_addr(&w, TERN_DHCP4_OPT_REQUESTED_IP,
				    (struct in_addr){htonl(p->reqip)});
	if (p->sid)
		tern_dhcp4_put_addr(&w, TERN_DHCP4_OPT_SERVER_ID,
				    (struct in_addr){htonl(p->sid)});
	if (p->lt)
		tern_dhcp4_put_u32(&w, TERN_DHCP4_OPT_LEASE_TIME, p->lt);
	if (p->vendor)
		tern_dhcp4_put(&w, TERN_DHCP4_OPT_VENDOR_CLASS,
			       (const uint8_t *)p->vendor, strlen(p->vendor));
	tern_dhcp4_put(&w, TERN_DHCP4_OPT_PRL, prl, sizeof(prl));
	if (p->circuit) {
		uint8_t rai[66];
		size_t l = strlen(p->circuit);

		rai[0] = 1;
		rai[1] = (uint8_t)l;
		memcpy(rai + 2, p->circuit, l);
		tern_dhcp4_put(&w, TERN_DHCP4_OPT_RAI, rai, l + 2);
	}
	memset(&h, 0, sizeof(h));
	h.op = TERN_DHCP4_BOOTREQUEST;
	h.htype = 1;
	h.hlen = 6;
	h.xid = 0x1000u + p->mac;
	h.ciaddr.s_addr = htonl(p->ciaddr);
	h.giaddr.s_addr = htonl(p->giaddr);
	h.chaddr[0] = 0x02;
	h.chaddr[5] = p->mac;
	tern_dhcp4_write_header(&w, &h);
	n = tern_dhcp4_writer_finish(&w, true);
	assert_true(n > 0);
	return (size_t)n;
}

struct out {
	int rc;
	struct ternd_tx tx;
	uint8_t buf[1500];
	struct ternd_change ch[8];
	size_t n;
	struct tern_dhcp4_msg m;
};

static int run(struct ternd_engine *e, const struct pk *p, struct out *o)
{
	uint8_t pkt[1500];
	struct ternd_rx rx = {0};

	memset(o, 0, sizeof(*o));
	rx.buf = pkt;
	rx.len = build(p, pkt, sizeof(pkt));
	rx.ifindex = 2;
	rx.ifname = "eth0";
	rx.if_addr = IF_ADDR;
	rx.src_port = 68;
	rx.now = T0;
	o->tx.buf = o->buf;
	o->tx.cap = sizeof(o->buf);
	o->rc = ternd_engine_handle(e, &rx, &o->tx, o->ch, 8, &o->n);
	if (o->rc > 0)
		assert_true(tern_dhcp4_parse(&o->m, o->buf, o->tx.len) >= 0);
	return o->rc;
}

static uint32_t yiaddr(const struct out *o)
{
	return ntohl(o->m.hdr.yiaddr.s_addr);
}

/* Option code's value as text ("" when absent). */
static const char *text(const struct out *o, uint8_t code)
{
	static char s[256];
	const uint8_t *d;
	int n = tern_dhcp4_opt_get(&o->m, code, (uint8_t *)s, sizeof(s), &d);

	if (n < 0)
		return "";
	memmove(s, d, (size_t)n);
	s[n] = 0;
	return s;
}

static uint32_t lease_time(const struct out *o)
{
	uint32_t v = 0;

	assert_int_equal(
		tern_dhcp4_get_u32(&o->m, TERN_DHCP4_OPT_LEASE_TIME, &v), 0);
	return v;
}

static uint64_t drops(const struct fx *f, enum ternd_drop why)
{
	return ternd_engine_stats(f->e)->drops[why];
}

/* DISCOVER, then REQUEST for what was offered; the ACK in o. */
static uint32_t dora(struct ternd_engine *e, struct pk p, struct out *o)
{
	uint32_t a;

	p.type = TERN_DHCP4_DISCOVER;
	assert_int_equal(run(e, &p, o), TERN_DHCP4_OFFER);
	a = yiaddr(o);
	p.type = TERN_DHCP4_REQUEST;
	p.reqip = a;
	p.sid = IF_ADDR;
	assert_int_equal(run(e, &p, o), TERN_DHCP4_ACK);
	assert_int_equal(yiaddr(o), a);
	return a;
}

#define CFG(classes, rest)                                                   \
	"{\"Dhcp4\": {\"valid-lifetime\": 3600,\n"                           \
	" \"option-data\": [{\"name\": \"domain-name\", \"data\": "          \
	"\"global\"},\n"                                                     \
	"   {\"name\": \"tftp-server-name\", \"data\": \"global-tftp\"}],\n" \
	" \"client-classes\": [" classes "],\n" rest "}}"

/* ---- built-ins ----------------------------------------------------------- */

static void test_builtins(void **state)
{
	struct fx f = fx_new(CFG(
		"{\"name\": \"ALL\", \"option-data\": [{\"name\": "
		"\"tftp-server-name\", \"data\": \"all\"}]},\n"
		"{\"name\": \"VENDOR_CLASS_MSFT 5.0\", \"option-data\": "
		"[{\"name\": \"domain-name\", \"data\": \"msft\"}]},\n"
		"{\"name\": \"vc\", \"test\": \"member('VENDOR_CLASS_PXE')\", "
		"\"boot-file-name\": \"pxe.0\"}",
		"\"subnet4\": [{\"id\": 1, \"subnet\": \"10.0.1.0/24\", "
		"\"pools\": [{\"pool\": \"10.0.1.10 - 10.0.1.99\"}]}]"));
	struct pk p = {.mac = 1, .giaddr = RELAY1};
	struct out o;

	(void)state;
	/* ALL: every packet; its options over the global ones. */
	dora(f.e, p, &o);
	assert_string_equal(text(&o, 66), "all");
	assert_string_equal(text(&o, 15), "global");
	assert_string_equal((const char *)o.m.hdr.file, "");
	/* VENDOR_CLASS_ + option 60, exactly. */
	p.mac = 2;
	p.vendor = "MSFT 5.0";
	dora(f.e, p, &o);
	assert_string_equal(text(&o, 15), "msft");
	p.mac = 3;
	p.vendor = "MSFT 5.01";
	dora(f.e, p, &o);
	assert_string_equal(text(&o, 15), "global");
	/* A name member() uses without defining it. */
	p.mac = 4;
	p.vendor = "PXE";
	dora(f.e, p, &o);
	assert_string_equal((const char *)o.m.hdr.file, "pxe.0");
	fx_free(&f);
}

/* ---- order of the passes ------------------------------------------------- */

static void test_pass_order(void **state)
{
	/* "kd" comes first in the file but depends on KNOWN: it is
	 * evaluated after the host lookup, so "p1" (first pass) was added
	 * before it and its domain-name wins. "chain" sees "p1" since it
	 * comes later in the same pass; "early" cannot see "p1". */
	struct fx f = fx_new(
		CFG("{\"name\": \"early\", \"test\": \"pkt4.msgtype == 1 or "
		    "pkt4.msgtype == 3\", \"option-data\": [{\"name\": "
		    "\"tftp-server-name\", \"data\": \"early\"}]},\n"
		    "{\"name\": \"kd\", \"test\": \"member('UNKNOWN')\", "
		    "\"option-data\": [{\"name\": \"domain-name\", \"data\": "
		    "\"kd\"}], \"server-hostname\": \"kd-host\"},\n"
		    "{\"name\": \"p1\", \"test\": \"member('early')\", "
		    "\"option-data\": [{\"name\": \"domain-name\", \"data\": "
		    "\"p1\"}]},\n"
		    "{\"name\": \"chain\", \"test\": \"member('p1') and "
		    "member('kd')\", \"boot-file-name\": \"chain\"}",
		    "\"subnet4\": [{\"id\": 1, \"subnet\": \"10.0.1.0/24\", "
		    "\"pools\": [{\"pool\": \"10.0.1.10 - 10.0.1.99\"}]}]"));
	struct pk p = {.mac = 1, .giaddr = RELAY1};
	struct out o;

	(void)state;
	dora(f.e, p, &o);
	assert_string_equal(text(&o, 15), "p1");
	assert_string_equal(text(&o, 66), "early");
	assert_string_equal((const char *)o.m.hdr.sname, "kd-host");
	/* chain depends on KNOWN through kd: second pass, after kd. */
	assert_string_equal((const char *)o.m.hdr.file, "chain");
	fx_free(&f);
}

/* ---- DROP ------------------------------------------------------------------
 */

static void test_drop(void **state)
{
	struct fx f = fx_new(CFG(
		"{\"name\": \"DROP\", \"test\": \"pkt4.msgtype == 7\"}",
		"\"subnet4\": [{\"id\": 1, \"subnet\": \"10.0.1.0/24\", "
		"\"pools\": [{\"pool\": \"10.0.1.10 - 10.0.1.99\"}],\n"
		" \"reservations\": [{\"hw-address\": \"02:00:00:00:00:09\", "
		"\"hostname\": \"nine\"}]}]"));
	struct pk p = {.mac = 1, .giaddr = RELAY1};
	struct out o;
	uint32_t a;

	(void)state;
	a = dora(f.e, p, &o);
	/* Kea's real-world use: releases ignored. The lease stays. */
	p.type = TERN_DHCP4_RELEASE;
	p.ciaddr = a;
	p.sid = IF_ADDR;
	assert_int_equal(run(f.e, &p, &o), -EACCES);
	assert_int_equal(o.n, 0);
	assert_int_equal(drops(&f, TERND_DROP_CLASS), 1);
	assert_int_equal(ternd_engine_lease(f.e, a)->state, TERND_LEASE_BOUND);
	fx_free(&f);
}

static void test_drop_known(void **state)
{
	/* DROP depending on KNOWN is evaluated after the host lookup (so
	 * never for a RELEASE, which Kea does not look up). */
	struct fx f = fx_new(CFG(
		"{\"name\": \"DROP\", \"test\": \"member('KNOWN')\"}",
		"\"subnet4\": [{\"id\": 1, \"subnet\": \"10.0.1.0/24\", "
		"\"pools\": [{\"pool\": \"10.0.1.10 - 10.0.1.99\"}],\n"
		" \"reservations\": [{\"hw-address\": \"02:00:00:00:00:09\", "
		"\"hostname\": \"nine\"}]}]"));
	struct pk p = {.type = TERN_DHCP4_DISCOVER, .mac = 9, .giaddr = RELAY1};
	struct out o;

	(void)state;
	assert_int_equal(run(f.e, &p, &o), -EACCES);
	assert_int_equal(drops(&f, TERND_DROP_CLASS), 1);
	p.mac = 8;
	assert_int_equal(run(f.e, &p, &o), TERN_DHCP4_OFFER);
	fx_free(&f);
}

/* ---- KNOWN / UNKNOWN, reserved classes ----------------------------------- */

static void test_known_unknown_pools(void **state)
{
	/* Kea's classify2.json: UNKNOWN and KNOWN pools in one subnet. */
	struct fx f = fx_new(CFG(
		"{\"name\": \"kn\", \"test\": \"member('KNOWN')\", "
		"\"server-hostname\": \"known-one\"}",
		"\"subnet4\": [{\"id\": 1, \"subnet\": \"10.0.0.0/16\",\n"
		" \"pools\": [{\"pool\": \"10.0.1.10 - 10.0.1.99\", "
		"\"client-class\": \"UNKNOWN\"},\n"
		"  {\"pool\": \"10.0.2.10 - 10.0.2.99\", \"client-class\": "
		"\"KNOWN\"}],\n"
		" \"reservations\": [{\"hw-address\": \"02:00:00:00:00:07\", "
		"\"hostname\": \"h7\"}]}]"));
	struct pk p = {.mac = 1, .giaddr = IP(10, 0, 0, 1)};
	struct out o;
	uint32_t a;

	(void)state;
	a = dora(f.e, p, &o);
	assert_true(a >= IP(10, 0, 1, 10) && a <= IP(10, 0, 1, 99));
	assert_string_equal((const char *)o.m.hdr.sname, "");
	p.mac = 7;
	a = dora(f.e, p, &o);
	assert_true(a >= IP(10, 0, 2, 10) && a <= IP(10, 0, 2, 99));
	assert_string_equal((const char *)o.m.hdr.sname, "known-one");
	/* An unknown client asking for a KNOWN pool address is refused. */
	p = (struct pk){.type = TERN_DHCP4_REQUEST,
			.mac = 2,
			.giaddr = IP(10, 0, 0, 1),
			.reqip = IP(10, 0, 2, 50),
			.sid = IF_ADDR};
	assert_int_equal(run(f.e, &p, &o), TERN_DHCP4_NAK);
	fx_free(&f);
}

static void test_reserved_classes(void **state)
{
	/* A subnet reservation outside shared networks: its classes join
	 * before the first pass is evaluated again, so "silver" (not gold)
	 * no longer matches. */
	struct fx f = fx_new(CFG(
		"{\"name\": \"gold\", \"next-server\": \"192.0.2.77\", "
		"\"option-data\": [{\"name\": \"domain-name\", \"data\": "
		"\"gold\"}]},\n"
		"{\"name\": \"silver\", \"test\": \"not member('gold')\", "
		"\"option-data\": [{\"name\": \"tftp-server-name\", \"data\": "
		"\"silver\"}]}",
		"\"subnet4\": [{\"id\": 1, \"subnet\": \"10.0.1.0/24\", "
		"\"pools\": [{\"pool\": \"10.0.1.10 - 10.0.1.99\"}],\n"
		" \"reservations\": [{\"hw-address\": \"02:00:00:00:00:05\", "
		"\"client-classes\": [\"gold\", \"undefined\"], "
		"\"server-hostname\": \"res-host\"}]}]"));
	struct pk p = {.mac = 1, .giaddr = RELAY1};
	struct out o;

	(void)state;
	dora(f.e, p, &o);
	assert_string_equal(text(&o, 66), "silver");
	assert_string_equal(text(&o, 15), "global");
	assert_int_equal(ntohl(o.m.hdr.siaddr.s_addr), 0);
	p.mac = 5;
	dora(f.e, p, &o);
	assert_string_equal(text(&o, 66), "global-tftp");
	assert_string_equal(text(&o, 15), "gold");
	assert_int_equal(ntohl(o.m.hdr.siaddr.s_addr), IP(192, 0, 2, 77));
	assert_string_equal((const char *)o.m.hdr.sname, "res-host");
	fx_free(&f);
}

static void test_reserved_classes_network(void **state)
{
	/* In a shared network a subnet reservation's classes come only
	 * after allocation: tests do not see them, required classes and
	 * options do. */
	struct fx f = fx_new(CFG(
		"{\"name\": \"gold\", \"option-data\": [{\"name\": "
		"\"domain-name\", \"data\": \"gold\"}]},\n"
		"{\"name\": \"silver\", \"test\": \"not member('gold')\", "
		"\"option-data\": [{\"name\": \"tftp-server-name\", \"data\": "
		"\"silver\"}]},\n"
		"{\"name\": \"req\", \"only-if-required\": true, \"test\": "
		"\"member('gold')\", \"boot-file-name\": \"req-gold\"}",
		"\"shared-networks\": [{\"name\": \"n\", "
		"\"require-client-classes\": [\"req\"], \"subnet4\": [\n"
		" {\"id\": 1, \"subnet\": \"10.0.1.0/24\", "
		"\"pools\": [{\"pool\": \"10.0.1.10 - 10.0.1.99\"}],\n"
		" \"reservations\": [{\"hw-address\": \"02:00:00:00:00:05\", "
		"\"client-classes\": [\"gold\"]}]}]}]"));
	struct pk p = {.mac = 5, .giaddr = RELAY1};
	struct out o;

	(void)state;
	dora(f.e, p, &o);
	assert_string_equal(text(&o, 66), "silver");
	assert_string_equal(text(&o, 15), "gold");
	assert_string_equal((const char *)o.m.hdr.file, "req-gold");
	fx_free(&f);
}

/* ---- required classes ------------------------------------------------------
 */

static void test_required(void **state)
{
	struct fx f = fx_new(CFG(
		"{\"name\": \"net\", \"only-if-required\": true, \"test\": "
		"\"member('ALL')\", \"option-data\": [{\"name\": "
		"\"domain-name\", \"data\": \"net\"}]},\n"
		"{\"name\": \"sub\", \"only-if-required\": true, \"test\": "
		"\"member('net')\", \"server-hostname\": \"sub\"},\n"
		"{\"name\": \"pool\", \"only-if-required\": true, \"test\": "
		"\"member('sub')\", \"boot-file-name\": \"pool\"},\n"
		"{\"name\": \"untested\", \"option-data\": [{\"name\": "
		"\"tftp-server-name\", \"data\": \"untested\"}]}",
		"\"shared-networks\": [{\"name\": \"n\", "
		"\"require-client-classes\": [\"net\"], \"subnet4\": [\n"
		" {\"id\": 1, \"subnet\": \"10.0.1.0/24\", "
		"\"require-client-classes\": [\"sub\", \"untested\"],\n"
		"  \"pools\": [{\"pool\": \"10.0.1.10 - 10.0.1.99\", "
		"\"require-client-classes\": [\"pool\"]}]}]}],\n"
		"\"subnet4\": [{\"id\": 2, \"subnet\": \"10.0.2.0/24\", "
		"\"pools\": [{\"pool\": \"10.0.2.10 - 10.0.2.99\"}]}]"));
	struct pk p = {.mac = 1, .giaddr = RELAY1};
	struct out o;

	(void)state;
	/* network, then subnet, then pool: each sees the one before. */
	dora(f.e, p, &o);
	assert_string_equal(text(&o, 15), "net");
	assert_string_equal((const char *)o.m.hdr.sname, "sub");
	assert_string_equal((const char *)o.m.hdr.file, "pool");
	/* A required class without a test is not added. */
	assert_string_equal(text(&o, 66), "global-tftp");
	/* only-if-required classes are never evaluated otherwise. */
	p.giaddr = IP(10, 0, 2, 1);
	dora(f.e, p, &o);
	assert_string_equal(text(&o, 15), "global");
	assert_string_equal((const char *)o.m.hdr.sname, "");
	fx_free(&f);
}

/* ---- client-class restrictions --------------------------------------------
 */

static void test_subnet_restrictions(void **state)
{
	/* Kea's classify.json: a VoIP subnet; a network for relay agents'
	 * circuit "port-1"; two subnets on one relay, the first for PXE. */
	struct fx f = fx_new(CFG(
		"{\"name\": \"VoIP\", \"test\": "
		"\"substring(option[60].hex,0,6) == 'Aastra'\"},\n"
		"{\"name\": \"pxe\", \"test\": \"substring(option[60].hex,0,9) "
		"== 'PXEClient'\"},\n"
		"{\"name\": \"port1\", \"test\": \"relay4[1].hex == "
		"'port-1'\"}",
		"\"shared-networks\": [{\"name\": \"agents\", "
		"\"client-class\": "
		"\"port1\", \"subnet4\": [\n"
		" {\"id\": 3, \"subnet\": \"10.0.3.0/24\", "
		"\"pools\": [{\"pool\": \"10.0.3.10 - 10.0.3.99\"}]}]}],\n"
		"\"subnet4\": [\n"
		" {\"id\": 1, \"subnet\": \"10.0.1.0/24\", \"client-class\": "
		"\"VoIP\", \"pools\": [{\"pool\": \"10.0.1.10 - "
		"10.0.1.99\"}]},\n"
		" {\"id\": 5, \"subnet\": \"10.0.5.0/24\", \"relay\": "
		"{\"ip-addresses\": [\"10.9.9.9\"]}, \"client-class\": "
		"\"pxe\",\n"
		"  \"pools\": [{\"pool\": \"10.0.5.10 - 10.0.5.99\"}]},\n"
		" {\"id\": 6, \"subnet\": \"10.0.6.0/24\", \"relay\": "
		"{\"ip-addresses\": [\"10.9.9.9\"]},\n"
		"  \"pools\": [{\"pool\": \"10.0.6.10 - 10.0.6.99\"}]}]"));
	struct pk p = {.type = TERN_DHCP4_DISCOVER, .mac = 1, .giaddr = RELAY1};
	struct out o;

	(void)state;
	assert_int_equal(run(f.e, &p, &o), -ENETUNREACH);
	assert_int_equal(drops(&f, TERND_DROP_NO_SUBNET), 1);
	p.vendor = "Aastra6731i";
	assert_int_equal(run(f.e, &p, &o), TERN_DHCP4_OFFER);
	assert_int_equal(yiaddr(&o) >> 8, IP(10, 0, 1, 0) >> 8);
	/* Shared network's client-class. */
	p = (struct pk){.type = TERN_DHCP4_DISCOVER,
			.mac = 2,
			.giaddr = IP(10, 0, 3, 1),
			.circuit = "port-2"};
	assert_int_equal(run(f.e, &p, &o), -ENETUNREACH);
	p.circuit = "port-1";
	assert_int_equal(run(f.e, &p, &o), TERN_DHCP4_OFFER);
	assert_int_equal(yiaddr(&o) >> 8, IP(10, 0, 3, 0) >> 8);
	/* One relay, two subnets: the first the classes allow. */
	p = (struct pk){.type = TERN_DHCP4_DISCOVER,
			.mac = 3,
			.giaddr = IP(10, 9, 9, 9)};
	assert_int_equal(run(f.e, &p, &o), TERN_DHCP4_OFFER);
	assert_int_equal(yiaddr(&o) >> 8, IP(10, 0, 6, 0) >> 8);
	p.vendor = "PXEClient:Arch:00000:UNDI:002001";
	p.mac = 4;
	assert_int_equal(run(f.e, &p, &o), TERN_DHCP4_OFFER);
	assert_int_equal(yiaddr(&o) >> 8, IP(10, 0, 5, 0) >> 8);
	fx_free(&f);
}

static void test_pool_restrictions(void **state)
{
	struct fx f = fx_new(
		CFG("{\"name\": \"VoIP\", \"test\": "
		    "\"substring(option[60].hex,0,6) == 'Aastra'\"}",
		    "\"subnet4\": [{\"id\": 1, \"subnet\": \"10.0.0.0/16\",\n"
		    " \"pools\": [{\"pool\": \"10.0.1.10 - 10.0.1.11\", "
		    "\"client-class\": \"VoIP\"},\n"
		    "  {\"pool\": \"10.0.2.10 - 10.0.2.11\"}]}]"));
	struct pk p = {.mac = 1, .giaddr = IP(10, 0, 0, 1)};
	struct out o;
	uint32_t a;

	(void)state;
	a = dora(f.e, p, &o);
	assert_true(a >= IP(10, 0, 2, 10) && a <= IP(10, 0, 2, 11));
	p.mac = 2;
	p.vendor = "Aastra";
	a = dora(f.e, p, &o);
	assert_true(a >= IP(10, 0, 1, 10) && a <= IP(10, 0, 1, 11));
	/* A requested address of a pool it may not use is not offered. */
	p = (struct pk){.type = TERN_DHCP4_DISCOVER,
			.mac = 3,
			.giaddr = IP(10, 0, 0, 1),
			.reqip = IP(10, 0, 1, 11)};
	assert_int_equal(run(f.e, &p, &o), TERN_DHCP4_OFFER);
	assert_int_equal(yiaddr(&o), IP(10, 0, 2, 11));
	/* The open pool is full: the VoIP pool (10.0.1.11 free) is still
	 * not for it; the oldest open offer of its own pool is. */
	p.mac = 4;
	p.reqip = 0;
	assert_int_equal(run(f.e, &p, &o), TERN_DHCP4_OFFER);
	assert_int_equal(yiaddr(&o), IP(10, 0, 2, 11));
	/* Renewing into a pool its classes no longer allow: NAK. */
	p = (struct pk){.type = TERN_DHCP4_REQUEST,
			.mac = 2,
			.giaddr = IP(10, 0, 0, 1),
			.reqip = a,
			.sid = IF_ADDR};
	assert_int_equal(run(f.e, &p, &o), TERN_DHCP4_NAK);
	fx_free(&f);
}

/* ---- precedence
 * -------------------------------------------------------------- */

static void test_precedence(void **state)
{
	struct fx f = fx_new(CFG(
		"{\"name\": \"a\", \"test\": \"member('ALL')\", "
		"\"valid-lifetime\": 600, \"min-valid-lifetime\": 300, "
		"\"max-valid-lifetime\": 900,\n"
		" \"next-server\": \"192.0.2.10\", \"server-hostname\": "
		"\"a\",\n"
		" \"option-data\": [{\"name\": \"domain-name\", \"data\": "
		"\"a\"}, {\"name\": \"routers\", \"data\": \"192.0.2.10\"}]},\n"
		"{\"name\": \"b\", \"test\": \"member('ALL')\", "
		"\"valid-lifetime\": 60, \"boot-file-name\": \"b\", "
		"\"server-hostname\": \"b\",\n"
		" \"option-data\": [{\"name\": \"domain-name\", \"data\": "
		"\"b\"}, {\"name\": \"tftp-server-name\", \"data\": \"b\"}]}",
		"\"next-server\": \"192.0.2.1\", \"boot-file-name\": "
		"\"global\",\n"
		"\"subnet4\": [{\"id\": 1, \"subnet\": \"10.0.1.0/24\", "
		"\"next-server\": \"192.0.2.2\",\n"
		" \"option-data\": [{\"name\": \"routers\", \"data\": "
		"\"10.0.1.1\"}],\n"
		" \"pools\": [{\"pool\": \"10.0.1.10 - 10.0.1.99\"}],\n"
		" \"reservations\": [{\"hw-address\": \"02:00:00:00:00:05\", "
		"\"boot-file-name\": \"res\"}]}]"));
	struct pk p = {.mac = 1, .giaddr = RELAY1};
	struct out o;
	uint8_t r[4];

	(void)state;
	dora(f.e, p, &o);
	/* Options: subnet > classes in order > global. */
	assert_int_equal(
		tern_dhcp4_opt_copy(&o.m, TERN_DHCP4_OPT_ROUTER, r, sizeof(r)),
		4);
	assert_int_equal(r[0], 10);
	assert_string_equal(text(&o, 15), "a");
	assert_string_equal(text(&o, 66), "b");
	/* Fixed fields: the first class setting each over the subnet's
	 * (which inherits the global file). */
	assert_int_equal(ntohl(o.m.hdr.siaddr.s_addr), IP(192, 0, 2, 10));
	assert_string_equal((const char *)o.m.hdr.sname, "a");
	assert_string_equal((const char *)o.m.hdr.file, "b");
	/* Lifetime: the first class with one, bounded by its triplet. */
	assert_int_equal(lease_time(&o), 600);
	p.mac = 2;
	p.lt = 100;
	dora(f.e, p, &o);
	assert_int_equal(lease_time(&o), 300);
	p.mac = 3;
	p.lt = 5000;
	dora(f.e, p, &o);
	assert_int_equal(lease_time(&o), 900);
	/* The reservation's fields over the classes'. */
	p = (struct pk){.mac = 5, .giaddr = RELAY1};
	dora(f.e, p, &o);
	assert_string_equal((const char *)o.m.hdr.file, "res");
	assert_string_equal((const char *)o.m.hdr.sname, "a");
	fx_free(&f);
}

/* ---- BOOTP -----------------------------------------------------------------
 */

static void test_bootp_class(void **state)
{
	/* With Kea's bootp hook a BOOTP request is in BOOTP, first. */
	struct fx f = fx_new(
		CFG("{\"name\": \"BOOTP\", \"boot-file-name\": \"bootp.0\"},\n"
		    "{\"name\": \"b2\", \"test\": \"member('BOOTP')\", "
		    "\"server-hostname\": \"b2\"}",
		    "\"hooks-libraries\": [{\"library\": "
		    "\"/usr/lib/kea/hooks/libdhcp_bootp.so\"}],\n"
		    "\"subnet4\": [{\"id\": 1, \"subnet\": \"10.0.1.0/24\", "
		    "\"pools\": [{\"pool\": \"10.0.1.10 - 10.0.1.99\"}]}]"));
	struct pk p = {.mac = 1, .giaddr = RELAY1, .no_type = true};
	struct out o;

	(void)state;
	assert_true(run(f.e, &p, &o) > 0);
	assert_int_equal(o.m.hdr.op, TERN_DHCP4_BOOTREPLY);
	assert_string_equal((const char *)o.m.hdr.file, "bootp.0");
	assert_string_equal((const char *)o.m.hdr.sname, "b2");
	/* A DHCP client is not in BOOTP. */
	p = (struct pk){.mac = 2, .giaddr = RELAY1};
	dora(f.e, p, &o);
	assert_string_equal((const char *)o.m.hdr.file, "");
	assert_string_equal((const char *)o.m.hdr.sname, "");
	fx_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtins),
		cmocka_unit_test(test_pass_order),
		cmocka_unit_test(test_drop),
		cmocka_unit_test(test_drop_known),
		cmocka_unit_test(test_known_unknown_pools),
		cmocka_unit_test(test_reserved_classes),
		cmocka_unit_test(test_reserved_classes_network),
		cmocka_unit_test(test_required),
		cmocka_unit_test(test_subnet_restrictions),
		cmocka_unit_test(test_pool_restrictions),
		cmocka_unit_test(test_precedence),
		cmocka_unit_test(test_bootp_class),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
