/* Test helper: a private PostgreSQL cluster in a temp dir, for one test
 * executable (docs/lease-store.md, "Testing"). */
#ifndef TERN_TEST_PGFIX_H
#define TERN_TEST_PGFIX_H

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * initdb refuses root, so the cluster runs as the "postgres" user; it
 * listens on a Unix socket in dir/s only (no TCP). A watchdog child
 * holds the read end of a pipe whose write end only this process has:
 * when the process ends, even by a crash or a kill, the watchdog reads
 * EOF, stops the cluster it started (by its data directory: pg_ctl
 * signals the postmaster whose pid is in it) and removes the directory.
 */
#define PGFIX_BIN  "/usr/lib/postgresql/15/bin"
#define PGFIX_PORT 55431

struct pgfix {
	char dir[64];
	char sock[80];
	int watchdog_fd; /* write end; closing it stops the cluster */
	pid_t watchdog;
};

static int pgfix_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int pgfix_sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void pgfix_teardown_cmds(const char *dir)
{
	pgfix_sh("[ -f %s/data/postmaster.pid ] && runuser -u postgres "
		 "-- " PGFIX_BIN "/pg_ctl -D %s/data -m immediate -w stop "
		 ">/dev/null 2>&1",
		 dir, dir);
	pgfix_sh("rm -rf %s", dir);
}

/* Returns 0, or -1 when PostgreSQL could not be started (the log says
 * why: dir/log, printed). */
static int pgfix_start(struct pgfix *p)
{
	struct passwd *pw = getpwnam("postgres");
	int fds[2];

	memset(p, 0, sizeof(*p));
	p->watchdog_fd = -1;
	if (!pw)
		return -1;
	strcpy(p->dir, "/tmp/tern-pg-XXXXXX");
	if (!mkdtemp(p->dir))
		return -1;
	snprintf(p->sock, sizeof(p->sock), "%s/s", p->dir);
	if (pipe2(fds, O_CLOEXEC) < 0)
		return -1;
	p->watchdog = fork();
	if (p->watchdog < 0)
		return -1;
	if (p->watchdog == 0) {
		char c;

		close(fds[1]);
		setsid(); /* a ^C to the test does not cut the cleanup */
		while (read(fds[0], &c, 1) > 0 || errno == EINTR)
			;
		pgfix_teardown_cmds(p->dir);
		_exit(0);
	}
	close(fds[0]);
	p->watchdog_fd = fds[1];
	if (chown(p->dir, pw->pw_uid, pw->pw_gid) < 0)
		return -1;
	/* fsync stays on: the tests are about durability too. */
	if (pgfix_sh("runuser -u postgres -- " PGFIX_BIN "/initdb -D %s/data "
		     "-U postgres --auth=trust -E UTF8 --locale=C.UTF-8 "
		     ">%s/initdb.log 2>&1",
		     p->dir, p->dir) != 0 ||
	    pgfix_sh("runuser -u postgres -- mkdir -p %s", p->sock) != 0) {
		pgfix_sh("cat %s/initdb.log >&2", p->dir);
		return -1;
	}
	return pgfix_sh("runuser -u postgres -- " PGFIX_BIN "/pg_ctl -D "
			"%s/data -l %s/log -w -o \"-k %s -c "
			"listen_addresses='' -p %d\" start >/dev/null",
			p->dir, p->dir, p->sock, PGFIX_PORT) == 0
		       ? 0
		       : (pgfix_sh("cat %s/log >&2", p->dir), -1);
}

/* Stop (fast: sessions are cut, as in a restart) and start again. */
static int pgfix_stop_server(struct pgfix *p)
{
	return pgfix_sh("runuser -u postgres -- " PGFIX_BIN "/pg_ctl -D "
			"%s/data -m fast -w stop >/dev/null",
			p->dir);
}

static int pgfix_start_server(struct pgfix *p)
{
	return pgfix_sh("runuser -u postgres -- " PGFIX_BIN "/pg_ctl -D "
			"%s/data -l %s/log -w -o \"-k %s -c "
			"listen_addresses='' -p %d\" start >/dev/null",
			p->dir, p->dir, p->sock, PGFIX_PORT);
}

/* libpq connection string for database name (as the postgres user). */
static void pgfix_conninfo(const struct pgfix *p, const char *name, char *buf,
			   size_t len)
{
	snprintf(buf, len, "host=%s port=%d user=postgres dbname=%s", p->sock,
		 PGFIX_PORT, name);
}

/* Run SQL through psql; 0 when it succeeded. */
static int pgfix_psql(const struct pgfix *p, const char *db, const char *sql)
{
	return pgfix_sh("psql -X -q -v ON_ERROR_STOP=1 -h %s -p %d -U postgres "
			"-d %s -c \"%s\" >/dev/null",
			p->sock, PGFIX_PORT, db, sql);
}

/* Stop the cluster and wait for the watchdog to have cleaned up. */
static void pgfix_stop(struct pgfix *p)
{
	if (p->watchdog_fd >= 0) {
		close(p->watchdog_fd);
		p->watchdog_fd = -1;
	}
	if (p->watchdog > 0) {
		waitpid(p->watchdog, NULL, 0);
		p->watchdog = 0;
	}
}

#endif
