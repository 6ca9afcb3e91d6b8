/* ternd DHCPv6 daemon: the store and its leases, the server DUID, the
 * port-547 socket and the event loop; a reply that changes leases is held
 * until the committer's thread has made its batch durable. */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include <tern/dhcp6.h>

#include "common/clock.h"
#include "common/log.h"
#include "server/control/cmds_lease6.h"
#include "server/daemon6.h"
#include "server/daemon6_ctl.h"
#include "server/daemon6_pg.h"
#include "server/engine6/engine6.h"
#include "server/net/io6.h"
#include "server/net/privdrop.h"
#include "server/pgstore.h"
#include "server/reload6.h"
#include "server/store/committer.h"
#include "server/store/store6.h"
#include "server/takeover6.h"

#define D6_MAX_LEASES (1u << 18)
#define D6_BATCH      64
#define D6_HELD_SLOTS 4096 /* REPLYs waiting for their commit */
/* Group-commit window, as DHCPv4's: at most ~500 fsyncs/s. */
#define D6_COMMIT_INTERVAL_US 2000
#define DUID_EPOCH	      946684800 /* 2000-01-01 UTC, DUID-LLT's epoch */

/* A REPLY built and waiting until its batch is durable. */
struct held6 {
	uint64_t ticket;
	struct ternd_tx6 tx;
	struct ternd_d6keys keys; /* its changes (shared database) */
	uint8_t buf[1500];
};

struct d6 {
	const struct ternd_config *cfg;
	struct ternd_store6 *store;
	struct ternd_committer *committer; /* owns store once started */
	/* A shared PostgreSQL database: lost changes (daemon6_pg.c). */
	struct ternd_lost6 *lost;
	struct ternd_races6 *races;
	char duid_key[PATH_MAX + 320];
	int exit_error;
	struct ternd_d6ctl *ctl; /* statistics and the control socket */
	struct ternd_lease6_cmds lease6_cmds; /* lease_cmds' context */
	struct ternd_reload6 *reload;
	bool stop;
	int lock_fd;
	struct ternd_engine6 *eng;
	struct ternd_io6 *io;
	uint8_t duid[TERN_DHCP6_DUID_MAX_LEN];
	size_t duid_len;
	/* One batch: replies and the changes behind them. */
	struct ternd_rx6pkt pkts[D6_BATCH];
	uint8_t out[D6_BATCH][1500];
	struct ternd_tx6 tx[D6_BATCH];
	bool needs_commit[D6_BATCH];
	size_t ch_first[D6_BATCH], ch_n[D6_BATCH];
	struct ternd_change6 changes[D6_BATCH * 16];
	size_t n_changes;
	int tfd;	      /* the expiry timer */
	int64_t next_expiry;  /* when it fires (INT64_MAX: off) */
	unsigned slow_cycles; /* reclamation cycles in a row left work */
	struct held6 *held;   /* ring of D6_HELD_SLOTS */
	size_t held_head, held_count;
	bool store_failed;
	uint64_t dropped_store; /* REPLYs not sent: store failed or busy */
	uint64_t dropped_held;	/* REPLYs not sent: the held ring was full */
};

static struct tern_ratelimit rl_store6 = TERN_RATELIMIT_INIT(10, 2);

static int64_t wall_now(void)
{
	return (int64_t)time(NULL);
}

static int restore_cb(void *ctx, const struct ternd_lease6 *l)
{
	struct d6 *d = ctx;
	int r = ternd_engine6_restore(d->eng, l);

	if (r < 0)
		tern_log(LOG_WARNING,
			 "a stored DHCPv6 lease was not restored: %s",
			 strerror(-r));
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* The server DUID: the one kept in the store, else one made now (from
 * server-id in the configuration, or DUID-LLT of the first interface) and
 * kept, durably, before any reply carries it (spec A1.9 #3). */
static int server_duid(struct d6 *d)
{
	const struct ternd_config6 *c6 = d->cfg->v6;
	char hex[2 * TERN_DHCP6_DUID_MAX_LEN + 1];
	uint8_t mac[16];
	int n, r;

	r = ternd_store6_meta_get(d->store, d->duid_key, hex, sizeof(hex));
	if (r == 0 && c6->server_id_persist) {
		size_t len = strlen(hex);

		if (len % 2 == 0 && len >= 4 && len / 2 <= sizeof(d->duid)) {
			bool ok = true;

			for (size_t i = 0; i < len / 2; i++) {
				int hi = hexval(hex[2 * i]),
				    lo = hexval(hex[2 * i + 1]);

				ok &= hi >= 0 && lo >= 0;
				d->duid[i] = (uint8_t)(hi << 4 | lo);
			}
			if (ok) {
				d->duid_len = len / 2;
				return 0;
			}
		}
		tern_log(LOG_WARNING, "the stored server DUID is not valid: "
				      "making a new one");
	} else if (r < 0 && r != -ENOENT) {
		return r;
	}
	n = ternd_io6_hwaddr(d->io, mac, sizeof(mac));
	if (c6->server_id_type == TERND6_SERVER_ID_EN)
		n = ternd_engine6_make_duid(
			TERND6_SERVER_ID_EN, NULL, 0, 0,
			c6->server_id_enterprise ? c6->server_id_enterprise
						 : 2495 /* ISC, as Kea */,
			c6->server_id_ident ? c6->server_id_ident : mac,
			c6->server_id_ident ? c6->server_id_ident_len
					    : (size_t)(n > 0 ? n : 0),
			d->duid, sizeof(d->duid));
	else if (n > 0)
		n = ternd_engine6_make_duid(
			c6->server_id_type,
			c6->server_id_ident ? c6->server_id_ident : mac,
			c6->server_id_ident ? c6->server_id_ident_len
					    : (size_t)n,
			(uint32_t)(wall_now() - DUID_EPOCH), 0, NULL, 0,
			d->duid, sizeof(d->duid));
	if (n < 0) {
		tern_log(LOG_ERR, "cannot make a server DUID (no interface "
				  "hardware address; set server-id)");
		return -EINVAL;
	}
	d->duid_len = (size_t)n;
	for (int i = 0; i < n; i++)
		snprintf(hex + 2 * i, 3, "%02x", d->duid[i]);
	if (!c6->server_id_persist)
		return 0;
	return ternd_store6_meta_set(d->store, d->duid_key, hex);
}

static void note_store_failed(struct d6 *d, int err)
{
	if (d->store_failed)
		return;
	/* A client never holds a REPLY for a lease that is not on disk: no
	 * more REPLYs with leases until ternd is restarted. */
	d->store_failed = true;
	tern_log(LOG_ERR,
		 "the lease store failed (%s): no more REPLYs with leases "
		 "are sent until ternd is restarted",
		 strerror(-err));
	/* A lease database's on-fail (pgstore.c): exit, or run on. */
	if (ternd_pgstore_exit_on_fail(d->cfg)) {
		d->stop = true;
		d->exit_error = err;
	}
}

/* Send every held REPLY whose batch is durable, in order. */
static void flush_held(struct d6 *d)
{
	uint64_t done;
	int err;

	if (!d->committer)
		return;
	done = ternd_committer_done(d->committer);
	ternd_races6_take(d->races, done, d->eng);
	if ((err = ternd_committer_error(d->committer)) < 0)
		note_store_failed(d, err);
	while (d->held_count) {
		struct held6 *h = &d->held[d->held_head];

		if (h->ticket > done)
			break;
		/* Another server's client holds what it gives: never sent. */
		if (!ternd_races6_lost(d->races, h->ticket, &h->keys))
			ternd_io6_send(d->io, &h->tx, h->buf);
		d->held_head = (d->held_head + 1) % D6_HELD_SLOTS;
		d->held_count--;
	}
}

static void arm_timer(struct d6 *d, int64_t now)
{
	struct itimerspec its = {0};
	int64_t delta = d->next_expiry - now;

	if (d->next_expiry != INT64_MAX) {
		its.it_value.tv_sec = delta > 0 ? delta : 0;
		its.it_value.tv_nsec = delta > 0 ? 0 : 1000000; /* now-ish */
	}
	timerfd_settime(d->tfd, 0, &its, NULL);
}

/* The gap between two reclamation cycles: reclaim-timer-wait-time, else
 * ternd's second; 0 when only leases-reclaim reclaims. */
static int64_t reclaim_gap(const struct d6 *d)
{
	const struct ternd_expiry6 *x = &d->cfg->v6->expiry;

	return x->reclaim_timer_set ? x->reclaim_timer_wait : 1;
}

/* One reclamation cycle (engine6/expire6.c) under expired-leases-
 * processing's limits (max-reclaim-leases, max-reclaim-time); the changes
 * go to the committer like a batch's (no reply waits for them). What is
 * left is due at the next cycle; unwarned-reclaim-cycles cycles in a row
 * that left work get a warning, as Kea's. remove: leases-reclaim's. */
static void reclaim_cycle(struct d6 *d, int64_t now, bool remove)
{
	const struct ternd_expiry6 *x = &d->cfg->v6->expiry;
	int64_t next = INT64_MAX, gap = reclaim_gap(d);
	int64_t t0 = tern_mono_ms();
	const size_t room = sizeof(d->changes) / sizeof(d->changes[0]);
	uint64_t done = 0;

	remove = remove || !x->flush_wait;
	for (int round = 0; round < 16; round++) {
		uint64_t ticket;
		size_t max = room;
		int n, r;

		if (x->max_reclaim_leases && x->max_reclaim_leases - done < max)
			max = (size_t)(x->max_reclaim_leases - done);
		if (!max) {
			(void)ternd_engine6_reclaim(d->eng, now, remove, NULL,
						    0, &next);
			break;
		}
		n = ternd_engine6_reclaim(d->eng, now, remove, d->changes, max,
					  &next);

		if (n <= 0)
			break;
		r = d->store_failed
			    ? -EIO
			    : ternd_committer_submit_any(d->committer,
							 d->changes, (size_t)n,
							 &ticket);
		if (r < 0) {
			/* The rows stay as they were; at the next start the
			 * sweep finds them again. */
			tern_log_rl(&rl_store6, LOG_WARNING,
				    "reclaimed DHCPv6 leases not stored: %s",
				    strerror(-r));
			break;
		}
		done += (uint64_t)n;
		if (next > now || (x->max_reclaim_time &&
				   tern_mono_ms() - t0 >= x->max_reclaim_time))
			break;
	}
	if (next > now) {
		d->slow_cycles = 0;
	} else if (++d->slow_cycles == x->unwarned_cycles) {
		tern_log(LOG_WARNING,
			 "%u reclamation cycles in a row left expired DHCPv6 "
			 "bindings to the next (max-reclaim-leases %u, "
			 "max-reclaim-time %u ms)",
			 d->slow_cycles, x->max_reclaim_leases,
			 x->max_reclaim_time);
	}
	/* Not more often than the gap: each cycle walks the table. With
	 * reclaim-timer-wait-time 0 only leases-reclaim reclaims. */
	if (!gap)
		d->next_expiry = INT64_MAX;
	else
		d->next_expiry = next < now + gap ? now + gap : next;
	arm_timer(d, now);
}

static void run_expiry(struct d6 *d, int64_t now)
{
	reclaim_cycle(d, now, false);
}

/* A binding made after the timer was armed may end first. */
static void rearm_expiry(struct d6 *d, const struct ternd_change6 *v, size_t n,
			 int64_t now)
{
	int64_t next = d->next_expiry, gap = reclaim_gap(d);

	if (!gap)
		return;
	for (size_t i = 0; i < n; i++)
		if (v[i].op == TERND_CHANGE6_PUT && v[i].lease.expire < next)
			next = v[i].lease.expire;
	if (next < now + gap)
		next = now + gap;
	if (next < d->next_expiry) {
		d->next_expiry = next;
		arm_timer(d, now);
	}
}

/* One receive batch: answer each datagram, hand every change to the
 * committer as one submission, send the replies that changed nothing now
 * and hold the others until their ticket is durable. */
static void handle_batch(struct d6 *d)
{
	int n = ternd_io6_recv(d->io, d->pkts, D6_BATCH, wall_now());
	uint64_t ticket = 0;

	if (n <= 0) {
		if (n < 0)
			tern_log(LOG_WARNING, "recv: %s", strerror(-n));
		return;
	}
	/* dhcp-disable: queries are read and dropped, as Kea does. */
	if (!ternd_d6ctl_enabled(d->ctl, tern_mono_ms() / 1000))
		return;
	d->n_changes = 0;
	for (int i = 0; i < n; i++) {
		size_t nch = 0;
		int rc = ternd_engine6_handle(
			d->eng, &d->pkts[i].rx, d->pkts[i].data, d->pkts[i].len,
			d->out[i], sizeof(d->out[i]), &d->tx[i],
			d->changes + d->n_changes,
			sizeof(d->changes) / sizeof(d->changes[0]) -
				d->n_changes,
			&nch);

		d->needs_commit[i] = false;
		d->ch_first[i] = d->n_changes;
		d->ch_n[i] = nch;
		if (rc != 1) {
			d->tx[i].len = 0;
			continue;
		}
		d->n_changes += nch;
		d->needs_commit[i] = nch > 0;
	}
	if (d->n_changes) {
		int r = d->store_failed ? -EIO
					: ternd_committer_submit_any(
						  d->committer, d->changes,
						  d->n_changes, &ticket);

		if (r == -EAGAIN)
			tern_log_rl(&rl_store6, LOG_WARNING,
				    "lease store busy: %zu changes refused",
				    d->n_changes);
		else if (r < 0)
			note_store_failed(d, ternd_committer_error(d->committer)
						     ?: r);
		if (r < 0) {
			/* Not durable: those REPLYs must not go out. The
			 * clients retransmit and find their bindings. */
			for (int i = 0; i < n; i++)
				if (d->needs_commit[i] && d->tx[i].len) {
					d->tx[i].len = 0;
					d->dropped_store++;
				}
		}
	}
	rearm_expiry(d, d->changes, d->n_changes, wall_now());
	for (int i = 0; i < n; i++) {
		struct held6 *h;

		if (!d->tx[i].len)
			continue;
		if (!d->needs_commit[i]) {
			ternd_io6_send(d->io, &d->tx[i], d->out[i]);
			continue;
		}
		if (d->held_count == D6_HELD_SLOTS) {
			d->dropped_held++;
			continue;
		}
		h = &d->held[(d->held_head + d->held_count++) % D6_HELD_SLOTS];
		h->ticket = ticket;
		h->tx = d->tx[i];
		ternd_d6keys_set(&h->keys, d->changes + d->ch_first[i],
				 d->ch_n[i]);
		memcpy(h->buf, d->out[i], d->tx[i].len);
	}
}

static void log_counters(const struct d6 *d)
{
	const struct ternd_engine6_stats *s = ternd_engine6_stats(d->eng);
	struct ternd_io6_stats io;

	ternd_io6_stats(d->io, &io);
	tern_log(LOG_INFO,
		 "dhcp6: rx %llu replies %llu; dropped malformed %llu, "
		 "not for a server %llu, client-id %llu, server-id %llu, "
		 "unicast %llu, no subnet %llu, other %llu, no room %llu, "
		 "class DROP %llu, store %llu, held ring %llu; addresses %llu "
		 "prefixes %llu "
		 "declined %llu; reclaimed %llu",
		 (unsigned long long)s->rx, (unsigned long long)s->replies,
		 (unsigned long long)s->drop_malformed,
		 (unsigned long long)s->drop_not_for_server,
		 (unsigned long long)s->drop_client_id,
		 (unsigned long long)s->drop_server_id,
		 (unsigned long long)s->drop_unicast,
		 (unsigned long long)s->drop_no_subnet,
		 (unsigned long long)s->drop_other,
		 (unsigned long long)s->drop_no_room,
		 (unsigned long long)s->drop_class,
		 (unsigned long long)d->dropped_store,
		 (unsigned long long)d->dropped_held,
		 (unsigned long long)s->na_assigned,
		 (unsigned long long)s->pd_assigned,
		 (unsigned long long)s->declined,
		 (unsigned long long)s->reclaimed);
}

static void on_timer(struct d6 *d)
{
	uint64_t x;

	if (read(d->tfd, &x, sizeof(x)) < 0 && errno != EAGAIN)
		tern_log(LOG_WARNING, "timerfd: %s", strerror(errno));
	run_expiry(d, wall_now());
}

static int add_fd(int ep, int fd)
{
	struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};

	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0 ? -errno : 0;
}

/* lease6-*'s changes: durable (the committer's ticket waited for) before
 * the command answers; the expiry timer learns of a new binding. */
static int lease6_cmds_commit(void *ctx, const struct ternd_change6 *v,
			      size_t n)
{
	struct d6 *d = ctx;
	uint64_t ticket = 0;
	int r = d->store_failed || !d->committer
			? -EIO
			: ternd_committer_submit_wait_any(d->committer, v, n,
							  &ticket);

	flush_held(d);
	/* Another server's client holds it: the row stays theirs. */
	if (r == 0 && ternd_races6_lost_changes(d->races, ticket, v, n))
		r = -EADDRINUSE;
	if (r == 0)
		rearm_expiry(d, v, n, wall_now());
	return r;
}

/* leases-reclaim: a cycle now; "remove": the reclaimed bindings are
 * deleted rather than kept as expired-reclaimed. */
static void ctl_reclaim(void *ctx, bool remove)
{
	struct d6 *d = ctx;

	reclaim_cycle(d, wall_now(), remove);
}

/* Before a swap (reload6.c): every submitted change durable and its
 * REPLYs sent. */
static void reload_drain(void *ctx)
{
	struct d6 *d = ctx;
	uint64_t t = 0;

	if (d->committer && !d->store_failed &&
	    !ternd_committer_submit_any(d->committer, NULL, 0, &t) && t)
		(void)ternd_committer_wait(d->committer, t);
	flush_held(d);
}

/* After a swap: statistics and expiry from the new engine. */
static void reload_swapped(void *ctx, const struct ternd_engine6 *old)
{
	struct d6 *d = ctx;

	(void)old;
	ternd_d6ctl_swapped(d->ctl, d->cfg, d->eng, d->io);
	/* lease6-* work on the engine and configuration now serving. */
	d->lease6_cmds.engine = d->eng;
	d->lease6_cmds.cfg = d->cfg;
	d->next_expiry = INT64_MAX;
	if (d->tfd >= 0)
		run_expiry(d, wall_now());
}

static int start_ctl(struct d6 *d, const struct ternd_run_opts *o)
{
	const struct ternd_reload6_live live = {
		.cfg = &d->cfg,
		.engine = &d->eng,
		.io = d->io,
		.duid = d->duid,
		.duid_len = d->duid_len,
		.max_leases = D6_MAX_LEASES,
		.path = o->config_path,
		.ctx = d,
		.drain = reload_drain,
		.swapped = reload_swapped,
	};
	const struct ternd_d6ctl_ops ops = {
		.config_path = o->config_path,
		.stop = &d->stop,
		.ctx = d,
		.reclaim = ctl_reclaim,
	};
	struct ternd_d6ctl_ops with = ops;
	int r;

	if ((r = ternd_reload6_new(&live, &d->reload)) < 0)
		return r;
	with.reload = d->reload;
	return ternd_d6ctl_open(d->cfg, d->eng, d->io, &with, &d->ctl);
}

/* Store, lock, socket, DUID, engine, restore, committer: everything the
 * loop needs. */
static int start6(struct d6 *d, const struct ternd_run_opts *o)
{
	const struct ternd_config *cfg = d->cfg;
	bool pg = cfg->store_type == TERND_STORE_POSTGRESQL;
	int r;

	ternd_d6pg_duid_key(cfg, o->config_path, d->duid_key,
			    sizeof(d->duid_key));
	if (pg && (r = ternd_d6pg_open(cfg, &d->store)) < 0)
		return r;
	if (pg)
		goto opened; /* shared: no directory, no lock */
	if ((r = ternd_prepare_store_dir(cfg)) < 0) {
		tern_log(LOG_ERR, "cannot prepare the directory of %s: %s",
			 cfg->store_path, strerror(-r));
		return r;
	}
	r = ternd_store6_open(cfg->store_path, &d->store);
	if (r < 0) {
		tern_log(LOG_ERR, "cannot open the lease store %s: %s",
			 cfg->store_path, strerror(-r));
		return r;
	}
	d->lock_fd = ternd_store_lock(cfg->store_path);
	if (d->lock_fd < 0) {
		r = d->lock_fd;
		tern_log(LOG_ERR, "%s: %s", cfg->store_path,
			 r == -EBUSY ? "another ternd serves this store"
				     : strerror(-r));
		return r;
	}
	if ((r = ternd_takeover6(cfg, d->store, wall_now())) < 0)
		return r;
opened:
	r = ternd_io6_open(cfg, o->port, &d->io);
	if (r < 0) {
		tern_log(LOG_ERR, "cannot open the DHCPv6 socket: %s",
			 strerror(-r));
		return r;
	}
	if ((r = server_duid(d)) < 0)
		return r;
	r = ternd_engine6_new(cfg, D6_MAX_LEASES, d->duid, d->duid_len,
			      &d->eng);
	if (r < 0)
		return r;
	r = ternd_store6_iterate(d->store, restore_cb, d);
	if (r < 0) {
		tern_log(LOG_ERR, "cannot read the leases of %s: %s",
			 cfg->store_path, strerror(-r));
		return r;
	}
	r = start_ctl(d, o);
	if (r < 0)
		return r;
	d->lease6_cmds =
		(struct ternd_lease6_cmds){d->eng, cfg, lease6_cmds_commit, d};
	if ((r = ternd_d6ctl_lease_cmds(d->ctl, &d->lease6_cmds)) < 0)
		return r;
	if (cfg->user &&
	    (r = ternd_drop_privileges(cfg->user, cfg->group)) < 0) {
		tern_log(LOG_ERR, "cannot drop privileges to %s: %s", cfg->user,
			 strerror(-r));
		return r;
	}
	/* After the drop, so the committer runs as that user too. From here
	 * the store belongs to the committer's thread. */
	if (pg) {
		r = ternd_store6_committer_shared(d->store, 0, &d->lost,
						  &d->committer);
		if (r >= 0)
			r = ternd_races6_new(d->store, d->lost, &d->races);
	} else {
		r = ternd_store6_committer(d->store, 0, &d->committer);
	}
	if (r < 0)
		return r;
	ternd_committer_set_interval(d->committer, D6_COMMIT_INTERVAL_US);
	d->held = calloc(D6_HELD_SLOTS, sizeof(*d->held));
	if (!d->held)
		return -ENOMEM;
	return 0;
}

static void handle_signals(struct d6 *d, int sfd)
{
	struct signalfd_siginfo si;
	char err[4096];

	while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT)
			d->stop = true;
		else if (si.ssi_signo == SIGUSR1)
			log_counters(d);
		else if (si.ssi_signo == SIGHUP)
			/* Logged either way; a bad file changes nothing. */
			(void)ternd_reload6_file(d->reload, "SIGHUP", err,
						 sizeof(err));
	}
}

int ternd_run6(const struct ternd_config *cfg, const struct ternd_run_opts *o)
{
	struct d6 *d;
	sigset_t mask;
	int sfd = -1, ep = -1, cfd, r, cfds[2], ncfds;

	if (!cfg || !cfg->v6 || !o)
		return -EINVAL;
	if (!(d = calloc(1, sizeof(*d))))
		return -ENOMEM;
	d->cfg = cfg;
	d->lock_fd = d->tfd = -1;
	d->next_expiry = INT64_MAX;
	if ((r = start6(d, o)) < 0)
		goto out;
	tern_log(LOG_INFO,
		 "serving DHCPv6 on port %u: %zu subnets, %zu leases restored "
		 "from %s",
		 o->port, cfg->v6->n_subnets, ternd_engine6_count(d->eng),
		 cfg->store_path);
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGUSR1);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (sfd < 0 || ep < 0) {
		r = -errno;
		goto out;
	}
	cfd = ternd_committer_fd(d->committer);
	d->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (d->tfd < 0) {
		r = -errno;
		goto out;
	}
	if ((r = add_fd(ep, d->tfd)) < 0 || (r = add_fd(ep, sfd)) < 0 ||
	    (r = add_fd(ep, ternd_io6_fd(d->io))) < 0 ||
	    (r = add_fd(ep, cfd)) < 0)
		goto out;
	ncfds = ternd_d6ctl_fds(d->ctl, cfds);
	for (int i = 0; i < ncfds; i++)
		if ((r = add_fd(ep, cfds[i])) < 0)
			goto out;
	run_expiry(d, wall_now());
	while (!d->stop) {
		struct epoll_event evs[8];
		int n = epoll_wait(ep, evs, 8, -1);

		if (n < 0 && errno != EINTR) {
			r = -errno;
			goto out;
		}
		for (int i = 0; i < n; i++) {
			int fd = evs[i].data.fd;

			if (fd == sfd)
				handle_signals(d, sfd);
			else if (fd == cfd)
				flush_held(d);
			else if (fd == d->tfd)
				on_timer(d);
			else if (ternd_d6ctl_on_fd(d->ctl, fd))
				continue;
			else
				handle_batch(d);
		}
	}
	r = 0;
out:
	if (d->committer) {
		/* Commit what was submitted, then answer what is durable. */
		ternd_lost6_stop(d->lost);
		ternd_committer_stop(d->committer);
		flush_held(d);
	}
	if (d->eng)
		log_counters(d);
	if (!r && d->store_failed)
		r = d->exit_error ? d->exit_error : -EIO;
	if (ep >= 0)
		close(ep);
	if (sfd >= 0)
		close(sfd);
	if (d->tfd >= 0)
		close(d->tfd);
	ternd_committer_free(d->committer);
	ternd_races6_free(d->races);
	ternd_lost6_free(d->lost);
	ternd_d6ctl_free(d->ctl);
	ternd_engine6_free(d->eng);
	d->eng = NULL;
	ternd_reload6_free(d->reload);
	ternd_io6_close(d->io);
	ternd_store6_close(d->store);
	if (d->lock_fd >= 0)
		close(d->lock_fd);
	free(d->held);
	free(d);
	return r;
}
