/* Unit tests for ternd's classification expressions: Kea 2.2's grammar, its
 * refusals with their columns, and evaluation against packets built with
 * libtern's writer (including malformed ones, for the ASan build). */
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

#include "server/classify/expr.h"

/* ---------------------------------------------------------------------
 * Packets: written with libtern's writer, then copied to a buffer of
 * exactly their size so that any read past the end trips ASan.
 */
struct tpkt {
	uint8_t *buf;
	struct tern_dhcp4_msg m;
	struct ternd_expr_pkt p;
	uint64_t classes[2];
};

struct opt {
	uint8_t code;
	const void *data;
	size_t len;
};
#define OPT(c, s)                   \
	{                           \
		c, s, sizeof(s) - 1 \
	}
#define OPTB(c, ...)                                           \
	{                                                      \
		c, (const uint8_t[]){__VA_ARGS__},             \
			sizeof((const uint8_t[]){__VA_ARGS__}) \
	}
#define END_OPTS           \
	{                  \
		0, NULL, 0 \
	}

static struct tern_dhcp4_hdr base_hdr(void)
{
	struct tern_dhcp4_hdr h;

	memset(&h, 0, sizeof(h));
	h.op = TERN_DHCP4_BOOTREQUEST;
	h.htype = 1;
	h.hlen = 6;
	h.xid = 0x12345678;
	h.giaddr.s_addr = htonl(0x0a000001);
	h.ciaddr.s_addr = htonl(0x0a000102);
	h.yiaddr.s_addr = htonl(0x0a000103);
	h.siaddr.s_addr = htonl(0x0a000104);
	memcpy(h.chaddr, "\x02\x00\x00\x00\x00\x01", 6);
	return h;
}

/* Builds a packet; rai (sub-options of 82, written as a container) is a
 * list too, NULL for none. */
static void pkt_build_h(struct tpkt *t, const struct tern_dhcp4_hdr *h,
			const struct opt *opts, const struct opt *rai)
{
	uint8_t tmp[2048];
	struct tern_dhcp4_writer w;
	int n;

	memset(t, 0, sizeof(*t));
	assert_int_equal(tern_dhcp4_writer_init(&w, tmp, sizeof(tmp), 0, 0), 0);
	for (const struct opt *o = opts; o && o->data; o++)
		assert_int_equal(tern_dhcp4_put(&w, o->code, o->data, o->len),
				 0);
	if (rai) {
		assert_int_equal(tern_dhcp4_container_begin(&w, 82), 0);
		for (const struct opt *o = rai; o->data; o++)
			assert_int_equal(tern_dhcp4_subopt_put(&w, o->code,
							       o->data, o->len),
					 0);
		assert_int_equal(tern_dhcp4_container_end(&w), 0);
	}
	assert_int_equal(tern_dhcp4_write_header(&w, h), 0);
	n = tern_dhcp4_writer_finish(&w, false);
	assert_true(n > 0);
	t->buf = malloc((size_t)n);
	assert_non_null(t->buf);
	memcpy(t->buf, tmp, (size_t)n);
	assert_int_equal(tern_dhcp4_parse(&t->m, t->buf, (size_t)n) >= 0, 1);
	t->p.m = &t->m;
	t->p.iface = "eth1";
	t->p.src = 0x0a000001;
	t->p.dst = 0x0a000002;
	t->p.classes = t->classes;
	t->p.n_class_words = 2;
}

static void pkt_build(struct tpkt *t, const struct opt *opts,
		      const struct opt *rai)
{
	struct tern_dhcp4_hdr h = base_hdr();

	pkt_build_h(t, &h, opts, rai);
}

static void pkt_free(struct tpkt *t)
{
	free(t->buf);
	t->buf = NULL;
}

/* A PXE client behind a relay, with a bit of everything. */
static void pkt_pxe(struct tpkt *t)
{
	const struct opt opts[] = {
		OPTB(53, 1),
		OPT(60, "PXEClient:Arch:00007:UNDI:003016"),
		OPTB(93, 0x00, 0x07),
		OPT(12, "host1"),
		OPT(77, "iPXE"),
		OPTB(61, 1, 2, 0, 0, 0, 0, 1),
		OPTB(55, 1, 3, 6),
		/* 124: enterprise 4491, data "docsis3.0", enterprise 4491,
		 * data "ab" */
		OPTB(124, 0, 0, 0x11, 0x8b, 9, 'd', 'o', 'c', 's', 'i', 's',
		     '3', '.', '0', 0, 0, 0x11, 0x8b, 2, 'a', 'b'),
		/* 125: enterprise 4491 (DOCSIS), data-len 12: sub 1 (oro)
		 * 1 2, sub 2 (tftp-servers) 10.0.0.1, sub 3 empty */
		OPTB(125, 0, 0, 0x11, 0x8b, 12, 1, 2, 1, 2, 2, 4, 10, 0, 0, 1,
		     3, 0),
		END_OPTS,
	};
	const struct opt rai[] = {
		OPT(1, "port1"),
		OPT(2, "remote"),
		END_OPTS,
	};

	pkt_build(t, opts, rai);
}

/* ---------------------------------------------------------------------
 * Environment: Kea's standard option names (the defaults), and a few
 * classes.
 */
static const char *const class_names[] = {
	"ALL",	       "KNOWN",		 "UNKNOWN",    "foo",
	"needs-known", "VENDOR_CLASS_x", "HA_server1", "BOOTP",
};

static int class_index(void *ctx, const char *name, bool *ret_dk)
{
	(void)ctx;
	for (size_t i = 0; i < sizeof(class_names) / sizeof(class_names[0]);
	     i++)
		if (!strcmp(name, class_names[i])) {
			*ret_dk = !strcmp(name, "needs-known");
			return (int)i;
		}
	return -ENOENT;
}

static bool container43(void *ctx, uint8_t code)
{
	(void)ctx;
	return code == 43 || code == 224;
}

static const struct ternd_expr_env env = {
	.class_index = class_index,
};
static const struct ternd_expr_env env43 = {
	.class_index = class_index,
	.opt_is_container = container43,
};

static struct ternd_expr_scratch scratch;

static struct ternd_expr *compile_env(const char *text,
				      const struct ternd_expr_env *e)
{
	struct ternd_expr *x = NULL;
	struct ternd_expr_error err;
	int r = ternd_expr_compile(text, e, &x, &err);

	if (r != 0)
		fail_msg("%s: refused at %u: %s", text, err.column, err.msg);
	return x;
}

/* Evaluates a boolean expression: 1, 0 or the error. */
static int ev_env(const char *text, struct tpkt *t,
		  const struct ternd_expr_env *e)
{
	struct ternd_expr *x = compile_env(text, e);
	int r = ternd_expr_eval(x, &t->p, &scratch);

	ternd_expr_free(x);
	return r;
}

static int ev(const char *text, struct tpkt *t)
{
	return ev_env(text, t, &env);
}

#define TRUE(e, t)  assert_int_equal(ev(e, t), 1)
#define FALSE(e, t) assert_int_equal(ev(e, t), 0)

/* Evaluates a string expression into a static buffer, NUL-terminated. */
static const char *evs_env(const char *text, struct tpkt *t,
			   const struct ternd_expr_env *e)
{
	static char out[TERND_EXPR_SCRATCH + 1];
	struct ternd_expr *x = NULL;
	struct ternd_expr_error err;
	int r = ternd_expr_compile_string(text, e, &x, &err);

	if (r != 0)
		fail_msg("%s: refused at %u: %s", text, err.column, err.msg);
	r = ternd_expr_eval_string(x, &t->p, &scratch, (uint8_t *)out,
				   sizeof(out) - 1);
	ternd_expr_free(x);
	if (r < 0)
		fail_msg("%s: evaluation error %d", text, r);
	out[r] = '\0';
	return out;
}

static const char *evs(const char *text, struct tpkt *t)
{
	return evs_env(text, t, &env);
}

/* String expression evaluated to an error. */
static int evs_err(const char *text, struct tpkt *t)
{
	uint8_t out[64];
	struct ternd_expr *x = NULL;
	int r;

	assert_int_equal(ternd_expr_compile_string(text, &env, &x, NULL), 0);
	r = ternd_expr_eval_string(x, &t->p, &scratch, out, sizeof(out));
	ternd_expr_free(x);
	return r;
}

/* The compiler refuses text at column with a message containing what. */
static void refused(const char *text, unsigned column, const char *what)
{
	struct ternd_expr *x = NULL;
	struct ternd_expr_error err;
	int r = ternd_expr_compile(text, &env, &x, &err);

	if (r != -EINVAL)
		fail_msg("%s: accepted (%d)", text, r);
	assert_null(x);
	if (err.column != column || !strstr(err.msg, what))
		fail_msg("%s: refused at %u with '%s', expected %u '%s'", text,
			 err.column, err.msg, column, what);
}

/* ---------------------------------------------------------------------
 * Literals, operators, precedence.
 */
static void test_literals(void **state)
{
	struct tpkt t;

	(void)state;
	pkt_pxe(&t);
	TRUE("'abc' == 'abc'", &t);
	FALSE("'abc' == 'abd'", &t);
	TRUE("'' == ''", &t);
	TRUE("0x616263 == 'abc'", &t);
	TRUE("0X0a0B == 0x0a0b", &t);
	TRUE("0x1 == 0x01", &t); /* odd length: left-padded */
	TRUE("0xabc == 0x0abc", &t);
	FALSE("0x1 == 0x10", &t);
	TRUE("1 == 0x00000001", &t); /* integers are 4 bytes, big-endian */
	TRUE("4294967295 == 0xffffffff", &t);
	TRUE("0 == 0x00000000", &t);
	TRUE("10.0.0.1 == 0x0a000001", &t);
	TRUE("0.0.0.0 == 0x00000000", &t);
	TRUE("::1 == 0x00000000000000000000000000000001", &t);
	TRUE("2001:db8::1 == 0x20010db8000000000000000000000001", &t);
	TRUE("::ffff:1.2.3.4 == 0x00000000000000000000ffff01020304", &t);
	TRUE("'a b' == 'a' + ' ' + 'b'", &t);
	TRUE("'x' == 'x'\n", &t); /* newlines are blanks */
	TRUE("\t'x'\n==\n'x'", &t);
	pkt_free(&t);
}

static void test_logic(void **state)
{
	struct tpkt t;

	(void)state;
	pkt_pxe(&t);
	TRUE("'a' == 'a' and 'b' == 'b'", &t);
	FALSE("'a' == 'a' and 'b' == 'c'", &t);
	TRUE("'a' == 'x' or 'b' == 'b'", &t);
	FALSE("'a' == 'x' or 'b' == 'x'", &t);
	TRUE("not 'a' == 'b'", &t);
	FALSE("not 'a' == 'a'", &t);
	TRUE("not not 'a' == 'a'", &t);
	/* and binds tighter than or, not tighter than and. */
	TRUE("'a' == 'a' or 'a' == 'b' and 'a' == 'b'", &t);
	FALSE("('a' == 'a' or 'a' == 'b') and 'a' == 'b'", &t);
	TRUE("not 'a' == 'a' or 'a' == 'a'", &t);
	FALSE("not ('a' == 'a' or 'a' == 'a')", &t);
	FALSE("not 'a' == 'b' and 'a' == 'b'", &t);
	/* Parentheses around strings too. */
	TRUE("('a') == 'a'", &t);
	TRUE("(('a')) + ('b') == 'ab'", &t);
	TRUE("('a' + 'b') == ('ab')", &t);
	/* + binds tighter than ==, on both sides. */
	TRUE("'a' + 'b' == 'ab' + ''", &t);
	/* Kea's flex lexer makes `ornot` two keywords. */
	TRUE("'a' == 'a' ornot 'a' == 'b'", &t);
	/* A long chain stays shallow. */
	{
		char buf[20000];
		size_t n = 0;

		for (int i = 0; i < 500; i++)
			n += (size_t)snprintf(buf + n, sizeof(buf) - n,
					      "%spkt4.mac == 0x0200000000%02x",
					      i ? " or " : "", i % 256);
		TRUE(buf, &t);
	}
	pkt_free(&t);
}

/* ---------------------------------------------------------------------
 * Options.
 */
static void test_options(void **state)
{
	struct tpkt t;

	(void)state;
	pkt_pxe(&t);
	TRUE("option[60].exists", &t);
	TRUE("option[vendor-class-identifier].exists", &t);
	TRUE("option[ vendor-class-identifier ].exists", &t);
	FALSE("option[66].exists", &t);
	FALSE("option[tftp-server-name].exists", &t);
	TRUE("option[60].hex == 'PXEClient:Arch:00007:UNDI:003016'", &t);
	TRUE("option[60].text == 'PXEClient:Arch:00007:UNDI:003016'", &t);
	TRUE("substring(option[60].hex,0,9) == 'PXEClient'", &t);
	TRUE("option[93].hex == 0x0007", &t);
	FALSE("option[93].hex == 7", &t); /* 4 bytes against 2 */
	FALSE("option[93].hex == '0007'", &t);
	TRUE("option[client-system].hex == 0x0007", &t);
	TRUE("option[77].hex == 'iPXE'", &t);
	TRUE("option[user-class].hex == 'iPXE'", &t);
	TRUE("option[12].text == 'host1'", &t);
	TRUE("option[host-name].text == 'host1'", &t);
	/* Missing options read as "". */
	TRUE("option[66].hex == ''", &t);
	TRUE("option[66].text == ''", &t);
	TRUE("option[0].hex == ''", &t);
	TRUE("option[255].hex == ''", &t);
	/* .text of a non-string option is Kea's debug form, by the class
	 * Kea holds the option in. */
	assert_string_equal(evs("option[77].text", &t),
			    "type=077, len=004: 69:50:58:45");
	assert_string_equal(evs("option[61].text", &t),
			    "type=061, len=007: 01:02:00:00:00:00:01");
	assert_string_equal(evs("option[93].text", &t),
			    "type=093, len=002: 7(uint16)");
	assert_string_equal(evs("option[55].text", &t),
			    "type=055, len=003: 1(uint8) 3(uint8) 6(uint8)");
	assert_string_equal(evs("option[53].text", &t),
			    "type=053, len=001: 1 (uint8)");
	assert_string_equal(evs("option[55].hex", &t), "\x01\x03\x06");
	pkt_free(&t);
}

static void test_string_options(void **state)
{
	struct tpkt t;
	const struct opt nul[] = {
		OPTB(53, 3),	   {60, "MSFT 5.0\0\0", 10},
		{12, "", 0},	   /* empty host name: Kea drops it */
		{15, "\0\0", 2},   /* only NULs: Kea skips it */
		{17, "a\0b\0", 4}, /* only trailing NULs go */
		END_OPTS,
	};
	/* 60 given twice: Kea trims each part, then fuses them into a
	 * generic option (so .text is the debug form). */
	const struct opt twice[] = {
		OPTB(53, 3),   {60, "ab\0", 3}, {60, "cd", 2},
		{66, "\0", 1}, {66, "tftp", 4}, END_OPTS,
	};

	(void)state;
	pkt_build(&t, nul, NULL);
	TRUE("option[vendor-class-identifier].text == 'MSFT 5.0'", &t);
	TRUE("option[60].hex == 'MSFT 5.0'", &t);
	FALSE("option[12].exists", &t);
	FALSE("option[15].exists", &t);
	TRUE("option[15].hex == ''", &t);
	TRUE("option[17].hex == 0x610062", &t);
	/* 61 is binary: NULs stay. */
	pkt_free(&t);

	pkt_build(&t, twice, NULL);
	TRUE("option[60].hex == 'abcd'", &t);
	assert_string_equal(evs("option[60].text", &t),
			    "type=060, len=004: 61:62:63:64");
	/* One part survives trimming: still a string option. */
	TRUE("option[66].text == 'tftp'", &t);
	pkt_free(&t);
}

static void test_split_options(void **state)
{
	struct tpkt t;
	uint8_t big[600];
	struct opt opts[] = {
		OPTB(53, 1),
		{77, big, sizeof(big)}, /* written as 3 instances */
		END_OPTS,
	};
	char expr[64];

	(void)state;
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)i;
	pkt_build(&t, opts, NULL);
	assert_int_equal(tern_dhcp4_opt_count(&t.m, 77), 3);
	TRUE("option[77].exists", &t);
	TRUE("substring(option[77].hex, 254, 3) == 0xfeff00", &t);
	TRUE("substring(option[77].hex, -1, all) == 0x57", &t);
	snprintf(expr, sizeof(expr), "substring(option[77].hex, 0, all)");
	assert_memory_equal(evs(expr, &t), big, 255);
	pkt_free(&t);
}

static void test_relay4(void **state)
{
	struct tpkt t;
	const struct opt none[] = {OPTB(53, 1), END_OPTS};
	/* Sub-options out of order, one repeated, a message type (53) one,
	 * and a truncated one at the end. */
	const struct opt messy[] = {
		OPTB(53, 1),
		OPTB(82, 2, 1, 'r', 53, 1, 9, 1, 2, 'p', '1', 2, 1, 's', 9, 5,
		     'x'),
		END_OPTS,
	};

	(void)state;
	pkt_pxe(&t);
	TRUE("relay4[1].hex == 'port1'", &t);
	TRUE("relay4[1].exists", &t);
	TRUE("relay4[2].hex == 'remote'", &t);
	TRUE("option[82].option[2].hex == 'remote'", &t);
	TRUE("option[82].option[1].exists", &t);
	FALSE("relay4[3].exists", &t);
	TRUE("relay4[3].hex == ''", &t);
	FALSE("option[82].option[6].exists", &t);
	/* No definitions in the relay agent space: .text is the debug
	 * form, so Kea's relay4[1].text == 'port1' is false. */
	FALSE("relay4[1].text == 'port1'", &t);
	assert_string_equal(evs("relay4[1].text", &t),
			    "type=001, len=005: 70:6f:72:74:31");
	TRUE("option[82].hex == 0x0105706f72743102067265"
	     "6d6f7465",
	     &t);
	assert_string_equal(evs("option[82].text", &t),
			    "type=082, len=015:,\noptions:\n"
			    "  type=001, len=005: 70:6f:72:74:31\n"
			    "  type=002, len=006: 72:65:6d:6f:74:65");
	/* Only 82 has sub-options among these. */
	FALSE("option[60].option[1].exists", &t);
	TRUE("option[60].option[1].hex == ''", &t);
	pkt_free(&t);

	pkt_build(&t, none, NULL);
	FALSE("relay4[1].exists", &t);
	TRUE("relay4[1].hex == ''", &t);
	TRUE("option[82].hex == ''", &t);
	pkt_free(&t);

	pkt_build(&t, messy, NULL);
	/* Same-code sub-options fused, truncated tail dropped. */
	TRUE("relay4[2].hex == 'rs'", &t);
	TRUE("relay4[1].hex == 'p1'", &t);
	TRUE("relay4[53].hex == 0x09", &t);
	FALSE("relay4[9].exists", &t);
	/* Re-encoded: code order, 53 left out, as Kea's packOptions4. */
	TRUE("option[82].hex == 0x0102703102027273", &t);
	assert_string_equal(evs("option[82].text", &t),
			    "type=082, len=011:,\noptions:\n"
			    "  type=001, len=002: 70:31\n"
			    "  type=002, len=002: 72:73\n"
			    "  type=053, len=001: 09");
	pkt_free(&t);
}

static void test_container43(void **state)
{
	struct tpkt t;
	const struct opt opts[] = {
		OPTB(53, 1),
		/* Pad, sub 1 "ab", End, then what End hides */
		OPTB(43, 0, 1, 2, 'a', 'b', 255, 3, 1, 'z'),
		OPTB(224, 1, 1, 'q'),
		END_OPTS,
	};

	(void)state;
	pkt_build(&t, opts, NULL);
	/* Standard table: 43 is not unpacked (Kea defers it). */
	FALSE("option[43].option[1].exists", &t);
	TRUE("option[43].hex == 0x000102616bff03017a"
	     " or option[43].hex == 0x00010261 + 0x62ff03017a",
	     &t);
	/* The loader says it is a container. */
	assert_int_equal(ev_env("option[43].option[1].hex == 'ab'", &t, &env43),
			 1);
	assert_int_equal(ev_env("option[43].option[3].exists", &t, &env43), 0);
	assert_int_equal(ev_env("option[224].option[1].hex == 'q'", &t, &env43),
			 1);
	assert_int_equal(ev_env("option[43].hex == 0x01026162", &t, &env43), 1);
	pkt_free(&t);
}

/*
 * Kea's option objects: what .hex/.text/pkt.len show is Kea's re-encoding
 * of the object it built. Every expected value below was checked against
 * kea-dhcp4 2.2 itself, with the same packet.
 */
static void test_kea_objects(void **state)
{
	struct tpkt t;
	const struct opt typed[] = {
		OPTB(53, 1),
		OPTB(1, 255, 255, 255, 0),
		OPTB(2, 0xff, 0xff, 0xff, 0xf0),
		OPTB(3, 10, 0, 0, 1, 10, 0, 0, 2),
		OPTB(19, 1),
		OPTB(20, 2),
		OPTB(54, 10, 0, 0, 6, 1, 1, 'a'), /* one address, then junk */
		OPTB(57, 0x05, 0xdc),
		OPTB(13, 1, 2),
		END_OPTS,
	};
	/* Integer options longer than their type: the rest is parsed as
	 * sub-options (truncated ones dropped). */
	const struct opt tails[] = {
		OPTB(53, 1, 2, 3, 'a', 'b', 'c', 9, 1, 'z'),
		OPTB(57, 0x05, 0xdc, 1, 1, 'q', 1, 1, 'r'),
		OPTB(23, 0x40, 0, 0),
		OPTB(51, 0, 0, 0x0e, 0x10, 53, 1, 'm', 82, 1, 'n'),
		END_OPTS,
	};
	/* Several instances: fused into a generic option keeping what each
	 * object kept (nothing for integers and address lists). */
	const struct opt fused[] = {
		OPTB(53, 1),
		OPTB(55, 1, 3),
		OPTB(55, 6),
		OPTB(3, 10, 0, 0, 1),
		OPTB(3, 10, 0, 0, 2),
		OPTB(50, 10, 0, 0, 5),
		OPTB(50, 10, 0, 0, 6),
		OPT(61, "ab"),
		OPT(61, "cd"),
		OPTB(82, 1, 1, 'x'),
		OPTB(82, 1, 1, 'y', 2, 1, 'z'),
		END_OPTS,
	};
	/* A malformed 125: Kea stops there, and never fuses. */
	const struct opt cut[] = {
		OPTB(53, 1),
		{60, "a\0", 2},
		OPT(60, "b"),
		OPTB(55, 1),
		OPTB(55, 2),
		OPTB(82, 1, 1, 'x', 1, 1, 'y', 2, 1, 'z', 53, 1, 'q'),
		OPTB(82, 1, 1, 'w'),
		OPTB(53, 3),
		OPTB(57, 0x05, 0xdc, 1, 1, 'q', 1, 1, 'r'),
		OPTB(125, 0, 0),
		OPT(77, "after"),
		END_OPTS,
	};
	const struct opt twice53[] = {OPTB(53, 1), OPTB(53, 3), END_OPTS};
	struct tern_dhcp4_writer w;
	struct tern_dhcp4_hdr h = base_hdr();
	uint8_t tmp[600];
	int n;

	(void)state;
	pkt_build(&t, typed, NULL);
	assert_string_equal(evs("option[1].text", &t),
			    "type=001, len=004: 255.255.255.0 (ipv4-address)");
	assert_string_equal(evs("option[2].text", &t),
			    "type=002, len=004: -16 (int32)");
	assert_string_equal(evs("option[3].text", &t),
			    "type=003, len=008: 10.0.0.1 10.0.0.2");
	assert_string_equal(evs("option[19].text", &t),
			    "type=019, len=001: true (boolean)");
	assert_int_equal(evs_err("option[20].text", &t), -EINVAL);
	assert_string_equal(evs("option[54].text", &t),
			    "type=054, len=004: 10.0.0.6 (ipv4-address)");
	TRUE("option[54].hex == 10.0.0.6", &t);
	assert_string_equal(evs("option[57].text", &t),
			    "type=057, len=002: 1500 (uint16)");
	assert_string_equal(evs("option[13].text", &t),
			    "type=013, len=002: 258 (uint16)");
	pkt_free(&t);

	pkt_build(&t, tails, NULL);
	TRUE("option[53].hex == 0x01020361626309017a", &t);
	assert_string_equal(evs("option[53].text", &t),
			    "type=053, len=009: 1 (uint8),\noptions:\n"
			    "  type=002, len=003: 61:62:63\n"
			    "  type=009, len=001: 7a");
	TRUE("option[53].option[9].hex == 'z'", &t);
	TRUE("option[57].hex == 0x05dc01027172", &t); /* fused */
	assert_string_equal(evs("option[57].text", &t),
			    "type=057, len=006: 1500 (uint16),\noptions:\n"
			    "  type=001, len=002: 71:72");
	TRUE("option[23].hex == 0x400000", &t);
	TRUE("option[51].hex == 0x00000e1052016e", &t); /* 53 left out */
	TRUE("pkt.len == 272", &t);
	pkt_free(&t);

	pkt_build(&t, fused, NULL);
	TRUE("option[55].exists", &t);
	TRUE("option[55].hex == ''", &t);
	assert_string_equal(evs("option[55].text", &t), "type=055, len=000: ");
	TRUE("option[3].hex == ''", &t);
	TRUE("option[50].hex == 0x0a0000050a000006", &t);
	TRUE("option[61].hex == 'abcd'", &t);
	TRUE("option[82].hex == 0x01017801017902017a0102787902017a", &t);
	assert_string_equal(evs("option[82].text", &t),
			    "type=082, len=016: 01:01:78:01:01:79:02:01:7a,\n"
			    "options:\n"
			    "  type=001, len=002: 78:79\n"
			    "  type=002, len=001: 7a");
	TRUE("relay4[1].hex == 'xy'", &t);
	TRUE("pkt.len == 277", &t);
	pkt_free(&t);

	pkt_build(&t, cut, NULL);
	TRUE("option[60].hex == 'a'", &t);
	TRUE("option[60].text == 'a'", &t);
	assert_string_equal(evs("option[55].text", &t),
			    "type=055, len=001: 1(uint8)");
	TRUE("option[82].hex == 0x01017801017902017a", &t);
	assert_string_equal(evs("option[82].text", &t),
			    "type=082, len=012:,\noptions:\n"
			    "  type=001, len=001: 78\n"
			    "  type=001, len=001: 79\n"
			    "  type=002, len=001: 7a\n"
			    "  type=053, len=001: 71");
	TRUE("relay4[1].hex == 'x'", &t);
	TRUE("pkt4.msgtype == 1", &t);
	TRUE("option[57].hex == 0x05dc010171010172", &t);
	FALSE("option[77].exists", &t);
	FALSE("option[125].exists", &t);
	TRUE("pkt.len == 283", &t);
	pkt_free(&t);

	/* Fused message types: the generic option kept nothing. */
	pkt_build(&t, twice53, NULL);
	assert_int_equal(ev("pkt4.msgtype == 1", &t), -EBADMSG);
	TRUE("option[53].hex == ''", &t);
	pkt_free(&t);

	/* Kea 2.2 ignores option overload: what is in file is not seen. */
	memset(&t, 0, sizeof(t));
	assert_int_equal(tern_dhcp4_writer_init(&w, tmp, sizeof(tmp), 300,
						TERN_DHCP4_W_OVERLOAD),
			 0);
	tern_dhcp4_put_msg_type(&w, 1);
	tern_dhcp4_put(&w, 77, "0123456789012345678901234567890123456789", 40);
	tern_dhcp4_put(&w, 60, "in-the-file-field", 17);
	tern_dhcp4_write_header(&w, &h);
	n = tern_dhcp4_writer_finish(&w, false);
	assert_true(n > 0);
	t.buf = malloc((size_t)n);
	memcpy(t.buf, tmp, (size_t)n);
	assert_true(tern_dhcp4_parse(&t.m, t.buf, (size_t)n) >= 0);
	assert_true(tern_dhcp4_has_opt(&t.m, 60));
	assert_true(tern_dhcp4_has_opt(&t.m, 52));
	t.p.m = &t.m;
	FALSE("option[60].exists", &t);
	TRUE("option[77].exists and option[52].hex == 0x01", &t);
	pkt_free(&t);
}

/* ---------------------------------------------------------------------
 * Packet fields.
 */
static void test_pkt_fields(void **state)
{
	struct tpkt t;
	struct tern_dhcp4_hdr h = base_hdr();
	const struct opt rel[] = {OPTB(53, 7), OPTB(55, 1, 3, 6),
				  OPTB(61, 1, 2, 3, 4, 5, 6, 7), END_OPTS};
	const struct opt notype[] = {OPTB(55, 1), END_OPTS};
	const struct opt emptytype[] = {{53, "", 0}, END_OPTS};

	(void)state;
	pkt_build(&t, rel, NULL);
	TRUE("pkt4.msgtype == 7", &t);
	FALSE("pkt4.msgtype == 1", &t);
	TRUE("pkt4.transid == 0x12345678", &t);
	TRUE("pkt4.transid == 305419896", &t);
	TRUE("pkt4.mac == 0x020000000001", &t);
	TRUE("hexstring(pkt4.mac, ':') == '02:00:00:00:00:01'", &t);
	TRUE("pkt4.hlen == 6", &t);
	TRUE("pkt4.htype == 1", &t);
	TRUE("pkt4.giaddr == 10.0.0.1", &t);
	TRUE("pkt4.ciaddr == 10.0.1.2", &t);
	TRUE("pkt4.yiaddr == 10.0.1.3", &t);
	TRUE("pkt4.siaddr == 10.0.1.4", &t);
	FALSE("pkt4.giaddr == 0.0.0.0", &t);
	TRUE("pkt.iface == 'eth1'", &t);
	TRUE("pkt.src == 10.0.0.1", &t);
	TRUE("pkt.dst == 10.0.0.2", &t);
	/* Kea's Pkt4::len(): 236 + each option re-encoded, no cookie,
	 * End or padding: 236 + 3 + 5 + 9. */
	TRUE("pkt.len == 253", &t);
	t.p.iface = NULL;
	TRUE("pkt.iface == ''", &t);
	pkt_free(&t);

	pkt_build(&t, notype, NULL);
	TRUE("pkt4.msgtype == 0", &t);
	pkt_free(&t);
	pkt_build(&t, emptytype, NULL);
	assert_int_equal(ev("pkt4.msgtype == 0", &t), -EBADMSG);
	pkt_free(&t);

	/* Hardware address: cut to hlen, zero-padded past 16 up to 20. */
	h.hlen = 3;
	pkt_build_h(&t, &h, rel, NULL);
	TRUE("pkt4.mac == 0x020000", &t);
	TRUE("pkt4.hlen == 3", &t);
	pkt_free(&t);
	h.hlen = 18;
	memset(h.chaddr, 0xaa, 16);
	pkt_build_h(&t, &h, rel, NULL);
	TRUE("pkt4.mac == 0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa0000", &t);
	TRUE("pkt4.hlen == 16", &t);
	pkt_free(&t);
	h.hlen = 255;
	pkt_build_h(&t, &h, rel, NULL);
	TRUE("pkt4.mac == 0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa00000000", &t);
	pkt_free(&t);
	h.hlen = 0;
	pkt_build_h(&t, &h, rel, NULL);
	TRUE("pkt4.mac == ''", &t);
	pkt_free(&t);
}

static void test_pkt_len_kea(void **state)
{
	struct tpkt t;
	/* String trimmed (60: 2 NULs gone), empty 12 dropped, 82 counted
	 * with its sub-options, 125 as OptionVendor::len. */
	const struct opt opts[] = {
		OPTB(53, 1), {60, "ab\0\0", 4},
		{12, "", 0}, OPTB(125, 0, 0, 0, 9, 3, 1, 1, 'x'),
		END_OPTS,
	};
	const struct opt rai[] = {OPT(1, "p"), END_OPTS};

	(void)state;
	pkt_build(&t, opts, rai);
	/* 236 + 53:3 + 60:4 + 125:(2+4+1+3) + 82:(2+3) */
	TRUE("pkt.len == 258", &t);
	pkt_free(&t);
}

/* ---------------------------------------------------------------------
 * String functions.
 */
static void test_substring(void **state)
{
	struct tpkt t;

	(void)state;
	pkt_pxe(&t);
	/* Kea's ARM examples. */
	TRUE("substring('foobar', 0, 6) == 'foobar'", &t);
	TRUE("substring('foobar', 3, 3) == 'bar'", &t);
	TRUE("substring('foobar', 3, all) == 'bar'", &t);
	TRUE("substring('foobar', 1, 4) == 'ooba'", &t);
	TRUE("substring('foobar', -5, 4) == 'ooba'", &t);
	TRUE("substring('foobar', -1, -3) == 'oba'", &t);
	TRUE("substring('foobar', 4, -2) == 'ob'", &t);
	TRUE("substring('foobar', 10, 2) == ''", &t);
	/* Edges. */
	TRUE("substring('foobar', 6, 1) == ''", &t);
	TRUE("substring('foobar', -6, 2) == 'fo'", &t);
	TRUE("substring('foobar', -7, 2) == ''", &t);
	TRUE("substring('foobar', 2, 100) == 'obar'", &t);
	TRUE("substring('foobar', 2, 0) == ''", &t);
	TRUE("substring('foobar', 2, -100) == 'fo'", &t);
	TRUE("substring('foobar', 0, -1) == ''", &t);
	TRUE("substring('foobar', -1, all) == 'r'", &t);
	TRUE("substring('foobar', 5, -5) == 'fooba'", &t);
	TRUE("substring('', 0, 1) == ''", &t);
	TRUE("substring(option[66].hex, 0, all) == ''", &t);
	/* Beyond int: Kea's lexical_cast<int> fails at evaluation, unless
	 * the string is empty (checked first). */
	assert_int_equal(ev("substring('abc', 0, 2147483648) == ''", &t),
			 -EINVAL);
	assert_int_equal(ev("substring('abc', -2147483649, 1) == ''", &t),
			 -EINVAL);
	TRUE("substring('', 99999999999, 1) == ''", &t);
	TRUE("substring('abc', 2147483647, 1) == ''", &t);
	TRUE("substring('abc', 1, -2147483648) == 'a'", &t);
	pkt_free(&t);
}

static void test_split(void **state)
{
	struct tpkt t;

	(void)state;
	pkt_pxe(&t);
	TRUE("split ('one.two..four', '.', 1) == 'one'", &t);
	TRUE("split ('one.two..four', '.', 2) == 'two'", &t);
	TRUE("split ('one.two..four', '.', 3) == ''", &t);
	TRUE("split ('one.two..four', '.', 4) == 'four'", &t);
	TRUE("split ('one.two..four', '.', 5) == ''", &t);
	TRUE("split('a.b:c', '.:', 3) == 'c'", &t); /* any of the bytes */
	TRUE("split('a.b', '', 1) == 'a.b'", &t);   /* no delimiters */
	TRUE("split('a.b', '', 7) == 'a.b'", &t);
	TRUE("split('', '.', 1) == ''", &t);
	TRUE("split('a.b', '.', 0) == ''", &t);
	TRUE("split('a.b', '.', -1) == ''", &t);
	TRUE("split('.a', '.', 1) == ''", &t);
	TRUE("split('a.', '.', 2) == ''", &t);
	TRUE("split('a.', '.', 3) == ''", &t);
	TRUE("split('abc', '.', 1) == 'abc'", &t);
	TRUE("split(option[60].hex, ':', 2) == 'Arch'", &t);
	TRUE("split(option[60].hex, ':', 5) == '003016'", &t);
	assert_int_equal(ev("split('a', '.', 4294967296) == ''", &t), -EINVAL);
	TRUE("split('', '.', 4294967296) == ''", &t);
	pkt_free(&t);
}

static void test_functions(void **state)
{
	struct tpkt t;

	(void)state;
	pkt_pxe(&t);
	TRUE("concat('foo', 'bar') == 'foobar'", &t);
	TRUE("concat('', 'bar') == 'bar'", &t);
	TRUE("concat('foo', '') == 'foo'", &t);
	TRUE("'abc' + 'def' + 'ghi' == 'abcdefghi'", &t);
	TRUE("concat(concat('a', 'b'), concat('c', 'd')) == 'abcd'", &t);
	TRUE("ifelse('foo' == 'bar', 'us', 'them') == 'them'", &t);
	TRUE("ifelse(option[60].exists, 'us', 'them') == 'us'", &t);
	TRUE("ifelse(option[230].exists, option[230].hex, 'none') == 'none'",
	     &t);
	TRUE("hexstring('foo', '-') == '66-6f-6f'", &t);
	TRUE("hexstring(0x0a1b2c, '') == '0a1b2c'", &t);
	TRUE("hexstring(0xff, ':') == 'ff'", &t);
	TRUE("hexstring('', ':') == ''", &t);
	TRUE("hexstring(0x0102, '::') == '01::02'", &t);
	TRUE("hexstring(option[61].hex, ':') == '01:02:00:00:00:00:01'", &t);
	pkt_free(&t);
}

static void test_totext(void **state)
{
	struct tpkt t;

	(void)state;
	pkt_pxe(&t);
	TRUE("addrtotext(192.10.0.1) == '192.10.0.1'", &t);
	TRUE("addrtotext (2003:db8::) == '2003:db8::'", &t);
	TRUE("addrtotext(0x20030db8000000000000000000000001) == "
	     "'2003:db8::1'",
	     &t);
	TRUE("addrtotext(pkt4.giaddr) == '10.0.0.1'", &t);
	TRUE("addrtotext('') == ''", &t);
	assert_int_equal(ev("addrtotext('abc') == ''", &t), -EINVAL);
	TRUE("int8totext(0xff) == '-1'", &t);
	TRUE("int8totext(0x7f) == '127'", &t);
	TRUE("uint8totext(0xff) == '255'", &t);
	TRUE("int16totext(0xfffe) == '-2'", &t);
	TRUE("int16totext(0x8000) == '-32768'", &t);
	TRUE("uint16totext(0x1234) == '4660'", &t);
	TRUE("uint16totext(option[93].hex) == '7'", &t);
	TRUE("int32totext(0xffffffff) == '-1'", &t);
	TRUE("int32totext(0x80000000) == '-2147483648'", &t);
	TRUE("uint32totext(0xffffffff) == '4294967295'", &t);
	TRUE("uint32totext(pkt4.transid) == '305419896'", &t);
	TRUE("uint8totext('') == ''", &t);
	TRUE("int32totext('') == ''", &t);
	assert_int_equal(ev("int8totext(0x0102) == ''", &t), -EINVAL);
	assert_int_equal(ev("uint16totext(0x01) == ''", &t), -EINVAL);
	assert_int_equal(ev("int32totext(0x010203) == ''", &t), -EINVAL);
	/* Errors are not short-cut by and/or (Kea evaluates it all). */
	assert_int_equal(ev("'a' == 'b' and int8totext(0x0102) == ''", &t),
			 -EINVAL);
	assert_int_equal(
		ev("ifelse('a' == 'a', 'x', addrtotext('abc')) == 'x'", &t),
		-EINVAL);
	pkt_free(&t);
}

static void test_member(void **state)
{
	struct tpkt t;
	struct ternd_expr *x;

	(void)state;
	pkt_pxe(&t);
	t.classes[0] = 1u << 0 | 1u << 3; /* ALL, foo */
	TRUE("member('ALL')", &t);
	TRUE("member('foo')", &t);
	FALSE("member('KNOWN')", &t);
	TRUE("not member('KNOWN')", &t);
	FALSE("member('HA_server1')", &t);
	t.classes[0] |= 1u << 1;
	TRUE("member('KNOWN')", &t);
	TRUE("member('foo') and member('KNOWN')", &t);
	t.p.n_class_words = 0; /* no class set at all */
	FALSE("member('ALL')", &t);

	x = compile_env("member('KNOWN')", &env);
	assert_true(ternd_expr_depends_known(x));
	ternd_expr_free(x);
	x = compile_env("not member('UNKNOWN')", &env);
	assert_true(ternd_expr_depends_known(x));
	ternd_expr_free(x);
	x = compile_env("member('foo') or member('needs-known')", &env);
	assert_true(ternd_expr_depends_known(x));
	ternd_expr_free(x);
	x = compile_env("member('foo') and option[60].exists", &env);
	assert_false(ternd_expr_depends_known(x));
	ternd_expr_free(x);
	pkt_free(&t);
}

/* ---------------------------------------------------------------------
 * RFC 3925 vendor options.
 */
static void test_vendor(void **state)
{
	struct tpkt t;
	const struct opt two[] = {
		/* 3561 first, then 4491: Kea 2.2 reads the first block. */
		OPTB(53, 1),
		OPTB(125, 0, 0, 0x0d, 0xe9, 3, 1, 1, 'a', 0, 0, 0x11, 0x8b, 3,
		     2, 1, 'b'),
		END_OPTS,
	};
	const struct opt bad[] = {
		OPTB(53, 1),
		OPTB(125, 0, 0, 0x11, 0x8b, 5, 2, 9, 'a'), /* sub truncated */
		OPT(60, "after"),
		END_OPTS,
	};
	const struct opt shortv[] = {OPTB(53, 1), OPTB(125, 0, 0, 1), END_OPTS};
	const struct opt bare[] = {OPTB(53, 1), OPTB(125, 0, 0, 0x11, 0x8b),
				   END_OPTS};
	const struct opt twice[] = {
		/* Two good instances: fused into a generic option, which is
		 * no vendor option any more. */
		OPTB(53, 1),
		OPTB(125, 0, 0, 0x11, 0x8b, 3, 5, 1, 'a'),
		OPTB(125, 0, 0, 0x11, 0x8b, 3, 5, 1, 'b'),
		END_OPTS,
	};

	(void)state;
	pkt_pxe(&t);
	TRUE("vendor[4491].exists", &t);
	TRUE("vendor[*].exists", &t);
	TRUE("vendor[0].exists", &t);
	FALSE("vendor[3561].exists", &t);
	TRUE("vendor.enterprise == 4491", &t);
	TRUE("vendor.enterprise == 0x0000118b", &t);
	TRUE("vendor[4491].option[2].hex == 10.0.0.1", &t);
	TRUE("vendor[*].option[2].exists", &t);
	TRUE("vendor[4491].option[1].hex == 0x0102", &t);
	TRUE("vendor[4491].option[3].exists", &t);
	TRUE("vendor[4491].option[3].hex == ''", &t);
	FALSE("vendor[4491].option[6].exists", &t);
	TRUE("vendor[4491].option[6].hex == ''", &t);
	FALSE("vendor[3561].option[2].exists", &t);
	TRUE("vendor[3561].option[2].hex == ''", &t);
	TRUE("option[125].option[2].hex == 10.0.0.1", &t);
	/* DOCSIS definitions: oro is a uint8 array, tftp-servers
	 * addresses. */
	assert_string_equal(evs("vendor[4491].option[1].text", &t),
			    "type=001, len=002: 1(uint8) 2(uint8)");
	assert_string_equal(evs("vendor[4491].option[2].text", &t),
			    "type=002, len=004: 10.0.0.1");
	assert_string_equal(evs("vendor[4491].option[3].text", &t),
			    "type=003, len=000: ");
	/* Kea takes sub-option 0 as "none": .exists, even for .hex. */
	TRUE("vendor[4491].option[0].hex == 'true'", &t);
	TRUE("vendor[4491].option[0].exists", &t);
	TRUE("vendor[1].option[0].hex == ''", &t);
	TRUE("option[125].hex == 0x0000118b0c0102010202040a0000010300", &t);
	assert_string_equal(evs("option[125].text", &t),
			    "type=125, len=017: 4491 (uint32) 12 (uint8),\n"
			    "options:\n"
			    "  type=001, len=002: 1(uint8) 2(uint8)\n"
			    "  type=002, len=004: 10.0.0.1\n"
			    "  type=003, len=000: ");
	pkt_free(&t);

	pkt_build(&t, two, NULL);
	TRUE("vendor.enterprise == 3561", &t);
	TRUE("vendor[3561].option[1].hex == 'a'", &t);
	FALSE("vendor[4491].exists", &t);
	FALSE("vendor[*].option[2].exists", &t);
	TRUE("option[125].hex == 0x00000de9030101"
	     "61",
	     &t);
	pkt_free(&t);

	/* Malformed: Kea skips it and every option after it. */
	pkt_build(&t, bad, NULL);
	FALSE("vendor[*].exists", &t);
	FALSE("option[125].exists", &t);
	TRUE("vendor.enterprise == ''", &t);
	FALSE("option[60].exists", &t);
	TRUE("pkt4.msgtype == 1", &t);
	pkt_free(&t);

	pkt_build(&t, shortv, NULL);
	FALSE("vendor[*].exists", &t);
	FALSE("option[125].exists", &t);
	pkt_free(&t);

	pkt_build(&t, bare, NULL);
	TRUE("vendor[4491].exists", &t);
	FALSE("vendor[4491].option[1].exists", &t);
	TRUE("option[125].hex == 0x0000118b00", &t);
	pkt_free(&t);

	pkt_build(&t, twice, NULL);
	FALSE("vendor[*].exists", &t);
	TRUE("vendor.enterprise == ''", &t);
	TRUE("option[125].exists", &t);
	TRUE("option[125].option[5].hex == 'ab'", &t);
	TRUE("option[125].hex == 0x05026162", &t);
	assert_string_equal(evs("option[125].text", &t),
			    "type=125, len=004: ,\noptions:\n"
			    "  type=005, len=002: 61:62");
	pkt_free(&t);
}

static void test_vendor_class(void **state)
{
	struct tpkt t;
	const struct opt other[] = {
		/* second block's enterprise differs: Kea ignores it and
		 * re-encodes the first one. */
		OPTB(53, 1),
		OPTB(124, 0, 0, 0x0b, 0x7a, 1, 'x', 0, 0, 0, 9, 1, 'y'),
		END_OPTS,
	};
	const struct opt trunc[] = {
		OPTB(53, 1),
		OPTB(124, 0, 0, 0x11, 0x8b, 5, 'a'), /* tuple runs out */
		END_OPTS,
	};
	const struct opt trail[] = {
		OPTB(53, 1),
		/* a block with an empty tuple after the first: Kea wants 2
		 * bytes after the enterprise number */
		OPTB(124, 0, 0, 0x11, 0x8b, 1, 'a', 0, 0, 0x11, 0x8b, 0),
		END_OPTS,
	};
	const struct opt bare[] = {OPTB(53, 1), OPTB(124, 0, 0, 0x11, 0x8b),
				   END_OPTS};

	(void)state;
	pkt_pxe(&t);
	TRUE("vendor-class[4491].exists", &t);
	TRUE("vendor-class[*].exists", &t);
	FALSE("vendor-class[2937].exists", &t);
	TRUE("vendor-class.enterprise == 4491", &t);
	TRUE("vendor-class[4491].data == 'docsis3.0'", &t);
	TRUE("vendor-class[4491].data[0] == 'docsis3.0'", &t);
	TRUE("vendor-class[*].data[1] == 'ab'", &t);
	TRUE("vendor-class[4491].data[2] == ''", &t);
	TRUE("vendor-class[4491].data[255] == ''", &t);
	TRUE("vendor-class[2937].data == ''", &t);
	TRUE("substring(vendor-class[4491].data, 0, 6) == 'docsis'", &t);
	assert_string_equal(
		evs("option[124].text", &t),
		"type=124, len=21,  enterprise id=0x118b, data-len0=9, "
		"vendor-class-data0='docsis3.0', enterprise id=0x118b, "
		"data-len1=2, vendor-class-data1='ab'");
	pkt_free(&t);

	pkt_build(&t, other, NULL);
	TRUE("vendor-class.enterprise == 2938", &t);
	TRUE("vendor-class[2938].data[1] == 'y'", &t);
	TRUE("option[124].hex == 0x00000b7a017800000b7a0179", &t);
	pkt_free(&t);

	pkt_build(&t, trunc, NULL);
	FALSE("vendor-class[*].exists", &t);
	FALSE("option[124].exists", &t);
	TRUE("vendor-class.enterprise == ''", &t);
	pkt_free(&t);

	pkt_build(&t, trail, NULL);
	FALSE("vendor-class[*].exists", &t);
	pkt_free(&t);

	pkt_build(&t, bare, NULL);
	TRUE("vendor-class[4491].exists", &t);
	TRUE("vendor-class[4491].data == ''", &t);
	pkt_free(&t);
}

/* ---------------------------------------------------------------------
 * What real configurations write (spec §2.9).
 */
static void test_real_world(void **state)
{
	struct tpkt t;
	const struct opt msft[] = {OPTB(53, 3), OPT(60, "MSFT 5.0"),
				   OPTB(93, 0, 9), END_OPTS};
	const struct opt release[] = {OPTB(53, 7), END_OPTS};

	(void)state;
	pkt_pxe(&t);
	TRUE("substring(option[60].hex,0,9) == 'PXEClient'", &t);
	TRUE("option[93].hex == 0x0007", &t);
	TRUE("option[77].hex == 'iPXE'", &t);
	TRUE("relay4[1].hex == 'port1'", &t);
	TRUE("option[82].option[2].hex == 'remote'", &t);
	TRUE("vendor-class[4491].exists", &t);
	TRUE("hexstring(pkt4.mac, ':') == '02:00:00:00:00:01'", &t);
	TRUE("option[60].exists and not (option[77].hex == 'iPXE')"
	     " or option[93].hex == 0x0007",
	     &t);
	TRUE("substring(option[60].hex,0,9) == 'PXEClient' and "
	     "option[93].hex == 0x0007 and not option[175].exists",
	     &t);
	FALSE("option[vendor-class-identifier].text == 'MSFT 5.0'", &t);
	FALSE("pkt4.msgtype == 7", &t);
	pkt_free(&t);

	pkt_build(&t, msft, NULL);
	TRUE("option[vendor-class-identifier].text == 'MSFT 5.0'", &t);
	TRUE("option[93].hex == 0x0009", &t);
	FALSE("substring(option[60].hex,0,9) == 'PXEClient'", &t);
	pkt_free(&t);

	pkt_build(&t, release, NULL);
	TRUE("pkt4.msgtype == 7", &t);
	pkt_free(&t);
}

/* ---------------------------------------------------------------------
 * Refusals: what kea-dhcp4 2.2 -t says, column included.
 */
static void test_refused(void **state)
{
	(void)state;
	/* Not a boolean at the top. */
	refused("'true'", 7, "unexpected end of file, expecting == or +");
	refused("option[12].text", 16,
		"unexpected end of file, expecting == or +");
	refused("option[12].exists == 'true'", 19,
		"unexpected ==, expecting end of file");
	refused("'a' == 'b' == 'c'", 12, "unexpected ==");
	refused("('a' == 'a') == 'b'", 14, "unexpected ==");
	refused("'a' and 'b'", 5, "unexpected and, expecting == or +");
	/* Not in the 2.2 lexer. */
	refused("known", 1, "Invalid character: k");
	refused("unknown", 1, "Invalid character: u");
	refused("member('KNOWN') and known", 21, "Invalid character: k");
	refused("'a' != 'b'", 5, "Invalid character: !");
	refused("'a' == 'a' && 'b' == 'b'", 12, "Invalid character: &");
	refused("'a' == 'a' || 'b' == 'b'", 12, "Invalid character: |");
	refused("'a' == 'a' AND 'b' == 'b'", 12, "Invalid character: A");
	refused("OPTION[12].exists", 1, "Invalid character: O");
	refused("\"a\" == 'a'", 1, "Invalid character: \"");
	refused("'a\\'b' == 'a'", 5, "Invalid character: b");
	refused("'abc == 'a'", 10, "Invalid character: a");
	refused("'it''s' == 'its'", 5,
		"unexpected constant string, expecting == or +");
	refused("'a' == 0x", 9, "Invalid character: x");
	refused("'a'\r == 'a'", 4, "Invalid character: \\x0d");
	/* DHCPv6 only. */
	refused("relay6[0].option[1].exists", 8,
		"Nest level invalid for DHCPv4 packets");
	refused("pkt6.msgtype == 1", 1, "pkt6 can only be used in DHCPv6.");
	refused("pkt6.transid == 1", 1, "pkt6 can only be used in DHCPv6.");
	/* Literal arguments only. */
	refused("substring('abc', option[1].hex, 1) == 'a'", 18,
		"unexpected option, expecting integer");
	refused("substring('abc', 0, 'x') == 'a'", 21,
		"unexpected constant string, expecting all or integer");
	refused("split('a', 'b', all) == 'a'", 17,
		"unexpected all, expecting integer");
	/* Sub-option codes are numbers, not names. */
	refused("option[12].option[host-name].exists", 19,
		"unexpected option name, expecting integer");
	refused("relay4[a].hex == 'a'", 8,
		"unexpected option name, expecting integer");
	refused("vendor[4491].option[foo].exists", 21,
		"unexpected option name, expecting integer");
	/* Unknown names. */
	refused("member('bar')", 8, "Not defined client class 'bar'");
	refused("member('DROP')", 8, "Not defined client class 'DROP'");
	refused("option[foo-bar].exists", 8, "option 'foo-bar' is not defined");
	/* Ranges. */
	refused("option[256].exists", 8,
		"Option code has invalid value in 256. Allowed range: 0..255");
	refused("option[-1].exists", 8,
		"Option code has invalid value in -1. Allowed range: 0..255");
	refused("relay4[300].exists", 8, "Option code has invalid value");
	refused("vendor-class[4491].data[256] == 'x'", 25,
		"Invalid value in 256. Allowed range: 0..255");
	refused("vendor[4294967296].exists", 8,
		"Invalid value in 4294967296. Allowed range: 0..4294967295");
	refused("int8totext(-1) == 'x'", 12,
		"Invalid value in -1. Allowed range: 0..4294967295");
	refused("99999999999999999999 == 'a'", 1,
		"Failed to convert 99999999999999999999 to an integer.");
	refused("1.2.3.400 == 'a'", 1,
		"Failed to convert 1.2.3.400 to an IP address.");
	refused("01.2.3.4 == 'a'", 1, "Failed to convert 01.2.3.4");
	refused("1:2:3:4:5:6:7:8:9 == 'a'", 1, "to an IP address.");
	/* Booleans where strings go, and the reverse. */
	refused("concat('a' == 'b', 'c') == 'x'", 12,
		"unexpected ==, expecting \",\" or +");
	refused("concat(option[1].exists, 'a') == 'a'", 18,
		"unexpected exists, expecting option or text or hex");
	refused("option[1].hex == 'a' + option[2].exists", 34,
		"unexpected exists, expecting option or text or hex");
	refused("ifelse('a', 'b', 'c') == 'a'", 11,
		"unexpected \",\", expecting == or +");
	refused("not 'a'", 8, "unexpected end of file, expecting == or +");
	refused("'a' + member('x') == 'a'", 7, "unexpected member");
	/* Plain syntax errors. */
	refused("option[1].mac == 'a'", 11,
		"unexpected mac, expecting option or text or hex or exists");
	refused("pkt.mac == 'a'", 5,
		"unexpected mac, expecting iface or src or dst or len");
	refused("pkt4.len == 'a'", 6, "unexpected len");
	refused("member(1)", 8,
		"unexpected integer, expecting constant string");
	refused("vendor.exists", 8, "unexpected exists, expecting enterprise");
	refused("'a' == 'a')", 11, "unexpected ), expecting end of file");
	refused("'a' == 'a' 'b'", 12,
		"unexpected constant string, expecting end of file");
	refused("('a' == 'a'", 12,
		"unexpected end of file, expecting ) or and or or");
	refused("'a' == 'a' or", 14, "unexpected end of file");
	refused("", 1, "unexpected end of file");
	refused("== 'a'", 1, "unexpected ==");
	refused("hexstring('a') == 'a'", 14,
		"unexpected ), expecting \",\" or +");
	/* Kea checks some things when a rule is complete, the lexer's
	 * checks come as soon as the token is read: same order here. */
	refused("member('bar'", 13, "unexpected end of file, expecting )");
	refused("pkt4 01.2.3.4", 6, "Failed to convert 01.2.3.4");
	refused("vendor-class[4491].data[256 -1] == 'x'", 29,
		"unexpected integer, expecting ]");
	refused("'a' == ('a' or", 13, "unexpected or, expecting ) or +");
	refused("('a' 'b'", 6,
		"unexpected constant string, expecting ) or == or +");
	refused("vendor('a')", 7, "unexpected (, expecting [ or .");
	refused("vendor[x]", 8,
		"unexpected option name, expecting * or integer");
	refused("ifelse('a' == 'a' 'b')", 19,
		"expecting and or or or \",\"");
}

static void test_nesting(void **state)
{
	char buf[4096];
	struct ternd_expr *x = NULL;
	struct ternd_expr_error err;
	struct tpkt t;
	size_t n = 0;

	(void)state;
	pkt_pxe(&t);
	/* 64 levels of parentheses: fine; 65: refused. */
	for (int i = 0; i < 64; i++)
		buf[n++] = '(';
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "'a'");
	for (int i = 0; i < 64; i++)
		buf[n++] = ')';
	snprintf(buf + n, sizeof(buf) - n, " == 'a'");
	TRUE(buf, &t);
	memmove(buf + 1, buf, strlen(buf) + 1);
	buf[0] = '(';
	n = strlen(buf);
	memmove(buf + 64 + 4 + 1, buf + 64 + 4, n - 64 - 4 + 1);
	buf[64 + 4] = ')';
	assert_int_equal(ternd_expr_compile(buf, &env, &x, &err), -EINVAL);
	assert_int_equal(err.column, 65);
	assert_non_null(strstr(err.msg, "nested too deeply"));
	/* Same for not, and for function calls. */
	n = 0;
	for (int i = 0; i < 65; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "not ");
	snprintf(buf + n, sizeof(buf) - n, "'a' == 'a'");
	assert_int_equal(ternd_expr_compile(buf, &env, &x, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "nested too deeply"));
	n = 0;
	for (int i = 0; i < 64; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "concat('x',");
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "'y'");
	for (int i = 0; i < 64; i++)
		buf[n++] = ')';
	snprintf(buf + n, sizeof(buf) - n, " == 'a'");
	FALSE(buf, &t);
	n = 0;
	for (int i = 0; i < 65; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "concat('x',");
	snprintf(buf + n, sizeof(buf) - n, "'y'");
	assert_int_equal(ternd_expr_compile(buf, &env, &x, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "nested too deeply"));
	/* The deepest value stack nesting allows still evaluates. */
	n = 0;
	for (int i = 0; i < 64; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n,
				      "ifelse('a' == 'b', 'x', ");
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "'y'");
	for (int i = 0; i < 64; i++)
		buf[n++] = ')';
	snprintf(buf + n, sizeof(buf) - n, " == 'y'");
	TRUE(buf, &t);
	pkt_free(&t);
}

static void test_scratch_limit(void **state)
{
	struct tpkt t;
	struct ternd_expr *x;
	uint8_t small[4];
	static const char *const big =
		"hexstring(hexstring(hexstring(option[60].hex, '-'), '-'),"
		" '-') == ''";

	(void)state;
	pkt_pxe(&t);
	/* 32 bytes -> 95 -> 284 -> 851: fits. */
	FALSE(big, &t);
	/* -> 2552 -> 7655 -> 22964: does not. */
	assert_int_equal(
		ev("hexstring(hexstring(hexstring(hexstring(hexstring("
		   "hexstring(option[60].hex, '-'), '-'), '-'), '-'), '-'),"
		   " '-') == ''",
		   &t),
		-ENOBUFS);
	/* Long separators. */
	assert_int_equal(ev("hexstring(option[60].hex + option[60].hex + "
			    "option[60].hex, "
			    "'0123456789012345678901234567890123456789"
			    "0123456789012345678901234567890123456789"
			    "0123456789012345678901234567890123456789') == ''",
			    &t),
			 -ENOBUFS);
	/* Temporaries are released as the evaluation goes: many large
	 * values one after the other fit. */
	{
		char buf[4096];
		size_t n = 0;

		for (int i = 0; i < 40; i++)
			n += (size_t)snprintf(
				buf + n, sizeof(buf) - n,
				"%shexstring(hexstring(option[60].hex, '-'), "
				"'-') == 'x'",
				i ? " or " : "");
		FALSE(buf, &t);
	}
	/* Output buffer too small. */
	x = compile_env("'a' == 'a'", &env);
	assert_int_equal(ternd_expr_eval_string(x, &t.p, &scratch, small, 3),
			 -ENOBUFS);
	assert_int_equal(ternd_expr_eval_string(x, &t.p, &scratch, small, 4),
			 4);
	ternd_expr_free(x);
	pkt_free(&t);
}

static void test_string_toplevel(void **state)
{
	struct tpkt t;
	struct ternd_expr *x = NULL;
	uint8_t out[16];
	char d[256];

	(void)state;
	pkt_pxe(&t);
	assert_string_equal(evs("hexstring(pkt4.mac, ':')", &t),
			    "02:00:00:00:00:01");
	assert_string_equal(evs("option[12].text + '.' + relay4[1].hex", &t),
			    "host1.port1");
	assert_string_equal(evs("ifelse(vendor[4491].exists, 'cm', 'cpe')", &t),
			    "cm");
	assert_int_equal(evs_err("addrtotext(0x01)", &t), -EINVAL);
	/* A string program is not a test; a test reads as true/false. */
	assert_int_equal(ternd_expr_compile_string("'a'", &env, &x, NULL), 0);
	assert_true(ternd_expr_is_string(x));
	assert_int_equal(ternd_expr_eval(x, &t.p, &scratch), -EDOM);
	ternd_expr_free(x);
	assert_int_equal(
		ternd_expr_compile_string("'a' == 'a'", &env, &x, NULL),
		-EINVAL);
	x = compile_env("option[60].exists", &env);
	assert_false(ternd_expr_is_string(x));
	assert_int_equal(
		ternd_expr_eval_string(x, &t.p, &scratch, out, sizeof(out)), 4);
	assert_memory_equal(out, "true", 4);
	/* The program, readable. */
	ternd_expr_dump(x, d, sizeof(d));
	assert_string_equal(d, "option[60].exists (string)");
	ternd_expr_free(x);
	x = compile_env("substring(option[60].hex,0,9) == 'PXEClient' or "
			"relay4[1].hex == 0x01 or member('foo')",
			&env);
	ternd_expr_dump(x, d, sizeof(d));
	assert_string_equal(d, "option[60].hex (string); substring 0 9; "
			       "'PXEClient'; ==; "
			       "option[82].option[1].hex (container); 0x01; "
			       "==; or; member 'foo' #3; or");
	assert_int_equal(ternd_expr_dump(x, d, 10), (int)strlen(d));
	assert_int_equal(strlen(d), strlen(d));
	ternd_expr_free(x);
	ternd_expr_free(NULL);
	pkt_free(&t);
}

/* ---------------------------------------------------------------------
 * Hostile packets: option lengths at the edges, split options, truncated
 * containers. Every expression below must evaluate without reading
 * outside the packet (the ASan build checks it) and give Kea's answer.
 */
static const char *const probes[] = {
	"option[60].hex == ''",
	"option[60].text == ''",
	"option[82].hex == ''",
	"option[82].text == ''",
	"relay4[1].hex == ''",
	"relay4[255].exists",
	"relay4[0].text == ''",
	"option[125].hex == ''",
	"option[125].text == ''",
	"option[124].hex == ''",
	"option[124].text == ''",
	"vendor[*].option[1].hex == ''",
	"vendor[*].option[255].text == ''",
	"vendor.enterprise == ''",
	"vendor-class[*].data[0] == ''",
	"vendor-class[*].data[200] == ''",
	"vendor-class.enterprise == ''",
	"option[43].option[1].hex == ''",
	"pkt.len == 0",
	"pkt4.msgtype == 0",
	"hexstring(option[77].hex, ':') == ''",
	"substring(option[77].hex, -1, -300) == ''",
	"split(option[77].hex, 0x00, 2) == ''",
	"option[12].exists",
};

static void probe_all(struct tpkt *t)
{
	for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		int r = ev_env(probes[i], t, &env43);

		assert_true(r == 0 || r == 1 || r == -EBADMSG);
	}
}

static void test_hostile(void **state)
{
	struct tpkt t;
	uint8_t b255[255], b256[256], hdr125[255], hdr124[255];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(b255); i++)
		b255[i] = (uint8_t)(i * 7);
	memcpy(b256, b255, 255);
	b256[255] = 0xfe;
	/* A 125 whose single block claims more than the option holds. */
	memset(hdr125, 0x01, sizeof(hdr125));
	memcpy(hdr125, "\x00\x00\x11\x8b\xfe", 5);
	/* A 124 whose tuple length points past the end. */
	memset(hdr124, 0x02, sizeof(hdr124));
	memcpy(hdr124, "\x00\x00\x11\x8b\xfb", 5);
	{
		const struct opt cases[][8] = {
			/* Lengths at the edges. */
			{{60, b255, 255},
			 {82, b255, 255},
			 {124, b255, 255},
			 {125, b255, 255},
			 {43, b255, 255},
			 {77, b255, 255},
			 END_OPTS},
			{{60, "", 0},
			 {82, "", 0},
			 {124, "", 0},
			 {125, "", 0},
			 {43, "", 0},
			 {77, "", 0},
			 {53, "", 0},
			 END_OPTS},
			{{82, "\x01", 1},
			 {124, "\x00", 1},
			 {125, "\x00\x00\x00", 3},
			 {43, "\x01", 1},
			 END_OPTS},
			{{82, "\x01\xff", 2},
			 {125, hdr125, 255},
			 {124, hdr124, 255},
			 {43, "\x00\x00\xff", 3},
			 END_OPTS},
			/* Split across instances (RFC 3396). */
			{{60, b256, 256},
			 {82, b256, 256},
			 {124, b256, 256},
			 {125, b256, 256},
			 {77, b256, 256},
			 END_OPTS},
			{{125, "\x00\x00\x11\x8b\x04\x01\x02", 7},
			 {125, "ab", 2},
			 {124, "\x00\x00\x11\x8b\x03", 5},
			 {124, "xyz", 3},
			 {82, "\x01\x03", 2},
			 {82, "abc", 3},
			 END_OPTS},
		};

		for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			pkt_build(&t, cases[i], NULL);
			probe_all(&t);
			pkt_free(&t);
		}
	}
	/* Split options, as Kea 2.2 takes them: each part is parsed on
	 * its own, so a 125 split mid-block is malformed (and hides what
	 * follows); 82's parts are fused, each keeping its raw data. */
	{
		const struct opt split[] = {
			{125, "\x00\x00\x11\x8b\x04\x01\x02", 7},
			{125, "ab", 2},
			{124, "\x00\x00\x11\x8b\x03", 5},
			{124, "xyz", 3},
			END_OPTS,
		};
		const struct opt split82[] = {
			{82, "\x01\x03", 2},
			{82, "\x02\x01z", 3},
			END_OPTS,
		};

		pkt_build(&t, split, NULL);
		FALSE("vendor[*].exists", &t);
		FALSE("vendor-class[*].exists", &t);
		FALSE("option[124].exists", &t);
		pkt_free(&t);
		pkt_build(&t, split82, NULL);
		FALSE("relay4[1].exists", &t);
		TRUE("relay4[2].hex == 'z'", &t);
		TRUE("option[82].hex == 0x010302017a02017a", &t);
		pkt_free(&t);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_literals),
		cmocka_unit_test(test_logic),
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_string_options),
		cmocka_unit_test(test_split_options),
		cmocka_unit_test(test_relay4),
		cmocka_unit_test(test_container43),
		cmocka_unit_test(test_kea_objects),
		cmocka_unit_test(test_pkt_fields),
		cmocka_unit_test(test_pkt_len_kea),
		cmocka_unit_test(test_substring),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_functions),
		cmocka_unit_test(test_totext),
		cmocka_unit_test(test_member),
		cmocka_unit_test(test_vendor),
		cmocka_unit_test(test_vendor_class),
		cmocka_unit_test(test_real_world),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_nesting),
		cmocka_unit_test(test_scratch_limit),
		cmocka_unit_test(test_string_toplevel),
		cmocka_unit_test(test_hostile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
