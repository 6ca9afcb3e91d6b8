/* tern-mgr internals: the bounded lease queue from monitor to controller. */
#ifndef TERN_MGR_QUEUE_H
#define TERN_MGR_QUEUE_H

#include <stddef.h>

#include <tern/lease_ipc.h>

struct mgr_queue;

/* A queue of at most cap messages; wake_fd is an eventfd written when a
 * push finds the queue empty, for the consumer's poll(). NULL on failure. */
struct mgr_queue *mgr_queue_new(size_t cap, int wake_fd);
void mgr_queue_free(struct mgr_queue *q);

/*
 * Copy m in. Only the newest lease of a client matters, so a message for
 * a client (version and ifname) that already waits replaces the waiting
 * one in its place: 1 (one lease superseded). 0 if appended, -ENOBUFS
 * when full (the caller counts the drop). With cap >= the number of
 * managed clients the queue cannot fill with their leases.
 */
int mgr_queue_push(struct mgr_queue *q, const struct tern_lease_msg *m);
/* Copy the oldest out: 1, or 0 when empty. */
int mgr_queue_pop(struct mgr_queue *q, struct tern_lease_msg *ret);
size_t mgr_queue_len(struct mgr_queue *q);

#endif
