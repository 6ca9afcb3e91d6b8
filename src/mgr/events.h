/* tern-mgr internals: events for the WAN manager (NN_PUB) and lease text. */
#ifndef TERN_MGR_EVENTS_H
#define TERN_MGR_EVENTS_H

#include <stddef.h>
#include <stdint.h>

#include "mgr.h"

enum mgr_event {
	MGR_EV_NONE,
	MGR_EV_CLIENT_STARTED,
	MGR_EV_CLIENT_STOPPED,
	MGR_EV_CLIENT_FAILED,
	MGR_EV_LEASE_UPDATE,
	MGR_EV_LEASE_DEL,
	MGR_EV_LEASE_RENEW,
};

const char *mgr_event_name(enum mgr_event ev);

/* One key / value of a lease (keys are TR-181-like names). */
typedef void (*mgr_kv_fn)(void *ctx, const char *key, const char *val);

/* The client's current lease as key / value pairs (nothing if none). */
void mgr_lease_kv(const struct mgr_client *c, int64_t now, mgr_kv_fn fn,
		  void *ctx);

/*
 * The event text (docs/mgr-events.md): a header line
 *   "TERN-MGR/1 EVENT DHCPv4|DHCPv6 INDEX IFNAME"
 * then "key=value" lines, for LEASE_UPDATE / LEASE_RENEW the lease.
 * Returns the length or -ENOBUFS.
 */
int mgr_event_format(const struct mgr_client *c, const char *ifname,
		     enum mgr_event ev, int64_t now, char *buf, size_t cap);

/* NN_PUB socket bound to addr; NULL on failure (errno set). */
struct mgr_events *mgr_events_open(const char *addr);
void mgr_events_close(struct mgr_events *e);
/* Send without blocking; a slow subscriber loses messages, never us. */
int mgr_events_send(struct mgr_events *e, const char *text, size_t len);

#endif
