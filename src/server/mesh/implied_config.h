/* ternd --mesh without a configuration file: the Kea-style configuration that
 * ddhcpd's own command line implies. */
#ifndef TERND_MESH_CONFIG_H
#define TERND_MESH_CONFIG_H

#include <stddef.h>

#include "server/mesh/opts.h"

/* ddhcpd r4's defaults: lease time 300 s (option 51), offers held 12 s. */
#define TERND_MESH_DDHCPD_LEASE_TIME 300
#define TERND_MESH_DDHCPD_OFFER_TIME 12
/* Where ternctl looks first; -C chooses another. */
#define TERND_MESH_DEFAULT_CONTROL "/run/tern/ternd.sock"

/*
 * Write into buf the {"Dhcp4": ...} text for these flags: one subnet, the -N
 * network (widened to the mask of -o 1 when given) on the -c interface;
 * its pool the -N range less its network and broadcast addresses, the
 * routers (-o 3), broadcast (-o 28) and server identifier (-o 54) and the
 * interface's own addresses; lease time -o 51 or ddhcpd's 300 s; the store
 * in --state-dir or the default path; the control socket -C or
 * TERND_MESH_DEFAULT_CONTROL. Returns its length, or -EINVAL / -ENOBUFS
 * with a message in err.
 */
int ternd_mesh_config_text(const struct ternd_mesh_opts *o, char *buf,
			   size_t buf_len, char *err, size_t err_len);

#endif
