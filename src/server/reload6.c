/* ternd DHCPv6 reconfiguration: a new Dhcp6 configuration is loaded,
 * checked and built (engine6, the socket's interfaces) off to the side,
 * then swapped in between two packets with every binding kept; one that
 * fails anywhere on the way changes nothing. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/json.h"
#include "common/log.h"
#include "server/control/control.h"
#include "server/engine6/engine6.h"
#include "server/net/io6.h"
#include "server/reload6.h"
#include "server/reload_text.h"

struct ternd_reload6 {
	struct ternd_reload6_live live;
	bool owned; /* *live.cfg was loaded here: freed here */
	/* The configuration replaced by the last swap: the old engine's
	 * bindings pointed into nothing of it, but the daemon's statistics
	 * may read it until their reconfigure; freed at the next swap. */
	const struct ternd_config *old_cfg;
	bool old_owned;
	uint64_t count;
	int64_t loaded;
	struct tjson_doc *source; /* {"Dhcp6": ...} in use, or NULL */
	struct timespec begun;
	struct ternd_reload_cmds cmds; /* config-set, config-reload */
};

static int64_t wall_now(void)
{
	return (int64_t)time(NULL);
}

static void set_source(struct ternd_reload6 *r, struct tjson_doc *doc)
{
	tjson_doc_free(r->source);
	r->source = doc;
}

int ternd_reload6_new(const struct ternd_reload6_live *live,
		      struct ternd_reload6 **ret)
{
	struct ternd_reload6 *r;

	if (!live || !ret || !live->cfg || !live->engine || !live->io ||
	    !live->drain || !live->swapped)
		return -EINVAL;
	if (!(r = calloc(1, sizeof(*r))))
		return -ENOMEM;
	r->live = *live;
	r->loaded = wall_now();
	r->source = ternd_reload_read_source(live->path);
	*ret = r;
	return 0;
}

static void retire_free(struct ternd_reload6 *r)
{
	if (r->old_owned)
		ternd_config_free((struct ternd_config *)r->old_cfg);
	r->old_cfg = NULL;
	r->old_owned = false;
}

void ternd_reload6_free(struct ternd_reload6 *r)
{
	if (!r)
		return;
	retire_free(r);
	if (r->owned)
		ternd_config_free((struct ternd_config *)*r->live.cfg);
	tjson_doc_free(r->source);
	free(r);
}

const struct tjson *ternd_reload6_source(const struct ternd_reload6 *r)
{
	return r && r->source ? r->source->root : NULL;
}

int64_t ternd_reload6_time(const struct ternd_reload6 *r)
{
	return r ? r->loaded : 0;
}

uint64_t ternd_reload6_count(const struct ternd_reload6 *r)
{
	return r ? r->count : 0;
}

/* ---- building and swapping ---------------------------------------------- */

/*
 * What ternd sets up once and keeps (docs/control.md, "Reconfiguration"):
 * a configuration of the other family, or one that changes these, is
 * refused with the reason.
 */
static int check_fixed(const struct ternd_config *o,
		       const struct ternd_config *n, char *err, size_t len)
{
	const char *what = NULL;

	if (!n->v6) {
		snprintf(err, len,
			 "a Dhcp4 configuration cannot replace a Dhcp6 one "
			 "(one family per process: start a ternd with it); "
			 "the running configuration is unchanged");
		return -EOPNOTSUPP;
	}
	if (o->store_type != n->store_type ||
	    o->store_persist != n->store_persist ||
	    (n->store_persist &&
	     !ternd_reload_same_str(o->store_path, n->store_path)))
		what = "lease-database";
	else if (!ternd_reload_same_str(o->control_socket, n->control_socket))
		what = "control-socket";
	else if (!ternd_reload_same_str(o->user, n->user) ||
		 !ternd_reload_same_str(o->group, n->group))
		what = "user-context ternd user/group";
	else if (o->hooks.lease_cmds != n->hooks.lease_cmds ||
		 o->hooks.stat_cmds != n->hooks.stat_cmds)
		what = "hooks-libraries";
	if (!what)
		return 0;
	snprintf(err, len,
		 "%s cannot change while ternd runs (restart ternd to apply "
		 "it); the running configuration is unchanged",
		 what);
	return -EPERM;
}

struct next6 {
	struct ternd_config *cfg;
	struct ternd_engine6 *engine;
	struct ternd_io6 *plan;
};

static void next_free(struct next6 *x)
{
	ternd_engine6_free(x->engine);
	ternd_io6_plan_free(x->plan);
	ternd_config_free(x->cfg);
}

static int build(struct ternd_reload6 *r, struct next6 *x, bool sockets,
		 char *err, size_t len)
{
	const struct ternd_reload6_live *L = &r->live;
	int rc;

	/* config-test (sockets false) checks the file, as Kea's: what a
	 * running server cannot change is config-set's and -reload's. */
	if (sockets && (rc = check_fixed(*L->cfg, x->cfg, err, len)) < 0)
		return rc;
	rc = ternd_engine6_new(x->cfg, L->max_leases, L->duid, L->duid_len,
			       &x->engine);
	if (rc < 0) {
		snprintf(err, len, "cannot build the DHCPv6 engine: %s",
			 strerror(-rc));
		return rc;
	}
	if (!sockets)
		return 0;
	if ((rc = ternd_io6_plan(L->io, x->cfg, &x->plan)) < 0) {
		snprintf(err, len,
			 "cannot listen on the interfaces of "
			 "interfaces-config: %s",
			 rc == -ENODEV ? "an interface named does not exist"
				       : strerror(-rc));
		return rc;
	}
	return 0;
}

/*
 * Held REPLYs across the swap: the drain makes every submitted change
 * durable and sends the REPLYs held for them before anything is replaced,
 * so the new engine starts from a table that is all on disk and no held
 * reply outlives the engine it was built by.
 */
static int swap(struct ternd_reload6 *r, struct next6 *x, char *err, size_t len)
{
	const struct ternd_reload6_live *L = &r->live;
	struct ternd_engine6 *old = *L->engine;
	const struct ternd_config *oc = *L->cfg;
	struct timespec t0, t1;
	size_t n;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	L->drain(L->ctx);
	if ((rc = ternd_engine6_carry(x->engine, old)) < 0) {
		snprintf(err, len, "cannot move the bindings: %s",
			 strerror(-rc));
		return rc;
	}
	n = ternd_engine6_count(x->engine);
	if (oc->log_severity != x->cfg->log_severity ||
	    oc->log_debuglevel != x->cfg->log_debuglevel ||
	    !ternd_reload_same_str(oc->log_output, x->cfg->log_output))
		tern_log(LOG_WARNING, "loggers changed: they take effect when "
				      "ternd is restarted");
	/* Nothing fails from here on. */
	ternd_io6_apply(L->io, x->plan);
	x->plan = NULL;
	*L->engine = x->engine;
	x->engine = NULL;
	retire_free(r);
	r->old_cfg = oc;
	r->old_owned = r->owned;
	*L->cfg = x->cfg;
	r->owned = true;
	x->cfg = NULL;
	L->swapped(L->ctx, old);
	ternd_engine6_free(old);
	r->count++;
	r->loaded = wall_now();
	clock_gettime(CLOCK_MONOTONIC, &t1);
	tern_log(LOG_INFO,
		 "reconfiguration: %zu DHCPv6 bindings moved; packets waited "
		 "%.1f ms (%.1f ms of it for the swap)",
		 n, ternd_reload_ms(&r->begun, &t1), ternd_reload_ms(&t0, &t1));
	return 0;
}

/* Takes cfg. */
static int apply(struct ternd_reload6 *r, struct ternd_config *cfg, char *err,
		 size_t len)
{
	struct next6 x = {.cfg = cfg};
	int rc = build(r, &x, true, err, len);

	if (rc == 0)
		rc = swap(r, &x, err, len);
	next_free(&x);
	return rc;
}

int ternd_reload6_file(struct ternd_reload6 *r, const char *how, char *err,
		       size_t len)
{
	struct ternd_config *cfg = NULL;
	struct ternd_diags *d;
	int rc;

	if (!r->live.path) {
		snprintf(err, len, "ternd was started without a file (-c)");
		ternd_reload_log_result(how, -EINVAL, err);
		return -EINVAL;
	}
	clock_gettime(CLOCK_MONOTONIC, &r->begun);
	if (!(d = calloc(1, sizeof(*d))))
		return -ENOMEM;
	rc = ternd_config_load_file(r->live.path, &cfg, d);
	if (rc < 0) {
		ternd_reload_diags_text(r->live.path, d, err, len);
		if (!err[0])
			snprintf(err, len, "%s: %s", r->live.path,
				 strerror(-rc));
	} else if ((rc = apply(r, cfg, err, len)) == 0) {
		set_source(r, ternd_reload_read_source(r->live.path));
	}
	free(d);
	ternd_reload_log_result(how, rc, err);
	return rc;
}

int ternd_reload6_test(struct ternd_reload6 *r, const char *text, size_t len,
		       char *err, size_t cap)
{
	struct next6 x = {0};
	struct ternd_diags *d = calloc(1, sizeof(*d));
	int rc;

	if (!d)
		return -ENOMEM;
	rc = ternd_config_load_buf(text, len, &x.cfg, d);
	if (rc < 0) {
		const char *msg = strerror(-rc);

		for (size_t i = 0; i < d->n; i++)
			if (d->v[i].level == TERND_DIAG_ERROR) {
				msg = d->v[i].msg;
				break;
			}
		snprintf(err, cap, "%s", msg);
	} else if (!x.cfg->v6) {
		snprintf(err, cap, "not a Dhcp6 configuration");
		rc = -EINVAL;
	} else {
		/* Kea's config-test does not open sockets either. */
		rc = build(r, &x, false, err, cap);
	}
	next_free(&x);
	free(d);
	return rc;
}

/* ---- commands ------------------------------------------------------------ */

static int cmd_apply(void *ctx, struct ternd_config *cfg, char *err, size_t len)
{
	return apply(ctx, cfg, err, len);
}

static void cmd_set_source(void *ctx, struct tjson_doc *doc)
{
	set_source(ctx, doc);
}

static int cmd_reload_file(void *ctx, const char *how, char *err, size_t len)
{
	return ternd_reload6_file(ctx, how, err, len);
}

int ternd_reload6_register(struct ternd_reload6 *r, struct ternd_control *c)
{
	r->cmds = (struct ternd_reload_cmds){
		.top = "Dhcp6",
		.ctx = r,
		.begun = &r->begun,
		.apply = cmd_apply,
		.set_source = cmd_set_source,
		.reload_file = cmd_reload_file,
	};
	return ternd_reload_cmds_register(&r->cmds, c);
}
