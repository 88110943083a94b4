/* query_scan.c — Query and Scan (API reference of each), on a table or on one of its secondary
 * indexes. Query turns the key condition into a key range of one partition and runs it as an
 * index range read (store_query): its cost does not depend on the table's size, and the order is
 * the key order (N numerically, S and B by bytes), reversed for ScanIndexForward=false. Scan reads
 * in (partition-key hash, key) order; parallel segments are contiguous hash ranges, disjoint and
 * together complete. Both stop at Limit items or 1 MB read (counted before the filter, as DynamoDB
 * counts), then filter, project and splice stored JSON into the response.
 * Developer guide: "Query operations", "Scan operations", "Paginating", "Parallel scan". */
#include <stdlib.h>
#include <string.h>

#include "capacity.h"
#include "expr/expr.h"
#include "key.h"
#include "keycodec.h"
#include "limits.h"
#include "ops.h"
#include "reqexpr.h"
#include "store.h"
#include "respond.h"
#include "strbuf.h"
#include "table.h"
#include "value.h"

/* ---- the page: what one Query or Scan call returns ------------------------------------------- */

struct page {
    struct store_conn *db;
    const struct table *table;
    const struct table_index *index;   /* NULL for the table itself */
    const struct expr *filter;
    const struct expr *projection;
    int count_only;                    /* Select COUNT */
    int fetch_from_table;              /* LSI entry lacks attributes asked for: read the item */
    int64_t limit;                     /* 0: none */

    struct strbuf *sb;                 /* the Items array being written */
    int64_t scanned;                   /* items evaluated (ScannedCount) */
    int64_t count;                     /* items returned (Count) */
    int64_t bytes;                     /* sizes read, for the 1 MB page and capacity */
    int64_t table_units4k;             /* items fetched from the table (LSI), each a read of its
                                          own rounded up to 4 KB */
    char *last_json;                   /* the last entry evaluated, for LastEvaluatedKey */
    int more;                          /* stopped before the end */
    struct err *err;
    int failed;
};

/* Appends one item (stored JSON) to the page, filtered and projected. */
static int emit(struct page *p, const char *json, size_t len)
{
    json_t *item = NULL, *shown = NULL;

    if (p->filter != NULL || (p->projection != NULL && !p->count_only)) {
        json_error_t jerr;
        item = json_loadb(json, len, 0, &jerr);
        if (item == NULL) {
            err_set(p->err, ERR_INTERNAL, "stored item is not JSON: %s", jerr.text);
            return -1;
        }
        if (p->filter != NULL && !expr_eval(p->filter, item)) {
            json_decref(item);
            return 0;
        }
    }
    p->count++;
    if (!p->count_only) {
        if (p->count > 1)
            strbuf_append(p->sb, ",", 1);
        if (p->projection != NULL) {
            shown = expr_project(p->projection, item);
            strbuf_append_json(p->sb, shown);
        } else {
            strbuf_append(p->sb, json, len);
        }
    }
    json_decref(shown);
    json_decref(item);
    return 0;
}

static int visit(void *arg, const struct store_entry *e)
{
    struct page *p = arg;
    const char *json = e->json;
    size_t len = e->json_len;
    char *fetched = NULL;
    int rc;

    p->scanned++;
    p->bytes += e->size;
    if (p->fetch_from_table) {
        struct store_key tk = {keycodec_hash(e->thk, e->thk_len), e->thk, e->thk_len, e->trk,
                               e->trk_len};
        int64_t size = 0;
        int found = store_item_get(p->db, p->table->id, &tk, &fetched, &size, p->err);
        if (found < 0) {
            p->failed = 1;
            return 1;
        }
        if (found) {
            json = fetched;
            len = strlen(fetched);
            p->table_units4k += size > 0 ? (size + CAPACITY_READ_UNIT_BYTES - 1) /
                                                  CAPACITY_READ_UNIT_BYTES : 1;
        }
    }
    rc = emit(p, json, len);
    free(fetched);
    if (rc < 0) {
        p->failed = 1;
        return 1;
    }
    if ((p->limit > 0 && p->scanned >= p->limit) || p->bytes >= (int64_t)LIMIT_PAGE_BYTES) {
        free(p->last_json);
        p->last_json = strndup(e->json, e->json_len);
        p->more = 1;
        return 1;
    }
    return 0;
}

/* The key attributes of the page's entries: the table's, plus the index's. */
static json_t *last_evaluated_key(const struct page *p)
{
    json_error_t jerr;
    json_t *last = json_loads(p->last_json, 0, &jerr), *key;
    if (last == NULL)
        return NULL;
    key = key_project(p->table, last);
    if (p->index != NULL) {
        json_t *v;
        if ((v = json_object_get(last, p->index->hash.name)) != NULL)
            json_object_set(key, p->index->hash.name, v);
        if (p->index->range.name != NULL && (v = json_object_get(last, p->index->range.name)) != NULL)
            json_object_set(key, p->index->range.name, v);
    }
    json_decref(last);
    return key;
}

/* Writes the response: {"Items":[...],"Count":..,"ScannedCount":..,"LastEvaluatedKey":..,
 * "ConsumedCapacity":..}. The Items array is already in p->sb when not counting only. */
static int finish_response(struct request *req, struct page *p, struct strbuf *sb, int consistent,
                           struct err *err)
{
    char counts[96];
    const char *mode = str_field(req->body, "ReturnConsumedCapacity");
    int64_t units4k = (p->bytes + CAPACITY_READ_UNIT_BYTES - 1) / CAPACITY_READ_UNIT_BYTES;
    double units = units4k == 0 ? 1 : (double)units4k;
    json_t *cc;

    if (!consistent)
        units /= 2;
    strbuf_puts(sb, p->count_only ? "{" : "],");
    snprintf(counts, sizeof counts, "\"Count\":%lld,\"ScannedCount\":%lld", (long long)p->count,
             (long long)p->scanned);
    strbuf_puts(sb, counts);
    if (p->more) {
        json_t *lek = last_evaluated_key(p);
        strbuf_puts(sb, ",\"LastEvaluatedKey\":");
        strbuf_append_json(sb, lek);
        json_decref(lek);
    }
    if (p->index == NULL) {
        cc = capacity_json(mode, p->table->name, units);
    } else {
        /* reads of an index are charged to the index (and fetches to the table) */
        double index_units[LIMIT_GSI_PER_TABLE + LIMIT_LSI_PER_TABLE] = {0};
        double table_units = consistent ? (double)p->table_units4k : p->table_units4k / 2.0;
        index_units[p->index - p->table->indexes] = units;
        cc = capacity_json_indexes(mode, p->table, table_units, index_units);
    }
    if (cc != NULL) {
        strbuf_puts(sb, ",\"ConsumedCapacity\":");
        strbuf_append_json(sb, cc);
        json_decref(cc);
    }
    strbuf_puts(sb, "}");
    return respond_raw(req, sb, err);
}

/* Fills what Query and Scan set alike (p->index and p->fetch_from_table are already set) and
 * opens the Items array. */
static void page_start(struct page *p, struct request *req, const struct table *table,
                       const struct expr_request *ex, struct strbuf *sb, struct err *err)
{
    const char *select = str_field(req->body, "Select");
    p->db = req->db;
    p->table = table;
    p->filter = ex->kind[EXPR_FILTER];
    p->projection = ex->kind[EXPR_PROJECTION];
    p->count_only = select != NULL && strcmp(select, "COUNT") == 0;
    p->limit = json_integer_value(json_object_get(req->body, "Limit"));
    p->sb = sb;
    p->err = err;
    strbuf_puts(sb, p->count_only ? "" : "{\"Items\":[");
}

/* ---- checks shared by Query and Scan --------------------------------------------------------- */

/* Select against projections (before the table is known). */
static int check_select(const json_t *body, const struct expr_request *ex, int for_query,
                        struct err *err)
{
    const char *select = str_field(body, "Select");
    const char *what = json_object_get(body, "AttributesToGet") != NULL ? "AttributesToGet"
                                                                        : "ProjectionExpression";
    int projected = ex->kind[EXPR_PROJECTION] != NULL;

    if (select == NULL)
        return 0;
    if (strcmp(select, "COUNT") == 0 && projected)
        return err_set(err, ERR_VALIDATION,
                       "Cannot specify the %s when choosing to get only the Count", what);
    if (strcmp(select, "ALL_ATTRIBUTES") == 0 && projected)
        return err_set(err, ERR_VALIDATION,
                       "Cannot specify the %s when choosing to get ALL_ATTRIBUTES", what);
    if (strcmp(select, "ALL_PROJECTED_ATTRIBUTES") == 0 && projected)
        return err_set(err, ERR_VALIDATION,
                       "Cannot specify the %s when choosing to get ALL_PROJECTED_ATTRIBUTES", what);
    if (strcmp(select, "ALL_PROJECTED_ATTRIBUTES") == 0 &&
        json_object_get(body, "IndexName") == NULL)
        return err_set(err, ERR_VALIDATION,
                       "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName");
    if (strcmp(select, "SPECIFIC_ATTRIBUTES") == 0 && !projected)
        return err_set(err, ERR_VALIDATION, "%sMust specify the AttributesToGet or "
                       "ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES",
                       for_query ? "1 validation error detected: " : "");
    return 0;
}

/* Validates every value of ExclusiveStartKey (before the table is known). */
static int check_start_key_values(const json_t *start, struct err *err)
{
    struct err inner = ERR_INIT;
    int rc;
    if (start == NULL || value_validate_item(start, &inner) == 0)
        return 0;
    rc = err_set(err, inner.code, "The provided starting key is invalid: %s",
                 value_error_text(inner.message));
    err_clear(&inner);
    return rc;
}

/* Whether an index's entries hold attribute name[len]: its projection, its keys, the table's keys. */
static int index_projects(const struct table *table, const struct table_index *ix, const char *name,
                          size_t len)
{
    const char *keys[4] = {table->hash.name, table->range.name, ix->hash.name, ix->range.name};
    size_t i;
    json_t *v;
    if (ix->projection == PROJECTION_ALL)
        return 1;
    for (int k = 0; k < 4; k++)
        if (keys[k] != NULL && strlen(keys[k]) == len && memcmp(keys[k], name, len) == 0)
            return 1;
    json_array_foreach(ix->non_key, i, v)
        if (json_string_length(v) == len && memcmp(json_string_value(v), name, len) == 0)
            return 1;
    return 0;
}

struct missing_names {
    const struct table *table;
    const struct table_index *ix;
    struct strbuf sb;          /* "a2, b" */
    int n;
};

static int note_missing(void *arg, const char *name, size_t len)
{
    struct missing_names *m = arg;
    if (!index_projects(m->table, m->ix, name, len)) {
        if (m->n++ > 0)
            strbuf_puts(&m->sb, ", ");
        strbuf_append(&m->sb, name, len);
    }
    return 0;
}

/* Looks up IndexName and checks it against the request (after the table lookup). */
static int resolve_index(const struct request *req, const struct table *table,
                         const struct expr_request *ex, const struct table_index **out,
                         int *fetch_from_table, struct err *err)
{
    const char *name = str_field(req->body, "IndexName");
    const char *select = str_field(req->body, "Select");
    const struct table_index *ix;

    *out = NULL;
    *fetch_from_table = 0;
    if (name == NULL)
        return 0;
    ix = table_index_find(table, name);
    if (ix == NULL)
        return err_set(err, ERR_VALIDATION, "The table does not have the specified index: %s", name);
    if (ix->global && json_is_true(json_object_get(req->body, "ConsistentRead")))
        return err_set(err, ERR_VALIDATION,
                       "Consistent reads are not supported on global secondary indexes");
    if (select != NULL && strcmp(select, "ALL_ATTRIBUTES") == 0 && ix->projection != PROJECTION_ALL) {
        if (ix->global)
            return err_set(err, ERR_VALIDATION, "One or more parameter values were invalid: "
                           "Select type ALL_ATTRIBUTES is not supported for global secondary index "
                           "%s because its projection type is not ALL", name);
        *fetch_from_table = 1;
    }
    if (ex->kind[EXPR_PROJECTION] != NULL && ix->projection != PROJECTION_ALL) {
        /* attributes the index does not hold: a GSI refuses them, an LSI reads the table */
        struct missing_names m = {table, ix, STRBUF_INIT, 0};
        int rc = 0;
        expr_projection_names(ex->kind[EXPR_PROJECTION], note_missing, &m);
        if (m.n > 0 && ix->global)
            rc = err_set(err, ERR_VALIDATION, "One or more parameter values were invalid: Global "
                         "secondary index %s does not project [%s]", name, m.sb.data ? m.sb.data : "");
        else if (m.n > 0)
            *fetch_from_table = 1;
        strbuf_free(&m.sb);
        if (rc < 0)
            return -1;
    }
    *out = ix;
    return 0;
}

/* The key attributes queried: the index's, or the table's. */
static void key_schema_of(const struct table *table, const struct table_index *ix,
                          const struct key_attr **hash, const struct key_attr **range)
{
    *hash = ix ? &ix->hash : &table->hash;
    *range = ix ? (ix->range.name ? &ix->range : NULL) : (table->range.name ? &table->range : NULL);
}

/* A Query's filter may not use the queried key attributes. */
static int check_filter_keys(const struct request *req, const struct expr *filter,
                             const struct key_attr *hash, const struct key_attr *range,
                             struct err *err)
{
    const char *what = json_object_get(req->body, "QueryFilter") != NULL ? "QueryFilter"
                                                                         : "Filter Expression";
    const struct key_attr *keys[2] = {hash, range};
    for (int i = 0; filter != NULL && i < 2; i++) {
        if (keys[i] != NULL && expr_mentions(filter, keys[i]->name, strlen(keys[i]->name)) != 0)
            return err_set(err, ERR_VALIDATION, "%s can only contain non-primary key attributes: "
                           "Primary key attribute: %s", what, keys[i]->name);
    }
    return 0;
}

/* ---- positions: ExclusiveStartKey as a store position ---------------------------------------- */

struct position {
    struct item_key table_key;   /* the item's table key */
    struct item_key index_key;   /* its index key (index reads only) */
};

static void position_free(struct position *pos)
{
    item_key_free(&pos->table_key);
    item_key_free(&pos->index_key);
}

/* ExclusiveStartKey must name exactly the table's key attributes, plus the index's for an index. */
/* ExclusiveStartKey must name exactly the table's key attributes, plus the index's for an index.
 * The words differ between Scan and Query (dynalite, nubo-db tier1 query/scan): a Query names a
 * malformed key "The provided starting key is invalid" and a mistyped one "The provided key element
 * does not match the schema" (for a GSI with the "starting key is invalid: " prefix). */
static int start_position(const struct table *table, const struct table_index *ix,
                          const json_t *start, int for_query, struct position *pos,
                          struct err *err)
{
    static const char INVALID[] = "The provided starting key is invalid";
    static const char SCHEMA[] = "The provided key element does not match the schema";
    const char *names[4] = {table->hash.name, table->range.name, ix ? ix->hash.name : NULL,
                            ix ? ix->range.name : NULL};
    struct err inner = ERR_INIT;
    json_t *table_part;
    size_t expected = 0;
    int present = 0, rc, shape_ok = 1, in_index;

    memset(pos, 0, sizeof *pos);
    /* the distinct names among the table's and the index's key attributes, all present */
    for (int i = 0; i < 4; i++) {
        int seen = names[i] == NULL;
        for (int j = 0; j < i && !seen; j++)
            seen = names[j] != NULL && strcmp(names[i], names[j]) == 0;
        expected += !seen;
        if (names[i] != NULL && json_object_get(start, names[i]) == NULL)
            shape_ok = 0;
    }
    if (json_object_size(start) != expected)
        shape_ok = 0;
    if (ix == NULL && !for_query) {
        if (key_from_key(table, start, &pos->table_key, &inner) < 0) {
            rc = err_set(err, inner.code, "%s: %s", INVALID, value_error_text(inner.message));
            err_clear(&inner);
            return rc;
        }
        return 0;
    }
    if (!shape_ok)
        return err_set(err, ERR_VALIDATION, "%s", INVALID);
    table_part = key_project(table, start);
    rc = key_from_key(table, table_part, &pos->table_key, &inner);
    json_decref(table_part);
    in_index = rc == 0 && ix != NULL;
    if (in_index)
        rc = key_from_index(ix, start, &pos->index_key, &present, &inner);
    if (rc < 0) {
        int type_error = inner.message != NULL && (strstr(inner.message, SCHEMA) != NULL ||
                                                   strstr(inner.message, "Type mismatch") != NULL);
        /* a mistyped table key of an index read, or a mistyped GSI key, carries the prefix; a
         * mistyped key of a table query or of an LSI's own key does not */
        int prefixed = ix != NULL && (!in_index || ix->global);
        if (!for_query)
            rc = err_set(err, inner.code ? inner.code : ERR_VALIDATION, "%s: %s", INVALID,
                         type_error ? SCHEMA : value_error_text(inner.message));
        else if (type_error)
            rc = err_set(err, ERR_VALIDATION, "%s%s%s", prefixed ? INVALID : "",
                         prefixed ? ": " : "", SCHEMA);
        else
            rc = err_set(err, inner.code, "%s", value_error_text(inner.message));
        err_clear(&inner);
        return rc;
    }
    if (ix != NULL && !present)
        return err_set(err, ERR_VALIDATION, "%s", INVALID);
    return 0;
}

/* Filters and projections may not reach inside key attributes ("Key attributes must be
 * scalars; ..."): the table's keys, and the index's when one is read. */
static int check_key_paths(const struct expr_request *ex, const struct table *table,
                           const struct table_index *ix, struct err *err)
{
    const struct expr *exprs[2] = {ex->kind[EXPR_FILTER], ex->kind[EXPR_PROJECTION]};
    struct expr_keys table_keys = {table->hash.name, table->range.name};
    for (int i = 0; i < 2; i++) {
        if (exprs[i] == NULL)
            continue;
        if (expr_check_key_paths(exprs[i], &table_keys, "Key", err) < 0)
            return -1;
        if (ix != NULL) {
            struct expr_keys index_keys = {ix->hash.name, ix->range.name};
            if (expr_check_key_paths(exprs[i], &index_keys, "IndexKey", err) < 0)
                return -1;
        }
    }
    return 0;
}

/* ---- Scan -------------------------------------------------------------------------------------- */

static int check_scan_segments(const json_t *body, struct err *err)
{
    const json_t *segment = json_object_get(body, "Segment");
    const json_t *total = json_object_get(body, "TotalSegments");

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
    int consistent = json_is_true(json_object_get(body, "ConsistentRead"));
    struct expr_request ex = {0};
    struct table *table = NULL;
    struct position pos = {0};
    struct strbuf sb = STRBUF_INIT;
    struct page p = {0};
    uint64_t hash_lo = 0, hash_hi = (uint64_t)1 << 32;
    int rc = -1, reading = 0;

    (void)out;
    if (expr_check_params(EXPR_OP_SCAN, body, err) < 0 || check_start_key_values(start, err) < 0 ||
        check_scan_segments(body, err) < 0 || reqexpr_parse(EXPR_OP_SCAN, body, &ex, err) < 0)
        return -1;
    if (check_select(body, &ex, 0, err) < 0)
        goto out;
    if (json_object_get(body, "TotalSegments") != NULL) {
        uint64_t total = (uint64_t)json_integer_value(json_object_get(body, "TotalSegments"));
        uint64_t segment = (uint64_t)json_integer_value(json_object_get(body, "Segment"));
        hash_lo = (segment << 32) / total;
        hash_hi = ((segment + 1) << 32) / total;
    }

    if (store_begin_read(req->db, err) < 0)
        goto out;
    reading = 1;
    if (table_get(req->tables, req->db, req->account, req->region, str_field(body, "TableName"),
                  &table, err) < 0 ||
        resolve_index(req, table, &ex, &p.index, &p.fetch_from_table, err) < 0 ||
        check_key_paths(&ex, table, p.index, err) < 0)
        goto out;
    if (start != NULL) {
        const struct store_key *k;
        if (start_position(table, p.index, start, 0, &pos, err) < 0)
            goto out;
        k = p.index ? &pos.index_key.key : &pos.table_key.key;
        if (k->hash < hash_lo || k->hash >= hash_hi) {
            err_set(err, ERR_VALIDATION, "The provided starting key is invalid: Invalid "
                    "ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. "
                    "TotalSegments: %lld Segment: %lld",
                    (long long)json_integer_value(json_object_get(body, "TotalSegments")),
                    (long long)json_integer_value(json_object_get(body, "Segment")));
            goto out;
        }
    }

    page_start(&p, req, table, &ex, &sb, err);
    if (p.index == NULL) {
        if (store_item_scan(req->db, table->id, hash_lo, hash_hi,
                            start ? &pos.table_key.key : NULL, visit, &p, err) < 0)
            goto out;
    } else {
        struct store_entry after = {0};
        if (start != NULL) {
            after.key = pos.index_key.key;
            after.thk = pos.table_key.key.hk;
            after.thk_len = pos.table_key.key.hk_len;
            after.trk = pos.table_key.key.rk;
            after.trk_len = pos.table_key.key.rk_len;
        }
        if (store_index_scan(req->db, p.index->id, hash_lo, hash_hi, start ? &after : NULL, visit,
                             &p, err) < 0)
            goto out;
    }
    if (p.failed)
        goto out;
    rc = finish_response(req, &p, &sb, consistent, err);
out:
    if (reading)
        store_rollback(req->db);
    strbuf_free(&sb);
    free(p.last_json);
    position_free(&pos);
    table_release(table);
    reqexpr_free(&ex);
    return rc;
}

/* ---- Query ------------------------------------------------------------------------------------- */

/* Byte strings for range bounds. INF is above every valid key: keys are at most 1024 bytes, UTF-8
 * never contains 0xff, and a longer string of 0xff sorts after any shorter one. */
#define INF_LEN (LIMIT_HASH_KEY_BYTES + 8)
static const uint8_t *inf_bytes(void)
{
    static uint8_t inf[INF_LEN];
    if (inf[0] != 0xff)
        memset(inf, 0xff, sizeof inf);
    return inf;
}

struct bound {
    uint8_t *buf;     /* owned storage for a computed bound */
    const uint8_t *p;
    size_t len;
};

/* x || 0x00: the smallest byte string greater than x. */
static int successor(const uint8_t *x, size_t len, struct bound *b)
{
    b->buf = malloc(len + 1);
    if (b->buf == NULL)
        return -1;
    memcpy(b->buf, x, len);
    b->buf[len] = 0;
    b->p = b->buf;
    b->len = len + 1;
    return 0;
}

/* The smallest byte string greater than every string starting with prefix. */
static int prefix_end(const uint8_t *x, size_t len, struct bound *b)
{
    while (len > 0 && x[len - 1] == 0xff)
        len--;
    if (len == 0) {
        b->p = inf_bytes();
        b->len = INF_LEN;
        return 0;
    }
    b->buf = malloc(len);
    if (b->buf == NULL)
        return -1;
    memcpy(b->buf, x, len);
    b->buf[len - 1]++;
    b->p = b->buf;
    b->len = len;
    return 0;
}

static int bytes_cmp(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
    int c = memcmp(a, b, alen < blen ? alen : blen);
    return c != 0 ? c : (alen > blen) - (alen < blen);
}

int op_query(struct request *req, json_t **out, struct err *err)
{
    const json_t *body = req->body;
    const json_t *start = json_object_get(body, "ExclusiveStartKey");
    int consistent = json_is_true(json_object_get(body, "ConsistentRead"));
    int forward = json_object_get(body, "ScanIndexForward") == NULL ||
                  json_is_true(json_object_get(body, "ScanIndexForward"));
    struct expr_request ex = {0};
    struct table *table = NULL;
    struct position pos = {0};
    struct strbuf sb = STRBUF_INIT;
    struct page p = {0};
    struct expr_key_cond kc;
    struct key_bytes hv = {0}, rv[2] = {{0}, {0}};
    struct bound lo = {0}, hi = {0}, slo = {0};
    struct store_range range = {0};
    const struct key_attr *hash_attr, *range_attr;
    int rc = -1, reading = 0;

    (void)out;
    {
        /* an empty KeyConditionExpression is an empty expression, whatever else is sent (nubo-db
         * tier3 query: exact), not a missing one */
        const json_t *kce = json_object_get(body, "KeyConditionExpression");
        if (json_is_string(kce) && json_string_length(kce) == 0 &&
            json_object_get(body, "KeyConditions") == NULL)
            return err_set(err, ERR_VALIDATION,
                           "Invalid KeyConditionExpression: The expression can not be empty;");
    }
    if (expr_check_params(EXPR_OP_QUERY, body, err) < 0 || check_start_key_values(start, err) < 0)
        return -1;
    if (json_object_get(body, "KeyConditions") == NULL &&
        json_object_get(body, "KeyConditionExpression") == NULL)
        return err_set(err, ERR_VALIDATION, "Either the KeyConditions or KeyConditionExpression "
                       "parameter must be specified in the request.");
    if (reqexpr_parse(EXPR_OP_QUERY, body, &ex, err) < 0)
        return -1;
    if (check_select(body, &ex, 1, err) < 0)
        goto out;

    if (store_begin_read(req->db, err) < 0)
        goto out;
    reading = 1;
    if (table_get(req->tables, req->db, req->account, req->region, str_field(body, "TableName"),
                  &table, err) < 0 ||
        resolve_index(req, table, &ex, &p.index, &p.fetch_from_table, err) < 0)
        goto out;
    key_schema_of(table, p.index, &hash_attr, &range_attr);
    {
        struct expr_key_schema schema = {hash_attr->name, hash_attr->type,
                                         range_attr ? range_attr->name : NULL,
                                         range_attr ? range_attr->type : AV_INVALID};
        if (expr_key_condition(ex.kind[EXPR_KEY_CONDITION], &schema, &kc, err) < 0)
            goto out;
    }
    if (check_filter_keys(req, ex.kind[EXPR_FILTER], hash_attr, range_attr, err) < 0 ||
        check_key_paths(&ex, table, p.index, err) < 0)
        goto out;
    if (start != NULL && start_position(table, p.index, start, 1, &pos, err) < 0)
        goto out;

    /* the partition, and the range of sort keys as [lo, hi) */
    if (key_encode_value(hash_attr, kc.hash_value, &hv, err) < 0)
        goto out;
    range.hash = keycodec_hash(hv.bytes, hv.len);
    range.hk = hv.bytes;
    range.hk_len = hv.len;
    lo.p = (const uint8_t *)"";
    lo.len = 0;
    hi.p = inf_bytes();
    hi.len = INF_LEN;
    if (kc.range_op != EXPR_KEY_NONE) {
        if (key_encode_value(range_attr, kc.range_value[0], &rv[0], err) < 0 ||
            (kc.range_op == EXPR_KEY_BETWEEN &&
             key_encode_value(range_attr, kc.range_value[1], &rv[1], err) < 0))
            goto out;
        rc = 0;
        switch (kc.range_op) {
        case EXPR_KEY_EQ:
            lo.p = rv[0].bytes, lo.len = rv[0].len;
            rc = successor(rv[0].bytes, rv[0].len, &hi);
            break;
        case EXPR_KEY_LT:
            hi.p = rv[0].bytes, hi.len = rv[0].len;
            break;
        case EXPR_KEY_LE:
            rc = successor(rv[0].bytes, rv[0].len, &hi);
            break;
        case EXPR_KEY_GT:
            rc = successor(rv[0].bytes, rv[0].len, &lo);
            break;
        case EXPR_KEY_GE:
            lo.p = rv[0].bytes, lo.len = rv[0].len;
            break;
        case EXPR_KEY_BETWEEN:
            lo.p = rv[0].bytes, lo.len = rv[0].len;
            rc = successor(rv[1].bytes, rv[1].len, &hi);
            break;
        case EXPR_KEY_BEGINS_WITH:
            lo.p = rv[0].bytes, lo.len = rv[0].len;
            rc = prefix_end(rv[0].bytes, rv[0].len, &hi);
            break;
        default:
            break;
        }
        if (rc < 0) {
            err_set(err, ERR_INTERNAL, "out of memory");
            goto out;
        }
        rc = -1;
    }
    range.lo[0] = lo.p;
    range.lo_len[0] = lo.len;
    range.hi[0] = hi.p;
    range.hi_len[0] = hi.len;
    range.descending = !forward;

    /* ExclusiveStartKey must lie in the queried partition and satisfy the range condition */
    if (start != NULL) {
        const struct store_key *sk = p.index ? &pos.index_key.key : &pos.table_key.key;
        if (bytes_cmp(sk->hk, sk->hk_len, hv.bytes, hv.len) != 0) {
            err_set(err, ERR_VALIDATION, "The provided starting key is outside query boundaries "
                    "based on provided conditions");
            goto out;
        }
        if (bytes_cmp(sk->rk, sk->rk_len, range.lo[0], range.lo_len[0]) < 0 ||
            bytes_cmp(sk->rk, sk->rk_len, range.hi[0], range.hi_len[0]) >= 0) {
            err_set(err, ERR_VALIDATION,
                    "The provided starting key does not match the range key predicate");
            goto out;
        }
    }

    /* resume after ExclusiveStartKey: the range narrows to what lies beyond it */
    if (start != NULL) {
        const struct store_key *sk = p.index ? &pos.index_key.key : &pos.table_key.key;
        const struct store_key *tk = &pos.table_key.key;
        if (forward) {
            if (p.index == NULL) {
                if (successor(sk->rk, sk->rk_len, &slo) < 0)
                    goto oom;
                if (bytes_cmp(slo.p, slo.len, range.lo[0], range.lo_len[0]) > 0) {
                    range.lo[0] = slo.p;
                    range.lo_len[0] = slo.len;
                }
            } else if (bytes_cmp(sk->rk, sk->rk_len, range.lo[0], range.lo_len[0]) >= 0) {
                if (successor(tk->rk, tk->rk_len, &slo) < 0)
                    goto oom;
                range.lo[0] = sk->rk, range.lo_len[0] = sk->rk_len;
                range.lo[1] = tk->hk, range.lo_len[1] = tk->hk_len;
                range.lo[2] = slo.p, range.lo_len[2] = slo.len;
            }
        } else if (bytes_cmp(sk->rk, sk->rk_len, range.hi[0], range.hi_len[0]) < 0) {
            range.hi[0] = sk->rk, range.hi_len[0] = sk->rk_len;
            if (p.index != NULL) {
                range.hi[1] = tk->hk, range.hi_len[1] = tk->hk_len;
                range.hi[2] = tk->rk, range.hi_len[2] = tk->rk_len;
            }
        }
    }

    page_start(&p, req, table, &ex, &sb, err);
    if (store_query(req->db, table->id, p.index ? p.index->id : 0, &range, visit, &p, err) < 0 ||
        p.failed)
        goto out;
    rc = finish_response(req, &p, &sb, consistent, err);
    goto out;
oom:
    err_set(err, ERR_INTERNAL, "out of memory");
out:
    if (reading)
        store_rollback(req->db);
    strbuf_free(&sb);
    free(p.last_json);
    free(lo.buf);
    free(hi.buf);
    free(slo.buf);
    key_bytes_free(&hv);
    key_bytes_free(&rv[0]);
    key_bytes_free(&rv[1]);
    position_free(&pos);
    table_release(table);
    reqexpr_free(&ex);
    return rc;
}
