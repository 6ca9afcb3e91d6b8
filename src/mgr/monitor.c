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
/* A flood is handled in batches so the stop request is seen promptly. */
#define MONITOR_BATCH 64

static struct mgr_ratelimit drop_rl = MGR_RATELIMIT_INIT(10, 1);

/* Count a drop; log it unless the rate limit says the log is full. */
static void drop(struct mgr *m, uint64_t *counter, const char *what)
{
	bool say;

	pthread_mutex_lock(&m->lock);
	(*counter)++;
	say = mgr_ratelimit_ok(&drop_rl);
	pthread_mutex_unlock(&m->lock);
	if (say)
		mgr_log(LOG_WARNING, "%s", what);
}

int mgr_monitor_accept(struct mgr *m, const void *buf, int bytes)
{
	struct tern_lease_verdict v;
	struct tern_lease_msg msg;
	struct mgr_client *c;
	char what[128];
	int r, version;
	bool enabled;

	pthread_mutex_lock(&m->lock);
	m->cnt.received++;
	pthread_mutex_unlock(&m->lock);
	if (bytes < 0) {
		drop(m, &m->cnt.recv_errors,
		     "Failed to receive message from IPC");
		return -EIO;
	}
	if ((size_t)bytes != sizeof(struct tern_lease_msg)) {
		drop(m, &m->cnt.bad_size, "Message size unexpected");
		return -EMSGSIZE;
	}
	r = tern_lease_msg_check(buf, (size_t)bytes, &v);
	if (r < 0) {
		snprintf(what, sizeof(what), "invalid lease message: %s (%s)",
			 tern_lease_reason_str(v.reason),
			 v.field ? v.field : "-");
		drop(m, &m->cnt.invalid, what);
		return r;
	}
	memcpy(&msg, buf, sizeof(msg));
	version = (int)msg.version;
	pthread_mutex_lock(&m->lock);
	c = mgr_find_client(m, version, msg.ifname);
	enabled = c && mgr_cfg_of(m, c)->enable;
	pthread_mutex_unlock(&m->lock);
	if (!c) {
		snprintf(what, sizeof(what),
			 "lease for unmanaged interface %s (DHCPv%d) dropped",
			 msg.ifname, version);
		drop(m, &m->cnt.unmanaged, what);
		return -ENOENT;
	}
	if (!enabled) {
		snprintf(what, sizeof(what),
			 "lease for disabled client on %s dropped", msg.ifname);
		drop(m, &m->cnt.disabled, what);
		return -ESRCH;
	}
	if (!m->leases || mgr_queue_push(m->leases, &msg) < 0) {
		snprintf(what, sizeof(what),
			 "lease queue full, lease for %s dropped", msg.ifname);
		drop(m, &m->cnt.queue_full, what);
		return -ENOBUFS;
	}
	pthread_mutex_lock(&m->lock);
	m->cnt.accepted++;
	pthread_mutex_unlock(&m->lock);
	return 0;
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
	int n = 0, r;

	r = poll(p, 2, timeout_ms);
	if (r < 0)
		return errno == EINTR ? 0 : -errno;
	if (p[1].revents)
		return -ECANCELED;
	while (n < MONITOR_BATCH) {
		void *buf = NULL;
		int bytes = nn_recv(mon->sock, &buf, NN_MSG, NN_DONTWAIT);

		if (bytes < 0 && nn_errno() == EAGAIN)
			break;
		if (bytes < 0 && nn_errno() == EBADF)
			return -EBADF;
		mgr_monitor_accept(mon->m, buf, bytes);
		if (buf)
			nn_freemsg(buf);
		n++;
	}
	return n;
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
