/* ternd mesh node: the block state machine wired to its IPv6 sockets, a
 * timer, the engine's gate and the options it serves. */
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <netinet/in.h>
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

#include "common/clock.h"
#include "common/log.h"
#include "server/mesh/node_internal.h"

struct tern_ratelimit mn_rl = TERN_RATELIMIT_INIT(10, 5);

/* ---- options served over the configuration's ---- */

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
		if (ok && ternd_mesh_node_id_parse(text, id) == 0)
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

void mn_send_out(struct ternd_mesh_node *n)
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
			tern_log_rl(&mn_rl, LOG_DEBUG, "mesh send: %s",
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
				     from.sin6_addr.s6_addr, tern_mono_ms(),
				     &lm);
		if (r == 1)
			mn_on_lease_msg(n, &lm);
		else if (r < 0)
			tern_log_rl(&mn_rl, LOG_DEBUG,
				    "mesh: dropped a %zd-byte packet: %s", len,
				    strerror(-r));
	}
	sync_gate(n);
	mn_send_out(n);
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
	if (tern_mono_ms() >= ternd_mesh_next_tick(n->mesh) &&
	    ternd_mesh_tick(n->mesh, tern_mono_ms()) == 1) {
		tern_log(LOG_NOTICE, "mesh: learning phase over");
		mn_run_hook(n, "endlearning", NULL, NULL);
	}
	mn_reap_hooks(n, tern_mono_ms());
	sync_gate(n);
	mn_send_out(n);
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
	if ((r = ternd_mesh_new(&mc, tern_mono_ms(), &n->mesh)) < 0) {
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
