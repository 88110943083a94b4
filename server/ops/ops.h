/* ops.h — the operation handlers, declared from ops.def. Each takes the request (borrowed), and on
 * success returns 0 with *out a new reference to the response body (or req->raw_response set);
 * on failure returns -1 with err set. */
#ifndef DYNASTREAM_OPS_H
#define DYNASTREAM_OPS_H

#include <string.h>

#include "request.h"

#define OPF_WRITE 1   /* the operation may change data */
#define OPF_INTERNAL 2 /* reachable only in-process, through dispatch_call (not over HTTP) */

/* The string member key of a request object, or NULL when absent or not a string. */
static inline const char *str_field(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* A TableName member that may also be a table ARN (the settings and backup operations): the
 * table name it names. */
static inline const char *table_name_of(const char *name_or_arn)
{
    const char *t;
    if (name_or_arn == NULL || strncmp(name_or_arn, "arn:", 4) != 0)
        return name_or_arn;
    t = strstr(name_or_arn, ":table/");
    return t != NULL ? t + 7 : name_or_arn;
}

/* Runs operation `op` (its handler) in-process on req's connection and namespace, exactly as
 * its HTTP request would run after the request spec check. body is borrowed and may be
 * normalised. Returns 0 with *out a new reference to the response, or -1 with err set. */
int ops_call(struct request *req, const char *op, op_handler handler, json_t *body, json_t **out,
             struct err *err);

#define OP(api, name, handler, flags) int handler(struct request *req, json_t **out, struct err *err);
#include "ops.def"
#undef OP

#endif
