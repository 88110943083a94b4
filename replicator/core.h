/* core.h — the replicator core: one event source mapping in AWS Lambda's terms (a DynamoDB stream
 * feeding a "function" that writes a target table), independent of transport. It follows the source
 * table's latest stream, reads shards parents first, batches records (BatchSize, batching window),
 * hands each batch to the target with its checkpoint, retries a failed batch with back-off (blocking
 * its shard), bisects it, and sends records past their retries or age to an on-failure file. It
 * speaks the DynamoDB/Streams JSON API through a struct repl_source and writes through a struct
 * repl_target (source_local.c in-process; the CLI's source_http.c). AWS: Lambda
 * "CreateEventSourceMapping", "Using AWS Lambda with Amazon DynamoDB". Prefix: repl_. */
#ifndef DYNASTREAM_REPLICATOR_CORE_H
#define DYNASTREAM_REPLICATOR_CORE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "errors.h"

#define REPL_ID_MAX 128       /* mapping ids and shard ids (DynamoDB's ShardId is at most 65) */
#define REPL_SEQ_MAX 48       /* SequenceNumber (DynamoDB: 21 to 40 digits) */
#define REPL_ARN_MAX 1200     /* stream ARNs (table names are at most 255 bytes) */
#define REPL_PATH_MAX 1024

/* ---- options (Lambda's names, defaults and ranges) ------------------------------------------- */

enum repl_start {
    REPL_TRIM_HORIZON = 0,    /* StartingPosition TRIM_HORIZON: every record still in the stream */
    REPL_LATEST               /* StartingPosition LATEST: only records written after the start */
};

struct repl_options {
    int batch_size;               /* BatchSize: 1..10000, default 100 */
    enum repl_start starting_position; /* StartingPosition, default TRIM_HORIZON; only used the first
                                     time a mapping runs (no checkpoints yet) */
    int max_batching_window_sec;  /* MaximumBatchingWindowInSeconds: 0..300, default 0 */
    int max_retry_attempts;       /* MaximumRetryAttempts: -1 (until the record expires) or 0..10000 */
    int max_record_age_sec;       /* MaximumRecordAgeInSeconds: -1 (until trimmed from the stream) or
                                     1..604800 (Lambda's minimum is 60; 1 is allowed here for tests) */
    int bisect_on_error;          /* BisectBatchOnFunctionError: 0 or 1, default 0 */
    char on_failure[REPL_PATH_MAX]; /* OnFailure: JSON-lines file for discarded batches; "" = log only */
};

/* Fills o with Lambda's defaults (100, TRIM_HORIZON, 0, -1, -1, false, no destination). */
void repl_options_init(struct repl_options *o);

/* Sets one option by Lambda's name (BatchSize, StartingPosition, MaximumBatchingWindowInSeconds,
 * MaximumRetryAttempts, MaximumRecordAgeInSeconds, BisectBatchOnFunctionError, OnFailure) from its
 * text. Returns 0, or -1 with ERR_VALIDATION naming the option and its allowed values (o unchanged). */
int repl_options_set(struct repl_options *o, const char *name, const char *value, struct err *err);

/* One mapping: which table feeds which, with what options. */
struct repl_config {
    char id[REPL_ID_MAX];             /* checkpoint key of the mapping, e.g. "logfile=logfile_replica" */
    char source_table[256];
    char target_table[256];
    struct repl_options options;
    long record_expiry_sec;           /* with MaximumRecordAgeInSeconds -1, a record expires when it
                                         is this old: the stream's retention (0 = DynamoDB's 86400) */
};

/* Parses "SRC=DST[,Name=Value...]" (the --replicate syntax) into *out: tables, then options by
 * Lambda's names; id becomes "SRC=DST". Returns 0, or -1 with ERR_VALIDATION (message says what
 * is wrong). */
int repl_config_parse(const char *text, struct repl_config *out, struct err *err);

/* ---- the source: the API of the endpoint holding the source table ---------------------------- */

/* The core builds ordinary DynamoDB / DynamoDB Streams requests (DescribeTable, ListStreams,
 * DescribeStream, GetShardIterator, GetRecords, GetItem) and leaves their transport to the source. */
struct repl_source {
    void *self;
    /* Runs one API call. target is the whole X-Amz-Target value, e.g.
     * "DynamoDBStreams_20120810.GetRecords"; body is borrowed. Returns 0 with *out a new reference
     * to the response body, or -1 with err set to the service's error (the code from the response's
     * __type, its message) — the core acts on ERR_RESOURCE_NOT_FOUND, ERR_EXPIRED_ITERATOR,
     * ERR_TRIMMED_DATA and ERR_VALIDATION; anything that is not a service answer (connection
     * refused, timeout, bad JSON) is ERR_INTERNAL and is retried with back-off. Thread: the
     * replicator's own. */
    int (*call)(void *self, const char *target, json_t *body, json_t **out, struct err *err);
    /* A change counter read before a GetRecords; NULL when the transport has no change signal. */
    uint64_t (*change_token)(void *self);
    /* Waits until records may have arrived since token (a commit on the source), or timeout_ms has
     * passed (the core never asks for more than 250 ms, so that stopping stays prompt). A polling
     * transport sleeps its polling interval (at most timeout_ms). */
    void (*wait)(void *self, uint64_t token, int timeout_ms);
    /* Optional (NULL = use each record's ApproximateCreationDateTime): the exact creation times
     * (epoch ms) of n records given by SequenceNumber, into ms[0..n). Used for record age and lag.
     * Returns 0, or -1 with err (the core then falls back). */
    int (*record_times)(void *self, const char *const *seqs, size_t n, int64_t *ms,
                        struct err *err);
};

/* ---- the target: where batches go, and where checkpoints live -------------------------------- */

/* A checkpoint: how far the mapping has processed one shard. */
struct repl_checkpoint {
    char stream_arn[REPL_ARN_MAX];
    char shard_id[REPL_ID_MAX];
    char sequence[REPL_SEQ_MAX];  /* the last SequenceNumber processed; "" = none yet (read the
                                     shard from its TRIM_HORIZON) */
    int done;                     /* the shard is closed and was read to its end (or skipped by
                                     StartingPosition LATEST) */
};

/* One batch for the target: records of one shard, in stream order, plus the checkpoint that is
 * true once they are applied. */
struct repl_batch {
    const char *mapping;          /* repl_config.id */
    const char *source_table;
    const char *target_table;
    const char *view_type;        /* the stream's StreamViewType */
    json_t *records;              /* array of stream records exactly as GetRecords returned them
                                     (borrowed; may be empty: then only the checkpoint is saved) */
    struct repl_checkpoint checkpoint; /* the shard's checkpoint after this batch */
};

/* What the target did with a batch (filled on success). */
struct repl_apply_result {
    int64_t last_created_ms;      /* creation time (epoch ms) of the last record, 0 if unknown */
};

struct repl_target {
    void *self;
    int exactly_once;             /* apply writes the records and the checkpoint in one transaction */
    int reads_source;             /* apply itself reads the current source item for INSERT/MODIFY
                                     records without a NewImage (KEYS_ONLY, OLD_IMAGE streams); when
                                     0 the core does it (GetItem, ConsistentRead) and passes records
                                     whose NewImage is that item (or turns them into REMOVEs) */
    /* Applies the batch's records in order — INSERT/MODIFY: put the NewImage verbatim; REMOVE:
     * delete the Keys (see repl_record_action) — and then saves batch->checkpoint. All or nothing
     * when exactly_once; otherwise records may be re-applied after a failure (idempotent puts and
     * deletes). Returns 0, or -1 with err set (a "function error": the core retries the batch). */
    int (*apply)(void *self, const struct repl_batch *batch, struct repl_apply_result *res,
                 struct err *err);
    /* Calls fn for every checkpoint saved for mapping (any stream), until fn returns non-zero.
     * Returns 0, or -1 with err (the core retries with back-off). */
    int (*checkpoints)(void *self, const char *mapping,
                       int (*fn)(void *arg, const struct repl_checkpoint *cp), void *arg,
                       struct err *err);
};

/* What a stream record asks of the target. */
enum repl_action { REPL_PUT, REPL_DELETE, REPL_FETCH };

/* Classifies a stream record (borrowed): REPL_PUT with *image = its NewImage for INSERT/MODIFY
 * that carry one; REPL_FETCH for INSERT/MODIFY without one (the current source item must be read);
 * REPL_DELETE for REMOVE. *keys = its Keys. Returns -1 (err ERR_VALIDATION) for a malformed record. */
int repl_record_action(const json_t *record, const json_t **keys, const json_t **image,
                       enum repl_action *action, struct err *err);

/* ---- the mapping ------------------------------------------------------------------------------ */

struct replicator;

/* Creates a mapping (copies cfg; source and target are borrowed and must outlive it). It does
 * nothing until started. Returns 0 and sets *out, or -1 (out of memory). */
int repl_create(const struct repl_config *cfg, const struct repl_source *source,
                const struct repl_target *target, struct replicator **out, struct err *err);

/* Runs the mapping in a thread of its own. Returns 0, or -1 if the thread cannot start. */
int repl_start(struct replicator *r, struct err *err);
/* Runs the mapping in the calling thread until repl_request_stop. */
void repl_run(struct replicator *r);
/* Asks the mapping to stop (thread-safe, not async-signal-safe): a batch being applied finishes,
 * back-off and waits end at once. */
void repl_request_stop(struct replicator *r);
/* repl_request_stop, then joins the thread started by repl_start (if any). */
void repl_stop(struct replicator *r);
/* Stops if needed and frees. NULL-safe. */
void repl_free(struct replicator *r);

/* The mapping's status as a new JSON object, in Lambda's words where it has them:
 *   Source, Target, UUID (the mapping id), EventSourceArn (the stream followed, once known),
 *   State ("Enabling" while waiting for the table or its stream, "Enabled", "Disabled" once
 *   stopped), StateTransitionReason, LastProcessingResult ("No records processed", "OK",
 *   "PROBLEM: <error>"), RecordsProcessed, RecordsFailed (sent to the on-failure destination),
 *   BatchesProcessed, BatchRetries, IteratorAgeMilliseconds (age of the last record processed when
 *   it was processed: the lag), LastRecordSequenceNumber, ShardId, the options by their names, and
 *   ExactlyOnce. Thread-safe. */
json_t *repl_status_json(struct replicator *r);

/* The current lag (IteratorAgeMilliseconds) and records processed, for logs and benches. */
void repl_counts(struct replicator *r, int64_t *records_processed, int64_t *lag_ms);

#endif
