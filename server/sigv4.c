/* sigv4.c — AWS Signature Version 4 (see sigv4.h): the canonical request, the string to sign, the
 * derived signing key and the signature, with OpenSSL's one-shot EVP_Digest and HMAC. Pure (no I/O,
 * no clock, no globals); strings are built in a small local buffer so that this leaf includes
 * nothing of ours but errors.h. Follows the rules pinned by AWS's aws-sig-v4-test-suite: the path
 * is normalised (RFC 3986 dot segments, repeated slashes) and encoded except for unreserved
 * characters and '/'; query parameters are encoded and sorted by name, then value; header values
 * are trimmed and their inner runs of spaces collapsed; repeated headers are joined with ','. */
#include "sigv4.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

/* ---- a growable string (allocation failure is sticky) ----------------------------------------- */

struct buf {
    char *data;
    size_t len, cap;
    int failed;
};

static void buf_add(struct buf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        char *p;
        while (cap < b->len + n + 1)
            cap *= 2;
        p = realloc(b->data, cap);
        if (p == NULL) {
            b->failed = 1;
            return;
        }
        b->data = p;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static void buf_puts(struct buf *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

static void buf_putc(struct buf *b, char c)
{
    buf_add(b, &c, 1);
}

/* Returns the string (caller frees) or NULL after an allocation failure; b is reset either way. */
static char *buf_take(struct buf *b)
{
    char *s = b->failed ? NULL : b->data;
    if (s == NULL && !b->failed)
        s = strdup("");
    if (b->failed)
        free(b->data);
    memset(b, 0, sizeof *b);
    return s;
}

static void hex(const unsigned char *bytes, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 15];
    }
    out[2 * n] = '\0';
}

/* URI-encodes s[0..n): everything but the unreserved characters (and '/' when keep_slash). */
static void buf_uri_encode(struct buf *b, const char *s, size_t n, int keep_slash)
{
    static const char digits[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || (keep_slash && c == '/')) {
            buf_putc(b, (char)c);
        } else {
            char esc[3] = {'%', digits[c >> 4], digits[c & 15]};
            buf_add(b, esc, 3);
        }
    }
}

/* ---- hashing ----------------------------------------------------------------------------------- */

void sigv4_sha256_hex(const void *data, size_t len, char out[SIGV4_HEX_SIZE])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (EVP_Digest(data != NULL ? data : "", len, md, &n, EVP_sha256(), NULL) != 1 || n != 32) {
        out[0] = '\0';
        return;
    }
    hex(md, 32, out);
}

static int hmac(const void *key, size_t key_len, const char *msg, size_t msg_len,
                unsigned char out[SIGV4_KEY_SIZE], struct err *err)
{
    unsigned int n = 0;
    if (HMAC(EVP_sha256(), key, (int)key_len, (const unsigned char *)msg, msg_len, out, &n) == NULL ||
        n != SIGV4_KEY_SIZE)
        return err_set(err, ERR_INTERNAL, "HMAC-SHA256 failed");
    return 0;
}

/* ---- canonical URI and query string ------------------------------------------------------------ */

/* The path with dot segments and empty segments removed, each segment encoded. */
static void canonical_uri(struct buf *b, const char *path)
{
    const char *seg[256];
    size_t len[256], n = 0;
    const char *p = path != NULL && path[0] != '\0' ? path : "/";
    int trailing = 0;

    while (*p != '\0') {
        const char *start;
        size_t l;
        while (*p == '/')
            p++;
        start = p;
        while (*p != '\0' && *p != '/')
            p++;
        l = (size_t)(p - start);
        trailing = (*p == '/' || l == 0 || (l == 1 && start[0] == '.') ||
                    (l == 2 && start[0] == '.' && start[1] == '.'));
        if (l == 0 || (l == 1 && start[0] == '.'))
            continue;
        if (l == 2 && start[0] == '.' && start[1] == '.') {
            if (n > 0)
                n--;
            continue;
        }
        if (n < sizeof seg / sizeof seg[0]) {
            seg[n] = start;
            len[n++] = l;
        }
    }
    for (size_t i = 0; i < n; i++) {
        buf_putc(b, '/');
        buf_uri_encode(b, seg[i], len[i], 0);
    }
    if (n == 0 || trailing)
        buf_putc(b, '/');
}

struct param {
    char *name;     /* encoded */
    char *value;    /* encoded */
};

static int param_cmp(const void *a, const void *b)
{
    const struct param *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c != 0 ? c : strcmp(x->value, y->value);
}

/* "b=2&a=1" -> "a=1&b=2", names and values encoded; a parameter without '=' has value "". */
static int canonical_query(struct buf *b, const char *query, struct err *err)
{
    struct param *params = NULL;
    size_t n = 0, cap = 0;
    const char *p = query;
    int rc = -1;

    if (query == NULL || query[0] == '\0')
        return 0;
    while (*p != '\0') {
        const char *end = strchr(p, '&'), *eq;
        struct buf name = {0}, value = {0};
        if (end == NULL)
            end = p + strlen(p);
        eq = memchr(p, '=', (size_t)(end - p));
        if (end > p) {
            if (n == cap) {
                size_t c = cap ? cap * 2 : 8;
                struct param *np = realloc(params, c * sizeof *np);
                if (np == NULL) {
                    err_set(err, ERR_INTERNAL, "out of memory");
                    goto out;
                }
                params = np;
                cap = c;
            }
            buf_uri_encode(&name, p, (size_t)((eq ? eq : end) - p), 0);
            if (eq != NULL)
                buf_uri_encode(&value, eq + 1, (size_t)(end - eq - 1), 0);
            params[n].name = buf_take(&name);
            params[n].value = buf_take(&value);
            n++;
            if (params[n - 1].name == NULL || params[n - 1].value == NULL) {
                err_set(err, ERR_INTERNAL, "out of memory");
                goto out;
            }
        }
        p = *end == '&' ? end + 1 : end;
    }
    qsort(params, n, sizeof *params, param_cmp);
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            buf_putc(b, '&');
        buf_puts(b, params[i].name);
        buf_putc(b, '=');
        buf_puts(b, params[i].value);
    }
    rc = 0;
out:
    for (size_t i = 0; i < n; i++) {
        free(params[i].name);
        free(params[i].value);
    }
    free(params);
    return rc;
}

/* ---- canonical headers ------------------------------------------------------------------------- */

struct hdr {
    char *name;       /* lower-case */
    const char *value;
    size_t order;     /* position in the request: keeps repeated headers in order */
};

static int hdr_cmp(const void *a, const void *b)
{
    const struct hdr *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    if (c != 0)
        return c;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* Appends value trimmed, with every run of spaces and tabs inside it collapsed to one space. */
static void buf_trimmed(struct buf *b, const char *value)
{
    const char *p = value, *end = value + strlen(value);
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    while (p < end) {
        if (*p == ' ' || *p == '\t') {
            buf_putc(b, ' ');
            while (p < end && (*p == ' ' || *p == '\t'))
                p++;
        } else {
            buf_putc(b, *p++);
        }
    }
}

/* Appends the canonical header lines to b and the signed header list to sh. */
static int canonical_headers(const struct sigv4_request *req, struct buf *b, struct buf *sh,
                             struct err *err)
{
    struct hdr *h;
    size_t n = req->n_headers;
    int rc = -1;

    if (n == 0)
        return err_set(err, ERR_VALIDATION, "SigV4: no headers to sign (host is required)");
    h = calloc(n, sizeof *h);
    if (h == NULL)
        return err_set(err, ERR_INTERNAL, "out of memory");
    for (size_t i = 0; i < n; i++) {
        const char *name = req->headers[i].name;
        size_t len = name != NULL ? strlen(name) : 0;
        if (len == 0 || strpbrk(name, ": \t\r\n") != NULL) {
            err_set(err, ERR_VALIDATION, "SigV4: bad header name '%s'", name ? name : "");
            goto out;
        }
        h[i].name = malloc(len + 1);
        if (h[i].name == NULL) {
            err_set(err, ERR_INTERNAL, "out of memory");
            goto out;
        }
        for (size_t k = 0; k <= len; k++)
            h[i].name[k] = (char)tolower((unsigned char)name[k]);
        h[i].value = req->headers[i].value != NULL ? req->headers[i].value : "";
        h[i].order = i;
    }
    qsort(h, n, sizeof *h, hdr_cmp);
    for (size_t i = 0; i < n; i++) {
        int repeat = i > 0 && strcmp(h[i].name, h[i - 1].name) == 0;
        if (repeat) {
            buf_putc(b, ',');
        } else {
            if (i > 0) {
                buf_putc(b, '\n');
                buf_putc(sh, ';');
            }
            buf_puts(b, h[i].name);
            buf_putc(b, ':');
            buf_puts(sh, h[i].name);
        }
        buf_trimmed(b, h[i].value);
    }
    buf_putc(b, '\n');
    rc = 0;
out:
    for (size_t i = 0; i < n; i++)
        free(h[i].name);
    free(h);
    return rc;
}

/* ---- the four steps ---------------------------------------------------------------------------- */

int sigv4_canonical_request(const struct sigv4_request *req, char **out, char **signed_headers,
                            struct err *err)
{
    struct buf b = {0}, sh = {0};
    char payload[SIGV4_HEX_SIZE];

    *out = NULL;
    if (signed_headers != NULL)
        *signed_headers = NULL;
    buf_puts(&b, req->method != NULL ? req->method : "GET");
    buf_putc(&b, '\n');
    canonical_uri(&b, req->path);
    buf_putc(&b, '\n');
    if (canonical_query(&b, req->query, err) == 0)
        buf_putc(&b, '\n');
    else
        goto fail;
    if (canonical_headers(req, &b, &sh, err) < 0) {
fail:
        free(buf_take(&b));
        free(buf_take(&sh));
        return -1;
    }
    buf_putc(&b, '\n');
    buf_add(&b, sh.data != NULL ? sh.data : "", sh.len);
    buf_putc(&b, '\n');
    sigv4_sha256_hex(req->body, req->body_len, payload);
    buf_puts(&b, payload);
    *out = buf_take(&b);
    if (signed_headers != NULL)
        *signed_headers = buf_take(&sh);
    else
        free(buf_take(&sh));
    if (*out == NULL || (signed_headers != NULL && *signed_headers == NULL)) {
        free(*out);
        *out = NULL;
        if (signed_headers != NULL) {
            free(*signed_headers);
            *signed_headers = NULL;
        }
        return err_set(err, ERR_INTERNAL, "out of memory");
    }
    return 0;
}

/* "YYYYMMDDTHHMMSSZ"? */
static int amz_date_ok(const char *d)
{
    if (d == NULL || strlen(d) != 16 || d[8] != 'T' || d[15] != 'Z')
        return 0;
    for (int i = 0; i < 15; i++)
        if (i != 8 && !isdigit((unsigned char)d[i]))
            return 0;
    return 1;
}

int sigv4_string_to_sign(const char *canonical_request, const char *amz_date, const char *region,
                         const char *service, char **out, struct err *err)
{
    struct buf b = {0};
    char digest[SIGV4_HEX_SIZE];

    *out = NULL;
    if (!amz_date_ok(amz_date))
        return err_set(err, ERR_VALIDATION, "SigV4: X-Amz-Date '%s' is not YYYYMMDD'T'HHMMSS'Z'",
                       amz_date ? amz_date : "");
    sigv4_sha256_hex(canonical_request, strlen(canonical_request), digest);
    buf_puts(&b, SIGV4_ALGORITHM "\n");
    buf_puts(&b, amz_date);
    buf_putc(&b, '\n');
    buf_add(&b, amz_date, 8);
    buf_putc(&b, '/');
    buf_puts(&b, region);
    buf_putc(&b, '/');
    buf_puts(&b, service);
    buf_puts(&b, "/aws4_request\n");
    buf_puts(&b, digest);
    *out = buf_take(&b);
    return *out != NULL ? 0 : err_set(err, ERR_INTERNAL, "out of memory");
}

int sigv4_signing_key(const char *secret, const char *date8, const char *region,
                      const char *service, unsigned char key[SIGV4_KEY_SIZE], struct err *err)
{
    unsigned char k[SIGV4_KEY_SIZE], k2[SIGV4_KEY_SIZE];   /* HMAC's output never aliases its key */
    size_t slen = strlen(secret);
    char *first = malloc(slen + 5);
    int rc;

    if (first == NULL)
        return err_set(err, ERR_INTERNAL, "out of memory");
    memcpy(first, "AWS4", 4);
    memcpy(first + 4, secret, slen + 1);
    rc = hmac(first, slen + 4, date8, strlen(date8), k, err);
    OPENSSL_cleanse(first, slen + 4);
    free(first);
    if (rc < 0 ||
        hmac(k, sizeof k, region, strlen(region), k2, err) < 0 ||
        hmac(k2, sizeof k2, service, strlen(service), k, err) < 0 ||
        hmac(k, sizeof k, "aws4_request", 12, key, err) < 0)
        rc = -1;
    OPENSSL_cleanse(k, sizeof k);
    OPENSSL_cleanse(k2, sizeof k2);
    return rc;
}

int sigv4_signature(const unsigned char key[SIGV4_KEY_SIZE], const char *string_to_sign,
                    char out[SIGV4_HEX_SIZE], struct err *err)
{
    unsigned char mac[SIGV4_KEY_SIZE];
    if (hmac(key, SIGV4_KEY_SIZE, string_to_sign, strlen(string_to_sign), mac, err) < 0)
        return -1;
    hex(mac, sizeof mac, out);
    return 0;
}

int sigv4_authorization(const struct sigv4_request *req, const char *access_key_id,
                        const char *secret, const char *amz_date, const char *region,
                        const char *service, char **out, struct err *err)
{
    char *creq = NULL, *signed_headers = NULL, *sts = NULL;
    unsigned char key[SIGV4_KEY_SIZE];
    char date8[9], signature[SIGV4_HEX_SIZE];
    struct buf b = {0};
    int rc = -1;

    *out = NULL;
    if (sigv4_canonical_request(req, &creq, &signed_headers, err) < 0 ||
        sigv4_string_to_sign(creq, amz_date, region, service, &sts, err) < 0)
        goto out;
    memcpy(date8, amz_date, 8);
    date8[8] = '\0';
    if (sigv4_signing_key(secret, date8, region, service, key, err) < 0 ||
        sigv4_signature(key, sts, signature, err) < 0)
        goto out;
    buf_puts(&b, SIGV4_ALGORITHM " Credential=");
    buf_puts(&b, access_key_id);
    buf_putc(&b, '/');
    buf_puts(&b, date8);
    buf_putc(&b, '/');
    buf_puts(&b, region);
    buf_putc(&b, '/');
    buf_puts(&b, service);
    buf_puts(&b, "/aws4_request, SignedHeaders=");
    buf_puts(&b, signed_headers);
    buf_puts(&b, ", Signature=");
    buf_puts(&b, signature);
    *out = buf_take(&b);
    rc = *out != NULL ? 0 : err_set(err, ERR_INTERNAL, "out of memory");
out:
    OPENSSL_cleanse(key, sizeof key);
    free(creq);
    free(signed_headers);
    free(sts);
    return rc;
}
