/* Unit tests for compatibility.lenient-option-parsing (Kea 2.2): an
 * option 124 whose tuple runs past the option makes Kea drop the packet,
 * unless lenient, when the tuple takes the rest (Kea-2.2.0
 * OpaqueDataTuple::unpack, OptionVendorClass::unpack, Pkt4::unpack). */
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

#include "e4_fixture.h"

struct pk {
	uint8_t type;
	uint8_t mac;
	const uint8_t *v124; /* option 124 as sent */
	size_t v124_len;
	uint8_t v124_count; /* instances of it (0 = 1 when v124) */
};

static int run(const struct pk *p, struct out *o)
{
	static const uint8_t prl[] = {1, 3, 6};
	uint8_t pkt[1500];
	struct tern_dhcp4_writer w;
	struct tern_dhcp4_hdr h;
	struct ternd_tx tx = {.buf = o->buf, .cap = sizeof(o->buf)};
	struct ternd_rx rx = {0};
	int n;

	tern_dhcp4_writer_init(&w, pkt, sizeof(pkt), 0, 0);
	tern_dhcp4_put_msg_type(&w, p->type);
	for (unsigned i = 0; p->v124 && i < (p->v124_count ? p->v124_count : 1);
	     i++)
		tern_dhcp4_put(&w, TERN_DHCP4_OPT_VIVCO, p->v124, p->v124_len);
	tern_dhcp4_put(&w, TERN_DHCP4_OPT_PRL, prl, sizeof(prl));
	memset(&h, 0, sizeof(h));
	h.op = TERN_DHCP4_BOOTREQUEST;
	h.htype = 1;
	h.hlen = 6;
	h.xid = 0x6000u + p->mac;
	h.chaddr[0] = 0x02;
	h.chaddr[5] = p->mac;
	tern_dhcp4_write_header(&w, &h);
	n = tern_dhcp4_writer_finish(&w, true);
	assert_true(n > 0);
	memset(o, 0, sizeof(*o));
	rx.buf = pkt;
	rx.len = (size_t)n;
	rx.ifindex = 2;
	rx.ifname = "eth0";
	rx.if_addr = IF_ADDR;
	rx.dst_addr = 0xffffffffu;
	rx.now = T0;
	o->rc = ternd_engine_handle(eng, &rx, &tx, o->ch, 8, &o->n);
	if (o->rc > 0)
		assert_true(tern_dhcp4_parse(&o->m, o->buf, tx.len) >= 0);
	return o->rc;
}

#define CFG(glob)                                                           \
	"{\"Dhcp4\": {\"interfaces-config\": {\"interfaces\": [\"eth0\"]}," \
	"\n" glob "\"client-classes\": [{\"name\": \"modem\", \"test\": "   \
	"\"vendor-class[4491].data == 'abc'\"}],"                           \
	"\"subnet4\": [{\"id\": 1, \"subnet\": \"192.0.2.0/24\", "          \
	"\"interface\": \"eth0\", \"pools\": [{\"pool\": \"192.0.2.10 - "   \
	"192.0.2.19\", \"client-class\": \"modem\"}, {\"pool\": "           \
	"\"192.0.2.100 - 192.0.2.199\"}]}]}}"

/* Enterprise 4491, a tuple that says 10 bytes and has 3. */
static const uint8_t long_tuple[] = {0, 0, 0x11, 0x8b, 10, 'a', 'b', 'c'};
/* The same, well formed. */
static const uint8_t good[] = {0, 0, 0x11, 0x8b, 3, 'a', 'b', 'c'};
/* A second tuple without room for its enterprise number and length:
 * malformed even when lenient (OptionVendorClass's own check). */
static const uint8_t cut_ent[] = {0, 0, 0x11, 0x8b, 1, 'a', 0, 0, 0x11};

static uint32_t yi(const struct out *o)
{
	return ntohl(o->m.hdr.yiaddr.s_addr);
}

static int offer(const uint8_t *v, size_t len, uint8_t count, struct out *o)
{
	struct pk p = {.type = TERN_DHCP4_DISCOVER,
		       .mac = 1,
		       .v124 = v,
		       .v124_len = len,
		       .v124_count = count};

	return run(&p, o);
}

static void test_strict(void **state)
{
	struct out o;

	(void)state;
	load(CFG(""));
	/* Kea's default: the packet cannot be read, so no answer. */
	assert_int_equal(offer(long_tuple, sizeof(long_tuple), 1, &o),
			 -EBADMSG);
	assert_int_equal(ternd_engine_stats(eng)->drops[TERND_DROP_MALFORMED],
			 1);
	assert_int_equal(offer(cut_ent, sizeof(cut_ent), 1, &o), -EBADMSG);
	/* Well formed: the class matches, its pool is used. */
	assert_int_equal(offer(good, sizeof(good), 1, &o), TERN_DHCP4_OFFER);
	assert_true(yi(&o) >= IP(192, 0, 2, 10) && yi(&o) <= IP(192, 0, 2, 19));
	teardown(NULL);
	load(CFG("\"compatibility\": {\"lenient-option-parsing\": false},"));
	assert_int_equal(offer(long_tuple, sizeof(long_tuple), 1, &o),
			 -EBADMSG);
	teardown(NULL);
}

static void test_lenient(void **state)
{
	struct out o;

	(void)state;
	load(CFG("\"compatibility\": {\"lenient-option-parsing\": true},"));
	/* The tuple takes the 3 bytes left: "abc", the class matches. */
	assert_int_equal(offer(long_tuple, sizeof(long_tuple), 1, &o),
			 TERN_DHCP4_OFFER);
	assert_true(yi(&o) >= IP(192, 0, 2, 10) && yi(&o) <= IP(192, 0, 2, 19));
	/* Each instance is read alone (then fused): both lenient. */
	assert_int_equal(offer(long_tuple, sizeof(long_tuple), 2, &o),
			 TERN_DHCP4_OFFER);
	/* What lenient parsing does not forgive still drops the packet. */
	assert_int_equal(offer(cut_ent, sizeof(cut_ent), 1, &o), -EBADMSG);
	teardown(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_strict, teardown),
		cmocka_unit_test_teardown(test_lenient, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
