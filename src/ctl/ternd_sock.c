/* ternctl: where ternd's control socket is, one rule for every ternd
 * command: -s SOCKET, else the control-socket of -c CONFIG, else
 * $TERND_CTL_SOCK, else the default. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/ctl.h"
#include "server/config/config.h"

int ctl_find_ternd_sock(const char *sock, const char *config, char **ret)
{
	struct ternd_config *cfg = NULL;
	struct ternd_diags diags = {0};
	const char *env = getenv("TERND_CTL_SOCK");
	int r;

	*ret = NULL;
	if (!sock && config) {
		r = ternd_config_load_file(config, &cfg, &diags);
		if (r < 0) {
			ternd_diags_print(stderr, config, &diags);
			fprintf(stderr, "ternctl: %s: cannot load: %s\n",
				config, strerror(-r));
			return -1;
		}
		if (!cfg->control_socket) {
			fprintf(stderr,
				"ternctl: %s has no control-socket: ternd "
				"cannot be asked\n",
				config);
			ternd_config_free(cfg);
			return -1;
		}
		*ret = strdup(cfg->control_socket);
		ternd_config_free(cfg);
	} else {
		*ret = strdup(sock	    ? sock
			      : env && *env ? env
					    : CTL_TERND_SOCK_DEFAULT);
	}
	return *ret ? 0 : -1;
}

int ctl_take_ternd_sock(int *argc, char **argv, char **ret)
{
	const char *sock = NULL, *config = NULL;
	int o = 0;

	for (int i = 0; i < *argc; i++) {
		if (!strcmp(argv[i], "-s") && i + 1 < *argc) {
			sock = argv[++i];
			continue;
		}
		if (!strcmp(argv[i], "-c") && i + 1 < *argc) {
			config = argv[++i];
			continue;
		}
		argv[o++] = argv[i];
	}
	*argc = o;
	if (sock && config) {
		fprintf(stderr, "ternctl: -s and -c name the socket twice\n");
		return -1;
	}
	return ctl_find_ternd_sock(sock, config, ret);
}
