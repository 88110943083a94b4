/* test_expr_util.c — helpers shared by the expression-engine unit tests (test_expr_*.c): load
 * JSON, run one expression of any kind against optional names, values and item, and render the
 * outcome in one comparable line: "ERR <Exception>: <message>", "OK true|false" for conditions,
 * "OK <JSON>" for updates and projections (keys sorted, set members sorted, so that results
 * compare regardless of set order), "OK" for key conditions. The data-driven cases in
 * tests/unit/cases/expr/ use the same format (fuzz/make_cases.py records them from DynamoDB
 * Local). No TEST() here; the prototypes are in test_expr_util.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr/expr.h"
#include "test_expr_util.h"

json_t *tx_load(const char *text)
{
    json_error_t jerr;
    json_t *v = json_loads(text, JSON_DECODE_ANY, &jerr);
    if (v == NULL) {
        fprintf(stderr, "  test setup: bad JSON %s: %s\n", text, jerr.text);
        abort();
    }
    return v;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(json_string_value(*(json_t *const *)a), json_string_value(*(json_t *const *)b));
}

/* Sorts the members of every set in place (test data only). */
static void sort_sets(json_t *v)
{
    const char *key;
    json_t *x;
    size_t k;

    if (json_is_object(v)) {
        json_object_foreach(v, key, x) {
            if ((strcmp(key, "SS") == 0 || strcmp(key, "NS") == 0 || strcmp(key, "BS") == 0) &&
                json_is_array(x)) {
                size_t n = json_array_size(x);
                json_t **m = calloc(n + 1, sizeof *m);
                for (k = 0; k < n; k++)
                    m[k] = json_incref(json_array_get(x, k));
                qsort(m, n, sizeof *m, cmp_str);
                json_array_clear(x);
                for (k = 0; k < n; k++)
                    json_array_append_new(x, m[k]);
                free(m);
            } else {
                sort_sets(x);
            }
        }
    } else if (json_is_array(v)) {
        json_array_foreach(v, k, x)
            sort_sets(x);
    }
}

char *tx_canonical(const json_t *v)
{
    json_t *c = json_deep_copy(v);
    sort_sets(c);
    char *s = json_dumps(c, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
    json_decref(c);
    return s;
}

static enum expr_kind kind_of(const char *s)
{
    if (strcmp(s, "update") == 0)
        return EXPR_UPDATE;
    if (strcmp(s, "condition") == 0)
        return EXPR_CONDITION;
    if (strcmp(s, "filter") == 0)
        return EXPR_FILTER;
    if (strcmp(s, "projection") == 0)
        return EXPR_PROJECTION;
    return EXPR_KEY_CONDITION;
}

const char *tx_run(const char *kind_name, const char *text, const json_t *names,
                   const json_t *values, const json_t *raw_item)
{
    static char buf[16384];
    enum expr_kind kind = kind_of(kind_name);
    struct err err = ERR_INIT;
    struct expr_params *params = NULL;
    struct expr *e = NULL;
    json_t *item = raw_item ? value_canonical_item(raw_item) : NULL, *out = NULL;
    char *dump = NULL;

    snprintf(buf, sizeof buf, "OK");
    if (expr_params_new(names, values, &params, &err) == 0 &&
        expr_parse(kind, text, strlen(text), params, &e, &err) == 0 &&
        expr_params_check_unused(params, &err) == 0) {
        if (kind == EXPR_KEY_CONDITION) {
            struct expr_key_schema schema = {"pk", AV_S, "sk", AV_N};
            struct expr_key_cond kc;
            (void)expr_key_condition(e, &schema, &kc, &err);
        } else if (kind == EXPR_UPDATE) {
            struct expr_keys keys = {"pk", NULL};
            if (expr_update_apply(e, item, &keys, &out, &err) == 0)
                json_object_del(out, "pk");
        } else if (kind == EXPR_PROJECTION) {
            out = expr_project(e, item);
        } else {
            snprintf(buf, sizeof buf, "OK %s", expr_eval(e, item) ? "true" : "false");
        }
    }
    if (err_isset(&err))
        snprintf(buf, sizeof buf, "ERR %s: %s", err_name(err.code), err.message ? err.message : "");
    else if (out != NULL && (dump = tx_canonical(out)) != NULL)
        snprintf(buf, sizeof buf, "OK %s", dump);
    free(dump);
    json_decref(out);
    json_decref(item);
    err_clear(&err);
    expr_free(e);
    expr_params_free(params);
    return buf;
}
