/* table_create.h — CreateTable in two halves, for an operation that creates a table inside a write
 * of its own (RestoreTableFromBackup creates the target, copies the items and fills the indexes in
 * one transaction): prepare checks a CreateTable request (its spec and DynamoDB's rules) and builds
 * the definition; apply, called in the caller's write, creates the table. op_create_table is the
 * two together. */
#ifndef DYNASTREAM_TABLE_CREATE_H
#define DYNASTREAM_TABLE_CREATE_H

#include <jansson.h>
#include <stdint.h>

#include "errors.h"
#include "request.h"

struct store_conn;

struct table_create {
    struct request req;    /* the caller's request with the CreateTable body (borrowed) */
    json_t *def;           /* the definition to store (owned until described) */
    int64_t id;            /* the new table's id, after apply */
    int64_t now_ms;        /* its creation time */
};

/* Checks body (a CreateTable request, normalised in place) and prepares its definition. Returns 0,
 * or -1 with err set; release tc with table_create_release either way. */
int table_create_prepare(const struct request *req, json_t *body, struct table_create *tc,
                         struct err *err);
/* Creates the table in the caller's write. A name already taken is ResourceInUseException
 * "Table already exists: <name>". */
int table_create_apply(struct store_conn *w, struct table_create *tc, struct err *err);
/* The created table's TableDescription (status CREATING), a new reference; NULL on error. */
json_t *table_create_describe(struct table_create *tc, struct err *err);
void table_create_release(struct table_create *tc);

#endif
