/* Unit tests for ternd's configuration loader: the full fixture, every error
 * with its position, option encodings. */
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

#include "server/config/config.h"
#include "server/config/options.h"

#include "cfg_test.h"

static void assert_opt(const struct ternd_option *o, uint8_t code,
		       const void *data, size_t len)
{
	assert_non_null(o);
	assert_int_equal(o->code, code);
	assert_int_equal(o->len, len);
	assert_memory_equal(o->data, data, len);
}

static void test_full_fixture(void **state)
{
	(void)state;
	struct ternd_config *cfg = NULL;
	const struct ternd_subnet *s;
	const struct ternd_reservation *r;
	int rc;

	memset(&diags, 0, sizeof(diags));
	rc = ternd_config_load_file(TERN_FIXTURES "/config/kea-full.json", &cfg,
				    &diags);
	if (rc)
		dump();
	assert_int_equal(rc, 0);
	assert_int_equal(diags.errors, 0);
	assert_int_equal(diags.warnings, 0);

	/* interfaces-config */
	assert_int_equal(cfg->n_ifaces, 2);
	assert_string_equal(cfg->ifaces[0].name, "eth0");
	assert_int_equal(cfg->ifaces[0].addr, 0);
	assert_string_equal(cfg->ifaces[1].name, "eth1");
	assert_int_equal(cfg->ifaces[1].addr, IP(192, 0, 2, 1));
	assert_int_equal(cfg->socket_type, TERND_SOCKET_UDP);
	/* lease-database */
	assert_int_equal(cfg->store_type, TERND_STORE_SQLITE);
	assert_string_equal(cfg->store_path,
			    "/var/lib/tern/test-leases.sqlite");
	assert_true(cfg->store_persist);
	assert_int_equal(cfg->lfc_interval, 3600);
	/* global parameters */
	assert_int_equal(cfg->global.valid_lifetime, 4000);
	assert_int_equal(cfg->global.min_valid_lifetime, 3000);
	assert_int_equal(cfg->global.max_valid_lifetime, 8000);
	assert_true(cfg->global.has_renew_timer);
	assert_int_equal(cfg->global.renew_timer, 1000);
	assert_true(cfg->global.has_rebind_timer);
	assert_int_equal(cfg->global.rebind_timer, 2000);
	assert_true(cfg->global.calculate_tee_times);
	assert_true(cfg->global.t1_percent == 0.4);
	assert_true(cfg->global.t2_percent == 0.8);
	assert_false(cfg->global.match_client_id);
	assert_true(cfg->global.authoritative);
	assert_int_equal(cfg->global.next_server, IP(192, 0, 2, 10));
	assert_string_equal(cfg->global.server_hostname, "boot.example.org");
	assert_string_equal(cfg->global.boot_file_name, "pxelinux.0");
	assert_int_equal(cfg->decline_probation_period, 3600);
	assert_int_equal(cfg->offer_lifetime, 60);
	assert_int_equal(cfg->n_host_ids, 2);
	assert_int_equal(cfg->host_ids[0], TERND_ID_CLIENT_ID);
	assert_int_equal(cfg->host_ids[1], TERND_ID_HW_ADDRESS);
	/* global option-data, sorted by code */
	assert_int_equal(cfg->options.n, 7);
	assert_opt(&cfg->options.v[0], 2, "\xff\xff\xf1\xf0", 4);
	assert_opt(&cfg->options.v[1], 6, "\xc0\x00\x02\x35\xc6\x33\x64\x35",
		   8);
	assert_opt(&cfg->options.v[2], 15, "example.org", 11);
	assert_opt(&cfg->options.v[3], 26, "\x05\xdc", 2);
	assert_opt(&cfg->options.v[4], 42, "\xc0\x00\x02\x7b", 4);
	assert_true(cfg->options.v[4].always_send);
	assert_false(cfg->options.v[3].always_send);
	assert_opt(&cfg->options.v[5], 119,
		   "\x07"
		   "example\x03org\x00\x04"
		   "corp\x07"
		   "example\x03org\x00",
		   31);
	assert_opt(&cfg->options.v[6], 252, "http", 4);
	/* control socket, loggers, extensions */
	assert_string_equal(cfg->control_socket, "/run/tern/ternd.sock");
	assert_int_equal(cfg->log_severity, TERND_LOG_DEBUG);
	assert_int_equal(cfg->log_debuglevel, 40);
	assert_string_equal(cfg->log_output, "stderr");
	assert_string_equal(cfg->user, "tern");
	assert_string_equal(cfg->group, "tern");

	/* subnets, sorted by network */
	assert_int_equal(cfg->n_subnets, 4);
	assert_int_equal(cfg->n_networks, 1);
	assert_int_equal(cfg->subnets[0].id, 10);
	assert_int_equal(cfg->subnets[1].id, 20);
	assert_int_equal(cfg->subnets[2].id, 30);
	assert_int_equal(cfg->subnets[3].id, 31);

	s = &cfg->subnets[0];
	assert_int_equal(s->network, IP(192, 0, 2, 0));
	assert_int_equal(s->prefix_len, 24);
	assert_int_equal(s->mask, 0xffffff00u);
	assert_string_equal(s->iface, "eth1");
	assert_null(s->network_of);
	assert_int_equal(s->n_relays, 0);
	assert_int_equal(s->n_pools, 2);
	assert_int_equal(s->pools[0].first, IP(192, 0, 2, 32));
	assert_int_equal(s->pools[0].last, IP(192, 0, 2, 47));
	assert_int_equal(s->pools[1].first, IP(192, 0, 2, 100));
	assert_int_equal(s->pools[1].last, IP(192, 0, 2, 199));
	assert_int_equal(s->params.valid_lifetime, 6000);
	assert_int_equal(s->params.min_valid_lifetime, 3000);
	assert_int_equal(s->params.max_valid_lifetime, 8000);
	assert_int_equal(s->params.renew_timer, 1500);
	assert_int_equal(s->params.rebind_timer, 3000);
	assert_false(s->params.authoritative);
	assert_false(s->params.match_client_id);
	assert_int_equal(s->params.next_server, IP(192, 0, 2, 10));
	assert_int_equal(s->options.n, 4);
	assert_opt(&s->options.v[0], 1, "\xff\xff\xff\x00", 4);
	assert_opt(&s->options.v[1], 3, "\xc0\x00\x02\x01", 4);
	assert_opt(&s->options.v[2], 15, "lab.example.org", 15);
	assert_opt(&s->options.v[3], 28, "\xc0\x00\x02\xff", 4);
	/* reservations: sorted hw (by length, bytes) then client-id */
	assert_int_equal(s->n_reservations, 3);
	r = &s->reservations[0];
	assert_int_equal(r->id_type, TERND_ID_HW_ADDRESS);
	assert_int_equal(r->id_len, 6);
	assert_memory_equal(r->id, "\x0a\x0b\x0c\x0d\x0e\x0f", 6);
	assert_int_equal(r->addr, 0);
	assert_string_equal(r->hostname, "no-address");
	assert_int_equal(r->next_server, IP(192, 0, 2, 11));
	assert_string_equal(r->boot_file_name, "special.efi");
	r = &s->reservations[1];
	assert_memory_equal(r->id, "\x1a\x1b\x1c\x1d\x1e\x1f", 6);
	assert_int_equal(r->addr, IP(192, 0, 2, 50));
	assert_string_equal(r->hostname, "printer");
	assert_int_equal(r->options.n, 2);
	assert_opt(&r->options.v[0], 12, "printer.lab", 11);
	r = &s->reservations[2];
	assert_int_equal(r->id_type, TERND_ID_CLIENT_ID);
	assert_int_equal(r->id_len, 7);
	assert_memory_equal(r->id, "\x01\x0a\x0b\x0c\x0d\x0e\x0f", 7);
	assert_int_equal(r->addr, IP(192, 0, 2, 51));
	assert_null(r->hostname);
	assert_int_equal(s->n_res_by_addr, 2);
	assert_int_equal(s->res_by_addr[0]->addr, IP(192, 0, 2, 50));
	assert_int_equal(s->res_by_addr[1]->addr, IP(192, 0, 2, 51));

	s = &cfg->subnets[1];
	assert_int_equal(s->network, IP(198, 51, 100, 0));
	assert_null(s->iface);
	assert_int_equal(s->n_relays, 2);
	assert_int_equal(s->relays[0], IP(198, 51, 100, 1));
	assert_int_equal(s->relays[1], IP(198, 51, 100, 2));
	assert_int_equal(s->n_pools, 1);
	assert_int_equal(s->pools[0].first, IP(198, 51, 100, 10));
	assert_int_equal(s->pools[0].last, IP(198, 51, 100, 20));
	assert_int_equal(s->params.valid_lifetime, 4000);
	assert_int_equal(s->params.renew_timer, 1000);
	assert_true(s->params.authoritative);
	/* never-send keeps no value, only its bit */
	assert_int_equal(s->options.n, 2);
	assert_opt(&s->options.v[1], 121,
		   "\x08\x0a\xc6\x33\x64\xfe\x00\xc6\x33\x64\x01", 11);
	assert_true(ternd_codeset_has(s->options.never, 42));
	assert_false(ternd_codeset_has(s->options.has, 42));

	s = &cfg->subnets[2];
	assert_int_equal(s->network, IP(203, 0, 113, 0));
	assert_int_equal(s->prefix_len, 25);
	assert_non_null(s->network_of);
	assert_string_equal(s->network_of->name, "floor3");
	assert_string_equal(s->iface, "eth0");
	assert_int_equal(s->n_relays, 1);
	assert_int_equal(s->relays[0], IP(203, 0, 113, 1));
	assert_int_equal(s->params.valid_lifetime, 5000);
	assert_int_equal(s->params.max_valid_lifetime, 8000);
	s = &cfg->subnets[3];
	assert_int_equal(s->network, IP(203, 0, 113, 128));
	assert_int_equal(s->params.max_valid_lifetime, 9000);
	assert_ptr_equal(s->network_of, &cfg->networks[0]);

	/* lookups */
	assert_ptr_equal(ternd_config_subnet_for_addr(cfg, IP(192, 0, 2, 77)),
			 &cfg->subnets[0]);
	assert_ptr_equal(
		ternd_config_subnet_for_addr(cfg, IP(203, 0, 113, 200)),
		&cfg->subnets[3]);
	assert_ptr_equal(ternd_config_subnet_for_addr(cfg, IP(203, 0, 113, 1)),
			 &cfg->subnets[2]);
	assert_null(ternd_config_subnet_for_addr(cfg, IP(10, 0, 0, 1)));
	assert_null(ternd_config_subnet_for_addr(cfg, IP(192, 0, 3, 0)));
	assert_ptr_equal(ternd_config_subnet_by_id(cfg, 31), &cfg->subnets[3]);
	assert_null(ternd_config_subnet_by_id(cfg, 99));
	s = &cfg->subnets[0];
	r = ternd_subnet_find_host(s, TERND_ID_HW_ADDRESS,
				   (const uint8_t *)"\x1a\x1b\x1c\x1d\x1e\x1f",
				   6);
	assert_ptr_equal(r, &s->reservations[1]);
	assert_null(ternd_subnet_find_host(
		s, TERND_ID_CLIENT_ID,
		(const uint8_t *)"\x1a\x1b\x1c\x1d\x1e\x1f", 6));
	assert_ptr_equal(ternd_subnet_find_addr(s, IP(192, 0, 2, 51)),
			 &s->reservations[2]);
	assert_null(ternd_subnet_find_addr(s, IP(192, 0, 2, 52)));

	/* option precedence: reservation > subnet > network > global */
	r = &s->reservations[1];
	assert_opt(ternd_config_option(cfg, s, r, 15), 15,
		   "printers.example.org", 20);
	assert_opt(ternd_config_option(cfg, s, NULL, 15), 15, "lab.example.org",
		   15);
	assert_opt(ternd_config_option(cfg, NULL, NULL, 15), 15, "example.org",
		   11);
	assert_opt(ternd_config_option(cfg, s, r, 3), 3, "\xc0\x00\x02\x01", 4);
	assert_null(ternd_config_option(cfg, s, r, 121));
	/* never-send in subnet 20 hides the global ntp-servers */
	assert_non_null(ternd_config_option(cfg, s, NULL, 42));
	assert_null(ternd_config_option(cfg, &cfg->subnets[1], NULL, 42));
	/* the precedence list: reservation, subnet, shared network, global */
	{
		const struct ternd_optlist *lv[5];

		assert_int_equal(ternd_config_levels(cfg, s, r, 0, lv, 5), 3);
		assert_ptr_equal(lv[0], &r->options);
		assert_ptr_equal(lv[1], &s->options);
		assert_ptr_equal(lv[2], &cfg->options);
		assert_int_equal(ternd_config_levels(cfg, &cfg->subnets[3],
						     NULL, 0, lv, 5),
				 3);
		assert_ptr_equal(lv[1], &cfg->networks[0].options);
		assert_int_equal(ternd_config_levels(cfg, &cfg->subnets[3],
						     NULL, 0, lv, 2),
				 2);
	}
	assert_opt(ternd_config_option(cfg, &cfg->subnets[3], NULL, 66), 66,
		   "tftp.example.org", 16);
	ternd_config_free(cfg);
	ternd_config_free(NULL);
}

static void test_defaults(void **state)
{
	(void)state;
	struct ternd_config *cfg = expect_ok("{\"Dhcp4\": {\"subnet4\": []}}");

	assert_int_equal(cfg->socket_type, TERND_SOCKET_RAW);
	assert_string_equal(cfg->store_path, TERND_DEFAULT_STORE_PATH);
	assert_int_equal(cfg->global.valid_lifetime, 7200);
	assert_int_equal(cfg->global.min_valid_lifetime, 7200);
	assert_int_equal(cfg->global.max_valid_lifetime, 7200);
	assert_false(cfg->global.has_renew_timer);
	assert_false(cfg->global.calculate_tee_times);
	assert_true(cfg->global.match_client_id);
	assert_false(cfg->global.authoritative);
	assert_int_equal(cfg->decline_probation_period, 86400);
	/* Kea's default host-reservation-identifiers. */
	assert_int_equal(cfg->n_host_ids, 4);
	assert_int_equal(cfg->host_ids[0], TERND_ID_HW_ADDRESS);
	assert_int_equal(cfg->host_ids[1], TERND_ID_DUID);
	assert_int_equal(cfg->host_ids[2], TERND_ID_CIRCUIT_ID);
	assert_int_equal(cfg->host_ids[3], TERND_ID_CLIENT_ID);
	assert_int_equal(cfg->log_severity, TERND_LOG_INFO);
	assert_null(cfg->control_socket);
	assert_null(cfg->user);
	assert_int_equal(cfg->n_subnets, 0);
	ternd_config_free(cfg);

	/* memfile: the store lives beside Kea's CSV, never over it. */
	cfg = expect_ok(DHCP4("\"lease-database\": {\"type\": \"memfile\", "
			      "\"name\": \"/var/lib/kea/kea-leases4.csv\", "
			      "\"persist\": false}"));
	assert_string_equal(cfg->store_path, "/var/lib/kea/kea-leases4.sqlite");
	assert_string_equal(cfg->store_csv_path,
			    "/var/lib/kea/kea-leases4.csv");
	assert_false(cfg->store_persist);
	assert_int_equal(diags.n, 0);
	ternd_config_free(cfg);
	/* A name without .csv gets .sqlite appended. */
	cfg = expect_ok(DHCP4("\"lease-database\": {\"type\": \"memfile\", "
			      "\"name\": \"/srv/dhcp/site-b.leases\"}"));
	assert_string_equal(cfg->store_path, "/srv/dhcp/site-b.leases.sqlite");
	ternd_config_free(cfg);
	/* memfile without a name is Kea's default CSV (Debian's file). */
	cfg = expect_ok(DHCP4("\"lease-database\": {\"type\": "
			      "\"memfile\"}"));
	assert_string_equal(cfg->store_path, "/var/lib/kea/kea-leases4.sqlite");
	assert_string_equal(cfg->store_csv_path, TERND_KEA_MEMFILE4_DEFAULT);
	ternd_config_free(cfg);
	/* No lease-database: ternd's own default, no CSV. */
	cfg = expect_ok(DHCP4("\"valid-lifetime\": 60"));
	assert_string_equal(cfg->store_path, TERND_DEFAULT_STORE_PATH);
	assert_null(cfg->store_csv_path);
	ternd_config_free(cfg);
	/* sqlite's name is used as it is. */
	cfg = expect_ok(DHCP4("\"lease-database\": {\"type\": \"sqlite\", "
			      "\"name\": \"/srv/x.db\"}"));
	assert_string_equal(cfg->store_path, "/srv/x.db");
	assert_null(cfg->store_csv_path);
	ternd_config_free(cfg);
	expect_error(DHCP4("\"lease-database\": {\"type\": \"memfile\", "
			   "\"name\": \"/var/lib/kea/\"}"),
		     2, 47, "must name a file");

	/* Subnets without id are numbered 1, 2, ... as kea-dhcp4 2.2 does
	 * (checked with kea-dhcp4's config-get): shared networks' first. */
	cfg = expect_ok(DHCP4("\"subnet4\": [{\"id\": 7, \"subnet\": "
			      "\"10.0.0.0/8\"},\n"
			      "{\"subnet\": \"11.0.0.0/8\"}, {\"subnet\": "
			      "\"12.0.0.0/8\"}],\n"
			      "\"shared-networks\": [{\"name\": \"n\", "
			      "\"subnet4\": [{\"subnet\": \"13.0.0.0/8\"}]}]"));
	assert_int_equal(ternd_config_subnet_for_addr(cfg, IP(10, 1, 1, 1))->id,
			 7);
	assert_int_equal(ternd_config_subnet_for_addr(cfg, IP(13, 1, 1, 1))->id,
			 1);
	assert_int_equal(ternd_config_subnet_for_addr(cfg, IP(11, 1, 1, 1))->id,
			 2);
	assert_int_equal(ternd_config_subnet_for_addr(cfg, IP(12, 1, 1, 1))->id,
			 3);
	assert_true(has_diag(TERND_DIAG_WARNING, 3, 12, "no \"id\""));
	ternd_config_free(cfg);
	/* A given id equal to a generated one: kea-dhcp4 refuses it. */
	expect_error(DHCP4("\"subnet4\": [{\"subnet\": \"11.0.0.0/8\"},\n"
			   "{\"id\": 1, \"subnet\": \"10.0.0.0/8\"}]"),
		     3, 8, "also the one the subnet without");
}

static void test_warnings_only(void **state)
{
	(void)state;
	struct ternd_config *cfg = expect_ok(
		"{\"no-such-section\": {},\n"
		" \"Dhcp4\": {\n"
		"  \"no-such-key\": 1,\n"
		"  \"subnet4\": [{\"id\": 1, \"subnet\": \"10.0.0.0/24\", "
		"\"bogus\": true}],\n"
		"  \"comment\": \"comments are fine\"\n"
		" }}");

	assert_int_equal(diags.errors, 0);
	assert_int_equal(diags.warnings, 3);
	assert_true(has_diag(TERND_DIAG_WARNING, 1, 2, "no-such-section"));
	assert_true(has_diag(TERND_DIAG_WARNING, 3, 3, "\"no-such-key\""));
	assert_true(has_diag(TERND_DIAG_WARNING, 4, 50, "\"bogus\""));
	/* diagnostics come out in file order */
	assert_int_equal(diags.v[0].line, 1);
	assert_int_equal(diags.v[2].line, 4);
	ternd_config_free(cfg);
}

static void test_type_errors(void **state)
{
	(void)state;
	expect_error(DHCP4("\"valid-lifetime\": \"4000\""), 2, 19,
		     "\"valid-lifetime\" must be an integer, not a string");
	expect_error(DHCP4("\"valid-lifetime\": -5"), 2, 19,
		     "must not be negative");
	expect_error(DHCP4("\"renew-timer\": 1.5"), 2, 16,
		     "\"renew-timer\" must be an integer");
	expect_error(DHCP4("\"valid-lifetime\": 4294967296"), 2, 19,
		     "out of range");
	expect_error(DHCP4("\"authoritative\": 1"), 2, 18,
		     "must be true or false");
	expect_error(DHCP4("\"next-server\": \"1.2.3\""), 2, 16,
		     "not an IPv4 address");
	expect_error(DHCP4("\"t1-percent\": 1"), 2, 15,
		     "\"t1-percent\" must be a real number such as 0.5, not an "
		     "integer");
	expect_error(DHCP4("\"subnet4\": {}"), 2, 12, "must be a list");
	expect_error(DHCP4("\"interfaces-config\": {\"interfaces\": "
			   "[\"eth0/300.1.1.1\"]}"),
		     2, 38, "not an IPv4 address");
	expect_error(DHCP4("\"interfaces-config\": {\"dhcp-socket-type\": "
			   "\"tcp\"}"),
		     2, 43, "\"raw\" or \"udp\"");
	expect_error(DHCP4("\"loggers\": [{\"name\": \"kea-dhcp4\", "
			   "\"severity\": \"LOUD\"}]"),
		     2, 47, "severity");
	expect_error(DHCP4("\"control-socket\": {\"socket-type\": \"tcp\", "
			   "\"socket-name\": \"/x\"}"),
		     2, 35, "only \"unix\"");
	expect_error("[1]", 1, 1, "must be a map");
	expect_error("{}", 1, 1, "no \"Dhcp4\" or \"Dhcp6\"");
	/* JSON errors come through with their position */
	expect_error(DHCP4("\"valid-lifetime\": 10,\n\"valid-lifetime\": 20"),
		     3, 1, "duplicate key");
	expect_error(DHCP4(",\"valid-lifetime\": 10"), 2, 1, "key (a string)");
}

static void test_timer_errors(void **state)
{
	(void)state;
	expect_error(DHCP4("\"renew-timer\": 3000,\n\"rebind-timer\": 2000"), 2,
		     16, "renew-timer (3000) is greater than rebind-timer");
	expect_error(DHCP4("\"valid-lifetime\": 1000,\n"
			   "\"min-valid-lifetime\": 2000"),
		     3, 23, "min-valid-lifetime (2000) is greater");
	expect_error(DHCP4("\"max-valid-lifetime\": 500"), 2, 23,
		     "greater than max-valid-lifetime");
	/* A subnet override that breaks the global timers is reported at
	 * the override; a global problem is reported once, not per subnet. */
	expect_error(DHCP4("\"rebind-timer\": 2000,\n"
			   "\"subnet4\": [{\"id\": 1, \"subnet\": "
			   "\"10.0.0.0/8\",\n"
			   "\"renew-timer\": 3000}]"),
		     4, 16, "renew-timer (3000) is greater than rebind-timer");
	expect_error(DHCP4("\"renew-timer\": 3000, \"rebind-timer\": 2000,\n"
			   "\"subnet4\": [{\"id\": 1, \"subnet\": "
			   "\"10.0.0.0/8\"}, {\"id\": 2, \"subnet\": "
			   "\"11.0.0.0/8\"}]"),
		     2, 16, "renew-timer");
	assert_int_equal(diags.errors, 1);
}

static void test_subnet_errors(void **state)
{
	(void)state;
	expect_error(
		DHCP4("\"subnet4\": [{\"id\": 1, \"subnet\": \"10.0.0.0\"}]"),
		2, 33, "not an IPv4 prefix");
	expect_error(DHCP4("\"subnet4\": [{\"id\": 1, \"subnet\": "
			   "\"10.0.0.1/24\"}]"),
		     2, 33, "host bits");
	expect_error(DHCP4("\"subnet4\": [{\"id\": 1}]"), 2, 13,
		     "needs \"subnet\"");
	expect_error(DHCP4("\"subnet4\": [{\"id\": 0, \"subnet\": "
			   "\"10.0.0.0/8\"}]"),
		     2, 20, "out of range");
	expect_error(DHCP4("\"subnet4\": [\n"
			   "{\"id\": 1, \"subnet\": \"10.0.0.0/24\"},\n"
			   "{\"id\": 1, \"subnet\": \"10.0.1.0/24\"}]"),
		     4, 8, "subnet id 1 is already used at line 3");
	expect_error(DHCP4("\"subnet4\": [\n"
			   "{\"id\": 1, \"subnet\": \"10.0.0.0/16\"},\n"
			   "{\"id\": 2, \"subnet\": \"10.0.4.0/24\"}]"),
		     4, 21, "subnet overlaps the subnet at line 3");
	expect_error(DHCP4("\"subnet4\": [\n"
			   "{\"id\": 1, \"subnet\": \"10.0.4.0/24\"},\n"
			   "{\"id\": 2, \"subnet\": \"10.0.0.0/16\"}]"),
		     4, 21, "subnet overlaps the subnet at line 3");
	expect_error(DHCP4("\"subnet4\": [{\"id\": 1, \"subnet\": "
			   "\"10.0.0.0/24\",\n"
			   "\"interface\": \"an-interface-name-too-long\"}]"),
		     3, 14, "not an interface name");
	expect_error(DHCP4("\"subnet4\": [{\"id\": 1, \"subnet\": "
			   "\"10.0.0.0/24\",\n"
			   "\"relay\": {\"ip-addresses\": [\"10.0.0.1\", "
			   "\"x\"]}}]"),
		     3, 40, "not an IPv4 address");
	expect_error(DHCP4("\"shared-networks\": [{\"name\": \"a\"},\n"
			   "{\"name\": \"a\"}]"),
		     3, 10, "already defined");
}

static void test_pool_errors(void **state)
{
	(void)state;
#define SUB "\"subnet4\": [{\"id\": 1, \"subnet\": \"10.0.0.0/24\",\n"
	expect_error(DHCP4(SUB "\"pools\": [{\"pool\": \"10.0.1.1 - "
			       "10.0.1.9\"}]}]"),
		     3, 20, "outside its subnet");
	expect_error(DHCP4(SUB "\"pools\": [{\"pool\": \"10.0.0.0/23\"}]}]"), 3,
		     20, "outside its subnet");
	expect_error(DHCP4(SUB "\"pools\": [{\"pool\": \"10.0.0.128/23\"}]}]"),
		     3, 20, "host bits");
	expect_error(DHCP4(SUB "\"pools\": [{\"pool\": \"10.0.0.9 - "
			       "10.0.0.1\"}]}]"),
		     3, 20, "ends before it starts");
	expect_error(DHCP4(SUB "\"pools\": [{\"pool\": \"10.0.0.9 to "
			       "10.0.0.1\"}]}]"),
		     3, 20, "not \"first - last\"");
	expect_error(DHCP4(SUB "\"pools\": [{\"pool\": \"10.0.0.10 - "
			       "10.0.0.50\"},\n"
			       "{\"pool\": \"10.0.0.0/26\"}]}]"),
		     4, 10, "pool overlaps the pool at line 3 column 20");
	expect_error(DHCP4(SUB "\"pools\": [{\"pool\": \"10.0.0.64/26\"},\n"
			       "{\"pool\": \"10.0.0.1 - 10.0.0.64\"}]}]"),
		     4, 10, "pool overlaps");
	expect_error(DHCP4(SUB "\"pools\": [{\"pool\": \"10.0.0.0/26\",\n"
			       "\"option-data\": [{\"code\": 2}]}]}]"),
		     4, 17, "option data does not match");
}

static void test_reservation_errors(void **state)
{
	(void)state;
	expect_error(DHCP4(SUB "\"reservations\": [{\"hw-address\": "
			       "\"aa:bb:cc:dd:ee:ff\", \"ip-address\": "
			       "\"10.0.1.5\"}]}]"),
		     3, 68, "reserved address 10.0.1.5 is outside its subnet");
	expect_error(DHCP4(SUB "\"reservations\": [\n"
			       "{\"hw-address\": \"aa:bb:cc:dd:ee:01\", "
			       "\"ip-address\": \"10.0.0.5\"},\n"
			       "{\"hw-address\": \"aa:bb:cc:dd:ee:02\", "
			       "\"ip-address\": \"10.0.0.5\"}]}]"),
		     5, 51, "address 10.0.0.5 is already reserved at line 4");
	expect_error(DHCP4(SUB "\"reservations\": [\n"
			       "{\"client-id\": \"01:02:03\", \"hostname\": "
			       "\"a\"},\n"
			       "{\"client-id\": \"010203\", \"hostname\": "
			       "\"b\"}]}]"),
		     5, 15, "this client-id is already reserved at line 4");
	expect_error(DHCP4(SUB "\"reservations\": [\n"
			       "{\"hw-address\": \"aa:bb:zz\"}]}]"),
		     4, 16, "invalid host identifier value");
	expect_error(DHCP4(SUB "\"reservations\": [\n"
			       "{\"ip-address\": \"10.0.0.5\"}]}]"),
		     4, 1, "needs one of the identifiers");
	expect_error(DHCP4(SUB
			   "\"reservations\": [\n"
			   "{\"hw-address\": \"01:02\", \"hostname\": 5}]}]"),
		     4, 37, "must be a string, not an integer");
#undef SUB
}

static void test_unsupported_keys(void **state)
{
	(void)state;
	expect_error(DHCP4("\"hooks-libraries\": [{\"library\": "
			   "\"/x/libdhcp_ha.so\"}]"),
		     2, 33,
		     "libdhcp_ha.so (High Availability) is not supported");
	expect_error(DHCP4("\"host-reservation-identifiers\": "
			   "[\"hw-address\", \"mac\"]"),
		     2, 48, "\"mac\"");
	expect_error(DHCP4("\"lease-database\": {\"type\": \"postgresql\"}"), 2,
		     19, "needs a \"name\"");
	expect_error(DHCP4("\"lease-database\": {\"type\": \"mysql\"}"), 2, 28,
		     "not supported");
}

static void test_file_errors(void **state)
{
	(void)state;
	struct ternd_config *cfg = NULL;

	memset(&diags, 0, sizeof(diags));
	assert_int_equal(
		ternd_config_load_file("/nonexistent/ternd.json", &cfg, &diags),
		-ENOENT);
	assert_null(cfg);
	assert_int_equal(diags.errors, 1);
	assert_int_equal(ternd_config_load_file("/", &cfg, &diags), -EINVAL);
	assert_int_equal(ternd_config_load_buf(NULL, 3, &cfg, NULL), -EINVAL);
	/* diags is optional */
	assert_int_equal(ternd_config_load_buf("{", 1, &cfg, NULL), -EBADMSG);
	assert_null(cfg);
}

static void test_many_diags(void **state)
{
	(void)state;
	char *text = malloc(100 * 40 + 64);
	size_t n;
	struct ternd_config *cfg = NULL;

	assert_non_null(text);
	n = (size_t)sprintf(text, "{\"Dhcp4\": {");
	for (int i = 0; i < 100; i++)
		n += (size_t)sprintf(text + n, "%s\"unknown-%d\": 1",
				     i ? ", " : "", i);
	sprintf(text + n, "}}");
	assert_int_equal(load(text, &cfg), 0);
	assert_int_equal(diags.n, TERND_DIAG_MAX);
	assert_int_equal(diags.warnings, 100);
	assert_int_equal(diags.dropped, 100 - TERND_DIAG_MAX);
	ternd_config_free(cfg);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_fixture),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_warnings_only),
		cmocka_unit_test(test_type_errors),
		cmocka_unit_test(test_timer_errors),
		cmocka_unit_test(test_subnet_errors),
		cmocka_unit_test(test_pool_errors),
		cmocka_unit_test(test_reservation_errors),
		cmocka_unit_test(test_unsupported_keys),
		cmocka_unit_test(test_file_errors),
		cmocka_unit_test(test_many_diags),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
