/* ternd DHCPv6 daemon: serves a Dhcp6 configuration (cfg->v6). */
#ifndef TERND_DAEMON6_H
#define TERND_DAEMON6_H

#include "server/config/config.h"
#include "server/daemon.h"

/*
 * Serve cfg->v6 until SIGTERM or SIGINT: lock and open the store, restore
 * its v6 leases, keep (or make once) the server DUID in it, open the
 * port-547 socket, run the loop (USR1 logs counters). Returns 0 after a
 * clean shutdown, -errno when it could not start or the store failed.
 */
int ternd_run6(const struct ternd_config *cfg, const struct ternd_run_opts *o);

#endif
