/* Unit tests: the DHCPv6 engine, per message type and per mistake of the
 * spec's A1.9 list (status placement, relays, DUID, new IAs in Renew, T1/T2,
 * validation, rapid commit, release of what the client does not hold, LDRA
 * link-address). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "server/engine6/e6_test.h"
#include "server/engine6/internal6.h"

static int setup(void **state)
{
	static struct t6 t;

	if (t6_setup_text(&t, e6_config) < 0)
		return -1;
	*state = &t;
	return 0;
}

static int teardown(void **state)
{
	t6_free(*state);
	return 0;
}

static const uint16_t oro_dns[] = {23};

/* SOLICIT -> ADVERTISE: one IA_NA, one IA_PD, T1/T2, IDs, ORO options
 * only, nothing committed. */
static void test_solicit_advertise(void **state)
{
	struct t6 *t = *state;
	struct q6 q;
	struct tern_dhcp6_ia ia;
	struct in6_addr a;
	uint8_t plen;
	uint32_t pref, valid;
	const uint8_t *v;

	q_begin(&q, TERN_DHCP6_SOLICIT, duid_a, sizeof(duid_a), false);
	q_ia_na(&q, 1, NULL);
	q_ia_pd(&q, 2, NULL, 0);
	q_oro(&q, oro_dns, 1);
	assert_int_equal(t6_q(t, &q), 1);
	assert_int_equal(t->reply.type, TERN_DHCP6_ADVERTISE);
	assert_int_equal(t->reply.xid, 0x123456);
	assert_int_equal(t->n_ch, 0);
	assert_int_equal(ternd_engine6_count(t->e), 0);
	assert_int_equal(
		tern_dhcp6_msg_find(&t->reply, TERN_DHCP6_OPT_SERVERID, &v),
		sizeof(server_duid));
	assert_int_equal(
		tern_dhcp6_msg_find(&t->reply, TERN_DHCP6_OPT_CLIENTID, &v),
		sizeof(duid_a));
	assert_true(r_has(t, 23));
	assert_false(r_has(t, 24)); /* not asked for */
	assert_false(r_has(t, TERN_DHCP6_OPT_RAPID_COMMIT));
	assert_int_equal(r_ia(t, TERN_DHCP6_OPT_IA_NA, 1, &ia), 0);
	assert_int_equal(ia.t1, 150);
	assert_int_equal(ia.t2, 240);
	assert_int_equal(ia_lease(&ia, TERN_DHCP6_OPT_IA_NA, 0, &a, &plen,
				  &pref, &valid),
			 0);
	assert_true(memcmp(&a, &(struct in6_addr){0}, 16) != 0);
	assert_int_equal(pref, 300);
	assert_int_equal(valid, 600);
	assert_int_equal(r_ia(t, TERN_DHCP6_OPT_IA_PD, 2, &ia), 0);
	assert_int_equal(ia_lease(&ia, TERN_DHCP6_OPT_IA_PD, 0, &a, &plen,
				  &pref, &valid),
			 0);
	assert_int_equal(plen, 56);
	a.s6_addr[6] = 0; /* the /56 index; the /48 prefix stays */
	{
		struct in6_addr p48 = a6("2001:db8:8000::");

		assert_memory_equal(&a, &p48, 16);
	}
	/* Reply goes to the client's link-local address, port 546. */
	assert_int_equal(t->tx.dst_port, 546);
	assert_int_equal(t->tx.ifindex, 3);
}

/* A1.2 / A1.9 #6: drops, each counted. */
static void test_validation_drops(void **state)
{
	struct t6 *t = *state;
	const struct ternd_engine6_stats *st = ternd_engine6_stats(t->e);
	struct q6 q;
	static const uint8_t advertise[] = {2, 0, 0, 1};
	static const uint8_t shortmsg[] = {1, 0};

	q_begin(&q, TERN_DHCP6_SOLICIT, NULL, 0, false);
	q_ia_na(&q, 1, NULL);
	assert_int_equal(t6_q(t, &q), 0);
	assert_int_equal(st->drop_client_id, 1);
	q_begin(&q, TERN_DHCP6_SOLICIT, duid_a, sizeof(duid_a), true);
	assert_int_equal(t6_q(t, &q), 0);
	assert_int_equal(st->drop_server_id, 1);
	/* REQUEST / RENEW / RELEASE / DECLINE need our Server ID. */
	q_begin(&q, TERN_DHCP6_REQUEST, duid_a, sizeof(duid_a), false);
	q_ia_na(&q, 1, NULL);
	assert_int_equal(t6_q(t, &q), 0);
	assert_int_equal(st->drop_server_id, 2);
	q_begin(&q, TERN_DHCP6_RENEW, duid_a, sizeof(duid_a), false);
	tern_dhcp6_put(&q.w, TERN_DHCP6_OPT_SERVERID, duid_b, sizeof(duid_b));
	assert_int_equal(t6_q(t, &q), 0);
	assert_int_equal(st->drop_server_id, 3);
	/* REBIND, CONFIRM: no Server ID allowed. */
	q_begin(&q, TERN_DHCP6_REBIND, duid_a, sizeof(duid_a), true);
	assert_int_equal(t6_q(t, &q), 0);
	assert_int_equal(st->drop_server_id, 4);
	/* Duplicate Client ID. */
	q_begin(&q, TERN_DHCP6_SOLICIT, duid_a, sizeof(duid_a), false);
	tern_dhcp6_put(&q.w, TERN_DHCP6_OPT_CLIENTID, duid_b, sizeof(duid_b));
	assert_int_equal(t6_q(t, &q), 0);
	assert_int_equal(st->drop_client_id, 2);
	/* A server never takes an ADVERTISE; a short datagram is malformed. */
	assert_int_equal(t6_send(t, advertise, sizeof(advertise)), 0);
	assert_int_equal(st->drop_not_for_server, 1);
	assert_int_equal(t6_send(t, shortmsg, sizeof(shortmsg)), 0);
	assert_int_equal(st->drop_malformed, 1);
	/* Non-relayed unicast (RFC 9915 §16). */
	t->rx.multicast = false;
	q_begin(&q, TERN_DHCP6_SOLICIT, duid_a, sizeof(duid_a), false);
	assert_int_equal(t6_q(t, &q), 0);
	assert_int_equal(st->drop_unicast, 1);
	t->rx.multicast = true;
	/* An IA inside an INFORMATION-REQUEST. */
	q_begin(&q, TERN_DHCP6_INFORMATION_REQUEST, duid_a, sizeof(duid_a),
		false);
	q_ia_na(&q, 1, NULL);
	assert_int_equal(t6_q(t, &q), 0);
	assert_int_equal(st->drop_other, 1);
	assert_int_equal(st->replies, 0);
}

/* A1.9 #8: rapid commit only when asked and enabled for the subnet, and
 * its REPLY carries option 14. */
static void test_rapid_commit(void **state)
{
	struct t6 *t = *state;
	struct q6 q;
	struct tern_dhcp6_ia ia;

	q_begin(&q, TERN_DHCP6_SOLICIT, duid_a, sizeof(duid_a), false);
	tern_dhcp6_put_empty(&q.w, TERN_DHCP6_OPT_RAPID_COMMIT);
	q_ia_na(&q, 1, NULL);
	assert_int_equal(t6_q(t, &q), 1);
	assert_int_equal(t->reply.type, TERN_DHCP6_REPLY);
	assert_true(r_has(t, TERN_DHCP6_OPT_RAPID_COMMIT));
	assert_int_equal(t->n_ch, 1);
	assert_int_equal(t->ch[0].op, TERND_CHANGE6_PUT);
	assert_int_equal(t->ch[0].lease.iaid, 1);
	assert_int_equal(t->ch[0].lease.subnet_id, 1);
	assert_int_equal(t->ch[0].lease.expire, 1600);
	assert_int_equal(r_ia(t, TERN_DHCP6_OPT_IA_NA, 1, &ia), 0);
	assert_int_equal(ternd_engine6_count(t->e), 1);
	/* Subnet 2 (relayed, interface-id "port7") has it off. */
	t->rx.ifname = "other";
	{
		struct q6 inner, outer;
		int n;
		struct in6_addr z = {0}, peer = a6("fe80::2");

		q_begin(&inner, TERN_DHCP6_SOLICIT, duid_b, sizeof(duid_b),
			false);
		tern_dhcp6_put_empty(&inner.w, TERN_DHCP6_OPT_RAPID_COMMIT);
		q_ia_na(&inner, 1, NULL);
		n = q_len(&inner);
		tern_dhcp6_writer_init(&outer.w, outer.buf, sizeof(outer.buf));
		tern_dhcp6_write_relay_header(&outer.w, TERN_DHCP6_RELAY_FORW,
					      0, &z, &peer);
		tern_dhcp6_put(&outer.w, TERN_DHCP6_OPT_INTERFACE_ID, "port7",
			       5);
		tern_dhcp6_put(&outer.w, TERN_DHCP6_OPT_RELAY_MSG, inner.buf,
			       (size_t)n);
		t->rx.multicast = false; /* relayed unicast is fine */
		assert_int_equal(t6_q(t, &outer), 1);
		assert_int_equal(t->reply.type, TERN_DHCP6_ADVERTISE);
		assert_false(r_has(t, TERN_DHCP6_OPT_RAPID_COMMIT));
		assert_int_equal(t->n_ch, 0);
	}
}

/* REQUEST commits; RENEW extends, gives 0/0 for a foreign address and
 * allocates a new IA (A1.9 #4). */
static void test_request_renew(void **state)
{
	struct t6 *t = *state;
	struct q6 q;
	struct tern_dhcp6_ia ia;
	struct in6_addr a, got, b;
	uint8_t plen;
	uint32_t pref, valid;
	char txt[INET6_ADDRSTRLEN];

	q_begin(&q, TERN_DHCP6_REQUEST, duid_a, sizeof(duid_a), true);
	q_ia_na(&q, 1, "2001:db8:1::1a0");
	q_ia_pd(&q, 2, NULL, 0);
	assert_int_equal(t6_q(t, &q), 1);
	assert_int_equal(t->reply.type, TERN_DHCP6_REPLY);
	assert_int_equal(t->n_ch, 2);
	assert_int_equal(r_ia(t, TERN_DHCP6_OPT_IA_NA, 1, &ia), 0);
	assert_int_equal(ia_lease(&ia, TERN_DHCP6_OPT_IA_NA, 0, &got, &plen,
				  &pref, &valid),
			 0);
	/* The client's hint in the pool was free: it gets it. */
	a = a6("2001:db8:1::1a0");
	assert_memory_equal(&got, &a, 16);
	assert_non_null(ternd_engine6_find(t->e, TERND_LEASE6_NA, &a));
	/* RENEW later: extended; a foreign address listed comes back 0/0;
	 * IAID 7 unknown gets a new address. */
	t->rx.now = 1100;
	q_begin(&q, TERN_DHCP6_RENEW, duid_a, sizeof(duid_a), true);
	tern_dhcp6_begin_ia(&q.w, TERN_DHCP6_OPT_IA_NA, 1, 0, 0);
	tern_dhcp6_begin_iaaddr(&q.w, &a, 0, 0);
	tern_dhcp6_end(&q.w);
	b = a6("2001:db8:9::1");
	tern_dhcp6_begin_iaaddr(&q.w, &b, 0, 0);
	tern_dhcp6_end(&q.w);
	tern_dhcp6_end(&q.w);
	q_ia_na(&q, 7, NULL);
	assert_int_equal(t6_q(t, &q), 1);
	assert_int_equal(r_ia(t, TERN_DHCP6_OPT_IA_NA, 1, &ia), 0);
	assert_int_equal(ia_lease(&ia, TERN_DHCP6_OPT_IA_NA, 0, &got, &plen,
				  &pref, &valid),
			 0);
	assert_memory_equal(&got, &a, 16);
	assert_int_equal(valid, 600);
	assert_int_equal(ia_lease(&ia, TERN_DHCP6_OPT_IA_NA, 1, &got, &plen,
				  &pref, &valid),
			 0);
	assert_memory_equal(&got, &b, 16);
	assert_int_equal(pref, 0);
	assert_int_equal(valid, 0);
	assert_true(ia.t1 < ia.t2);
	assert_int_equal(r_ia(t, TERN_DHCP6_OPT_IA_NA, 7, &ia), 0);
	assert_int_equal(ia_lease(&ia, TERN_DHCP6_OPT_IA_NA, 0, &got, &plen,
				  &pref, &valid),
			 0);
	inet_ntop(AF_INET6, &got, txt, sizeof(txt));
	assert_int_equal(status_in(ia.opts, ia.opts_len), -1);
	assert_int_equal(t->n_ch, 2);
	assert_int_equal(t->ch[0].lease.expire, 1700);
	assert_int_equal(ternd_engine6_count(t->e), 3);
}

/* REBIND: unknown client with an address off the link: new address plus
 * the old one at 0/0; a Rebind whose link cannot be told is dropped. */
static void test_rebind(void **state)
{
	struct t6 *t = *state;
	struct q6 q;
	struct tern_dhcp6_ia ia;
	struct in6_addr got;
	uint8_t plen;
	uint32_t pref, valid;

	q_begin(&q, TERN_DHCP6_REBIND, duid_b, sizeof(duid_b), false);
	q_ia_na(&q, 3, "2001:db8:77::5");
	assert_int_equal(t6_q(t, &q), 1);
	assert_int_equal(r_ia(t, TERN_DHCP6_OPT_IA_NA, 3, &ia), 0);
	assert_int_equal(ia_lease(&ia, TERN_DHCP6_OPT_IA_NA, 0, &got, &plen,
				  &pref, &valid),
			 0);
	assert_int_equal(valid, 600);
	assert_int_equal(ia_lease(&ia, TERN_DHCP6_OPT_IA_NA, 1, &got, &plen,
				  &pref, &valid),
			 0);
	assert_int_equal(valid, 0);
	/* Unknown interface, no address of ours: no subnet -> dropped. */
	t->rx.ifname = "eth9";
	q_begin(&q, TERN_DHCP6_REBIND, duid_b, sizeof(duid_b), false);
	q_ia_na(&q, 3, NULL);
	assert_int_equal(t6_q(t, &q), 0);
	assert_int_equal(ternd_engine6_stats(t->e)->drop_no_subnet, 1);
}

/* RELEASE / DECLINE: only what the client holds (A1.9 #9); NoBinding in
 * the IA, Success at the top (A1.9 #1). */
static void test_release_decline(void **state)
{
	struct t6 *t = *state;
	struct q6 q;
	struct tern_dhcp6_ia ia;
	struct in6_addr a = a6("2001:db8:1::1a0"), c = a6("2001:db8:1::1a1");
	const struct ternd_lease6 *l;

	q_begin(&q, TERN_DHCP6_REQUEST, duid_a, sizeof(duid_a), true);
	q_ia_na(&q, 1, "2001:db8:1::1a0");
	q_ia_na(&q, 2, "2001:db8:1::1a1");
	assert_int_equal(t6_q(t, &q), 1);
	assert_int_equal(t->n_ch, 2);
	/* B releases A's address: NoBinding, nothing changes. */
	q_begin(&q, TERN_DHCP6_RELEASE, duid_b, sizeof(duid_b), true);
	q_ia_na(&q, 1, "2001:db8:1::1a0");
	assert_int_equal(t6_q(t, &q), 1);
	assert_int_equal(t->n_ch, 0);
	assert_int_equal(status_in(t->reply.opts, t->reply.opts_len),
			 TERN_DHCP6_STATUS_SUCCESS);
	assert_int_equal(r_ia(t, TERN_DHCP6_OPT_IA_NA, 1, &ia), 0);
	assert_int_equal(status_in(ia.opts, ia.opts_len),
			 TERN_DHCP6_STATUS_NO_BINDING);
	assert_non_null(ternd_engine6_find(t->e, TERND_LEASE6_NA, &a));
	/* A releases it: deleted, no IA in the reply. */
	q_begin(&q, TERN_DHCP6_RELEASE, duid_a, sizeof(duid_a), true);
	q_ia_na(&q, 1, "2001:db8:1::1a0");
	assert_int_equal(t6_q(t, &q), 1);
	assert_int_equal(t->n_ch, 1);
	assert_int_equal(t->ch[0].op, TERND_CHANGE6_DEL);
	assert_int_equal(r_ia(t, TERN_DHCP6_OPT_IA_NA, 1, &ia), -1);
	assert_null(ternd_engine6_find(t->e, TERND_LEASE6_NA, &a));
	/* A declines its other address: declined for the probation. */
	q_begin(&q, TERN_DHCP6_DECLINE, duid_a, sizeof(duid_a), true);
	q_ia_na(&q, 2, "2001:db8:1::1a1");
	assert_int_equal(t6_q(t, &q), 1);
	assert_int_equal(t->n_ch, 1);
	l = ternd_engine6_find(t->e, TERND_LEASE6_NA, &c);
	assert_non_null(l);
	assert_int_equal(l->state, TERND_LEASE6_DECLINED);
	assert_int_equal(l->expire, 1000 + 86400);
	/* Nobody gets it meanwhile. */
	q_begin(&q, TERN_DHCP6_REQUEST, duid_b, sizeof(duid_b), true);
	q_ia_na(&q, 1, "2001:db8:1::1a1");
	assert_int_equal(t6_q(t, &q), 1);
	assert_int_equal(t->ch[0].op, TERND_CHANGE6_PUT);
	assert_memory_not_equal(&t->ch[0].lease.addr, &c, 16);
}

/* CONFIRM: top-level Success / NotOnLink; no addresses: no answer. */
static void test_confirm(void **state)
{
	struct t6 *t = *state;
	struct q6 q;

	q_begin(&q, TERN_DHCP6_CONFIRM, duid_a, sizeof(duid_a), false);
	q_ia_na(&q, 1, "2001:db8:1::5");
	assert_int_equal(t6_q(t, &q), 1);
	assert_int_equal(status_in(t->reply.opts, t->reply.opts_len),
			 TERN_DHCP6_STATUS_SUCCESS);
	q_begin(&q, TERN_DHCP6_CONFIRM, duid_a, sizeof(duid_a), false);
	q_ia_na(&q, 1, "2001:db8:1::5");
	q_ia_na(&q, 2, "2001:db8:5::5");
	assert_int_equal(t6_q(t, &q), 1);
	assert_int_equal(status_in(t->reply.opts, t->reply.opts_len),
			 TERN_DHCP6_STATUS_NOT_ON_LINK);
	assert_int_equal(t->n_ch, 0);
	q_begin(&q, TERN_DHCP6_CONFIRM, duid_a, sizeof(duid_a), false);
	q_ia_na(&q, 1, NULL);
	assert_int_equal(t6_q(t, &q), 0);
}

/* INFORMATION-REQUEST: what the ORO asks for, Server ID, Client ID. */
static void test_info_request(void **state)
{
	struct t6 *t = *state;
	struct q6 q;
	static const uint16_t oro[] = {24, 32};

	q_begin(&q, TERN_DHCP6_INFORMATION_REQUEST, duid_a, sizeof(duid_a),
		false);
	q_oro(&q, oro, 2);
	assert_int_equal(t6_q(t, &q), 1);
	assert_int_equal(t->reply.type, TERN_DHCP6_REPLY);
	assert_true(r_has(t, 24));
	assert_true(r_has(t, 32));
	assert_false(r_has(t, 23));
	assert_true(r_has(t, TERN_DHCP6_OPT_SERVERID));
	assert_int_equal(t->n_ch, 0);
	/* Another server's ID: not for us. */
	q_begin(&q, TERN_DHCP6_INFORMATION_REQUEST, duid_a, sizeof(duid_a),
		false);
	tern_dhcp6_put(&q.w, TERN_DHCP6_OPT_SERVERID, duid_b, sizeof(duid_b));
	assert_int_equal(t6_q(t, &q), 0);
}

/* Build inner wrapped in relays (outermost first in links/ids). */
static int relayed(struct q6 *out, struct q6 *inner, size_t levels,
		   const char *const *links, const char *const *ids)
{
	uint8_t buf[2][2048];
	int n = q_len(inner);
	struct in6_addr peer = a6("fe80::77");
	const uint8_t *cur = inner->buf;

	for (size_t k = levels; k-- > 0;) {
		struct tern_dhcp6_writer w;
		struct in6_addr link = a6(links[k]);
		uint8_t *dst = k == 0 ? out->buf : buf[k % 2];

		tern_dhcp6_writer_init(
			&w, dst, k == 0 ? sizeof(out->buf) : sizeof(buf[0]));
		tern_dhcp6_write_relay_header(&w, TERN_DHCP6_RELAY_FORW,
					      (uint8_t)k, &link, &peer);
		if (ids[k])
			tern_dhcp6_put(&w, TERN_DHCP6_OPT_INTERFACE_ID, ids[k],
				       strlen(ids[k]));
		tern_dhcp6_put(&w, TERN_DHCP6_OPT_RELAY_MSG, cur, (size_t)n);
		n = tern_dhcp6_writer_finish(&w);
		if (n < 0)
			return n;
		cur = dst;
		if (k == 0)
			out->w = w;
	}
	return n;
}

/* A1.9 #2 and #10: two relay levels, interface-id echoed at each, the
 * Relay Message length right, reply to the relay on 547; an LDRA's ::
 * link-address uses the enclosing relay's. */
static void test_relays(void **state)
{
	struct t6 *t = *state;
	struct q6 inner, out;
	static const char *const links[] = {"2001:db8:33::1", "::"};
	static const char *const ids[] = {"agg", "port1"};
	struct tern_dhcp6_ia ia;
	struct in6_addr got, want = a6("2001:db8:3::5");
	uint8_t plen;
	uint32_t pref, valid;
	int n;

	t->rx.multicast = false;
	t->rx.src = a6("2001:db8:33::1");
	t->rx.src_port = 547;
	q_begin(&inner, TERN_DHCP6_SOLICIT, duid_a, sizeof(duid_a), false);
	q_ia_na(&inner, 1, NULL);
	n = relayed(&out, &inner, 2, links, ids);
	assert_true(n > 0);
	assert_int_equal(t6_send(t, out.buf, (size_t)n), 1);
	assert_int_equal(t->n_relays, 2);
	assert_int_equal(t->relays[0].type, TERN_DHCP6_RELAY_REPL);
	assert_int_equal(t->relays[0].interface_id_len, 3);
	assert_memory_equal(t->relays[0].interface_id, "agg", 3);
	assert_int_equal(t->relays[1].interface_id_len, 5);
	assert_memory_equal(t->relays[1].interface_id, "port1", 5);
	assert_int_equal(t->relays[1].hop_count, 1);
	assert_int_equal(t->reply.type, TERN_DHCP6_ADVERTISE);
	/* Subnet 3 by the relay address of the enclosing relay. */
	assert_int_equal(r_ia(t, TERN_DHCP6_OPT_IA_NA, 1, &ia), 0);
	assert_int_equal(ia_lease(&ia, TERN_DHCP6_OPT_IA_NA, 0, &got, &plen,
				  &pref, &valid),
			 0);
	assert_memory_equal(&got, &want, 16);
	/* Subnet 3 sets renew = rebind = 400: T1 is sent as 0 (A1.7). */
	assert_int_equal(ia.t1, 0);
	assert_int_equal(ia.t2, 400);
	assert_int_equal(t->tx.dst_port, 547);
	assert_memory_equal(&t->tx.dst, &t->rx.src, 16);
}

/* Nesting: forge sends 8 and 12 levels and wants an answer with every
 * level mirrored; past the codec's 32 levels it is dropped, counted. */
static void test_deep_relays(void **state)
{
	struct t6 *t = *state;
	static const char *const links[33] = {"2001:db8:33::1"};
	static const char *const ids[33];
	const char *l[33];
	struct q6 inner, out;
	int n;

	for (int i = 0; i < 33; i++)
		l[i] = links[i] ? links[i] : "::";
	t->rx.multicast = false;
	q_begin(&inner, TERN_DHCP6_SOLICIT, duid_a, sizeof(duid_a), false);
	q_ia_na(&inner, 1, NULL);
	n = relayed(&out, &inner, 12, l, ids);
	assert_true(n > 0);
	assert_int_equal(t6_send(t, out.buf, (size_t)n), 1);
	assert_int_equal(t->n_relays, 12);
	assert_int_equal(t->relays[11].hop_count, 11);
	assert_int_equal(t->reply.type, TERN_DHCP6_ADVERTISE);
	q_begin(&inner, TERN_DHCP6_SOLICIT, duid_a, sizeof(duid_a), false);
	q_ia_na(&inner, 1, NULL);
	n = relayed(&out, &inner, 33, l, ids);
	assert_true(n > 0);
	assert_int_equal(t6_send(t, out.buf, (size_t)n), 0);
	assert_int_equal(ternd_engine6_stats(t->e)->drop_malformed, 1);
}

/* Several IAs, partial success (A1.6): subnet 2 has two addresses; the
 * third IA_NA gets NoAddrsAvail inside it, the IA_PD NoPrefixAvail. */
static void test_partial(void **state)
{
	struct t6 *t = *state;
	struct q6 inner, out;
	/* relayed (a global link-address no subnet holds): the relay's
	 * interface-id names subnet 2 */
	static const char *const links[] = {"2001:db8:ffff::1"};
	static const char *const ids[] = {"port7"};
	struct tern_dhcp6_ia ia;
	int n;

	t->rx.multicast = false;
	q_begin(&inner, TERN_DHCP6_REQUEST, duid_a, sizeof(duid_a), true);
	q_ia_na(&inner, 1, NULL);
	q_ia_na(&inner, 2, NULL);
	q_ia_na(&inner, 3, NULL);
	q_ia_pd(&inner, 4, NULL, 0);
	q_oro(&inner, oro_dns, 1);
	n = relayed(&out, &inner, 1, links, ids);
	assert_int_equal(t6_send(t, out.buf, (size_t)n), 1);
	assert_int_equal(t->n_ch, 2);
	assert_int_equal(r_ia(t, TERN_DHCP6_OPT_IA_NA, 1, &ia), 0);
	assert_int_equal(status_in(ia.opts, ia.opts_len), -1);
	assert_int_equal(r_ia(t, TERN_DHCP6_OPT_IA_NA, 3, &ia), 0);
	assert_int_equal(status_in(ia.opts, ia.opts_len),
			 TERN_DHCP6_STATUS_NO_ADDRS_AVAIL);
	assert_int_equal(ia.t1, 0);
	assert_int_equal(r_ia(t, TERN_DHCP6_OPT_IA_PD, 4, &ia), 0);
	assert_int_equal(status_in(ia.opts, ia.opts_len),
			 TERN_DHCP6_STATUS_NO_PREFIX_AVAIL);
	/* No top-level status for IA problems. */
	assert_int_equal(status_in(t->reply.opts, t->reply.opts_len), -1);
	/* Subnet 2's own DNS server wins over the global one. */
	{
		const uint8_t *v;
		struct in6_addr d = a6("2001:db8:2::53");

		assert_int_equal(tern_dhcp6_msg_find(&t->reply, 23, &v), 16);
		assert_memory_equal(v, &d, 16);
	}
}

/* Reservation by DUID; PD-Exclude only when asked for (RFC 6603). */
static void test_reservation_pd_exclude(void **state)
{
	struct t6 *t = *state;
	struct q6 q;
	struct tern_dhcp6_ia ia;
	struct in6_addr got, want = a6("2001:db8:1::99");
	uint8_t plen;
	uint32_t pref, valid;
	static const uint16_t oro67[] = {67};
	const uint8_t *v;
	int n;

	q_begin(&q, TERN_DHCP6_REQUEST, duid_res, sizeof(duid_res), true);
	q_ia_na(&q, 1, NULL);
	q_ia_pd(&q, 2, NULL, 0);
	q_oro(&q, oro67, 1);
	assert_int_equal(t6_q(t, &q), 1);
	assert_int_equal(r_ia(t, TERN_DHCP6_OPT_IA_NA, 1, &ia), 0);
	assert_int_equal(ia_lease(&ia, TERN_DHCP6_OPT_IA_NA, 0, &got, &plen,
				  &pref, &valid),
			 0);
	assert_memory_equal(&got, &want, 16);
	assert_string_equal(t->ch[0].lease.hostname, "resv1");
	assert_int_equal(r_ia(t, TERN_DHCP6_OPT_IA_PD, 2, &ia), 0);
	{
		struct tern_dhcp6_iaprefix p;

		n = tern_dhcp6_opt_find(ia.opts, ia.opts_len,
					TERN_DHCP6_OPT_IAPREFIX, &v);
		assert_true(n > 0);
		assert_int_equal(tern_dhcp6_iaprefix_decode(v, (size_t)n, &p),
				 0);
		n = tern_dhcp6_opt_find(p.opts, p.opts_len, 67, &v);
		assert_int_equal(n, 2);
		assert_int_equal(v[0], 64);
		assert_int_equal(v[1], 0);
	}
	/* Nobody else gets the reserved address, even asking for it. */
	q_begin(&q, TERN_DHCP6_REQUEST, duid_b, sizeof(duid_b), true);
	q_ia_na(&q, 1, "2001:db8:1::99");
	assert_int_equal(t6_q(t, &q), 1);
	assert_int_equal(r_ia(t, TERN_DHCP6_OPT_IA_NA, 1, &ia), 0);
	assert_int_equal(ia_lease(&ia, TERN_DHCP6_OPT_IA_NA, 0, &got, &plen,
				  &pref, &valid),
			 0);
	assert_memory_not_equal(&got, &want, 16);
}

/* A reserved prefix (the pd-pool's first) is not delegated to another
 * client, even before its host has asked; its host gets it. */
static void test_reserved_prefix(void **state)
{
	struct t6 *t = *state;
	struct q6 q;
	struct tern_dhcp6_ia ia;
	struct in6_addr got, want = a6("2001:db8:8000::");
	uint8_t plen;
	uint32_t pref, valid;

	q_begin(&q, TERN_DHCP6_REQUEST, duid_b, sizeof(duid_b), true);
	q_ia_pd(&q, 3, NULL, 0);
	assert_int_equal(t6_q(t, &q), 1);
	assert_int_equal(r_ia(t, TERN_DHCP6_OPT_IA_PD, 3, &ia), 0);
	assert_int_equal(ia_lease(&ia, TERN_DHCP6_OPT_IA_PD, 0, &got, &plen,
				  &pref, &valid),
			 0);
	assert_memory_not_equal(&got, &want, 16);
	assert_int_equal(plen, 56);
	q_begin(&q, TERN_DHCP6_REQUEST, duid_res, sizeof(duid_res), true);
	q_ia_pd(&q, 2, NULL, 0);
	assert_int_equal(t6_q(t, &q), 1);
	assert_int_equal(r_ia(t, TERN_DHCP6_OPT_IA_PD, 2, &ia), 0);
	assert_int_equal(ia_lease(&ia, TERN_DHCP6_OPT_IA_PD, 0, &got, &plen,
				  &pref, &valid),
			 0);
	assert_memory_equal(&got, &want, 16);
}

/* T1/T2 rules (A1.7): T1 < T2 <= preferred; infinity kept as is. */
static void test_tee(void **state)
{
	struct ternd_params6 p = {.preferred = 1000,
				  .valid = 2000,
				  .calculate_tee_times = true,
				  .t1_percent = 0.5,
				  .t2_percent = 0.8};
	uint32_t t1, t2;

	(void)state;
	e6_tee(&p, 1000, &t1, &t2);
	assert_int_equal(t1, 500);
	assert_int_equal(t2, 800);
	e6_tee(&p, 0xffffffffu, &t1, &t2);
	assert_int_equal(t1, 0xffffffffu);
	assert_int_equal(t2, 0xffffffffu);
	p.calculate_tee_times = false;
	e6_tee(&p, 1000, &t1, &t2);
	assert_int_equal(t1, 0);
	assert_int_equal(t2, 0);
	p.has_renew = p.has_rebind = true;
	p.renew_timer = 300;
	p.rebind_timer = 300;
	e6_tee(&p, 1000, &t1, &t2);
	assert_int_equal(t1, 0);
	assert_int_equal(t2, 300);
}

/* A restored lease is the client's at once (A1.9 #3's companion: the
 * daemon keeps the DUID; the engine keeps bindings across restarts). */
static void test_restore(void **state)
{
	struct t6 *t = *state;
	struct ternd_lease6 l = {0};
	struct q6 q;
	struct tern_dhcp6_ia ia;
	struct in6_addr got;
	uint8_t plen;
	uint32_t pref, valid;

	l.addr = a6("2001:db8:1::150");
	l.plen = 128;
	l.type = TERND_LEASE6_NA;
	l.duid_len = sizeof(duid_a);
	memcpy(l.duid, duid_a, sizeof(duid_a));
	l.iaid = 9;
	l.subnet_id = 1;
	l.valid = 600;
	l.preferred = 300;
	l.cltt = 900;
	l.expire = 1500;
	assert_int_equal(ternd_engine6_restore(t->e, &l), 0);
	assert_int_equal(ternd_engine6_stats(t->e)->na_assigned, 1);
	q_begin(&q, TERN_DHCP6_RENEW, duid_a, sizeof(duid_a), true);
	q_ia_na(&q, 9, "2001:db8:1::150");
	assert_int_equal(t6_q(t, &q), 1);
	assert_int_equal(r_ia(t, TERN_DHCP6_OPT_IA_NA, 9, &ia), 0);
	assert_int_equal(ia_lease(&ia, TERN_DHCP6_OPT_IA_NA, 0, &got, &plen,
				  &pref, &valid),
			 0);
	assert_memory_equal(&got, &l.addr, 16);
	assert_int_equal(valid, 600);
	assert_int_equal(ternd_engine6_count(t->e), 1);
}

/* A full table reclaims a binding that ended: its row is deleted in the
 * same batch as the new one is put. */
static void test_full_table(void **state)
{
	struct t6 t;
	struct q6 q;
	uint8_t duid[10];

	(void)state;
	assert_int_equal(t6_setup_text(&t, e6_config), 0);
	ternd_engine6_free(t.e);
	assert_int_equal(ternd_engine6_new(t.cfg, 2, server_duid,
					   sizeof(server_duid), &t.e),
			 0);
	memcpy(duid, duid_a, sizeof(duid));
	for (int i = 0; i < 2; i++) {
		duid[9] = (uint8_t)i;
		q_begin(&q, TERN_DHCP6_REQUEST, duid, sizeof(duid), true);
		q_ia_na(&q, 1, NULL);
		assert_int_equal(t6_q(&t, &q), 1);
		assert_int_equal(t.n_ch, 1);
	}
	/* Full, nothing ended: the third client is not answered. */
	duid[9] = 2;
	q_begin(&q, TERN_DHCP6_REQUEST, duid, sizeof(duid), true);
	q_ia_na(&q, 1, NULL);
	assert_int_equal(t6_q(&t, &q), 0);
	assert_int_equal(ternd_engine6_stats(t.e)->drop_no_room, 1);
	/* After the valid lifetime the first binding gives way. */
	t.rx.now += 601;
	q_begin(&q, TERN_DHCP6_REQUEST, duid, sizeof(duid), true);
	q_ia_na(&q, 1, NULL);
	assert_int_equal(t6_q(&t, &q), 1);
	assert_int_equal(t.n_ch, 2);
	assert_int_equal(t.ch[0].op, TERND_CHANGE6_DEL);
	assert_int_equal(t.ch[1].op, TERND_CHANGE6_PUT);
	assert_int_equal(ternd_engine6_count(t.e), 2);
	t6_free(&t);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_solicit_advertise),
		T(test_validation_drops),
		T(test_rapid_commit),
		T(test_request_renew),
		T(test_rebind),
		T(test_release_decline),
		T(test_confirm),
		T(test_info_request),
		T(test_relays),
		T(test_deep_relays),
		T(test_partial),
		T(test_reservation_pd_exclude),
		T(test_reserved_prefix),
		T(test_tee),
		T(test_restore),
		cmocka_unit_test(test_full_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
