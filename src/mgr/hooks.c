/* tern-mgr: hook scripts run on events, asynchronously, with a timeout. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hooks.h"
#include "log.h"
#include "proc.h"
#include "util.h"

#define HOOK_ENV_MAX   64
#define HOOK_ENV_STORE 16384

struct env_ctx {
	char **env;
	size_t n, max;
	char *store;
	size_t used, cap;
	bool overflow;
};

static void env_put(void *arg, const char *key, const char *val)
{
	struct env_ctx *e = arg;
	int n;

	if (e->overflow || e->n >= e->max)
		return;
	n = snprintf(e->store + e->used, e->cap - e->used, "TERN_%s=%s", key,
		     val);
	if (n < 0 || (size_t)n >= e->cap - e->used) {
		e->overflow = true;
		return;
	}
	e->env[e->n++] = e->store + e->used;
	e->env[e->n] = NULL;
	e->used += (size_t)n + 1;
}

int mgr_hook_env(const struct mgr_client *c, const char *ifname,
		 enum mgr_event ev, int64_t now, char **env, size_t max,
		 char *store, size_t cap)
{
	struct env_ctx e = {env, 0, max - 1, store, 0, cap, false};
	char num[16];

	env[0] = NULL;
	env_put(&e, "EVENT", mgr_event_name(ev));
	snprintf(num, sizeof(num), "%d", c->version);
	env_put(&e, "FAMILY", num);
	snprintf(num, sizeof(num), "%u", c->index);
	env_put(&e, "INDEX", num);
	env_put(&e, "IFNAME", ifname);
	if (ev == MGR_EV_LEASE_UPDATE || ev == MGR_EV_LEASE_RENEW)
		mgr_lease_kv(c, now, env_put, &e);
	return e.overflow ? -ENOBUFS : (int)e.n;
}

void mgr_hooks_run(struct mgr *m, struct mgr_hooks *h,
		   const struct mgr_client *c, const char *ifname,
		   enum mgr_event ev, int64_t now)
{
	char store[HOOK_ENV_STORE], *env[HOOK_ENV_MAX];

	if (!m->cfg.n_hooks)
		return;
	if (mgr_hook_env(c, ifname, ev, now, env, HOOK_ENV_MAX, store,
			 sizeof(store)) < 0)
		mgr_log(LOG_WARNING, "hook environment truncated");
	for (unsigned i = 0; i < m->cfg.n_hooks; i++) {
		char *argv[] = {m->cfg.hooks[i], (char *)mgr_event_name(ev),
				NULL};
		struct mgr_hook_run *run;
		int r;

		if (h->n == MGR_HOOK_RUNS) {
			m->cnt.hooks_dropped++;
			continue;
		}
		run = &h->run[h->n];
		r = mgr_proc_spawn(argv, env, &run->pid, &run->pidfd);
		if (r < 0) {
			mgr_log(LOG_ERR, "hook %s: %s", argv[0], strerror(-r));
			continue;
		}
		run->deadline_ms = tern_mono_ms() + m->cfg.hook_timeout * 1000;
		h->n++;
	}
}

int mgr_hooks_pollfds(const struct mgr_hooks *h, struct pollfd *p, int max)
{
	int n = 0;

	for (unsigned i = 0; i < h->n && n < max; i++) {
		p[n].fd = h->run[i].pidfd;
		p[n].events = POLLIN;
		p[n].revents = 0;
		n++;
	}
	return n;
}

int64_t mgr_hooks_deadline(const struct mgr_hooks *h)
{
	int64_t d = INT64_MAX;

	for (unsigned i = 0; i < h->n; i++)
		if (h->run[i].deadline_ms < d)
			d = h->run[i].deadline_ms;
	return d;
}

void mgr_hooks_service(struct mgr_hooks *h, int64_t now_ms)
{
	unsigned i = 0;

	while (i < h->n) {
		struct mgr_hook_run *run = &h->run[i];
		int st = mgr_proc_reap(run->pid);

		if (st == -EAGAIN && now_ms >= run->deadline_ms) {
			mgr_log(LOG_WARNING, "hook pid %d timed out, killed",
				(int)run->pid);
			kill(run->pid, SIGKILL);
			waitpid(run->pid, NULL, 0);
			st = 0;
		}
		if (st == -EAGAIN) {
			i++;
			continue;
		}
		close(run->pidfd);
		h->run[i] = h->run[--h->n];
	}
}

void mgr_hooks_kill_all(struct mgr_hooks *h)
{
	for (unsigned i = 0; i < h->n; i++) {
		kill(h->run[i].pid, SIGKILL);
		waitpid(h->run[i].pid, NULL, 0);
		close(h->run[i].pidfd);
	}
	h->n = 0;
}
