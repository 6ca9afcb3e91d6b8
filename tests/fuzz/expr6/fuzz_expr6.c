/* Fuzz target: text -> ternd's Kea expression compiler in DHCPv6 mode; what
 * compiles is evaluated against fixed messages (direct, relayed, doubly
 * relayed), and against the input's own datagram when one follows a NUL
 * byte: unwrapped by libtern when it can, otherwise taken raw (a relay
 * level and a message over arbitrary bytes), so that the packet view meets
 * malformed areas too. */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <tern/dhcp6.h>

#include "server/classify/expr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define N_FIXED 3

struct fpkt {
	uint8_t buf[1024];
	struct tern_dhcp6_msg m;
	struct tern_dhcp6_relay relays[2];
	int n_relays;
};

static struct fpkt fixed[N_FIXED];
static struct ternd_expr_scratch scratch;
static uint8_t out[TERND_EXPR_SCRATCH];
static const struct in6_addr src = {{{0xfe, 0x80, [15] = 1}}};

static int class_index(void *ctx, const char *name, bool *ret_dk)
{
	static const char *const names[] = {"ALL", "KNOWN", "UNKNOWN", "foo",
					    "bar"};

	(void)ctx;
	for (int i = 0; i < 5; i++)
		if (!strcmp(name, names[i])) {
			*ret_dk = i == 4;
			return i * 37; /* beyond the class set sometimes */
		}
	return -ENOENT;
}

static int opt_code(void *ctx, const char *name)
{
	(void)ctx;
	if (!strcmp(name, "my-cont"))
		return 1001;
	return strcmp(name, "my-str") ? -1 : 1000;
}

static bool is_container(void *ctx, uint16_t code)
{
	(void)ctx;
	return code == 1001;
}

static bool is_string(void *ctx, uint16_t code)
{
	(void)ctx;
	return code == 1000;
}

static const struct ternd_expr_env env = {
	.family = 6,
	.opt_code = opt_code,
	.opt6_is_string = is_string,
	.opt6_is_container = is_container,
	.class_index = class_index,
};

static void put(struct tern_dhcp6_writer *w, uint16_t code, const char *s,
		size_t n)
{
	tern_dhcp6_put(w, code, s, n);
}
#define PUTS(w, c, s) put(w, c, s, sizeof(s) - 1)

static void relay(struct tern_dhcp6_writer *w, uint8_t hop, const char *ifid)
{
	struct in6_addr la = {{{0x20, 0x01, 0x0d, 0xb8, [15] = hop}}};
	struct in6_addr pa = {{{0xfe, 0x80, [15] = (uint8_t)(hop + 9)}}};

	tern_dhcp6_write_relay_header(w, TERN_DHCP6_RELAY_FORW, hop, &la, &pa);
	put(w, 18, ifid, strlen(ifid));
	PUTS(w, 37, "\x00\x00\x0d\xe9remote");
	tern_dhcp6_begin(w, TERN_DHCP6_OPT_RELAY_MSG);
}

/* A SOLICIT with IA_NA/IAADDR, IA_PD/IAPREFIX, vendor options and class,
 * FQDN and an option-def'd container; relayed once, then twice. */
static void build_fixed(void)
{
	for (int i = 0; i < N_FIXED; i++) {
		struct tern_dhcp6_writer w;
		struct in6_addr a = {{{0x20, 0x01, 0x0d, 0xb8, [15] = 5}}};
		int n;

		tern_dhcp6_writer_init(&w, fixed[i].buf, sizeof(fixed[i].buf));
		if (i >= 1)
			relay(&w, 0, "eth0");
		if (i >= 2)
			relay(&w, 1, "ge-0/0/1");
		tern_dhcp6_write_header(&w, (uint8_t)(1 + i * 2), 0xabcdef);
		PUTS(&w, 1, "\x00\x03\x00\x01\x02\x00\x00\x00\x00\x01");
		PUTS(&w, 8, "\x00\x64");
		PUTS(&w, 6, "\x00\x17\x00\x18\x00\x11");
		tern_dhcp6_begin_ia(&w, 3, 7, 100, 200);
		tern_dhcp6_begin_iaaddr(&w, &a, 300, 400);
		tern_dhcp6_put_status(&w, 0, "ok");
		tern_dhcp6_end(&w);
		tern_dhcp6_end(&w);
		tern_dhcp6_begin_ia(&w, 25, 8, 0, 0);
		tern_dhcp6_begin_iaprefix(&w, 1, 2, 56, &a);
		tern_dhcp6_end(&w);
		tern_dhcp6_end(&w);
		PUTS(&w, 16,
		     "\x00\x00\x11\x8b\x00\x03"
		     "abc\x00\x01z");
		PUTS(&w, 17,
		     "\x00\x00\x11\x8b\x00\x02\x00\x03"
		     "cpe"
		     "\x00\x01\x00\x02\x00\x20");
		PUTS(&w, 39,
		     "\x01\x04Host\x07"
		     "Example");
		PUTS(&w, 1001, "\x00\x05\x00\x01x");
		PUTS(&w, 1000, "str\0");
		PUTS(&w, 15,
		     "\x00\x03"
		     "abc");
		n = tern_dhcp6_writer_finish(&w);
		fixed[i].n_relays =
			n > 0 ? tern_dhcp6_unwrap(fixed[i].buf, (size_t)n,
						  fixed[i].relays, 2,
						  &fixed[i].m)
			      : -1;
		if (fixed[i].n_relays != i)
			abort();
	}
}

static void run(const struct ternd_expr *x, const struct tern_dhcp6_msg *m,
		const struct tern_dhcp6_relay *relays, unsigned n_relays)
{
	static const uint64_t classes[2] = {0x5, 0x1};
	struct ternd_expr_pkt6 p = {
		.m = m,
		.relays = relays,
		.n_relays = n_relays,
		.iface = "eth0",
		.src = &src,
		.dst = NULL,
		.classes = classes,
		.n_class_words = 2,
	};
	int r;

	if (ternd_expr_is_string(x)) {
		if (ternd_expr_eval6(x, &p, &scratch) != -EDOM)
			abort();
	} else {
		r = ternd_expr_eval6(x, &p, &scratch);
		if (r > 1 || (r < 0 && r != -EINVAL && r != -ENOBUFS &&
			      r != -EBADMSG && r != -E2BIG))
			abort();
	}
	r = ternd_expr_eval6_string(x, &p, &scratch, out, sizeof(out));
	if (r > (int)sizeof(out))
		abort();
}

/* Expressions that walk every part of a message, for the input's own. */
static const char *const probes[] = {
	"option[1].text + option[1].hex + option[8].text == ''",
	"option[3].text + option[3].hex + option[3].option[5].text == ''",
	"option[25].text + option[25].hex + option[25].option[26].hex == ''",
	"option[17].text + option[17].hex + vendor[*].option[2].text == ''",
	"option[16].text + option[16].hex + vendor-class[*].data[1] == ''",
	"option[39].text + option[39].hex + option[6].text == ''",
	"option[94].text + option[94].hex + option[95].option[89].text == ''",
	"option[60].text + option[67].text + option[24].text == ''",
	"option[13].text + option[36].text + option[74].text == ''",
	"option[1001].text + option[1001].option[5].hex == ''",
	"relay6[0].option[18].text + relay6[-1].option[37].text == ''",
	"relay6[0].peeraddr + relay6[1].linkaddr + pkt.len == ''",
	"pkt6.msgtype == 1 and vendor.enterprise == 0 and member('foo')",
};

static void eval_all(const struct ternd_expr *x)
{
	for (int i = 0; i < N_FIXED; i++)
		run(x, &fixed[i].m, fixed[i].relays,
		    (unsigned)fixed[i].n_relays);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ternd_expr *probe_x[sizeof(probes) / sizeof(probes[0])];
	static bool init;
	struct ternd_expr *x = NULL;
	struct ternd_expr_error err;
	const uint8_t *nul = memchr(data, 0, size);
	size_t tlen = nul ? (size_t)(nul - data) : size;
	char *text = malloc(tlen + 1);

	if (!init) {
		build_fixed();
		for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++)
			if (ternd_expr_compile(probes[i], &env, &probe_x[i],
					       NULL) < 0)
				abort();
		init = true;
	}
	if (!text)
		return 0;
	memcpy(text, data, tlen);
	text[tlen] = '\0';
	if (ternd_expr_compile(text, &env, &x, &err) == 0) {
		eval_all(x);
		ternd_expr_free(x);
	} else if (err.column > tlen + 1) {
		abort();
	}
	if (ternd_expr_compile_string(text, &env, &x, &err) == 0) {
		eval_all(x);
		ternd_expr_free(x);
	}
	free(text);

	if (nul && (size_t)(nul - data) + 1 < size) {
		size_t n = size - (size_t)(nul - data) - 1;
		uint8_t *pkt = malloc(n); /* exact size: ASan sees overreads */
		struct tern_dhcp6_relay relays[TERN_DHCP6_MAX_RELAYS];
		struct tern_dhcp6_msg m;
		int nr;

		if (!pkt)
			return 0;
		memcpy(pkt, nul + 1, n);
		nr = tern_dhcp6_unwrap(pkt, n, relays, TERN_DHCP6_MAX_RELAYS,
				       &m);
		if (nr < 0 && n >= 4) {
			/* Raw: a relay level over the first half, the
			 * message (header, options) over the rest. */
			size_t half = n / 2;

			memset(relays, 0, sizeof(relays[0]));
			relays[0].type = TERN_DHCP6_RELAY_FORW;
			relays[0].opts = pkt;
			relays[0].opts_len = half;
			memset(&m, 0, sizeof(m));
			m.buf = pkt + half;
			m.len = n - half;
			m.type = pkt[half];
			m.opts = m.len >= 4 ? pkt + half + 4 : pkt + n;
			m.opts_len = m.len >= 4 ? m.len - 4 : 0;
			nr = 1;
		}
		if (nr >= 0)
			for (size_t i = 0;
			     i < sizeof(probes) / sizeof(probes[0]); i++)
				run(probe_x[i], &m, relays, (unsigned)nr);
		free(pkt);
	}
	return 0;
}
