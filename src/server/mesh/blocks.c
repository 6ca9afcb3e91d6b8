/* ternd mesh block state machine: a pure function of packets in, time and lease
 * usage to packets out. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "server/mesh/blocks.h"

/* INQUIREs sent for a block before it is ours (ddhcpd: 3). */
/* Blocks one pass may start claiming: spare <= 256 needs no more. */
#define TERND_MESH_SPARE_CANDIDATES 257
#define CLAIM_INQUIRIES		    3

struct block {
	uint8_t state;
	uint8_t inquiries;
	bool needless;
	bool dirty; /* OURS-ness changed, not yet popped */
	uint8_t owner[TERND_MESH_NODE_ID_LEN];
	uint8_t owner_addr[16];
	int64_t timeout; /* ms; 0 = none */
	int64_t needless_at;
	int64_t since; /* when it became OURS: "youngest" for dropping */
};

struct ternd_mesh {
	struct ternd_mesh_cfg cfg;
	struct ternd_mesh_hdr hdr; /* our header template */
	uint32_t n_blocks;
	uint32_t blocksize;
	struct block *blocks;
	bool learning;
	int64_t learn_end;
	int64_t next_tick;
	uint32_t rng;
	ternd_mesh_usage_fn usage;
	void *usage_ctx;
	uint32_t n_dirty;
	struct ternd_mesh_out *out; /* ring of TERND_MESH_OUTBOX */
	size_t out_head, out_n;
	struct ternd_mesh_stats st;
};

void ternd_mesh_cfg_defaults(struct ternd_mesh_cfg *cfg)
{
	cfg->block_pow = 5;
	cfg->spare_leases = 2;
	cfg->block_timeout_ms = 60000;
	cfg->tentative_ms = 15000;
	cfg->needless_ms = 300000;
	cfg->refresh_factor = 4;
	cfg->skip_learning = false;
	cfg->seed = 1;
}

static uint32_t rnd(struct ternd_mesh *m)
{
	/* xorshift32: the choice only needs to differ between nodes. */
	m->rng ^= m->rng << 13;
	m->rng ^= m->rng >> 17;
	m->rng ^= m->rng << 5;
	return m->rng;
}

const char *ternd_mesh_state_name(uint8_t state)
{
	static const char *const names[] = {"free",	"tentative", "claimed",
					    "claiming", "ours",	     "blocked"};

	return state < sizeof(names) / sizeof(names[0]) ? names[state] : "?";
}

int ternd_mesh_new(const struct ternd_mesh_cfg *cfg, int64_t now_ms,
		   struct ternd_mesh **ret)
{
	struct ternd_mesh *m = NULL;
	uint32_t host_bits;
	int r = -EINVAL;

	if (!cfg || cfg->prefix_len > 30 || cfg->block_pow > 7 ||
	    cfg->spare_leases > 256 || !cfg->block_timeout_ms ||
	    cfg->block_timeout_ms / 1000 > 65535 || cfg->tentative_ms < 2 ||
	    cfg->refresh_factor < 2)
		goto out;
	host_bits = 32u - cfg->prefix_len;
	if (cfg->block_pow > host_bits || host_bits - cfg->block_pow > 16)
		goto out;
	if (cfg->prefix_len && (cfg->network & ~(~0u << host_bits)))
		goto out;
	r = -ENOMEM;
	m = calloc(1, sizeof(*m));
	if (!m)
		goto out;
	m->cfg = *cfg;
	m->blocksize = 1u << cfg->block_pow;
	m->n_blocks = 1u << (host_bits - cfg->block_pow);
	m->blocks = calloc(m->n_blocks, sizeof(*m->blocks));
	m->out = calloc(TERND_MESH_OUTBOX, sizeof(*m->out));
	if (!m->blocks || !m->out)
		goto out;
	memcpy(m->hdr.node_id, cfg->node_id, TERND_MESH_NODE_ID_LEN);
	m->hdr.swarm.prefix = cfg->network;
	m->hdr.swarm.prefix_len = cfg->prefix_len;
	m->hdr.swarm.blocksize = (uint8_t)m->blocksize;
	m->rng = cfg->seed ? cfg->seed : 0x9e3779b9u;
	for (size_t i = 0; i < TERND_MESH_NODE_ID_LEN; i++)
		m->rng = m->rng * 31u + cfg->node_id[i];
	if (!m->rng)
		m->rng = 1;
	m->learning = !cfg->skip_learning;
	m->learn_end =
		now_ms + (cfg->skip_learning ? 0 : cfg->block_timeout_ms);
	m->next_tick = cfg->skip_learning ? now_ms : m->learn_end;
	*ret = m;
	m = NULL;
	r = 0;
out:
	ternd_mesh_free(m);
	return r;
}

void ternd_mesh_free(struct ternd_mesh *m)
{
	if (!m)
		return;
	free(m->blocks);
	free(m->out);
	free(m);
}

void ternd_mesh_set_usage(struct ternd_mesh *m, ternd_mesh_usage_fn fn,
			  void *ctx)
{
	m->usage = fn;
	m->usage_ctx = ctx;
}

static uint32_t block_first(const struct ternd_mesh *m, uint32_t i)
{
	return m->cfg.network + i * m->blocksize;
}

static void usage_of(struct ternd_mesh *m, uint32_t i, uint32_t *ret_free,
		     uint32_t *ret_leased)
{
	*ret_free = m->blocksize;
	*ret_leased = 0;
	if (m->usage)
		m->usage(m->usage_ctx, block_first(m, i), m->blocksize,
			 ret_free, ret_leased);
}

/* The one place a block changes state, so OURS changes are never missed. */
static void set_state(struct ternd_mesh *m, uint32_t i, uint8_t state,
		      int64_t timeout)
{
	struct block *b = &m->blocks[i];

	if ((b->state == TERND_MESH_OURS) != (state == TERND_MESH_OURS) &&
	    !b->dirty) {
		b->dirty = true;
		m->n_dirty++;
	}
	if (state != TERND_MESH_CLAIMING)
		b->inquiries = 0;
	if (state != TERND_MESH_OURS)
		b->needless = false;
	b->state = state;
	b->timeout = timeout;
}

static struct ternd_mesh_out *out_slot(struct ternd_mesh *m)
{
	struct ternd_mesh_out *o;

	if (m->out_n == TERND_MESH_OUTBOX) {
		m->st.tx_dropped++;
		return NULL;
	}
	o = &m->out[(m->out_head + m->out_n) % TERND_MESH_OUTBOX];
	memset(o, 0, sizeof(*o));
	return o;
}

static void push_claims(struct ternd_mesh *m, const struct ternd_mesh_claim *v,
			size_t n)
{
	struct ternd_mesh_out *o = out_slot(m);
	int len;

	if (!o)
		return;
	len = ternd_mesh_build_claims(o->buf, sizeof(o->buf), &m->hdr, v, n);
	if (len < 0)
		return;
	o->len = (uint16_t)len;
	m->out_n++;
	m->st.tx_packets++;
}

static void push_inquire(struct ternd_mesh *m, const uint32_t *v, size_t n)
{
	struct ternd_mesh_out *o = out_slot(m);
	int len;

	if (!o)
		return;
	len = ternd_mesh_build_inquire(o->buf, sizeof(o->buf), &m->hdr, v, n);
	if (len < 0)
		return;
	o->len = (uint16_t)len;
	m->out_n++;
	m->st.tx_packets++;
}

/* Collects claim entries and flushes them in packets of at most 32. */
struct claim_batch {
	struct ternd_mesh_claim v[TERND_MESH_MAX_ENTRIES];
	size_t n;
};

static uint16_t claim_seconds(const struct ternd_mesh *m)
{
	return (uint16_t)((m->cfg.block_timeout_ms + 999) / 1000);
}

static void batch_add(struct ternd_mesh *m, struct claim_batch *cb,
		      uint32_t block)
{
	cb->v[cb->n].block = block;
	cb->v[cb->n].timeout = claim_seconds(m);
	if (++cb->n == TERND_MESH_MAX_ENTRIES) {
		push_claims(m, cb->v, cb->n);
		cb->n = 0;
	}
}

static void batch_flush(struct ternd_mesh *m, struct claim_batch *cb)
{
	if (cb->n)
		push_claims(m, cb->v, cb->n);
	cb->n = 0;
}

static int cmp_id(const struct ternd_mesh *m, const uint8_t *other)
{
	return memcmp(other, m->cfg.node_id, TERND_MESH_NODE_ID_LEN);
}

static void on_claim(struct ternd_mesh *m, const struct ternd_mesh_hdr *h,
		     const struct ternd_mesh_claim *c, const uint8_t src[16],
		     int64_t now, struct claim_batch *again)
{
	struct block *b = &m->blocks[c->block];

	switch (b->state) {
	case TERND_MESH_BLOCKED:
		return;
	case TERND_MESH_OURS:
		/* Both claim it: the larger node id keeps it, as every
		 * node of the mesh (ddhcpd too) decides alike. */
		if (cmp_id(m, h->node_id) < 0) {
			m->st.conflicts_won++;
			batch_add(m, again, c->block);
			return;
		}
		m->st.conflicts_lost++;
		break;
	case TERND_MESH_CLAIMING:
		m->st.claims_backed_off++;
		break;
	case TERND_MESH_CLAIMED:
		/* Two peers claim it: keep the larger id's live claim, the
		 * owner every node will agree on. */
		if (memcmp(b->owner, h->node_id, TERND_MESH_NODE_ID_LEN) > 0 &&
		    b->timeout > now)
			return;
		break;
	default:
		break;
	}
	set_state(m, c->block, TERND_MESH_CLAIMED,
		  now + (int64_t)c->timeout * 1000);
	memcpy(b->owner, h->node_id, TERND_MESH_NODE_ID_LEN);
	memcpy(b->owner_addr, src, 16);
}

static void on_inquire(struct ternd_mesh *m, const struct ternd_mesh_hdr *h,
		       uint32_t i, int64_t now, struct claim_batch *again)
{
	struct block *b = &m->blocks[i];

	switch (b->state) {
	case TERND_MESH_OURS:
		batch_add(m, again, i);
		break;
	case TERND_MESH_CLAIMING:
		if (cmp_id(m, h->node_id) > 0) {
			m->st.claims_backed_off++;
			set_state(m, i, TERND_MESH_TENTATIVE,
				  now + m->cfg.tentative_ms);
		}
		break;
	case TERND_MESH_FREE:
	case TERND_MESH_TENTATIVE:
		set_state(m, i, TERND_MESH_TENTATIVE,
			  now + m->cfg.tentative_ms);
		break;
	default:
		/* CLAIMED stays with its owner; BLOCKED stays blocked. */
		break;
	}
}

int ternd_mesh_input(struct ternd_mesh *m, const uint8_t *buf, size_t len,
		     const uint8_t src[16], int64_t now_ms,
		     struct ternd_mesh_lease_msg *ret_lease)
{
	struct ternd_mesh_pkt p;
	struct claim_batch again = {.n = 0};
	bool bad = false;

	m->st.rx_packets++;
	if (ternd_mesh_parse(buf, len, &p) < 0) {
		m->st.rx_malformed++;
		return -EBADMSG;
	}
	if (!ternd_mesh_same_swarm(&p.hdr.swarm, &m->hdr.swarm)) {
		m->st.rx_foreign++;
		return -EXDEV;
	}
	if (cmp_id(m, p.hdr.node_id) == 0) {
		m->st.rx_self++;
		return -ELOOP;
	}
	switch (p.hdr.command) {
	case TERND_MESH_UPDATECLAIM:
		for (size_t i = 0; i < p.hdr.count; i++) {
			struct ternd_mesh_claim c;

			if (ternd_mesh_get_claim(&p, i, &c) < 0 ||
			    c.block >= m->n_blocks) {
				bad = true;
				continue;
			}
			on_claim(m, &p.hdr, &c, src, now_ms, &again);
		}
		break;
	case TERND_MESH_INQUIRE:
		for (size_t i = 0; i < p.hdr.count; i++) {
			uint32_t blk;

			if (ternd_mesh_get_inquire(&p, i, &blk) < 0 ||
			    blk >= m->n_blocks) {
				bad = true;
				continue;
			}
			on_inquire(m, &p.hdr, blk, now_ms, &again);
		}
		break;
	default: {
		struct ternd_mesh_lease_msg lm;

		if (ternd_mesh_get_lease(&p, &lm.lease) < 0) {
			m->st.rx_malformed++;
			return -EBADMSG;
		}
		lm.command = p.hdr.command;
		memcpy(lm.src, src, 16);
		memcpy(lm.node_id, p.hdr.node_id, TERND_MESH_NODE_ID_LEN);
		*ret_lease = lm;
		return 1;
	}
	}
	batch_flush(m, &again);
	if (bad) {
		/* The good entries were used; the packet still counts as
		 * malformed so a broken peer shows up in the counters. */
		m->st.rx_malformed++;
		return -EBADMSG;
	}
	return 0;
}

static void expire(struct ternd_mesh *m, int64_t now)
{
	for (uint32_t i = 0; i < m->n_blocks; i++) {
		struct block *b = &m->blocks[i];

		if ((b->state == TERND_MESH_CLAIMED ||
		     b->state == TERND_MESH_TENTATIVE) &&
		    b->timeout <= now)
			set_state(m, i, TERND_MESH_FREE, 0);
	}
}

/*
 * Start claiming up to want FREE blocks: first those holding leases we
 * still have (restored after a restart), then random ones with room. One
 * pass over the table, whatever want is. Returns how many.
 */
static uint32_t start_claims(struct ternd_mesh *m, uint32_t want)
{
	uint32_t start = rnd(m) % m->n_blocks, got = 0, n_spare = 0;
	uint32_t spare[TERND_MESH_SPARE_CANDIDATES];

	for (uint32_t k = 0; k < m->n_blocks && got < want; k++) {
		uint32_t i = (start + k) % m->n_blocks;
		uint32_t f, l;

		if (m->blocks[i].state != TERND_MESH_FREE)
			continue;
		usage_of(m, i, &f, &l);
		if (l) {
			set_state(m, i, TERND_MESH_CLAIMING, 0);
			got++;
		} else if (f && n_spare < TERND_MESH_SPARE_CANDIDATES) {
			spare[n_spare++] = i;
		}
	}
	for (uint32_t k = 0; k < n_spare && got < want; k++, got++)
		set_state(m, spare[k], TERND_MESH_CLAIMING, 0);
	return got;
}

/* Keep the spare target: claim when short, mark a surplus block needless. */
static void balance(struct ternd_mesh *m, int64_t now)
{
	uint64_t free_n = 0;
	uint32_t claiming = 0, youngest = UINT32_MAX;
	int64_t young_since = INT64_MIN;
	bool any_needless = false;

	for (uint32_t i = 0; i < m->n_blocks; i++) {
		struct block *b = &m->blocks[i];
		uint32_t f, l;

		if (b->state == TERND_MESH_CLAIMING)
			claiming++;
		if (b->state != TERND_MESH_OURS)
			continue;
		usage_of(m, i, &f, &l);
		if (b->needless && (l || b->needless_at <= now)) {
			if (l) {
				b->needless = false; /* in use again */
			} else {
				set_state(m, i, TERND_MESH_FREE, 0);
				continue;
			}
		}
		free_n += f;
		any_needless |= b->needless;
		if (!b->needless && l == 0 && b->since >= young_since) {
			young_since = b->since;
			youngest = i;
		}
	}
	if (free_n < m->cfg.spare_leases) {
		uint64_t deficit = m->cfg.spare_leases - free_n;
		uint64_t want = (deficit + m->blocksize - 1) / m->blocksize;

		/* A needless block is the cheapest supply. */
		for (uint32_t i = 0; i < m->n_blocks && any_needless; i++)
			if (m->blocks[i].state == TERND_MESH_OURS)
				m->blocks[i].needless = false;
		if (claiming < want)
			(void)start_claims(m, (uint32_t)(want - claiming));
		return;
	}
	if (!any_needless && youngest != UINT32_MAX &&
	    free_n >= (uint64_t)m->cfg.spare_leases + m->blocksize) {
		m->blocks[youngest].needless = true;
		m->blocks[youngest].needless_at = now + m->cfg.needless_ms;
	}
}

static void claim_step(struct ternd_mesh *m, int64_t now, bool *ret_new)
{
	uint32_t inq[TERND_MESH_MAX_ENTRIES];
	size_t n = 0;

	for (uint32_t i = 0; i < m->n_blocks; i++) {
		struct block *b = &m->blocks[i];

		if (b->state != TERND_MESH_CLAIMING)
			continue;
		if (b->inquiries >= CLAIM_INQUIRIES) {
			set_state(m, i, TERND_MESH_OURS,
				  now + m->cfg.block_timeout_ms);
			b->since = now;
			*ret_new = true;
			continue;
		}
		b->inquiries++;
		inq[n++] = i;
		if (n == TERND_MESH_MAX_ENTRIES) {
			push_inquire(m, inq, n);
			n = 0;
		}
	}
	if (n)
		push_inquire(m, inq, n);
}

static void refresh(struct ternd_mesh *m, int64_t now, bool force)
{
	struct claim_batch cb = {.n = 0};
	int64_t keep = (int64_t)m->cfg.block_timeout_ms -
		       (int64_t)m->cfg.block_timeout_ms /
			       (int64_t)m->cfg.refresh_factor;
	bool due = force;

	for (uint32_t i = 0; i < m->n_blocks && !due; i++)
		if (m->blocks[i].state == TERND_MESH_OURS &&
		    m->blocks[i].timeout - now < keep)
			due = true;
	if (!due)
		return;
	for (uint32_t i = 0; i < m->n_blocks; i++) {
		if (m->blocks[i].state != TERND_MESH_OURS)
			continue;
		m->blocks[i].timeout = now + m->cfg.block_timeout_ms;
		batch_add(m, &cb, i);
	}
	batch_flush(m, &cb);
}

int ternd_mesh_tick(struct ternd_mesh *m, int64_t now_ms)
{
	bool gained = false;
	int ended = 0;

	expire(m, now_ms);
	if (m->learning) {
		if (now_ms < m->learn_end) {
			m->next_tick = m->learn_end;
			return 0;
		}
		m->learning = false;
		ended = 1;
	}
	balance(m, now_ms);
	claim_step(m, now_ms, &gained);
	refresh(m, now_ms, gained);
	m->next_tick = now_ms + m->cfg.tentative_ms / 2;
	return ended;
}

int64_t ternd_mesh_next_tick(const struct ternd_mesh *m)
{
	return m->next_tick;
}

bool ternd_mesh_learning(const struct ternd_mesh *m)
{
	return m->learning;
}

bool ternd_mesh_pop_out(struct ternd_mesh *m, struct ternd_mesh_out *ret)
{
	if (!m->out_n)
		return false;
	*ret = m->out[m->out_head];
	m->out_head = (m->out_head + 1) % TERND_MESH_OUTBOX;
	m->out_n--;
	return true;
}

bool ternd_mesh_pop_change(struct ternd_mesh *m, uint32_t *ret_block,
			   bool *ret_ours)
{
	if (!m->n_dirty)
		return false;
	for (uint32_t i = 0; i < m->n_blocks; i++) {
		if (!m->blocks[i].dirty)
			continue;
		m->blocks[i].dirty = false;
		m->n_dirty--;
		*ret_block = i;
		*ret_ours = m->blocks[i].state == TERND_MESH_OURS;
		return true;
	}
	m->n_dirty = 0; /* unreachable: the count tracks the flags */
	return false;
}

int ternd_mesh_send_lease(struct ternd_mesh *m, uint8_t command,
			  const uint8_t dst[16],
			  const struct ternd_mesh_lease *l)
{
	struct ternd_mesh_hdr h = m->hdr;
	struct ternd_mesh_out *o;
	int len;

	h.command = command;
	o = out_slot(m);
	if (!o)
		return -ENOBUFS;
	len = ternd_mesh_build_lease(o->buf, sizeof(o->buf), &h, l);
	if (len < 0)
		return len;
	o->unicast = true;
	memcpy(o->dst, dst, 16);
	o->len = (uint16_t)len;
	m->out_n++;
	m->st.tx_packets++;
	return 0;
}

int ternd_mesh_block_of(const struct ternd_mesh *m, uint32_t addr,
			uint32_t *ret_block)
{
	uint64_t off;

	if (addr < m->cfg.network)
		return -ENOENT;
	off = (uint64_t)addr - m->cfg.network;
	if (off >= (uint64_t)m->n_blocks * m->blocksize)
		return -ENOENT;
	*ret_block = (uint32_t)(off / m->blocksize);
	return 0;
}

int ternd_mesh_block(const struct ternd_mesh *m, uint32_t block,
		     struct ternd_mesh_block_info *ret)
{
	const struct block *b;

	if (block >= m->n_blocks)
		return -ENOENT;
	b = &m->blocks[block];
	ret->index = block;
	ret->first = block_first(m, block);
	ret->state = b->state;
	if (b->state == TERND_MESH_OURS || b->state == TERND_MESH_CLAIMING)
		memcpy(ret->owner, m->cfg.node_id, TERND_MESH_NODE_ID_LEN);
	else
		memcpy(ret->owner, b->owner, TERND_MESH_NODE_ID_LEN);
	memcpy(ret->owner_addr, b->owner_addr, 16);
	ret->timeout_ms = b->timeout;
	ret->inquiries = b->inquiries;
	ret->needless = b->needless;
	return 0;
}

uint32_t ternd_mesh_n_blocks(const struct ternd_mesh *m)
{
	return m->n_blocks;
}

uint32_t ternd_mesh_blocksize(const struct ternd_mesh *m)
{
	return m->blocksize;
}

const struct ternd_mesh_stats *ternd_mesh_stats(const struct ternd_mesh *m)
{
	return &m->st;
}
