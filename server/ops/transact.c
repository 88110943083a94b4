/* transact.c — TransactWriteItems and TransactGetItems (API reference of each; developer guide
 * "Amazon DynamoDB Transactions"). Per action in request order what the request alone tells (kind,
 * values, put size, expressions), the 4 MB total; then in one store_write (or one read snapshot):
 * tables, keys, one action per item, conditions, new items. A fault of one action (condition, key
 * of the wrong type, update that cannot apply) is a cancellation reason, listed for every action in
 * order; a request-level fault (missing table, empty key value) is a plain error. Nothing is
 * written unless every action succeeds. Entry points: op_transact_write_items and
 * op_transact_get_items; the ClientRequestToken table is in "idempotency" below. */
#include <openssl/evp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "batch.h"
#include "capacity.h"
#include "expr/expr.h"
#include "key.h"
#include "limits.h"
#include "ops.h"
#include "reqexpr.h"
#include "store.h"
#include "respond.h"
#include "strbuf.h"
#include "table.h"
#include "value.h"
#include "write.h"

#define INDEX_SLOTS (LIMIT_GSI_PER_TABLE + LIMIT_LSI_PER_TABLE)
/* DynamoDB charges every item of a transaction twice: one transactional write request is 2 WCUs
 * per KB, one transactional read 2 RCUs per 4 KB (developer guide "Capacity management for
 * transactions"; conformance tier2/transactions: two small puts cost 4, two gets 4). */
#define TRANSACT_FACTOR 2.0

static const char MSG_CANCELLED[] =
    "Transaction cancelled, please refer cancellation reasons for specific reasons [%s]";
static const char MSG_MULTIPLE_OPS[] =
    "Transaction request cannot include multiple operations on one item";
static const char MSG_CONDITION_FAILED[] = "The conditional request failed";
static const char MSG_UPDATE_TOO_BIG[] =
    "Item size to update has exceeded the maximum allowed size";
/* moto and DynamoDB Local word these two alike; no capture of real DynamoDB has them. */
static const char MSG_NO_ACTION[] =
    "Invalid Request: TransactWriteRequest should contain Delete or Put or Update request";
static const char MSG_TWO_ACTIONS[] =
    "TransactItems can only contain one of Check, Put, Update or Delete";
/* The 4 MB rule: the conformance suite pins only the type (tier3/limits/transactionLimits); this
 * is DynamoDB Local's text, whose figure is the sum of the put items' sizes. */
static const char MSG_PAYLOAD_TOO_BIG[] =
    "Transaction payload size cannot exceed 4MB. Payload Size: %lld";
/* No capture of real DynamoDB has a message for these two: DynamoDB Local sends an empty one for a
 * mismatch; the in-progress text is what AWS SDK users quote (aws-sdk-java-v2 issue 2518). */
static const char MSG_IDEMPOTENT_MISMATCH[] = "";
static const char MSG_IN_PROGRESS[] = "Transaction from previous request is still in progress";

static int str_is(const json_t *o, const char *key, const char *want)
{
    const char *v = str_field(o, key);
    return v != NULL && strcmp(v, want) == 0;
}

static int same_key(const struct store_key *a, const struct store_key *b)
{
    return a->hash == b->hash && a->hk_len == b->hk_len && a->rk_len == b->rk_len &&
           memcmp(a->hk, b->hk, a->hk_len) == 0 && memcmp(a->rk, b->rk, a->rk_len) == 0;
}

/* ====================================================================== cancellation ========= */

/* One action's outcome: a reason code (NULL: "None"), its message and, for a failed condition
 * with ReturnValuesOnConditionCheckFailure=ALL_OLD, the item. */
struct reason {
    const char *code;
    char *message;          /* owned */
    json_t *item;           /* owned */
};

static void reason_clear(struct reason *r)
{
    free(r->message);
    json_decref(r->item);
    memset(r, 0, sizeof *r);
}

/* If err is an action-level validation error (see batch.h), moves it into r as a ValidationError
 * reason, clears err and returns 1; otherwise leaves err alone and returns 0. */
static int reason_take(struct reason *r, struct err *err)
{
    if (err->code != ERR_VALIDATION || batch_err_is_request_level(err))
        return 0;
    r->code = "ValidationError";
    r->message = err->message != NULL ? err->message : strdup("");
    err->message = NULL;
    err_clear(err);
    return 1;
}

/* TransactionCanceledException with one reason per action, in order. Returns -1. */
static int cancel(struct reason *reasons, size_t n, struct err *err)
{
    struct strbuf codes = STRBUF_INIT;
    json_t *list = json_array();
    char *text;

    for (size_t i = 0; i < n; i++) {
        json_t *r = json_object();
        const char *code = reasons[i].code != NULL ? reasons[i].code : "None";
        strbuf_puts(&codes, i ? ", " : "");
        strbuf_puts(&codes, code);
        json_object_set_new(r, "Code", json_string(code));
        if (reasons[i].code != NULL) {
            const char *message = reasons[i].message != NULL ? reasons[i].message : "";
            json_object_set_new(r, "Message", json_string(message));
            if (reasons[i].item != NULL)
                json_object_set(r, "Item", reasons[i].item);
        }
        json_array_append_new(list, r);
    }
    text = strbuf_finish(&codes);
    if (text == NULL || err_isset(err)) {
        free(text);
        json_decref(list);
        return err_set(err, ERR_INTERNAL, "out of memory");
    }
    err_set(err, ERR_TRANSACTION_CANCELED, MSG_CANCELLED, text);
    err->capital_message = 1;   /* the model's member is "Message" (botocore's service model) */
    err_add_field(err, "CancellationReasons", list);
    free(text);
    return -1;
}

/* ====================================================================== capacity ============= */

/* Capacity of one table in a transaction, in the order tables first appear. */
struct tcap {
    const struct table *table;  /* borrowed from an action */
    double read, write;
    double index_units[INDEX_SLOTS];
};

static struct tcap *tcap_for(struct tcap *caps, size_t *n, const struct table *table)
{
    for (size_t i = 0; i < *n; i++)
        if (caps[i].table->id == table->id)
            return &caps[i];
    memset(&caps[*n], 0, sizeof caps[*n]);
    caps[*n].table = table;
    return &caps[(*n)++];
}

static void set_units(json_t *o, double read, double write)
{
    json_object_set_new(o, "CapacityUnits", json_real(read + write));
    if (read > 0)
        json_object_set_new(o, "ReadCapacityUnits", json_real(read));
    if (write > 0)
        json_object_set_new(o, "WriteCapacityUnits", json_real(write));
}

/* ConsumedCapacity of a transaction: per table its CapacityUnits with the read/write split (as
 * DynamoDB reports transactions: conformance tier2/transactions "INDEXES breakdown includes the
 * table read capacity units"), and with INDEXES the table and each index. NULL for NONE. */
static json_t *tcap_json(const char *mode, const struct tcap *caps, size_t n)
{
    json_t *list;
    if (mode == NULL || (strcmp(mode, "TOTAL") != 0 && strcmp(mode, "INDEXES") != 0))
        return NULL;
    list = json_array();
    for (size_t i = 0; i < n; i++) {
        const struct tcap *c = &caps[i];
        json_t *cc = json_object();
        double index_total = 0;
        for (int k = 0; k < c->table->n_indexes && k < INDEX_SLOTS; k++)
            index_total += c->index_units[k];
        json_object_set_new(cc, "TableName", json_string(c->table->name));
        set_units(cc, c->read, c->write + index_total);
        if (strcmp(mode, "INDEXES") == 0) {
            json_t *t = json_object();
            set_units(t, c->read, c->write);
            json_object_set_new(cc, "Table", t);
            for (int k = 0; k < c->table->n_indexes && k < INDEX_SLOTS; k++) {
                const struct table_index *ix = &c->table->indexes[k];
                const char *group = ix->global ? "GlobalSecondaryIndexes"
                                               : "LocalSecondaryIndexes";
                json_t *map, *entry;
                if (c->index_units[k] <= 0)
                    continue;
                if ((map = json_object_get(cc, group)) == NULL) {
                    map = json_object();
                    json_object_set_new(cc, group, map);
                }
                entry = json_object();
                set_units(entry, 0, c->index_units[k]);
                json_object_set_new(map, ix->name, entry);
            }
        }
        json_array_append_new(list, cc);
    }
    return list;
}

/* ====================================================================== idempotency ========== */

/* ClientRequestToken: a token is bound to the request that first used it (a digest of its
 * TransactItems and ReturnItemCollectionMetrics; ReturnConsumedCapacity may differ, as on DynamoDB
 * Local, because DynamoDB documents that a replay answers with read units) for 10 minutes after
 * that request completed. A replay gets the first answer again and writes nothing; another request
 * with the token gets IdempotentParameterMismatchException; one arriving while the first still
 * runs, TransactionInProgressException. Only successful transactions bind a token: a cancelled one
 * changed nothing, so a retry simply runs again. The table lives in memory, behind one mutex:
 * a restart forgets every token (a replay after a restart runs again). */

#define TOKEN_BUCKETS 4096   /* a bucket is scanned (and purged of expired tokens) per claim */

struct token {
    char *name;                     /* account \x1f region \x1f token */
    unsigned char digest[32];
    int done;                       /* 0 while the first request runs */
    double expires;                 /* CLOCK_MONOTONIC seconds, once done */
    json_t *metrics;                /* ItemCollectionMetrics of the first answer, or NULL */
    json_t *replay_units;           /* [[table name, read units], ...] of a replay */
    struct token *next;
};

static pthread_mutex_t tokens_lock = PTHREAD_MUTEX_INITIALIZER;
static struct token *token_buckets[TOKEN_BUCKETS];
static pthread_once_t tokens_once = PTHREAD_ONCE_INIT;

static void token_free(struct token *t)
{
    if (t == NULL)
        return;
    free(t->name);
    json_decref(t->metrics);
    json_decref(t->replay_units);
    free(t);
}

/* At exit, so that leak checking sees a clean heap. */
static void tokens_free_all(void)
{
    pthread_mutex_lock(&tokens_lock);
    for (size_t b = 0; b < TOKEN_BUCKETS; b++) {
        while (token_buckets[b] != NULL) {
            struct token *t = token_buckets[b];
            token_buckets[b] = t->next;
            token_free(t);
        }
    }
    pthread_mutex_unlock(&tokens_lock);
}

static void tokens_init(void)
{
    atexit(tokens_free_all);
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct token **token_bucket(const char *name)
{
    uint32_t h = 2166136261u;   /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        h = (h ^ *p) * 16777619u;
    return &token_buckets[h % TOKEN_BUCKETS];
}

/* Finds name in its bucket, dropping expired entries on the way. Call with the lock held. */
static struct token *token_find(const char *name, double now)
{
    struct token **pp = token_bucket(name);
    while (*pp != NULL) {
        struct token *t = *pp;
        if (t->done && t->expires <= now) {
            *pp = t->next;
            token_free(t);
            continue;
        }
        if (strcmp(t->name, name) == 0)
            return t;
        pp = &t->next;
    }
    return NULL;
}

static void token_remove(const char *name)
{
    struct token **pp;
    pthread_mutex_lock(&tokens_lock);
    for (pp = token_bucket(name); *pp != NULL; pp = &(*pp)->next) {
        if (strcmp((*pp)->name, name) == 0) {
            struct token *t = *pp;
            *pp = t->next;
            token_free(t);
            break;
        }
    }
    pthread_mutex_unlock(&tokens_lock);
}

/* The digest that binds a token: SHA-256 of the compared parameters as canonical JSON (keys
 * sorted, so member order does not matter, as on DynamoDB: localstack issue 6529). */
static int request_digest(const json_t *body, unsigned char digest[32], struct err *err)
{
    json_t *bound = json_object();
    char *text;
    unsigned int len = 0;
    int ok;

    json_object_set(bound, "TransactItems", json_object_get(body, "TransactItems"));
    if (json_object_get(body, "ReturnItemCollectionMetrics") != NULL)
        json_object_set(bound, "ReturnItemCollectionMetrics",
                        json_object_get(body, "ReturnItemCollectionMetrics"));
    text = json_dumps(bound, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(bound);
    if (text == NULL)
        return err_set(err, ERR_INTERNAL, "out of memory");
    ok = EVP_Digest(text, strlen(text), digest, &len, EVP_sha256(), NULL) == 1 && len == 32;
    free(text);
    return ok ? 0 : err_set(err, ERR_INTERNAL, "SHA-256 failed");
}

/* Looks the token up. Returns 1 with *replay set (a new reference to the recorded answer parts:
 * {"metrics": ..., "units": ...}) for a replay; 0 when the request is to run (the token is then
 * recorded as in progress); -1 with err set on a mismatch or an unfinished first request. */
static int token_claim(const char *name, const unsigned char digest[32], json_t **replay,
                       struct err *err)
{
    struct token *t;
    int rc = 0;

    pthread_once(&tokens_once, tokens_init);
    pthread_mutex_lock(&tokens_lock);
    t = token_find(name, now_seconds());
    if (t != NULL) {
        if (memcmp(t->digest, digest, 32) != 0)
            rc = err_set(err, ERR_IDEMPOTENT_MISMATCH, "%s", MSG_IDEMPOTENT_MISMATCH);
        else if (!t->done)
            rc = err_set(err, ERR_TRANSACTION_IN_PROGRESS, "%s", MSG_IN_PROGRESS);
        else {
            *replay = json_object();
            if (t->metrics != NULL)
                json_object_set(*replay, "metrics", t->metrics);
            json_object_set(*replay, "units", t->replay_units);
            rc = 1;
        }
    } else if ((t = calloc(1, sizeof *t)) == NULL || (t->name = strdup(name)) == NULL) {
        free(t);
        rc = err_set(err, ERR_INTERNAL, "out of memory");
    } else {
        struct token **bucket = token_bucket(name);
        memcpy(t->digest, digest, 32);
        t->next = *bucket;
        *bucket = t;
    }
    pthread_mutex_unlock(&tokens_lock);
    return rc;
}

/* Marks the token's first request done (steals metrics and units). */
static void token_complete(const char *name, json_t *metrics, json_t *units)
{
    struct token *t;
    pthread_mutex_lock(&tokens_lock);
    t = token_find(name, now_seconds());
    if (t != NULL) {
        t->done = 1;
        t->expires = now_seconds() + LIMIT_IDEMPOTENCY_SECONDS;
        t->metrics = metrics;
        t->replay_units = units;
        metrics = units = NULL;
    }
    pthread_mutex_unlock(&tokens_lock);
    json_decref(metrics);
    json_decref(units);
}

/* ================================================================== TransactWriteItems ======= */

enum act_kind { ACT_CHECK, ACT_PUT, ACT_DELETE, ACT_UPDATE };

static const char *const act_members[] = {"ConditionCheck", "Put", "Delete", "Update"};
static const enum expr_op act_ops[] = {EXPR_OP_TRANSACT_CONDITION_CHECK, EXPR_OP_TRANSACT_PUT,
                                       EXPR_OP_TRANSACT_DELETE, EXPR_OP_TRANSACT_UPDATE};

struct action {
    enum act_kind kind;
    const json_t *obj;              /* the action's object (borrowed from the request) */
    const char *table_name;
    struct expr_request ex;
    json_t *canonical;              /* Put: the canonical item (owned) */
    char *text;                     /* Put: its JSON (owned) */
    int64_t size;                   /* Put: its size */
    /* per attempt */
    struct table *table;            /* owned reference */
    struct item_key key;
    int have_key;
    char *old_json;                 /* owned */
    int64_t old_size;
    json_t *old_item;               /* owned */
    json_t *new_item;               /* owned; NULL to delete (or for a check) */
    char *new_json;                 /* owned unless == text */
    int64_t new_size;
    double index_units[INDEX_SLOTS];
};

struct tw {
    struct request *req;
    struct action *acts;
    struct reason *reasons;
    size_t n;
    json_t *metrics;                /* ItemCollectionMetrics when asked for, else NULL */
    struct tcap *caps;              /* per table, after a successful write */
    size_t ncaps;
};

static void action_reset(struct action *a)
{
    table_release(a->table);
    a->table = NULL;
    item_key_free(&a->key);
    memset(&a->key, 0, sizeof a->key);
    a->have_key = 0;
    free(a->old_json);
    a->old_json = NULL;
    a->old_size = 0;
    json_decref(a->old_item);
    a->old_item = NULL;
    json_decref(a->new_item);
    a->new_item = NULL;
    if (a->new_json != a->text)
        free(a->new_json);
    a->new_json = NULL;
    a->new_size = 0;
    memset(a->index_units, 0, sizeof a->index_units);
}

static void tw_reset(struct tw *t)
{
    for (size_t i = 0; i < t->n; i++) {
        action_reset(&t->acts[i]);
        reason_clear(&t->reasons[i]);
    }
    if (t->metrics != NULL)
        json_object_clear(t->metrics);
    t->ncaps = 0;
}

/* What the request alone tells about one action: exactly one kind, the expression parameter rules,
 * AttributeValues, a Put's size, the expressions (paritysuite dynamodb-conformance
 * tier3/validation-ordering/transactions: checked per action in request order, before any table
 * is looked up). */
static int tw_check_action(struct action *a, const json_t *elem, struct err *err)
{
    int count = 0;

    for (int k = 0; k < 4; k++) {
        const json_t *v = json_object_get(elem, act_members[k]);
        if (v != NULL && !json_is_null(v)) {
            count++;
            a->kind = (enum act_kind)k;
            a->obj = v;
        }
    }
    if (count == 0)
        return err_set(err, ERR_VALIDATION, "%s", MSG_NO_ACTION);
    if (count > 1)
        return err_set(err, ERR_VALIDATION, "%s", MSG_TWO_ACTIONS);
    a->table_name = str_field(a->obj, "TableName");
    if (expr_check_params(act_ops[a->kind], a->obj, err) < 0)
        return -1;
    if (a->kind == ACT_PUT) {
        /* a put's size is known from the request: a plain error, not a cancellation */
        if (batch_prepare_put(json_object_get(a->obj, "Item"), &a->canonical, &a->text, &a->size,
                              err) < 0)
            return -1;
    } else if (batch_validate_values(json_object_get(a->obj, "Key"), err) < 0) {
        return -1;
    }
    return reqexpr_parse(act_ops[a->kind], a->obj, &a->ex, err);
}

/* Table, key (and a Put's index keys) and the one-action-per-item rule, on connection db.
 * Returns 0 (a fault of the action alone may have become its reason) or -1 (request level). */
static int tw_resolve(struct tw *t, struct store_conn *db, size_t i, struct err *err)
{
    struct request *req = t->req;
    struct action *a = &t->acts[i];
    struct reason *r = &t->reasons[i];

    if (table_get(req->tables, db, req->account, req->region, a->table_name, &a->table, err) < 0)
        return -1;
    if (a->kind == ACT_PUT) {
        if (key_from_item(a->table, a->canonical, &a->key, err) < 0)
            return reason_take(r, err) ? 0 : -1;
        a->have_key = 1;
        if (batch_check_index_keys(a->table, a->canonical, 0, err) < 0 && !reason_take(r, err))
            return -1;
    } else {
        if (key_from_key(a->table, json_object_get(a->obj, "Key"), &a->key, err) < 0)
            return reason_take(r, err) ? 0 : -1;
        a->have_key = 1;
    }
    for (size_t j = 0; j < i; j++) {
        const struct action *b = &t->acts[j];
        if (b->have_key && b->table->id == a->table->id && same_key(&b->key.key, &a->key.key))
            return err_set(err, ERR_VALIDATION, "%s", MSG_MULTIPLE_OPS);
    }
    return 0;
}

/* The old item, the condition and the new item of action i; nothing is written here. */
static int tw_evaluate(struct tw *t, struct store_conn *w, size_t i, struct err *err)
{
    struct action *a = &t->acts[i];
    struct reason *r = &t->reasons[i];
    const struct expr *condition = a->ex.kind[EXPR_CONDITION];
    int found;

    found = store_item_get(w, a->table->id, &a->key.key, &a->old_json, &a->old_size, err);
    if (found < 0)
        return -1;
    if (found) {
        json_error_t jerr;
        a->old_item = json_loads(a->old_json, 0, &jerr);
        if (a->old_item == NULL)
            return err_set(err, ERR_INTERNAL, "stored item is not JSON: %s", jerr.text);
    }
    if (condition != NULL && !expr_eval(condition, a->old_item)) {
        r->code = "ConditionalCheckFailed";
        r->message = strdup(MSG_CONDITION_FAILED);
        if (a->old_item != NULL && str_is(a->obj, "ReturnValuesOnConditionCheckFailure", "ALL_OLD"))
            r->item = json_incref(a->old_item);
        return 0;
    }
    if (a->kind == ACT_PUT) {
        a->new_item = json_incref(a->canonical);
        a->new_json = a->text;
        a->new_size = a->size;
    } else if (a->kind == ACT_UPDATE && a->old_item == NULL &&
               expr_update_removes_only(a->ex.kind[EXPR_UPDATE])) {
        /* as UpdateItem: an update that only takes attributes away creates nothing on a missing
         * item (Alternator test_update_item_non_existent, run against DynamoDB) */
        struct expr_keys keys = {a->table->hash.name, a->table->range.name};
        if (expr_update_check_keys(a->ex.kind[EXPR_UPDATE], &keys, err) < 0)
            return reason_take(r, err) ? 0 : -1;
    } else if (a->kind == ACT_UPDATE) {
        struct expr_keys keys = {a->table->hash.name, a->table->range.name};
        json_t *base = a->old_item != NULL ? NULL
                                           : value_canonical_item(json_object_get(a->obj, "Key"));
        int rc = expr_update_apply(a->ex.kind[EXPR_UPDATE], a->old_item ? a->old_item : base,
                                   &keys, &a->new_item, err);
        json_decref(base);
        if (rc < 0)
            return reason_take(r, err) ? 0 : -1;
        /* measured on the finished item, and only known while running: a cancellation reason
         * (conformance tier3/limits/itemSizeBySurface, real AWS) */
        a->new_size = (int64_t)value_item_size(a->new_item);
        if (a->new_size > (int64_t)LIMIT_ITEM_BYTES) {
            r->code = "ValidationError";
            r->message = strdup(MSG_UPDATE_TOO_BIG);
            return 0;
        }
        if (batch_check_index_keys(a->table, a->new_item, 1, err) < 0)
            return reason_take(r, err) ? 0 : -1;
        a->new_json = json_dumps(a->new_item, JSON_COMPACT);
        if (a->new_json == NULL)
            return err_set(err, ERR_INTERNAL, "out of memory");
    }
    return 0;
}

/* Writes every change through write.c and adds up the capacity. */
static int tw_write(struct tw *t, struct store_conn *w, struct err *err)
{
    for (size_t i = 0; i < t->n; i++) {
        struct action *a = &t->acts[i];
        struct tcap *c = tcap_for(t->caps, &t->ncaps, a->table);
        int64_t size = a->new_size > a->old_size ? a->new_size : a->old_size;

        if (a->kind == ACT_CHECK) {
            c->read += TRANSACT_FACTOR * capacity_read_units(a->old_size, 1);
            continue;
        }
        {
            struct item_change change = {a->table, &a->key, a->old_json, a->old_size, a->new_json,
                                         a->new_size, a->old_item, a->new_item, a->index_units, 0};
            if (write_item_change(w, &change, err) < 0)
                return -1;
        }
        c->write += TRANSACT_FACTOR * capacity_write_units(size);
        for (int k = 0; k < a->table->n_indexes && k < INDEX_SLOTS; k++)
            c->index_units[k] += TRANSACT_FACTOR * a->index_units[k];
        if (t->metrics != NULL)
            batch_collection_metrics_add(t->metrics, a->table,
                                         a->new_item != NULL ? a->new_item : a->old_item);
    }
    return 0;
}

/* The transaction, as one store_write: resolve every action, evaluate every action, and write
 * only if none failed (else the cancellation, with nothing written). */
static int tw_apply(struct store_conn *w, void *arg, struct err *err)
{
    struct tw *t = arg;
    int failed = 0;

    tw_reset(t);
    for (size_t i = 0; i < t->n; i++)
        if (tw_resolve(t, w, i, err) < 0)
            return -1;
    for (size_t i = 0; i < t->n; i++)
        if (t->reasons[i].code == NULL && tw_evaluate(t, w, i, err) < 0)
            return -1;
    for (size_t i = 0; i < t->n; i++)
        failed |= t->reasons[i].code != NULL;
    if (failed)
        return cancel(t->reasons, t->n, err);
    return tw_write(t, w, err);
}

/* What a replay of this transaction reports as consumed: a transactional read of each item. */
static json_t *tw_replay_units(const struct tw *t)
{
    json_t *units = json_array();
    for (size_t c = 0; c < t->ncaps; c++) {
        double sum = 0;
        for (size_t i = 0; i < t->n; i++) {
            const struct action *a = &t->acts[i];
            int64_t size = a->kind == ACT_DELETE ? 0 : a->kind == ACT_CHECK ? a->old_size
                                                                           : a->new_size;
            if (a->table->id == t->caps[c].table->id)
                sum += TRANSACT_FACTOR * capacity_read_units(size, 1);
        }
        json_array_append_new(units, json_pack("[sf]", t->caps[c].table->name, sum));
    }
    return units;
}

/* The answer to a replay: the first answer's metrics and the read units. */
static json_t *replay_response(const json_t *replay, const char *mode)
{
    json_t *response = json_object(), *units = json_object_get(replay, "units");
    json_t *metrics = json_object_get(replay, "metrics"), *entry;
    size_t i;

    if (mode != NULL && (strcmp(mode, "TOTAL") == 0 || strcmp(mode, "INDEXES") == 0)) {
        json_t *list = json_array();
        json_array_foreach(units, i, entry) {
            json_t *cc = json_object();
            double u = json_real_value(json_array_get(entry, 1));
            json_object_set(cc, "TableName", json_array_get(entry, 0));
            set_units(cc, u, 0);
            if (strcmp(mode, "INDEXES") == 0) {
                json_t *tbl = json_object();
                set_units(tbl, u, 0);
                json_object_set_new(cc, "Table", tbl);
            }
            json_array_append_new(list, cc);
        }
        json_object_set_new(response, "ConsumedCapacity", list);
    }
    if (metrics != NULL)
        json_object_set(response, "ItemCollectionMetrics", metrics);
    return response;
}

int op_transact_write_items(struct request *req, json_t **out, struct err *err)
{
    const json_t *list = json_object_get(req->body, "TransactItems");
    const char *token = str_field(req->body, "ClientRequestToken");
    const char *mode = str_field(req->body, "ReturnConsumedCapacity");
    struct tw t = {0};
    char *token_name = NULL;
    unsigned char digest[32];
    json_t *replay = NULL, *response = NULL, *cc;
    long long total = 0;
    int claimed = 0, rc = -1;

    t.req = req;
    t.n = json_array_size(list);
    t.acts = calloc(t.n + 1, sizeof *t.acts);
    t.reasons = calloc(t.n + 1, sizeof *t.reasons);
    t.caps = calloc(t.n + 1, sizeof *t.caps);
    if (t.acts == NULL || t.reasons == NULL || t.caps == NULL) {
        err_set(err, ERR_INTERNAL, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < t.n; i++) {
        if (tw_check_action(&t.acts[i], json_array_get(list, i), err) < 0)
            goto out;
        total += t.acts[i].size;
    }
    if (total > (long long)LIMIT_TRANSACT_BYTES) {
        err_set(err, ERR_VALIDATION, MSG_PAYLOAD_TOO_BIG, total);
        goto out;
    }
    if (str_is(req->body, "ReturnItemCollectionMetrics", "SIZE"))
        t.metrics = json_object();

    if (token != NULL) {
        int claim;
        if (asprintf(&token_name, "%s\x1f%s\x1f%s", req->account, req->region, token) < 0) {
            token_name = NULL;
            err_set(err, ERR_INTERNAL, "out of memory");
            goto out;
        }
        if (request_digest(req->body, digest, err) < 0 ||
            (claim = token_claim(token_name, digest, &replay, err)) < 0)
            goto out;
        if (claim == 1) {
            *out = replay_response(replay, mode);
            rc = 0;
            goto out;
        }
        claimed = 1;
    }

    if (store_write(req->store, tw_apply, &t, err) < 0)
        goto out;

    response = json_object();
    if ((cc = tcap_json(mode, t.caps, t.ncaps)) != NULL)
        json_object_set_new(response, "ConsumedCapacity", cc);
    if (t.metrics != NULL && json_object_size(t.metrics) > 0)
        json_object_set(response, "ItemCollectionMetrics", t.metrics);
    if (claimed) {
        json_t *metrics = json_object_get(response, "ItemCollectionMetrics");
        token_complete(token_name, metrics != NULL ? json_deep_copy(metrics) : NULL,
                       tw_replay_units(&t));
        claimed = 0;
    }
    *out = response;
    response = NULL;
    rc = 0;
out:
    if (claimed)
        token_remove(token_name);   /* it failed: the token stays free */
    free(token_name);
    json_decref(replay);
    json_decref(response);
    for (size_t i = 0; i < t.n && t.acts != NULL; i++) {
        action_reset(&t.acts[i]);
        reqexpr_free(&t.acts[i].ex);
        json_decref(t.acts[i].canonical);
        free(t.acts[i].text);
        if (t.reasons != NULL)
            reason_clear(&t.reasons[i]);
    }
    free(t.acts);
    free(t.reasons);
    free(t.caps);
    json_decref(t.metrics);
    return rc;
}

/* =================================================================== TransactGetItems ======= */

struct get {
    const json_t *obj;              /* the Get (borrowed) */
    const char *table_name;
    struct expr_request ex;
    struct table *table;            /* owned reference */
    struct item_key key;
    int have_key;
};

static int tg_check(struct get *g, const json_t *elem, struct err *err)
{
    g->obj = json_object_get(elem, "Get");
    g->table_name = str_field(g->obj, "TableName");
    if (expr_check_params(EXPR_OP_TRANSACT_GET, g->obj, err) < 0 ||
        batch_validate_values(json_object_get(g->obj, "Key"), err) < 0)
        return -1;
    return reqexpr_parse(EXPR_OP_TRANSACT_GET, g->obj, &g->ex, err);
}

/* Reads every Get (in the caller's snapshot) into the Responses text, the stored JSON spliced as is
 * unless projected. */
static int tg_read(struct request *req, struct get *gets, size_t n, struct strbuf *sb,
                   struct tcap *caps, size_t *ncaps, struct err *err)
{
    strbuf_puts(sb, "\"Responses\":[");
    for (size_t i = 0; i < n; i++) {
        struct get *g = &gets[i];
        const struct expr *projection = g->ex.kind[EXPR_PROJECTION];
        char *stored = NULL;
        int64_t size = 0;
        int found = store_item_get(req->db, g->table->id, &g->key.key, &stored, &size, err);

        if (found < 0)
            return -1;
        strbuf_puts(sb, i ? "," : "");
        if (!found) {
            strbuf_puts(sb, "{}");   /* no Item for a missing item (conformance tier2) */
        } else if (projection != NULL) {
            json_error_t jerr;
            json_t *item = json_loads(stored, 0, &jerr), *projected;
            if (item == NULL) {
                free(stored);
                return err_set(err, ERR_INTERNAL, "stored item is not JSON: %s", jerr.text);
            }
            projected = expr_project(projection, item);
            strbuf_puts(sb, "{\"Item\":");
            strbuf_append_json(sb, projected);
            strbuf_puts(sb, "}");
            json_decref(projected);
            json_decref(item);
        } else {
            strbuf_puts(sb, "{\"Item\":");
            strbuf_puts(sb, stored);
            strbuf_puts(sb, "}");
        }
        free(stored);
        tcap_for(caps, ncaps, g->table)->read +=
            TRANSACT_FACTOR * capacity_read_units(found ? size : 0, 1);
    }
    strbuf_puts(sb, "]");
    return 0;
}

int op_transact_get_items(struct request *req, json_t **out, struct err *err)
{
    const json_t *list = json_object_get(req->body, "TransactItems");
    const char *mode = str_field(req->body, "ReturnConsumedCapacity");
    size_t n = json_array_size(list), ncaps = 0;
    struct get *gets = calloc(n + 1, sizeof *gets);
    struct reason *reasons = calloc(n + 1, sizeof *reasons);
    struct tcap *caps = calloc(n + 1, sizeof *caps);
    struct strbuf sb = STRBUF_INIT;
    json_t *cc = NULL;
    int in_read = 0, failed = 0, rc = -1;

    (void)out;
    if (gets == NULL || reasons == NULL || caps == NULL) {
        err_set(err, ERR_INTERNAL, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        if (tg_check(&gets[i], json_array_get(list, i), err) < 0)
            goto out;

    if (store_begin_read(req->db, err) < 0)
        goto out;
    in_read = 1;
    for (size_t i = 0; i < n; i++) {
        struct get *g = &gets[i];
        if (table_get(req->tables, req->db, req->account, req->region, g->table_name, &g->table,
                      err) < 0)
            goto out;
        if (key_from_key(g->table, json_object_get(g->obj, "Key"), &g->key, err) < 0) {
            if (!reason_take(&reasons[i], err))
                goto out;
            failed = 1;
            continue;
        }
        g->have_key = 1;
        for (size_t j = 0; j < i; j++)
            if (gets[j].have_key && gets[j].table->id == g->table->id &&
                same_key(&gets[j].key.key, &g->key.key)) {
                err_set(err, ERR_VALIDATION, "%s", MSG_MULTIPLE_OPS);
                goto out;
            }
    }
    if (failed) {
        cancel(reasons, n, err);
        goto out;
    }
    strbuf_puts(&sb, "{");
    if (tg_read(req, gets, n, &sb, caps, &ncaps, err) < 0)
        goto out;
    if ((cc = tcap_json(mode, caps, ncaps)) != NULL) {
        strbuf_puts(&sb, ",\"ConsumedCapacity\":");
        strbuf_append_json(&sb, cc);
    }
    strbuf_puts(&sb, "}");
    if (respond_raw(req, &sb, err) < 0)
        goto out;
    rc = 0;
out:
    if (in_read)
        store_rollback(req->db);
    strbuf_free(&sb);
    json_decref(cc);
    for (size_t i = 0; i < n && gets != NULL; i++) {
        table_release(gets[i].table);
        item_key_free(&gets[i].key);
        reqexpr_free(&gets[i].ex);
        if (reasons != NULL)
            reason_clear(&reasons[i]);
    }
    free(gets);
    free(reasons);
    free(caps);
    return rc;
}
