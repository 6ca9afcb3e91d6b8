/* One hexadecimal digit's value: the configuration, JSON \u escapes, client
 * script variables and ternctl all read hex. */
#ifndef TERN_COMMON_HEX_H
#define TERN_COMMON_HEX_H

/* 0..15, or -1 when c is not a hex digit. */
static inline int tern_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#endif
