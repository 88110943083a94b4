/* number.h — DynamoDB's N type: an exact decimal of up to 38 significant digits with magnitude
 * between 1E-130 and 9.99..9E+125, or zero. Parsed and normalised from the wire string, compared
 * numerically, printed in the canonical form DynamoDB returns, added and subtracted exactly.
 * Pure: no I/O, no globals. Only errors.h/limits.h are included. */
#ifndef DYNASTREAM_NUMBER_H
#define DYNASTREAM_NUMBER_H

#include <stddef.h>
#include <stdint.h>

#include "errors.h"
#include "limits.h"

/* A normalised decimal: value = sign * 0.d1 d2 ... dn * 10^exp, with d1 != 0 and dn != 0.
 * Zero is sign == 0, ndigits == 0, exp == 0. Two equal numbers have identical structs. */
struct num {
    int sign;                              /* -1, 0, +1 */
    int exp;                               /* decimal exponent of the leading digit position */
    int ndigits;                           /* 0..LIMIT_NUMBER_DIGITS */
    uint8_t digits[LIMIT_NUMBER_DIGITS];   /* each 0..9, no leading or trailing zeros */
};

/* Real DynamoDB checks numbers in one of two layers, by operation (nubo-db tier3 value-layer test,
 * captured 2026-10-09 in eu-west-2, us-east-1, eu-west-1 and us-west-2):
 *   NUM_LAYER_CURRENT  PutItem, UpdateItem, DeleteItem, GetItem, BatchGetItem, Query: an exponent
 *                      that fits a 64-bit integer is range-checked ("1e99999999999" overflows,
 *                      "1e-99999999999" underflows); "" is quoted after the colon.
 *   NUM_LAYER_OLDER    BatchWriteItem, TransactWriteItems, TransactGetItems (eu-west-2 runs the
 *                      current layer there) and Scan: Java's BigDecimal reading, so an exponent
 *                      or scale beyond a 32-bit int is "not a number" ("1e2147483648") and the
 *                      magnitude wraps in int arithmetic ("1e2147483647" is an underflow); ""
 *                      gives the message without the colon. */
enum num_layer { NUM_LAYER_CURRENT = 0, NUM_LAYER_OLDER };

/* Parses a wire number (optional sign, digits, optional '.', optional exponent; leading '+' and
 * leading/trailing zeros allowed, as DynamoDB allows) into *out, as the current layer does
 * (num_parse_layer(..., NUM_LAYER_CURRENT, ...)). s need not be NUL-terminated.
 * "1.", ".5", "+.5" and "0e99999999999" are numbers; "." "1e" " 1" "1 " "0x1" "NaN" are not, nor
 * is a number whose exponent does not fit a signed 64-bit integer.
 * Errors (ValidationException, with DynamoDB's words): not a number ->
 * "The parameter cannot be converted to a numeric value: <s>" (also for "", which prints
 * nothing after the colon); too large ->
 * "Number overflow. Attempting to store a number with magnitude larger than supported range";
 * too small -> "Number underflow. Attempting to store a number with magnitude smaller than
 * supported range"; > 38 significant digits -> "Attempting to store more than 38 significant
 * digits in a Number". The digit count is checked before the range (DynamoDB Local's order).
 * err may be NULL when only success matters. */
int num_parse(const char *s, size_t len, struct num *out, struct err *err);
/* num_parse in the given layer (see enum num_layer): same syntax, digit and range checks. */
int num_parse_layer(const char *s, size_t len, enum num_layer layer, struct num *out,
                    struct err *err);

/* The messages above, for callers that raise them themselves (value.c for a null NS member) and
 * for tests. The wording is real DynamoDB's (dynalite, AWS SDK bug reports); DynamoDB Local says
 * "A value provided cannot be converted into a number" and "DynamoDB only supports precision up
 * to 38 digits" instead, with the same overflow/underflow text. */
#define NUM_MSG_NOT_A_NUMBER "The parameter cannot be converted to a numeric value"
#define NUM_MSG_OVERFLOW \
    "Number overflow. Attempting to store a number with magnitude larger than supported range"
#define NUM_MSG_UNDERFLOW \
    "Number underflow. Attempting to store a number with magnitude smaller than supported range"
#define NUM_MSG_PRECISION "Attempting to store more than 38 significant digits in a Number"

/* Writes the canonical form DynamoDB returns (plain notation, no exponent, no trailing zeros after
 * the point, no leading '+', "0" for zero) into buf, NUL-terminated. Returns the length.
 * buf must hold NUM_STRING_MAX bytes. */
#define NUM_STRING_MAX 200
int num_format(const struct num *n, char *buf);

/* Numeric comparison: <0, 0, >0. */
int num_compare(const struct num *a, const struct num *b);

/* Exact a+b and a-b into *out (which may be a or b). Never rounds: when the exact result does not
 * fit, the error is the one num_parse would give for it, the 38-digit one first, then
 * "Number overflow. ..." / "Number underflow. ..." (as DynamoDB Local answers SET a = a + :v and
 * ADD). */
int num_add(const struct num *a, const struct num *b, struct num *out, struct err *err);
int num_sub(const struct num *a, const struct num *b, struct num *out, struct err *err);

/* Bytes this number counts for in DynamoDB's item size: 1 + the number of base-100 pairs the digits
 * take when aligned on the decimal point (developer guide: "approximately 1 byte per two
 * significant digits plus 1 byte"), + 1 for a negative number unless it already has the maximum
 * 20 pairs. Zero counts 1. Matches DynamoDB Local's 400 KB limit (see number.c). */
size_t num_size(const struct num *n);

#endif
