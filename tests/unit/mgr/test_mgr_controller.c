/* Unit tests of tern-mgr's controller: start, supervise, restart, reap, stop (a
 * fake client). */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "mgr/config.h"
#include "mgr/controller.h"
#include "mgr/manager.h"
#include "mgr/queue.h"
#include "mgr/recovery.h"
#include "mgr/util.h"

static int nop_addr4(void *ctx, const char *ifname, const char *addr,
		     unsigned plen, const char *brd, bool add)
{
	(void)ctx, (void)ifname, (void)addr, (void)plen, (void)brd, (void)add;
	return 0;
}

static int nop_addr6(void *ctx, const char *ifname, const char *addr,
		     unsigned plen, uint32_t pref, uint32_t valid, bool add)
{
	(void)ctx, (void)ifname, (void)addr, (void)plen, (void)pref,
		(void)valid, (void)add;
	return 0;
}

static int nop_mtu(void *ctx, const char *ifname, unsigned mtu)
{
	(void)ctx, (void)ifname, (void)mtu;
	return 0;
}

static int nop_route(void *ctx, const char *ifname, const char *gw, bool add)
{
	(void)ctx, (void)ifname, (void)gw, (void)add;
	return 0;
}

static const struct mgr_net_ops nop_net = {nop_addr4, nop_addr6, nop_mtu,
					   nop_route, NULL};

/* Run the controller until cond holds, at most ms milliseconds. */
#define RUN_UNTIL(ctrl, cond, ms)                                           \
	do {                                                                \
		int64_t end_ = tern_mono_ms() + (ms);                        \
		while (!(cond) && tern_mono_ms() < end_)                     \
			assert_true(mgr_controller_run_once((ctrl), 100) >= \
				    0);                                     \
		assert_true(cond);                                          \
	} while (0)

static void test_supervision(void **state)
{
	char dir[] = "/tmp/test_mgr_ctrl.XXXXXX", script[128], text[1024];
	struct mgr_controller ctrl;
	struct tern_lease_msg msg;
	struct mgr_saved saved;
	struct mgr *m = calloc(1, sizeof(*m));
	struct mgr_client *c;
	pid_t first;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	/* A stand-in for udhcpc: runs until it is told to stop. */
	snprintf(script, sizeof(script), "%s/fake-udhcpc", dir);
	f = fopen(script, "w");
	assert_non_null(f);
	fputs("#!/bin/sh\nexec sleep 60\n", f);
	fclose(f);
	chmod(script, 0755);
	snprintf(text, sizeof(text),
		 "{\"DHCPv4\": {\"Client\": [{\"Interface\": \"lo\"}]},"
		 " \"StateDir\": \"%s\", \"Udhcpc\": \"%s\", \"Plugin\": "
		 "\"/bin/true\", \"EventAddress\": \"\"}",
		 dir, script);
	assert_int_equal(mgr_config_parse(text, strlen(text), &m->cfg, NULL, 0),
			 0);
	m->net = &nop_net;
	assert_int_equal(mgr_init(m), 0);
	m->leases = mgr_queue_new(4, m->ctl_wake);
	assert_int_equal(mgr_controller_init(&ctrl, m), 0);
	c = &m->c4[0];

	/* Recovery with no state file starts the client. */
	mgr_controller_recover(&ctrl);
	assert_true(c->pid > 0);
	assert_int_equal(c->starts, 1);
	first = c->pid;

	/* It dies: reaped, counted, restarted after the back-off. */
	kill(first, SIGKILL);
	RUN_UNTIL(&ctrl, c->pid == 0, 2000);
	assert_int_equal(c->failures, 1);
	assert_true(c->restart_at_ms > 0);
	assert_int_equal(waitpid(first, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
	RUN_UNTIL(&ctrl, c->pid > 0, 3000);
	assert_int_equal(c->starts, 2);
	assert_int_not_equal(c->pid, first);

	/* A lease through the controller: applied and saved with the pid. */
	assert_int_equal(tern_lease_msg_init(&msg, TERN_LEASE_V4, "lo"), 0);
	msg.data.v4.address_assigned = 1;
	msg.data.v4.event = TERN_LEASE_V4_BOUND;
	strcpy(msg.data.v4.address, "127.0.0.99");
	strcpy(msg.data.v4.dhcp_state, "bound");
	msg.data.v4.lease_time = 600;
	assert_int_equal(mgr_queue_push(m->leases, &msg), 0);
	RUN_UNTIL(&ctrl, c->have_lease, 1000);
	assert_int_equal(mgr_state_load(&m->cfg, 4, "lo", &saved), 0);
	assert_int_equal(saved.pid, c->pid);
	assert_true(saved.have_lease);

	/* Renew signals the client; it keeps running. */
	first = c->pid;
	pthread_mutex_lock(&m->lock);
	mgr_request(m, c, MGR_ACT_RENEW);
	pthread_mutex_unlock(&m->lock);
	assert_int_equal(mgr_controller_run_once(&ctrl, 100), 0);
	/* sleep dies of SIGUSR1: the controller sees it as a failure. */
	RUN_UNTIL(&ctrl, c->pid == 0 || c->pid != first, 2000);

	/* Stop: the process is stopped and reaped, the lease dropped. */
	RUN_UNTIL(&ctrl, c->pid > 0, 3000);
	first = c->pid;
	pthread_mutex_lock(&m->lock);
	mgr_request(m, c, MGR_ACT_STOP);
	pthread_mutex_unlock(&m->lock);
	assert_int_equal(mgr_controller_run_once(&ctrl, 100), 0);
	assert_int_equal(c->pid, 0);
	assert_false(c->have_lease);
	assert_int_equal(c->status, MGR_ST_DISABLED);
	assert_int_equal(waitpid(first, NULL, WNOHANG), -1);
	assert_int_equal(mgr_state_load(&m->cfg, 4, "lo", &saved), 0);
	assert_int_equal(saved.pid, 0);

	mgr_controller_stop(&ctrl);
	mgr_controller_stop(NULL);
	mgr_state_remove(&m->cfg, 4, "lo");
	snprintf(text, sizeof(text), "%s/udhcpc-lo.pid", dir);
	unlink(text);
	unlink(script);
	assert_int_equal(rmdir(dir), 0);
	mgr_queue_free(m->leases);
	mgr_fini(m);
	free(m);
}

/* A missing plugin is not started around: the client is in Error and
 * retried with the back-off, and starts once the plugin is there. */
static void test_missing_plugin(void **state)
{
	char dir[] = "/tmp/test_mgr_ctrl.XXXXXX", script[128], plugin[128];
	char text[1024];
	struct mgr_controller ctrl;
	struct mgr *m = calloc(1, sizeof(*m));
	struct mgr_client *c;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(script, sizeof(script), "%s/fake-udhcpc", dir);
	snprintf(plugin, sizeof(plugin), "%s/plugin", dir);
	f = fopen(script, "w");
	assert_non_null(f);
	fputs("#!/bin/sh\nexec sleep 60\n", f);
	fclose(f);
	chmod(script, 0755);
	snprintf(text, sizeof(text),
		 "{\"DHCPv4\": {\"Client\": [{\"Interface\": \"lo\"}]},"
		 " \"StateDir\": \"%s\", \"Udhcpc\": \"%s\", \"Plugin\": "
		 "\"%s\", \"EventAddress\": \"\"}",
		 dir, script, plugin);
	assert_int_equal(mgr_config_parse(text, strlen(text), &m->cfg, NULL, 0),
			 0);
	m->net = &nop_net;
	assert_int_equal(mgr_init(m), 0);
	m->leases = mgr_queue_new(4, m->ctl_wake);
	assert_int_equal(mgr_controller_init(&ctrl, m), 0);
	c = &m->c4[0];

	mgr_controller_recover(&ctrl);
	assert_int_equal(c->pid, 0);
	assert_int_equal(c->starts, 0);
	assert_int_equal(c->failures, 1);
	assert_int_equal(c->status, MGR_ST_ERROR);
	assert_true(c->restart_at_ms > 0);

	/* Installed (executable) now: the next try starts the client. */
	f = fopen(plugin, "w");
	assert_non_null(f);
	fputs("#!/bin/sh\nexit 0\n", f);
	fclose(f);
	chmod(plugin, 0755);
	RUN_UNTIL(&ctrl, c->pid > 0, 3000);
	assert_int_equal(c->starts, 1);

	pthread_mutex_lock(&m->lock);
	mgr_request(m, c, MGR_ACT_STOP);
	pthread_mutex_unlock(&m->lock);
	assert_int_equal(mgr_controller_run_once(&ctrl, 100), 0);
	assert_int_equal(c->pid, 0);
	mgr_controller_stop(&ctrl);
	mgr_state_remove(&m->cfg, 4, "lo");
	unlink(plugin);
	unlink(script);
	assert_int_equal(rmdir(dir), 0);
	mgr_queue_free(m->leases);
	mgr_fini(m);
	free(m);
}

/* Wait until lo's state file holds address, at most ms milliseconds. */
static bool saved_has(struct mgr *m, const char *address, int ms)
{
	int64_t end = tern_mono_ms() + ms;
	struct mgr_saved saved;

	do {
		if (mgr_state_load(&m->cfg, 4, "lo", &saved) == 0 &&
		    saved.have_lease &&
		    !strcmp(saved.lease.data.v4.address, address))
			return true;
		usleep(5000);
	} while (tern_mono_ms() < end);
	return false;
}

/* With its threads running, the controller publishes a lease before its
 * state file is written, and the file catches up (docs/mgr-state.md). */
static void test_persister(void **state)
{
	char dir[] = "/tmp/test_mgr_pers.XXXXXX", script[128], text[1024];
	struct mgr_controller ctrl;
	struct tern_lease_msg msg;
	struct mgr_saved saved;
	struct mgr *m = calloc(1, sizeof(*m));
	char last[32] = "";
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(script, sizeof(script), "%s/fake-udhcpc", dir);
	f = fopen(script, "w");
	assert_non_null(f);
	fputs("#!/bin/sh\nexec sleep 60\n", f);
	fclose(f);
	chmod(script, 0755);
	snprintf(text, sizeof(text),
		 "{\"DHCPv4\": {\"Client\": [{\"Interface\": \"lo\"}]},"
		 " \"StateDir\": \"%s\", \"Udhcpc\": \"%s\", \"Plugin\": "
		 "\"/bin/true\", \"EventAddress\": \"\"}",
		 dir, script);
	assert_int_equal(mgr_config_parse(text, strlen(text), &m->cfg, NULL, 0),
			 0);
	m->net = &nop_net;
	assert_int_equal(mgr_init(m), 0);
	m->leases = mgr_queue_new(4, m->ctl_wake);
	assert_int_equal(mgr_controller_init(&ctrl, m), 0);
	mgr_controller_recover(&ctrl);
	assert_true(m->c4[0].pid > 0);
	assert_int_equal(mgr_controller_start(&ctrl), 0);

	/* A burst: each lease supersedes the one before it. */
	assert_int_equal(tern_lease_msg_init(&msg, TERN_LEASE_V4, "lo"), 0);
	msg.data.v4.address_assigned = 1;
	msg.data.v4.event = TERN_LEASE_V4_BOUND;
	strcpy(msg.data.v4.dhcp_state, "bound");
	msg.data.v4.lease_time = 600;
	for (int i = 0; i < 200; i++) {
		snprintf(last, sizeof(last), "127.0.%d.%d", 1 + i / 200,
			 1 + i % 200);
		strcpy(msg.data.v4.address, last);
		assert_true(mgr_queue_push(m->leases, &msg) >= 0);
	}
	assert_true(saved_has(m, last, 3000));

	/* A clean stop leaves no file behind the model. */
	mgr_controller_stop(&ctrl);
	assert_int_equal(mgr_state_load(&m->cfg, 4, "lo", &saved), 0);
	assert_int_equal(saved.pid, 0);
	mgr_state_remove(&m->cfg, 4, "lo");
	snprintf(text, sizeof(text), "%s/udhcpc-lo.pid", dir);
	unlink(text);
	unlink(script);
	assert_int_equal(rmdir(dir), 0);
	mgr_queue_free(m->leases);
	mgr_fini(m);
	free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_supervision),
		cmocka_unit_test(test_missing_plugin),
		cmocka_unit_test(test_persister),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
