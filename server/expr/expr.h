/* expr.h — the expression engine: ConditionExpression, FilterExpression, KeyConditionExpression,
 * UpdateExpression and ProjectionExpression (and the legacy parameters Expected, AttributeUpdates,
 * AttributesToGet, KeyConditions, QueryFilter/ScanFilter translated into the same AST), parsed and
 * resolved once per request, then evaluated, applied or projected any number of times with no
 * re-parsing. Every validation error carries DynamoDB's message word for word.
 * Pure: jansson, value.h and number.h only; no I/O, no globals; all state is per request.
 * Developer guide: "Using expressions in DynamoDB" and its sub-pages; API reference of UpdateItem,
 * Query, Scan; "Legacy conditional parameters". */
#ifndef DYNASTREAM_EXPR_H
#define DYNASTREAM_EXPR_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "errors.h"
#include "value.h"

/* Ownership in this interface follows jansson: "borrows" = the callee keeps no reference beyond
 * the call unless stated; "new reference" = the caller must json_decref it. A struct expr borrows
 * the json values of the request it was built from (ExpressionAttributeValues, legacy Value
 * members): free the expr before the request. */

enum expr_kind {
    EXPR_UPDATE = 0,       /* the order DynamoDB validates a request's expressions in */
    EXPR_CONDITION,
    EXPR_FILTER,
    EXPR_PROJECTION,
    EXPR_KEY_CONDITION,
    EXPR__KINDS
};

/* Wire name of a kind's request field: "UpdateExpression", "ConditionExpression", ... */
const char *expr_kind_field(enum expr_kind kind);

struct expr;          /* one parsed and resolved expression (opaque); free with expr_free */
struct expr_params;   /* a request's ExpressionAttributeNames/Values and which ones were used */

/* ================================================================ per-request parameters ===== */

/* Validates ExpressionAttributeNames and ExpressionAttributeValues (either may be NULL; both are
 * borrowed and must outlive *out and every expr parsed with it) in DynamoDB's order:
 *   "ExpressionAttributeNames must not be empty",
 *   "ExpressionAttributeNames contains invalid key: Syntax error; key: \"x\""
 *    (a key not of the form #[A-Za-z0-9_]+),
 *   "ExpressionAttributeNames contains invalid key: The expression attribute map contains a key
 *    that is too long; size of key: 301" (over 255 bytes),
 *   the same three for ExpressionAttributeValues (:[A-Za-z0-9_]+),
 *   "ExpressionAttributeNames contains invalid value: Empty attribute name for key #a",
 *   "ExpressionAttributeNames contains invalid value: Attribute name is too large, must be less
 *    than 65536 bytes for key #a",
 *   "ExpressionAttributeValues contains invalid value: <value_validate's message> for key :v".
 * Values are kept in canonical form (value_canonical) for evaluation and updates.
 * Returns 0 and a new context in *out, or -1 with err set (ValidationException, or
 * InternalServerError on allocation failure). */
int expr_params_new(const json_t *names, const json_t *values, struct expr_params **out,
                    struct err *err);
void expr_params_free(struct expr_params *params);   /* NULL-safe */

/* Parses, checks and resolves one expression of the given kind against params, marking the
 * placeholders it uses. Errors (ValidationException) are DynamoDB's, prefixed with
 * "Invalid <Field>: ", e.g.
 *   Invalid ConditionExpression: Syntax error; token: "=", near: "a = = b"
 *   Invalid UpdateExpression: The "SET" section can only be used once in an update expression;
 *   Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: status
 *   Invalid ConditionExpression: Expression size has exceeded the maximum allowed size;
 *    expression size: 4097   (over 4096 UTF-16 units)
 *   Invalid ConditionExpression: The expression can not be empty;
 * text need not be NUL-terminated; it is copied. Returns 0 and a new expr in *out, or -1. */
int expr_parse(enum expr_kind kind, const char *text, size_t len, struct expr_params *params,
               struct expr **out, struct err *err);
void expr_free(struct expr *e);                      /* NULL-safe */
enum expr_kind expr_get_kind(const struct expr *e);

/* After every expression of the request was parsed with params: the unused check,
 *   "Value provided in ExpressionAttributeNames unused in expressions: keys: {#a, #b}"
 *   "Value provided in ExpressionAttributeValues unused in expressions: keys: {:v}"
 * (names first; keys listed in the order DynamoDB prints them). Returns 0 or -1. */
int expr_params_check_unused(const struct expr_params *params, struct err *err);

/* ================================================================ request-level helpers ====== */

/* The operations (or request elements) that carry expressions; each fixes which expression and
 * legacy parameters exist and the order DynamoDB names them in. TRANSACT_* and BATCH_GET are the
 * per-item / per-table objects of TransactWriteItems, TransactGetItems and BatchGetItem. */
enum expr_op {
    EXPR_OP_GET_ITEM, EXPR_OP_PUT_ITEM, EXPR_OP_DELETE_ITEM, EXPR_OP_UPDATE_ITEM,
    EXPR_OP_QUERY, EXPR_OP_SCAN, EXPR_OP_BATCH_GET,
    EXPR_OP_TRANSACT_CONDITION_CHECK, EXPR_OP_TRANSACT_PUT, EXPR_OP_TRANSACT_DELETE,
    EXPR_OP_TRANSACT_UPDATE, EXPR_OP_TRANSACT_GET
};

/* The parameter-combination rules, checked first among the semantic checks (as dynalite's
 * validateExpressionParams):
 *   "Can not use both expression and non-expression parameters in the same request:
 *    Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}"
 *   "ExpressionAttributeNames can only be specified when using expressions"
 *   "ExpressionAttributeValues can only be specified when using expressions: UpdateExpression and
 *    ConditionExpression are null"
 * An empty expression string counts as absent for the mixing and the values rules, as present
 * for the names rule; an empty names/values map counts as absent here (DynamoDB Local, verified).
 * Then ConditionalOperator (PutItem, UpdateItem, DeleteItem, Query, Scan), which needs Expected or
 * the QueryFilter/ScanFilter with two or more conditions:
 *   "ConditionalOperator cannot be used without Filter or Expected" (absent or empty),
 *   "ConditionalOperator can only be used when Filter or Expected has two or more elements".
 * Borrows req (the request body, or the item/table object for the batch/transact ops). */
int expr_check_params(enum expr_op op, const json_t *req, struct err *err);

/* Every expression of one request, parsed and resolved (NULL where the request has none). */
struct expr_request {
    struct expr *kind[EXPR__KINDS];     /* indexed by enum expr_kind */
    struct expr_params *params;
};

/* DynamoDB's validateExpressions step for req: names/values maps (expr_params_new), each present
 * expression of op in DynamoDB's order (update, condition, filter, projection, key condition),
 * then the unused check. Expression fields that are not strings are ignored (reqspec rejects
 * them earlier). On success fills *out (free with expr_request_free); on failure *out is empty. */
int expr_request_parse(enum expr_op op, const json_t *req, struct expr_request *out,
                       struct err *err);
void expr_request_free(struct expr_request *r);      /* frees the members; NULL-safe */

/* The key attributes of the table or index an expression is used on (range may be NULL). */
struct expr_keys {
    const char *hash;
    const char *range;
};

/* ================================================================ conditions and filters ===== */

/* Evaluates a CONDITION or FILTER expression (or a legacy Expected/QueryFilter/ScanFilter one)
 * against an item (borrowed; NULL or an empty object when the item does not exist). Returns 1 if
 * it holds, 0 if not. Never fails: type mismatches make a comparison false, as in DynamoDB. */
int expr_eval(const struct expr *e, const json_t *item);

/* Where an expression refers to the top-level attribute name[len]: EXPR_MENTION_TOP when some
 * path is exactly that attribute, EXPR_MENTION_NESTED when some path goes inside it. For the
 * checks callers make against key attributes ("Filter Expression can only contain non-primary
 * key attributes", "Key attributes must be scalars"). */
#define EXPR_MENTION_TOP 1u
#define EXPR_MENTION_NESTED 2u
unsigned expr_mentions(const struct expr *e, const char *name, size_t len);

/* The check DynamoDB makes once the table is known (after the unused check) on condition, filter
 * and projection expressions: no path may go inside a key attribute, hash key checked first:
 *   "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed:
 *    Key: pk"
 * label is "Key" for the table's keys, "IndexKey" for an index's. Returns 0 or -1. */
int expr_check_key_paths(const struct expr *e, const struct expr_keys *keys, const char *label,
                         struct err *err);

/* ================================================================ updates ==================== */

/* Applies an UPDATE expression (or legacy AttributeUpdates) to a copy of item (borrowed, never
 * modified; NULL for an item that does not exist yet — pass the key attributes as the item if
 * the update may read them). All values are computed from the item as it was before the update;
 * list indexes refer to the original lists (REMOVE a[0], a[1] removes the first two elements;
 * SET beyond the end appends, in index order; REMOVE beyond the end does nothing).
 * Errors (ValidationException):
 *   "One or more parameter values were invalid: Cannot update attribute pk. This attribute is part
 *    of the key" (any action on a key attribute or inside it) — checked first;
 *   then per action its path, value and operand: "The document path provided in the update
 *   expression is invalid for update", "The provided expression refers to an attribute that does
 *   not exist in the item", "An operand in the update expression has an incorrect data type",
 *   num_add/num_sub's overflow and precision errors, legacy AttributeUpdates' "Type mismatch for
 *   attribute to update" — of several, the one DynamoDB reports (attribute by attribute in its
 *   HashMap order, the last failing one).
 * Nothing is changed unless every action succeeds.
 * Returns 0 and the new item (a new reference; an empty object if nothing remains) in *out. */
int expr_update_apply(const struct expr *e, const json_t *item, const struct expr_keys *keys,
                      json_t **out, struct err *err);

/* The first check of expr_update_apply on its own: no action may touch a key attribute ("... Cannot
 * update attribute pk. This attribute is part of the key"). Returns 0 or -1. */
int expr_update_check_keys(const struct expr *e, const struct expr_keys *keys, struct err *err);

/* 1 when the update has at least one action and every action only takes something away (REMOVE,
 * DELETE, AttributeUpdates DELETE with or without a Value), else 0. Such an update on an item
 * that does not exist creates nothing and succeeds, even REMOVE x.y or x[0] (real DynamoDB:
 * Alternator test_item.py test_update_item_non_existent and test_update_item_delete, and its
 * xfail "DynamoDB allows REMOVE x.y when item doesn't exist"; DynamoDB Local creates the item, or
 * refuses the nested path). An update with no action at all still creates the item (Alternator
 * test_empty_update, against DynamoDB). */
int expr_update_removes_only(const struct expr *e);

/* The size standalone UpdateItem charges an update against the 400 KB limit, besides the size of
 * the new item itself: the top-level attributes of new_item (borrowed) that the update names,
 * name and value bytes, each once, plus the action cost — 3 for the update, 19 per SET (20 when it
 * sets a list element) or ADD, 2 per REMOVE or DELETE. So the key and every attribute the update
 * leaves alone are left out, and with a short key the ceiling falls below 409,600: UpdateItem
 * refuses "Item size to update has exceeded the maximum allowed size" when
 * max(item size, charged size) > 409,600 (nubo-db tier3/limits/itemSizeBySurface, eu-west-2
 * 2026-08-18/19: one-byte key -> 409,581; an untouched attribute lifts it by its own size; a
 * second SET lowers it by 19, a REMOVE by 2). TransactWriteItems and PartiQL measure flat.
 * e may be NULL (cost 3). */
int64_t expr_update_charged_size(const struct expr *e, const json_t *new_item);

/* The part of item (borrowed, may be NULL) that an update touched, for ReturnValues UPDATED_OLD
 * (pass the old item) and UPDATED_NEW (pass the new one): item projected onto the paths of the
 * update's actions, so SET a.b = :v returns {"a": {"M": {"b": ...}}}, not all of a (real DynamoDB;
 * DynamoDB Local returns the whole top-level attribute). Returns a new reference (possibly an
 * empty object). */
json_t *expr_update_project(const struct expr *e, const json_t *item);

/* ================================================================ projections =============== */

/* Projects item (borrowed; NULL gives an empty object) onto a PROJECTION expression (or legacy
 * AttributesToGet): nested paths keep their structure, list elements are kept in index order
 * and compacted (a.c[3], a.c[1] gives a.c = [c1, c3]); paths that do not exist are left out.
 * Returns a new reference. */
json_t *expr_project(const struct expr *e, const json_t *item);

/* ================================================================ key conditions ============ */

enum expr_key_op {
    EXPR_KEY_NONE = 0,     /* no range condition */
    EXPR_KEY_EQ, EXPR_KEY_LT, EXPR_KEY_LE, EXPR_KEY_GT, EXPR_KEY_GE, EXPR_KEY_BETWEEN,
    EXPR_KEY_BEGINS_WITH
};

/* The key schema of the table or index queried (range_name NULL for a hash-only schema). */
struct expr_key_schema {
    const char *hash_name;
    enum av_type hash_type;
    const char *range_name;
    enum av_type range_type;
};

/* What a key condition selects. Values are borrowed from the expr (live as long as it). */
struct expr_key_cond {
    const json_t *hash_value;
    enum expr_key_op range_op;
    const json_t *range_value[2];   /* [1] only for BETWEEN */
};

/* Checks the shape of a KEY_CONDITION expression (or legacy KeyConditions) and matches it to the
 * schema, with DynamoDB's messages, e.g. "Invalid operator used in KeyConditionExpression: OR",
 * "KeyConditionExpressions must only contain one condition per key", "Query key condition not
 * supported", "Query condition missed key schema element: pk", "One or more parameter values were
 * invalid: Condition parameter type does not match schema type", "Conditions can be of length 1
 * or 2 only", "Key attributes must be scalars; list random access '[]' and map lookup '.' are not
 * allowed: Key: pk". Returns 0 and fills *out, or -1. */
int expr_key_condition(const struct expr *e, const struct expr_key_schema *schema,
                       struct expr_key_cond *out, struct err *err);

/* ================================================================ legacy parameters ========= */

/* Expected (+ ConditionalOperator, "AND" or "OR", NULL for AND) as a CONDITION expr, with the
 * validation messages of DynamoDB, e.g. "One or more parameter values were invalid: Value must be
 * provided when Exists is true for Attribute: a", "... Invalid number of argument(s) for the
 * BETWEEN ComparisonOperator". Borrows expected (must outlive *out). */
int expr_legacy_expected(const json_t *expected, const char *conditional_operator,
                         struct expr **out, struct err *err);

/* QueryFilter / ScanFilter / KeyConditions (a map of attribute -> {ComparisonOperator,
 * AttributeValueList}) as a FILTER (or KEY_CONDITION) expr, with validateConditions' messages.
 * kind is EXPR_FILTER or EXPR_KEY_CONDITION. Borrows conditions. */
int expr_legacy_conditions(enum expr_kind kind, const json_t *conditions,
                           const char *conditional_operator, struct expr **out, struct err *err);

/* AttributeUpdates (attribute -> {Action, Value}) as an UPDATE expr, with its messages ("Only
 * DELETE action is allowed when no attribute value is specified", ...). Borrows updates. */
int expr_legacy_attribute_updates(const json_t *updates, struct expr **out, struct err *err);

/* AttributesToGet (array of names) as a PROJECTION expr ("One or more parameter values were
 * invalid: Duplicate value in attribute name: a"). Borrows names. */
int expr_legacy_attributes_to_get(const json_t *names, struct expr **out, struct err *err);

/* Calls fn(arg, name, len) for the top-level attribute name of each path of a PROJECTION expr
 * (names.c), in textual order, until fn returns non-zero. Returns 1 if fn stopped it, else 0. */
int expr_projection_names(const struct expr *e, int (*fn)(void *arg, const char *name, size_t len),
                          void *arg);

#endif
