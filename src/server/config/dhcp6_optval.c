/* ternd configuration: DHCPv6 option values as kea-dhcp6 2.2 builds them
 * (OptionDefinition::optionFactory with the V6 universe and the classes it
 * picks: Option6IA, Option6IAAddr, Option6IAPrefix, Option6ClientFqdn,
 * OptionVendor, OptionVendorClass, Option6StatusCode, Option6PDExclude,
 * OptionOpaqueDataTuples, Option6AddrLst, OptionInt(Array), OptionString,
 * OptionCustom), then packed: sub-options in code order. */
#include "server/config/dhcp6_optval.h"
#include "server/config/options.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define MAX_DEPTH 8    /* sub-options inside sub-options */
#define VAL_MAX	  1024 /* a value being re-packed, at any level */

__attribute__((format(printf, 2, 3))) static int fail(char *why,
						      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, LD6_WHY_LEN, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* The value being packed: out[0..n), its sub-options from base on. */
struct pk {
	uint8_t *out;
	size_t n;
	size_t cap;
	size_t base;
	char *why;
	const struct ternd_defset *ds;
};

static int put(struct pk *p, const uint8_t *d, size_t n)
{
	if (p->n + n > p->cap)
		return -ENOBUFS;
	memmove(p->out + p->n, d, n);
	p->n += n;
	p->base = p->n;
	return 0;
}

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* Kea's option collection is a multimap: packed in code order, equal
 * codes in the order they were added. */
static int insert_sub(struct pk *p, uint16_t code, const uint8_t *d, size_t len)
{
	size_t at = p->base;

	if (len > UINT16_MAX || p->n + 4 + len > p->cap)
		return -ENOBUFS;
	while (at + 4 <= p->n && be16(p->out + at) <= code)
		at += 4 + be16(p->out + at + 2);
	memmove(p->out + at + 4 + len, p->out + at, p->n - at);
	p->out[at] = (uint8_t)(code >> 8);
	p->out[at + 1] = (uint8_t)code;
	p->out[at + 2] = (uint8_t)(len >> 8);
	p->out[at + 3] = (uint8_t)len;
	memcpy(p->out + at + 4, d, len);
	p->n += 4 + len;
	return 0;
}

static int norm(const struct tern_optdef *def, const uint8_t *in, size_t n,
		struct pk *p, int depth);
static int vendor(const uint8_t *in, size_t n, struct pk *p, int depth);

/* One sub-option through its definition (or as is), then inserted. */
static int add_sub(const struct tern_optdef *def, uint16_t code,
		   const uint8_t *d, size_t len, struct pk *p, int depth,
		   bool is_vendor)
{
	uint8_t buf[VAL_MAX];
	struct pk sub = {buf, 0, sizeof(buf), 0, p->why, p->ds};
	int rc;

	if (!def && !is_vendor)
		return insert_sub(p, code, d, len);
	if (depth >= MAX_DEPTH)
		return fail(p->why, "sub-options nested more than %d deep",
			    MAX_DEPTH);
	rc = is_vendor ? vendor(d, len, &sub, depth + 1)
		       : norm(def, d, len, &sub, depth + 1);
	if (rc < 0)
		return rc;
	return insert_sub(p, code, buf, sub.n);
}

/* LibDHCP::unpackOptions6 in space: standard definitions of the space;
 * a truncated option ends the parse quietly; 17 is always OptionVendor. */
static int parse_subs(const char *space, const uint8_t *in, size_t n,
		      struct pk *p, int depth)
{
	size_t off = 0;
	int rc;

	while (off + 4 <= n) {
		uint16_t code = be16(in + off), len = be16(in + off + 2);
		const struct tern_optdef *def = NULL;

		off += 4;
		if (off + len > n)
			return 0;
		if (code == 17 && len < 4)
			return 0;
		if (space && *space) {
			def = tern_optdef6_std(space, code);
			if (!def)
				def = ternd_defset_get(p->ds, space, code,
						       NULL);
		}
		if ((rc = add_sub(def, code, in + off, len, p, depth,
				  code == 17)) < 0)
			return rc;
		off += len;
	}
	return 0;
}

/* OptionVendor (17): the enterprise number, then its options
 * (LibDHCP::unpackVendorOptions6, through the vendor's definitions). */
static int vendor(const uint8_t *in, size_t n, struct pk *p, int depth)
{
	uint32_t ent;
	size_t off = 4;
	int rc;

	if (n < 4)
		return fail(p->why,
			    "Truncated vendor-specific information option, "
			    "length=%zu",
			    n);
	ent = (uint32_t)in[0] << 24 | (uint32_t)in[1] << 16 |
	      (uint32_t)in[2] << 8 | in[3];
	if ((rc = put(p, in, 4)) < 0)
		return rc;
	while (off < n) {
		uint16_t code, len;

		if (off + 4 > n)
			return fail(p->why, "Vendor option parse failed: "
					    "truncated header");
		code = be16(in + off);
		len = be16(in + off + 2);
		off += 4;
		if (off + len > n)
			return fail(p->why,
				    "Vendor option parse failed. Tried to "
				    "parse %zu bytes from %zu-byte long "
				    "buffer.",
				    off + len, n - 4);
		if ((rc = add_sub(tern_optdef6_vendor(ent, code), code,
				  in + off, len, p, depth, false)) < 0)
			return rc;
		off += len;
	}
	return 0;
}

/* OpaqueDataTuple with its 2-byte length, from off; the next offset. */
static int tuple_at(const uint8_t *in, size_t n, size_t off, char *why)
{
	size_t len;

	if (n - off < 2)
		return fail(why,
			    "unable to parse the opaque data tuple, the buffer "
			    "length is %zu, expected at least 2",
			    n - off);
	len = be16(in + off);
	if (n - off - 2 < len)
		return fail(why,
			    "unable to parse the opaque data tuple, the buffer "
			    "length is %zu, but the tuple length is %zu",
			    n - off - 2, len);
	return (int)(off + 2 + len);
}

/* OptionOpaqueDataTuples (bootfile-param) and OptionVendorClass (16). */
static int tuples(const uint8_t *in, size_t n, size_t off, struct pk *p)
{
	while (off < n) {
		int next = tuple_at(in, n, off, p->why);

		if (next < 0)
			return next;
		off = (size_t)next;
	}
	return put(p, in, n);
}

/* isc::dns::Name from wire with downcase: lowercase labels into out. */
static int name_lower(const uint8_t *in, size_t n, uint8_t *out,
		      size_t *ret_len)
{
	size_t w, text;

	if (ternd_wire_name(in, n, &w, &text) < 0)
		return -EINVAL;
	for (size_t i = 0; i < w;) {
		size_t l = in[i];

		out[i] = in[i];
		for (size_t k = 1; k <= l; k++) {
			uint8_t c = in[i + k];

			out[i + k] = (c >= 'A' && c <= 'Z') ? c + 32 : c;
		}
		i += 1 + l;
	}
	*ret_len = w;
	return 0;
}

/* Option6ClientFqdn (39): flags (N and S not both), then a full name
 * (ending in the root label) or a partial one, lowercased. */
static int client_fqdn(const uint8_t *in, size_t n, struct pk *p)
{
	uint8_t name[VAL_MAX + 1], low[VAL_MAX + 1];
	size_t len;
	int rc;

	if (n < 1)
		return fail(p->why,
			    "DHCPv6 Client FQDN Option (39) is truncated. "
			    "Minimal option size is 1, got option with size 0");
	if ((in[0] & 0x5) == 0x5)
		return fail(p->why,
			    "both N and S flag of the DHCPv6 Client FQDN "
			    "Option are set. According to RFC 4704, if the N "
			    "bit is 1 the S bit MUST be 0");
	if ((rc = put(p, in, 1)) < 0 || n == 1)
		return rc;
	if (n - 1 > VAL_MAX)
		return -ENOBUFS;
	memcpy(name, in + 1, n - 1);
	if (in[n - 1] != 0) {
		name[n - 1] = 0;
		if (name_lower(name, n, low, &len) < 0)
			return fail(p->why, "failed to parse partial "
					    "domain-name from wire format");
		return put(p, low, len - 1);
	}
	if (name_lower(name, n - 1, low, &len) < 0)
		return fail(p->why, "failed to parse fully qualified "
				    "domain-name from wire format");
	return put(p, low, len);
}

/* OptionCustom::bufferLength with the V6 tuple: 0 for an empty prefix
 * outside an array, -EINVAL when the field cannot be read. */
static int field_len(const struct tern_optdef *def, enum tern_opt_type t,
		     bool in_array, const uint8_t *in, size_t n, size_t *ret)
{
	size_t fixed = tern_opt_type_len(t), w, text;

	if (fixed) {
		*ret = fixed;
		return 0;
	}
	switch (t) {
	case TERN_OT_FQDN:
		if (n == 0 || ternd_wire_name(in, n, &w, &text) < 0)
			return -EINVAL;
		*ret = text + 1; /* Kea sizes it by its text */
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
		if (n == 0 || in[0] > 128 || n - 1 < ((size_t)in[0] + 7) / 8)
			return -EINVAL;
		*ret = 1 + ((size_t)in[0] + 7) / 8;
		return 0;
	case TERN_OT_TUPLE:
		if (n < 2 || n - 2 < be16(in))
			return -EINVAL;
		*ret = 2 + (size_t)be16(in);
		return 0;
	default:
		return -EINVAL;
	}
}

/* OptionCustom::createBuffers, then pack: the fields it took, and what
 * follows them as sub-options when the option encapsulates a space. */
static int custom(const struct tern_optdef *def, const uint8_t *in, size_t n,
		  struct pk *p, int depth)
{
	size_t off = 0, len;
	int rc;

	if (def->type == TERN_OT_RECORD) {
		for (size_t i = 0; i < def->n_fields; i++) {
			if (field_len(def, def->fields[i], false, in + off,
				      n - off, &len) < 0 ||
			    n - off < len)
				return fail(p->why, "option buffer truncated");
			off += len;
		}
		if (def->array) {
			enum tern_opt_type last =
				def->fields[def->n_fields - 1];

			while (off < n) {
				if (field_len(def, last, true, in + off,
					      n - off, &len) < 0)
					return fail(p->why,
						    "option buffer truncated");
				if (n - off < len)
					break;
				off += len;
			}
		}
	} else if (def->array) {
		if (n < tern_opt_type_len(def->type))
			return fail(p->why, "option buffer truncated");
		while (off < n) {
			if (field_len(def, def->type, true, in + off, n - off,
				      &len) < 0)
				return fail(p->why, "option buffer truncated");
			if (n - off < len)
				break; /* a partial value is dropped */
			off += len;
		}
	} else if (def->type != TERN_OT_EMPTY) {
		if (field_len(def, def->type, false, in, n, &len) < 0 ||
		    n < len)
			return fail(p->why, "option buffer truncated");
		off = len;
	}
	if ((rc = put(p, in, off)) < 0)
		return rc;
	if (off < n && def->encapsulate && !def->array)
		return parse_subs(def->encapsulate, in + off, n - off, p,
				  depth);
	return 0;
}

/* factorySpecialFormatOption for the dhcp6 space; 1 when not special. */
static int special(const struct tern_optdef *def, const uint8_t *in, size_t n,
		   struct pk *p, int depth)
{
	uint8_t a[25];
	int rc;

	if (def != tern_optdef6_std(TERN_SPACE_DHCP6, def->code))
		return 1;
	switch (def->code) {
	case 3:	 /* ia-na */
	case 25: /* ia-pd */
	case 5:	 /* iaaddr */
	case 26: /* iaprefix */ {
		size_t fixed = def->code == 5 ? 24 : def->code == 26 ? 25 : 12;

		if (n < fixed)
			return fail(p->why, "Option %u truncated", def->code);
		memcpy(a, in, fixed);
		if (def->code == 26 && a[8] < 128) {
			/* Option6IAPrefix::mask: bits past the length go. */
			size_t keep = a[8] / 8u;

			if (a[8] % 8)
				a[9 + keep] &=
					(uint8_t)(0xff << (8 - a[8] % 8)),
					keep++;
			memset(a + 9 + keep, 0, 16 - keep);
		}
		if ((rc = put(p, a, fixed)) < 0)
			return rc;
		return parse_subs(TERN_SPACE_DHCP6, in + fixed, n - fixed, p,
				  depth);
	}
	case 39:
		return client_fqdn(in, n, p);
	case 17:
		return vendor(in, n, p, depth);
	case 16:
		if (n < 4)
			return fail(p->why,
				    "parsed Vendor Class option data truncated "
				    "to size %zu",
				    n);
		return tuples(in, n, 4, p);
	case 13:
		if (n < 2)
			return fail(p->why,
				    "Status Code option (13) truncated");
		return put(p, in, n);
	case 60:
		return tuples(in, n, 0, p);
	case 67:
		if (n < 2)
			return fail(p->why, "truncated Prefix Exclude option");
		if (in[0] == 0)
			return fail(p->why,
				    "excluded prefix length must not be 0");
		if ((rc = put(p, in, n)) < 0)
			return rc;
		if (in[0] % 8) /* the last byte keeps len % 8 bits */
			p->out[p->n - 1] &= (uint8_t)(0xff << (8 - in[0] % 8));
		return 0;
	default:
		return 1;
	}
}

static bool is_int(enum tern_opt_type t)
{
	return t >= TERN_OT_I8 && t <= TERN_OT_U32;
}

static int norm(const struct tern_optdef *def, const uint8_t *in, size_t n,
		struct pk *p, int depth)
{
	size_t w = tern_opt_type_len(def->type);
	int rc = special(def, in, n, p, depth);

	if (rc <= 0)
		return rc;
	switch (def->type) {
	case TERN_OT_EMPTY:
		if (!def->encapsulate)
			return 0; /* data is dropped */
		return parse_subs(def->encapsulate, in, n, p, depth);
	case TERN_OT_BINARY:
		return put(p, in, n);
	case TERN_OT_STRING:
		while (n && in[n - 1] == 0)
			n--;
		if (n == 0)
			return fail(p->why,
				    "failed to parse an option '%u' holding "
				    "string value' was empty or contained only "
				    "nuls",
				    def->code);
		return put(p, in, n);
	case TERN_OT_IPV6:
		if (!def->array)
			return custom(def, in, n, p, depth);
		if (n % 16)
			return fail(p->why,
				    "Option %u malformed: len=%zu is not "
				    "divisible by 16.",
				    def->code, n);
		return put(p, in, n);
	case TERN_OT_IPV4:
		if (!def->array)
			return custom(def, in, n, p, depth);
		if (n % 4)
			return fail(p->why,
				    "option %u has invalid length=%zu, must be "
				    "divisible by 4.",
				    def->code, n);
		return put(p, in, n);
	case TERN_OT_TUPLE:
		if (!def->array)
			return custom(def, in, n, p, depth);
		return tuples(in, n, 0, p);
	default:
		break;
	}
	if (!is_int(def->type))
		return custom(def, in, n, p, depth);
	if (def->array) {
		if (n == 0)
			return fail(p->why, "option %u empty", def->code);
		if (n % w)
			return fail(p->why, "OptionIntArray %u truncated",
				    def->code);
		return put(p, in, n);
	}
	/* OptionInt: the value, then the rest as sub-options. */
	if (n < w)
		return fail(p->why, "OptionInt %u truncated", def->code);
	if ((rc = put(p, in, w)) < 0)
		return rc;
	return parse_subs(def->encapsulate, in + w, n - w, p, depth);
}

const struct tern_optdef *ld6_def_find(const struct ternd_defset *ds,
				       const char *space, uint16_t code)
{
	const struct tern_optdef *d = ternd_defset_get(ds, space, code, NULL);
	uint32_t ent;

	if (!d)
		d = tern_optdef6_std(space, code);
	if (!d && (ent = tern_space_vendor_id(space)) != 0)
		d = tern_optdef6_vendor(ent, code);
	return d;
}

const struct tern_optdef *ld6_def_find_name(const struct ternd_defset *ds,
					    const char *space, const char *name)
{
	const struct tern_optdef *d = ternd_defset_get(ds, space, 0, name);
	uint32_t ent;

	if (!d)
		d = tern_optdef6_std_name(space, name);
	if (!d && (ent = tern_space_vendor_id(space)) != 0)
		d = tern_optdef6_vendor_name(ent, name);
	return d;
}

int ld6_optval_bytes(const struct ternd_defset *ds,
		     const struct tern_optdef *def, const uint8_t *in, size_t n,
		     uint8_t *out, size_t cap, char *why)
{
	uint8_t tmp[VAL_MAX];
	struct pk p = {out, 0, cap, 0, why, ds};
	int rc;

	why[0] = '\0';
	if (n > sizeof(tmp))
		return -ENOBUFS;
	memcpy(tmp, in, n); /* in may be out */
	if (!def) {
		if (n > cap)
			return -ENOBUFS;
		memcpy(out, tmp, n);
		return (int)n;
	}
	rc = norm(def, tmp, n, &p, 0);
	return rc < 0 ? rc : (int)p.n;
}

int ld6_optval(const struct ternd_defset *ds, const struct tern_optdef *def,
	       const char *data, bool csv, uint8_t *out, size_t cap, char *why)
{
	uint8_t buf[VAL_MAX];
	struct ternd_optval tv;
	int n;

	why[0] = '\0';
	if (!data)
		data = "";
	if (!csv || !def) {
		n = ternd_opt_text_bytes(data, buf, sizeof(buf));
		if (n == -ENOBUFS)
			return n;
		if (n < 0) {
			fail(why,
			     "option data is not a valid string of "
			     "hexadecimal digits: %s",
			     data);
			return -EBADMSG;
		}
		return ld6_optval_bytes(ds, def, buf, (size_t)n, out, cap, why);
	}
	/* The CSV step is shared with DHCPv4 (tuples differ); it reports
	 * through a v4 value, of which only the reason is used. */
	tv.why[0] = '\0';
	n = ternd_opt_csv_bytes(def, data, true, buf, sizeof(buf), &tv);
	if (n < 0) {
		snprintf(why, LD6_WHY_LEN, "%s", tv.why);
		return n;
	}
	return ld6_optval_bytes(ds, def, buf, (size_t)n, out, cap, why);
}
