/* SHA-256 (FIPS 180-4), for RFC 4701 DHCIDs: small, no allocation. */
#ifndef TERN_COMMON_SHA256_H
#define TERN_COMMON_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define TERN_SHA256_LEN 32

struct tern_sha256 {
	uint32_t h[8];
	uint64_t bytes; /* message length so far */
	uint8_t block[64];
	size_t fill; /* bytes in block */
};

void tern_sha256_init(struct tern_sha256 *c);
void tern_sha256_update(struct tern_sha256 *c, const void *data, size_t len);
void tern_sha256_final(struct tern_sha256 *c, uint8_t out[TERN_SHA256_LEN]);
/* The digest of one buffer. */
void tern_sha256(const void *data, size_t len, uint8_t out[TERN_SHA256_LEN]);

#endif
