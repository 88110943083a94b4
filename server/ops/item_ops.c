/* item_ops.c — PutItem, GetItem, UpdateItem, DeleteItem (API reference of each). Each request's
 * checks run in DynamoDB's order: expression parameter rules, attribute values, ReturnValues,
 * item size, expressions (parsed once, reqexpr.c); then the write goes through rmw.c (table
 * lookup, key checks, old item, condition, new item, one atomic write). GetItem splices the stored
 * canonical JSON into its response without re-encoding it unless a projection is asked for. */
#include <stdlib.h>
#include <string.h>

#include "capacity.h"
#include "expr/expr.h"
#include "key.h"
#include "limits.h"
#include "ops.h"
#include "reqexpr.h"
#include "rmw.h"
#include "store.h"
#include "respond.h"
#include "strbuf.h"
#include "table.h"
#include "value.h"

static int str_is(const json_t *o, const char *key, const char *want)
{
    const char *v = str_field(o, key);
    return v != NULL && strcmp(v, want) == 0;
}

/* ReturnValues of PutItem and DeleteItem, refused inside the request-validation envelope: nubo-db
 * tier3/error-messages/deleteItem "request validation envelope" (eu-west-2 and us-east-1,
 * 2026-10-09): ALL_NEW and UPDATED_NEW -> one('ReturnValues can only be ALL_OLD or NONE'). PutItem
 * is not in that capture; its tier3 file has the same envelope on its other request-validation
 * errors (2026-10-09), and dynoxide pins PutItem ALL_NEW enveloped (eu-west-2). */
static int check_return_values_old_or_none(const json_t *body, struct err *err)
{
    const char *rv = str_field(body, "ReturnValues");
    if (rv != NULL && strcmp(rv, "NONE") != 0 && strcmp(rv, "ALL_OLD") != 0)
        return err_set(err, ERR_VALIDATION,
                       VALUE_MSG_ENVELOPE "ReturnValues can only be ALL_OLD or NONE");
    return 0;
}

/* Validates every value of a Key parameter (before the table is known), as an item's. */
static int validate_key_values(const json_t *key, struct err *err)
{
    return key == NULL ? 0 : value_validate_item(key, err);
}

/* Sets "Attributes" of a write response (steals value; nothing when NULL or empty). */
static void set_attributes(json_t *response, json_t *value)
{
    if (value != NULL && json_object_size(value) > 0)
        json_object_set_new(response, "Attributes", value);
    else
        json_decref(value);
}

/* The item collection metrics of a write, for tables with local secondary indexes. */
static void add_collection_metrics(json_t *response, const struct request *req,
                                   const struct table *table, const json_t *item)
{
    json_t *metrics, *key, *range;
    if (!str_is(req->body, "ReturnItemCollectionMetrics", "SIZE") ||
        json_object_get(table->def, "LocalSecondaryIndexes") == NULL || item == NULL)
        return;
    metrics = json_object();
    key = json_object();
    json_object_set(key, table->hash.name, json_object_get(item, table->hash.name));
    json_object_set_new(metrics, "ItemCollectionKey", key);
    range = json_array();
    json_array_append_new(range, json_real(0.0));
    json_array_append_new(range, json_real(1.0));
    json_object_set_new(metrics, "SizeEstimateRangeGB", range);
    json_object_set_new(response, "ItemCollectionMetrics", metrics);
}

/* ConsumedCapacity of a single-item write: the larger of the old and new item sizes. */
static void add_write_capacity(json_t *response, const struct request *req, const struct rmw *r)
{
    int64_t size = r->new_size > r->old_size ? r->new_size : r->old_size;
    json_t *cc = capacity_json_indexes(str_field(req->body, "ReturnConsumedCapacity"), r->table,
                                       capacity_write_units(size), r->index_units);
    if (cc != NULL)
        json_object_set_new(response, "ConsumedCapacity", cc);
}

/* Fills the parts of an rmw that every single-item write shares. */
static void rmw_init(struct rmw *r, struct request *req, const struct expr_request *ex)
{
    memset(r, 0, sizeof *r);
    r->req = req;
    r->table_name = str_field(req->body, "TableName");
    r->condition = ex->kind[EXPR_CONDITION];
    r->old_on_failure = str_is(req->body, "ReturnValuesOnConditionCheckFailure", "ALL_OLD");
}

/* ---- PutItem ------------------------------------------------------------------------------ */

int op_put_item(struct request *req, json_t **out, struct err *err)
{
    const json_t *item = json_object_get(req->body, "Item");
    struct expr_request ex = {0};
    struct rmw r = {0};
    json_t *canonical = NULL, *response = NULL;
    char *text = NULL;
    int64_t size;
    int rc = -1;

    if (expr_check_params(EXPR_OP_PUT_ITEM, req->body, err) < 0 ||
        value_validate_item(item, err) < 0 || check_return_values_old_or_none(req->body, err) < 0)
        return -1;
    size = (int64_t)value_item_size(item);
    if (size > (int64_t)LIMIT_ITEM_BYTES)
        return err_set(err, ERR_VALIDATION, "Item size has exceeded the maximum allowed size");
    if (reqexpr_parse(EXPR_OP_PUT_ITEM, req->body, &ex, err) < 0)
        return -1;
    canonical = value_canonical_item(item);
    text = json_dumps(canonical, JSON_COMPACT);
    if (text == NULL) {
        err_set(err, ERR_INTERNAL, "out of memory");
        goto out;
    }

    rmw_init(&r, req, &ex);
    r.key_item = canonical;
    r.new_item_given = canonical;
    r.new_json_given = text;
    r.new_size_given = size;
    r.need_old_item = str_is(req->body, "ReturnValues", "ALL_OLD");
    if (rmw_run(&r, err) < 0)
        goto out;

    response = json_object();
    if (r.need_old_item)
        set_attributes(response, json_incref(r.old_item));
    add_write_capacity(response, req, &r);
    add_collection_metrics(response, req, r.table, canonical);
    *out = response;
    response = NULL;
    rc = 0;
out:
    rmw_free(&r);
    reqexpr_free(&ex);
    json_decref(response);
    json_decref(canonical);
    free(text);
    return rc;
}

/* ---- GetItem ------------------------------------------------------------------------------ */

int op_get_item(struct request *req, json_t **out, struct err *err)
{
    const json_t *key_param = json_object_get(req->body, "Key");
    int consistent = json_is_true(json_object_get(req->body, "ConsistentRead"));
    struct expr_request ex = {0};
    struct table *table = NULL;
    struct item_key key = {0};
    struct strbuf sb = STRBUF_INIT;
    char *stored = NULL;
    json_t *cc = NULL, *item = NULL, *projected = NULL;
    int64_t size = 0;
    int found, rc = -1;

    (void)out;
    /* GetItem reports bad key values without the "1 validation error detected: " envelope that
     * PutItem/DeleteItem/UpdateItem use (nubo-db value-layer capture, 2026-10-09) */
    if (expr_check_params(EXPR_OP_GET_ITEM, req->body, err) < 0 ||
        (key_param != NULL && value_validate_item_bare(key_param, err) < 0) ||
        reqexpr_parse(EXPR_OP_GET_ITEM, req->body, &ex, err) < 0)
        return -1;
    if (table_get(req->tables, req->db, req->account, req->region, str_field(req->body, "TableName"),
                  &table, err) < 0 ||
        key_from_key(table, key_param, &key, err) < 0)
        goto out;
    found = store_item_get(req->db, table->id, &key.key, &stored, &size, err);
    if (found < 0)
        goto out;
    cc = capacity_json(str_field(req->body, "ReturnConsumedCapacity"), table->name,
                       capacity_read_units(found ? size : 0, consistent));

    strbuf_puts(&sb, "{");
    if (found) {
        strbuf_puts(&sb, "\"Item\":");
        if (ex.kind[EXPR_PROJECTION] != NULL) {
            json_error_t jerr;
            item = json_loads(stored, 0, &jerr);
            if (item == NULL) {
                err_set(err, ERR_INTERNAL, "stored item is not JSON: %s", jerr.text);
                goto out;
            }
            projected = expr_project(ex.kind[EXPR_PROJECTION], item);
            strbuf_append_json(&sb, projected);
        } else {
            strbuf_puts(&sb, stored);
        }
    }
    if (cc != NULL) {
        strbuf_puts(&sb, found ? ",\"ConsumedCapacity\":" : "\"ConsumedCapacity\":");
        strbuf_append_json(&sb, cc);
    }
    strbuf_puts(&sb, "}");
    if (respond_raw(req, &sb, err) < 0)
        goto out;
    rc = 0;
out:
    strbuf_free(&sb);
    json_decref(cc);
    json_decref(item);
    json_decref(projected);
    free(stored);
    item_key_free(&key);
    table_release(table);
    reqexpr_free(&ex);
    return rc;
}

/* ---- UpdateItem --------------------------------------------------------------------------- */

static const char *const UPDATE_RETURN_VALUES[] = {"NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW",
                                                   "UPDATED_NEW"};

/* The new item: the update applied to the old item, or to the key alone when there was none
 * (UpdateItem creates the item, as DynamoDB does — even with no update at all). An update that only
 * takes attributes away (REMOVE, DELETE) creates nothing on a missing item: *new_item stays NULL,
 * so nothing is written and no Attributes are returned (expr_update_removes_only). */
static int update_modify(struct rmw *r, const json_t *old_item, json_t **new_item, struct err *err)
{
    const struct expr *update = r->arg;
    const json_t *key_param = r->key_param;
    struct expr_keys keys = {r->table->hash.name, r->table->range.name};
    json_t *base = NULL;
    int rc;

    if (old_item == NULL && expr_update_removes_only(update)) {
        *new_item = NULL;
        return expr_update_check_keys(update, &keys, err);
    }
    if (old_item == NULL)
        base = json_deep_copy(key_param);
    if (update == NULL) {
        *new_item = old_item != NULL ? json_deep_copy(old_item) : json_incref(base);
        json_decref(base);
        return 0;
    }
    rc = expr_update_apply(update, old_item != NULL ? old_item : base, &keys, new_item, err);
    json_decref(base);
    return rc;
}

int op_update_item(struct request *req, json_t **out, struct err *err)
{
    const json_t *key_param = json_object_get(req->body, "Key");
    const char *rv = str_field(req->body, "ReturnValues");
    struct expr_request ex = {0};
    struct rmw r = {0};
    json_t *response = NULL;
    const struct expr *update;
    int rc = -1, known = rv == NULL;

    if (expr_check_params(EXPR_OP_UPDATE_ITEM, req->body, err) < 0 ||
        validate_key_values(key_param, err) < 0)
        return -1;
    for (size_t i = 0; rv != NULL && i < sizeof UPDATE_RETURN_VALUES / sizeof UPDATE_RETURN_VALUES[0]; i++)
        known |= strcmp(rv, UPDATE_RETURN_VALUES[i]) == 0;
    if (!known)
        return err_set(err, ERR_VALIDATION, "ReturnValues can only be ALL_OLD, UPDATED_OLD, "
                       "ALL_NEW, UPDATED_NEW or NONE");
    if (reqexpr_parse(EXPR_OP_UPDATE_ITEM, req->body, &ex, err) < 0)
        return -1;
    update = ex.kind[EXPR_UPDATE];

    rmw_init(&r, req, &ex);
    r.key_param = key_param;
    r.modify = update_modify;
    r.arg = (void *)update;
    r.update = update;
    r.need_old_item = 1;
    if (rmw_run(&r, err) < 0)
        goto out;

    response = json_object();
    if (rv != NULL && strcmp(rv, "ALL_OLD") == 0)
        set_attributes(response, json_incref(r.old_item));
    else if (rv != NULL && strcmp(rv, "ALL_NEW") == 0)
        set_attributes(response, json_incref(r.new_item));
    else if (rv != NULL && strcmp(rv, "UPDATED_OLD") == 0 && update != NULL)
        set_attributes(response, expr_update_project(update, r.old_item));
    else if (rv != NULL && strcmp(rv, "UPDATED_NEW") == 0 && update != NULL)
        set_attributes(response, expr_update_project(update, r.new_item));
    add_write_capacity(response, req, &r);
    add_collection_metrics(response, req, r.table, r.new_item);
    *out = response;
    response = NULL;
    rc = 0;
out:
    json_decref(response);
    rmw_free(&r);
    reqexpr_free(&ex);
    return rc;
}

/* ---- DeleteItem --------------------------------------------------------------------------- */

static int delete_modify(struct rmw *r, const json_t *old_item, json_t **new_item,
                         struct err *err)
{
    (void)r;
    (void)old_item;
    (void)err;
    *new_item = NULL;
    return 0;
}

int op_delete_item(struct request *req, json_t **out, struct err *err)
{
    const json_t *key_param = json_object_get(req->body, "Key");
    struct expr_request ex = {0};
    struct rmw r = {0};
    json_t *response = NULL;
    int rc = -1;

    if (expr_check_params(EXPR_OP_DELETE_ITEM, req->body, err) < 0 ||
        validate_key_values(key_param, err) < 0 ||
        check_return_values_old_or_none(req->body, err) < 0 ||
        reqexpr_parse(EXPR_OP_DELETE_ITEM, req->body, &ex, err) < 0)
        return -1;
    rmw_init(&r, req, &ex);
    r.key_param = key_param;
    r.modify = delete_modify;
    r.need_old_item = 1;
    if (rmw_run(&r, err) < 0)
        goto out;

    response = json_object();
    if (str_is(req->body, "ReturnValues", "ALL_OLD"))
        set_attributes(response, json_incref(r.old_item));
    add_write_capacity(response, req, &r);
    add_collection_metrics(response, req, r.table, r.old_item ? r.old_item : key_param);
    *out = response;
    response = NULL;
    rc = 0;
out:
    json_decref(response);
    rmw_free(&r);
    reqexpr_free(&ex);
    return rc;
}
