/* test_replicator_core.c — the replicator core (replicator/core.c) against a fake source and a fake
 * target, for what a live server cannot show on demand: a shard tree whose children are listed
 * before their parent, an iterator that expires mid-shard, a checkpoint behind the trim horizon,
 * a closed shard whose last page carries no NextShardIterator, KEYS_ONLY records resolved by the
 * core for a target that does not read the source, bisection, and option parsing. The fake
 * speaks the same JSON as DynamoDB Streams; everything runs in the replicator's own thread. */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "test.h"

#include "../../replicator/core.h"
#include "log.h"

/* ---- the fake endpoint ---------------------------------------------------------------------- */

#define MAX_SHARDS 4
#define MAX_RECORDS 64

struct fake_shard {
    const char *id, *parent;
    int closed;
    int seqs[MAX_RECORDS];      /* sequence numbers of its records */
    int n;
    int first;                  /* index of the first record not trimmed */
};

struct fake {
    pthread_mutex_t mutex;
    const char *view;                     /* StreamViewType */
    struct fake_shard shards[MAX_SHARDS];
    int n_shards;
    int get_records_calls;
    int expire_on_call;                   /* this GetRecords call (1-based) answers ExpiredIterator */
    int get_item_calls;
    /* target */
    int applied[256];                     /* sequence numbers applied, in order */
    int n_applied;
    int batches;
    int poison;                           /* a record with this sequence number fails to apply */
    int fail_times;                       /* the next applies that fail whatever they hold */
    char cp_shard[8][REPL_ID_MAX];
    char cp_seq[8][48];
    int cp_done[8];
    int n_cp;
    int seen_new_image_from_get_item;
};

static json_t *record_json(struct fake *f, int seq)
{
    char s[32], key[32];
    json_t *ddb;
    snprintf(s, sizeof s, "%021d", seq);
    snprintf(key, sizeof key, "k%d", seq);
    ddb = json_pack("{s:{s:{s:s}},s:s,s:f}", "Keys", "pk", "S", key, "SequenceNumber", s,
                    "ApproximateCreationDateTime", (double)time(NULL));
    if (strcmp(f->view, "KEYS_ONLY") != 0)
        json_object_set_new(ddb, "NewImage", json_pack("{s:{s:s}}", "pk", "S", key));
    return json_pack("{s:s,s:o}", "eventName", "INSERT", "dynamodb", ddb);
}

static int fake_call(void *self, const char *target, json_t *body, json_t **out, struct err *err)
{
    struct fake *f = self;
    const char *op = strchr(target, '.') + 1;
    int rc = 0;

    pthread_mutex_lock(&f->mutex);
    if (strcmp(op, "DescribeTable") == 0) {
        *out = json_pack("{s:{s:s}}", "Table", "TableName", "src");
    } else if (strcmp(op, "ListStreams") == 0) {
        *out = json_pack("{s:[{s:s}]}", "Streams", "StreamArn", "arn:fake/stream/1");
    } else if (strcmp(op, "DescribeStream") == 0) {
        json_t *shards = json_array();
        for (int i = 0; i < f->n_shards; i++) {
            struct fake_shard *s = &f->shards[i];
            json_t *sh = json_pack("{s:s,s:{s:s}}", "ShardId", s->id, "SequenceNumberRange",
                                   "StartingSequenceNumber", "1");
            if (s->parent != NULL)
                json_object_set_new(sh, "ParentShardId", json_string(s->parent));
            if (s->closed)
                json_object_set_new(json_object_get(sh, "SequenceNumberRange"),
                                    "EndingSequenceNumber", json_string("999"));
            json_array_append_new(shards, sh);
        }
        *out = json_pack("{s:{s:s,s:s,s:o}}", "StreamDescription", "StreamViewType", f->view,
                         "StreamStatus", "ENABLED", "Shards", shards);
    } else if (strcmp(op, "GetShardIterator") == 0) {
        const char *id = json_string_value(json_object_get(body, "ShardId"));
        const char *type = json_string_value(json_object_get(body, "ShardIteratorType"));
        const char *seq = json_string_value(json_object_get(body, "SequenceNumber"));
        int i = 0, pos;
        char it[64];
        while (strcmp(f->shards[i].id, id) != 0)
            i++;
        pos = f->shards[i].first;
        if (strcmp(type, "AFTER_SEQUENCE_NUMBER") == 0) {
            int v = atoi(seq), k = 0;
            while (k < f->shards[i].n && f->shards[i].seqs[k] <= v)
                k++;
            if (k < f->shards[i].first || (k > 0 && f->shards[i].seqs[k - 1] != v)) {
                rc = err_set(err, ERR_TRIMMED_DATA, "trimmed");
                goto out;
            }
            pos = k;
        }
        snprintf(it, sizeof it, "%d:%d", i, pos);
        *out = json_pack("{s:s}", "ShardIterator", it);
    } else if (strcmp(op, "GetRecords") == 0) {
        int i, pos, limit = (int)json_integer_value(json_object_get(body, "Limit"));
        json_t *records = json_array();
        struct fake_shard *s;
        sscanf(json_string_value(json_object_get(body, "ShardIterator")), "%d:%d", &i, &pos);
        s = &f->shards[i];
        if (++f->get_records_calls == f->expire_on_call) {
            json_decref(records);
            rc = err_set(err, ERR_EXPIRED_ITERATOR, "Iterator expired.");
            goto out;
        }
        if (limit > 2)
            limit = 2;   /* small pages, as GetRecords' 1 MB cap makes them */
        while (pos < s->n && json_array_size(records) < (size_t)limit)
            json_array_append_new(records, record_json(f, s->seqs[pos++]));
        *out = json_pack("{s:o}", "Records", records);
        if (!(s->closed && pos >= s->n)) {   /* a closed shard's last page has no next iterator */
            char it[64];
            snprintf(it, sizeof it, "%d:%d", i, pos);
            json_object_set_new(*out, "NextShardIterator", json_string(it));
        }
    } else if (strcmp(op, "GetItem") == 0) {
        f->get_item_calls++;
        *out = json_pack("{s:{s:O,s:{s:s}}}", "Item", "pk",
                         json_object_get(json_object_get(body, "Key"), "pk"), "from", "S", "GetItem");
    } else {
        rc = err_set(err, ERR_UNKNOWN_OPERATION, "%s", op);
    }
out:
    pthread_mutex_unlock(&f->mutex);
    return rc;
}

static void fake_wait(void *self, uint64_t token, int timeout_ms)
{
    (void)self;
    (void)token;
    usleep((useconds_t)(timeout_ms > 5 ? 5 : timeout_ms) * 1000);
}

static int fake_apply(void *self, const struct repl_batch *b, struct repl_apply_result *res,
                      struct err *err)
{
    struct fake *f = self;
    size_t i;
    json_t *rec;
    int k, rc = 0;

    (void)res;
    pthread_mutex_lock(&f->mutex);
    if (f->fail_times > 0) {
        f->fail_times--;
        rc = err_set(err, ERR_INTERNAL, "scheduled failure");
        goto out;
    }
    json_array_foreach(b->records, i, rec) {
        const json_t *keys, *image;
        enum repl_action action;
        if (repl_record_action(rec, &keys, &image, &action, err) < 0) {
            rc = -1;
            goto out;
        }
        if (atoi(json_string_value(json_object_get(json_object_get(rec, "dynamodb"),
                                                   "SequenceNumber"))) == f->poison) {
            rc = err_set(err, ERR_VALIDATION, "poison");
            goto out;
        }
        if (image != NULL && json_object_get(image, "from") != NULL)
            f->seen_new_image_from_get_item++;
    }
    json_array_foreach(b->records, i, rec)
        f->applied[f->n_applied++] = atoi(json_string_value(
            json_object_get(json_object_get(rec, "dynamodb"), "SequenceNumber")));
    if (json_array_size(b->records) > 0)
        f->batches++;
    for (k = 0; k < f->n_cp && strcmp(f->cp_shard[k], b->checkpoint.shard_id) != 0; k++)
        ;
    if (k == f->n_cp)
        snprintf(f->cp_shard[f->n_cp++], REPL_ID_MAX, "%s", b->checkpoint.shard_id);
    snprintf(f->cp_seq[k], 48, "%s", b->checkpoint.sequence);
    f->cp_done[k] |= b->checkpoint.done;
out:
    pthread_mutex_unlock(&f->mutex);
    return rc;
}

static int fake_checkpoints(void *self, const char *mapping,
                            int (*fn)(void *arg, const struct repl_checkpoint *cp), void *arg,
                            struct err *err)
{
    struct fake *f = self;
    (void)mapping;
    (void)err;
    for (int k = 0; k < f->n_cp; k++) {
        struct repl_checkpoint cp;
        memset(&cp, 0, sizeof cp);
        snprintf(cp.stream_arn, sizeof cp.stream_arn, "arn:fake/stream/1");
        snprintf(cp.shard_id, sizeof cp.shard_id, "%s", f->cp_shard[k]);
        snprintf(cp.sequence, sizeof cp.sequence, "%s", f->cp_seq[k]);
        cp.done = f->cp_done[k];
        if (fn(arg, &cp) != 0)
            break;
    }
    return 0;
}

static void fake_init(struct fake *f, const char *view)
{
    memset(f, 0, sizeof *f);
    pthread_mutex_init(&f->mutex, NULL);
    f->view = view;
    f->poison = -1;
}

static void shard(struct fake *f, const char *id, const char *parent, int closed, int n, ...)
{
    struct fake_shard *s = &f->shards[f->n_shards++];
    va_list ap;
    s->id = id;
    s->parent = parent;
    s->closed = closed;
    va_start(ap, n);
    for (int i = 0; i < n; i++)
        s->seqs[s->n++] = va_arg(ap, int);
    va_end(ap);
}

/* Runs a mapping over the fake until `applied` records are applied (or 5 s pass); stops it. */
static int run(struct fake *f, const char *spec, int reads_source, int applied)
{
    struct repl_config cfg;
    struct repl_source src = {f, fake_call, NULL, fake_wait, NULL};
    struct repl_target dst = {f, 1, reads_source, fake_apply, fake_checkpoints};
    struct replicator *r = NULL;
    struct err err = ERR_INIT;
    int n = 0;

    log_set_level(LOG_ERROR);   /* the mapping's progress lines are not test output */
    if (repl_config_parse(spec, &cfg, &err) < 0 || repl_create(&cfg, &src, &dst, &r, &err) < 0 ||
        repl_start(r, &err) < 0) {
        fprintf(stderr, "  run: %s\n", err.message ? err.message : "?");
        err_clear(&err);
        repl_free(r);
        return -1;
    }
    for (int i = 0; i < 1000; i++) {
        pthread_mutex_lock(&f->mutex);
        n = f->n_applied;
        pthread_mutex_unlock(&f->mutex);
        if (n >= applied)
            break;
        usleep(5000);
    }
    usleep(20000);   /* anything extra would show up now */
    repl_free(r);
    return 0;
}

static int position(const struct fake *f, int seq)
{
    for (int i = 0; i < f->n_applied; i++)
        if (f->applied[i] == seq)
            return i;
    return -1;
}

/* ---- tests ---------------------------------------------------------------------------------- */

TEST(replicator_config_parse)
{
    struct repl_config c;
    struct err err = ERR_INIT;
    ASSERT_EQ_INT(repl_config_parse("logfile=logfile_replica", &c, &err), 0);
    ASSERT_EQ_STR(c.id, "logfile=logfile_replica");
    ASSERT_EQ_STR(c.source_table, "logfile");
    ASSERT_EQ_STR(c.target_table, "logfile_replica");
    ASSERT_EQ_INT(c.options.batch_size, 100);
    ASSERT_EQ_INT(c.options.starting_position, REPL_TRIM_HORIZON);
    ASSERT_EQ_INT(c.options.max_batching_window_sec, 0);
    ASSERT_EQ_INT(c.options.max_retry_attempts, -1);
    ASSERT_EQ_INT(c.options.max_record_age_sec, -1);
    ASSERT_EQ_INT(c.options.bisect_on_error, 0);
    ASSERT_EQ_STR(c.options.on_failure, "");
    ASSERT_EQ_INT(repl_config_parse("a=b,BatchSize=10000,StartingPosition=LATEST,"
                                    "MaximumRetryAttempts=0,BisectBatchOnFunctionError=TRUE,"
                                    "MaximumRecordAgeInSeconds=604800,OnFailure=/tmp/x", &c, &err), 0);
    ASSERT_EQ_INT(c.options.batch_size, 10000);
    ASSERT_EQ_INT(c.options.starting_position, REPL_LATEST);
    ASSERT_EQ_INT(c.options.max_retry_attempts, 0);
    ASSERT_EQ_INT(c.options.bisect_on_error, 1);
    ASSERT_EQ_INT(c.options.max_record_age_sec, 604800);
    ASSERT_EQ_STR(c.options.on_failure, "/tmp/x");
    ASSERT_EQ_INT(repl_config_parse("a=b,MaximumRecordAgeInSeconds=604801", &c, &err), -1);
    ASSERT_EQ_INT(err.code, ERR_VALIDATION);
    err_clear(&err);
    ASSERT_EQ_INT(repl_config_parse("=b", &c, &err), -1);
    err_clear(&err);
    ASSERT_EQ_INT(repl_config_parse("a=b,BatchSize", &c, &err), -1);
    err_clear(&err);
}

TEST(replicator_record_action)
{
    struct err err = ERR_INIT;
    const json_t *keys, *image;
    enum repl_action a;
    json_t *put = json_pack("{s:s,s:{s:{},s:{s:{s:s}}}}", "eventName", "MODIFY", "dynamodb", "Keys",
                            "NewImage", "x", "S", "y");
    json_t *fetch = json_pack("{s:s,s:{s:{}}}", "eventName", "INSERT", "dynamodb", "Keys");
    json_t *del = json_pack("{s:s,s:{s:{},s:{}}}", "eventName", "REMOVE", "dynamodb", "Keys", "OldImage");
    json_t *bad = json_pack("{s:s,s:{s:{}}}", "eventName", "TRUNCATE", "dynamodb", "Keys");
    ASSERT_EQ_INT(repl_record_action(put, &keys, &image, &a, &err), 0);
    ASSERT_EQ_INT(a, REPL_PUT);
    ASSERT(image != NULL && json_object_get(image, "x") != NULL);
    ASSERT_EQ_INT(repl_record_action(fetch, &keys, &image, &a, &err), 0);
    ASSERT_EQ_INT(a, REPL_FETCH);
    ASSERT(image == NULL);
    ASSERT_EQ_INT(repl_record_action(del, &keys, &image, &a, &err), 0);
    ASSERT_EQ_INT(a, REPL_DELETE);
    ASSERT(image == NULL && keys != NULL);
    ASSERT_EQ_INT(repl_record_action(bad, &keys, &image, &a, &err), -1);
    err_clear(&err);
    json_decref(put);
    json_decref(fetch);
    json_decref(del);
    json_decref(bad);
}

TEST(replicator_parents_before_children)
{
    /* the children are listed before their parent; the parent's records must all come first */
    struct fake f;
    fake_init(&f, "NEW_IMAGE");
    shard(&f, "B", "A", 1, 2, 4, 6);
    shard(&f, "A", NULL, 1, 3, 1, 2, 3);
    shard(&f, "C", "A", 0, 2, 5, 7);
    ASSERT_EQ_INT(run(&f, "src=dst", 1, 7), 0);
    ASSERT_EQ_INT(f.n_applied, 7);
    for (int seq = 1; seq <= 3; seq++)
        ASSERT(position(&f, seq) == seq - 1);
    ASSERT(position(&f, 4) < position(&f, 6));
    ASSERT(position(&f, 5) < position(&f, 7));
    /* closed shards whose last page had no NextShardIterator are marked done */
    ASSERT_EQ_INT(f.cp_done[0] + f.cp_done[1] + f.cp_done[2], 2);
}

TEST(replicator_expired_iterator_reacquired)
{
    /* an iterator that expires mid-shard is re-acquired after the checkpoint: no record is lost or
     * applied twice */
    struct fake f;
    fake_init(&f, "NEW_IMAGE");
    shard(&f, "A", NULL, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8);
    f.expire_on_call = 3;
    ASSERT_EQ_INT(run(&f, "src=dst,BatchSize=2", 1, 8), 0);
    ASSERT_EQ_INT(f.n_applied, 8);
    for (int i = 0; i < 8; i++)
        ASSERT_EQ_INT(f.applied[i], i + 1);
}

TEST(replicator_checkpoint_behind_trim_horizon)
{
    /* the checkpoint's record was trimmed: resume at TRIM_HORIZON, never before the checkpoint */
    struct fake f;
    fake_init(&f, "NEW_IMAGE");
    shard(&f, "A", NULL, 0, 5, 10, 11, 12, 13, 14);
    f.shards[0].first = 2;                   /* 10 and 11 trimmed */
    snprintf(f.cp_shard[0], REPL_ID_MAX, "A");
    snprintf(f.cp_seq[0], 48, "%021d", 9);   /* checkpoint before the trim horizon */
    f.n_cp = 1;
    ASSERT_EQ_INT(run(&f, "src=dst", 1, 3), 0);
    ASSERT_EQ_INT(f.n_applied, 3);
    ASSERT_EQ_INT(f.applied[0], 12);
    ASSERT_EQ_INT(f.applied[2], 14);
}

TEST(replicator_resumes_after_checkpoint)
{
    /* a restarted mapping applies only what follows its checkpoint */
    struct fake f;
    fake_init(&f, "NEW_IMAGE");
    shard(&f, "A", NULL, 0, 4, 1, 2, 3, 4);
    snprintf(f.cp_shard[0], REPL_ID_MAX, "A");
    snprintf(f.cp_seq[0], 48, "%021d", 2);
    f.n_cp = 1;
    ASSERT_EQ_INT(run(&f, "src=dst", 1, 2), 0);
    ASSERT_EQ_INT(f.n_applied, 2);
    ASSERT_EQ_INT(f.applied[0], 3);
    ASSERT_EQ_INT(f.applied[1], 4);
}

TEST(replicator_keys_only_resolved_by_core)
{
    /* a target that does not read the source gets records whose NewImage the core fetched */
    struct fake f;
    fake_init(&f, "KEYS_ONLY");
    shard(&f, "A", NULL, 0, 3, 1, 2, 3);
    ASSERT_EQ_INT(run(&f, "src=dst", 0, 3), 0);
    ASSERT_EQ_INT(f.n_applied, 3);
    ASSERT_EQ_INT(f.get_item_calls, 3);
    ASSERT_EQ_INT(f.seen_new_image_from_get_item, 3);
}

TEST(replicator_bisect_isolates_poison)
{
    char path[] = "/tmp/dynastream-unit-onfailure-XXXXXX";
    char spec[256], line[2048];
    int fd = mkstemp(path), lines = 0;
    FILE *in;
    struct fake f;

    ASSERT(fd >= 0);
    close(fd);
    fake_init(&f, "NEW_IMAGE");
    shard(&f, "A", NULL, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8);
    f.poison = 6;
    snprintf(spec, sizeof spec, "src=dst,BatchSize=8,BisectBatchOnFunctionError=true,"
             "MaximumRetryAttempts=0,OnFailure=%s", path);
    ASSERT_EQ_INT(run(&f, spec, 1, 7), 0);
    ASSERT_EQ_INT(f.n_applied, 7);
    ASSERT(position(&f, 6) < 0);
    ASSERT(position(&f, 5) < position(&f, 7));   /* still in order around the hole */
    in = fopen(path, "r");
    ASSERT(in != NULL);
    while (fgets(line, sizeof line, in) != NULL) {
        lines++;
        if (strstr(line, "\"startSequenceNumber\":\"000000000000000000006\"") == NULL ||
            strstr(line, "\"batchSize\":1") == NULL)
            lines += 100;
    }
    fclose(in);
    unlink(path);
    ASSERT_EQ_INT(lines, 1);
}

TEST(replicator_retries_until_success)
{
    /* failures with MaximumRetryAttempts -1 are retried, never skipped */
    struct fake f;
    fake_init(&f, "NEW_IMAGE");
    shard(&f, "A", NULL, 0, 3, 1, 2, 3);
    snprintf(f.cp_shard[0], REPL_ID_MAX, "A");   /* not a new mapping: the first apply is a batch */
    f.n_cp = 1;
    f.fail_times = 4;
    ASSERT_EQ_INT(run(&f, "src=dst", 1, 3), 0);
    ASSERT_EQ_INT(f.n_applied, 3);
    ASSERT_EQ_INT(f.fail_times, 0);
}
