/* test_expr_legacy.c — unit tests of the legacy parameters (legacy.c): Expected with
 * Exists/Value/ComparisonOperator and ConditionalOperator, QueryFilter/ScanFilter and
 * KeyConditions, AttributeUpdates, AttributesToGet — their validation messages (DynamoDB Local's
 * words, each sent to it) and their semantics through the same evaluator, update and projection
 * as expressions. */
#include <stdlib.h>
#include <string.h>

#include "expr/expr.h"
#include "test.h"
#include "test_expr_util.h"

static const char *expected_error(const char *expected)
{
    static char buf[1024];
    struct err err = ERR_INIT;
    struct expr *e = NULL;
    json_t *j = tx_load(expected);
    if (expr_legacy_expected(j, NULL, &e, &err) == 0)
        snprintf(buf, sizeof buf, "OK");
    else
        snprintf(buf, sizeof buf, "%s", err.message ? err.message : "");
    expr_free(e);
    err_clear(&err);
    json_decref(j);
    return buf;
}

#define INVALID "One or more parameter values were invalid: "

TEST(expr_legacy_expected_messages)
{
    ASSERT_EQ_STR(expected_error("{\"a\":{\"Value\":{\"S\":\"a\"},\"AttributeValueList\":[{\"S\":\"a\"}]}}"),
                  INVALID "Value and AttributeValueList cannot be used together for Attribute: a");
    ASSERT_EQ_STR(expected_error("{\"a\":{\"ComparisonOperator\":\"EQ\",\"Exists\":true}}"),
                  INVALID "Exists and ComparisonOperator cannot be used together for Attribute: a");
    ASSERT_EQ_STR(expected_error("{\"a\":{\"ComparisonOperator\":\"EQ\"}}"),
                  INVALID "Value or AttributeValueList must be used with ComparisonOperator: EQ "
                  "for Attribute: a");
    ASSERT_EQ_STR(expected_error("{\"a\":{\"ComparisonOperator\":\"NULL\",\"Value\":{\"S\":\"a\"}}}"),
                  INVALID "Invalid number of argument(s) for the NULL ComparisonOperator");
    ASSERT_EQ_STR(expected_error("{\"a\":{\"ComparisonOperator\":\"BETWEEN\",\"AttributeValueList\":"
                                 "[{\"S\":\"a\"},{\"N\":\"1\"}]}}"),
                  INVALID "AttributeValues inside AttributeValueList must be of same type");
    ASSERT_EQ_STR(expected_error("{\"a\":{\"ComparisonOperator\":\"BETWEEN\",\"AttributeValueList\":"
                                 "[{\"S\":\"b\"},{\"S\":\"a\"}]}}"),
                  "The BETWEEN condition was provided a range where the lower bound is greater "
                  "than the upper bound");
    ASSERT_EQ_STR(expected_error("{\"a\":{\"ComparisonOperator\":\"LT\",\"AttributeValueList\":"
                                 "[{\"SS\":[\"a\"]}]}}"),
                  INVALID "ComparisonOperator LT is not valid for SS AttributeValue type");
    ASSERT_EQ_STR(expected_error("{\"a\":{\"AttributeValueList\":[{\"S\":\"a\"}]}}"),
                  INVALID "AttributeValueList can only be used with a ComparisonOperator for "
                  "Attribute: a");
    ASSERT_EQ_STR(expected_error("{\"a\":{}}"),
                  INVALID "Value must be provided when Exists is null for Attribute: a");
    ASSERT_EQ_STR(expected_error("{\"a\":{\"Exists\":true}}"),
                  INVALID "Value must be provided when Exists is true for Attribute: a");
    ASSERT_EQ_STR(expected_error("{\"a\":{\"Exists\":false,\"Value\":{\"S\":\"a\"}}}"),
                  INVALID "Value cannot be used when Exists is false for Attribute: a");
    /* EQ and NE take any type, lists and maps included */
    ASSERT_EQ_STR(expected_error("{\"a\":{\"ComparisonOperator\":\"EQ\",\"Value\":{\"M\":{}}}}"), "OK");
}

static int holds(const char *expected, const char *op, const char *item)
{
    struct err err = ERR_INIT;
    struct expr *e = NULL;
    json_t *j = tx_load(expected), *i = item ? tx_load(item) : NULL;
    int r = -1;
    if (expr_legacy_expected(j, op, &e, &err) == 0)
        r = expr_eval(e, i);
    expr_free(e);
    err_clear(&err);
    json_decref(j);
    json_decref(i);
    return r;
}

TEST(expr_legacy_expected_semantics)
{
    const char *item = "{\"a\":{\"N\":\"5\"},\"s\":{\"S\":\"abc\"}}";
    ASSERT_EQ_INT(holds("{\"a\":{\"Value\":{\"N\":\"5.0\"}}}", NULL, item), 1);
    ASSERT_EQ_INT(holds("{\"zz\":{\"Exists\":false}}", NULL, item), 1);
    ASSERT_EQ_INT(holds("{\"a\":{\"Exists\":false}}", NULL, item), 0);
    /* NE holds for a missing attribute; NOT_CONTAINS does not (DynamoDB Local) */
    ASSERT_EQ_INT(holds("{\"zz\":{\"ComparisonOperator\":\"NE\",\"AttributeValueList\":[{\"N\":\"1\"}]}}",
                        NULL, item), 1);
    ASSERT_EQ_INT(holds("{\"zz\":{\"ComparisonOperator\":\"NOT_CONTAINS\",\"AttributeValueList\":"
                        "[{\"S\":\"a\"}]}}", NULL, item), 0);
    ASSERT_EQ_INT(holds("{\"s\":{\"ComparisonOperator\":\"NOT_CONTAINS\",\"AttributeValueList\":"
                        "[{\"S\":\"x\"}]}}", NULL, item), 1);
    ASSERT_EQ_INT(holds("{\"a\":{\"ComparisonOperator\":\"BETWEEN\",\"AttributeValueList\":"
                        "[{\"N\":\"1\"},{\"N\":\"5\"}]}}", NULL, item), 1);
    /* ConditionalOperator OR: one is enough; AND (the default): all */
    const char *two = "{\"a\":{\"Value\":{\"N\":\"6\"}},\"s\":{\"ComparisonOperator\":\"BEGINS_WITH\","
                      "\"AttributeValueList\":[{\"S\":\"ab\"}]}}";
    ASSERT_EQ_INT(holds(two, "OR", item), 1);
    ASSERT_EQ_INT(holds(two, "AND", item), 0);
    ASSERT_EQ_INT(holds("{}", NULL, NULL), 1);
}

TEST(expr_legacy_conditions_filter_and_key)
{
    struct err err = ERR_INIT;
    struct expr *e = NULL;
    json_t *f = tx_load("{\"a\":{\"ComparisonOperator\":\"IN\",\"AttributeValueList\":"
                        "[{\"N\":\"1\"},{\"N\":\"5\"}]}}");
    json_t *item = tx_load("{\"a\":{\"N\":\"5\"}}");
    ASSERT_EQ_INT(expr_legacy_conditions(EXPR_FILTER, f, NULL, &e, &err), 0);
    ASSERT_EQ_INT(expr_eval(e, item), 1);
    expr_free(e);
    json_decref(f);

    f = tx_load("{\"a\":{\"ComparisonOperator\":\"EQ\",\"AttributeValueList\":[]}}");
    ASSERT_EQ_INT(expr_legacy_conditions(EXPR_FILTER, f, NULL, &e, &err), -1);
    ASSERT_EQ_STR(err.message, INVALID "Invalid number of argument(s) for the EQ ComparisonOperator");
    err_clear(&err);
    json_decref(f);

    /* KeyConditions: the same key checks as KeyConditionExpression, plus the legacy ones */
    struct expr_key_schema schema = {"pk", AV_S, "sk", AV_N};
    struct expr_key_cond kc;
    f = tx_load("{\"pk\":{\"ComparisonOperator\":\"EQ\",\"AttributeValueList\":[{\"S\":\"k\"}]},"
                "\"sk\":{\"ComparisonOperator\":\"GT\",\"AttributeValueList\":[{\"N\":\"3\"}]}}");
    ASSERT_EQ_INT(expr_legacy_conditions(EXPR_KEY_CONDITION, f, NULL, &e, &err), 0);
    ASSERT_EQ_INT(expr_key_condition(e, &schema, &kc, &err), 0);
    ASSERT_EQ_INT(kc.range_op, EXPR_KEY_GT);
    expr_free(e);
    json_decref(f);
    f = tx_load("{\"pk\":{\"ComparisonOperator\":\"NE\",\"AttributeValueList\":[{\"S\":\"k\"}]}}");
    ASSERT_EQ_INT(expr_legacy_conditions(EXPR_KEY_CONDITION, f, NULL, &e, &err), 0);
    ASSERT_EQ_INT(expr_key_condition(e, &schema, &kc, &err), -1);
    ASSERT_EQ_STR(err.message, "Attempted conditional constraint is not an indexable operation");
    err_clear(&err);
    expr_free(e);
    json_decref(f);
    json_decref(item);
}

static const char *attribute_updates(const char *updates, const char *item)
{
    static char buf[2048];
    struct err err = ERR_INIT;
    struct expr *e = NULL;
    struct expr_keys keys = {"pk", NULL};
    json_t *u = tx_load(updates), *i = item ? tx_load(item) : NULL, *out = NULL;
    if (expr_legacy_attribute_updates(u, &e, &err) == 0 &&
        expr_update_apply(e, i, &keys, &out, &err) == 0) {
        char *s = tx_canonical(out);
        snprintf(buf, sizeof buf, "OK %s", s);
        free(s);
    } else {
        snprintf(buf, sizeof buf, "%s", err.message ? err.message : "");
    }
    json_decref(out);
    expr_free(e);
    err_clear(&err);
    json_decref(u);
    json_decref(i);
    return buf;
}

TEST(expr_legacy_attribute_updates)
{
    ASSERT_EQ_STR(attribute_updates("{\"a\":{\"Action\":\"ADD\",\"Value\":{\"L\":[{\"S\":\"y\"}]}}}",
                                    "{\"a\":{\"L\":[{\"S\":\"x\"}]}}"),
                  "OK {\"a\":{\"L\":[{\"S\":\"x\"},{\"S\":\"y\"}]}}");
    ASSERT_EQ_STR(attribute_updates("{\"a\":{\"Action\":\"ADD\",\"Value\":{\"N\":\"1\"}}}",
                                    "{\"a\":{\"S\":\"x\"}}"),
                  "Type mismatch for attribute to update");
    ASSERT_EQ_STR(attribute_updates("{\"a\":{\"Action\":\"DELETE\"}}", "{\"a\":{\"S\":\"x\"}}"), "OK {}");
    ASSERT_EQ_STR(attribute_updates("{\"a\":{\"Action\":\"PUT\"}}", NULL),
                  INVALID "Only DELETE action is allowed when no attribute value is specified");
    ASSERT_EQ_STR(attribute_updates("{\"a\":{\"Action\":\"ADD\",\"Value\":{\"S\":\"x\"}}}", NULL),
                  INVALID "ADD action is not supported for the type STRING");
    ASSERT_EQ_STR(attribute_updates("{\"a\":{\"Action\":\"DELETE\",\"Value\":{\"N\":\"1\"}}}", NULL),
                  INVALID "DELETE action with value is not supported for the type NUMBER");
    ASSERT_EQ_STR(attribute_updates("{\"pk\":{\"Action\":\"PUT\",\"Value\":{\"S\":\"v\"}}}", NULL),
                  INVALID "Cannot update attribute pk. This attribute is part of the key");
    /* a missing Action is PUT, as documented */
    ASSERT_EQ_STR(attribute_updates("{\"a\":{\"Value\":{\"N\":\"1.50\"}}}", NULL),
                  "OK {\"a\":{\"N\":\"1.5\"}}");
    ASSERT_EQ_STR(attribute_updates("{}", NULL), "OK {}");
}

static const char *conditions_error(const char *conditions)
{
    static char buf[1024];
    struct err err = ERR_INIT;
    struct expr *e = NULL;
    json_t *j = tx_load(conditions);
    if (expr_legacy_conditions(EXPR_FILTER, j, NULL, &e, &err) == 0)
        snprintf(buf, sizeof buf, "OK");
    else
        snprintf(buf, sizeof buf, "%s", err.message ? err.message : "");
    expr_free(e);
    err_clear(&err);
    json_decref(j);
    return buf;
}

/* An empty attribute name, entry by entry, at the point DynamoDB Local reports it (each case sent
 * to it): AttributeUpdates first of all; Expected after its shape and values, before the
 * operator's own rules; condition maps after everything else. */
TEST(expr_legacy_empty_attribute_name)
{
    const char *empty = "1 validation error detected: Empty attribute name";

    ASSERT_EQ_STR(attribute_updates("{\"\":{\"Action\":\"PUT\",\"Value\":{\"N\":\"1\"}}}", NULL),
                  empty);
    ASSERT_EQ_STR(attribute_updates("{\"\":{\"Action\":\"PUT\"}}", NULL), empty);
    ASSERT_EQ_STR(attribute_updates("{\"\":{\"Action\":\"PUT\",\"Value\":{\"SS\":[]}}}", NULL),
                  empty);
    ASSERT_EQ_STR(attribute_updates("{\"a\":{\"Action\":\"PUT\"},\"\":{\"Action\":\"DELETE\"}}",
                                    NULL),
                  INVALID "Only DELETE action is allowed when no attribute value is specified");

    ASSERT_EQ_STR(expected_error("{\"\":{\"Exists\":false}}"), empty);
    ASSERT_EQ_STR(expected_error("{\"\":{\"Value\":{\"S\":\"x\"}}}"), empty);
    ASSERT_EQ_STR(expected_error("{\"\":{\"Exists\":true}}"),
                  INVALID "Value must be provided when Exists is true for Attribute: ");
    ASSERT_EQ_STR(expected_error("{\"\":{\"ComparisonOperator\":\"EQ\"}}"),
                  INVALID "Value or AttributeValueList must be used with ComparisonOperator: EQ "
                  "for Attribute: ");
    ASSERT_EQ_STR(expected_error("{\"\":{\"ComparisonOperator\":\"EQ\",\"AttributeValueList\":"
                                 "[{\"SS\":[]}]}}"),
                  "1 validation error detected: " INVALID "An string set  may not be empty");
    ASSERT_EQ_STR(expected_error("{\"\":{\"ComparisonOperator\":\"EQ\",\"AttributeValueList\":"
                                 "[{\"S\":\"x\"},{\"S\":\"y\"}]}}"),
                  empty);
    ASSERT_EQ_STR(expected_error("{\"\":{\"Exists\":false},\"a\":{\"ComparisonOperator\":\"EQ\"}}"),
                  empty);

    ASSERT_EQ_STR(conditions_error("{\"\":{\"ComparisonOperator\":\"NULL\"}}"), empty);
    ASSERT_EQ_STR(conditions_error("{\"\":{\"ComparisonOperator\":\"EQ\"}}"),
                  INVALID "Invalid number of argument(s) for the EQ ComparisonOperator");
    ASSERT_EQ_STR(conditions_error("{\"a\":{\"ComparisonOperator\":\"EQ\"},"
                                   "\"\":{\"ComparisonOperator\":\"NULL\"}}"),
                  INVALID "Invalid number of argument(s) for the EQ ComparisonOperator");
}

TEST(expr_legacy_attributes_to_get)
{
    struct err err = ERR_INIT;
    struct expr *e = NULL;
    json_t *names = tx_load("[\"a\",\"b.c\",\"a\"]");
    ASSERT_EQ_INT(expr_legacy_attributes_to_get(names, &e, &err), -1);
    ASSERT_EQ_STR(err.message, INVALID "Duplicate value in attribute name: a");
    err_clear(&err);
    json_decref(names);
    names = tx_load("[\"b.c\",\"zz\"]");   /* names are literal: "b.c" is one attribute */
    ASSERT_EQ_INT(expr_legacy_attributes_to_get(names, &e, &err), 0);
    json_t *item = tx_load("{\"b.c\":{\"S\":\"x\"},\"b\":{\"M\":{\"c\":{\"S\":\"y\"}}}}");
    json_t *out = expr_project(e, item);
    char *s = tx_canonical(out);
    ASSERT_EQ_STR(s, "{\"b.c\":{\"S\":\"x\"}}");
    free(s);
    json_decref(out);
    json_decref(item);
    expr_free(e);
    json_decref(names);
}
