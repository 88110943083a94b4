/* main.c — dynastream-replicator, the standalone replicator: one event source mapping (in AWS
 * Lambda's terms) from the stream of a table at one endpoint to a table at another (or the same),
 * over HTTP with SigV4 — dynastream, Amazon's DynamoDB Local, or DynamoDB through a local TLS proxy.
 * Flags, start-up, signals (SIGINT/SIGTERM: the batch being applied finishes, then a clean exit),
 * and an optional status endpoint (GET /replicator on loopback). The replication itself is the
 * replicator core's (core.c); the transport is source_http.c/client.c; checkpoints checkpoint.c.
 * Not here: exactly-once (that needs the bundled mode: `dynastream --replicate`). */
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "checkpoint.h"
#include "client.h"
#include "core.h"
#include "log.h"
#include "source_http.h"

#define DEFAULT_CHECKPOINT_DB "./replicator-checkpoints.db"

static const char USAGE[] =
"usage: dynastream-replicator --source-endpoint URL --source-table T\n"
"                             [--target-endpoint URL] --target-table T2 [options]\n"
"\n"
"Follows the stream of table T at the source endpoint and keeps table T2 at the target endpoint\n"
"(default: the source endpoint) equal to it, like an AWS Lambda function attached to the stream.\n"
"At-least-once: records may be applied again after a restart; puts and deletes are idempotent.\n"
"Credentials and region: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN,\n"
"AWS_REGION / AWS_DEFAULT_REGION (local endpoints accept any key pair; a fallback is used).\n"
"Endpoints are http:// only; for https put a local TLS-terminating proxy in front.\n"
"\n"
"Event source mapping options (Lambda's names and defaults):\n"
"  --batch-size N                          BatchSize, 1..10000 (100)\n"
"  --starting-position P                   TRIM_HORIZON (default) or LATEST\n"
"  --maximum-batching-window-in-seconds N  0..300 (0)\n"
"  --maximum-retry-attempts N              -1 (until the record expires, default) or 0..10000\n"
"  --maximum-record-age-in-seconds N       -1 (default) or 1..604800\n"
"  --bisect-batch-on-function-error[=B]    split a failing batch in two (B: true/false)\n"
"  --on-failure FILE                       JSON lines naming discarded records' shard and range\n"
"Replicator options:\n"
"  --region R                  signing region (else AWS_REGION, AWS_DEFAULT_REGION, us-east-1)\n"
"  --checkpoint-db PATH        checkpoint file (" DEFAULT_CHECKPOINT_DB ")\n"
"  --mapping-id ID             checkpoint key of the mapping (default \"T=T2\")\n"
"  --poll-interval-ms N        GetRecords on an idle shard every N ms, 0..60000 (250: Lambda's\n"
"                              four polls a second; 0: back to back)\n"
"  --write-mode M              batch (BatchWriteItem, default) or single (PutItem/DeleteItem)\n"
"  --request-timeout-ms N      per HTTP request, including connecting (10000)\n"
"  --status-port N             serve GET /replicator (JSON status) on 127.0.0.1:N (0: any port)\n"
"  --log-level L               error, warn, info (default) or debug\n"
"  --help\n";

struct cli {
    const char *source_endpoint, *source_table, *target_endpoint, *target_table;
    const char *region, *checkpoint_db, *mapping_id;
    int poll_interval_ms, request_timeout_ms, status_port, batch_writes;
    struct repl_options options;
};

/* ==================================================================================== */
/* Flags                                                                                */
/* ==================================================================================== */

enum {
    OPT_SOURCE_ENDPOINT = 256, OPT_SOURCE_TABLE, OPT_TARGET_ENDPOINT, OPT_TARGET_TABLE, OPT_REGION,
    OPT_BATCH_SIZE, OPT_STARTING_POSITION, OPT_WINDOW, OPT_RETRIES, OPT_AGE, OPT_BISECT,
    OPT_NO_BISECT, OPT_ON_FAILURE, OPT_CHECKPOINT_DB, OPT_MAPPING_ID, OPT_POLL, OPT_WRITE_MODE,
    OPT_TIMEOUT, OPT_STATUS_PORT, OPT_LOG_LEVEL, OPT_HELP
};

static const struct option LONG_OPTIONS[] = {
    {"source-endpoint", required_argument, NULL, OPT_SOURCE_ENDPOINT},
    {"source-table", required_argument, NULL, OPT_SOURCE_TABLE},
    {"target-endpoint", required_argument, NULL, OPT_TARGET_ENDPOINT},
    {"target-table", required_argument, NULL, OPT_TARGET_TABLE},
    {"region", required_argument, NULL, OPT_REGION},
    {"batch-size", required_argument, NULL, OPT_BATCH_SIZE},
    {"starting-position", required_argument, NULL, OPT_STARTING_POSITION},
    {"maximum-batching-window-in-seconds", required_argument, NULL, OPT_WINDOW},
    {"maximum-retry-attempts", required_argument, NULL, OPT_RETRIES},
    {"maximum-record-age-in-seconds", required_argument, NULL, OPT_AGE},
    {"bisect-batch-on-function-error", optional_argument, NULL, OPT_BISECT},
    {"no-bisect-batch-on-function-error", no_argument, NULL, OPT_NO_BISECT},
    {"on-failure", required_argument, NULL, OPT_ON_FAILURE},
    {"checkpoint-db", required_argument, NULL, OPT_CHECKPOINT_DB},
    {"mapping-id", required_argument, NULL, OPT_MAPPING_ID},
    {"poll-interval-ms", required_argument, NULL, OPT_POLL},
    {"write-mode", required_argument, NULL, OPT_WRITE_MODE},
    {"request-timeout-ms", required_argument, NULL, OPT_TIMEOUT},
    {"status-port", required_argument, NULL, OPT_STATUS_PORT},
    {"log-level", required_argument, NULL, OPT_LOG_LEVEL},
    {"help", no_argument, NULL, OPT_HELP},
    {NULL, 0, NULL, 0},
};

static int parse_int(const char *flag, const char *text, long min, long max, int *out)
{
    char *end;
    long v;
    errno = 0;
    v = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || v < min || v > max) {
        fprintf(stderr, "dynastream-replicator: --%s must be an integer from %ld to %ld, not '%s'\n",
                flag, min, max, text);
        return -1;
    }
    *out = (int)v;
    return 0;
}

/* Sets a Lambda option by its API name; prints the core's message on error. */
static int set_option(struct cli *c, const char *name, const char *value)
{
    struct err err = ERR_INIT;
    if (repl_options_set(&c->options, name, value, &err) == 0)
        return 0;
    fprintf(stderr, "dynastream-replicator: %s\n", err.message ? err.message : "bad option");
    err_clear(&err);
    return -1;
}

/* Parses argv into c. Returns 0, 1 for --help, -1 on a usage error (message printed). */
static int parse_flags(int argc, char **argv, struct cli *c)
{
    int opt, level = LOG_INFO;

    memset(c, 0, sizeof *c);
    c->checkpoint_db = DEFAULT_CHECKPOINT_DB;
    c->poll_interval_ms = SOURCE_HTTP_DEFAULT_POLL_MS;
    c->request_timeout_ms = CLIENT_DEFAULT_TIMEOUT_MS;
    c->status_port = -1;
    c->batch_writes = 1;
    repl_options_init(&c->options);
    while ((opt = getopt_long(argc, argv, "h", LONG_OPTIONS, NULL)) != -1) {
        int rc = 0;
        switch (opt) {
        case OPT_SOURCE_ENDPOINT: c->source_endpoint = optarg; break;
        case OPT_SOURCE_TABLE: c->source_table = optarg; break;
        case OPT_TARGET_ENDPOINT: c->target_endpoint = optarg; break;
        case OPT_TARGET_TABLE: c->target_table = optarg; break;
        case OPT_REGION: c->region = optarg; break;
        case OPT_BATCH_SIZE: rc = set_option(c, "BatchSize", optarg); break;
        case OPT_STARTING_POSITION: rc = set_option(c, "StartingPosition", optarg); break;
        case OPT_WINDOW: rc = set_option(c, "MaximumBatchingWindowInSeconds", optarg); break;
        case OPT_RETRIES: rc = set_option(c, "MaximumRetryAttempts", optarg); break;
        case OPT_AGE: rc = set_option(c, "MaximumRecordAgeInSeconds", optarg); break;
        case OPT_BISECT:
            rc = set_option(c, "BisectBatchOnFunctionError", optarg ? optarg : "true");
            break;
        case OPT_NO_BISECT: rc = set_option(c, "BisectBatchOnFunctionError", "false"); break;
        case OPT_ON_FAILURE: rc = set_option(c, "OnFailure", optarg); break;
        case OPT_CHECKPOINT_DB: c->checkpoint_db = optarg; break;
        case OPT_MAPPING_ID: c->mapping_id = optarg; break;
        case OPT_POLL:
            rc = parse_int("poll-interval-ms", optarg, 0, SOURCE_HTTP_MAX_POLL_MS,
                           &c->poll_interval_ms);
            break;
        case OPT_WRITE_MODE:
            if (strcmp(optarg, "batch") == 0 || strcmp(optarg, "single") == 0) {
                c->batch_writes = strcmp(optarg, "batch") == 0;
            } else {
                fprintf(stderr, "dynastream-replicator: --write-mode is batch or single\n");
                rc = -1;
            }
            break;
        case OPT_TIMEOUT:
            rc = parse_int("request-timeout-ms", optarg, 100, 600000, &c->request_timeout_ms);
            break;
        case OPT_STATUS_PORT: rc = parse_int("status-port", optarg, 0, 65535, &c->status_port); break;
        case OPT_LOG_LEVEL:
            for (level = LOG_ERROR; level <= LOG_DEBUG; level++)
                if (strcmp(optarg, (const char *[]){"error", "warn", "info", "debug"}[level]) == 0)
                    break;
            if (level > LOG_DEBUG) {
                fprintf(stderr, "dynastream-replicator: --log-level is error, warn, info or debug\n");
                rc = -1;
            }
            break;
        case OPT_HELP:
        case 'h':
            fputs(USAGE, stdout);
            return 1;
        default:
            fputs(USAGE, stderr);
            return -1;
        }
        if (rc < 0)
            return -1;
    }
    log_set_level((enum log_level)level);
    if (optind < argc) {
        fprintf(stderr, "dynastream-replicator: unexpected argument '%s'\n%s", argv[optind], USAGE);
        return -1;
    }
    if (c->source_endpoint == NULL || c->source_table == NULL || c->target_table == NULL) {
        fprintf(stderr, "dynastream-replicator: --source-endpoint, --source-table and "
                "--target-table are required\n%s", USAGE);
        return -1;
    }
    if (c->target_endpoint == NULL)
        c->target_endpoint = c->source_endpoint;
    if (strcmp(c->source_table, c->target_table) == 0 &&
        strcmp(c->source_endpoint, c->target_endpoint) == 0) {
        fprintf(stderr, "dynastream-replicator: the target table is the source table (give another "
                "--target-table or --target-endpoint)\n");
        return -1;
    }
    return 0;
}

static int make_config(const struct cli *c, struct repl_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->options = c->options;
    if (strlen(c->source_table) >= sizeof cfg->source_table ||
        strlen(c->target_table) >= sizeof cfg->target_table) {
        fprintf(stderr, "dynastream-replicator: table name too long\n");
        return -1;
    }
    snprintf(cfg->source_table, sizeof cfg->source_table, "%s", c->source_table);
    snprintf(cfg->target_table, sizeof cfg->target_table, "%s", c->target_table);
    if (c->mapping_id != NULL) {
        if (strlen(c->mapping_id) == 0 || strlen(c->mapping_id) >= sizeof cfg->id) {
            fprintf(stderr, "dynastream-replicator: --mapping-id must be 1 to %zu bytes\n",
                    sizeof cfg->id - 1);
            return -1;
        }
        snprintf(cfg->id, sizeof cfg->id, "%s", c->mapping_id);
    } else if ((size_t)snprintf(cfg->id, sizeof cfg->id, "%s=%s", c->source_table,
                                c->target_table) >= sizeof cfg->id) {
        fprintf(stderr, "dynastream-replicator: table names too long for a mapping id; give "
                "--mapping-id\n");
        return -1;
    }
    return 0;
}

/* ==================================================================================== */
/* Status endpoint: GET /replicator on loopback, one short connection at a time         */
/* ==================================================================================== */

struct status_server {
    int fd;
    int port;
    pthread_t thread;
    atomic_int stop;
    struct replicator *repl;
    struct source_http_source *src;
    struct source_http_target *dst;
    struct client *source_client, *target_client;
};

static json_t *status_json(struct status_server *s)
{
    json_t *st = repl_status_json(s->repl);
    long sreq, sconn, treq, tconn;
    client_counts(s->source_client, &sreq, &sconn);
    client_counts(s->target_client, &treq, &tconn);
    json_object_set_new(st, "Mode", json_string("standalone"));
    json_object_set_new(st, "SourceEndpoint", json_string(client_endpoint(s->source_client)));
    json_object_set_new(st, "TargetEndpoint", json_string(client_endpoint(s->target_client)));
    json_object_set_new(st, "PollIntervalMs", json_integer(s->src->poll_interval_ms));
    json_object_set_new(st, "ItemsPut", json_integer(atomic_load(&s->dst->puts)));
    json_object_set_new(st, "ItemsDeleted", json_integer(atomic_load(&s->dst->deletes)));
    json_object_set_new(st, "GetRecordsCalls", json_integer(atomic_load(&s->src->get_records)));
    json_object_set_new(st, "SourceRequests", json_integer(sreq));
    json_object_set_new(st, "SourceConnections", json_integer(sconn));
    json_object_set_new(st, "TargetRequests", json_integer(treq));
    json_object_set_new(st, "TargetConnections", json_integer(tconn));
    return st;
}

static void serve_one(struct status_server *s, int fd)
{
    char req[2048], head[256];
    size_t len = 0;
    int64_t deadline_polls = 10;   /* 10 x 100 ms to receive the request line */
    const char *status = "404 Not Found";
    char *body = NULL;

    while (len < sizeof req - 1 && deadline_polls-- > 0) {
        struct pollfd p = {fd, POLLIN, 0};
        ssize_t n;
        if (poll(&p, 1, 100) <= 0)
            continue;
        n = recv(fd, req + len, sizeof req - 1 - len, 0);
        if (n <= 0)
            break;
        len += (size_t)n;
        req[len] = '\0';
        if (strstr(req, "\r\n\r\n") != NULL)
            break;
    }
    req[len] = '\0';
    if (strncmp(req, "GET /replicator ", 16) == 0 || strncmp(req, "GET / ", 6) == 0) {
        json_t *st = status_json(s);
        body = json_dumps(st, JSON_INDENT(2));
        json_decref(st);
        status = "200 OK";
    }
    if (body == NULL)
        body = strdup("{\"message\":\"GET /replicator\"}");
    if (body != NULL) {
        int n = snprintf(head, sizeof head, "HTTP/1.1 %s\r\nContent-Type: application/json\r\n"
                         "Content-Length: %zu\r\nConnection: close\r\n\r\n", status, strlen(body) + 1);
        if (send(fd, head, (size_t)n, MSG_NOSIGNAL) == n) {
            size_t blen = strlen(body);
            body[blen] = '\n';   /* json_dumps/strdup leave the NUL: send len + 1 with a newline */
            if (send(fd, body, blen + 1, MSG_NOSIGNAL) < 0)
                log_debug("status endpoint: send failed: %s", strerror(errno));
        }
    }
    free(body);
}

static void *status_thread(void *arg)
{
    struct status_server *s = arg;
    while (!atomic_load(&s->stop)) {
        struct pollfd p = {s->fd, POLLIN, 0};
        int fd;
        if (poll(&p, 1, 200) <= 0)
            continue;
        fd = accept4(s->fd, NULL, NULL, SOCK_CLOEXEC);
        if (fd < 0)
            continue;
        serve_one(s, fd);
        close(fd);
    }
    return NULL;
}

static int status_start(struct status_server *s, int port)
{
    struct sockaddr_in addr = {0};
    socklen_t alen = sizeof addr;
    int one = 1;

    s->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s->fd < 0)
        return -1;
    setsockopt(s->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(s->fd, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(s->fd, 16) < 0 ||
        getsockname(s->fd, (struct sockaddr *)&addr, &alen) < 0) {
        close(s->fd);
        s->fd = -1;
        return -1;
    }
    s->port = ntohs(addr.sin_port);
    if (pthread_create(&s->thread, NULL, status_thread, s) != 0) {
        close(s->fd);
        s->fd = -1;
        return -1;
    }
    return 0;
}

static void status_stop(struct status_server *s)
{
    if (s->fd < 0)
        return;
    atomic_store(&s->stop, 1);
    pthread_join(s->thread, NULL);
    close(s->fd);
    s->fd = -1;
}

/* ==================================================================================== */
/* Main                                                                                 */
/* ==================================================================================== */

int main(int argc, char **argv)
{
    struct cli cli;
    struct repl_config cfg;
    struct client_credentials creds;
    struct client *source_client = NULL, *target_client = NULL;
    struct checkpoint_db *db = NULL;
    struct source_http_source *src = calloc(1, sizeof *src);
    struct source_http_target *dst = calloc(1, sizeof *dst);
    struct replicator *repl = NULL;
    struct status_server status = {.fd = -1};
    struct err err = ERR_INIT;
    sigset_t signals;
    int rc, exit_code = 1, changed = 0;

    if (src == NULL || dst == NULL) {
        fprintf(stderr, "dynastream-replicator: out of memory\n");
        goto out;
    }
    rc = parse_flags(argc, argv, &cli);
    if (rc != 0) {
        exit_code = rc > 0 ? 0 : 2;
        goto out;
    }
    if (make_config(&cli, &cfg) < 0) {
        exit_code = 2;
        goto out;
    }
    if (client_credentials_from_env(&creds, cli.region, &err) < 0 ||
        client_new(cli.source_endpoint, &creds, cli.request_timeout_ms, &source_client, &err) < 0 ||
        client_new(cli.target_endpoint, &creds, cli.request_timeout_ms, &target_client, &err) < 0) {
        fprintf(stderr, "dynastream-replicator: %s\n", err.message ? err.message : "bad setup");
        exit_code = 2;
        goto out;
    }
    if (checkpoint_open(cli.checkpoint_db, &db, &err) < 0 ||
        checkpoint_bind(db, cfg.id, cli.source_endpoint, cli.target_endpoint, &changed, &err) < 0) {
        log_error("%s", err.message ? err.message : "cannot open the checkpoint file");
        goto out;
    }
    if (changed)
        log_warn("mapping %s was last run against other endpoints; its checkpoints in %s name "
                 "other streams and will not be resumed from (use --mapping-id or another "
                 "--checkpoint-db to keep them apart)", cfg.id, cli.checkpoint_db);

    /* signals are taken by sigtimedwait below, never by the replicator's threads */
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, NULL);
    signal(SIGPIPE, SIG_IGN);

    source_http_source_init(src, source_client, cli.poll_interval_ms);
    source_http_target_init(dst, target_client, db, cli.batch_writes);
    if (repl_create(&cfg, &src->source, &dst->target, &repl, &err) < 0) {
        log_error("%s", err.message ? err.message : "cannot create the replicator");
        goto out;
    }
    log_info("dynastream-replicator: %s at %s -> %s at %s (mapping %s); checkpoints in %s; "
             "polling every %d ms; BatchSize %d, StartingPosition %s; region %s, %s", cfg.source_table,
             cli.source_endpoint, cfg.target_table, cli.target_endpoint, cfg.id, cli.checkpoint_db,
             cli.poll_interval_ms, cfg.options.batch_size,
             cfg.options.starting_position == REPL_LATEST ? "LATEST" : "TRIM_HORIZON",
             creds.region, creds.from_env ? "credentials from the environment"
                                          : "no AWS credentials in the environment: using a local "
                                            "placeholder key pair");
    if (cli.status_port >= 0) {
        status.repl = repl;
        status.src = src;
        status.dst = dst;
        status.source_client = source_client;
        status.target_client = target_client;
        if (status_start(&status, cli.status_port) < 0) {
            log_error("cannot serve the status endpoint on 127.0.0.1:%d: %s", cli.status_port,
                      strerror(errno));
            goto out;
        }
        log_info("status: http://127.0.0.1:%d/replicator", status.port);
    }
    if (repl_start(repl, &err) < 0) {
        log_error("%s", err.message ? err.message : "cannot start the replicator");
        goto out;
    }
    for (;;) {
        struct timespec tick = {1, 0};
        int sig = sigtimedwait(&signals, NULL, &tick);
        if (sig == SIGINT || sig == SIGTERM) {
            log_info("dynastream-replicator: %s: stopping", sig == SIGINT ? "SIGINT" : "SIGTERM");
            break;
        }
    }
    repl_stop(repl);
    {
        int64_t records = 0, lag = 0;
        long sreq, treq;
        repl_counts(repl, &records, &lag);
        client_counts(source_client, &sreq, NULL);
        client_counts(target_client, &treq, NULL);
        log_info("dynastream-replicator: stopped: %lld records processed (%ld items put, %ld "
                 "deleted), last lag %lld ms; %ld requests to the source (%ld GetRecords, %ld "
                 "answered locally while idle), %ld to the target", (long long)records,
                 atomic_load(&dst->puts), atomic_load(&dst->deletes), (long long)lag, sreq,
                 atomic_load(&src->get_records), atomic_load(&src->get_records_local), treq);
    }
    exit_code = 0;
out:
    status_stop(&status);
    repl_free(repl);
    if (src != NULL)
        source_http_source_destroy(src);
    checkpoint_close(db);
    client_free(source_client);
    client_free(target_client);
    free(src);
    free(dst);
    err_clear(&err);
    return exit_code;
}
