/* rmw.c — the read-modify-write skeleton (see rmw.h). Everything between the table lookup and the
 * write happens inside one store_write call, so that the old item read, the decision and the
 * write are atomic with respect to every other writer. */
#include "rmw.h"

#include <stdlib.h>
#include <string.h>

#include "expr/expr.h"
#include "limits.h"
#include "store.h"
#include "value.h"
#include "write.h"

/* Clears what a previous attempt left (a write function may in principle run once only, but keep
 * the struct consistent whatever happens). */
static void reset_results(struct rmw *r)
{
    table_release(r->table);
    r->table = NULL;
    item_key_free(&r->key);
    free(r->old_json);
    r->old_json = NULL;
    json_decref(r->old_item);
    r->old_item = NULL;
    json_decref(r->new_item);
    r->new_item = NULL;
    if (r->new_json != r->new_json_given)
        free(r->new_json);
    r->new_json = NULL;
}

static int apply(struct store_conn *w, void *arg, struct err *err)
{
    struct rmw *r = arg;
    struct request *req = r->req;
    int found;

    reset_results(r);
    if (table_get(req->tables, w, req->account, req->region, r->table_name, &r->table, err) < 0)
        return -1;
    if (r->key_item != NULL) {
        if (key_from_item(r->table, r->key_item, &r->key, err) < 0)
            return -1;
    } else if (key_from_key(r->table, r->key_param, &r->key, err) < 0) {
        return -1;
    }
    found = store_item_get(w, r->table->id, &r->key.key, &r->old_json, &r->old_size, err);
    if (found < 0)
        return -1;
    if (found && (r->need_old_item || r->modify != NULL || r->condition != NULL)) {
        json_error_t jerr;
        r->old_item = json_loads(r->old_json, 0, &jerr);
        if (r->old_item == NULL)
            return err_set(err, ERR_INTERNAL, "stored item is not JSON: %s", jerr.text);
    }

    if (r->condition != NULL && !expr_eval(r->condition, r->old_item)) {
        err_set(err, ERR_CONDITIONAL_CHECK, "The conditional request failed");
        if (r->old_on_failure && r->old_item != NULL)
            err_add_field(err, "Item", json_deep_copy(r->old_item));
        return -1;
    }
    if (r->modify == NULL) {
        r->new_item = json_incref((json_t *)r->new_item_given);
        r->new_json = (char *)r->new_json_given;
        r->new_size = r->new_size_given;
    } else {
        if (r->modify(r, r->old_item, &r->new_item, err) < 0)
            return -1;
        if (r->new_item != NULL) {
            r->new_size = (int64_t)value_item_size(r->new_item);
            /* UpdateItem also holds what the update writes plus its action cost to the limit */
            if (r->new_size > (int64_t)LIMIT_ITEM_BYTES ||
                (r->update != NULL &&
                 expr_update_charged_size(r->update, r->new_item) > (int64_t)LIMIT_ITEM_BYTES))
                return err_set(err, ERR_VALIDATION,
                               "Item size to update has exceeded the maximum allowed size");
            r->new_json = json_dumps(r->new_item, JSON_COMPACT);
            if (r->new_json == NULL)
                return err_set(err, ERR_INTERNAL, "out of memory");
        }
    }
    {
        struct item_change change = {r->table, &r->key, r->old_json, r->old_size, r->new_json,
                                     r->new_size, r->old_item, r->new_item, r->index_units, 0};
        return write_item_change(w, &change, err);
    }
}

int rmw_run(struct rmw *r, struct err *err)
{
    return store_write(r->req->store, apply, r, err);
}

void rmw_free(struct rmw *r)
{
    reset_results(r);
}
