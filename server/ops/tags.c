/* tags.c — TagResource, UntagResource, ListTagsOfResource on tables (API reference of each). A
 * table's tags live in its stored definition (CreateTable's Tags land there too); changes are
 * ordinary definition updates inside one write. The ResourceArn must be a table ARN of the
 * caller's account and region: another account's ARN is AccessDeniedException, as on DynamoDB,
 * and a missing table ResourceNotFoundException with DynamoDB's (misspelt) "ResourcArn". */
#include <stdlib.h>
#include <string.h>

#include "ops.h"
#include "store.h"
#include "table.h"
#include "table_rules.h"

#define ARN_ACCOUNT "000000000000"   /* the account of every local table (table_ops.c) */

/* Checks the ARN's form and account and puts its region and table name in the buffers. */
static int parse_table_arn(const char *op, const char *arn, char *region, size_t rsize,
                           const char **name, struct err *err)
{
    const char *p, *account, *table;
    size_t n;

    if (arn == NULL || strncmp(arn, "arn:aws:dynamodb:", 17) != 0 ||
        (account = strchr(arn + 17, ':')) == NULL || (table = strchr(account + 1, ':')) == NULL ||
        strncmp(table, ":table/", 7) != 0 || strchr(table + 7, '/') != NULL ||
        strlen(table + 7) < 1)
        return err_set(err, ERR_VALIDATION, "Invalid TableArn: Invalid ResourceArn provided as "
                       "input %s", arn ? arn : "null");
    n = (size_t)(account - (arn + 17));
    if (n == 0 || n >= rsize)
        return err_set(err, ERR_VALIDATION, "Invalid TableArn: Invalid ResourceArn provided as "
                       "input %s", arn);
    memcpy(region, arn + 17, n);
    region[n] = '\0';
    p = account + 1;
    if ((size_t)(table - p) != strlen(ARN_ACCOUNT) || strncmp(p, ARN_ACCOUNT, strlen(ARN_ACCOUNT)) != 0) {
        err_set(err, ERR_ACCESS_DENIED, "User: arn:aws:iam::%s:user/dynastream is not authorized "
                "to perform: dynamodb:%s on resource: %s", ARN_ACCOUNT, op, arn);
        err->capital_message = 1;
        return -1;
    }
    *name = table + 7;
    return 0;
}

struct tag_job {
    struct request *req;
    const char *name;
    char region[64];
    const json_t *add;          /* TagResource: Tags */
    const json_t *remove;       /* UntagResource: TagKeys */
};

static json_t *tag_named(json_t *tags, const char *key, size_t *at)
{
    size_t i;
    json_t *t;
    json_array_foreach(tags, i, t) {
        if (key != NULL && str_field(t, "Key") != NULL && strcmp(str_field(t, "Key"), key) == 0) {
            *at = i;
            return t;
        }
    }
    return NULL;
}

static int tag_apply(struct store_conn *w, void *arg, struct err *err)
{
    struct tag_job *job = arg;
    struct table *t = NULL;
    json_t *def = NULL, *tags;
    size_t i, at;
    json_t *v;
    int rc = -1, found;

    /* the ARN's region must be the caller's; the namespace is the request's (shared-db aware) */
    found = strcmp(job->region, job->req->arn_region) != 0 ? 0
          : table_find(job->req->tables, w, job->req->account, job->req->region, job->name, &t,
                       NULL, err);
    if (found <= 0) {
        if (found == 0)
            err_set(err, ERR_RESOURCE_NOT_FOUND, job->add != NULL
                        ? "Requested resource not found: ResourcArn: %s not found"
                        : "Requested resource not found%.0s",
                    str_field(job->req->body, "ResourceArn"));
        return -1;
    }
    def = json_deep_copy(t->def);
    tags = json_object_get(def, "Tags");
    if (tags == NULL) {
        tags = json_array();
        json_object_set_new(def, "Tags", tags);
    }
    json_array_foreach(job->add, i, v) {
        json_t *old = tag_named(tags, str_field(v, "Key"), &at);
        if (old != NULL)
            json_object_set(old, "Value", json_object_get(v, "Value"));
        else
            json_array_append(tags, v);
    }
    if (json_array_size(tags) > LIMIT_TAGS_PER_RESOURCE) {
        err_set(err, ERR_VALIDATION, "One or more parameter values were invalid: The number of tags "
                "exceeds the limit of %d", LIMIT_TAGS_PER_RESOURCE);
        goto out;
    }
    json_array_foreach(job->remove, i, v) {
        if (json_is_string(v) && tag_named(tags, json_string_value(v), &at) != NULL)
            json_array_remove(tags, at);
    }
    rc = table_save_definition(w, t->id, def, err);
out:
    json_decref(def);
    table_release(t);
    return rc;
}

int op_tag_resource(struct request *req, json_t **out, struct err *err)
{
    struct tag_job job = {.req = req};
    const json_t *tags = json_object_get(req->body, "Tags");

    if (parse_table_arn("TagResource", str_field(req->body, "ResourceArn"), job.region,
                        sizeof job.region, &job.name, err) < 0)
        return -1;
    if (json_array_size(tags) == 0)
        return err_set(err, ERR_VALIDATION, "Atleast one Tag needs to be provided as Input.");
    if (table_rules_check_tags(tags, err) < 0)
        return -1;
    job.add = tags;
    if (store_write(req->store, tag_apply, &job, err) < 0)
        return -1;
    *out = json_object();
    return 0;
}

int op_untag_resource(struct request *req, json_t **out, struct err *err)
{
    struct tag_job job = {.req = req};

    if (parse_table_arn("UntagResource", str_field(req->body, "ResourceArn"), job.region,
                        sizeof job.region, &job.name, err) < 0)
        return -1;
    if (json_array_size(json_object_get(req->body, "TagKeys")) == 0)
        return err_set(err, ERR_VALIDATION, "Atleast one Tag Key needs to be provided as Input.");
    job.remove = json_object_get(req->body, "TagKeys");
    if (store_write(req->store, tag_apply, &job, err) < 0)
        return -1;
    *out = json_object();
    return 0;
}

int op_list_tags_of_resource(struct request *req, json_t **out, struct err *err)
{
    const char *arn = str_field(req->body, "ResourceArn");
    const char *name;
    char region[64];
    struct table *t = NULL;
    json_t *tags;
    int found;

    if (parse_table_arn("ListTagsOfResource", arn, region, sizeof region, &name, err) < 0)
        return -1;
    found = strcmp(region, req->arn_region) != 0 ? 0
          : table_find(req->tables, req->db, req->account, req->region, name, &t, NULL, err);
    if (found <= 0)
        return found < 0 ? -1 : err_set(err, ERR_RESOURCE_NOT_FOUND,
                                         "Requested resource not found: ResourcArn: %s not found", arn);
    tags = json_object_get(t->def, "Tags");
    *out = json_object();
    json_object_set_new(*out, "Tags", tags ? json_deep_copy(tags) : json_array());
    table_release(t);
    return 0;
}
