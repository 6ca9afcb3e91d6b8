/* ternd DHCPv6 reconfiguration while serving: config-set, config-reload and
 * SIGHUP build the new configuration off to the side (loader, engine6,
 * sockets) and swap it in between two packets, every binding kept. */
#ifndef TERND_RELOAD6_H
#define TERND_RELOAD6_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/config/config.h"

struct ternd_control;
struct ternd_engine6;
struct ternd_io6;
struct ternd_reload6;
struct tjson;

/*
 * What a swap replaces in the daemon6, by address (the daemon owns them
 * and reads them after each event), and the steps only the daemon can do.
 */
struct ternd_reload6_live {
	const struct ternd_config **cfg;
	struct ternd_engine6 **engine;
	struct ternd_io6 *io; /* kept; its interface set is replaced */
	const uint8_t *duid;  /* the server DUID: never changes */
	size_t duid_len;
	size_t max_leases;
	const char *path; /* the -c file config-reload re-reads, or NULL */
	void *ctx;
	/* Make every submitted change durable and send the REPLYs held for
	 * them (no packet is read until the swap is over). */
	void (*drain)(void *ctx);
	/* The new engine is in *engine, the old one still alive (old): the
	 * daemon moves what reads it (statistics) before it is freed. */
	void (*swapped)(void *ctx, const struct ternd_engine6 *old);
};

int ternd_reload6_new(const struct ternd_reload6_live *live,
		      struct ternd_reload6 **ret);
/* Frees the configurations it loaded (not the daemon's first one); call
 * after the daemon freed its engine. */
void ternd_reload6_free(struct ternd_reload6 *r);

/* config-set and config-reload on the control socket. */
int ternd_reload6_register(struct ternd_reload6 *r, struct ternd_control *c);

/*
 * Re-read the -c file and swap it in (SIGHUP, config-reload: how, for the
 * log). Returns 0, or -errno with the reason in err (and in the log): the
 * server is then unchanged.
 */
int ternd_reload6_file(struct ternd_reload6 *r, const char *how, char *err,
		       size_t len);

/*
 * config-test's check: text (a whole {"Dhcp6": ...}) loaded and an engine
 * built for it, nothing applied (as Kea's, it does not compare with the
 * running configuration: config-set refuses what cannot change). 0, or
 * -errno with the reason in err.
 */
int ternd_reload6_test(struct ternd_reload6 *r, const char *text, size_t len,
		       char *err, size_t cap);

/* The configuration in use as a tree ({"Dhcp6": ...}, NULL when unknown)
 * and when it was loaded; successful swaps. */
const struct tjson *ternd_reload6_source(const struct ternd_reload6 *r);
int64_t ternd_reload6_time(const struct ternd_reload6 *r);
uint64_t ternd_reload6_count(const struct ternd_reload6 *r);

#endif
