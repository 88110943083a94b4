/* ttl.h — the Time to Live sweeper (ttl.c): a thread that deletes expired items of the tables
 * with TTL enabled, through the one write path. UpdateTimeToLive/DescribeTimeToLive are in ops.h. */
#ifndef DYNASTREAM_TTL_H
#define DYNASTREAM_TTL_H

#include "errors.h"

struct store;
struct table_cache;
struct ttl_sweeper;

/* Starts the sweeper: a pass every interval_ms (<= 0: 1000). */
int ttl_sweeper_start(struct store *store, struct table_cache *tables, long interval_ms,
                      struct ttl_sweeper **out, struct err *err);
/* Stops and frees it (NULL-safe). */
void ttl_sweeper_stop(struct ttl_sweeper *sweeper);

#endif
