/* ternd DHCPv6 daemon: control socket commands and statistics. */
#ifndef TERND_DAEMON6_CTL_H
#define TERND_DAEMON6_CTL_H

#include <stdbool.h>

#include "server/config/config.h"
#include "server/engine6/engine6.h"
#include "server/net/io6.h"

struct ternd_d6ctl;

/*
 * Kea's DHCPv6 statistics over eng and io (stats/dhcp6.c) and, with
 * cfg->control_socket, the socket with list-commands, status-get,
 * version-get, config-get (config_path's tree as read now), shutdown
 * (sets *stop) and the statistic-* commands. Before the privilege drop.
 * Returns 0 or -errno (logged).
 */
int ternd_d6ctl_open(const struct ternd_config *cfg,
		     const struct ternd_engine6 *eng,
		     const struct ternd_io6 *io, const char *config_path,
		     bool *stop, struct ternd_d6ctl **ret);
/* With a control socket and libdhcp_lease_cmds in hooks-libraries, the
 * lease6-* commands over lc (which must outlive c): 0 or -errno. */
struct ternd_lease6_cmds;
int ternd_d6ctl_lease_cmds(struct ternd_d6ctl *c, struct ternd_lease6_cmds *lc);
/* Its descriptors for the loop's epoll set (at most 2); how many. */
int ternd_d6ctl_fds(const struct ternd_d6ctl *c, int *out);
/* Serve fd if it is one of ours: true, false when not. */
bool ternd_d6ctl_on_fd(struct ternd_d6ctl *c, int fd);
void ternd_d6ctl_free(struct ternd_d6ctl *c);

#endif
