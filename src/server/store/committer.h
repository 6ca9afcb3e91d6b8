/* ternd group commit: queued lease changes made durable in batches. */
#ifndef TERND_COMMITTER_H
#define TERND_COMMITTER_H

#include <stddef.h>
#include <stdint.h>

#include "server/engine4/lease.h"
#include "server/store/store.h"

/*
 * One fsync per ACK would cap ternd at a few thousand leases/s. Instead the
 * I/O thread queues the changes behind each ACK and holds the ACK; the
 * committer thread takes everything queued so far, commits it as one
 * transaction (one fsync) and publishes the batch's ticket as done. While
 * a commit runs, new submissions gather into the next batch, so the batch
 * grows with the load and fsync latency never bounds throughput.
 *
 * Tickets. Every batch has a ticket: 1, 2, 3, ... in commit order. submit
 * tells the caller which batch its changes joined; consecutive submissions
 * get equal tickets (same batch, same transaction) or larger ones. done is
 * the ticket of the last durable batch, so every submission with
 * ticket <= done is durable: the I/O thread releases held ACKs in ticket
 * order.
 *
 * Typical I/O loop:
 *
 *	r = ternd_committer_submit(c, changes, n, &ticket);
 *	if (r == -EAGAIN)	   drop the request (the client retransmits)
 *	else if (r < 0)		   store failed: stop ACKing, log
 *	else			   hold the ACK under ticket
 *	...
 *	when ternd_committer_fd(c) polls readable:
 *		done = ternd_committer_done(c);
 *		send every held ACK with ticket <= done;
 *		if (ternd_committer_error(c) < 0) stop ACKing, log;
 *
 * Bounded queue: at most max_queued changes wait for the next batch. When
 * a submission does not fit, submit returns -EAGAIN and queues nothing:
 * the daemon drops that request (counted) rather than grow memory or
 * block its I/O thread; DHCP clients retransmit. Memory: two buffers of
 * max_queued changes (~250 bytes each) are allocated at creation, never
 * per submission; untouched pages cost no RAM.
 *
 * Failure: if a commit fails, the thread waits briefly and retries the
 * same batch once (the store's commit is all-or-nothing, so a retry is
 * safe). If that fails too, the committer is failed for good: the batch
 * and everything queued are never committed, done stops advancing, the fd
 * is signalled, later submissions and waits return -EIO and
 * ternd_committer_error() returns the store's error (the cause, to log).
 * The daemon's policy is to stop ACKing. To recover, stop and free
 * the committer and start over from a reopened store.
 *
 * Threads: the store belongs to the committer thread from create until
 * ternd_committer_stop() returns (backends are single-threaded): do not
 * use it meanwhile. The committer does not close it. submit, fd, done,
 * wait, error and stats may be called from any thread; stop and free by
 * the owner, once. The thread blocks all signals, so the daemon's signal
 * handling stays on its own threads.
 */
struct ternd_committer;

/* Default queue bound, in changes (~16 MB per buffer). */
#define TERND_COMMITTER_QUEUE_DEFAULT 65536

struct ternd_committer_stats {
	uint64_t submitted; /* changes accepted */
	uint64_t rejected;  /* submissions refused with -EAGAIN */
	uint64_t batches;   /* transactions committed */
	uint64_t committed; /* changes committed */
	uint64_t max_batch; /* largest batch committed, in changes */
	uint64_t retries;   /* commits that failed once and were retried */
	int last_error;	    /* error of the last failed commit attempt, or 0 */
	uint64_t lost;	    /* changes a shared database refused */
	/* Where the time goes (CLOCK_MONOTONIC, ns), for the stats log and
	 * bench/pg.sh: the store's commit calls, and how long batches wait
	 * in the queue from their first change to their commit's start. */
	uint64_t commit_ns;	/* sum over committed batches */
	uint64_t commit_ns_max; /* slowest commit */
	uint64_t queue_ns;	/* sum of first-change-to-commit waits */
};

/*
 * Start a committer thread for an open store. max_queued is the queue
 * bound in changes (0: TERND_COMMITTER_QUEUE_DEFAULT). Returns 0, -EINVAL,
 * -ENOMEM, or the errno of eventfd / pthread_create.
 */
int ternd_committer_new(const struct ternd_store_ops *ops,
			struct ternd_store *st, size_t max_queued,
			struct ternd_committer **ret);

/*
 * A committer of other records (the DHCPv6 store's changes): each batch
 * goes to fn(ctx, v, n) on the committer thread, v an array of n records
 * of elem_size bytes; fn commits them in one durable transaction, all or
 * nothing, and returns 0 or -errno. Submit with ternd_committer_submit_any
 * and ternd_committer_submit_wait_any (n counts records); everything else
 * is as above. ctx belongs to the committer thread until stop.
 */
typedef int (*ternd_commit_fn)(void *ctx, const void *v, size_t n);
int ternd_committer_new_fn(ternd_commit_fn fn, void *ctx, size_t elem_size,
			   size_t max_queued, struct ternd_committer **ret);
int ternd_committer_submit_any(struct ternd_committer *c, const void *v,
			       size_t n, uint64_t *ret_ticket);
int ternd_committer_submit_wait_any(struct ternd_committer *c, const void *v,
				    size_t n, uint64_t *ret_ticket);

/*
 * Queue n changes (copied; v may be reused on return) for the next batch
 * and set *ret_ticket to that batch's ticket. n == 0 queues nothing and
 * returns the ticket of the last batch that holds anything submitted so
 * far (0 if none): a barrier. Returns 0; -EAGAIN queue full (nothing
 * queued); -EINVAL n larger than the whole queue; -ESHUTDOWN after stop;
 * -EIO once the committer failed. *ret_ticket is untouched on failure.
 */
int ternd_committer_submit(struct ternd_committer *c,
			   const struct ternd_change *v, size_t n,
			   uint64_t *ret_ticket);

/*
 * An eventfd that polls readable when done advanced or the committer
 * failed. It stays readable until ternd_committer_done() is called, which
 * clears it before reading done (so an advance in between re-arms it).
 */
/*
 * Group-commit window: a commit starts at least interval_us after the
 * previous one began, so batches grow under load and fsyncs stay at most
 * 1e6/interval_us per second (0, the default, commits as soon as the
 * previous commit ended). An ACK waits at most about one interval more.
 */
void ternd_committer_set_interval(struct ternd_committer *c,
				  uint32_t interval_us);

int ternd_committer_fd(const struct ternd_committer *c);

/* The highest durable ticket (0 before the first commit). */
uint64_t ternd_committer_done(struct ternd_committer *c);

/*
 * Block until ticket is durable. For tests, tools and shutdown paths; the
 * I/O thread polls the fd instead. Returns 0; -EINVAL for a ticket not
 * issued yet; -EIO if the committer failed first.
 */
int ternd_committer_wait(struct ternd_committer *c, uint64_t ticket);

/*
 * Submit n changes (in parts when many) and block until they are durable,
 * for operator commands answered only once their change is on disk (the
 * control API's lease commands): a full queue is waited out once. n == 0
 * waits for everything submitted so far. Sets *ret_ticket to the last
 * part's ticket. Returns 0 or what submit / wait returned.
 */
int ternd_committer_submit_wait(struct ternd_committer *c,
				const struct ternd_change *v, size_t n,
				uint64_t *ret_ticket);

/* 0 while healthy; once failed, the store's negative errno (the cause). */
int ternd_committer_error(struct ternd_committer *c);

void ternd_committer_stats(struct ternd_committer *c,
			   struct ternd_committer_stats *ret);

/*
 * Commit everything queued (clean shutdown), then end the thread. Later
 * submissions return -ESHUTDOWN; done, wait, error and stats keep
 * working. Returns 0 when everything submitted is durable, or the error
 * that failed the committer. Idempotent.
 */
int ternd_committer_stop(struct ternd_committer *c);

/*
 * Shared databases (the store has commit_shared): a change the database
 * refused because another server's client holds its address. It is
 * published before its batch's ticket counts as done, so after reading
 * done the caller takes every lost change of the batches up to it and
 * must not send the replies those changes were for. row is the address's
 * row as the database had it just after (have_row false when it could
 * not be read), for the engine to learn who holds the address.
 */
struct ternd_committer_lost {
	uint64_t ticket;
	bool have_row;
	struct ternd_lease row; /* row.addr is always set */
};
#define TERND_COMMITTER_LOST_MAX 4096

/* Move up to max lost changes (oldest first) into out; returns how many.
 * While TERND_COMMITTER_LOST_MAX wait untaken the committer waits. */
size_t ternd_committer_take_lost(struct ternd_committer *c,
				 struct ternd_committer_lost *out, size_t max);

/*
 * Called on the committer thread after each batch of a store committer
 * is durable, before its ticket counts as done: v[0..n) as committed,
 * lost (NULL unless shared) flags the changes that did not apply. For a
 * daemon's record of what the store holds (pgstore.c). fn must not call
 * the committer. Set it before it matters; NULL unsets.
 */
typedef void (*ternd_committed_fn)(void *ctx, const struct ternd_change *v,
				   size_t n, const uint8_t *lost);
void ternd_committer_on_commit(struct ternd_committer *c, ternd_committed_fn fn,
			       void *ctx);

/* Stop (flushing) if not yet stopped, then free. Accepts NULL. */
void ternd_committer_free(struct ternd_committer *c);

#endif
