/* ternd SQLite lease store: WAL, synchronous=FULL, one transaction a batch. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "server/store/store.h"
#include "server/store/store6.h"

/* PRAGMA user_version of the schema below; bump it with a migration step
 * in schema_upgrade() whenever the schema changes. */
#define SCHEMA_VERSION 5

/* Constants spliced into PRAGMA text (PRAGMAs take no parameters). */
#define TERND_XSTR(x) #x
#define TERND_STR(x)  TERND_XSTR(x)

/* A writer waits this long for a lock held by someone else (an admin's
 * sqlite3 shell writing, a backup) before the commit fails and the
 * committer retries. Readers never block us in WAL mode. */
#define BUSY_TIMEOUT_MS 5000

/*
 * The address is the INTEGER PRIMARY KEY (the rowid): upsert and lookup
 * are one B-tree descent, and a full scan returns leases in address order.
 * Raw identifiers are BLOBs (exact bytes, no parsing on the hot path); the
 * view renders them for people; it is made by the version 4 step below,
 * which every new file also runs. SQLite keeps this text, comments and
 * line breaks included, so `.schema` in the sqlite3 shell documents it;
 * docs/lease-store.md has the same.
 */
static const char schema_sql[] =
	"CREATE TABLE lease4 (\n"
	"  address INTEGER PRIMARY KEY, -- IPv4: 10.0.0.1 = 167772161\n"
	"  subnet_id INTEGER NOT NULL,  -- from the configuration\n"
	"  state INTEGER NOT NULL, -- 2 bound 3 declined 4 expired 5 released\n"
	"  htype INTEGER NOT NULL,      -- ARP hardware type, 1 = Ethernet\n"
	"  hwaddr BLOB NOT NULL,        -- chaddr, 0..16 bytes\n"
	"  client_id BLOB NOT NULL,     -- option 61, 0..128 bytes\n"
	"  valid_lifetime INTEGER NOT NULL, -- seconds granted at cltt\n"
	"  cltt INTEGER NOT NULL,       -- client last transaction, Unix\n"
	"  expire INTEGER NOT NULL,     -- end of the state, Unix time\n"
	"  hostname TEXT NOT NULL       -- option 12 or 81, may be ''\n"
	");\n";

/* Version 2: the DDNS directions of the lease's name (Kea's fqdn_fwd and
 * fqdn_rev), so a restarted ternd still removes the names it added. */
static const char upgrade_v2_sql[] =
	"ALTER TABLE lease4 ADD COLUMN fqdn_fwd INTEGER NOT NULL DEFAULT 0;\n"
	"ALTER TABLE lease4 ADD COLUMN fqdn_rev INTEGER NOT NULL DEFAULT 0;\n";
/* Version 3: notes about the store itself, one value per key
 * ("kea-csv-import": which Kea lease file was imported, when, how many). */
static const char meta_sql[] =
	"CREATE TABLE meta (\n"
	"  key TEXT PRIMARY KEY,        -- e.g. 'kea-csv-import'\n"
	"  value TEXT NOT NULL\n"
	");\n";

/* Version 4: the lease's extended info (store-extended-info): the option
 * 82 data of the query, as Kea keeps it in the lease's user-context; the
 * view shows that user-context as Kea's lease4-get does. */
static const char upgrade_v4_sql[] =
	"ALTER TABLE lease4 ADD COLUMN relay_agent_info BLOB NOT NULL\n"
	"  DEFAULT x'';  -- option 82's data as Kea re-packs it, '' = none\n"
	"DROP VIEW IF EXISTS lease4_readable;\n"
	"CREATE VIEW lease4_readable AS SELECT\n"
	"  (a >> 24) || '.' || ((a >> 16) & 255) || '.' ||\n"
	"  ((a >> 8) & 255) || '.' || (a & 255) AS address,\n"
	"  subnet_id,\n"
	"  CASE state WHEN 0 THEN 'free' WHEN 1 THEN 'offered'\n"
	"   WHEN 2 THEN 'bound' WHEN 3 THEN 'declined' WHEN 4 THEN 'expired'\n"
	"   WHEN 5 THEN 'released' ELSE 'unknown-' || state END AS state,\n"
	"  htype,\n"
	/* aa:bb:..: hex digits never contain ':', so rtrim only drops the
	 * separators after the last byte of a shorter address. */
	"  rtrim(substr(h,1,2)||':'||substr(h,3,2)||':'||substr(h,5,2)||':'||\n"
	"   substr(h,7,2)||':'||substr(h,9,2)||':'||substr(h,11,2)||':'||\n"
	"   substr(h,13,2)||':'||substr(h,15,2)||':'||substr(h,17,2)||':'||\n"
	"   substr(h,19,2)||':'||substr(h,21,2)||':'||substr(h,23,2)||':'||\n"
	"   substr(h,25,2)||':'||substr(h,27,2)||':'||substr(h,29,2)||':'||\n"
	"   substr(h,31,2), ':') AS hwaddr,\n"
	"  lower(hex(client_id)) AS client_id,\n"
	"  hostname,\n"
	"  valid_lifetime,\n"
	"  strftime('%Y-%m-%dT%H:%M:%SZ', cltt, 'unixepoch') AS cltt,\n"
	"  strftime('%Y-%m-%dT%H:%M:%SZ', expire, 'unixepoch') AS expire,\n"
	"  expire - CAST(strftime('%s', 'now') AS INTEGER) AS remaining,\n"
	"  CASE WHEN length(relay_agent_info) > 0 THEN\n"
	"   '{ \"ISC\": { \"relay-agent-info\": \"0x' ||\n"
	"   hex(relay_agent_info) || '\" } }' ELSE '' END AS user_context\n"
	"FROM (SELECT address AS a, lower(hex(hwaddr)) AS h, * FROM lease4)\n"
	"ORDER BY a;\n";

/* Version 5: DHCPv6 bindings (store/sqlite6.c reads and writes them; a
 * Dhcp6 ternd uses this table only, a Dhcp4 one lease4). One row per
 * address or delegated prefix, keyed by (type, address). */
static const char lease6_sql[] =
	"CREATE TABLE IF NOT EXISTS lease6 (\n"
	"  type INTEGER NOT NULL,       -- 0 address (IA_NA), 2 prefix "
	"(IA_PD)\n"
	"  address BLOB NOT NULL,       -- 16 bytes; a prefix's host bits 0\n"
	"  prefix_len INTEGER NOT NULL, -- 128 for an address\n"
	"  state INTEGER NOT NULL,      -- 0 bound 1 declined\n"
	"  duid BLOB NOT NULL,          -- client DUID, '' when declined\n"
	"  iaid INTEGER NOT NULL,\n"
	"  subnet_id INTEGER NOT NULL,\n"
	"  preferred_lifetime INTEGER NOT NULL, -- seconds granted at cltt\n"
	"  valid_lifetime INTEGER NOT NULL,\n"
	"  cltt INTEGER NOT NULL,       -- client last transaction, Unix\n"
	"  expire INTEGER NOT NULL,     -- Unix time\n"
	"  hostname TEXT NOT NULL,      -- may be ''\n"
	"  PRIMARY KEY (type, address)\n"
	") WITHOUT ROWID;\n";

/*
 * synchronous=FULL: the WAL is fsynced at every COMMIT, so a committed
 * batch survives power loss, not only a crash of the process.
 * journal_size_limit (64 MiB): the WAL is reused after each checkpoint;
 * this bounds what it keeps on disk after a burst.
 * cache_size (16 MiB): 100k typical leases take ~4 MB on disk (~25 MB
 * with maximal ids), so the B-tree mostly stays in memory.
 */
static const char tuning_sql[] = "PRAGMA synchronous=FULL;"
				 "PRAGMA journal_size_limit=67108864;"
				 "PRAGMA cache_size=-16384;";

#define COLUMNS                                                                \
	"address, subnet_id, state, htype, hwaddr, client_id, valid_lifetime," \
	" cltt, expire, hostname, fqdn_fwd, fqdn_rev, relay_agent_info"

static const char upsert_sql[] =
	"INSERT INTO lease4 (" COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
	" ?8, ?9, ?10, ?11, ?12, ?13) ON CONFLICT(address) DO UPDATE SET"
	" subnet_id = excluded.subnet_id, state = excluded.state,"
	" htype = excluded.htype, hwaddr = excluded.hwaddr,"
	" client_id = excluded.client_id,"
	" valid_lifetime = excluded.valid_lifetime, cltt = excluded.cltt,"
	" expire = excluded.expire, hostname = excluded.hostname,"
	" fqdn_fwd = excluded.fqdn_fwd, fqdn_rev = excluded.fqdn_rev,"
	" relay_agent_info = excluded.relay_agent_info";

struct ternd_store {
	sqlite3 *db;
	/* Prepared once at open: the hot paths never parse SQL. */
	sqlite3_stmt *begin;
	sqlite3_stmt *commit;
	sqlite3_stmt *rollback;
	sqlite3_stmt *upsert;
	sqlite3_stmt *del;
	sqlite3_stmt *all;
	sqlite3_stmt *one;
	sqlite3_stmt *meta_get;
	sqlite3_stmt *meta_set;
};

/* SQLite result code -> negative errno, so the daemon logs one kind of
 * error. The OS errno is more precise when SQLite has one. */
static int sql_err(sqlite3 *db, int rc)
{
	int sys;

	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return -EBUSY;
	case SQLITE_NOMEM:
		return -ENOMEM;
	case SQLITE_READONLY:
		return -EROFS;
	case SQLITE_FULL:
		return -ENOSPC;
	case SQLITE_PERM:
	case SQLITE_AUTH:
		return -EACCES;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return -EUCLEAN;
	case SQLITE_CONSTRAINT:
	case SQLITE_MISMATCH:
	case SQLITE_RANGE:
		return -EINVAL;
	case SQLITE_TOOBIG:
		return -E2BIG;
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN:
		sys = db ? sqlite3_system_errno(db) : 0;
		if (sys > 0)
			return -sys;
		return (rc & 0xff) == SQLITE_CANTOPEN ? -ENOENT : -EIO;
	default:
		return -EIO;
	}
}

/* Run a statement that returns no rows and make it reusable. */
static int run(struct ternd_store *st, sqlite3_stmt *s)
{
	int rc;

	rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : sql_err(st->db, rc);
}

/* Read a single-integer PRAGMA. */
static int pragma_int(sqlite3 *db, const char *sql, int64_t *ret)
{
	sqlite3_stmt *s = NULL;
	int rc, r;

	rc = sqlite3_prepare_v2(db, sql, -1, &s, NULL);
	if (rc != SQLITE_OK) {
		r = sql_err(db, rc);
		goto out;
	}
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		r = rc == SQLITE_DONE ? -EIO : sql_err(db, rc);
		goto out;
	}
	*ret = sqlite3_column_int64(s, 0);
	r = 0;
out:
	sqlite3_finalize(s);
	return r;
}

/* WAL lets readers (the sqlite3 shell, a backup) run beside the daemon and
 * makes a commit one sequential append + one fsync. */
static int set_wal(sqlite3 *db)
{
	sqlite3_stmt *s = NULL;
	const unsigned char *mode;
	int rc, r;

	rc = sqlite3_prepare_v2(db, "PRAGMA journal_mode=WAL", -1, &s, NULL);
	if (rc != SQLITE_OK) {
		r = sql_err(db, rc);
		goto out;
	}
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		r = rc == SQLITE_DONE ? -EIO : sql_err(db, rc);
		goto out;
	}
	/* SQLite silently keeps another mode where WAL is impossible
	 * (":memory:", no shared memory); our guarantees assume WAL. */
	mode = sqlite3_column_text(s, 0);
	r = mode && strcmp((const char *)mode, "wal") == 0 ? 0 : -ENOTSUP;
out:
	sqlite3_finalize(s);
	return r;
}

static int exec(sqlite3 *db, const char *sql)
{
	int rc;

	rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? 0 : sql_err(db, rc);
}

/*
 * Create the schema on a new file, refuse a newer one. Runs in an
 * IMMEDIATE transaction so two processes opening a new file at once
 * cannot both create it.
 */
static int schema_upgrade(sqlite3 *db)
{
	int64_t version = 0;
	int r;

	r = exec(db, "BEGIN IMMEDIATE");
	if (r < 0)
		goto out;
	r = pragma_int(db, "PRAGMA user_version", &version);
	if (r < 0)
		goto rollback;
	if (version > SCHEMA_VERSION || version < 0) {
		/* Written by a newer ternd: guessing its meaning could
		 * lose leases. */
		r = -EPROTONOSUPPORT;
		goto rollback;
	}
	if (version == 0) {
		r = exec(db, schema_sql);
		if (r < 0)
			goto rollback;
	}
	if (version < 2) {
		r = exec(db, upgrade_v2_sql);
		if (r < 0)
			goto rollback;
	}
	if (version < 3) {
		r = exec(db, meta_sql);
		if (r < 0)
			goto rollback;
	}
	if (version < 4) {
		r = exec(db, upgrade_v4_sql);
		if (r < 0)
			goto rollback;
	}
	if (version < 5) {
		r = exec(db, lease6_sql);
		if (r < 0)
			goto rollback;
	}
	/* Future: if (version < 6) { ALTER TABLE ... } */
	if (version != SCHEMA_VERSION) {
		r = exec(db,
			 "PRAGMA user_version = " TERND_STR(SCHEMA_VERSION));
		if (r < 0)
			goto rollback;
	}
	r = exec(db, "COMMIT");
	if (r < 0)
		goto rollback;
	goto out;
rollback:
	if (!sqlite3_get_autocommit(db))
		exec(db, "ROLLBACK");
out:
	return r;
}

/*
 * A new database file is only durable once its directory entry is:
 * SQLite syncs the directory for its journals, not for the main file.
 */
static int sync_parent_dir(const char *path)
{
	char dir[PATH_MAX];
	const char *slash;
	size_t len;
	int fd = -1, r;

	slash = strrchr(path, '/');
	if (!slash) {
		strcpy(dir, ".");
	} else {
		len = slash == path ? 1 : (size_t)(slash - path);
		if (len >= sizeof(dir)) {
			r = -ENAMETOOLONG;
			goto out;
		}
		memcpy(dir, path, len);
		dir[len] = '\0';
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		goto out;
	}
	r = fsync(fd) < 0 ? -errno : 0;
out:
	if (fd >= 0)
		close(fd);
	return r;
}

static int prepare(sqlite3 *db, const char *sql, sqlite3_stmt **ret)
{
	int rc;

	rc = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, ret,
				NULL);
	return rc == SQLITE_OK ? 0 : sql_err(db, rc);
}

static void sqlite_close(struct ternd_store *st)
{
	if (!st)
		return;
	sqlite3_finalize(st->begin);
	sqlite3_finalize(st->commit);
	sqlite3_finalize(st->rollback);
	sqlite3_finalize(st->upsert);
	sqlite3_finalize(st->del);
	sqlite3_finalize(st->all);
	sqlite3_finalize(st->one);
	sqlite3_finalize(st->meta_get);
	sqlite3_finalize(st->meta_set);
	/* The last connection to close checkpoints and removes the WAL. */
	sqlite3_close(st->db);
	free(st);
}

static int sqlite_open(const char *path, struct ternd_store **ret)
{
	struct ternd_store *st = NULL;
	struct stat sb;
	bool created;
	int rc, r;

	if (!path || !*path || !ret)
		return -EINVAL;
	created = stat(path, &sb) < 0 && errno == ENOENT;
	st = calloc(1, sizeof(*st));
	if (!st) {
		r = -ENOMEM;
		goto out;
	}
	/* NOMUTEX: the store is used by one thread at a time (store.h), so
	 * SQLite's own per-call locking is pure overhead. */
	rc = sqlite3_open_v2(path, &st->db,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
				     SQLITE_OPEN_NOMUTEX,
			     NULL);
	if (rc != SQLITE_OK) {
		r = sql_err(st->db, rc);
		goto out;
	}
	sqlite3_extended_result_codes(st->db, 1);
	rc = sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS);
	if (rc != SQLITE_OK) {
		r = sql_err(st->db, rc);
		goto out;
	}
	r = set_wal(st->db);
	if (r < 0)
		goto out;
	r = exec(st->db, tuning_sql);
	if (r < 0)
		goto out;
	r = schema_upgrade(st->db);
	if (r < 0)
		goto out;
	if (created) {
		r = sync_parent_dir(path);
		if (r < 0)
			goto out;
	}
	r = prepare(st->db, "BEGIN IMMEDIATE", &st->begin);
	if (r >= 0)
		r = prepare(st->db, "COMMIT", &st->commit);
	if (r >= 0)
		r = prepare(st->db, "ROLLBACK", &st->rollback);
	if (r >= 0)
		r = prepare(st->db, upsert_sql, &st->upsert);
	if (r >= 0)
		r = prepare(st->db, "DELETE FROM lease4 WHERE address = ?1",
			    &st->del);
	if (r >= 0)
		r = prepare(st->db, "SELECT " COLUMNS " FROM lease4", &st->all);
	if (r >= 0)
		r = prepare(st->db,
			    "SELECT " COLUMNS " FROM lease4 WHERE address = ?1",
			    &st->one);
	if (r >= 0)
		r = prepare(st->db, "SELECT value FROM meta WHERE key = ?1",
			    &st->meta_get);
	if (r >= 0)
		r = prepare(
			st->db,
			"INSERT INTO meta (key, value) VALUES (?1, ?2) ON "
			"CONFLICT(key) DO UPDATE SET value = excluded.value",
			&st->meta_set);
	if (r < 0)
		goto out;
	*ret = st;
	st = NULL;
	r = 0;
out:
	sqlite_close(st);
	return r;
}

/* What the schema cannot express and a reader must not trust blindly. */
static bool lease_valid(const struct ternd_lease *l)
{
	return l->state <= TERND_LEASE_RELEASED &&
	       l->hw_len <= TERND_LEASE_HW_MAX &&
	       l->cid_len <= TERND_LEASE_CID_MAX &&
	       memchr(l->hostname, '\0', sizeof(l->hostname)) != NULL;
}

static int bind_lease(struct ternd_store *st, const struct ternd_lease *l)
{
	sqlite3_stmt *s = st->upsert;
	int rc;

	/* STATIC: the caller's change array outlives the step. */
	rc = sqlite3_bind_int64(s, 1, l->addr);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(s, 2, l->subnet_id);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int(s, 3, l->state);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int(s, 4, l->htype);
	/* A non-NULL pointer with length 0 binds an empty blob, not NULL. */
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_blob(s, 5, l->hw, l->hw_len, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_blob(s, 6, l->cid, l->cid_len, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(s, 7, l->valid_lifetime);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(s, 8, l->cltt);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(s, 9, l->expire);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(s, 10, l->hostname,
				       (int)strlen(l->hostname), SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int(s, 11, l->fqdn_fwd);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int(s, 12, l->fqdn_rev);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_blob(s, 13, l->rai, l->rai_len,
				       SQLITE_STATIC);
	return rc == SQLITE_OK ? 0 : sql_err(st->db, rc);
}

static int apply(struct ternd_store *st, const struct ternd_change *ch)
{
	int r;

	switch (ch->op) {
	case TERND_CHANGE_UPSERT:
		if (!lease_valid(&ch->lease))
			return -EINVAL;
		r = bind_lease(st, &ch->lease);
		return r < 0 ? r : run(st, st->upsert);
	case TERND_CHANGE_DELETE:
		r = sqlite3_bind_int64(st->del, 1, ch->lease.addr);
		if (r != SQLITE_OK)
			return sql_err(st->db, r);
		return run(st, st->del);
	default:
		return -EINVAL;
	}
}

static int set_meta(struct ternd_store *st, const char *key, const char *value)
{
	int rc;

	rc = sqlite3_bind_text(st->meta_set, 1, key, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st->meta_set, 2, value, -1,
				       SQLITE_STATIC);
	if (rc != SQLITE_OK)
		return sql_err(st->db, rc);
	return run(st, st->meta_set);
}

/* The batch, and key = value when key is given, in one transaction. */
static int commit_all(struct ternd_store *st, const struct ternd_change *v,
		      size_t n, const char *key, const char *value)
{
	size_t i;
	int r;

	if (!st || (n && !v) || (key && !value))
		return -EINVAL;
	if (n == 0 && !key)
		return 0;
	/* IMMEDIATE takes the write lock up front (waiting out the busy
	 * timeout) instead of failing halfway through the batch. */
	r = run(st, st->begin);
	if (r < 0)
		goto out;
	for (i = 0; i < n; i++) {
		r = apply(st, &v[i]);
		if (r < 0)
			goto out;
	}
	if (key && (r = set_meta(st, key, value)) < 0)
		goto out;
	r = run(st, st->commit);
out:
	/* All or nothing: undo whatever part of the batch went in. SQLite
	 * may already have rolled back (some I/O errors do). */
	if (r < 0 && !sqlite3_get_autocommit(st->db))
		run(st, st->rollback);
	return r;
}

static int sqlite_commit(struct ternd_store *st, const struct ternd_change *v,
			 size_t n)
{
	return commit_all(st, v, n, NULL, NULL);
}

static int sqlite_commit_meta(struct ternd_store *st,
			      const struct ternd_change *v, size_t n,
			      const char *key, const char *value)
{
	if (!key)
		return -EINVAL;
	return commit_all(st, v, n, key, value);
}

static int sqlite_meta_get(struct ternd_store *st, const char *key, char *buf,
			   size_t len)
{
	const unsigned char *t;
	int rc, r, n;

	if (!st || !key || !buf || !len)
		return -EINVAL;
	rc = sqlite3_bind_text(st->meta_get, 1, key, -1, SQLITE_STATIC);
	if (rc != SQLITE_OK) {
		r = sql_err(st->db, rc);
		goto out;
	}
	rc = sqlite3_step(st->meta_get);
	if (rc == SQLITE_DONE) {
		r = -ENOENT;
		goto out;
	}
	if (rc != SQLITE_ROW) {
		r = sql_err(st->db, rc);
		goto out;
	}
	t = sqlite3_column_text(st->meta_get, 0);
	n = sqlite3_column_bytes(st->meta_get, 0);
	if ((size_t)n >= len)
		n = (int)len - 1;
	if (n > 0 && t)
		memcpy(buf, t, (size_t)n);
	buf[n > 0 ? n : 0] = '\0';
	r = 0;
out:
	sqlite3_reset(st->meta_get);
	return r;
}

/* Bounds the row must respect to fit a struct ternd_lease; a row an admin
 * edited into something else is reported, not truncated. */
static int row_to_lease(sqlite3_stmt *s, struct ternd_lease *l)
{
	int64_t addr, subnet, state, htype, valid;
	const void *hw, *cid, *rai;
	const unsigned char *host;
	int hw_len, cid_len, host_len, rai_len;

	addr = sqlite3_column_int64(s, 0);
	subnet = sqlite3_column_int64(s, 1);
	state = sqlite3_column_int64(s, 2);
	htype = sqlite3_column_int64(s, 3);
	/* Pointer first, then size: the documented order that avoids a
	 * type conversion invalidating the pointer. */
	hw = sqlite3_column_blob(s, 4);
	hw_len = sqlite3_column_bytes(s, 4);
	cid = sqlite3_column_blob(s, 5);
	cid_len = sqlite3_column_bytes(s, 5);
	valid = sqlite3_column_int64(s, 6);
	host = sqlite3_column_text(s, 9);
	host_len = sqlite3_column_bytes(s, 9);
	rai = sqlite3_column_blob(s, 12);
	rai_len = sqlite3_column_bytes(s, 12);

	if (addr < 0 || addr > UINT32_MAX || subnet < 0 ||
	    subnet > UINT32_MAX || state < 0 || state > TERND_LEASE_RELEASED ||
	    htype < 0 || htype > UINT8_MAX || valid < 0 || valid > UINT32_MAX ||
	    hw_len > TERND_LEASE_HW_MAX || cid_len > TERND_LEASE_CID_MAX ||
	    host_len >= TERND_LEASE_HOSTNAME_MAX ||
	    rai_len > TERND_LEASE_RAI_MAX)
		return -EUCLEAN;

	/* Zeroed so bytes past the lengths are deterministic. */
	memset(l, 0, sizeof(*l));
	l->addr = (uint32_t)addr;
	l->subnet_id = (uint32_t)subnet;
	l->state = (uint8_t)state;
	l->htype = (uint8_t)htype;
	l->hw_len = (uint8_t)hw_len;
	if (hw_len)
		memcpy(l->hw, hw, (size_t)hw_len);
	l->cid_len = (uint8_t)cid_len;
	if (cid_len)
		memcpy(l->cid, cid, (size_t)cid_len);
	l->valid_lifetime = (uint32_t)valid;
	l->cltt = sqlite3_column_int64(s, 7);
	l->expire = sqlite3_column_int64(s, 8);
	if (host_len)
		memcpy(l->hostname, host, (size_t)host_len);
	l->fqdn_fwd = sqlite3_column_int64(s, 10) != 0;
	l->fqdn_rev = sqlite3_column_int64(s, 11) != 0;
	l->rai_len = (uint8_t)rai_len;
	if (rai_len)
		memcpy(l->rai, rai, (size_t)rai_len);
	return 0;
}

static int sqlite_iterate(struct ternd_store *st, ternd_store_cb cb, void *ctx)
{
	struct ternd_lease l;
	int rc, r;

	if (!st || !cb)
		return -EINVAL;
	/* One statement, one stack lease reused for every row: a restart
	 * with 100k leases costs no allocation per lease. */
	for (;;) {
		rc = sqlite3_step(st->all);
		if (rc == SQLITE_DONE) {
			r = 0;
			break;
		}
		if (rc != SQLITE_ROW) {
			r = sql_err(st->db, rc);
			break;
		}
		r = row_to_lease(st->all, &l);
		if (r < 0)
			break;
		r = cb(ctx, &l);
		if (r != 0)
			break;
	}
	sqlite3_reset(st->all);
	return r;
}

static int sqlite_lookup(struct ternd_store *st, uint32_t addr,
			 struct ternd_lease *ret)
{
	struct ternd_lease l;
	int rc, r;

	if (!st || !ret)
		return -EINVAL;
	rc = sqlite3_bind_int64(st->one, 1, addr);
	if (rc != SQLITE_OK) {
		r = sql_err(st->db, rc);
		goto out;
	}
	rc = sqlite3_step(st->one);
	if (rc == SQLITE_DONE) {
		r = -ENOENT;
		goto out;
	}
	if (rc != SQLITE_ROW) {
		r = sql_err(st->db, rc);
		goto out;
	}
	r = row_to_lease(st->one, &l);
	if (r < 0)
		goto out;
	*ret = l;
out:
	sqlite3_reset(st->one);
	return r;
}

const struct ternd_store_ops ternd_store_sqlite_ops = {
	.name = "sqlite",
	.open = sqlite_open,
	.iterate = sqlite_iterate,
	.commit = sqlite_commit,
	.lookup = sqlite_lookup,
	.close = sqlite_close,
	.meta_get = sqlite_meta_get,
	.commit_meta = sqlite_commit_meta,
};

void *ternd_sqlite_db(struct ternd_store *st)
{
	return st ? st->db : NULL;
}
