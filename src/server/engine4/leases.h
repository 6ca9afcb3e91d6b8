/* ternd lease table: record slab, address and client hash indexes, expiry heap.
 */
#ifndef TERND_LEASES_H
#define TERND_LEASES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/engine4/lease.h"

/* Which client index a record is filed under. */
enum ternd_rec_key {
	TERND_KEY_NONE = 0, /* not the client's (declined), or a duplicate */
	TERND_KEY_HW = 1,   /* (subnet, htype, chaddr) */
	TERND_KEY_CID = 2,  /* (subnet, client-id) */
};

/*
 * One address's record. The engine keeps at most one per address and, for
 * a client, one per shared network (or subnet). Records live in fixed
 * chunks, so a pointer stays valid until the record is released.
 */
struct ternd_rec {
	struct ternd_lease l;
	uint32_t self;	/* slab index */
	uint32_t sub;	/* engine subnet index */
	uint32_t chash; /* client key hash, valid when key != NONE */
	uint32_t next;	/* free list link */
	uint8_t key;	/* enum ternd_rec_key */
	uint8_t stored; /* state of the store's row for addr (FREE = none) */
	uint8_t prev;	/* state to go back to when an offer lapses */
	bool emit;	/* queued only so expire() lists it for the store */
	bool used;	/* slot in use (for foreach) */
};

struct ternd_lslot {
	uint32_t hash;
	uint32_t ref; /* record index + 1, 0 = empty */
};

struct ternd_hent {
	int64_t when;
	uint32_t rec;
};

struct ternd_leases {
	struct ternd_rec **chunks;
	uint32_t n_chunks;
	uint32_t hw;	    /* records ever handed out (high water) */
	uint32_t free_head; /* index + 1, 0 = empty */
	uint32_t n_live;    /* records in use */

	struct ternd_lslot *by_addr;
	uint32_t addr_mask;
	uint32_t addr_n;
	struct ternd_lslot *by_client;
	uint32_t client_mask;
	uint32_t client_n;

	struct ternd_hent *heap;
	uint32_t heap_n;
	uint32_t heap_cap;
	/* Heap position + 1 per record (0 = not queued): kept apart from the
	 * records so a sift touches a small array, not a record per level. */
	uint32_t *hpos;

	uint64_t seed[2];
	uint32_t seed32;
};

int ternd_leases_init(struct ternd_leases *lt, size_t expect);
void ternd_leases_fini(struct ternd_leases *lt);

/*
 * Make sure n more records can be taken and indexed without allocating,
 * so an operation that checked first cannot fail half-way.
 * Returns 0 or -ENOMEM.
 */
int ternd_leases_reserve(struct ternd_leases *lt, uint32_t n);

#define TERND_LEASES_CHUNK_SHIFT 10
#define TERND_LEASES_CHUNK	 (1u << TERND_LEASES_CHUNK_SHIFT)

static inline struct ternd_rec *ternd_leases_at(const struct ternd_leases *lt,
						uint32_t i)
{
	return &lt->chunks[i >> TERND_LEASES_CHUNK_SHIFT]
			  [i & (TERND_LEASES_CHUNK - 1)];
}

/* A zeroed record (reserve first). Never fails after a reserve. */
struct ternd_rec *ternd_leases_take(struct ternd_leases *lt);
/* Give a record back; it must be out of every index and the heap. */
void ternd_leases_put(struct ternd_leases *lt, struct ternd_rec *r);

/* Address index. */
struct ternd_rec *ternd_leases_by_addr(const struct ternd_leases *lt,
				       uint32_t addr);
void ternd_leases_addr_add(struct ternd_leases *lt, struct ternd_rec *r);
void ternd_leases_addr_del(struct ternd_leases *lt, struct ternd_rec *r);

/*
 * Client index. The key is (kind, subnet id, htype for HW, bytes); base is
 * ternd_leases_client_base() of (kind, htype, bytes), computed once per
 * request and mixed with each subnet id.
 */
uint64_t ternd_leases_client_base(const struct ternd_leases *lt, uint8_t kind,
				  uint8_t htype, const uint8_t *id, size_t len);
uint32_t ternd_leases_client_hash(uint64_t base, uint32_t subnet_id);
struct ternd_rec *ternd_leases_by_client(const struct ternd_leases *lt,
					 uint8_t kind, uint32_t subnet_id,
					 uint8_t htype, const uint8_t *id,
					 size_t len, uint32_t hash);
/* File r under r->key / r->chash (set by the caller); an existing entry
 * for the same key is left alone and r->key becomes NONE. */
void ternd_leases_client_add(struct ternd_leases *lt, struct ternd_rec *r);
/* Remove r's entry if the index points at r; r->key becomes NONE. */
void ternd_leases_client_del(struct ternd_leases *lt, struct ternd_rec *r);

/* Expiry heap (min on when), indexed so updates are O(log n). */
static inline bool ternd_leases_queued(const struct ternd_leases *lt,
				       const struct ternd_rec *r)
{
	return lt->hpos[r->self] != 0;
}
void ternd_leases_queue(struct ternd_leases *lt, struct ternd_rec *r,
			int64_t when);
void ternd_leases_unqueue(struct ternd_leases *lt, struct ternd_rec *r);
/* Earliest queued record, NULL when none. */
static inline struct ternd_rec *ternd_leases_next(const struct ternd_leases *lt,
						  int64_t *ret_when)
{
	if (!lt->heap_n)
		return NULL;
	*ret_when = lt->heap[0].when;
	return ternd_leases_at(lt, lt->heap[0].rec);
}

#endif
