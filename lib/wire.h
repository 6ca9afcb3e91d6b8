/* Bounds-free big-endian loads and stores for libtern; callers check bounds
 * first. */
#ifndef TERN_LIB_WIRE_H
#define TERN_LIB_WIRE_H

#include <endian.h>
#include <stdint.h>
#include <string.h>

static inline uint16_t tern__rd16(const uint8_t *p)
{
	return (uint16_t)((uint16_t)p[0] << 8 | p[1]);
}

static inline uint32_t tern__rd32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return be32toh(v);
}

static inline void tern__wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void tern__wr32(uint8_t *p, uint32_t v)
{
	v = htobe32(v);
	memcpy(p, &v, 4);
}

#endif
