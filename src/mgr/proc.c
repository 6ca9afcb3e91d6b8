/* tern-mgr: child processes (spawn with posix_spawn, pidfd, stop, adopt). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "proc.h"
#include "util.h"

extern char **environ;

#define ENV_MAX 256

int mgr_proc_pidfd(pid_t pid)
{
	long fd = syscall(SYS_pidfd_open, pid, 0);

	if (fd < 0)
		return -errno;
	fcntl((int)fd, F_SETFD, FD_CLOEXEC);
	return (int)fd;
}

int mgr_proc_spawn(char *const argv[], char *const extra_env[], pid_t *ret_pid,
		   int *ret_pidfd)
{
	posix_spawnattr_t attr;
	char *env[ENV_MAX + 1];
	sigset_t none, all;
	size_t n = 0;
	pid_t pid;
	int r, fd;

	/* The extra variables first, so they win over inherited ones. */
	for (size_t i = 0; extra_env && extra_env[i] && n < ENV_MAX; i++)
		env[n++] = extra_env[i];
	for (size_t i = 0; environ[i] && n < ENV_MAX; i++) {
		size_t k = strcspn(environ[i], "=");
		bool dup = false;

		for (size_t j = 0; extra_env && extra_env[j]; j++)
			if (!strncmp(extra_env[j], environ[i], k + 1))
				dup = true;
		if (!dup)
			env[n++] = environ[i];
	}
	env[n] = NULL;
	sigemptyset(&none);
	sigfillset(&all);
	posix_spawnattr_init(&attr);
	/* Our threads block signals for signalfd: the child must not. */
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &all);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK |
						POSIX_SPAWN_SETSIGDEF |
						POSIX_SPAWN_SETSID);
	/* A bare name is searched in $PATH, as the start-up check does. */
	r = posix_spawnp(&pid, argv[0], NULL, &attr, argv, env);
	posix_spawnattr_destroy(&attr);
	if (r)
		return -r;
	fd = mgr_proc_pidfd(pid);
	if (fd < 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return fd;
	}
	*ret_pid = pid;
	*ret_pidfd = fd;
	return 0;
}

int mgr_proc_reap(pid_t pid)
{
	int status;
	pid_t r = waitpid(pid, &status, WNOHANG);

	if (r < 0)
		return -errno;
	if (r == 0)
		return -EAGAIN;
	return status;
}

static bool wait_exit(int pidfd, int timeout_ms)
{
	struct pollfd p = {.fd = pidfd, .events = POLLIN};
	int64_t end = tern_mono_ms() + timeout_ms;

	for (;;) {
		int64_t left = end - tern_mono_ms();
		int r;

		if (left < 0)
			left = 0;
		r = poll(&p, 1, (int)left);
		if (r > 0)
			return true;
		if (r == 0)
			return false;
		if (errno != EINTR)
			return false;
	}
}

int mgr_proc_stop(pid_t pid, int *pidfd, int timeout_ms)
{
	int r = 0;

	if (pid <= 0)
		return -EINVAL;
	if (*pidfd < 0)
		*pidfd = mgr_proc_pidfd(pid);
	if (*pidfd < 0) {
		r = *pidfd == -ESRCH ? 0 : *pidfd;
		goto out;
	}
	if (syscall(SYS_pidfd_send_signal, *pidfd, SIGTERM, NULL, 0) < 0 &&
	    errno != ESRCH) {
		r = -errno;
		goto out;
	}
	if (!wait_exit(*pidfd, timeout_ms)) {
		syscall(SYS_pidfd_send_signal, *pidfd, SIGKILL, NULL, 0);
		wait_exit(*pidfd, 1000);
	}
out:
	/* An own child is reaped here; an adopted one is init's to reap. */
	waitpid(pid, NULL, WNOHANG);
	if (*pidfd >= 0)
		close(*pidfd);
	*pidfd = -1;
	return r;
}

bool mgr_proc_matches(pid_t pid, const char *word1, const char *word2)
{
	char path[64], buf[4096];
	bool m1 = false, m2 = false;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	for (char *p = buf; p < buf + n; p += strlen(p) + 1) {
		if (strstr(p, word1))
			m1 = true;
		if (!strcmp(p, word2) || strstr(p, word2))
			m2 = true;
	}
	return m1 && m2;
}
