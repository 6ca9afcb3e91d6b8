/* ternd DHCPv6 on a PostgreSQL lease database (daemon6.c): opening it,
 * the server's own DUID key, races lost to other servers. */
#ifndef TERND_DAEMON6_PG_H
#define TERND_DAEMON6_PG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/config/config.h"
#include "server/engine6/engine6.h"
#include "server/store/store6.h"

/* Connect to cfg's PostgreSQL lease database (creating or upgrading the
 * schema) with Kea's reconnection keys; errors logged. No lock: several
 * servers share the database. */
int ternd_d6pg_open(const struct ternd_config *cfg, struct ternd_store6 **ret);

/*
 * The meta key of this server's DUID. A file store holds one server's:
 * "server-duid6". A shared database holds one per server, so the key
 * names the server: user-context.ternd server-index when set
 * ("server-duid6#2"), else the host name and the configuration file
 * ("server-duid6@host:/etc/kea/kea-dhcp6.conf").
 */
void ternd_d6pg_duid_key(const struct ternd_config *cfg,
			 const char *config_path, char *buf, size_t len);

/* The changes of one held REPLY, to match against lost ones. */
#define TERND_D6_KEYS 8
struct ternd_d6keys {
	uint8_t n;
	bool overflow; /* more than TERND_D6_KEYS: matched by ticket */
	uint8_t type[TERND_D6_KEYS];
	struct in6_addr addr[TERND_D6_KEYS];
};
void ternd_d6keys_set(struct ternd_d6keys *k, const struct ternd_change6 *v,
		      size_t n);

/*
 * Races lost on a shared database (docs/lease-store.md, "DHCPv6 on
 * PostgreSQL"). After reading the committer's done, take() forgets what
 * it took before, moves the lost changes of the batches up to done here
 * and teaches the engine each address's real holder (the row read back);
 * lost() then says whether a held REPLY of such a batch answers a lost
 * change (never sent: the client retransmits and meets the engine's new
 * view), lost_changes() whether an operator's changes (lease6-*) were.
 * NULL makes every call a no-op.
 */
struct ternd_races6;
int ternd_races6_new(struct ternd_store6 *s, struct ternd_lost6 *lost,
		     struct ternd_races6 **ret);
void ternd_races6_free(struct ternd_races6 *r);
size_t ternd_races6_take(struct ternd_races6 *r, uint64_t done,
			 struct ternd_engine6 *e);
bool ternd_races6_lost(struct ternd_races6 *r, uint64_t ticket,
		       const struct ternd_d6keys *k);
bool ternd_races6_lost_changes(struct ternd_races6 *r, uint64_t ticket,
			       const struct ternd_change6 *v, size_t n);
/* Changes lost and REPLYs dropped for them, so far. */
uint64_t ternd_races6_lost_count(const struct ternd_races6 *r);
uint64_t ternd_races6_dropped(const struct ternd_races6 *r);

#endif
