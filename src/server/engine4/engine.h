/* ternd engine: the RFC 2131 server as a pure function of request bytes and
 * lease state. */
#ifndef TERND_ENGINE_H
#define TERND_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/config/config.h"
#include "server/engine4/lease.h"

/*
 * The engine owns the in-memory lease table and pool state for one
 * configuration. It does no I/O, reads no clock and never blocks: the
 * daemon passes the time in, sends the reply it builds and commits the
 * lease changes it lists (holding an ACK until its changes are durable).
 * Unit tests drive it with packet bytes directly.
 *
 * Not thread-safe: one thread (or one thread per disjoint engine) at a time.
 */
struct ternd_engine;
struct tern_dhcp4_msg;

/* One received request and where it came from. Addresses host order. */
struct ternd_rx {
	const uint8_t *buf;
	size_t len;
	int ifindex;	    /* receiving interface */
	const char *ifname; /* its name, for subnets bound to an interface */
	uint32_t if_addr;   /* our address on it: server id, subnet choice */
	uint32_t src_addr;  /* IP source of the packet */
	uint16_t src_port;
	int64_t now; /* seconds since the epoch */
	/* IP destination (IP_PKTINFO ipi_addr), 0 = unknown (taken as a
	 * broadcast). A direct request not broadcast selects its subnet by
	 * ciaddr or source address, as in Kea. */
	uint32_t dst_addr;
};

/* Where a reply goes (RFC 2131 §4.1). */
enum ternd_dest {
	TERND_DEST_RELAY = 1,	  /* giaddr, port 67 */
	TERND_DEST_CIADDR = 2,	  /* ciaddr, port 68 */
	TERND_DEST_BROADCAST = 3, /* 255.255.255.255, port 68, on ifindex */
	TERND_DEST_HWADDR = 4,	  /* yiaddr, port 68, to chaddr directly
				     (client has no address yet: packet
				     socket, no ARP) */
};

/* A reply built into the caller's buffer, with its destination. */
struct ternd_tx {
	uint8_t *buf; /* caller's buffer, cap bytes (>= 576 recommended) */
	size_t cap;
	size_t len;	   /* out: reply length */
	uint8_t dest;	   /* out: enum ternd_dest */
	uint8_t msg_type;  /* out: OFFER / ACK / NAK */
	uint8_t hw_len;	   /* out: for TERND_DEST_HWADDR */
	uint8_t hw[16];	   /* out: chaddr */
	uint32_t dst_addr; /* out: host order */
	uint16_t dst_port; /* out */
	uint32_t src_addr; /* out: our address to send from (server id) */
	int ifindex;	   /* out: interface to send on */
	bool needs_commit; /* out: send only after the changes are durable */
};

/*
 * Drop reasons: every request that gets no reply is counted under one.
 * Handle returns the negative errno shown.
 */
enum ternd_drop {
	TERND_DROP_MALFORMED, /* -EBADMSG: codec error, bad op/htype/hlen */
	TERND_DROP_NO_TYPE,   /* -EBADMSG: no/unknown message type */
	TERND_DROP_NO_SUBNET, /* -ENETUNREACH: no subnet for the client */
	TERND_DROP_EXHAUSTED, /* -ENOSPC: no free address */
	TERND_DROP_NOT_OURS,  /* 0: REQUEST for another server, etc. */
	TERND_DROP_SILENT,    /* 0: RFC says stay silent (e.g. unknown
				 INIT-REBOOT client, non-authoritative) */
	TERND_DROP_NO_LEASE,  /* 0: RELEASE/DECLINE without a binding */
	TERND_DROP_TOO_MANY,  /* -ENOBUFS: changes array too small */
	TERND_DROP_CLASS,     /* -EACCES: in client class DROP */
	TERND_DROP__MAX,
};

struct ternd_engine_stats {
	uint64_t rx[9]; /* by message type 1..8 ([0] unused) */
	uint64_t tx_offer;
	uint64_t tx_ack;
	uint64_t tx_nak;
	uint64_t drops[TERND_DROP__MAX];
	uint64_t declines;
	uint64_t releases;
	uint64_t expired;	/* bound leases reclaimed */
	uint64_t leases_bound;	/* current */
	uint64_t offers_open;	/* current */
	uint64_t offers_reused; /* offered addresses given to another client
				   because every pool was full */
};

/*
 * Create an engine for a configuration; cfg must outlive it. Returns 0,
 * -ENOMEM, -EINVAL.
 */
int ternd_engine_new(const struct ternd_config *cfg, struct ternd_engine **ret);
void ternd_engine_free(struct ternd_engine *e);

/*
 * Put a lease from the store back (at start, in any order). Leases of
 * subnets or addresses the configuration no longer has are skipped
 * (returns -ENOENT, so the caller may count them); a lease already expired
 * at `now` is restored as EXPIRED (affinity only) and listed for the store
 * by the next ternd_engine_expire().
 */
int ternd_engine_restore(struct ternd_engine *e, const struct ternd_lease *l,
			 int64_t now);

/*
 * After a reconfiguration (reload.c): to, built from the new
 * configuration with the leases restored into it, takes over from's open
 * offers (where the new configuration still has their address free), its
 * counters (not its gauges) and its flex-id function. Returns 0, -EINVAL.
 */
int ternd_engine_carry(struct ternd_engine *to, const struct ternd_engine *from,
		       int64_t now);

/*
 * Handle one request. On a reply returns its message type (2 OFFER,
 * 5 ACK, 6 NAK) with *tx filled; 0 when no reply is due (RELEASE,
 * DECLINE, a REQUEST for another server, silence the RFC asks for);
 * a negative errno when the packet is dropped (see enum ternd_drop).
 * Lease changes to persist are appended to changes[0..max) and counted in
 * *n_changes (set to 0 first); when there are any and a reply is due,
 * tx->needs_commit is true.
 */
int ternd_engine_handle(struct ternd_engine *e, const struct ternd_rx *rx,
			struct ternd_tx *tx, struct ternd_change *changes,
			size_t max, size_t *n_changes);

/*
 * The same for a request already parsed, so a packet is parsed once on its
 * way through the daemon (the mesh filter reads the same view): m is
 * rx->buf as tern_dhcp4_parse() decoded it, or NULL when that failed (the
 * packet is then counted as malformed). ternd_engine_handle() is this
 * after parsing rx->buf into the engine's own scratch.
 */
int ternd_engine_handle_msg(struct ternd_engine *e, const struct ternd_rx *rx,
			    const struct tern_dhcp4_msg *m, struct ternd_tx *tx,
			    struct ternd_change *changes, size_t max,
			    size_t *n_changes);

/*
 * Reclaim what ran out at `now`: offers (no change), bound leases
 * (-> EXPIRED, change), declined addresses (-> free, change). At most max
 * changes per call; returns how many were appended, and sets *ret_next to
 * the next time anything expires (INT64_MAX when nothing does).
 */
int ternd_engine_expire(struct ternd_engine *e, int64_t now,
			struct ternd_change *changes, size_t max,
			int64_t *ret_next);

const struct ternd_engine_stats *
ternd_engine_stats(const struct ternd_engine *e);

/* Lease of an address (host order), NULL if none; for control commands. */
const struct ternd_lease *ternd_engine_lease(const struct ternd_engine *e,
					     uint32_t addr);

/* Call cb for every lease that is not FREE; non-zero from cb stops. */
int ternd_engine_foreach(const struct ternd_engine *e,
			 int (*cb)(void *ctx, const struct ternd_lease *l),
			 void *ctx);

/*
 * Mesh mode. ternd_engine_gate() closes every pool address in
 * [first, last] (once per engine); ternd_engine_gate_set() opens or closes
 * a sub-range as the mesh gives or takes blocks. A closed address is
 * never offered or newly acknowledged, but leases already held there stay
 * (the daemon forwards their renewals to the block's owner). Returns 0,
 * -EINVAL, -E2BIG, -ENOMEM.
 */
int ternd_engine_gate(struct ternd_engine *e, uint32_t first, uint32_t last);
int ternd_engine_gate_set(struct ternd_engine *e, uint32_t first, uint32_t last,
			  bool open);
/*
 * Let the next ternd_engine_handle() acknowledge addr although its gate is
 * closed: the block's owner answered LEASEACK. 0 clears it.
 */
void ternd_engine_grant(struct ternd_engine *e, uint32_t addr);
/*
 * Make the next ternd_engine_handle() answer a request for addr as if
 * another client held it (NAK), even when this engine still has the
 * client's own lease there: the block's owner answered LEASENAK. 0 clears.
 */
void ternd_engine_deny(struct ternd_engine *e, uint32_t addr);
/*
 * Several servers on one lease database: this one is server index of n
 * and starts each pool's search at its own n-th (share.c). Returns 0,
 * -EINVAL.
 */
int ternd_engine_share_pools(struct ternd_engine *e, uint32_t index,
			     uint32_t n);
/*
 * Options set at run time (ternd --mesh -o, mesh-set-option), sorted by
 * code, each at most once; they replace the configuration's option of the
 * same code in every subnet (a reservation's own options still win). The
 * caller keeps v alive until the next call. Returns 0, -EINVAL (unsorted),
 * -E2BIG (more than TERND_ENGINE_MAX_OVERRIDES).
 */
#define TERND_ENGINE_MAX_OVERRIDES 32
int ternd_engine_set_options(struct ternd_engine *e,
			     const struct ternd_option *v, size_t n);
/*
 * flex-id reservations (Kea's flex_id hook): fn computes a request's
 * flexible identifier into out (at most cap bytes) and returns its length,
 * 0 when it has none, or a negative errno. Without fn, flex-id
 * reservations never match, as in Kea without the hook. fn runs once per
 * request that needs it, inside ternd_engine_handle(), and must not block.
 */
typedef int (*ternd_flex_id_fn)(void *ctx, const struct tern_dhcp4_msg *m,
				uint8_t *out, size_t cap);
void ternd_engine_set_flex_id(struct ternd_engine *e, ternd_flex_id_fn fn,
			      void *ctx);
/*
 * Of [first, first + n): addresses with a live lease, and addresses that
 * could be leased were they open (pool, not excluded or reserved).
 */
void ternd_engine_usage(const struct ternd_engine *e, uint32_t first,
			uint32_t n, uint32_t *ret_free, uint32_t *ret_leased);

/*
 * Kea's hook points, for the hook libraries ternd has built in
 * (run_script, legal_log; docs/hooks.md). After
 * ternd_engine_hook_events(e, true), each ternd_engine_handle*() call
 * records the points Kea 2.2 would have called for that request, in
 * Kea's order, with the leases as Kea's callouts see them; the daemon
 * runs the libraries once the request's changes are durable. Expiry is
 * read from ternd_engine_expire()'s changes instead (hooks/).
 */
enum ternd_hook_point {
	TERND_HOOK_LEASE4_RENEW = 1,
	TERND_HOOK_LEASES4_COMMITTED,
	TERND_HOOK_LEASE4_RELEASE,
	TERND_HOOK_LEASE4_DECLINE,
	TERND_HOOK_LEASE4_EXPIRE,
	TERND_HOOK_LEASE4_RECOVER,
};

/* Kea's Lease::STATE_* of a lease in an event. */
enum ternd_kea_state {
	TERND_KEA_DEFAULT = 0,
	TERND_KEA_DECLINED = 1,
	TERND_KEA_EXPIRED_RECLAIMED = 2,
};

/*
 * A lease as Kea's callout is given it: the client-id only when its
 * subnet matches on it (Kea keeps it in the lease only then), a declined
 * lease without identity or host name (Lease4::decline).
 */
struct ternd_hook_lease {
	struct ternd_lease l;
	uint8_t kea_state; /* enum ternd_kea_state */
};

struct ternd_hook_event {
	uint8_t point;	   /* enum ternd_hook_point */
	uint8_t n_leases;  /* lease4, or leases4 of leases4_committed: 0/1 */
	uint8_t n_deleted; /* deleted_leases4 of leases4_committed: 0/1 */
	bool remove_lease; /* lease4_expire's remove_lease */
	/* lease4_renew's clientid argument: the query's option 61 when the
	 * subnet matches on it */
	bool pass_client_id;
	struct ternd_hook_lease lease;
	struct ternd_hook_lease deleted;
};

#define TERND_ENGINE_MAX_EVENTS 2

void ternd_engine_hook_events(struct ternd_engine *e, bool on);
/* The events of the last request handled (cleared by the next); *ret
 * points into the engine. */
size_t ternd_engine_events(const struct ternd_engine *e,
			   const struct ternd_hook_event **ret);

/* Kea's hold-reclaimed-time default: an expired lease Kea still has. */
#define TERND_KEA_HOLD_RECLAIMED 3600

#endif
