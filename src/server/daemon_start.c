/* ternd's DHCPv4 daemon: start-up (store, sockets, control socket), the
 * control commands' callbacks, and the reconfiguration hooks (reload.c). */
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include <tern/dhcp4.h>

#include <arpa/inet.h>

#include "common/clock.h"
#include "common/fs.h"
#include "common/json.h"
#include "common/log.h"
#include "server/control/cmds_builtin.h"
#include "server/control/cmds_lease.h"
#include "server/control/control.h"
#include "server/daemon.h"
#include "server/ddns/ncr.h"
#include "server/ddns/sender.h"
#include "server/engine4/engine.h"
#include "server/hooks/hooks.h"
#include "server/mesh/commands.h"
#include "server/mesh/node.h"
#include "server/net/ifaces.h"
#include "server/net/io.h"
#include "server/net/privdrop.h"
#include "server/pgstore.h"
#include "server/reload.h"
#include "server/stats/stats.h"
#include "server/store/committer.h"
#include "server/store/store.h"
#include "server/takeover.h"

#include "server/daemon_int.h"

static int restore_cb(void *ctx, const struct ternd_lease *l)
{
	struct daemon *d = ctx;

	/* Leases outside today's configuration are kept aside until they
	 * expire (reload.c); in mesh mode they are skipped. */
	if (d->reload)
		return ternd_reload_restore(d->reload, d->engine, d->cfg, l,
					    d->restore_now);
	(void)ternd_engine_restore(d->engine, l, d->restore_now);
	return 0;
}

/* Say which configured interface keeps the sockets from opening, and why:
 * "No such device" alone leaves the operator guessing. */
static void explain_ifaces(const struct ternd_config *cfg, int r)
{
	struct ternd_ifinfo info;

	if (!cfg->n_ifaces) {
		/* Debian's kea-dhcp4.conf ships "interfaces": [ ]; Kea then
		 * runs serving nobody. Say what to change instead. */
		tern_log(LOG_ERR,
			 "cannot open the DHCP sockets: interfaces-config "
			 "lists no interface; name the interfaces to serve "
			 "(e.g. \"interfaces\": [ \"eth0\" ]) or \"*\" "
			 "for all");
		return;
	}
	for (size_t i = 0; i < cfg->n_ifaces; i++) {
		int e = ternd_ifaces_resolve(&cfg->ifaces[i], 1, true, &info,
					     1);

		if (e == -ENODEV && strcmp(cfg->ifaces[i].name, "*") != 0) {
			tern_log(LOG_ERR,
				 "cannot open the DHCP sockets: interface %s "
				 "(interfaces-config) does not exist",
				 cfg->ifaces[i].name);
			return;
		}
		if (e == -EADDRNOTAVAIL) {
			tern_log(LOG_ERR,
				 "cannot open the DHCP sockets: interface %s "
				 "has no IPv4 address%s",
				 cfg->ifaces[i].name,
				 cfg->ifaces[i].addr
					 ? " matching the one configured"
					 : "");
			return;
		}
	}
	tern_log(LOG_ERR, "cannot open the DHCP sockets: %s%s", strerror(-r),
		 r == -ENODEV ? " (\"*\" found no interface with an IPv4 "
				"address)"
			      : "");
}

/* The store's directory exists and belongs to the user ternd runs as
 * (daemon.h: the v6 daemon uses it too). */
int ternd_prepare_store_dir(const struct ternd_config *cfg)
{
	char dir[PATH_MAX];
	char *slash;
	struct passwd *pw;
	int r;

	if (snprintf(dir, sizeof(dir), "%s", cfg->store_path) >=
	    (int)sizeof(dir))
		return -ENAMETOOLONG;
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	if ((r = tern_mkdir_p(dir, 0750)) < 0)
		return r;
	if (cfg->user && geteuid() == 0) {
		pw = getpwnam(cfg->user);
		if (!pw)
			return -ENOENT;
		if (chown(dir, pw->pw_uid, pw->pw_gid) < 0)
			return -errno;
	}
	return 0;
}

/* status-get's members beyond Kea's: the mesh's (ternd --mesh only). */
static void ctl_status_extra(void *ctx, struct tjson_doc *out, struct tjson *o)
{
	struct daemon *d = ctx;
	const struct ternd_engine_stats *s = ternd_engine_stats(d->engine);

	if (!d->mesh)
		return;
	tjson_add_int(out, o, "leases-bound", (int64_t)s->leases_bound);
	tjson_add_int(out, o, "offers-open", (int64_t)s->offers_open);
	tjson_add_bool(out, o, "mesh", true);
	tjson_add_bool(out, o, "mesh-learning",
		       ternd_mesh_learning(ternd_mesh_node_mesh(d->mesh)));
}

/* lease_cmds' changes: durable (the committer's ticket waited for) before
 * the command answers; their name change requests follow them. */
static int lease_cmds_commit(void *ctx, const struct ternd_change *v, size_t n)
{
	struct daemon *d = ctx;
	uint64_t ticket = 0;
	int r = 0;

	if (d->committer)
		r = d->store_failed ? -EIO
				    : ternd_committer_submit_wait(
					      d->committer, v, n, &ticket);
	daemon_ddns_submitted(d, r >= 0, ticket);
	daemon_flush_held(d);
	return r;
}

static void lease_cmds_applied(void *ctx)
{
	daemon_rearm_expiry(ctx);
}

static void ctl_shutdown(void *ctx, int exit_value)
{
	struct daemon *d = ctx;

	d->stop = true;
	d->exit_value = exit_value;
}

static void ctl_reclaim(void *ctx, bool remove)
{
	/* ternd keeps a reclaimed lease as expired-reclaimed either way. */
	(void)remove;
	daemon_run_expiry(ctx, daemon_wall_now());
}

static int ctl_config_test(void *ctx, const char *text, size_t len, char *err,
			   size_t cap)
{
	struct ternd_config *cfg = NULL;
	struct ternd_diags *diags = calloc(1, sizeof(*diags));
	int r;

	(void)ctx;
	if (!diags)
		return -ENOMEM;
	r = ternd_config_load_buf(text, len, &cfg, diags);
	ternd_config_free(cfg);
	if (r < 0) {
		const char *msg = strerror(-r);

		for (size_t i = 0; i < diags->n; i++)
			if (diags->v[i].level == TERND_DIAG_ERROR) {
				msg = diags->v[i].msg;
				break;
			}
		snprintf(err, cap, "%s", msg);
	}
	free(diags);
	return r;
}

/* The configuration in use (reload.c knows it across config-set and
 * config-reload); without reload (mesh mode) the file read at start. */
static const struct tjson *ctl_config_tree(void *ctx)
{
	struct daemon *d = ctx;

	if (d->reload)
		return ternd_reload_source(d->reload);
	return d->builtin.config ? d->builtin.config->root : NULL;
}

static int64_t ctl_config_time(void *ctx)
{
	struct daemon *d = ctx;

	return d->reload ? ternd_reload_time(d->reload) : d->started;
}

static int open_control(struct daemon *d, const struct ternd_run_opts *o)
{
	int r;

	d->builtin = (struct ternd_builtin){
		.config_path = o->config_file,
		.started = d->started,
		.configured = d->started,
		.ctx = d,
		.shutdown = ctl_shutdown,
		.reclaim = ctl_reclaim,
		.config_test = ctl_config_test,
		.config_tree = ctl_config_tree,
		.config_time = ctl_config_time,
		.status_extra = ctl_status_extra,
	};
	if (!d->reload && o->config_file &&
	    (r = ternd_builtin_load_config(&d->builtin)) < 0)
		tern_log(LOG_WARNING,
			 "config-get: cannot read %s again (%s): it answers "
			 "an error",
			 o->config_file, strerror(-r));
	d->lease_cmds = (struct ternd_lease_cmds){
		d->engine,	    d->cfg, lease_cmds_commit, daemon_queue_ncr,
		lease_cmds_applied, d};
	if ((r = ternd_control_new(&d->ctl)) < 0 ||
	    (r = ternd_builtin_register(&d->builtin, d->ctl)) < 0 ||
	    (d->reload && (r = ternd_reload_register(d->reload, d->ctl)) < 0) ||
	    (d->mesh &&
	     (r = ternd_mesh_control_register(d->mesh, d->ctl)) < 0) ||
	    (d->cfg->hooks.lease_cmds &&
	     (r = ternd_lease_cmds_register(d->ctl, &d->lease_cmds)) < 0))
		return r;
	r = ternd_control_listen(d->ctl, d->cfg->control_socket);
	if (r < 0)
		tern_log(LOG_ERR, "cannot open the control socket %s: %s",
			 d->cfg->control_socket,
			 r == -EBUSY ? "another server holds its lock file"
				     : strerror(-r));
	return r;
}

static int add_fd(int ep, int fd)
{
	struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};

	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0 ? -errno : 0;
}

/* Before a swap (reload.c): every submitted change durable, its ACKs,
 * hook events and name change requests out. */
static void reload_drain(void *ctx)
{
	struct daemon *d = ctx;
	uint64_t t = 0;

	if (d->committer &&
	    !ternd_committer_submit(d->committer, NULL, 0, &t) && t)
		(void)ternd_committer_wait(d->committer, t);
	daemon_flush_held(d);
	ternd_stats_before_swap(d->stats);
}

/* After a swap: poll the new sockets and hooks, expiry from the new
 * engine. Closed sockets left the epoll set when closed. */
static void reload_swapped(void *ctx)
{
	struct daemon *d = ctx;

	/* The lease commands act on the engine and configuration in force. */
	d->lease_cmds.engine = d->engine;
	d->lease_cmds.cfg = d->cfg;
	/* A shared lease database: the new engine looks in its part of each
	 * pool first, as the old one did (pgstore.c at start). */
	if (d->cfg->store_type == TERND_STORE_POSTGRESQL &&
	    d->cfg->store_pg.servers > 1)
		ternd_engine_share_pools(d->engine,
					 d->cfg->store_pg.server_index,
					 d->cfg->store_pg.servers);
	(void)ternd_stats_reconfigure(d->stats, d->cfg, d->engine, d->io);
	d->n_io_fds = ternd_io_fds(d->io, d->io_fds, MAX_FDS);
	for (size_t i = 0; i < d->n_io_fds; i++)
		(void)add_fd(d->ep, d->io_fds[i]); /* EEXIST: kept */
	if (ternd_hooks_fd(d->hooks) >= 0)
		(void)add_fd(d->ep, ternd_hooks_fd(d->hooks));
	if (d->ddns_blocked && d->ddns) /* a new sender's fd: ENOENT */
		epoll_ctl(d->ep, EPOLL_CTL_DEL, ternd_ddns_sender_fd(d->ddns),
			  NULL);
	d->ddns_blocked = false;
	daemon_ddns_flush(d);
	d->next_expiry = INT64_MAX;
	daemon_run_expiry(d, daemon_wall_now());
}

static int reload_new(struct daemon *d, const struct ternd_run_opts *o)
{
	const struct ternd_reload_live live = {
		&d->cfg,       &d->engine,    &d->hooks,      &d->ddns, &d->io,
		&d->committer, o->port,	      o->config_path, false,	d,
		reload_drain,  reload_swapped};

	return ternd_reload_new(&live, &d->reload);
}

int daemon_start(struct daemon *d, const struct ternd_run_opts *o)
{
	const struct ternd_config *cfg = d->cfg;
	sigset_t mask;
	int r;

	r = ternd_engine_new(cfg, &d->engine);
	if (r < 0)
		return r;
	/* Before the privilege drop: the forensic log is opened here. */
	r = ternd_hooks_new(cfg, NULL, o->port, &d->hooks);
	if (r < 0) {
		tern_log(LOG_ERR, "cannot start the hook libraries: %s",
			 strerror(-r));
		return r;
	}
	ternd_engine_hook_events(d->engine, d->hooks != NULL);
	if (!o->mesh && (r = reload_new(d, o)) < 0)
		return r;
	/* Before the restore: the pool is closed until blocks are ours. */
	if (o->mesh &&
	    (r = ternd_mesh_node_new(o->mesh, cfg, d->engine, daemon_mesh_run,
				     d, &d->mesh)) < 0)
		return r;
	if (!cfg->store_persist) {
		tern_log(LOG_WARNING, "lease-database persist is false: leases "
				      "are kept in memory only and lost on "
				      "restart");
		goto sockets;
	}
	if (cfg->store_type == TERND_STORE_POSTGRESQL) {
		r = ternd_pgstore_open(cfg, d->engine, &d->ops, &d->store,
				       &d->races);
		if (r < 0)
			return r;
		goto restore;
	}
	d->ops = ternd_store_backend("sqlite");
	if (!d->ops)
		return -ENOSYS;
	r = ternd_prepare_store_dir(cfg);
	if (r < 0) {
		tern_log(LOG_ERR, "cannot prepare the directory of %s: %s",
			 cfg->store_path, strerror(-r));
		return r;
	}
	r = d->ops->open(cfg->store_path, &d->store);
	if (r < 0) {
		tern_log(LOG_ERR, "cannot open the lease store %s: %s",
			 cfg->store_path, strerror(-r));
		return r;
	}
	d->store_lock =
		ternd_takeover(cfg, d->ops, d->store, daemon_wall_now());
	if (d->store_lock < 0)
		return d->store_lock;
restore:
	d->restore_now = daemon_wall_now();
	{
		struct timespec t0, t1;
		const struct ternd_engine_stats *s;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		r = d->ops->iterate(d->store, restore_cb, d);
		if (r < 0) {
			tern_log(LOG_ERR, "cannot read the lease store: %s",
				 strerror(-r));
			return r;
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		s = ternd_engine_stats(d->engine);
		tern_log(LOG_INFO,
			 "restored %llu bound leases from %s in %.1f ms",
			 (unsigned long long)s->leases_bound, cfg->store_path,
			 (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
				 (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
	}
sockets:
	r = ternd_io_open_retry(cfg, o->port, &d->io);
	if (r < 0) {
		explain_ifaces(cfg, r);
		return r;
	}
	if (cfg->control_socket && (r = open_control(d, o)) < 0)
		return r;
	if ((r = ternd_stats_start(cfg, d->engine, d->io, d->ctl, &d->stats)) <
	    0)
		return r;
	if (cfg->ddns.enable_updates) {
		/* Before the privilege drop: sender-port may be < 1024. */
		r = ternd_ddns_sender_new(&cfg->ddns, &d->ddns);
		if (r < 0) {
			tern_log(LOG_ERR,
				 "cannot open the DDNS socket (dhcp-ddns "
				 "sender-ip/sender-port): %s",
				 strerror(-r));
			return r;
		}
	}
	if (cfg->user) {
		r = ternd_drop_privileges(cfg->user, cfg->group);
		if (r < 0) {
			tern_log(LOG_ERR, "cannot drop privileges to %s: %s",
				 cfg->user, strerror(-r));
			return r;
		}
	}
	/* The committer's thread starts after the privilege drop so it runs
	 * as the same user. */
	if (d->store) {
		r = ternd_committer_new(d->ops, d->store,
					TERND_COMMITTER_QUEUE_DEFAULT,
					&d->committer);
		if (r < 0)
			return r;
		ternd_committer_set_interval(d->committer, COMMIT_INTERVAL_US);
	}
	d->held = calloc(HELD_SLOTS, sizeof(*d->held));
	if (!d->held)
		return -ENOMEM;

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGUSR1);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	d->sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	d->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	d->ep = epoll_create1(EPOLL_CLOEXEC);
	if (d->sfd < 0 || d->tfd < 0 || d->ep < 0)
		return -errno;
	d->n_io_fds = ternd_io_fds(d->io, d->io_fds, MAX_FDS);
	for (size_t i = 0; i < d->n_io_fds; i++)
		if ((r = add_fd(d->ep, d->io_fds[i])) < 0)
			return r;
	if ((r = add_fd(d->ep, d->sfd)) < 0 || (r = add_fd(d->ep, d->tfd)) < 0)
		return r;
	if (d->committer &&
	    (r = add_fd(d->ep, ternd_committer_fd(d->committer))) < 0)
		return r;
	if (d->ctl && (r = add_fd(d->ep, ternd_control_fd(d->ctl))) < 0)
		return r;
	if ((r = add_fd(d->ep, ternd_stats_fd(d->stats))) < 0)
		return r;
	if (ternd_hooks_fd(d->hooks) >= 0 &&
	    (r = add_fd(d->ep, ternd_hooks_fd(d->hooks))) < 0)
		return r;
	if (d->mesh) {
		int mfds[3];
		size_t nm = ternd_mesh_node_fds(d->mesh, mfds, 3);

		for (size_t i = 0; i < nm; i++)
			if ((r = add_fd(d->ep, mfds[i])) < 0)
				return r;
	}
	daemon_run_expiry(d, daemon_wall_now());
	return 0;
}
