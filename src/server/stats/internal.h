/* ternd statistics internals (stats/ only): one statistic, its samples,
 * the table, the Prometheus families. */
#ifndef TERND_STATS_INTERNAL_H
#define TERND_STATS_INTERNAL_H

#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/config/config.h"
#include "server/engine4/engine.h"
#include "server/engine6/engine6.h"
#include "server/net/io.h"
#include "server/net/io6.h"
#include "server/stats/stats.h"

struct tjson;
struct tjson_doc;

/* Kea's defaults (statistic-default-sample-count / -age). */
#define TSTAT_DEFAULT_COUNT 20
/* Samples kept per statistic whatever the limits say: a client-set limit
 * must not let memory grow without bound. */
#define TSTAT_SAMPLES_MAX 65536
#define TSTAT_NAME_MAX	  64

struct tstat_sample {
	int64_t v;
	int64_t t; /* microseconds since the epoch (CLOCK_REALTIME) */
};

/* Where a statistic's value comes from. */
enum tstat_src {
	SRC_RECEIVED,	  /* pkt4-received */
	SRC_RX,		  /* pkt4-<type>-received, arg = message type */
	SRC_UNKNOWN,	  /* pkt4-unknown-received */
	SRC_SENT,	  /* pkt4-sent */
	SRC_TX,		  /* pkt4-<type>-sent, arg = message type */
	SRC_PARSE_FAILED, /* pkt4-parse-failed */
	SRC_RECEIVE_DROP, /* pkt4-receive-drop */
	SRC_SUM,	  /* a subnet field summed over subnets, arg = field */
	SRC_FIELD,	  /* subnet[ID].x, arg = field */
	SRC_TOTAL,	  /* subnet[ID].total-addresses */
	SRC_X,		  /* ternd's own, arg = enum ternd_xstat */
};

/* Fields of struct ternd_subnet_stats. */
enum tstat_field {
	F_ASSIGNED,
	F_DECLINED,
	F_CUMULATIVE,
	F_RECLAIMED,
	F_RECLAIMED_DECLINED,
	F_RES_CONFLICTS,
	F_AF, /* + enum ternd_alloc_fail */
};

/* Prometheus families, as ISC Stork's Kea exporter names them. */
enum tstat_family {
	FAM_NONE,
	FAM_PKT_RECEIVED,
	FAM_PKT_SENT,
	FAM_G_CUMULATIVE,
	FAM_G_DECLINED,
	FAM_G_DECLINED_RECLAIMED,
	FAM_G_RECLAIMED,
	FAM_G_AF, /* + enum ternd_alloc_fail */
	FAM_G_RES_CONFLICTS = FAM_G_AF + TERND_AF__MAX,
	FAM_X, /* + enum ternd_xstat: ternd's own */
	FAM_S_ASSIGNED = FAM_X + TERND_X__MAX,
	FAM_S_DECLINED,
	FAM_S_DECLINED_RECLAIMED,
	FAM_S_RECLAIMED,
	FAM_S_TOTAL,
	FAM_S_CUMULATIVE,
	FAM_S_AF, /* + enum ternd_alloc_fail */
	FAM_S_RES_CONFLICTS = FAM_S_AF + TERND_AF__MAX,
	/* A Dhcp6 ternd's (Stork's kea_dhcp6_*): globals, then per subnet
	 * from FAM6_S_FIRST on. */
	FAM6_PKT_RECEIVED,
	FAM6_PKT_SENT,
	FAM6_G_DECLINED,
	FAM6_G_CUMULATIVE_NA,
	FAM6_G_CUMULATIVE_PD,
	FAM6_G_DECLINED_RECLAIMED,
	FAM6_G_RECLAIMED,
	FAM6_G_AF, /* + enum ternd_af6 */
	FAM6_S_NA_TOTAL = FAM6_G_AF + TERND_AF6__MAX,
	FAM6_S_NA_ASSIGNED,
	FAM6_S_PD_TOTAL,
	FAM6_S_PD_ASSIGNED,
	FAM6_S_RECLAIMED,
	FAM6_S_DECLINED,
	FAM6_S_DECLINED_RECLAIMED,
	FAM6_S_CUMULATIVE_NA,
	FAM6_S_CUMULATIVE_PD,
	FAM6_S_AF, /* + enum ternd_af6 */
	FAM__MAX = FAM6_S_AF + TERND_AF6__MAX,
};
#define FAM6_S_FIRST FAM6_S_NA_TOTAL

struct tstat {
	char name[TSTAT_NAME_MAX];
	uint8_t src;	/* enum tstat_src */
	uint8_t arg;	/* message type or field */
	uint8_t family; /* enum tstat_family */
	uint8_t op;	/* index of the operation label (packets) */
	bool counter;	/* goes on over an engine swap (gauges do not) */
	bool present;	/* shown; false once removed, or until first set
			   (lazy) */
	bool by_age;	/* limit by age (else by count) */
	uint32_t sub;	/* subnet index (SRC_FIELD, SRC_TOTAL) */
	uint32_t max_count;
	int64_t max_age_us;
	/* value = carry + source - base: reset and remove move base, an
	 * engine swap moves carry */
	int64_t carry, base;
	/* Ring of samples, oldest at start; n <= cap. */
	struct tstat_sample *ring;
	uint32_t cap, start, n;
};

struct tstat_table {
	struct tstat *v; /* sorted by name (Kea's std::map order) */
	size_t n;
	/* Limits a statistic gets when it is (re)created. */
	bool dflt_by_age;
	uint32_t dflt_count;
	int64_t dflt_age_us;
};

/* store.c: the table and the samples, no DHCP knowledge. */
struct tstat *tstat_find(struct tstat_table *t, const char *name);
void tstat_init_limits(const struct tstat_table *t, struct tstat *st);
/* Record v at now when it differs from the newest sample (or the
 * statistic comes back into existence with a value other than 0). */
void tstat_observe(struct tstat *st, int64_t v, int64_t now);
void tstat_reset(struct tstat *st, int64_t source, int64_t now);
void tstat_remove(struct tstat *st, int64_t source);
void tstat_set_count(struct tstat *st, uint32_t n);
void tstat_set_age(struct tstat *st, int64_t age_us);
void tstat_free_samples(struct tstat *st);
/* The newest sample, NULL when there is none. */
const struct tstat_sample *tstat_newest(const struct tstat *st);
/* [ [ v, "ts" ], ... ], newest first. */
struct tjson *tstat_json(struct tjson_doc *doc, const struct tstat *st);
/* Kea's clockToText: local time, "YYYY-MM-DD HH:MM:SS.ffffff". */
void tstat_time_text(int64_t t_us, char *out, size_t len);
int64_t tstat_now_us(void);
void tstat_table_free(struct tstat_table *t);

/* The Prometheus endpoint (metrics.c). */
struct tmetrics;

struct ternd_stats {
	const struct ternd_config *cfg;
	const struct ternd_engine *engine;
	const struct ternd_io *io;
	/* A Dhcp6 ternd's (engine and io NULL then): dhcp6.c's names. */
	const struct ternd_engine6 *engine6;
	const struct ternd_io6 *io6;
	struct tstat_table t;
	int tfd;
	struct tmetrics *metrics; /* NULL unless configured */
	/* The subnets' sums as the old engine left them, taken before a
	 * swap frees it (ternd_stats_before_swap). */
	bool frozen;
	int64_t frozen_sums[F_AF + TERND_AF__MAX];
	ternd_xstats_fn xfn; /* ternd's own statistics, NULL: none */
	void *xctx;
};

/* dhcp4.c */
int64_t tstat_source(const struct ternd_stats *s, const struct tstat *st);
static inline int64_t tstat_value(const struct ternd_stats *s,
				  const struct tstat *st)
{
	return st->carry + tstat_source(s, st) - st->base;
}
/* Sample every statistic whose value changed (commands call it first, so
 * what they show is now's). */
void tstat_observe_all(struct ternd_stats *s, int64_t now);
int tstat_build(const struct ternd_config *cfg, struct tstat_table *t);
/* statistic-default-sample-count / -age of cfg into t's defaults. */
void tstat_default_limits(const struct ternd_config *cfg,
			  struct tstat_table *t);

/* dhcp6.c: a Dhcp6 ternd's statistics (Kea's dhcp6 names). */
int64_t tstat_source6(const struct ternd_stats *s, const struct tstat *st);

/* commands.c */
int tstat_register(struct ternd_stats *s, struct ternd_control *ctl);
/* A built table running: the first samples, the 1 s tick, the commands
 * on ctl (NULL: none), /metrics when configured; 0 or -errno (logged;
 * the caller frees s). */
int tstat_run(struct ternd_stats *s, struct ternd_control *ctl);

/* metrics.c: families, rendering (pure), and the HTTP server. */
struct tmetric_point {
	int64_t v;
	uint32_t subnet_id;
	uint32_t network;	  /* host order */
	struct in6_addr network6; /* a v6 family's */
	uint8_t prefix_len;
	uint8_t family;
	uint8_t op;
};
/* Prometheus text of points[0..n) (any order); a malloc'ed string. */
int tmetrics_render(const struct tmetric_point *p, size_t n, char **ret,
		    size_t *ret_len);
const char *tmetrics_op_name(uint8_t op);
int tmetrics_open(const struct ternd_config *cfg, struct tmetrics **ret);
/* From the event loop: start the thread (once), publish the values. */
void tmetrics_publish(struct tmetrics *m, const struct ternd_stats *s);
void tmetrics_free(struct tmetrics *m);

#endif
