/* ternd event loop: receive batches, run the engine, hold ACKs until their
 * leases are durable. */
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

static struct tern_ratelimit rl_drop = TERN_RATELIMIT_INIT(10, 5);
static struct tern_ratelimit rl_exhaust = TERN_RATELIMIT_INIT(10, 2);
static struct tern_ratelimit rl_store = TERN_RATELIMIT_INIT(10, 2);

int64_t daemon_wall_now(void)
{
	return (int64_t)time(NULL);
}

static void arm_timer(struct daemon *d, int64_t now)
{
	struct itimerspec its = {0};
	int64_t delta;

	if (d->next_expiry == INT64_MAX)
		return (void)timerfd_settime(d->tfd, 0, &its, NULL);
	delta = d->next_expiry - now;
	its.it_value.tv_sec = delta > 0 ? delta : 0;
	its.it_value.tv_nsec = delta > 0 ? 0 : 1000000; /* now-ish */
	timerfd_settime(d->tfd, 0, &its, NULL);
}

static int submit(struct daemon *d, size_t n, uint64_t *ret_ticket)
{
	int r;

	if (!d->committer) {
		/* persist: false: leases live in memory only. */
		*ret_ticket = 0;
		return 0;
	}
	if (d->store_failed)
		return -EIO;
	r = ternd_committer_submit(d->committer, d->changes, n, ret_ticket);
	if (r < 0) {
		d->commit_refused++;
		tern_log_rl(&rl_store, LOG_WARNING,
			    "lease store busy: %zu changes refused (%s)", n,
			    strerror(-r));
	}
	return r;
}

/* The name change request of a lease, pending until its batch is
 * submitted (daemon_ddns_submitted). */
int daemon_queue_ncr(void *ctx, const struct ternd_lease *l, bool remove)
{
	struct daemon *d = ctx;
	const struct ternd_subnet *s =
		ternd_config_subnet_by_id(d->cfg, l->subnet_id);
	uint8_t msg[TERND_NCR_MAX];
	int r;

	if (!d->ddns)
		return -ENOTSUP;
	r = ternd_ncr_for_lease(l, remove, s ? s->params.match_client_id : true,
				s ? s->params.ddns.use_conflict_resolution
				  : true,
				msg, sizeof(msg));
	if (r > 0)
		ternd_ddns_sender_add(d->ddns, msg, (size_t)r);
	else if (r < 0)
		tern_log(LOG_ERR,
			 "DDNS: no name change request for %s (\"%s\"): %s",
			 inet_ntoa((struct in_addr){htonl(l->addr)}),
			 l->hostname, strerror(-r));
	return r < 0 ? r : 0;
}

/*
 * The engine's DDNS facts among changes[0..n): each becomes a name change
 * request, pending until its batch is submitted; the entries that carry
 * only a fact are taken out. Returns how many changes are left for the
 * store.
 */
static size_t ddns_facts(struct daemon *d, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		const struct ternd_change *ch = &d->changes[i];

		if (ch->ncr != TERND_NCR_NONE && d->ddns)
			(void)daemon_queue_ncr(d, &ch->lease,
					       ch->ncr == TERND_NCR_REMOVE);
		if (ch->op == TERND_CHANGE_NONE)
			continue;
		if (k != i)
			d->changes[k] = *ch;
		k++;
	}
	return k;
}

/* Send the name change requests whose leases are durable. */
void daemon_ddns_flush(struct daemon *d)
{
	/* What daemon_flush_held last read: ternd_committer_done() clears the
	 * committer's eventfd, so only daemon_flush_held may call it, or a
	 * commit's wake-up is lost and its held ACKs wait for the next commit.
	 */
	uint64_t done = d->committer ? d->durable : UINT64_MAX;
	bool blocked;

	if (!d->ddns)
		return;
	blocked = ternd_ddns_sender_flush(d->ddns, done);
	if (blocked != d->ddns_blocked) {
		struct epoll_event ev = {.events = EPOLLOUT,
					 .data.fd =
						 ternd_ddns_sender_fd(d->ddns)};

		epoll_ctl(d->ep, blocked ? EPOLL_CTL_ADD : EPOLL_CTL_DEL,
			  ev.data.fd, &ev);
		d->ddns_blocked = blocked;
	}
}

/* After a batch was submitted (ok) or refused: its requests follow it. */
void daemon_ddns_submitted(struct daemon *d, bool ok, uint64_t ticket)
{
	if (!d->ddns)
		return;
	if (ok)
		ternd_ddns_sender_seal(d->ddns, ticket);
	else
		ternd_ddns_sender_drop_pending(d->ddns);
	daemon_ddns_flush(d);
}

/* The hook events given since the last call follow ticket's batch; with
 * no store (persist false) they are durable at once. */
static void hooks_submitted(struct daemon *d, uint64_t ticket)
{
	ternd_hooks_submitted(d->hooks, ticket);
	if (!d->committer)
		ternd_hooks_durable(d->hooks, UINT64_MAX);
}

void daemon_run_expiry(struct daemon *d, int64_t now)
{
	int64_t next = INT64_MAX;
	uint64_t ticket;
	int n;

	/* Bounded rounds: each hands up to CHANGES_MAX changes to the store. */
	for (int round = 0; round < 64; round++) {
		size_t k;
		int r;

		n = ternd_engine_expire(d->engine, now, d->changes, CHANGES_MAX,
					&next);
		if (n <= 0)
			break;
		ternd_hooks_expired(d->hooks, d->changes, (size_t)n);
		k = ddns_facts(d, (size_t)n);
		r = submit(d, k, &ticket);
		daemon_ddns_submitted(d, r >= 0, ticket);
		if (r < 0) {
			ternd_hooks_abandon(d->hooks);
			break;
		}
		hooks_submitted(d, ticket);
		if (n < CHANGES_MAX - 1)
			break;
	}
	ternd_reload_expire(d->reload, now, &next);
	d->next_expiry = next;
	arm_timer(d, now);
}

/*
 * A lease bound after the timer was armed (or when none was: an empty
 * table leaves it off) may end first: the timer follows the engine's
 * earliest expiry, or that lease would never expire (nor its DNS name go).
 */
void daemon_rearm_expiry(struct daemon *d)
{
	int64_t next = INT64_MAX, now = daemon_wall_now();

	/* Nothing is due at INT64_MIN: this only reads the next time. */
	ternd_engine_expire(d->engine, INT64_MIN, NULL, 0, &next);
	/* Not sooner than a second: with offer-lifetime 0 every OFFER is
	 * due at once, and reclaiming it before its REQUEST arrives would
	 * offer the address again (a NAK for one of the two clients). */
	if (next < now + 1)
		next = now + 1;
	if (next < d->next_expiry) {
		d->next_expiry = next;
		arm_timer(d, now);
	}
}

/*
 * Pacing: the event loop lets at most RELEASE_MAX held ACKs out per
 * wake-up and comes back after RELEASE_GAP_MS for the rest, so a large
 * release (the backlog of a database outage, a slow commit) reaches a
 * receiver as bursts it can take (a load generator reads every reply on
 * one socket; ~200 datagrams fill a default receive buffer) rather than
 * as thousands at once. 128 per ms is 128,000 ACKs/s, far above what a
 * commit path delivers, so pacing never bounds throughput.
 */
#define RELEASE_MAX    128
#define RELEASE_GAP_MS 1

/* Whether held ACKs are ready to go (their batch durable). */
static bool held_ready(const struct daemon *d)
{
	return d->committer && d->held_count &&
	       d->held[d->held_head].ticket <= d->durable;
}

static void flush_held(struct daemon *d, size_t limit);

/* Send every held ACK whose batch is durable, in order. */
void daemon_flush_held(struct daemon *d)
{
	flush_held(d, SIZE_MAX);
}

static void flush_held(struct daemon *d, size_t limit)
{
	uint64_t done;
	struct ternd_tx out[RX_BATCH];
	size_t n = 0, sent = 0;

	if (!d->committer)
		return;
	done = ternd_committer_done(d->committer);
	d->durable = done;
	ternd_races_take(d->races, d->committer, d->engine, daemon_wall_now());
	/* The hook libraries see a lease once it is durable, as clients. */
	ternd_hooks_durable(d->hooks, done);
	if (ternd_committer_error(d->committer) < 0 && !d->store_failed) {
		d->store_failed = true;
		tern_log(LOG_ERR,
			 "lease store failed (%s): no more ACKs are "
			 "sent until ternd is restarted",
			 strerror(-ternd_committer_error(d->committer)));
		if (ternd_pgstore_exit_on_fail(d->cfg)) {
			d->stop = true;
			d->exit_error = ternd_committer_error(d->committer);
		}
	}
	while (d->held_count && sent < limit) {
		struct held *h = &d->held[d->held_head];

		if (h->ticket > done)
			break;
		sent++;
		if (!ternd_races_lost(d->races, &h->tx, h->ticket))
			out[n++] = h->tx;
		d->held_head = (d->held_head + 1) % HELD_SLOTS;
		d->held_count--;
		if (n == RX_BATCH) {
			ternd_io_send(d->io, out, n);
			n = 0;
		}
	}
	if (n)
		ternd_io_send(d->io, out, n);
	ternd_races_clear(d->races, done);
	daemon_ddns_flush(d);
}

static void log_drop(int r, const struct ternd_rx *rx)
{
	char src[INET_ADDRSTRLEN];
	struct in_addr a = {htonl(rx->src_addr)};

	inet_ntop(AF_INET, &a, src, sizeof(src));
	if (r == -ENOSPC)
		tern_log_rl(&rl_exhaust, LOG_WARNING,
			    "no free address for a client on %s (pool "
			    "exhausted)",
			    rx->ifname ? rx->ifname : "?");
	else if (tern_log_level() >= LOG_DEBUG)
		tern_log_rl(&rl_drop, LOG_DEBUG,
			    "dropped a packet from %s on %s: %s", src,
			    rx->ifname ? rx->ifname : "?", strerror(-r));
}

static void process_batch(struct daemon *d, size_t n)
{
	size_t nchg = 0, nsend = 0, first_held = d->held_count;
	uint64_t ticket = 0;
	/* The database unreachable: see ternd_pgstore_renew_probe. */
	bool outage = d->committer && ternd_pgstore_outage(d->races);
	int64_t now = outage ? daemon_wall_now() : 0;

	for (size_t i = 0; i < n; i++) {
		const struct ternd_rx *rx = &d->rx[i].rx;
		const struct tern_dhcp4_msg *m = NULL;
		struct ternd_tx *tx = &d->now_tx[nsend];
		struct ternd_lease stored;
		bool renewal = false;
		size_t k = 0;
		int r;

		/* Parsed once, here, for the mesh filter and the engine. */
		if (tern_dhcp4_parse(&d->msg, rx->buf, rx->len) >= 0)
			m = &d->msg;
		/* A request for a peer's address goes to its owner. */
		if (d->mesh && ternd_mesh_node_filter(d->mesh, rx, m))
			continue;
		memset(tx, 0, sizeof(*tx));
		tx->buf = d->now_buf[nsend];
		tx->cap = REPLY_CAP;
		if (outage)
			renewal = ternd_pgstore_renew_probe(d->races, m, now,
							    &stored);
		r = ternd_engine_handle_msg(d->engine, rx, m, tx,
					    d->changes + nchg,
					    CHANGES_MAX - nchg, &k);
		nchg += k;
		ternd_hooks_engine(d->hooks, d->engine, rx, m,
				   r > 0 ? tx : NULL);
		if (r < 0) {
			log_drop(r, rx);
			continue;
		}
		if (r == 0)
			continue;
		ternd_mesh_node_replied(d->mesh, tx);
		if (!tx->needs_commit || !d->committer) {
			nsend++;
			continue;
		}
		if (renewal &&
		    ternd_pgstore_renew_answer(d->races, &stored, tx, now)) {
			/* Answered from the stored lease: its changes are
			 * the engine's last k, and go nowhere. */
			nchg -= k;
			nsend++;
			continue;
		}
		if (outage)
			ternd_pgstore_withheld(d->races);
		if (d->held_count == HELD_SLOTS || d->store_failed) {
			d->held_dropped++;
			continue;
		}
		{
			size_t slot =
				(d->held_head + d->held_count) % HELD_SLOTS;
			struct held *h = &d->held[slot];

			h->tx = *tx;
			memcpy(h->buf, tx->buf, tx->len);
			h->tx.buf = h->buf;
			h->ticket = UINT64_MAX; /* set once submitted */
			d->held_count++;
		}
	}
	if (nchg) {
		int r;

		nchg = ddns_facts(d, nchg);
		r = submit(d, nchg, &ticket);
		if (r < 0) {
			/* Not durable: the ACKs must not go out. The clients
			 * retry and find their binding again. */
			d->held_dropped += d->held_count - first_held;
			d->held_count = first_held;
			ternd_hooks_abandon(d->hooks);
		}
		daemon_ddns_submitted(d, r >= 0, ticket);
	}
	hooks_submitted(d, ticket);
	for (size_t i = first_held; i < d->held_count; i++)
		d->held[(d->held_head + i) % HELD_SLOTS].ticket = ticket;
	if (nsend)
		ternd_io_send(d->io, d->now_tx, nsend);
	daemon_rearm_expiry(d);
}

/*
 * The mesh node's way into the engine: one request (forwarded and
 * answered by its owner, or made up for a peer's RENEWLEASE), its changes
 * committed and its reply held until they are durable, as any other.
 */
int daemon_mesh_run(void *ctx, const struct ternd_rx *rx, uint32_t addr,
		    int verdict, bool send)
{
	struct daemon *d = ctx;
	struct ternd_tx *tx = &d->mesh_tx;
	uint64_t ticket = 0;
	size_t k = 0;
	int r;

	memset(tx, 0, sizeof(*tx));
	tx->buf = d->mesh_buf;
	tx->cap = REPLY_CAP;
	ternd_engine_grant(d->engine, verdict > 0 ? addr : 0);
	ternd_engine_deny(d->engine, verdict < 0 ? addr : 0);
	r = ternd_engine_handle(d->engine, rx, tx, d->changes, CHANGES_MAX, &k);
	ternd_engine_grant(d->engine, 0);
	ternd_engine_deny(d->engine, 0);
	daemon_rearm_expiry(d);
	if (r < 0)
		log_drop(r, rx);
	ternd_hooks_engine(d->hooks, d->engine, rx, NULL, r > 0 ? tx : NULL);
	if (k) {
		int s;

		k = ddns_facts(d, k);
		s = submit(d, k, &ticket);
		daemon_ddns_submitted(d, s >= 0, ticket);
		if (s < 0) {
			ternd_hooks_abandon(d->hooks);
			return r > 0 ? -EIO : r; /* not durable: no answer */
		}
	}
	hooks_submitted(d, ticket);
	if (r <= 0 || !send)
		return r;
	ternd_mesh_node_replied(d->mesh, tx);
	if (!tx->needs_commit || !d->committer) {
		ternd_io_send(d->io, tx, 1);
		return r;
	}
	if (d->held_count == HELD_SLOTS || d->store_failed) {
		d->held_dropped++;
		return r;
	}
	{
		struct held *h =
			&d->held[(d->held_head + d->held_count) % HELD_SLOTS];

		h->tx = *tx;
		memcpy(h->buf, tx->buf, tx->len);
		h->tx.buf = h->buf;
		h->ticket = ticket;
		d->held_count++;
	}
	return r;
}

static void drain_socket(struct daemon *d, int fd)
{
	/* Bounded: other sockets and the committer get their turn. */
	for (int round = 0; round < 16; round++) {
		int n = ternd_io_recv(d->io, fd, d->rx, RX_BATCH,
				      daemon_wall_now());

		if (n <= 0)
			break;
		/* dhcp-disable: queries are read and dropped, as Kea does. */
		if (ternd_builtin_dhcp_enabled(&d->builtin,
					       tern_mono_ms() / 1000))
			process_batch(d, (size_t)n);
		if (n < RX_BATCH)
			break;
	}
}

static void log_stats(struct daemon *d)
{
	const struct ternd_engine_stats *s = ternd_engine_stats(d->engine);
	struct ternd_committer_stats cs = {0};

	if (d->committer)
		ternd_committer_stats(d->committer, &cs);
	tern_log(LOG_INFO,
		 "stats: rx discover %llu request %llu decline %llu release "
		 "%llu inform %llu; tx offer %llu ack %llu nak %llu; leases "
		 "bound %llu; store batches %llu changes %llu (max batch "
		 "%llu); acks dropped %llu; commit ms avg %.2f max %.2f, "
		 "queued ms avg %.2f; commit retries %llu (last error %d)",
		 (unsigned long long)s->rx[1], (unsigned long long)s->rx[3],
		 (unsigned long long)s->rx[4], (unsigned long long)s->rx[7],
		 (unsigned long long)s->rx[8], (unsigned long long)s->tx_offer,
		 (unsigned long long)s->tx_ack, (unsigned long long)s->tx_nak,
		 (unsigned long long)s->leases_bound,
		 (unsigned long long)cs.batches,
		 (unsigned long long)cs.committed,
		 (unsigned long long)cs.max_batch,
		 (unsigned long long)d->held_dropped,
		 cs.batches ? cs.commit_ns / 1e6 / (double)cs.batches : 0.0,
		 cs.commit_ns_max / 1e6,
		 cs.batches ? cs.queue_ns / 1e6 / (double)cs.batches : 0.0,
		 (unsigned long long)cs.retries, cs.last_error);
	ternd_mesh_node_log_stats(d->mesh);
	ternd_hooks_log_stats(d->hooks);
	if (d->ddns) {
		const struct ternd_ddns_stats *ds =
			ternd_ddns_sender_stats(d->ddns);

		tern_log(LOG_INFO,
			 "stats: ddns requests queued %llu sent %llu; dropped: "
			 "queue full %llu, not durable %llu, send errors %llu",
			 (unsigned long long)ds->queued,
			 (unsigned long long)ds->sent,
			 (unsigned long long)ds->queue_full,
			 (unsigned long long)ds->not_durable,
			 (unsigned long long)ds->send_errors);
	}
}

static void handle_signals(struct daemon *d)
{
	struct signalfd_siginfo si;

	while (read(d->sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGTERM:
		case SIGINT:
			d->stop = true;
			break;
		case SIGUSR1:
			log_stats(d);
			break;
		case SIGHUP: {
			char err[512];

			/* As config-reload (logged); failing that, or in
			 * mesh mode, the interface addresses are re-read. */
			if (!d->reload ||
			    ternd_reload_file(d->reload, "SIGHUP", err,
					      sizeof(err)) < 0) {
				ternd_io_refresh(d->io);
				tern_log(LOG_INFO,
					 "interface addresses re-read");
			}
			break;
		}
		default:
			break;
		}
	}
}

/* ternd's own statistics of a PostgreSQL lease database. */
static void xstats(void *ctx, uint64_t *v)
{
	struct daemon *d = ctx;

	ternd_pgstore_xstats(d->races, d->committer, v);
}

static void loop(struct daemon *d)
{
	struct epoll_event ev[16];
	int cfd = d->committer ? ternd_committer_fd(d->committer) : -1;
	int64_t released = 0; /* when a paced release last ran */

	if (d->races && d->stats)
		ternd_stats_set_xstats(d->stats, xstats, d);
	ternd_pgstore_track(d->races, d->committer, d->engine);

	while (!d->stop) {
		int n = epoll_wait(d->ep, ev, 16,
				   held_ready(d) ? RELEASE_GAP_MS : -1);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			tern_log(LOG_ERR, "epoll_wait: %s", strerror(errno));
			break;
		}
		for (int i = 0; i < n; i++) {
			int fd = ev[i].data.fd;

			if (fd == d->sfd) {
				handle_signals(d);
			} else if (fd == d->tfd) {
				uint64_t x;

				if (read(d->tfd, &x, sizeof(x)) < 0 &&
				    errno != EAGAIN)
					tern_log(LOG_WARNING, "timerfd: %s",
						 strerror(errno));
				daemon_run_expiry(d, daemon_wall_now());
			} else if (fd == cfd) {
				flush_held(d, RELEASE_MAX);
				released = tern_mono_ms();
			} else if (d->ddns &&
				   fd == ternd_ddns_sender_fd(d->ddns)) {
				daemon_ddns_flush(d);
			} else if (d->ctl && fd == ternd_control_fd(d->ctl)) {
				ternd_control_on_fd(d->ctl);
			} else if (d->hooks && fd == ternd_hooks_fd(d->hooks)) {
				ternd_hooks_on_fd(d->hooks);
			} else if (fd == ternd_stats_fd(d->stats)) {
				ternd_stats_on_fd(d->stats);
			} else if (ternd_reload_on_fd(d->reload, fd)) {
				continue;
			} else if (ternd_mesh_node_has_fd(d->mesh, fd)) {
				ternd_mesh_node_on_fd(d->mesh, fd);
			} else {
				drain_socket(d, fd);
			}
		}
		/* A commit that lands meanwhile makes the committer's fd
		 * readable: the next epoll_wait reports it, no poll needed.
		 * The rest of a paced release goes after the gap. */
		if (held_ready(d) &&
		    tern_mono_ms() - released >= RELEASE_GAP_MS) {
			flush_held(d, RELEASE_MAX);
			released = tern_mono_ms();
		}
	}
}

static void teardown(struct daemon *d)
{
	if (d->committer) {
		/* Flush what was submitted, then answer what became durable. */
		ternd_committer_stop(d->committer);
		if (d->io)
			daemon_flush_held(d);
	}
	daemon_ddns_flush(
		d); /* best effort: what is durable and fits the socket */
	if (d->engine)
		log_stats(d);
	ternd_committer_free(d->committer);
	ternd_races_free(d->races);
	ternd_io_close(d->io);
	ternd_control_free(d->ctl);
	ternd_stats_free(d->stats);
	ternd_builtin_free(&d->builtin);
	ternd_ddns_sender_free(d->ddns);
	ternd_mesh_node_free(d->mesh);
	ternd_hooks_free(d->hooks);
	if (d->store)
		d->ops->close(d->store);
	if (d->store_lock >= 0)
		close(d->store_lock);
	ternd_engine_free(d->engine);
	if (d->ep >= 0)
		close(d->ep);
	if (d->sfd >= 0)
		close(d->sfd);
	if (d->tfd >= 0)
		close(d->tfd);
	free(d->held);
	ternd_reload_free(d->reload);
}

int ternd_run(const struct ternd_config *cfg, const struct ternd_run_opts *o)
{
	struct daemon *d = calloc(1, sizeof(*d));
	int r;

	if (!d)
		return -ENOMEM;
	d->cfg = cfg;
	d->ep = d->sfd = d->tfd = d->store_lock = -1;
	d->next_expiry = INT64_MAX;
	d->started = daemon_wall_now();
	r = daemon_start(d, o);
	if (r < 0)
		goto out;
	tern_log(LOG_NOTICE, "serving %zu subnets from %s", cfg->n_subnets,
		 o->config_path ? o->config_path : "config");
	tern_log_startup(false);
	loop(d);
	tern_log(LOG_NOTICE, "shutting down");
	r = d->exit_error;
out:
	teardown(d);
	if (r >= 0)
		r = d->exit_value < 0 ? 0 : d->exit_value;
	free(d);
	return r;
}
