/* request.c — the expression life cycle and the request-level rules around it: expr_parse (empty
 * and size checks, parse, resolve, the "Invalid <Field>: " prefix), expr_free, and for a whole
 * request the parameter-combination rules (expression vs legacy parameters, names/values given
 * without expressions) and the validateExpressions step in DynamoDB's order. It reads only the
 * request fields it names; other validation is reqspec.c's and the operations'.
 * Entry points: expr_parse, expr_free, expr_check_params, expr_request_parse, expr_request_free,
 * expr_mentions, expr_check_key_paths, expr_kind_field. */
#include "ast.h"

#include <stdlib.h>
#include <string.h>

#define MAX_EXPRESSION_UNITS 4096   /* LIMIT_EXPRESSION_BYTES, counted in UTF-16 units */

static const char *const kind_fields[EXPR__KINDS] = {
    [EXPR_UPDATE] = "UpdateExpression",         [EXPR_CONDITION] = "ConditionExpression",
    [EXPR_FILTER] = "FilterExpression",         [EXPR_PROJECTION] = "ProjectionExpression",
    [EXPR_KEY_CONDITION] = "KeyConditionExpression",
};

const char *expr_kind_field(enum expr_kind kind)
{
    return kind < EXPR__KINDS ? kind_fields[kind] : "";
}

enum expr_kind expr_get_kind(const struct expr *e)
{
    return e->kind;
}

/* ---------------------------------------------------------------- one expression -------------- */

/* Java's String.length(): DynamoDB measures the 4 KB limit in UTF-16 units ("é" counts 1, an
 * emoji 2; verified). */
static size_t utf16_length(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t k = 0; k < len; k++) {
        unsigned char c = (unsigned char)s[k];
        if ((c & 0xC0) != 0x80)
            n += c >= 0xF0 ? 2 : 1;
    }
    return n;
}

void expr_free(struct expr *e)
{
    if (e == NULL)
        return;
    free(e->toks);
    json_decref(e->owned);
    expr__arena_free(&e->arena);
    free(e);
}

int expr_parse(enum expr_kind kind, const char *text, size_t len, struct expr_params *params,
               struct expr **out, struct err *err)
{
    struct err local = ERR_INIT;
    const char *field = expr_kind_field(kind);
    struct expr *e;
    size_t units;

    *out = NULL;
    if (kind >= EXPR__KINDS)
        return err_set(err, ERR_INTERNAL, "bad expression kind");
    if (len == 0)
        return err_set(err, ERR_VALIDATION, "Invalid %s: The expression can not be empty;", field);
    units = utf16_length(text, len);
    if (units > MAX_EXPRESSION_UNITS)
        return err_set(err, ERR_VALIDATION,
                       "Invalid %s: Expression size has exceeded the maximum allowed size; "
                       "expression size: %zu", field, units);
    e = calloc(1, sizeof *e);
    if (e == NULL)
        return err_set(err, ERR_INTERNAL, "out of memory");
    e->kind = kind;
    e->text_len = len;
    e->text = expr__strdup(&e->arena, text, len);
    if (e->text == NULL) {
        expr_free(e);
        return err_set(err, ERR_INTERNAL, "out of memory");
    }
    if (expr__parse(e, &local) || expr__resolve(e, params, &local)) {
        if (local.code == ERR_VALIDATION)
            err_set(err, ERR_VALIDATION, "Invalid %s: %s", field,
                    local.message ? local.message : "");
        else
            err_set(err, local.code ? local.code : ERR_INTERNAL, "%s",
                    local.message ? local.message : "expression error");
        err_clear(&local);
        expr_free(e);
        return -1;
    }
    free(e->toks);   /* the resolved AST no longer needs them */
    e->toks = NULL;
    e->ntoks = 0;
    *out = e;
    return 0;
}

/* ---------------------------------------------------------------- request rules --------------- */

enum legacy_param {
    L_ATTRIBUTES_TO_GET, L_ATTRIBUTE_UPDATES, L_EXPECTED, L_QUERY_FILTER, L_SCAN_FILTER,
    L_CONDITIONAL_OPERATOR, L_KEY_CONDITIONS, L__COUNT
};

static const char *const legacy_names[L__COUNT] = {
    "AttributesToGet", "AttributeUpdates", "Expected", "QueryFilter", "ScanFilter",
    "ConditionalOperator", "KeyConditions",
};

/* Per operation: its expression parameters in the order DynamoDB names them in messages, and its
 * legacy parameters likewise (verified on DynamoDB Local with all of them at once). */
struct op_params {
    int nexpr;
    enum expr_kind expr[3];
    int nlegacy;
    enum legacy_param legacy[4];
};

static const struct op_params op_table[] = {
    [EXPR_OP_GET_ITEM] = {1, {EXPR_PROJECTION}, 1, {L_ATTRIBUTES_TO_GET}},
    [EXPR_OP_PUT_ITEM] = {1, {EXPR_CONDITION}, 2, {L_EXPECTED, L_CONDITIONAL_OPERATOR}},
    [EXPR_OP_DELETE_ITEM] = {1, {EXPR_CONDITION}, 2, {L_EXPECTED, L_CONDITIONAL_OPERATOR}},
    [EXPR_OP_UPDATE_ITEM] = {2, {EXPR_UPDATE, EXPR_CONDITION}, 3,
                             {L_ATTRIBUTE_UPDATES, L_EXPECTED, L_CONDITIONAL_OPERATOR}},
    [EXPR_OP_QUERY] = {3, {EXPR_PROJECTION, EXPR_FILTER, EXPR_KEY_CONDITION}, 4,
                       {L_ATTRIBUTES_TO_GET, L_QUERY_FILTER, L_CONDITIONAL_OPERATOR,
                        L_KEY_CONDITIONS}},
    [EXPR_OP_SCAN] = {2, {EXPR_PROJECTION, EXPR_FILTER}, 3,
                      {L_ATTRIBUTES_TO_GET, L_SCAN_FILTER, L_CONDITIONAL_OPERATOR}},
    [EXPR_OP_BATCH_GET] = {1, {EXPR_PROJECTION}, 1, {L_ATTRIBUTES_TO_GET}},
    [EXPR_OP_TRANSACT_CONDITION_CHECK] = {1, {EXPR_CONDITION}, 0, {0}},
    [EXPR_OP_TRANSACT_PUT] = {1, {EXPR_CONDITION}, 0, {0}},
    [EXPR_OP_TRANSACT_DELETE] = {1, {EXPR_CONDITION}, 0, {0}},
    [EXPR_OP_TRANSACT_UPDATE] = {2, {EXPR_UPDATE, EXPR_CONDITION}, 0, {0}},
    [EXPR_OP_TRANSACT_GET] = {1, {EXPR_PROJECTION}, 0, {0}},
};

static const struct op_params *params_of(enum expr_op op)
{
    if ((size_t)op >= sizeof op_table / sizeof op_table[0])
        return NULL;
    return &op_table[op];
}

/* An expression field that is present and not the empty string. */
static int has_expr(const json_t *req, enum expr_kind k)
{
    const json_t *v = json_object_get(req, kind_fields[k]);
    return v != NULL && !json_is_null(v) && !(json_is_string(v) && json_string_length(v) == 0);
}

static int given(const json_t *req, const char *field)
{
    const json_t *v = json_object_get(req, field);
    return v != NULL && !json_is_null(v);
}

static int nonempty_map(const json_t *req, const char *field)
{
    const json_t *v = json_object_get(req, field);
    return json_is_object(v) && json_object_size(v) > 0;
}

int expr_check_params(enum expr_op op, const json_t *req, struct err *err)
{
    const struct op_params *ops = params_of(op);
    struct sbuf legacy = {0}, exprs = {0};
    int nlegacy = 0, nexprs = 0, any_expr = 0;

    if (ops == NULL)
        return err_set(err, ERR_INTERNAL, "unknown expression operation");
    for (int k = 0; k < ops->nexpr; k++)
        if (has_expr(req, ops->expr[k])) {
            expr__sb_puts(&exprs, nexprs++ ? ", " : "");
            expr__sb_puts(&exprs, kind_fields[ops->expr[k]]);
        }
    if (nexprs > 0) {
        for (int k = 0; k < ops->nlegacy; k++) {
            enum legacy_param lp = ops->legacy[k];
            /* KeyConditions go with a FilterExpression or ProjectionExpression; only the
             * KeyConditionExpression excludes them. */
            if (lp == L_KEY_CONDITIONS && !has_expr(req, EXPR_KEY_CONDITION))
                continue;
            if (given(req, legacy_names[lp])) {
                expr__sb_puts(&legacy, nlegacy++ ? ", " : "");
                expr__sb_puts(&legacy, legacy_names[lp]);
            }
        }
    }
    if (legacy.failed || exprs.failed) {
        free(legacy.data);
        free(exprs.data);
        return err_set(err, ERR_INTERNAL, "out of memory");
    }
    if (nlegacy > 0) {
        err_set(err, ERR_VALIDATION,
                "Can not use both expression and non-expression parameters in the same request: "
                "Non-expression parameters: {%s} Expression parameters: {%s}", legacy.data,
                exprs.data);
        free(legacy.data);
        free(exprs.data);
        return -1;
    }
    free(legacy.data);
    free(exprs.data);

    for (int k = 0; k < ops->nexpr; k++)
        any_expr |= given(req, kind_fields[ops->expr[k]]);
    if (nonempty_map(req, "ExpressionAttributeNames") && !any_expr)
        return err_set(err, ERR_VALIDATION,
                       "ExpressionAttributeNames can only be specified when using expressions");

    if (nonempty_map(req, "ExpressionAttributeValues")) {
        struct sbuf names = {0};
        int n = 0, used = 0;
        for (int k = 0; k < ops->nexpr; k++) {
            if (ops->expr[k] == EXPR_PROJECTION)
                continue;
            used |= has_expr(req, ops->expr[k]);
            expr__sb_puts(&names, n++ ? " and " : "");
            expr__sb_puts(&names, kind_fields[ops->expr[k]]);
        }
        if (n > 0 && !used && !names.failed) {
            err_set(err, ERR_VALIDATION,
                    "ExpressionAttributeValues can only be specified when using expressions: %s "
                    "%s null", names.data, n > 1 ? "are" : "is");
            free(names.data);
            return -1;
        }
        free(names.data);
    }

    /* ConditionalOperator joins the conditions of the operation's Expected or QueryFilter/
     * ScanFilter: it needs that map, with two or more of them (an empty map counts as none).
     * Checked with the parameter rules, before any condition or key condition is looked at:
     * ExtendDB's legacy suite run against DynamoDB (a Query with ConditionalOperator and no key
     * condition at all gets this error), as the DAX client's request validator orders it. */
    for (int k = 0; k < ops->nlegacy; k++) {
        if (ops->legacy[k] != L_CONDITIONAL_OPERATOR || !given(req, "ConditionalOperator"))
            continue;
        const char *joined = op == EXPR_OP_QUERY ? "QueryFilter" :
                             op == EXPR_OP_SCAN ? "ScanFilter" : "Expected";
        const json_t *conditions = json_object_get(req, joined);
        size_t n = json_is_object(conditions) ? json_object_size(conditions) : 0;
        if (n == 0)
            return err_set(err, ERR_VALIDATION,
                           "ConditionalOperator cannot be used without Filter or Expected");
        if (n == 1)
            return err_set(err, ERR_VALIDATION, "ConditionalOperator can only be used when "
                           "Filter or Expected has two or more elements");
    }
    return 0;
}

void expr_request_free(struct expr_request *r)
{
    if (r == NULL)
        return;
    for (int k = 0; k < EXPR__KINDS; k++) {
        expr_free(r->kind[k]);
        r->kind[k] = NULL;
    }
    expr_params_free(r->params);
    r->params = NULL;
}

int expr_request_parse(enum expr_op op, const json_t *req, struct expr_request *out,
                       struct err *err)
{
    const struct op_params *ops = params_of(op);
    const json_t *names, *values;
    int present[EXPR__KINDS] = {0}, any = 0;

    memset(out, 0, sizeof *out);
    if (ops == NULL)
        return err_set(err, ERR_INTERNAL, "unknown expression operation");
    for (int k = 0; k < ops->nexpr; k++) {
        const json_t *v = json_object_get(req, kind_fields[ops->expr[k]]);
        if (json_is_string(v)) {
            present[ops->expr[k]] = 1;
            any = 1;
        }
    }
    if (!any)
        return 0;   /* an empty names map without expressions is accepted as absent */
    names = json_object_get(req, "ExpressionAttributeNames");
    values = json_object_get(req, "ExpressionAttributeValues");
    if (expr_params_new(json_is_object(names) ? names : NULL,
                        json_is_object(values) ? values : NULL, &out->params, err))
        return -1;
    for (int k = 0; k < EXPR__KINDS; k++) {
        if (!present[k])
            continue;
        const json_t *v = json_object_get(req, kind_fields[k]);
        if (expr_parse((enum expr_kind)k, json_string_value(v), json_string_length(v),
                       out->params, &out->kind[k], err))
            goto fail;
    }
    if (expr_params_check_unused(out->params, err))
        goto fail;
    return 0;
fail:
    expr_request_free(out);
    return -1;
}

/* ---------------------------------------------------------------- introspection --------------- */

static unsigned mention_path(const struct path *p, const char *name, size_t len)
{
    const struct path_elem *el = &p->elems[0];
    if (p->n == 0 || el->name == NULL || el->name_len != len || memcmp(el->name, name, len) != 0)
        return 0;
    return p->n == 1 ? EXPR_MENTION_TOP : EXPR_MENTION_NESTED;
}

/* Resolved trees have at most 300 operators, which bounds this recursion. */
static unsigned mention_node(const struct node *n, const char *name, size_t len)
{
    unsigned m = 0;
    if (n == NULL)
        return 0;
    if (n->kind == N_PATH)
        return mention_path(&n->path, name, len);
    for (uint32_t k = 0; k < n->nchild; k++)
        m |= mention_node(n->child[k], name, len);
    return m;
}

unsigned expr_mentions(const struct expr *e, const char *name, size_t len)
{
    unsigned m = 0;
    if (e == NULL)
        return 0;
    m |= mention_node(e->root, name, len);
    for (uint32_t k = 0; k < e->nactions; k++) {
        m |= mention_path(&e->actions[k].path, name, len);
        m |= mention_node(e->actions[k].value, name, len);
    }
    for (uint32_t k = 0; k < e->npaths; k++)
        m |= mention_path(&e->paths[k], name, len);
    return m;
}

int expr_check_key_paths(const struct expr *e, const struct expr_keys *keys, const char *label,
                         struct err *err)
{
    const char *k[2] = {keys ? keys->hash : NULL, keys ? keys->range : NULL};
    for (int i = 0; i < 2; i++)
        if (k[i] != NULL && (expr_mentions(e, k[i], strlen(k[i])) & EXPR_MENTION_NESTED))
            return err_set(err, ERR_VALIDATION,
                           "Key attributes must be scalars; list random access '[]' and map "
                           "lookup '.' are not allowed: %s: %s", label ? label : "Key", k[i]);
    return 0;
}
