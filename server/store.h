/* store.h — the only interface to SQLite: opening the database (file in WAL mode, or a private
 * RAM-backed directory for --in-memory), the schema and its migrations, a pool of connections (one
 * per worker thread at a time), transactions, and the prepared statements for tables and items.
 * No SQL text exists outside store.c; callers pass ids and bytes, never SQL. */
#ifndef DYNASTREAM_STORE_H
#define DYNASTREAM_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "errors.h"

struct store;
struct store_conn;

struct store_options {
    const char *dir;     /* directory of dynastream.db (created if missing); ignored in memory */
    int in_memory;       /* keep the database in a RAM-backed directory removed at close */
    int durable;         /* synchronous=FULL instead of NORMAL */
    int connections;     /* size of the connection pool (>= 1) */
};

/* Opens (creating and migrating as needed) the database. Returns 0 and sets *out, or -1. */
int store_open(const struct store_options *opts, struct store **out, struct err *err);
/* Closes every connection and, in memory, removes the database directory. NULL-safe. */
void store_close(struct store *store);

/* Takes a free connection from the pool, waiting if all are busy; store_release gives it back.
 * A connection is used by one thread at a time. */
struct store_conn *store_acquire(struct store *store);
void store_release(struct store *store, struct store_conn *conn);

/* Read transactions: one snapshot for several statements; never blocks writers. End with
 * store_commit (or store_rollback). */
int store_begin_read(struct store_conn *conn, struct err *err);
int store_commit(struct store_conn *conn, struct err *err);
void store_rollback(struct store_conn *conn);

/* A write: called with the writer connection inside a transaction and a savepoint of its own.
 * It reads and writes only through `writer`, does not block, and leaves its results in `arg`.
 * Returning -1 (err set) undoes everything it wrote; other writes of the batch are unaffected. */
typedef int (*store_write_fn)(struct store_conn *writer, void *arg, struct err *err);

/* Runs fn as one atomic write and returns once it is committed (group commit: writes that arrive
 * together share one SQLite transaction and one commit; the first waiting caller runs the batch,
 * so a lone writer pays no hand-off). Returns fn's result, or -1 if the commit itself failed.
 * on_commit, when set, is called after each commit that contained writes (e.g. to wake stream
 * readers). */
int store_write(struct store *store, store_write_fn fn, void *arg, struct err *err);
void store_set_on_commit(struct store *store, void (*on_commit)(void *), void *arg);

/* ---- tables ---------------------------------------------------------------------------- */

/* A number that changes whenever a table definition may have changed: odd while a write
 * transaction that changed one is open, even otherwise. A definition read through a connection
 * while the generation was the same even number is still current (table.c caches on this). */
uint64_t store_table_generation(const struct store_conn *conn);
/* The generation no newer than what a read through conn now sees: the current one outside a
 * transaction, else the one when store_begin_read began it. */
uint64_t store_snapshot_generation(const struct store_conn *conn);
/* Whether conn is the writer connection a store_write job is handed. */
int store_conn_is_writer(const struct store_conn *conn);

struct store_table {
    int64_t id;
    int64_t version;     /* changes whenever the definition changes */
    char *definition;    /* owned JSON text */
    int64_t item_count;
    int64_t size_bytes;
};

/* Frees the definition text. NULL-safe. */
void store_table_row_free(struct store_table *row);
/* Looks a table up by name. Returns 1 and fills *out (caller frees with store_table_row_free),
 * 0 when absent, -1 on error. The definition text is copied only when want (if not NULL) returns
 * non-zero for the row's (id, version): a caller with a cached parse skips the copy. */
typedef int (*store_want_definition_fn)(void *arg, int64_t id, int64_t version);
int store_table_get(struct store_conn *conn, const char *account, const char *region,
                    const char *name, store_want_definition_fn want, void *arg,
                    struct store_table *out, struct err *err);
/* Inserts a table. Returns 1 and sets *id, 0 if the name is taken, -1 on error. */
int store_table_create(struct store_conn *conn, const char *account, const char *region,
                       const char *name, const char *definition, int64_t *id, struct err *err);
/* Replaces a table's definition and bumps its version. */
int store_table_set_definition(struct store_conn *conn, int64_t id, const char *definition,
                               struct err *err);
/* Deletes a table and all its items. */
int store_table_delete(struct store_conn *conn, int64_t id, struct err *err);
/* Copies every item of table from_id into table to_id, which has none (backups and restores;
 * index entries and statistics are the caller's). */
int store_items_copy(struct store_conn *conn, int64_t from_id, int64_t to_id, struct err *err);
/* Adds to a table's item count and size (in the caller's write transaction). */
int store_table_add_stats(struct store_conn *conn, int64_t id, int64_t count_delta,
                          int64_t size_delta, struct err *err);
/* Calls fn for the names of the namespace's tables in name order, starting after `after` (or from
 * the first when NULL), until fn returns non-zero. */
typedef int (*store_name_fn)(void *arg, const char *name);
int store_table_names(struct store_conn *conn, const char *account, const char *region,
                      const char *after, store_name_fn fn, void *arg, struct err *err);

/* Calls fn(arg, id, account, region, name) for every table with Time to Live enabled (its
 * definition has a TimeToLiveAttribute), in id order, until fn returns non-zero. */
typedef int (*store_ttl_table_fn)(void *arg, int64_t id, const char *account, const char *region,
                                  const char *name);
int store_ttl_tables(struct store_conn *conn, store_ttl_table_fn fn, void *arg, struct err *err);

/* ---- items ----------------------------------------------------------------------------- */

struct store_key {
    uint32_t hash;        /* keycodec_hash(hk) */
    const uint8_t *hk;    /* encoded partition key */
    size_t hk_len;
    const uint8_t *rk;    /* encoded sort key (empty without one) */
    size_t rk_len;
};

/* Reads one item. Returns 1 and sets *json (malloc'd, NUL-terminated) and *size, 0 when absent. */
int store_item_get(struct store_conn *conn, int64_t table_id, const struct store_key *key,
                   char **json, int64_t *size, struct err *err);
/* Inserts or replaces one item. */
int store_item_put(struct store_conn *conn, int64_t table_id, const struct store_key *key,
                   const char *json, size_t json_len, int64_t size, struct err *err);
/* Deletes one item (absent is not an error). */
int store_item_delete(struct store_conn *conn, int64_t table_id, const struct store_key *key,
                      struct err *err);

/* One row met by a scan or query: an item, or an index entry. All pointers are borrowed and valid
 * only during the callback. */
struct store_entry {
    struct store_key key;       /* the item's key, or the index entry's index key */
    const uint8_t *thk;         /* index entries: the item's table keys (for items: == key) */
    size_t thk_len;
    const uint8_t *trk;
    size_t trk_len;
    const char *json;           /* the item (or projected item) */
    size_t json_len;
    int64_t size;               /* its DynamoDB size */
};

/* Scan/query callback. Returns 0 to continue, non-zero to stop. */
typedef int (*store_item_fn)(void *arg, const struct store_entry *entry);

/* Visits a table's items in (hash, hk, rk) order with hash in [hash_lo, hash_hi), starting after
 * `after` when not NULL, until fn returns non-zero or the items end. */
int store_item_scan(struct store_conn *conn, int64_t table_id, uint64_t hash_lo, uint64_t hash_hi,
                    const struct store_key *after, store_item_fn fn, void *arg, struct err *err);

/* The same over an index's entries, ordered by (hash, hk, rk, thk, trk); `after` (may be NULL)
 * is an entry's full position. */
int store_index_scan(struct store_conn *conn, int64_t index_id, uint64_t hash_lo, uint64_t hash_hi,
                     const struct store_entry *after, store_item_fn fn, void *arg,
                     struct err *err);

/* A key range inside one partition: the entries with this partition key whose (rk, thk, trk) is
 * >= lo and < hi (for tables only the rk parts count). Exclusive and inclusive bounds of callers
 * are expressed with keycodec_successor (x > a  <=>  x >= a||0x00). */
struct store_range {
    uint32_t hash;
    const uint8_t *hk;
    size_t hk_len;
    const uint8_t *lo[3];       /* rk, thk, trk; NULL parts are empty */
    size_t lo_len[3];
    const uint8_t *hi[3];
    size_t hi_len[3];
    int descending;
};

/* Visits the entries of a range of a table (index_id == 0) or of an index, in key order (reversed
 * when descending), until fn returns non-zero. Runs as index range reads: cost does not grow with
 * the size of the table. */
int store_query(struct store_conn *conn, int64_t table_id, int64_t index_id,
                const struct store_range *range, store_item_fn fn, void *arg, struct err *err);

/* ---- indexes --------------------------------------------------------------------------- */

/* An index's id: all indexes of a table form the id range [table_id << 16, (table_id + 1) << 16). */
#define STORE_INDEX_ID(table_id, number) (((int64_t)(table_id) << 16) | (int64_t)(number))

/* Deletes an index's entries and statistics. */
int store_index_delete(struct store_conn *conn, int64_t index_id, struct err *err);
/* Reads an index's statistics (zeros for an index with no entry yet). */
int store_index_stats(struct store_conn *conn, int64_t index_id, int64_t *item_count,
                      int64_t *size_bytes, struct err *err);
/* Writes (replaces) / deletes one index entry; adjusts index statistics. */
int store_index_put(struct store_conn *conn, int64_t index_id, const struct store_key *index_key,
                    const struct store_key *table_key, const char *json, size_t json_len,
                    int64_t size, struct err *err);
int store_index_del(struct store_conn *conn, int64_t index_id, const struct store_key *index_key,
                    const struct store_key *table_key, struct err *err);
int store_index_add_stats(struct store_conn *conn, int64_t index_id, int64_t count_delta,
                          int64_t size_delta, struct err *err);

/* ---- streams (store_streams.c) ----------------------------------------------------------- */

struct store_stream {
    int64_t id;
    int64_t table_id;
    char *arn;              /* owned strings */
    char *label;
    char *view_type;
    char *table_name;
    char *key_schema;       /* JSON text */
    int64_t created_ms;
    int64_t disabled_ms;    /* 0 while enabled */
};

struct store_shard {
    int64_t id;             /* row id */
    char shard_id[64];
    char parent_id[64];     /* "" without a parent */
    int64_t created_ms;
    int64_t closed_ms;      /* 0 while open */
    int64_t first_seq;
    int64_t last_seq;       /* 0 while open */
};

void store_stream_free(struct store_stream *s);   /* frees the strings; NULL-safe */

/* Creates a stream and its first shard. Sets *id. */
int store_stream_create(struct store_conn *conn, int64_t table_id, const char *account,
                        const char *region, const char *table_name, const char *arn,
                        const char *label, const char *view_type, const char *key_schema,
                        int64_t now_ms, int64_t *id, struct err *err);
/* Disables a stream and closes its open shard (its records stay readable until trimmed). */
int store_stream_disable(struct store_conn *conn, int64_t stream_id, int64_t now_ms,
                         struct err *err);
/* Finds a stream of the namespace by ARN: 1 found (free with store_stream_free), 0, or -1. */
int store_stream_get(struct store_conn *conn, const char *account, const char *region,
                     const char *arn, struct store_stream *out, struct err *err);
/* Calls fn for the namespace's streams (all, or those of table_name) with id > after_id, in
 * creation order, until fn returns non-zero. The struct is borrowed during the call. */
typedef int (*store_stream_fn)(void *arg, const struct store_stream *s);
int store_stream_list(struct store_conn *conn, const char *account, const char *region,
                      const char *table_name, int64_t after_id, store_stream_fn fn, void *arg,
                      struct err *err);

/* Opens a new shard of a stream (child of parent_id, or none); its first sequence number is the
 * next one to be given out. */
int store_shard_open(struct store_conn *conn, int64_t stream_id, const char *parent_id,
                     int64_t now_ms, struct err *err);
/* Closes a shard: its last sequence number is its last record's. */
int store_shard_close(struct store_conn *conn, int64_t shard_row, int64_t now_ms,
                      struct err *err);
/* The open shard of a stream: 1 (sets *shard_row, and shard_id if not NULL), 0 if none, -1. */
int store_shard_current(struct store_conn *conn, int64_t stream_id, int64_t *shard_row,
                        char *shard_id, struct err *err);
/* One shard by its ShardId: 1, 0, or -1. */
int store_shard_get(struct store_conn *conn, int64_t stream_id, const char *shard_id,
                    struct store_shard *out, struct err *err);
/* One shard of a stream by its row id: 1, 0 (none, or another stream's), or -1. */
int store_shard_by_row(struct store_conn *conn, int64_t stream_id, int64_t shard_row,
                       struct store_shard *out, struct err *err);
/* Calls fn for a stream's shards with row id > after_row, oldest first, until fn returns non-zero. */
typedef int (*store_shard_fn)(void *arg, const struct store_shard *shard);
int store_shard_list(struct store_conn *conn, int64_t stream_id, int64_t after_row,
                     store_shard_fn fn, void *arg, struct err *err);

/* The next sequence number (strictly increasing, never reused), in the write transaction. */
int store_sequence_next(struct store_conn *conn, int64_t *seq, struct err *err);
/* The last sequence number given out. */
int store_sequence_last(struct store_conn *conn, int64_t *seq, struct err *err);
/* Appends a record (its JSON already holds its SequenceNumber) to a shard. */
int store_record_append(struct store_conn *conn, int64_t seq, int64_t shard_row,
                        int64_t created_ms, const char *json, size_t len, struct err *err);
/* Calls fn for up to `limit` records of a shard with seq >= from_seq, in order, until fn returns
 * non-zero. */
typedef int (*store_record_fn)(void *arg, int64_t seq, const char *json, size_t len,
                               int64_t created_ms);
int store_record_read(struct store_conn *conn, int64_t shard_row, int64_t from_seq, int limit,
                      store_record_fn fn, void *arg, struct err *err);

/* Maintenance: calls fn(arg, stream_id, disabled_ms, open_shard_row or 0, open shard created_ms)
 * for every stream; and trims records, closed shards and disabled streams older than before_ms. */
typedef void (*store_stream_state_fn)(void *arg, int64_t stream_id, int64_t disabled_ms,
                                      int64_t open_shard_row, int64_t open_shard_created_ms);
int store_stream_states(struct store_conn *conn, store_stream_state_fn fn, void *arg,
                        struct err *err);
int store_streams_trim(struct store_conn *conn, int64_t before_ms, struct err *err);

/* ---- replicator (store_replicator.c) ------------------------------------------------------
 * Checkpoints of the bundled replicator, kept in the same database as the stream so that the
 * replica write and the checkpoint commit together (ops/replicate_ops.c). */

/* Inserts or advances the checkpoint of (mapping, shard_id): sequence (NULL keeps the stored one)
 * and done (never cleared once set). In the caller's write transaction. */
int store_checkpoint_put(struct store_conn *conn, const char *mapping, const char *stream_arn,
                         const char *shard_id, const char *sequence, int done, int64_t now_ms,
                         struct err *err);
/* Calls fn for every checkpoint of mapping (strings borrowed during the call; sequence NULL when
 * none), oldest update first, until fn returns non-zero. */
typedef int (*store_checkpoint_fn)(void *arg, const char *stream_arn, const char *shard_id,
                                   const char *sequence, int done);
int store_checkpoint_list(struct store_conn *conn, const char *mapping, store_checkpoint_fn fn,
                          void *arg, struct err *err);
/* The exact creation time of the stream record with sequence number seq: 1 (sets *ms), 0 when it
 * is not stored (trimmed), -1 on error. */
int store_record_created(struct store_conn *conn, int64_t seq, int64_t *ms, struct err *err);
/* Calls fn(arg, account, region) for every namespace holding a table called name, in order,
 * until fn returns non-zero (the bundled replicator finds its source table this way). */
typedef int (*store_namespace_fn)(void *arg, const char *account, const char *region);
int store_table_namespaces(struct store_conn *conn, const char *name, store_namespace_fn fn,
                           void *arg, struct err *err);

#endif
