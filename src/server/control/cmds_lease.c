/* ternd control: Kea 2.2's lease_cmds (lease4-*) over the engine's lease
 * table, every change durable in the store before it is answered. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "server/control/cmds_lease.h"
#include "server/control/control.h"
#include "server/control/lease_internal.h"
#include "server/engine4/admin.h"

/* Changes handed to the store at once by lease4-wipe. */
#define WIPE_CHUNK 4096

struct cmdctx {
	struct ternd_lease_cmds *lc;
	const struct tjson *args;
	struct tjson_doc *out;
	struct lc_err err;
};

static const char *addr_text(uint32_t a, char *buf)
{
	struct in_addr in = {htonl(a)};

	return inet_ntop(AF_INET, &in, buf, INET_ADDRSTRLEN);
}

static int64_t wall_now(void)
{
	return (int64_t)time(NULL);
}

/* The store took the change or the answer says why it did not. */
static int commit(struct cmdctx *x, const struct ternd_change *v, size_t n)
{
	int r = x->lc->commit ? x->lc->commit(x->lc->ctx, v, n) : 0;

	if (r < 0)
		lc_fail(&x->err, "the lease store did not take the change: %s",
			strerror(-r));
	return r;
}

static void applied(struct cmdctx *x)
{
	if (x->lc->applied)
		x->lc->applied(x->lc->ctx);
}

/* ---- lookups ------------------------------------------------------------ */

/* A list of stored addresses, sorted. */
struct addrs {
	uint32_t *v;
	size_t n, cap;
	/* the filter */
	int (*want)(const struct addrs *a, const struct ternd_lease *l);
	const void *arg;
	uint32_t after; /* get-page: addresses above this only */
	bool has_after;
	/* get-page: only the keep lowest (v is then a max-heap until
	 * sorted), so a page costs one pass, not a sort of the table */
	size_t keep;
	int err;
};

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
	struct addrs *a = ctx;

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

static int collect(struct cmdctx *x, struct addrs *a)
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
static int lease_list(struct cmdctx *x, const uint32_t *v, size_t n, bool count,
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

/* ---- lease4-get, lease4-del: Kea's getParameters ------------------------ */

enum query { Q_ADDR, Q_HW, Q_CID, Q_DUID };

struct query_args {
	enum query type;
	uint32_t addr;
	uint32_t subnet_id;
	uint8_t id[TERND_LEASE_CID_MAX];
	uint8_t id_len;
	bool update_ddns;
};

static int query_params(struct cmdctx *x, struct query_args *q)
{
	const struct tjson *a = x->args, *v, *type, *ident;
	char v6[INET6_ADDRSTRLEN];
	int r;

	memset(q, 0, sizeof(*q));
	if (!a || a->type != TJSON_OBJECT)
		return lc_fail(&x->err, "Parameters missing or are not a map.");
	if ((v = tjson_get(a, "update-ddns"))) {
		if (v->type != TJSON_BOOL)
			return lc_fail(&x->err,
				       "'update-ddns' is not a boolean");
		q->update_ddns = v->b;
	}
	if ((v = tjson_get(a, "type"))) {
		const char *t = v->type == TJSON_STRING ? v->s : "";

		if (strcmp(t, "IA_NA") && strcmp(t, "0") &&
		    strcmp(t, "IA_TA") && strcmp(t, "1") &&
		    strcmp(t, "IA_PD") && strcmp(t, "2") && strcmp(t, "V4") &&
		    strcmp(t, "3"))
			return lc_fail(&x->err,
				       "Invalid lease type specified: %s, only "
				       "supported values are: IA_NA, IA_TA, "
				       "IA_PD and V4",
				       t);
	}
	if ((v = tjson_get(a, "ip-address"))) {
		if (v->type != TJSON_STRING)
			return lc_fail(&x->err,
				       "'ip-address' is not a string.");
		r = lc_parse_addr(v->s, &q->addr, v6);
		if (r < 0)
			return lc_fail(&x->err,
				       "Failed to convert string to address "
				       "'%s': Invalid argument",
				       v->s);
		if (r == 1)
			return lc_fail(&x->err,
				       "Invalid IPv4 address specified: %s",
				       v->s);
		q->type = Q_ADDR;
		return 0;
	}
	if (!(v = tjson_get(a, "subnet-id")))
		return lc_fail(&x->err,
			       "Mandatory 'subnet-id' parameter missing.");
	if (v->type != TJSON_NUMBER || !v->is_int)
		return lc_fail(&x->err,
			       "'subnet-id' parameter is not integer.");
	q->subnet_id = (uint32_t)v->i;
	type = tjson_get(a, "identifier-type");
	ident = tjson_get(a, "identifier");
	if (!type || type->type != TJSON_STRING)
		return lc_fail(&x->err, "No 'ip-address' provided and "
					"'identifier-type' is either missing "
					"or not a string.");
	if (!ident || ident->type != TJSON_STRING)
		return lc_fail(&x->err, "No 'ip-address' provided and "
					"'identifier' is either missing or "
					"not a string.");
	if (!strcmp(type->s, "address")) {
		/* Kea looks up 0.0.0.0 then. */
		q->type = Q_ADDR;
		return 0;
	}
	if (!strcmp(type->s, "hw-address")) {
		q->type = Q_HW;
		return lc_parse_hw(ident->s, q->id, &q->id_len, &x->err);
	}
	if (!strcmp(type->s, "client-id")) {
		q->type = Q_CID;
		return lc_parse_cid(ident->s, q->id, &q->id_len, &x->err);
	}
	if (!strcmp(type->s, "duid")) {
		uint8_t d[TERND_LEASE_CID_MAX];
		uint8_t n;

		q->type = Q_DUID;
		/* DUID::fromText: the same text rules, 1 byte allowed. */
		r = lc_parse_cid(ident->s, d, &n, &x->err);
		return r < 0 && strncmp(x->err.text, "client-id is too short",
					22) != 0
			       ? r
			       : 0;
	}
	return lc_fail(&x->err,
		       "Incorrect identifier type: %s, the only supported "
		       "values are: address, hw-address, duid",
		       type->s);
}

struct ident_match {
	const struct query_args *q;
	const struct ternd_config *cfg;
};

static bool hw_is(const struct ternd_lease *l, const uint8_t *v, uint8_t n)
{
	return l->hw_len == n && memcmp(l->hw, v, n) == 0;
}

/* The client-id Kea has in the lease (see lc_lease_json). */
static bool cid_is(const struct ternd_config *cfg, const struct ternd_lease *l,
		   const uint8_t *v, uint8_t n)
{
	const struct ternd_subnet *s =
		ternd_config_subnet_by_id(cfg, l->subnet_id);

	return l->cid_len == n && n && (!s || s->params.match_client_id) &&
	       memcmp(l->cid, v, n) == 0;
}

static int want_ident(const struct addrs *a, const struct ternd_lease *l)
{
	const struct ident_match *m = a->arg;

	if (l->subnet_id != m->q->subnet_id)
		return 0;
	return m->q->type == Q_HW ? hw_is(l, m->q->id, m->q->id_len)
				  : cid_is(m->cfg, l, m->q->id, m->q->id_len);
}

/* The lease a query names: 0 with *ret, -ENOENT, or an error. */
static int find_one(struct cmdctx *x, const struct query_args *q,
		    struct ternd_lease *ret)
{
	struct ident_match m = {q, x->lc->cfg};
	struct addrs a = {.want = want_ident, .arg = &m};
	int r;

	if (q->type == Q_ADDR)
		return ternd_engine_stored(x->lc->engine, q->addr, ret)
			       ? 0
			       : -ENOENT;
	if ((r = collect(x, &a)) < 0)
		return r;
	/* Kea's index gives one; ternd's choice is the lowest address. */
	r = a.n && ternd_engine_stored(x->lc->engine, a.v[0], ret) ? 0
								   : -ENOENT;
	free(a.v);
	return r;
}

static int cmd_get(void *ctx, const struct tjson *args, struct tjson_doc *out,
		   struct tjson **ret_args, char *text, size_t text_len)
{
	struct cmdctx x = {ctx, args, out, {text, text_len}};
	struct query_args q;
	struct ternd_lease l;
	int r;

	if (query_params(&x, &q) < 0)
		return TERND_CTL_ERROR;
	if (q.type == Q_DUID) {
		lc_fail(&x.err, "Query by duid is not allowed in v4.");
		return TERND_CTL_ERROR;
	}
	r = find_one(&x, &q, &l);
	if (r == -ENOENT) {
		snprintf(text, text_len, "Lease not found.");
		return TERND_CTL_EMPTY;
	}
	if (r < 0)
		return TERND_CTL_ERROR;
	*ret_args = lc_lease_json(out, x.lc->cfg, &l);
	snprintf(text, text_len, "IPv4 lease found.");
	return TERND_CTL_SUCCESS;
}

static int cmd_del(void *ctx, const struct tjson *args, struct tjson_doc *out,
		   struct tjson **ret_args, char *text, size_t text_len)
{
	struct cmdctx x = {ctx, args, out, {text, text_len}};
	struct ternd_change ch = {.op = TERND_CHANGE_DELETE};
	struct query_args q;
	int r;

	(void)ret_args;
	if (query_params(&x, &q) < 0)
		return TERND_CTL_ERROR;
	if (q.type == Q_DUID) {
		lc_fail(&x.err, "Delete by duid is not allowed in v4.");
		return TERND_CTL_ERROR;
	}
	r = find_one(&x, &q, &ch.lease);
	if (r == -ENOENT) {
		snprintf(text, text_len, "IPv4 lease not found.");
		return TERND_CTL_EMPTY;
	}
	if (r < 0)
		return TERND_CTL_ERROR;
	/* Kea removes the name only when asked to and the lease has one. */
	if (q.update_ddns && x.lc->cfg->ddns.enable_updates &&
	    ch.lease.hostname[0] && (ch.lease.fqdn_fwd || ch.lease.fqdn_rev) &&
	    x.lc->ncr)
		(void)x.lc->ncr(x.lc->ctx, &ch.lease, true);
	if (commit(&x, &ch, 1) < 0)
		return TERND_CTL_ERROR;
	ternd_engine_lease_drop(x.lc->engine, ch.lease.addr);
	applied(&x);
	snprintf(text, text_len, "IPv4 lease deleted.");
	return TERND_CTL_SUCCESS;
}

/* ---- lease4-add, lease4-update ----------------------------------------- */

/* Whether the engine can keep l; Kea's text when it cannot. */
static int engine_check(struct cmdctx *x, const struct ternd_lease *l)
{
	char ab[INET_ADDRSTRLEN];
	int r = ternd_engine_lease_check(x->lc->engine, l);

	if (r == -EADDRNOTAVAIL)
		return lc_fail(&x->err,
			       "The address %s is the network or broadcast "
			       "address of subnet-id %" PRIu32,
			       addr_text(l->addr, ab), l->subnet_id);
	if (r == -ERANGE)
		return lc_fail(&x->err,
			       "The address %s is in no pool and no "
			       "reservation of subnet-id %" PRIu32
			       ": ternd keeps leases only there",
			       addr_text(l->addr, ab), l->subnet_id);
	if (r < 0)
		return lc_fail(&x->err, "The address %s cannot be leased: %s",
			       addr_text(l->addr, ab), strerror(-r));
	if (ternd_engine_lease_reserve(x->lc->engine, 1) < 0)
		return lc_fail(&x->err, "out of memory");
	return 0;
}

/* Make l durable, then the engine's. */
static int put(struct cmdctx *x, const struct ternd_lease *l)
{
	struct ternd_change ch = {.op = TERND_CHANGE_UPSERT, .lease = *l};

	if (commit(x, &ch, 1) < 0)
		return -EIO;
	(void)ternd_engine_lease_set(x->lc->engine, l, wall_now());
	applied(x);
	return 0;
}

static int cmd_add(void *ctx, const struct tjson *args, struct tjson_doc *out,
		   struct tjson **ret_args, char *text, size_t text_len)
{
	struct cmdctx x = {ctx, args, out, {text, text_len}};
	struct ternd_lease l, old;
	char ab[INET_ADDRSTRLEN];
	bool force;

	(void)ret_args;
	if (!args) {
		lc_fail(&x.err, "no parameters specified for the command");
		return TERND_CTL_ERROR;
	}
	if (lc_parse_lease(x.lc->cfg, args, wall_now(), &l, &force, &x.err) < 0)
		return TERND_CTL_ERROR;
	if (ternd_engine_stored(x.lc->engine, l.addr, &old)) {
		lc_fail(&x.err, "IPv4 lease already exists.");
		return TERND_CTL_ERROR;
	}
	if (engine_check(&x, &l) < 0 || put(&x, &l) < 0)
		return TERND_CTL_ERROR;
	snprintf(text, text_len,
		 "Lease for address %s, subnet-id %" PRIu32 " added.",
		 addr_text(l.addr, ab), l.subnet_id);
	return TERND_CTL_SUCCESS;
}

static int cmd_update(void *ctx, const struct tjson *args,
		      struct tjson_doc *out, struct tjson **ret_args,
		      char *text, size_t text_len)
{
	struct cmdctx x = {ctx, args, out, {text, text_len}};
	struct ternd_lease l, old;
	char ab[INET_ADDRSTRLEN];
	bool force, exists;

	(void)ret_args;
	if (!args) {
		lc_fail(&x.err,
			"no parameters specified for lease4-update command");
		return TERND_CTL_ERROR;
	}
	if (lc_parse_lease(x.lc->cfg, args, wall_now(), &l, &force, &x.err) < 0)
		return TERND_CTL_ERROR;
	exists = ternd_engine_stored(x.lc->engine, l.addr, &old);
	if (!exists && !force) {
		lc_fail(&x.err,
			"failed to update the lease with address %s either "
			"because the lease has been deleted or it has changed "
			"in the database, in both cases a retry might succeed",
			addr_text(l.addr, ab));
		return TERND_CTL_ERROR;
	}
	if (engine_check(&x, &l) < 0 || put(&x, &l) < 0)
		return TERND_CTL_ERROR;
	snprintf(text, text_len,
		 exists ? "IPv4 lease updated." : "IPv4 lease added.");
	return TERND_CTL_SUCCESS;
}

/* ---- lists -------------------------------------------------------------- */

static int want_subnet(const struct addrs *a, const struct ternd_lease *l)
{
	return l->subnet_id == *(const uint32_t *)a->arg;
}

/* The leases of the listed subnets, subnet after subnet in the list's
 * order (as Kea asks its database once per id), each by address. */
static int collect_subnets(struct cmdctx *x, const struct tjson *list,
			   struct addrs *all)
{
	for (const struct tjson *v = list->child; v; v = v->next) {
		uint32_t sid = (uint32_t)v->i;
		struct addrs a = {.want = want_subnet, .arg = &sid};
		uint32_t *grown;

		if (v->i < 0 || v->i > UINT32_MAX)
			continue; /* no such subnet, no leases */
		if (collect(x, &a) < 0)
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

static int cmd_get_all(void *ctx, const struct tjson *args,
		       struct tjson_doc *out, struct tjson **ret_args,
		       char *text, size_t text_len)
{
	struct cmdctx x = {ctx, args, out, {text, text_len}};
	struct addrs a = {0};
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
		    : collect(&x, &a) < 0) {
		free(a.v);
		return TERND_CTL_ERROR;
	}
	rc = lease_list(&x, a.v, a.n, false, ret_args, text, text_len);
	free(a.v);
	return rc;
}

static int cmd_get_page(void *ctx, const struct tjson *args,
			struct tjson_doc *out, struct tjson **ret_args,
			char *text, size_t text_len)
{
	struct cmdctx x = {ctx, args, out, {text, text_len}};
	const struct tjson *from, *limit;
	struct addrs a = {0};
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
	/* Kea casts to size_t: a negative limit is a huge page. */
	if (limit->i == 0) {
		lc_fail(&x.err, "page size of retrieved leases must not be 0");
		return TERND_CTL_ERROR;
	}
	if (limit->i > 0 && (uint64_t)limit->i < SIZE_MAX)
		a.keep = (size_t)limit->i;
	if (collect(&x, &a) < 0)
		return TERND_CTL_ERROR;
	n = limit->i < 0 || (uint64_t)limit->i > a.n ? a.n : (size_t)limit->i;
	rc = lease_list(&x, a.v, n, true, ret_args, text, text_len);
	free(a.v);
	return rc;
}

static int want_hw(const struct addrs *a, const struct ternd_lease *l)
{
	const struct query_args *q = a->arg;

	return hw_is(l, q->id, q->id_len);
}

static int want_cid(const struct addrs *a, const struct ternd_lease *l)
{
	const struct ident_match *m = a->arg;

	return cid_is(m->cfg, l, m->q->id, m->q->id_len);
}

static int want_host(const struct addrs *a, const struct ternd_lease *l)
{
	return strcmp(l->hostname, a->arg) == 0;
}

/* The one string parameter of a get-by command. */
static const char *by_param(struct cmdctx *x, const char *name)
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

static int get_by(struct cmdctx *x, struct addrs *a, struct tjson **ret_args)
{
	int rc;

	if (collect(x, a) < 0)
		return TERND_CTL_ERROR;
	rc = lease_list(x, a->v, a->n, false, ret_args, x->err.text,
			x->err.len);
	free(a->v);
	return rc;
}

static int cmd_get_by_hw(void *ctx, const struct tjson *args,
			 struct tjson_doc *out, struct tjson **ret_args,
			 char *text, size_t text_len)
{
	struct cmdctx x = {ctx, args, out, {text, text_len}};
	struct query_args q = {0};
	struct addrs a = {.want = want_hw, .arg = &q};
	const char *s = by_param(&x, "hw-address");

	if (!s || lc_parse_hw(s, q.id, &q.id_len, &x.err) < 0)
		return TERND_CTL_ERROR;
	return get_by(&x, &a, ret_args);
}

static int cmd_get_by_cid(void *ctx, const struct tjson *args,
			  struct tjson_doc *out, struct tjson **ret_args,
			  char *text, size_t text_len)
{
	struct cmdctx x = {ctx, args, out, {text, text_len}};
	struct query_args q = {0};
	struct ident_match m = {&q, x.lc->cfg};
	struct addrs a = {.want = want_cid, .arg = &m};
	const char *s = by_param(&x, "client-id");

	if (!s || lc_parse_cid(s, q.id, &q.id_len, &x.err) < 0)
		return TERND_CTL_ERROR;
	return get_by(&x, &a, ret_args);
}

static int cmd_get_by_host(void *ctx, const struct tjson *args,
			   struct tjson_doc *out, struct tjson **ret_args,
			   char *text, size_t text_len)
{
	struct cmdctx x = {ctx, args, out, {text, text_len}};
	char name[TERND_LEASE_HOSTNAME_MAX];
	struct addrs a = {.want = want_host, .arg = name};
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
static int wipe(struct cmdctx *x, const uint32_t *v, size_t n)
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
		if (commit(x, ch, k) < 0) {
			free(ch);
			return -EIO;
		}
		for (size_t i = 0; i < k; i++)
			ternd_engine_lease_drop(x->lc->engine, v[off + i]);
		off += k;
	}
	free(ch);
	applied(x);
	return 0;
}

static int cmd_wipe(void *ctx, const struct tjson *args, struct tjson_doc *out,
		    struct tjson **ret_args, char *text, size_t text_len)
{
	struct cmdctx x = {ctx, args, out, {text, text_len}};
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
		struct addrs a = {.want = want_subnet, .arg = &sid};
		int k;

		if (collect(&x, &a) < 0 || wipe(&x, a.v, a.n) < 0) {
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

/* ---- lease4-resend-ddns ------------------------------------------------- */

static int cmd_resend_ddns(void *ctx, const struct tjson *args,
			   struct tjson_doc *out, struct tjson **ret_args,
			   char *text, size_t text_len)
{
	struct cmdctx x = {ctx, args, out, {text, text_len}};
	const struct tjson *v = args ? tjson_get(args, "ip-address") : NULL;
	char ab[INET_ADDRSTRLEN], v6[INET6_ADDRSTRLEN];
	struct ternd_lease l;
	uint32_t addr;
	int r;

	(void)ret_args;
	if (!v) {
		lc_fail(&x.err, "'ip-address' parameter is missing.");
		return TERND_CTL_ERROR;
	}
	if (v->type != TJSON_STRING) {
		lc_fail(&x.err, "'ip-address' is not a string.");
		return TERND_CTL_ERROR;
	}
	r = lc_parse_addr(v->s, &addr, v6);
	if (r < 0) {
		lc_fail(&x.err, "'%s' is not a valid IP address.", v->s);
		return TERND_CTL_ERROR;
	}
	if (r == 1) {
		lc_fail(&x.err, "Invalid IPv4 address specified: %s", v->s);
		return TERND_CTL_ERROR;
	}
	if (!x.lc->cfg->ddns.enable_updates || !x.lc->ncr) {
		lc_fail(&x.err, "DDNS updating is not enabled");
		return TERND_CTL_ERROR;
	}
	addr_text(addr, ab);
	if (!ternd_engine_stored(x.lc->engine, addr, &l)) {
		lc_fail(&x.err, "No lease found for: %s", ab);
		return TERND_CTL_EMPTY;
	}
	if (!l.hostname[0]) {
		lc_fail(&x.err,
			"Lease for: %s, has no hostname, nothing to "
			"update",
			ab);
		return TERND_CTL_ERROR;
	}
	if (!l.fqdn_fwd && !l.fqdn_rev) {
		lc_fail(&x.err,
			"Neither forward nor reverse updates enabled for lease "
			"for: %s",
			ab);
		return TERND_CTL_ERROR;
	}
	if ((r = x.lc->ncr(x.lc->ctx, &l, false)) < 0) {
		lc_fail(&x.err, "no name change request for %s: %s", ab,
			strerror(-r));
		return TERND_CTL_ERROR;
	}
	/* Nothing to store: the commit only sends it. */
	if (commit(&x, NULL, 0) < 0)
		return TERND_CTL_ERROR;
	snprintf(text, text_len, "NCR generated for: %s, hostname: %s", ab,
		 l.hostname);
	return TERND_CTL_SUCCESS;
}

int ternd_lease_cmds_register(struct ternd_control *c,
			      struct ternd_lease_cmds *lc)
{
	static const struct {
		const char *name;
		ternd_ctl_fn fn;
	} cmds[] = {
		{"lease4-add", cmd_add},
		{"lease4-del", cmd_del},
		{"lease4-get", cmd_get},
		{"lease4-get-all", cmd_get_all},
		{"lease4-get-by-client-id", cmd_get_by_cid},
		{"lease4-get-by-hostname", cmd_get_by_host},
		{"lease4-get-by-hw-address", cmd_get_by_hw},
		{"lease4-get-page", cmd_get_page},
		{"lease4-resend-ddns", cmd_resend_ddns},
		{"lease4-update", cmd_update},
		{"lease4-wipe", cmd_wipe},
	};
	int r;

	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if ((r = ternd_control_add(c, cmds[i].name, cmds[i].fn, lc)) <
		    0)
			return r;
	return 0;
}
