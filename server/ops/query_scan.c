/* query_scan.c — Scan (API reference: Scan): whole-table reads in the store's (hash, key) order,
 * with Limit, ExclusiveStartKey / LastEvaluatedKey paging, the 1 MB page limit counted on item
 * sizes before any filtering, Select COUNT, and parallel scans whose segments are contiguous
 * ranges of the 32-bit partition-key hash (disjoint, and together the whole table).
 * Items are spliced into the response as stored. Filters, projections and Query come with the
 * expression and query work. */
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

static const char *str_field(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

struct scan_page {
    struct strbuf *sb;         /* "Items":[ ... being built */
    int count_only;            /* Select COUNT: no items in the response */
    int64_t limit;             /* items to evaluate at most (0: no limit) */
    int64_t scanned;           /* items evaluated */
    int64_t bytes;             /* their sizes, for the 1 MB page and the capacity */
    char *last_json;           /* the last item evaluated (for LastEvaluatedKey) */
    int more;                  /* the page stopped before the end */
};

static int scan_visit(void *arg, const struct store_key *key, const char *json, size_t json_len,
                      int64_t size)
{
    struct scan_page *page = arg;
    (void)key;
    if (!page->count_only) {
        if (page->scanned > 0)
            strbuf_append(page->sb, ",", 1);
        strbuf_append(page->sb, json, json_len);
    }
    page->scanned++;
    page->bytes += size;
    if ((page->limit > 0 && page->scanned >= page->limit) || page->bytes >= (int64_t)LIMIT_PAGE_BYTES) {
        free(page->last_json);
        page->last_json = strndup(json, json_len);
        page->more = 1;
        return 1;
    }
    return 0;
}

static int check_scan_request(const json_t *body, struct err *err)
{
    const json_t *segment = json_object_get(body, "Segment");
    const json_t *total = json_object_get(body, "TotalSegments");
    const json_t *start = json_object_get(body, "ExclusiveStartKey");
    static const char *const later[] = {"FilterExpression", "ProjectionExpression", "ScanFilter",
                                        "IndexName", "ConditionalOperator"};
    const char *name;
    json_t *v;

    for (size_t i = 0; i < sizeof later / sizeof later[0]; i++)
        if (json_object_get(body, later[i]) != NULL)
            return err_set(err, ERR_VALIDATION, "%s is not supported yet by dynastream", later[i]);
    json_object_foreach((json_t *)start, name, v) {
        struct err inner = ERR_INIT;
        if (value_validate(v, &inner) < 0) {
            int rc = err_set(err, inner.code, "The provided starting key is invalid: %s",
                             inner.message ? inner.message : "");
            err_clear(&inner);
            return rc;
        }
    }
    if (segment != NULL && total == NULL)
        return err_set(err, ERR_VALIDATION, "The TotalSegments parameter is required but was not "
                       "present in the request when Segment parameter is present");
    if (total != NULL && segment == NULL)
        return err_set(err, ERR_VALIDATION, "The Segment parameter is required but was not "
                       "present in the request when parameter TotalSegments is present");
    if (total != NULL && json_integer_value(segment) >= json_integer_value(total))
        return err_set(err, ERR_VALIDATION, "The Segment parameter is zero-based and must be less "
                       "than parameter TotalSegments: Segment: %lld is not less than TotalSegments: %lld",
                       (long long)json_integer_value(segment), (long long)json_integer_value(total));
    return 0;
}

int op_scan(struct request *req, json_t **out, struct err *err)
{
    const json_t *body = req->body;
    const json_t *start = json_object_get(body, "ExclusiveStartKey");
    const char *select = str_field(body, "Select");
    int consistent = json_is_true(json_object_get(body, "ConsistentRead"));
    struct table *table = NULL;
    struct item_key start_key = {0};
    struct strbuf sb = STRBUF_INIT;
    struct scan_page page = {.sb = &sb};
    uint64_t hash_lo = 0, hash_hi = (uint64_t)1 << 32;
    json_t *cc = NULL;
    int rc = -1;
    char num[64];

    (void)out;
    if (check_scan_request(body, err) < 0)
        return -1;
    page.count_only = select != NULL && strcmp(select, "COUNT") == 0;
    page.limit = json_integer_value(json_object_get(body, "Limit"));
    if (json_object_get(body, "TotalSegments") != NULL) {
        uint64_t total = (uint64_t)json_integer_value(json_object_get(body, "TotalSegments"));
        uint64_t segment = (uint64_t)json_integer_value(json_object_get(body, "Segment"));
        hash_lo = (segment << 32) / total;
        hash_hi = ((segment + 1) << 32) / total;
    }

    if (store_begin_read(req->db, err) < 0)
        return -1;
    if (table_get(req->tables, req->db, req->account, req->region, str_field(body, "TableName"),
                  &table, err) < 0)
        goto out;
    if (start != NULL) {
        struct err inner = ERR_INIT;
        if (key_from_key(table, start, &start_key, &inner) < 0) {
            err_set(err, inner.code, "The provided starting key is invalid: %s",
                    inner.message ? inner.message : "");
            err_clear(&inner);
            goto out;
        }
        if (start_key.key.hash < hash_lo || start_key.key.hash >= hash_hi) {
            err_set(err, ERR_VALIDATION, "The provided starting key is invalid: Invalid "
                    "ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. "
                    "TotalSegments: %lld Segment: %lld",
                    (long long)json_integer_value(json_object_get(body, "TotalSegments")),
                    (long long)json_integer_value(json_object_get(body, "Segment")));
            goto out;
        }
    }
    if (!page.count_only)
        strbuf_puts(&sb, "{\"Items\":[");
    else
        strbuf_puts(&sb, "{");
    if (store_item_scan(req->db, table->id, hash_lo, hash_hi, start ? &start_key.key : NULL,
                        scan_visit, &page, err) < 0)
        goto out;
    store_commit(req->db, NULL);

    if (!page.count_only)
        strbuf_puts(&sb, "],");
    snprintf(num, sizeof num, "\"Count\":%lld,\"ScannedCount\":%lld", (long long)page.scanned,
             (long long)page.scanned);
    strbuf_puts(&sb, num);
    if (page.more) {
        json_error_t jerr;
        json_t *last = json_loads(page.last_json, 0, &jerr);
        json_t *lek = last ? key_project(table, last) : NULL;
        strbuf_puts(&sb, ",\"LastEvaluatedKey\":");
        strbuf_append_json(&sb, lek);
        json_decref(lek);
        json_decref(last);
    }
    {
        /* a scan is charged for the data it reads, in 4 KB units over the whole page */
        int64_t units = (page.bytes + CAPACITY_READ_UNIT_BYTES - 1) / CAPACITY_READ_UNIT_BYTES;
        double cap = units == 0 ? (consistent ? 1.0 : 0.5) : (consistent ? (double)units : units / 2.0);
        cc = capacity_json(str_field(body, "ReturnConsumedCapacity"), table->name, cap);
    }
    if (cc != NULL) {
        strbuf_puts(&sb, ",\"ConsumedCapacity\":");
        strbuf_append_json(&sb, cc);
    }
    strbuf_puts(&sb, "}");
    req->raw_response = strbuf_finish(&sb);
    if (req->raw_response == NULL)
        err_set(err, ERR_INTERNAL, "out of memory");
    else
        rc = 0;
out:
    store_rollback(req->db);
    strbuf_free(&sb);
    json_decref(cc);
    free(page.last_json);
    item_key_free(&start_key);
    table_release(table);
    return rc;
}
