/* tern-mgr internals: the controller thread (clients, leases, recovery). */
#ifndef TERN_MGR_CONTROLLER_H
#define TERN_MGR_CONTROLLER_H

#include <pthread.h>
#include <stdbool.h>

#include "hooks.h"
#include "mgr.h"
#include "recovery.h"

struct mgr_controller {
	struct mgr *m;
	struct mgr_hooks hooks;
	int stop_fd;
	bool keep_clients; /* leave clients running on shutdown */
	pthread_t thread;
	bool running;
	/* The persister thread writes the state files (persist()). */
	pthread_t persister;
	bool persister_running; /* under the manager lock */
	pthread_mutex_t plock;	/* guards pkick, pstop */
	pthread_cond_t pcond;
	bool pkick, pstop;
	/* Buffers of whoever writes state files: the persister, or run_once
	 * when no persister runs. Nothing is allocated per lease. */
	struct tern_lease_msg msg;
	struct mgr_saved save_rec;
	char save_path[MGR_PATH_LEN + 64];
	char *save_buf; /* MGR_STATE_MAX */
};

int mgr_controller_init(struct mgr_controller *ctrl, struct mgr *m);
/* Recover every client from the state directory, start the others. */
void mgr_controller_recover(struct mgr_controller *ctrl);
int mgr_controller_start(struct mgr_controller *ctrl);
/* Stop the thread, then the clients (unless keep_clients) and hooks. */
void mgr_controller_stop(struct mgr_controller *ctrl);

/* One iteration: wait at most timeout_ms, then do what is due. */
int mgr_controller_run_once(struct mgr_controller *ctrl, int timeout_ms);

/* Handle one queued lease message (lock not held). */
void mgr_controller_lease(struct mgr_controller *ctrl,
			  const struct tern_lease_msg *msg);

#endif
