/* tern-mgr internals: the TR-181 data model (Device.DHCPv4/DHCPv6.Client). */
#ifndef TERN_MGR_MODEL_H
#define TERN_MGR_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "events.h"
#include "mgr.h"

/*
 * Emit every parameter whose full name equals path or, if path ends with
 * '.' (or is empty), starts with it. Lock held. Returns the number of
 * parameters emitted, or -ENOENT if none matched.
 */
int mgr_model_get(struct mgr *m, const char *path, int64_t now, mgr_kv_fn fn,
		  void *ctx);

/*
 * Set one writable parameter. Lock held. Persists configuration changes
 * and asks the controller to act (Enable, Renew, X_RDK_Restart,
 * X_RDK_Release, ...). Returns 0, -ENOENT (no such parameter), -EACCES
 * (read-only), -EINVAL (bad value; err says why) or a save error.
 */
int mgr_model_set(struct mgr *m, const char *path, const char *value, char *err,
		  size_t errlen);

#endif
