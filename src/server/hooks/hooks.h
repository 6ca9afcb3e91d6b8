/* ternd hook libraries at run time: Kea's run_script and legal_log, run for
 * the hook points a request or an expiry reached, once its leases are
 * durable. */
#ifndef TERND_HOOKS_H
#define TERND_HOOKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/config/config.h"
#include "server/engine4/engine.h"

struct tern_dhcp4_msg;
struct ternd_hooks;

/*
 * The bounds of the scripts ternd runs (Kea runs them without any): at
 * most max_children at once; up to max_queue waiting for a free slot,
 * more are dropped and counted; a script still running after timeout_ms
 * is killed (SIGKILL). Events wait for their leases to be durable in a
 * queue of max_pending; past it they are dropped and counted.
 */
struct ternd_hooks_limits {
	unsigned max_children;
	unsigned max_queue;
	unsigned timeout_ms;
	unsigned max_pending;
};

#define TERND_HOOKS_LIMITS_DEFAULT    \
	{                             \
		16, 1024, 60000, 4096 \
	}

struct ternd_hooks_stats {
	uint64_t events;	  /* hook points reached */
	uint64_t pending_dropped; /* the durable queue was full */
	uint64_t abandoned;	  /* their leases never became durable */
	uint64_t scripts_run;	  /* script processes started */
	uint64_t script_failed;	  /* exited non-zero, or could not start */
	uint64_t script_killed;	  /* past the timeout */
	uint64_t script_dropped;  /* the script queue was full */
	uint64_t legal_lines;	  /* forensic log entries written */
	uint64_t legal_errors;	  /* entries that could not be written */
};

/*
 * The hooks of cfg that act on lease events (run_script, legal_log).
 * Returns 0 with *ret NULL when there are none, 0 with *ret set, or
 * -errno (the forensic log could not be opened, out of memory). lim NULL
 * means TERND_HOOKS_LIMITS_DEFAULT; port is the server's (a query's local
 * port). cfg must outlive it.
 */
int ternd_hooks_new(const struct ternd_config *cfg,
		    const struct ternd_hooks_limits *lim, uint16_t port,
		    struct ternd_hooks **ret);
void ternd_hooks_free(struct ternd_hooks *h);

/* A request's events (ternd_engine_events()), with the query they answer
 * (m may be NULL only when n is 0) and the reply built for it (NULL when
 * none). They wait for ternd_hooks_submitted. */
void ternd_hooks_request(struct ternd_hooks *h, const struct ternd_rx *rx,
			 const struct tern_dhcp4_msg *m,
			 const struct ternd_tx *reply,
			 const struct ternd_hook_event *ev, size_t n);
/* The same with the events the engine recorded for the request it just
 * handled (m NULL: rx is parsed here). */
void ternd_hooks_engine(struct ternd_hooks *h, struct ternd_engine *e,
			const struct ternd_rx *rx,
			const struct tern_dhcp4_msg *m,
			const struct ternd_tx *reply);
/* The changes of ternd_engine_expire(): lease4_expire, lease4_recover. */
void ternd_hooks_expired(struct ternd_hooks *h, const struct ternd_change *v,
			 size_t n);
/* The events given since the last call run once ticket is durable
 * (0: at once); or, abandoned, never (their changes were refused). */
void ternd_hooks_submitted(struct ternd_hooks *h, uint64_t ticket);
void ternd_hooks_abandon(struct ternd_hooks *h);
/* Run every event whose ticket is <= done. */
void ternd_hooks_durable(struct ternd_hooks *h, uint64_t done);

/* A descriptor to poll (children ending, their deadlines); call on_fd
 * when it is readable. */
int ternd_hooks_fd(const struct ternd_hooks *h);
void ternd_hooks_on_fd(struct ternd_hooks *h);

void ternd_hooks_stats(const struct ternd_hooks *h,
		       struct ternd_hooks_stats *ret);
/* The counters in one log line (SIGUSR1, shutdown); nothing for NULL. */
void ternd_hooks_log_stats(const struct ternd_hooks *h);

#endif
