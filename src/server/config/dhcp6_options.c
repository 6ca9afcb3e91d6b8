/* ternd configuration: Dhcp6 option-data lists, their text encoded as
 * kea-dhcp6 2.2 sends it (dhcp6 space; names of std_option_defs.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <tern/dhcp6.h>

#include "server/config/loader6.h"

enum otype {
	OT_ADDRS, /* list of IPv6 addresses */
	OT_NAMES, /* list of FQDNs, wire format */
	OT_NAME,  /* one FQDN */
	OT_U8,
	OT_U32,
};

static const struct {
	const char *name;
	uint16_t code;
	uint8_t type;
} defs[] = {
	{"preference", TERN_DHCP6_OPT_PREFERENCE, OT_U8},
	{"dns-servers", TERN_DHCP6_OPT_DNS_SERVERS, OT_ADDRS},
	{"domain-search", TERN_DHCP6_OPT_DOMAIN_LIST, OT_NAMES},
	{"sntp-servers", TERN_DHCP6_OPT_SNTP_SERVERS, OT_ADDRS},
	{"information-refresh-time", TERN_DHCP6_OPT_INFO_REFRESH_TIME, OT_U32},
	{"aftr-name", TERN_DHCP6_OPT_AFTR_NAME, OT_NAME},
	{"solmax-rt", TERN_DHCP6_OPT_SOL_MAX_RT, OT_U32},
	{"inf-max-rt", TERN_DHCP6_OPT_INF_MAX_RT, OT_U32},
};
#define N_DEFS (sizeof(defs) / sizeof(defs[0]))

/* Kea's dhcp6 names ternd does not encode yet: refused by name. */
static const char *const not_yet[] = {
	"s46-cont-mape",   "s46-cont-mapt", "s46-cont-lw",  "s46-rule",
	"s46-br",	   "s46-dmr",	    "s46-v4v6bind", "s46-portparams",
	"vendor-opts",	   "vendor-class",  "nis-servers",  "sip-server-dns",
	"sip-server-addr", "nisp-servers",  "ntp-server",   NULL,
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

	return (int)x->code - (int)y->code;
}

static void parse_entry(struct loader *ld, const struct tjson *o,
			struct ternd_option6 *ret, bool *ok)
{
	const struct tjson *name = NULL, *code = NULL, *data = NULL, *m;
	bool csv = true;
	int def = -1, len;
	uint8_t *buf;
	const char *why;
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
			ld_get_bool(ld, m, &ret->always_send);
		else if (strcmp(m->key, "space") == 0) {
			if (ld_want_type(ld, m, TJSON_STRING, "a string") &&
			    strcmp(m->s, "dhcp6") != 0)
				ld_error_at(ld, m->pos,
					    "option space \"%s\" is not "
					    "implemented for DHCPv6 (only "
					    "\"dhcp6\")",
					    m->s);
		} else
			ld6_other_key(ld, m, "option-data");
	}
	if (name && ld_want_type(ld, name, TJSON_STRING, "a string")) {
		for (size_t i = 0; i < N_DEFS; i++)
			if (strcmp(defs[i].name, name->s) == 0)
				def = (int)i;
		if (def < 0) {
			bool known = false;

			for (size_t i = 0; not_yet[i]; i++)
				known |= strcmp(not_yet[i], name->s) == 0;
			ld_error_at(ld, name->pos,
				    known ? "option \"%s\" is Kea's but ternd "
					    "does not implement it for DHCPv6"
					  : "unknown DHCPv6 option \"%s\"",
				    name->s);
			return;
		}
		c = defs[def].code;
	}
	if (code) {
		if (!ld_get_u32(ld, code, 1, 65535, &c))
			return;
		if (def >= 0 && c != defs[def].code) {
			ld_error_at(ld, code->pos,
				    "code %u does not match option \"%s\"", c,
				    defs[def].name);
			return;
		}
		for (size_t i = 0; def < 0 && i < N_DEFS; i++)
			if (defs[i].code == c)
				def = (int)i;
	}
	if (!name && !code) {
		ld_error_at(ld, o->pos,
			    "option-data needs \"name\" or \"code\"");
		return;
	}
	if (!data || !ld_want_type(ld, data, TJSON_STRING, "a string")) {
		if (!data)
			ld_error_at(ld, o->pos,
				    "option %u needs \"data\" (ternd has no "
				    "empty DHCPv6 options to send)",
				    c);
		return;
	}
	if (!(buf = ld_aalloc(ld, ld->a, TERND6_MAX_OPTION_LEN, 1)))
		return;
	if (!csv) {
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
	ret->code = (uint16_t)c;
	ret->len = (uint16_t)len;
	ret->data = buf;
	*ok = true;
}

void ld6_parse_optlist(struct loader *ld, const struct tjson *arr,
		       struct ternd_optlist6 *out)
{
	struct ternd_option6 *v;
	size_t n = 0;

	if (!ld_want_type(ld, arr, TJSON_ARRAY, "a list"))
		return;
	if (arr->n > TERND6_MAX_OPTIONS) {
		ld_error_at(ld, arr->pos, "more than %d options in one list",
			    TERND6_MAX_OPTIONS);
		return;
	}
	if (!(v = ld_aalloc(ld, ld->a, arr->n, sizeof(*v))))
		return;
	for (const struct tjson *o = arr->child; o; o = o->next) {
		struct ternd_option6 x = {0};
		bool ok;
		size_t i;

		parse_entry(ld, o, &x, &ok);
		if (!ok)
			continue;
		/* The last instance of a code wins, as Kea's lookup. */
		for (i = 0; i < n && v[i].code != x.code; i++)
			;
		v[i] = x;
		if (i == n)
			n++;
	}
	qsort(v, n, sizeof(*v), opt_cmp);
	out->v = v;
	out->n = n;
}
