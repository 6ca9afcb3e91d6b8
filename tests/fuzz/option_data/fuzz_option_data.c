/* Fuzz target: option-data values (text, CSV or hex) through ternd's Kea
 * encoder under every standard definition and a set of custom ones, and the
 * wire value back through the same definition. Input: one byte choosing
 * the definition, one of flags (bit 0: csv-format), then the data text. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/optdefs.h"
#include "server/config/options.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t f_all[] = {
	TERN_OT_I8,    TERN_OT_I16,  TERN_OT_I32,	  TERN_OT_U8,
	TERN_OT_U16,   TERN_OT_U32,  TERN_OT_IPV4,	  TERN_OT_PSID,
	TERN_OT_TUPLE, TERN_OT_IPV6, TERN_OT_IPV6_PREFIX, TERN_OT_BOOL,
	TERN_OT_FQDN};
static const uint8_t f_str[] = {TERN_OT_IPV4, TERN_OT_PSID, TERN_OT_TUPLE,
				TERN_OT_FQDN, TERN_OT_STRING};
static const uint8_t f_bin[] = {TERN_OT_U8, TERN_OT_BINARY};

/* Custom definitions: every type, arrays, records, encapsulation. */
static const struct tern_optdef custom[] = {
	{"all", "dhcp4", NULL, f_all, 13, 224, TERN_OT_RECORD, true},
	{"lengthy", "dhcp4", NULL, f_str, 5, 225, TERN_OT_RECORD, false},
	{"rec-bin", "dhcp4", "box", f_bin, 2, 226, TERN_OT_RECORD, false},
	{"box", "dhcp4", "box", NULL, 0, 227, TERN_OT_EMPTY, false},
	{"num", "dhcp4", "box", NULL, 0, 228, TERN_OT_U16, false},
	{"addr", "dhcp4", "box", NULL, 0, 229, TERN_OT_IPV4, false},
	{"prefixes", "dhcp4", NULL, NULL, 0, 230, TERN_OT_IPV6_PREFIX, true},
	{"psids", "dhcp4", NULL, NULL, 0, 231, TERN_OT_PSID, true},
	{"flags", "dhcp4", NULL, NULL, 0, 232, TERN_OT_BOOL, true},
	{"tuples", "dhcp4", NULL, NULL, 0, 233, TERN_OT_TUPLE, true},
	{"i16s", "dhcp4", NULL, NULL, 0, 234, TERN_OT_I16, true},
	{"v6s", "dhcp4", NULL, NULL, 0, 235, TERN_OT_IPV6, true},
	{"tuple", "dhcp4", "box", NULL, 0, 236, TERN_OT_TUPLE, false},
	{"name", "dhcp4", NULL, NULL, 0, 237, TERN_OT_FQDN, false},
	/* the sub-options of "box": parsed through these */
	{"in-a", "box", NULL, NULL, 0, 1, TERN_OT_U32, false},
	{"in-b", "box", "box2", NULL, 0, 2, TERN_OT_EMPTY, false},
	{"in-c", "box2", NULL, NULL, 0, 3, TERN_OT_FQDN, true},
};
static const struct ternd_defset defs = {
	custom, sizeof(custom) / sizeof(custom[0]), NULL};

static const struct tern_optdef *pick(uint8_t b)
{
	size_t n_std = 0, n_custom = sizeof(custom) / sizeof(custom[0]);

	while (tern_optdef_std_at(n_std))
		n_std++;
	if (b < n_std)
		return tern_optdef_std_at(b);
	b = (uint8_t)(b - n_std);
	if (b < n_custom)
		return &custom[b];
	switch (b - n_custom) {
	case 0:
		return tern_optdef_last_resort(43);
	case 1:
		return tern_optdef_std(TERN_SPACE_DOCSIS3, 1);
	case 2:
		return &ternd_def_classless_routes;
	default:
		return NULL;
	}
}

static int count_token(const char *tok, size_t len, void *arg)
{
	(void)tok;
	(*(size_t *)arg) += len;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ternd_optval v, again;
	static uint8_t wire[TERND_OPT_VAL_MAX + TERND_OPT_SUB_MAX + 1];
	static uint8_t wire2[sizeof(wire)], hex[2048];
	const struct tern_optdef *def;
	char text[4096];
	size_t n, total = 0;
	bool csv;
	int rc, w, w2;

	if (size < 2)
		return 0;
	def = pick(data[0]);
	csv = data[1] & 1;
	n = size - 2 < sizeof(text) - 1 ? size - 2 : sizeof(text) - 1;
	memcpy(text, data + 2, n);
	text[n] = '\0'; /* data is a JSON string: it ends at a NUL */

	if (ternd_csv_tokens(text, count_token, &total) < 0 || total > n)
		abort();
	(void)ternd_opt_text_bytes(text, hex, sizeof(hex));
	(void)ternd_hex_decode(text, hex, sizeof(hex));

	rc = ternd_optval_from_text(&defs, def, text, csv, &v);
	if (rc == -EINVAL && !v.why[0])
		abort(); /* every refusal says why */
	if (rc < 0)
		return 0;
	if (v.val_len > sizeof(v.val) || v.sub_len > sizeof(v.sub))
		abort();
	w = ternd_optval_wire(&v, wire, sizeof(wire));
	if (w < 0)
		abort();
	/* Re-packing is stable: the wire value reads back the same. */
	if (ternd_optval_from_bytes(&defs, def, wire, (size_t)w, &again) < 0)
		abort();
	w2 = ternd_optval_wire(&again, wire2, sizeof(wire2));
	if (w2 != w || memcmp(wire, wire2, (size_t)w) != 0)
		abort();
	return 0;
}
