/* test_number.c — unit tests of number.c: the wire syntax DynamoDB accepts, the canonical form
 * GetItem returns, range and digit limits with their messages, comparison, exact addition and
 * subtraction, and the item-size count. Expected values were observed on DynamoDB Local 2.x
 * (PutItem/GetItem, UpdateItem "SET a = a + :v" / "ADD", and the 400 KB item limit) except
 * where a comment says otherwise. */
#include <stdlib.h>

#include "number.h"
#include "test.h"

/* ---------------------------------------------------------------- helpers --------------------- */

/* Canonical form of s, or "ERR: <message>" (the ValidationException text) if it does not parse. */
static const char *canon(const char *s)
{
    static char buf[NUM_STRING_MAX + 300];
    struct err err = ERR_INIT;
    struct num n;

    if (num_parse(s, strlen(s), &n, &err) != 0) {
        snprintf(buf, sizeof buf, "ERR%s: %s", err.code == ERR_VALIDATION ? "" : "(not validation)",
                 err.message ? err.message : "(null)");
        err_clear(&err);
        return buf;
    }
    num_format(&n, buf);
    return buf;
}

static struct num parse_ok(const char *s)
{
    struct num n;
    struct err err = ERR_INIT;
    if (num_parse(s, strlen(s), &n, &err) != 0) {
        fprintf(stderr, "  test setup: %s did not parse: %s\n", s, err.message);
        abort();
    }
    return n;
}

/* a + b (op '+') or a - b (op '-'), canonical, or "ERR: <message>". */
static const char *arith(const char *a, char op, const char *b)
{
    static char buf[NUM_STRING_MAX + 300];
    struct num x = parse_ok(a), y = parse_ok(b), r;
    struct err err = ERR_INIT;
    int rc = op == '+' ? num_add(&x, &y, &r, &err) : num_sub(&x, &y, &r, &err);

    if (rc != 0) {
        snprintf(buf, sizeof buf, "ERR: %s", err.message ? err.message : "(null)");
        err_clear(&err);
        return buf;
    }
    num_format(&r, buf);
    return buf;
}

static int cmp(const char *a, const char *b)
{
    struct num x = parse_ok(a), y = parse_ok(b);
    int c = num_compare(&x, &y);
    return (c > 0) - (c < 0);
}

static size_t size_of(const char *s)
{
    struct num n = parse_ok(s);
    return num_size(&n);
}

#define OVERFLOW "ERR: Number overflow. Attempting to store a number with magnitude larger than supported range"
#define UNDERFLOW "ERR: Number underflow. Attempting to store a number with magnitude smaller than supported range"
#define PRECISION "ERR: Attempting to store more than 38 significant digits in a Number"
#define NAN_PREFIX "ERR: The parameter cannot be converted to a numeric value: "

static const char *zeros(int n, const char *before, const char *after)
{
    static char buf[400];
    size_t len = strlen(before);
    memcpy(buf, before, len);
    memset(buf + len, '0', (size_t)n);
    strcpy(buf + len + (size_t)n, after);
    return buf;
}

/* ---------------------------------------------------------------- parsing and printing -------- */

/* GetItem returns plain notation, no exponent, no trailing zeros, no '+', "0" for any zero. */
TEST(number_canonical_forms)
{
    ASSERT_EQ_STR(canon("1e2"), "100");
    ASSERT_EQ_STR(canon("1.50"), "1.5");
    ASSERT_EQ_STR(canon("-0"), "0");
    ASSERT_EQ_STR(canon("0.000"), "0");
    ASSERT_EQ_STR(canon("-0.0"), "0");
    ASSERT_EQ_STR(canon("+0"), "0");
    ASSERT_EQ_STR(canon("00012.3400"), "12.34");
    ASSERT_EQ_STR(canon("1E+5"), "100000");
    ASSERT_EQ_STR(canon("1e-5"), "0.00001");
    ASSERT_EQ_STR(canon("-123.456"), "-123.456");
    ASSERT_EQ_STR(canon("12345678901234567890123456789012345678e-10"),
                  "1234567890123456789012345678.9012345678");
    ASSERT_EQ_STR(canon("1234567890123456789012345678901234567800000"),
                  "1234567890123456789012345678901234567800000");
    ASSERT_EQ_STR(canon("1.00000000000000000000000000000000000000000000000000"), "1");
    ASSERT_EQ_STR(canon("0000000000000000000000000000000000000000000000000000000001"), "1");
    ASSERT_EQ_STR(canon("0.00000000000000000000000000000000000000000001"),
                  "0.00000000000000000000000000000000000000000001");
}

TEST(number_canonical_extremes)
{
    /* 1E-130: "0." then 129 zeros then 1. */
    ASSERT_EQ_STR(canon("1E-130"), zeros(129, "0.", "1"));
    ASSERT_EQ_STR(canon("-1E-130"), zeros(129, "-0.", "1"));
    /* 38 nines then 88 zeros: 126 digits. */
    ASSERT_EQ_STR(canon("9.9999999999999999999999999999999999999E+125"),
                  zeros(88, "99999999999999999999999999999999999999", ""));
    ASSERT_EQ_STR(canon("1e125"), zeros(125, "1", ""));
    /* The longest output: negative, 38 digits, smallest exponent: "-0." + 129 zeros + 38. */
    ASSERT_EQ_INT(strlen(canon("-1.2345678901234567890123456789012345678e-130")), 3 + 129 + 38);
    ASSERT(3 + 129 + 38 < NUM_STRING_MAX);
}

/* DynamoDB Local accepts these spellings. */
TEST(number_syntax_accepted)
{
    ASSERT_EQ_STR(canon("1."), "1");
    ASSERT_EQ_STR(canon(".5"), "0.5");
    ASSERT_EQ_STR(canon("+1"), "1");
    ASSERT_EQ_STR(canon("+.5"), "0.5");
    ASSERT_EQ_STR(canon("-.5"), "-0.5");
    ASSERT_EQ_STR(canon("1e+0005"), "100000");
    ASSERT_EQ_STR(canon("0.e1"), "0");
    ASSERT_EQ_STR(canon("00"), "0");
    ASSERT_EQ_STR(canon("-00.00e-00"), "0");
    ASSERT_EQ_STR(canon("1e-0"), "1");
    ASSERT_EQ_STR(canon("0e99999"), "0");
    ASSERT_EQ_STR(canon("0e2147483647"), "0");
    ASSERT_EQ_STR(canon("0e-2147483647"), "0");
    /* the current layer takes any exponent that fits a 64-bit integer: zero stays zero */
    ASSERT_EQ_STR(canon("0e99999999999"), "0");
    ASSERT_EQ_STR(canon("0.0e-2147483647"), "0");
    ASSERT_EQ_STR(canon("-0e9223372036854775807"), "0");
    ASSERT_EQ_STR(canon("0e-9223372036854775808"), "0");
    ASSERT_EQ_STR(canon("1e-000000000000000000000000000000000005"), "0.00001");
}

/* ... and refuses these, echoing the input after the colon (real DynamoDB's wording; DynamoDB
 * Local says "A value provided cannot be converted into a number" for all of them). */
TEST(number_syntax_rejected)
{
    static const char *const bad[] = {
        "  1", "1  ", " ", "\t1", "1\n", ".", "e5", "e", "1e", "1e+", "abc", "1,5", "0x10",
        "Infinity", "NaN", "1_000", "--1", "+-1", "1.2.3", "-", "+", "-e1", "1e1.5", "1E+-1",
        ".e1", "1d", "1f", "1L",
        "\xd9\xa1",        /* Arabic-Indic digit one: BigDecimal (DynamoDB Local) takes it as 1 */
        /* an exponent past a signed 64-bit integer (no capture has one; a 64-bit parse refuses it) */
        "1e9223372036854775808", "0e9223372036854775808", "1e-9223372036854775809",
        "1e99999999999999999999", "1e99999999999999999999x",
    };
    char expected[200];
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        snprintf(expected, sizeof expected, NAN_PREFIX "%s", bad[k]);
        ASSERT_EQ_STR(canon(bad[k]), expected);
    }
}

TEST(number_empty_string_message)
{
    /* Real DynamoDB quotes the empty input too: NS [""] answers "... numeric value: " (capture
     * 2026-08-12-wording-drift, us-east-1; nubo-db tier3 value layer 2026-10-09, CURRENT). */
    ASSERT_EQ_STR(canon(""), "ERR: The parameter cannot be converted to a numeric value: ");
}

/* Canonical form of s parsed in the older layer (as canon does for the current one). */
static const char *canon_older(const char *s)
{
    static char buf[NUM_STRING_MAX + 300];
    struct err err = ERR_INIT;
    struct num n;

    if (num_parse_layer(s, strlen(s), NUM_LAYER_OLDER, &n, &err) != 0) {
        snprintf(buf, sizeof buf, "ERR: %s", err.message ? err.message : "(null)");
        err_clear(&err);
        return buf;
    }
    num_format(&n, buf);
    return buf;
}

/* The older layer (BatchWriteItem; TransactWriteItems/TransactGetItems outside eu-west-2; Scan)
 * reads numbers as Java's BigDecimal does: nubo-db tier3 value layer, captured 2026-10-09 in four
 * regions - OLDER for abc, '', 1e126, 1e2147483647 is "...numeric value: abc", "...numeric value"
 * (no colon), overflow, underflow ("1e2147483647 wraps to an underflow"). */
TEST(number_older_layer)
{
    ASSERT_EQ_STR(canon_older("abc"), NAN_PREFIX "abc");
    ASSERT_EQ_STR(canon_older(""), "ERR: The parameter cannot be converted to a numeric value");
    ASSERT_EQ_STR(canon_older("1e126"), OVERFLOW);
    ASSERT_EQ_STR(canon_older("1e-131"), UNDERFLOW);
    ASSERT_EQ_STR(canon_older("1e2147483647"), UNDERFLOW);
    ASSERT_EQ_STR(canon_older("10e2147483647"), UNDERFLOW);
    ASSERT_EQ_STR(canon_older("1e2147483646"), OVERFLOW);
    ASSERT_EQ_STR(canon_older("1e-2147483647"), UNDERFLOW);
    /* exponent or scale beyond a Java int: BigDecimal refuses the string */
    ASSERT_EQ_STR(canon_older("1e2147483648"), NAN_PREFIX "1e2147483648");
    ASSERT_EQ_STR(canon_older("1e99999999999"), NAN_PREFIX "1e99999999999");
    ASSERT_EQ_STR(canon_older("0e99999999999"), NAN_PREFIX "0e99999999999");
    ASSERT_EQ_STR(canon_older("1e-2147483648"), NAN_PREFIX "1e-2147483648");
    ASSERT_EQ_STR(canon_older("1.5e-2147483647"), NAN_PREFIX "1.5e-2147483647");
    ASSERT_EQ_STR(canon_older("0.0e-2147483647"), NAN_PREFIX "0.0e-2147483647");
    /* otherwise as the current layer */
    ASSERT_EQ_STR(canon_older("0e2147483647"), "0");
    ASSERT_EQ_STR(canon_older("1.50"), "1.5");
    ASSERT_EQ_STR(canon_older("1 "), NAN_PREFIX "1 ");
    ASSERT_EQ_STR(canon_older("1234567890123456789012345678901234567891"), PRECISION);
    /* num_parse is the current layer */
    ASSERT_EQ_STR(canon("1e2147483647"), OVERFLOW);
    ASSERT_EQ_STR(canon(""), NAN_PREFIX);
}

TEST(number_parse_uses_len_not_nul)
{
    struct num n;
    struct err err = ERR_INIT;
    ASSERT_EQ_INT(num_parse("12345", 2, &n, &err), 0);
    ASSERT_EQ_INT(n.ndigits, 2);
    ASSERT_EQ_INT(n.exp, 2);
    ASSERT_EQ_INT(num_parse("1x", 2, &n, &err), -1);
    ASSERT_EQ_STR(err.message, "The parameter cannot be converted to a numeric value: 1x");
    err_clear(&err);
}

TEST(number_range_limits)
{
    ASSERT_EQ_STR(canon("1e126"), OVERFLOW);
    ASSERT_EQ_STR(canon("-1e126"), OVERFLOW);
    ASSERT_EQ_STR(canon("100e124"), OVERFLOW);
    ASSERT_EQ_STR(canon("1e2147483647"), OVERFLOW);
    /* nubo-db tier3 value layer (2026-10-09, PutItem, eu-west-2 and us-east-1): "An exponent that
     * fits a 64-bit integer is range-checked": 1e99999999999, -1e99999999999, 1e2147483648 and
     * 1e2147483647 overflow, 1e-99999999999 and 1e-2147483648 underflow */
    ASSERT_EQ_STR(canon("1e99999999999"), OVERFLOW);
    ASSERT_EQ_STR(canon("-1e99999999999"), OVERFLOW);
    ASSERT_EQ_STR(canon("1e2147483648"), OVERFLOW);
    ASSERT_EQ_STR(canon("1e-99999999999"), UNDERFLOW);
    ASSERT_EQ_STR(canon("1e-2147483648"), UNDERFLOW);
    ASSERT_EQ_STR(canon("1.5e-2147483647"), UNDERFLOW);
    ASSERT_EQ_STR(canon("1e9223372036854775807"), OVERFLOW);
    ASSERT_EQ_STR(canon("123.456e9223372036854775807"), OVERFLOW);
    ASSERT_EQ_STR(canon("1e-9223372036854775808"), UNDERFLOW);
    ASSERT_EQ_STR(canon("1000e-9223372036854775808"), UNDERFLOW);
    /* the digit count is still checked first */
    ASSERT_EQ_STR(canon("1234567890123456789012345678901234567890e99999999999"), PRECISION);
    ASSERT_EQ_STR(canon("1e-131"), UNDERFLOW);
    ASSERT_EQ_STR(canon("-1e-131"), UNDERFLOW);
    ASSERT_EQ_STR(canon("9.9e-131"), UNDERFLOW);
    ASSERT_EQ_STR(canon("1e-2147483647"), UNDERFLOW);
    /* just inside */
    ASSERT_EQ_STR(canon("10e-131"), zeros(129, "0.", "1"));
    ASSERT_EQ_STR(canon("0.01e-128"), zeros(129, "0.", "1"));
    ASSERT_EQ_STR(canon("0.1e-129"), zeros(129, "0.", "1"));
    ASSERT_EQ_STR(canon("1000000000000000000000000000000000000000e86"), zeros(125, "1", ""));
}

TEST(number_digit_limit)
{
    ASSERT_EQ_STR(canon("123456789012345678901234567890123456789"), PRECISION);
    ASSERT_EQ_STR(canon("-1.23456789012345678901234567890123456789"), PRECISION);
    /* 38 significant digits with a trailing zero is fine */
    ASSERT_EQ_STR(canon("123456789012345678901234567890123456780"),
                  "123456789012345678901234567890123456780");
    ASSERT_EQ_STR(canon("0.00012345678901234567890123456789012345678"),
                  "0.00012345678901234567890123456789012345678");
    /* digits are checked before range, as DynamoDB Local does (dynalite checks range first) */
    ASSERT_EQ_STR(canon("123456789012345678901234567890123456789e200"), PRECISION);
    ASSERT_EQ_STR(canon("123456789012345678901234567890123456789e-200"), PRECISION);
}

TEST(number_struct_is_normalised)
{
    struct num a = parse_ok("-0012.340e1"), z = parse_ok("-0.00e5");
    ASSERT_EQ_INT(a.sign, -1);
    ASSERT_EQ_INT(a.exp, 3);  /* -0.1234 x 10^3 */
    ASSERT_EQ_INT(a.ndigits, 4);
    ASSERT(a.digits[0] == 1 && a.digits[1] == 2 && a.digits[2] == 3 && a.digits[3] == 4);
    ASSERT_EQ_INT(z.sign, 0);
    ASSERT_EQ_INT(z.exp, 0);
    ASSERT_EQ_INT(z.ndigits, 0);
    /* equal numbers have identical structs (header contract) */
    struct num b = parse_ok("123.4"), c = parse_ok("1234e-1");
    ASSERT(memcmp(&b, &c, sizeof b) == 0);
}

/* ---------------------------------------------------------------- comparison ------------------ */

TEST(number_compare)
{
    ASSERT_EQ_INT(cmp("1", "2"), -1);
    ASSERT_EQ_INT(cmp("2", "1"), 1);
    ASSERT_EQ_INT(cmp("1.0", "1"), 0);
    ASSERT_EQ_INT(cmp("-0", "0"), 0);
    ASSERT_EQ_INT(cmp("-1", "0"), -1);
    ASSERT_EQ_INT(cmp("0", "1e-130"), -1);
    ASSERT_EQ_INT(cmp("-1e-130", "0"), -1);
    ASSERT_EQ_INT(cmp("-2", "-1"), -1);
    ASSERT_EQ_INT(cmp("-1.5", "-1.05"), -1);
    ASSERT_EQ_INT(cmp("0.1", "0.15"), -1);
    ASSERT_EQ_INT(cmp("10", "9.99999"), 1);
    ASSERT_EQ_INT(cmp("1e125", "9.9999999999999999999999999999999999999e124"), 1);
    ASSERT_EQ_INT(cmp("-1e125", "-9.9999999999999999999999999999999999999e124"), -1);
    ASSERT_EQ_INT(cmp("12345678901234567890123456789012345678", "12345678901234567890123456789012345679"), -1);
}

/* ---------------------------------------------------------------- arithmetic ------------------ */

TEST(number_add_sub_exact)
{
    ASSERT_EQ_STR(arith("1", '+', "2"), "3");
    ASSERT_EQ_STR(arith("0.5", '+', "0.5"), "1");  /* DynamoDB Local prints "1.0"; AWS normalises */
    ASSERT_EQ_STR(arith("-1", '+', "1"), "0");
    ASSERT_EQ_STR(arith("1.5", '-', "1.5"), "0");  /* DynamoDB Local: "0.0" */
    ASSERT_EQ_STR(arith("0", '-', "2.5"), "-2.5");
    ASSERT_EQ_STR(arith("2.5", '-', "0"), "2.5");
    ASSERT_EQ_STR(arith("0", '+', "0"), "0");
    ASSERT_EQ_STR(arith("-3", '-', "-5"), "2");
    ASSERT_EQ_STR(arith("-3", '+', "-5"), "-8");
    ASSERT_EQ_STR(arith("3", '-', "5"), "-2");
    ASSERT_EQ_STR(arith("0.1", '+', "0.2"), "0.3");
    ASSERT_EQ_STR(arith("999", '+', "1"), "1000");
    ASSERT_EQ_STR(arith("1000", '-', "1"), "999");
    ASSERT_EQ_STR(arith("1000", '-', "0.001"), "999.999");
    ASSERT_EQ_STR(arith("12345678901234567890123456789012345678", '+', "1"),
                  "12345678901234567890123456789012345679");
    ASSERT_EQ_STR(arith("99999999999999999999999999999999999999", '+', "1"),
                  "100000000000000000000000000000000000000");
    ASSERT_EQ_STR(arith("12345678901234567890123456789012345678", '+',
                        "-12345678901234567890123456789012345677"), "1");
    ASSERT_EQ_STR(arith("1", '+', "1e-37"), "1.0000000000000000000000000000000000001");
    ASSERT_EQ_STR(arith("1", '+', "-1e-38"), "0.99999999999999999999999999999999999999");
}

/* A result needing more than 38 digits is an error, never rounded (DynamoDB Local's text for it
 * is "DynamoDB only supports precision up to 38 digits"). */
TEST(number_add_precision_errors)
{
    ASSERT_EQ_STR(arith("12345678901234567890123456789012345678", '+', "0.1"), PRECISION);
    ASSERT_EQ_STR(arith("12345678901234567890123456789012345678", '+', "0.5"), PRECISION);
    ASSERT_EQ_STR(arith("1", '+', "1e-38"), PRECISION);
    ASSERT_EQ_STR(arith("1", '+', "1e-40"), PRECISION);
    ASSERT_EQ_STR(arith("1", '-', "1e-40"), PRECISION);
    ASSERT_EQ_STR(arith("1e-130", '+', "1"), PRECISION);
    ASSERT_EQ_STR(arith("1e125", '+', "1e-125"), PRECISION);
    /* 39 digits and beyond the range: the digit error wins */
    ASSERT_EQ_STR(arith("9.9999999999999999999999999999999999999e125", '+', "9e125"), PRECISION);
    ASSERT_EQ_STR(arith("9.9999999999999999999999999999999999999e125", '+', "1"), PRECISION);
}

TEST(number_add_range_errors)
{
    /* exactly 1E+126: one digit, out of range */
    ASSERT_EQ_STR(arith("9.9999999999999999999999999999999999999e125", '+', "1e88"), OVERFLOW);
    ASSERT_EQ_STR(arith("9e125", '+', "9e125"), OVERFLOW);
    ASSERT_EQ_STR(arith("-9e125", '-', "9e125"), OVERFLOW);
    ASSERT_EQ_STR(arith("1.5e-130", '-', "1e-130"), UNDERFLOW);
    ASSERT_EQ_STR(arith("-1.5e-130", '+', "1e-130"), UNDERFLOW);
    /* boundary results that fit */
    ASSERT_EQ_STR(arith("1e-129", '-', "9e-130"), zeros(129, "0.", "1"));
    ASSERT_EQ_STR(arith("2e-130", '-', "1e-130"), zeros(129, "0.", "1"));
    ASSERT_EQ_STR(arith("1e-130", '-', "1e-130"), "0");
    ASSERT_EQ_STR(arith("9e125", '+', "-9e125"), "0");
}

TEST(number_add_widest_alignment)
{
    /* largest and smallest exponents at once: the sum spans ~295 places and must not overflow the
     * accumulator; the exact result has too many digits */
    ASSERT_EQ_STR(arith("9.9999999999999999999999999999999999999e125", '+',
                        "-1.2345678901234567890123456789012345678e-130"), PRECISION);
    ASSERT_EQ_STR(arith("-9.9999999999999999999999999999999999999e125", '-',
                        "1.2345678901234567890123456789012345678e-130"), PRECISION);
}

TEST(number_add_output_may_alias_input)
{
    struct num a = parse_ok("1.5"), b = parse_ok("2.25");
    struct err err = ERR_INIT;
    char buf[NUM_STRING_MAX];
    ASSERT_EQ_INT(num_add(&a, &b, &a, &err), 0);
    num_format(&a, buf);
    ASSERT_EQ_STR(buf, "3.75");
    ASSERT_EQ_INT(num_sub(&a, &a, &a, &err), 0);
    num_format(&a, buf);
    ASSERT_EQ_STR(buf, "0");
}

/* ---------------------------------------------------------------- size ------------------------ */

/* Each value measured on DynamoDB Local as the bytes it takes against the 400 KB item limit. */
TEST(number_size_matches_dynamodb)
{
    ASSERT_EQ_INT(size_of("0"), 1);
    ASSERT_EQ_INT(size_of("1"), 2);
    ASSERT_EQ_INT(size_of("-1"), 3);
    ASSERT_EQ_INT(size_of("10"), 2);
    ASSERT_EQ_INT(size_of("100"), 2);
    ASSERT_EQ_INT(size_of("12"), 2);     /* nd 2, big.js e 1 (odd): one pair */
    ASSERT_EQ_INT(size_of("-12"), 3);
    ASSERT_EQ_INT(size_of("123"), 3);
    ASSERT_EQ_INT(size_of("1234"), 3);
    ASSERT_EQ_INT(size_of("0.1"), 2);
    ASSERT_EQ_INT(size_of("0.12"), 2);   /* e -1 (odd) */
    ASSERT_EQ_INT(size_of("1.2"), 3);    /* nd 2, e 0 (even): digits straddle the point */
    ASSERT_EQ_INT(size_of("1.234"), 4);
    ASSERT_EQ_INT(size_of("12.34"), 3);
    ASSERT_EQ_INT(size_of("0.012"), 3);  /* e -2 (even) */
    ASSERT_EQ_INT(size_of("-0.012"), 4);
    ASSERT_EQ_INT(size_of("1e100"), 2);
    ASSERT_EQ_INT(size_of("1e-130"), 2);
    ASSERT_EQ_INT(size_of("12345678901234567890123456789012345678"), 20);
}

/* The 23 literals real DynamoDB was measured at, to the byte, on its 400 KB gate (eu-west-2,
 * 2026-08-18): nubo-db/dynamodb-conformance src/item-size.ts CAPTURED_NUMBER_BYTES, used by
 * tests/tier3/limits/numberByteSize.test.ts. */
TEST(number_size_matches_real_dynamodb_captures)
{
    static const struct {
        const char *literal;
        int bytes;
    } captured[] = {
        {"0", 1}, {"1", 2}, {"12", 2}, {"123", 3}, {"1234", 3},
        {"12345678901234567890123456789012345678", 20}, {"0042", 2}, {"100", 2}, {"1010", 3},
        {"0.0000001", 2}, {"1E125", 2}, {"1E-100", 2}, {"1.5", 3}, {"15", 2}, {"1.2", 3},
        {"1.200", 3}, {"1.234", 4}, {"3.14159", 5}, {"123456", 4}, {"100.5", 4}, {"0.15", 2},
        {"-42", 3}, {"-0", 1},
    };
    for (size_t k = 0; k < sizeof captured / sizeof captured[0]; k++)
        if ((int)size_of(captured[k].literal) != captured[k].bytes)
            TEST_FAIL_("size_of(%s) = %d, DynamoDB measured %d", captured[k].literal,
                       (int)size_of(captured[k].literal), captured[k].bytes);
}

TEST(number_size_formula_edges)
{
    /* the formula's extra byte, for negative even exponents too (C's % of a negative) */
    ASSERT_EQ_INT(size_of("1.2e-2"), 3);   /* = 0.012: e -2 (even) */
    ASSERT_EQ_INT(size_of("0.0012"), 2);   /* e -3 (odd) */
    ASSERT_EQ_INT(size_of("0.00012"), 3);  /* e -4 (even) */
    ASSERT_EQ_INT(size_of("1.2345678901234567890123456789012345678"), 21); /* nd 38, e 0 */
    ASSERT_EQ_INT(size_of("1.234567890123456789012345678901234567"), 20);   /* nd 37 */
}

/* A negative number's extra byte is dropped when the mantissa already has the maximum 20 pairs
 * (38 digits, even big.js exponent). dynalite's formula says one more byte here; DynamoDB Local
 * measures these. */
TEST(number_size_negative_full_mantissa)
{
    ASSERT_EQ_INT(size_of("-1.2345678901234567890123456789012345678"), 21);   /* 20 pairs */
    ASSERT_EQ_INT(size_of("-0.012345678901234567890123456789012345678"), 21); /* 20 pairs */
    ASSERT_EQ_INT(size_of("-1234567890123456789012345678901234567.8"), 21);   /* 20 pairs */
    ASSERT_EQ_INT(size_of("-12345678901234567890123456789012345678"), 21);    /* 19 pairs + 1 */
    ASSERT_EQ_INT(size_of("-0.12345678901234567890123456789012345678"), 21);  /* 19 pairs + 1 */
    ASSERT_EQ_INT(size_of("-1.234567890123456789012345678901234567"), 21);    /* 19 pairs + 1 */
}
