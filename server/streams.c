/* streams.c — stream maintenance and the commit signal (see streams.h). The maintenance work is an
 * ordinary write (store_write), so it is atomic with respect to item changes: a record is never
 * appended to a shard that is being closed. */
#include "streams.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "store.h"
#include "timeutil.h"

struct streams {
    struct store *store;
    long rotation_sec;
    long retention_sec;
    pthread_t thread;
    int running;
    int stopping;
    pthread_mutex_t mutex;
    pthread_cond_t cond;          /* the maintenance thread's: signalled on stop */
    pthread_cond_t changed;       /* consumers': signalled on a commit while someone waits */
    int waiters;                  /* threads in streams_wait */
    uint64_t generation;
};

#define MAX_STREAMS_PER_PASS 4096

struct stream_state {
    int64_t stream_id;
    int64_t disabled_ms;
    int64_t shard_row;
    int64_t shard_created_ms;
};

struct pass {
    struct streams *s;
    struct stream_state *states;
    int n;
};

static void collect_state(void *arg, int64_t stream_id, int64_t disabled_ms, int64_t shard_row,
                          int64_t shard_created_ms)
{
    struct pass *p = arg;
    if (p->n < MAX_STREAMS_PER_PASS)
        p->states[p->n++] = (struct stream_state){stream_id, disabled_ms, shard_row, shard_created_ms};
}

/* One maintenance pass, inside a write. */
static int maintain(struct store_conn *w, void *arg, struct err *err)
{
    struct pass *p = arg;
    int64_t now = time_now_ms();

    p->n = 0;
    if (store_stream_states(w, collect_state, p, err) < 0)
        return -1;
    for (int i = 0; i < p->n; i++) {
        struct stream_state *st = &p->states[i];
        if (st->shard_row == 0)
            continue;
        if (st->disabled_ms != 0) {
            if (store_shard_close(w, st->shard_row, now, err) < 0)
                return -1;
        } else if (now - st->shard_created_ms >= (int64_t)p->s->rotation_sec * 1000) {
            struct store_shard parent;
            if (store_shard_by_row(w, st->stream_id, st->shard_row, &parent, err) <= 0 ||
                store_shard_close(w, st->shard_row, now, err) < 0 ||
                store_shard_open(w, st->stream_id, parent.shard_id, now, err) < 0)
                return -1;
        }
    }
    return store_streams_trim(w, now - (int64_t)p->s->retention_sec * 1000, err);
}

static void *maintenance_thread(void *arg)
{
    struct streams *s = arg;
    struct pass p = {s, calloc(MAX_STREAMS_PER_PASS, sizeof(struct stream_state)), 0};
    long period_ms = s->rotation_sec * 1000 / 4;

    if (period_ms > 1000)
        period_ms = 1000;
    if (period_ms < 50)
        period_ms = 50;
    pthread_mutex_lock(&s->mutex);
    while (!s->stopping && p.states != NULL) {
        struct timespec until;
        struct err err = ERR_INIT;
        pthread_mutex_unlock(&s->mutex);
        if (store_write(s->store, maintain, &p, &err) < 0)
            log_error("streams: maintenance: %s", err.message ? err.message : "failed");
        err_clear(&err);
        pthread_mutex_lock(&s->mutex);
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += (period_ms % 1000) * 1000000L;
        until.tv_sec += period_ms / 1000 + until.tv_nsec / 1000000000L;
        until.tv_nsec %= 1000000000L;
        while (!s->stopping && pthread_cond_timedwait(&s->cond, &s->mutex, &until) != ETIMEDOUT)
            ;
    }
    pthread_mutex_unlock(&s->mutex);
    free(p.states);
    return NULL;
}

/* Runs after every commit that wrote something, on the committing thread: cheap unless a
 * consumer is waiting (no wake-up, no system call otherwise). */
static void on_commit(void *arg)
{
    struct streams *s = arg;
    pthread_mutex_lock(&s->mutex);
    s->generation++;
    if (s->waiters > 0)
        pthread_cond_broadcast(&s->changed);
    pthread_mutex_unlock(&s->mutex);
}

int streams_start(struct store *store, long rotation_sec, long retention_sec,
                  struct streams **out, struct err *err)
{
    struct streams *s = calloc(1, sizeof *s);
    if (s == NULL)
        return err_set(err, ERR_INTERNAL, "out of memory");
    s->store = store;
    s->rotation_sec = rotation_sec > 0 ? rotation_sec : 4 * 3600;
    s->retention_sec = retention_sec > 0 ? retention_sec : 24 * 3600;
    pthread_mutex_init(&s->mutex, NULL);
    pthread_cond_init(&s->cond, NULL);
    pthread_cond_init(&s->changed, NULL);
    store_set_on_commit(store, on_commit, s);
    if (pthread_create(&s->thread, NULL, maintenance_thread, s) != 0) {
        store_set_on_commit(store, NULL, NULL);
        pthread_mutex_destroy(&s->mutex);
        pthread_cond_destroy(&s->cond);
        pthread_cond_destroy(&s->changed);
        free(s);
        return err_set(err, ERR_INTERNAL, "cannot start the streams thread");
    }
    s->running = 1;
    *out = s;
    return 0;
}

void streams_stop(struct streams *s)
{
    if (s == NULL)
        return;
    pthread_mutex_lock(&s->mutex);
    s->stopping = 1;
    pthread_cond_broadcast(&s->cond);
    pthread_cond_broadcast(&s->changed);
    pthread_mutex_unlock(&s->mutex);
    if (s->running)
        pthread_join(s->thread, NULL);
    store_set_on_commit(s->store, NULL, NULL);
    pthread_mutex_destroy(&s->mutex);
    pthread_cond_destroy(&s->cond);
    pthread_cond_destroy(&s->changed);
    free(s);
}

uint64_t streams_generation(struct streams *s)
{
    uint64_t g;
    pthread_mutex_lock(&s->mutex);
    g = s->generation;
    pthread_mutex_unlock(&s->mutex);
    return g;
}

uint64_t streams_wait(struct streams *s, uint64_t seen, int timeout_ms)
{
    struct timespec until;
    uint64_t g;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    until.tv_sec += timeout_ms / 1000 + until.tv_nsec / 1000000000L;
    until.tv_nsec %= 1000000000L;
    pthread_mutex_lock(&s->mutex);
    s->waiters++;
    while (s->generation == seen && !s->stopping &&
           pthread_cond_timedwait(&s->changed, &s->mutex, &until) != ETIMEDOUT)
        ;
    s->waiters--;
    g = s->generation;
    pthread_mutex_unlock(&s->mutex);
    return g;
}
