/* tern-mgr internals: the manager object (clients table, lookup, wake-ups). */
#ifndef TERN_MGR_MANAGER_H
#define TERN_MGR_MANAGER_H

#include "mgr.h"

/* Set up m from m->cfg (already filled in). Returns 0 or -errno. */
int mgr_init(struct mgr *m);
void mgr_fini(struct mgr *m);

/* (Re)build the run-time client table after the config changed shape. */
void mgr_clients_reset(struct mgr *m);

/* The client of version 4/6 on ifname, or NULL. Lock held. */
struct mgr_client *mgr_find_client(struct mgr *m, int version,
				   const char *ifname);
/* The client by TR-181 instance number (1-based), or NULL. */
struct mgr_client *mgr_client_at(struct mgr *m, int version, unsigned index);

/* Ask the controller for actions on c (lock held) and wake it. */
void mgr_request(struct mgr *m, struct mgr_client *c, unsigned actions);
void mgr_wake(struct mgr *m);

/* Forget c's lease and everything derived from it. Lock held. */
void mgr_client_clear_lease(struct mgr_client *c);

const char *mgr_status_name(enum mgr_status s);
const char *mgr_dhcp_status_name(enum mgr_dhcp_status s);

#endif
