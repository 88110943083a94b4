/* store_internal.h — what the store*.c files share and nobody else sees: the statement ids of
 * store_sql.h, a connection's layout, and the statement helpers. Only store*.c include it. */
#ifndef DYNASTREAM_STORE_INTERNAL_H
#define DYNASTREAM_STORE_INTERNAL_H

#include <sqlite3.h>

#include "store.h"

enum stmt_id {
#define STMT(id, sql) STMT_##id,
#include "store_sql.h"
#undef STMT
    STMT__COUNT
};


/* One SQLite connection with its prepared statements. */
struct db_handle {
    sqlite3 *db;
    sqlite3_stmt *stmt[STMT__COUNT];
};

/* What a request holds: its own read connection, and while it writes, the shared writer. */
struct store_conn {
    struct db_handle own;          /* this pool slot's connection (reads) */
    struct db_handle *active;      /* &own, or &store->writer inside a write transaction */
    struct store *store;
    struct store_conn *next_free;
    uint64_t snapshot_generation;  /* table generation when its read transaction began */
};

/* A statement, reset and with its bindings cleared, of the connection's active handle. */
sqlite3_stmt *store__stmt(struct store_conn *conn, enum stmt_id id);
/* Steps a statement that returns no rows (or whose row is ignored) and resets it. */
int store__done(struct store_conn *conn, sqlite3_stmt *s, const char *what, struct err *err);
/* InternalServerError with SQLite's message. Returns -1. */
int store__error(struct store_conn *conn, const char *what, struct err *err);
/* Binds (hash, hk, rk) of a key at parameters first..first+2. */
void store__bind_key(sqlite3_stmt *s, int first, const struct store_key *key);

#endif
