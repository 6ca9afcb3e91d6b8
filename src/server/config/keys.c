/* ternd configuration keys: Kea's grammar checked over the whole tree (types,
 * empty maps, required keys) and what happens to a key no reader took, both
 * from the table in kea_keys.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "server/config/keys.h"
#include "server/config/loader.h"

const struct ld_kctx *ld_kctx_find(const char *name)
{
	for (size_t i = 0; name && ld_kea_contexts[i]; i++)
		if (strcmp(ld_kea_contexts[i]->name, name) == 0)
			return ld_kea_contexts[i];
	return NULL;
}

const struct ld_key *ld_key_find(const struct ld_kctx *c, const char *key)
{
	for (size_t g = 0; c && c->groups[g]; g++)
		for (const struct ld_key *k = c->groups[g]; k->name; k++)
			if (strcmp(k->name, key) == 0)
				return k;
	return NULL;
}

/* Whether v is the JSON text d (true, 0, "never", []): the one value a
 * key ternd does not implement may have. */
static bool is_default(const struct tjson *v, const char *d, unsigned flags)
{
	size_t n = strlen(d);

	switch (v->type) {
	case TJSON_BOOL:
		return strcmp(d, v->b ? "true" : "false") == 0;
	case TJSON_NUMBER:
		return v->is_int &&
		       (d[0] == '-' || (d[0] >= '0' && d[0] <= '9')) &&
		       v->i == strtoll(d, NULL, 10);
	case TJSON_STRING:
		if (n < 2 || d[0] != '"' || v->len != n - 2)
			return false;
		return flags & KF_ICASE ? strncasecmp(v->s, d + 1, n - 2) == 0
					: memcmp(v->s, d + 1, n - 2) == 0;
	case TJSON_ARRAY:
		return strcmp(d, "[]") == 0 && v->n == 0;
	default:
		return false;
	}
}

static const char *in_ctx(const char *where)
{
	return strcmp(where, LD_TOP_LEVEL) == 0 ? "at" : "in";
}

/* A key of a map nobody reads (a KS_NONE map): its members in turn. */
static void other_members(struct loader *ld, const struct tjson *obj,
			  const struct ld_kctx *c)
{
	if (obj->type != TJSON_OBJECT)
		return;
	for (const struct tjson *m = obj->child; m; m = m->next)
		ld_other_key(ld, m, c->name);
}

/* Every key a reader did not take ends here (docs/config.md, "Kea's
 * keys"): unknown to Kea 2.2, a warning; Kea's but not implemented, an
 * error naming it; without effect on ternd, accepted. */
void ld_other_key(struct loader *ld, const struct tjson *m, const char *where)
{
	const struct ld_kctx *c = ld_kctx_find(where);
	const struct ld_key *k = ld_key_find(c, m->key);
	char only[64] = "";

	if (!k) {
		if (c && c->open)
			return;
		if (!c && (strcmp(m->key, "comment") == 0 ||
			   strcmp(m->key, "user-context") == 0))
			return;
		ld_warn_at(ld, m->kpos, "unknown key \"%s\" %s %s, ignored%s",
			   m->key, in_ctx(where), where,
			   c ? " (kea-dhcp4 2.2 does not know it either)" : "");
		return;
	}
	if (k->status == KS_NONE) {
		if (k->type == KT_MAP && k->sub)
			other_members(ld, m, k->sub);
		return;
	}
	if (k->dflt && is_default(m, k->dflt, k->flags))
		return;
	if (k->dflt)
		snprintf(only, sizeof(only), " (accepted only as %s)", k->dflt);
	if (k->status == KS_REFUSE)
		ld_error_at(ld, m->kpos, "\"%s\" %s %s is refused: %s%s",
			    m->key, in_ctx(where), where, k->why, only);
	else if (k->why)
		ld_error_at(ld, m->kpos,
			    "\"%s\" %s %s is a Kea key ternd does not "
			    "implement: %s%s",
			    m->key, in_ctx(where), where, k->why, only);
	else
		ld_error_at(ld, m->kpos,
			    "\"%s\" %s %s is a Kea key ternd does not "
			    "implement%s",
			    m->key, in_ctx(where), where, only);
}

/* ---- Kea's grammar ---------------------------------------------------- */

/* "\"raw\" or \"udp\"", "\"a\", \"b\" or \"c\"" */
static void list_vals(const char *vals, char *buf, size_t cap)
{
	size_t n = 0, count = 1, i = 0;

	for (const char *p = vals; *p; p++)
		count += *p == '|';
	buf[0] = '\0';
	for (const char *p = vals; *p && n < cap; i++) {
		size_t len = strcspn(p, "|");
		int w = snprintf(buf + n, cap - n, "%s\"%.*s\"",
				 i == 0		  ? ""
				 : i + 1 == count ? " or "
						  : ", ",
				 (int)len, p);

		if (w < 0)
			break;
		n += (size_t)w;
		p += len + (p[len] == '|');
	}
}

static bool in_vals(const struct tjson *v, const char *vals, unsigned flags)
{
	for (const char *p = vals; *p;) {
		size_t len = strcspn(p, "|");

		if (v->len == len &&
		    (flags & KF_ICASE ? strncasecmp(v->s, p, len)
				      : memcmp(v->s, p, len)) == 0)
			return true;
		p += len + (p[len] == '|');
	}
	return false;
}

static bool want(struct loader *ld, const struct tjson *v, bool ok,
		 const char *name, const char *what)
{
	if (!ok)
		ld_error_at(ld, v->pos, "%s must be %s, not %s", name, what,
			    ld_a_type(v));
	return ok;
}

static void check_map(struct loader *ld, const struct tjson *obj,
		      const struct ld_kctx *c, const char *name, bool nonempty);

/* A string of the enum vals: false (reported) if not. */
static bool check_enum(struct loader *ld, const struct tjson *v,
		       const struct ld_key *k, const char *name)
{
	char list[256];

	if (!want(ld, v, v->type == TJSON_STRING, name, "a string"))
		return false;
	if (in_vals(v, k->vals, k->flags))
		return true;
	list_vals(k->vals, list, sizeof(list));
	ld_error_at(ld, v->pos, "%s must be %s, not \"%s\"", name, list, v->s);
	return false;
}

static void check_value(struct loader *ld, const struct tjson *v,
			const struct ld_key *k)
{
	char name[160], elem[180];

	snprintf(name, sizeof(name), "\"%s\"", k->name);
	snprintf(elem, sizeof(elem), "an entry of \"%s\"", k->name);
	switch (k->type) {
	case KT_INT:
		if (want(ld, v, v->type == TJSON_NUMBER && v->is_int, name,
			 "an integer") &&
		    (k->flags & KF_RANGE) && (v->i < k->min || v->i > k->max))
			ld_error_at(
				ld, v->pos,
				"%s must be %lld..%lld, not %lld (kea-dhcp4 "
				"2.2 refuses it)",
				name, (long long)k->min, (long long)k->max,
				(long long)v->i);
		break;
	case KT_REAL:
		want(ld, v, v->type == TJSON_NUMBER && !v->is_int, name,
		     "a real number such as 0.5");
		break;
	case KT_BOOL:
		want(ld, v, v->type == TJSON_BOOL, name, "true or false");
		break;
	case KT_STR:
		want(ld, v, v->type == TJSON_STRING, name, "a string");
		break;
	case KT_ENUM:
		check_enum(ld, v, k, name);
		break;
	case KT_STRS:
	case KT_ENUMS:
		if (!want(ld, v, v->type == TJSON_ARRAY, name,
			  "a list of strings"))
			break;
		if ((k->flags & KF_NONEMPTY) && v->n == 0)
			ld_error_at(ld, v->pos,
				    "%s must not be empty (kea-dhcp4 2.2 "
				    "refuses an empty list here)",
				    name);
		for (const struct tjson *e = v->child; e; e = e->next)
			if (k->type == KT_ENUMS)
				check_enum(ld, e, k, elem);
			else
				want(ld, e, e->type == TJSON_STRING, elem,
				     "a string");
		break;
	case KT_MAP:
		check_map(ld, v, k->sub, name, k->flags & KF_NONEMPTY);
		break;
	case KT_MAPS:
		if (!want(ld, v, v->type == TJSON_ARRAY, name,
			  "a list of maps"))
			break;
		if ((k->flags & KF_NONEMPTY) && v->n == 0)
			ld_error_at(ld, v->pos,
				    "%s must not be empty (kea-dhcp4 2.2 "
				    "refuses an empty list here)",
				    name);
		for (const struct tjson *e = v->child; e; e = e->next)
			check_map(ld, e, k->sub, elem, k->flags & KF_ELEMS);
		break;
	case KT_JSON:
		want(ld, v, v->type == TJSON_OBJECT, name, "a map");
		break;
	default:
		break;
	}
}

static void check_map(struct loader *ld, const struct tjson *obj,
		      const struct ld_kctx *c, const char *name, bool nonempty)
{
	const struct tjson *uc, *cm;

	if (!want(ld, obj, obj->type == TJSON_OBJECT,
		  name ? name : "the configuration", "a map"))
		return;
	if (nonempty && obj->n == 0) {
		ld_error_at(ld, obj->pos,
			    "%s must not be empty (kea-dhcp4 2.2 refuses an "
			    "empty map here)",
			    name);
		return;
	}
	for (const char *r = c->required; r && *r;) {
		size_t len = strcspn(r, "|");
		char key[64];

		snprintf(key, sizeof(key), "%.*s", (int)len, r);
		if (!tjson_get(obj, key)) {
			if (name)
				ld_error_at(ld, obj->pos, "%s needs \"%s\"",
					    name, key);
			else
				ld_error_at(ld, obj->pos,
					    "no \"%s\" map in the "
					    "configuration",
					    key);
		}
		r += len + (r[len] == '|');
	}
	/* Kea stores "comment" as user-context.comment: after a
	 * user-context that has one, it is a duplicate (Kea's grammar, the
	 * comment rule; the other order merges). */
	cm = tjson_get(obj, "comment");
	uc = tjson_get(obj, "user-context");
	if (cm && uc && ld_key_find(c, "comment") && tjson_get(uc, "comment") &&
	    ld_pos_after(cm->kpos, uc->kpos))
		ld_error_at(ld, cm->kpos,
			    "\"comment\" after a user-context with a "
			    "\"comment\" (kea-dhcp4 2.2 refuses it)");
	for (const struct tjson *m = obj->child; m; m = m->next) {
		const struct ld_key *k = ld_key_find(c, m->key);

		if (k)
			check_value(ld, m, k);
	}
}

void ld_check_kea(struct loader *ld, const struct tjson *root)
{
	check_map(ld, root, ld_kea_contexts[0], NULL, false);
}
