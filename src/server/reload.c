/* ternd reconfiguration: a new configuration is loaded, checked and built
 * (engine, hooks, DDNS sender, sockets) off to the side, then swapped in
 * between two packets with every lease kept; a configuration that fails
 * anywhere on the way changes nothing. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <arpa/inet.h>

#include "common/json.h"
#include "common/log.h"
#include "server/control/control.h"
#include "server/ddns/sender.h"
#include "server/engine4/engine.h"
#include "server/hooks/hooks.h"
#include "server/net/io.h"
#include "server/reload.h"
#include "server/reload_text.h"
#include "server/store/committer.h"

/*
 * Leases a configuration no longer covers (their subnet or address is
 * gone). Kea keeps such leases in its lease file and answers their
 * clients as it answers anyone outside its subnets; ternd keeps them in
 * the store until they expire, then deletes them, and retries them at
 * every reconfiguration (a subnet put back finds its leases again).
 */
struct orphans {
	struct ternd_lease *v;
	size_t n, cap;
};

struct ternd_reload {
	struct ternd_reload_live live;
	bool owned; /* *live.cfg was loaded here: freed here */
	/* The hooks replaced by the last swap, still reaping their scripts,
	 * and the configuration they read. */
	struct ternd_hooks *old_hooks;
	const struct ternd_config *old_cfg;
	bool old_owned;
	struct orphans orph;
	uint64_t count;
	int64_t loaded; /* when the configuration in use was loaded */
	/* Its text as a tree ({"Dhcp4": ...}), for config-get and
	 * config-write; NULL when unknown. */
	struct tjson_doc *source;
	struct timespec begun;	       /* the request's start, for the log */
	struct ternd_reload_cmds cmds; /* config-set, config-reload */
};

static int64_t wall_now(void)
{
	return (int64_t)time(NULL);
}

static void set_source(struct ternd_reload *r, struct tjson_doc *doc)
{
	tjson_doc_free(r->source);
	r->source = doc;
}

const struct tjson *ternd_reload_source(const struct ternd_reload *r)
{
	return r && r->source ? r->source->root : NULL;
}

int ternd_reload_new(const struct ternd_reload_live *live,
		     struct ternd_reload **ret)
{
	struct ternd_reload *r;

	if (!live || !ret)
		return -EINVAL;
	if (!(r = calloc(1, sizeof(*r))))
		return -ENOMEM;
	r->live = *live;
	r->loaded = wall_now();
	r->source = ternd_reload_read_source(live->path);
	*ret = r;
	return 0;
}

static void retire_free(struct ternd_reload *r)
{
	ternd_hooks_free(r->old_hooks);
	if (r->old_owned)
		ternd_config_free((struct ternd_config *)r->old_cfg);
	r->old_hooks = NULL;
	r->old_cfg = NULL;
	r->old_owned = false;
}

void ternd_reload_free(struct ternd_reload *r)
{
	if (!r)
		return;
	retire_free(r);
	if (r->owned)
		ternd_config_free((struct ternd_config *)*r->live.cfg);
	free(r->orph.v);
	tjson_doc_free(r->source);
	free(r);
}

size_t ternd_reload_orphans(const struct ternd_reload *r)
{
	return r ? r->orph.n : 0;
}

uint64_t ternd_reload_count(const struct ternd_reload *r)
{
	return r ? r->count : 0;
}

int64_t ternd_reload_time(const struct ternd_reload *r)
{
	return r ? r->loaded : 0;
}

bool ternd_reload_on_fd(struct ternd_reload *r, int fd)
{
	if (!r || !r->old_hooks || fd != ternd_hooks_fd(r->old_hooks))
		return false;
	ternd_hooks_on_fd(r->old_hooks);
	return true;
}

/* ---- leases ------------------------------------------------------------- */

static int orphan_add(struct orphans *o, const struct ternd_lease *l)
{
	if (o->n == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 64;
		struct ternd_lease *v = realloc(o->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		o->v = v;
		o->cap = cap;
	}
	o->v[o->n++] = *l;
	return 0;
}

static int adopt(struct orphans *o, struct ternd_engine *e,
		 const struct ternd_config *cfg, const struct ternd_lease *l,
		 int64_t now)
{
	const struct ternd_subnet *s;
	struct ternd_lease q;
	int rc = ternd_engine_restore(e, l, now);

	if (rc != -ENOENT)
		return rc == -ENOMEM ? rc : 0;
	/* Not this configuration's: kept until it expires. */
	if ((rc = orphan_add(o, l)) < 0)
		return rc;
	if (l->state != TERND_LEASE_BOUND && l->state != TERND_LEASE_DECLINED)
		return 0;
	if (l->expire <= now)
		return 0;
	/* Its address is in another subnet now (or its own subnet moved to
	 * another id): held there as a declined address until the lease's
	 * end, so no one else is offered it; its client is answered as any
	 * client asking for an address that is not free (NAK). Where no
	 * pool has it, no one can be given it anyway (-ENOENT). */
	s = ternd_config_subnet_for_addr(cfg, l->addr);
	if (!s)
		return 0;
	memset(&q, 0, sizeof(q));
	q.addr = l->addr;
	q.subnet_id = s->id;
	q.state = TERND_LEASE_DECLINED;
	q.cltt = l->cltt;
	q.valid_lifetime = l->valid_lifetime;
	q.expire = l->expire;
	rc = ternd_engine_restore(e, &q, now);
	return rc == -ENOMEM ? rc : 0;
}

int ternd_reload_restore(struct ternd_reload *r, struct ternd_engine *e,
			 const struct ternd_config *cfg,
			 const struct ternd_lease *l, int64_t now)
{
	return adopt(&r->orph, e, cfg, l, now);
}

struct move {
	struct orphans *o;
	struct ternd_engine *e;
	const struct ternd_config *cfg;
	int64_t now;
	size_t n;
};

static int move_one(void *ctx, const struct ternd_lease *l)
{
	struct move *m = ctx;

	/* Open offers follow in ternd_engine_carry(). */
	if (l->state == TERND_LEASE_OFFERED)
		return 0;
	m->n++;
	return adopt(m->o, m->e, m->cfg, l, m->now);
}

void ternd_reload_expire(struct ternd_reload *r, int64_t now, int64_t *next)
{
	struct ternd_change ch[64];
	const struct ternd_engine *e;
	struct ternd_committer *c;
	size_t n = 0, k = 0;
	uint64_t ticket;

	if (!r || !r->orph.n)
		return;
	c = r->live.committer ? *r->live.committer : NULL;
	e = r->live.engine ? *r->live.engine : NULL;
	for (size_t i = 0; i < r->orph.n; i++) {
		const struct ternd_lease *l = &r->orph.v[i];

		/* The store is keyed by address: where the engine has a
		 * record (the held address, or a lease given since), the
		 * row is the engine's to write or delete, not ours. */
		if (l->expire <= now && e && ternd_engine_lease(e, l->addr))
			continue;
		if (l->expire <= now && n < 64) {
			memset(&ch[n], 0, sizeof(ch[n]));
			ch[n].op = TERND_CHANGE_DELETE;
			ch[n].lease = *l;
			n++;
			continue;
		}
		if (l->expire > now && l->expire < *next)
			*next = l->expire;
		r->orph.v[k++] = *l;
	}
	if (n && c && ternd_committer_submit(c, ch, n, &ticket) < 0) {
		/* The store is busy: those leases wait for the next run. */
		memmove(r->orph.v + n, r->orph.v, k * sizeof(*r->orph.v));
		for (size_t i = 0; i < n; i++)
			r->orph.v[i] = ch[i].lease;
		k += n;
		if (now + 1 < *next)
			*next = now + 1;
	} else if (n == 64 && now + 1 < *next) {
		*next = now + 1; /* more may be due */
	}
	r->orph.n = k;
}

/* ---- the swap ------------------------------------------------------------ */

static bool same_ddns(const struct ternd_config_ddns *a,
		      const struct ternd_config_ddns *b)
{
	return a->enable_updates == b->enable_updates &&
	       a->server_family == b->server_family &&
	       !memcmp(a->server_ip, b->server_ip, 16) &&
	       a->server_port == b->server_port &&
	       a->sender_family == b->sender_family &&
	       !memcmp(a->sender_ip, b->sender_ip, 16) &&
	       a->sender_port == b->sender_port &&
	       a->max_queue_size == b->max_queue_size;
}

/*
 * What ternd sets up once and keeps (docs/control.md, "Reconfiguration"):
 * a new configuration that changes it is refused, naming the key.
 */
static int fixed_parts(const struct ternd_config *o,
		       const struct ternd_config *n, char *err, size_t len)
{
	const char *what = NULL;

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
	else if (o->mesh.present != n->mesh.present || n->mesh.present)
		what = "user-context ternd mesh";
	if (!what)
		return 0;
	snprintf(err, len,
		 "%s cannot change while ternd runs (restart ternd to apply "
		 "it); the running configuration is unchanged",
		 what);
	return -EPERM;
}

/* Everything the new configuration needs, built before anything changes. */
struct next {
	struct ternd_config *cfg;
	struct ternd_engine *engine;
	struct ternd_hooks *hooks;
	struct ternd_ddns_sender *ddns;
	bool keep_ddns;
	struct ternd_io *io;
	struct orphans orph;
};

static void next_free(struct next *x)
{
	ternd_engine_free(x->engine);
	ternd_hooks_free(x->hooks);
	ternd_ddns_sender_free(x->ddns);
	ternd_io_close(x->io);
	free(x->orph.v);
}

static int build(struct ternd_reload *r, struct next *x, char *err, size_t len)
{
	const struct ternd_reload_live *L = &r->live;
	const struct ternd_config *oc = *L->cfg;
	int rc;

	if ((rc = fixed_parts(oc, x->cfg, err, len)) < 0)
		return rc;
	if ((rc = ternd_engine_new(x->cfg, &x->engine)) < 0) {
		snprintf(err, len, "cannot build the engine: %s",
			 rc == -E2BIG ? "pools too large" : strerror(-rc));
		return rc;
	}
	if ((rc = ternd_hooks_new(x->cfg, NULL, L->port, &x->hooks)) < 0) {
		snprintf(err, len, "cannot start the hook libraries: %s",
			 strerror(-rc));
		return rc;
	}
	x->keep_ddns = same_ddns(&oc->ddns, &x->cfg->ddns);
	if (!x->keep_ddns && x->cfg->ddns.enable_updates &&
	    (rc = ternd_ddns_sender_new(&x->cfg->ddns, &x->ddns)) < 0) {
		snprintf(err, len,
			 "cannot open the DDNS socket (dhcp-ddns sender-ip/"
			 "sender-port): %s",
			 strerror(-rc));
		return rc;
	}
	if ((rc = ternd_io_plan(*L->io, x->cfg, &x->io)) < 0) {
		snprintf(err, len,
			 "cannot open the DHCP sockets of interfaces-config: "
			 "%s",
			 strerror(-rc));
		return rc;
	}
	return 0;
}

/*
 * Held ACKs across the swap: the daemon's drain makes every submitted
 * change durable and sends the ACKs held for them before anything is
 * replaced (one commit, a few ms, while no packet is read). So no held
 * reply outlives the configuration, sockets and hooks it was built with,
 * and the new engine starts from a lease table that is all on disk.
 */
static int swap(struct ternd_reload *r, struct next *x, char *err, size_t len)
{
	const struct ternd_reload_live *L = &r->live;
	const struct ternd_config *oc = *L->cfg;
	struct move m = {&x->orph, x->engine, x->cfg, wall_now(), 0};
	struct timespec t0, t1;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	L->drain(L->ctx);
	rc = ternd_engine_foreach(*L->engine, move_one, &m);
	for (size_t i = 0; rc == 0 && i < r->orph.n; i++)
		rc = adopt(&x->orph, x->engine, x->cfg, &r->orph.v[i], m.now);
	if (rc < 0) {
		snprintf(err, len, "cannot move the leases: %s", strerror(-rc));
		return rc;
	}
	ternd_engine_carry(x->engine, *L->engine, m.now);
	ternd_engine_hook_events(x->engine, x->hooks != NULL);

	/* Logging is set up once, before the event loop (main.c). */
	if (oc->log_severity != x->cfg->log_severity ||
	    oc->log_debuglevel != x->cfg->log_debuglevel ||
	    !ternd_reload_same_str(oc->log_output, x->cfg->log_output))
		tern_log(LOG_WARNING, "loggers changed: they take effect when "
				      "ternd is restarted");
	/* Nothing fails from here on. */
	ternd_io_adopt(x->io, *L->io);
	*L->io = x->io;
	x->io = NULL;
	if (!x->keep_ddns) {
		ternd_ddns_sender_free(*L->ddns);
		*L->ddns = x->ddns;
		x->ddns = NULL;
	}
	ternd_engine_free(*L->engine);
	*L->engine = x->engine;
	x->engine = NULL;
	/* The old hooks may still run scripts: they are kept (and polled)
	 * until the next swap, with the configuration they read. */
	retire_free(r);
	r->old_hooks = *L->hooks;
	r->old_cfg = oc;
	r->old_owned = r->owned;
	*L->hooks = x->hooks;
	x->hooks = NULL;
	*L->cfg = x->cfg;
	r->owned = true;
	x->cfg = NULL;
	free(r->orph.v);
	r->orph = x->orph;
	memset(&x->orph, 0, sizeof(x->orph));
	r->count++;
	r->loaded = m.now;
	L->swapped(L->ctx);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	tern_log(LOG_INFO,
		 "reconfiguration: %zu leases moved, %zu kept without a "
		 "subnet; packets waited %.1f ms (%.1f ms of it for the swap)",
		 m.n, r->orph.n, ternd_reload_ms(&r->begun, &t1),
		 ternd_reload_ms(&t0, &t1));
	return 0;
}

/* Takes cfg (freed on failure). */
static int apply(struct ternd_reload *r, struct ternd_config *cfg, char *err,
		 size_t len)
{
	struct next x = {.cfg = cfg};
	int rc;

	if (r->live.mesh) {
		snprintf(err, len,
			 "reconfiguration is not supported in mesh mode "
			 "(restart ternd)");
		rc = -EOPNOTSUPP;
	} else if (cfg->v6) {
		/* One family per process: this ternd serves DHCPv4. */
		snprintf(err, len,
			 "a Dhcp6 configuration cannot replace a Dhcp4 one "
			 "(one family per process: start a ternd with it)");
		rc = -EOPNOTSUPP;
	} else if ((rc = build(r, &x, err, len)) == 0) {
		rc = swap(r, &x, err, len);
	}
	ternd_config_free(x.cfg);
	next_free(&x);
	return rc;
}

int ternd_reload_file(struct ternd_reload *r, const char *how, char *err,
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
		/* Read again: a change between the two reads is taken at
		 * the next reload; config-get shows the file. */
		set_source(r, ternd_reload_read_source(r->live.path));
	}
	free(d);
	ternd_reload_log_result(how, rc, err);
	return rc;
}

/* ---- commands -------------------------------------------------------------
 */

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
	return ternd_reload_file(ctx, how, err, len);
}

int ternd_reload_register(struct ternd_reload *r, struct ternd_control *c)
{
	r->cmds = (struct ternd_reload_cmds){
		.top = "Dhcp4",
		.ctx = r,
		.begun = &r->begun,
		.apply = cmd_apply,
		.set_source = cmd_set_source,
		.reload_file = cmd_reload_file,
	};
	return ternd_reload_cmds_register(&r->cmds, c);
}
