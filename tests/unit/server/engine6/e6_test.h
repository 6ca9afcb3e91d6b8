/* What the DHCPv6 engine tests share: a configuration, an engine, request
 * builders and reply readers. Included once per test program. */
#ifndef TERN_TEST_E6_TEST_H
#define TERN_TEST_E6_TEST_H

#include <arpa/inet.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <tern/dhcp6.h>

#include "server/config/config.h"
#include "server/engine6/engine6.h"

static const char *e6_config =
	"{\"Dhcp6\": {\"preferred-lifetime\": 300, \"valid-lifetime\": 600,\n"
	" \"renew-timer\": 150, \"rebind-timer\": 240,\n"
	" \"option-data\": [{\"name\": \"dns-servers\", \"data\": "
	"\"2001:db8::53\"},\n"
	"   {\"name\": \"domain-search\", \"data\": \"example.com\"},\n"
	"   {\"name\": \"information-refresh-time\", \"data\": \"900\"}],\n"
	" \"subnet6\": [\n"
	"  {\"id\": 1, \"subnet\": \"2001:db8:1::/64\", \"interface\": "
	"\"v6s\", \"rapid-commit\": true,\n"
	"   \"pools\": [{\"pool\": \"2001:db8:1::100-2001:db8:1::1ff\"}],\n"
	"   \"pd-pools\": [{\"prefix\": \"2001:db8:8000::\", \"prefix-len\": "
	"48, \"delegated-len\": 56,\n"
	"     \"excluded-prefix\": \"2001:db8:8000::\", "
	"\"excluded-prefix-len\": 64}],\n"
	"   \"reservations\": [{\"duid\": \"00:03:00:01:02:00:00:00:00:99\", "
	"\"ip-addresses\": [\"2001:db8:1::99\"], \"prefixes\": "
	"[\"2001:db8:8000::/56\"], \"hostname\": \"resv1\"}]},\n"
	"  {\"id\": 2, \"subnet\": \"2001:db8:2::/64\", \"interface-id\": "
	"\"port7\",\n"
	"   \"pools\": [{\"pool\": \"2001:db8:2::10-2001:db8:2::11\"}],\n"
	"   \"option-data\": [{\"name\": \"dns-servers\", \"data\": "
	"\"2001:db8:2::53\"}]},\n"
	"  {\"id\": 3, \"subnet\": \"2001:db8:3::/64\", \"relay\": "
	"{\"ip-addresses\": [\"2001:db8:33::1\"]},\n"
	"   \"renew-timer\": 400, \"rebind-timer\": 400,\n"
	"   \"pools\": [{\"pool\": \"2001:db8:3::5-2001:db8:3::5\"}]}]}}";

static const uint8_t server_duid[] = {0,    1, 0, 1, 0x2a, 0x2b, 0x2c,
				      0x2d, 2, 0, 0, 0,	   0,	 1};
static const uint8_t duid_a[] = {0, 3, 0, 1, 2, 0, 0, 0, 0, 0xaa};
static const uint8_t duid_b[] = {0, 3, 0, 1, 2, 0, 0, 0, 0, 0xbb};
static const uint8_t duid_res[] = {0, 3, 0, 1, 2, 0, 0, 0, 0, 0x99};

struct t6 {
	struct ternd_config *cfg;
	struct ternd_engine6 *e;
	struct ternd_rx6 rx;
	uint8_t out[4096];
	struct ternd_tx6 tx;
	struct ternd_change6 ch[16];
	size_t n_ch;
	struct tern_dhcp6_relay relays[TERN_DHCP6_MAX_RELAYS];
	int n_relays;
	struct tern_dhcp6_msg reply;
};

static inline struct in6_addr a6(const char *s)
{
	struct in6_addr a;

	inet_pton(AF_INET6, s, &a);
	return a;
}

static inline int t6_setup_text(struct t6 *t, const char *text)
{
	struct ternd_diags d = {0};

	memset(t, 0, sizeof(*t));
	if (ternd_config_load_buf(text, strlen(text), &t->cfg, &d) < 0) {
		ternd_diags_print(stderr, "e6", &d);
		return -1;
	}
	if (ternd_engine6_new(t->cfg, 1024, server_duid, sizeof(server_duid),
			      &t->e) < 0)
		return -1;
	t->rx.ifindex = 3;
	t->rx.ifname = "v6s";
	t->rx.src = a6("fe80::1");
	t->rx.src_port = 546;
	t->rx.multicast = true;
	t->rx.now = 1000;
	return 0;
}

static inline void t6_free(struct t6 *t)
{
	ternd_engine6_free(t->e);
	ternd_config_free(t->cfg);
}

/* A request being built. */
struct q6 {
	uint8_t buf[2048];
	struct tern_dhcp6_writer w;
};

static inline void q_begin(struct q6 *q, uint8_t type, const uint8_t *duid,
			   size_t duid_len, bool with_sid)
{
	tern_dhcp6_writer_init(&q->w, q->buf, sizeof(q->buf));
	tern_dhcp6_write_header(&q->w, type, 0x123456);
	if (duid)
		tern_dhcp6_put(&q->w, TERN_DHCP6_OPT_CLIENTID, duid, duid_len);
	if (with_sid)
		tern_dhcp6_put(&q->w, TERN_DHCP6_OPT_SERVERID, server_duid,
			       sizeof(server_duid));
}

static inline void q_ia_na(struct q6 *q, uint32_t iaid, const char *addr)
{
	tern_dhcp6_begin_ia(&q->w, TERN_DHCP6_OPT_IA_NA, iaid, 0, 0);
	if (addr) {
		struct in6_addr a = a6(addr);

		tern_dhcp6_begin_iaaddr(&q->w, &a, 0, 0);
		tern_dhcp6_end(&q->w);
	}
	tern_dhcp6_end(&q->w);
}

static inline void q_ia_pd(struct q6 *q, uint32_t iaid, const char *prefix,
			   uint8_t plen)
{
	tern_dhcp6_begin_ia(&q->w, TERN_DHCP6_OPT_IA_PD, iaid, 0, 0);
	if (prefix) {
		struct in6_addr a = a6(prefix);

		tern_dhcp6_begin_iaprefix(&q->w, 0, 0, plen, &a);
		tern_dhcp6_end(&q->w);
	}
	tern_dhcp6_end(&q->w);
}

static inline void q_oro(struct q6 *q, const uint16_t *codes, size_t n)
{
	tern_dhcp6_put_oro(&q->w, codes, n);
}

static inline int q_len(struct q6 *q)
{
	return tern_dhcp6_writer_finish(&q->w);
}

/* Send buf to the engine; on a reply, unwrap it into t->reply. Returns
 * the engine's result (1 reply, 0 dropped). */
static inline int t6_send(struct t6 *t, const uint8_t *buf, size_t len)
{
	int rc = ternd_engine6_handle(t->e, &t->rx, buf, len, t->out,
				      sizeof(t->out), &t->tx, t->ch, 16,
				      &t->n_ch);

	if (rc == 1) {
		t->n_relays =
			tern_dhcp6_unwrap(t->out, t->tx.len, t->relays,
					  TERN_DHCP6_MAX_RELAYS, &t->reply);
		if (t->n_relays < 0)
			return -1000;
	}
	return rc;
}

static inline int t6_q(struct t6 *t, struct q6 *q)
{
	int n = q_len(q);

	return n < 0 ? n : t6_send(t, q->buf, (size_t)n);
}

/* The reply's IA (code, iaid): 0 found. */
static inline int r_ia(const struct t6 *t, uint16_t code, uint32_t iaid,
		       struct tern_dhcp6_ia *ret)
{
	struct tern_dhcp6_opt_iter it;
	const uint8_t *v;
	uint16_t c, l;

	tern_dhcp6_opt_iter_init(&it, t->reply.opts, t->reply.opts_len);
	while (tern_dhcp6_opt_next(&it, &c, &v, &l) == 1) {
		if (c != code)
			continue;
		if ((code == TERN_DHCP6_OPT_IA_NA
			     ? tern_dhcp6_ia_na_decode(v, l, ret)
			     : tern_dhcp6_ia_pd_decode(v, l, ret)) == 0 &&
		    ret->iaid == iaid)
			return 0;
	}
	return -1;
}

/* Status code in an options area; -1 when none. */
static inline int status_in(const uint8_t *opts, size_t len)
{
	const uint8_t *v;
	struct tern_dhcp6_status_code s;
	int n = tern_dhcp6_opt_find(opts, len, TERN_DHCP6_OPT_STATUS_CODE, &v);

	if (n < 0 || tern_dhcp6_status_decode(v, (size_t)n, &s) < 0)
		return -1;
	return s.code;
}

/* The k-th IAADDR / IAPREFIX of an IA (address, lifetimes). */
static inline int ia_lease(const struct tern_dhcp6_ia *ia, uint16_t code,
			   size_t k, struct in6_addr *addr, uint8_t *plen,
			   uint32_t *pref, uint32_t *valid)
{
	struct tern_dhcp6_opt_iter it;
	const uint8_t *v;
	uint16_t c, l;

	tern_dhcp6_opt_iter_init(&it, ia->opts, ia->opts_len);
	while (tern_dhcp6_opt_next(&it, &c, &v, &l) == 1) {
		if (c == TERN_DHCP6_OPT_IAADDR &&
		    code == TERN_DHCP6_OPT_IA_NA) {
			struct tern_dhcp6_iaaddr a;

			if (k--)
				continue;
			if (tern_dhcp6_iaaddr_decode(v, l, &a) < 0)
				return -1;
			*addr = a.addr;
			*plen = 128;
			*pref = a.preferred;
			*valid = a.valid;
			return 0;
		}
		if (c == TERN_DHCP6_OPT_IAPREFIX &&
		    code == TERN_DHCP6_OPT_IA_PD) {
			struct tern_dhcp6_iaprefix p;

			if (k--)
				continue;
			if (tern_dhcp6_iaprefix_decode(v, l, &p) < 0)
				return -1;
			*addr = p.prefix;
			*plen = p.plen;
			*pref = p.preferred;
			*valid = p.valid;
			return 0;
		}
	}
	return -1;
}

static inline bool r_has(const struct t6 *t, uint16_t code)
{
	const uint8_t *v;

	return tern_dhcp6_msg_find(&t->reply, code, &v) >= 0;
}

#endif
