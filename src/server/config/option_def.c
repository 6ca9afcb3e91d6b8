/* ternd option definitions: option-def entries checked as Kea 2.2's
 * OptionDefParser and CfgOptionDef::add do, and the order in which option
 * data finds its definition. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "server/config/loader.h"
#include "server/config/options.h"

#define MAX_DEFS   1024 /* per option-def list */
#define MAX_FIELDS 64	/* record fields per definition */

/* Newer Kea (2.5+) defines 121 with "prefix - router" values; Kea 2.2 has
 * no definition, so ternd uses this one only where nothing else defines
 * 121 (an option-def for 121 still works as in 2.2). */
const struct tern_optdef ternd_def_classless_routes = {
	"classless-static-route",
	TERN_SPACE_DHCP4,
	NULL,
	NULL,
	0,
	121,
	TERN_OT_BINARY,
	false,
};

static bool same(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

const struct tern_optdef *ternd_defset_get(const struct ternd_defset *ds,
					   const char *space, uint16_t code,
					   const char *name)
{
	for (; ds; ds = ds->next)
		for (size_t i = 0; i < ds->n; i++) {
			const struct tern_optdef *d = &ds->v[i];

			if (!same(d->space, space))
				continue;
			if (name ? same(d->name, name) : d->code == code)
				return d;
		}
	return NULL;
}

static const struct tern_optdef *find(const struct ternd_defset *ds,
				      const char *space, uint8_t code,
				      const char *name)
{
	const struct tern_optdef *d = ternd_defset_get(ds, space, code, name);
	uint32_t vendor;

	if (d)
		return d;
	d = name ? tern_optdef_std_name(space, name)
		 : tern_optdef_std(space, code);
	if (d)
		return d;
	vendor = tern_space_vendor_id(space);
	if (vendor) {
		d = name ? tern_optdef_vendor_name(vendor, name)
			 : tern_optdef_vendor(vendor, code);
		if (d)
			return d;
	}
	if (!same(space, TERN_SPACE_DHCP4))
		return NULL;
	d = name ? tern_optdef_last_resort_name(name)
		 : tern_optdef_last_resort(code);
	if (d)
		return d;
	if (name ? same(name, ternd_def_classless_routes.name)
		 : code == ternd_def_classless_routes.code)
		return &ternd_def_classless_routes;
	return NULL;
}

const struct tern_optdef *ternd_def_find(const struct ternd_defset *ds,
					 const char *space, uint8_t code)
{
	return find(ds, space, code, NULL);
}

const struct tern_optdef *ternd_def_find_name(const struct ternd_defset *ds,
					      const char *space,
					      const char *name)
{
	return name ? find(ds, space, 0, name) : NULL;
}

/* ---- option-def ---------------------------------------------------------- */

static bool get_string(struct loader *ld, const struct tjson *m,
		       const char **ret)
{
	if (!ld_want_type(ld, m, TJSON_STRING, "a string"))
		return false;
	*ret = m->s;
	return true;
}

/* record-types: str::tokens(",") without escapes, each trimmed. */
static bool parse_fields(struct loader *ld, const struct tjson *m,
			 enum tern_opt_type type, struct tern_optdef *d)
{
	uint8_t f[MAX_FIELDS];
	const char *p = m->s;
	size_t n = 0;

	while (*p) {
		const char *e = strchr(p, ',');
		size_t l = e ? (size_t)(e - p) : strlen(p);
		char name[32];
		int t;

		while (l && (*p == ' ' || *p == '\t' || *p == '\n'))
			p++, l--;
		while (l && (p[l - 1] == ' ' || p[l - 1] == '\t' ||
			     p[l - 1] == '\n'))
			l--;
		if (l) {
			if (type != TERN_OT_RECORD) {
				ld_error_at(ld, m->pos,
					    "invalid record type values "
					    "specified for the option "
					    "definition: 'record' option type "
					    "must be used instead of '%s' to "
					    "add data fields to the record",
					    tern_opt_type_name(type));
				return false;
			}
			t = -1;
			if (l < sizeof(name)) {
				memcpy(name, p, l);
				name[l] = '\0';
				t = tern_opt_type_of(name);
			}
			if (t < 0 || t == TERN_OT_EMPTY ||
			    t >= TERN_OT_RECORD) {
				ld_error_at(ld, m->pos,
					    "invalid record type values "
					    "specified for the option "
					    "definition: attempted to add "
					    "invalid data type '%.*s' to the "
					    "record.",
					    (int)l, p);
				return false;
			}
			if (n == MAX_FIELDS) {
				ld_error_at(ld, m->pos,
					    "more than %d record fields",
					    MAX_FIELDS);
				return false;
			}
			f[n++] = (uint8_t)t;
		}
		if (!e)
			break;
		p = e + 1;
	}
	if (n) {
		uint8_t *c = ld_aalloc(ld, ld->a, n, 1);

		if (!c)
			return false;
		memcpy(c, f, n);
		d->fields = c;
		d->n_fields = (uint8_t)n;
	}
	return true;
}

/* OptionDefinition::validate() beyond the name and space rules. */
static const char *check_layout(const struct tern_optdef *d)
{
	if (d->type == TERN_OT_RECORD) {
		if (d->n_fields < 2)
			return "invalid number of data fields specified for "
			       "the option of type 'record'. Expected at least "
			       "2 fields.";
		for (size_t i = 0; i + 1 < d->n_fields; i++) {
			if (d->fields[i] == TERN_OT_STRING)
				return "string data field can't be laid before "
				       "data fields of other types.";
			if (d->fields[i] == TERN_OT_BINARY)
				return "binary data field can't be laid before "
				       "data fields of other types.";
		}
		if (d->array && d->fields[d->n_fields - 1] == TERN_OT_STRING)
			return "array of strings is not a valid option "
			       "definition.";
		if (d->array && d->fields[d->n_fields - 1] == TERN_OT_BINARY)
			return "array of binary values is not a valid option "
			       "definition.";
		return NULL;
	}
	if (d->array && d->type == TERN_OT_STRING)
		return "array of strings is not a valid option definition.";
	if (d->array && d->type == TERN_OT_BINARY)
		return "array of binary values is not a valid option "
		       "definition.";
	if (d->array && d->type == TERN_OT_EMPTY)
		return "array of empty value is not a valid option definition.";
	return NULL;
}

/* What differs between Dhcp4's and Dhcp6's option-def. */
struct def_rules {
	const char *space; /* the default one */
	long long max_code;
	/* The standard definition of (space, code or name), if any. */
	bool (*is_std)(const char *space, uint16_t code, const char *name);
	bool v6;
};

static bool std4(const char *space, uint16_t code, const char *name)
{
	return name ? tern_optdef_std_name(space, name) != NULL
		    : tern_optdef_std(space, (uint8_t)code) != NULL;
}

/* A DHCPv6 vendor space ternd takes definitions for: not Kea's own
 * DOCSIS (4491) and ISC (2495) ones. */
static bool vendor_space6(const char *space)
{
	uint32_t v = tern_space_vendor_id(space);

	return v && v != 4491 && v != 2495;
}

static bool parse_def(struct loader *ld, const struct tjson *o,
		      struct tern_optdef *d, const struct ternd_defset *have,
		      const struct def_rules *r)
{
	const struct tjson *name = NULL, *code = NULL, *type = NULL;
	const struct tjson *rec = NULL;
	const char *space = r->space, *encap = "", *why;
	bool ok = true, array = false;
	int t;

	if (!ld_want_type(ld, o, TJSON_OBJECT, "a map"))
		return false;
	for (const struct tjson *m = o->child; m; m = m->next) {
		if (strcmp(m->key, "name") == 0)
			ok &= ld_want_type(ld, m, TJSON_STRING, "a string") &&
			      (name = m);
		else if (strcmp(m->key, "code") == 0)
			ok &= ld_want_type(ld, m, TJSON_NUMBER, "an integer") &&
			      (code = m);
		else if (strcmp(m->key, "type") == 0)
			ok &= ld_want_type(ld, m, TJSON_STRING, "a string") &&
			      (type = m);
		else if (strcmp(m->key, "array") == 0)
			ok &= ld_get_bool(ld, m, &array);
		else if (strcmp(m->key, "record-types") == 0)
			ok &= ld_want_type(ld, m, TJSON_STRING, "a string") &&
			      (rec = m);
		else if (strcmp(m->key, "space") == 0)
			ok &= get_string(ld, m, &space);
		else if (strcmp(m->key, "encapsulate") == 0)
			ok &= get_string(ld, m, &encap);
		else if (r->v6 && strcmp(m->key, "comment") != 0 &&
			 strcmp(m->key, "user-context") != 0)
			ld_error_at(ld, m->kpos,
				    "unknown key \"%s\" in option-def", m->key);
		else if (!r->v6)
			ld_other_key(ld, m, "option-def");
	}
	if (!ok)
		return false;
	if (!name || !code || !type) {
		ld_error_at(ld, o->pos,
			    "option-def needs \"name\", \"code\" and \"type\"");
		return false;
	}
	if (!code->is_int || code->i < 0) {
		ld_error_at(ld, code->pos, "option code must not be negative");
		return false;
	}
	if (code->i > r->max_code) {
		ld_error_at(ld, code->pos,
			    "invalid option code '%lld', it must not be "
			    "greater than '%lld'",
			    (long long)code->i, r->max_code);
		return false;
	}
	if (!tern_space_name_ok(space)) {
		ld_error_at(ld, o->pos, "invalid option space name '%s'",
			    space);
		return false;
	}
	if (same(space, TERN_SPACE_DHCP4) && (code->i == 0 || code->i == 255)) {
		ld_error_at(ld, code->pos,
			    "invalid option code '%lld': reserved for %s",
			    (long long)code->i, code->i ? "END" : "PAD");
		return false;
	}
	if (r->v6 && same(space, "dhcp6") && code->i == 0) {
		ld_error_at(ld, code->pos,
			    "invalid option code '0': reserved value");
		return false;
	}
	if (r->v6 && !vendor_space6(space) && tern_space_vendor_id(space)) {
		/* Kea's own vendor definitions (DOCSIS, ISC) are not known
		 * to ternd's DHCPv6 side yet. */
		ld_error_at(ld, o->pos,
			    "option-def in space \"%s\" is not implemented "
			    "for DHCPv6 (Kea's DOCSIS 4491 and ISC 2495 "
			    "vendor spaces)",
			    space);
		return false;
	}
	if (*encap && array) {
		ld_error_at(ld, o->pos,
			    "option '%s.%s', comprising an array of data "
			    "fields may not encapsulate any option space",
			    space, name->s);
		return false;
	}
	if (*encap && same(encap, space)) {
		ld_error_at(ld, o->pos,
			    "option must not encapsulate an option space it "
			    "belongs to: '%s.%s' is set to encapsulate '%s'",
			    space, name->s, space);
		return false;
	}
	t = tern_opt_type_of(type->s);
	if (t < 0) {
		ld_error_at(ld, type->pos, "option type '%s' not supported.",
			    type->s);
		return false;
	}
	d->code = (uint16_t)code->i;
	d->type = (uint8_t)t;
	d->array = array;
	if (rec && !parse_fields(ld, rec, (enum tern_opt_type)t, d))
		return false;
	if (!tern_space_name_ok(name->s)) {
		ld_error_at(ld, name->pos, "invalid option name '%s'", name->s);
		return false;
	}
	if (*encap && !tern_space_name_ok(encap)) {
		ld_error_at(ld, o->pos,
			    "invalid encapsulated option space name: '%s'",
			    encap);
		return false;
	}
	if ((why = check_layout(d))) {
		ld_error_at(ld, o->pos, "%s", why);
		return false;
	}
	/* CfgOptionDef::add */
	if (ternd_defset_get(have, space, d->code, NULL)) {
		ld_error_at(ld, code->pos,
			    "option definition with code '%u' already exists "
			    "in option space '%s'",
			    d->code, space);
		return false;
	}
	if (ternd_defset_get(have, space, 0, name->s)) {
		ld_error_at(ld, name->pos,
			    "option definition with name '%s' already exists "
			    "in option space '%s'",
			    name->s, space);
		return false;
	}
	if (r->is_std(space, d->code, NULL)) {
		ld_error_at(ld, code->pos,
			    "unable to override definition of option '%u' in "
			    "standard option space '%s'",
			    d->code, space);
		return false;
	}
	if (r->is_std(space, 0, name->s)) {
		ld_error_at(ld, name->pos,
			    "unable to override definition of option '%s' in "
			    "standard option space '%s'",
			    name->s, space);
		return false;
	}
	d->name = ld_astr(ld, name->s, name->len);
	d->space = ld_astr(ld, space, strlen(space));
	d->encapsulate = *encap ? ld_astr(ld, encap, strlen(encap)) : NULL;
	return d->name && d->space && (!*encap || d->encapsulate);
}

static void parse_defs(struct loader *ld, const struct tjson *arr,
		       struct ternd_defset *ret, const struct def_rules *r)
{
	struct tern_optdef *v;

	if (!ld_want_type(ld, arr, TJSON_ARRAY, "a list"))
		return;
	if (arr->n > MAX_DEFS) {
		ld_error_at(ld, arr->pos, "more than %d option definitions",
			    MAX_DEFS);
		return;
	}
	if (!(v = ld_aalloc(ld, ld->a, arr->n, sizeof(*v))))
		return;
	ret->v = v;
	ret->n = 0;
	for (const struct tjson *o = arr->child; o; o = o->next) {
		/* Checked against the ones before it (and the chain
		 * behind ret, for a class's own definitions). */
		if (parse_def(ld, o, &v[ret->n], ret, r))
			ret->n++;
	}
}

void ld_parse_option_defs(struct loader *ld, const struct tjson *arr,
			  struct ternd_defset *ret)
{
	static const struct def_rules v4 = {TERN_SPACE_DHCP4, 255, std4, false};

	parse_defs(ld, arr, ret, &v4);
}

void ld_parse_option_defs6(struct loader *ld, const struct tjson *arr,
			   struct ternd_defset *ret,
			   bool (*is_std)(const char *space, uint16_t code,
					  const char *name))
{
	const struct def_rules v6 = {"dhcp6", 65535, is_std, true};

	parse_defs(ld, arr, ret, &v6);
}
