/* Fuzz target: decode -> encode -> decode keeps every option's value. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <tern/dhcp4.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x)                 \
	do {                     \
		if (!(x))        \
			abort(); \
	} while (0)

static uint8_t out1[TERN_DHCP4_MAX_LEN];
static uint8_t out2[1024];
static uint8_t va[TERN_DHCP4_MAX_LEN], vb[TERN_DHCP4_MAX_LEN];

/* Write every option of m (bar 52) into a writer, header included. */
static int encode(const struct tern_dhcp4_msg *m, uint8_t *buf, size_t cap,
		  size_t limit, unsigned flags)
{
	struct tern_dhcp4_writer w;
	struct tern_dhcp4_hdr h = m->hdr;

	/* Overloaded fields hold options, not names. */
	if (m->overload & TERN_DHCP4_OVERLOAD_FILE)
		h.file = NULL;
	if (m->overload & TERN_DHCP4_OVERLOAD_SNAME)
		h.sname = NULL;
	if (flags & TERN_DHCP4_W_OVERLOAD)
		h.file = h.sname = NULL;
	tern_dhcp4_writer_init(&w, buf, cap, limit, flags);
	tern_dhcp4_write_header(&w, &h);
	for (unsigned i = 0; i < m->n_opts; i++) {
		if (m->opts[i].code == TERN_DHCP4_OPT_OVERLOAD)
			continue;
		tern_dhcp4_put(&w, m->opts[i].code,
			       tern_dhcp4_opt_data(m, &m->opts[i]),
			       m->opts[i].len);
	}
	return tern_dhcp4_writer_finish(&w, false);
}

/* Same header and, code by code, the same concatenated values. */
static void same_values(const struct tern_dhcp4_msg *a,
			const struct tern_dhcp4_msg *b)
{
	CHECK(a->hdr.xid == b->hdr.xid && a->hdr.op == b->hdr.op &&
	      a->hdr.flags == b->hdr.flags &&
	      memcmp(a->hdr.chaddr, b->hdr.chaddr, 16) == 0 &&
	      a->hdr.yiaddr.s_addr == b->hdr.yiaddr.s_addr);
	for (unsigned i = 0; i < a->n_opts; i++) {
		uint8_t c = a->opts[i].code;
		int la, lb;

		if (c == TERN_DHCP4_OPT_OVERLOAD)
			continue;
		la = tern_dhcp4_opt_copy(a, c, va, sizeof(va));
		lb = tern_dhcp4_opt_copy(b, c, vb, sizeof(vb));
		CHECK(la >= 0 && la == lb && memcmp(va, vb, (size_t)la) == 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tern_dhcp4_msg m, m1, m2;
	int len;

	if (tern_dhcp4_parse(&m, data, size) < 0)
		return 0;
	/* Plain: with room enough every instance is rewritten in order. */
	len = encode(&m, out1, sizeof(out1), 0, 0);
	/* Options from file/sname can push a near-64 KiB input past the
	 * largest message; only then may the plain rewrite not fit. */
	if (len == -ENOBUFS && size > TERN_DHCP4_MAX_LEN - 256)
		return 0;
	CHECK(len > 0);
	CHECK(tern_dhcp4_parse(&m1, out1, (size_t)len) >= 0);
	same_values(&m, &m1);
	CHECK(m1.overload == 0);
	for (unsigned i = 0, j = 0; i < m.n_opts; i++) {
		if (m.opts[i].code == TERN_DHCP4_OPT_OVERLOAD)
			continue;
		CHECK(m.opts[i].code == m1.opts[j].code &&
		      m.opts[i].len == m1.opts[j].len);
		j++;
	}
	/* Squeezed into a 576-byte message with overload: either it fits
	 * and means the same, or the writer says -ENOBUFS. */
	len = encode(&m, out2, sizeof(out2), TERN_DHCP4_MIN_MAX_MSG,
		     TERN_DHCP4_W_OVERLOAD);
	CHECK(len > 0 || len == -ENOBUFS);
	if (len > 0) {
		CHECK(len <= TERN_DHCP4_MIN_MAX_MSG);
		CHECK(tern_dhcp4_parse(&m2, out2, (size_t)len) >= 0);
		same_values(&m, &m2);
		same_values(&m2, &m);
	}
	return 0;
}
