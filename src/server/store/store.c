/* ternd lease store registry: configured backend name -> implementation. */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "server/store/store.h"

/* Defined in store_sqlite.c; store.h has no per-backend declarations. */
extern const struct ternd_store_ops ternd_store_sqlite_ops;
/* Defined in postgresql.c (declared in postgresql.h). */
extern const struct ternd_store_ops ternd_store_postgresql_ops;

static const struct {
	const char *name;
	const struct ternd_store_ops *ops;
} backends[] = {
	{"sqlite", &ternd_store_sqlite_ops},
	/* Kea configurations say "memfile" for the local lease file; the
	 * embedded SQLite store is ternd's local store. */
	{"memfile", &ternd_store_sqlite_ops},
	{"postgresql", &ternd_store_postgresql_ops},
};

const struct ternd_store_ops *ternd_store_backend(const char *name)
{
	size_t i;

	if (!name)
		return NULL;
	for (i = 0; i < sizeof(backends) / sizeof(backends[0]); i++) {
		if (strcmp(backends[i].name, name) == 0)
			return backends[i].ops;
	}
	return NULL;
}

int ternd_store_lock(const char *path)
{
	int fd, r;

	if (!path)
		return -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		r = errno == EWOULDBLOCK ? -EBUSY : -errno;
		close(fd);
		return r;
	}
	return fd;
}
