/* strbuf.c — growable text buffer (see strbuf.h). */
#include "strbuf.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static int reserve(struct strbuf *sb, size_t extra)
{
    size_t need = sb->len + extra + 1;
    char *p;
    if (sb->failed)
        return -1;
    if (need <= sb->cap)
        return 0;
    size_t cap = sb->cap ? sb->cap : 256;
    while (cap < need)
        cap *= 2;
    p = realloc(sb->data, cap);
    if (p == NULL) {
        sb->failed = 1;
        return -1;
    }
    sb->data = p;
    sb->cap = cap;
    return 0;
}

void strbuf_append(struct strbuf *sb, const char *bytes, size_t len)
{
    if (reserve(sb, len) < 0)
        return;
    memcpy(sb->data + sb->len, bytes, len);
    sb->len += len;
    sb->data[sb->len] = '\0';
}

void strbuf_puts(struct strbuf *sb, const char *s) { strbuf_append(sb, s, strlen(s)); }

static int dump_cb(const char *buffer, size_t size, void *data)
{
    strbuf_append(data, buffer, size);
    return 0;
}

void strbuf_append_json(struct strbuf *sb, const struct json_t *value)
{
    json_dump_callback(value, dump_cb, sb, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(15));
}

char *strbuf_finish(struct strbuf *sb)
{
    char *text = sb->failed ? NULL : sb->data;
    if (sb->failed)
        free(sb->data);
    if (text == NULL && !sb->failed)
        text = strdup("");
    sb->data = NULL;
    sb->len = sb->cap = 0;
    sb->failed = 0;
    return text;
}

void strbuf_free(struct strbuf *sb)
{
    free(sb->data);
    sb->data = NULL;
    sb->len = sb->cap = 0;
}
