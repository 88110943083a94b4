/* dispatch.h — turns one HTTP request (already read in full by http.c) into one response:
 * protocol checks in DynamoDB's order (method and content type, JSON, X-Amz-Target, auth, field
 * specs), then the operation from ops.def, then the JSON body or error body. Knows nothing of MHD. */
#ifndef DYNASTREAM_DISPATCH_H
#define DYNASTREAM_DISPATCH_H

#include <stddef.h>

struct config;
struct store;
struct table_cache;

struct dispatch_ctx {
    const struct config *config;
    struct store *store;
    struct table_cache *tables;
};

struct dispatch_input {
    const char *method;         /* "POST", "GET", ... */
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

/* Fills buf (at least 53 bytes) with a new 52-character request id like DynamoDB's. */
void dispatch_new_request_id(char *buf);

#endif
