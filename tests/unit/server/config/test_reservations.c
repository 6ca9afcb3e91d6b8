/* Unit tests for ternd's host reservations as Kea 2.2 reads them: every
 * identifier type and value syntax, global reservations, the checks, and
 * host-reservation-identifiers. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "server/config/config.h"

#include "cfg_test.h"

#define SUB "\"subnet4\": [{\"id\": 1, \"subnet\": \"10.0.0.0/24\",\n"

/* The identifier bytes one reservation of this type and value gets. */
static int id_of(enum ternd_host_id type, const char *value, uint8_t *out)
{
	static const char *const key[] = {
		[TERND_ID_HW_ADDRESS] = "hw-address",
		[TERND_ID_CLIENT_ID] = "client-id",
		[TERND_ID_DUID] = "duid",
		[TERND_ID_CIRCUIT_ID] = "circuit-id",
		[TERND_ID_FLEX_ID] = "flex-id",
	};
	char text[512];
	struct ternd_config *cfg = NULL;
	const struct ternd_reservation *r;
	int n;

	snprintf(text, sizeof(text),
		 DHCP4(SUB "\"reservations\": [{\"%s\": \"%s\", "
			   "\"hostname\": \"h\"}]}]"),
		 key[type], value);
	if (load(text, &cfg) != 0)
		return -1;
	assert_int_equal(cfg->subnets[0].n_reservations, 1);
	r = &cfg->subnets[0].reservations[0];
	assert_int_equal(r->id_type, type);
	memcpy(out, r->id, r->id_len);
	n = r->id_len;
	ternd_config_free(cfg);
	return n;
}

static void test_identifier_values(void **state)
{
	uint8_t b[TERND_MAX_HOST_ID];

	(void)state;
	/* Colon-separated octets of one or two digits, any case. */
	assert_int_equal(id_of(TERND_ID_HW_ADDRESS, "1:2:aB:cd:0:ff", b), 6);
	assert_memory_equal(b, "\x01\x02\xab\xcd\x00\xff", 6);
	/* Space-separated, when there is no colon. */
	assert_int_equal(id_of(TERND_ID_CLIENT_ID, "01 02 0a", b), 3);
	assert_memory_equal(b, "\x01\x02\x0a", 3);
	/* Contiguous, with or without 0x; an odd count gets a leading 0. */
	assert_int_equal(id_of(TERND_ID_DUID, "0x0102", b), 2);
	assert_memory_equal(b, "\x01\x02", 2);
	assert_int_equal(id_of(TERND_ID_DUID, "10203", b), 3);
	assert_memory_equal(b, "\x01\x02\x03", 3);
	assert_int_equal(id_of(TERND_ID_CIRCUIT_ID, "0x123", b), 2);
	assert_memory_equal(b, "\x01\x23", 2);
	/* 'quoted text' is its ASCII bytes, blanks inside trimmed. */
	assert_int_equal(id_of(TERND_ID_FLEX_ID, "' s0mEVaLue '", b), 9);
	assert_memory_equal(b, "s0mEVaLue", 9);
	assert_int_equal(id_of(TERND_ID_CIRCUIT_ID, "'ge-0/0/1'", b), 8);
	assert_memory_equal(b, "ge-0/0/1", 8);
	/* What Kea refuses. */
	assert_int_equal(id_of(TERND_ID_HW_ADDRESS, "01-02-03", b), -1);
	assert_true(has_error(3, 33, "invalid host identifier value"));
	assert_int_equal(id_of(TERND_ID_HW_ADDRESS, "01.02.03", b), -1);
	assert_int_equal(id_of(TERND_ID_HW_ADDRESS, "01::02", b), -1);
	assert_int_equal(id_of(TERND_ID_HW_ADDRESS, "01:02:", b), -1);
	assert_int_equal(id_of(TERND_ID_HW_ADDRESS, "001:02", b), -1);
	assert_int_equal(id_of(TERND_ID_CLIENT_ID, "0x", b), -1);
	assert_int_equal(id_of(TERND_ID_CLIENT_ID, "''", b), -1);
	assert_int_equal(id_of(TERND_ID_CLIENT_ID, "", b), -1);
	assert_true(has_error(3, 32, "empty host identifier"));
	/* A hardware address has at most 20 bytes, a DUID 128. */
	assert_int_equal(id_of(TERND_ID_HW_ADDRESS,
			       "0102030405060708090a0b0c0d0e0f1011121314", b),
			 20);
	assert_int_equal(id_of(TERND_ID_HW_ADDRESS,
			       "0102030405060708090a0b0c0d0e0f101112131415", b),
			 -1);
	assert_true(has_error(3, 33, "longer than 20 bytes"));
}

static void test_reservation_checks(void **state)
{
	struct ternd_config *cfg;
	const struct ternd_reservation *const *at;
	const struct ternd_reservation *r;

	(void)state;
	/* Two identifiers, no identifier, nothing reserved. */
	expect_error(DHCP4(SUB "\"reservations\": [{\"hw-address\": \"01:02\", "
			       "\"duid\": \"01:02\", \"hostname\": \"a\"}]}]"),
		     3, 42, "mutually exclusive");
	expect_error(DHCP4(SUB "\"reservations\": [{\"hw-address\": \"01:02\", "
			       "\"hostname\": \"\"}]}]"),
		     3, 18, "at least one resource");
	expect_error(DHCP4(SUB "\"reservations\": [{\"circuit-id\": \"01\", "
			       "\"ip-address\": \"255.255.255.255\"}]}]"),
		     3, 53, "255.255.255.255 cannot be reserved");
	expect_error(DHCP4(SUB "\"reservations\": [{\"circuit-id\": \"01\", "
			       "\"ip-address\": \"0.0.0.0\"}]}]"),
		     3, 53, "0.0.0.0 cannot be reserved");
	/* The same identifier twice in one set; the same address twice
	 * unless ip-reservations-unique is off. */
	expect_error(DHCP4(SUB "\"reservations\": [\n"
			       "{\"duid\": \"01:02\", \"hostname\": \"a\"},\n"
			       "{\"duid\": \"0102\", \"hostname\": \"b\"}]}]"),
		     5, 10, "this duid is already reserved at line 4");
	expect_error(DHCP4("\"reservations\": [\n"
			   "{\"flex-id\": \"'x'\", \"ip-address\": "
			   "\"10.9.9.9\"},\n"
			   "{\"flex-id\": \"'y'\", \"ip-address\": "
			   "\"10.9.9.9\"}]"),
		     4, 34, "address 10.9.9.9 is already reserved at line 3");
	cfg = expect_ok(DHCP4("\"ip-reservations-unique\": false,\n" SUB
			      "\"reservations\": [\n"
			      "{\"hw-address\": \"01:02\", \"ip-address\": "
			      "\"10.0.0.9\"},\n"
			      "{\"client-id\": \"01:02\", \"ip-address\": "
			      "\"10.0.0.9\"}]}]"));
	assert_false(cfg->ip_reservations_unique);
	assert_int_equal(ternd_hosts_at(&(struct ternd_hosts){0}, 1, &at), 0);
	{
		struct ternd_hosts h = ternd_subnet_hosts(&cfg->subnets[0]);

		assert_int_equal(ternd_hosts_at(&h, IP(10, 0, 0, 9), &at), 2);
		/* In file order. */
		assert_int_equal(at[0]->id_type, TERND_ID_HW_ADDRESS);
		assert_int_equal(at[1]->id_type, TERND_ID_CLIENT_ID);
		assert_int_equal(ternd_hosts_at(&h, IP(10, 0, 0, 8), &at), 0);
	}
	ternd_config_free(cfg);

	/* The same host may be reserved in a subnet and globally; global
	 * addresses are not checked against any subnet. Every field. */
	cfg = expect_ok(DHCP4(
		SUB
		"\"reservations\": [{\"hw-address\": \"01:02\", "
		"\"ip-address\": \"10.0.0.9\"}]}],\n"
		"\"reservations\": [{\"hw-address\": \"01:02\", "
		"\"ip-address\": \"192.168.7.7\", \"hostname\": \"Gl\",\n"
		"\"next-server\": \"10.1.1.1\", \"server-hostname\": \"\",\n"
		"\"boot-file-name\": \"pxe.0\", \"client-classes\": "
		"[\"a b\", \"KNOWN\"],\n"
		"\"option-data\": [{\"name\": \"domain-name\", \"data\": "
		"\"x.example\"}]}]"));
	assert_int_equal(cfg->global_hosts.n, 1);
	r = ternd_hosts_find(&cfg->global_hosts, TERND_ID_HW_ADDRESS,
			     (const uint8_t *)"\x01\x02", 2);
	assert_non_null(r);
	assert_int_equal(r->addr, IP(192, 168, 7, 7));
	assert_string_equal(r->hostname, "Gl");
	assert_int_equal(r->next_server, IP(10, 1, 1, 1));
	assert_null(r->server_hostname); /* "" = not set */
	assert_string_equal(r->boot_file_name, "pxe.0");
	assert_int_equal(r->n_classes, 2);
	assert_string_equal(r->classes[0], "a b");
	assert_string_equal(r->classes[1], "KNOWN");
	assert_int_equal(r->options.n, 1);
	assert_null(ternd_hosts_find(&cfg->global_hosts, TERND_ID_CLIENT_ID,
				     (const uint8_t *)"\x01\x02", 2));
	assert_int_equal(
		ternd_hosts_at(&cfg->global_hosts, IP(192, 168, 7, 7), &at), 1);
	assert_ptr_equal(at[0], r);
	ternd_config_free(cfg);
}

static void test_host_ids(void **state)
{
	struct ternd_config *cfg;

	(void)state;
	cfg = expect_ok(DHCP4("\"host-reservation-identifiers\": "
			      "[\"circuit-id\", \"flex-id\", \"duid\"]"));
	assert_int_equal(cfg->n_host_ids, 3);
	assert_int_equal(cfg->host_ids[0], TERND_ID_CIRCUIT_ID);
	assert_int_equal(cfg->host_ids[1], TERND_ID_FLEX_ID);
	assert_int_equal(cfg->host_ids[2], TERND_ID_DUID);
	ternd_config_free(cfg);
	/* "auto" came after Kea 2.2: its grammar refuses it. */
	expect_error(DHCP4("\"host-reservation-identifiers\": "
			   "[\"duid\", \"auto\"]"),
		     2, 42, "not \"auto\"");
	expect_error(DHCP4("\"host-reservation-identifiers\": "
			   "[\"duid\", \"duid\"]"),
		     2, 42, "duplicate host identifier \"duid\"");
	expect_error(DHCP4("\"host-reservation-identifiers\": [\"mac\"]"), 2,
		     34, "not \"mac\"");
	expect_error(DHCP4("\"host-reservation-identifiers\": []"), 2, 33,
		     "must not be empty");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identifier_values),
		cmocka_unit_test(test_reservation_checks),
		cmocka_unit_test(test_host_ids),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
