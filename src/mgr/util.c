/* tern-mgr: small helpers (time, atomic files, hex, strings). */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

int64_t mgr_realtime(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec;
}

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int mgr_write_atomic(const char *path, const void *buf, size_t len, mode_t mode)
{
	char tmp[PATH_MAX], dir[PATH_MAX];
	int fd = -1, dfd = -1, r;

	if (!path || (!buf && len))
		return -EINVAL;
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0) {
		r = -errno;
		goto out;
	}
	r = write_all(fd, buf, len);
	if (r < 0)
		goto out_unlink;
	if (fsync(fd) < 0) {
		r = -errno;
		goto out_unlink;
	}
	if (close(fd) < 0) {
		fd = -1;
		r = -errno;
		goto out_unlink;
	}
	fd = -1;
	if (rename(tmp, path) < 0) {
		r = -errno;
		goto out_unlink;
	}
	/* The rename itself must reach the disk too. */
	mgr_strlcpy(dir, path, sizeof(dir));
	dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0)
		fsync(dfd);
	r = 0;
	goto out;
out_unlink:
	unlink(tmp);
out:
	if (fd >= 0)
		close(fd);
	if (dfd >= 0)
		close(dfd);
	return r;
}

ssize_t mgr_read_file(const char *path, size_t max, char **ret)
{
	char *buf = NULL;
	size_t len = 0;
	ssize_t r;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	buf = malloc(max + 1);
	if (!buf) {
		r = -ENOMEM;
		goto out;
	}
	for (;;) {
		ssize_t n = read(fd, buf + len, max + 1 - len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			r = -errno;
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > max) {
			r = -EFBIG;
			goto out;
		}
	}
	buf[len] = '\0';
	*ret = buf;
	buf = NULL;
	r = (ssize_t)len;
out:
	free(buf);
	close(fd);
	return r;
}

/* Executable regular file at path? 0, -ENOENT, -EISDIR (not a regular
 * file) or -EACCES (no execute permission for us). */
static int exec_ok(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EISDIR;
	/* access() says yes to root if any x bit is set: as exec does. */
	return access(path, X_OK) < 0 ? -errno : 0;
}

int mgr_find_exec(const char *name, char *ret, size_t cap)
{
	const char *path, *p;
	char buf[PATH_MAX];
	int r, best = -ENOENT;

	if (!name[0])
		return -ENOENT;
	if (strchr(name, '/')) {
		r = exec_ok(name);
		if (r == 0 && ret && mgr_strlcpy(ret, name, cap) < 0)
			return -ENAMETOOLONG;
		return r;
	}
	/* As execvp(3) and posix_spawnp(3) search it. */
	path = getenv("PATH");
	if (!path || !path[0])
		path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:"
		       "/sbin:/bin";
	for (p = path;; p++) {
		size_t len = strcspn(p, ":");
		int n = snprintf(buf, sizeof(buf), "%.*s%s%s", (int)len, p,
				 len ? "/" : "./", name);

		if (n > 0 && (size_t)n < sizeof(buf)) {
			r = exec_ok(buf);
			if (r == 0) {
				if (ret && mgr_strlcpy(ret, buf, cap) < 0)
					return -ENAMETOOLONG;
				return 0;
			}
			/* Found but unusable beats not found. */
			if (r != -ENOENT && r != -ENOTDIR)
				best = r;
		}
		p += len;
		if (!*p)
			break;
	}
	return best;
}

int mgr_ipc_dir(const char *addr, char *ret, size_t cap)
{
	char *slash;

	if (strncmp(addr, "ipc://", 6))
		return 0;
	if (mgr_strlcpy(ret, addr + 6, cap) < 0)
		return -ENAMETOOLONG;
	slash = strrchr(ret, '/');
	if (!slash)
		return 0; /* relative to the working directory */
	if (slash == ret)
		slash[1] = '\0'; /* "/" */
	else
		*slash = '\0';
	return 1;
}

int mgr_hex_encode(const uint8_t *in, size_t len, char *out, size_t cap)
{
	static const char d[] = "0123456789abcdef";

	if (cap < len * 2 + 1)
		return -ENOBUFS;
	for (size_t i = 0; i < len; i++) {
		out[2 * i] = d[in[i] >> 4];
		out[2 * i + 1] = d[in[i] & 15];
	}
	out[len * 2] = '\0';
	return (int)(len * 2);
}

static int nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int mgr_hex_decode(const char *in, uint8_t *out, size_t cap)
{
	size_t n = 0;

	while (*in) {
		int hi, lo;

		if (*in == ':') {
			in++;
			continue;
		}
		hi = nibble(in[0]);
		lo = hi < 0 ? -1 : nibble(in[1]);
		if (hi < 0 || lo < 0)
			return -EBADMSG;
		if (n == cap)
			return -ENOBUFS;
		out[n++] = (uint8_t)(hi << 4 | lo);
		in += 2;
	}
	return (int)n;
}

bool mgr_hex_valid(const char *s)
{
	size_t n = 0;

	for (; *s; s++, n++)
		if (nibble(*s) < 0)
			return false;
	return n % 2 == 0;
}

int mgr_strlcpy(char *dst, const char *src, size_t cap)
{
	size_t n = strlen(src);

	if (n >= cap)
		return -ENOBUFS;
	memcpy(dst, src, n + 1);
	return (int)n;
}

int mgr_parse_long(const char *s, long lo, long hi, long *ret)
{
	char *end;
	long v;

	if (!s || !*s)
		return -EINVAL;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return -ERANGE;
	*ret = v;
	return 0;
}

int mgr_parse_bool(const char *s, bool *ret)
{
	if (!strcmp(s, "true") || !strcmp(s, "1")) {
		*ret = true;
		return 0;
	}
	if (!strcmp(s, "false") || !strcmp(s, "0")) {
		*ret = false;
		return 0;
	}
	return -EINVAL;
}
