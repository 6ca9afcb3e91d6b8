/* ternd hooks: a bounded runner of child processes (run_script's script,
 * the forensic log's prerotate/postrotate): a few at once, a queue, a
 * deadline, every child reaped. */
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/log.h"
#include "server/hooks/internal.h"

/*
 * Kea spawns the script and forgets it (ProcessSpawn::spawn(dismiss));
 * the DHCP path never waits. ternd does the same with bounds Kea lacks: a
 * script that hangs is killed, a flood of events queues a bounded number
 * of runs and drops the rest (counted), and each child is reaped through
 * a pidfd, so ternd never waits on (or steals) another child's status.
 */

#define SLOW_POLL_MS 100 /* deadline checks when pidfds are missing */

struct job {
	char *path;
	char **argv;
	char **envp;
	char *mem; /* one block holding everything above */
};

struct child {
	pid_t pid; /* 0 = free slot */
	int pidfd; /* -1 when the kernel has none */
	int64_t deadline_ms;
	bool killed;
};

struct hk_runner {
	int ep, tfd;
	unsigned max_children, max_queue, timeout_ms;
	struct child *kids;
	struct job **q; /* ring */
	unsigned q_head, q_count;
	struct hk_runner_stats st;
};

static struct tern_ratelimit rl_run = TERN_RATELIMIT_INIT(10, 3);

static int pidfd_open_(pid_t pid)
{
#ifdef SYS_pidfd_open
	return (int)syscall(SYS_pidfd_open, pid, 0);
#else
	(void)pid;
	errno = ENOSYS;
	return -1;
#endif
}

static void job_free(struct job *j)
{
	if (j)
		free(j->mem);
	free(j);
}

/* One allocation for the path, the vectors and their strings. */
static struct job *job_new(const char *path, const char *const *argv,
			   const char *const *envp)
{
	size_t na = 0, ne = 0, bytes = strlen(path) + 1;
	struct job *j = calloc(1, sizeof(*j));
	char *p;

	if (!j)
		return NULL;
	for (; argv[na]; na++)
		bytes += strlen(argv[na]) + 1;
	for (; envp[ne]; ne++)
		bytes += strlen(envp[ne]) + 1;
	j->mem = malloc((na + ne + 2) * sizeof(char *) + bytes);
	if (!j->mem) {
		free(j);
		return NULL;
	}
	j->argv = (char **)j->mem;
	j->envp = j->argv + na + 1;
	p = (char *)(j->envp + ne + 1);
	j->path = strcpy(p, path);
	p += strlen(path) + 1;
	for (size_t i = 0; i < na; i++) {
		j->argv[i] = strcpy(p, argv[i]);
		p += strlen(argv[i]) + 1;
	}
	j->argv[na] = NULL;
	for (size_t i = 0; i < ne; i++) {
		j->envp[i] = strcpy(p, envp[i]);
		p += strlen(envp[i]) + 1;
	}
	j->envp[ne] = NULL;
	return j;
}

static void arm(struct hk_runner *r, int64_t now)
{
	struct itimerspec its = {0};
	int64_t next = INT64_MAX;

	for (unsigned i = 0; i < r->max_children; i++) {
		const struct child *c = &r->kids[i];
		int64_t t;

		if (!c->pid)
			continue;
		t = c->pidfd < 0 ? now + SLOW_POLL_MS : c->deadline_ms;
		if (c->killed && c->pidfd >= 0)
			continue; /* its pidfd tells when it is gone */
		if (t < next)
			next = t;
	}
	if (next != INT64_MAX) {
		int64_t d = next > now ? next - now : 1;

		its.it_value.tv_sec = d / 1000;
		its.it_value.tv_nsec = (d % 1000) * 1000000;
	}
	timerfd_settime(r->tfd, 0, &its, NULL);
}

static int start(struct hk_runner *r, struct child *c, struct job *j,
		 int64_t now)
{
	posix_spawnattr_t a;
	sigset_t none, all;
	pid_t pid;
	int rc;

	sigemptyset(&none);
	sigfillset(&all);
	sigdelset(&all, SIGKILL);
	sigdelset(&all, SIGSTOP);
	posix_spawnattr_init(&a);
	/* ternd blocks its signals for signalfd and may ignore SIGPIPE:
	 * the child starts with neither, as Kea's does. */
	posix_spawnattr_setflags(&a, POSIX_SPAWN_SETSIGMASK |
					     POSIX_SPAWN_SETSIGDEF);
	posix_spawnattr_setsigmask(&a, &none);
	posix_spawnattr_setsigdefault(&a, &all);
	rc = posix_spawn(&pid, j->path, NULL, &a, j->argv, j->envp);
	posix_spawnattr_destroy(&a);
	if (rc != 0) {
		r->st.failed++;
		tern_log_rl(&rl_run, LOG_WARNING, "cannot run %s: %s", j->path,
			    strerror(rc));
		return -rc;
	}
	r->st.run++;
	c->pid = pid;
	c->killed = false;
	c->deadline_ms = now + r->timeout_ms;
	c->pidfd = pidfd_open_(pid);
	if (c->pidfd >= 0) {
		struct epoll_event ev = {.events = EPOLLIN,
					 .data.u32 = (uint32_t)(c - r->kids)};

		if (epoll_ctl(r->ep, EPOLL_CTL_ADD, c->pidfd, &ev) < 0) {
			close(c->pidfd);
			c->pidfd = -1;
		}
	}
	return 0;
}

/* Start queued jobs while slots are free. */
static void drain(struct hk_runner *r, int64_t now)
{
	for (unsigned i = 0; i < r->max_children && r->q_count; i++) {
		struct job *j;

		if (r->kids[i].pid)
			continue;
		j = r->q[r->q_head];
		r->q_head = (r->q_head + 1) % r->max_queue;
		r->q_count--;
		start(r, &r->kids[i], j, now);
		job_free(j);
	}
}

/* Collect the children that ended, kill the ones past their deadline. */
static void reap(struct hk_runner *r, int64_t now)
{
	for (unsigned i = 0; i < r->max_children; i++) {
		struct child *c = &r->kids[i];
		int status;
		pid_t p;

		if (!c->pid)
			continue;
		p = waitpid(c->pid, &status, WNOHANG);
		if (p == c->pid || (p < 0 && errno == ECHILD)) {
			if (p == c->pid && !c->killed &&
			    (!WIFEXITED(status) || WEXITSTATUS(status) != 0))
				r->st.failed++;
			if (c->pidfd >= 0) {
				epoll_ctl(r->ep, EPOLL_CTL_DEL, c->pidfd, NULL);
				close(c->pidfd);
			}
			c->pid = 0;
			c->pidfd = -1;
			continue;
		}
		if (!c->killed && now >= c->deadline_ms) {
			kill(c->pid, SIGKILL);
			c->killed = true;
			r->st.killed++;
			tern_log_rl(&rl_run, LOG_WARNING,
				    "hook script (pid %d) still running after "
				    "%u ms: killed",
				    (int)c->pid, r->timeout_ms);
		}
	}
}

int hk_runner_new(unsigned max_children, unsigned max_queue,
		  unsigned timeout_ms, struct hk_runner **ret)
{
	struct hk_runner *r;
	struct epoll_event ev = {.events = EPOLLIN, .data.u32 = UINT32_MAX};
	int rc;

	if (!max_children || !max_queue || !timeout_ms || !ret)
		return -EINVAL;
	if (!(r = calloc(1, sizeof(*r))))
		return -ENOMEM;
	r->ep = r->tfd = -1;
	r->max_children = max_children;
	r->max_queue = max_queue;
	r->timeout_ms = timeout_ms;
	r->kids = calloc(max_children, sizeof(*r->kids));
	r->q = calloc(max_queue, sizeof(*r->q));
	if (!r->kids || !r->q) {
		rc = -ENOMEM;
		goto fail;
	}
	r->ep = epoll_create1(EPOLL_CLOEXEC);
	r->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (r->ep < 0 || r->tfd < 0 ||
	    epoll_ctl(r->ep, EPOLL_CTL_ADD, r->tfd, &ev) < 0) {
		rc = -errno;
		goto fail;
	}
	for (unsigned i = 0; i < max_children; i++)
		r->kids[i].pidfd = -1;
	*ret = r;
	return 0;
fail:
	hk_runner_free(r);
	return rc;
}

void hk_runner_free(struct hk_runner *r)
{
	if (!r)
		return;
	/* Running children are left to finish (Kea leaves them too); they
	 * are reaped by whoever inherits them. */
	for (unsigned i = 0; r->kids && i < r->max_children; i++)
		if (r->kids[i].pidfd >= 0)
			close(r->kids[i].pidfd);
	while (r->q && r->q_count) {
		job_free(r->q[r->q_head]);
		r->q_head = (r->q_head + 1) % r->max_queue;
		r->q_count--;
	}
	if (r->ep >= 0)
		close(r->ep);
	if (r->tfd >= 0)
		close(r->tfd);
	free(r->kids);
	free(r->q);
	free(r);
}

int hk_runner_spawn(struct hk_runner *r, const char *path,
		    const char *const *argv, const char *const *envp)
{
	int64_t now = tern_mono_ms();
	struct job *j;

	reap(r, now);
	if (r->q_count == r->max_queue) {
		r->st.dropped++;
		tern_log_rl(&rl_run, LOG_WARNING,
			    "hook scripts: %u waiting, %s not run", r->q_count,
			    path);
		return -ENOBUFS;
	}
	if (!(j = job_new(path, argv, envp))) {
		r->st.dropped++;
		return -ENOMEM;
	}
	r->q[(r->q_head + r->q_count) % r->max_queue] = j;
	r->q_count++;
	drain(r, now);
	arm(r, now);
	return 0;
}

int hk_runner_fd(const struct hk_runner *r)
{
	return r ? r->ep : -1;
}

void hk_runner_on_fd(struct hk_runner *r)
{
	struct epoll_event ev[16];
	int64_t now;
	uint64_t x;
	int n;

	n = epoll_wait(r->ep, ev, 16, 0);
	for (int i = 0; i < n; i++)
		if (ev[i].data.u32 == UINT32_MAX &&
		    read(r->tfd, &x, sizeof(x)) < 0 && errno != EAGAIN)
			tern_log(LOG_WARNING, "hooks timer: %s",
				 strerror(errno));
	now = tern_mono_ms();
	reap(r, now);
	drain(r, now);
	arm(r, now);
}

void hk_runner_stats(const struct hk_runner *r, struct hk_runner_stats *ret)
{
	*ret = r->st;
}

unsigned hk_runner_running(const struct hk_runner *r)
{
	unsigned n = 0;

	for (unsigned i = 0; i < r->max_children; i++)
		n += r->kids[i].pid != 0;
	return n + r->q_count;
}
