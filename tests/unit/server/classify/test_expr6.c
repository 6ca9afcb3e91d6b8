/* Unit tests for ternd's classification expressions in DHCPv6 mode (Kea
 * 2.2's kea-dhcp6 grammar and its Pkt6 objects): compile refusals with
 * their columns, and evaluation against direct, relayed and doubly relayed
 * messages built with libtern's writer, copied to buffers of exactly their
 * size so that a read past the end trips ASan. */
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

#include <tern/dhcp6.h>

#include "server/classify/expr.h"

/* ---- Environment ------------------------------------------------------ */

static int env_class(void *ctx, const char *name, bool *dk)
{
	static const char *const names[] = {"ALL", "KNOWN", "UNKNOWN",
					    "foo", "bar",   "uses-known"};

	(void)ctx;
	*dk = false;
	for (int i = 0; i < 6; i++)
		if (!strcmp(name, names[i])) {
			*dk = i == 5;
			return i;
		}
	return -ENOENT;
}

/* option-defs in dhcp6: "my-str" 1000 string, "my-cont" 1001 container,
 * "my-bin" 1002 binary. */
static int env_code(void *ctx, const char *name)
{
	(void)ctx;
	if (!strcmp(name, "my-str"))
		return 1000;
	if (!strcmp(name, "my-cont"))
		return 1001;
	if (!strcmp(name, "my-bin"))
		return 1002;
	return -1;
}

static bool env_str(void *ctx, uint16_t code)
{
	(void)ctx;
	return code == 1000;
}

static bool env_cont(void *ctx, uint16_t code)
{
	(void)ctx;
	return code == 1001;
}

static const struct ternd_expr_env env6 = {
	.family = 6,
	.opt_code = env_code,
	.class_index = env_class,
	.opt6_is_string = env_str,
	.opt6_is_container = env_cont,
};

static const struct ternd_expr_env env4 = {
	.family = 4,
	.class_index = env_class,
};

/* ---- Packets ---------------------------------------------------------- */

struct opt6 {
	uint16_t code;
	const void *data;
	size_t len;
};
#define O6(c, ...)                                             \
	{                                                      \
		c, (const uint8_t[]){__VA_ARGS__},             \
			sizeof((const uint8_t[]){__VA_ARGS__}) \
	}
#define O6S(c, s)                   \
	{                           \
		c, s, sizeof(s) - 1 \
	}
#define O6_END             \
	{                  \
		0, NULL, 0 \
	}

struct t6 {
	uint8_t *buf;
	struct tern_dhcp6_msg m;
	struct tern_dhcp6_relay relays[4];
	struct ternd_expr_pkt6 p;
	struct in6_addr src, dst;
	uint64_t classes[1];
};

static void put_opts(struct tern_dhcp6_writer *w, const struct opt6 *o)
{
	for (; o && o->data; o++)
		assert_int_equal(tern_dhcp6_put(w, o->code, o->data, o->len),
				 0);
}

static void addr(struct in6_addr *a, const char *s)
{
	assert_int_equal(inet_pton(AF_INET6, s, a), 1);
}

/* A message of type 1 (SOLICIT), xid 0x123456, with opts, inside
 * n_relays relays (relay i with ropts[i]; link fe80::i, peer 2001:db8::i). */
static void build(struct t6 *t, const struct opt6 *opts, unsigned n_relays,
		  const struct opt6 *const *ropts)
{
	uint8_t tmp[4096];
	struct tern_dhcp6_writer w;
	int n;

	memset(t, 0, sizeof(*t));
	assert_int_equal(tern_dhcp6_writer_init(&w, tmp, sizeof(tmp)), 0);
	for (unsigned i = 0; i < n_relays; i++) {
		struct in6_addr la, pa;
		char s[64];

		snprintf(s, sizeof(s), "fe80::%u", i + 1);
		addr(&la, s);
		snprintf(s, sizeof(s), "2001:db8::%u", i + 1);
		addr(&pa, s);
		assert_int_equal(
			tern_dhcp6_write_relay_header(&w, TERN_DHCP6_RELAY_FORW,
						      (uint8_t)i, &la, &pa),
			0);
		put_opts(&w, ropts ? ropts[i] : NULL);
		assert_int_equal(tern_dhcp6_begin(&w, TERN_DHCP6_OPT_RELAY_MSG),
				 0);
	}
	assert_int_equal(tern_dhcp6_write_header(&w, 1, 0x123456), 0);
	put_opts(&w, opts);
	n = tern_dhcp6_writer_finish(&w);
	assert_true(n > 0);
	t->buf = malloc((size_t)n);
	assert_non_null(t->buf);
	memcpy(t->buf, tmp, (size_t)n);
	assert_int_equal(
		tern_dhcp6_unwrap(t->buf, (size_t)n, t->relays, 4, &t->m),
		(int)n_relays);
	addr(&t->src, "fe80::1234");
	addr(&t->dst, "ff02::1:2");
	t->p.m = &t->m;
	t->p.relays = t->relays;
	t->p.n_relays = n_relays;
	t->p.iface = "eth6";
	t->p.src = &t->src;
	t->p.dst = &t->dst;
	t->p.classes = t->classes;
	t->p.n_class_words = 1;
}

static void done(struct t6 *t)
{
	free(t->buf);
}

static struct ternd_expr_scratch scratch;

/* Compiles (must succeed) and evaluates a boolean test. */
static int ev(const char *text, const struct t6 *t)
{
	struct ternd_expr *x;
	struct ternd_expr_error err;
	int rc = ternd_expr_compile(text, &env6, &x, &err);

	if (rc < 0)
		fail_msg("'%s' refused: %u: %s", text, err.column, err.msg);
	rc = ternd_expr_eval6(x, &t->p, &scratch);
	ternd_expr_free(x);
	return rc;
}

/* A string expression's value, as a C string (NULs shown as '@'). */
static const char *evs(const char *text, const struct t6 *t)
{
	static char out[4096];
	struct ternd_expr *x;
	struct ternd_expr_error err;
	int rc = ternd_expr_compile_string(text, &env6, &x, &err);

	if (rc < 0)
		fail_msg("'%s' refused: %u: %s", text, err.column, err.msg);
	rc = ternd_expr_eval6_string(x, &t->p, &scratch, (uint8_t *)out,
				     sizeof(out) - 1);
	ternd_expr_free(x);
	if (rc < 0) {
		snprintf(out, sizeof(out), "<error %d>", rc);
		return out;
	}
	for (int i = 0; i < rc; i++)
		if (!out[i])
			out[i] = '@';
	out[rc] = '\0';
	return out;
}

/* Must be refused at column col with msg. */
static void refused(const struct ternd_expr_env *env, const char *text,
		    unsigned col, const char *msg)
{
	struct ternd_expr *x = NULL;
	struct ternd_expr_error err;
	int rc = ternd_expr_compile(text, env, &x, &err);

	if (rc == 0) {
		ternd_expr_free(x);
		fail_msg("'%s' accepted", text);
	}
	assert_int_equal(rc, -EINVAL);
	if (err.column != col || strcmp(err.msg, msg))
		fail_msg("'%s': got %u '%s', want %u '%s'", text, err.column,
			 err.msg, col, msg);
}

#define CLIENTID O6(1, 0, 3, 0, 1, 0x02, 0, 0, 0, 0, 1)

/* ---- Tests ------------------------------------------------------------ */

static void test_options_direct(void **state)
{
	const struct opt6 opts[] = {
		CLIENTID,
		O6(8, 0, 100),				     /* elapsed-time */
		O6(3, 0, 0, 0, 7, 0, 0, 0, 10, 0, 0, 0, 20), /* IA_NA */
		O6(1, 9, 9),	      /* a second clientid: not seen */
		O6S(1000, "abc\0\0"), /* option-def'd string */
		O6(1002, 1, 2),
		O6_END,
	};
	struct t6 t;

	(void)state;
	build(&t, opts, 0, NULL);
	assert_int_equal(ev("option[1].hex == 0x00030001020000000001", &t), 1);
	assert_int_equal(ev("option[clientid].exists", &t), 1);
	assert_int_equal(ev("option[2].exists", &t), 0);
	assert_int_equal(ev("not option[serverid].exists", &t), 1);
	assert_int_equal(ev("option[elapsed-time].hex == 0x0064", &t), 1);
	assert_string_equal(evs("option[8].text", &t),
			    "type=00008, len=00002: 100 (uint16)");
	assert_string_equal(
		evs("option[3].text", &t),
		"type=00003(IA_NA), len=00012: iaid=7, t1=10, t2=20");
	assert_string_equal(
		evs("option[1].text", &t),
		"type=00001, len=00010: 00:03:00:01:02:00:00:00:00:01");
	/* A string option loses its trailing NULs, .text is the string. */
	assert_string_equal(evs("option[my-str].hex", &t), "abc");
	assert_string_equal(evs("option[1000].text", &t), "abc");
	assert_int_equal(ev("option[my-bin].hex == 0x0102", &t), 1);
	assert_int_equal(ev("substring(option[1].hex, 0, 2) == 0x0003", &t), 1);
	assert_int_equal(ev("option[2].hex == ''", &t), 1);
	assert_int_equal(ev("option[2].text == ''", &t), 1);
	done(&t);
}

static void test_pkt6_and_member(void **state)
{
	const struct opt6 opts[] = {CLIENTID, O6_END};
	struct t6 t;

	(void)state;
	build(&t, opts, 0, NULL);
	assert_int_equal(ev("pkt6.msgtype == 1", &t), 1);
	assert_int_equal(ev("pkt6.msgtype == 0x00000001", &t), 1);
	assert_int_equal(ev("pkt6.transid == 0x00123456", &t), 1);
	assert_int_equal(ev("member('foo')", &t), 0);
	t.classes[0] = 1u << 3; /* foo */
	assert_int_equal(ev("member('foo') and not member('bar')", &t), 1);
	assert_int_equal(ev("member('bar') or pkt6.msgtype == 1", &t), 1);
	assert_string_equal(evs("pkt.iface", &t), "eth6");
	assert_int_equal(ev("pkt.src == fe80::1234", &t), 1);
	assert_int_equal(ev("pkt.dst == ff02::1:2", &t), 1);
	/* Pkt6::len(): 4 + (4 + 10) */
	assert_int_equal(ev("pkt.len == 18", &t), 1);
	done(&t);
}

static void test_relays(void **state)
{
	const struct opt6 opts[] = {CLIENTID, O6_END};
	const struct opt6 r0[] = {O6S(18, "outer"), O6S(37, "\0\0\x0d\xe9xy"),
				  O6_END};
	const struct opt6 r1[] = {O6S(18, "inner"), O6_END};
	const struct opt6 *const ropts[] = {r0, r1};
	struct t6 t;

	(void)state;
	build(&t, opts, 2, ropts);
	assert_int_equal(ev("relay6[0].option[18].hex == 'outer'", &t), 1);
	assert_int_equal(ev("relay6[1].option[18].hex == 'inner'", &t), 1);
	assert_int_equal(ev("relay6[-1].option[18].hex == 'inner'", &t), 1);
	assert_int_equal(ev("relay6[-2].option[18].hex == 'outer'", &t), 1);
	assert_int_equal(ev("relay6[-3].option[18].exists", &t), 0);
	assert_int_equal(ev("relay6[2].option[18].exists", &t), 0);
	assert_int_equal(ev("relay6[0].option[37].exists", &t), 1);
	assert_int_equal(ev("relay6[1].option[37].exists", &t), 0);
	/* relay-msg is not an option of the relay */
	assert_int_equal(ev("relay6[0].option[9].exists", &t), 0);
	assert_int_equal(ev("relay6[0].peeraddr == 2001:db8::1", &t), 1);
	assert_int_equal(ev("relay6[1].linkaddr == fe80::2", &t), 1);
	assert_int_equal(ev("relay6[-1].peeraddr == 2001:db8::2", &t), 1);
	assert_int_equal(ev("relay6[5].peeraddr == ''", &t), 1);
	assert_int_equal(ev("relay6[-5].linkaddr == ''", &t), 1);
	assert_int_equal(ev("pkt6.msgtype == 1", &t), 1);
	/* The client's options, not the relays'. */
	assert_int_equal(ev("option[18].exists", &t), 0);
	assert_int_equal(ev("option[1].exists", &t), 1);
	/* Pkt6::len(): 18 + (34 + 4 + 9 + 10) + (34 + 4 + 9) */
	assert_int_equal(ev("pkt.len == 122", &t), 1);
	done(&t);
}

/* The values below are kea-dhcp6 2.2's own (its EVAL debug log for the
 * same messages). */
#define ADDR5 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x05

static void test_kea_objects(void **state)
{
	const struct opt6 opts[] = {
		CLIENTID,
		/* IA_NA with sub-options 13, 5, 2 and a stray byte: Kea
		 * keeps them sorted by code and drops the byte. */
		O6(3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 13, 0, 2, 0, 0, 0,
		   5, 0, 24, ADDR5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 1, 'x', 0),
		/* elapsed-time with sub-options (space ""), out of order */
		O6(8, 0, 5, 0, 2, 0, 1, 'q', 0, 1, 0, 1, 'r', 0),
		O6(7, 1, 0, 17, 0, 4, 0, 0, 0, 9), /* an OptionVendor in it */
		O6(39, 0, 3, 'F', 'o', 'O', 3, 'b', 'a', 'r'), /* partial */
		O6(16, 0, 0, 0x11, 0x8b, 0, 3, 'a', 'b', 'c', 0, 1, 'z'),
		O6(17, 0, 0, 0x11, 0x8b, 0, 2, 0, 3, 'c', 'p', 'e', 0, 1, 0, 2,
		   0, 0x20),
		O6(25, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 26, 0, 25, 0, 0,
		   0, 1, 0, 0, 0, 2, 56, 0x20, 0x01, 0x0d, 0xb8, 0xff, 0xff,
		   0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff),
		O6_END,
	};
	struct t6 t;

	(void)state;
	build(&t, opts, 0, NULL);
	assert_int_equal(ev("option[3].hex == 0x000000010000000200000003"
			    "0002000178"
			    "0005001820010db8000000000000000000000005"
			    "0000000000000000"
			    "000d00020000",
			    &t),
			 1);
	assert_string_equal(
		evs("option[3].text", &t),
		"type=00003(IA_NA), len=00051: iaid=1, t1=2, t2=3,\noptions:\n"
		"  type=00002, len=00001: 78\n"
		"  type=00005(IAADDR), len=00024: address=2001:db8::5, "
		"preferred-lft=0, valid-lft=0\n"
		"  type=00013, len=00002: Success(0) (no status message)");
	assert_string_equal(evs("option[3].option[13].text", &t),
			    "type=00013, len=00002: Success(0) (no status "
			    "message)");
	assert_int_equal(ev("option[8].hex == 0x000500010001720002000171", &t),
			 1);
	assert_string_equal(evs("option[8].text", &t),
			    "type=00008, len=00012: 5 (uint16),\noptions:\n"
			    "  type=00001, len=00001: 72\n"
			    "  type=00002, len=00001: 71");
	assert_string_equal(evs("option[8].option[2].hex", &t), "q");
	assert_string_equal(evs("option[7].text", &t),
			    "type=00007, len=00009: 1 (uint8),\noptions:\n"
			    "  type=00017, len=00004: 9 (uint32)");
	assert_string_equal(evs("option[39].text", &t),
			    "type=39(CLIENT_FQDN), flags: (N=0, O=0, S=0), "
			    "domain-name='foo.bar' (partial)");
	assert_int_equal(ev("option[39].hex == 0x0003666f6f03626172", &t), 1);
	assert_string_equal(evs("option[16].text", &t),
			    "type=16, len=12,  enterprise id=0x118b, "
			    "data-len0=3, vendor-class-data0='abc', "
			    "data-len1=1, vendor-class-data1='z'");
	assert_string_equal(evs("option[17].text", &t),
			    "type=00017, len=00017: 4491 (uint32),\noptions:\n"
			    "  type=00001, len=00002: 32(uint16)\n"
			    "  type=00002, len=00003: \"cpe\" (string)");
	assert_string_equal(evs("option[25].text", &t),
			    "type=00025(IA_PD), len=00041: iaid=8, t1=0, t2=0,"
			    "\noptions:\n  type=00026(IAPREFIX), len=00025: "
			    "prefix=2001:db8:ffff:ff00::/56, preferred-lft=1, "
			    "valid-lft=2");
	assert_string_equal(evs("vendor[4491].option[2].hex", &t), "cpe");
	assert_int_equal(ev("vendor[4491].exists and not vendor[9].exists", &t),
			 1);
	assert_int_equal(ev("vendor.enterprise == 4491", &t), 1);
	assert_int_equal(ev("vendor-class.enterprise == 4491", &t), 1);
	assert_string_equal(evs("vendor-class[4491].data", &t), "abc");
	assert_string_equal(evs("vendor-class[*].data[1]", &t), "z");
	assert_string_equal(evs("vendor-class[4491].data[2]", &t), "");
	assert_string_equal(evs("vendor[4491].option[0].hex", &t), "true");
	done(&t);
}

/* Found by comparing random messages with kea-dhcp6: a prefix length
 * over 128 is kept (not masked), a client FQDN without a name is "full". */
static void test_kea_edges(void **state)
{
	const struct opt6 opts[] = {
		CLIENTID,
		O6(26, 0, 0, 0, 1, 0, 0, 0, 2, 129, ADDR5),
		O6(39, 1),
		O6_END,
	};
	struct t6 t;

	(void)state;
	build(&t, opts, 0, NULL);
	assert_int_equal(ternd_expr_pkt6_check(&t.p), 0);
	assert_string_equal(evs("option[26].text", &t),
			    "type=00026(IAPREFIX), len=00025: "
			    "prefix=2001:db8::5/129, preferred-lft=1, "
			    "valid-lft=2");
	assert_string_equal(evs("option[39].text", &t),
			    "type=39(CLIENT_FQDN), flags: (N=0, O=0, S=1), "
			    "domain-name='' (full)");
	done(&t);
}

/* A vendor option whose sub-options are truncated: Kea's unpack stops
 * there (SkipRemainingOptionsError); an empty string option is skipped
 * and the next instance is the option. */
static void test_kea_unpack(void **state)
{
	const struct opt6 cut[] = {
		CLIENTID,
		O6(8, 0, 1),
		O6(17, 0, 0, 0x11, 0x8b, 0, 2, 0, 9, 'a', 'b'),
		O6S(41, "after"),
		O6_END,
	};
	const struct opt6 skip[] = {
		CLIENTID,    O6(41, 0, 0),     O6S(41, "two"),
		O6(1000, 0), O6(1000, 'x', 0), O6_END,
	};
	struct t6 t;

	(void)state;
	build(&t, cut, 0, NULL);
	assert_int_equal(ev("option[8].hex == 0x0001", &t), 1);
	assert_int_equal(ev("option[17].exists or option[41].exists", &t), 0);
	assert_int_equal(ev("pkt.len == 24", &t), 1);
	done(&t);
	build(&t, skip, 0, NULL);
	assert_string_equal(evs("option[41].text", &t), "two");
	assert_string_equal(evs("option[my-str].hex", &t), "x");
	assert_int_equal(ev("pkt.len == 30", &t), 1);
	done(&t);
}

/* Kea's verdicts on these (DHCP6_PACKET_DROP_PARSE_FAIL for the first
 * three; a relay's vendor option stopping the unpack: Kea goes on with a
 * message of type 12 and nothing else). The packet memo gives the same
 * values as no memo. */
static void test_kea_drops(void **state)
{
	const struct opt6 short_ia[] = {CLIENTID, O6(3, 0, 0, 0, 0), O6_END};
	const struct opt6 addr17[] = {CLIENTID, O6(23, ADDR5, 0), O6_END};
	const struct opt6 fqdn_ns[] = {CLIENTID, O6(39, 5, 1, 'a', 0), O6_END};
	const struct opt6 ok[] = {CLIENTID, O6_END};
	const struct opt6 bad_vend[] = {
		O6(17, 0, 0, 0x11, 0x8b, 0, 5, 0, 9),
		O6S(18, "x"),
		O6_END,
	};
	const struct opt6 *const ropts[] = {bad_vend};
	struct ternd_expr_memo6 memo;
	struct t6 t;

	(void)state;
	build(&t, short_ia, 0, NULL);
	assert_int_equal(ternd_expr_pkt6_check(&t.p), -EBADMSG);
	assert_int_equal(ev("option[3].exists", &t), 1);
	assert_int_equal(ev("option[3].hex == ''", &t), -EBADMSG);
	done(&t);
	build(&t, addr17, 0, NULL);
	assert_int_equal(ternd_expr_pkt6_check(&t.p), -EBADMSG);
	done(&t);
	build(&t, fqdn_ns, 0, NULL);
	assert_int_equal(ternd_expr_pkt6_check(&t.p), -EBADMSG);
	done(&t);
	build(&t, ok, 1, ropts);
	assert_int_equal(ternd_expr_pkt6_check(&t.p), -EBADMSG);
	for (int pass = 0; pass < 2; pass++) {
		memset(&memo, 0, sizeof(memo));
		t.p.memo = pass ? &memo : NULL;
		assert_string_equal(evs("option[1].hex", &t), "");
		assert_int_equal(ev("pkt6.msgtype == 12", &t), 1);
		assert_int_equal(ev("pkt6.transid == 0", &t), 1);
		assert_int_equal(ev("relay6[0].option[18].exists", &t), 0);
		assert_int_equal(ev("relay6[0].peeraddr == ''", &t), 1);
	}
	done(&t);
	build(&t, ok, 0, NULL);
	assert_int_equal(ternd_expr_pkt6_check(&t.p), 0);
	t.p.memo = &memo;
	memset(&memo, 0, sizeof(memo));
	assert_int_equal(ev("option[1].exists and pkt6.msgtype == 1", &t), 1);
	assert_int_equal(memo.scanned, 3); /* relays and message */
	assert_int_equal(ev("option[clientid].exists", &t), 1);
	done(&t);
}

static void test_refusals(void **state)
{
	(void)state;
	refused(&env6, "relay4[1].hex == 'a'", 1,
		"relay4 can only be used in DHCPv4.");
	refused(&env6, "relay4[1].exists", 1,
		"relay4 can only be used in DHCPv4.");
	refused(&env6, "'a' == pkt4.mac", 8,
		"pkt4 can only be used in DHCPv4.");
	refused(&env6, "option[65536].exists", 8,
		"Option code has invalid value in 65536. Allowed range: "
		"0..65535");
	refused(&env6, "relay6[32].peeraddr == ''", 8,
		"Nest level has invalid value in 32. Allowed range: -32..31");
	refused(&env6, "relay6[-33].peeraddr == ''", 8,
		"Nest level has invalid value in -33. Allowed range: -32..31");
	refused(&env6, "relay6[200].peeraddr == ''", 8,
		"Invalid value in 200. Allowed range: -128..127");
	refused(&env6, "relay6[0].option[70000].exists", 18,
		"Option code has invalid value in 70000. Allowed range: "
		"0..65535");
	refused(&env6, "relay6[0].foo", 11, "Invalid character: f");
	refused(&env6, "relay6[0].text", 11,
		"syntax error, unexpected text, expecting option or peeraddr "
		"or linkaddr");
	refused(&env6, "option[host-name].exists", 8,
		"option 'host-name' is not defined");
	refused(&env6, "member('nope')", 8, "Not defined client class 'nope'");
	/* DHCPv4 mode refuses the DHCPv6 tokens as kea-dhcp4 does. */
	refused(&env4, "relay6[0].peeraddr == ''", 8,
		"Nest level invalid for DHCPv4 packets");
	refused(&env4, "pkt6.msgtype == 1", 1,
		"pkt6 can only be used in DHCPv6.");
	refused(&env4, "option[300].exists", 8,
		"Option code has invalid value in 300. Allowed range: 0..255");
	refused(&env4, "option[clientid].exists", 8,
		"option 'clientid' is not defined");
}

static void test_family_mismatch(void **state)
{
	const struct opt6 opts[] = {CLIENTID, O6_END};
	struct ternd_expr *x4, *x6;
	struct ternd_expr_pkt p4 = {0};
	struct tern_dhcp4_msg m4 = {0};
	uint8_t out[16];
	char dump[256];
	struct t6 t;

	(void)state;
	build(&t, opts, 0, NULL);
	assert_int_equal(ternd_expr_compile("member('foo')", &env4, &x4, NULL),
			 0);
	assert_int_equal(ternd_expr_compile("member('foo')", &env6, &x6, NULL),
			 0);
	assert_int_equal(ternd_expr_family(x4), 4);
	assert_int_equal(ternd_expr_family(x6), 6);
	p4.m = &m4;
	assert_int_equal(ternd_expr_eval6(x4, &t.p, &scratch), -EDOM);
	assert_int_equal(
		ternd_expr_eval6_string(x4, &t.p, &scratch, out, sizeof(out)),
		-EDOM);
	assert_int_equal(ternd_expr_eval(x6, &p4, &scratch), -EDOM);
	assert_int_equal(
		ternd_expr_eval_string(x6, &p4, &scratch, out, sizeof(out)),
		-EDOM);
	assert_int_equal(ternd_expr_eval6(x6, &t.p, &scratch), 0);
	ternd_expr_free(x4);
	ternd_expr_free(x6);
	assert_int_equal(ternd_expr_compile("relay6[-1].option[18].hex == "
					    "'a' and pkt6.msgtype == 1 and "
					    "option[3].exists",
					    &env6, &x6, NULL),
			 0);
	ternd_expr_dump(x6, dump, sizeof(dump));
	assert_string_equal(dump,
			    "relay6[-1].option[18].hex; 'a'; ==; pkt6.msgtype; "
			    "0x00000001; ==; and; option[3].exists (ia); and");
	ternd_expr_free(x6);
	done(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_options_direct),
		cmocka_unit_test(test_pkt6_and_member),
		cmocka_unit_test(test_relays),
		cmocka_unit_test(test_kea_objects),
		cmocka_unit_test(test_kea_unpack),
		cmocka_unit_test(test_kea_edges),
		cmocka_unit_test(test_kea_drops),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_family_mismatch),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
