/* Unit tests for ternd's statistics: the sample lists (limits, reset,
 * remove, Kea's timestamps), the engine's counting as Kea counts, the
 * statistic-* and stat-lease4-get commands' answers and texts, the
 * Prometheus text, and user-context.ternd.metrics in the configuration. */
#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <tern/dhcp4.h>

#include "common/json.h"
#include "server/config/config.h"
#include "server/control/control.h"
#include "server/engine4/engine.h"
#include "server/stats/internal.h"
#include "server/stats/stats.h"

#define IF_ADDR 0x0a000001u /* 10.0.0.1 */
#define T0	1795494566

/* ---- sample lists -------------------------------------------------------- */

static void test_time_text(void **state)
{
	char ts[80];

	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	tstat_time_text((int64_t)T0 * 1000000 + 55095, ts, sizeof(ts));
	assert_string_equal(ts, "2026-11-24 04:29:26.055095");
	setenv("TZ", "CET-1", 1); /* local time, as Kea's clockToText */
	tzset();
	tstat_time_text((int64_t)T0 * 1000000, ts, sizeof(ts));
	assert_string_equal(ts, "2026-11-24 05:29:26.000000");
	setenv("TZ", "UTC", 1);
	tzset();
}

static int64_t newest_v(const struct tstat *st)
{
	assert_non_null(tstat_newest(st));
	return tstat_newest(st)->v;
}

static void test_samples(void **state)
{
	struct tstat_table t = {.dflt_count = TSTAT_DEFAULT_COUNT};
	struct tstat st = {.present = true};
	struct tjson_doc *doc = NULL;
	struct tjson *j;

	(void)state;
	tstat_init_limits(&t, &st);
	/* A sample only when the value changed. */
	for (int i = 0; i < 30; i++)
		tstat_observe(&st, i / 2, 1000 + i);
	assert_int_equal(st.n, 15);
	assert_int_equal(newest_v(&st), 14);
	for (int i = 0; i < 30; i++)
		tstat_observe(&st, 100 + i, 2000 + i);
	assert_int_equal(st.n, TSTAT_DEFAULT_COUNT); /* Kea's 20 */
	/* Newest first, each [value, timestamp]. */
	assert_int_equal(tjson_doc_new(0, &doc), 0);
	j = tstat_json(doc, &st);
	assert_int_equal(j->n, 20);
	assert_int_equal(j->child->child->i, 129);
	assert_int_equal(j->last->child->i, 110);
	assert_int_equal(j->child->last->type, TJSON_STRING);
	tjson_doc_free(doc);
	/* count-set trims at once */
	tstat_set_count(&st, 3);
	assert_int_equal(st.n, 3);
	assert_int_equal(newest_v(&st), 129);
	tstat_observe(&st, 7, 3000);
	assert_int_equal(st.n, 3);
	/* age-set: samples older than the newest by more than the age go */
	tstat_set_age(&st, 1000);
	assert_int_equal(st.n, 3); /* 2028, 2029, 3000: within 1000 us */
	tstat_observe(&st, 8, 3500);
	assert_int_equal(st.n, 2); /* 3000, 3500 */
	tstat_observe(&st, 9, 4000);
	assert_int_equal(st.n, 3); /* 3000 is exactly 1000 older: kept */
	tstat_observe(&st, 10, 4600);
	assert_int_equal(st.n, 2); /* 4000, 4600 */
	tstat_observe(&st, 11, 5000);
	assert_int_equal(st.n, 3); /* 4000 .. 5000 */
	/* reset: one sample, 0, the base moved to the source's value */
	tstat_reset(&st, 42, 6000);
	assert_int_equal(st.n, 1);
	assert_int_equal(newest_v(&st), 0);
	assert_int_equal(st.base, 42);
	/* remove: gone until the value changes again */
	tstat_remove(&st, 50);
	assert_false(st.present);
	tstat_observe(&st, 0, 7000);
	assert_false(st.present);
	tstat_observe(&st, -1, 7100); /* a gauge decremented: Kea makes it -1 */
	assert_true(st.present);
	assert_int_equal(st.n, 1);
	assert_int_equal(newest_v(&st), -1);
	tstat_free_samples(&st);
}

/* Limits a client sets cannot make memory grow without bound. */
static void test_samples_bounded(void **state)
{
	struct tstat st = {.present = true};

	(void)state;
	tstat_set_count(&st, UINT32_MAX);
	for (int i = 0; i < TSTAT_SAMPLES_MAX + 100; i++)
		tstat_observe(&st, i, i);
	assert_int_equal(st.n, TSTAT_SAMPLES_MAX);
	assert_true(st.cap <= TSTAT_SAMPLES_MAX);
	tstat_free_samples(&st);
}

/* ---- a server: config, engine, statistics, control ------------------------
 */

static const char base_cfg[] =
	"{\"Dhcp4\": {\"valid-lifetime\": 100, \"decline-probation-period\": "
	"50, \"hooks-libraries\": [{\"library\": "
	"\"/usr/lib/x86_64-linux-gnu/kea/hooks/libdhcp_stat_cmds.so\"}],"
	" \"subnet4\": [{\"id\": 1, \"subnet\": \"10.0.0.0/24\","
	" \"pools\": [{\"pool\": \"10.0.0.10 - 10.0.0.19\"}],"
	" \"reservations\": [{\"hw-address\": \"02:00:00:00:00:09\","
	" \"ip-address\": \"10.0.0.15\"}]},"
	" {\"id\": 7, \"subnet\": \"10.7.0.0/24\", \"relay\": "
	"{\"ip-addresses\":"
	" [\"10.7.0.1\"]}, \"pools\": [{\"pool\": \"10.7.0.10 - "
	"10.7.0.10\"}]}]}}";

/* The server identifier the next REQUEST names (0: ours). */
static uint32_t next_sid;

struct fx {
	struct ternd_config *cfg;
	struct ternd_engine *e;
	struct ternd_control *ctl;
	struct ternd_stats *s;
	int64_t now;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct ternd_diags d = {0};

	assert_non_null(f);
	assert_int_equal(
		ternd_config_load_buf(base_cfg, strlen(base_cfg), &f->cfg, &d),
		0);
	assert_int_equal(ternd_engine_new(f->cfg, &f->e), 0);
	assert_int_equal(ternd_control_new(&f->ctl), 0);
	assert_int_equal(ternd_stats_start(f->cfg, f->e, NULL, f->ctl, &f->s),
			 0);
	f->now = T0;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	ternd_stats_free(f->s);
	ternd_control_free(f->ctl);
	ternd_engine_free(f->e);
	ternd_config_free(f->cfg);
	free(f);
	return 0;
}

/* A request of type from 02:00:00:00:00:mac; the engine's verdict. */
static int pkt(struct fx *f, uint8_t type, uint8_t mac, uint32_t reqip,
	       uint32_t ciaddr, uint32_t giaddr, uint32_t *ret_yiaddr)
{
	uint8_t buf[600], out[1500];
	struct tern_dhcp4_writer w;
	struct tern_dhcp4_hdr h = {.op = 1, .htype = 1, .hlen = 6};
	struct ternd_change ch[8];
	struct ternd_tx tx = {.buf = out, .cap = sizeof(out)};
	struct ternd_rx rx = {0};
	struct tern_dhcp4_msg m;
	struct in_addr a;
	size_t n;
	int len, rc;

	tern_dhcp4_writer_init(&w, buf, sizeof(buf), 0, 0);
	tern_dhcp4_put_msg_type(&w, type);
	if (reqip) {
		a.s_addr = htonl(reqip);
		tern_dhcp4_put_addr(&w, TERN_DHCP4_OPT_REQUESTED_IP, a);
	}
	if (type == TERN_DHCP4_REQUEST || type == TERN_DHCP4_DECLINE ||
	    type == TERN_DHCP4_RELEASE) {
		a.s_addr = htonl(next_sid ? next_sid : IF_ADDR);
		next_sid = 0;
		tern_dhcp4_put_addr(&w, TERN_DHCP4_OPT_SERVER_ID, a);
	}
	h.xid = mac;
	h.chaddr[0] = 0x02;
	h.chaddr[5] = mac;
	h.ciaddr.s_addr = htonl(ciaddr);
	h.giaddr.s_addr = htonl(giaddr);
	tern_dhcp4_write_header(&w, &h);
	len = tern_dhcp4_writer_finish(&w, true);
	assert_true(len > 0);
	rx.buf = buf;
	rx.len = (size_t)len;
	rx.ifindex = 2;
	rx.ifname = "eth0";
	rx.if_addr = IF_ADDR;
	rx.src_port = 68;
	rx.now = f->now;
	rc = ternd_engine_handle(f->e, &rx, &tx, ch, 8, &n);
	if (rc > 0 && ret_yiaddr) {
		assert_true(tern_dhcp4_parse(&m, out, tx.len) >= 0);
		*ret_yiaddr = ntohl(m.hdr.yiaddr.s_addr);
	}
	return rc;
}

/* DISCOVER, REQUEST: the address bound. */
static uint32_t dora(struct fx *f, uint8_t mac)
{
	uint32_t yi = 0, y2 = 0;

	assert_int_equal(pkt(f, TERN_DHCP4_DISCOVER, mac, 0, 0, 0, &yi),
			 TERN_DHCP4_OFFER);
	assert_int_equal(pkt(f, TERN_DHCP4_REQUEST, mac, yi, 0, 0, &y2),
			 TERN_DHCP4_ACK);
	assert_int_equal(yi, y2);
	return yi;
}

static struct tjson_doc *ask(struct fx *f, const char *req, int want)
{
	struct tjson_doc *o = NULL;
	char *ans = NULL;

	assert_int_equal(ternd_control_handle(f->ctl, req, strlen(req), &ans),
			 0);
	assert_int_equal(tjson_parse(ans, strlen(ans), NULL, &o, NULL), 0);
	free(ans);
	assert_int_equal(tjson_get(o->root, "result")->i, want);
	return o;
}

/* The newest value of a statistic; INT64_MIN when it does not exist. */
static int64_t val(struct fx *f, const char *name)
{
	char req[200];
	struct tjson_doc *o;
	const struct tjson *s;
	int64_t v = INT64_MIN;

	snprintf(req, sizeof(req),
		 "{\"command\":\"statistic-get\",\"arguments\":{\"name\":\"%"
		 "s\"}}",
		 name);
	o = ask(f, req, 0);
	s = tjson_get(tjson_get(o->root, "arguments"), name);
	if (s)
		v = s->child->child->i;
	tjson_doc_free(o);
	return v;
}

static void expect_text(struct fx *f, const char *req, int result,
			const char *text)
{
	struct tjson_doc *o = ask(f, req, result);

	assert_string_equal(tjson_get(o->root, "text")->s, text);
	tjson_doc_free(o);
}

static void expire(struct fx *f)
{
	struct ternd_change ch[64];
	int64_t next;

	ternd_engine_expire(f->e, f->now, ch, 64, &next);
}

/* The spec's sequence: assigned counts at REQUEST->ACK, a DECLINE does not
 * decrement it, RELEASE and reclaim do, a recovered declined address
 * counts in both reclaimed counters. */
static void test_engine_counting(void **state)
{
	struct fx *f = *state;
	uint32_t a1, a2, a3;

	assert_int_equal(val(f, "subnet[1].total-addresses"), 10);
	assert_int_equal(val(f, "subnet[7].total-addresses"), 1);
	assert_int_equal(val(f, "pkt4-received"), 0);
	a1 = dora(f, 1);
	assert_int_equal(val(f, "subnet[1].assigned-addresses"), 1);
	a2 = dora(f, 2);
	/* a renewal is no new assignment */
	assert_int_equal(pkt(f, TERN_DHCP4_REQUEST, 2, 0, a2, 0, NULL),
			 TERN_DHCP4_ACK);
	assert_int_equal(val(f, "subnet[1].assigned-addresses"), 2);
	assert_int_equal(val(f, "subnet[1].cumulative-assigned-addresses"), 2);
	assert_int_equal(val(f, "cumulative-assigned-addresses"), 2);
	assert_int_equal(val(f, "pkt4-discover-received"), 2);
	assert_int_equal(val(f, "pkt4-request-received"), 3);
	assert_int_equal(val(f, "pkt4-received"), 5);

	/* DECLINE: declined +1, assigned unchanged */
	assert_int_equal(pkt(f, TERN_DHCP4_DECLINE, 1, a1, 0, 0, NULL), 0);
	assert_int_equal(val(f, "subnet[1].assigned-addresses"), 2);
	assert_int_equal(val(f, "subnet[1].declined-addresses"), 1);
	assert_int_equal(val(f, "declined-addresses"), 1);
	assert_int_equal(val(f, "pkt4-decline-received"), 1);

	/* RELEASE: assigned -1, nothing reclaimed */
	assert_int_equal(pkt(f, TERN_DHCP4_RELEASE, 2, 0, a2, 0, NULL), 0);
	assert_int_equal(val(f, "subnet[1].assigned-addresses"), 1);
	assert_int_equal(val(f, "pkt4-release-received"), 1);
	assert_int_equal(val(f, "reclaimed-leases"), 0);

	/* a lease that runs out is reclaimed */
	a3 = dora(f, 3);
	assert_int_not_equal(a3, 0);
	assert_int_equal(val(f, "subnet[1].assigned-addresses"), 2);
	f->now += 60; /* past the probation (50 s), not the lease (100 s) */
	expire(f);
	assert_int_equal(val(f, "subnet[1].declined-addresses"), 0);
	assert_int_equal(val(f, "declined-addresses"), 0);
	assert_int_equal(val(f, "reclaimed-declined-addresses"), 1);
	assert_int_equal(val(f, "subnet[1].reclaimed-declined-addresses"), 1);
	assert_int_equal(val(f, "reclaimed-leases"), 1); /* in both */
	assert_int_equal(val(f, "subnet[1].assigned-addresses"), 1);
	f->now += 100;
	expire(f);
	assert_int_equal(val(f, "subnet[1].assigned-addresses"), 0);
	assert_int_equal(val(f, "reclaimed-leases"), 2);
	assert_int_equal(val(f, "subnet[1].reclaimed-leases"), 2);
	assert_int_equal(val(f, "subnet[1].cumulative-assigned-addresses"), 3);
}

static void test_engine_drops_and_failures(void **state)
{
	struct fx *f = *state;
	uint32_t yi = 0;

	/* server messages are counted by type, and dropped */
	assert_true(pkt(f, TERN_DHCP4_OFFER, 1, 0, 0, 0, NULL) < 0);
	assert_true(pkt(f, TERN_DHCP4_NAK, 1, 0, 0, 0, NULL) < 0);
	assert_true(pkt(f, 42, 1, 0, 0, 0, NULL) < 0); /* unknown type */
	assert_int_equal(val(f, "pkt4-offer-received"), 1);
	assert_int_equal(val(f, "pkt4-nak-received"), 1);
	assert_int_equal(val(f, "pkt4-unknown-received"), 1);
	assert_int_equal(val(f, "pkt4-receive-drop"), 3);
	assert_int_equal(val(f, "pkt4-received"), 3);
	/* a REQUEST for another server: dropped */
	next_sid = 0x0a070001u;
	assert_int_equal(
		pkt(f, TERN_DHCP4_REQUEST, 5, 0x0a00000a, 0, 0x0a070001u, NULL),
		0);
	/* subnet 7 (one address): the second client finds none */
	assert_int_equal(pkt(f, TERN_DHCP4_DISCOVER, 5, 0, 0, 0x0a070001u, &yi),
			 TERN_DHCP4_OFFER);
	assert_int_equal(
		pkt(f, TERN_DHCP4_REQUEST, 5, yi, 0, 0x0a070001u, NULL),
		TERN_DHCP4_ACK);
	assert_int_equal(val(f, "pkt4-receive-drop"), 4);
	assert_int_equal(val(f, "subnet[7].v4-allocation-fail"), INT64_MIN);
	assert_true(pkt(f, TERN_DHCP4_DISCOVER, 6, 0, 0, 0x0a070001u, NULL) <
		    0);
	assert_int_equal(val(f, "v4-allocation-fail"), 1);
	assert_int_equal(val(f, "v4-allocation-fail-subnet"), 1);
	assert_int_equal(val(f, "v4-allocation-fail-shared-network"), 0);
	/* made at the first failure, as Kea does */
	assert_int_equal(val(f, "subnet[7].v4-allocation-fail"), 1);
	assert_int_equal(val(f, "subnet[7].v4-allocation-fail-subnet"), 1);
	assert_int_equal(val(f, "subnet[7].v4-allocation-fail-no-pools"),
			 INT64_MIN);
	/* 02:..:09's reserved 10.0.0.15, held by another client (a lease
	 * from before the reservation): Kea's reservation conflict */
	{
		struct ternd_lease l = {.addr = 0x0a00000f,
					.subnet_id = 1,
					.state = TERND_LEASE_BOUND,
					.htype = 1,
					.hw_len = 6,
					.hw = {0x02, 0, 0, 0, 0, 0x77},
					.valid_lifetime = 100,
					.cltt = f->now,
					.expire = f->now + 100};

		assert_int_equal(ternd_engine_restore(f->e, &l, f->now), 0);
	}
	assert_int_equal(val(f, "v4-reservation-conflicts"), 0);
	assert_int_equal(pkt(f, TERN_DHCP4_DISCOVER, 9, 0, 0, 0, &yi),
			 TERN_DHCP4_OFFER);
	assert_int_not_equal(yi, 0x0a00000f);
	assert_int_equal(val(f, "v4-reservation-conflicts"), 1);
	assert_int_equal(val(f, "subnet[1].v4-reservation-conflicts"), 1);
	/* the restored lease counts as assigned, as Kea's recount does */
	assert_int_equal(val(f, "subnet[1].assigned-addresses"), 1);
}

static void test_commands(void **state)
{
	struct fx *f = *state;
	struct tjson_doc *o;
	const struct tjson *a;

	dora(f, 1);
	/* statistic-get: an unknown name is an empty map, not an error */
	o = ask(f,
		"{\"command\":\"statistic-get\",\"arguments\":{\"name\":\"x\"}"
		"}",
		0);
	a = tjson_get(o->root, "arguments");
	assert_int_equal(a->type, TJSON_OBJECT);
	assert_int_equal(a->n, 0);
	tjson_doc_free(o);
	expect_text(f, "{\"command\":\"statistic-get\"}", 1,
		    "Missing mandatory 'name' parameter.");
	expect_text(
		f, "{\"command\":\"statistic-get\",\"arguments\":{\"name\":1}}",
		1, "'name' parameter expected to be a string.");
	/* get-all: Kea's order (bytewise by name) */
	o = ask(f, "{\"command\":\"statistic-get-all\"}", 0);
	a = tjson_get(o->root, "arguments");
	assert_int_equal(a->n, 26 + 2 * 7);
	assert_string_equal(a->child->key, "cumulative-assigned-addresses");
	for (const struct tjson *m = a->child; m && m->next; m = m->next)
		assert_true(strcmp(m->key, m->next->key) < 0);
	tjson_doc_free(o);

	expect_text(f,
		    "{\"command\":\"statistic-reset\",\"arguments\":{\"name\":"
		    "\"pkt4-received\"}}",
		    0, "Statistic 'pkt4-received' reset.");
	assert_int_equal(val(f, "pkt4-received"), 0);
	dora(f, 2);
	assert_int_equal(val(f, "pkt4-received"), 2);
	expect_text(f,
		    "{\"command\":\"statistic-reset\",\"arguments\":{\"name\":"
		    "\"nope\"}}",
		    1, "No 'nope' statistic found");
	expect_text(f,
		    "{\"command\":\"statistic-remove\",\"arguments\":{\"name\":"
		    "\"pkt4-nak-received\"}}",
		    0, "Statistic 'pkt4-nak-received' removed.");
	expect_text(f,
		    "{\"command\":\"statistic-remove\",\"arguments\":{\"name\":"
		    "\"pkt4-nak-received\"}}",
		    1, "No 'pkt4-nak-received' statistic found");
	expect_text(f,
		    "{\"command\":\"statistic-sample-age-set\",\"arguments\":{"
		    "\"name\":\"pkt4-received\",\"duration\":1245}}",
		    0, "Statistic 'pkt4-received' duration limit is set.");
	expect_text(f,
		    "{\"command\":\"statistic-sample-age-set\",\"arguments\":{"
		    "\"name\":\"pkt4-received\"}}",
		    1, "Missing mandatory 'duration' parameter.");
	expect_text(f,
		    "{\"command\":\"statistic-sample-count-set\",\"arguments\":"
		    "{\"name\":\"pkt4-sent\",\"max-samples\":3}}",
		    0, "Statistic 'pkt4-sent' count limit is set.");
	expect_text(f,
		    "{\"command\":\"statistic-sample-count-set\",\"arguments\":"
		    "{\"name\":\"pkt4-sent\",\"max-samples\":\"3\"}}",
		    1, "'max-samples' parameter expected to be an integer.");
	expect_text(f,
		    "{\"command\":\"statistic-sample-count-set\",\"arguments\":"
		    "{\"name\":\"pkt4-sent\"}}",
		    1, "Missing mandatory 'max-samples' parameter.");
	expect_text(
		f,
		"{\"command\":\"statistic-sample-age-set-all\",\"arguments\""
		":{\"duration\":5}}",
		0, "All statistics duration limit are set.");
	expect_text(f,
		    "{\"command\":\"statistic-sample-count-set-all\","
		    "\"arguments\":{\"max-samples\":0}}",
		    1, "'max-samples' parameter must not be zero");
	expect_text(f,
		    "{\"command\":\"statistic-sample-count-set-all\","
		    "\"arguments\":{\"max-samples\":2}}",
		    0, "All statistics count limit are set.");
	expect_text(f, "{\"command\":\"statistic-reset-all\"}", 0,
		    "All statistics reset to neutral values.");
	/* each statistic then has the single sample [0, ts]... */
	o = ask(f, "{\"command\":\"statistic-get-all\"}", 0);
	for (const struct tjson *m = tjson_get(o->root, "arguments")->child; m;
	     m = m->next) {
		assert_int_equal(m->n, 1);
		assert_int_equal(m->child->child->i, 0);
	}
	tjson_doc_free(o);
	/* ...and counting goes on from 0 */
	dora(f, 3);
	assert_int_equal(val(f, "subnet[1].assigned-addresses"), 1);
	expect_text(f, "{\"command\":\"statistic-remove-all\"}", 0,
		    "Warning: statistic-remove-all command is deprecated. All "
		    "statistics removed.");
	o = ask(f, "{\"command\":\"statistic-get-all\"}", 0);
	assert_int_equal(tjson_get(o->root, "arguments")->n, 0);
	tjson_doc_free(o);
	/* a removed statistic comes back at its next change */
	dora(f, 4);
	assert_int_equal(val(f, "pkt4-received"), 2);
	assert_int_equal(val(f, "subnet[1].total-addresses"), INT64_MIN);
}

static void test_stat_lease4_get(void **state)
{
	struct fx *f = *state;
	struct tjson_doc *o;
	const struct tjson *rs, *row;
	uint32_t a1;

	a1 = dora(f, 1);
	dora(f, 2);
	assert_int_equal(pkt(f, TERN_DHCP4_DECLINE, 1, a1, 0, 0, NULL), 0);
	o = ask(f, "{\"command\":\"stat-lease4-get\"}", 0);
	assert_string_equal(tjson_get(o->root, "text")->s,
			    "stat-lease4-get[all subnets]: 2 rows found");
	rs = tjson_get(tjson_get(o->root, "arguments"), "result-set");
	assert_int_equal(tjson_get(rs, "columns")->n, 5);
	assert_string_equal(tjson_get(rs, "columns")->child->s, "subnet-id");
	row = tjson_get(rs, "rows")->child;
	/* [id, total, cumulative, assigned (state default), declined] */
	{
		const int64_t want[] = {1, 10, 2, 1, 1};
		const struct tjson *c = row->child;

		for (size_t i = 0; i < 5; i++, c = c->next)
			assert_int_equal(c->i, want[i]);
	}
	assert_int_equal(row->next->child->i, 7);
	tjson_doc_free(o);
	expect_text(f,
		    "{\"command\":\"stat-lease4-get\",\"arguments\":{\"subnet-"
		    "id\":7}}",
		    0, "stat-lease4-get[subnet-id=7]: 1 rows found");
	expect_text(f,
		    "{\"command\":\"stat-lease4-get\",\"arguments\":{\"subnet-"
		    "range\":{\"first-subnet-id\":1,\"last-subnet-id\":5}}}",
		    0, "stat-lease4-get[subnets 1 through 5]: 1 rows found");
	expect_text(
		f,
		"{\"command\":\"stat-lease4-get\",\"arguments\":{\"subnet-"
		"id\":9}}",
		3,
		"stat-lease4-get[subnet-id=9]: no matching data, subnet-id: "
		"9 does not exist");
	expect_text(f,
		    "{\"command\":\"stat-lease4-get\",\"arguments\":{\"subnet-"
		    "range\":{\"first-subnet-id\":2,\"last-subnet-id\":5}}}",
		    3,
		    "stat-lease4-get[subnets 2 through 5]: no matching data, "
		    "selected ID range: 2 through 5 includes no known subnets");
	expect_text(f,
		    "{\"command\":\"stat-lease4-get\",\"arguments\":{\"subnet-"
		    "id\":0}}",
		    1, "'subnet-id' parameter must be > 0");
	expect_text(f,
		    "{\"command\":\"stat-lease4-get\",\"arguments\":{\"subnet-"
		    "id\":1,\"subnet-range\":{}}}",
		    1, "cannot specify both subnet-id and subnet-range");
	expect_text(f,
		    "{\"command\":\"stat-lease4-get\",\"arguments\":{\"subnet-"
		    "range\":{\"first-subnet-id\":5,\"last-subnet-id\":1}}}",
		    1,
		    "'last-subnet-id' must be greater than 'first-subnet-id'");
}

/* Without libdhcp_stat_cmds, stat-lease4-get is not a command. */
static void test_no_stat_cmds(void **state)
{
	static const char cfg_text[] =
		"{\"Dhcp4\": {\"subnet4\": [{\"id\": 1, \"subnet\": "
		"\"10.0.0.0/24\"}]}}";
	struct ternd_config *cfg = NULL;
	struct ternd_engine *e = NULL;
	struct ternd_control *c = NULL;
	struct ternd_stats *s = NULL;
	struct ternd_diags d = {0};
	char *ans = NULL;
	const char *req = "{\"command\":\"stat-lease4-get\"}";

	(void)state;
	assert_int_equal(
		ternd_config_load_buf(cfg_text, strlen(cfg_text), &cfg, &d), 0);
	assert_int_equal(ternd_engine_new(cfg, &e), 0);
	assert_int_equal(ternd_control_new(&c), 0);
	assert_int_equal(ternd_stats_start(cfg, e, NULL, c, &s), 0);
	assert_int_equal(ternd_control_handle(c, req, strlen(req), &ans), 0);
	assert_non_null(strstr(ans, "\"result\": 2"));
	free(ans);
	ternd_stats_free(s);
	ternd_control_free(c);
	ternd_engine_free(e);
	ternd_config_free(cfg);
}

/* A new configuration and engine: globals go on, subnets start again. */
static void test_reconfigure(void **state)
{
	struct fx *f = *state;
	struct ternd_config *cfg2 = NULL;
	struct ternd_engine *e2 = NULL;
	struct ternd_diags d = {0};

	dora(f, 1);
	dora(f, 2);
	assert_int_equal(val(f, "pkt4-received"), 4);
	assert_int_equal(
		ternd_config_load_buf(base_cfg, strlen(base_cfg), &cfg2, &d),
		0);
	assert_int_equal(ternd_engine_new(cfg2, &e2), 0);
	/* as reload.c does: the engine's packet counters go over */
	assert_int_equal(ternd_engine_carry(e2, f->e, f->now), 0);
	assert_int_equal(ternd_stats_reconfigure(f->s, cfg2, e2, NULL), 0);
	ternd_engine_free(f->e);
	ternd_config_free(f->cfg);
	f->e = e2;
	f->cfg = cfg2;
	assert_int_equal(val(f, "pkt4-received"), 4);
	assert_int_equal(val(f, "cumulative-assigned-addresses"), 2);
	assert_int_equal(val(f, "subnet[1].cumulative-assigned-addresses"), 0);
	dora(f, 3);
	assert_int_equal(val(f, "pkt4-received"), 6);
	assert_int_equal(val(f, "cumulative-assigned-addresses"), 3);
}

/* statistic-default-sample-count / -age from the configuration. */
static void test_config_limits(void **state)
{
	static const char by_count[] =
		"{\"Dhcp4\": {\"statistic-default-sample-count\": 2, "
		"\"subnet4\": [{\"id\": 1, \"subnet\": \"10.0.0.0/24\", "
		"\"pools\": [{\"pool\": \"10.0.0.10 - 10.0.0.19\"}]}]}}";
	static const char by_age[] =
		"{\"Dhcp4\": {\"statistic-default-sample-count\": 0, "
		"\"statistic-default-sample-age\": 30, \"subnet4\": []}}";
	struct ternd_config *cfg = NULL;
	struct ternd_diags d = {0};
	struct fx f = {0};
	struct tjson_doc *o;

	(void)state;
	assert_int_equal(
		ternd_config_load_buf(by_count, strlen(by_count), &f.cfg, &d),
		0);
	assert_int_equal(d.warnings, 0);
	assert_int_equal(f.cfg->stats_sample_count, 2);
	assert_int_equal(ternd_engine_new(f.cfg, &f.e), 0);
	assert_int_equal(ternd_control_new(&f.ctl), 0);
	assert_int_equal(ternd_stats_start(f.cfg, f.e, NULL, f.ctl, &f.s), 0);
	f.now = T0;
	for (uint8_t mac = 1; mac <= 4; mac++)
		dora(&f, mac);
	o = ask(&f,
		"{\"command\":\"statistic-get\",\"arguments\":{\"name\":"
		"\"pkt4-received\"}}",
		0);
	assert_int_equal(
		tjson_get(tjson_get(o->root, "arguments"), "pkt4-received")->n,
		2);
	tjson_doc_free(o);
	ternd_stats_free(f.s);
	ternd_control_free(f.ctl);
	ternd_engine_free(f.e);
	ternd_config_free(f.cfg);

	assert_int_equal(
		ternd_config_load_buf(by_age, strlen(by_age), &cfg, &d), 0);
	assert_int_equal(cfg->stats_sample_count, 0);
	assert_int_equal(cfg->stats_sample_age, 30);
	{
		struct ternd_engine *e = NULL;
		struct ternd_stats *s = NULL;
		struct tstat *st;

		assert_int_equal(ternd_engine_new(cfg, &e), 0);
		assert_int_equal(ternd_stats_start(cfg, e, NULL, NULL, &s), 0);
		st = tstat_find(&s->t, "pkt4-received");
		assert_non_null(st);
		assert_true(st->by_age);
		assert_int_equal(st->max_age_us, 30 * 1000000LL);
		ternd_stats_free(s);
		ternd_engine_free(e);
	}
	ternd_config_free(cfg);
}

/* ---- Prometheus text ---------------------------------------------------- */

static void test_render(void **state)
{
	const struct tmetric_point p[] = {
		{.v = 5, .family = FAM_PKT_SENT, .op = 1},
		{.v = 3,
		 .family = FAM_S_ASSIGNED,
		 .subnet_id = 1,
		 .network = 0xc0000200,
		 .prefix_len = 24},
		{.v = 7, .family = FAM_PKT_SENT, .op = 6},
		{.v = 9, .family = FAM_G_RECLAIMED},
	};
	char *text = NULL;
	size_t len = 0;

	(void)state;
	assert_int_equal(tmetrics_render(p, 4, &text, &len), 0);
	assert_int_equal(strlen(text), len);
	assert_string_equal(
		text,
		"# HELP kea_dhcp4_packets_sent_total Packets sent\n"
		"# TYPE kea_dhcp4_packets_sent_total gauge\n"
		"kea_dhcp4_packets_sent_total{operation=\"ack\"} 5\n"
		"kea_dhcp4_packets_sent_total{operation=\"offer\"} 7\n"
		"# HELP kea_dhcp4_global4_addresses_reclaimed_total Expired "
		"addresses that were reclaimed for all subnets\n"
		"# TYPE kea_dhcp4_global4_addresses_reclaimed_total gauge\n"
		"kea_dhcp4_global4_addresses_reclaimed_total 9\n"
		"# HELP kea_dhcp4_addresses_assigned_total Assigned addresses\n"
		"# TYPE kea_dhcp4_addresses_assigned_total gauge\n"
		"kea_dhcp4_addresses_assigned_total{prefix=\"192.0.2.0/24\","
		"subnet=\"192.0.2.0/24\",subnet_id=\"1\"} 3\n");
	free(text);
}

/* ---- the HTTP endpoint, scraped while the loop publishes ------------------
 */

struct scraper {
	uint16_t port;
	int ok;	  /* 200 answers with the families */
	int fail; /* anything else */
};

/* One HTTP/1.0 GET of path; the whole answer in buf. */
static size_t http_get(uint16_t port, const char *path, char *buf, size_t cap)
{
	struct sockaddr_in sa = {.sin_family = AF_INET,
				 .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	char req[128];
	size_t len = 0;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	buf[0] = 0;
	if (fd < 0)
		return 0;
	snprintf(req, sizeof(req), "GET %s HTTP/1.0\r\n\r\n", path);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
	    write(fd, req, strlen(req)) == (ssize_t)strlen(req)) {
		ssize_t k;

		while (len + 1 < cap &&
		       (k = read(fd, buf + len, cap - 1 - len)) > 0)
			len += (size_t)k;
	}
	buf[len] = 0;
	close(fd);
	return len;
}

static void *scrape(void *arg)
{
	struct scraper *sc = arg;
	static char buf[1 << 16];

	for (int i = 0; i < 50; i++) {
		http_get(sc->port, "/metrics", buf, sizeof(buf));
		if (strstr(buf, " 200 ") &&
		    strstr(buf, "# TYPE kea_dhcp4_addresses_total gauge\n"))
			sc->ok++;
		else
			sc->fail++;
	}
	return NULL;
}

/*
 * The event loop publishes (and counts) while a thread scrapes: every
 * scrape is answered with the whole text (run under TSan, this is the
 * race check of metrics.c's lock). Another path is 404.
 */
static void test_metrics_concurrent(void **state)
{
	struct ternd_config *cfg = NULL;
	struct ternd_engine *e = NULL;
	struct ternd_stats *s = NULL;
	struct ternd_diags d = {0};
	struct scraper sc = {0};
	pthread_t th;
	char buf[4096];
	int r = -EADDRINUSE;
	struct fx f = {0};

	(void)state;
	assert_int_equal(
		ternd_config_load_buf(base_cfg, strlen(base_cfg), &cfg, &d), 0);
	assert_int_equal(ternd_engine_new(cfg, &e), 0);
	cfg->metrics.enabled = true;
	cfg->metrics.host = "127.0.0.1";
	/* A free port: tests run in parallel. */
	for (int i = 0; i < 50 && r == -EADDRINUSE; i++) {
		cfg->metrics.port =
			(uint16_t)(20000 + (getpid() * 7 + i * 131) % 30000);
		r = ternd_stats_start(cfg, e, NULL, NULL, &s);
	}
	assert_int_equal(r, 0);
	sc.port = cfg->metrics.port;
	tmetrics_publish(s->metrics, s); /* starts the HTTP thread */
	assert_int_equal(pthread_create(&th, NULL, scrape, &sc), 0);
	f.cfg = cfg;
	f.e = e;
	f.now = T0;
	for (int i = 0; i < 2000; i++) {
		if (i % 200 == 0)
			dora(&f, (uint8_t)(1 + i / 200));
		tstat_observe_all(s, tstat_now_us());
		tmetrics_publish(s->metrics, s);
	}
	assert_int_equal(pthread_join(th, NULL), 0);
	tmetrics_publish(s->metrics, s); /* no scrape holds the lock now */
	assert_int_equal(sc.fail, 0);
	assert_int_equal(sc.ok, 50);
	http_get(sc.port, "/metrics", buf, sizeof(buf));
	assert_non_null(strstr(buf, "kea_dhcp4_addresses_assigned_total{prefix="
				    "\"10.0.0.0/24\",subnet=\"10.0.0.0/24\","
				    "subnet_id=\"1\"} 10\n"));
	http_get(sc.port, "/nope", buf, sizeof(buf));
	assert_non_null(strstr(buf, " 404 "));
	ternd_stats_free(s);
	ternd_engine_free(e);
	ternd_config_free(cfg);
}

/* ---- configuration ------------------------------------------------------- */

static void bad_metrics(const char *metrics, unsigned col, const char *msg)
{
	char text[512];
	struct ternd_config *cfg = NULL;
	struct ternd_diags d = {0};

	snprintf(text, sizeof(text),
		 "{\"Dhcp4\": {\"user-context\": {\"ternd\": {\"metrics\": "
		 "%s}}}}",
		 metrics);
	assert_true(ternd_config_load_buf(text, strlen(text), &cfg, &d) < 0);
	assert_true(d.errors >= 1);
	assert_int_equal(d.v[0].line, 1);
	assert_int_equal(d.v[0].col, col);
	assert_non_null(strstr(d.v[0].msg, msg));
}

static void test_config(void **state)
{
	static const char good[] =
		"{\"Dhcp4\": {\"user-context\": {\"ternd\": {\"metrics\": "
		"{\"http-host\": \"::1\", \"http-port\": 9100}}}}}";
	static const char dflt[] =
		"{\"Dhcp4\": {\"user-context\": {\"ternd\": {\"metrics\": "
		"{}}}}}";
	struct ternd_config *cfg = NULL;
	struct ternd_diags d = {0};

	(void)state;
	assert_int_equal(ternd_config_load_buf(good, strlen(good), &cfg, &d),
			 0);
	assert_true(cfg->metrics.enabled);
	assert_string_equal(cfg->metrics.host, "::1");
	assert_int_equal(cfg->metrics.port, 9100);
	ternd_config_free(cfg);
	assert_int_equal(ternd_config_load_buf(dflt, strlen(dflt), &cfg, &d),
			 0);
	assert_string_equal(cfg->metrics.host, "127.0.0.1");
	assert_int_equal(cfg->metrics.port, 9547);
	ternd_config_free(cfg);
	/* col: the value's first byte (1-based) */
	bad_metrics("{\"http-host\": \"nowhere\"}", 64, "http-host");
	bad_metrics("{\"http-port\": 0}", 64, "");
	bad_metrics("{\"http-port\": 70000}", 64, "");
	bad_metrics("[]", 50, "");
	/* an unknown key is a warning, as everywhere in user-context.ternd */
	{
		static const char typo[] =
			"{\"Dhcp4\": {\"user-context\": {\"ternd\": "
			"{\"metrics\": {\"http-portt\": 1}}}}}";

		assert_int_equal(
			ternd_config_load_buf(typo, strlen(typo), &cfg, &d), 0);
		assert_int_equal(d.warnings, 1);
		assert_int_equal(d.v[0].col, 51);
		assert_non_null(strstr(d.v[0].msg, "http-portt"));
		ternd_config_free(cfg);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_time_text),
		cmocka_unit_test(test_samples),
		cmocka_unit_test(test_samples_bounded),
		cmocka_unit_test_setup_teardown(test_engine_counting, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_engine_drops_and_failures,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_commands, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stat_lease4_get, setup,
						teardown),
		cmocka_unit_test(test_no_stat_cmds),
		cmocka_unit_test_setup_teardown(test_reconfigure, setup,
						teardown),
		cmocka_unit_test(test_config_limits),
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_metrics_concurrent),
		cmocka_unit_test(test_config),
	};

	setenv("TZ", "UTC", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
