/* ternd PostgreSQL store internals shared by the DHCPv4 backend
 * (postgresql.c) and the DHCPv6 one (postgresql6.c): one connection, one
 * schema, one reconnection policy. Not for the daemon. */
#ifndef TERND_STORE_POSTGRESQL_INT_H
#define TERND_STORE_POSTGRESQL_INT_H

#include <libpq-fe.h>

#include "server/store/postgresql.h"

/* The version-2 upgrade step (postgresql6.c): the ternd_lease6 table and
 * its views, run by postgresql.c's schema upgrade under its lock. */
extern const char ternd_pg_schema6_sql[];

/* The open store's connection (NULL after a failed reconnection). */
PGconn *ternd_pg_conn(struct ternd_store *st);
/* The store's reconnection (retry keys, counters): 0 when a new session
 * is ready (schema checked, v4 statements prepared), or -errno. */
int ternd_pg_reconnect(struct ternd_store *st);
/* A failed result -> -errno (-ENOTCONN for a lost connection). */
int ternd_pg_res_err(struct ternd_store *st, const PGresult *res);
/* The retry keys set on st (max_tries 0: no reconnection). */
struct ternd_pg_retry ternd_pg_get_retry(struct ternd_store *st);
/* The schema version this ternd writes. */
int ternd_pg_schema_version(void);

#endif
