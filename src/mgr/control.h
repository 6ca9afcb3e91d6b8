/* tern-mgr internals: the control socket (management thread). */
#ifndef TERN_MGR_CONTROL_H
#define TERN_MGR_CONTROL_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "mgr.h"

#define MGR_CTL_LINE_MAX 1024
/* Clients at once: at the limit the one idle longest while still sending
 * its line is closed for the new one. */
#define MGR_CTL_CONN_MAX 64
/* A client that makes no progress for this long is closed. */
#define MGR_CTL_TIMEOUT_MS 2000

struct mgr_ctl_conn; /* control.c */

struct mgr_control {
	struct mgr *m;
	int listen_fd;
	int stop_fd;
	int ep; /* epoll: the socket, the stop eventfd, every client */
	struct mgr_ctl_conn *conns; /* MGR_CTL_CONN_MAX */
	size_t n_conns;
	size_t buffered; /* answer bytes held for clients */
	uint64_t tick;	 /* orders the clients' activity (who idles longest) */
	char *scratch;	 /* one answer being built */
	pthread_t thread;
	bool running;
	char path[108];
};

/* Create the Unix socket at path (mode 0600, parent made if missing). */
int mgr_control_open(struct mgr_control *ctl, struct mgr *m, const char *path);
void mgr_control_close(struct mgr_control *ctl);
int mgr_control_start(struct mgr_control *ctl);
/* One round of the management thread's loop: wait at most timeout_ms for
 * clients, serve what is ready without blocking on any of them. Returns
 * 1 when stop was asked, 0, or -errno. (The thread runs it; tests too.) */
int mgr_control_run_once(struct mgr_control *ctl, int timeout_ms);
void mgr_control_stop(struct mgr_control *ctl);

/*
 * Answer one request line (without its newline) into out: the protocol
 * of docs/mgr-config.md's "Control socket". Takes the lock. Returns the
 * answer's length (truncated answers end with "ERR ENOBUFS").
 */
size_t mgr_control_handle(struct mgr *m, const char *line, char *out,
			  size_t cap);

#endif
