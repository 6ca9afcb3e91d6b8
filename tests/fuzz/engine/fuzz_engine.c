/* Fuzz target: one long-lived engine fed packet sequences, time moving,
 * invariants checked. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <tern/dhcp4.h>

#include "server/config/config.h"
#include "server/engine4/engine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x)                 \
	do {                     \
		if (!(x))        \
			abort(); \
	} while (0)

/*
 * Small pools so inputs reach exhaustion, reuse and affinity; short
 * lifetimes so time steps reach every expiry; a big option for overload.
 */
static const char fuzz_cfg[] =
	"{\"Dhcp4\": {\n"
	" \"valid-lifetime\": 300, \"min-valid-lifetime\": 60,\n"
	" \"max-valid-lifetime\": 600, \"decline-probation-period\": 60,\n"
	" \"offer-lifetime\": 10, \"authoritative\": true,\n"
	" \"reservations-global\": true, \"calculate-tee-times\": true,\n"
	" \"ddns-qualifying-suffix\": \"example.org\",\n"
	" \"hostname-char-set\": \"[^a-z0-9.-]+\",\n"
	" \"hostname-char-replacement\": \"-\",\n"
	" \"host-reservation-identifiers\": [\"circuit-id\", \"hw-address\",\n"
	"   \"duid\", \"client-id\"],\n"
	" \"reservations\": [\n"
	"  {\"hw-address\": \"02:00:00:00:00:04\", \"ip-address\": "
	"\"192.0.2.11\", \"hostname\": \"G4\"},\n"
	"  {\"circuit-id\": \"01\", \"hostname\": \"circ\", "
	"\"next-server\": \"192.0.2.9\"}],\n"
	/* Client classes of every kind the engine handles, none that
	 * refuses a client (the corpus keeps its reach). */
	" \"client-classes\": [\n"
	"  {\"name\": \"pxe\", \"test\": \"substring(option[60].hex,0,9) =="
	" 'PXEClient'\", \"boot-file-name\": \"pxe.0\",\n"
	"   \"next-server\": \"192.0.2.9\", \"valid-lifetime\": 120},\n"
	"  {\"name\": \"agent\", \"test\": \"relay4[1].exists or "
	"option[82].option[2].hex == 'x'\",\n"
	"   \"option-data\": [{\"name\": \"domain-name\", \"data\": "
	"\"agent.example\"}]},\n"
	"  {\"name\": \"mac\", \"test\": \"hexstring(pkt4.mac, ':') == "
	"'02:00:00:00:00:03' or vendor[4491].exists\"},\n"
	"  {\"name\": \"known\", \"test\": \"member('KNOWN') and not "
	"member('pxe')\", \"server-hostname\": \"k\"},\n"
	"  {\"name\": \"late\", \"test\": \"member('agent') or "
	"member('mac')\", \"only-if-required\": true,\n"
	"   \"option-data\": [{\"name\": \"ntp-servers\", \"data\": "
	"\"192.0.2.124\"}]}],\n"
	" \"option-data\": [\n"
	"  {\"name\": \"domain-name-servers\", \"data\": \"192.0.2.53\"},\n"
	"  {\"name\": \"domain-name\", \"data\": \"example.org\"},\n"
	"  {\"name\": \"ntp-servers\", \"data\": \"192.0.2.123\",\n"
	"   \"always-send\": true},\n"
	"  {\"code\": 224, \"csv-format\": false, \"data\": \""
	"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
	"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
	"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
	"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
	"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
	"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
	"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
	"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
	"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
	"\"}],\n"
	" \"subnet4\": [\n"
	"  {\"id\": 1, \"subnet\": \"192.0.2.0/24\", \"interface\": \"eth0\",\n"
	"   \"pools\": [{\"pool\": \"192.0.2.100 - 192.0.2.115\"},\n"
	"             {\"pool\": \"192.0.2.240 - 192.0.2.255\"}],\n"
	"   \"boot-file-name\": \"pxelinux.0\",\n"
	"   \"require-client-classes\": [\"late\"],\n"
	"   \"option-data\": [{\"name\": \"routers\", \"data\": "
	"\"192.0.2.1\"}],\n"
	"   \"reservations\": [\n"
	"    {\"hw-address\": \"02:00:00:00:00:01\",\n"
	"     \"ip-address\": \"192.0.2.10\", \"hostname\": \"h1\",\n"
	"     \"option-data\": [{\"name\": \"domain-name\",\n"
	"                       \"data\": \"res.example\"}]},\n"
	"    {\"client-id\": \"01:02:00:00:00:00:02\",\n"
	"     \"ip-address\": \"192.0.2.101\"},\n"
	"    {\"hw-address\": \"02:00:00:00:00:03\", \"hostname\": \"h3\"},\n"
	"    {\"duid\": \"00:01\", \"ip-address\": \"192.0.2.110\"}]},\n"
	"  {\"id\": 2, \"subnet\": \"198.51.100.0/28\",\n"
	"   \"relay\": {\"ip-addresses\": [\"10.9.9.9\"]},\n"
	"   \"authoritative\": false, \"match-client-id\": false,\n"
	"   \"ddns-replace-client-name\": \"when-present\",\n"
	"   \"pools\": [{\"pool\": \"198.51.100.0 - 198.51.100.15\"}]},\n"
	"  {\"id\": 3, \"subnet\": \"203.0.113.0/31\",\n"
	"   \"pools\": [{\"pool\": \"203.0.113.0 - 203.0.113.1\"}]}],\n"
	" \"shared-networks\": [{\"name\": \"net\", \"interface\": \"eth1\",\n"
	"  \"relay\": {\"ip-addresses\": [\"10.8.8.8\"]},\n"
	"  \"subnet4\": [\n"
	"   {\"id\": 10, \"subnet\": \"10.1.0.0/30\",\n"
	"    \"pools\": [{\"pool\": \"10.1.0.1 - 10.1.0.2\"}]},\n"
	"   {\"id\": 11, \"subnet\": \"10.2.0.0/29\",\n"
	"    \"reservations-out-of-pool\": true,\n"
	"    \"reservations\": [{\"hw-address\": \"02:00:00:00:00:05\",\n"
	"     \"ip-address\": \"10.2.0.3\"}],\n"
	"    \"pools\": [{\"pool\": \"10.2.0.1 - 10.2.0.6\"}]}]}]\n"
	"}}\n";

static struct ternd_config *cfg;
static struct ternd_engine *eng;
static int64_t now = 1700000000;

/* Receiving interfaces an input may pick. */
static const struct {
	const char *name;
	uint32_t addr;
} ifs[4] = {
	{"eth0", 0xc0000201u}, /* 192.0.2.1 */
	{"eth1", 0x0a010001u}, /* 10.1.0.1 */
	{NULL, 0xcb007100u},   /* 203.0.113.0 */
	{"eth9", 0x0a090901u}, /* no subnet */
};

static void setup(void)
{
	if (eng)
		return;
	CHECK(ternd_config_load_buf(fuzz_cfg, sizeof(fuzz_cfg) - 1, &cfg,
				    NULL) == 0);
	CHECK(ternd_engine_new(cfg, &eng) == 0);
}

struct tally {
	uint64_t bound;
	uint64_t offered;
	size_t n;
	uint32_t addrs[4096];
};

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static int tally_cb(void *ctx, const struct ternd_lease *l)
{
	struct tally *t = ctx;
	const struct ternd_subnet *s =
		ternd_config_subnet_for_addr(cfg, l->addr);

	/* Every lease is in its own subnet, and indexed by its address. */
	CHECK(s && s->id == l->subnet_id);
	CHECK(ternd_engine_lease(eng, l->addr) == l);
	CHECK(l->state >= TERND_LEASE_OFFERED &&
	      l->state <= TERND_LEASE_RELEASED);
	CHECK(l->hw_len <= TERND_LEASE_HW_MAX);
	CHECK(l->cid_len <= TERND_LEASE_CID_MAX);
	CHECK(memchr(l->hostname, 0, sizeof(l->hostname)));
	if (l->state == TERND_LEASE_BOUND)
		t->bound++;
	if (l->state == TERND_LEASE_OFFERED)
		t->offered++;
	CHECK(t->n < sizeof(t->addrs) / sizeof(t->addrs[0]));
	t->addrs[t->n++] = l->addr;
	return 0;
}

/* No address in two records; counters match the table. */
static void check_table(void)
{
	static struct tally t;
	const struct ternd_engine_stats *st = ternd_engine_stats(eng);

	memset(&t, 0, sizeof(t));
	CHECK(ternd_engine_foreach(eng, tally_cb, &t) == 0);
	qsort(t.addrs, t.n, sizeof(t.addrs[0]), cmp_u32);
	for (size_t i = 1; i < t.n; i++)
		CHECK(t.addrs[i] != t.addrs[i - 1]);
	CHECK(st->leases_bound == t.bound);
	CHECK(st->offers_open == t.offered);
}

/* An OFFER/ACK's address now belongs to the client that asked. */
static void check_reply(const uint8_t *req, size_t req_len,
			const struct ternd_tx *tx, int rc)
{
	struct tern_dhcp4_msg q, r;
	const struct ternd_lease *l;
	uint32_t yi;

	CHECK(tx->len <= tx->cap);
	CHECK(tern_dhcp4_parse(&r, tx->buf, tx->len) >= 0);
	CHECK(tern_dhcp4_get_msg_type(&r) == rc);
	CHECK(tx->msg_type == rc);
	CHECK(r.hdr.op == TERN_DHCP4_BOOTREPLY);
	CHECK(tx->len >= TERN_DHCP4_BOOTP_MIN);
	CHECK(tern_dhcp4_parse(&q, req, req_len) >= 0);
	CHECK(r.hdr.xid == q.hdr.xid);
	/* The size the client takes (RFC 2132 §9.10), never under 576. */
	{
		uint16_t mm = 0;
		size_t limit = 576;

		if (tern_dhcp4_get_max_msg_size(&q, &mm) == 0 && mm > 576)
			limit = mm;
		CHECK(tx->len <= limit - 28);
	}
	yi = ntohl(r.hdr.yiaddr.s_addr);
	if (rc == TERN_DHCP4_NAK) {
		CHECK(yi == 0);
		CHECK(tx->dest == TERND_DEST_BROADCAST ||
		      tx->dest == TERND_DEST_RELAY);
		return;
	}
	if (!yi) /* INFORM */
		return;
	l = ternd_engine_lease(eng, yi);
	CHECK(l);
	if (rc == TERN_DHCP4_ACK)
		CHECK(l->state == TERND_LEASE_BOUND);
	else
		CHECK(l->state == TERND_LEASE_BOUND ||
		      l->state == TERND_LEASE_OFFERED);
	CHECK(memcmp(l->hw, q.hdr.chaddr, l->hw_len) == 0 ||
	      tern_dhcp4_has_opt(&q, TERN_DHCP4_OPT_CLIENT_ID));
}

/*
 * Input: records of [ctl][len hi][len lo][len bytes]. ctl bits 0-3 move
 * the clock (x 8 s), bits 4-5 pick the receiving interface, bits 6-7 the
 * destination (0 unknown, 1 unicast to us, 2 broadcast) or, with 3, the
 * bytes are a stored lease to restore.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[1500];
	static struct ternd_change ch[8];
	size_t pos = 0;

	setup();
	while (pos + 3 <= size) {
		uint8_t ctl = data[pos];
		size_t len = (size_t)data[pos + 1] << 8 | data[pos + 2];
		const uint8_t *p = data + pos + 3;
		struct ternd_tx tx = {.buf = out, .cap = sizeof(out)};
		struct ternd_rx rx = {0};
		size_t n = 0, max;
		int64_t next;
		int rc;

		pos += 3;
		if (len > size - pos)
			len = size - pos;
		pos += len;
		now += (ctl & 15) * 8;
		max = (size_t)(ctl & 7) + 1;

		if ((ctl >> 6) == 3) {
			struct ternd_lease l;

			memset(&l, 0, sizeof(l));
			memcpy(&l, p, len < sizeof(l) ? len : sizeof(l));
			l.hostname[sizeof(l.hostname) - 1] = 0;
			l.expire = now + (int64_t)(l.expire % 1000) - 200;
			rc = ternd_engine_restore(eng, &l, now);
			CHECK(rc == 0 || rc == -ENOENT || rc == -EINVAL);
		} else {
			rx.buf = p;
			rx.len = len;
			rx.ifindex = 1 + ((ctl >> 4) & 3);
			rx.ifname = ifs[(ctl >> 4) & 3].name;
			rx.if_addr = ifs[(ctl >> 4) & 3].addr;
			rx.dst_addr = (ctl >> 6) == 1	? rx.if_addr
				      : (ctl >> 6) == 2 ? 0xffffffffu
							: 0;
			rx.now = now;
			rc = ternd_engine_handle(eng, &rx, &tx, ch, max, &n);
			CHECK(n <= max);
			CHECK(rc <= 0 || rc == TERN_DHCP4_OFFER ||
			      rc == TERN_DHCP4_ACK || rc == TERN_DHCP4_NAK);
			if (rc > 0)
				check_reply(p, len, &tx, rc);
			else
				CHECK(tx.len == 0);
			CHECK(!tx.needs_commit || n > 0);
		}
		rc = ternd_engine_expire(eng, now, ch, max, &next);
		CHECK(rc >= 0 && (size_t)rc <= max);
		CHECK(next > now || (size_t)rc == max);
		check_table();
	}
	return 0;
}
