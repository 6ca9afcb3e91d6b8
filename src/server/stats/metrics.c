/* ternd statistics: the Prometheus /metrics endpoint, with the names and
 * labels of ISC Stork's Kea exporter (stork-agent), served by
 * libmicrohttpd's own thread from a snapshot the event loop publishes. */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/log.h"
#include "server/config/config6.h"
#include "server/stats/internal.h"

/*
 * Threads and races. libmicrohttpd runs its own thread
 * (MHD_USE_INTERNAL_POLLING_THREAD): a scrape, a slow client or a flood
 * of connections costs that thread, never the event loop. The two share
 * one thing, the published snapshot (pub, n_pub), and only under lock:
 *  - the event loop fills stage (its own) once a tick, then takes the
 *    lock with trylock and swaps stage and pub; when the HTTP thread
 *    holds the lock it skips the swap and tries again next tick, so the
 *    loop never waits for the HTTP thread;
 *  - the HTTP thread takes the lock only to copy pub into its own
 *    buffer, and renders the text from that copy after unlocking.
 * Statistics (the engine's counters, the table) are read only by the
 * event loop. tmetrics_free stops the daemon (which joins its thread)
 * before it frees the buffers. Connections are bounded (CONN_MAX, per
 * address CONN_PER_IP), each with a timeout and a memory limit.
 * The thread starts at the first tick, from the event loop: after the
 * privilege drop (no capability can stay with it) and after the daemon
 * blocked the signals it reads through its signalfd (the thread inherits
 * the mask, so SIGTERM never lands there).
 */
#define CONN_MAX     16
#define CONN_PER_IP  8
#define CONN_TIMEOUT 10 /* seconds */

struct tmetrics {
	int fd; /* bound before the privilege drop; MHD's once started */
	struct MHD_Daemon *mhd;
	bool failed;
	pthread_mutex_t lock;
	struct tmetric_point *pub; /* under lock */
	size_t n_pub, cap_pub;
	struct tmetric_point *stage; /* the event loop's */
	size_t cap_stage;
};

struct fam {
	const char *name;
	const char *help;
};

/* Stork's promkeaexporter.go (v1.18 names; HEAD's allocation-failure and
 * reservation-conflict gauges too, as Kea 2.2 has those statistics). All
 * are gauges, as Stork declares them. */
static const struct fam fams[FAM__MAX] = {
	[FAM_PKT_RECEIVED] = {"kea_dhcp4_packets_received_total",
			      "Packets received"},
	[FAM_PKT_SENT] = {"kea_dhcp4_packets_sent_total", "Packets sent"},
	[FAM_G_CUMULATIVE] = {"kea_dhcp4_global4_cumulative_addresses_"
			      "assigned_total",
			      "Cumulative number of assigned addresses since "
			      "server startup from all subnets"},
	[FAM_G_DECLINED] = {"kea_dhcp4_global4_addresses_declined_total",
			    "Declined counts from all subnets"},
	[FAM_G_DECLINED_RECLAIMED] =
		{"kea_dhcp4_global4_addresses_declined_reclaimed_total",
		 "Declined addresses that were reclaimed for all subnets"},
	[FAM_G_RECLAIMED] = {"kea_dhcp4_global4_addresses_reclaimed_total",
			     "Expired addresses that were reclaimed for all "
			     "subnets"},
	[FAM_G_AF + TERND_AF_ANY] = {"kea_dhcp4_global4_allocation_fail_total",
				     "Total number of address allocation "
				     "failures"},
	[FAM_G_AF + TERND_AF_SHARED_NETWORK] =
		{"kea_dhcp4_global4_allocation_fail_shared_network_total",
		 "Address allocation failures in a shared network"},
	[FAM_G_AF + TERND_AF_SUBNET] =
		{"kea_dhcp4_global4_allocation_fail_subnet_total",
		 "Address allocation failures in a subnet"},
	[FAM_G_AF + TERND_AF_NO_POOLS] =
		{"kea_dhcp4_global4_allocation_fail_no_pools_total",
		 "Address allocation failures with no pool to use"},
	[FAM_G_AF + TERND_AF_CLASSES] =
		{"kea_dhcp4_global4_allocation_fail_classes_total",
		 "Address allocation failures of classified clients"},
	[FAM_G_RES_CONFLICTS] = {"kea_dhcp4_global4_reservation_conflicts_"
				 "total",
				 "Reserved addresses another client held"},
	[FAM_S_ASSIGNED] = {"kea_dhcp4_addresses_assigned_total",
			    "Assigned addresses"},
	[FAM_S_DECLINED] = {"kea_dhcp4_addresses_declined_total",
			    "Declined addresses"},
	[FAM_S_DECLINED_RECLAIMED] = {"kea_dhcp4_addresses_declined_"
				      "reclaimed_total",
				      "Declined addresses that were "
				      "reclaimed"},
	[FAM_S_RECLAIMED] = {"kea_dhcp4_addresses_reclaimed_total",
			     "Expired addresses that were reclaimed"},
	[FAM_S_TOTAL] = {"kea_dhcp4_addresses_total",
			 "Size of subnet address pool"},
	[FAM_S_CUMULATIVE] = {"kea_dhcp4_cumulative_addresses_assigned_total",
			      "Cumulative number of assigned addresses since "
			      "server startup"},
	[FAM_S_AF + TERND_AF_ANY] = {"kea_dhcp4_allocation_fail_total",
				     "Address allocation failures"},
	[FAM_S_AF + TERND_AF_SHARED_NETWORK] =
		{"kea_dhcp4_allocation_fail_shared_network_total",
		 "Address allocation failures in a shared network"},
	[FAM_S_AF + TERND_AF_SUBNET] = {"kea_dhcp4_allocation_fail_subnet_"
					"total",
					"Address allocation failures in a "
					"subnet"},
	[FAM_S_AF + TERND_AF_NO_POOLS] =
		{"kea_dhcp4_allocation_fail_no_pools_total",
		 "Address allocation failures with no pool to use"},
	[FAM_S_AF + TERND_AF_CLASSES] =
		{"kea_dhcp4_allocation_fail_classes_total",
		 "Address allocation failures of classified clients"},
	[FAM_S_RES_CONFLICTS] = {"kea_dhcp4_reservation_conflicts_total",
				 "Reserved addresses another client held"},
	/* A Dhcp6 ternd's (Stork 1.18's kea_dhcp6_*; its HEAD's
	 * allocation-failure gauges). */
	[FAM6_PKT_RECEIVED] = {"kea_dhcp6_packets_received_total",
			       "Packets received"},
	[FAM6_PKT_SENT] = {"kea_dhcp6_packets_sent_total", "Packets sent"},
	[FAM6_G_DECLINED] = {"kea_dhcp6_global6_addresses_declined_total",
			     "Declined counts from all subnets"},
	[FAM6_G_CUMULATIVE_NA] = {"kea_dhcp6_global6_cumulative_nas_assigned_"
				  "total",
				  "Cumulative number of assigned NA addresses "
				  "since server startup from all subnets"},
	[FAM6_G_CUMULATIVE_PD] = {"kea_dhcp6_global6_cumulative_pds_assigned_"
				  "total",
				  "Cumulative number of assigned PD prefixes "
				  "since server startup"},
	[FAM6_G_DECLINED_RECLAIMED] =
		{"kea_dhcp6_global6_addresses_declined_reclaimed_total",
		 "Declined addresses that were reclaimed for all subnets"},
	[FAM6_G_RECLAIMED] = {"kea_dhcp6_global6_addresses_reclaimed_total",
			      "Expired addresses that were reclaimed for all "
			      "subnets"},
	[FAM6_G_AF + TERND_AF6_ANY] = {"kea_dhcp6_global6_allocation_fail_"
				       "total",
				       "Address allocation failures for all "
				       "subnets"},
	[FAM6_G_AF + TERND_AF6_SHARED_NETWORK] =
		{"kea_dhcp6_global6_allocation_fail_shared_network_total",
		 "Address allocation failures for all subnets in a shared "
		 "network"},
	[FAM6_G_AF + TERND_AF6_SUBNET] =
		{"kea_dhcp6_global6_allocation_fail_subnet_total",
		 "Address allocation failures for all subnets not in a shared "
		 "network"},
	[FAM6_G_AF + TERND_AF6_NO_POOLS] =
		{"kea_dhcp6_global6_allocation_fail_no_pools_total",
		 "Address allocation failures for all subnets due to lack of "
		 "configured pool"},
	[FAM6_G_AF + TERND_AF6_CLASSES] =
		{"kea_dhcp6_global6_allocation_fail_classes_total",
		 "Address allocation failures for all subnets because client's "
		 "packet belongs to one or more classes"},
	[FAM6_S_NA_TOTAL] = {"kea_dhcp6_na_total",
			     "'Size of non-temporary address pool"},
	[FAM6_S_NA_ASSIGNED] = {"kea_dhcp6_na_assigned_total",
				"Assigned non-temporary addresses (IA_NA)"},
	[FAM6_S_PD_TOTAL] = {"kea_dhcp6_pd_total",
			     "Size of prefix delegation pool"},
	[FAM6_S_PD_ASSIGNED] = {"kea_dhcp6_pd_assigned_total",
				"Assigned prefix delegations (IA_PD)"},
	[FAM6_S_RECLAIMED] = {"kea_dhcp6_addresses_reclaimed_total",
			      "Expired addresses that were reclaimed"},
	[FAM6_S_DECLINED] = {"kea_dhcp6_addresses_declined_total",
			     "Declined counts"},
	[FAM6_S_DECLINED_RECLAIMED] = {"kea_dhcp6_addresses_declined_"
				       "reclaimed_total",
				       "Declined addresses that were "
				       "reclaimed"},
	[FAM6_S_CUMULATIVE_NA] = {"kea_dhcp6_cumulative_nas_assigned_total",
				  "Cumulative number of assigned NA addresses "
				  "since server startup"},
	[FAM6_S_CUMULATIVE_PD] = {"kea_dhcp6_cumulative_pds_assigned_total",
				  "Cumulative number of assigned PD prefixes "
				  "since server startup"},
	[FAM6_S_AF + TERND_AF6_ANY] = {"kea_dhcp6_allocation_fail_total",
				       "Address allocation failures"},
	[FAM6_S_AF + TERND_AF6_SHARED_NETWORK] =
		{"kea_dhcp6_allocation_fail_shared_network_total",
		 "Address allocation failures in a shared network"},
	[FAM6_S_AF + TERND_AF6_SUBNET] =
		{"kea_dhcp6_allocation_fail_subnet_total",
		 "Address allocation failures not in a shared network"},
	[FAM6_S_AF + TERND_AF6_NO_POOLS] =
		{"kea_dhcp6_allocation_fail_no_pools_total",
		 "Address allocation failure due to lack of configured pool"},
	[FAM6_S_AF + TERND_AF6_CLASSES] =
		{"kea_dhcp6_allocation_fail_classes_total",
		 "Address allocation failures subnets because client's packet "
		 "belongs to one or more classes"},
};

/* Families with Stork's operation label, and with the subnet labels. */
static bool fam_pkt(int fam)
{
	return fam == FAM_PKT_RECEIVED || fam == FAM_PKT_SENT ||
	       fam == FAM6_PKT_RECEIVED || fam == FAM6_PKT_SENT;
}

static bool fam_subnet(int fam)
{
	return (fam >= FAM_S_ASSIGNED && fam < FAM6_PKT_RECEIVED) ||
	       fam >= FAM6_S_FIRST;
}

const char *tmetrics_op_name(uint8_t op)
{
	static const char *const ops[] = {
		"",	   "ack",	"decline",	"discover",
		"inform",  "nak",	"offer",	"release",
		"request", "unknown",	"parse-failed", "drop",
		"solicit", "advertise", "reply",	"renew",
		"rebind",  "infrequest"};

	return op < sizeof(ops) / sizeof(ops[0]) ? ops[op] : "";
}

int tmetrics_render(const struct tmetric_point *p, size_t n, char **ret,
		    size_t *ret_len)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return -ENOMEM;
	/* A family's lines together, as the text format requires. */
	for (int fam = FAM_NONE + 1; fam < FAM__MAX; fam++) {
		bool head = false;

		for (size_t i = 0; i < n; i++) {
			const struct tmetric_point *x = &p[i];
			char net[INET6_ADDRSTRLEN];
			struct in_addr a;

			if (x->family != fam)
				continue;
			if (!head) {
				fprintf(f, "# HELP %s %s\n# TYPE %s gauge\n",
					fams[fam].name, fams[fam].help,
					fams[fam].name);
				head = true;
			}
			if (fam_pkt(fam)) {
				fprintf(f, "%s{operation=\"%s\"} %lld\n",
					fams[fam].name, tmetrics_op_name(x->op),
					(long long)x->v);
			} else if (fam_subnet(fam)) {
				a.s_addr = htonl(x->network);
				if (fam >= FAM6_S_FIRST)
					inet_ntop(AF_INET6, &x->network6, net,
						  sizeof(net));
				else
					inet_ntop(AF_INET, &a, net,
						  sizeof(net));
				fprintf(f,
					"%s{prefix=\"%s/%u\",subnet=\"%s/%u\","
					"subnet_id=\"%u\"} %lld\n",
					fams[fam].name, net, x->prefix_len, net,
					x->prefix_len, x->subnet_id,
					(long long)x->v);
			} else {
				fprintf(f, "%s %lld\n", fams[fam].name,
					(long long)x->v);
			}
		}
	}
	if (fclose(f) != 0) {
		free(buf);
		return -ENOMEM;
	}
	*ret = buf;
	*ret_len = len;
	return 0;
}

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned status,
			     char *body, size_t len, const char *type)
{
	struct MHD_Response *rsp = MHD_create_response_from_buffer(
		len, body, MHD_RESPMEM_MUST_FREE);
	enum MHD_Result r;

	if (!rsp) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(rsp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	r = MHD_queue_response(conn, status, rsp);
	MHD_destroy_response(rsp);
	return r;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
				  const char *url, const char *method,
				  const char *version, const char *upload,
				  size_t *upload_len, void **con_cls)
{
	struct tmetrics *m = cls;
	struct tmetric_point *copy = NULL;
	char *text = NULL;
	size_t n, len = 0;

	(void)version;
	(void)upload;
	(void)con_cls;
	if (*upload_len)
		return MHD_NO; /* a GET has no body */
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return reply(conn, MHD_HTTP_METHOD_NOT_ALLOWED,
			     strdup("only GET\n"), 9, "text/plain");
	if (strcmp(url, "/metrics") != 0)
		return reply(conn, MHD_HTTP_NOT_FOUND,
			     strdup("ternd serves /metrics\n"), 22,
			     "text/plain");
	pthread_mutex_lock(&m->lock);
	n = m->n_pub;
	copy = malloc(sizeof(*copy) * (n ? n : 1));
	if (copy && n)
		memcpy(copy, m->pub, sizeof(*copy) * n);
	pthread_mutex_unlock(&m->lock);
	if (!copy || tmetrics_render(copy, n, &text, &len) < 0) {
		free(copy);
		return reply(conn, MHD_HTTP_INTERNAL_SERVER_ERROR,
			     strdup("out of memory\n"), 14, "text/plain");
	}
	free(copy);
	return reply(conn, MHD_HTTP_OK, text, len,
		     "text/plain; version=0.0.4; charset=utf-8");
}

int tmetrics_open(const struct ternd_config *cfg, struct tmetrics **ret)
{
	const struct ternd_config_metrics *cm = &cfg->metrics;
	struct sockaddr_storage ss = {0};
	struct sockaddr_in *in = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
	struct tmetrics *m;
	socklen_t sl;
	int one = 1, r;

	if (inet_pton(AF_INET, cm->host, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons(cm->port);
		sl = sizeof(*in);
	} else if (inet_pton(AF_INET6, cm->host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(cm->port);
		sl = sizeof(*in6);
	} else {
		return -EINVAL;
	}
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	pthread_mutex_init(&m->lock, NULL);
	m->fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
		       0);
	if (m->fd < 0 ||
	    setsockopt(m->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) <
		    0 ||
	    bind(m->fd, (struct sockaddr *)&ss, sl) < 0 ||
	    listen(m->fd, CONN_MAX) < 0) {
		r = -errno;
		tern_log(LOG_ERR,
			 "cannot open the metrics endpoint %s port %u "
			 "(user-context.ternd.metrics): %s",
			 cm->host, cm->port, strerror(-r));
		tmetrics_free(m);
		return r;
	}
	*ret = m;
	return 0;
}

static void start(struct tmetrics *m)
{
	m->mhd = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL, 0, NULL, NULL,
		on_request, m, MHD_OPTION_LISTEN_SOCKET, m->fd,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)CONN_MAX,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)CONN_PER_IP,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)CONN_TIMEOUT,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(32 * 1024),
		MHD_OPTION_END);
	if (!m->mhd) {
		m->failed = true;
		tern_log(LOG_ERR, "cannot start the metrics endpoint's HTTP "
				  "server");
		return;
	}
	m->fd = -1; /* the daemon's now: it closes it */
}

void tmetrics_publish(struct tmetrics *m, const struct ternd_stats *s)
{
	size_t n = 0;

	if (!m->mhd && !m->failed)
		start(m);
	if (m->cap_stage < s->t.n) {
		struct tmetric_point *nv =
			realloc(m->stage, sizeof(*nv) * (s->t.n ? s->t.n : 1));

		if (!nv)
			return;
		m->stage = nv;
		m->cap_stage = s->t.n;
	}
	/* Stork publishes what statistic-get-all shows: the newest sample
	 * of each statistic there is. */
	for (size_t i = 0; i < s->t.n; i++) {
		const struct tstat *st = &s->t.v[i];
		struct tmetric_point *p = &m->stage[n];

		if (st->family == FAM_NONE || !st->present || !st->n)
			continue;
		p->v = tstat_newest(st)->v;
		p->family = st->family;
		p->op = st->op;
		if (st->family >= FAM6_S_FIRST) {
			const struct ternd_subnet6 *sn =
				&s->cfg->v6->subnets[st->sub];

			p->subnet_id = sn->id;
			p->network6 = sn->prefix;
			p->prefix_len = sn->prefix_len;
		} else if (fam_subnet(st->family)) {
			const struct ternd_subnet *sn =
				&s->cfg->subnets[st->sub];

			p->subnet_id = sn->id;
			p->network = sn->network;
			p->prefix_len = sn->prefix_len;
		}
		n++;
	}
	if (pthread_mutex_trylock(&m->lock) != 0)
		return; /* a scrape is copying: next tick */
	{
		struct tmetric_point *t = m->pub;
		size_t c = m->cap_pub;

		m->pub = m->stage;
		m->n_pub = n;
		m->cap_pub = m->cap_stage;
		m->stage = t;
		m->cap_stage = c;
	}
	pthread_mutex_unlock(&m->lock);
}

void tmetrics_free(struct tmetrics *m)
{
	if (!m)
		return;
	if (m->mhd)
		MHD_stop_daemon(m->mhd);
	if (m->fd >= 0)
		close(m->fd);
	pthread_mutex_destroy(&m->lock);
	free(m->pub);
	free(m->stage);
	free(m);
}
