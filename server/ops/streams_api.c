/* streams_api.c — the DynamoDB Streams API on the same port (X-Amz-Target
 * DynamoDBStreams_20120810.*): ListStreams, DescribeStream, GetShardIterator, GetRecords
 * (API reference: Amazon DynamoDB Streams). Records are served as stored (write.c made them in
 * the item change's transaction); a GetRecords that finds nothing answers at once with a
 * NextShardIterator, and a drained closed shard answers without one. Shard iterators are opaque
 * strings "<stream ARN>|001|<base64 of shard|position|issued ms>", valid for 15 minutes. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "limits.h"
#include "ops.h"
#include "store.h"
#include "respond.h"
#include "strbuf.h"
#include "timeutil.h"
#include "value.h"
#include "write.h"

/* arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>, or ValidationException. */
static int check_stream_arn(const char *arn, struct err *err)
{
    const char *t;
    if (arn != NULL && strncmp(arn, "arn:aws:dynamodb:", 17) == 0 &&
        (t = strstr(arn, ":table/")) != NULL && strstr(t, "/stream/") != NULL &&
        strlen(strstr(t, "/stream/")) > 8)
        return 0;
    return err_set(err, ERR_VALIDATION, "Invalid StreamArn");
}

static int stream_not_found(const char *arn, struct err *err)
{
    return err_set(err, ERR_RESOURCE_NOT_FOUND, "Requested resource not found: Stream: %s not found",
                   arn ? arn : "");
}

/* ---- ListStreams --------------------------------------------------------------------------- */

struct list_ctx {
    json_t *streams;
    size_t limit;
    int more;
    int64_t last_id;
    char *last_arn;
};

static int list_one(void *arg, const struct store_stream *st)
{
    struct list_ctx *c = arg;
    json_t *s;
    if (json_array_size(c->streams) == c->limit) {
        c->more = 1;
        return 1;
    }
    s = json_object();
    json_object_set_new(s, "StreamArn", json_string(st->arn));
    json_object_set_new(s, "TableName", json_string(st->table_name));
    json_object_set_new(s, "StreamLabel", json_string(st->label));
    json_array_append_new(c->streams, s);
    free(c->last_arn);
    c->last_arn = strdup(st->arn);
    return 0;
}

int op_list_streams(struct request *req, json_t **out, struct err *err)
{
    const char *start = str_field(req->body, "ExclusiveStartStreamArn");
    json_t *limit = json_object_get(req->body, "Limit");
    struct list_ctx c = {json_array(), limit ? (size_t)json_integer_value(limit) : 100, 0, 0, NULL};
    int64_t after = 0;

    if (limit != NULL && json_integer_value(limit) > 100) {
        json_decref(c.streams);
        return err_set(err, ERR_VALIDATION, "1 validation error detected: Value '%lld' at 'limit' "
                       "failed to satisfy constraint: Member must have value less than or equal "
                       "to 100", (long long)json_integer_value(limit));
    }
    if (start != NULL) {
        struct store_stream st = {0};
        int found;
        if (check_stream_arn(start, err) < 0) {
            json_decref(c.streams);
            return -1;
        }
        found = store_stream_get(req->db, req->account, req->region, start, &st, err);
        if (found <= 0) {
            json_decref(c.streams);
            return found < 0 ? -1 : stream_not_found(start, err);
        }
        after = st.id;
        store_stream_free(&st);
    }
    if (store_stream_list(req->db, req->account, req->region, str_field(req->body, "TableName"),
                          after, list_one, &c, err) < 0) {
        json_decref(c.streams);
        free(c.last_arn);
        return -1;
    }
    *out = json_object();
    json_object_set_new(*out, "Streams", c.streams);
    if (c.more && c.last_arn != NULL)
        json_object_set_new(*out, "LastEvaluatedStreamArn", json_string(c.last_arn));
    free(c.last_arn);
    return 0;
}

/* ---- DescribeStream ------------------------------------------------------------------------ */

static void seq_string(int64_t seq, char *buf)
{
    write_format_sequence(seq, buf);
}

static json_t *shard_json(const struct store_shard *sh)
{
    json_t *s = json_object(), *range = json_object();
    char buf[32];
    json_object_set_new(s, "ShardId", json_string(sh->shard_id));
    seq_string(sh->first_seq, buf);
    json_object_set_new(range, "StartingSequenceNumber", json_string(buf));
    if (sh->closed_ms != 0) {
        /* an empty closed shard ends where it starts */
        seq_string(sh->last_seq >= sh->first_seq ? sh->last_seq : sh->first_seq, buf);
        json_object_set_new(range, "EndingSequenceNumber", json_string(buf));
    }
    json_object_set_new(s, "SequenceNumberRange", range);
    if (sh->parent_id[0] != '\0')
        json_object_set_new(s, "ParentShardId", json_string(sh->parent_id));
    return s;
}

struct shard_page {
    json_t *shards;
    size_t limit;
    int more;
    char last[64];
};

static int shard_one(void *arg, const struct store_shard *sh)
{
    struct shard_page *p = arg;
    if (json_array_size(p->shards) == p->limit) {
        p->more = 1;
        return 1;
    }
    json_array_append_new(p->shards, shard_json(sh));
    snprintf(p->last, sizeof p->last, "%s", sh->shard_id);
    return 0;
}

int op_describe_stream(struct request *req, json_t **out, struct err *err)
{
    const char *arn = str_field(req->body, "StreamArn");
    const char *start = str_field(req->body, "ExclusiveStartShardId");
    json_t *limit = json_object_get(req->body, "Limit");
    struct store_stream st = {0};
    struct shard_page page = {NULL, limit ? (size_t)json_integer_value(limit) : 100, 0, ""};
    json_t *d, *ks;
    int64_t after = 0;
    int found, rc = -1;

    if (limit != NULL && json_integer_value(limit) > 100)
        return err_set(err, ERR_VALIDATION, "1 validation error detected: Value '%lld' at 'limit' "
                       "failed to satisfy constraint: Member must have value less than or equal "
                       "to 100", (long long)json_integer_value(limit));
    if (check_stream_arn(arn, err) < 0)
        return -1;
    found = store_stream_get(req->db, req->account, req->region, arn, &st, err);
    if (found <= 0)
        return found < 0 ? -1 : stream_not_found(arn, err);
    if (start != NULL) {
        struct store_shard sh;
        int f = store_shard_get(req->db, st.id, start, &sh, err);
        if (f < 0)
            goto out;
        /* an unknown ExclusiveStartShardId lists nothing, as DynamoDB does */
        after = f > 0 ? sh.id : INT64_MAX;
    }
    page.shards = json_array();
    if (store_shard_list(req->db, st.id, after, shard_one, &page, err) < 0)
        goto out;
    d = json_object();
    json_object_set_new(d, "StreamArn", json_string(st.arn));
    json_object_set_new(d, "StreamLabel", json_string(st.label));
    json_object_set_new(d, "StreamStatus", json_string(st.disabled_ms ? "DISABLED" : "ENABLED"));
    json_object_set_new(d, "StreamViewType", json_string(st.view_type));
    json_object_set_new(d, "CreationRequestDateTime", json_real(time_ms_to_epoch(st.created_ms)));
    json_object_set_new(d, "TableName", json_string(st.table_name));
    ks = json_loads(st.key_schema, 0, NULL);
    if (ks != NULL)
        json_object_set_new(d, "KeySchema", ks);
    json_object_set_new(d, "Shards", page.shards);
    page.shards = NULL;
    if (page.more)
        json_object_set_new(d, "LastEvaluatedShardId", json_string(page.last));
    *out = json_object();
    json_object_set_new(*out, "StreamDescription", d);
    rc = 0;
out:
    json_decref(page.shards);
    store_stream_free(&st);
    return rc;
}

/* ---- shard iterators ----------------------------------------------------------------------- */

struct iterator {
    int64_t stream_id;
    int64_t shard_row;
    int64_t position;     /* next sequence number to read */
    int64_t issued_ms;
};

static char *iterator_encode(const char *arn, const struct iterator *it)
{
    char payload[160], *b64, *text;
    int n = snprintf(payload, sizeof payload, "%lld|%lld|%lld|%lld", (long long)it->stream_id,
                     (long long)it->shard_row, (long long)it->position, (long long)it->issued_ms);
    b64 = value_base64_encode((const uint8_t *)payload, (size_t)n);
    if (b64 == NULL || asprintf(&text, "%s|001|%s", arn, b64) < 0)
        text = NULL;
    free(b64);
    return text;
}

static int iterator_decode(const char *text, struct iterator *it, char **arn, struct err *err)
{
    const char *bar = text ? strstr(text, "|001|") : NULL;
    uint8_t *payload = NULL;
    size_t len = 0;
    long long a, b, c, d;
    char tail;
    int ok;

    *arn = NULL;
    if (bar == NULL ||
        value_base64_decode(bar + 5, strlen(bar + 5), &payload, &len) < 0 || len > 150)
        goto invalid;
    {
        char buf[160];
        memcpy(buf, payload, len);
        buf[len] = '\0';
        ok = sscanf(buf, "%lld|%lld|%lld|%lld%c", &a, &b, &c, &d, &tail) == 4;
    }
    free(payload);
    if (!ok)
        goto invalid;
    if (a <= 0 || b <= 0 || c <= 0 || d <= 0)
        goto invalid;
    it->stream_id = a;
    it->shard_row = b;
    it->position = c;
    it->issued_ms = d;
    *arn = strndup(text, (size_t)(bar - text));
    return 0;
invalid:
    return err_set(err, ERR_VALIDATION, "Invalid ShardIterator");
}

static int parse_sequence(const char *s, int64_t *out)
{
    char *end;
    long long v;
    if (s == NULL || *s == '\0' || strlen(s) > 40)
        return -1;
    for (const char *p = s; *p; p++)
        if (*p < '0' || *p > '9')
            return -1;
    v = strtoll(s, &end, 10);
    if (*end != '\0' || v <= 0)
        return -1;
    *out = v;
    return 0;
}

int op_get_shard_iterator(struct request *req, json_t **out, struct err *err)
{
    const char *arn = str_field(req->body, "StreamArn");
    const char *shard_id = str_field(req->body, "ShardId");
    const char *type = str_field(req->body, "ShardIteratorType");
    const char *seq_text = str_field(req->body, "SequenceNumber");
    int at = type && strcmp(type, "AT_SEQUENCE_NUMBER") == 0;
    int after = type && strcmp(type, "AFTER_SEQUENCE_NUMBER") == 0;
    struct store_stream st = {0};
    struct store_shard sh;
    struct iterator it = {0};
    int64_t seq = 0, last = 0;
    char *text = NULL;
    int found, rc = -1;

    if (check_stream_arn(arn, err) < 0)
        return -1;
    if ((at || after) && parse_sequence(seq_text, &seq) < 0)
        return err_set(err, ERR_VALIDATION, "One or more parameter values were invalid: Invalid "
                       "SequenceNumber");
    if (!at && !after && seq_text != NULL)
        return err_set(err, ERR_VALIDATION, "One or more parameter values were invalid: "
                       "SequenceNumber should not be passed for this iterator type");
    found = store_stream_get(req->db, req->account, req->region, arn, &st, err);
    if (found <= 0)
        return found < 0 ? -1 : stream_not_found(arn, err);
    found = store_shard_get(req->db, st.id, shard_id, &sh, err);
    if (found <= 0) {
        if (found == 0)
            err_set(err, ERR_RESOURCE_NOT_FOUND, "Requested resource not found: Shard does not exist");
        goto out;
    }
    if (store_sequence_last(req->db, &last, err) < 0)
        goto out;
    if (sh.closed_ms != 0)
        last = sh.last_seq;

    it.stream_id = st.id;
    it.shard_row = sh.id;
    it.issued_ms = time_now_ms();
    if (strcmp(type, "TRIM_HORIZON") == 0) {
        it.position = sh.first_seq;
    } else if (strcmp(type, "LATEST") == 0) {
        it.position = last + 1;
    } else {
        /* an empty shard's own StartingSequenceNumber is a valid position too */
        /* the trim horizon (first_seq) only moves when records are trimmed: below it is trimmed */
        if (seq < sh.first_seq) {
            err_set(err, ERR_TRIMMED_DATA, "The operation attempted to read past the oldest stream "
                    "record in a shard.");
            goto out;
        }
        /* an empty shard's own StartingSequenceNumber is a valid position too */
        if (seq > (last < sh.first_seq ? sh.first_seq : last)) {
            err_set(err, ERR_VALIDATION, "One or more parameter values were invalid: Invalid "
                    "SequenceNumber");
            goto out;
        }
        it.position = at ? seq : seq + 1;
    }
    text = iterator_encode(st.arn, &it);
    if (text == NULL) {
        err_set(err, ERR_INTERNAL, "out of memory");
        goto out;
    }
    *out = json_object();
    json_object_set_new(*out, "ShardIterator", json_string(text));
    rc = 0;
out:
    free(text);
    store_stream_free(&st);
    return rc;
}

/* ---- GetRecords ---------------------------------------------------------------------------- */

struct records_page {
    struct strbuf *sb;
    int n;
    int64_t bytes;
    int64_t next;          /* the position after the last record read */
};

static int record_one(void *arg, int64_t seq, const char *json, size_t len, int64_t created_ms)
{
    struct records_page *p = arg;
    (void)created_ms;
    if (p->n > 0 && p->bytes + (int64_t)len > (int64_t)STREAM_GET_RECORDS_BYTES)
        return 1;
    strbuf_append(p->sb, p->n > 0 ? "," : "", p->n > 0 ? 1 : 0);
    strbuf_append(p->sb, json, len);
    p->n++;
    p->bytes += (int64_t)len;
    p->next = seq + 1;
    return 0;
}

int op_get_records(struct request *req, json_t **out, struct err *err)
{
    const char *text = str_field(req->body, "ShardIterator");
    json_t *limit_field = json_object_get(req->body, "Limit");
    int limit = limit_field ? (int)json_integer_value(limit_field) : STREAM_GET_RECORDS_MAX;
    struct iterator it, next_it;
    struct store_stream st = {0};
    struct store_shard sh;
    struct strbuf sb = STRBUF_INIT;
    struct records_page page = {&sb, 0, 0, 0};
    char *arn = NULL, *next = NULL;
    int64_t now = time_now_ms();
    int found, rc = -1, reading = 0;

    (void)out;
    if (limit > STREAM_GET_RECORDS_MAX)
        return err_set(err, ERR_VALIDATION, "1 validation error detected: Value '%d' at 'limit' "
                       "failed to satisfy constraint: Member must have value less than or equal "
                       "to 1000", limit);
    if (iterator_decode(text, &it, &arn, err) < 0)
        return -1;
    if (it.issued_ms > now + 60000)
        return err_set(err, ERR_VALIDATION, "Invalid ShardIterator");
    found = store_stream_get(req->db, req->account, req->region, arn, &st, err);
    if (found <= 0 || st.id != it.stream_id) {
        if (found >= 0)
            err_set(err, ERR_VALIDATION, "Invalid ShardIterator");
        goto out;
    }
    if (now - it.issued_ms > (int64_t)STREAM_ITERATOR_SECONDS * 1000) {
        char issued[32], current[32];
        time_iso8601_ms(it.issued_ms, issued);
        time_iso8601_ms(now, current);
        err_set(err, ERR_EXPIRED_ITERATOR, "Iterator expired. The iterator was created at time "
                "%s while right now it is %s. The iterator is valid for 15 minutes.", issued,
                current);
        goto out;
    }
    /* one snapshot: the shard's state and its records agree */
    if (store_begin_read(req->db, err) < 0)
        goto out;
    reading = 1;
    found = store_shard_by_row(req->db, st.id, it.shard_row, &sh, err);
    if (found <= 0) {
        if (found == 0)
            err_set(err, ERR_RESOURCE_NOT_FOUND, "Requested resource not found: Shard does not exist");
        goto out;
    }
    if (it.position < sh.first_seq) {
        err_set(err, ERR_TRIMMED_DATA, "The operation attempted to read past the oldest stream "
                "record in a shard.");
        goto out;
    }
    page.next = it.position;
    strbuf_puts(&sb, "{\"Records\":[");
    if (store_record_read(req->db, sh.id, it.position, limit, record_one, &page, err) < 0)
        goto out;
    strbuf_puts(&sb, "]");
    if (page.n == 0 && sh.closed_ms != 0 && page.next > sh.last_seq) {
        /* a closed shard read to its end: no NextShardIterator, move on to the child */
    } else {
        next_it = it;
        next_it.position = page.next;
        next_it.issued_ms = now;
        next = iterator_encode(st.arn, &next_it);
        if (next == NULL) {
            err_set(err, ERR_INTERNAL, "out of memory");
            goto out;
        }
        strbuf_puts(&sb, ",\"NextShardIterator\":\"");
        strbuf_puts(&sb, next);
        strbuf_puts(&sb, "\"");
    }
    strbuf_puts(&sb, "}");
    if (respond_raw(req, &sb, err) < 0)
        goto out;
    rc = 0;
out:
    if (reading)
        store_rollback(req->db);
    strbuf_free(&sb);
    free(arn);
    free(next);
    store_stream_free(&st);
    return rc;
}
