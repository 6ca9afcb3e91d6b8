/* ternd client classes: client-classes read and their tests compiled once,
 * the class names the configuration uses indexed, client-class and
 * require-client-classes of pools, subnets and shared networks. */
#define _GNU_SOURCE /* qsort_r */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "common/optdefs.h"
#include "common/optdefs6.h"
#include "server/classify/expr.h"
#include "server/config/loader.h"
#include "server/config/options.h"

#define VENDOR_PREFIX	  "VENDOR_CLASS_"
#define VENDOR_PREFIX_LEN (sizeof(VENDOR_PREFIX) - 1)

/* A compiled expression the config frees with itself. */
struct ternd_expr_owned {
	struct ternd_expr *x;
	struct ternd_expr_owned *next;
};

/* The names being indexed during one load (in the loader's scratch). */
struct ld_classes {
	struct ternd_class *v; /* TERND_MAX_CLASSES */
	struct tjson_pos *pos; /* where each defined class was defined */
	size_t n;
	uint16_t *defs;
	size_t n_defs;
	bool used;
	bool restricts;
	bool full;	 /* a name did not get an index (reported once) */
	unsigned family; /* 6 once a Dhcp6 reader read classes */
};

/* ---- names ---------------------------------------------------------------
 */

/* Kea's built-in names (member() may use them undefined) and prefixes. */
static const char *const builtin_names[] = {"ALL", "KNOWN", "UNKNOWN", "BOOTP"};
static const char *const builtin_prefixes[] = {VENDOR_PREFIX, "HA_", "AFTER_",
					       "EXTERNAL_"};

static bool is_builtin_name(const char *name, size_t len)
{
	for (size_t i = 0; i < 4; i++)
		if (strlen(builtin_names[i]) == len &&
		    memcmp(builtin_names[i], name, len) == 0)
			return true;
	return false;
}

static bool is_builtin(const char *name, size_t len)
{
	if (is_builtin_name(name, len))
		return true;
	for (size_t i = 0; i < 4; i++) {
		size_t pl = strlen(builtin_prefixes[i]);

		/* Kea: the prefix alone is not built in. */
		if (len > pl && memcmp(builtin_prefixes[i], name, pl) == 0)
			return true;
	}
	return false;
}

static bool same_name(const char *a, const char *b, size_t blen)
{
	return strlen(a) == blen && memcmp(a, b, blen) == 0;
}

static int32_t find(const struct ld_classes *c, const char *name, size_t len)
{
	for (size_t i = 0; i < c->n; i++)
		if (same_name(c->v[i].name, name, len))
			return (int32_t)i;
	return -1;
}

static struct ld_classes *state(struct loader *ld);

/* The index of a name, given one if it has none; -1 when the table is
 * full (reported at pos) or out of memory. */
static int32_t intern(struct loader *ld, const char *name, size_t len,
		      struct tjson_pos pos)
{
	struct ld_classes *c = state(ld);
	int32_t i;

	if (!c)
		return -1;
	if ((i = find(c, name, len)) >= 0)
		return i;
	if (c->n >= TERND_MAX_CLASSES) {
		if (!c->full)
			ld_error_at(ld, pos, "more than %d client class names",
				    TERND_MAX_CLASSES);
		c->full = true;
		return -1;
	}
	if (!(c->v[c->n].name = ld_astr(ld, name, len)))
		return -1;
	return (int32_t)c->n++;
}

static struct ld_classes *state(struct loader *ld)
{
	struct ld_classes *c = ld->cls;

	if (c || ld->oom)
		return c;
	c = ld_aalloc(ld, ld->tmp, 1, sizeof(*c));
	if (!c ||
	    !(c->v = ld_aalloc(ld, ld->tmp, TERND_MAX_CLASSES,
			       sizeof(*c->v))) ||
	    !(c->pos = ld_aalloc(ld, ld->tmp, TERND_MAX_CLASSES,
				 sizeof(*c->pos))) ||
	    !(c->defs = ld_aalloc(ld, ld->tmp, TERND_MAX_CLASSES,
				  sizeof(*c->defs))))
		return NULL;
	ld->cls = c;
	/* Always indexed, in this order (ternd_classes.all ... .drop). */
	intern(ld, "ALL", 3, (struct tjson_pos){0});
	intern(ld, "KNOWN", 5, (struct tjson_pos){0});
	intern(ld, "UNKNOWN", 7, (struct tjson_pos){0});
	intern(ld, "BOOTP", 5, (struct tjson_pos){0});
	intern(ld, "DROP", 4, (struct tjson_pos){0});
	return c->n == 5 ? c : NULL;
}

/* ---- the test ------------------------------------------------------------
 */

struct env_ctx {
	struct loader *ld;
	struct tjson_pos pos;
	bool late;	 /* evaluated after the first pass: 43 is unpacked */
	unsigned family; /* 4 or 6: the option-def space, dhcp4 or dhcp6 */
};

/* member(): a built-in, or a class defined before this one (Kea's
 * isClientClassDefined, built-ins first). */
static int env_class(void *ctx, const char *name, bool *ret_depends_known)
{
	struct env_ctx *x = ctx;
	struct ld_classes *c = state(x->ld);
	size_t len = strlen(name);
	int32_t i;

	*ret_depends_known = false;
	if (!c)
		return -ENOMEM;
	if (is_builtin(name, len)) {
		i = intern(x->ld, name, len, x->pos);
		return i < 0 ? -ENOSPC : (int)i;
	}
	i = find(c, name, len);
	if (i < 0 || !c->v[i].defined)
		return -ENOENT;
	*ret_depends_known = c->v[i].depends_known;
	return (int)i;
}

/* The global option-def's definition (read before client-classes, as
 * Kea reads option-def first) of a code or name in the test's space. */
static const struct tern_optdef *def_of(const void *ctx, uint16_t code,
					const char *name)
{
	const struct env_ctx *x = ctx;

	return ternd_defset_get(&x->ld->defs,
				x->family == 6 ? TERN_SPACE_DHCP6
					       : TERN_SPACE_DHCP4,
				code, name);
}

/* option[NAME] for a name the option-def gives. */
static int env_opt_code(void *ctx, const char *name)
{
	const struct tern_optdef *d = def_of(ctx, 0, name);

	return d ? d->code : -1;
}

static bool env6_opt_is_string(void *ctx, uint16_t code)
{
	const struct tern_optdef *d = def_of(ctx, code, NULL);

	return d && d->type == TERN_OT_STRING && !d->array;
}

static bool env_opt_is_string(void *ctx, uint8_t code)
{
	return env6_opt_is_string(ctx, code);
}

/* A defined option that encapsulates a space has sub-options (Kea
 * unpacks nothing late in DHCPv6). */
static bool env6_container(void *ctx, uint16_t code)
{
	const struct tern_optdef *d = def_of(ctx, code, NULL);

	return d && d->encapsulate && *d->encapsulate;
}

/*
 * Option 43: Kea unpacks it with its definitions only after the first
 * classification pass, so option[43].option[N] finds sub-options only in
 * tests evaluated later (depending on KNOWN, or only-if-required).
 */
static bool env_container(void *ctx, uint8_t code)
{
	const struct env_ctx *x = ctx;

	return code == 43 ? x->late : env6_container(ctx, code);
}

/* Where byte `column` (1-based) of a JSON string's value is in the file:
 * the string starts after its quote, and escaped bytes take more than one
 * column (exact unless the file escapes printable characters as \uXXXX). */
static struct tjson_pos expr_pos(const struct tjson *v, unsigned column)
{
	struct tjson_pos p = v->pos;
	uint32_t col = p.col + 1;

	for (size_t i = 0; i + 1 < column && i < v->len; i++) {
		unsigned char ch = (unsigned char)v->s[i];

		if (ch == '"' || ch == '\\' || ch == '\b' || ch == '\f' ||
		    ch == '\n' || ch == '\r' || ch == '\t')
			col += 2;
		else if (ch < 0x20)
			col += 6;
		else
			col++;
	}
	p.col = col;
	return p;
}

static void own(struct loader *ld, struct ternd_expr *x)
{
	struct ternd_expr_owned *o = ld_aalloc(ld, ld->a, 1, sizeof(*o));

	if (!o) {
		ternd_expr_free(x);
		return;
	}
	o->x = x;
	o->next = ld->cfg->exprs;
	ld->cfg->exprs = o;
}

static bool compile_test(struct loader *ld, const struct tjson *test,
			 const char *name, unsigned family,
			 struct ternd_class *k)
{
	struct env_ctx ctx = {ld, test->pos, k->only_if_required, family};
	struct ternd_expr_env env = {
		.opt_code = env_opt_code,
		.opt_is_string = env_opt_is_string,
		.opt_is_container = env_container,
		.class_index = env_class,
		.ctx = &ctx,
	};

	if (family == 6)
		env = (struct ternd_expr_env){
			.family = 6,
			.opt_code = env_opt_code,
			.class_index = env_class,
			.opt6_is_string = env6_opt_is_string,
			.opt6_is_container = env6_container,
			.ctx = &ctx,
		};
	struct ternd_expr_error err;
	struct ternd_expr *x;
	int r;

	r = ternd_expr_compile(test->s, &env, &x, &err);
	if (r == 0 && !ctx.late && ternd_expr_depends_known(x)) {
		/* Evaluated after the host lookup: 43 is unpacked then. */
		ternd_expr_free(x);
		ctx.late = true;
		r = ternd_expr_compile(test->s, &env, &x, &err);
	}
	if (r == -ENOMEM) {
		ld->oom = true;
		ld_error_at(ld, test->pos,
			    "out of memory loading the configuration");
		return false;
	}
	if (r < 0) {
		ld_error_at(ld, expr_pos(test, err.column),
			    "test of client class \"%s\": %s", name, err.msg);
		return false;
	}
	k->test = x;
	k->depends_known = ternd_expr_depends_known(x);
	own(ld, x);
	return true;
}

/* ---- one class -----------------------------------------------------------
 */

/* Kea's parseIntTriplet over NAME, min-NAME and max-NAME (t: the members
 * given, v: their values); false (reported) when they do not fit. */
bool ld_class_triplet(struct loader *ld, const struct tjson *o,
		      const char *name, const struct tjson *const t[3],
		      const uint32_t v[3], struct ld_triplet *ret)
{
	uint32_t def = v[0], min = v[1], max = v[2];

	ret->set = false;
	if (!t[0] && !t[1] && !t[2])
		return true;
	if (t[0]) {
		if (!t[1])
			min = def;
		if (!t[2])
			max = def;
	} else if (t[1] && t[2]) {
		ld_error_at(ld, o->pos,
			    "client class has min-%s and max-%s but no %s",
			    name, name, name);
		return false;
	} else {
		def = t[1] ? min : max;
		min = max = def;
	}
	if (min > max || def < min || def > max) {
		ld_error_at(ld,
			    (t[0]   ? t[0]
			     : t[1] ? t[1]
				    : t[2])
				    ->pos,
			    "%s %u is not within min-%s %u and max-%s %u", name,
			    def, name, min, name, max);
		return false;
	}
	ret->set = true;
	ret->def = def;
	ret->min = min;
	ret->max = max;
	return true;
}

/* Which of NAME, min-NAME, max-NAME key is (0..2), -1 if none. */
int ld_class_triplet_key(const char *key, const char *name)
{
	if (strcmp(key, name) == 0)
		return 0;
	if (strncmp(key, "min-", 4) == 0 && strcmp(key + 4, name) == 0)
		return 1;
	if (strncmp(key, "max-", 4) == 0 && strcmp(key + 4, name) == 0)
		return 2;
	return -1;
}

static bool get_next_server(struct loader *ld, const struct tjson *m,
			    uint32_t *ret)
{
	if (!ld_want_type(ld, m, TJSON_STRING, "an IPv4 address string"))
		return false;
	if (!ld_parse_addr(m->s, ret)) {
		ld_error_at(ld, m->pos,
			    "\"next-server\": \"%s\" is not an IPv4 address",
			    m->s);
		return false;
	}
	if (*ret == UINT32_MAX) {
		ld_error_at(ld, m->pos,
			    "\"next-server\" must not be a broadcast address");
		return false;
	}
	return true;
}

/* A fixed field's text: "" means not set. Kea's limits: sname under 64
 * bytes, file at most 128. */
static bool get_field(struct loader *ld, const struct tjson *m, size_t max,
		      const char **ret)
{
	if (!ld_want_type(ld, m, TJSON_STRING, "a string"))
		return false;
	if (m->len > max) {
		ld_error_at(ld, m->pos, "\"%s\" must be at most %zu bytes",
			    m->key, max);
		return false;
	}
	if (m->len == 0)
		return true;
	*ret = ld_astr(ld, m->s, m->len);
	return *ret != NULL;
}

/*
 * A class's option-def (Kea's ClientClassDefParser): only definitions Kea
 * unpacks late, code 43 or 224-254 of space dhcp4, are allowed; they are
 * chained to the global option-def for the class's option-data.
 */
static bool parse_class_defs(struct loader *ld, const struct tjson *odef,
			     struct ternd_defset **ret)
{
	struct ternd_defset *ds;
	bool ok = true;

	if (!ld_want_type(ld, odef, TJSON_ARRAY, "a list"))
		return false;
	for (const struct tjson *e = odef->child; e; e = e->next) {
		const struct tjson *c = tjson_get(e, "code");
		const struct tjson *sp = tjson_get(e, "space");
		const char *space = sp && sp->type == TJSON_STRING
					    ? sp->s
					    : TERN_SPACE_DHCP4;

		if (!c || c->type != TJSON_NUMBER)
			continue; /* ld_parse_option_defs says what is wrong */
		if (strcmp(space, TERN_SPACE_DHCP4) != 0 ||
		    !(c->i == 43 || (c->i >= 224 && c->i <= 254))) {
			ld_error_at(
				ld, e->pos,
				"Not allowed option definition for code "
				"'%lld' in space '%s' (a client class may "
				"define only codes 43 and 224-254 of dhcp4)",
				(long long)c->i, space);
			ok = false;
		}
	}
	if (!ok)
		return false;
	if (!(ds = ld_aalloc(ld, ld->a, 1, sizeof(*ds))))
		return false;
	ld_parse_option_defs(ld, odef, ds);
	ds->next = &ld->defs;
	*ret = ds;
	return true;
}

/* The DHCPv4 keys of a class (kea-dhcp4's ClientClassDefParser). */
struct class4 {
	const struct tjson *life[3];
	uint32_t life_v[3];
	const struct tjson *odef, *odata;
};

static void key4_begin(void *st)
{
	memset(st, 0, sizeof(struct class4));
}

static bool key4(struct loader *ld, const struct tjson *m,
		 struct ternd_class *k, void *st, bool *ok)
{
	struct class4 *c4 = st;
	int l;

	if (strcmp(m->key, "option-data") == 0)
		c4->odata = m;
	else if (strcmp(m->key, "option-def") == 0)
		c4->odef = m;
	else if (strcmp(m->key, "next-server") == 0)
		*ok &= get_next_server(ld, m, &k->next_server);
	else if (strcmp(m->key, "server-hostname") == 0)
		*ok &= get_field(ld, m, 63, &k->server_hostname);
	else if (strcmp(m->key, "boot-file-name") == 0)
		*ok &= get_field(ld, m, 128, &k->boot_file_name);
	else if ((l = ld_class_triplet_key(m->key, "valid-lifetime")) >= 0) {
		c4->life[l] = m;
		*ok &= ld_get_u32(ld, m, 0, UINT32_MAX, &c4->life_v[l]);
	} else
		return false;
	return true;
}

/* Kea reads a class's option-def first, then its option-data with those
 * definitions (chained to the global ones here), then the lifetimes. */
static bool finish4(struct loader *ld, const struct tjson *o,
		    struct ternd_class *k, void *st, bool ok)
{
	struct class4 *c4 = st;
	struct ternd_defset *defs = NULL;
	struct ld_triplet t = {0};

	if (c4->odef)
		ok &= parse_class_defs(ld, c4->odef, &defs);
	if (c4->odata)
		ld_parse_optlist_defs(ld, c4->odata, defs ? defs : &ld->defs,
				      &k->options);
	if (ok && !ld_class_triplet(ld, o, "valid-lifetime", c4->life,
				    c4->life_v, &t))
		ok = false;
	k->has_valid = t.set;
	k->valid_lifetime = t.def;
	k->min_valid_lifetime = t.min;
	k->max_valid_lifetime = t.max;
	return ok;
}

static void other4(struct loader *ld, const struct tjson *m)
{
	ld_other_key(ld, m, "client-classes");
}

static const struct ld_class_reader reader4 = {
	.family = 4,
	.begin = key4_begin,
	.key = key4,
	.finish = finish4,
	.other = other4,
};

static void parse_class(struct loader *ld, const struct tjson *o,
			const struct ld_class_reader *rd, void *st)
{
	struct ld_classes *c = state(ld);
	const struct tjson *name = tjson_get(o, "name"), *test = NULL;
	struct ternd_class k = {0};
	bool ok = true;
	int32_t i;

	if (!c || !ld_want_type(ld, o, TJSON_OBJECT, "a map"))
		return;
	c->family = rd->family;
	if (!name) {
		ld_error_at(ld, o->pos, "client class needs a \"name\"");
		return;
	}
	if (!ld_want_type(ld, name, TJSON_STRING, "a string"))
		return;
	if (name->len == 0) {
		ld_error_at(ld, name->pos,
			    "client class \"name\" must not be empty");
		return;
	}
	i = find(c, name->s, name->len);
	if (i >= 0 && c->v[i].defined) {
		ld_error_at(ld, name->pos,
			    "client class \"%s\" is already defined at line %u",
			    name->s, c->pos[i].line);
		return;
	}
	rd->begin(st);
	for (const struct tjson *m = o->child; m; m = m->next) {
		if (strcmp(m->key, "name") == 0)
			continue;
		if (strcmp(m->key, "test") == 0) {
			if (ld_want_type(ld, m, TJSON_STRING, "a string"))
				test = m;
			else
				ok = false;
		} else if (strcmp(m->key, "only-if-required") == 0)
			ok &= ld_get_bool(ld, m, &k.only_if_required);
		else if (!rd->key(ld, m, &k, st, &ok))
			rd->other(ld, m);
	}
	/* A class with an error is still defined (the load fails anyway),
	 * so that later tests naming it do not report errors of their own,
	 * as Kea stops at its first. */
	ok = rd->finish(ld, o, &k, st, ok);
	if (is_builtin_name(name->s, name->len) &&
	    (k.only_if_required || test)) {
		/* Kea: ALL, KNOWN, UNKNOWN and BOOTP are assigned, never
		 * tested (the prefixes may be). */
		ld_error_at(ld, name->pos,
			    "built-in class \"%s\" can have no test and no "
			    "only-if-required",
			    name->s);
		test = NULL;
	}
	if (name->len == 4 && memcmp(name->s, "DROP", 4) == 0 &&
	    k.only_if_required)
		ld_error_at(ld, name->pos,
			    "class \"DROP\" cannot be only-if-required");
	if (test)
		compile_test(ld, test, name->s, rd->family, &k);
	if ((i = intern(ld, name->s, name->len, name->pos)) < 0)
		return;
	k.name = c->v[i].name;
	k.defined = true;
	c->v[i] = k;
	c->pos[i] = name->pos;
	c->defs[c->n_defs++] = (uint16_t)i;
	c->used = true;
	if (rd->defined)
		rd->defined(ld, (uint16_t)i, st);
}

void ld_parse_classes_with(struct loader *ld, const struct tjson *arr,
			   const struct ld_class_reader *rd, void *st)
{
	if (!ld_want_type(ld, arr, TJSON_ARRAY, "a list"))
		return;
	for (const struct tjson *o = arr->child; o; o = o->next)
		parse_class(ld, o, rd, st);
}

void ld_parse_client_classes(struct loader *ld, const struct tjson *arr)
{
	struct class4 st;

	ld_parse_classes_with(ld, arr, &reader4, &st);
}

/* ---- client-class, require-client-classes --------------------------------
 */

bool ld_parse_class_use(struct loader *ld, const struct tjson *m,
			struct ternd_class_use *u)
{
	int32_t i;

	if (strcmp(m->key, "client-class") == 0) {
		/* Any name: Kea does not check that it is defined. "" is
		 * no restriction. */
		if (!ld_want_type(ld, m, TJSON_STRING, "a string") ||
		    m->len == 0)
			return true;
		if ((i = intern(ld, m->s, m->len, m->pos)) >= 0) {
			u->restricted = true;
			u->only = (uint16_t)i;
			state(ld)->used = true;
			state(ld)->restricts = true;
		}
		return true;
	}
	if (strcmp(m->key, "require-client-classes") == 0) {
		struct ld_classes *c = state(ld);
		uint16_t *v;
		size_t n = 0;

		if (!c || !ld_want_type(ld, m, TJSON_ARRAY, "a list"))
			return true;
		if (!(v = ld_aalloc(ld, ld->a, m->n, sizeof(*v))))
			return true;
		for (const struct tjson *e = m->child; e; e = e->next) {
			if (!ld_want_type(ld, e, TJSON_STRING, "a string") ||
			    e->len == 0)
				continue;
			/* Only a defined class with a test can join (Kea:
			 * undefined and untestable ones are skipped). */
			i = find(c, e->s, e->len);
			if (i < 0 || !c->v[i].defined || !c->v[i].test)
				continue;
			v[n++] = (uint16_t)i;
		}
		u->required = v;
		u->n_required = n;
		return true;
	}
	return false;
}

/* ---- the finished index --------------------------------------------------
 */

static int cmp_name(const void *a, const void *b, void *arg)
{
	const struct ternd_class *v = arg;

	return strcmp(v[*(const uint16_t *)a].name,
		      v[*(const uint16_t *)b].name);
}

void ld_finish_classes(struct loader *ld)
{
	struct ld_classes *c = state(ld);
	struct ternd_classes *out = &ld->cfg->classes;
	struct ternd_class *v;
	uint16_t *by_name, *defs, *vendor;
	uint8_t *gives;
	size_t nv = 0;

	if (!c)
		return;
	v = ld_aalloc(ld, ld->a, c->n, sizeof(*v));
	by_name = ld_aalloc(ld, ld->a, c->n, sizeof(*by_name));
	defs = ld_aalloc(ld, ld->a, c->n_defs, sizeof(*defs));
	vendor = ld_aalloc(ld, ld->a, c->n, sizeof(*vendor));
	if (!v || !by_name || !defs || !vendor)
		return;
	memcpy(v, c->v, c->n * sizeof(*v));
	memcpy(defs, c->defs, c->n_defs * sizeof(*defs));
	if (!(gives = ld_aalloc(ld, ld->a, c->n, sizeof(*gives))))
		return;
	for (size_t i = 0; i < c->n; i++)
		gives[i] =
			(uint8_t)((!ternd_optlist_empty(&v[i].options)
					   ? TERND_CLASS_GIVES_OPTIONS
					   : 0) |
				  (v[i].next_server || v[i].server_hostname ||
						   v[i].boot_file_name
					   ? TERND_CLASS_GIVES_FIELDS
					   : 0) |
				  (v[i].has_valid ? TERND_CLASS_GIVES_LIFETIME
						  : 0));
	out->gives = gives;
	for (int k = 0; k < 2; k++) {
		uint16_t *p = ld_aalloc(ld, ld->a, c->n_defs, sizeof(*p));
		size_t np = 0;

		if (!p)
			return;
		for (size_t i = 0; i < c->n_defs; i++) {
			const struct ternd_class *d = &v[defs[i]];

			if (d->test && !d->only_if_required &&
			    d->depends_known == (k == 1))
				p[np++] = defs[i];
		}
		out->pass[k] = p;
		out->n_pass[k] = np;
	}
	for (size_t i = 0; i < c->n; i++)
		by_name[i] = (uint16_t)i;
	qsort_r(by_name, c->n, sizeof(*by_name), cmp_name, v);
	for (size_t i = 0; i < c->n; i++) {
		const char *s = v[by_name[i]].name;

		if (strlen(s) > VENDOR_PREFIX_LEN &&
		    memcmp(s, VENDOR_PREFIX, VENDOR_PREFIX_LEN) == 0)
			vendor[nv++] = by_name[i];
	}
	{
		const struct ternd_expr **tests =
			ld_aalloc(ld, ld->tmp, c->n, sizeof(*tests));

		if (!tests)
			return;
		for (size_t i = 0; i < c->n; i++)
			tests[i] = v[i].test;
		/* The batch decides DHCPv4 tests (kea-dhcp6's are all
		 * evaluated one by one). */
		if (c->family != 6 &&
		    ternd_expr_batch_new(tests, c->n, &out->batch) < 0) {
			ld->oom = true;
			ld_error_at(ld, (struct tjson_pos){0},
				    "out of memory loading the configuration");
			return;
		}
	}
	out->v = v;
	out->n = c->n;
	out->defs = defs;
	out->n_defs = c->n_defs;
	out->by_name = by_name;
	out->vendor = vendor;
	out->n_vendor = nv;
	out->all = 0;
	out->known = 1;
	out->unknown = 2;
	out->bootp = 3;
	out->drop = 4;
	out->used = c->used;
	out->restricts = c->restricts;
}

void ld_free_exprs(struct ternd_config *cfg)
{
	for (struct ternd_expr_owned *o = cfg->exprs; o; o = o->next)
		ternd_expr_free(o->x);
	cfg->exprs = NULL;
	ternd_expr_batch_free(cfg->classes.batch);
	cfg->classes.batch = NULL;
}

/* ---- lookups -------------------------------------------------------------
 */

/* strcmp of a NUL-terminated name against prefix + bytes. */
static int cmp_parts(const char *name, const char *pre, size_t pl,
		     const uint8_t *b, size_t bl)
{
	size_t nl = strlen(name);
	size_t k = pl + bl;

	for (size_t i = 0; i < nl && i < k; i++) {
		unsigned char x = (unsigned char)name[i];
		unsigned char y = i < pl ? (unsigned char)pre[i] : b[i - pl];

		if (x != y)
			return x < y ? -1 : 1;
	}
	return nl < k ? -1 : nl > k;
}

static int32_t search(const struct ternd_config *cfg, const uint16_t *idx,
		      size_t n, const char *pre, size_t pl, const uint8_t *b,
		      size_t bl)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = cmp_parts(cfg->classes.v[idx[mid]].name, pre, pl, b,
				  bl);

		if (r == 0)
			return idx[mid];
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

int32_t ternd_config_class_find(const struct ternd_config *cfg,
				const char *name, size_t len)
{
	if (!cfg || !name)
		return -1;
	return search(cfg, cfg->classes.by_name, cfg->classes.n, "", 0,
		      (const uint8_t *)name, len);
}

int32_t ternd_config_vendor_class(const struct ternd_config *cfg,
				  const uint8_t *v, size_t len)
{
	if (!cfg || !v)
		return -1;
	return search(cfg, cfg->classes.vendor, cfg->classes.n_vendor,
		      VENDOR_PREFIX, VENDOR_PREFIX_LEN, v, len);
}
