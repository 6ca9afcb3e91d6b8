/* Directory helpers shared by the daemons. */
#include "common/fs.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static int mkdir_one(const char *dir, mode_t mode)
{
	struct stat st;

	/* Exactly mode, whatever the umask: a runtime directory other
	 * programs must enter would otherwise be closed by umask 077. */
	if (mkdir(dir, mode) == 0)
		return chmod(dir, mode) < 0 ? -errno : 0;
	if (errno != EEXIST)
		return -errno;
	/* EEXIST also for a file: say what is wrong now, not at the use. */
	if (stat(dir, &st) < 0)
		return -errno;
	return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
}

int tern_mkdir_p(const char *dir, mode_t mode)
{
	char tmp[PATH_MAX];
	int r;

	if (snprintf(tmp, sizeof(tmp), "%s", dir) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		r = mkdir_one(tmp, 0755);
		if (r < 0)
			return r;
		*p = '/';
	}
	return mkdir_one(tmp, mode);
}

int tern_mkdir_parent(const char *path, mode_t mode)
{
	char tmp[PATH_MAX];
	char *slash;

	if (snprintf(tmp, sizeof(tmp), "%s", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	slash = strrchr(tmp, '/');
	if (!slash || slash == tmp)
		return 0;
	*slash = '\0';
	return tern_mkdir_p(tmp, mode);
}
