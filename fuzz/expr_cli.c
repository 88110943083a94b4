/* expr_cli.c — a line-oriented driver of the expression engine, for differential testing against
 * DynamoDB Local (fuzz/expr_diff.py) and for poking at it by hand. Each input line is a JSON
 * object {"kind": "update|condition|filter|projection|key", "expr": "...", "names": {...},
 * "values": {...}, "item": {...}}; each output line is "OK", "OK <result JSON>" (a condition's
 * truth, an update's new item, a projection) or "ERR <ExceptionName>: <message>".
 * The key schema for "key" is pk (S) + sk (N), as the tests' expr_hr table; updates refuse pk.
 * The item is canonicalized first (value_canonical_item), as the server stores items.
 * Build: see fuzz/README. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr/expr.h"

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

static void print_result(json_t *j)
{
    char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
    printf("OK %s\n", s ? s : "?");
    free(s);
}

int main(void)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;

    while ((n = getline(&line, &cap, stdin)) > 0) {
        json_error_t jerr;
        json_t *in = json_loadb(line, (size_t)n, 0, &jerr);
        struct err err = ERR_INIT;
        struct expr_params *params = NULL;
        struct expr *e = NULL;
        if (in == NULL) {
            printf("BADINPUT %s\n", jerr.text);
            fflush(stdout);
            continue;
        }
        json_t *names = json_object_get(in, "names"), *values = json_object_get(in, "values");
        json_t *ex = json_object_get(in, "expr"), *raw = json_object_get(in, "item");
        /* the item as the server stores it: canonical (numbers normalised) */
        json_t *item = json_is_object(raw) ? value_canonical_item(raw) : NULL;
        enum expr_kind kind = kind_of(json_string_value(json_object_get(in, "kind")));
        if (expr_params_new(json_is_object(names) ? names : NULL,
                            json_is_object(values) ? values : NULL, &params, &err) == 0 &&
            expr_parse(kind, json_string_value(ex), json_string_length(ex), params, &e,
                       &err) == 0 &&
            expr_params_check_unused(params, &err) == 0) {
            if (kind == EXPR_KEY_CONDITION) {
                struct expr_key_schema schema = {"pk", AV_S, "sk", AV_N};
                struct expr_key_cond kc;
                if (expr_key_condition(e, &schema, &kc, &err) == 0)
                    printf("OK\n");
            } else if (kind == EXPR_UPDATE) {
                struct expr_keys keys = {"pk", NULL};
                json_t *out = NULL;
                if (expr_update_apply(e, json_is_object(item) ? item : NULL, &keys, &out,
                                      &err) == 0)
                    print_result(out);
                json_decref(out);
            } else if (kind == EXPR_PROJECTION) {
                json_t *out = expr_project(e, json_is_object(item) ? item : NULL);
                print_result(out);
                json_decref(out);
            } else {
                printf("OK %s\n", expr_eval(e, json_is_object(item) ? item : NULL) ? "true"
                                                                                     : "false");
            }
        }
        if (err_isset(&err))
            printf("ERR %s: %s\n", err_name(err.code), err.message ? err.message : "");
        err_clear(&err);
        expr_free(e);
        expr_params_free(params);
        json_decref(item);
        json_decref(in);
        fflush(stdout);
    }
    free(line);
    return 0;
}
