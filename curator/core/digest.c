#include "core/digest.h"

#include <stdio.h>
#include <string.h>

/* FNV-1a 128 (draft-eastlake-fnv): offset basis and prime 2^88 + 0x13b. */
#define FNV128_BASIS_HI 0x6c62272e07bb0142ULL
#define FNV128_BASIS_LO 0x62b821756295c58dULL
#define FNV128_PRIME_HI 0x0000000001000000ULL
#define FNV128_PRIME_LO 0x000000000000013bULL

void
digest_init(struct digest *d)
{
	d->hi = FNV128_BASIS_HI;
	d->lo = FNV128_BASIS_LO;
}

void
digest_bytes(struct digest *d, const void *data, size_t len)
{
	__extension__ typedef unsigned __int128 u128;
	const unsigned char *p = data;
	u128 h = ((u128)d->hi << 64) | d->lo;
	const u128 prime = ((u128)FNV128_PRIME_HI << 64) | FNV128_PRIME_LO;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= prime;
	}
	d->hi = (uint64_t)(h >> 64);
	d->lo = (uint64_t)h;
}

static void
add_u64(struct digest *d, uint64_t v)
{
	unsigned char b[8];
	int i;

	for (i = 0; i < 8; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	digest_bytes(d, b, sizeof(b));
}

void
digest_field(struct digest *d, char tag, const void *data, size_t len)
{
	digest_bytes(d, &tag, 1);
	add_u64(d, (uint64_t)len);
	digest_bytes(d, data, len);
}

void
digest_str(struct digest *d, char tag, const char *s)
{
	if (!s) {
		/* An impossible length marks NULL. */
		digest_bytes(d, &tag, 1);
		add_u64(d, UINT64_MAX);
		return;
	}
	digest_field(d, tag, s, strlen(s));
}

void
digest_u64(struct digest *d, char tag, uint64_t v)
{
	digest_bytes(d, &tag, 1);
	add_u64(d, v);
}

void
digest_hex(const struct digest *d, char hex[DIGEST_HEX_SIZE])
{
	snprintf(hex, DIGEST_HEX_SIZE, "%016llx%016llx",
		 (unsigned long long)d->hi, (unsigned long long)d->lo);
}
