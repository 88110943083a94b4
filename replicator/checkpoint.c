/* checkpoint.c — the standalone replicator's checkpoint file (see checkpoint.h). Its own small
 * schema, versioned with PRAGMA user_version; every statement is a constant with bound parameters,
 * prepared once at open. It is the only file of the standalone replicator that knows SQL (the
 * server's SQL stays in server/store*.c; this file never opens the server's database). */
#include "checkpoint.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SCHEMA_VERSION 1

static const char SCHEMA[] =
    "CREATE TABLE IF NOT EXISTS checkpoints ("
    "  mapping    TEXT    NOT NULL,"             /* mapping id, \"SOURCE=TARGET\" */
    "  shard_id   TEXT    NOT NULL,"
    "  stream_arn TEXT    NOT NULL,"
    "  sequence   TEXT,"                         /* last SequenceNumber applied; NULL: none yet */
    "  done       INTEGER NOT NULL DEFAULT 0,"   /* 1: shard read to its end (or skipped) */
    "  updated_ms INTEGER NOT NULL,"
    "  PRIMARY KEY (mapping, shard_id)"
    ") WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS mappings ("
    "  mapping         TEXT PRIMARY KEY,"
    "  source_endpoint TEXT NOT NULL,"
    "  target_endpoint TEXT NOT NULL,"
    "  updated_ms      INTEGER NOT NULL"
    ") WITHOUT ROWID;";

enum { ST_PUT, ST_LIST, ST_MAP_GET, ST_MAP_PUT, ST__COUNT };

static const char *const SQL[ST__COUNT] = {
    [ST_PUT] = "INSERT INTO checkpoints (mapping, shard_id, stream_arn, sequence, done, updated_ms)"
               " VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
               " ON CONFLICT (mapping, shard_id) DO UPDATE SET stream_arn = ?3,"
               " sequence = coalesce(?4, sequence), done = max(done, ?5), updated_ms = ?6",
    [ST_LIST] = "SELECT stream_arn, shard_id, sequence, done FROM checkpoints WHERE mapping = ?1"
                " ORDER BY updated_ms, shard_id",
    [ST_MAP_GET] = "SELECT source_endpoint, target_endpoint FROM mappings WHERE mapping = ?1",
    [ST_MAP_PUT] = "INSERT INTO mappings (mapping, source_endpoint, target_endpoint, updated_ms)"
                   " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (mapping) DO UPDATE SET"
                   " source_endpoint = ?2, target_endpoint = ?3, updated_ms = ?4",
};

struct checkpoint_db {
    sqlite3 *db;
    sqlite3_stmt *st[ST__COUNT];
    char *path;
};

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int db_error(struct checkpoint_db *c, const char *what, struct err *err)
{
    return err_set(err, ERR_INTERNAL, "checkpoint file %s: %s: %s", c->path, what,
                   sqlite3_errmsg(c->db));
}

int checkpoint_open(const char *path, struct checkpoint_db **out, struct err *err)
{
    struct checkpoint_db *c = calloc(1, sizeof *c);
    sqlite3_stmt *s = NULL;
    int version = 0;

    *out = NULL;
    if (c == NULL || (c->path = strdup(path)) == NULL) {
        free(c);
        return err_set(err, ERR_INTERNAL, "out of memory");
    }
    if (sqlite3_open_v2(path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        db_error(c, "cannot open", err);
        goto fail;
    }
    sqlite3_busy_timeout(c->db, 5000);
    if (sqlite3_prepare_v2(c->db, "PRAGMA user_version", -1, &s, NULL) != SQLITE_OK ||
        sqlite3_step(s) != SQLITE_ROW) {
        db_error(c, "not a SQLite database", err);
        goto fail;
    }
    version = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    s = NULL;
    if (version > SCHEMA_VERSION) {
        err_set(err, ERR_INTERNAL, "checkpoint file %s: schema version %d is newer than this "
                "replicator's (%d)", path, version, SCHEMA_VERSION);
        goto fail;
    }
    if (sqlite3_exec(c->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", NULL, NULL,
                     NULL) != SQLITE_OK ||
        sqlite3_exec(c->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
        db_error(c, "cannot set up", err);
        goto fail;
    }
    if (sqlite3_exec(c->db, SCHEMA, NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(c->db, "PRAGMA user_version = 1", NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        db_error(c, "cannot create the schema", err);
        sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
        goto fail;
    }
    for (int i = 0; i < ST__COUNT; i++)
        if (sqlite3_prepare_v2(c->db, SQL[i], -1, &c->st[i], NULL) != SQLITE_OK) {
            db_error(c, "cannot prepare a statement", err);
            goto fail;
        }
    *out = c;
    return 0;
fail:
    sqlite3_finalize(s);
    checkpoint_close(c);
    return -1;
}

void checkpoint_close(struct checkpoint_db *c)
{
    if (c == NULL)
        return;
    for (int i = 0; i < ST__COUNT; i++)
        sqlite3_finalize(c->st[i]);
    sqlite3_close(c->db);
    free(c->path);
    free(c);
}

/* Steps a statement that returns no rows, then resets it. */
static int run(struct checkpoint_db *c, sqlite3_stmt *s, const char *what, struct err *err)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return rc == SQLITE_DONE ? 0 : db_error(c, what, err);
}

int checkpoint_bind(struct checkpoint_db *c, const char *mapping, const char *source_endpoint,
                    const char *target_endpoint, int *changed, struct err *err)
{
    sqlite3_stmt *s = c->st[ST_MAP_GET];
    int rc;

    *changed = 0;
    sqlite3_bind_text(s, 1, mapping, -1, SQLITE_STATIC);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *changed = strcmp((const char *)sqlite3_column_text(s, 0), source_endpoint) != 0 ||
                   strcmp((const char *)sqlite3_column_text(s, 1), target_endpoint) != 0;
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_error(c, "reading the mapping", err);
    s = c->st[ST_MAP_PUT];
    sqlite3_bind_text(s, 1, mapping, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, source_endpoint, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, target_endpoint, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 4, now_ms());
    return run(c, s, "saving the mapping", err);
}

int checkpoint_save(struct checkpoint_db *c, const char *mapping, const struct repl_checkpoint *cp,
                    struct err *err)
{
    sqlite3_stmt *s = c->st[ST_PUT];
    sqlite3_bind_text(s, 1, mapping, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, cp->shard_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, cp->stream_arn, -1, SQLITE_STATIC);
    if (cp->sequence[0] != '\0')
        sqlite3_bind_text(s, 4, cp->sequence, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, 4);
    sqlite3_bind_int(s, 5, cp->done ? 1 : 0);
    sqlite3_bind_int64(s, 6, now_ms());
    return run(c, s, "saving a checkpoint", err);
}

int checkpoint_list(struct checkpoint_db *c, const char *mapping,
                    int (*fn)(void *arg, const struct repl_checkpoint *cp), void *arg,
                    struct err *err)
{
    sqlite3_stmt *s = c->st[ST_LIST];
    int rc;

    sqlite3_bind_text(s, 1, mapping, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct repl_checkpoint cp;
        const char *arn = (const char *)sqlite3_column_text(s, 0);
        const char *shard = (const char *)sqlite3_column_text(s, 1);
        const char *seq = (const char *)sqlite3_column_text(s, 2);
        memset(&cp, 0, sizeof cp);
        snprintf(cp.stream_arn, sizeof cp.stream_arn, "%s", arn ? arn : "");
        snprintf(cp.shard_id, sizeof cp.shard_id, "%s", shard ? shard : "");
        snprintf(cp.sequence, sizeof cp.sequence, "%s", seq ? seq : "");
        cp.done = sqlite3_column_int(s, 3) != 0;
        if (fn(arg, &cp) != 0) {
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return rc == SQLITE_DONE ? 0 : db_error(c, "reading checkpoints", err);
}
