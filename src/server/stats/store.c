/* ternd statistics: Kea's observations in a table sorted by name, each
 * with a bounded list of timestamped samples (limited by count or age). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/json.h"
#include "server/stats/internal.h"

int64_t tstat_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void tstat_time_text(int64_t t_us, char *out, size_t len)
{
	time_t sec = (time_t)(t_us / 1000000);
	long us = (long)(t_us % 1000000);
	struct tm tm;

	if (us < 0) {
		us += 1000000;
		sec--;
	}
	localtime_r(&sec, &tm);
	snprintf(out, len, "%04d-%02d-%02d %02d:%02d:%02d.%06ld",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, us);
}

struct tstat *tstat_find(struct tstat_table *t, const char *name)
{
	size_t lo = 0, hi = t->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(t->v[mid].name, name);

		if (c == 0)
			return &t->v[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void tstat_init_limits(const struct tstat_table *t, struct tstat *st)
{
	st->by_age = t->dflt_by_age;
	st->max_count = t->dflt_count;
	st->max_age_us = t->dflt_age_us;
}

static struct tstat_sample *at(const struct tstat *st, uint32_t i)
{
	uint32_t k = st->start + i; /* < 2 * cap: no division needed */

	return &st->ring[k >= st->cap ? k - st->cap : k];
}

const struct tstat_sample *tstat_newest(const struct tstat *st)
{
	return st->n ? at(st, st->n - 1) : NULL;
}

static void drop_oldest(struct tstat *st)
{
	st->start = st->start + 1 == st->cap ? 0 : st->start + 1;
	st->n--;
}

/* Kea's trimming: by count, or every sample older than the newest by
 * more than the age. */
static void trim(struct tstat *st)
{
	uint32_t keep = st->by_age			    ? TSTAT_SAMPLES_MAX
			: st->max_count < TSTAT_SAMPLES_MAX ? st->max_count
							    : TSTAT_SAMPLES_MAX;

	while (st->n > keep && st->n > 1)
		drop_oldest(st);
	if (st->by_age)
		while (st->n > 1 &&
		       tstat_newest(st)->t - at(st, 0)->t > st->max_age_us)
			drop_oldest(st);
}

/* Room for one more sample: grow (doubling, bounded), or drop the
 * oldest. Returns false when memory ran out and there is no room. */
static bool make_room(struct tstat *st)
{
	uint32_t limit = st->by_age || st->max_count > TSTAT_SAMPLES_MAX
				 ? TSTAT_SAMPLES_MAX
				 : st->max_count;
	struct tstat_sample *nv;
	uint32_t ncap;

	if (st->n < st->cap)
		return true;
	if (st->cap >= limit) {
		if (st->n)
			drop_oldest(st);
		return st->cap > 0;
	}
	ncap = st->cap ? st->cap * 2 : 4;
	if (ncap > limit)
		ncap = limit;
	nv = malloc(sizeof(*nv) * ncap);
	if (!nv) {
		if (st->n)
			drop_oldest(st);
		return st->n < st->cap;
	}
	for (uint32_t i = 0; i < st->n; i++)
		nv[i] = *at(st, i);
	free(st->ring);
	st->ring = nv;
	st->cap = ncap;
	st->start = 0;
	return true;
}

static void push(struct tstat *st, int64_t v, int64_t now)
{
	if (!make_room(st))
		return;
	*at(st, st->n) = (struct tstat_sample){v, now};
	st->n++;
	trim(st);
}

void tstat_observe(struct tstat *st, int64_t v, int64_t now)
{
	const struct tstat_sample *nw = tstat_newest(st);

	if (st->present) {
		if (!nw || nw->v != v)
			push(st, v, now);
		return;
	}
	/* Removed (or not made yet): Kea makes it again at the next
	 * change, with that value. */
	if (v != 0) {
		st->present = true;
		st->n = st->start = 0;
		push(st, v, now);
	}
}

void tstat_reset(struct tstat *st, int64_t source, int64_t now)
{
	st->base = st->carry + source;
	st->present = true;
	st->n = st->start = 0;
	push(st, 0, now);
}

void tstat_remove(struct tstat *st, int64_t source)
{
	st->base = st->carry + source;
	st->present = false;
	st->n = st->start = 0;
}

void tstat_set_count(struct tstat *st, uint32_t n)
{
	st->by_age = false;
	st->max_count = n;
	trim(st);
}

void tstat_set_age(struct tstat *st, int64_t age_us)
{
	st->by_age = true;
	st->max_age_us = age_us;
	trim(st);
}

void tstat_free_samples(struct tstat *st)
{
	free(st->ring);
	st->ring = NULL;
	st->cap = st->n = st->start = 0;
}

struct tjson *tstat_json(struct tjson_doc *doc, const struct tstat *st)
{
	struct tjson *list = tjson_new_array(doc);
	char ts[80];

	for (uint32_t i = st->n; i-- > 0;) {
		const struct tstat_sample *s = at(st, i);
		struct tjson *pair = tjson_new_array(doc);

		tstat_time_text(s->t, ts, sizeof(ts));
		tjson_append(doc, pair, tjson_new_int(doc, s->v));
		tjson_append(doc, pair, tjson_new_string(doc, ts));
		tjson_append(doc, list, pair);
	}
	return list;
}

void tstat_table_free(struct tstat_table *t)
{
	for (size_t i = 0; t->v && i < t->n; i++)
		tstat_free_samples(&t->v[i]);
	free(t->v);
	t->v = NULL;
	t->n = 0;
}
