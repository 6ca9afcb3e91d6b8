/* ternd mesh settings: ddhcpd's command-line letters, the configuration's
 * mesh section, and ddhcpd's option syntax. */
#include <errno.h>
#include <getopt.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>

#include "server/mesh/blocks.h"
#include "server/mesh/opts.h"

void ternd_mesh_opts_init(struct ternd_mesh_opts *o)
{
	struct ternd_mesh_cfg d;

	memset(o, 0, sizeof(*o));
	memset(&d, 0, sizeof(d));
	ternd_mesh_cfg_defaults(&d);
	o->block_pow = d.block_pow;
	o->spare_leases = d.spare_leases;
	o->tentative_ms = d.tentative_ms;
	o->block_timeout_ms = d.block_timeout_ms;
	o->needless_ms = d.needless_ms;
	o->mcast_port = TERND_MESH_MCAST_PORT;
	o->ucast_port = TERND_MESH_UCAST_PORT;
}

/* Seconds, fractions allowed so tests can scale timers down. */
static int parse_ms(const char *s, uint32_t min_ms, uint32_t *ret)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || v * 1000 < min_ms || v > 65535)
		return -EINVAL;
	*ret = (uint32_t)(v * 1000 + 0.5);
	return 0;
}

static int parse_uint(const char *s, unsigned long max, unsigned long *ret)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v > max || s[0] == '-')
		return -EINVAL;
	*ret = v;
	return 0;
}

static int parse_net(const char *s, uint32_t *ret_net, uint8_t *ret_len)
{
	char buf[32], *slash;
	struct in_addr a;
	unsigned long len;

	if (snprintf(buf, sizeof(buf), "%s", s) >= (int)sizeof(buf))
		return -EINVAL;
	slash = strchr(buf, '/');
	if (!slash)
		return -EINVAL;
	*slash = '\0';
	if (inet_pton(AF_INET, buf, &a) != 1 ||
	    parse_uint(slash + 1, 30, &len) < 0)
		return -EINVAL;
	*ret_net = ntohl(a.s_addr);
	*ret_len = (uint8_t)len;
	if (len && (*ret_net & ~(~0u << (32 - len))))
		return -EINVAL;
	return 0;
}

int ternd_mesh_node_id_parse(const char *s, uint8_t out[TERND_MESH_NODE_ID_LEN])
{
	size_t n = 0;

	/* 16 hex digits, optionally separated by ':'. */
	while (*s && n < TERND_MESH_NODE_ID_LEN) {
		unsigned v;

		if (sscanf(s, "%2x", &v) != 1 || !s[1] ||
		    !strchr("0123456789abcdefABCDEF", s[0]) ||
		    !strchr("0123456789abcdefABCDEF", s[1]))
			return -EINVAL;
		out[n++] = (uint8_t)v;
		s += 2;
		if (*s == ':')
			s++;
	}
	return n == TERND_MESH_NODE_ID_LEN && !*s ? 0 : -EINVAL;
}

enum { OPT_NODE_ID = 256, OPT_NEEDLESS, OPT_STATE_DIR };

int ternd_mesh_opts_parse(struct ternd_mesh_opts *o, int argc, char **argv,
			  char *err, size_t err_len)
{
	static const struct option longopts[] = {
		/* Long-only: values outside every letter ddhcpd uses. */
		{"node-id", required_argument, NULL, OPT_NODE_ID},
		{"needless", required_argument, NULL, OPT_NEEDLESS},
		{"state-dir", required_argument, NULL, OPT_STATE_DIR},
		{NULL, 0, NULL, 0},
	};
	unsigned long v;
	int c;

	o->enabled = true;
	optind = 0; /* glibc: start over after the caller's own getopt */
	while ((c = getopt_long(argc, argv, ":N:b:s:t:B:Lc:i:o:H:n:C:Dvd",
				longopts, NULL)) != -1) {
		switch (c) {
		case 'N':
			if (parse_net(optarg, &o->network, &o->prefix_len) < 0)
				goto bad;
			break;
		case 'b':
			if (parse_uint(optarg, 7, &v) < 0)
				goto bad;
			o->block_pow = (uint8_t)v;
			break;
		case 's':
			if (parse_uint(optarg, 256, &v) < 0)
				goto bad;
			o->spare_leases = (uint32_t)v;
			break;
		case 't':
			if (parse_ms(optarg, 100, &o->tentative_ms) < 0)
				goto bad;
			break;
		case 'B':
			if (parse_ms(optarg, 100, &o->block_timeout_ms) < 0)
				goto bad;
			break;
		case 'n': /* ddhcpd r4's letter for --needless */
		case OPT_NEEDLESS:
			if (parse_ms(optarg, 100, &o->needless_ms) < 0)
				goto bad;
			break;
		case 'L':
			o->skip_learning = true;
			break;
		case 'c':
		case 'i': {
			char *dst =
				c == 'c' ? o->client_iface : o->server_iface;

			if (strlen(optarg) >= IF_NAMESIZE || !optarg[0])
				goto bad;
			memcpy(dst, optarg, strlen(optarg) + 1);
			break;
		}
		case 'o': {
			uint8_t code, len, data[255];

			if (ternd_mesh_opt_parse(optarg, &code, &len, data) < 0)
				goto bad;
			if (o->n_opt_args == TERND_MESH_MAX_OPTS) {
				snprintf(err, err_len,
					 "--mesh: more than %d -o",
					 TERND_MESH_MAX_OPTS);
				return -EINVAL;
			}
			o->opt_args[o->n_opt_args++] = optarg;
			break;
		}
		case 'H':
			o->hook = optarg;
			break;
		case OPT_NODE_ID:
			if (ternd_mesh_node_id_parse(optarg, o->node_id) < 0)
				goto bad;
			o->has_node_id = true;
			break;
		case OPT_STATE_DIR:
			o->state_dir = optarg;
			break;
		case 'C':
			if (!optarg[0] || optarg[0] != '/')
				goto bad;
			o->control_path = optarg;
			break;
		case 'D':
			o->log_console = true;
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'd':
			/* Forking would hide start-up errors from the one who
			 * started it; procd and systemd need no fork. */
			snprintf(err, err_len,
				 "--mesh: -d (fork into the background) is "
				 "not supported: ternd stays in the foreground "
				 "under procd or systemd; use & in a shell");
			return -EINVAL;
		case ':':
			snprintf(err, err_len, "--mesh: -%c needs a value",
				 optopt);
			return -EINVAL;
		default:
			snprintf(err, err_len, "--mesh: unknown option %s",
				 argv[optind - 1]);
			return -EINVAL;
		}
	}
	if (optind != argc) {
		snprintf(err, err_len, "--mesh: unexpected argument %s",
			 argv[optind]);
		return -EINVAL;
	}
	return ternd_mesh_opts_check(o, err, err_len);
bad:
	if (c < 256)
		snprintf(err, err_len, "--mesh: bad value for -%c: %s", c,
			 optarg);
	else
		snprintf(err, err_len, "--mesh: bad value for --%s: %s",
			 longopts[c - OPT_NODE_ID].name, optarg);
	return -EINVAL;
}

int ternd_mesh_opts_check(const struct ternd_mesh_opts *o, char *err,
			  size_t err_len)
{
	if (!o->prefix_len && !o->network) {
		snprintf(err, err_len, "--mesh needs -N NETWORK/CIDR");
		return -EINVAL;
	}
	if (!o->server_iface[0]) {
		snprintf(err, err_len, "--mesh needs -i SERVER-IFACE");
		return -EINVAL;
	}
	if (32u - o->prefix_len < o->block_pow ||
	    32u - o->prefix_len - o->block_pow > 16) {
		snprintf(err, err_len,
			 "--mesh: -N and -b give more than 65536 blocks or "
			 "a block larger than the network");
		return -EINVAL;
	}
	return 0;
}

int ternd_mesh_opts_from_config(struct ternd_mesh_opts *o,
				const struct ternd_config_mesh *cm, char *err,
				size_t err_len)
{
	if (!cm->present)
		return 0;
	o->enabled = true;
	o->network = cm->network;
	o->prefix_len = cm->prefix_len;
	if (cm->server_iface)
		snprintf(o->server_iface, sizeof(o->server_iface), "%s",
			 cm->server_iface);
	if (cm->client_iface)
		snprintf(o->client_iface, sizeof(o->client_iface), "%s",
			 cm->client_iface);
	o->hook = cm->hook;
	o->state_dir = cm->state_dir;
	if (cm->block_pow >= 0)
		o->block_pow = (uint8_t)cm->block_pow;
	if (cm->spare_leases >= 0)
		o->spare_leases = (uint32_t)cm->spare_leases;
	if (cm->tentative >= 0)
		o->tentative_ms = (uint32_t)(cm->tentative * 1000 + 0.5);
	if (cm->block_timeout >= 0)
		o->block_timeout_ms =
			(uint32_t)(cm->block_timeout * 1000 + 0.5);
	if (cm->needless >= 0)
		o->needless_ms = (uint32_t)(cm->needless * 1000 + 0.5);
	if (cm->learning >= 0)
		o->skip_learning = !cm->learning;
	if (cm->node_id) {
		if (ternd_mesh_node_id_parse(cm->node_id, o->node_id) < 0) {
			snprintf(err, err_len,
				 "mesh node-id \"%s\": 16 hex digits expected",
				 cm->node_id);
			return -EINVAL;
		}
		o->has_node_id = true;
	}
	for (size_t i = 0; i < cm->n_options; i++) {
		uint8_t code, len, data[255];

		if (ternd_mesh_opt_parse(cm->options[i], &code, &len, data) <
			    0 ||
		    o->n_opt_args == TERND_MESH_MAX_OPTS) {
			snprintf(err, err_len,
				 "mesh option \"%s\": CODE:LEN:B1.B2... "
				 "expected",
				 cm->options[i]);
			return -EINVAL;
		}
		o->opt_args[o->n_opt_args++] = cm->options[i];
	}
	return 0;
}

int ternd_mesh_opt_parse(const char *s, uint8_t *ret_code, uint8_t *ret_len,
			 uint8_t data[255])
{
	unsigned long code, len, v;
	char *end;

	errno = 0;
	code = strtoul(s, &end, 10);
	if (errno || end == s || *end != ':' || code > 255 || s[0] == '-')
		return -EINVAL;
	s = end + 1;
	len = strtoul(s, &end, 10);
	if (errno || end == s || *end != ':' || len > 255 || s[0] == '-')
		return -EINVAL;
	s = end + 1;
	for (unsigned long i = 0; i < len; i++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		v = strtoul(s, &end, 10);
		if (errno || v > 255 || (*end != '.' && *end != '\0') ||
		    (*end == '\0') != (i + 1 == len))
			return -EINVAL;
		data[i] = (uint8_t)v;
		s = *end ? end + 1 : end;
	}
	if (*s)
		return -EINVAL;
	*ret_code = (uint8_t)code;
	*ret_len = (uint8_t)len;
	return 0;
}
