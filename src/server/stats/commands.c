/* ternd statistics: Kea's statistic-* commands (built into kea-dhcp4) and
 * stat_cmds' stat-lease4-get, with Kea 2.2's arguments, answers and texts
 * (kea@2.2.0 src/lib/stats/stats_mgr.cc, src/hooks/dhcp/stat_cmds). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/json.h"
#include "server/config/config6.h"
#include "server/control/control.h"
#include "server/stats/internal.h"

/* Texts quote what the client sent: bounded so they fit the answer's. */
#define Q "%.160s"

static bool bad(char *text, size_t len, const char *msg)
{
	snprintf(text, len, "%s", msg);
	return false;
}

/* StatsMgr::getStatName */
static const char *stat_name(const struct tjson *args, char *text, size_t len)
{
	const struct tjson *n = args ? tjson_get(args, "name") : NULL;

	if (!n) {
		bad(text, len, "Missing mandatory 'name' parameter.");
		return NULL;
	}
	if (n->type != TJSON_STRING) {
		bad(text, len, "'name' parameter expected to be a string.");
		return NULL;
	}
	return n->s;
}

/* The statistic name, sampled now; NULL when there is none (text set
 * when the name argument itself was wrong). */
static struct tstat *named(struct ternd_stats *s, const struct tjson *args,
			   const char **ret_name, char *text, size_t len)
{
	const char *name = stat_name(args, text, len);
	struct tstat *st;

	*ret_name = name;
	if (!name)
		return NULL;
	tstat_observe_all(s, tstat_now_us());
	st = tstat_find(&s->t, name);
	return st && st->present ? st : NULL;
}

static int cmd_get(void *ctx, const struct tjson *args, struct tjson_doc *out,
		   struct tjson **ret_args, char *text, size_t len)
{
	const char *name;
	struct tstat *st = named(ctx, args, &name, text, len);
	struct tjson *o;

	if (!name)
		return TERND_CTL_ERROR;
	/* Kea answers an unknown name with an empty map, not an error. */
	o = tjson_new_object(out);
	if (st)
		tjson_add(out, o, st->name, tstat_json(out, st));
	*ret_args = o;
	return TERND_CTL_SUCCESS;
}

static int cmd_get_all(void *ctx, const struct tjson *args,
		       struct tjson_doc *out, struct tjson **ret_args,
		       char *text, size_t len)
{
	struct ternd_stats *s = ctx;
	struct tjson *o = tjson_new_object(out);

	(void)args;
	(void)text;
	(void)len;
	tstat_observe_all(s, tstat_now_us());
	/* The table is in Kea's order already. */
	for (size_t i = 0; i < s->t.n; i++)
		if (s->t.v[i].present)
			tjson_add(out, o, s->t.v[i].name,
				  tstat_json(out, &s->t.v[i]));
	*ret_args = o;
	return TERND_CTL_SUCCESS;
}

static int cmd_reset(void *ctx, const struct tjson *args, struct tjson_doc *out,
		     struct tjson **ret_args, char *text, size_t len)
{
	struct ternd_stats *s = ctx;
	const char *name;
	struct tstat *st = named(s, args, &name, text, len);

	(void)out;
	(void)ret_args;
	if (!name)
		return TERND_CTL_ERROR;
	if (!st) {
		snprintf(text, len, "No '" Q "' statistic found", name);
		return TERND_CTL_ERROR;
	}
	tstat_reset(st, tstat_source(s, st), tstat_now_us());
	snprintf(text, len, "Statistic '%s' reset.", st->name);
	return TERND_CTL_SUCCESS;
}

static int cmd_reset_all(void *ctx, const struct tjson *args,
			 struct tjson_doc *out, struct tjson **ret_args,
			 char *text, size_t len)
{
	struct ternd_stats *s = ctx;
	int64_t now = tstat_now_us();

	(void)args;
	(void)out;
	(void)ret_args;
	for (size_t i = 0; i < s->t.n; i++)
		if (s->t.v[i].present)
			tstat_reset(&s->t.v[i], tstat_source(s, &s->t.v[i]),
				    now);
	snprintf(text, len, "All statistics reset to neutral values.");
	return TERND_CTL_SUCCESS;
}

static int cmd_remove(void *ctx, const struct tjson *args,
		      struct tjson_doc *out, struct tjson **ret_args,
		      char *text, size_t len)
{
	struct ternd_stats *s = ctx;
	const char *name;
	struct tstat *st = named(s, args, &name, text, len);

	(void)out;
	(void)ret_args;
	if (!name)
		return TERND_CTL_ERROR;
	if (!st) {
		snprintf(text, len, "No '" Q "' statistic found", name);
		return TERND_CTL_ERROR;
	}
	tstat_remove(st, tstat_source(s, st));
	tstat_init_limits(&s->t, st);
	snprintf(text, len, "Statistic '%s' removed.", st->name);
	return TERND_CTL_SUCCESS;
}

static int cmd_remove_all(void *ctx, const struct tjson *args,
			  struct tjson_doc *out, struct tjson **ret_args,
			  char *text, size_t len)
{
	struct ternd_stats *s = ctx;

	(void)args;
	(void)out;
	(void)ret_args;
	for (size_t i = 0; i < s->t.n; i++) {
		tstat_remove(&s->t.v[i], tstat_source(s, &s->t.v[i]));
		tstat_init_limits(&s->t, &s->t.v[i]);
	}
	snprintf(text, len,
		 "Warning: statistic-remove-all command is deprecated. All "
		 "statistics removed.");
	return TERND_CTL_SUCCESS;
}

/* StatsMgr::getStatDuration: seconds. */
static bool duration(const struct tjson *args, int64_t *ret_us, char *text,
		     size_t len)
{
	const struct tjson *d = args ? tjson_get(args, "duration") : NULL;

	if (!d)
		return bad(text, len,
			   "Missing mandatory 'duration' parameter.");
	if (d->type != TJSON_NUMBER || !d->is_int)
		return bad(text, len,
			   "'duration' parameter expected to be an integer.");
	if (d->i < 0 || d->i > INT64_MAX / 1000000)
		return bad(text, len,
			   "'duration' parameter must not be negative");
	*ret_us = d->i * 1000000;
	return true;
}

/* StatsMgr::getStatMaxSamples; 0 is refused (Kea's -all refuses it; the
 * single form would leave a statistic with no sample). */
static bool max_samples(const struct tjson *args, uint32_t *ret, char *text,
			size_t len)
{
	const struct tjson *m = args ? tjson_get(args, "max-samples") : NULL;

	if (!m)
		return bad(text, len,
			   "Missing mandatory 'max-samples' parameter.");
	if (m->type != TJSON_NUMBER || !m->is_int || m->i < 0 ||
	    m->i > UINT32_MAX)
		return bad(text, len,
			   "'max-samples' parameter expected to be an "
			   "integer.");
	if (m->i == 0)
		return bad(text, len,
			   "'max-samples' parameter must not be zero");
	*ret = (uint32_t)m->i;
	return true;
}

static int cmd_age_set(void *ctx, const struct tjson *args,
		       struct tjson_doc *out, struct tjson **ret_args,
		       char *text, size_t len)
{
	struct ternd_stats *s = ctx;
	const char *name = stat_name(args, text, len);
	struct tstat *st;
	int64_t us;

	(void)out;
	(void)ret_args;
	if (!name || !duration(args, &us, text, len))
		return TERND_CTL_ERROR;
	tstat_observe_all(s, tstat_now_us());
	st = tstat_find(&s->t, name);
	if (!st || !st->present) {
		snprintf(text, len, "No '" Q "' statistic found", name);
		return TERND_CTL_ERROR;
	}
	tstat_set_age(st, us);
	snprintf(text, len, "Statistic '%s' duration limit is set.", st->name);
	return TERND_CTL_SUCCESS;
}

static int cmd_count_set(void *ctx, const struct tjson *args,
			 struct tjson_doc *out, struct tjson **ret_args,
			 char *text, size_t len)
{
	struct ternd_stats *s = ctx;
	const char *name = stat_name(args, text, len);
	struct tstat *st;
	uint32_t n;

	(void)out;
	(void)ret_args;
	if (!name || !max_samples(args, &n, text, len))
		return TERND_CTL_ERROR;
	tstat_observe_all(s, tstat_now_us());
	st = tstat_find(&s->t, name);
	if (!st || !st->present) {
		snprintf(text, len, "No '" Q "' statistic found", name);
		return TERND_CTL_ERROR;
	}
	tstat_set_count(st, n);
	snprintf(text, len, "Statistic '%s' count limit is set.", st->name);
	return TERND_CTL_SUCCESS;
}

static int cmd_age_set_all(void *ctx, const struct tjson *args,
			   struct tjson_doc *out, struct tjson **ret_args,
			   char *text, size_t len)
{
	struct ternd_stats *s = ctx;
	int64_t us;

	(void)out;
	(void)ret_args;
	if (!duration(args, &us, text, len))
		return TERND_CTL_ERROR;
	/* New statistics get the limit too (Kea's default). */
	s->t.dflt_by_age = true;
	s->t.dflt_age_us = us;
	for (size_t i = 0; i < s->t.n; i++)
		tstat_set_age(&s->t.v[i], us);
	snprintf(text, len, "All statistics duration limit are set.");
	return TERND_CTL_SUCCESS;
}

static int cmd_count_set_all(void *ctx, const struct tjson *args,
			     struct tjson_doc *out, struct tjson **ret_args,
			     char *text, size_t len)
{
	struct ternd_stats *s = ctx;
	uint32_t n;

	(void)out;
	(void)ret_args;
	if (!max_samples(args, &n, text, len))
		return TERND_CTL_ERROR;
	s->t.dflt_by_age = false;
	s->t.dflt_count = n;
	for (size_t i = 0; i < s->t.n; i++)
		tstat_set_count(&s->t.v[i], n);
	snprintf(text, len, "All statistics count limit are set.");
	return TERND_CTL_SUCCESS;
}

/* ---- stat-lease4-get ---------------------------------------------------- */

enum sel { SEL_ALL, SEL_ONE, SEL_RANGE };

/* LeaseStatCmdsImpl::getParameters; false with the error text. */
static bool lease_params(const struct tjson *args, enum sel *ret_sel,
			 int64_t *first, int64_t *last, char *text, size_t len)
{
	const struct tjson *v, *range;

	*ret_sel = SEL_ALL;
	*first = *last = 0;
	if (!args)
		return true;
	if ((v = tjson_get(args, "subnet-id"))) {
		if (v->type != TJSON_NUMBER || !v->is_int)
			return bad(text, len,
				   "'subnet-id' parameter is not integer");
		if (v->i <= 0)
			return bad(text, len,
				   "'subnet-id' parameter must be > 0");
		*first = v->i;
		*ret_sel = SEL_ONE;
	}
	if (!(range = tjson_get(args, "subnet-range")))
		return true;
	if (*ret_sel == SEL_ONE)
		return bad(text, len,
			   "cannot specify both subnet-id and subnet-range");
	if (range->type != TJSON_OBJECT)
		return bad(text, len, "subnet-range parameter is not a map");
	v = tjson_get(range, "first-subnet-id");
	if (!v || v->type != TJSON_NUMBER || !v->is_int)
		return bad(text, len,
			   "'first-subnet-id' parameter missing or not an "
			   "integer");
	if (v->i <= 0)
		return bad(text, len,
			   "'first-subnet-id' parameter must be > 0");
	*first = v->i;
	v = tjson_get(range, "last-subnet-id");
	if (!v || v->type != TJSON_NUMBER || !v->is_int)
		return bad(text, len,
			   "'last-subnet-id' parameter missing or not an "
			   "integer");
	if (v->i <= 0)
		return bad(text, len, "'last-subnet-id' parameter must be > 0");
	*last = v->i;
	if (*last < *first)
		return bad(text, len,
			   "'last-subnet-id' must be greater than "
			   "'first-subnet-id'");
	*ret_sel = SEL_RANGE;
	return true;
}

/* A subnet statistic's current value, 0 when removed (getSubnetStat). */
static int64_t subnet_stat(struct ternd_stats *s, uint32_t id,
			   const char *suffix)
{
	char name[TSTAT_NAME_MAX];
	const struct tstat *st;

	snprintf(name, sizeof(name), "subnet[%u].%s", id, suffix);
	st = tstat_find(&s->t, name);
	return st && st->present && st->n ? tstat_newest(st)->v : 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Kea writes the result set's timestamp in UTC (ptimeToText of
 * universal_time). */
static void utc_now_text(char *ts, size_t len)
{
	int64_t now = tstat_now_us();
	time_t sec = (time_t)(now / 1000000);
	struct tm tm;

	gmtime_r(&sec, &tm);
	snprintf(ts, len, "%04d-%02d-%02d %02d:%02d:%02d.%06lld",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, (long long)(now % 1000000));
}

static int cmd_stat_lease4_get(void *ctx, const struct tjson *args,
			       struct tjson_doc *out, struct tjson **ret_args,
			       char *text, size_t len)
{
	static const char *const columns[] = {
		"subnet-id", "total-addresses", "cumulative-assigned-addresses",
		"assigned-addresses", "declined-addresses"};
	struct ternd_stats *s = ctx;
	const struct ternd_subnet_stats *ss =
		ternd_engine_subnet_stats(s->engine);
	const struct ternd_config *cfg = s->cfg;
	struct tjson *res, *set, *cols, *rows;
	char sel_text[64], ts[80];
	uint32_t *ids = NULL;
	int64_t first, last;
	size_t nrows = 0;
	enum sel sel;

	if (!lease_params(args, &sel, &first, &last, text, len))
		return TERND_CTL_ERROR;
	if (sel == SEL_ALL)
		snprintf(sel_text, sizeof(sel_text), "[all subnets]");
	else if (sel == SEL_ONE)
		snprintf(sel_text, sizeof(sel_text), "[subnet-id=%lld]",
			 (long long)first);
	else
		snprintf(sel_text, sizeof(sel_text),
			 "[subnets %lld through %lld]", (long long)first,
			 (long long)last);
	tstat_observe_all(s, tstat_now_us());
	/* Subnets in id order, as Kea's index walks them. */
	ids = malloc(sizeof(*ids) * (cfg->n_subnets ? cfg->n_subnets : 1));
	if (!ids)
		return bad(text, len, "out of memory") ? 0 : TERND_CTL_ERROR;
	for (size_t i = 0; i < cfg->n_subnets; i++) {
		uint32_t id = cfg->subnets[i].id;

		if (sel == SEL_ALL || (sel == SEL_ONE && id == first) ||
		    (sel == SEL_RANGE && id >= first && id <= last))
			ids[nrows++] = (uint32_t)i;
	}
	if (!nrows) {
		free(ids);
		*ret_args = tjson_new_object(out);
		if (sel == SEL_ONE)
			snprintf(text, len,
				 "stat-lease4-get%s: no matching data, "
				 "subnet-id: %lld does not exist",
				 sel_text, (long long)first);
		else
			snprintf(text, len,
				 "stat-lease4-get%s: no matching data, "
				 "selected ID range: %lld through %lld "
				 "includes no known subnets",
				 sel_text, (long long)first, (long long)last);
		return TERND_CTL_EMPTY;
	}
	/* Sort the indexes by subnet id: (id << 32 | index) keys. */
	{
		uint64_t *keys = malloc(sizeof(*keys) * nrows);

		if (!keys) {
			free(ids);
			return bad(text, len, "out of memory")
				       ? 0
				       : TERND_CTL_ERROR;
		}
		for (size_t i = 0; i < nrows; i++)
			keys[i] = (uint64_t)cfg->subnets[ids[i]].id << 32 |
				  ids[i];
		qsort(keys, nrows, sizeof(*keys), cmp_u64);
		for (size_t i = 0; i < nrows; i++)
			ids[i] = (uint32_t)keys[i];
		free(keys);
	}
	res = tjson_new_object(out);
	set = tjson_new_object(out);
	cols = tjson_new_array(out);
	rows = tjson_new_array(out);
	for (size_t i = 0; i < sizeof(columns) / sizeof(columns[0]); i++)
		tjson_append(out, cols, tjson_new_string(out, columns[i]));
	for (size_t i = 0; i < nrows; i++) {
		uint32_t id = cfg->subnets[ids[i]].id;
		const struct ternd_subnet_stats *x = &ss[ids[i]];
		struct tjson *row = tjson_new_array(out);

		/* The lease counts come from the leases (state default and
		 * declined), the other two from the statistics. */
		tjson_append(out, row, tjson_new_int(out, id));
		tjson_append(
			out, row,
			tjson_new_int(out,
				      subnet_stat(s, id, "total-addresses")));
		tjson_append(
			out, row,
			tjson_new_int(out, subnet_stat(s, id,
						       "cumulative-assigned-"
						       "addresses")));
		tjson_append(out, row,
			     tjson_new_int(out, x->assigned - x->declined));
		tjson_append(out, row, tjson_new_int(out, x->declined));
		tjson_append(out, rows, row);
	}
	free(ids);
	utc_now_text(ts, sizeof(ts));
	tjson_add(out, set, "columns", cols);
	tjson_add(out, set, "rows", rows);
	tjson_add_str(out, set, "timestamp", ts);
	tjson_add(out, res, "result-set", set);
	*ret_args = res;
	snprintf(text, len, "stat-lease4-get%s: %zu rows found", sel_text,
		 nrows);
	return TERND_CTL_SUCCESS;
}

/* Kea's stat-lease6-get: a row per selected subnet in id order, the
 * lease counts from the lease table (state default NA and PD, declined),
 * the totals and cumulative counts from the statistics. */
static int cmd_stat_lease6_get(void *ctx, const struct tjson *args,
			       struct tjson_doc *out, struct tjson **ret_args,
			       char *text, size_t len)
{
	static const char *const columns[] = {"subnet-id",
					      "total-nas",
					      "cumulative-assigned-nas",
					      "assigned-nas",
					      "declined-nas",
					      "total-pds",
					      "cumulative-assigned-pds",
					      "assigned-pds"};
	struct ternd_stats *s = ctx;
	const struct ternd_config6 *c6 = s->cfg->v6;
	struct tjson *res, *set, *cols, *rows;
	char sel_text[64], ts[80];
	uint64_t *keys;
	int64_t first, last;
	size_t nrows = 0;
	enum sel sel;

	if (!lease_params(args, &sel, &first, &last, text, len))
		return TERND_CTL_ERROR;
	if (sel == SEL_ALL)
		snprintf(sel_text, sizeof(sel_text), "[all subnets]");
	else if (sel == SEL_ONE)
		snprintf(sel_text, sizeof(sel_text), "[subnet-id=%lld]",
			 (long long)first);
	else
		snprintf(sel_text, sizeof(sel_text),
			 "[subnets %lld through %lld]", (long long)first,
			 (long long)last);
	tstat_observe_all(s, tstat_now_us());
	keys = malloc(sizeof(*keys) * (c6->n_subnets ? c6->n_subnets : 1));
	if (!keys)
		return bad(text, len, "out of memory") ? 0 : TERND_CTL_ERROR;
	/* (id << 32 | index): sorted, the subnets in id order. */
	for (size_t i = 0; i < c6->n_subnets; i++) {
		uint32_t id = c6->subnets[i].id;

		if (sel == SEL_ALL || (sel == SEL_ONE && id == first) ||
		    (sel == SEL_RANGE && id >= first && id <= last))
			keys[nrows++] = (uint64_t)id << 32 | i;
	}
	if (!nrows) {
		free(keys);
		*ret_args = tjson_new_object(out);
		if (sel == SEL_ONE)
			snprintf(text, len,
				 "stat-lease6-get%s: no matching data, "
				 "subnet-id: %lld does not exist",
				 sel_text, (long long)first);
		else
			snprintf(text, len,
				 "stat-lease6-get%s: no matching data, "
				 "selected ID range: %lld through %lld "
				 "includes no known subnets",
				 sel_text, (long long)first, (long long)last);
		return TERND_CTL_EMPTY;
	}
	qsort(keys, nrows, sizeof(*keys), cmp_u64);
	res = tjson_new_object(out);
	set = tjson_new_object(out);
	cols = tjson_new_array(out);
	rows = tjson_new_array(out);
	for (size_t i = 0; i < sizeof(columns) / sizeof(columns[0]); i++)
		tjson_append(out, cols, tjson_new_string(out, columns[i]));
	for (size_t i = 0; i < nrows; i++) {
		uint32_t id = (uint32_t)(keys[i] >> 32);
		const struct ternd_engine6_subnet_stats *x =
			ternd_engine6_subnet_stats(s->engine6,
						   (uint32_t)keys[i]);
		struct tjson *row = tjson_new_array(out);
		int64_t v[8] = {
			id,
			subnet_stat(s, id, "total-nas"),
			subnet_stat(s, id, "cumulative-assigned-nas"),
			(int64_t)x->assigned_na,
			(int64_t)x->declined,
			subnet_stat(s, id, "total-pds"),
			subnet_stat(s, id, "cumulative-assigned-pds"),
			(int64_t)x->assigned_pd,
		};

		for (size_t k = 0; k < 8; k++)
			tjson_append(out, row, tjson_new_int(out, v[k]));
		tjson_append(out, rows, row);
	}
	free(keys);
	utc_now_text(ts, sizeof(ts));
	tjson_add(out, set, "columns", cols);
	tjson_add(out, set, "rows", rows);
	tjson_add_str(out, set, "timestamp", ts);
	tjson_add(out, res, "result-set", set);
	*ret_args = res;
	snprintf(text, len, "stat-lease6-get%s: %zu rows found", sel_text,
		 nrows);
	return TERND_CTL_SUCCESS;
}

int tstat_register(struct ternd_stats *s, struct ternd_control *ctl)
{
	static const struct {
		const char *name;
		ternd_ctl_fn fn;
	} cmds[] = {
		{"statistic-get", cmd_get},
		{"statistic-get-all", cmd_get_all},
		{"statistic-remove", cmd_remove},
		{"statistic-remove-all", cmd_remove_all},
		{"statistic-reset", cmd_reset},
		{"statistic-reset-all", cmd_reset_all},
		{"statistic-sample-age-set", cmd_age_set},
		{"statistic-sample-age-set-all", cmd_age_set_all},
		{"statistic-sample-count-set", cmd_count_set},
		{"statistic-sample-count-set-all", cmd_count_set_all},
	};
	int r;

	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if ((r = ternd_control_add(ctl, cmds[i].name, cmds[i].fn, s)) <
		    0)
			return r;
	if (s->cfg->hooks.stat_cmds &&
	    (r = ternd_control_add(
		     ctl, s->engine6 ? "stat-lease6-get" : "stat-lease4-get",
		     s->engine6 ? cmd_stat_lease6_get : cmd_stat_lease4_get,
		     s)) < 0)
		return r;
	return 0;
}
