/* batch.c — BatchWriteItem and BatchGetItem (API reference of each). Checks run in DynamoDB's
 * order: first everything the request alone tells (the shape of each write request, values, item
 * sizes, expressions, duplicate keys, the 100-key total) for every table, then per table in
 * request order the table lookup (ResourceNotFoundException) and the key schema. All writes of one
 * BatchWriteItem are one store_write through write.c (atomic here; DynamoDB only allows it), so
 * UnprocessedItems is always {}. The reads of one BatchGetItem share one snapshot and stop at the
 * 16 MB response limit, returning the rest as UnprocessedKeys.
 * Entry points: op_batch_write_item, op_batch_get_item; batch.h (shared with transact.c). */
#include "batch.h"

#include <stdlib.h>
#include <string.h>

#include "capacity.h"
#include "expr/expr.h"
#include "key.h"
#include "limits.h"
#include "ops.h"
#include "reqexpr.h"
#include "store.h"
#include "respond.h"
#include "strbuf.h"
#include "table.h"
#include "value.h"
#include "write.h"

/* dynalite's validations/batchWriteItem.js (recorded against DynamoDB), DynamoDB Local alike: a
 * WriteRequest with neither or both of PutRequest/DeleteRequest; bare, as BatchWriteItem reports
 * its values (batch.h). */
static const char MSG_ONE_REQUEST[] =
    "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the "
    "supported datatypes";
static const char MSG_DUPLICATES[] = "Provided list of item keys contains duplicates";
static const char MSG_TOO_MANY_KEYS[] = "Too many items requested for the BatchGetItem call";
static const char MSG_ITEM_TOO_BIG[] = "Item size has exceeded the maximum allowed size";

#define INDEX_SLOTS (LIMIT_GSI_PER_TABLE + LIMIT_LSI_PER_TABLE)

static int same_key(const struct store_key *a, const struct store_key *b)
{
    return a->hash == b->hash && a->hk_len == b->hk_len && a->rk_len == b->rk_len &&
           memcmp(a->hk, b->hk, a->hk_len) == 0 && memcmp(a->rk, b->rk, a->rk_len) == 0;
}

/* ====================================================================== shared (batch.h) ===== */

int batch_validate_values(const json_t *item, struct err *err)
{
    const char *text;
    if (value_validate_item(item, err) == 0)
        return 0;
    text = value_error_text(err->message);
    if (err->message != NULL && text != err->message)
        memmove(err->message, text, strlen(text) + 1);
    return -1;
}

int batch_prepare_put(const json_t *item, json_t **canonical, char **text, int64_t *size,
                      struct err *err)
{
    if (batch_validate_values(item, err) < 0)
        return -1;
    /* a put's size is known from the request: a plain error, in batches and transactions alike
     * (conformance tier3/limits/itemSizeBySurface, real AWS) */
    *size = (int64_t)value_item_size(item);
    if (*size > (int64_t)LIMIT_ITEM_BYTES)
        return err_set(err, ERR_VALIDATION, "%s", MSG_ITEM_TOO_BIG);
    *canonical = value_canonical_item(item);
    *text = *canonical != NULL ? json_dumps(*canonical, JSON_COMPACT) : NULL;
    if (*text == NULL)
        return err_set(err, ERR_INTERNAL, "out of memory");
    return 0;
}

int batch_err_is_request_level(const struct err *err)
{
    return err->code == ERR_VALIDATION && err->message != NULL &&
           strncmp(err->message, BATCH_MSG_NOT_VALID, sizeof BATCH_MSG_NOT_VALID - 1) == 0;
}

int batch_item_has_key(const struct table *table, const json_t *item)
{
    const struct key_attr *attrs[2] = {&table->hash, &table->range};
    for (int i = 0; i < 2; i++) {
        const json_t *v;
        if (attrs[i]->name == NULL)
            continue;
        v = json_object_get(item, attrs[i]->name);
        if (v == NULL || value_type(v) != attrs[i]->type)
            return 0;
    }
    return 1;
}

static int index_attr_check(const struct table_index *ix, const struct key_attr *attr,
                            const json_t *item, int from_update, struct err *err)
{
    const json_t *v = attr->name != NULL ? json_object_get(item, attr->name) : NULL;
    enum av_type actual;
    const char *kind;

    if (v == NULL)
        return 0;   /* not in this index (sparse) */
    actual = value_type(v);
    if (actual != attr->type)
        return err_set(err, ERR_VALIDATION, "One or more parameter values were invalid: Type "
                       "mismatch for Index Key %s Expected: %s Actual: %s IndexName: %s",
                       attr->name, value_type_name(attr->type), value_type_name(actual), ix->name);
    if ((actual != AV_S && actual != AV_B) ||
        json_string_length(json_object_get(v, value_type_name(actual))) > 0)
        return 0;
    kind = actual == AV_S ? "string" : "binary";
    if (from_update)   /* conformance tier3/error-messages/transactWriteItems, Update cases */
        return err_set(err, ERR_VALIDATION, BATCH_MSG_NOT_VALID " The update expression attempted "
                       "to update a secondary index key to a value that is not supported. The "
                       "AttributeValue for a key attribute cannot contain an empty %s value.",
                       kind);
    return err_set(err, ERR_VALIDATION, BATCH_MSG_NOT_VALID " A value specified for a secondary "
                   "index key is not supported. The AttributeValue for a key attribute cannot "
                   "contain an empty %s value. IndexName: %s, IndexKey: %s", kind, ix->name,
                   attr->name);
}

int batch_check_index_keys(const struct table *table, const json_t *item, int from_update,
                           struct err *err)
{
    const char *prev = NULL;

    /* at most 25 indexes: pick them in name order without sorting a copy */
    for (int n = 0; n < table->n_indexes; n++) {
        const struct table_index *next = NULL;
        for (int i = 0; i < table->n_indexes; i++) {
            const struct table_index *ix = &table->indexes[i];
            if ((prev == NULL || strcmp(ix->name, prev) > 0) &&
                (next == NULL || strcmp(ix->name, next->name) < 0))
                next = ix;
        }
        if (next == NULL)
            break;
        if (index_attr_check(next, &next->hash, item, from_update, err) < 0 ||
            index_attr_check(next, &next->range, item, from_update, err) < 0)
            return -1;
        prev = next->name;
    }
    return 0;
}

void batch_collection_metrics_add(json_t *metrics, const struct table *table, const json_t *item)
{
    json_t *list, *entry, *key, *range;

    if (item == NULL || json_object_get(table->def, "LocalSecondaryIndexes") == NULL)
        return;
    list = json_object_get(metrics, table->name);
    if (list == NULL) {
        list = json_array();
        json_object_set_new(metrics, table->name, list);
    }
    entry = json_object();
    key = json_object();
    json_object_set(key, table->hash.name, json_object_get(item, table->hash.name));
    json_object_set_new(entry, "ItemCollectionKey", key);
    range = json_array();
    json_array_append_new(range, json_real(0.0));
    json_array_append_new(range, json_real(1.0));
    json_object_set_new(entry, "SizeEstimateRangeGB", range);
    json_array_append_new(list, entry);
}

/* ========================================================================= BatchWriteItem ==== */

struct bw_request {
    const json_t *key;          /* DeleteRequest.Key (borrowed), NULL for a put */
    json_t *canonical;          /* put: the canonical item (owned) */
    char *text;                 /* put: its JSON (owned) */
    int64_t size;               /* put: its size */
};

struct bw_table {
    const char *name;           /* borrowed from the request */
    size_t first, count;        /* its requests: reqs[first .. first + count) */
    struct table *table;        /* results: owned reference */
    double units;               /* write capacity of the table itself */
    double index_units[INDEX_SLOTS];
};

struct bw {
    struct request *req;
    struct bw_table *tables;
    size_t ntables;
    struct bw_request *reqs;
    size_t nreqs;
    json_t *metrics;            /* ItemCollectionMetrics when asked for (owned), else NULL */
};

static void bw_reset(struct bw *b)
{
    for (size_t t = 0; t < b->ntables; t++) {
        struct bw_table *bt = &b->tables[t];
        table_release(bt->table);
        bt->table = NULL;
        bt->units = 0;
        memset(bt->index_units, 0, sizeof bt->index_units);
    }
    if (b->metrics != NULL)
        json_object_clear(b->metrics);
}

/* Writes one request of table bt. keys[0..j) are the keys of its earlier requests. */
static int bw_write_one(struct store_conn *w, struct bw_table *bt, struct bw_request *r,
                        struct item_key *keys, size_t j, json_t *metrics, struct err *err)
{
    const struct table *table = bt->table;
    struct item_key *key = &keys[j];
    char *old_json = NULL;
    json_t *old_item = NULL;
    int64_t old_size = 0;
    double index_units[INDEX_SLOTS] = {0};
    int found, rc = -1;

    if (r->key == NULL) {
        /* BatchWriteItem words a missing or mistyped key of a put as a Key's (conformance tier3
         * error-messages/batchWriteItem, real AWS: wrong type, non-scalar, no partition key) */
        if (!batch_item_has_key(table, r->canonical))
            return err_set(err, ERR_VALIDATION, BATCH_MSG_SCHEMA);
        if (key_from_item(table, r->canonical, key, err) < 0 ||
            batch_check_index_keys(table, r->canonical, 0, err) < 0)
            return -1;
    } else if (key_from_key(table, r->key, key, err) < 0) {
        return -1;
    }
    for (size_t i = 0; i < j; i++)
        if (same_key(&keys[i].key, &key->key))
            return err_set(err, ERR_VALIDATION, "%s", MSG_DUPLICATES);

    found = store_item_get(w, table->id, &key->key, &old_json, &old_size, err);
    if (found < 0)
        return -1;
    if (found && r->key != NULL && metrics != NULL) {
        json_error_t jerr;
        old_item = json_loads(old_json, 0, &jerr);
        if (old_item == NULL) {
            err_set(err, ERR_INTERNAL, "stored item is not JSON: %s", jerr.text);
            goto out;
        }
    }
    {
        struct item_change change = {table, key, old_json, old_size,
                                     r->key == NULL ? r->text : NULL,
                                     r->key == NULL ? r->size : 0, old_item,
                                     r->key == NULL ? r->canonical : NULL, index_units, 0};
        if (write_item_change(w, &change, err) < 0)
            goto out;
    }
    bt->units += capacity_write_units(r->size > old_size ? r->size : old_size);
    for (int i = 0; i < table->n_indexes && i < INDEX_SLOTS; i++)
        bt->index_units[i] += index_units[i];
    if (metrics != NULL)
        batch_collection_metrics_add(metrics, table, r->key == NULL ? r->canonical : old_item);
    rc = 0;
out:
    json_decref(old_item);
    free(old_json);
    return rc;
}

/* The write: per table in request order, its lookup, then each request's key checks and write. */
static int bw_apply(struct store_conn *w, void *arg, struct err *err)
{
    struct bw *b = arg;
    struct request *req = b->req;

    bw_reset(b);
    for (size_t t = 0; t < b->ntables; t++) {
        struct bw_table *bt = &b->tables[t];
        struct item_key keys[LIMIT_BATCH_WRITE_ITEMS];
        size_t done = 0;
        int rc = 0;

        if (table_get(req->tables, w, req->account, req->region, bt->name, &bt->table, err) < 0)
            return -1;
        memset(keys, 0, sizeof keys);
        for (size_t j = 0; j < bt->count && j < LIMIT_BATCH_WRITE_ITEMS && rc == 0; j++) {
            rc = bw_write_one(w, bt, &b->reqs[bt->first + j], keys, j, b->metrics, err);
            done = j + 1;
        }
        for (size_t j = 0; j < done; j++)
            item_key_free(&keys[j]);
        if (rc < 0)
            return -1;
    }
    return 0;
}

/* What the request alone tells, for one write request. */
static int bw_check_request(const json_t *wr, struct bw_request *r, struct err *err)
{
    const json_t *put = json_object_get(wr, "PutRequest");
    const json_t *del = json_object_get(wr, "DeleteRequest");

    if (json_is_null(put))
        put = NULL;
    if (json_is_null(del))
        del = NULL;
    if ((put == NULL) == (del == NULL))
        return err_set(err, ERR_VALIDATION, "%s", MSG_ONE_REQUEST);
    if (del != NULL) {
        r->key = json_object_get(del, "Key");
        return batch_validate_values(r->key, err);
    }
    return batch_prepare_put(json_object_get(put, "Item"), &r->canonical, &r->text, &r->size, err);
}

/* ConsumedCapacity: one entry per table, in request order. */
static json_t *bw_capacity(const struct bw *b, const char *mode)
{
    json_t *list = NULL;
    for (size_t t = 0; t < b->ntables; t++) {
        const struct bw_table *bt = &b->tables[t];
        json_t *cc = capacity_json_indexes(mode, bt->table, bt->units, bt->index_units);
        if (cc == NULL)
            continue;
        if (list == NULL)
            list = json_array();
        json_array_append_new(list, cc);
    }
    return list;
}

int op_batch_write_item(struct request *req, json_t **out, struct err *err)
{
    const json_t *items = json_object_get(req->body, "RequestItems");
    const char *mode = str_field(req->body, "ReturnConsumedCapacity");
    const char *metrics_mode = str_field(req->body, "ReturnItemCollectionMetrics");
    struct bw b = {0};
    const char *name;
    json_t *list, *response = NULL, *cc;
    size_t n = 0;
    int rc = -1;

    b.req = req;
    json_object_foreach((json_t *)items, name, list)
        n += json_array_size(list);
    b.tables = calloc(json_object_size(items) + 1, sizeof *b.tables);
    b.reqs = calloc(n + 1, sizeof *b.reqs);
    if (b.tables == NULL || b.reqs == NULL) {
        err_set(err, ERR_INTERNAL, "out of memory");
        goto out;
    }
    json_object_foreach((json_t *)items, name, list) {
        struct bw_table *bt = &b.tables[b.ntables++];
        size_t i;
        json_t *wr;
        bt->name = name;
        bt->first = b.nreqs;
        bt->count = json_array_size(list);
        json_array_foreach(list, i, wr)
            if (bw_check_request(wr, &b.reqs[b.nreqs++], err) < 0)
                goto out;
    }
    if (metrics_mode != NULL && strcmp(metrics_mode, "SIZE") == 0)
        b.metrics = json_object();

    if (store_write(req->store, bw_apply, &b, err) < 0)
        goto out;

    response = json_object();
    json_object_set_new(response, "UnprocessedItems", json_object());
    if ((cc = bw_capacity(&b, mode)) != NULL)
        json_object_set_new(response, "ConsumedCapacity", cc);
    if (b.metrics != NULL && json_object_size(b.metrics) > 0) {
        json_object_set_new(response, "ItemCollectionMetrics", b.metrics);
        b.metrics = NULL;   /* the response's now; bw_reset below must not clear it */
    }
    *out = response;
    response = NULL;
    rc = 0;
out:
    bw_reset(&b);
    for (size_t i = 0; i < b.nreqs; i++) {
        json_decref(b.reqs[i].canonical);
        free(b.reqs[i].text);
    }
    free(b.reqs);
    free(b.tables);
    json_decref(b.metrics);
    json_decref(response);
    return rc;
}

/* =========================================================================== BatchGetItem ==== */

struct bg_table {
    const char *name;           /* borrowed from the request */
    const json_t *spec;         /* its KeysAndAttributes (borrowed) */
    const json_t *keys;         /* spec's Keys */
    int consistent;
    struct expr_request ex;
};

/* What the request alone tells, for one table: expressions, AttributeValues, duplicate keys, and
 * the running total of keys (dynalite's validations/batchGetItem.js custom step, in its order). */
static int bg_check_table(struct bg_table *bt, size_t *total, struct err *err)
{
    json_t **canon;
    size_t nkeys = json_array_size(bt->keys), done = 0;
    int rc = -1;

    if (reqexpr_parse(EXPR_OP_BATCH_GET, bt->spec, &bt->ex, err) < 0)
        return -1;
    canon = calloc(nkeys + 1, sizeof *canon);
    if (canon == NULL)
        return err_set(err, ERR_INTERNAL, "out of memory");
    for (size_t i = 0; i < nkeys; i++) {
        const json_t *key = json_array_get(bt->keys, i);
        if (batch_validate_values(key, err) < 0)
            goto out;
        canon[done++] = value_canonical_item(key);   /* numbers compare by value */
        for (size_t k = 0; k + 1 < done; k++)
            if (json_equal(canon[k], canon[done - 1])) {
                err_set(err, ERR_VALIDATION, "%s", MSG_DUPLICATES);
                goto out;
            }
        if (++*total > LIMIT_BATCH_GET_KEYS) {
            err_set(err, ERR_VALIDATION, "%s", MSG_TOO_MANY_KEYS);
            goto out;
        }
    }
    rc = 0;
out:
    for (size_t i = 0; i < done; i++)
        json_decref(canon[i]);
    free(canon);
    return rc;
}

/* The UnprocessedKeys entry of a table: its request parameters with no keys yet. */
static json_t *bg_unprocessed_entry(const struct bg_table *bt)
{
    static const char *const copied[] = {"AttributesToGet", "ConsistentRead",
                                         "ProjectionExpression", "ExpressionAttributeNames"};
    json_t *entry = json_object();
    json_object_set_new(entry, "Keys", json_array());
    for (size_t i = 0; i < sizeof copied / sizeof copied[0]; i++) {
        json_t *v = json_object_get(bt->spec, copied[i]);
        if (v != NULL && !json_is_null(v))
            json_object_set_new(entry, copied[i], json_deep_copy(v));
    }
    return entry;
}

struct bg_state {
    struct request *req;
    struct strbuf *sb;          /* the Responses object being written */
    json_t *unprocessed;        /* UnprocessedKeys */
    json_t *capacity;           /* ConsumedCapacity list, NULL when not asked for */
    const char *mode;
    size_t bytes;               /* response bytes so far (item sizes) */
    int full;                   /* the 16 MB limit was reached: read no more */
};

/* Reads one table's keys into the Responses text (the stored JSON spliced as is unless there is a
 * projection). Keys past the response limit go to UnprocessedKeys. */
static int bg_read_table(struct bg_state *st, struct bg_table *bt, struct err *err)
{
    struct request *req = st->req;
    const struct expr *projection = bt->ex.kind[EXPR_PROJECTION];
    struct table *table = NULL;
    json_t *pending = NULL;
    double units = 0;
    int first = 1, rc = -1;

    if (table_get(req->tables, req->db, req->account, req->region, bt->name, &table, err) < 0)
        return -1;
    for (size_t i = 0; i < json_array_size(bt->keys); i++) {
        const json_t *key_param = json_array_get(bt->keys, i);
        struct item_key key = {0};
        char *stored = NULL;
        int64_t size = 0;
        int found;

        if (key_from_key(table, key_param, &key, err) < 0) {
            item_key_free(&key);   /* a failed decode may leave a binary behind */
            goto out;
        }
        if (st->full) {
            if (pending == NULL)
                pending = bg_unprocessed_entry(bt);
            json_array_append(json_object_get(pending, "Keys"), (json_t *)key_param);
            item_key_free(&key);
            continue;
        }
        found = store_item_get(req->db, table->id, &key.key, &stored, &size, err);
        item_key_free(&key);
        if (found < 0)
            goto out;
        if (found) {
            json_t *item = NULL, *projected = NULL;
            size_t out_size = (size_t)size;
            if (projection != NULL) {
                json_error_t jerr;
                item = json_loads(stored, 0, &jerr);
                if (item == NULL) {
                    free(stored);
                    err_set(err, ERR_INTERNAL, "stored item is not JSON: %s", jerr.text);
                    goto out;
                }
                projected = expr_project(projection, item);
                out_size = value_item_size(projected);
            }
            if (st->bytes + out_size > LIMIT_BATCH_GET_RESPONSE_BYTES) {
                /* this key and every later one are left for the next call */
                st->full = 1;
                if (pending == NULL)
                    pending = bg_unprocessed_entry(bt);
                json_array_append(json_object_get(pending, "Keys"), (json_t *)key_param);
                json_decref(item);
                json_decref(projected);
                free(stored);
                continue;
            }
            st->bytes += out_size;
            strbuf_puts(st->sb, first ? "" : ",");
            first = 0;
            if (projected != NULL)
                strbuf_append_json(st->sb, projected);
            else
                strbuf_puts(st->sb, stored);
            json_decref(item);
            json_decref(projected);
        }
        free(stored);
        units += capacity_read_units(found ? size : 0, bt->consistent);
    }
    if (pending != NULL) {
        json_object_set_new(st->unprocessed, bt->name, pending);
        pending = NULL;
    }
    if (st->capacity != NULL)
        json_array_append_new(st->capacity, capacity_json(st->mode, table->name, units));
    rc = 0;
out:
    json_decref(pending);
    table_release(table);
    return rc;
}

int op_batch_get_item(struct request *req, json_t **out, struct err *err)
{
    const json_t *items = json_object_get(req->body, "RequestItems");
    const char *mode = str_field(req->body, "ReturnConsumedCapacity");
    struct bg_table *tables;
    struct strbuf sb = STRBUF_INIT;
    struct bg_state st = {0};
    size_t ntables = 0, total = 0;
    int with_expr = 0, with_legacy = 0, in_read = 0, rc = -1;
    const char *name;
    json_t *spec;

    (void)out;
    tables = calloc(json_object_size(items) + 1, sizeof *tables);
    if (tables == NULL)
        return err_set(err, ERR_INTERNAL, "out of memory");
    json_object_foreach((json_t *)items, name, spec) {
        struct bg_table *bt = &tables[ntables++];
        bt->name = name;
        bt->spec = spec;
        bt->keys = json_object_get(spec, "Keys");
        bt->consistent = json_is_true(json_object_get(spec, "ConsistentRead"));
        if (bg_check_table(bt, &total, err) < 0)
            goto out;
        with_expr |= json_object_get(spec, "ProjectionExpression") != NULL;
        with_legacy |= json_object_get(spec, "AttributesToGet") != NULL;
    }
    /* one table with a ProjectionExpression and another with AttributesToGet: the request mixes
     * them (conformance tier3/error-messages/batchGetItem, real AWS; the text is the one-table
     * rule's) */
    if (with_expr && with_legacy) {
        err_set(err, ERR_VALIDATION, "Can not use both expression and non-expression parameters "
                "in the same request: Non-expression parameters: {AttributesToGet} Expression "
                "parameters: {ProjectionExpression}");
        goto out;
    }

    if (store_begin_read(req->db, err) < 0)
        goto out;
    in_read = 1;
    st.req = req;
    st.sb = &sb;
    st.mode = mode;
    st.unprocessed = json_object();
    if (mode != NULL && (strcmp(mode, "TOTAL") == 0 || strcmp(mode, "INDEXES") == 0))
        st.capacity = json_array();
    strbuf_puts(&sb, "{\"Responses\":{");
    for (size_t t = 0; t < ntables; t++) {
        json_t *jname = json_string(tables[t].name);
        strbuf_puts(&sb, t ? "," : "");
        strbuf_append_json(&sb, jname);
        json_decref(jname);
        strbuf_puts(&sb, ":[");
        if (bg_read_table(&st, &tables[t], err) < 0)
            goto out;
        strbuf_puts(&sb, "]");
    }
    strbuf_puts(&sb, "},\"UnprocessedKeys\":");
    strbuf_append_json(&sb, st.unprocessed);
    if (st.capacity != NULL) {
        strbuf_puts(&sb, ",\"ConsumedCapacity\":");
        strbuf_append_json(&sb, st.capacity);
    }
    strbuf_puts(&sb, "}");
    if (respond_raw(req, &sb, err) < 0)
        goto out;
    rc = 0;
out:
    if (in_read)
        store_rollback(req->db);
    strbuf_free(&sb);
    json_decref(st.unprocessed);
    json_decref(st.capacity);
    for (size_t t = 0; t < ntables; t++)
        reqexpr_free(&tables[t].ex);
    free(tables);
    return rc;
}
