/* ops_call.c — one operation run from inside another (PartiQL statements, restores): the
 * operation's request spec and handler on the calling request's connection and namespace, its
 * raw response parsed back into JSON. */
#include <stdlib.h>

#include "ops.h"
#include "reqspec.h"

int ops_call(struct request *req, const char *op, op_handler handler, json_t *body, json_t **out,
             struct err *err)
{
    struct request sub = *req;
    json_t *resp = NULL;

    *out = NULL;
    if (reqspec_check(op, body, err) < 0)
        return -1;
    sub.op = op;
    sub.body = body;
    sub.raw_response = NULL;
    if (handler(&sub, &resp, err) < 0) {
        free(sub.raw_response);
        json_decref(resp);
        return -1;
    }
    if (sub.raw_response != NULL) {
        json_decref(resp);
        resp = json_loads(sub.raw_response, 0, NULL);
        free(sub.raw_response);
        if (resp == NULL)
            return err_set(err, ERR_INTERNAL, "%s: response is not JSON", op);
    }
    *out = resp != NULL ? resp : json_object();
    return 0;
}

