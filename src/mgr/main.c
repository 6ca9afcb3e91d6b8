/* tern-mgr: entry point (start-up, signals via signalfd, clean shutdown). */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "config.h"
#include "control.h"
#include "controller.h"
#include "events.h"
#include "log.h"
#include "manager.h"
#include "monitor.h"
#include "net.h"
#include "queue.h"
#include "util.h"

/* The queue keeps one lease per client (a newer one replaces it), so one
 * slot per possible client is enough: 32 x 6 KiB is the flood bound. */
#define LEASE_QUEUE_LEN (2 * MGR_MAX_CLIENTS)

static void usage(FILE *out)
{
	fprintf(out,
		"usage: tern-mgr [-c FILE] [-d] [-k] [-h] [-V]\n"
		"\n"
		"Gateway DHCP client manager: runs udhcpc and dibbler-client "
		"on "
		"the\nWAN interfaces, receives their leases from tern-plugin, "
		"applies them\nand publishes them (TR-181 data model, events, "
		"hooks).\n\n"
		"  -c FILE  configuration (default %s)\n"
		"  -d       log to stderr, with debug messages\n"
		"  -k       keep the DHCP clients running on exit (a new "
		"tern-mgr\n           re-adopts them)\n"
		"  -h       this help\n"
		"  -V       version\n\n"
		"Defaults of the configuration keys (this build):\n"
		"  Plugin         %s\n"
		"  Udhcpc         %s\n"
		"  DibblerClient  %s\n"
		"  ControlSocket  %s\n"
		"  EventAddress   %s\n"
		"  LeaseAddress   %s\n"
		"  StateDir       %s\n\n"
		"See tern-mgr(8), docs/mgr-config.md, docs/mgr-events.md.\n",
		MGR_DEFAULT_CONFIG, MGR_DEFAULT_PLUGIN, MGR_DEFAULT_UDHCPC,
		MGR_DEFAULT_DIBBLER, MGR_DEFAULT_CTL, MGR_DEFAULT_EVENTS,
		TERN_LEASE_DEFAULT_ADDR, MGR_DEFAULT_STATE);
}

/*
 * The directories the configuration names: StateDir (0700), and the
 * directories of the control socket and of ipc:// sockets (0755). A
 * missing /run/tern after a reboot must not stop the daemon.
 */
static int make_dirs(const struct mgr_config *cfg)
{
	const struct {
		const char *key, *addr;
	} ipc[] = {{"EventAddress", cfg->event_addr},
		   {"LeaseAddress", cfg->lease_addr}};
	char dir[MGR_PATH_LEN];
	int r;

	r = tern_mkdir_p(cfg->state_dir, 0700);
	if (r < 0) {
		mgr_log_startup_error("StateDir %s: cannot create it: %s",
				      cfg->state_dir, strerror(-r));
		return r;
	}
	mgr_strlcpy(dir, cfg->ctl_path, sizeof(dir));
	r = tern_mkdir_p(dirname(dir), 0755);
	if (r < 0) {
		mgr_log_startup_error("ControlSocket %s: cannot create its "
				      "directory: %s",
				      cfg->ctl_path, strerror(-r));
		return r;
	}
	for (size_t i = 0; i < sizeof(ipc) / sizeof(ipc[0]); i++) {
		r = mgr_ipc_dir(ipc[i].addr, dir, sizeof(dir));
		if (r > 0)
			r = tern_mkdir_p(dir, 0755);
		if (r < 0) {
			mgr_log_startup_error("%s %s: cannot create its "
					      "directory: %s",
					      ipc[i].key, ipc[i].addr,
					      strerror(-r));
			return r;
		}
	}
	return 0;
}

static int wait_for_signal(void)
{
	sigset_t set;
	int fd, r = 0;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	fd = signalfd(-1, &set, SFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		struct signalfd_siginfo si;

		if (read(fd, &si, sizeof(si)) != sizeof(si)) {
			if (errno == EINTR)
				continue;
			r = -errno;
			break;
		}
		if (si.ssi_signo == SIGHUP) {
			mgr_log(LOG_NOTICE, "SIGHUP: configuration is changed "
					    "through the control socket; "
					    "ignored");
			continue;
		}
		mgr_log(LOG_NOTICE, "signal %u: shutting down", si.ssi_signo);
		break;
	}
	close(fd);
	return r;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"config", required_argument, NULL, 'c'},
		{"debug", no_argument, NULL, 'd'},
		{"keep-clients", no_argument, NULL, 'k'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0}};
	const char *cfg_path = MGR_DEFAULT_CONFIG;
	struct mgr_controller ctrl = {.stop_fd = -1};
	struct mgr_monitor mon = {.sock = -1, .stop_fd = -1};
	struct mgr_control ctl = {.listen_fd = -1, .stop_fd = -1};
	struct mgr *m = NULL;
	bool debug = false, keep = false;
	char err[256] = "";
	sigset_t set;
	int opt, r, rc = 1;

	while ((opt = getopt_long(argc, argv, "c:dkhV", longopts, NULL)) !=
	       -1) {
		switch (opt) {
		case 'c':
			cfg_path = optarg;
			break;
		case 'd':
			debug = true;
			break;
		case 'k':
			keep = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("tern-mgr %s\n", TERN_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	mgr_log_open(debug || isatty(STDERR_FILENO),
		     debug ? LOG_DEBUG : LOG_INFO);
	/* Every thread inherits this mask: signals arrive via signalfd. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* Until "started", every failure is told on stderr as well. */
	m = calloc(1, sizeof(*m));
	if (!m) {
		mgr_log_startup_error("out of memory");
		goto out;
	}
	m->ctl_wake = -1;
	r = mgr_config_load(cfg_path, &m->cfg, err, sizeof(err));
	if (r < 0) {
		mgr_log_startup_error("configuration %s", err);
		goto out;
	}
	r = mgr_config_check_exec(&m->cfg, err, sizeof(err));
	if (r < 0) {
		mgr_log_startup_error("configuration %s: %s", cfg_path, err);
		goto out;
	}
	m->net = &mgr_net_netlink;
	r = mgr_init(m);
	if (r < 0) {
		mgr_log_startup_error("init: %s", strerror(-r));
		goto out;
	}
	m->leases = mgr_queue_new(LEASE_QUEUE_LEN, m->ctl_wake);
	if (!m->leases) {
		mgr_log_startup_error("out of memory");
		goto out;
	}
	if (make_dirs(&m->cfg) < 0)
		goto out;
	r = mgr_net_probe();
	if (r < 0) {
		mgr_log_startup_error("rtnetlink: %s", strerror(-r));
		goto out;
	}
	if (m->cfg.event_addr[0]) {
		m->events = mgr_events_open(m->cfg.event_addr);
		if (!m->events) {
			mgr_log_startup_error("EventAddress %s: %s",
					      m->cfg.event_addr,
					      strerror(errno));
			goto out;
		}
	}
	r = mgr_monitor_open(&mon, m, m->cfg.lease_addr);
	if (r < 0) {
		mgr_log_startup_error("LeaseAddress %s: %s", m->cfg.lease_addr,
				      strerror(-r));
		goto out;
	}
	r = mgr_control_open(&ctl, m, m->cfg.ctl_path);
	if (r < 0) {
		mgr_log_startup_error("ControlSocket %s: %s", m->cfg.ctl_path,
				      strerror(-r));
		goto out;
	}
	r = mgr_controller_init(&ctrl, m);
	if (r < 0) {
		mgr_log_startup_error("controller: %s", strerror(-r));
		goto out;
	}
	ctrl.keep_clients = keep;
	/* Leases wait in the queue while recovery re-adopts the clients. */
	r = mgr_monitor_start(&mon);
	if (r < 0) {
		mgr_log_startup_error("lease monitor thread: %s", strerror(-r));
		goto out;
	}
	mgr_controller_recover(&ctrl);
	r = mgr_controller_start(&ctrl);
	if (r == 0)
		r = mgr_control_start(&ctl);
	if (r < 0) {
		mgr_log_startup_error("threads: %s", strerror(-r));
		goto out;
	}
	mgr_log(LOG_NOTICE,
		"started: %u DHCPv4, %u DHCPv6 clients, leases on %s",
		m->cfg.n4, m->cfg.n6, m->cfg.lease_addr);
	r = wait_for_signal();
	if (r < 0)
		mgr_log(LOG_ERR, "signals: %s", strerror(-r));
	rc = r < 0 ? 1 : 0;
out:
	mgr_control_stop(&ctl);
	mgr_monitor_stop(&mon);
	mgr_controller_stop(&ctrl);
	mgr_control_close(&ctl);
	mgr_monitor_close(&mon);
	if (m) {
		mgr_events_close(m->events);
		mgr_queue_free(m->leases);
		if (m->ctl_wake >= 0)
			mgr_fini(m);
	}
	free(m);
	return rc;
}
