/* ternd hostname-char-set: the POSIX extended regular expression Kea applies
 * to client host names, compiled into the set of bytes it replaces. */
#include <ctype.h>
#include <stdbool.h>
#include <string.h>

#include "server/config/loader.h"

static void set_bit(struct ternd_scrub *s, unsigned c)
{
	s->set[c >> 6] |= UINT64_C(1) << (c & 63);
}

/* POSIX character classes, in the C locale (Kea runs in it). */
static int class_test(const char *name, size_t len, int c)
{
	static const struct {
		const char *name;
		int (*fn)(int);
	} classes[] = {
		{"alnum", isalnum}, {"alpha", isalpha}, {"blank", isblank},
		{"cntrl", iscntrl}, {"digit", isdigit}, {"graph", isgraph},
		{"lower", islower}, {"print", isprint}, {"punct", ispunct},
		{"space", isspace}, {"upper", isupper}, {"xdigit", isxdigit},
	};

	for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		if (strlen(classes[i].name) == len &&
		    memcmp(classes[i].name, name, len) == 0)
			return c < 128 && classes[i].fn(c) ? 1 : 0;
	return -1;
}

/*
 * One element of a bracket expression at *pp: a byte, "[:class:]", "[.c.]"
 * or "[=c=]". Sets *ret_c to the byte, or -1 for a class (whose bytes go
 * into in[] at once). Returns false on a malformed element.
 */
static bool bracket_elem(const char **pp, int *ret_c, bool in[256])
{
	const char *p = *pp;

	if (p[0] == '[' && (p[1] == ':' || p[1] == '.' || p[1] == '=')) {
		char kind = p[1];
		const char *end = p + 2;

		while (*end && !(end[0] == kind && end[1] == ']'))
			end++;
		if (!*end)
			return false;
		if (kind == ':') {
			size_t len = (size_t)(end - (p + 2));

			if (class_test(p + 2, len, 'a') < 0)
				return false;
			for (int c = 1; c < 256; c++)
				if (class_test(p + 2, len, c) == 1)
					in[c] = true;
			*ret_c = -1;
		} else {
			/* A collating element or equivalence class of one
			 * byte is that byte in the C locale. */
			if (end - (p + 2) != 1)
				return false;
			*ret_c = (unsigned char)p[2];
		}
		*pp = end + 2;
		return true;
	}
	if (!*p)
		return false;
	*ret_c = (unsigned char)*p;
	*pp = p + 1;
	return true;
}

/* "[...]" at *pp into in[] (negation applied). */
static bool bracket(const char **pp, bool in[256])
{
	const char *p = *pp + 1;
	bool neg = false, first = true;

	if (*p == '^') {
		neg = true;
		p++;
	}
	for (;;) {
		int lo, hi;

		if (*p == ']' && !first)
			break;
		if (!bracket_elem(&p, &lo, in))
			return false;
		first = false;
		if (lo < 0)
			continue;
		if (p[0] == '-' && p[1] && p[1] != ']') {
			p++;
			if (!bracket_elem(&p, &hi, in) || hi < 0 || hi < lo)
				return false;
		} else {
			hi = lo;
		}
		for (int c = lo; c <= hi; c++)
			in[c] = true;
	}
	*pp = p + 1;
	if (neg)
		for (int c = 0; c < 256; c++)
			in[c] = !in[c];
	return true;
}

/*
 * The patterns real configurations use: one bracket expression, an
 * escaped or an ordinary character, optionally followed by "+" (a run is
 * one match). Kea takes any regular expression; ternd refuses the others
 * rather than sanitise differently.
 */
const char *ld_compile_scrub(const char *set, const char *repl,
			     struct ternd_scrub *scrub)
{
	struct ternd_scrub s;
	bool in[256] = {false};
	const char *p = set;

	memset(&s, 0, sizeof(s));
	if (*p == '[') {
		if (!bracket(&p, in))
			return "is not a valid bracket expression";
	} else if (*p == '\\' && p[1]) {
		in[(unsigned char)p[1]] = true;
		p += 2;
	} else if (*p && !strchr("^$.*+?{}()|[\\", *p)) {
		in[(unsigned char)*p] = true;
		p++;
	} else {
		return "is not supported by ternd (only one character class "
		       "such as \"[^A-Za-z0-9.-]\", optionally followed by "
		       "\"+\")";
	}
	if (*p == '+') {
		s.runs = true;
		p++;
	}
	if (*p)
		return "is not supported by ternd (only one character class "
		       "such as \"[^A-Za-z0-9.-]\", optionally followed by "
		       "\"+\")";
	for (unsigned c = 0; c < 256; c++)
		if (in[c])
			set_bit(&s, c);
	s.repl = repl;
	s.repl_len = strlen(repl);
	if (scrub)
		*scrub = s;
	return NULL;
}
