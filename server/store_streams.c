/* store_streams.c — the SQL side of DynamoDB Streams (see store.h, "streams"): streams, their
 * shards, the records, the sequence counter, and trimming. Records are appended inside the item
 * change's own write transaction (write.c), so an acknowledged write has exactly one record and a
 * failed one none. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "store_internal.h"

static char *column_strdup(sqlite3_stmt *s, int col)
{
    const unsigned char *t = sqlite3_column_text(s, col);
    return strdup(t != NULL ? (const char *)t : "");
}

static void copy_column(sqlite3_stmt *s, int col, char *buf, size_t size)
{
    const unsigned char *t = sqlite3_column_text(s, col);
    snprintf(buf, size, "%s", t != NULL ? (const char *)t : "");
}

void store_stream_free(struct store_stream *st)
{
    if (st == NULL)
        return;
    free(st->arn);
    free(st->label);
    free(st->view_type);
    free(st->table_name);
    free(st->key_schema);
    memset(st, 0, sizeof *st);
}

/* Row of STREAM_BY_ARN / STREAM_LIST into *out (owned strings). */
static void read_stream(sqlite3_stmt *s, struct store_stream *out)
{
    out->id = sqlite3_column_int64(s, 0);
    out->table_id = sqlite3_column_int64(s, 1);
    out->arn = column_strdup(s, 2);
    out->label = column_strdup(s, 3);
    out->view_type = column_strdup(s, 4);
    out->table_name = column_strdup(s, 5);
    out->key_schema = column_strdup(s, 6);
    out->created_ms = sqlite3_column_int64(s, 7);
    out->disabled_ms = sqlite3_column_int64(s, 8);
}

static void read_shard(sqlite3_stmt *s, struct store_shard *out)
{
    out->id = sqlite3_column_int64(s, 0);
    copy_column(s, 1, out->shard_id, sizeof out->shard_id);
    copy_column(s, 2, out->parent_id, sizeof out->parent_id);
    out->created_ms = sqlite3_column_int64(s, 3);
    out->closed_ms = sqlite3_column_int64(s, 4);
    out->first_seq = sqlite3_column_int64(s, 5);
    out->last_seq = sqlite3_column_int64(s, 6);
}

int store_stream_create(struct store_conn *conn, int64_t table_id, const char *account,
                        const char *region, const char *table_name, const char *arn,
                        const char *label, const char *view_type, const char *key_schema,
                        int64_t now_ms, int64_t *id, struct err *err)
{
    sqlite3_stmt *s = store__stmt(conn, STMT_STREAM_CREATE);
    sqlite3_bind_int64(s, 1, table_id);
    sqlite3_bind_text(s, 2, account, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, region, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, table_name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, arn, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 6, label, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 7, view_type, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 8, key_schema, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 9, now_ms);
    if (store__done(conn, s, "stream create", err) < 0)
        return -1;
    *id = sqlite3_last_insert_rowid(conn->active->db);
    return store_shard_open(conn, *id, NULL, now_ms, err);
}

int store_stream_disable(struct store_conn *conn, int64_t stream_id, int64_t now_ms,
                         struct err *err)
{
    sqlite3_stmt *s = store__stmt(conn, STMT_STREAM_DISABLE);
    int64_t shard = 0;
    int rc;
    sqlite3_bind_int64(s, 1, stream_id);
    sqlite3_bind_int64(s, 2, now_ms);
    if (store__done(conn, s, "stream disable", err) < 0)
        return -1;
    rc = store_shard_current(conn, stream_id, &shard, NULL, err);
    if (rc <= 0)
        return rc;
    return store_shard_close(conn, shard, now_ms, err);
}

int store_stream_get(struct store_conn *conn, const char *account, const char *region,
                     const char *arn, struct store_stream *out, struct err *err)
{
    sqlite3_stmt *s = store__stmt(conn, STMT_STREAM_BY_ARN);
    int rc;
    sqlite3_bind_text(s, 1, arn, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, account, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, region, -1, SQLITE_STATIC);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        read_stream(s, out);
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store__error(conn, "stream get", err);
    return rc == SQLITE_ROW;
}

int store_stream_list(struct store_conn *conn, const char *account, const char *region,
                      const char *table_name, int64_t after_id, store_stream_fn fn, void *arg,
                      struct err *err)
{
    sqlite3_stmt *s = store__stmt(conn, STMT_STREAM_LIST);
    int rc;
    sqlite3_bind_text(s, 1, account, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, region, -1, SQLITE_STATIC);
    if (table_name != NULL)
        sqlite3_bind_text(s, 3, table_name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 4, after_id);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct store_stream st;
        int stop;
        read_stream(s, &st);
        stop = fn(arg, &st);
        store_stream_free(&st);
        if (stop)
            break;
    }
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store__error(conn, "stream list", err);
    return 0;
}

int store_shard_open(struct store_conn *conn, int64_t stream_id, const char *parent_id,
                     int64_t now_ms, struct err *err)
{
    sqlite3_stmt *s = store__stmt(conn, STMT_SHARD_OPEN);
    uint32_t tag;
    char shard_id[64];

    if (getrandom(&tag, sizeof tag, 0) != sizeof tag)
        tag = (uint32_t)now_ms * 2654435761u;
    /* shardId-<20 digits>-<8 hex digits>, like DynamoDB's */
    snprintf(shard_id, sizeof shard_id, "shardId-%020lld-%08x", (long long)now_ms, tag);
    sqlite3_bind_int64(s, 1, stream_id);
    sqlite3_bind_text(s, 2, shard_id, -1, SQLITE_TRANSIENT);
    if (parent_id != NULL)
        sqlite3_bind_text(s, 3, parent_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 4, now_ms);
    return store__done(conn, s, "shard open", err);
}

int store_shard_close(struct store_conn *conn, int64_t shard_row, int64_t now_ms,
                      struct err *err)
{
    sqlite3_stmt *s = store__stmt(conn, STMT_SHARD_CLOSE);
    sqlite3_bind_int64(s, 1, shard_row);
    sqlite3_bind_int64(s, 2, now_ms);
    return store__done(conn, s, "shard close", err);
}

int store_shard_current(struct store_conn *conn, int64_t stream_id, int64_t *shard_row,
                        char *shard_id, struct err *err)
{
    sqlite3_stmt *s = store__stmt(conn, STMT_SHARD_CURRENT);
    int rc;
    sqlite3_bind_int64(s, 1, stream_id);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *shard_row = sqlite3_column_int64(s, 0);
        if (shard_id != NULL)
            copy_column(s, 1, shard_id, 64);
    }
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store__error(conn, "shard current", err);
    return rc == SQLITE_ROW;
}

int store_shard_get(struct store_conn *conn, int64_t stream_id, const char *shard_id,
                    struct store_shard *out, struct err *err)
{
    sqlite3_stmt *s = store__stmt(conn, STMT_SHARD_GET);
    int rc;
    sqlite3_bind_int64(s, 1, stream_id);
    sqlite3_bind_text(s, 2, shard_id, -1, SQLITE_STATIC);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        read_shard(s, out);
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store__error(conn, "shard get", err);
    return rc == SQLITE_ROW;
}

int store_shard_list(struct store_conn *conn, int64_t stream_id, int64_t after_row,
                     store_shard_fn fn, void *arg, struct err *err)
{
    sqlite3_stmt *s = store__stmt(conn, STMT_SHARD_LIST);
    int rc;
    sqlite3_bind_int64(s, 1, stream_id);
    sqlite3_bind_int64(s, 2, after_row);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct store_shard shard;
        read_shard(s, &shard);
        if (fn(arg, &shard) != 0)
            break;
    }
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store__error(conn, "shard list", err);
    return 0;
}

static int single_int(struct store_conn *conn, enum stmt_id id, int64_t bind, int64_t *out,
                      const char *what, struct err *err)
{
    sqlite3_stmt *s = store__stmt(conn, id);
    int rc;
    if (bind != 0)
        sqlite3_bind_int64(s, 1, bind);
    rc = sqlite3_step(s);
    *out = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store__error(conn, what, err);
    return 0;
}

int store_sequence_next(struct store_conn *conn, int64_t *seq, struct err *err)
{
    return single_int(conn, STMT_SEQ_NEXT, 0, seq, "sequence next", err);
}

int store_sequence_last(struct store_conn *conn, int64_t *seq, struct err *err)
{
    return single_int(conn, STMT_SEQ_LAST, 0, seq, "sequence last", err);
}

int store_record_append(struct store_conn *conn, int64_t seq, int64_t shard_row,
                        int64_t created_ms, const char *json, size_t len, struct err *err)
{
    sqlite3_stmt *s = store__stmt(conn, STMT_RECORD_INSERT);
    sqlite3_bind_int64(s, 1, seq);
    sqlite3_bind_int64(s, 2, shard_row);
    sqlite3_bind_int64(s, 3, created_ms);
    sqlite3_bind_text(s, 4, json, (int)len, SQLITE_STATIC);
    return store__done(conn, s, "record append", err);
}

int store_record_read(struct store_conn *conn, int64_t shard_row, int64_t from_seq, int limit,
                      store_record_fn fn, void *arg, struct err *err)
{
    sqlite3_stmt *s = store__stmt(conn, STMT_RECORD_READ);
    int rc;
    sqlite3_bind_int64(s, 1, shard_row);
    sqlite3_bind_int64(s, 2, from_seq);
    sqlite3_bind_int(s, 3, limit);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (fn(arg, sqlite3_column_int64(s, 0), (const char *)sqlite3_column_text(s, 1),
               (size_t)sqlite3_column_bytes(s, 1), sqlite3_column_int64(s, 2)) != 0)
            break;
    }
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store__error(conn, "record read", err);
    return 0;
}

int store_stream_states(struct store_conn *conn, store_stream_state_fn fn, void *arg,
                        struct err *err)
{
    sqlite3_stmt *s = store__stmt(conn, STMT_STREAM_ALL);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        fn(arg, sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1),
           sqlite3_column_int64(s, 2), sqlite3_column_int64(s, 3));
    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        return store__error(conn, "stream states", err);
    return 0;
}

int store_streams_trim(struct store_conn *conn, int64_t before_ms, struct err *err)
{
    /* each shard's first sequence number moves just past the records about to be trimmed (the
     * trim horizon: nothing else moves it), the records go, then empty closed shards, the
     * replicator's checkpoints of shards gone (a shard no longer listed counts as read), and
     * streams disabled long ago */
    static const enum stmt_id steps[] = {STMT_SHARDS_ADVANCE, STMT_RECORDS_TRIM, STMT_SHARDS_TRIM,
                                         STMT_CHECKPOINTS_TRIM, STMT_STREAMS_TRIM};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        sqlite3_stmt *s = store__stmt(conn, steps[i]);
        sqlite3_bind_int64(s, 1, before_ms);
        if (store__done(conn, s, "streams trim", err) < 0)
            return -1;
    }
    return 0;
}

int store_shard_by_row(struct store_conn *conn, int64_t stream_id, int64_t shard_row,
                       struct store_shard *out, struct err *err)
{
    sqlite3_stmt *s = store__stmt(conn, STMT_SHARD_BY_ROW);
    int rc;
    sqlite3_bind_int64(s, 1, shard_row);
    sqlite3_bind_int64(s, 2, stream_id);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        read_shard(s, out);
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store__error(conn, "shard by row", err);
    return rc == SQLITE_ROW;
}
