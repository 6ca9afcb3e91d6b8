/* ternd DHCPv6 engine internals (engine6/ only): the engine, its lease
 * table, the state of one request. */
#ifndef TERND_ENGINE6_INTERNAL_H
#define TERND_ENGINE6_INTERNAL_H

#include <tern/dhcp6.h>

#include "server/classify/expr.h"
#include "server/engine6/engine6.h"

#define E6_NIL		UINT32_MAX
#define E6_MAX_IAS	16 /* IAs answered per message */
#define E6_MAX_IA_ADDRS 8  /* addresses a client lists in one IA */
#define E6_ALLOC_TRIES	4096
#define E6_MAX_ORO	64

/* Option-data levels of one reply: reservation, a pool per lease, subnet,
 * network, the classes', global. */
#define E6_MAX_LEVELS (4 + E6_MAX_IAS + TERND_MAX_CLASSES)

/* The classes of the request being answered (class6.c), and the memory
 * its tests are evaluated in: one per engine, nothing allocated per
 * packet. */
struct e6_classes {
	bool on; /* the configuration uses classes (classes.used) */
	struct ternd_class_set s;
	uint16_t req[TERND_MAX_CLASSES]; /* requiredClassify's list */
	struct ternd_expr_pkt6 pkt;
	struct ternd_expr_memo6 memo; /* the packet's: zeroed per request */
	struct ternd_expr_scratch scratch;
	const struct ternd_optlist6 *levels[E6_MAX_LEVELS];
};

struct e6_slot {
	struct ternd_lease6 l;
	uint32_t next_addr; /* chain by (type, addr) */
	uint32_t next_id;   /* chain by (duid, iaid, type) */
	bool used;
};

struct ternd_engine6 {
	const struct ternd_config *cfg;
	const struct ternd_config6 *c6;
	const uint8_t *duid;
	size_t duid_len;
	struct e6_slot *slots;
	size_t cap;
	size_t n;
	uint32_t free_head; /* free slots chained through next_addr */
	size_t reclaim_pos; /* where the next search for an expired slot starts
			     */
	uint32_t *by_addr;  /* heads, nbuckets */
	uint32_t *by_id;
	size_t nbuckets; /* power of two */
	uint64_t seed;
	/* Per subnet, per pool: the next offset to try (iterative). */
	uint64_t *na_cursor; /* n_subnets * TERND6_MAX_POOLS */
	uint64_t *pd_cursor;
	/* Per subnet and lease type (NA 0, PD 1): the sequence number of
	 * the last pool pick in it (Kea's last allocated time: a shared
	 * network's allocation starts in its latest subnet). */
	uint64_t *last_pick; /* n_subnets * 2 */
	uint64_t pick_seq;
	struct ternd_engine6_stats st;
	struct ternd_engine6_subnet_stats *sst; /* per subnet, n_subnets */
	struct e6_classes cls;			/* the request being answered */
	bool restoring; /* restored bindings are not new ones (cumulative) */
};

/* One IA of the request, as the client sent it. */
struct e6_ia {
	uint16_t code; /* IA_NA or IA_PD */
	uint32_t iaid;
	size_t n_hints;
	struct in6_addr hint[E6_MAX_IA_ADDRS];
	uint8_t hint_len[E6_MAX_IA_ADDRS]; /* 128 for IAADDR */
	/* The first IAADDR / IAPREFIX's lifetimes (Kea's hints_[0]): what
	 * the client asks for, 0 = nothing. */
	uint32_t hint_pref, hint_valid;
};

/* A lease given to the request (Kea's allocated resources). */
struct e6_got {
	struct in6_addr a;
	uint8_t plen; /* 128: an address */
};

/* One request being answered. */
struct e6_req {
	struct ternd_engine6 *e;
	const struct ternd_rx6 *rx;
	struct tern_dhcp6_relay relays[TERN_DHCP6_MAX_RELAYS];
	int n_relays;
	struct tern_dhcp6_msg m;
	const uint8_t *client_id;
	uint16_t client_id_len;
	const uint8_t *server_id;
	uint16_t server_id_len;
	const uint8_t *oro;
	uint16_t oro_len;
	uint32_t vendor_opts_id;   /* the client's option 17, 0 if none */
	uint32_t vendor_class_id;  /* the client's option 16, 0 if none */
	const uint8_t *vendor_oro; /* CableLabs ORO inside 17 (4491) */
	uint16_t vendor_oro_len;
	bool rapid_commit;
	struct e6_ia ia[E6_MAX_IAS];
	size_t n_ia;
	const struct ternd_subnet6 *subnet;
	const struct ternd_reservation6 *res;
	const struct ternd_subnet6 *res_subnet; /* where res is, NULL: global */
	const struct ternd_reservation6 *ghost; /* the global host, if any */
	/* early-global-reservations-lookup's global host (whatever the
	 * subnet's flags: it makes the client KNOWN) */
	const struct ternd_reservation6 *ghost_early;
	const uint8_t *vclass; /* VENDOR_CLASS_ suffix, from option 16 */
	uint16_t vclass_len;
	struct e6_got got[E6_MAX_IAS]; /* the leases given, in IA order */
	size_t n_got;
	int64_t now;
	bool commit; /* bindings are made (not an ADVERTISE) */
	struct ternd_change6 *changes;
	size_t max_changes;
	size_t n_changes;
	bool no_room;
};

/* ---- the lease table (leases6.c) ---- */
struct ternd_lease6 *e6_find_addr(const struct ternd_engine6 *e, uint8_t type,
				  const struct in6_addr *a);
/* The binding of (duid, iaid, type) in the table, NULL if none; the
 * first one found when several (one per IA is what clients use). */
struct ternd_lease6 *e6_find_id(const struct ternd_engine6 *e,
				const uint8_t *duid, size_t duid_len,
				uint32_t iaid, uint8_t type);
/* Insert or replace by (type, addr); NULL when the table is full. */
struct ternd_lease6 *e6_put(struct ternd_engine6 *e,
			    const struct ternd_lease6 *l);
void e6_del(struct ternd_engine6 *e, uint8_t type, const struct in6_addr *a);
/* A full table: the next binding that ended before now (an expired or
 * declined one), NULL if none. */
struct ternd_lease6 *e6_expired_slot(struct ternd_engine6 *e, int64_t now);
bool e6_full(const struct ternd_engine6 *e);
bool e6_owned_by(const struct ternd_lease6 *l, const uint8_t *duid,
		 size_t duid_len, uint32_t iaid);

/* ---- Kea's allocation-failure statistics (counters6.c) ---- */
/* An IA of type (TERND_LEASE6_*) got no lease from the pools; at: the
 * subnet the pool walk started from. */
void e6_count_alloc_fail(struct e6_req *r, uint8_t type,
			 const struct ternd_subnet6 *at);

/* ---- IAs (ia6.c) ---- */
/* Kea's getNextSubnet: the subnet after cur in cur's shared network,
 * wrapping, NULL when the walk is back at first (or there is no
 * network). */
const struct ternd_subnet6 *e6_next_subnet(const struct ternd_engine6 *e,
					   const struct ternd_subnet6 *first,
					   const struct ternd_subnet6 *cur);
/* Write the answer for every IA of the request for msg type t. */
void e6_answer_ias(struct e6_req *r, struct tern_dhcp6_writer *w, uint8_t t);
/* The release / decline of every IA. */
void e6_release_ias(struct e6_req *r, struct tern_dhcp6_writer *w,
		    bool decline);
/* Kea's Subnet::getPool(type, a, false) for a lease given: the pool or
 * pd-pool of s holding it, its options and classes; false if none. */
bool e6_pool_of(const struct ternd_subnet6 *s, const struct e6_got *g,
		const struct ternd_optlist6 **ret_opts,
		const struct ternd_class_use **ret_cls);
/* T1 and T2 for lifetimes pref under params p. */
void e6_tee(const struct ternd_params6 *p, uint32_t pref, uint32_t *t1,
	    uint32_t *t2);

/* ---- classes (class6.c) ---- */
/* The client's option 16 (value v): its VENDOR_CLASS_ class. */
void e6_vendor_class(struct e6_req *r, const uint8_t *v, uint16_t len);
/* Kea's classifyPacket: ALL, VENDOR_CLASS_, the tests not depending on
 * KNOWN. */
void e6_classify_start(struct e6_req *r);
/* Kea's earlyGHRLookup with r->ghost_early found: its classes (the
 * first pass again), KNOWN, the second pass. */
void e6_classify_early(struct e6_req *r);
/* After the host lookup (r->res, r->subnet): the host's classes outside
 * a shared network, KNOWN or UNKNOWN, the tests depending on it. */
void e6_classify_host(struct e6_req *r);
/* After the leases: the host's classes in a shared network, then the
 * required classes (network, subnet, the pools of r->got). */
void e6_classify_late(struct e6_req *r);
/* Whether the request is in class idx; whether u lets it in. */
bool e6_class_in(const struct e6_req *r, uint16_t idx);
bool e6_allows(const struct e6_req *r, const struct ternd_class_use *u);
/* Whether the request is in DROP. */
bool e6_dropped(const struct e6_req *r);
/* The option-data of the request's classes that have some, in their
 * order; returns how many went to out[0..max). */
size_t e6_class_options(const struct e6_req *r,
			const struct ternd_optlist6 **out, size_t max);
/* A lifetime and its bounds (Kea's Triplet). */
struct e6_life {
	uint32_t v, min, max;
};
/* The lifetimes of the request's first class that has each (*pref,
 * *valid untouched when none has); whether a class gave one. */
bool e6_class_lifetimes(const struct e6_req *r, struct e6_life *pref,
			struct e6_life *valid);
/* Whether the request may use s: its class and its network's. */
bool e6_subnet_ok(const struct e6_req *r, const struct ternd_subnet6 *s);
/* e6_next_subnet, skipping subnets the request may not use. */
const struct ternd_subnet6 *e6_walk(const struct e6_req *r,
				    const struct ternd_subnet6 *first,
				    const struct ternd_subnet6 *cur);

/* ---- host reservations (host6.c) ---- */
/* Kea's earlyGHRLookup (early-global-reservations-lookup): the global
 * host into r->ghost_early, its classes and KNOWN (class6.c). */
void e6_early_hosts(struct e6_req *r);
/* Kea's findReservation for r->subnet: r->ghost, and r->res the first
 * subnet host of the walk (r->res_subnet), else the global one. */
void e6_find_hosts(struct e6_req *r);
/* The host whose classes Kea's initContext adds before KNOWN, NULL if
 * none. */
const struct ternd_reservation6 *e6_host_early(const struct e6_req *r);
/* Kea's allocateGlobalReservedLeases6: the first address or prefix of
 * the global host no earlier IA got and no one else holds. */
bool e6_from_global(struct e6_req *r, const struct e6_ia *ia,
		    struct in6_addr *ret, uint8_t *ret_len);
/* Whether l is one of the client's reservations (its subnet host's in
 * l's subnet, or the global host's); true without a host. */
bool e6_host_holds(const struct e6_req *r, const struct ternd_lease6 *l);
/* Whether the pools of s skip addresses reserved in s. */
bool e6_pools_check_res(const struct ternd_subnet6 *s);
/* The client's hardware address from mac-sources (mac6.c) into out (20
 * bytes); false when none gives one. */
bool e6_client_hw(const struct e6_req *r, uint8_t *out, size_t *ret_len);

/* ---- relay-supplied options (rsoo6.c) ---- */
/* Kea's processRSOO: the enabled options of the relays' option 66 the
 * reply (its options from w->buf + body on) has none of. */
void e6_put_rsoo(struct e6_req *r, struct tern_dhcp6_writer *w, size_t body);

/* ---- options (options6.c) ---- */
/* The options p[0..len) of a message body in code order, stable (Kea
 * 2.2 packs a Pkt6's options from a multimap by code). */
void e6_sort_options(uint8_t *p, size_t len);
/* The options the client's ORO asks for (and always-send ones) from the
 * levels reservation, pool, subnet, global. */
void e6_put_options(struct e6_req *r, struct tern_dhcp6_writer *w);
/* The client's option 17 or 16 (vendor, CableLabs ORO) into r. */
void e6_read_vendor(struct e6_req *r, uint16_t code, const uint8_t *v,
		    uint16_t len);
/* Record a change; false (and r->no_room) when there is no room. */
bool e6_change(struct e6_req *r, uint8_t op, const struct ternd_lease6 *l);

#endif
