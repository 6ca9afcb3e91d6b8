/* ternd DHCPv6 daemon: control socket commands and statistics. */
#ifndef TERND_DAEMON6_CTL_H
#define TERND_DAEMON6_CTL_H

#include <stdbool.h>

#include "server/config/config.h"
#include "server/engine6/engine6.h"
#include "server/net/io6.h"

struct ternd_d6ctl;
struct ternd_reload6;

/* What the commands need of the daemon. */
struct ternd_d6ctl_ops {
	const char *config_path;      /* -c FILE */
	bool *stop;		      /* shutdown sets it */
	struct ternd_reload6 *reload; /* config-set/-reload/-test/-get */
	void *ctx;
	void (*reclaim)(void *ctx, bool remove); /* leases-reclaim */
};

/*
 * Kea's DHCPv6 statistics over eng and io (stats/dhcp6.c) and, with
 * cfg->control_socket, the socket with kea-dhcp6's built-in commands
 * (control/cmds_builtin.c: list-commands, status-get, version-get,
 * build-report, config-get/-test/-write, dhcp-disable/-enable,
 * leases-reclaim, shutdown), config-set and config-reload (reload6.c) and
 * the statistic-* commands. Before the privilege drop. Returns 0 or
 * -errno (logged).
 */
int ternd_d6ctl_open(const struct ternd_config *cfg,
		     const struct ternd_engine6 *eng,
		     const struct ternd_io6 *io,
		     const struct ternd_d6ctl_ops *ops,
		     struct ternd_d6ctl **ret);
/* With a control socket and libdhcp_lease_cmds in hooks-libraries, the
 * lease6-* commands over lc (which must outlive c): 0 or -errno. */
struct ternd_lease6_cmds;
int ternd_d6ctl_lease_cmds(struct ternd_d6ctl *c, struct ternd_lease6_cmds *lc);
/* Whether DHCP is served now (dhcp-disable/-enable, max-period). */
bool ternd_d6ctl_enabled(struct ternd_d6ctl *c, int64_t now_mono);
/* A reconfiguration swapped in cfg, eng (the old engine still alive). */
void ternd_d6ctl_swapped(struct ternd_d6ctl *c, const struct ternd_config *cfg,
			 const struct ternd_engine6 *eng,
			 const struct ternd_io6 *io);
/* Its descriptors for the loop's epoll set (at most 2); how many. */
int ternd_d6ctl_fds(const struct ternd_d6ctl *c, int *out);
/* Serve fd if it is one of ours: true, false when not. */
bool ternd_d6ctl_on_fd(struct ternd_d6ctl *c, int fd);
void ternd_d6ctl_free(struct ternd_d6ctl *c);

#endif
