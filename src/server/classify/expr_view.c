/* ternd classification: a received packet's options as Kea 2.2 decodes them
 * (string trimming, sub-options, RFC 3925 vendor options, re-encoding). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "server/classify/expr_prog.h"

/*
 * Kea does not keep the bytes it received: it builds an object per option
 * from its definition and .hex is that object re-encoded (toBinary), .text
 * its toString(). For well-formed options of the common kinds that is the
 * payload; the differences reproduced here are the ones a client or relay
 * can trigger: trailing NULs of string options, sub-options re-ordered by
 * code and fused, vendor options reduced to their first enterprise block.
 * Options whose parsing makes Kea drop the whole packet (a malformed 124)
 * read as absent: ternd may still answer such a packet.
 */

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Next instance of code at or after *i. Kea drops an empty host name
 * (option 12) when it parses the packet. */
static bool next_inst(const struct tern_dhcp4_msg *m, uint8_t code,
		      unsigned *i, struct texpr_str *ret)
{
	for (; *i < m->n_opts; (*i)++) {
		const struct tern_dhcp4_opt_ref *o = &m->opts[*i];

		if (o->code != code || (code == 12 && o->len == 0))
			continue;
		ret->p = m->buf + o->off;
		ret->len = o->len;
		(*i)++;
		return true;
	}
	return false;
}

/* OptionString::unpack: trailing NULs go, an empty result skips it. */
static bool trim_nuls(struct texpr_str *v)
{
	while (v->len && v->p[v->len - 1] == 0)
		v->len--;
	return v->len > 0;
}

/* All instances of code, concatenated (RFC 3396, Kea's fuseOptions4);
 * string kinds trimmed one by one first. Returns the number of instances
 * that made it: 0 absent. */
static int gather(const struct tern_dhcp4_msg *m, uint8_t code, bool strings,
		  struct texpr_arena *a, struct texpr_str *ret)
{
	struct texpr_str v, first = {NULL, 0};
	unsigned i = 0;
	size_t total = 0;
	int n = 0;
	uint8_t *out;

	if (!tern_dhcp4_has_opt(m, code))
		return 0;
	while (next_inst(m, code, &i, &v)) {
		if (strings && !trim_nuls(&v))
			continue;
		if (n++ == 0)
			first = v;
		total += v.len;
	}
	if (n <= 1) {
		*ret = first;
		return n;
	}
	out = texpr_alloc(a, total);
	if (!out)
		return -ENOBUFS;
	ret->p = out;
	ret->len = (uint32_t)total;
	i = 0;
	while (next_inst(m, code, &i, &v)) {
		if (strings && !trim_nuls(&v))
			continue;
		memcpy(out, v.p, v.len);
		out += v.len;
	}
	return n;
}

/*
 * Sub-options, across every instance of a container option (each instance
 * parsed on its own, as Kea does before fusing) or within one region (the
 * first block of option 125). A truncated sub-option ends its instance:
 * Kea keeps what it parsed before it.
 */
struct subit {
	const struct tern_dhcp4_msg *m; /* NULL: region mode */
	uint8_t code;
	bool pad_end; /* option 43: Pad skipped, End stops */
	bool stop;
	unsigned inst;
	struct texpr_str cur;
	size_t pos;
};

static void subit_opt(struct subit *it, const struct tern_dhcp4_msg *m,
		      uint8_t code, enum texpr_kind kind)
{
	memset(it, 0, sizeof(*it));
	it->m = m;
	it->code = code;
	it->pad_end = kind == TEXPR_K_CONTAINER43;
	it->stop = true; /* no instance loaded yet */
}

static void subit_region(struct subit *it, struct texpr_str r)
{
	memset(it, 0, sizeof(*it));
	it->cur = r;
}

static bool subit_next(struct subit *it, uint8_t *ret_code,
		       struct texpr_str *ret)
{
	const uint8_t *d;
	uint8_t l;

	for (;;) {
		if (it->stop || it->pos >= it->cur.len) {
			if (!it->m || !next_inst(it->m, it->code, &it->inst,
						 &it->cur))
				return false;
			it->pos = 0;
			it->stop = false;
			continue;
		}
		if (it->pad_end) {
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

/* Per sub-option code: total length once fused, and whether present. */
struct groups {
	uint32_t len[256];
	uint64_t seen[4];
	uint32_t n_all; /* Kea's len() of them all: sum of 2 + len */
};

static bool group_seen(const struct groups *g, unsigned c)
{
	return (g->seen[c >> 6] >> (c & 63)) & 1;
}

static void groups_collect(struct groups *g, struct subit *it)
{
	struct texpr_str v;
	uint8_t c;

	memset(g->seen, 0, sizeof(g->seen));
	g->n_all = 0;
	while (subit_next(it, &c, &v)) {
		if (!group_seen(g, c)) {
			g->seen[c >> 6] |= 1ull << (c & 63);
			g->len[c] = 0;
			g->n_all += 2;
		}
		g->len[c] += v.len;
		g->n_all += v.len;
	}
}

/*
 * The k-th code in which sub-options are written, or -1. As Kea's
 * LibDHCP::packOptions4 for sub-options (kea_order): code order, except
 * that 82 and 255 go last and 53 is left out (only the top-level call
 * writes the message type). Otherwise plain code order (toText).
 */
static int order_code(unsigned k, bool kea_order)
{
	if (!kea_order)
		return k < 256 ? (int)k : -1;
	if (k < 256)
		return k == 53 || k == 82 || k == 255 ? -1 : (int)k;
	return k == 256 ? 82 : 255;
}

static size_t packed_len(const struct groups *g, bool kea_order)
{
	size_t n = 0;

	for (unsigned k = 0; k < 258; k++) {
		int c = order_code(k, kea_order);

		if (c >= 0 && group_seen(g, (unsigned)c))
			n += 2 + (size_t)g->len[c];
	}
	return n;
}

/* Writes the fused sub-options, each with its header (length byte modulo
 * 256, as Kea writes it without its check), at out: packed_len bytes. it
 * is a fresh iterator over the options groups_collect saw. */
static void pack_groups(const struct groups *g, struct subit *it,
			bool kea_order, uint8_t *out)
{
	uint32_t at[256];
	struct texpr_str v;
	size_t pos = 0;
	uint8_t c;

	for (unsigned k = 0; k < 258; k++) {
		int code = order_code(k, kea_order);

		if (code < 0 || !group_seen(g, (unsigned)code))
			continue;
		out[pos] = (uint8_t)code;
		out[pos + 1] = (uint8_t)g->len[code];
		at[code] = (uint32_t)pos + 2;
		pos += 2 + (size_t)g->len[code];
	}
	while (subit_next(it, &c, &v)) {
		if (kea_order && c == 53)
			continue;
		memcpy(out + at[c], v.p, v.len);
		at[c] += v.len;
	}
}

/* Appends "xx:yy:zz" for v at out (3 * len - 1 bytes). */
static size_t hex_colons(uint8_t *out, struct texpr_str v)
{
	static const char digits[] = "0123456789abcdef";
	size_t n = 0;

	for (uint32_t i = 0; i < v.len; i++) {
		if (i)
			out[n++] = ':';
		out[n++] = (uint8_t)digits[v.p[i] >> 4];
		out[n++] = (uint8_t)digits[v.p[i] & 15];
	}
	return n;
}

/* snprintf appended to the arena. */
__attribute__((format(printf, 2, 3))) static int
arena_printf(struct texpr_arena *a, const char *fmt, ...)
{
	va_list ap;
	int n;
	size_t room = a->cap - a->top;

	va_start(ap, fmt);
	n = vsnprintf((char *)a->buf + a->top, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= room)
		return -ENOBUFS;
	a->top += (uint32_t)n;
	return 0;
}

static int arena_hex(struct texpr_arena *a, struct texpr_str v)
{
	uint8_t *out = texpr_alloc(a, v.len ? (size_t)v.len * 3 - 1 : 0);

	if (!out)
		return -ENOBUFS;
	hex_colons(out, v);
	return 0;
}

int texpr_generic_text(uint8_t code, struct texpr_str v,
		       struct texpr_arena *a, struct texpr_str *ret)
{
	uint32_t start = a->top;

	if (arena_printf(a, "type=%03u, len=%03u: ", code, v.len) < 0 ||
	    arena_hex(a, v) < 0) {
		a->top = start;
		return -ENOBUFS;
	}
	ret->p = a->buf + start;
	ret->len = a->top - start;
	return 1;
}

/* Option::suboptionsToText(2) over sub-options packed in code order. */
static int groups_text(struct texpr_arena *a, const struct groups *g,
		       const uint8_t *packed)
{
	size_t pos = 0;

	if (!g->n_all)
		return 0;
	if (arena_printf(a, ",\noptions:") < 0)
		return -ENOBUFS;
	for (unsigned c = 0; c < 256; c++) {
		struct texpr_str v;

		if (!group_seen(g, c))
			continue;
		v.p = packed + pos + 2;
		v.len = g->len[c];
		pos += 2 + (size_t)v.len;
		if (arena_printf(a, "\n  type=%03u, len=%03u: ", c, v.len) <
			    0 ||
		    arena_hex(a, v) < 0)
			return -ENOBUFS;
	}
	return 0;
}

/*
 * Option 125 as OptionVendor::unpack reads it in 2.2: the enterprise number
 * of the first block and that block's sub-options only. A block running
 * past the option or a truncated sub-option makes Kea skip the option.
 * Kea keeps the block end in a uint8_t, so a data-len of 255 yields no
 * sub-options at all: reproduced.
 */
static int vivso_parse(const struct tern_dhcp4_msg *m, struct texpr_arena *a,
		       uint32_t *ret_ent, struct texpr_str *ret_subs)
{
	struct texpr_str v, rest;
	uint8_t end8;
	size_t off;
	int r;

	r = gather(m, TERN_DHCP4_OPT_VIVSO, false, a, &v);
	if (r <= 0)
		return r;
	if (v.len < 4)
		return 0;
	*ret_ent = be32(v.p);
	rest.p = v.p + 4;
	rest.len = v.len - 4;
	ret_subs->p = rest.p;
	ret_subs->len = 0;
	if (rest.len == 0)
		return 1;
	if (1 + (size_t)rest.p[0] > rest.len)
		return 0;
	end8 = (uint8_t)(1 + rest.p[0]);
	off = 1;
	while (off < end8) {
		off++;
		if (off + 1 > end8)
			return 0;
		off += 1 + (size_t)rest.p[off];
		if (off > end8)
			return 0;
	}
	if (end8 > 1) {
		ret_subs->p = rest.p + 1;
		ret_subs->len = end8 - 1u;
	}
	return 1;
}

/*
 * Option 124 as OptionVendorClass::unpack reads it in 2.2: the first
 * enterprise number, then length-prefixed data, each later block's
 * enterprise number skipped (assumed equal). Anything truncated makes Kea
 * drop the packet; here the option reads as absent. Returns the number of
 * tuples + 1 (so 0 stays "absent"), tuple idx in *ret_data when it exists.
 */
static int vivco_parse(const struct tern_dhcp4_msg *m, struct texpr_arena *a,
		       uint32_t *ret_ent, unsigned idx,
		       struct texpr_str *ret_data, struct texpr_str *ret_all)
{
	struct texpr_str v;
	size_t off = 0, bl;
	const uint8_t *b;
	unsigned n = 0;
	int r;

	r = gather(m, TERN_DHCP4_OPT_VIVCO, false, a, &v);
	if (r <= 0)
		return r;
	if (v.len < 4)
		return 0;
	*ret_ent = be32(v.p);
	b = v.p + 4;
	bl = v.len - 4;
	if (ret_data)
		ret_data->p = NULL, ret_data->len = 0;
	while (off < bl) {
		size_t l = b[off];

		if (bl - off - 1 < l)
			return 0;
		if (ret_data && n == idx) {
			ret_data->p = b + off + 1;
			ret_data->len = (uint32_t)l;
		}
		n++;
		off += 1 + l;
		if (off != bl) {
			off += 4;
			if (off + 1 >= bl)
				return 0;
		}
	}
	if (ret_all)
		*ret_all = v;
	return (int)n + 1;
}

/* Walks the tuples of a validated option 124 value v. */
static bool vivco_tuple(struct texpr_str v, size_t *off, struct texpr_str *ret)
{
	const uint8_t *b = v.p + 4;
	size_t bl = v.len - 4;

	if (*off >= bl)
		return false;
	ret->p = b + *off + 1;
	ret->len = b[*off];
	*off += 1 + (size_t)ret->len;
	if (*off != bl)
		*off += 4;
	return true;
}

/* OptionVendorClass::pack: every tuple gets the first enterprise number. */
static int vivco_pack(struct texpr_str v, uint32_t ent, struct texpr_arena *a,
		      struct texpr_str *ret)
{
	struct texpr_str d;
	size_t off = 0, n = 4;
	unsigned t = 0;
	uint8_t *out;

	while (vivco_tuple(v, &off, &d))
		n += (t++ ? 4 : 0) + 1 + (size_t)d.len;
	out = texpr_alloc(a, n);
	if (!out)
		return -ENOBUFS;
	put_be32(out, ent);
	ret->p = out;
	ret->len = (uint32_t)n;
	off = 0;
	n = 4;
	t = 0;
	while (vivco_tuple(v, &off, &d)) {
		if (t++) {
			put_be32(out + n, ent);
			n += 4;
		}
		out[n++] = (uint8_t)d.len;
		memcpy(out + n, d.p, d.len);
		n += d.len;
	}
	return 1;
}

static bool has_inst(const struct tern_dhcp4_msg *m, uint8_t code)
{
	struct texpr_str v;
	unsigned i = 0;

	return tern_dhcp4_has_opt(m, code) && next_inst(m, code, &i, &v);
}

static void subit_for(struct subit *it, const struct tern_dhcp4_msg *m,
		      uint8_t code, enum texpr_kind kind,
		      struct texpr_str region)
{
	if (kind == TEXPR_K_VIVSO)
		subit_region(it, region);
	else
		subit_opt(it, m, code, kind);
}

/* The fused sub-options of a container or of 125's first block, packed
 * after head bytes left for the caller. */
static int pack_subs(const struct tern_dhcp4_msg *m, uint8_t code,
		     enum texpr_kind kind, struct texpr_str region,
		     bool kea_order, size_t head, struct texpr_arena *a,
		     struct texpr_str *ret, struct groups *g)
{
	struct subit it;
	uint8_t *out;
	size_t n;

	subit_for(&it, m, code, kind, region);
	groups_collect(g, &it);
	n = packed_len(g, kea_order);
	out = texpr_alloc(a, head + n);
	if (!out)
		return -ENOBUFS;
	subit_for(&it, m, code, kind, region);
	pack_groups(g, &it, kea_order, out + head);
	ret->p = out;
	ret->len = (uint32_t)(head + n);
	return 1;
}

int texpr_opt_value(const struct tern_dhcp4_msg *m, uint8_t code,
		    enum texpr_kind kind, struct texpr_arena *a,
		    struct texpr_str *ret, bool *ret_fused)
{
	struct texpr_str subs = {NULL, 0}, v;
	struct groups g;
	uint32_t ent;
	int r;

	*ret_fused = false;
	switch (kind) {
	case TEXPR_K_RAW:
	case TEXPR_K_STRING:
		r = gather(m, code, kind == TEXPR_K_STRING, a, ret);
		*ret_fused = r > 1;
		return r > 0 ? 1 : r;
	case TEXPR_K_CONTAINER:
	case TEXPR_K_CONTAINER43:
		if (!has_inst(m, code))
			return 0;
		return pack_subs(m, code, kind, subs, true, 0, a, ret, &g);
	case TEXPR_K_VIVSO:
		r = vivso_parse(m, a, &ent, &subs);
		if (r <= 0)
			return r;
		r = pack_subs(m, code, kind, subs, true, 5, a, ret, &g);
		if (r <= 0)
			return r;
		/* OptionVendor::pack: data-len from what it holds. */
		put_be32((uint8_t *)ret->p, ent);
		((uint8_t *)ret->p)[4] = (uint8_t)g.n_all;
		return 1;
	case TEXPR_K_VIVCO:
		r = vivco_parse(m, a, &ent, 0, NULL, &v);
		if (r <= 0)
			return r;
		return vivco_pack(v, ent, a, ret);
	}
	return 0;
}

/* The text was written from text_start on, above values it was made
 * from: move it down to start, releasing them. */
static int text_done(struct texpr_arena *a, uint32_t start,
		     uint32_t text_start, struct texpr_str *ret)
{
	uint32_t n = a->top - text_start;

	memmove(a->buf + start, a->buf + text_start, n);
	a->top = start + n;
	ret->p = a->buf + start;
	ret->len = n;
	return 1;
}

int texpr_opt_text(const struct tern_dhcp4_msg *m, uint8_t code,
		   enum texpr_kind kind, struct texpr_arena *a,
		   struct texpr_str *ret)
{
	struct texpr_str v, subs = {NULL, 0}, d;
	struct groups g;
	uint32_t start = a->top, text_start, ent;
	size_t off = 0;
	unsigned i = 0;
	bool fused;
	int r;

	switch (kind) {
	case TEXPR_K_RAW:
	case TEXPR_K_STRING:
		r = texpr_opt_value(m, code, kind, a, &v, &fused);
		if (r <= 0)
			return r;
		/* A string option stays an OptionString unless Kea fused
		 * several instances into a generic option. */
		if (kind == TEXPR_K_STRING && !fused) {
			*ret = v;
			return 1;
		}
		text_start = a->top;
		if (texpr_generic_text(code, v, a, &d) < 0)
			goto nobufs;
		return text_done(a, start, text_start, ret);
	case TEXPR_K_CONTAINER:
	case TEXPR_K_CONTAINER43:
	case TEXPR_K_VIVSO:
		/* OptionCustom (empty type) and OptionVendor toText. */
		if (kind == TEXPR_K_VIVSO) {
			r = vivso_parse(m, a, &ent, &subs);
			if (r <= 0)
				return r;
		} else if (!has_inst(m, code)) {
			return 0;
		}
		r = pack_subs(m, code, kind, subs, false, 0, a, &v, &g);
		if (r <= 0)
			goto fail;
		text_start = a->top;
		if (kind == TEXPR_K_VIVSO)
			r = arena_printf(a,
					 "type=%03u, len=%03u: %u (uint32) "
					 "%u (uint8)",
					 code, 5 + g.n_all, ent,
					 (unsigned)(uint8_t)g.n_all);
		else
			r = arena_printf(a, "type=%03u, len=%03u:", code,
					 g.n_all);
		if (r < 0 || groups_text(a, &g, v.p) < 0)
			goto nobufs;
		return text_done(a, start, text_start, ret);
	case TEXPR_K_VIVCO:
		r = vivco_parse(m, a, &ent, 0, NULL, &v);
		if (r <= 0)
			return r;
		r = vivco_pack(v, ent, a, &d);
		if (r <= 0)
			goto fail;
		text_start = a->top;
		if (arena_printf(a, "type=%u, len=%u,  enterprise id=0x%x",
				 code, d.len, ent) < 0)
			goto nobufs;
		while (vivco_tuple(v, &off, &d)) {
			uint8_t *out;

			if (i && arena_printf(a, ", enterprise id=0x%x", ent) <
					 0)
				goto nobufs;
			if (arena_printf(a,
					 ", data-len%u=%u, vendor-class-data%u='",
					 i, d.len, i) < 0)
				goto nobufs;
			out = texpr_alloc(a, (size_t)d.len + 1);
			if (!out)
				goto nobufs;
			memcpy(out, d.p, d.len);
			out[d.len] = '\'';
			i++;
		}
		return text_done(a, start, text_start, ret);
	}
	return 0;
nobufs:
	r = -ENOBUFS;
fail:
	a->top = start;
	return r;
}

int texpr_subopt_value(const struct tern_dhcp4_msg *m, uint8_t code,
		       enum texpr_kind kind, uint8_t sub,
		       struct texpr_arena *a, struct texpr_str *ret)
{
	struct texpr_str subs = {NULL, 0}, v, first = {NULL, 0};
	struct subit it;
	uint32_t ent;
	size_t total = 0;
	unsigned n = 0;
	uint8_t c, *out;
	int r;

	switch (kind) {
	case TEXPR_K_CONTAINER:
	case TEXPR_K_CONTAINER43:
		if (!tern_dhcp4_has_opt(m, code))
			return 0;
		break;
	case TEXPR_K_VIVSO:
		r = vivso_parse(m, a, &ent, &subs);
		if (r <= 0)
			return r;
		break;
	default:
		return 0; /* Kea's object for it has no sub-options */
	}
	subit_for(&it, m, code, kind, subs);
	while (subit_next(&it, &c, &v)) {
		if (c != sub)
			continue;
		if (n++ == 0)
			first = v;
		total += v.len;
	}
	if (n <= 1) {
		*ret = first;
		return (int)n;
	}
	/* Kea fuses sub-options of one code like top-level ones. */
	out = texpr_alloc(a, total);
	if (!out)
		return -ENOBUFS;
	ret->p = out;
	ret->len = (uint32_t)total;
	subit_for(&it, m, code, kind, subs);
	while (subit_next(&it, &c, &v)) {
		if (c != sub)
			continue;
		memcpy(out, v.p, v.len);
		out += v.len;
	}
	return 1;
}

int texpr_vivso_enterprise(const struct tern_dhcp4_msg *m,
			   struct texpr_arena *a, uint32_t *ret)
{
	struct texpr_str subs;

	return vivso_parse(m, a, ret, &subs);
}

int texpr_vivco(const struct tern_dhcp4_msg *m, struct texpr_arena *a,
		uint32_t *ret_enterprise, unsigned idx,
		struct texpr_str *ret_data)
{
	int r = vivco_parse(m, a, ret_enterprise, idx, ret_data, NULL);

	return r > 0 ? 1 : r;
}

/* Kea's Option::len() of the option object for code, 0 when Kea holds
 * none. The arena is only borrowed. */
static int kea_opt_len(const struct tern_dhcp4_msg *m, uint8_t code,
		       enum texpr_kind kind, struct texpr_arena *a,
		       uint32_t *ret)
{
	struct texpr_str v, subs = {NULL, 0};
	struct groups g;
	struct subit it;
	uint32_t ent;
	int r;

	*ret = 0;
	switch (kind) {
	case TEXPR_K_RAW:
	case TEXPR_K_STRING:
	case TEXPR_K_VIVCO: {
		bool fused;

		r = texpr_opt_value(m, code, kind, a, &v, &fused);
		if (r > 0)
			*ret = 2 + v.len;
		return r;
	}
	case TEXPR_K_CONTAINER:
	case TEXPR_K_CONTAINER43:
		if (!has_inst(m, code))
			return 0;
		break;
	case TEXPR_K_VIVSO:
		r = vivso_parse(m, a, &ent, &subs);
		if (r <= 0)
			return r;
		break;
	}
	subit_for(&it, m, code, kind, subs);
	groups_collect(&g, &it);
	*ret = 2 + (kind == TEXPR_K_VIVSO ? 5 : 0) + g.n_all;
	return 1;
}

int texpr_pkt_len(const struct tern_dhcp4_msg *m, const uint8_t kinds[256],
		  struct texpr_arena *a, uint32_t *ret)
{
	uint32_t total = TERN_DHCP4_HDR_LEN, l, start = a->top;

	for (unsigned c = 0; c < 256; c++) {
		int r;

		if (!tern_dhcp4_has_opt(m, (uint8_t)c))
			continue;
		r = kea_opt_len(m, (uint8_t)c, (enum texpr_kind)kinds[c], a,
				&l);
		a->top = start;
		if (r < 0)
			return r;
		total += l;
	}
	*ret = total;
	return 1;
}

int texpr_opt_exists(const struct tern_dhcp4_msg *m, uint8_t code,
		     enum texpr_kind kind, struct texpr_arena *a)
{
	struct texpr_str v, subs;
	uint32_t ent;
	unsigned i = 0;
	int r;

	switch (kind) {
	case TEXPR_K_RAW:
	case TEXPR_K_CONTAINER:
	case TEXPR_K_CONTAINER43:
		return has_inst(m, code);
	case TEXPR_K_STRING:
		if (!tern_dhcp4_has_opt(m, code))
			return 0;
		while (next_inst(m, code, &i, &v))
			if (trim_nuls(&v))
				return 1;
		return 0;
	case TEXPR_K_VIVSO:
		return vivso_parse(m, a, &ent, &subs);
	case TEXPR_K_VIVCO:
		r = vivco_parse(m, a, &ent, 0, NULL, NULL);
		return r > 0 ? 1 : r;
	}
	return 0;
}
