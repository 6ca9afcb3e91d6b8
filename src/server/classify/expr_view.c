/* ternd classification: a received packet's options as Kea 2.2 decodes them:
 * the instances it builds objects from, RFC 3925 vendor options, sub-options,
 * fusing and re-encoding (.exists, .hex and the vendor, message type
 * readers). .text is expr_view_text.c, pkt.len expr_pkt_len.c. */
#include <errno.h>
#include <string.h>

#include "server/classify/expr_view.h"

/*
 * Kea does not keep the bytes it received: it builds an object per option
 * from its definition, .hex is that object re-encoded (toBinary), .text
 * its toString(), and pkt.len the sum of their lengths. For well-formed
 * options of the common kinds that is the payload. The differences a
 * client or relay can trigger are reproduced here:
 *  - only the options area counts: Kea 2.2 ignores option overload;
 *  - a malformed option 125 hides every option after it (Kea stops
 *    parsing with SkipRemainingOptionsError and goes on with the rest);
 *  - string options lose trailing NULs, and are skipped when nothing is
 *    left; an empty host name is skipped;
 *  - an integer option longer than its type keeps the rest as
 *    sub-options (OptionInt unpacks them), a single address option drops
 *    it;
 *  - several instances of a code are fused (RFC 3396, fuseOptions4) into a
 *    generic option whose data is what each object kept (nothing for
 *    integers, address lists and vendor options) and whose sub-options
 *    are all of theirs; sub-options of one code are fused alike; but
 *    after a malformed 125 Kea never gets to fusing, and the first
 *    instance is the one it finds;
 *  - sub-options are written back in code order, 53 left out and 82/255
 *    last (LibDHCP::packOptions4 below the top level);
 *  - options 124/125 keep only what the first enterprise number's block
 *    says.
 * Where Kea would refuse the whole packet (a malformed 124, an integer
 * option too short...) the packet is still evaluated here, with the
 * option read as absent (124) or as bytes: the engine decides whether it
 * answers such a packet at all.
 */

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* ------------------------------------------------------------------ */
/* Option 125 and 124 as Kea 2.2 reads one instance. */

/*
 * OptionVendor::unpack: the enterprise number, then one block (data-len,
 * sub-options); later blocks are ignored. Too short, or a block or
 * sub-option running past its end: Kea skips the option and all that
 * follows. *ret_subs is the block's sub-options.
 */
bool texpr_vivso_check(struct texpr_str p, uint32_t *ret_ent,
		       struct texpr_str *ret_subs)
{
	const uint8_t *r = p.p + 4;
	size_t rl, end, off;

	if (p.len < 4)
		return false;
	*ret_ent = texpr_be32(p.p);
	rl = p.len - 4;
	ret_subs->p = r;
	ret_subs->len = 0;
	if (rl == 0)
		return true;
	end = 1 + (size_t)r[0];
	if (end > rl)
		return false;
	for (off = 1; off < end;) {
		if (off + 2 > end || off + 2 + (size_t)r[off + 1] > end)
			return false;
		off += 2 + (size_t)r[off + 1];
	}
	ret_subs->p = r + 1;
	ret_subs->len = (uint32_t)(end - 1);
	return true;
}

/*
 * OptionVendorClass::unpack: the first enterprise number, then tuples
 * (length, data), the enterprise number before each later tuple skipped
 * (assumed equal). Its checks as they are: at least two bytes must follow
 * a later enterprise number. Failing makes Kea drop the packet. With
 * lenient-option-parsing a tuple longer than what is left takes the rest
 * (OpaqueDataTuple::unpack), which ends the option.
 */
bool texpr_vivco_check(struct texpr_str p, bool lenient)
{
	size_t off = 0, bl;
	const uint8_t *b = p.p + 4;

	if (p.len < 4)
		return false;
	bl = p.len - 4;
	while (off < bl) {
		if (bl - off - 1 < b[off]) {
			if (!lenient)
				return false;
			break;
		}
		off += 1 + (size_t)b[off];
		if (off != bl) {
			off += 4;
			if (off + 1 >= bl)
				return false;
		}
	}
	return true;
}

/* The tuples of a checked option 124 value (a lenient tuple: the rest). */
bool texpr_vivco_tuple(struct texpr_str p, size_t *off, struct texpr_str *ret)
{
	const uint8_t *b = p.p + 4;
	size_t bl = p.len - 4;

	if (*off >= bl)
		return false;
	ret->p = b + *off + 1;
	ret->len = b[*off];
	if (ret->len > bl - *off - 1)
		ret->len = (uint32_t)(bl - *off - 1);
	*off += 1 + (size_t)ret->len;
	if (*off != bl)
		*off += 4;
	return true;
}

void texpr_view_init(struct texpr_view *v, const struct tern_dhcp4_msg *m,
		     bool scan)
{
	struct texpr_str subs, p;
	uint32_t ent;

	v->m = m;
	v->cut = m->n_opts;
	v->fuse = true;
	v->lenient = false;
	if (!scan || !tern_dhcp4_has_opt(m, TERN_DHCP4_OPT_VIVSO))
		return;
	for (unsigned i = 0; i < m->n_opts; i++) {
		const struct tern_dhcp4_opt_ref *o = &m->opts[i];

		if (o->code != TERN_DHCP4_OPT_VIVSO ||
		    o->off < TERN_DHCP4_OPTS_OFF)
			continue;
		p.p = m->buf + o->off;
		p.len = o->len;
		if (!texpr_vivso_check(p, &ent, &subs)) {
			v->cut = i;
			v->fuse = false;
			return;
		}
	}
}

/* ------------------------------------------------------------------ */
/* Instances and sub-options. */

/* OptionString::unpack: trailing NULs go, nothing left skips it. */
static bool trim_nuls(struct texpr_str *p)
{
	while (p->len && p->p[p->len - 1] == 0)
		p->len--;
	return p->len > 0;
}

/* The next instance of code Kea builds an object from (at or after *i). */
bool texpr_inst_next(const struct texpr_view *v, uint8_t code,
		     enum texpr_kind kind, unsigned *i, struct texpr_str *ret)
{
	const struct tern_dhcp4_msg *m = v->m;

	for (; *i < v->cut; (*i)++) {
		const struct tern_dhcp4_opt_ref *o = &m->opts[*i];

		if (o->code != code || o->off < TERN_DHCP4_OPTS_OFF)
			continue;
		if (code == TERN_DHCP4_OPT_HOST_NAME && o->len == 0)
			continue; /* Kea drops an empty host name */
		ret->p = m->buf + o->off;
		ret->len = o->len;
		if (kind == TEXPR_K_STRING && !trim_nuls(ret))
			continue;
		(*i)++;
		return true;
	}
	return false;
}

/* How many objects Kea has for code, and the first one. */
unsigned texpr_inst_count(const struct texpr_view *v, uint8_t code,
			  enum texpr_kind kind, struct texpr_str *first)
{
	struct texpr_str p;
	unsigned i = 0, n = 0;

	first->p = NULL;
	first->len = 0;
	if (!tern_dhcp4_has_opt(v->m, code))
		return 0;
	while (texpr_inst_next(v, code, kind, &i, &p)) {
		if (n++ == 0)
			*first = p;
		if (!v->fuse)
			break; /* Kea's getOption() finds the first */
	}
	return n;
}

/* Where one object keeps its sub-options, if anywhere. */
bool texpr_sub_region(enum texpr_kind k, struct texpr_str p,
		      struct texpr_str *ret)
{
	uint32_t ent;
	unsigned w;

	switch (k) {
	case TEXPR_K_CONTAINER:
	case TEXPR_K_CONTAINER43:
		*ret = p;
		return true;
	case TEXPR_K_VIVSO:
		return texpr_vivso_check(p, &ent, ret);
	default:
		w = texpr_kind_width(k);
		if (!texpr_kind_is_int(k) || p.len < w)
			return false;
		ret->p = p.p + w;
		ret->len = p.len - w;
		return true;
	}
}

/*
 * Sub-options of an option object: the regions of every instance, each
 * parsed on its own. A truncated sub-option ends its instance (Kea keeps
 * what came before).
 */
struct subit {
	const struct texpr_view *v;
	uint8_t code;
	enum texpr_kind kind;
	unsigned inst;
	struct texpr_str cur;
	size_t pos;
	bool stop;
	bool loaded; /* an instance was taken (one only when not fusing) */
};

static void subit_init(struct subit *it, const struct texpr_view *v,
		       uint8_t code, enum texpr_kind kind)
{
	memset(it, 0, sizeof(*it));
	it->v = v;
	it->code = code;
	it->kind = kind;
	it->stop = true;
}

static bool subit_next(struct subit *it, uint8_t *ret_code,
		       struct texpr_str *ret)
{
	struct texpr_str p;
	const uint8_t *d;
	uint8_t l;

	for (;;) {
		if (it->stop || it->pos >= it->cur.len) {
			if (it->loaded && !it->v->fuse)
				return false;
			do {
				if (!texpr_inst_next(it->v, it->code, it->kind,
						     &it->inst, &p))
					return false;
				it->loaded = true;
			} while (!texpr_sub_region(it->kind, p, &it->cur) &&
				 it->v->fuse);
			if (!it->v->fuse &&
			    !texpr_sub_region(it->kind, p, &it->cur))
				return false;
			it->pos = 0;
			it->stop = false;
			continue;
		}
		if (it->kind == TEXPR_K_CONTAINER43) {
			uint8_t c = it->cur.p[it->pos];

			if (c == 0) {
				it->pos++;
				continue;
			}
			if (c == 255) {
				it->stop = true;
				continue;
			}
		}
		if (tern_dhcp4_subopt_next(it->cur.p, it->cur.len, &it->pos,
					   ret_code, &d, &l) <= 0) {
			it->stop = true;
			continue;
		}
		ret->p = d;
		ret->len = l;
		return true;
	}
}

static bool bit(const uint64_t *set, unsigned c)
{
	return (set[c >> 6] >> (c & 63)) & 1;
}

/* Bytes code c takes once written: one header if fused, else each. */
static size_t group_size(const struct texpr_groups *g, unsigned c)
{
	return (g->fuse ? 2 : 2 * (size_t)g->count[c]) + g->len[c];
}

void texpr_groups_collect(struct texpr_groups *g, const struct texpr_view *v,
			  uint8_t code, enum texpr_kind kind)
{
	struct subit it;
	struct texpr_str s;
	uint8_t c;

	memset(g->seen, 0, sizeof(g->seen));
	g->n_all = 0;
	g->fuse = v->fuse;
	subit_init(&it, v, code, kind);
	while (subit_next(&it, &c, &s)) {
		if (!bit(g->seen, c)) {
			g->seen[c >> 6] |= 1ull << (c & 63);
			g->len[c] = 0;
			g->count[c] = 0;
		}
		g->len[c] += s.len;
		g->count[c]++;
	}
	for (unsigned c2 = 0; c2 < 256; c2++)
		if (bit(g->seen, c2))
			g->n_all += (uint32_t)group_size(g, c2);
}

/*
 * The k-th code sub-options are written in, or -1: LibDHCP::packOptions4
 * below the top level writes them in code order except 82 and 255 last,
 * and leaves 53 out (only the top-level call writes the message type).
 * toText lists them all in code order.
 */
static int order_code(unsigned k, bool kea_pack)
{
	if (!kea_pack)
		return k < 256 ? (int)k : -1;
	if (k < 256)
		return k == 53 || k == 82 || k == 255 ? -1 : (int)k;
	return k == 256 ? 82 : 255;
}

size_t texpr_packed_len(const struct texpr_groups *g, bool kea_pack)
{
	size_t n = 0;

	for (unsigned k = 0; k < 258; k++) {
		int c = order_code(k, kea_pack);

		if (c >= 0 && bit(g->seen, (unsigned)c))
			n += group_size(g, (unsigned)c);
	}
	return n;
}

/* Writes the sub-options with their headers at out (packed_len bytes); a
 * fused one's length byte is its length modulo 256, as Kea writes it
 * without its check. */
static void pack_groups(const struct texpr_groups *g,
			const struct texpr_view *v, uint8_t code,
			enum texpr_kind kind, bool kea_pack, uint8_t *out)
{
	uint32_t at[256];
	struct subit it;
	struct texpr_str s;
	size_t pos = 0;
	uint8_t c;

	for (unsigned k = 0; k < 258; k++) {
		int sc = order_code(k, kea_pack);

		if (sc < 0 || !bit(g->seen, (unsigned)sc))
			continue;
		at[sc] = (uint32_t)pos;
		if (g->fuse) {
			out[pos] = (uint8_t)sc;
			out[pos + 1] = (uint8_t)g->len[sc];
			at[sc] += 2;
		}
		pos += group_size(g, (unsigned)sc);
	}
	subit_init(&it, v, code, kind);
	while (subit_next(&it, &c, &s)) {
		if (kea_pack && c == 53)
			continue;
		if (!g->fuse) {
			out[at[c]++] = c;
			out[at[c]++] = (uint8_t)s.len;
		}
		memcpy(out + at[c], s.p, s.len);
		at[c] += s.len;
	}
}

/* Appends the packed sub-options to the arena; *ret_packed where. */
int texpr_arena_pack(struct texpr_arena *a, const struct texpr_groups *g,
		     const struct texpr_view *v, uint8_t code,
		     enum texpr_kind kind, bool kea_pack,
		     const uint8_t **ret_packed)
{
	uint8_t *out = texpr_alloc(a, texpr_packed_len(g, kea_pack));

	if (!out)
		return -ENOBUFS;
	pack_groups(g, v, code, kind, kea_pack, out);
	*ret_packed = out;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Option objects. */

/* A fused option: what each instance kept, then its sub-options. */
int texpr_fused_value(const struct texpr_view *v, uint8_t code,
		      enum texpr_kind kind, struct texpr_arena *a,
		      struct texpr_str *ret_data, struct texpr_groups *g,
		      const uint8_t **ret_packed, bool kea_pack)
{
	struct texpr_str p, d;
	unsigned i = 0;
	size_t n = 0;
	uint8_t *out;

	while (texpr_inst_next(v, code, kind, &i, &p))
		n += texpr_kept_data(kind, p).len;
	out = texpr_alloc(a, n);
	if (!out)
		return -ENOBUFS;
	ret_data->p = out;
	ret_data->len = (uint32_t)n;
	i = 0;
	while (texpr_inst_next(v, code, kind, &i, &p)) {
		d = texpr_kept_data(kind, p);
		memcpy(out, d.p, d.len);
		out += d.len;
	}
	texpr_groups_collect(g, v, code, kind);
	return texpr_arena_pack(a, g, v, code, kind, kea_pack, ret_packed);
}

int texpr_opt_exists(const struct texpr_view *v, uint8_t code,
		     enum texpr_kind kind)
{
	struct texpr_str p;
	unsigned n = texpr_inst_count(v, code, kind, &p);

	if (n == 1 && kind == TEXPR_K_VIVCO &&
	    !texpr_vivco_check(p, v->lenient))
		return 0;
	return n > 0;
}

int texpr_opt_value(const struct texpr_view *v, uint8_t code,
		    enum texpr_kind kind, struct texpr_arena *a,
		    struct texpr_str *ret)
{
	uint32_t base = a->top, start, ent;
	const uint8_t *packed;
	struct texpr_str p, d, subs;
	struct texpr_groups g;
	unsigned n = texpr_inst_count(v, code, kind, &p),
		 w = texpr_kind_width(kind);
	size_t off = 0, t = 0;
	uint8_t *o;

	if (n == 0)
		return 0;
	if (n > 1) {
		if (texpr_fused_value(v, code, kind, a, &d, &g, &packed, true) <
		    0)
			goto nobufs;
		/* data then packed sub-options: already contiguous */
		ret->p = d.p;
		ret->len = a->top - (uint32_t)(d.p - a->buf);
		return 1;
	}
	switch (kind) {
	case TEXPR_K_ADDR1:
	case TEXPR_K_BOOL:
		if (p.len >= w)
			p.len = w; /* OptionCustom keeps one field */
		break;
	case TEXPR_K_U8:
	case TEXPR_K_U16:
	case TEXPR_K_U32:
	case TEXPR_K_I32:
		if (p.len <= w)
			break;
		/* the value, then what the rest parsed to */
		texpr_groups_collect(&g, v, code, kind);
		o = texpr_alloc(a, w);
		if (!o ||
		    texpr_arena_pack(a, &g, v, code, kind, true, &packed) < 0)
			goto nobufs;
		memcpy(o, p.p, w);
		p.p = o;
		p.len = a->top - base;
		break;
	case TEXPR_K_CONTAINER:
	case TEXPR_K_CONTAINER43:
		texpr_groups_collect(&g, v, code, kind);
		if (texpr_arena_pack(a, &g, v, code, kind, true, &packed) < 0)
			goto nobufs;
		p.p = packed;
		p.len = a->top - base;
		break;
	case TEXPR_K_VIVSO:
		/* OptionVendor::pack: enterprise, data-len from what it
		 * holds, sub-options */
		texpr_vivso_check(p, &ent, &subs);
		texpr_groups_collect(&g, v, code, kind);
		o = texpr_alloc(a, 5);
		if (!o ||
		    texpr_arena_pack(a, &g, v, code, kind, true, &packed) < 0)
			goto nobufs;
		put_be32(o, ent);
		o[4] = (uint8_t)g.n_all;
		p.p = o;
		p.len = a->top - base;
		break;
	case TEXPR_K_VIVCO:
		/* OptionVendorClass::pack: the first enterprise number
		 * before every tuple */
		if (!texpr_vivco_check(p, v->lenient))
			return 0;
		ent = texpr_be32(p.p);
		for (n = 0; texpr_vivco_tuple(p, &off, &d); n++)
			t += (n ? 4 : 0) + 1 + (size_t)d.len;
		o = texpr_alloc(a, 4 + t);
		if (!o)
			goto nobufs;
		put_be32(o, ent);
		start = 4;
		off = 0;
		for (n = 0; texpr_vivco_tuple(p, &off, &d); n++) {
			if (n) {
				put_be32(o + start, ent);
				start += 4;
			}
			o[start++] = (uint8_t)d.len;
			memcpy(o + start, d.p, d.len);
			start += d.len;
		}
		p.p = o;
		p.len = (uint32_t)(4 + t);
		break;
	default:
		break;
	}
	*ret = p;
	return 1;
nobufs:
	a->top = base;
	return -ENOBUFS;
}

/* The instances of sub in the option's sub-options, fused. Returns how
 * many. */
int texpr_sub_find(const struct texpr_view *v, uint8_t code,
		   enum texpr_kind kind, uint8_t sub, struct texpr_arena *a,
		   struct texpr_str *ret)
{
	struct subit it;
	struct texpr_str s, first = {NULL, 0};
	size_t total = 0;
	unsigned n = 0;
	uint8_t c, *o;

	subit_init(&it, v, code, kind);
	while (subit_next(&it, &c, &s)) {
		if (c != sub)
			continue;
		if (n++ == 0)
			first = s;
		total += s.len;
		if (!v->fuse)
			break;
	}
	if (n <= 1) {
		*ret = first;
		return (int)n;
	}
	o = texpr_alloc(a, total);
	if (!o)
		return -ENOBUFS;
	ret->p = o;
	ret->len = (uint32_t)total;
	subit_init(&it, v, code, kind);
	while (subit_next(&it, &c, &s)) {
		if (c != sub)
			continue;
		memcpy(o, s.p, s.len);
		o += s.len;
	}
	return (int)n;
}

int texpr_subopt_value(const struct texpr_view *v, uint8_t code,
		       enum texpr_kind kind, uint8_t sub, struct texpr_arena *a,
		       struct texpr_str *ret)
{
	int r;

	if (!tern_dhcp4_has_opt(v->m, code))
		return 0;
	r = texpr_sub_find(v, code, kind, sub, a, ret);
	return r > 0 ? 1 : r;
}

int texpr_vivso_enterprise(const struct texpr_view *v, uint32_t *ret)
{
	struct texpr_str p, subs;

	/* Fused, it is no OptionVendor any more. */
	if (texpr_inst_count(v, TERN_DHCP4_OPT_VIVSO, TEXPR_K_VIVSO, &p) != 1)
		return 0;
	return texpr_vivso_check(p, ret, &subs);
}

int texpr_vivco(const struct texpr_view *v, uint32_t *ret_enterprise,
		unsigned idx, struct texpr_str *ret_data)
{
	struct texpr_str p, d;
	size_t off = 0;

	ret_data->p = NULL;
	ret_data->len = 0;
	if (texpr_inst_count(v, TERN_DHCP4_OPT_VIVCO, TEXPR_K_VIVCO, &p) != 1 ||
	    !texpr_vivco_check(p, v->lenient))
		return 0;
	*ret_enterprise = texpr_be32(p.p);
	for (unsigned i = 0; texpr_vivco_tuple(p, &off, &d); i++)
		if (i == idx) {
			*ret_data = d;
			break;
		}
	return 1;
}

int texpr_msgtype(const struct texpr_view *v, uint8_t *ret)
{
	struct texpr_str p;
	unsigned n =
		texpr_inst_count(v, TERN_DHCP4_OPT_MSG_TYPE, TEXPR_K_U8, &p);

	if (n == 0) {
		*ret = 0;
		return 0;
	}
	/* Fused, the generic option kept no data: Kea's getUint8 throws. */
	if (n > 1 || p.len == 0)
		return -EBADMSG;
	*ret = p.p[0];
	return 1;
}

/*
 * Whether Kea 2.2's Pkt4::unpack reads every option 124 of m: each
 * instance it gets to (not after a malformed 125, where it stops) must
 * pass OptionVendorClass::unpack, or Kea drops the packet.
 */
bool ternd_expr_vivco_ok(const struct tern_dhcp4_msg *m, bool lenient)
{
	struct texpr_view v;
	struct texpr_str p;
	unsigned i = 0;

	if (!m || !tern_dhcp4_has_opt(m, TERN_DHCP4_OPT_VIVCO))
		return true;
	texpr_view_init(&v, m, true);
	while (texpr_inst_next(&v, TERN_DHCP4_OPT_VIVCO, TEXPR_K_VIVCO, &i, &p))
		if (!texpr_vivco_check(p, lenient))
			return false;
	return true;
}
