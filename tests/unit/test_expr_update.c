/* test_expr_update.c — unit tests of applying updates (update.c): list index semantics, values
 * computed from the original item, ADD/DELETE on numbers and sets, exact arithmetic at the 38
 * digit limit, key attributes, which error DynamoDB reports first, the UPDATED_OLD/NEW
 * projection, and that the input item is never modified. Expectations were checked on DynamoDB
 * Local (the apply-* and uorder-* data cases hold more). */
#include <stdlib.h>
#include <string.h>

#include "expr/expr.h"
#include "test.h"

json_t *tx_load(const char *text);
char *tx_canonical(const json_t *v);
const char *tx_run(const char *kind, const char *expr, const json_t *names, const json_t *values,
                   const json_t *item);

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
    ASSERT_EQ_STR(upd("{\"a\":{\"N\":\"12345678901234567890123456789012345678\"}}",
                      "SET a = a + :n", "{\":n\":{\"N\":\"0.1\"}}"),
                  "ERR ValidationException: Attempting to store more than 38 significant digits "
                  "in a Number");
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
