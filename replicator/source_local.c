/* source_local.c — the bundled replicator's source and target (see source_local.h). Every call
 * goes through dispatch_call, so the replicator reads the stream through the same operations as
 * any client and writes the replica through the same write path; it never sees the store. The
 * namespace (access key, region) of the source table is found with the internal FindTable
 * operation, preferring one whose table has a stream, and forgotten when the table disappears. */
#include "source_local.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dispatch.h"
#include "log.h"
#include "streams.h"

struct local {
    const struct dispatch_ctx *ctx;
    struct streams *streams;
    struct repl_config cfg;
    struct repl_source source;
    struct repl_target target;
    struct replicator *repl;
    pthread_mutex_t mutex;       /* guards the namespace (read by the status endpoint) */
    int bound;                   /* the source table's namespace is known */
    char account[256];
    char region[64];
};

struct source_local_set {
    struct local *maps;
    int n;
};

/* ---- namespace ------------------------------------------------------------------------------ */

/* Does the table in this namespace have an enabled stream? */
static int has_stream(struct local *l, const char *account, const char *region)
{
    json_t *body = json_pack("{s:s}", "TableName", l->cfg.source_table), *resp = NULL;
    struct err err = ERR_INIT;
    int yes = 0;
    if (dispatch_call(l->ctx, "DynamoDB_20120810.DescribeTable", account, region, body, &resp,
                      &err) == 0)
        yes = json_is_true(json_object_get(json_object_get(json_object_get(resp, "Table"),
                                                           "StreamSpecification"), "StreamEnabled"));
    err_clear(&err);
    json_decref(resp);
    json_decref(body);
    return yes;
}

/* Finds the namespace of the source table. Returns 1 when bound, 0 when no namespace has it. */
static int bind(struct local *l, struct err *err)
{
    json_t *body = json_pack("{s:s}", "TableName", l->cfg.source_table), *resp = NULL, *list, *ns;
    const char *account = NULL, *region = NULL;
    size_t i;
    int rc;

    rc = dispatch_call(l->ctx, "DynastreamInternal.FindTable", "", "", body, &resp, err);
    json_decref(body);
    if (rc < 0)
        return -1;
    list = json_object_get(resp, "Namespaces");
    json_array_foreach(list, i, ns) {
        const char *a = json_string_value(json_object_get(ns, "Account"));
        const char *g = json_string_value(json_object_get(ns, "Region"));
        if (a == NULL || g == NULL)
            continue;
        if (account == NULL || (has_stream(l, a, g) && !has_stream(l, account, region))) {
            account = a;
            region = g;
        }
    }
    if (account != NULL) {
        pthread_mutex_lock(&l->mutex);
        snprintf(l->account, sizeof l->account, "%s", account);
        snprintf(l->region, sizeof l->region, "%s", region);
        l->bound = 1;
        pthread_mutex_unlock(&l->mutex);
        log_info("replicator %s: source table %s found (access key '%s', region '%s')%s",
                 l->cfg.id, l->cfg.source_table, account, region,
                 json_array_size(list) > 1 ? "; other namespaces with a table of that name are "
                                             "not replicated" : "");
    }
    json_decref(resp);
    return account != NULL;
}

/* Runs target in the source table's namespace (found first if need be). */
static int local_call(struct local *l, const char *target, json_t *body, json_t **out,
                      struct err *err)
{
    char account[256], region[64];
    int rc, bound;

    *out = NULL;
    pthread_mutex_lock(&l->mutex);
    bound = l->bound;
    pthread_mutex_unlock(&l->mutex);
    if (!bound) {
        rc = bind(l, err);
        if (rc < 0)
            return -1;
        if (rc == 0)
            return err_set(err, ERR_RESOURCE_NOT_FOUND, "Requested resource not found: Table: %s "
                           "not found", l->cfg.source_table);
    }
    pthread_mutex_lock(&l->mutex);
    memcpy(account, l->account, sizeof account);
    memcpy(region, l->region, sizeof region);
    pthread_mutex_unlock(&l->mutex);
    rc = dispatch_call(l->ctx, target, account, region, body, out, err);
    if (rc < 0 && err->code == ERR_RESOURCE_NOT_FOUND &&
        strcmp(target, "DynamoDB_20120810.DescribeTable") == 0) {
        /* the source table is gone from this namespace: look for it anew next time */
        pthread_mutex_lock(&l->mutex);
        l->bound = 0;
        pthread_mutex_unlock(&l->mutex);
    }
    return rc;
}

/* ---- struct repl_source ---------------------------------------------------------------------- */

static int source_call(void *self, const char *target, json_t *body, json_t **out, struct err *err)
{
    return local_call(self, target, body, out, err);
}

static uint64_t source_token(void *self)
{
    struct local *l = self;
    return streams_generation(l->streams);
}

static void source_wait(void *self, uint64_t token, int timeout_ms)
{
    struct local *l = self;
    streams_wait(l->streams, token, timeout_ms);
}

static int source_record_times(void *self, const char *const *seqs, size_t n, int64_t *ms,
                               struct err *err)
{
    struct local *l = self;
    json_t *list = json_array(), *body, *resp = NULL, *times;
    int rc;

    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, json_string(seqs[i]));
    body = json_pack("{s:o}", "SequenceNumbers", list);
    rc = dispatch_call(l->ctx, "DynastreamInternal.RecordTimes", "", "", body, &resp, err);
    json_decref(body);
    if (rc < 0)
        return -1;
    times = json_object_get(resp, "Times");
    for (size_t i = 0; i < n; i++)
        ms[i] = json_is_integer(json_array_get(times, i)) ?
                (int64_t)json_integer_value(json_array_get(times, i)) : 0;
    json_decref(resp);
    return 0;
}

/* ---- struct repl_target ---------------------------------------------------------------------- */

static int target_apply(void *self, const struct repl_batch *b, struct repl_apply_result *res,
                        struct err *err)
{
    struct local *l = self;
    json_t *cp, *body, *resp = NULL, *ms;
    int rc;

    cp = json_pack("{s:s,s:s,s:b}", "StreamArn", b->checkpoint.stream_arn,
                   "ShardId", b->checkpoint.shard_id, "Done", b->checkpoint.done);
    if (cp != NULL && b->checkpoint.sequence[0] != '\0')
        json_object_set_new(cp, "SequenceNumber", json_string(b->checkpoint.sequence));
    body = json_pack("{s:s,s:s,s:s,s:O,s:o}", "Mapping", b->mapping, "SourceTable", b->source_table,
                     "TargetTable", b->target_table, "Records", b->records, "Checkpoint", cp);
    if (body == NULL)
        return err_set(err, ERR_INTERNAL, "out of memory");
    rc = local_call(l, "DynastreamInternal.ReplicateBatch", body, &resp, err);
    json_decref(body);
    if (rc < 0)
        return -1;
    ms = json_object_get(resp, "LastCreatedMs");
    res->last_created_ms = json_is_integer(ms) ? (int64_t)json_integer_value(ms) : 0;
    json_decref(resp);
    return 0;
}

static int target_checkpoints(void *self, const char *mapping,
                              int (*fn)(void *arg, const struct repl_checkpoint *cp), void *arg,
                              struct err *err)
{
    struct local *l = self;
    json_t *body = json_pack("{s:s}", "Mapping", mapping), *resp = NULL, *list, *c;
    size_t i;
    int rc;

    rc = dispatch_call(l->ctx, "DynastreamInternal.ReplicatorCheckpoints", "", "", body, &resp, err);
    json_decref(body);
    if (rc < 0)
        return -1;
    list = json_object_get(resp, "Checkpoints");
    json_array_foreach(list, i, c) {
        struct repl_checkpoint cp;
        const char *seq = json_string_value(json_object_get(c, "SequenceNumber"));
        memset(&cp, 0, sizeof cp);
        snprintf(cp.stream_arn, sizeof cp.stream_arn, "%s",
                 json_string_value(json_object_get(c, "StreamArn")));
        snprintf(cp.shard_id, sizeof cp.shard_id, "%s",
                 json_string_value(json_object_get(c, "ShardId")));
        snprintf(cp.sequence, sizeof cp.sequence, "%s", seq ? seq : "");
        cp.done = json_is_true(json_object_get(c, "Done"));
        if (fn(arg, &cp) != 0)
            break;
    }
    json_decref(resp);
    return 0;
}

/* ---- the set ------------------------------------------------------------------------------- */

int source_local_start(const struct dispatch_ctx *ctx, struct streams *streams,
                       const struct repl_config *cfgs, int n, struct source_local_set **out,
                       struct err *err)
{
    struct source_local_set *set = calloc(1, sizeof *set);
    if (set == NULL || (n > 0 && (set->maps = calloc((size_t)n, sizeof *set->maps)) == NULL)) {
        free(set);
        return err_set(err, ERR_INTERNAL, "out of memory");
    }
    for (int i = 0; i < n; i++) {
        struct local *l = &set->maps[i];
        l->ctx = ctx;
        l->streams = streams;
        l->cfg = cfgs[i];
        pthread_mutex_init(&l->mutex, NULL);
        l->source = (struct repl_source){l, source_call, source_token, source_wait,
                                         source_record_times};
        l->target = (struct repl_target){l, 1, 1, target_apply, target_checkpoints};
        set->n = i + 1;
        if (repl_create(&l->cfg, &l->source, &l->target, &l->repl, err) < 0 ||
            repl_start(l->repl, err) < 0) {
            source_local_stop(set);
            return -1;
        }
        log_info("replicator %s: bundled, exactly-once (BatchSize %d, StartingPosition %s)",
                 l->cfg.id, l->cfg.options.batch_size,
                 l->cfg.options.starting_position == REPL_LATEST ? "LATEST" : "TRIM_HORIZON");
    }
    *out = set;
    return 0;
}

void source_local_stop(struct source_local_set *set)
{
    if (set == NULL)
        return;
    for (int i = 0; i < set->n; i++)
        if (set->maps[i].repl != NULL)
            repl_request_stop(set->maps[i].repl);   /* all at once, then join each */
    for (int i = 0; i < set->n; i++) {
        repl_free(set->maps[i].repl);
        pthread_mutex_destroy(&set->maps[i].mutex);
    }
    free(set->maps);
    free(set);
}

json_t *source_local_status(void *arg)
{
    struct source_local_set *set = arg;
    json_t *list = json_array();
    for (int i = 0; set != NULL && i < set->n; i++) {
        struct local *l = &set->maps[i];
        json_t *s = repl_status_json(l->repl);
        if (s == NULL)
            continue;
        pthread_mutex_lock(&l->mutex);
        if (l->bound) {
            json_object_set_new(s, "AccessKeyId", json_string(l->account));
            json_object_set_new(s, "Region", json_string(l->region));
        }
        pthread_mutex_unlock(&l->mutex);
        json_array_append_new(list, s);
    }
    return json_pack("{s:o}", "Replicators", list);
}
