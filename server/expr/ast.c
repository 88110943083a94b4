/* ast.c — the plumbing every file of the expression engine shares: the arena that owns an
 * expression's nodes, a small message buffer, path formatting and comparison, and the table of
 * function names. No parsing or evaluation here; see ast.h for the contracts.
 * Entry points: expr__alloc, expr__strdup, expr__arena_free, expr__sb_*, expr__path_format,
 * expr__path_equal, expr__func_lookup, expr__func_name. */
#include "ast.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- arena ----------------------- */

struct arena_block {
    struct arena_block *next;
    size_t used, cap;
    max_align_t data[];    /* cap bytes */
};

#define ARENA_BLOCK_BYTES 4096u

void *expr__alloc(struct arena *a, size_t size)
{
    struct arena_block *b = a->head;
    size_t align = sizeof(max_align_t);

    size = (size + align - 1) / align * align;
    if (size == 0)
        size = align;
    if (b == NULL || b->cap - b->used < size) {
        size_t cap = size > ARENA_BLOCK_BYTES ? size : ARENA_BLOCK_BYTES;
        b = malloc(sizeof *b + cap);
        if (b == NULL)
            return NULL;
        b->used = 0;
        b->cap = cap;
        b->next = a->head;
        a->head = b;
    }
    void *p = (char *)b->data + b->used;
    b->used += size;
    memset(p, 0, size);
    return p;
}

char *expr__strdup(struct arena *a, const char *s, size_t len)
{
    char *p = expr__alloc(a, len + 1);
    if (p != NULL) {
        if (len > 0)
            memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

void expr__arena_free(struct arena *a)
{
    struct arena_block *b = a->head;
    while (b != NULL) {
        struct arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
}

/* ---------------------------------------------------------------- message buffer -------------- */

void expr__sb_add(struct sbuf *sb, const char *bytes, size_t len)
{
    if (sb->failed)
        return;
    if (sb->len + len + 1 > sb->cap) {
        size_t cap = sb->cap ? sb->cap : 64;
        while (cap < sb->len + len + 1)
            cap *= 2;
        char *p = realloc(sb->data, cap);
        if (p == NULL) {
            sb->failed = 1;
            return;
        }
        sb->data = p;
        sb->cap = cap;
    }
    if (len > 0)
        memcpy(sb->data + sb->len, bytes, len);
    sb->len += len;
    sb->data[sb->len] = '\0';
}

void expr__sb_puts(struct sbuf *sb, const char *s)
{
    expr__sb_add(sb, s, strlen(s));
}

void expr__sb_printf(struct sbuf *sb, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        sb->failed = 1;
        return;
    }
    if ((size_t)n < sizeof small) {
        expr__sb_add(sb, small, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (big == NULL) {
        sb->failed = 1;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    expr__sb_add(sb, big, (size_t)n);
    free(big);
}

/* ---------------------------------------------------------------- paths ----------------------- */

/* DynamoDB quotes paths as a list of elements, indexes in brackets: [a, b, [2], c]. */
void expr__path_format(const struct path *p, struct sbuf *sb)
{
    expr__sb_puts(sb, "[");
    for (uint32_t k = 0; k < p->n; k++) {
        if (k > 0)
            expr__sb_puts(sb, ", ");
        if (p->elems[k].name != NULL)
            expr__sb_add(sb, p->elems[k].name, p->elems[k].name_len);
        else
            expr__sb_printf(sb, "[%u]", (unsigned)p->elems[k].index);
    }
    expr__sb_puts(sb, "]");
}

int expr__path_equal(const struct path *a, const struct path *b)
{
    if (a->n != b->n)
        return 0;
    for (uint32_t k = 0; k < a->n; k++) {
        const struct path_elem *x = &a->elems[k], *y = &b->elems[k];
        if ((x->name == NULL) != (y->name == NULL))
            return 0;
        if (x->name == NULL) {
            if (x->index != y->index)
                return 0;
        } else if (x->name_len != y->name_len || memcmp(x->name, y->name, x->name_len) != 0) {
            return 0;
        }
    }
    return 1;
}

/* ---------------------------------------------------------------- functions ------------------- */

/* Function names are case-sensitive (Size(a) is "Invalid function name; function: Size"). */
static const struct {
    const char *name;
    enum func_id fn;
} functions[] = {
    {"attribute_exists", F_ATTRIBUTE_EXISTS}, {"attribute_not_exists", F_ATTRIBUTE_NOT_EXISTS},
    {"attribute_type", F_ATTRIBUTE_TYPE},     {"begins_with", F_BEGINS_WITH},
    {"contains", F_CONTAINS},                 {"size", F_SIZE},
    {"if_not_exists", F_IF_NOT_EXISTS},       {"list_append", F_LIST_APPEND},
};

enum func_id expr__func_lookup(const char *s, size_t len)
{
    for (size_t k = 0; k < sizeof functions / sizeof functions[0]; k++)
        if (strlen(functions[k].name) == len && memcmp(functions[k].name, s, len) == 0)
            return functions[k].fn;
    return F_UNKNOWN;
}

const char *expr__func_name(enum func_id fn)
{
    for (size_t k = 0; k < sizeof functions / sizeof functions[0]; k++)
        if (functions[k].fn == fn)
            return functions[k].name;
    return "";
}
