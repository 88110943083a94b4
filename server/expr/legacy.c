/* legacy.c — the non-expression parameters translated into the same AST as expressions, after
 * DynamoDB's validation of them: Expected (+ ConditionalOperator), QueryFilter/ScanFilter,
 * KeyConditions, AttributeUpdates, AttributesToGet. Names are literal (no paths, placeholders or
 * reserved words); legacy semantics are kept (ADD appends to lists, NOT_CONTAINS is false for a
 * missing attribute, a missing Action is PUT). Messages: DynamoDB Local's, verified. Entry
 * points: expr_legacy_expected, expr_legacy_conditions, expr_legacy_attribute_updates,
 * expr_legacy_attributes_to_get. Developer guide: "Legacy conditional parameters". */
#include "ast.h"

#include <stdlib.h>
#include <string.h>

#define MSG_INVALID "One or more parameter values were invalid: "

static const struct {
    const char *name;
    enum legacy_op op;
    int min, max;          /* number of values */
    unsigned types;        /* allowed value types (bit per enum av_type); 0 = any */
} operators[] = {
    {"EQ", LEG_EQ, 1, 1, 0},
    {"NE", LEG_NE, 1, 1, 0},
    {"LE", LEG_LE, 1, 1, 1u << AV_S | 1u << AV_N | 1u << AV_B},
    {"LT", LEG_LT, 1, 1, 1u << AV_S | 1u << AV_N | 1u << AV_B},
    {"GE", LEG_GE, 1, 1, 1u << AV_S | 1u << AV_N | 1u << AV_B},
    {"GT", LEG_GT, 1, 1, 1u << AV_S | 1u << AV_N | 1u << AV_B},
    {"NOT_NULL", LEG_NOT_NULL, 0, 0, 0},
    {"NULL", LEG_NULL, 0, 0, 0},
    {"CONTAINS", LEG_CONTAINS, 1, 1, 1u << AV_S | 1u << AV_N | 1u << AV_B},
    {"NOT_CONTAINS", LEG_NOT_CONTAINS, 1, 1, 1u << AV_S | 1u << AV_N | 1u << AV_B},
    {"BEGINS_WITH", LEG_BEGINS_WITH, 1, 1, 1u << AV_S | 1u << AV_B},
    {"IN", LEG_IN, 1, 1 << 30, 1u << AV_S | 1u << AV_N | 1u << AV_B},
    {"BETWEEN", LEG_BETWEEN, 2, 2, 1u << AV_S | 1u << AV_N | 1u << AV_B},
};

static int find_operator(const char *name)
{
    for (size_t k = 0; name != NULL && k < sizeof operators / sizeof operators[0]; k++)
        if (strcmp(operators[k].name, name) == 0)
            return (int)k;
    return -1;
}

/* ---------------------------------------------------------------- building -------------------- */

static struct expr *new_expr(enum expr_kind kind, struct err *err)
{
    struct expr *e = calloc(1, sizeof *e);
    if (e == NULL || (e->owned = json_array()) == NULL) {
        free(e);
        err_set(err, ERR_INTERNAL, "out of memory");
        return NULL;
    }
    e->kind = kind;
    e->legacy = 1;
    return e;
}

static struct node *node(struct expr *e, enum node_kind kind, uint32_t nchild)
{
    struct node *n = expr__alloc(&e->arena, sizeof *n);
    if (n == NULL)
        return NULL;
    n->kind = kind;
    n->nchild = nchild;
    if (nchild > 0 && (n->child = expr__alloc(&e->arena, nchild * sizeof *n->child)) == NULL)
        return NULL;
    return n;
}

static int set_path(struct expr *e, struct path *p, const char *name, size_t len)
{
    p->elems = expr__alloc(&e->arena, sizeof *p->elems);
    if (p->elems == NULL)
        return -1;
    p->n = 1;
    p->elems[0].name = name;
    p->elems[0].name_len = (uint32_t)len;
    return 0;
}

static struct node *path_node(struct expr *e, const char *name, size_t len)
{
    struct node *n = node(e, N_PATH, 0);
    if (n == NULL || set_path(e, &n->path, name, len))
        return NULL;
    return n;
}

/* A value node over a canonical copy of av (kept alive by e->owned). av is validated. */
static struct node *value_node(struct expr *e, const json_t *av)
{
    struct node *n = node(e, N_VALUE, 0);
    json_t *c = value_canonical(av);
    if (n == NULL || c == NULL || json_array_append_new(e->owned, c)) {
        return NULL;
    }
    n->value = c;
    n->orig = av;
    n->vtype = value_type(c);
    if (n->vtype == AV_N) {
        json_t *s = json_object_get(c, "N");
        if (num_parse(json_string_value(s), json_string_length(s), &n->num, NULL))
            return NULL;
    }
    return n;
}

/* The condition node for one attribute: op over the values. */
static struct node *condition_node(struct expr *e, const char *name, size_t len,
                                   enum legacy_op op, const json_t *const *vals, size_t nvals)
{
    struct node *p = path_node(e, name, len), *n = NULL;
    if (p == NULL)
        return NULL;
    switch (op) {
    case LEG_EQ: case LEG_NE: case LEG_LE: case LEG_LT: case LEG_GE: case LEG_GT:
        n = node(e, N_CMP, 2);
        if (n != NULL) {
            static const enum tok_kind tk[] = {[LEG_EQ] = TK_EQ, [LEG_NE] = TK_NE,
                                               [LEG_LE] = TK_LE, [LEG_LT] = TK_LT,
                                               [LEG_GE] = TK_GE, [LEG_GT] = TK_GT};
            n->op = tk[op];
        }
        break;
    case LEG_NOT_NULL:
    case LEG_NULL:
        if ((n = node(e, N_FUNC, 1)) != NULL)
            n->fn = op == LEG_NULL ? F_ATTRIBUTE_NOT_EXISTS : F_ATTRIBUTE_EXISTS;
        break;
    case LEG_CONTAINS:
    case LEG_NOT_CONTAINS:   /* eval.c: NOT_CONTAINS needs the attribute to exist */
        if ((n = node(e, N_FUNC, 2)) != NULL)
            n->fn = F_CONTAINS;
        break;
    case LEG_BEGINS_WITH:
        if ((n = node(e, N_FUNC, 2)) != NULL)
            n->fn = F_BEGINS_WITH;
        break;
    case LEG_IN:
        n = node(e, N_IN, (uint32_t)(1 + nvals));
        break;
    case LEG_BETWEEN:
        n = node(e, N_BETWEEN, 3);
        break;
    case LEG_NONE:
        break;
    }
    if (n == NULL)
        return NULL;
    n->legacy_op = (uint8_t)op;
    n->child[0] = p;
    for (size_t k = 0; k < nvals && k + 1 < n->nchild + 0u; k++)
        if ((n->child[k + 1] = value_node(e, vals[k])) == NULL)
            return NULL;
    return n;
}

/* Joins per-attribute conditions with AND or OR (NULL root for none: always true). */
static int finish_conditions(struct expr *e, struct node **conds, uint32_t n, int use_or)
{
    if (n == 0)
        return 0;
    if (n == 1) {
        e->root = conds[0];
        return 0;
    }
    e->root = node(e, use_or ? N_OR : N_AND, n);
    if (e->root == NULL)
        return -1;
    memcpy(e->root->child, conds, n * sizeof *conds);
    return 0;
}

/* ---------------------------------------------------------------- validation ------------------ */

static int validate_value(const json_t *av, struct err *err)
{
    return value_validate(av, err);
}

/* The checks shared by Expected with a ComparisonOperator and by the condition maps, once the
 * values are known: arity, then each value, one type for all, the operator's types, BETWEEN's
 * order. */
static int check_operator(int opi, const json_t *const *vals, size_t n, struct err *err)
{
    const char *name = operators[opi].name;

    if ((int)n < operators[opi].min || (int)n > operators[opi].max)
        return err_set(err, ERR_VALIDATION,
                       MSG_INVALID "Invalid number of argument(s) for the %s ComparisonOperator",
                       name);
    for (size_t k = 0; k < n; k++)
        if (validate_value(vals[k], err))
            return -1;
    for (size_t k = 1; k < n; k++)
        if (value_type(vals[k]) != value_type(vals[0]))
            return err_set(err, ERR_VALIDATION, MSG_INVALID
                           "AttributeValues inside AttributeValueList must be of same type");
    for (size_t k = 0; k < n; k++)
        if (operators[opi].types && !(operators[opi].types & (1u << value_type(vals[k]))))
            return err_set(err, ERR_VALIDATION, MSG_INVALID
                           "ComparisonOperator %s is not valid for %s AttributeValue type", name,
                           value_type_name(value_type(vals[k])));
    if (operators[opi].op == LEG_BETWEEN && value_compare(vals[0], vals[1]) > 0)
        return err_set(err, ERR_VALIDATION, "The BETWEEN condition was provided a range where "
                       "the lower bound is greater than the upper bound");
    return 0;
}

/* An attribute name of Expected, AttributeUpdates or a condition map is never empty, as in an item:
 * "Empty attribute name" (DynamoDB Local's text, checked entry by entry at the point each caller
 * notes), in the request-validation envelope, as value.c words an item's empty name. */
static int check_name(size_t len, struct err *err)
{
    if (len == 0)
        return err_set(err, ERR_VALIDATION, VALUE_MSG_ENVELOPE "Empty attribute name");
    return 0;
}

/* The values of an AttributeValueList (borrowed pointers), or of a lone Value. */
static const json_t **list_values(const json_t *list, const json_t *value, size_t *n)
{
    size_t count = json_is_array(list) ? json_array_size(list) : (value ? 1 : 0);
    const json_t **v = calloc(count ? count : 1, sizeof *v);
    if (v == NULL)
        return NULL;
    for (size_t k = 0; k < count; k++)
        v[k] = json_is_array(list) ? json_array_get(list, k) : value;
    *n = count;
    return v;
}

/* ---------------------------------------------------------------- Expected -------------------- */

static struct node *expected_one(struct expr *e, const char *name, size_t len,
                                 const json_t *cond, struct err *err)
{
    const json_t *value = json_object_get(cond, "Value");
    const json_t *list = json_object_get(cond, "AttributeValueList");
    const json_t *op = json_object_get(cond, "ComparisonOperator");
    const json_t *exists = json_object_get(cond, "Exists");
    struct node *n = NULL;

    if (json_is_null(value))
        value = NULL;
    if (json_is_null(list))
        list = NULL;
    if (json_is_null(op))
        op = NULL;
    if (json_is_null(exists))
        exists = NULL;
    if (value != NULL && list != NULL) {
        err_set(err, ERR_VALIDATION, MSG_INVALID "Value and AttributeValueList cannot be used "
                "together for Attribute: %.*s", (int)len, name);
        return NULL;
    }
    if (op != NULL) {
        int opi = find_operator(json_string_value(op));
        if (exists != NULL) {
            err_set(err, ERR_VALIDATION, MSG_INVALID "Exists and ComparisonOperator cannot be "
                    "used together for Attribute: %.*s", (int)len, name);
            return NULL;
        }
        if (opi < 0) {
            err_set(err, ERR_VALIDATION, "Comparison type does not exist in DynamoDB");
            return NULL;
        }
        if (operators[opi].min > 0 && list == NULL && value == NULL) {
            err_set(err, ERR_VALIDATION, MSG_INVALID "Value or AttributeValueList must be used "
                    "with ComparisonOperator: %s for Attribute: %.*s", operators[opi].name,
                    (int)len, name);
            return NULL;
        }
        size_t nv = 0;
        const json_t **vals = list_values(list, value, &nv);
        if (vals == NULL) {
            err_set(err, ERR_INTERNAL, "out of memory");
            return NULL;
        }
        /* an empty name is reported after the values' own errors, before the operator's
         * (DynamoDB Local: {"": EQ [SS []]} is the empty set, {"": EQ [x, y]} the name) */
        int bad = 0;
        for (size_t k = 0; k < nv && !bad; k++)
            bad = validate_value(vals[k], err);
        if (!bad && check_name(len, err) == 0 && check_operator(opi, vals, nv, err) == 0) {
            n = condition_node(e, name, len, operators[opi].op, vals, nv);
            if (n == NULL)
                err_set(err, ERR_INTERNAL, "out of memory");
        }
        free(vals);
        return n;
    }
    if (list != NULL) {
        err_set(err, ERR_VALIDATION, MSG_INVALID "AttributeValueList can only be used with a "
                "ComparisonOperator for Attribute: %.*s", (int)len, name);
        return NULL;
    }
    int must_exist = exists == NULL || json_is_true(exists);
    if (must_exist && value == NULL) {
        err_set(err, ERR_VALIDATION, MSG_INVALID "Value must be provided when Exists is %s for "
                "Attribute: %.*s", exists == NULL ? "null" : "true", (int)len, name);
        return NULL;
    }
    if (!must_exist && value != NULL) {
        err_set(err, ERR_VALIDATION, MSG_INVALID "Value cannot be used when Exists is false for "
                "Attribute: %.*s", (int)len, name);
        return NULL;
    }
    if ((value != NULL && validate_value(value, err)) || check_name(len, err))
        return NULL;
    n = must_exist ? condition_node(e, name, len, LEG_EQ, &value, 1)
                   : condition_node(e, name, len, LEG_NULL, NULL, 0);
    if (n == NULL)
        err_set(err, ERR_INTERNAL, "out of memory");
    return n;
}

static int use_or(const char *conditional_operator)
{
    return conditional_operator != NULL && strcmp(conditional_operator, "OR") == 0;
}

int expr_legacy_expected(const json_t *expected, const char *conditional_operator,
                         struct expr **out, struct err *err)
{
    struct expr *e;
    struct node **conds;
    const char *name;
    size_t len;
    json_t *cond;
    uint32_t n = 0;

    *out = NULL;
    if ((e = new_expr(EXPR_CONDITION, err)) == NULL)
        return -1;
    conds = calloc(json_object_size(expected) + 1, sizeof *conds);
    if (conds == NULL) {
        expr_free(e);
        return err_set(err, ERR_INTERNAL, "out of memory");
    }
    json_object_keylen_foreach((json_t *)expected, name, len, cond) {
        if ((conds[n] = expected_one(e, name, len, cond, err)) == NULL)
            goto fail;
        n++;
    }
    if (finish_conditions(e, conds, n, use_or(conditional_operator))) {
        err_set(err, ERR_INTERNAL, "out of memory");
        goto fail;
    }
    free(conds);
    *out = e;
    return 0;
fail:
    free(conds);
    expr_free(e);
    return -1;
}

/* ---------------------------------------------------------------- condition maps -------------- */

int expr_legacy_conditions(enum expr_kind kind, const json_t *conditions,
                           const char *conditional_operator, struct expr **out, struct err *err)
{
    struct expr *e;
    struct node **conds;
    const char *name;
    size_t len;
    json_t *cond;
    uint32_t n = 0;

    *out = NULL;
    if ((e = new_expr(kind, err)) == NULL)
        return -1;
    conds = calloc(json_object_size(conditions) + 1, sizeof *conds);
    if (conds == NULL) {
        expr_free(e);
        return err_set(err, ERR_INTERNAL, "out of memory");
    }
    json_object_keylen_foreach((json_t *)conditions, name, len, cond) {
        const json_t *list = json_object_get(cond, "AttributeValueList");
        size_t nv = 0;
        const json_t **vals = list_values(json_is_array(list) ? list : NULL, NULL, &nv);
        if (vals == NULL) {
            err_set(err, ERR_INTERNAL, "out of memory");
            goto fail;
        }
        /* validateConditions: each value first, then the operator's rules. */
        for (size_t k = 0; k < nv; k++)
            if (validate_value(vals[k], err)) {
                free(vals);
                goto fail;
            }
        int opi = find_operator(json_string_value(json_object_get(cond, "ComparisonOperator")));
        if (opi < 0) {
            free(vals);
            err_set(err, ERR_VALIDATION, "Comparison type does not exist in DynamoDB");
            goto fail;
        }
        /* then the name, once the entry's other checks pass (DynamoDB Local) */
        if (check_operator(opi, vals, nv, err) || check_name(len, err)) {
            free(vals);
            goto fail;
        }
        conds[n] = condition_node(e, name, len, operators[opi].op, vals, nv);
        free(vals);
        if (conds[n++] == NULL) {
            err_set(err, ERR_INTERNAL, "out of memory");
            goto fail;
        }
    }
    if (finish_conditions(e, conds, n, kind != EXPR_KEY_CONDITION &&
                                           use_or(conditional_operator))) {
        err_set(err, ERR_INTERNAL, "out of memory");
        goto fail;
    }
    free(conds);
    *out = e;
    return 0;
fail:
    free(conds);
    expr_free(e);
    return -1;
}

/* ---------------------------------------------------------------- AttributeUpdates ------------ */

/* The type names of the AttributeUpdates messages ("ADD action is not supported for the type
 * STRING"). */
static const char *long_type(enum av_type t)
{
    switch (t) {
    case AV_S: return "STRING";
    case AV_N: return "NUMBER";
    case AV_B: return "BINARY";
    case AV_BOOL: return "BOOLEAN";
    case AV_NULL: return "NULL";
    case AV_L: return "LIST";
    case AV_M: return "MAP";
    default: return value_type_name(t);
    }
}

int expr_legacy_attribute_updates(const json_t *updates, struct expr **out, struct err *err)
{
    struct expr *e;
    const char *name;
    size_t len;
    json_t *upd;
    uint32_t n = 0;

    *out = NULL;
    if ((e = new_expr(EXPR_UPDATE, err)) == NULL)
        return -1;
    e->actions = expr__alloc(&e->arena, (json_object_size(updates) + 1) * sizeof *e->actions);
    if (e->actions == NULL) {
        expr_free(e);
        return err_set(err, ERR_INTERNAL, "out of memory");
    }
    json_object_keylen_foreach((json_t *)updates, name, len, upd) {
        const json_t *value = json_object_get(upd, "Value");
        const char *action = json_string_value(json_object_get(upd, "Action"));
        struct action *a = &e->actions[n];
        if (json_is_null(value))
            value = NULL;
        if (action == NULL)
            action = "PUT";   /* the documented default (DynamoDB Local ignores such updates) */
        /* the name first: {"": PUT with no Value} and {"": PUT SS []} are the name (Local) */
        if (check_name(len, err))
            goto fail;
        if (value != NULL && validate_value(value, err))
            goto fail;
        if (value == NULL && strcmp(action, "DELETE") != 0) {
            err_set(err, ERR_VALIDATION, MSG_INVALID "Only DELETE action is allowed when no "
                    "attribute value is specified");
            goto fail;
        }
        enum av_type t = value ? value_type(value) : AV_INVALID;
        if (value != NULL && strcmp(action, "DELETE") == 0 &&
            t != AV_SS && t != AV_NS && t != AV_BS) {
            err_set(err, ERR_VALIDATION, MSG_INVALID "DELETE action with value is not supported "
                    "for the type %s", long_type(t));
            goto fail;
        }
        if (value != NULL && strcmp(action, "ADD") == 0 && t != AV_N && t != AV_L &&
            t != AV_SS && t != AV_NS && t != AV_BS) {
            err_set(err, ERR_VALIDATION, MSG_INVALID "ADD action is not supported for the type %s",
                    long_type(t));
            goto fail;
        }
        memset(a, 0, sizeof *a);
        if (set_path(e, &a->path, name, len))
            goto oom;
        if (strcmp(action, "DELETE") == 0)
            a->kind = value ? A_DELETE : A_REMOVE;
        else if (strcmp(action, "ADD") == 0)
            a->kind = A_LEGACY_ADD;
        else
            a->kind = A_SET;
        if (value != NULL && (a->value = value_node(e, value)) == NULL)
            goto oom;
        n++;
    }
    e->nactions = n;
    *out = e;
    return 0;
oom:
    err_set(err, ERR_INTERNAL, "out of memory");
fail:
    expr_free(e);
    return -1;
}

/* ---------------------------------------------------------------- AttributesToGet ------------- */

int expr_legacy_attributes_to_get(const json_t *names, struct expr **out, struct err *err)
{
    struct expr *e;
    size_t n = json_array_size(names);

    *out = NULL;
    for (size_t k = 0; k < n; k++)
        for (size_t j = 0; j < k; j++) {
            const json_t *a = json_array_get(names, j), *b = json_array_get(names, k);
            if (json_is_string(a) && json_equal(a, b))
                return err_set(err, ERR_VALIDATION, MSG_INVALID "Duplicate value in attribute "
                               "name: %s", json_string_value(b));
        }
    if ((e = new_expr(EXPR_PROJECTION, err)) == NULL)
        return -1;
    e->paths = expr__alloc(&e->arena, (n ? n : 1) * sizeof *e->paths);
    if (e->paths == NULL)
        goto oom;
    for (size_t k = 0; k < n; k++) {
        const json_t *s = json_array_get(names, k);
        if (!json_is_string(s))
            continue;
        if (set_path(e, &e->paths[e->npaths], json_string_value(s), json_string_length(s)))
            goto oom;
        e->npaths++;
    }
    *out = e;
    return 0;
oom:
    expr_free(e);
    return err_set(err, ERR_INTERNAL, "out of memory");
}
