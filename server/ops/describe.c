/* describe.c — TableDescription (API reference: DescribeTable, TableDescription). The stored
 * definition already has DynamoDB's field names and forms; this adds the live fields in the order
 * DynamoDB prints them and hides what DescribeTable does not show (Tags). */
#include "describe.h"

#include <string.h>

/* Fields copied from the definition, in DynamoDB's order, around the live ones. */
static const char *const head_fields[] = {"AttributeDefinitions", "TableName", "KeySchema"};
static const char *const tail_fields[] = {
    "TableArn", "TableId", "BillingModeSummary", "LocalSecondaryIndexes",
    "GlobalSecondaryIndexes", "StreamSpecification", "LatestStreamLabel", "LatestStreamArn",
    "SSEDescription", "TableClassSummary", "DeletionProtectionEnabled", "OnDemandThroughput"};

static void copy_field(json_t *to, const json_t *from, const char *key)
{
    json_t *v = json_object_get(from, key);
    if (v != NULL)
        json_object_set_new(to, key, json_deep_copy(v));
}

/* Adds status and statistics to the described indexes, and hides the internal IndexNumber. */
static void add_index_live_fields(const struct table *table, json_t *indexes, const char *status,
                                  const struct table_stats *index_stats)
{
    size_t i;
    json_t *index;
    json_array_foreach(indexes, i, index) {
        const struct table_index *ix = table_index_find(table, json_string_value(
                                           json_object_get(index, "IndexName")));
        const struct table_stats *st = NULL;
        if (ix != NULL && index_stats != NULL)
            st = &index_stats[ix - table->indexes];
        json_object_del(index, "IndexNumber");
        if (status != NULL)
            json_object_set_new(index, "IndexStatus", json_string(status));
        json_object_set_new(index, "IndexSizeBytes", json_integer(st ? st->size_bytes : 0));
        json_object_set_new(index, "ItemCount", json_integer(st ? st->item_count : 0));
    }
}

/* Vector indexes are ACTIVE at once and, indexing nothing yet, empty (DynamoDB refreshes these
 * counts every six hours anyway). No Backfilling member: DynamoDB shows none on the CreateTable
 * path. */
static void add_vector_index_live_fields(json_t *indexes)
{
    size_t i;
    json_t *index;
    json_array_foreach(indexes, i, index) {
        json_object_set_new(index, "IndexStatus", json_string("ACTIVE"));
        json_object_set_new(index, "ItemCount", json_integer(0));
        json_object_set_new(index, "IndexSizeBytes", json_integer(0));
    }
}

json_t *describe_table(const struct table *table, const struct table_stats *stats,
                       const struct table_stats *index_stats, const char *status)
{
    json_t *d = json_object();
    const json_t *def = table->def;

    for (size_t i = 0; i < sizeof head_fields / sizeof head_fields[0]; i++)
        copy_field(d, def, head_fields[i]);
    json_object_set_new(d, "TableStatus", json_string(status));
    copy_field(d, def, "CreationDateTime");
    copy_field(d, def, "ProvisionedThroughput");
    json_object_set_new(d, "TableSizeBytes", json_integer(stats ? stats->size_bytes : 0));
    json_object_set_new(d, "ItemCount", json_integer(stats ? stats->item_count : 0));
    for (size_t i = 0; i < sizeof tail_fields / sizeof tail_fields[0]; i++)
        copy_field(d, def, tail_fields[i]);
    copy_field(d, def, "VectorIndexes");
    add_vector_index_live_fields(json_object_get(d, "VectorIndexes"));
    add_index_live_fields(table, json_object_get(d, "LocalSecondaryIndexes"), NULL, index_stats);
    add_index_live_fields(table, json_object_get(d, "GlobalSecondaryIndexes"),
                          strcmp(status, "CREATING") == 0 ? "CREATING" : "ACTIVE", index_stats);
    return d;
}
