/* resolve.c — what DynamoDB checks after parsing, and the substitution of #names and :values
 * (Alternator's resolve step: nothing is evaluated unresolved); also the request's placeholder
 * context: ExpressionAttributeNames/Values validation, use tracking, the unused check. Checks run
 * in DynamoDB's phases (verified on DynamoDB Local): B function names, reserved words, index
 * range, misplaced functions; C path depth (32 levels), placeholders, operand counts, distinct
 * operands, types, BETWEEN bounds, IN size (conditions: first error wins; update/projection
 * paths each against the later ones, then update values: last problem wins); D the 300-operator
 * limit.
 * Entry points: expr_params_new/free, expr_params_check_unused, expr__resolve. */
#include "ast.h"

#include <stdlib.h>
#include <string.h>

#define MAX_OPERATORS 300   /* LIMIT_EXPRESSION_OPERATORS */
#define MAX_IN_OPERANDS 100 /* LIMIT_IN_OPERANDS */
#define MAX_INDEX 2147483647u   /* a[2147483647] parses, a[2147483648] is out of range */
#define MAX_PLACEHOLDER 255     /* bytes of a #name/:value key, '#'/':' included */
#define MAX_NAME_BYTES 65535    /* an attribute name must be < 64 KiB */
#define MAX_PATH_LEVELS 32      /* elements of a document path: a.b[0] has 3 */

#define MSG_OPERAND_TYPE \
    "Incorrect operand type for operator or function; operator or function: %s, operand type: %s"
#define MSG_OPERAND_COUNT \
    "Incorrect number of operands for operator or function; operator or function: %s, number of " \
    "operands: %u"
#define MSG_NEEDS_PATH \
    "Operator or function requires a document path; operator or function: %s"
#define MSG_DISTINCT \
    "The first operand must be distinct from the remaining operands for this operator or " \
    "function; operator: %s, first operand: %s"
#define MSG_PATHS \
    "Two document paths %s with each other; must remove or rewrite one of these paths; path one: " \
    "%s, path two: %s"
/* attribute_type's second operand given as a path: DynamoDB lists its internal type names. */
#define MSG_TYPE_OF_PATH \
    "{DICT,FLOAT,DOUBLESET,HDS,BOOL,M,SS,INTSET,S,DECIMALSET,NS,DOUBLE,INT,N,NULL,DECIMAL,B,HD," \
    "BS,FS,L}"
#define MSG_TYPE_NAMES "{N,BS,L,B,NULL,M,S,SS,NS,BOOL}"

/* ================================================================ parameters ================= */

struct param {
    const char *key;
    size_t key_len;
    const json_t *value;   /* names: the JSON string; values: the AttributeValue as given */
    json_t *canon;         /* values: canonical copy (owned) */
    uint32_t order;        /* position in the request's map */
    int used;
};

struct expr_params {
    struct param *names, *values;   /* sorted by key */
    size_t nnames, nvalues;
};

static int param_cmp(const void *a, const void *b)
{
    const struct param *x = a, *y = b;
    size_t n = x->key_len < y->key_len ? x->key_len : y->key_len;
    int c = memcmp(x->key, y->key, n);
    if (c != 0)
        return c;
    return (x->key_len > y->key_len) - (x->key_len < y->key_len);
}

static struct param *param_find(struct param *v, size_t n, const char *key, size_t len)
{
    struct param k;
    if (n == 0)
        return NULL;
    k.key = key;
    k.key_len = len;
    return bsearch(&k, v, n, sizeof *v, param_cmp);
}

static int placeholder_ok(const char *key, size_t len, char prefix)
{
    if (len < 2 || key[0] != prefix)
        return 0;
    for (size_t k = 1; k < len; k++) {
        char c = key[k];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_'))
            return 0;
    }
    return 1;
}

/* Copies a map's entries (in request order) and checks its keys. */
static int load_map(const json_t *map, const char *field, char prefix, struct param **out,
                    size_t *nout, struct err *err)
{
    size_t n = json_object_size(map), k = 0, key_len;
    const char *key;
    json_t *v;
    struct param *p;

    if (n == 0)
        return err_set(err, ERR_VALIDATION, "%s must not be empty", field);
    p = calloc(n, sizeof *p);
    if (p == NULL)
        return err_set(err, ERR_INTERNAL, "out of memory");
    json_object_keylen_foreach((json_t *)map, key, key_len, v) {
        if (!placeholder_ok(key, key_len, prefix)) {
            free(p);
            return err_set(err, ERR_VALIDATION,
                           "%s contains invalid key: Syntax error; key: \"%.*s\"", field,
                           (int)key_len, key);
        }
        if (key_len > MAX_PLACEHOLDER) {
            free(p);
            return err_set(err, ERR_VALIDATION,
                           "%s contains invalid key: The expression attribute map contains a key "
                           "that is too long; size of key: %zu", field, key_len);
        }
        p[k].key = key;
        p[k].key_len = key_len;
        p[k].value = v;
        p[k].order = (uint32_t)k;
        k++;
    }
    *out = p;
    *nout = n;
    return 0;
}

int expr_params_new(const json_t *names, const json_t *values, struct expr_params **out,
                    struct err *err)
{
    struct expr_params *p = calloc(1, sizeof *p);

    *out = NULL;
    if (p == NULL)
        return err_set(err, ERR_INTERNAL, "out of memory");
    /* DynamoDB checks both maps' keys before either map's values. */
    if (names != NULL &&
        load_map(names, "ExpressionAttributeNames", '#', &p->names, &p->nnames, err))
        goto fail;
    if (values != NULL &&
        load_map(values, "ExpressionAttributeValues", ':', &p->values, &p->nvalues, err))
        goto fail;
    for (size_t k = 0; k < p->nnames; k++) {
        const json_t *v = p->names[k].value;
        if (!json_is_string(v) || json_string_length(v) == 0) {
            err_set(err, ERR_VALIDATION,
                    "ExpressionAttributeNames contains invalid value: Empty attribute name for "
                    "key %.*s", (int)p->names[k].key_len, p->names[k].key);
            goto fail;
        }
        if (json_string_length(v) > MAX_NAME_BYTES) {
            err_set(err, ERR_VALIDATION,
                    "ExpressionAttributeNames contains invalid value: Attribute name is too "
                    "large, must be less than 65536 bytes for key %.*s",
                    (int)p->names[k].key_len, p->names[k].key);
            goto fail;
        }
    }
    for (size_t k = 0; k < p->nvalues; k++) {
        struct err verr = ERR_INIT;
        if (value_validate(p->values[k].value, &verr)) {
            if (verr.code == ERR_VALIDATION)
                err_set(err, ERR_VALIDATION,
                        "ExpressionAttributeValues contains invalid value: %s for key %.*s",
                        value_error_text(verr.message), (int)p->values[k].key_len,
                        p->values[k].key);
            else
                err_set(err, verr.code, "%s", verr.message ? verr.message : "");
            err_clear(&verr);
            goto fail;
        }
        p->values[k].canon = value_canonical(p->values[k].value);
        if (p->values[k].canon == NULL) {
            err_set(err, ERR_INTERNAL, "out of memory");
            goto fail;
        }
    }
    if (p->nnames)
        qsort(p->names, p->nnames, sizeof *p->names, param_cmp);
    if (p->nvalues)
        qsort(p->values, p->nvalues, sizeof *p->values, param_cmp);
    *out = p;
    return 0;
fail:
    expr_params_free(p);
    return -1;
}

void expr_params_free(struct expr_params *p)
{
    if (p == NULL)
        return;
    for (size_t k = 0; k < p->nvalues; k++)
        json_decref(p->values[k].canon);
    free(p->names);
    free(p->values);
    free(p);
}

/* DynamoDB lists unused keys in the iteration order of a java.util.HashSet copied from the whole
 * map: buckets by String.hashCode() spread as (h ^ h >>> 16) & (capacity - 1), ties in request
 * order, capacity the power of two >= max(n / 0.75 + 1, 16) for the map's n keys (verified on
 * DynamoDB Local with 3 to 26 keys). */
struct unused_key {
    const struct param *p;
    uint32_t bucket;
};

static int unused_cmp(const void *a, const void *b)
{
    const struct unused_key *x = a, *y = b;
    if (x->bucket != y->bucket)
        return x->bucket < y->bucket ? -1 : 1;
    return x->p->order < y->p->order ? -1 : x->p->order > y->p->order;
}

static uint32_t java_hash(const char *s, size_t len)
{
    uint32_t h = 0;
    for (size_t k = 0; k < len; k++)   /* keys are ASCII ([#:][A-Za-z0-9_]+) */
        h = 31u * h + (unsigned char)s[k];
    return h ^ (h >> 16);
}

static int report_unused(const struct param *v, size_t n, const char *field, struct err *err)
{
    size_t unused = 0, k;
    for (k = 0; k < n; k++)
        unused += !v[k].used;
    if (unused == 0)
        return 0;
    struct unused_key *keys = calloc(unused, sizeof *keys);
    if (keys == NULL)
        return err_set(err, ERR_INTERNAL, "out of memory");
    uint32_t want = (uint32_t)((float)n / 0.75f) + 1, cap = 16;
    while (cap < want)
        cap *= 2;
    size_t m = 0;
    for (k = 0; k < n; k++)
        if (!v[k].used) {
            keys[m].p = &v[k];
            keys[m].bucket = java_hash(v[k].key, v[k].key_len) & (cap - 1);
            m++;
        }
    qsort(keys, m, sizeof *keys, unused_cmp);
    struct sbuf sb = {0};
    for (k = 0; k < m; k++) {
        if (k > 0)
            expr__sb_puts(&sb, ", ");
        expr__sb_add(&sb, keys[k].p->key, keys[k].p->key_len);
    }
    free(keys);
    if (sb.failed) {
        free(sb.data);
        return err_set(err, ERR_INTERNAL, "out of memory");
    }
    err_set(err, ERR_VALIDATION, "Value provided in %s unused in expressions: keys: {%s}", field,
            sb.data ? sb.data : "");
    free(sb.data);
    return -1;
}

int expr_params_check_unused(const struct expr_params *p, struct err *err)
{
    if (p == NULL)
        return 0;
    if (report_unused(p->names, p->nnames, "ExpressionAttributeNames", err))
        return -1;
    return report_unused(p->values, p->nvalues, "ExpressionAttributeValues", err);
}

/* ================================================================ shared helpers ============= */

struct resolver {
    struct expr *e;
    struct expr_params *params;
    struct err *err;
    unsigned operators;
};

static const struct token *tok(const struct resolver *r, uint32_t i)
{
    return &r->e->toks[i];
}

static const char *tok_text(const struct resolver *r, uint32_t i)
{
    return r->e->text + r->e->toks[i].start;
}

static int oom(struct resolver *r)
{
    return err_set(r->err, ERR_INTERNAL, "out of memory");
}

/* The type of an operand known before evaluation: a :value's, or N for size(). */
enum av_type expr__static_type(const struct node *n)
{
    if (n->kind == N_VALUE)
        return n->vtype;
    if (n->kind == N_FUNC && n->fn == F_SIZE)
        return AV_N;
    return AV_INVALID;
}

static const char *cmp_name(enum tok_kind op)
{
    switch (op) {
    case TK_EQ: return "=";
    case TK_NE: return "<>";
    case TK_LT: return "<";
    case TK_LE: return "<=";
    case TK_GT: return ">";
    case TK_GE: return ">=";
    default: return "";
    }
}

static int is_condition_kind(enum expr_kind k)
{
    return k == EXPR_CONDITION || k == EXPR_FILTER || k == EXPR_KEY_CONDITION;
}

/* ================================================================ phase B ==================== */

/* Reserved words (identifiers only; #names are how one escapes them) and index ranges, element
 * by element in textual order. */
static int check_path_b(struct resolver *r, const struct path *p)
{
    for (uint32_t k = 0; k < p->n; k++) {
        const struct token *t = tok(r, p->elems[k].tok);
        if (t->kind == TK_ID && expr__is_reserved(tok_text(r, p->elems[k].tok), t->len))
            return err_set(r->err, ERR_VALIDATION,
                           "Attribute name is a reserved keyword; reserved keyword: %.*s",
                           (int)t->len, tok_text(r, p->elems[k].tok));
        if (t->kind == TK_INDEX) {
            unsigned long long v = 0;
            int over = t->len > 10;
            for (uint32_t c = 0; c < t->len && !over; c++)
                v = v * 10 + (unsigned)(tok_text(r, p->elems[k].tok)[c] - '0');
            if (over || v > MAX_INDEX)
                return err_set(r->err, ERR_VALIDATION,
                               "List index is not within the allowable range; index: [%.*s]",
                               (int)t->len, tok_text(r, p->elems[k].tok));
        }
    }
    return 0;
}

static int misused(struct resolver *r, const struct node *n)
{
    return err_set(r->err, ERR_VALIDATION, EXPR_MSG_MISUSED, expr__func_name(n->fn));
}

/* Where a function may stand, checked on entering it (after its name, before its arguments):
 * in a condition position only boolean functions (not size()); in an operand position of a
 * condition only size(); in an update, list_append only as a whole SET value. */
enum position { POS_CONDITION, POS_OPERAND, POS_VALUE };

static int misplaced(struct resolver *r, const struct node *n, enum position pos)
{
    int in_update = r->e->kind == EXPR_UPDATE;
    if (n->kind != N_FUNC)
        return 0;
    if (!in_update && pos == POS_CONDITION && n->fn == F_SIZE)
        return misused(r, n);
    if (!in_update && pos == POS_OPERAND && n->fn != F_SIZE)
        return misused(r, n);
    if (in_update && pos == POS_OPERAND && n->fn == F_LIST_APPEND)
        return misused(r, n);
    return 0;
}

static int walk_b(struct resolver *r, struct node *n, enum position pos)
{
    int in_update = r->e->kind == EXPR_UPDATE;

    switch (n->kind) {
    case N_AND:
    case N_OR:
    case N_NOT:
        r->operators += n->kind == N_NOT ? 1 : n->nchild - 1;
        for (uint32_t k = 0; k < n->nchild; k++)
            if (walk_b(r, n->child[k], POS_CONDITION))
                return -1;
        return 0;
    case N_CMP:
    case N_BETWEEN:
    case N_IN:
    case N_PLUS:
    case N_MINUS:
        r->operators++;
        for (uint32_t k = 0; k < n->nchild; k++)
            if (walk_b(r, n->child[k], POS_OPERAND))
                return -1;
        return 0;
    case N_FUNC: {
        const struct token *t = tok(r, n->tok);
        r->operators++;
        if (n->fn == F_UNKNOWN)
            return err_set(r->err, ERR_VALIDATION, "Invalid function name; function: %.*s",
                           (int)t->len, tok_text(r, n->tok));
        if (in_update && n->fn != F_IF_NOT_EXISTS && n->fn != F_LIST_APPEND)
            return err_set(r->err, ERR_VALIDATION,
                           "The function is not allowed in an update expression; function: %s",
                           expr__func_name(n->fn));
        if (!in_update && (n->fn == F_IF_NOT_EXISTS || n->fn == F_LIST_APPEND))
            return err_set(r->err, ERR_VALIDATION,
                           "The function is not allowed in a condition expression; function: %s",
                           expr__func_name(n->fn));
        if (misplaced(r, n, pos))
            return -1;
        for (uint32_t k = 0; k < n->nchild; k++)
            if (walk_b(r, n->child[k], POS_OPERAND))
                return -1;
        return 0;
    }
    case N_PATH:
        return check_path_b(r, &n->path);
    case N_VALUE:
        return 0;
    }
    return 0;
}

/* ================================================================ phase C ==================== */

/* A path is first checked for depth (before its #names: "#undefined.b...b" with 33 elements is
 * the nesting error), then its #names are substituted. Called where the path is met in phase C,
 * so the nesting error takes its place in each kind's order (verified on DynamoDB Local: a
 * condition's first problem, an update's or projection's last). */
static int resolve_path(struct resolver *r, struct path *p)
{
    if (p->n > MAX_PATH_LEVELS)
        return err_set(r->err, ERR_VALIDATION,
                       "The document path has too many nesting levels; nesting levels: %u", p->n);
    for (uint32_t k = 0; k < p->n; k++) {
        struct path_elem *el = &p->elems[k];
        const struct token *t = tok(r, el->tok);
        if (t->kind == TK_INDEX) {
            uint32_t v = 0;
            for (uint32_t c = 0; c < t->len; c++)
                v = v * 10 + (uint32_t)(tok_text(r, el->tok)[c] - '0');
            el->index = v;
            el->name = NULL;
            el->name_len = 0;
        } else if (t->kind == TK_NAMEREF || t->kind == TK_VALREF) {
            struct param *prm = r->params == NULL || t->kind == TK_VALREF ? NULL :
                param_find(r->params->names, r->params->nnames, tok_text(r, el->tok), t->len);
            if (prm == NULL)
                return err_set(r->err, ERR_VALIDATION, EXPR_MSG_UNDEFINED_NAME, (int)t->len,
                               tok_text(r, el->tok));
            prm->used = 1;
            el->name = json_string_value(prm->value);
            el->name_len = (uint32_t)json_string_length(prm->value);
        }
    }
    return 0;
}

static int resolve_value(struct resolver *r, struct node *n)
{
    const struct token *t = tok(r, n->tok);
    struct param *prm = r->params == NULL ? NULL :
        param_find(r->params->values, r->params->nvalues, tok_text(r, n->tok), t->len);
    if (prm == NULL)
        return err_set(r->err, ERR_VALIDATION, EXPR_MSG_UNDEFINED_VALUE, (int)t->len,
                       tok_text(r, n->tok));
    prm->used = 1;
    n->value = prm->canon;
    n->orig = prm->value;
    n->vtype = value_type(prm->canon);
    if (n->vtype == AV_N) {
        json_t *s = json_object_get(prm->canon, "N");
        if (num_parse(json_string_value(s), json_string_length(s), &n->num, r->err))
            return -1;
    }
    return 0;
}

static int operand_type_error(struct resolver *r, const char *op, enum av_type t)
{
    return err_set(r->err, ERR_VALIDATION, MSG_OPERAND_TYPE, op, value_type_name(t));
}

static int distinct_error(struct resolver *r, const char *op, const struct path *p)
{
    struct sbuf sb = {0};
    expr__path_format(p, &sb);
    if (sb.failed) {
        free(sb.data);
        return oom(r);
    }
    err_set(r->err, ERR_VALIDATION, MSG_DISTINCT, op, sb.data);
    free(sb.data);
    return -1;
}

/* 1 if operand 0 and operand k are the same document path. */
static int same_path(const struct node *a, const struct node *b)
{
    return a->kind == N_PATH && b->kind == N_PATH && expr__path_equal(&a->path, &b->path);
}

/* How DynamoDB quotes a value in the BETWEEN messages: {S:abc}, {N:10.50} (as given), and for
 * binaries the Java ByteBuffer it holds. */
static void quote_value(const struct node *n, struct sbuf *sb)
{
    const char *tname = value_type_name(n->vtype);
    json_t *m = json_object_get(n->orig, tname);

    expr__sb_printf(sb, "AttributeValue: {%s:", tname);
    if (n->vtype == AV_B) {
        uint8_t *bytes = NULL;
        size_t len = 0;
        if (value_base64_decode(json_string_value(m), json_string_length(m), &bytes, &len) != 0)
            len = 0;
        free(bytes);
        expr__sb_printf(sb, "java.nio.HeapByteBuffer[pos=0 lim=%zu cap=%zu]", len, len);
    } else if (json_is_string(m)) {
        expr__sb_add(sb, json_string_value(m), json_string_length(m));
    }
    expr__sb_puts(sb, "}");
}

static int between_bounds(struct resolver *r, const struct node *lo, const struct node *hi)
{
    const char *what;
    if (lo->kind != N_VALUE || hi->kind != N_VALUE)
        return 0;
    if (lo->vtype != hi->vtype)
        what = "The BETWEEN operator requires same data type for lower and upper bounds; ";
    else if (value_compare(lo->value, hi->value) > 0)
        what = "The BETWEEN operator requires upper bound to be greater than or equal to lower "
               "bound; ";
    else
        return 0;
    struct sbuf sb = {0};
    expr__sb_puts(&sb, what);
    expr__sb_puts(&sb, "lower bound operand: ");
    quote_value(lo, &sb);
    expr__sb_puts(&sb, ", upper bound operand: ");
    quote_value(hi, &sb);
    if (sb.failed) {
        free(sb.data);
        return oom(r);
    }
    err_set(r->err, ERR_VALIDATION, "%s", sb.data);
    free(sb.data);
    return -1;
}

static int scalar_type(enum av_type t)
{
    return t == AV_S || t == AV_N || t == AV_B;
}

static int valid_type_name(const json_t *v)
{
    static const char *const names[] = {"S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL",
                                        "BOOL"};
    json_t *s = json_object_get(v, "S");
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
        if (json_string_length(s) == strlen(names[k]) &&
            memcmp(json_string_value(s), names[k], strlen(names[k])) == 0)
            return 1;
    return 0;
}

static int check_function_c(struct resolver *r, const struct node *n)
{
    static const unsigned arity[] = {
        [F_ATTRIBUTE_EXISTS] = 1, [F_ATTRIBUTE_NOT_EXISTS] = 1, [F_ATTRIBUTE_TYPE] = 2,
        [F_BEGINS_WITH] = 2,      [F_CONTAINS] = 2,             [F_SIZE] = 1,
        [F_IF_NOT_EXISTS] = 2,    [F_LIST_APPEND] = 2,
    };
    const char *name = expr__func_name(n->fn);
    enum av_type t;

    if (n->nchild != arity[n->fn])
        return err_set(r->err, ERR_VALIDATION, MSG_OPERAND_COUNT, name, n->nchild);
    switch (n->fn) {
    case F_ATTRIBUTE_EXISTS:
    case F_ATTRIBUTE_NOT_EXISTS:
    case F_IF_NOT_EXISTS:
        if (n->child[0]->kind != N_PATH)
            return err_set(r->err, ERR_VALIDATION, MSG_NEEDS_PATH, name);
        if (n->fn == F_IF_NOT_EXISTS && same_path(n->child[0], n->child[1]))
            return distinct_error(r, name, &n->child[0]->path);
        return 0;
    case F_ATTRIBUTE_TYPE: {
        const struct node *a = n->child[1];
        if (same_path(n->child[0], a))   /* attribute_type(a, (a)): distinct first */
            return distinct_error(r, name, &n->child[0]->path);
        if (a->kind == N_PATH)
            return err_set(r->err, ERR_VALIDATION, MSG_OPERAND_TYPE, name, MSG_TYPE_OF_PATH);
        t = expr__static_type(a);
        if (t != AV_INVALID && t != AV_S)
            return operand_type_error(r, name, t);
        if (a->kind == N_VALUE && !valid_type_name(a->value)) {
            json_t *s = json_object_get(a->orig, "S");
            return err_set(r->err, ERR_VALIDATION,
                           "Invalid attribute type name found; type: %.*s, valid types: "
                           MSG_TYPE_NAMES, (int)json_string_length(s), json_string_value(s));
        }
        return 0;
    }
    case F_BEGINS_WITH:
        if (same_path(n->child[0], n->child[1]))
            return distinct_error(r, name, &n->child[0]->path);
        for (uint32_t k = 0; k < 2; k++) {
            t = expr__static_type(n->child[k]);
            if (t != AV_INVALID && t != AV_S && t != AV_B)
                return operand_type_error(r, name, t);
        }
        return 0;
    case F_CONTAINS:
        if (same_path(n->child[0], n->child[1]))
            return distinct_error(r, name, &n->child[0]->path);
        return 0;
    case F_SIZE:
        t = expr__static_type(n->child[0]);
        if (t == AV_N || t == AV_BOOL || t == AV_NULL)
            return operand_type_error(r, name, t);
        return 0;
    case F_LIST_APPEND:
        for (uint32_t k = 0; k < 2; k++) {
            t = expr__static_type(n->child[k]);
            if (t != AV_INVALID && t != AV_L)
                return operand_type_error(r, name, t);
        }
        return 0;
    case F_UNKNOWN:
        break;
    }
    return 0;
}

/* Post-order: operands are resolved before the node's own checks (begins_with(#undefined) is
 * the undefined name, not the operand count). */
static int walk_c(struct resolver *r, struct node *n)
{
    enum av_type t;

    if (n->kind == N_PATH)
        return resolve_path(r, &n->path);
    if (n->kind == N_VALUE)
        return resolve_value(r, n);
    for (uint32_t k = 0; k < n->nchild; k++)
        if (walk_c(r, n->child[k]))
            return -1;
    switch (n->kind) {
    case N_CMP:
        if (n->op != TK_EQ && n->op != TK_NE)
            for (uint32_t k = 0; k < 2; k++) {
                t = expr__static_type(n->child[k]);
                if (t != AV_INVALID && !scalar_type(t))
                    return operand_type_error(r, cmp_name(n->op), t);
            }
        if (same_path(n->child[0], n->child[1]))
            return distinct_error(r, cmp_name(n->op), &n->child[0]->path);
        return 0;
    case N_BETWEEN:
        for (uint32_t k = 0; k < 3; k++) {
            t = expr__static_type(n->child[k]);
            if (t != AV_INVALID && !scalar_type(t))
                return operand_type_error(r, "BETWEEN", t);
        }
        for (uint32_t k = 1; k < 3; k++)
            if (same_path(n->child[0], n->child[k]))
                return distinct_error(r, "BETWEEN", &n->child[0]->path);
        return between_bounds(r, n->child[1], n->child[2]);
    case N_IN:
        if (n->nchild - 1 > MAX_IN_OPERANDS)
            return err_set(r->err, ERR_VALIDATION,
                           "The IN operator is provided with too many operands; number of "
                           "operands: %u", n->nchild - 1);
        for (uint32_t k = 1; k < n->nchild; k++)
            if (same_path(n->child[0], n->child[k]))
                return distinct_error(r, "IN", &n->child[0]->path);
        return 0;
    case N_FUNC:
        return check_function_c(r, n);
    case N_PLUS:
    case N_MINUS:
        for (uint32_t k = 0; k < 2; k++) {
            t = expr__static_type(n->child[k]);
            if (t != AV_INVALID && t != AV_N)
                return operand_type_error(r, n->kind == N_PLUS ? "+" : "-", t);
        }
        return 0;
    default:
        return 0;
    }
}

/* ================================================================ paths of updates/projections */

/* Overlap: one path is a prefix of the other (or they are equal); conflict: at the first
 * difference one has a name where the other has an index. */
static int path_relation(const struct path *a, const struct path *b)
{
    uint32_t n = a->n < b->n ? a->n : b->n;
    for (uint32_t k = 0; k < n; k++) {
        const struct path_elem *x = &a->elems[k], *y = &b->elems[k];
        if ((x->name == NULL) != (y->name == NULL))
            return 2;
        if (x->name == NULL ? x->index != y->index :
            (x->name_len != y->name_len || memcmp(x->name, y->name, x->name_len) != 0))
            return 0;
    }
    return 1;
}

static int path_pair_error(struct err *err, int relation, const struct path *a,
                           const struct path *b)
{
    struct sbuf one = {0}, two = {0};
    expr__path_format(a, &one);
    expr__path_format(b, &two);
    if (one.failed || two.failed)
        err_set(err, ERR_INTERNAL, "out of memory");
    else
        err_set(err, ERR_VALIDATION, MSG_PATHS, relation == 1 ? "overlap" : "conflict",
                one.data, two.data);
    free(one.data);
    free(two.data);
    return -1;
}

/* Replaces *last by a fresh error (DynamoDB keeps the last one found in these passes). */
static void keep_last(struct err *last, struct err *fresh)
{
    err_clear(last);
    *last = *fresh;
    memset(fresh, 0, sizeof *fresh);
}

/* The order DynamoDB's overlap message picks "path two" by: element by element, names by bytes,
 * indexes by value, a name before an index, a prefix before the longer path. */
static int path_order(const struct path *a, const struct path *b)
{
    uint32_t n = a->n < b->n ? a->n : b->n;
    for (uint32_t k = 0; k < n; k++) {
        const struct path_elem *x = &a->elems[k], *y = &b->elems[k];
        if ((x->name == NULL) != (y->name == NULL))
            return x->name == NULL ? 1 : -1;
        if (x->name == NULL) {
            if (x->index != y->index)
                return x->index < y->index ? -1 : 1;
            continue;
        }
        uint32_t m = x->name_len < y->name_len ? x->name_len : y->name_len;
        int c = memcmp(x->name, y->name, m);
        if (c != 0)
            return c;
        if (x->name_len != y->name_len)
            return x->name_len < y->name_len ? -1 : 1;
    }
    return (a->n > b->n) - (a->n < b->n);
}

static int has_prefix(const struct path *p, const struct path *prefix, uint32_t len)
{
    if (p->n < len)
        return 0;
    struct path head = {p->elems, len, 0}, want = {prefix->elems, len, 0};
    return expr__path_equal(&head, &want);
}

/* Resolves the paths of an update's actions or a projection's list and checks them pairwise the
 * way DynamoDB does (reverse-engineered from ~400 random cases, all reproduced): for each path in
 * order, an undefined #name, else its relation with every later path; the last problem found is
 * reported. For an overlap DynamoDB names as "path two" not the other path but the greatest
 * later path (path_order) under the parent of the shorter one — e.g. "a, a, b" reports [a] and
 * [b]; for a conflict, the other path. */
static int resolve_paths(struct resolver *r, struct path **paths, uint32_t n)
{
    struct err last = ERR_INIT;
    char *resolved = calloc(n ? n : 1, 1);

    if (resolved == NULL)
        return oom(r);
    for (uint32_t k = 0; k < n; k++) {
        struct err e = ERR_INIT;
        struct resolver sub = *r;
        sub.err = &e;
        if (resolve_path(&sub, paths[k]) == 0)
            resolved[k] = 1;
        else if (e.code != ERR_VALIDATION)
            keep_last(&last, &e);   /* allocation failure: reported below */
        err_clear(&e);
    }
    for (uint32_t i = 0; i < n && last.code != ERR_INTERNAL; i++) {
        struct err e = ERR_INIT;
        if (!resolved[i]) {
            struct resolver sub = *r;
            sub.err = &e;
            resolve_path(&sub, paths[i]);   /* again, to produce its message */
            keep_last(&last, &e);
            continue;
        }
        for (uint32_t j = i + 1; j < n; j++) {
            int rel;
            if (!resolved[j] || (rel = path_relation(paths[i], paths[j])) == 0)
                continue;
            const struct path *two = paths[j];
            if (rel == 1) {
                const struct path *shorter = paths[i]->n <= paths[j]->n ? paths[i] : paths[j];
                uint32_t plen = shorter->n - 1;
                two = NULL;
                for (uint32_t k = i + 1; k < n; k++)
                    if (resolved[k] && has_prefix(paths[k], shorter, plen) &&
                        (two == NULL || path_order(paths[k], two) > 0))
                        two = paths[k];
            }
            path_pair_error(&e, rel, paths[i], two);
            keep_last(&last, &e);
        }
    }
    free(resolved);
    if (err_isset(&last)) {
        err_set(r->err, last.code, "%s", last.message ? last.message : "");
        err_clear(&last);
        return -1;
    }
    return 0;
}

/* ================================================================ per kind =================== */

static int resolve_condition(struct resolver *r)
{
    if (walk_b(r, r->e->root, POS_CONDITION))
        return -1;
    if (walk_c(r, r->e->root))
        return -1;
    if (r->operators > MAX_OPERATORS)
        return err_set(r->err, ERR_VALIDATION,
                       "The expression contains too many operators; operator count: %u",
                       MAX_OPERATORS + 1);
    return 0;
}

static int resolve_update(struct resolver *r)
{
    struct expr *e = r->e;
    int seen[4] = {0};
    static const char *const section[] = {"SET", "REMOVE", "ADD", "DELETE"};

    /* Phase B section by section; a repeated section is reported once it has been walked
     * ("SET a = :v SET status = :v" is the reserved word, "SET a = :v SET b = :v SET status = :v"
     * the section; verified). A section starts at an action not preceded by a comma. */
    for (uint32_t k = 0; k < e->nactions; k++) {
        struct action *a = &e->actions[k];
        if (check_path_b(r, &a->path))
            return -1;
        /* the whole SET value is not an operand position: list_append may stand there */
        if (a->kind == A_SET && walk_b(r, a->value, POS_VALUE))
            return -1;
        int section_ends = k + 1 == e->nactions ||
                           tok(r, e->actions[k + 1].tok - 1)->kind != TK_COMMA;
        if (section_ends) {
            int s = (int)a->kind;
            if (seen[s])
                return err_set(r->err, ERR_VALIDATION,
                               "The \"%s\" section can only be used once in an update "
                               "expression;", section[s]);
            seen[s] = 1;
        }
    }
    struct path **paths = calloc(e->nactions ? e->nactions : 1, sizeof *paths);
    if (paths == NULL)
        return oom(r);
    for (uint32_t k = 0; k < e->nactions; k++)
        paths[k] = &e->actions[k].path;
    int rc = resolve_paths(r, paths, e->nactions);
    free(paths);
    if (rc)
        return -1;

    struct err last = ERR_INIT;
    for (uint32_t k = 0; k < e->nactions; k++) {
        struct action *a = &e->actions[k];
        struct err ae = ERR_INIT;
        struct resolver sub = *r;
        sub.err = &ae;
        if (a->value == NULL)
            continue;
        if (walk_c(&sub, a->value)) {
            keep_last(&last, &ae);
            continue;
        }
        if (a->kind == A_ADD || a->kind == A_DELETE) {
            static const char *const long_names[] = {
                [AV_S] = "STRING", [AV_N] = "NUMBER", [AV_B] = "BINARY", [AV_BOOL] = "BOOLEAN",
                [AV_NULL] = "NULL", [AV_L] = "LIST", [AV_M] = "MAP",
            };
            enum av_type t = a->value->vtype;
            int ok = t == AV_SS || t == AV_NS || t == AV_BS || (a->kind == A_ADD && t == AV_N);
            if (!ok) {
                err_set(&ae, ERR_VALIDATION,
                        "Incorrect operand type for operator or function; operator: %s, operand "
                        "type: %s, typeSet: ALLOWED_FOR_%s_OPERAND",
                        a->kind == A_ADD ? "ADD" : "DELETE",
                        t < sizeof long_names / sizeof long_names[0] && long_names[t] ?
                            long_names[t] : value_type_name(t),
                        a->kind == A_ADD ? "ADD" : "DELETE");
                keep_last(&last, &ae);
            }
        }
    }
    if (err_isset(&last)) {
        err_set(r->err, last.code, "%s", last.message ? last.message : "");
        err_clear(&last);
        return -1;
    }
    return 0;
}

static int resolve_projection(struct resolver *r)
{
    struct expr *e = r->e;
    for (uint32_t k = 0; k < e->npaths; k++)
        if (check_path_b(r, &e->paths[k]))
            return -1;
    struct path **paths = calloc(e->npaths ? e->npaths : 1, sizeof *paths);
    if (paths == NULL)
        return oom(r);
    for (uint32_t k = 0; k < e->npaths; k++)
        paths[k] = &e->paths[k];
    int rc = resolve_paths(r, paths, e->npaths);
    free(paths);
    return rc;
}

int expr__resolve(struct expr *e, struct expr_params *params, struct err *err)
{
    struct resolver r;

    memset(&r, 0, sizeof r);
    r.e = e;
    r.params = params;
    r.err = err;
    if (e->kind == EXPR_UPDATE)
        return resolve_update(&r);
    if (e->kind == EXPR_PROJECTION)
        return resolve_projection(&r);
    if (is_condition_kind(e->kind))
        return resolve_condition(&r);
    return 0;
}
