/* ternd reconfiguration while serving: config-set, config-reload and SIGHUP
 * build the new configuration off to the side and swap it in between two
 * packets, leases kept. */
#ifndef TERND_RELOAD_H
#define TERND_RELOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/config/config.h"
#include "server/engine4/lease.h"

struct ternd_control;
struct ternd_committer;
struct ternd_ddns_sender;
struct ternd_engine;
struct ternd_hooks;
struct ternd_io;
struct ternd_reload;

/*
 * What a swap replaces in the daemon, by address (the daemon owns them and
 * reads them after each event), and the two steps only the daemon can do.
 */
struct ternd_reload_live {
	const struct ternd_config **cfg;
	struct ternd_engine **engine;
	struct ternd_hooks **hooks;
	struct ternd_ddns_sender **ddns;
	struct ternd_io **io;
	struct ternd_committer **committer; /* NULL inside: persist false */
	uint16_t port;
	const char *path; /* the -c file config-reload re-reads, or NULL */
	bool mesh;	  /* ternd --mesh: reconfiguration refused */
	void *ctx;
	/* Make every submitted change durable and send the ACKs held for
	 * them, with their hook events and name change requests. */
	void (*drain)(void *ctx);
	/* The swap happened: poll the new sockets, re-arm the timers. */
	void (*swapped)(void *ctx);
};

int ternd_reload_new(const struct ternd_reload_live *live,
		     struct ternd_reload **ret);
/* Frees the configurations it loaded (not the daemon's first one) and the
 * hooks it retired; call after the daemon freed its own objects. */
void ternd_reload_free(struct ternd_reload *r);

/* config-set and config-reload on the control socket. */
int ternd_reload_register(struct ternd_reload *r, struct ternd_control *c);

/*
 * Re-read the -c file and swap it in (SIGHUP, config-reload: how, for the
 * log). Returns 0, or -errno with the reason in err (and in the log): the
 * server is then unchanged.
 */
int ternd_reload_file(struct ternd_reload *r, const char *how, char *err,
		      size_t len);

/*
 * Put a lease from the store or the old engine into engine e (for cfg):
 * restored when cfg still has its subnet and address; otherwise kept aside
 * until it expires (an orphan), its address held by a declined-style
 * record where cfg now has it in a pool, so it is offered to no one else.
 * Returns 0 or -ENOMEM.
 */
int ternd_reload_restore(struct ternd_reload *r, struct ternd_engine *e,
			 const struct ternd_config *cfg,
			 const struct ternd_lease *l, int64_t now);

/*
 * Orphans whose time ran out at now are deleted from the store (submitted
 * to the committer); *next is lowered to the next orphan expiry.
 */
void ternd_reload_expire(struct ternd_reload *r, int64_t now, int64_t *next);

/* Orphans kept and successful swaps, for status and tests. */
size_t ternd_reload_orphans(const struct ternd_reload *r);
uint64_t ternd_reload_count(const struct ternd_reload *r);
/* When the configuration in use was loaded (start or last swap), for
 * status-get's "reload" (seconds since). */
int64_t ternd_reload_time(const struct ternd_reload *r);

/*
 * The configuration in use as its JSON tree, {"Dhcp4": {...}}: the -c
 * file as read at start or at the last config-reload, or the arguments of
 * the last config-set; for config-get and config-write. NULL when unknown
 * (mesh mode, the file unreadable). Valid until the next swap.
 */
struct tjson;
const struct tjson *ternd_reload_source(const struct ternd_reload *r);

/* The retired hook libraries' descriptor (their scripts still running):
 * true when fd was theirs and has been served. */
bool ternd_reload_on_fd(struct ternd_reload *r, int fd);

#endif
