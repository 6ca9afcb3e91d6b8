/* ternd classification: a DHCPv6 message as Kea 2.2's Pkt6 holds it after
 * Pkt6::unpack (LibDHCP::unpackOptions6 and the option classes): which
 * instance an option is, what its object re-encodes to (.hex), what Kea
 * skips, stops at or refuses. No allocation, no recursion: nested
 * sub-option areas are walked with a bounded explicit stack. */
#include <errno.h>
#include <string.h>

#include "server/classify/expr_view6.h"

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* ---- One object's fixed part and sub-option area ---------------------- */

#define split6 texpr6_split

static int fqdn_len(const uint8_t *p, uint32_t n, uint32_t *ret_text)
{
	return texpr6_name_text(p, n, 0, NULL, ret_text);
}

long texpr6_field_len(uint8_t t, bool def_array, bool in_array,
		      const uint8_t *p, uint32_t rest)
{
	size_t fixed = tern_opt_type_len((enum tern_opt_type)t);
	uint32_t text;

	if (fixed)
		return (long)fixed;
	switch (t) {
	case TERN_OT_FQDN:
		if (fqdn_len(p, rest, &text) < 0)
			return -1;
		return (long)text + 1; /* Kea: toText().size() + 1 */
	case TERN_OT_BINARY:
	case TERN_OT_STRING:
		return def_array ? -1 : (long)rest;
	case TERN_OT_IPV6_PREFIX:
		if (rest == 0 && !in_array)
			return 0;
		if (rest == 0 || p[0] > 128 ||
		    rest - 1 < (uint32_t)(p[0] + 7) / 8)
			return -1;
		return 1 + (p[0] + 7) / 8;
	case TERN_OT_TUPLE:
		if (rest < 2 || rest - 2 < rd16(p))
			return -1;
		return 2 + (long)rd16(p);
	default:
		return -1;
	}
}

/* OptionCustom::createBuffers over definition d. */
static int split_custom(const struct tern_optdef *d, const uint8_t *p,
			uint32_t n, struct split6 *s)
{
	uint32_t at = 0;
	long l;

	if (d->type == TERN_OT_RECORD) {
		for (unsigned i = 0; i < d->n_fields; i++) {
			l = texpr6_field_len(d->fields[i], d->array, false,
					     p + at, n - at);
			if (l < 0 || (uint32_t)l > n - at)
				return -EBADMSG;
			at += (uint32_t)l;
		}
		if (d->array) {
			while (at < n) {
				l = texpr6_field_len(d->fields[d->n_fields - 1],
						     true, true, p + at,
						     n - at);
				if (l <= 0)
					return -EBADMSG;
				if ((uint32_t)l > n - at)
					break;
				at += (uint32_t)l;
			}
		} else if (at < n && d->encapsulate) {
			s->has_sub = true;
		}
	} else if (d->type != TERN_OT_EMPTY) {
		if (d->array) {
			while (at < n) {
				l = texpr6_field_len(d->type, true, true,
						     p + at, n - at);
				if (l <= 0)
					return -EBADMSG;
				if ((uint32_t)l > n - at)
					break;
				at += (uint32_t)l;
			}
			/* getDataTypeLen's check first: a fixed-size type
			 * needs one value's bytes at least. */
			if (n == 0 && d->type != TERN_OT_FQDN &&
			    d->type != TERN_OT_TUPLE &&
			    d->type != TERN_OT_IPV6_PREFIX)
				return -EBADMSG;
		} else {
			l = texpr6_field_len(d->type, false, false, p, n);
			if (l <= 0 || (uint32_t)l > n)
				return -EBADMSG;
			at = (uint32_t)l;
			if (at < n && d->encapsulate)
				s->has_sub = true;
		}
	} else if (n > 0 && d->encapsulate) {
		s->has_sub = true;
	}
	s->fixed = at;
	s->sub = at;
	return 0;
}

/* Tuples of 2-byte lengths filling [p, p + n) exactly (OpaqueDataTuple
 * throws on a truncated one). */
static bool tuples_ok(const uint8_t *p, uint32_t n)
{
	uint32_t at = 0;

	while (at < n) {
		if (n - at < 2 || n - at - 2 < rd16(p + at))
			return false;
		at += 2u + rd16(p + at);
	}
	return true;
}

/* What Kea's object of kind o makes of value (p, n). 0, or -EBADMSG (the
 * constructor throws: Kea drops the packet), -ESPIPE (an OptionVendor
 * shorter than 4 bytes: SkipRemainingOptionsError). */
int texpr6_split(const struct texpr6_obj *o, const uint8_t *p, uint32_t n,
		 struct split6 *s)
{
	memset(s, 0, sizeof(*s));
	s->fixed = n;
	s->sub = n;
	s->space = o->space;
	switch (o->kind) {
	case K6_RAW:
		return 0;
	case K6_EMPTY:
		s->fixed = 0;
		return 0;
	case K6_STRING:
		while (s->fixed && p[s->fixed - 1] == 0)
			s->fixed--;
		s->skip = s->fixed == 0;
		return 0;
	case K6_INT:
		if (n < o->width)
			return -EBADMSG;
		s->fixed = s->sub = o->width;
		s->has_sub = true;
		return 0;
	case K6_ARR:
		return n && n % o->width == 0 ? 0 : -EBADMSG;
	case K6_ADDRS:
		return n % 16 == 0 ? 0 : -EBADMSG;
	case K6_IA:
	case K6_IAADDR:
	case K6_IAPREFIX: {
		uint32_t f = o->kind == K6_IA	    ? 12
			     : o->kind == K6_IAADDR ? 24
						    : 25;

		if (n < f) /* a prefix length over 128: kept, not masked */
			return -EBADMSG;
		s->fixed = s->sub = f;
		s->has_sub = true;
		s->xform = o->kind == K6_IAPREFIX ? 1 : 0;
		return 0;
	}
	case K6_STATUS:
		return n >= 2 ? 0 : -EBADMSG;
	case K6_FQDN:
		/* Option6ClientFqdn: flags (only N, O, S, and not N with S),
		 * then a full or partial name. */
		if (n < 1 || (p[0] & 0xf8) || (p[0] & 0x05) == 0x05)
			return -EBADMSG;
		if (n > 1) {
			/* A name not ending with the root label is partial:
			 * Kea adds one to read it, and does not write it. */
			bool partial = p[n - 1] != 0;
			uint32_t t;
			int l = texpr6_name_text(p + 1, n - 1,
						 partial ? TEXPR6_NAME_ROOT : 0,
						 NULL, &t);

			if (l < 0)
				return -EBADMSG;
			s->fixed = 1u + (uint32_t)l - (partial ? 1u : 0u);
			s->sub = n;
			s->xform = 3;
		}
		return 0;
	case K6_VENDOR:
		if (n < 4)
			return -ESPIPE;
		s->fixed = s->sub = 4;
		s->has_sub = true;
		s->vendor = rd32(p);
		return 0;
	case K6_VCLASS:
		return n >= 4 && tuples_ok(p + 4, n - 4) ? 0 : -EBADMSG;
	case K6_TUPLES:
		return tuples_ok(p, n) ? 0 : -EBADMSG;
	case K6_PDEXCL:
		if (n < 2 || p[0] == 0)
			return -EBADMSG;
		s->xform = p[0] % 8 ? 2 : 0;
		return 0;
	case K6_CONTAINER:
		if (!o->def) { /* option-def'd: sub-options only */
			s->fixed = s->sub = 0;
			s->has_sub = n > 0;
			return 0;
		}
		return split_custom(o->def, p, n, s);
	case K6_CUSTOM:
		return split_custom(o->def, p, n, s);
	}
	return 0;
}

/* ---- Kea's order: a sub-option area is a std::multimap by code, so
 * its options are packed (and printed) sorted by code, instances of a
 * code in the order received ------------------------------------------- */

bool texpr6_oit_init(struct texpr6_oit *it, const uint8_t *p, uint32_t len)
{
	uint32_t at = 0;
	int prev = -1;

	memset(it, 0, sizeof(*it));
	it->p = p;
	it->sorted = true;
	while (at + 4 <= len && at + 4u + rd16(p + at + 2) <= len) {
		if (rd16(p + at) < prev)
			it->sorted = false;
		prev = rd16(p + at);
		at += 4u + rd16(p + at + 2);
	}
	it->end = at;
	return at == len;
}

bool texpr6_oit_next(struct texpr6_oit *it, uint16_t *code, const uint8_t **v,
		     uint16_t *len)
{
	uint32_t at, best = UINT32_MAX, bpos = 0;

	if (it->sorted) {
		if (it->pos >= it->end)
			return false;
		at = it->pos;
		it->pos += 4u + rd16(it->p + at + 2);
	} else {
		/* The least (code, offset) after the last one given. */
		for (at = 0; at < it->end; at += 4u + rd16(it->p + at + 2)) {
			uint32_t c = rd16(it->p + at);

			if (it->started &&
			    (c < it->last || (c == it->last && at <= it->lpos)))
				continue;
			if (c < best) {
				best = c;
				bpos = at;
			}
		}
		if (best == UINT32_MAX)
			return false;
		it->started = true;
		it->last = best;
		it->lpos = bpos;
		at = bpos;
	}
	*code = rd16(it->p + at);
	*len = rd16(it->p + at + 2);
	*v = it->p + at + 4;
	return true;
}

/* ---- The walker: re-encodes (or only measures) an object and the
 * sub-options under it, as Kea's pack would write them ----------------- */

struct frame6 {
	struct texpr6_oit it;
	uint8_t space;
	uint32_t vendor;
	int32_t hdr; /* output offset of the enclosing header, -1 none */
};

struct walk6 {
	const struct texpr6_defs *defs;
	uint8_t *out; /* NULL: measure only */
	uint32_t n;   /* bytes written (or that would be) */
	struct frame6 st[TEXPR6_MAX_DEPTH];
	unsigned sp;
};

static void put(struct walk6 *w, const void *d, uint32_t n)
{
	if (w->out && n)
		memcpy(w->out + w->n, d, n);
	w->n += n;
}

static void patch(struct walk6 *w, int32_t hdr)
{
	uint32_t l;

	if (hdr < 0 || !w->out)
		return;
	l = w->n - (uint32_t)hdr - 4;
	w->out[hdr + 2] = (uint8_t)(l >> 8);
	w->out[hdr + 3] = (uint8_t)l;
}

/* The object's data (fixed part, rewritten where Kea does), then its
 * sub-option area on the stack. */
static int emit(struct walk6 *w, const struct texpr6_obj *o, const uint8_t *p,
		uint32_t n, int32_t hdr)
{
	struct frame6 *f;
	struct split6 s;
	int rc = texpr6_split(o, p, n, &s);

	if (rc < 0)
		return rc;
	if (w->out && s.xform == 1) { /* iaprefix: the prefix masked */
		uint8_t pfx[25];
		unsigned plen = p[8];

		memcpy(pfx, p, 25);
		for (unsigned i = 0; i < 16; i++) {
			unsigned bits = plen > i * 8 ? plen - i * 8 : 0;

			if (bits < 8)
				pfx[9 + i] &= (uint8_t)(0xff00u >> bits);
		}
		put(w, pfx, 25);
	} else if (w->out && s.xform == 2) { /* pd-exclude: last byte */
		unsigned b = p[0] % 8;

		put(w, p, n - 1);
		put(w, &(uint8_t){(uint8_t)(p[n - 1] >> (8 - b) << (8 - b))},
		    1);
	} else if (w->out && s.xform == 3) { /* client FQDN: lower case */
		uint32_t at = w->n;

		put(w, p, s.fixed);
		for (uint32_t i = at + 1; i < w->n; i++)
			if (w->out[i] >= 'A' && w->out[i] <= 'Z')
				w->out[i] = (uint8_t)(w->out[i] + 32);
	} else {
		put(w, p, s.fixed);
	}
	if (!s.has_sub || s.sub >= n) {
		patch(w, hdr);
		return 0;
	}
	if (w->sp == TEXPR6_MAX_DEPTH)
		return -E2BIG;
	f = &w->st[w->sp++];
	/* unpackVendorOptions6 throws SkipRemainingOptionsError on a
	 * truncated option, unpackOptions6 stops there. */
	if (!texpr6_oit_init(&f->it, p + s.sub, n - s.sub) &&
	    s.space == S6_VENDOR)
		return -ESPIPE;
	if (!w->out) /* a length does not depend on the order */
		f->it.sorted = true;
	f->space = s.space;
	f->vendor = s.vendor;
	f->hdr = hdr;
	return 0;
}

/* Runs the stack empty. */
static int drain(struct walk6 *w)
{
	while (w->sp) {
		struct frame6 *f = &w->st[w->sp - 1];
		struct texpr6_obj o;
		const uint8_t *v;
		uint16_t code, len;
		int32_t hdr;
		int rc;

		if (!texpr6_oit_next(&f->it, &code, &v, &len)) {
			patch(w, f->hdr);
			w->sp--;
			continue;
		}
		texpr6_obj_of(w->defs, (enum texpr6_space)f->space, f->vendor,
			      code, &o);
		if (o.kind == K6_STRING) {
			struct split6 s;

			texpr6_split(&o, v, len, &s);
			if (s.skip)
				continue;
		}
		hdr = (int32_t)w->n;
		put(w, (uint8_t[4]){(uint8_t)(code >> 8), (uint8_t)code, 0, 0},
		    4);
		rc = emit(w, &o, v, len, hdr);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int texpr6_hex(const struct texpr6_defs *d, const struct texpr6_obj *o,
	       struct texpr_str val, struct texpr_arena *a,
	       struct texpr_str *ret)
{
	struct walk6 w;
	int rc;

	w.defs = d; /* not the whole stack: it is big */
	w.out = NULL;
	w.n = 0;
	w.sp = 0;
	if (o->kind == K6_RAW || o->kind == K6_STATUS || o->kind == K6_VCLASS ||
	    o->kind == K6_TUPLES || o->kind == K6_ADDRS || o->kind == K6_ARR) {
		struct split6 s;

		rc = texpr6_split(o, val.p, val.len, &s);
		if (rc < 0)
			return rc;
		*ret = val; /* the bytes as received */
		return 1;
	}
	w.out = texpr_alloc(a, val.len); /* a re-encoding is never longer */
	if (!w.out && val.len)
		return -ENOBUFS;
	rc = emit(&w, o, val.p, val.len, -1);
	if (rc >= 0)
		rc = drain(&w);
	if (rc < 0)
		return rc;
	a->top -= val.len - w.n;
	ret->p = w.out ? w.out : (const uint8_t *)"";
	ret->len = w.n;
	return 1;
}

/* Checks an object as Kea builds it: its length as Kea's len() (header
 * included), or an error as split's, -E2BIG. */
int texpr6_measure(const struct texpr6_defs *d, const struct texpr6_obj *o,
		   const uint8_t *p, uint32_t n, uint32_t *ret)
{
	struct walk6 w;
	int rc;

	w.defs = d;
	w.out = NULL;
	w.n = 0;
	w.sp = 0;
	rc = emit(&w, o, p, n, -1);

	if (rc >= 0)
		rc = drain(&w);
	if (rc < 0)
		return rc;
	*ret = w.n + 4;
	return 0;
}

/* ---- Areas ------------------------------------------------------------ */

/* Next option of an area as unpackOptions6 reads it: 1, or 0 at the end,
 * at a truncated option, or at the cut. */
static int area_next(const struct texpr6_area *a, uint32_t *pos, uint16_t *code,
		     struct texpr_str *v)
{
	for (;;) {
		uint32_t at = *pos;
		uint16_t l;

		if (at >= a->cut || at + 4 > a->len)
			return 0;
		l = rd16(a->p + at + 2);
		if (at + 4u + l > a->len)
			return 0;
		*pos = at + 4u + l;
		*code = rd16(a->p + at);
		if (a->relay && *code == TERN_DHCP6_OPT_RELAY_MSG)
			continue; /* not an option of the relay */
		v->p = a->p + at + 4;
		v->len = l;
		return 1;
	}
}

int texpr6_find(const struct texpr6_area *a, uint16_t code,
		const struct texpr6_obj *o, struct texpr_str *ret)
{
	uint32_t pos = 0;
	uint16_t c;
	struct texpr_str v;

	while (area_next(a, &pos, &c, &v) > 0) {
		if (c != code)
			continue;
		if (o->kind == K6_STRING) {
			struct split6 s;

			texpr6_split(o, v.p, v.len, &s);
			if (s.skip)
				continue;
		}
		*ret = v;
		return 1;
	}
	return 0;
}

/* Whether a value can hold an option 17 at some depth (its header has
 * the bytes 00 11): otherwise its unpack cannot raise
 * SkipRemainingOptionsError. */
static bool may_hold_vendor(struct texpr_str v)
{
	const uint8_t *q = v.p, *end = v.p + v.len;

	while (q + 1 < end && (q = memchr(q + 1, TERN_DHCP6_OPT_VENDOR_OPTS,
					  (size_t)(end - q - 1))) != NULL)
		if (q[-1] == 0)
			return true;
	return false;
}

/* Whether an object can hold sub-options (so a vendor option). */
static bool nests(const struct texpr6_obj *o)
{
	switch (o->kind) {
	case K6_INT:
	case K6_IA:
	case K6_IAADDR:
	case K6_IAPREFIX:
	case K6_VENDOR:
	case K6_CONTAINER:
		return true;
	case K6_CUSTOM:
		return o->def && o->def->encapsulate;
	default:
		return false;
	}
}

/* Walks the options of an area as Kea unpacks them: sets the cut at the
 * option whose unpack raised SkipRemainingOptionsError. full: every
 * option is built (pkt.len, ternd_expr_pkt6_check): returns -EBADMSG
 * (Kea drops the packet) or -E2BIG, *ret_len is Kea's len() sum;
 * otherwise only what can cut is looked at, and errors are left to the
 * option an expression reads. */
static int area_scan(const struct texpr6_defs *d, struct texpr6_area *a,
		     bool full, uint32_t *ret_len)
{
	uint32_t pos = 0, at, total = 0;
	uint16_t c;
	struct texpr_str v = {a->p, a->len};

	if (!full && !may_hold_vendor(v))
		return 0; /* no vendor option anywhere: nothing stops */
	for (;;) {
		struct texpr6_obj o;
		uint32_t l;
		int rc;

		at = pos;
		if (area_next(a, &pos, &c, &v) <= 0)
			break;
		if (!full && c != TERN_DHCP6_OPT_VENDOR_OPTS &&
		    !may_hold_vendor(v))
			continue;
		/* Where the unpack stops is found with the standard
		 * definitions only (the same for every expression: it is
		 * kept in the packet's memo). */
		texpr6_obj_of(full ? d : NULL, S6_DHCP6, 0, c, &o);
		if (!full && !nests(&o))
			continue; /* no sub-options: no vendor option in it */
		if (o.kind == K6_STRING) {
			struct split6 s;

			texpr6_split(&o, v.p, v.len, &s);
			if (s.skip)
				continue;
		}
		rc = texpr6_measure(full ? d : NULL, &o, v.p, v.len, &l);
		if (rc == -ESPIPE) {
			a->cut = at;
			break;
		}
		if (rc < 0 && full)
			return rc;
		total += l;
	}
	if (ret_len)
		*ret_len = total;
	return 0;
}

void texpr6_view_init(struct texpr6_view *v, const struct ternd_expr_pkt6 *p)
{
	v->p = p;
	memset(&v->defs, 0, sizeof(v->defs));
	v->msg.p = p->m->opts;
	v->msg.len = (uint32_t)p->m->opts_len;
	v->msg.cut = v->msg.len;
	v->msg.relay = false;
	v->scanned = 0;
	v->lost = false;
	v->relays = 0;
}

static void relay_raw(const struct tern_dhcp6_relay *r, struct texpr6_area *a)
{
	a->p = r->opts;
	a->len = (uint32_t)r->opts_len;
	a->cut = a->len;
	a->relay = true;
}

/* Kea unpacks the relays outermost first, then the client's message; a
 * vendor option it cannot finish stops the unpack there
 * (SkipRemainingOptionsError): in the message, the options from it on
 * are missing; in a relay, that relay and the message are. (An option it
 * cannot build drops the packet: ternd_expr_pkt6_check.) */
/* The relays Kea keeps (bit 1 of scanned) and where the client message's
 * unpack stops (bit 2), each found once, from the memo when there is one. */
static void scan_relays(struct texpr6_view *v)
{
	v->relays = v->p->relays ? v->p->n_relays : 0;
	for (unsigned i = 0; i < v->relays; i++) {
		struct texpr6_area a;

		relay_raw(&v->p->relays[i], &a);
		area_scan(NULL, &a, false, NULL);
		if (a.cut != a.len) {
			v->relays = i;
			v->lost = true;
			return;
		}
	}
}

void texpr6_relays(struct texpr6_view *v)
{
	struct ternd_expr_memo6 *mm = v->p->memo;

	if (v->scanned & 1)
		return;
	v->scanned |= 1;
	if (mm && (mm->scanned & 1)) {
		v->lost = mm->lost;
		v->relays = mm->relays;
	} else {
		scan_relays(v);
		if (mm) {
			mm->scanned |= 1;
			mm->lost = v->lost;
			mm->relays = (uint8_t)v->relays;
		}
	}
	if (v->lost)
		v->msg.len = v->msg.cut = 0;
}

const struct texpr6_area *texpr6_msg_area(struct texpr6_view *v)
{
	struct ternd_expr_memo6 *mm = v->p->memo;

	texpr6_relays(v);
	if ((v->scanned & 2) || v->lost)
		return &v->msg;
	v->scanned |= 2;
	if (mm && (mm->scanned & 2)) {
		v->msg.cut = mm->cut;
		return &v->msg;
	}
	area_scan(NULL, &v->msg, false, NULL);
	if (mm) {
		mm->scanned |= 2;
		mm->cut = v->msg.cut;
	}
	return &v->msg;
}

int texpr6_relay_area(struct texpr6_view *v, int level, struct texpr6_area *ret)
{
	texpr6_relays(v);
	if (level < 0)
		level += (int)v->relays;
	if (level < 0 || (unsigned)level >= v->relays)
		return 0;
	relay_raw(&v->p->relays[level], ret);
	return 1;
}

int texpr6_sub(const struct texpr6_defs *d, const struct texpr6_obj *o,
	       uint32_t vendor, struct texpr_str val, uint16_t sub,
	       struct texpr6_obj *ret_o, struct texpr_str *ret)
{
	struct texpr6_area a;
	struct split6 s;
	int rc = texpr6_split(o, val.p, val.len, &s);

	(void)vendor;
	if (rc < 0)
		return rc;
	if (!s.has_sub || s.sub >= val.len)
		return 0;
	a.p = val.p + s.sub;
	a.len = val.len - s.sub;
	a.cut = a.len;
	a.relay = false;
	texpr6_obj_of(d, (enum texpr6_space)s.space, s.vendor, sub, ret_o);
	return texpr6_find(&a, sub, ret_o, ret);
}

/* Pkt6::len(): 4 + the client's options, plus per relay 34 + the
 * relay-msg header + its options. */
int texpr6_pkt_len(struct texpr6_view *v, struct texpr_arena *a, uint32_t *ret)
{
	uint32_t total, l;
	int rc;

	(void)a;
	texpr6_msg_area(v);
	rc = area_scan(&v->defs, &v->msg, true, &total);
	if (rc < 0)
		return rc;
	total += 4;
	for (unsigned i = 0; i < v->relays; i++) {
		struct texpr6_area r;

		relay_raw(&v->p->relays[i], &r);
		rc = area_scan(&v->defs, &r, true, &l);
		if (rc < 0)
			return rc;
		total += 34 + 4 + l;
	}
	*ret = total & 0xffff; /* Kea's uint16_t arithmetic */
	return 0;
}

int ternd_expr_pkt6_check(const struct ternd_expr_pkt6 *p)
{
	struct texpr6_view v;
	int rc = 0;

	if (!p || !p->m || (p->n_relays && !p->relays))
		return -EINVAL;
	texpr6_view_init(&v, p);
	for (unsigned i = 0; i < p->n_relays && rc == 0; i++) {
		struct texpr6_area a;

		relay_raw(&p->relays[i], &a);
		rc = area_scan(&v.defs, &a, true, NULL);
		if (rc == 0 && a.cut != a.len)
			rc = -EBADMSG;
	}
	if (rc == 0)
		rc = area_scan(&v.defs, &v.msg, true, NULL);
	return rc == -E2BIG ? -EBADMSG : rc;
}
