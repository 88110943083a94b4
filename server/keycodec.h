/* keycodec.h — order-preserving byte encodings of key attribute values, so that SQLite's memcmp
 * order on BLOB columns is DynamoDB's key order: N numerically, S by UTF-8 bytes, B by bytes.
 * Each key attribute is stored in its own BLOB column, so no separator is needed between hash and
 * range parts. Also the 32-bit hash that spreads partition keys over the scan order and over
 * parallel-scan segments. Pure: no I/O, no globals. */
#ifndef DYNASTREAM_KEYCODEC_H
#define DYNASTREAM_KEYCODEC_H

#include <stddef.h>
#include <stdint.h>

#include "number.h"

/* Room for the largest encoding of one N value: class byte, exponent byte, 19 base-100 pairs (38
 * digits), terminator = 22 bytes. */
#define KEYCODEC_NUM_MAX 24

/* Encodes a number so that memcmp order of the outputs (shorter-is-less on a common prefix) equals
 * numeric order: a class byte (negative < zero < positive), the exponent (inverted for negatives),
 * then base-100 digit pairs with a terminator (all complemented for negatives). Pairs are taken
 * from the first significant digit (not aligned on the decimal point); the exact layout is in
 * keycodec.c. Equal numbers encode identically. n must be normalised and in range (num_parse,
 * num_add). Writes at most KEYCODEC_NUM_MAX bytes to out and returns the length (1 for zero). */
size_t keycodec_encode_num(const struct num *n, uint8_t *out);

/* Inverse of keycodec_encode_num. Returns 0, or -1 if the bytes are not the canonical encoding of
 * a number (wrong class, length, terminator, pair byte, or leading/trailing zero digit). */
int keycodec_decode_num(const uint8_t *in, size_t len, struct num *out);

/* 32-bit hash of an encoded partition key (FNV-1a 32 then a murmur3 finaliser), used as the first
 * ordering column and to assign parallel-scan segments: segment = hash * total / 2^32. */
uint32_t keycodec_hash(const uint8_t *bytes, size_t len);

#endif
