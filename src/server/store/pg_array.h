/* PostgreSQL array literals in text format, for the batch statements
 * (one INSERT ... SELECT FROM unnest($1::bigint[], ...) per batch instead
 * of one statement per lease). Numbers, booleans, text (quoted, backslash
 * escaped) and bytes (hex, decoded in SQL by decode(x, 'hex')). */
#ifndef TERND_STORE_PG_ARRAY_H
#define TERND_STORE_PG_ARRAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/store/store.h"

struct ternd_pg_array {
	char *p;
	size_t len, cap;
	bool oom, first;
};

/* An empty array "{" ready for elements. */
void ternd_pg_array_init(struct ternd_pg_array *a);
void ternd_pg_array_num(struct ternd_pg_array *a, long long v);
void ternd_pg_array_bool(struct ternd_pg_array *a, bool v);
void ternd_pg_array_text(struct ternd_pg_array *a, const char *s);
void ternd_pg_array_hex(struct ternd_pg_array *a, const uint8_t *b, size_t n);
/* The finished literal (NUL-terminated), or NULL when out of memory. */
const char *ternd_pg_array_end(struct ternd_pg_array *a);
void ternd_pg_array_free(struct ternd_pg_array *a);

/* How many changes from v[0] (at most max, max <= 512) go into one
 * multi-row upsert: consecutive upserts of different addresses (ON
 * CONFLICT cannot touch one row twice in a statement). */
size_t ternd_pg_run_len(const struct ternd_change *v, size_t n, size_t max);

#endif
