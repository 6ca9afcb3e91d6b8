/* ternd hooks: Kea's forensic log (libdhcp_legal_log.so, text file
 * backend): its DHCPv4 entries, its file names and its rotation. */
#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "server/hooks/internal.h"

/*
 * The library was closed source in Kea 2.2 (ARM: hooks-legal-log.rst,
 * which gives the format); ISC opened it in 2.7.7 with no change to the
 * format since 2.2 in its ChangeLog: src/hooks/dhcp/forensic_log/
 * lease4_callouts.cc (genLease4Entry), rotating_file.cc,
 * src/lib/dhcpsrv/legal_log_mgr.cc. An ACK's leases are "assigned" (the
 * library cannot tell a renewal: it reads leases4_committed), a release
 * and a decline "released".
 *
 * Files: PATH/BASE.CCYYMMDD.txt (day, month, year) or
 * PATH/BASE.T<20-digit Unix time>.txt (second), named after the time
 * they were opened. Before a write, a file opened COUNT units ago (whole
 * days, months, years by the calendar, or seconds) is closed and a new
 * one opened; COUNT 0 never rotates. At start the newest matching file
 * is appended to while its period lasts.
 */

struct hk_legal {
	const struct ternd_config_hooks *c;
	struct hk_runner *runner; /* prerotate / postrotate */
	FILE *f;
	char name[PATH_MAX];
	time_t opened; /* the start of the file's period */
};

/* ---- the entry ---- */

struct out {
	char *p;
	size_t cap, n;
	bool full;
};

__attribute__((format(printf, 2, 3))) static void add(struct out *o,
						      const char *fmt, ...)
{
	va_list ap;
	int k;

	if (o->full)
		return;
	va_start(ap, fmt);
	k = vsnprintf(o->p + o->n, o->cap - o->n, fmt, ap);
	va_end(ap);
	if (k < 0 || (size_t)k >= o->cap - o->n) {
		o->full = true;
		return;
	}
	o->n += (size_t)k;
}

static void hex(struct out *o, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		add(o, "%s%02x", i ? ":" : "", p[i]);
}

/* str::isPrintable, then LegalLogMgr::vectorDump in parentheses. */
static void printable(struct out *o, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isprint(p[i]))
			return;
	add(o, " (%.*s)", (int)n, (const char *)p);
}

/* LegalLogMgr::genDurationString. */
static void duration(struct out *o, uint32_t secs)
{
	uint32_t days;

	if (secs == UINT32_MAX) {
		add(o, "infinite duration");
		return;
	}
	days = secs / 86400;
	if (days)
		add(o, "%u days ", days);
	add(o, "%u hrs %u mins %u secs", secs / 3600 % 24, secs / 60 % 60,
	    secs % 60);
}

/* ", identified by circuit-id: ... and remote-id: ... and subscriber-id:
 * ..." from option 82's sub-options 1, 2 and 6, those present and not
 * empty. */
static void relay_ids(struct out *o, const struct hk_query *q)
{
	static const struct {
		uint8_t code;
		const char *name;
	} ids[] = {{1, "circuit-id"}, {2, "remote-id"}, {6, "subscriber-id"}};
	bool first = true;

	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		const uint8_t *v;
		int n = hk_rai_sub(q, ids[i].code, &v);

		if (n <= 0)
			continue;
		add(o, "%s%s: ", first ? ", identified by " : " and ",
		    ids[i].name);
		hex(o, v, (size_t)n);
		printable(o, v, (size_t)n);
		first = false;
	}
}

int hk_legal_entry(const struct hk_query *q, const struct ternd_hook_lease *l,
		   bool release, char *buf, size_t cap)
{
	struct out o = {buf, cap, 0, false};
	struct in_addr a = {htonl(l->l.addr)};
	char text[INET_ADDRSTRLEN];

	if (!cap)
		return -ENOBUFS;
	buf[0] = '\0';
	inet_ntop(AF_INET, &a, text, sizeof(text));
	add(&o, "Address: %s has been %s", text,
	    release ? "released" : "assigned");
	if (release) {
		add(&o, " from");
	} else {
		add(&o, " for ");
		duration(&o, l->l.valid_lifetime);
		add(&o, " to");
	}
	add(&o, " a device with hardware address: hwtype=%u ", l->l.htype);
	hex(&o, l->l.hw, l->l.hw_len);
	if (l->l.cid_len) {
		add(&o, ", client-id: ");
		hex(&o, l->l.cid, l->l.cid_len);
		printable(&o, l->l.cid, l->l.cid_len);
	}
	if (q && q->giaddr) {
		a.s_addr = htonl(q->giaddr);
		inet_ntop(AF_INET, &a, text, sizeof(text));
		add(&o, " connected via relay at address: %s", text);
		if (q->has_rai)
			relay_ids(&o, q);
	}
	return o.full ? -ENOBUFS : (int)o.n;
}

/* ---- time stamps ---- */

size_t hk_legal_timestamp(const char *fmt, const struct timespec *t, char *out,
			  size_t cap)
{
	char f[256];
	size_t k = 0;
	struct tm tm;

	/* Kea replaces %Q by microseconds as "mmm.uuu", then strftime. */
	for (const char *p = fmt; *p && k + 8 < sizeof(f); p++) {
		if (p[0] == '%' && p[1] == 'Q') {
			long us = t->tv_nsec / 1000;

			k += (size_t)snprintf(f + k, sizeof(f) - k,
					      "%03ld.%03ld", us / 1000,
					      us % 1000);
			p++;
		} else if (p[0] == '%' && p[1]) {
			f[k++] = *p++;
			f[k++] = *p;
		} else {
			f[k++] = *p;
		}
	}
	f[k] = '\0';
	localtime_r(&t->tv_sec, &tm);
	/* The format is the operator's (timestamp-format), as in Kea. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	return strftime(out, cap, f, &tm);
#pragma GCC diagnostic pop
}

/* ---- file names and periods ---- */

static int days_in(int y, int m) /* m 1..12 */
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : d[m - 1];
}

struct ymd {
	int y, m, d;
};

static struct ymd ymd_of(time_t t)
{
	struct tm tm;

	localtime_r(&t, &tm);
	return (struct ymd){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

static long cmp_ymd(struct ymd a, struct ymd b)
{
	return (long)(a.y - b.y) * 10000 + (a.m - b.m) * 100 + (a.d - b.d);
}

/* boost::gregorian's date + days/months/years (months snap to the end of
 * the month when the date is the last day of its month). */
static struct ymd ymd_add(struct ymd a, enum ternd_legal_unit u, uint32_t n)
{
	if (u == TERND_LEGAL_DAY) {
		struct tm tm = {0};

		tm.tm_year = a.y - 1900;
		tm.tm_mon = a.m - 1;
		tm.tm_mday = a.d + (int)(n > 4000000 ? 4000000 : n);
		tm.tm_hour = 12;
		timegm(&tm);
		return (struct ymd){tm.tm_year + 1900, tm.tm_mon + 1,
				    tm.tm_mday};
	} else {
		uint64_t months =
			(uint64_t)n * (u == TERND_LEGAL_YEAR ? 12 : 1);
		uint64_t idx =
			(uint64_t)a.y * 12 + (uint64_t)(a.m - 1) + months;
		struct ymd r;

		if (idx / 12 > 9999)
			return (struct ymd){9999, 12, 31};
		r.y = (int)(idx / 12);
		r.m = (int)(idx % 12) + 1;
		r.d = a.d == days_in(a.y, a.m) || a.d > days_in(r.y, r.m)
			      ? days_in(r.y, r.m)
			      : a.d;
		return r;
	}
}

/* Whether the file opened at `opened` has had its COUNT units at now. */
static bool due(const struct ternd_config_hooks *c, time_t opened, time_t now)
{
	if (c->legal_unit == TERND_LEGAL_SECOND)
		return (int64_t)c->legal_count <= (int64_t)now - opened;
	return cmp_ymd(ymd_add(ymd_of(opened), c->legal_unit, c->legal_count),
		       ymd_of(now)) <= 0;
}

static void file_name(const struct ternd_config_hooks *c, time_t t, char *out,
		      size_t cap)
{
	struct ymd d = ymd_of(t);

	if (c->legal_unit == TERND_LEGAL_SECOND)
		snprintf(out, cap, "%s/%s.T%020llu.txt", c->legal_path,
			 c->legal_base_name, (unsigned long long)t);
	else
		snprintf(out, cap, "%s/%s.%04d%02d%02d.txt", c->legal_path,
			 c->legal_base_name, d.y, d.m, d.d);
}

/*
 * RotatingFile::useExistingFiles: the newest BASE.<tag>.txt in PATH, when
 * its period has not ended, is where writing goes on; its start time is
 * the tag's. Returns true with *ret_start set.
 */
static bool existing(const struct ternd_config_hooks *c, time_t now,
		     time_t *ret_start)
{
	size_t blen = strlen(c->legal_base_name);
	char best[32] = "";
	struct dirent *de;
	DIR *dir = opendir(c->legal_path);
	time_t start;

	if (!dir)
		return false;
	while ((de = readdir(dir))) {
		const char *n = de->d_name, *tag;
		size_t len = strlen(n), tl;
		bool sec = c->legal_unit == TERND_LEGAL_SECOND;

		if (len != blen + sizeof(".YYYYMMDD.txt") - 1 &&
		    len != blen + sizeof(".TXXXXXXXXXXXXXXXXXXXX.txt") - 1)
			continue;
		if (strncmp(n, c->legal_base_name, blen) != 0 ||
		    n[blen] != '.' || strcmp(n + len - 4, ".txt") != 0)
			continue;
		tag = n + blen + 1;
		tl = len - blen - 5;
		if (tl != (sec ? 21u : 8u) || (sec && tag[0] != 'T'))
			continue;
		for (size_t i = sec; i < tl; i++)
			if (!isdigit((unsigned char)tag[i]))
				goto next;
		if (strncmp(tag, best, tl) > 0 || !best[0]) {
			memcpy(best, tag, tl);
			best[tl] = '\0';
		}
	next:;
	}
	closedir(dir);
	if (!best[0])
		return false;
	if (c->legal_unit == TERND_LEGAL_SECOND) {
		start = (time_t)strtoull(best + 1, NULL, 10);
	} else {
		struct tm tm = {0};

		if (sscanf(best, "%4d%2d%2d", &tm.tm_year, &tm.tm_mon,
			   &tm.tm_mday) != 3)
			return false;
		tm.tm_year -= 1900;
		tm.tm_mon -= 1;
		tm.tm_isdst = -1;
		start = mktime(&tm);
	}
	if (start == (time_t)-1 || due(c, start, now))
		return false;
	*ret_start = start;
	return true;
}

static void run_rotate(struct hk_legal *l, const char *prog)
{
	const char *argv[3] = {prog, l->name, NULL};
	const char *envp[1] = {NULL};

	if (prog && l->runner)
		hk_runner_spawn(l->runner, prog, argv, envp);
}

static int open_file(struct hk_legal *l, time_t start)
{
	file_name(l->c, start, l->name, sizeof(l->name));
	l->f = fopen(l->name, "ae");
	if (!l->f) {
		int e = errno;

		tern_log(LOG_ERR, "legal_log: cannot open %s: %s", l->name,
			 strerror(e));
		return -e;
	}
	l->opened = start;
	tern_log(LOG_INFO, "legal_log: writing to %s", l->name);
	return 0;
}

int hk_legal_new(const struct ternd_config_hooks *c, struct hk_runner *runner,
		 const struct timespec *now, struct hk_legal **ret)
{
	struct hk_legal *l = calloc(1, sizeof(*l));
	time_t start = now->tv_sec;
	int rc;

	if (!l)
		return -ENOMEM;
	l->c = c;
	l->runner = runner;
	if (!existing(c, now->tv_sec, &start))
		start = now->tv_sec;
	if ((rc = open_file(l, start)) < 0) {
		free(l);
		return rc;
	}
	*ret = l;
	return 0;
}

void hk_legal_free(struct hk_legal *l)
{
	if (!l)
		return;
	if (l->f)
		fclose(l->f);
	free(l);
}

const char *hk_legal_file(const struct hk_legal *l)
{
	return l->name;
}

int hk_legal_write(struct hk_legal *l, const char *text,
		   const struct timespec *now)
{
	char ts[128];

	if (!*text)
		return 0; /* Kea writes nothing for an empty entry */
	if (!l->f || (l->c->legal_count && due(l->c, l->opened, now->tv_sec))) {
		if (l->f) {
			fclose(l->f);
			l->f = NULL;
			run_rotate(l, l->c->legal_prerotate);
		}
		if (open_file(l, now->tv_sec) < 0)
			return -EIO;
		run_rotate(l, l->c->legal_postrotate);
	}
	if (!hk_legal_timestamp(l->c->legal_timestamp, now, ts, sizeof(ts)))
		ts[0] = '\0';
	/* Each line of a (custom, multi-line) entry gets the time stamp,
	 * as std::getline splits it: a last '\n' ends the last line. */
	while (*text) {
		const char *nl = strchr(text, '\n');
		int len = nl ? (int)(nl - text) : (int)strlen(text);

		if (fprintf(l->f, "%s %.*s\n", ts, len, text) < 0)
			return -EIO;
		text += len + (nl ? 1 : 0);
	}
	if (fflush(l->f) != 0)
		return -EIO;
	return 0;
}
