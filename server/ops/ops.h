/* ops.h — the operation handlers, declared from ops.def. Each takes the request (borrowed), and on
 * success returns 0 with *out a new reference to the response body (or req->raw_response set);
 * on failure returns -1 with err set. */
#ifndef DYNASTREAM_OPS_H
#define DYNASTREAM_OPS_H

#include "request.h"

#define OPF_WRITE 1   /* the operation may change data */
#define OPF_INTERNAL 2 /* reachable only in-process, through dispatch_call (not over HTTP) */

/* The string member key of a request object, or NULL when absent or not a string. */
static inline const char *str_field(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

#define OP(api, name, handler, flags) int handler(struct request *req, json_t **out, struct err *err);
#include "ops.def"
#undef OP

#endif
