/* keycond.c — turns a resolved KeyConditionExpression (or legacy KeyConditions) into what a Query
 * selects: the hash key value and an optional range condition, checking the shape first (only
 * AND; =, <, <=, >, >=, BETWEEN, begins_with; one condition per key, on a top-level attribute)
 * and then the table's or index's key schema, in the order and words of DynamoDB (Local, and
 * dynalite's convertKeyCondition / query for real DynamoDB where they differ: we say
 * "Query condition missed key schema element: pk" with the name, as DynamoDB does; Local omits
 * it). It does not run the query. Entry point: expr_key_condition. Developer guide: "Key
 * condition expressions for the Query operation". */
#include "ast.h"

#include <stdlib.h>
#include <string.h>

#define MSG_BAD_OPERATOR "Invalid operator used in KeyConditionExpression: %s"
#define MSG_BAD_CONDITION "Invalid condition in KeyConditionExpression: %s"

struct key_cond {
    const char *name;
    uint32_t name_len;
    enum expr_key_op op;
    enum legacy_op legacy;
    const json_t *value[2];
    uint32_t nvalues;
};

struct collect {
    const struct expr_key_schema *schema;
    struct key_cond conds[3];   /* more than 2 is an error, reported after collecting */
    uint32_t n;
    uint32_t total;             /* conditions seen */
    struct err *err;
};

static int is_key_name(const struct expr_key_schema *s, const char *name, size_t len)
{
    const char *k[2] = {s->hash_name, s->range_name};
    for (int i = 0; i < 2; i++)
        if (k[i] != NULL && strlen(k[i]) == len && memcmp(k[i], name, len) == 0)
            return 1;
    return 0;
}

static struct key_cond *find(struct collect *c, const char *name, size_t len)
{
    for (uint32_t k = 0; k < c->n; k++)
        if (c->conds[k].name_len == len && memcmp(c->conds[k].name, name, len) == 0)
            return &c->conds[k];
    return NULL;
}

static enum expr_key_op key_op(enum tok_kind op, int flipped)
{
    switch (op) {
    case TK_EQ: return EXPR_KEY_EQ;
    case TK_LT: return flipped ? EXPR_KEY_GT : EXPR_KEY_LT;
    case TK_LE: return flipped ? EXPR_KEY_GE : EXPR_KEY_LE;
    case TK_GT: return flipped ? EXPR_KEY_LT : EXPR_KEY_GT;
    case TK_GE: return flipped ? EXPR_KEY_LE : EXPR_KEY_GE;
    default: return EXPR_KEY_NONE;
    }
}

/* dynalite's checkExpr, pre-order: the node's operator, then its operands (paths name the key,
 * nested conditions recurse), then the condition itself. The tree has at most 300 operators. */
static int check(struct collect *c, const struct node *n)
{
    const struct path *attr = NULL;
    uint32_t attr_at = 0;

    switch (n->kind) {
    case N_OR:
        return err_set(c->err, ERR_VALIDATION, MSG_BAD_OPERATOR, "OR");
    case N_NOT:
        return err_set(c->err, ERR_VALIDATION, MSG_BAD_OPERATOR, "NOT");
    case N_IN:
        return err_set(c->err, ERR_VALIDATION, MSG_BAD_OPERATOR, "IN");
    case N_CMP:
        if (n->op == TK_NE)
            return err_set(c->err, ERR_VALIDATION, MSG_BAD_OPERATOR, "<>");
        break;
    case N_FUNC:
        if (n->fn == F_SIZE)
            return err_set(c->err, ERR_VALIDATION,
                           "KeyConditionExpressions cannot contain nested operations");
        if (n->fn != F_BEGINS_WITH)
            return err_set(c->err, ERR_VALIDATION, MSG_BAD_OPERATOR, expr__func_name(n->fn));
        if (n->child[0]->kind != N_PATH)
            return err_set(c->err, ERR_VALIDATION, MSG_BAD_CONDITION,
                           "begins_with operator must have the key attribute as its first "
                           "operand");
        break;
    case N_BETWEEN:
        if (n->child[0]->kind != N_PATH)
            return err_set(c->err, ERR_VALIDATION, MSG_BAD_CONDITION,
                           "BETWEEN operator must have the key attribute as its first operand");
        break;
    default:
        break;
    }
    for (uint32_t k = 0; k < n->nchild; k++) {
        const struct node *a = n->child[k];
        if (a->kind == N_PATH) {
            if (attr != NULL)
                return err_set(c->err, ERR_VALIDATION, MSG_BAD_CONDITION,
                               "Multiple attribute names used in one condition");
            if (a->path.n > 1)   /* key attributes were caught by nested_keys() */
                return err_set(c->err, ERR_VALIDATION,
                               "KeyConditionExpressions cannot have conditions on nested "
                               "attributes");
            attr = &a->path;
            attr_at = k;
        } else if (a->kind != N_VALUE) {
            if (check(c, a))
                return -1;
        }
    }
    if (n->kind == N_AND)
        return 0;
    if (attr == NULL)
        return err_set(c->err, ERR_VALIDATION, MSG_BAD_CONDITION, "No key attribute specified");
    const struct path_elem *el = &attr->elems[0];
    if (find(c, el->name, el->name_len) != NULL)
        return err_set(c->err, ERR_VALIDATION,
                       "KeyConditionExpressions must only contain one condition per key");
    c->total++;
    if (c->n == sizeof c->conds / sizeof c->conds[0])
        return 0;
    struct key_cond *kc = &c->conds[c->n++];
    memset(kc, 0, sizeof *kc);
    kc->name = el->name;
    kc->name_len = el->name_len;
    kc->legacy = (enum legacy_op)n->legacy_op;
    if (n->kind == N_CMP)
        kc->op = key_op(n->op, attr_at != 0);
    else if (n->kind == N_BETWEEN)
        kc->op = EXPR_KEY_BETWEEN;
    else if (n->kind == N_FUNC)
        kc->op = EXPR_KEY_BEGINS_WITH;
    for (uint32_t k = 0; k < n->nchild && kc->nvalues < 2; k++)
        if (k != attr_at && n->child[k]->kind == N_VALUE)
            kc->value[kc->nvalues++] = n->child[k]->value;
    return 0;
}

/* Before the shape: any path going inside a key attribute, in textual order (DynamoDB reports
 * "sk.x = :n OR ..." as the nested key, not the OR). Real DynamoDB's words (nubo-db tier1
 * query/keyConditionSemantics, dynalite); DynamoDB Local says "Key attributes must be scalars".
 * The tree has at most 300 operators. */
static int nested_keys(struct collect *c, const struct node *n)
{
    if (n->kind == N_PATH) {
        const struct path_elem *el = &n->path.elems[0];
        if (n->path.n > 1 && is_key_name(c->schema, el->name, el->name_len))
            return err_set(c->err, ERR_VALIDATION,
                           "KeyConditionExpressions cannot have conditions on nested attributes");
        return 0;
    }
    for (uint32_t k = 0; k < n->nchild; k++)
        if (nested_keys(c, n->child[k]))
            return -1;
    return 0;
}

/* Legacy KeyConditions arrive already validated; their operators are kept on the nodes. */
static int collect_legacy(struct collect *c, const struct node *n)
{
    const struct node *conds = n;
    uint32_t count = 1;
    if (n->kind == N_AND) {
        count = n->nchild;
    }
    for (uint32_t k = 0; k < count; k++) {
        const struct node *x = n->kind == N_AND ? n->child[k] : conds;
        const struct path_elem *el = &x->child[0]->path.elems[0];
        c->total++;
        if (c->n == sizeof c->conds / sizeof c->conds[0])
            continue;
        struct key_cond *kc = &c->conds[c->n++];
        memset(kc, 0, sizeof *kc);
        kc->name = el->name;
        kc->name_len = el->name_len;
        kc->legacy = (enum legacy_op)x->legacy_op;
        switch (kc->legacy) {
        case LEG_EQ: kc->op = EXPR_KEY_EQ; break;
        case LEG_LT: kc->op = EXPR_KEY_LT; break;
        case LEG_LE: kc->op = EXPR_KEY_LE; break;
        case LEG_GT: kc->op = EXPR_KEY_GT; break;
        case LEG_GE: kc->op = EXPR_KEY_GE; break;
        case LEG_BETWEEN: kc->op = EXPR_KEY_BETWEEN; break;
        case LEG_BEGINS_WITH: kc->op = EXPR_KEY_BEGINS_WITH; break;
        default: kc->op = EXPR_KEY_NONE; break;
        }
        for (uint32_t j = 1; j < x->nchild && kc->nvalues < 2; j++)
            if (x->child[j]->kind == N_VALUE)
                kc->value[kc->nvalues++] = x->child[j]->value;
    }
    return 0;
}

/* One key attribute against its condition: indexable operator, value type, and for the hash key
 * equality only. */
static int check_key(struct collect *c, const struct key_cond *kc, enum av_type type,
                     int is_hash)
{
    switch (kc->legacy) {
    case LEG_NULL:
    case LEG_NOT_NULL:
    case LEG_NE:
    case LEG_CONTAINS:
    case LEG_NOT_CONTAINS:
    case LEG_IN:
        return err_set(c->err, ERR_VALIDATION,
                       "Attempted conditional constraint is not an indexable operation");
    default:
        break;
    }
    for (uint32_t k = 0; k < kc->nvalues; k++)
        if (value_type(kc->value[k]) != type)
            return err_set(c->err, ERR_VALIDATION,
                           "One or more parameter values were invalid: Condition parameter type "
                           "does not match schema type");
    if (is_hash && kc->op != EXPR_KEY_EQ)
        return err_set(c->err, ERR_VALIDATION, "Query key condition not supported");
    return 0;
}

int expr_key_condition(const struct expr *e, const struct expr_key_schema *schema,
                       struct expr_key_cond *out, struct err *err)
{
    struct collect c;
    const struct key_cond *h, *r;

    memset(out, 0, sizeof *out);
    memset(&c, 0, sizeof c);
    c.schema = schema;
    c.err = err;
    if (e == NULL || e->kind != EXPR_KEY_CONDITION || schema == NULL ||
        schema->hash_name == NULL)
        return err_set(err, ERR_INTERNAL, "not a key condition");
    if (e->root != NULL && (e->legacy ? collect_legacy(&c, e->root) :
                            (nested_keys(&c, e->root) || check(&c, e->root))))
        return -1;
    if (c.total != 1 && c.total != 2)
        return err_set(err, ERR_VALIDATION, "Conditions can be of length 1 or 2 only");
    if (schema->range_name == NULL && c.total > 1)
        return err_set(err, ERR_VALIDATION, "Query key condition not supported");
    h = find(&c, schema->hash_name, strlen(schema->hash_name));
    if (h == NULL)
        return err_set(err, ERR_VALIDATION, "Query condition missed key schema element: %s",
                       schema->hash_name);
    if (check_key(&c, h, schema->hash_type, 1))
        return -1;
    r = schema->range_name ? find(&c, schema->range_name, strlen(schema->range_name)) : NULL;
    if (r == NULL && c.total > 1)
        return err_set(err, ERR_VALIDATION, "Query condition missed key schema element: %s",
                       schema->range_name);
    if (r != NULL && check_key(&c, r, schema->range_type, 0))
        return -1;
    out->hash_value = h->value[0];
    if (r != NULL) {
        out->range_op = r->op;
        out->range_value[0] = r->value[0];
        out->range_value[1] = r->value[1];
    }
    return 0;
}
