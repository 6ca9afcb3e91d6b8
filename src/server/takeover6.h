/* ternd DHCPv6 taking over Kea's memfile leases at start (daemon6.c). */
#ifndef TERND_TAKEOVER6_H
#define TERND_TAKEOVER6_H

#include <stdint.h>

#include "server/config/config.h"

struct ternd_store6;

/*
 * When cfg names Kea's memfile lease6 CSV (store_csv_path), import its
 * bindings into s on the store's first start (store/kea_csv6.c), logged
 * with the counts and the first refused rows with their lines. Returns 0
 * (imported, done before, or no Kea file), or -errno, logged: a Kea file
 * that cannot be read as a lease6 file (ternd must not serve without
 * those bindings).
 */
int ternd_takeover6(const struct ternd_config *cfg, struct ternd_store6 *s,
		    int64_t now);

#endif
