/* tern-mgr internals: the control socket (management thread). */
#ifndef TERN_MGR_CONTROL_H
#define TERN_MGR_CONTROL_H

#include <pthread.h>
#include <stddef.h>

#include "mgr.h"

#define MGR_CTL_LINE_MAX 1024

struct mgr_control {
	struct mgr *m;
	int listen_fd;
	int stop_fd;
	pthread_t thread;
	bool running;
	char path[108];
};

/* Create the Unix socket at path (mode 0600, parent made if missing). */
int mgr_control_open(struct mgr_control *ctl, struct mgr *m, const char *path);
void mgr_control_close(struct mgr_control *ctl);
int mgr_control_start(struct mgr_control *ctl);
void mgr_control_stop(struct mgr_control *ctl);

/*
 * Answer one request line (without its newline) into out: the protocol
 * of docs/mgr-config.md's "Control socket". Takes the lock. Returns the
 * answer's length (truncated answers end with "ERR ENOBUFS").
 */
size_t mgr_control_handle(struct mgr *m, const char *line, char *out,
			  size_t cap);

#endif
