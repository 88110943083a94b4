/* source_http.h — the standalone replicator's transport: a struct repl_source that runs the
 * DynamoDB / DynamoDB Streams API over HTTP (replicator/client.c) and polls (no change signal: wait
 * sleeps the polling interval), and a struct repl_target that writes the replica through the
 * DynamoDB API of another (or the same) endpoint — BatchWriteItem of each batch's last action per
 * key, or PutItem/DeleteItem per record where BatchWriteItem is unavailable — then saves the
 * checkpoint in the local checkpoint file. At-least-once: a crash between the writes and the
 * checkpoint re-applies the batch, and unconditional puts and deletes are idempotent.
 * Not here: the replication logic (core.c), sockets and signing (client.c), SQL (checkpoint.c). */
#ifndef DYNASTREAM_REPLICATOR_SOURCE_HTTP_H
#define DYNASTREAM_REPLICATOR_SOURCE_HTTP_H

#include <stdatomic.h>
#include <stdint.h>

#include "checkpoint.h"
#include "client.h"
#include "core.h"

/* Lambda polls a DynamoDB stream shard about four times a second: the same by default. */
#define SOURCE_HTTP_DEFAULT_POLL_MS 250
#define SOURCE_HTTP_MAX_POLL_MS 60000
#define SOURCE_HTTP_IDLE_SLOTS 16     /* shards remembered as idle (see poll_interval_ms) */

struct source_http_idle {
    char *iterator;                   /* NextShardIterator of an empty GetRecords (malloc'd) */
    int64_t at_ms;                    /* monotonic time of that GetRecords */
};

struct source_http_time {
    char seq[REPL_SEQ_MAX];
    int64_t ms;                       /* estimated creation time, epoch ms */
};

/* The source. Fields are private to source_http.c; embed it and call source_http_source_init. */
struct source_http_source {
    struct repl_source source;        /* what the core gets (self = this struct) */
    struct client *client;            /* borrowed */
    int poll_interval_ms;
    /* With an interval above the core's longest wait (250 ms), a GetRecords on an iterator whose
     * last read was empty is answered locally (no records, same iterator) until the interval has
     * passed: the endpoint sees one GetRecords per shard per interval. */
    struct source_http_idle idle[SOURCE_HTTP_IDLE_SLOTS];
    struct source_http_time *times;   /* creation-time estimates of the last GetRecords' records */
    size_t n_times, cap_times;
    atomic_long get_records;          /* GetRecords sent to the endpoint */
    atomic_long get_records_local;    /* GetRecords answered locally (idle shard, see above) */
};

/* Sets up s over client (borrowed) polling every poll_interval_ms (0..SOURCE_HTTP_MAX_POLL_MS;
 * 0 = poll back to back). s->source is then ready for repl_create. */
void source_http_source_init(struct source_http_source *s, struct client *client,
                             int poll_interval_ms);
/* Frees what s holds (not the client). */
void source_http_source_destroy(struct source_http_source *s);

/* The target. Fields are private to source_http.c; embed it and call source_http_target_init. */
struct source_http_target {
    struct repl_target target;        /* what the core gets (self = this struct) */
    struct client *client;            /* borrowed */
    struct checkpoint_db *db;         /* borrowed */
    int batch_writes;                 /* 1 while BatchWriteItem is usable */
    atomic_long puts, deletes;        /* replica writes (for the status; read by other threads) */
    atomic_long requests;             /* write requests sent */
};

/* Sets up t writing through client and saving checkpoints in db (both borrowed). batch_writes:
 * start with BatchWriteItem (1) or write record by record (0). t->target is then ready. */
void source_http_target_init(struct source_http_target *t, struct client *client,
                             struct checkpoint_db *db, int batch_writes);

#endif
