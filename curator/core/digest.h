/*
 * digest: FNV-1a 64 for hashing, and a 128-bit FNV-1a digest for telling whether a set of things is
 * exactly what it was (the build fingerprint, docs/DESIGN-NOTES.md).
 *
 * Not cryptographic: it guards against accidental change, not against
 * someone forging a collision. Values are added as typed, length-prefixed
 * fields, so that ("ab", "c") and ("a", "bc") give different digests.
 */
#ifndef CURATOR_CORE_DIGEST_H
#define CURATOR_CORE_DIGEST_H

#include <stddef.h>
#include <stdint.h>

/* FNV-1a 64 (Fowler, Noll, Vo; draft-eastlake-fnv): start from
 * FNV1A64_BASIS and add bytes. For hash tables, cache file names and
 * change detection; like the digest below, not for security. */
#define FNV1A64_BASIS 0xcbf29ce484222325ULL

static inline uint64_t
fnv1a64(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* 32 lowercase hex digits and a NUL. */
#define DIGEST_HEX_SIZE 33

struct digest {
	uint64_t hi, lo;
};

/* Starts d at the FNV-1a 128 offset basis. */
void digest_init(struct digest *d);
/* Adds len raw bytes (no length prefix): digest_init() then digest_bytes()
 * of a whole input is plain FNV-1a 128 of it. */
void digest_bytes(struct digest *d, const void *data, size_t len);
/* Adds a field: a one-byte tag, the length, then the bytes. */
void digest_field(struct digest *d, char tag, const void *data, size_t len);
/* Adds a C string as a field (NULL is told apart from ""). */
void digest_str(struct digest *d, char tag, const char *s);
/* Adds a 64-bit number as a field. */
void digest_u64(struct digest *d, char tag, uint64_t v);
/* Writes d as 32 hex digits and a NUL to hex. */
void digest_hex(const struct digest *d, char hex[DIGEST_HEX_SIZE]);

#endif
