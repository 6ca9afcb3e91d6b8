/* ternd mesh settings: ddhcpd's command-line letters, the configuration's
 * mesh section, and ddhcpd's option syntax. */
#ifndef TERND_MESH_OPTS_H
#define TERND_MESH_OPTS_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/config/config.h"
#include "server/engine4/engine.h"
#include "server/mesh/proto.h"

#define TERND_MESH_MAX_OPTS TERND_ENGINE_MAX_OVERRIDES

/* Mesh settings from the command line (ternd ... --mesh -N ... ). */
struct ternd_mesh_opts {
	bool enabled;
	uint32_t network; /* host order */
	uint8_t prefix_len;
	uint8_t block_pow;
	uint32_t spare_leases;
	uint32_t tentative_ms;
	uint32_t block_timeout_ms;
	uint32_t needless_ms;
	bool skip_learning;
	bool has_node_id;
	uint8_t node_id[TERND_MESH_NODE_ID_LEN];
	char client_iface[IF_NAMESIZE]; /* informational: DHCP side */
	char server_iface[IF_NAMESIZE];
	const char *hook;			   /* NULL = none */
	const char *opt_args[TERND_MESH_MAX_OPTS]; /* -o CODE:LEN:B1.B2... */
	size_t n_opt_args;
	const char *state_dir;	  /* NULL = the lease store's directory */
	const char *control_path; /* -C: NULL = the configuration's */
	bool log_console;	  /* -D: log to stderr (ddhcpd's default) */
	bool verbose;		  /* -v: debug level */
	uint16_t mcast_port;	  /* 1234, other values for tests only */
	uint16_t ucast_port;	  /* 1235 */
};

/*
 * Settings from the configuration's mesh section (before the flags, which
 * win). Returns 0, or -EINVAL with a message in err.
 */
int ternd_mesh_opts_from_config(struct ternd_mesh_opts *o,
				const struct ternd_config_mesh *cm, char *err,
				size_t err_len);
/* Whether the settings are complete (-N and -i known); -EINVAL + err. */
int ternd_mesh_opts_check(const struct ternd_mesh_opts *o, char *err,
			  size_t err_len);

/* Defaults as ddhcpd's, ports 1234/1235. */
void ternd_mesh_opts_init(struct ternd_mesh_opts *o);
/*
 * Parse the --mesh arguments (ddhcpd's letters). Returns 0, or -EINVAL
 * with a message in err.
 */
int ternd_mesh_opts_parse(struct ternd_mesh_opts *o, int argc, char **argv,
			  char *err, size_t err_len);

/*
 * ddhcpd's option syntax "CODE:LEN:B1.B2...", bytes in decimal (LEN of
 * them). Returns 0, -EINVAL.
 */
int ternd_mesh_opt_parse(const char *s, uint8_t *ret_code, uint8_t *ret_len,
			 uint8_t data[255]);
/* The node id as text: 16 hex digits, optionally ':'-separated. Returns 0,
 * -EINVAL. */
int ternd_mesh_node_id_parse(const char *s,
			     uint8_t out[TERND_MESH_NODE_ID_LEN]);

#endif
