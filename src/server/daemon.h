/* ternd daemon: wires sockets, engine, group-commit store and timers into one
 * event loop. */
#ifndef TERND_DAEMON_H
#define TERND_DAEMON_H

#include <stdbool.h>
#include <stdint.h>

#include "server/config/config.h"

struct ternd_mesh_opts;

struct ternd_run_opts {
	const char *config_path; /* for messages */
	const char *config_file; /* -c FILE (config-get/write); NULL: none */
	uint16_t port;		 /* 67 unless testing */
	bool foreground;	 /* -d: log to stderr */
	/* --mesh: share the pool with ddhcpd-protocol peers; NULL = off */
	const struct ternd_mesh_opts *mesh;
};

/*
 * Serve cfg until SIGTERM or SIGINT. Opens the store and restores every
 * lease, opens the sockets, drops privileges when cfg->user is set, then
 * runs the event loop. Returns the exit value after a clean shutdown (0,
 * or the control command shutdown's exit-value), -errno when it could not
 * start (nothing is served then).
 */
int ternd_run(const struct ternd_config *cfg, const struct ternd_run_opts *o);

/* The store's directory exists and belongs to cfg->user (when ternd runs
 * as root and drops to it). Returns 0 or -errno. */
int ternd_prepare_store_dir(const struct ternd_config *cfg);

#endif
