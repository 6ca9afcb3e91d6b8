/* SHA-256 against FIPS 180-4 / NIST example vectors and sha256sum. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/sha256.h"

static void hex(const uint8_t d[32], char out[65])
{
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void check(const void *msg, size_t len, const char *want)
{
	uint8_t d[32];
	char h[65];

	tern_sha256(msg, len, d);
	hex(d, h);
	assert_string_equal(h, want);
}

static void test_vectors(void **state)
{
	(void)state;
	check("", 0,
	      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85"
	      "5");
	check("abc", 3,
	      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a"
	      "d");
	check("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
	      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c"
	      "1");
}

/* A million 'a', fed in odd-sized pieces across block boundaries. */
static void test_million_a(void **state)
{
	static uint8_t buf[1000];
	struct tern_sha256 c;
	uint8_t d[32];
	char h[65];
	size_t done = 0, step = 1;

	(void)state;
	memset(buf, 'a', sizeof(buf));
	tern_sha256_init(&c);
	while (done < 1000000) {
		size_t n = step < 1000000 - done ? step : 1000000 - done;

		tern_sha256_update(&c, buf, n);
		done += n;
		step = step % 900 + 63; /* at most 962 < sizeof(buf) */
	}
	tern_sha256_final(&c, d);
	hex(d, h);
	assert_string_equal(h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200"
			       "e046d39ccc7112cd0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_million_a),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
