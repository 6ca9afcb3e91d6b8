/* ternd interface discovery: configured names to ifindex, address, MAC. */
#ifndef TERND_IFACES_H
#define TERND_IFACES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/config/config.h"
#include "server/net/io.h"

/*
 * Resolve the configured interfaces against the system (getifaddrs).
 * Explicit names come first, then "*" adds every interface that is up,
 * not loopback and has an IPv4 address; each interface is listed once.
 * An interface's address is the one "name/addr" gives (it must be one of
 * the interface's addresses) or its first IPv4 address.
 *
 * strict: an explicit name that does not exist fails with -ENODEV, one
 * without a usable IPv4 address with -EADDRNOTAVAIL, and the same name
 * given twice with different addresses with -EINVAL (one socket per
 * interface can hold only one server id). Not strict (refresh): such
 * entries are skipped.
 *
 * Returns how many were stored in out, -E2BIG when more than max match,
 * -ENOMEM or the -errno of getifaddrs.
 */
int ternd_ifaces_resolve(const struct ternd_iface *want, size_t n_want,
			 bool strict, struct ternd_ifinfo *out, size_t max);

#endif
