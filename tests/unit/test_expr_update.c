/* test_expr_update.c — unit tests of applying updates (update.c): list index semantics, values
 * computed from the original item, ADD/DELETE on numbers and sets, exact arithmetic at the 38
 * digit limit, key attributes, which error DynamoDB reports first, the UPDATED_OLD/NEW
 * projection, and that the input item is never modified. Expectations were checked on DynamoDB
 * Local (the apply-* and uorder-* data cases hold more). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr/expr.h"
#include "test.h"
#include "test_expr_util.h"

static const char *upd(const char *item, const char *expr, const char *values)
{
    static char buf[4096];
    json_t *i = item ? tx_load(item) : NULL, *v = values ? tx_load(values) : NULL;
    snprintf(buf, sizeof buf, "%s", tx_run("update", expr, NULL, v, i));
    json_decref(i);
    json_decref(v);
    return buf;
}

#define LIST4 "{\"a\":{\"L\":[{\"N\":\"0\"},{\"N\":\"1\"},{\"N\":\"2\"},{\"N\":\"3\"}]}}"

TEST(expr_update_list_indexes_refer_to_the_original_list)
{
    ASSERT_EQ_STR(upd(LIST4, "REMOVE a[0], a[1]", NULL), "OK {\"a\":{\"L\":[{\"N\":\"2\"},{\"N\":\"3\"}]}}");
    ASSERT_EQ_STR(upd(LIST4, "REMOVE a[9]", NULL), "OK " LIST4);
    ASSERT_EQ_STR(upd(LIST4, "SET a[1] = :x REMOVE a[0]", "{\":x\":{\"S\":\"x\"}}"),
                  "OK {\"a\":{\"L\":[{\"S\":\"x\"},{\"N\":\"2\"},{\"N\":\"3\"}]}}");
    /* beyond the end appends, in index order whatever the action order */
    ASSERT_EQ_STR(upd(LIST4, "SET a[9] = :x, a[7] = :y",
                      "{\":x\":{\"S\":\"x\"},\":y\":{\"S\":\"y\"}}"),
                  "OK {\"a\":{\"L\":[{\"N\":\"0\"},{\"N\":\"1\"},{\"N\":\"2\"},{\"N\":\"3\"},"
                  "{\"S\":\"y\"},{\"S\":\"x\"}]}}");
    /* an appended element is not what REMOVE a[4] meant: it did not exist */
    ASSERT_EQ_STR(upd(LIST4, "SET a[9] = :x REMOVE a[0]", "{\":x\":{\"S\":\"x\"}}"),
                  "OK {\"a\":{\"L\":[{\"N\":\"1\"},{\"N\":\"2\"},{\"N\":\"3\"},{\"S\":\"x\"}]}}");
}

TEST(expr_update_values_come_from_the_original_item)
{
    ASSERT_EQ_STR(upd("{\"a\":{\"N\":\"1\"},\"b\":{\"N\":\"2\"}}", "SET a = b, b = a", NULL),
                  "OK {\"a\":{\"N\":\"2\"},\"b\":{\"N\":\"1\"}}");
    ASSERT_EQ_STR(upd(NULL, "SET a = if_not_exists(b, :n) + :n", "{\":n\":{\"N\":\"5\"}}"),
                  "OK {\"a\":{\"N\":\"10\"}}");
    ASSERT_EQ_STR(upd("{\"b\":{\"L\":[{\"S\":\"x\"}]}}", "SET a = list_append(:l, b)",
                      "{\":l\":{\"L\":[{\"N\":\"1\"}]}}"),
                  "OK {\"a\":{\"L\":[{\"N\":\"1\"},{\"S\":\"x\"}]},\"b\":{\"L\":[{\"S\":\"x\"}]}}");
}

TEST(expr_update_add_delete_numbers_and_sets)
{
    ASSERT_EQ_STR(upd(NULL, "ADD a :n", "{\":n\":{\"N\":\"5\"}}"), "OK {\"a\":{\"N\":\"5\"}}");
    ASSERT_EQ_STR(upd("{\"a\":{\"SS\":[\"c\",\"a\"]}}", "ADD a :s", "{\":s\":{\"SS\":[\"b\",\"a\"]}}"),
                  "OK {\"a\":{\"SS\":[\"a\",\"b\",\"c\"]}}");
    /* a set emptied by DELETE removes the attribute; DELETE on nothing does nothing */
    ASSERT_EQ_STR(upd("{\"a\":{\"SS\":[\"c\",\"a\"]}}", "DELETE a :s", "{\":s\":{\"SS\":[\"c\",\"a\"]}}"),
                  "OK {}");
    ASSERT_EQ_STR(upd(NULL, "DELETE a :s", "{\":s\":{\"SS\":[\"c\"]}}"), "OK {}");
    /* numeric set members compare by value */
    ASSERT_EQ_STR(upd("{\"a\":{\"NS\":[\"1.0\",\"2\"]}}", "DELETE a :s", "{\":s\":{\"NS\":[\"2.00\"]}}"),
                  "OK {\"a\":{\"NS\":[\"1\"]}}");
    ASSERT_EQ_STR(upd("{\"a\":{\"NS\":[\"1\"]}}", "ADD a :s", "{\":s\":{\"SS\":[\"x\"]}}"),
                  "ERR ValidationException: An operand in the update expression has an incorrect "
                  "data type");
}

TEST(expr_update_arithmetic_at_38_digits)
{
    /* 38 nines + 1 is 39 digits but exactly 1E38: it fits (one significant digit) */
    ASSERT_EQ_STR(upd("{\"a\":{\"N\":\"99999999999999999999999999999999999999\"}}", "ADD a :n",
                      "{\":n\":{\"N\":\"1\"}}"),
                  "OK {\"a\":{\"N\":\"100000000000000000000000000000000000000\"}}");
    /* a result needing more than 38 digits: real DynamoDB words it as an overflow (Alternator
     * test_update_expression_plus_imprecise, against DynamoDB); DynamoDB Local says the 38-digit
     * sentence, which num_add keeps for parsing's sake */
    ASSERT_EQ_STR(upd("{\"a\":{\"N\":\"12345678901234567890123456789012345678\"}}",
                      "SET a = a + :n", "{\":n\":{\"N\":\"0.1\"}}"),
                  "ERR ValidationException: Number overflow. Attempting to store a number with "
                  "magnitude larger than supported range");
    ASSERT_EQ_STR(upd("{\"a\":{\"N\":\"1E50\"}}", "ADD a :n", "{\":n\":{\"N\":\"1\"}}"),
                  "ERR ValidationException: Number overflow. Attempting to store a number with "
                  "magnitude larger than supported range");
    ASSERT_EQ_STR(upd(NULL, "SET a = :m - :n",
                      "{\":m\":{\"N\":\"1.5E-130\"},\":n\":{\"N\":\"1E-130\"}}"),
                  "ERR ValidationException: Number underflow. Attempting to store a number with "
                  "magnitude smaller than supported range");
    ASSERT_EQ_STR(upd("{\"a\":{\"N\":\"0.75\"}}", "SET a = a - :n", "{\":n\":{\"N\":\"0.75\"}}"),
                  "OK {\"a\":{\"N\":\"0\"}}");
}

TEST(expr_update_refuses_key_attributes_first)
{
    const char *msg = "ERR ValidationException: One or more parameter values were invalid: Cannot "
                      "update attribute pk. This attribute is part of the key";
    ASSERT_EQ_STR(upd(NULL, "SET pk.x = :n", "{\":n\":{\"N\":\"5\"}}"), msg);
    ASSERT_EQ_STR(upd(NULL, "SET a.b = :n, pk = :n", "{\":n\":{\"N\":\"5\"}}"), msg);
    ASSERT_EQ_STR(upd(NULL, "REMOVE pk", NULL), msg);
}

TEST(expr_update_runtime_errors_and_their_order)
{
    ASSERT_EQ_STR(upd(NULL, "SET a = b", NULL),
                  "ERR ValidationException: The provided expression refers to an attribute that "
                  "does not exist in the item");
    ASSERT_EQ_STR(upd(NULL, "REMOVE a.b", NULL),
                  "ERR ValidationException: The document path provided in the update expression "
                  "is invalid for update");
    /* an action's path before its value */
    ASSERT_EQ_STR(upd(NULL, "SET a.b = x1", NULL),
                  "ERR ValidationException: The document path provided in the update expression "
                  "is invalid for update");
    /* across attributes, DynamoDB's HashMap order decides: c after q, s (size) after b */
    ASSERT_EQ_STR(upd("{\"c\":{\"S\":\"s\"}}", "SET q.x = :n, c = c + :n", "{\":n\":{\"N\":\"1\"}}"),
                  "ERR ValidationException: An operand in the update expression has an incorrect "
                  "data type");
    ASSERT_EQ_STR(upd(NULL, "SET size.a = :n, b = x1", "{\":n\":{\"N\":\"1\"}}"),
                  "ERR ValidationException: The document path provided in the update expression "
                  "is invalid for update");
}

TEST(expr_update_leaves_its_input_untouched)
{
    struct err err = ERR_INIT;
    struct expr_params *p = NULL;
    struct expr *e = NULL;
    struct expr_keys keys = {"pk", "sk"};
    json_t *item = tx_load(LIST4), *before = json_deep_copy(item), *out = NULL;
    json_t *v = tx_load("{\":x\":{\"S\":\"x\"}}");
    const char *text = "SET a[1] = :x, b = a REMOVE a[0]";

    ASSERT_EQ_INT(expr_params_new(NULL, v, &p, &err), 0);
    ASSERT_EQ_INT(expr_parse(EXPR_UPDATE, text, strlen(text), p, &e, &err), 0);
    for (int k = 0; k < 2; k++) {   /* retrying gives the same result */
        ASSERT_EQ_INT(expr_update_apply(e, item, &keys, &out, &err), 0);
        ASSERT(json_equal(item, before));
        ASSERT_EQ_INT(json_array_size(json_object_get(json_object_get(out, "a"), "L")), 3);
        ASSERT_EQ_INT(json_array_size(json_object_get(json_object_get(out, "b"), "L")), 4);
        json_decref(out);
    }
    expr_free(e);
    expr_params_free(p);
    json_decref(item);
    json_decref(before);
    json_decref(v);
}

/* UPDATED_OLD / UPDATED_NEW: only the touched paths, nested within their attribute (the cases of
 * Alternator's test_update_item_returnvalues_nested, recorded on real DynamoDB). */
TEST(expr_update_project_touched_paths)
{
    struct err err = ERR_INIT;
    struct expr_params *p = NULL;
    struct expr *e = NULL;
    struct expr_keys keys = {"pk", NULL};
    json_t *item = tx_load("{\"a\":{\"M\":{\"b\":{\"S\":\"dog\"},\"c\":{\"L\":[{\"N\":\"1\"},"
                           "{\"N\":\"2\"},{\"N\":\"3\"}]}}},\"d\":{\"S\":\"cat\"}}");
    json_t *v = tx_load("{\":v\":{\"N\":\"7\"},\":w\":{\"S\":\"yo\"}}"), *out = NULL, *proj;
    char *s;
    const char *text = "SET a.c[1] = :v, a.b = :w REMOVE a.c[5]";

    ASSERT_EQ_INT(expr_params_new(NULL, v, &p, &err), 0);
    ASSERT_EQ_INT(expr_parse(EXPR_UPDATE, text, strlen(text), p, &e, &err), 0);
    proj = expr_update_project(e, item);
    s = tx_canonical(proj);
    ASSERT_EQ_STR(s, "{\"a\":{\"M\":{\"b\":{\"S\":\"dog\"},\"c\":{\"L\":[{\"N\":\"2\"}]}}}}");
    free(s);
    json_decref(proj);
    ASSERT_EQ_INT(expr_update_apply(e, item, &keys, &out, &err), 0);
    proj = expr_update_project(e, out);
    s = tx_canonical(proj);
    ASSERT_EQ_STR(s, "{\"a\":{\"M\":{\"b\":{\"S\":\"yo\"},\"c\":{\"L\":[{\"N\":\"7\"}]}}}}");
    free(s);
    json_decref(proj);
    json_decref(out);
    expr_free(e);
    expr_params_free(p);
    json_decref(item);
    json_decref(v);
}

/* An update of its own (tests/unit helpers parse with values only). */
static struct expr *parsed_update(const char *text, const char *values, struct expr_params **p)
{
    struct err err = ERR_INIT;
    struct expr *e = NULL;
    json_t *v = values ? tx_load(values) : NULL;
    if (expr_params_new(NULL, v, p, &err) != 0 ||
        expr_parse(EXPR_UPDATE, text, strlen(text), *p, &e, &err) != 0)
        fprintf(stderr, "  test setup: %s: %s\n", text, err.message ? err.message : "");
    err_clear(&err);
    json_decref(v);   /* params keep their own canonical copies */
    return e;
}

/* Whether an update only takes attributes away: such an update creates nothing on a missing item
 * (Alternator test_update_item_non_existent, against DynamoDB); an empty one still creates it. */
TEST(expr_update_removes_only)
{
    static const struct { const char *text, *values; int want; } cases[] = {
        {"REMOVE a", NULL, 1},
        {"REMOVE a.b, c[0]", NULL, 1},
        {"DELETE s :s", "{\":s\":{\"SS\":[\"x\"]}}", 1},
        {"REMOVE a DELETE s :s", "{\":s\":{\"SS\":[\"x\"]}}", 1},
        {"REMOVE a SET b = :n", "{\":n\":{\"N\":\"1\"}}", 0},
        {"ADD n :n", "{\":n\":{\"N\":\"1\"}}", 0},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        struct expr_params *p = NULL;
        struct expr *e = parsed_update(cases[k].text, cases[k].values, &p);
        ASSERT(e != NULL);
        ASSERT_EQ_INT(expr_update_removes_only(e), cases[k].want);
        expr_free(e);
        expr_params_free(p);
    }
    ASSERT_EQ_INT(expr_update_removes_only(NULL), 0);

    /* AttributeUpdates: DELETE with or without a Value takes away; {} does nothing at all */
    struct err err = ERR_INIT;
    struct expr *e = NULL;
    json_t *u = tx_load("{\"a\":{\"Action\":\"DELETE\"},\"b\":{\"Action\":\"DELETE\","
                        "\"Value\":{\"NS\":[\"4\"]}}}");
    ASSERT_EQ_INT(expr_legacy_attribute_updates(u, &e, &err), 0);
    ASSERT_EQ_INT(expr_update_removes_only(e), 1);
    expr_free(e);
    json_decref(u);
    u = tx_load("{}");
    ASSERT_EQ_INT(expr_legacy_attribute_updates(u, &e, &err), 0);
    ASSERT_EQ_INT(expr_update_removes_only(e), 0);
    expr_free(e);
    json_decref(u);
}

TEST(expr_update_check_keys_alone)
{
    struct err err = ERR_INIT;
    struct expr_params *p = NULL;
    struct expr_keys keys = {"pk", "sk"};
    struct expr *e = parsed_update("REMOVE a, sk.x", NULL, &p);
    ASSERT_EQ_INT(expr_update_check_keys(e, &keys, &err), -1);
    ASSERT_EQ_STR(err.message, "One or more parameter values were invalid: Cannot update attribute "
                               "sk. This attribute is part of the key");
    err_clear(&err);
    expr_free(e);
    expr_params_free(p);
    e = parsed_update("REMOVE a.b", NULL, &p);
    ASSERT_EQ_INT(expr_update_check_keys(e, &keys, &err), 0);
    expr_free(e);
    expr_params_free(p);
}

/* UpdateItem's charged size (nubo-db itemSizeBySurface): the named top-level attributes of the new
 * item once each, plus 3 + 19 per SET/ADD (20 for a list element) + 2 per REMOVE/DELETE. */
TEST(expr_update_charged_size_counts_written_attributes_and_actions)
{
    static const struct { const char *text, *values; long long want; } cases[] = {
        /* b: 1 + 5 bytes; the key and u are not charged */
        {"SET b = :v", "{\":v\":{\"S\":\"hello\"}}", 3 + 19 + 6},
        {"SET b = :v, c = :w", "{\":v\":{\"S\":\"hello\"},\":w\":{\"S\":\"y\"}}",
         3 + 19 * 2 + 6 + 2},
        {"SET b = :v REMOVE r", "{\":v\":{\"S\":\"hello\"}}", 3 + 19 + 2 + 6},
        /* d is charged whole, once, though two actions name it */
        {"SET d.x = :v, d.y = :v", "{\":v\":{\"S\":\"hello\"}}", 3 + 19 * 2 + 1 + 3 + 7 * 2},
        {"SET l[0] = :v", "{\":v\":{\"S\":\"hello\"}}", 3 + 20 + 1 + 3 + 6},
        /* n: 1 + the number's 2 bytes; s: 1 + what is left of the set, "y" */
        {"ADD n :n DELETE s :s", "{\":n\":{\"N\":\"1\"},\":s\":{\"SS\":[\"x\"]}}",
         3 + 19 + 2 + 3 + 2},
    };
    struct err err = ERR_INIT;
    struct expr_keys keys = {"pk", NULL};
    json_t *item = tx_load("{\"pk\":{\"S\":\"K\"},\"u\":{\"S\":\"untouched\"},\"r\":{\"S\":\"z\"},"
                           "\"d\":{\"M\":{}},\"l\":{\"L\":[{\"S\":\"a\"}]},\"s\":{\"SS\":[\"x\",\"y\"]}}");
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        struct expr_params *p = NULL;
        struct expr *e = parsed_update(cases[k].text, cases[k].values, &p);
        json_t *out = NULL;
        ASSERT_EQ_INT(expr_update_apply(e, item, &keys, &out, &err), 0);
        ASSERT_EQ_INT(expr_update_charged_size(e, out), cases[k].want);
        json_decref(out);
        expr_free(e);
        expr_params_free(p);
    }
    ASSERT_EQ_INT(expr_update_charged_size(NULL, item), 3);
    json_decref(item);
}
