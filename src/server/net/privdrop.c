/* ternd privilege drop: to an unprivileged user, no capability kept. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* recvmmsg, sendmmsg, setresuid */
#endif
#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

#include "server/net/privdrop.h"

#define PW_BUF_START 4096
#define PW_BUF_MAX   (1024 * 1024) /* a huge group list stops here */

/*
 * getpwnam_r / getgrnam_r with a growing buffer. Returns 0, -ENOENT (no
 * such entry), -ENOMEM, -ERANGE (entry bigger than PW_BUF_MAX).
 */
static int lookup_user(const char *name, uid_t *ret_uid, gid_t *ret_gid)
{
	struct passwd pw, *res = NULL;
	char *buf = NULL;
	size_t cap;
	int r = -ERANGE;

	for (cap = PW_BUF_START; cap <= PW_BUF_MAX; cap *= 2) {
		char *nb = realloc(buf, cap);
		int e;

		if (!nb) {
			r = -ENOMEM;
			break;
		}
		buf = nb;
		e = getpwnam_r(name, &pw, buf, cap, &res);
		if (e == ERANGE)
			continue;
		if (e != 0 || !res) {
			r = -ENOENT;
			break;
		}
		*ret_uid = pw.pw_uid;
		*ret_gid = pw.pw_gid;
		r = 0;
		break;
	}
	free(buf);
	return r;
}

static int lookup_group(const char *name, gid_t *ret_gid)
{
	struct group gr, *res = NULL;
	char *buf = NULL;
	size_t cap;
	int r = -ERANGE;

	for (cap = PW_BUF_START; cap <= PW_BUF_MAX; cap *= 2) {
		char *nb = realloc(buf, cap);
		int e;

		if (!nb) {
			r = -ENOMEM;
			break;
		}
		buf = nb;
		e = getgrnam_r(name, &gr, buf, cap, &res);
		if (e == ERANGE)
			continue;
		if (e != 0 || !res) {
			r = -ENOENT;
			break;
		}
		*ret_gid = gr.gr_gid;
		r = 0;
		break;
	}
	free(buf);
	return r;
}

/* True when any capability is still permitted or effective. */
static int caps_left(void)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];

	memset(d, 0, sizeof(d));
	if (syscall(SYS_capget, &h, d) < 0)
		return -errno;
	for (size_t i = 0; i < _LINUX_CAPABILITY_U32S_3; i++)
		if (d[i].permitted || d[i].effective)
			return 1;
	return 0;
}

/*
 * Drops root for good: supplementary groups (initgroups, or only group
 * when given), real/effective/saved gid and uid, the capability bounding
 * and ambient sets; then checks that uid/gid 0 cannot be taken back and
 * no capability is left. The sockets must be open already; threads may
 * exist (glibc applies set*id to every thread of the process).
 *
 * Returns 0, or:
 *   -EINVAL  user is NULL or is root (uid 0) or the group is gid 0
 *   -ENOENT  the user does not exist
 *   -ESRCH   the group does not exist
 *   -EPERM   the process may not change ids (not root)
 *   -ENOTRECOVERABLE  root or a capability could be regained afterwards
 *            (a broken invariant: the caller must exit)
 *   another -errno from initgroups/setgroups/setresgid/setresuid/prctl.
 */
int ternd_drop_privileges(const char *user, const char *group)
{
	uid_t uid;
	gid_t gid;
	int r;

	if (!user || !*user)
		return -EINVAL;
	if ((r = lookup_user(user, &uid, &gid)) < 0)
		return r;
	if (group && (r = lookup_group(group, &gid)) < 0)
		return r == -ENOENT ? -ESRCH : r;
	/* Dropping "to root" would drop nothing while claiming to. */
	if (uid == 0 || gid == 0)
		return -EINVAL;

	/* Capabilities must not survive the uid change. */
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
		return -errno;
	/* Ambient capabilities would survive an exec of a helper; clearing
	 * needs kernel >= 4.3, EINVAL before, when there are none anyway. */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 &&
	    errno != EINVAL)
		return -errno;

	/* Empty the bounding set while we still hold CAP_SETPCAP, so not
	 * even an exec of a set-uid-root program brings a capability back.
	 * EINVAL marks the first number past the kernel's last capability. */
	for (int cap = 0; cap < 64; cap++) {
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == 0)
			continue;
		if (errno == EINVAL)
			break;
		return -errno;
	}

	/* Groups first: after setuid we may no longer change them. */
	if (group) {
		if (setgroups(1, &gid) < 0)
			return -errno;
	} else if (initgroups(user, gid) < 0) {
		return -errno;
	}
	if (setresgid(gid, gid, gid) < 0)
		return -errno;
	if (setresuid(uid, uid, uid) < 0)
		return -errno;

	/* Verify: none of these may succeed any more. */
	if (setuid(0) == 0 || seteuid(0) == 0 || setgid(0) == 0 ||
	    setegid(0) == 0)
		return -ENOTRECOVERABLE;
	if (getuid() != uid || geteuid() != uid || getgid() != gid ||
	    getegid() != gid)
		return -ENOTRECOVERABLE;
	r = caps_left();
	if (r < 0)
		return r;
	if (r > 0)
		return -ENOTRECOVERABLE;
	return 0;
}
