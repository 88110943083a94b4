/* write.h — the one write path for item changes. PutItem, UpdateItem, DeleteItem, BatchWriteItem,
 * TransactWriteItems (and TTL deletions) all end here, inside the caller's write transaction, so
 * that everything an item change implies — the item row, the table statistics, the entries of
 * every secondary index, and later the stream record — is written the same way and atomically
 * with the change. */
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
    const json_t *old_item;     /* parsed forms when the caller has them (else parsed here if */
    const json_t *new_item;     /* the table has indexes); borrowed */
    double *index_units;        /* if not NULL: per index (table->indexes order), the write
                                   capacity units the change cost it */
    int by_ttl;                 /* a deletion by Time to Live: its stream record names the
                                   service as the user identity, as DynamoDB's do */
};

/* Applies one change in the current write transaction. Returns 0 or -1 with err set (an index key
 * of the new item with the wrong type, for instance); the caller's savepoint undoes partial work. */
int write_item_change(struct store_conn *db, const struct item_change *change, struct err *err);

/* The projection of item into index ix (table keys, index keys, and the projected attributes).
 * Returns a new reference. */
json_t *write_index_projection(const struct table *table, const struct table_index *ix,
                               const json_t *item);

/* Formats a stream sequence number as DynamoDB's string form (buf: 32 bytes). */
void write_format_sequence(int64_t seq, char *buf);

/* Adds the entries of every existing item of the table to a new index ix (UpdateTable creating a
 * GSI), in the current write transaction. */
int write_index_backfill(struct store_conn *db, const struct table *table,
                         const struct table_index *ix, struct err *err);

#endif
