/* ternd control socket: Kea-style JSON commands over a Unix stream socket. */
#ifndef TERND_CONTROL_H
#define TERND_CONTROL_H

#include <stddef.h>

struct tjson;
struct tjson_doc;

/* Kea's result codes. */
enum ternd_ctl_result {
	TERND_CTL_SUCCESS = 0,
	TERND_CTL_ERROR = 1,
	TERND_CTL_UNSUPPORTED = 2,
	TERND_CTL_EMPTY = 3,
};

/* Limits: a request larger, deeper or slower than this is refused. */
#define TERND_CTL_REQUEST_MAX (64 * 1024)
#define TERND_CTL_DEPTH_MAX   16
#define TERND_CTL_TIMEOUT_MS  1000
/* An answer (mesh-blocks of a /8, a lease list) may be much larger. */
#define TERND_CTL_ANSWER_MAX (16 * 1024 * 1024)

/*
 * A command: args is the request's "arguments" (a map, NULL when absent).
 * It builds the answer's arguments in out (common/json.h: tjson_new_*,
 * tjson_add*, tjson_copy for a part of args) and sets *ret_args to them,
 * or leaves it NULL; it writes a message to text and returns an enum
 * ternd_ctl_result. When building failed (out->error), the answer is an
 * error whatever the command returned.
 */
typedef int (*ternd_ctl_fn)(void *ctx, const struct tjson *args,
			    struct tjson_doc *out, struct tjson **ret_args,
			    char *text, size_t text_len);

struct ternd_ctl_cmd {
	const char *name;
	ternd_ctl_fn fn;
	void *ctx;
};

#define TERND_CTL_MAX_CMDS 96

struct ternd_control;

/* An unbound dispatcher (for tests and before the socket exists). */
int ternd_control_new(struct ternd_control **ret);
/* Add a command; -E2BIG past TERND_CTL_MAX_CMDS, -EEXIST twice. */
int ternd_control_add(struct ternd_control *c, const char *name,
		      ternd_ctl_fn fn, void *ctx);
/*
 * Listen on path (a stale socket file there is replaced; mode 0600).
 * Returns 0 or -errno.
 */
int ternd_control_listen(struct ternd_control *c, const char *path);
void ternd_control_free(struct ternd_control *c);
int ternd_control_fd(const struct ternd_control *c);
/*
 * Serve one waiting connection: read one request (bounded in size and
 * time), answer, close. The loop is blocked at most TERND_CTL_TIMEOUT_MS.
 */
void ternd_control_on_fd(struct ternd_control *c);
/*
 * Answer one request text: a malloc'ed NUL-terminated JSON answer in
 * *ret (the caller frees it). Returns 0 or -ENOMEM.
 */
int ternd_control_handle(struct ternd_control *c, const char *req, size_t len,
			 char **ret);

#endif
