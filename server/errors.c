/* errors.c — recording errors (first one wins) and rendering them as DynamoDB's JSON error body.
 * The table of types comes from errors.def; nothing else in the server builds an error body. */

#include "errors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name;
    int status;
    const char *ns;
} err_table[ERR__COUNT] = {
    [ERR_NONE] = {"", 200, ""},
#define ERR(code, name, status, ns) [code] = {name, status, ns},
#include "errors.def"
#undef ERR
};

int err_setv(struct err *err, enum err_code code, const char *fmt, va_list ap)
{
    if (err == NULL || err->code != ERR_NONE)
        return -1;
    err->code = code;
    if (vasprintf(&err->message, fmt, ap) < 0)
        err->message = NULL;
    return -1;
}

int err_set(struct err *err, enum err_code code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    err_setv(err, code, fmt, ap);
    va_end(ap);
    return -1;
}

int err_set_bare(struct err *err, enum err_code code)
{
    if (err == NULL || err->code != ERR_NONE)
        return -1;
    err->code = code;
    err->message = NULL;
    return -1;
}

void err_add_field(struct err *err, const char *key, json_t *value)
{
    if (value == NULL)
        return;
    if (err->extra == NULL)
        err->extra = json_object();
    json_object_set_new(err->extra, key, value);
}

void err_clear(struct err *err)
{
    if (err == NULL)
        return;
    free(err->message);
    json_decref(err->extra);
    err->message = NULL;
    err->extra = NULL;
    err->code = ERR_NONE;
    err->capital_message = 0;
}

const char *err_name(enum err_code code)
{
    return (code > ERR_NONE && code < ERR__COUNT) ? err_table[code].name : "InternalServerError";
}

int err_http_status(enum err_code code)
{
    return (code > ERR_NONE && code < ERR__COUNT) ? err_table[code].status : 500;
}

void err_type_string(enum err_code code, char *buf, size_t size)
{
    if (code <= ERR_NONE || code >= ERR__COUNT)
        code = ERR_INTERNAL;
    snprintf(buf, size, "%s%s", err_table[code].ns, err_table[code].name);
}

json_t *errors_to_json(const struct err *err, int *status)
{
    char type[160];
    json_t *body = json_object();

    err_type_string(err->code, type, sizeof type);
    json_object_set_new(body, "__type", json_string(type));
    if (err->message != NULL) {
        /* Messages may quote client input; json_string refuses invalid UTF-8, so fall back. */
        json_t *msg = json_string(err->message);
        if (msg == NULL)
            msg = json_string("(message was not valid UTF-8)");
        json_object_set_new(body, err->capital_message ? "Message" : "message", msg);
    }
    if (err->extra != NULL)
        json_object_update(body, err->extra);
    *status = err_http_status(err->code);
    return body;
}
