/* ternd DNS names: text and wire form, parsed and printed exactly as Kea's
 * isc::dns::Name does (the names kea-dhcp4 puts in option 81 and NCRs). */
#ifndef TERND_DDNS_DNAME_H
#define TERND_DDNS_DNAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TERND_DNAME_WIRE_MAX  255 /* RFC 1035 §2.3.4 */
#define TERND_DNAME_LABEL_MAX 63
/* Text of any name, escapes (\DDD) and final dot included, plus a NUL. */
#define TERND_DNAME_TEXT_MAX (4 * TERND_DNAME_WIRE_MAX + 2)

/* An absolute name in wire form: labels, the root's 0 byte last. */
struct ternd_dname {
	uint16_t len;	 /* bytes in wire, 1 for the root name */
	uint16_t labels; /* labels, the root one included (Kea's count) */
	uint8_t wire[TERND_DNAME_WIRE_MAX];
};

/*
 * Text (s[0..n), not NUL-terminated) to a name, as Name(text, downcase):
 * "\X" and "\DDD" escapes, a final dot optional, "." and "@" the root.
 * Returns 0, or -EINVAL (empty, empty label, bad escape, label over 63
 * bytes, name over 255).
 */
int ternd_dname_from_text(const char *s, size_t n, bool downcase,
			  struct ternd_dname *ret);

/*
 * Wire bytes to a name, as Name(InputBuffer, downcase) at offset 0: labels
 * up to the root label (bytes after it are ignored); compression pointers
 * cannot point anywhere from there. Returns 0 or -EINVAL.
 */
int ternd_dname_from_wire(const uint8_t *p, size_t n, bool downcase,
			  struct ternd_dname *ret);

/*
 * The name as text into out[0..cap) with a NUL: Kea's toText (special
 * characters escaped with '\', others outside 0x21..0x7e as \DDD) or, raw,
 * its toRawText (no escapes). The root is "." whatever omit_final_dot says.
 * Returns the length, or -ENOBUFS.
 */
int ternd_dname_to_text(const struct ternd_dname *d, bool omit_final_dot,
			bool raw, char *out, size_t cap);

/* ASCII lower case in place (what Kea's downcase does to text). */
void ternd_dname_lower(char *s);

#endif
