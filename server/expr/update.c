/* update.c — applies a resolved UpdateExpression (or legacy AttributeUpdates) to a copy of an
 * item, with no side effects: the input is never touched and a retry gives the same result
 * (Alternator #7218). DynamoDB's semantics, verified on DynamoDB Local: SET values come from the
 * original item (SET a = b, b = a swaps); list indexes mean the original list (beyond the end SET
 * appends, REMOVE does nothing); ADD creates or adds to numbers and sets, DELETE empties a set
 * away; key attributes are untouchable. Also UPDATED_OLD/NEW, and what UpdateItem needs around the
 * update: whether it only takes attributes away, and the size it is charged. Entry points:
 * expr_update_apply, expr_update_check_keys, expr_update_removes_only, expr_update_charged_size,
 * expr_update_project. Developer guide: "Update expressions". */
#include "ast.h"

#include <stdlib.h>
#include <string.h>

#define MSG_MISSING "The provided expression refers to an attribute that does not exist in the item"
#define MSG_TYPE "An operand in the update expression has an incorrect data type"
#define MSG_PATH "The document path provided in the update expression is invalid for update"
#define MSG_LEGACY_TYPE "Type mismatch for attribute to update"
#define MSG_KEY \
    "One or more parameter values were invalid: Cannot update attribute %s. This attribute is " \
    "part of the key"

/* ---------------------------------------------------------------- values ---------------------- */

static json_t *oom(struct err *err)
{
    err_set(err, ERR_INTERNAL, "out of memory");
    return NULL;
}

static json_t *number_value(const struct num *n, struct err *err)
{
    char buf[NUM_STRING_MAX];
    num_format(n, buf);
    json_t *v = json_pack("{s:s}", "N", buf);
    return v ? v : oom(err);
}

static int number_of(const json_t *av, struct num *out)
{
    json_t *s = json_object_get(av, "N");
    return num_parse(json_string_value(s), json_string_length(s), out, NULL);
}

/* a + b or a - b for SET's + and - and for ADD. Exact, as num_add/num_sub; a result that needs more
 * than 38 significant digits is refused with the overflow sentence, not the precision one that
 * parsing a literal gives: real DynamoDB answers 1E50 + 1 and 12345678901234567890123456789012345678
 * + 0.1 with "Number overflow. Attempting to store a number with magnitude larger than supported
 * range" (Alternator test_update_expression_plus_imprecise, run against DynamoDB: "Strangely,
 * DynamoDB says that the error is: 'Number overflow. ...'"). DynamoDB Local says its precision
 * sentence there; num_add keeps that (number.h). Overflow and underflow keep their own texts. */
static int arith(const struct num *a, const struct num *b, int subtract, struct num *out,
                 struct err *err)
{
    struct err e = ERR_INIT;
    int rc = subtract ? num_sub(a, b, out, &e) : num_add(a, b, out, &e);

    if (rc == 0)
        return 0;
    if (e.code == ERR_VALIDATION && e.message != NULL && strcmp(e.message, NUM_MSG_PRECISION) == 0)
        err_set(err, ERR_VALIDATION, NUM_MSG_OVERFLOW);
    else
        err_set(err, e.code, "%s", e.message ? e.message : "");
    err_clear(&e);
    return -1;
}

static json_t *copy(const json_t *v, struct err *err)
{
    json_t *c = json_deep_copy(v);
    return c ? c : oom(err);
}

/* The value of a SET operand against the original item: a new reference, or NULL with err. The
 * recursion follows the value expression, whose nesting the parser bounds. */
static json_t *eval_value(const struct node *n, const json_t *item, struct err *err)
{
    const json_t *v;
    json_t *a, *b, *out;
    struct num x, y, r;

    switch (n->kind) {
    case N_VALUE:
        return copy(n->value, err);
    case N_PATH:
        v = expr__path_get(item, &n->path);
        if (v == NULL) {
            err_set(err, ERR_VALIDATION, MSG_MISSING);
            return NULL;
        }
        return copy(v, err);
    case N_PLUS:
    case N_MINUS:
        if ((a = eval_value(n->child[0], item, err)) == NULL)
            return NULL;
        if (value_type(a) != AV_N || number_of(a, &x)) {
            json_decref(a);
            err_set(err, ERR_VALIDATION, MSG_TYPE);
            return NULL;
        }
        json_decref(a);
        if ((b = eval_value(n->child[1], item, err)) == NULL)
            return NULL;
        if (value_type(b) != AV_N || number_of(b, &y)) {
            json_decref(b);
            err_set(err, ERR_VALIDATION, MSG_TYPE);
            return NULL;
        }
        json_decref(b);
        if (arith(&x, &y, n->kind == N_MINUS, &r, err) != 0)
            return NULL;
        return number_value(&r, err);
    case N_FUNC:
        if (n->fn == F_IF_NOT_EXISTS) {
            v = expr__path_get(item, &n->child[0]->path);
            return v ? copy(v, err) : eval_value(n->child[1], item, err);
        }
        if (n->fn == F_LIST_APPEND) {
            if ((a = eval_value(n->child[0], item, err)) == NULL)
                return NULL;
            if (value_type(a) != AV_L) {
                json_decref(a);
                err_set(err, ERR_VALIDATION, MSG_TYPE);
                return NULL;
            }
            if ((b = eval_value(n->child[1], item, err)) == NULL) {
                json_decref(a);
                return NULL;
            }
            if (value_type(b) != AV_L) {
                json_decref(a);
                json_decref(b);
                err_set(err, ERR_VALIDATION, MSG_TYPE);
                return NULL;
            }
            out = json_pack("{s:[]}", "L");
            if (out == NULL || json_array_extend(json_object_get(out, "L"),
                                                 json_object_get(a, "L")) ||
                json_array_extend(json_object_get(out, "L"), json_object_get(b, "L"))) {
                json_decref(out);
                out = oom(err);
            }
            json_decref(a);
            json_decref(b);
            return out;
        }
        break;
    default:
        break;
    }
    err_set(err, ERR_INTERNAL, "unexpected node in an update value");
    return NULL;
}

/* ---------------------------------------------------------------- sets ------------------------ */

static enum av_type member_type(enum av_type set)
{
    return set == AV_SS ? AV_S : set == AV_NS ? AV_N : AV_B;
}

static int set_has(enum av_type set, const json_t *members, const json_t *m)
{
    size_t k;
    json_t *el;
    json_array_foreach(members, k, el)
        if (expr__member_equal(member_type(set), el, m))
            return 1;
    return 0;
}

/* existing ∪ add (existing order, then the new members) or existing − del; a new reference. */
static json_t *set_combine(const json_t *existing, const json_t *operand, int add,
                           struct err *err)
{
    enum av_type t = value_type(existing);
    const char *tn = value_type_name(t);
    json_t *a = json_object_get(existing, tn), *b = json_object_get(operand, tn), *res, *el;
    size_t k;

    res = json_array();
    if (res == NULL)
        return oom(err);
    json_array_foreach(a, k, el)
        if (add || !set_has(t, b, el))
            json_array_append(res, el);
    if (add)
        json_array_foreach(b, k, el)
            if (!set_has(t, a, el))
                json_array_append(res, el);
    json_t *out = json_pack("{s:o}", tn, res);
    return out ? out : oom(err);
}

static int is_set(enum av_type t)
{
    return t == AV_SS || t == AV_NS || t == AV_BS;
}

/* ---------------------------------------------------------------- navigation ------------------ */

/* Where the last element of a path lives in the new item: the container (the item object, a
 * map's members object or a list's array) and the element. NULL when a step is missing or of
 * the wrong type ("invalid for update"). */
static json_t *container_of(json_t *root, const struct path *p)
{
    json_t *cur = NULL;

    if (p->n == 1)
        return root;
    for (uint32_t k = 0; k + 1 < p->n; k++) {
        const struct path_elem *el = &p->elems[k];
        if (k == 0) {
            cur = json_object_getn(root, el->name, el->name_len);
        } else if (el->name != NULL) {
            json_t *m = json_object_get(cur, "M");
            cur = json_is_object(m) ? json_object_getn(m, el->name, el->name_len) : NULL;
        } else {
            json_t *l = json_object_get(cur, "L");
            cur = json_is_array(l) ? json_array_get(l, el->index) : NULL;
        }
        if (cur == NULL)
            return NULL;
    }
    const struct path_elem *last = &p->elems[p->n - 1];
    json_t *c = json_object_get(cur, last->name != NULL ? "M" : "L");
    if (last->name != NULL ? !json_is_object(c) : !json_is_array(c))
        return NULL;
    return c;
}

struct pending {
    json_t *container;     /* borrowed (part of the new item) */
    const struct path_elem *elem;
    json_t *value;         /* appends: owned */
    uint32_t seq;          /* action order, for a stable sort */
};

struct plan {
    struct pending *appends, *removes;
    uint32_t nappends, nremoves, cap_a, cap_r;
};

static int plan_add(struct pending **v, uint32_t *n, uint32_t *cap, const struct pending *p)
{
    if (*n == *cap) {
        uint32_t c = *cap ? *cap * 2 : 8;
        struct pending *bigger = realloc(*v, c * sizeof *bigger);
        if (bigger == NULL)
            return -1;
        *v = bigger;
        *cap = c;
    }
    (*v)[(*n)++] = *p;
    return 0;
}

static void plan_free(struct plan *pl)
{
    for (uint32_t k = 0; k < pl->nappends; k++)
        json_decref(pl->appends[k].value);
    free(pl->appends);
    free(pl->removes);
}

/* Appends per list in index order (then action order); removals per list from the highest
 * original index down, so that indexes keep meaning the original list. */
static int cmp_append(const void *a, const void *b)
{
    const struct pending *x = a, *y = b;
    if (x->container != y->container)
        return (uintptr_t)x->container < (uintptr_t)y->container ? -1 : 1;
    if (x->elem->index != y->elem->index)
        return x->elem->index < y->elem->index ? -1 : 1;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

static int cmp_remove(const void *a, const void *b)
{
    const struct pending *x = a, *y = b;
    if (x->container != y->container)
        return (uintptr_t)x->container < (uintptr_t)y->container ? -1 : 1;
    return (x->elem->index < y->elem->index) - (x->elem->index > y->elem->index);
}

/* ---------------------------------------------------------------- applying -------------------- */

/* The current value at (container, elem), or NULL (a list index beyond the end). */
static json_t *get_at(json_t *container, const struct path_elem *el)
{
    if (el->name != NULL)
        return json_object_getn(container, el->name, el->name_len);
    return json_array_get(container, el->index);
}

/* Stores value (stolen) at (container, elem): replaces, or plans an append beyond a list's end. */
static int put_at(struct plan *pl, json_t *container, const struct path_elem *el, json_t *value,
                  uint32_t seq, struct err *err)
{
    if (el->name != NULL) {
        if (json_object_setn_new(container, el->name, el->name_len, value))
            return err_set(err, ERR_INTERNAL, "out of memory");
        return 0;
    }
    if (el->index < json_array_size(container)) {
        if (json_array_set_new(container, el->index, value))
            return err_set(err, ERR_INTERNAL, "out of memory");
        return 0;
    }
    struct pending p = {container, el, value, seq};
    if (plan_add(&pl->appends, &pl->nappends, &pl->cap_a, &p)) {
        json_decref(value);
        return err_set(err, ERR_INTERNAL, "out of memory");
    }
    return 0;
}

static int plan_remove(struct plan *pl, json_t *container, const struct path_elem *el,
                       uint32_t seq, struct err *err)
{
    struct pending p = {container, el, NULL, seq};
    if (el->name == NULL && el->index >= json_array_size(container))
        return 0;   /* REMOVE beyond the end of a list does nothing */
    if (plan_add(&pl->removes, &pl->nremoves, &pl->cap_r, &p))
        return err_set(err, ERR_INTERNAL, "out of memory");
    return 0;
}

/* ADD (and legacy ADD, which also appends to lists) of operand to the current value. */
static int apply_add(struct plan *pl, json_t *container, const struct path_elem *el,
                     const json_t *operand, int legacy, uint32_t seq, struct err *err)
{
    json_t *cur = get_at(container, el), *res;
    enum av_type t = value_type(operand);
    const char *mismatch = legacy ? MSG_LEGACY_TYPE : MSG_TYPE;

    if (cur == NULL) {
        json_t *c = json_deep_copy(operand);
        if (c == NULL)
            return err_set(err, ERR_INTERNAL, "out of memory");
        return put_at(pl, container, el, c, seq, err);
    }
    if (value_type(cur) != t)
        return err_set(err, ERR_VALIDATION, "%s", mismatch);
    if (t == AV_N) {
        struct num x, y, r;
        if (number_of(cur, &x) || number_of(operand, &y))
            return err_set(err, ERR_VALIDATION, "%s", mismatch);
        if (arith(&x, &y, 0, &r, err) || (res = number_value(&r, err)) == NULL)
            return -1;
    } else if (is_set(t)) {
        if ((res = set_combine(cur, operand, 1, err)) == NULL)
            return -1;
    } else if (t == AV_L && legacy) {
        res = json_deep_copy(cur);
        if (res == NULL || json_array_extend(json_object_get(res, "L"),
                                             json_object_get(operand, "L"))) {
            json_decref(res);
            return err_set(err, ERR_INTERNAL, "out of memory");
        }
    } else {
        return err_set(err, ERR_VALIDATION, "%s", mismatch);
    }
    return put_at(pl, container, el, res, seq, err);
}

static int apply_delete(struct plan *pl, json_t *container, const struct path_elem *el,
                        const json_t *operand, int legacy, uint32_t seq, struct err *err)
{
    json_t *cur = get_at(container, el), *res;

    if (cur == NULL)
        return 0;
    if (value_type(cur) != value_type(operand))
        return err_set(err, ERR_VALIDATION, "%s", legacy ? MSG_LEGACY_TYPE : MSG_TYPE);
    if ((res = set_combine(cur, operand, 0, err)) == NULL)
        return -1;
    if (json_array_size(json_object_get(res, value_type_name(value_type(res)))) == 0) {
        json_decref(res);
        return plan_remove(pl, container, el, seq, err);
    }
    return put_at(pl, container, el, res, seq, err);
}

/* The key attribute a path starts with, or NULL. */
static const char *key_hit(const struct expr_keys *keys, const struct path *p)
{
    const struct path_elem *el = &p->elems[0];
    const char *k[2] = {keys ? keys->hash : NULL, keys ? keys->range : NULL};
    for (int i = 0; i < 2; i++)
        if (k[i] != NULL && el->name != NULL && strlen(k[i]) == el->name_len &&
            memcmp(k[i], el->name, el->name_len) == 0)
            return k[i];
    return NULL;
}

/* ---------------------------------------------------------------- error order ----------------- */

/* java.lang.String.hashCode() of a UTF-8 name (over its UTF-16 code units), spread as
 * java.util.HashMap does. */
static uint32_t java_hash(const char *s, size_t len)
{
    uint32_t h = 0;
    for (size_t k = 0; k < len;) {
        unsigned char c = (unsigned char)s[k];
        uint32_t cp, n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
        if (k + n > len)
            n = 1;
        cp = n == 1 ? c : n == 2 ? c & 0x1F : n == 3 ? c & 0x0F : c & 0x07;
        for (uint32_t j = 1; j < n; j++)
            cp = (cp << 6) | ((unsigned char)s[k + j] & 0x3F);
        k += n;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            h = 31u * h + (0xD800u + (cp >> 10));
            h = 31u * h + (0xDC00u + (cp & 0x3FF));
        } else {
            h = 31u * h + cp;
        }
    }
    return h ^ (h >> 16);
}

struct order {
    uint32_t action, bucket, first;   /* first: index of the name's first action */
};

static int cmp_order(const void *a, const void *b)
{
    const struct order *x = a, *y = b;
    if (x->bucket != y->bucket)
        return x->bucket < y->bucket ? -1 : 1;
    if (x->first != y->first)
        return x->first < y->first ? -1 : 1;
    return (x->action > y->action) - (x->action < y->action);
}

/* DynamoDB applies an update attribute by attribute, in the iteration order of a HashMap keyed
 * by top-level name, and of several failing actions reports the one met last (verified on
 * DynamoDB Local: SET q.x = :v, c = c + :n reports the operand type, SET s.x = :v, c = ... the
 * path). Returns the actions in that order (malloc'd). */
static uint32_t *error_order(const struct expr *e)
{
    struct order *o = calloc(e->nactions ? e->nactions : 1, sizeof *o);
    uint32_t *v = calloc(e->nactions ? e->nactions : 1, sizeof *v), distinct = 0, cap = 16;

    if (o == NULL || v == NULL) {
        free(o);
        free(v);
        return NULL;
    }
    for (uint32_t k = 0; k < e->nactions; k++) {
        const struct path_elem *el = &e->actions[k].path.elems[0];
        o[k].action = k;
        o[k].first = k;
        for (uint32_t j = 0; j < k; j++) {
            const struct path_elem *p = &e->actions[j].path.elems[0];
            if (p->name_len == el->name_len && memcmp(p->name, el->name, el->name_len) == 0) {
                o[k].first = o[j].first;
                break;
            }
        }
        if (o[k].first == k && ++distinct > cap * 3 / 4)
            cap *= 2;
    }
    for (uint32_t k = 0; k < e->nactions; k++) {
        const struct path_elem *el = &e->actions[k].path.elems[0];
        o[k].bucket = java_hash(el->name, el->name_len) & (cap - 1);
    }
    qsort(o, e->nactions, sizeof *o, cmp_order);
    for (uint32_t k = 0; k < e->nactions; k++)
        v[k] = o[k].action;
    free(o);
    return v;
}

/* The error one action would raise against the original item, without changing anything: its
 * path, then its value, then its operand against the current value. The SET value computed on
 * the way is kept in *val (new reference). */
static int check_action(const struct expr *e, const struct action *a, const json_t *item,
                        json_t *view, json_t **val, struct err *err)
{
    const struct path_elem *last = &a->path.elems[a->path.n - 1];
    json_t *c = container_of(view, &a->path), *cur;

    if (c == NULL)
        return err_set(err, ERR_VALIDATION, MSG_PATH);
    if (a->kind == A_SET)
        return (*val = eval_value(a->value, item, err)) == NULL ? -1 : 0;
    if (a->kind == A_REMOVE || (cur = get_at(c, last)) == NULL)
        return 0;
    const json_t *operand = a->value->value;
    int legacy = a->kind == A_LEGACY_ADD || e->legacy;
    enum av_type t = value_type(operand);
    if (value_type(cur) != t || (a->kind == A_ADD && t != AV_N && !is_set(t)) ||
        (a->kind == A_LEGACY_ADD && t != AV_N && t != AV_L && !is_set(t)))
        return err_set(err, ERR_VALIDATION, "%s", legacy ? MSG_LEGACY_TYPE : MSG_TYPE);
    if (t == AV_N && a->kind != A_DELETE) {
        struct num x, y, r;
        if (number_of(cur, &x) || number_of(operand, &y))
            return err_set(err, ERR_VALIDATION, "%s", legacy ? MSG_LEGACY_TYPE : MSG_TYPE);
        return arith(&x, &y, 0, &r, err);
    }
    return 0;
}

/* ---------------------------------------------------------------- entry points ---------------- */

int expr_update_check_keys(const struct expr *e, const struct expr_keys *keys, struct err *err)
{
    if (e == NULL || e->kind != EXPR_UPDATE)
        return err_set(err, ERR_INTERNAL, "not an update expression");
    for (uint32_t k = 0; k < e->nactions; k++) {
        const char *key = key_hit(keys, &e->actions[k].path);
        if (key != NULL)
            return err_set(err, ERR_VALIDATION, MSG_KEY, key);
    }
    return 0;
}

int expr_update_removes_only(const struct expr *e)
{
    if (e == NULL || e->kind != EXPR_UPDATE || e->nactions == 0)
        return 0;
    for (uint32_t k = 0; k < e->nactions; k++)
        if (e->actions[k].kind != A_REMOVE && e->actions[k].kind != A_DELETE)
            return 0;
    return 1;
}

int expr_update_apply(const struct expr *e, const json_t *item, const struct expr_keys *keys,
                      json_t **out, struct err *err)
{
    json_t *root = NULL, *view = NULL, **vals = NULL;
    uint32_t *order = NULL;
    struct plan pl;
    struct err last = ERR_INIT;
    int rc = -1;

    *out = NULL;
    memset(&pl, 0, sizeof pl);
    if (expr_update_check_keys(e, keys, err))
        return -1;
    vals = calloc(e->nactions ? e->nactions : 1, sizeof *vals);
    order = error_order(e);
    view = item ? json_deep_copy(item) : json_object();
    if (vals == NULL || order == NULL || view == NULL) {
        err_set(err, ERR_INTERNAL, "out of memory");
        goto out;
    }
    /* Every check first, against the original item; the last failing action is reported. */
    for (uint32_t k = 0; k < e->nactions; k++) {
        struct err ae = ERR_INIT;
        uint32_t i = order[k];
        if (check_action(e, &e->actions[i], item, view, &vals[i], &ae)) {
            err_clear(&last);
            last = ae;
            if (last.code == ERR_INTERNAL)
                break;
        }
    }
    if (err_isset(&last)) {
        err_set(err, last.code, "%s", last.message ? last.message : "");
        goto out;
    }

    /* Then the changes, which can no longer fail but for memory. */
    root = view;
    view = NULL;
    for (uint32_t k = 0; k < e->nactions; k++) {
        const struct action *a = &e->actions[k];
        if (a->kind != A_REMOVE)
            continue;
        json_t *c = container_of(root, &a->path);
        if (c == NULL || plan_remove(&pl, c, &a->path.elems[a->path.n - 1], k, err))
            goto out;
    }
    for (uint32_t k = 0; k < e->nactions; k++) {
        const struct action *a = &e->actions[k];
        const struct path_elem *el = &a->path.elems[a->path.n - 1];
        json_t *c = container_of(root, &a->path);
        if (a->kind == A_REMOVE)
            continue;
        if (c == NULL) {
            err_set(err, ERR_INTERNAL, "update path vanished");
            goto out;
        }
        switch (a->kind) {
        case A_SET:
            rc = put_at(&pl, c, el, vals[k], k, err);
            vals[k] = NULL;
            break;
        case A_ADD:
        case A_LEGACY_ADD:
            rc = apply_add(&pl, c, el, a->value->value, a->kind == A_LEGACY_ADD, k, err);
            break;
        case A_DELETE:
            rc = apply_delete(&pl, c, el, a->value->value, e->legacy, k, err);
            break;
        case A_REMOVE:
            break;
        }
        if (rc != 0)
            goto out;
        rc = -1;
    }
    if (pl.nappends > 1)
        qsort(pl.appends, pl.nappends, sizeof *pl.appends, cmp_append);
    for (uint32_t k = 0; k < pl.nappends; k++) {
        int failed = json_array_append_new(pl.appends[k].container, pl.appends[k].value);
        pl.appends[k].value = NULL;
        if (failed) {
            err_set(err, ERR_INTERNAL, "out of memory");
            goto out;
        }
    }
    if (pl.nremoves > 1)
        qsort(pl.removes, pl.nremoves, sizeof *pl.removes, cmp_remove);
    for (uint32_t k = 0; k < pl.nremoves; k++) {
        const struct pending *p = &pl.removes[k];
        if (p->elem->name != NULL)
            json_object_deln(p->container, p->elem->name, p->elem->name_len);
        else if (k == 0 || p->container != pl.removes[k - 1].container ||
                 p->elem->index != pl.removes[k - 1].elem->index)
            json_array_remove(p->container, p->elem->index);
    }
    *out = root;
    root = NULL;
    rc = 0;
out:
    err_clear(&last);
    for (uint32_t k = 0; vals != NULL && k < e->nactions; k++)
        json_decref(vals[k]);
    free(vals);
    free(order);
    plan_free(&pl);
    json_decref(root);
    json_decref(view);
    return rc;
}

/* Action costs of UpdateItem's size rule (nubo-db tier3/limits/itemSizeBySurface, eu-west-2
 * 2026-08-18/19): 3 for the update, 19 per SET (one more when it sets a list element, d[0]) or ADD,
 * 2 per REMOVE or DELETE; not varying with the value, its type, the name or an alias. */
#define SIZE_COST_UPDATE 3
#define SIZE_COST_WRITE 19
#define SIZE_COST_LIST_ELEMENT 1
#define SIZE_COST_REMOVE 2

int64_t expr_update_charged_size(const struct expr *e, const json_t *new_item)
{
    int64_t size = SIZE_COST_UPDATE;

    if (e == NULL || e->kind != EXPR_UPDATE)
        return size;
    for (uint32_t k = 0; k < e->nactions; k++) {
        const struct action *a = &e->actions[k];
        const struct path_elem *top = &a->path.elems[0];
        int seen = 0;

        if (a->kind == A_REMOVE || a->kind == A_DELETE) {
            size += SIZE_COST_REMOVE;
        } else {
            size += SIZE_COST_WRITE;
            if (a->path.elems[a->path.n - 1].name == NULL)
                size += SIZE_COST_LIST_ELEMENT;
        }
        /* each top-level attribute the update names counts once, as it is in the new item */
        for (uint32_t j = 0; j < k && !seen; j++) {
            const struct path_elem *other = &e->actions[j].path.elems[0];
            seen = other->name_len == top->name_len &&
                   memcmp(other->name, top->name, top->name_len) == 0;
        }
        if (!seen) {
            const json_t *v = json_object_getn(new_item, top->name, top->name_len);
            if (v != NULL)
                size += (int64_t)(top->name_len + value_size(v));
        }
    }
    return size;
}

json_t *expr_update_project(const struct expr *e, const json_t *item)
{
    const struct path **v;
    json_t *res;

    if (e == NULL || e->kind != EXPR_UPDATE)
        return json_object();
    v = malloc((e->nactions ? e->nactions : 1) * sizeof *v);
    if (v == NULL)
        return NULL;
    for (uint32_t k = 0; k < e->nactions; k++)
        v[k] = &e->actions[k].path;
    res = expr__project_paths(v, e->nactions, item);
    free(v);
    return res;
}
