/* Unit tests: relay-supplied options (RFC 6422) in the DHCPv6 engine
 * (engine6/rsoo6.c): the enabled ones of each relay's option 66 copied
 * into the reply, the relay nearest the client first, never over an
 * option the reply has, 65 always, none for a direct client. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "server/engine6/e6_test.h"

#define CFG                                                            \
	"{\"Dhcp6\": {\"option-data\": [{\"name\": \"dns-servers\", "  \
	"\"data\": \"2001:db8::53\"}],\n"                              \
	" %s\n"                                                        \
	" \"subnet6\": [{\"id\": 1, \"subnet\": \"2001:db8:1::/64\", " \
	"\"interface\": \"v6s\",\n"                                    \
	"   \"relay\": {\"ip-addresses\": [\"2001:db8:1::1\"]}}]}}"

static const uint8_t duid[] = {0, 3, 0, 1, 2, 0, 0, 0, 0, 0x31};

/* An INFORMATION-REQUEST (ORO 23 when oro) behind two relays, each with
 * an option 66 holding rsoo[k] (len[k] bytes, none when 0). */
static void send_info(struct t6 *t, bool oro, const uint8_t *const *rsoo,
		      const size_t *len)
{
	static const uint16_t codes[] = {TERN_DHCP6_OPT_DNS_SERVERS};
	uint8_t buf[2][2048];
	struct q6 q;
	const uint8_t *cur;
	int n;

	q_begin(&q, TERN_DHCP6_INFORMATION_REQUEST, duid, sizeof(duid), false);
	if (oro)
		q_oro(&q, codes, 1);
	n = q_len(&q);
	assert_true(n > 0);
	cur = q.buf;
	/* Inner relay (k = 1, nearest the client) first, then outer. */
	for (int k = 1; k >= 0; k--) {
		struct tern_dhcp6_writer w;
		struct in6_addr link = a6(k ? "2001:db8:1::1" : "::"),
				peer = a6("fe80::1");

		tern_dhcp6_writer_init(&w, buf[k], sizeof(buf[k]));
		tern_dhcp6_write_relay_header(&w, TERN_DHCP6_RELAY_FORW,
					      (uint8_t)k, &link, &peer);
		if (len[k])
			tern_dhcp6_put(&w, 66, rsoo[k], len[k]);
		tern_dhcp6_put(&w, TERN_DHCP6_OPT_RELAY_MSG, cur, (size_t)n);
		n = tern_dhcp6_writer_finish(&w);
		assert_true(n > 0);
		cur = buf[k];
	}
	assert_int_equal(t6_send(t, cur, (size_t)n), 1);
}

static int opt_of(const struct t6 *t, uint16_t code, const uint8_t **v)
{
	return tern_dhcp6_msg_find(&t->reply, code, v);
}

static void test_rsoo(void **state)
{
	/* outer relay: 110 "o", 65 "outer"; inner: 65 "in", 23, 110 "i",
	 * 21 (not enabled). */
	static const uint8_t outer[] = {0, 110, 0,   1,	  'o', 0,   65,
					0, 5,	'o', 'u', 't', 'e', 'r'};
	static const uint8_t inner[] = {
		0,   65,   0, 2,   'i', 'n', 0,	  23, 0,  16, 0x20, 1,
		0xd, 0xb8, 0, 0,   0,	0,   0,	  0,  0,  0,  0,    0,
		0,   0x99, 0, 110, 0,	1,   'i', 0,  21, 0,  1,    'x'};
	const uint8_t *rs[2] = {outer, inner};
	const size_t len[2] = {sizeof(outer), sizeof(inner)};
	char text[2048];
	struct t6 t;
	const uint8_t *v;
	struct in6_addr dns99 = a6("2001:db8::99"), dns53 = a6("2001:db8::53");

	(void)state;
	snprintf(text, sizeof(text), CFG,
		 "\"relay-supplied-options\": [\"dns-servers\", \"110\"],");
	assert_int_equal(t6_setup_text(&t, text), 0);
	(void)e6_config;
	/* The ORO asks for 23: the server's own stays. */
	send_info(&t, true, rs, len);
	assert_int_equal(opt_of(&t, 23, &v), 16);
	assert_memory_equal(v, &dns53, 16);
	assert_int_equal(opt_of(&t, 65, &v), 2);
	assert_memory_equal(v, "in", 2);
	assert_int_equal(opt_of(&t, 110, &v), 1);
	assert_memory_equal(v, "i", 1);
	assert_true(opt_of(&t, 21, &v) < 0);
	/* No ORO: the relay's 23. */
	send_info(&t, false, rs, len);
	assert_int_equal(opt_of(&t, 23, &v), 16);
	assert_memory_equal(v, &dns99, 16);
	t6_free(&t);
	/* Not configured: 65 only, from the outer relay when the inner
	 * has none. */
	snprintf(text, sizeof(text), CFG, "");
	assert_int_equal(t6_setup_text(&t, text), 0);
	{
		const size_t outer_only[2] = {sizeof(outer), 0};

		send_info(&t, false, rs, outer_only);
	}
	assert_int_equal(opt_of(&t, 65, &v), 5);
	assert_memory_equal(v, "outer", 5);
	assert_true(opt_of(&t, 110, &v) < 0);
	assert_true(opt_of(&t, 23, &v) < 0);
	t6_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rsoo),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
