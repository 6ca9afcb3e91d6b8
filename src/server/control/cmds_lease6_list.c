/* ternd control, lease6 commands: the lists (lease6-get-all, -get-page,
 * -get-by-duid, -get-by-hostname) by address over engine6's table, and
 * lease6-wipe. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/control/control.h"
#include "server/control/lease6_internal.h"
#include "server/engine6/admin6.h"

/* Changes handed to the store at once by lease6-wipe. */
#define WIPE_CHUNK 4096

/* The bindings a filter keeps (pointers into the table, valid until it
 * changes), sorted by address as Kea's memfile index has them. */
struct lc6_set {
	const struct ternd_lease6 **v;
	size_t n, cap;
	bool (*want)(const struct lc6_set *s, const struct ternd_lease6 *l);
	const void *arg;
	struct in6_addr after; /* get-page: above this only */
	bool has_after;
	int err;
};

static int collect_cb(void *ctx, const struct ternd_lease6 *l)
{
	struct lc6_set *s = ctx;

	if (s->has_after && memcmp(&l->addr, &s->after, 16) <= 0)
		return 0;
	if (s->want && !s->want(s, l))
		return 0;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		const struct ternd_lease6 **v = realloc(s->v, cap * sizeof(*v));

		if (!v) {
			s->err = -ENOMEM;
			return 1;
		}
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = l;
	return 0;
}

static int cmp_addr(const void *p, const void *q)
{
	const struct ternd_lease6 *a = *(const struct ternd_lease6 *const *)p;
	const struct ternd_lease6 *b = *(const struct ternd_lease6 *const *)q;

	return memcmp(&a->addr, &b->addr, 16);
}

static int collect(struct lc6_cmd *x, struct lc6_set *s)
{
	ternd_engine6_foreach(x->lc->engine, collect_cb, s);
	if (s->err < 0) {
		free(s->v);
		s->v = NULL;
		return lc_fail(&x->err, "out of memory");
	}
	if (s->n)
		qsort(s->v, s->n, sizeof(*s->v), cmp_addr);
	return 0;
}

/* {"leases": [...]} (and "count") of v[0..n), "N IPv6 lease(s) found." */
static int lease_list(struct lc6_cmd *x, const struct ternd_lease6 *const *v,
		      size_t n, bool count, struct tjson **ret_args)
{
	struct tjson *o = tjson_new_object(x->out);
	struct tjson *list = tjson_new_array(x->out);

	for (size_t i = 0; i < n; i++)
		tjson_append(x->out, list, lc6_lease_json(x->out, v[i]));
	if (count)
		tjson_add_int(x->out, o, "count", (int64_t)n);
	tjson_add(x->out, o, "leases", list);
	*ret_args = o;
	snprintf(x->err.text, x->err.len, "%zu IPv6 lease(s) found.", n);
	return n ? TERND_CTL_SUCCESS : TERND_CTL_EMPTY;
}

static bool want_subnet(const struct lc6_set *s, const struct ternd_lease6 *l)
{
	return l->subnet_id == *(const uint32_t *)s->arg;
}

/* Subnet after subnet in the list's order (Kea asks once per id). */
static int collect_subnets(struct lc6_cmd *x, const struct tjson *list,
			   struct lc6_set *all)
{
	for (const struct tjson *v = list->child; v; v = v->next) {
		uint32_t sid = (uint32_t)v->i;
		struct lc6_set s = {.want = want_subnet, .arg = &sid};
		const struct ternd_lease6 **grown;

		if (v->i < 0 || v->i > UINT32_MAX)
			continue;
		if (collect(x, &s) < 0)
			return -ENOMEM;
		if (!s.n)
			continue;
		grown = realloc(all->v, (all->n + s.n) * sizeof(*grown));
		if (!grown) {
			free(s.v);
			return lc_fail(&x->err, "out of memory");
		}
		memcpy(grown + all->n, s.v, s.n * sizeof(*grown));
		all->v = grown;
		all->n += s.n;
		free(s.v);
	}
	return 0;
}

int lc6_cmd_get_all(void *ctx, const struct tjson *args, struct tjson_doc *out,
		    struct tjson **ret_args, char *text, size_t text_len)
{
	struct lc6_cmd x = {ctx, args, out, {text, text_len}};
	const struct tjson *subnets = NULL;
	struct lc6_set s = {0};
	int rc;

	if (args) {
		subnets = tjson_get(args, "subnets");
		if (!subnets) {
			lc_fail(&x.err, "'subnets' parameter not specified");
			return TERND_CTL_ERROR;
		}
		if (subnets->type != TJSON_ARRAY) {
			lc_fail(&x.err, "'subnets' parameter must be a list");
			return TERND_CTL_ERROR;
		}
		for (const struct tjson *v = subnets->child; v; v = v->next)
			if (v->type != TJSON_NUMBER || !v->is_int) {
				lc_fail(&x.err, "listed subnet identifiers "
						"must be numbers");
				return TERND_CTL_ERROR;
			}
	}
	if (subnets ? collect_subnets(&x, subnets, &s) < 0
		    : collect(&x, &s) < 0) {
		free(s.v);
		return TERND_CTL_ERROR;
	}
	rc = lease_list(&x, s.v, s.n, false, ret_args);
	free(s.v);
	return rc;
}

int lc6_cmd_get_page(void *ctx, const struct tjson *args, struct tjson_doc *out,
		     struct tjson **ret_args, char *text, size_t text_len)
{
	struct lc6_cmd x = {ctx, args, out, {text, text_len}};
	const struct tjson *from, *limit;
	struct lc6_set s = {.has_after = true};
	uint64_t page;
	size_t n;
	int rc;

	if (!args) {
		lc_fail(&x.err, "no parameters specified for the "
				"lease6-get-page command");
		return TERND_CTL_ERROR;
	}
	if (!(from = tjson_get(args, "from"))) {
		lc_fail(&x.err, "'from' parameter not specified");
		return TERND_CTL_ERROR;
	}
	if (from->type != TJSON_STRING) {
		lc_fail(&x.err, "'from' parameter must be a string");
		return TERND_CTL_ERROR;
	}
	/* "start" is ::, exclusive as any other. */
	if (strcmp(from->s, "start") != 0) {
		rc = lc6_parse_addr(from->s, &s.after);
		if (rc < 0) {
			lc_fail(&x.err, "'from' parameter value is neither "
					"'start' keyword nor a valid IPv6 "
					"address");
			return TERND_CTL_ERROR;
		}
		if (rc == 1) {
			lc_fail(&x.err,
				"'from' parameter value %s is not an IPv6 "
				"address",
				from->s);
			return TERND_CTL_ERROR;
		}
	}
	if (!(limit = tjson_get(args, "limit"))) {
		lc_fail(&x.err, "'limit' parameter not specified");
		return TERND_CTL_ERROR;
	}
	if (limit->type != TJSON_NUMBER || !limit->is_int) {
		lc_fail(&x.err, "'limit' parameter must be a number");
		return TERND_CTL_ERROR;
	}
	/* Kea's LeasePageSize of the value cast to size_t. */
	page = (uint64_t)limit->i;
	if (page == 0) {
		lc_fail(&x.err, "page size of retrieved leases must not be 0");
		return TERND_CTL_ERROR;
	}
	if (page > UINT32_MAX) {
		lc_fail(&x.err,
			"page size of retrieved leases must not be greater "
			"than %u",
			UINT32_MAX);
		return TERND_CTL_ERROR;
	}
	if (collect(&x, &s) < 0)
		return TERND_CTL_ERROR;
	n = page < s.n ? (size_t)page : s.n;
	rc = lease_list(&x, s.v, n, true, ret_args);
	free(s.v);
	return rc;
}

/* The one string parameter of a get-by command. */
static const char *by_param(struct lc6_cmd *x, const char *name)
{
	const struct tjson *v;

	if (!x->args || x->args->type != TJSON_OBJECT) {
		lc_fail(&x->err, "Command arguments missing or a not a map.");
		return NULL;
	}
	if (!(v = tjson_get(x->args, name))) {
		lc_fail(&x->err, "'%s' parameter not specified", name);
		return NULL;
	}
	if (v->type != TJSON_STRING) {
		lc_fail(&x->err, "'%s' parameter must be a string", name);
		return NULL;
	}
	return v->s;
}

struct duid_q {
	uint8_t v[TERND_LEASE6_DUID_MAX];
	uint8_t len;
};

static bool want_duid(const struct lc6_set *s, const struct ternd_lease6 *l)
{
	const struct duid_q *q = s->arg;

	return l->duid_len == q->len && memcmp(l->duid, q->v, q->len) == 0;
}

static bool want_host(const struct lc6_set *s, const struct ternd_lease6 *l)
{
	return strcmp(l->hostname, s->arg) == 0;
}

static int get_by(struct lc6_cmd *x, struct lc6_set *s, struct tjson **ret_args)
{
	int rc;

	if (collect(x, s) < 0)
		return TERND_CTL_ERROR;
	rc = lease_list(x, s->v, s->n, false, ret_args);
	free(s->v);
	return rc;
}

int lc6_cmd_get_by_duid(void *ctx, const struct tjson *args,
			struct tjson_doc *out, struct tjson **ret_args,
			char *text, size_t text_len)
{
	struct lc6_cmd x = {ctx, args, out, {text, text_len}};
	struct duid_q q = {{0}, 0};
	struct lc6_set s = {.want = want_duid, .arg = &q};
	const char *d = by_param(&x, "duid");

	if (!d || lc6_parse_duid(d, q.v, &q.len, &x.err) < 0)
		return TERND_CTL_ERROR;
	return get_by(&x, &s, ret_args);
}

int lc6_cmd_get_by_host(void *ctx, const struct tjson *args,
			struct tjson_doc *out, struct tjson **ret_args,
			char *text, size_t text_len)
{
	struct lc6_cmd x = {ctx, args, out, {text, text_len}};
	char name[TERND_LEASE6_HOST_MAX];
	struct lc6_set s = {.want = want_host, .arg = name};
	const char *h = by_param(&x, "hostname");
	size_t i;

	if (!h)
		return TERND_CTL_ERROR;
	if (!*h) {
		lc_fail(&x.err, "'hostname' parameter is empty");
		return TERND_CTL_ERROR;
	}
	/* Kea lower-cases the name asked for, then matches it exactly. */
	for (i = 0; h[i] && i + 1 < sizeof(name); i++)
		name[i] = (char)tolower((unsigned char)h[i]);
	name[i] = '\0';
	if (h[i]) /* longer than any stored name: matches none */
		name[0] = '\0';
	return get_by(&x, &s, ret_args);
}

/* ---- lease6-wipe -------------------------------------------------------- */

static int cmp_u32(const void *p, const void *q)
{
	uint32_t a = *(const uint32_t *)p, b = *(const uint32_t *)q;

	return a < b ? -1 : a > b;
}

/* Delete s's bindings: durable chunk by chunk, then gone from the table.
 * The keys are copied first (the drops move what s points at). */
static int wipe(struct lc6_cmd *x, const struct lc6_set *s)
{
	size_t cap = s->n < WIPE_CHUNK ? s->n + 1 : WIPE_CHUNK;
	struct ternd_change6 *ch = calloc(cap, sizeof(*ch));
	size_t off = 0;

	if (!ch)
		return lc_fail(&x->err, "out of memory");
	while (off < s->n) {
		size_t k = s->n - off < WIPE_CHUNK ? s->n - off : WIPE_CHUNK;

		for (size_t i = 0; i < k; i++) {
			ch[i].op = TERND_CHANGE6_DEL;
			ch[i].lease = *s->v[off + i];
		}
		if (lc6_commit(x, ch, k) < 0) {
			free(ch);
			return -EIO;
		}
		for (size_t i = 0; i < k; i++)
			ternd_engine6_lease_drop(x->lc->engine,
						 ch[i].lease.type,
						 &ch[i].lease.addr);
		off += k;
	}
	free(ch);
	return 0;
}

int lc6_cmd_wipe(void *ctx, const struct tjson *args, struct tjson_doc *out,
		 struct tjson **ret_args, char *text, size_t text_len)
{
	struct lc6_cmd x = {ctx, args, out, {text, text_len}};
	const struct ternd_config6 *c6 = x.lc->cfg->v6;
	uint32_t *ids;
	char list[200] = "";
	size_t n_ids = 0, total = 0, used = 0;
	int64_t id = 0;
	int rc = TERND_CTL_ERROR;

	(void)ret_args;
	if (args && tjson_get(args, "subnet-id") &&
	    lc_get_uint(args, "subnet-id", UINT32_MAX, &id, &x.err) < 0)
		return TERND_CTL_ERROR;
	ids = calloc(c6->n_subnets + 1, sizeof(*ids));
	if (!ids) {
		lc_fail(&x.err, "out of memory");
		return TERND_CTL_ERROR;
	}
	if (id) {
		/* Kea wipes what its database has under the id, configured
		 * or not. */
		ids[n_ids++] = (uint32_t)id;
	} else {
		for (size_t i = 0; i < c6->n_subnets; i++)
			ids[n_ids++] = c6->subnets[i].id;
		qsort(ids, n_ids, sizeof(*ids), cmp_u32);
	}
	for (size_t i = 0; i < n_ids; i++) {
		struct lc6_set s = {.want = want_subnet, .arg = &ids[i]};
		int k;

		if (collect(&x, &s) < 0 || wipe(&x, &s) < 0) {
			free(s.v);
			goto out;
		}
		total += s.n;
		free(s.v);
		k = snprintf(list + used, sizeof(list) - used, " %" PRIu32,
			     ids[i]);
		if (k > 0 && (size_t)k < sizeof(list) - used)
			used += (size_t)k;
	}
	snprintf(text, text_len, "Deleted %zu IPv6 lease(s) from subnet(s)%s",
		 total, list);
	rc = total ? TERND_CTL_SUCCESS : TERND_CTL_EMPTY;
out:
	free(ids);
	return rc;
}
