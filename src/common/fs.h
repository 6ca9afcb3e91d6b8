/* Directory helpers shared by the daemons: make the directories a
 * configuration names. */
#ifndef TERN_COMMON_FS_H
#define TERN_COMMON_FS_H

#include <sys/types.h>

/*
 * Make dir and its missing parents (parents 0755, dir itself exactly mode
 * whatever the umask; the modes of existing directories are left alone). 0,
 * -ENOTDIR when a part exists as something else, -ENAMETOOLONG, -errno.
 */
int tern_mkdir_p(const char *dir, mode_t mode);
/* The same for the directory that holds path ("/run/tern" of
 * "/run/tern/ternd.sock"); 0 when path has no directory part. */
int tern_mkdir_parent(const char *path, mode_t mode);

#endif
