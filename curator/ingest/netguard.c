#include "ingest/netguard.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"

#define V4(a, b, c, d, p)                                                   \
	{                                                                   \
		{ { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, a, b, c, d }, \
		  true },                                                   \
			96 + (p)                                            \
	}
#define V6(p, ...)                       \
	{                                \
		{ { __VA_ARGS__ }, false }, p \
	}

/*
 * IANA's IPv4 and IPv6 special-purpose address registries (RFC 6890 and
 * its updates), keeping what is not globally reachable, plus multicast.
 * NOTE: ::/128 and ::1/128 come before ::/96 so that they are named.
 */
const struct netguard_range netguard_ranges[] = {
	{ "0.0.0.0/8", "this network", V4(0, 0, 0, 0, 8) },
	{ "10.0.0.0/8", "private network", V4(10, 0, 0, 0, 8) },
	{ "100.64.0.0/10", "shared address space",
	  V4(100, 64, 0, 0, 10) },
	{ "127.0.0.0/8", "loopback", V4(127, 0, 0, 0, 8) },
	{ "169.254.0.0/16", "link-local", V4(169, 254, 0, 0, 16) },
	{ "172.16.0.0/12", "private network", V4(172, 16, 0, 0, 12) },
	{ "192.0.0.0/24", "IETF protocol assignments", V4(192, 0, 0, 0, 24) },
	{ "192.0.2.0/24", "documentation", V4(192, 0, 2, 0, 24) },
	{ "192.168.0.0/16", "private network", V4(192, 168, 0, 0, 16) },
	{ "198.18.0.0/15", "benchmarking", V4(198, 18, 0, 0, 15) },
	{ "198.51.100.0/24", "documentation", V4(198, 51, 100, 0, 24) },
	{ "203.0.113.0/24", "documentation", V4(203, 0, 113, 0, 24) },
	{ "224.0.0.0/4", "multicast", V4(224, 0, 0, 0, 4) },
	{ "240.0.0.0/4", "reserved", V4(240, 0, 0, 0, 4) },
	{ "::/128", "unspecified", V6(128, 0) },
	{ "::1/128", "loopback", V6(128, [15] = 1) },
	{ "::/96", "IPv4-compatible", V6(96, 0) },
	{ "64:ff9b:1::/48", "local-use NAT64",
	  V6(48, 0, 0x64, 0xff, 0x9b, 0, 1) },
	{ "100::/64", "discard-only", V6(64, 1, 0) },
	{ "2001:db8::/32", "documentation", V6(32, 0x20, 0x01, 0x0d, 0xb8) },
	{ "fc00::/7", "unique local", V6(7, 0xfc) },
	{ "fe80::/10", "link-local", V6(10, 0xfe, 0x80) },
	{ "fec0::/10", "site-local", V6(10, 0xfe, 0xc0) },
	{ "ff00::/8", "multicast", V6(8, 0xff) },
};
const size_t netguard_nranges =
	sizeof(netguard_ranges) / sizeof(*netguard_ranges);

static const unsigned char mapped_prefix[12] = { 0, 0, 0, 0, 0, 0,
						 0, 0, 0, 0, 0xff, 0xff };
/* RFC 6052 §2.1 well-known prefix */
static const unsigned char nat64_prefix[12] = { 0, 0x64, 0xff, 0x9b };

static void
set_ipv4(struct netguard_addr *a, const unsigned char v4[4])
{
	memcpy(a->bytes, mapped_prefix, sizeof(mapped_prefix));
	memcpy(a->bytes + 12, v4, 4);
	a->is_ipv4 = true;
}

/* The IPv4 address that a NAT64 or 6to4 address stands for. */
static bool
unwrap(const struct netguard_addr *a, struct netguard_addr *out)
{
	if (memcmp(a->bytes, nat64_prefix, sizeof(nat64_prefix)) == 0) {
		set_ipv4(out, a->bytes + 12);
		return true;
	}
	/* RFC 3056 §2: 2002:V4ADDR::/48 */
	if (a->bytes[0] == 0x20 && a->bytes[1] == 0x02) {
		set_ipv4(out, a->bytes + 2);
		return true;
	}
	return false;
}

static void
clear_host_bits(unsigned char bytes[16], unsigned int prefix)
{
	unsigned int i;

	for (i = 0; i < 16; i++) {
		if (prefix >= 8 * (i + 1))
			continue;
		if (prefix <= 8 * i)
			bytes[i] = 0;
		else
			bytes[i] &= (unsigned char)(0xff
						    << (8 * (i + 1) - prefix));
	}
}

int
netguard_parse_addr(const char *s, size_t len, struct netguard_addr *out)
{
	char text[INET6_ADDRSTRLEN];
	unsigned char bytes[16];

	if (len == 0 || len >= sizeof(text) || memchr(s, '\0', len))
		return -1;
	memcpy(text, s, len);
	text[len] = '\0';
	if (memchr(text, ':', len)) {
		if (inet_pton(AF_INET6, text, bytes) != 1)
			return -1;
		memcpy(out->bytes, bytes, 16);
		out->is_ipv4 = false;
		return 0;
	}
	/* NOTE: inet_pton, unlike inet_aton, takes only four decimal parts
	 * without leading zeros, so "10.5" and "0x7f.1" are not addresses
	 * here: a CIDR means what it looks like. */
	if (inet_pton(AF_INET, text, bytes) != 1)
		return -1;
	set_ipv4(out, bytes);
	return 0;
}

int
netguard_parse_cidr(const char *s, size_t len, struct netguard_cidr *out)
{
	const char *slash = memchr(s, '/', len);
	struct netguard_addr a;
	unsigned int prefix = 0, max;
	size_t i, addr_len = slash ? (size_t)(slash - s) : len;
	size_t ndigits = slash ? len - addr_len - 1 : 0;

	if (netguard_parse_addr(s, addr_len, &a) != 0)
		return -1;
	max = a.is_ipv4 ? 32 : 128;
	if (!slash) {
		prefix = max;
	} else {
		if (ndigits == 0 || ndigits > 3)
			return -1;
		for (i = 0; i < ndigits; i++) {
			if (slash[1 + i] < '0' || slash[1 + i] > '9')
				return -1;
			prefix = prefix * 10 +
				 (unsigned int)(slash[1 + i] - '0');
		}
		if (prefix > max)
			return -1;
	}
	if (a.is_ipv4)
		prefix += 96;
	clear_host_bits(a.bytes, prefix);
	out->addr = a;
	out->prefix = prefix;
	return 0;
}

int
netguard_addr_from_sockaddr(const struct sockaddr *sa, size_t len,
			    struct netguard_addr *out)
{
	struct sockaddr_in in4;
	struct sockaddr_in6 in6;

	if (sa->sa_family == AF_INET && len >= sizeof(in4)) {
		memcpy(&in4, sa, sizeof(in4));
		set_ipv4(out, (const unsigned char *)&in4.sin_addr);
		return 0;
	}
	if (sa->sa_family == AF_INET6 && len >= sizeof(in6)) {
		memcpy(&in6, sa, sizeof(in6));
		memcpy(out->bytes, &in6.sin6_addr, 16);
		out->is_ipv4 = false;
		return 0;
	}
	return -1;
}

void
netguard_format(const struct netguard_addr *a, char out[NETGUARD_TEXT_SIZE])
{
	if (a->is_ipv4)
		inet_ntop(AF_INET, a->bytes + 12, out, NETGUARD_TEXT_SIZE);
	else
		inet_ntop(AF_INET6, a->bytes, out, NETGUARD_TEXT_SIZE);
}

bool
netguard_cidr_contains(const struct netguard_cidr *c,
		       const struct netguard_addr *a)
{
	unsigned char masked[16];

	memcpy(masked, a->bytes, 16);
	clear_host_bits(masked, c->prefix);
	return memcmp(masked, c->addr.bytes, 16) == 0;
}

const struct netguard_range *
netguard_classify(const struct netguard_addr *a)
{
	struct netguard_addr inner;
	size_t i;

	if (unwrap(a, &inner))
		a = &inner;
	for (i = 0; i < netguard_nranges; i++)
		if (netguard_cidr_contains(&netguard_ranges[i].net, a))
			return &netguard_ranges[i];
	return NULL;
}

int
netguard_init(struct netguard *g, const char *const *cidrs, size_t n,
	      size_t *bad)
{
	size_t i;

	g->allow = n ? xcalloc(n, sizeof(*g->allow)) : NULL;
	g->nallow = 0;
	for (i = 0; i < n; i++) {
		if (netguard_parse_cidr(cidrs[i], strlen(cidrs[i]),
					&g->allow[i]) != 0) {
			if (bad)
				*bad = i;
			return -1;
		}
		g->nallow++;
	}
	return 0;
}

void
netguard_release(struct netguard *g)
{
	free(g->allow);
	g->allow = NULL;
	g->nallow = 0;
}

bool
netguard_permits(const struct netguard *g, const struct netguard_addr *a,
		 const struct netguard_range **range)
{
	const struct netguard_range *r = netguard_classify(a);
	struct netguard_addr inner;
	bool has_inner = unwrap(a, &inner);
	size_t i;

	if (!r)
		return true;
	for (i = 0; i < g->nallow; i++)
		if (netguard_cidr_contains(&g->allow[i], a) ||
		    (has_inner && netguard_cidr_contains(&g->allow[i], &inner)))
			return true;
	if (range)
		*range = r;
	return false;
}
