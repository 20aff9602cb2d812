/*
 * netguard: which addresses curator may connect to (private to ingest/).
 *
 * Every HTTP connection is checked here on the address actually connected
 * to (http.c calls it from curl's open-socket callback), so that a name
 * resolving to 127.0.0.1, DNS rebinding, a redirect to an internal host and
 * odd spellings of an address (2130706433, 0x7f.1, [::ffff:127.0.0.1]) are
 * all caught. An address is refused when it falls in one of the non-public
 * ranges of netguard_ranges[] and in no range of the allow list.
 *
 * Addresses are held as 16 bytes: IPv6 as is, IPv4 as the IPv4-mapped
 * IPv6 address ::ffff:a.b.c.d, so one table of prefixes covers both
 * families and an IPv4 CIDR matches the mapped form of its addresses.
 * Before classification, the IPv4 address embedded in a NAT64 address
 * (64:ff9b::/96, RFC 6052) or a 6to4 address (2002::/16, RFC 3056) is taken
 * out and judged by the IPv4 rules.
 */
#ifndef CURATOR_INGEST_NETGUARD_H
#define CURATOR_INGEST_NETGUARD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

/* Longest text of an address plus "/128" and a NUL. */
#define NETGUARD_TEXT_SIZE 52

struct netguard_addr {
	unsigned char bytes[16]; /* IPv6, or IPv4 as ::ffff:a.b.c.d */
	bool is_ipv4;            /* written as (or connected over) IPv4 */
};

struct netguard_cidr {
	struct netguard_addr addr; /* host bits cleared */
	unsigned int prefix;       /* 0..128, counted in the 16-byte form */
};

/* One non-public range, for the messages: "127.0.0.0/8", "loopback". */
struct netguard_range {
	const char *cidr;
	const char *name;
	struct netguard_cidr net;
};

/* The non-public ranges, most specific first; a test checks that each
 * cidr text parses to its net. */
extern const struct netguard_range netguard_ranges[];
extern const size_t netguard_nranges;

/*
 * Parses an address written the strict way: dotted-quad IPv4 with decimal
 * parts ("10.0.0.5", not "10.5" or "012.0.0.5") or any RFC 4291 IPv6 text
 * form without a zone ("::1", "::ffff:127.0.0.1"). s need not be
 * NUL-terminated. Returns 0 and sets *out, or -1 (*out untouched).
 */
int netguard_parse_addr(const char *s, size_t len, struct netguard_addr *out);

/*
 * Parses "ADDR/PREFIX" (PREFIX decimal, at most 32 for IPv4 and 128 for
 * IPv6) or a bare ADDR (a single host). Host bits beyond the prefix are
 * cleared. Returns 0 and sets *out, or -1 for anything else ("abc",
 * "10.0.0.0/33", "10.0.0/8", "10.0.0.0/", "10.0.0.0/+8").
 */
int netguard_parse_cidr(const char *s, size_t len, struct netguard_cidr *out);

/* Converts an AF_INET or AF_INET6 socket address (len bytes). Returns 0,
 * or -1 for any other family or a short length. */
int netguard_addr_from_sockaddr(const struct sockaddr *sa, size_t len,
				struct netguard_addr *out);

/* Writes the address as text ("10.0.0.5", "::1", "::ffff:127.0.0.1") into
 * out, which holds NETGUARD_TEXT_SIZE bytes. */
void netguard_format(const struct netguard_addr *a,
		     char out[NETGUARD_TEXT_SIZE]);

bool netguard_cidr_contains(const struct netguard_cidr *c,
			    const struct netguard_addr *a);

/* The non-public range that a is in (after NAT64 and 6to4 unwrapping), or
 * NULL when a is a public address. The result is static. */
const struct netguard_range *netguard_classify(const struct netguard_addr *a);

/* An allow list: the ranges of fetch.allow_private. */
struct netguard {
	struct netguard_cidr *allow;
	size_t nallow;
};

/*
 * Parses cidrs[0..n) into g (released with netguard_release, also on
 * failure). Returns 0, or -1 when cidrs[i] is not a CIDR, setting *bad = i
 * (bad may be NULL).
 */
int netguard_init(struct netguard *g, const char *const *cidrs, size_t n,
		  size_t *bad);
void netguard_release(struct netguard *g);

/*
 * Whether curator may connect to a: true when a is public or in g's allow
 * list (checked on a and on its unwrapped IPv4 form). When it may not,
 * *range (if range is not NULL) is set to the range that refused it.
 */
bool netguard_permits(const struct netguard *g, const struct netguard_addr *a,
		      const struct netguard_range **range);

#endif
