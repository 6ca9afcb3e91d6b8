/* ternd control socket: accept, read one bounded JSON request, dispatch by
 * command name, answer. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* accept4 */
#endif
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/fs.h"
#include "common/json.h"
#include "server/control/control.h"

struct ternd_control {
	int fd;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct ternd_ctl_cmd cmds[TERND_CTL_MAX_CMDS];
	size_t n_cmds;
};

/* Nodes cost ~8 times their text: mesh-blocks -a on 65536 blocks fits. */
#define ANSWER_ARENA (8u * TERND_CTL_ANSWER_MAX)

/* A request is small: these bound what a client can make us allocate. */
static const struct tjson_limits request_limits = {
	TERND_CTL_REQUEST_MAX, TERND_CTL_DEPTH_MAX, TERND_CTL_REQUEST_MAX / 2,
	TERND_CTL_REQUEST_MAX};

static int list_commands(void *ctx, const struct tjson *args,
			 struct tjson_doc *out, struct tjson **ret_args,
			 char *text, size_t text_len)
{
	struct ternd_control *c = ctx;
	struct tjson *a = tjson_new_array(out);

	(void)args;
	for (size_t i = 0; i < c->n_cmds; i++)
		tjson_append(out, a, tjson_new_string(out, c->cmds[i].name));
	*ret_args = a;
	snprintf(text, text_len, "%zu commands", c->n_cmds);
	return TERND_CTL_SUCCESS;
}

int ternd_control_new(struct ternd_control **ret)
{
	struct ternd_control *c = calloc(1, sizeof(*c));

	if (!c)
		return -ENOMEM;
	c->fd = -1;
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

int ternd_control_listen(struct ternd_control *c, const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	mode_t old;
	int fd, r;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* The directory the configuration names is ours to make. */
	if ((r = tern_mkdir_parent(path, 0755)) < 0) {
		close(fd);
		return r;
	}
	/* A socket file left by a previous run would make bind fail. */
	(void)unlink(path);
	old = umask(0177);
	r = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (r < 0 || listen(fd, 8) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	c->fd = fd;
	memcpy(c->path, path, strlen(path) + 1);
	return 0;
}

void ternd_control_free(struct ternd_control *c)
{
	if (!c)
		return;
	if (c->fd >= 0) {
		close(c->fd);
		(void)unlink(c->path);
	}
	free(c);
}

int ternd_control_fd(const struct ternd_control *c)
{
	return c->fd;
}

/* The answer's text: {"result": R, "text": T, "arguments": A}. */
static int answer(struct tjson_doc *out, int result, const char *text,
		  struct tjson *args, char **ret)
{
	struct tjson *o = tjson_new_object(out);

	tjson_add_int(out, o, "result", result);
	tjson_add_str(out, o, "text", text);
	if (args)
		tjson_add(out, o, "arguments", args);
	if (out->error)
		return out->error;
	return tjson_write_alloc(o, TJSON_WRITE_COMPACT, TERND_CTL_ANSWER_MAX,
				 ret, NULL);
}

int ternd_control_handle(struct ternd_control *c, const char *req, size_t len,
			 char **ret)
{
	struct tjson_doc *doc = NULL, *out = NULL;
	struct tjson_error err;
	struct tjson *args_out = NULL;
	const struct tjson *cmd, *args;
	char text[256] = "";
	size_t end;
	int result = TERND_CTL_ERROR, r;

	if ((r = tjson_doc_new(ANSWER_ARENA, &out)) < 0)
		return r;
	if (len > TERND_CTL_REQUEST_MAX) {
		snprintf(text, sizeof(text), "request too large");
		goto done;
	}
	/* Kea answers the first value and ignores what follows it. */
	if (tjson_parse_prefix(req, len, &request_limits, &doc, &end, &err) <
	    0) {
		snprintf(text, sizeof(text),
			 "invalid JSON request: line %u column %u: %s",
			 err.pos.line, err.pos.col, err.msg);
		goto done;
	}
	if (doc->root->type != TJSON_OBJECT) {
		snprintf(text, sizeof(text), "invalid JSON request: not a map");
		goto done;
	}
	cmd = tjson_get(doc->root, "command");
	if (!cmd || cmd->type != TJSON_STRING) {
		snprintf(text, sizeof(text), "no command in the request");
		goto done;
	}
	args = tjson_get(doc->root, "arguments");
	if (args && args->type != TJSON_OBJECT) {
		snprintf(text, sizeof(text), "arguments must be a map");
		goto done;
	}
	result = TERND_CTL_UNSUPPORTED;
	snprintf(text, sizeof(text), "'%.64s' command not supported", cmd->s);
	for (size_t i = 0; i < c->n_cmds; i++) {
		if (strcmp(c->cmds[i].name, cmd->s) != 0)
			continue;
		text[0] = '\0';
		result = c->cmds[i].fn(c->cmds[i].ctx, args, out, &args_out,
				       text, sizeof(text));
		break;
	}
done:
	r = answer(out, result, text, args_out, ret);
	if (r < 0) {
		/* The command's answer could not be built or is too large:
		 * say so in a fresh, small one. */
		tjson_doc_free(out);
		out = NULL;
		snprintf(text, sizeof(text), "no answer: %s",
			 r == -ENOBUFS || r == -ENOMEM ? "it is too large"
						       : strerror(-r));
		if ((r = tjson_doc_new(0, &out)) == 0)
			r = answer(out, TERND_CTL_ERROR, text, NULL, ret);
	}
	tjson_doc_free(doc);
	tjson_doc_free(out);
	return r < 0 ? -ENOMEM : 0;
}

/* Whether buf holds one complete JSON value (so we need not wait for EOF),
 * or bytes no more input can make one of. */
static bool complete(const char *buf, size_t len)
{
	struct tjson_doc *doc = NULL;
	struct tjson_error err;
	size_t end;
	int r = tjson_parse_prefix(buf, len, &request_limits, &doc, &end, &err);

	tjson_doc_free(doc);
	return r == 0 || !err.incomplete;
}

void ternd_control_on_fd(struct ternd_control *c)
{
	int64_t deadline = tern_mono_ms() + TERND_CTL_TIMEOUT_MS;
	char *buf = NULL, *ans = NULL;
	size_t len = 0, off = 0, alen;
	int fd;

	fd = accept4(c->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return;
	buf = malloc(TERND_CTL_REQUEST_MAX + 1);
	if (!buf)
		goto out;
	/* Read until one JSON value is complete, EOF, the size limit or the
	 * deadline: a slow or endless client cannot hold the loop. */
	while (len < TERND_CTL_REQUEST_MAX) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		int64_t left = deadline - tern_mono_ms();
		ssize_t k;

		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			goto out;
		k = read(fd, buf + len, TERND_CTL_REQUEST_MAX - len);
		if (k < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (k <= 0)
			break;
		len += (size_t)k;
		if (complete(buf, len))
			break;
	}
	if (ternd_control_handle(c, buf, len, &ans) < 0)
		goto out;
	/* A command may have waited for the store (lease_cmds): the answer
	 * gets its own time. */
	deadline = tern_mono_ms() + TERND_CTL_TIMEOUT_MS;
	alen = strlen(ans);
	while (off < alen) {
		struct pollfd p = {.fd = fd, .events = POLLOUT};
		int64_t left = deadline - tern_mono_ms();
		ssize_t k;

		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			break;
		k = send(fd, ans + off, alen - off, MSG_NOSIGNAL);
		if (k < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (k <= 0)
			break;
		off += (size_t)k;
	}
out:
	free(ans);
	free(buf);
	close(fd);
}
