/* ternd lease record: what the engine keeps per address and the store persists.
 */
#ifndef TERND_LEASE_H
#define TERND_LEASE_H

#include <stdbool.h>
#include <stdint.h>

#define TERND_LEASE_HW_MAX	 16
#define TERND_LEASE_CID_MAX	 128
#define TERND_LEASE_HOSTNAME_MAX 256 /* a DNS name's text and a NUL */

/*
 * Lease states. Only BOUND, DECLINED and EXPIRED/RELEASED transitions are
 * persisted; OFFERED lives in memory (an offer needs no durability).
 * EXPIRED and RELEASED keep the client's identity so it gets the same
 * address back while nobody else took it (address affinity); the address
 * itself is free.
 */
enum ternd_lease_state {
	TERND_LEASE_FREE = 0,
	TERND_LEASE_OFFERED = 1,
	TERND_LEASE_BOUND = 2,
	TERND_LEASE_DECLINED = 3,
	TERND_LEASE_EXPIRED = 4,
	TERND_LEASE_RELEASED = 5,
};

/* Times are seconds since the Unix epoch (wall clock, as the store keeps
 * them across restarts). */
struct ternd_lease {
	uint32_t addr;	    /* host order */
	uint32_t subnet_id; /* config subnet id */
	uint8_t state;	    /* enum ternd_lease_state */
	uint8_t htype;
	uint8_t hw_len;
	uint8_t cid_len;
	uint8_t hw[TERND_LEASE_HW_MAX];
	uint8_t cid[TERND_LEASE_CID_MAX];
	uint32_t valid_lifetime; /* seconds granted at cltt */
	int64_t cltt;		 /* client last transaction time */
	int64_t expire;		 /* when the state ends */
	char hostname[TERND_LEASE_HOSTNAME_MAX]; /* NUL-terminated, may be "" */
	/* DDNS (Kea's fqdn_fwd / fqdn_rev): the updates the name was given
	 * for; cleared, with the name, when the lease ends. */
	bool fqdn_fwd;
	bool fqdn_rev;
};

/* A change for the store: the lease as it is now (upsert), or gone. */
enum ternd_change_op {
	TERND_CHANGE_UPSERT = 1,
	TERND_CHANGE_DELETE = 2,
	/* Nothing for the store: the entry only carries a DDNS fact (its
	 * lease as it was); the daemon takes it out before committing. */
	TERND_CHANGE_NONE = 3,
};

/* DDNS facts: the name change request a change calls for once it is
 * durable (only when dhcp-ddns enable-updates is on). */
enum ternd_change_ncr {
	TERND_NCR_NONE = 0,
	TERND_NCR_ADD = 1,    /* add lease's name */
	TERND_NCR_REMOVE = 2, /* remove lease's name */
};

struct ternd_change {
	uint8_t op;
	uint8_t ncr;		  /* enum ternd_change_ncr */
	struct ternd_lease lease; /* for DELETE only addr matters */
};

const char *ternd_lease_state_name(uint8_t state);

#endif
