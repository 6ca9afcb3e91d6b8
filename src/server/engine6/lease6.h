/* ternd DHCPv6 lease record: what the engine keeps per binding and the store
 * persists (one row per address or delegated prefix). */
#ifndef TERND_LEASE6_H
#define TERND_LEASE6_H

#include <netinet/in.h>
#include <stdint.h>

/* Kea's lease types (Lease::Type): the store keeps these numbers. */
enum ternd_lease6_type {
	TERND_LEASE6_NA = 0,
	TERND_LEASE6_PD = 2,
};

enum ternd_lease6_state {
	TERND_LEASE6_BOUND = 0,
	TERND_LEASE6_DECLINED = 1, /* unusable until expire */
	/* Kea's expired-reclaimed: ended and reclaimed, kept (for its client
	 * to get back) until the hold time has passed, then deleted. */
	TERND_LEASE6_EXPIRED = 2,
};

#define TERND_LEASE6_DUID_MAX 130
#define TERND_LEASE6_HOST_MAX 64

struct ternd_lease6 {
	struct in6_addr addr; /* the address, or the prefix (host bits 0) */
	uint8_t plen;	      /* 128 for an address */
	uint8_t type;	      /* enum ternd_lease6_type */
	uint8_t state;	      /* enum ternd_lease6_state */
	uint8_t duid_len;     /* 0 for a declined address */
	uint8_t duid[TERND_LEASE6_DUID_MAX];
	uint32_t iaid;
	uint32_t subnet_id;
	uint32_t preferred; /* as sent; 0xffffffff = infinity */
	uint32_t valid;
	int64_t cltt;	/* when the client last got it (seconds) */
	int64_t expire; /* cltt + valid; INT64_MAX when infinite */
	char hostname[TERND_LEASE6_HOST_MAX]; /* "" = none */
};

enum ternd_change6_op {
	TERND_CHANGE6_PUT = 1, /* insert or replace by (type, addr, plen) */
	TERND_CHANGE6_DEL = 2, /* delete by (type, addr, plen) */
};

struct ternd_change6 {
	uint8_t op;
	struct ternd_lease6 lease;
};

#endif
