/* checkpoint.h — the standalone replicator's checkpoints, in a local SQLite file of its own
 * (--checkpoint-db, default ./replicator-checkpoints.db): how far each mapping has applied each
 * shard, with the same row shape and merge rule as the bundled replicator's
 * replicator_checkpoints table (schema/004_replicator.sql), plus which endpoints each mapping was
 * last run against. Not here: replication logic (core.c), the replica writes (source_http.c).
 * One connection, used by one thread at a time (the replicator's). */
#ifndef DYNASTREAM_REPLICATOR_CHECKPOINT_H
#define DYNASTREAM_REPLICATOR_CHECKPOINT_H

#include "core.h"
#include "errors.h"

struct checkpoint_db;

/* Opens (creating if needed) the checkpoint file at path and applies its schema (WAL,
 * synchronous=NORMAL: a checkpoint lost with the machine only means records applied again, which
 * the at-least-once replicator tolerates). Returns 0 and sets *out, or -1 with ERR_INTERNAL
 * (cannot open, not a checkpoint file, a newer schema version). */
int checkpoint_open(const char *path, struct checkpoint_db **out, struct err *err);

/* Closes. NULL-safe. */
void checkpoint_close(struct checkpoint_db *db);

/* Records that mapping runs from source_endpoint to target_endpoint. Sets *changed when the file
 * knew the mapping with other endpoints (its checkpoints then belong to other streams: the caller
 * warns). Returns 0, or -1 with ERR_INTERNAL. */
int checkpoint_bind(struct checkpoint_db *db, const char *mapping, const char *source_endpoint,
                    const char *target_endpoint, int *changed, struct err *err);

/* Saves cp for mapping: insert, or update the row of (mapping, shard) — stream ARN replaced, the
 * sequence replaced unless cp->sequence is "" (then kept), done = old done OR cp->done (the rule of
 * core.c's own checkpoint cache). Returns 0, or -1 with ERR_INTERNAL. */
int checkpoint_save(struct checkpoint_db *db, const char *mapping, const struct repl_checkpoint *cp,
                    struct err *err);

/* Calls fn(arg, cp) for every checkpoint of mapping, oldest update first, until fn returns
 * non-zero. Returns 0, or -1 with ERR_INTERNAL. (The shape of struct repl_target.checkpoints.) */
int checkpoint_list(struct checkpoint_db *db, const char *mapping,
                    int (*fn)(void *arg, const struct repl_checkpoint *cp), void *arg,
                    struct err *err);

#endif
