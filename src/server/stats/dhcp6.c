/* ternd statistics: Kea 2.2's DHCPv6 statistics (dhcp6_srv.cc's pkt6-*
 * and the subnets' lease counts), read from engine6's and io6's counters;
 * the table, sampling and commands are the DHCPv4 side's. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <tern/dhcp6.h>

#include "common/log.h"
#include "server/config/config6.h"
#include "server/control/control.h"
#include "server/stats/internal.h"

/* Sources of a Dhcp6 statistic (struct tstat's src, arg). */
enum {
	S6_RECEIVED = 1,
	S6_RX,	    /* arg: message type */
	S6_UNKNOWN, /* types a server does not handle */
	S6_SENT,
	S6_TX, /* arg: message type */
	S6_PARSE_FAILED,
	S6_RECEIVE_DROP,
	S6_SUM,	  /* arg: field, summed over subnets */
	S6_FIELD, /* arg: field of subnet sub */
	S6_TOTAL_NAS,
	S6_TOTAL_PDS,
};

enum {
	F6_ASSIGNED_NA,
	F6_ASSIGNED_PD,
	F6_CUMULATIVE_NA,
	F6_CUMULATIVE_PD,
	F6_DECLINED,
	F6_RECLAIMED,
	F6_RECLAIMED_DECLINED,
	F6_AF, /* + enum ternd_af6 */
};

/* Stork's operation labels of the packet families (tmetrics_op_name). */
enum {
	OP6_DECLINE = 2,
	OP6_RELEASE = 7,
	OP6_REQUEST = 8,
	OP6_UNKNOWN = 9,
	OP6_PARSE_FAILED = 10,
	OP6_DROP = 11,
	OP6_SOLICIT = 12,
	OP6_ADVERTISE,
	OP6_REPLY,
	OP6_RENEW,
	OP6_REBIND,
	OP6_INFREQUEST,
};

struct def6 {
	const char *name;
	uint8_t src, arg, family, op;
	bool lazy; /* Kea makes it at the first failure */
};

#define AF6(name, k)                                            \
	{                                                       \
		"v6-allocation-fail" name, S6_SUM, F6_AF + (k), \
			FAM6_G_AF + (k), 0, false               \
	}
#define SAF6(name, k)                                             \
	{                                                         \
		"v6-allocation-fail" name, S6_FIELD, F6_AF + (k), \
			FAM6_S_AF + (k), 0, true                  \
	}

/* Kea 2.2's dhcp6_statistics (dhcp6_srv.cc) but the DHCPv4-over-DHCPv6
 * ones, ternd serving no 4o6; Stork 1.18 exports neither pkt6-received
 * nor pkt6-sent. */
static const struct def6 globals6[] = {
	{"cumulative-assigned-nas", S6_SUM, F6_CUMULATIVE_NA,
	 FAM6_G_CUMULATIVE_NA, 0, false},
	{"cumulative-assigned-pds", S6_SUM, F6_CUMULATIVE_PD,
	 FAM6_G_CUMULATIVE_PD, 0, false},
	{"declined-addresses", S6_SUM, F6_DECLINED, FAM6_G_DECLINED, 0, false},
	{"pkt6-advertise-received", S6_RX, TERN_DHCP6_ADVERTISE,
	 FAM6_PKT_RECEIVED, OP6_ADVERTISE, false},
	{"pkt6-advertise-sent", S6_TX, TERN_DHCP6_ADVERTISE, FAM6_PKT_SENT,
	 OP6_ADVERTISE, false},
	{"pkt6-decline-received", S6_RX, TERN_DHCP6_DECLINE, FAM6_PKT_RECEIVED,
	 OP6_DECLINE, false},
	{"pkt6-infrequest-received", S6_RX, TERN_DHCP6_INFORMATION_REQUEST,
	 FAM6_PKT_RECEIVED, OP6_INFREQUEST, false},
	{"pkt6-parse-failed", S6_PARSE_FAILED, 0, FAM6_PKT_RECEIVED,
	 OP6_PARSE_FAILED, false},
	{"pkt6-rebind-received", S6_RX, TERN_DHCP6_REBIND, FAM6_PKT_RECEIVED,
	 OP6_REBIND, false},
	{"pkt6-receive-drop", S6_RECEIVE_DROP, 0, FAM6_PKT_RECEIVED, OP6_DROP,
	 false},
	{"pkt6-received", S6_RECEIVED, 0, FAM_NONE, 0, false},
	{"pkt6-release-received", S6_RX, TERN_DHCP6_RELEASE, FAM6_PKT_RECEIVED,
	 OP6_RELEASE, false},
	{"pkt6-renew-received", S6_RX, TERN_DHCP6_RENEW, FAM6_PKT_RECEIVED,
	 OP6_RENEW, false},
	{"pkt6-reply-received", S6_RX, TERN_DHCP6_REPLY, FAM6_PKT_RECEIVED,
	 OP6_REPLY, false},
	{"pkt6-reply-sent", S6_TX, TERN_DHCP6_REPLY, FAM6_PKT_SENT, OP6_REPLY,
	 false},
	{"pkt6-request-received", S6_RX, TERN_DHCP6_REQUEST, FAM6_PKT_RECEIVED,
	 OP6_REQUEST, false},
	{"pkt6-sent", S6_SENT, 0, FAM_NONE, 0, false},
	{"pkt6-solicit-received", S6_RX, TERN_DHCP6_SOLICIT, FAM6_PKT_RECEIVED,
	 OP6_SOLICIT, false},
	{"pkt6-unknown-received", S6_UNKNOWN, 0, FAM6_PKT_RECEIVED, OP6_UNKNOWN,
	 false},
	{"reclaimed-declined-addresses", S6_SUM, F6_RECLAIMED_DECLINED,
	 FAM6_G_DECLINED_RECLAIMED, 0, false},
	{"reclaimed-leases", S6_SUM, F6_RECLAIMED, FAM6_G_RECLAIMED, 0, false},
	AF6("", TERND_AF6_ANY),
	AF6("-classes", TERND_AF6_CLASSES),
	AF6("-no-pools", TERND_AF6_NO_POOLS),
	AF6("-shared-network", TERND_AF6_SHARED_NETWORK),
	AF6("-subnet", TERND_AF6_SUBNET),
};

static const struct def6 per_subnet6[] = {
	{"assigned-nas", S6_FIELD, F6_ASSIGNED_NA, FAM6_S_NA_ASSIGNED, 0,
	 false},
	{"assigned-pds", S6_FIELD, F6_ASSIGNED_PD, FAM6_S_PD_ASSIGNED, 0,
	 false},
	{"cumulative-assigned-nas", S6_FIELD, F6_CUMULATIVE_NA,
	 FAM6_S_CUMULATIVE_NA, 0, false},
	{"cumulative-assigned-pds", S6_FIELD, F6_CUMULATIVE_PD,
	 FAM6_S_CUMULATIVE_PD, 0, false},
	{"declined-addresses", S6_FIELD, F6_DECLINED, FAM6_S_DECLINED, 0,
	 false},
	{"reclaimed-declined-addresses", S6_FIELD, F6_RECLAIMED_DECLINED,
	 FAM6_S_DECLINED_RECLAIMED, 0, false},
	{"reclaimed-leases", S6_FIELD, F6_RECLAIMED, FAM6_S_RECLAIMED, 0,
	 false},
	{"total-nas", S6_TOTAL_NAS, 0, FAM6_S_NA_TOTAL, 0, false},
	{"total-pds", S6_TOTAL_PDS, 0, FAM6_S_PD_TOTAL, 0, false},
	SAF6("", TERND_AF6_ANY),
	SAF6("-classes", TERND_AF6_CLASSES),
	SAF6("-no-pools", TERND_AF6_NO_POOLS),
	SAF6("-shared-network", TERND_AF6_SHARED_NETWORK),
	SAF6("-subnet", TERND_AF6_SUBNET),
};

#define N_G6 (sizeof(globals6) / sizeof(globals6[0]))
#define N_S6 (sizeof(per_subnet6) / sizeof(per_subnet6[0]))

static int64_t field6(const struct ternd_engine6_subnet_stats *ss, uint8_t f)
{
	switch (f) {
	case F6_ASSIGNED_NA:
		return (int64_t)ss->assigned_na;
	case F6_ASSIGNED_PD:
		return (int64_t)ss->assigned_pd;
	case F6_CUMULATIVE_NA:
		return (int64_t)ss->cumulative_na;
	case F6_CUMULATIVE_PD:
		return (int64_t)ss->cumulative_pd;
	case F6_DECLINED:
		return (int64_t)ss->declined;
	case F6_RECLAIMED:
		return (int64_t)ss->reclaimed;
	case F6_RECLAIMED_DECLINED:
		return (int64_t)ss->reclaimed_declined;
	default:
		return (int64_t)ss->alloc_fail[f - F6_AF];
	}
}

static int64_t add_cap(int64_t a, uint64_t b)
{
	return b > (uint64_t)(INT64_MAX - a) ? INT64_MAX : a + (int64_t)b;
}

/* Kea's getPoolCapacity (capped at int64's largest, as Kea's int64
 * statistic cannot hold a /64's 2^64). */
static int64_t total_nas(const struct ternd_subnet6 *sn)
{
	int64_t n = 0;

	for (size_t k = 0; k < sn->n_pools; k++) {
		const struct ternd_pool6 *p = &sn->pools[k];
		uint64_t hi = 0, lo = 0;

		if (memcmp(&p->first, &p->last, 8) != 0)
			return INT64_MAX;
		for (int i = 8; i < 16; i++) {
			hi = hi << 8 | p->last.s6_addr[i];
			lo = lo << 8 | p->first.s6_addr[i];
		}
		if (hi - lo == UINT64_MAX)
			return INT64_MAX;
		n = add_cap(n, hi - lo + 1);
	}
	return n;
}

static int64_t total_pds(const struct ternd_subnet6 *sn)
{
	int64_t n = 0;

	for (size_t k = 0; k < sn->n_pd_pools; k++) {
		unsigned bits = (unsigned)(sn->pd_pools[k].delegated_len -
					   sn->pd_pools[k].prefix_len);

		if (bits >= 63)
			return INT64_MAX;
		n = add_cap(n, 1ull << bits);
	}
	return n;
}

int64_t tstat_source6(const struct ternd_stats *s, const struct tstat *st)
{
	const struct ternd_engine6_stats *es = ternd_engine6_stats(s->engine6);
	const struct ternd_config6 *c6 = s->cfg->v6;
	struct ternd_io6_stats io = {0};
	int64_t v = 0;

	if (s->io6)
		ternd_io6_stats(s->io6, &io);
	switch (st->src) {
	case S6_RECEIVED:
		return (int64_t)es->rx;
	case S6_RX:
		return (int64_t)es->by_type[st->arg];
	case S6_UNKNOWN:
		/* Received, less the types Kea counts by name. */
		v = (int64_t)es->rx;
		for (size_t i = 0; i < N_G6; i++)
			if (globals6[i].src == S6_RX)
				v -= (int64_t)es->by_type[globals6[i].arg];
		return v;
	case S6_SENT:
		return (int64_t)io.tx_packets;
	case S6_TX:
		return (int64_t)io.tx_type[st->arg];
	case S6_PARSE_FAILED:
		return (int64_t)es->drop_malformed;
	case S6_RECEIVE_DROP:
		/* Every datagram dropped unanswered, whatever the reason. */
		return (int64_t)(es->drop_malformed + es->drop_not_for_server +
				 es->drop_client_id + es->drop_server_id +
				 es->drop_unicast + es->drop_no_subnet +
				 es->drop_other + es->drop_no_room +
				 es->drop_class);
	case S6_SUM:
		for (size_t i = 0; i < c6->n_subnets; i++)
			v += field6(ternd_engine6_subnet_stats(s->engine6, i),
				    st->arg);
		return v;
	case S6_FIELD:
		return field6(ternd_engine6_subnet_stats(s->engine6, st->sub),
			      st->arg);
	case S6_TOTAL_NAS:
		return total_nas(&c6->subnets[st->sub]);
	case S6_TOTAL_PDS:
		return total_pds(&c6->subnets[st->sub]);
	default:
		return 0;
	}
}

static void init6(struct tstat_table *t, struct tstat *st, const struct def6 *d)
{
	st->src = d->src;
	st->arg = d->arg;
	st->family = d->family;
	st->op = d->op;
	st->counter = true;
	st->present = !d->lazy;
	tstat_init_limits(t, st);
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(((const struct tstat *)a)->name,
		      ((const struct tstat *)b)->name);
}

static int build6(const struct ternd_config6 *c6, struct tstat_table *t)
{
	size_t n = N_G6 + c6->n_subnets * N_S6, k = 0;

	t->v = calloc(n, sizeof(*t->v));
	if (!t->v)
		return -ENOMEM;
	for (size_t i = 0; i < N_G6; i++, k++) {
		snprintf(t->v[k].name, sizeof(t->v[k].name), "%s",
			 globals6[i].name);
		init6(t, &t->v[k], &globals6[i]);
	}
	for (size_t j = 0; j < c6->n_subnets; j++)
		for (size_t i = 0; i < N_S6; i++, k++) {
			snprintf(t->v[k].name, sizeof(t->v[k].name),
				 "subnet[%u].%s", c6->subnets[j].id,
				 per_subnet6[i].name);
			init6(t, &t->v[k], &per_subnet6[i]);
			t->v[k].sub = (uint32_t)j;
		}
	t->n = k;
	qsort(t->v, t->n, sizeof(*t->v), cmp_name);
	return 0;
}

int ternd_stats_start6(const struct ternd_config *cfg,
		       const struct ternd_engine6 *engine,
		       const struct ternd_io6 *io, struct ternd_control *ctl,
		       struct ternd_stats **ret)
{
	struct ternd_stats *s;
	int r;

	if (!cfg || !cfg->v6 || !engine || !ret)
		return -EINVAL;
	if (!(s = calloc(1, sizeof(*s))))
		return -ENOMEM;
	s->cfg = cfg;
	s->engine6 = engine;
	s->io6 = io;
	s->tfd = -1;
	tstat_default_limits(cfg, &s->t);
	if ((r = build6(cfg->v6, &s->t)) < 0 || (r = tstat_run(s, ctl)) < 0) {
		ternd_stats_free(s);
		return r;
	}
	*ret = s;
	return 0;
}

/* A subnet statistic (indexes the configuration's subnets). */
static bool per_subnet(const struct tstat *st)
{
	return st->src == S6_FIELD || st->src == S6_TOTAL_NAS ||
	       st->src == S6_TOTAL_PDS;
}

/* A sum over the subnets that is a gauge (the new engine recounts it). */
static bool gauge_sum(const struct tstat *st)
{
	return st->src == S6_SUM &&
	       (st->arg == F6_ASSIGNED_NA || st->arg == F6_ASSIGNED_PD ||
		st->arg == F6_DECLINED);
}

int ternd_stats_reconfigure6(struct ternd_stats *s,
			     const struct ternd_config *cfg,
			     const struct ternd_engine6 *engine,
			     const struct ternd_io6 *io)
{
	struct tstat_table nt = {0};
	int64_t *old = NULL;
	int r;

	if (!s || !cfg || !cfg->v6 || !engine)
		return -EINVAL;
	tstat_default_limits(cfg, &nt);
	old = calloc(s->t.n ? s->t.n : 1, sizeof(*old));
	if (!old || (r = build6(cfg->v6, &nt)) < 0) {
		/* Only the global statistics are kept. */
		size_t k = 0;

		for (size_t i = 0; i < s->t.n; i++) {
			if (per_subnet(&s->t.v[i]))
				tstat_free_samples(&s->t.v[i]);
			else
				s->t.v[k++] = s->t.v[i];
		}
		s->t.n = k;
		tstat_table_free(&nt);
		r = -ENOMEM;
		goto out;
	}
	/* The old engine is still alive: what each statistic shows now. */
	for (size_t i = 0; i < s->t.n; i++)
		old[i] = tstat_value(s, &s->t.v[i]);
	s->cfg = cfg;
	s->engine6 = engine;
	s->io6 = io;
	/* The global statistics go on: the packet counters with the engine's
	 * own (ternd_engine6_carry), a sum of the subnets' counters from its
	 * value now (the subnets start again), a gauge from the new count. */
	for (size_t i = 0; i < s->t.n; i++) {
		struct tstat *o = &s->t.v[i], *n;

		if (per_subnet(o) || !(n = tstat_find(&nt, o->name)))
			continue;
		n->present = o->present;
		n->by_age = o->by_age;
		n->max_count = o->max_count;
		n->max_age_us = o->max_age_us;
		if (gauge_sum(o)) {
			n->carry = n->base = 0;
		} else if (o->src == S6_SUM) {
			n->carry = old[i];
			n->base = tstat_source6(s, n);
		} else {
			n->carry = o->carry;
			n->base = o->base;
		}
		n->ring = o->ring;
		n->cap = o->cap;
		n->start = o->start;
		n->n = o->n;
		o->ring = NULL;
		o->cap = o->n = 0;
	}
	tstat_table_free(&s->t);
	s->t = nt;
	r = 0;
out:
	free(old);
	s->cfg = cfg;
	s->engine6 = engine;
	s->io6 = io;
	tstat_observe_all(s, tstat_now_us());
	return r;
}
