/* tern-mgr: the control socket, served by the management thread. */
#define _GNU_SOURCE
#include <errno.h>
#include <libgen.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "control.h"
#include "log.h"
#include "model.h"
#include "util.h"

/* Answers are bounded: a full dump of 32 clients fits easily. */
#define CTL_ANSWER_MAX	 (512 * 1024)
#define CTL_IO_TIMEOUT_S 2

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

int mgr_control_open(struct mgr_control *ctl, struct mgr *m, const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	char dir[sizeof(sa.sun_path)];
	int r;

	memset(ctl, 0, sizeof(*ctl));
	ctl->m = m;
	ctl->listen_fd = -1;
	ctl->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (ctl->stop_fd < 0)
		return -errno;
	if (mgr_strlcpy(sa.sun_path, path, sizeof(sa.sun_path)) < 0) {
		r = -ENAMETOOLONG;
		goto fail;
	}
	mgr_strlcpy(ctl->path, path, sizeof(ctl->path));
	mgr_strlcpy(dir, path, sizeof(dir));
	r = tern_mkdir_p(dirname(dir), 0755);
	if (r < 0)
		goto fail;
	ctl->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (ctl->listen_fd < 0) {
		r = -errno;
		goto fail;
	}
	/* A socket left by a killed tern-mgr would block the bind. */
	unlink(path);
	if (bind(ctl->listen_fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    chmod(path, 0600) < 0 || listen(ctl->listen_fd, 16) < 0) {
		r = -errno;
		goto fail;
	}
	return 0;
fail:
	mgr_control_close(ctl);
	return r;
}

void mgr_control_close(struct mgr_control *ctl)
{
	if (!ctl)
		return;
	if (ctl->listen_fd >= 0) {
		close(ctl->listen_fd);
		unlink(ctl->path);
	}
	if (ctl->stop_fd >= 0)
		close(ctl->stop_fd);
	ctl->listen_fd = -1;
	ctl->stop_fd = -1;
}

/* Read one line (bounded, with a timeout) and answer it. */
static void serve(struct mgr_control *ctl, int fd, char *ans)
{
	struct timeval tv = {.tv_sec = CTL_IO_TIMEOUT_S};
	char line[MGR_CTL_LINE_MAX];
	size_t len = 0, n, off = 0;

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	while (len < sizeof(line) - 1) {
		ssize_t r = read(fd, line + len, sizeof(line) - 1 - len);

		if (r <= 0)
			break;
		len += (size_t)r;
		if (memchr(line, '\n', len))
			break;
	}
	line[len] = '\0';
	if (!memchr(line, '\n', len)) {
		if (len == sizeof(line) - 1) {
			static const char e[] = "ERR EINVAL line too long\n";

			if (write(fd, e, sizeof(e) - 1) < 0)
				return;
		}
		if (!len)
			return;
	}
	line[strcspn(line, "\r\n")] = '\0';
	n = mgr_control_handle(ctl->m, line, ans, CTL_ANSWER_MAX);
	while (off < n) {
		ssize_t w = write(fd, ans + off, n - off);

		if (w <= 0)
			break;
		off += (size_t)w;
	}
}

static void *control_main(void *arg)
{
	struct mgr_control *ctl = arg;
	char *ans = malloc(CTL_ANSWER_MAX);

	if (!ans) {
		mgr_log(LOG_ERR, "control: out of memory");
		return NULL;
	}
	for (;;) {
		struct pollfd p[2] = {{.fd = ctl->listen_fd, .events = POLLIN},
				      {.fd = ctl->stop_fd, .events = POLLIN}};
		int fd;

		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			mgr_log(LOG_ERR, "control: poll: %s", strerror(errno));
			break;
		}
		if (p[1].revents)
			break;
		fd = accept4(ctl->listen_fd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0)
			continue;
		serve(ctl, fd, ans);
		close(fd);
	}
	free(ans);
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
