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

#include <json-c/json.h>

#include "common/fs.h"
#include "server/control/control.h"

struct ternd_control {
	int fd;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct ternd_ctl_cmd cmds[TERND_CTL_MAX_CMDS];
	size_t n_cmds;
};

static int list_commands(void *ctx, struct json_object *args,
			 struct json_object **ret_args, char *text,
			 size_t text_len)
{
	struct ternd_control *c = ctx;
	struct json_object *a = json_object_new_array();

	(void)args;
	if (!a)
		return TERND_CTL_ERROR;
	for (size_t i = 0; i < c->n_cmds; i++)
		json_object_array_add(a,
				      json_object_new_string(c->cmds[i].name));
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

static char *answer(int result, const char *text, struct json_object *args)
{
	struct json_object *o = json_object_new_object();
	char *s = NULL;

	if (!o) {
		json_object_put(args);
		return NULL;
	}
	json_object_object_add(o, "result", json_object_new_int(result));
	json_object_object_add(o, "text", json_object_new_string(text));
	if (args)
		json_object_object_add(o, "arguments", args);
	s = strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
	return s;
}

int ternd_control_handle(struct ternd_control *c, const char *req, size_t len,
			 char **ret)
{
	struct json_tokener *tok = json_tokener_new_ex(16);
	struct json_object *root = NULL, *cmd, *args = NULL, *out = NULL;
	char text[256] = "";
	const char *name;
	int result = TERND_CTL_ERROR;
	char *s;

	if (!tok)
		return -ENOMEM;
	if (len > TERND_CTL_REQUEST_MAX) {
		snprintf(text, sizeof(text), "request too large");
		goto out;
	}
	root = json_tokener_parse_ex(tok, req, (int)len);
	if (!root || !json_object_is_type(root, json_type_object)) {
		snprintf(text, sizeof(text), "invalid JSON request");
		goto out;
	}
	if (!json_object_object_get_ex(root, "command", &cmd) ||
	    !json_object_is_type(cmd, json_type_string)) {
		snprintf(text, sizeof(text), "no command in the request");
		goto out;
	}
	if (json_object_object_get_ex(root, "arguments", &args) &&
	    !json_object_is_type(args, json_type_object)) {
		snprintf(text, sizeof(text), "arguments must be a map");
		goto out;
	}
	name = json_object_get_string(cmd);
	result = TERND_CTL_UNSUPPORTED;
	snprintf(text, sizeof(text), "'%.64s' command not supported", name);
	for (size_t i = 0; i < c->n_cmds; i++) {
		if (strcmp(c->cmds[i].name, name) != 0)
			continue;
		text[0] = '\0';
		result = c->cmds[i].fn(c->cmds[i].ctx, args, &out, text,
				       sizeof(text));
		break;
	}
out:
	s = answer(result, text, out);
	json_object_put(root);
	json_tokener_free(tok);
	if (!s)
		return -ENOMEM;
	*ret = s;
	return 0;
}

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Whether buf holds one complete JSON value (so we need not wait for EOF). */
static bool complete(const char *buf, size_t len)
{
	struct json_tokener *tok = json_tokener_new_ex(16);
	struct json_object *o;
	bool done;

	if (!tok)
		return false;
	o = json_tokener_parse_ex(tok, buf, (int)len);
	done = o || json_tokener_get_error(tok) != json_tokener_continue;
	json_object_put(o);
	json_tokener_free(tok);
	return done;
}

void ternd_control_on_fd(struct ternd_control *c)
{
	int64_t deadline = mono_ms() + TERND_CTL_TIMEOUT_MS;
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
		int64_t left = deadline - mono_ms();
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
	alen = strlen(ans);
	while (off < alen) {
		struct pollfd p = {.fd = fd, .events = POLLOUT};
		int64_t left = deadline - mono_ms();
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
