/* ternd mesh control commands: mesh-blocks, mesh-options, mesh-set-option,
 * mesh-remove-option. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <arpa/inet.h>

#include "common/clock.h"
#include "common/json.h"
#include "server/control/control.h"
#include "server/mesh/commands.h"

static struct tjson *hex_id(struct tjson_doc *out, const uint8_t *id)
{
	char s[2 * TERND_MESH_NODE_ID_LEN + 1];

	for (size_t i = 0; i < TERND_MESH_NODE_ID_LEN; i++)
		snprintf(s + 2 * i, 3, "%02x", id[i]);
	return tjson_new_string(out, s);
}

static int cmd_blocks(void *ctx, const struct tjson *args,
		      struct tjson_doc *out, struct tjson **ret_args,
		      char *text, size_t text_len)
{
	struct ternd_mesh_node *n = ctx;
	const struct ternd_mesh *m = ternd_mesh_node_mesh(n);
	const struct tjson *all = tjson_get(args, "all");
	bool show_free = all && all->type == TJSON_BOOL && all->b;
	struct tjson *arr = tjson_new_array(out);
	struct tjson *o = tjson_new_object(out);
	int64_t now = tern_mono_ms();
	size_t shown = 0;

	for (uint32_t i = 0; i < ternd_mesh_n_blocks(m) && !out->error; i++) {
		struct ternd_mesh_block_info bi;
		struct tjson *b;
		char ip[INET6_ADDRSTRLEN];
		struct in_addr a;
		uint32_t off, leased;

		if (ternd_mesh_block(m, i, &bi) < 0 ||
		    (bi.state == TERND_MESH_FREE && !show_free))
			continue;
		ternd_mesh_node_block_usage(n, i, &off, &leased);
		b = tjson_new_object(out);
		a.s_addr = htonl(bi.first);
		inet_ntop(AF_INET, &a, ip, sizeof(ip));
		tjson_add_int(out, b, "index", i);
		tjson_add_str(out, b, "first", ip);
		tjson_add_str(out, b, "state", ternd_mesh_state_name(bi.state));
		if (bi.state != TERND_MESH_FREE &&
		    bi.state != TERND_MESH_TENTATIVE)
			tjson_add(out, b, "owner", hex_id(out, bi.owner));
		if (bi.state == TERND_MESH_CLAIMED) {
			inet_ntop(AF_INET6, bi.owner_addr, ip, sizeof(ip));
			tjson_add_str(out, b, "owner-address", ip);
		}
		tjson_add_int(out, b, "timeout",
			      bi.timeout_ms > now
				      ? (bi.timeout_ms - now + 999) / 1000
				      : 0);
		tjson_add_int(out, b, "claims", bi.inquiries);
		tjson_add_int(out, b, "offered", off);
		tjson_add_int(out, b, "leased", leased);
		tjson_add_bool(out, b, "needless", bi.needless);
		tjson_append(out, arr, b);
		shown++;
	}
	tjson_add(out, o, "blocks", arr);
	tjson_add_int(out, o, "blocksize", ternd_mesh_blocksize(m));
	tjson_add_bool(out, o, "learning", ternd_mesh_learning(m));
	*ret_args = o;
	snprintf(text, text_len, "%zu blocks", shown);
	return TERND_CTL_SUCCESS;
}

/* An option back in ddhcpd's CODE:LEN:B1.B2... syntax. */
static void opt_text(const struct ternd_option *o, char *s, size_t len)
{
	size_t w = (size_t)snprintf(s, len, "%u:%u:", o->code, o->len);

	for (size_t i = 0; i < o->len && w < len; i++)
		w += (size_t)snprintf(s + w, len - w, i ? ".%u" : "%u",
				      o->data[i]);
}

static int cmd_options(void *ctx, const struct tjson *args,
		       struct tjson_doc *out, struct tjson **ret_args,
		       char *text, size_t text_len)
{
	struct ternd_mesh_node *n = ctx;
	const struct ternd_option *v;
	size_t cnt = ternd_mesh_node_options(n, &v);
	struct tjson *arr = tjson_new_array(out);
	struct tjson *o = tjson_new_object(out);

	(void)args;
	for (size_t i = 0; i < cnt; i++) {
		struct tjson *e = tjson_new_object(out);
		char s[4 * 255 + 16];

		opt_text(&v[i], s, sizeof(s));
		tjson_add_int(out, e, "code", v[i].code);
		tjson_add_int(out, e, "len", v[i].len);
		tjson_add_str(out, e, "option", s);
		tjson_append(out, arr, e);
	}
	tjson_add(out, o, "options", arr);
	*ret_args = o;
	snprintf(text, text_len, "%zu options set at run time", cnt);
	return TERND_CTL_SUCCESS;
}

static int cmd_set_option(void *ctx, const struct tjson *args,
			  struct tjson_doc *out, struct tjson **ret_args,
			  char *text, size_t text_len)
{
	struct ternd_mesh_node *n = ctx;
	const struct tjson *opt = tjson_get(args, "option");
	uint8_t code, len, data[255];
	int r;

	(void)out;
	(void)ret_args;
	if (!opt || opt->type != TJSON_STRING ||
	    ternd_mesh_opt_parse(opt->s, &code, &len, data) < 0) {
		snprintf(text, text_len,
			 "arguments need \"option\": \"CODE:LEN:B1.B2...\"");
		return TERND_CTL_ERROR;
	}
	r = ternd_mesh_node_set_option(n, code, len, data);
	if (r < 0) {
		snprintf(text, text_len, "option %u not set: %s", code,
			 r == -EPERM ? "the server builds it itself"
				     : strerror(-r));
		return TERND_CTL_ERROR;
	}
	snprintf(text, text_len, "option %u set", code);
	return TERND_CTL_SUCCESS;
}

static int cmd_remove_option(void *ctx, const struct tjson *args,
			     struct tjson_doc *out, struct tjson **ret_args,
			     char *text, size_t text_len)
{
	struct ternd_mesh_node *n = ctx;
	const struct tjson *c = tjson_get(args, "code");
	int64_t code;

	(void)out;
	(void)ret_args;
	if (!c || c->type != TJSON_NUMBER || !c->is_int || (code = c->i) < 0 ||
	    code > 255) {
		snprintf(text, text_len, "arguments need \"code\": 0..255");
		return TERND_CTL_ERROR;
	}
	if (ternd_mesh_node_remove_option(n, (uint8_t)code) < 0) {
		snprintf(text, text_len, "option %d is not set", (int)code);
		return TERND_CTL_EMPTY;
	}
	snprintf(text, text_len, "option %d removed", (int)code);
	return TERND_CTL_SUCCESS;
}

int ternd_mesh_control_register(struct ternd_mesh_node *n,
				struct ternd_control *c)
{
	int r;

	if ((r = ternd_control_add(c, "mesh-blocks", cmd_blocks, n)) < 0 ||
	    (r = ternd_control_add(c, "mesh-options", cmd_options, n)) < 0 ||
	    (r = ternd_control_add(c, "mesh-set-option", cmd_set_option, n)) <
		    0 ||
	    (r = ternd_control_add(c, "mesh-remove-option", cmd_remove_option,
				   n)) < 0)
		return r;
	return 0;
}
