/* fuzz_expr.c — libFuzzer target for the expression engine: the first input byte picks one of
 * the five expression kinds (or a legacy parameter map, or a whole request object, read as
 * JSON), the rest is the expression. Every input is parsed against fixed ExpressionAttributeNames/Values; whatever
 * parses is then evaluated, applied or projected against a fixed nested item, so that the
 * evaluator, the update step and the projection see every shape the parser accepts. Any crash,
 * sanitizer report or leak is a bug. How to build and run: fuzz/README. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "expr/expr.h"

static const char names_json[] =
    "{\"#a\":\"a\",\"#b\":\"b\",\"#st\":\"status\",\"#pk\":\"pk\",\"#l\":\"l\",\"#m\":\"m\","
    "\"#e\":\"\\u00e9\",\"#dot\":\"x.y\"}";
static const char values_json[] =
    "{\":s\":{\"S\":\"ab\"},\":s2\":{\"S\":\"\"},\":n\":{\"N\":\"1\"},\":n2\":{\"N\":\"-9.5E-3\"},"
    "\":big\":{\"N\":\"99999999999999999999999999999999999999\"},\":b\":{\"B\":\"AAE=\"},"
    "\":ss\":{\"SS\":[\"ab\",\"c\"]},\":ns\":{\"NS\":[\"1\",\"2\"]},\":bs\":{\"BS\":[\"AA==\"]},"
    "\":l\":{\"L\":[{\"S\":\"x\"},{\"N\":\"1\"}]},\":m\":{\"M\":{\"k\":{\"S\":\"v\"}}},"
    "\":t\":{\"BOOL\":true},\":nul\":{\"NULL\":true},\":ty\":{\"S\":\"SS\"}}";
static const char item_json[] =
    "{\"pk\":{\"S\":\"k\"},\"a\":{\"N\":\"5\"},\"b\":{\"S\":\"abc\"},\"status\":{\"S\":\"on\"},"
    "\"l\":{\"L\":[{\"N\":\"0\"},{\"M\":{\"c\":{\"L\":[{\"S\":\"x\"},{\"N\":\"2\"}]}}},"
    "{\"SS\":[\"ab\"]}]},\"m\":{\"M\":{\"n\":{\"NS\":[\"1\",\"3\"]},\"o\":{\"M\":{}},"
    "\"p\":{\"B\":\"AAEC\"}}},\"ss\":{\"SS\":[\"ab\",\"z\"]},\"x.y\":{\"BOOL\":false}}";

static json_t *names, *values, *item;

static void setup(void)
{
    if (item != NULL)
        return;
    names = json_loads(names_json, 0, NULL);
    values = json_loads(values_json, 0, NULL);
    item = json_loads(item_json, 0, NULL);
    if (names == NULL || values == NULL || item == NULL)
        abort();
}

static void use_expression(struct expr *e, enum expr_kind kind)
{
    struct err err = ERR_INIT;
    json_t *out = NULL;

    switch (kind) {
    case EXPR_CONDITION:
    case EXPR_FILTER:
        (void)expr_eval(e, item);
        (void)expr_eval(e, NULL);
        break;
    case EXPR_UPDATE: {
        struct expr_keys keys = {"pk", NULL};
        if (expr_update_apply(e, item, &keys, &out, &err) == 0) {
            json_t *old = expr_update_project(e, item), *new = expr_update_project(e, out);
            json_decref(old);
            json_decref(new);
        }
        json_decref(out);
        out = NULL;
        err_clear(&err);
        if (expr_update_apply(e, NULL, &keys, &out, &err) == 0)
            json_decref(out);
        out = NULL;
        break;
    }
    case EXPR_PROJECTION:
        out = expr_project(e, item);
        break;
    case EXPR_KEY_CONDITION: {
        struct expr_key_schema schema = {"pk", AV_S, "a", AV_N};
        struct expr_key_cond kc;
        (void)expr_key_condition(e, &schema, &kc, &err);
        break;
    }
    case EXPR__KINDS:
        break;
    }
    (void)expr_mentions(e, "a", 1);
    json_decref(out);
    err_clear(&err);
}

/* Legacy parameters: the bytes as JSON, handed to each translator that accepts its shape. */
static void fuzz_legacy(const uint8_t *data, size_t size)
{
    struct err err = ERR_INIT;
    struct expr *e = NULL;
    json_t *j = json_loadb((const char *)data, size, 0, NULL);

    if (j == NULL)
        return;
    if (json_is_object(j)) {
        if (expr_legacy_expected(j, "OR", &e, &err) == 0)
            use_expression(e, EXPR_CONDITION);
        expr_free(e);
        e = NULL;
        err_clear(&err);
        if (expr_legacy_conditions(EXPR_FILTER, j, NULL, &e, &err) == 0)
            use_expression(e, EXPR_FILTER);
        expr_free(e);
        e = NULL;
        err_clear(&err);
        if (expr_legacy_conditions(EXPR_KEY_CONDITION, j, NULL, &e, &err) == 0)
            use_expression(e, EXPR_KEY_CONDITION);
        expr_free(e);
        e = NULL;
        err_clear(&err);
        if (expr_legacy_attribute_updates(j, &e, &err) == 0)
            use_expression(e, EXPR_UPDATE);
    } else if (json_is_array(j)) {
        if (expr_legacy_attributes_to_get(j, &e, &err) == 0)
            use_expression(e, EXPR_PROJECTION);
    }
    expr_free(e);
    err_clear(&err);
    json_decref(j);
}

/* A request object (or a batch/transact element) through the request-level rules of every
 * operation. */
static void fuzz_request(const uint8_t *data, size_t size)
{
    json_t *j = json_loadb((const char *)data, size, 0, NULL);
    if (!json_is_object(j)) {
        json_decref(j);
        return;
    }
    for (int op = EXPR_OP_GET_ITEM; op <= EXPR_OP_TRANSACT_GET; op++) {
        struct err err = ERR_INIT;
        struct expr_request r;
        if (expr_check_params((enum expr_op)op, j, &err) == 0 &&
            expr_request_parse((enum expr_op)op, j, &r, &err) == 0) {
            for (int k = 0; k < EXPR__KINDS; k++)
                if (r.kind[k] != NULL)
                    use_expression(r.kind[k], (enum expr_kind)k);
            expr_request_free(&r);
        }
        err_clear(&err);
    }
    json_decref(j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct expr_params *params = NULL;
    struct err err = ERR_INIT;
    struct expr *e = NULL;

    setup();
    if (size == 0)
        return 0;
    unsigned sel = data[0] % 7;
    if (sel == 5) {
        fuzz_legacy(data + 1, size - 1);
        return 0;
    }
    if (sel == 6) {
        fuzz_request(data + 1, size - 1);
        return 0;
    }
    enum expr_kind kind = (enum expr_kind)sel;
    if (expr_params_new(names, values, &params, &err) == 0 &&
        expr_parse(kind, (const char *)data + 1, size - 1, params, &e, &err) == 0) {
        (void)expr_params_check_unused(params, &err);
        use_expression(e, kind);
    }
    expr_free(e);
    expr_params_free(params);
    err_clear(&err);
    return 0;
}
