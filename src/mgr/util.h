/* tern-mgr internals: small helpers (time, atomic files, hex, strings). */
#ifndef TERN_MGR_UTIL_H
#define TERN_MGR_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/clock.h"
#include "common/fs.h"

int64_t mgr_realtime(void);

/*
 * Replace path with buf atomically: write path.tmp, fsync, rename, fsync
 * the directory, so a crash leaves either the old or the new file.
 */
int mgr_write_atomic(const char *path, const void *buf, size_t len,
		     mode_t mode);

/* Read a whole file of at most max bytes into a malloc'ed, NUL-ended
 * buffer. Returns its length or -errno (-EFBIG if larger than max). */
ssize_t mgr_read_file(const char *path, size_t max, char **ret);

/*
 * Find an executable as exec does: name itself when it contains a '/',
 * else the first executable regular file NAME in $PATH. Returns 0 (and
 * its path in ret, if not NULL), -ENOENT (not found), -EISDIR (not a
 * regular file) or -EACCES (not executable).
 */
int mgr_find_exec(const char *name, char *ret, size_t cap);

/*
 * The directory of a nanomsg ipc:// address's socket file: 1 and the
 * directory in ret, 0 if addr is not ipc:// or has no directory part.
 */
int mgr_ipc_dir(const char *addr, char *ret, size_t cap);

/* Hex encode / decode; decode accepts an even number of hex digits,
 * optionally separated by ':' (dibbler's form). */
int mgr_hex_encode(const uint8_t *in, size_t len, char *out, size_t cap);
int mgr_hex_decode(const char *in, uint8_t *out, size_t cap);
bool mgr_hex_valid(const char *s);

/* Bounded copy that NUL-terminates; -ENOBUFS when it does not fit. */
int mgr_strlcpy(char *dst, const char *src, size_t cap);

/* Parse a decimal integer in [lo, hi]. */
int mgr_parse_long(const char *s, long lo, long hi, long *ret);
int mgr_parse_bool(const char *s, bool *ret);

#endif
