/* ternctl: talking to a daemon's Unix control socket (shared by the mgr and
 * mesh commands). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "ctl/ctl.h"

const char *ctl_take_sock(int *argc, char **argv, const char *env,
			  const char *def)
{
	const char *sock = getenv(env);
	int o = 0;

	for (int i = 0; i < *argc; i++) {
		if (!strcmp(argv[i], "-s") && i + 1 < *argc) {
			sock = argv[++i];
			continue;
		}
		argv[o++] = argv[i];
	}
	*argc = o;
	return sock && *sock ? sock : def;
}

int ctl_unix_request(const char *sock, const char *req, bool shut_wr,
		     size_t max, char **ret)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct timeval tv = {.tv_sec = 5};
	size_t len = 0, n = strlen(req);
	char *buf = NULL;
	int fd, r = 0;

	if (strlen(sock) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	memcpy(sa.sun_path, sock, strlen(sock) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* A daemon that stalls must not hang the operator's shell. */
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    write(fd, req, n) != (ssize_t)n) {
		r = -errno;
		goto out;
	}
	if (shut_wr)
		shutdown(fd, SHUT_WR);
	buf = malloc(max + 1);
	if (!buf) {
		r = -ENOMEM;
		goto out;
	}
	for (;;) {
		ssize_t k = read(fd, buf + len, max - len);

		if (k < 0) {
			r = -errno;
			goto out;
		}
		if (k == 0 || (len += (size_t)k) == max)
			break;
	}
	buf[len] = '\0';
	*ret = buf;
	buf = NULL;
out:
	free(buf);
	close(fd);
	return r;
}
