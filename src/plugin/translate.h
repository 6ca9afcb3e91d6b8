/* tern-plugin: turns a DHCP client's script environment into a lease message.
 */
#ifndef TERN_PLUGIN_TRANSLATE_H
#define TERN_PLUGIN_TRANSLATE_H

#include <stddef.h>

#include <tern/lease_ipc.h>

/*
 * What went wrong or was left out while translating, for the plugin's
 * stderr: the translator itself never prints.
 */
struct tplug_diag {
	unsigned dropped; /* values left out (too long, malformed, no room) */
	char text[256];	  /* the first problem, "" if none */
};

/* Which client ran us; decided from the environment and the event. */
enum tplug_client {
	TPLUG_UNKNOWN = 0,
	TPLUG_UDHCPC = 4,  /* busybox udhcpc: interface=..., argv[1] event */
	TPLUG_DIBBLER = 6, /* dibbler-client: IFACE=..., argv[1] action */
};

/*
 * Tell udhcpc from dibbler-client: IFACE= means dibbler, interface= means
 * udhcpc; when both or neither are set the event name decides (the two
 * clients' event sets are disjoint).
 */
enum tplug_client tplug_detect(const char *event, const char *const *envp);

/*
 * Build the message for one client event. envp is a NULL-terminated
 * "NAME=value" array (environ, or a test's own). Values that do not fit or
 * are malformed are left out, counted in diag and flagged
 * TERN_LEASE_F_DROPPED; the rest of the lease is still sent.
 * Returns 0, or -EINVAL when the event is unknown, does not belong to the
 * detected client, or the interface name is missing or invalid (*ret is
 * then unspecified and diag->text says why).
 */
int tplug_translate(struct tern_lease_msg *ret, const char *event,
		    const char *const *envp, struct tplug_diag *diag);

/* Value of NAME in envp, or NULL. */
const char *tplug_getenv(const char *const *envp, const char *name);

#endif
