/* test_expr_eval.c — unit tests of condition and filter evaluation (eval.c) and of key conditions
 * (keycond.c). Each expectation was checked on DynamoDB Local (the eval-* data cases hold many
 * more); these name the boundaries: missing attributes, type mismatches, exact numbers, bytes,
 * sets, size() in UTF-16 units, precedence, and what a Query key condition selects. */
#include <stdlib.h>
#include <string.h>

#include "expr/expr.h"
#include "test.h"
#include "test_expr_util.h"

#define ITEM                                                                                      \
    "{\"s\":{\"S\":\"h\\u00e9llo\"},\"n\":{\"N\":\"10\"},\"z\":{\"N\":\"-0.5\"},"                 \
    "\"b\":{\"B\":\"AAEC\"},\"ss\":{\"SS\":[\"x\",\"y\"]},\"ns\":{\"NS\":[\"1\",\"2\"]},"           \
    "\"l\":{\"L\":[{\"S\":\"x\"},{\"N\":\"1\"},{\"M\":{\"k\":{\"S\":\"v\"}}}]},"                   \
    "\"m\":{\"M\":{\"k\":{\"S\":\"v\"}}},\"emo\":{\"S\":\"\\ud83d\\ude00a\"},\"t\":{\"BOOL\":true}}"

static const char *eval(const char *expr, const char *values)
{
    static char buf[4096];
    json_t *item = tx_load(ITEM), *v = values ? tx_load(values) : NULL;
    snprintf(buf, sizeof buf, "%s", tx_run("condition", expr, NULL, v, item));
    json_decref(item);
    json_decref(v);
    return buf;
}

TEST(expr_eval_missing_attribute)
{
    /* a comparison with a missing attribute is false, so <> is true; so are NOT and size() */
    ASSERT_EQ_STR(eval("zz = :n", "{\":n\":{\"N\":\"10\"}}"), "OK false");
    ASSERT_EQ_STR(eval("zz <> :n", "{\":n\":{\"N\":\"10\"}}"), "OK true");
    ASSERT_EQ_STR(eval("zz < :n", "{\":n\":{\"N\":\"10\"}}"), "OK false");
    ASSERT_EQ_STR(eval("zz <> zy", NULL), "OK true");
    ASSERT_EQ_STR(eval("size(zz) <> :n", "{\":n\":{\"N\":\"2\"}}"), "OK true");
    ASSERT_EQ_STR(eval("NOT contains(zz, :x)", "{\":x\":{\"S\":\"x\"}}"), "OK true");
}

TEST(expr_eval_types_never_raise)
{
    ASSERT_EQ_STR(eval("n <> :s", "{\":s\":{\"S\":\"10\"}}"), "OK true");
    ASSERT_EQ_STR(eval("n < :s", "{\":s\":{\"S\":\"10\"}}"), "OK false");
    ASSERT_EQ_STR(eval("n BETWEEN :s AND :s", "{\":s\":{\"S\":\"1\"}}"), "OK false");
    ASSERT_EQ_STR(eval("size(n) = :n", "{\":n\":{\"N\":\"2\"}}"), "OK false");
}

TEST(expr_eval_numbers_exact)
{
    ASSERT_EQ_STR(eval("n = :n", "{\":n\":{\"N\":\"10.000\"}}"), "OK true");
    ASSERT_EQ_STR(eval("n IN (:n)", "{\":n\":{\"N\":\"1E1\"}}"), "OK true");
    ASSERT_EQ_STR(eval("z = :n", "{\":n\":{\"N\":\"-0.50\"}}"), "OK true");
    ASSERT_EQ_STR(eval("z < :n", "{\":n\":{\"N\":\"0\"}}"), "OK true");
    /* 38 significant digits: the last one still counts */
    ASSERT_EQ_STR(eval("n < :n",
                       "{\":n\":{\"N\":\"10.000000000000000000000000000000000001\"}}"),
                  "OK true");
    ASSERT_EQ_STR(eval("ns = :ns", "{\":ns\":{\"NS\":[\"2.0\",\"1\"]}}"), "OK true");
    ASSERT_EQ_STR(eval("contains(ns, :n)", "{\":n\":{\"N\":\"2.00\"}}"), "OK true");
}

TEST(expr_eval_strings_and_binaries_by_bytes)
{
    ASSERT_EQ_STR(eval("s > :h", "{\":h\":{\"S\":\"h\\u00e9\"}}"), "OK true");
    ASSERT_EQ_STR(eval("begins_with(s, :e)", "{\":e\":{\"S\":\"\"}}"), "OK true");
    ASSERT_EQ_STR(eval("contains(s, :h)", "{\":h\":{\"S\":\"\\u00e9ll\"}}"), "OK true");
    ASSERT_EQ_STR(eval("b > :b", "{\":b\":{\"B\":\"AAE=\"}}"), "OK true");
    ASSERT_EQ_STR(eval("begins_with(b, :b)", "{\":b\":{\"B\":\"AAE=\"}}"), "OK true");
    ASSERT_EQ_STR(eval("contains(b, :b)", "{\":b\":{\"B\":\"AQI=\"}}"), "OK true");
}

TEST(expr_eval_size_counts_utf16_units_elements_and_bytes)
{
    ASSERT_EQ_STR(eval("size(s) = :n", "{\":n\":{\"N\":\"5\"}}"), "OK true");
    ASSERT_EQ_STR(eval("size(emo) = :n", "{\":n\":{\"N\":\"3\"}}"), "OK true");   /* pair + 1 */
    ASSERT_EQ_STR(eval("size(b) = :n", "{\":n\":{\"N\":\"3\"}}"), "OK true");
    ASSERT_EQ_STR(eval("size(l) = :n", "{\":n\":{\"N\":\"3\"}}"), "OK true");
    ASSERT_EQ_STR(eval("size(m) = :n", "{\":n\":{\"N\":\"1\"}}"), "OK true");
    ASSERT_EQ_STR(eval("size(ss) BETWEEN :a AND :b",
                       "{\":a\":{\"N\":\"2\"},\":b\":{\"N\":\"2\"}}"), "OK true");
}

TEST(expr_eval_sets_lists_maps)
{
    ASSERT_EQ_STR(eval("ss = :ss", "{\":ss\":{\"SS\":[\"y\",\"x\"]}}"), "OK true");
    ASSERT_EQ_STR(eval("contains(l, :m)", "{\":m\":{\"M\":{\"k\":{\"S\":\"v\"}}}}"), "OK true");
    ASSERT_EQ_STR(eval("l[2].k = :x", "{\":x\":{\"S\":\"v\"}}"), "OK true");
    ASSERT_EQ_STR(eval("m = :m", "{\":m\":{\"M\":{\"k\":{\"S\":\"v\"}}}}"), "OK true");
    ASSERT_EQ_STR(eval("attribute_exists(l[3])", NULL), "OK false");
    ASSERT_EQ_STR(eval("attribute_exists(s[0])", NULL), "OK false");
    ASSERT_EQ_STR(eval("attribute_type(ns, :t)", "{\":t\":{\"S\":\"NS\"}}"), "OK true");
}

TEST(expr_eval_precedence_not_and_or)
{
    /* NOT binds tighter than AND, AND than OR */
    const char *v = "{\":n\":{\"N\":\"10\"},\":x\":{\"S\":\"x\"},\":t\":{\"BOOL\":false}}";
    const char *nt = "{\":n\":{\"N\":\"10\"},\":t\":{\"BOOL\":false}}";
    ASSERT_EQ_STR(eval("NOT n = :n AND t = :t", nt), "OK false");
    ASSERT_EQ_STR(eval("n = :n OR s = :x AND t = :t", v), "OK true");
    ASSERT_EQ_STR(eval("(n = :n OR s = :x) AND t = :t", v), "OK false");
    ASSERT_EQ_STR(eval("NOT n = :n OR NOT NOT t = :t", nt), "OK false");
}

TEST(expr_eval_no_item)
{
    struct err err = ERR_INIT;
    struct expr *e = NULL;
    const char *text = "attribute_not_exists(pk)";
    ASSERT_EQ_INT(expr_parse(EXPR_CONDITION, text, strlen(text), NULL, &e, &err), 0);
    ASSERT_EQ_INT(expr_eval(e, NULL), 1);
    json_t *empty = json_object();
    ASSERT_EQ_INT(expr_eval(e, empty), 1);
    json_decref(empty);
    expr_free(e);
}

/* ---------------------------------------------------------------- key conditions -------------- */

TEST(expr_key_condition_selects_hash_and_range)
{
    struct err err = ERR_INIT;
    struct expr_params *p = NULL;
    struct expr *e = NULL;
    struct expr_key_cond kc;
    struct expr_key_schema schema = {"pk", AV_S, "sk", AV_N};
    json_t *v = tx_load("{\":s\":{\"S\":\"k\"},\":a\":{\"N\":\"1\"},\":b\":{\"N\":\"2\"}}");
    const char *text = ":b >= sk AND pk = :s";   /* flipped: sk <= :b */

    ASSERT_EQ_INT(expr_params_new(NULL, v, &p, &err), 0);
    ASSERT_EQ_INT(expr_parse(EXPR_KEY_CONDITION, text, strlen(text), p, &e, &err), 0);
    ASSERT_EQ_INT(expr_key_condition(e, &schema, &kc, &err), 0);
    ASSERT_EQ_STR(json_string_value(json_object_get(kc.hash_value, "S")), "k");
    ASSERT_EQ_INT(kc.range_op, EXPR_KEY_LE);
    ASSERT_EQ_STR(json_string_value(json_object_get(kc.range_value[0], "N")), "2");
    expr_free(e);

    text = "pk = :s AND sk BETWEEN :a AND :b";
    ASSERT_EQ_INT(expr_parse(EXPR_KEY_CONDITION, text, strlen(text), p, &e, &err), 0);
    ASSERT_EQ_INT(expr_key_condition(e, &schema, &kc, &err), 0);
    ASSERT_EQ_INT(kc.range_op, EXPR_KEY_BETWEEN);
    ASSERT_EQ_STR(json_string_value(json_object_get(kc.range_value[1], "N")), "2");
    expr_free(e);

    /* a hash-only schema takes one condition */
    struct expr_key_schema hash_only = {"pk", AV_S, NULL, AV_INVALID};
    text = "pk = :s";
    ASSERT_EQ_INT(expr_parse(EXPR_KEY_CONDITION, text, strlen(text), p, &e, &err), 0);
    ASSERT_EQ_INT(expr_key_condition(e, &hash_only, &kc, &err), 0);
    ASSERT_EQ_INT(kc.range_op, EXPR_KEY_NONE);
    expr_free(e);
    text = "pk = :s AND sk = :a";
    ASSERT_EQ_INT(expr_parse(EXPR_KEY_CONDITION, text, strlen(text), p, &e, &err), 0);
    ASSERT_EQ_INT(expr_key_condition(e, &hash_only, &kc, &err), -1);
    ASSERT_EQ_STR(err.message, "Query key condition not supported");
    err_clear(&err);
    expr_free(e);
    expr_params_free(p);
    json_decref(v);
}

TEST(expr_key_condition_names_the_missing_key)
{
    /* Real DynamoDB names it ("...element: pk"); DynamoDB Local leaves the name out. */
    struct err err = ERR_INIT;
    struct expr *e = NULL;
    struct expr_key_cond kc;
    struct expr_key_schema schema = {"pk", AV_S, "sk", AV_N};
    json_t *v = tx_load("{\":n\":{\"N\":\"1\"}}");
    struct expr_params *p = NULL;
    const char *text = "sk = :n";
    ASSERT_EQ_INT(expr_params_new(NULL, v, &p, &err), 0);
    ASSERT_EQ_INT(expr_parse(EXPR_KEY_CONDITION, text, strlen(text), p, &e, &err), 0);
    ASSERT_EQ_INT(expr_key_condition(e, &schema, &kc, &err), -1);
    ASSERT_EQ_STR(err.message, "Query condition missed key schema element: pk");
    err_clear(&err);
    expr_free(e);
    expr_params_free(p);
    json_decref(v);
}
