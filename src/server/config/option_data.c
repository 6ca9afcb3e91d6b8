/* ternd option-data lists: each entry found in its option space and
 * encoded as Kea 2.2 does (OptionDataParser::createOption), then the list's
 * encapsulation resolved (CfgOption::encapsulate), once, at load time. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "server/config/loader.h"
#include "server/config/options.h"

#define MAX_NEST 8 /* spaces encapsulated inside each other */

/* One option-data entry while its list is read. */
struct entry {
	struct tjson_pos pos;
	const struct tern_optdef *def; /* NULL: none (csv-format false) */
	const char *space;	       /* the JSON's string, lives the load */
	uint32_t vendor;	       /* space "vendor-<n>": n, else 0 */
	uint8_t code;
	bool always, never;
	bool has_value; /* false: never-send without data */
	struct ternd_optval *val;
	/* Its wire value with its sub-options, built once. */
	uint8_t state; /* 0 not built, 1 being built, 2 built */
	const uint8_t *wire;
	uint16_t wire_len;
};

struct list_ctx {
	struct loader *ld;
	const struct ternd_defset *ds;
	struct entry *e;
	size_t n;
};

static bool is_space(const char *a, const char *b)
{
	return strcmp(a, b) == 0;
}

static bool get_code(struct loader *ld, const struct tjson *m, uint32_t *ret)
{
	if (m->type != TJSON_NUMBER || !m->is_int) {
		ld_error_at(ld, m->pos, "\"code\" must be an integer, not %s",
			    ld_a_type(m));
		return false;
	}
	if (m->i < 0 || m->i > 255) {
		ld_error_at(ld, m->pos,
			    "invalid option code '%lld', it must not be "
			    "greater than '255'",
			    (long long)m->i);
		return false;
	}
	*ret = (uint32_t)m->i;
	return true;
}

static bool parse_entry(struct list_ctx *lc, const struct tjson *o,
			struct entry *e)
{
	struct loader *ld = lc->ld;
	const struct tjson *name = NULL, *code = NULL, *data = NULL;
	const struct tjson *space = NULL;
	const struct tern_optdef *def;
	const char *sp = TERN_SPACE_DHCP4;
	bool csv = true, ok = true;
	uint32_t c = 0;
	int rc;

	if (!ld_want_type(ld, o, TJSON_OBJECT, "a map"))
		return false;
	for (const struct tjson *m = o->child; m; m = m->next) {
		if (strcmp(m->key, "name") == 0)
			ok &= ld_want_type(ld, m, TJSON_STRING, "a string") &&
			      (name = m);
		else if (strcmp(m->key, "code") == 0)
			ok &= get_code(ld, m, &c) && (code = m);
		else if (strcmp(m->key, "data") == 0)
			ok &= ld_want_type(ld, m, TJSON_STRING, "a string") &&
			      (data = m);
		else if (strcmp(m->key, "space") == 0)
			ok &= ld_want_type(ld, m, TJSON_STRING, "a string") &&
			      (space = m);
		else if (strcmp(m->key, "csv-format") == 0)
			ok &= ld_get_bool(ld, m, &csv);
		else if (strcmp(m->key, "always-send") == 0)
			ok &= ld_get_bool(ld, m, &e->always);
		else if (strcmp(m->key, "never-send") == 0)
			ok &= ld_get_bool(ld, m, &e->never);
		else
			ld_other_key(ld, m, "option-data");
	}
	if (!ok)
		return false;
	if (name && strchr(name->s, ' ')) {
		ld_error_at(ld, name->pos,
			    "invalid option name '%s', space character is not "
			    "allowed",
			    name->s);
		return false;
	}
	if (space) {
		sp = space->s;
		if (!tern_space_name_ok(sp)) {
			ld_error_at(ld, space->pos,
				    "invalid option space name '%s'", sp);
			return false;
		}
		if (is_space(sp, "dhcp6")) {
			ld_error_at(ld, space->pos,
				    "'dhcp6' option space name is reserved for "
				    "DHCPv6 server");
			return false;
		}
	}
	if (!name && !code) {
		ld_error_at(ld, o->pos,
			    "option data configuration requires one of 'code' "
			    "or 'name' parameters to be specified");
		return false;
	}
	def = code ? ternd_def_find(lc->ds, sp, (uint8_t)c)
		   : ternd_def_find_name(lc->ds, sp, name->s);
	if (!def && csv) {
		char cs[8] = "";

		if (code)
			snprintf(cs, sizeof(cs), "%u", c);
		ld_error_at(ld, name ? name->pos : code->pos,
			    "definition for the option '%s.%s' having code "
			    "'%s' does not exist",
			    sp, name ? name->s : "", cs);
		return false;
	}
	if (!def && !code) {
		ld_error_at(ld, name->pos,
			    "definition for the option '%s.%s' does not exist",
			    sp, name->s);
		return false;
	}
	if (def && name && strcmp(def->name, name->s) != 0) {
		ld_error_at(ld, name->pos,
			    "specified option name '%s' does not match the "
			    "option definition: '%s.%s'",
			    name->s, sp, def->name);
		return false;
	}
	e->pos = o->pos;
	e->def = def;
	e->space = sp;
	e->vendor = tern_space_vendor_id(sp);
	e->code = def ? def->code : (uint8_t)c;
	if (is_space(sp, TERN_SPACE_DHCP4) &&
	    (e->code == 0 || e->code == 255)) {
		ld_error_at(ld, o->pos,
			    "invalid option code '%u': reserved for %s",
			    e->code, e->code ? "END" : "PAD");
		return false;
	}
	/* Newer Kea: never-send without data is an option of no value. */
	if (e->never && !data)
		return true;
	e->val = &ld->optvals[lc->n];
	rc = ternd_optval_from_text(lc->ds, def, data ? data->s : "", csv,
				    e->val);
	if (rc == -ENOBUFS) {
		ld_error_at(ld, data ? data->pos : o->pos,
			    "option %s.%u: data longer than %u bytes once "
			    "encoded",
			    sp, e->code, TERND_OPT_VAL_MAX);
		return false;
	}
	if (rc < 0 && def && csv) {
		ld_error_at(ld, data ? data->pos : o->pos,
			    "option data does not match option definition "
			    "(space: %s, code: %u): %s",
			    sp, e->code, e->val->why);
		return false;
	}
	if (rc < 0) {
		ld_error_at(ld, data ? data->pos : o->pos, "%s", e->val->why);
		return false;
	}
	e->has_value = true;
	return true;
}

/* CfgOption::encapsulate for one entry: its value, then every option of
 * the space it encapsulates found in the same list (the first of each
 * code, its own sub-options first), recursively. */
static bool build(struct list_ctx *lc, struct entry *e, int depth)
{
	struct ternd_optval v;
	uint8_t wire[TERND_OPT_VAL_MAX + TERND_OPT_SUB_MAX + 1];
	uint8_t *copy;
	const char *encap;
	int n;

	if (e->state == 2)
		return true;
	if (e->state == 1 || depth > MAX_NEST) {
		ld_error_at(lc->ld, e->pos,
			    "option %s.%u is inside itself: option spaces "
			    "encapsulate each other in a loop",
			    e->space, e->code);
		return false;
	}
	e->state = 1;
	encap = e->val->encap && e->def ? e->def->encapsulate : NULL;
	if (!encap) {
		n = ternd_optval_wire(e->val, wire, sizeof(wire));
		goto copy;
	}
	v = *e->val;
	for (size_t i = 0; encap && i < lc->n; i++) {
		struct entry *s = &lc->e[i];
		int rc;

		if (!s->has_value || s->vendor || !is_space(s->space, encap) ||
		    ternd_optval_has_sub(&v, s->code))
			continue;
		if (!build(lc, s, depth + 1))
			return false;
		rc = ternd_optval_add_sub(&v, s->code, s->wire, s->wire_len,
					  NULL);
		if (rc < 0) {
			ld_error_at(lc->ld, s->pos,
				    rc == -ENOBUFS
					    ? "option %s.%u: its sub-options "
					      "are too long"
					    : "option %s.%u: %s",
				    e->space, e->code, v.why);
			return false;
		}
	}
	n = ternd_optval_wire(&v, wire, sizeof(wire));
copy:
	if (n < 0 || n > TERND_MAX_OPTION_LEN) {
		ld_error_at(lc->ld, e->pos,
			    "option %s.%u is longer than %u bytes once encoded",
			    e->space, e->code, TERND_MAX_OPTION_LEN);
		return false;
	}
	if (e->val->vendor && e->val->sub_len > 255) {
		ld_error_at(lc->ld, e->pos,
			    "option %s.%u: its sub-options are longer than "
			    "255 bytes",
			    e->space, e->code);
		return false;
	}
	if (!(copy = ld_aalloc(lc->ld, lc->ld->a, (size_t)n, 1)))
		return false;
	memcpy(copy, wire, (size_t)n);
	e->wire = copy;
	e->wire_len = (uint16_t)n;
	e->state = 2;
	return true;
}

static int cmp_entry(const void *a, const void *b)
{
	const struct entry *const *x = a, *const *y = b;

	if ((*x)->vendor != (*y)->vendor)
		return (*x)->vendor < (*y)->vendor ? -1 : 1;
	if ((*x)->code != (*y)->code)
		return (int)(*x)->code - (int)(*y)->code;
	/* Stable: the first instance in the file first. */
	return *x < *y ? -1 : *x > *y;
}

static void set_bit(uint64_t set[4], uint8_t code)
{
	set[code >> 6] |= UINT64_C(1) << (code & 63);
}

static struct ternd_option as_option(const struct entry *e)
{
	struct ternd_option o = {
		.code = e->code,
		.always_send = e->always,
		.never_send = e->never,
		.len = e->wire_len,
		.data = e->wire,
	};
	return o;
}

/*
 * The list's dhcp4 and vendor options, one per code: the last instance
 * (Kea's CfgOption::get finds the newest of equal codes), with the
 * always-send and never-send of any instance.
 */
static void collect(struct list_ctx *lc, struct ternd_optlist *ret)
{
	struct loader *ld = lc->ld;
	struct entry **p = ld_aalloc(ld, ld->tmp, lc->n, sizeof(*p));
	struct ternd_option *v = NULL;
	struct ternd_vendor_option *vv = NULL;
	size_t np = 0, n = 0, nv = 0, n4 = 0;

	if (!p)
		return;
	memset(ret, 0, sizeof(*ret));
	for (size_t i = 0; i < lc->n; i++) {
		if (lc->e[i].vendor)
			nv++;
		else if (is_space(lc->e[i].space, TERN_SPACE_DHCP4))
			n4++;
		else
			continue;
		p[np++] = &lc->e[i];
	}
	if ((n4 && !(v = ld_aalloc(ld, ld->a, n4, sizeof(*v)))) ||
	    (nv && !(vv = ld_aalloc(ld, ld->a, nv, sizeof(*vv)))))
		return;
	nv = 0;
	qsort(p, np, sizeof(*p), cmp_entry);
	for (size_t i = 0; i < np; i++) {
		struct entry *e = p[i];
		bool always;

		if (e->vendor) {
			if (!e->has_value)
				continue;
			if (nv && vv[nv - 1].o.code == e->code &&
			    vv[nv - 1].enterprise == e->vendor) {
				always = vv[nv - 1].o.always_send;
				vv[nv - 1].o = as_option(e);
				vv[nv - 1].o.always_send |= always;
			} else {
				vv[nv].enterprise = e->vendor;
				vv[nv++].o = as_option(e);
			}
			continue;
		}
		if (e->always)
			set_bit(ret->always, e->code);
		if (e->never)
			set_bit(ret->never, e->code);
		if (!e->has_value || e->never)
			continue;
		if (n && v[n - 1].code == e->code) {
			v[n - 1] = as_option(e);
			continue;
		}
		set_bit(ret->has, e->code);
		v[n++] = as_option(e);
	}
	ret->v = v;
	ret->n = n;
	ret->vend = vv;
	ret->n_vend = nv;
}

void ld_parse_optlist_defs(struct loader *ld, const struct tjson *arr,
			   const struct ternd_defset *ds,
			   struct ternd_optlist *ret)
{
	struct list_ctx lc = {ld, ds, NULL, 0};
	bool ok = true;

	if (!ld_want_type(ld, arr, TJSON_ARRAY, "a list"))
		return;
	if (arr->n > TERND_MAX_OPTIONS) {
		ld_error_at(ld, arr->pos, "more than %d options in one list",
			    TERND_MAX_OPTIONS);
		return;
	}
	if (!ld->optvals &&
	    !(ld->optvals = ld_aalloc(ld, ld->tmp, TERND_MAX_OPTIONS,
				      sizeof(*ld->optvals))))
		return;
	if (!(lc.e = ld_aalloc(ld, ld->tmp, arr->n, sizeof(*lc.e))))
		return;
	for (const struct tjson *o = arr->child; o; o = o->next) {
		if (parse_entry(&lc, o, &lc.e[lc.n]))
			lc.n++;
		else
			ok = false;
	}
	/* Encapsulation only matters for options that are sent: dhcp4
	 * ones (vendor ones go into 125 as they are, as in Kea). */
	for (size_t i = 0; ok && i < lc.n; i++) {
		struct entry *e = &lc.e[i];

		if (!e->has_value)
			continue;
		if (e->vendor) {
			uint8_t wire[TERND_OPT_VAL_MAX + TERND_OPT_SUB_MAX + 1];
			int n = ternd_optval_wire(e->val, wire, sizeof(wire));
			uint8_t *copy;

			if (n < 0 || n > 255) {
				ld_error_at(ld, e->pos,
					    "option %s.%u is longer than 255 "
					    "bytes (a sub-option of 125)",
					    e->space, e->code);
				ok = false;
				continue;
			}
			if (!(copy = ld_aalloc(ld, ld->a, (size_t)n, 1)))
				return;
			memcpy(copy, wire, (size_t)n);
			e->wire = copy;
			e->wire_len = (uint16_t)n;
			e->state = 2;
		} else if (is_space(e->space, TERN_SPACE_DHCP4)) {
			ok &= build(&lc, e, 0);
		}
	}
	if (ok)
		collect(&lc, ret);
}

void ld_parse_optlist(struct loader *ld, const struct tjson *arr,
		      struct ternd_optlist *ret)
{
	ld_parse_optlist_defs(ld, arr, &ld->defs, ret);
}
