/* ternd control socket: Kea's control channel (JSON commands over a Unix
 * stream socket), served from the daemon's event loop. */
#ifndef TERND_CONTROL_H
#define TERND_CONTROL_H

#include <stddef.h>

struct tjson;
struct tjson_doc;

/* Kea 2.2's result codes (2.2 has no 4, CONFLICT). */
enum ternd_ctl_result {
	TERND_CTL_SUCCESS = 0,
	TERND_CTL_ERROR = 1,
	TERND_CTL_UNSUPPORTED = 2,
	TERND_CTL_EMPTY = 3,
};

/*
 * Limits (docs/control.md "Limits"). Kea has no request size limit; ternd
 * takes a command up to TERND_CTL_REQUEST_MAX bytes (config-set of a large
 * configuration fits) and refuses a larger one with an answer.
 */
#define TERND_CTL_REQUEST_MAX (1024 * 1024)
#define TERND_CTL_DEPTH_MAX   64
/* Kea's TIMEOUT_DHCP_SERVER_RECEIVE_COMMAND: restarted by every read and
 * every write that makes progress. */
#define TERND_CTL_TIMEOUT_MS 10000
/* An answer (mesh-blocks of a /8, a lease list) may be much larger. */
#define TERND_CTL_ANSWER_MAX (16 * 1024 * 1024)
/* Connections open at once: at the limit, the one idle longest while
 * still sending its command is closed for the new one (or, when every
 * connection is being answered, the new one is refused). */
#define TERND_CTL_CONN_MAX 256
/* Bytes buffered over all connections (requests and answers): what a
 * client could otherwise make ternd hold at TERND_CTL_CONN_MAX. */
#define TERND_CTL_BUFFER_BUDGET (64 * 1024 * 1024)
/* A command's text: Kea's long ones (build-report) fit. */
#define TERND_CTL_TEXT_MAX 8192

/*
 * A command: args is the request's "arguments" as sent (any JSON type,
 * NULL when absent; kea-dhcp4 does not check its type, each command does:
 * tjson_get() on a non-map is NULL). It builds the answer's arguments in
 * out (common/json.h: tjson_new_*, tjson_add*, tjson_copy for a part of
 * args) and sets *ret_args to them, or leaves it NULL; it writes a message
 * to text (left "" there is no "text" in the answer, as Kea's status-get)
 * and returns an enum ternd_ctl_result. When building failed (out->error),
 * the answer is an error whatever the command returned. Keys are sorted
 * and the answer written in Kea's style by the channel.
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

/* An unbound dispatcher (for tests and before the socket exists); it has
 * list-commands. */
int ternd_control_new(struct ternd_control **ret);
/* Add a command; -E2BIG past TERND_CTL_MAX_CMDS, -EEXIST twice. name must
 * outlive c. */
int ternd_control_add(struct ternd_control *c, const char *name,
		      ternd_ctl_fn fn, void *ctx);
/*
 * Listen on path: takes path.lock (flock, mode 0600, as Kea) so a second
 * server on the same socket is refused (-EBUSY); a stale socket file is
 * replaced; the socket is mode 0600. Returns 0 or -errno.
 */
int ternd_control_listen(struct ternd_control *c, const char *path);
/* Closes every connection (a pending answer gets one last non-blocking
 * write), the socket, and removes the socket file. NULL is fine. */
void ternd_control_free(struct ternd_control *c);
/* One fd for the daemon's epoll (the channel's own epoll instance, which
 * holds the listening socket, every connection and the timeout timer):
 * readable when ternd_control_on_fd has work. -1 before listen. */
int ternd_control_fd(const struct ternd_control *c);
/* Serve what is ready: accept, read, answer, time out. Never blocks;
 * does a bounded amount of work (the fd stays readable if more waits). */
void ternd_control_on_fd(struct ternd_control *c);
/* Connections open now (tests, status). */
size_t ternd_control_connections(const struct ternd_control *c);
/*
 * Answer one request text as a connection would: a malloc'ed
 * NUL-terminated answer in *ret (the caller frees it). Returns 0,
 * -ENODATA when req is not a whole command yet (a connection would wait
 * for more, or close without an answer at EOF), -ENOMEM.
 */
int ternd_control_handle(struct ternd_control *c, const char *req, size_t len,
			 char **ret);

#endif
