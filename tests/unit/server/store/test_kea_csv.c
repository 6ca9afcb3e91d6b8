/* Unit tests for Kea's memfile lease4 CSV: rows as kea-dhcp4 2.2 reads them,
 * its file order, and the one-time import into the store. */
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

#include "server/store/kea_csv.h"
#include "server/store/store.h"

#define HEADER                                                               \
	"address,hwaddr,client_id,valid_lifetime,expire,subnet_id,fqdn_fwd," \
	"fqdn_rev,hostname,state,user_context\n"

#define NOW INT64_C(1700000000)

struct fx {
	char dir[64];
	char csv[96];
	char db[96];
	char bad[16][160]; /* "FILE:LINE: why" of each refused row */
	size_t n_bad;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/tern-keacsv.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->csv, sizeof(f->csv), "%s/kea-leases4.csv", f->dir);
	snprintf(f->db, sizeof(f->db), "%s/kea-leases4.sqlite", f->dir);
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

static void put(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	assert_int_equal(fputs(text, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
}

static void put_sfx(struct fx *f, const char *suffix, const char *text)
{
	char p[128];

	snprintf(p, sizeof(p), "%s%s", f->csv, suffix);
	put(p, text);
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

static uint32_t ip(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return ntohl(a.s_addr);
}

static const struct ternd_lease *find(const struct ternd_lease *v, size_t n,
				      const char *addr)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].addr == ip(addr))
			return &v[i];
	return NULL;
}

static void test_rows(void **state)
{
	struct fx *f = *state;
	struct ternd_kea_csv_stats s;
	struct ternd_lease *v = NULL;
	const struct ternd_lease *l;
	size_t n = 0;
	static const uint8_t hw[] = {0x06, 0x07, 0x08, 0x09, 0x0a, 0xbc};
	static const uint8_t cid[] = {0x01, 0x06, 0x07, 0x08, 0x09, 0x0a, 0xbc};

	put(f->csv, HEADER
	    /* 2: bound, both ids, escaped comma and ampersand */
	    "192.0.2.1,06:07:08:09:0a:bc,01:06:07:08:09:0a:bc,3600,"
	    "1700003000,1,0,0,a&#x2cb&#x26c,0,"
	    "{ \"ISC\": { \"relay-agent-info\": \"0x0102ABcd\" } }\n"
	    "\n" /* 3: blank lines are skipped but counted */
	    /* 4: declined: no identifiers needed */
	    "192.0.2.2,,,86400,1700080000,1,0,0,,1,\n"
	    /* 5: expired-reclaimed, user context with an escaped comma */
	    "192.0.2.3,0a:0b:0c:0d:0e:0f,,600,1699999000,1,0,0,,2,"
	    "{ \"ISC\": { \"a\": 1&#x2c \"b\": 2 } }\n"
	    /* 6: released (Kea >= 2.3), client-id written contiguous */
	    "192.0.2.4,,0x0102aa,600,1699999000,2,1,1,host.example.com,3,\n"
	    /* 7: the first row of .5 ... */
	    "192.0.2.5,aa:bb:cc:dd:ee:01,,100,1700000100,1,0,0,first,0,\n"
	    /* 8: ... and its last: the later row wins */
	    "192.0.2.5,aa:bb:cc:dd:ee:02,,200,1700000300,1,0,0,second,0,\n"
	    /* 9, 10: .6 leased then removed (valid_lifetime 0) */
	    "192.0.2.6,aa:bb:cc:dd:ee:03,,100,1700000100,1,0,0,,0,\n"
	    "192.0.2.6,aa:bb:cc:dd:ee:03,,0,1700000100,1,0,0,,0,\n"
	    /* 11..20: rows Kea refuses too */
	    "192.0.2.7,aa:bb,,100,1700000100,1,0,0,,0\n"
	    "2001:db8::1,aa:bb,,100,1700000100,1,0,0,,0,\n"
	    "192.0.2.8,aa::bb,,100,1700000100,1,0,0,,0,\n"
	    "192.0.2.9,,,100,1700000100,1,0,0,,0,\n"
	    "192.0.2.10,aa:bb,01,100,1700000100,1,0,0,,0,\n"
	    "192.0.2.11,aa:bb,,x,1700000100,1,0,0,,0,\n"
	    "192.0.2.12,aa:bb,,100,1700000100,1,true,0,,0,\n"
	    "192.0.2.13,aa:bb,,100,1700000100,1,0,0,,9,\n"
	    "192.0.2.14,aa:bb,,100,1700000100,1,0,0,,0,[1]\n"
	    "192.0.2.15,01:02:03:04:05:06:07:08:09:10:11:12:13:14:15:16:17,,"
	    "100,1700000100,1,0,0,,0,\n");
	memset(f->bad, 0, sizeof(f->bad));
	assert_int_equal(ternd_kea_csv_read(f->csv, NOW, &v, &n, on_bad, f, &s),
			 0);
	assert_int_equal(s.files, 1);
	assert_int_equal(s.rows, 18);
	assert_int_equal(s.deleted, 1);
	assert_int_equal(s.bad, 10);
	assert_int_equal(s.leases, 5);
	assert_int_equal(n, 5);
	/* .1 bound and unexpired, .5 bound until NOW + 300. */
	assert_int_equal(s.active, 2);
	for (size_t i = 1; i < n; i++)
		assert_true(v[i - 1].addr < v[i].addr);

	l = find(v, n, "192.0.2.1");
	assert_non_null(l);
	assert_int_equal(l->state, TERND_LEASE_BOUND);
	assert_int_equal(l->htype, 1);
	assert_int_equal(l->hw_len, 6);
	assert_memory_equal(l->hw, hw, 6);
	assert_int_equal(l->cid_len, 7);
	assert_memory_equal(l->cid, cid, 7);
	assert_int_equal(l->valid_lifetime, 3600);
	assert_int_equal(l->expire, 1700003000);
	assert_int_equal(l->cltt, 1700003000 - 3600);
	assert_int_equal(l->subnet_id, 1);
	assert_string_equal(l->hostname, "a,b&c");
	/* store-extended-info's relay agent information comes along. */
	assert_int_equal(l->rai_len, 4);
	assert_memory_equal(l->rai, "\x01\x02\xab\xcd", 4);
	assert_int_equal(find(v, n, "192.0.2.3")->rai_len, 0);

	l = find(v, n, "192.0.2.2");
	assert_non_null(l);
	assert_int_equal(l->state, TERND_LEASE_DECLINED);
	assert_int_equal(l->hw_len + l->cid_len, 0);
	assert_int_equal(find(v, n, "192.0.2.3")->state, TERND_LEASE_EXPIRED);
	l = find(v, n, "192.0.2.4");
	assert_int_equal(l->state, TERND_LEASE_RELEASED);
	assert_int_equal(l->cid_len, 3);
	assert_int_equal(l->cid[2], 0xaa);
	assert_int_equal(l->subnet_id, 2);
	assert_string_equal(l->hostname, "host.example.com");
	assert_true(l->fqdn_fwd && l->fqdn_rev);
	assert_false(find(v, n, "192.0.2.1")->fqdn_fwd);
	l = find(v, n, "192.0.2.5");
	assert_string_equal(l->hostname, "second");
	assert_int_equal(l->hw[5], 0x02);
	assert_int_equal(l->valid_lifetime, 200);
	assert_null(find(v, n, "192.0.2.6"));

	/* Each refused row by its line, with Kea's reason. */
	assert_string_equal(f->bad[0], "kea-leases4.csv:11: invalid number of "
				       "columns: 10");
	assert_string_equal(f->bad[1], "kea-leases4.csv:12: '2001:db8::1' is "
				       "not an IPv4 address");
	assert_string_equal(f->bad[2],
			    "kea-leases4.csv:13: 'aa::bb' is not a hardware "
			    "address");
	assert_string_equal(f->bad[3],
			    "kea-leases4.csv:14: lease has neither hardware "
			    "address or client id");
	assert_non_null(strstr(f->bad[4], ":15: client-id is too short"));
	assert_non_null(strstr(f->bad[5], ":16: valid_lifetime 'x'"));
	assert_non_null(strstr(f->bad[6], ":17: fqdn_fwd and fqdn_rev"));
	assert_non_null(strstr(f->bad[7], ":18: state '9'"));
	assert_non_null(strstr(f->bad[8], ":19: user context '[1]' is not"));
	assert_non_null(strstr(f->bad[9], ":20: hardware address"));
	free(v);
}

/* Files of other schema versions, as Kea reads them. */
static void test_versions(void **state)
{
	struct fx *f = *state;
	struct ternd_kea_csv_stats s;
	struct ternd_lease *v = NULL;
	size_t n = 0;

	/* 1.0: up to hostname; state defaults to 0 (bound). Rows may
	 * already have the newer columns. */
	put(f->csv, "address,hwaddr,client_id,valid_lifetime,expire,subnet_id,"
		    "fqdn_fwd,fqdn_rev,hostname\n"
		    "10.0.0.1,aa:bb:cc:dd:ee:01,,100,1700000100,1,0,0,h1\n"
		    "10.0.0.2,aa:bb:cc:dd:ee:02,,100,1700000100,1,0,0,h2,1\n"
		    "10.0.0.3,aa:bb:cc:dd:ee:03,,100,1700000100,1,0,0\n");
	f->n_bad = 0;
	assert_int_equal(ternd_kea_csv_read(f->csv, NOW, &v, &n, on_bad, f, &s),
			 0);
	assert_int_equal(n, 2);
	assert_int_equal(v[0].state, TERND_LEASE_BOUND);
	assert_int_equal(v[1].state, TERND_LEASE_DECLINED);
	assert_int_equal(s.bad, 1);
	assert_non_null(strstr(f->bad[0], ":4: invalid number of columns: 8"));
	free(v);

	/* A newer Kea's extra column (pool_id) is ignored. */
	put(f->csv, "address,hwaddr,client_id,valid_lifetime,expire,subnet_id,"
		    "fqdn_fwd,fqdn_rev,hostname,state,user_context,pool_id\n"
		    "10.0.0.1,aa:bb:cc:dd:ee:01,,100,1700000100,1,0,0,h1,0,,0\n"
		    "10.0.0.2,aa:bb:cc:dd:ee:02,,100,1700000100,1,0,0,h2,0,\n");
	f->n_bad = 0;
	assert_int_equal(ternd_kea_csv_read(f->csv, NOW, &v, &n, on_bad, f, &s),
			 0);
	assert_int_equal(n, 2);
	assert_int_equal(s.bad, 0);
	free(v);

	/* Not a lease4 header: the file cannot be read as one. */
	put(f->csv, "address,duid,valid_lifetime\n1,2,3\n");
	f->n_bad = 0;
	v = (struct ternd_lease *)f;
	assert_int_equal(ternd_kea_csv_read(f->csv, NOW, &v, &n, on_bad, f, &s),
			 -EBADMSG);
	assert_ptr_equal(v, (struct ternd_lease *)f);
	assert_string_equal(f->bad[0], "kea-leases4.csv:1: header contains "
				       "an invalid column: 'duid'");
	put(f->csv, "address,hwaddr,client_id\n");
	assert_int_equal(
		ternd_kea_csv_read(f->csv, NOW, &v, &n, NULL, NULL, &s),
		-EBADMSG);

	/* An empty file is no lease (Kea writes its header into it). */
	put(f->csv, "");
	assert_int_equal(
		ternd_kea_csv_read(f->csv, NOW, &v, &n, NULL, NULL, &s), 0);
	assert_int_equal(n, 0);
	assert_null(v);
}

/* The lease file cleanup's files, in Kea's order. */
static void test_lfc_files(void **state)
{
	struct fx *f = *state;
	struct ternd_kea_csv_stats s;
	struct ternd_lease *v = NULL;
	size_t n = 0;

	assert_int_equal(
		ternd_kea_csv_read(f->csv, NOW, &v, &n, NULL, NULL, &s),
		-ENOENT);
	/* NAME.2 (oldest), NAME.1, NAME: a later file's row wins. */
	put_sfx(f, ".2",
		HEADER "10.0.0.1,aa:bb:cc:dd:ee:01,,100,1700000100,1,0,0,"
		       "from-2,0,\n"
		       "10.0.0.2,aa:bb:cc:dd:ee:02,,100,1700000100,1,0,0,"
		       "from-2,0,\n");
	put_sfx(f, ".1",
		HEADER "10.0.0.2,aa:bb:cc:dd:ee:02,,100,1700000100,1,0,0,"
		       "from-1,0,\n"
		       "10.0.0.3,aa:bb:cc:dd:ee:03,,100,1700000100,1,0,0,"
		       "from-1,0,\n");
	put(f->csv, HEADER "10.0.0.3,aa:bb:cc:dd:ee:03,,100,1700000100,1,0,0,"
			   "current,0,\n");
	assert_int_equal(
		ternd_kea_csv_read(f->csv, NOW, &v, &n, NULL, NULL, &s), 0);
	assert_int_equal(s.files, 3);
	assert_int_equal(n, 3);
	assert_string_equal(v[0].hostname, "from-2");
	assert_string_equal(v[1].hostname, "from-1");
	assert_string_equal(v[2].hostname, "current");
	free(v);

	/* A finished cleanup (NAME.completed) replaces .2 and .1. */
	put_sfx(f, ".completed",
		HEADER "10.0.0.9,aa:bb:cc:dd:ee:09,,100,1700000100,1,0,0,"
		       "completed,0,\n");
	assert_int_equal(
		ternd_kea_csv_read(f->csv, NOW, &v, &n, NULL, NULL, &s), 0);
	assert_int_equal(s.files, 2);
	assert_int_equal(n, 2);
	assert_int_equal(v[0].addr, ip("10.0.0.3"));
	assert_int_equal(v[1].addr, ip("10.0.0.9"));
	assert_string_equal(v[1].hostname, "completed");
	free(v);
}

static void test_unreadable(void **state)
{
	struct fx *f = *state;
	struct ternd_lease *v = NULL;
	size_t n = 0;

	/* A directory where the file should be: it cannot be read. */
	assert_int_equal(mkdir(f->csv, 0755), 0);
	assert_int_equal(
		ternd_kea_csv_read(f->csv, NOW, &v, &n, NULL, NULL, NULL),
		-EIO);
	assert_int_equal(rmdir(f->csv), 0);
}

static void open_store(struct fx *f, const struct ternd_store_ops **ops,
		       struct ternd_store **st)
{
	*ops = ternd_store_backend("sqlite");
	assert_non_null(*ops);
	assert_int_equal((*ops)->open(f->db, st), 0);
}

static void test_import_once(void **state)
{
	struct fx *f = *state;
	const struct ternd_store_ops *ops;
	struct ternd_store *st;
	struct ternd_kea_csv_stats s;
	struct ternd_lease got;
	struct ternd_change ch;
	char note[256];

	put(f->csv,
	    HEADER "10.0.0.1,aa:bb:cc:dd:ee:01,,100,1700000100,1,0,0,a,0,\n"
		   "10.0.0.2,aa:bb:cc:dd:ee:02,,100,1700000100,1,0,0,b,0,\n"
		   "10.0.0.3,bad,,100,1700000100,1,0,0,c,0,\n");
	open_store(f, &ops, &st);
	/* The store already has a lease of its own at .2: it stays. */
	memset(&ch, 0, sizeof(ch));
	ch.op = TERND_CHANGE_UPSERT;
	ch.lease.addr = ip("10.0.0.2");
	ch.lease.state = TERND_LEASE_BOUND;
	ch.lease.subnet_id = 1;
	ch.lease.hw_len = 1;
	strcpy(ch.lease.hostname, "ternd's");
	assert_int_equal(ops->commit(st, &ch, 1), 0);

	assert_int_equal(ternd_kea_csv_import(ops, st, f->csv, NOW, false, NULL,
					      NULL, &s),
			 1);
	assert_int_equal(s.imported, 1);
	assert_int_equal(s.kept, 1);
	assert_int_equal(s.bad, 1);
	assert_int_equal(ops->lookup(st, ip("10.0.0.1"), &got), 0);
	assert_string_equal(got.hostname, "a");
	assert_int_equal(got.expire, 1700000100);
	assert_int_equal(ops->lookup(st, ip("10.0.0.2"), &got), 0);
	assert_string_equal(got.hostname, "ternd's");
	assert_int_equal(
		ops->meta_get(st, TERND_KEA_CSV_META, note, sizeof(note)), 0);
	assert_non_null(strstr(note, "kea-leases4.csv: 1 leases imported "
				     "(1 kept from the store, 1 bad rows)"));
	ops->close(st);

	/* Never again on its own, even with new rows in the file... */
	put(f->csv,
	    HEADER "10.0.0.4,aa:bb:cc:dd:ee:04,,100,1700000100,1,0,0,d,0,\n");
	open_store(f, &ops, &st);
	assert_int_equal(ternd_kea_csv_import(ops, st, f->csv, NOW, false, NULL,
					      NULL, &s),
			 0);
	assert_int_equal(s.imported, 0);
	assert_int_equal(ops->lookup(st, ip("10.0.0.4"), &got), -ENOENT);
	/* ... unless asked (ternctl lease import-kea). */
	assert_int_equal(ternd_kea_csv_import(ops, st, f->csv, NOW, true, NULL,
					      NULL, &s),
			 1);
	assert_int_equal(ops->lookup(st, ip("10.0.0.4"), &got), 0);
	ops->close(st);

	/* No file: nothing done, nothing noted. */
	unlink(f->db);
	unlink(f->csv);
	open_store(f, &ops, &st);
	assert_int_equal(ternd_kea_csv_import(ops, st, f->csv, NOW, false, NULL,
					      NULL, &s),
			 -ENOENT);
	assert_int_equal(
		ops->meta_get(st, TERND_KEA_CSV_META, note, sizeof(note)),
		-ENOENT);
	ops->close(st);
}

static void test_store_lock(void **state)
{
	struct fx *f = *state;
	int a, b;

	put(f->db, "");
	a = ternd_store_lock(f->db);
	assert_true(a >= 0);
	b = ternd_store_lock(f->db);
	assert_int_equal(b, -EBUSY);
	close(a);
	b = ternd_store_lock(f->db);
	assert_true(b >= 0);
	close(b);
	assert_int_equal(ternd_store_lock("/no/such/store"), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_versions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lfc_files, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_unreadable, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_import_once, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_store_lock, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
