/* tern-mgr: the controller thread (clients, leases, supervision, recovery). */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "clients.h"
#include "config.h"
#include "controller.h"
#include "handlers.h"
#include "log.h"
#include "manager.h"
#include "net.h"
#include "proc.h"
#include "queue.h"
#include "recovery.h"
#include "util.h"

#define STOP_TIMEOUT_MS 3000
#define BACKOFF_MIN_MS	1000
#define BACKOFF_MAX_MS	60000
#define LINK_RETRY_MS	1000
#define STABLE_RUN_MS	60000 /* a client that ran this long resets backoff */
#define MAX_POLL	(2 * MGR_MAX_CLIENTS + MGR_HOOK_RUNS + 2)
/* Leases applied per iteration: a flood cannot hold back the children,
 * the hooks or the expiry checks. */
#define CTRL_LEASE_BATCH 64

static const char *ifname_of(struct mgr *m, const struct mgr_client *c)
{
	return mgr_cfg_of(m, c)->ifname;
}

/* Publish an event and run the hooks. Lock held. */
static void emit(struct mgr_controller *ctrl, struct mgr_client *c,
		 const char *ifname, enum mgr_event ev)
{
	struct mgr *m = ctrl->m;
	char buf[16384];
	int n;

	if (ev == MGR_EV_NONE)
		return;
	n = mgr_event_format(c, ifname, ev, m->now(), buf, sizeof(buf));
	if (n > 0)
		mgr_events_send(m->events, buf, (size_t)n);
	mgr_hooks_run(m, &ctrl->hooks, c, ifname, ev, m->now());
	mgr_log(LOG_INFO, "%s: DHCPv%d %s", ifname, c->version,
		mgr_event_name(ev));
}

static void flush_saves(struct mgr_controller *ctrl);

/*
 * c's state file is behind: the persister thread writes it soon, off the
 * lock, so nothing here waits on the disk. Lock held.
 */
static void persist(struct mgr_controller *ctrl, struct mgr_client *c)
{
	c->save_pending = true;
	if (!ctrl->persister_running)
		return; /* single-threaded use: run_once flushes inline */
	pthread_mutex_lock(&ctrl->plock);
	ctrl->pkick = true;
	pthread_cond_signal(&ctrl->pcond);
	pthread_mutex_unlock(&ctrl->plock);
}

static void signal_client(struct mgr_client *c, int sig)
{
	if (c->pidfd >= 0 &&
	    syscall(SYS_pidfd_send_signal, c->pidfd, sig, NULL, 0) < 0)
		mgr_log(LOG_WARNING, "cannot signal pid %d: %s", (int)c->pid,
			strerror(errno));
}

static void read_duid(struct mgr *m, struct mgr_client *c)
{
	char dir[MGR_PATH_LEN + 64], path[MGR_PATH_LEN + 96], *text = NULL;
	ssize_t n;

	if (mgr_dibbler_workdir(&m->cfg, ifname_of(m, c), dir, sizeof(dir)))
		return;
	snprintf(path, sizeof(path), "%s/client-duid", dir);
	n = mgr_read_file(path, sizeof(c->duid) - 1, &text);
	if (n <= 0)
		return;
	text[strcspn(text, "\r\n")] = '\0';
	mgr_strlcpy(c->duid, text, sizeof(c->duid));
	free(text);
}

static int prepare_dibbler(struct mgr *m, const struct mgr_client_cfg *cc)
{
	char dir[MGR_PATH_LEN + 64], path[MGR_PATH_LEN + 96], conf[8192];
	int r, n;

	r = mgr_dibbler_workdir(&m->cfg, cc->ifname, dir, sizeof(dir));
	if (r < 0)
		return r;
	r = tern_mkdir_p(dir, 0700);
	if (r < 0)
		return r;
	n = mgr_dibbler_conf(&m->cfg, cc, conf, sizeof(conf));
	if (n < 0)
		return n;
	snprintf(path, sizeof(path), "%s/client.conf", dir);
	r = mgr_write_atomic(path, conf, (size_t)n, 0600);
	if (r < 0)
		return r;
	n = mgr_dibbler_wrapper(&m->cfg, conf, sizeof(conf));
	if (n < 0)
		return n;
	snprintf(path, sizeof(path), "%s/%s", dir, MGR_DIBBLER_WRAPPER);
	r = mgr_write_atomic(path, conf, (size_t)n, 0700);
	if (r < 0)
		return r;
	/* A pid file left by a killed dibbler makes the new one refuse. */
	snprintf(path, sizeof(path), "%s/client.pid", dir);
	unlink(path);
	return 0;
}

/* Start c's DHCP client if its interface is ready. Lock held. */
static void start_client(struct mgr_controller *ctrl, struct mgr_client *c)
{
	struct mgr *m = ctrl->m;
	const struct mgr_client_cfg *cc = mgr_cfg_of(m, c);
	char env0[MGR_PATH_LEN + 32], why[MGR_PATH_LEN + 64] = "";
	char *env[] = {env0, NULL};
	struct mgr_argv *av = NULL;
	int r;

	c->restart_at_ms = 0;
	if (c->pid > 0 || !cc->enable || c->released)
		return;
	r = mgr_net_ready(cc->ifname, c->version == 6);
	if (r <= 0) {
		/* Bounded wait: try again later, never give up for good;
		 * say so once per wait, not every second. */
		if (!c->waiting)
			mgr_log(LOG_INFO, "%s: %s, DHCPv%d client waits",
				cc->ifname,
				r == 0 ? (c->version == 6
						  ? "link down or link-local "
						    "address tentative"
						  : "link down")
				       : strerror(-r),
				c->version);
		c->waiting = true;
		c->restart_at_ms = tern_mono_ms() + LINK_RETRY_MS;
		return;
	}
	c->waiting = false;
	av = calloc(1, sizeof(*av));
	if (!av) {
		c->restart_at_ms = tern_mono_ms() + LINK_RETRY_MS;
		return;
	}
	r = tern_mkdir_p(m->cfg.state_dir, 0700);
	if (r == 0 && c->version == 6)
		r = prepare_dibbler(m, cc);
	if (r == 0)
		r = c->version == 4 ? mgr_udhcpc_argv(&m->cfg, cc, av)
				    : mgr_dibbler_argv(&m->cfg, cc, av);
	if (r < 0) {
		mgr_log(LOG_ERR, "%s: DHCPv%d client misconfigured: %s",
			cc->ifname, c->version, strerror(-r));
		c->status = MGR_ST_MISCONFIGURED;
		goto out;
	}
	/* The plugin finds this manager's address in its environment. */
	snprintf(env0, sizeof(env0), "TERN_MGR_ADDR=%s", m->cfg.lease_addr);
	/* udhcpc would run a missing plugin and lose every lease without a
	 * word: both are checked before each start, not only at start-up. */
	r = mgr_client_exec_check(&m->cfg, c->version, why, sizeof(why));
	if (r == 0)
		r = mgr_proc_spawn(av->argv, env, &c->pid, &c->pidfd);
	if (r < 0) {
		mgr_log(LOG_ERR, "%s: cannot start %s: %s", cc->ifname,
			av->argv[0], why[0] ? why : strerror(-r));
		c->failures++;
		c->status = MGR_ST_ERROR;
		c->backoff_ms =
			c->backoff_ms ? c->backoff_ms * 2 : BACKOFF_MIN_MS;
		if (c->backoff_ms > BACKOFF_MAX_MS)
			c->backoff_ms = BACKOFF_MAX_MS;
		c->restart_at_ms = tern_mono_ms() + c->backoff_ms;
		emit(ctrl, c, cc->ifname, MGR_EV_CLIENT_FAILED);
		goto out;
	}
	c->starts++;
	c->adopted = false;
	c->stopping = false;
	c->started_ms = tern_mono_ms();
	/* An escalated error stays until the client gets a lease. */
	if (c->status != MGR_ST_ERROR)
		c->status = MGR_ST_ENABLED;
	if (!c->have_lease)
		c->dhcp_status = MGR_DS_SELECTING;
	mgr_log(LOG_INFO, "%s: started %s (pid %d)", cc->ifname, av->argv[0],
		(int)c->pid);
	persist(ctrl, c);
	emit(ctrl, c, cc->ifname, MGR_EV_CLIENT_STARTED);
out:
	free(av);
}

/* Stop c's client; with drop, forget (and unconfigure) its lease. */
static void stop_client(struct mgr_controller *ctrl, struct mgr_client *c,
			bool drop)
{
	struct mgr *m = ctrl->m;
	const char *ifname = c->have_lease ? c->lease.ifname : ifname_of(m, c);
	char name[TERN_LEASE_IFNAME_LEN];
	enum mgr_event ev;
	bool was_running = c->pid > 0;

	mgr_strlcpy(name, ifname, sizeof(name));
	c->restart_at_ms = 0;
	if (was_running) {
		c->stopping = true;
		mgr_proc_stop(c->pid, &c->pidfd, STOP_TIMEOUT_MS);
		c->pid = 0;
		c->stopping = false;
	}
	if (drop) {
		ev = c->version == 4 ? mgr_v4_expire(m, c)
				     : mgr_v6_expire(m, c);
		emit(ctrl, c, name, ev);
	}
	c->dhcp_status = MGR_DS_INIT;
	if (was_running)
		emit(ctrl, c, name, MGR_EV_CLIENT_STOPPED);
	persist(ctrl, c);
}

static void do_actions(struct mgr_controller *ctrl, struct mgr_client *c)
{
	struct mgr *m = ctrl->m;
	const struct mgr_client_cfg *cc = mgr_cfg_of(m, c);
	unsigned act = c->pending;

	c->pending = 0;
	if (act & MGR_ACT_STOP) {
		stop_client(ctrl, c, true);
		c->status = MGR_ST_DISABLED;
		return;
	}
	if (act & MGR_ACT_RELEASE) {
		/* udhcpc releases on SIGUSR2; dibbler on its way out. */
		if (c->version == 4 && c->pid > 0)
			signal_client(c, SIGUSR2);
		stop_client(ctrl, c, true);
		c->released = true;
	}
	if (act & MGR_ACT_RESTART) {
		stop_client(ctrl, c, true);
		c->released = false;
		c->backoff_ms = 0;
		start_client(ctrl, c);
	}
	if (act & MGR_ACT_START) {
		c->released = false;
		c->backoff_ms = 0;
		start_client(ctrl, c);
	}
	if ((act & MGR_ACT_RENEW) && c->pid > 0) {
		signal_client(c, c->version == 4 ? SIGUSR1 : SIGUSR2);
		if (c->have_lease)
			c->dhcp_status = MGR_DS_RENEWING;
	}
	(void)cc;
}

/* A client process ended: reap it, say so, schedule a restart. */
static void child_exited(struct mgr_controller *ctrl, struct mgr_client *c)
{
	struct mgr *m = ctrl->m;
	const char *ifname = ifname_of(m, c);
	int st = mgr_proc_reap(c->pid);
	int64_t ran = tern_mono_ms() - c->started_ms;

	if (st == -EAGAIN)
		return;
	mgr_log(LOG_WARNING, "%s: DHCPv%d client pid %d exited (%s %d)", ifname,
		c->version, (int)c->pid, st < 0 ? "adopted, status" : "status",
		st < 0 ? 0 : st);
	close(c->pidfd);
	c->pidfd = -1;
	c->pid = 0;
	c->adopted = false;
	c->failures++;
	emit(ctrl, c, ifname, MGR_EV_CLIENT_FAILED);
	if (!mgr_cfg_of(m, c)->enable || c->released) {
		persist(ctrl, c);
		return;
	}
	if (ran > STABLE_RUN_MS)
		c->backoff_ms = 0;
	c->backoff_ms = c->backoff_ms ? c->backoff_ms * 2 : BACKOFF_MIN_MS;
	if (c->backoff_ms >= BACKOFF_MAX_MS) {
		/* Escalate: still retried, but shown as an error. */
		c->backoff_ms = BACKOFF_MAX_MS;
		if (c->status != MGR_ST_ERROR)
			mgr_log(LOG_ERR, "%s: DHCPv%d client keeps failing",
				ifname, c->version);
		c->status = MGR_ST_ERROR;
	}
	c->restart_at_ms = tern_mono_ms() + c->backoff_ms;
	persist(ctrl, c);
}

void mgr_controller_lease(struct mgr_controller *ctrl,
			  const struct tern_lease_msg *msg)
{
	struct mgr *m = ctrl->m;
	struct mgr_client *c;
	enum mgr_event ev;
	int64_t now = m->now();

	pthread_mutex_lock(&m->lock);
	c = mgr_find_client(m, (int)msg->version, msg->ifname);
	/* It may have been disabled while the lease sat in the queue. */
	if (!c || !mgr_cfg_of(m, c)->enable) {
		m->cnt.disabled++;
		goto out;
	}
	if (c->version == 4) {
		ev = mgr_v4_handle(m, c, &msg->data.v4, now);
	} else {
		ev = mgr_v6_handle(m, c, &msg->data.v6, now);
		if (!c->duid[0])
			read_duid(m, c);
	}
	/* The model is updated and published now; the state file follows
	 * from the persister, off the lock, once per pass, not per lease. */
	if (ev != MGR_EV_NONE || c->version == 4)
		persist(ctrl, c);
	emit(ctrl, c, msg->ifname, ev);
out:
	pthread_mutex_unlock(&m->lock);
}

/*
 * One pass: write the state file of every client marked by persist().
 * Each is snapshot under the lock, then written (two fsyncs) without it,
 * so the monitor, the control socket and event readers never wait on the
 * disk. One thread at a time writes state files (the persister while it
 * runs, else the controller's caller), so they land in order.
 */
static void flush_saves(struct mgr_controller *ctrl)
{
	struct mgr *m = ctrl->m;

	for (int v = 4; v <= 6; v += 2) {
		for (unsigned i = 0; i < MGR_MAX_CLIENTS; i++) {
			struct mgr_client *c;
			int n = -ENOENT;

			pthread_mutex_lock(&m->lock);
			c = mgr_client_at(m, v, i + 1);
			if (c && c->save_pending) {
				c->save_pending = false;
				n = mgr_state_snapshot(m, c, &ctrl->save_rec,
						       ctrl->save_path,
						       sizeof(ctrl->save_path),
						       ctrl->save_buf);
			}
			pthread_mutex_unlock(&m->lock);
			if (!c)
				break;
			if (n >= 0)
				mgr_state_write(ctrl->save_path, ctrl->save_buf,
						(size_t)n);
			else if (n != -ENOENT)
				mgr_log(LOG_ERR,
					"DHCPv%d client %u: cannot "
					"save state: %s",
					v, i + 1, strerror(-n));
		}
	}
}

int mgr_controller_init(struct mgr_controller *ctrl, struct mgr *m)
{
	memset(ctrl, 0, sizeof(*ctrl));
	ctrl->m = m;
	pthread_mutex_init(&ctrl->plock, NULL);
	pthread_cond_init(&ctrl->pcond, NULL);
	ctrl->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (ctrl->stop_fd < 0)
		return -errno;
	ctrl->save_buf = malloc(MGR_STATE_MAX);
	if (!ctrl->save_buf) {
		close(ctrl->stop_fd);
		ctrl->stop_fd = -1;
		return -ENOMEM;
	}
	return 0;
}

void mgr_controller_recover(struct mgr_controller *ctrl)
{
	struct mgr *m = ctrl->m;

	pthread_mutex_lock(&m->lock);
	for (int v = 4; v <= 6; v += 2) {
		unsigned n = v == 4 ? m->cfg.n4 : m->cfg.n6;

		for (unsigned i = 0; i < n; i++) {
			struct mgr_client *c = mgr_client_at(m, v, i + 1);
			const char *ifname = ifname_of(m, c);
			enum mgr_event ev;
			int r = mgr_recover_client(m, c, m->now(), &ev);

			if (r == 1)
				mgr_log(LOG_NOTICE,
					"%s: DHCPv%d client pid %d re-adopted",
					ifname, v, (int)c->pid);
			if (ev == MGR_EV_LEASE_UPDATE) {
				/* Re-apply: the address may be gone. */
				if (v == 4) {
					struct tern_lease_v4 l =
						c->lease.data.v4;

					c->have_lease = false;
					ev = mgr_v4_handle(m, c, &l,
							   c->lease_start);
				} else {
					struct tern_lease_v6 l =
						c->lease.data.v6;
					int64_t exp = c->expiry;

					c->have_lease = false;
					ev = mgr_v6_handle(m, c, &l,
							   c->lease_start);
					c->expiry = exp;
				}
			}
			emit(ctrl, c, ifname, ev);
			if (r != 1 && mgr_cfg_of(m, c)->enable)
				start_client(ctrl, c);
			else
				persist(ctrl, c);
		}
	}
	pthread_mutex_unlock(&m->lock);
	flush_saves(ctrl);
}

static int64_t next_deadline(struct mgr *m, const struct mgr_hooks *h,
			     int64_t now_ms, int64_t now_s)
{
	int64_t d = mgr_hooks_deadline(h);

	for (int v = 4; v <= 6; v += 2) {
		unsigned n = v == 4 ? m->cfg.n4 : m->cfg.n6;

		for (unsigned i = 0; i < n; i++) {
			const struct mgr_client *c = mgr_client_at(m, v, i + 1);

			if (c->restart_at_ms && c->restart_at_ms < d)
				d = c->restart_at_ms;
			/* Expiry is in wall-clock seconds: convert. */
			if (c->have_lease && c->expiry) {
				int64_t e = now_ms + (c->expiry - now_s) * 1000;

				if (e < d)
					d = e;
			}
		}
	}
	return d;
}

int mgr_controller_run_once(struct mgr_controller *ctrl, int timeout_ms)
{
	struct mgr *m = ctrl->m;
	struct pollfd p[MAX_POLL];
	struct mgr_client *owner[MAX_POLL];
	int n = 0, r, nhooks, leases = 0;
	int64_t now_ms, deadline;
	uint64_t cnt;

	p[n].fd = ctrl->stop_fd;
	p[n++].events = POLLIN;
	p[n].fd = m->ctl_wake;
	p[n++].events = POLLIN;
	pthread_mutex_lock(&m->lock);
	for (int v = 4; v <= 6; v += 2) {
		unsigned cnt_c = v == 4 ? m->cfg.n4 : m->cfg.n6;

		for (unsigned i = 0; i < cnt_c; i++) {
			struct mgr_client *c = mgr_client_at(m, v, i + 1);

			if (c->pidfd < 0)
				continue;
			owner[n] = c;
			p[n].fd = c->pidfd;
			p[n++].events = POLLIN;
		}
	}
	nhooks = mgr_hooks_pollfds(&ctrl->hooks, p + n, MAX_POLL - n);
	now_ms = tern_mono_ms();
	deadline = next_deadline(m, &ctrl->hooks, now_ms, m->now());
	pthread_mutex_unlock(&m->lock);
	if (deadline != INT64_MAX) {
		int64_t left = deadline - now_ms;

		if (left < 0)
			left = 0;
		if (timeout_ms < 0 || left < timeout_ms)
			timeout_ms = left > INT_MAX ? INT_MAX : (int)left;
	}
	/* An idle manager sleeps here: nothing polls on a timer. */
	r = poll(p, (nfds_t)(n + nhooks), timeout_ms);
	if (r < 0 && errno != EINTR)
		return -errno;
	if (p[0].revents)
		return -ECANCELED;
	if (p[1].revents && read(m->ctl_wake, &cnt, sizeof(cnt)) < 0) {
		/* EAGAIN: another reader drained it. */
	}
	/*
	 * A bounded batch: the queue holds at most one lease per client, so
	 * this takes what waited; a flood that keeps refilling it cannot hold
	 * back the children, the hooks or the expiry checks below.
	 */
	while (m->leases && leases < CTRL_LEASE_BATCH &&
	       mgr_queue_pop(m->leases, &ctrl->msg) == 1) {
		mgr_controller_lease(ctrl, &ctrl->msg);
		leases++;
	}
	if (leases == CTRL_LEASE_BATCH && mgr_queue_len(m->leases))
		mgr_wake(m); /* more waits: come back without sleeping */
	pthread_mutex_lock(&m->lock);
	for (int i = 2; i < n; i++)
		if (p[i].revents)
			child_exited(ctrl, owner[i]);
	mgr_hooks_service(&ctrl->hooks, tern_mono_ms());
	now_ms = tern_mono_ms();
	for (int v = 4; v <= 6; v += 2) {
		unsigned cnt_c = v == 4 ? m->cfg.n4 : m->cfg.n6;

		for (unsigned i = 0; i < cnt_c; i++) {
			struct mgr_client *c = mgr_client_at(m, v, i + 1);
			enum mgr_event ev;

			if (c->pending)
				do_actions(ctrl, c);
			ev = mgr_lease_check_expiry(m, c, m->now());
			if (ev != MGR_EV_NONE) {
				emit(ctrl, c, ifname_of(m, c), ev);
				persist(ctrl, c);
			}
			if (c->restart_at_ms && c->restart_at_ms <= now_ms)
				start_client(ctrl, c);
		}
	}
	pthread_mutex_unlock(&m->lock);
	if (!ctrl->persister_running)
		flush_saves(ctrl);
	return 0;
}

static void *controller_main(void *arg)
{
	struct mgr_controller *ctrl = arg;

	for (;;) {
		int r = mgr_controller_run_once(ctrl, -1);

		if (r == -ECANCELED)
			break;
		if (r < 0) {
			mgr_log(LOG_ERR, "controller: %s", strerror(-r));
			break;
		}
	}
	return NULL;
}

/*
 * The persister: group commit of state files. Every pass writes each
 * client whose state changed since its last write, once, with what the
 * model holds at that moment; changes during a pass make another pass.
 * So a file trails the model by at most two passes (docs/mgr-state.md).
 */
static void *persister_main(void *arg)
{
	struct mgr_controller *ctrl = arg;
	bool stop = false;

	while (!stop) {
		pthread_mutex_lock(&ctrl->plock);
		while (!ctrl->pkick && !ctrl->pstop)
			pthread_cond_wait(&ctrl->pcond, &ctrl->plock);
		ctrl->pkick = false;
		stop = ctrl->pstop;
		pthread_mutex_unlock(&ctrl->plock);
		flush_saves(ctrl); /* on stop too: nothing is left behind */
	}
	return NULL;
}

static void persister_stop(struct mgr_controller *ctrl)
{
	if (!ctrl->persister_running)
		return;
	pthread_mutex_lock(&ctrl->plock);
	ctrl->pstop = true;
	pthread_cond_signal(&ctrl->pcond);
	pthread_mutex_unlock(&ctrl->plock);
	pthread_join(ctrl->persister, NULL);
	/* Read under the manager lock by persist(): clear it there. */
	pthread_mutex_lock(&ctrl->m->lock);
	ctrl->persister_running = false;
	pthread_mutex_unlock(&ctrl->m->lock);
}

int mgr_controller_start(struct mgr_controller *ctrl)
{
	int r = pthread_create(&ctrl->persister, NULL, persister_main, ctrl);

	if (r)
		return -r;
	pthread_mutex_lock(&ctrl->m->lock);
	ctrl->persister_running = true;
	pthread_mutex_unlock(&ctrl->m->lock);
	r = pthread_create(&ctrl->thread, NULL, controller_main, ctrl);
	if (r) {
		persister_stop(ctrl);
		return -r;
	}
	ctrl->running = true;
	return 0;
}

void mgr_controller_stop(struct mgr_controller *ctrl)
{
	struct mgr *m;
	uint64_t one = 1;

	if (!ctrl || !ctrl->m)
		return;
	m = ctrl->m;
	if (ctrl->running) {
		if (write(ctrl->stop_fd, &one, sizeof(one)) < 0)
			mgr_log(LOG_ERR, "controller: cannot signal stop");
		pthread_join(ctrl->thread, NULL);
		ctrl->running = false;
	}
	/* The last states are written below, by this thread. */
	persister_stop(ctrl);
	pthread_mutex_lock(&m->lock);
	for (int v = 4; v <= 6; v += 2) {
		unsigned n = v == 4 ? m->cfg.n4 : m->cfg.n6;

		for (unsigned i = 0; i < n; i++) {
			struct mgr_client *c = mgr_client_at(m, v, i + 1);

			if (ctrl->keep_clients) {
				/* Re-adopted by the next tern-mgr. */
				if (c->pidfd >= 0)
					close(c->pidfd);
				c->pidfd = -1;
				continue;
			}
			if (c->pid > 0)
				stop_client(ctrl, c, true);
		}
	}
	mgr_hooks_kill_all(&ctrl->hooks);
	pthread_mutex_unlock(&m->lock);
	if (ctrl->save_buf)
		flush_saves(ctrl);
	free(ctrl->save_buf);
	ctrl->save_buf = NULL;
	pthread_cond_destroy(&ctrl->pcond);
	pthread_mutex_destroy(&ctrl->plock);
	if (ctrl->stop_fd >= 0)
		close(ctrl->stop_fd);
	ctrl->stop_fd = -1;
}
