/* tern-mgr internals: logging to syslog or stderr, with rate limits. */
#ifndef TERN_MGR_LOG_H
#define TERN_MGR_LOG_H

#include <stdbool.h>
#include <stdint.h>
#include <syslog.h>

void mgr_log_open(bool to_stderr, int max_level);
void mgr_log(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * A start-up failure: one line "tern-mgr: REASON" on stderr whatever the
 * log goes to (whoever started the daemon must see why it stopped), and
 * the reason in syslog when the log goes there.
 */
void mgr_log_startup_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/* A token bucket: at most burst messages, refilled at per_sec a second. */
struct mgr_ratelimit {
	unsigned burst;
	unsigned per_sec;
	double tokens;
	int64_t last_ms;
	uint64_t suppressed;
};

#define MGR_RATELIMIT_INIT(b, r)                            \
	{                                                   \
		.burst = (b), .per_sec = (r), .tokens = (b) \
	}

/* true if a message may be logged now; counts the suppressed ones. */
bool mgr_ratelimit_ok(struct mgr_ratelimit *rl);

#endif
