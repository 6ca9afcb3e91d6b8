/* ternd classification internals: the packet view's helpers shared by
 * expr_view.c (instances, sub-options, fusing), expr_view_text.c (.text)
 * and expr_pkt_len.c (pkt.len). */
#ifndef TERND_CLASSIFY_EXPR_VIEW_H
#define TERND_CLASSIFY_EXPR_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/classify/expr_prog.h"

static inline uint32_t texpr_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static inline bool texpr_kind_is_int(enum texpr_kind k)
{
	return k == TEXPR_K_U8 || k == TEXPR_K_U16 || k == TEXPR_K_U32 ||
	       k == TEXPR_K_I32;
}

/* What Option::getData() holds once unpacked, i.e. what a fused option
 * keeps of each instance. */
static inline struct texpr_str texpr_kept_data(enum texpr_kind k,
					       struct texpr_str p)
{
	switch (k) {
	case TEXPR_K_RAW:
	case TEXPR_K_STRING:
	case TEXPR_K_CUSTOM:
	case TEXPR_K_ADDR1:
	case TEXPR_K_BOOL:
	case TEXPR_K_CONTAINER:
	case TEXPR_K_CONTAINER43:
		return p;
	default:
		p.len = 0;
		return p;
	}
}

/* Option 125 / 124 as Kea reads one instance (expr_view.c). */
bool texpr_vivso_check(struct texpr_str p, uint32_t *ret_ent,
		       struct texpr_str *ret_subs);
bool texpr_vivco_check(struct texpr_str p, bool lenient);
bool texpr_vivco_tuple(struct texpr_str p, size_t *off, struct texpr_str *ret);

/* The instances of code Kea builds objects from: the next one at or
 * after *i; how many, and the first. */
bool texpr_inst_next(const struct texpr_view *v, uint8_t code,
		     enum texpr_kind kind, unsigned *i, struct texpr_str *ret);
unsigned texpr_inst_count(const struct texpr_view *v, uint8_t code,
			  enum texpr_kind kind, struct texpr_str *first);
/* Where one object keeps its sub-options, if anywhere. */
bool texpr_sub_region(enum texpr_kind k, struct texpr_str p,
		      struct texpr_str *ret);

/* Sub-options grouped by code: fused by Kea, or (when it did not fuse)
 * kept one by one but still in code order. */
struct texpr_groups {
	uint32_t len[256];   /* data bytes per code */
	uint32_t count[256]; /* instances per code */
	uint64_t seen[4];
	uint32_t n_all; /* Option::len() of them all */
	bool fuse;
};

void texpr_groups_collect(struct texpr_groups *g, const struct texpr_view *v,
			  uint8_t code, enum texpr_kind kind);
/* Bytes of the sub-options once written (kea_pack: as packOptions4). */
size_t texpr_packed_len(const struct texpr_groups *g, bool kea_pack);
/* Appends the packed sub-options to the arena; *ret_packed where. */
int texpr_arena_pack(struct texpr_arena *a, const struct texpr_groups *g,
		     const struct texpr_view *v, uint8_t code,
		     enum texpr_kind kind, bool kea_pack,
		     const uint8_t **ret_packed);
/* A fused option: what each instance kept, then its sub-options. */
int texpr_fused_value(const struct texpr_view *v, uint8_t code,
		      enum texpr_kind kind, struct texpr_arena *a,
		      struct texpr_str *ret_data, struct texpr_groups *g,
		      const uint8_t **ret_packed, bool kea_pack);
/* The instances of sub in the option's sub-options, fused into the
 * arena if several. Returns how many, or -ENOBUFS. */
int texpr_sub_find(const struct texpr_view *v, uint8_t code,
		   enum texpr_kind kind, uint8_t sub, struct texpr_arena *a,
		   struct texpr_str *ret);

#endif
