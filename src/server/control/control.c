/* ternd control socket: Kea's control channel served without blocking from
 * the event loop: framing, the command object's checks, dispatch by name,
 * answers in Kea's style. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* accept4 */
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/fs.h"
#include "common/json.h"
#include "server/control/control.h"
#include "server/control/feed.h"

#define READ_CHUNK   32768 /* Kea's BUF_SIZE */
#define EVENTS_BATCH 32	   /* per ternd_control_on_fd call */
#define TAG_LISTEN   UINT64_MAX
#define TAG_TIMER    (UINT64_MAX - 1)

enum conn_state {
	CONN_FREE,
	CONN_READING,
	CONN_WRITING,
};

struct conn {
	enum conn_state st;
	int fd;
	int64_t deadline; /* monotonic ms: no progress until then: time out */
	uint64_t active;  /* c->tick at its accept or last read: who idles
			     longest (deadlines tie within a millisecond) */
	char *in;
	size_t in_len, in_cap;
	struct ternd_feed feed;
	char *out;
	size_t out_len, out_off;
};

struct ternd_control {
	int fd;	       /* listening socket */
	int ep;	       /* the channel's epoll: fd, timer, connections */
	int tfd;       /* the timeout timer */
	int lock;      /* path.lock */
	int64_t armed; /* the timer's deadline, INT64_MAX when off */
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct ternd_ctl_cmd cmds[TERND_CTL_MAX_CMDS];
	size_t n_cmds;
	struct conn conns[TERND_CTL_CONN_MAX];
	size_t n_conns;
	size_t buffered; /* bytes of in_cap + out_len over all conns */
	uint64_t tick;
};

/* Nodes cost ~8 times their text: mesh-blocks -a on 65536 blocks fits. */
#define ANSWER_ARENA (8u * TERND_CTL_ANSWER_MAX)

/* A request is small: these bound what a client can make us allocate. */
static const struct tjson_limits request_limits = {
	TERND_CTL_REQUEST_MAX, TERND_CTL_DEPTH_MAX, TERND_CTL_REQUEST_MAX / 2,
	TERND_CTL_REQUEST_MAX};

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Kea's list-commands: the names, sorted, no text. */
static int list_commands(void *ctx, const struct tjson *args,
			 struct tjson_doc *out, struct tjson **ret_args,
			 char *text, size_t text_len)
{
	struct ternd_control *c = ctx;
	const char *names[TERND_CTL_MAX_CMDS];
	struct tjson *a = tjson_new_array(out);

	(void)args;
	(void)text;
	(void)text_len;
	for (size_t i = 0; i < c->n_cmds; i++)
		names[i] = c->cmds[i].name;
	qsort(names, c->n_cmds, sizeof(names[0]), cmp_names);
	for (size_t i = 0; i < c->n_cmds; i++)
		tjson_append(out, a, tjson_new_string(out, names[i]));
	*ret_args = a;
	return TERND_CTL_SUCCESS;
}

int ternd_control_new(struct ternd_control **ret)
{
	struct ternd_control *c = calloc(1, sizeof(*c));

	if (!c)
		return -ENOMEM;
	c->fd = c->ep = c->tfd = c->lock = -1;
	c->armed = INT64_MAX;
	for (size_t i = 0; i < TERND_CTL_CONN_MAX; i++)
		c->conns[i].fd = -1;
	(void)ternd_control_add(c, "list-commands", list_commands, c);
	*ret = c;
	return 0;
}

int ternd_control_add(struct ternd_control *c, const char *name,
		      ternd_ctl_fn fn, void *ctx)
{
	for (size_t i = 0; i < c->n_cmds; i++)
		if (!strcmp(c->cmds[i].name, name))
			return -EEXIST;
	if (c->n_cmds == TERND_CTL_MAX_CMDS)
		return -E2BIG;
	c->cmds[c->n_cmds++] = (struct ternd_ctl_cmd){name, fn, ctx};
	return 0;
}

static int ep_add(int ep, int fd, uint32_t events, uint64_t tag)
{
	struct epoll_event ev = {.events = events, .data.u64 = tag};

	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0 ? -errno : 0;
}

/* Kea's <socket>.lock: one server per socket name. */
static int take_lock(const char *path, int *ret_fd)
{
	char lock[sizeof(((struct sockaddr_un *)0)->sun_path) + 8];
	int fd;

	snprintf(lock, sizeof(lock), "%s.lock", path);
	fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int r = errno == EWOULDBLOCK ? -EBUSY : -errno;

		close(fd);
		return r;
	}
	*ret_fd = fd;
	return 0;
}

int ternd_control_listen(struct ternd_control *c, const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	mode_t old;
	int fd = -1, r;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	/* The directory the configuration names is ours to make. */
	if ((r = tern_mkdir_parent(path, 0755)) < 0)
		return r;
	if ((r = take_lock(path, &c->lock)) < 0)
		return r;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	c->ep = epoll_create1(EPOLL_CLOEXEC);
	c->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (fd < 0 || c->ep < 0 || c->tfd < 0) {
		r = -errno;
		goto fail;
	}
	/* A socket file left by a previous run would make bind fail; the
	 * lock says no server is behind it. */
	(void)unlink(path);
	old = umask(0177);
	r = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (r < 0 || listen(fd, 128) < 0) {
		r = -errno;
		goto fail;
	}
	if ((r = ep_add(c->ep, fd, EPOLLIN, TAG_LISTEN)) < 0 ||
	    (r = ep_add(c->ep, c->tfd, EPOLLIN, TAG_TIMER)) < 0) {
		(void)unlink(path);
		goto fail;
	}
	c->fd = fd;
	memcpy(c->path, path, strlen(path) + 1);
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	if (c->ep >= 0)
		close(c->ep);
	if (c->tfd >= 0)
		close(c->tfd);
	close(c->lock);
	c->ep = c->tfd = c->lock = -1;
	return r;
}

static void conn_close(struct ternd_control *c, struct conn *k)
{
	char sink[4096];

	if (k->st == CONN_FREE)
		return;
	/* Bytes left unread (after a command, or of one refused) would make
	 * the close a reset, which may cost the client its answer: take a
	 * few. */
	for (int i = 0; k->st == CONN_WRITING && i < 16; i++)
		if (recv(k->fd, sink, sizeof(sink), MSG_DONTWAIT) <= 0)
			break;
	close(k->fd); /* also leaves the epoll set */
	c->buffered -= k->in_cap + k->out_len;
	free(k->in);
	free(k->out);
	*k = (struct conn){.st = CONN_FREE, .fd = -1};
	c->n_conns--;
}

void ternd_control_free(struct ternd_control *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < TERND_CTL_CONN_MAX; i++) {
		struct conn *k = &c->conns[i];

		/* An answer not yet taken (shutdown's own): one last try. */
		if (k->st == CONN_WRITING)
			(void)send(k->fd, k->out + k->out_off,
				   k->out_len - k->out_off,
				   MSG_NOSIGNAL | MSG_DONTWAIT);
		conn_close(c, k);
	}
	if (c->fd >= 0) {
		close(c->fd);
		(void)unlink(c->path);
	}
	if (c->ep >= 0)
		close(c->ep);
	if (c->tfd >= 0)
		close(c->tfd);
	if (c->lock >= 0)
		close(c->lock);
	free(c);
}

int ternd_control_fd(const struct ternd_control *c)
{
	return c->ep;
}

size_t ternd_control_connections(const struct ternd_control *c)
{
	return c->n_conns;
}

/* {"arguments": A, "result": R, "text": T} in Kea's style. */
static int answer(struct tjson_doc *out, int result, const char *text,
		  struct tjson *args, char **ret)
{
	struct tjson *o = tjson_new_object(out);
	int r;

	if (args)
		tjson_add(out, o, "arguments", args);
	tjson_add_int(out, o, "result", result);
	if (text && *text)
		tjson_add_str(out, o, "text", text);
	if (out->error)
		return out->error;
	if ((r = tjson_sort_keys(o)) < 0)
		return r;
	return tjson_write_alloc(o, TJSON_WRITE_KEA, TERND_CTL_ANSWER_MAX, ret,
				 NULL);
}

/* A small answer that needs no command: errors of the channel. */
static int simple_answer(int result, const char *text, char **ret)
{
	struct tjson_doc *out = NULL;
	int r;

	if ((r = tjson_doc_new(0, &out)) < 0)
		return r;
	r = answer(out, result, text, NULL, ret);
	tjson_doc_free(out);
	return r;
}

/* Kea's parseCommand: the checks in its order, its texts. */
static const char *check_command(const struct tjson *root,
				 const struct tjson **ret_cmd, char *why,
				 size_t cap)
{
	static const char *const allowed[] = {"command", "arguments", "service",
					      "remote-address"};
	const struct tjson *cmd, *bad = NULL;

	if (root->type != TJSON_OBJECT)
		return "Invalid command Element specified, expected map";
	cmd = tjson_get(root, "command");
	if (!cmd)
		return "Invalid answer specified, does not contain mandatory "
		       "'command'";
	/* Kea walks its std::map: the first unknown key in sorted order. */
	for (const struct tjson *m = root->child; m; m = m->next) {
		bool ok = false;

		for (size_t i = 0; i < 4; i++)
			ok = ok || !strcmp(m->key, allowed[i]);
		if (!ok && (!bad || strcmp(m->key, bad->key) < 0))
			bad = m;
	}
	if (bad) {
		snprintf(why, cap,
			 "Received command contains unsupported parameter "
			 "'%s'",
			 bad->key);
		return why;
	}
	if (cmd->type != TJSON_STRING)
		return "'command' element in command message is not a string";
	*ret_cmd = cmd;
	return NULL;
}

/* The answer to the complete value req[0..len). */
static int dispatch(struct ternd_control *c, const char *req, size_t len,
		    char **ret)
{
	struct tjson_doc *doc = NULL, *out = NULL;
	struct tjson_error err;
	struct tjson *args_out = NULL;
	const struct tjson *cmd = NULL;
	const char *bad;
	char *text = NULL, why[TERND_CTL_TEXT_MAX / 2];
	int result = TERND_CTL_ERROR, r;

	text = calloc(1, TERND_CTL_TEXT_MAX);
	if (!text || (r = tjson_doc_new(ANSWER_ARENA, &out)) < 0) {
		free(text);
		return -ENOMEM;
	}
	/* Kea's Element::fromJSON errors end "in <wire>:LINE:COL". */
	if (tjson_parse(req, len, &request_limits, &doc, &err) < 0) {
		snprintf(text, TERND_CTL_TEXT_MAX, "%s in <wire>:%u:%u",
			 err.msg, err.pos.line, err.pos.col);
		goto done;
	}
	if ((bad = check_command(doc->root, &cmd, why, sizeof(why)))) {
		snprintf(text, TERND_CTL_TEXT_MAX,
			 "Error during command processing: %s", bad);
		goto done;
	}
	result = TERND_CTL_UNSUPPORTED;
	snprintf(text, TERND_CTL_TEXT_MAX, "'%.*s' command not supported.",
		 (int)(TERND_CTL_TEXT_MAX / 2), cmd->s);
	for (size_t i = 0; i < c->n_cmds; i++) {
		if (strcmp(c->cmds[i].name, cmd->s) != 0)
			continue;
		text[0] = '\0';
		result = c->cmds[i].fn(c->cmds[i].ctx,
				       tjson_get(doc->root, "arguments"), out,
				       &args_out, text, TERND_CTL_TEXT_MAX);
		break;
	}
done:
	r = answer(out, result, text, args_out, ret);
	if (r < 0) {
		/* The command's answer could not be built or is too large:
		 * say so in a small one. */
		snprintf(why, sizeof(why), "no answer: %s",
			 r == -ENOBUFS || r == -ENOMEM ? "it is too large"
						       : strerror(-r));
		r = simple_answer(TERND_CTL_ERROR, why, ret);
	}
	tjson_doc_free(doc);
	tjson_doc_free(out);
	free(text);
	return r < 0 ? -ENOMEM : 0;
}

int ternd_control_handle(struct ternd_control *c, const char *req, size_t len,
			 char **ret)
{
	struct ternd_feed f;
	char msg[96];

	/* As a connection: the bytes past the first value are never read,
	 * and only a command not complete within the limit is too large. */
	ternd_feed_init(&f);
	switch (ternd_feed_scan(&f, req, len)) {
	case TERND_FEED_FAILED:
		return simple_answer(TERND_CTL_ERROR, f.msg, ret) < 0 ? -ENOMEM
								      : 0;
	case TERND_FEED_DONE:
		if (f.end <= TERND_CTL_REQUEST_MAX)
			return dispatch(c, req + f.start, f.end - f.start, ret);
		break;
	default:
		if (len <= TERND_CTL_REQUEST_MAX)
			return -ENODATA;
		break;
	}
	snprintf(msg, sizeof(msg), "Command too large: more than %d bytes",
		 TERND_CTL_REQUEST_MAX);
	return simple_answer(TERND_CTL_ERROR, msg, ret) < 0 ? -ENOMEM : 0;
}

/* The timer follows the earliest deadline of any connection. */
static void rearm(struct ternd_control *c)
{
	int64_t first = INT64_MAX, now;
	struct itimerspec its = {0};

	for (size_t i = 0; i < TERND_CTL_CONN_MAX; i++)
		if (c->conns[i].st != CONN_FREE && c->conns[i].deadline < first)
			first = c->conns[i].deadline;
	if (first == c->armed)
		return;
	c->armed = first;
	if (first != INT64_MAX) {
		now = tern_mono_ms();
		if (first <= now)
			first = now + 1;
		/* Absolute would need the clock's epoch; relative is enough
		 * at millisecond precision. */
		its.it_value.tv_sec = (first - now) / 1000;
		its.it_value.tv_nsec = (long)((first - now) % 1000) * 1000000;
	}
	(void)timerfd_settime(c->tfd, 0, &its, NULL);
}

/* Write what the socket takes; closed once all is written or on error. */
static void conn_write(struct ternd_control *c, struct conn *k)
{
	while (k->out_off < k->out_len) {
		ssize_t n = send(k->fd, k->out + k->out_off,
				 k->out_len - k->out_off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			struct epoll_event ev = {
				.events = EPOLLOUT,
				.data.u64 = (uint64_t)(k - c->conns)};

			epoll_ctl(c->ep, EPOLL_CTL_MOD, k->fd, &ev);
			return;
		}
		if (n <= 0)
			break;
		k->out_off += (size_t)n;
		k->deadline = tern_mono_ms() + TERND_CTL_TIMEOUT_MS;
	}
	conn_close(c, k);
}

/* Answer text ans (taken) on k: the connection reads no more. */
static void conn_answer(struct ternd_control *c, struct conn *k, char *ans)
{
	size_t len = strlen(ans);

	c->buffered -= k->in_cap;
	free(k->in);
	k->in = NULL;
	k->in_len = k->in_cap = 0;
	if (c->buffered + len > TERND_CTL_BUFFER_BUDGET) {
		char *small = NULL;

		free(ans);
		if (simple_answer(TERND_CTL_ERROR,
				  "no answer: the control channel holds too "
				  "many answers now, retry",
				  &small) < 0)
			return conn_close(c, k);
		ans = small;
		len = strlen(ans);
	}
	k->out = ans;
	k->out_len = len;
	k->out_off = 0;
	c->buffered += len;
	k->st = CONN_WRITING;
	k->deadline = tern_mono_ms() + TERND_CTL_TIMEOUT_MS;
	conn_write(c, k);
}

static void conn_answer_text(struct ternd_control *c, struct conn *k,
			     const char *text)
{
	char *ans = NULL;

	if (simple_answer(TERND_CTL_ERROR, text, &ans) < 0)
		return conn_close(c, k);
	conn_answer(c, k, ans);
}

static void conn_read(struct ternd_control *c, struct conn *k)
{
	size_t want, room;
	ssize_t n;
	char *ans = NULL;

	/* Room for one chunk, within the request limit (+1 to see it was
	 * passed) and the channel's budget. */
	want = k->in_len + READ_CHUNK;
	if (want > TERND_CTL_REQUEST_MAX + 1)
		want = TERND_CTL_REQUEST_MAX + 1;
	if (want > k->in_cap) {
		size_t cap = k->in_cap ? k->in_cap * 2 : READ_CHUNK;
		char *p;

		if (cap < want)
			cap = want;
		if (cap > TERND_CTL_REQUEST_MAX + 1)
			cap = TERND_CTL_REQUEST_MAX + 1;
		if (c->buffered - k->in_cap + cap > TERND_CTL_BUFFER_BUDGET)
			return conn_answer_text(
				c, k,
				"Command refused: the control channel holds "
				"too much input now, retry");
		if (!(p = realloc(k->in, cap)))
			return conn_close(c, k);
		c->buffered += cap - k->in_cap;
		k->in = p;
		k->in_cap = cap;
	}
	room = k->in_cap - k->in_len;
	n = recv(k->fd, k->in + k->in_len, room, MSG_DONTWAIT);
	if (n < 0 &&
	    (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return;
	if (n <= 0) {
		/* EOF (a partial command then SHUT_WR) or an error: Kea
		 * closes without an answer. */
		return conn_close(c, k);
	}
	k->in_len += (size_t)n;
	k->deadline = tern_mono_ms() + TERND_CTL_TIMEOUT_MS;
	k->active = ++c->tick;
	switch (ternd_feed_scan(&k->feed, k->in, k->in_len)) {
	case TERND_FEED_MORE:
		if (k->in_len > TERND_CTL_REQUEST_MAX) {
			char msg[96];

			snprintf(msg, sizeof(msg),
				 "Command too large: more than %d bytes",
				 TERND_CTL_REQUEST_MAX);
			conn_answer_text(c, k, msg);
		}
		return;
	case TERND_FEED_FAILED:
		return conn_answer_text(c, k, k->feed.msg);
	case TERND_FEED_DONE:
		break;
	}
	if (dispatch(c, k->in + k->feed.start, k->feed.end - k->feed.start,
		     &ans) < 0)
		return conn_close(c, k);
	conn_answer(c, k, ans);
}

/* A free slot; at the limit, the longest-idle reader's (NULL when all are
 * being answered). */
static struct conn *slot(struct ternd_control *c)
{
	struct conn *idle = NULL;

	for (size_t i = 0; i < TERND_CTL_CONN_MAX; i++) {
		struct conn *k = &c->conns[i];

		if (k->st == CONN_FREE)
			return k;
		if (k->st == CONN_READING &&
		    (!idle || k->active < idle->active))
			idle = k;
	}
	if (idle)
		conn_close(c, idle);
	return idle;
}

static void on_accept(struct ternd_control *c)
{
	/* Bounded: the loop's other sockets get their turn. */
	for (int i = 0; i < EVENTS_BATCH; i++) {
		int fd = accept4(c->fd, NULL, NULL,
				 SOCK_NONBLOCK | SOCK_CLOEXEC);
		struct conn *k;

		if (fd < 0)
			return;
		if (!(k = slot(c))) {
			close(fd);
			continue;
		}
		*k = (struct conn){.st = CONN_READING,
				   .fd = fd,
				   .deadline = tern_mono_ms() +
					       TERND_CTL_TIMEOUT_MS,
				   .active = ++c->tick};
		ternd_feed_init(&k->feed);
		if (ep_add(c->ep, fd, EPOLLIN, (uint64_t)(k - c->conns)) < 0) {
			close(fd);
			*k = (struct conn){.st = CONN_FREE, .fd = -1};
			continue;
		}
		c->n_conns++;
	}
}

/* Kea's two texts: a reader that went quiet gets an answer; a client that
 * does not take its answer is closed. */
static void on_timer(struct ternd_control *c)
{
	int64_t now = tern_mono_ms();
	uint64_t x;

	(void)read(c->tfd, &x, sizeof(x));
	c->armed = INT64_MAX;
	for (size_t i = 0; i < TERND_CTL_CONN_MAX; i++) {
		struct conn *k = &c->conns[i];
		char msg[128];

		if (k->st == CONN_FREE || k->deadline > now)
			continue;
		if (k->st == CONN_WRITING) {
			conn_close(c, k);
			continue;
		}
		if (k->feed.processed)
			snprintf(msg, sizeof(msg),
				 "Connection over control channel timed out, "
				 "discarded partial command of %zu bytes",
				 k->feed.processed);
		else
			snprintf(msg, sizeof(msg),
				 "Connection over control channel timed out");
		conn_answer_text(c, k, msg);
	}
}

void ternd_control_on_fd(struct ternd_control *c)
{
	struct epoll_event ev[EVENTS_BATCH];
	int n;

	if (c->ep < 0)
		return;
	n = epoll_wait(c->ep, ev, EVENTS_BATCH, 0);
	for (int i = 0; i < n; i++) {
		uint64_t tag = ev[i].data.u64;
		struct conn *k;

		if (tag == TAG_LISTEN) {
			on_accept(c);
			continue;
		}
		if (tag == TAG_TIMER) {
			on_timer(c);
			continue;
		}
		if (tag >= TERND_CTL_CONN_MAX)
			continue;
		k = &c->conns[tag];
		/* Closed (and maybe reused) by an earlier event of this
		 * batch: epoll reports the new fd on its own next time. */
		if (k->st == CONN_READING &&
		    (ev[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
			conn_read(c, k);
		else if (k->st == CONN_WRITING &&
			 (ev[i].events & (EPOLLOUT | EPOLLHUP | EPOLLERR)))
			conn_write(c, k);
	}
	rearm(c);
}
