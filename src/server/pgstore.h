/* ternd opening a PostgreSQL lease store at start (daemon.c). */
#ifndef TERND_PGSTORE_H
#define TERND_PGSTORE_H

#include <stdbool.h>

#include "server/config/config.h"
#include "server/engine4/engine.h"
#include "server/store/committer.h"
#include "server/store/store.h"

struct ternd_races;
/*
 * Connect to cfg's PostgreSQL lease database (creating or upgrading the
 * schema), with Kea's reconnection keys set; *ret_ops is the backend,
 * *ret_races the daemon's record of races lost (below), and e starts in
 * this server's part of the pools. No lock: several servers share the
 * database. A database that does not answer at start is an error (as in
 * Kea 2.2), logged.
 */
int ternd_pgstore_open(const struct ternd_config *cfg, struct ternd_engine *e,
		       const struct ternd_store_ops **ret_ops,
		       struct ternd_store **ret,
		       struct ternd_races **ret_races);

/* After the store failed for good (reconnection gave up): whether ternd
 * exits (on-fail stop-retry-exit, serve-retry-exit) or runs on without
 * ACKs (serve-retry-continue). Logs the choice. */
bool ternd_pgstore_exit_on_fail(const struct ternd_config *cfg);

/*
 * Races lost on a shared database (docs/lease-store.md, "Several
 * servers"). After reading the committer's done, the daemon takes the
 * lost changes: the engine learns each address's real holder (the row
 * read back replaces what it believed), and every held reply for a lost
 * address of the same batch is dropped, never sent. The client's
 * retransmission then meets the engine's new view (a NAK for the taken
 * address) and its next DISCOVER an address the database has free.
 * NULL (no shared database) makes every call a no-op.
 */
struct ternd_races *ternd_races_new(void);
void ternd_races_free(struct ternd_races *r);
/* Take the lost changes from c, teach e; returns how many. */
size_t ternd_races_take(struct ternd_races *r, struct ternd_committer *c,
			struct ternd_engine *e, int64_t now);
/* Whether tx (held under ticket) answers a change that was lost. */
bool ternd_races_lost(const struct ternd_races *r, const struct ternd_tx *tx,
		      uint64_t ticket);
/* Forget the lost changes of batches up to done (their held replies
 * went); those of later batches stay for their turn. */
void ternd_races_clear(struct ternd_races *r, uint64_t done);
/* Replies dropped so far because their change was lost. */
uint64_t ternd_races_dropped(const struct ternd_races *r);

/*
 * Renewals during a database outage (docs/lease-store.md, "When the
 * database is unreachable"). track keeps a record of what the database
 * durably holds (from e's leases now, then from every committed batch of
 * c); call it once serving starts, before any request. While the
 * database is unreachable (ternd_pgstore_outage), a REQUEST renewing
 * (RENEWING, REBINDING) or re-claiming (INIT-REBOOT) an address that is
 * durably stored as the same client's bound lease, still running, is
 * answered at once with the lease time cut to the stored end: probe
 * before the engine runs, answer after it built its reply, which then
 * goes without its changes. Not on a shared database.
 */
void ternd_pgstore_track(struct ternd_races *r, struct ternd_committer *c,
			 const struct ternd_engine *e);
bool ternd_pgstore_outage(const struct ternd_races *r);
/* Whether m may be answered from the store: the stored address and end
 * in *ret. */
bool ternd_pgstore_renew_probe(struct ternd_races *r,
			       const struct tern_dhcp4_msg *m, int64_t now,
			       struct ternd_lease *ret);
/* tx is the engine's reply to the probed request: true when it is an ACK
 * of stored's address, now cut to the stored end and to be sent at once
 * without its changes; false: hold it as usual. */
bool ternd_pgstore_renew_answer(struct ternd_races *r,
				const struct ternd_lease *stored,
				struct ternd_tx *tx, int64_t now);
/* ACKs held (not sent) while the database was unreachable. */
void ternd_pgstore_withheld(struct ternd_races *r);

/* ternd's own statistics of a PostgreSQL store: v[TERND_X__MAX]
 * (stats.h), from the store's, the committer's and these counters. */
void ternd_pgstore_xstats(struct ternd_races *r, struct ternd_committer *c,
			  uint64_t *v);

#endif
