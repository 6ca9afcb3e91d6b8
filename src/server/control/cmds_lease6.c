/* ternd control: Kea 2.2's lease_cmds for DHCPv6 (lease6-add, -get, -del,
 * -update, -bulk-apply, -resend-ddns) over engine6's table, every change
 * durable in the store before it is answered. */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "server/control/control.h"
#include "server/control/lease6_internal.h"
#include "server/engine6/admin6.h"

static int64_t wall_now(void)
{
	return (int64_t)time(NULL);
}

static const char *a6_text(const struct in6_addr *a, char *buf)
{
	return inet_ntop(AF_INET6, a, buf, INET6_ADDRSTRLEN);
}

int lc6_commit(struct lc6_cmd *x, const struct ternd_change6 *v, size_t n)
{
	int r = x->lc->commit ? x->lc->commit(x->lc->ctx, v, n) : 0;

	if (r < 0)
		lc_fail(&x->err, "the lease store did not take the change: %s",
			strerror(-r));
	return r;
}

/* ---- lookups ------------------------------------------------------------ */

struct by_ident {
	const struct lc6_query_args *q;
	uint8_t type;
	const struct ternd_lease6 *best;
};

static int ident_cb(void *ctx, const struct ternd_lease6 *l)
{
	struct by_ident *b = ctx;

	if (l->type != b->type || l->subnet_id != b->q->subnet_id ||
	    l->iaid != b->q->iaid || l->duid_len != b->q->duid_len ||
	    memcmp(l->duid, b->q->duid, l->duid_len) != 0)
		return 0;
	/* Kea's index gives one; ternd's choice is the lowest address. */
	if (!b->best || memcmp(&l->addr, &b->best->addr, 16) < 0)
		b->best = l;
	return 0;
}

static int ternd_type(int kea_type)
{
	return kea_type == LC6_TYPE_NA	 ? TERND_LEASE6_NA
	       : kea_type == LC6_TYPE_PD ? TERND_LEASE6_PD
					 : -1;
}

int lc6_find(struct lc6_cmd *x, const struct lc6_query_args *q,
	     struct ternd_lease6 *ret)
{
	int type = ternd_type(q->lease_type);
	const struct ternd_lease6 *l;

	if (type < 0)
		return -ENOENT; /* IA_TA, V4: ternd keeps none */
	if (q->type == LC6_Q_ADDR) {
		/* Kea's memfile: one lease per address, of the type asked. */
		l = ternd_engine6_at(x->lc->engine, &q->addr);
		if (!l || l->type != type)
			return -ENOENT;
		*ret = *l;
		return 0;
	}
	{
		struct by_ident b = {q, (uint8_t)type, NULL};

		ternd_engine6_foreach(x->lc->engine, ident_cb, &b);
		if (!b.best)
			return -ENOENT;
		*ret = *b.best;
		return 0;
	}
}

/* ---- lease6-get, lease6-del --------------------------------------------- */

static int cmd_get(void *ctx, const struct tjson *args, struct tjson_doc *out,
		   struct tjson **ret_args, char *text, size_t text_len)
{
	struct lc6_cmd x = {ctx, args, out, {text, text_len}};
	struct lc6_query_args q;
	struct ternd_lease6 l;

	if (lc6_query_params(args, &q, &x.err) < 0)
		return TERND_CTL_ERROR;
	if (q.type == LC6_Q_HW) {
		lc_fail(&x.err, "Query by hw-address is not allowed in v6.");
		return TERND_CTL_ERROR;
	}
	if (q.type == LC6_Q_CID) {
		lc_fail(&x.err, "Query by client-id is not allowed in v6.");
		return TERND_CTL_ERROR;
	}
	if (lc6_find(&x, &q, &l) < 0) {
		snprintf(text, text_len, "Lease not found.");
		return TERND_CTL_EMPTY;
	}
	*ret_args = lc6_lease_json(out, &l);
	snprintf(text, text_len, "IPv6 lease found.");
	return TERND_CTL_SUCCESS;
}

static int cmd_del(void *ctx, const struct tjson *args, struct tjson_doc *out,
		   struct tjson **ret_args, char *text, size_t text_len)
{
	struct lc6_cmd x = {ctx, args, out, {text, text_len}};
	struct ternd_change6 ch = {.op = TERND_CHANGE6_DEL};
	struct lc6_query_args q;

	(void)ret_args;
	if (lc6_query_params(args, &q, &x.err) < 0)
		return TERND_CTL_ERROR;
	if (q.type == LC6_Q_HW) {
		lc_fail(&x.err, "Delete by hw-address is not allowed in v6.");
		return TERND_CTL_ERROR;
	}
	if (q.type == LC6_Q_CID) {
		lc_fail(&x.err, "Unknown query type: %d", (int)LC6_Q_CID);
		return TERND_CTL_ERROR;
	}
	if (lc6_find(&x, &q, &ch.lease) < 0) {
		snprintf(text, text_len, "IPv6 lease not found.");
		return TERND_CTL_EMPTY;
	}
	/* update-ddns: no name to remove, ternd's DHCPv6 side sends no
	 * name change requests (DDNS is off, as Kea's without dhcp-ddns). */
	if (lc6_commit(&x, &ch, 1) < 0)
		return TERND_CTL_ERROR;
	ternd_engine6_lease_drop(x.lc->engine, ch.lease.type, &ch.lease.addr);
	snprintf(text, text_len, "IPv6 lease deleted.");
	return TERND_CTL_SUCCESS;
}

/* ---- lease6-add, lease6-update ------------------------------------------ */

/* Whether the engine can keep l; a text when it cannot. */
static int engine_check(struct lc_err *err, struct ternd_engine6 *e,
			const struct ternd_lease6 *l)
{
	char ab[INET6_ADDRSTRLEN];
	int r = ternd_engine6_lease_check(e, l);

	if (r == -ENOSPC)
		return lc_fail(err,
			       "the lease table is full: no room for %s "
			       "(ternd keeps at most its table's size)",
			       a6_text(&l->addr, ab));
	if (r < 0)
		return lc_fail(err, "The lease %s cannot be kept: %s",
			       a6_text(&l->addr, ab), strerror(-r));
	return 0;
}

/* Make l durable, then the engine's. */
static int put(struct lc6_cmd *x, const struct ternd_lease6 *l)
{
	struct ternd_change6 ch = {.op = TERND_CHANGE6_PUT, .lease = *l};

	if (engine_check(&x->err, x->lc->engine, l) < 0 ||
	    lc6_commit(x, &ch, 1) < 0)
		return -EIO;
	(void)ternd_engine6_lease_set(x->lc->engine, l);
	return 0;
}

static int cmd_add(void *ctx, const struct tjson *args, struct tjson_doc *out,
		   struct tjson **ret_args, char *text, size_t text_len)
{
	struct lc6_cmd x = {ctx, args, out, {text, text_len}};
	struct ternd_lease6 l;
	char ab[INET6_ADDRSTRLEN];
	bool force;

	(void)ret_args;
	if (!args) {
		lc_fail(&x.err, "no parameters specified for the command");
		return TERND_CTL_ERROR;
	}
	if (lc6_parse_lease(x.lc->cfg, args, wall_now(), &l, &force, &x.err) <
	    0)
		return TERND_CTL_ERROR;
	if (ternd_engine6_at(x.lc->engine, &l.addr)) {
		lc_fail(&x.err, "IPv6 lease already exists.");
		return TERND_CTL_ERROR;
	}
	if (put(&x, &l) < 0)
		return TERND_CTL_ERROR;
	if (l.type == TERND_LEASE6_NA)
		snprintf(text, text_len,
			 "Lease for address %s, subnet-id %" PRIu32 " added.",
			 a6_text(&l.addr, ab), l.subnet_id);
	else
		snprintf(text, text_len,
			 "Lease for prefix %s/%u, subnet-id %" PRIu32 " added.",
			 a6_text(&l.addr, ab), l.plen, l.subnet_id);
	return TERND_CTL_SUCCESS;
}

/* The binding an update replaces (Kea's getLease6(type, address)). */
static const struct ternd_lease6 *existing(struct ternd_engine6 *e,
					   const struct ternd_lease6 *l)
{
	const struct ternd_lease6 *o = ternd_engine6_at(e, &l->addr);

	return o && o->type == l->type ? o : NULL;
}

static int cmd_update(void *ctx, const struct tjson *args,
		      struct tjson_doc *out, struct tjson **ret_args,
		      char *text, size_t text_len)
{
	struct lc6_cmd x = {ctx, args, out, {text, text_len}};
	struct ternd_lease6 l;
	char ab[INET6_ADDRSTRLEN];
	bool force, exists;

	(void)ret_args;
	if (!args) {
		lc_fail(&x.err,
			"no parameters specified for lease6-update command");
		return TERND_CTL_ERROR;
	}
	if (lc6_parse_lease(x.lc->cfg, args, wall_now(), &l, &force, &x.err) <
	    0)
		return TERND_CTL_ERROR;
	exists = existing(x.lc->engine, &l) != NULL;
	if (!exists && (!force || ternd_engine6_at(x.lc->engine, &l.addr))) {
		lc_fail(&x.err,
			"failed to update the lease with address %s either "
			"because the lease has been deleted or it has changed "
			"in the database, in both cases a retry might succeed",
			a6_text(&l.addr, ab));
		return TERND_CTL_ERROR;
	}
	if (put(&x, &l) < 0)
		return TERND_CTL_ERROR;
	snprintf(text, text_len,
		 exists ? "IPv6 lease updated." : "IPv6 lease added.");
	return TERND_CTL_SUCCESS;
}

/* ---- lease6-resend-ddns ------------------------------------------------- */

static int cmd_resend_ddns(void *ctx, const struct tjson *args,
			   struct tjson_doc *out, struct tjson **ret_args,
			   char *text, size_t text_len)
{
	struct lc6_cmd x = {ctx, args, out, {text, text_len}};
	const struct tjson *v = args ? tjson_get(args, "ip-address") : NULL;
	struct in6_addr a;
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
	r = lc6_parse_addr(v->s, &a);
	if (r < 0) {
		lc_fail(&x.err, "'%s' is not a valid IP address.", v->s);
		return TERND_CTL_ERROR;
	}
	if (r == 1) {
		lc_fail(&x.err, "Invalid IPv6 address specified: %s", v->s);
		return TERND_CTL_ERROR;
	}
	/* A Dhcp6 ternd has no dhcp-ddns: Kea's answer without it. */
	lc_fail(&x.err, "DDNS updating is not enabled");
	return TERND_CTL_ERROR;
}

/* ---- lease6-bulk-apply -------------------------------------------------- */

/* Kea's createFailedLeaseMap. */
static void failed(struct tjson_doc *out, struct tjson **list, int type,
		   const struct in6_addr *addr, const uint8_t *duid,
		   size_t duid_len, int result, const char *msg)
{
	static const struct in6_addr zero;
	struct tjson *o = tjson_new_object(out);
	char ab[INET6_ADDRSTRLEN], db[TERND_LEASE6_DUID_MAX * 3 + 1] = "";

	if (!*list)
		*list = tjson_new_array(out);
	tjson_add_str(out, o, "error-message", msg);
	if (memcmp(addr, &zero, 16) != 0) {
		tjson_add_str(out, o, "ip-address", a6_text(addr, ab));
	} else if (duid_len) {
		size_t k = 0;

		for (size_t i = 0; i < duid_len; i++)
			k += (size_t)snprintf(db + k, sizeof(db) - k,
					      i ? ":%02x" : "%02x", duid[i]);
		tjson_add_str(out, o, "duid", db);
	}
	tjson_add_int(out, o, "result", result);
	tjson_add_str(out, o, "type", lc6_type_text(type));
	tjson_append(out, *list, o);
}

/* Parsed deletions and leases of one bulk-apply. */
struct bulk {
	struct lc6_query_args *del;
	struct ternd_lease6 *found; /* per deletion; duid_len 255: none */
	bool *have;
	size_t n_del;
	struct ternd_lease6 *put;
	size_t n_put;
	struct ternd_change6 *ch;
};

static void bulk_free(struct bulk *b)
{
	free(b->del);
	free(b->found);
	free(b->have);
	free(b->put);
	free(b->ch);
}

static size_t list_len(const struct tjson *l)
{
	size_t n = 0;

	for (const struct tjson *v = l ? l->child : NULL; v; v = v->next)
		n++;
	return n;
}

static int bulk_parse(struct lc6_cmd *x, const struct tjson *dl,
		      const struct tjson *ll, struct bulk *b)
{
	size_t nd = list_len(dl), nl = list_len(ll), i = 0;

	b->del = calloc(nd + 1, sizeof(*b->del));
	b->found = calloc(nd + 1, sizeof(*b->found));
	b->have = calloc(nd + 1, sizeof(*b->have));
	b->put = calloc(nl + 1, sizeof(*b->put));
	b->ch = calloc(nd + nl + 1, sizeof(*b->ch));
	if (!b->del || !b->found || !b->have || !b->put || !b->ch)
		return lc_fail(&x->err, "out of memory");
	for (const struct tjson *v = dl ? dl->child : NULL; v; v = v->next) {
		struct lc6_query_args *q = &b->del[i];

		if (lc6_query_params(v, q, &x->err) < 0)
			return -EINVAL;
		if (q->type == LC6_Q_HW)
			return lc_fail(&x->err, "Delete by hw-address is not "
						"allowed in v6.");
		if (q->type == LC6_Q_CID)
			return lc_fail(&x->err, "Unknown query type: %d",
				       (int)LC6_Q_CID);
		b->have[i] = lc6_find(x, q, &b->found[i]) == 0;
		i++;
	}
	b->n_del = i;
	i = 0;
	for (const struct tjson *v = ll ? ll->child : NULL; v; v = v->next) {
		bool force;

		if (lc6_parse_lease(x->lc->cfg, v, wall_now(), &b->put[i],
				    &force, &x->err) < 0)
			return -EINVAL;
		i++;
	}
	b->n_put = i;
	return 0;
}

static int cmd_bulk_apply(void *ctx, const struct tjson *args,
			  struct tjson_doc *out, struct tjson **ret_args,
			  char *text, size_t text_len)
{
	struct lc6_cmd x = {ctx, args, out, {text, text_len}};
	struct tjson *failed_del = NULL, *failed_put = NULL;
	const struct tjson *dl, *ll;
	struct bulk b = {0};
	size_t ok = 0, nch = 0;
	bool *take = NULL;
	int rc = TERND_CTL_ERROR;

	if (!args || args->type != TJSON_OBJECT) {
		lc_fail(&x.err, "Command arguments missing or a not a map.");
		return TERND_CTL_ERROR;
	}
	dl = tjson_get(args, "deleted-leases");
	ll = tjson_get(args, "leases");
	if (!dl && !ll) {
		lc_fail(&x.err, "neither 'deleted-leases' nor 'leases' "
				"parameter specified");
		return TERND_CTL_ERROR;
	}
	if (dl && dl->type != TJSON_ARRAY) {
		lc_fail(&x.err,
			"the 'deleted-leases' parameter must be a list");
		return TERND_CTL_ERROR;
	}
	if (ll && ll->type != TJSON_ARRAY) {
		lc_fail(&x.err, "the 'leases' parameter must be a list");
		return TERND_CTL_ERROR;
	}
	if (bulk_parse(&x, dl, ll, &b) < 0)
		goto out;
	/* Deletions: a duid query that finds nothing is skipped (Kea has
	 * no lease to delete), an address that holds none fails. */
	for (size_t i = 0; i < b.n_del; i++) {
		bool again = false;

		/* The same lease named twice: the second finds it gone. */
		for (size_t k = 0; b.have[i] && k < nch; k++)
			again |= b.ch[k].lease.type == b.found[i].type &&
				 memcmp(&b.ch[k].lease.addr, &b.found[i].addr,
					16) == 0;
		if (b.have[i] && !again) {
			b.ch[nch].op = TERND_CHANGE6_DEL;
			b.ch[nch++].lease = b.found[i];
		} else if (b.del[i].type == LC6_Q_ADDR || again) {
			failed(out, &failed_del, b.del[i].lease_type,
			       &b.del[i].addr, b.del[i].duid, b.del[i].duid_len,
			       TERND_CTL_EMPTY, "lease not found");
		}
	}
	/* Leases: added or replaced (force-create), each checked against
	 * the table as the deletions leave it. */
	take = calloc(b.n_put + 1, sizeof(*take));
	if (!take) {
		lc_fail(&x.err, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < b.n_put; i++) {
		struct lc_err e = {text, text_len};
		const struct ternd_lease6 *at =
			ternd_engine6_at(x.lc->engine, &b.put[i].addr);
		bool gone = false;

		for (size_t k = 0; at && k < nch; k++)
			gone |= b.ch[k].op == TERND_CHANGE6_DEL &&
				b.ch[k].lease.type == at->type &&
				memcmp(&b.ch[k].lease.addr, &at->addr, 16) == 0;
		if (at && !gone && at->type != b.put[i].type) {
			lc_fail(&e, "IPv6 lease already exists.");
			failed(out, &failed_put, b.put[i].type, &b.put[i].addr,
			       b.put[i].duid, b.put[i].duid_len,
			       TERND_CTL_ERROR, text);
			continue;
		}
		if (engine_check(&e, x.lc->engine, &b.put[i]) < 0) {
			failed(out, &failed_put, b.put[i].type, &b.put[i].addr,
			       b.put[i].duid, b.put[i].duid_len,
			       TERND_CTL_ERROR, text);
			continue;
		}
		take[i] = true;
		b.ch[nch].op = TERND_CHANGE6_PUT;
		b.ch[nch++].lease = b.put[i];
	}
	if (nch && lc6_commit(&x, b.ch, nch) < 0)
		goto out;
	for (size_t i = 0; i < nch; i++) {
		const struct ternd_lease6 *l = &b.ch[i].lease;

		if (b.ch[i].op == TERND_CHANGE6_DEL)
			ternd_engine6_lease_drop(x.lc->engine, l->type,
						 &l->addr);
		else
			(void)ternd_engine6_lease_set(x.lc->engine, l);
		ok++;
	}
	if (failed_del || failed_put) {
		struct tjson *o = tjson_new_object(out);

		if (failed_del)
			tjson_add(out, o, "failed-deleted-leases", failed_del);
		if (failed_put)
			tjson_add(out, o, "failed-leases", failed_put);
		*ret_args = o;
	}
	snprintf(text, text_len, "Bulk apply of %zu IPv6 leases completed.",
		 ok);
	rc = ok ? TERND_CTL_SUCCESS : TERND_CTL_EMPTY;
out:
	free(take);
	bulk_free(&b);
	return rc;
}

int ternd_lease6_cmds_register(struct ternd_control *c,
			       struct ternd_lease6_cmds *lc)
{
	static const struct {
		const char *name;
		ternd_ctl_fn fn;
	} cmds[] = {
		{"lease6-add", cmd_add},
		{"lease6-bulk-apply", cmd_bulk_apply},
		{"lease6-del", cmd_del},
		{"lease6-get", cmd_get},
		{"lease6-get-all", lc6_cmd_get_all},
		{"lease6-get-by-duid", lc6_cmd_get_by_duid},
		{"lease6-get-by-hostname", lc6_cmd_get_by_host},
		{"lease6-get-page", lc6_cmd_get_page},
		{"lease6-resend-ddns", cmd_resend_ddns},
		{"lease6-update", cmd_update},
		{"lease6-wipe", lc6_cmd_wipe},
	};
	int r;

	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if ((r = ternd_control_add(c, cmds[i].name, cmds[i].fn, lc)) <
		    0)
			return r;
	return 0;
}
