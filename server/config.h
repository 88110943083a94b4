/* config.h — the server's settings, filled once by main.c from the command line and read-only
 * afterwards. Everything a module needs to know about how it was started is here. */
#ifndef DYNASTREAM_CONFIG_H
#define DYNASTREAM_CONFIG_H

#define CONFIG_MAX_REPLICATIONS 16

struct replication_spec {
    char *source;   /* source table name */
    char *target;   /* target table name */
    char *text;     /* the whole --replicate value, "SRC=DST[,Option=Value...]" (replicator/core.h) */
};

struct config {
    const char *host;          /* listen address, default 127.0.0.1 */
    int port;                  /* default 8000 */
    const char *db_path;       /* directory of dynastream.db, default ./data */
    int in_memory;             /* --in-memory / -inMemory */
    int shared_db;             /* --shared-db / -sharedDb: one namespace for all keys and regions */
    int durable;               /* --durable: synchronous=FULL */
    int threads;               /* HTTP worker threads (and SQLite connections) */
    int log_level;             /* enum log_level */
    long shard_rotation_sec;   /* streams: open shard lifetime (issue: streams) */
    long stream_retention_sec; /* streams: record retention */
    int n_replications;
    struct replication_spec replications[CONFIG_MAX_REPLICATIONS];
};

#endif
