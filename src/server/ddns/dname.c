/* ternd DNS names: Kea's text and wire rules (isc::dns::Name), pure. */
#include "server/ddns/dname.h"

#include <errno.h>
#include <string.h>

static uint8_t lower(uint8_t c)
{
	return c >= 'A' && c <= 'Z' ? (uint8_t)(c + ('a' - 'A')) : c;
}

void ternd_dname_lower(char *s)
{
	for (; *s; s++)
		*s = (char)lower((uint8_t)*s);
}

static bool is_digit(uint8_t c)
{
	return c >= '0' && c <= '9';
}

/*
 * The state machine of Kea's stringParse: a label is ordinary bytes, "\X"
 * (X taken as is) or "\DDD" (a decimal byte); "." ends a label; a final
 * dot is optional.
 */
int ternd_dname_from_text(const char *s, size_t n, bool downcase,
			  struct ternd_dname *ret)
{
	struct ternd_dname d;
	size_t i = 0, len_at = 0;
	unsigned count = 0;
	bool in_label = false;

	if (!s || !ret || n == 0)
		return -EINVAL;
	memset(&d, 0, sizeof(d));
	/* "." and "@" alone are the root. */
	if ((n == 1 && (s[0] == '.' || s[0] == '@'))) {
		d.len = 1;
		d.labels = 1;
		*ret = d;
		return 0;
	}
	if (s[0] == '.')
		return -EINVAL;
	while (i < n) {
		uint8_t c = (uint8_t)s[i++];

		if (!in_label) {
			if (d.len >= TERND_DNAME_WIRE_MAX)
				return -EINVAL;
			len_at = d.len++;
			count = 0;
			in_label = true;
		}
		if (c == '.') {
			if (count == 0)
				return -EINVAL;
			d.wire[len_at] = (uint8_t)count;
			d.labels++;
			in_label = false;
			continue;
		}
		if (c == '\\') {
			if (i >= n)
				return -EINVAL;
			c = (uint8_t)s[i++];
			/* "\[" starting a label: a bitstring label. */
			if (c == '[' && count == 0)
				return -EINVAL;
			if (is_digit(c)) {
				unsigned v = (unsigned)(c - '0');

				for (int k = 0; k < 2; k++) {
					if (i >= n || !is_digit((uint8_t)s[i]))
						return -EINVAL;
					v = v * 10 + (unsigned)(s[i++] - '0');
				}
				if (v > 255)
					return -EINVAL;
				c = (uint8_t)v;
			}
		}
		if (++count > TERND_DNAME_LABEL_MAX ||
		    d.len >= TERND_DNAME_WIRE_MAX)
			return -EINVAL;
		d.wire[d.len++] = downcase ? lower(c) : c;
	}
	if (in_label) {
		/* No final dot: the label ends here. */
		d.wire[len_at] = (uint8_t)count;
		d.labels++;
	}
	if (d.len >= TERND_DNAME_WIRE_MAX)
		return -EINVAL;
	d.wire[d.len++] = 0;
	d.labels++;
	*ret = d;
	return 0;
}

int ternd_dname_from_wire(const uint8_t *p, size_t n, bool downcase,
			  struct ternd_dname *ret)
{
	struct ternd_dname d;
	size_t i = 0;

	if (!p || !ret)
		return -EINVAL;
	memset(&d, 0, sizeof(d));
	for (;;) {
		uint8_t c;

		if (i >= n)
			return -EINVAL; /* incomplete: no root label */
		c = p[i++];
		/* A pointer (or an unknown label type) at the start of the
		 * data points nowhere Kea accepts. */
		if (c > TERND_DNAME_LABEL_MAX)
			return -EINVAL;
		if ((size_t)d.len + c + 1 > TERND_DNAME_WIRE_MAX)
			return -EINVAL;
		d.wire[d.len++] = c;
		d.labels++;
		if (c == 0)
			break;
		if (n - i < c)
			return -EINVAL;
		for (uint8_t k = 0; k < c; k++)
			d.wire[d.len++] = downcase ? lower(p[i + k]) : p[i + k];
		i += c;
	}
	*ret = d;
	return 0;
}

int ternd_dname_to_text(const struct ternd_dname *d, bool omit_final_dot,
			bool raw, char *out, size_t cap)
{
	size_t k = 0, i = 0;

#define PUT(ch)                          \
	do {                             \
		if (k + 1 >= cap)        \
			return -ENOBUFS; \
		out[k++] = (char)(ch);   \
	} while (0)

	if (!d || !out || cap == 0)
		return -EINVAL;
	while (i < d->len) {
		uint8_t count = d->wire[i++];

		if (count == 0) {
			if (!omit_final_dot || k == 0)
				PUT('.');
			break;
		}
		if (k)
			PUT('.');
		while (count-- > 0 && i < d->len) {
			uint8_t c = d->wire[i++];

			if (raw) {
				PUT(c);
				continue;
			}
			switch (c) {
			case '"':
			case '(':
			case ')':
			case '.':
			case ';':
			case '\\':
			case '@':
			case '$':
				PUT('\\');
				PUT(c);
				break;
			default:
				if (c > 0x20 && c < 0x7f) {
					PUT(c);
				} else {
					PUT('\\');
					PUT('0' + c / 100 % 10);
					PUT('0' + c / 10 % 10);
					PUT('0' + c % 10);
				}
			}
		}
	}
#undef PUT
	out[k] = 0;
	return (int)k;
}
