/* test_expr_parse.c — unit tests of expression parsing and resolution (parser.c, lexer.c,
 * resolve.c, request.c): every data-driven case of tests/unit/cases/expr/ (recorded from
 * DynamoDB Local by fuzz/make_cases.py: syntax errors with their token and context, redundant
 * parentheses, reserved words, functions, operands, limits, the order of errors, updates,
 * projections, key conditions, evaluation results), then the request-level rules: parameter
 * maps, mixing expression and legacy parameters, the order expressions are validated in. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "expr/expr.h"
#include "test.h"
#include "test_expr_util.h"

#define CASES_DIR "tests/unit/cases/expr"

/* ---------------------------------------------------------------- data-driven cases ----------- */

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n;

    if (f == NULL)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (buf = malloc((size_t)n + 1)) != NULL) {
        size_t got = fread(buf, 1, (size_t)n, f);
        buf[got] = '\0';
        while (got > 0 && (buf[got - 1] == '\n' || buf[got - 1] == '\r'))
            buf[--got] = '\0';
    }
    fclose(f);
    return buf;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs one case; returns 1 if it passes, printing both sides otherwise. */
static int run_case(const char *id)
{
    char path[512];
    snprintf(path, sizeof path, CASES_DIR "/%s/input", id);
    char *input = read_file(path);
    snprintf(path, sizeof path, CASES_DIR "/%s/expected", id);
    char *expected = read_file(path);
    int ok = 0;

    if (input != NULL && expected != NULL) {
        json_t *in = tx_load(input);
        const char *got = tx_run(json_string_value(json_object_get(in, "kind")),
                                 json_string_value(json_object_get(in, "expr")),
                                 json_object_get(in, "names"), json_object_get(in, "values"),
                                 json_object_get(in, "item"));
        ok = strcmp(got, expected) == 0 ||
             (strcmp(expected, "OK") == 0 && strncmp(got, "OK", 2) == 0);
        if (!ok)
            fprintf(stderr, "  case %s:\n    got:      %.600s\n    expected: %.600s\n", id, got,
                    expected);
        json_decref(in);
    } else {
        fprintf(stderr, "  case %s: missing input or expected\n", id);
    }
    free(input);
    free(expected);
    return ok;
}

/* Every recorded case; the directory must exist (run from the repository root). */
TEST(expr_cases_recorded_from_dynamodb_local)
{
    DIR *d = opendir(CASES_DIR);
    struct dirent *de;
    char **ids = NULL;
    size_t n = 0, cap = 0, failed = 0;

    ASSERT(d != NULL);
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            ids = realloc(ids, cap * sizeof *ids);
        }
        ids[n++] = strdup(de->d_name);
    }
    closedir(d);
    qsort(ids, n, sizeof *ids, cmp_names);
    for (size_t k = 0; k < n; k++) {
        failed += !run_case(ids[k]);
        free(ids[k]);
    }
    free(ids);
    ASSERT_EQ_INT(failed, 0);
    ASSERT(n >= 650);
}

/* ---------------------------------------------------------------- named boundary cases -------- */

static const char *run(const char *kind, const char *expr, const char *names, const char *values)
{
    static char buf[8192];
    json_t *n = names ? tx_load(names) : NULL, *v = values ? tx_load(values) : NULL;
    snprintf(buf, sizeof buf, "%s", tx_run(kind, expr, n, v, NULL));
    json_decref(n);
    json_decref(v);
    return buf;
}

#define VALS "{\":s\":{\"S\":\"x\"}}"

TEST(expr_syntax_error_quotes_previous_to_next_token)
{
    ASSERT_EQ_STR(run("condition", "a = = b", NULL, NULL),
                  "ERR ValidationException: Invalid ConditionExpression: Syntax error; token: "
                  "\"=\", near: \"= = b\"");
    /* at the start, "near" begins at the start of the text; at the end, it runs to the end */
    ASSERT_EQ_STR(run("condition", " = pk", NULL, NULL),
                  "ERR ValidationException: Invalid ConditionExpression: Syntax error; token: "
                  "\"=\", near: \" = pk\"");
    ASSERT_EQ_STR(run("condition", "a = ", NULL, NULL),
                  "ERR ValidationException: Invalid ConditionExpression: Syntax error; token: "
                  "\"<EOF>\", near: \"= \"");
    /* a leading zero makes two index tokens */
    ASSERT_EQ_STR(run("projection", "a[01]", NULL, NULL),
                  "ERR ValidationException: Invalid ProjectionExpression: Syntax error; token: "
                  "\"1\", near: \"01]\"");
}

TEST(expr_empty_and_size_limit_boundaries)
{
    char big[4200];
    ASSERT_EQ_STR(run("update", "", NULL, NULL),
                  "ERR ValidationException: Invalid UpdateExpression: The expression can not be "
                  "empty;");
    /* 4096 UTF-16 units pass, 4097 fail; the limit counts characters, not bytes */
    memset(big, ' ', sizeof big);
    memcpy(big, "a = :s", 6);
    big[4096] = '\0';
    ASSERT_EQ_STR(run("condition", big, NULL, VALS), "OK false");
    big[4096] = ' ';
    big[4097] = '\0';
    ASSERT_EQ_STR(run("condition", big, NULL, VALS),
                  "ERR ValidationException: Invalid ConditionExpression: Expression size has "
                  "exceeded the maximum allowed size; expression size: 4097");
}

TEST(expr_deep_nesting_is_refused_not_crashed)
{
    /* 1,000+ levels fit in 4 KB: beyond anything DynamoDB accepts (300 operators); refused
     * without recursing past the parser's depth bound. */
    static char s[4200];
    size_t k = 0;
    for (size_t i = 0; i < 1020; i++, k += 4)
        memcpy(s + k, "NOT ", 4);
    strcpy(s + k, "a = :s");
    ASSERT_EQ_STR(run("condition", s, NULL, VALS),
                  "ERR ValidationException: Invalid ConditionExpression: The expression contains "
                  "too many operators; operator count: 301");
    memset(s, '(', 4000);
    strcpy(s + 4000, "a");
    ASSERT(strncmp(run("condition", s, NULL, VALS),
                   "ERR ValidationException: Invalid ConditionExpression:", 53) == 0);
    /* within the bound: 300 NOTs are 301 operators with the comparison */
    k = 0;
    for (size_t i = 0; i < 300; i++, k += 4)
        memcpy(s + k, "NOT ", 4);
    strcpy(s + k, "a = :s");
    ASSERT_EQ_STR(run("condition", s, NULL, VALS),
                  "ERR ValidationException: Invalid ConditionExpression: The expression contains "
                  "too many operators; operator count: 301");
    strcpy(s + k - 4, "a = :s");
    ASSERT_EQ_STR(run("condition", s, NULL, VALS), "OK true");
}

TEST(expr_value_after_dot_is_an_undefined_name)
{
    /* DynamoDB's grammar takes "a.:v" and looks :v up among the names. */
    ASSERT_EQ_STR(run("projection", "a.:v", NULL, NULL),
                  "ERR ValidationException: Invalid ProjectionExpression: An expression attribute "
                  "name used in the document path is not defined; attribute name: :v");
}

/* ---------------------------------------------------------------- parameters ------------------ */

static const char *params_error(const char *names, const char *values)
{
    static char buf[1024];
    struct err err = ERR_INIT;
    struct expr_params *p = NULL;
    json_t *n = names ? tx_load(names) : NULL, *v = values ? tx_load(values) : NULL;
    if (expr_params_new(n, v, &p, &err) == 0)
        snprintf(buf, sizeof buf, "OK");
    else
        snprintf(buf, sizeof buf, "%s", err.message ? err.message : "");
    expr_params_free(p);
    err_clear(&err);
    json_decref(n);
    json_decref(v);
    return buf;
}

TEST(expr_params_checks_keys_of_both_maps_before_values)
{
    ASSERT_EQ_STR(params_error("{}", NULL), "ExpressionAttributeNames must not be empty");
    ASSERT_EQ_STR(params_error(NULL, "{}"), "ExpressionAttributeValues must not be empty");
    /* names {"#a": ""} with empty values: the values map is checked first */
    ASSERT_EQ_STR(params_error("{\"#a\":\"\"}", "{}"), "ExpressionAttributeValues must not be empty");
    ASSERT_EQ_STR(params_error("{\"#a\":\"\"}", "{\"b\":{\"S\":\"x\"}}"),
                  "ExpressionAttributeValues contains invalid key: Syntax error; key: \"b\"");
    ASSERT_EQ_STR(params_error("{\"#a\":\"\"}", NULL),
                  "ExpressionAttributeNames contains invalid value: Empty attribute name for key #a");
    ASSERT_EQ_STR(params_error(NULL, "{\":a\":{\"N\":\"x\"}}"),
                  "ExpressionAttributeValues contains invalid value: The parameter cannot be "
                  "converted to a numeric value: x for key :a");
}

TEST(expr_placeholder_key_length_boundary)
{
    char key[300], json[400];
    key[0] = '#';
    memset(key + 1, 'a', 254);
    key[255] = '\0';   /* 255 bytes: accepted */
    snprintf(json, sizeof json, "{\"%s\":\"x\"}", key);
    ASSERT_EQ_STR(params_error(json, NULL), "OK");
    key[255] = 'a';
    key[256] = '\0';
    snprintf(json, sizeof json, "{\"%s\":\"x\"}", key);
    ASSERT_EQ_STR(params_error(json, NULL),
                  "ExpressionAttributeNames contains invalid key: The expression attribute map "
                  "contains a key that is too long; size of key: 256");
}

/* ---------------------------------------------------------------- request-level rules -------- */

static const char *check_params(enum expr_op op, const char *req_json)
{
    static char buf[1024];
    struct err err = ERR_INIT;
    json_t *req = tx_load(req_json);
    if (expr_check_params(op, req, &err) == 0)
        snprintf(buf, sizeof buf, "OK");
    else
        snprintf(buf, sizeof buf, "%s", err.message ? err.message : "");
    err_clear(&err);
    json_decref(req);
    return buf;
}

TEST(expr_mixing_expression_and_legacy_parameters)
{
    ASSERT_EQ_STR(check_params(EXPR_OP_UPDATE_ITEM,
                               "{\"Expected\":{},\"ConditionalOperator\":\"AND\","
                               "\"AttributeUpdates\":{},\"ConditionExpression\":\"a = b\","
                               "\"UpdateExpression\":\"SET a = b\"}"),
                  "Can not use both expression and non-expression parameters in the same "
                  "request: Non-expression parameters: {AttributeUpdates, Expected, "
                  "ConditionalOperator} Expression parameters: {UpdateExpression, "
                  "ConditionExpression}");
    ASSERT_EQ_STR(check_params(EXPR_OP_QUERY,
                               "{\"KeyConditions\":{},\"QueryFilter\":{},\"AttributesToGet\":[],"
                               "\"ConditionalOperator\":\"OR\",\"KeyConditionExpression\":\"k\","
                               "\"ProjectionExpression\":\"a\",\"FilterExpression\":\"f\"}"),
                  "Can not use both expression and non-expression parameters in the same "
                  "request: Non-expression parameters: {AttributesToGet, QueryFilter, "
                  "ConditionalOperator, KeyConditions} Expression parameters: "
                  "{ProjectionExpression, FilterExpression, KeyConditionExpression}");
    /* KeyConditions go with a FilterExpression */
    ASSERT_EQ_STR(check_params(EXPR_OP_QUERY, "{\"KeyConditions\":{},\"FilterExpression\":\"f\"}"),
                  "OK");
    /* an empty expression counts as absent for this rule */
    ASSERT_EQ_STR(check_params(EXPR_OP_PUT_ITEM,
                               "{\"Expected\":{},\"ConditionExpression\":\"\"}"), "OK");
}

TEST(expr_names_and_values_without_expressions)
{
    ASSERT_EQ_STR(check_params(EXPR_OP_GET_ITEM, "{\"ExpressionAttributeNames\":{\"#a\":\"a\"}}"),
                  "ExpressionAttributeNames can only be specified when using expressions");
    ASSERT_EQ_STR(check_params(EXPR_OP_GET_ITEM, "{\"ExpressionAttributeNames\":{}}"), "OK");
    ASSERT_EQ_STR(check_params(EXPR_OP_UPDATE_ITEM,
                               "{\"ExpressionAttributeValues\":{\":a\":{\"S\":\"a\"}}}"),
                  "ExpressionAttributeValues can only be specified when using expressions: "
                  "UpdateExpression and ConditionExpression are null");
    ASSERT_EQ_STR(check_params(EXPR_OP_SCAN,
                               "{\"ExpressionAttributeValues\":{\":a\":{\"S\":\"a\"}},"
                               "\"ProjectionExpression\":\"a\",\"FilterExpression\":\"\"}"),
                  "ExpressionAttributeValues can only be specified when using expressions: "
                  "FilterExpression is null");
}

/* ConditionalOperator needs Expected (or the operation's filter) with two or more conditions,
 * checked with the parameter rules (ExtendDB's legacy suite against DynamoDB; Local's words). */
TEST(expr_conditional_operator_needs_two_conditions)
{
    const char *without = "ConditionalOperator cannot be used without Filter or Expected";
    const char *one = "ConditionalOperator can only be used when Filter or Expected has two or more "
                      "elements";
    const char *two = "{\"a\":{\"Exists\":false},\"b\":{\"Exists\":false}}";
    char req[512];

    ASSERT_EQ_STR(check_params(EXPR_OP_PUT_ITEM, "{\"ConditionalOperator\":\"AND\"}"), without);
    ASSERT_EQ_STR(check_params(EXPR_OP_DELETE_ITEM,
                               "{\"ConditionalOperator\":\"OR\",\"Expected\":{}}"), without);
    ASSERT_EQ_STR(check_params(EXPR_OP_UPDATE_ITEM,
                               "{\"ConditionalOperator\":\"AND\",\"AttributeUpdates\":"
                               "{\"a\":{\"Action\":\"DELETE\"}}}"), without);
    ASSERT_EQ_STR(check_params(EXPR_OP_PUT_ITEM,
                               "{\"ConditionalOperator\":\"AND\",\"Expected\":"
                               "{\"a\":{\"Exists\":false}}}"), one);
    snprintf(req, sizeof req, "{\"ConditionalOperator\":\"OR\",\"Expected\":%s}", two);
    ASSERT_EQ_STR(check_params(EXPR_OP_UPDATE_ITEM, req), "OK");
    /* Query and Scan count their own filter only; before any key condition is looked at */
    ASSERT_EQ_STR(check_params(EXPR_OP_QUERY, "{\"ConditionalOperator\":\"AND\"}"), without);
    snprintf(req, sizeof req, "{\"ConditionalOperator\":\"AND\",\"ScanFilter\":%s}", two);
    ASSERT_EQ_STR(check_params(EXPR_OP_QUERY, req), without);
    ASSERT_EQ_STR(check_params(EXPR_OP_SCAN, req), "OK");
    ASSERT_EQ_STR(check_params(EXPR_OP_SCAN, "{\"ConditionalOperator\":\"AND\",\"ScanFilter\":"
                                             "{\"a\":{\"ComparisonOperator\":\"NULL\"}}}"),
                  one);
    /* after the names/values rules; an explicit null is absent */
    ASSERT_EQ_STR(check_params(EXPR_OP_PUT_ITEM, "{\"ConditionalOperator\":\"AND\","
                                                 "\"ExpressionAttributeNames\":{\"#a\":\"a\"}}"),
                  "ExpressionAttributeNames can only be specified when using expressions");
    ASSERT_EQ_STR(check_params(EXPR_OP_PUT_ITEM, "{\"ConditionalOperator\":null}"), "OK");
}

static const char *request(enum expr_op op, const char *req_json)
{
    static char buf[1024];
    struct err err = ERR_INIT;
    struct expr_request r;
    json_t *req = tx_load(req_json);
    if (expr_request_parse(op, req, &r, &err) == 0)
        snprintf(buf, sizeof buf, "OK");
    else
        snprintf(buf, sizeof buf, "%s", err.message ? err.message : "");
    expr_request_free(&r);
    err_clear(&err);
    json_decref(req);
    return buf;
}

TEST(expr_request_validates_expressions_in_dynamodb_order)
{
    /* Query: filter, then projection, then key condition (each fully, unused check last) */
    ASSERT_EQ_STR(request(EXPR_OP_QUERY,
                          "{\"ExpressionAttributeValues\":{\":a\":{\"S\":\"a\"}},"
                          "\"KeyConditionExpression\":\"pk = :zz\",\"FilterExpression\":\"a = :q\","
                          "\"ProjectionExpression\":\"#zz\"}"),
                  "Invalid FilterExpression: An expression attribute value used in expression is "
                  "not defined; attribute value: :q");
    ASSERT_EQ_STR(request(EXPR_OP_QUERY,
                          "{\"ExpressionAttributeValues\":{\":a\":{\"S\":\"a\"}},"
                          "\"KeyConditionExpression\":\"pk = :zz\",\"ProjectionExpression\":\"#zz\"}"),
                  "Invalid ProjectionExpression: An expression attribute name used in the document "
                  "path is not defined; attribute name: #zz");
    ASSERT_EQ_STR(request(EXPR_OP_UPDATE_ITEM,
                          "{\"ExpressionAttributeValues\":{\":a\":{\"S\":\"a\"}},"
                          "\"UpdateExpression\":\"SET a = :a\",\"ConditionExpression\":\"b = :q\"}"),
                  "Invalid ConditionExpression: An expression attribute value used in expression "
                  "is not defined; attribute value: :q");
    ASSERT_EQ_STR(request(EXPR_OP_SCAN,
                          "{\"ExpressionAttributeNames\":{\"#q\":\"x\"},"
                          "\"ExpressionAttributeValues\":{\":a\":{\"S\":\"a\"},\":b\":{\"S\":\"b\"}},"
                          "\"FilterExpression\":\"a = :a\"}"),
                  "Value provided in ExpressionAttributeNames unused in expressions: keys: {#q}");
    ASSERT_EQ_STR(request(EXPR_OP_GET_ITEM, "{\"ExpressionAttributeNames\":{}}"), "OK");
}

TEST(expr_request_keeps_the_parsed_expressions)
{
    struct err err = ERR_INIT;
    struct expr_request r;
    json_t *req = tx_load("{\"ExpressionAttributeValues\":{\":v\":{\"N\":\"1\"}},"
                          "\"UpdateExpression\":\"SET a = :v\",\"ConditionExpression\":\"b <> :v\"}");
    ASSERT_EQ_INT(expr_request_parse(EXPR_OP_UPDATE_ITEM, req, &r, &err), 0);
    ASSERT(r.kind[EXPR_UPDATE] != NULL && r.kind[EXPR_CONDITION] != NULL);
    ASSERT(r.kind[EXPR_FILTER] == NULL);
    ASSERT_EQ_INT(expr_get_kind(r.kind[EXPR_CONDITION]), EXPR_CONDITION);
    ASSERT_EQ_STR(expr_kind_field(EXPR_KEY_CONDITION), "KeyConditionExpression");
    /* evaluated as often as needed, never re-parsed */
    ASSERT_EQ_INT(expr_eval(r.kind[EXPR_CONDITION], NULL), 1);
    ASSERT_EQ_INT(expr_eval(r.kind[EXPR_CONDITION], NULL), 1);
    expr_request_free(&r);
    json_decref(req);
}

TEST(expr_mentions_top_level_and_nested_paths)
{
    struct err err = ERR_INIT;
    struct expr *e = NULL;
    const char *text = "a.b = c AND size(d[1]) > c";
    ASSERT_EQ_INT(expr_parse(EXPR_FILTER, text, strlen(text), NULL, &e, &err), 0);
    ASSERT_EQ_INT(expr_mentions(e, "a", 1), EXPR_MENTION_NESTED);
    ASSERT_EQ_INT(expr_mentions(e, "c", 1), EXPR_MENTION_TOP);
    ASSERT_EQ_INT(expr_mentions(e, "d", 1), EXPR_MENTION_NESTED);
    ASSERT_EQ_INT(expr_mentions(e, "b", 1), 0);
    expr_free(e);
}

TEST(expr_check_key_paths_hash_first)
{
    struct err err = ERR_INIT;
    struct expr *e = NULL;
    struct expr_keys keys = {"pk", "sk"};
    const char *text = "sk.x = a AND pk[1].y = b";
    ASSERT_EQ_INT(expr_parse(EXPR_FILTER, text, strlen(text), NULL, &e, &err), 0);
    ASSERT_EQ_INT(expr_check_key_paths(e, &keys, "Key", &err), -1);
    ASSERT_EQ_STR(err.message, "Key attributes must be scalars; list random access '[]' and map "
                               "lookup '.' are not allowed: Key: pk");
    err_clear(&err);
    expr_free(e);
    text = "pk = a";
    ASSERT_EQ_INT(expr_parse(EXPR_FILTER, text, strlen(text), NULL, &e, &err), 0);
    ASSERT_EQ_INT(expr_check_key_paths(e, &keys, "Key", &err), 0);
    expr_free(e);
}
