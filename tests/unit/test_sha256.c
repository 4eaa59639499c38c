/*
 * SHA-256 of the inputs' digest: the published test vectors, and the
 * accelerated compression agreeing with the portable one.
 */
#include "unit.h"

#include <stdlib.h>
#include <string.h>

#include "../../src/base/sha256.h"

static void
hex_of(const void *data, size_t len, char out[65])
{
	struct sha256 s;
	sha256_init(&s);
	sha256_add(&s, data, len);
	sha256_hex(&s, out);
}

static void
test_known_vectors(void **state)
{
	(void)state;
	char out[65];
	hex_of("", 0, out);
	assert_string_equal(out, "e3b0c44298fc1c149afbf4c8996fb924"
	                         "27ae41e4649b934ca495991b7852b855");
	hex_of("abc", 3, out);
	assert_string_equal(out, "ba7816bf8f01cfea414140de5dae2223"
	                         "b00361a396177a9cb410ff61f20015ad");
	const char *two =
	    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	hex_of(two, strlen(two), out);
	assert_string_equal(out, "248d6a61d20638b8e5c026930c3e6039"
	                         "a33ce45964ff2167f6ecedd419db06c1");
	size_t n = 1000000;
	char *a = malloc(n);
	assert_non_null(a);
	memset(a, 'a', n);
	hex_of(a, n, out);
	free(a);
	assert_string_equal(out, "cdc76e5c9914fb9281a1c7e284d73e67"
	                         "f1809a48a497200e046d39ccc7112cd0");
}

static void
test_pieces_and_paths_agree(void **state)
{
	(void)state;
	unsigned char data[3000];
	uint32_t x = 12345;
	for (size_t i = 0; i < sizeof data; i++) {
		x = x * 1103515245u + 12345u;
		data[i] = (unsigned char)(x >> 16);
	}
	for (size_t len = 0; len < sizeof data; len += 37) {
		char whole[65], pieces[65], portable[65];
		hex_of(data, len, whole);
		struct sha256 s;
		sha256_init(&s);
		for (size_t i = 0; i < len; i += 13)
			sha256_add(&s, data + i, len - i < 13 ? len - i : 13);
		sha256_hex(&s, pieces);
		sha256_init(&s);
		sha256_add_portable(&s, data, len);
		sha256_hex(&s, portable);
		assert_string_equal(whole, pieces);
		assert_string_equal(whole, portable);
	}
}

int
run_sha256_tests(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_known_vectors),
	    cmocka_unit_test(test_pieces_and_paths_agree),
	};
	return cmocka_run_group_tests_name("sha256", tests, NULL, NULL);
}
