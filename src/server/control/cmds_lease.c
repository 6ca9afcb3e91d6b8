/* ternd control: Kea 2.2's lease_cmds (lease4-*) over the engine's lease
 * table, every change durable in the store before it is answered. */
#include <arpa/inet.h>
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
int lc_commit(struct lc_cmd *x, const struct ternd_change *v, size_t n)
{
	int r = x->lc->commit ? x->lc->commit(x->lc->ctx, v, n) : 0;

	if (r < 0)
		lc_fail(&x->err, "the lease store did not take the change: %s",
			strerror(-r));
	return r;
}

void lc_applied(struct lc_cmd *x)
{
	if (x->lc->applied)
		x->lc->applied(x->lc->ctx);
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

static int query_params(struct lc_cmd *x, struct query_args *q)
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

static int want_ident(const struct lc_addrs *a, const struct ternd_lease *l)
{
	const struct ident_match *m = a->arg;

	if (l->subnet_id != m->q->subnet_id)
		return 0;
	return m->q->type == Q_HW
		       ? lc_hw_is(l, m->q->id, m->q->id_len)
		       : lc_cid_is(m->cfg, l, m->q->id, m->q->id_len);
}

/* The lease a query names: 0 with *ret, -ENOENT, or an error. */
static int find_one(struct lc_cmd *x, const struct query_args *q,
		    struct ternd_lease *ret)
{
	struct ident_match m = {q, x->lc->cfg};
	struct lc_addrs a = {.want = want_ident, .arg = &m};
	int r;

	if (q->type == Q_ADDR)
		return ternd_engine_stored(x->lc->engine, q->addr, ret)
			       ? 0
			       : -ENOENT;
	if ((r = lc_collect(x, &a)) < 0)
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
	struct lc_cmd x = {ctx, args, out, {text, text_len}};
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
	struct lc_cmd x = {ctx, args, out, {text, text_len}};
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
	if (lc_commit(&x, &ch, 1) < 0)
		return TERND_CTL_ERROR;
	ternd_engine_lease_drop(x.lc->engine, ch.lease.addr);
	lc_applied(&x);
	snprintf(text, text_len, "IPv4 lease deleted.");
	return TERND_CTL_SUCCESS;
}

/* ---- lease4-add, lease4-update ----------------------------------------- */

/* Whether the engine can keep l; Kea's text when it cannot. */
static int engine_check(struct lc_cmd *x, const struct ternd_lease *l)
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
static int put(struct lc_cmd *x, const struct ternd_lease *l)
{
	struct ternd_change ch = {.op = TERND_CHANGE_UPSERT, .lease = *l};

	if (lc_commit(x, &ch, 1) < 0)
		return -EIO;
	(void)ternd_engine_lease_set(x->lc->engine, l, wall_now());
	lc_applied(x);
	return 0;
}

static int cmd_add(void *ctx, const struct tjson *args, struct tjson_doc *out,
		   struct tjson **ret_args, char *text, size_t text_len)
{
	struct lc_cmd x = {ctx, args, out, {text, text_len}};
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
	struct lc_cmd x = {ctx, args, out, {text, text_len}};
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

/* ---- lease4-resend-ddns ------------------------------------------------- */

static int cmd_resend_ddns(void *ctx, const struct tjson *args,
			   struct tjson_doc *out, struct tjson **ret_args,
			   char *text, size_t text_len)
{
	struct lc_cmd x = {ctx, args, out, {text, text_len}};
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
	if (lc_commit(&x, NULL, 0) < 0)
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
		{"lease4-get-all", lc_cmd_get_all},
		{"lease4-get-by-client-id", lc_cmd_get_by_cid},
		{"lease4-get-by-hostname", lc_cmd_get_by_host},
		{"lease4-get-by-hw-address", lc_cmd_get_by_hw},
		{"lease4-get-page", lc_cmd_get_page},
		{"lease4-resend-ddns", cmd_resend_ddns},
		{"lease4-update", cmd_update},
		{"lease4-wipe", lc_cmd_wipe},
	};
	int r;

	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if ((r = ternd_control_add(c, cmds[i].name, cmds[i].fn, lc)) <
		    0)
			return r;
	return 0;
}
