/* ternd DHCPv6 engine (RFC 8415 / RFC 9915): a request's bytes in, a reply
 * and the lease changes to persist out. Pure: no I/O, no clock, no
 * allocation per packet (the lease table is made once). */
#ifndef TERND_ENGINE6_H
#define TERND_ENGINE6_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/config/config.h"
#include "server/config/config6.h"
#include "server/engine6/lease6.h"

struct ternd_engine6;

/* Where a datagram came from (the daemon fills it from the socket). */
struct ternd_rx6 {
	int ifindex;
	const char *ifname; /* NULL = unknown */
	struct in6_addr src;
	uint16_t src_port;
	bool multicast; /* sent to ff02::1:2 or another multicast group */
	int64_t now;	/* seconds */
};

/* Where the reply goes. */
struct ternd_tx6 {
	struct in6_addr dst;
	uint16_t dst_port;
	int ifindex;
	size_t len;
};

/* Why a datagram got no answer: each drop is counted under one reason. */
struct ternd_engine6_stats {
	uint64_t rx;
	uint64_t replies;
	uint64_t drop_malformed;      /* codec refused it, or bad option */
	uint64_t drop_not_for_server; /* ADVERTISE, REPLY, RELAY-REPL, ... */
	uint64_t drop_client_id;      /* missing / duplicated / required */
	uint64_t drop_server_id;      /* present where forbidden, or not ours */
	uint64_t drop_unicast;	      /* non-relayed unicast (RFC 9915 §16) */
	uint64_t drop_no_subnet; /* cannot tell the link (Confirm, Rebind) */
	uint64_t drop_other;	 /* Confirm without addresses, IA in Info */
	uint64_t drop_no_room;	 /* reply or change buffer too small */
	uint64_t drop_class;	 /* in client class DROP */
	uint64_t by_type[14];	 /* received, by message type */
	uint64_t na_assigned;	 /* committed address leases now held */
	uint64_t pd_assigned;	 /* committed prefixes now held */
	uint64_t declined;	 /* declined addresses now held */
	uint64_t reclaimed;	 /* ended bindings reclaimed (expiry) */
	uint64_t reclaimed_declined; /* declined addresses back in use */
};

/* Kea's v6-allocation-fail* (AllocEngine::allocateUnreservedLeases6). */
enum ternd_af6 {
	TERND_AF6_ANY,		  /* v6-allocation-fail */
	TERND_AF6_SHARED_NETWORK, /* ...-shared-network */
	TERND_AF6_SUBNET,	  /* ...-subnet */
	TERND_AF6_NO_POOLS,	  /* ...-no-pools */
	TERND_AF6_CLASSES,	  /* ...-classes */
	TERND_AF6__MAX,
};

/* Per subnet (by index in cfg->v6->subnets), for Kea's statistics. */
struct ternd_engine6_subnet_stats {
	uint64_t alloc_fail[TERND_AF6__MAX];   /* IAs given no lease */
	uint64_t assigned_na, assigned_pd;     /* bound now */
	uint64_t cumulative_na, cumulative_pd; /* new bindings since start */
	uint64_t declined;		       /* declined addresses now */
	uint64_t reclaimed;		       /* ended bindings reclaimed */
	uint64_t reclaimed_declined;	       /* declined ones reclaimed */
};

/*
 * A new engine over cfg (which must have cfg->v6) with room for max_leases
 * bindings, answering with server_duid (2..130 bytes, kept by the caller
 * for the engine's life). Returns 0 or -ENOMEM, -EINVAL.
 */
int ternd_engine6_new(const struct ternd_config *cfg, size_t max_leases,
		      const uint8_t *server_duid, size_t duid_len,
		      struct ternd_engine6 **ret);
void ternd_engine6_free(struct ternd_engine6 *e);

/* Servers sharing one lease database (user-context.ternd.server-index of
 * servers, as engine4's ternd_engine_share_pools): every address and
 * prefix pool's search starts at the index-th n-th of the pool, so each
 * server works its own slice first and walks on into the others' only
 * when its slice is taken. ternd_engine6_new does it from the config.
 * Returns 0 or -EINVAL (n 0, index >= n). */
int ternd_engine6_share_pools(struct ternd_engine6 *e, uint32_t index,
			      uint32_t n);

/* A lease from the store, at start (before any request). Returns 0,
 * -ENOSPC (table full), -EINVAL. */
int ternd_engine6_restore(struct ternd_engine6 *e,
			  const struct ternd_lease6 *l);

/*
 * Handle one datagram. The reply is written into out[0..cap) and
 * described by *ret_tx; the lease changes it needs persisted before it may
 * be sent go to changes[0..max_changes) (*ret_n). Returns 1 (a reply),
 * 0 (dropped, counted), or -EINVAL. The engine's table already holds the
 * changes when it returns.
 */
int ternd_engine6_handle(struct ternd_engine6 *e, const struct ternd_rx6 *rx,
			 const uint8_t *pkt, size_t len, uint8_t *out,
			 size_t cap, struct ternd_tx6 *ret_tx,
			 struct ternd_change6 *changes, size_t max_changes,
			 size_t *ret_n);

const struct ternd_engine6_stats *
ternd_engine6_stats(const struct ternd_engine6 *e);

/* The counters of subnet idx (cfg->v6->subnets[idx]); NULL past the end. */
const struct ternd_engine6_subnet_stats *
ternd_engine6_subnet_stats(const struct ternd_engine6 *e, size_t idx);

/* Kea's hold-reclaimed-time default: how long a reclaimed binding stays
 * (the configuration's expired-leases-processing can say otherwise). */
#define TERND_ENGINE6_HOLD_RECLAIMED 3600

/*
 * Reclaim what ended by now, as Kea's lease reclamation: a bound binding
 * past its valid lifetime becomes TERND_LEASE6_EXPIRED (kept with its
 * client, who gets it back first; no longer counted as assigned); a
 * declined address past its probation is deleted (free again); an expired
 * one TERND_ENGINE6_HOLD_RECLAIMED seconds past its end is deleted. The
 * store changes go to changes[0..max); returns how many. *ret_next is when
 * the next one is due (INT64_MAX: never; now when max was reached and
 * more are due). changes NULL and max 0 only read *ret_next. Pure: a walk
 * of the table, no clock.
 */
int ternd_engine6_expire(struct ternd_engine6 *e, int64_t now,
			 struct ternd_change6 *changes, size_t max,
			 int64_t *ret_next);

/*
 * A reconfiguration (reload6.c): every binding of from into to (a new
 * engine, nothing handled yet), kept even where to's configuration has no
 * subnet for it (held until it ends), and from's packet counters. from is
 * not changed. Returns 0, -ENOSPC (to has no room: nothing usable), or
 * -EINVAL.
 */
int ternd_engine6_carry(struct ternd_engine6 *to,
			const struct ternd_engine6 *from);

/*
 * The same sweep, the reclaimed bindings deleted (remove: Kea's
 * leases-reclaim "remove": true, or flush-reclaimed-timer-wait-time 0;
 * ternd_engine6_expire passes the latter) instead of kept. A reclaimed
 * binding is kept hold-reclaimed-time seconds past its end.
 */
int ternd_engine6_reclaim(struct ternd_engine6 *e, int64_t now, bool remove,
			  struct ternd_change6 *changes, size_t max,
			  int64_t *ret_next);

/* Bindings in the table (bound or declined, expired or not). */
size_t ternd_engine6_count(const struct ternd_engine6 *e);
/* The binding of (type, addr), NULL if none. */
const struct ternd_lease6 *ternd_engine6_find(const struct ternd_engine6 *e,
					      uint8_t type,
					      const struct in6_addr *addr);

/*
 * A server DUID of kind (LLT / EN / LL, enum ternd_duid6_kind) from a
 * hardware address (htype 1) or the enterprise number and identifier, into
 * out (at least 130 bytes). time is seconds since 2000-01-01 (LLT).
 * Returns the length or -EINVAL.
 */
int ternd_engine6_make_duid(uint8_t kind, const uint8_t *hw, size_t hw_len,
			    uint32_t time, uint32_t enterprise,
			    const uint8_t *ident, size_t ident_len,
			    uint8_t *out, size_t cap);

#endif
