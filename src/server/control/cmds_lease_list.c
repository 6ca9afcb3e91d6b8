/* ternd control, lease commands: the lists (lease4-get-all, -get-page,
 * -get-by-*) by address over the engine's stored leases, and
 * lease4-wipe. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/control/cmds_lease.h"
#include "server/control/control.h"
#include "server/control/lease_internal.h"
#include "server/engine4/admin.h"

/* Changes handed to the store at once by lease4-wipe. */
#define WIPE_CHUNK 4096

/* ---- lookups ------------------------------------------------------------ */

static void heap_down(uint32_t *v, size_t n, size_t i)
{
	for (;;) {
		size_t c = 2 * i + 1;
		uint32_t t;

		if (c >= n)
			return;
		if (c + 1 < n && v[c + 1] > v[c])
			c++;
		if (v[i] >= v[c])
			return;
		t = v[i];
		v[i] = v[c];
		v[c] = t;
		i = c;
	}
}

static void heap_up(uint32_t *v, size_t i)
{
	while (i) {
		size_t p = (i - 1) / 2;
		uint32_t t;

		if (v[p] >= v[i])
			return;
		t = v[i];
		v[i] = v[p];
		v[p] = t;
		i = p;
	}
}

static int collect_cb(void *ctx, const struct ternd_lease *l)
{
	struct lc_addrs *a = ctx;

	if (a->has_after && l->addr <= a->after)
		return 0;
	if (a->want && !a->want(a, l))
		return 0;
	if (a->keep && a->n == a->keep) {
		if (l->addr < a->v[0]) {
			a->v[0] = l->addr;
			heap_down(a->v, a->n, 0);
		}
		return 0;
	}
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 256;
		uint32_t *v = realloc(a->v, cap * sizeof(*v));

		if (!v) {
			a->err = -ENOMEM;
			return 1;
		}
		a->v = v;
		a->cap = cap;
	}
	a->v[a->n++] = l->addr;
	if (a->keep)
		heap_up(a->v, a->n - 1);
	return 0;
}

static int cmp_u32(const void *p, const void *q)
{
	uint32_t x = *(const uint32_t *)p, y = *(const uint32_t *)q;

	return x < y ? -1 : x > y;
}

int lc_collect(struct lc_cmd *x, struct lc_addrs *a)
{
	ternd_engine_foreach_stored(x->lc->engine, collect_cb, a);
	if (a->err < 0) {
		free(a->v);
		a->v = NULL;
		return lc_fail(&x->err, "out of memory");
	}
	if (a->n)
		qsort(a->v, a->n, sizeof(*a->v), cmp_u32);
	return 0;
}

/* {"leases": [...]} of addrs v[0..n), Kea's "N IPv4 lease(s) found." */
int lc_lease_list(struct lc_cmd *x, const uint32_t *v, size_t n, bool count,
		  struct tjson **ret_args, char *text, size_t text_len)
{
	struct tjson *o = tjson_new_object(x->out);
	struct tjson *list = tjson_new_array(x->out);
	struct ternd_lease l;

	for (size_t i = 0; i < n; i++)
		if (ternd_engine_stored(x->lc->engine, v[i], &l))
			tjson_append(x->out, list,
				     lc_lease_json(x->out, x->lc->cfg, &l));
	if (count)
		tjson_add_int(x->out, o, "count", (int64_t)n);
	tjson_add(x->out, o, "leases", list);
	*ret_args = o;
	snprintf(text, text_len, "%zu IPv4 lease(s) found.", n);
	return n ? TERND_CTL_SUCCESS : TERND_CTL_EMPTY;
}

bool lc_hw_is(const struct ternd_lease *l, const uint8_t *v, uint8_t n)
{
	return l->hw_len == n && memcmp(l->hw, v, n) == 0;
}

/* The client-id Kea has in the lease (see lc_lease_json). */
bool lc_cid_is(const struct ternd_config *cfg, const struct ternd_lease *l,
	       const uint8_t *v, uint8_t n)
{
	const struct ternd_subnet *s =
		ternd_config_subnet_by_id(cfg, l->subnet_id);

	return l->cid_len == n && n && (!s || s->params.match_client_id) &&
	       memcmp(l->cid, v, n) == 0;
}

/* ---- lists -------------------------------------------------------------- */

static int want_subnet(const struct lc_addrs *a, const struct ternd_lease *l)
{
	return l->subnet_id == *(const uint32_t *)a->arg;
}

/* The leases of the listed subnets, subnet after subnet in the list's
 * order (as Kea asks its database once per id), each by address. */
static int collect_subnets(struct lc_cmd *x, const struct tjson *list,
			   struct lc_addrs *all)
{
	for (const struct tjson *v = list->child; v; v = v->next) {
		uint32_t sid = (uint32_t)v->i;
		struct lc_addrs a = {.want = want_subnet, .arg = &sid};
		uint32_t *grown;

		if (v->i < 0 || v->i > UINT32_MAX)
			continue; /* no such subnet, no leases */
		if (lc_collect(x, &a) < 0)
			return -ENOMEM;
		if (!a.n)
			continue;
		grown = realloc(all->v, (all->n + a.n) * sizeof(*grown));
		if (!grown) {
			free(a.v);
			return lc_fail(&x->err, "out of memory");
		}
		memcpy(grown + all->n, a.v, a.n * sizeof(*grown));
		all->v = grown;
		all->n += a.n;
		free(a.v);
	}
	return 0;
}

int lc_cmd_get_all(void *ctx, const struct tjson *args, struct tjson_doc *out,
		   struct tjson **ret_args, char *text, size_t text_len)
{
	struct lc_cmd x = {ctx, args, out, {text, text_len}};
	struct lc_addrs a = {0};
	const struct tjson *subnets = NULL;
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
	if (subnets ? collect_subnets(&x, subnets, &a) < 0
		    : lc_collect(&x, &a) < 0) {
		free(a.v);
		return TERND_CTL_ERROR;
	}
	rc = lc_lease_list(&x, a.v, a.n, false, ret_args, text, text_len);
	free(a.v);
	return rc;
}

int lc_cmd_get_page(void *ctx, const struct tjson *args, struct tjson_doc *out,
		    struct tjson **ret_args, char *text, size_t text_len)
{
	struct lc_cmd x = {ctx, args, out, {text, text_len}};
	const struct tjson *from, *limit;
	struct lc_addrs a = {0};
	char v6[INET6_ADDRSTRLEN];
	size_t n;
	int rc;

	if (!args) {
		lc_fail(&x.err,
			"no parameters specified for the lease4-get-page "
			"command");
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
	if (strcmp(from->s, "start") != 0) {
		rc = lc_parse_addr(from->s, &a.after, v6);
		if (rc < 0) {
			lc_fail(&x.err, "'from' parameter value is neither "
					"'start' keyword nor a valid IPv4 "
					"address");
			return TERND_CTL_ERROR;
		}
		if (rc == 1) {
			lc_fail(&x.err,
				"'from' parameter value %s is not an IPv4 "
				"address",
				v6);
			return TERND_CTL_ERROR;
		}
	}
	/* "start" is 0.0.0.0, exclusive as any other. */
	a.has_after = true;
	if (!(limit = tjson_get(args, "limit"))) {
		lc_fail(&x.err, "'limit' parameter not specified");
		return TERND_CTL_ERROR;
	}
	if (limit->type != TJSON_NUMBER || !limit->is_int) {
		lc_fail(&x.err, "'limit' parameter must be a number");
		return TERND_CTL_ERROR;
	}
	/* Kea's LeasePageSize of the value cast to size_t: a negative
	 * limit is larger than any page. */
	if (limit->i == 0) {
		lc_fail(&x.err, "page size of retrieved leases must not be 0");
		return TERND_CTL_ERROR;
	}
	if ((uint64_t)limit->i > UINT32_MAX) {
		lc_fail(&x.err,
			"page size of retrieved leases must not be greater "
			"than %u",
			UINT32_MAX);
		return TERND_CTL_ERROR;
	}
	a.keep = (size_t)limit->i;
	if (lc_collect(&x, &a) < 0)
		return TERND_CTL_ERROR;
	n = (uint64_t)limit->i > a.n ? a.n : (size_t)limit->i;
	rc = lc_lease_list(&x, a.v, n, true, ret_args, text, text_len);
	free(a.v);
	return rc;
}

/* The identifier a get-by command looks for. */
struct by_id {
	const struct ternd_config *cfg;
	uint8_t id[TERND_LEASE_CID_MAX];
	uint8_t len;
};

static int want_hw(const struct lc_addrs *a, const struct ternd_lease *l)
{
	const struct by_id *q = a->arg;

	return lc_hw_is(l, q->id, q->len);
}

static int want_cid(const struct lc_addrs *a, const struct ternd_lease *l)
{
	const struct by_id *q = a->arg;

	return lc_cid_is(q->cfg, l, q->id, q->len);
}

static int want_host(const struct lc_addrs *a, const struct ternd_lease *l)
{
	return strcmp(l->hostname, a->arg) == 0;
}

/* The one string parameter of a get-by command. */
static const char *by_param(struct lc_cmd *x, const char *name)
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

static int get_by(struct lc_cmd *x, struct lc_addrs *a, struct tjson **ret_args)
{
	int rc;

	if (lc_collect(x, a) < 0)
		return TERND_CTL_ERROR;
	rc = lc_lease_list(x, a->v, a->n, false, ret_args, x->err.text,
			   x->err.len);
	free(a->v);
	return rc;
}

int lc_cmd_get_by_hw(void *ctx, const struct tjson *args, struct tjson_doc *out,
		     struct tjson **ret_args, char *text, size_t text_len)
{
	struct lc_cmd x = {ctx, args, out, {text, text_len}};
	struct by_id q = {0};
	struct lc_addrs a = {.want = want_hw, .arg = &q};
	const char *s = by_param(&x, "hw-address");

	if (!s || lc_parse_hw(s, q.id, &q.len, &x.err) < 0)
		return TERND_CTL_ERROR;
	return get_by(&x, &a, ret_args);
}

int lc_cmd_get_by_cid(void *ctx, const struct tjson *args,
		      struct tjson_doc *out, struct tjson **ret_args,
		      char *text, size_t text_len)
{
	struct lc_cmd x = {ctx, args, out, {text, text_len}};
	struct by_id q = {x.lc->cfg, {0}, 0};
	struct lc_addrs a = {.want = want_cid, .arg = &q};
	const char *s = by_param(&x, "client-id");

	if (!s || lc_parse_cid(s, q.id, &q.len, &x.err) < 0)
		return TERND_CTL_ERROR;
	return get_by(&x, &a, ret_args);
}

int lc_cmd_get_by_host(void *ctx, const struct tjson *args,
		       struct tjson_doc *out, struct tjson **ret_args,
		       char *text, size_t text_len)
{
	struct lc_cmd x = {ctx, args, out, {text, text_len}};
	char name[TERND_LEASE_HOSTNAME_MAX];
	struct lc_addrs a = {.want = want_host, .arg = name};
	const char *s = by_param(&x, "hostname");
	size_t i;

	if (!s)
		return TERND_CTL_ERROR;
	if (!*s) {
		lc_fail(&x.err, "'hostname' parameter is empty");
		return TERND_CTL_ERROR;
	}
	/* Kea lower-cases the name asked for, then matches it exactly. */
	for (i = 0; s[i] && i + 1 < sizeof(name); i++)
		name[i] = (char)tolower((unsigned char)s[i]);
	name[i] = '\0';
	if (s[i]) /* longer than any stored name: matches none */
		name[0] = '\0';
	return get_by(&x, &a, ret_args);
}

/* ---- lease4-wipe -------------------------------------------------------- */

static int cmp_subnet_id(const void *p, const void *q)
{
	uint32_t x = (*(const struct ternd_subnet *const *)p)->id;
	uint32_t y = (*(const struct ternd_subnet *const *)q)->id;

	return x < y ? -1 : x > y;
}

/* Delete v[0..n): durable chunk by chunk, then gone from the engine. */
static int wipe(struct lc_cmd *x, const uint32_t *v, size_t n)
{
	struct ternd_change *ch =
		calloc(n < WIPE_CHUNK ? n + 1 : WIPE_CHUNK, sizeof(*ch));

	if (!ch)
		return lc_fail(&x->err, "out of memory");
	for (size_t off = 0; off < n;) {
		size_t k = n - off < WIPE_CHUNK ? n - off : WIPE_CHUNK;

		for (size_t i = 0; i < k; i++) {
			ch[i].op = TERND_CHANGE_DELETE;
			ch[i].lease.addr = v[off + i];
		}
		if (lc_commit(x, ch, k) < 0) {
			free(ch);
			return -EIO;
		}
		for (size_t i = 0; i < k; i++)
			ternd_engine_lease_drop(x->lc->engine, v[off + i]);
		off += k;
	}
	free(ch);
	lc_applied(x);
	return 0;
}

int lc_cmd_wipe(void *ctx, const struct tjson *args, struct tjson_doc *out,
		struct tjson **ret_args, char *text, size_t text_len)
{
	struct lc_cmd x = {ctx, args, out, {text, text_len}};
	const struct ternd_config *cfg = x.lc->cfg;
	const struct ternd_subnet **subs = NULL;
	struct ternd_subnet none = {0};
	char ids[200] = "";
	size_t n_subs = 0, total = 0, used = 0;
	int64_t id = 0;
	int rc = TERND_CTL_ERROR;

	(void)ret_args;
	if (args && tjson_get(args, "subnet-id") &&
	    lc_get_uint(args, "subnet-id", UINT32_MAX, &id, &x.err) < 0)
		return TERND_CTL_ERROR;
	subs = calloc(cfg->n_subnets + 1, sizeof(*subs));
	if (!subs) {
		lc_fail(&x.err, "out of memory");
		return TERND_CTL_ERROR;
	}
	if (id) {
		/* Kea wipes what its database has under the id, configured
		 * or not; ternd has no leases outside its subnets. */
		subs[n_subs] = ternd_config_subnet_by_id(cfg, (uint32_t)id);
		if (!subs[n_subs]) {
			none.id = (uint32_t)id;
			subs[n_subs] = &none;
		}
		n_subs++;
	} else {
		for (size_t i = 0; i < cfg->n_subnets; i++)
			subs[n_subs++] = &cfg->subnets[i];
		qsort(subs, n_subs, sizeof(*subs), cmp_subnet_id);
	}
	for (size_t i = 0; i < n_subs; i++) {
		uint32_t sid = subs[i]->id;
		struct lc_addrs a = {.want = want_subnet, .arg = &sid};
		int k;

		if (lc_collect(&x, &a) < 0 || wipe(&x, a.v, a.n) < 0) {
			free(a.v);
			goto out;
		}
		total += a.n;
		free(a.v);
		k = snprintf(ids + used, sizeof(ids) - used, " %" PRIu32, sid);
		if (k > 0 && (size_t)k < sizeof(ids) - used)
			used += (size_t)k;
	}
	snprintf(text, text_len, "Deleted %zu IPv4 lease(s) from subnet(s)%s",
		 total, ids);
	rc = total ? TERND_CTL_SUCCESS : TERND_CTL_EMPTY;
out:
	free(subs);
	return rc;
}
