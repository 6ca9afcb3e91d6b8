/* tern-mgr internals: hook scripts run on events (async, with a timeout). */
#ifndef TERN_MGR_HOOKS_H
#define TERN_MGR_HOOKS_H

#include <poll.h>
#include <stdint.h>

#include "events.h"
#include "mgr.h"

#define MGR_HOOK_RUNS 16 /* hook processes alive at once */

struct mgr_hook_run {
	pid_t pid;
	int pidfd;
	int64_t deadline_ms;
};

struct mgr_hooks {
	unsigned n;
	struct mgr_hook_run run[MGR_HOOK_RUNS];
};

/*
 * Start every configured hook as "HOOK EVENT" with the event and lease in
 * TERN_* environment variables (docs/mgr-events.md). Never waits. When
 * MGR_HOOK_RUNS are already running the run is dropped and counted.
 */
void mgr_hooks_run(struct mgr *m, struct mgr_hooks *h,
		   const struct mgr_client *c, const char *ifname,
		   enum mgr_event ev, int64_t now);

/* Add the running hooks' pidfds to p (at most max). Returns the count. */
int mgr_hooks_pollfds(const struct mgr_hooks *h, struct pollfd *p, int max);
/* The earliest deadline (monotonic ms) or INT64_MAX. */
int64_t mgr_hooks_deadline(const struct mgr_hooks *h);
/* Reap finished hooks and kill overdue ones. */
void mgr_hooks_service(struct mgr_hooks *h, int64_t now_ms);
/* Kill and reap every running hook (shutdown). */
void mgr_hooks_kill_all(struct mgr_hooks *h);

/* The environment a hook gets, into env (NULL-ended) using store. */
int mgr_hook_env(const struct mgr_client *c, const char *ifname,
		 enum mgr_event ev, int64_t now, char **env, size_t max,
		 char *store, size_t cap);

#endif
