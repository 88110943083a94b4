/* test_keycodec.c — unit tests of keycodec.c: memcmp order of number encodings equals numeric
 * order over a fixed, hand-picked list spanning signs and magnitudes (every pair is checked),
 * decoding round-trips and refuses malformed bytes, the exact byte layout of a few values, and
 * the hash against FNV-1a's published vectors plus the murmur3 finaliser. */
#include <stdlib.h>

#include "keycodec.h"
#include "test.h"

static struct num num_of(const char *s)
{
    struct num n;
    struct err err = ERR_INIT;
    if (num_parse(s, strlen(s), &n, &err) != 0) {
        fprintf(stderr, "  test setup: %s did not parse: %s\n", s, err.message);
        abort();
    }
    return n;
}

/* SQLite's BLOB order: memcmp over the common prefix, then the shorter one first. */
static int blob_compare(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
    size_t n = alen < blen ? alen : blen;
    int c = memcmp(a, b, n);
    if (c != 0)
        return c < 0 ? -1 : 1;
    return (alen > blen) - (alen < blen);
}

/* Chosen for the cases that break naive layouts: both signs of each magnitude, neighbours that
 * differ only in a last digit or in length (0.1 / 0.15 / 0.105, 1 / 1.0001), odd and even digit
 * counts, the exponent extremes, and 38-digit values next to their shorter prefixes. */
static const char *const order_list[] = {
    "-9.9999999999999999999999999999999999999e125", "-1e125", "-1.5e100", "-1e100",
    "-12345678901234567890123456789012345678", "-12345678901234567890123456789012345670",
    "-1234567890123456789012345678901234567", "-1000", "-999.999", "-100", "-99", "-10.5",
    "-10", "-9.99", "-2", "-1.0001", "-1", "-0.99999999999999999999999999999999999999",
    "-0.15", "-0.105", "-0.1", "-0.0999", "-0.01", "-1e-100", "-1.5e-130", "-1.1e-130",
    "-1e-130",
    "0",
    "1e-130", "1.1e-130", "1.5e-130", "1e-129", "1e-100", "0.01", "0.0999", "0.1", "0.105",
    "0.15", "0.99999999999999999999999999999999999999", "1", "1.0001", "1.01", "1.1", "2",
    "9.99", "10", "10.5", "11", "99", "100", "101", "999.999", "1000",
    "1234567890123456789012345678901234567", "12345678901234567890123456789012345670",
    "12345678901234567890123456789012345678", "12345678901234567890123456789012345679",
    "1e100", "1.5e100", "1e125", "9.9999999999999999999999999999999999999e125",
};
#define ORDER_COUNT (sizeof order_list / sizeof order_list[0])

TEST(keycodec_order_matches_numeric_order)
{
    static uint8_t enc[ORDER_COUNT][KEYCODEC_NUM_MAX];
    static size_t len[ORDER_COUNT];
    static struct num nums[ORDER_COUNT];

    for (size_t i = 0; i < ORDER_COUNT; i++) {
        nums[i] = num_of(order_list[i]);
        len[i] = keycodec_encode_num(&nums[i], enc[i]);
        ASSERT(len[i] >= 1 && len[i] <= KEYCODEC_NUM_MAX);
    }
    /* the list is written in ascending order; check that first so the list itself is right */
    for (size_t i = 1; i < ORDER_COUNT; i++)
        if (num_compare(&nums[i - 1], &nums[i]) >= 0)
            TEST_FAIL_("list not ascending at %s, %s", order_list[i - 1], order_list[i]);
    for (size_t i = 0; i < ORDER_COUNT; i++) {
        for (size_t j = 0; j < ORDER_COUNT; j++) {
            int want = num_compare(&nums[i], &nums[j]);
            int got = blob_compare(enc[i], len[i], enc[j], len[j]);
            want = (want > 0) - (want < 0);
            if (want != got)
                TEST_FAIL_("%s vs %s: numeric %d, bytes %d", order_list[i], order_list[j], want, got);
        }
    }
}

TEST(keycodec_round_trip)
{
    for (size_t i = 0; i < ORDER_COUNT; i++) {
        struct num n = num_of(order_list[i]), back;
        uint8_t enc[KEYCODEC_NUM_MAX];
        size_t len = keycodec_encode_num(&n, enc);
        memset(&back, 0xAA, sizeof back);
        if (keycodec_decode_num(enc, len, &back) != 0)
            TEST_FAIL_("%s: decode failed", order_list[i]);
        if (num_compare(&n, &back) != 0 || n.ndigits != back.ndigits || n.exp != back.exp)
            TEST_FAIL_("%s: round trip differs", order_list[i]);
        if (memcmp(n.digits, back.digits, (size_t)n.ndigits) != 0)
            TEST_FAIL_("%s: digits differ", order_list[i]);
    }
}

TEST(keycodec_equal_numbers_equal_bytes)
{
    struct num a = num_of("1.50"), b = num_of("15e-1");
    uint8_t ea[KEYCODEC_NUM_MAX], eb[KEYCODEC_NUM_MAX];
    size_t la = keycodec_encode_num(&a, ea), lb = keycodec_encode_num(&b, eb);
    ASSERT_EQ_INT(la, lb);
    ASSERT(memcmp(ea, eb, la) == 0);
    struct num z1 = num_of("-0"), z2 = num_of("0.000e5");
    ASSERT_EQ_INT(keycodec_encode_num(&z1, ea), 1);
    ASSERT_EQ_INT(keycodec_encode_num(&z2, eb), 1);
    ASSERT_EQ_INT(ea[0], eb[0]);
}

/* The documented layout, byte for byte (keycodec.c's header comment). */
TEST(keycodec_layout)
{
    uint8_t e[KEYCODEC_NUM_MAX];
    struct num n = num_of("1");
    ASSERT_EQ_INT(keycodec_encode_num(&n, e), 4);
    ASSERT_EQ_INT(e[0], 0x03);  /* positive */
    ASSERT_EQ_INT(e[1], 130);   /* exp 1 + 129 */
    ASSERT_EQ_INT(e[2], 11);    /* pair "10" + 1 */
    ASSERT_EQ_INT(e[3], 0x00);  /* terminator */
    n = num_of("-1");
    ASSERT_EQ_INT(keycodec_encode_num(&n, e), 4);
    ASSERT_EQ_INT(e[0], 0x01);
    ASSERT_EQ_INT(e[1], 255 - 130);
    ASSERT_EQ_INT(e[2], 255 - 11);
    ASSERT_EQ_INT(e[3], 0xff);
    n = num_of("0");
    ASSERT_EQ_INT(keycodec_encode_num(&n, e), 1);
    ASSERT_EQ_INT(e[0], 0x02);
    n = num_of("1e-130");  /* smallest exponent -> byte 0 */
    keycodec_encode_num(&n, e);
    ASSERT_EQ_INT(e[1], 0);
    n = num_of("9e125");   /* largest exponent -> byte 255 */
    keycodec_encode_num(&n, e);
    ASSERT_EQ_INT(e[1], 255);
    n = num_of("99");      /* pair 99 -> 100, the largest pair byte */
    keycodec_encode_num(&n, e);
    ASSERT_EQ_INT(e[2], 100);
}

TEST(keycodec_longest_encoding)
{
    uint8_t e[KEYCODEC_NUM_MAX];
    struct num n = num_of("-9.9999999999999999999999999999999999999e125");
    ASSERT_EQ_INT(keycodec_encode_num(&n, e), 2 + 19 + 1);
}

TEST(keycodec_decode_rejects_malformed)
{
    struct num n;
    static const struct {
        const char *why;
        uint8_t bytes[KEYCODEC_NUM_MAX + 4];
        size_t len;
    } bad[] = {
        {"empty", {0}, 0},
        {"unknown class", {0x04, 130, 11, 0}, 4},
        {"zero with extra bytes", {0x02, 0}, 2},
        {"no pairs", {0x03, 130, 0}, 3},
        {"no terminator", {0x03, 130, 11, 12}, 4},
        {"pair byte 0 inside", {0x03, 130, 0, 11, 0}, 5},
        {"pair byte above 100", {0x03, 130, 101, 0}, 4},
        {"leading zero digit", {0x03, 130, 2, 0}, 4},          /* pair "01" */
        {"trailing zero pair", {0x03, 130, 11, 1, 0}, 5},      /* pairs "10" "00" */
        {"negative without complement", {0x01, 130, 11, 0}, 4},
        {"too long", {0x03, 130, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12,
                      12, 12, 12, 12, 0}, 23},
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
        if (keycodec_decode_num(bad[k].bytes, bad[k].len, &n) != -1)
            TEST_FAIL_("accepted: %s", bad[k].why);
}

TEST(keycodec_hash_vectors)
{
    /* FNV-1a 32: "" -> 0x811c9dc5, "a" -> 0xe40c292c, "foobar" -> 0xbf9cf968 (published
     * vectors); then fmix32 of each. */
    ASSERT_EQ_INT(keycodec_hash((const uint8_t *)"", 0), 0xab3e7c0bu);
    ASSERT_EQ_INT(keycodec_hash((const uint8_t *)"a", 1), 0x1a80b1b3u);
    ASSERT_EQ_INT(keycodec_hash((const uint8_t *)"foobar", 6), 0x0c0da6dcu);
    uint8_t one[] = {0x03, 0x82, 0x0b, 0x00};  /* the encoding of N 1 */
    ASSERT_EQ_INT(keycodec_hash(one, sizeof one), 0x8b936e0du);
}
