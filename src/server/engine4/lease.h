/* ternd lease record: what the engine keeps per address and the store persists.
 */
#ifndef TERND_LEASE_H
#define TERND_LEASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TERND_LEASE_HW_MAX	 16
#define TERND_LEASE_CID_MAX	 128
#define TERND_LEASE_HOSTNAME_MAX 256 /* a DNS name's text and a NUL */
#define TERND_LEASE_RAI_MAX	 255 /* option 82's data, one instance */

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
	/* Extended info (store-extended-info, Kea's user-context
	 * {"ISC": {"relay-agent-info": "0x.."}}): the option 82 data of the
	 * query that made the lease, as Kea re-packs it; rai_len 0 = none. */
	uint8_t rai_len;
	uint8_t rai[TERND_LEASE_RAI_MAX];
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

/*
 * The lease's user-context as Kea 2.2 shows it (lease4-get, its lease
 * file): {"ISC": {"relay-agent-info": "0x<upper-case hex>"}} when it has
 * extended info, "" when not. Returns the length written (without the
 * NUL), or -ENOBUFS when cap is too small (TERND_LEASE_CTX_MAX is not).
 */
#define TERND_LEASE_CTX_MAX (48 + 2 * TERND_LEASE_RAI_MAX)
int ternd_lease_user_context(const struct ternd_lease *l, char *out,
			     size_t cap);

#endif
