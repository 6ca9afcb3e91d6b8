/* kea-dhcp4's built-in commands that are not statistics, leases or reload:
 * status-get, version-get, build-report, config-get/test/write, shutdown,
 * dhcp-disable/enable, leases-reclaim. */
#ifndef TERND_CONTROL_CMDS_BUILTIN_H
#define TERND_CONTROL_CMDS_BUILTIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ternd_control;
struct tjson;
struct tjson_doc;

/*
 * What the commands need of the daemon, which fills this in and keeps it
 * alive as long as the channel (control/ knows no other room: the daemon's
 * work is reached through these callbacks).
 */
struct ternd_builtin {
	/* The daemon's part. */
	bool v6;		 /* a Dhcp6 ternd: kea-dhcp6's keys and texts */
	const char *config_path; /* -c FILE; NULL: none (ternd --mesh) */
	int64_t started;	 /* wall clock, seconds */
	int64_t configured;	 /* last (re)configuration, seconds */
	void *ctx;
	/* Stop serving after this command's answer (Kea's shutdown). */
	void (*shutdown)(void *ctx, int exit_value);
	/* Reclaim the expired leases now. */
	void (*reclaim)(void *ctx, bool remove);
	/* Load text (a whole {"Dhcp4": ...} configuration) with ternd's
	 * reader without applying it: 0, or -errno with the first error in
	 * err. */
	int (*config_test)(void *ctx, const char *text, size_t len, char *err,
			   size_t cap);
	/* When set, these win over config and configured below: the
	 * configuration in use as a tree ({"Dhcp4": ...}, NULL when unknown)
	 * and when it was loaded (wall seconds), as a reloading daemon knows
	 * them (reload.h: ternd_reload_source, ternd_reload_time). */
	const struct tjson *(*config_tree)(void *ctx);
	int64_t (*config_time)(void *ctx);
	/* Members of status-get beyond Kea's (NULL: none). */
	void (*status_extra)(void *ctx, struct tjson_doc *out,
			     struct tjson *obj);

	/* The commands' part. */
	struct tjson_doc *config; /* the file as loaded (config-get) */
	bool disabled_user;	  /* dhcp-disable, origin "user" */
	bool disabled_ha;	  /* origin "ha-partner" */
	int64_t enable_at;	  /* max-period: monotonic s, 0 = none */
};

/*
 * Read config_path's tree for config-get (Kea's dialect, includes spliced
 * in): 0, or -errno (config-get then answers an error). Call again after a
 * reload; the old tree is freed.
 */
int ternd_builtin_load_config(struct ternd_builtin *b);
/* Register the commands on c. */
int ternd_builtin_register(struct ternd_builtin *b, struct ternd_control *c);
/* Whether DHCP is served now (dhcp-disable/enable, max-period elapsed at
 * now_mono seconds). The daemon drops queries while it is false. */
bool ternd_builtin_dhcp_enabled(struct ternd_builtin *b, int64_t now_mono);
void ternd_builtin_free(struct ternd_builtin *b); /* what the commands own */

/*
 * Write the tree v to path as Kea's config-write: Kea's pretty layout, a
 * temporary file beside it, fsync, rename, fsync of the directory.
 * Returns the size written, or -errno.
 */
long ternd_builtin_write_config(const struct tjson *v, const char *path);

#endif
