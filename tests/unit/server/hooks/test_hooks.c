/* Unit tests for ternd's hook libraries at run time: run_script's
 * environment, the bounded runner, Kea's forensic log lines and files. */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <poll.h>
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

#include <tern/dhcp4.h>

#include "server/config/config.h"
#include "server/hooks/internal.h"

#define IP(a, b, c, d)                                                    \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | \
	 (uint32_t)(d))

static struct ternd_config *load(const char *text)
{
	struct ternd_config *cfg = NULL;
	struct ternd_diags d;

	memset(&d, 0, sizeof(d));
	if (ternd_config_load_buf(text, strlen(text), &cfg, &d) != 0) {
		ternd_diags_print(stderr, "test", &d);
		fail_msg("config does not load");
	}
	return cfg;
}

static const char cfg_text[] = "{\"Dhcp4\": {\"subnet4\": ["
			       "{\"id\": 5, \"subnet\": \"198.18.251.0/24\"},"
			       "{\"id\": 6, \"subnet\": \"10.0.0.0/8\", "
			       "\"match-client-id\": false}]}}";

/* A relayed query with a client-id and option 82 whose sub-options come
 * in the order 2, 1. */
static void query(struct hk_query *q)
{
	static const uint8_t rai[] = {2,   3,	0x0a, 0x0b, 0x0c, 1,  6,
				      'p', 'o', 'r',  't',  '-',  '7'};
	static const uint8_t cid[] = {1, 2, 0xaa, 0xbb, 0xcc, 0, 1};

	memset(q, 0, sizeof(*q));
	q->type = TERN_DHCP4_REQUEST;
	q->op = 1;
	q->htype = 1;
	q->hlen = 6;
	memcpy(q->chaddr, "\x02\xaa\xbb\xcc\x00\x01", 6);
	q->xid = 4353;
	q->hops = 1;
	q->secs = 3;
	q->flags = 0x8000;
	q->giaddr = IP(198, 18, 251, 1);
	q->local_addr = IP(198, 18, 250, 1);
	q->local_port = 67;
	q->remote_addr = IP(198, 18, 251, 1);
	q->remote_port = 67;
	q->ifindex = 2;
	strcpy(q->ifname, "srv0");
	q->has_rai = true;
	q->rai_len = sizeof(rai);
	memcpy(q->rai, rai, sizeof(rai));
	q->has_cid = true;
	q->cid_len = sizeof(cid);
	memcpy(q->cid, cid, sizeof(cid));
}

static void lease(struct ternd_hook_lease *l, uint32_t subnet)
{
	memset(l, 0, sizeof(*l));
	l->l.addr = IP(198, 18, 251, 100);
	l->l.subnet_id = subnet;
	l->l.htype = 1;
	l->l.hw_len = 6;
	memcpy(l->l.hw, "\x02\xaa\xbb\xcc\x00\x01", 6);
	l->l.cid_len = 7;
	memcpy(l->l.cid, "\x01\x02\xaa\xbb\xcc\x00\x01", 7);
	l->l.valid_lifetime = 4000;
	l->l.cltt = 1700000000;
	strcpy(l->l.hostname, "host-a");
	l->kea_state = TERND_KEA_DEFAULT;
}

/* The whole environment as one text, a variable a line. */
static void env_text(const struct ternd_config *cfg, const struct hk_query *q,
		     const struct ternd_hook_event *ev, char *out, size_t cap)
{
	char buf[HK_ENV_BUF];
	char *envp[HK_ENV_MAX + 1];
	int n = hk_script_env(cfg, q, ev, buf, sizeof(buf), envp,
			      HK_ENV_MAX + 1);
	size_t k = 0;

	assert_true(n > 0);
	assert_null(envp[n]);
	out[0] = '\0';
	for (int i = 0; i < n; i++)
		k += (size_t)snprintf(out + k, cap - k, "%s\n", envp[i]);
}

/* libdhcp_run_script.so 2.2's variables for lease4_renew, in its order. */
static void test_env_renew(void **state)
{
	struct ternd_config *cfg = load(cfg_text);
	struct ternd_hook_event ev = {0};
	struct hk_query q;
	char text[8192];

	(void)state;
	query(&q);
	ev.point = TERND_HOOK_LEASE4_RENEW;
	ev.n_leases = 1;
	ev.pass_client_id = true;
	lease(&ev.lease, 5);
	env_text(cfg, &q, &ev, text, sizeof(text));
	assert_string_equal(text,
			    "QUERY4_TYPE=DHCPREQUEST\n"
			    "QUERY4_TXID=4353\n"
			    "QUERY4_LOCAL_ADDR=198.18.250.1\n"
			    "QUERY4_LOCAL_PORT=67\n"
			    "QUERY4_REMOTE_ADDR=198.18.251.1\n"
			    "QUERY4_REMOTE_PORT=67\n"
			    "QUERY4_IFACE_INDEX=2\n"
			    "QUERY4_IFACE_NAME=srv0\n"
			    "QUERY4_HOPS=1\n"
			    "QUERY4_SECS=3\n"
			    "QUERY4_FLAGS=32768\n"
			    "QUERY4_CIADDR=0.0.0.0\n"
			    "QUERY4_SIADDR=0.0.0.0\n"
			    "QUERY4_YIADDR=0.0.0.0\n"
			    "QUERY4_GIADDR=198.18.251.1\n"
			    "QUERY4_RELAYED=true\n"
			    "QUERY4_HWADDR=02:aa:bb:cc:00:01\n"
			    "QUERY4_HWADDR_TYPE=1\n"
			    "QUERY4_LOCAL_HWADDR=\n"
			    "QUERY4_LOCAL_HWADDR_TYPE=\n"
			    "QUERY4_REMOTE_HWADDR=\n"
			    "QUERY4_REMOTE_HWADDR_TYPE=\n"
			    /* Kea re-encodes the sub-options sorted by code */
			    "QUERY4_OPTION_82=0x0106706F72742D3702030A0B0C\n"
			    "QUERY4_OPTION_82_SUB_OPTION_1=0x706F72742D37\n"
			    "QUERY4_OPTION_82_SUB_OPTION_2=0x0A0B0C\n"
			    "SUBNET4_ID=5\n"
			    "SUBNET4_NAME=198.18.251.0/24\n"
			    "SUBNET4_PREFIX=198.18.251.0\n"
			    "SUBNET4_PREFIX_LEN=24\n"
			    "PKT4_CLIENT_ID=01:02:aa:bb:cc:00:01\n"
			    "PKT4_HWADDR=02:aa:bb:cc:00:01\n"
			    "PKT4_HWADDR_TYPE=1\n"
			    "LEASE4_ADDRESS=198.18.251.100\n"
			    "LEASE4_CLTT=1700000000\n"
			    "LEASE4_HOSTNAME=host-a\n"
			    "LEASE4_HWADDR=02:aa:bb:cc:00:01\n"
			    "LEASE4_HWADDR_TYPE=1\n"
			    "LEASE4_STATE=default\n"
			    "LEASE4_SUBNET_ID=5\n"
			    "LEASE4_VALID_LIFETIME=4000\n"
			    "LEASE4_CLIENT_ID=01:02:aa:bb:cc:00:01\n");
	/* Without match-client-id the client-id is not passed. */
	ev.pass_client_id = false;
	env_text(cfg, &q, &ev, text, sizeof(text));
	assert_non_null(strstr(text, "\nPKT4_CLIENT_ID=\n"));
	ternd_config_free(cfg);
}

static void test_env_others(void **state)
{
	struct ternd_config *cfg = load(cfg_text);
	struct ternd_hook_event ev = {0};
	struct hk_query q;
	char text[8192];

	(void)state;
	query(&q);
	q.has_rai = false;
	q.giaddr = 0;
	/* leases4_committed: LEASES4 and DELETED_LEASES4 collections. */
	ev.point = TERND_HOOK_LEASES4_COMMITTED;
	ev.n_leases = 1;
	lease(&ev.lease, 5);
	env_text(cfg, &q, &ev, text, sizeof(text));
	assert_non_null(strstr(text, "QUERY4_RELAYED=false\n"
				     "QUERY4_HWADDR=02:aa:bb:cc:00:01\n"));
	assert_null(strstr(text, "OPTION_82"));
	assert_non_null(strstr(text, "QUERY4_REMOTE_HWADDR_TYPE=\n"
				     "LEASES4_SIZE=1\n"
				     "LEASES4_AT0_ADDRESS=198.18.251.100\n"));
	assert_non_null(strstr(text, "LEASES4_AT0_CLIENT_ID=01:02:aa:bb:cc:00:"
				     "01\nDELETED_LEASES4_SIZE=0\n"));
	/* lease4_expire of a declined lease: no identity, REMOVE_LEASE. */
	memset(&ev, 0, sizeof(ev));
	ev.point = TERND_HOOK_LEASE4_EXPIRE;
	ev.n_leases = 1;
	lease(&ev.lease, 5);
	ev.lease.kea_state = TERND_KEA_DECLINED;
	ev.lease.l.hw_len = 0;
	ev.lease.l.cid_len = 0;
	ev.lease.l.hostname[0] = '\0';
	env_text(cfg, NULL, &ev, text, sizeof(text));
	assert_string_equal(text, "LEASE4_ADDRESS=198.18.251.100\n"
				  "LEASE4_CLTT=1700000000\n"
				  "LEASE4_HOSTNAME=\n"
				  "LEASE4_HWADDR=\n"
				  "LEASE4_HWADDR_TYPE=1\n"
				  "LEASE4_STATE=declined\n"
				  "LEASE4_SUBNET_ID=5\n"
				  "LEASE4_VALID_LIFETIME=4000\n"
				  "LEASE4_CLIENT_ID=\n"
				  "REMOVE_LEASE=false\n");
	ev.point = TERND_HOOK_LEASE4_RECOVER;
	ev.lease.kea_state = TERND_KEA_EXPIRED_RECLAIMED;
	env_text(cfg, NULL, &ev, text, sizeof(text));
	assert_non_null(strstr(text, "LEASE4_STATE=expired-reclaimed\n"));
	assert_null(strstr(text, "REMOVE_LEASE"));
	/* Events that need a query refuse to go without one. */
	ev.point = TERND_HOOK_LEASE4_RELEASE;
	{
		char buf[64], *envp[4];

		assert_int_equal(hk_script_env(cfg, NULL, &ev, buf, sizeof(buf),
					       envp, 4),
				 -EINVAL);
		assert_int_equal(
			hk_script_env(cfg, &q, &ev, buf, sizeof(buf), envp, 4),
			-ENOBUFS);
	}
	assert_string_equal(hk_point_name(TERND_HOOK_LEASE4_DECLINE),
			    "lease4_decline");
	assert_null(hk_point_name(0));
	ternd_config_free(cfg);
}

/* ---- the runner ---- */

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/tern-hooks.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void script(const char *name, const char *body, char *path, size_t cap)
{
	FILE *f;

	snprintf(path, cap, "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "#!/bin/sh\n%s\n", body);
	fclose(f);
	chmod(path, 0755);
}

/* Drive the runner until nothing runs or waits (bounded). */
static void settle(struct hk_runner *r)
{
	for (int i = 0; i < 400 && hk_runner_running(r); i++) {
		struct pollfd p = {hk_runner_fd(r), POLLIN, 0};

		poll(&p, 1, 50);
		hk_runner_on_fd(r);
	}
	assert_int_equal(hk_runner_running(r), 0);
}

static size_t count_files(const char *prefix)
{
	struct dirent *de;
	DIR *d = opendir(dir);
	size_t n = 0;

	assert_non_null(d);
	while ((de = readdir(d)))
		n += strncmp(de->d_name, prefix, strlen(prefix)) == 0;
	closedir(d);
	return n;
}

static void test_runner_env_and_args(void **state)
{
	struct hk_runner *r;
	struct hk_runner_stats st;
	char path[128], body[256], out[128], line[256];
	const char *envp[] = {"A=1", "B=two words", NULL};
	const char *argv[] = {NULL, "lease4_renew", NULL};
	FILE *f;

	(void)state;
	snprintf(out, sizeof(out), "%s/out", dir);
	snprintf(body, sizeof(body), "{ echo \"$0 $1\"; /usr/bin/env; } >%s",
		 out);
	script("rec.sh", body, path, sizeof(path));
	argv[0] = path;
	assert_int_equal(hk_runner_new(2, 4, 10000, &r), 0);
	assert_int_equal(hk_runner_spawn(r, path, argv, envp), 0);
	settle(r);
	f = fopen(out, "r");
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof(line), f));
	snprintf(body, sizeof(body), "%s lease4_renew\n", path);
	assert_string_equal(line, body);
	/* Exactly the variables given (the shell may add PWD). */
	while (fgets(line, sizeof(line), f))
		assert_true(strcmp(line, "A=1\n") == 0 ||
			    strcmp(line, "B=two words\n") == 0 ||
			    strncmp(line, "PWD=", 4) == 0);
	fclose(f);
	hk_runner_stats(r, &st);
	assert_int_equal(st.run, 1);
	assert_int_equal(st.failed, 0);
	hk_runner_free(r);
}

static void test_runner_bounds(void **state)
{
	struct hk_runner *r;
	struct hk_runner_stats st;
	char path[128], body[256], fail_path[128];
	const char *envp[] = {NULL};
	const char *argv[] = {NULL, NULL};
	int status;

	(void)state;
	/* Each run leaves a file, after a short while. */
	snprintf(body, sizeof(body), "/bin/sleep 0.2; : >%s/done.$$", dir);
	script("slow.sh", body, path, sizeof(path));
	argv[0] = path;
	/* Two at once, three more waiting: the sixth is dropped. */
	assert_int_equal(hk_runner_new(2, 3, 10000, &r), 0);
	for (int i = 0; i < 5; i++)
		assert_int_equal(hk_runner_spawn(r, path, argv, envp), 0);
	assert_int_equal(hk_runner_running(r), 5);
	assert_int_equal(hk_runner_spawn(r, path, argv, envp), -ENOBUFS);
	settle(r);
	assert_int_equal(count_files("done."), 5);
	hk_runner_stats(r, &st);
	assert_int_equal(st.run, 5);
	assert_int_equal(st.dropped, 1);

	/* A failing script and a missing one are counted. */
	script("fail.sh", "exit 3", fail_path, sizeof(fail_path));
	argv[0] = fail_path;
	assert_int_equal(hk_runner_spawn(r, fail_path, argv, envp), 0);
	argv[0] = "/no/such/script";
	assert_int_equal(hk_runner_spawn(r, "/no/such/script", argv, envp), 0);
	settle(r);
	hk_runner_stats(r, &st);
	assert_int_equal(st.failed, 2);
	hk_runner_free(r);

	/* A script that hangs is killed at its deadline, and reaped. */
	script("hang.sh", "exec /bin/sleep 30", path, sizeof(path));
	argv[0] = path;
	assert_int_equal(hk_runner_new(1, 1, 100, &r), 0);
	assert_int_equal(hk_runner_spawn(r, path, argv, envp), 0);
	settle(r);
	hk_runner_stats(r, &st);
	assert_int_equal(st.killed, 1);
	hk_runner_free(r);
	/* No child of ours is left, not even a zombie. */
	assert_int_equal(waitpid(-1, &status, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
}

/* ---- the forensic log ---- */

static void test_legal_entry(void **state)
{
	struct ternd_hook_lease l;
	struct hk_query q;
	char text[1024];

	(void)state;
	query(&q);
	lease(&l, 5);
	/* Kea 2.2's ARM example, field for field. */
	l.l.valid_lifetime = 6735;
	assert_true(hk_legal_entry(&q, &l, false, text, sizeof(text)) > 0);
	assert_string_equal(text,
			    "Address: 198.18.251.100 has been assigned for 1 "
			    "hrs 52 mins 15 secs to a device with hardware "
			    "address: hwtype=1 02:aa:bb:cc:00:01, client-id: "
			    "01:02:aa:bb:cc:00:01 connected via relay at "
			    "address: 198.18.251.1, identified by circuit-id: "
			    "70:6f:72:74:2d:37 (port-7) and remote-id: "
			    "0a:0b:0c");
	l.l.valid_lifetime = 90061;
	hk_legal_entry(&q, &l, false, text, sizeof(text));
	assert_non_null(strstr(text, "for 1 days 1 hrs 1 mins 1 secs to"));
	l.l.valid_lifetime = UINT32_MAX; /* BOOTP */
	hk_legal_entry(&q, &l, false, text, sizeof(text));
	assert_non_null(strstr(text, "assigned for infinite duration to a"));
	/* A printable client-id is shown as text too; no relay: no more. */
	l.l.cid_len = 3;
	memcpy(l.l.cid, "abc", 3);
	q.giaddr = 0;
	hk_legal_entry(&q, &l, true, text, sizeof(text));
	assert_string_equal(text, "Address: 198.18.251.100 has been released "
				  "from a device with hardware address: "
				  "hwtype=1 02:aa:bb:cc:00:01, client-id: "
				  "61:62:63 (abc)");
	l.l.cid_len = 0;
	hk_legal_entry(&q, &l, true, text, sizeof(text));
	assert_string_equal(text, "Address: 198.18.251.100 has been released "
				  "from a device with hardware address: "
				  "hwtype=1 02:aa:bb:cc:00:01");
	assert_int_equal(hk_legal_entry(&q, &l, true, text, 20), -ENOBUFS);
}

static void test_legal_timestamp(void **state)
{
	struct timespec t = {1700000000, 123456789};
	char out[64];

	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	assert_true(hk_legal_timestamp("%Y-%m-%d %H:%M:%S %Z", &t, out,
				       sizeof(out)) > 0);
	assert_string_equal(out, "2023-11-14 22:13:20 UTC");
	hk_legal_timestamp("%H:%M:%S.%Q%%Q", &t, out, sizeof(out));
	assert_string_equal(out, "22:13:20.123.456%Q");
}

static void read_file(const char *path, char *out, size_t cap)
{
	FILE *f = fopen(path, "r");
	size_t n;

	assert_non_null(f);
	n = fread(out, 1, cap - 1, f);
	out[n] = '\0';
	fclose(f);
}

static void test_legal_files(void **state)
{
	struct ternd_config_hooks c = {0};
	struct hk_legal *l;
	struct timespec t = {1700000000, 0}; /* 2023-11-14 22:13:20 UTC */
	char path[160], text[256];
	FILE *f;

	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	c.legal_log = true;
	c.legal_path = dir;
	c.legal_base_name = "kea-forensic4";
	c.legal_unit = TERND_LEGAL_DAY;
	c.legal_count = 2;
	c.legal_timestamp = "%s";
	/* A file of two days before is past its two days: a new one. A
	 * file of yesterday is still in its period: written to. */
	snprintf(path, sizeof(path), "%s/kea-forensic4.20231112.txt", dir);
	f = fopen(path, "w");
	fclose(f);
	assert_int_equal(hk_legal_new(&c, NULL, &t, &l), 0);
	snprintf(path, sizeof(path), "%s/kea-forensic4.20231114.txt", dir);
	assert_string_equal(hk_legal_file(l), path);
	hk_legal_free(l);
	unlink(path);
	snprintf(path, sizeof(path), "%s/kea-forensic4.20231113.txt", dir);
	f = fopen(path, "w");
	fclose(f);
	assert_int_equal(hk_legal_new(&c, NULL, &t, &l), 0);
	assert_string_equal(hk_legal_file(l), path);
	assert_int_equal(hk_legal_write(l, "one", &t), 0);
	read_file(path, text, sizeof(text));
	assert_string_equal(text, "1700000000 one\n");
	/* 2023-11-15 00:00:00: the 13th's two days are over. */
	t.tv_sec = 1700006400;
	assert_int_equal(hk_legal_write(l, "two", &t), 0);
	snprintf(path, sizeof(path), "%s/kea-forensic4.20231115.txt", dir);
	assert_string_equal(hk_legal_file(l), path);
	read_file(path, text, sizeof(text));
	assert_string_equal(text, "1700006400 two\n");
	hk_legal_free(l);

	/* Seconds: PATH/BASE.T<20 digits>.txt, rotated after COUNT s. */
	c.legal_unit = TERND_LEGAL_SECOND;
	c.legal_count = 60;
	c.legal_base_name = "sec";
	t.tv_sec = 1700000000;
	assert_int_equal(hk_legal_new(&c, NULL, &t, &l), 0);
	snprintf(path, sizeof(path), "%s/sec.T00000000001700000000.txt", dir);
	assert_string_equal(hk_legal_file(l), path);
	t.tv_sec += 59;
	hk_legal_write(l, "a", &t);
	assert_string_equal(hk_legal_file(l), path);
	t.tv_sec += 1;
	hk_legal_write(l, "b", &t);
	snprintf(path, sizeof(path), "%s/sec.T00000000001700000060.txt", dir);
	assert_string_equal(hk_legal_file(l), path);
	hk_legal_free(l);

	/* Months snap to the end of the month: opened on Jan 31st, one
	 * month runs until Feb 29th (2024). */
	c.legal_unit = TERND_LEGAL_MONTH;
	c.legal_count = 1;
	c.legal_base_name = "mon";
	t.tv_sec = 1706659200; /* 2024-01-31 */
	assert_int_equal(hk_legal_new(&c, NULL, &t, &l), 0);
	t.tv_sec = 1709078400; /* 2024-02-28 */
	hk_legal_write(l, "x", &t);
	snprintf(path, sizeof(path), "%s/mon.20240131.txt", dir);
	assert_string_equal(hk_legal_file(l), path);
	t.tv_sec = 1709164800; /* 2024-02-29 */
	hk_legal_write(l, "y", &t);
	snprintf(path, sizeof(path), "%s/mon.20240229.txt", dir);
	assert_string_equal(hk_legal_file(l), path);
	hk_legal_free(l);

	/* Count 0: never rotated. */
	c.legal_unit = TERND_LEGAL_DAY;
	c.legal_count = 0;
	c.legal_base_name = "never";
	t.tv_sec = 1700000000;
	assert_int_equal(hk_legal_new(&c, NULL, &t, &l), 0);
	t.tv_sec += 400 * 86400;
	hk_legal_write(l, "z", &t);
	snprintf(path, sizeof(path), "%s/never.20231114.txt", dir);
	assert_string_equal(hk_legal_file(l), path);
	hk_legal_free(l);

	/* A directory that is not there: the log cannot start. */
	c.legal_path = "/no/such/dir";
	assert_true(hk_legal_new(&c, NULL, &t, &l) < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_env_renew),
		cmocka_unit_test(test_env_others),
		cmocka_unit_test_setup_teardown(test_runner_env_and_args, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_runner_bounds, setup,
						teardown),
		cmocka_unit_test(test_legal_entry),
		cmocka_unit_test(test_legal_timestamp),
		cmocka_unit_test_setup_teardown(test_legal_files, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
