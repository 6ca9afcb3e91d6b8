/* Fuzz target: text -> ternd's Kea expression compiler; what compiles is
 * evaluated against fixed packets, and against the input's own packet when
 * one follows a NUL byte. */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <tern/dhcp4.h>

#include "server/classify/expr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define N_FIXED 4

struct fpkt {
	uint8_t buf[1024];
	struct tern_dhcp4_msg m;
	bool ok;
};

static struct fpkt fixed[N_FIXED];
static struct ternd_expr_scratch scratch;
static uint8_t out[TERND_EXPR_SCRATCH];

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
	return strcmp(name, "my-opt") ? -1 : 224;
}

static bool is_container(void *ctx, uint8_t code)
{
	(void)ctx;
	return code == 43 || code == 224;
}

static bool is_string(void *ctx, uint8_t code)
{
	(void)ctx;
	return code == 225;
}

static const struct ternd_expr_env env = {
	.opt_code = opt_code,
	.opt_is_string = is_string,
	.opt_is_container = is_container,
	.class_index = class_index,
};

static void put(struct tern_dhcp4_writer *w, uint8_t code, const char *s,
		size_t n)
{
	tern_dhcp4_put(w, code, s, n);
}

/* A relayed PXE client, a DOCSIS modem, split and malformed options. */
static void build_fixed(void)
{
	static const char big[300] = "big option, split in two instances";

	for (int i = 0; i < N_FIXED; i++) {
		struct tern_dhcp4_writer w;
		struct tern_dhcp4_hdr h;
		int n;

		memset(&h, 0, sizeof(h));
		h.op = 1;
		h.htype = 1;
		h.hlen = (uint8_t)(i == 3 ? 18 : 6);
		h.xid = 0x01020304u * (unsigned)(i + 1);
		h.giaddr.s_addr = i ? 0x0100000a : 0;
		memcpy(h.chaddr, "\x02\x00\x00\x00\x00\x01", 6);
		tern_dhcp4_writer_init(&w, fixed[i].buf, sizeof(fixed[i].buf),
				       0, 0);
		tern_dhcp4_put_msg_type(&w, (uint8_t)(i == 2 ? 7 : 1));
		switch (i) {
		case 0:
			put(&w, 60, "PXEClient:Arch:00007:UNDI:003016", 32);
			put(&w, 93, "\x00\x07", 2);
			put(&w, 77, "iPXE", 4);
			put(&w, 12, "host\0", 5);
			tern_dhcp4_container_begin(&w, 82);
			tern_dhcp4_subopt_put(&w, 1, "port1", 5);
			tern_dhcp4_subopt_put(&w, 2, "remote", 6);
			tern_dhcp4_container_end(&w);
			break;
		case 1:
			put(&w, 60, "docsis3.0", 9);
			put(&w, 124,
			    "\x00\x00\x11\x8b\x03"
			    "abc",
			    8);
			put(&w, 125,
			    "\x00\x00\x11\x8b\x0c\x01\x02\x01\x02\x02\x04\x0a"
			    "\x00\x00\x01\x03\x00",
			    17);
			put(&w, 43, "\x00\x01\x02xy\xff", 6);
			put(&w, 224, "\x01\x01q", 3);
			put(&w, 225, "str\0", 4);
			break;
		case 2:
			put(&w, 77, big, sizeof(big));
			put(&w, 82, "\x01\x03", 2);
			put(&w, 82, "\x02\x01z", 3);
			put(&w, 53, "\x03", 1);
			put(&w, 57, "\x05\xdc\x01\x01q", 5);
			break;
		default:
			put(&w, 124,
			    "\x00\x00\x11\x8b\x05"
			    "a",
			    6);
			put(&w, 60, "before", 6);
			put(&w, 125, "\x00\x00", 2);
			put(&w, 60, "after", 5);
			put(&w, 12, "", 0);
			break;
		}
		tern_dhcp4_write_header(&w, &h);
		n = tern_dhcp4_writer_finish(&w, false);
		fixed[i].ok =
			n > 0 && tern_dhcp4_parse(&fixed[i].m, fixed[i].buf,
						  (size_t)n) >= 0;
		if (!fixed[i].ok)
			abort();
	}
}

static void run(const struct ternd_expr *x, const struct tern_dhcp4_msg *m)
{
	static const uint64_t classes[2] = {0x5, 0x1};
	struct ternd_expr_pkt p = {
		.m = m,
		.iface = "eth0",
		.src = 0x0a000001,
		.dst = 0x0a000002,
		.classes = classes,
		.n_class_words = 2,
	};
	int r;

	if (ternd_expr_is_string(x)) {
		if (ternd_expr_eval(x, &p, &scratch) != -EDOM)
			abort();
	} else {
		r = ternd_expr_eval(x, &p, &scratch);
		if (r > 1 ||
		    (r < 0 && r != -EINVAL && r != -ENOBUFS && r != -EBADMSG))
			abort();
	}
	r = ternd_expr_eval_string(x, &p, &scratch, out, sizeof(out));
	if (r > (int)sizeof(out))
		abort();
}

/* Expressions that walk every part of a packet, for packets from input. */
static const char *const probes[] = {
	"option[60].text == option[60].hex",
	"option[82].text + option[82].hex + relay4[1].text == ''",
	"option[125].text + option[125].hex + vendor[*].option[2].text == ''",
	"option[124].text + option[124].hex + vendor-class[*].data[1] == ''",
	"option[43].option[1].text + option[224].option[2].hex == ''",
	"option[53].text + option[57].text + option[55].text == ''",
	"option[3].text + option[1].text + option[19].text == ''",
	"pkt.len == pkt4.mac and pkt4.msgtype == 1 and vendor.enterprise == 0",
	"vendor[4491].option[1].text + vendor-class.enterprise == ''",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ternd_expr *probe_x[sizeof(probes) / sizeof(probes[0])];
	static bool init;
	struct ternd_expr *x = NULL;
	struct ternd_expr_error err;
	const uint8_t *nul = memchr(data, 0, size);
	size_t tlen = nul ? (size_t)(nul - data) : size;
	char *text = malloc(tlen + 1);
	uint8_t *pkt = NULL;
	struct tern_dhcp4_msg m;
	bool have_pkt = false;

	if (!init) {
		build_fixed();
		for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++)
			if (ternd_expr_compile(probes[i], &env, &probe_x[i],
					       NULL) != 0)
				abort();
		init = true;
	}
	if (!text)
		return 0;
	memcpy(text, data, tlen);
	text[tlen] = '\0';
	if (nul) {
		/* An exact-size copy, so ASan sees any read past it. */
		size_t plen = size - tlen - 1;

		pkt = malloc(plen ? plen : 1);
		if (pkt) {
			memcpy(pkt, nul + 1, plen);
			have_pkt = tern_dhcp4_parse(&m, pkt, plen) >= 0;
		}
	}
	for (int string = 0; string < 2; string++) {
		int r = string ? ternd_expr_compile_string(text, &env, &x, &err)
			       : ternd_expr_compile(text, &env, &x, &err);

		if (r != 0) {
			if (x || (r == -EINVAL &&
				  (err.column == 0 || err.column > tlen + 1)))
				abort();
			continue;
		}
		ternd_expr_dump(x, (char *)out, 64);
		for (int i = 0; i < N_FIXED; i++)
			run(x, &fixed[i].m);
		if (have_pkt)
			run(x, &m);
		ternd_expr_free(x);
		x = NULL;
	}
	if (have_pkt)
		for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++)
			run(probe_x[i], &m);
	free(pkt);
	free(text);
	return 0;
}
