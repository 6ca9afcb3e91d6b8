/* Fuzz target: one long-lived DHCPv6 engine fed packet sequences (relayed
 * or not, multicast or not, time moving), invariants checked. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <tern/dhcp6.h>

#include "server/classify/expr.h"
#include "server/config/config.h"
#include "server/config/config6.h"
#include "server/engine6/engine6.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x)                 \
	do {                     \
		if (!(x))        \
			abort(); \
	} while (0)

/* Small pools so inputs reach exhaustion and reuse (and move across the
 * shared network's subnets, past pools of built-in classes, of tested
 * classes and of a reservation's client-classes); short lifetimes so time
 * steps reach expiry; classes with tests in both passes, DROP, a required
 * class, class options and lifetimes. */
static const char fuzz_cfg[] =
	"{\"Dhcp6\": {\"preferred-lifetime\": 30, \"valid-lifetime\": 60,\n"
	" \"decline-probation-period\": 40,\n"
	/* v6res: global hosts (one beside a subnet host, one alone). */
	" \"reservations-global\": true, \"reservations\": [\n"
	"  {\"duid\": \"00:03:00:01:02:00:00:00:00:99\", \"ip-addresses\": "
	"[\"2001:db8:1::77\"]},\n"
	"  {\"hw-address\": \"02:00:00:00:00:96\", \"prefixes\": "
	"[\"2001:db8:f0::/56\"], \"client-classes\": [\"vc\"]}],\n"
	" \"client-classes\": [\n"
	"  {\"name\": \"vc\", \"test\": \"option[16].exists\"},\n"
	"  {\"name\": \"relayed\", \"test\": "
	"\"relay6[0].option[18].hex == 'port7'\"},\n"
	"  {\"name\": \"kvc\", \"test\": \"member('KNOWN') and "
	"member('vc')\",\n"
	"   \"preferred-lifetime\": 20, \"valid-lifetime\": 45},\n"
	"  {\"name\": \"DROP\", \"test\": \"option[65000].exists\"},\n"
	"  {\"name\": \"req\", \"test\": \"pkt6.msgtype == 3\", "
	"\"only-if-required\": true,\n"
	"   \"option-data\": [{\"name\": \"sntp-servers\", \"data\": "
	"\"2001:db8::123\"}]},\n"
	"  {\"name\": \"ALL\", \"option-data\": [{\"name\": "
	"\"nis-domain-name\", \"data\": \"all.example\"}]}],\n"
	" \"option-data\": [{\"name\": \"dns-servers\", \"data\": "
	"\"2001:db8::53\"},\n"
	"   {\"name\": \"domain-search\", \"data\": \"example.com\", "
	"\"always-send\": true}],\n"
	" \"shared-networks\": [{\"name\": \"lab\", \"interface\": \"v6s\",\n"
	"  \"rapid-commit\": true, \"subnet6\": [\n"
	"  {\"id\": 1, \"subnet\": \"2001:db8:1::/64\",\n"
	"   \"require-client-classes\": [\"req\"],\n"
	"   \"pools\": [{\"pool\": \"2001:db8:1::100-2001:db8:1::103\"},\n"
	"     {\"pool\": \"2001:db8:1::200-2001:db8:1::200\", "
	"\"client-class\": \"kvc\"}],\n"
	"   \"pd-pools\": [{\"prefix\": \"2001:db8:8000::\", \"prefix-len\": "
	"54, \"delegated-len\": 56,\n"
	"     \"excluded-prefix\": \"2001:db8:8000::\", "
	"\"excluded-prefix-len\": 64}],\n"
	"   \"reservations\": [{\"duid\": \"00:03:00:01:02:00:00:00:00:99\", "
	"\"ip-addresses\": [\"2001:db8:1::99\"],\n"
	"     \"prefixes\": [\"2001:db8:9999::/56\"], \"hostname\": "
	"\"r\"}]},\n"
	"  {\"id\": 4, \"subnet\": \"2001:db8:4::/64\", \"valid-lifetime\": "
	"90,\n"
	"   \"pools\": [{\"pool\": \"2001:db8:4::100-2001:db8:4::101\", "
	"\"client-class\": \"UNKNOWN\"},\n"
	"     {\"pool\": \"2001:db8:4::200-2001:db8:4::200\", "
	"\"client-class\": \"KNOWN\"}],\n"
	"   \"pd-pools\": [{\"prefix\": \"2001:db8:4000::\", \"prefix-len\": "
	"55, \"delegated-len\": 56, \"client-class\": "
	"\"VENDOR_CLASS_docsis3.0\"}],\n"
	"   \"reservations\": [{\"duid\": \"00:03:00:01:02:00:00:00:00:98\", "
	"\"ip-addresses\": [\"2001:db8:4::98\"]}]}]}],\n"
	" \"subnet6\": [\n"
	"  {\"id\": 2, \"subnet\": \"2001:db8:2::/64\", \"interface-id\": "
	"\"port7\",\n"
	"   \"require-client-classes\": [\"req\"],\n"
	"   \"pools\": [{\"pool\": \"2001:db8:2::/126\"},\n"
	"     {\"pool\": \"2001:db8:2::e0-2001:db8:2::e0\", "
	"\"client-class\": \"relayed\"},\n"
	"     {\"pool\": \"2001:db8:2::f0-2001:db8:2::f0\", \"client-class\": "
	"\"office\"}],\n"
	"   \"reservations\": [{\"duid\": \"00:03:00:01:02:00:00:00:00:97\", "
	"\"client-classes\": [\"office\"]}]},\n"
	"  {\"id\": 3, \"subnet\": \"2001:db8:3::/64\", \"relay\": "
	"{\"ip-addresses\": [\"2001:db8:33::1\"]},\n"
	"   \"pools\": [{\"pool\": \"2001:db8:3::5-2001:db8:3::5\"}]}]}}";

static const uint8_t sduid[] = {0,    1, 0, 1, 0x2a, 0x2b, 0x2c,
				0x2d, 2, 0, 0, 0,    0,	   1};

static struct ternd_config *cfg;
static struct ternd_expr_scratch scratch;
static struct ternd_engine6 *eng;
static int64_t now = 1000;

#define MAX_LEASES 8 /* fewer than the pools hold: reclaiming runs */

static void setup(void)
{
	struct ternd_diags d = {0};

	if (eng)
		return;
	if (ternd_config_load_buf(fuzz_cfg, sizeof(fuzz_cfg) - 1, &cfg, &d) <
		    0 ||
	    ternd_engine6_new(cfg, MAX_LEASES, sduid, sizeof(sduid), &eng) < 0)
		abort();
}

/*
 * Input: records of [flags][len hi][len lo][len bytes]. flags bit 0:
 * multicast; bit 1: a known interface; bits 2..7: seconds to advance.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[65536];
	static struct ternd_change6 ch[32];
	struct tern_dhcp6_relay relays[TERN_DHCP6_MAX_RELAYS];
	struct tern_dhcp6_msg m;
	size_t pos = 0;

	setup();
	while (pos + 3 <= size) {
		uint8_t flags = data[pos];
		size_t len = (size_t)data[pos + 1] << 8 | data[pos + 2];
		struct ternd_rx6 rx = {0};
		struct ternd_tx6 tx;
		size_t n = 0;
		int rc;

		pos += 3;
		if (len > size - pos)
			len = size - pos;
		now += flags >> 2;
		rx.now = now;
		rx.ifindex = 2;
		rx.ifname = flags & 2 ? "v6s" : "eth9";
		rx.multicast = flags & 1;
		rx.src.s6_addr[0] = 0xfe;
		rx.src.s6_addr[1] = 0x80;
		rx.src.s6_addr[15] = 1;
		rx.src_port = 546;
		rc = ternd_engine6_handle(eng, &rx, data + pos, len, out,
					  sizeof(out), &tx, ch, 32, &n);
		CHECK(rc == 0 || rc == 1);
		CHECK(n <= 32);
		if (rc == 1) {
			/* A message DROP's test matches is never answered
			 * (Kea's verdict: a message Kea cannot read does not
			 * match, and is answered here). */
			int nr = tern_dhcp6_unwrap(data + pos, len, relays,
						   TERN_DHCP6_MAX_RELAYS, &m);
			struct ternd_expr_pkt6 p6 = {
				.m = &m,
				.relays = relays,
				.n_relays = nr > 0 ? (unsigned)nr : 0,
			};

			CHECK(nr >= 0);
			CHECK(ternd_expr_eval6(
				      cfg->classes.v[cfg->classes.drop].test,
				      &p6, &scratch) != 1);
			CHECK(tx.len > 0 && tx.len <= sizeof(out));
			/* What we send parses with our own codec. */
			CHECK(tern_dhcp6_unwrap(out, tx.len, relays,
						TERN_DHCP6_MAX_RELAYS,
						&m) >= 0);
			CHECK(m.type == TERN_DHCP6_REPLY ||
			      m.type == TERN_DHCP6_ADVERTISE);
		} else {
			CHECK(n == 0);
		}
		for (size_t i = 0; i < n; i++) {
			CHECK(ch[i].op == TERND_CHANGE6_PUT ||
			      ch[i].op == TERND_CHANGE6_DEL);
			CHECK(ch[i].lease.plen <= 128);
			/* A new address lies in the subnet it is filed under
			 * (across a shared network too). */
			if (ch[i].op == TERND_CHANGE6_PUT &&
			    ch[i].lease.type == TERND_LEASE6_NA &&
			    ch[i].lease.state == TERND_LEASE6_BOUND) {
				const struct ternd_subnet6 *s =
					ternd_config6_subnet_by_id(
						cfg->v6, ch[i].lease.subnet_id);

				CHECK(s &&
				      ternd_subnet6_has(s, &ch[i].lease.addr));
			}
		}
		CHECK(ternd_engine6_count(eng) <= MAX_LEASES);
		CHECK(ternd_engine6_stats(eng)->na_assigned +
			      ternd_engine6_stats(eng)->pd_assigned <=
		      ternd_engine6_count(eng));
		pos += len;
	}
	return 0;
}
