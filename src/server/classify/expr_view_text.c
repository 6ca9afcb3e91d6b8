/* ternd classification: .text of a received option, the toString() of the
 * object Kea 2.2 builds from it (expr_view.c's instances and sub-options,
 * expr_text.c's forms). */
#include <errno.h>
#include <string.h>

#include "server/classify/expr_view.h"

/* Option::suboptionsToText(2) over sub-options packed in code order. */
static int groups_text(struct texpr_arena *a, const struct texpr_groups *g,
		       const uint8_t *packed, enum texpr_kind parent,
		       uint32_t ent)
{
	size_t pos = 0, end = texpr_packed_len(g, false);

	if (!g->n_all)
		return 0;
	if (texpr_printf(a, ",\noptions:") < 0)
		return -ENOBUFS;
	while (pos < end) {
		uint8_t c = packed[pos];
		struct texpr_str s;
		enum texpr_kind k;

		s.p = packed + pos + 2;
		s.len = g->fuse ? g->len[c] : packed[pos + 1];
		pos += 2 + (size_t)s.len;
		k = g->fuse && g->count[c] > 1 ? TEXPR_K_RAW
					       : texpr_sub_kind(parent, ent, c);
		if (texpr_printf(a, "\n") < 0 ||
		    texpr_text_sub(a, 2, c, k, s) < 0)
			return -ENOBUFS;
	}
	return 0;
}

/* The result was written from start on, after values it was made from
 * that start at base: move it down to base. */
static int done(struct texpr_arena *a, uint32_t base, uint32_t start,
		struct texpr_str *ret)
{
	uint32_t n = a->top - start;

	memmove(a->buf + base, a->buf + start, n);
	a->top = base + n;
	ret->p = a->buf + base;
	ret->len = n;
	return 1;
}

/* OptionVendorClass::toText. */
static int vivco_text(struct texpr_arena *a, uint8_t code, struct texpr_str p)
{
	struct texpr_str d;
	uint32_t ent = texpr_be32(p.p);
	size_t off = 0, len = 4;
	unsigned i;

	for (i = 0; texpr_vivco_tuple(p, &off, &d); i++)
		len += (i ? 4 : 0) + 1 + (size_t)d.len;
	if (texpr_printf(a, "type=%u, len=%zu,  enterprise id=0x%x", code, len,
			 ent) < 0)
		return -ENOBUFS;
	off = 0;
	for (i = 0; texpr_vivco_tuple(p, &off, &d); i++) {
		uint8_t *o;

		if (i && texpr_printf(a, ", enterprise id=0x%x", ent) < 0)
			return -ENOBUFS;
		if (texpr_printf(a, ", data-len%u=%u, vendor-class-data%u='", i,
				 d.len, i) < 0)
			return -ENOBUFS;
		o = texpr_alloc(a, (size_t)d.len + 1);
		if (!o)
			return -ENOBUFS;
		memcpy(o, d.p, d.len);
		o[d.len] = '\'';
	}
	return 0;
}

int texpr_opt_text(const struct texpr_view *v, uint8_t code,
		   enum texpr_kind kind, struct texpr_arena *a,
		   struct texpr_str *ret)
{
	uint32_t base = a->top, start, ent;
	const uint8_t *packed = NULL;
	struct texpr_str p, d, subs;
	struct texpr_groups g;
	unsigned n = texpr_inst_count(v, code, kind, &p),
		 w = texpr_kind_width(kind);
	int r;

	if (n == 0)
		return 0;
	if (n > 1) {
		/* a generic Option: its data, then its sub-options */
		if (texpr_fused_value(v, code, kind, a, &d, &g, &packed,
				      false) < 0)
			goto nobufs;
		start = a->top;
		if (texpr_text_generic(a, 0, code, d, d.len + (size_t)g.n_all) <
			    0 ||
		    groups_text(a, &g, packed, TEXPR_K_RAW, 0) < 0)
			goto nobufs;
		return done(a, base, start, ret);
	}
	switch (kind) {
	case TEXPR_K_STRING:
		*ret = p;
		return 1;
	case TEXPR_K_U8:
	case TEXPR_K_U16:
	case TEXPR_K_U32:
	case TEXPR_K_I32:
		if (p.len < w)
			break;
		/* OptionInt::toText: value (type), then sub-options */
		texpr_groups_collect(&g, v, code, kind);
		if (texpr_arena_pack(a, &g, v, code, kind, false, &packed) < 0)
			goto nobufs;
		start = a->top;
		ent = 0;
		for (unsigned i = 0; i < w; i++)
			ent = ent << 8 | p.p[i];
		if (texpr_text_header(a, 0, code, w + (size_t)g.n_all) < 0 ||
		    (kind == TEXPR_K_I32
			     ? texpr_printf(a, ": %d (int32)", (int32_t)ent)
			     : texpr_printf(a, ": %u (uint%u)", ent, w * 8)) <
			    0 ||
		    groups_text(a, &g, packed, kind, 0) < 0)
			goto nobufs;
		return done(a, base, start, ret);
	case TEXPR_K_CONTAINER:
	case TEXPR_K_CONTAINER43:
	case TEXPR_K_VIVSO:
		/* OptionCustom (empty) and OptionVendor::toText */
		texpr_groups_collect(&g, v, code, kind);
		if (texpr_arena_pack(a, &g, v, code, kind, false, &packed) < 0)
			goto nobufs;
		start = a->top;
		if (kind == TEXPR_K_VIVSO) {
			texpr_vivso_check(p, &ent, &subs);
			r = texpr_text_header(a, 0, code, 5 + (size_t)g.n_all);
			if (r == 0)
				r = texpr_printf(a, ": %u (uint32) %u (uint8)",
						 ent,
						 (unsigned)(uint8_t)g.n_all);
		} else {
			ent = 0;
			r = texpr_text_header(a, 0, code, g.n_all);
			if (r == 0)
				r = texpr_printf(a, ":");
		}
		if (r < 0 || groups_text(a, &g, packed, kind, ent) < 0)
			goto nobufs;
		return done(a, base, start, ret);
	case TEXPR_K_VIVCO:
		if (!texpr_vivco_check(p, v->lenient))
			return 0;
		if (vivco_text(a, code, p) < 0)
			goto nobufs;
		return done(a, base, base, ret);
	default:
		break;
	}
	r = texpr_text_typed(a, 0, code, kind, p);
	if (r < 0) {
		a->top = base;
		return r;
	}
	if (r == 0 && texpr_text_generic(a, 0, code, p, p.len) < 0)
		goto nobufs;
	return done(a, base, base, ret);
nobufs:
	a->top = base;
	return -ENOBUFS;
}

int texpr_subopt_text(const struct texpr_view *v, uint8_t code,
		      enum texpr_kind kind, uint8_t sub, struct texpr_str val,
		      struct texpr_arena *a, struct texpr_str *ret)
{
	uint32_t base = a->top, ent = 0, save = a->top;
	enum texpr_kind k = TEXPR_K_RAW;
	struct texpr_str p, s;
	int r;

	/* Typed only when one instance of one vendor option holds it. */
	if (kind == TEXPR_K_VIVSO && texpr_inst_count(v, code, kind, &p) == 1 &&
	    texpr_vivso_enterprise(v, &ent) > 0) {
		r = texpr_sub_find(v, code, kind, sub, a, &s);
		a->top = save;
		if (r < 0)
			return r;
		if (r == 1)
			k = texpr_sub_kind(kind, ent, sub);
	}
	if (texpr_text_sub(a, 0, sub, k, val) < 0) {
		a->top = base;
		return -ENOBUFS;
	}
	return done(a, base, base, ret);
}
