/* source_local.h — the bundled (in-process) replicator: for each --replicate mapping, a
 * struct repl_source that runs the Streams API through dispatch_call and waits on the streams
 * commit signal (a change is seen within about a millisecond of its commit), and a struct
 * repl_target that applies a batch and its checkpoint in one transaction through the internal
 * ReplicateBatch operation (exactly-once). One replicator thread per mapping. It finds the source
 * table in whichever namespace (access key, region) holds it and writes the target in the same one.
 * Not here: the replication logic (core.c), HTTP (the standalone CLI's source_http.c). */
#ifndef DYNASTREAM_REPLICATOR_SOURCE_LOCAL_H
#define DYNASTREAM_REPLICATOR_SOURCE_LOCAL_H

#include <jansson.h>

#include "core.h"
#include "errors.h"

struct dispatch_ctx;
struct streams;
struct source_local_set;

/* Starts one replicator thread per mapping of cfgs[0..n). ctx and streams are borrowed and must
 * outlive the set (stop it before them). record_expiry_sec of each config is taken as given.
 * Returns 0 and sets *out, or -1 (nothing left running). */
int source_local_start(const struct dispatch_ctx *ctx, struct streams *streams,
                       const struct repl_config *cfgs, int n, struct source_local_set **out,
                       struct err *err);

/* Stops every thread (a batch being applied finishes first) and frees. NULL-safe. */
void source_local_stop(struct source_local_set *set);

/* {"Replicators": [status of each mapping (repl_status_json) plus AccessKeyId and Region of the
 * namespace it follows, once found]}: a new reference. arg is the set (the signature fits
 * dispatch_ctx.replicator_status). Thread-safe. */
json_t *source_local_status(void *set);

#endif
