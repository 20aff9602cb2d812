#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/netguard.h"

/* The range an address falls in, "public" when none. */
static const char *
range_of(const char *text)
{
	struct netguard_addr a;
	const struct netguard_range *r;

	if (netguard_parse_addr(text, strlen(text), &a) != 0)
		return "unparsed";
	r = netguard_classify(&a);
	return r ? r->cidr : "public";
}

static const struct {
	const char *addr;
	const char *range;
} classified[] = {
	/* every IPv4 range, with the addresses on both sides of it */
	{ "0.0.0.0", "0.0.0.0/8" },
	{ "0.255.255.255", "0.0.0.0/8" },
	{ "1.0.0.0", "public" },
	{ "9.255.255.255", "public" },
	{ "10.0.0.0", "10.0.0.0/8" },
	{ "10.0.0.5", "10.0.0.0/8" },
	{ "10.255.255.255", "10.0.0.0/8" },
	{ "11.0.0.0", "public" },
	{ "100.63.255.255", "public" },
	{ "100.64.0.0", "100.64.0.0/10" },
	{ "100.127.255.255", "100.64.0.0/10" },
	{ "100.128.0.0", "public" },
	{ "126.255.255.255", "public" },
	{ "127.0.0.0", "127.0.0.0/8" },
	{ "127.0.0.1", "127.0.0.0/8" },
	{ "127.0.0.2", "127.0.0.0/8" },
	{ "127.255.255.255", "127.0.0.0/8" },
	{ "128.0.0.0", "public" },
	{ "169.253.255.255", "public" },
	{ "169.254.0.0", "169.254.0.0/16" },
	{ "169.254.169.254", "169.254.0.0/16" },
	{ "169.254.255.255", "169.254.0.0/16" },
	{ "169.255.0.0", "public" },
	{ "172.15.255.255", "public" },
	{ "172.16.0.0", "172.16.0.0/12" },
	{ "172.31.255.255", "172.16.0.0/12" },
	{ "172.32.0.0", "public" },
	{ "191.255.255.255", "public" },
	{ "192.0.0.0", "192.0.0.0/24" },
	{ "192.0.0.255", "192.0.0.0/24" },
	{ "192.0.1.0", "public" },
	{ "192.0.1.255", "public" },
	{ "192.0.2.0", "192.0.2.0/24" },
	{ "192.0.2.255", "192.0.2.0/24" },
	{ "192.0.3.0", "public" },
	{ "192.167.255.255", "public" },
	{ "192.168.0.0", "192.168.0.0/16" },
	{ "192.168.1.1", "192.168.0.0/16" },
	{ "192.168.255.255", "192.168.0.0/16" },
	{ "192.169.0.0", "public" },
	{ "198.17.255.255", "public" },
	{ "198.18.0.0", "198.18.0.0/15" },
	{ "198.19.255.255", "198.18.0.0/15" },
	{ "198.20.0.0", "public" },
	{ "198.51.99.255", "public" },
	{ "198.51.100.0", "198.51.100.0/24" },
	{ "198.51.100.255", "198.51.100.0/24" },
	{ "198.51.101.0", "public" },
	{ "203.0.112.255", "public" },
	{ "203.0.113.0", "203.0.113.0/24" },
	{ "203.0.113.255", "203.0.113.0/24" },
	{ "203.0.114.0", "public" },
	{ "223.255.255.255", "public" },
	{ "224.0.0.0", "224.0.0.0/4" },
	{ "239.255.255.255", "224.0.0.0/4" },
	{ "240.0.0.0", "240.0.0.0/4" },
	{ "255.255.255.255", "240.0.0.0/4" },
	{ "8.8.8.8", "public" },
	{ "93.184.216.34", "public" },
	/* IPv6 */
	{ "::", "::/128" },
	{ "::1", "::1/128" },
	{ "0:0:0:0:0:0:0:1", "::1/128" },
	{ "::2", "::/96" },
	{ "::7f00:1", "::/96" },
	{ "::ffff:127.0.0.1", "127.0.0.0/8" },
	{ "::ffff:7f00:1", "127.0.0.0/8" },
	{ "::ffff:10.0.0.5", "10.0.0.0/8" },
	{ "::ffff:169.254.169.254", "169.254.0.0/16" },
	{ "::ffff:0.0.0.0", "0.0.0.0/8" },
	{ "::ffff:8.8.8.8", "public" },
	{ "64:ff9b::127.0.0.1", "127.0.0.0/8" },
	{ "64:ff9b::a00:5", "10.0.0.0/8" },
	{ "64:ff9b::8.8.8.8", "public" },
	{ "64:ff9b:1::1", "64:ff9b:1::/48" },
	{ "2002:7f00:1::", "127.0.0.0/8" },
	{ "2002:c0a8:101::1", "192.168.0.0/16" },
	{ "2002:808:808::1", "public" },
	{ "100::1", "100::/64" },
	{ "2001:db8::1", "2001:db8::/32" },
	{ "fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "public" },
	{ "fc00::", "fc00::/7" },
	{ "fd12:3456::1", "fc00::/7" },
	{ "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "fc00::/7" },
	{ "fe00::", "public" },
	{ "fe80::", "fe80::/10" },
	{ "fe80::1", "fe80::/10" },
	{ "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "fe80::/10" },
	{ "fec0::1", "fec0::/10" },
	{ "ff00::", "ff00::/8" },
	{ "ff02::1", "ff00::/8" },
	{ "2606:4700:4700::1111", "public" },
	{ "2a00:1450:4007:80e::200e", "public" },
};

static void
test_netguard_classifies_ranges_and_boundaries(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(classified) / sizeof(*classified); i++) {
		const char *got = range_of(classified[i].addr);

		if (strcmp(got, classified[i].range) != 0)
			fail_msg("%s: got %s, want %s", classified[i].addr,
				 got, classified[i].range);
	}
}

static void
test_netguard_range_table_matches_its_text(void **state)
{
	struct netguard_cidr c;
	size_t i;

	(void)state;
	for (i = 0; i < netguard_nranges; i++) {
		const struct netguard_range *r = &netguard_ranges[i];

		assert_int_equal(netguard_parse_cidr(r->cidr, strlen(r->cidr),
						     &c),
				 0);
		if (c.prefix != r->net.prefix ||
		    memcmp(c.addr.bytes, r->net.addr.bytes, 16) != 0)
			fail_msg("%s: table bytes differ from its text",
				 r->cidr);
	}
	assert_int_equal(netguard_nranges, 24);
}

static void
test_netguard_names_the_range(void **state)
{
	struct netguard_addr a;

	(void)state;
	assert_int_equal(netguard_parse_addr("169.254.169.254", 15, &a), 0);
	assert_string_equal(netguard_classify(&a)->name, "link-local");
	assert_int_equal(netguard_parse_addr("fd00::1", 7, &a), 0);
	assert_string_equal(netguard_classify(&a)->name, "unique local");
}

static void
test_netguard_parses_only_strict_addresses(void **state)
{
	static const char *const refused[] = {
		"", "abc", "10.0.0", "10.5", "2130706433", "0x7f.0.0.1",
		"0177.0.0.1", "127.0.0.01", "256.0.0.1", "1.2.3.4.5",
		"1.2.3.4 ", " 1.2.3.4", "fe80::1%lo", ":::1", "1::2::3",
		"[::1]", "12345::", "::ffff:1.2.3",
	};
	struct netguard_addr a;
	char text[NETGUARD_TEXT_SIZE];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(refused) / sizeof(*refused); i++)
		if (netguard_parse_addr(refused[i], strlen(refused[i]), &a) ==
		    0)
			fail_msg("'%s' parsed as an address", refused[i]);
	/* not NUL-terminated: only len bytes count */
	assert_int_equal(netguard_parse_addr("10.1.2.3xyz", 8, &a), 0);
	netguard_format(&a, text);
	assert_string_equal(text, "10.1.2.3");
	assert_true(a.is_ipv4);
	assert_int_equal(netguard_parse_addr("::ffff:127.0.0.1", 16, &a), 0);
	netguard_format(&a, text);
	assert_string_equal(text, "::ffff:127.0.0.1");
	assert_false(a.is_ipv4);
	assert_int_equal(netguard_parse_addr("2001:DB8:0:0::1", 15, &a), 0);
	netguard_format(&a, text);
	assert_string_equal(text, "2001:db8::1");
}

static void
test_netguard_parses_cidrs(void **state)
{
	static const struct {
		const char *text;
		unsigned int prefix;
		const char *addr;
	} valid[] = {
		{ "10.0.0.0/8", 104, "10.0.0.0" },
		{ "10.1.2.0/24", 120, "10.1.2.0" },
		{ "10.1.2.3/24", 120, "10.1.2.0" },
		{ "127.0.0.1/32", 128, "127.0.0.1" },
		{ "127.0.0.1", 128, "127.0.0.1" },
		{ "0.0.0.0/0", 96, "0.0.0.0" },
		{ "172.16.0.0/12", 108, "172.16.0.0" },
		{ "100.64.0.0/10", 106, "100.64.0.0" },
		{ "fd00::/8", 8, "fd00::" },
		{ "fe80::1/10", 10, "fe80::" },
		{ "::1/128", 128, "::1" },
		{ "::1", 128, "::1" },
		{ "::/0", 0, "::" },
		{ "2001:db8::/32", 32, "2001:db8::" },
	};
	static const char *const invalid[] = {
		"10.0.0.0/33", "abc", "10.0.0/8", "10.0.0.0/", "/8",
		"10.0.0.0/+8", "10.0.0.0/-1", "10.0.0.0/8/8", "10.0.0.0/8 ",
		"10.0.0.0/1000", "10.0.0.0/x", "::/129", "fd00::/", "",
		"10.0.0.0 /8", "localhost", "fe80::1%eth0/64",
	};
	struct netguard_cidr c;
	char text[NETGUARD_TEXT_SIZE];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(valid) / sizeof(*valid); i++) {
		if (netguard_parse_cidr(valid[i].text, strlen(valid[i].text),
					&c) != 0)
			fail_msg("'%s' refused", valid[i].text);
		netguard_format(&c.addr, text);
		assert_string_equal(text, valid[i].addr);
		assert_int_equal(c.prefix, valid[i].prefix);
	}
	for (i = 0; i < sizeof(invalid) / sizeof(*invalid); i++)
		if (netguard_parse_cidr(invalid[i], strlen(invalid[i]), &c) ==
		    0)
			fail_msg("'%s' accepted", invalid[i]);
}

static bool
permits(const struct netguard *g, const char *text)
{
	struct netguard_addr a;

	assert_int_equal(netguard_parse_addr(text, strlen(text), &a), 0);
	return netguard_permits(g, &a, NULL);
}

static void
test_netguard_allow_list_opens_only_its_ranges(void **state)
{
	static const char *const allow[] = {
		"10.1.2.0/24", "127.0.0.3/32", "fd00:1::/32",
	};
	struct netguard g;
	struct netguard_addr a;
	const struct netguard_range *range = NULL;

	(void)state;
	assert_int_equal(netguard_init(&g, allow, 3, NULL), 0);
	assert_true(permits(&g, "10.1.2.0"));
	assert_true(permits(&g, "10.1.2.255"));
	assert_false(permits(&g, "10.1.3.0"));
	assert_false(permits(&g, "10.1.1.255"));
	assert_true(permits(&g, "127.0.0.3"));
	assert_false(permits(&g, "127.0.0.2"));
	assert_false(permits(&g, "127.0.0.4"));
	/* an IPv4 range also opens the mapped and NAT64 forms */
	assert_true(permits(&g, "::ffff:127.0.0.3"));
	assert_true(permits(&g, "64:ff9b::127.0.0.3"));
	assert_false(permits(&g, "::ffff:127.0.0.2"));
	assert_true(permits(&g, "fd00:1::5"));
	assert_false(permits(&g, "fd00:2::5"));
	assert_false(permits(&g, "::1"));
	/* public addresses need no allow list */
	assert_true(permits(&g, "8.8.8.8"));
	assert_true(permits(&g, "2606:4700:4700::1111"));
	/* the refusing range is handed back */
	assert_int_equal(netguard_parse_addr("192.168.1.1", 11, &a), 0);
	assert_false(netguard_permits(&g, &a, &range));
	assert_non_null(range);
	assert_string_equal(range->cidr, "192.168.0.0/16");
	netguard_release(&g);
}

static void
test_netguard_no_allow_list_refuses_all_private(void **state)
{
	struct netguard g;
	size_t i, refused = 0;

	(void)state;
	assert_int_equal(netguard_init(&g, NULL, 0, NULL), 0);
	for (i = 0; i < sizeof(classified) / sizeof(*classified); i++) {
		bool is_public = strcmp(classified[i].range, "public") == 0;

		assert_int_equal(permits(&g, classified[i].addr), is_public);
		refused += !is_public;
	}
	assert_int_equal(refused, 59);
	netguard_release(&g);
}

static void
test_netguard_init_names_the_bad_entry(void **state)
{
	static const char *const allow[] = { "10.0.0.0/8", "10.0.0.0/33" };
	struct netguard g;
	size_t bad = 99;

	(void)state;
	assert_int_equal(netguard_init(&g, allow, 2, &bad), -1);
	assert_int_equal(bad, 1);
	netguard_release(&g);
}

static void
test_netguard_reads_socket_addresses(void **state)
{
	struct sockaddr_in in4 = { 0 };
	struct sockaddr_in6 in6 = { 0 };
	struct sockaddr unix_sa = { 0 };
	struct netguard_addr a;
	char text[NETGUARD_TEXT_SIZE];

	(void)state;
	in4.sin_family = AF_INET;
	inet_pton(AF_INET, "10.0.0.5", &in4.sin_addr);
	assert_int_equal(netguard_addr_from_sockaddr(
				 (struct sockaddr *)&in4, sizeof(in4), &a),
			 0);
	netguard_format(&a, text);
	assert_string_equal(text, "10.0.0.5");
	assert_string_equal(netguard_classify(&a)->cidr, "10.0.0.0/8");
	in6.sin6_family = AF_INET6;
	inet_pton(AF_INET6, "::ffff:127.0.0.1", &in6.sin6_addr);
	assert_int_equal(netguard_addr_from_sockaddr(
				 (struct sockaddr *)&in6, sizeof(in6), &a),
			 0);
	netguard_format(&a, text);
	assert_string_equal(text, "::ffff:127.0.0.1");
	assert_string_equal(netguard_classify(&a)->cidr, "127.0.0.0/8");
	assert_int_equal(netguard_addr_from_sockaddr(
				 (struct sockaddr *)&in6, sizeof(in4), &a),
			 -1);
	unix_sa.sa_family = AF_UNIX;
	assert_int_equal(netguard_addr_from_sockaddr(&unix_sa,
						     sizeof(unix_sa), &a),
			 -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			test_netguard_classifies_ranges_and_boundaries),
		cmocka_unit_test(test_netguard_range_table_matches_its_text),
		cmocka_unit_test(test_netguard_names_the_range),
		cmocka_unit_test(test_netguard_parses_only_strict_addresses),
		cmocka_unit_test(test_netguard_parses_cidrs),
		cmocka_unit_test(
			test_netguard_allow_list_opens_only_its_ranges),
		cmocka_unit_test(
			test_netguard_no_allow_list_refuses_all_private),
		cmocka_unit_test(test_netguard_init_names_the_bad_entry),
		cmocka_unit_test(test_netguard_reads_socket_addresses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
