/* tern-mgr: the control socket, served by the management thread: many
 * clients at once, none of them able to block it. */
#define _GNU_SOURCE
#include <errno.h>
#include <libgen.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "control.h"
#include "log.h"
#include "model.h"
#include "util.h"

/* Answers are bounded: a full dump of 32 clients fits easily. */
#define CTL_ANSWER_MAX (512 * 1024)

struct answer {
	char *buf;
	size_t cap, len;
	bool overflow;
};

static void add_line(void *arg, const char *key, const char *val)
{
	struct answer *a = arg;
	int n;

	if (a->overflow)
		return;
	n = snprintf(a->buf + a->len, a->cap - a->len, "%s=%s\n", key, val);
	if (n < 0 || (size_t)n >= a->cap - a->len - 16) {
		a->overflow = true;
		return;
	}
	a->len += (size_t)n;
}

static const char *errname(int r)
{
	switch (-r) {
	case ENOENT:
		return "ENOENT no such parameter";
	case EACCES:
		return "EACCES parameter is read-only";
	case EINVAL:
		return "EINVAL";
	case EPERM:
		return "EPERM";
	default:
		return "EIO";
	}
}

size_t mgr_control_handle(struct mgr *m, const char *line, char *out,
			  size_t cap)
{
	struct answer a = {out, cap, 0, false};
	char path[512], err[160] = "";
	const char *sp;
	int r;

	if (cap < 64)
		return 0;
	out[0] = '\0';
	if (!strncmp(line, "GET ", 4) || !strcmp(line, "GET")) {
		pthread_mutex_lock(&m->lock);
		r = mgr_model_get(m, line[3] ? line + 4 : "", m->now(),
				  add_line, &a);
		pthread_mutex_unlock(&m->lock);
	} else if (!strncmp(line, "SET ", 4)) {
		sp = strchr(line + 4, ' ');
		if (!sp || (size_t)(sp - line - 4) >= sizeof(path)) {
			r = -EINVAL;
			snprintf(err, sizeof(err), "usage: SET PATH VALUE");
		} else {
			memcpy(path, line + 4, (size_t)(sp - line - 4));
			path[sp - line - 4] = '\0';
			pthread_mutex_lock(&m->lock);
			r = mgr_model_set(m, path, sp + 1, err, sizeof(err));
			pthread_mutex_unlock(&m->lock);
		}
	} else {
		r = -EINVAL;
		snprintf(err, sizeof(err), "unknown request (GET, SET)");
	}
	if (a.overflow)
		a.len += (size_t)snprintf(out + a.len, cap - a.len,
					  "ERR ENOBUFS answer too long\n");
	else if (r < 0)
		a.len += (size_t)snprintf(out + a.len, cap - a.len,
					  "ERR %s%s%s\n", errname(r),
					  err[0] ? ": " : "", err);
	else
		a.len += (size_t)snprintf(out + a.len, cap - a.len, "OK\n");
	return a.len;
}

struct mgr_ctl_conn {
	int fd; /* -1: free */
	bool writing;
	int64_t deadline; /* monotonic ms */
	uint64_t active;  /* ctl->tick at its last accept or read */
	size_t len;
	char line[MGR_CTL_LINE_MAX];
	char *out;
	size_t out_len, out_off;
};

/* Answers held for clients that read slowly, all together. */
#define CTL_BUDGET (8u * 1024u * 1024u)
#define TAG_LISTEN UINT64_MAX
#define TAG_STOP   (UINT64_MAX - 1)

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int ep_add(int ep, int fd, uint64_t tag)
{
	struct epoll_event ev = {.events = EPOLLIN, .data.u64 = tag};

	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0 ? -errno : 0;
}

int mgr_control_open(struct mgr_control *ctl, struct mgr *m, const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	char dir[sizeof(sa.sun_path)];
	int r;

	memset(ctl, 0, sizeof(*ctl));
	ctl->m = m;
	ctl->listen_fd = ctl->ep = -1;
	ctl->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (ctl->stop_fd < 0)
		return -errno;
	ctl->conns = calloc(MGR_CTL_CONN_MAX, sizeof(*ctl->conns));
	ctl->scratch = malloc(CTL_ANSWER_MAX);
	if (!ctl->conns || !ctl->scratch) {
		r = -ENOMEM;
		goto fail;
	}
	for (size_t i = 0; i < MGR_CTL_CONN_MAX; i++)
		ctl->conns[i].fd = -1;
	if (mgr_strlcpy(sa.sun_path, path, sizeof(sa.sun_path)) < 0) {
		r = -ENAMETOOLONG;
		goto fail;
	}
	mgr_strlcpy(ctl->path, path, sizeof(ctl->path));
	mgr_strlcpy(dir, path, sizeof(dir));
	r = tern_mkdir_p(dirname(dir), 0755);
	if (r < 0)
		goto fail;
	ctl->listen_fd =
		socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	ctl->ep = epoll_create1(EPOLL_CLOEXEC);
	if (ctl->listen_fd < 0 || ctl->ep < 0) {
		r = -errno;
		goto fail;
	}
	/* A socket left by a killed tern-mgr would block the bind. */
	unlink(path);
	if (bind(ctl->listen_fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    chmod(path, 0600) < 0 || listen(ctl->listen_fd, 64) < 0) {
		r = -errno;
		goto fail;
	}
	if ((r = ep_add(ctl->ep, ctl->listen_fd, TAG_LISTEN)) < 0 ||
	    (r = ep_add(ctl->ep, ctl->stop_fd, TAG_STOP)) < 0)
		goto fail;
	return 0;
fail:
	mgr_control_close(ctl);
	return r;
}

static void conn_close(struct mgr_control *ctl, struct mgr_ctl_conn *k)
{
	char sink[4096];

	if (k->fd < 0)
		return;
	/* Bytes left unread would make the close a reset, which may cost
	 * the client the answer it has not read yet: take a few. */
	for (int i = 0; i < 16; i++)
		if (recv(k->fd, sink, sizeof(sink), MSG_DONTWAIT) <= 0)
			break;
	close(k->fd);
	ctl->buffered -= k->out_len;
	free(k->out);
	memset(k, 0, sizeof(*k));
	k->fd = -1;
	ctl->n_conns--;
}

void mgr_control_close(struct mgr_control *ctl)
{
	if (!ctl)
		return;
	for (size_t i = 0; ctl->conns && i < MGR_CTL_CONN_MAX; i++)
		conn_close(ctl, &ctl->conns[i]);
	if (ctl->listen_fd >= 0) {
		close(ctl->listen_fd);
		unlink(ctl->path);
	}
	if (ctl->stop_fd >= 0)
		close(ctl->stop_fd);
	if (ctl->ep >= 0)
		close(ctl->ep);
	free(ctl->conns);
	free(ctl->scratch);
	ctl->conns = NULL;
	ctl->scratch = NULL;
	ctl->listen_fd = ctl->stop_fd = ctl->ep = -1;
}

/* Write what the client takes; closed once all is written. */
static void conn_write(struct mgr_control *ctl, struct mgr_ctl_conn *k)
{
	while (k->out_off < k->out_len) {
		ssize_t w = send(k->fd, k->out + k->out_off,
				 k->out_len - k->out_off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			struct epoll_event ev = {
				.events = EPOLLOUT,
				.data.u64 = (uint64_t)(k - ctl->conns)};

			epoll_ctl(ctl->ep, EPOLL_CTL_MOD, k->fd, &ev);
			return;
		}
		if (w <= 0)
			break;
		k->out_off += (size_t)w;
		k->deadline = mono_ms() + MGR_CTL_TIMEOUT_MS;
	}
	conn_close(ctl, k);
}

static void conn_answer(struct mgr_control *ctl, struct mgr_ctl_conn *k,
			const char *ans, size_t n)
{
	static const char busy[] = "ERR EBUSY too many answers pending, "
				   "retry\n";

	if (ctl->buffered + n > CTL_BUDGET) {
		ans = busy;
		n = sizeof(busy) - 1;
	}
	k->out = malloc(n ? n : 1);
	if (!k->out)
		return conn_close(ctl, k);
	memcpy(k->out, ans, n);
	k->out_len = n;
	k->out_off = 0;
	ctl->buffered += n;
	k->writing = true;
	k->deadline = mono_ms() + MGR_CTL_TIMEOUT_MS;
	conn_write(ctl, k);
}

/* Read what is there; one line (bounded) is answered. */
static void conn_read(struct mgr_control *ctl, struct mgr_ctl_conn *k)
{
	static const char too_long[] = "ERR EINVAL line too long\n";
	ssize_t r = recv(k->fd, k->line + k->len, sizeof(k->line) - 1 - k->len,
			 MSG_DONTWAIT);
	char *nl;
	size_t n;

	if (r < 0 &&
	    (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return;
	if (r < 0 || (r == 0 && !k->len))
		return conn_close(ctl, k);
	k->len += (size_t)r;
	k->line[k->len] = '\0';
	k->active = ++ctl->tick;
	k->deadline = mono_ms() + MGR_CTL_TIMEOUT_MS;
	nl = memchr(k->line, '\n', k->len);
	if (!nl && r > 0) {
		if (k->len == sizeof(k->line) - 1)
			conn_answer(ctl, k, too_long, sizeof(too_long) - 1);
		return;
	}
	/* A line, or EOF after a last line without its newline. */
	k->line[strcspn(k->line, "\r\n")] = '\0';
	n = mgr_control_handle(ctl->m, k->line, ctl->scratch, CTL_ANSWER_MAX);
	conn_answer(ctl, k, ctl->scratch, n);
}

static void on_accept(struct mgr_control *ctl)
{
	for (int i = 0; i < 16; i++) {
		int fd = accept4(ctl->listen_fd, NULL, NULL,
				 SOCK_CLOEXEC | SOCK_NONBLOCK);
		struct mgr_ctl_conn *k = NULL, *idle = NULL;

		if (fd < 0)
			return;
		for (size_t j = 0; j < MGR_CTL_CONN_MAX && !k; j++) {
			struct mgr_ctl_conn *c = &ctl->conns[j];

			if (c->fd < 0)
				k = c;
			else if (!c->writing &&
				 (!idle || c->active < idle->active))
				idle = c;
		}
		if (!k && idle) {
			conn_close(ctl, idle);
			k = idle;
		}
		if (!k) {
			close(fd);
			continue;
		}
		k->fd = fd;
		k->deadline = mono_ms() + MGR_CTL_TIMEOUT_MS;
		k->active = ++ctl->tick;
		if (ep_add(ctl->ep, fd, (uint64_t)(k - ctl->conns)) < 0) {
			close(fd);
			k->fd = -1;
			continue;
		}
		ctl->n_conns++;
	}
}

int mgr_control_run_once(struct mgr_control *ctl, int timeout_ms)
{
	struct epoll_event ev[32];
	int64_t now = mono_ms(), first = INT64_MAX;
	int n;

	for (size_t i = 0; i < MGR_CTL_CONN_MAX; i++)
		if (ctl->conns[i].fd >= 0 && ctl->conns[i].deadline < first)
			first = ctl->conns[i].deadline;
	if (first != INT64_MAX && (timeout_ms < 0 || first - now < timeout_ms))
		timeout_ms = first > now ? (int)(first - now) : 0;
	n = epoll_wait(ctl->ep, ev, 32, timeout_ms);
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	for (int i = 0; i < n; i++) {
		uint64_t tag = ev[i].data.u64;
		struct mgr_ctl_conn *k;

		if (tag == TAG_STOP)
			return 1;
		if (tag == TAG_LISTEN) {
			on_accept(ctl);
			continue;
		}
		if (tag >= MGR_CTL_CONN_MAX)
			continue;
		k = &ctl->conns[tag];
		if (k->fd < 0)
			continue;
		if (k->writing)
			conn_write(ctl, k);
		else
			conn_read(ctl, k);
	}
	/* Clients that stalled: no answer (the protocol has no timeout
	 * text), the connection is closed. */
	now = mono_ms();
	for (size_t i = 0; i < MGR_CTL_CONN_MAX; i++)
		if (ctl->conns[i].fd >= 0 && ctl->conns[i].deadline <= now)
			conn_close(ctl, &ctl->conns[i]);
	return 0;
}

static void *control_main(void *arg)
{
	struct mgr_control *ctl = arg;

	for (;;) {
		int r = mgr_control_run_once(ctl, -1);

		if (r == 1)
			break;
		if (r < 0) {
			mgr_log(LOG_ERR, "control: %s", strerror(-r));
			break;
		}
	}
	return NULL;
}

int mgr_control_start(struct mgr_control *ctl)
{
	int r = pthread_create(&ctl->thread, NULL, control_main, ctl);

	if (r)
		return -r;
	ctl->running = true;
	return 0;
}

void mgr_control_stop(struct mgr_control *ctl)
{
	uint64_t one = 1;

	if (!ctl || !ctl->running)
		return;
	if (write(ctl->stop_fd, &one, sizeof(one)) < 0)
		mgr_log(LOG_ERR, "control: cannot signal stop");
	pthread_join(ctl->thread, NULL);
	ctl->running = false;
}
