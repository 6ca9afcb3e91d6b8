/* ternd client names: option 81 (RFC 4702) and option 12 as kea-dhcp4 2.2
 * handles them: flags, the name a lease gets, what the reply says. Pure. */
#ifndef TERND_DDNS_FQDN_H
#define TERND_DDNS_FQDN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/config/config.h"
#include "server/ddns/dname.h"

/* Option 81 flags (RFC 4702 §2.1). */
#define TERND_FQDN_S 0x01 /* the server does the forward (A) update */
#define TERND_FQDN_O 0x02 /* the server overrode the client's S */
#define TERND_FQDN_E 0x04 /* the name is in wire format */
#define TERND_FQDN_N 0x08 /* no update at all */

/* Room for a host name as a lease keeps it (text, NUL included). */
#define TERND_HOSTNAME_MAX 256

/* A client's option 81. */
struct ternd_fqdn {
	uint8_t flags;
	uint8_t rcode1, rcode2;
	bool has_name; /* false: no domain name */
	bool full;     /* the name is fully qualified (else partial) */
	struct ternd_dname name;
};

/*
 * Parse option 81's value as Kea does: at least flags and the two RCODEs;
 * the name in wire format when E is set (partial when it lacks the root
 * label), else ASCII text (partial without a final dot); names are lower
 * case. Returns 0 or -EBADMSG (short, N and S both set, a bad name: Kea
 * drops such a packet).
 */
int ternd_fqdn_parse(const uint8_t *p, size_t n, struct ternd_fqdn *ret);

/*
 * Kea's D2ClientMgr::qualifyName: name, then ".suffix" unless it already
 * ends with the suffix (label-aligned), then a final dot added or removed.
 * Returns the length written to out[0..cap) with a NUL, or -ENOBUFS.
 */
int ternd_ddns_qualify(const char *name, const char *suffix, bool trailing_dot,
		       char *out, size_t cap);

/* Kea's generateFqdn: "<prefix>-<a-b-c-d>" qualified (addr host order). */
int ternd_ddns_generate(uint32_t addr, const struct ternd_ddns_params *p,
			bool trailing_dot, char *out, size_t cap);

/*
 * hostname-char-set / -replacement: every match of re in in[0..n) is
 * replaced by rep (Kea's StringSanitizer). re NULL copies. Returns the
 * length written to out[0..cap) with a NUL, or -ENOBUFS.
 */
int ternd_ddns_scrub(const regex_t *re, const char *rep, const char *in,
		     size_t n, char *out, size_t cap);

/* What one request brings to the name decision. */
struct ternd_name_in {
	const struct ternd_fqdn *fqdn; /* option 81, NULL = not sent */
	const uint8_t *host;	       /* option 12, NULL = not sent */
	size_t host_len;
	const char *reserved; /* the reservation's hostname, NULL = none */
	const struct ternd_ddns_params *p;
	bool enabled;  /* dhcp-ddns enable-updates */
	uint32_t addr; /* the address offered or leased, host order */
};

/* The decision: the lease's name, the directions, the reply's options. */
struct ternd_client_name {
	char hostname[TERND_HOSTNAME_MAX]; /* the lease's, "" = none */
	bool fwd, rev;			   /* updates asked for */
	bool has81;			   /* the reply carries option 81 */
	uint16_t len81;
	uint8_t opt81[3 + TERND_DNAME_TEXT_MAX]; /* its value */
	bool has12;			 /* the reply carries option 12 */
	char host12[TERND_HOSTNAME_MAX]; /* its value */
};

/*
 * Kea's processClientName and postAllocateNameUpdate for one reply with a
 * lease: option 81 wins over option 12, a reserved hostname over both;
 * names are sanitized, lower-cased and qualified, generated from the
 * address when empty or replaced. A name kea-dhcp4 fails to process gives
 * no option and no name (as Kea logs and goes on). Always succeeds.
 */
void ternd_client_name(const struct ternd_name_in *in,
		       struct ternd_client_name *out);

#endif
