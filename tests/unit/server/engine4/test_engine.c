/* Unit tests for ternd's engine: packets in, replies and lease changes out, no
 * sockets. */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <tern/dhcp4.h>

#include "server/config/config.h"
#include "server/engine4/engine.h"

#define IP(a, b, c, d)                                                    \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | \
	 (uint32_t)(d))

#define IF_ADDR IP(192, 0, 2, 1)
#define T0	1700000000

static const char base_cfg[] =
	"{\"Dhcp4\": {\n"
	" \"interfaces-config\": {\"interfaces\": [\"eth0\"]},\n"
	" \"valid-lifetime\": 3600, \"renew-timer\": 900,\n"
	" \"rebind-timer\": 1800,\n"
	" \"decline-probation-period\": 600, \"offer-lifetime\": 30,\n"
	" \"authoritative\": true,\n"
	" \"option-data\": [\n"
	"  {\"name\": \"domain-name-servers\", \"data\": \"192.0.2.53\"},\n"
	"  {\"name\": \"ntp-servers\", \"data\": \"192.0.2.123\",\n"
	"   \"always-send\": true}],\n"
	" \"subnet4\": [\n"
	"  {\"id\": 1, \"subnet\": \"192.0.2.0/24\", \"interface\": \"eth0\",\n"
	"   \"pools\": [{\"pool\": \"192.0.2.100 - 192.0.2.199\"}],\n"
	"   \"next-server\": \"192.0.2.5\",\n"
	"   \"option-data\": [{\"name\": \"routers\", \"data\": "
	"\"192.0.2.1\"}],\n"
	"   \"reservations\": [\n"
	"    {\"hw-address\": \"02:00:00:00:00:aa\",\n"
	"     \"ip-address\": \"192.0.2.10\", \"hostname\": \"printer\",\n"
	"     \"option-data\": [{\"name\": \"domain-name\",\n"
	"                       \"data\": \"res.example\"}]},\n"
	"    {\"client-id\": \"01:02:00:00:00:00:bb\",\n"
	"     \"ip-address\": \"192.0.2.150\"}]},\n"
	"  {\"id\": 2, \"subnet\": \"198.51.100.0/24\",\n"
	"   \"relay\": {\"ip-addresses\": [\"10.9.9.9\"]},\n"
	"   \"authoritative\": false, \"valid-lifetime\": 2000,\n"
	"   \"min-valid-lifetime\": 1000, \"max-valid-lifetime\": 5000,\n"
	"   \"pools\": [{\"pool\": \"198.51.100.10 - 198.51.100.20\"}],\n"
	"   \"option-data\": [{\"name\": \"routers\",\n"
	"                     \"data\": \"198.51.100.1\"}]},\n"
	"  {\"id\": 3, \"subnet\": \"203.0.113.0/30\",\n"
	"   \"pools\": [{\"pool\": \"203.0.113.0 - 203.0.113.3\"}]}],\n"
	" \"shared-networks\": [{\"name\": \"net\",\n"
	"  \"relay\": {\"ip-addresses\": [\"10.8.8.8\"]},\n"
	"  \"subnet4\": [\n"
	"   {\"id\": 10, \"subnet\": \"10.1.0.0/29\",\n"
	"    \"pools\": [{\"pool\": \"10.1.0.1 - 10.1.0.2\"}]},\n"
	"   {\"id\": 11, \"subnet\": \"10.2.0.0/24\",\n"
	"    \"pools\": [{\"pool\": \"10.2.0.10 - 10.2.0.20\"}]}]}]\n"
	"}}\n";

/* A test's engine and the config it was built from. */
struct fx {
	struct ternd_config *cfg;
	struct ternd_engine *e;
};

static struct fx *fx_new(const char *text)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct ternd_diags d;

	assert_non_null(f);
	memset(&d, 0, sizeof(d));
	if (ternd_config_load_buf(text, strlen(text), &f->cfg, &d) != 0) {
		ternd_diags_print(stderr, "test", &d);
		fail_msg("config does not load");
	}
	assert_int_equal(ternd_engine_new(f->cfg, &f->e), 0);
	return f;
}

static void fx_free(struct fx *f)
{
	if (!f)
		return;
	ternd_engine_free(f->e);
	ternd_config_free(f->cfg);
	free(f);
}

static int setup(void **state)
{
	*state = fx_new(base_cfg);
	return 0;
}

static int teardown(void **state)
{
	fx_free(*state);
	return 0;
}

/* ---- packets ------------------------------------------------------------ */

struct pk {
	uint8_t type;
	uint8_t mac; /* last byte of 02:00:00:00:00:xx */
	uint32_t ciaddr;
	uint32_t giaddr;
	uint32_t reqip;
	uint32_t sid;
	uint16_t flags;
	const uint8_t *cid;
	size_t cid_len;
	const uint8_t *prl;
	size_t prl_len;
	uint16_t maxmsg;
	const uint8_t *rai;
	size_t rai_len;
	uint32_t sel118;
	uint32_t lt;
	uint8_t op;   /* 0 = BOOTREQUEST */
	uint8_t hlen; /* 0 = 6 */
	bool no_type;
};

static struct in_addr ina(uint32_t a)
{
	struct in_addr v = {htonl(a)};

	return v;
}

static size_t build(const struct pk *p, uint8_t *buf, size_t cap)
{
	struct tern_dhcp4_writer w;
	struct tern_dhcp4_hdr h;
	int n;

	tern_dhcp4_writer_init(&w, buf, cap, 0, 0);
	if (!p->no_type)
		tern_dhcp4_put_msg_type(&w, p->type);
	if (p->cid)
		tern_dhcp4_put(&w, TERN_DHCP4_OPT_CLIENT_ID, p->cid,
			       p->cid_len);
	if (p->reqip)
		tern_dhcp4_put_addr(&w, TERN_DHCP4_OPT_REQUESTED_IP,
				    ina(p->reqip));
	if (p->sid)
		tern_dhcp4_put_addr(&w, TERN_DHCP4_OPT_SERVER_ID, ina(p->sid));
	if (p->lt)
		tern_dhcp4_put_u32(&w, TERN_DHCP4_OPT_LEASE_TIME, p->lt);
	if (p->maxmsg)
		tern_dhcp4_put_u16(&w, TERN_DHCP4_OPT_MAX_MSG_SIZE, p->maxmsg);
	if (p->sel118)
		tern_dhcp4_put_addr(&w, TERN_DHCP4_OPT_SUBNET_SELECTION,
				    ina(p->sel118));
	if (p->prl)
		tern_dhcp4_put(&w, TERN_DHCP4_OPT_PRL, p->prl, p->prl_len);
	if (p->rai)
		tern_dhcp4_put(&w, TERN_DHCP4_OPT_RAI, p->rai, p->rai_len);
	memset(&h, 0, sizeof(h));
	h.op = p->op ? p->op : TERN_DHCP4_BOOTREQUEST;
	h.htype = 1;
	h.hlen = p->hlen ? p->hlen : 6;
	h.xid = 0x1000u + p->mac;
	h.flags = p->flags;
	h.ciaddr = ina(p->ciaddr);
	h.giaddr = ina(p->giaddr);
	h.chaddr[0] = 0x02;
	h.chaddr[5] = p->mac;
	tern_dhcp4_write_header(&w, &h);
	n = tern_dhcp4_writer_finish(&w, true);
	assert_true(n > 0);
	return (size_t)n;
}

/* One exchange's results, the reply parsed. */
struct out {
	int rc;
	struct ternd_tx tx;
	uint8_t buf[1500];
	struct ternd_change ch[8];
	size_t n;
	struct tern_dhcp4_msg m;
};

static int64_t now = T0;

static int run_rx(struct ternd_engine *e, const struct pk *p, uint32_t dst,
		  struct out *o)
{
	uint8_t pkt[1500];
	struct ternd_rx rx = {0};

	memset(o, 0, sizeof(*o));
	rx.buf = pkt;
	rx.len = build(p, pkt, sizeof(pkt));
	rx.ifindex = 2;
	rx.ifname = "eth0";
	rx.if_addr = IF_ADDR;
	rx.src_addr = 0;
	rx.src_port = 68;
	rx.now = now;
	rx.dst_addr = dst;
	o->tx.buf = o->buf;
	o->tx.cap = sizeof(o->buf);
	o->rc = ternd_engine_handle(e, &rx, &o->tx, o->ch, 8, &o->n);
	if (o->rc > 0) {
		assert_true(tern_dhcp4_parse(&o->m, o->buf, o->tx.len) >= 0);
		assert_int_equal(tern_dhcp4_get_msg_type(&o->m), o->rc);
		assert_int_equal(o->m.hdr.op, TERN_DHCP4_BOOTREPLY);
		assert_true(o->tx.len >= TERN_DHCP4_BOOTP_MIN);
		assert_int_equal(o->tx.msg_type, o->rc);
		assert_int_equal(o->tx.src_addr, IF_ADDR);
		assert_int_equal(o->tx.ifindex, 2);
	}
	return o->rc;
}

static int run(struct ternd_engine *e, const struct pk *p, struct out *o)
{
	return run_rx(e, p, 0, o);
}

static uint32_t yiaddr(const struct out *o)
{
	return ntohl(o->m.hdr.yiaddr.s_addr);
}

static uint32_t opt_u32(const struct out *o, uint8_t code)
{
	uint32_t v = 0;

	assert_int_equal(tern_dhcp4_get_u32(&o->m, code, &v), 0);
	return v;
}

static uint32_t opt_addr(const struct out *o, uint8_t code)
{
	struct in_addr a;

	assert_int_equal(tern_dhcp4_get_addr(&o->m, code, &a), 0);
	return ntohl(a.s_addr);
}

static bool has(const struct out *o, uint8_t code)
{
	return tern_dhcp4_has_opt(&o->m, code);
}

/* DISCOVER then REQUEST (SELECTING) for a client; returns its address. */
static uint32_t dora(struct ternd_engine *e, struct pk p)
{
	struct out o;
	uint32_t a;

	p.type = TERN_DHCP4_DISCOVER;
	assert_int_equal(run(e, &p, &o), TERN_DHCP4_OFFER);
	a = yiaddr(&o);
	p.type = TERN_DHCP4_REQUEST;
	p.reqip = a;
	p.sid = IF_ADDR;
	assert_int_equal(run(e, &p, &o), TERN_DHCP4_ACK);
	assert_int_equal(yiaddr(&o), a);
	assert_int_equal(o.n, 1);
	return a;
}

static const uint8_t prl_std[] = {1, 3, 6, 15, 12, 42};

/* ---- tests ----------------------------------------------------------------
 */

static void test_dora(void **state)
{
	struct fx *f = *state;
	struct pk p = {.type = TERN_DHCP4_DISCOVER,
		       .mac = 1,
		       .prl = prl_std,
		       .prl_len = sizeof(prl_std)};
	struct out o;
	uint32_t a;

	now = T0;
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_OFFER);
	a = yiaddr(&o);
	assert_true(a >= IP(192, 0, 2, 100) && a <= IP(192, 0, 2, 199));
	assert_int_equal(o.n, 0);
	assert_false(o.tx.needs_commit);
	assert_int_equal(opt_addr(&o, TERN_DHCP4_OPT_SERVER_ID), IF_ADDR);
	assert_int_equal(opt_u32(&o, TERN_DHCP4_OPT_LEASE_TIME), 3600);
	assert_int_equal(opt_u32(&o, TERN_DHCP4_OPT_T1), 900);
	assert_int_equal(opt_u32(&o, TERN_DHCP4_OPT_T2), 1800);
	assert_int_equal(opt_addr(&o, TERN_DHCP4_OPT_SUBNET_MASK),
			 IP(255, 255, 255, 0));
	assert_int_equal(opt_addr(&o, TERN_DHCP4_OPT_ROUTER), IP(192, 0, 2, 1));
	assert_int_equal(opt_addr(&o, TERN_DHCP4_OPT_DNS), IP(192, 0, 2, 53));
	assert_int_equal(opt_addr(&o, TERN_DHCP4_OPT_NTP), IP(192, 0, 2, 123));
	assert_false(has(&o, TERN_DHCP4_OPT_HOST_NAME));
	assert_false(has(&o, TERN_DHCP4_OPT_CLIENT_ID));
	assert_int_equal(ntohl(o.m.hdr.siaddr.s_addr), IP(192, 0, 2, 5));
	assert_int_equal(o.m.hdr.xid, 0x1001);
	assert_int_equal(o.m.hdr.ciaddr.s_addr, 0);
	/* PRL order: 1, 3, 6 after 53, 54, 51, 58, 59. */
	assert_int_equal(o.m.opts[0].code, TERN_DHCP4_OPT_MSG_TYPE);
	assert_int_equal(o.m.opts[1].code, TERN_DHCP4_OPT_SERVER_ID);
	assert_int_equal(o.m.opts[2].code, TERN_DHCP4_OPT_LEASE_TIME);
	assert_int_equal(o.m.opts[5].code, TERN_DHCP4_OPT_SUBNET_MASK);
	assert_int_equal(o.m.opts[6].code, TERN_DHCP4_OPT_ROUTER);
	assert_int_equal(o.m.opts[7].code, TERN_DHCP4_OPT_DNS);
	assert_int_equal(o.tx.dest, TERND_DEST_HWADDR);
	assert_int_equal(o.tx.dst_addr, a);
	assert_int_equal(o.tx.dst_port, 68);
	assert_int_equal(o.tx.hw_len, 6);
	assert_int_equal(o.tx.hw[5], 1);
	assert_int_equal(ternd_engine_stats(f->e)->offers_open, 1);
	assert_int_equal(ternd_engine_lease(f->e, a)->state,
			 TERND_LEASE_OFFERED);

	p.type = TERN_DHCP4_REQUEST;
	p.reqip = a;
	p.sid = IF_ADDR;
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_ACK);
	assert_int_equal(yiaddr(&o), a);
	assert_int_equal(opt_u32(&o, TERN_DHCP4_OPT_LEASE_TIME), 3600);
	assert_int_equal(opt_u32(&o, TERN_DHCP4_OPT_T1), 900);
	assert_int_equal(opt_u32(&o, TERN_DHCP4_OPT_T2), 1800);
	assert_true(o.tx.needs_commit);
	assert_int_equal(o.n, 1);
	assert_int_equal(o.ch[0].op, TERND_CHANGE_UPSERT);
	assert_int_equal(o.ch[0].lease.addr, a);
	assert_int_equal(o.ch[0].lease.state, TERND_LEASE_BOUND);
	assert_int_equal(o.ch[0].lease.subnet_id, 1);
	assert_int_equal(o.ch[0].lease.cltt, T0);
	assert_int_equal(o.ch[0].lease.expire, T0 + 3600);
	assert_int_equal(o.ch[0].lease.valid_lifetime, 3600);
	assert_int_equal(o.ch[0].lease.hw_len, 6);
	assert_int_equal(o.ch[0].lease.hw[5], 1);
	assert_int_equal(ternd_engine_stats(f->e)->leases_bound, 1);
	assert_int_equal(ternd_engine_stats(f->e)->offers_open, 0);
	assert_int_equal(ternd_engine_stats(f->e)->tx_offer, 1);
	assert_int_equal(ternd_engine_stats(f->e)->tx_ack, 1);
	assert_int_equal(ternd_engine_stats(f->e)->rx[TERN_DHCP4_DISCOVER], 1);
	assert_int_equal(ternd_engine_stats(f->e)->rx[TERN_DHCP4_REQUEST], 1);
	assert_string_equal(ternd_lease_state_name(TERND_LEASE_BOUND), "bound");
}

static void test_client_id_and_relay_echo(void **state)
{
	struct fx *f = *state;
	static const uint8_t cid[] = {0xff, 1, 2, 3, 4, 5, 6, 7, 8};
	static const uint8_t rai[] = {1, 4, 'p', 'o', 'r', 't', 2, 2, 'r', 'i'};
	struct pk p = {.type = TERN_DHCP4_DISCOVER,
		       .mac = 2,
		       .cid = cid,
		       .cid_len = sizeof(cid),
		       .giaddr = IP(198, 51, 100, 1),
		       .rai = rai,
		       .rai_len = sizeof(rai),
		       .prl = prl_std,
		       .prl_len = sizeof(prl_std)};
	const uint8_t *d;
	struct out o;
	int n;

	now = T0;
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_OFFER);
	assert_int_equal(yiaddr(&o) & 0xffffff00u, IP(198, 51, 100, 0));
	n = tern_dhcp4_get_client_id(&o.m, NULL, 0, &d);
	assert_int_equal(n, sizeof(cid));
	assert_memory_equal(d, cid, sizeof(cid));
	n = tern_dhcp4_opt_get(&o.m, TERN_DHCP4_OPT_RAI, NULL, 0, &d);
	assert_int_equal(n, sizeof(rai));
	assert_memory_equal(d, rai, sizeof(rai));
	/* Relay agent information is the last option. */
	assert_int_equal(o.m.opts[o.m.n_opts - 1].code, TERN_DHCP4_OPT_RAI);
	assert_int_equal(ntohl(o.m.hdr.giaddr.s_addr), IP(198, 51, 100, 1));
	assert_int_equal(o.tx.dest, TERND_DEST_RELAY);
	assert_int_equal(o.tx.dst_addr, IP(198, 51, 100, 1));
	assert_int_equal(o.tx.dst_port, 67);
	/* Subnet 2's own lifetime, the global timers. */
	assert_int_equal(opt_u32(&o, TERN_DHCP4_OPT_LEASE_TIME), 2000);
	assert_int_equal(opt_u32(&o, TERN_DHCP4_OPT_T1), 900);
	assert_int_equal(opt_u32(&o, TERN_DHCP4_OPT_T2), 1800);
	assert_int_equal(opt_addr(&o, TERN_DHCP4_OPT_ROUTER),
			 IP(198, 51, 100, 1));

	/* The same client-id with another chaddr is the same client. */
	p.type = TERN_DHCP4_REQUEST;
	p.reqip = yiaddr(&o);
	p.sid = IF_ADDR;
	p.mac = 3;
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_ACK);
	assert_int_equal(o.ch[0].lease.cid_len, sizeof(cid));
	assert_memory_equal(o.ch[0].lease.cid, cid, sizeof(cid));
}

static void test_destinations(void **state)
{
	struct fx *f = *state;
	struct pk p = {.type = TERN_DHCP4_DISCOVER, .mac = 4};
	struct out o;
	uint32_t a;

	now = T0;
	/* Broadcast flag. */
	p.flags = TERN_DHCP4_FLAG_BROADCAST;
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_OFFER);
	assert_int_equal(o.tx.dest, TERND_DEST_BROADCAST);
	assert_int_equal(o.tx.dst_addr, 0xffffffffu);
	assert_int_equal(o.tx.dst_port, 68);
	assert_int_equal(o.m.hdr.flags, TERN_DHCP4_FLAG_BROADCAST);
	/* Hardware address. */
	p.flags = 0;
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_OFFER);
	assert_int_equal(o.tx.dest, TERND_DEST_HWADDR);
	a = yiaddr(&o);
	p.type = TERN_DHCP4_REQUEST;
	p.reqip = a;
	p.sid = IF_ADDR;
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_ACK);
	/* Renewing: to ciaddr. */
	p.reqip = p.sid = 0;
	p.ciaddr = a;
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_ACK);
	assert_int_equal(o.tx.dest, TERND_DEST_CIADDR);
	assert_int_equal(o.tx.dst_addr, a);
	assert_int_equal(o.tx.dst_port, 68);
	assert_int_equal(ntohl(o.m.hdr.ciaddr.s_addr), a);
	/* NAK: broadcast even with ciaddr set. */
	p.ciaddr = 0;
	p.reqip = IP(192, 0, 2, 250); /* outside the pools, authoritative */
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_NAK);
	assert_int_equal(o.tx.dest, TERND_DEST_BROADCAST);
	assert_int_equal(o.tx.dst_addr, 0xffffffffu);
	assert_int_equal(o.m.hdr.yiaddr.s_addr, 0);
	assert_int_equal(o.m.hdr.ciaddr.s_addr, 0);
	assert_int_equal(opt_addr(&o, TERN_DHCP4_OPT_SERVER_ID), IF_ADDR);
	assert_false(has(&o, TERN_DHCP4_OPT_MESSAGE)); /* as Kea */
	assert_false(has(&o, TERN_DHCP4_OPT_LEASE_TIME));
	assert_false(has(&o, TERN_DHCP4_OPT_SUBNET_MASK));
	assert_int_equal(ternd_engine_stats(f->e)->tx_nak, 1);
	/* Relay: port 67; a relayed NAK has the broadcast bit set. Subnet
	 * 2 is not authoritative: INIT-REBOOT elsewhere gets silence. */
	p.giaddr = IP(10, 9, 9, 9);
	p.reqip = IP(192, 0, 2, 120);
	assert_int_equal(run(f->e, &p, &o), 0);
	p.reqip = IP(203, 0, 113, 1);
	p.sel118 = IP(192, 0, 2, 0);
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_NAK);
	assert_int_equal(o.tx.dest, TERND_DEST_RELAY);
	assert_int_equal(o.tx.dst_addr, IP(10, 9, 9, 9));
	assert_int_equal(o.tx.dst_port, 67);
	assert_true(o.m.hdr.flags & TERN_DHCP4_FLAG_BROADCAST);
}

static void test_same_client_same_address(void **state)
{
	struct fx *f = *state;
	struct pk p = {.type = TERN_DHCP4_DISCOVER, .mac = 5};
	struct out o;
	uint32_t a, b;

	now = T0;
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_OFFER);
	a = yiaddr(&o);
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_OFFER);
	assert_int_equal(yiaddr(&o), a);
	assert_int_equal(ternd_engine_stats(f->e)->offers_open, 1);
	/* Bound: rediscover offers the bound address. */
	a = dora(f->e, p);
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_OFFER);
	assert_int_equal(yiaddr(&o), a);
	/* Two clients never share. */
	p.mac = 6;
	b = dora(f->e, p);
	assert_int_not_equal(a, b);
	for (int i = 7; i < 40; i++) {
		p.mac = (uint8_t)i;
		uint32_t c = dora(f->e, p);
		assert_int_not_equal(c, a);
		assert_int_not_equal(c, b);
		assert_int_equal(ternd_engine_lease(f->e, c)->hw[5], i);
	}
	assert_int_equal(ternd_engine_stats(f->e)->leases_bound, 35);
}

static void test_reservations(void **state)
{
	struct fx *f = *state;
	static const uint8_t cid[] = {1, 2, 0, 0, 0, 0, 0xbb};
	struct pk p = {.type = TERN_DHCP4_DISCOVER,
		       .mac = 0xaa,
		       .prl = prl_std,
		       .prl_len = sizeof(prl_std)};
	const uint8_t *d;
	struct out o;
	int n;

	now = T0;
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_OFFER);
	assert_int_equal(yiaddr(&o), IP(192, 0, 2, 10));
	n = tern_dhcp4_get_host_name(&o.m, NULL, 0, &d);
	assert_int_equal(n, 7);
	assert_memory_equal(d, "printer", 7);
	n = tern_dhcp4_get_domain_name(&o.m, NULL, 0, &d);
	assert_int_equal(n, 11);
	assert_memory_equal(d, "res.example", 11);
	/* Reservation options add to the subnet's. */
	assert_int_equal(opt_addr(&o, TERN_DHCP4_OPT_ROUTER), IP(192, 0, 2, 1));
	assert_int_equal(dora(f->e, p), IP(192, 0, 2, 10));
	assert_string_equal(
		ternd_engine_lease(f->e, IP(192, 0, 2, 10))->hostname,
		"printer");

	/* By client-id, inside the pool. */
	p.mac = 0x30;
	p.cid = cid;
	p.cid_len = sizeof(cid);
	assert_int_equal(dora(f->e, p), IP(192, 0, 2, 150));
	/* Others never get .150, even asking for it. */
	p.cid = NULL;
	p.mac = 0x31;
	p.reqip = IP(192, 0, 2, 150);
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_OFFER);
	assert_int_not_equal(yiaddr(&o), IP(192, 0, 2, 150));
}

static void test_requested_address(void **state)
{
	struct fx *f = *state;
	struct pk p = {.type = TERN_DHCP4_DISCOVER,
		       .mac = 0x40,
		       .reqip = IP(192, 0, 2, 177)};
	struct out o;

	now = T0;
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_OFFER);
	assert_int_equal(yiaddr(&o), IP(192, 0, 2, 177));
	/* Offered to someone else: not honoured. */
	p.mac = 0x41;
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_OFFER);
	assert_int_not_equal(yiaddr(&o), IP(192, 0, 2, 177));
	/* Outside the pools (and not reserved): not honoured. */
	p.mac = 0x42;
	p.reqip = IP(192, 0, 2, 50);
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_OFFER);
	assert_int_not_equal(yiaddr(&o), IP(192, 0, 2, 50));
	/* Reserved for another host: not honoured. */
	p.mac = 0x43;
	p.reqip = IP(192, 0, 2, 10);
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_OFFER);
	assert_int_not_equal(yiaddr(&o), IP(192, 0, 2, 10));
	/* And a SELECTING request for another's address gets a NAK. */
	p.type = TERN_DHCP4_REQUEST;
	p.sid = IF_ADDR;
	p.reqip = IP(192, 0, 2, 177);
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_NAK);
}

static void test_selecting_other_server(void **state)
{
	struct fx *f = *state;
	struct pk p = {.type = TERN_DHCP4_DISCOVER, .mac = 0x50};
	struct out o;
	uint32_t a;

	now = T0;
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_OFFER);
	a = yiaddr(&o);
	p.type = TERN_DHCP4_REQUEST;
	p.sid = IP(192, 0, 2, 2);
	p.reqip = IP(192, 0, 2, 133);
	assert_int_equal(run(f->e, &p, &o), 0);
	assert_int_equal(o.n, 0);
	assert_int_equal(ternd_engine_stats(f->e)->drops[TERND_DROP_NOT_OURS],
			 1);
	assert_null(ternd_engine_lease(f->e, a));
	assert_int_equal(ternd_engine_stats(f->e)->offers_open, 0);
	/* Free again: another client may ask for it. */
	p.type = TERN_DHCP4_DISCOVER;
	p.sid = 0;
	p.mac = 0x51;
	p.reqip = a;
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_OFFER);
	assert_int_equal(yiaddr(&o), a);
}

static void test_init_reboot(void **state)
{
	struct fx *f = *state;
	struct pk p = {.mac = 0x60};
	struct out o;
	uint32_t a, b;

	now = T0;
	a = dora(f->e, p);
	/* Known client, its address: ACK. */
	p.type = TERN_DHCP4_REQUEST;
	p.reqip = a;
	now += 100;
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_ACK);
	assert_int_equal(yiaddr(&o), a);
	assert_int_equal(o.ch[0].lease.expire, now + 3600);
	/* Wrong subnet, authoritative: NAK. */
	p.reqip = IP(198, 51, 100, 15);
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_NAK);
	/* Another client's address: NAK. */
	p.mac = 0x61;
	b = dora(f->e, p);
	p.mac = 0x60;
	p.reqip = b;
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_NAK);
	/* Unknown client, free pool address: NAK when authoritative, as Kea
	 * (it goes back to DISCOVER). */
	p.mac = 0x62;
	p.reqip = IP(192, 0, 2, 190);
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_NAK);
	assert_null(ternd_engine_lease(f->e, IP(192, 0, 2, 190)));
	/* Non-authoritative subnet (relayed to subnet 2): silence. */
	p.mac = 0x63;
	p.giaddr = IP(198, 51, 100, 1);
	p.reqip = IP(192, 0, 2, 191);
	assert_int_equal(run(f->e, &p, &o), 0);
	assert_int_equal(o.tx.len, 0);
	assert_int_equal(ternd_engine_stats(f->e)->drops[TERND_DROP_SILENT], 1);
}

static void test_renew_rebind(void **state)
{
	struct fx *f = *state;
	struct pk p = {.mac = 0x70};
	struct out o;
	uint32_t a;

	now = T0;
	a = dora(f->e, p);
	p.type = TERN_DHCP4_REQUEST;
	p.ciaddr = a;
	now = T0 + 1800;
	/* RENEWING: unicast to us. */
	assert_int_equal(run_rx(f->e, &p, IF_ADDR, &o), TERN_DHCP4_ACK);
	assert_int_equal(yiaddr(&o), a);
	assert_int_equal(o.n, 1);
	assert_int_equal(o.ch[0].lease.expire, T0 + 1800 + 3600);
	assert_int_equal(o.ch[0].lease.cltt, T0 + 1800);
	assert_int_equal(ternd_engine_lease(f->e, a)->expire, T0 + 5400);
	/* REBINDING: broadcast. */
	now = T0 + 5000;
	assert_int_equal(run_rx(f->e, &p, 0xffffffffu, &o), TERN_DHCP4_ACK);
	assert_int_equal(o.ch[0].lease.expire, T0 + 5000 + 3600);
	/* Renewing an address in none of our pools: silence either way
	 * (Kea: not an address it knows); a free pool address is the
	 * client's (Kea moves it there). */
	p.ciaddr = IP(192, 0, 2, 20);
	assert_int_equal(run_rx(f->e, &p, IF_ADDR, &o), 0);
	assert_int_equal(run_rx(f->e, &p, 0xffffffffu, &o), 0);
	/* Another client's address: NAK either way. */
	p.mac = 0x71;
	p.ciaddr = a;
	assert_int_equal(run_rx(f->e, &p, 0xffffffffu, &o), TERN_DHCP4_NAK);
	/* Requested lease time is clamped to [min, max] (subnet 2). */
	p.mac = 0x72;
	p.ciaddr = 0;
	p.giaddr = IP(198, 51, 100, 1);
	p.lt = 10;
	p.type = TERN_DHCP4_DISCOVER;
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_OFFER);
	assert_int_equal(opt_u32(&o, TERN_DHCP4_OPT_LEASE_TIME), 1000);
	/* Kea: the configured T2 (1800) is not below the lease, so it is
	 * left out; T1 (900) is below the lease and goes alone. */
	assert_int_equal(opt_u32(&o, TERN_DHCP4_OPT_T1), 900);
	assert_false(has(&o, TERN_DHCP4_OPT_T2));
	p.lt = 99999;
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_OFFER);
	assert_int_equal(opt_u32(&o, TERN_DHCP4_OPT_LEASE_TIME), 5000);
	assert_int_equal(opt_u32(&o, TERN_DHCP4_OPT_T1), 900);
	assert_int_equal(opt_u32(&o, TERN_DHCP4_OPT_T2), 1800);
}

static void test_decline(void **state)
{
	struct fx *f = *state;
	struct pk p = {.mac = 0x80, .sel118 = IP(203, 0, 113, 0)};
	struct ternd_change ch[8];
	struct out o;
	int64_t next;
	uint32_t a, b;

	now = T0;
	a = dora(f->e, p); /* /30: .1 and .2 only */
	assert_true(a == IP(203, 0, 113, 1) || a == IP(203, 0, 113, 2));
	p.type = TERN_DHCP4_DECLINE;
	p.reqip = a;
	p.sid = IF_ADDR;
	assert_int_equal(run(f->e, &p, &o), 0);
	assert_int_equal(o.n, 1);
	assert_int_equal(o.ch[0].op, TERND_CHANGE_UPSERT);
	assert_int_equal(o.ch[0].lease.state, TERND_LEASE_DECLINED);
	assert_int_equal(o.ch[0].lease.expire, T0 + 600);
	assert_int_equal(ternd_engine_stats(f->e)->declines, 1);
	/* The declining client gets the other address, then nobody gets any. */
	b = dora(f->e, p);
	assert_int_not_equal(a, b);
	p.mac = 0x81;
	p.type = TERN_DHCP4_DISCOVER;
	p.reqip = a;
	assert_int_equal(run(f->e, &p, &o), -ENOSPC);
	assert_int_equal(ternd_engine_stats(f->e)->drops[TERND_DROP_EXHAUSTED],
			 1);
	/* Probation ends. */
	now = T0 + 599;
	assert_int_equal(ternd_engine_expire(f->e, now, ch, 8, &next), 0);
	assert_int_equal(next, T0 + 600);
	now = T0 + 600;
	assert_int_equal(ternd_engine_expire(f->e, now, ch, 8, &next), 1);
	assert_int_equal(ch[0].op, TERND_CHANGE_DELETE);
	assert_int_equal(ch[0].lease.addr, a);
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_OFFER);
	assert_int_equal(yiaddr(&o), a);
	/* DECLINE of an address the client does not hold: nothing. */
	p.type = TERN_DHCP4_DECLINE;
	p.sid = IF_ADDR;
	p.reqip = b;
	assert_int_equal(run(f->e, &p, &o), 0);
	assert_int_equal(o.n, 0);
	assert_int_equal(ternd_engine_stats(f->e)->drops[TERND_DROP_NO_LEASE],
			 1);
}

static void test_release_affinity(void **state)
{
	struct fx *f = *state;
	struct pk p = {.mac = 0x90, .sel118 = IP(203, 0, 113, 0)};
	struct out o;
	uint32_t a;

	now = T0;
	a = dora(f->e, p);
	p.type = TERN_DHCP4_RELEASE;
	p.ciaddr = a;
	p.sid = IF_ADDR;
	assert_int_equal(run(f->e, &p, &o), 0);
	assert_int_equal(o.n, 1);
	assert_int_equal(o.ch[0].lease.state, TERND_LEASE_RELEASED);
	assert_int_equal(ternd_engine_stats(f->e)->releases, 1);
	assert_int_equal(ternd_engine_stats(f->e)->leases_bound, 0);
	/* Affinity: the same client gets it back. */
	p.ciaddr = 0;
	p.sid = 0;
	assert_int_equal(dora(f->e, p), a);
	/* Released again, then two other clients fill the /30: the second
	 * takes the released address over. */
	p.type = TERN_DHCP4_RELEASE;
	p.ciaddr = a;
	p.sid = IF_ADDR;
	assert_int_equal(run(f->e, &p, &o), 0);
	p.ciaddr = 0;
	p.sid = 0;
	p.mac = 0x91;
	assert_int_not_equal(dora(f->e, p), a);
	p.mac = 0x92;
	assert_int_equal(dora(f->e, p), a);
	assert_int_equal(ternd_engine_lease(f->e, a)->hw[5], 0x92);
	/* A RELEASE from someone else does nothing. */
	p.type = TERN_DHCP4_RELEASE;
	p.mac = 0x90;
	p.ciaddr = a;
	assert_int_equal(run(f->e, &p, &o), 0);
	assert_int_equal(o.n, 0);
	assert_int_equal(ternd_engine_lease(f->e, a)->state, TERND_LEASE_BOUND);
}

static void test_inform(void **state)
{
	struct fx *f = *state;
	struct pk p = {.type = TERN_DHCP4_INFORM,
		       .mac = 0xa0,
		       .ciaddr = IP(192, 0, 2, 33),
		       .prl = prl_std,
		       .prl_len = sizeof(prl_std)};
	struct out o;

	now = T0;
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_ACK);
	assert_int_equal(o.m.hdr.yiaddr.s_addr, 0);
	assert_int_equal(ntohl(o.m.hdr.ciaddr.s_addr), IP(192, 0, 2, 33));
	assert_false(has(&o, TERN_DHCP4_OPT_LEASE_TIME));
	assert_false(has(&o, TERN_DHCP4_OPT_T1));
	assert_false(has(&o, TERN_DHCP4_OPT_T2));
	assert_int_equal(opt_addr(&o, TERN_DHCP4_OPT_DNS), IP(192, 0, 2, 53));
	assert_int_equal(opt_addr(&o, TERN_DHCP4_OPT_SERVER_ID), IF_ADDR);
	assert_int_equal(o.tx.dest, TERND_DEST_CIADDR);
	assert_int_equal(o.tx.dst_addr, IP(192, 0, 2, 33));
	assert_int_equal(o.n, 0);
	assert_false(o.tx.needs_commit);
	assert_null(ternd_engine_lease(f->e, IP(192, 0, 2, 33)));
}

static void test_exhaustion(void **state)
{
	struct fx *f = *state;
	struct pk p = {.type = TERN_DHCP4_DISCOVER,
		       .mac = 0xb0,
		       .sel118 = IP(203, 0, 113, 0)};
	struct out o;
	uint32_t a, b;

	now = T0;
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_OFFER);
	a = yiaddr(&o);
	p.mac = 0xb1;
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_OFFER);
	b = yiaddr(&o);
	/* Never the network or broadcast address, though in the pool. */
	assert_true(a != b);
	assert_true(a == IP(203, 0, 113, 1) || a == IP(203, 0, 113, 2));
	assert_true(b == IP(203, 0, 113, 1) || b == IP(203, 0, 113, 2));
	/* A third client takes the oldest unanswered offer (RFC 2131
	 * §4.3.1), so open offers cannot lock a full pool. */
	now = T0 + 2;
	p.mac = 0xb2;
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_OFFER);
	assert_int_equal(yiaddr(&o), a);
	assert_int_equal(ternd_engine_stats(f->e)->offers_reused, 1);
	/* The first client comes back too late: its address is gone. */
	p.mac = 0xb0;
	p.type = TERN_DHCP4_REQUEST;
	p.reqip = a;
	p.sid = IF_ADDR;
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_NAK);
	/* Once both addresses are bound, nothing is left to give. */
	p.mac = 0xb2;
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_ACK);
	p.mac = 0xb1;
	p.reqip = b;
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_ACK);
	p.type = TERN_DHCP4_DISCOVER;
	p.reqip = 0;
	p.sid = 0;
	p.mac = 0xb3;
	assert_int_equal(run(f->e, &p, &o), -ENOSPC);
	assert_int_equal(o.tx.len, 0);
	assert_int_equal(ternd_engine_stats(f->e)->drops[TERND_DROP_EXHAUSTED],
			 1);
}

static void test_small_max_message(void **state)
{
	(void)state;
	/* Options of about 420 bytes, a client that takes 576. */
	static const char cfg[] =
		"{\"Dhcp4\": {\"subnet4\": [{\"id\": 1,"
		" \"subnet\": \"192.0.2.0/24\", \"interface\": \"eth0\","
		" \"pools\": [{\"pool\": \"192.0.2.100 - 192.0.2.199\"}],"
		" \"option-data\": ["
		"  {\"code\": 224, \"csv-format\": false, \"data\": \""
		"0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
		"20"
		"0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
		"20"
		"0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
		"20"
		"0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
		"20"
		"0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
		"20"
		"0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
		"20"
		"\"},"
		"  {\"code\": 225, \"csv-format\": false, \"data\": \""
		"0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
		"20"
		"0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
		"20"
		"0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
		"20"
		"\"},"
		"  {\"code\": 226, \"csv-format\": false, \"data\": \""
		"0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
		"20"
		"0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
		"20"
		"0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
		"20"
		"0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
		"20"
		"\"},"
		"  {\"code\": 227, \"csv-format\": false, \"data\": \"0102\"},"
		"  {\"name\": \"routers\", \"data\": \"192.0.2.1\"}]}]}}";
	static const uint8_t prl[] = {1, 3, 224, 225, 226, 227};
	static const uint8_t rai[] = {1, 4, 'p', 'o', 'r', 't'};
	struct fx *f = fx_new(cfg);
	struct pk p = {.type = TERN_DHCP4_DISCOVER,
		       .mac = 0xc0,
		       .prl = prl,
		       .prl_len = sizeof(prl),
		       .maxmsg = 400,
		       .rai = rai,
		       .rai_len = sizeof(rai)};
	struct out o;

	now = T0;
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_OFFER);
	assert_true(o.tx.len <= 576 - 28);
	assert_true(o.m.overload != 0);
	assert_true(has(&o, TERN_DHCP4_OPT_ROUTER));
	/* 224 (192 bytes) fills the options field, 225 (96) goes to file,
	 * 226 (128) fits nowhere and is dropped, the small 227 still fits
	 * in the options field. */
	assert_true(has(&o, 224));
	assert_true(has(&o, 225));
	assert_false(has(&o, 226));
	assert_true(has(&o, 227));
	assert_true(has(&o, TERN_DHCP4_OPT_RAI));
	/* Option 82 stays in the options field. */
	for (unsigned i = 0; i < o.m.n_opts; i++)
		if (o.m.opts[i].code == TERN_DHCP4_OPT_RAI)
			assert_true(o.m.opts[i].off > TERN_DHCP4_OPTS_OFF);
	/* Without option 57 the limit is 576 too; with 1500 all fit. */
	p.maxmsg = 0;
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_OFFER);
	assert_true(o.tx.len <= 576 - 28);
	p.maxmsg = 1500;
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_OFFER);
	assert_true(has(&o, 224) && has(&o, 225) && has(&o, 226));
	assert_int_equal(o.m.overload, 0);
	fx_free(f);
}

static void test_malformed(void **state)
{
	struct fx *f = *state;
	const struct ternd_engine_stats *st = ternd_engine_stats(f->e);
	struct pk p = {.type = TERN_DHCP4_DISCOVER, .mac = 0xd0};
	uint8_t pkt[600], buf[600];
	struct ternd_change ch[4];
	struct ternd_tx tx = {.buf = buf, .cap = sizeof(buf)};
	struct ternd_rx rx = {.buf = pkt, .if_addr = IF_ADDR, .now = T0};
	struct out o;
	size_t n, len;

	len = build(&p, pkt, sizeof(pkt));
	/* Truncated. */
	rx.len = 100;
	assert_int_equal(ternd_engine_handle(f->e, &rx, &tx, ch, 4, &n),
			 -EBADMSG);
	assert_int_equal(st->drops[TERND_DROP_MALFORMED], 1);
	/* Options running past the end. */
	rx.len = len;
	pkt[TERN_DHCP4_OPTS_OFF + 3] = 250;
	pkt[TERN_DHCP4_OPTS_OFF + 4] = 200;
	assert_int_equal(ternd_engine_handle(f->e, &rx, &tx, ch, 4, &n),
			 -EBADMSG);
	assert_int_equal(st->drops[TERND_DROP_MALFORMED], 2);
	/* Wrong op. */
	p.op = TERN_DHCP4_BOOTREPLY;
	assert_int_equal(run(f->e, &p, &o), -EBADMSG);
	assert_int_equal(st->drops[TERND_DROP_MALFORMED], 3);
	/* hlen over 16. */
	p.op = 0;
	p.hlen = 17;
	assert_int_equal(run(f->e, &p, &o), -EBADMSG);
	assert_int_equal(st->drops[TERND_DROP_MALFORMED], 4);
	/* No message type; a server's message type. */
	p.hlen = 0;
	p.no_type = true;
	assert_int_equal(run(f->e, &p, &o), -EBADMSG);
	assert_int_equal(st->drops[TERND_DROP_NO_TYPE], 1);
	p.no_type = false;
	p.type = TERN_DHCP4_OFFER;
	assert_int_equal(run(f->e, &p, &o), -EBADMSG);
	p.type = 9;
	assert_int_equal(run(f->e, &p, &o), -EBADMSG);
	assert_int_equal(st->drops[TERND_DROP_NO_TYPE], 3);
	/* One-byte client-id (RFC 2132 wants two). */
	static const uint8_t cid1[] = {7};
	p.type = TERN_DHCP4_DISCOVER;
	p.cid = cid1;
	p.cid_len = 1;
	assert_int_equal(run(f->e, &p, &o), -EBADMSG);
	assert_int_equal(st->drops[TERND_DROP_MALFORMED], 5);
	/* No subnet: relayed from an unknown link. */
	p.cid = NULL;
	p.giaddr = IP(172, 16, 0, 1);
	assert_int_equal(run(f->e, &p, &o), -ENETUNREACH);
	assert_int_equal(st->drops[TERND_DROP_NO_SUBNET], 1);
	/* No room for the changes. */
	p.giaddr = 0;
	p.type = TERN_DHCP4_REQUEST;
	p.reqip = IP(192, 0, 2, 111);
	p.sid = IF_ADDR; /* SELECTING */
	{
		uint8_t q[600];
		struct ternd_rx r2 = {.buf = q,
				      .if_addr = IF_ADDR,
				      .ifname = "eth0",
				      .now = T0};

		r2.len = build(&p, q, sizeof(q));
		assert_int_equal(
			ternd_engine_handle(f->e, &r2, &tx, NULL, 0, &n),
			-ENOBUFS);
		assert_int_equal(n, 0);
		assert_int_equal(st->drops[TERND_DROP_TOO_MANY], 1);
		assert_null(ternd_engine_lease(f->e, IP(192, 0, 2, 111)));
	}
	assert_int_equal(ternd_engine_handle(NULL, &rx, &tx, ch, 4, &n),
			 -EINVAL);
}

static void test_expiry(void **state)
{
	struct fx *f = *state;
	const struct ternd_engine_stats *st = ternd_engine_stats(f->e);
	struct pk p = {.type = TERN_DHCP4_DISCOVER, .mac = 0xe0};
	struct ternd_change ch[8];
	struct out o;
	int64_t next;
	uint32_t a, b;

	now = T0;
	assert_int_equal(ternd_engine_expire(f->e, now, ch, 8, &next), 0);
	assert_int_equal(next, INT64_MAX);
	/* An offer lapses after offer-lifetime (30 s), without a change. */
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_OFFER);
	a = yiaddr(&o);
	assert_int_equal(ternd_engine_expire(f->e, now, ch, 8, &next), 0);
	assert_int_equal(next, T0 + 30);
	assert_int_equal(ternd_engine_expire(f->e, T0 + 30, ch, 8, &next), 0);
	assert_null(ternd_engine_lease(f->e, a));
	assert_int_equal(st->offers_open, 0);
	/* A bound lease expires into affinity, with a change. */
	p.mac = 0xe1;
	b = dora(f->e, p);
	assert_int_equal(ternd_engine_expire(f->e, T0 + 3599, ch, 8, &next), 0);
	assert_int_equal(next, T0 + 3600);
	assert_int_equal(ternd_engine_expire(f->e, T0 + 3600, ch, 8, &next), 1);
	assert_int_equal(ch[0].op, TERND_CHANGE_UPSERT);
	assert_int_equal(ch[0].lease.state, TERND_LEASE_EXPIRED);
	assert_int_equal(ch[0].lease.addr, b);
	assert_int_equal(st->expired, 1);
	assert_int_equal(st->leases_bound, 0);
	assert_int_equal(next, INT64_MAX);
	/* Expired, the address is the client's again on return. */
	now = T0 + 4000;
	assert_int_equal(dora(f->e, p), b);
	/* At most max changes per call; the rest on the next call. */
	for (int i = 0; i < 5; i++) {
		p.mac = (uint8_t)(0xe8 + i);
		dora(f->e, p);
	}
	assert_int_equal(ternd_engine_expire(f->e, T0 + 9000, ch, 2, &next), 2);
	assert_true(next <= T0 + 9000);
	assert_int_equal(ternd_engine_expire(f->e, T0 + 9000, ch, 8, &next), 4);
	assert_int_equal(next, INT64_MAX);
}

static void test_restore(void **state)
{
	struct fx *f = *state;
	struct ternd_lease l;
	struct ternd_change ch[8];
	struct pk p = {.type = TERN_DHCP4_REQUEST, .mac = 0xf0};
	struct out o;
	int64_t next;

	now = T0;
	memset(&l, 0, sizeof(l));
	l.addr = IP(192, 0, 2, 123);
	l.subnet_id = 1;
	l.state = TERND_LEASE_BOUND;
	l.htype = 1;
	l.hw_len = 6;
	l.hw[0] = 2;
	l.hw[5] = 0xf0;
	l.valid_lifetime = 3600;
	l.cltt = T0 - 100;
	l.expire = T0 + 3500;
	assert_int_equal(ternd_engine_restore(f->e, &l, now), 0);
	/* Expired at restore: affinity, listed by the next expire(). */
	l.addr = IP(192, 0, 2, 124);
	l.hw[5] = 0xf1;
	l.expire = T0 - 10;
	assert_int_equal(ternd_engine_restore(f->e, &l, now), 0);
	/* Unknown subnet, address outside the pools: skipped. */
	l.subnet_id = 99;
	assert_int_equal(ternd_engine_restore(f->e, &l, now), -ENOENT);
	l.subnet_id = 1;
	l.addr = IP(192, 0, 2, 50);
	assert_int_equal(ternd_engine_restore(f->e, &l, now), -ENOENT);
	l.addr = IP(198, 51, 100, 12);
	assert_int_equal(ternd_engine_restore(f->e, &l, now), -ENOENT);
	assert_int_equal(ternd_engine_stats(f->e)->leases_bound, 1);

	assert_int_equal(ternd_engine_expire(f->e, now, ch, 8, &next), 1);
	assert_int_equal(ch[0].lease.addr, IP(192, 0, 2, 124));
	assert_int_equal(ch[0].lease.state, TERND_LEASE_EXPIRED);
	assert_int_equal(next, T0 + 3500);

	/* The restored client renews. */
	p.ciaddr = IP(192, 0, 2, 123);
	assert_int_equal(run_rx(f->e, &p, IF_ADDR, &o), TERN_DHCP4_ACK);
	assert_int_equal(o.ch[0].lease.expire, T0 + 3600);
	/* Others do not get the restored address. */
	p.mac = 0xf2;
	p.ciaddr = 0;
	p.type = TERN_DHCP4_DISCOVER;
	p.reqip = IP(192, 0, 2, 123);
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_OFFER);
	assert_int_not_equal(yiaddr(&o), IP(192, 0, 2, 123));
	/* The expired one comes back to its client. */
	p.mac = 0xf1;
	p.reqip = 0;
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_OFFER);
	assert_int_equal(yiaddr(&o), IP(192, 0, 2, 124));
}

static void test_subnet_selection(void **state)
{
	struct fx *f = *state;
	struct pk p = {.type = TERN_DHCP4_DISCOVER, .mac = 0x11};
	uint8_t rai[] = {1, 2, 'a', 'b', 5, 4, 10, 2, 0, 0};
	struct out o;

	now = T0;
	/* giaddr inside subnet 2. */
	p.giaddr = IP(198, 51, 100, 1);
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_OFFER);
	assert_int_equal(yiaddr(&o) & 0xffffff00u, IP(198, 51, 100, 0));
	/* giaddr listed as subnet 2's relay. */
	p.mac = 0x12;
	p.giaddr = IP(10, 9, 9, 9);
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_OFFER);
	assert_int_equal(yiaddr(&o) & 0xffffff00u, IP(198, 51, 100, 0));
	/* Link selection beats giaddr. */
	p.mac = 0x13;
	p.rai = rai;
	p.rai_len = sizeof(rai);
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_OFFER);
	assert_int_equal(yiaddr(&o) & 0xffffff00u, IP(10, 2, 0, 0));
	/* Option 118 beats giaddr, and the interface when direct. */
	p.mac = 0x14;
	p.rai = NULL;
	p.sel118 = IP(203, 0, 113, 1);
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_OFFER);
	assert_int_equal(yiaddr(&o) & 0xfffffffcu, IP(203, 0, 113, 0));
	p.giaddr = 0;
	p.mac = 0x15;
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_OFFER);
	assert_int_equal(yiaddr(&o) & 0xfffffffcu, IP(203, 0, 113, 0));
	/* Direct, no option: the interface's subnet. */
	p.sel118 = 0;
	p.mac = 0x16;
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_OFFER);
	assert_int_equal(yiaddr(&o) & 0xffffff00u, IP(192, 0, 2, 0));
}

static void test_shared_network(void **state)
{
	struct fx *f = *state;
	struct pk p = {.type = TERN_DHCP4_DISCOVER,
		       .mac = 0x20,
		       .giaddr = IP(10, 1, 0, 6)};
	struct out o;
	uint32_t a;

	now = T0;
	/* Subnet 10 has two addresses; the third client spills to 11. */
	assert_int_equal(dora(f->e, p) & 0xfffffff8u, IP(10, 1, 0, 0));
	p.mac = 0x21;
	assert_int_equal(dora(f->e, p) & 0xfffffff8u, IP(10, 1, 0, 0));
	p.mac = 0x22;
	a = dora(f->e, p);
	assert_int_equal(a & 0xffffff00u, IP(10, 2, 0, 0));
	/* It renews there though relayed from subnet 10's link. */
	p.type = TERN_DHCP4_REQUEST;
	p.ciaddr = a;
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_ACK);
	assert_int_equal(yiaddr(&o), a);
	/* It is found again by DISCOVER. */
	p.type = TERN_DHCP4_DISCOVER;
	p.ciaddr = 0;
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_OFFER);
	assert_int_equal(yiaddr(&o), a);
	/* The network's relay address selects it too. */
	p.mac = 0x23;
	p.giaddr = IP(10, 8, 8, 8);
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_OFFER);
	assert_int_equal(yiaddr(&o) & 0xffffff00u, IP(10, 2, 0, 0));
}

static void test_server_id_override(void **state)
{
	struct fx *f = *state;
	/* RFC 5107: the relay answers for us at 198.51.100.1. */
	static const uint8_t rai[] = {1, 2, 'c', 'i', 11, 4, 198, 51, 100, 1};
	struct pk p = {.type = TERN_DHCP4_DISCOVER,
		       .mac = 0x17,
		       .giaddr = IP(198, 51, 100, 1),
		       .rai = rai,
		       .rai_len = sizeof(rai)};
	struct out o;

	now = T0;
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_OFFER);
	assert_int_equal(opt_addr(&o, TERN_DHCP4_OPT_SERVER_ID),
			 IP(198, 51, 100, 1));
	p.type = TERN_DHCP4_REQUEST;
	p.reqip = yiaddr(&o);
	p.sid = IP(198, 51, 100, 1);
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_ACK);
	assert_int_equal(opt_addr(&o, TERN_DHCP4_OPT_SERVER_ID),
			 IP(198, 51, 100, 1));
	/* Our own address is ours too. */
	p.sid = IF_ADDR;
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_ACK);
}

static void test_move_address(void **state)
{
	struct fx *f = *state;
	struct pk p = {.mac = 0x18};
	struct out o;
	uint32_t a;

	now = T0;
	a = dora(f->e, p);
	/* INIT-REBOOT for another free address while bound: NAK. */
	p.type = TERN_DHCP4_REQUEST;
	p.reqip = IP(192, 0, 2, 180);
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_NAK);
	assert_int_equal(o.n, 0);
	/* SELECTING one, from our offer or not: it moves, the old row goes. */
	p.sid = IF_ADDR;
	assert_int_equal(run(f->e, &p, &o), TERN_DHCP4_ACK);
	assert_int_equal(yiaddr(&o), IP(192, 0, 2, 180));
	assert_int_equal(o.n, 2);
	assert_int_equal(o.ch[0].op, TERND_CHANGE_DELETE);
	assert_int_equal(o.ch[0].lease.addr, a);
	assert_int_equal(o.ch[1].op, TERND_CHANGE_UPSERT);
	assert_int_equal(o.ch[1].lease.addr, IP(192, 0, 2, 180));
	assert_null(ternd_engine_lease(f->e, a));
	assert_int_equal(ternd_engine_stats(f->e)->leases_bound, 1);
}

static int count_cb(void *ctx, const struct ternd_lease *l)
{
	(void)l;
	(*(int *)ctx)++;
	return 0;
}

static void test_foreach_and_free(void **state)
{
	struct fx *f = *state;
	struct pk p = {.mac = 0x33};
	int n = 0;

	now = T0;
	dora(f->e, p);
	p.mac = 0x34;
	dora(f->e, p);
	assert_int_equal(ternd_engine_foreach(f->e, count_cb, &n), 0);
	assert_int_equal(n, 2);
	ternd_engine_free(NULL);
	assert_null(ternd_engine_stats(NULL));
	assert_null(ternd_engine_lease(NULL, 1));
}

/* The daemon parses a packet once and hands the view to the engine: the
 * same answer as from the bytes, and NULL (did not parse) is malformed. */
static void test_parsed_entry_point(void **state)
{
	struct fx *f = *state;
	const struct ternd_engine_stats *st = ternd_engine_stats(f->e);
	struct pk p = {.type = TERN_DHCP4_DISCOVER, .mac = 0x51};
	uint8_t pkt[600], buf[600];
	struct ternd_change ch[4];
	struct ternd_tx tx = {.buf = buf, .cap = sizeof(buf)};
	struct ternd_rx rx = {.buf = pkt, .if_addr = IF_ADDR, .now = T0};
	struct tern_dhcp4_msg m, r;
	size_t n;

	rx.len = build(&p, pkt, sizeof(pkt));
	assert_true(tern_dhcp4_parse(&m, pkt, rx.len) >= 0);
	assert_int_equal(ternd_engine_handle_msg(f->e, &rx, &m, &tx, ch, 4, &n),
			 TERN_DHCP4_OFFER);
	assert_true(tern_dhcp4_parse_header(&r, buf, tx.len) >= 0);
	assert_int_equal(ntohl(r.hdr.yiaddr.s_addr), IP(192, 0, 2, 100));
	assert_int_equal(st->rx[TERN_DHCP4_DISCOVER], 1);
	/* The same request from its bytes: the same offer. */
	tx.len = 0;
	assert_int_equal(ternd_engine_handle(f->e, &rx, &tx, ch, 4, &n),
			 TERN_DHCP4_OFFER);
	assert_true(tern_dhcp4_parse_header(&r, buf, tx.len) >= 0);
	assert_int_equal(ntohl(r.hdr.yiaddr.s_addr), IP(192, 0, 2, 100));
	/* Did not parse: dropped and counted as malformed. */
	assert_int_equal(
		ternd_engine_handle_msg(f->e, &rx, NULL, &tx, ch, 4, &n),
		-EBADMSG);
	assert_int_equal(st->drops[TERND_DROP_MALFORMED], 1);
	assert_int_equal(ternd_engine_handle_msg(NULL, &rx, &m, &tx, ch, 4, &n),
			 -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_dora, setup, teardown),
		cmocka_unit_test_setup_teardown(test_client_id_and_relay_echo,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_destinations, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_same_client_same_address,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_reservations, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_requested_address, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_selecting_other_server,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_init_reboot, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_renew_rebind, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_decline, setup, teardown),
		cmocka_unit_test_setup_teardown(test_release_affinity, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_inform, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exhaustion, setup,
						teardown),
		cmocka_unit_test(test_small_max_message),
		cmocka_unit_test_setup_teardown(test_malformed, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_expiry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restore, setup, teardown),
		cmocka_unit_test_setup_teardown(test_subnet_selection, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_shared_network, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_server_id_override, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_move_address, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_foreach_and_free, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_parsed_entry_point, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
