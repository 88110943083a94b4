/* table.c — parsed table definitions and their caches (see table.h). Two small open hash maps
 * behind one mutex held only for a lookup: by row id, the latest parsed version of a definition
 * (parsed once per version); by (account, region, name), the definition current at a table
 * generation of the store (store_table_generation), so that an item operation finds its table
 * without a query while no definition changes. A lookup the name map cannot answer asks the store
 * for the current (id, version), so DDL from any connection is seen at once. */
#include "table.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"

#define CACHE_SLOTS 1024
#define NAME_SLOTS 256

/* A name's table as of one generation. key is "account\0region\0name". */
struct name_entry {
    uint64_t generation;
    size_t key_len;
    char *key;
    struct table *table;               /* retained */
};

struct table_cache {
    pthread_mutex_t mutex;
    struct table *slot[CACHE_SLOTS];   /* by id % CACHE_SLOTS; a collision just replaces */
    struct name_entry by_name[NAME_SLOTS]; /* by hash of the key; a collision just replaces */
};

struct table_cache *table_cache_new(void)
{
    struct table_cache *cache = calloc(1, sizeof *cache);
    if (cache != NULL)
        pthread_mutex_init(&cache->mutex, NULL);
    return cache;
}

void table_cache_free(struct table_cache *cache)
{
    if (cache == NULL)
        return;
    for (int i = 0; i < CACHE_SLOTS; i++)
        table_release(cache->slot[i]);
    for (int i = 0; i < NAME_SLOTS; i++) {
        free(cache->by_name[i].key);
        table_release(cache->by_name[i].table);
    }
    pthread_mutex_destroy(&cache->mutex);
    free(cache);
}

void table_release(struct table *table)
{
    if (table == NULL)
        return;
    if (atomic_fetch_sub_explicit((_Atomic int *)&table->refcount, 1, memory_order_acq_rel) == 1) {
        json_decref(table->def);
        free(table->indexes);
        free(table);
    }
}

static void table_retain(struct table *table)
{
    atomic_fetch_add_explicit((_Atomic int *)&table->refcount, 1, memory_order_relaxed);
}

/* Fills hash/range from a KeySchema, with types from the table's AttributeDefinitions. */
static void parse_key_schema(const json_t *def, const json_t *ks, struct key_attr *hash,
                             struct key_attr *range)
{
    json_t *defs = json_object_get(def, "AttributeDefinitions");
    size_t i, j;
    json_t *k, *d;

    json_array_foreach(ks, i, k) {
        const char *name = json_string_value(json_object_get(k, "AttributeName"));
        const char *kind = json_string_value(json_object_get(k, "KeyType"));
        struct key_attr *attr = (kind && strcmp(kind, "RANGE") == 0) ? range : hash;
        attr->name = name;
        json_array_foreach(defs, j, d) {
            const char *dname = json_string_value(json_object_get(d, "AttributeName"));
            if (dname && name && strcmp(dname, name) == 0)
                attr->type = value_type_from_name(json_string_value(json_object_get(d, "AttributeType")));
        }
    }
}

/* Local indexes first, then global ones; an index's number is its "IndexNumber" when the
 * definition has one (indexes added later by UpdateTable), else its position from 1. */
static int parse_indexes(struct table *t)
{
    static const char *const lists[2] = {"LocalSecondaryIndexes", "GlobalSecondaryIndexes"};
    size_t total = json_array_size(json_object_get(t->def, lists[0])) +
                   json_array_size(json_object_get(t->def, lists[1]));
    int n = 0;

    if (total == 0)
        return 0;
    t->indexes = calloc(total, sizeof *t->indexes);
    if (t->indexes == NULL)
        return -1;
    for (int g = 0; g < 2; g++) {
        size_t i;
        json_t *ix;
        json_array_foreach(json_object_get(t->def, lists[g]), i, ix) {
            struct table_index *x = &t->indexes[n];
            const json_t *proj = json_object_get(ix, "Projection");
            const char *type = json_string_value(json_object_get(proj, "ProjectionType"));
            json_t *number = json_object_get(ix, "IndexNumber");
            x->name = json_string_value(json_object_get(ix, "IndexName"));
            x->global = g;
            x->id = STORE_INDEX_ID(t->id, number ? json_integer_value(number) : n + 1);
            parse_key_schema(t->def, json_object_get(ix, "KeySchema"), &x->hash, &x->range);
            x->projection = type == NULL || strcmp(type, "ALL") == 0 ? PROJECTION_ALL
                          : strcmp(type, "KEYS_ONLY") == 0         ? PROJECTION_KEYS_ONLY
                                                                   : PROJECTION_INCLUDE;
            x->non_key = x->projection == PROJECTION_INCLUDE
                             ? json_object_get(proj, "NonKeyAttributes") : NULL;
            n++;
        }
    }
    t->n_indexes = n;
    return 0;
}

const struct table_index *table_index_find(const struct table *table, const char *name)
{
    for (int i = 0; name != NULL && i < table->n_indexes; i++)
        if (strcmp(table->indexes[i].name, name) == 0)
            return &table->indexes[i];
    return NULL;
}

int table_save_definition(struct store_conn *w, int64_t id, const json_t *def, struct err *err)
{
    char *text = json_dumps(def, JSON_COMPACT | JSON_REAL_PRECISION(15));
    int rc;
    if (text == NULL)
        return err_set(err, ERR_INTERNAL, "out of memory");
    rc = store_table_set_definition(w, id, text, err);
    free(text);
    return rc;
}

struct table *table_from_definition(json_t *def, int64_t id, int64_t version)
{
    struct table *t = calloc(1, sizeof *t);
    if (t == NULL) {
        json_decref(def);
        return NULL;
    }
    t->refcount = 1;
    t->id = id;
    t->version = version;
    t->def = def;
    t->name = json_string_value(json_object_get(def, "TableName"));
    parse_key_schema(def, json_object_get(def, "KeySchema"), &t->hash, &t->range);
    t->ttl_attribute = json_string_value(json_object_get(def, "TimeToLiveAttribute"));
    {
        const json_t *spec = json_object_get(def, "StreamSpecification");
        const char *arn = json_string_value(json_object_get(def, "TableArn"));
        if (json_is_true(json_object_get(spec, "StreamEnabled"))) {
            t->stream_id = json_integer_value(json_object_get(def, "StreamId"));
            t->stream_view_type = json_string_value(json_object_get(spec, "StreamViewType"));
        }
        /* arn:aws:dynamodb:<region>:<account>:table/<name> */
        if (arn != NULL && strncmp(arn, "arn:aws:dynamodb:", 17) == 0) {
            size_t n = strcspn(arn + 17, ":");
            if (n < sizeof t->region) {
                memcpy(t->region, arn + 17, n);
                t->region[n] = '\0';
            }
        }
    }
    if (parse_indexes(t) < 0) {
        table_release(t);
        return NULL;
    }
    return t;
}

struct cache_probe {
    struct table_cache *cache;
    struct table *hit;        /* retained cached parse of the row, if any */
};

/* store_table_get's question: is this (id, version) already parsed? Retains the hit. */
static int definition_wanted(void *arg, int64_t id, int64_t version)
{
    struct cache_probe *p = arg;
    struct table *t;
    pthread_mutex_lock(&p->cache->mutex);
    t = p->cache->slot[(unsigned)(id % CACHE_SLOTS)];
    if (t != NULL && t->id == id && t->version == version) {
        table_retain(t);
        p->hit = t;
    }
    pthread_mutex_unlock(&p->cache->mutex);
    return p->hit == NULL;
}

/* "account\0region\0name" into buf (NAME_KEY_MAX bytes); its length, or 0 if it does not fit. */
#define NAME_KEY_MAX 512
static size_t name_key(char *buf, const char *account, const char *region, const char *name)
{
    size_t a = strlen(account) + 1, r = strlen(region) + 1, n = strlen(name) + 1;
    if (a + r + n > NAME_KEY_MAX)
        return 0;
    memcpy(buf, account, a);
    memcpy(buf + a, region, r);
    memcpy(buf + a + r, name, n);
    return a + r + n;
}

static unsigned name_slot(const char *key, size_t len)
{
    uint32_t h = 2166136261u;              /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)key[i]) * 16777619u;
    return h % NAME_SLOTS;
}

/* The retained table cached for key at generation, or NULL. */
static struct table *name_lookup(struct table_cache *cache, const char *key, size_t len,
                                 uint64_t generation)
{
    struct name_entry *e = &cache->by_name[name_slot(key, len)];
    struct table *t = NULL;
    pthread_mutex_lock(&cache->mutex);
    if (e->table != NULL && e->generation == generation && e->key_len == len &&
        memcmp(e->key, key, len) == 0) {
        t = e->table;
        table_retain(t);
    }
    pthread_mutex_unlock(&cache->mutex);
    return t;
}

static void name_store(struct table_cache *cache, const char *key, size_t len,
                       uint64_t generation, struct table *t)
{
    struct name_entry *e = &cache->by_name[name_slot(key, len)];
    char *copy = malloc(len);
    if (copy == NULL)
        return;
    memcpy(copy, key, len);
    table_retain(t);
    pthread_mutex_lock(&cache->mutex);
    free(e->key);
    table_release(e->table);
    e->key = copy;
    e->key_len = len;
    e->generation = generation;
    e->table = t;
    pthread_mutex_unlock(&cache->mutex);
}

int table_find(struct table_cache *cache, struct store_conn *conn, const char *account,
               const char *region, const char *name, struct table **out,
               struct table_stats *stats, struct err *err)
{
    struct store_table row = {0};
    struct cache_probe probe = {cache, NULL};
    struct table *t;
    char key[NAME_KEY_MAX];
    size_t key_len = 0;
    /* the name map answers only while no definition change is open (even generation), and is
     * filled from a view no older than the generation it is tagged with */
    uint64_t now = store_table_generation(conn);
    uint64_t snapshot = store_snapshot_generation(conn);
    int rc;
    unsigned slot;

    if (stats == NULL && (now & 1) == 0 && name != NULL &&
        (key_len = name_key(key, account, region, name)) > 0) {
        t = name_lookup(cache, key, key_len, now);
        if (t != NULL) {
            *out = t;
            return 1;
        }
    }
    rc = store_table_get(conn, account, region, name, definition_wanted, &probe, &row, err);
    if (rc <= 0) {
        table_release(probe.hit);
        return rc;
    }
    slot = (unsigned)(row.id % CACHE_SLOTS);
    t = probe.hit;
    if (t == NULL) {
        json_error_t jerr;
        json_t *def = json_loads(row.definition, 0, &jerr);
        if (def == NULL) {
            store_table_row_free(&row);
            return err_set(err, ERR_INTERNAL, "table %s: stored definition is not JSON: %s", name,
                           jerr.text);
        }
        t = table_from_definition(def, row.id, row.version);
        if (t == NULL) {
            store_table_row_free(&row);
            return err_set(err, ERR_INTERNAL, "out of memory");
        }
        /* a definition the writer's open batch changed is not committed yet: if the batch
         * failed, a later change would reuse its (id, version) — never cache it */
        if (!((now & 1) && store_conn_is_writer(conn))) {
            pthread_mutex_lock(&cache->mutex);
            table_retain(t);
            table_release(cache->slot[slot]);
            cache->slot[slot] = t;
            pthread_mutex_unlock(&cache->mutex);
        }
    }
    store_table_row_free(&row);
    if (stats != NULL) {
        stats->item_count = row.item_count;
        stats->size_bytes = row.size_bytes;
    }
    /* a reader's snapshot may predate the generation it read unless it began after; the writer
     * sees the latest definitions, and an even generation says this batch changed none */
    if (key_len > 0 && (store_conn_is_writer(conn) || snapshot == now))
        name_store(cache, key, key_len, now, t);
    *out = t;
    return 1;
}

int table_get(struct table_cache *cache, struct store_conn *conn, const char *account,
              const char *region, const char *name, struct table **out, struct err *err)
{
    int rc = table_find(cache, conn, account, region, name, out, NULL, err);
    if (rc == 0)
        return err_set(err, ERR_RESOURCE_NOT_FOUND, "Requested resource not found");
    return rc < 0 ? -1 : 0;
}
