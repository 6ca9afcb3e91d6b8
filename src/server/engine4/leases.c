/* ternd lease table: record slab, open-addressing indexes and the expiry heap.
 */
#include "server/engine4/leases.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#define MIN_SLOTS 1024u

/* Tables grow past 5/8 full: linear probing stays short below that. */
static bool over_load(uint32_t n, uint32_t mask)
{
	return (uint64_t)n * 8 >= (uint64_t)(mask + 1) * 5;
}

/* ---- keyed hashing ------------------------------------------------------- */

/*
 * Client keys are chosen by whoever sends packets, so the client index
 * uses SipHash-2-4 with a per-engine random key: colliding keys cannot be
 * precomputed to turn lookups into linear scans.
 */
static inline uint64_t rotl(uint64_t x, int b)
{
	return (x << b) | (x >> (64 - b));
}

#define SIPROUND                   \
	do {                       \
		v0 += v1;          \
		v1 = rotl(v1, 13); \
		v1 ^= v0;          \
		v0 = rotl(v0, 32); \
		v2 += v3;          \
		v3 = rotl(v3, 16); \
		v3 ^= v2;          \
		v0 += v3;          \
		v3 = rotl(v3, 21); \
		v3 ^= v0;          \
		v2 += v1;          \
		v1 = rotl(v1, 17); \
		v1 ^= v2;          \
		v2 = rotl(v2, 32); \
	} while (0)

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static uint64_t siphash24(const uint64_t k[2], const uint8_t *in, size_t len)
{
	uint64_t v0 = UINT64_C(0x736f6d6570736575) ^ k[0];
	uint64_t v1 = UINT64_C(0x646f72616e646f6d) ^ k[1];
	uint64_t v2 = UINT64_C(0x6c7967656e657261) ^ k[0];
	uint64_t v3 = UINT64_C(0x7465646279746573) ^ k[1];
	uint64_t b = (uint64_t)len << 56;
	size_t i;

	for (i = 0; i + 8 <= len; i += 8) {
		uint64_t m = le64(in + i);

		v3 ^= m;
		SIPROUND;
		SIPROUND;
		v0 ^= m;
	}
	for (size_t j = 0; i + j < len; j++)
		b |= (uint64_t)in[i + j] << (8 * j);
	v3 ^= b;
	SIPROUND;
	SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

/*
 * Addresses come from the configured pools only: a good mixer suffices.
 * Every step is invertible (xor with a constant, xorshift, multiply by an
 * odd number), so distinct addresses never share a hash.
 */
static uint32_t addr_hash(const struct ternd_leases *lt, uint32_t a)
{
	a ^= lt->seed32;
	a ^= a >> 16;
	a *= 0x7feb352dU;
	a ^= a >> 15;
	a *= 0x846ca68bU;
	a ^= a >> 16;
	return a;
}

uint64_t ternd_leases_client_base(const struct ternd_leases *lt, uint8_t kind,
				  uint8_t htype, const uint8_t *id, size_t len)
{
	uint8_t buf[2 + TERND_LEASE_CID_MAX];

	if (len > TERND_LEASE_CID_MAX)
		len = TERND_LEASE_CID_MAX;
	buf[0] = kind;
	buf[1] = kind == TERND_KEY_HW ? htype : 0;
	memcpy(buf + 2, id, len);
	return siphash24(lt->seed, buf, 2 + len);
}

uint32_t ternd_leases_client_hash(uint64_t base, uint32_t subnet_id)
{
	uint64_t h = (base ^ subnet_id) * UINT64_C(0x9e3779b97f4a7c15);

	return (uint32_t)(h >> 32);
}

/* ---- setup --------------------------------------------------------------- */

static uint32_t pow2_at_least(uint64_t n)
{
	uint32_t s = MIN_SLOTS;

	while (s < n && s < (1u << 31))
		s <<= 1;
	return s;
}

int ternd_leases_init(struct ternd_leases *lt, size_t expect)
{
	uint32_t slots;
	int rc = 0;

	memset(lt, 0, sizeof(*lt));
	if (getrandom(lt->seed, sizeof(lt->seed), GRND_NONBLOCK) !=
	    (ssize_t)sizeof(lt->seed)) {
		/* No entropy yet (early boot): a per-process value still
		 * keeps a remote sender from knowing the layout offline. */
		lt->seed[0] =
			(uint64_t)(uintptr_t)lt ^ UINT64_C(0x5851f42d4c957f2d);
		lt->seed[1] =
			(uint64_t)(uintptr_t)&rc * UINT64_C(0x9e3779b97f4a7c15);
	}
	lt->seed32 = (uint32_t)(lt->seed[0] >> 17);
	/* Sized for what the pools can hold (capped) so a restore does not
	 * rehash over and over. */
	slots = pow2_at_least(expect > (1u << 22) ? (1u << 23) : expect * 2);
	lt->by_addr = calloc(slots, sizeof(*lt->by_addr));
	lt->by_client = calloc(slots, sizeof(*lt->by_client));
	if (!lt->by_addr || !lt->by_client) {
		rc = -ENOMEM;
		goto out;
	}
	lt->addr_mask = lt->client_mask = slots - 1;
out:
	if (rc < 0)
		ternd_leases_fini(lt);
	return rc;
}

void ternd_leases_fini(struct ternd_leases *lt)
{
	if (!lt)
		return;
	for (uint32_t i = 0; i < lt->n_chunks; i++)
		free(lt->chunks[i]);
	free(lt->chunks);
	free(lt->by_addr);
	free(lt->by_client);
	free(lt->heap);
	free(lt->hpos);
	memset(lt, 0, sizeof(*lt));
}

/* ---- growth -------------------------------------------------------------- */

/* Re-insert every entry into a table twice the size. */
static int table_grow(struct ternd_lslot **tab, uint32_t *mask)
{
	uint32_t nmask = *mask * 2 + 1;
	struct ternd_lslot *n = calloc((size_t)nmask + 1, sizeof(*n));

	if (!n)
		return -ENOMEM;
	for (uint32_t i = 0; i <= *mask; i++) {
		struct ternd_lslot s = (*tab)[i];
		uint32_t j;

		if (!s.ref)
			continue;
		for (j = s.hash & nmask; n[j].ref; j = (j + 1) & nmask)
			;
		n[j] = s;
	}
	free(*tab);
	*tab = n;
	*mask = nmask;
	return 0;
}

int ternd_leases_reserve(struct ternd_leases *lt, uint32_t n)
{
	uint64_t cap = (uint64_t)lt->n_chunks * TERND_LEASES_CHUNK;
	int rc;

	/* Free list first: only the high-water mark needs new chunks. */
	while (lt->hw + (uint64_t)n > cap) {
		struct ternd_rec **c;
		struct ternd_rec *chunk;

		if (lt->n_chunks >= (UINT32_MAX >> TERND_LEASES_CHUNK_SHIFT))
			return -ENOMEM;
		c = realloc(lt->chunks, (lt->n_chunks + 1) * sizeof(*c));
		if (!c)
			return -ENOMEM;
		lt->chunks = c;
		chunk = calloc(TERND_LEASES_CHUNK, sizeof(*chunk));
		if (!chunk)
			return -ENOMEM;
		lt->chunks[lt->n_chunks++] = chunk;
		cap += TERND_LEASES_CHUNK;
	}
	if (lt->heap_cap < cap) {
		struct ternd_hent *h = realloc(lt->heap, cap * sizeof(*h));
		uint32_t *hp;

		if (!h)
			return -ENOMEM;
		lt->heap = h;
		hp = realloc(lt->hpos, cap * sizeof(*hp));
		if (!hp)
			return -ENOMEM;
		memset(hp + lt->heap_cap, 0,
		       (cap - lt->heap_cap) * sizeof(*hp));
		lt->hpos = hp;
		lt->heap_cap = (uint32_t)cap;
	}
	while (over_load(lt->addr_n + n, lt->addr_mask))
		if ((rc = table_grow(&lt->by_addr, &lt->addr_mask)) < 0)
			return rc;
	while (over_load(lt->client_n + n, lt->client_mask))
		if ((rc = table_grow(&lt->by_client, &lt->client_mask)) < 0)
			return rc;
	return 0;
}

struct ternd_rec *ternd_leases_take(struct ternd_leases *lt)
{
	struct ternd_rec *r;
	uint32_t i;

	if (lt->free_head) {
		i = lt->free_head - 1;
		r = ternd_leases_at(lt, i);
		lt->free_head = r->next;
	} else {
		/* reserve() made room; anything else is a caller bug. */
		if ((uint64_t)lt->hw >=
		    (uint64_t)lt->n_chunks * TERND_LEASES_CHUNK)
			abort();
		i = lt->hw++;
		r = ternd_leases_at(lt, i);
	}
	memset(r, 0, sizeof(*r));
	r->self = i;
	r->used = true;
	lt->n_live++;
	return r;
}

void ternd_leases_put(struct ternd_leases *lt, struct ternd_rec *r)
{
	r->used = false;
	r->l.state = TERND_LEASE_FREE;
	r->next = lt->free_head;
	lt->free_head = r->self + 1;
	lt->n_live--;
}

/* ---- open addressing ----------------------------------------------------- */

/* Remove slot i with backward shifting, so no tombstones pile up. */
static void slot_remove(struct ternd_lslot *t, uint32_t mask, uint32_t i)
{
	uint32_t j = i;

	for (;;) {
		uint32_t k;

		j = (j + 1) & mask;
		if (!t[j].ref)
			break;
		k = t[j].hash & mask;
		/* An entry whose home lies cyclically in (i, j] stays. */
		if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		t[i] = t[j];
		i = j;
	}
	t[i].ref = 0;
}

static void slot_add(struct ternd_lslot *t, uint32_t mask, uint32_t hash,
		     uint32_t ref)
{
	uint32_t i;

	for (i = hash & mask; t[i].ref; i = (i + 1) & mask)
		;
	t[i].hash = hash;
	t[i].ref = ref;
}

static bool slot_del(struct ternd_lslot *t, uint32_t mask, uint32_t hash,
		     uint32_t ref)
{
	for (uint32_t i = hash & mask; t[i].ref; i = (i + 1) & mask) {
		if (t[i].ref == ref) {
			slot_remove(t, mask, i);
			return true;
		}
	}
	return false;
}

struct ternd_rec *ternd_leases_by_addr(const struct ternd_leases *lt,
				       uint32_t addr)
{
	uint32_t h = addr_hash(lt, addr), m = lt->addr_mask;

	/* addr_hash() is a bijection: equal hashes are equal addresses, so
	 * probing never has to look at a record. */
	for (uint32_t i = h & m; lt->by_addr[i].ref; i = (i + 1) & m)
		if (lt->by_addr[i].hash == h)
			return ternd_leases_at(lt, lt->by_addr[i].ref - 1);
	return NULL;
}

void ternd_leases_addr_add(struct ternd_leases *lt, struct ternd_rec *r)
{
	slot_add(lt->by_addr, lt->addr_mask, addr_hash(lt, r->l.addr),
		 r->self + 1);
	lt->addr_n++;
}

void ternd_leases_addr_del(struct ternd_leases *lt, struct ternd_rec *r)
{
	if (slot_del(lt->by_addr, lt->addr_mask, addr_hash(lt, r->l.addr),
		     r->self + 1))
		lt->addr_n--;
}

static bool client_eq(const struct ternd_rec *r, uint8_t kind,
		      uint32_t subnet_id, uint8_t htype, const uint8_t *id,
		      size_t len)
{
	if (r->key != kind || r->l.subnet_id != subnet_id)
		return false;
	if (kind == TERND_KEY_CID)
		return r->l.cid_len == len && memcmp(r->l.cid, id, len) == 0;
	return r->l.htype == htype && r->l.hw_len == len &&
	       memcmp(r->l.hw, id, len) == 0;
}

struct ternd_rec *ternd_leases_by_client(const struct ternd_leases *lt,
					 uint8_t kind, uint32_t subnet_id,
					 uint8_t htype, const uint8_t *id,
					 size_t len, uint32_t hash)
{
	uint32_t m = lt->client_mask;

	for (uint32_t i = hash & m; lt->by_client[i].ref; i = (i + 1) & m) {
		struct ternd_rec *r;

		if (lt->by_client[i].hash != hash)
			continue;
		r = ternd_leases_at(lt, lt->by_client[i].ref - 1);
		if (client_eq(r, kind, subnet_id, htype, id, len))
			return r;
	}
	return NULL;
}

static const uint8_t *rec_id(const struct ternd_rec *r, size_t *len)
{
	if (r->key == TERND_KEY_CID) {
		*len = r->l.cid_len;
		return r->l.cid;
	}
	*len = r->l.hw_len;
	return r->l.hw;
}

void ternd_leases_client_add(struct ternd_leases *lt, struct ternd_rec *r)
{
	const uint8_t *id;
	size_t len;

	if (r->key == TERND_KEY_NONE)
		return;
	id = rec_id(r, &len);
	if (ternd_leases_by_client(lt, r->key, r->l.subnet_id, r->l.htype, id,
				   len, r->chash)) {
		r->key = TERND_KEY_NONE;
		return;
	}
	slot_add(lt->by_client, lt->client_mask, r->chash, r->self + 1);
	lt->client_n++;
}

void ternd_leases_client_del(struct ternd_leases *lt, struct ternd_rec *r)
{
	if (r->key == TERND_KEY_NONE)
		return;
	if (slot_del(lt->by_client, lt->client_mask, r->chash, r->self + 1))
		lt->client_n--;
	r->key = TERND_KEY_NONE;
}

/* ---- heap ---------------------------------------------------------------- */

static void heap_place(struct ternd_leases *lt, uint32_t i, struct ternd_hent e)
{
	lt->heap[i] = e;
	lt->hpos[e.rec] = i + 1;
}

static void sift_up(struct ternd_leases *lt, uint32_t i)
{
	struct ternd_hent e = lt->heap[i];

	while (i > 0) {
		uint32_t p = (i - 1) / 2;

		if (lt->heap[p].when <= e.when)
			break;
		heap_place(lt, i, lt->heap[p]);
		i = p;
	}
	heap_place(lt, i, e);
}

static void sift_down(struct ternd_leases *lt, uint32_t i)
{
	struct ternd_hent e = lt->heap[i];
	uint32_t n = lt->heap_n;

	for (;;) {
		uint32_t c = 2 * i + 1;

		if (c >= n)
			break;
		if (c + 1 < n && lt->heap[c + 1].when < lt->heap[c].when)
			c++;
		if (e.when <= lt->heap[c].when)
			break;
		heap_place(lt, i, lt->heap[c]);
		i = c;
	}
	heap_place(lt, i, e);
}

void ternd_leases_queue(struct ternd_leases *lt, struct ternd_rec *r,
			int64_t when)
{
	uint32_t i;

	if (lt->hpos[r->self]) {
		int64_t old;

		i = lt->hpos[r->self] - 1;
		old = lt->heap[i].when;
		lt->heap[i].when = when;
		if (when < old)
			sift_up(lt, i);
		else
			sift_down(lt, i);
		return;
	}
	/* reserve() keeps heap_cap >= records, and a record is queued once. */
	i = lt->heap_n++;
	lt->heap[i].when = when;
	lt->heap[i].rec = r->self;
	sift_up(lt, i);
}

void ternd_leases_unqueue(struct ternd_leases *lt, struct ternd_rec *r)
{
	uint32_t i, moved;

	if (!lt->hpos[r->self])
		return;
	i = lt->hpos[r->self] - 1;
	lt->hpos[r->self] = 0;
	if (i == --lt->heap_n)
		return;
	moved = lt->heap[lt->heap_n].rec;
	heap_place(lt, i, lt->heap[lt->heap_n]);
	/* The moved entry may belong either above or below. */
	sift_up(lt, i);
	sift_down(lt, lt->hpos[moved] - 1);
}
