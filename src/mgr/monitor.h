/* tern-mgr internals: the lease monitor (NN_PULL, validation, routing). */
#ifndef TERN_MGR_MONITOR_H
#define TERN_MGR_MONITOR_H

#include <pthread.h>

#include "mgr.h"

struct mgr_monitor {
	struct mgr *m;
	int sock;    /* nanomsg socket */
	int rcv_fd;  /* NN_RCVFD, for poll() */
	int stop_fd; /* eventfd: stop the thread */
	pthread_t thread;
	bool running;
};

/* Bind NN_PULL to addr. Returns 0 or -errno. */
int mgr_monitor_open(struct mgr_monitor *mon, struct mgr *m, const char *addr);
void mgr_monitor_close(struct mgr_monitor *mon);

/*
 * Judge one received buffer (bytes as nn_recv returned it): exact size,
 * libtern validation, managed and enabled interface; pushes accepted
 * messages to m->leases. Returns 0 if queued, -errno if dropped; every
 * drop is counted and logged rate-limited.
 */
int mgr_monitor_accept(struct mgr *m, const void *buf, int bytes);

/* Wait up to timeout_ms (-1: for ever) and handle what arrived.
 * Returns the number of messages handled, or -errno. */
int mgr_monitor_run_once(struct mgr_monitor *mon, int timeout_ms);

int mgr_monitor_start(struct mgr_monitor *mon);
void mgr_monitor_stop(struct mgr_monitor *mon);

#endif
