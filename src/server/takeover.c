/* ternd taking over its lease store at start: the lock (one ternd per
 * store), then Kea's memfile leases, once, with the counts and the
 * refused rows in the log. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "server/store/kea_csv.h"
#include "server/takeover.h"

/* Up to this many refused rows of Kea's file are logged one by one. */
#define KEA_BAD_LOGGED 20

static void kea_bad_row(void *ctx, const char *file, unsigned long line,
			const char *why)
{
	unsigned *n = ctx;

	if ((*n)++ < KEA_BAD_LOGGED)
		tern_log(LOG_WARNING, "%s:%lu: row not imported: %s", file,
			 line, why);
}

/*
 * A configuration that names Kea's memfile CSV: on the store's first start
 * its leases come in (docs/kea-import.md), so clients keep their
 * addresses across the switch. Bad rows are reported, not fatal; a file
 * that cannot be read is.
 */
static int import_kea(const char *csv, const struct ternd_store_ops *ops,
		      struct ternd_store *st, int64_t now)
{
	struct ternd_kea_csv_stats s;
	unsigned logged = 0;
	int r;

	r = ternd_kea_csv_import(ops, st, csv, now, false, kea_bad_row, &logged,
				 &s);
	if (r == 0 || r == -ENOENT)
		return 0; /* done on an earlier start, or no Kea file */
	if (r < 0) {
		tern_log(LOG_ERR, "cannot import Kea's leases from %s: %s", csv,
			 r == -EBADMSG ? "not a Kea lease4 file (bad header)"
				       : strerror(-r));
		return r;
	}
	if (s.bad > KEA_BAD_LOGGED)
		tern_log(LOG_WARNING, "%s: %llu more rows not imported", csv,
			 (unsigned long long)(s.bad - KEA_BAD_LOGGED));
	tern_log(LOG_NOTICE,
		 "imported %llu leases from Kea's %s (%llu bound and "
		 "unexpired; %llu rows read from %u files, %llu bad, %llu "
		 "addresses already in the store kept, %llu host names cut)",
		 (unsigned long long)s.imported, csv,
		 (unsigned long long)s.active, (unsigned long long)s.rows,
		 s.files, (unsigned long long)s.bad, (unsigned long long)s.kept,
		 (unsigned long long)s.names_cut);
	return 0;
}

int ternd_takeover(const struct ternd_config *cfg,
		   const struct ternd_store_ops *ops, struct ternd_store *st,
		   int64_t now)
{
	int fd = ternd_store_lock(cfg->store_path), r;

	if (fd < 0) {
		tern_log(LOG_ERR, "cannot lock the lease store %s: %s",
			 cfg->store_path,
			 fd == -EBUSY ? "another process serves it"
				      : strerror(-fd));
		return fd;
	}
	if (cfg->store_csv_path &&
	    (r = import_kea(cfg->store_csv_path, ops, st, now)) < 0) {
		close(fd);
		return r;
	}
	return fd;
}
