/* ternd configuration, DHCPv6 part: the model a Kea {"Dhcp6": {...}} file
 * is loaded into (config/dhcp6*.c), hung off struct ternd_config. */
#ifndef TERND_CONFIG6_H
#define TERND_CONFIG6_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/config/config.h" /* struct ternd_class_use */

/*
 * A Dhcp6 file fills the family-neutral parts of struct ternd_config
 * (interfaces, lease-database, control-socket, loggers) and a struct
 * ternd_config6 at cfg->v6; a Dhcp4 file leaves cfg->v6 NULL. One family
 * per process, as Kea: a file with both maps is refused.
 *
 * Addresses are struct in6_addr in network order. Lifetimes are seconds;
 * 0xffffffff is infinity and is never used in arithmetic.
 */

#define TERND6_MAX_SUBNETS    4096
#define TERND6_MAX_NETWORKS   1024
#define TERND6_MAX_POOLS      256 /* per subnet, addresses and prefixes */
#define TERND6_MAX_RES	      65536
#define TERND6_MAX_RES_ADDRS  16  /* ip-addresses / prefixes per host */
#define TERND6_MAX_OPTIONS    128 /* per option-data list */
#define TERND6_MAX_OPTION_LEN 1024
#define TERND6_MAX_IFACE_ID   128
#define TERND6_DEFAULT_VALID  7200
#define TERND6_DEFAULT_PREF   3600
#define TERND6_INFINITY	      0xffffffffu
#define TERND6_KEA_MEMFILE    "/var/lib/kea/kea-leases6.csv"
#define TERND6_DEFAULT_T1_PCT 0.5
#define TERND6_DEFAULT_T2_PCT 0.8

/* One DHCPv6 option, encoded: data is the value, no code/length. */
struct ternd_option6 {
	uint16_t code;
	bool always_send;
	uint16_t len;
	const uint8_t *data;
	uint32_t vendor; /* enterprise number of a vendor-N space, else 0 */
};

/* One option-data level, sorted by code, one per code (the last one in
 * the file, as Kea's CfgOption::get). */
struct ternd_optlist6 {
	const struct ternd_option6 *v;
	size_t n;
	/* Options of the vendor-N spaces, sorted by vendor then code. */
	const struct ternd_option6 *vend;
	size_t n_vend;
};

/* Lifetimes and timers after inheritance (global -> subnet). */
struct ternd_params6 {
	uint32_t valid;
	uint32_t min_valid;
	uint32_t max_valid;
	uint32_t preferred;
	uint32_t min_preferred;
	uint32_t max_preferred;
	uint32_t renew_timer;  /* meaningful when has_renew */
	uint32_t rebind_timer; /* meaningful when has_rebind */
	bool has_renew;
	bool has_rebind;
	bool calculate_tee_times; /* v6 default true */
	double t1_percent;	  /* 0.5 */
	double t2_percent;	  /* 0.8 */
	bool rapid_commit;	  /* default false */
	/* Where a client's reservations are looked for (dhcp6_hosts.c):
	 * reservations-global (false), -in-subnet (true), -out-of-pool
	 * (false: the pools check every address against the subnet's
	 * reservations), or reservation-mode mapped onto them. */
	bool res_global;
	bool res_in_subnet;
	bool res_out_of_pool;
};

/* An address pool: first..last inclusive. */
struct ternd_pool6 {
	struct in6_addr first;
	struct in6_addr last;
	struct ternd_optlist6 options;
	const char *client_class; /* NULL = any client */
	/* client-class as an index, require-client-classes */
	struct ternd_class_use cls;
};

/* A prefix delegation pool: prefix/prefix_len cut into /delegated_len. */
struct ternd_pdpool6 {
	struct in6_addr prefix;
	uint8_t prefix_len;
	uint8_t delegated_len;
	uint8_t excluded_len; /* 0 = no excluded-prefix */
	struct in6_addr excluded;
	struct ternd_optlist6 options;
	const char *client_class; /* NULL = any client */
	struct ternd_class_use cls;
};

enum ternd_host6_id {
	TERND6_ID_DUID = 1,
	TERND6_ID_HW_ADDRESS = 2,
	/* Kea's flex_id hook computes it; ternd has none for DHCPv6, so
	 * such a reservation never matches (kea-dhcp6 without the hook)
	 * but its addresses stay reserved. */
	TERND6_ID_FLEX = 3,
};

/* mac-sources: where a client's hardware address (for hw-address
 * reservations) comes from, as Kea 2.2's Pkt::getMAC. */
enum ternd_mac6_source {
	TERND6_MAC_ANY = 1, /* every one below in Kea's order */
	TERND6_MAC_RAW,	    /* the frame's source: none over UDP (Kea too) */
	TERND6_MAC_CLIENT_LINKADDR, /* RFC 6939 option 79, nearest relay */
	TERND6_MAC_DUID,	    /* a DUID-LLT / DUID-LL's address */
	TERND6_MAC_LINK_LOCAL,	    /* EUI-64 of the link-local source */
	TERND6_MAC_REMOTE_ID,	    /* RFC 4649 option 37, nearest relay */
	TERND6_MAC_SUBSCRIBER_ID,   /* RFC 4580: Kea 2.2 reads none */
	TERND6_MAC_DOCSIS_CMTS,	    /* 17/4491 sub-option 1026 of a relay */
	TERND6_MAC_DOCSIS_MODEM,    /* 17/4491 sub-option 36 of the client */
};
#define TERND6_MAX_MAC_SOURCES 9

struct ternd_prefix6 {
	struct in6_addr prefix;
	uint8_t len;
};

struct ternd_reservation6 {
	uint8_t id_type; /* enum ternd_host6_id */
	uint8_t id_len;
	uint8_t id[130];
	const struct in6_addr *addrs;
	size_t n_addrs;
	const struct ternd_prefix6 *prefixes;
	size_t n_prefixes;
	const char *hostname; /* NULL = none */
	struct ternd_optlist6 options;
	/* Kea's client-classes of the host: the request is a member of
	 * each once the host lookup found it (Kea's reserved classes). */
	const char *const *classes;
	size_t n_classes;
};

struct ternd_network6;

struct ternd_subnet6 {
	uint32_t id;
	struct in6_addr prefix; /* host bits zero */
	uint8_t prefix_len;
	const char *iface; /* directly attached, NULL = none */
	const uint8_t *iface_id;
	uint16_t iface_id_len; /* 0 = no interface-id */
	const struct in6_addr *relays;
	size_t n_relays;
	const struct ternd_pool6 *pools;
	size_t n_pools;
	const struct ternd_pdpool6 *pd_pools;
	size_t n_pd_pools;
	/* Sorted by (id_type, id_len, id). */
	const struct ternd_reservation6 *res;
	size_t n_res;
	struct ternd_params6 params;
	struct ternd_optlist6 options;
	/* The shared network it belongs to, NULL if none. iface, iface_id
	 * and relays above hold what it inherits from it (Kea's getIface,
	 * getInterfaceId; the network's relay addresses first). */
	const struct ternd_network6 *network;
	/* Kea's client-class of the subnet: only members may use it; so
	 * too for the network's. Kea's built-in classes (ALL, KNOWN,
	 * UNKNOWN, VENDOR_CLASS_...) or a reservation's client-classes,
	 * NULL = any client. */
	const char *client_class;
	struct ternd_class_use cls; /* the same as an index; required */
};

/*
 * A shared-network: one link with several subnets. Its subnets are
 * members[] (indices into cfg->v6->subnets, in subnet-id order, as Kea's
 * SharedNetwork6 keeps them); allocation moves across them when one is
 * full, and a client's binding in any of them is its binding.
 */
struct ternd_network6 {
	const char *name;
	const uint32_t *members;
	size_t n_members;
	struct ternd_optlist6 options; /* between subnet and global */
	const char *client_class;      /* as a subnet's, NULL = any */
	struct ternd_class_use cls;
};

/*
 * What a Dhcp6 client class gives (by class index, parallel to
 * ternd_config.classes.v; the valid-lifetime triplet is the shared
 * ternd_class's has_valid / valid_lifetime / min_ / max_).
 */
struct ternd_class6 {
	struct ternd_optlist6 options;
	bool has_preferred;
	uint32_t preferred;
	uint32_t min_preferred;
	uint32_t max_preferred;
};

/*
 * expired-leases-processing (Kea's CfgExpiration), seconds unless said.
 * A key not given keeps ternd's own behaviour: each binding reclaimed at
 * most a second after its end, held 3600 s, no limit per cycle.
 */
struct ternd_expiry6 {
	bool reclaim_timer_set;	     /* reclaim-timer-wait-time given */
	uint16_t reclaim_timer_wait; /* gap between cycles; 0: none */
	uint16_t flush_wait;	     /* 0: reclaimed bindings deleted */
	uint32_t hold_reclaimed;     /* how long a reclaimed one is kept */
	uint32_t max_reclaim_leases; /* per cycle, 0 = no limit */
	uint16_t max_reclaim_time;   /* ms per cycle, 0 = no limit */
	uint16_t unwarned_cycles;    /* incomplete cycles before a warning */
};

enum ternd_duid6_kind {
	TERND6_SERVER_ID_LLT = 1,
	TERND6_SERVER_ID_EN = 2,
	TERND6_SERVER_ID_LL = 3,
};

struct ternd_config6 {
	/* Top-level ones and those of shared networks, in subnet-id order
	 * (Kea's subnet selection goes through them in that order). */
	const struct ternd_subnet6 *subnets;
	size_t n_subnets;
	const struct ternd_network6 *networks; /* in file order */
	size_t n_networks;
	struct ternd_params6 global;
	struct ternd_optlist6 options;
	uint32_t decline_probation_period;
	/* server-id: the kind of DUID made when none is persisted yet, and
	 * an identifier given in the file (then used as is). */
	uint8_t server_id_type; /* enum ternd_duid6_kind, default LLT */
	bool server_id_persist; /* default true */
	uint32_t server_id_enterprise;
	const uint8_t *server_id_ident;
	uint16_t server_id_ident_len;
	struct ternd_expiry6 expiry;
	/* client-classes (config/dhcp6_classes.c): by class index, n =
	 * ternd_config.classes.n; gives: TERND_CLASS_GIVES_OPTIONS,
	 * _LIFETIME by index. NULL when no class is defined. */
	const struct ternd_class6 *classes;
	const uint8_t *class_gives;
	/* Global reservations (Kea's subnet-id 0 hosts), sorted as a
	 * subnet's; host-reservation-identifiers: the identifier types
	 * (enum ternd_host6_id) in lookup order; none given (0): Kea's
	 * default, hw-address then duid. */
	const struct ternd_reservation6 *res;
	size_t n_res;
	uint8_t host_ids[3];
	uint8_t n_host_ids;
	/* mac-sources in order (enum ternd_mac6_source); none given (0):
	 * Kea's default, any. */
	uint8_t mac_sources[TERND6_MAX_MAC_SOURCES];
	uint8_t n_mac_sources;
	/* early-global-reservations-lookup: the global host (and its
	 * classes, KNOWN) before subnet selection. */
	bool early_ghr;
	/* relay-supplied-options: the codes a relay's RSOO (option 66) may
	 * give the reply, sorted; none given (NULL): 65 only, as Kea. */
	const uint16_t *rsoo;
	size_t n_rsoo;
};

struct ternd_config;

/* The subnet with this id, NULL if none. */
const struct ternd_subnet6 *
ternd_config6_subnet_by_id(const struct ternd_config6 *c, uint32_t id);
/* Whether addr is inside the subnet's prefix. */
bool ternd_subnet6_has(const struct ternd_subnet6 *s,
		       const struct in6_addr *addr);
/* Whether a and b are the same subnet or share a network. */
bool ternd_subnet6_same_link(const struct ternd_subnet6 *a,
			     const struct ternd_subnet6 *b);
/* The first subnet whose prefix holds addr, NULL if none. */
const struct ternd_subnet6 *
ternd_config6_subnet_for_addr(const struct ternd_config6 *c,
			      const struct in6_addr *addr);
/* The option with this code in one level, NULL if none. */
const struct ternd_option6 *ternd_optlist6_find(const struct ternd_optlist6 *l,
						uint16_t code);
/* The option (vendor, code) of a vendor-N space in one level, NULL if
 * none. */
const struct ternd_option6 *
ternd_optlist6_find_vendor(const struct ternd_optlist6 *l, uint32_t vendor,
			   uint16_t code);
/* The reservation with this identifier in a subnet, NULL if none. */
const struct ternd_reservation6 *
ternd_subnet6_find_host(const struct ternd_subnet6 *s, uint8_t id_type,
			const uint8_t *id, size_t len);
/* The reservation with this identifier among v[0..n) (sorted as a
 * subnet's), NULL if none (dhcp6_hosts.c). */
const struct ternd_reservation6 *
ternd_hosts6_find(const struct ternd_reservation6 *v, size_t n, uint8_t id_type,
		  const uint8_t *id, size_t len);
/* Whether addr is reserved in s for anyone. */
bool ternd_subnet6_addr_reserved(const struct ternd_subnet6 *s,
				 const struct in6_addr *addr);

#endif
