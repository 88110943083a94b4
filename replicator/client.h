/* client.h — a small HTTP/1.1 client for the DynamoDB JSON protocol, used by the standalone
 * replicator: one keep-alive connection per client over POSIX sockets, Content-Length (or chunked)
 * bodies, a deadline per request, one transparent reconnect when a reused connection turns out to
 * be closed, and every request signed with SigV4 (server/sigv4.c) for service "dynamodb".
 * Service errors come back as struct err (code from __type after '#', message from "message" or
 * "Message"). Not here: TLS (http:// only: put a TLS-terminating proxy in front of an https
 * endpoint), retries with back-off (the replicator core does those), threads (one client per
 * thread). AWS: "DynamoDB low-level API" (request format, error responses). */
#ifndef DYNASTREAM_REPLICATOR_CLIENT_H
#define DYNASTREAM_REPLICATOR_CLIENT_H

#include <jansson.h>

#include "errors.h"

#define CLIENT_SERVICE "dynamodb"
#define CLIENT_DEFAULT_REGION "us-east-1"
#define CLIENT_DEFAULT_TIMEOUT_MS 10000
/* Used when AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY are unset: local endpoints (dynastream,
 * DynamoDB Local) accept any well-formed signature. Real DynamoDB answers UnrecognizedClient. */
#define CLIENT_FALLBACK_KEY_ID "dynastream"
#define CLIENT_FALLBACK_SECRET "dynastream"

/* Credentials and region, as the AWS SDKs read them from the environment. */
struct client_credentials {
    char access_key_id[256];
    char secret_access_key[256];
    char session_token[8192];   /* "" = none (STS session tokens run to a few KB) */
    char region[64];
    int from_env;               /* 0: the key pair is the local fallback above */
};

/* Fills c from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN and the region from
 * region (if not NULL or ""), else AWS_REGION, else AWS_DEFAULT_REGION, else us-east-1. Without a
 * key pair in the environment it uses the fallback pair (from_env = 0). Returns 0, or -1 with
 * ERR_VALIDATION (only one of the pair set, or a value too long). */
int client_credentials_from_env(struct client_credentials *c, const char *region, struct err *err);

struct client;

/* Creates a client for endpoint ("http://host[:port][/path]"; "https://" is refused with a message
 * about a TLS-terminating proxy). creds is copied. timeout_ms bounds connecting and each request
 * (<= 0: CLIENT_DEFAULT_TIMEOUT_MS). Nothing is connected yet. Returns 0 and sets *out, or -1 with
 * ERR_VALIDATION (bad URL) or ERR_INTERNAL (out of memory). */
int client_new(const char *endpoint, const struct client_credentials *creds, int timeout_ms,
               struct client **out, struct err *err);

/* Closes the connection and frees. NULL-safe. */
void client_free(struct client *c);

/* The endpoint as given to client_new (borrowed). */
const char *client_endpoint(const struct client *c);

/* One API call: POSTs body (borrowed) with X-Amz-Target: target (e.g.
 * "DynamoDBStreams_20120810.GetRecords"). Returns 0 with *out a new reference to the parsed
 * response body, or -1 with err set: a service error keeps the service's code and message (a type
 * not in errors.def becomes ERR_INTERNAL, "<Type>: <message>"); a transport failure (connect,
 * timeout, reset, a response that is not HTTP or not JSON, a CRC32 mismatch) is ERR_INTERNAL. */
int client_call(struct client *c, const char *target, const json_t *body, json_t **out,
                struct err *err);

/* Requests sent and connections opened so far (for logs and the status; any thread). */
void client_counts(const struct client *c, long *requests, long *connections);

#endif
