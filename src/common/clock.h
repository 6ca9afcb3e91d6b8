/* The monotonic clock in milliseconds, for timeouts and timers of the daemons
 * (never for lease times, which are wall-clock). */
#ifndef TERN_COMMON_CLOCK_H
#define TERN_COMMON_CLOCK_H

#include <stdint.h>
#include <time.h>

static inline int64_t tern_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

#endif
