/* Unit tests for Kea's memfile lease6 CSV: rows as kea-dhcp6 2.2 reads them
 * (bad ones reported with their line), its file order (.completed, .2, .1,
 * the file), and the one-time import into the DHCPv6 store, all or
 * nothing. */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "server/config/config.h"
#include "server/config/config6.h"
#include "server/store/kea_csv6.h"
#include "server/store/store6.h"

#define HEADER                                                          \
	"address,duid,valid_lifetime,expire,subnet_id,pref_lifetime,"   \
	"lease_type,iaid,prefix_len,fqdn_fwd,fqdn_rev,hostname,hwaddr," \
	"state,user_context,hwtype,hwaddr_source\n"
#define DUID "00:03:00:01:02:00:00:00:00:aa"
#define NOW  INT64_C(1700000000)

struct fx {
	char dir[64];
	char csv[96];
	char db[96];
	char bad[16][200];
	size_t n_bad;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/tern-keacsv6.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->csv, sizeof(f->csv), "%s/kea-leases6.csv", f->dir);
	snprintf(f->db, sizeof(f->db), "%s/kea-leases6.sqlite", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

static void put_sfx(struct fx *f, const char *suffix, const char *text)
{
	char p[128];
	FILE *fp;

	snprintf(p, sizeof(p), "%s%s", f->csv, suffix);
	fp = fopen(p, "w");
	assert_non_null(fp);
	assert_true(fputs(text, fp) >= 0);
	assert_int_equal(fclose(fp), 0);
}

static void on_bad(void *ctx, const char *file, unsigned long line,
		   const char *why)
{
	struct fx *f = ctx;
	const char *base = strrchr(file, '/');

	if (f->n_bad < 16)
		snprintf(f->bad[f->n_bad++], sizeof(f->bad[0]), "%s:%lu: %s",
			 base ? base + 1 : file, line, why);
}

static struct in6_addr a6(const char *s)
{
	struct in6_addr a;

	assert_int_equal(inet_pton(AF_INET6, s, &a), 1);
	return a;
}

/* Every kind of row: an address, a prefix, a declined address (DUID
 * "00"), an escaped host name; bad rows each reported with its line. */
static void test_rows(void **state)
{
	struct fx *f = *state;
	struct ternd_kea_csv_stats st;
	struct ternd_lease6 *v = NULL;
	size_t n = 0;
	struct in6_addr a;

	put_sfx(f, "",
		HEADER
		"2001:db8:1::10," DUID ",4000,1700003000,1,3000,0,7,128,0,0,"
		"host&#x2cone,,0,,,\n"
		"2001:db8:8000::," DUID ",4000,1700003000,1,3000,2,8,56,0,0,"
		",,0,{ \"a\": 1 },,\n"
		"2001:db8:1::11,00,600,1700000100,1,0,0,0,128,0,0,,,1,,,\n"
		"\n"
		"2001:db8:1::12,00,600,1700000100,1,0,0,0,128,0,0,,,0,,,\n"
		"not-an-address," DUID
		",600,1700000100,1,0,0,0,128,0,0,,,0,,,\n"
		"2001:db8:1::13," DUID ",600,100,1,0,0,0,128,0,0,,,0,,,\n"
		"2001:db8:1::14," DUID
		",600,1700000100,1,0,1,0,128,0,0,,,0,,,\n"
		"2001:db8:1::15," DUID
		",600,1700000100,1,0,0,0,128,0,0,,,7,,,\n"
		"2001:db8:1::16,zz,600,1700000100,1,0,0,0,128,0,0,,,0,,,\n"
		"2001:db8:1::17," DUID ",600,1700000100,1,0,0,0,128,0,0\n"
		"2001:db8:1::18," DUID ",600,1700000100,1,0,0,0,128,0,0,,,0,"
		"[1],,\n");
	assert_int_equal(
		ternd_kea_csv6_read(f->csv, NOW, &v, &n, on_bad, f, &st), 0);
	assert_int_equal(n, 3);
	assert_int_equal(st.rows, 11);
	assert_int_equal(st.bad, 8);
	assert_int_equal(f->n_bad, 8);
	assert_string_equal(f->bad[0], "kea-leases6.csv:6: The Empty DUID is "
				       "only valid for declined leases");
	assert_string_equal(f->bad[1], "kea-leases6.csv:7: 'not-an-address' "
				       "is not an IPv6 address");
	assert_non_null(strstr(f->bad[2], ":8: expire '100'"));
	assert_non_null(strstr(f->bad[3], ":9: a temporary address"));
	assert_non_null(strstr(f->bad[4], ":10: state '7'"));
	assert_non_null(strstr(f->bad[5], ":11: 'zz' is not a DUID"));
	assert_non_null(strstr(f->bad[6], ":12: invalid number of columns"));
	assert_non_null(strstr(f->bad[7], ":13: user context '[1]'"));
	/* Sorted by type, then address: the two addresses, the prefix. */
	a = a6("2001:db8:1::10");
	assert_int_equal(v[0].type, TERND_LEASE6_NA);
	assert_memory_equal(&v[0].addr, &a, 16);
	assert_int_equal(v[0].plen, 128);
	assert_int_equal(v[0].duid_len, 10);
	assert_int_equal(v[0].duid[9], 0xaa);
	assert_int_equal(v[0].iaid, 7);
	assert_int_equal(v[0].valid, 4000);
	assert_int_equal(v[0].preferred, 3000);
	assert_int_equal(v[0].expire, 1700003000);
	assert_int_equal(v[0].cltt, 1700003000 - 4000);
	assert_string_equal(v[0].hostname, "host,one");
	assert_int_equal(v[1].state, TERND_LEASE6_DECLINED);
	assert_int_equal(v[1].duid_len, 0);
	a = a6("2001:db8:8000::");
	assert_int_equal(v[2].type, TERND_LEASE6_PD);
	assert_memory_equal(&v[2].addr, &a, 16);
	assert_int_equal(v[2].plen, 56);
	assert_int_equal(st.active, 2);
	free(v);
}

/* Kea's file order: .2, .1, then the file, the last row per binding
 * standing and valid_lifetime 0 removing; .completed replaces .2/.1. */
static void test_order(void **state)
{
	struct fx *f = *state;
	struct ternd_kea_csv_stats st;
	struct ternd_lease6 *v = NULL;
	size_t n = 0;

	put_sfx(f, ".2",
		HEADER "2001:db8:1::10," DUID
		       ",4000,1700003000,1,3000,0,1,128,0,0,old,,0,,,\n"
		       "2001:db8:1::20," DUID
		       ",4000,1700003000,1,3000,0,2,128,0,0,,,0,,,\n");
	put_sfx(f, ".1",
		HEADER "2001:db8:1::20," DUID
		       ",0,1700003000,1,3000,0,2,128,0,0,,,0,,,\n");
	put_sfx(f, "",
		HEADER "2001:db8:1::10," DUID
		       ",4000,1700003500,1,3000,0,1,128,0,0,new,,0,,,\n");
	assert_int_equal(
		ternd_kea_csv6_read(f->csv, NOW, &v, &n, NULL, NULL, &st), 0);
	assert_int_equal(st.files, 3);
	assert_int_equal(st.deleted, 1);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].hostname, "new");
	free(v);
	/* The LFC's finished output: .2 and .1 are not read. */
	put_sfx(f, ".completed",
		HEADER "2001:db8:1::30," DUID
		       ",4000,1700003000,1,3000,0,3,128,0,0,,,0,,,\n");
	assert_int_equal(
		ternd_kea_csv6_read(f->csv, NOW, &v, &n, NULL, NULL, &st), 0);
	assert_int_equal(st.files, 2);
	assert_int_equal(n, 2);
	free(v);
	/* A lease4 file, or nothing at all. */
	put_sfx(f, ".completed", "address,hwaddr,client_id\n");
	assert_int_equal(
		ternd_kea_csv6_read(f->csv, NOW, &v, &n, NULL, NULL, &st),
		-EBADMSG);
	assert_int_equal(ternd_kea_csv6_read("/nonexistent/x.csv", NOW, &v, &n,
					     NULL, NULL, &st),
			 -ENOENT);
}

static int count_cb(void *ctx, const struct ternd_lease6 *l)
{
	(void)l;
	(*(size_t *)ctx)++;
	return 0;
}

/* Once, noted in the meta table; what the store has is left alone. */
static void test_import(void **state)
{
	struct fx *f = *state;
	struct ternd_kea_csv_stats st;
	struct ternd_store6 *s = NULL;
	struct ternd_change6 mine = {.op = TERND_CHANGE6_PUT};
	char note[512];
	size_t rows = 0;

	put_sfx(f, "",
		HEADER "2001:db8:1::10," DUID
		       ",4000,1700003000,1,3000,0,1,128,0,0,,,0,,,\n"
		       "2001:db8:1::11," DUID
		       ",4000,1700003000,1,3000,0,2,128,0,0,,,0,,,\n"
		       "bad\n");
	assert_int_equal(ternd_store6_open(f->db, &s), 0);
	mine.lease.addr = a6("2001:db8:1::11");
	mine.lease.plen = 128;
	mine.lease.duid_len = 2;
	mine.lease.expire = NOW + 10;
	snprintf(mine.lease.hostname, sizeof(mine.lease.hostname), "mine");
	assert_int_equal(ternd_store6_commit(s, &mine, 1), 0);
	assert_int_equal(
		ternd_kea_csv6_import(s, f->csv, NOW, false, NULL, NULL, &st),
		1);
	assert_int_equal(st.imported, 1);
	assert_int_equal(st.kept, 1);
	assert_int_equal(st.bad, 1);
	assert_int_equal(ternd_store6_iterate(s, count_cb, &rows), 0);
	assert_int_equal(rows, 2);
	assert_int_equal(ternd_store6_meta_get(s, TERND_KEA_CSV_META, note,
					       sizeof(note)),
			 0);
	assert_non_null(strstr(note, "1 leases imported (1 kept"));
	/* Done: a second start imports nothing. */
	assert_int_equal(
		ternd_kea_csv6_import(s, f->csv, NOW, false, NULL, NULL, &st),
		0);
	ternd_store6_close(s);
}

/* A Dhcp6 memfile without a name is Kea's v6 file; with one, that. */
static void test_config(void **state)
{
	static const char *noname =
		"{\"Dhcp6\": {\"lease-database\": "
		"{\"type\": \"memfile\"}, \"subnet6\": []}}";
	struct ternd_config *cfg = NULL;
	struct ternd_diags d = {0};

	(void)state;
	assert_int_equal(
		ternd_config_load_buf(noname, strlen(noname), &cfg, &d), 0);
	assert_string_equal(cfg->store_csv_path, TERND6_KEA_MEMFILE);
	assert_string_equal(cfg->store_path, "/var/lib/kea/kea-leases6.sqlite");
	ternd_config_free(cfg);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_rows),
		T(test_order),
		T(test_import),
		cmocka_unit_test(test_config),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
