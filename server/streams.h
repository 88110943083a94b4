/* streams.h — the life of DynamoDB Streams outside requests: a maintenance thread that closes each
 * stream's open shard after the rotation period and opens its child, closes the shards of disabled
 * streams, and trims records and shards past the retention period; and a commit signal (a
 * generation counter with a condition variable) that wakes in-process stream consumers the moment
 * a write commits, instead of leaving them to poll on a timer. */
#ifndef DYNASTREAM_STREAMS_H
#define DYNASTREAM_STREAMS_H

#include <stdint.h>

#include "errors.h"

struct store;
struct streams;

/* Starts the maintenance thread (rotation and retention in seconds) and registers the commit
 * signal with the store. Returns 0 and sets *out, or -1. */
int streams_start(struct store *store, long rotation_sec, long retention_sec,
                  struct streams **out, struct err *err);
/* Stops the thread and frees. NULL-safe. */
void streams_stop(struct streams *streams);

/* The number of commits so far (changes whenever a write commits). */
uint64_t streams_generation(struct streams *streams);
/* Waits until the generation differs from `seen` or timeout_ms passes. Returns the generation. */
uint64_t streams_wait(struct streams *streams, uint64_t seen, int timeout_ms);

#endif
