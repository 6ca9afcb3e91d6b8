/* libtern error convention: >= 0 success, -errno failure, with codec texts. */
#ifndef TERN_ERROR_H
#define TERN_ERROR_H

#include <errno.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Every libtern function returns an int: >= 0 on success, a negative errno
 * on failure. Output parameters (named ret_*) are left untouched on failure.
 * The codec gives each kind of malformed input its own errno so callers can
 * count them apart:
 *
 *   -EINVAL    bad argument (NULL pointer, impossible size)
 *   -ENOBUFS   the caller's output buffer is too small
 *   -ENOENT    the asked-for option is absent
 *   -EMSGSIZE  input shorter than the fixed header (truncated header)
 *   -EPROTO    bad DHCPv4 magic cookie / unknown DHCPv6 message framing
 *   -EBADMSG   an option or field runs past the end of its area, or a
 *              length is wrong for its type
 *   -ERANGE    a value is out of its allowed range (e.g. option 52 not 1..3)
 *   -E2BIG     more options than the index holds (TERN_DHCP4_MAX_OPTS)
 *   -ELOOP     relay nesting deeper than the hop limit (DHCPv6)
 */

/*
 * Text for a libtern return code (negative or positive errno). Returns a
 * pointer to a static string; never NULL.
 */
const char *tern_strerror(int err);

#ifdef __cplusplus
}
#endif

#endif
