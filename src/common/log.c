/* Daemon logging: stderr (foreground, -d) or syslog, and rate limiting. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "common/fs.h"
#include "common/log.h"

/* Process-wide logging settings: set once at start, read by every thread. */
static bool log_stderr = true;
static FILE *log_file; /* stderr, stdout or a file; NULL = syslog */
static int log_max = LOG_INFO;
static const char *log_ident = "tern";
static bool log_starting;

void tern_log_open(const char *ident, bool to_stderr, int max_level)
{
	log_ident = ident;
	log_stderr = to_stderr;
	log_file = to_stderr ? stderr : NULL;
	log_max = max_level;
	if (!to_stderr)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

int tern_log_open_output(const char *ident, const char *output, int max_level)
{
	static char syslog_ident[64];
	FILE *f;
	int r;

	if (!strcmp(output, "stderr") || !strcmp(output, "stdout")) {
		tern_log_open(ident, true, max_level);
		log_file = output[3] == 'o' ? stdout : stderr;
		setvbuf(log_file, NULL, _IOLBF, 0);
		return 0;
	}
	if (!strcmp(output, "syslog") || !strncmp(output, "syslog:", 7)) {
		if (output[6] == ':') {
			snprintf(syslog_ident, sizeof(syslog_ident), "%s",
				 output + 7);
			ident = syslog_ident;
		}
		tern_log_open(ident, false, max_level);
		return 0;
	}
	if ((r = tern_mkdir_parent(output, 0755)) < 0)
		return r;
	if (!(f = fopen(output, "ae")))
		return -errno;
	setvbuf(f, NULL, _IOLBF, 0);
	log_ident = ident;
	log_stderr = true;
	log_file = f;
	log_max = max_level;
	return 0;
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
		FILE *out = log_file ? log_file : stderr;
		bool file = out != stderr && out != stdout;
		struct timespec ts;
		struct tm tm;
		char when[32];

		clock_gettime(CLOCK_REALTIME, &ts);
		gmtime_r(&ts.tv_sec, &tm);
		/* A file outlives the day: it gets the date too. */
		strftime(when, sizeof(when),
			 file ? "%Y-%m-%d %H:%M:%S" : "%H:%M:%S", &tm);
		fprintf(out, "%s.%03ld %s %s: %s%s\n", when,
			ts.tv_nsec / 1000000, log_ident, level_name(level),
			prefix, msg);
	} else {
		syslog(level, "%s%s", prefix, msg);
	}
	if (log_starting && level <= LOG_ERR && log_file != stderr)
		fprintf(stderr, "%s: %s%s\n", log_ident, prefix, msg);
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
