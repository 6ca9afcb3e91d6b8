/* Daemon logging: stderr (foreground, -d) or syslog, and rate limiting. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "common/log.h"

/* Process-wide logging settings: set once at start, read by every thread. */
static bool log_stderr = true;
static int log_max = LOG_INFO;
static const char *log_ident = "tern";
static bool log_starting;

void tern_log_open(const char *ident, bool to_stderr, int max_level)
{
	log_ident = ident;
	log_stderr = to_stderr;
	log_max = max_level;
	if (!to_stderr)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void tern_log_startup(bool on)
{
	log_starting = on;
}

void tern_log_set_level(int max_level)
{
	log_max = max_level;
}

int tern_log_level(void)
{
	return log_max;
}

static const char *level_name(int level)
{
	switch (level) {
	case LOG_EMERG:
	case LOG_ALERT:
	case LOG_CRIT:
	case LOG_ERR:
		return "error";
	case LOG_WARNING:
		return "warning";
	case LOG_NOTICE:
		return "notice";
	case LOG_INFO:
		return "info";
	default:
		return "debug";
	}
}

__attribute__((format(printf, 3, 0))) static void
vlog(int level, const char *prefix, const char *fmt, va_list ap)
{
	char msg[1024];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (log_stderr) {
		struct timespec ts;
		struct tm tm;
		char when[32];

		clock_gettime(CLOCK_REALTIME, &ts);
		gmtime_r(&ts.tv_sec, &tm);
		strftime(when, sizeof(when), "%H:%M:%S", &tm);
		fprintf(stderr, "%s.%03ld %s %s: %s%s\n", when,
			ts.tv_nsec / 1000000, log_ident, level_name(level),
			prefix, msg);
	} else {
		syslog(level, "%s%s", prefix, msg);
		if (log_starting && level <= LOG_ERR)
			fprintf(stderr, "%s: %s%s\n", log_ident, prefix, msg);
	}
}

void tern_log(int level, const char *fmt, ...)
{
	va_list ap;

	if (level > log_max)
		return;
	va_start(ap, fmt);
	vlog(level, "", fmt, ap);
	va_end(ap);
}

bool tern_ratelimit_ok(struct tern_ratelimit *rl, int64_t now)
{
	if (now - rl->begin >= (int64_t)rl->interval) {
		rl->begin = now;
		rl->printed = 0;
	}
	if (rl->printed < rl->burst) {
		rl->printed++;
		return true;
	}
	rl->missed++;
	return false;
}

void tern_log_rl(struct tern_ratelimit *rl, int level, const char *fmt, ...)
{
	struct timespec ts;
	char prefix[48] = "";
	va_list ap;

	if (level > log_max)
		return;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	if (!tern_ratelimit_ok(rl, ts.tv_sec))
		return;
	if (rl->missed) {
		snprintf(prefix, sizeof(prefix), "(%u suppressed) ",
			 rl->missed);
		rl->missed = 0;
	}
	va_start(ap, fmt);
	vlog(level, prefix, fmt, ap);
	va_end(ap);
}
