/* store_replicator.c — the SQL side of the bundled replicator (see store.h, "replicator"):
 * checkpoints per (mapping, shard), the exact creation time of a stream record (for the lag), and
 * the namespaces that hold a table of a given name. It knows nothing of the replicator's logic;
 * ops/replicate_ops.c calls it inside the write that applies a batch. Schema: 004_replicator.sql. */
#include <stdlib.h>

#include "store_internal.h"

int store_checkpoint_put(struct store_conn *conn, const char *mapping, const char *stream_arn,
                         const char *shard_id, const char *sequence, int done, int64_t now_ms,
                         struct err *err)
{
    sqlite3_stmt *s = store__stmt(conn, STMT_CHECKPOINT_PUT);
    sqlite3_bind_text(s, 1, mapping, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, shard_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, stream_arn, -1, SQLITE_STATIC);
    if (sequence != NULL)
        sqlite3_bind_text(s, 4, sequence, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 5, done ? 1 : 0);
    sqlite3_bind_int64(s, 6, now_ms);
    return store__done(conn, s, "checkpoint put", err);
}

int store_checkpoint_list(struct store_conn *conn, const char *mapping, store_checkpoint_fn fn,
                          void *arg, struct err *err)
{
    sqlite3_stmt *s = store__stmt(conn, STMT_CHECKPOINT_LIST);
    int rc;
    sqlite3_bind_text(s, 1, mapping, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (fn(arg, (const char *)sqlite3_column_text(s, 0), (const char *)sqlite3_column_text(s, 1),
               (const char *)sqlite3_column_text(s, 2), sqlite3_column_int(s, 3)) != 0)
            break;
    }
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store__error(conn, "checkpoint list", err);
    return 0;
}

int store_record_created(struct store_conn *conn, int64_t seq, int64_t *ms, struct err *err)
{
    sqlite3_stmt *s = store__stmt(conn, STMT_RECORD_CREATED);
    int rc;
    sqlite3_bind_int64(s, 1, seq);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *ms = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store__error(conn, "record created", err);
    return rc == SQLITE_ROW;
}

int store_table_namespaces(struct store_conn *conn, const char *name, store_namespace_fn fn,
                           void *arg, struct err *err)
{
    sqlite3_stmt *s = store__stmt(conn, STMT_TABLE_NAMESPACES);
    int rc;
    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (fn(arg, (const char *)sqlite3_column_text(s, 0),
               (const char *)sqlite3_column_text(s, 1)) != 0)
            break;
    }
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store__error(conn, "table namespaces", err);
    return 0;
}
