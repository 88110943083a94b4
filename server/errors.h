/* errors.h — the error value every fallible function fills, and its JSON rendering.
 * A function that can fail returns int (0 ok, -1 failed) and takes `struct err *err` last;
 * err_set() records the first error only (later ones are ignored, like SQLite's zErrMsg) and
 * returns -1 so that failure reads `return err_set(err, ERR_VALIDATION, "...")`.
 * errors_to_json() is called only by dispatch.c. The list of types is errors.def. */
#ifndef DYNASTREAM_ERRORS_H
#define DYNASTREAM_ERRORS_H

#include <jansson.h>
#include <stdarg.h>

enum err_code {
    ERR_NONE = 0,
#define ERR(code, name, status, ns) code,
#include "errors.def"
#undef ERR
    ERR__COUNT
};

struct err {
    enum err_code code;   /* ERR_NONE until set */
    char *message;        /* owned, NULL for "no message" (SerializationException of bad JSON) */
    json_t *extra;        /* owned, optional fields merged into the error body (Item, CancellationReasons) */
    int capital_message;  /* body key is "Message" (DynamoDB's type-conversion SerializationExceptions) */
};

#define ERR_INIT { ERR_NONE, NULL, NULL, 0 }

/* Records code and printf-formatted message unless an error is already set. Returns -1. */
int err_set(struct err *err, enum err_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Same as err_set with a va_list. Returns -1. */
int err_setv(struct err *err, enum err_code code, const char *fmt, va_list ap);
/* Records an error with no message field at all (DynamoDB sends bare SerializationException). */
int err_set_bare(struct err *err, enum err_code code);
/* Attaches an extra body field (steals value). No-op if value is NULL. */
void err_add_field(struct err *err, const char *key, json_t *value);
/* Non-zero when an error has been recorded. */
static inline int err_isset(const struct err *err) { return err->code != ERR_NONE; }
/* Frees the message and extra fields and resets to ERR_NONE. NULL-safe. */
void err_clear(struct err *err);

/* Wire name ("ValidationException"), HTTP status and namespaced __type of a code. */
const char *err_name(enum err_code code);
int err_http_status(enum err_code code);
/* Writes "<namespace><name>" into buf. */
void err_type_string(enum err_code code, char *buf, size_t size);

/* Builds the error body {"__type": ..., "message": ...} plus extra fields. Returns a new reference
 * and puts the HTTP status in *status. Only dispatch.c calls this. */
json_t *errors_to_json(const struct err *err, int *status);

#endif
