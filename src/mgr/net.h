/* tern-mgr internals: interface configuration through rtnetlink (libmnl). */
#ifndef TERN_MGR_NET_H
#define TERN_MGR_NET_H

#include <stdbool.h>

#include "mgr.h"

/* The real implementation of struct mgr_net_ops. */
extern const struct mgr_net_ops mgr_net_netlink;

/*
 * Readiness of ifname for a client: 1 if the link is administratively up
 * (and, if need_ll, has a non-tentative IPv6 link-local address), 0 if
 * not yet, -ENODEV if it does not exist, other -errno on failure.
 */
int mgr_net_ready(const char *ifname, bool need_ll);

/* Can rtnetlink be used at all (open and bind a socket)? 0 or -errno. */
int mgr_net_probe(void);

#endif
