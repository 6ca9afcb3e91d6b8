/* ternctl decode: read messages from files (binary or hex text) and dump them.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <tern/dhcp4.h>

#include "ctl/ctl.h"

#define MAX_MSG 65536

/*
 * A file is hex text when every byte is a hex digit, white space, ':' or
 * part of a "0x" prefix; then the digits are the message. Else it is raw.
 */
static long hex_to_bin(const uint8_t *in, size_t n, uint8_t *out, size_t cap)
{
	size_t o = 0;
	int hi = -1;

	for (size_t i = 0; i < n; i++) {
		int c = in[i], v;

		if (isspace(c) || c == ':')
			continue;
		if (c == '0' && i + 1 < n &&
		    (in[i + 1] == 'x' || in[i + 1] == 'X')) {
			i++;
			continue;
		}
		if (!isxdigit(c))
			return -1;
		v = isdigit(c) ? c - '0' : (tolower(c) - 'a' + 10);
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (o >= cap)
			return -1;
		out[o++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	return hi < 0 ? (long)o : -1;
}

/* DHCPv4 has its magic cookie at 236; anything else is taken as DHCPv6. */
static bool looks_v4(const uint8_t *b, size_t n)
{
	return n >= TERN_DHCP4_MIN_LEN && b[236] == 99 && b[237] == 130 &&
	       b[238] == 83 && b[239] == 99;
}

static int decode_file(const char *path, int force)
{
	static uint8_t raw[MAX_MSG], bin[MAX_MSG];
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	const uint8_t *msg = raw;
	size_t n;
	long h;
	int r;

	if (!f) {
		fprintf(stderr, "ternctl: %s: %s\n", path, strerror(errno));
		return -errno;
	}
	n = fread(raw, 1, sizeof(raw), f);
	if (f != stdin)
		fclose(f);
	h = hex_to_bin(raw, n, bin, sizeof(bin));
	if (h > 0) {
		msg = bin;
		n = (size_t)h;
	}
	printf("== %s\n", path);
	if (force == 4 || (force != 6 && looks_v4(msg, n)))
		r = ctl_print_dhcp4(stdout, msg, n);
	else
		r = ctl_print_dhcp6(stdout, msg, n);
	return r;
}

int ctl_cmd_decode(int argc, char **argv)
{
	int force = 0;
	int status = 0, files = 0;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "-6") || !strcmp(argv[i], "-4")) {
			force = argv[i][1] - '0';
			continue;
		}
		files++;
		if (decode_file(argv[i], force) < 0)
			status = 1;
	}
	if (!files) {
		fputs("usage: ternctl decode [-4|-6] FILE...  (- for stdin)\n",
		      stderr);
		return 2;
	}
	return status;
}
