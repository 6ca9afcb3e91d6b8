/* Unit tests for the classification fast path (expr_form.c): the shapes it
 * takes, and on random packets (duplicates, NULs, truncated sub-options,
 * option 125, overload) the same verdict as the interpreter. */
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

/* Tests of the fast shapes; each is also compiled as "(T) and 'a' ==
 * 'a'", which has the same value but goes through the interpreter. */
static const char *const forms[] = {
	"substring(option[60].hex,0,9) == 'PXEClient'",
	"substring(option[60].hex,0,3) == 'MSF'",
	"'docsis3.0' == substring(option[60].hex,0,9)",
	"substring(option[60].hex,0,all) == 'ab'",
	"substring(option[60].hex,0,0) == ''",
	"option[60].hex == 'ab'",
	"option[60].hex == ''",
	"not option[60].hex == 'ab'",
	"option[vendor-class-identifier].hex == 'PXE'",
	"option[12].hex == 'host'",
	"option[12].exists",
	"option[60].exists",
	"not option[60].exists",
	"option[77].hex == 'iPXE'",
	"option[200].hex == 0x0102",
	"option[200].exists",
	"option[93].exists",
	"relay4[1].hex == 'port-1'",
	"relay4[2].hex == 0x0102",
	"substring(relay4[1].hex,0,4) == 'port'",
	"option[82].option[1].hex == 'port-1'",
	"relay4[1].exists",
	"relay4[5].exists",
	"not relay4[2].exists",
	"pkt4.msgtype == 1",
	"substring(pkt4.mac,0,1) == 0x02",
	"pkt4.mac == 0x020000000001",
	"pkt4.msgtype == 0",
	"not pkt4.msgtype == 7",
	"member('A') or member('B') and not member('C')",
	"not (member('A') and member('B'))",
	"member('C')",
};

static int env_class(void *ctx, const char *name, bool *dk)
{
	(void)ctx;
	*dk = false;
	if (strlen(name) == 1 && name[0] >= 'A' && name[0] <= 'C')
		return name[0] - 'A';
	return -ENOENT;
}

static const struct ternd_expr_env env = {.class_index = env_class};

static uint32_t rnd_state = 12345;

static uint32_t rnd(uint32_t n)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return (rnd_state >> 8) % n;
}

/* One option with random, often interesting, contents. */
static size_t put_opt(uint8_t *o, uint8_t code)
{
	static const char *const vc[] = {
		"PXEClient:Arch", "MSFT 5.0", "docsis3.0:", "ab", "", "PXE"};
	size_t l = 0;

	o[0] = code;
	switch (rnd(4)) {
	case 0: /* text */ {
		const char *s = vc[rnd(6)];

		l = strlen(s);
		memcpy(o + 2, s, l);
		break;
	}
	case 1: /* with NULs */
		l = rnd(4);
		memset(o + 2, 0, l);
		if (l && rnd(2))
			o[2] = 'a';
		break;
	case 2: /* sub-options, maybe truncated or repeated */
		while (l < 20 && rnd(4)) {
			o[2 + l] = (uint8_t)(1 + rnd(2) + rnd(2) * 3);
			o[3 + l] = (uint8_t)rnd(7);
			memcpy(o + 4 + l, "port-1", 6);
			l += 2 + o[3 + l];
		}
		if (rnd(4) == 0)
			l = l ? l - 1 : 0;
		break;
	default:
		l = rnd(3);
		for (size_t i = 0; i < l; i++)
			o[2 + i] = (uint8_t)rnd(3);
		break;
	}
	o[1] = (uint8_t)l;
	return 2 + l;
}

static size_t random_packet(uint8_t *b)
{
	static const uint8_t codes[] = {53, 60,	 60, 12,  82, 82,
					77, 200, 93, 125, 52};
	size_t n = 240;
	unsigned k = rnd(7);

	memset(b, 0, 240);
	b[0] = 1;
	b[1] = 1;
	b[2] = (uint8_t)(rnd(4) ? 6 : rnd(24));
	b[28] = 2;
	b[33] = (uint8_t)rnd(3);
	b[236] = 99;
	b[237] = 130;
	b[238] = 83;
	b[239] = 99;
	for (unsigned i = 0; i < k; i++) {
		uint8_t c = codes[rnd(sizeof(codes))];

		if (c == 52) { /* overload: the file field holds options */
			b[n++] = 52;
			b[n++] = 1;
			b[n++] = 1;
			b[108] = 60;
			b[109] = 3;
			memcpy(b + 110, "PXE", 3);
			b[113] = 255;
			continue;
		}
		if (c == 53 && rnd(2)) {
			b[n++] = 53;
			b[n++] = 1;
			b[n++] = (uint8_t)rnd(8);
			continue;
		}
		n += put_opt(b + n, c);
	}
	b[n++] = 255;
	return n;
}

static void test_form_agrees(void **state)
{
	struct ternd_expr *fast[sizeof(forms) / sizeof(forms[0])];
	struct ternd_expr *slow[sizeof(forms) / sizeof(forms[0])];
	static struct ternd_expr_scratch s;
	size_t nf = sizeof(forms) / sizeof(forms[0]);
	unsigned n_decided = 0, batched = 0;
	struct ternd_expr_batch *batch = NULL;
	uint64_t decided[1], verdict[1];

	(void)state;
	for (size_t i = 0; i < nf; i++) {
		char t[256];

		snprintf(t, sizeof(t), "(%s) and 'a' == 'a'", forms[i]);
		assert_int_equal(
			ternd_expr_compile(forms[i], &env, &fast[i], NULL), 0);
		assert_int_equal(ternd_expr_compile(t, &env, &slow[i], NULL),
				 0);
		if (!ternd_expr_has_form(fast[i]))
			fail_msg("\"%s\" has no fast form", forms[i]);
		assert_false(ternd_expr_has_form(slow[i]));
	}
	assert_int_equal(
		ternd_expr_batch_new((const struct ternd_expr *const *)fast, nf,
				     &batch),
		0);
	for (unsigned round = 0; round < 20000; round++) {
		uint8_t b[1024];
		size_t len = random_packet(b);
		struct tern_dhcp4_msg m;
		struct ternd_expr_memo memo = {0};
		uint64_t cls = rnd(8);
		struct ternd_expr_pkt p = {
			.m = &m, .classes = &cls, .n_class_words = 1};

		if (tern_dhcp4_parse(&m, b, len) < 0)
			continue;
		/* The batch decides the option and sub-option shapes (not
		 * member(), which reads the classes so far). */
		p.memo = NULL;
		ternd_expr_batch_run(batch, &p, decided, verdict);
		for (size_t i = 0; i < nf; i++) {
			if (!((decided[0] >> i) & 1))
				continue;
			if ((int)((verdict[0] >> i) & 1) !=
			    ternd_expr_eval(slow[i], &p, &s))
				fail_msg("batch: \"%s\" differs (round %u)",
					 forms[i], round);
			batched++;
		}
		for (size_t i = 0; i < nf; i++) {
			int a, c;

			/* With and without the per-packet memo. */
			p.memo = (round & 1) ? &memo : NULL;
			a = ternd_expr_eval(fast[i], &p, &s);
			p.memo = NULL;
			c = ternd_expr_eval(slow[i], &p, &s);
			if (a != c)
				fail_msg("\"%s\": %d, the interpreter %d "
					 "(round %u)",
					 forms[i], a, c, round);
			n_decided++;
		}
	}
	assert_true(n_decided > 100000);
	assert_true(batched > 50000);
	ternd_expr_batch_free(batch);
	for (size_t i = 0; i < nf; i++) {
		ternd_expr_free(fast[i]);
		ternd_expr_free(slow[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_form_agrees),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
