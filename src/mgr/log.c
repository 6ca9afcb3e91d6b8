/* tern-mgr: logging to syslog or stderr, with rate limits. */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "log.h"
#include "util.h"

static bool use_stderr = true;
static int log_max = LOG_INFO;

void mgr_log_open(bool to_stderr, int max_level)
{
	use_stderr = to_stderr;
	log_max = max_level;
	if (!to_stderr)
		openlog("tern-mgr", LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void mgr_log(int level, const char *fmt, ...)
{
	va_list ap;

	if (level > log_max)
		return;
	va_start(ap, fmt);
	if (use_stderr) {
		char line[1024];

		vsnprintf(line, sizeof(line), fmt, ap);
		/* One fprintf per line keeps threads' lines whole. */
		fprintf(stderr, "tern-mgr[%d]: %s\n", level, line);
	} else {
		vsyslog(level, fmt, ap);
	}
	va_end(ap);
}

void mgr_log_startup_error(const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	/* When the log is stderr this line is the log entry too. */
	fprintf(stderr, "tern-mgr: %s\n", line);
	if (!use_stderr)
		syslog(LOG_ERR, "%s", line);
}

bool mgr_ratelimit_ok(struct mgr_ratelimit *rl)
{
	int64_t now = tern_mono_ms();

	if (rl->last_ms) {
		rl->tokens +=
			(double)(now - rl->last_ms) * rl->per_sec / 1000.0;
		if (rl->tokens > rl->burst)
			rl->tokens = rl->burst;
	}
	rl->last_ms = now;
	if (rl->tokens >= 1.0) {
		rl->tokens -= 1.0;
		return true;
	}
	rl->suppressed++;
	return false;
}
