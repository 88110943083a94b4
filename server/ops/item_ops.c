/* item_ops.c — PutItem, GetItem, DeleteItem (API reference of each). Validation that needs no
 * table runs first (values, ReturnValues, item size), then the table lookup and key checks, then
 * one write transaction that reads the old item, writes the new one and the table statistics.
 * GetItem splices the stored canonical JSON into its response without re-encoding it. */
#include <stdlib.h>
#include <string.h>

#include "capacity.h"
#include "key.h"
#include "limits.h"
#include "ops.h"
#include "store.h"
#include "strbuf.h"
#include "table.h"
#include "value.h"
#include "write.h"

static const char *str_field(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* Parameters that later work (expressions) will handle: refuse rather than silently ignore. */
static int refuse_unsupported(const json_t *body, struct err *err)
{
    static const char *const later[] = {"ConditionExpression", "Expected", "ProjectionExpression",
                                        "ConditionalOperator"};
    for (size_t i = 0; i < sizeof later / sizeof later[0]; i++)
        if (json_object_get(body, later[i]) != NULL)
            return err_set(err, ERR_VALIDATION, "%s is not supported yet by dynastream", later[i]);
    return 0;
}

/* ReturnValues of PutItem and DeleteItem. */
static int check_return_values_old_or_none(const json_t *body, struct err *err)
{
    const char *rv = str_field(body, "ReturnValues");
    if (rv != NULL && strcmp(rv, "NONE") != 0 && strcmp(rv, "ALL_OLD") != 0)
        return err_set(err, ERR_VALIDATION, "ReturnValues can only be ALL_OLD or NONE");
    return 0;
}

/* Validates every value of a Key parameter (before the table is known). */
static int validate_key_values(const json_t *key, struct err *err)
{
    const char *name;
    json_t *v;
    json_object_foreach((json_t *)key, name, v) {
        if (value_validate(v, err) < 0)
            return -1;
    }
    return 0;
}

static int wants_all_old(const json_t *body)
{
    const char *rv = str_field(body, "ReturnValues");
    return rv != NULL && strcmp(rv, "ALL_OLD") == 0;
}

/* Adds "Attributes" (the old item, parsed) to a write response when asked for. */
static int add_old_attributes(json_t *response, const char *old_json, struct err *err)
{
    json_error_t jerr;
    json_t *old;
    if (old_json == NULL)
        return 0;
    old = json_loads(old_json, 0, &jerr);
    if (old == NULL)
        return err_set(err, ERR_INTERNAL, "stored item is not JSON: %s", jerr.text);
    json_object_set_new(response, "Attributes", old);
    return 0;
}

/* The item collection metrics of a write, for tables with local secondary indexes. */
static void add_collection_metrics(json_t *response, const struct request *req,
                                   const struct table *table, const json_t *item)
{
    const char *mode = str_field(req->body, "ReturnItemCollectionMetrics");
    json_t *metrics, *key, *range;
    if (mode == NULL || strcmp(mode, "SIZE") != 0 ||
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

int op_put_item(struct request *req, json_t **out, struct err *err)
{
    const json_t *item = json_object_get(req->body, "Item");
    struct table *table = NULL;
    struct item_key key = {0};
    json_t *canonical = NULL, *response = NULL;
    char *text = NULL, *old_json = NULL;
    int64_t size, old_size = 0;
    int rc = -1, found;

    if (refuse_unsupported(req->body, err) < 0 || value_validate_item(item, err) < 0 ||
        check_return_values_old_or_none(req->body, err) < 0)
        return -1;
    size = (int64_t)value_item_size(item);
    if (size > (int64_t)LIMIT_ITEM_BYTES)
        return err_set(err, ERR_VALIDATION, "Item size has exceeded the maximum allowed size");
    canonical = value_canonical_item(item);
    text = json_dumps(canonical, JSON_COMPACT);
    if (text == NULL) {
        err_set(err, ERR_INTERNAL, "out of memory");
        goto out;
    }

    if (store_begin_write(req->db, err) < 0)
        goto out;
    if (table_get(req->tables, req->db, req->account, req->region, str_field(req->body, "TableName"),
                  &table, err) < 0 ||
        key_from_item(table, canonical, &key, err) < 0)
        goto fail;
    found = store_item_get(req->db, table->id, &key.key, &old_json, &old_size, err);
    if (found < 0)
        goto fail;
    {
        struct item_change change = {table, &key, old_json, old_size, text, size};
        if (write_item_change(req->db, &change, err) < 0)
            goto fail;
    }
    if (store_commit(req->db, err) < 0)
        goto out;

    response = json_object();
    if (wants_all_old(req->body) && add_old_attributes(response, old_json, err) < 0)
        goto out;
    {
        double units = capacity_write_units(size > old_size ? size : old_size);
        json_t *cc = capacity_json(str_field(req->body, "ReturnConsumedCapacity"), table->name, units);
        if (cc != NULL)
            json_object_set_new(response, "ConsumedCapacity", cc);
    }
    add_collection_metrics(response, req, table, canonical);
    *out = response;
    response = NULL;
    rc = 0;
    goto out;
fail:
    store_rollback(req->db);
out:
    json_decref(response);
    json_decref(canonical);
    free(text);
    free(old_json);
    item_key_free(&key);
    table_release(table);
    return rc;
}

/* A copy of the stored item with only the attributes named in AttributesToGet. */
static int project_attributes(const char *stored, const json_t *names, json_t **out,
                              struct err *err)
{
    json_error_t jerr;
    json_t *item = json_loads(stored, 0, &jerr), *projected;
    size_t i;
    json_t *name;
    if (item == NULL)
        return err_set(err, ERR_INTERNAL, "stored item is not JSON: %s", jerr.text);
    projected = json_object();
    json_array_foreach(names, i, name) {
        json_t *v = json_object_get(item, json_string_value(name));
        if (v != NULL)
            json_object_set(projected, json_string_value(name), v);
    }
    json_decref(item);
    *out = projected;
    return 0;
}

static int check_attributes_to_get(const json_t *names, struct err *err)
{
    size_t i, j;
    for (i = 0; i < json_array_size(names); i++)
        for (j = 0; j < i; j++)
            if (json_equal(json_array_get(names, i), json_array_get(names, j)))
                return err_set(err, ERR_VALIDATION, "One or more parameter values were invalid: "
                               "Duplicate value in attribute name: %s",
                               json_string_value(json_array_get(names, i)));
    return 0;
}

int op_get_item(struct request *req, json_t **out, struct err *err)
{
    const json_t *key_param = json_object_get(req->body, "Key");
    const json_t *attrs = json_object_get(req->body, "AttributesToGet");
    int consistent = json_is_true(json_object_get(req->body, "ConsistentRead"));
    struct table *table = NULL;
    struct item_key key = {0};
    struct strbuf sb = STRBUF_INIT;
    char *stored = NULL;
    json_t *cc = NULL, *projected = NULL;
    int64_t size = 0;
    int found, rc = -1;

    if (refuse_unsupported(req->body, err) < 0 || validate_key_values(key_param, err) < 0 ||
        check_attributes_to_get(attrs, err) < 0)
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
        if (attrs != NULL) {
            if (project_attributes(stored, attrs, &projected, err) < 0)
                goto out;
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
    req->raw_response = strbuf_finish(&sb);
    if (req->raw_response == NULL) {
        err_set(err, ERR_INTERNAL, "out of memory");
        goto out;
    }
    rc = 0;
out:
    strbuf_free(&sb);
    json_decref(cc);
    json_decref(projected);
    free(stored);
    item_key_free(&key);
    table_release(table);
    (void)out;
    return rc;
}

int op_delete_item(struct request *req, json_t **out, struct err *err)
{
    const json_t *key_param = json_object_get(req->body, "Key");
    struct table *table = NULL;
    struct item_key key = {0};
    json_t *response = NULL, *old_item = NULL;
    char *old_json = NULL;
    int64_t old_size = 0;
    int found, rc = -1;

    if (refuse_unsupported(req->body, err) < 0 || validate_key_values(key_param, err) < 0 ||
        check_return_values_old_or_none(req->body, err) < 0)
        return -1;
    if (store_begin_write(req->db, err) < 0)
        return -1;
    if (table_get(req->tables, req->db, req->account, req->region, str_field(req->body, "TableName"),
                  &table, err) < 0 ||
        key_from_key(table, key_param, &key, err) < 0)
        goto fail;
    found = store_item_get(req->db, table->id, &key.key, &old_json, &old_size, err);
    if (found < 0)
        goto fail;
    {
        struct item_change change = {table, &key, old_json, old_size, NULL, 0};
        if (write_item_change(req->db, &change, err) < 0)
            goto fail;
    }
    if (store_commit(req->db, err) < 0)
        goto out;

    response = json_object();
    if (wants_all_old(req->body) && add_old_attributes(response, old_json, err) < 0)
        goto out;
    {
        json_t *cc = capacity_json(str_field(req->body, "ReturnConsumedCapacity"), table->name,
                                   capacity_write_units(old_size));
        if (cc != NULL)
            json_object_set_new(response, "ConsumedCapacity", cc);
    }
    old_item = json_object_get(response, "Attributes");
    add_collection_metrics(response, req, table, old_item ? old_item : key_param);
    *out = response;
    response = NULL;
    rc = 0;
    goto out;
fail:
    store_rollback(req->db);
out:
    json_decref(response);
    free(old_json);
    item_key_free(&key);
    table_release(table);
    return rc;
}
