/* dispatch.h — turns one HTTP request (already read in full by http.c) into one response:
 * protocol checks in DynamoDB's order (method and content type, JSON, X-Amz-Target, auth, field
 * specs), then the operation from ops.def, then the JSON body or error body. Knows nothing of MHD. */
#ifndef DYNASTREAM_DISPATCH_H
#define DYNASTREAM_DISPATCH_H

#include <jansson.h>
#include <stddef.h>

#include "errors.h"

struct config;
struct store;
struct table_cache;

struct dispatch_ctx {
    const struct config *config;
    struct store *store;
    struct table_cache *tables;
    /* GET /replicator: the bundled replicator's status (main.c wires it; dispatch knows nothing of
     * the replicator). Returns a new reference; NULL callback = no replicator configured. */
    json_t *(*replicator_status)(void *arg);
    void *replicator_status_arg;
};

struct dispatch_input {
    const char *method;         /* "POST", "GET", ... */
    const char *path;           /* request path ("/", "/replicator"); NULL is "/" */
    const char *content_type;   /* header values, NULL when absent */
    const char *target;
    const char *authorization;
    const char *amz_date;
    const char *date;
    const char *body;           /* not NUL-terminated */
    size_t body_len;
};

struct dispatch_output {
    int status;                 /* HTTP status */
    char *body;                 /* malloc'd, owned by the caller after the call */
    size_t body_len;
    const char *content_type;   /* static string */
    char request_id[64];        /* x-amzn-RequestId */
};

/* Handles one request. Always fills *out (never fails: errors become error bodies). */
void dispatch_handle(const struct dispatch_ctx *ctx, const struct dispatch_input *in,
                     struct dispatch_output *out);

/* ---- in-process calls (the bundled replicator) -------------------------------------------- */

/* Runs one operation in-process exactly as an HTTP request with this X-Amz-Target would run it
 * (reqspec checks, then the op; no auth: account and region name the namespace directly — "" for
 * --shared-db), and also the INTERNAL targets of ops.def ("DynastreamInternal.<Op>", rows flagged
 * OPF_INTERNAL) that HTTP refuses. body is borrowed (reqspec may normalise it). Returns 0 with *out
 * a new reference to the response body (a raw text response is parsed back into JSON), or -1 with
 * err set as the client would see it (UnknownOperationException for an unknown target). */
int dispatch_call(const struct dispatch_ctx *ctx, const char *target, const char *account,
                  const char *region, json_t *body, json_t **out, struct err *err);

/* Fills buf (at least 53 bytes) with a new 52-character request id like DynamoDB's. */
void dispatch_new_request_id(char *buf);

#endif
