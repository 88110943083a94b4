/* core.c — the replicator core (see core.h): one event source mapping. It waits for the source
 * table and its stream, follows the table's streams oldest unfinished first (a stream replaced by
 * disable/enable is drained before its successor), reads each stream's shards parents before
 * children, batches records like Lambda (BatchSize, MaximumBatchingWindowInSeconds), hands a batch
 * and its checkpoint to the target, and on failure blocks the shard and retries with back-off,
 * bisecting when asked; records past MaximumRetryAttempts or MaximumRecordAgeInSeconds go to the
 * on-failure file and the checkpoint moves past them. It never touches a transport or a database:
 * the source and the target do. Entry points: repl_create / repl_start / repl_stop. */
#include "core.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "timeutil.h"

#define T_DDB "DynamoDB_20120810."
#define T_STREAMS "DynamoDBStreams_20120810."

#define WAIT_MS 250                 /* longest single wait, so that a stop is seen promptly */
#define BACKOFF_MIN_MS 20           /* retry back-off: doubles from here ... */
#define BACKOFF_MAX_MS 1000         /* ... up to here (a local endpoint: retry at least every second) */
#define WAITING_MS 100              /* poll for a missing table or stream this often: not on every
                                       commit, which would tax a busy table without a stream */
#define REDESCRIBE_MS 10000         /* re-read the shard list this often even when nothing ended */
#define PROGRESS_LOG_MS 10000       /* a progress line at most this often while records flow */
#define PROBLEM_LOG_MS 30000        /* the same problem is logged again at most this often */
#define GET_RECORDS_LIMIT 1000      /* GetRecords' own maximum Limit */
#define DEFAULT_EXPIRY_SEC 86400    /* DynamoDB Streams keeps records 24 hours */

/* ====================================================================================== */
/* Options                                                                                */
/* ====================================================================================== */

void repl_options_init(struct repl_options *o)
{
    memset(o, 0, sizeof *o);
    o->batch_size = 100;
    o->starting_position = REPL_TRIM_HORIZON;
    o->max_batching_window_sec = 0;
    o->max_retry_attempts = -1;
    o->max_record_age_sec = -1;
    o->bisect_on_error = 0;
}

static int parse_long(const char *s, long min, long max, long *out)
{
    char *end;
    long v;
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

int repl_options_set(struct repl_options *o, const char *name, const char *value, struct err *err)
{
    long v;
    if (strcmp(name, "BatchSize") == 0) {
        if (parse_long(value, 1, 10000, &v) < 0)
            return err_set(err, ERR_VALIDATION, "BatchSize must be an integer from 1 to 10000, "
                           "not '%s'", value);
        o->batch_size = (int)v;
    } else if (strcmp(name, "StartingPosition") == 0) {
        if (strcmp(value, "TRIM_HORIZON") == 0)
            o->starting_position = REPL_TRIM_HORIZON;
        else if (strcmp(value, "LATEST") == 0)
            o->starting_position = REPL_LATEST;
        else
            return err_set(err, ERR_VALIDATION, "StartingPosition must be TRIM_HORIZON or LATEST, "
                           "not '%s'", value);
    } else if (strcmp(name, "MaximumBatchingWindowInSeconds") == 0) {
        if (parse_long(value, 0, 300, &v) < 0)
            return err_set(err, ERR_VALIDATION, "MaximumBatchingWindowInSeconds must be an integer "
                           "from 0 to 300, not '%s'", value);
        o->max_batching_window_sec = (int)v;
    } else if (strcmp(name, "MaximumRetryAttempts") == 0) {
        if (parse_long(value, -1, 10000, &v) < 0)
            return err_set(err, ERR_VALIDATION, "MaximumRetryAttempts must be -1 (infinite) or an "
                           "integer from 0 to 10000, not '%s'", value);
        o->max_retry_attempts = (int)v;
    } else if (strcmp(name, "MaximumRecordAgeInSeconds") == 0) {
        if (parse_long(value, -1, 604800, &v) < 0 || v == 0)
            return err_set(err, ERR_VALIDATION, "MaximumRecordAgeInSeconds must be -1 (infinite) "
                           "or an integer from 1 to 604800, not '%s'", value);
        o->max_record_age_sec = (int)v;
    } else if (strcmp(name, "BisectBatchOnFunctionError") == 0) {
        if (strcasecmp(value, "true") == 0)
            o->bisect_on_error = 1;
        else if (strcasecmp(value, "false") == 0)
            o->bisect_on_error = 0;
        else
            return err_set(err, ERR_VALIDATION, "BisectBatchOnFunctionError must be true or false, "
                           "not '%s'", value);
    } else if (strcmp(name, "OnFailure") == 0) {
        if (strlen(value) >= sizeof o->on_failure)
            return err_set(err, ERR_VALIDATION, "OnFailure: path too long");
        snprintf(o->on_failure, sizeof o->on_failure, "%s", value);
    } else {
        return err_set(err, ERR_VALIDATION, "unknown replicator option '%s' (BatchSize, "
                       "StartingPosition, MaximumBatchingWindowInSeconds, MaximumRetryAttempts, "
                       "MaximumRecordAgeInSeconds, BisectBatchOnFunctionError, OnFailure)", name);
    }
    return 0;
}

int repl_config_parse(const char *text, struct repl_config *out, struct err *err)
{
    char *copy = strdup(text), *save = NULL, *part, *eq;
    int first = 1, rc = -1;

    if (copy == NULL)
        return err_set(err, ERR_INTERNAL, "out of memory");
    memset(out, 0, sizeof *out);
    repl_options_init(&out->options);
    for (part = strtok_r(copy, ",", &save); part != NULL; part = strtok_r(NULL, ",", &save)) {
        eq = strchr(part, '=');
        if (eq == NULL || eq == part || eq[1] == '\0') {
            err_set(err, ERR_VALIDATION, "'%s': expected %s", part,
                    first ? "SOURCE=TARGET" : "Option=Value");
            goto out;
        }
        *eq = '\0';
        if (first) {
            if (strlen(part) >= sizeof out->source_table || strlen(eq + 1) >= sizeof out->target_table) {
                err_set(err, ERR_VALIDATION, "table name too long");
                goto out;
            }
            snprintf(out->source_table, sizeof out->source_table, "%s", part);
            snprintf(out->target_table, sizeof out->target_table, "%s", eq + 1);
            if (strcmp(out->source_table, out->target_table) == 0) {
                err_set(err, ERR_VALIDATION, "the source and target tables must differ");
                goto out;
            }
            first = 0;
        } else if (repl_options_set(&out->options, part, eq + 1, err) < 0) {
            goto out;
        }
    }
    if (first) {
        err_set(err, ERR_VALIDATION, "expected SOURCE=TARGET[,Option=Value...]");
        goto out;
    }
    if ((size_t)snprintf(out->id, sizeof out->id, "%s=%s", out->source_table, out->target_table) >=
        sizeof out->id) {
        err_set(err, ERR_VALIDATION, "table names too long for a mapping id");
        goto out;
    }
    rc = 0;
out:
    free(copy);
    return rc;
}

int repl_record_action(const json_t *record, const json_t **keys, const json_t **image,
                       enum repl_action *action, struct err *err)
{
    const json_t *ddb = json_object_get(record, "dynamodb");
    const char *name = json_string_value(json_object_get(record, "eventName"));

    *keys = json_object_get(ddb, "Keys");
    *image = json_object_get(ddb, "NewImage");
    if (!json_is_object(*keys) || name == NULL)
        return err_set(err, ERR_VALIDATION, "not a stream record (no eventName or Keys)");
    if (strcmp(name, "REMOVE") == 0) {
        *image = NULL;
        *action = REPL_DELETE;
    } else if (strcmp(name, "INSERT") == 0 || strcmp(name, "MODIFY") == 0) {
        *action = json_is_object(*image) ? REPL_PUT : REPL_FETCH;
        if (*action == REPL_FETCH)
            *image = NULL;
    } else {
        return err_set(err, ERR_VALIDATION, "unknown eventName '%s'", name);
    }
    return 0;
}

/* ====================================================================================== */
/* State                                                                                  */
/* ====================================================================================== */

/* One shard of the stream being followed, with what has been read of it and not yet applied. */
struct shard {
    char id[REPL_ID_MAX];
    char parent[REPL_ID_MAX];     /* "" without one */
    int closed;                   /* has an EndingSequenceNumber */
    char *iterator;               /* where the next GetRecords reads; NULL: acquire from checkpoint */
    json_t *buf;                  /* records read, not yet applied (array) */
    int64_t *times;               /* their creation times (epoch ms), parallel to buf */
    size_t times_cap;
    int64_t buffered_at;          /* monotonic ms when buf became non-empty (batching window) */
    int ended;                    /* GetRecords gave no NextShardIterator: nothing more to read */
    int last_full;                /* the last GetRecords filled its Limit: more may be waiting */
};

struct replicator {
    struct repl_config cfg;
    const struct repl_source *src;
    const struct repl_target *dst;

    pthread_t thread;
    int thread_started;
    pthread_mutex_t mutex;        /* guards the status fields and stopping */
    pthread_cond_t cond;          /* signalled by repl_request_stop */
    int stopping;

    /* the replicator thread's own state */
    struct repl_checkpoint *cps;  /* every checkpoint of the mapping */
    size_t n_cps, cap_cps;
    int loaded;                   /* cps loaded from the target */
    int first_look_done;          /* the mapping has looked for its stream at least once */
    int attach_at_horizon;        /* the stream appeared after the mapping started: read it all */
    json_t *finished;             /* ARNs of streams read to their end (array of strings) */
    char stream_arn[REPL_ARN_MAX];/* the stream being followed (written under mutex: status) */
    char view_type[32];
    int stream_disabled;
    struct shard *shards;         /* its shards, in DescribeStream order (oldest first) */
    size_t n_shards;
    int64_t described_at;         /* monotonic ms of the last DescribeStream */
    int64_t backoff_ms;           /* current back-off of non-batch failures */
    int64_t last_progress_log;
    int64_t logged_records;
    char logged_problem[512];
    int64_t logged_problem_at;

    /* status (under mutex) */
    char state[16];               /* Enabling, Enabled, Disabled */
    char reason[512];             /* StateTransitionReason */
    char last_result[768];        /* LastProcessingResult */
    char cur_shard[REPL_ID_MAX];
    char last_seq[REPL_SEQ_MAX];
    int64_t records;              /* RecordsProcessed */
    int64_t failed;               /* RecordsFailed (sent to the on-failure destination) */
    int64_t batches;
    int64_t retries;
    int64_t lag_ms;               /* IteratorAgeMilliseconds of the last batch */
    int64_t last_processed_ms;    /* epoch ms of the last successful batch */
};

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int stopping(struct replicator *r)
{
    int s;
    pthread_mutex_lock(&r->mutex);
    s = r->stopping;
    pthread_mutex_unlock(&r->mutex);
    return s;
}

/* Sleeps ms unless a stop is requested first. Returns -1 when stopping. */
static int sleep_ms(struct replicator *r, int64_t ms)
{
    struct timespec until;
    int s;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += ms / 1000;
    until.tv_nsec += (ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&r->mutex);
    while (!r->stopping && pthread_cond_timedwait(&r->cond, &r->mutex, &until) != ETIMEDOUT)
        ;
    s = r->stopping;
    pthread_mutex_unlock(&r->mutex);
    return s ? -1 : 0;
}

/* Waits for a change at the source (or up to ms). */
static void wait_change(struct replicator *r, uint64_t token, int64_t ms)
{
    if (ms > WAIT_MS)
        ms = WAIT_MS;
    if (ms < 1)
        ms = 1;
    if (r->src->wait != NULL)
        r->src->wait(r->src->self, token, (int)ms);
    else
        sleep_ms(r, ms);
}

static uint64_t change_token(struct replicator *r)
{
    return r->src->change_token != NULL ? r->src->change_token(r->src->self) : 0;
}

static void set_state(struct replicator *r, const char *state, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void set_state(struct replicator *r, const char *state, const char *fmt, ...)
{
    char reason[512];
    va_list ap;
    int changed;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    pthread_mutex_lock(&r->mutex);
    changed = strcmp(r->state, state) != 0 || strcmp(r->reason, reason) != 0;
    snprintf(r->state, sizeof r->state, "%s", state);
    snprintf(r->reason, sizeof r->reason, "%s", reason);
    pthread_mutex_unlock(&r->mutex);
    if (changed)
        log_info("replicator %s: %s (%s)", r->cfg.id, state, reason);
}

/* Records a problem in the status, and logs it unless the same one was logged recently. */
static void problem(struct replicator *r, const char *what, const struct err *err)
{
    char text[512];
    int64_t now = mono_ms();
    snprintf(text, sizeof text, "PROBLEM: %s: %s%s%s", what, err_name(err->code),
             err->message ? ": " : "", err->message ? err->message : "");
    pthread_mutex_lock(&r->mutex);
    snprintf(r->last_result, sizeof r->last_result, "%s", text);
    pthread_mutex_unlock(&r->mutex);
    if (strcmp(text, r->logged_problem) != 0 || now - r->logged_problem_at >= PROBLEM_LOG_MS) {
        log_warn("replicator %s: %s", r->cfg.id, text);
        snprintf(r->logged_problem, sizeof r->logged_problem, "%s", text);
        r->logged_problem_at = now;
    }
}

static void progress_log(struct replicator *r, int force)
{
    int64_t now = mono_ms(), records, failed, lag;
    pthread_mutex_lock(&r->mutex);
    records = r->records;
    failed = r->failed;
    lag = r->lag_ms;
    pthread_mutex_unlock(&r->mutex);
    if (records == r->logged_records && !force)
        return;
    if (!force && now - r->last_progress_log < PROGRESS_LOG_MS)
        return;
    log_info("replicator %s: %lld records processed, %lld failed, lag %lld ms", r->cfg.id,
             (long long)records, (long long)failed, (long long)lag);
    r->last_progress_log = now;
    r->logged_records = records;
}

/* Back-off after a failure outside batches (source unreachable, checkpoints unreadable). */
static void backoff(struct replicator *r)
{
    r->backoff_ms = r->backoff_ms == 0 ? BACKOFF_MIN_MS : r->backoff_ms * 2;
    if (r->backoff_ms > BACKOFF_MAX_MS)
        r->backoff_ms = BACKOFF_MAX_MS;
    sleep_ms(r, r->backoff_ms);
}

/* ---- sequence numbers: strings of digits, compared numerically ---------------------------- */

static int seq_cmp(const char *a, const char *b)
{
    size_t la, lb;
    int c;
    while (*a == '0')
        a++;
    while (*b == '0')
        b++;
    la = strlen(a);
    lb = strlen(b);
    if (la != lb)
        return la < lb ? -1 : 1;
    c = strcmp(a, b);
    return c < 0 ? -1 : c > 0;
}

static const char *record_seq(const json_t *record)
{
    const char *s = json_string_value(json_object_get(json_object_get(record, "dynamodb"),
                                                      "SequenceNumber"));
    return s != NULL ? s : "";
}

/* ---- checkpoints ------------------------------------------------------------------------- */

static struct repl_checkpoint *cp_find(struct replicator *r, const char *shard_id)
{
    for (size_t i = 0; i < r->n_cps; i++)
        if (strcmp(r->cps[i].shard_id, shard_id) == 0)
            return &r->cps[i];
    return NULL;
}

static int cp_set(struct replicator *r, const struct repl_checkpoint *cp)
{
    struct repl_checkpoint *have = cp_find(r, cp->shard_id);
    if (have == NULL) {
        if (r->n_cps == r->cap_cps) {
            size_t cap = r->cap_cps ? r->cap_cps * 2 : 16;
            struct repl_checkpoint *p = realloc(r->cps, cap * sizeof *p);
            if (p == NULL)
                return -1;
            r->cps = p;
            r->cap_cps = cap;
        }
        have = &r->cps[r->n_cps++];
        *have = *cp;
        return 0;
    }
    snprintf(have->stream_arn, sizeof have->stream_arn, "%s", cp->stream_arn);
    if (cp->sequence[0] != '\0')
        snprintf(have->sequence, sizeof have->sequence, "%s", cp->sequence);
    have->done = have->done || cp->done;
    return 0;
}

static int load_one(void *arg, const struct repl_checkpoint *cp)
{
    return cp_set(arg, cp) < 0;
}

static int shard_done(struct replicator *r, const char *shard_id)
{
    struct repl_checkpoint *cp = cp_find(r, shard_id);
    return cp != NULL && cp->done;
}

/* ====================================================================================== */
/* Calls to the source                                                                    */
/* ====================================================================================== */

/* One API call; steals body. */
static int call(struct replicator *r, const char *target, json_t *body, json_t **out,
                struct err *err)
{
    int rc;
    *out = NULL;
    if (body == NULL) {
        return err_set(err, ERR_INTERNAL, "out of memory");
    }
    rc = r->src->call(r->src->self, target, body, out, err);
    json_decref(body);
    if (rc == 0 && *out == NULL)
        *out = json_object();
    return rc;
}

/* The ARNs of the source table's streams, oldest first (ListStreams, all pages). Sets *table_found. */
static int list_streams(struct replicator *r, json_t **arns, int *table_found, struct err *err)
{
    json_t *resp = NULL;
    char last[REPL_ARN_MAX] = "";

    *arns = NULL;
    *table_found = 0;
    if (call(r, T_DDB "DescribeTable", json_pack("{s:s}", "TableName", r->cfg.source_table),
             &resp, err) < 0) {
        if (err->code == ERR_RESOURCE_NOT_FOUND) {
            err_clear(err);
            return 0;
        }
        return -1;
    }
    json_decref(resp);
    *table_found = 1;
    *arns = json_array();
    for (;;) {
        json_t *body = json_pack("{s:s}", "TableName", r->cfg.source_table), *list;
        const char *next;
        size_t i;
        json_t *s;
        if (last[0] != '\0')
            json_object_set_new(body, "ExclusiveStartStreamArn", json_string(last));
        if (call(r, T_STREAMS "ListStreams", body, &resp, err) < 0) {
            json_decref(*arns);
            *arns = NULL;
            return -1;
        }
        list = json_object_get(resp, "Streams");
        json_array_foreach(list, i, s) {
            const char *arn = json_string_value(json_object_get(s, "StreamArn"));
            if (arn != NULL)
                json_array_append_new(*arns, json_string(arn));
        }
        next = json_string_value(json_object_get(resp, "LastEvaluatedStreamArn"));
        if (next == NULL || json_array_size(list) == 0) {
            json_decref(resp);
            break;
        }
        snprintf(last, sizeof last, "%s", next);
        json_decref(resp);
    }
    return 0;
}

static void shard_clear(struct shard *s)
{
    free(s->iterator);
    s->iterator = NULL;
    json_decref(s->buf);
    s->buf = NULL;
    s->ended = 0;
    s->last_full = 0;
}

static void shard_free(struct shard *s)
{
    shard_clear(s);
    free(s->times);
    s->times = NULL;
    s->times_cap = 0;
}

static void shards_free(struct replicator *r)
{
    for (size_t i = 0; i < r->n_shards; i++)
        shard_free(&r->shards[i]);
    free(r->shards);
    r->shards = NULL;
    r->n_shards = 0;
}

/* DescribeStream (all pages): the view type, status, and shard list of r->stream_arn, keeping what
 * has been read of shards already known. Returns 0, or -1 (ERR_RESOURCE_NOT_FOUND: stream gone). */
static int describe(struct replicator *r, struct err *err)
{
    struct shard *list = NULL;
    size_t n = 0, cap = 0;
    char last[REPL_ID_MAX] = "";
    int rc = -1;

    for (;;) {
        json_t *body = json_pack("{s:s}", "StreamArn", r->stream_arn), *resp = NULL, *d, *shards, *sh;
        const char *next, *view;
        size_t i;
        if (last[0] != '\0')
            json_object_set_new(body, "ExclusiveStartShardId", json_string(last));
        if (call(r, T_STREAMS "DescribeStream", body, &resp, err) < 0)
            goto out;
        d = json_object_get(resp, "StreamDescription");
        view = json_string_value(json_object_get(d, "StreamViewType"));
        snprintf(r->view_type, sizeof r->view_type, "%s", view ? view : "KEYS_ONLY");
        r->stream_disabled = json_string_value(json_object_get(d, "StreamStatus")) != NULL &&
                             strcmp(json_string_value(json_object_get(d, "StreamStatus")),
                                    "ENABLED") != 0;
        shards = json_object_get(d, "Shards");
        json_array_foreach(shards, i, sh) {
            const char *id = json_string_value(json_object_get(sh, "ShardId"));
            const char *parent = json_string_value(json_object_get(sh, "ParentShardId"));
            struct shard *s;
            if (id == NULL)
                continue;
            if (n == cap) {
                size_t c = cap ? cap * 2 : 8;
                struct shard *p = realloc(list, c * sizeof *p);
                if (p == NULL) {
                    json_decref(resp);
                    err_set(err, ERR_INTERNAL, "out of memory");
                    goto out;
                }
                list = p;
                cap = c;
            }
            s = &list[n++];
            memset(s, 0, sizeof *s);
            snprintf(s->id, sizeof s->id, "%s", id);
            snprintf(s->parent, sizeof s->parent, "%s", parent ? parent : "");
            s->closed = json_object_get(json_object_get(sh, "SequenceNumberRange"),
                                        "EndingSequenceNumber") != NULL;
            /* keep the reading state of a shard already known */
            for (size_t k = 0; k < r->n_shards; k++) {
                if (strcmp(r->shards[k].id, id) == 0) {
                    int closed = s->closed;
                    *s = r->shards[k];
                    s->closed = closed;
                    memset(&r->shards[k], 0, sizeof r->shards[k]);
                    snprintf(r->shards[k].id, sizeof r->shards[k].id, "%s", "");
                    break;
                }
            }
        }
        next = json_string_value(json_object_get(d, "LastEvaluatedShardId"));
        if (next == NULL || json_array_size(shards) == 0) {
            json_decref(resp);
            break;
        }
        snprintf(last, sizeof last, "%s", next);
        json_decref(resp);
    }
    shards_free(r);
    r->shards = list;
    r->n_shards = n;
    list = NULL;
    n = 0;
    r->described_at = mono_ms();
    rc = 0;
out:
    for (size_t i = 0; i < n; i++)
        shard_free(&list[i]);
    free(list);
    return rc;
}

/* A shard may be read once its parent is done (or no longer listed: trimmed, or never had one). */
static int eligible(struct replicator *r, const struct shard *s)
{
    if (s->parent[0] == '\0' || shard_done(r, s->parent))
        return 1;
    for (size_t i = 0; i < r->n_shards; i++)
        if (strcmp(r->shards[i].id, s->parent) == 0)
            return 0;
    return 1;
}

/* GetShardIterator of one type; sets *iterator (malloc'd). */
static int get_iterator(struct replicator *r, const char *shard_id, const char *type,
                        const char *seq, char **iterator, struct err *err)
{
    json_t *body = json_pack("{s:s,s:s,s:s}", "StreamArn", r->stream_arn, "ShardId", shard_id,
                             "ShardIteratorType", type), *resp;
    const char *it;
    if (body != NULL && seq != NULL)
        json_object_set_new(body, "SequenceNumber", json_string(seq));
    if (call(r, T_STREAMS "GetShardIterator", body, &resp, err) < 0)
        return -1;
    it = json_string_value(json_object_get(resp, "ShardIterator"));
    *iterator = it != NULL ? strdup(it) : NULL;
    json_decref(resp);
    if (*iterator == NULL)
        return err_set(err, ERR_INTERNAL, "GetShardIterator returned no ShardIterator");
    return 0;
}

/* Positions a shard's reader just after its checkpoint (or at its TRIM_HORIZON). A checkpoint that
 * retention has overtaken resumes at the trim horizon, with a warning. */
static int acquire(struct replicator *r, struct shard *s, struct err *err)
{
    struct repl_checkpoint *cp = cp_find(r, s->id);
    shard_clear(s);
    if (cp != NULL && cp->sequence[0] != '\0') {
        if (get_iterator(r, s->id, "AFTER_SEQUENCE_NUMBER", cp->sequence, &s->iterator, err) == 0)
            return 0;
        if (err->code != ERR_TRIMMED_DATA && err->code != ERR_VALIDATION)
            return -1;
        log_warn("replicator %s: checkpoint %s of shard %s is older than the stream's trim "
                 "horizon (%s); resuming at TRIM_HORIZON: records in between were trimmed "
                 "unprocessed", r->cfg.id, cp->sequence, s->id, err->message ? err->message : "");
        err_clear(err);
    }
    return get_iterator(r, s->id, "TRIM_HORIZON", NULL, &s->iterator, err);
}

/* ====================================================================================== */
/* Applying batches                                                                       */
/* ====================================================================================== */

/* For targets that do not read the source themselves: a copy of records in which INSERT/MODIFY
 * without a NewImage carry the source item as it is now, or became REMOVEs if it is gone. */
static int resolve_images(struct replicator *r, json_t *records, json_t **out, struct err *err)
{
    size_t i;
    json_t *rec;
    *out = json_array();
    json_array_foreach(records, i, rec) {
        const json_t *keys, *image;
        enum repl_action action;
        json_t *copy, *resp = NULL, *item;
        if (repl_record_action(rec, &keys, &image, &action, err) < 0)
            goto fail;
        if (action != REPL_FETCH) {
            json_array_append(*out, rec);
            continue;
        }
        if (call(r, T_DDB "GetItem", json_pack("{s:s,s:O,s:b}", "TableName", r->cfg.source_table,
                                               "Key", keys, "ConsistentRead", 1), &resp, err) < 0) {
            if (err->code != ERR_RESOURCE_NOT_FOUND)
                goto fail;
            err_clear(err);   /* the source table is gone: so is the item */
        }
        copy = json_deep_copy(rec);
        item = json_object_get(resp, "Item");
        if (json_is_object(item))
            json_object_set(json_object_get(copy, "dynamodb"), "NewImage", item);
        else
            json_object_set_new(copy, "eventName", json_string("REMOVE"));
        json_decref(resp);
        json_array_append_new(*out, copy);
    }
    return 0;
fail:
    json_decref(*out);
    *out = NULL;
    return -1;
}

/* Hands records (may be empty) and the checkpoint to the target. */
static int apply(struct replicator *r, json_t *records, const char *shard_id, const char *seq,
                 int done, struct repl_apply_result *res, struct err *err)
{
    struct repl_batch b = {
        .mapping = r->cfg.id,
        .source_table = r->cfg.source_table,
        .target_table = r->cfg.target_table,
        .view_type = r->view_type,
        .records = records,
    };
    json_t *resolved = NULL;
    int rc;

    snprintf(b.checkpoint.stream_arn, sizeof b.checkpoint.stream_arn, "%s", r->stream_arn);
    snprintf(b.checkpoint.shard_id, sizeof b.checkpoint.shard_id, "%s", shard_id);
    snprintf(b.checkpoint.sequence, sizeof b.checkpoint.sequence, "%s", seq ? seq : "");
    b.checkpoint.done = done;
    memset(res, 0, sizeof *res);
    if (!r->dst->reads_source && json_array_size(records) > 0 &&
        strcmp(r->view_type, "NEW_IMAGE") != 0 && strcmp(r->view_type, "NEW_AND_OLD_IMAGES") != 0) {
        if (resolve_images(r, records, &resolved, err) < 0)
            return -1;
        b.records = resolved;
    }
    rc = r->dst->apply(r->dst->self, &b, res, err);
    json_decref(resolved);
    if (rc == 0 && cp_set(r, &b.checkpoint) < 0)
        return err_set(err, ERR_INTERNAL, "out of memory");
    return rc;
}

/* Saves a checkpoint alone, retrying until it is saved (or the mapping stops: -1). */
static int save_checkpoint(struct replicator *r, const char *shard_id, const char *seq, int done)
{
    int64_t wait = BACKOFF_MIN_MS;
    for (;;) {
        struct err err = ERR_INIT;
        struct repl_apply_result res;
        json_t *none = json_array();
        int rc = apply(r, none, shard_id, seq, done, &res, &err);
        json_decref(none);
        if (rc == 0)
            return 0;
        problem(r, "saving a checkpoint", &err);
        err_clear(&err);
        if (sleep_ms(r, wait) < 0)
            return -1;
        wait = wait * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : wait * 2;
    }
}

static void iso_time(int64_t ms, char *buf)
{
    time_iso8601_ms(ms, buf);
    strcat(buf, "Z");
}

/* Reports records [from, from+n) of s to the on-failure destination and the log. */
static void report_failure(struct replicator *r, struct shard *s, size_t from, size_t n,
                           const char *condition, const char *error, int invokes)
{
    const char *first = record_seq(json_array_get(s->buf, from));
    const char *last = record_seq(json_array_get(s->buf, from + n - 1));
    char now[40], t0[40], t1[40];

    log_warn("replicator %s: %zu record(s) of shard %s, sequence numbers %s..%s, sent to the "
             "on-failure destination (%s after %d invocation(s); last error: %s)%s%s", r->cfg.id,
             n, s->id, first, last, condition, invokes, error ? error : "none",
             r->cfg.options.on_failure[0] ? ": " : " (no OnFailure file configured)",
             r->cfg.options.on_failure);
    if (r->cfg.options.on_failure[0] != '\0') {
        json_t *line;
        char *text;
        iso_time(time_now_ms(), now);
        iso_time(s->times[from], t0);
        iso_time(s->times[from + n - 1], t1);
        /* the shape of Lambda's on-failure record for stream sources */
        line = json_pack("{s:s,s:s,s:s,s:{s:s,s:i},s:{s:s},s:{s:s,s:s,s:s,s:s,s:s,s:I,s:s}}",
                         "version", "1.0", "timestamp", now, "mapping", r->cfg.id,
                         "requestContext", "condition", condition, "approximateInvokeCount", invokes,
                         "responseContext", "functionError", error ? error : "",
                         "DDBStreamBatchInfo", "shardId", s->id, "startSequenceNumber", first,
                         "endSequenceNumber", last, "approximateArrivalOfFirstRecord", t0,
                         "approximateArrivalOfLastRecord", t1, "batchSize", (json_int_t)n,
                         "streamArn", r->stream_arn);
        text = line ? json_dumps(line, JSON_COMPACT) : NULL;
        if (text != NULL) {
            int fd = open(r->cfg.options.on_failure, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
            size_t len = strlen(text);
            text[len] = '\n';   /* json_dumps leaves room: overwrite the NUL, write len + 1 */
            if (fd < 0 || write(fd, text, len + 1) != (ssize_t)(len + 1))
                log_error("replicator %s: cannot write the on-failure file %s: %s", r->cfg.id,
                          r->cfg.options.on_failure, strerror(errno));
            if (fd >= 0)
                close(fd);
        }
        free(text);
        json_decref(line);
    }
    pthread_mutex_lock(&r->mutex);
    r->failed += (int64_t)n;
    pthread_mutex_unlock(&r->mutex);
}

/* Discards records [from, from+n): report them, then move the checkpoint past them. */
static int discard(struct replicator *r, struct shard *s, size_t from, size_t n,
                   const char *condition, const char *error, int invokes)
{
    report_failure(r, s, from, n, condition, error, invokes);
    return save_checkpoint(r, s->id, record_seq(json_array_get(s->buf, from + n - 1)), 0);
}

/* The age limit of records: MaximumRecordAgeInSeconds, or the stream's retention. */
static int64_t max_age_ms(struct replicator *r)
{
    if (r->cfg.options.max_record_age_sec > 0)
        return (int64_t)r->cfg.options.max_record_age_sec * 1000;
    return (r->cfg.record_expiry_sec > 0 ? r->cfg.record_expiry_sec : DEFAULT_EXPIRY_SEC) * 1000;
}

/* Applies records [from, from+n) of s with Lambda's retry rules. Returns 0 when they are applied
 * or discarded, -1 when the mapping is stopping (nothing more is done). */
static int process(struct replicator *r, struct shard *s, size_t from, size_t n)
{
    int attempts = 0;           /* retries used */
    int64_t wait = BACKOFF_MIN_MS;
    char last_error[512] = "";

    while (n > 0) {
        struct err err = ERR_INIT;
        struct repl_apply_result res;
        json_t *slice;
        size_t expired = 0;
        int64_t now = time_now_ms(), limit = max_age_ms(r);
        int rc;

        if (stopping(r))
            return -1;
        while (expired < n && now - s->times[from + expired] > limit)
            expired++;
        if (expired > 0) {
            if (discard(r, s, from, expired, "RecordAgeExceeded", last_error[0] ? last_error : NULL,
                        attempts + (last_error[0] != '\0')) < 0)
                return -1;
            from += expired;
            n -= expired;
            continue;
        }
        slice = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append(slice, json_array_get(s->buf, from + i));
        rc = apply(r, slice, s->id, record_seq(json_array_get(s->buf, from + n - 1)), 0, &res, &err);
        json_decref(slice);
        if (rc == 0) {
            int64_t created = res.last_created_ms ? res.last_created_ms : s->times[from + n - 1];
            pthread_mutex_lock(&r->mutex);
            r->records += (int64_t)n;
            r->batches++;
            r->lag_ms = time_now_ms() - created;
            if (r->lag_ms < 0)
                r->lag_ms = 0;
            r->last_processed_ms = time_now_ms();
            snprintf(r->last_result, sizeof r->last_result, "OK");
            snprintf(r->cur_shard, sizeof r->cur_shard, "%s", s->id);
            snprintf(r->last_seq, sizeof r->last_seq, "%s",
                     record_seq(json_array_get(s->buf, from + n - 1)));
            pthread_mutex_unlock(&r->mutex);
            r->logged_problem[0] = '\0';
            return 0;
        }
        snprintf(last_error, sizeof last_error, "%s%s%s", err_name(err.code),
                 err.message ? ": " : "", err.message ? err.message : "");
        problem(r, "applying a batch", &err);
        err_clear(&err);
        if (r->cfg.options.bisect_on_error && n > 1) {
            /* split in two and retry each half; splitting uses no retry attempt */
            size_t half = n / 2;
            if (process(r, s, from, half) < 0)
                return -1;
            from += half;
            n -= half;
            attempts = 0;
            wait = BACKOFF_MIN_MS;
            last_error[0] = '\0';
            continue;
        }
        if (r->cfg.options.max_retry_attempts >= 0 && attempts >= r->cfg.options.max_retry_attempts)
            return discard(r, s, from, n, "RetryAttemptsExhausted", last_error, attempts + 1);
        attempts++;
        pthread_mutex_lock(&r->mutex);
        r->retries++;
        pthread_mutex_unlock(&r->mutex);
        if (sleep_ms(r, wait) < 0)
            return -1;
        wait = wait * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : wait * 2;
    }
    return 0;
}

/* Drops the first n buffered records of s. */
static void buffer_consume(struct shard *s, size_t n)
{
    size_t total = json_array_size(s->buf);
    json_t *rest = json_array();
    for (size_t i = n; i < total; i++)
        json_array_append(rest, json_array_get(s->buf, i));
    json_decref(s->buf);
    s->buf = rest;
    memmove(s->times, s->times + n, (total - n) * sizeof *s->times);
    s->buffered_at = mono_ms();
}

/* Creation times of new records appended to s->buf at [from, end): exact ones from the source
 * when it can tell, else ApproximateCreationDateTime. */
static int buffer_times(struct replicator *r, struct shard *s, size_t from, struct err *err)
{
    size_t total = json_array_size(s->buf), n = total - from;
    const char **seqs;
    int exact = 0;

    if (total > s->times_cap) {
        size_t cap = total * 2;
        int64_t *p = realloc(s->times, cap * sizeof *p);
        if (p == NULL)
            return err_set(err, ERR_INTERNAL, "out of memory");
        s->times = p;
        s->times_cap = cap;
    }
    for (size_t i = from; i < total; i++) {
        json_t *t = json_object_get(json_object_get(json_array_get(s->buf, i), "dynamodb"),
                                    "ApproximateCreationDateTime");
        s->times[i] = json_is_number(t) ? (int64_t)(json_number_value(t) * 1000) : time_now_ms();
    }
    if (r->src->record_times == NULL || n == 0)
        return 0;
    seqs = malloc(n * sizeof *seqs);
    if (seqs == NULL)
        return err_set(err, ERR_INTERNAL, "out of memory");
    for (size_t i = 0; i < n; i++)
        seqs[i] = record_seq(json_array_get(s->buf, from + i));
    {
        int64_t *ms = calloc(n, sizeof *ms);
        struct err e = ERR_INIT;
        if (ms != NULL && r->src->record_times(r->src->self, seqs, n, ms, &e) == 0)
            exact = 1;
        for (size_t i = 0; exact && i < n; i++)
            if (ms[i] > 0)
                s->times[from + i] = ms[i];
        err_clear(&e);
        free(ms);
    }
    free(seqs);
    return 0;
}

/* ====================================================================================== */
/* Reading shards                                                                         */
/* ====================================================================================== */

enum step { STEP_IDLE = 0, STEP_PROGRESS = 1, STEP_ENDED = 2 };

/* One step on one shard: a GetRecords if more is wanted, then a batch if one is ready.
 * Returns an enum step, or -1 (err set; ERR_RESOURCE_NOT_FOUND: the shard or stream is gone) or
 * -2 when stopping. *wait_ms is lowered to when a batching window ends. */
static int step(struct replicator *r, struct shard *s, int64_t *wait_ms, struct err *err)
{
    const struct repl_options *o = &r->cfg.options;
    size_t have, got = 0;
    int ready;

    if (s->iterator == NULL && !s->ended) {
        int rc = acquire(r, s, err);   /* starts again just after the checkpoint */
        if (s->buf == NULL)
            s->buf = json_array();
        if (rc < 0)
            return -1;
    }
    if (s->buf == NULL)
        s->buf = json_array();
    have = json_array_size(s->buf);
    if (!s->ended && have < (size_t)o->batch_size) {
        size_t want = (size_t)o->batch_size - have;
        json_t *resp = NULL, *records, *rec;
        const char *next;
        const struct repl_checkpoint *cp = cp_find(r, s->id);
        size_t i;

        if (want > GET_RECORDS_LIMIT)
            want = GET_RECORDS_LIMIT;
        if (call(r, T_STREAMS "GetRecords", json_pack("{s:s,s:I}", "ShardIterator", s->iterator,
                                                      "Limit", (json_int_t)want), &resp, err) < 0) {
            if (err->code == ERR_EXPIRED_ITERATOR || err->code == ERR_TRIMMED_DATA) {
                /* re-acquire from the checkpoint; what was buffered is read again */
                log_info("replicator %s: shard %s: %s; re-acquiring the iterator from the "
                         "checkpoint", r->cfg.id, s->id, err_name(err->code));
                err_clear(err);
                shard_clear(s);
                s->buf = json_array();
                return STEP_PROGRESS;
            }
            return -1;
        }
        records = json_object_get(resp, "Records");
        json_array_foreach(records, i, rec) {
            /* never apply a record twice, whatever the source serves */
            if (cp != NULL && cp->sequence[0] != '\0' && seq_cmp(record_seq(rec), cp->sequence) <= 0)
                continue;
            if (json_array_size(s->buf) > 0 &&
                seq_cmp(record_seq(rec), record_seq(json_array_get(s->buf,
                                                    json_array_size(s->buf) - 1))) <= 0)
                continue;
            json_array_append(s->buf, rec);
            got++;
        }
        next = json_string_value(json_object_get(resp, "NextShardIterator"));
        free(s->iterator);
        s->iterator = next != NULL ? strdup(next) : NULL;
        if (next == NULL)
            s->ended = 1;
        s->last_full = json_array_size(records) >= want;
        json_decref(resp);
        if (got > 0) {
            if (have == 0)
                s->buffered_at = mono_ms();
            if (buffer_times(r, s, have, err) < 0)
                return -1;
        }
    }
    have = json_array_size(s->buf);
    if (have == 0) {
        if (s->ended) {
            struct repl_checkpoint *cp = cp_find(r, s->id);
            if (save_checkpoint(r, s->id, cp && cp->sequence[0] ? cp->sequence : NULL, 1) < 0)
                return -2;
            return STEP_ENDED;
        }
        return got > 0 ? STEP_PROGRESS : STEP_IDLE;
    }
    /* a batch is ready when it is full, when the shard has ended, or when nothing more is waiting
     * and the batching window (0 by default) has passed */
    ready = have >= (size_t)o->batch_size || s->ended;
    if (!ready && !s->last_full) {
        int64_t left = (int64_t)o->max_batching_window_sec * 1000 - (mono_ms() - s->buffered_at);
        if (left <= 0)
            ready = 1;
        else if (left < *wait_ms)
            *wait_ms = left;
    }
    if (!ready)
        return got > 0 && s->last_full ? STEP_PROGRESS : STEP_IDLE;
    {
        size_t n = have < (size_t)o->batch_size ? have : (size_t)o->batch_size;
        if (process(r, s, 0, n) < 0)
            return -2;
        buffer_consume(s, n);
    }
    return STEP_PROGRESS;
}

/* StartingPosition LATEST, the first time the mapping meets a stream that existed when it started:
 * closed shards are skipped, open ones are read to their current end without being applied. */
static int start_at_latest(struct replicator *r, struct err *err)
{
    for (size_t i = 0; i < r->n_shards; i++) {
        struct shard *s = &r->shards[i];
        char last[REPL_SEQ_MAX] = "";
        char *it = NULL;
        int ended = s->closed;
        if (!s->closed) {
            if (get_iterator(r, s->id, "TRIM_HORIZON", NULL, &it, err) < 0)
                return -1;
            while (it != NULL) {
                json_t *resp = NULL, *records;
                const char *next;
                if (call(r, T_STREAMS "GetRecords", json_pack("{s:s,s:i}", "ShardIterator", it,
                                                              "Limit", GET_RECORDS_LIMIT),
                         &resp, err) < 0) {
                    free(it);
                    return -1;
                }
                records = json_object_get(resp, "Records");
                if (json_array_size(records) > 0)
                    snprintf(last, sizeof last, "%s",
                             record_seq(json_array_get(records, json_array_size(records) - 1)));
                next = json_string_value(json_object_get(resp, "NextShardIterator"));
                free(it);
                it = json_array_size(records) > 0 && next != NULL ? strdup(next) : NULL;
                ended = next == NULL;
                json_decref(resp);
            }
        }
        if (save_checkpoint(r, s->id, last[0] ? last : NULL, ended) < 0)
            return -2;
    }
    log_info("replicator %s: StartingPosition LATEST: starting after the records already in %s",
             r->cfg.id, r->stream_arn);
    return 0;
}

/* Follows one stream until it is finished (disabled and read to the end: returns 1), the mapping
 * stops (returns 0), or a failure (-1, err set). fresh: the mapping's first stream. */
static int follow_stream(struct replicator *r, const char *arn, int fresh, struct err *err)
{
    int need_describe = 1;

    if (strcmp(r->stream_arn, arn) != 0) {
        shards_free(r);
        pthread_mutex_lock(&r->mutex);   /* the status endpoint reads it */
        snprintf(r->stream_arn, sizeof r->stream_arn, "%s", arn);
        pthread_mutex_unlock(&r->mutex);
    }
    if (describe(r, err) < 0)
        return -1;
    need_describe = 0;
    if (fresh) {
        if (r->cfg.options.starting_position == REPL_LATEST && !r->attach_at_horizon) {
            int rc = start_at_latest(r, err);
            if (rc < 0)
                return rc == -2 ? 0 : -1;
        } else if (r->n_shards > 0 &&
                   save_checkpoint(r, r->shards[0].id, NULL, 0) < 0) {  /* mark the mapping started */
            return 0;
        }
    }
    set_state(r, "Enabled", "following %s", arn);
    while (!stopping(r)) {
        int progress = 0, all_done = 1;
        int64_t wait_ms = WAIT_MS;
        uint64_t token = change_token(r);

        if (need_describe || mono_ms() - r->described_at >= REDESCRIBE_MS) {
            if (describe(r, err) < 0)
                return -1;
            need_describe = 0;
        }
        for (size_t i = 0; i < r->n_shards; i++) {
            struct shard *s = &r->shards[i];
            int rc;
            if (shard_done(r, s->id))
                continue;
            all_done = 0;
            if (!eligible(r, s))
                continue;
            rc = step(r, s, &wait_ms, err);
            if (rc == -2)
                return 0;
            if (rc < 0) {
                if (err->code == ERR_RESOURCE_NOT_FOUND) {
                    /* the shard (or the stream) was trimmed away: look again */
                    err_clear(err);
                    need_describe = 1;
                    progress = 1;
                    break;
                }
                return -1;
            }
            if (rc == STEP_ENDED)
                need_describe = 1;   /* its children may be readable now */
            if (rc != STEP_IDLE)
                progress = 1;
        }
        r->backoff_ms = 0;
        progress_log(r, 0);
        if (all_done && r->stream_disabled)
            return 1;
        if (all_done)
            need_describe = 1;
        if (!progress)
            wait_change(r, token, all_done ? WAIT_MS : wait_ms);
    }
    return 0;
}

/* One look at the source: finds the stream to follow and follows it. Returns 0 to be called
 * again at once, -1 (err set) to be called again after a back-off. */
static int follow(struct replicator *r, struct err *err)
{
    json_t *arns = NULL;
    int found, fresh, rc;
    size_t start = 0, i;
    const char *arn = NULL;

    if (list_streams(r, &arns, &found, err) < 0)
        return -1;
    if (!found || json_array_size(arns) == 0) {
        if (!r->first_look_done)
            r->attach_at_horizon = 1;   /* whatever stream appears is younger than the mapping */
        r->first_look_done = 1;
        if (!found)
            set_state(r, "Enabling", "waiting for table %s", r->cfg.source_table);
        else
            set_state(r, "Enabling", "waiting for a stream on table %s (UpdateTable "
                      "StreamSpecification)", r->cfg.source_table);
        json_decref(arns);
        sleep_ms(r, WAITING_MS);
        return 0;
    }
    r->first_look_done = 1;
    fresh = r->n_cps == 0;
    if (fresh) {
        start = json_array_size(arns) - 1;   /* a new mapping starts with the latest stream */
    } else {
        /* the oldest stream the checkpoints know; none known: they are all newer */
        int known = 0;
        for (i = 0; i < json_array_size(arns) && !known; i++)
            for (size_t k = 0; k < r->n_cps && !known; k++)
                if (strcmp(r->cps[k].stream_arn, json_string_value(json_array_get(arns, i))) == 0) {
                    start = i;
                    known = 1;
                }
    }
    for (i = start; i < json_array_size(arns); i++) {
        const char *a = json_string_value(json_array_get(arns, i));
        int done = 0;
        for (size_t k = 0; k < json_array_size(r->finished); k++)
            if (strcmp(json_string_value(json_array_get(r->finished, k)), a) == 0)
                done = 1;
        if (!done) {
            arn = a;
            break;
        }
    }
    if (arn == NULL) {
        set_state(r, "Enabling", "waiting for a new stream on table %s (its stream is disabled)",
                  r->cfg.source_table);
        json_decref(arns);
        sleep_ms(r, WAITING_MS);
        return 0;
    }
    rc = follow_stream(r, arn, fresh, err);
    if (rc == 1) {
        log_info("replicator %s: stream %s is disabled and fully replicated", r->cfg.id, arn);
        json_array_append_new(r->finished, json_string(arn));
        shards_free(r);
        pthread_mutex_lock(&r->mutex);
        r->stream_arn[0] = '\0';
        pthread_mutex_unlock(&r->mutex);
    }
    json_decref(arns);
    return rc < 0 ? -1 : 0;
}

static int load_checkpoints(struct replicator *r, struct err *err)
{
    r->n_cps = 0;
    if (r->dst->checkpoints(r->dst->self, r->cfg.id, load_one, r, err) < 0)
        return -1;
    r->loaded = 1;
    if (r->n_cps > 0)
        log_info("replicator %s: resuming from %zu checkpoint(s)", r->cfg.id, r->n_cps);
    return 0;
}

void repl_run(struct replicator *r)
{
    set_state(r, "Enabling", "starting");
    while (!stopping(r)) {
        struct err err = ERR_INIT;
        int rc = r->loaded ? follow(r, &err) : load_checkpoints(r, &err);
        if (rc < 0) {
            problem(r, r->loaded ? "reading the source" : "loading checkpoints", &err);
            err_clear(&err);
            backoff(r);
        }
        err_clear(&err);
    }
    progress_log(r, 1);
    set_state(r, "Disabled", "stopped");
}

/* ====================================================================================== */
/* Life cycle and status                                                                  */
/* ====================================================================================== */

int repl_create(const struct repl_config *cfg, const struct repl_source *source,
                const struct repl_target *target, struct replicator **out, struct err *err)
{
    struct replicator *r = calloc(1, sizeof *r);
    if (r == NULL)
        return err_set(err, ERR_INTERNAL, "out of memory");
    r->cfg = *cfg;
    r->src = source;
    r->dst = target;
    r->finished = json_array();
    pthread_mutex_init(&r->mutex, NULL);
    pthread_cond_init(&r->cond, NULL);
    snprintf(r->state, sizeof r->state, "Creating");
    snprintf(r->last_result, sizeof r->last_result, "No records processed");
    *out = r;
    return 0;
}

static void *run_thread(void *arg)
{
    repl_run(arg);
    return NULL;
}

int repl_start(struct replicator *r, struct err *err)
{
    if (pthread_create(&r->thread, NULL, run_thread, r) != 0)
        return err_set(err, ERR_INTERNAL, "cannot start the replicator thread");
    r->thread_started = 1;
    return 0;
}

void repl_request_stop(struct replicator *r)
{
    pthread_mutex_lock(&r->mutex);
    r->stopping = 1;
    pthread_cond_broadcast(&r->cond);
    pthread_mutex_unlock(&r->mutex);
}

void repl_stop(struct replicator *r)
{
    repl_request_stop(r);
    if (r->thread_started) {
        pthread_join(r->thread, NULL);
        r->thread_started = 0;
    }
}

void repl_free(struct replicator *r)
{
    if (r == NULL)
        return;
    repl_stop(r);
    shards_free(r);
    free(r->cps);
    json_decref(r->finished);
    pthread_mutex_destroy(&r->mutex);
    pthread_cond_destroy(&r->cond);
    free(r);
}

json_t *repl_status_json(struct replicator *r)
{
    const struct repl_options *o = &r->cfg.options;
    json_t *s;
    char last[40] = "";

    pthread_mutex_lock(&r->mutex);
    if (r->last_processed_ms != 0)
        iso_time(r->last_processed_ms, last);
    s = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:s,s:s,s:s,"
                  "s:i,s:s,s:i,s:i,s:i,s:b,s:b}",
                  "UUID", r->cfg.id, "Source", r->cfg.source_table, "Target", r->cfg.target_table,
                  "EventSourceArn", r->stream_arn, "State", r->state,
                  "StateTransitionReason", r->reason, "LastProcessingResult", r->last_result,
                  "RecordsProcessed", (json_int_t)r->records, "RecordsFailed", (json_int_t)r->failed,
                  "BatchesProcessed", (json_int_t)r->batches, "BatchRetries", (json_int_t)r->retries,
                  "IteratorAgeMilliseconds", (json_int_t)r->lag_ms,
                  "LastProcessed", last, "ShardId", r->cur_shard,
                  "LastRecordSequenceNumber", r->last_seq,
                  "BatchSize", o->batch_size,
                  "StartingPosition", o->starting_position == REPL_LATEST ? "LATEST" : "TRIM_HORIZON",
                  "MaximumBatchingWindowInSeconds", o->max_batching_window_sec,
                  "MaximumRetryAttempts", o->max_retry_attempts,
                  "MaximumRecordAgeInSeconds", o->max_record_age_sec,
                  "BisectBatchOnFunctionError", o->bisect_on_error,
                  "ExactlyOnce", r->dst->exactly_once);
    if (s != NULL && o->on_failure[0] != '\0')
        json_object_set_new(s, "OnFailure", json_string(o->on_failure));
    pthread_mutex_unlock(&r->mutex);
    return s;
}

void repl_counts(struct replicator *r, int64_t *records_processed, int64_t *lag_ms)
{
    pthread_mutex_lock(&r->mutex);
    if (records_processed != NULL)
        *records_processed = r->records;
    if (lag_ms != NULL)
        *lag_ms = r->lag_ms;
    pthread_mutex_unlock(&r->mutex);
}
