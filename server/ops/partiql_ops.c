/* partiql_ops.c — ExecuteStatement, BatchExecuteStatement and ExecuteTransaction. A statement
 * parsed by partiql.c is translated into the request DynamoDB's own API would take for it and run
 * through that operation's handler (same validation, capacity, streams and indexes):
 *   SELECT with an equality on the partition key   -> Query (sort key condition pushed down,
 *                                                     the rest of WHERE as FilterExpression)
 *   SELECT otherwise                               -> Scan with WHERE as FilterExpression
 *   INSERT INTO t VALUE {...}                      -> PutItem if the key is absent, else
 *                                                     DuplicateItemException
 *   UPDATE t SET/REMOVE ... WHERE key [AND cond]   -> UpdateItem on an existing item, cond as
 *                                                     ConditionExpression
 *   DELETE FROM t WHERE key [AND cond]             -> DeleteItem (cond holds, or no item)
 * ExecuteTransaction maps its statements onto TransactGetItems or TransactWriteItems.
 * Developer guide: "PartiQL select/insert/update/delete statements", "Performing transactions
 * with PartiQL", "Running batch operations with PartiQL". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "limits.h"
#include "ops.h"
#include "partiql.h"
#include "strbuf.h"
#include "table.h"
#include "value.h"

#define MAX_TERMS 64

static const char MSG_INCOMPLETE_KEY[] =
    "Where clause does not contain a mandatory equality on all key attributes";
static const char MSG_NO_INDEX[] = "The table does not have the specified index";
static const char MSG_DUPLICATE[] = "Duplicate primary key exists in table";

/* What one statement runs with. */
struct pq_opts {
    const char *rcc;               /* ReturnConsumedCapacity, or NULL */
    const char *rvoccf;            /* ReturnValuesOnConditionCheckFailure, or NULL */
    int consistent;
    const json_t *limit;           /* Limit, or NULL */
    const char *next_token;
    const char *statement;         /* the statement's text (binds NextToken to it) */
};

static void set_str(json_t *o, const char *key, const char *value)
{
    if (value != NULL)
        json_object_set_new(o, key, json_string(value));
}

/* A body with TableName and the placeholders a rendering produced. */
static json_t *body_for(const struct pq_stmt *st, const struct pq_render *r)
{
    json_t *body = json_object();
    set_str(body, "TableName", st->table);
    if (json_object_size(r->names) > 0)
        json_object_set(body, "ExpressionAttributeNames", r->names);
    if (json_object_size(r->values) > 0)
        json_object_set(body, "ExpressionAttributeValues", r->values);
    return body;
}

static void set_text(json_t *body, const char *key, struct strbuf *sb)
{
    if (sb->len > 0 && !sb->failed)
        json_object_set_new(body, key, json_stringn(sb->data, sb->len));
}

/* The value node of `attr = value` (either way round), or NULL. */
static const struct pq_node *key_equality(const struct pq_node *t, const char *attr)
{
    const char *l, *r;
    if (t->kind != PN_CMP || strcmp(t->op, "=") != 0)
        return NULL;
    l = pq_simple_name(t->args[0]);
    r = pq_simple_name(t->args[1]);
    if (l != NULL && strcmp(l, attr) == 0 && t->args[1]->kind == PN_VALUE)
        return t->args[1];
    if (r != NULL && strcmp(r, attr) == 0 && t->args[0]->kind == PN_VALUE)
        return t->args[0];
    return NULL;
}

/* Renders the terms not marked used, joined by AND; in parentheses when wrap is set and they
 * have none of their own. */
static int render_rest(const struct pq_node **terms, const int *used, int n, int wrap,
                       struct pq_render *r, struct strbuf *sb, struct err *err)
{
    int count = 0, last = -1;
    for (int i = 0; i < n; i++)
        if (!used[i]) {
            count++;
            last = i;
        }
    wrap = wrap && count > 0 && !(count == 1 && pq_self_parenthesized(terms[last]));
    strbuf_puts(sb, wrap ? "(" : "");
    for (int i = 0, first = 1; i < n; i++) {
        if (used[i])
            continue;
        if (!first)
            strbuf_puts(sb, " AND ");
        first = 0;
        if (pq_render_node(terms[i], r, sb, err) < 0)
            return -1;
    }
    strbuf_puts(sb, wrap ? ")" : "");
    return 0;
}

static int conjuncts(const struct pq_stmt *st, const struct pq_node **terms, struct err *err)
{
    int n = pq_conjuncts(st->where, terms, MAX_TERMS);
    if (n > MAX_TERMS)
        return err_set(err, ERR_VALIDATION, "Too many conditions in the WHERE clause: %d, the most "
                       "this server takes is %d", n, MAX_TERMS);
    return n;
}

/* An ordering comparison (<, <=, >, >=, BETWEEN) with an operand of a type that has no order. */
static int check_ordering(const struct pq_node *n, struct err *err)
{
    if (n == NULL)
        return 0;
    if ((n->kind == PN_CMP && strcmp(n->op, "=") != 0 && strcmp(n->op, "<>") != 0) ||
        n->kind == PN_BETWEEN) {
        for (int i = 0; i < n->nargs; i++) {
            const json_t *v = n->args[i]->value;
            const char *type;
            if (n->args[i]->kind != PN_VALUE || json_object_size(v) != 1)
                continue;
            type = json_object_iter_key(json_object_iter((json_t *)v));
            if (strcmp(type, "S") != 0 && strcmp(type, "N") != 0 && strcmp(type, "B") != 0)
                return err_set(err, ERR_VALIDATION, "Incorrect operand type for operator or "
                               "function; operator or function: %s, operand type: %s", n->op, type);
        }
    }
    for (int i = 0; i < n->nargs; i++)
        if (check_ordering(n->args[i], err) < 0)
            return -1;
    return 0;
}

/* The table of a statement, or ResourceNotFoundException. */
static int find_table(struct request *req, const struct pq_stmt *st, struct table **out,
                      struct err *err)
{
    return table_get(req->tables, req->db, req->account, req->region, st->table, out, err) < 0
               ? -1 : 0;
}

/* Fills key (an AttributeValue map) from the key equalities of WHERE, marks them used, and
 * returns the number of terms; a missing key attribute is DynamoDB's validation error. */
static int extract_key(const struct table *t, const struct pq_node **terms, int *used, int n,
                       json_t *key, struct err *err)
{
    const struct key_attr *attrs[2] = {&t->hash, &t->range};
    for (int a = 0; a < 2; a++) {
        int found = 0;
        if (attrs[a]->name == NULL)
            continue;
        for (int i = 0; i < n; i++) {
            const struct pq_node *v = key_equality(terms[i], attrs[a]->name);
            if (v == NULL)
                continue;
            if (found)
                return err_set(err, ERR_VALIDATION, "Multiple conditions on same key %s. Only "
                               "single item Update/Insert/Delete are supported", attrs[a]->name);
            found = 1;
            used[i] = 1;
            json_object_set(key, attrs[a]->name, v->value);
        }
        if (!found)
            return err_set(err, ERR_VALIDATION, "%s", MSG_INCOMPLETE_KEY);
    }
    return 0;
}

/* Adds every number of src into dst (recursively), as capacity of one table adds up. */
static void add_capacity(json_t *dst, const json_t *src)
{
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)src, k, v) {
        json_t *have = json_object_get(dst, k);
        if (json_is_number(v))
            json_object_set_new(dst, k, json_real(json_number_value(v) +
                                                  (have != NULL ? json_number_value(have) : 0)));
        else if (json_is_object(v) && json_is_object(have))
            add_capacity(have, v);
        else if (have == NULL)
            json_object_set_new(dst, k, json_deep_copy(v));
    }
}

/* Adds a ConsumedCapacity object of the same table into dst. */
static void merge_capacity_into(json_t *dst, const json_t *cc)
{
    json_t *copy = json_deep_copy(cc);
    json_object_del(copy, "TableName");
    add_capacity(dst, copy);
    json_decref(copy);
}

/* ---- SELECT ------------------------------------------------------------------------------- */

struct name_list {
    const struct table *table;
    const struct table_index *index;
    struct strbuf missing;          /* "a, b" */
    int count;
};

static int index_projects(const struct table *t, const struct table_index *ix, const char *name)
{
    size_t i;
    json_t *v;
    if (ix->projection == PROJECTION_ALL || strcmp(name, t->hash.name) == 0 ||
        (t->range.name != NULL && strcmp(name, t->range.name) == 0) ||
        strcmp(name, ix->hash.name) == 0 ||
        (ix->range.name != NULL && strcmp(name, ix->range.name) == 0))
        return 1;
    if (ix->projection == PROJECTION_INCLUDE)
        json_array_foreach(ix->non_key, i, v)
            if (strcmp(json_string_value(v), name) == 0)
                return 1;
    return 0;
}

static void note_unprojected(void *arg, const char *name)
{
    struct name_list *l = arg;
    if (index_projects(l->table, l->index, name))
        return;
    strbuf_puts(&l->missing, l->count++ ? ", " : "");
    strbuf_puts(&l->missing, name);
}

/* Whether one of the terms makes the read keyed: an equality or IN on the partition key. */
static int keyed_on(const struct pq_node *t, const char *hash)
{
    const char *name;
    if (key_equality(t, hash) != NULL)
        return 1;
    name = t->kind == PN_IN ? pq_simple_name(t->args[0]) : NULL;
    return name != NULL && strcmp(name, hash) == 0;
}

/* The sort-key condition a Query can take (=, <, <=, >, >=, BETWEEN, begins_with on the sort
 * key against values), or 0. */
static int sort_condition(const struct pq_node *t, const char *range)
{
    const char *name;
    if (range == NULL)
        return 0;
    switch (t->kind) {
    case PN_CMP:
        if (strcmp(t->op, "<>") == 0)
            return 0;
        name = pq_simple_name(t->args[0]);
        return name != NULL && strcmp(name, range) == 0 && t->args[1]->kind == PN_VALUE;
    case PN_BETWEEN:
        name = pq_simple_name(t->args[0]);
        return name != NULL && strcmp(name, range) == 0 && t->args[1]->kind == PN_VALUE &&
               t->args[2]->kind == PN_VALUE;
    case PN_CALL:
        name = t->nargs == 2 ? pq_simple_name(t->args[0]) : NULL;
        return strcmp(t->op, "begins_with") == 0 && name != NULL && strcmp(name, range) == 0 &&
               t->args[1]->kind == PN_VALUE;
    default:
        return 0;
    }
}

/* NextToken: where the next page starts — the decomposed read (`part`) and its
 * LastEvaluatedKey, if any — tied to the statement and its target by a hash, so that a token of
 * another statement or index is refused rather than read as a key of this one. */
static uint64_t statement_hash(const struct pq_stmt *st, const char *text)
{
    uint64_t h = 1469598103934665603ull;
    const char *parts[3] = {st->table, st->index != NULL ? st->index : "", text};
    for (int i = 0; i < 3; i++)
        for (const char *c = parts[i]; ; c++) {
            h = (h ^ (unsigned char)*c) * 1099511628211ull;
            if (*c == '\0')
                break;
        }
    return h;
}

static char *encode_next_token(uint64_t hash, int part, json_t *last_key)
{
    char hex[20];
    json_t *doc;
    char *text, *token;
    snprintf(hex, sizeof hex, "%016llx", (unsigned long long)hash);
    doc = json_pack("{sssi}", "Statement", hex, "Part", part);
    if (doc != NULL && last_key != NULL)
        json_object_set(doc, "LastEvaluatedKey", last_key);
    text = doc != NULL ? json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    token = text != NULL ? value_base64_encode((const uint8_t *)text, strlen(text)) : NULL;
    free(text);
    json_decref(doc);
    return token;
}

/* Decodes a token of this statement: *part and *start (NULL when the part starts afresh). */
static int decode_next_token(const char *token, uint64_t hash, int parts, int *part,
                             json_t **start, struct err *err)
{
    uint8_t *bytes = NULL;
    size_t len = 0;
    json_t *doc = NULL, *key;
    char hex[20];
    int rc = -1;

    *start = NULL;
    if (value_base64_decode(token, strlen(token), &bytes, &len) == 0)
        doc = json_loadb((const char *)bytes, len, 0, NULL);
    free(bytes);
    key = json_object_get(doc, "LastEvaluatedKey");
    if (!json_is_integer(json_object_get(doc, "Part")) ||
        !json_is_string(json_object_get(doc, "Statement")) || (key != NULL && !json_is_object(key))) {
        err_set(err, ERR_VALIDATION, "Invalid NextToken");
        goto done;
    }
    snprintf(hex, sizeof hex, "%016llx", (unsigned long long)hash);
    *part = (int)json_integer_value(json_object_get(doc, "Part"));
    if (strcmp(json_string_value(json_object_get(doc, "Statement")), hex) != 0 || *part < 0 ||
        *part >= parts) {
        err_set(err, ERR_VALIDATION, "NextToken does not match request");
        goto done;
    }
    *start = json_incref(key);
    rc = 0;
done:
    json_decref(doc);
    return rc;
}

/* SELECT a.b returns the value under its last name ("b"); plain names are kept as they are. */
static json_t *reshape_item(const struct pq_stmt *st, json_t *item)
{
    json_t *out = json_object();
    for (int i = 0; i < st->nprojection; i++) {
        const struct pq_node *p = st->projection[i];
        const char *label = NULL;
        json_t *v = item;
        for (int k = 0; k < p->npath && v != NULL; k++) {
            if (p->path[k].name != NULL) {
                json_t *m = k == 0 ? v : json_object_get(v, "M");
                v = json_object_get(m, p->path[k].name);
                label = p->path[k].name;
            } else {
                v = json_array_get(json_object_get(v, "L"), (size_t)p->path[k].index);
            }
        }
        if (v != NULL && label != NULL)
            json_object_set(out, label, v);
    }
    return out;
}

static int needs_reshape(const struct pq_stmt *st)
{
    for (int i = 0; i < st->nprojection; i++)
        if (pq_simple_name(st->projection[i]) == NULL)
            return 1;
    return 0;
}

/* An IN on the partition key whose members are all values: read as one Query per member. */
static int in_on_key(const struct pq_node *t, const char *hash)
{
    const char *name = t->kind == PN_IN ? pq_simple_name(t->args[0]) : NULL;
    if (name == NULL || strcmp(name, hash) != 0)
        return 0;
    for (int i = 1; i < t->nargs; i++)
        if (t->args[i]->kind != PN_VALUE)
            return 0;
    return 1;
}

/* Builds the Query or Scan of a SELECT (*is_query tells which). A SELECT whose WHERE has
 * `partition key IN [...]` is decomposed into one Query per member (*parts of them, as DynamoDB
 * does); `part` picks which one is built. Limit and the starting key are the caller's. */
static int select_request(struct request *req, const struct pq_stmt *st, const struct table *t,
                          const struct pq_opts *o, int part, json_t **body_out, int *is_query,
                          int *parts, struct err *err)
{
    const struct pq_node *terms[MAX_TERMS];
    int used[MAX_TERMS] = {0}, n, hash_term = -1, sort_term = -1, keyed = 0, in_term = -1;
    const struct table_index *ix = NULL;
    const struct key_attr *hash = &t->hash, *range = &t->range;
    struct pq_render r = {json_object(), json_object(), 0, 0};
    struct strbuf kc = STRBUF_INIT, filter = STRBUF_INIT, proj = STRBUF_INIT;
    json_t *body = NULL;
    int rc = -1;

    *body_out = NULL;
    if (st->index != NULL) {
        ix = table_index_find(t, st->index);
        if (ix == NULL) {
            err_set(err, ERR_VALIDATION, "%s", MSG_NO_INDEX);
            goto done;
        }
        if (o->consistent && ix->global) {
            err_set(err, ERR_VALIDATION,
                    "Strongly consistent read is not supported on Global Secondary Indexes");
            goto done;
        }
        hash = &ix->hash;
        range = &ix->range;
    }
    if (check_ordering(st->where, err) < 0 || (n = conjuncts(st, terms, err)) < 0)
        goto done;
    for (int i = 0; i < n; i++) {
        if (hash_term < 0 && key_equality(terms[i], hash->name) != NULL)
            hash_term = i;
        else if (in_term < 0 && in_on_key(terms[i], hash->name))
            in_term = i;
        else if (sort_term < 0 && sort_condition(terms[i], range->name))
            sort_term = i;
        if (keyed_on(terms[i], hash->name))
            keyed = 1;
    }
    if (hash_term >= 0)
        in_term = -1;
    *parts = in_term >= 0 ? terms[in_term]->nargs - 1 : 1;
    if (*parts > LIMIT_PARTIQL_DECOMPOSED_READS) {
        err_set(err, ERR_VALIDATION, "Too many decomposed read operations for a given query.");
        goto done;
    }
    if (hash_term < 0 && in_term < 0)
        sort_term = -1;
    if (st->order_by != NULL) {
        if (st->where == NULL) {
            err_set(err, ERR_VALIDATION,
                    "Must have WHERE clause in the statement when using ORDER BY clause.");
            goto done;
        }
        if (hash_term < 0 && in_term < 0) {
            err_set(err, ERR_VALIDATION, "Must have at least one non-optional hash key condition "
                    "in WHERE clause when using ORDER BY clause.");
            goto done;
        }
        if (strcmp(st->order_by, hash->name) != 0 &&
            (range->name == NULL || strcmp(st->order_by, range->name) != 0)) {
            err_set(err, ERR_VALIDATION, "Variable reference %s in ORDER BY clause must be part of "
                    "the primary key", st->order_by);
            goto done;
        }
    }
    if (ix != NULL && ix->projection != PROJECTION_ALL) {
        struct name_list l = {t, ix, STRBUF_INIT, 0};
        for (int i = 0; i < st->nprojection && ix->global; i++)
            pq_visit_names(st->projection[i], note_unprojected, &l);
        if (l.count > 0) {
            err_set(err, ERR_VALIDATION, "One or more parameter values were invalid: Global "
                    "secondary index %s does not project [%s]", ix->name, l.missing.data);
            strbuf_free(&l.missing);
            goto done;
        }
        for (int i = 0; i < n && keyed; i++)
            if (i != hash_term && i != sort_term)
                pq_visit_names(terms[i], note_unprojected, &l);
        if (l.count > 0) {
            err_set(err, ERR_VALIDATION, "One or more parameter values were invalid: Secondary "
                    "index %s does not project one or more filter attributes: [%s]", ix->name,
                    l.missing.data);
            strbuf_free(&l.missing);
            goto done;
        }
    }
    *is_query = hash_term >= 0 || in_term >= 0;
    if (*is_query) {
        if (hash_term >= 0) {
            if (pq_render_node(terms[hash_term], &r, &kc, err) < 0)
                goto done;
            used[hash_term] = 1;
        } else {
            if (pq_render_node(terms[in_term]->args[0], &r, &kc, err) < 0)
                goto done;
            strbuf_puts(&kc, " = ");
            if (pq_render_node(terms[in_term]->args[1 + part], &r, &kc, err) < 0)
                goto done;
            used[in_term] = 1;
        }
        if (sort_term >= 0) {
            strbuf_puts(&kc, " AND ");
            if (pq_render_node(terms[sort_term], &r, &kc, err) < 0)
                goto done;
            used[sort_term] = 1;
        }
        if (render_rest(terms, used, n, 0, &r, &filter, err) < 0)
            goto done;
    } else if (st->where != NULL && pq_render_node(st->where, &r, &filter, err) < 0) {
        goto done;
    }
    for (int i = 0; i < st->nprojection; i++) {
        strbuf_puts(&proj, i ? ", " : "");
        if (pq_render_node(st->projection[i], &r, &proj, err) < 0)
            goto done;
    }
    body = body_for(st, &r);
    set_str(body, "IndexName", st->index);
    set_text(body, "KeyConditionExpression", &kc);
    set_text(body, "FilterExpression", &filter);
    set_text(body, "ProjectionExpression", &proj);
    if (o->consistent)
        json_object_set_new(body, "ConsistentRead", json_true());
    set_str(body, "ReturnConsumedCapacity", o->rcc);
    if (st->order_desc && *is_query)
        json_object_set_new(body, "ScanIndexForward", json_false());
    *body_out = body;
    body = NULL;
    rc = 0;
done:
    json_decref(body);
    json_decref(r.names);
    json_decref(r.values);
    strbuf_free(&kc);
    strbuf_free(&filter);
    strbuf_free(&proj);
    return rc;
}

static int run_select(struct request *req, const struct pq_stmt *st, const struct pq_opts *o,
                      json_t **out, struct err *err)
{
    struct table *t = NULL;
    json_t *body = NULL, *resp = NULL, *items = json_array(), *capacity = NULL, *start = NULL;
    int is_query = 0, parts = 1, part = 0, rc = -1;
    long long remaining = o->limit != NULL ? json_integer_value(o->limit) : -1;
    uint64_t hash = statement_hash(st, o->statement);
    char *token = NULL;
    json_t *next_key = NULL;
    int next_part = -1;

    if (find_table(req, st, &t, err) < 0 ||
        select_request(req, st, t, o, 0, &body, &is_query, &parts, err) < 0)
        goto done;
    if (o->next_token != NULL &&
        decode_next_token(o->next_token, hash, parts, &part, &start, err) < 0)
        goto done;
    for (; part < parts; part++) {
        json_t *page, *last;
        size_t i;
        if (part > 0) {                     /* the body built above is part 0's */
            json_decref(body);
            body = NULL;
            if (select_request(req, st, t, o, part, &body, &is_query, &parts, err) < 0)
                goto done;
        }
        if (start != NULL) {
            json_object_set_new(body, "ExclusiveStartKey", start);
            start = NULL;
        }
        if (remaining >= 0)
            json_object_set_new(body, "Limit", json_integer(remaining));
        json_decref(resp);
        if (ops_call(req, is_query ? "Query" : "Scan", is_query ? op_query : op_scan, body, &resp,
                     err) < 0)
            goto done;
        json_array_foreach(json_object_get(resp, "Items"), i, page)
            json_array_append_new(items, needs_reshape(st) ? reshape_item(st, page)
                                                           : json_incref(page));
        if (json_object_get(resp, "ConsumedCapacity") != NULL) {
            if (capacity == NULL)
                capacity = json_deep_copy(json_object_get(resp, "ConsumedCapacity"));
            else
                merge_capacity_into(capacity, json_object_get(resp, "ConsumedCapacity"));
        }
        if (remaining >= 0)
            remaining -= json_integer_value(json_object_get(resp, "ScannedCount"));
        last = json_object_get(resp, "LastEvaluatedKey");
        if (last != NULL) {                 /* Limit or the 1 MB page ended this part */
            next_key = json_incref(last);
            next_part = part;
            break;
        }
        if (remaining == 0 && part + 1 < parts) {
            next_part = part + 1;
            break;
        }
    }
    *out = json_object();
    json_object_set(*out, "Items", items);
    if (next_part >= 0) {
        token = encode_next_token(hash, next_part, next_key);
        if (token == NULL) {
            json_decref(*out);
            *out = NULL;
            err_set(err, ERR_INTERNAL, "out of memory");
            goto done;
        }
        json_object_set_new(*out, "NextToken", json_string(token));
        if (next_key != NULL)
            json_object_set(*out, "LastEvaluatedKey", next_key);
    }
    if (capacity != NULL)
        json_object_set(*out, "ConsumedCapacity", capacity);
    rc = 0;
done:
    free(token);
    json_decref(next_key);
    json_decref(start);
    json_decref(capacity);
    json_decref(items);
    json_decref(body);
    json_decref(resp);
    table_release(t);
    return rc;
}

/* ---- writes ------------------------------------------------------------------------------- */

static const char *return_values(enum pq_returning r)
{
    switch (r) {
    case PQ_RET_ALL_OLD: return "ALL_OLD";
    case PQ_RET_MODIFIED_OLD: return "UPDATED_OLD";
    case PQ_RET_ALL_NEW: return "ALL_NEW";
    case PQ_RET_MODIFIED_NEW: return "UPDATED_NEW";
    default: return NULL;
    }
}

/* The operation a write statement becomes, with its body (TransactWriteItems takes the body as
 * the member of its action). */
struct write_plan {
    const char *op;                /* PutItem, UpdateItem or DeleteItem */
    op_handler handler;
    const char *action;            /* Put, Update or Delete */
    json_t *body;
};

static int plan_insert(struct request *req, const struct pq_stmt *st, struct write_plan *plan,
                       struct err *err)
{
    struct table *t = NULL;
    if (find_table(req, st, &t, err) < 0)
        return -1;
    plan->op = "PutItem";
    plan->handler = op_put_item;
    plan->action = "Put";
    plan->body = json_pack("{sssOsss{ss}}", "TableName", st->table, "Item", st->item,
                           "ConditionExpression", "attribute_not_exists(#k)",
                           "ExpressionAttributeNames", "#k", t->hash.name);
    table_release(t);
    return plan->body != NULL ? 0 : err_set(err, ERR_INTERNAL, "out of memory");
}

/* Whether two path nodes name the same path. */
static int same_path(const struct pq_node *a, const struct pq_node *b)
{
    if (a->kind != PN_PATH || b->kind != PN_PATH || a->npath != b->npath)
        return 0;
    for (int i = 0; i < a->npath; i++) {
        const struct pq_path_elem *x = &a->path[i], *y = &b->path[i];
        if ((x->name == NULL) != (y->name == NULL) ||
            (x->name != NULL ? strcmp(x->name, y->name) != 0 : x->index != y->index))
            return 0;
    }
    return 1;
}

/* SET p = set_add(p, <<...>>) / set_delete(p, <<...>>): the set function of an assignment,
 * "ADD" or "DELETE", or NULL for a plain assignment; a misuse is DynamoDB's validation error. */
static const char *set_function(const struct pq_action *a, struct err *err)
{
    const struct pq_node *v = a->value, *arg;
    const char *which, *type;
    if (v == NULL || v->kind != PN_CALL ||
        (strcmp(v->op, "set_add") != 0 && strcmp(v->op, "set_delete") != 0))
        return NULL;
    which = strcmp(v->op, "set_add") == 0 ? "ADD" : "DELETE";
    if (v->nargs != 2) {
        err_set(err, ERR_VALIDATION, "SET_%s must have exactly two arguments", which);
        return "";
    }
    if (!same_path(v->args[0], a->path)) {
        err_set(err, ERR_VALIDATION, "The first argument to SET_%s must equal the assignment value",
                which);
        return "";
    }
    arg = v->args[1];
    type = arg->kind == PN_VALUE && json_object_size(arg->value) == 1
               ? json_object_iter_key(json_object_iter(arg->value)) : "";
    if (strcmp(type, "SS") != 0 && strcmp(type, "NS") != 0 && strcmp(type, "BS") != 0) {
        err_set(err, ERR_VALIDATION, "The second argument to SET_%s must be a value with type SET",
                which);
        return "";
    }
    return which;
}

/* The UpdateExpression of an UPDATE: SET and REMOVE clauses, set_add/set_delete as ADD/DELETE. */
static int update_expression(const struct pq_stmt *st, struct pq_render *r, struct strbuf *sb,
                             struct err *err)
{
    static const char *const clauses[] = {"SET", "REMOVE", "ADD", "DELETE"};
    for (int c = 0; c < 4; c++) {
        int first = 1;
        for (int i = 0; i < st->nactions; i++) {
            const struct pq_action *a = &st->actions[i];
            const char *fn = set_function(a, err), *clause;
            if (err_isset(err))
                return -1;
            clause = a->value == NULL ? "REMOVE" : fn != NULL ? fn : "SET";
            if (strcmp(clause, clauses[c]) != 0)
                continue;
            strbuf_puts(sb, first ? (sb->len ? " " : "") : ", ");
            if (first) {
                strbuf_puts(sb, clause);
                strbuf_puts(sb, " ");
            }
            first = 0;
            if (pq_render_node(a->path, r, sb, err) < 0)
                return -1;
            if (fn != NULL) {
                strbuf_puts(sb, " ");
                if (pq_render_node(a->value->args[1], r, sb, err) < 0)
                    return -1;
            } else if (a->value != NULL) {
                strbuf_puts(sb, " = ");
                if (pq_render_node(a->value, r, sb, err) < 0)
                    return -1;
            }
        }
    }
    return 0;
}

/* UPDATE and DELETE: the key from WHERE, the rest as the condition. */
static int plan_keyed(struct request *req, const struct pq_stmt *st, struct write_plan *plan,
                      struct err *err)
{
    const struct pq_node *terms[MAX_TERMS];
    int used[MAX_TERMS] = {0}, n, rc = -1, has_rest = 0;
    struct table *t = NULL;
    struct pq_render r = {json_object(), json_object(), 0, 0};
    struct strbuf cond = STRBUF_INIT, rest = STRBUF_INIT, update = STRBUF_INIT;
    json_t *key = json_object();
    char hash_ph[32];

    if (st->kind == PQ_DELETE && st->returning != PQ_RET_NONE && st->returning != PQ_RET_ALL_OLD) {
        err_set(err, ERR_VALIDATION, "Invalid returning clause: RETURNING %s. Only RETURNING ALL "
                "OLD * is allowed in DELETE statements.", pq_returning_text(st->returning));
        goto done;
    }
    if (st->kind == PQ_EXISTS && st->index != NULL) {
        err_set(err, ERR_VALIDATION, "Operations on indices are not supported in transactions");
        goto done;
    }
    if (find_table(req, st, &t, err) < 0 || check_ordering(st->where, err) < 0 ||
        (n = conjuncts(st, terms, err)) < 0)
        goto done;
    if (extract_key(t, terms, used, n, key, err) < 0) {
        if (st->kind == PQ_EXISTS) {
            err_clear(err);
            err_set(err, ERR_VALIDATION,
                    "EXISTS() must contain a single item read with additional condition");
        }
        goto done;
    }
    if (render_rest(terms, used, n, 1, &r, &rest, err) < 0)
        goto done;
    for (int i = 0; i < n; i++)
        has_rest |= !used[i];
    snprintf(hash_ph, sizeof hash_ph, "#k%d", 0);
    json_object_set_new(r.names, hash_ph, json_string(t->hash.name));
    if (st->kind == PQ_UPDATE || st->kind == PQ_EXISTS) {
        /* UPDATE changes an existing item only, EXISTS checks one; the other conditions must
         * hold on it */
        strbuf_puts(&cond, "attribute_exists(#k0)");
        if (has_rest) {
            strbuf_puts(&cond, " AND ");
            strbuf_append(&cond, rest.data, rest.len);
        }
        if (st->kind == PQ_EXISTS) {
            plan->action = "ConditionCheck";        /* runs only inside a transaction */
        } else {
            if (update_expression(st, &r, &update, err) < 0)
                goto done;
            plan->op = "UpdateItem";
            plan->handler = op_update_item;
            plan->action = "Update";
        }
    } else {
        /* DELETE of an absent item is a no-op; on a present one the conditions must hold */
        if (has_rest) {
            strbuf_puts(&cond, "attribute_not_exists(#k0) OR ");
            strbuf_append(&cond, rest.data, rest.len);
        } else {
            json_object_del(r.names, hash_ph);
        }
        plan->op = "DeleteItem";
        plan->handler = op_delete_item;
        plan->action = "Delete";
    }
    plan->body = body_for(st, &r);
    json_object_set(plan->body, "Key", key);
    set_text(plan->body, "ConditionExpression", &cond);
    set_text(plan->body, "UpdateExpression", &update);
    rc = 0;
done:
    json_decref(key);
    json_decref(r.names);
    json_decref(r.values);
    strbuf_free(&cond);
    strbuf_free(&rest);
    strbuf_free(&update);
    table_release(t);
    return rc;
}

static int plan_write(struct request *req, const struct pq_stmt *st, struct write_plan *plan,
                      struct err *err)
{
    memset(plan, 0, sizeof *plan);
    return st->kind == PQ_INSERT ? plan_insert(req, st, plan, err) : plan_keyed(req, st, plan, err);
}

/* Runs a write statement; *out gets Items (the RETURNING attributes, if any) and capacity. */
static int run_write(struct request *req, const struct pq_stmt *st, const struct pq_opts *o,
                     json_t **out, struct err *err)
{
    struct write_plan plan;
    json_t *resp = NULL, *attrs;
    int rc;

    if (plan_write(req, st, &plan, err) < 0)
        return -1;
    set_str(plan.body, "ReturnValues", return_values(st->returning));
    set_str(plan.body, "ReturnConsumedCapacity", o->rcc);
    set_str(plan.body, "ReturnValuesOnConditionCheckFailure", o->rvoccf);
    rc = ops_call(req, plan.op, plan.handler, plan.body, &resp, err);
    json_decref(plan.body);
    if (rc < 0) {
        if (st->kind == PQ_INSERT && err->code == ERR_CONDITIONAL_CHECK) {
            err_clear(err);
            err_set(err, ERR_DUPLICATE_ITEM, "%s", MSG_DUPLICATE);
        }
        return -1;
    }
    *out = json_object();
    attrs = json_object_get(resp, "Attributes");
    json_object_set_new(*out, "Items", json_array());
    if (json_object_size(attrs) > 0)
        json_array_append(json_object_get(*out, "Items"), attrs);
    if (json_object_get(resp, "ConsumedCapacity") != NULL)
        json_object_set(*out, "ConsumedCapacity", json_object_get(resp, "ConsumedCapacity"));
    json_decref(resp);
    return 0;
}

static int run_statement(struct request *req, const struct pq_stmt *st, const struct pq_opts *o,
                         json_t **out, struct err *err)
{
    *out = NULL;
    if (st->kind == PQ_EXISTS)
        return err_set(err, ERR_VALIDATION,
                       "EXISTS can only be used in ExecuteTransaction write requests.");
    return st->kind == PQ_SELECT ? run_select(req, st, o, out, err)
                                 : run_write(req, st, o, out, err);
}

/* ---- ExecuteStatement --------------------------------------------------------------------- */

static int statement_opts(const json_t *body, struct pq_opts *o)
{
    memset(o, 0, sizeof *o);
    o->rcc = str_field(body, "ReturnConsumedCapacity");
    o->rvoccf = str_field(body, "ReturnValuesOnConditionCheckFailure");
    o->consistent = json_is_true(json_object_get(body, "ConsistentRead"));
    o->limit = json_object_get(body, "Limit");
    o->next_token = str_field(body, "NextToken");
    o->statement = str_field(body, "Statement");
    return 0;
}

int op_execute_statement(struct request *req, json_t **out, struct err *err)
{
    struct pq_stmt *st = NULL;
    struct pq_opts o;
    int rc;

    statement_opts(req->body, &o);
    if (pq_parse(str_field(req->body, "Statement"), json_object_get(req->body, "Parameters"), &st,
                 err) < 0)
        return -1;
    rc = run_statement(req, st, &o, out, err);
    pq_free(st);
    return rc;
}

/* ---- BatchExecuteStatement ---------------------------------------------------------------- */

/* BatchStatementError's Code for an error of ours. */
static const char *batch_error_code(enum err_code code)
{
    switch (code) {
    case ERR_CONDITIONAL_CHECK: return "ConditionalCheckFailed";
    case ERR_DUPLICATE_ITEM: return "DuplicateItem";
    case ERR_VALIDATION: return "ValidationError";
    case ERR_RESOURCE_NOT_FOUND: return "ResourceNotFound";
    case ERR_TRANSACTION_CONFLICT: return "TransactionConflict";
    case ERR_THROUGHPUT_EXCEEDED: return "ProvisionedThroughputExceeded";
    case ERR_ITEM_COLLECTION_SIZE: return "ItemCollectionSizeLimitExceeded";
    case ERR_LIMIT_EXCEEDED: return "RequestLimitExceeded";
    case ERR_ACCESS_DENIED: return "AccessDenied";
    default: return "InternalServerError";
    }
}

/* Adds a ConsumedCapacity object into the per-table list of a batch. */
static void merge_capacity(json_t *list, const json_t *cc)
{
    size_t i;
    json_t *e;
    const char *table = str_field(cc, "TableName");
    if (cc == NULL || table == NULL)
        return;
    json_array_foreach(list, i, e)
        if (strcmp(str_field(e, "TableName"), table) == 0) {
            merge_capacity_into(e, cc);
            return;
        }
    json_array_append_new(list, json_deep_copy(cc));
}

/* A batch or transaction SELECT reads one item: WHERE names the whole table key. */
static int check_single_item_select(struct request *req, const struct pq_stmt *st,
                                    const char *surface, int filters_ok, struct err *err)
{
    const struct pq_node *terms[MAX_TERMS];
    int used[MAX_TERMS] = {0}, n, rc = -1;
    struct table *t = NULL;
    json_t *key = json_object();
    struct err key_err = ERR_INIT;

    if (find_table(req, st, &t, err) < 0 || (n = conjuncts(st, terms, err)) < 0)
        goto done;
    rc = st->index == NULL && extract_key(t, terms, used, n, key, &key_err) == 0 ? 0 : -1;
    for (int i = 0; i < n && !filters_ok && rc == 0; i++)
        rc = used[i] ? 0 : -1;            /* a transaction's SELECT names the key and no more */
    if (rc < 0)
        err_set(err, ERR_VALIDATION, "Select statements within %s must specify the primary key in "
                "the where clause.", surface);
done:
    err_clear(&key_err);
    json_decref(key);
    table_release(t);
    return rc;
}

/* A batch member: its statement parsed (st) or its parse error (parse_err, taken over). */
static json_t *batch_member(struct request *req, const json_t *member, struct pq_stmt *st,
                            struct err *parse_err, json_t *capacity, const char *rcc)
{
    struct pq_opts o;
    struct err err = ERR_INIT;
    json_t *res = NULL, *entry = json_object();
    int executed = 0;

    statement_opts(member, &o);
    o.rcc = rcc;
    o.limit = NULL;
    o.next_token = NULL;
    if (st == NULL) {
        err = *parse_err;
        *parse_err = (struct err)ERR_INIT;
        goto fail;
    }
    if (st->kind == PQ_SELECT &&
        (check_single_item_select(req, st, "BatchExecuteStatement", 1, &err) < 0 ||
         check_ordering(st->where, &err) < 0))
        goto fail;
    executed = 1;
    if (run_statement(req, st, &o, &res, &err) < 0)
        goto fail;
    set_str(entry, "TableName", st->table);
    if (json_array_size(json_object_get(res, "Items")) > 0)
        json_object_set(entry, "Item", json_array_get(json_object_get(res, "Items"), 0));
    merge_capacity(capacity, json_object_get(res, "ConsumedCapacity"));
    json_decref(res);
    return entry;
fail:
    {
        json_t *e = json_pack("{ss}", "Code", batch_error_code(err.code));
        set_str(e, "Message", err.message);
        if (err.extra != NULL && json_object_get(err.extra, "Item") != NULL)
            json_object_set(e, "Item", json_object_get(err.extra, "Item"));
        if (executed && err.code != ERR_VALIDATION && err.code != ERR_RESOURCE_NOT_FOUND)
            set_str(entry, "TableName", st->table);
        json_object_set_new(entry, "Error", e);
    }
    err_clear(&err);
    return entry;
}

int op_batch_execute_statement(struct request *req, json_t **out, struct err *err)
{
    const json_t *statements = json_object_get(req->body, "Statements");
    const char *rcc = str_field(req->body, "ReturnConsumedCapacity");
    size_t count = json_array_size(statements), i;
    struct pq_stmt **stmts = calloc(count + 1, sizeof *stmts);
    struct err *errs = calloc(count + 1, sizeof *errs);
    json_t *responses = NULL, *capacity = NULL, *member;
    int reads = 0, writes = 0, rc = -1;

    if (stmts == NULL || errs == NULL) {
        err_set(err, ERR_INTERNAL, "out of memory");
        goto done;
    }
    /* parse every member first: a batch is all reads or all writes (members that do not parse
     * count as neither, and answer their own error) */
    json_array_foreach(statements, i, member) {
        errs[i] = (struct err)ERR_INIT;
        if (pq_parse(str_field(member, "Statement"), json_object_get(member, "Parameters"),
                     &stmts[i], &errs[i]) == 0) {
            reads += stmts[i]->kind == PQ_SELECT;
            writes += stmts[i]->kind != PQ_SELECT;
        }
    }
    if (reads > 0 && writes > 0) {
        err_set(err, ERR_VALIDATION, "Read and write requests together in the same batch is not "
                "supported.");
        goto done;
    }
    responses = json_array();
    capacity = json_array();
    json_array_foreach(statements, i, member)
        json_array_append_new(responses, batch_member(req, member, stmts[i], &errs[i], capacity,
                                                      rcc));
    *out = json_pack("{sO}", "Responses", responses);
    if (rcc != NULL && strcmp(rcc, "NONE") != 0)
        json_object_set(*out, "ConsumedCapacity", capacity);
    rc = *out != NULL ? 0 : err_set(err, ERR_INTERNAL, "out of memory");
done:
    for (i = 0; i < count && stmts != NULL && errs != NULL; i++) {
        pq_free(stmts[i]);
        err_clear(&errs[i]);
    }
    free(stmts);
    free(errs);
    json_decref(responses);
    json_decref(capacity);
    return rc;
}

/* ---- ExecuteTransaction ------------------------------------------------------------------- */

/* A validation error of statement i, in ExecuteTransaction's words. */
static int member_error(struct err *err, size_t i)
{
    char *message;
    if (err->code != ERR_VALIDATION)
        return -1;
    message = err->message;
    err->message = NULL;
    err_clear(err);
    err_set(err, ERR_VALIDATION, "Validation failed in TransactStatements[%zu]: %s", i,
            message != NULL ? message : "");
    free(message);
    return -1;
}

/* A Get of TransactGetItems for a SELECT naming the whole key. */
static json_t *transact_get(struct request *req, const struct pq_stmt *st, struct err *err)
{
    const struct pq_node *terms[MAX_TERMS];
    int used[MAX_TERMS] = {0}, n;
    struct table *t = NULL;
    struct pq_render r = {json_object(), json_object(), 0, 0};
    struct strbuf proj = STRBUF_INIT;
    json_t *key = json_object(), *get = NULL;

    if (find_table(req, st, &t, err) < 0 || (n = conjuncts(st, terms, err)) < 0 ||
        extract_key(t, terms, used, n, key, err) < 0)
        goto done;
    for (int i = 0; i < st->nprojection; i++) {
        strbuf_puts(&proj, i ? ", " : "");
        if (pq_render_node(st->projection[i], &r, &proj, err) < 0)
            goto done;
    }
    json_object_clear(r.values);
    get = body_for(st, &r);
    json_object_set(get, "Key", key);
    set_text(get, "ProjectionExpression", &proj);
done:
    table_release(t);
    json_decref(key);
    json_decref(r.names);
    json_decref(r.values);
    strbuf_free(&proj);
    return get;
}

/* TransactionCanceledException of a write transaction: an INSERT whose key exists is
 * DuplicateItem. */
static void rename_duplicates(struct pq_stmt **stmts, size_t count, struct err *err)
{
    json_t *reasons = err->extra != NULL ? json_object_get(err->extra, "CancellationReasons")
                                         : NULL;
    struct strbuf codes = STRBUF_INIT;
    json_t *r;
    size_t i;
    char *text;

    if (!json_is_array(reasons))
        return;
    json_array_foreach(reasons, i, r) {
        const char *code = str_field(r, "Code");
        if (i < count && stmts[i]->kind == PQ_INSERT && code != NULL &&
            strcmp(code, "ConditionalCheckFailed") == 0) {
            json_object_set_new(r, "Code", json_string("DuplicateItem"));
            json_object_set_new(r, "Message", json_string(MSG_DUPLICATE));
        }
        strbuf_puts(&codes, i ? ", " : "");
        strbuf_puts(&codes, str_field(r, "Code") ? str_field(r, "Code") : "None");
    }
    text = strbuf_finish(&codes);
    if (text != NULL) {
        free(err->message);
        if (asprintf(&err->message, "Transaction cancelled, please refer cancellation reasons "
                     "for specific reasons [%s]", text) < 0)
            err->message = NULL;
    }
    free(text);
}

int op_execute_transaction(struct request *req, json_t **out, struct err *err)
{
    const json_t *statements = json_object_get(req->body, "TransactStatements");
    size_t count = json_array_size(statements), i, reads = 0;
    struct pq_stmt **stmts = calloc(count, sizeof *stmts);
    json_t *items = json_array(), *body = json_object(), *resp = NULL, *member;
    int rc = -1;

    if (stmts == NULL || items == NULL || body == NULL) {
        err_set(err, ERR_INTERNAL, "out of memory");
        goto done;
    }
    json_array_foreach(statements, i, member) {
        if (pq_parse(str_field(member, "Statement"), json_object_get(member, "Parameters"),
                     &stmts[i], err) < 0) {
            member_error(err, i);
            goto done;
        }
        if (stmts[i]->returning != PQ_RET_NONE) {
            err_set(err, ERR_VALIDATION, "Validation failed in TransactStatements[%zu]: RETURNING "
                    "clause is not supported in ExecuteTransaction.", i);
            goto done;
        }
        if (stmts[i]->kind == PQ_SELECT && stmts[i]->index != NULL) {
            err_set(err, ERR_VALIDATION, "Validation failed in TransactStatements[%zu]: Reads on "
                    "indices are not supported within transactions.", i);
            goto done;
        }
        reads += stmts[i]->kind == PQ_SELECT;
    }
    if (reads != 0 && reads != count) {
        err_set(err, ERR_VALIDATION, "ExecuteTransaction API does not support both read and write "
                "operations in the same request.");
        goto done;
    }
    for (i = 0; i < count; i++) {
        json_t *action;
        if (reads) {
            json_t *get;
            if (check_single_item_select(req, stmts[i], "ExecuteTransaction", 0, err) < 0 ||
                (get = transact_get(req, stmts[i], err)) == NULL) {
                member_error(err, i);
                goto done;
            }
            action = json_pack("{so}", "Get", get);
        } else {
            struct write_plan plan;
            if (plan_write(req, stmts[i], &plan, err) < 0) {
                member_error(err, i);
                goto done;
            }
            set_str(plan.body, "ReturnValuesOnConditionCheckFailure",
                    str_field(json_array_get(statements, i),
                              "ReturnValuesOnConditionCheckFailure"));
            action = json_pack("{so}", plan.action, plan.body);
        }
        json_array_append_new(items, action);
    }
    json_object_set(body, "TransactItems", items);
    set_str(body, "ReturnConsumedCapacity", str_field(req->body, "ReturnConsumedCapacity"));
    if (reads) {
        if (ops_call(req, "TransactGetItems", op_transact_get_items, body, &resp, err) < 0)
            goto done;
        *out = json_object();
        json_object_set(*out, "Responses", json_object_get(resp, "Responses"));
    } else {
        set_str(body, "ClientRequestToken", str_field(req->body, "ClientRequestToken"));
        if (ops_call(req, "TransactWriteItems", op_transact_write_items, body, &resp, err) < 0) {
            if (err->code == ERR_TRANSACTION_CANCELED)
                rename_duplicates(stmts, count, err);
            goto done;
        }
        *out = json_object();
    }
    if (json_object_get(resp, "ConsumedCapacity") != NULL)
        json_object_set(*out, "ConsumedCapacity", json_object_get(resp, "ConsumedCapacity"));
    rc = 0;
done:
    for (i = 0; stmts != NULL && i < count; i++)
        pq_free(stmts[i]);
    free(stmts);
    json_decref(items);
    json_decref(body);
    json_decref(resp);
    return rc;
}
