/* Benchmark of tern-mgr: lease monitor throughput and plugin-to-model latency.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <nanomsg/nn.h>
#include <nanomsg/pipeline.h>
#include <nanomsg/pubsub.h>

#include <tern/lease_ipc.h>

/*
 * bench_mgr push ADDR CTL N IFCOUNT
 *   Push N valid DHCPv4 "bound" leases (round robin over wan0..wanK-1, the
 *   address cycling so some are changes) as fast as NN_PUSH takes them.
 *   The rate is taken at the monitor: the manager's own LeasesReceived
 *   counter, read over the control socket CTL, from the first send until
 *   it has grown by N. LeasesAccepted must grow by N as well.
 *
 * bench_mgr latency PLUGIN ADDR EVADDR N IFCOUNT
 *   N times: spawn the real tern-plugin with a udhcpc "bound" environment
 *   (interface= wan0..wanK-1 in turn, at most K plugins alive, as K udhcpc
 *   clients would run them) whose ip= changes each time, and time from just
 * before the spawn to the arrival of the LEASE_UPDATE event carrying that
 * address on the NN_PUB socket EVADDR. tern-mgr publishes it after the data
 * model holds the new lease, under the same lock, so it bounds the model
 * update. PLUGIN "-": no process; the bench sends the leases itself over one
 *   open NN_PUSH connection, which leaves the manager's own share.
 */

#define MAX_LAT	   100000
#define WARMUP	   20
#define EVENT_WAIT 3000 /* ms; a lost lease fails the run */

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* One GET over the control socket; the value of the line "PATH=". */
static int ctl_get_u64(const char *ctl, const char *path, uint64_t *ret)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	char buf[4096], line[512];
	size_t len = 0;
	const char *p;
	int fd, n, r = -EIO;

	if (strlen(ctl) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, ctl);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		r = -errno;
		goto out;
	}
	n = snprintf(line, sizeof(line), "GET %s\n", path);
	if (write(fd, line, (size_t)n) != n)
		goto out;
	while (len < sizeof(buf) - 1) {
		ssize_t k = read(fd, buf + len, sizeof(buf) - 1 - len);

		if (k <= 0)
			break;
		len += (size_t)k;
	}
	buf[len] = '\0';
	n = snprintf(line, sizeof(line), "%s=", path);
	p = strstr(buf, line);
	if (p && sscanf(p + n, "%" SCNu64, ret) == 1)
		r = 0;
out:
	close(fd);
	return r;
}

static void v4_lease(struct tern_lease_msg *m, unsigned ifidx, unsigned i)
{
	char ifname[16];

	snprintf(ifname, sizeof(ifname), "wan%u", ifidx);
	tern_lease_msg_init(m, TERN_LEASE_V4, ifname);
	m->data.v4.address_assigned = 1;
	m->data.v4.event = TERN_LEASE_V4_BOUND;
	m->data.v4.prefix_len = 24;
	snprintf(m->data.v4.address, sizeof(m->data.v4.address), "10.%u.0.%u",
		 100 + ifidx, 10 + i % 4);
	TERN_LEASE_SET(m->data.v4.netmask, "255.255.255.0");
	TERN_LEASE_SET(m->data.v4.dhcp_state, "bound");
	m->data.v4.lease_time = 3600;
}

#define MGR_CNT "Device.X_TERN_Manager."

static int bench_push(const char *addr, const char *ctl, long n, unsigned nif)
{
	static struct tern_lease_msg msgs[16][4];
	uint64_t rx0, acc0, rx = 0, acc = 0, last = 0;
	int64_t t0, t_sent, t_end, t_progress;
	int s, timeout = 5000;
	long sent = 0;

	if (nif < 1 || nif > 16 || n < 1)
		return 2;
	for (unsigned k = 0; k < nif; k++)
		for (unsigned i = 0; i < 4; i++)
			v4_lease(&msgs[k][i], k, i);
	if (ctl_get_u64(ctl, MGR_CNT "LeasesReceived", &rx0) < 0 ||
	    ctl_get_u64(ctl, MGR_CNT "LeasesAccepted", &acc0) < 0) {
		fprintf(stderr, "bench_mgr: control socket %s\n", ctl);
		return 1;
	}
	s = nn_socket(AF_SP, NN_PUSH);
	if (s < 0 ||
	    nn_setsockopt(s, NN_SOL_SOCKET, NN_SNDTIMEO, &timeout,
			  sizeof(timeout)) < 0 ||
	    nn_connect(s, addr) < 0) {
		fprintf(stderr, "bench_mgr: %s\n", nn_strerror(nn_errno()));
		return 1;
	}
	/* The first send waits for the connection: not part of the rate. */
	if (nn_send(s, &msgs[0][0], sizeof(msgs[0][0]), 0) < 0)
		return 1;
	sent = 1;
	while (ctl_get_u64(ctl, MGR_CNT "LeasesReceived", &rx) == 0 &&
	       rx < rx0 + 1)
		usleep(1000);
	rx0++;
	acc0++;
	t0 = now_ns();
	for (long i = 0; i < n; i++) {
		const struct tern_lease_msg *m = &msgs[i % nif][(i / nif) % 4];

		if (nn_send(s, m, sizeof(*m), 0) != (int)sizeof(*m)) {
			fprintf(stderr, "bench_mgr: send: %s\n",
				nn_strerror(nn_errno()));
			break;
		}
		sent++;
	}
	t_sent = now_ns();
	t_progress = t_sent;
	t_end = t_sent;
	/* Poll the monitor's counter; give up after 5 s without progress. */
	for (;;) {
		if (ctl_get_u64(ctl, MGR_CNT "LeasesReceived", &rx) < 0)
			break;
		t_end = now_ns();
		if (rx >= rx0 + (uint64_t)(sent - 1))
			break;
		if (rx != last) {
			last = rx;
			t_progress = t_end;
		} else if (t_end - t_progress > 5000000000LL) {
			break;
		}
		usleep(500);
	}
	ctl_get_u64(ctl, MGR_CNT "LeasesAccepted", &acc);
	nn_close(s);
	printf("push: sent %ld, received %" PRIu64 ", accepted %" PRIu64
	       ", send %.3f s, at monitor %.3f s, %.0f msg/s\n",
	       sent - 1, rx - rx0, acc - acc0, (t_sent - t0) / 1e9,
	       (t_end - t0) / 1e9, (double)(rx - rx0) / ((t_end - t0) / 1e9));
	return rx - rx0 == (uint64_t)(sent - 1) &&
			       acc - acc0 == (uint64_t)(sent - 1)
		       ? 0
		       : 1;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static void reap(int *running, int flags)
{
	while (*running > 0) {
		int st;
		pid_t p = waitpid(-1, &st, flags);

		if (p <= 0)
			break;
		(*running)--;
		if (!WIFEXITED(st) || WEXITSTATUS(st))
			fprintf(stderr, "bench_mgr: tern-plugin status %d\n",
				st);
	}
}

static int bench_latency(const char *plugin, const char *addr,
			 const char *evaddr, long n, int nif)
{
	static int64_t lat[MAX_LAT];
	char e_if[64], e_ip[64], e_addr[512], ip[16], want[64];
	char *envp[] = {e_if,
			e_ip,
			e_addr,
			"subnet=255.255.0.0",
			"router=10.77.0.1",
			"dns=10.77.0.1 10.77.0.2",
			"serverid=10.77.0.1",
			"lease=3600",
			"mask=16",
			"PATH=/usr/sbin:/usr/bin:/sbin:/bin",
			NULL};
	char *argv[] = {"tern-plugin", "bound", NULL};
	int sub, push = -1, timeout = EVENT_WAIT, running = 0, lost = 0;
	long total = n + WARMUP;
	/* PLUGIN "-": the bench pushes itself over one open connection,
	 * which leaves the manager's own share of the latency. */
	bool direct = !strcmp(plugin, "-");
	struct tern_lease_msg msg;

	if (n < 1 || n > MAX_LAT || nif < 1 || nif > 16)
		return 2;
	snprintf(e_addr, sizeof(e_addr), "TERN_MGR_ADDR=%s", addr);
	sub = nn_socket(AF_SP, NN_SUB);
	if (sub < 0 ||
	    nn_setsockopt(sub, NN_SUB, NN_SUB_SUBSCRIBE,
			  "TERN-MGR/1 LEASE_UPDATE ", 24) < 0 ||
	    nn_setsockopt(sub, NN_SOL_SOCKET, NN_RCVTIMEO, &timeout,
			  sizeof(timeout)) < 0 ||
	    nn_connect(sub, evaddr) < 0) {
		fprintf(stderr, "bench_mgr: %s\n", nn_strerror(nn_errno()));
		return 1;
	}
	if (direct) {
		push = nn_socket(AF_SP, NN_PUSH);
		if (push < 0 || nn_connect(push, addr) < 0) {
			fprintf(stderr, "bench_mgr: %s\n",
				nn_strerror(nn_errno()));
			return 1;
		}
		v4_lease(&msg, 0, 0);
	}
	usleep(200000); /* let the subscription reach the publisher */
	for (long i = 0; i < total; i++) {
		int64_t t0, t1 = 0;
		pid_t pid;

		/* 10.77.0.0/16 minus the network and servers: 65000 values */
		snprintf(ip, sizeof(ip), "10.77.%ld.%ld", 1 + (i / 250) % 250,
			 2 + i % 250);
		snprintf(e_ip, sizeof(e_ip), "ip=%s", ip);
		snprintf(e_if, sizeof(e_if), "interface=wan%ld", i % nif);
		snprintf(want, sizeof(want), "\nIPAddress=%s\n", ip);
		if (direct) {
			snprintf(msg.data.v4.address,
				 sizeof(msg.data.v4.address), "%s", ip);
			t0 = now_ns();
			if (nn_send(push, &msg, sizeof(msg), 0) < 0)
				return 1;
		} else {
			t0 = now_ns();
			if (posix_spawn(&pid, plugin, NULL, NULL, argv, envp)) {
				perror("bench_mgr: spawn");
				return 1;
			}
			running++;
		}
		for (;;) {
			char *buf = NULL;
			int k = nn_recv(sub, &buf, NN_MSG, 0);

			if (k < 0)
				break;
			/* the body is text; the event names one lease */
			if (memmem(buf, (size_t)k, want, strlen(want)))
				t1 = now_ns();
			nn_freemsg(buf);
			if (t1)
				break;
		}
		if (!t1)
			lost++;
		else if (i >= WARMUP)
			lat[i - WARMUP] = t1 - t0;
		/*
		 * Plugins linger after sending. Like 4 udhcpc clients, each
		 * running its script to the end before the next event, at
		 * most nif plugins are alive: the next spawn waits for one to
		 * exit (not timed).
		 */
		reap(&running, WNOHANG);
		while (running >= nif)
			reap(&running, 0);
	}
	reap(&running, 0);
	nn_close(sub);
	if (push >= 0)
		nn_close(push);
	if (lost) {
		fprintf(stderr, "bench_mgr: %d lease(s) never seen\n", lost);
		return 1;
	}
	qsort(lat, (size_t)n, sizeof(lat[0]), cmp_i64);
	printf("latency: %ld leases, p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, "
	       "max %.3f ms\n",
	       n, lat[n / 2] / 1e6, lat[n * 90 / 100] / 1e6,
	       lat[n * 99 / 100] / 1e6, lat[n - 1] / 1e6);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 6 && !strcmp(argv[1], "push"))
		return bench_push(argv[2], argv[3], atol(argv[4]),
				  (unsigned)atoi(argv[5]));
	if (argc == 7 && !strcmp(argv[1], "latency"))
		return bench_latency(argv[2], argv[3], argv[4], atol(argv[5]),
				     atoi(argv[6]));
	fprintf(stderr,
		"usage: bench_mgr push ADDR CTL N IFCOUNT\n"
		"       bench_mgr latency PLUGIN ADDR EVADDR N IFCOUNT\n");
	return 2;
}
