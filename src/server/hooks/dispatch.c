/* ternd hooks: events wait for their leases to be durable, then go to the
 * libraries the configuration loads (run_script, legal_log). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <tern/dhcp4.h>

#include "common/log.h"
#include "server/classify/expr.h"
#include "server/hooks/internal.h"

#define UNSUBMITTED UINT64_MAX

struct pend {
	uint64_t ticket;
	char *custom; /* legal_log's custom entry, malloc'd; NULL = Kea's */
	bool has_query;
	struct hk_query q;
	struct ternd_hook_event ev;
};

struct ternd_hooks {
	const struct ternd_config *cfg;
	struct ternd_hooks_limits lim;
	uint16_t port;
	struct hk_runner *runner; /* NULL without run_script or rotation */
	struct hk_legal *legal;	  /* NULL without legal_log */
	struct pend *ring;
	size_t head, count, unsubmitted;
	struct ternd_expr_scratch scratch; /* legal_log's custom formats */
	struct ternd_hooks_stats st;
};

static struct tern_ratelimit rl_hooks = TERN_RATELIMIT_INIT(10, 3);

static void pend_done(struct ternd_hooks *h, size_t i);

int ternd_hooks_new(const struct ternd_config *cfg,
		    const struct ternd_hooks_limits *lim, uint16_t port,
		    struct ternd_hooks **ret)
{
	static const struct ternd_hooks_limits dflt =
		TERND_HOOKS_LIMITS_DEFAULT;
	const struct ternd_config_hooks *c = &cfg->hooks;
	struct ternd_hooks *h;
	struct timespec now;
	int rc;

	*ret = NULL;
	if (!c->run_script && !c->legal_log)
		return 0;
	if (!(h = calloc(1, sizeof(*h))))
		return -ENOMEM;
	h->cfg = cfg;
	h->lim = lim ? *lim : dflt;
	h->port = port;
	if (!h->lim.max_pending ||
	    !(h->ring = calloc(h->lim.max_pending, sizeof(*h->ring)))) {
		rc = -ENOMEM;
		goto fail;
	}
	if ((c->run_script || c->legal_prerotate || c->legal_postrotate) &&
	    (rc = hk_runner_new(h->lim.max_children, h->lim.max_queue,
				h->lim.timeout_ms, &h->runner)) < 0)
		goto fail;
	clock_gettime(CLOCK_REALTIME, &now);
	if (c->legal_log &&
	    (rc = hk_legal_new(c, h->runner, &now, &h->legal)) < 0)
		goto fail;
	*ret = h;
	return 0;
fail:
	ternd_hooks_free(h);
	return rc;
}

void ternd_hooks_free(struct ternd_hooks *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->count; i++)
		pend_done(h, i);
	hk_legal_free(h->legal);
	hk_runner_free(h->runner);
	free(h->ring);
	free(h);
}

static struct pend *push(struct ternd_hooks *h)
{
	struct pend *p;

	h->st.events++;
	if (h->count == h->lim.max_pending) {
		h->st.pending_dropped++;
		tern_log_rl(&rl_hooks, LOG_WARNING,
			    "hooks: %zu events wait for the lease store, one "
			    "dropped",
			    h->count);
		return NULL;
	}
	p = &h->ring[(h->head + h->count) % h->lim.max_pending];
	h->count++;
	h->unsubmitted++;
	p->ticket = UNSUBMITTED;
	p->custom = NULL;
	return p;
}

/* The entry at the ring's position i (from head) is done with. */
static void pend_done(struct ternd_hooks *h, size_t i)
{
	struct pend *p = &h->ring[(h->head + i) % h->lim.max_pending];

	free(p->custom);
	p->custom = NULL;
}

/* Whether the forensic log writes anything for this event. */
static bool legal_writes(const struct ternd_hook_event *ev, uint8_t qtype)
{
	switch (ev->point) {
	case TERND_HOOK_LEASES4_COMMITTED:
		return qtype == TERN_DHCP4_REQUEST &&
		       (ev->n_leases || ev->n_deleted);
	case TERND_HOOK_LEASE4_RELEASE:
	case TERND_HOOK_LEASE4_DECLINE:
		return ev->n_leases;
	default:
		return false;
	}
}

static int eval_into(struct ternd_hooks *h, const struct ternd_expr *x,
		     const struct ternd_expr_pkt *pkt, char *out, size_t cap)
{
	int n = ternd_expr_eval_string(x, pkt, &h->scratch, (uint8_t *)out,
				       cap);

	/* Kea logs an evaluation error and writes nothing of it. */
	return n < 0 ? 0 : n;
}

/*
 * legal_log's request-parser-format and response-parser-format
 * (getCustomEntry): the request's value then the reply's, evaluated now,
 * while the packets are here (Kea: at pkt4_send). A release or a decline
 * has no reply.
 */
static char *custom_entry(struct ternd_hooks *h, const struct ternd_rx *rx,
			  const struct tern_dhcp4_msg *m,
			  const struct ternd_tx *reply, bool with_reply)
{
	const struct ternd_config_hooks *c = &h->cfg->hooks;
	struct ternd_expr_pkt pkt = {0};
	struct tern_dhcp4_msg rm;
	char buf[4096];
	size_t n = 0;
	char *out;

	if (c->legal_request_x) {
		pkt.m = m;
		pkt.iface = rx->ifname;
		pkt.src = rx->src_addr;
		pkt.dst = rx->dst_addr;
		n = (size_t)eval_into(h, c->legal_request_x, &pkt, buf,
				      sizeof(buf) - 1);
	}
	if (c->legal_response_x && with_reply && reply &&
	    tern_dhcp4_parse(&rm, reply->buf, reply->len) >= 0) {
		pkt.m = &rm;
		pkt.iface = rx->ifname;
		pkt.src = reply->src_addr;
		pkt.dst = reply->dst_addr;
		n += (size_t)eval_into(h, c->legal_response_x, &pkt, buf + n,
				       sizeof(buf) - 1 - n);
	}
	buf[n] = '\0';
	if (!(out = malloc(n + 1)))
		return NULL;
	memcpy(out, buf, n + 1);
	return out;
}

void ternd_hooks_request(struct ternd_hooks *h, const struct ternd_rx *rx,
			 const struct tern_dhcp4_msg *m,
			 const struct ternd_tx *reply,
			 const struct ternd_hook_event *ev, size_t n)
{
	const struct ternd_config_hooks *c;

	for (size_t i = 0; h && m && i < n; i++) {
		struct pend *p = push(h);

		if (!p)
			continue;
		p->has_query = true;
		hk_query_from(&p->q, rx, m, h->port);
		p->ev = ev[i];
		c = &h->cfg->hooks;
		if (h->legal && (c->legal_request_x || c->legal_response_x) &&
		    legal_writes(&p->ev, p->q.type))
			p->custom = custom_entry(
				h, rx, m, reply,
				p->ev.point == TERND_HOOK_LEASES4_COMMITTED);
	}
}

void ternd_hooks_engine(struct ternd_hooks *h, struct ternd_engine *e,
			const struct ternd_rx *rx,
			const struct tern_dhcp4_msg *m,
			const struct ternd_tx *reply)
{
	const struct ternd_hook_event *ev;
	struct tern_dhcp4_msg own;
	size_t n;

	if (!h || !(n = ternd_engine_events(e, &ev)))
		return;
	if (!m && tern_dhcp4_parse(&own, rx->buf, rx->len) >= 0)
		m = &own;
	ternd_hooks_request(h, rx, m, reply, ev, n);
}

static bool match_cid(const struct ternd_config *cfg, uint32_t id)
{
	const struct ternd_subnet *s = ternd_config_subnet_by_id(cfg, id);

	return s ? s->params.match_client_id : cfg->global.match_client_id;
}

/*
 * Kea reclaims an expired lease with lease4_expire (remove_lease false:
 * it keeps reclaimed leases for hold-reclaimed-time), and a declined one
 * whose probation ended with lease4_expire then lease4_recover.
 */
void ternd_hooks_expired(struct ternd_hooks *h, const struct ternd_change *v,
			 size_t n)
{
	for (size_t i = 0; h && i < n; i++) {
		const struct ternd_lease *l = &v[i].lease;
		struct ternd_hook_event ev;
		struct pend *p;
		bool declined = v[i].op == TERND_CHANGE_DELETE;

		/* DELETE: a declined address whose probation ended; UPSERT
		 * EXPIRED: a lease that ran out. (Entries without a store
		 * operation carry DDNS facts only.) */
		if (!declined && (v[i].op != TERND_CHANGE_UPSERT ||
				  l->state != TERND_LEASE_EXPIRED))
			continue;
		memset(&ev, 0, sizeof(ev));
		ev.point = TERND_HOOK_LEASE4_EXPIRE;
		ev.n_leases = 1;
		/* The engine put the lease as it was (its host name not yet
		 * cleared, as Kea's callout sees it) just before. */
		if (!declined && i > 0 && v[i - 1].op == TERND_CHANGE_NONE &&
		    v[i - 1].lease.addr == l->addr)
			l = &v[i - 1].lease;
		ev.lease.l = *l;
		if (declined) {
			ev.lease.kea_state = TERND_KEA_DECLINED;
			ev.lease.l.htype = 1;
			ev.lease.l.hw_len = 0;
			ev.lease.l.cid_len = 0;
			ev.lease.l.hostname[0] = '\0';
			ev.lease.l.valid_lifetime =
				(uint32_t)(l->expire - l->cltt);
		} else {
			ev.lease.kea_state = TERND_KEA_DEFAULT;
			if (!match_cid(h->cfg, l->subnet_id))
				ev.lease.l.cid_len = 0;
		}
		if ((p = push(h))) {
			p->has_query = false;
			p->ev = ev;
		}
		if (declined && (p = push(h))) {
			ev.point = TERND_HOOK_LEASE4_RECOVER;
			p->has_query = false;
			p->ev = ev;
		}
	}
}

void ternd_hooks_submitted(struct ternd_hooks *h, uint64_t ticket)
{
	if (!h)
		return;
	for (size_t i = h->count - h->unsubmitted; i < h->count; i++)
		h->ring[(h->head + i) % h->lim.max_pending].ticket = ticket;
	h->unsubmitted = 0;
}

void ternd_hooks_abandon(struct ternd_hooks *h)
{
	if (!h)
		return;
	for (size_t i = h->count - h->unsubmitted; i < h->count; i++)
		pend_done(h, i);
	h->st.abandoned += h->unsubmitted;
	h->count -= h->unsubmitted;
	h->unsubmitted = 0;
}

static void run_script(struct ternd_hooks *h, const struct pend *p)
{
	char buf[HK_ENV_BUF];
	char *envp[HK_ENV_MAX + 1];
	const char *argv[3];
	int n;

	n = hk_script_env(h->cfg, p->has_query ? &p->q : NULL, &p->ev, buf,
			  sizeof(buf), envp, HK_ENV_MAX + 1);
	if (n < 0) {
		h->st.script_dropped++;
		return;
	}
	argv[0] = h->cfg->hooks.run_script;
	argv[1] = hk_point_name(p->ev.point);
	argv[2] = NULL;
	hk_runner_spawn(h->runner, h->cfg->hooks.run_script, argv,
			(const char *const *)envp);
}

static bool legal_off(const struct ternd_config_hooks *c, uint32_t id)
{
	for (size_t i = 0; i < c->n_legal_off; i++)
		if (c->legal_off[i] == id)
			return true;
	return false;
}

static void legal_one(struct ternd_hooks *h, const struct pend *p,
		      const struct ternd_hook_lease *l, bool release,
		      const struct timespec *now)
{
	char text[1024];
	int rc;

	if (legal_off(&h->cfg->hooks, l->l.subnet_id))
		return;
	if (h->cfg->hooks.legal_request_x || h->cfg->hooks.legal_response_x) {
		/* A custom entry replaces Kea's own; empty, nothing. */
		if (!p->custom || !p->custom[0])
			return;
		rc = hk_legal_write(h->legal, p->custom, now);
	} else {
		rc = hk_legal_entry(&p->q, l, release, text, sizeof(text));
		if (rc >= 0)
			rc = hk_legal_write(h->legal, text, now);
	}
	if (rc < 0) {
		h->st.legal_errors++;
		tern_log_rl(&rl_hooks, LOG_ERR, "legal_log: cannot write to %s",
			    hk_legal_file(h->legal));
		return;
	}
	h->st.legal_lines++;
}

/*
 * The forensic log writes an ACK's leases when it is sent (pkt4_send),
 * and a release or decline when it happens; a NAK, a DISCOVER and an
 * expiry write nothing.
 */
static void legal_log(struct ternd_hooks *h, const struct pend *p)
{
	const struct ternd_hook_event *ev = &p->ev;
	struct timespec now;

	if (!p->has_query)
		return;
	clock_gettime(CLOCK_REALTIME, &now);
	switch (ev->point) {
	case TERND_HOOK_LEASES4_COMMITTED:
		if (p->q.type != TERN_DHCP4_REQUEST)
			break;
		if (ev->n_leases)
			legal_one(h, p, &ev->lease, false, &now);
		if (ev->n_deleted)
			legal_one(h, p, &ev->deleted, true, &now);
		break;
	case TERND_HOOK_LEASE4_RELEASE:
	case TERND_HOOK_LEASE4_DECLINE:
		if (ev->n_leases)
			legal_one(h, p, &ev->lease, true, &now);
		break;
	default:
		break;
	}
}

void ternd_hooks_durable(struct ternd_hooks *h, uint64_t done)
{
	while (h && h->count > h->unsubmitted) {
		struct pend *p = &h->ring[h->head];

		if (p->ticket > done)
			break;
		if (h->cfg->hooks.run_script)
			run_script(h, p);
		if (h->legal)
			legal_log(h, p);
		pend_done(h, 0);
		h->head = (h->head + 1) % h->lim.max_pending;
		h->count--;
	}
}

int ternd_hooks_fd(const struct ternd_hooks *h)
{
	return h && h->runner ? hk_runner_fd(h->runner) : -1;
}

void ternd_hooks_on_fd(struct ternd_hooks *h)
{
	if (h && h->runner)
		hk_runner_on_fd(h->runner);
}

void ternd_hooks_stats(const struct ternd_hooks *h,
		       struct ternd_hooks_stats *ret)
{
	struct hk_runner_stats rs = {0};

	memset(ret, 0, sizeof(*ret));
	if (!h)
		return;
	*ret = h->st;
	if (h->runner)
		hk_runner_stats(h->runner, &rs);
	ret->scripts_run = rs.run;
	ret->script_failed = rs.failed;
	ret->script_killed = rs.killed;
	ret->script_dropped += rs.dropped;
}

void ternd_hooks_log_stats(const struct ternd_hooks *h)
{
	struct ternd_hooks_stats hs;

	if (!h)
		return;
	ternd_hooks_stats(h, &hs);
	tern_log(LOG_INFO,
		 "hooks: events %llu (dropped %llu, abandoned %llu); scripts "
		 "run %llu failed %llu killed %llu dropped %llu; legal_log "
		 "lines %llu errors %llu",
		 (unsigned long long)hs.events,
		 (unsigned long long)hs.pending_dropped,
		 (unsigned long long)hs.abandoned,
		 (unsigned long long)hs.scripts_run,
		 (unsigned long long)hs.script_failed,
		 (unsigned long long)hs.script_killed,
		 (unsigned long long)hs.script_dropped,
		 (unsigned long long)hs.legal_lines,
		 (unsigned long long)hs.legal_errors);
}
