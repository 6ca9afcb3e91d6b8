/* Daemon logging for ternd and tern-mgr: stderr or syslog, with a rate limit
 * for per-packet events. */
#ifndef TERN_COMMON_LOG_H
#define TERN_COMMON_LOG_H

#include <stdbool.h>
#include <stdint.h>
#include <syslog.h>

/* Levels are syslog's: LOG_ERR, LOG_WARNING, LOG_NOTICE, LOG_INFO, LOG_DEBUG.
 */
void tern_log_open(const char *ident, bool to_stderr, int max_level);
/*
 * Kea's logger output: "stdout", "stderr", "syslog", "syslog:NAME" (NAME
 * is the syslog ident) or a file path (appended, its directory made).
 * Returns 0 or -errno (the file could not be opened; nothing changed).
 */
int tern_log_open_output(const char *ident, const char *output, int max_level);
void tern_log_set_level(int max_level);
/*
 * While a daemon starts, errors must reach the person who started it even
 * when the log goes to syslog: with this on, LOG_ERR and worse are also
 * written to stderr. Turn it off once the daemon serves.
 */
void tern_log_startup(bool on);
int tern_log_level(void);
void tern_log(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * A rate limit for messages a client can trigger (bad packets, exhaustion):
 * at most `burst` messages per `interval` seconds; the number suppressed
 * is reported with the next message that passes.
 */
struct tern_ratelimit {
	uint32_t interval;
	uint32_t burst;
	int64_t begin;
	uint32_t printed;
	uint32_t missed;
};

#define TERN_RATELIMIT_INIT(i, b)             \
	{                                     \
		.interval = (i), .burst = (b) \
	}

/* True when a message may be logged now; counts the ones that may not. */
bool tern_ratelimit_ok(struct tern_ratelimit *rl, int64_t now);

/* Log through a rate limit; prefixes "(N suppressed) " when some were. */
void tern_log_rl(struct tern_ratelimit *rl, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
