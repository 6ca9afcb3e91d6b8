/* ternd configuration: Dhcp6 option-data lists, their text encoded as
 * kea-dhcp6 2.2 sends it (dhcp6 space; names of std_option_defs.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <tern/dhcp6.h>

#include "server/config/loader6.h"
#include "server/config/options.h"

enum otype {
	OT_ADDRS, /* list of IPv6 addresses */
	OT_NAMES, /* list of FQDNs, wire format */
	OT_NAME,  /* one FQDN */
	OT_U8,
	OT_U32,
	OT_EMPTY,      /* a container: its value is its sub-options */
	OT_ADDR,       /* one IPv6 address */
	OT_PREFIX6,    /* "addr/len": length byte, significant bytes */
	OT_S46_RULE,   /* flags, ea-len, v4 prefix len, v4 prefix, v6 prefix */
	OT_S46_BIND,   /* v4 address, v6 prefix */
	OT_PORTPARAMS, /* offset, psid/psid-len */
};

/* Option spaces (std_option_defs.h); vendor-N spaces are SP_VENDOR. */
enum space {
	SP_DHCP6,
	SP_MAPE,
	SP_MAPT,
	SP_LW,
	SP_RULE,
	SP_BIND,
	SP_VENDOR,
	SP_NONE,
};

static const char *const space_names[] = {
	"dhcp6",
	"s46-cont-mape-options",
	"s46-cont-mapt-options",
	"s46-cont-lw-options",
	"s46-rule-options",
	"s46-v4v6bind-options",
};

static const struct {
	const char *name;
	uint16_t code;
	uint8_t type;
	uint8_t space;
	uint8_t encap; /* the space of its sub-options, SP_NONE if none */
} defs[] = {
	{"preference", TERN_DHCP6_OPT_PREFERENCE, OT_U8, SP_DHCP6, SP_NONE},
	{"dns-servers", TERN_DHCP6_OPT_DNS_SERVERS, OT_ADDRS, SP_DHCP6,
	 SP_NONE},
	{"domain-search", TERN_DHCP6_OPT_DOMAIN_LIST, OT_NAMES, SP_DHCP6,
	 SP_NONE},
	{"sntp-servers", TERN_DHCP6_OPT_SNTP_SERVERS, OT_ADDRS, SP_DHCP6,
	 SP_NONE},
	{"information-refresh-time", TERN_DHCP6_OPT_INFO_REFRESH_TIME, OT_U32,
	 SP_DHCP6, SP_NONE},
	{"aftr-name", TERN_DHCP6_OPT_AFTR_NAME, OT_NAME, SP_DHCP6, SP_NONE},
	{"solmax-rt", TERN_DHCP6_OPT_SOL_MAX_RT, OT_U32, SP_DHCP6, SP_NONE},
	{"inf-max-rt", TERN_DHCP6_OPT_INF_MAX_RT, OT_U32, SP_DHCP6, SP_NONE},
	{"vendor-opts", TERN_DHCP6_OPT_VENDOR_OPTS, OT_U32, SP_DHCP6, SP_NONE},
	{"s46-cont-mape", TERN_DHCP6_OPT_S46_CONT_MAPE, OT_EMPTY, SP_DHCP6,
	 SP_MAPE},
	{"s46-cont-mapt", TERN_DHCP6_OPT_S46_CONT_MAPT, OT_EMPTY, SP_DHCP6,
	 SP_MAPT},
	{"s46-cont-lw", TERN_DHCP6_OPT_S46_CONT_LW, OT_EMPTY, SP_DHCP6, SP_LW},
	{"s46-rule", TERN_DHCP6_OPT_S46_RULE, OT_S46_RULE, SP_MAPE, SP_RULE},
	{"s46-br", TERN_DHCP6_OPT_S46_BR, OT_ADDR, SP_MAPE, SP_NONE},
	{"s46-rule", TERN_DHCP6_OPT_S46_RULE, OT_S46_RULE, SP_MAPT, SP_RULE},
	{"s46-dmr", TERN_DHCP6_OPT_S46_DMR, OT_PREFIX6, SP_MAPT, SP_NONE},
	{"s46-br", TERN_DHCP6_OPT_S46_BR, OT_ADDR, SP_LW, SP_NONE},
	{"s46-v4v6bind", TERN_DHCP6_OPT_S46_V4V6BIND, OT_S46_BIND, SP_LW,
	 SP_BIND},
	{"s46-portparams", TERN_DHCP6_OPT_S46_PORTPARAMS, OT_PORTPARAMS,
	 SP_RULE, SP_NONE},
	{"s46-portparams", TERN_DHCP6_OPT_S46_PORTPARAMS, OT_PORTPARAMS,
	 SP_BIND, SP_NONE},
};
#define N_DEFS (sizeof(defs) / sizeof(defs[0]))

/* Kea's dhcp6 names ternd does not encode yet: refused by name. */
static const char *const not_yet[] = {
	"vendor-class",
	"nis-servers",
	"sip-server-dns",
	"sip-server-addr",
	"nisp-servers",
	"ntp-server",
	NULL,
};

/* One parsed entry, before containers get their sub-options. */
struct entry {
	uint8_t space;
	int def; /* -1 when given by code without a definition */
	struct ternd_option6 opt;
};

#define MAX_TOKENS 64

/* Comma-separated tokens of s, blanks trimmed, into tok[] (in buf). */
static int split(const char *s, char *buf, size_t cap, char **tok)
{
	size_t len = strlen(s);
	int n = 0;
	char *p;

	if (len + 1 > cap)
		return -E2BIG;
	memcpy(buf, s, len + 1);
	for (p = buf;;) {
		char *c = strchr(p, ','), *e;

		if (c)
			*c = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		e = p + strlen(p);
		while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
			*--e = '\0';
		if (n == MAX_TOKENS)
			return -E2BIG;
		tok[n++] = p;
		if (!c)
			break;
		p = c + 1;
	}
	return n;
}

/* An unsigned integer token no larger than max. */
static bool tok_uint(const char *t, unsigned long max, unsigned long *ret)
{
	char *end;

	if (!t[0] || t[0] == '-')
		return false;
	errno = 0;
	*ret = strtoul(t, &end, 0);
	return !*end && !errno && *ret <= max;
}

/* "addr/len" as Kea's OPT_IPV6_PREFIX_TYPE writes it: the length, then
 * the bytes the length covers, bits past it zero. */
static int put_prefix6(const char *t, uint8_t *out, size_t cap)
{
	struct in6_addr a;
	uint8_t plen;
	size_t nb;

	if (!ld6_parse_prefix(t, &a, &plen))
		return -1;
	ld6_mask(&a, plen);
	nb = (plen + 7u) / 8u;
	if (1 + nb > cap)
		return -1;
	out[0] = plen;
	memcpy(out + 1, a.s6_addr, nb);
	return (int)(1 + nb);
}

/* The S46 records of RFC 7598 (4.1 rule, 4.4 v4v6bind, 4.5 portparams). */
static int encode_s46(uint8_t t, char **tok, int n, uint8_t *out, size_t cap,
		      const char **why)
{
	unsigned long v[3], psid, plen;
	struct in_addr a4;
	int k = 0, len;
	char *slash;

	switch (t) {
	case OT_S46_RULE:
		*why = "an s46-rule is \"flags, ea-len, ipv4-prefix-len, "
		       "ipv4-prefix, ipv6-prefix/len\"";
		if (n != 5 || cap < 8)
			return -1;
		for (int i = 0; i < 3; i++)
			if (!tok_uint(tok[i], 255, &v[i]))
				return -1;
		if (v[2] > 32 || inet_pton(AF_INET, tok[3], &a4) != 1)
			return -1;
		out[k++] = (uint8_t)v[0];
		out[k++] = (uint8_t)v[1];
		out[k++] = (uint8_t)v[2];
		memcpy(out + k, &a4, 4);
		k += 4;
		len = put_prefix6(tok[4], out + k, cap - (size_t)k);
		return len < 0 ? -1 : k + len;
	case OT_S46_BIND:
		*why = "an s46-v4v6bind is \"ipv4-address, ipv6-prefix/len\"";
		if (n != 2 || cap < 5 || inet_pton(AF_INET, tok[0], &a4) != 1)
			return -1;
		memcpy(out, &a4, 4);
		len = put_prefix6(tok[1], out + 4, cap - 4);
		return len < 0 ? -1 : 4 + len;
	case OT_PORTPARAMS:
		*why = "an s46-portparams is \"offset, psid/psid-len\" "
		       "(psid-len up to 16, psid below 2^psid-len)";
		if (n != 2 || cap < 4 || !tok_uint(tok[0], 255, &v[0]) ||
		    !(slash = strchr(tok[1], '/')))
			return -1;
		*slash = '\0';
		if (!tok_uint(tok[1], 65535, &psid) ||
		    !tok_uint(slash + 1, 16, &plen) ||
		    (plen < 16 && psid >> plen) || (plen == 0 && psid))
			return -1;
		out[0] = (uint8_t)v[0];
		out[1] = (uint8_t)plen;
		psid = plen ? psid << (16 - plen) : 0;
		out[2] = (uint8_t)(psid >> 8);
		out[3] = (uint8_t)psid;
		return 4;
	default:
		return -1;
	}
}

/* Encode text of type t into out; returns the length or -1 with *why. */
static int encode(uint8_t t, uint16_t code, const char *text, uint8_t *out,
		  size_t cap, const char **why)
{
	char buf[4096];
	char *tok[MAX_TOKENS];
	struct tern_dhcp6_writer w;
	int n = split(text, buf, sizeof(buf), tok), len;
	char *end;

	*why = "too long";
	if (n < 0)
		return -1;
	switch (t) {
	case OT_ADDRS:
		if ((size_t)n * 16 > cap)
			return -1;
		for (int i = 0; i < n; i++)
			if (inet_pton(AF_INET6, tok[i], out + 16 * i) != 1) {
				*why = "an IPv6 address is not valid";
				return -1;
			}
		return n * 16;
	case OT_NAMES:
	case OT_NAME:
		if (t == OT_NAME && n != 1) {
			*why = "one domain name is expected";
			return -1;
		}
		tern_dhcp6_writer_init(&w, out, cap);
		tern_dhcp6_put_names(&w, code, (const char *const *)tok,
				     (size_t)n);
		len = tern_dhcp6_writer_finish(&w);
		if (len < TERN_DHCP6_OPT_HDR_LEN) {
			*why = "a domain name is not valid";
			return -1;
		}
		memmove(out, out + TERN_DHCP6_OPT_HDR_LEN,
			(size_t)len - TERN_DHCP6_OPT_HDR_LEN);
		return len - TERN_DHCP6_OPT_HDR_LEN;
	case OT_EMPTY:
		*why = "a container option has no data of its own (its "
		       "sub-options are option-data entries of its space)";
		return n == 1 && !tok[0][0] ? 0 : -1;
	case OT_ADDR:
		*why = "one IPv6 address is expected";
		if (n != 1 || cap < 16 || inet_pton(AF_INET6, tok[0], out) != 1)
			return -1;
		return 16;
	case OT_PREFIX6:
		*why = "one IPv6 prefix \"addr/len\" is expected";
		return n == 1 ? put_prefix6(tok[0], out, cap) : -1;
	case OT_S46_RULE:
	case OT_S46_BIND:
	case OT_PORTPARAMS:
		return encode_s46(t, tok, n, out, cap, why);
	case OT_U8:
	case OT_U32: {
		unsigned long v;

		if (n != 1 || !tok[0][0])
			goto bad_int;
		errno = 0;
		v = strtoul(tok[0], &end, 0);
		if (*end || errno || tok[0][0] == '-' ||
		    (t == OT_U8 && v > 255) || v > UINT32_MAX)
			goto bad_int;
		if (t == OT_U8) {
			out[0] = (uint8_t)v;
			return 1;
		}
		out[0] = (uint8_t)(v >> 24);
		out[1] = (uint8_t)(v >> 16);
		out[2] = (uint8_t)(v >> 8);
		out[3] = (uint8_t)v;
		return 4;
	}
	}
bad_int:
	*why = "an unsigned integer of the option's size is expected";
	return -1;
}

static int opt_cmp(const void *a, const void *b)
{
	const struct ternd_option6 *x = a, *y = b;

	if (x->vendor != y->vendor)
		return x->vendor < y->vendor ? -1 : 1;
	return (int)x->code - (int)y->code;
}

/* The space named s: SP_VENDOR with *vendor for "vendor-N". */
static int space_of(const char *s, uint32_t *vendor)
{
	unsigned long v;

	for (int i = 0; i < SP_VENDOR; i++)
		if (strcmp(space_names[i], s) == 0)
			return i;
	if (strncmp(s, "vendor-", 7) == 0 && tok_uint(s + 7, UINT32_MAX, &v) &&
	    v > 0 && s[7] >= '1' && s[7] <= '9') {
		*vendor = (uint32_t)v;
		return SP_VENDOR;
	}
	return -1;
}

static int def_by_name(uint8_t space, const char *name)
{
	for (size_t i = 0; i < N_DEFS; i++)
		if (defs[i].space == space && strcmp(defs[i].name, name) == 0)
			return (int)i;
	return -1;
}

static int def_by_code(uint8_t space, uint32_t code)
{
	for (size_t i = 0; i < N_DEFS; i++)
		if (defs[i].space == space && defs[i].code == code)
			return (int)i;
	return -1;
}

/* The value of an option its option-def defines, encoded as Kea does
 * (config/options.c, option_wire.c: records, arrays, fqdn, addresses). */
static int encode_defined(struct loader *ld, const struct tern_optdef *ud,
			  const struct tjson *data, bool csv, uint8_t *buf,
			  const char **why)
{
	struct ternd_optval *v = ld_aalloc(ld, ld->tmp, 1, sizeof(*v));
	int rc;

	*why = "out of memory";
	if (!v)
		return -1;
	rc = ternd_optval_from_text(&ld->defs, ud, data ? data->s : "", csv, v);
	if (rc == 0)
		rc = ternd_optval_wire(v, buf, TERND6_MAX_OPTION_LEN);
	if (rc >= 0)
		return rc;
	*why = rc == -ENOBUFS ? "too long" : v->why;
	return -1;
}

static void parse_entry(struct loader *ld, const struct tjson *o,
			struct entry *ret, bool *ok)
{
	const struct tern_optdef *ud = NULL; /* an option-def's */
	const struct tjson *name = NULL, *code = NULL, *data = NULL, *m;
	const struct tjson *space = NULL;
	bool csv = true;
	int def = -1, len, sp = SP_DHCP6;
	uint8_t *buf;
	const char *why, *sname = "dhcp6";
	uint32_t c = 0;

	*ok = false;
	if (!ld_want_type(ld, o, TJSON_OBJECT, "a map"))
		return;
	for (m = o->child; m; m = m->next) {
		if (strcmp(m->key, "name") == 0)
			name = m;
		else if (strcmp(m->key, "code") == 0)
			code = m;
		else if (strcmp(m->key, "data") == 0)
			data = m;
		else if (strcmp(m->key, "csv-format") == 0)
			ld_get_bool(ld, m, &csv);
		else if (strcmp(m->key, "always-send") == 0)
			ld_get_bool(ld, m, &ret->opt.always_send);
		else if (strcmp(m->key, "space") == 0)
			space = m;
		else
			ld6_other_key(ld, m, "option-data");
	}
	if (space) {
		if (!ld_want_type(ld, space, TJSON_STRING, "a string"))
			return;
		sname = space->s;
		if ((sp = space_of(space->s, &ret->opt.vendor)) < 0) {
			ld_error_at(ld, space->pos,
				    "option space \"%s\" is not implemented "
				    "for DHCPv6 (\"dhcp6\", the S46 spaces "
				    "and \"vendor-N\")",
				    space->s);
			return;
		}
	}
	ret->space = (uint8_t)sp;
	if (name && ld_want_type(ld, name, TJSON_STRING, "a string")) {
		def = def_by_name((uint8_t)sp, name->s);
		if (def < 0 && (sp == SP_DHCP6 || sp == SP_VENDOR))
			ud = ternd_defset_get(&ld->defs, sname, 0, name->s);
		if (def < 0 && !ud) {
			bool known = false;

			for (size_t i = 0; sp == SP_DHCP6 && not_yet[i]; i++)
				known |= strcmp(not_yet[i], name->s) == 0;
			if (known)
				ld_error_at(ld, name->pos,
					    "option \"%s\" is Kea's but ternd "
					    "does not implement it for DHCPv6",
					    name->s);
			else if (sp == SP_VENDOR)
				ld_error_at(ld, name->pos,
					    "option \"%s\" of space \"%s\" has "
					    "no definition: give its \"code\" "
					    "and its data as hex with "
					    "\"csv-format\": false",
					    name->s, sname);
			else
				ld_error_at(ld, name->pos,
					    "unknown option \"%s\" in space "
					    "\"%s\"",
					    name->s, sname);
			return;
		}
		c = ud ? ud->code : defs[def].code;
	}
	if (code) {
		if (!ld_get_u32(ld, code, 1, 65535, &c))
			return;
		if ((def >= 0 && c != defs[def].code) ||
		    (ud && c != ud->code)) {
			ld_error_at(ld, code->pos,
				    "code %u does not match option \"%s\"", c,
				    ud ? ud->name : defs[def].name);
			return;
		}
		if (def < 0 && !ud)
			def = def_by_code((uint8_t)sp, c);
		if (def < 0 && !ud && (sp == SP_DHCP6 || sp == SP_VENDOR))
			ud = ternd_defset_get(&ld->defs, sname, (uint16_t)c,
					      NULL);
	}
	if (!name && !code) {
		ld_error_at(ld, o->pos,
			    "option-data needs \"name\" or \"code\"");
		return;
	}
	ret->def = def;
	if (!(buf = ld_aalloc(ld, ld->a, TERND6_MAX_OPTION_LEN, 1)))
		return;
	if (ud && (data || ud->type == TERN_OT_EMPTY)) {
		if (data && !ld_want_type(ld, data, TJSON_STRING, "a string"))
			return;
		if (!csv) {
			len = ternd_hex_decode(data->s, buf,
					       TERND6_MAX_OPTION_LEN);
			why = "hexadecimal data is expected";
		} else {
			len = encode_defined(ld, ud, data, csv, buf, &why);
		}
	} else if (!data && def >= 0 && defs[def].type == OT_EMPTY) {
		len = 0;
	} else if (!data || !ld_want_type(ld, data, TJSON_STRING, "a string")) {
		if (!data)
			ld_error_at(ld, o->pos, "option %u needs \"data\"", c);
		return;
	} else if (!csv) {
		len = ternd_hex_decode(data->s, buf, TERND6_MAX_OPTION_LEN);
		why = "hexadecimal data is expected";
	} else if (def < 0) {
		ld_error_at(ld, data->pos,
			    "option %u has no definition: give its data as "
			    "hex with \"csv-format\": false",
			    c);
		return;
	} else {
		len = encode(defs[def].type, defs[def].code, data->s, buf,
			     TERND6_MAX_OPTION_LEN, &why);
	}
	if (len < 0) {
		ld_error_at(ld, data->pos, "option %u: %s", c, why);
		return;
	}
	ret->opt.code = (uint16_t)c;
	ret->opt.len = (uint16_t)len;
	ret->opt.data = buf;
	*ok = true;
}

/* The value of e with its sub-options appended, as Kea's CfgOption
 * encapsulate: the entries of the encapsulated space at the same level,
 * the first of each code, in code order (the sub-options' own ones
 * too). Returns the length, -1 when over TERND6_MAX_OPTION_LEN. */
static int with_subs(const struct entry *e, const struct entry *all, size_t n,
		     uint8_t *out, size_t cap)
{
	uint8_t encap = e->def >= 0 ? defs[e->def].encap : SP_NONE;
	size_t k;

	if (e->opt.len > cap)
		return -1;
	memcpy(out, e->opt.data, e->opt.len);
	k = e->opt.len;
	if (encap == SP_NONE)
		return (int)k;
	for (uint32_t code = 1; code <= 255; code++) {
		size_t i;
		int sl;

		for (i = 0; i < n &&
			    (all[i].space != encap || all[i].opt.code != code);
		     i++)
			;
		if (i == n)
			continue;
		if (k + TERN_DHCP6_OPT_HDR_LEN > cap)
			return -1;
		sl = with_subs(&all[i], all, n,
			       out + k + TERN_DHCP6_OPT_HDR_LEN,
			       cap - k - TERN_DHCP6_OPT_HDR_LEN);
		if (sl < 0)
			return -1;
		out[k] = (uint8_t)(code >> 8);
		out[k + 1] = (uint8_t)code;
		out[k + 2] = (uint8_t)(sl >> 8);
		out[k + 3] = (uint8_t)sl;
		k += TERN_DHCP6_OPT_HDR_LEN + (size_t)sl;
	}
	return (int)k;
}

/* Keep x in v[0..*n): the last instance of a (vendor, code) wins, as
 * Kea's lookup. */
static void keep(struct ternd_option6 *v, size_t *n,
		 const struct ternd_option6 *x)
{
	size_t i;

	for (i = 0;
	     i < *n && (v[i].code != x->code || v[i].vendor != x->vendor); i++)
		;
	v[i] = *x;
	if (i == *n)
		(*n)++;
}

void ld6_parse_optlist(struct loader *ld, const struct tjson *arr,
		       struct ternd_optlist6 *out)
{
	struct ternd_option6 *v, *vv;
	struct entry *all;
	size_t n = 0, nv = 0, na = 0;

	if (!ld_want_type(ld, arr, TJSON_ARRAY, "a list"))
		return;
	if (arr->n > TERND6_MAX_OPTIONS) {
		ld_error_at(ld, arr->pos, "more than %d options in one list",
			    TERND6_MAX_OPTIONS);
		return;
	}
	if (!(v = ld_aalloc(ld, ld->a, arr->n, sizeof(*v))) ||
	    !(vv = ld_aalloc(ld, ld->a, arr->n, sizeof(*vv))) ||
	    !(all = calloc(arr->n ? arr->n : 1, sizeof(*all))))
		return;
	for (const struct tjson *o = arr->child; o; o = o->next) {
		bool ok;

		memset(&all[na], 0, sizeof(all[na]));
		parse_entry(ld, o, &all[na], &ok);
		if (ok)
			na++;
	}
	for (size_t i = 0; i < na; i++) {
		struct ternd_option6 x = all[i].opt;
		uint8_t *buf;
		int len;

		if (all[i].space == SP_VENDOR) {
			keep(vv, &nv, &x);
			continue;
		}
		if (all[i].space != SP_DHCP6)
			continue; /* sub-options, inside their containers */
		if (all[i].def >= 0 && defs[all[i].def].encap != SP_NONE) {
			if (!(buf = ld_aalloc(ld, ld->a, TERND6_MAX_OPTION_LEN,
					      1)))
				break;
			len = with_subs(&all[i], all, na, buf,
					TERND6_MAX_OPTION_LEN);
			if (len < 0) {
				ld_error_at(ld, arr->pos,
					    "option %u with its sub-options "
					    "is longer than %d bytes",
					    x.code, TERND6_MAX_OPTION_LEN);
				continue;
			}
			x.data = buf;
			x.len = (uint16_t)len;
		}
		keep(v, &n, &x);
	}
	free(all);
	qsort(v, n, sizeof(*v), opt_cmp);
	qsort(vv, nv, sizeof(*vv), opt_cmp);
	out->v = v;
	out->n = n;
	out->vend = vv;
	out->n_vend = nv;
}

const struct ternd_option6 *
ternd_optlist6_find_vendor(const struct ternd_optlist6 *l, uint32_t vendor,
			   uint16_t code)
{
	for (size_t i = 0; i < l->n_vend; i++)
		if (l->vend[i].vendor == vendor && l->vend[i].code == code)
			return &l->vend[i];
	return NULL;
}
