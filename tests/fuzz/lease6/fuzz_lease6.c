/* Fuzz target: bytes -> the lease6 commands (control/cmds_lease6*.c, their
 * argument readers and engine6/admin6.c). The first byte says whether the
 * store takes the change; the rest is one control command. Every command
 * gets one answer, a JSON map with a Kea result code; a store that refused
 * leaves the engine's table exactly as it was; the table never holds a
 * binding its own checks would refuse. */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/json.h"
#include "server/config/config.h"
#include "server/control/cmds_lease6.h"
#include "server/control/control.h"
#include "server/engine6/admin6.h"
#include "server/engine6/engine6.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char cfg_text[] =
	"{\"Dhcp6\": {\"preferred-lifetime\": 3000, \"valid-lifetime\": 3600,"
	" \"hooks-libraries\": [{\"library\": \"libdhcp_lease_cmds.so\"}],"
	" \"subnet6\": [{\"id\": 1, \"subnet\": \"2001:db8:1::/64\","
	"  \"pools\": [{\"pool\": \"2001:db8:1::100-2001:db8:1::1ff\"}],"
	"  \"pd-pools\": [{\"prefix\": \"2001:db8:8000::\", \"prefix-len\": "
	"48, \"delegated-len\": 56}]},"
	" {\"id\": 2, \"subnet\": \"2001:db8:2::/64\"}]}}";

static const uint8_t server_duid[] = {0, 2, 0, 0, 9, 0xbf, 1, 2};

struct fx {
	bool refuse;
	bool refused;
	struct ternd_engine6 *e;
};

static int commit(void *ctx, const struct ternd_change6 *v, size_t n)
{
	struct fx *f = ctx;

	(void)v;
	(void)n;
	if (f->refuse) {
		f->refused = true;
		return -EIO;
	}
	return 0;
}

/* An order-free digest of the table; every binding passes the checks. */
struct digest {
	uint64_t sum;
	size_t n;
	const struct ternd_engine6 *e;
};

static int digest_cb(void *ctx, const struct ternd_lease6 *l)
{
	struct digest *d = ctx;
	const uint8_t *p = (const uint8_t *)l;
	uint64_t h = 0xcbf29ce484222325ull;

	if (ternd_engine6_lease_check(d->e, l) < 0)
		abort();
	for (size_t i = 0; i < sizeof(*l); i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	d->sum += h;
	d->n++;
	return 0;
}

static struct digest table_digest(const struct ternd_engine6 *e)
{
	struct digest d = {0, 0, e};

	ternd_engine6_foreach(e, digest_cb, &d);
	return d;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ternd_config *cfg;
	static const char *seed[] = {
		"{\"command\": \"lease6-add\", \"arguments\": {\"ip-address\": "
		"\"2001:db8:1::150\", \"duid\": \"01:02\", \"iaid\": 1}}",
		"{\"command\": \"lease6-add\", \"arguments\": {\"ip-address\": "
		"\"2001:db8:8000:100::\", \"duid\": \"01:02\", \"iaid\": 2, "
		"\"type\": \"IA_PD\", \"prefix-len\": 56, \"subnet-id\": 1}}",
	};
	struct ternd_control *c = NULL;
	struct fx f = {0};
	struct ternd_lease6_cmds lc;
	struct tjson_doc *doc = NULL;
	const struct tjson *r;
	struct digest before, after;
	char *ans = NULL;
	int rc;

	if (!cfg) {
		struct ternd_diags *d = calloc(1, sizeof(*d));

		if (!d || ternd_config_load_buf(cfg_text, strlen(cfg_text),
						&cfg, d) < 0)
			abort();
		free(d);
	}
	if (size < 1)
		return 0;
	if (ternd_engine6_new(cfg, 8, server_duid, sizeof(server_duid), &f.e) <
		    0 ||
	    ternd_control_new(&c) < 0)
		abort();
	lc = (struct ternd_lease6_cmds){f.e, cfg, commit, &f};
	if (ternd_lease6_cmds_register(c, &lc) < 0)
		abort();
	/* Two bindings there first, for del, update, get and wipe. */
	for (size_t i = 0; i < 2; i++) {
		if (ternd_control_handle(c, seed[i], strlen(seed[i]), &ans) < 0)
			abort();
		free(ans);
		ans = NULL;
	}
	if (ternd_engine6_count(f.e) != 2)
		abort();
	f.refuse = data[0] & 1;
	before = table_digest(f.e);
	rc = ternd_control_handle(c, (const char *)data + 1, size - 1, &ans);
	after = table_digest(f.e);
	if (f.refused && (before.sum != after.sum || before.n != after.n))
		abort();
	if (rc >= 0) {
		if (tjson_parse(ans, strlen(ans), NULL, &doc, NULL) < 0)
			abort();
		r = tjson_get(doc->root, "result");
		if (doc->root->type != TJSON_OBJECT || !r || !r->is_int ||
		    r->i < 0 || r->i > 3)
			abort();
		/* A refused store is an error answer, never a success. */
		if (f.refused && r->i == 0)
			abort();
		tjson_doc_free(doc);
		free(ans);
	}
	ternd_control_free(c);
	ternd_engine6_free(f.e);
	return 0;
}
