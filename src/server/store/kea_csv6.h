/* ternd store: Kea 2.2's memfile lease6 CSV, read as kea-dhcp6 loads it and
 * imported into a DHCPv6 store once, so clients keep their bindings. */
#ifndef TERND_KEA_CSV6_H
#define TERND_KEA_CSV6_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/engine6/lease6.h"
#include "server/store/kea_csv.h"

struct ternd_store6;

/*
 * Read the bindings kea-dhcp6 2.2 would load for memfile "name"
 * (csv_lease_file6.cc, loadLeasesFromFiles): NAME.completed if it exists,
 * else NAME.2 then NAME.1, then NAME itself; a later row for a (type,
 * address) replaces the earlier one and a row with valid_lifetime 0
 * removes it. Rows Kea would refuse, and IA_TA rows (ternd serves no
 * temporary addresses), are counted, reported through bad (may be NULL)
 * with file and line, and skipped. On success *ret (malloc'd, sorted by
 * type then address, NULL when empty) and *ret_n are the bindings in
 * ternd's form (Kea's states 0, 1, 2 are ternd's; an address's plen 128).
 * Returns 0, -ENOENT (none of the files exists), -EBADMSG (a header that
 * is not a lease6 header), -ENOMEM, or the -errno of a file.
 */
int ternd_kea_csv6_read(const char *name, int64_t now,
			struct ternd_lease6 **ret, size_t *ret_n,
			ternd_kea_csv_bad_fn bad, void *ctx,
			struct ternd_kea_csv_stats *stats);

/*
 * Import them into the store s: every binding whose (type, address) the
 * store does not have yet, in one transaction together with the note
 * TERND_KEA_CSV_META (where from, when, how many): all or nothing. Without
 * force nothing happens when the note is there already. Returns 1
 * imported, 0 already imported (force false), or the reader's or the
 * store's errors.
 */
int ternd_kea_csv6_import(struct ternd_store6 *s, const char *name, int64_t now,
			  bool force, ternd_kea_csv_bad_fn bad, void *ctx,
			  struct ternd_kea_csv_stats *stats);

#endif
