/* project.c — projects an item onto document paths: ProjectionExpression and AttributesToGet, and
 * the UPDATED_OLD / UPDATED_NEW return values of an update (the item projected onto the paths the
 * update touched). The result keeps the nesting of each path; the elements of a list that several
 * paths select come out in index order and compacted ("a.c[3], a.c[1]" gives a.c = [c1, c3]);
 * paths that do not exist, or run through the wrong type, are left out, and a map or list that
 * ends up empty is left out too (as DynamoDB answers "a.zz" with {}). The item is never modified.
 * Entry points: expr_project, expr__project_paths. Developer guide: "Projection expressions". */
#include "ast.h"

#include <stdlib.h>
#include <string.h>

/* The paths merged into a trie, a node per distinct prefix; all nodes live in one pool (freed at
 * once, no recursion) and refer to their children by index. */
struct trie {
    const struct path_elem *elem;   /* NULL for the root */
    int terminal;                   /* a path ends here: take the whole value */
    uint32_t *kids;
    uint32_t nkids, cap;
};

struct pool {
    struct trie *v;
    uint32_t n, cap;
};

static void pool_free(struct pool *p)
{
    for (uint32_t k = 0; k < p->n; k++)
        free(p->v[k].kids);
    free(p->v);
}

static uint32_t pool_new(struct pool *p, const struct path_elem *el)
{
    if (p->n == p->cap) {
        uint32_t cap = p->cap ? p->cap * 2 : 16;
        struct trie *v = realloc(p->v, cap * sizeof *v);
        if (v == NULL)
            return UINT32_MAX;
        p->v = v;
        p->cap = cap;
    }
    memset(&p->v[p->n], 0, sizeof p->v[p->n]);
    p->v[p->n].elem = el;
    return p->n++;
}

static int elem_same(const struct path_elem *a, const struct path_elem *b)
{
    if ((a->name == NULL) != (b->name == NULL))
        return 0;
    if (a->name == NULL)
        return a->index == b->index;
    return a->name_len == b->name_len && memcmp(a->name, b->name, a->name_len) == 0;
}

/* The child of node t for el, created if needed; UINT32_MAX on allocation failure. */
static uint32_t trie_child(struct pool *p, uint32_t t, const struct path_elem *el)
{
    for (uint32_t k = 0; k < p->v[t].nkids; k++)
        if (elem_same(p->v[p->v[t].kids[k]].elem, el))
            return p->v[t].kids[k];
    uint32_t c = pool_new(p, el);
    if (c == UINT32_MAX)
        return c;
    struct trie *node = &p->v[t];
    if (node->nkids == node->cap) {
        uint32_t cap = node->cap ? node->cap * 2 : 4;
        uint32_t *kids = realloc(node->kids, cap * sizeof *kids);
        if (kids == NULL)
            return UINT32_MAX;
        node->kids = kids;
        node->cap = cap;
    }
    node->kids[node->nkids++] = c;
    return c;
}

static uint32_t index_of(const struct pool *p, uint32_t node)
{
    const struct path_elem *el = p->v[node].elem;
    return el->name == NULL ? el->index : 0;
}

/* List children in index order (insertion sort: a list rarely has many selected elements). */
static void sort_by_index(const struct pool *p, uint32_t *kids, uint32_t n)
{
    for (uint32_t k = 1; k < n; k++) {
        uint32_t v = kids[k], j = k;
        while (j > 0 && index_of(p, kids[j - 1]) > index_of(p, v)) {
            kids[j] = kids[j - 1];
            j--;
        }
        kids[j] = v;
    }
}

/* Projects av through node t; a new reference, or NULL when nothing of it is selected. The
 * recursion follows the item, so its depth is bounded by the item's nesting (32 levels). */
static json_t *project_value(const json_t *av, const struct pool *p, uint32_t t)
{
    const struct trie *node = &p->v[t];
    json_t *out = NULL, *m, *l;

    if (node->terminal)
        return json_deep_copy(av);
    if ((m = json_object_get(av, "M")) != NULL && json_is_object(m)) {
        json_t *res = json_object();
        for (uint32_t k = 0; res != NULL && k < node->nkids; k++) {
            const struct path_elem *el = p->v[node->kids[k]].elem;
            json_t *v = el->name ? json_object_getn(m, el->name, el->name_len) : NULL;
            json_t *r = v ? project_value(v, p, node->kids[k]) : NULL;
            if (r != NULL)
                json_object_setn_new(res, el->name, el->name_len, r);
        }
        if (res != NULL && json_object_size(res) > 0)
            out = json_pack("{s:o}", "M", res);
        else
            json_decref(res);
    } else if ((l = json_object_get(av, "L")) != NULL && json_is_array(l)) {
        json_t *res = json_array();
        for (uint32_t k = 0; res != NULL && k < node->nkids; k++) {
            const struct path_elem *el = p->v[node->kids[k]].elem;
            json_t *v = el->name ? NULL : json_array_get(l, el->index);
            json_t *r = v ? project_value(v, p, node->kids[k]) : NULL;
            if (r != NULL)
                json_array_append_new(res, r);
        }
        if (res != NULL && json_array_size(res) > 0)
            out = json_pack("{s:o}", "L", res);
        else
            json_decref(res);
    }
    return out;
}

json_t *expr__project_paths(const struct path *const *paths, uint32_t n, const json_t *item)
{
    struct pool p = {0};
    json_t *out = json_object();

    if (out == NULL || pool_new(&p, NULL) == UINT32_MAX)
        goto oom;
    for (uint32_t k = 0; k < n; k++) {
        uint32_t t = 0;
        if (paths[k] == NULL || paths[k]->n == 0 || paths[k]->elems[0].name == NULL)
            continue;
        for (uint32_t j = 0; j < paths[k]->n && t != UINT32_MAX; j++)
            t = trie_child(&p, t, &paths[k]->elems[j]);
        if (t == UINT32_MAX)
            goto oom;
        p.v[t].terminal = 1;
    }
    for (uint32_t k = 0; k < p.n; k++)
        sort_by_index(&p, p.v[k].kids, p.v[k].nkids);
    for (uint32_t k = 0; k < p.v[0].nkids && item != NULL; k++) {
        uint32_t c = p.v[0].kids[k];
        const struct path_elem *el = p.v[c].elem;
        json_t *v = json_object_getn(item, el->name, el->name_len);
        json_t *r = v ? project_value(v, &p, c) : NULL;
        if (r != NULL)
            json_object_setn_new(out, el->name, el->name_len, r);
    }
    pool_free(&p);
    return out;
oom:
    pool_free(&p);
    json_decref(out);
    return NULL;
}

json_t *expr_project(const struct expr *e, const json_t *item)
{
    const struct path **v;
    json_t *out;

    if (e == NULL || e->kind != EXPR_PROJECTION)
        return item ? json_deep_copy(item) : json_object();
    v = malloc((e->npaths ? e->npaths : 1) * sizeof *v);
    if (v == NULL)
        return NULL;
    for (uint32_t k = 0; k < e->npaths; k++)
        v[k] = &e->paths[k];
    out = expr__project_paths(v, e->npaths, item);
    free(v);
    return out;
}
