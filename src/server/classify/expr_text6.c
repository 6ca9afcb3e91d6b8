/* ternd classification: `.text` of a DHCPv6 option, the toString() of the
 * object Kea 2.2 builds (an OptionString's value, otherwise toText(0):
 * "type=00008, len=00002: 100 (uint16)" and the like, sub-options on the
 * lines after ",\noptions:", indented by 2 per level). No recursion:
 * nested sub-options go on a bounded explicit stack. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
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

static int raw(struct texpr_arena *a, const void *d, uint32_t n)
{
	uint8_t *o = texpr_alloc(a, n);

	if (!o && n)
		return -ENOBUFS;
	if (n)
		memcpy(o, d, n);
	return 0;
}

int texpr6_name_text(const uint8_t *p, uint32_t n, unsigned flags,
		     struct texpr_arena *a, uint32_t *ret_text_len)
{
	uint32_t at = 0, text = 0;
	char e[5];

	for (;;) {
		unsigned l;

		if (at == n && (flags & TEXPR6_NAME_ROOT)) {
			at++; /* the root label Kea adds */
			break;
		}
		if (at >= n || at >= 255)
			return -1;
		l = p[at++];
		if (l == 0)
			break;
		if (l > 63 || l > n - at || at + l > 255)
			return -1;
		for (unsigned i = 0; i < l; i++) {
			uint8_t c = p[at + i];
			unsigned k;

			if ((flags & TEXPR6_NAME_LOWER) && c >= 'A' && c <= 'Z')
				c = (uint8_t)(c + 32);
			if (c && strchr(".;\\\"()@$", c))
				k = (unsigned)snprintf(e, sizeof(e), "\\%c", c);
			else if (c > 0x20 && c < 0x7f)
				k = (unsigned)snprintf(e, sizeof(e), "%c", c);
			else
				k = (unsigned)snprintf(e, sizeof(e), "\\%03u",
						       c);
			if (a && raw(a, e, k) < 0)
				return -ENOBUFS;
			text += k;
		}
		if (a && raw(a, ".", 1) < 0)
			return -ENOBUFS;
		text += 1;
		at += l;
	}
	if (!text) {
		if (a && raw(a, ".", 1) < 0)
			return -ENOBUFS;
		text = 1; /* the root is "." */
	}
	*ret_text_len = text;
	return (int)at;
}

/* OptionDataTypeUtil::getDataTypeName */
static const char *type_name(uint8_t t)
{
	static const char *const names[TERN_OT_COUNT] = {
		[TERN_OT_EMPTY] = "empty",
		[TERN_OT_BINARY] = "binary",
		[TERN_OT_BOOL] = "boolean",
		[TERN_OT_I8] = "int8",
		[TERN_OT_I16] = "int16",
		[TERN_OT_I32] = "int32",
		[TERN_OT_U8] = "uint8",
		[TERN_OT_U16] = "uint16",
		[TERN_OT_U32] = "uint32",
		[TERN_OT_IPV4] = "ipv4-address",
		[TERN_OT_IPV6] = "ipv6-address",
		[TERN_OT_IPV6_PREFIX] = "ipv6-prefix",
		[TERN_OT_PSID] = "psid",
		[TERN_OT_STRING] = "string",
		[TERN_OT_TUPLE] = "tuple",
		[TERN_OT_FQDN] = "fqdn",
		[TERN_OT_RECORD] = "record",
	};

	return t < TERN_OT_COUNT && names[t] ? names[t] : "unknown";
}

static uint32_t uint_be(const uint8_t *p, unsigned w)
{
	return w == 1 ? p[0] : w == 2 ? rd16(p) : rd32(p);
}

static int int_text(struct texpr_arena *a, const uint8_t *p, unsigned w,
		    bool sgn)
{
	uint32_t u = uint_be(p, w);

	if (!sgn)
		return texpr_printf(a, "%u", u);
	return texpr_printf(a, "%d",
			    w == 1   ? (int)(int8_t)u
			    : w == 2 ? (int)(int16_t)u
				     : (int)(int32_t)u);
}

static int addr6(struct texpr_arena *a, const uint8_t *p)
{
	char b[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET6, p, b, sizeof(b));
	return texpr_printf(a, "%s", b);
}

static int hex_upper(struct texpr_arena *a, const uint8_t *p, uint32_t n)
{
	static const char d[] = "0123456789ABCDEF";
	uint8_t *o = texpr_alloc(a, (size_t)n * 2);

	if (!o && n)
		return -ENOBUFS;
	for (uint32_t i = 0; i < n; i++) {
		*o++ = (uint8_t)d[p[i] >> 4];
		*o++ = (uint8_t)d[p[i] & 15];
	}
	return 0;
}

static int hex_colons(struct texpr_arena *a, const uint8_t *p, uint32_t n)
{
	struct texpr_str s = {p, n};

	return texpr_text_hex(a, s);
}

/* OptionCustom::dataFieldToText for one field of l bytes at p. */
static int field_text(struct texpr_arena *a, uint8_t t, const uint8_t *p,
		      uint32_t l)
{
	uint32_t tl;
	int rc = 0;

	switch (t) {
	case TERN_OT_BINARY:
		rc = hex_upper(a, p, l);
		break;
	case TERN_OT_BOOL:
		if (p[0] > 1)
			return -EINVAL; /* readBoolean throws */
		rc = texpr_printf(a, "%s", p[0] ? "true" : "false");
		break;
	case TERN_OT_I8:
	case TERN_OT_I16:
	case TERN_OT_I32:
		rc = int_text(a, p,
			      t == TERN_OT_I8	 ? 1
			      : t == TERN_OT_I16 ? 2
						 : 4,
			      true);
		break;
	case TERN_OT_U8:
	case TERN_OT_U16:
	case TERN_OT_U32:
		rc = int_text(a, p,
			      t == TERN_OT_U8	 ? 1
			      : t == TERN_OT_U16 ? 2
						 : 4,
			      false);
		break;
	case TERN_OT_IPV4:
		rc = texpr_printf(a, "%u.%u.%u.%u", p[0], p[1], p[2], p[3]);
		break;
	case TERN_OT_IPV6:
		rc = addr6(a, p);
		break;
	case TERN_OT_FQDN:
		rc = raw(a, "\"", 1);
		if (rc >= 0 && texpr6_name_text(p, l, 0, a, &tl) < 0)
			rc = -ENOBUFS;
		if (rc >= 0)
			rc = raw(a, "\"", 1);
		break;
	case TERN_OT_TUPLE:
		rc = texpr_printf(a, "\"");
		if (rc >= 0)
			rc = raw(a, p + 2, l - 2);
		if (rc >= 0)
			rc = raw(a, "\"", 1);
		break;
	case TERN_OT_STRING:
		rc = raw(a, "\"", 1);
		if (rc >= 0)
			rc = raw(a, p, l);
		if (rc >= 0)
			rc = raw(a, "\"", 1);
		break;
	case TERN_OT_PSID: /* readPsid: a length over 16 throws */
		if (p[0] > 16)
			return -EINVAL;
		rc = texpr_printf(a, "len=%u,psid=%u", p[0],
				  p[0] ? (unsigned)(rd16(p + 1) >> (16 - p[0]))
				       : 0u);
		break;
	default: /* ipv6-prefix: no text */
		break;
	}
	if (rc < 0)
		return rc;
	return texpr_printf(a, " (%s)", type_name(t));
}

/* OptionCustom::toText's fields (the buffers createBuffers made, over the
 * first `fixed` bytes, which texpr6_split found to hold them). */
static int custom_text(struct texpr_arena *a, const struct tern_optdef *d,
		       const uint8_t *p, uint32_t fixed)
{
	uint32_t at = 0;
	unsigned i = 0;

	if (d->type == TERN_OT_EMPTY)
		return 0;
	for (;;) {
		bool rec = d->type == TERN_OT_RECORD;
		bool extra = rec ? i >= d->n_fields : i > 0;
		uint8_t t =
			rec ? d->fields[extra ? d->n_fields - 1u : i] : d->type;
		long l;
		int rc;

		if ((extra || (!rec && d->array)) && (!d->array || at >= fixed))
			break;
		l = texpr6_field_len(t, d->array, rec ? extra : d->array,
				     p + at, fixed - at);
		if (l < 0 || (uint32_t)l > fixed - at)
			return -EINVAL;
		rc = texpr_printf(a, " ");
		if (rc >= 0)
			rc = field_text(a, t, p + at, (uint32_t)l);
		if (rc < 0)
			return rc;
		at += (uint32_t)l;
		i++;
		if (!rec && !d->array)
			break;
	}
	return 0;
}

static const char *status_name(uint16_t c)
{
	static const char *const n[] = {
		"Success",	 "UnspecFail",	     "NoAddrsAvail",
		"NoBinding",	 "NotOnLink",	     "UseMulticast",
		"NoPrefixAvail", "UnknownQueryType", "MalformedQuery",
		"NotConfigured", "NotAllowed",
	};

	return c < sizeof(n) / sizeof(n[0]) ? n[c] : "(unknown status code)";
}

/* Tuples (2-byte lengths) after `from`: ", data-lenI=L, <what>I='D'". */
static int tuples_text(struct texpr_arena *a, const uint8_t *p, uint32_t n,
		       const char *what)
{
	uint32_t at = 0;

	for (unsigned i = 0; at + 2 <= n; i++) {
		uint32_t l = rd16(p + at);
		int rc = texpr_printf(a, ", data-len%u=%u, %s%u='", i, l, what,
				      i);

		if (rc >= 0)
			rc = raw(a, p + at + 2, l);
		if (rc >= 0)
			rc = raw(a, "'", 1);
		if (rc < 0)
			return rc;
		at += 2 + l;
	}
	return 0;
}

/* One object's toText without its sub-options. */
static int one_text(const struct texpr6_defs *d, struct texpr_arena *a,
		    unsigned ind, uint16_t code, const struct texpr6_obj *o,
		    const uint8_t *p, uint32_t n, const struct texpr6_split *s)
{
	uint32_t len, tl;
	char name[16] = "";
	int rc;

	if (texpr6_measure(d, o, p, n, &len) < 0)
		return -EINVAL;
	len -= 4;
	switch (o->kind) {
	case K6_VCLASS:
		rc = texpr_printf(a, "%*stype=%u, len=%u,  enterprise id=0x%x",
				  (int)ind, "", code, len, rd32(p));
		return rc < 0 ? rc
			      : tuples_text(a, p + 4, n - 4,
					    "vendor-class-data");
	case K6_TUPLES:
		rc = texpr_printf(a, "%*stype=%u, len=%u", (int)ind, "", code,
				  len);
		return rc < 0 ? rc : tuples_text(a, p, n, "data");
	case K6_FQDN:
		rc = texpr_printf(
			a,
			"%*stype=%u(CLIENT_FQDN), flags: (N=%d, O=%d, "
			"S=%d), domain-name='",
			(int)ind, "", code, !!(p[0] & 4), !!(p[0] & 2),
			!!(p[0] & 1));
		if (rc >= 0 && n > 1) {
			bool partial = p[n - 1] != 0;
			uint32_t mark = a->top;

			if (texpr6_name_text(
				    p + 1, n - 1,
				    TEXPR6_NAME_LOWER |
					    (partial ? TEXPR6_NAME_ROOT : 0),
				    a, &tl) < 0)
				return -ENOBUFS;
			if (partial && a->top > mark)
				a->top--; /* toText(omit_final_dot) */
		}
		if (rc < 0)
			return rc;
		/* No name at all is a full one (the default type). */
		return texpr_printf(a, "' (%s)",
				    n == 1 || p[n - 1] == 0 ? "full"
							    : "partial");
	case K6_IA:
		snprintf(name, sizeof(name), "(%s)",
			 code == TERN_DHCP6_OPT_IA_PD ? "IA_PD" : "IA_NA");
		break;
	case K6_IAADDR:
		snprintf(name, sizeof(name), "(IAADDR)");
		break;
	case K6_IAPREFIX:
		snprintf(name, sizeof(name), "(IAPREFIX)");
		break;
	default:
		break;
	}
	rc = texpr_printf(a, "%*stype=%05u%s, len=%05u", (int)ind, "", code,
			  name, len);
	if (rc < 0)
		return rc;
	switch (o->kind) {
	case K6_STRING:
		rc = raw(a, ": \"", 3);
		if (rc >= 0)
			rc = raw(a, p, s->fixed);
		return rc < 0 ? rc : texpr_printf(a, "\" (string)");
	case K6_INT:
		rc = texpr_printf(a, ": ");
		if (rc >= 0)
			rc = int_text(a, p, o->width, o->is_signed);
		return rc < 0 ? rc
			      : texpr_printf(a, " (%s)",
					     type_name(o->def->type));
	case K6_ARR:
		rc = texpr_printf(a, ":");
		for (uint32_t i = 0; rc >= 0 && i < n; i += o->width) {
			rc = texpr_printf(a, " ");
			if (rc >= 0)
				rc = int_text(a, p + i, o->width, o->is_signed);
			if (rc >= 0)
				rc = texpr_printf(a, "(%s)",
						  type_name(o->def->type));
		}
		return rc;
	case K6_ADDRS:
		rc = texpr_printf(a, ":");
		for (uint32_t i = 0; rc >= 0 && i < n; i += 16) {
			rc = texpr_printf(a, " ");
			if (rc >= 0)
				rc = addr6(a, p + i);
		}
		return rc;
	case K6_IA:
		return texpr_printf(a, ": iaid=%u, t1=%u, t2=%u", rd32(p),
				    rd32(p + 4), rd32(p + 8));
	case K6_IAADDR:
		rc = texpr_printf(a, ": address=");
		if (rc >= 0)
			rc = addr6(a, p);
		return rc < 0 ? rc
			      : texpr_printf(a,
					     ", preferred-lft=%u, valid-lft=%u",
					     rd32(p + 16), rd32(p + 20));
	case K6_IAPREFIX: {
		uint8_t pfx[16];

		memcpy(pfx, p + 9, 16);
		for (unsigned i = 0; i < 16; i++) {
			unsigned bits = p[8] > i * 8 ? p[8] - i * 8 : 0;

			if (bits < 8)
				pfx[i] &= (uint8_t)(0xff00u >> bits);
		}
		rc = texpr_printf(a, ": prefix=");
		if (rc >= 0)
			rc = addr6(a, pfx);
		return rc < 0 ? rc
			      : texpr_printf(
					a,
					"/%u, preferred-lft=%u, valid-lft=%u",
					p[8], rd32(p), rd32(p + 4));
	}
	case K6_STATUS:
		rc = texpr_printf(a, ": %s(%u) ", status_name(rd16(p)),
				  rd16(p));
		if (rc < 0)
			return rc;
		if (n == 2)
			return texpr_printf(a, "(no status message)");
		rc = raw(a, "\"", 1);
		if (rc >= 0)
			rc = raw(a, p + 2, n - 2);
		return rc < 0 ? rc : raw(a, "\"", 1);
	case K6_VENDOR:
		return texpr_printf(a, ": %u (uint32)", rd32(p));
	case K6_PDEXCL: {
		uint8_t last = p[n - 1];

		if (p[0] % 8)
			last = (uint8_t)(last >> (8 - p[0] % 8)
							 << (8 - p[0] % 8));
		rc = texpr_printf(a, ": excluded-prefix-len=%u, subnet-id=0x",
				  p[0]);
		if (rc >= 0)
			rc = hex_upper(a, p + 1, n - 2);
		return rc < 0 ? rc : hex_upper(a, &last, 1);
	}
	case K6_CUSTOM:
	case K6_CONTAINER:
		rc = texpr_printf(a, ":");
		if (rc >= 0 && o->def)
			rc = custom_text(a, o->def, p, s->fixed);
		return rc;
	default: /* Option: the data in hex */
		rc = texpr_printf(a, ": ");
		return rc < 0 ? rc : hex_colons(a, p, s->fixed);
	}
}

/* Sub-option areas being printed. The scratch bounds the work: every
 * sub-option printed takes 20 bytes of it at least. */
struct tframe {
	struct texpr6_oit it;
	uint8_t space;
	uint32_t vendor;
	unsigned indent;
	bool opened; /* ",\noptions:" written */
};

/* The object's sub-option area (value p, n bytes), printed at indent. */
static int push(struct tframe *st, unsigned *sp, const uint8_t *p, uint32_t n,
		const struct texpr6_split *s, unsigned indent)
{
	if (!s->has_sub || s->sub >= n)
		return 0;
	if (*sp == TEXPR6_MAX_DEPTH)
		return -E2BIG;
	texpr6_oit_init(&st[*sp].it, p + s->sub, n - s->sub);
	st[*sp].space = s->space;
	st[*sp].vendor = s->vendor;
	st[*sp].indent = indent;
	st[*sp].opened = false;
	(*sp)++;
	return 0;
}

int texpr6_text(const struct texpr6_defs *d, uint16_t code,
		const struct texpr6_obj *o, struct texpr_str val,
		struct texpr_arena *a, struct texpr_str *ret)
{
	struct tframe st[TEXPR6_MAX_DEPTH];
	uint32_t start = a->top;
	unsigned sp = 0;
	struct texpr6_split s;
	int rc = texpr6_split(o, val.p, val.len, &s);

	if (rc < 0)
		return rc;
	if (o->kind == K6_STRING) { /* OptionString::toString */
		ret->p = val.p;
		ret->len = s.fixed;
		return 1;
	}
	rc = one_text(d, a, 0, code, o, val.p, val.len, &s);
	if (rc >= 0)
		rc = push(st, &sp, val.p, val.len, &s, 2);
	while (rc >= 0 && sp) {
		struct tframe *f = &st[sp - 1];
		struct texpr6_obj so;
		const uint8_t *v;
		uint16_t c, l;

		if (!texpr6_oit_next(&f->it, &c, &v, &l)) {
			sp--;
			continue;
		}
		texpr6_obj_of(d, (enum texpr6_space)f->space, f->vendor, c,
			      &so);
		rc = texpr6_split(&so, v, l, &s);
		if (rc < 0)
			break;
		if (s.skip)
			continue;
		rc = texpr_printf(a, "%s\n", f->opened ? "" : ",\noptions:");
		f->opened = true;
		if (rc >= 0)
			rc = one_text(d, a, f->indent, c, &so, v, l, &s);
		if (rc >= 0)
			rc = push(st, &sp, v, l, &s, f->indent + 2);
	}
	if (rc < 0)
		return rc;
	ret->p = a->buf + start;
	ret->len = a->top - start;
	return 1;
}
