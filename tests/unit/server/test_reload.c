/* Unit tests for ternd's reconfiguration parts without a daemon: the loader
 * from a request's tree, leases and offers moved into an engine built from
 * a new configuration, leases kept aside (orphans) until they expire. */
#include <arpa/inet.h>
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

#include <tern/dhcp4.h>

#include "common/json.h"
#include "server/config/config.h"
#include "server/engine4/engine.h"
#include "server/reload.h"
#include "server/store/committer.h"
#include "server/store/store.h"

#define IP(a, b, c, d)                                                    \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | \
	 (uint32_t)(d))
#define T0 1700000000

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

/* ---- the loader from a tree ------------------------------------------- */

static void load_tree_positions(void **state)
{
	static const char req[] =
		"{\"command\": \"config-set\", \"arguments\": {\"Dhcp4\": {\n"
		"  \"valid-lifetime\": 600,\n"
		"  \"subnet4\": [{\"id\": 1, \"subnet\": \"bogus\"}]}}}";
	static const char good[] =
		"{\"arguments\": {\"Dhcp4\": {\"subnet4\": [{\"id\": 4, "
		"\"subnet\": \"192.0.2.0/24\", \"pools\": [{\"pool\": "
		"\"192.0.2.10 - 192.0.2.20\"}]}]}}}";
	struct tjson_doc *doc = NULL;
	struct ternd_config *cfg = NULL;
	struct ternd_diags d;

	(void)state;
	assert_int_equal(tjson_parse(req, strlen(req), NULL, &doc, NULL), 0);
	memset(&d, 0, sizeof(d));
	assert_int_equal(ternd_config_load_tree(
				 tjson_get(doc->root, "arguments"), &cfg, &d),
			 -EBADMSG);
	assert_null(cfg);
	assert_true(d.errors >= 1);
	/* Where "bogus" is in the request's text. */
	assert_int_equal(d.v[0].line, 3);
	assert_int_equal(d.v[0].col, 35);
	assert_non_null(strstr(d.v[0].msg, "bogus"));
	tjson_doc_free(doc);

	assert_int_equal(tjson_parse(good, strlen(good), NULL, &doc, NULL), 0);
	memset(&d, 0, sizeof(d));
	assert_int_equal(ternd_config_load_tree(
				 tjson_get(doc->root, "arguments"), &cfg, &d),
			 0);
	tjson_doc_free(doc); /* the configuration keeps nothing of it */
	assert_int_equal(cfg->n_subnets, 1);
	assert_int_equal(cfg->subnets[0].id, 4);
	assert_int_equal(cfg->subnets[0].pools[0].first, IP(192, 0, 2, 10));
	ternd_config_free(cfg);
}

/* ---- leases across configurations --------------------------------------- */

static const char cfg_a[] =
	"{\"Dhcp4\": {\"interfaces-config\": {\"interfaces\": [\"eth0\"]},\n"
	" \"valid-lifetime\": 3600, \"authoritative\": true,\n"
	" \"subnet4\": [\n"
	"  {\"id\": 1, \"subnet\": \"192.0.2.0/24\",\n"
	"   \"pools\": [{\"pool\": \"192.0.2.100 - 192.0.2.199\"}]},\n"
	"  {\"id\": 2, \"subnet\": \"198.51.100.0/24\",\n"
	"   \"pools\": [{\"pool\": \"198.51.100.10 - 198.51.100.20\"}]},\n"
	"  {\"id\": 3, \"subnet\": \"203.0.113.0/24\",\n"
	"   \"pools\": [{\"pool\": \"203.0.113.10 - 203.0.113.20\"}]}]}}";
/* Subnet 2 renumbered to 5 over the same addresses, subnet 3 gone. */
static const char cfg_b[] =
	"{\"Dhcp4\": {\"interfaces-config\": {\"interfaces\": [\"eth0\"]},\n"
	" \"valid-lifetime\": 3600, \"authoritative\": true,\n"
	" \"subnet4\": [\n"
	"  {\"id\": 1, \"subnet\": \"192.0.2.0/24\",\n"
	"   \"pools\": [{\"pool\": \"192.0.2.100 - 192.0.2.199\"}]},\n"
	"  {\"id\": 5, \"subnet\": \"198.51.100.0/24\",\n"
	"   \"pools\": [{\"pool\": \"198.51.100.10 - 198.51.100.20\"}]}]}}";

static struct ternd_lease bound(uint32_t addr, uint32_t subnet, uint8_t mac,
				int64_t expire)
{
	struct ternd_lease l;

	memset(&l, 0, sizeof(l));
	l.addr = addr;
	l.subnet_id = subnet;
	l.state = TERND_LEASE_BOUND;
	l.htype = 1;
	l.hw_len = 6;
	l.hw[0] = 2;
	l.hw[5] = mac;
	l.valid_lifetime = 3600;
	l.cltt = expire - 3600;
	l.expire = expire;
	return l;
}

struct fx {
	const struct ternd_config *cfg;
	struct ternd_engine *e;
	struct ternd_hooks *hooks;
	struct ternd_ddns_sender *ddns;
	struct ternd_io *io;
	struct ternd_committer *committer;
	struct ternd_reload *r;
};

static void nop(void *ctx)
{
	(void)ctx;
}

static void fx_reload(struct fx *f)
{
	const struct ternd_reload_live live = {
		&f->cfg, &f->e, &f->hooks, &f->ddns, &f->io, &f->committer,
		67,	 NULL,	false,	   f,	     nop,    nop};

	assert_int_equal(ternd_reload_new(&live, &f->r), 0);
}

static int count_state(void *ctx, const struct ternd_lease *l)
{
	(void)l;
	(*(int *)ctx)++;
	return 0;
}

static void orphans_kept_and_held(void **state)
{
	struct ternd_config *a = load(cfg_a), *b = load(cfg_b);
	struct ternd_engine *ea = NULL, *eb = NULL;
	struct ternd_lease l1 = bound(IP(192, 0, 2, 100), 1, 1, T0 + 3600);
	struct ternd_lease l2 = bound(IP(198, 51, 100, 10), 2, 2, T0 + 1000);
	struct ternd_lease l3 = bound(IP(203, 0, 113, 10), 3, 3, T0 + 2000);
	const struct ternd_lease *got;
	struct fx f = {0};
	int64_t next = INT64_MAX;
	int n = 0;

	(void)state;
	assert_int_equal(ternd_engine_new(a, &ea), 0);
	assert_int_equal(ternd_engine_new(b, &eb), 0);
	f.cfg = b;
	f.e = eb;
	fx_reload(&f);
	assert_int_equal(ternd_engine_restore(ea, &l1, T0), 0);
	assert_int_equal(ternd_engine_restore(ea, &l2, T0), 0);
	assert_int_equal(ternd_engine_restore(ea, &l3, T0), 0);

	/* Move everything, as a swap does. */
	assert_int_equal(ternd_reload_restore(f.r, eb, b, &l1, T0), 0);
	assert_int_equal(ternd_reload_restore(f.r, eb, b, &l2, T0), 0);
	assert_int_equal(ternd_reload_restore(f.r, eb, b, &l3, T0), 0);
	got = ternd_engine_lease(eb, l1.addr);
	assert_non_null(got);
	assert_int_equal(got->state, TERND_LEASE_BOUND);
	assert_int_equal(got->hw[5], 1);
	/* Subnet 2's lease: kept aside, its address held in subnet 5 (no
	 * one is offered it) until the lease's end. */
	assert_int_equal(ternd_reload_orphans(f.r), 2);
	got = ternd_engine_lease(eb, l2.addr);
	assert_non_null(got);
	assert_int_equal(got->state, TERND_LEASE_DECLINED);
	assert_int_equal(got->subnet_id, 5);
	assert_int_equal(got->expire, l2.expire);
	/* Subnet 3's address is in no subnet now: nothing to hold. */
	assert_null(ternd_engine_lease(eb, l3.addr));
	assert_int_equal(ternd_engine_foreach(eb, count_state, &n), 0);
	assert_int_equal(n, 2);

	/* Not before they expire. */
	ternd_reload_expire(f.r, T0 + 999, &next);
	assert_int_equal(ternd_reload_orphans(f.r), 2);
	assert_int_equal(next, T0 + 1000);
	next = INT64_MAX;
	ternd_reload_expire(f.r, T0 + 1000, &next);
	assert_int_equal(ternd_reload_orphans(f.r), 1);
	assert_int_equal(next, T0 + 2000);
	next = INT64_MAX;
	ternd_reload_expire(f.r, T0 + 2000, &next);
	assert_int_equal(ternd_reload_orphans(f.r), 0);
	assert_int_equal(next, INT64_MAX);

	f.cfg = NULL; /* the reloader did not load it: not its to free */
	ternd_reload_free(f.r);
	ternd_engine_free(ea);
	ternd_engine_free(eb);
	ternd_config_free(a);
	ternd_config_free(b);
}

/*
 * An orphan whose address no subnet has any more is deleted from the store
 * when it expires (through the committer), not before; one whose address
 * the engine holds is left to the engine.
 */
static void orphan_deleted_at_expiry(void **state)
{
	struct ternd_config *a = load(cfg_a), *b = load(cfg_b);
	const struct ternd_store_ops *ops = ternd_store_backend("sqlite");
	struct ternd_lease l3 = bound(IP(203, 0, 113, 10), 3, 3, T0 + 2000);
	struct ternd_lease got;
	struct ternd_store *st = NULL;
	struct ternd_change ch = {.op = TERND_CHANGE_UPSERT};
	struct fx f = {0};
	char dir[] = "/tmp/test_reload.XXXXXX", path[64];
	int64_t next = INT64_MAX;
	uint64_t t;

	(void)state;
	assert_non_null(ops);
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/leases.sqlite", dir);
	assert_int_equal(ops->open(path, &st), 0);
	ch.lease = l3;
	assert_int_equal(ops->commit(st, &ch, 1), 0);
	assert_int_equal(ternd_committer_new(ops, st, 0, &f.committer), 0);
	assert_int_equal(ternd_engine_new(b, &f.e), 0);
	f.cfg = b;
	fx_reload(&f);
	assert_int_equal(ternd_reload_restore(f.r, f.e, b, &l3, T0), 0);
	assert_int_equal(ternd_reload_orphans(f.r), 1);

	ternd_reload_expire(f.r, T0 + 1999, &next);
	assert_int_equal(next, T0 + 2000);
	ternd_reload_expire(f.r, T0 + 2000, &next);
	assert_int_equal(ternd_reload_orphans(f.r), 0);
	assert_int_equal(ternd_committer_submit(f.committer, NULL, 0, &t), 0);
	assert_true(t > 0);
	assert_int_equal(ternd_committer_wait(f.committer, t), 0);
	assert_int_equal(ternd_committer_stop(f.committer), 0);
	assert_int_equal(ops->lookup(st, l3.addr, &got), -ENOENT);

	ternd_reload_free(f.r);
	ternd_committer_free(f.committer);
	ops->close(st);
	ternd_engine_free(f.e);
	unlink(path);
	rmdir(dir);
	ternd_config_free(a);
	ternd_config_free(b);
}

/* The file's tree at start, for config-get. */
static void source_of_file(void **state)
{
	char path[] = "/tmp/test_reload_src.XXXXXX";
	const struct ternd_config *cfg = NULL;
	const struct ternd_reload_live live = {.cfg = &cfg, .path = path};
	struct ternd_reload *r = NULL;
	const struct tjson *src;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, cfg_b, strlen(cfg_b)),
			 (ssize_t)strlen(cfg_b));
	close(fd);
	assert_int_equal(ternd_reload_new(&live, &r), 0);
	src = ternd_reload_source(r);
	assert_non_null(src);
	src = tjson_get(tjson_get(src, "Dhcp4"), "subnet4");
	assert_non_null(src);
	assert_int_equal(src->n, 2);
	ternd_reload_free(r);
	unlink(path);
}

/* ---- open offers and counters ------------------------------------------- */

static size_t discover(uint8_t mac, uint8_t *buf, size_t cap)
{
	struct tern_dhcp4_writer w;
	struct tern_dhcp4_hdr h;
	int n;

	tern_dhcp4_writer_init(&w, buf, cap, 0, 0);
	tern_dhcp4_put_msg_type(&w, TERN_DHCP4_DISCOVER);
	memset(&h, 0, sizeof(h));
	h.op = TERN_DHCP4_BOOTREQUEST;
	h.htype = 1;
	h.hlen = 6;
	h.xid = 0x2000u + mac;
	h.chaddr[0] = 0x02;
	h.chaddr[5] = mac;
	tern_dhcp4_write_header(&w, &h);
	n = tern_dhcp4_writer_finish(&w, true);
	assert_true(n > 0);
	return (size_t)n;
}

static uint32_t offer_to(struct ternd_engine *e, uint8_t mac)
{
	uint8_t req[600], out[1500];
	struct ternd_rx rx = {.ifindex = 1,
			      .ifname = "eth0",
			      .if_addr = IP(192, 0, 2, 1),
			      .src_port = 68,
			      .now = T0};
	struct ternd_tx tx = {.buf = out, .cap = sizeof(out)};
	struct ternd_change ch[8];
	struct tern_dhcp4_msg m;
	size_t n = 0;

	rx.buf = req;
	rx.len = discover(mac, req, sizeof(req));
	assert_int_equal(ternd_engine_handle(e, &rx, &tx, ch, 8, &n), 2);
	assert_true(tern_dhcp4_parse(&m, out, tx.len) >= 0);
	return ntohl(m.hdr.yiaddr.s_addr);
}

static void offers_and_counters_carried(void **state)
{
	struct ternd_config *a = load(cfg_a), *b = load(cfg_b);
	struct ternd_engine *ea = NULL, *eb = NULL;
	const struct ternd_lease *l;
	uint32_t x, y;

	(void)state;
	assert_int_equal(ternd_engine_new(a, &ea), 0);
	assert_int_equal(ternd_engine_new(b, &eb), 0);
	x = offer_to(ea, 7);
	assert_int_equal(ternd_engine_carry(eb, ea, T0), 0);
	l = ternd_engine_lease(eb, x);
	assert_non_null(l);
	assert_int_equal(l->state, TERND_LEASE_OFFERED);
	assert_int_equal(l->hw[5], 7);
	assert_int_equal(ternd_engine_stats(eb)->offers_open, 1);
	assert_int_equal(ternd_engine_stats(eb)->tx_offer, 1);
	assert_int_equal(ternd_engine_stats(eb)->rx[1], 1);
	/* Another client is not offered the same address; the first one is
	 * offered it again. */
	y = offer_to(eb, 8);
	assert_int_not_equal(x, y);
	assert_int_equal(offer_to(eb, 7), x);
	assert_int_equal(ternd_engine_stats(eb)->tx_offer, 3);
	ternd_engine_free(ea);
	ternd_engine_free(eb);
	ternd_config_free(a);
	ternd_config_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(load_tree_positions),
		cmocka_unit_test(orphans_kept_and_held),
		cmocka_unit_test(orphan_deleted_at_expiry),
		cmocka_unit_test(source_of_file),
		cmocka_unit_test(offers_and_counters_carried),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
