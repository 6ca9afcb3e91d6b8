/* ternd statistics: Kea 2.2's DHCPv4 statistics, read from the engine's
 * and the sockets' counters, sampled by a once-a-second tick and before
 * every command; the daemon's entry points. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <tern/dhcp4.h>

#include "common/log.h"
#include "server/control/control.h"
#include "server/stats/internal.h"

/* How often the tick samples the counters (and publishes /metrics). */
#define TICK_MS 1000

struct gdef {
	const char *name;
	uint8_t src, arg, family, op;
	bool counter;
};

/* Kea 2.2's global statistics (dhcp4_srv.cc dhcp4_statistics, the
 * allocation engine's and the lease manager's). op indexes
 * tmetrics_op_name(). */
static const struct gdef globals[] = {
	{"cumulative-assigned-addresses", SRC_SUM, F_CUMULATIVE,
	 FAM_G_CUMULATIVE, 0, true},
	{"declined-addresses", SRC_SUM, F_DECLINED, FAM_G_DECLINED, 0, false},
	{"pkt4-ack-received", SRC_RX, TERN_DHCP4_ACK, FAM_PKT_RECEIVED, 1,
	 true},
	{"pkt4-ack-sent", SRC_TX, TERN_DHCP4_ACK, FAM_PKT_SENT, 1, true},
	{"pkt4-decline-received", SRC_RX, TERN_DHCP4_DECLINE, FAM_PKT_RECEIVED,
	 2, true},
	{"pkt4-discover-received", SRC_RX, TERN_DHCP4_DISCOVER,
	 FAM_PKT_RECEIVED, 3, true},
	{"pkt4-inform-received", SRC_RX, TERN_DHCP4_INFORM, FAM_PKT_RECEIVED, 4,
	 true},
	{"pkt4-nak-received", SRC_RX, TERN_DHCP4_NAK, FAM_PKT_RECEIVED, 5,
	 true},
	{"pkt4-nak-sent", SRC_TX, TERN_DHCP4_NAK, FAM_PKT_SENT, 5, true},
	{"pkt4-offer-received", SRC_RX, TERN_DHCP4_OFFER, FAM_PKT_RECEIVED, 6,
	 true},
	{"pkt4-offer-sent", SRC_TX, TERN_DHCP4_OFFER, FAM_PKT_SENT, 6, true},
	{"pkt4-parse-failed", SRC_PARSE_FAILED, 0, FAM_PKT_RECEIVED, 10, true},
	{"pkt4-receive-drop", SRC_RECEIVE_DROP, 0, FAM_PKT_RECEIVED, 11, true},
	{"pkt4-received", SRC_RECEIVED, 0, FAM_NONE, 0, true},
	{"pkt4-release-received", SRC_RX, TERN_DHCP4_RELEASE, FAM_PKT_RECEIVED,
	 7, true},
	{"pkt4-request-received", SRC_RX, TERN_DHCP4_REQUEST, FAM_PKT_RECEIVED,
	 8, true},
	{"pkt4-sent", SRC_SENT, 0, FAM_NONE, 0, true},
	{"pkt4-unknown-received", SRC_UNKNOWN, 0, FAM_PKT_RECEIVED, 9, true},
	{"reclaimed-declined-addresses", SRC_SUM, F_RECLAIMED_DECLINED,
	 FAM_G_DECLINED_RECLAIMED, 0, true},
	{"reclaimed-leases", SRC_SUM, F_RECLAIMED, FAM_G_RECLAIMED, 0, true},
	{"v4-allocation-fail", SRC_SUM, F_AF + TERND_AF_ANY,
	 FAM_G_AF + TERND_AF_ANY, 0, true},
	{"v4-allocation-fail-classes", SRC_SUM, F_AF + TERND_AF_CLASSES,
	 FAM_G_AF + TERND_AF_CLASSES, 0, true},
	{"v4-allocation-fail-no-pools", SRC_SUM, F_AF + TERND_AF_NO_POOLS,
	 FAM_G_AF + TERND_AF_NO_POOLS, 0, true},
	{"v4-allocation-fail-shared-network", SRC_SUM,
	 F_AF + TERND_AF_SHARED_NETWORK, FAM_G_AF + TERND_AF_SHARED_NETWORK, 0,
	 true},
	{"v4-allocation-fail-subnet", SRC_SUM, F_AF + TERND_AF_SUBNET,
	 FAM_G_AF + TERND_AF_SUBNET, 0, true},
	{"v4-reservation-conflicts", SRC_SUM, F_RES_CONFLICTS,
	 FAM_G_RES_CONFLICTS, 0, true},
};

struct sdef {
	const char *suffix;
	uint8_t src, arg, family;
	bool lazy; /* Kea makes it at the first failure */
};

static const struct sdef per_subnet[] = {
	{"total-addresses", SRC_TOTAL, 0, FAM_S_TOTAL, false},
	{"assigned-addresses", SRC_FIELD, F_ASSIGNED, FAM_S_ASSIGNED, false},
	{"cumulative-assigned-addresses", SRC_FIELD, F_CUMULATIVE,
	 FAM_S_CUMULATIVE, false},
	{"declined-addresses", SRC_FIELD, F_DECLINED, FAM_S_DECLINED, false},
	{"reclaimed-declined-addresses", SRC_FIELD, F_RECLAIMED_DECLINED,
	 FAM_S_DECLINED_RECLAIMED, false},
	{"reclaimed-leases", SRC_FIELD, F_RECLAIMED, FAM_S_RECLAIMED, false},
	{"v4-reservation-conflicts", SRC_FIELD, F_RES_CONFLICTS,
	 FAM_S_RES_CONFLICTS, false},
	{"v4-allocation-fail", SRC_FIELD, F_AF + TERND_AF_ANY,
	 FAM_S_AF + TERND_AF_ANY, true},
	{"v4-allocation-fail-classes", SRC_FIELD, F_AF + TERND_AF_CLASSES,
	 FAM_S_AF + TERND_AF_CLASSES, true},
	{"v4-allocation-fail-no-pools", SRC_FIELD, F_AF + TERND_AF_NO_POOLS,
	 FAM_S_AF + TERND_AF_NO_POOLS, true},
	{"v4-allocation-fail-shared-network", SRC_FIELD,
	 F_AF + TERND_AF_SHARED_NETWORK, FAM_S_AF + TERND_AF_SHARED_NETWORK,
	 true},
	{"v4-allocation-fail-subnet", SRC_FIELD, F_AF + TERND_AF_SUBNET,
	 FAM_S_AF + TERND_AF_SUBNET, true},
};

/* ternd's own, on a PostgreSQL lease database (ternd_stats_set_xstats);
 * in enum ternd_xstat's order. */
static const char *const xnames[TERND_X__MAX] = {
	"ternd-db-reconnect-attempts", "ternd-db-connection-losses",
	"ternd-db-commits-failed",     "ternd-db-races-lost",
	"ternd-acks-withheld-outage",  "ternd-renewals-from-store",
};

static bool has_xstats(const struct ternd_config *cfg)
{
	return cfg->store_type == TERND_STORE_POSTGRESQL && cfg->store_persist;
}

void ternd_stats_set_xstats(struct ternd_stats *s, ternd_xstats_fn fn,
			    void *ctx)
{
	s->xfn = fn;
	s->xctx = ctx;
	tstat_observe_all(s, tstat_now_us());
}

#define N_GLOBALS    (sizeof(globals) / sizeof(globals[0]))
#define N_PER_SUBNET (sizeof(per_subnet) / sizeof(per_subnet[0]))

static int64_t field(const struct ternd_subnet_stats *ss, uint8_t f)
{
	switch (f) {
	case F_ASSIGNED:
		return ss->assigned;
	case F_DECLINED:
		return ss->declined;
	case F_CUMULATIVE:
		return (int64_t)ss->cumulative_assigned;
	case F_RECLAIMED:
		return (int64_t)ss->reclaimed;
	case F_RECLAIMED_DECLINED:
		return (int64_t)ss->reclaimed_declined;
	case F_RES_CONFLICTS:
		return (int64_t)ss->reservation_conflicts;
	default:
		return (int64_t)ss->alloc_fail[f - F_AF];
	}
}

/* Kea's getPoolCapacity: every address of every pool. */
static int64_t pool_capacity(const struct ternd_subnet *sn)
{
	int64_t n = 0;

	for (size_t k = 0; k < sn->n_pools; k++)
		n += (int64_t)sn->pools[k].last - sn->pools[k].first + 1;
	return n;
}

static int64_t source4(const struct ternd_stats *s, const struct tstat *st);

int64_t tstat_source(const struct ternd_stats *s, const struct tstat *st)
{
	if (s->engine6)
		return tstat_source6(s, st);
	return source4(s, st);
}

static int64_t source4(const struct ternd_stats *s, const struct tstat *st)
{
	const struct ternd_engine_stats *es = ternd_engine_stats(s->engine);
	const struct ternd_subnet_stats *ss =
		ternd_engine_subnet_stats(s->engine);
	const struct ternd_io_stats *io =
		s->io ? ternd_io_get_stats(s->io) : NULL;
	int64_t v = 0;

	switch (st->src) {
	case SRC_RECEIVED:
		return (int64_t)es->received;
	case SRC_RX:
		return (int64_t)es->rx[st->arg];
	case SRC_UNKNOWN:
		/* The engine drops server messages as "no type" too, after
		 * counting them by type. */
		return (int64_t)(es->drops[TERND_DROP_NO_TYPE] -
				 es->rx[TERN_DHCP4_OFFER] -
				 es->rx[TERN_DHCP4_ACK] -
				 es->rx[TERN_DHCP4_NAK]);
	case SRC_SENT:
		return io ? (int64_t)(io->tx_type[TERN_DHCP4_OFFER] +
				      io->tx_type[TERN_DHCP4_ACK] +
				      io->tx_type[TERN_DHCP4_NAK])
			  : 0;
	case SRC_TX:
		return io ? (int64_t)io->tx_type[st->arg] : 0;
	case SRC_PARSE_FAILED:
		return (int64_t)es->drops[TERND_DROP_MALFORMED];
	case SRC_RECEIVE_DROP:
		/* Kea's receive-drop: what does not parse, has no type a
		 * server answers, names another server, or cannot be
		 * handled; silence the RFC asks for is not a drop. */
		return (int64_t)(es->drops[TERND_DROP_MALFORMED] +
				 es->drops[TERND_DROP_NO_TYPE] +
				 es->drops[TERND_DROP_NOT_OURS] +
				 es->drops[TERND_DROP_TOO_MANY]);
	case SRC_SUM:
		for (size_t i = 0; i < s->cfg->n_subnets; i++)
			v += field(&ss[i], st->arg);
		return v;
	case SRC_FIELD:
		return field(&ss[st->sub], st->arg);
	case SRC_TOTAL:
		return pool_capacity(&s->cfg->subnets[st->sub]);
	case SRC_X: {
		uint64_t x[TERND_X__MAX] = {0};

		if (s->xfn)
			s->xfn(s->xctx, x);
		return (int64_t)x[st->arg];
	}
	default:
		return 0;
	}
}

static void subnet_sums(const struct ternd_stats *s, int64_t *sums)
{
	const struct ternd_subnet_stats *ss =
		ternd_engine_subnet_stats(s->engine);

	memset(sums, 0, sizeof(int64_t) * (F_AF + TERND_AF__MAX));
	for (size_t i = 0; i < s->cfg->n_subnets; i++)
		for (uint8_t f = 0; f < F_AF + TERND_AF__MAX; f++)
			sums[f] += field(&ss[i], f);
}

void tstat_observe_all(struct ternd_stats *s, int64_t now)
{
	const struct ternd_subnet_stats *ss;
	int64_t sums[F_AF + TERND_AF__MAX];

	if (s->engine6) {
		for (size_t i = 0; i < s->t.n; i++)
			tstat_observe(&s->t.v[i], tstat_value(s, &s->t.v[i]),
				      now);
		return;
	}
	ss = ternd_engine_subnet_stats(s->engine);

	/* The global sums once, not once per global statistic. */
	subnet_sums(s, sums);
	for (size_t i = 0; i < s->t.n; i++) {
		struct tstat *st = &s->t.v[i];
		int64_t v = st->src == SRC_SUM
				    ? st->carry + sums[st->arg] - st->base
			    : st->src == SRC_FIELD
				    ? st->carry + field(&ss[st->sub], st->arg) -
					      st->base
				    : tstat_value(s, st);

		tstat_observe(st, v, now);
	}
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(((const struct tstat *)a)->name,
		      ((const struct tstat *)b)->name);
}

int tstat_build(const struct ternd_config *cfg, struct tstat_table *t)
{
	size_t n = N_GLOBALS + cfg->n_subnets * N_PER_SUBNET + TERND_X__MAX,
	       k = 0;

	t->v = calloc(n ? n : 1, sizeof(*t->v));
	if (!t->v)
		return -ENOMEM;
	for (size_t i = 0; i < N_GLOBALS; i++, k++) {
		struct tstat *st = &t->v[k];

		snprintf(st->name, sizeof(st->name), "%s", globals[i].name);
		st->src = globals[i].src;
		st->arg = globals[i].arg;
		st->family = globals[i].family;
		st->op = globals[i].op;
		st->counter = globals[i].counter;
		st->present = true;
		tstat_init_limits(t, st);
	}
	for (size_t i = 0; has_xstats(cfg) && i < TERND_X__MAX; i++, k++) {
		struct tstat *st = &t->v[k];

		snprintf(st->name, sizeof(st->name), "%s", xnames[i]);
		st->src = SRC_X;
		st->arg = (uint8_t)i;
		st->family = (uint8_t)(FAM_X + i);
		st->counter = true;
		st->present = true;
		tstat_init_limits(t, st);
	}
	for (size_t j = 0; j < cfg->n_subnets; j++)
		for (size_t i = 0; i < N_PER_SUBNET; i++, k++) {
			struct tstat *st = &t->v[k];

			snprintf(st->name, sizeof(st->name), "subnet[%u].%s",
				 cfg->subnets[j].id, per_subnet[i].suffix);
			st->src = per_subnet[i].src;
			st->arg = per_subnet[i].arg;
			st->family = per_subnet[i].family;
			st->sub = (uint32_t)j;
			st->present = !per_subnet[i].lazy;
			tstat_init_limits(t, st);
		}
	t->n = k;
	qsort(t->v, t->n, sizeof(*t->v), cmp_name);
	return 0;
}

/* statistic-default-sample-count / -age, as Kea applies them
 * (SrvConfig::updateStatistics): a count of 0 limits by age instead. */
void tstat_default_limits(const struct ternd_config *cfg, struct tstat_table *t)
{
	/* Kea reads the count into a uint32_t: -1 is 4294967295 there. */
	uint32_t count = cfg->stats_sample_count_set
				 ? (uint32_t)cfg->stats_sample_count
				 : TSTAT_DEFAULT_COUNT;
	int64_t age = cfg->stats_sample_age;

	t->dflt_by_age = count == 0;
	t->dflt_count = count ? count : TSTAT_DEFAULT_COUNT;
	/* A negative age would leave no sample at all in Kea: 0 here. */
	t->dflt_age_us = age <= 0		     ? 0
			 : age > INT64_MAX / 1000000 ? INT64_MAX
						     : age * 1000000;
}

int ternd_stats_start(const struct ternd_config *cfg,
		      const struct ternd_engine *engine,
		      const struct ternd_io *io, struct ternd_control *ctl,
		      struct ternd_stats **ret)
{
	struct ternd_stats *s = calloc(1, sizeof(*s));
	int r;

	if (!s)
		return -ENOMEM;
	s->cfg = cfg;
	s->engine = engine;
	s->io = io;
	s->tfd = -1;
	tstat_default_limits(cfg, &s->t);
	if ((r = tstat_build(cfg, &s->t)) < 0 || (r = tstat_run(s, ctl)) < 0) {
		ternd_stats_free(s);
		return r;
	}
	*ret = s;
	return 0;
}

int tstat_run(struct ternd_stats *s, struct ternd_control *ctl)
{
	struct itimerspec its = {
		.it_interval = {TICK_MS / 1000, TICK_MS % 1000 * 1000000L},
		.it_value.tv_nsec = 1000000};
	int r;

	/* The first samples: the values at start (leases restored). */
	tstat_observe_all(s, tstat_now_us());
	s->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (s->tfd < 0 || timerfd_settime(s->tfd, 0, &its, NULL) < 0) {
		r = -errno;
		tern_log(LOG_ERR, "statistics: no timer: %s", strerror(-r));
		return r;
	}
	if (ctl && (r = tstat_register(s, ctl)) < 0) {
		tern_log(LOG_ERR, "cannot register the statistic commands: %s",
			 strerror(-r));
		return r;
	}
	if (s->cfg->metrics.enabled &&
	    (r = tmetrics_open(s->cfg, &s->metrics)) < 0)
		return r;
	return 0;
}

void ternd_stats_free(struct ternd_stats *s)
{
	if (!s)
		return;
	tmetrics_free(s->metrics);
	if (s->tfd >= 0)
		close(s->tfd);
	tstat_table_free(&s->t);
	free(s);
}

int ternd_stats_fd(const struct ternd_stats *s)
{
	return s ? s->tfd : -1;
}

void ternd_stats_on_fd(struct ternd_stats *s)
{
	uint64_t x;

	if (read(s->tfd, &x, sizeof(x)) < 0)
		return;
	tstat_observe_all(s, tstat_now_us());
	if (s->metrics)
		tmetrics_publish(s->metrics, s);
}

void ternd_stats_before_swap(struct ternd_stats *s)
{
	subnet_sums(s, s->frozen_sums);
	s->frozen = true;
}

/* Keep only the global statistics (no memory for the new table): the
 * subnet ones would index the old configuration's subnets. */
static void drop_subnet_stats(struct tstat_table *t)
{
	size_t k = 0;

	for (size_t i = 0; i < t->n; i++) {
		if (t->v[i].src == SRC_FIELD || t->v[i].src == SRC_TOTAL)
			tstat_free_samples(&t->v[i]);
		else
			t->v[k++] = t->v[i];
	}
	t->n = k;
}

int ternd_stats_reconfigure(struct ternd_stats *s,
			    const struct ternd_config *cfg,
			    const struct ternd_engine *engine,
			    const struct ternd_io *io)
{
	struct tstat_table nt = {0};
	int64_t now = tstat_now_us();
	int r;

	tstat_default_limits(cfg, &nt);
	if ((r = tstat_build(cfg, &nt)) < 0) {
		drop_subnet_stats(&s->t);
		goto out;
	}
	/* The global statistics go on. The engine carries its own packet
	 * counters over (ternd_engine_carry) and the sockets theirs
	 * (ternd_io_adopt); the sums of the subnets' counters restart with
	 * the new subnets, so what the old ones counted is carried here; a
	 * gauge is the new engine's (Kea recounts it). */
	for (size_t i = 0; i < s->t.n; i++) {
		struct tstat *o = &s->t.v[i], *n;

		if (o->src == SRC_FIELD || o->src == SRC_TOTAL)
			continue;
		n = tstat_find(&nt, o->name);
		if (!n)
			continue;
		n->present = o->present;
		n->by_age = o->by_age;
		n->max_count = o->max_count;
		n->max_age_us = o->max_age_us;
		n->carry = o->carry;
		n->base = o->base;
		if (o->src == SRC_SUM && o->counter)
			n->carry += s->frozen ? s->frozen_sums[o->arg]
					      : tstat_source(s, o);
		else if (o->src == SRC_SUM)
			n->carry = n->base = 0;
		n->ring = o->ring;
		n->cap = o->cap;
		n->start = o->start;
		n->n = o->n;
		o->ring = NULL;
		o->cap = o->n = 0;
	}
	tstat_table_free(&s->t);
	s->t = nt;
out:
	s->frozen = false;
	s->cfg = cfg;
	s->engine = engine;
	s->io = io;
	tstat_observe_all(s, now);
	return r;
}
