/* write.h — the one write path for item changes. PutItem, UpdateItem, DeleteItem, BatchWriteItem,
 * TransactWriteItems (and TTL deletions) all end here, inside the caller's write transaction, so
 * that everything an item change implies — the item row, the table statistics, and later index
 * entries and the stream record — is written the same way and atomically with the change. */
#ifndef DYNASTREAM_WRITE_H
#define DYNASTREAM_WRITE_H

#include <jansson.h>
#include <stdint.h>

#include "errors.h"
#include "key.h"
#include "store.h"
#include "table.h"

struct item_change {
    const struct table *table;
    const struct item_key *key;
    const char *old_json;       /* the stored item before the change, NULL if there was none */
    int64_t old_size;
    const char *new_json;       /* canonical JSON of the new item, NULL to delete */
    int64_t new_size;
};

/* Applies one change in the current write transaction. Returns 0 or -1 with err set. */
int write_item_change(struct store_conn *db, const struct item_change *change, struct err *err);

#endif
