/* ternd configuration: Dhcp6 option-data lists, their text encoded as
 * kea-dhcp6 2.2 sends it (the standard DHCPv6 definitions of
 * common/optdefs6.c, values by dhcp6_optval.c). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <tern/dhcp6.h>

#include "server/config/dhcp6_optval.h"
#include "server/config/loader6.h"

/* One parsed entry, before containers get their sub-options. */
struct entry {
	const char *space;
	const struct tern_optdef *def; /* NULL: given by code, undefined */
	struct ternd_option6 opt;
};

static int opt_cmp(const void *a, const void *b)
{
	const struct ternd_option6 *x = a, *y = b;

	if (x->vendor != y->vendor)
		return x->vendor < y->vendor ? -1 : 1;
	return (int)x->code - (int)y->code;
}

/* Kea's OptionDataParser::createOption, the DHCPv6 side. */
static void parse_entry(struct loader *ld, const struct tjson *o,
			struct entry *ret, bool *ok)
{
	const struct tjson *name = NULL, *code = NULL, *data = NULL, *m;
	const struct tjson *space = NULL;
	const struct tern_optdef *def = NULL;
	bool csv = true;
	int len;
	uint8_t *buf;
	char why[LD6_WHY_LEN];
	const char *sname = TERN_SPACE_DHCP6;
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
		if (!tern_space_name_ok(sname)) {
			ld_error_at(ld, space->pos,
				    "invalid option space name '%s'", sname);
			return;
		}
		if (strcmp(sname, "dhcp4") == 0) {
			ld_error_at(ld, space->pos,
				    "'dhcp4' option space name is reserved "
				    "for DHCPv4 server");
			return;
		}
		ret->opt.vendor = tern_space_vendor_id(sname);
	}
	ret->space = sname;
	if (!name && !code) {
		ld_error_at(ld, o->pos,
			    "option data configuration requires one of "
			    "'code' or 'name' parameters to be specified");
		return;
	}
	if (name && !ld_want_type(ld, name, TJSON_STRING, "a string"))
		return;
	if (name && strchr(name->s, ' ')) {
		ld_error_at(ld, name->pos,
			    "invalid option name '%s', space character is "
			    "not allowed",
			    name->s);
		return;
	}
	/* findOptionDefinition: by code when given, else by name. */
	if (code) {
		if (!ld_get_u32(ld, code, 0, UINT32_MAX, &c))
			return;
		if (c > 65535) {
			ld_error_at(ld, code->pos,
				    "invalid option code '%u', it must not "
				    "exceed '65535'",
				    c);
			return;
		}
		def = ld6_def_find(&ld->defs, sname, (uint16_t)c);
	} else {
		def = ld6_def_find_name(&ld->defs, sname, name->s);
	}
	/* csv-format defaults to true (Kea's OPTION6_DEFAULTS), so an option
	 * without a definition needs "csv-format": false. */
	if (!def && csv) {
		ld_error_at(ld, name ? name->pos : o->pos,
			    "definition for the option '%s.%s' having code "
			    "'%u' does not exist",
			    sname, name ? name->s : "", c);
		return;
	}
	if (!def && !code) {
		ld_error_at(ld, name->pos,
			    "definition for the option '%s.%s' does not exist",
			    sname, name->s);
		return;
	}
	if (def && name && strcmp(def->name, name->s) != 0) {
		ld_error_at(ld, name->pos,
			    "specified option name '%s' does not match the "
			    "option definition: '%s.%s'",
			    name->s, sname, def->name);
		return;
	}
	if (def)
		c = def->code;
	/* Code 0 is reserved in "dhcp6" only (Kea's OptionDataParser). */
	if (c == 0 && strcmp(sname, TERN_SPACE_DHCP6) == 0) {
		ld_error_at(ld, o->pos,
			    "invalid option code '0': reserved "
			    "value");
		return;
	}
	ret->def = def;
	if (data && !ld_want_type(ld, data, TJSON_STRING, "a string"))
		return;
	if (!(buf = ld_aalloc(ld, ld->a, TERND6_MAX_OPTION_LEN, 1)))
		return;
	len = ld6_optval(&ld->defs, def, data ? data->s : "", csv && def, buf,
			 TERND6_MAX_OPTION_LEN, why);
	if (len == -ENOBUFS) {
		ld_error_at(ld, data ? data->pos : o->pos,
			    "option %u is longer than %d bytes", c,
			    TERND6_MAX_OPTION_LEN);
		return;
	}
	if (len < 0) {
		if (!def || len == -EBADMSG)
			ld_error_at(ld, data ? data->pos : o->pos, "%s", why);
		else
			ld_error_at(ld, data ? data->pos : o->pos,
				    "option data does not match option "
				    "definition (space: %s, code: %u): %s",
				    sname, c, why);
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
 * too). Returns the length, -1 when over TERND6_MAX_OPTION_LEN, -2 when
 * spaces encapsulate each other in a loop (Kea 2.2 recurses without end)
 * or nest deeper than 8. */
static int with_subs(const struct entry *e, const struct entry *all, size_t n,
		     uint8_t *out, size_t cap, int depth)
{
	const char *encap = e->def ? e->def->encapsulate : NULL;
	size_t k;
	long last = -1;

	if (e->opt.len > cap)
		return -1;
	memcpy(out, e->opt.data, e->opt.len);
	k = e->opt.len;
	/* Kea would put the level's whole dhcp6 space inside (client-data,
	 * lq-query: leasequery messages, never configured): not done. */
	if (!encap || strcmp(encap, TERN_SPACE_DHCP6) == 0)
		return (int)k;
	if (depth > 8)
		return -2;
	for (;;) {
		size_t i, best = n;
		int sl;

		/* The entry of the next code after last (first of it). */
		for (i = 0; i < n; i++)
			if (strcmp(all[i].space, encap) == 0 &&
			    (long)all[i].opt.code > last &&
			    (best == n || all[i].opt.code < all[best].opt.code))
				best = i;
		if (best == n)
			break;
		last = all[best].opt.code;
		if (k + TERN_DHCP6_OPT_HDR_LEN > cap)
			return -1;
		sl = with_subs(&all[best], all, n,
			       out + k + TERN_DHCP6_OPT_HDR_LEN,
			       cap - k - TERN_DHCP6_OPT_HDR_LEN, depth + 1);
		if (sl < 0)
			return sl;
		out[k] = (uint8_t)(last >> 8);
		out[k + 1] = (uint8_t)last;
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

		if (x.vendor) {
			keep(vv, &nv, &x);
			continue;
		}
		if (strcmp(all[i].space, TERN_SPACE_DHCP6) != 0)
			continue; /* sub-options, inside their containers */
		if (all[i].def && all[i].def->encapsulate) {
			if (!(buf = ld_aalloc(ld, ld->a, TERND6_MAX_OPTION_LEN,
					      1)))
				break;
			len = with_subs(&all[i], all, na, buf,
					TERND6_MAX_OPTION_LEN, 0);
			if (len == -2) {
				ld_error_at(
					ld, arr->pos,
					"option %u is inside itself: option "
					"spaces encapsulate each other in "
					"a loop (or nest deeper than 8)",
					x.code);
				continue;
			}
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
