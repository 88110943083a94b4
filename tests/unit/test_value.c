/* test_value.c — unit tests of value.c: wire-type errors (SerializationException, dynalite's texts
 * for real DynamoDB), validation errors and their order (ValidationException: the order as
 * DynamoDB Local 2.x answers PutItem — each case below was sent to it — and the words and envelope
 * of real DynamoDB's current validation layer in nubo-db/dynamodb-conformance's 2026 captures and
 * tier3 tests), the bare form GetItem uses,
 * the canonical form, item size (measured on DynamoDB Local's 400 KB limit), equality, ordering,
 * and base64. */
#include <stdlib.h>

#include "test.h"
#include "value.h"

/* ---------------------------------------------------------------- helpers --------------------- */

static json_t *load(const char *text)
{
    json_error_t jerr;
    json_t *v = json_loads(text, JSON_DECODE_ANY, &jerr);
    if (v == NULL) {
        fprintf(stderr, "  test setup: bad JSON %s: %s\n", text, jerr.text);
        abort();
    }
    return v;
}

/* "OK", or "<ExceptionName>: <message>" for what value_validate (item == 0) or
 * value_validate_item (item == 1) reports on the JSON text. */
static const char *check_json(const char *text, int item)
{
    static char buf[4096];
    struct err err = ERR_INIT;
    json_t *v = load(text);
    int rc = item ? value_validate_item(v, &err) : value_validate(v, &err);

    if (rc == 0 && !err_isset(&err))
        snprintf(buf, sizeof buf, "OK");
    else if (rc != 0 && err_isset(&err))
        snprintf(buf, sizeof buf, "%s: %s", err_name(err.code), err.message ? err.message : "(null)");
    else
        snprintf(buf, sizeof buf, "rc %d but err %s", rc, err_isset(&err) ? "set" : "unset");
    err_clear(&err);
    json_decref(v);
    return buf;
}
#define VALIDATE(text) check_json(text, 0)
#define VALIDATE_ITEM(text) check_json(text, 1)

/* Compact JSON of value_canonical of the text ("NULL" if it returned NULL). */
static const char *canonical(const char *text)
{
    static char buf[4096];
    json_t *v = load(text), *c = value_canonical(v);
    char *s = c ? json_dumps(c, JSON_COMPACT) : NULL;
    snprintf(buf, sizeof buf, "%s", s ? s : "NULL");
    free(s);
    json_decref(c);
    json_decref(v);
    return buf;
}

static size_t size_json(const char *text, int item)
{
    json_t *v = load(text);
    size_t n = item ? value_item_size(v) : value_size(v);
    json_decref(v);
    return n;
}

static int equal_json(const char *a, const char *b)
{
    json_t *x = load(a), *y = load(b);
    int eq = value_equal(x, y);
    json_decref(x);
    json_decref(y);
    return eq;
}

static int compare_json(const char *a, const char *b)
{
    json_t *x = load(a), *y = load(b);
    int c = value_compare(x, y);
    json_decref(x);
    json_decref(y);
    return (c > 0) - (c < 0);
}

/* n levels of {"M":{"x": ...}} (kind 'M') or {"L":[...]} (kind 'L') around leaf. New string. */
static char *nest(int n, char kind, const char *leaf)
{
    size_t cap = strlen(leaf) + (size_t)n * 16 + 1, used = 0;
    char *s = malloc(cap);
    for (int k = 0; k < n; k++)
        used += (size_t)sprintf(s + used, kind == 'M' ? "{\"M\":{\"x\":" : "{\"L\":[");
    used += (size_t)sprintf(s + used, "%s", leaf);
    for (int k = 0; k < n; k++)
        used += (size_t)sprintf(s + used, kind == 'M' ? "}}" : "]}");
    return s;
}

/* VALIDATE / VALIDATE_ITEM on a nest()ed text, freeing it. */
static const char *check_nested(int n, char kind, const char *leaf, const char *item_fmt)
{
    char *inner = nest(n, kind, leaf), *text = inner;
    const char *r;
    if (item_fmt != NULL) {
        text = malloc(strlen(inner) + strlen(item_fmt) + 1);
        sprintf(text, item_fmt, inner);
    }
    r = check_json(text, item_fmt != NULL);
    if (text != inner)
        free(text);
    free(inner);
    return r;
}

/* every request-validation message now comes in this envelope (captures 2026-06 .. 2026-08) */
#define V "ValidationException: 1 validation error detected: "
#define SER "SerializationException: "
#define INVALID "One or more parameter values were invalid: "
#define NESTING V "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit"
#define EMPTY_AV V "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"
#define MULTIPLE V "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes"
#define NOT_A_NUMBER V "The parameter cannot be converted to a numeric value"
#define NULL_FALSE V INVALID "Null attribute value types must have the value of true"
#define NS_DUP V INVALID "Input collection contains duplicates."

/* ---------------------------------------------------------------- types ----------------------- */

TEST(value_type_names)
{
    ASSERT_EQ_STR(value_type_name(AV_SS), "SS");
    ASSERT_EQ_STR(value_type_name(AV_BOOL), "BOOL");
    ASSERT_EQ_STR(value_type_name(AV_INVALID), "");
    ASSERT_EQ_INT(value_type_from_name("NULL"), AV_NULL);
    ASSERT_EQ_INT(value_type_from_name("s"), AV_INVALID);
    ASSERT_EQ_INT(value_type_from_name(""), AV_INVALID);
    json_t *a = load("{\"N\":\"1\",\"Other\":5}"), *b = load("{\"S\":\"a\",\"N\":\"1\"}"), *c = load("{\"S\":null}");
    ASSERT_EQ_INT(value_type(a), AV_N);  /* unknown members are ignored, as DynamoDB does */
    ASSERT_EQ_INT(value_type(b), AV_INVALID);
    ASSERT_EQ_INT(value_type(c), AV_INVALID);
    json_decref(a);
    json_decref(b);
    json_decref(c);
}

/* ---------------------------------------------------------------- wire types ------------------ */

/* DynamoDB Local coerces or 500s on these; real DynamoDB's deserializer answers as dynalite does. */
TEST(value_wire_string_fields)
{
    ASSERT_EQ_STR(VALIDATE("{\"S\":5}"), SER "NUMBER_VALUE cannot be converted to String");
    ASSERT_EQ_STR(VALIDATE("{\"S\":5.5}"), SER "DECIMAL_VALUE cannot be converted to String");
    ASSERT_EQ_STR(VALIDATE("{\"S\":true}"), SER "TRUE_VALUE cannot be converted to String");
    ASSERT_EQ_STR(VALIDATE("{\"S\":false}"), SER "FALSE_VALUE cannot be converted to String");
    ASSERT_EQ_STR(VALIDATE("{\"S\":[]}"), SER "Unrecognized collection type class java.lang.String");
    ASSERT_EQ_STR(VALIDATE("{\"S\":{}}"), SER "Start of structure or map found where not expected");
    ASSERT_EQ_STR(VALIDATE("{\"N\":5}"), SER "NUMBER_VALUE cannot be converted to String");
    ASSERT_EQ_STR(VALIDATE("{\"SS\":[\"a\",1]}"), SER "NUMBER_VALUE cannot be converted to String");
    ASSERT_EQ_STR(VALIDATE("{\"NS\":[1]}"), SER "NUMBER_VALUE cannot be converted to String");
}

TEST(value_wire_binary_fields)
{
    ASSERT_EQ_STR(VALIDATE("{\"B\":\"not base64\"}"),
                  SER "Base64 encoded length is expected a multiple of 4 bytes but found: 10");
    ASSERT_EQ_STR(VALIDATE("{\"B\":\"AQ\"}"),
                  SER "Base64 encoded length is expected a multiple of 4 bytes but found: 2");
    ASSERT_EQ_STR(VALIDATE("{\"B\":\"AR==\"}"), SER "Invalid last non-pad Base64 character dectected");
    ASSERT_EQ_STR(VALIDATE("{\"B\":\"A===\"}"), SER "Invalid last non-pad Base64 character dectected");
    ASSERT_EQ_STR(VALIDATE("{\"B\":\"!!!!\"}"), SER "Invalid last non-pad Base64 character dectected");
    ASSERT_EQ_STR(VALIDATE("{\"B\":5}"), SER "only base-64-encoded strings are convertible to bytes");
    ASSERT_EQ_STR(VALIDATE("{\"B\":true}"), SER "only base-64-encoded strings are convertible to bytes");
    ASSERT_EQ_STR(VALIDATE("{\"B\":[]}"), SER "Unrecognized collection type class java.nio.ByteBuffer");
    ASSERT_EQ_STR(VALIDATE("{\"B\":{}}"), SER "Start of structure or map found where not expected");
    ASSERT_EQ_STR(VALIDATE("{\"BS\":[\"AQ==\",\"AQ\"]}"),
                  SER "Base64 encoded length is expected a multiple of 4 bytes but found: 2");
    /* lengths are Java's UTF-16 units: "é" is one unit */
    ASSERT_EQ_STR(VALIDATE("{\"B\":\"\\u00e9\"}"),
                  SER "Base64 encoded length is expected a multiple of 4 bytes but found: 1");
    ASSERT_EQ_STR(VALIDATE("{\"B\":\"AQ==\"}"), "OK");
    ASSERT_EQ_STR(VALIDATE("{\"B\":\"\"}"), "OK");
}

TEST(value_wire_boolean_fields)
{
    ASSERT_EQ_STR(VALIDATE("{\"BOOL\":\"x\"}"), SER "Unexpected token received from parser");
    ASSERT_EQ_STR(VALIDATE("{\"BOOL\":1}"), SER "NUMBER_VALUE cannot be converted to Boolean");
    ASSERT_EQ_STR(VALIDATE("{\"BOOL\":1.5}"), SER "DECIMAL_VALUE cannot be converted to Boolean");
    ASSERT_EQ_STR(VALIDATE("{\"BOOL\":[]}"), SER "Unrecognized collection type class java.lang.Boolean");
    ASSERT_EQ_STR(VALIDATE("{\"BOOL\":{}}"), SER "Start of structure or map found where not expected");
    ASSERT_EQ_STR(VALIDATE("{\"NULL\":\"maybe\"}"), SER "Unexpected token received from parser");
    /* the deserializer reads true/1/yes and false/0/no in any case */
    ASSERT_EQ_STR(VALIDATE("{\"BOOL\":\"true\"}"), "OK");
    ASSERT_EQ_STR(VALIDATE("{\"BOOL\":\"No\"}"), "OK");
    ASSERT_EQ_STR(VALIDATE("{\"NULL\":\"YES\"}"), "OK");
    ASSERT_EQ_STR(VALIDATE("{\"NULL\":\"0\"}"), NULL_FALSE);  /* read as false, then refused */
}

TEST(value_wire_collections)
{
    ASSERT_EQ_STR(VALIDATE("{\"SS\":\"a\"}"), SER "Unexpected field type");
    ASSERT_EQ_STR(VALIDATE("{\"NS\":5}"), SER "Unexpected field type");
    ASSERT_EQ_STR(VALIDATE("{\"SS\":{}}"), SER "Start of structure or map found where not expected");
    ASSERT_EQ_STR(VALIDATE("{\"L\":{}}"), SER "Start of structure or map found where not expected");
    ASSERT_EQ_STR(VALIDATE("{\"L\":true}"), SER "Unexpected field type");
    ASSERT_EQ_STR(VALIDATE("{\"L\":[\"x\"]}"), SER "Unexpected value type in payload");
    ASSERT_EQ_STR(VALIDATE("{\"L\":[[]]}"),
                  SER "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue");
    ASSERT_EQ_STR(VALIDATE("{\"M\":[]}"),
                  SER "Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>");
    ASSERT_EQ_STR(VALIDATE("{\"M\":\"x\"}"), SER "Unexpected field type");
    ASSERT_EQ_STR(VALIDATE("{\"M\":{\"a\":5}}"), SER "Unexpected value type in payload");
    ASSERT_EQ_STR(VALIDATE("\"x\""), SER "Unexpected value type in payload");
    ASSERT_EQ_STR(VALIDATE("5"), SER "Unexpected value type in payload");
    ASSERT_EQ_STR(VALIDATE("[]"),
                  SER "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue");
}

/* The whole value is deserialized before anything is validated. */
TEST(value_wire_checks_come_first)
{
    ASSERT_EQ_STR(VALIDATE("{\"L\":[{\"N\":\"x\"},{\"S\":5}]}"), SER "NUMBER_VALUE cannot be converted to String");
    ASSERT_EQ_STR(VALIDATE("{\"S\":\"a\",\"N\":\"1\",\"B\":1}"),
                  SER "only base-64-encoded strings are convertible to bytes");
    ASSERT_EQ_STR(VALIDATE_ITEM("{\"a\":{\"N\":\"x\"},\"b\":{\"M\":{\"c\":{\"BOOL\":[]}}}}"),
                  SER "Unrecognized collection type class java.lang.Boolean");
}

/* Type-conversion SerializationExceptions carry "Message" (capital M) in the body. */
TEST(value_wire_error_uses_capital_message)
{
    struct err err = ERR_INIT;
    json_t *v = load("{\"S\":5}");
    ASSERT_EQ_INT(value_validate(v, &err), -1);
    ASSERT_EQ_INT(err.code, ERR_SERIALIZATION);
    ASSERT_EQ_INT(err.capital_message, 1);
    err_clear(&err);
    json_decref(v);
    v = load("{}");
    ASSERT_EQ_INT(value_validate(v, &err), -1);
    ASSERT_EQ_INT(err.code, ERR_VALIDATION);
    ASSERT_EQ_INT(err.capital_message, 0);
    err_clear(&err);
    json_decref(v);
}

/* ---------------------------------------------------------------- validation ------------------ */

TEST(value_validate_shape)
{
    ASSERT_EQ_STR(VALIDATE("{}"), EMPTY_AV);
    ASSERT_EQ_STR(VALIDATE("{\"S\":null}"), EMPTY_AV);       /* null members count as absent */
    ASSERT_EQ_STR(VALIDATE("{\"FOO\":\"x\"}"), EMPTY_AV);    /* unknown members are ignored */
    ASSERT_EQ_STR(VALIDATE("{\"S\":\"a\",\"FOO\":\"x\"}"), "OK");
    ASSERT_EQ_STR(VALIDATE("{\"S\":\"a\",\"N\":null}"), "OK");
    ASSERT_EQ_STR(VALIDATE("{\"S\":\"a\",\"N\":\"1\"}"), MULTIPLE);
    ASSERT_EQ_STR(VALIDATE("{\"BOOL\":true,\"NULL\":true}"), MULTIPLE);
    ASSERT_EQ_STR(VALIDATE("null"), V "The supplied Item contains a null AttributeValue");
}

TEST(value_validate_empty_values_allowed)
{
    ASSERT_EQ_STR(VALIDATE("{\"S\":\"\"}"), "OK");
    ASSERT_EQ_STR(VALIDATE("{\"SS\":[\"\"]}"), "OK");
    ASSERT_EQ_STR(VALIDATE("{\"B\":\"\"}"), "OK");
    ASSERT_EQ_STR(VALIDATE("{\"BS\":[\"\"]}"), "OK");
    ASSERT_EQ_STR(VALIDATE("{\"M\":{}}"), "OK");
    ASSERT_EQ_STR(VALIDATE("{\"L\":[]}"), "OK");
    ASSERT_EQ_STR(VALIDATE("{\"NULL\":true}"), "OK");
    ASSERT_EQ_STR(VALIDATE("{\"BOOL\":false}"), "OK");
}

TEST(value_validate_numbers)
{
    ASSERT_EQ_STR(VALIDATE("{\"N\":\"abc\"}"), NOT_A_NUMBER ": abc");
    ASSERT_EQ_STR(VALIDATE("{\"N\":\"\"}"), NOT_A_NUMBER ": ");  /* 2026-08-12: NS [""] */
    ASSERT_EQ_STR(VALIDATE("{\"NS\":[\"\"]}"), NOT_A_NUMBER ": ");
    ASSERT_EQ_STR(VALIDATE("{\"N\":\"1e126\"}"),
                  V "Number overflow. Attempting to store a number with magnitude larger than supported range");
    ASSERT_EQ_STR(VALIDATE("{\"NS\":[\"1\",\"x\"]}"), NOT_A_NUMBER ": x");
    ASSERT_EQ_STR(VALIDATE("{\"NS\":[\"1e126\",\"1\"]}"),
                  V "Number overflow. Attempting to store a number with magnitude larger than supported range");
    ASSERT_EQ_STR(VALIDATE("{\"NS\":[null]}"), NOT_A_NUMBER);
    ASSERT_EQ_STR(VALIDATE("{\"L\":[{\"N\":\"x\"}]}"), NOT_A_NUMBER ": x");
}

TEST(value_validate_empty_sets)
{
    ASSERT_EQ_STR(VALIDATE("{\"SS\":[]}"), V INVALID "An string set  may not be empty");
    ASSERT_EQ_STR(VALIDATE("{\"NS\":[]}"), V INVALID "An number set  may not be empty");
    ASSERT_EQ_STR(VALIDATE("{\"BS\":[]}"), V INVALID "Binary sets should not be empty");
}

TEST(value_validate_duplicate_members)
{
    /* real DynamoDB 2026-08-12 (us-east-1): members JSON-quoted, a period at the end; BS members
     * as their base64 text joined without a space, and no space before "of type BS" */
    ASSERT_EQ_STR(VALIDATE("{\"SS\":[\"a\",\"a\"]}"), V INVALID "Input collection [\"a\", \"a\"] contains duplicates.");
    ASSERT_EQ_STR(VALIDATE("{\"SS\":[\"\",\"\"]}"), V INVALID "Input collection [\"\", \"\"] contains duplicates.");
    /* nubo-db tier3 value layer (2026-10-09, four regions, current layer): "lists them in byte
     * order up to the first repeat, then the repeat, then the rest as sent" - SS b, a, b is
     * ["a", "b", "b"] and BS /w==, AA==, AA== is ["AA==","/w==","AA=="] (decoded bytes, unsigned:
     * the base64 text would put "/w==" first) */
    ASSERT_EQ_STR(VALIDATE("{\"SS\":[\"b\",\"a\",\"b\"]}"),
                  V INVALID "Input collection [\"a\", \"b\", \"b\"] contains duplicates.");
    ASSERT_EQ_STR(VALIDATE("{\"BS\":[\"/w==\",\"AA==\",\"AA==\"]}"),
                  V INVALID "Input collection [\"AA==\",\"/w==\",\"AA==\"]of type BS contains duplicates.");
    /* the rest after the repeat stays as sent; the first repeat is the earliest one in the request */
    ASSERT_EQ_STR(VALIDATE("{\"SS\":[\"b\",\"a\",\"b\",\"a\"]}"),
                  V INVALID "Input collection [\"a\", \"b\", \"b\", \"a\"] contains duplicates.");
    ASSERT_EQ_STR(VALIDATE("{\"SS\":[\"d\",\"c\",\"a\",\"c\",\"b\",\"d\",\"a\"]}"),
                  V INVALID "Input collection [\"a\", \"c\", \"d\", \"c\", \"b\", \"d\", \"a\"] contains duplicates.");
    ASSERT_EQ_STR(VALIDATE("{\"SS\":[\"z\",\"y\",\"x\",\"x\"]}"),
                  V INVALID "Input collection [\"x\", \"y\", \"z\", \"x\"] contains duplicates.");
    /* UTF-8 bytes, unsigned: "\u00e9" (C3 A9) after "z", "Z" before "a" */
    ASSERT_EQ_STR(VALIDATE("{\"SS\":[\"\u00e9\",\"z\",\"Z\",\"a\",\"z\"]}"),
                  V INVALID "Input collection [\"Z\", \"a\", \"z\", \"\u00e9\", \"z\"] contains duplicates.");
    ASSERT_EQ_STR(VALIDATE("{\"SS\":[\"a,b\",\"a,b\"]}"), V INVALID "Input collection [\"a,b\", \"a,b\"] contains duplicates.");
    ASSERT_EQ_STR(VALIDATE("{\"SS\":[\"a\",\"A\"]}"), "OK");
    /* nubo-db tier3 value layer (2026-10-09): NS 2, 1, 2 -> `${INVALID}Input collection contains
     * duplicates.`, no members named */
    ASSERT_EQ_STR(VALIDATE("{\"NS\":[\"2\",\"1\",\"2\"]}"), NS_DUP);
    ASSERT_EQ_STR(VALIDATE("{\"NS\":[\"1\",\"1\"]}"), NS_DUP);
    ASSERT_EQ_STR(VALIDATE("{\"NS\":[\"1\",\"01\"]}"), NS_DUP);
    ASSERT_EQ_STR(VALIDATE("{\"NS\":[\"1\",\"1.0\",\"2\"]}"), NS_DUP);
    ASSERT_EQ_STR(VALIDATE("{\"NS\":[\"-0\",\"0\"]}"), NS_DUP);
    ASSERT_EQ_STR(VALIDATE("{\"BS\":[\"\",\"\"]}"),
                  V INVALID "Input collection [\"\",\"\"]of type BS contains duplicates.");
    ASSERT_EQ_STR(VALIDATE("{\"BS\":[\"AQ==\",\"AQ==\"]}"),
                  V INVALID "Input collection [\"AQ==\",\"AQ==\"]of type BS contains duplicates.");
    ASSERT_EQ_STR(VALIDATE("{\"BS\":[\"AQ==\",\"Ag==\",\"AQ==\"]}"),
                  V INVALID "Input collection [\"AQ==\",\"Ag==\",\"AQ==\"]of type BS contains duplicates.");
    ASSERT_EQ_STR(VALIDATE("{\"BS\":[\"Ag==\",\"AQ==\",\"\",\"Ag==\",\"/w==\"]}"),
                  V INVALID "Input collection [\"\",\"AQ==\",\"Ag==\",\"Ag==\",\"/w==\"]of type BS contains duplicates.");
    ASSERT_EQ_STR(VALIDATE("{\"BS\":[\"AQ==\",\"AQI=\"]}"), "OK");
}

/* NS members are parsed and compared in input order: the first problem wins. */
TEST(value_validate_number_set_order)
{
    ASSERT_EQ_STR(VALIDATE("{\"NS\":[\"1\",\"1\",\"x\"]}"), NS_DUP);
    ASSERT_EQ_STR(VALIDATE("{\"NS\":[\"x\",\"1\",\"1\"]}"), NOT_A_NUMBER ": x");
    ASSERT_EQ_STR(VALIDATE("{\"NS\":[\"1\",\"x\",\"1\"]}"), NOT_A_NUMBER ": x");
    ASSERT_EQ_STR(VALIDATE("{\"NS\":[\"1\",\"1\",null]}"), NS_DUP);
    ASSERT_EQ_STR(VALIDATE("{\"NS\":[null,null]}"), NOT_A_NUMBER);
}

TEST(value_validate_null_members)
{
    ASSERT_EQ_STR(VALIDATE("{\"SS\":[null]}"), V INVALID "An string set may not have a null string as a member");
    ASSERT_EQ_STR(VALIDATE("{\"SS\":[\"a\",null,\"b\"]}"),
                  V INVALID "An string set may not have a null string as a member");
    /* duplicates are found first, nulls included, printed as null and ordered first */
    ASSERT_EQ_STR(VALIDATE("{\"SS\":[\"a\",\"a\",null]}"), V INVALID "Input collection [\"a\", \"a\", null] contains duplicates.");
    ASSERT_EQ_STR(VALIDATE("{\"SS\":[null,null]}"), V INVALID "Input collection [null, null] contains duplicates.");
    ASSERT_EQ_STR(VALIDATE("{\"SS\":[\"b\",null,\"b\"]}"), V INVALID "Input collection [null, \"b\", \"b\"] contains duplicates.");
    ASSERT_EQ_STR(VALIDATE("{\"BS\":[\"AQ==\",null,null]}"),
                  V INVALID "Input collection [null,\"AQ==\",null]of type BS contains duplicates.");
    ASSERT_EQ_STR(VALIDATE("{\"L\":[null]}"), V "The supplied Item contains a null AttributeValue");
    ASSERT_EQ_STR(VALIDATE("{\"L\":[{\"N\":\"x\"},null]}"), NOT_A_NUMBER ": x");
    ASSERT_EQ_STR(VALIDATE("{\"M\":{\"b\":null}}"), V "The supplied Item contains a null AttributeValue: b is null");
    ASSERT_EQ_STR(VALIDATE("{\"M\":{\"\":null}}"), V "The supplied Item contains a null AttributeValue:  is null");
    ASSERT_EQ_STR(VALIDATE("{\"M\":{\"a\":{\"N\":\"x\"},\"b\":null}}"), NOT_A_NUMBER ": x");
    ASSERT_EQ_STR(VALIDATE("{\"M\":{\"b\":null,\"a\":{\"N\":\"x\"}}}"),
                  V "The supplied Item contains a null AttributeValue: b is null");
    /* DynamoDB Local answers a null BS member with a 500; ours is a validation error */
    ASSERT_EQ_STR(VALIDATE("{\"BS\":[null]}"), V "The supplied Item contains a null AttributeValue");
}

/* {"NULL": false} is refused again: eu-west-2 and eu-central-1 accepted it from 2026-06, "but by
 * the 2026-07-17 ground-truth sweep both had reverted and every region rejects again" (nubo-db
 * tier3/error-messages/putItem "rejects a { NULL: false } attribute value"; captures/README.md,
 * 2026-07-21-null-false-envelope: enveloped in six regions, eu-west-2 among them, bare in 27 as
 * the prefix rolls out - the enveloped, newest form is asserted). */
TEST(value_validate_null_false)
{
    ASSERT_EQ_STR(VALIDATE("{\"NULL\":false}"), NULL_FALSE);
    ASSERT_EQ_STR(VALIDATE("{\"NULL\":\"no\"}"), NULL_FALSE);
    ASSERT_EQ_STR(VALIDATE("{\"NULL\":true}"), "OK");
    ASSERT_EQ_STR(VALIDATE("{\"L\":[{\"NULL\":false}]}"), NULL_FALSE);
    ASSERT_EQ_STR(VALIDATE_ITEM("{\"a\":{\"S\":\"x\"},\"b\":{\"NULL\":false}}"), NULL_FALSE);
    ASSERT_EQ_STR(canonical("{\"NULL\":\"1\"}"), "{\"NULL\":true}");
}

TEST(value_validate_nested)
{
    ASSERT_EQ_STR(VALIDATE("{\"M\":{\"a\":{}}}"), EMPTY_AV);
    ASSERT_EQ_STR(VALIDATE("{\"M\":{\"a\":{\"S\":\"x\",\"N\":\"1\"}}}"), MULTIPLE);
    ASSERT_EQ_STR(VALIDATE("{\"L\":[{\"S\":\"ok\"},{\"SS\":[]}]}"), V INVALID "An string set  may not be empty");
    ASSERT_EQ_STR(VALIDATE("{\"L\":[{},{\"N\":\"x\"}]}"), EMPTY_AV);
    ASSERT_EQ_STR(VALIDATE("{\"M\":{\"b\":{},\"a\":{\"N\":\"x\"}}}"), EMPTY_AV);  /* document order */
    ASSERT_EQ_STR(VALIDATE("{\"M\":{\"a\":{\"L\":[{\"M\":{\"b\":{\"NULL\":false}}}]}}}"), NULL_FALSE);
    ASSERT_EQ_STR(VALIDATE("{\"M\":{\"a\":{\"L\":[{\"M\":{\"b\":{\"NULL\":true}}}]}}}"), "OK");
}

/* Within one value DynamoDB Local checks SS, N, NS, BS, M, L, NULL in that order, whatever the
 * member order, and "more than one datatypes" last. */
TEST(value_validate_type_check_order)
{
    ASSERT_EQ_STR(VALIDATE("{\"N\":\"x\",\"SS\":[]}"), V INVALID "An string set  may not be empty");
    ASSERT_EQ_STR(VALIDATE("{\"SS\":[],\"N\":\"x\"}"), V INVALID "An string set  may not be empty");
    ASSERT_EQ_STR(VALIDATE("{\"N\":\"x\",\"SS\":[\"a\",\"a\"]}"), V INVALID "Input collection [\"a\", \"a\"] contains duplicates.");
    ASSERT_EQ_STR(VALIDATE("{\"NS\":[],\"N\":\"x\"}"), NOT_A_NUMBER ": x");
    ASSERT_EQ_STR(VALIDATE("{\"BS\":[],\"NS\":[]}"), V INVALID "An number set  may not be empty");
    ASSERT_EQ_STR(VALIDATE("{\"M\":{\"a\":{}},\"BS\":[]}"), V INVALID "Binary sets should not be empty");
    ASSERT_EQ_STR(VALIDATE("{\"L\":[{}],\"M\":{\"a\":{\"N\":\"x\"}}}"), NOT_A_NUMBER ": x");
    ASSERT_EQ_STR(VALIDATE("{\"NULL\":false,\"L\":[{}]}"), EMPTY_AV);
    ASSERT_EQ_STR(VALIDATE("{\"NULL\":false,\"S\":\"a\"}"), NULL_FALSE);  /* NULL before "more than one" */
    ASSERT_EQ_STR(VALIDATE("{\"S\":\"a\",\"N\":\"abc\"}"), NOT_A_NUMBER ": abc");
    ASSERT_EQ_STR(VALIDATE("{\"BOOL\":true,\"NULL\":false}"), NULL_FALSE);
    ASSERT_EQ_STR(VALIDATE("{\"BOOL\":true,\"NULL\":true}"), MULTIPLE);
}

/* DynamoDB Local: 31 maps or lists nested in a top-level attribute pass, a 32nd fails (the item
 * counts as the first of the 32 levels); the check is in the M/L step of a value's checks. */
TEST(value_validate_nesting_depth)
{
    ASSERT_EQ_STR(check_nested(31, 'M', "{\"S\":\"leaf\"}", NULL), "OK");
    ASSERT_EQ_STR(check_nested(31, 'L', "{\"S\":\"leaf\"}", NULL), "OK");
    ASSERT_EQ_STR(check_nested(32, 'M', "{\"S\":\"leaf\"}", NULL), NESTING);
    ASSERT_EQ_STR(check_nested(32, 'L', "{\"S\":\"leaf\"}", NULL), NESTING);
    ASSERT_EQ_STR(check_nested(30, 'M', "{\"M\":{}}", NULL), "OK");
    ASSERT_EQ_STR(check_nested(30, 'L', "{\"L\":[]}", NULL), "OK");
    ASSERT_EQ_STR(check_nested(31, 'M', "{\"M\":{}}", NULL), NESTING);
    ASSERT_EQ_STR(check_nested(31, 'L', "{\"L\":[]}", NULL), NESTING);
    ASSERT_EQ_STR(check_nested(40, 'M', "{\"N\":\"x\"}", NULL), NESTING);
    /* at the 32nd level: SS and N are checked before M, "more than one" after */
    ASSERT_EQ_STR(check_nested(31, 'M', "{\"M\":{},\"S\":\"x\"}", NULL), NESTING);
    ASSERT_EQ_STR(check_nested(31, 'M', "{\"M\":{},\"SS\":[]}", NULL), V INVALID "An string set  may not be empty");
    ASSERT_EQ_STR(check_nested(31, 'M', "{\"M\":{},\"N\":\"x\"}", NULL), NOT_A_NUMBER ": x");
    /* in an item, attributes are checked in document order */
    ASSERT_EQ_STR(check_nested(33, 'M', "{\"S\":\"x\"}", "{\"a\":{\"N\":\"x\"},\"v\":%s}"), NOT_A_NUMBER ": x");
    ASSERT_EQ_STR(check_nested(33, 'M', "{\"S\":\"x\"}", "{\"v\":%s,\"a\":{\"N\":\"x\"}}"), NESTING);
    ASSERT_EQ_STR(check_nested(33, 'M', "{\"S\":\"x\"}", "{\"a\":{},\"v\":%s}"), EMPTY_AV);
    ASSERT_EQ_STR(check_nested(31, 'M', "{\"S\":\"x\"}", "{\"v\":%s}"), "OK");
    ASSERT_EQ_STR(check_nested(32, 'M', "{\"S\":\"x\"}", "{\"v\":%s}"), NESTING);
}

TEST(value_validate_item_names)
{
    ASSERT_EQ_STR(VALIDATE_ITEM("{\"k\":{\"S\":\"a\"},\"\":{\"S\":\"x\"}}"), V "Empty attribute name");
    ASSERT_EQ_STR(VALIDATE("{\"M\":{\"\":{\"S\":\"x\"}}}"), V "Empty attribute name");
    /* per entry, the value is checked before its name */
    ASSERT_EQ_STR(VALIDATE_ITEM("{\"\":{\"N\":\"x\"}}"), NOT_A_NUMBER ": x");
    ASSERT_EQ_STR(VALIDATE("{\"M\":{\"\":{\"N\":\"x\"}}}"), NOT_A_NUMBER ": x");
    ASSERT_EQ_STR(VALIDATE_ITEM("{\"\":{\"S\":\"x\"},\"z\":{\"N\":\"x\"}}"), V "Empty attribute name");
    ASSERT_EQ_STR(VALIDATE_ITEM("{\"z\":{\"N\":\"x\"},\"\":{\"S\":\"x\"}}"), NOT_A_NUMBER ": x");
}

TEST(value_validate_item_null_values)
{
    ASSERT_EQ_STR(VALIDATE_ITEM("{\"k\":{\"S\":\"a\"},\"v\":null}"),
                  V "The supplied Item contains a null AttributeValue: v is null");
    ASSERT_EQ_STR(VALIDATE_ITEM("{\"a\":{\"N\":\"x\"},\"b\":null}"), NOT_A_NUMBER ": x");
    ASSERT_EQ_STR(VALIDATE_ITEM("{\"b\":null,\"a\":{\"N\":\"x\"}}"),
                  V "The supplied Item contains a null AttributeValue: b is null");
    ASSERT_EQ_STR(VALIDATE_ITEM("{\"\":null}"), V "The supplied Item contains a null AttributeValue:  is null");
}

TEST(value_validate_item_shape)
{
    ASSERT_EQ_STR(VALIDATE_ITEM("{}"), "OK");
    ASSERT_EQ_STR(VALIDATE_ITEM("{\"k\":{\"S\":\"a\"},\"n\":{\"NS\":[\"1\",\"2\"]}}"), "OK");
    ASSERT_EQ_STR(VALIDATE_ITEM("[]"),
                  SER "Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>");
    ASSERT_EQ_STR(VALIDATE_ITEM("\"x\""), SER "Unexpected field type");
    ASSERT_EQ_STR(VALIDATE_ITEM("{\"k\":{\"S\":\"a\"},\"n\":{\"NS\":[\"1\",\"01\"]}}"), NS_DUP);
}

/* ---------------------------------------------------------------- canonical form -------------- */

TEST(value_canonical_forms)
{
    ASSERT_EQ_STR(canonical("{\"N\":\"00012.3400\"}"), "{\"N\":\"12.34\"}");
    ASSERT_EQ_STR(canonical("{\"N\":\"-0\"}"), "{\"N\":\"0\"}");
    ASSERT_EQ_STR(canonical("{\"NS\":[\"1.50\",\"-0\",\"1e2\"]}"), "{\"NS\":[\"1.5\",\"0\",\"100\"]}");
    ASSERT_EQ_STR(canonical("{\"SS\":[\"b\",\"a\"]}"), "{\"SS\":[\"b\",\"a\"]}");  /* input order */
    ASSERT_EQ_STR(canonical("{\"B\":\"AQID\"}"), "{\"B\":\"AQID\"}");
    ASSERT_EQ_STR(canonical("{\"BS\":[\"Ag==\",\"AQ==\"]}"), "{\"BS\":[\"Ag==\",\"AQ==\"]}");
    ASSERT_EQ_STR(canonical("{\"S\":\"x\",\"Other\":1}"), "{\"S\":\"x\"}");
    ASSERT_EQ_STR(canonical("{\"BOOL\":\"yes\"}"), "{\"BOOL\":true}");
    ASSERT_EQ_STR(canonical("{\"BOOL\":false}"), "{\"BOOL\":false}");
    ASSERT_EQ_STR(canonical("{\"NULL\":\"1\"}"), "{\"NULL\":true}");
    ASSERT_EQ_STR(canonical("{\"M\":{\"z\":{\"N\":\"1.0\"},\"a\":{\"L\":[{\"N\":\"+5\"},{\"S\":\"s\"}]}}}"),
                  "{\"M\":{\"z\":{\"N\":\"1\"},\"a\":{\"L\":[{\"N\":\"5\"},{\"S\":\"s\"}]}}}");
    ASSERT_EQ_STR(canonical("{}"), "NULL");
    ASSERT_EQ_STR(canonical("{\"S\":\"a\",\"N\":\"1\"}"), "NULL");
}

TEST(value_canonical_item_copies)
{
    json_t *item = load("{\"k\":{\"S\":\"a\"},\"n\":{\"N\":\"1e2\"}}"), *c = value_canonical_item(item);
    char *s = json_dumps(c, JSON_COMPACT);
    ASSERT_EQ_STR(s, "{\"k\":{\"S\":\"a\"},\"n\":{\"N\":\"100\"}}");
    /* a copy, not a view: changing it leaves the input alone */
    json_object_set_new(json_object_get(c, "k"), "S", json_string("changed"));
    ASSERT_EQ_STR(json_string_value(json_object_get(json_object_get(item, "k"), "S")), "a");
    free(s);
    json_decref(c);
    json_decref(item);
}

/* ---------------------------------------------------------------- size ------------------------ */

/* Each measured on DynamoDB Local against the 400 KB item limit. */
TEST(value_size_matches_dynamodb)
{
    ASSERT_EQ_INT(size_json("{\"S\":\"\\u00e9\"}", 0), 2);       /* UTF-8 bytes */
    ASSERT_EQ_INT(size_json("{\"S\":\"\\u20ac\"}", 0), 3);
    ASSERT_EQ_INT(size_json("{\"S\":\"\\ud83d\\ude00\"}", 0), 4);
    ASSERT_EQ_INT(size_json("{\"N\":\"-0.012\"}", 0), 4);
    ASSERT_EQ_INT(size_json("{\"B\":\"AQID\"}", 0), 3);           /* decoded bytes */
    ASSERT_EQ_INT(size_json("{\"B\":\"\"}", 0), 0);
    ASSERT_EQ_INT(size_json("{\"B\":\"AQ==\"}", 0), 1);
    ASSERT_EQ_INT(size_json("{\"B\":\"AQI=\"}", 0), 2);
    ASSERT_EQ_INT(size_json("{\"NULL\":true}", 0), 1);
    ASSERT_EQ_INT(size_json("{\"BOOL\":false}", 0), 1);
    ASSERT_EQ_INT(size_json("{\"L\":[]}", 0), 3);
    ASSERT_EQ_INT(size_json("{\"L\":[{\"S\":\"a\"}]}", 0), 5);
    ASSERT_EQ_INT(size_json("{\"L\":[{\"S\":\"a\"},{\"N\":\"1\"}]}", 0), 8);
    ASSERT_EQ_INT(size_json("{\"M\":{}}", 0), 3);
    ASSERT_EQ_INT(size_json("{\"M\":{\"ab\":{\"S\":\"c\"}}}", 0), 7);
    ASSERT_EQ_INT(size_json("{\"M\":{\"a\":{\"S\":\"b\"},\"c\":{\"NULL\":true}}}", 0), 9);
    ASSERT_EQ_INT(size_json("{\"SS\":[\"a\",\"bc\"]}", 0), 3);
    ASSERT_EQ_INT(size_json("{\"NS\":[\"1\",\"12\",\"-1\"]}", 0), 7);
    ASSERT_EQ_INT(size_json("{\"BS\":[\"AQ==\",\"AQID\"]}", 0), 4);
    ASSERT_EQ_INT(size_json("{\"L\":[{\"L\":[]}]}", 0), 7);
    ASSERT_EQ_INT(size_json("{\"M\":{\"a\":{\"M\":{}}}}", 0), 8);
}

TEST(value_item_size_counts_names)
{
    ASSERT_EQ_INT(size_json("{\"k\":{\"S\":\"a\"},\"n\":{\"N\":\"1\"}}", 1), 5);
    ASSERT_EQ_INT(size_json("{\"\\u00e9\":{\"S\":\"a\"}}", 1), 3);  /* name in UTF-8 bytes */
    ASSERT_EQ_INT(size_json("{}", 1), 0);
    /* DynamoDB Local's limit: {"k": "a", "s": 409597 x 'x'} is exactly 409600 bytes and accepted */
    char *big = malloc(409597 + 64);
    strcpy(big, "{\"k\":{\"S\":\"a\"},\"s\":{\"S\":\"");
    size_t used = strlen(big);
    memset(big + used, 'x', 409597);
    strcpy(big + used + 409597, "\"}}");
    ASSERT_EQ_INT(size_json(big, 1), 409600);
    free(big);
}

/* ---------------------------------------------------------------- equality and order ---------- */

TEST(value_equal_semantics)
{
    ASSERT(equal_json("{\"N\":\"1\"}", "{\"N\":\"1.0\"}"));
    ASSERT(!equal_json("{\"N\":\"1\"}", "{\"N\":\"2\"}"));
    ASSERT(!equal_json("{\"N\":\"1\"}", "{\"S\":\"1\"}"));
    ASSERT(equal_json("{\"S\":\"a\"}", "{\"S\":\"a\"}"));
    ASSERT(!equal_json("{\"S\":\"a\"}", "{\"S\":\"a \"}"));
    ASSERT(equal_json("{\"B\":\"AQ==\"}", "{\"B\":\"AQ==\"}"));
    ASSERT(equal_json("{\"SS\":[\"a\",\"b\"]}", "{\"SS\":[\"b\",\"a\"]}"));
    ASSERT(!equal_json("{\"SS\":[\"a\",\"b\"]}", "{\"SS\":[\"a\",\"c\"]}"));
    ASSERT(!equal_json("{\"SS\":[\"a\",\"b\"]}", "{\"SS\":[\"a\"]}"));
    ASSERT(equal_json("{\"NS\":[\"1\",\"2\"]}", "{\"NS\":[\"2.0\",\"01\"]}"));
    ASSERT(!equal_json("{\"NS\":[\"1\",\"2\"]}", "{\"NS\":[\"1\",\"3\"]}"));
    ASSERT(equal_json("{\"BS\":[\"AQ==\",\"Ag==\"]}", "{\"BS\":[\"Ag==\",\"AQ==\"]}"));
    ASSERT(!equal_json("{\"BS\":[\"AQ==\",\"Ag==\"]}", "{\"BS\":[\"AQ==\",\"Aw==\"]}"));
    ASSERT(equal_json("{\"M\":{\"a\":{\"N\":\"1\"},\"b\":{\"S\":\"x\"}}}",
                      "{\"M\":{\"b\":{\"S\":\"x\"},\"a\":{\"N\":\"1.0\"}}}"));
    ASSERT(!equal_json("{\"M\":{\"a\":{\"N\":\"1\"}}}", "{\"M\":{\"b\":{\"N\":\"1\"}}}"));
    ASSERT(!equal_json("{\"M\":{\"a\":{\"N\":\"1\"}}}", "{\"M\":{\"a\":{\"N\":\"1\"},\"b\":{\"N\":\"1\"}}}"));
    ASSERT(equal_json("{\"L\":[{\"N\":\"1\"},{\"S\":\"x\"}]}", "{\"L\":[{\"N\":\"1.0\"},{\"S\":\"x\"}]}"));
    ASSERT(!equal_json("{\"L\":[{\"N\":\"1\"},{\"N\":\"2\"}]}", "{\"L\":[{\"N\":\"2\"},{\"N\":\"1\"}]}"));
    ASSERT(!equal_json("{\"L\":[]}", "{\"M\":{}}"));
    ASSERT(equal_json("{\"BOOL\":true}", "{\"BOOL\":\"yes\"}"));
    ASSERT(!equal_json("{\"BOOL\":true}", "{\"BOOL\":false}"));
    ASSERT(equal_json("{\"NULL\":true}", "{\"NULL\":true}"));
    ASSERT(!equal_json("{}", "{}"));
}

TEST(value_compare_orders)
{
    ASSERT_EQ_INT(compare_json("{\"S\":\"a\"}", "{\"S\":\"b\"}"), -1);
    ASSERT_EQ_INT(compare_json("{\"S\":\"Z\"}", "{\"S\":\"a\"}"), -1);
    ASSERT_EQ_INT(compare_json("{\"S\":\"a\"}", "{\"S\":\"aa\"}"), -1);
    ASSERT_EQ_INT(compare_json("{\"S\":\"a\"}", "{\"S\":\"a\"}"), 0);
    ASSERT_EQ_INT(compare_json("{\"S\":\"\"}", "{\"S\":\"a\"}"), -1);
    /* unsigned UTF-8 bytes: U+FFFF (EF BF BF) sorts before U+1F600 (F0 ..), unlike UTF-16 */
    ASSERT_EQ_INT(compare_json("{\"S\":\"\\uffff\"}", "{\"S\":\"\\ud83d\\ude00\"}"), -1);
    ASSERT_EQ_INT(compare_json("{\"S\":\"\\u00e9\"}", "{\"S\":\"z\"}"), 1);
    ASSERT_EQ_INT(compare_json("{\"N\":\"-1\"}", "{\"N\":\"0.5\"}"), -1);
    ASSERT_EQ_INT(compare_json("{\"N\":\"10\"}", "{\"N\":\"9\"}"), 1);
    ASSERT_EQ_INT(compare_json("{\"N\":\"1.0\"}", "{\"N\":\"1\"}"), 0);
    /* B by decoded bytes: 0xFF ("/w==") after 0x00 ("AA=="), though '/' < 'A' in the text */
    ASSERT_EQ_INT(compare_json("{\"B\":\"/w==\"}", "{\"B\":\"AA==\"}"), 1);
    ASSERT_EQ_INT(compare_json("{\"B\":\"AA==\"}", "{\"B\":\"AAA=\"}"), -1);
    ASSERT_EQ_INT(compare_json("{\"B\":\"\"}", "{\"B\":\"AA==\"}"), -1);
    /* other types and mixed types: 0 */
    ASSERT_EQ_INT(compare_json("{\"S\":\"a\"}", "{\"N\":\"1\"}"), 0);
    ASSERT_EQ_INT(compare_json("{\"BOOL\":true}", "{\"BOOL\":false}"), 0);
}

/* ---------------------------------------------------------------- base64 ---------------------- */

TEST(value_base64_round_trip)
{
    static const char *const enc[] = {"", "AA==", "AAE=", "AAEC", "AAECAw==", "/+8=", "////"};
    static const size_t lens[] = {0, 1, 2, 3, 4, 2, 3};
    for (size_t k = 0; k < sizeof enc / sizeof enc[0]; k++) {
        uint8_t *bytes = NULL;
        size_t n = 99;
        ASSERT_EQ_INT(value_base64_decode(enc[k], strlen(enc[k]), &bytes, &n), 0);
        ASSERT_EQ_INT(n, lens[k]);
        char *back = value_base64_encode(bytes, n);
        ASSERT_EQ_STR(back, enc[k]);
        free(back);
        free(bytes);
    }
    uint8_t raw[] = {0xfb, 0xff, 0x00};
    char *s = value_base64_encode(raw, 3);
    ASSERT_EQ_STR(s, "+/8A");
    free(s);
}

TEST(value_base64_rejects)
{
    static const char *const bad[] = {"A", "AB", "ABC", "AB=C", "A===", "====", "AR==", "AQI>",
                                      "AQ=A", "A\xc3\xa9=", "AQ==AQ==", "AB\nC"};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        uint8_t *bytes = NULL;
        size_t n;
        if (value_base64_decode(bad[k], strlen(bad[k]), &bytes, &n) != -1)
            TEST_FAIL_("accepted %s", bad[k]);
        ASSERT(bytes == NULL);
    }
}

/* The wire-only entry points report SerializationExceptions and nothing else. */
TEST(value_validate_wire_only)
{
    struct err err = ERR_INIT;
    json_t *bad_value = load("{\"N\":\"x\",\"SS\":[]}"), *bad_wire = load("{\"L\":[{\"S\":1}]}");
    json_t *item = load("{\"a\":{\"N\":\"x\"},\"\":{}}"), *bad_item = load("{\"a\":{\"B\":\"AQ\"}}");
    ASSERT_EQ_INT(value_validate_wire(bad_value, &err), 0);
    ASSERT_EQ_INT(value_validate_item_wire(item, &err), 0);
    ASSERT(!err_isset(&err));
    ASSERT_EQ_INT(value_validate_wire(bad_wire, &err), -1);
    ASSERT_EQ_STR(err.message, "NUMBER_VALUE cannot be converted to String");
    err_clear(&err);
    ASSERT_EQ_INT(value_validate_item_wire(bad_item, &err), -1);
    ASSERT_EQ_INT(err.code, ERR_SERIALIZATION);
    ASSERT_EQ_STR(err.message, "Base64 encoded length is expected a multiple of 4 bytes but found: 2");
    err_clear(&err);
    json_decref(bad_value);
    json_decref(bad_wire);
    json_decref(item);
    json_decref(bad_item);
}

/* Error text of value_validate_item_bare ("OK" when it passes). */
static const char *check_bare(const char *text)
{
    static char buf[4096];
    struct err err = ERR_INIT;
    json_t *v = load(text);
    if (value_validate_item_bare(v, &err) == 0)
        snprintf(buf, sizeof buf, "OK");
    else
        snprintf(buf, sizeof buf, "%s%s: %s", err.capital_message ? "(Message) " : "",
                 err_name(err.code), err.message ? err.message : "(null)");
    err_clear(&err);
    json_decref(v);
    return buf;
}

/* GetItem's Key values are answered bare: nubo-db tier3 value layer, captured 2026-10-09 in four
 * regions - "GetItem, BatchGetItem and Query refuse a malformed number bare, in the current
 * wording" (CURRENT, not CURRENT.map(one)), and the same for a duplicate set member (DUPE_CURRENT).
 * Serialization errors keep their form; an error already set is kept. */
TEST(value_validate_item_bare_drops_the_envelope)
{
    struct err err = ERR_INIT;
    json_t *v;

    ASSERT_EQ_STR(check_bare("{\"pk\":{\"S\":\"a\"}}"), "OK");
    ASSERT_EQ_STR(check_bare("null"), "OK");
    ASSERT_EQ_STR(check_bare("{\"pk\":{\"N\":\"abc\"}}"),
                  "ValidationException: The parameter cannot be converted to a numeric value: abc");
    ASSERT_EQ_STR(check_bare("{\"pk\":{\"N\":\"\"}}"),
                  "ValidationException: The parameter cannot be converted to a numeric value: ");
    ASSERT_EQ_STR(check_bare("{\"pk\":{\"N\":\"1e126\"}}"),
                  "ValidationException: Number overflow. Attempting to store a number with magnitude "
                  "larger than supported range");
    ASSERT_EQ_STR(check_bare("{\"pk\":{\"N\":\"1e2147483647\"}}"),
                  "ValidationException: Number overflow. Attempting to store a number with magnitude "
                  "larger than supported range");
    ASSERT_EQ_STR(check_bare("{\"pk\":{\"SS\":[\"b\",\"a\",\"b\"]}}"),
                  "ValidationException: " INVALID "Input collection [\"a\", \"b\", \"b\"] contains duplicates.");
    ASSERT_EQ_STR(check_bare("{\"pk\":{\"BS\":[\"/w==\",\"AA==\",\"AA==\"]}}"),
                  "ValidationException: " INVALID "Input collection [\"AA==\",\"/w==\",\"AA==\"]of type BS contains duplicates.");
    ASSERT_EQ_STR(check_bare("{\"pk\":{\"NS\":[\"2\",\"1\",\"2\"]}}"),
                  "ValidationException: " INVALID "Input collection contains duplicates.");
    ASSERT_EQ_STR(check_bare("{\"pk\":{\"NULL\":false}}"),
                  "ValidationException: " INVALID "Null attribute value types must have the value of true");
    ASSERT_EQ_STR(check_bare("{\"pk\":null}"),
                  "ValidationException: The supplied Item contains a null AttributeValue: pk is null");
    ASSERT_EQ_STR(check_bare("{\"pk\":{\"S\":5}}"),
                  "(Message) SerializationException: NUMBER_VALUE cannot be converted to String");

    v = load("{\"pk\":{\"N\":\"x\"}}");
    err_set(&err, ERR_VALIDATION, "first");
    ASSERT(value_validate_item_bare(v, &err) < 0);
    ASSERT_EQ_STR(err.message, "first");
    err_clear(&err);
    json_decref(v);
}

/* Callers that re-word a value error (ExclusiveStartKey, ExpressionAttributeValues) strip the
 * request-validation envelope with value_error_text. */
TEST(value_error_text_strips_the_envelope)
{
    struct err err = ERR_INIT;
    json_t *v = load("{\"SS\":[]}");
    ASSERT(value_validate(v, &err) < 0);
    ASSERT_EQ_STR(value_error_text(err.message), INVALID "An string set  may not be empty");
    ASSERT_EQ_STR(value_error_text("no envelope"), "no envelope");
    ASSERT_EQ_STR(value_error_text(NULL), "");
    err_clear(&err);
    json_decref(v);
}
