/* main.c — dynastream's entry point: flags (ours and DynamoDB Local's spellings), start-up of the
 * store, the table cache and the HTTP server, then a wait for SIGINT/SIGTERM and an orderly
 * shutdown in reverse order (in-flight requests finish; everything is freed so leaks show). */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "dispatch.h"
#include "http.h"
#include "log.h"
#include "store.h"
#include "streams.h"
#include "table.h"

#include "../replicator/core.h"
#include "../replicator/source_local.h"
#include "ttl.h"

#define DYNASTREAM_VERSION "0.1.0"

static void usage(FILE *to)
{
    fprintf(to,
        "usage: dynastream [options]\n"
        "A local DynamoDB + DynamoDB Streams endpoint.\n\n"
        "  --host ADDR            listen address (default 127.0.0.1)\n"
        "  --port N, -port N      listen port (default 8000; 0 picks a free one)\n"
        "  --db-path DIR, -dbPath DIR\n"
        "                         directory of dynastream.db (default ./data)\n"
        "  --in-memory, -inMemory keep everything in memory (gone at exit)\n"
        "  --shared-db, -sharedDb one set of tables for all access keys and regions\n"
        "  --durable              fsync every commit (synchronous=FULL)\n"
        "  --threads N            HTTP worker threads (default: 4 x cores, at least 16)\n"
        "  --log-level LEVEL      error, warn, info (default) or debug (one line per request)\n"
        "  --replicate SRC=DST[,Option=Value...]\n"
        "                         replicate table SRC into DST through SRC's stream, like a Lambda\n"
        "                         event source mapping, exactly once (repeatable). Options, with\n"
        "                         Lambda's names and defaults: BatchSize=100 (1-10000),\n"
        "                         StartingPosition=TRIM_HORIZON|LATEST, MaximumBatchingWindowInSeconds=0\n"
        "                         (0-300), MaximumRetryAttempts=-1 (-1 = until the record expires,\n"
        "                         0-10000), MaximumRecordAgeInSeconds=-1 (-1 or 1-604800),\n"
        "                         BisectBatchOnFunctionError=false, OnFailure=FILE (JSON lines naming\n"
        "                         shard and sequence range of discarded records). Status: GET /replicator\n"
        "  --shard-rotation SEC   close stream shards after SEC seconds (default 14400)\n"
        "  --stream-retention SEC keep stream records SEC seconds (default 86400)\n"
        "  --help, --version\n"
        "DynamoDB Local's -cors, -delayTransientStatuses and -optimizeDbBeforeStartup are accepted\n"
        "and ignored.\n");
}

static int parse_level(const char *s)
{
    static const char *names[] = {"error", "warn", "info", "debug"};
    for (int i = 0; i < 4; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

static int parse_int(const char *s, long min, long max, long *out)
{
    char *end;
    long v;
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno != 0 || *end != '\0' || end == s || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

static int parse_args(int argc, char **argv, struct config *cfg)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        long n;
#define TAKES_VALUE()                                                             \
    do {                                                                          \
        if (val == NULL) {                                                        \
            fprintf(stderr, "dynastream: %s needs a value\n", a);                 \
            return -1;                                                            \
        }                                                                         \
        i++;                                                                      \
    } while (0)
        if (strcmp(a, "--help") == 0 || strcmp(a, "-help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            exit(0);
        } else if (strcmp(a, "--version") == 0 || strcmp(a, "-version") == 0) {
            printf("dynastream %s\n", DYNASTREAM_VERSION);
            exit(0);
        } else if (strcmp(a, "--port") == 0 || strcmp(a, "-port") == 0) {
            TAKES_VALUE();
            if (parse_int(val, 0, 65535, &n) < 0) {
                fprintf(stderr, "dynastream: bad port '%s'\n", val);
                return -1;
            }
            cfg->port = (int)n;
        } else if (strcmp(a, "--host") == 0) {
            TAKES_VALUE();
            cfg->host = val;
        } else if (strcmp(a, "--db-path") == 0 || strcmp(a, "-dbPath") == 0) {
            TAKES_VALUE();
            cfg->db_path = val;
        } else if (strcmp(a, "--in-memory") == 0 || strcmp(a, "-inMemory") == 0) {
            cfg->in_memory = 1;
        } else if (strcmp(a, "--shared-db") == 0 || strcmp(a, "-sharedDb") == 0) {
            cfg->shared_db = 1;
        } else if (strcmp(a, "--durable") == 0) {
            cfg->durable = 1;
        } else if (strcmp(a, "--threads") == 0) {
            TAKES_VALUE();
            if (parse_int(val, 1, 256, &n) < 0) {
                fprintf(stderr, "dynastream: bad thread count '%s'\n", val);
                return -1;
            }
            cfg->threads = (int)n;
        } else if (strcmp(a, "--log-level") == 0) {
            TAKES_VALUE();
            if ((cfg->log_level = parse_level(val)) < 0) {
                fprintf(stderr, "dynastream: bad log level '%s'\n", val);
                return -1;
            }
        } else if (strcmp(a, "--replicate") == 0) {
            struct repl_config rc;
            struct err perr = ERR_INIT;
            TAKES_VALUE();
            if (cfg->n_replications == CONFIG_MAX_REPLICATIONS) {
                fprintf(stderr, "dynastream: at most %d --replicate mappings\n", CONFIG_MAX_REPLICATIONS);
                return -1;
            }
            if (repl_config_parse(val, &rc, &perr) < 0) {
                fprintf(stderr, "dynastream: --replicate %s: %s\n", val, perr.message ? perr.message : "invalid");
                err_clear(&perr);
                return -1;
            }
            for (int k = 0; k < cfg->n_replications; k++) {
                if (strcmp(cfg->replications[k].source, rc.source_table) == 0 &&
                    strcmp(cfg->replications[k].target, rc.target_table) == 0) {
                    /* two mappings with one id would share (and fight over) their checkpoints */
                    fprintf(stderr, "dynastream: --replicate %s=%s is given twice\n", rc.source_table,
                            rc.target_table);
                    return -1;
                }
            }
            cfg->replications[cfg->n_replications].source = strdup(rc.source_table);
            cfg->replications[cfg->n_replications].target = strdup(rc.target_table);
            cfg->replications[cfg->n_replications].text = strdup(val);
            cfg->n_replications++;
        } else if (strcmp(a, "--shard-rotation") == 0 || strcmp(a, "--stream-retention") == 0) {
            TAKES_VALUE();
            if (parse_int(val, 1, 100L * 365 * 86400, &n) < 0) {
                fprintf(stderr, "dynastream: bad number of seconds '%s'\n", val);
                return -1;
            }
            if (a[2] == 's' && a[3] == 'h')
                cfg->shard_rotation_sec = n;
            else
                cfg->stream_retention_sec = n;
        } else if (strcmp(a, "-cors") == 0) {
            TAKES_VALUE();
        } else if (strcmp(a, "-delayTransientStatuses") == 0 ||
                   strcmp(a, "-optimizeDbBeforeStartup") == 0) {
            /* accepted for DynamoDB Local scripts; nothing to do */
        } else {
            fprintf(stderr, "dynastream: unknown option '%s' (see --help)\n", a);
            return -1;
        }
#undef TAKES_VALUE
    }
    return 0;
}

static void free_replications(struct config *cfg)
{
    for (int i = 0; i < cfg->n_replications; i++) {
        free(cfg->replications[i].source);
        free(cfg->replications[i].target);
        free(cfg->replications[i].text);
    }
    cfg->n_replications = 0;
}

int main(int argc, char **argv)
{
    struct config cfg = {
        .host = "127.0.0.1",
        .port = 8000,
        .db_path = "./data",
        .log_level = LOG_INFO,
        .shard_rotation_sec = 4 * 3600,
        .stream_retention_sec = 24 * 3600,
    };
    struct err err = ERR_INIT;
    struct store *store = NULL;
    struct table_cache *tables = NULL;
    struct http_server *http = NULL;
    struct streams *streams = NULL;
    struct ttl_sweeper *ttl = NULL;
    struct source_local_set *replicators = NULL;
    struct dispatch_ctx ctx = {0};
    sigset_t signals;
    int sig = 0, status = 1;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);

    if (parse_args(argc, argv, &cfg) < 0) {
        free_replications(&cfg);
        return 2;
    }
    if (cfg.threads == 0)
        cfg.threads = cores * 4 < 16 ? 16 : (int)(cores * 4);
    log_set_level((enum log_level)cfg.log_level);

    /* signals are taken by sigwait below, never by a worker thread */
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, NULL);
    signal(SIGPIPE, SIG_IGN);

    {
        struct store_options opts = {
            .dir = cfg.db_path,
            .in_memory = cfg.in_memory,
            .durable = cfg.durable,
            .connections = cfg.threads + 2 + cfg.n_replications,
        };
        if (store_open(&opts, &store, &err) < 0)
            goto out;
    }
    tables = table_cache_new();
    if (streams_start(store, cfg.shard_rotation_sec, cfg.stream_retention_sec, &streams, &err) < 0 ||
        ttl_sweeper_start(store, tables, 1000, &ttl, &err) < 0)
        goto out;
    ctx = (struct dispatch_ctx){.config = &cfg, .store = store, .tables = tables};
    if (cfg.n_replications > 0) {
        /* the bundled replicator: one thread per mapping, started before HTTP so that the status
         * endpoint has something to show, stopped after HTTP and before the streams and store */
        struct repl_config maps[CONFIG_MAX_REPLICATIONS];
        for (int i = 0; i < cfg.n_replications; i++) {
            if (repl_config_parse(cfg.replications[i].text, &maps[i], &err) < 0)
                goto out;
            maps[i].record_expiry_sec = cfg.stream_retention_sec;
        }
        if (source_local_start(&ctx, streams, maps, cfg.n_replications, &replicators, &err) < 0)
            goto out;
        ctx.replicator_status = source_local_status;
        ctx.replicator_status_arg = replicators;
    }
    {
        if (http_start(&cfg, &ctx, &http, &err) < 0)
            goto out;
        log_info("dynastream %s listening on http://%s:%d (%s, %d threads)", DYNASTREAM_VERSION,
                 cfg.host, http_port(http), cfg.in_memory ? "in memory" : cfg.db_path, cfg.threads);
        while (sigwait(&signals, &sig) != 0)
            ;
        log_info("signal %d: shutting down", sig);
        http_stop(http);
        http = NULL;
    }
    status = 0;
out:
    if (err_isset(&err))
        log_error("%s", err.message ? err.message : err_name(err.code));
    err_clear(&err);
    http_stop(http);
    source_local_stop(replicators);
    ttl_sweeper_stop(ttl);
    streams_stop(streams);
    table_cache_free(tables);
    store_close(store);
    free_replications(&cfg);
    return status;
}
