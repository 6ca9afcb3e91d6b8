/* Unit tests for ternd's control socket: request parsing, dispatch, answers,
 * limits, and a socket round trip. */
#include <errno.h>
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
#include "server/control/control.h"
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

/* The answer as JSON, with result and text checked. */
static struct tjson_doc *ask(struct ternd_control *c, const char *req,
			     int want_result)
{
	struct tjson_doc *o = NULL;
	const struct tjson *r;
	char *ans = NULL;

	assert_int_equal(ternd_control_handle(c, req, strlen(req), &ans), 0);
	assert_int_equal(tjson_parse(ans, strlen(ans), NULL, &o, NULL), 0);
	free(ans);
	r = tjson_get(o->root, "result");
	assert_non_null(r);
	assert_true(r->is_int);
	assert_int_equal(r->i, want_result);
	assert_non_null(tjson_get(o->root, "text"));
	return o;
}

static void test_dispatch(void **state)
{
	struct ternd_control *c = NULL;
	struct tjson_doc *o;
	const struct tjson *a, *v;
	int calls = 0;

	(void)state;
	assert_int_equal(ternd_control_new(&c), 0);
	assert_int_equal(ternd_control_add(c, "echo", echo, &calls), 0);
	assert_int_equal(ternd_control_add(c, "echo", echo, &calls), -EEXIST);
	o = ask(c, "{\"command\": \"echo\", \"arguments\": {\"x\": 5}}", 0);
	assert_non_null(a = tjson_get(o->root, "arguments"));
	assert_non_null(v = tjson_get(a, "x"));
	assert_int_equal(v->i, 5);
	tjson_doc_free(o);
	assert_int_equal(calls, 1);
	o = ask(c, "{\"command\": \"list-commands\"}", 0);
	assert_non_null(a = tjson_get(o->root, "arguments"));
	assert_int_equal(a->type, TJSON_ARRAY);
	assert_int_equal(a->n, 2);
	tjson_doc_free(o);
	tjson_doc_free(ask(c, "{\"command\": \"nope\"}", 2));
	tjson_doc_free(ask(c, "{\"command\": 7}", 1));
	tjson_doc_free(ask(c, "{\"arguments\": {}}", 1));
	tjson_doc_free(ask(c, "[1, 2]", 1));
	tjson_doc_free(ask(c, "{\"command\": \"echo\", \"arguments\": 3}", 1));
	tjson_doc_free(ask(c, "{\"command\": \"ec", 1));
	tjson_doc_free(ask(c, "", 1));
	assert_int_equal(calls, 1);
	ternd_control_free(c);
	ternd_control_free(NULL);
}

static void test_nesting_bounded(void **state)
{
	struct ternd_control *c = NULL;
	char *deep = malloc(20001);

	(void)state;
	assert_non_null(deep);
	memset(deep, '[', 20000);
	deep[20000] = '\0';
	assert_int_equal(ternd_control_new(&c), 0);
	tjson_doc_free(ask(c, deep, 1));
	ternd_control_free(c);
	free(deep);
}

static void test_socket_roundtrip(void **state)
{
	struct ternd_control *c = NULL;
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	const char *req = "{\"command\": \"list-commands\"}";
	char path[] = "/tmp/tern-ctl-XXXXXX", ans[4096];
	ssize_t n, got = 0;
	int fd;

	(void)state;
	assert_non_null(mkdtemp(path));
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/s", path);
	assert_int_equal(ternd_control_new(&c), 0);
	assert_int_equal(ternd_control_listen(c, sa.sun_path), 0);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	/* No EOF from the client: the answer comes once the JSON is whole. */
	assert_int_equal(write(fd, req, strlen(req)), (ssize_t)strlen(req));
	ternd_control_on_fd(c);
	while ((n = read(fd, ans + got, sizeof(ans) - 1 - (size_t)got)) > 0)
		got += n;
	ans[got] = '\0';
	assert_non_null(strstr(ans, "\"result\":0"));
	assert_non_null(strstr(ans, "list-commands"));
	close(fd);
	/* A client that never sends: served within the time limit. */
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ternd_control_on_fd(c);
	close(fd);
	ternd_control_free(c);
	assert_int_equal(access(sa.sun_path, F_OK), -1);
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
		cmocka_unit_test(test_dispatch),
		cmocka_unit_test(test_nesting_bounded),
		cmocka_unit_test(test_socket_roundtrip),
		cmocka_unit_test(test_option_syntax),
		cmocka_unit_test(test_mesh_flags),
		cmocka_unit_test(test_mesh_config_section),
		cmocka_unit_test(test_mesh_implied_config),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
