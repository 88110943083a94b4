/* store.c — SQLite storage (see store.h). Opens one database in WAL mode, applies the compiled-in
 * schema migrations (schema/NNN_*.sql, version in PRAGMA user_version), and keeps a fixed pool of
 * connections, each with every statement of store_sql.h prepared once. --in-memory uses a private
 * directory on a RAM filesystem (/dev/shm) so that all connections share one WAL database with the
 * same concurrency as a file (readers never block the writer); it is removed at close, and the
 * directories of killed servers are removed by the next --in-memory start.
 * Writers queue on a process mutex (SQLite's busy handler sleeps in milliseconds, far too coarse
 * for a local server) and then all write through one dedicated connection, whose page cache no
 * other writer invalidates; reads use the pool connections, which see committed data at once. */
#include "store.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "schema_sql.h"
#include "store_internal.h"

static const char *const stmt_sql[STMT__COUNT] = {
#define STMT(id, sql) [STMT_##id] = sql,
#include "store_sql.h"
#undef STMT
};

struct store {
    char path[4096];               /* database file */
    char tmpdir[3072];             /* in-memory: the RAM directory to remove at close, else "" */
    int durable, in_memory;        /* how connections are opened */
    int nconns;
    struct store_conn *conns;
    struct store_conn *free_list;
    pthread_mutex_t pool_mutex;
    pthread_cond_t pool_cond;
    struct db_handle writer;       /* the one connection that writes: its page cache stays warm
                                      because no other connection changes the database */
    struct store_conn writer_conn; /* what write functions are handed (active = &writer) */
    /* group commit: queued writes, and whether some caller is running a batch */
    pthread_mutex_t write_mutex;
    struct write_job *queue_head, *queue_tail;
    int leader_active;
    void (*on_commit)(void *);
    void *on_commit_arg;
    uint64_t batches, jobs;        /* group commit statistics, logged at close */
    /* table definition generation (store_table_generation): made odd by a definition change in
       the open write transaction, made even again once that transaction has ended */
    _Atomic uint64_t table_generation;
};

struct write_job {
    store_write_fn fn;
    void *arg;
    struct err err;                /* the job's own error */
    int rc;
    int done;
    pthread_cond_t cond;           /* wakes exactly this job's thread: done, or its turn to lead */
    struct write_job *next;
};

/* ---- helpers ----------------------------------------------------------------------------- */

int store__error(struct store_conn *conn, const char *what, struct err *err)
{
    return err_set(err, ERR_INTERNAL, "sqlite: %s: %s", what, sqlite3_errmsg(conn->active->db));
}

sqlite3_stmt *store__stmt(struct store_conn *conn, enum stmt_id id)
{
    struct db_handle *h = conn->active;
    sqlite3_stmt *s = h->stmt[id];
    if (s == NULL) {
        /* prepared on first use, once per connection: start-up stays a few milliseconds however
         * many statements and connections there are. On failure s stays NULL, and SQLite's calls
         * on a NULL statement return SQLITE_MISUSE, which the caller reports as an error. */
        if (sqlite3_prepare_v3(h->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT, &h->stmt[id],
                               NULL) != SQLITE_OK)
            log_error("sqlite: preparing \"%s\": %s", stmt_sql[id], sqlite3_errmsg(h->db));
        return h->stmt[id];
    }
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return s;
}

/* Runs a statement that returns no rows. */
int store__done(struct store_conn *conn, sqlite3_stmt *s, const char *what, struct err *err)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return store__error(conn, what, err);
    return 0;
}

void store__bind_key(sqlite3_stmt *s, int first, const struct store_key *key)
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

/* Page cache sizes (KiB): the writer's stays warm with the pages writes touch; readers share the
 * operating system's cache of the file (a RAM file under --in-memory), so theirs is small. Reads
 * are not memory-mapped: with a mapping per connection, resident memory would count the database
 * once per connection (it measured 440 MiB resident for 75 MiB of real use), for no speed measured. */
#define WRITER_CACHE_KIB 16000
#define READER_CACHE_KIB 4000

static int handle_open(struct store *store, struct db_handle *h, int writer, struct err *err)
{
    char pragmas[256];
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;

    if (sqlite3_open_v2(store->path, &h->db, flags, NULL) != SQLITE_OK)
        return err_set(err, ERR_INTERNAL, "cannot open %s: %s", store->path,
                       h->db ? sqlite3_errmsg(h->db) : "out of memory");
    sqlite3_busy_timeout(h->db, 10000);
    /* checkpoints every ~40 MB of WAL instead of 4 MB (fewer copies under steady writes;
     * measured +5-10% PutItem) */
    snprintf(pragmas, sizeof pragmas,
             "PRAGMA journal_mode=WAL; PRAGMA synchronous=%s; PRAGMA cache_size=-%d;"
             "PRAGMA temp_store=MEMORY; PRAGMA wal_autocheckpoint=10000;",
             store->in_memory ? "OFF" : store->durable ? "FULL" : "NORMAL",
             writer ? WRITER_CACHE_KIB : READER_CACHE_KIB);
    if (exec_sql(h->db, pragmas, err) < 0)
        return -1;
    return 0;
}

static void handle_close(struct db_handle *h)
{
    for (int i = 0; i < STMT__COUNT; i++)
        sqlite3_finalize(h->stmt[i]);
    if (h->db != NULL)
        sqlite3_close(h->db);
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

/* Removes the in-memory directories (dynastream-<pid>-XXXXXX) that servers killed without a
 * chance to clean up (SIGKILL, a crash) left in base: those of processes that no longer exist,
 * owned by this user. A RAM filesystem would otherwise fill up with them. */
static void remove_stale_dirs(const char *base)
{
    DIR *d = opendir(base);
    struct dirent *e;
    char path[4200];
    if (d == NULL)
        return;
    while ((e = readdir(d)) != NULL) {
        long pid;
        char rest[16];
        struct stat st;
        if (sscanf(e->d_name, "dynastream-%ld-%15s", &pid, rest) != 2 || pid <= 0 ||
            pid == (long)getpid())
            continue;
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;                      /* alive, or not ours to judge */
        snprintf(path, sizeof path, "%s/%s", base, e->d_name);
        if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == getuid())
            remove_dir(path);
    }
    closedir(d);
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
        remove_stale_dirs(base);
        snprintf(store->tmpdir, sizeof store->tmpdir, "%s/dynastream-%ld-XXXXXX", base,
                 (long)getpid());
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

    store->durable = opts->durable;
    store->in_memory = opts->in_memory;
    store->nconns = opts->connections > 0 ? opts->connections : 1;
    store->conns = calloc((size_t)store->nconns, sizeof *store->conns);
    if (store->conns == NULL) {
        err_set(err, ERR_INTERNAL, "out of memory");
        goto fail;
    }
    if (handle_open(store, &store->writer, 1, err) < 0 ||
        migrate(store->writer.db, err) < 0)
        goto fail;
    store->writer_conn.store = store;
    store->writer_conn.active = &store->writer;
    for (int i = 0; i < store->nconns; i++) {
        struct store_conn *conn = &store->conns[i];
        conn->store = store;
        conn->active = &conn->own;
        /* opened on first use (store_acquire): start-up does not wait for every connection */
        conn->next_free = store->free_list;
        store->free_list = conn;
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
    if (store->batches > 0)
        log_info("store: %llu writes in %llu commits", (unsigned long long)store->jobs,
                 (unsigned long long)store->batches);
    for (int i = 0; store->conns != NULL && i < store->nconns; i++)
        handle_close(&store->conns[i].own);
    free(store->conns);
    handle_close(&store->writer);
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
    if (conn->own.db == NULL) {
        struct err err = ERR_INIT;
        if (handle_open(store, &conn->own, 0, &err) < 0) {
            /* its statements then fail with SQLITE_MISUSE and the request with an
             * InternalServerError; the next acquire tries to open it again */
            log_error("store: %s", err.message ? err.message : "cannot open a connection");
            if (conn->own.db != NULL) {
                sqlite3_close(conn->own.db);
                conn->own.db = NULL;
            }
        }
        err_clear(&err);
    }
    return conn;
}

void store_release(struct store *store, struct store_conn *conn)
{
    if (conn == NULL)
        return;
    if (conn->active->db != NULL && !sqlite3_get_autocommit(conn->active->db)) {
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
    /* the snapshot starts with the transaction's first read, so no earlier than now */
    conn->snapshot_generation = store_table_generation(conn);
    return store__done(conn, store__stmt(conn, STMT_BEGIN_READ), "begin", err);
}

int store_commit(struct store_conn *conn, struct err *err)
{
    int rc = store__done(conn, store__stmt(conn, STMT_COMMIT), "commit", err);
    if (rc < 0)
        store_rollback(conn);
    return rc;
}

void store_rollback(struct store_conn *conn)
{
    struct db_handle *h = conn->active;
    if (h->db != NULL && !sqlite3_get_autocommit(h->db)) {
        /* reset every statement first: a pending read would otherwise keep the snapshot */
        for (int i = 0; i < STMT__COUNT; i++)
            sqlite3_reset(h->stmt[i]);
        sqlite3_step(store__stmt(conn, STMT_ROLLBACK));
        sqlite3_reset(h->stmt[STMT_ROLLBACK]);
    }
}

/* ---- table definition generation ----------------------------------------------------------- */

uint64_t store_table_generation(const struct store_conn *conn)
{
    return atomic_load_explicit(&conn->store->table_generation, memory_order_acquire);
}

/* Outside a transaction the next statement takes a new snapshot; this assumes no statement of
 * conn is still being stepped (no table lookup from inside a row callback). */
uint64_t store_snapshot_generation(const struct store_conn *conn)
{
    if (conn->active->db != NULL && !sqlite3_get_autocommit(conn->active->db))
        return conn->snapshot_generation;
    return store_table_generation(conn);
}

int store_conn_is_writer(const struct store_conn *conn)
{
    return conn == &conn->store->writer_conn;
}

/* A definition changes in the open write transaction: readers stop trusting cached definitions
 * until it has ended (the generation stays odd meanwhile). Called on the writer only. */
static void begin_definition_change(struct store *store)
{
    atomic_fetch_or_explicit(&store->table_generation, 1, memory_order_acq_rel);
}

/* The write transaction has committed or rolled back: a new even generation, so every definition
 * cached before (including any read from the old snapshot meanwhile) is looked up again. */
static void end_definition_change(struct store *store)
{
    uint64_t g = atomic_load_explicit(&store->table_generation, memory_order_acquire);
    if (g & 1)
        atomic_store_explicit(&store->table_generation, g + 1, memory_order_release);
}

/* ---- group commit -------------------------------------------------------------------------- */

#define WRITE_BATCH_MAX 256

/* Runs a batch of jobs in one transaction on the writer connection. Called without the mutex. */
static void run_batch(struct store *store, struct write_job *jobs)
{
    struct store_conn *w = &store->writer_conn;
    struct err begin_err = ERR_INIT;
    int any = 0;

    if (store__done(w, store__stmt(w, STMT_BEGIN_WRITE), "begin immediate", &begin_err) < 0) {
        for (struct write_job *j = jobs; j != NULL; j = j->next) {
            err_set(&j->err, ERR_INTERNAL, "%s", begin_err.message ? begin_err.message : "begin");
            j->rc = -1;
        }
        err_clear(&begin_err);
        return;
    }
    if (jobs->next == NULL) {
        /* a batch of one needs no savepoint: a failed job rolls the transaction back */
        jobs->rc = jobs->fn(w, jobs->arg, &jobs->err);
        for (int i = 0; i < STMT__COUNT; i++)
            sqlite3_reset(w->active->stmt[i]);
        if (jobs->rc < 0) {
            store_rollback(w);
            return;
        }
        any = 1;
    }
    for (struct write_job *j = jobs->next != NULL ? jobs : NULL; j != NULL; j = j->next) {
        if (store__done(w, store__stmt(w, STMT_SAVEPOINT), "savepoint", &j->err) < 0) {
            j->rc = -1;
            continue;
        }
        j->rc = j->fn(w, j->arg, &j->err);
        for (int i = 0; i < STMT__COUNT; i++)
            sqlite3_reset(w->active->stmt[i]);
        if (j->rc < 0 && sqlite3_get_autocommit(w->active->db)) {
            /* the error (disk full, I/O, memory) made SQLite roll the whole transaction back:
             * the jobs before this one are lost too, and none after may run outside it */
            for (struct write_job *k = jobs; k != NULL; k = k->next) {
                if (k->rc == 0)       /* done and lost, or not run: failed jobs keep their error */
                    err_set(&k->err, ERR_INTERNAL, "%s",
                            j->err.message ? j->err.message : "transaction rolled back");
                k->rc = -1;
            }
            return;
        }
        if (j->rc < 0) {
            sqlite3_step(store__stmt(w, STMT_ROLLBACK_TO));
            sqlite3_reset(w->active->stmt[STMT_ROLLBACK_TO]);
        } else {
            any = 1;
        }
        sqlite3_step(store__stmt(w, STMT_RELEASE));
        sqlite3_reset(w->active->stmt[STMT_RELEASE]);
    }
    if (store__done(w, store__stmt(w, STMT_COMMIT), "commit", &begin_err) < 0) {
        store_rollback(w);
        for (struct write_job *j = jobs; j != NULL; j = j->next) {
            if (j->rc == 0)
                err_set(&j->err, ERR_INTERNAL, "%s", begin_err.message ? begin_err.message : "commit");
            j->rc = -1;
        }
        err_clear(&begin_err);
        return;
    }
    if (any && store->on_commit != NULL)
        store->on_commit(store->on_commit_arg);
}

int store_write(struct store *store, store_write_fn fn, void *arg, struct err *err)
{
    struct write_job job = {.fn = fn, .arg = arg, .err = ERR_INIT};
    int rc;

    pthread_cond_init(&job.cond, NULL);
    pthread_mutex_lock(&store->write_mutex);
    if (store->queue_tail != NULL)
        store->queue_tail->next = &job;
    else
        store->queue_head = &job;
    store->queue_tail = &job;

    while (!job.done) {
        if (!store->leader_active) {
            /* lead: take what is queued (ours included), run it, hand results back */
            struct write_job *batch = store->queue_head, *last = batch, *j, *next;
            int n = 1;
            while (last->next != NULL && n < WRITE_BATCH_MAX) {
                last = last->next;
                n++;
            }
            store->queue_head = last->next;
            if (store->queue_head == NULL)
                store->queue_tail = NULL;
            last->next = NULL;
            store->leader_active = 1;
            store->batches++;
            store->jobs += (uint64_t)n;
            pthread_mutex_unlock(&store->write_mutex);

            run_batch(store, batch);
            end_definition_change(store);

            pthread_mutex_lock(&store->write_mutex);
            /* wake each finished job's thread alone (no herd), then the next leader if any */
            for (j = batch; j != NULL; j = next) {
                next = j->next;
                j->done = 1;
                if (j != &job)
                    pthread_cond_signal(&j->cond);
            }
            store->leader_active = 0;
            if (store->queue_head != NULL)
                pthread_cond_signal(&store->queue_head->cond);
        } else {
            pthread_cond_wait(&job.cond, &store->write_mutex);
        }
    }
    pthread_mutex_unlock(&store->write_mutex);
    pthread_cond_destroy(&job.cond);

    rc = job.rc;
    if (rc < 0) {
        /* move the job's error to the caller's */
        if (err != NULL && !err_isset(err)) {
            *err = job.err;
            job.err = (struct err)ERR_INIT;
        }
        err_clear(&job.err);
    }
    return rc;
}

void store_set_on_commit(struct store *store, void (*on_commit)(void *), void *arg)
{
    store->on_commit = on_commit;
    store->on_commit_arg = arg;
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
                    const char *name, store_want_definition_fn want, void *arg,
                    struct store_table *out, struct err *err)
{
    sqlite3_stmt *s = store__stmt(conn, STMT_TABLE_GET);
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
        return store__error(conn, "table get", err);
    }
    out->id = sqlite3_column_int64(s, 0);
    out->version = sqlite3_column_int64(s, 1);
    out->definition = NULL;
    out->item_count = sqlite3_column_int64(s, 3);
    out->size_bytes = sqlite3_column_int64(s, 4);
    if (want == NULL || want(arg, out->id, out->version)) {
        out->definition = strdup((const char *)sqlite3_column_text(s, 2));
        if (out->definition == NULL) {
            sqlite3_reset(s);
            return err_set(err, ERR_INTERNAL, "out of memory");
        }
    }
    sqlite3_reset(s);
    return 1;
}

int store_table_create(struct store_conn *conn, const char *account, const char *region,
                       const char *name, const char *definition, int64_t *id, struct err *err)
{
    sqlite3_stmt *s = store__stmt(conn, STMT_TABLE_INSERT);
    begin_definition_change(conn->store);
    sqlite3_bind_text(s, 1, account, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, region, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, definition, -1, SQLITE_STATIC);
    if (store__done(conn, s, "table insert", err) < 0)
        return -1;
    if (sqlite3_changes(conn->active->db) == 0)
        return 0;
    *id = sqlite3_last_insert_rowid(conn->active->db);
    return 1;
}

int store_table_set_definition(struct store_conn *conn, int64_t id, const char *definition,
                               struct err *err)
{
    sqlite3_stmt *s = store__stmt(conn, STMT_TABLE_SET_DEF);
    begin_definition_change(conn->store);
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_text(s, 2, definition, -1, SQLITE_STATIC);
    return store__done(conn, s, "table update", err);
}

int store_table_delete(struct store_conn *conn, int64_t id, struct err *err)
{
    sqlite3_stmt *s = store__stmt(conn, STMT_TABLE_INDEX_ENTRIES_DELETE);
    begin_definition_change(conn->store);
    sqlite3_bind_int64(s, 1, STORE_INDEX_ID(id, 0));
    sqlite3_bind_int64(s, 2, STORE_INDEX_ID(id + 1, 0));
    if (store__done(conn, s, "table index entries delete", err) < 0)
        return -1;
    s = store__stmt(conn, STMT_TABLE_INDEXES_DELETE);
    sqlite3_bind_int64(s, 1, STORE_INDEX_ID(id, 0));
    sqlite3_bind_int64(s, 2, STORE_INDEX_ID(id + 1, 0));
    if (store__done(conn, s, "table indexes delete", err) < 0)
        return -1;
    s = store__stmt(conn, STMT_TABLE_ITEMS_DELETE);
    sqlite3_bind_int64(s, 1, id);
    if (store__done(conn, s, "table items delete", err) < 0)
        return -1;
    s = store__stmt(conn, STMT_TABLE_DELETE);
    sqlite3_bind_int64(s, 1, id);
    return store__done(conn, s, "table delete", err);
}

int store_items_copy(struct store_conn *conn, int64_t from_id, int64_t to_id, struct err *err)
{
    sqlite3_stmt *s = store__stmt(conn, STMT_ITEMS_COPY);
    sqlite3_bind_int64(s, 1, from_id);
    sqlite3_bind_int64(s, 2, to_id);
    return store__done(conn, s, "items copy", err);
}

int store_table_add_stats(struct store_conn *conn, int64_t id, int64_t count_delta,
                          int64_t size_delta, struct err *err)
{
    sqlite3_stmt *s;
    if (count_delta == 0 && size_delta == 0)
        return 0;
    s = store__stmt(conn, STMT_TABLE_STATS);
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, count_delta);
    sqlite3_bind_int64(s, 3, size_delta);
    return store__done(conn, s, "table stats", err);
}

int store_table_names(struct store_conn *conn, const char *account, const char *region,
                      const char *after, store_name_fn fn, void *arg, struct err *err)
{
    sqlite3_stmt *s = store__stmt(conn, STMT_TABLE_NAMES);
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
        return store__error(conn, "table names", err);
    return 0;
}

int store_ttl_tables(struct store_conn *conn, store_ttl_table_fn fn, void *arg, struct err *err)
{
    sqlite3_stmt *s = store__stmt(conn, STMT_TTL_TABLES);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (fn(arg, sqlite3_column_int64(s, 0), (const char *)sqlite3_column_text(s, 1),
               (const char *)sqlite3_column_text(s, 2), (const char *)sqlite3_column_text(s, 3)) != 0)
            break;
    }
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store__error(conn, "ttl tables", err);
    return 0;
}

/* ---- items ------------------------------------------------------------------------------- */

int store_item_get(struct store_conn *conn, int64_t table_id, const struct store_key *key,
                   char **json, int64_t *size, struct err *err)
{
    sqlite3_stmt *s = store__stmt(conn, STMT_ITEM_GET);
    int rc;

    sqlite3_bind_int64(s, 1, table_id);
    store__bind_key(s, 2, key);
    rc = sqlite3_step(s);
    if (rc == SQLITE_DONE) {
        sqlite3_reset(s);
        return 0;
    }
    if (rc != SQLITE_ROW) {
        sqlite3_reset(s);
        return store__error(conn, "item get", err);
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
    sqlite3_stmt *s = store__stmt(conn, STMT_ITEM_PUT);
    sqlite3_bind_int64(s, 1, table_id);
    store__bind_key(s, 2, key);
    sqlite3_bind_int64(s, 5, size);
    sqlite3_bind_text(s, 6, json, (int)json_len, SQLITE_STATIC);
    return store__done(conn, s, "item put", err);
}

int store_item_delete(struct store_conn *conn, int64_t table_id, const struct store_key *key,
                      struct err *err)
{
    sqlite3_stmt *s = store__stmt(conn, STMT_ITEM_DELETE);
    sqlite3_bind_int64(s, 1, table_id);
    store__bind_key(s, 2, key);
    return store__done(conn, s, "item delete", err);
}

static void blob_column(sqlite3_stmt *s, int col, const uint8_t **p, size_t *len)
{
    *p = sqlite3_column_blob(s, col);
    *len = (size_t)sqlite3_column_bytes(s, col);
    if (*p == NULL)
        *p = (const uint8_t *)"";
}

/* Runs a prepared range statement whose rows are (hash, hk, rk, item, size) for items or
 * (hash, hk, rk, thk, trk, item, size) for index entries, calling fn per row. */
static int visit_rows(struct store_conn *conn, sqlite3_stmt *s, int index_rows, store_item_fn fn,
                      void *arg, const char *what, struct err *err)
{
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct store_entry e;
        int col = 3;
        e.key.hash = (uint32_t)sqlite3_column_int64(s, 0);
        blob_column(s, 1, &e.key.hk, &e.key.hk_len);
        blob_column(s, 2, &e.key.rk, &e.key.rk_len);
        if (index_rows) {
            blob_column(s, 3, &e.thk, &e.thk_len);
            blob_column(s, 4, &e.trk, &e.trk_len);
            col = 5;
        } else {
            e.thk = e.key.hk;
            e.thk_len = e.key.hk_len;
            e.trk = e.key.rk;
            e.trk_len = e.key.rk_len;
        }
        e.json = (const char *)sqlite3_column_text(s, col);
        e.json_len = (size_t)sqlite3_column_bytes(s, col);
        e.size = sqlite3_column_int64(s, col + 1);
        if (fn(arg, &e) != 0)
            break;
    }
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store__error(conn, what, err);
    return 0;
}

static void bind_bytes(sqlite3_stmt *s, int i, const uint8_t *p, size_t len)
{
    sqlite3_bind_blob(s, i, p != NULL && len > 0 ? (const void *)p : (const void *)"", (int)len,
                      SQLITE_STATIC);
}

int store_item_scan(struct store_conn *conn, int64_t table_id, uint64_t hash_lo, uint64_t hash_hi,
                    const struct store_key *after, store_item_fn fn, void *arg, struct err *err)
{
    sqlite3_stmt *s = store__stmt(conn, after ? STMT_ITEM_SCAN_AFTER : STMT_ITEM_SCAN);
    sqlite3_bind_int64(s, 1, table_id);
    sqlite3_bind_int64(s, 2, (sqlite3_int64)hash_lo);
    sqlite3_bind_int64(s, 3, (sqlite3_int64)hash_hi);
    if (after != NULL)
        store__bind_key(s, 4, after);
    return visit_rows(conn, s, 0, fn, arg, "item scan", err);
}

int store_index_scan(struct store_conn *conn, int64_t index_id, uint64_t hash_lo, uint64_t hash_hi,
                     const struct store_entry *after, store_item_fn fn, void *arg,
                     struct err *err)
{
    sqlite3_stmt *s = store__stmt(conn, STMT_INDEX_SCAN);
    sqlite3_bind_int64(s, 1, index_id);
    sqlite3_bind_int64(s, 2, (sqlite3_int64)hash_lo);
    sqlite3_bind_int64(s, 3, (sqlite3_int64)hash_hi);
    if (after != NULL) {
        store__bind_key(s, 4, &after->key);
        bind_bytes(s, 7, after->thk, after->thk_len);
        bind_bytes(s, 8, after->trk, after->trk_len);
    } else {
        sqlite3_bind_int64(s, 4, -1);   /* before every hash */
        bind_bytes(s, 5, NULL, 0);
        bind_bytes(s, 6, NULL, 0);
        bind_bytes(s, 7, NULL, 0);
        bind_bytes(s, 8, NULL, 0);
    }
    return visit_rows(conn, s, 1, fn, arg, "index scan", err);
}

int store_query(struct store_conn *conn, int64_t table_id, int64_t index_id,
                const struct store_range *r, store_item_fn fn, void *arg, struct err *err)
{
    sqlite3_stmt *s;
    if (index_id == 0) {
        s = store__stmt(conn, r->descending ? STMT_QUERY_DESC : STMT_QUERY_ASC);
        sqlite3_bind_int64(s, 1, table_id);
    } else {
        s = store__stmt(conn, r->descending ? STMT_INDEX_QUERY_DESC : STMT_INDEX_QUERY_ASC);
        sqlite3_bind_int64(s, 1, index_id);
    }
    sqlite3_bind_int64(s, 2, (sqlite3_int64)r->hash);
    bind_bytes(s, 3, r->hk, r->hk_len);
    if (index_id == 0) {
        bind_bytes(s, 4, r->lo[0], r->lo_len[0]);
        bind_bytes(s, 5, r->hi[0], r->hi_len[0]);
    } else {
        for (int i = 0; i < 3; i++) {
            bind_bytes(s, 4 + i, r->lo[i], r->lo_len[i]);
            bind_bytes(s, 7 + i, r->hi[i], r->hi_len[i]);
        }
    }
    return visit_rows(conn, s, index_id != 0, fn, arg, "query", err);
}

/* ---- indexes ------------------------------------------------------------------------------ */

int store_index_delete(struct store_conn *conn, int64_t index_id, struct err *err)
{
    sqlite3_stmt *s = store__stmt(conn, STMT_INDEX_ENTRIES_DELETE);
    sqlite3_bind_int64(s, 1, index_id);
    if (store__done(conn, s, "index entries delete", err) < 0)
        return -1;
    s = store__stmt(conn, STMT_INDEX_DELETE);
    sqlite3_bind_int64(s, 1, index_id);
    return store__done(conn, s, "index delete", err);
}

int store_index_stats(struct store_conn *conn, int64_t index_id, int64_t *item_count,
                      int64_t *size_bytes, struct err *err)
{
    sqlite3_stmt *s = store__stmt(conn, STMT_INDEX_GET_STATS);
    int rc;
    sqlite3_bind_int64(s, 1, index_id);
    *item_count = *size_bytes = 0;
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *item_count = sqlite3_column_int64(s, 0);
        *size_bytes = sqlite3_column_int64(s, 1);
    }
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store__error(conn, "index stats", err);
    return 0;
}

int store_index_put(struct store_conn *conn, int64_t index_id, const struct store_key *ik,
                    const struct store_key *tk, const char *json, size_t json_len, int64_t size,
                    struct err *err)
{
    sqlite3_stmt *s = store__stmt(conn, STMT_INDEX_PUT);
    sqlite3_bind_int64(s, 1, index_id);
    store__bind_key(s, 2, ik);
    bind_bytes(s, 5, tk->hk, tk->hk_len);
    bind_bytes(s, 6, tk->rk, tk->rk_len);
    sqlite3_bind_int64(s, 7, size);
    sqlite3_bind_text(s, 8, json, (int)json_len, SQLITE_STATIC);
    return store__done(conn, s, "index put", err);
}

int store_index_del(struct store_conn *conn, int64_t index_id, const struct store_key *ik,
                    const struct store_key *tk, struct err *err)
{
    sqlite3_stmt *s = store__stmt(conn, STMT_INDEX_DEL);
    sqlite3_bind_int64(s, 1, index_id);
    store__bind_key(s, 2, ik);
    bind_bytes(s, 5, tk->hk, tk->hk_len);
    bind_bytes(s, 6, tk->rk, tk->rk_len);
    return store__done(conn, s, "index delete entry", err);
}

int store_index_add_stats(struct store_conn *conn, int64_t index_id, int64_t count_delta,
                          int64_t size_delta, struct err *err)
{
    sqlite3_stmt *s;
    if (count_delta == 0 && size_delta == 0)
        return 0;
    s = store__stmt(conn, STMT_INDEX_STATS);
    sqlite3_bind_int64(s, 1, index_id);
    sqlite3_bind_int64(s, 2, count_delta);
    sqlite3_bind_int64(s, 3, size_delta);
    return store__done(conn, s, "index stats", err);
}
