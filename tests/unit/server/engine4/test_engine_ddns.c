/* Unit tests for the engine's DDNS side: option 81 in OFFER and ACK, the
 * lease's name, and the facts (NCR add/remove) on bind, renew, release,
 * expiry; a packet with a bad option 81 is dropped. */
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
#define T0	1700000000

#define CFG(enable)                                                           \
	"{\"Dhcp4\": {\"interfaces-config\": {\"interfaces\": [\"eth0\"]},\n" \
	" \"valid-lifetime\": 3600,\n"                                        \
	" \"dhcp-ddns\": {\"enable-updates\": " enable "},\n"                 \
	" \"ddns-qualifying-suffix\": \"example.org\",\n"                     \
	" \"subnet4\": [{\"id\": 1, \"subnet\": \"192.0.2.0/24\",\n"          \
	"   \"interface\": \"eth0\",\n"                                       \
	"   \"pools\": [{\"pool\": \"192.0.2.100 - 192.0.2.199\"}]}]}}\n"

struct fx {
	struct ternd_config *cfg;
	struct ternd_engine *e;
	struct ternd_tx tx;
	uint8_t reply[1500];
	struct ternd_change ch[8];
	size_t n;
	struct tern_dhcp4_msg msg;
};

static struct fx *fx_new(const char *text)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct ternd_diags d = {0};

	assert_non_null(f);
	if (ternd_config_load_buf(text, strlen(text), &f->cfg, &d) != 0) {
		ternd_diags_print(stderr, "test", &d);
		fail_msg("config");
	}
	assert_int_equal(ternd_engine_new(f->cfg, &f->e), 0);
	return f;
}

static void fx_free(struct fx *f)
{
	ternd_engine_free(f->e);
	ternd_config_free(f->cfg);
	free(f);
}

static struct in_addr ina(uint32_t a)
{
	struct in_addr v = {htonl(a)};

	return v;
}

/* One request from client 02:00:00:00:00:01 with an option 81 value (len
 * bytes, none when NULL) at time now; returns the engine's verdict. */
static int ask(struct fx *f, uint8_t type, uint32_t ciaddr, uint32_t reqip,
	       const char *fqdn, size_t len, int64_t now)
{
	uint8_t buf[600];
	struct tern_dhcp4_writer w;
	struct tern_dhcp4_hdr h;
	struct ternd_rx rx = {0};
	int n;

	tern_dhcp4_writer_init(&w, buf, sizeof(buf), 0, 0);
	tern_dhcp4_put_msg_type(&w, type);
	if (reqip)
		tern_dhcp4_put_addr(&w, TERN_DHCP4_OPT_REQUESTED_IP,
				    ina(reqip));
	if (type == TERN_DHCP4_RELEASE ||
	    (type == TERN_DHCP4_REQUEST && !ciaddr))
		tern_dhcp4_put_addr(&w, TERN_DHCP4_OPT_SERVER_ID, ina(IF_ADDR));
	if (fqdn)
		tern_dhcp4_put(&w, TERN_DHCP4_OPT_FQDN, fqdn, len);
	memset(&h, 0, sizeof(h));
	h.op = TERN_DHCP4_BOOTREQUEST;
	h.htype = 1;
	h.hlen = 6;
	h.xid = 7;
	h.ciaddr = ina(ciaddr);
	h.chaddr[0] = 2;
	h.chaddr[5] = 1;
	tern_dhcp4_write_header(&w, &h);
	n = tern_dhcp4_writer_finish(&w, true);
	assert_true(n > 0);
	rx.buf = buf;
	rx.len = (size_t)n;
	rx.ifindex = 2;
	rx.ifname = "eth0";
	rx.if_addr = IF_ADDR;
	rx.src_addr = ciaddr;
	rx.dst_addr = ciaddr ? IF_ADDR : INADDR_BROADCAST;
	rx.now = now;
	memset(&f->tx, 0, sizeof(f->tx));
	f->tx.buf = f->reply;
	f->tx.cap = sizeof(f->reply);
	memset(f->ch, 0xee, sizeof(f->ch)); /* no stale ncr passes */
	return ternd_engine_handle(f->e, &rx, &f->tx, f->ch, 8, &f->n);
}

/* The reply's option 81 (its length), -ENOENT when absent. */
static int opt81(struct fx *f, uint8_t *out)
{
	const uint8_t *d;
	int n;

	assert_true(tern_dhcp4_parse(&f->msg, f->reply, f->tx.len) >= 0);
	n = tern_dhcp4_opt_get(&f->msg, TERN_DHCP4_OPT_FQDN, out, 512, &d);
	if (n > 0)
		memmove(out, d, (size_t)n);
	return n;
}

#define LAPTOP	"\x05\0\0\6laptop"
#define LAPTOP2 "\x05\0\0\7laptop2"
#define ANSWER	"\x05\0\0\6laptop\7example\3org\0"

static void test_bind_renew_release(void **state)
{
	struct fx *f = fx_new(CFG("true"));
	const uint32_t a = IP(192, 0, 2, 100);
	uint8_t o[512];

	(void)state;
	/* OFFER answers option 81: S kept, E echoed, name qualified. */
	assert_int_equal(ask(f, TERN_DHCP4_DISCOVER, 0, 0, LAPTOP, 10, T0),
			 TERN_DHCP4_OFFER);
	assert_int_equal(f->n, 0);
	assert_int_equal(opt81(f, o), 23);
	assert_memory_equal(o, ANSWER, 23);
	/* ACK: the lease has the name and an add is due. */
	assert_int_equal(ask(f, TERN_DHCP4_REQUEST, 0, a, LAPTOP, 10, T0),
			 TERN_DHCP4_ACK);
	assert_int_equal(opt81(f, o), 23);
	assert_int_equal(f->n, 1);
	assert_int_equal(f->ch[0].op, TERND_CHANGE_UPSERT);
	assert_int_equal(f->ch[0].ncr, TERND_NCR_ADD);
	assert_string_equal(f->ch[0].lease.hostname, "laptop.example.org.");
	assert_true(f->ch[0].lease.fqdn_fwd && f->ch[0].lease.fqdn_rev);
	/* A renewal with the same name: nothing for DNS. */
	assert_int_equal(ask(f, TERN_DHCP4_REQUEST, a, 0, LAPTOP, 10, T0 + 9),
			 TERN_DHCP4_ACK);
	assert_int_equal(f->n, 1);
	assert_int_equal(f->ch[0].ncr, TERND_NCR_NONE);
	/* Another name: the old one's remove (no store change), then the
	 * new one's add. */
	assert_int_equal(ask(f, TERN_DHCP4_REQUEST, a, 0, LAPTOP2, 11, T0 + 20),
			 TERN_DHCP4_ACK);
	assert_int_equal(f->n, 2);
	assert_int_equal(f->ch[0].op, TERND_CHANGE_NONE);
	assert_int_equal(f->ch[0].ncr, TERND_NCR_REMOVE);
	assert_string_equal(f->ch[0].lease.hostname, "laptop.example.org.");
	assert_int_equal(f->ch[0].lease.cltt, T0 + 9);
	assert_int_equal(f->ch[1].op, TERND_CHANGE_UPSERT);
	assert_int_equal(f->ch[1].ncr, TERND_NCR_ADD);
	assert_string_equal(f->ch[1].lease.hostname, "laptop2.example.org.");
	/* RELEASE: remove, and the stored lease keeps no name. */
	assert_int_equal(ask(f, TERN_DHCP4_RELEASE, a, 0, NULL, 0, T0 + 30), 0);
	assert_int_equal(f->n, 2);
	assert_int_equal(f->ch[0].op, TERND_CHANGE_NONE);
	assert_int_equal(f->ch[0].ncr, TERND_NCR_REMOVE);
	assert_string_equal(f->ch[0].lease.hostname, "laptop2.example.org.");
	assert_int_equal(f->ch[1].op, TERND_CHANGE_UPSERT);
	assert_int_equal(f->ch[1].ncr, TERND_NCR_NONE);
	assert_int_equal(f->ch[1].lease.state, TERND_LEASE_RELEASED);
	assert_string_equal(f->ch[1].lease.hostname, "");
	assert_false(f->ch[1].lease.fqdn_fwd || f->ch[1].lease.fqdn_rev);
	fx_free(f);
}

static void test_expiry(void **state)
{
	struct fx *f = fx_new(CFG("true"));
	int64_t next;
	int n;

	(void)state;
	assert_int_equal(ask(f, TERN_DHCP4_DISCOVER, 0, 0, LAPTOP, 10, T0),
			 TERN_DHCP4_OFFER);
	assert_int_equal(ask(f, TERN_DHCP4_REQUEST, 0, IP(192, 0, 2, 100),
			     LAPTOP, 10, T0),
			 TERN_DHCP4_ACK);
	n = ternd_engine_expire(f->e, T0 + 3600, f->ch, 8, &next);
	assert_int_equal(n, 2);
	assert_int_equal(f->ch[0].op, TERND_CHANGE_NONE);
	assert_int_equal(f->ch[0].ncr, TERND_NCR_REMOVE);
	assert_string_equal(f->ch[0].lease.hostname, "laptop.example.org.");
	assert_int_equal(f->ch[1].lease.state, TERND_LEASE_EXPIRED);
	assert_int_equal(f->ch[1].ncr, TERND_NCR_NONE);
	/* Room for the lease but not for its fact: it waits. */
	assert_int_equal(ask(f, TERN_DHCP4_DISCOVER, 0, 0, LAPTOP, 10, T0),
			 TERN_DHCP4_OFFER);
	assert_int_equal(ask(f, TERN_DHCP4_REQUEST, 0, IP(192, 0, 2, 100),
			     LAPTOP, 10, T0 + 4000),
			 TERN_DHCP4_ACK);
	assert_int_equal(f->ch[0].ncr, TERND_NCR_ADD); /* a new binding */
	assert_int_equal(ternd_engine_expire(f->e, T0 + 8000, f->ch, 1, &next),
			 0);
	assert_int_equal(ternd_engine_expire(f->e, T0 + 8000, f->ch, 2, &next),
			 2);
	fx_free(f);
}

static void test_disabled_and_malformed(void **state)
{
	struct fx *f = fx_new(CFG("false"));
	uint8_t o[512];

	(void)state;
	/* Updates off: N set, S cleared, no facts; the name is kept. */
	assert_int_equal(ask(f, TERN_DHCP4_DISCOVER, 0, 0, LAPTOP, 10, T0),
			 TERN_DHCP4_OFFER);
	assert_int_equal(ask(f, TERN_DHCP4_REQUEST, 0, IP(192, 0, 2, 100),
			     LAPTOP, 10, T0),
			 TERN_DHCP4_ACK);
	assert_int_equal(opt81(f, o), 23);
	assert_int_equal(o[0], 0x0e); /* N, E, O */
	assert_int_equal(f->n, 1);
	assert_int_equal(f->ch[0].ncr, TERND_NCR_NONE);
	assert_string_equal(f->ch[0].lease.hostname, "laptop.example.org.");
	assert_false(f->ch[0].lease.fqdn_fwd || f->ch[0].lease.fqdn_rev);
	/* No option 81, no answer with one. */
	assert_int_equal(ask(f, TERN_DHCP4_REQUEST, IP(192, 0, 2, 100), 0, NULL,
			     0, T0 + 5),
			 TERN_DHCP4_ACK);
	assert_int_equal(opt81(f, o), -ENOENT);
	/* N and S both set: Kea drops the packet, so does ternd. */
	assert_int_equal(ask(f, TERN_DHCP4_DISCOVER, 0, 0, "\x09\0\0", 3, T0),
			 -EBADMSG);
	assert_int_equal(
		ask(f, TERN_DHCP4_DISCOVER, 0, 0, "\x04\0\0\x07x", 5, T0),
		-EBADMSG);
	fx_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bind_renew_release),
		cmocka_unit_test(test_expiry),
		cmocka_unit_test(test_disabled_and_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
