/* http.c — libmicrohttpd glue (see http.h). Per-request state lives in the connection closure:
 * the body is accumulated up to LIMIT_REQUEST_BYTES (a larger Content-Length is refused with 413
 * before any byte of the body is read), then dispatched once the upload is complete, and the state
 * is freed in the completion callback (libmicrohttpd's largepost.c pattern). Worker threads come
 * from MHD's pool with epoll; each request runs to completion on its worker. */
#include "http.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netdb.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "limits.h"
#include "log.h"

struct http_server {
    struct MHD_Daemon *daemon;
    const struct dispatch_ctx *ctx;
    int port;
};

struct request_state {
    char *body;
    size_t len;
    size_t cap;
    int too_large;
};

static enum MHD_Result send_response(struct MHD_Connection *conn, int status, char *body,
                                     size_t len, const char *content_type, const char *request_id)
{
    struct MHD_Response *resp;
    enum MHD_Result ret;
    char crc[16];
    const char *origin;

    resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
    if (resp == NULL) {
        free(body);
        return MHD_NO;
    }
    snprintf(crc, sizeof crc, "%lu", crc32(0L, (const Bytef *)body, (uInt)len));
    MHD_add_response_header(resp, "Content-Type", content_type);
    MHD_add_response_header(resp, "x-amz-crc32", crc);
    if (request_id != NULL)
        MHD_add_response_header(resp, "x-amzn-RequestId", request_id);
    origin = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Origin");
    if (origin != NULL)
        MHD_add_response_header(resp, "Access-Control-Allow-Origin", "*");
    ret = MHD_queue_response(conn, (unsigned)status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static enum MHD_Result send_too_large(struct MHD_Connection *conn)
{
    char id[64];
    dispatch_new_request_id(id);
    return send_response(conn, 413, strdup(""), 0, "application/x-amz-json-1.0", id);
}

/* Browsers (and web consoles) preflight cross-origin POSTs. */
static enum MHD_Result send_preflight(struct MHD_Connection *conn)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    const char *h = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Access-Control-Request-Headers");
    const char *m = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Access-Control-Request-Method");
    enum MHD_Result ret;
    MHD_add_response_header(resp, "Access-Control-Allow-Origin", "*");
    if (h != NULL)
        MHD_add_response_header(resp, "Access-Control-Allow-Headers", h);
    if (m != NULL)
        MHD_add_response_header(resp, "Access-Control-Allow-Methods", m);
    MHD_add_response_header(resp, "Access-Control-Max-Age", "172800");
    ret = MHD_queue_response(conn, 200, resp);
    MHD_destroy_response(resp);
    return ret;
}

static int append_body(struct request_state *st, const char *data, size_t size)
{
    if (st->len + size > LIMIT_REQUEST_BYTES) {
        st->too_large = 1;
        free(st->body);
        st->body = NULL;
        st->len = st->cap = 0;
        return 0;
    }
    if (st->len + size + 1 > st->cap) {
        size_t cap = st->cap ? st->cap : 4096;
        char *p;
        while (cap < st->len + size + 1)
            cap *= 2;
        p = realloc(st->body, cap);
        if (p == NULL)
            return -1;
        st->body = p;
        st->cap = cap;
    }
    memcpy(st->body + st->len, data, size);
    st->len += size;
    return 0;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    struct http_server *server = cls;
    struct request_state *st = *con_cls;
    (void)version;

    if (st == NULL) {
        const char *length = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
        st = calloc(1, sizeof *st);
        if (st == NULL)
            return MHD_NO;
        *con_cls = st;
        if (length != NULL && strtoull(length, NULL, 10) > LIMIT_REQUEST_BYTES) {
            st->too_large = 1;
            return send_too_large(conn);
        }
        return MHD_YES;
    }
    if (*upload_data_size > 0) {
        if (!st->too_large && append_body(st, upload_data, *upload_data_size) < 0)
            return MHD_NO;
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (st->too_large)
        return send_too_large(conn);
    if (strcmp(method, "OPTIONS") == 0 &&
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Origin") != NULL)
        return send_preflight(conn);

    {
        struct dispatch_input in = {
            .method = method,
            .path = url,
            .content_type = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type"),
            .target = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Amz-Target"),
            .authorization = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization"),
            .amz_date = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Amz-Date"),
            .date = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Date"),
            .body = st->body ? st->body : "",
            .body_len = st->len,
        };
        struct dispatch_output out = {0};
        dispatch_handle(server->ctx, &in, &out);
        if (out.body == NULL)
            return MHD_NO;
        return send_response(conn, out.status, out.body, out.body_len, out.content_type,
                             out.request_id);
    }
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct request_state *st = *con_cls;
    (void)cls;
    (void)conn;
    (void)toe;
    if (st != NULL) {
        free(st->body);
        free(st);
        *con_cls = NULL;
    }
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
    char line[512];
    (void)cls;
    vsnprintf(line, sizeof line, fmt, ap);
    line[strcspn(line, "\n")] = '\0';
    log_debug("http: %s", line);
}

int http_start(const struct config *config, const struct dispatch_ctx *ctx,
               struct http_server **out, struct err *err)
{
    struct http_server *server = calloc(1, sizeof *server);
    struct addrinfo hints = {0}, *ai = NULL;
    char port[16];
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG;
    int rc;

    if (server == NULL)
        return err_set(err, ERR_INTERNAL, "out of memory");
    server->ctx = ctx;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    snprintf(port, sizeof port, "%d", config->port);
    rc = getaddrinfo(config->host, port, &hints, &ai);
    if (rc != 0) {
        free(server);
        return err_set(err, ERR_INTERNAL, "cannot resolve %s: %s", config->host, gai_strerror(rc));
    }
    if (ai->ai_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    server->daemon = MHD_start_daemon(
        flags, (uint16_t)config->port, NULL, NULL, on_request, server,
        MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
        MHD_OPTION_SOCK_ADDR, ai->ai_addr,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)config->threads,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)300,
        MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)1024,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)4096,
        MHD_OPTION_END);
    freeaddrinfo(ai);
    if (server->daemon == NULL) {
        free(server);
        return err_set(err, ERR_INTERNAL, "cannot listen on %s:%d (in use?)", config->host,
                       config->port);
    }
    {
        const union MHD_DaemonInfo *info = MHD_get_daemon_info(server->daemon, MHD_DAEMON_INFO_BIND_PORT);
        server->port = info ? info->port : config->port;
    }
    *out = server;
    return 0;
}

int http_port(const struct http_server *server) { return server->port; }

void http_stop(struct http_server *server)
{
    if (server == NULL)
        return;
    MHD_stop_daemon(server->daemon);
    free(server);
}
