/* write.c — the one write path (see write.h): the item row, the table statistics, the entries of
 * each secondary index (removed, replaced or added as the item's index keys say; an item without an
 * index's key attributes is not in that index), and the stream record of the change (INSERT,
 * MODIFY or REMOVE with the images the stream's view type asks for). A write that changes nothing
 * (the same item put again) writes nothing and makes no record, as on DynamoDB. */
#include "write.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "timeutil.h"

#include "capacity.h"
#include "value.h"

static void copy_attr(json_t *to, const json_t *item, const char *name)
{
    json_t *v;
    if (name != NULL && (v = json_object_get(item, name)) != NULL)
        json_object_set(to, name, v);
}

json_t *write_index_projection(const struct table *table, const struct table_index *ix,
                               const json_t *item)
{
    json_t *p;
    size_t i;
    json_t *name;

    if (ix->projection == PROJECTION_ALL)
        return json_incref((json_t *)item);
    p = json_object();
    copy_attr(p, item, table->hash.name);
    copy_attr(p, item, table->range.name);
    copy_attr(p, item, ix->hash.name);
    copy_attr(p, item, ix->range.name);
    json_array_foreach(ix->non_key, i, name)
        copy_attr(p, item, json_string_value(name));
    return p;
}

/* Parses item JSON when the caller did not pass the parsed item. */
static int parsed(const char *json, const json_t *given, json_t **owned, const json_t **out,
                  struct err *err)
{
    json_error_t jerr;
    *out = given;
    if (given != NULL || json == NULL)
        return 0;
    *owned = json_loads(json, 0, &jerr);
    if (*owned == NULL)
        return err_set(err, ERR_INTERNAL, "stored item is not JSON: %s", jerr.text);
    *out = *owned;
    return 0;
}

/* Two items are equal when they have the same attributes with equal values (DynamoDB's sense). */
static int items_equal(const json_t *a, const json_t *b)
{
    const char *name;
    json_t *v;
    if (json_object_size(a) != json_object_size(b))
        return 0;
    json_object_foreach((json_t *)a, name, v) {
        json_t *w = json_object_get(b, name);
        if (w == NULL || !value_equal(v, w))
            return 0;
    }
    return 1;
}

static int same_key(const struct store_key *a, const struct store_key *b)
{
    return a->hash == b->hash && a->hk_len == b->hk_len && a->rk_len == b->rk_len &&
           memcmp(a->hk, b->hk, a->hk_len) == 0 && memcmp(a->rk, b->rk, a->rk_len) == 0;
}

/* Maintains one index's entry for the change; *units gets the write capacity it costs (an entry
 * written or deleted costs its size in 1 KB units; one moved to another key costs both; an entry
 * whose projection did not change costs nothing and is not rewritten). */
static int update_index(struct store_conn *db, const struct item_change *c,
                        const struct table_index *ix, const json_t *old_item,
                        const json_t *new_item, double *units, struct err *err)
{
    struct item_key old_key = {0}, new_key = {0};
    int old_in = 0, new_in = 0, rc = -1, moved;
    int64_t old_size = 0, new_size = 0;
    json_t *projection = NULL, *old_projection = NULL;
    char *text = NULL;

    *units = 0;
    if ((new_item != NULL && key_from_index(ix, new_item, &new_key, &new_in, err) < 0) ||
        (old_item != NULL && key_from_index(ix, old_item, &old_key, &old_in, err) < 0))
        goto out;
    moved = old_in && new_in && !same_key(&old_key.key, &new_key.key);
    if (old_in) {
        old_projection = write_index_projection(c->table, ix, old_item);
        old_size = (int64_t)value_item_size(old_projection);
        if ((!new_in || moved) &&
            store_index_del(db, ix->id, &old_key.key, &c->key->key, err) < 0)
            goto out;
    }
    if (new_in) {
        const char *json;
        projection = write_index_projection(c->table, ix, new_item);
        if (old_in && !moved && items_equal(old_projection, projection)) {
            rc = 0;   /* the entry stays as it is */
            goto out;
        }
        if (ix->projection == PROJECTION_ALL) {
            json = c->new_json;
            new_size = c->new_size;
        } else {
            text = json_dumps(projection, JSON_COMPACT);
            if (text == NULL) {
                err_set(err, ERR_INTERNAL, "out of memory");
                goto out;
            }
            json = text;
            new_size = (int64_t)value_item_size(projection);
        }
        if (store_index_put(db, ix->id, &new_key.key, &c->key->key, json, strlen(json), new_size,
                            err) < 0)
            goto out;
    }
    if (old_in && new_in && !moved)
        *units = capacity_write_units(new_size > old_size ? new_size : old_size);
    else
        *units = (old_in ? capacity_write_units(old_size) : 0) +
                 (new_in ? capacity_write_units(new_size) : 0);
    rc = store_index_add_stats(db, ix->id, new_in - old_in, new_size - old_size, err);
out:
    free(text);
    json_decref(projection);
    json_decref(old_projection);
    item_key_free(&old_key);
    item_key_free(&new_key);
    return rc;
}

/* ---- stream records ----------------------------------------------------------------------- */

/* 21 digits, zero-padded (as DynamoDB Local prints them): string order is numeric order. */
void write_format_sequence(int64_t seq, char *buf)
{
    snprintf(buf, 32, "%021lld", (long long)seq);
}

static void new_event_id(char *buf)
{
    uint8_t b[16];
    if (getrandom(b, sizeof b, 0) != sizeof b)
        memset(b, 0x42, sizeof b);
    for (int i = 0; i < 16; i++)
        snprintf(buf + 2 * i, 3, "%02x", b[i]);
}

static int append_stream_record(struct store_conn *db, const struct item_change *c,
                                const json_t *old_item, const json_t *new_item, struct err *err)
{
    const struct table *t = c->table;
    const char *view = t->stream_view_type ? t->stream_view_type : "KEYS_ONLY";
    int want_new = strcmp(view, "NEW_IMAGE") == 0 || strcmp(view, "NEW_AND_OLD_IMAGES") == 0;
    int want_old = strcmp(view, "OLD_IMAGE") == 0 || strcmp(view, "NEW_AND_OLD_IMAGES") == 0;
    int64_t now_ms = time_now_ms(), seq = 0, shard = 0, size;
    json_t *record = json_object(), *ddb = json_object(), *keys;
    char event_id[40], seqbuf[32];
    char *text = NULL;
    int rc = -1, found;

    found = store_shard_current(db, t->stream_id, &shard, NULL, err);
    if (found < 0)
        goto out;
    if (found == 0 && (store_shard_open(db, t->stream_id, NULL, now_ms, err) < 0 ||
                       store_shard_current(db, t->stream_id, &shard, NULL, err) <= 0))
        goto out;
    if (store_sequence_next(db, &seq, err) < 0)
        goto out;
    write_format_sequence(seq, seqbuf);
    new_event_id(event_id);

    keys = key_project(t, new_item != NULL ? new_item : old_item);
    size = (int64_t)value_item_size(keys);
    json_object_set_new(record, "eventID", json_string(event_id));
    json_object_set_new(record, "eventName", json_string(old_item == NULL ? "INSERT"
                                                         : new_item == NULL ? "REMOVE" : "MODIFY"));
    json_object_set_new(record, "eventVersion", json_string("1.1"));
    json_object_set_new(record, "eventSource", json_string("aws:dynamodb"));
    json_object_set_new(record, "awsRegion", json_string(t->region));
    /* DynamoDB rounds ApproximateCreationDateTime down to the minute */
    json_object_set_new(ddb, "ApproximateCreationDateTime", json_real((double)(now_ms / 60000 * 60)));
    json_object_set_new(ddb, "Keys", keys);
    if (want_new && new_item != NULL) {
        json_object_set(ddb, "NewImage", (json_t *)new_item);
        size += (int64_t)value_item_size(new_item);
    }
    if (want_old && old_item != NULL) {
        json_object_set(ddb, "OldImage", (json_t *)old_item);
        size += (int64_t)value_item_size(old_item);
    }
    json_object_set_new(ddb, "SequenceNumber", json_string(seqbuf));
    json_object_set_new(ddb, "SizeBytes", json_integer(size));
    json_object_set_new(ddb, "StreamViewType", json_string(view));
    json_object_set_new(record, "dynamodb", ddb);
    ddb = NULL;
    if (c->by_ttl)
        json_object_set_new(record, "userIdentity",
                            json_pack("{s:s,s:s}", "PrincipalId", "dynamodb.amazonaws.com",
                                      "Type", "Service"));
    text = json_dumps(record, JSON_COMPACT | JSON_REAL_PRECISION(15));
    if (text == NULL) {
        err_set(err, ERR_INTERNAL, "out of memory");
        goto out;
    }
    rc = store_record_append(db, seq, shard, now_ms, text, strlen(text), err);
out:
    free(text);
    json_decref(ddb);
    json_decref(record);
    return rc;
}

int write_item_change(struct store_conn *db, const struct item_change *c, struct err *err)
{
    int64_t table_id = c->table->id;
    int64_t count_delta, size_delta;
    json_t *old_owned = NULL, *new_owned = NULL;
    const json_t *old_item = NULL, *new_item = NULL;
    int rc = -1;

    if (c->new_json == NULL && c->old_json == NULL)
        return 0;   /* deleting a missing item changes nothing */
    if (c->new_json != NULL && c->old_json != NULL && strcmp(c->new_json, c->old_json) == 0)
        return 0;   /* the same item again */
    if ((c->table->n_indexes > 0 || c->table->stream_id != 0) &&
        (parsed(c->old_json, c->old_item, &old_owned, &old_item, err) < 0 ||
         parsed(c->new_json, c->new_item, &new_owned, &new_item, err) < 0))
        goto out;
    if (old_item != NULL && new_item != NULL && items_equal(old_item, new_item)) {
        rc = 0;     /* equal in DynamoDB's sense (attribute order, set order): no change */
        goto out;
    }
    for (int i = 0; i < c->table->n_indexes; i++) {
        double units;
        if (update_index(db, c, &c->table->indexes[i], old_item, new_item, &units, err) < 0)
            goto out;
        if (c->index_units != NULL)
            c->index_units[i] = units;
    }

    if (c->new_json != NULL) {
        if (store_item_put(db, table_id, &c->key->key, c->new_json, strlen(c->new_json),
                           c->new_size, err) < 0)
            goto out;
        count_delta = c->old_json != NULL ? 0 : 1;
        size_delta = c->new_size - (c->old_json != NULL ? c->old_size : 0);
    } else {
        if (store_item_delete(db, table_id, &c->key->key, err) < 0)
            goto out;
        count_delta = -1;
        size_delta = -c->old_size;
    }
    if (store_table_add_stats(db, table_id, count_delta, size_delta, err) < 0)
        goto out;
    rc = c->table->stream_id != 0 ? append_stream_record(db, c, old_item, new_item, err) : 0;
out:
    json_decref(old_owned);
    json_decref(new_owned);
    return rc;
}

/* ---- back-filling a new index ------------------------------------------------------------- */

struct backfill {
    struct store_conn *db;
    const struct table *table;
    const struct table_index *ix;
    struct err *err;
    int failed;
};

static int backfill_item(void *arg, const struct store_entry *e)
{
    struct backfill *b = arg;
    struct item_key ik = {0};
    struct store_key tk = e->key;
    json_t *item, *projection = NULL;
    json_error_t jerr;
    char *text = NULL;
    struct err skip = ERR_INIT;
    int present = 0, rc = 0;

    item = json_loadb(e->json, e->json_len, 0, &jerr);
    if (item == NULL) {
        err_set(b->err, ERR_INTERNAL, "stored item is not JSON: %s", jerr.text);
        b->failed = 1;
        return 1;
    }
    /* items whose index key has the wrong type are left out of the index, as DynamoDB's
     * back-fill does (it reports them as violations instead of failing) */
    if (key_from_index(b->ix, item, &ik, &present, &skip) == 0 && present) {
        int64_t size;
        projection = write_index_projection(b->table, b->ix, item);
        text = json_dumps(projection, JSON_COMPACT);
        size = (int64_t)value_item_size(projection);
        if (text == NULL ||
            store_index_put(b->db, b->ix->id, &ik.key, &tk, text, strlen(text), size, b->err) < 0 ||
            store_index_add_stats(b->db, b->ix->id, 1, size, b->err) < 0) {
            if (text == NULL)
                err_set(b->err, ERR_INTERNAL, "out of memory");
            b->failed = 1;
            rc = 1;
        }
    }
    err_clear(&skip);
    free(text);
    json_decref(projection);
    json_decref(item);
    item_key_free(&ik);
    return rc;
}

int write_index_backfill(struct store_conn *db, const struct table *table,
                         const struct table_index *ix, struct err *err)
{
    struct backfill b = {db, table, ix, err, 0};
    if (store_item_scan(db, table->id, 0, (uint64_t)1 << 32, NULL, backfill_item, &b, err) < 0)
        return -1;
    return b.failed ? -1 : 0;
}
