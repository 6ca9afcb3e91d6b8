/* ternd configuration: Dhcp6 client-classes (what a kea-dhcp6 2.2 class
 * may say besides name, test and only-if-required: option-data and the
 * lifetimes), client-class and require-client-classes of pools, subnets
 * and shared networks. The names, the tests and Kea's checks are
 * classes.c's, shared with Dhcp4. */
#include <string.h>

#include "server/config/loader6.h"

/* One class being read. */
struct class6 {
	const struct tjson *life[2][3]; /* valid, preferred: NAME min- max- */
	uint32_t life_v[2][3];
	const struct tjson *odata;
	struct ternd_class6 out;
	struct ternd_class6 *v; /* by class index, TERND_MAX_CLASSES */
};

static const char *const life_names[2] = {"valid-lifetime",
					  "preferred-lifetime"};

static void begin6(void *st)
{
	struct class6 *c = st;
	struct ternd_class6 *v = c->v;

	memset(c, 0, sizeof(*c));
	c->v = v;
}

static bool key6(struct loader *ld, const struct tjson *m,
		 struct ternd_class *k, void *st, bool *ok)
{
	struct class6 *c = st;

	(void)k;
	if (strcmp(m->key, "option-data") == 0) {
		c->odata = m;
		return true;
	}
	if (strcmp(m->key, "user-context") == 0) {
		/* Kea: "User context has to be a map". */
		*ok &= ld_want_type(ld, m, TJSON_OBJECT, "a map");
		return true;
	}
	for (int n = 0; n < 2; n++) {
		int l = ld_class_triplet_key(m->key, life_names[n]);

		if (l >= 0) {
			c->life[n][l] = m;
			*ok &= ld_get_u32(ld, m, 0, UINT32_MAX,
					  &c->life_v[n][l]);
			return true;
		}
	}
	return false;
}

/* Kea's order: option-data, then the valid triplet, then the preferred
 * one. */
static bool finish6(struct loader *ld, const struct tjson *o,
		    struct ternd_class *k, void *st, bool ok)
{
	struct class6 *c = st;
	struct ld_triplet t[2] = {{0}, {0}};

	if (c->odata)
		ld6_parse_optlist(ld, c->odata, &c->out.options);
	for (int n = 0; n < 2 && ok; n++)
		ok = ld_class_triplet(ld, o, life_names[n], c->life[n],
				      c->life_v[n], &t[n]);
	k->has_valid = t[0].set;
	k->valid_lifetime = t[0].def;
	k->min_valid_lifetime = t[0].min;
	k->max_valid_lifetime = t[0].max;
	c->out.has_preferred = t[1].set;
	c->out.preferred = t[1].def;
	c->out.min_preferred = t[1].min;
	c->out.max_preferred = t[1].max;
	return ok;
}

/* kea-dhcp6's grammar has no DHCPv4 class keys: a syntax error there. */
static void other6(struct loader *ld, const struct tjson *m)
{
	static const char *const v4_only[] = {"option-def", "next-server",
					      "server-hostname",
					      "boot-file-name"};

	for (size_t i = 0; i < sizeof(v4_only) / sizeof(v4_only[0]); i++)
		if (strcmp(m->key, v4_only[i]) == 0) {
			ld_error_at(ld, m->kpos,
				    "\"%s\" is a DHCPv4 client class key "
				    "(kea-dhcp6 refuses it)",
				    m->key);
			return;
		}
	ld6_other_key(ld, m, "client-classes");
}

static void defined6(struct loader *ld, uint16_t idx, void *st)
{
	struct class6 *c = st;

	(void)ld;
	c->v[idx] = c->out;
}

static const struct ld_class_reader reader6 = {
	.family = 6,
	.begin = begin6,
	.key = key6,
	.finish = finish6,
	.other = other6,
	.defined = defined6,
};

void ld6_parse_client_classes(struct loader *ld, const struct tjson *arr,
			      struct ternd_config6 *c6)
{
	struct class6 st = {0};

	st.v = ld_aalloc(ld, ld->a, TERND_MAX_CLASSES, sizeof(*st.v));
	if (!st.v)
		return;
	c6->classes = st.v;
	ld_parse_classes_with(ld, arr, &reader6, &st);
}

void ld6_finish_classes(struct loader *ld, struct ternd_config6 *c6)
{
	const struct ternd_classes *cl = &ld->cfg->classes;
	uint8_t *gives;

	ld_finish_classes(ld);
	if (!c6->classes || !cl->n)
		return;
	if (!(gives = ld_aalloc(ld, ld->a, cl->n, sizeof(*gives))))
		return;
	for (size_t i = 0; i < cl->n; i++) {
		const struct ternd_class6 *k = &c6->classes[i];

		gives[i] = (uint8_t)((k->options.n || k->options.n_vend
					      ? TERND_CLASS_GIVES_OPTIONS
					      : 0) |
				     (k->has_preferred || cl->v[i].has_valid
					      ? TERND_CLASS_GIVES_LIFETIME
					      : 0));
	}
	c6->class_gives = gives;
}

bool ld6_class_key(struct loader *ld, const struct tjson *m,
		   const char **ret_name, struct ternd_class_use *u)
{
	if (strcmp(m->key, "client-class") == 0) {
		if (!ld_want_type(ld, m, TJSON_STRING, "a string"))
			return true;
		*ret_name = m->len ? ld_astr(ld, m->s, m->len) : NULL;
		/* Any name, as Kea 2.2: one no class defines and no
		 * reservation gives gates everyone out. */
		return ld_parse_class_use(ld, m, u);
	}
	if (strcmp(m->key, "require-client-classes") == 0)
		return ld_parse_class_use(ld, m, u);
	return false;
}
