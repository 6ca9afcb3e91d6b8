/* tern-mgr internals: DHCP client command lines and dibbler's client.conf. */
#ifndef TERN_MGR_CLIENTS_H
#define TERN_MGR_CLIENTS_H

#include <stddef.h>

#include "mgr.h"

#define MGR_ARGV_MAX 160

/* An argument vector with its own string storage (no allocation). */
struct mgr_argv {
	int argc;
	char *argv[MGR_ARGV_MAX + 1];
	size_t used;
	char store[8192];
};

/* StateDir/udhcpc-IF.pid and StateDir/dibbler-IF (the work directory). */
int mgr_udhcpc_pidfile(const struct mgr_config *cfg, const char *ifname,
		       char *out, size_t cap);
int mgr_dibbler_workdir(const struct mgr_config *cfg, const char *ifname,
			char *out, size_t cap);

/*
 * udhcpc -i IF -p PIDFILE -s PLUGIN [-O N]... [-x 0xNN:HEX]... [-V VENDOR]
 * -f -R: requested options (enabled ReqOption, by Order), sent options
 * (enabled SentOption; 60 as -V when it is printable text).
 */
int mgr_udhcpc_argv(const struct mgr_config *cfg,
		    const struct mgr_client_cfg *cc, struct mgr_argv *ret);

/* dibbler-client run -w WORKDIR */
int mgr_dibbler_argv(const struct mgr_config *cfg,
		     const struct mgr_client_cfg *cc, struct mgr_argv *ret);

/* The client.conf text for cc into buf. Returns its length or -ENOBUFS. */
int mgr_dibbler_conf(const struct mgr_config *cfg,
		     const struct mgr_client_cfg *cc, char *buf, size_t cap);

/* The script dibbler runs: WORKDIR/MGR_DIBBLER_WRAPPER, whose text is
 * "exec PLUGIN -a LEASE_ADDR $@". Returns its length, -EINVAL for a quote
 * in a path, -ENOBUFS. */
#define MGR_DIBBLER_WRAPPER "tern-plugin.sh"
int mgr_dibbler_wrapper(const struct mgr_config *cfg, char *buf, size_t cap);

#endif
