/* dispatch.c — one request in, one response out (see dispatch.h). The order of checks is
 * DynamoDB's: method/content type (404 <UnknownOperationException/>), JSON syntax
 * (SerializationException), X-Amz-Target (UnknownOperationException), Authorization shape,
 * empty body, then reqspec (types, then constraints), then the operation itself.
 * This is the only caller of errors_to_json(). */
#include "dispatch.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>

#include "auth.h"
#include "config.h"
#include "errors.h"
#include "log.h"
#include "ops/ops.h"
#include "reqspec.h"
#include "request.h"
#include "store.h"

struct op_entry {
    const char *api;
    const char *name;
    op_handler handler;
    int flags;
};

static const struct op_entry op_table[] = {
#define OP(api, name, handler, flags) {#api, #name, handler, flags},
#include "ops.def"
#undef OP
};

static const char CT_AMZ_JSON[] = "application/x-amz-json-1.0";
static const char CT_JSON[] = "application/json";

/* The op of an X-Amz-Target; OPF_INTERNAL rows only when internal_ok (dispatch_call). */
static const struct op_entry *find_op(const char *target, int internal_ok)
{
    const char *dot;
    size_t api_len;

    if (target == NULL || (dot = strchr(target, '.')) == NULL || strchr(dot + 1, '.') != NULL)
        return NULL;
    api_len = (size_t)(dot - target);
    for (size_t i = 0; i < sizeof op_table / sizeof op_table[0]; i++) {
        if (strlen(op_table[i].api) == api_len && memcmp(op_table[i].api, target, api_len) == 0 &&
            strcmp(op_table[i].name, dot + 1) == 0)
            return (op_table[i].flags & OPF_INTERNAL) && !internal_ok ? NULL : &op_table[i];
    }
    return NULL;
}

void dispatch_new_request_id(char *buf)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    static _Thread_local uint64_t state;
    if (state == 0) {
        if (getrandom(&state, sizeof state, 0) != sizeof state || state == 0)
            state = (uint64_t)time(NULL) * 2654435761u + (uint64_t)(uintptr_t)&state;
    }
    for (int i = 0; i < 52; i++) {
        /* xorshift64*: fast, per thread, no locking; ids need to be unique, not secret */
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        buf[i] = alphabet[((state * 2685821657736338717ull) >> 32) % 36];
    }
    buf[52] = '\0';
}

static void set_body(struct dispatch_output *out, int status, const char *text)
{
    out->status = status;
    out->body = strdup(text);
    out->body_len = strlen(text);
}

static void set_json(struct dispatch_output *out, int status, json_t *body)
{
    out->status = status;
    out->body = json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(15));
    if (out->body == NULL) {
        set_body(out, 500, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#InternalServerError\","
                           "\"message\":\"Internal server error\"}");
        return;
    }
    out->body_len = strlen(out->body);
}

static void set_error(struct dispatch_output *out, const struct err *err)
{
    int status;
    json_t *body = errors_to_json(err, &status);
    set_json(out, status, body);
    json_decref(body);
}

static int content_type_is(const char *header, const char *want)
{
    size_t n;
    if (header == NULL)
        return 0;
    while (*header == ' ')
        header++;
    n = strcspn(header, "; ");
    return n == strlen(want) && strncasecmp(header, want, n) == 0;
}

void dispatch_handle(const struct dispatch_ctx *ctx, const struct dispatch_input *in,
                     struct dispatch_output *out)
{
    struct err err = ERR_INIT;
    struct auth_identity id;
    const struct op_entry *op;
    json_t *body = NULL, *response = NULL;
    json_error_t jerr;
    struct timespec t0, t1;

    clock_gettime(CLOCK_MONOTONIC, &t0);
    dispatch_new_request_id(out->request_id);
    out->content_type = CT_AMZ_JSON;

    if (strcmp(in->method, "GET") == 0 && in->path != NULL &&
        strncmp(in->path, "/replicator", 11) == 0 && (in->path[11] == '\0' || in->path[11] == '?')) {
        /* the bundled replicator's status (issue 7); not a DynamoDB path */
        json_t *status = ctx->replicator_status ? ctx->replicator_status(ctx->replicator_status_arg)
                                                : json_pack("{s:[]}", "Replicators");
        out->content_type = CT_JSON;
        set_json(out, 200, status);
        json_decref(status);
        return;
    }
    if (strcmp(in->method, "GET") == 0) {
        /* DynamoDB answers GET / with a health line (trailing space included) */
        set_body(out, 200, "healthy: dynamodb.us-east-1.amazonaws.com ");
        out->content_type = "text/plain";
        return;
    }
    if (strcmp(in->method, "POST") != 0 ||
        (in->body_len > 0 && !content_type_is(in->content_type, CT_AMZ_JSON) &&
         !content_type_is(in->content_type, CT_JSON))) {
        set_body(out, 404, "<UnknownOperationException/>\n");
        out->content_type = "text/plain";
        return;
    }
    if (content_type_is(in->content_type, CT_JSON))
        out->content_type = CT_JSON;

    if (in->body_len > 0) {
        body = json_loadb(in->body, in->body_len, 0, &jerr);
        if (body == NULL) {
            err_set_bare(&err, ERR_SERIALIZATION);
            goto out;
        }
    }
    op = find_op(in->target, 0);
    if (op == NULL) {
        err_set_bare(&err, ERR_UNKNOWN_OPERATION);
        goto out;
    }
    if (auth_check(in->authorization, in->amz_date, in->date, &id, &err) < 0)
        goto out;
    if (body == NULL || !json_is_object(body)) {
        /* an empty body, or a JSON document that is not an object */
        if (body != NULL && !json_is_object(body))
            err_set(&err, ERR_SERIALIZATION, "Start of list found where not expected");
        else
            err_set_bare(&err, ERR_SERIALIZATION);
        goto out;
    }
    if (reqspec_check(op->name, body, &err) < 0)
        goto out;

    {
        struct request req = {
            .op = op->name,
            .body = body,
            .account = ctx->config->shared_db ? "" : id.access_key,
            .region = ctx->config->shared_db ? "" : id.region,
            .arn_region = id.region,
            .request_id = out->request_id,
            .store = ctx->store,
            .db = store_acquire(ctx->store),
            .tables = ctx->tables,
            .config = ctx->config,
            .raw_response = NULL,
        };
        int rc = op->handler(&req, &response, &err);
        store_release(ctx->store, req.db);
        if (rc < 0) {
            free(req.raw_response);
            goto out;
        }
        if (req.raw_response != NULL) {
            out->status = 200;
            out->body = req.raw_response;
            out->body_len = strlen(req.raw_response);
        } else {
            set_json(out, 200, response);
        }
    }

out:
    if (err_isset(&err)) {
        if (err.code == ERR_INTERNAL) {
            log_error("%s %s: %s", out->request_id, in->target ? in->target : "-",
                      err.message ? err.message : "");
            free(err.message);
            err.message = strdup("Internal server error");
        }
        set_error(out, &err);
    }
    if (log_enabled(LOG_DEBUG)) {
        clock_gettime(CLOCK_MONOTONIC, &t1);
        log_debug("%s %s %d %s %.3fms", out->request_id, in->target ? in->target : "-",
                  out->status, err_isset(&err) ? err_name(err.code) : "ok",
                  (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
    }
    err_clear(&err);
    json_decref(response);
    json_decref(body);
}

/* ---- in-process calls ---------------------------------------------------------------------- */

int dispatch_call(const struct dispatch_ctx *ctx, const char *target, const char *account,
                  const char *region, json_t *body, json_t **out, struct err *err)
{
    const struct op_entry *op = find_op(target, 1);
    char request_id[64];
    json_t *response = NULL;
    int rc;

    *out = NULL;
    if (op == NULL)
        return err_set_bare(err, ERR_UNKNOWN_OPERATION);
    if (body == NULL || !json_is_object(body))
        return err_set_bare(err, ERR_SERIALIZATION);
    if (reqspec_check(op->name, body, err) < 0)
        return -1;
    dispatch_new_request_id(request_id);
    {
        struct request req = {
            .op = op->name,
            .body = body,
            .account = account,
            .region = region,
            .arn_region = region,
            .request_id = request_id,
            .store = ctx->store,
            .db = store_acquire(ctx->store),
            .tables = ctx->tables,
            .config = ctx->config,
            .raw_response = NULL,
        };
        rc = op->handler(&req, &response, err);
        store_release(ctx->store, req.db);
        if (rc < 0) {
            free(req.raw_response);
            json_decref(response);
            return -1;
        }
        if (req.raw_response != NULL) {
            json_error_t jerr;
            json_decref(response);
            response = json_loads(req.raw_response, 0, &jerr);
            free(req.raw_response);
            if (response == NULL)
                return err_set(err, ERR_INTERNAL, "%s: response is not JSON: %s", target, jerr.text);
        }
    }
    *out = response != NULL ? response : json_object();
    return 0;
}
