/* ternd classification: pkt.len, Kea 2.2's Pkt4::len(): 236 plus the length
 * of every option object it built from the packet. */
#include "server/classify/expr_view.h"

/* Bytes of the sub-options parsed in a region, each with its header (Kea
 * did not fuse them). */
static uint32_t parsed_len(struct texpr_str r, bool pad_end)
{
	size_t pos = 0;
	uint32_t n = 0;
	const uint8_t *d;
	uint8_t c, l;

	while (pos < r.len) {
		if (pad_end && r.p[pos] == 0) {
			pos++;
			continue;
		}
		if (pad_end && r.p[pos] == 255)
			break;
		if (tern_dhcp4_subopt_next(r.p, r.len, &pos, &c, &d, &l) <= 0)
			break;
		n += 2 + (uint32_t)l;
	}
	return n;
}

/* Option::len() of the object Kea made of one instance when it did not
 * fuse (each instance is then an option of its own in Pkt4::len()). */
static uint32_t inst_len(enum texpr_kind kind, struct texpr_str p, bool lenient)
{
	struct texpr_str r;
	struct texpr_str d;
	size_t off = 0;
	uint32_t len;
	unsigned n;

	switch (kind) {
	case TEXPR_K_ADDR1:
	case TEXPR_K_BOOL:
		return 2 + (p.len >= texpr_kind_width(kind)
				    ? texpr_kind_width(kind)
				    : p.len);
	case TEXPR_K_CONTAINER:
	case TEXPR_K_CONTAINER43:
		return 2 + parsed_len(p, kind == TEXPR_K_CONTAINER43);
	case TEXPR_K_VIVCO:
		if (!texpr_vivco_check(p, lenient))
			return 0;
		len = 2 + 4;
		for (n = 0; texpr_vivco_tuple(p, &off, &d); n++)
			len += (n ? 4 : 0) + 1 + d.len;
		return len;
	default:
		if (kind == TEXPR_K_VIVSO && texpr_sub_region(kind, p, &r))
			return 2 + 5 + parsed_len(r, false);
		if (texpr_kind_is_int(kind) && texpr_sub_region(kind, p, &r))
			return 2 + texpr_kind_width(kind) +
			       parsed_len(r, false);
		return 2 + p.len;
	}
}

/* Option::len() of Kea's object for code, 0 when it has none. */
static uint32_t kea_opt_len(const struct texpr_view *v, uint8_t code,
			    enum texpr_kind kind)
{
	struct texpr_str p, d, subs;
	struct texpr_groups g;
	unsigned n = texpr_inst_count(v, code, kind, &p), i = 0;
	uint32_t len = 2, ent;
	size_t off = 0;

	if (n == 0)
		return 0;
	if (!v->fuse) {
		/* every instance is an option of its own */
		len = 0;
		while (texpr_inst_next(v, code, kind, &i, &d))
			len += inst_len(kind, d, v->lenient);
		return len;
	}
	if (n > 1) {
		while (texpr_inst_next(v, code, kind, &i, &d))
			len += texpr_kept_data(kind, d).len;
		texpr_groups_collect(&g, v, code, kind);
		return len + g.n_all;
	}
	switch (kind) {
	case TEXPR_K_ADDR1:
	case TEXPR_K_BOOL:
		return 2 + (p.len >= texpr_kind_width(kind)
				    ? texpr_kind_width(kind)
				    : p.len);
	case TEXPR_K_U8:
	case TEXPR_K_U16:
	case TEXPR_K_U32:
	case TEXPR_K_I32:
		if (p.len < texpr_kind_width(kind))
			return 2 + p.len;
		texpr_groups_collect(&g, v, code, kind);
		return 2 + texpr_kind_width(kind) + g.n_all;
	case TEXPR_K_CONTAINER:
	case TEXPR_K_CONTAINER43:
		texpr_groups_collect(&g, v, code, kind);
		return 2 + g.n_all;
	case TEXPR_K_VIVSO:
		texpr_vivso_check(p, &ent, &subs);
		texpr_groups_collect(&g, v, code, kind);
		return 2 + 5 + g.n_all;
	case TEXPR_K_VIVCO:
		if (!texpr_vivco_check(p, v->lenient))
			return 0;
		len = 2 + 4;
		for (n = 0; texpr_vivco_tuple(p, &off, &d); n++)
			len += (n ? 4 : 0) + 1 + d.len;
		return len;
	default:
		return 2 + p.len;
	}
}

int texpr_pkt_len(const struct texpr_view *v, const uint8_t kinds[256],
		  struct texpr_arena *a, uint32_t *ret)
{
	uint32_t total = TERN_DHCP4_HDR_LEN;

	(void)a;
	for (unsigned c = 0; c < 256; c++)
		if (tern_dhcp4_has_opt(v->m, (uint8_t)c))
			total += kea_opt_len(v, (uint8_t)c,
					     (enum texpr_kind)kinds[c]);
	*ret = total;
	return 1;
}
