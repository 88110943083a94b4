/* ttl.c — Time to Live (API reference: UpdateTimeToLive, DescribeTimeToLive; developer guide:
 * "Time to Live"). The setting is the table definition's TimeToLiveAttribute, changed at once
 * (DynamoDB settles within a second too; its one-change-an-hour limit is not imposed here). The
 * sweeper thread deletes expired items: those whose TTL attribute is a Number of epoch seconds
 * earlier than now and not more than five years ago. It reads each TTL table a slice at a time
 * (SWEEP_SLICE items a pass, resuming where it stopped; the list of TTL tables is read again only
 * after a definition change), keeps only the keys of what has expired, and deletes through the
 * one write path, so indexes, statistics and streams follow; the stream record of such a deletion names the
 * service as its userIdentity, as DynamoDB's do. */
#include "ttl.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "key.h"
#include "log.h"
#include "ops.h"
#include "store.h"
#include "table.h"
#include "write.h"

#define SWEEP_SLICE 1000          /* items read per table and pass */
#define SWEEP_TABLES_PER_PASS 256 /* at most this many TTL tables a pass, taken in turn */
#define FIVE_YEARS_SEC (5 * 36525LL * 864)   /* 5 x 365.25 days */

/* ---- the setting ---------------------------------------------------------------------------- */

static int table_not_found(const char *name, struct err *err)
{
    return err_set(err, ERR_RESOURCE_NOT_FOUND, "Requested resource not found: Table: %s not found",
                   name);
}

int op_describe_time_to_live(struct request *req, json_t **out, struct err *err)
{
    const char *name = str_field(req->body, "TableName");
    struct table *t = NULL;
    int found = table_find(req->tables, req->db, req->account, req->region, name, &t, NULL, err);

    if (found <= 0)
        return found < 0 ? -1 : table_not_found(name, err);
    /* a disabled TTL names no attribute, however it was set before (2026 capture) */
    *out = t->ttl_attribute != NULL
        ? json_pack("{s:{s:s,s:s}}", "TimeToLiveDescription", "TimeToLiveStatus", "ENABLED",
                    "AttributeName", t->ttl_attribute)
        : json_pack("{s:{s:s}}", "TimeToLiveDescription", "TimeToLiveStatus", "DISABLED");
    table_release(t);
    return 0;
}

struct ttl_update {
    struct request *req;
    const char *name;
    const char *attribute;
    int enable;
};

static int apply_ttl_update(struct store_conn *w, void *arg, struct err *err)
{
    struct ttl_update *u = arg;
    struct table *t = NULL;
    json_t *def = NULL;
    const char *current;
    int rc = -1;
    int found = table_find(u->req->tables, w, u->req->account, u->req->region, u->name, &t, NULL,
                           err);

    if (found <= 0)
        return found < 0 ? -1 : table_not_found(u->name, err);
    current = t->ttl_attribute;
    if (current != NULL && strcmp(current, u->attribute) != 0) {
        err_set(err, ERR_VALIDATION,
                "TimeToLive is active on a different AttributeName: current AttributeName is %s",
                current);
        goto out;
    }
    if (u->enable && current != NULL) {
        err_set(err, ERR_VALIDATION, "TimeToLive is already enabled");
        goto out;
    }
    if (!u->enable && current == NULL) {
        err_set(err, ERR_VALIDATION, "TimeToLive is already disabled");
        goto out;
    }
    def = json_deep_copy(t->def);
    if (u->enable)
        json_object_set_new(def, "TimeToLiveAttribute", json_string(u->attribute));
    else
        json_object_del(def, "TimeToLiveAttribute");
    rc = table_save_definition(w, t->id, def, err);
out:
    json_decref(def);
    table_release(t);
    return rc;
}

int op_update_time_to_live(struct request *req, json_t **out, struct err *err)
{
    const json_t *spec = json_object_get(req->body, "TimeToLiveSpecification");
    struct ttl_update u = {
        .req = req,
        .name = str_field(req->body, "TableName"),
        .attribute = str_field(spec, "AttributeName"),
        .enable = json_is_true(json_object_get(spec, "Enabled")),
    };

    if (store_write(req->store, apply_ttl_update, &u, err) < 0)
        return -1;
    /* the answer echoes the specification, with no status (2026 capture) */
    *out = json_pack("{s:{s:s,s:b}}", "TimeToLiveSpecification", "AttributeName", u.attribute,
                     "Enabled", u.enable);
    return 0;
}

/* ---- expiry ----------------------------------------------------------------------------------- */

/* Whether item (parsed) has expired at now_sec under attribute: a Number of epoch seconds before
 * now, at most five years before (older values are ignored, as DynamoDB ignores them). */
static int item_expired(const json_t *item, const char *attribute, long long now_sec)
{
    const char *n = json_string_value(json_object_get(json_object_get(item, attribute), "N"));
    char *end;
    double at;
    if (n == NULL)
        return 0;
    errno = 0;
    at = strtod(n, &end);
    if (end == n || errno == ERANGE)
        return 0;
    return at < (double)now_sec && at >= (double)(now_sec - FIVE_YEARS_SEC);
}

/* Where a table's sweep resumes: after the last key read (owned copies), or from the start. */
struct sweep_cursor {
    int set;
    uint32_t hash;
    uint8_t *hk, *rk;
    size_t hk_len, rk_len;
};

static void cursor_clear(struct sweep_cursor *c)
{
    free(c->hk);
    free(c->rk);
    *c = (struct sweep_cursor){0};
}

/* A TTL table as listed, with where its sweep resumes. */
struct ttl_table {
    int64_t id;
    char *account, *region, *name;
    struct sweep_cursor cursor;
};

/* The TTL tables in id order. */
struct table_list {
    struct ttl_table *t;
    int n, cap;
};

struct ttl_sweeper {
    struct store *store;
    struct table_cache *tables;
    long interval_ms;
    pthread_t thread;
    int running, stopping;
    pthread_mutex_t mutex;
    pthread_cond_t cond;
    struct table_list list;   /* the TTL tables, as listed at list_generation (store.h): */
    uint64_t list_generation; /* listed again only when a definition has changed since */
    int listed;
    int next;                 /* the table the next pass starts with (round robin) */
    uint64_t deleted;         /* items deleted so far (logged at stop) */
};

static void table_list_free(struct table_list *l)
{
    for (int i = 0; i < l->n; i++) {
        free(l->t[i].account);
        free(l->t[i].region);
        free(l->t[i].name);
        cursor_clear(&l->t[i].cursor);
    }
    free(l->t);
    *l = (struct table_list){0};
}

static int collect_table(void *arg, int64_t id, const char *account, const char *region,
                         const char *name)
{
    struct table_list *l = arg;
    struct ttl_table *t;
    if (l->n == l->cap) {
        int cap = l->cap ? 2 * l->cap : 16;
        struct ttl_table *grown = realloc(l->t, (size_t)cap * sizeof *grown);
        if (grown == NULL)
            return 1;
        l->t = grown;
        l->cap = cap;
    }
    t = &l->t[l->n];
    *t = (struct ttl_table){.id = id, .account = strdup(account), .region = strdup(region),
                            .name = strdup(name)};
    if (t->account == NULL || t->region == NULL || t->name == NULL) {
        free(t->account);
        free(t->region);
        free(t->name);
        return 1;
    }
    l->n++;
    return 0;
}

/* Brings the list up to date: listed again only when a table definition may have changed since
 * (an idle server does not parse its tables' definitions every second); the cursors of tables
 * still listed carry over (both lists are in id order). */
static void refresh_list(struct ttl_sweeper *s, struct store_conn *conn)
{
    uint64_t generation = store_table_generation(conn);   /* before the query: a change during
                                                             it makes the next pass list again */
    struct table_list fresh = {0};
    struct err err = ERR_INIT;
    int j = 0;

    if (s->listed && (generation & 1) == 0 && generation == s->list_generation)
        return;
    if (store_ttl_tables(conn, collect_table, &fresh, &err) < 0) {
        log_error("ttl: %s", err.message ? err.message : "cannot list tables");
        err_clear(&err);
        table_list_free(&fresh);
        return;                                    /* keep the old list; try again next pass */
    }
    for (int i = 0; i < fresh.n; i++) {
        while (j < s->list.n && s->list.t[j].id < fresh.t[i].id)
            j++;
        if (j < s->list.n && s->list.t[j].id == fresh.t[i].id) {
            fresh.t[i].cursor = s->list.t[j].cursor;
            s->list.t[j].cursor = (struct sweep_cursor){0};
        }
    }
    table_list_free(&s->list);
    s->list = fresh;
    s->list_generation = generation;               /* if odd, never equal to a later even one */
    s->listed = 1;
    if (s->next >= s->list.n)
        s->next = 0;
}

/* One slice of a table's items: the keys of the expired ones are collected (as JSON). */
struct slice {
    const struct table *table;
    long long now_sec;
    struct sweep_cursor *cursor;
    int read;
    char **expired;
    int n_expired;
};

static int visit_item(void *arg, const struct store_entry *e)
{
    struct slice *sl = arg;
    struct sweep_cursor *c = sl->cursor;
    json_t *item = json_loadb(e->json, e->json_len, 0, NULL);

    if (item != NULL && item_expired(item, sl->table->ttl_attribute, sl->now_sec)) {
        json_t *key = key_project(sl->table, item);
        char *text = key != NULL ? json_dumps(key, JSON_COMPACT) : NULL;
        if (text != NULL)
            sl->expired[sl->n_expired++] = text;
        json_decref(key);
    }
    json_decref(item);
    cursor_clear(c);
    c->hk = malloc(e->key.hk_len + 1);
    c->rk = malloc(e->key.rk_len + 1);
    if (c->hk == NULL || c->rk == NULL) {
        cursor_clear(c);
        return 1;
    }
    c->hash = e->key.hash;
    memcpy(c->hk, e->key.hk, e->key.hk_len);
    memcpy(c->rk, e->key.rk, e->key.rk_len);
    c->hk_len = e->key.hk_len;
    c->rk_len = e->key.rk_len;
    c->set = 1;
    return ++sl->read == SWEEP_SLICE;
}

/* The deletions of one slice, as one write: each item is read again and deleted only if it is
 * still there and still expired (a write since the slice was read may have renewed it). */
struct expiry {
    struct ttl_sweeper *s;
    const struct ttl_table *tt;
    char **expired;
    int n_expired;
    long long now_sec;
    int deleted;
};

static int delete_expired(struct store_conn *w, void *arg, struct err *err)
{
    struct expiry *x = arg;
    struct table *t = NULL;
    int found = table_find(x->s->tables, w, x->tt->account, x->tt->region, x->tt->name, &t, NULL,
                           err);
    int rc = 0;

    x->deleted = 0;
    if (found <= 0 || t->id != x->tt->id || t->ttl_attribute == NULL) {
        table_release(t);
        return found < 0 ? -1 : 0;    /* gone, replaced or TTL disabled meanwhile */
    }
    for (int i = 0; i < x->n_expired && rc == 0; i++) {
        json_t *key_item = json_loads(x->expired[i], 0, NULL), *old_item = NULL;
        struct item_key key = {0};
        char *old_json = NULL;
        int64_t old_size = 0;
        int there;

        if (key_item == NULL || key_from_item(t, key_item, &key, err) < 0) {
            err_clear(err);
            json_decref(key_item);
            continue;
        }
        there = store_item_get(w, t->id, &key.key, &old_json, &old_size, err);
        if (there < 0)
            rc = -1;
        else if (there > 0 && (old_item = json_loads(old_json, 0, NULL)) != NULL &&
                 item_expired(old_item, t->ttl_attribute, x->now_sec)) {
            struct item_change c = {.table = t, .key = &key, .old_json = old_json,
                                    .old_size = old_size, .old_item = old_item, .by_ttl = 1};
            rc = write_item_change(w, &c, err);
            if (rc == 0)
                x->deleted++;
        }
        json_decref(old_item);
        free(old_json);
        item_key_free(&key);
        json_decref(key_item);
    }
    table_release(t);
    return rc;
}

/* Reads one slice of a TTL table and deletes what has expired in it. */
static void sweep_table(struct ttl_sweeper *s, struct store_conn *conn, struct ttl_table *tt,
                        long long now_sec)
{
    struct table *t = NULL;
    struct sweep_cursor start = tt->cursor;        /* the scan's start key: kept alive here */
    struct store_key after = {.hash = start.hash, .hk = start.hk, .hk_len = start.hk_len,
                              .rk = start.rk, .rk_len = start.rk_len};
    struct err err = ERR_INIT;
    struct slice sl = {.now_sec = now_sec, .cursor = &tt->cursor};
    int found;

    tt->cursor = (struct sweep_cursor){0};         /* visit_item writes the new position */
    found = table_find(s->tables, conn, tt->account, tt->region, tt->name, &t, NULL, &err);
    if (found <= 0 || t->id != tt->id || t->ttl_attribute == NULL)
        goto out;
    sl.table = t;
    sl.expired = calloc(SWEEP_SLICE, sizeof *sl.expired);
    if (sl.expired == NULL)
        goto out;
    if (store_item_scan(conn, t->id, 0, (uint64_t)1 << 32, start.set ? &after : NULL, visit_item,
                        &sl, &err) < 0) {
        if (!tt->cursor.set) {                     /* nothing read: resume where it was */
            tt->cursor = start;
            start = (struct sweep_cursor){0};
        }
        goto out;
    }
    if (sl.read < SWEEP_SLICE)
        cursor_clear(&tt->cursor);                 /* reached the end: start again next time */
    if (sl.n_expired > 0) {
        struct expiry x = {s, tt, sl.expired, sl.n_expired, now_sec, 0};
        if (store_write(s->store, delete_expired, &x, &err) == 0)
            s->deleted += (uint64_t)x.deleted;
    }
out:
    if (err_isset(&err))
        log_error("ttl: table %s: %s", tt->name, err.message ? err.message : "failed");
    err_clear(&err);
    for (int i = 0; i < sl.n_expired; i++)
        free(sl.expired[i]);
    free(sl.expired);
    cursor_clear(&start);
    table_release(t);
}

static int stopping(struct ttl_sweeper *s)
{
    int stop;
    pthread_mutex_lock(&s->mutex);
    stop = s->stopping;
    pthread_mutex_unlock(&s->mutex);
    return stop;
}

/* One pass: a slice of up to SWEEP_TABLES_PER_PASS tables, taken in turn. */
static void sweep(struct ttl_sweeper *s)
{
    struct store_conn *conn = store_acquire(s->store);
    long long now_sec = (long long)time(NULL);

    refresh_list(s, conn);
    for (int done = 0; done < s->list.n && done < SWEEP_TABLES_PER_PASS && !stopping(s); done++) {
        sweep_table(s, conn, &s->list.t[s->next], now_sec);
        s->next = (s->next + 1) % s->list.n;
    }
    store_release(s->store, conn);
}

static void *sweeper_thread(void *arg)
{
    struct ttl_sweeper *s = arg;
    pthread_mutex_lock(&s->mutex);
    while (!s->stopping) {
        struct timespec until;
        pthread_mutex_unlock(&s->mutex);
        sweep(s);
        pthread_mutex_lock(&s->mutex);
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += (s->interval_ms % 1000) * 1000000L;
        until.tv_sec += s->interval_ms / 1000 + until.tv_nsec / 1000000000L;
        until.tv_nsec %= 1000000000L;
        while (!s->stopping && pthread_cond_timedwait(&s->cond, &s->mutex, &until) != ETIMEDOUT)
            ;
    }
    pthread_mutex_unlock(&s->mutex);
    return NULL;
}

int ttl_sweeper_start(struct store *store, struct table_cache *tables, long interval_ms,
                      struct ttl_sweeper **out, struct err *err)
{
    struct ttl_sweeper *s = calloc(1, sizeof *s);
    if (s == NULL)
        return err_set(err, ERR_INTERNAL, "out of memory");
    s->store = store;
    s->tables = tables;
    s->interval_ms = interval_ms > 0 ? interval_ms : 1000;
    pthread_mutex_init(&s->mutex, NULL);
    pthread_cond_init(&s->cond, NULL);
    if (pthread_create(&s->thread, NULL, sweeper_thread, s) != 0) {
        pthread_mutex_destroy(&s->mutex);
        pthread_cond_destroy(&s->cond);
        free(s);
        return err_set(err, ERR_INTERNAL, "cannot start the TTL thread");
    }
    s->running = 1;
    *out = s;
    return 0;
}

void ttl_sweeper_stop(struct ttl_sweeper *s)
{
    if (s == NULL)
        return;
    pthread_mutex_lock(&s->mutex);
    s->stopping = 1;
    pthread_cond_broadcast(&s->cond);
    pthread_mutex_unlock(&s->mutex);
    if (s->running)
        pthread_join(s->thread, NULL);
    if (s->deleted > 0)
        log_info("ttl: %llu expired items deleted", (unsigned long long)s->deleted);
    table_list_free(&s->list);
    pthread_mutex_destroy(&s->mutex);
    pthread_cond_destroy(&s->cond);
    free(s);
}
