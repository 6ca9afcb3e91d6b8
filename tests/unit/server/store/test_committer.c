/* Unit tests for group commit: tickets, batching, queue bound, failure. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "server/store/committer.h"
#include "server/store/store.h"

/*
 * A store that records what the committer really hands it: the size of
 * every transaction and the addresses in order. It can hold a commit open
 * until the test releases it (to pile submissions up behind it), slow
 * every commit down, or fail the next few.
 */
#define MAX_BATCHES 4096

struct ternd_store {
	pthread_mutex_t lock;
	pthread_cond_t cv;
	size_t sizes[MAX_BATCHES];
	size_t nbatches;
	size_t total;
	uint32_t next_addr; /* changes must arrive in submit order */
	bool order_ok;
	bool hold;    /* block the next commit until released */
	bool holding; /* a commit is blocked now */
	long delay_us;
	int fail_next;
	int fail_err; /* what a failing commit returns (default -EIO) */
	size_t calls;
};

static void fake_init(struct ternd_store *st)
{
	memset(st, 0, sizeof(*st));
	pthread_mutex_init(&st->lock, NULL);
	pthread_cond_init(&st->cv, NULL);
	st->order_ok = true;
}

static void fake_destroy(struct ternd_store *st)
{
	pthread_cond_destroy(&st->cv);
	pthread_mutex_destroy(&st->lock);
}

static int fake_commit(struct ternd_store *st, const struct ternd_change *v,
		       size_t n)
{
	int r = 0;

	pthread_mutex_lock(&st->lock);
	st->calls++;
	if (st->hold) {
		st->holding = true;
		pthread_cond_broadcast(&st->cv);
		while (st->hold)
			pthread_cond_wait(&st->cv, &st->lock);
		st->holding = false;
	}
	if (st->fail_next > 0) {
		st->fail_next--;
		r = st->fail_err ? st->fail_err : -EIO;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		if (v[i].lease.addr != st->next_addr)
			st->order_ok = false;
		st->next_addr = v[i].lease.addr + 1;
	}
	if (st->nbatches < MAX_BATCHES)
		st->sizes[st->nbatches] = n;
	st->nbatches++;
	st->total += n;
out:
	pthread_mutex_unlock(&st->lock);
	if (r == 0 && st->delay_us)
		usleep((useconds_t)st->delay_us);
	return r;
}

static const struct ternd_store_ops fake_ops = {
	.name = "fake",
	.commit = fake_commit,
};

static void wait_holding(struct ternd_store *st)
{
	pthread_mutex_lock(&st->lock);
	while (!st->holding)
		pthread_cond_wait(&st->cv, &st->lock);
	pthread_mutex_unlock(&st->lock);
}

static void release(struct ternd_store *st)
{
	pthread_mutex_lock(&st->lock);
	st->hold = false;
	pthread_cond_broadcast(&st->cv);
	pthread_mutex_unlock(&st->lock);
}

static void set_hold(struct ternd_store *st)
{
	pthread_mutex_lock(&st->lock);
	st->hold = true;
	pthread_mutex_unlock(&st->lock);
}

/* n changes for consecutive addresses from *addr on. */
static void changes(struct ternd_change *v, size_t n, uint32_t *addr)
{
	for (size_t i = 0; i < n; i++) {
		memset(&v[i], 0, sizeof(v[i]));
		v[i].op = TERND_CHANGE_UPSERT;
		v[i].lease.addr = (*addr)++;
		v[i].lease.state = TERND_LEASE_BOUND;
	}
}

static bool fd_readable(int fd)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};

	return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

static void test_tickets_and_done(void **state)
{
	struct ternd_store st;
	struct ternd_committer *c = NULL;
	struct ternd_committer_stats s;
	struct ternd_change ch[3];
	uint64_t t, prev = 0;
	uint32_t addr = 0;

	(void)state;
	fake_init(&st);
	st.delay_us = 200;
	assert_int_equal(ternd_committer_new(&fake_ops, &st, 0, &c), 0);
	assert_true(ternd_committer_fd(c) >= 0);
	assert_int_equal(ternd_committer_done(c), 0);
	/* Barrier on an empty committer: nothing to wait for. */
	assert_int_equal(ternd_committer_submit(c, NULL, 0, &t), 0);
	assert_int_equal(t, 0);
	assert_int_equal(ternd_committer_wait(c, 0), 0);

	for (int i = 0; i < 1000; i++) {
		changes(ch, 1 + (size_t)i % 3, &addr);
		assert_int_equal(
			ternd_committer_submit(c, ch, 1 + (size_t)i % 3, &t),
			0);
		assert_true(t >= 1 && t >= prev);
		prev = t;
		if (i % 97 == 0)
			usleep(300);
	}
	/* A ticket not issued yet cannot be waited for. */
	assert_int_equal(ternd_committer_wait(c, t + 1), -EINVAL);
	assert_int_equal(ternd_committer_wait(c, t), 0);
	/* The fd says done advanced; done() reads it and clears it. */
	assert_true(fd_readable(ternd_committer_fd(c)));
	assert_int_equal(ternd_committer_done(c), t);
	assert_false(fd_readable(ternd_committer_fd(c)));
	/* Barrier after everything is durable returns the last ticket. */
	assert_int_equal(ternd_committer_submit(c, NULL, 0, &prev), 0);
	assert_int_equal(prev, t);

	ternd_committer_stats(c, &s);
	assert_int_equal(s.submitted, addr);
	assert_int_equal(s.committed, addr);
	/* Tickets have no gaps: one per transaction. */
	assert_int_equal(s.batches, t);
	assert_int_equal(st.nbatches, t);
	assert_int_equal(st.total, addr);
	assert_true(st.order_ok);
	assert_int_equal(s.retries, 0);
	assert_int_equal(ternd_committer_error(c), 0);
	assert_int_equal(ternd_committer_stop(c), 0);
	ternd_committer_free(c);
	fake_destroy(&st);
}

static void test_coalesce_during_slow_commit(void **state)
{
	struct ternd_store st;
	struct ternd_committer *c = NULL;
	struct ternd_committer_stats s;
	struct ternd_change ch[1];
	uint64_t t;
	uint32_t addr = 0;

	(void)state;
	fake_init(&st);
	assert_int_equal(ternd_committer_new(&fake_ops, &st, 0, &c), 0);
	set_hold(&st);
	changes(ch, 1, &addr);
	assert_int_equal(ternd_committer_submit(c, ch, 1, &t), 0);
	assert_int_equal(t, 1);
	wait_holding(&st); /* batch 1 is inside commit() now */

	for (int i = 0; i < 500; i++) {
		changes(ch, 1, &addr);
		assert_int_equal(ternd_committer_submit(c, ch, 1, &t), 0);
		assert_int_equal(t, 2); /* all join the next batch */
	}
	assert_int_equal(ternd_committer_done(c), 0);
	/* A barrier covers the pending batch. */
	assert_int_equal(ternd_committer_submit(c, NULL, 0, &t), 0);
	assert_int_equal(t, 2);
	release(&st);
	assert_int_equal(ternd_committer_wait(c, 2), 0);
	assert_int_equal(ternd_committer_done(c), 2);

	/* Two transactions for 501 submissions: 1, then the other 500. */
	assert_int_equal(st.nbatches, 2);
	assert_int_equal(st.sizes[0], 1);
	assert_int_equal(st.sizes[1], 500);
	assert_true(st.order_ok);
	ternd_committer_stats(c, &s);
	assert_int_equal(s.batches, 2);
	assert_int_equal(s.max_batch, 500);
	ternd_committer_free(c);
	fake_destroy(&st);
}

static void test_queue_full(void **state)
{
	struct ternd_store st;
	struct ternd_committer *c = NULL;
	struct ternd_committer_stats s;
	struct ternd_change ch[9];
	uint64_t t = 77;
	uint32_t addr = 0;

	(void)state;
	fake_init(&st);
	assert_int_equal(ternd_committer_new(&fake_ops, &st, 8, &c), 0);
	set_hold(&st);
	changes(ch, 1, &addr);
	assert_int_equal(ternd_committer_submit(c, ch, 1, &t), 0);
	wait_holding(&st); /* in flight: the queue is empty again */

	changes(ch, 5, &addr);
	assert_int_equal(ternd_committer_submit(c, ch, 5, &t), 0);
	changes(ch, 3, &addr);
	assert_int_equal(ternd_committer_submit(c, ch, 3, &t), 0);
	assert_int_equal(t, 2);
	/* Full: refused whole, nothing queued, ticket untouched. */
	t = 77;
	changes(ch, 1, &addr);
	assert_int_equal(ternd_committer_submit(c, ch, 1, &t), -EAGAIN);
	assert_int_equal(t, 77);
	/* Larger than the queue can ever hold. */
	assert_int_equal(ternd_committer_submit(c, ch, 9, &t), -EINVAL);
	ternd_committer_stats(c, &s);
	assert_int_equal(s.rejected, 1);
	assert_int_equal(s.submitted, 9);

	release(&st);
	assert_int_equal(ternd_committer_wait(c, 2), 0);
	/* Room again once the batch went out. */
	addr = 9; /* the refused change was never queued */
	changes(ch, 8, &addr);
	assert_int_equal(ternd_committer_submit(c, ch, 8, &t), 0);
	assert_int_equal(ternd_committer_wait(c, t), 0);
	assert_int_equal(st.total, 17);
	assert_true(st.order_ok);
	ternd_committer_free(c);
	fake_destroy(&st);
}

static void test_shutdown_flushes(void **state)
{
	struct ternd_store st;
	struct ternd_committer *c = NULL;
	struct ternd_change ch[10];
	uint64_t t = 0, t2;
	uint32_t addr = 0;

	(void)state;
	fake_init(&st);
	st.delay_us = 5000; /* batches queue up behind a slow disk */
	assert_int_equal(ternd_committer_new(&fake_ops, &st, 0, &c), 0);
	for (int i = 0; i < 50; i++) {
		changes(ch, 10, &addr);
		assert_int_equal(ternd_committer_submit(c, ch, 10, &t), 0);
		if (i % 10 == 0)
			usleep(2000);
	}
	assert_true(ternd_committer_done(c) < t);
	assert_int_equal(ternd_committer_stop(c), 0);
	/* Everything submitted before stop is durable. */
	assert_int_equal(st.total, 500);
	assert_int_equal(ternd_committer_done(c), t);
	assert_int_equal(ternd_committer_wait(c, t), 0);
	assert_true(st.order_ok);
	/* Stopped: no more submissions; stop again is harmless. */
	changes(ch, 1, &addr);
	assert_int_equal(ternd_committer_submit(c, ch, 1, &t2), -ESHUTDOWN);
	assert_int_equal(ternd_committer_stop(c), 0);
	ternd_committer_free(c);
	ternd_committer_free(NULL);
	fake_destroy(&st);
}

static void test_failure(void **state)
{
	struct ternd_store st;
	struct ternd_committer *c = NULL;
	struct ternd_committer_stats s;
	struct ternd_change ch[4];
	uint64_t t, t2;
	uint32_t addr = 0;

	(void)state;
	fake_init(&st);
	assert_int_equal(ternd_committer_new(&fake_ops, &st, 0, &c), 0);

	/* One failure: retried, the batch goes in, nobody has to care. */
	st.fail_next = 1;
	changes(ch, 2, &addr);
	assert_int_equal(ternd_committer_submit(c, ch, 2, &t), 0);
	assert_int_equal(ternd_committer_wait(c, t), 0);
	assert_int_equal(ternd_committer_error(c), 0);
	ternd_committer_stats(c, &s);
	assert_int_equal(s.retries, 1);
	assert_int_equal(s.last_error, -EIO);
	assert_int_equal(st.total, 2);
	assert_int_equal(st.calls, 2);
	(void)ternd_committer_done(c);

	/* Two in a row: the store is failed for good. The cause is kept for
	 * the log; submit and wait say -EIO, which cannot be mistaken for
	 * "queue full" or "bad argument". */
	pthread_mutex_lock(&st.lock);
	st.fail_next = 2;
	st.fail_err = -EAGAIN;
	pthread_mutex_unlock(&st.lock);
	changes(ch, 4, &addr);
	assert_int_equal(ternd_committer_submit(c, ch, 4, &t2), 0);
	assert_int_equal(ternd_committer_wait(c, t2), -EIO);
	assert_int_equal(ternd_committer_error(c), -EAGAIN);
	ternd_committer_stats(c, &s);
	assert_int_equal(s.retries, 2);
	assert_int_equal(s.last_error, -EAGAIN);
	/* The I/O thread is woken to notice; done did not move. */
	assert_true(fd_readable(ternd_committer_fd(c)));
	assert_int_equal(ternd_committer_done(c), t);
	assert_int_equal(ternd_committer_submit(c, ch, 1, &t2), -EIO);
	assert_int_equal(st.total, 2);
	assert_int_equal(st.calls, 4);
	assert_int_equal(ternd_committer_stop(c), -EAGAIN);
	ternd_committer_free(c);
	fake_destroy(&st);
}

/* on_commit sees exactly the committed changes, in order, before their
 * ticket is done; a failed commit's changes never. */
struct seen {
	struct ternd_committer *c;
	uint32_t addrs[64];
	size_t n;
	bool before_done; /* done was below every batch's ticket when seen */
	uint64_t next_ticket;
};

static void seen_cb(void *ctx, const struct ternd_change *v, size_t n,
		    const uint8_t *lost)
{
	struct seen *s = ctx;
	struct ternd_committer_stats cs;

	assert_null(lost); /* no commit_shared in the fake */
	ternd_committer_stats(s->c, &cs);
	if (cs.batches + 1 != s->next_ticket)
		s->before_done = false;
	s->next_ticket++;
	for (size_t i = 0; i < n && s->n < 64; i++)
		s->addrs[s->n++] = v[i].lease.addr;
}

static void test_on_commit(void **state)
{
	struct ternd_store st;
	struct ternd_committer *c = NULL;
	struct ternd_change ch[8];
	struct seen s = {.before_done = true, .next_ticket = 1};
	uint64_t t;
	uint32_t addr = 0;

	(void)state;
	fake_init(&st);
	assert_int_equal(ternd_committer_new(&fake_ops, &st, 0, &c), 0);
	s.c = c;
	ternd_committer_on_commit(c, seen_cb, &s);
	changes(ch, 3, &addr);
	assert_int_equal(ternd_committer_submit(c, ch, 3, &t), 0);
	assert_int_equal(ternd_committer_wait(c, t), 0);
	changes(ch, 5, &addr);
	assert_int_equal(ternd_committer_submit(c, ch, 5, &t), 0);
	assert_int_equal(ternd_committer_wait(c, t), 0);
	assert_int_equal(s.n, 8);
	for (uint32_t i = 0; i < 8; i++)
		assert_int_equal(s.addrs[i], i);
	assert_true(s.before_done);
	/* Failed for good: nothing of it is reported as committed. */
	pthread_mutex_lock(&st.lock);
	st.fail_next = 2;
	pthread_mutex_unlock(&st.lock);
	changes(ch, 2, &addr);
	assert_int_equal(ternd_committer_submit(c, ch, 2, &t), 0);
	assert_int_equal(ternd_committer_wait(c, t), -EIO);
	assert_int_equal(s.n, 8);
	ternd_committer_free(c);
	fake_destroy(&st);
}

static void test_bad_arguments(void **state)
{
	struct ternd_store st;
	struct ternd_committer *c = (struct ternd_committer *)0x1;
	struct ternd_store_ops no_commit = {.name = "x"};
	uint64_t t;

	(void)state;
	fake_init(&st);
	assert_int_equal(ternd_committer_new(NULL, &st, 0, &c), -EINVAL);
	assert_int_equal(ternd_committer_new(&fake_ops, NULL, 0, &c), -EINVAL);
	assert_int_equal(ternd_committer_new(&no_commit, &st, 0, &c), -EINVAL);
	assert_int_equal(ternd_committer_new(&fake_ops, &st, 0, NULL), -EINVAL);
	assert_ptr_equal(c, (struct ternd_committer *)0x1);
	c = NULL;
	assert_int_equal(ternd_committer_new(&fake_ops, &st, 4, &c), 0);
	assert_int_equal(ternd_committer_submit(c, NULL, 1, &t), -EINVAL);
	assert_int_equal(ternd_committer_submit(NULL, NULL, 0, &t), -EINVAL);
	assert_int_equal(ternd_committer_fd(NULL), -EINVAL);
	ternd_committer_free(c);
	fake_destroy(&st);
}

/* Producers on several threads at once (TSan's playground): every
 * change committed exactly once, tickets never go back per producer. */
#define PRODUCERS 4
#define PER_PROD  20000

struct prod {
	struct ternd_committer *c;
	uint64_t last;
	int err;
};

static void *producer(void *arg)
{
	struct prod *p = arg;
	struct ternd_change ch;
	uint64_t t;
	int r;

	memset(&ch, 0, sizeof(ch));
	ch.op = TERND_CHANGE_UPSERT;
	for (int i = 0; i < PER_PROD; i++) {
		do {
			r = ternd_committer_submit(p->c, &ch, 1, &t);
			if (r == -EAGAIN)
				usleep(100);
		} while (r == -EAGAIN);
		if (r < 0 || t < p->last) {
			p->err = r < 0 ? r : -ERANGE;
			break;
		}
		p->last = t;
		if (i % 1000 == 0)
			(void)ternd_committer_done(p->c);
	}
	return NULL;
}

static int count_commit(struct ternd_store *st, const struct ternd_change *v,
			size_t n)
{
	(void)v;
	pthread_mutex_lock(&st->lock);
	st->nbatches++;
	st->total += n;
	pthread_mutex_unlock(&st->lock);
	usleep(100); /* an fsync, roughly */
	return 0;
}

static void test_concurrent_producers(void **state)
{
	static const struct ternd_store_ops ops = {.name = "count",
						   .commit = count_commit};
	struct ternd_store st;
	struct ternd_committer *c = NULL;
	pthread_t th[PRODUCERS];
	struct prod p[PRODUCERS];
	uint64_t last = 0;

	(void)state;
	fake_init(&st);
	assert_int_equal(ternd_committer_new(&ops, &st, 1024, &c), 0);
	for (int i = 0; i < PRODUCERS; i++) {
		p[i] = (struct prod){.c = c};
		assert_int_equal(pthread_create(&th[i], NULL, producer, &p[i]),
				 0);
	}
	for (int i = 0; i < PRODUCERS; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(p[i].err, 0);
		if (p[i].last > last)
			last = p[i].last;
	}
	assert_int_equal(ternd_committer_wait(c, last), 0);
	assert_int_equal(ternd_committer_stop(c), 0);
	assert_int_equal(st.total, PRODUCERS * PER_PROD);
	assert_int_equal(st.nbatches, last);
	print_message("[ committer ] %d changes from %d threads in %zu"
		      " transactions\n",
		      PRODUCERS * PER_PROD, PRODUCERS, st.nbatches);
	ternd_committer_free(c);
	fake_destroy(&st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tickets_and_done),
		cmocka_unit_test(test_coalesce_during_slow_commit),
		cmocka_unit_test(test_queue_full),
		cmocka_unit_test(test_shutdown_flushes),
		cmocka_unit_test(test_failure),
		cmocka_unit_test(test_on_commit),
		cmocka_unit_test(test_bad_arguments),
		cmocka_unit_test(test_concurrent_producers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
