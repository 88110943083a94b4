/* source_http.c — the standalone replicator's source (Streams API over HTTP, polling) and target
 * (DynamoDB writes over HTTP, checkpoints in the local file); see source_http.h. The target turns
 * a batch into the last action per key (a later record of a key supersedes an earlier one within
 * the batch, and the checkpoint only moves once the whole batch is written) and sends those in
 * BatchWriteItem requests of at most 25, retrying UnprocessedItems with back-off; an endpoint
 * without BatchWriteItem, or one that refuses a request as invalid, gets PutItem/DeleteItem record
 * by record in stream order instead. AWS: "DynamoDB Streams API", "BatchWriteItem". */
#include "source_http.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"

#define T_DDB "DynamoDB_20120810."
#define BATCH_WRITE_MAX 25               /* BatchWriteItem's limit on requests per call */
#define UNPROCESSED_TRIES 10             /* UnprocessedItems retried this many times ... */
#define UNPROCESSED_BACKOFF_MS 10        /* ... from this back-off, doubling */

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int64_t ms)
{
    struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    while (ms > 0 && nanosleep(&ts, &ts) != 0)
        ;
}

/* ==================================================================================== */
/* The source                                                                           */
/* ==================================================================================== */

/* The slot remembering iterator as idle, or NULL. */
static struct source_http_idle *idle_find(struct source_http_source *s, const char *iterator)
{
    for (int i = 0; i < SOURCE_HTTP_IDLE_SLOTS; i++)
        if (s->idle[i].iterator != NULL && strcmp(s->idle[i].iterator, iterator) == 0)
            return &s->idle[i];
    return NULL;
}

static void idle_forget(struct source_http_idle *slot)
{
    free(slot->iterator);
    slot->iterator = NULL;
}

/* Remembers that a GetRecords just returned nothing, with next as the iterator to read next. */
static void idle_remember(struct source_http_source *s, const char *next, int64_t at)
{
    struct source_http_idle *slot = &s->idle[0];
    for (int i = 0; i < SOURCE_HTTP_IDLE_SLOTS; i++) {
        if (s->idle[i].iterator == NULL) {
            slot = &s->idle[i];
            break;
        }
        if (s->idle[i].at_ms < slot->at_ms)
            slot = &s->idle[i];   /* else replace the oldest */
    }
    idle_forget(slot);
    slot->iterator = strdup(next);
    slot->at_ms = at;
}

/* Creation-time estimates of the records of a GetRecords response. DynamoDB Streams rounds
 * ApproximateCreationDateTime down (to the minute on AWS, as dynastream does; to the second on
 * DynamoDB Local), so a record was created between that value A and A + the rounding unit, and
 * before the GetRecords that returned it was sent (sent_ms); a record that appears while the shard
 * is polled was created, on average, half a polling interval before that. The estimate is
 * sent_ms - interval / 2, kept within [A, min(A + unit, sent_ms)]: exact for millisecond values,
 * within half an interval for a record read as soon as it appears, and never younger than the
 * rounding allows for a backlog. */
static void remember_times(struct source_http_source *s, const json_t *records, int64_t sent_ms)
{
    size_t i;
    json_t *rec;

    s->n_times = 0;
    if (json_array_size(records) > s->cap_times) {
        size_t cap = json_array_size(records);
        struct source_http_time *p = realloc(s->times, cap * sizeof *p);
        if (p == NULL)
            return;
        s->times = p;
        s->cap_times = cap;
    }
    json_array_foreach(records, i, rec) {
        const json_t *ddb = json_object_get(rec, "dynamodb");
        const char *seq = json_string_value(json_object_get(ddb, "SequenceNumber"));
        const json_t *t = json_object_get(ddb, "ApproximateCreationDateTime");
        int64_t a, unit, est;
        if (seq == NULL || !json_is_number(t) || strlen(seq) >= REPL_SEQ_MAX)
            continue;
        a = (int64_t)(json_number_value(t) * 1000.0 + 0.5);
        unit = a % 60000 == 0 ? 60000 : a % 1000 == 0 ? 1000 : 0;
        est = sent_ms - s->poll_interval_ms / 2;
        if (est > a + unit)
            est = a + unit;
        if (est > sent_ms)
            est = sent_ms;
        if (est < a)
            est = a;   /* also when this clock is behind the source's */
        snprintf(s->times[s->n_times].seq, REPL_SEQ_MAX, "%s", seq);
        s->times[s->n_times++].ms = est;
    }
}

static int source_call(void *self, const char *target, json_t *body, json_t **out,
                       struct err *err)
{
    struct source_http_source *s = self;
    int is_get_records = strcmp(target, "DynamoDBStreams_20120810.GetRecords") == 0;
    const char *iterator = is_get_records ?
        json_string_value(json_object_get(body, "ShardIterator")) : NULL;
    json_t *records;
    const char *next;
    int64_t now, sent;

    if (iterator != NULL && s->poll_interval_ms > 0) {
        struct source_http_idle *slot = idle_find(s, iterator);
        if (slot != NULL && mono_ms() - slot->at_ms < s->poll_interval_ms) {
            /* polled too recently and found nothing: answer as the endpoint would */
            *out = json_pack("{s:[],s:s}", "Records", "NextShardIterator", iterator);
            s->get_records_local++;
            s->n_times = 0;
            return *out != NULL ? 0 : err_set(err, ERR_INTERNAL, "out of memory");
        }
        if (slot != NULL)
            idle_forget(slot);
    }
    sent = wall_ms();
    if (client_call(s->client, target, body, out, err) < 0)
        return -1;
    if (!is_get_records)
        return 0;
    s->get_records++;
    now = mono_ms();
    records = json_object_get(*out, "Records");
    next = json_string_value(json_object_get(*out, "NextShardIterator"));
    remember_times(s, records, sent);
    if (json_array_size(records) == 0 && next != NULL && s->poll_interval_ms > 0)
        idle_remember(s, next, now);
    return 0;
}

/* No change signal over HTTP: sleep the polling interval, but never longer than the core asks. */
static void source_wait(void *self, uint64_t token, int timeout_ms)
{
    struct source_http_source *s = self;
    int ms = s->poll_interval_ms < timeout_ms ? s->poll_interval_ms : timeout_ms;
    (void)token;
    if (ms > 0)
        sleep_ms(ms);
}

static int source_record_times(void *self, const char *const *seqs, size_t n, int64_t *ms,
                               struct err *err)
{
    struct source_http_source *s = self;
    for (size_t i = 0; i < n; i++) {
        size_t k;
        for (k = 0; k < s->n_times; k++)
            if (strcmp(s->times[k].seq, seqs[i]) == 0)
                break;
        if (k == s->n_times)
            return err_set(err, ERR_INTERNAL, "no creation time known for %s", seqs[i]);
        ms[i] = s->times[k].ms;
    }
    return 0;
}

void source_http_source_init(struct source_http_source *s, struct client *client,
                             int poll_interval_ms)
{
    memset(s, 0, sizeof *s);
    s->client = client;
    s->poll_interval_ms = poll_interval_ms < 0 ? 0 : poll_interval_ms;
    s->source.self = s;
    s->source.call = source_call;
    s->source.change_token = NULL;
    s->source.wait = source_wait;
    s->source.record_times = source_record_times;
}

void source_http_source_destroy(struct source_http_source *s)
{
    for (int i = 0; i < SOURCE_HTTP_IDLE_SLOTS; i++)
        idle_forget(&s->idle[i]);
    free(s->times);
    s->times = NULL;
    s->n_times = s->cap_times = 0;
}

/* ==================================================================================== */
/* The target                                                                           */
/* ==================================================================================== */

/* PutItem / DeleteItem of each record, in stream order. */
static int apply_one_by_one(struct source_http_target *t, const struct repl_batch *b,
                            struct err *err)
{
    size_t i;
    json_t *rec;

    json_array_foreach(b->records, i, rec) {
        const json_t *keys, *image;
        enum repl_action action;
        json_t *req, *resp = NULL;
        int rc;
        if (repl_record_action(rec, &keys, &image, &action, err) < 0)
            return -1;
        if (action == REPL_FETCH)   /* the core resolves these before apply (reads_source = 0) */
            return err_set(err, ERR_VALIDATION, "record without a NewImage reached the target");
        if (action == REPL_PUT)
            req = json_pack("{s:s,s:O}", "TableName", b->target_table, "Item", image);
        else
            req = json_pack("{s:s,s:O}", "TableName", b->target_table, "Key", keys);
        if (req == NULL)
            return err_set(err, ERR_INTERNAL, "out of memory");
        t->requests++;
        rc = client_call(t->client, action == REPL_PUT ? T_DDB "PutItem" : T_DDB "DeleteItem",
                         req, &resp, err);
        json_decref(req);
        json_decref(resp);
        if (rc < 0)
            return -1;
        if (action == REPL_PUT)
            t->puts++;
        else
            t->deletes++;
    }
    return 0;
}

/* The batch as write requests, the last one per key (first-seen order of keys): a new array of
 * {"PutRequest":{"Item":...}} / {"DeleteRequest":{"Key":...}}; *puts / *deletes count them. */
static int last_action_per_key(const struct repl_batch *b, json_t **out, long *puts, long *deletes,
                               struct err *err)
{
    json_t *ops = json_array(), *seen = json_object(), *rec;
    size_t i;

    *out = NULL;
    *puts = *deletes = 0;
    if (ops == NULL || seen == NULL)
        goto oom;
    json_array_foreach(b->records, i, rec) {
        const json_t *keys, *image;
        enum repl_action action;
        json_t *op, *at;
        char *key;
        if (repl_record_action(rec, &keys, &image, &action, err) < 0)
            goto fail;
        if (action == REPL_FETCH) {
            err_set(err, ERR_VALIDATION, "record without a NewImage reached the target");
            goto fail;
        }
        op = action == REPL_PUT ? json_pack("{s:{s:O}}", "PutRequest", "Item", image)
                                : json_pack("{s:{s:O}}", "DeleteRequest", "Key", keys);
        key = json_dumps(keys, JSON_COMPACT | JSON_SORT_KEYS);
        if (op == NULL || key == NULL) {
            json_decref(op);
            free(key);
            goto oom;
        }
        at = json_object_get(seen, key);
        if (at != NULL) {
            json_array_set_new(ops, (size_t)json_integer_value(at), op);
        } else {
            json_object_set_new(seen, key, json_integer((json_int_t)json_array_size(ops)));
            json_array_append_new(ops, op);
        }
        free(key);
    }
    json_array_foreach(ops, i, rec) {
        if (json_object_get(rec, "PutRequest") != NULL)
            (*puts)++;
        else
            (*deletes)++;
    }
    json_decref(seen);
    *out = ops;
    return 0;
oom:
    err_set(err, ERR_INTERNAL, "out of memory");
fail:
    json_decref(ops);
    json_decref(seen);
    return -1;
}

/* One BatchWriteItem of requests (at most 25), retrying UnprocessedItems with back-off. */
static int batch_write(struct source_http_target *t, const char *table, json_t *requests,
                       struct err *err)
{
    json_t *pending = json_incref(requests);
    int64_t backoff = UNPROCESSED_BACKOFF_MS;

    for (int attempt = 0;; attempt++) {
        json_t *req = json_pack("{s:{s:O}}", "RequestItems", table, pending), *resp = NULL, *left;
        int rc;
        if (req == NULL) {
            json_decref(pending);
            return err_set(err, ERR_INTERNAL, "out of memory");
        }
        t->requests++;
        rc = client_call(t->client, T_DDB "BatchWriteItem", req, &resp, err);
        json_decref(req);
        if (rc < 0) {
            json_decref(pending);
            return -1;
        }
        left = json_object_get(json_object_get(resp, "UnprocessedItems"), table);
        json_decref(pending);
        if (json_array_size(left) == 0) {
            json_decref(resp);
            return 0;
        }
        if (attempt + 1 >= UNPROCESSED_TRIES) {
            size_t n = json_array_size(left);
            json_decref(resp);
            return err_set(err, ERR_THROUGHPUT_EXCEEDED, "BatchWriteItem left %zu item(s) "
                           "unprocessed after %d attempts", n, UNPROCESSED_TRIES);
        }
        pending = json_incref(left);
        json_decref(resp);
        sleep_ms(backoff);
        backoff *= 2;
    }
}

/* Returns 1 when a failed BatchWriteItem should be redone record by record. */
static int fall_back(struct source_http_target *t, const struct err *err)
{
    if (err->code == ERR_UNKNOWN_OPERATION) {
        log_warn("target %s does not support BatchWriteItem; writing record by record",
                 client_endpoint(t->client));
        t->batch_writes = 0;
        return 1;
    }
    /* e.g. "Provided list of item keys contains duplicates" when two spellings of one number key
     * (1 and 1.0) met in one request: record by record, in order, is always right */
    return err->code == ERR_VALIDATION;
}

static int apply_batched(struct source_http_target *t, const struct repl_batch *b,
                         struct err *err)
{
    json_t *ops = NULL;
    long puts, deletes;
    size_t n, from;
    int rc = 0;

    if (last_action_per_key(b, &ops, &puts, &deletes, err) < 0)
        return -1;
    n = json_array_size(ops);
    for (from = 0; from < n && rc == 0; from += BATCH_WRITE_MAX) {
        json_t *chunk = json_array();
        for (size_t i = from; i < n && i < from + BATCH_WRITE_MAX; i++)
            json_array_append(chunk, json_array_get(ops, i));
        rc = batch_write(t, b->target_table, chunk, err);
        json_decref(chunk);
    }
    json_decref(ops);
    if (rc < 0) {
        if (!fall_back(t, err))
            return -1;
        log_debug("target: BatchWriteItem refused (%s: %s); writing record by record",
                  err_name(err->code), err->message ? err->message : "");
        err_clear(err);
        return apply_one_by_one(t, b, err);
    }
    t->puts += puts;
    t->deletes += deletes;
    return 0;
}

static int target_apply(void *self, const struct repl_batch *b, struct repl_apply_result *res,
                        struct err *err)
{
    struct source_http_target *t = self;
    size_t n = json_array_size(b->records);

    res->last_created_ms = 0;   /* the core has the creation times (source_record_times) */
    if (n > 1 && t->batch_writes) {
        if (apply_batched(t, b, err) < 0)
            return -1;
    } else if (n > 0 && apply_one_by_one(t, b, err) < 0) {
        return -1;
    }
    /* only now: a failure above leaves the checkpoint where it was, and the batch is re-applied */
    return checkpoint_save(t->db, b->mapping, &b->checkpoint, err);
}

static int target_checkpoints(void *self, const char *mapping,
                              int (*fn)(void *arg, const struct repl_checkpoint *cp), void *arg,
                              struct err *err)
{
    struct source_http_target *t = self;
    return checkpoint_list(t->db, mapping, fn, arg, err);
}

void source_http_target_init(struct source_http_target *t, struct client *client,
                             struct checkpoint_db *db, int batch_writes)
{
    memset(t, 0, sizeof *t);
    t->client = client;
    t->db = db;
    t->batch_writes = batch_writes != 0;
    t->target.self = t;
    t->target.exactly_once = 0;
    t->target.reads_source = 0;
    t->target.apply = target_apply;
    t->target.checkpoints = target_checkpoints;
}
