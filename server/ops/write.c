/* write.c — the one write path (see write.h). Today: the item row and the table statistics. */
#include "write.h"

#include <string.h>

int write_item_change(struct store_conn *db, const struct item_change *c, struct err *err)
{
    int64_t table_id = c->table->id;
    int64_t count_delta, size_delta;

    if (c->new_json != NULL) {
        if (store_item_put(db, table_id, &c->key->key, c->new_json, strlen(c->new_json),
                           c->new_size, err) < 0)
            return -1;
        count_delta = c->old_json != NULL ? 0 : 1;
        size_delta = c->new_size - (c->old_json != NULL ? c->old_size : 0);
    } else {
        if (c->old_json == NULL)
            return 0;   /* deleting a missing item changes nothing */
        if (store_item_delete(db, table_id, &c->key->key, err) < 0)
            return -1;
        count_delta = -1;
        size_delta = -c->old_size;
    }
    return store_table_add_stats(db, table_id, count_delta, size_delta, err);
}
