/* Unit tests for ternd's IPv4/UDP frame builder: headers, checksums, bounds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <errno.h>

#include "server/net/frame.h"

/* Reference checksum, written apart from the builder: 64-bit sum of
 * big-endian words over a list of spans, folded once at the end. */
static uint16_t ref_csum(const uint8_t *const *spans, const size_t *lens,
			 size_t n)
{
	uint64_t sum = 0;
	uint8_t carry = 0;
	int have_carry = 0;

	for (size_t s = 0; s < n; s++) {
		for (size_t i = 0; i < lens[s]; i++) {
			if (have_carry) {
				sum += (uint64_t)carry << 8 | spans[s][i];
				have_carry = 0;
			} else {
				carry = spans[s][i];
				have_carry = 1;
			}
		}
	}
	if (have_carry)
		sum += (uint64_t)carry << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static const struct ternd_frame_addr addr1 = {
	.src_addr = 0x0a000001, /* 10.0.0.1 */
	.dst_addr = 0x0a000002, /* 10.0.0.2 */
	.src_port = 67,
	.dst_port = 68,
	.ip_id = 0x1234,
};

/* Worked by hand (see the sums in the comments) for payload "ABCD". */
static void test_hand_computed(void **state)
{
	static const uint8_t want[] = {
		/* IP: 4500 0020 1234 0000 4011 sum 0a00 0001 0a00 0002;
		 * words add to 0xab68, so the checksum is 0x5497. */
		0x45, 0x00, 0x00, 0x20, 0x12, 0x34, 0x00, 0x00, 0x40, 0x11,
		0x54, 0x97, 0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02,
		/* UDP: pseudo-header 0a00 0001 0a00 0002 0011 000c, header
		 * 0043 0044 000c, data 4142 4344: 0x9939, checksum 0x66c6. */
		0x00, 0x43, 0x00, 0x44, 0x00, 0x0c, 0x66, 0xc6, 'A', 'B', 'C',
		'D'};
	uint8_t out[64];
	int n;

	(void)state;
	memset(out, 0xee, sizeof(out));
	n = ternd_frame_build(out, sizeof(out), &addr1, (const uint8_t *)"ABCD",
			      4);
	assert_int_equal(n, sizeof(want));
	assert_memory_equal(out, want, sizeof(want));
	assert_int_equal(out[sizeof(want)], 0xee); /* nothing past the end */
}

/* The header fields a client's stack checks. */
static void test_header_fields(void **state)
{
	uint8_t pay[300], out[400];
	int n;

	(void)state;
	memset(pay, 0x5a, sizeof(pay));
	n = ternd_frame_build(out, sizeof(out), &addr1, pay, sizeof(pay));
	assert_int_equal(n, 328);
	assert_int_equal(out[0], 0x45);
	assert_int_equal(get16(out + 2), 328);	/* total length */
	assert_int_equal(get16(out + 6), 0);	/* DF off, offset 0 */
	assert_int_equal(out[8], 64);		/* TTL */
	assert_int_equal(out[9], 17);		/* UDP */
	assert_int_equal(get16(out + 24), 308); /* UDP length */
	assert_memory_equal(out + 28, pay, sizeof(pay));
}

/* Both checksums against the reference over many lengths and contents,
 * odd lengths included; a receiver's check sums to zero. */
static void test_checksums_reference(void **state)
{
	uint8_t pay[1472], out[1500], pseudo[12];
	uint32_t seed = 12345;

	(void)state;
	for (size_t len = 0; len <= sizeof(pay); len += (len < 40 ? 1 : 37)) {
		struct ternd_frame_addr a = addr1;
		const uint8_t *spans[3];
		size_t lens[3];
		uint16_t ipsum, udpsum;
		int n;

		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			pay[i] = (uint8_t)(seed >> 16);
		}
		a.src_addr = seed;
		a.dst_addr = seed ^ 0xdeadbeef;
		a.ip_id = (uint16_t)len;
		n = ternd_frame_build(out, sizeof(out), &a, pay, len);
		assert_int_equal(n, 28 + (int)len);

		ipsum = get16(out + 10);
		out[10] = out[11] = 0;
		spans[0] = out;
		lens[0] = 20;
		assert_int_equal(ipsum, ref_csum(spans, lens, 1));
		out[10] = (uint8_t)(ipsum >> 8);
		out[11] = (uint8_t)ipsum;
		assert_int_equal(ref_csum(spans, lens, 1), 0);

		memcpy(pseudo, out + 12, 8);
		pseudo[8] = 0;
		pseudo[9] = 17;
		memcpy(pseudo + 10, out + 24, 2);
		udpsum = get16(out + 26);
		assert_int_not_equal(udpsum, 0);
		out[26] = out[27] = 0;
		spans[0] = pseudo;
		lens[0] = sizeof(pseudo);
		spans[1] = out + 20;
		lens[1] = 8 + len;
		{
			uint16_t r = ref_csum(spans, lens, 2);

			assert_int_equal(udpsum, r ? r : 0xffff);
		}
		out[26] = (uint8_t)(udpsum >> 8);
		out[27] = (uint8_t)udpsum;
		/* 0xffff and 0x0000 are the same number in one's complement. */
		{
			uint16_t v = ref_csum(spans, lens, 2);

			assert_true(v == 0 || v == 0xffff);
		}
	}
}

/* A sum of exactly 0xffff gives checksum 0, which must go out as 0xffff
 * (0 means "no checksum"). For the addresses of addr1 and a 2-byte
 * payload the other words add to 0x14af, so 0xeb50 completes it. */
static void test_zero_checksum_sent_as_ones(void **state)
{
	static const uint8_t pay[2] = {0xeb, 0x50};
	uint8_t out[64];
	int n;

	(void)state;
	n = ternd_frame_build(out, sizeof(out), &addr1, pay, sizeof(pay));
	assert_int_equal(n, 30);
	assert_int_equal(get16(out + 26), 0xffff);
}

/* The daemon builds the DHCP message at out + 28 and frames it there. */
static void test_in_place(void **state)
{
	uint8_t a[128], b[128];
	int na, nb;

	(void)state;
	memset(a, 0, sizeof(a));
	memcpy(a + TERND_FRAME_HLEN, "hello, world", 12);
	na = ternd_frame_build(a, sizeof(a), &addr1, a + TERND_FRAME_HLEN, 12);
	nb = ternd_frame_build(b, sizeof(b), &addr1,
			       (const uint8_t *)"hello, world", 12);
	assert_int_equal(na, 40);
	assert_int_equal(nb, 40);
	assert_memory_equal(a, b, 40);
}

static void test_bounds(void **state)
{
	uint8_t out[64], pay[36];

	(void)state;
	memset(pay, 1, sizeof(pay));
	/* 28 + 36 = 64 fits exactly; one byte less does not. */
	assert_int_equal(ternd_frame_build(out, 64, &addr1, pay, 36), 64);
	assert_int_equal(ternd_frame_build(out, 63, &addr1, pay, 36), -ENOBUFS);
	assert_int_equal(ternd_frame_build(out, 27, &addr1, NULL, 0), -ENOBUFS);
	assert_int_equal(ternd_frame_build(out, 28, &addr1, NULL, 0), 28);
	assert_int_equal(ternd_frame_build(NULL, 64, &addr1, pay, 1), -EINVAL);
	assert_int_equal(ternd_frame_build(out, 64, NULL, pay, 1), -EINVAL);
	assert_int_equal(ternd_frame_build(out, 64, &addr1, NULL, 1), -EINVAL);
	/* More than one IPv4 datagram holds, whatever the buffer. */
	assert_int_equal(ternd_frame_build(out, 64, &addr1, pay, 65535 - 27),
			 -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hand_computed),
		cmocka_unit_test(test_header_fields),
		cmocka_unit_test(test_checksums_reference),
		cmocka_unit_test(test_zero_checksum_sent_as_ones),
		cmocka_unit_test(test_in_place),
		cmocka_unit_test(test_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
