/* request.h — what an operation handler sees of a request: the operation, the parsed body, the
 * caller's account and region (from the SigV4 credential), and the store. No HTTP types here:
 * everything below dispatch works on this struct only. */
#ifndef DYNASTREAM_REQUEST_H
#define DYNASTREAM_REQUEST_H

#include <jansson.h>

#include "errors.h"

struct store;
struct store_conn;
struct config;
struct table_cache;

struct request {
    const char *op;              /* wire name of the operation, e.g. "PutItem" */
    json_t *body;                /* parsed request body, owned by dispatch, normalised by reqspec */
    const char *account;         /* table namespace: access key id, or "shared" under --shared-db */
    const char *region;          /* table namespace: the credential scope's region, or "" under
                                    --shared-db (one set of tables for all keys and regions) */
    const char *arn_region;      /* the credential scope's region, for the ARNs of new resources */
    const char *request_id;      /* x-amzn-RequestId of this request */
    struct store *store;         /* the database (store.h) */
    struct store_conn *db;       /* this request's database connection, acquired by dispatch */
    struct table_cache *tables;  /* parsed table definitions (table.h) */
    const struct config *config; /* server settings (config.h) */
    char *raw_response;          /* an op may answer with a ready JSON text (malloc'd) instead of *out */
};

/* Every operation handler has this signature: on success it returns 0 and sets *out to a new
 * reference (or sets req->raw_response); on failure it returns -1 with err set. */
typedef int (*op_handler)(struct request *req, json_t **out, struct err *err);

#endif
