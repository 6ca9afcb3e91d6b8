/* tern-mgr: the lease monitor thread (NN_PULL, validation, routing). */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <nanomsg/nn.h>
#include <nanomsg/pipeline.h>

#include "log.h"
#include "manager.h"
#include "monitor.h"
#include "queue.h"

/* Larger messages are refused by nanomsg itself: memory stays bounded. */
#define MONITOR_RCVMAX (TERN_LEASE_MSG_SIZE * 2)
/*
 * A flood is handled in batches: the manager lock is taken once per batch
 * and the stop request is seen promptly. Each message of a batch stays in
 * its nanomsg buffer until the hand-off, so the batch bounds that memory
 * too: 32 x 6 KiB. (In a flood on 2 cores, 64 was ~10 % faster than 16
 * but kept ~300 KiB more resident.)
 */
#define MONITOR_BATCH 32

static struct mgr_ratelimit drop_rl = MGR_RATELIMIT_INIT(10, 1);

/* One received message on its way through a batch. */
struct item {
	const void *buf;
	int bytes;
	int r; /* 0 or the -errno of its drop */
	struct tern_lease_verdict v;
};

static void log_drop(const struct item *it)
{
	const struct tern_lease_msg *msg = it->buf;
	char what[128];

	/* Text only for what is logged: a flood formats nothing. */
	switch (it->r) {
	case -EIO:
		snprintf(what, sizeof(what),
			 "Failed to receive message from IPC");
		break;
	case -EMSGSIZE:
		snprintf(what, sizeof(what), "Message size unexpected");
		break;
	case -ENOENT:
		snprintf(what, sizeof(what),
			 "lease for unmanaged interface %s (DHCPv%d) dropped",
			 msg->ifname, (int)msg->version);
		break;
	case -ESRCH:
		snprintf(what, sizeof(what),
			 "lease for disabled client on %s dropped",
			 msg->ifname);
		break;
	case -ENOBUFS:
		snprintf(what, sizeof(what),
			 "lease queue full, lease for %s dropped", msg->ifname);
		break;
	default:
		snprintf(what, sizeof(what), "invalid lease message: %s (%s)",
			 tern_lease_reason_str(it->v.reason),
			 it->v.field ? it->v.field : "-");
		break;
	}
	mgr_log(LOG_WARNING, "%s", what);
}

/*
 * The hot path of a flood, for a batch of messages as nanomsg returned
 * them: every one is validated in place (no copy, no allocation), then
 * the manager lock is taken once for the whole batch (client lookup and
 * counters), and the accepted ones are copied once, into the queue. The
 * controller holds the manager lock while it applies a lease; taking it
 * per batch rather than per message keeps the monitor from queueing
 * behind it on every message.
 */
static void accept_batch(struct mgr *m, struct item *it, int n)
{
	bool say[MONITOR_BATCH];
	int ok = 0;

	for (int i = 0; i < n; i++) {
		if (it[i].bytes < 0)
			it[i].r = -EIO;
		else if ((size_t)it[i].bytes != sizeof(struct tern_lease_msg))
			it[i].r = -EMSGSIZE;
		else
			it[i].r = tern_lease_msg_check(
				it[i].buf, (size_t)it[i].bytes, &it[i].v);
	}
	pthread_mutex_lock(&m->lock);
	for (int i = 0; i < n; i++) {
		const struct tern_lease_msg *msg = it[i].buf;
		uint64_t *counter = NULL;

		m->cnt.received++;
		if (it[i].r == 0) {
			struct mgr_client *c = mgr_find_client(
				m, (int)msg->version, msg->ifname);

			if (!c) {
				counter = &m->cnt.unmanaged;
				it[i].r = -ENOENT;
			} else if (!mgr_cfg_of(m, c)->enable) {
				counter = &m->cnt.disabled;
				it[i].r = -ESRCH;
			} else {
				ok++;
			}
		} else {
			counter = it[i].r == -EIO	 ? &m->cnt.recv_errors
				  : it[i].r == -EMSGSIZE ? &m->cnt.bad_size
							 : &m->cnt.invalid;
		}
		if (counter)
			(*counter)++;
		say[i] = counter && mgr_ratelimit_ok(&drop_rl);
	}
	pthread_mutex_unlock(&m->lock);
	if (ok) {
		uint64_t accepted = 0, superseded = 0, full = 0;

		/* Outside the manager lock: the queue has its own. */
		for (int i = 0; i < n; i++) {
			int r;

			if (it[i].r < 0)
				continue;
			r = m->leases ? mgr_queue_push(m->leases, it[i].buf)
				      : -ENOBUFS;
			if (r < 0) {
				it[i].r = -ENOBUFS;
				full++;
			} else {
				accepted++;
				superseded += r == 1;
			}
		}
		pthread_mutex_lock(&m->lock);
		m->cnt.accepted += accepted;
		m->cnt.superseded += superseded;
		m->cnt.queue_full += full;
		for (int i = 0; full && i < n; i++)
			if (it[i].r == -ENOBUFS)
				say[i] = mgr_ratelimit_ok(&drop_rl);
		pthread_mutex_unlock(&m->lock);
	}
	for (int i = 0; i < n; i++)
		if (say[i])
			log_drop(&it[i]);
}

int mgr_monitor_accept(struct mgr *m, const void *buf, int bytes)
{
	struct item it = {.buf = buf, .bytes = bytes};

	accept_batch(m, &it, 1);
	return it.r;
}

int mgr_monitor_open(struct mgr_monitor *mon, struct mgr *m, const char *addr)
{
	int maxsz = MONITOR_RCVMAX;
	size_t sz = sizeof(mon->rcv_fd);
	int r;

	memset(mon, 0, sizeof(*mon));
	mon->m = m;
	mon->sock = -1;
	mon->rcv_fd = -1;
	mon->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (mon->stop_fd < 0)
		return -errno;
	mon->sock = nn_socket(AF_SP, NN_PULL);
	if (mon->sock < 0) {
		r = -nn_errno();
		goto fail;
	}
	if (nn_setsockopt(mon->sock, NN_SOL_SOCKET, NN_RCVMAXSIZE, &maxsz,
			  sizeof(maxsz)) < 0 ||
	    nn_bind(mon->sock, addr) < 0 ||
	    nn_getsockopt(mon->sock, NN_SOL_SOCKET, NN_RCVFD, &mon->rcv_fd,
			  &sz) < 0) {
		r = -nn_errno();
		goto fail;
	}
	return 0;
fail:
	mgr_monitor_close(mon);
	return r;
}

void mgr_monitor_close(struct mgr_monitor *mon)
{
	if (!mon)
		return;
	if (mon->sock >= 0)
		nn_close(mon->sock);
	if (mon->stop_fd >= 0)
		close(mon->stop_fd);
	mon->sock = -1;
	mon->stop_fd = -1;
}

int mgr_monitor_run_once(struct mgr_monitor *mon, int timeout_ms)
{
	struct pollfd p[2] = {{.fd = mon->rcv_fd, .events = POLLIN},
			      {.fd = mon->stop_fd, .events = POLLIN}};
	struct item it[MONITOR_BATCH];
	void *bufs[MONITOR_BATCH];
	int n = 0, r;

	r = poll(p, 2, timeout_ms);
	if (r < 0)
		return errno == EINTR ? 0 : -errno;
	if (p[1].revents)
		return -ECANCELED;
	/* What is there now, up to a batch: small when the monitor keeps
	 * up, larger (cheaper per message) when it falls behind. */
	while (n < MONITOR_BATCH) {
		void *buf = NULL;
		int bytes = nn_recv(mon->sock, &buf, NN_MSG, NN_DONTWAIT);

		if (bytes < 0 && nn_errno() == EAGAIN)
			break;
		if (bytes < 0 && nn_errno() == EBADF) {
			r = -EBADF;
			goto out;
		}
		bufs[n] = bytes < 0 ? NULL : buf;
		it[n] = (struct item){.buf = bufs[n], .bytes = bytes};
		n++;
	}
	if (n)
		accept_batch(mon->m, it, n);
	r = n;
out:
	for (int i = 0; i < n; i++)
		if (bufs[i])
			nn_freemsg(bufs[i]);
	return r;
}

static void *monitor_main(void *arg)
{
	struct mgr_monitor *mon = arg;

	for (;;) {
		int r = mgr_monitor_run_once(mon, -1);

		if (r == -ECANCELED || r == -EBADF)
			break;
		if (r < 0)
			mgr_log(LOG_ERR, "lease monitor: poll: %s",
				strerror(-r));
	}
	return NULL;
}

int mgr_monitor_start(struct mgr_monitor *mon)
{
	int r = pthread_create(&mon->thread, NULL, monitor_main, mon);

	if (r)
		return -r;
	mon->running = true;
	return 0;
}

void mgr_monitor_stop(struct mgr_monitor *mon)
{
	uint64_t one = 1;

	if (!mon || !mon->running)
		return;
	if (write(mon->stop_fd, &one, sizeof(one)) < 0)
		mgr_log(LOG_ERR, "lease monitor: cannot signal stop");
	pthread_join(mon->thread, NULL);
	mon->running = false;
}
