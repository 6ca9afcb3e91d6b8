/* tern-mgr internals: child processes (spawn, pidfd, stop, adopt). */
#ifndef TERN_MGR_PROC_H
#define TERN_MGR_PROC_H

#include <stdbool.h>
#include <sys/types.h>

/*
 * Start argv[0] with argv and the manager's environment plus extra_env
 * ("NAME=value" strings, NULL-ended), signals reset to default and
 * unblocked. Returns 0 with *ret_pid and a pidfd in *ret_pidfd, or -errno.
 */
int mgr_proc_spawn(char *const argv[], char *const extra_env[], pid_t *ret_pid,
		   int *ret_pidfd);

/* A pidfd for an existing process (adoption), or -errno. */
int mgr_proc_pidfd(pid_t pid);

/* SIGTERM, wait up to timeout_ms, then SIGKILL; reaps our own children.
 * Closes *pidfd. Returns 0 or -errno. */
int mgr_proc_stop(pid_t pid, int *pidfd, int timeout_ms);

/* Reap pid if it is our child and has exited; returns the wait status
 * or -errno (-ECHILD for an adopted process). Never blocks. */
int mgr_proc_reap(pid_t pid);

/* true if /proc/PID/cmdline contains both words (a re-adoption check). */
bool mgr_proc_matches(pid_t pid, const char *word1, const char *word2);

#endif
