/* ternd mesh node: glue between the block state machine, its IPv6 sockets, the
 * engine and the hook. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <net/if.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>

#include <tern/dhcp4.h>

#include "common/log.h"
#include "server/mesh/node.h"

/* Forwarded REQUESTs waiting for the owner's answer (spec: 120 s). */
#define PENDING_MAX 256
#define PENDING_MS  120000
/* Hook processes: at most this many at once, each killed after a while. */
#define HOOK_MAX      8
#define HOOK_KILL_MS  30000
#define MESH_RX_BATCH 32
/* Peers whose address byte order we learned from their lease messages. */
#define PEER_ORDER_MAX 64

struct pending {
	bool used;
	int64_t expire_ms;
	uint32_t addr;
	uint32_t xid;
	uint8_t chaddr[16];
	char ifname[IF_NAMESIZE];
	struct ternd_rx rx;
	uint8_t data[1500];
};

struct hook_proc {
	pid_t pid;
	int64_t started_ms;
};

struct mesh_opt {
	uint8_t code;
	uint8_t len;
	uint8_t data[255];
};

struct ternd_mesh_node {
	struct ternd_mesh_opts o;
	struct mesh_opt opts[TERND_MESH_MAX_OPTS]; /* sorted by code */
	size_t n_opts;
	struct ternd_option ovr[TERND_MESH_MAX_OPTS];
	const struct ternd_config *cfg;
	struct ternd_engine *engine;
	struct ternd_mesh *mesh;
	ternd_mesh_run_fn run;
	void *run_ctx;
	int ifindex;
	int mfd, ufd, tfd;
	struct pending *pending;
	struct hook_proc hooks[HOOK_MAX];
	struct {
		uint8_t addr[16];
		bool swapped;
	} peers[PEER_ORDER_MAX];
	size_t n_peers, peer_next;
	uint64_t forwarded, acked, naked, pending_dropped, hooks_dropped;
	uint64_t renew_answered, release_rx, lease_unmatched;
};

static struct tern_ratelimit rl_mesh = TERN_RATELIMIT_INIT(10, 5);

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

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

static int parse_node_id(const char *s, uint8_t out[TERND_MESH_NODE_ID_LEN])
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
			if (parse_node_id(optarg, o->node_id) < 0)
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
		if (parse_node_id(cm->node_id, o->node_id) < 0) {
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

/* ---- options served over the configuration's ---- */

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

/*
 * Codes the server builds from the request itself. 51 (lease time) and 54
 * (server identifier) are not among them: ddhcpd takes both from -o, and
 * so does ternd (the engine uses them as the lease time and identifier).
 */
static bool protected_code(uint8_t code)
{
	return code == 0 || code == 255 || code == 50 || code == 52 ||
	       code == 53 || code == 55 || (code >= 57 && code <= 59) ||
	       code == 61 || code == 82;
}

/* Hand the (sorted) list to the engine again after every change. */
static int push_options(struct ternd_mesh_node *n)
{
	for (size_t i = 0; i < n->n_opts; i++)
		n->ovr[i] = (struct ternd_option){.code = n->opts[i].code,
						  .len = n->opts[i].len,
						  .data = n->opts[i].data};
	return ternd_engine_set_options(n->engine, n->ovr, n->n_opts);
}

int ternd_mesh_node_set_option(struct ternd_mesh_node *n, uint8_t code,
			       uint8_t len, const uint8_t *data)
{
	size_t i = 0;

	if (protected_code(code))
		return -EPERM;
	/* A lease time of 0 or a short value would be refused by the engine
	 * after the list changed; refuse it first. */
	if ((code == 51 || code == 54) &&
	    (len != 4 ||
	     (code == 51 && !(data[0] | data[1] | data[2] | data[3]))))
		return -EINVAL;
	while (i < n->n_opts && n->opts[i].code < code)
		i++;
	if (i == n->n_opts || n->opts[i].code != code) {
		if (n->n_opts == TERND_MESH_MAX_OPTS)
			return -E2BIG;
		memmove(&n->opts[i + 1], &n->opts[i],
			(n->n_opts - i) * sizeof(n->opts[0]));
		n->n_opts++;
	}
	n->opts[i].code = code;
	n->opts[i].len = len;
	memcpy(n->opts[i].data, data, len);
	return push_options(n);
}

int ternd_mesh_node_remove_option(struct ternd_mesh_node *n, uint8_t code)
{
	for (size_t i = 0; i < n->n_opts; i++) {
		if (n->opts[i].code != code)
			continue;
		memmove(&n->opts[i], &n->opts[i + 1],
			(n->n_opts - i - 1) * sizeof(n->opts[0]));
		n->n_opts--;
		return push_options(n);
	}
	return -ENOENT;
}

size_t ternd_mesh_node_options(const struct ternd_mesh_node *n,
			       const struct ternd_option **ret)
{
	*ret = n->ovr;
	return n->n_opts;
}

void ternd_mesh_node_block_usage(const struct ternd_mesh_node *n, uint32_t i,
				 uint32_t *ret_offered, uint32_t *ret_leased)
{
	uint32_t bs = ternd_mesh_blocksize(n->mesh), off = 0, bound = 0;

	for (uint32_t k = 0; k < bs; k++) {
		const struct ternd_lease *l = ternd_engine_lease(
			n->engine, n->o.network + i * bs + k);

		if (l && l->state == TERND_LEASE_OFFERED)
			off++;
		else if (l && l->state == TERND_LEASE_BOUND)
			bound++;
	}
	*ret_offered = off;
	*ret_leased = bound;
}

const struct ternd_mesh_opts *
ternd_mesh_node_opts(const struct ternd_mesh_node *n)
{
	return &n->o;
}

/* ---- node id: configured, else persisted, else MAC + 2 zero bytes ---- */

static int state_path(const struct ternd_mesh_node *n, char *buf, size_t len)
{
	const char *slash;
	int w;

	if (n->o.state_dir)
		w = snprintf(buf, len, "%s/mesh-node-id", n->o.state_dir);
	else if ((slash = strrchr(n->cfg->store_path, '/')))
		w = snprintf(buf, len, "%.*s/mesh-node-id",
			     (int)(slash - n->cfg->store_path),
			     n->cfg->store_path);
	else
		w = snprintf(buf, len, "mesh-node-id");
	return w < 0 || (size_t)w >= len ? -ENAMETOOLONG : 0;
}

static int iface_mac(const char *name, uint8_t mac[6])
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), r = 0;

	if (fd < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, name, strnlen(name, IF_NAMESIZE - 1));
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
		r = -errno;
	else
		memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	close(fd);
	return r;
}

static int load_node_id(struct ternd_mesh_node *n, uint8_t id[8])
{
	char path[PATH_MAX], text[64];
	FILE *f;
	int r;

	if ((r = state_path(n, path, sizeof(path))) < 0)
		return r;
	if (n->o.has_node_id) {
		memcpy(id, n->o.node_id, 8);
	} else if ((f = fopen(path, "re"))) {
		bool ok = fgets(text, sizeof(text), f) != NULL;

		fclose(f);
		text[strcspn(text, "\r\n")] = '\0';
		if (ok && parse_node_id(text, id) == 0)
			return 0;
		tern_log(LOG_WARNING,
			 "%s is unreadable: deriving the node id "
			 "again",
			 path);
		goto derive;
	} else {
	derive:
		memset(id, 0, 8);
		if ((r = iface_mac(n->o.server_iface, id)) < 0)
			return r;
	}
	/* Persisted so the id survives a MAC change or a reflash. */
	{
		char *slash = strrchr(path, '/');

		if (slash && slash != path) {
			*slash = '\0';
			(void)mkdir(path, 0750);
			*slash = '/';
		}
	}
	snprintf(text, sizeof(text), "%02x%02x%02x%02x%02x%02x%02x%02x\n",
		 id[0], id[1], id[2], id[3], id[4], id[5], id[6], id[7]);
	f = fopen(path, "we");
	if (!f || fputs(text, f) < 0) {
		r = -errno;
		if (f)
			fclose(f);
		tern_log(LOG_WARNING, "cannot store the node id in %s: %s",
			 path, strerror(-r));
		return 0;
	}
	fclose(f);
	return 0;
}

/* ---- sockets ---- */

static int open_sock(struct ternd_mesh_node *n, uint16_t port, bool mcast)
{
	struct sockaddr_in6 sa = {.sin6_family = AF_INET6,
				  .sin6_port = htons(port),
				  .sin6_addr = IN6ADDR_ANY_INIT};
	int one = 1, zero = 0, fd, r;

	fd = socket(AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, n->o.server_iface,
		       (socklen_t)strlen(n->o.server_iface)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &n->ifindex,
		       sizeof(n->ifindex)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &zero,
		       sizeof(zero)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &one,
		       sizeof(one)) < 0)
		goto fail;
	if (mcast) {
		struct ipv6_mreq mr = {.ipv6mr_interface =
					       (unsigned)n->ifindex};

		inet_pton(AF_INET6, TERND_MESH_MCAST_GROUP,
			  &mr.ipv6mr_multiaddr);
		if (setsockopt(fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &mr,
			       sizeof(mr)) < 0)
			goto fail;
	}
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		goto fail;
	return fd;
fail:
	r = -errno;
	close(fd);
	return r;
}

static void send_out(struct ternd_mesh_node *n)
{
	struct ternd_mesh_out o;

	while (ternd_mesh_pop_out(n->mesh, &o)) {
		struct sockaddr_in6 to = {.sin6_family = AF_INET6,
					  .sin6_scope_id =
						  (uint32_t)n->ifindex};

		/* ddhcpd sends multicast from 1234, unicast from 1235. */
		if (o.unicast) {
			memcpy(&to.sin6_addr, o.dst, 16);
			to.sin6_port = htons(n->o.ucast_port);
		} else {
			inet_pton(AF_INET6, TERND_MESH_MCAST_GROUP,
				  &to.sin6_addr);
			to.sin6_port = htons(n->o.mcast_port);
		}
		if (sendto(o.unicast ? n->ufd : n->mfd, o.buf, o.len, 0,
			   (struct sockaddr *)&to, sizeof(to)) < 0)
			tern_log_rl(&rl_mesh, LOG_DEBUG, "mesh send: %s",
				    strerror(errno));
	}
}

/* Open and close the engine's pool as blocks become ours or not. */
static void sync_gate(struct ternd_mesh_node *n)
{
	uint32_t blk, bs = ternd_mesh_blocksize(n->mesh);
	bool ours;

	while (ternd_mesh_pop_change(n->mesh, &blk, &ours)) {
		uint32_t first = n->o.network + blk * bs;

		(void)ternd_engine_gate_set(n->engine, first, first + bs - 1,
					    ours);
		tern_log(LOG_INFO, "mesh: block %u (%u.%u.%u.%u/%u) %s", blk,
			 first >> 24, (first >> 16) & 255, (first >> 8) & 255,
			 first & 255, 32 - n->o.block_pow,
			 ours ? "is ours" : "is no longer ours");
	}
}

static void arm(struct ternd_mesh_node *n)
{
	struct itimerspec its = {0};
	int64_t at = ternd_mesh_next_tick(n->mesh);

	if (at < 1)
		at = 1;
	its.it_value.tv_sec = at / 1000;
	its.it_value.tv_nsec = (at % 1000) * 1000000;
	timerfd_settime(n->tfd, TFD_TIMER_ABSTIME, &its, NULL);
}

/* ---- hook ---- */

static void reap_hooks(struct ternd_mesh_node *n, int64_t now)
{
	for (size_t i = 0; i < HOOK_MAX; i++) {
		struct hook_proc *h = &n->hooks[i];

		if (!h->pid)
			continue;
		if (waitpid(h->pid, NULL, WNOHANG) == h->pid) {
			h->pid = 0;
			continue;
		}
		if (now - h->started_ms > HOOK_KILL_MS)
			kill(h->pid, SIGKILL); /* reaped next time */
	}
}

static void run_hook(struct ternd_mesh_node *n, const char *action,
		     const char *ip, const char *mac)
{
	struct hook_proc *slot = NULL;
	int64_t now = mono_ms();
	pid_t pid;

	if (!n->o.hook)
		return;
	reap_hooks(n, now);
	for (size_t i = 0; i < HOOK_MAX && !slot; i++)
		if (!n->hooks[i].pid)
			slot = &n->hooks[i];
	if (!slot) {
		n->hooks_dropped++;
		tern_log_rl(&rl_mesh, LOG_WARNING,
			    "mesh hook: %d still running, %s not run", HOOK_MAX,
			    action);
		return;
	}
	pid = fork();
	if (pid < 0)
		return;
	if (pid == 0) {
		sigset_t all;

		sigemptyset(&all);
		sigprocmask(SIG_SETMASK, &all, NULL);
		if (ip)
			execl(n->o.hook, n->o.hook, action, ip, mac,
			      (char *)NULL);
		else
			execl(n->o.hook, n->o.hook, action, (char *)NULL);
		_exit(127);
	}
	slot->pid = pid;
	slot->started_ms = now;
}

static void hook_lease(struct ternd_mesh_node *n, const char *action,
		       uint32_t addr, const uint8_t *hw)
{
	char ip[INET_ADDRSTRLEN], mac[18];
	struct in_addr a = {htonl(addr)};

	inet_ntop(AF_INET, &a, ip, sizeof(ip));
	snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", hw[0],
		 hw[1], hw[2], hw[3], hw[4], hw[5]);
	run_hook(n, action, ip, mac);
}

void ternd_mesh_node_replied(struct ternd_mesh_node *n,
			     const struct ternd_tx *tx)
{
	struct tern_dhcp4_msg m;

	if (!n || tx->msg_type != TERN_DHCP4_ACK ||
	    tern_dhcp4_parse_header(&m, tx->buf, tx->len) < 0 ||
	    !m.hdr.yiaddr.s_addr)
		return;
	hook_lease(n, "lease", ntohl(m.hdr.yiaddr.s_addr), m.hdr.chaddr);
}

/*
 * ddhcpd writes the address of lease messages in its host byte order, so
 * a peer's order is learned from what it sends; until then ours is used,
 * which is what a ddhcpd built for the same machines does. Either order
 * is fine for ternd peers.
 */
static bool peer_swapped(const struct ternd_mesh_node *n, const uint8_t *addr)
{
	for (size_t i = 0; i < n->n_peers; i++)
		if (!memcmp(n->peers[i].addr, addr, 16))
			return n->peers[i].swapped;
	return htonl(1) != 1;
}

static void learn_order(struct ternd_mesh_node *n, const uint8_t *addr,
			bool swapped)
{
	size_t i;

	for (i = 0; i < n->n_peers; i++)
		if (!memcmp(n->peers[i].addr, addr, 16))
			break;
	if (i == n->n_peers) {
		if (n->n_peers < PEER_ORDER_MAX) {
			i = n->n_peers++;
		} else {
			i = n->peer_next; /* bounded: replace round robin */
			n->peer_next = (n->peer_next + 1) % PEER_ORDER_MAX;
		}
		memcpy(n->peers[i].addr, addr, 16);
	}
	n->peers[i].swapped = swapped;
}

/* ---- DHCP side: forward requests for a peer's addresses ---- */

/* Whether a peer owns addr's block; its address in ret_owner. */
static bool owner_of(const struct ternd_mesh_node *n, uint32_t addr,
		     uint8_t ret_owner[16])
{
	struct ternd_mesh_block_info bi;
	uint32_t blk;

	if (ternd_mesh_block_of(n->mesh, addr, &blk) < 0 ||
	    ternd_mesh_block(n->mesh, blk, &bi) < 0 ||
	    bi.state != TERND_MESH_CLAIMED)
		return false;
	memcpy(ret_owner, bi.owner_addr, 16);
	return true;
}

static struct pending *pending_slot(struct ternd_mesh_node *n, uint32_t xid,
				    const uint8_t *chaddr, int64_t now)
{
	struct pending *free_p = NULL, *oldest = NULL;

	for (size_t i = 0; i < PENDING_MAX; i++) {
		struct pending *p = &n->pending[i];

		if (p->used && p->expire_ms <= now)
			p->used = false;
		if (p->used && p->xid == xid && !memcmp(p->chaddr, chaddr, 16))
			return p; /* a retransmission: refresh it */
		if (!p->used && !free_p)
			free_p = p;
		if (p->used && (!oldest || p->expire_ms < oldest->expire_ms))
			oldest = p;
	}
	if (free_p)
		return free_p;
	n->pending_dropped++;
	return oldest;
}

int ternd_mesh_node_filter(struct ternd_mesh_node *n, const struct ternd_rx *rx)
{
	struct ternd_mesh_lease l = {0};
	struct tern_dhcp4_msg m;
	uint8_t owner[16];
	struct in_addr ip;
	struct pending *p;
	uint32_t addr = 0;
	int type;

	if (!n || tern_dhcp4_parse(&m, rx->buf, rx->len) < 0 || m.hdr.op != 1)
		return 0;
	type = tern_dhcp4_get_msg_type(&m);
	if (type == TERN_DHCP4_RELEASE) {
		addr = ntohl(m.hdr.ciaddr.s_addr);
		if (addr && owner_of(n, addr, owner)) {
			/* ddhcpd drops a roamed client's RELEASE; the owner
			 * should learn the address is free again. */
			l.addr = addr;
			l.xid = ntohl(m.hdr.xid);
			memcpy(l.chaddr, m.hdr.chaddr, 16);
			(void)ternd_mesh_send_lease(n->mesh, TERND_MESH_RELEASE,
						    owner, &l);
			send_out(n);
		}
		if (addr)
			hook_lease(n, "release", addr, m.hdr.chaddr);
		return 0;
	}
	if (type != TERN_DHCP4_REQUEST)
		return 0;
	/* SELECTING another server's offer: not ours to forward. */
	if (tern_dhcp4_get_server_id(&m, &ip) == 0 &&
	    ntohl(ip.s_addr) != rx->if_addr)
		return 0;
	if (tern_dhcp4_get_requested_ip(&m, &ip) == 0)
		addr = ntohl(ip.s_addr);
	else
		addr = ntohl(m.hdr.ciaddr.s_addr);
	if (!addr || !owner_of(n, addr, owner))
		return 0;
	if (rx->len > sizeof(p->data))
		return 0;
	p = pending_slot(n, ntohl(m.hdr.xid), m.hdr.chaddr, mono_ms());
	p->used = true;
	p->expire_ms = mono_ms() + PENDING_MS;
	p->addr = addr;
	p->xid = ntohl(m.hdr.xid);
	memcpy(p->chaddr, m.hdr.chaddr, 16);
	memcpy(p->data, rx->buf, rx->len);
	p->rx = *rx;
	p->rx.buf = p->data;
	p->ifname[0] = '\0';
	if (rx->ifname)
		snprintf(p->ifname, sizeof(p->ifname), "%s", rx->ifname);
	p->rx.ifname = rx->ifname ? p->ifname : NULL;
	l.addr = addr;
	l.xid = p->xid;
	memcpy(l.chaddr, p->chaddr, 16);
	l.swapped = peer_swapped(n, owner);
	if (ternd_mesh_send_lease(n->mesh, TERND_MESH_RENEWLEASE, owner, &l) ==
	    0)
		n->forwarded++;
	send_out(n);
	return 1;
}

/* ---- mesh side: a peer asks about one of our addresses ---- */

/*
 * Run a request we make up for the client through the engine, so the
 * owner binds (or frees) the address with every check a real client
 * request gets: the address must be free or held by that client.
 */
static int synth(struct ternd_mesh_node *n, uint8_t type,
		 const struct ternd_mesh_lease *ml)
{
	const struct ternd_lease *cur = ternd_engine_lease(n->engine, ml->addr);
	struct tern_dhcp4_hdr h = {.op = 1, .htype = 1, .hlen = 6};
	struct tern_dhcp4_writer w;
	struct in_addr a = {htonl(ml->addr)};
	struct ternd_rx rx = {0};
	uint8_t buf[600];
	int len;

	h.xid = htonl(ml->xid);
	memcpy(h.chaddr, ml->chaddr, 16);
	if (type == TERN_DHCP4_RELEASE)
		h.ciaddr = a;
	if (tern_dhcp4_writer_init(&w, buf, sizeof(buf), sizeof(buf), 0) < 0)
		return -EINVAL;
	tern_dhcp4_write_header(&w, &h);
	tern_dhcp4_put_msg_type(&w, type);
	if (type == TERN_DHCP4_REQUEST)
		tern_dhcp4_put_addr(&w, TERN_DHCP4_OPT_REQUESTED_IP, a);
	/* RFC 3011 subnet selection picks the mesh subnet. */
	tern_dhcp4_put_addr(&w, 118, a);
	if (cur && cur->cid_len && cur->hw_len == 6 &&
	    !memcmp(cur->hw, ml->chaddr, 6))
		tern_dhcp4_put(&w, TERN_DHCP4_OPT_CLIENT_ID, cur->cid,
			       cur->cid_len);
	len = tern_dhcp4_writer_finish(&w, true);
	if (len < 0)
		return len;
	rx.buf = buf;
	rx.len = (size_t)len;
	rx.now = (int64_t)time(NULL);
	return n->run(n->run_ctx, &rx, 0, 0, false);
}

static bool ours(const struct ternd_mesh_node *n, uint32_t addr)
{
	struct ternd_mesh_block_info bi;
	uint32_t blk;

	return ternd_mesh_block_of(n->mesh, addr, &blk) == 0 &&
	       ternd_mesh_block(n->mesh, blk, &bi) == 0 &&
	       bi.state == TERND_MESH_OURS;
}

static void on_lease_msg(struct ternd_mesh_node *n,
			 const struct ternd_mesh_lease_msg *lm)
{
	struct pending *p = NULL;
	int r;

	/* A palindromic address says nothing about the order. */
	if (lm->lease.addr != __builtin_bswap32(lm->lease.addr))
		learn_order(n, lm->src, lm->lease.swapped);
	switch (lm->command) {
	case TERND_MESH_RENEWLEASE:
		r = ours(n, lm->lease.addr)
			    ? synth(n, TERN_DHCP4_REQUEST, &lm->lease)
			    : -EACCES;
		(void)ternd_mesh_send_lease(n->mesh,
					    r == TERN_DHCP4_ACK
						    ? TERND_MESH_LEASEACK
						    : TERND_MESH_LEASENAK,
					    lm->src, &lm->lease);
		n->renew_answered++;
		break;
	case TERND_MESH_RELEASE:
		n->release_rx++;
		if (ours(n, lm->lease.addr))
			(void)synth(n, TERN_DHCP4_RELEASE, &lm->lease);
		break;
	default: /* LEASEACK, LEASENAK */
		for (size_t i = 0; i < PENDING_MAX && !p; i++) {
			struct pending *c = &n->pending[i];

			if (c->used && c->xid == lm->lease.xid &&
			    c->addr == lm->lease.addr &&
			    !memcmp(c->chaddr, lm->lease.chaddr, 16))
				p = c;
		}
		if (!p) {
			n->lease_unmatched++;
			break;
		}
		p->used = false;
		p->rx.now = (int64_t)time(NULL);
		if (lm->command == TERND_MESH_LEASEACK) {
			n->acked++;
			(void)n->run(n->run_ctx, &p->rx, p->addr, 1, true);
		} else {
			/* NAK, even where we still hold the client's lease
			 * from before we lost the block. */
			n->naked++;
			(void)n->run(n->run_ctx, &p->rx, p->addr, -1, true);
		}
		break;
	}
}

static void drain(struct ternd_mesh_node *n, int fd)
{
	for (int i = 0; i < MESH_RX_BATCH; i++) {
		uint8_t buf[TERND_MESH_MAX_PKT + 1];
		struct sockaddr_in6 from;
		socklen_t fl = sizeof(from);
		struct ternd_mesh_lease_msg lm;
		ssize_t len;
		int r;

		len = recvfrom(fd, buf, sizeof(buf), 0,
			       (struct sockaddr *)&from, &fl);
		if (len < 0)
			break;
		r = ternd_mesh_input(n->mesh, buf, (size_t)len,
				     from.sin6_addr.s6_addr, mono_ms(), &lm);
		if (r == 1)
			on_lease_msg(n, &lm);
		else if (r < 0)
			tern_log_rl(&rl_mesh, LOG_DEBUG,
				    "mesh: dropped a %zd-byte packet: %s", len,
				    strerror(-r));
	}
	sync_gate(n);
	send_out(n);
	arm(n);
}

void ternd_mesh_node_on_fd(struct ternd_mesh_node *n, int fd)
{
	uint64_t x;

	if (fd != n->tfd) {
		drain(n, fd);
		return;
	}
	if (read(n->tfd, &x, sizeof(x)) < 0 && errno != EAGAIN)
		return;
	if (mono_ms() >= ternd_mesh_next_tick(n->mesh) &&
	    ternd_mesh_tick(n->mesh, mono_ms()) == 1) {
		tern_log(LOG_NOTICE, "mesh: learning phase over");
		run_hook(n, "endlearning", NULL, NULL);
	}
	reap_hooks(n, mono_ms());
	sync_gate(n);
	send_out(n);
	arm(n);
}

static void usage_cb(void *ctx, uint32_t first, uint32_t cnt,
		     uint32_t *ret_free, uint32_t *ret_leased)
{
	struct ternd_mesh_node *n = ctx;

	ternd_engine_usage(n->engine, first, cnt, ret_free, ret_leased);
}

int ternd_mesh_node_new(const struct ternd_mesh_opts *o,
			const struct ternd_config *cfg, struct ternd_engine *e,
			ternd_mesh_run_fn run, void *run_ctx,
			struct ternd_mesh_node **ret)
{
	struct ternd_mesh_node *n = calloc(1, sizeof(*n));
	struct ternd_mesh_cfg mc;
	uint32_t last;
	int r;

	if (!n)
		return -ENOMEM;
	n->mfd = n->ufd = n->tfd = -1;
	n->o = *o;
	n->cfg = cfg;
	n->engine = e;
	n->run = run;
	n->run_ctx = run_ctx;
	r = -ENOMEM;
	n->pending = calloc(PENDING_MAX, sizeof(*n->pending));
	if (!n->pending)
		goto out;
	memset(&mc, 0, sizeof(mc));
	ternd_mesh_cfg_defaults(&mc);
	if ((r = load_node_id(n, mc.node_id)) < 0) {
		tern_log(LOG_ERR, "mesh: no node id (interface %s): %s",
			 o->server_iface, strerror(-r));
		goto out;
	}
	mc.network = o->network;
	mc.prefix_len = o->prefix_len;
	mc.block_pow = o->block_pow;
	mc.spare_leases = o->spare_leases;
	mc.tentative_ms = o->tentative_ms;
	mc.block_timeout_ms = o->block_timeout_ms;
	mc.needless_ms = o->needless_ms;
	mc.skip_learning = o->skip_learning;
	mc.seed = (uint32_t)getpid() ^ (uint32_t)time(NULL);
	if ((r = ternd_mesh_new(&mc, mono_ms(), &n->mesh)) < 0) {
		tern_log(LOG_ERR, "mesh: bad parameters");
		goto out;
	}
	ternd_mesh_set_usage(n->mesh, usage_cb, n);
	for (size_t i = 0; i < o->n_opt_args; i++) {
		uint8_t code, len, data[255];

		if (ternd_mesh_opt_parse(o->opt_args[i], &code, &len, data) <
			    0 ||
		    (r = ternd_mesh_node_set_option(n, code, len, data)) < 0) {
			tern_log(LOG_ERR, "mesh: option %s: %s", o->opt_args[i],
				 strerror(r < 0 ? -r : EINVAL));
			r = r < 0 ? r : -EINVAL;
			goto out;
		}
	}
	last = o->network + (uint32_t)((1ull << (32 - o->prefix_len)) - 1);
	if ((r = ternd_engine_gate(e, o->network, last)) < 0) {
		tern_log(LOG_ERR, "mesh: cannot close the pool: %s",
			 strerror(-r));
		goto out;
	}
	n->ifindex = (int)if_nametoindex(o->server_iface);
	if (!n->ifindex) {
		r = -errno;
		tern_log(LOG_ERR, "mesh: interface %s: %s", o->server_iface,
			 strerror(-r));
		goto out;
	}
	if ((r = n->mfd = open_sock(n, o->mcast_port, true)) < 0 ||
	    (r = n->ufd = open_sock(n, o->ucast_port, false)) < 0) {
		tern_log(LOG_ERR, "mesh: cannot open the sockets on %s: %s",
			 o->server_iface, strerror(-r));
		goto out;
	}
	n->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (n->tfd < 0) {
		r = -errno;
		goto out;
	}
	arm(n);
	tern_log(LOG_NOTICE,
		 "mesh: node %02x%02x%02x%02x%02x%02x%02x%02x on %s, %u "
		 "blocks of %u, %s",
		 mc.node_id[0], mc.node_id[1], mc.node_id[2], mc.node_id[3],
		 mc.node_id[4], mc.node_id[5], mc.node_id[6], mc.node_id[7],
		 o->server_iface, ternd_mesh_n_blocks(n->mesh),
		 ternd_mesh_blocksize(n->mesh),
		 o->skip_learning ? "no learning" : "learning");
	*ret = n;
	n = NULL;
	r = 0;
out:
	ternd_mesh_node_free(n);
	return r;
}

void ternd_mesh_node_free(struct ternd_mesh_node *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < HOOK_MAX; i++)
		if (n->hooks[i].pid)
			waitpid(n->hooks[i].pid, NULL, WNOHANG);
	if (n->mfd >= 0)
		close(n->mfd);
	if (n->ufd >= 0)
		close(n->ufd);
	if (n->tfd >= 0)
		close(n->tfd);
	ternd_mesh_free(n->mesh);
	free(n->pending);
	free(n);
}

size_t ternd_mesh_node_fds(const struct ternd_mesh_node *n, int *fds,
			   size_t max)
{
	size_t k = 0;

	if (k < max)
		fds[k++] = n->mfd;
	if (k < max)
		fds[k++] = n->ufd;
	if (k < max)
		fds[k++] = n->tfd;
	return k;
}

bool ternd_mesh_node_has_fd(const struct ternd_mesh_node *n, int fd)
{
	return n && (fd == n->mfd || fd == n->ufd || fd == n->tfd);
}

void ternd_mesh_node_log_stats(const struct ternd_mesh_node *n)
{
	const struct ternd_mesh_stats *s;
	uint32_t owned = 0;

	if (!n)
		return;
	s = ternd_mesh_stats(n->mesh);
	for (uint32_t i = 0; i < ternd_mesh_n_blocks(n->mesh); i++) {
		struct ternd_mesh_block_info bi;

		if (ternd_mesh_block(n->mesh, i, &bi) == 0 &&
		    bi.state == TERND_MESH_OURS)
			owned++;
	}
	tern_log(LOG_INFO,
		 "mesh stats: blocks ours %u; rx %llu malformed %llu foreign "
		 "%llu self %llu; tx %llu dropped %llu; conflicts won %llu "
		 "lost %llu; forwarded %llu acked %llu naked %llu unmatched "
		 "%llu; renewals answered %llu; releases %llu",
		 owned, (unsigned long long)s->rx_packets,
		 (unsigned long long)s->rx_malformed,
		 (unsigned long long)s->rx_foreign,
		 (unsigned long long)s->rx_self,
		 (unsigned long long)s->tx_packets,
		 (unsigned long long)s->tx_dropped,
		 (unsigned long long)s->conflicts_won,
		 (unsigned long long)s->conflicts_lost,
		 (unsigned long long)n->forwarded, (unsigned long long)n->acked,
		 (unsigned long long)n->naked,
		 (unsigned long long)n->lease_unmatched,
		 (unsigned long long)n->renew_answered,
		 (unsigned long long)n->release_rx);
}

const struct ternd_mesh *ternd_mesh_node_mesh(const struct ternd_mesh_node *n)
{
	return n->mesh;
}
