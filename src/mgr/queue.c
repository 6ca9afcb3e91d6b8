/* tern-mgr: a bounded ring of lease messages with an eventfd wake-up. */
#include <errno.h>
#include <pthread.h>
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

int mgr_queue_push(struct mgr_queue *q, const struct tern_lease_msg *m)
{
	uint64_t one = 1;
	int r = 0;

	pthread_mutex_lock(&q->lock);
	if (q->len == q->cap) {
		r = -ENOBUFS;
	} else {
		memcpy(&q->ring[(q->head + q->len) % q->cap], m, sizeof(*m));
		q->len++;
	}
	pthread_mutex_unlock(&q->lock);
	if (r == 0 && q->wake_fd >= 0 &&
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
