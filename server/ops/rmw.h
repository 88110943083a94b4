/* rmw.h — the read-modify-write skeleton shared by PutItem, UpdateItem and DeleteItem (the shape
 * of Alternator's rmw_operation). The caller validates the request and fills a struct rmw; rmw_run
 * then, as one atomic write (store_write), looks the table up, builds the key, reads the old item,
 * checks the condition (ConditionalCheckFailedException "The conditional request failed", with
 * the old item when asked for), asks `modify` for the new item — a pure function of the old one, with no side effects, so that
 * a failed or retried write leaves nothing behind — and writes the change through write.c.
 * What the response needs (old and new item, sizes, table) is left in the struct. */
#ifndef DYNASTREAM_RMW_H
#define DYNASTREAM_RMW_H

#include <jansson.h>
#include <stdint.h>

#include "errors.h"
#include "key.h"
#include "limits.h"
#include "request.h"
#include "table.h"

struct expr;

struct rmw;

/* Computes the new item from the old one (NULL when there is none). Sets *new_item to a new
 * reference, or to NULL to delete the item — which, when there was no old item, writes nothing at
 * all (no item, no statistics, no stream record). Must not touch the store. */
typedef int (*rmw_modify_fn)(struct rmw *r, const json_t *old_item, json_t **new_item,
                             struct err *err);

struct rmw {
    /* inputs */
    struct request *req;
    const char *table_name;
    const json_t *key_item;       /* where the key comes from: the Item (PutItem) ... */
    const json_t *key_param;      /* ... or the Key parameter (UpdateItem, DeleteItem) */
    int need_old_item;            /* parse the old item even if modify does not need it */
    const struct expr *condition; /* ConditionExpression / Expected, or NULL */
    int old_on_failure;           /* ReturnValuesOnConditionCheckFailure=ALL_OLD */
    rmw_modify_fn modify;         /* NULL: put `new_item_given` as is */
    const struct expr *update;    /* UpdateItem: its update, whose charged size is held to the
                                     item limit too (expr_update_charged_size); else NULL */
    const json_t *new_item_given; /* PutItem: the canonical new item (borrowed) */
    const char *new_json_given;   /* and its JSON text (borrowed) */
    int64_t new_size_given;
    void *arg;                    /* for modify */

    /* results */
    struct table *table;          /* owned reference */
    struct item_key key;
    char *old_json;               /* stored old item, NULL if none (owned) */
    int64_t old_size;
    json_t *old_item;             /* parsed old item when needed (owned) */
    json_t *new_item;             /* the new item, NULL when deleted (owned) */
    char *new_json;               /* its JSON (owned, unless it is new_json_given) */
    int64_t new_size;
    double index_units[LIMIT_GSI_PER_TABLE + LIMIT_LSI_PER_TABLE];  /* write cost per index */
};

/* Runs the write. Returns 0, or -1 with err set (nothing was written). */
int rmw_run(struct rmw *r, struct err *err);
/* Releases the results. */
void rmw_free(struct rmw *r);

#endif
