/* ternd group commit: a thread turns queued lease changes into batches. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "server/store/committer.h"

/* Pause before the one retry: long enough for a transient condition (a
 * lock held past the busy timeout, a burst of I/O errors) to clear, short
 * enough that clients hardly notice. */
#define RETRY_DELAY_NS (100L * 1000 * 1000)

/* Which parts of a committer exist, so one destructor serves both a
 * half-built and a running committer. */
enum {
	HAVE_LOCK = 1 << 0,
	HAVE_WORK = 1 << 1,
	HAVE_DURABLE = 1 << 2,
	HAVE_THREAD = 1 << 3,
	HAVE_TAKEN = 1 << 4,
};

struct ternd_committer {
	const struct ternd_store_ops *ops; /* NULL for a generic committer */
	struct ternd_store *st;
	ternd_commit_fn commit_fn; /* a generic committer's (ops NULL) */
	void *commit_ctx;
	size_t elem; /* bytes per change */
	int efd;
	unsigned have;
	bool joined; /* owner thread only */
	pthread_t thread;

	pthread_mutex_t lock;
	pthread_cond_t work;	/* queue non-empty, or stopping */
	pthread_cond_t durable; /* done advanced, or failed */
	/* Everything below is under lock. */
	unsigned char *queue; /* the batch being gathered */
	unsigned char *spare; /* the batch being committed */
	size_t queued;
	size_t cap;
	uint64_t next; /* ticket of the batch in queue */
	uint64_t done;
	int failed; /* 0, or the error that failed the store */
	bool stopping;
	uint32_t interval_us; /* least time between commit starts */
	int64_t first_ns;     /* when the batch in queue got its first change */
	struct ternd_committer_stats stats;
	/* Shared databases only (commit_shared), NULL otherwise. */
	uint8_t *lost_flags; /* per change of the batch committing */
	struct ternd_committer_lost *lost; /* untaken, under lock */
	size_t n_lost;
	pthread_cond_t taken;	      /* lost entries were taken */
	ternd_committed_fn on_commit; /* under lock */
	void *on_commit_ctx;
};

static void notify(struct ternd_committer *c)
{
	uint64_t one = 1;
	ssize_t w;

	/* Cannot block (EFD_NONBLOCK) and cannot overflow in practice: the
	 * counter saturates at 2^64-2 and is reset by every done(). */
	w = write(c->efd, &one, sizeof(one));
	(void)w;
}

static void retry_pause(void)
{
	struct timespec ts = {0, RETRY_DELAY_NS};

	while (clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, &ts) == EINTR)
		;
}

static int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/*
 * Let a batch gather until interval_us after the previous commit began:
 * each commit costs an fsync whatever its size, so under steady load this
 * caps fsyncs at 1/interval while an ACK waits at most about one
 * interval more. Not when stopping or when the queue is half full.
 */
static void gather(struct ternd_committer *c, int64_t last_start)
{
	int64_t wait_ns;
	struct timespec ts;

	if (!c->interval_us || c->stopping || c->queued >= c->cap / 2)
		return;
	wait_ns = last_start + (int64_t)c->interval_us * 1000 - mono_ns();
	if (wait_ns <= 0)
		return;
	ts.tv_sec = wait_ns / 1000000000;
	ts.tv_nsec = wait_ns % 1000000000;
	pthread_mutex_unlock(&c->lock);
	while (clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, &ts) == EINTR)
		;
	pthread_mutex_lock(&c->lock);
}

static int commit(struct ternd_committer *c, const void *v, size_t n)
{
	if (!c->ops)
		return c->commit_fn(c->commit_ctx, v, n);
	if (c->lost_flags)
		return c->ops->commit_shared(c->st, v, n, c->lost_flags);
	return c->ops->commit(c->st, v, n);
}

/*
 * Under lock, before done advances: every lost change of the batch goes
 * to the lost list with its row read back (outside the lock: the store
 * is ours). A full list waits for the daemon to take; a stopping
 * daemon takes no more, so the batch then fails rather than let a reply
 * for a lost change out.
 */
static int publish_lost(struct ternd_committer *c, const struct ternd_change *v,
			size_t n, uint64_t ticket)
{
	struct ternd_committer_lost e;

	for (size_t i = 0; i < n; i++) {
		if (!c->lost_flags[i])
			continue;
		c->stats.lost++;
		memset(&e, 0, sizeof(e));
		e.ticket = ticket;
		pthread_mutex_unlock(&c->lock);
		e.have_row =
			c->ops->lookup(c->st, v[i].lease.addr, &e.row) == 0;
		e.row.addr = v[i].lease.addr;
		pthread_mutex_lock(&c->lock);
		while (c->n_lost == TERND_COMMITTER_LOST_MAX) {
			if (c->stopping)
				return -EOVERFLOW;
			notify(c);
			pthread_cond_wait(&c->taken, &c->lock);
		}
		c->lost[c->n_lost++] = e;
	}
	return 0;
}

static void *committer_main(void *arg)
{
	struct ternd_committer *c = arg;
	unsigned char *batch;
	int64_t last_start = 0, took;
	uint64_t ticket;
	size_t n;
	int r, first;

	pthread_mutex_lock(&c->lock);
	for (;;) {
		while (c->queued == 0 && !c->stopping)
			pthread_cond_wait(&c->work, &c->lock);
		if (c->queued == 0)
			break; /* stopping, and everything is flushed */
		gather(c, last_start);
		last_start = mono_ns();

		/* Swap buffers: submissions go on into the other one while
		 * this batch commits without the lock (pipelining). */
		batch = c->queue;
		n = c->queued;
		c->queue = c->spare;
		c->spare = batch;
		c->queued = 0;
		ticket = c->next++;
		c->stats.queue_ns += (uint64_t)(last_start - c->first_ns);
		pthread_mutex_unlock(&c->lock);

		first = r = commit(c, batch, n);
		if (r < 0) {
			retry_pause();
			r = commit(c, batch, n);
		}
		took = mono_ns() - last_start;
		if (r >= 0 && c->ops) {
			ternd_committed_fn fn;
			void *fctx;

			pthread_mutex_lock(&c->lock);
			fn = c->on_commit;
			fctx = c->on_commit_ctx;
			pthread_mutex_unlock(&c->lock);
			if (fn)
				fn(fctx, (const struct ternd_change *)batch, n,
				   c->lost_flags);
		}

		pthread_mutex_lock(&c->lock);
		c->stats.commit_ns += (uint64_t)took;
		if ((uint64_t)took > c->stats.commit_ns_max)
			c->stats.commit_ns_max = (uint64_t)took;
		if (r >= 0 && c->lost_flags)
			r = publish_lost(c, (const struct ternd_change *)batch,
					 n, ticket);
		if (first < 0) {
			c->stats.retries++;
			c->stats.last_error = first;
		}
		if (r < 0) {
			c->stats.last_error = r;
			c->failed = r;
			pthread_cond_broadcast(&c->durable);
			notify(c);
			break;
		}
		c->done = ticket;
		c->stats.batches++;
		c->stats.committed += n;
		if (n > c->stats.max_batch)
			c->stats.max_batch = n;
		pthread_cond_broadcast(&c->durable);
		/* After done is published: a reader woken by the fd sees it. */
		notify(c);
	}
	pthread_mutex_unlock(&c->lock);
	return NULL;
}

static void committer_destroy(struct ternd_committer *c)
{
	if (c->have & HAVE_DURABLE)
		pthread_cond_destroy(&c->durable);
	if (c->have & HAVE_WORK)
		pthread_cond_destroy(&c->work);
	if (c->have & HAVE_LOCK)
		pthread_mutex_destroy(&c->lock);
	if (c->efd >= 0)
		close(c->efd);
	if (c->have & HAVE_TAKEN)
		pthread_cond_destroy(&c->taken);
	free(c->queue);
	free(c->spare);
	free(c->lost_flags);
	free(c->lost);
	free(c);
}

/* A committer of max_queued changes of elem bytes; ops or fn commits. */
static int committer_start(const struct ternd_store_ops *ops,
			   struct ternd_store *st, ternd_commit_fn fn,
			   void *fn_ctx, size_t elem, size_t max_queued,
			   struct ternd_committer **ret)
{
	struct ternd_committer *c = NULL;
	sigset_t all, old;
	int r;

	if (max_queued == 0)
		max_queued = TERND_COMMITTER_QUEUE_DEFAULT;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->efd = -1;
	c->ops = ops;
	c->st = st;
	c->commit_fn = fn;
	c->commit_ctx = fn_ctx;
	c->elem = elem;
	c->cap = max_queued;
	c->next = 1;
	/* Both buffers up front: submit never allocates. */
	c->queue = calloc(max_queued, elem);
	c->spare = calloc(max_queued, elem);
	if (!c->queue || !c->spare) {
		r = -ENOMEM;
		goto out;
	}
	c->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (c->efd < 0) {
		r = -errno;
		goto out;
	}
	r = -pthread_mutex_init(&c->lock, NULL);
	if (r < 0)
		goto out;
	c->have |= HAVE_LOCK;
	r = -pthread_cond_init(&c->work, NULL);
	if (r < 0)
		goto out;
	c->have |= HAVE_WORK;
	r = -pthread_cond_init(&c->durable, NULL);
	if (r < 0)
		goto out;
	c->have |= HAVE_DURABLE;
	r = -pthread_cond_init(&c->taken, NULL);
	if (r < 0)
		goto out;
	c->have |= HAVE_TAKEN;
	if (ops && ops->commit_shared) {
		c->lost_flags = calloc(max_queued, 1);
		c->lost = calloc(TERND_COMMITTER_LOST_MAX, sizeof(*c->lost));
		if (!c->lost_flags || !c->lost) {
			r = -ENOMEM;
			goto out;
		}
	}

	/* The thread inherits our mask: with every signal blocked, process
	 * signals (SIGTERM, SIGHUP, ...) reach the daemon's own threads and
	 * never interrupt a commit. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	r = -pthread_create(&c->thread, NULL, committer_main, c);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r < 0)
		goto out;
	c->have |= HAVE_THREAD;
	*ret = c;
	c = NULL;
	r = 0;
out:
	if (c)
		committer_destroy(c);
	return r;
}

int ternd_committer_new(const struct ternd_store_ops *ops,
			struct ternd_store *st, size_t max_queued,
			struct ternd_committer **ret)
{
	if (!ops || !ops->commit || !st || !ret)
		return -EINVAL;
	return committer_start(ops, st, NULL, NULL, sizeof(struct ternd_change),
			       max_queued, ret);
}

int ternd_committer_new_fn(ternd_commit_fn fn, void *ctx, size_t elem_size,
			   size_t max_queued, struct ternd_committer **ret)
{
	if (!fn || !elem_size || !ret)
		return -EINVAL;
	return committer_start(NULL, NULL, fn, ctx, elem_size, max_queued, ret);
}

int ternd_committer_submit(struct ternd_committer *c,
			   const struct ternd_change *v, size_t n,
			   uint64_t *ret_ticket)
{
	return ternd_committer_submit_any(c, v, n, ret_ticket);
}

int ternd_committer_submit_any(struct ternd_committer *c, const void *v,
			       size_t n, uint64_t *ret_ticket)
{
	int r;

	if (!c || !ret_ticket || (n && !v))
		return -EINVAL;
	pthread_mutex_lock(&c->lock);
	/* -EIO, not the cause: a store error such as -EINVAL or -EAGAIN must
	 * not read as one of submit's own answers. error() has the cause. */
	if (c->failed) {
		r = -EIO;
		goto out;
	}
	if (c->stopping) {
		r = -ESHUTDOWN;
		goto out;
	}
	if (n > c->cap) {
		r = -EINVAL;
		goto out;
	}
	if (n > c->cap - c->queued) {
		c->stats.rejected++;
		r = -EAGAIN;
		goto out;
	}
	if (n == 0) {
		*ret_ticket = c->queued ? c->next : c->next - 1;
		r = 0;
		goto out;
	}
	memcpy(c->queue + c->queued * c->elem, v, n * c->elem);
	/* The thread sleeps only on an empty queue: wake it on the first
	 * change of a batch, not on every one. */
	if (c->queued == 0) {
		pthread_cond_signal(&c->work);
		c->first_ns = mono_ns();
	}
	c->queued += n;
	c->stats.submitted += n;
	*ret_ticket = c->next;
	r = 0;
out:
	pthread_mutex_unlock(&c->lock);
	return r;
}

int ternd_committer_fd(const struct ternd_committer *c)
{
	return c ? c->efd : -EINVAL;
}

uint64_t ternd_committer_done(struct ternd_committer *c)
{
	uint64_t v;
	ssize_t rd;

	if (!c)
		return 0;
	/* Clear first, read done second: an advance after the read re-arms
	 * the fd, so the caller's poll never misses one. */
	rd = read(c->efd, &v, sizeof(v));
	(void)rd;
	pthread_mutex_lock(&c->lock);
	v = c->done;
	pthread_mutex_unlock(&c->lock);
	return v;
}

int ternd_committer_wait(struct ternd_committer *c, uint64_t ticket)
{
	uint64_t issued;
	int r;

	if (!c)
		return -EINVAL;
	pthread_mutex_lock(&c->lock);
	issued = c->queued ? c->next : c->next - 1;
	if (ticket > issued) {
		r = -EINVAL;
		goto out;
	}
	while (c->done < ticket && !c->failed)
		pthread_cond_wait(&c->durable, &c->lock);
	r = c->done >= ticket ? 0 : -EIO;
out:
	pthread_mutex_unlock(&c->lock);
	return r;
}

int ternd_committer_error(struct ternd_committer *c)
{
	int r;

	if (!c)
		return -EINVAL;
	pthread_mutex_lock(&c->lock);
	r = c->failed;
	pthread_mutex_unlock(&c->lock);
	return r;
}

void ternd_committer_stats(struct ternd_committer *c,
			   struct ternd_committer_stats *ret)
{
	if (!c || !ret)
		return;
	pthread_mutex_lock(&c->lock);
	*ret = c->stats;
	pthread_mutex_unlock(&c->lock);
}

size_t ternd_committer_take_lost(struct ternd_committer *c,
				 struct ternd_committer_lost *out, size_t max)
{
	size_t n;

	if (!c || !out)
		return 0;
	pthread_mutex_lock(&c->lock);
	n = c->n_lost < max ? c->n_lost : max;
	if (n) {
		memcpy(out, c->lost, n * sizeof(*out));
		memmove(c->lost, c->lost + n,
			(c->n_lost - n) * sizeof(*c->lost));
		c->n_lost -= n;
		pthread_cond_signal(&c->taken);
	}
	pthread_mutex_unlock(&c->lock);
	return n;
}

int ternd_committer_stop(struct ternd_committer *c)
{
	if (!c)
		return -EINVAL;
	if ((c->have & HAVE_THREAD) && !c->joined) {
		pthread_mutex_lock(&c->lock);
		c->stopping = true;
		pthread_cond_signal(&c->work);
		pthread_cond_signal(&c->taken);
		pthread_mutex_unlock(&c->lock);
		pthread_join(c->thread, NULL);
		c->joined = true;
	}
	/* The thread is gone: nothing else writes failed any more. */
	return c->failed;
}

void ternd_committer_free(struct ternd_committer *c)
{
	if (!c)
		return;
	ternd_committer_stop(c);
	committer_destroy(c);
}

void ternd_committer_on_commit(struct ternd_committer *c, ternd_committed_fn fn,
			       void *ctx)
{
	pthread_mutex_lock(&c->lock);
	c->on_commit = fn;
	c->on_commit_ctx = ctx;
	pthread_mutex_unlock(&c->lock);
}

void ternd_committer_set_interval(struct ternd_committer *c,
				  uint32_t interval_us)
{
	pthread_mutex_lock(&c->lock);
	c->interval_us = interval_us;
	pthread_mutex_unlock(&c->lock);
}

/* Changes submitted at once by ternd_committer_submit_wait(): well under
 * any queue bound, so a retry after a wait always fits. */
#define SUBMIT_WAIT_CHUNK 1024

int ternd_committer_submit_wait(struct ternd_committer *c,
				const struct ternd_change *v, size_t n,
				uint64_t *ret_ticket)
{
	return ternd_committer_submit_wait_any(c, v, n, ret_ticket);
}

int ternd_committer_submit_wait_any(struct ternd_committer *c, const void *v,
				    size_t n, uint64_t *ret_ticket)
{
	uint64_t ticket = 0;
	size_t off = 0;
	int r;

	if (!c || (!v && n))
		return -EINVAL;
	do {
		size_t k = n - off < SUBMIT_WAIT_CHUNK ? n - off
						       : SUBMIT_WAIT_CHUNK;

		const void *part =
			v ? (const unsigned char *)v + off * c->elem : NULL;

		r = ternd_committer_submit_any(c, part, k, &ticket);
		if (r == -EAGAIN) {
			/* The queue is full of the clients' changes: wait
			 * until it has been committed, then once more. */
			uint64_t t;

			if ((r = ternd_committer_submit_any(c, NULL, 0, &t)) <
				    0 ||
			    (r = ternd_committer_wait(c, t)) < 0)
				return r;
			r = ternd_committer_submit_any(c, part, k, &ticket);
		}
		if (r < 0)
			return r;
		off += k;
	} while (off < n);
	if ((r = ternd_committer_wait(c, ticket)) < 0)
		return r;
	*ret_ticket = ticket;
	return 0;
}
