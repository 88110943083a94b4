/* eval.c — evaluates resolved conditions and filters against an item with DynamoDB's semantics:
 * comparing different types is false (never an error), <> holds for a missing attribute, numbers
 * compare exactly, strings and binaries by unsigned bytes, sets in any order; size() counts UTF-16
 * units, bytes or elements; NOT binds tighter than AND, AND than OR. Also document-path lookup
 * for update.c and project.c. Read-only over the AST (numbers pre-parsed): no re-parsing.
 * Entry points: expr_eval, expr__path_get, expr__operand, expr__eval_node. Developer guide:
 * "Condition and filter expressions, operators, and functions". */
#include "ast.h"

#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- paths ----------------------- */

const json_t *expr__path_get(const json_t *item, const struct path *p)
{
    const json_t *cur;

    if (item == NULL || p->n == 0 || p->elems[0].name == NULL)
        return NULL;
    cur = json_object_getn(item, p->elems[0].name, p->elems[0].name_len);
    for (uint32_t k = 1; k < p->n && cur != NULL; k++) {
        const struct path_elem *el = &p->elems[k];
        if (el->name != NULL) {
            const json_t *m = json_object_get(cur, "M");
            cur = json_is_object(m) ? json_object_getn(m, el->name, el->name_len) : NULL;
        } else {
            const json_t *l = json_object_get(cur, "L");
            cur = json_is_array(l) ? json_array_get(l, el->index) : NULL;
        }
    }
    return cur;
}

/* ---------------------------------------------------------------- operands -------------------- */

static size_t utf16_units(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t k = 0; k < len; k++) {
        unsigned char c = (unsigned char)s[k];
        if ((c & 0xC0) != 0x80)
            n += (c >= 0xF0) ? 2 : 1;   /* a 4-byte sequence is a surrogate pair */
    }
    return n;
}

static void set_count(struct opval *out, size_t count)
{
    char buf[32];
    int len = snprintf(buf, sizeof buf, "%zu", count);
    out->is_num = num_parse(buf, (size_t)len, &out->num, NULL) == 0;
}

/* size(): the length DynamoDB reports, or missing for a missing operand or N, BOOL, NULL. */
static void size_of(const struct opval *v, struct opval *out)
{
    json_t *m;
    memset(out, 0, sizeof *out);
    if (v->av == NULL)
        return;
    switch (value_type(v->av)) {
    case AV_S:
        m = json_object_get(v->av, "S");
        set_count(out, utf16_units(json_string_value(m), json_string_length(m)));
        return;
    case AV_B: {
        uint8_t *bytes = NULL;
        size_t len = 0;
        m = json_object_get(v->av, "B");
        if (value_base64_decode(json_string_value(m), json_string_length(m), &bytes, &len) == 0)
            set_count(out, len);
        free(bytes);
        return;
    }
    case AV_SS:
        set_count(out, json_array_size(json_object_get(v->av, "SS")));
        return;
    case AV_NS:
        set_count(out, json_array_size(json_object_get(v->av, "NS")));
        return;
    case AV_BS:
        set_count(out, json_array_size(json_object_get(v->av, "BS")));
        return;
    case AV_L:
        set_count(out, json_array_size(json_object_get(v->av, "L")));
        return;
    case AV_M:
        set_count(out, json_object_size(json_object_get(v->av, "M")));
        return;
    default:
        return;
    }
}

void expr__operand(const struct node *n, const json_t *item, struct opval *out)
{
    memset(out, 0, sizeof *out);
    switch (n->kind) {
    case N_PATH:
        out->av = expr__path_get(item, &n->path);
        return;
    case N_VALUE:
        out->av = n->value;
        return;
    case N_FUNC:
        if (n->fn == F_SIZE && n->nchild == 1) {
            struct opval arg;
            expr__operand(n->child[0], item, &arg);
            size_of(&arg, out);
        }
        return;
    default:
        return;
    }
}

static int present(const struct opval *v)
{
    return v->av != NULL || v->is_num;
}

static enum av_type type_of(const struct opval *v)
{
    return v->is_num ? AV_N : value_type(v->av);
}

/* The number in v (which has type N): computed, or parsed from the item. */
static int number_of(const struct opval *v, struct num *out)
{
    if (v->is_num) {
        *out = v->num;
        return 0;
    }
    json_t *s = json_object_get(v->av, "N");
    return num_parse(json_string_value(s), json_string_length(s), out, NULL);
}

/* Three-way comparison of two present operands of the same scalar type; *ok = 0 when they are
 * not comparable (different types, or not S/N/B). */
static int compare(const struct node *na, const struct opval *a, const struct node *nb,
                   const struct opval *b, int *ok)
{
    enum av_type t = type_of(a);

    *ok = 0;
    if (t != type_of(b) || (t != AV_S && t != AV_N && t != AV_B))
        return 0;
    *ok = 1;
    if (t == AV_N) {
        struct num x, y;
        const struct num *px = &x, *py = &y;
        if (na != NULL && na->kind == N_VALUE)
            px = &na->num;
        else if (number_of(a, &x))
            return *ok = 0;
        if (nb != NULL && nb->kind == N_VALUE)
            py = &nb->num;
        else if (number_of(b, &y))
            return *ok = 0;
        return num_compare(px, py);
    }
    return value_compare(a->av, b->av);
}

/* Equality in DynamoDB's sense: same type, same value (sets in any order, maps and lists deep). */
static int equal(const struct node *na, const struct opval *a, const struct node *nb,
                 const struct opval *b)
{
    if (!present(a) || !present(b))
        return 0;
    if (a->is_num || b->is_num || (na && na->kind == N_VALUE && na->vtype == AV_N) ||
        (nb && nb->kind == N_VALUE && nb->vtype == AV_N)) {
        int ok, c = compare(na, a, nb, b, &ok);
        return ok && c == 0;
    }
    return value_equal(a->av, b->av);
}

/* ---------------------------------------------------------------- functions ------------------- */

/* Equality of two members of a set of type t (AV_S, AV_N or AV_B), given as the bare JSON strings
 * of the wire format: strings by bytes, numbers numerically, binaries by decoded bytes. */
int expr__member_equal(enum av_type t, const json_t *a, const json_t *b)
{
    if (!json_is_string(a) || !json_is_string(b))
        return 0;
    if (t == AV_N) {
        struct num x, y;
        return num_parse(json_string_value(a), json_string_length(a), &x, NULL) == 0 &&
               num_parse(json_string_value(b), json_string_length(b), &y, NULL) == 0 &&
               num_compare(&x, &y) == 0;
    }
    if (t == AV_B) {
        uint8_t *x = NULL, *y = NULL;
        size_t xl = 0, yl = 0;
        int r = value_base64_decode(json_string_value(a), json_string_length(a), &x, &xl) == 0 &&
                value_base64_decode(json_string_value(b), json_string_length(b), &y, &yl) == 0 &&
                xl == yl && (xl == 0 || memcmp(x, y, xl) == 0);
        free(x);
        free(y);
        return r;
    }
    return json_string_length(a) == json_string_length(b) &&
           memcmp(json_string_value(a), json_string_value(b), json_string_length(a)) == 0;
}

static int decode_b(const json_t *av, uint8_t **bytes, size_t *len)
{
    json_t *m = json_object_get(av, "B");
    return value_base64_decode(json_string_value(m), json_string_length(m), bytes, len);
}

static int begins_with(const struct opval *a, const struct opval *b)
{
    enum av_type t = type_of(a);
    if (!present(a) || !present(b) || a->is_num || b->is_num || t != type_of(b))
        return 0;
    if (t == AV_S) {
        json_t *x = json_object_get(a->av, "S"), *y = json_object_get(b->av, "S");
        return json_string_length(y) <= json_string_length(x) &&
               memcmp(json_string_value(x), json_string_value(y), json_string_length(y)) == 0;
    }
    if (t == AV_B) {
        uint8_t *x = NULL, *y = NULL;
        size_t xl = 0, yl = 0;
        int r = decode_b(a->av, &x, &xl) == 0 && decode_b(b->av, &y, &yl) == 0 && yl <= xl &&
                (yl == 0 || memcmp(x, y, yl) == 0);
        free(x);
        free(y);
        return r;
    }
    return 0;
}

static int has_subsequence(const void *hay, size_t hl, const void *needle, size_t nl)
{
    if (nl == 0)
        return 1;
    return nl <= hl && memmem(hay, hl, needle, nl) != NULL;
}

/* contains(a, b): substring of a string, byte subsequence of a binary, member of a set, element
 * of a list (any type, compared deeply). */
static int contains(const struct opval *a, const struct opval *b)
{
    enum av_type ta = type_of(a), tb = type_of(b);
    json_t *tmp = NULL, *el;
    const json_t *bav = b->av;
    size_t k;
    int r = 0;

    if (!present(a) || !present(b) || a->is_num)
        return 0;
    if (b->is_num) {   /* size() as the needle: materialize it as an N value */
        char buf[NUM_STRING_MAX];
        num_format(&b->num, buf);
        bav = tmp = json_pack("{s:s}", "N", buf);
        if (tmp == NULL)
            return 0;
    }
    switch (ta) {
    case AV_S:
        if (tb == AV_S) {
            json_t *x = json_object_get(a->av, "S"), *y = json_object_get(bav, "S");
            r = has_subsequence(json_string_value(x), json_string_length(x),
                                json_string_value(y), json_string_length(y));
        }
        break;
    case AV_B:
        if (tb == AV_B) {
            uint8_t *x = NULL, *y = NULL;
            size_t xl = 0, yl = 0;
            r = decode_b(a->av, &x, &xl) == 0 && decode_b(bav, &y, &yl) == 0 &&
                has_subsequence(x, xl, y, yl);
            free(x);
            free(y);
        }
        break;
    case AV_SS:
    case AV_NS:
    case AV_BS: {
        enum av_type member = ta == AV_SS ? AV_S : ta == AV_NS ? AV_N : AV_B;
        if (tb != member)
            break;
        json_array_foreach(json_object_get(a->av, value_type_name(ta)), k, el)
            if (expr__member_equal(member, el, json_object_get(bav, value_type_name(member)))) {
                r = 1;
                break;
            }
        break;
    }
    case AV_L:
        json_array_foreach(json_object_get(a->av, "L"), k, el)
            if (value_equal(el, bav)) {
                r = 1;
                break;
            }
        break;
    default:
        break;
    }
    json_decref(tmp);
    return r;
}

static int attribute_type(const struct opval *a, const struct opval *t)
{
    if (!present(a) || t->av == NULL)
        return 0;
    json_t *s = json_object_get(t->av, "S");
    const char *name = value_type_name(type_of(a));
    return json_is_string(s) && strlen(name) == json_string_length(s) &&
           memcmp(name, json_string_value(s), json_string_length(s)) == 0;
}

static int eval_function(const struct node *n, const json_t *item)
{
    struct opval a, b;

    switch (n->fn) {
    case F_ATTRIBUTE_EXISTS:
    case F_ATTRIBUTE_NOT_EXISTS:
        expr__operand(n->child[0], item, &a);
        return present(&a) == (n->fn == F_ATTRIBUTE_EXISTS);
    case F_ATTRIBUTE_TYPE:
        expr__operand(n->child[0], item, &a);
        expr__operand(n->child[1], item, &b);
        return attribute_type(&a, &b);
    case F_BEGINS_WITH:
        expr__operand(n->child[0], item, &a);
        expr__operand(n->child[1], item, &b);
        return begins_with(&a, &b);
    case F_CONTAINS:
        expr__operand(n->child[0], item, &a);
        expr__operand(n->child[1], item, &b);
        if (n->legacy_op == LEG_NOT_CONTAINS)   /* legacy NOT_CONTAINS: false when missing */
            return present(&a) && !contains(&a, &b);
        return contains(&a, &b);
    default:
        return 0;   /* size() and update functions never stand as conditions once resolved */
    }
}

/* ---------------------------------------------------------------- conditions ------------------ */

int expr__eval_node(const struct node *n, const json_t *item)
{
    struct opval a, b, c;
    int ok, r;

    switch (n->kind) {
    case N_AND:
        for (uint32_t k = 0; k < n->nchild; k++)
            if (!expr__eval_node(n->child[k], item))
                return 0;
        return 1;
    case N_OR:
        for (uint32_t k = 0; k < n->nchild; k++)
            if (expr__eval_node(n->child[k], item))
                return 1;
        return 0;
    case N_NOT:
        return !expr__eval_node(n->child[0], item);
    case N_CMP:
        expr__operand(n->child[0], item, &a);
        expr__operand(n->child[1], item, &b);
        if (n->op == TK_EQ)
            return equal(n->child[0], &a, n->child[1], &b);
        if (n->op == TK_NE)
            return !equal(n->child[0], &a, n->child[1], &b);
        if (!present(&a) || !present(&b))
            return 0;
        r = compare(n->child[0], &a, n->child[1], &b, &ok);
        if (!ok)
            return 0;
        switch (n->op) {
        case TK_LT: return r < 0;
        case TK_LE: return r <= 0;
        case TK_GT: return r > 0;
        case TK_GE: return r >= 0;
        default: return 0;
        }
    case N_BETWEEN:
        expr__operand(n->child[0], item, &a);
        expr__operand(n->child[1], item, &b);
        expr__operand(n->child[2], item, &c);
        if (!present(&a) || !present(&b) || !present(&c))
            return 0;
        r = compare(n->child[0], &a, n->child[1], &b, &ok);
        if (!ok || r < 0)
            return 0;
        r = compare(n->child[0], &a, n->child[2], &c, &ok);
        return ok && r <= 0;
    case N_IN:
        expr__operand(n->child[0], item, &a);
        if (!present(&a))
            return 0;
        for (uint32_t k = 1; k < n->nchild; k++) {
            expr__operand(n->child[k], item, &b);
            if (equal(n->child[0], &a, n->child[k], &b))
                return 1;
        }
        return 0;
    case N_FUNC:
        return eval_function(n, item);
    default:
        return 0;
    }
}

int expr_eval(const struct expr *e, const json_t *item)
{
    if (e == NULL || e->root == NULL)
        return 1;
    return expr__eval_node(e->root, item);
}
