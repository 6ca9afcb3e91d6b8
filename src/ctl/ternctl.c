/* ternctl: entry point and table-driven command dispatch. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/ctl.h"

static const struct ctl_cmd commands[] = {
	{{"config", "get", NULL},
	 "[-s SOCKET | -c CONFIG]",
	 "print ternd's running configuration (config-get)",
	 ctl_cmd_config_get},
	{{"config", "set", NULL},
	 "[-s SOCKET] FILE",
	 "check FILE, then make it ternd's configuration (config-set)",
	 ctl_cmd_config_set},
	{{"config", "test", NULL},
	 "FILE",
	 "check FILE with ternd's loader, print FILE:LINE:COL errors",
	 ctl_cmd_config_test},
	{{"db-init", NULL},
	 "-c CONFIG | --name DB [--host HOST] [--port PORT] [--user USER]",
	 "create or upgrade the schema of ternd's PostgreSQL lease database "
	 "and print its version (SQLite: nothing to do)",
	 ctl_cmd_db_init},
	{{"decode", NULL},
	 "[-4|-6] FILE...",
	 "decode DHCPv4/DHCPv6 messages (raw bytes or hex text) and print them",
	 ctl_cmd_decode},
	{{"lease", "import-kea", NULL},
	 "[-c CONFIG] [-s STORE] [CSV...]",
	 "import Kea's memfile lease file(s) into ternd's store (ternd "
	 "stopped)",
	 ctl_cmd_lease_import_kea},
	{{"lease", "add", NULL},
	 "[-s SOCKET | -c CONFIG] IP MAC | IPV6[/LEN] DUID [--iaid N] "
	 "[--subnet ID] [--hostname H] [--valid-lft S]",
	 "add a lease to the running ternd (lease4-add, lease6-add for an "
	 "IPv6 address or prefix; durable when answered)",
	 ctl_cmd_lease_add},
	{{"lease", "del", NULL},
	 "[-s SOCKET | -c CONFIG] IP | IPV6[/LEN]",
	 "delete a lease from the running ternd (lease4-del, lease6-del): "
	 "the address is free again",
	 ctl_cmd_lease_del},
	{{"leases", NULL},
	 "[-s SOCKET | -c CONFIG] [--subnet ID] [--mac MAC | --duid DUID] "
	 "[--json]",
	 "list the running ternd's leases by address: address, MAC, "
	 "client-id, host name, subnet, state, expiry (local time); for a "
	 "Dhcp6 ternd address/prefix, type, IAID, DUID, host name, subnet, "
	 "state, lifetimes, expiry",
	 ctl_cmd_leases},
	{{"mgr", "get", NULL},
	 "[-s SOCKET] [PATH]",
	 "print tern-mgr parameters (a path ending in '.' lists a subtree)",
	 ctl_cmd_mgr_get},
	{{"mgr", "set", NULL},
	 "[-s SOCKET] PATH VALUE",
	 "set a writable tern-mgr parameter (Enable, Renew, X_RDK_Restart...)",
	 ctl_cmd_mgr_set},
	{{"mgr", "status", NULL},
	 "[-s SOCKET]",
	 "show tern-mgr's DHCP clients, their states and leases",
	 ctl_cmd_mgr_status},
	{{"mesh", "blocks", NULL},
	 "[-s SOCKET] [-a]",
	 "show ternd's mesh blocks: state, owner, claim timeout, leases "
	 "(-a: free ones too)",
	 ctl_cmd_mesh_blocks},
	{{"mesh", "options", NULL},
	 "[-s SOCKET]",
	 "show the options ternd's mesh mode serves over its configuration",
	 ctl_cmd_mesh_options},
	{{"mesh", "set-option", NULL},
	 "[-s SOCKET] CODE:LEN:B1.B2...",
	 "serve a DHCP option (ddhcpd syntax, bytes in decimal)",
	 ctl_cmd_mesh_set_option},
	{{"mesh", "remove-option", NULL},
	 "[-s SOCKET] CODE",
	 "stop serving an option set at run time",
	 ctl_cmd_mesh_remove_option},
	{{"stats", NULL},
	 "[-c CONFIG | -s SOCKET] [--json]",
	 "show ternd's statistics (Kea's names): a table, or JSON for scripts",
	 ctl_cmd_stats},
	{{"mesh", "lease-time", NULL},
	 "[-s SOCKET] SECONDS",
	 "set the lease time of every new or renewed lease (ddhcpdctl -l)",
	 ctl_cmd_mesh_lease_time},
	{{"reload", NULL},
	 "[-s SOCKET | -c CONFIG]",
	 "make ternd re-read its configuration file (config-reload)",
	 ctl_cmd_reload},
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *out)
{
	fputs("usage: ternctl [-h] [-V] COMMAND [ARGS...]\n\n"
	      "Control ternd and tern-mgr, and inspect DHCP messages.\n\n"
	      "Commands:\n",
	      out);
	for (size_t i = 0; i < N_COMMANDS; i++) {
		char words[64] = "";

		for (size_t w = 0; commands[i].path[w]; w++) {
			if (w)
				strncat(words, " ",
					sizeof(words) - strlen(words) - 1);
			strncat(words, commands[i].path[w],
				sizeof(words) - strlen(words) - 1);
		}
		fprintf(out, "  %s %s\n      %s\n", words, commands[i].args,
			commands[i].help);
	}
	fputs("\nSee ternctl(8).\n", out);
}

/* The command whose words prefix argv, and how many words it took. */
static const struct ctl_cmd *lookup(int argc, char **argv, int *ret_words)
{
	for (size_t i = 0; i < N_COMMANDS; i++) {
		int w = 0;

		while (commands[i].path[w] && w < argc &&
		       !strcmp(commands[i].path[w], argv[w]))
			w++;
		if (!commands[i].path[w]) {
			*ret_words = w;
			return &commands[i];
		}
	}
	return NULL;
}

int main(int argc, char **argv)
{
	const struct ctl_cmd *cmd;
	int words = 0;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version")) {
		printf("ternctl %s\n", TERN_VERSION);
		return 0;
	}
	cmd = lookup(argc - 1, argv + 1, &words);
	if (!cmd) {
		fprintf(stderr, "ternctl: unknown command '%s'\n", argv[1]);
		usage(stderr);
		return 2;
	}
	return cmd->run(argc - 1 - words, argv + 1 + words);
}
