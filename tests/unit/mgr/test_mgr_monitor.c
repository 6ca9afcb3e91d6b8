/* Unit tests of tern-mgr's lease monitor over a real nanomsg ipc:// socket. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <nanomsg/nn.h>
#include <nanomsg/pipeline.h>

#include "mgr/config.h"
#include "mgr/manager.h"
#include "mgr/monitor.h"
#include "mgr/queue.h"

struct fix {
	char dir[64];
	char addr[128];
	struct mgr *m;
	struct mgr_monitor mon;
	int push;
};

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));
	const char *t =
		"{\"DHCPv4\": {\"Client\": [{\"Interface\": \"wan0\"}, "
		"{\"Interface\": \"wan1\", \"Enable\": false}]},"
		"\"DHCPv6\": {\"Client\": [{\"Interface\": \"wan0\"}]}}";
	int timeout = 1000;

	strcpy(f->dir, "/tmp/test_mgr_monitor.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->addr, sizeof(f->addr), "ipc://%s/lease.sock", f->dir);
	f->m = calloc(1, sizeof(*f->m));
	assert_int_equal(mgr_config_parse(t, strlen(t), &f->m->cfg, NULL, 0),
			 0);
	assert_int_equal(mgr_init(f->m), 0);
	f->m->leases = mgr_queue_new(4, f->m->ctl_wake);
	assert_non_null(f->m->leases);
	assert_int_equal(mgr_monitor_open(&f->mon, f->m, f->addr), 0);
	f->push = nn_socket(AF_SP, NN_PUSH);
	assert_true(f->push >= 0);
	nn_setsockopt(f->push, NN_SOL_SOCKET, NN_SNDTIMEO, &timeout,
		      sizeof(timeout));
	assert_true(nn_connect(f->push, f->addr) >= 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;
	char path[160];

	nn_close(f->push);
	mgr_monitor_close(&f->mon);
	mgr_queue_free(f->m->leases);
	mgr_fini(f->m);
	free(f->m);
	snprintf(path, sizeof(path), "%s/lease.sock", f->dir);
	unlink(path);
	rmdir(f->dir);
	free(f);
	return 0;
}

/* Send len bytes and let the monitor take exactly one message. */
static void deliver(struct fix *f, const void *buf, size_t len)
{
	assert_int_equal(nn_send(f->push, buf, len, 0), (int)len);
	assert_int_equal(mgr_monitor_run_once(&f->mon, 2000), 1);
}

static struct tern_lease_msg *v4msg(const char *ifname)
{
	static struct tern_lease_msg m;

	assert_int_equal(tern_lease_msg_init(&m, TERN_LEASE_V4, ifname), 0);
	m.data.v4.address_assigned = 1;
	m.data.v4.event = TERN_LEASE_V4_BOUND;
	strcpy(m.data.v4.address, "192.0.2.10");
	strcpy(m.data.v4.dhcp_state, "bound");
	m.data.v4.lease_time = 60;
	return &m;
}

static void test_paths(void **state)
{
	struct fix *f = *state;
	struct tern_lease_msg *m, out;
	char small[10] = "tiny";

	/* Accepted and queued, with the controller woken. */
	deliver(f, v4msg("wan0"), sizeof(*m));
	assert_int_equal(f->m->cnt.accepted, 1);
	assert_int_equal(mgr_queue_len(f->m->leases), 1);
	assert_int_equal(mgr_queue_pop(f->m->leases, &out), 1);
	assert_string_equal(out.data.v4.address, "192.0.2.10");

	/* Wrong size. */
	deliver(f, small, sizeof(small));
	assert_int_equal(f->m->cnt.bad_size, 1);
	m = v4msg("wan0");
	deliver(f, m, sizeof(*m) - 1);
	assert_int_equal(f->m->cnt.bad_size, 2);

	/* An interface this manager does not manage. */
	deliver(f, v4msg("eth9"), sizeof(*m));
	assert_int_equal(f->m->cnt.unmanaged, 1);
	/* wan1 is managed for v4 only, and disabled. */
	deliver(f, v4msg("wan1"), sizeof(*m));
	assert_int_equal(f->m->cnt.disabled, 1);

	/* A bad version. */
	m = v4msg("wan0");
	m->version = 5;
	deliver(f, m, sizeof(*m));
	assert_int_equal(f->m->cnt.invalid, 1);
	/* A string without its NUL. */
	m = v4msg("wan0");
	memset(m->data.v4.address, 'x', sizeof(m->data.v4.address));
	deliver(f, m, sizeof(*m));
	assert_int_equal(f->m->cnt.invalid, 2);

	/* None of it reached the queue. */
	assert_int_equal(mgr_queue_len(f->m->leases), 0);
	assert_int_equal(f->m->cnt.received, 7);
}

static void test_flood_bounded(void **state)
{
	struct fix *f = *state;
	struct tern_lease_msg *m = v4msg("wan0"), out;
	uint64_t v = 0;
	int handled = 0;

	/* 20 leases of one client: each is validated and accepted, the
	 * newest supersedes the waiting one, and the controller is woken
	 * once for the burst. */
	for (int i = 0; i < 20; i++) {
		snprintf(m->data.v4.address, sizeof(m->data.v4.address),
			 "192.0.2.%d", 10 + i);
		assert_int_equal(nn_send(f->push, m, sizeof(*m), 0),
				 (int)sizeof(*m));
	}
	while (handled < 20) {
		int r = mgr_monitor_run_once(&f->mon, 2000);

		assert_true(r > 0);
		handled += r;
	}
	assert_int_equal(f->m->cnt.received, 20);
	assert_int_equal(f->m->cnt.accepted, 20);
	assert_int_equal(f->m->cnt.superseded, 19);
	assert_int_equal(f->m->cnt.queue_full, 0);
	assert_int_equal(mgr_queue_len(f->m->leases), 1);
	assert_int_equal(read(f->m->ctl_wake, &v, sizeof(v)), 8);
	assert_int_equal(v, 1);
	assert_int_equal(mgr_queue_pop(f->m->leases, &out), 1);
	assert_string_equal(out.data.v4.address, "192.0.2.29");
}

/* The queue is bounded by distinct clients; past that it drops. */
static void test_queue_full(void **state)
{
	struct fix *f = *state;
	struct tern_lease_msg *m = v4msg("wan0");
	char name[16];

	for (int i = 0; i < 4; i++) {
		snprintf(name, sizeof(name), "wan%d", i);
		assert_int_equal(tern_lease_msg_init(m, TERN_LEASE_V4, name),
				 0);
		assert_int_equal(mgr_queue_push(f->m->leases, m), 0);
	}
	assert_int_equal(tern_lease_msg_init(m, TERN_LEASE_V4, "wan9"), 0);
	assert_int_equal(mgr_queue_push(f->m->leases, m), -ENOBUFS);
	/* A client already waiting still gets its newer lease in. */
	assert_int_equal(tern_lease_msg_init(m, TERN_LEASE_V4, "wan2"), 0);
	assert_int_equal(mgr_queue_push(f->m->leases, m), 1);
	/* The same name under DHCPv6 is another client. */
	assert_int_equal(tern_lease_msg_init(m, TERN_LEASE_V6, "wan2"), 0);
	assert_int_equal(mgr_queue_push(f->m->leases, m), -ENOBUFS);
	assert_int_equal(mgr_queue_len(f->m->leases), 4);
}

static void test_thread_stops(void **state)
{
	struct fix *f = *state;

	uint64_t v = 0;

	assert_int_equal(mgr_monitor_start(&f->mon), 0);
	assert_int_equal(nn_send(f->push, v4msg("wan0"),
				 sizeof(struct tern_lease_msg), 0),
			 (int)sizeof(struct tern_lease_msg));
	/* Bounded wait for the thread; then the controller's eventfd
	 * must have been written. */
	for (int i = 0; i < 200 && mgr_queue_len(f->m->leases) == 0; i++)
		usleep(10000);
	assert_int_equal(mgr_queue_len(f->m->leases), 1);
	assert_int_equal(read(f->m->ctl_wake, &v, sizeof(v)), 8);
	assert_true(v >= 1);
	mgr_monitor_stop(&f->mon);
	assert_false(f->mon.running);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_paths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flood_bounded, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_queue_full, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_thread_stops, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
