/* sigv4.h — AWS Signature Version 4: canonical request, string to sign, signing key, signature and
 * the Authorization header, with OpenSSL's SHA-256 and HMAC-SHA256. Pure: no I/O, no clock, no
 * globals; the caller supplies the date and the headers to sign. Used by the standalone
 * replicator's HTTP client (replicator/client.c) to sign requests; auth.c may use it to verify.
 * Not here: choosing which headers to sign, credentials, presigned (query-string) URLs.
 * AWS: "Create a signed AWS API request" / "Elements of an AWS API request signature" (IAM user
 * guide, Signature Version 4); tested with AWS's aws-sig-v4-test-suite (tests/unit/test_sigv4.c). */
#ifndef DYNASTREAM_SIGV4_H
#define DYNASTREAM_SIGV4_H

#include <stddef.h>

#include "errors.h"

#define SIGV4_ALGORITHM "AWS4-HMAC-SHA256"
#define SIGV4_HEX_SIZE 65          /* 64 hex digits of a SHA-256 value plus the NUL */
#define SIGV4_KEY_SIZE 32          /* bytes of the derived signing key */

/* One header of the request, as sent: any case; value untrimmed. A name may repeat. */
struct sigv4_header {
    const char *name;
    const char *value;
};

/* The parts of an HTTP request that SigV4 signs. */
struct sigv4_request {
    const char *method;                 /* "POST" */
    const char *path;                   /* the path, unencoded ("/", "/example space/"): it is
                                           normalised (dot segments, repeated slashes) and
                                           URI-encoded, as the test suite's requests expect */
    const char *query;                  /* the query string after '?', unencoded; NULL or "" = none */
    const struct sigv4_header *headers; /* exactly the headers to sign (host and x-amz-date among
                                           them, x-amz-security-token with session credentials) */
    size_t n_headers;
    const void *body;                   /* the payload (NULL when body_len is 0) */
    size_t body_len;
};

/* Hex SHA-256 of data[0..len) into out (SIGV4_HEX_SIZE bytes, NUL-terminated). */
void sigv4_sha256_hex(const void *data, size_t len, char out[SIGV4_HEX_SIZE]);

/* The canonical request of req: method, canonical URI, canonical query string, canonical headers
 * (lower-case names, trimmed values with inner runs of spaces collapsed, repeated names joined with
 * ',', sorted by name), signed header list and the hex SHA-256 of the body, joined by '\n'.
 * On success *out is a malloc'd string (caller frees) and, if signed_headers is not NULL, so is
 * *signed_headers ("content-type;host;x-amz-date"). Returns 0, or -1 with ERR_INTERNAL (out of
 * memory) or ERR_VALIDATION (no headers, a header name that is empty or holds a ':' or space). */
int sigv4_canonical_request(const struct sigv4_request *req, char **out, char **signed_headers,
                            struct err *err);

/* The string to sign: "AWS4-HMAC-SHA256\n<amz_date>\n<date>/<region>/<service>/aws4_request\n
 * <hex SHA-256 of canonical_request>", where <date> is the first 8 characters of amz_date
 * ("20150830T123600Z"). *out is malloc'd (caller frees). Returns 0, or -1 with ERR_VALIDATION
 * (amz_date not of the form YYYYMMDDTHHMMSSZ) or ERR_INTERNAL (out of memory). */
int sigv4_string_to_sign(const char *canonical_request, const char *amz_date, const char *region,
                         const char *service, char **out, struct err *err);

/* The signing key HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date8), region), service), "aws4_request")
 * into key. date8 is "YYYYMMDD". Returns 0, or -1 with ERR_INTERNAL if OpenSSL fails. */
int sigv4_signing_key(const char *secret, const char *date8, const char *region,
                      const char *service, unsigned char key[SIGV4_KEY_SIZE], struct err *err);

/* Hex HMAC-SHA256(key, string_to_sign) into out. Returns 0, or -1 with ERR_INTERNAL. */
int sigv4_signature(const unsigned char key[SIGV4_KEY_SIZE], const char *string_to_sign,
                    char out[SIGV4_HEX_SIZE], struct err *err);

/* Everything at once: the value of the Authorization header,
 * "AWS4-HMAC-SHA256 Credential=<key id>/<date>/<region>/<service>/aws4_request,
 * SignedHeaders=<list>, Signature=<hex>". amz_date must equal the request's x-amz-date header.
 * *out is malloc'd (caller frees). Returns 0, or -1 with err set as the functions above do. */
int sigv4_authorization(const struct sigv4_request *req, const char *access_key_id,
                        const char *secret, const char *amz_date, const char *region,
                        const char *service, char **out, struct err *err);

#endif
