/* backups.c — on-demand backups: CreateBackup, DescribeBackup, ListBackups, DeleteBackup and
 * RestoreTableFromBackup (API reference of each; developer guide "On-demand backup and restore").
 * A backup is a full copy taken inside one write, so it is consistent and AVAILABLE at once
 * (DynamoDB answers CREATING to CreateBackup and AVAILABLE to the next DescribeBackup). It is kept
 * as a row of the store's tables in the namespace "backup:<region>", named by its ARN, with the
 * items copied under that row's id; its definition holds the backup's details and the source
 * table's definition. A restore checks a CreateTable request made from the backup's key schema,
 * indexes, billing mode and throughput (with the request's overrides), then creates the table,
 * copies the items and fills the indexes in one write; its answer says RestoreInProgress, and DescribeTable
 * shows no RestoreSummary afterwards, as DynamoDB's once the target is ACTIVE. As on DynamoDB,
 * tags, streams, Time to Live, point-in-time recovery, Contributor Insights and resource policies
 * are not restored. Evidence: 2026 captures of DynamoDB (ack-api-quirks DDB-BACKUP-*). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "describe.h"
#include "ops.h"
#include "store.h"
#include "table.h"
#include "table_create.h"
#include "timeutil.h"
#include "write.h"

static const char BACKUP_NAMESPACE[] = "backup:";
/* "backup:" and a credential scope's region (up to 127 bytes, auth.h): never cut short, so that
 * two long regions cannot share a namespace */
#define BACKUP_REGION_SIZE 160

/* The namespace of the caller's backups. */
static void backup_region(const struct request *req, char *buf, size_t size)
{
    snprintf(buf, size, "%s%s", BACKUP_NAMESPACE, req->region);
}

static int backup_not_found(const char *arn, struct err *err)
{
    return err_set(err, ERR_BACKUP_NOT_FOUND, "Backup not found: %s", arn);
}

/* A backup ARN has the form <table ARN>/backup/<id>; anything else is refused as DynamoDB does. */
static int check_backup_arn(const char *arn, struct err *err)
{
    const char *t = arn != NULL ? strstr(arn, ":table/") : NULL;
    const char *b = t != NULL ? strstr(t, "/backup/") : NULL;
    if (arn == NULL || strncmp(arn, "arn:aws:dynamodb:", 17) != 0 || b == NULL || b[8] == '\0')
        return err_set(err, ERR_VALIDATION, "Invalid Backup ARN");
    return 0;
}

/* Reads backup `arn`: its row (free with store_table_row_free) and parsed definition. */
static int backup_get(struct request *req, struct store_conn *conn, const char *arn,
                      struct store_table *row, json_t **def, struct err *err)
{
    char region[BACKUP_REGION_SIZE];
    int found;
    if (check_backup_arn(arn, err) < 0)
        return -1;
    backup_region(req, region, sizeof region);
    found = store_table_get(conn, req->account, region, arn, NULL, NULL, row, err);
    if (found <= 0)
        return found < 0 ? -1 : backup_not_found(arn, err);
    *def = json_loads(row->definition, 0, NULL);
    if (*def == NULL) {
        store_table_row_free(row);
        return err_set(err, ERR_INTERNAL, "backup %s: stored definition is not JSON", arn);
    }
    return 0;
}

/* BackupDetails of a stored backup definition, with its status. */
static json_t *backup_details(const json_t *def, const char *status)
{
    json_t *d = json_deep_copy(json_object_get(def, "BackupDetails"));
    json_object_set_new(d, "BackupStatus", json_string(status));
    return d;
}

static void copy_member(json_t *to, const json_t *from, const char *key)
{
    json_t *v = json_object_get(from, key);
    if (v != NULL)
        json_object_set(to, key, v);
}

/* An index as SourceTableFeatureDetails and CreateTable name it: name, keys, projection
 * (and, for a GSI of a provisioned table, its throughput). */
static json_t *index_summary(const json_t *ix, int with_throughput)
{
    json_t *s = json_object();
    const json_t *pt = json_object_get(ix, "ProvisionedThroughput");
    copy_member(s, ix, "IndexName");
    copy_member(s, ix, "KeySchema");
    copy_member(s, ix, "Projection");
    if (with_throughput)        /* an on-demand table's GSIs show 0/0, as DynamoDB's backups do */
        json_object_set_new(s, "ProvisionedThroughput", json_pack("{s:I,s:I}",
            "ReadCapacityUnits", json_integer_value(json_object_get(pt, "ReadCapacityUnits")),
            "WriteCapacityUnits", json_integer_value(json_object_get(pt, "WriteCapacityUnits"))));
    return s;
}

static json_t *index_summaries(const json_t *list, int with_throughput)
{
    json_t *out = json_array(), *ix;
    size_t i;
    json_array_foreach(list, i, ix)
        json_array_append_new(out, index_summary(ix, with_throughput));
    return out;
}

static const char *billing_mode(const json_t *source)
{
    const char *mode = str_field(json_object_get(source, "BillingModeSummary"), "BillingMode");
    return mode != NULL ? mode : "PROVISIONED";
}

/* BackupDescription: details, the source table, and its features at backup time. */
static json_t *backup_description(const json_t *def, const char *status)
{
    const json_t *src = json_object_get(def, "Source");
    const json_t *pt = json_object_get(src, "ProvisionedThroughput");
    json_t *table = json_object(), *features = json_object();

    copy_member(table, src, "TableName");
    copy_member(table, src, "TableId");
    copy_member(table, src, "TableArn");
    copy_member(table, def, "TableSizeBytes");
    copy_member(table, src, "KeySchema");
    json_object_set(table, "TableCreationDateTime", json_object_get(src, "CreationDateTime"));
    json_object_set_new(table, "ProvisionedThroughput", json_pack("{s:O,s:O}",
                        "ReadCapacityUnits", json_object_get(pt, "ReadCapacityUnits"),
                        "WriteCapacityUnits", json_object_get(pt, "WriteCapacityUnits")));
    copy_member(table, def, "ItemCount");
    json_object_set_new(table, "BillingMode", json_string(billing_mode(src)));
    if (json_object_get(src, "LocalSecondaryIndexes") != NULL)
        json_object_set_new(features, "LocalSecondaryIndexes",
                            index_summaries(json_object_get(src, "LocalSecondaryIndexes"), 0));
    if (json_object_get(src, "GlobalSecondaryIndexes") != NULL)
        json_object_set_new(features, "GlobalSecondaryIndexes",
                            index_summaries(json_object_get(src, "GlobalSecondaryIndexes"), 1));
    if (json_object_get(src, "StreamSpecification") != NULL)
        json_object_set(features, "StreamDescription", json_object_get(src, "StreamSpecification"));
    if (json_object_get(src, "TimeToLiveAttribute") != NULL)
        json_object_set_new(features, "TimeToLiveDescription", json_pack("{s:O,s:s}",
                            "AttributeName", json_object_get(src, "TimeToLiveAttribute"),
                            "TimeToLiveStatus", "ENABLED"));
    copy_member(features, src, "SSEDescription");
    return json_pack("{s:o,s:o,s:o}", "BackupDetails", backup_details(def, status),
                     "SourceTableDetails", table, "SourceTableFeatureDetails", features);
}

/* ---- CreateBackup ------------------------------------------------------------------------- */

struct create_job {
    struct request *req;
    const char *table;
    const char *name;
    json_t *def;                    /* the backup's stored definition (new reference) */
};

static int create_apply(struct store_conn *w, void *arg, struct err *err)
{
    struct create_job *job = arg;
    struct table *t = NULL;
    struct table_stats stats;
    char arn[1400], region[BACKUP_REGION_SIZE], *text = NULL;
    uint32_t rnd = 0;
    int64_t now = time_now_ms(), id;
    int rc = -1, found = table_find(job->req->tables, w, job->req->account, job->req->region,
                                    job->table, &t, &stats, err);

    if (found <= 0)
        return found < 0 ? -1 : err_set(err, ERR_TABLE_NOT_FOUND, "Table not found: %s",
                                        job->table);
    if (getrandom(&rnd, sizeof rnd, 0) != sizeof rnd)
        rnd = (uint32_t)now * 2654435761u;
    /* DynamoDB's form: <table ARN>/backup/<epoch ms, 14 digits>-<8 hex digits> */
    snprintf(arn, sizeof arn, "%s/backup/%014lld-%08x", str_field(t->def, "TableArn"),
             (long long)now, rnd);
    job->def = json_pack("{s:{s:s,s:s,s:I,s:s,s:f},s:O,s:I,s:I}",
                         "BackupDetails", "BackupArn", arn, "BackupName", job->name,
                         "BackupSizeBytes", (json_int_t)stats.size_bytes, "BackupType", "USER",
                         "BackupCreationDateTime", time_ms_to_epoch(now),
                         "Source", t->def, "TableSizeBytes", (json_int_t)stats.size_bytes,
                         "ItemCount", (json_int_t)stats.item_count);
    text = job->def != NULL ? json_dumps(job->def, JSON_COMPACT) : NULL;
    if (text == NULL) {
        err_set(err, ERR_INTERNAL, "out of memory");
        goto out;
    }
    backup_region(job->req, region, sizeof region);
    found = store_table_create(w, job->req->account, region, arn, text, &id, err);
    if (found <= 0) {
        if (found == 0)
            err_set(err, ERR_INTERNAL, "backup %s exists", arn);
        goto out;
    }
    if (store_items_copy(w, t->id, id, err) < 0 ||
        store_table_add_stats(w, id, stats.item_count, stats.size_bytes, err) < 0)
        goto out;
    rc = 0;
out:
    free(text);
    table_release(t);
    return rc;
}

int op_create_backup(struct request *req, json_t **out, struct err *err)
{
    struct create_job job = {req, table_name_of(str_field(req->body, "TableName")),
                             str_field(req->body, "BackupName"), NULL};

    if (store_write(req->store, create_apply, &job, err) < 0) {
        json_decref(job.def);
        return -1;
    }
    /* the answer of CreateBackup is the only place CREATING shows (2026 capture) */
    *out = json_pack("{s:o}", "BackupDetails", backup_details(job.def, "CREATING"));
    json_decref(job.def);
    return 0;
}

/* ---- DescribeBackup, ListBackups, DeleteBackup ---------------------------------------------- */

int op_describe_backup(struct request *req, json_t **out, struct err *err)
{
    struct store_table row;
    json_t *def;
    if (backup_get(req, req->db, str_field(req->body, "BackupArn"), &row, &def, err) < 0)
        return -1;
    *out = json_pack("{s:o}", "BackupDescription", backup_description(def, "AVAILABLE"));
    json_decref(def);
    store_table_row_free(&row);
    return 0;
}

struct list_job {
    struct request *req;
    const char *table;              /* TableName filter, or NULL */
    double lower, upper;            /* TimeRangeLowerBound (inclusive), UpperBound (exclusive) */
    json_t *summaries;
    struct err *err;
};

static int list_one(void *arg, const char *arn)
{
    struct list_job *l = arg;
    struct store_table row;
    json_t *def, *src, *details, *summary;
    double created;

    if (backup_get(l->req, l->req->db, arn, &row, &def, l->err) < 0)
        return 1;
    src = json_object_get(def, "Source");
    details = json_object_get(def, "BackupDetails");
    created = json_number_value(json_object_get(details, "BackupCreationDateTime"));
    if ((l->table == NULL || strcmp(l->table, str_field(src, "TableName")) == 0) &&
        created >= l->lower && created < l->upper) {
        summary = json_object();
        copy_member(summary, src, "TableName");
        copy_member(summary, src, "TableId");
        copy_member(summary, src, "TableArn");
        copy_member(summary, details, "BackupArn");
        copy_member(summary, details, "BackupName");
        copy_member(summary, details, "BackupCreationDateTime");
        json_object_set_new(summary, "BackupStatus", json_string("AVAILABLE"));
        copy_member(summary, details, "BackupType");
        copy_member(summary, details, "BackupSizeBytes");
        json_array_append_new(l->summaries, summary);
    }
    json_decref(def);
    store_table_row_free(&row);
    return 0;
}

/* Backups are listed in creation order (then by ARN). The position of an ARN in that order:
 * its 14-digit id is its creation time in milliseconds, so a deleted backup's ARN still has one. */
static long long arn_ms(const char *arn)
{
    const char *b = arn != NULL ? strstr(arn, "/backup/") : NULL;
    return b != NULL ? strtoll(b + 8, NULL, 10) : 0;
}

static int summary_order(const void *x, const void *y)
{
    const char *a = str_field(*(json_t *const *)x, "BackupArn");
    const char *b = str_field(*(json_t *const *)y, "BackupArn");
    long long ma = arn_ms(a), mb = arn_ms(b);
    return ma != mb ? (ma < mb ? -1 : 1) : strcmp(a, b);
}

int op_list_backups(struct request *req, json_t **out, struct err *err)
{
    const char *table = str_field(req->body, "TableName");
    const char *type = str_field(req->body, "BackupType");
    const char *start = str_field(req->body, "ExclusiveStartBackupArn");
    const json_t *lower = json_object_get(req->body, "TimeRangeLowerBound");
    const json_t *upper = json_object_get(req->body, "TimeRangeUpperBound");
    const json_t *limit_v = json_object_get(req->body, "Limit");
    long limit = limit_v != NULL ? (long)json_integer_value(limit_v) : 100;
    struct list_job l = {req, table_name_of(table), lower ? json_number_value(lower) : 0,
                         upper ? json_number_value(upper) : 1e300, json_array(), err};
    json_t **all = NULL, *page;
    char region[BACKUP_REGION_SIZE];
    size_t n, i, from = 0;

    if (l.lower > l.upper) {
        json_decref(l.summaries);
        return err_set(err, ERR_VALIDATION, "One or more parameter values were invalid: Time range "
                       "lower bound must be less than or equal to upper bound");
    }
    backup_region(req, region, sizeof region);
    /* only USER backups are made here (USER is the default): SYSTEM and AWS_BACKUP lists are
     * empty */
    if ((type == NULL || strcmp(type, "USER") == 0 || strcmp(type, "ALL") == 0) &&
        (store_table_names(req->db, req->account, region, NULL, list_one, &l, err) < 0 ||
         err_isset(err))) {
        json_decref(l.summaries);
        return -1;
    }
    n = json_array_size(l.summaries);
    all = calloc(n + 1, sizeof *all);
    if (all == NULL) {
        json_decref(l.summaries);
        return err_set(err, ERR_INTERNAL, "out of memory");
    }
    for (i = 0; i < n; i++)
        all[i] = json_array_get(l.summaries, i);
    qsort(all, n, sizeof *all, summary_order);
    if (start != NULL) {
        while (from < n) {
            const char *arn = str_field(all[from], "BackupArn");
            long long ma = arn_ms(arn), ms = arn_ms(start);
            if (ma > ms || (ma == ms && strcmp(arn, start) > 0))
                break;
            from++;
        }
    }
    page = json_array();
    for (i = from; i < n && (long)(i - from) < limit; i++)
        json_array_append(page, all[i]);
    *out = json_pack("{s:o}", "BackupSummaries", page);
    if (i < n)          /* more follow: the page's last backup continues the listing */
        json_object_set(*out, "LastEvaluatedBackupArn", json_object_get(all[i - 1], "BackupArn"));
    free(all);
    json_decref(l.summaries);
    return 0;
}

struct delete_job {
    struct request *req;
    const char *arn;
    json_t *description;
};

static int delete_apply(struct store_conn *w, void *arg, struct err *err)
{
    struct delete_job *job = arg;
    struct store_table row;
    json_t *def;
    int rc;
    if (backup_get(job->req, w, job->arn, &row, &def, err) < 0)
        return -1;
    rc = store_table_delete(w, row.id, err);
    if (rc == 0)
        job->description = backup_description(def, "DELETED");
    json_decref(def);
    store_table_row_free(&row);
    return rc;
}

int op_delete_backup(struct request *req, json_t **out, struct err *err)
{
    struct delete_job job = {req, str_field(req->body, "BackupArn"), NULL};
    if (store_write(req->store, delete_apply, &job, err) < 0) {
        json_decref(job.description);   /* made before a failed commit */
        return -1;
    }
    *out = json_pack("{s:o}", "BackupDescription", job.description);
    return 0;
}

/* ---- RestoreTableFromBackup ---------------------------------------------------------------- */

/* The overrides DynamoDB refuses ("Invalid Request: ..."). */
static int check_overrides(const json_t *body, const json_t *src, struct err *err)
{
    const char *mode = str_field(body, "BillingModeOverride");
    const char *effective = mode != NULL ? mode : billing_mode(src);
    const json_t *pt = json_object_get(body, "ProvisionedThroughputOverride");
    const json_t *ix;
    size_t i;

    if (pt != NULL && strcmp(effective, "PAY_PER_REQUEST") == 0)
        return err_set(err, ERR_VALIDATION, mode != NULL
                       ? "Invalid Request: Cannot override ProvisionedThroughput if BillingMode is "
                         "overridden to PAY_PER_REQUEST"
                       : "Invalid Request: Cannot override ProvisionedThroughput unless "
                         "BillingMode is PROVISIONED");
    if (pt == NULL && mode != NULL && strcmp(mode, "PROVISIONED") == 0 &&
        strcmp(billing_mode(src), "PROVISIONED") != 0)
        return err_set(err, ERR_VALIDATION, "Invalid Request: Must override ProvisionedThroughput "
                       "if BillingMode is overridden to PROVISIONED");
    for (int lsi = 0; lsi < 2; lsi++) {
        const json_t *have = json_object_get(src, lsi ? "LocalSecondaryIndexes"
                                                      : "GlobalSecondaryIndexes");
        json_array_foreach(json_object_get(body, lsi ? "LocalSecondaryIndexOverride"
                                                     : "GlobalSecondaryIndexOverride"), i, ix) {
            const char *name = str_field(ix, "IndexName");
            int known = 0;
            size_t k;
            json_t *h;
            json_array_foreach(have, k, h)
                known |= name != NULL && strcmp(str_field(h, "IndexName"), name) == 0;
            if (!known)
                return err_set(err, ERR_VALIDATION, "Invalid Request: Index %s does not match a "
                               "secondary index that existed in the source table and cannot be "
                               "created during the restore operation", name ? name : "null");
        }
    }
    return 0;
}

static void note_keys(json_t *used, const json_t *key_schema)
{
    size_t i;
    json_t *k;
    json_array_foreach(key_schema, i, k)
        json_object_set_new(used, str_field(k, "AttributeName"), json_true());
}

/* Keeps the AttributeDefinitions a key of the table or of a restored index uses (an index left
 * out by an override takes its attributes with it). */
static void keep_used_attributes(json_t *create)
{
    json_t *used = json_object(), *defs = json_array(), *ix, *d;
    size_t i;
    note_keys(used, json_object_get(create, "KeySchema"));
    json_array_foreach(json_object_get(create, "GlobalSecondaryIndexes"), i, ix)
        note_keys(used, json_object_get(ix, "KeySchema"));
    json_array_foreach(json_object_get(create, "LocalSecondaryIndexes"), i, ix)
        note_keys(used, json_object_get(ix, "KeySchema"));
    json_array_foreach(json_object_get(create, "VectorIndexes"), i, ix)
        note_keys(used, json_object_get(ix, "SearchSchema"));
    json_array_foreach(json_object_get(create, "AttributeDefinitions"), i, d)
        if (json_object_get(used, str_field(d, "AttributeName")) != NULL)
            json_array_append(defs, d);
    json_object_set_new(create, "AttributeDefinitions", defs);
    json_decref(used);
}

/* The CreateTable request that makes the target table of a restore. */
static json_t *restore_create_request(const json_t *body, const json_t *src)
{
    const char *mode = str_field(body, "BillingModeOverride");
    const json_t *pt = json_object_get(body, "ProvisionedThroughputOverride");
    const json_t *gsis = json_object_get(body, "GlobalSecondaryIndexOverride");
    const json_t *lsis = json_object_get(body, "LocalSecondaryIndexOverride");
    const json_t *src_pt = json_object_get(src, "ProvisionedThroughput");
    json_t *create = json_object();
    int provisioned;

    copy_member(create, body, "TargetTableName");
    json_object_set(create, "TableName", json_object_get(create, "TargetTableName"));
    json_object_del(create, "TargetTableName");
    copy_member(create, src, "AttributeDefinitions");
    copy_member(create, src, "KeySchema");
    if (mode == NULL)
        mode = billing_mode(src);
    provisioned = strcmp(mode, "PROVISIONED") == 0;
    json_object_set_new(create, "BillingMode", json_string(mode));
    if (provisioned)
        json_object_set_new(create, "ProvisionedThroughput", pt != NULL ? json_deep_copy(pt)
                            : json_pack("{s:O,s:O}", "ReadCapacityUnits",
                                        json_object_get(src_pt, "ReadCapacityUnits"),
                                        "WriteCapacityUnits",
                                        json_object_get(src_pt, "WriteCapacityUnits")));
    /* an override replaces the backup's indexes; an empty one restores none */
    if (gsis != NULL) {
        if (json_array_size(gsis) > 0)
            json_object_set(create, "GlobalSecondaryIndexes", (json_t *)gsis);
    }
    else if (json_array_size(json_object_get(src, "GlobalSecondaryIndexes")) > 0)
        json_object_set_new(create, "GlobalSecondaryIndexes",
                            index_summaries(json_object_get(src, "GlobalSecondaryIndexes"),
                                            provisioned));
    if (lsis != NULL) {
        if (json_array_size(lsis) > 0)
            json_object_set(create, "LocalSecondaryIndexes", (json_t *)lsis);
    }
    else if (json_array_size(json_object_get(src, "LocalSecondaryIndexes")) > 0)
        json_object_set_new(create, "LocalSecondaryIndexes",
                            index_summaries(json_object_get(src, "LocalSecondaryIndexes"), 0));
    if (json_array_size(json_object_get(src, "VectorIndexes")) > 0) {
        json_t *vixs = json_deep_copy(json_object_get(src, "VectorIndexes")), *v;
        size_t i;
        json_array_foreach(vixs, i, v)
            json_object_del(v, "IndexArn");
        json_object_set_new(create, "VectorIndexes", vixs);
    }
    keep_used_attributes(create);
    /* a GSI of an on-demand table takes no throughput: drop any the source kept */
    if (!provisioned) {
        json_t *ix;
        size_t i;
        json_array_foreach(json_object_get(create, "GlobalSecondaryIndexes"), i, ix)
            json_object_del(ix, "ProvisionedThroughput");
    }
    return create;
}

struct restore_job {
    struct request *req;
    const char *arn;                  /* the backup */
    struct table_create *create;      /* the target table */
};

/* The whole restore in one write: creates the target table, copies the backup's items into it
 * and fills its indexes, so no client can see or write a half-restored table. The backup is read
 * again in this write: one deleted since the request began is BackupNotFoundException. */
static int restore_apply(struct store_conn *w, void *arg, struct err *err)
{
    struct restore_job *job = arg;
    const char *target = str_field(job->create->req.body, "TableName");
    struct table *t = NULL;
    struct store_table backup;
    json_t *def;
    int rc = -1, found;

    if (backup_get(job->req, w, job->arn, &backup, &def, err) < 0)
        return -1;
    json_decref(def);
    if (table_create_apply(w, job->create, err) < 0) {
        if (err->code == ERR_RESOURCE_IN_USE) {          /* the name was taken meanwhile */
            err_clear(err);
            err_set(err, ERR_TABLE_ALREADY_EXISTS, "Table already exists: %s", target);
        }
        goto out;
    }
    found = table_find(job->req->tables, w, job->req->account, job->req->region, target, &t,
                       NULL, err);
    if (found <= 0) {
        if (found == 0)
            err_set(err, ERR_INTERNAL, "restored table %s not found in its own write", target);
        goto out;
    }
    if (store_items_copy(w, backup.id, t->id, err) < 0 ||
        store_table_add_stats(w, t->id, backup.item_count, backup.size_bytes, err) < 0)
        goto out;
    for (int i = 0; i < t->n_indexes; i++)
        if (write_index_backfill(w, t, &t->indexes[i], err) < 0)
            goto out;
    rc = 0;          /* DescribeTable shows no RestoreSummary once the table is ACTIVE */
out:
    table_release(t);
    store_table_row_free(&backup);
    return rc;
}

int op_restore_table_from_backup(struct request *req, json_t **out, struct err *err)
{
    const char *arn = str_field(req->body, "BackupArn");
    const char *target = str_field(req->body, "TargetTableName");
    struct store_table row;
    struct table *existing = NULL;
    struct table_create tc;
    json_t *def, *create = NULL, *summary = NULL, *desc = NULL;
    int rc = -1, found;

    memset(&tc, 0, sizeof tc);
    if (backup_get(req, req->db, arn, &row, &def, err) < 0)
        return -1;
    found = table_find(req->tables, req->db, req->account, req->region, target, &existing, NULL,
                       err);
    table_release(existing);
    if (found != 0) {
        if (found > 0)
            err_set(err, ERR_TABLE_ALREADY_EXISTS, "Table already exists: %s", target);
        goto out;
    }
    if (check_overrides(req->body, json_object_get(def, "Source"), err) < 0)
        goto out;
    create = restore_create_request(req->body, json_object_get(def, "Source"));
    if (table_create_prepare(req, create, &tc, err) < 0)
        goto out;
    {
        struct restore_job job = {req, arn, &tc};
        if (store_write(req->store, restore_apply, &job, err) < 0)
            goto out;
    }
    if ((desc = table_create_describe(&tc, err)) == NULL)
        goto out;
    /* the answer is CreateTable's, with the restore still in progress, as DynamoDB's */
    summary = json_pack("{s:s,s:O,s:O,s:b}", "SourceBackupArn", arn, "SourceTableArn",
                        json_object_get(json_object_get(def, "Source"), "TableArn"),
                        "RestoreDateTime",
                        json_object_get(json_object_get(def, "BackupDetails"),
                                        "BackupCreationDateTime"),
                        "RestoreInProgress", 1);
    json_object_set_new(desc, "RestoreSummary", summary);
    *out = json_pack("{s:o}", "TableDescription", desc);
    rc = 0;
out:
    table_create_release(&tc);
    json_decref(create);
    json_decref(def);
    store_table_row_free(&row);
    return rc;
}
