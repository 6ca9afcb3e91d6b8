/* tern-mgr: a bounded, per-client coalescing ring of lease messages. */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "queue.h"

struct mgr_queue {
	pthread_mutex_t lock;
	size_t cap, head, len;
	int wake_fd;
	struct tern_lease_msg *ring; /* fixed at creation: memory is bounded */
};

struct mgr_queue *mgr_queue_new(size_t cap, int wake_fd)
{
	struct mgr_queue *q;

	if (!cap)
		return NULL;
	q = calloc(1, sizeof(*q));
	if (!q)
		return NULL;
	q->ring = calloc(cap, sizeof(*q->ring));
	if (!q->ring) {
		free(q);
		return NULL;
	}
	pthread_mutex_init(&q->lock, NULL);
	q->cap = cap;
	q->wake_fd = wake_fd;
	return q;
}

void mgr_queue_free(struct mgr_queue *q)
{
	if (!q)
		return;
	pthread_mutex_destroy(&q->lock);
	free(q->ring);
	free(q);
}

static bool same_client(const struct tern_lease_msg *a,
			const struct tern_lease_msg *b)
{
	/* Both passed validation: ifname is NUL-terminated. */
	return a->version == b->version && !strcmp(a->ifname, b->ifname);
}

int mgr_queue_push(struct mgr_queue *q, const struct tern_lease_msg *m)
{
	uint64_t one = 1;
	bool was_empty;
	int r = 0;

	pthread_mutex_lock(&q->lock);
	was_empty = q->len == 0;
	/* At most cap (64) short compares: cheaper than the 6 KiB copy. */
	for (size_t i = 0; i < q->len; i++) {
		struct tern_lease_msg *slot = &q->ring[(q->head + i) % q->cap];

		if (same_client(slot, m)) {
			memcpy(slot, m, sizeof(*m));
			r = 1;
			goto out;
		}
	}
	if (q->len == q->cap) {
		r = -ENOBUFS;
	} else {
		memcpy(&q->ring[(q->head + q->len) % q->cap], m, sizeof(*m));
		q->len++;
	}
out:
	pthread_mutex_unlock(&q->lock);
	/*
	 * The consumer drains until empty, so a non-empty queue already has
	 * a wake-up pending or a consumer at work: one syscall per burst,
	 * not per message.
	 */
	if (r == 0 && was_empty && q->wake_fd >= 0 &&
	    write(q->wake_fd, &one, sizeof(one)) < 0) {
		/* EAGAIN: the counter is already non-zero, the wake stands. */
	}
	return r;
}

int mgr_queue_pop(struct mgr_queue *q, struct tern_lease_msg *ret)
{
	int r = 0;

	pthread_mutex_lock(&q->lock);
	if (q->len) {
		memcpy(ret, &q->ring[q->head], sizeof(*ret));
		q->head = (q->head + 1) % q->cap;
		q->len--;
		/* Empty: start again at slot 0, so a gateway with a few
		 * clients only ever touches (keeps resident) a few slots. */
		if (!q->len)
			q->head = 0;
		r = 1;
	}
	pthread_mutex_unlock(&q->lock);
	return r;
}

size_t mgr_queue_len(struct mgr_queue *q)
{
	size_t n;

	pthread_mutex_lock(&q->lock);
	n = q->len;
	pthread_mutex_unlock(&q->lock);
	return n;
}
