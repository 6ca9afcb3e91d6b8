/* ternd option table: Kea's DHCPv4 option names and types, and option-data text
 * to wire bytes. */
#ifndef TERND_OPTIONS_H
#define TERND_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/optdefs.h"

/*
 * NULL when code may be configured, else why not: options the server or
 * the client owns (lease time, message type, client-id, ...).
 */
const char *ternd_option_reserved(uint8_t code);

/*
 * Encode option-data text into wire bytes. def NULL means an option with no
 * definition: data must be hex (csv-format false). Returns the length, or
 * a negative errno with a reason in why (-EINVAL bad text, -ENOBUFS longer
 * than cap).
 */
int ternd_option_encode(const struct tern_optdef *def, const char *data,
			bool csv, uint8_t *out, size_t cap, char *why,
			size_t why_len);

/* Hex text as Kea takes it: "0a0b", "0x0a0b", "0a:0b", "0a 0b". */
int ternd_hex_decode(const char *text, uint8_t *out, size_t cap);

#endif
