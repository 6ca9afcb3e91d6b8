/* ternd store: Kea 2.2's memfile lease4 CSV, read as kea-dhcp4 loads it and
 * imported into a store once, so clients keep their addresses. */
#ifndef TERND_KEA_CSV_H
#define TERND_KEA_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/store/store.h"

/* The store's meta key that records the import (docs/kea-import.md). */
#define TERND_KEA_CSV_META "kea-csv-import"

struct ternd_kea_csv_stats {
	unsigned files;	    /* files read */
	uint64_t rows;	    /* data rows (blank lines are not rows) */
	uint64_t bad;	    /* rows refused, each reported with its line */
	uint64_t deleted;   /* rows with valid_lifetime 0 (Kea's removal) */
	uint64_t leases;    /* leases left: the last row per address */
	uint64_t active;    /* of those, bound and not expired at `now` */
	uint64_t imported;  /* written into the store */
	uint64_t kept;	    /* addresses the store already had: left alone */
	uint64_t names_cut; /* hostnames cut to what a lease keeps */
};

/* A row that is not a lease: the file, its line (from 1), why. */
typedef void (*ternd_kea_csv_bad_fn)(void *ctx, const char *file,
				     unsigned long line, const char *why);

/*
 * Read the leases kea-dhcp4 2.2 would load for memfile "name"
 * (memfile_lease_mgr.cc, loadLeasesFromFiles): NAME.completed if it exists,
 * else NAME.2 then NAME.1, then NAME itself; a later row for an address
 * replaces the earlier one and a row with valid_lifetime 0 removes it.
 * Rows Kea would refuse are counted, reported through bad (may be NULL)
 * and skipped. On success *ret (malloc'd, sorted by address, NULL when
 * empty) and *ret_n are the leases, in ternd's form: state 0 -> bound,
 * 1 -> declined, 2 -> expired, 3 -> released; htype 1 (Kea's files keep no
 * hardware type).
 * Returns 0, -ENOENT (none of the files exists), -EBADMSG (a file's header
 * is not a lease4 header: the file cannot be read as one), -ENOMEM, or the
 * -errno of opening or reading a file.
 */
int ternd_kea_csv_read(const char *name, int64_t now, struct ternd_lease **ret,
		       size_t *ret_n, ternd_kea_csv_bad_fn bad, void *ctx,
		       struct ternd_kea_csv_stats *stats);

/*
 * Import Kea's leases for memfile "name" into the store: every lease whose
 * address the store does not have yet, in one transaction together with
 * the note TERND_KEA_CSV_META (where from, when, how many). Without force
 * nothing happens when the note is already there (ternd imports on its
 * first start only). Returns 1 imported, 0 already imported before (force
 * false), or ternd_kea_csv_read()'s errors, or the store's.
 */
int ternd_kea_csv_import(const struct ternd_store_ops *ops,
			 struct ternd_store *st, const char *name, int64_t now,
			 bool force, ternd_kea_csv_bad_fn bad, void *ctx,
			 struct ternd_kea_csv_stats *stats);

/* The field readers both CSV readers share (kea_csv6.c), as Kea 2.2's:
 * an unsigned decimal up to max; octets of 1-2 hex digits between sep;
 * decodeFormattedHexString; CSVRow::unescapeCharacters in place. The hex
 * ones return the byte count, -EINVAL or -E2BIG. */
bool kcsv_get_uint(const char *s, uint64_t max, uint64_t *ret);
int kcsv_sep_hex(const char *s, char sep, uint8_t *out, size_t cap);
int kcsv_formatted_hex(const char *s, uint8_t *out, size_t cap);
void kcsv_unescape(char *s);
/* A row cut at its commas in place into f (at most KCSV_MAX_FIELDS + 1:
 * more is a row to refuse); the field count. */
#define KCSV_MAX_FIELDS 64
size_t kcsv_split(char *line, char *f[KCSV_MAX_FIELDS + 1]);
/* VersionedCSVFile::validateHeader: the header's first columns must be
 * cols (at least min of them); 0 with the header's field count and the
 * valid columns, or -EBADMSG with Kea's reason in why. */
int kcsv_header(char *line, const char *const *cols, size_t n_cols, size_t min,
		size_t *ret_n, size_t *ret_valid, char *why, size_t why_len);

#endif
