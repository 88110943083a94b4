/* store.c — SQLite storage (see store.h). Opens one database in WAL mode, applies the compiled-in
 * schema migrations (schema/NNN_*.sql, version in PRAGMA user_version), and keeps a fixed pool of
 * connections, each with every statement of store_sql.h prepared once. --in-memory uses a private
 * directory on a RAM filesystem (/dev/shm) so that all connections share one WAL database with the
 * same concurrency as a file (readers never block the writer); it is removed at close.
 * Writers queue on a process mutex before BEGIN IMMEDIATE (SQLite's busy handler sleeps in
 * milliseconds, far too coarse for a local server). */
#include "store.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "schema_sql.h"

enum stmt_id {
#define STMT(id, sql) STMT_##id,
#include "store_sql.h"
#undef STMT
    STMT__COUNT
};

static const char *const stmt_sql[STMT__COUNT] = {
#define STMT(id, sql) [STMT_##id] = sql,
#include "store_sql.h"
#undef STMT
};

struct store_conn {
    sqlite3 *db;
    sqlite3_stmt *stmt[STMT__COUNT];
    int holds_write_lock;          /* this connection holds store->write_mutex */
    struct store *store;
    struct store_conn *next_free;
};

struct store {
    char path[4096];               /* database file */
    char tmpdir[3072];             /* in-memory: the RAM directory to remove at close, else "" */
    int nconns;
    struct store_conn *conns;
    struct store_conn *free_list;
    pthread_mutex_t pool_mutex;
    pthread_cond_t pool_cond;
    pthread_mutex_t write_mutex;
};

/* ---- helpers ----------------------------------------------------------------------------- */

static int sql_error(struct store_conn *conn, const char *what, struct err *err)
{
    return err_set(err, ERR_INTERNAL, "sqlite: %s: %s", what, sqlite3_errmsg(conn->db));
}

static sqlite3_stmt *stmt_get(struct store_conn *conn, enum stmt_id id)
{
    sqlite3_stmt *s = conn->stmt[id];
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return s;
}

/* Runs a statement that returns no rows. */
static int stmt_done(struct store_conn *conn, sqlite3_stmt *s, const char *what, struct err *err)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return sql_error(conn, what, err);
    return 0;
}

static void bind_key(sqlite3_stmt *s, int first, const struct store_key *key)
{
    sqlite3_bind_int64(s, first, (sqlite3_int64)key->hash);
    sqlite3_bind_blob(s, first + 1, key->hk, (int)key->hk_len, SQLITE_STATIC);
    sqlite3_bind_blob(s, first + 2, key->rk_len ? (const void *)key->rk : (const void *)"",
                      (int)key->rk_len, SQLITE_STATIC);
}

static int exec_sql(sqlite3 *db, const char *sql, struct err *err)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        err_set(err, ERR_INTERNAL, "sqlite: %s", msg ? msg : "error");
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

/* ---- opening ----------------------------------------------------------------------------- */

static int migrate(sqlite3 *db, struct err *err)
{
    sqlite3_stmt *s = NULL;
    int version = 0;

    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL) != SQLITE_OK)
        return err_set(err, ERR_INTERNAL, "sqlite: %s", sqlite3_errmsg(db));
    if (sqlite3_step(s) == SQLITE_ROW)
        version = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);

    for (const struct schema_migration *m = schema_migrations; m->version != 0; m++) {
        char pragma[64];
        if (m->version <= version)
            continue;
        log_info("schema: applying %s", m->file);
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", m->version);
        if (exec_sql(db, "BEGIN IMMEDIATE", err) < 0)
            return -1;
        if (exec_sql(db, m->sql, err) < 0 || exec_sql(db, pragma, err) < 0) {
            exec_sql(db, "ROLLBACK", NULL);
            return -1;
        }
        if (exec_sql(db, "COMMIT", err) < 0)
            return -1;
        version = m->version;
    }
    return 0;
}

static int conn_open(struct store *store, struct store_conn *conn, int durable, int in_memory,
                     struct err *err)
{
    char pragmas[256];
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;

    conn->store = store;
    if (sqlite3_open_v2(store->path, &conn->db, flags, NULL) != SQLITE_OK)
        return err_set(err, ERR_INTERNAL, "cannot open %s: %s", store->path,
                       conn->db ? sqlite3_errmsg(conn->db) : "out of memory");
    sqlite3_busy_timeout(conn->db, 10000);
    snprintf(pragmas, sizeof pragmas,
             "PRAGMA journal_mode=WAL; PRAGMA synchronous=%s; PRAGMA cache_size=-8000;"
             "PRAGMA temp_store=MEMORY;",
             in_memory ? "OFF" : durable ? "FULL" : "NORMAL");
    if (exec_sql(conn->db, pragmas, err) < 0)
        return -1;
    return 0;
}

static int conn_prepare(struct store_conn *conn, struct err *err)
{
    for (int i = 0; i < STMT__COUNT; i++) {
        if (sqlite3_prepare_v3(conn->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
                               &conn->stmt[i], NULL) != SQLITE_OK)
            return err_set(err, ERR_INTERNAL, "sqlite: preparing \"%s\": %s", stmt_sql[i],
                           sqlite3_errmsg(conn->db));
    }
    return 0;
}

static void conn_close(struct store_conn *conn)
{
    for (int i = 0; i < STMT__COUNT; i++)
        sqlite3_finalize(conn->stmt[i]);
    if (conn->db != NULL)
        sqlite3_close(conn->db);
}

static int make_dirs(const char *dir, struct err *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s", dir);
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(path, 0755) < 0 && errno != EEXIST)
            return err_set(err, ERR_INTERNAL, "cannot create %s: %s", path, strerror(errno));
        *p = '/';
    }
    if (mkdir(path, 0755) < 0 && errno != EEXIST)
        return err_set(err, ERR_INTERNAL, "cannot create %s: %s", path, strerror(errno));
    return 0;
}

static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[4200];
    if (d == NULL)
        return;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        unlink(path);
    }
    closedir(d);
    rmdir(dir);
}

int store_open(const struct store_options *opts, struct store **out, struct err *err)
{
    struct store *store = calloc(1, sizeof *store);
    if (store == NULL)
        return err_set(err, ERR_INTERNAL, "out of memory");
    pthread_mutex_init(&store->pool_mutex, NULL);
    pthread_cond_init(&store->pool_cond, NULL);
    pthread_mutex_init(&store->write_mutex, NULL);

    if (opts->in_memory) {
        const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : (getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
        snprintf(store->tmpdir, sizeof store->tmpdir, "%s/dynastream-XXXXXX", base);
        if (mkdtemp(store->tmpdir) == NULL) {
            err_set(err, ERR_INTERNAL, "cannot create a directory in %s: %s", base, strerror(errno));
            store->tmpdir[0] = '\0';
            goto fail;
        }
        snprintf(store->path, sizeof store->path, "%s/dynastream.db", store->tmpdir);
    } else {
        if (make_dirs(opts->dir, err) < 0)
            goto fail;
        if (strlen(opts->dir) > 3000) {
            err_set(err, ERR_INTERNAL, "database directory path is too long");
            goto fail;
        }
        snprintf(store->path, sizeof store->path, "%.3000s/dynastream.db", opts->dir);
    }

    store->nconns = opts->connections > 0 ? opts->connections : 1;
    store->conns = calloc((size_t)store->nconns, sizeof *store->conns);
    if (store->conns == NULL) {
        err_set(err, ERR_INTERNAL, "out of memory");
        goto fail;
    }
    for (int i = 0; i < store->nconns; i++) {
        if (conn_open(store, &store->conns[i], opts->durable, opts->in_memory, err) < 0)
            goto fail;
        if (i == 0 && migrate(store->conns[0].db, err) < 0)
            goto fail;
        if (conn_prepare(&store->conns[i], err) < 0)
            goto fail;
        store->conns[i].next_free = store->free_list;
        store->free_list = &store->conns[i];
    }
    *out = store;
    return 0;

fail:
    store_close(store);
    return -1;
}

void store_close(struct store *store)
{
    if (store == NULL)
        return;
    for (int i = 0; store->conns != NULL && i < store->nconns; i++)
        conn_close(&store->conns[i]);
    free(store->conns);
    if (store->tmpdir[0] != '\0')
        remove_dir(store->tmpdir);
    pthread_mutex_destroy(&store->pool_mutex);
    pthread_cond_destroy(&store->pool_cond);
    pthread_mutex_destroy(&store->write_mutex);
    free(store);
}

struct store_conn *store_acquire(struct store *store)
{
    struct store_conn *conn;
    pthread_mutex_lock(&store->pool_mutex);
    while (store->free_list == NULL)
        pthread_cond_wait(&store->pool_cond, &store->pool_mutex);
    conn = store->free_list;
    store->free_list = conn->next_free;
    pthread_mutex_unlock(&store->pool_mutex);
    return conn;
}

void store_release(struct store *store, struct store_conn *conn)
{
    if (conn == NULL)
        return;
    if (!sqlite3_get_autocommit(conn->db)) {
        /* an op returned with a transaction open: a bug, but never leave the lock held */
        log_error("store: connection released inside a transaction; rolling back");
        store_rollback(conn);
    }
    pthread_mutex_lock(&store->pool_mutex);
    conn->next_free = store->free_list;
    store->free_list = conn;
    pthread_cond_signal(&store->pool_cond);
    pthread_mutex_unlock(&store->pool_mutex);
}

/* ---- transactions ------------------------------------------------------------------------ */

int store_begin_read(struct store_conn *conn, struct err *err)
{
    return stmt_done(conn, stmt_get(conn, STMT_BEGIN_READ), "begin", err);
}

int store_begin_write(struct store_conn *conn, struct err *err)
{
    pthread_mutex_lock(&conn->store->write_mutex);
    conn->holds_write_lock = 1;
    if (stmt_done(conn, stmt_get(conn, STMT_BEGIN_WRITE), "begin immediate", err) < 0) {
        conn->holds_write_lock = 0;
        pthread_mutex_unlock(&conn->store->write_mutex);
        return -1;
    }
    return 0;
}

static void release_write_lock(struct store_conn *conn)
{
    if (conn->holds_write_lock) {
        conn->holds_write_lock = 0;
        pthread_mutex_unlock(&conn->store->write_mutex);
    }
}

int store_commit(struct store_conn *conn, struct err *err)
{
    int rc = stmt_done(conn, stmt_get(conn, STMT_COMMIT), "commit", err);
    if (rc < 0)
        store_rollback(conn);
    release_write_lock(conn);
    return rc;
}

void store_rollback(struct store_conn *conn)
{
    if (!sqlite3_get_autocommit(conn->db)) {
        /* reset every statement first: a pending read would otherwise keep the snapshot */
        for (int i = 0; i < STMT__COUNT; i++)
            sqlite3_reset(conn->stmt[i]);
        sqlite3_step(stmt_get(conn, STMT_ROLLBACK));
        sqlite3_reset(conn->stmt[STMT_ROLLBACK]);
    }
    release_write_lock(conn);
}

/* ---- tables ------------------------------------------------------------------------------ */

void store_table_row_free(struct store_table *row)
{
    if (row == NULL)
        return;
    free(row->definition);
    row->definition = NULL;
}

int store_table_get(struct store_conn *conn, const char *account, const char *region,
                    const char *name, struct store_table *out, struct err *err)
{
    sqlite3_stmt *s = stmt_get(conn, STMT_TABLE_GET);
    int rc;

    sqlite3_bind_text(s, 1, account, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, region, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, name, -1, SQLITE_STATIC);
    rc = sqlite3_step(s);
    if (rc == SQLITE_DONE) {
        sqlite3_reset(s);
        return 0;
    }
    if (rc != SQLITE_ROW) {
        sqlite3_reset(s);
        return sql_error(conn, "table get", err);
    }
    out->id = sqlite3_column_int64(s, 0);
    out->version = sqlite3_column_int64(s, 1);
    out->definition = strdup((const char *)sqlite3_column_text(s, 2));
    out->item_count = sqlite3_column_int64(s, 3);
    out->size_bytes = sqlite3_column_int64(s, 4);
    sqlite3_reset(s);
    if (out->definition == NULL)
        return err_set(err, ERR_INTERNAL, "out of memory");
    return 1;
}

int store_table_create(struct store_conn *conn, const char *account, const char *region,
                       const char *name, const char *definition, int64_t *id, struct err *err)
{
    sqlite3_stmt *s = stmt_get(conn, STMT_TABLE_INSERT);
    sqlite3_bind_text(s, 1, account, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, region, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, definition, -1, SQLITE_STATIC);
    if (stmt_done(conn, s, "table insert", err) < 0)
        return -1;
    if (sqlite3_changes(conn->db) == 0)
        return 0;
    *id = sqlite3_last_insert_rowid(conn->db);
    return 1;
}

int store_table_set_definition(struct store_conn *conn, int64_t id, const char *definition,
                               struct err *err)
{
    sqlite3_stmt *s = stmt_get(conn, STMT_TABLE_SET_DEF);
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_text(s, 2, definition, -1, SQLITE_STATIC);
    return stmt_done(conn, s, "table update", err);
}

int store_table_delete(struct store_conn *conn, int64_t id, struct err *err)
{
    sqlite3_stmt *s = stmt_get(conn, STMT_TABLE_ITEMS_DELETE);
    sqlite3_bind_int64(s, 1, id);
    if (stmt_done(conn, s, "table items delete", err) < 0)
        return -1;
    s = stmt_get(conn, STMT_TABLE_DELETE);
    sqlite3_bind_int64(s, 1, id);
    return stmt_done(conn, s, "table delete", err);
}

int store_table_add_stats(struct store_conn *conn, int64_t id, int64_t count_delta,
                          int64_t size_delta, struct err *err)
{
    sqlite3_stmt *s;
    if (count_delta == 0 && size_delta == 0)
        return 0;
    s = stmt_get(conn, STMT_TABLE_STATS);
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, count_delta);
    sqlite3_bind_int64(s, 3, size_delta);
    return stmt_done(conn, s, "table stats", err);
}

int store_table_names(struct store_conn *conn, const char *account, const char *region,
                      const char *after, store_name_fn fn, void *arg, struct err *err)
{
    sqlite3_stmt *s = stmt_get(conn, STMT_TABLE_NAMES);
    int rc;
    sqlite3_bind_text(s, 1, account, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, region, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, after ? after : "", -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (fn(arg, (const char *)sqlite3_column_text(s, 0)) != 0)
            break;
    }
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sql_error(conn, "table names", err);
    return 0;
}

/* ---- items ------------------------------------------------------------------------------- */

int store_item_get(struct store_conn *conn, int64_t table_id, const struct store_key *key,
                   char **json, int64_t *size, struct err *err)
{
    sqlite3_stmt *s = stmt_get(conn, STMT_ITEM_GET);
    int rc;

    sqlite3_bind_int64(s, 1, table_id);
    bind_key(s, 2, key);
    rc = sqlite3_step(s);
    if (rc == SQLITE_DONE) {
        sqlite3_reset(s);
        return 0;
    }
    if (rc != SQLITE_ROW) {
        sqlite3_reset(s);
        return sql_error(conn, "item get", err);
    }
    {
        int n = sqlite3_column_bytes(s, 0);
        const unsigned char *text = sqlite3_column_text(s, 0);
        *json = malloc((size_t)n + 1);
        if (*json != NULL) {
            memcpy(*json, text, (size_t)n);
            (*json)[n] = '\0';
        }
    }
    if (size != NULL)
        *size = sqlite3_column_int64(s, 1);
    sqlite3_reset(s);
    if (*json == NULL)
        return err_set(err, ERR_INTERNAL, "out of memory");
    return 1;
}

int store_item_put(struct store_conn *conn, int64_t table_id, const struct store_key *key,
                   const char *json, size_t json_len, int64_t size, struct err *err)
{
    sqlite3_stmt *s = stmt_get(conn, STMT_ITEM_PUT);
    sqlite3_bind_int64(s, 1, table_id);
    bind_key(s, 2, key);
    sqlite3_bind_int64(s, 5, size);
    sqlite3_bind_text(s, 6, json, (int)json_len, SQLITE_STATIC);
    return stmt_done(conn, s, "item put", err);
}

int store_item_delete(struct store_conn *conn, int64_t table_id, const struct store_key *key,
                      struct err *err)
{
    sqlite3_stmt *s = stmt_get(conn, STMT_ITEM_DELETE);
    sqlite3_bind_int64(s, 1, table_id);
    bind_key(s, 2, key);
    return stmt_done(conn, s, "item delete", err);
}

int store_item_scan(struct store_conn *conn, int64_t table_id, uint64_t hash_lo, uint64_t hash_hi,
                    const struct store_key *after, store_item_fn fn, void *arg, struct err *err)
{
    sqlite3_stmt *s = stmt_get(conn, after ? STMT_ITEM_SCAN_AFTER : STMT_ITEM_SCAN);
    int rc;

    sqlite3_bind_int64(s, 1, table_id);
    sqlite3_bind_int64(s, 2, (sqlite3_int64)hash_lo);
    sqlite3_bind_int64(s, 3, (sqlite3_int64)hash_hi);
    if (after != NULL)
        bind_key(s, 4, after);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct store_key key = {
            .hash = (uint32_t)sqlite3_column_int64(s, 0),
            .hk = sqlite3_column_blob(s, 1),
            .hk_len = (size_t)sqlite3_column_bytes(s, 1),
            .rk = sqlite3_column_blob(s, 2),
            .rk_len = (size_t)sqlite3_column_bytes(s, 2),
        };
        const char *json = (const char *)sqlite3_column_text(s, 3);
        size_t json_len = (size_t)sqlite3_column_bytes(s, 3);
        if (fn(arg, &key, json, json_len, sqlite3_column_int64(s, 4)) != 0)
            break;
    }
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sql_error(conn, "item scan", err);
    return 0;
}
