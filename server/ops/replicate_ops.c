/* replicate_ops.c — the internal operations of the bundled replicator (ops.def rows flagged
 * OPF_INTERNAL: reachable only through dispatch_call, never over HTTP). ReplicateBatch applies a
 * batch of stream records to the target table through write_item_change — INSERT/MODIFY put the
 * NewImage verbatim (or, for KEYS_ONLY/OLD_IMAGE streams, the source item as it is now), REMOVE
 * deletes the Keys — and upserts the mapping's checkpoint, all in ONE store_write job, so the
 * replica and the checkpoint can never disagree (exactly-once). ReplicatorCheckpoints,
 * RecordTimes and FindTable are the reads the replicator needs besides the Streams API.
 * These bodies come from replicator/source_local.c, not from users: shapes are checked, not specs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "key.h"
#include "limits.h"
#include "ops.h"
#include "store.h"
#include "table.h"
#include "timeutil.h"
#include "value.h"
#include "write.h"

static int table_missing(const char *name, struct err *err)
{
    /* DescribeTable's words: the replicator's status shows which table is missing */
    return err_set(err, ERR_RESOURCE_NOT_FOUND, "Requested resource not found: Table: %s not found",
                   name);
}

/* ---- ReplicateBatch ------------------------------------------------------------------------ */

struct batch_job {
    struct request *req;
    const json_t *records;      /* array of stream records (borrowed from the body) */
    const char *mapping, *source, *target;
    const char *stream_arn, *shard_id, *sequence;
    int done;
    int64_t last_created_ms;    /* result */
};

/* Writes item (parsed, canonical) or deletes the key's item in `t`, through the one write path. */
static int put_or_delete(struct store_conn *w, const struct table *t, const json_t *keys,
                         const json_t *item, struct err *err)
{
    struct item_key key = {0};
    char *old_json = NULL, *new_json = NULL;
    int64_t old_size = 0, new_size = 0;
    int found, rc = -1;

    if ((item != NULL ? key_from_item(t, item, &key, err) : key_from_key(t, keys, &key, err)) < 0)
        goto out;
    found = store_item_get(w, t->id, &key.key, &old_json, &old_size, err);
    if (found < 0)
        goto out;
    if (item != NULL) {
        new_size = (int64_t)value_item_size(item);
        if (new_size > (int64_t)LIMIT_ITEM_BYTES) {
            err_set(err, ERR_VALIDATION, "Item size has exceeded the maximum allowed size");
            goto out;
        }
        new_json = json_dumps(item, JSON_COMPACT);
        if (new_json == NULL) {
            err_set(err, ERR_INTERNAL, "out of memory");
            goto out;
        }
    }
    {
        struct item_change change = {t, &key, found ? old_json : NULL, old_size, new_json, new_size,
                                     NULL, item, NULL, 0};
        rc = write_item_change(w, &change, err);
    }
out:
    free(old_json);
    free(new_json);
    item_key_free(&key);
    return rc;
}

/* The source item with the record's Keys as it is now (KEYS_ONLY / OLD_IMAGE streams): a new
 * reference in *item, or NULL when the item (or the whole source table) is gone. */
static int current_source_item(struct store_conn *w, struct batch_job *j, const json_t *keys,
                               json_t **item, struct err *err)
{
    struct request *req = j->req;
    struct table *src = NULL;
    struct item_key key = {0};
    char *json = NULL;
    int64_t size;
    int found, rc = -1;

    *item = NULL;
    found = table_find(req->tables, w, req->account, req->region, j->source, &src, NULL, err);
    if (found <= 0) {
        rc = found;   /* no source table: nothing to copy, the replica's item goes */
        goto out;
    }
    if (key_from_key(src, keys, &key, err) < 0)
        goto out;
    found = store_item_get(w, src->id, &key.key, &json, &size, err);
    if (found < 0)
        goto out;
    if (found) {
        json_error_t jerr;
        *item = json_loads(json, 0, &jerr);
        if (*item == NULL) {
            err_set(err, ERR_INTERNAL, "stored item is not JSON: %s", jerr.text);
            goto out;
        }
    }
    rc = 0;
out:
    free(json);
    item_key_free(&key);
    table_release(src);
    return rc;
}

static int apply_record(struct store_conn *w, struct batch_job *j, const struct table *t,
                        const json_t *record, size_t index, struct err *err)
{
    const json_t *ddb = json_object_get(record, "dynamodb");
    const char *name = str_field(record, "eventName");
    const json_t *keys = json_object_get(ddb, "Keys");
    const json_t *image = json_object_get(ddb, "NewImage");
    json_t *fetched = NULL;
    int rc;

    if (!json_is_object(keys) || name == NULL)
        return err_set(err, ERR_VALIDATION, "record %zu: not a stream record", index);
    if (strcmp(name, "REMOVE") == 0) {
        image = NULL;
    } else if (strcmp(name, "INSERT") != 0 && strcmp(name, "MODIFY") != 0) {
        return err_set(err, ERR_VALIDATION, "record %zu: unknown eventName %s", index, name);
    } else if (!json_is_object(image)) {
        if (current_source_item(w, j, keys, &fetched, err) < 0)
            return -1;
        image = fetched;
    }
    rc = put_or_delete(w, t, keys, image, err);
    json_decref(fetched);
    return rc;
}

static int apply_batch(struct store_conn *w, void *arg, struct err *err)
{
    struct batch_job *j = arg;
    struct request *req = j->req;
    struct table *t = NULL;
    size_t n = json_array_size(j->records);
    int rc = -1;

    j->last_created_ms = 0;
    if (n > 0) {
        int found = table_find(req->tables, w, req->account, req->region, j->target, &t, NULL, err);
        if (found <= 0)
            return found < 0 ? -1 : table_missing(j->target, err);
        for (size_t i = 0; i < n; i++)
            if (apply_record(w, j, t, json_array_get(j->records, i), i, err) < 0)
                goto out;
    }
    if (store_checkpoint_put(w, j->mapping, j->stream_arn, j->shard_id, j->sequence, j->done,
                             time_now_ms(), err) < 0)
        goto out;
    if (n > 0) {
        const char *seq = str_field(json_object_get(json_array_get(j->records, n - 1), "dynamodb"),
                                    "SequenceNumber");
        int64_t ms = 0;
        if (seq != NULL && store_record_created(w, strtoll(seq, NULL, 10), &ms, err) > 0)
            j->last_created_ms = ms;
    }
    rc = 0;
out:
    table_release(t);
    return rc;
}

int op_replicate_batch(struct request *req, json_t **out, struct err *err)
{
    const json_t *cp = json_object_get(req->body, "Checkpoint");
    struct batch_job j = {
        .req = req,
        .records = json_object_get(req->body, "Records"),
        .mapping = str_field(req->body, "Mapping"),
        .source = str_field(req->body, "SourceTable"),
        .target = str_field(req->body, "TargetTable"),
        .stream_arn = str_field(cp, "StreamArn"),
        .shard_id = str_field(cp, "ShardId"),
        .sequence = str_field(cp, "SequenceNumber"),
        .done = json_is_true(json_object_get(cp, "Done")),
    };

    if (!json_is_array(j.records) || j.mapping == NULL || j.source == NULL || j.target == NULL ||
        j.stream_arn == NULL || j.shard_id == NULL)
        return err_set(err, ERR_VALIDATION, "ReplicateBatch: Mapping, SourceTable, TargetTable, "
                       "Records and Checkpoint.{StreamArn,ShardId} are required");
    if (j.sequence != NULL && j.sequence[0] == '\0')
        j.sequence = NULL;
    if (store_write(req->store, apply_batch, &j, err) < 0)
        return -1;
    *out = json_object();
    json_object_set_new(*out, "RecordsApplied", json_integer((json_int_t)json_array_size(j.records)));
    if (j.last_created_ms != 0)
        json_object_set_new(*out, "LastCreatedMs", json_integer(j.last_created_ms));
    return 0;
}

/* ---- ReplicatorCheckpoints ----------------------------------------------------------------- */

static int checkpoint_one(void *arg, const char *stream_arn, const char *shard_id,
                          const char *sequence, int done)
{
    json_t *cp = json_object();
    json_object_set_new(cp, "StreamArn", json_string(stream_arn ? stream_arn : ""));
    json_object_set_new(cp, "ShardId", json_string(shard_id ? shard_id : ""));
    if (sequence != NULL)
        json_object_set_new(cp, "SequenceNumber", json_string(sequence));
    json_object_set_new(cp, "Done", json_boolean(done));
    json_array_append_new(arg, cp);
    return 0;
}

int op_replicator_checkpoints(struct request *req, json_t **out, struct err *err)
{
    const char *mapping = str_field(req->body, "Mapping");
    json_t *list;

    if (mapping == NULL)
        return err_set(err, ERR_VALIDATION, "ReplicatorCheckpoints: Mapping is required");
    list = json_array();
    if (store_checkpoint_list(req->db, mapping, checkpoint_one, list, err) < 0) {
        json_decref(list);
        return -1;
    }
    *out = json_object();
    json_object_set_new(*out, "Checkpoints", list);
    return 0;
}

/* ---- RecordTimes --------------------------------------------------------------------------- */

int op_record_times(struct request *req, json_t **out, struct err *err)
{
    const json_t *seqs = json_object_get(req->body, "SequenceNumbers");
    json_t *times;
    size_t i;
    json_t *v;

    if (!json_is_array(seqs))
        return err_set(err, ERR_VALIDATION, "RecordTimes: SequenceNumbers is required");
    times = json_array();
    json_array_foreach(seqs, i, v) {
        int64_t ms = 0;
        const char *s = json_string_value(v);
        int found = s != NULL ? store_record_created(req->db, strtoll(s, NULL, 10), &ms, err) : 0;
        if (found < 0) {
            json_decref(times);
            return -1;
        }
        json_array_append_new(times, found ? json_integer(ms) : json_null());
    }
    *out = json_object();
    json_object_set_new(*out, "Times", times);
    return 0;
}

/* ---- FindTable ----------------------------------------------------------------------------- */

static int namespace_one(void *arg, const char *account, const char *region)
{
    json_t *ns = json_object();
    json_object_set_new(ns, "Account", json_string(account ? account : ""));
    json_object_set_new(ns, "Region", json_string(region ? region : ""));
    json_array_append_new(arg, ns);
    return 0;
}

int op_find_table(struct request *req, json_t **out, struct err *err)
{
    const char *name = str_field(req->body, "TableName");
    json_t *list;

    if (name == NULL)
        return err_set(err, ERR_VALIDATION, "FindTable: TableName is required");
    list = json_array();
    if (store_table_namespaces(req->db, name, namespace_one, list, err) < 0) {
        json_decref(list);
        return -1;
    }
    *out = json_object();
    json_object_set_new(*out, "Namespaces", list);
    return 0;
}
