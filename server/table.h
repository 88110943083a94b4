/* table.h — a table's definition as the operations use it: parsed once from the JSON that the
 * store keeps, shared read-only between threads through caches (by row id and version, and by
 * name while no definition changes: see table.c), so a stale definition is never used. Also the
 * lookup that every item operation starts with, raising DynamoDB's ResourceNotFoundException. */
#ifndef DYNASTREAM_TABLE_H
#define DYNASTREAM_TABLE_H

#include <jansson.h>
#include <stdint.h>

#include "errors.h"
#include "value.h"

struct store_conn;

struct key_attr {
    const char *name;          /* borrowed from table->def */
    enum av_type type;         /* AV_S, AV_N or AV_B */
};

enum index_projection { PROJECTION_ALL, PROJECTION_KEYS_ONLY, PROJECTION_INCLUDE };

/* A secondary index as the write path and Query/Scan use it. */
struct table_index {
    const char *name;                 /* borrowed from table->def */
    int global;                       /* GSI (1) or LSI (0) */
    int64_t id;                       /* its entries' id in the store (STORE_INDEX_ID) */
    struct key_attr hash;             /* index partition key */
    struct key_attr range;            /* index sort key; range.name == NULL without one */
    enum index_projection projection;
    const json_t *non_key;            /* INCLUDE: NonKeyAttributes (borrowed), else NULL */
};

struct table {
    int refcount;              /* owned by the cache and by each table_get caller */
    int64_t id;                /* store row id */
    int64_t version;           /* store row version this was parsed from */
    json_t *def;               /* the stored definition (TableDescription without live fields) */
    const char *name;          /* borrowed from def */
    struct key_attr hash;      /* partition key */
    struct key_attr range;     /* sort key; range.name == NULL when the table has none */
    int n_indexes;             /* local indexes first, then global ones */
    struct table_index *indexes;
    int64_t stream_id;         /* the enabled stream's id in the store, 0 when none */
    const char *stream_view_type; /* its StreamViewType (borrowed) */
    char region[64];           /* from the table's ARN: the awsRegion of its stream records */
    const char *ttl_attribute; /* Time to Live's attribute (borrowed), NULL when disabled */
};

/* Live statistics of a table, read with its definition (never cached). */
struct table_stats {
    int64_t item_count;
    int64_t size_bytes;
};

struct table_cache;

/* Creates / frees the cache (NULL-safe free). */
struct table_cache *table_cache_new(void);
void table_cache_free(struct table_cache *cache);

/* Finds table `name` of the caller's namespace. Returns 1 and sets *out (release with
 * table_release) and, when stats is not NULL, *stats; 0 when there is no such table; -1 on error. */
int table_find(struct table_cache *cache, struct store_conn *conn, const char *account,
               const char *region, const char *name, struct table **out,
               struct table_stats *stats, struct err *err);
/* Like table_find, but a missing table is ResourceNotFoundException "Requested resource not
 * found" (the message of item operations). */
int table_get(struct table_cache *cache, struct store_conn *conn, const char *account,
              const char *region, const char *name, struct table **out, struct err *err);
/* Drops one reference. NULL-safe. */
void table_release(struct table *table);

/* The index called name, or NULL. */
const struct table_index *table_index_find(const struct table *table, const char *name);

/* Replaces table id's stored definition with def (in the caller's write transaction). */
int table_save_definition(struct store_conn *w, int64_t id, const json_t *def, struct err *err);
/* Builds a struct table from a definition (steals def). Used by the cache and by CreateTable. */
struct table *table_from_definition(json_t *def, int64_t id, int64_t version);

#endif
