/* tern-mgr internals: the JSON configuration (TR-181 shaped). */
#ifndef TERN_MGR_CONFIG_H
#define TERN_MGR_CONFIG_H

#include <stddef.h>

#include "mgr.h"

void mgr_config_defaults(struct mgr_config *c);

/*
 * Parse JSON text (len bytes, need not be NUL-ended) into *ret, which is
 * first reset to the defaults. On failure returns -EINVAL / -ENOMEM and,
 * if err is not NULL, a one-line reason in err; *ret is then undefined.
 */
int mgr_config_parse(const char *text, size_t len, struct mgr_config *ret,
		     char *err, size_t errlen);

/* Read and parse path; remembers path in ret->path for persisting. The
 * reason of a failure in err starts with "PATH: ". */
int mgr_config_load(const char *path, struct mgr_config *ret, char *err,
		    size_t errlen);

/* The configuration as JSON text (malloc'ed, NUL-ended) in *ret. */
int mgr_config_format(const struct mgr_config *c, char **ret);

/* Write the configuration back to c->path atomically (no-op if ""). */
int mgr_config_save(const struct mgr_config *c);

/* Check one client entry's values (also used by the data model's set). */
int mgr_client_cfg_check(const struct mgr_client_cfg *cc, int version,
			 char *err, size_t errlen);

/*
 * The programs a client of version (4 or 6) runs are executable: Udhcpc or
 * DibblerClient, and Plugin (a bare name is searched in $PATH). -ENOENT,
 * -EISDIR, -EACCES with a reason naming the key and the path in err.
 */
int mgr_client_exec_check(const struct mgr_config *c, int version, char *err,
			  size_t errlen);

/*
 * The start-up check: mgr_client_exec_check for each version with at
 * least one enabled client (Plugin when any client is enabled); nothing
 * is required of a version whose clients are all disabled.
 */
int mgr_config_check_exec(const struct mgr_config *c, char *err, size_t errlen);

/* Parse "23,24,95" into codes (at most cap); returns the count. */
int mgr_parse_optlist(const char *s, uint16_t *codes, size_t cap);

#endif
