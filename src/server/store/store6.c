/* ternd DHCPv6 lease store: backend by name, calls through the vtable, and
 * the group committers (plain, and shared with races lost kept). */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "server/store/store6.h"

const struct ternd_store6_ops *ternd_store6_backend(const char *name)
{
	if (!name)
		return NULL;
	/* Kea's "memfile" is ternd's embedded SQLite store (store.c). */
	if (strcmp(name, "sqlite") == 0 || strcmp(name, "memfile") == 0)
		return &ternd_store6_sqlite_ops;
	if (strcmp(name, "postgresql") == 0)
		return &ternd_store6_postgresql_ops;
	return NULL;
}

int ternd_store6_open_with(const struct ternd_store6_ops *ops, const char *path,
			   struct ternd_store6 **ret)
{
	if (!ops || !path || !ret)
		return -EINVAL;
	return ops->open(path, ret);
}

int ternd_store6_open(const char *path, struct ternd_store6 **ret)
{
	return ternd_store6_open_with(&ternd_store6_sqlite_ops, path, ret);
}

int ternd_store6_iterate(struct ternd_store6 *s, ternd_store6_cb cb, void *ctx)
{
	if (!s || !cb)
		return -EINVAL;
	return s->ops->iterate(s, cb, ctx);
}

int ternd_store6_commit(struct ternd_store6 *s, const struct ternd_change6 *v,
			size_t n)
{
	if (!s || (!v && n))
		return -EINVAL;
	return s->ops->commit(s, v, n);
}

int ternd_store6_commit_meta(struct ternd_store6 *s,
			     const struct ternd_change6 *v, size_t n,
			     const char *key, const char *value)
{
	if (!s || (!v && n) || !key || !value)
		return -EINVAL;
	return s->ops->commit_meta(s, v, n, key, value);
}

int ternd_store6_commit_shared(struct ternd_store6 *s,
			       const struct ternd_change6 *v, size_t n,
			       uint8_t *ret_lost)
{
	if (!s || (!v && n) || (!ret_lost && n))
		return -EINVAL;
	if (!s->ops->commit_shared)
		return -EOPNOTSUPP;
	return s->ops->commit_shared(s, v, n, ret_lost);
}

int ternd_store6_lookup(struct ternd_store6 *s, uint8_t type,
			const struct in6_addr *addr, struct ternd_lease6 *ret)
{
	if (!s || !addr || !ret)
		return -EINVAL;
	return s->ops->lookup(s, type, addr, ret);
}

int ternd_store6_meta_get(struct ternd_store6 *s, const char *key, char *buf,
			  size_t len)
{
	if (!s || !key || !buf || !len)
		return -EINVAL;
	return s->ops->meta_get(s, key, buf, len);
}

int ternd_store6_meta_set(struct ternd_store6 *s, const char *key,
			  const char *value)
{
	if (!s || !key || !value)
		return -EINVAL;
	return s->ops->meta_set(s, key, value);
}

void ternd_store6_close(struct ternd_store6 *s)
{
	if (s)
		s->ops->close(s);
}

static int commit_records(void *ctx, const void *v, size_t n)
{
	return ternd_store6_commit(ctx, v, n);
}

int ternd_store6_committer(struct ternd_store6 *s, size_t max_queued,
			   struct ternd_committer **ret)
{
	if (!s)
		return -EINVAL;
	return ternd_committer_new_fn(commit_records, s,
				      sizeof(struct ternd_change6), max_queued,
				      ret);
}

/*
 * The shared committer's context. The committer numbers its batches 1,
 * 2, 3, ... and calls the commit function once per batch, a second time
 * only to retry a batch that failed (and gives up for good if that fails
 * too): so the batch being committed is always ok + 1, ok counting the
 * calls that succeeded. The lost changes are published here, before the
 * function returns, i.e. before the committer publishes the ticket as
 * done.
 */
struct ternd_lost6 {
	struct ternd_store6 *s; /* the committer thread's */
	uint8_t *flags;		/* per change of the batch committing */
	size_t max_queued;
	uint64_t ok;
	pthread_mutex_t lock;
	pthread_cond_t taken;
	struct ternd_lost6_entry *v; /* cap */
	size_t n, cap;
	uint64_t count;
	bool stopping;
};

static int commit_shared_records(void *ctx, const void *rec, size_t n)
{
	struct ternd_lost6 *l = ctx;
	const struct ternd_change6 *v = rec;
	struct ternd_lost6_entry e;
	int r;

	if (n > l->max_queued)
		return -EINVAL;
	r = ternd_store6_commit_shared(l->s, v, n, l->flags);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		if (!l->flags[i])
			continue;
		memset(&e, 0, sizeof(e));
		e.ticket = l->ok + 1;
		e.change = v[i];
		e.have_row = ternd_store6_lookup(l->s, v[i].lease.type,
						 &v[i].lease.addr, &e.row) == 0;
		pthread_mutex_lock(&l->lock);
		/* A full list waits for the daemon: a reply for a lost
		 * change must never go out unseen. It holds more than one
		 * batch, so a full list holds changes of batches already
		 * done, which the daemon (woken by their done) takes. */
		while (l->n == l->cap && !l->stopping)
			pthread_cond_wait(&l->taken, &l->lock);
		if (l->n == l->cap) {
			/* Stopping: fail the batch rather than lose sight
			 * of a lost change. */
			pthread_mutex_unlock(&l->lock);
			return -EOVERFLOW;
		}
		l->v[l->n++] = e;
		l->count++;
		pthread_mutex_unlock(&l->lock);
	}
	l->ok++;
	return 0;
}

void ternd_lost6_free(struct ternd_lost6 *l)
{
	if (!l)
		return;
	pthread_mutex_destroy(&l->lock);
	pthread_cond_destroy(&l->taken);
	free(l->flags);
	free(l->v);
	free(l);
}

int ternd_store6_committer_shared(struct ternd_store6 *s, size_t max_queued,
				  struct ternd_lost6 **ret_lost,
				  struct ternd_committer **ret)
{
	struct ternd_lost6 *l;
	int r;

	if (!s || !ret_lost || !ret)
		return -EINVAL;
	if (!s->ops->commit_shared)
		return -EOPNOTSUPP;
	if (!max_queued)
		max_queued = TERND_COMMITTER_QUEUE_DEFAULT;
	if (!(l = calloc(1, sizeof(*l))))
		return -ENOMEM;
	l->s = s;
	l->max_queued = max_queued;
	pthread_mutex_init(&l->lock, NULL);
	pthread_cond_init(&l->taken, NULL);
	l->flags = calloc(max_queued, 1);
	/* Untouched pages cost nothing: room for a whole batch. */
	l->cap = max_queued > TERND_LOST6_MAX ? max_queued : TERND_LOST6_MAX;
	l->v = calloc(l->cap, sizeof(*l->v));
	if (!l->flags || !l->v) {
		ternd_lost6_free(l);
		return -ENOMEM;
	}
	r = ternd_committer_new_fn(commit_shared_records, l,
				   sizeof(struct ternd_change6), max_queued,
				   ret);
	if (r < 0) {
		ternd_lost6_free(l);
		return r;
	}
	*ret_lost = l;
	return 0;
}

size_t ternd_lost6_take(struct ternd_lost6 *l, uint64_t done,
			struct ternd_lost6_entry *out, size_t max)
{
	size_t k = 0, j = 0;

	if (!l || !out)
		return 0;
	pthread_mutex_lock(&l->lock);
	/* In ticket order: those of batches not done yet stay. */
	for (size_t i = 0; i < l->n; i++) {
		if (l->v[i].ticket <= done && k < max)
			out[k++] = l->v[i];
		else
			l->v[j++] = l->v[i];
	}
	l->n = j;
	if (k)
		pthread_cond_broadcast(&l->taken);
	pthread_mutex_unlock(&l->lock);
	return k;
}

size_t ternd_lost6_capacity(const struct ternd_lost6 *l)
{
	return l ? l->cap : 0;
}

uint64_t ternd_lost6_count(struct ternd_lost6 *l)
{
	uint64_t n;

	if (!l)
		return 0;
	pthread_mutex_lock(&l->lock);
	n = l->count;
	pthread_mutex_unlock(&l->lock);
	return n;
}

void ternd_lost6_stop(struct ternd_lost6 *l)
{
	if (!l)
		return;
	pthread_mutex_lock(&l->lock);
	l->stopping = true;
	pthread_cond_broadcast(&l->taken);
	pthread_mutex_unlock(&l->lock);
}
