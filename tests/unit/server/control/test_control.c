/* Unit tests for ternd's control socket: Kea's framing, the command
 * object's checks and texts, answers in Kea's style, the non-blocking
 * socket with its limits, the built-in commands' checks. */
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/json.h"
#include "server/config/config.h"
#include "server/control/cmds_builtin.h"
#include "server/control/control.h"
#include "server/control/feed.h"
#include "server/mesh/implied_config.h"
#include "server/mesh/node.h"

static int echo(void *ctx, const struct tjson *args, struct tjson_doc *out,
		struct tjson **ret_args, char *text, size_t text_len)
{
	int *calls = ctx;

	(*calls)++;
	if (args)
		*ret_args = tjson_copy(out, args);
	snprintf(text, text_len, "echoed");
	return TERND_CTL_SUCCESS;
}

/* The answer to req, byte for byte. */
static void expect(struct ternd_control *c, const char *req, const char *want)
{
	char *ans = NULL;

	assert_int_equal(ternd_control_handle(c, req, strlen(req), &ans), 0);
	assert_string_equal(ans, want);
	free(ans);
}

static void test_texts(void **state)
{
	struct ternd_control *c = NULL;
	char *ans = NULL;
	int calls = 0;

	(void)state;
	assert_int_equal(ternd_control_new(&c), 0);
	assert_int_equal(ternd_control_add(c, "echo", echo, &calls), 0);
	assert_int_equal(ternd_control_add(c, "echo", echo, &calls), -EEXIST);
	/* Kea's style: sorted keys, spaces, empty map "{  }". */
	expect(c,
	       "{\"command\": \"echo\", \"arguments\": {\"z\": [1, {}], "
	       "\"a\": []}}",
	       "{ \"arguments\": { \"a\": [  ], \"z\": [ 1, {  } ] }, "
	       "\"result\": 0, \"text\": \"echoed\" }");
	/* Arguments of any type reach the command (Kea does not check). */
	expect(c, "{\"command\": \"echo\", \"arguments\": 3}",
	       "{ \"arguments\": 3, \"result\": 0, \"text\": \"echoed\" }");
	assert_int_equal(calls, 2);
	expect(c, "{\"command\":\"list-commands\"}",
	       "{ \"arguments\": [ \"echo\", \"list-commands\" ], \"result\": "
	       "0 }");
	expect(c, "{\"command\":\"foo-bar\"}",
	       "{ \"result\": 2, \"text\": \"'foo-bar' command not "
	       "supported.\" }");
	expect(c, "[{\"command\":\"status-get\"}]",
	       "{ \"result\": 1, \"text\": \"Error during command processing: "
	       "Invalid command Element specified, expected map\" }");
	expect(c, "{\"arguments\":{}}",
	       "{ \"result\": 1, \"text\": \"Error during command processing: "
	       "Invalid answer specified, does not contain mandatory "
	       "'command'\" }");
	expect(c, "{\"command\":\"echo\",\"zz\":1,\"foo\":1}",
	       "{ \"result\": 1, \"text\": \"Error during command processing: "
	       "Received command contains unsupported parameter 'foo'\" }");
	expect(c, "{\"command\":1}",
	       "{ \"result\": 1, \"text\": \"Error during command processing: "
	       "'command' element in command message is not a string\" }");
	/* What the kea-ctrl-agent adds is accepted. */
	expect(c,
	       "{ \"command\": \"echo\", \"remote-address\": \"127.0.0.1\", "
	       "\"service\": [ \"dhcp4\" ] }",
	       "{ \"result\": 0, \"text\": \"echoed\" }");
	/* Framing errors, Kea's texts. */
	expect(c, "hello\n",
	       "{ \"result\": 1, \"text\": \"invalid first character h\" }");
	expect(c, "  x",
	       "{ \"result\": 1, \"text\": \"invalid character x\" }");
	expect(c, "/x",
	       "{ \"result\": 1, \"text\": \"invalid characters /x\" }");
	expect(c, "\"str\"",
	       "{ \"result\": 1, \"text\": \"invalid first character \\\"\" }");
	/* Leading blanks and comments, trailing bytes ignored. */
	expect(c,
	       "\n # c\n /* d */ {\"command\":\"foo\"}{\"command\":\"x\"}junk",
	       "{ \"result\": 2, \"text\": \"'foo' command not supported.\" }");
	/* Brackets inside strings do not count. */
	expect(c, "{\"command\":\"a}]\\\"{\"}",
	       "{ \"result\": 2, \"text\": \"'a}]\\\"{' command not "
	       "supported.\" }");
	/* Not a whole command yet: no answer. */
	assert_int_equal(
		ternd_control_handle(c, "{\"command\": \"ec", 15, &ans),
		-ENODATA);
	assert_int_equal(ternd_control_handle(c, "", 0, &ans), -ENODATA);
	assert_int_equal(ternd_control_handle(c, "  ", 2, &ans), -ENODATA);
	/* The limit is on the command, not on the bytes after it. */
	{
		size_t n = TERND_CTL_REQUEST_MAX + 100;
		char *big = malloc(n);

		assert_non_null(big);
		memset(big, ' ', n);
		memcpy(big, "{\"command\":\"foo\"}", 17);
		assert_int_equal(ternd_control_handle(c, big, n, &ans), 0);
		assert_non_null(strstr(ans, "\"result\": 2"));
		free(ans);
		memset(big, 'a', n);
		memcpy(big, "{\"command\": \"", 13);
		assert_int_equal(ternd_control_handle(c, big, n, &ans), 0);
		assert_string_equal(ans,
				    "{ \"result\": 1, \"text\": \"Command "
				    "too large: more than 1048576 bytes\" }");
		free(ans);
		free(big);
	}
	/* Balanced but not JSON: the parser's error, at its place. */
	assert_int_equal(ternd_control_handle(c, "{\"a\" 1}", 7, &ans), 0);
	assert_non_null(strstr(ans, "\"result\": 1"));
	assert_non_null(strstr(ans, "in <wire>:1:"));
	free(ans);
	assert_int_equal(calls, 3);
	ternd_control_free(c);
	ternd_control_free(NULL);
}

static void test_feed(void **state)
{
	struct ternd_feed f;
	const char *s = "{\"command\": \"status-get\"";

	(void)state;
	/* Kea counts the bytes of a partial command for its timeout text. */
	ternd_feed_init(&f);
	for (size_t i = 1; i <= strlen(s); i++)
		assert_int_equal(ternd_feed_scan(&f, s, i), TERND_FEED_MORE);
	assert_int_equal(f.processed, 24);
	ternd_feed_init(&f);
	assert_int_equal(ternd_feed_scan(&f, " [1, [2]] x", 11),
			 TERND_FEED_DONE);
	assert_int_equal(f.start, 1);
	assert_int_equal(f.end, 9);
}

static void test_nesting_bounded(void **state)
{
	struct ternd_control *c = NULL;
	char *deep = malloc(40001), *ans = NULL;

	(void)state;
	assert_non_null(deep);
	memset(deep, '[', 20000);
	memset(deep + 20000, ']', 20000);
	deep[40000] = '\0';
	assert_int_equal(ternd_control_new(&c), 0);
	assert_int_equal(ternd_control_handle(c, deep, 40000, &ans), 0);
	assert_non_null(strstr(ans, "\"result\": 1"));
	free(ans);
	ternd_control_free(c);
	free(deep);
}

/* Run the channel until fd has bytes or EOF to read (bounded). */
static void pump_until_readable(struct ternd_control *c, int fd)
{
	for (int i = 0; i < 2000; i++) {
		struct pollfd p[2] = {
			{.fd = ternd_control_fd(c), .events = POLLIN},
			{.fd = fd, .events = POLLIN}};

		if (poll(p, 2, 50) > 0 && p[0].revents)
			ternd_control_on_fd(c);
		p[1].revents = 0;
		if (poll(&p[1], 1, 0) > 0)
			return;
	}
	fail_msg("no answer");
}

static int dial(const struct sockaddr_un *sa)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	assert_int_equal(connect(fd, (const struct sockaddr *)sa, sizeof(*sa)),
			 0);
	return fd;
}

/* Everything until EOF, pumping the channel meanwhile. */
static size_t read_all(struct ternd_control *c, int fd, char *buf, size_t cap)
{
	size_t got = 0;

	for (;;) {
		ssize_t n;

		pump_until_readable(c, fd);
		n = read(fd, buf + got, cap - 1 - got);
		assert_true(n >= 0);
		if (n == 0)
			break;
		got += (size_t)n;
	}
	buf[got] = '\0';
	return got;
}

static void test_socket(void **state)
{
	struct ternd_control *c = NULL, *c2 = NULL;
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	const char *req = "{\"command\": \"list-commands\"}";
	char path[] = "/tmp/tern-ctl-XXXXXX", ans[4096];
	int fd, idle[TERND_CTL_CONN_MAX];

	(void)state;
	assert_non_null(mkdtemp(path));
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/s", path);
	assert_int_equal(ternd_control_new(&c), 0);
	assert_int_equal(ternd_control_listen(c, sa.sun_path), 0);
	/* The lock file keeps a second server off the socket. */
	assert_int_equal(ternd_control_new(&c2), 0);
	assert_int_equal(ternd_control_listen(c2, sa.sun_path), -EBUSY);
	ternd_control_free(c2);
	/* A command in two writes, no EOF: answered, then EOF. */
	fd = dial(&sa);
	assert_int_equal(write(fd, req, 10), 10);
	ternd_control_on_fd(c);
	assert_int_equal(write(fd, req + 10, strlen(req) - 10),
			 (ssize_t)strlen(req) - 10);
	read_all(c, fd, ans, sizeof(ans));
	assert_string_equal(ans, "{ \"arguments\": [ \"list-commands\" ], "
				 "\"result\": 0 }");
	close(fd);
	/* A partial command then SHUT_WR: closed without an answer. */
	fd = dial(&sa);
	assert_int_equal(write(fd, req, 10), 10);
	shutdown(fd, SHUT_WR);
	assert_int_equal(read_all(c, fd, ans, sizeof(ans)), 0);
	close(fd);
	/* Garbage: answered at once. */
	fd = dial(&sa);
	assert_int_equal(write(fd, "hello\n", 6), 6);
	read_all(c, fd, ans, sizeof(ans));
	assert_string_equal(
		ans,
		"{ \"result\": 1, \"text\": \"invalid first character h\" }");
	close(fd);
	/* At the limit the longest-idle reader makes room for a new one. */
	for (int i = 0; i < TERND_CTL_CONN_MAX; i++) {
		idle[i] = dial(&sa);
		ternd_control_on_fd(c);
	}
	while (ternd_control_connections(c) < TERND_CTL_CONN_MAX) {
		struct pollfd p = {.fd = ternd_control_fd(c), .events = POLLIN};

		assert_true(poll(&p, 1, 1000) > 0);
		ternd_control_on_fd(c);
	}
	fd = dial(&sa);
	assert_int_equal(write(fd, req, strlen(req)), (ssize_t)strlen(req));
	read_all(c, fd, ans, sizeof(ans));
	assert_non_null(strstr(ans, "\"result\": 0"));
	close(fd);
	/* The first idle one was closed: EOF, no answer. */
	assert_int_equal(read(idle[0], ans, sizeof(ans)), 0);
	assert_true(ternd_control_connections(c) <= TERND_CTL_CONN_MAX);
	for (int i = 0; i < TERND_CTL_CONN_MAX; i++)
		close(idle[i]);
	ternd_control_free(c);
	assert_int_equal(access(sa.sun_path, F_OK), -1);
	snprintf(ans, sizeof(ans), "%s.lock", sa.sun_path);
	unlink(ans);
	rmdir(path);
}

static bool stopped;
static int stop_value;
static void on_shutdown(void *ctx, int v)
{
	(void)ctx;
	stopped = true;
	stop_value = v;
}

static int reclaimed;
static void on_reclaim(void *ctx, bool remove)
{
	(void)ctx;
	reclaimed += remove ? 10 : 1;
}

static void test_builtin(void **state)
{
	struct ternd_control *c = NULL;
	struct ternd_builtin b = {.started = 1,
				  .configured = 1,
				  .shutdown = on_shutdown,
				  .reclaim = on_reclaim};
	char *ans = NULL;

	(void)state;
	assert_int_equal(ternd_control_new(&c), 0);
	assert_int_equal(ternd_builtin_register(&b, c), 0);
	expect(c, "{\"command\":\"config-test\"}",
	       "{ \"result\": 1, \"text\": \"Missing mandatory 'arguments' "
	       "parameter.\" }");
	expect(c, "{\"command\":\"config-test\",\"arguments\":{}}",
	       "{ \"result\": 1, \"text\": \"Missing mandatory 'Dhcp4' "
	       "parameter.\" }");
	expect(c,
	       "{\"command\":\"config-test\",\"arguments\":{\"Dhcp4\":{},"
	       "\"Logging\":{},\"Dhcp6\":{}}}",
	       "{ \"result\": 1, \"text\": \"Unsupported 'Dhcp6' parameter "
	       "(and 'Logging').\" }");
	expect(c,
	       "{\"command\":\"dhcp-disable\",\"arguments\":{\"origin\":"
	       "\"bogus\"}}",
	       "{ \"result\": 1, \"text\": \"invalid value used for 'origin' "
	       "parameter: bogus\" }");
	assert_true(ternd_builtin_dhcp_enabled(&b, 100));
	expect(c,
	       "{\"command\":\"dhcp-disable\",\"arguments\":{\"max-period\":"
	       "30}}",
	       "{ \"result\": 0, \"text\": \"DHCPv4 service disabled for 30 "
	       "seconds\" }");
	assert_false(ternd_builtin_dhcp_enabled(&b, 100));
	/* max-period elapsed: served again. */
	assert_true(ternd_builtin_dhcp_enabled(&b, INT64_MAX / 2));
	expect(c, "{\"command\":\"dhcp-disable\"}",
	       "{ \"result\": 0, \"text\": \"DHCPv4 service disabled\" }");
	assert_false(ternd_builtin_dhcp_enabled(&b, INT64_MAX / 2));
	expect(c, "{\"command\":\"dhcp-enable\"}",
	       "{ \"result\": 0, \"text\": \"DHCP service successfully "
	       "enabled\" }");
	assert_true(ternd_builtin_dhcp_enabled(&b, 100));
	expect(c, "{\"command\":\"leases-reclaim\"}",
	       "{ \"result\": 1, \"text\": \"Missing mandatory 'remove' "
	       "parameter.\" }");
	expect(c,
	       "{\"command\":\"leases-reclaim\",\"arguments\":{\"remove\":1}}",
	       "{ \"result\": 1, \"text\": \"'remove' parameter expected to be "
	       "a boolean.\" }");
	assert_int_equal(reclaimed, 0);
	expect(c,
	       "{\"command\":\"leases-reclaim\",\"arguments\":{\"remove\":true}"
	       "}",
	       "{ \"result\": 0, \"text\": \"Reclamation of expired leases is "
	       "complete.\" }");
	assert_int_equal(reclaimed, 10);
	expect(c,
	       "{\"command\":\"shutdown\",\"arguments\":{\"exit-value\":\"x\"}"
	       "}",
	       "{ \"result\": 1, \"text\": \"parameter 'exit-value' is not an "
	       "integer\" }");
	assert_false(stopped);
	expect(c, "{\"command\":\"shutdown\",\"arguments\":{\"exit-value\":3}}",
	       "{ \"result\": 0, \"text\": \"Shutting down.\" }");
	assert_true(stopped);
	assert_int_equal(stop_value, 3);
	assert_int_equal(ternd_control_handle(c, "{\"command\":\"status-get\"}",
					      24, &ans),
			 0);
	assert_non_null(strstr(ans, "\"multi-threading-enabled\": false"));
	assert_non_null(strstr(ans, "\"sockets\": { \"status\": \"ready\" }"));
	assert_null(strstr(ans, "\"text\""));
	free(ans);
	ternd_control_free(c);
	ternd_builtin_free(&b);
}

static void test_config_write(void **state)
{
	char path[] = "/tmp/tern-cw-XXXXXX", file[64], *text = NULL;
	struct tjson_doc *doc = NULL, *back = NULL;
	const char *conf = "{\"Dhcp4\": {\"valid-lifetime\": 600, "
			   "\"subnet4\": []}}";
	size_t len = 0;
	long n;

	(void)state;
	assert_non_null(mkdtemp(path));
	snprintf(file, sizeof(file), "%s/out.json", path);
	assert_int_equal(tjson_parse(conf, strlen(conf), NULL, &doc, NULL), 0);
	n = ternd_builtin_write_config(doc->root, file);
	assert_true(n > 0);
	assert_int_equal(tjson_read_file(NULL, file, 1 << 20, &text, &len), 0);
	assert_int_equal((long)len, n);
	assert_int_equal(tjson_parse(text, len, NULL, &back, NULL), 0);
	assert_true(tjson_equal(doc->root, back->root));
	/* A directory that does not exist: an error, nothing written. */
	snprintf(file, sizeof(file), "%s/no/out.json", path);
	assert_true(ternd_builtin_write_config(doc->root, file) < 0);
	free(text);
	tjson_doc_free(doc);
	tjson_doc_free(back);
	snprintf(file, sizeof(file), "%s/out.json", path);
	unlink(file);
	rmdir(path);
}

static void test_option_syntax(void **state)
{
	uint8_t code, len, d[255];

	(void)state;
	assert_int_equal(
		ternd_mesh_opt_parse("3:4:10.116.254.254", &code, &len, d), 0);
	assert_int_equal(code, 3);
	assert_int_equal(len, 4);
	assert_int_equal(d[0], 10);
	assert_int_equal(d[3], 254);
	assert_int_equal(ternd_mesh_opt_parse("42:0:", &code, &len, d), 0);
	assert_int_equal(len, 0);
	assert_int_equal(ternd_mesh_opt_parse("3:4:10.1.1", &code, &len, d),
			 -EINVAL);
	assert_int_equal(ternd_mesh_opt_parse("3:2:10.1.1", &code, &len, d),
			 -EINVAL);
	assert_int_equal(ternd_mesh_opt_parse("3:1:256", &code, &len, d),
			 -EINVAL);
	assert_int_equal(ternd_mesh_opt_parse("256:1:1", &code, &len, d),
			 -EINVAL);
	assert_int_equal(ternd_mesh_opt_parse("3:1:-1", &code, &len, d),
			 -EINVAL);
	assert_int_equal(ternd_mesh_opt_parse("3:1:1.", &code, &len, d),
			 -EINVAL);
	assert_int_equal(ternd_mesh_opt_parse("x", &code, &len, d), -EINVAL);
}

static void test_mesh_flags(void **state)
{
	struct ternd_mesh_opts o;
	char err[160];
	char *ok[] = {"--mesh",
		      "-N",
		      "10.116.224.0/20",
		      "-b",
		      "2",
		      "-s",
		      "1",
		      "-i",
		      "bat0",
		      "-c",
		      "br-client",
		      "-t",
		      "0.5",
		      "-B",
		      "4",
		      "-L",
		      "-o",
		      "3:4:10.116.254.254",
		      "--node-id",
		      "02:00:00:00:00:01:00:00",
		      NULL};
	char *bad_net[] = {"--mesh", "-N",   "10.116.224.1/20",
			   "-i",     "bat0", NULL};
	char *no_if[] = {"--mesh", "-N", "10.0.0.0/24", NULL};
	char *huge[] = {"--mesh", "-N", "10.0.0.0/8", "-b",
			"2",	  "-i", "x",	      NULL};

	(void)state;
	ternd_mesh_opts_init(&o);
	assert_int_equal(ternd_mesh_opts_parse(&o, 20, ok, err, sizeof(err)),
			 0);
	assert_int_equal(o.network, 0x0a74e000u);
	assert_int_equal(o.prefix_len, 20);
	assert_int_equal(o.block_pow, 2);
	assert_int_equal(o.tentative_ms, 500);
	assert_int_equal(o.block_timeout_ms, 4000);
	assert_true(o.skip_learning);
	assert_true(o.has_node_id);
	assert_int_equal(o.node_id[5], 1);
	assert_int_equal(o.n_opt_args, 1);
	ternd_mesh_opts_init(&o);
	assert_int_equal(
		ternd_mesh_opts_parse(&o, 5, bad_net, err, sizeof(err)),
		-EINVAL);
	ternd_mesh_opts_init(&o);
	assert_int_equal(ternd_mesh_opts_parse(&o, 3, no_if, err, sizeof(err)),
			 -EINVAL);
	ternd_mesh_opts_init(&o);
	assert_int_equal(ternd_mesh_opts_parse(&o, 7, huge, err, sizeof(err)),
			 -EINVAL);
}

/* ddhcpd's own command line, no file: the configuration it implies. */
static struct ternd_config *implied(char **argv, int argc)
{
	struct ternd_mesh_opts o;
	struct ternd_config *cfg = NULL;
	char err[200], text[8192];
	int n;

	ternd_mesh_opts_init(&o);
	assert_int_equal(
		ternd_mesh_opts_parse(&o, argc, argv, err, sizeof(err)), 0);
	n = ternd_mesh_config_text(&o, text, sizeof(text), err, sizeof(err));
	if (n < 0)
		print_error("%s\n", err);
	assert_true(n > 0);
	assert_int_equal(ternd_config_load_buf(text, (size_t)n, &cfg, NULL), 0);
	return cfg;
}

static void test_mesh_implied_config(void **state)
{
	char *gluon[] = {"--mesh",
			 "-o",
			 "3:4:10.116.254.254",
			 "-o",
			 "1:4:255.255.128.0",
			 "-o",
			 "28:4:10.116.254.255",
			 "-N",
			 "10.116.224.0/20",
			 "-b",
			 "2",
			 "-s",
			 "1",
			 "-c",
			 "br-client",
			 "-i",
			 "bat0",
			 NULL};
	char *inside[] = {"--mesh",
			  "-N",
			  "10.0.0.0/24",
			  "-c",
			  "eth9",
			  "-i",
			  "bat0",
			  "-o",
			  "3:4:10.0.0.1",
			  "-o",
			  "54:4:10.0.0.200",
			  "-o",
			  "51:4:0.0.14.16",
			  "-C",
			  "/run/x/ctl.sock",
			  "--state-dir",
			  "/srv/mesh",
			  NULL};
	char *no_client[] = {"--mesh", "-N", "10.0.0.0/24", "-i", "bat0", NULL};
	char *bad_mask[] = {
		"--mesh", "-N", "10.0.0.0/24",	       "-c", "e", "-i",
		"b",	  "-o", "1:4:255.255.255.240", NULL};
	char *fork[] = {"--mesh", "-d", NULL};
	struct ternd_mesh_opts o;
	struct ternd_config *cfg;
	const struct ternd_subnet *s;
	char err[200], text[8192];

	(void)state;
	cfg = implied(gluon, 17);
	assert_int_equal(cfg->n_subnets, 1);
	s = &cfg->subnets[0];
	/* The link's /17 (option 1), the range's /20 less its ends. */
	assert_int_equal(s->network, 0x0a748000u);
	assert_int_equal(s->prefix_len, 17);
	assert_string_equal(s->iface, "br-client");
	assert_int_equal(s->n_pools, 1);
	assert_int_equal(s->pools[0].first, 0x0a74e001u);
	assert_int_equal(s->pools[0].last, 0x0a74effeu);
	assert_int_equal(s->params.valid_lifetime, 300);
	assert_string_equal(cfg->store_path, TERND_DEFAULT_STORE_PATH);
	assert_string_equal(cfg->control_socket, "/run/tern/ternd.sock");
	ternd_config_free(cfg);

	/* Router and server identifier inside the range are left out. */
	cfg = implied(inside, 17);
	s = &cfg->subnets[0];
	assert_int_equal(s->prefix_len, 24);
	assert_int_equal(s->n_pools, 2);
	assert_int_equal(s->pools[0].first, 0x0a000002u);
	assert_int_equal(s->pools[0].last, 0x0a0000c7u);
	assert_int_equal(s->pools[1].first, 0x0a0000c9u);
	assert_int_equal(s->pools[1].last, 0x0a0000feu);
	assert_int_equal(s->params.valid_lifetime, 3600);
	assert_string_equal(cfg->store_path, "/srv/mesh/ternd-leases.sqlite");
	assert_string_equal(cfg->control_socket, "/run/x/ctl.sock");
	ternd_config_free(cfg);

	ternd_mesh_opts_init(&o);
	assert_int_equal(
		ternd_mesh_opts_parse(&o, 5, no_client, err, sizeof(err)), 0);
	assert_int_equal(ternd_mesh_config_text(&o, text, sizeof(text), err,
						sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "-c CLIENT-IFACE"));
	ternd_mesh_opts_init(&o);
	assert_int_equal(
		ternd_mesh_opts_parse(&o, 9, bad_mask, err, sizeof(err)), 0);
	assert_int_equal(ternd_mesh_config_text(&o, text, sizeof(text), err,
						sizeof(err)),
			 -EINVAL);
	ternd_mesh_opts_init(&o);
	assert_int_equal(ternd_mesh_opts_parse(&o, 2, fork, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "-d"));
}

static void test_mesh_config_section(void **state)
{
	static const char good[] =
		"{\"Dhcp4\": {\"user-context\": {\"ternd\": {\"mesh\": {\n"
		" \"network\": \"10.116.224.0/20\", \"server-interface\": "
		"\"bat0\",\n"
		" \"block-size-pow\": 2, \"spare-leases\": 1, \"learning\": "
		"false,\n"
		" \"tentative-timeout\": 0.5, \"block-timeout\": 4,\n"
		" \"node-id\": \"0200000000010000\",\n"
		" \"options\": [\"42:4:10.116.254.123\"]}}}}}";
	static const char bad[] =
		"{\"Dhcp4\": {\"user-context\": {\"ternd\": {\"mesh\": {\n"
		" \"network\": \"10.116.224.1/20\", \"spare-leases\": 999}}}}}";
	struct ternd_config *cfg = NULL;
	struct ternd_diags d;
	struct ternd_mesh_opts o;
	char err[200];

	(void)state;
	memset(&d, 0, sizeof(d));
	assert_int_equal(
		ternd_config_load_buf(good, sizeof(good) - 1, &cfg, &d), 0);
	assert_true(cfg->mesh.present);
	ternd_mesh_opts_init(&o);
	assert_int_equal(
		ternd_mesh_opts_from_config(&o, &cfg->mesh, err, sizeof(err)),
		0);
	assert_int_equal(ternd_mesh_opts_check(&o, err, sizeof(err)), 0);
	assert_true(o.enabled);
	assert_int_equal(o.network, 0x0a74e000u);
	assert_int_equal(o.prefix_len, 20);
	assert_int_equal(o.block_pow, 2);
	assert_int_equal(o.spare_leases, 1);
	assert_true(o.skip_learning);
	assert_int_equal(o.tentative_ms, 500);
	assert_int_equal(o.block_timeout_ms, 4000);
	assert_true(o.has_node_id);
	assert_string_equal(o.server_iface, "bat0");
	assert_int_equal(o.n_opt_args, 1);
	ternd_config_free(cfg);
	cfg = NULL;
	memset(&d, 0, sizeof(d));
	assert_int_equal(ternd_config_load_buf(bad, sizeof(bad) - 1, &cfg, &d),
			 -EBADMSG);
	assert_int_equal(d.errors, 2);
	assert_null(cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_texts),
		cmocka_unit_test(test_feed),
		cmocka_unit_test(test_nesting_bounded),
		cmocka_unit_test(test_socket),
		cmocka_unit_test(test_builtin),
		cmocka_unit_test(test_config_write),
		cmocka_unit_test(test_option_syntax),
		cmocka_unit_test(test_mesh_flags),
		cmocka_unit_test(test_mesh_config_section),
		cmocka_unit_test(test_mesh_implied_config),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
