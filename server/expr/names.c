/* names.c — the top-level attribute names a projection reaches, for callers that must compare
 * them with what a secondary index holds (Query/Scan on an index: a GSI refuses attributes it does
 * not project; an LSI fetches them from the table). */
#include "ast.h"
#include "expr.h"

int expr_projection_names(const struct expr *e, int (*fn)(void *arg, const char *name, size_t len),
                          void *arg)
{
    if (e == NULL || e->kind != EXPR_PROJECTION)
        return 0;
    for (uint32_t i = 0; i < e->npaths; i++) {
        const struct path_elem *first = &e->paths[i].elems[0];
        if (first->name != NULL && fn(arg, first->name, first->name_len) != 0)
            return 1;
    }
    return 0;
}
