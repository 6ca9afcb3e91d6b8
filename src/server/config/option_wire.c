/* ternd option values, wire side: an option's bytes checked and re-packed
 * as Kea 2.2's option classes do when the option factory builds them
 * (OptionInt, OptionIntArray, Option4AddrLst, OptionString, OptionCustom,
 * OptionVendor, ...), sub-options included. */
#include "server/config/options.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define MAX_DEPTH 8 /* sub-options inside sub-options */

__attribute__((format(printf, 2, 3))) static int fail(struct ternd_optval *v,
						      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(v->why, sizeof(v->why), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int norm(const struct ternd_defset *ds, const struct tern_optdef *def,
		const uint8_t *in, size_t n, struct ternd_optval *v, int depth);

static bool is_int(enum tern_opt_type t)
{
	return t >= TERN_OT_I8 && t <= TERN_OT_U32;
}

static int set_val(struct ternd_optval *v, const uint8_t *in, size_t n)
{
	if (n > sizeof(v->val))
		return -ENOBUFS;
	memmove(v->val, in, n);
	v->val_len = n;
	return 0;
}

/* ---- sub-options (code, len, data), kept in code order ------------------- */

bool ternd_optval_has_sub(const struct ternd_optval *v, uint8_t code)
{
	for (size_t i = 0; i + 1 < v->sub_len; i += 2 + v->sub[i + 1])
		if (v->sub[i] == code)
			return true;
	return false;
}

/* Insert after the last sub-option with a code <= code: Kea's option
 * collection is a multimap, so equal codes keep their order. */
static int insert_sub(struct ternd_optval *v, uint8_t code, const uint8_t *d,
		      size_t len)
{
	size_t at = 0;

	if (len > UINT8_MAX)
		return fail(v,
			    "sub-option %u is %zu bytes long (at most 255 in "
			    "DHCPv4)",
			    code, len);
	if (v->sub_len + 2 + len > sizeof(v->sub))
		return -ENOBUFS;
	while (at + 1 < v->sub_len && v->sub[at] <= code)
		at += 2 + (size_t)v->sub[at + 1];
	memmove(v->sub + at + 2 + len, v->sub + at, v->sub_len - at);
	v->sub[at] = code;
	v->sub[at + 1] = (uint8_t)len;
	memcpy(v->sub + at + 2, d, len);
	v->sub_len += 2 + len;
	return 0;
}

int ternd_optval_add_sub(struct ternd_optval *v, uint8_t code,
			 const uint8_t *data, size_t len, bool *ret_added)
{
	int rc;

	if (ternd_optval_has_sub(v, code)) {
		if (ret_added)
			*ret_added = false;
		return 0;
	}
	if ((rc = insert_sub(v, code, data, len)) < 0)
		return rc;
	if (ret_added)
		*ret_added = true;
	return 0;
}

int ternd_optval_wire(const struct ternd_optval *v, uint8_t *out, size_t cap)
{
	size_t n = v->val_len + (v->vendor ? 1 : 0) + v->sub_len;

	if (n > cap)
		return -ENOBUFS;
	memcpy(out, v->val, v->val_len);
	if (v->vendor)
		out[v->val_len] = (uint8_t)v->sub_len;
	memcpy(out + n - v->sub_len, v->sub, v->sub_len);
	return (int)n;
}

/* One sub-option through its definition (or as is), then inserted. */
static int add_parsed(const struct ternd_defset *ds,
		      const struct tern_optdef *def, uint8_t code,
		      const uint8_t *d, size_t len, struct ternd_optval *v,
		      int depth)
{
	struct ternd_optval sub;
	uint8_t wire[TERND_OPT_VAL_MAX + TERND_OPT_SUB_MAX + 1];
	int rc, n;

	if (!def)
		return insert_sub(v, code, d, len);
	if (depth >= MAX_DEPTH)
		return fail(v, "sub-options nested more than %d deep",
			    MAX_DEPTH);
	sub.val_len = sub.sub_len = 0;
	sub.vendor = sub.encap = false;
	sub.why[0] = '\0';
	if ((rc = norm(ds, def, d, len, &sub, depth + 1)) < 0) {
		memcpy(v->why, sub.why, sizeof(v->why));
		return rc;
	}
	if ((n = ternd_optval_wire(&sub, wire, sizeof(wire))) < 0)
		return n;
	return insert_sub(v, code, wire, (size_t)n);
}

/*
 * LibDHCP::unpackOptions4 as Option::unpackOptions calls it: options of
 * space, through their definitions; a truncated one ends the parse (the
 * rest is dropped, as Kea ignores where it stopped). PAD and END only
 * mean something in the dhcp4 space.
 */
static int parse_subs(const struct ternd_defset *ds, const char *space,
		      const uint8_t *in, size_t n, struct ternd_optval *v,
		      int depth)
{
	bool is4 = strcmp(space, TERN_SPACE_DHCP4) == 0;
	size_t off = 0;
	int rc;

	while (off < n) {
		uint8_t code = in[off++], len;
		const struct tern_optdef *def = NULL;

		if (is4 && code == 255)
			return 0;
		if (is4 && code == 0)
			continue;
		if (off + 1 > n)
			return 0;
		len = in[off++];
		if (off + len > n)
			return 0;
		if (is4 && len == 0 && code == 12) /* Kea drops it */
			continue;
		/* Standard and option-def definitions of the space (not the
		 * vendor or last-resort ones: 43 stays generic). */
		if (*space) {
			def = tern_optdef_std(space, code);
			if (!def)
				def = ternd_defset_get(ds, space, code, NULL);
		}
		if ((rc = add_parsed(ds, def, code, in + off, len, v, depth)) <
		    0)
			return rc;
		off += len;
	}
	return 0;
}

/* LibDHCP::unpackVendorOptions4: one data-len block of the enterprise's
 * sub-options (its standard definitions only); trailing bytes ignored. */
static int parse_vendor(const struct ternd_defset *ds, uint32_t enterprise,
			const uint8_t *in, size_t n, struct ternd_optval *v,
			int depth)
{
	size_t off = 0, end;
	int rc;

	if (n == 0)
		return 0;
	end = (size_t)in[0] + 1;
	off = 1;
	if (end > n)
		return fail(v, "Attempt to parse truncated vendor option");
	while (off < end) {
		uint8_t code = in[off++], len;

		if (off + 1 > end)
			return fail(v,
				    "Attempt to parse truncated vendor option "
				    "%u",
				    code);
		len = in[off++];
		if (off + len > end)
			return fail(v,
				    "Option parse failed. Tried to parse %zu "
				    "bytes from %zu-byte long buffer.",
				    off + len, n);
		if ((rc = add_parsed(ds, tern_optdef_vendor(enterprise, code),
				     code, in + off, len, v, depth)) < 0)
			return rc;
		off += len;
	}
	return 0;
}

/* ---- OptionCustom -----------------------------------------------------------
 */

/* isc::dns::Name from wire: its length, and the length of its text
 * (escapes and the final dot), which Kea uses as the field size. */
int ternd_wire_name(const uint8_t *p, size_t n, size_t *ret_wire,
		    size_t *ret_text)
{
	size_t off = 0, text = 0;

	for (;;) {
		uint8_t l;

		if (off >= n)
			return -EINVAL;
		l = p[off];
		if (l == 0)
			break;
		/* Compression pointers and extended labels are refused:
		 * an option value written by hand has no use for them. */
		if (l > 63 || off + 1 + l > n)
			return -EINVAL;
		for (size_t i = 1; i <= l; i++) {
			uint8_t c = p[off + i];

			if (c == '"' || c == '(' || c == ')' || c == '.' ||
			    c == ';' || c == '\\' || c == '@' || c == '$')
				text += 2;
			else if (c > 0x20 && c < 0x7f)
				text += 1;
			else
				text += 4;
		}
		text += 1; /* the dot after it */
		off += 1 + l;
		if (off + 1 > 255)
			return -EINVAL;
	}
	*ret_wire = off + 1;
	*ret_text = text ? text : 1; /* the root is "." */
	return 0;
}

/* OptionCustom::bufferLength: how many bytes a field takes, 0 for an
 * empty prefix outside an array, -EINVAL when it cannot be read. */
static int field_len(const struct tern_optdef *def, enum tern_opt_type t,
		     bool in_array, const uint8_t *p, size_t n, size_t *ret)
{
	size_t fixed = tern_opt_type_len(t), w, text;

	if (fixed) {
		*ret = fixed;
		return 0;
	}
	switch (t) {
	case TERN_OT_FQDN:
		if (n == 0 || ternd_wire_name(p, n, &w, &text) < 0)
			return -EINVAL;
		*ret = text + 1;
		return 0;
	case TERN_OT_STRING:
	case TERN_OT_BINARY:
		if (def->array)
			return -EINVAL;
		*ret = n;
		return 0;
	case TERN_OT_IPV6_PREFIX:
		if (n == 0 && !in_array) {
			*ret = 0;
			return 0;
		}
		if (n == 0 || p[0] > 128 || n - 1 < ((size_t)p[0] + 7) / 8)
			return -EINVAL;
		*ret = 1 + ((size_t)p[0] + 7) / 8;
		return 0;
	case TERN_OT_TUPLE:
		if (n < 1 || n < 1 + (size_t)p[0])
			return -EINVAL;
		*ret = 1 + (size_t)p[0];
		return 0;
	default:
		return -EINVAL;
	}
}

static int custom(const struct ternd_defset *ds, const struct tern_optdef *def,
		  const uint8_t *in, size_t n, struct ternd_optval *v,
		  int depth)
{
	size_t off = 0, len;
	int rc;

	if (def->type == TERN_OT_RECORD) {
		for (size_t i = 0; i < def->n_fields; i++) {
			if (field_len(def, def->fields[i], false, in + off,
				      n - off, &len) < 0 ||
			    n - off < len)
				return fail(v, "option buffer truncated");
			off += len;
		}
		if (def->array) {
			enum tern_opt_type last =
				def->fields[def->n_fields - 1];

			while (off < n) {
				if (field_len(def, last, true, in + off,
					      n - off, &len) < 0)
					return fail(v,
						    "option buffer truncated");
				if (n - off < len)
					break;
				off += len;
			}
		}
	} else if (def->array) {
		if (n < tern_opt_type_len(def->type))
			return fail(v, "option buffer truncated");
		while (off < n) {
			if (field_len(def, def->type, true, in + off, n - off,
				      &len) < 0)
				return fail(v, "option buffer truncated");
			if (n - off < len)
				break; /* a partial value is dropped */
			off += len;
		}
	} else if (def->type != TERN_OT_EMPTY) {
		if (field_len(def, def->type, false, in, n, &len) < 0 ||
		    len == 0 || n < len)
			return fail(v, "option buffer truncated");
		off = len;
	}
	if ((rc = set_val(v, in, off)) < 0)
		return rc;
	v->encap = def->encapsulate != NULL;
	/* What follows the fields is sub-options when the option
	 * encapsulates a space, else it is not packed again. */
	if (off < n && def->encapsulate && !def->array)
		return parse_subs(ds, def->encapsulate, in + off, n - off, v,
				  depth);
	return 0;
}

/* ---- the other option classes ----------------------------------------------
 */

static int fqdn_list(const uint8_t *in, size_t n, struct ternd_optval *v)
{
	size_t off = 0, w, text;

	if (n == 0)
		return fail(v, "FQDN list option has invalid length of 0");
	while (off < n) {
		if (ternd_wire_name(in + off, n - off, &w, &text) < 0)
			return fail(v, "malformed domain name in the list");
		off += w;
	}
	return set_val(v, in, n);
}

static int tuples(const uint8_t *in, size_t n, struct ternd_optval *v)
{
	size_t off = 0;

	if (n < 2)
		return fail(v,
			    "parsed data tuples option data truncated to size "
			    "%zu",
			    n);
	while (off < n) {
		if (off + 1 + in[off] > n)
			return fail(v,
				    "unable to parse the opaque data tuple, "
				    "the buffer length is %zu, but the tuple "
				    "length is %u",
				    n - off - 1, in[off]);
		off += 1 + in[off];
	}
	return set_val(v, in, n);
}

/* OptionVendorClass (124): enterprise, tuple, then enterprise + tuple. */
static int vivco(const uint8_t *in, size_t n, struct ternd_optval *v)
{
	size_t off = 4;

	if (n < 4)
		return fail(v,
			    "parsed Vendor Class option data truncated to size "
			    "%zu",
			    n);
	while (off < n) {
		if (off + 1 + in[off] > n)
			return fail(v,
				    "unable to parse the opaque data tuple of "
				    "the vendor class");
		off += 1 + in[off];
		if (off != n) {
			off += 4;
			if (off + 1 >= n)
				return fail(v,
					    "truncated DHCPv4 V-I Vendor Class "
					    "option - it should contain "
					    "enterprise id followed by opaque "
					    "data field tuple");
		}
	}
	return set_val(v, in, n);
}

static bool std_dhcp4(const struct tern_optdef *def, uint8_t code)
{
	return def == tern_optdef_std(TERN_SPACE_DHCP4, code);
}

static int norm(const struct ternd_defset *ds, const struct tern_optdef *def,
		const uint8_t *in, size_t n, struct ternd_optval *v, int depth)
{
	size_t w = tern_opt_type_len(def->type);
	uint32_t ent;

	/* Kea's factorySpecialFormatOption, dhcp4 space only. */
	if (std_dhcp4(def, 79)) {
		if (n < 1)
			return fail(v,
				    "SLP Service Scope option (79) truncated");
		if (in[0] > 1)
			return fail(v,
				    "unable to read the buffer as boolean "
				    "value. Invalid value %u",
				    in[0]);
		return set_val(v, in, n);
	}
	if (std_dhcp4(def, 124))
		return vivco(in, n, v);
	if (std_dhcp4(def, 125)) {
		if (n < 4)
			return fail(v,
				    "Truncated vendor-specific information "
				    "option, length=%zu",
				    n);
		ent = (uint32_t)in[0] << 24 | (uint32_t)in[1] << 16 |
		      (uint32_t)in[2] << 8 | in[3];
		v->vendor = true;
		set_val(v, in, 4);
		return parse_vendor(ds, ent, in + 4, n - 4, v, depth);
	}
	/* 81 (client FQDN) is taken as its record: only flags and a name. */
	if (def->array && def->type == TERN_OT_FQDN)
		return fqdn_list(in, n, v);
	switch (def->type) {
	case TERN_OT_EMPTY:
		if (!def->encapsulate)
			return 0; /* data is dropped */
		v->encap = true;
		return parse_subs(ds, def->encapsulate, in, n, v, depth);
	case TERN_OT_BINARY:
		return set_val(v, in, n);
	case TERN_OT_STRING:
		while (n && in[n - 1] == 0)
			n--;
		if (n == 0)
			return fail(v,
				    "failed to parse an option '%u' holding "
				    "string value' was empty or contained only "
				    "nuls",
				    def->code);
		return set_val(v, in, n);
	case TERN_OT_IPV4:
	case TERN_OT_IPV6:
		if (!def->array)
			return custom(ds, def, in, n, v, depth);
		if (n % w)
			return fail(v,
				    "option %u has invalid length=%zu, must be "
				    "divisible by %zu.",
				    def->code, n, w);
		return set_val(v, in, n);
	case TERN_OT_TUPLE:
		if (!def->array)
			return custom(ds, def, in, n, v, depth);
		return tuples(in, n, v);
	default:
		break;
	}
	if (!is_int(def->type))
		return custom(ds, def, in, n, v, depth);
	if (def->array) {
		if (n == 0)
			return fail(v, "option %u empty", def->code);
		if (n % w)
			return fail(v, "OptionIntArray %u truncated",
				    def->code);
		return set_val(v, in, n);
	}
	/* OptionInt: the value, then the rest as sub-options. */
	if (n < w)
		return fail(v, "OptionInt %u truncated", def->code);
	set_val(v, in, w);
	v->encap = def->encapsulate != NULL;
	return parse_subs(ds, def->encapsulate ? def->encapsulate : "", in + w,
			  n - w, v, depth);
}

int ternd_optval_from_bytes(const struct ternd_defset *ds,
			    const struct tern_optdef *def, const uint8_t *in,
			    size_t n, struct ternd_optval *v)
{
	uint8_t tmp[TERND_OPT_VAL_MAX];

	/* in may be v->val (from_text builds there): work on a copy. */
	if (n > sizeof(tmp))
		return -ENOBUFS;
	memcpy(tmp, in, n);
	v->val_len = v->sub_len = 0;
	v->vendor = v->encap = false;
	v->why[0] = '\0';
	if (!def || def == &ternd_def_classless_routes)
		return set_val(v, tmp, n);
	return norm(ds, def, tmp, n, v, 0);
}
