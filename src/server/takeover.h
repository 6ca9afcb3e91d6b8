/* ternd taking over its lease store at start (daemon.c). */
#ifndef TERND_TAKEOVER_H
#define TERND_TAKEOVER_H

#include <stdint.h>

#include "server/config/config.h"
#include "server/store/store.h"

/*
 * Before serving the store st (cfg's): lock it, so one ternd serves it
 * (ternd_store_lock), and when the configuration names Kea's memfile CSV,
 * import its leases on the store's first start (docs/kea-import.md),
 * logged with the counts and the first refused rows. Returns the lock's
 * descriptor (the caller closes it when done), or -errno, logged:
 * -EBUSY another process serves the store; a Kea file that cannot be
 * read as a lease file (ternd must not serve without those leases).
 */
int ternd_takeover(const struct ternd_config *cfg,
		   const struct ternd_store_ops *ops, struct ternd_store *st,
		   int64_t now);

#endif
