/* strbuf.h — a growable byte buffer for building response text by splicing stored JSON (GetItem,
 * Scan) without re-encoding it. Allocation failure is sticky: later appends are ignored and
 * strbuf_finish returns NULL. */
#ifndef DYNASTREAM_STRBUF_H
#define DYNASTREAM_STRBUF_H

#include <stddef.h>

struct strbuf {
    char *data;     /* NUL-terminated while not failed */
    size_t len;
    size_t cap;
    int failed;     /* an allocation failed */
};

#define STRBUF_INIT {NULL, 0, 0, 0}

void strbuf_append(struct strbuf *sb, const char *bytes, size_t len);
void strbuf_puts(struct strbuf *sb, const char *s);
/* Appends the compact JSON text of a jansson value. */
struct json_t;
void strbuf_append_json(struct strbuf *sb, const struct json_t *value);
/* Returns the malloc'd text (caller frees) and resets sb; NULL if an allocation failed. */
char *strbuf_finish(struct strbuf *sb);
/* Frees the buffer. */
void strbuf_free(struct strbuf *sb);

#endif
