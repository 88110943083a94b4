/* table_rules.c — CreateTable's and UpdateTable's table-independent semantic checks (see
 * table_rules.h for the order), with DynamoDB's messages word for word. Input is a body already
 * normalised by reqspec_check(), so member types and constraints hold; list elements may still be
 * JSON null and are skipped. Sources: dynalite's validations/createTable.js and updateTable.js
 * (recorded against DynamoDB), 2026 captures of DynamoDB's messages; see test_table_rules.c. */
#include "table_rules.h"
#include "table_settings.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "limits.h"

#define INVALID "One or more parameter values were invalid: "
#define MAX_CAPACITY_UNITS 1000000000000LL /* "Given value ... is out of bounds" above this */

/* ---- small helpers ------------------------------------------------------------------ */

static const char *str_member(const json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

static int str_eq(const char *a, const char *b)
{
    return a != NULL && b != NULL && strcmp(a, b) == 0;
}

static size_t list_size(const json_t *list)
{
    return json_is_array(list) ? json_array_size(list) : 0;
}

/* Name of the i-th element's `member` (NULL when missing or the element is null). */
static const char *name_at(const json_t *list, size_t i, const char *member)
{
    return str_member(json_array_get(list, i), member);
}

static int list_has_name(const json_t *list, const char *member, const char *name)
{
    for (size_t i = 0; i < list_size(list); i++)
        if (str_eq(name_at(list, i, member), name))
            return 1;
    return 0;
}

/* Java's List.toString of the names: "[a, b]". Returns malloc'd text (NULL on OOM). */
static char *names_text(const json_t *list, const char *member)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);

    if (out == NULL)
        return NULL;
    fputc('[', out);
    for (size_t i = 0; i < list_size(list); i++) {
        const char *name = member != NULL ? name_at(list, i, member) : json_string_value(json_array_get(list, i));
        fprintf(out, "%s%s", i > 0 ? ", " : "", name != NULL ? name : "null");
    }
    fputc(']', out);
    fclose(out);
    return text;
}

/* "Some index key attributes are not defined in AttributeDefinitions. Keys: [..], ..." */
static int undefined_keys_error(const json_t *keys, const json_t *defs, struct err *err)
{
    char *k = names_text(keys, "AttributeName"), *d = names_text(defs, "AttributeName");
    int rc = (k == NULL || d == NULL)
                 ? err_set(err, ERR_INTERNAL, "out of memory")
                 : err_set(err, ERR_VALIDATION,
                           INVALID "Some index key attributes are not defined in AttributeDefinitions. "
                                   "Keys: %s, AttributeDefinitions: %s", k, d);
    free(k);
    free(d);
    return rc;
}

static int keys_defined(const json_t *keys, const json_t *defs)
{
    for (size_t i = 0; i < list_size(keys); i++)
        if (!list_has_name(defs, "AttributeName", name_at(keys, i, "AttributeName")))
            return 0;
    return 1;
}

/* The shape of a two-element key schema: same names, HASH first, RANGE second. */
static int check_key_order(const json_t *keys, struct err *err)
{
    size_t n = list_size(keys);

    if (n == 2 && str_eq(name_at(keys, 0, "AttributeName"), name_at(keys, 1, "AttributeName")))
        return err_set(err, ERR_VALIDATION, "Both the Hash Key and the Range Key element in the KeySchema have the same name");
    if (n >= 1 && !str_eq(name_at(keys, 0, "KeyType"), "HASH"))
        return err_set(err, ERR_VALIDATION, "Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
    if (n == 2 && !str_eq(name_at(keys, 1, "KeyType"), "RANGE"))
        return err_set(err, ERR_VALIDATION, "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
    return 0;
}

/* Projection rules of one index. */
static int check_projection(const json_t *projection, struct err *err)
{
    const char *type = str_member(projection, "ProjectionType");
    const json_t *nka = json_object_get(projection, "NonKeyAttributes");

    if (type == NULL)
        return err_set(err, ERR_VALIDATION, INVALID "Unknown ProjectionType: null");
    if (nka != NULL && strcmp(type, "INCLUDE") != 0)
        return err_set(err, ERR_VALIDATION, INVALID "ProjectionType is %s, but NonKeyAttributes is specified", type);
    if (nka == NULL && strcmp(type, "INCLUDE") == 0)
        return err_set(err, ERR_VALIDATION, INVALID "ProjectionType is INCLUDE, but NonKeyAttributes is not specified");
    for (size_t i = 0; i < list_size(nka); i++)
        for (size_t j = 0; j < i; j++)
            if (str_eq(json_string_value(json_array_get(nka, i)), json_string_value(json_array_get(nka, j))))
                return err_set(err, ERR_VALIDATION, INVALID "Duplicate element in NonKeyAttributes: %s",
                               json_string_value(json_array_get(nka, i)));
    return 0;
}

/* Index names are unique across LSIs and GSIs; `seen` is a JSON object used as a set. */
static int check_index_name_unique(json_t *seen, const char *name, struct err *err)
{
    if (name == NULL)
        return 0;
    if (json_object_get(seen, name) != NULL)
        return err_set(err, ERR_VALIDATION, INVALID "Duplicate index name: %s", name);
    if (json_object_set_new(seen, name, json_true()) < 0)
        return err_set(err, ERR_INTERNAL, "out of memory");
    return 0;
}

/* ---- shared by CreateTable and UpdateTable ----------------------------------------- */

static int check_capacity_bounds(const json_t *throughput, struct err *err)
{
    static const char *const units[] = {"ReadCapacityUnits", "WriteCapacityUnits"};

    for (size_t i = 0; i < 2; i++) {
        const json_t *v = json_object_get(throughput, units[i]);
        if (json_is_integer(v) && json_integer_value(v) > MAX_CAPACITY_UNITS)
            return err_set(err, ERR_VALIDATION, "Given value %" JSON_INTEGER_FORMAT " for %s is out of bounds",
                           json_integer_value(v), units[i]);
    }
    return 0;
}

/* SSESpecification: Enabled=false excludes SSEType and KMSMasterKeyId; AES256 is refused; a key
 * needs SSEType KMS (live captures 2026: {} and {SSEType: KMS} alone are accepted). */
static int check_sse(const json_t *sse, struct err *err)
{
    const json_t *enabled = json_object_get(sse, "Enabled");
    const char *type = str_member(sse, "SSEType");
    const char *key = str_member(sse, "KMSMasterKeyId");

    if (sse == NULL)
        return 0;
    if (json_is_false(enabled) && type != NULL)
        return err_set(err, ERR_VALIDATION, INVALID "SSEType can not be specified if Enabled is false");
    if (json_is_false(enabled) && key != NULL)
        return err_set(err, ERR_VALIDATION, INVALID "KMSMasterKeyId can not be specified if Enabled is false");
    if (str_eq(type, "AES256"))
        return err_set(err, ERR_VALIDATION, INVALID "SSEType AES256 is not supported");
    if (key != NULL && type == NULL)
        return err_set(err, ERR_VALIDATION, INVALID "SSEType KMS is required if KMSMasterKeyId is specified");
    return 0;
}

/* TableClass is not a model enum: DynamoDB answers with its own sentence. */
static int check_table_class(const json_t *body, struct err *err)
{
    const char *cls = str_member(body, "TableClass");

    if (cls != NULL && strcmp(cls, "STANDARD") != 0 && strcmp(cls, "STANDARD_INFREQUENT_ACCESS") != 0)
        return err_set(err, ERR_VALIDATION, "Invalid table-class parameter provided. Please try again with a "
                                            "valid table-class value: [STANDARD, STANDARD_INFREQUENT_ACCESS].");
    return 0;
}

/* OnDemandThroughput: MaxReadRequestUnits then MaxWriteRequestUnits must be at least 1, or -1
 * ("no limit") where allowed (UpdateTable); live probes catalogued by ack-api-quirks (DDB-TABLE-442). */
static int check_on_demand_range(const json_t *odt, int allow_minus_one, struct err *err)
{
    static const char *const members[] = {"MaxReadRequestUnits", "MaxWriteRequestUnits"};

    for (size_t i = 0; i < 2; i++) {
        const json_t *v = json_object_get(odt, members[i]);
        if (!json_is_integer(v))
            continue;
        if (json_integer_value(v) < 1 && !(allow_minus_one && json_integer_value(v) == -1))
            return err_set(err, ERR_VALIDATION, INVALID "Requested %s for OnDemandThroughput for table is "
                                                        "outside of valid range", members[i]);
    }
    return 0;
}

int table_rules_on_demand_needs_pay_per_request(const json_t *odt, struct err *err)
{
    const char *member = json_object_get(odt, "MaxReadRequestUnits") != NULL ? "MaxReadRequestUnits"
                                                                             : "MaxWriteRequestUnits";
    return err_set(err, ERR_VALIDATION, INVALID "%s for OnDemandThroughput cannot be specified when the table "
                                                "BillingMode is PROVISIONED", member);
}

/* ---- CreateTable ------------------------------------------------------------------- */

static int check_create_billing(const json_t *body, int pay_per_request, struct err *err)
{
    const json_t *pt = json_object_get(body, "ProvisionedThroughput");

    if (pay_per_request) {
        if (pt != NULL)
            return err_set(err, ERR_VALIDATION, INVALID "Neither ReadCapacityUnits nor WriteCapacityUnits can "
                                                        "be specified when BillingMode is PAY_PER_REQUEST");
        return 0;
    }
    if (pt == NULL || json_object_get(pt, "ReadCapacityUnits") == NULL ||
        json_object_get(pt, "WriteCapacityUnits") == NULL)
        return err_set(err, ERR_VALIDATION, INVALID "ReadCapacityUnits and WriteCapacityUnits must both be "
                                                    "specified when BillingMode is PROVISIONED");
    return check_capacity_bounds(pt, err);
}

static int check_create_stream(const json_t *body, struct err *err)
{
    const json_t *spec = json_object_get(body, "StreamSpecification");
    int enabled = json_is_true(json_object_get(spec, "StreamEnabled"));
    int has_view = json_object_get(spec, "StreamViewType") != NULL;

    if (spec == NULL)
        return 0;
    if (enabled && !has_view)
        return err_set(err, ERR_VALIDATION, INVALID "Table is being created with a stream enabled, UpdateViewType is required");
    if (!enabled && has_view)
        return err_set(err, ERR_VALIDATION, INVALID "Table is being created with a stream disabled, UpdateViewType should not be specified");
    return 0;
}

static int check_duplicate_definitions(const json_t *defs, struct err *err)
{
    for (size_t i = 0; i < list_size(defs); i++) {
        const char *name = name_at(defs, i, "AttributeName");
        for (size_t j = 0; name != NULL && j < i; j++)
            if (str_eq(name, name_at(defs, j, "AttributeName")))
                return err_set(err, ERR_VALIDATION, "Attribute Name is duplicated: %s", name);
    }
    return 0;
}

static int check_table_keys(const json_t *keys, const json_t *defs, int has_indexes, struct err *err)
{
    if (list_size(keys) > list_size(defs))
        return err_set(err, ERR_VALIDATION, "Invalid KeySchema: Some index key attribute have no definition");
    if (!keys_defined(keys, defs))
        return undefined_keys_error(keys, defs, err);
    if (check_key_order(keys, err) < 0)
        return -1;
    if (!has_indexes && list_size(keys) != list_size(defs))
        return err_set(err, ERR_VALIDATION, INVALID "Number of attributes in KeySchema does not exactly match "
                                                    "number of attributes defined in AttributeDefinitions");
    return 0;
}

static int check_lsis(const json_t *lsis, const json_t *keys, const json_t *defs, json_t *names, struct err *err)
{
    const char *table_hash = name_at(keys, 0, "AttributeName");

    if (list_size(lsis) == 0)
        return err_set(err, ERR_VALIDATION, INVALID "List of LocalSecondaryIndexes is empty");
    if (list_size(keys) != 2)
        return err_set(err, ERR_VALIDATION, INVALID "Table KeySchema does not have a range key, which is "
                                                    "required when specifying a LocalSecondaryIndex");
    for (size_t i = 0; i < list_size(lsis); i++) {
        const json_t *lsi = json_array_get(lsis, i);
        const json_t *ikeys = json_object_get(lsi, "KeySchema");
        const char *name = str_member(lsi, "IndexName");
        const char *hash = name_at(ikeys, 0, "AttributeName");

        if (!json_is_object(lsi))
            continue;
        if (!keys_defined(ikeys, defs))
            return undefined_keys_error(ikeys, defs, err);
        if (check_key_order(ikeys, err) < 0)
            return -1;
        if (list_size(ikeys) != 2)
            return err_set(err, ERR_VALIDATION, INVALID "Index KeySchema does not have a range key for index: %s", name);
        if (!str_eq(hash, table_hash))
            return err_set(err, ERR_VALIDATION, INVALID "Index KeySchema does not have the same leading hash key as "
                                                        "table KeySchema for index: %s. index hash key: %s, table hash key: %s",
                           name, hash, table_hash);
        if (check_projection(json_object_get(lsi, "Projection"), err) < 0)
            return -1;
        if (check_index_name_unique(names, name, err) < 0)
            return -1;
    }
    if (list_size(lsis) > LIMIT_LSI_PER_TABLE)
        return err_set(err, ERR_VALIDATION, INVALID "Number of LocalSecondaryIndexes exceeds per-table limit of %d",
                       LIMIT_LSI_PER_TABLE);
    return 0;
}

static int check_gsis(const json_t *gsis, const json_t *defs, int pay_per_request, json_t *names, struct err *err)
{
    if (list_size(gsis) == 0)
        return err_set(err, ERR_VALIDATION, INVALID "List of GlobalSecondaryIndexes is empty");
    for (size_t i = 0; i < list_size(gsis); i++) {
        const json_t *gsi = json_array_get(gsis, i);
        const json_t *ikeys = json_object_get(gsi, "KeySchema");
        const char *name = str_member(gsi, "IndexName");
        int has_pt = json_object_get(gsi, "ProvisionedThroughput") != NULL;

        if (!json_is_object(gsi))
            continue;
        if (!keys_defined(ikeys, defs))
            return undefined_keys_error(ikeys, defs, err);
        if (check_key_order(ikeys, err) < 0)
            return -1;
        if (check_projection(json_object_get(gsi, "Projection"), err) < 0)
            return -1;
        if (pay_per_request && has_pt)
            return err_set(err, ERR_VALIDATION, INVALID "ProvisionedThroughput should not be specified for index: %s "
                                                        "when BillingMode is PAY_PER_REQUEST", name);
        if (!pay_per_request && !has_pt)
            return err_set(err, ERR_VALIDATION, INVALID "ProvisionedThroughput is not specified for index: %s", name);
        if (check_index_name_unique(names, name, err) < 0)
            return -1;
    }
    if (list_size(gsis) > LIMIT_GSI_PER_TABLE)
        return err_set(err, ERR_VALIDATION, INVALID "GlobalSecondaryIndex count exceeds the per-table limit of %d",
                       LIMIT_GSI_PER_TABLE);
    return 0;
}

/* Appends the key names of `keys` not yet in `used` (a JSON array of strings). */
static int add_used_keys(json_t *used, const json_t *keys)
{
    for (size_t i = 0; i < list_size(keys); i++) {
        const char *name = name_at(keys, i, "AttributeName");
        int found = 0;
        for (size_t j = 0; name != NULL && j < json_array_size(used); j++)
            found |= str_eq(json_string_value(json_array_get(used, j)), name);
        if (name != NULL && !found && json_array_append_new(used, json_string(name)) < 0)
            return -1;
    }
    return 0;
}

/* With indexes, every definition must be some key: "Some AttributeDefinitions are not used.
 * AttributeDefinitions: [..], keys used: [..]" (definitions as sent, keys table first). */
static int check_unused_definitions(const json_t *body, const json_t *defs, struct err *err)
{
    static const char *const lists[] = {"LocalSecondaryIndexes", "GlobalSecondaryIndexes"};
    json_t *used = json_array();
    char *d = NULL, *u = NULL;
    int rc = 0;

    if (used == NULL || add_used_keys(used, json_object_get(body, "KeySchema")) < 0)
        goto oom;
    for (size_t l = 0; l < 2; l++) {
        const json_t *indexes = json_object_get(body, lists[l]);
        for (size_t i = 0; i < list_size(indexes); i++)
            if (add_used_keys(used, json_object_get(json_array_get(indexes, i), "KeySchema")) < 0)
                goto oom;
    }
    /* a vector index's SearchSchema attributes are keys of it too */
    for (size_t i = 0; i < list_size(json_object_get(body, "VectorIndexes")); i++)
        if (add_used_keys(used, json_object_get(json_array_get(json_object_get(body, "VectorIndexes"), i),
                                                "SearchSchema")) < 0)
            goto oom;
    for (size_t i = 0; i < list_size(defs); i++) {
        const char *name = name_at(defs, i, "AttributeName");
        int found = 0;
        for (size_t j = 0; j < json_array_size(used); j++)
            found |= str_eq(json_string_value(json_array_get(used, j)), name);
        if (!found) {
            d = names_text(defs, "AttributeName");
            u = names_text(used, NULL);
            if (d == NULL || u == NULL)
                goto oom;
            rc = err_set(err, ERR_VALIDATION, INVALID "Some AttributeDefinitions are not used. "
                                                      "AttributeDefinitions: %s, keys used: %s", d, u);
            goto out;
        }
    }
    goto out;
oom:
    rc = err_set(err, ERR_INTERNAL, "out of memory");
out:
    free(d);
    free(u);
    json_decref(used);
    return rc;
}

/* NonKeyAttributes summed over all indexes: at most LIMIT_PROJECTED_ATTRIBUTES. */
static int check_projected_total(const json_t *body, struct err *err)
{
    static const char *const lists[] = {"LocalSecondaryIndexes", "GlobalSecondaryIndexes"};
    size_t total = 0;

    for (size_t l = 0; l < 2; l++) {
        const json_t *indexes = json_object_get(body, lists[l]);
        for (size_t i = 0; i < list_size(indexes); i++)
            total += list_size(json_object_get(json_object_get(json_array_get(indexes, i), "Projection"),
                                               "NonKeyAttributes"));
    }
    if (total > LIMIT_PROJECTED_ATTRIBUTES)
        return err_set(err, ERR_VALIDATION, INVALID "Number of projected attributes in all indexes exceeds the "
                                                    "per-table limit of %d", LIMIT_PROJECTED_ATTRIBUTES);
    return 0;
}

/* Vector indexes (2026 API; words from the conformance captures of DynamoDB): on-demand tables
 * only, at most LIMIT_VECTOR_INDEXES, 1..LIMIT_VECTOR_DIMENSIONS dimensions, the same dimensions
 * for every index of one attribute, SearchSchema attributes defined, names unique among all
 * indexes. */
static int check_vector_indexes(const json_t *vixs, const json_t *defs, int pay_per_request,
                                json_t *names, struct err *err)
{
    json_t *dims = json_object();
    int rc = -1;
    if (!pay_per_request) {
        err_set(err, ERR_VALIDATION, INVALID "Vector indexes are only supported for PAY_PER_REQUEST "
                "tables");
        goto out;
    }
    if (list_size(vixs) > LIMIT_VECTOR_INDEXES) {
        err_set(err, ERR_VALIDATION, INVALID "VectorIndex count exceeds the per-table limit of %d",
                LIMIT_VECTOR_INDEXES);
        goto out;
    }
    for (size_t i = 0; i < list_size(vixs); i++) {
        const json_t *v = json_array_get(vixs, i);
        const char *attr = str_member(json_object_get(v, "VectorAttribute"), "AttributeName");
        json_int_t d = json_integer_value(json_object_get(v, "Dimensions"));
        const json_t *seen;
        const json_t *schema = json_object_get(v, "SearchSchema");
        if (check_index_name_unique(names, str_member(v, "IndexName"), err) < 0)
            goto out;
        if (d < 1 || d > LIMIT_VECTOR_DIMENSIONS) {
            err_set(err, ERR_VALIDATION, INVALID "Number of dimensions must be between 1 and %d "
                    "inclusive.", LIMIT_VECTOR_DIMENSIONS);
            goto out;
        }
        if (attr != NULL && (seen = json_object_get(dims, attr)) != NULL &&
            json_integer_value(seen) != d) {
            err_set(err, ERR_VALIDATION, INVALID "Conflicting attribute definition for '%s'. All "
                    "VectorIndexes on the same vector attribute must use the same dimensions.", attr);
            goto out;
        }
        if (attr != NULL)
            json_object_set_new(dims, attr, json_integer(d));
        for (size_t k = 0; k < list_size(schema); k++)
            if (!list_has_name(defs, "AttributeName",
                               str_member(json_array_get(schema, k), "AttributeName"))) {
                err_set(err, ERR_VALIDATION, INVALID "One element in SearchSchema is not defined in "
                        "attribute definitions");
                goto out;
            }
        if (check_projection(json_object_get(v, "Projection"), err) < 0)
            goto out;
    }
    rc = 0;
out:
    json_decref(dims);
    return rc;
}

int table_rules_check_create(const json_t *body, struct err *err)
{
    const json_t *defs = json_object_get(body, "AttributeDefinitions");
    const json_t *keys = json_object_get(body, "KeySchema");
    const json_t *lsis = json_object_get(body, "LocalSecondaryIndexes");
    const json_t *gsis = json_object_get(body, "GlobalSecondaryIndexes");
    const json_t *vixs = json_object_get(body, "VectorIndexes");
    int ppr = str_eq(str_member(body, "BillingMode"), "PAY_PER_REQUEST");
    json_t *names = NULL;
    int rc = -1;

    const json_t *odt = json_object_get(body, "OnDemandThroughput");

    if (check_create_billing(body, ppr, err) < 0)
        return -1;
    if (json_object_size(odt) > 0 &&
        ((!ppr && table_rules_on_demand_needs_pay_per_request(odt, err) < 0) ||
         check_on_demand_range(odt, 0, err) < 0))
        return -1;
    if (check_create_stream(body, err) < 0 ||
        check_sse(json_object_get(body, "SSESpecification"), err) < 0 || check_table_class(body, err) < 0 ||
        check_duplicate_definitions(defs, err) < 0 ||
        check_table_keys(keys, defs, lsis != NULL || gsis != NULL || vixs != NULL, err) < 0)
        return -1;
    names = json_object();
    if (names == NULL) {
        rc = err_set(err, ERR_INTERNAL, "out of memory");
        goto out;
    }
    if (lsis != NULL && check_lsis(lsis, keys, defs, names, err) < 0)
        goto out;
    if (gsis != NULL && check_gsis(gsis, defs, ppr, names, err) < 0)
        goto out;
    if (vixs != NULL && check_vector_indexes(vixs, defs, ppr, names, err) < 0)
        goto out;
    if ((lsis != NULL || gsis != NULL || vixs != NULL) &&
        check_unused_definitions(body, defs, err) < 0)
        goto out;
    if (check_projected_total(body, err) < 0)
        goto out;
    if (json_object_get(body, "Tags") != NULL && table_rules_check_tags(json_object_get(body, "Tags"), err) < 0)
        goto out;
    if (str_member(body, "ResourcePolicy") != NULL &&
        table_settings_check_policy(str_member(body, "ResourcePolicy"), err) < 0)
        goto out;
    rc = 0;
out:
    json_decref(names);
    return rc;
}

/* ---- UpdateTable ------------------------------------------------------------------- */

/* A GlobalTableWitnessUpdates entry counts only with an action (live capture: [{}] is absent). */
static int has_witness_update(const json_t *updates)
{
    for (size_t i = 0; i < list_size(updates); i++) {
        const json_t *u = json_array_get(updates, i);
        if (json_object_get(u, "Create") != NULL || json_object_get(u, "Delete") != NULL)
            return 1;
    }
    return 0;
}

/* The message names every member DynamoDB would accept, minus those already in the request. */
static int check_something_to_update(const json_t *body, struct err *err)
{
    static const char *const sufficient[] = {
        "ProvisionedThroughput", "BillingMode", "StreamSpecification", "GlobalSecondaryIndexUpdates",
        "SSESpecification", "ReplicaUpdates", "DeletionProtectionEnabled", "OnDemandThroughput",
        "WarmThroughput", "TableClass",
    };

    for (size_t i = 0; i < sizeof sufficient / sizeof sufficient[0]; i++)
        if (json_object_get(body, sufficient[i]) != NULL)
            return 0;
    if (has_witness_update(json_object_get(body, "GlobalTableWitnessUpdates")))
        return 0;
    return err_set(err, ERR_VALIDATION,
                   "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "
                   "GlobalSecondaryIndexUpdates, SSESpecification, ReplicaUpdates, MultiAccountReplicaReady, "
                   "ReplicaTransitRoleArn, %sDeletionProtectionEnabled, OnDemandThroughput, WarmThroughput or "
                   "TableClass is required",
                   json_object_get(body, "MultiRegionConsistency") != NULL ? "" : "MultiRegionConsistency, ");
}

static int gsi_updates_create_or_delete(const json_t *updates)
{
    for (size_t i = 0; i < list_size(updates); i++) {
        const json_t *u = json_array_get(updates, i);
        if (json_object_get(u, "Create") != NULL || json_object_get(u, "Delete") != NULL)
            return 1;
    }
    return 0;
}

/* UpdateTable changes one concern per call (live captures 2026; precedence SSE > TableClass >
 * DeletionProtection > WarmThroughput, then the OnDemandThroughput and IOPS pairings). */
static int check_exclusive(const json_t *body, struct err *err)
{
    static const char *const operations[] = {
        "ProvisionedThroughput", "BillingMode", "StreamSpecification", "GlobalSecondaryIndexUpdates",
        "SSESpecification", "ReplicaUpdates", "DeletionProtectionEnabled", "OnDemandThroughput",
        "WarmThroughput", "TableClass", "MultiRegionConsistency", "GlobalTableWitnessUpdates",
    };
    static const struct {
        const char *member, *message;
    } alone[] = {
        {"SSESpecification", INVALID "Server-Side Encryption modification must be the only operation in the request"},
        {"TableClass", INVALID "TableClass modification must be the only operation in the request"},
        {"DeletionProtectionEnabled", INVALID "DeletionProtection modification must be the only operation in the request"},
        {"WarmThroughput", INVALID "WarmThroughput must be the only operation in the request"},
    };
    const json_t *updates = json_object_get(body, "GlobalSecondaryIndexUpdates");
    int stream = json_object_get(body, "StreamSpecification") != NULL;
    int pt = json_object_get(body, "ProvisionedThroughput") != NULL;
    int index_change = gsi_updates_create_or_delete(updates);
    size_t count = 0, others_than_billing = 0;

    for (size_t i = 0; i < sizeof operations / sizeof operations[0]; i++)
        if (json_object_get(body, operations[i]) != NULL) {
            count++;
            if (strcmp(operations[i], "BillingMode") != 0 && strcmp(operations[i], "OnDemandThroughput") != 0)
                others_than_billing++;
        }
    for (size_t i = 0; i < sizeof alone / sizeof alone[0]; i++)
        if (count > 1 && json_object_get(body, alone[i].member) != NULL)
            return err_set(err, ERR_VALIDATION, "%s", alone[i].message);
    if (json_object_get(body, "OnDemandThroughput") != NULL && others_than_billing > 0)
        return err_set(err, ERR_VALIDATION, INVALID "OnDemandThroughput can only be combined with BillingMode in an UpdateTable request");
    if (stream && (pt || str_eq(str_member(body, "BillingMode"), "PROVISIONED")))
        return err_set(err, ERR_VALIDATION, INVALID "You cannot modify stream status while updating table IOPS");
    if (pt && index_change)
        return err_set(err, ERR_VALIDATION, INVALID "You cannot create or delete index while updating table IOPS");
    if (stream && index_change)
        return err_set(err, ERR_VALIDATION, INVALID "You cannot create or delete index while changing stream status");
    return 0;
}

static int check_update_billing(const json_t *body, struct err *err)
{
    const char *billing = str_member(body, "BillingMode");
    const json_t *pt = json_object_get(body, "ProvisionedThroughput");

    if (str_eq(billing, "PROVISIONED") && pt == NULL)
        return err_set(err, ERR_VALIDATION, INVALID "ProvisionedThroughput must be specified when BillingMode is PROVISIONED");
    if (str_eq(billing, "PAY_PER_REQUEST") && pt != NULL)
        return err_set(err, ERR_VALIDATION, INVALID "Neither ReadCapacityUnits nor WriteCapacityUnits can be "
                                                    "specified when BillingMode is PAY_PER_REQUEST");
    return pt != NULL ? check_capacity_bounds(pt, err) : 0;
}

static int check_update_stream(const json_t *body, struct err *err)
{
    const json_t *spec = json_object_get(body, "StreamSpecification");
    int enabled = json_is_true(json_object_get(spec, "StreamEnabled"));
    int has_view = json_object_get(spec, "StreamViewType") != NULL;

    if (spec == NULL)
        return 0;
    if (enabled && !has_view)
        return err_set(err, ERR_VALIDATION, INVALID "If stream is being enabled then UpdateViewType is required");
    if (!enabled && has_view)
        return err_set(err, ERR_VALIDATION, INVALID "If stream is being disabled, then UpdateViewType must not be specified");
    return 0;
}

static int check_gsi_create(const json_t *create, const json_t *defs, struct err *err)
{
    const json_t *ikeys = json_object_get(create, "KeySchema");
    const char *name = str_member(create, "IndexName");

    if (defs == NULL)
        return err_set(err, ERR_VALIDATION, INVALID "AttributeDefinitions is not specified for index: %s", name);
    if (!keys_defined(ikeys, defs))
        return undefined_keys_error(ikeys, defs, err);
    if (check_key_order(ikeys, err) < 0)
        return -1;
    return check_projection(json_object_get(create, "Projection"), err);
}

static int check_gsi_updates(const json_t *body, struct err *err)
{
    static const char *const actions[] = {"Update", "Create", "Delete"};
    const json_t *updates = json_object_get(body, "GlobalSecondaryIndexUpdates");
    json_t *seen = NULL;
    int rc = -1;

    if (updates == NULL)
        return 0;
    if (list_size(updates) == 0)
        return err_set(err, ERR_VALIDATION, INVALID "List of GlobalSecondaryIndexUpdates is empty");
    seen = json_object();
    if (seen == NULL)
        return err_set(err, ERR_INTERNAL, "out of memory");
    for (size_t i = 0; i < list_size(updates); i++) {
        const json_t *u = json_array_get(updates, i), *action = NULL;
        size_t n = 0;
        const char *name;

        for (size_t a = 0; a < 3; a++)
            if (json_object_get(u, actions[a]) != NULL) {
                action = action != NULL ? action : json_object_get(u, actions[a]);
                n++;
            }
        if (n == 0) {
            rc = err_set(err, ERR_VALIDATION, INVALID "One of GlobalSecondaryIndexUpdate.Update, "
                                                      "GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete "
                                                      "must not be null");
            goto out;
        }
        if (n > 1) {
            rc = err_set(err, ERR_VALIDATION, INVALID "Only one global secondary index action is allowed per "
                                                      "GlobalSecondaryIndexUpdate object");
            goto out;
        }
        name = str_member(action, "IndexName");
        if (name != NULL && json_object_get(seen, name) != NULL) {
            rc = err_set(err, ERR_VALIDATION, INVALID "Only one global secondary index update per index is allowed "
                                                      "simultaneously. Index: %s", name);
            goto out;
        }
        if (name != NULL && json_object_set_new(seen, name, json_true()) < 0) {
            rc = err_set(err, ERR_INTERNAL, "out of memory");
            goto out;
        }
        if (json_object_get(u, "Create") != NULL &&
            check_gsi_create(action, json_object_get(body, "AttributeDefinitions"), err) < 0)
            goto out;
    }
    rc = 0;
out:
    json_decref(seen);
    return rc;
}

int table_rules_check_update(const json_t *body, struct err *err)
{
    if (check_something_to_update(body, err) < 0 || check_exclusive(body, err) < 0 ||
        check_update_billing(body, err) < 0 ||
        check_on_demand_range(json_object_get(body, "OnDemandThroughput"), 1, err) < 0 ||
        check_update_stream(body, err) < 0 ||
        check_sse(json_object_get(body, "SSESpecification"), err) < 0 || check_table_class(body, err) < 0 ||
        check_gsi_updates(body, err) < 0)
        return -1;
    return 0;
}

/* ---- Tags -------------------------------------------------------------------------- */

/* Letters, digits and spaces (any non-ASCII character counts as a letter) and _ . : / = + - @. */
static int tag_text_ok(const char *s, size_t min, size_t max)
{
    size_t units = 0;

    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        if ((*p & 0xC0) != 0x80)
            units += (*p >= 0xF0) ? 2 : 1;
        if (*p < 0x80 && !((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                           strchr(" _.:/=+-@", *p) != NULL))
            return 0;
    }
    return units >= min && units <= max;
}

int table_rules_check_tags(const json_t *tags, struct err *err)
{
    for (size_t i = 0; i < list_size(tags); i++) {
        const json_t *tag = json_array_get(tags, i);
        const char *key = str_member(tag, "Key"), *value = str_member(tag, "Value");

        if (key == NULL || !tag_text_ok(key, 1, 128))
            return err_set(err, ERR_VALIDATION, "The Tag Key provided is invalid, Key: %s", key != NULL ? key : "null");
        if (value == NULL || !tag_text_ok(value, 0, 256))
            return err_set(err, ERR_VALIDATION, "The Tag Value provided is invalid, Value: %s",
                           value != NULL ? value : "null");
        if (strncasecmp(key, "aws:", 4) == 0)
            return err_set(err, ERR_VALIDATION, "Tag Key cannot be prefixed with aws:, Key: %s", key);
        for (size_t j = 0; j < i; j++)
            if (str_eq(key, name_at(tags, j, "Key")))
                return err_set(err, ERR_VALIDATION, "Duplicate Tag Keys provided as input: Duplicate Tag Key found %s", key);
    }
    if (list_size(tags) > LIMIT_TAGS_PER_RESOURCE)
        return err_set(err, ERR_VALIDATION, "Number of Tags exceed the current limit for the provided ResourceArn");
    return 0;
}
