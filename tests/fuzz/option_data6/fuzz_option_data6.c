/* Fuzz target: DHCPv6 option-data values (text, CSV or hex) through
 * ternd's kea-dhcp6 encoder under every standard DHCPv6 definition (all
 * spaces), a few user-style ones (tuple records, encapsulation) and none;
 * the packed value read back through the same definition must pack the
 * same. Input: one byte choosing the definition, one of flags (bit 0:
 * csv-format), then the data text. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/optdefs6.h"
#include "server/config/dhcp6_optval.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t f_tup[] = {TERN_OT_U8, TERN_OT_TUPLE};
static const uint8_t f_all[] = {TERN_OT_IPV6, TERN_OT_IPV6_PREFIX,
				TERN_OT_PSID, TERN_OT_BOOL,
				TERN_OT_FQDN, TERN_OT_STRING};

static const struct tern_optdef custom[] = {
	{"tuples", "dhcp6", NULL, f_tup, 2, 65000, TERN_OT_RECORD, true},
	{"lengthy", "dhcp6", NULL, f_all, 6, 65001, TERN_OT_RECORD, false},
	{"box", "dhcp6", "box", NULL, 0, 65002, TERN_OT_EMPTY, false},
	{"num", "dhcp6", "box", NULL, 0, 65003, TERN_OT_U16, false},
	{"tuple", "dhcp6", "box", NULL, 0, 65004, TERN_OT_TUPLE, false},
	{"prefixes", "dhcp6", NULL, NULL, 0, 65005, TERN_OT_IPV6_PREFIX, true},
	{"names", "box", NULL, NULL, 0, 1, TERN_OT_FQDN, true},
	{"inner", "box", "box", NULL, 0, 2, TERN_OT_EMPTY, false},
};
static const struct ternd_defset defs = {
	custom, sizeof(custom) / sizeof(custom[0]), NULL};

static const struct tern_optdef *pick(uint8_t b)
{
	size_t n_std = 0, n_custom = sizeof(custom) / sizeof(custom[0]);

	while (tern_optdef6_std_at(n_std))
		n_std++;
	if (b < n_std)
		return tern_optdef6_std_at(b);
	b = (uint8_t)(b - n_std);
	return b < n_custom ? &custom[b] : NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[1024], again[1024];
	const struct tern_optdef *def;
	char text[4096], why[LD6_WHY_LEN];
	size_t n;
	int rc, rc2;

	if (size < 2)
		return 0;
	def = pick(data[0]);
	n = size - 2 < sizeof(text) - 1 ? size - 2 : sizeof(text) - 1;
	memcpy(text, data + 2, n);
	text[n] = '\0'; /* data is a JSON string: it ends at a NUL */

	rc = ld6_optval(&defs, def, text, data[1] & 1, out, sizeof(out), why);
	if ((rc == -EINVAL || rc == -EBADMSG) && !why[0])
		abort(); /* every refusal says why */
	if (rc < 0)
		return 0;
	if ((size_t)rc > sizeof(out))
		abort();
	/* Packing is stable: the value reads back and packs the same. Not
	 * client-fqdn's: a partial name goes without its root label, so one
	 * whose last label ends in a zero byte reads back as a full name
	 * that is cut short (so it is in Kea). */
	rc2 = ld6_optval_bytes(&defs, def, out, (size_t)rc, again,
			       sizeof(again), why);
	if (def == tern_optdef6_std(TERN_SPACE_DHCP6, 39))
		return 0;
	if (rc2 != rc || memcmp(out, again, (size_t)rc) != 0)
		abort();
	return 0;
}
