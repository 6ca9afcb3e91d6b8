/* ternctl internals: command table entries and shared helpers. */
#ifndef TERNCTL_CTL_H
#define TERNCTL_CTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct ctl_cmd {
	const char *path[3]; /* words that select the command, NULL-ended */
	const char *args;    /* usage of the remaining arguments */
	const char *help;
	int (*run)(int argc, char **argv); /* argv: the remaining arguments */
};

/* Pretty-print one DHCPv4 message (buf, len) to out. Returns 0 or -errno. */
int ctl_print_dhcp4(FILE *out, const uint8_t *buf, size_t len);
/* Pretty-print one DHCPv6 message (client/server or relay). */
int ctl_print_dhcp6(FILE *out, const uint8_t *buf, size_t len);

int ctl_cmd_decode(int argc, char **argv);

/* "-s SOCKET" taken out of argv (anywhere; the rest keeps its order), else
 * the environment variable env, else def. */
const char *ctl_take_sock(int *argc, char **argv, const char *env,
			  const char *def);
/* ternd's control socket when nothing names it. */
#define CTL_TERND_SOCK_DEFAULT "/run/tern/ternd.sock"
/*
 * ternd's control socket (ternd_sock.c), one rule for every ternd command:
 * sock (-s), else the control-socket of the configuration file config
 * (-c), else $TERND_CTL_SOCK, else the default. *ret is malloc'ed (the
 * caller frees it). Returns 0, or -1 with the reason on stderr.
 */
int ctl_find_ternd_sock(const char *sock, const char *config, char **ret);
/* The same with "-s SOCKET" and "-c CONFIG" taken out of argv. */
int ctl_take_ternd_sock(int *argc, char **argv, char **ret);
/*
 * Send req to the Unix stream socket sock (then half-close when shut_wr),
 * read the answer until EOF or max bytes; *ret is NUL-ended, malloc'ed,
 * the caller frees it. 5 s timeouts. Returns 0 or -errno.
 */
int ctl_unix_request(const char *sock, const char *req, bool shut_wr,
		     size_t max, char **ret);

/* tern-mgr's data model over its control socket (src/ctl/mgr.c). */
int ctl_cmd_mgr_get(int argc, char **argv);
int ctl_cmd_mgr_set(int argc, char **argv);
int ctl_cmd_mgr_status(int argc, char **argv);

/* ternd's mesh mode over its control socket (src/ctl/mesh.c). */
int ctl_cmd_mesh_blocks(int argc, char **argv);
int ctl_cmd_mesh_options(int argc, char **argv);
int ctl_cmd_mesh_set_option(int argc, char **argv);
int ctl_cmd_mesh_remove_option(int argc, char **argv);
int ctl_cmd_mesh_lease_time(int argc, char **argv);

/* ternd's configuration (src/ctl/config.c). */
int ctl_cmd_reload(int argc, char **argv);
int ctl_cmd_config_get(int argc, char **argv);
int ctl_cmd_config_test(int argc, char **argv);
int ctl_cmd_config_set(int argc, char **argv);
/* ternd's statistics over its control socket (src/ctl/stats.c). */
int ctl_cmd_stats(int argc, char **argv);

/* Kea's memfile CSV into ternd's store (src/ctl/lease.c). */
int ctl_cmd_lease_import_kea(int argc, char **argv);

/* ternd's PostgreSQL lease database schema (src/ctl/dbinit.c). */
int ctl_cmd_db_init(int argc, char **argv);

/* ternd's leases over its control socket (src/ctl/leases.c). */
int ctl_cmd_leases(int argc, char **argv);
int ctl_cmd_lease_add(int argc, char **argv);
int ctl_cmd_lease_del(int argc, char **argv);
/* Send a lease command, parse the answer: 0 with *ret_ans when result is
 * 0 or 3 (*ret_result), else the text on stderr and 1 (leases.c). */
struct tjson;
struct tjson_doc;
int ctl_lease_call(const char *sock, const struct tjson *req,
		   struct tjson_doc **ret_ans, int64_t *ret_result);
/* A lease's string / integer member ("" / 0 when absent) (leases.c). */
const char *ctl_sval(const struct tjson *o, const char *key);
int64_t ctl_ival(const struct tjson *o, const char *key);
/* Every lease through cmd ("lease4-get-page", "lease6-get-page"), page by
 * page: keep() filters, a kept one goes to row() or, with json, printed in
 * one JSON list. 0, or 1 after the error was printed (leases.c). */
int ctl_lease_walk(const char *sock, const char *cmd, bool json,
		   bool (*keep)(const struct tjson *l, const void *ctx),
		   int (*row)(void *ctx, const struct tjson *l), void *ctx);
/* A Dhcp6 ternd (src/ctl/leases6.c): whether sock's ternd has lease6-*;
 * its leases as a table (address/prefix, type, IAID, DUID, host name,
 * subnet, state, lifetimes, expiry) or JSON; the arguments of lease6-add
 * (duid set) or lease6-del of IP or PREFIX/LEN. */
bool ctl_ternd_serves_v6(const char *sock);
int ctl_leases6(const char *sock, long long subnet, const char *duid,
		bool json);
int ctl_lease6_args(struct tjson_doc *req, struct tjson *a, const char *ip,
		    const char *duid, long long iaid);

#endif
