/* http.h — the HTTP front end on libmicrohttpd: listens, reads each request body in full (refusing
 * bodies over 16 MiB with 413 before reading them), hands it to dispatch, and sends the answer with
 * x-amzn-RequestId and x-amz-crc32. Knows nothing of DynamoDB. */
#ifndef DYNASTREAM_HTTP_H
#define DYNASTREAM_HTTP_H

#include "config.h"
#include "dispatch.h"
#include "errors.h"

struct http_server;

/* Starts listening on config->host:config->port with config->threads worker threads.
 * ctx is borrowed and must outlive the server. */
int http_start(const struct config *config, const struct dispatch_ctx *ctx,
               struct http_server **out, struct err *err);
/* The port actually bound (useful with port 0). */
int http_port(const struct http_server *server);
/* Stops accepting, finishes in-flight requests, frees. NULL-safe. */
void http_stop(struct http_server *server);

#endif
