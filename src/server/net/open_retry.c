/* ternd network I/O at start-up: opening the DHCP sockets again after a
 * failure, as Kea's service-sockets-max-retries and -retry-wait-time. */
#include <errno.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "common/log.h"
#include "server/net/ifaces.h"
#include "server/net/io.h"

/* The failure is the sockets' (a port taken, no permission), not the
 * configuration's: every interface named is there with its address. Kea
 * refuses a missing interface or address in the configuration, and
 * retries only opening sockets. */
static bool sockets_failed(const struct ternd_config *cfg)
{
	struct ternd_ifinfo info[TERND_MAX_IFACES];

	return cfg->n_ifaces &&
	       ternd_ifaces_resolve(cfg->ifaces, cfg->n_ifaces, true, info,
				    TERND_MAX_IFACES) > 0;
}

static void wait_ms(uint32_t ms)
{
	struct timespec ts = {.tv_sec = ms / 1000,
			      .tv_nsec = (long)(ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/*
 * Kea's CfgIface::openSocketsWithRetry: the first attempt, then up to
 * cfg->socket_max_retries more, cfg->socket_retry_wait_ms apart; each
 * failure is logged. ternd opens all its sockets or none before it drops
 * its privileges, so it serves once every socket is open (Kea serves on
 * those it has meanwhile). Returns ternd_io_open's result: the last error
 * when the retries are exhausted.
 */
int ternd_io_open_retry(const struct ternd_config *cfg, uint16_t port,
			struct ternd_io **ret)
{
	uint32_t left = cfg->socket_max_retries;
	int r;

	while ((r = ternd_io_open(cfg, port, ret)) < 0 && left > 0 &&
	       sockets_failed(cfg)) {
		tern_log(LOG_WARNING,
			 "cannot open the DHCP sockets: %s; trying again in "
			 "%u ms (service-sockets-retry-wait-time), %u of %u "
			 "retries left",
			 strerror(-r), cfg->socket_retry_wait_ms, left,
			 cfg->socket_max_retries);
		left--;
		wait_ms(cfg->socket_retry_wait_ms);
	}
	if (r < 0 && cfg->socket_max_retries > 0 && left == 0)
		tern_log(LOG_ERR,
			 "cannot open the DHCP sockets after %u retries "
			 "(service-sockets-max-retries): giving up",
			 cfg->socket_max_retries);
	return r;
}
