/* ceiling.c — HTTP ceiling probe for `make bench`: the fastest any DynamoDB server built on this
 * HTTP stack (libmicrohttpd, same threading as server/http.c) can answer on this machine.
 * It reads the POST body and answers every request with the fixed document "{}" (what PutItem
 * returns) and the headers a DynamoDB response carries (Content-Type, x-amzn-RequestId,
 * x-amz-crc32), without looking at the request. It does no parsing, storage or JSON work.
 * Usage: ceiling PORT [THREADS]   (binds 127.0.0.1 only; THREADS defaults to the online cores;
 * stops cleanly on SIGINT/SIGTERM). Built by bench/run.sh with cc -O2 -Wall -Wextra -Werror.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define BODY "{}"
#define BODY_CRC32 "2745614147" /* zlib.crc32(b"{}"), as DynamoDB's x-amz-crc32 header */
#define BODY_CAP (16u * 1024 * 1024) /* refuse larger bodies like a real server would (413) */

static struct MHD_Response *ok_response;  /* shared and reused: MHD refcounts responses */
static struct MHD_Response *too_large;

/* Per-request state lives in *req_cls (libmicrohttpd's largepost.c pattern): bytes received. */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **req_cls)
{
    (void)cls; (void)url; (void)method; (void)version; (void)upload_data;
    size_t *received = *req_cls;
    if (received == NULL) {                 /* first call: headers only */
        received = calloc(1, sizeof *received);
        if (received == NULL)
            return MHD_NO;
        *req_cls = received;
        return MHD_YES;
    }
    if (*upload_data_size > 0) {            /* a body chunk: consume it */
        *received += *upload_data_size;
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (*received > BODY_CAP)
        return MHD_queue_response(conn, 413, too_large);
    return MHD_queue_response(conn, MHD_HTTP_OK, ok_response);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls; (void)conn; (void)toe;
    free(*req_cls);
    *req_cls = NULL;
}

static struct MHD_Response *fixed_response(const char *body, const char *crc)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(strlen(body), (void *)body,
                                                             MHD_RESPMEM_PERSISTENT);
    if (r == NULL)
        return NULL;
    MHD_add_response_header(r, "Content-Type", "application/x-amz-json-1.0");
    MHD_add_response_header(r, "x-amzn-RequestId", "00000000-0000-0000-0000-000000000000");
    if (crc != NULL)
        MHD_add_response_header(r, "x-amz-crc32", crc);
    return r;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: %s PORT [THREADS]\n", argv[0]);
        return 2;
    }
    int port = atoi(argv[1]);
    long threads = argc == 3 ? atol(argv[2]) : sysconf(_SC_NPROCESSORS_ONLN);
    if (port <= 0 || port > 65535 || threads < 1) {
        fprintf(stderr, "ceiling: bad port or thread count\n");
        return 2;
    }

    /* Block the stop signals before MHD starts its threads, so that only sigwait sees them. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);

    ok_response = fixed_response(BODY, BODY_CRC32);
    too_large = fixed_response("{\"__type\":\"com.amazon.coral.service#RequestEntityTooLarge\"}",
                               NULL);
    if (ok_response == NULL || too_large == NULL) {
        fprintf(stderr, "ceiling: cannot create responses\n");
        return 1;
    }

    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL, (uint16_t)port, NULL, NULL,
        on_request, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)threads,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)60,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned int)1024,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
        MHD_OPTION_END);
    if (d == NULL) {
        fprintf(stderr, "ceiling: cannot listen on 127.0.0.1:%d\n", port);
        return 1;
    }
    fprintf(stderr, "ceiling: listening on 127.0.0.1:%d, %ld threads\n", port, threads);

    int sig = 0;
    sigwait(&stop, &sig);
    MHD_stop_daemon(d);
    MHD_destroy_response(ok_response);
    MHD_destroy_response(too_large);
    return 0;
}
