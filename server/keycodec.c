/* keycodec.c — byte encodings of N key values whose memcmp order is numeric order, their decoder,
 * and the 32-bit partition-key hash. S and B keys need no encoding (their UTF-8 / raw bytes
 * already compare as DynamoDB orders them), so they are not handled here. The layout follows the
 * idea of CockroachDB's decimal key encoding and FoundationDB's tuple layer (DESIGN.md, "Hard
 * parts"). Entry points: keycodec_encode_num, keycodec_decode_num, keycodec_hash. */
#include "keycodec.h"

#include <string.h>

/* Layout of an encoded number:
 *   zero:      CLASS_ZERO
 *   positive:  CLASS_POS, exp + EXP_BIAS, pair bytes..., TERMINATOR
 *   negative:  CLASS_NEG, then the positive layout's remaining bytes of |x|, each complemented
 * exp is struct num's (value = 0.d1d2.. x 10^exp, -129..126), so exp + EXP_BIAS is 0..255.
 * The digits d1 d2 .. dn are taken two at a time from the first one (d1d2, d3d4, ...; an odd last
 * digit is padded with 0), and each pair p (0..99) is written as p + 1, so every pair byte is in
 * 1..100 and sorts above the terminator 0. For positives a larger exponent, then a larger digit
 * string, means a larger number; "shorter is less" is handled by the terminator, which also makes
 * the complemented negative layout order correctly (the complemented terminator 0xFF sorts above
 * every complemented pair byte, so -0.1 > -0.15). */
#define CLASS_NEG 0x01
#define CLASS_ZERO 0x02
#define CLASS_POS 0x03
#define EXP_BIAS 129   /* -LIMIT_NUMBER_MIN_EXP */
#define TERMINATOR 0x00

size_t keycodec_encode_num(const struct num *n, uint8_t *out)
{
    size_t len = 0;

    if (n->sign == 0) {
        out[len++] = CLASS_ZERO;
        return len;
    }
    out[len++] = n->sign < 0 ? CLASS_NEG : CLASS_POS;
    out[len++] = (uint8_t)(n->exp + EXP_BIAS);
    for (int k = 0; k < n->ndigits; k += 2) {
        int lo = k + 1 < n->ndigits ? n->digits[k + 1] : 0;
        out[len++] = (uint8_t)(n->digits[k] * 10 + lo + 1);
    }
    out[len++] = TERMINATOR;
    if (n->sign < 0)
        for (size_t k = 1; k < len; k++)
            out[k] = (uint8_t)~out[k];
    return len;
}

int keycodec_decode_num(const uint8_t *in, size_t len, struct num *out)
{
    uint8_t buf[KEYCODEC_NUM_MAX];
    struct num n;

    memset(&n, 0, sizeof n);
    if (len == 0)
        return -1;
    if (in[0] == CLASS_ZERO) {
        if (len != 1)
            return -1;
        *out = n;
        return 0;
    }
    if (in[0] != CLASS_POS && in[0] != CLASS_NEG)
        return -1;
    /* class, exponent, at least one pair, terminator; at most 19 pairs (38 digits) */
    if (len < 4 || len > 3 + (LIMIT_NUMBER_DIGITS + 1) / 2)
        return -1;
    memcpy(buf, in, len);
    if (in[0] == CLASS_NEG)
        for (size_t k = 1; k < len; k++)
            buf[k] = (uint8_t)~buf[k];
    if (buf[len - 1] != TERMINATOR)
        return -1;
    n.sign = in[0] == CLASS_NEG ? -1 : 1;
    n.exp = (int)buf[1] - EXP_BIAS;
    if (n.exp > LIMIT_NUMBER_MAX_EXP)
        return -1;
    for (size_t k = 2; k < len - 1; k++) {
        if (buf[k] < 1 || buf[k] > 100)
            return -1;
        int pair = buf[k] - 1;
        n.digits[n.ndigits++] = (uint8_t)(pair / 10);
        n.digits[n.ndigits++] = (uint8_t)(pair % 10);
    }
    /* Only the last pair may carry a padding zero; a canonical encoding has no other trailing
     * zero and no leading zero. */
    if (n.digits[n.ndigits - 1] == 0)
        n.ndigits--;
    if (n.digits[0] == 0 || n.digits[n.ndigits - 1] == 0)
        return -1;
    *out = n;
    return 0;
}

/* FNV-1a (32-bit) over the bytes, then MurmurHash3's fmix32 finaliser so that keys differing only
 * in their last bytes still spread over the whole 32-bit range (parallel-scan segments take the
 * high bits: segment = hash * total / 2^32). */
uint32_t keycodec_hash(const uint8_t *bytes, size_t len)
{
    uint32_t h = 2166136261u;

    for (size_t k = 0; k < len; k++) {
        h ^= bytes[k];
        h *= 16777619u;
    }
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return h;
}
