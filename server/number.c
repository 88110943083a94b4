/* number.c — DynamoDB's N type as an exact decimal (struct num: sign, exponent, up to 38 digits).
 * Parses the wire syntax with DynamoDB's checks and messages, prints the canonical plain form that
 * GetItem returns, compares, adds and subtracts exactly (no doubles anywhere), and counts the
 * bytes a number takes in an item. It does not round: a result that needs more than 38 digits is
 * an error, as in DynamoDB. Entry points: num_parse, num_format, num_compare, num_add, num_sub,
 * num_size. Developer guide: "Supported data types and naming rules" (Number). */
#include "number.h"

#include <stdint.h>
#include <string.h>

/* ---------------------------------------------------------------- parsing --------------------- */

/* <limits.h> is shadowed by server/limits.h under -Iserver, so int range comes from <stdint.h>. */

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int not_a_number(const char *s, size_t len, enum num_layer layer, struct err *err)
{
    /* An empty value too is quoted, as nothing: real DynamoDB answers NS [""] with "... numeric
     * value: " (capture 2026-08-12-wording-drift, us-east-1; nubo-db tier3 value layer 2026-10-09,
     * CURRENT for '' is `${NOT_NUMERIC}: `). The older layer prints no colon for an empty value
     * ("an empty string has no colon", OLDER for '' is NOT_NUMERIC). */
    if (len == 0 && layer == NUM_LAYER_OLDER)
        return err_set(err, ERR_VALIDATION, NUM_MSG_NOT_A_NUMBER);
    return err_set(err, ERR_VALIDATION, NUM_MSG_NOT_A_NUMBER ": %.*s", (int)len, s);
}

/* Checks the digit count, then the range (DynamoDB Local reports the precision error first for a
 * number that breaks both, e.g. 39 digits with e200, in parsing and in arithmetic alike), and
 * writes the normalised number. digits[0] must be non-zero, digits[nd-1] too. */
static int finish(int sign, long long exp, const uint8_t *digits, long long nd, struct num *out,
                  struct err *err)
{
    if (nd > LIMIT_NUMBER_DIGITS)
        return err_set(err, ERR_VALIDATION, NUM_MSG_PRECISION);
    if (exp > LIMIT_NUMBER_MAX_EXP)
        return err_set(err, ERR_VALIDATION, NUM_MSG_OVERFLOW);
    if (exp < LIMIT_NUMBER_MIN_EXP)
        return err_set(err, ERR_VALIDATION, NUM_MSG_UNDERFLOW);
    memset(out, 0, sizeof *out);
    out->sign = sign;
    out->exp = (int)exp;
    out->ndigits = (int)nd;
    memcpy(out->digits, digits, (size_t)nd);
    return 0;
}

/* Syntax (as DynamoDB Local accepts it, verified): [+-] digits [. digits] [(e|E) [+-] digits], with
 * at least one mantissa digit on either side of the point ("1.", ".5" are numbers, "." is not);
 * no whitespace anywhere, no hex, no "Infinity"/"NaN". Only ASCII digits are accepted.
 * The exponent, by layer (nubo-db tier3 value-layer test, 2026-10-09, four regions):
 *   current: "An exponent that fits a 64-bit integer is range-checked, so 1e2147483647
 *            overflows"; PutItem: 1e99999999999 and 1e2147483648 overflow, 1e-99999999999 and
 *            1e-2147483648 underflow. An exponent past 64 bits is taken as "not a number" (what
 *            a 64-bit parse refuses; no capture has one). Zero is zero whatever its exponent.
 *   older:   "reads the number as Java's BigDecimal does: 1e2147483647 wraps to an underflow":
 *            the exponent and the scale (fraction digits minus exponent) must fit a 32-bit int
 *            (BigDecimal refuses "1e2147483648", "0e99999999999", "1e-2147483648"), and the
 *            magnitude precision - scale is computed in 32-bit int arithmetic, so it wraps. */
#define EXP_CLAMP (1LL << 62)  /* beyond any mantissa length: clamping keeps the range verdict */

/* x in 32-bit two's complement, as Java's int arithmetic leaves it. */
static long long wrap_int32(long long x)
{
    uint32_t u = (uint32_t)((unsigned long long)x & 0xffffffffu);
    return u <= (uint32_t)INT32_MAX ? (long long)u : (long long)u - 4294967296LL;
}

int num_parse(const char *s, size_t len, struct num *out, struct err *err)
{
    return num_parse_layer(s, len, NUM_LAYER_CURRENT, out, err);
}

int num_parse_layer(const char *s, size_t len, enum num_layer layer, struct num *out,
                    struct err *err)
{
    size_t i = 0, mant_start, mant_end, point = (size_t)-1;
    long long nfrac = 0, e = 0, mant_digits = 0;
    int sign = 1, older = layer == NUM_LAYER_OLDER;

    if (i < len && (s[i] == '+' || s[i] == '-')) {
        if (s[i] == '-')
            sign = -1;
        i++;
    }
    mant_start = i;
    for (; i < len; i++) {
        if (is_digit(s[i])) {
            mant_digits++;
            if (point != (size_t)-1)
                nfrac++;
        } else if (s[i] == '.' && point == (size_t)-1) {
            point = i;
        } else {
            break;
        }
    }
    mant_end = i;
    if (mant_digits == 0)
        return not_a_number(s, len, layer, err);
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        int esign = 1, too_big = 0;
        size_t edigits = 0;
        /* |exponent| as an unsigned magnitude: up to 2^63 (INT64_MIN) fits a signed 64-bit int */
        unsigned long long mag = 0, limit;
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-')) {
            if (s[i] == '-')
                esign = -1;
            i++;
        }
        if (older)
            limit = esign < 0 ? (unsigned long long)INT32_MAX + 1 : (unsigned long long)INT32_MAX;
        else
            limit = esign < 0 ? (unsigned long long)INT64_MAX + 1 : (unsigned long long)INT64_MAX;
        for (; i < len && is_digit(s[i]); i++, edigits++) {
            unsigned d = (unsigned)(s[i] - '0');
            if (too_big || mag > (limit - d) / 10)
                too_big = 1;  /* keep scanning: a later non-digit is still "not a number" */
            else
                mag = mag * 10 + d;
        }
        if (edigits == 0 || too_big)
            return not_a_number(s, len, layer, err);
        if (mag > (unsigned long long)EXP_CLAMP)
            mag = (unsigned long long)EXP_CLAMP;  /* current layer only: the range check decides */
        e = esign * (long long)mag;
    }
    if (i != len)
        return not_a_number(s, len, layer, err);
    if (older && (nfrac - e > INT32_MAX || nfrac - e < INT32_MIN))
        return not_a_number(s, len, layer, err);

    /* Significant digits: first and last non-zero mantissa digit. */
    long long first = -1, last = -1, idx = 0;  /* indexes among mantissa digits */
    for (size_t k = mant_start; k < mant_end; k++) {
        if (s[k] == '.')
            continue;
        if (s[k] != '0') {
            if (first < 0)
                first = idx;
            last = idx;
        }
        idx++;
    }
    if (first < 0) {
        memset(out, 0, sizeof *out);  /* zero, whatever its sign or exponent ("-0", "0e99") */
        return 0;
    }
    long long nd = last - first + 1;
    /* value = D * 10^(e - nfrac) with D the mantissa digits; the first significant digit has
     * weight 10^(mant_digits - 1 - first + e - nfrac), so the 0.d1d2... exponent is one more.
     * That is BigDecimal's precision() - scale(), which the older layer computes in int. */
    long long exp = mant_digits - first + e - nfrac;
    if (older)
        exp = wrap_int32(exp);
    uint8_t digits[LIMIT_NUMBER_DIGITS];
    if (nd <= LIMIT_NUMBER_DIGITS) {
        idx = 0;
        for (size_t k = mant_start; k < mant_end; k++) {
            if (s[k] == '.')
                continue;
            if (idx >= first && idx <= last)
                digits[idx - first] = (uint8_t)(s[k] - '0');
            idx++;
        }
    }
    return finish(sign, exp, digits, nd, out, err);
}

/* ---------------------------------------------------------------- printing -------------------- */

int num_format(const struct num *n, char *buf)
{
    char *p = buf;

    if (n->sign == 0) {
        strcpy(buf, "0");
        return 1;
    }
    if (n->sign < 0)
        *p++ = '-';
    if (n->exp <= 0) {
        *p++ = '0';
        *p++ = '.';
        for (int k = 0; k < -n->exp; k++)
            *p++ = '0';
        for (int k = 0; k < n->ndigits; k++)
            *p++ = (char)('0' + n->digits[k]);
    } else {
        for (int k = 0; k < n->ndigits; k++) {
            if (k == n->exp)
                *p++ = '.';
            *p++ = (char)('0' + n->digits[k]);
        }
        for (int k = n->ndigits; k < n->exp; k++)
            *p++ = '0';
    }
    *p = '\0';
    return (int)(p - buf);
}

/* ---------------------------------------------------------------- comparison ------------------ */

/* Compares |a| and |b| of two non-zero numbers. */
static int compare_magnitude(const struct num *a, const struct num *b)
{
    if (a->exp != b->exp)
        return a->exp < b->exp ? -1 : 1;
    int n = a->ndigits < b->ndigits ? a->ndigits : b->ndigits;
    for (int k = 0; k < n; k++)
        if (a->digits[k] != b->digits[k])
            return a->digits[k] < b->digits[k] ? -1 : 1;
    /* No trailing zeros, so the longer digit string is the larger fraction. */
    return (a->ndigits > b->ndigits) - (a->ndigits < b->ndigits);
}

int num_compare(const struct num *a, const struct num *b)
{
    if (a->sign != b->sign)
        return a->sign < b->sign ? -1 : 1;
    if (a->sign == 0)
        return 0;
    return a->sign * compare_magnitude(a, b);
}

/* ---------------------------------------------------------------- arithmetic ------------------ */

/* The exact sum of two in-range numbers spans at most from 10^126 (a carry above 10^125..) down to
 * 10^(-130-37): about 295 decimal places. POS_SPAN leaves room. */
#define POS_SPAN 320

/* Adds (or subtracts, when the signs differ) exactly. DynamoDB does not round the result of
 * SET a = a + :v or ADD: DynamoDB Local (verified) answers 12345678901234567890123456789012345678
 * + 0.1, 1 + 1E-38 and 1E-130 + 1 with the 38-digit error, 1 + 1E-37 with
 * 1.0000000000000000000000000000000000001, and checks digits before range
 * (9.99..9E+125 (38 digits) + 9E+125 is the digit error, + 1E+88 the overflow error since the sum
 * is exactly 1E+126); 1.5E-130 - 1E-130 is the underflow error. It prints "1.0" for 0.5 + 0.5;
 * we keep the normalised "1", which is what DynamoDB itself returns. */
static int add_signed(const struct num *a, const struct num *b, int bsign, struct num *out,
                      struct err *err)
{
    if (b->sign == 0 || bsign == 0) {
        *out = *a;
        return 0;
    }
    if (a->sign == 0) {
        *out = *b;
        out->sign = bsign;
        return 0;
    }

    /* Digit k of x (0-based) has weight 10^(x->exp - 1 - k). Place all digits in acc[], index
     * = weight exponent - lo, where lo is the smallest weight exponent present. */
    int lo_a = a->exp - a->ndigits, lo_b = b->exp - b->ndigits;
    int lo = lo_a < lo_b ? lo_a : lo_b;
    int hi = (a->exp > b->exp ? a->exp : b->exp);  /* one place above both for a carry */
    int width = hi - lo + 1;
    uint8_t acc[POS_SPAN];
    int sign;

    memset(acc, 0, sizeof acc);
    if (width > POS_SPAN)  /* cannot happen for in-range inputs; keep the invariant visible */
        return err_set(err, ERR_VALIDATION, NUM_MSG_PRECISION);

    const struct num *big = a, *small = b;
    int big_sign = a->sign, small_sign = bsign;
    if (compare_magnitude(a, b) < 0) {
        big = b, small = a;
        big_sign = bsign, small_sign = a->sign;
    }
    for (int k = 0; k < big->ndigits; k++)
        acc[big->exp - 1 - k - lo] = big->digits[k];
    sign = big_sign;
    if (big_sign == small_sign) {
        int carry = 0;
        int first = small->exp - small->ndigits - lo;
        for (int pos = first; pos < width; pos++) {
            int k = small->exp - 1 - (pos + lo);  /* digit index in small at this position */
            int d = acc[pos] + carry + ((k >= 0 && k < small->ndigits) ? small->digits[k] : 0);
            acc[pos] = (uint8_t)(d % 10);
            carry = d / 10;
        }
    } else {
        int borrow = 0;
        int first = small->exp - small->ndigits - lo;
        for (int pos = first; pos < width; pos++) {
            int k = small->exp - 1 - (pos + lo);
            int d = acc[pos] - borrow - ((k >= 0 && k < small->ndigits) ? small->digits[k] : 0);
            borrow = d < 0;
            acc[pos] = (uint8_t)(d < 0 ? d + 10 : d);
        }
    }

    /* Normalise: most significant non-zero position down to least significant non-zero one. */
    int top = width - 1, bottom = 0;
    while (top >= 0 && acc[top] == 0)
        top--;
    if (top < 0) {
        memset(out, 0, sizeof *out);
        return 0;
    }
    while (acc[bottom] == 0)
        bottom++;
    int nd = top - bottom + 1;
    uint8_t digits[LIMIT_NUMBER_DIGITS];
    if (nd <= LIMIT_NUMBER_DIGITS)
        for (int k = 0; k < nd; k++)
            digits[k] = acc[top - k];
    /* The digit at position top has weight 10^(top + lo), so the 0.d1.. exponent is one more. */
    return finish(sign, (long long)top + lo + 1, digits, nd, out, err);
}

int num_add(const struct num *a, const struct num *b, struct num *out, struct err *err)
{
    return add_signed(a, b, b->sign, out, err);
}

int num_sub(const struct num *a, const struct num *b, struct num *out, struct err *err)
{
    return add_signed(a, b, -b->sign, out, err);
}

/* ---------------------------------------------------------------- size ------------------------ */

/* One exponent byte plus the base-100 pairs of the digits aligned on the decimal point, plus a
 * terminator byte for a negative number unless the mantissa is already the maximum 20 pairs (the
 * Oracle NUMBER layout). This is dynalite's valSize, 1 + ceil(nd / 2) + (nd and big.js's e both
 * even ? 1 : 0) + (negative ? 1 : 0) with e = our exp - 1, except for that last rule, which
 * dynalite lacks. All verified against DynamoDB Local's 400 KB limit: 1.2 -> 3, 12 -> 2,
 * 0.012 -> 3, 1.234 -> 4, -1 -> 3, 0 -> 1, 38 digits -> 20 or 21, and
 * -0.012345678901234567890123456789012345678 (38 digits, 20 pairs) -> 21, not 22. */
#define NUM_MAX_PAIRS 20

size_t num_size(const struct num *n)
{
    if (n->sign == 0)
        return 1;
    size_t pairs = (size_t)(n->ndigits + 1) / 2;
    int big_e = n->exp - 1;
    if (n->ndigits % 2 == 0 && big_e % 2 == 0)
        pairs++;  /* an even digit count starting on a pair's low digit straddles one more pair */
    return 1 + pairs + (n->sign < 0 && pairs < NUM_MAX_PAIRS ? 1 : 0);
}
