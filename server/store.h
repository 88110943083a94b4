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

/* Transactions. store_begin_write serialises writers on a process mutex before BEGIN IMMEDIATE,
 * so waiting writers queue instead of spinning in SQLite's busy handler. store_commit and
 * store_rollback end either kind. A read transaction sees one snapshot and never blocks writers. */
int store_begin_read(struct store_conn *conn, struct err *err);
int store_begin_write(struct store_conn *conn, struct err *err);
int store_commit(struct store_conn *conn, struct err *err);
void store_rollback(struct store_conn *conn);

/* ---- tables ---------------------------------------------------------------------------- */

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
 * 0 when absent, -1 on error. */
int store_table_get(struct store_conn *conn, const char *account, const char *region,
                    const char *name, struct store_table *out, struct err *err);
/* Inserts a table. Returns 1 and sets *id, 0 if the name is taken, -1 on error. */
int store_table_create(struct store_conn *conn, const char *account, const char *region,
                       const char *name, const char *definition, int64_t *id, struct err *err);
/* Replaces a table's definition and bumps its version. */
int store_table_set_definition(struct store_conn *conn, int64_t id, const char *definition,
                               struct err *err);
/* Deletes a table and all its items. */
int store_table_delete(struct store_conn *conn, int64_t id, struct err *err);
/* Adds to a table's item count and size (in the caller's write transaction). */
int store_table_add_stats(struct store_conn *conn, int64_t id, int64_t count_delta,
                          int64_t size_delta, struct err *err);
/* Calls fn for the names of the namespace's tables in name order, starting after `after` (or from
 * the first when NULL), until fn returns non-zero. */
typedef int (*store_name_fn)(void *arg, const char *name);
int store_table_names(struct store_conn *conn, const char *account, const char *region,
                      const char *after, store_name_fn fn, void *arg, struct err *err);

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

/* Scan callback: the item's key, its JSON (borrowed, valid during the call) and size.
 * Returns 0 to continue, non-zero to stop. */
typedef int (*store_item_fn)(void *arg, const struct store_key *key, const char *json,
                             size_t json_len, int64_t size);
/* Visits a table's items in (hash, hk, rk) order with hash in [hash_lo, hash_hi), starting after
 * `after` when not NULL, until fn returns non-zero or the items end. */
int store_item_scan(struct store_conn *conn, int64_t table_id, uint64_t hash_lo, uint64_t hash_hi,
                    const struct store_key *after, store_item_fn fn, void *arg, struct err *err);

#endif
