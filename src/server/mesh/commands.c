/* ternd mesh control commands: mesh-blocks, mesh-options, mesh-set-option,
 * mesh-remove-option. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <arpa/inet.h>
#include <json-c/json.h>

#include "server/control/control.h"
#include "server/mesh/commands.h"

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct json_object *hex_id(const uint8_t *id)
{
	char s[2 * TERND_MESH_NODE_ID_LEN + 1];

	for (size_t i = 0; i < TERND_MESH_NODE_ID_LEN; i++)
		snprintf(s + 2 * i, 3, "%02x", id[i]);
	return json_object_new_string(s);
}

static int cmd_blocks(void *ctx, struct json_object *args,
		      struct json_object **ret_args, char *text,
		      size_t text_len)
{
	struct ternd_mesh_node *n = ctx;
	const struct ternd_mesh *m = ternd_mesh_node_mesh(n);
	struct json_object *all = NULL, *arr, *out;
	int64_t now = mono_ms();
	size_t shown = 0;

	if (args)
		json_object_object_get_ex(args, "all", &all);
	arr = json_object_new_array();
	out = json_object_new_object();
	if (!arr || !out) {
		json_object_put(arr);
		json_object_put(out);
		return TERND_CTL_ERROR;
	}
	for (uint32_t i = 0; i < ternd_mesh_n_blocks(m); i++) {
		struct ternd_mesh_block_info bi;
		struct json_object *b;
		char ip[INET6_ADDRSTRLEN];
		struct in_addr a;
		uint32_t off, leased;

		if (ternd_mesh_block(m, i, &bi) < 0 ||
		    (bi.state == TERND_MESH_FREE &&
		     !json_object_get_boolean(all)))
			continue;
		ternd_mesh_node_block_usage(n, i, &off, &leased);
		b = json_object_new_object();
		if (!b)
			break;
		a.s_addr = htonl(bi.first);
		inet_ntop(AF_INET, &a, ip, sizeof(ip));
		json_object_object_add(b, "index", json_object_new_int64(i));
		json_object_object_add(b, "first", json_object_new_string(ip));
		json_object_object_add(
			b, "state",
			json_object_new_string(
				ternd_mesh_state_name(bi.state)));
		if (bi.state != TERND_MESH_FREE &&
		    bi.state != TERND_MESH_TENTATIVE)
			json_object_object_add(b, "owner", hex_id(bi.owner));
		if (bi.state == TERND_MESH_CLAIMED) {
			inet_ntop(AF_INET6, bi.owner_addr, ip, sizeof(ip));
			json_object_object_add(b, "owner-address",
					       json_object_new_string(ip));
		}
		json_object_object_add(
			b, "timeout",
			json_object_new_int64(
				bi.timeout_ms > now
					? (bi.timeout_ms - now + 999) / 1000
					: 0));
		json_object_object_add(b, "claims",
				       json_object_new_int(bi.inquiries));
		json_object_object_add(b, "offered",
				       json_object_new_int64(off));
		json_object_object_add(b, "leased",
				       json_object_new_int64(leased));
		json_object_object_add(b, "needless",
				       json_object_new_boolean(bi.needless));
		json_object_array_add(arr, b);
		shown++;
	}
	json_object_object_add(out, "blocks", arr);
	json_object_object_add(out, "blocksize",
			       json_object_new_int64(ternd_mesh_blocksize(m)));
	json_object_object_add(out, "learning",
			       json_object_new_boolean(ternd_mesh_learning(m)));
	*ret_args = out;
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

static int cmd_options(void *ctx, struct json_object *args,
		       struct json_object **ret_args, char *text,
		       size_t text_len)
{
	struct ternd_mesh_node *n = ctx;
	const struct ternd_option *v;
	size_t cnt = ternd_mesh_node_options(n, &v);
	struct json_object *arr = json_object_new_array();
	struct json_object *out = json_object_new_object();

	(void)args;
	if (!arr || !out) {
		json_object_put(arr);
		json_object_put(out);
		return TERND_CTL_ERROR;
	}
	for (size_t i = 0; i < cnt; i++) {
		struct json_object *o = json_object_new_object();
		char s[4 * 255 + 16];

		if (!o)
			break;
		opt_text(&v[i], s, sizeof(s));
		json_object_object_add(o, "code",
				       json_object_new_int(v[i].code));
		json_object_object_add(o, "len", json_object_new_int(v[i].len));
		json_object_object_add(o, "option", json_object_new_string(s));
		json_object_array_add(arr, o);
	}
	json_object_object_add(out, "options", arr);
	*ret_args = out;
	snprintf(text, text_len, "%zu options set at run time", cnt);
	return TERND_CTL_SUCCESS;
}

static int cmd_set_option(void *ctx, struct json_object *args,
			  struct json_object **ret_args, char *text,
			  size_t text_len)
{
	struct ternd_mesh_node *n = ctx;
	struct json_object *opt;
	uint8_t code, len, data[255];
	int r;

	(void)ret_args;
	if (!args || !json_object_object_get_ex(args, "option", &opt) ||
	    !json_object_is_type(opt, json_type_string) ||
	    ternd_mesh_opt_parse(json_object_get_string(opt), &code, &len,
				 data) < 0) {
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

static int cmd_remove_option(void *ctx, struct json_object *args,
			     struct json_object **ret_args, char *text,
			     size_t text_len)
{
	struct ternd_mesh_node *n = ctx;
	struct json_object *c;
	int64_t code;

	(void)ret_args;
	if (!args || !json_object_object_get_ex(args, "code", &c) ||
	    !json_object_is_type(c, json_type_int) ||
	    (code = json_object_get_int64(c)) < 0 || code > 255) {
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
