/* table_ops.c — CreateTable, DescribeTable, ListTables, DeleteTable, UpdateTable (API reference
 * of each). Request shapes are checked by reqspec and table_rules before anything here runs; this
 * file turns a request into the stored definition (DynamoDB's TableDescription fields), and
 * applies changes inside one write transaction. Tables are ACTIVE as soon as they exist: the
 * create/update/delete responses say CREATING/UPDATING/DELETING as DynamoDB's do, but nobody has
 * to wait (the AWS CLI's `wait table-exists` returns at its first poll). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "describe.h"
#include "limits.h"
#include "ops.h"
#include "reqspec.h"
#include "store.h"
#include "table.h"
#include "table_create.h"
#include "table_rules.h"
#include "timeutil.h"
#include "write.h"

/* The account id in ARNs; DynamoDB Local uses the same. */
#define ARN_ACCOUNT "000000000000"

static void new_uuid(char *buf)
{
    uint8_t b[16];
    if (getrandom(b, sizeof b, 0) != sizeof b)
        memset(b, 0x5a, sizeof b);
    b[6] = (uint8_t)((b[6] & 0x0f) | 0x40);
    b[8] = (uint8_t)((b[8] & 0x3f) | 0x80);
    snprintf(buf, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
             b[13], b[14], b[15]);
}

/* ProvisionedThroughput as DescribeTable shows it: on-demand tables and indexes show zeros. */
static json_t *throughput_description(const json_t *requested, int on_demand)
{
    json_t *t = json_object();
    json_object_set_new(t, "NumberOfDecreasesToday", json_integer(0));
    json_object_set_new(t, "ReadCapacityUnits",
                        json_integer(on_demand ? 0 : json_integer_value(json_object_get(requested, "ReadCapacityUnits"))));
    json_object_set_new(t, "WriteCapacityUnits",
                        json_integer(on_demand ? 0 : json_integer_value(json_object_get(requested, "WriteCapacityUnits"))));
    return t;
}

static json_t *index_definition(const json_t *req_index, const char *table_arn, int global,
                                int on_demand)
{
    json_t *ix = json_object();
    const char *name = str_field(req_index, "IndexName");
    char arn[1024];

    json_object_set_new(ix, "IndexName", json_string(name));
    json_object_set_new(ix, "KeySchema", json_deep_copy(json_object_get(req_index, "KeySchema")));
    json_object_set_new(ix, "Projection", json_deep_copy(json_object_get(req_index, "Projection")));
    if (global)
        json_object_set_new(ix, "ProvisionedThroughput",
                            throughput_description(json_object_get(req_index, "ProvisionedThroughput"),
                                                   on_demand));
    snprintf(arn, sizeof arn, "%s/index/%s", table_arn, name);
    json_object_set_new(ix, "IndexArn", json_string(arn));
    return ix;
}

static json_t *index_list(const json_t *requested, const char *table_arn, int global, int on_demand)
{
    json_t *list = json_array();
    size_t i;
    json_t *ix;
    json_array_foreach(requested, i, ix)
        json_array_append_new(list, index_definition(ix, table_arn, global, on_demand));
    return list;
}

/* Sets StreamSpecification / LatestStreamLabel / LatestStreamArn for an enabled stream. */
static void enable_stream(json_t *def, const json_t *spec, int64_t now_ms)
{
    char label[32], arn[1200];
    json_t *s = json_object();

    time_iso8601_ms(now_ms, label);
    snprintf(arn, sizeof arn, "%s/stream/%s", str_field(def, "TableArn"), label);
    json_object_set_new(s, "StreamEnabled", json_true());
    json_object_set_new(s, "StreamViewType", json_string(str_field(spec, "StreamViewType")));
    json_object_set_new(def, "StreamSpecification", s);
    json_object_set_new(def, "LatestStreamLabel", json_string(label));
    json_object_set_new(def, "LatestStreamArn", json_string(arn));
}

/* The stored definition of a new table, from a CreateTable request that passed validation. */
/* The stored vector indexes: as requested, with their ARNs. They are kept and described; vector
 * search itself (SearchVectors) is not built, so they index nothing yet. */
static json_t *vector_index_list(const json_t *requested, const char *table_arn)
{
    json_t *out = json_array(), *v;
    size_t i;
    json_array_foreach(requested, i, v) {
        json_t *ix = json_deep_copy(v);
        char arn[1400];
        snprintf(arn, sizeof arn, "%s/index/%s", table_arn, str_field(v, "IndexName"));
        json_object_set_new(ix, "IndexArn", json_string(arn));
        json_array_append_new(out, ix);
    }
    return out;
}

static json_t *definition_from_request(const struct request *req, int64_t now_ms)
{
    const json_t *body = req->body;
    const char *name = str_field(body, "TableName");
    const char *billing = str_field(body, "BillingMode");
    int on_demand = billing != NULL && strcmp(billing, "PAY_PER_REQUEST") == 0;
    double now = time_ms_to_epoch(now_ms);
    json_t *def = json_object(), *v;
    char arn[512], uuid[37];

    snprintf(arn, sizeof arn, "arn:aws:dynamodb:%s:%s:table/%s", req->arn_region, ARN_ACCOUNT, name);
    new_uuid(uuid);

    json_object_set_new(def, "AttributeDefinitions",
                        json_deep_copy(json_object_get(body, "AttributeDefinitions")));
    json_object_set_new(def, "TableName", json_string(name));
    json_object_set_new(def, "KeySchema", json_deep_copy(json_object_get(body, "KeySchema")));
    json_object_set_new(def, "CreationDateTime", json_real(now));
    json_object_set_new(def, "ProvisionedThroughput",
                        throughput_description(json_object_get(body, "ProvisionedThroughput"), on_demand));
    json_object_set_new(def, "TableArn", json_string(arn));
    json_object_set_new(def, "TableId", json_string(uuid));
    if (billing != NULL) {
        json_t *summary = json_object();
        json_object_set_new(summary, "BillingMode", json_string(billing));
        if (on_demand)
            json_object_set_new(summary, "LastUpdateToPayPerRequestDateTime", json_real(now));
        json_object_set_new(def, "BillingModeSummary", summary);
    }
    if ((v = json_object_get(body, "LocalSecondaryIndexes")) != NULL)
        json_object_set_new(def, "LocalSecondaryIndexes", index_list(v, arn, 0, on_demand));
    if ((v = json_object_get(body, "GlobalSecondaryIndexes")) != NULL)
        json_object_set_new(def, "GlobalSecondaryIndexes", index_list(v, arn, 1, on_demand));
    if ((v = json_object_get(body, "VectorIndexes")) != NULL)
        json_object_set_new(def, "VectorIndexes", vector_index_list(v, arn));
    if ((v = json_object_get(body, "ResourcePolicy")) != NULL && json_is_string(v)) {
        /* a policy given at creation: its revision is the creation time (2026 capture) */
        char revision[32];
        snprintf(revision, sizeof revision, "%lld", (long long)now_ms);
        json_object_set_new(def, "ResourcePolicy", json_pack("{s:O,s:s}", "Policy", v,
                                                             "RevisionId", revision));
    }
    if ((v = json_object_get(body, "StreamSpecification")) != NULL &&
        json_is_true(json_object_get(v, "StreamEnabled")))
        enable_stream(def, v, now_ms);
    if ((v = json_object_get(body, "SSESpecification")) != NULL &&
        json_is_true(json_object_get(v, "Enabled"))) {
        json_t *sse = json_object();
        char key_arn[256];
        snprintf(key_arn, sizeof key_arn, "arn:aws:kms:%s:%s:key/%s", req->arn_region, ARN_ACCOUNT,
                 "dynastream-local-key");
        json_object_set_new(sse, "Status", json_string("ENABLED"));
        json_object_set_new(sse, "SSEType", json_string("KMS"));
        json_object_set_new(sse, "KMSMasterKeyArn",
                            json_string(str_field(v, "KMSMasterKeyId") ? str_field(v, "KMSMasterKeyId") : key_arn));
        json_object_set_new(def, "SSEDescription", sse);
    }
    if ((v = json_object_get(body, "TableClass")) != NULL) {
        json_t *cls = json_object();
        json_object_set_new(cls, "TableClass", json_deep_copy(v));
        json_object_set_new(def, "TableClassSummary", cls);
    }
    v = json_object_get(body, "DeletionProtectionEnabled");
    json_object_set_new(def, "DeletionProtectionEnabled", json_boolean(json_is_true(v)));
    /* DescribeTable shows the limits as given (nubo-db tier1 createTable/config "OnDemandThroughput
     * round-trips on a PAY_PER_REQUEST table") */
    if ((v = json_object_get(body, "OnDemandThroughput")) != NULL && json_object_size(v) > 0)
        json_object_set_new(def, "OnDemandThroughput", json_deep_copy(v));
    if ((v = json_object_get(body, "Tags")) != NULL)
        json_object_set_new(def, "Tags", json_deep_copy(v));
    return def;
}

/* ---- streams of a table -------------------------------------------------------------------- */

static int64_t stream_id_of(const json_t *def)
{
    const json_t *spec = json_object_get(def, "StreamSpecification");
    return json_is_true(json_object_get(spec, "StreamEnabled"))
               ? json_integer_value(json_object_get(def, "StreamId")) : 0;
}

/* Brings the store's streams in line with a change of definition (old_def NULL: a new table;
 * new_def NULL: a deleted table): a newly enabled stream gets its row and first shard (and its id
 * is written into new_def as "StreamId", which DescribeTable does not show); a stream no longer
 * enabled is disabled, its open shard closed (its records stay readable for 24 hours). */
static int sync_streams(struct store_conn *w, const struct request *req, int64_t table_id,
                        const json_t *old_def, json_t *new_def, int64_t now_ms, struct err *err)
{
    int64_t old_id = old_def ? stream_id_of(old_def) : 0;
    const json_t *spec = new_def ? json_object_get(new_def, "StreamSpecification") : NULL;
    int new_enabled = json_is_true(json_object_get(spec, "StreamEnabled"));
    const char *old_arn = old_def ? str_field(old_def, "LatestStreamArn") : NULL;
    const char *new_arn = new_def ? str_field(new_def, "LatestStreamArn") : NULL;
    int same = old_id != 0 && new_enabled && old_arn && new_arn && strcmp(old_arn, new_arn) == 0;

    if (old_id != 0 && !same && store_stream_disable(w, old_id, now_ms, err) < 0)
        return -1;
    if (new_enabled && !same) {
        int64_t id = 0;
        char *key_schema = json_dumps(json_object_get(new_def, "KeySchema"), JSON_COMPACT);
        int rc = key_schema == NULL ? err_set(err, ERR_INTERNAL, "out of memory")
                 : store_stream_create(w, table_id, req->account, req->region,
                                       str_field(new_def, "TableName"), new_arn,
                                       str_field(new_def, "LatestStreamLabel"),
                                       str_field(spec, "StreamViewType"), key_schema, now_ms,
                                       &id, err);
        free(key_schema);
        if (rc < 0)
            return -1;
        json_object_set_new(new_def, "StreamId", json_integer(id));
    }
    return 0;
}

static int create_apply(struct store_conn *w, void *arg, struct err *err)
{
    struct table_create *job = arg;
    const char *name = str_field(job->req.body, "TableName");
    char *text = json_dumps(job->def, JSON_COMPACT | JSON_REAL_PRECISION(15));
    int created;

    if (text == NULL)
        return err_set(err, ERR_INTERNAL, "out of memory");
    created = store_table_create(w, job->req.account, job->req.region, name, text, &job->id, err);
    free(text);
    if (created == 0)
        return err_set(err, ERR_RESOURCE_IN_USE, "Table already exists: %s", name);
    if (created < 0)
        return -1;
    if (stream_id_of(job->def) == 0 &&
        json_is_true(json_object_get(json_object_get(job->def, "StreamSpecification"), "StreamEnabled"))) {
        if (sync_streams(w, &job->req, job->id, NULL, job->def, job->now_ms, err) < 0)
            return -1;
        return table_save_definition(w, job->id, job->def, err);
    }
    return 0;
}

int table_create_prepare(const struct request *req, json_t *body, struct table_create *tc,
                         struct err *err)
{
    memset(tc, 0, sizeof *tc);
    tc->req = *req;
    tc->req.op = "CreateTable";
    tc->req.body = body;
    tc->now_ms = time_now_ms();
    if (reqspec_check("CreateTable", body, err) < 0 || table_rules_check_create(body, err) < 0)
        return -1;
    tc->def = definition_from_request(&tc->req, tc->now_ms);
    return tc->def != NULL ? 0 : err_set(err, ERR_INTERNAL, "out of memory");
}

int table_create_apply(struct store_conn *w, struct table_create *tc, struct err *err)
{
    return create_apply(w, tc, err);
}

json_t *table_create_describe(struct table_create *tc, struct err *err)
{
    struct table *table = table_from_definition(tc->def, tc->id, 1);
    json_t *d;
    tc->def = NULL;                      /* taken by table_from_definition */
    if (table == NULL) {
        err_set(err, ERR_INTERNAL, "out of memory");
        return NULL;
    }
    d = describe_table(table, NULL, NULL, "CREATING");
    table_release(table);
    return d;
}

void table_create_release(struct table_create *tc)
{
    json_decref(tc->def);
    tc->def = NULL;
}

int op_create_table(struct request *req, json_t **out, struct err *err)
{
    struct table_create tc;
    json_t *desc;

    /* the request spec has been checked by dispatch; checking it again changes nothing */
    if (table_create_prepare(req, req->body, &tc, err) < 0 ||
        store_write(req->store, create_apply, &tc, err) < 0 ||
        (desc = table_create_describe(&tc, err)) == NULL) {
        table_create_release(&tc);
        return -1;
    }
    *out = json_pack("{s:o}", "TableDescription", desc);
    return 0;
}

/* Looks up the table named in the request through `conn`; a missing one is DescribeTable's
 * message. */
static int find_named_table(struct request *req, struct store_conn *conn, struct table **table,
                            struct table_stats *stats, struct err *err)
{
    const char *name = str_field(req->body, "TableName");
    int rc = table_find(req->tables, conn, req->account, req->region, name, table, stats, err);
    if (rc == 0)
        return err_set(err, ERR_RESOURCE_NOT_FOUND,
                       "Requested resource not found: Table: %s not found", name);
    return rc < 0 ? -1 : 0;
}

int op_describe_table(struct request *req, json_t **out, struct err *err)
{
    struct table *table = NULL;
    struct table_stats stats, index_stats[LIMIT_GSI_PER_TABLE + LIMIT_LSI_PER_TABLE] = {{0, 0}};

    if (find_named_table(req, req->db, &table, &stats, err) < 0)
        return -1;
    for (int i = 0; i < table->n_indexes; i++) {
        if (store_index_stats(req->db, table->indexes[i].id, &index_stats[i].item_count,
                              &index_stats[i].size_bytes, err) < 0) {
            table_release(table);
            return -1;
        }
    }
    *out = json_object();
    json_object_set_new(*out, "Table", describe_table(table, &stats, index_stats, "ACTIVE"));
    table_release(table);
    return 0;
}

struct name_page {
    json_t *names;
    size_t limit;
    int more;
};

static int collect_name(void *arg, const char *name)
{
    struct name_page *page = arg;
    if (json_array_size(page->names) == page->limit) {
        page->more = 1;
        return 1;
    }
    json_array_append_new(page->names, json_string(name));
    return 0;
}

int op_list_tables(struct request *req, json_t **out, struct err *err)
{
    json_t *limit = json_object_get(req->body, "Limit");
    struct name_page page = {
        .names = json_array(),
        .limit = limit ? (size_t)json_integer_value(limit) : LIMIT_LIST_TABLES_MAX,
        .more = 0,
    };

    if (store_table_names(req->db, req->account, req->region,
                          str_field(req->body, "ExclusiveStartTableName"), collect_name, &page,
                          err) < 0) {
        json_decref(page.names);
        return -1;
    }
    *out = json_object();
    json_object_set_new(*out, "TableNames", page.names);
    if (page.more)
        json_object_set_new(*out, "LastEvaluatedTableName",
                            json_deep_copy(json_array_get(page.names, page.limit - 1)));
    return 0;
}

struct table_job {
    struct request *req;
    struct table *table;       /* result: the table as it was (owned) */
    struct table_stats stats;
    const char *created[LIMIT_GSI_PER_TABLE]; /* UpdateTable: names of GSIs created (borrowed) */
    int n_created;
    json_t *def;               /* UpdateTable: the new definition (owned) */
    int64_t now_ms;
};

static int delete_apply(struct store_conn *w, void *arg, struct err *err)
{
    struct table_job *job = arg;
    if (find_named_table(job->req, w, &job->table, &job->stats, err) < 0)
        return -1;
    if (json_is_true(json_object_get(job->table->def, "DeletionProtectionEnabled")))
        return err_set(err, ERR_VALIDATION, "Resource cannot be deleted as it is currently "
                       "protected against deletion. Disable deletion protection first.");
    if (sync_streams(w, job->req, job->table->id, job->table->def, NULL, time_now_ms(), err) < 0)
        return -1;
    return store_table_delete(w, job->table->id, err);
}

int op_delete_table(struct request *req, json_t **out, struct err *err)
{
    struct table_job job = {.req = req};
    int rc = -1;

    if (store_write(req->store, delete_apply, &job, err) == 0) {
        *out = json_object();
        json_object_set_new(*out, "TableDescription",
                            describe_table(job.table, &job.stats, NULL, "DELETING"));
        rc = 0;
    }
    table_release(job.table);
    return rc;
}

/* ---- UpdateTable --------------------------------------------------------------------------- */

static int update_billing_and_throughput(json_t *def, const json_t *body, int64_t now_ms,
                                         int *changed, struct err *err)
{
    const char *billing = str_field(body, "BillingMode");
    const json_t *pt = json_object_get(body, "ProvisionedThroughput");
    json_t *summary = json_object_get(def, "BillingModeSummary");
    const char *current = summary ? str_field(summary, "BillingMode") : "PROVISIONED";
    int on_demand_now = current != NULL && strcmp(current, "PAY_PER_REQUEST") == 0;
    int on_demand_next = billing ? strcmp(billing, "PAY_PER_REQUEST") == 0 : on_demand_now;
    json_t *cur_pt = json_object_get(def, "ProvisionedThroughput");

    if (on_demand_next && pt != NULL)
        return err_set(err, ERR_VALIDATION, "One or more parameter values were invalid: Neither "
                       "ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode "
                       "is PAY_PER_REQUEST");
    if (!on_demand_next && on_demand_now && pt == NULL)
        return err_set(err, ERR_VALIDATION, "One or more parameter values were invalid: "
                       "ProvisionedThroughput must be specified when BillingMode is PROVISIONED");
    if (pt != NULL && !on_demand_now) {
        json_int_t r = json_integer_value(json_object_get(pt, "ReadCapacityUnits"));
        json_int_t w = json_integer_value(json_object_get(pt, "WriteCapacityUnits"));
        json_int_t cr = json_integer_value(json_object_get(cur_pt, "ReadCapacityUnits"));
        json_int_t cw = json_integer_value(json_object_get(cur_pt, "WriteCapacityUnits"));
        /* also with BillingMode PROVISIONED on a provisioned table (nubo-db tier1 updateTable/basic
         * "rejects PROVISIONED to PROVISIONED no-op with same throughput values"; dynalite) */
        if (r == cr && w == cw)
            return err_set(err, ERR_VALIDATION, "The provisioned throughput for the table will not "
                           "change. The requested value equals the current value. Current "
                           "ReadCapacityUnits provisioned for the table: %lld. Requested "
                           "ReadCapacityUnits: %lld. Current WriteCapacityUnits provisioned for "
                           "the table: %lld. Requested WriteCapacityUnits: %lld. Refer to the "
                           "Amazon DynamoDB Developer Guide for current limits and how to request "
                           "higher limits.", (long long)cr, (long long)r, (long long)cw, (long long)w);
    }
    if (billing != NULL || pt != NULL) {
        json_t *new_pt = throughput_description(pt, on_demand_next);
        double now = time_ms_to_epoch(now_ms);
        json_t *cur_r = json_object_get(cur_pt, "ReadCapacityUnits");
        if (pt != NULL && !on_demand_next && cur_r != NULL) {
            json_int_t r = json_integer_value(json_object_get(pt, "ReadCapacityUnits"));
            json_int_t w = json_integer_value(json_object_get(pt, "WriteCapacityUnits"));
            json_int_t cr = json_integer_value(cur_r);
            json_int_t cw = json_integer_value(json_object_get(cur_pt, "WriteCapacityUnits"));
            json_int_t decreases = json_integer_value(json_object_get(cur_pt, "NumberOfDecreasesToday"));
            if (r > cr || w > cw)
                json_object_set_new(new_pt, "LastIncreaseDateTime", json_real(now));
            if (r < cr || w < cw) {
                json_object_set_new(new_pt, "LastDecreaseDateTime", json_real(now));
                decreases++;
            }
            json_object_set_new(new_pt, "NumberOfDecreasesToday", json_integer(decreases));
        }
        json_object_set_new(def, "ProvisionedThroughput", new_pt);
        if (billing != NULL && (on_demand_next != on_demand_now || summary == NULL)) {
            /* a same-mode BillingMode keeps the summary and its date (PAY_PER_REQUEST to
             * PAY_PER_REQUEST is accepted: nubo-db tier1 updateTable/basic) */
            json_t *s = json_object();
            json_object_set_new(s, "BillingMode", json_string(billing));
            if (on_demand_next)
                json_object_set_new(s, "LastUpdateToPayPerRequestDateTime", json_real(now));
            json_object_set_new(def, "BillingModeSummary", s);
        }
        *changed = 1;
    }
    return 0;
}

static int update_stream(json_t *def, const json_t *body, int64_t now_ms, int *changed,
                         struct err *err)
{
    const json_t *spec = json_object_get(body, "StreamSpecification");
    json_t *current = json_object_get(def, "StreamSpecification");
    int enabled_now = current != NULL && json_is_true(json_object_get(current, "StreamEnabled"));

    if (spec == NULL)
        return 0;
    /* the words table_rules.h records (live probes, us-east-1/us-west-2) */
    if (json_is_true(json_object_get(spec, "StreamEnabled"))) {
        if (enabled_now)
            return err_set(err, ERR_VALIDATION, "Table already has an enabled stream: TableName: %s",
                           str_field(def, "TableName"));
        enable_stream(def, spec, now_ms);
    } else {
        if (!enabled_now)
            return err_set(err, ERR_VALIDATION, "Table has no stream to disable: TableName: %s",
                           str_field(def, "TableName"));
        /* DescribeTable then shows no StreamSpecification (as DynamoDB does); the stream stays
         * described by LatestStreamArn and LatestStreamLabel until a new one is enabled */
        json_object_del(def, "StreamSpecification");
    }
    *changed = 1;
    return 0;
}

/* ---- UpdateTable: GlobalSecondaryIndexUpdates ---------------------------------------------- */

static json_t *find_index_object(json_t *def, const char *list, const char *name, size_t *at)
{
    size_t i;
    json_t *ix;
    json_array_foreach(json_object_get(def, list), i, ix) {
        const char *n = str_field(ix, "IndexName");
        if (n != NULL && strcmp(n, name) == 0) {
            if (at != NULL)
                *at = i;
            return ix;
        }
    }
    return NULL;
}

/* Adds the request's AttributeDefinitions that the table does not have yet. */
static void merge_attribute_definitions(json_t *def, const json_t *more)
{
    json_t *defs = json_object_get(def, "AttributeDefinitions");
    size_t i, j;
    json_t *a, *b;
    json_array_foreach(more, i, a) {
        int known = 0;
        json_array_foreach(defs, j, b)
            known |= json_equal(json_object_get(a, "AttributeName"), json_object_get(b, "AttributeName"));
        if (!known)
            json_array_append_new(defs, json_deep_copy(a));
    }
}

/* Creates, deletes and updates GSIs in job->def. Index entries keep their ids: every index gets
 * its number written down ("IndexNumber", hidden from DescribeTable) before the list changes. */
static int update_gsis(struct table_job *job, struct store_conn *w, struct err *err)
{
    const json_t *updates = json_object_get(job->req->body, "GlobalSecondaryIndexUpdates");
    const struct table *t = job->table;
    const char *mode = str_field(json_object_get(job->def, "BillingModeSummary"), "BillingMode");
    int on_demand = mode != NULL && strcmp(mode, "PAY_PER_REQUEST") == 0;
    int64_t next_number = 0;
    size_t i;
    json_t *u;

    for (int k = 0; k < t->n_indexes; k++) {
        int64_t number = t->indexes[k].id & 0xffff;
        json_t *obj = find_index_object(job->def, t->indexes[k].global ? "GlobalSecondaryIndexes"
                                                                       : "LocalSecondaryIndexes",
                                        t->indexes[k].name, NULL);
        if (obj != NULL)
            json_object_set_new(obj, "IndexNumber", json_integer(number));
        if (number > next_number)
            next_number = number;
    }
    merge_attribute_definitions(job->def, json_object_get(job->req->body, "AttributeDefinitions"));

    json_array_foreach(updates, i, u) {
        const json_t *create = json_object_get(u, "Create");
        const json_t *del = json_object_get(u, "Delete");
        const json_t *upd = json_object_get(u, "Update");
        const json_t *action = create ? create : del ? del : upd;
        const char *name = str_field(action, "IndexName");
        size_t at = 0;
        json_t *existing = find_index_object(job->def, "GlobalSecondaryIndexes", name, &at);

        if (create != NULL) {
            json_t *list = json_object_get(job->def, "GlobalSecondaryIndexes"), *ix;
            if (existing != NULL || find_index_object(job->def, "LocalSecondaryIndexes", name, NULL))
                return err_set(err, ERR_VALIDATION, "One or more parameter values were invalid: "
                               "Index name already exists: %s", name);
            if (json_array_size(list) >= LIMIT_GSI_PER_TABLE)
                return err_set(err, ERR_LIMIT_EXCEEDED, "One or more parameter values were "
                               "invalid: GlobalSecondaryIndex count exceeds the per-table limit "
                               "of %d", LIMIT_GSI_PER_TABLE);
            if (list == NULL) {
                list = json_array();
                json_object_set_new(job->def, "GlobalSecondaryIndexes", list);
            }
            ix = index_definition(create, str_field(job->def, "TableArn"), 1, on_demand);
            json_object_set_new(ix, "IndexNumber", json_integer(++next_number));
            json_array_append_new(list, ix);
            job->created[job->n_created++] = name;
        } else if (existing == NULL) {
            return err_set(err, ERR_RESOURCE_NOT_FOUND, "Requested resource not found: "
                           "Index: %s not found", name);
        } else if (del != NULL) {
            int64_t number = json_integer_value(json_object_get(existing, "IndexNumber"));
            if (store_index_delete(w, STORE_INDEX_ID(t->id, number), err) < 0)
                return -1;
            json_array_remove(json_object_get(job->def, "GlobalSecondaryIndexes"), at);
        } else if (json_object_get(upd, "ProvisionedThroughput") != NULL) {
            json_object_set_new(existing, "ProvisionedThroughput",
                                throughput_description(json_object_get(upd, "ProvisionedThroughput"),
                                                       on_demand));
        }
    }
    if (json_array_size(json_object_get(job->def, "GlobalSecondaryIndexes")) == 0)
        json_object_del(job->def, "GlobalSecondaryIndexes");
    return 0;
}

static int update_apply(struct store_conn *w, void *arg, struct err *err)
{
    struct table_job *job = arg;
    const json_t *body = job->req->body, *v;
    int changed = 0, rc;

    table_release(job->table);
    job->table = NULL;
    json_decref(job->def);
    job->def = NULL;
    if (find_named_table(job->req, w, &job->table, &job->stats, err) < 0)
        return -1;
    job->def = json_deep_copy(job->table->def);
    if (update_billing_and_throughput(job->def, body, job->now_ms, &changed, err) < 0 ||
        update_stream(job->def, body, job->now_ms, &changed, err) < 0)
        return -1;
    if ((v = json_object_get(body, "DeletionProtectionEnabled")) != NULL) {
        json_object_set_new(job->def, "DeletionProtectionEnabled", json_boolean(json_is_true(v)));
        changed = 1;
    }
    if ((v = json_object_get(body, "TableClass")) != NULL) {
        json_t *cls = json_object();
        json_object_set_new(cls, "TableClass", json_deep_copy(v));
        json_object_set_new(job->def, "TableClassSummary", cls);
        changed = 1;
    }
    if ((v = json_object_get(body, "OnDemandThroughput")) != NULL && json_object_size(v) > 0) {
        const char *mode = str_field(json_object_get(job->def, "BillingModeSummary"), "BillingMode");
        if (mode == NULL || strcmp(mode, "PAY_PER_REQUEST") != 0)
            return table_rules_on_demand_needs_pay_per_request(v, err);
        /* the members given replace the current ones (nubo-db tier1 updateTable/config) */
        json_t *cur = json_object_get(job->def, "OnDemandThroughput");
        if (cur == NULL)
            json_object_set_new(job->def, "OnDemandThroughput", json_deep_copy(v));
        else
            json_object_update(cur, (json_t *)v);
        changed = 1;
    }
    if (json_object_get(body, "GlobalSecondaryIndexUpdates") != NULL) {
        if (update_gsis(job, w, err) < 0)
            return -1;
        changed = 1;
    }
    if (!changed)
        return 0;
    if (sync_streams(w, job->req, job->table->id, job->table->def, job->def, job->now_ms, err) < 0)
        return -1;
    rc = table_save_definition(w, job->table->id, job->def, err);
    if (rc == 0 && job->n_created > 0) {
        /* back-fill the new indexes from the items the table already has */
        struct table *next = table_from_definition(json_deep_copy(job->def), job->table->id,
                                                   job->table->version + 1);
        if (next == NULL)
            return err_set(err, ERR_INTERNAL, "out of memory");
        for (int i = 0; rc == 0 && i < job->n_created; i++)
            rc = write_index_backfill(w, next, table_index_find(next, job->created[i]), err);
        table_release(next);
    }
    return rc;
}

int op_update_table(struct request *req, json_t **out, struct err *err)
{
    struct table_job job = {.req = req, .now_ms = time_now_ms()};
    struct table *updated = NULL;
    int rc = -1;

    if (table_rules_check_update(req->body, err) < 0)
        return -1;
    if (store_write(req->store, update_apply, &job, err) < 0)
        goto out;
    updated = table_from_definition(job.def, job.table->id, job.table->version + 1);
    job.def = NULL;
    if (updated == NULL) {
        err_set(err, ERR_INTERNAL, "out of memory");
        goto out;
    }
    *out = json_object();
    json_object_set_new(*out, "TableDescription", describe_table(updated, &job.stats, NULL, "UPDATING"));
    rc = 0;
out:
    json_decref(job.def);
    table_release(job.table);
    table_release(updated);
    return rc;
}
