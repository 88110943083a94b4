/* value.h — the AttributeValue model: S, N, B, SS, NS, BS, M, L, NULL, BOOL as the JSON objects of
 * the wire protocol ({"S": "x"}, {"N": "1.5"}, ...). Validation with DynamoDB's messages, the
 * canonical form that is stored and returned (numbers normalised, binaries re-encoded), item size
 * as DynamoDB counts it, equality and ordering. Pure: jansson only, no I/O, no globals.
 * Developer guide: "Supported data types", "Item sizes and formats". */
#ifndef DYNASTREAM_VALUE_H
#define DYNASTREAM_VALUE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "errors.h"
#include "number.h"

enum av_type { AV_INVALID = 0, AV_S, AV_N, AV_B, AV_SS, AV_NS, AV_BS, AV_M, AV_L, AV_NULL, AV_BOOL };

/* Type of an already-validated AttributeValue (AV_INVALID if av is not one). Borrows av. */
enum av_type value_type(const json_t *av);
/* "S", "N", ... for a type; "" for AV_INVALID. */
const char *value_type_name(enum av_type t);
/* Type from its name, AV_INVALID if unknown. */
enum av_type value_type_from_name(const char *name);

/* The envelope real DynamoDB now puts around every ValidationException of request validation,
 * these included (captures 2026-06-09 .. 2026-08-12, nubo-db/dynamodb-conformance). Exported so
 * that a caller re-wording a value error (ExclusiveStartKey) can tell it apart. */
#define VALUE_MSG_ENVELOPE "1 validation error detected: "

/* The text of a value error without the envelope, for callers that wrap it in their own words
 * ("The provided starting key is invalid: ...", "ExpressionAttributeValues contains invalid
 * value: ..."). Borrows message; NULL gives "". */
static inline const char *value_error_text(const char *message)
{
    size_t n = sizeof VALUE_MSG_ENVELOPE - 1;
    if (message == NULL)
        return "";
    return strncmp(message, VALUE_MSG_ENVELOPE, n) == 0 ? message + n : message;
}

/* Validates one AttributeValue recursively, as DynamoDB does for any value in a request, with its
 * messages (ValidationException), each prefixed with VALUE_MSG_ENVELOPE, e.g.
 *   "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"
 *   "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes"
 *   "One or more parameter values were invalid: An string set  may not be empty"
 *   "One or more parameter values were invalid: Input collection ["a", "b", "b"] contains duplicates."
 *   "One or more parameter values were invalid: Input collection ["AA==","/w==","AA=="]of type BS contains duplicates."
 *       (SS and BS members are listed in byte order - BS by decoded bytes - up to the first
 *       repeat, then the repeat, then the rest as sent: SS ["b", "a", "b"], BS [/w==, AA==, AA==])
 *   "One or more parameter values were invalid: Input collection contains duplicates." (NS,
 *       compared numerically)
 *   "One or more parameter values were invalid: Null attribute value types must have the value of true"
 *       ({"NULL": false}, at any depth)
 *   "The supplied Item contains a null AttributeValue: <name> is null" (JSON null in an M)
 *   "Empty attribute name" (an M key "")
 *   "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit"
 *   number errors from num_parse (the current layer's: see number.h).
 * These are the words of real DynamoDB's current validation layer (PutItem, UpdateItem,
 * DeleteItem; nubo-db tier3 value-layer capture, 2026-10-09).
 * av is taken as a top-level attribute's value: 31 M/L levels inside it pass, a 32nd does not
 * (the item is the first of LIMIT_NESTING_DEPTH levels). Wire-type errors (e.g. {"S": 5}) are
 * SerializationExceptions with err->capital_message set; the whole value is type-checked
 * (value_validate_wire) before any ValidationException check, then checks run depth first in
 * document order, within one value in DynamoDB Local's order SS, N, NS, BS, M, L, NULL, "more
 * than one datatypes". Unknown members and JSON-null members are ignored. Borrows av. */
int value_validate(const json_t *av, struct err *err);

/* Validates every attribute of an item map {"name": AttributeValue, ...}: wire types of all of
 * it first, then per attribute in document order its value, then its name (non-empty); a JSON
 * null value is "The supplied Item contains a null AttributeValue: <name> is null". A NULL or
 * JSON-null item is accepted (nothing to check). Does not check the 400 KB limit or keys.
 * Borrows item. */
int value_validate_item(const json_t *item, struct err *err);

/* value_validate_item with its ValidationExceptions bare, without VALUE_MSG_ENVELOPE (other errors
 * as they are). Real DynamoDB answers a bad value in GetItem's, BatchGetItem's and Query's request
 * bare and PutItem's, UpdateItem's and DeleteItem's in the envelope: nubo-db tier3 value-layer
 * test, captured 2026-10-09 in eu-west-2, us-east-1, eu-west-1 and us-west-2 ("current: PutItem,
 * UpdateItem and DeleteItem, inside the `1 validation error detected: ` envelope wherever the
 * value sits ...; GetItem, BatchGetItem and Query, bare"). Borrows item. */
int value_validate_item_bare(const json_t *item, struct err *err);

/* Only the wire-type (SerializationException) part of value_validate / value_validate_item, for
 * callers that must type-check every value of a request before validating any (DynamoDB
 * deserializes the whole request first). Borrows. */
int value_validate_wire(const json_t *av, struct err *err);
int value_validate_item_wire(const json_t *item, struct err *err);

/* Returns a new reference: the canonical copy of a validated AttributeValue (numbers in num_format
 * form, number sets' members too, binaries as canonical base64, BOOL given as "yes"/"1"/...
 * strings as JSON booleans, NULL always true, unknown members dropped), which is what is stored
 * and returned.
 * Set members keep their input order. Two values equal in DynamoDB's sense have equal canonical
 * JSON, except set order. NULL if av is not a valid AttributeValue (or out of memory). */
json_t *value_canonical(const json_t *av);
/* Canonical copy of a whole item, attributes in input order. New reference, NULL as above. */
json_t *value_canonical_item(const json_t *item);

/* Size in bytes of a value / of an item (sum of attribute name + value sizes), as DynamoDB counts
 * them for the 400 KB limit and for capacity units (UTF-8 lengths; numbers per num_size; binaries
 * decoded; L and M add 3 bytes plus 1 per element, M also its keys; NULL and BOOL count 1).
 * Verified against DynamoDB Local's limit (an item of exactly 409600 bytes is accepted).
 * Expects validated values (an invalid one counts 0). Borrows. */
size_t value_size(const json_t *av);
size_t value_item_size(const json_t *item);

/* Equality in DynamoDB's sense (numbers numerically, sets regardless of order, any NULL equals any
 * NULL). Borrows. */
int value_equal(const json_t *a, const json_t *b);

/* Orders two scalar values of the same type (S, N, B): <0, 0, >0. S by unsigned UTF-8 bytes, B by
 * decoded bytes, N numerically. Returns 0 for other or mismatched types. */
int value_compare(const json_t *a, const json_t *b);

/* Decodes base64 (standard alphabet, padding required, canonical only: the unused bits before
 * the padding must be zero, so "AR==" is refused) into a new malloc'd buffer ("" gives 0 bytes).
 * Returns 0 and sets *out and *len, or -1 if invalid (then *out is untouched). */
int value_base64_decode(const char *s, size_t slen, uint8_t **out, size_t *len);
/* Encodes bytes as standard base64 into a new malloc'd NUL-terminated string (NULL on OOM). */
char *value_base64_encode(const uint8_t *bytes, size_t len);

#endif
