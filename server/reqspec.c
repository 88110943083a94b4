/* reqspec.c — one declarative field spec per operation (tables of rows below) and the engine that
 * checks a parsed request body against it the way DynamoDB's front end does: wire types first
 * (SerializationException, body key "Message"), then required parameters, the table-name rule and
 * members DynamoDB judges alone, then every member constraint collected into one "N validation
 * error(s) detected: ..." message. It does not validate AttributeValue contents (value.c) nor
 * semantic rules (ops, validate.c, ops/table_rules.c). Entry point: reqspec_check(). Model:
 * dynalite's validations/index.js; texts from DynamoDB as recorded by dynalite's suite and the
 * 2026 multi-region captures of nubo-db/dynamodb-conformance (see tests/unit/test_reqspec.c). */
#include "reqspec.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "limits.h"

/* ====================================================================================== */
/* Spec rows                                                                              */
/* ====================================================================================== */

/* Wire types of DynamoDB's deserializer. A struct's scalar-mismatch message depends on whether it
 * sits in a member position ("Unexpected field type") or in a list/map value position
 * ("Unexpected value type in payload"); the engine knows the position, so one FT_STRUCT serves. */
enum ftype {
    FT_STRING = 1, /* java.lang.String */
    FT_BOOL,       /* java.lang.Boolean; "true"/"yes"/"1" (any case) are converted */
    FT_INT,        /* java.lang.Integer; decimals are floored */
    FT_LONG,       /* java.lang.Long; decimals are floored */
    FT_BLOB,       /* java.nio.ByteBuffer: canonical base64 text */
    FT_LIST,       /* List<elem> */
    FT_PLIST,      /* parameterized List<elem> (BatchWriteItem's per-table request lists) */
    FT_MAP,        /* Map<String, elem>; .java names the value class for messages */
    FT_PMAP,       /* parameterized Map<String, AttributeValue> (BatchGetItem's Keys members) */
    FT_STRUCT,     /* structure with .members; .java names the class for messages */
};

enum pattern { PAT_NONE = 0, PAT_NAME }; /* PAT_NAME: [a-zA-Z0-9_.-]+ (table and index names) */

struct mapcheck {        /* constraints on every key of a map, or on the length of every value */
    long long min, max;  /* length bounds */
    enum pattern pattern;
};

struct field {
    const char *name;              /* wire name; NULL for list/map element rows and end markers */
    enum ftype type;
    unsigned char not_null;        /* "Member must not be null" */
    unsigned char required;        /* "The parameter 'X' is required but was not present ..." */
    unsigned char alone;           /* checked alone, before all other constraints (table names) */
    unsigned char pattern_first;   /* report the pattern before the length (ListTables' name) */
    unsigned char has_min, has_max;
    long long min, max;            /* length (strings, lists, maps) or value (Integer, Long) */
    enum pattern pattern;
    const char *const *enums;      /* NULL-terminated allowed values, in DynamoDB's listing order */
    const char *java;              /* class named in type errors (struct name, map value type) */
    const struct field *members;   /* FT_STRUCT: member rows ending with an END row */
    const struct field *elem;      /* FT_LIST/FT_PLIST/FT_MAP: the element or value row */
    const struct mapcheck *keys;   /* FT_MAP: constraint on every key */
    const struct mapcheck *values; /* FT_MAP: length constraint on every value */
    const char *if_absent;         /* own message when missing, raised before other constraints */
    const char *if_empty;          /* own message when an empty string, map or list, likewise */
    const char *enum_text;         /* whole violation text of a failed enum (no value, no path) */
    const char *if_below;          /* own message when an Integer is under its minimum, raised alone */
    unsigned char java_map;        /* FT_MAP echoed as Java prints a Map ({k=v, ...}), not JSON */
    unsigned char as_sent;         /* over its maximum length, the violation names no value and
                                      prints the wire names ("Value at 'RequestItems.t.member.Keys'") */
};

#define ROW(n, t) .name = (n), .type = (t)
#define END {ROW(NULL, 0)}
#define NOT_NULL .not_null = 1
#define REQUIRED .required = 1
#define TABLE_NAME_RULE .alone = 1
#define ALONE .alone = 1
#define PATTERN_FIRST .pattern_first = 1
#define MIN(a) .has_min = 1, .min = (a)
#define MAX(b) .has_max = 1, .max = (b)
#define LEN(a, b) MIN(a), MAX(b)   /* length bounds of a string, list or map */
#define RANGE(a, b) MIN(a), MAX(b) /* value bounds of an Integer or Long */
#define PAT .pattern = PAT_NAME
#define ENUM(e) .enums = (e)
#define JAVA(j) .java = (j)
#define MEMBERS(m) .members = (m)
#define ELEM(e) .elem = (e)
#define NAME_RULES LEN(LIMIT_TABLE_NAME_MIN, LIMIT_TABLE_NAME_MAX), PAT
#define IF_ABSENT(m) .if_absent = (m)
#define IF_EMPTY(m) .if_empty = (m)
#define ENUM_TEXT(t) .enum_text = (t)
#define IF_BELOW(m) .if_below = (m)
#define AS_SENT .as_sent = 1
#define JAVA_MAP .java_map = 1

/* ---- enums, listed in the order DynamoDB prints them -------------------------------- */
static const char *const E_RCC[] = {"INDEXES", "TOTAL", "NONE", NULL};
static const char *const E_RICM[] = {"SIZE", "NONE", NULL};
static const char *const E_RETURN_VALUES[] = {"ALL_NEW", "UPDATED_OLD", "ALL_OLD", "NONE", "UPDATED_NEW", NULL};
/* Since 2026-06/08 DynamoDB reports a bad ReturnValues of the item writes without value or path,
 * and with its own (misspelt) set: captures 2026-08-12-wording-drift (o_put_three_bad_enums,
 * o_del_two_bad_enums, o_upd_two_bad_enums in us-east-1), cross-region-latest (eu-central-1). */
#define RETURN_VALUES_ENUM_TEXT \
    "Failed to satisfy constraint: Member must satisfy enum value set: [ALL_OLD, UPDATED_OLD, ALL_NEW, UPDATE_NEW, NONE]"
#define RETURN_VALUES {ROW("ReturnValues", FT_STRING), ENUM(E_RETURN_VALUES), ENUM_TEXT(RETURN_VALUES_ENUM_TEXT)}
static const char *const E_RVOCCF[] = {"ALL_OLD", "NONE", NULL};
static const char *const E_COND_OP[] = {"OR", "AND", NULL};
static const char *const E_COMPARISON[] = {"IN", "NULL", "BETWEEN", "LT", "NOT_CONTAINS", "EQ", "GT",
                                           "NOT_NULL", "NE", "LE", "BEGINS_WITH", "GE", "CONTAINS", NULL};
static const char *const E_SELECT[] = {"SPECIFIC_ATTRIBUTES", "COUNT", "ALL_ATTRIBUTES",
                                       "ALL_PROJECTED_ATTRIBUTES", NULL};
static const char *const E_ATTR_TYPE[] = {"B", "N", "S", NULL};
static const char *const E_KEY_TYPE[] = {"HASH", "RANGE", NULL};
static const char *const E_BILLING[] = {"PROVISIONED", "PAY_PER_REQUEST", NULL};
static const char *const E_PROJECTION[] = {"ALL", "INCLUDE", "KEYS_ONLY", NULL};
static const char *const E_VIEW_TYPE[] = {"OLD_IMAGE", "KEYS_ONLY", "NEW_AND_OLD_IMAGES", "NEW_IMAGE", NULL};
static const char *const E_SSE_TYPE[] = {"AES256", "KMS", NULL};
static const char *const E_MR_CONSISTENCY[] = {"EVENTUAL", "STRONG", NULL};
static const char *const E_ITERATOR_TYPE[] = {"TRIM_HORIZON", "LATEST", "AT_SEQUENCE_NUMBER",
                                              "AFTER_SEQUENCE_NUMBER", NULL};
static const char *const E_SHARD_FILTER[] = {"CHILD_SHARDS", NULL};

/* ---- shared shapes ------------------------------------------------------------------ */
static const struct field str_elem = {ROW(NULL, FT_STRING)};
static const struct field blob_elem = {ROW(NULL, FT_BLOB)};

/* AttributeValue: the engine checks only wire types here; value_validate() does the rest. */
#define AV_MEMBERS 11
static const struct field av_members[AV_MEMBERS];
static const struct field av_elem = {ROW(NULL, FT_STRUCT), JAVA("AttributeValue"), MEMBERS(av_members)};
static const struct field av_members[AV_MEMBERS] = {
    {ROW("S", FT_STRING)},
    {ROW("B", FT_BLOB)},
    {ROW("N", FT_STRING)},
    {ROW("BOOL", FT_BOOL)},
    {ROW("NULL", FT_BOOL)},
    {ROW("BS", FT_LIST), ELEM(&blob_elem)},
    {ROW("NS", FT_LIST), ELEM(&str_elem)},
    {ROW("SS", FT_LIST), ELEM(&str_elem)},
    {ROW("L", FT_LIST), ELEM(&av_elem)},
    {ROW("M", FT_MAP), JAVA("AttributeValue"), ELEM(&av_elem)},
    END,
};
#define AV_MAP(n) {ROW((n), FT_MAP), JAVA("AttributeValue"), ELEM(&av_elem)}
#define AV_MAP_NOT_NULL(n) {ROW((n), FT_MAP), JAVA("AttributeValue"), ELEM(&av_elem), NOT_NULL}
#define AV_FIELD(n) {ROW((n), FT_STRUCT), JAVA("AttributeValue"), MEMBERS(av_members)}
#define NAMES_MAP {ROW("ExpressionAttributeNames", FT_MAP), JAVA("java.lang.String"), ELEM(&str_elem)}
#define VALUES_MAP AV_MAP("ExpressionAttributeValues")
#define ATTRS_TO_GET {ROW("AttributesToGet", FT_LIST), LEN(1, 255), ELEM(&str_elem)}

#define AV_LIST(n) {ROW((n), FT_LIST), ELEM(&av_elem)}

/* Legacy conditions: Expected (PutItem, UpdateItem, DeleteItem) and KeyConditions / QueryFilter /
 * ScanFilter, where ComparisonOperator is mandatory. */
static const struct field expected_members[] = {
    AV_LIST("AttributeValueList"),
    {ROW("ComparisonOperator", FT_STRING), ENUM(E_COMPARISON)},
    {ROW("Exists", FT_BOOL)},
    AV_FIELD("Value"),
    END,
};
static const struct field expected_elem = {ROW(NULL, FT_STRUCT), JAVA("ExpectedAttributeValue"),
                                           MEMBERS(expected_members)};
#define EXPECTED {ROW("Expected", FT_MAP), JAVA("ExpectedAttributeValue"), ELEM(&expected_elem)}

static const struct field condition_members[] = {
    AV_LIST("AttributeValueList"),
    {ROW("ComparisonOperator", FT_STRING), NOT_NULL, ENUM(E_COMPARISON)},
    END,
};
static const struct field condition_elem = {ROW(NULL, FT_STRUCT), JAVA("Condition"), MEMBERS(condition_members)};
#define CONDITIONS(n) {ROW((n), FT_MAP), JAVA("Condition"), ELEM(&condition_elem)}

/* UpdateItem's AttributeUpdates (its only user). Action is an enum in the service model, listed
 * as dynalite's spec prints it; an unknown Action is refused here, never taken for PUT. */
static const char *const E_ATTRIBUTE_ACTION[] = {"ADD", "PUT", "DELETE", NULL};
static const struct field attribute_update_members[] = {
    {ROW("Action", FT_STRING), ENUM(E_ATTRIBUTE_ACTION)},
    AV_FIELD("Value"),
    END,
};
static const struct field attribute_update_elem = {ROW(NULL, FT_STRUCT), JAVA("AttributeValueUpdate"),
                                                   MEMBERS(attribute_update_members)};

/* Table shapes. Member order is the order DynamoDB reports violations in: write before read
 * capacity, attributeType before attributeName (live captures, 2026). */
static const struct field throughput_members[] = {
    {ROW("WriteCapacityUnits", FT_LONG), NOT_NULL, MIN(1)},
    {ROW("ReadCapacityUnits", FT_LONG), NOT_NULL, MIN(1)},
    END,
};
#define THROUGHPUT(n) {ROW((n), FT_STRUCT), JAVA("ProvisionedThroughput"), MEMBERS(throughput_members)}

static const struct field on_demand_members[] = {
    {ROW("MaxReadRequestUnits", FT_LONG)},
    {ROW("MaxWriteRequestUnits", FT_LONG)},
    END,
};
#define ON_DEMAND {ROW("OnDemandThroughput", FT_STRUCT), JAVA("OnDemandThroughput"), MEMBERS(on_demand_members)}

static const struct field warm_members[] = {
    {ROW("ReadUnitsPerSecond", FT_LONG)},
    {ROW("WriteUnitsPerSecond", FT_LONG)},
    END,
};
#define WARM {ROW("WarmThroughput", FT_STRUCT), JAVA("WarmThroughput"), MEMBERS(warm_members)}

static const struct field attr_def_members[] = {
    {ROW("AttributeType", FT_STRING), NOT_NULL, ENUM(E_ATTR_TYPE)},
    {ROW("AttributeName", FT_STRING), NOT_NULL, LEN(1, LIMIT_KEY_ATTR_NAME_MAX)},
    END,
};
static const struct field attr_def_elem = {ROW(NULL, FT_STRUCT), JAVA("AttributeDefinition"),
                                           MEMBERS(attr_def_members)};

static const struct field key_element_members[] = {
    {ROW("AttributeName", FT_STRING), NOT_NULL, LEN(1, LIMIT_KEY_ATTR_NAME_MAX)},
    {ROW("KeyType", FT_STRING), NOT_NULL, ENUM(E_KEY_TYPE)},
    END,
};
static const struct field key_element_elem = {ROW(NULL, FT_STRUCT), JAVA("KeySchemaElement"),
                                              MEMBERS(key_element_members)};
/* At most a hash and a range key: DynamoDB still reports "length less than or equal to 2". */
#define KEY_SCHEMA {ROW("KeySchema", FT_LIST), NOT_NULL, LEN(1, 2), ELEM(&key_element_elem)}

static const struct field projection_members[] = {
    {ROW("ProjectionType", FT_STRING), ENUM(E_PROJECTION)},
    {ROW("NonKeyAttributes", FT_LIST), LEN(1, 20), ELEM(&str_elem)},
    END,
};
#define PROJECTION {ROW("Projection", FT_STRUCT), NOT_NULL, JAVA("Projection"), MEMBERS(projection_members)}
#define INDEX_NAME {ROW("IndexName", FT_STRING), NOT_NULL, NAME_RULES}

static const struct field gsi_members[] = {
    INDEX_NAME,
    KEY_SCHEMA,
    PROJECTION,
    THROUGHPUT("ProvisionedThroughput"),
    ON_DEMAND,
    WARM,
    END,
};
static const struct field gsi_elem = {ROW(NULL, FT_STRUCT), JAVA("GlobalSecondaryIndex"), MEMBERS(gsi_members)};

static const struct field lsi_members[] = {
    INDEX_NAME,
    KEY_SCHEMA,
    PROJECTION,
    END,
};
static const struct field lsi_elem = {ROW(NULL, FT_STRUCT), JAVA("LocalSecondaryIndex"), MEMBERS(lsi_members)};

static const struct field stream_spec_members[] = {
    {ROW("StreamEnabled", FT_BOOL), NOT_NULL},
    {ROW("StreamViewType", FT_STRING), ENUM(E_VIEW_TYPE)},
    END,
};
#define STREAM_SPEC {ROW("StreamSpecification", FT_STRUCT), JAVA("StreamSpecification"), MEMBERS(stream_spec_members)}

static const struct field sse_spec_members[] = {
    {ROW("Enabled", FT_BOOL)},
    {ROW("SSEType", FT_STRING), ENUM(E_SSE_TYPE)},
    {ROW("KMSMasterKeyId", FT_STRING), MIN(1)},
    END,
};
#define SSE_SPEC {ROW("SSESpecification", FT_STRUCT), JAVA("SSESpecification"), MEMBERS(sse_spec_members)}

/* Tag keys and values are checked by table_rules/tags with their own messages, not here. */
static const struct field tag_members[] = {
    {ROW("Key", FT_STRING)},
    {ROW("Value", FT_STRING)},
    END,
};
static const struct field tag_elem = {ROW(NULL, FT_STRUCT), JAVA("Tag"), MEMBERS(tag_members)};
#define TAGS {ROW("Tags", FT_LIST), ELEM(&tag_elem)}

/* ====================================================================================== */
/* Operation specs (DynamoDB)                                                             */
/* ====================================================================================== */

static const struct field spec_none[] = {END};

static const struct field spec_table_name_only[] = {
    {ROW("TableName", FT_STRING), REQUIRED, TABLE_NAME_RULE, NAME_RULES},
    END,
};

static const struct field key_map_elem = {ROW(NULL, FT_PMAP), JAVA("AttributeValue"), ELEM(&av_elem)};
static const struct field keys_and_attributes_members[] = {
    /* the newer validator's words (2026 captures, tier3/error-messages/batchGetItem) */
    {ROW("Keys", FT_LIST), NOT_NULL, LEN(1, LIMIT_BATCH_GET_KEYS), AS_SENT,
     ELEM(&key_map_elem)},
    ATTRS_TO_GET,
    {ROW("ConsistentRead", FT_BOOL)},
    {ROW("ProjectionExpression", FT_STRING)},
    NAMES_MAP,
    END,
};
static const struct field keys_and_attributes_elem = {ROW(NULL, FT_STRUCT), JAVA("KeysAndAttributes"),
                                                      MEMBERS(keys_and_attributes_members)};
static const struct mapcheck table_name_keys = {LIMIT_TABLE_NAME_MIN, LIMIT_TABLE_NAME_MAX, PAT_NAME};

/* An absent or empty RequestItems is refused before anything else (dynalite's suite; 2026: the
 * newer validator's words for BatchGetItem in 32 of 33 regions, the older sentence for BatchWriteItem
 * in all). */
static const struct field spec_batch_get_item[] = {
    {ROW("RequestItems", FT_MAP), NOT_NULL, MIN(1), JAVA("KeysAndAttributes"), .keys = &table_name_keys,
     IF_ABSENT("1 validation error detected: Value at 'RequestItems' failed to satisfy constraint: Member must not be null"),
     IF_EMPTY("1 validation error detected: Value at 'RequestItems' failed to satisfy constraint: Member must have "
              "length greater than or equal to 1"),
     ELEM(&keys_and_attributes_elem)},
    {ROW("ReturnConsumedCapacity", FT_STRING), ENUM(E_RCC)},
    END,
};

static const struct field delete_request_members[] = {AV_MAP_NOT_NULL("Key"), END};
static const struct field put_request_members[] = {AV_MAP_NOT_NULL("Item"), END};
static const struct field write_request_members[] = {
    {ROW("DeleteRequest", FT_STRUCT), JAVA("DeleteRequest"), MEMBERS(delete_request_members)},
    {ROW("PutRequest", FT_STRUCT), JAVA("PutRequest"), MEMBERS(put_request_members)},
    END,
};
static const struct field write_request_elem = {ROW(NULL, FT_STRUCT), JAVA("WriteRequest"),
                                                MEMBERS(write_request_members)};
static const struct field write_list_elem = {ROW(NULL, FT_PLIST), ELEM(&write_request_elem)};
static const struct mapcheck write_list_values = {1, LIMIT_BATCH_WRITE_ITEMS, PAT_NONE};

static const struct field spec_batch_write_item[] = {
    {ROW("ReturnConsumedCapacity", FT_STRING), ENUM(E_RCC)},
    {ROW("ReturnItemCollectionMetrics", FT_STRING), ENUM(E_RICM)},
    {ROW("RequestItems", FT_MAP), NOT_NULL, MIN(1),
     JAVA("java.util.List<com.amazonaws.dynamodb.v20120810.WriteRequest>"), .keys = &table_name_keys,
     .values = &write_list_values, ELEM(&write_list_elem), JAVA_MAP,
     IF_ABSENT("The requestItems parameter is required for BatchWriteItem"),
     IF_EMPTY("The requestItems parameter is required for BatchWriteItem")},
    END,
};

/* Vector indexes (CreateTable's VectorIndexes): the request model of the 2026 API. */
static const char *const E_DISTANCE[] = {"COSINE", "EUCLIDEAN", "DOT_PRODUCT", NULL};
static const char *const E_SEARCH_SCHEMA[] = {"HASH", "INLINE_FILTER", NULL};
static const struct field vector_attribute_members[] = {
    {ROW("AttributeName", FT_STRING), NOT_NULL, LEN(1, 255)},
    END,
};
static const struct field search_schema_members[] = {
    {ROW("AttributeName", FT_STRING), NOT_NULL, LEN(1, 255)},
    {ROW("SearchSchemaElementType", FT_STRING), NOT_NULL, ENUM(E_SEARCH_SCHEMA)},
    END,
};
static const struct field search_schema_elem = {ROW(NULL, FT_STRUCT), JAVA("SearchSchemaElement"),
                                                MEMBERS(search_schema_members)};
static const struct field vector_index_members[] = {
    INDEX_NAME,
    {ROW("VectorAttribute", FT_STRUCT), NOT_NULL, JAVA("VectorAttribute"),
     MEMBERS(vector_attribute_members)},
    {ROW("Dimensions", FT_LONG), NOT_NULL, MIN(1)},
    {ROW("DistanceFunction", FT_STRING), NOT_NULL, ENUM(E_DISTANCE)},
    PROJECTION,
    {ROW("SearchSchema", FT_LIST), MIN(1), ELEM(&search_schema_elem)},
    END,
};
static const struct field vector_index_elem = {ROW(NULL, FT_STRUCT), JAVA("VectorIndex"),
                                               MEMBERS(vector_index_members)};

static const struct field spec_create_table[] = {
    {ROW("AttributeDefinitions", FT_LIST), NOT_NULL, ELEM(&attr_def_elem)},
    {ROW("TableName", FT_STRING), REQUIRED, TABLE_NAME_RULE, NAME_RULES},
    {ROW("BillingMode", FT_STRING), ENUM(E_BILLING)},
    THROUGHPUT("ProvisionedThroughput"),
    KEY_SCHEMA,
    {ROW("GlobalSecondaryIndexes", FT_LIST), ELEM(&gsi_elem)},
    {ROW("LocalSecondaryIndexes", FT_LIST), ELEM(&lsi_elem)},
    {ROW("VectorIndexes", FT_LIST), ELEM(&vector_index_elem)},
    STREAM_SPEC,
    SSE_SPEC,
    TAGS,
    {ROW("TableClass", FT_STRING)}, /* no enum: table_rules gives DynamoDB's own message */
    {ROW("DeletionProtectionEnabled", FT_BOOL)},
    {ROW("ResourcePolicy", FT_STRING)},
    ON_DEMAND,
    WARM,
    {ROW("GlobalTableSourceArn", FT_STRING)},
    {ROW("GlobalTableSettingsReplicationMode", FT_STRING)},
    END,
};

/* TableName of the item operations: 1..255 and the name pattern, aggregated with the other
 * constraints as before, except "": that is refused first and alone, in its own words (no value,
 * the member's wire name), by every region that moved (captures 2026-06-09 eu-west-2, 2026-08-12
 * us-east-1: s_put_table_empty, o_put_empty_table_bad_rv, o_del_empty_table, o_upd_empty_table);
 * 'a'*256, 'bad table!@#' and null keep the "Value '...' at 'tableName'" form everywhere. */
#define ITEM_TABLE_NAME_EMPTY                                                                      \
    "1 validation error detected: Value at 'TableName' failed to satisfy constraint: Member must " \
    "have length greater than or equal to 1"
#define ITEM_TABLE_NAME                                                                           \
    {ROW("TableName", FT_STRING), NOT_NULL, LEN(LIMIT_ITEM_OP_TABLE_NAME_MIN, LIMIT_TABLE_NAME_MAX), \
     PAT, IF_EMPTY(ITEM_TABLE_NAME_EMPTY)}

#define ITEM_OP_COMMON                                     \
    {ROW("ReturnConsumedCapacity", FT_STRING), ENUM(E_RCC)},    \
    ITEM_TABLE_NAME

static const struct field spec_delete_item[] = {
    ITEM_OP_COMMON,
    RETURN_VALUES,
    {ROW("ReturnItemCollectionMetrics", FT_STRING), ENUM(E_RICM)},
    AV_MAP_NOT_NULL("Key"),
    {ROW("ConditionalOperator", FT_STRING), ENUM(E_COND_OP)},
    EXPECTED,
    {ROW("ConditionExpression", FT_STRING)},
    VALUES_MAP,
    NAMES_MAP,
    {ROW("ReturnValuesOnConditionCheckFailure", FT_STRING), ENUM(E_RVOCCF)},
    END,
};

static const struct field spec_get_item[] = {
    {ROW("ReturnConsumedCapacity", FT_STRING), ENUM(E_RCC)},
    ATTRS_TO_GET,
    ITEM_TABLE_NAME,
    AV_MAP_NOT_NULL("Key"),
    {ROW("ConsistentRead", FT_BOOL)},
    {ROW("ProjectionExpression", FT_STRING)},
    NAMES_MAP,
    END,
};

static const struct field spec_list_tables[] = {
    {ROW("Limit", FT_INT), RANGE(1, LIMIT_LIST_TABLES_MAX)},
    {ROW("ExclusiveStartTableName", FT_STRING), PATTERN_FIRST, NAME_RULES},
    END,
};

static const struct field spec_put_item[] = {
    ITEM_OP_COMMON,
    AV_MAP_NOT_NULL("Item"),
    {ROW("ConditionalOperator", FT_STRING), ENUM(E_COND_OP)},
    EXPECTED,
    RETURN_VALUES,
    {ROW("ReturnItemCollectionMetrics", FT_STRING), ENUM(E_RICM)},
    {ROW("ConditionExpression", FT_STRING)},
    VALUES_MAP,
    NAMES_MAP,
    {ROW("ReturnValuesOnConditionCheckFailure", FT_STRING), ENUM(E_RVOCCF)},
    END,
};

static const struct field spec_query[] = {
    {ROW("Select", FT_STRING), ENUM(E_SELECT)},
    {ROW("IndexName", FT_STRING), NAME_RULES},
    {ROW("ReturnConsumedCapacity", FT_STRING), ENUM(E_RCC)},
    CONDITIONS("QueryFilter"),
    ITEM_TABLE_NAME,
    {ROW("ConditionalOperator", FT_STRING), ENUM(E_COND_OP)},
    ATTRS_TO_GET,
    /* Query's Limit under 1 is refused alone, without the value (nubo-db tier3 query.test.ts,
     * newest revision; no regional split for Query) */
    {ROW("Limit", FT_INT), MIN(1), IF_BELOW("1 validation error detected: Value at 'Limit' failed to "
                                            "satisfy constraint: Member must have value greater than "
                                            "or equal to 1")},
    CONDITIONS("KeyConditions"),
    AV_MAP("ExclusiveStartKey"),
    {ROW("ConsistentRead", FT_BOOL)},
    {ROW("ScanIndexForward", FT_BOOL)},
    {ROW("KeyConditionExpression", FT_STRING)},
    {ROW("FilterExpression", FT_STRING)},
    {ROW("ProjectionExpression", FT_STRING)},
    VALUES_MAP,
    NAMES_MAP,
    END,
};

static const struct field spec_scan[] = {
    {ROW("Select", FT_STRING), ENUM(E_SELECT)},
    {ROW("IndexName", FT_STRING), NAME_RULES},
    {ROW("TotalSegments", FT_INT), RANGE(1, LIMIT_TOTAL_SEGMENTS)},
    {ROW("ReturnConsumedCapacity", FT_STRING), ENUM(E_RCC)},
    ITEM_TABLE_NAME,
    {ROW("ConditionalOperator", FT_STRING), ENUM(E_COND_OP)},
    CONDITIONS("ScanFilter"),
    {ROW("Segment", FT_INT), MIN(0)},
    {ROW("Limit", FT_INT), MIN(1)},
    ATTRS_TO_GET,
    AV_MAP("ExclusiveStartKey"),
    {ROW("ConsistentRead", FT_BOOL)},
    {ROW("FilterExpression", FT_STRING)},
    {ROW("ProjectionExpression", FT_STRING)},
    VALUES_MAP,
    NAMES_MAP,
    END,
};

/* Tag operations: DynamoDB checks the ARN before anything else with its own messages ("Invalid
 * TableArn", AccessDeniedException), so these specs only fix the wire types (ops/tags.c). */
static const struct field spec_tag_resource[] = {
    {ROW("ResourceArn", FT_STRING)},
    TAGS,
    END,
};
static const struct field spec_untag_resource[] = {
    {ROW("ResourceArn", FT_STRING)},
    {ROW("TagKeys", FT_LIST), ELEM(&str_elem)},
    END,
};
static const struct field spec_list_tags_of_resource[] = {
    {ROW("ResourceArn", FT_STRING)},
    {ROW("NextToken", FT_STRING)},
    END,
};

/* TransactGetItems / TransactWriteItems: up to 100 actions; member constraints (enums, list
 * length, token length, table-name pattern) are reported together, before any action is read. */
static const struct field get_members[] = {
    AV_MAP_NOT_NULL("Key"),
    {ROW("TableName", FT_STRING), NOT_NULL, NAME_RULES},
    {ROW("ProjectionExpression", FT_STRING)},
    NAMES_MAP,
    END,
};
static const struct field transact_get_members[] = {
    {ROW("Get", FT_STRUCT), NOT_NULL, JAVA("Get"), MEMBERS(get_members)},
    END,
};
static const struct field transact_get_elem = {ROW(NULL, FT_STRUCT), JAVA("TransactGetItem"),
                                               MEMBERS(transact_get_members)};
static const struct field spec_transact_get_items[] = {
    {ROW("TransactItems", FT_LIST), NOT_NULL, LEN(1, LIMIT_TRANSACT_ITEMS),
     ELEM(&transact_get_elem)},
    {ROW("ReturnConsumedCapacity", FT_STRING), ENUM(E_RCC)},
    END,
};

#define TRANSACT_COMMON                                                \
    {ROW("TableName", FT_STRING), NOT_NULL, NAME_RULES},                    \
    VALUES_MAP,                                                        \
    NAMES_MAP,                                                         \
    {ROW("ReturnValuesOnConditionCheckFailure", FT_STRING), ENUM(E_RVOCCF)}

static const struct field condition_check_members[] = {
    TRANSACT_COMMON,
    {ROW("ConditionExpression", FT_STRING), NOT_NULL},
    AV_MAP_NOT_NULL("Key"),
    END,
};
static const struct field put_members[] = {
    TRANSACT_COMMON,
    {ROW("ConditionExpression", FT_STRING)},
    AV_MAP_NOT_NULL("Item"),
    END,
};
static const struct field delete_members[] = {
    TRANSACT_COMMON,
    {ROW("ConditionExpression", FT_STRING)},
    AV_MAP_NOT_NULL("Key"),
    END,
};
static const struct field update_members[] = {
    TRANSACT_COMMON,
    {ROW("ConditionExpression", FT_STRING)},
    AV_MAP_NOT_NULL("Key"),
    {ROW("UpdateExpression", FT_STRING), NOT_NULL},
    END,
};
static const struct field transact_write_members[] = {
    {ROW("ConditionCheck", FT_STRUCT), JAVA("ConditionCheck"), MEMBERS(condition_check_members)},
    {ROW("Put", FT_STRUCT), JAVA("Put"), MEMBERS(put_members)},
    {ROW("Delete", FT_STRUCT), JAVA("Delete"), MEMBERS(delete_members)},
    {ROW("Update", FT_STRUCT), JAVA("Update"), MEMBERS(update_members)},
    END,
};
static const struct field transact_write_elem = {ROW(NULL, FT_STRUCT), JAVA("TransactWriteItem"),
                                                 MEMBERS(transact_write_members)};
static const struct field spec_transact_write_items[] = {
    {ROW("ClientRequestToken", FT_STRING), LEN(1, 36)},
    {ROW("ReturnConsumedCapacity", FT_STRING), ENUM(E_RCC)},
    {ROW("ReturnItemCollectionMetrics", FT_STRING), ENUM(E_RICM)},
    {ROW("TransactItems", FT_LIST), NOT_NULL, LEN(1, LIMIT_TRANSACT_ITEMS),
     ELEM(&transact_write_elem)},
    END,
};

/* PartiQL: ExecuteStatement, BatchExecuteStatement (up to 25 statements), ExecuteTransaction
 * (up to 100). Statements are 1..8192 characters; Parameters has at least one member. */
#define PARTIQL_STATEMENT {ROW("Statement", FT_STRING), NOT_NULL, LEN(1, LIMIT_PARTIQL_STATEMENT)}
#define PARTIQL_PARAMETERS {ROW("Parameters", FT_LIST), MIN(1), ELEM(&av_elem)}
static const struct field spec_execute_statement[] = {
    PARTIQL_STATEMENT,
    PARTIQL_PARAMETERS,
    {ROW("ConsistentRead", FT_BOOL)},
    {ROW("NextToken", FT_STRING), LEN(1, 32768)},
    {ROW("ReturnConsumedCapacity", FT_STRING), ENUM(E_RCC)},
    {ROW("Limit", FT_INT), MIN(1)},
    {ROW("ReturnValuesOnConditionCheckFailure", FT_STRING), ENUM(E_RVOCCF)},
    END,
};
static const struct field batch_statement_members[] = {
    PARTIQL_STATEMENT,
    PARTIQL_PARAMETERS,
    {ROW("ConsistentRead", FT_BOOL)},
    {ROW("ReturnValuesOnConditionCheckFailure", FT_STRING), ENUM(E_RVOCCF)},
    END,
};
static const struct field batch_statement_elem = {ROW(NULL, FT_STRUCT), JAVA("BatchStatementRequest"),
                                                  MEMBERS(batch_statement_members)};
static const struct field spec_batch_execute_statement[] = {
    {ROW("Statements", FT_LIST), NOT_NULL, LEN(1, LIMIT_PARTIQL_BATCH), ELEM(&batch_statement_elem)},
    {ROW("ReturnConsumedCapacity", FT_STRING), ENUM(E_RCC)},
    END,
};
static const struct field transact_statement_members[] = {
    PARTIQL_STATEMENT,
    PARTIQL_PARAMETERS,
    {ROW("ReturnValuesOnConditionCheckFailure", FT_STRING), ENUM(E_RVOCCF)},
    END,
};
static const struct field transact_statement_elem = {ROW(NULL, FT_STRUCT), JAVA("ParameterizedStatement"),
                                                     MEMBERS(transact_statement_members)};
static const struct field spec_execute_transaction[] = {
    {ROW("TransactStatements", FT_LIST), NOT_NULL, LEN(1, LIMIT_TRANSACT_ITEMS),
     ELEM(&transact_statement_elem)},
    {ROW("ClientRequestToken", FT_STRING), LEN(1, 36)},
    {ROW("ReturnConsumedCapacity", FT_STRING), ENUM(E_RCC)},
    END,
};

/* Table settings (table_settings.c): TableName may be a table name or ARN (1..1024). */
#define TABLE_NAME_OR_ARN {ROW("TableName", FT_STRING), NOT_NULL, LEN(1, 1024)}
static const char *const E_INSIGHTS_ACTION[] = {"ENABLE", "DISABLE", NULL};
static const char *const E_INSIGHTS_MODE[] = {"ACCESSED_AND_THROTTLED_KEYS", "THROTTLED_KEYS", NULL};
static const struct field spec_describe_continuous_backups[] = {
    TABLE_NAME_OR_ARN,
    END,
};
static const struct field pitr_members[] = {
    {ROW("PointInTimeRecoveryEnabled", FT_BOOL), NOT_NULL},
    {ROW("RecoveryPeriodInDays", FT_INT), RANGE(1, 35)},
    END,
};
static const struct field spec_update_continuous_backups[] = {
    TABLE_NAME_OR_ARN,
    {ROW("PointInTimeRecoverySpecification", FT_STRUCT), NOT_NULL,
     JAVA("PointInTimeRecoverySpecification"), MEMBERS(pitr_members)},
    END,
};
static const struct field spec_describe_contributor_insights[] = {
    TABLE_NAME_OR_ARN,
    {ROW("IndexName", FT_STRING), NAME_RULES},
    END,
};
static const struct field spec_update_contributor_insights[] = {
    TABLE_NAME_OR_ARN,
    {ROW("IndexName", FT_STRING), NAME_RULES},
    {ROW("ContributorInsightsAction", FT_STRING), NOT_NULL, ENUM(E_INSIGHTS_ACTION)},
    {ROW("ContributorInsightsMode", FT_STRING), ENUM(E_INSIGHTS_MODE)},
    END,
};
static const struct field spec_list_contributor_insights[] = {
    {ROW("TableName", FT_STRING), LEN(1, 1024)},
    {ROW("NextToken", FT_STRING)},
    {ROW("MaxResults", FT_INT), MAX(100)},
    END,
};
#define RESOURCE_ARN {ROW("ResourceArn", FT_STRING), NOT_NULL, LEN(1, 1283)}
#define EXPECTED_REVISION {ROW("ExpectedRevisionId", FT_STRING), LEN(1, 255)}
static const struct field spec_get_resource_policy[] = {
    RESOURCE_ARN,
    END,
};
static const struct field spec_put_resource_policy[] = {
    RESOURCE_ARN,
    {ROW("Policy", FT_STRING), NOT_NULL},
    EXPECTED_REVISION,
    {ROW("ConfirmRemoveSelfResourceAccess", FT_BOOL)},
    END,
};
static const struct field spec_delete_resource_policy[] = {
    RESOURCE_ARN,
    EXPECTED_REVISION,
    END,
};

/* On-demand backups (backups.c). */
#define BACKUP_ARN {ROW("BackupArn", FT_STRING), NOT_NULL, LEN(37, 1024)}
static const char *const E_BACKUP_TYPE[] = {"USER", "SYSTEM", "AWS_BACKUP", "ALL", NULL};
static const struct field spec_create_backup[] = {
    TABLE_NAME_OR_ARN,
    {ROW("BackupName", FT_STRING), NOT_NULL, NAME_RULES},
    END,
};
static const struct field spec_backup_arn_only[] = {
    BACKUP_ARN,
    END,
};
static const struct field spec_list_backups[] = {
    {ROW("TableName", FT_STRING), LEN(1, 1024)},
    {ROW("Limit", FT_INT), RANGE(1, 100)},
    {ROW("TimeRangeLowerBound", FT_LONG)},
    {ROW("TimeRangeUpperBound", FT_LONG)},
    {ROW("ExclusiveStartBackupArn", FT_STRING), LEN(37, 1024)},
    {ROW("BackupType", FT_STRING), ENUM(E_BACKUP_TYPE)},
    END,
};
static const struct field spec_restore_table_from_backup[] = {
    {ROW("TargetTableName", FT_STRING), NOT_NULL, NAME_RULES},
    BACKUP_ARN,
    {ROW("BillingModeOverride", FT_STRING), ENUM(E_BILLING)},
    THROUGHPUT("ProvisionedThroughputOverride"),
    {ROW("GlobalSecondaryIndexOverride", FT_LIST), ELEM(&gsi_elem)},
    {ROW("LocalSecondaryIndexOverride", FT_LIST), ELEM(&lsi_elem)},
    END,
};

static const struct field spec_update_item[] = {
    ITEM_OP_COMMON,
    {ROW("ReturnItemCollectionMetrics", FT_STRING), ENUM(E_RICM)},
    /* 2026-08-12 us-east-1: with ReturnConsumedCapacity also bad, only this one is reported */
    {ROW("ReturnValues", FT_STRING), ENUM(E_RETURN_VALUES), ENUM_TEXT(RETURN_VALUES_ENUM_TEXT), ALONE},
    AV_MAP_NOT_NULL("Key"),
    {ROW("ConditionalOperator", FT_STRING), ENUM(E_COND_OP)},
    EXPECTED,
    {ROW("AttributeUpdates", FT_MAP), JAVA("AttributeValueUpdate"), ELEM(&attribute_update_elem)},
    {ROW("ConditionExpression", FT_STRING)},
    {ROW("UpdateExpression", FT_STRING)},
    VALUES_MAP,
    NAMES_MAP,
    {ROW("ReturnValuesOnConditionCheckFailure", FT_STRING), ENUM(E_RVOCCF)},
    END,
};

/* UpdateTable: index throughput is optional (on-demand tables); table_rules_check_update and the
 * op handler apply the rules that depend on the billing mode. */
static const struct field gsi_update_action_members[] = {
    INDEX_NAME,
    THROUGHPUT("ProvisionedThroughput"),
    ON_DEMAND,
    WARM,
    END,
};
static const struct field gsi_create_action_members[] = {
    INDEX_NAME,
    KEY_SCHEMA,
    PROJECTION,
    THROUGHPUT("ProvisionedThroughput"),
    ON_DEMAND,
    WARM,
    END,
};
static const struct field gsi_delete_action_members[] = {INDEX_NAME, END};
static const struct field gsi_update_members[] = {
    {ROW("Update", FT_STRUCT), JAVA("UpdateGlobalSecondaryIndexAction"), MEMBERS(gsi_update_action_members)},
    {ROW("Create", FT_STRUCT), JAVA("CreateGlobalSecondaryIndexAction"), MEMBERS(gsi_create_action_members)},
    {ROW("Delete", FT_STRUCT), JAVA("DeleteGlobalSecondaryIndexAction"), MEMBERS(gsi_delete_action_members)},
    END,
};

/* Global-table members are typed so that they reach the handler (which refuses them). */
static const struct field region_only_members[] = {{ROW("RegionName", FT_STRING), NOT_NULL}, END};
static const struct field replica_action_members[] = {
    {ROW("RegionName", FT_STRING), NOT_NULL},
    {ROW("KMSMasterKeyId", FT_STRING)},
    {ROW("TableClassOverride", FT_STRING)},
    END,
};
static const struct field replica_update_members[] = {
    {ROW("Create", FT_STRUCT), JAVA("CreateReplicationGroupMemberAction"), MEMBERS(replica_action_members)},
    {ROW("Update", FT_STRUCT), JAVA("UpdateReplicationGroupMemberAction"), MEMBERS(replica_action_members)},
    {ROW("Delete", FT_STRUCT), JAVA("DeleteReplicationGroupMemberAction"), MEMBERS(region_only_members)},
    END,
};
static const struct field witness_update_members[] = {
    {ROW("Create", FT_STRUCT), JAVA("CreateGlobalTableWitnessGroupMemberAction"), MEMBERS(region_only_members)},
    {ROW("Delete", FT_STRUCT), JAVA("DeleteGlobalTableWitnessGroupMemberAction"), MEMBERS(region_only_members)},
    END,
};

static const struct field gsi_update_elem = {ROW(NULL, FT_STRUCT), JAVA("GlobalSecondaryIndexUpdate"),
                                             MEMBERS(gsi_update_members)};
static const struct field replica_update_elem = {ROW(NULL, FT_STRUCT), JAVA("ReplicationGroupUpdate"),
                                                 MEMBERS(replica_update_members)};
static const struct field witness_update_elem = {ROW(NULL, FT_STRUCT), JAVA("GlobalTableWitnessGroupUpdate"),
                                                 MEMBERS(witness_update_members)};

static const struct field spec_update_table[] = {
    {ROW("TableName", FT_STRING), REQUIRED, TABLE_NAME_RULE, NAME_RULES},
    {ROW("AttributeDefinitions", FT_LIST), ELEM(&attr_def_elem)},
    THROUGHPUT("ProvisionedThroughput"),
    {ROW("BillingMode", FT_STRING), ENUM(E_BILLING)},
    {ROW("GlobalSecondaryIndexUpdates", FT_LIST),
     ELEM(&gsi_update_elem)},
    STREAM_SPEC,
    SSE_SPEC,
    {ROW("ReplicaUpdates", FT_LIST), MIN(1),
     ELEM(&replica_update_elem)},
    {ROW("TableClass", FT_STRING)},
    {ROW("DeletionProtectionEnabled", FT_BOOL)},
    {ROW("MultiRegionConsistency", FT_STRING), ENUM(E_MR_CONSISTENCY)},
    {ROW("GlobalTableWitnessUpdates", FT_LIST), LEN(1, 1),
     ELEM(&witness_update_elem)},
    ON_DEMAND,
    WARM,
    {ROW("GlobalTableSettingsReplicationMode", FT_STRING)},
    END,
};

/* DynamoDB names attributeName before enabled when both are missing (2026 capture) */
static const struct field ttl_spec_members[] = {
    {ROW("AttributeName", FT_STRING), NOT_NULL, LEN(1, LIMIT_KEY_ATTR_NAME_MAX)},
    {ROW("Enabled", FT_BOOL), NOT_NULL},
    END,
};
static const struct field spec_update_time_to_live[] = {
    {ROW("TableName", FT_STRING), REQUIRED, TABLE_NAME_RULE, NAME_RULES},
    {ROW("TimeToLiveSpecification", FT_STRUCT), NOT_NULL, JAVA("TimeToLiveSpecification"), MEMBERS(ttl_spec_members)},
    END,
};

/* ====================================================================================== */
/* Operation specs (DynamoDB Streams)                                                     */
/* ====================================================================================== */
/* The upper bounds of Limit (100 for ListStreams/DescribeStream, 1000 for GetRecords) are not
 * model constraints: DynamoDB Streams reports them later with its own words (streams_api.c). */

#define STREAM_ARN_LEN LEN(37, 1024)
#define SHARD_ID_LEN LEN(28, 65)

static const struct field spec_list_streams[] = {
    {ROW("TableName", FT_STRING), NAME_RULES},
    {ROW("Limit", FT_INT), MIN(1)},
    {ROW("ExclusiveStartStreamArn", FT_STRING), STREAM_ARN_LEN},
    END,
};

static const struct field shard_filter_members[] = {
    {ROW("Type", FT_STRING), ENUM(E_SHARD_FILTER)},
    {ROW("ShardId", FT_STRING), SHARD_ID_LEN},
    END,
};
static const struct field spec_describe_stream[] = {
    {ROW("StreamArn", FT_STRING), NOT_NULL, STREAM_ARN_LEN},
    {ROW("Limit", FT_INT), MIN(1)},
    {ROW("ExclusiveStartShardId", FT_STRING), SHARD_ID_LEN},
    {ROW("ShardFilter", FT_STRUCT), JAVA("ShardFilter"), MEMBERS(shard_filter_members)},
    END,
};

static const struct field spec_get_shard_iterator[] = {
    {ROW("StreamArn", FT_STRING), NOT_NULL, STREAM_ARN_LEN},
    {ROW("ShardId", FT_STRING), NOT_NULL, SHARD_ID_LEN},
    {ROW("ShardIteratorType", FT_STRING), NOT_NULL, ENUM(E_ITERATOR_TYPE)},
    {ROW("SequenceNumber", FT_STRING), LEN(21, 40)},
    END,
};

static const struct field spec_get_records[] = {
    {ROW("ShardIterator", FT_STRING), NOT_NULL, LEN(1, 2048)},
    {ROW("Limit", FT_INT), MIN(1)},
    END,
};

static const struct {
    const char *op;
    const struct field *spec;
} op_specs[] = {
    {"BatchGetItem", spec_batch_get_item},
    {"BatchExecuteStatement", spec_batch_execute_statement},
    {"BatchWriteItem", spec_batch_write_item},
    {"CreateBackup", spec_create_backup},
    {"CreateTable", spec_create_table},
    {"DeleteBackup", spec_backup_arn_only},
    {"DeleteItem", spec_delete_item},
    {"DeleteResourcePolicy", spec_delete_resource_policy},
    {"DeleteTable", spec_table_name_only},
    {"DescribeBackup", spec_backup_arn_only},
    {"DescribeContinuousBackups", spec_describe_continuous_backups},
    {"DescribeContributorInsights", spec_describe_contributor_insights},
    {"DescribeEndpoints", spec_none},
    {"DescribeLimits", spec_none},
    {"DescribeTable", spec_table_name_only},
    {"DescribeTimeToLive", spec_table_name_only},
    {"ExecuteStatement", spec_execute_statement},
    {"ExecuteTransaction", spec_execute_transaction},
    {"GetItem", spec_get_item},
    {"GetResourcePolicy", spec_get_resource_policy},
    {"ListBackups", spec_list_backups},
    {"ListContributorInsights", spec_list_contributor_insights},
    {"ListTables", spec_list_tables},
    {"ListTagsOfResource", spec_list_tags_of_resource},
    {"PutItem", spec_put_item},
    {"PutResourcePolicy", spec_put_resource_policy},
    {"Query", spec_query},
    {"RestoreTableFromBackup", spec_restore_table_from_backup},
    {"Scan", spec_scan},
    {"TagResource", spec_tag_resource},
    {"TransactGetItems", spec_transact_get_items},
    {"TransactWriteItems", spec_transact_write_items},
    {"UntagResource", spec_untag_resource},
    {"UpdateContinuousBackups", spec_update_continuous_backups},
    {"UpdateContributorInsights", spec_update_contributor_insights},
    {"UpdateItem", spec_update_item},
    {"UpdateTable", spec_update_table},
    {"UpdateTimeToLive", spec_update_time_to_live},
    /* DynamoDB Streams */
    {"DescribeStream", spec_describe_stream},
    {"GetRecords", spec_get_records},
    {"GetShardIterator", spec_get_shard_iterator},
    {"ListStreams", spec_list_streams},
};

/* ====================================================================================== */
/* Stage 1: wire types (SerializationException) and normalisation                         */
/* ====================================================================================== */

#define NS "com.amazonaws.dynamodb.v20120810."
#define CAST_MESSAGE                                                                            \
    "class sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl cannot be cast to class " \
    "java.lang.Class (sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl and "          \
    "java.lang.Class are in module java.base of loader 'bootstrap')"

enum position { POS_MEMBER, POS_VALUE }; /* a struct member, or a list element / map value */

/* Type-conversion errors are SerializationExceptions whose body key is "Message" (DynamoDB's). */
__attribute__((format(printf, 2, 3)))
static int type_error(struct err *err, const char *fmt, ...)
{
    va_list ap;
    if (err_isset(err))
        return -1;
    va_start(ap, fmt);
    err_setv(err, ERR_SERIALIZATION, fmt, ap);
    va_end(ap);
    err->capital_message = 1;
    return -1;
}

/* Jackson's name of the token found where another was expected. */
static const char *token_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_TRUE: return "TRUE_VALUE";
    case JSON_FALSE: return "FALSE_VALUE";
    case JSON_INTEGER: return "NUMBER_VALUE";
    case JSON_REAL: return "DECIMAL_VALUE";
    case JSON_STRING: return "STRING_VALUE";
    default: return "NULL_VALUE";
    }
}

/* A list or object where a scalar of Java class `cls` was expected. */
static int container_error(const json_t *v, const char *cls, struct err *err)
{
    if (json_is_array(v))
        return type_error(err, "Unrecognized collection type class %s", cls);
    return type_error(err, "Start of structure or map found where not expected");
}

/* Length as Java counts it (UTF-16 code units) of valid UTF-8. */
static size_t utf16_length(const char *s, size_t n)
{
    size_t units = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c & 0xC0) != 0x80)
            units += (c >= 0xF0) ? 2 : 1;
    }
    return units;
}

static int base64_digit(unsigned char c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

/* Blob text must be canonical standard base64: what dynalite accepts is exactly what re-encodes
 * to itself, so padding is required and the unused bits of the last digit must be zero. */
static int check_base64(const char *s, size_t n, struct err *err)
{
    size_t pad = 0, units = utf16_length(s, n);
    int last;

    if (units % 4 != 0)
        return type_error(err, "Base64 encoded length is expected a multiple of 4 bytes but found: %zu", units);
    if (n == 0)
        return 0;
    if (s[n - 1] == '=')
        pad = (s[n - 2] == '=') ? 2 : 1;
    for (size_t i = 0; i < n - pad; i++)
        if (base64_digit((unsigned char)s[i]) < 0)
            goto invalid;
    last = base64_digit((unsigned char)s[n - pad - 1]);
    if ((pad == 1 && (last & 0x3) != 0) || (pad == 2 && (last & 0xF) != 0))
        goto invalid;
    return 0;
invalid:
    return type_error(err, "Invalid last non-pad Base64 character dectected");
}

/* "true"/"1"/"yes" and "false"/"0"/"no", in any case, convert to booleans (dynalite's finding). */
static int parse_bool_text(const char *s, int *out)
{
    static const char *const yes[] = {"true", "1", "yes"}, *const no[] = {"false", "0", "no"};
    for (size_t i = 0; i < 3; i++) {
        if (strcasecmp(s, yes[i]) == 0) return *out = 1, 0;
        if (strcasecmp(s, no[i]) == 0) return *out = 0, 0;
    }
    return -1;
}

/* Integral fields given as decimals are floored, as DynamoDB's deserializer does. */
static json_t *floor_to_integer(double d)
{
    double f = floor(d);
    if (f >= 9.2233720368547758e18)
        return json_integer(INT64_MAX);
    if (f <= -9.2233720368547758e18)
        return json_integer(INT64_MIN);
    return json_integer((json_int_t)f);
}

static const struct field *find_member(const struct field *members, const char *key)
{
    for (const struct field *m = members; m->name != NULL; m++)
        if (strcmp(m->name, key) == 0)
            return m;
    return NULL;
}

static int check_type(const struct field *f, json_t *v, enum position pos, json_t **repl, struct err *err);

/* Drops unknown and null members, checks the rest in document order (the deserializer streams). */
static int check_members(const struct field *members, json_t *obj, struct err *err)
{
    const char *key;
    json_t *v;
    void *next;

    json_object_foreach_safe(obj, next, key, v) {
        const struct field *m = find_member(members, key);
        json_t *repl = NULL;
        if (m == NULL || json_is_null(v)) {
            json_object_del(obj, key);
            continue;
        }
        if (check_type(m, v, POS_MEMBER, &repl, err) < 0)
            return -1;
        if (repl != NULL && json_object_set_new(obj, key, repl) < 0)
            return err_set(err, ERR_INTERNAL, "out of memory");
    }
    return 0;
}

/* List elements and map values: nulls are kept (the deserializer keeps them); the rest checked. */
static int check_elements(const struct field *elem, json_t *container, struct err *err)
{
    json_t *v, *repl;

    if (json_is_array(container)) {
        size_t i;
        json_array_foreach(container, i, v) {
            repl = NULL;
            if (json_is_null(v))
                continue;
            if (check_type(elem, v, POS_VALUE, &repl, err) < 0)
                return -1;
            if (repl != NULL && json_array_set_new(container, i, repl) < 0)
                return err_set(err, ERR_INTERNAL, "out of memory");
        }
    } else {
        const char *key;
        void *next;
        json_object_foreach_safe(container, next, key, v) {
            repl = NULL;
            if (json_is_null(v))
                continue;
            if (check_type(elem, v, POS_VALUE, &repl, err) < 0)
                return -1;
            if (repl != NULL && json_object_set_new(container, key, repl) < 0)
                return err_set(err, ERR_INTERNAL, "out of memory");
        }
    }
    return 0;
}

/* Checks one non-null value against its row; *repl receives a new value when it is normalised. */
static int check_type(const struct field *f, json_t *v, enum position pos, json_t **repl, struct err *err)
{
    const char *java = f->java;
    int b;

    switch (f->type) {
    case FT_STRING:
        if (json_is_string(v))
            return 0;
        if (json_is_array(v) || json_is_object(v))
            return container_error(v, "java.lang.String", err);
        return type_error(err, "%s cannot be converted to String", token_name(v));

    case FT_BOOL:
        if (json_is_boolean(v))
            return 0;
        if (json_is_string(v)) {
            if (parse_bool_text(json_string_value(v), &b) < 0)
                return type_error(err, "Unexpected token received from parser");
            *repl = json_boolean(b);
            return 0;
        }
        if (json_is_array(v) || json_is_object(v))
            return container_error(v, "java.lang.Boolean", err);
        return type_error(err, "%s cannot be converted to Boolean", token_name(v));

    case FT_INT:
    case FT_LONG: {
        const char *name = f->type == FT_INT ? "Integer" : "Long";
        if (json_is_integer(v))
            return 0;
        if (json_is_real(v)) {
            *repl = floor_to_integer(json_real_value(v));
            return 0;
        }
        if (json_is_array(v) || json_is_object(v))
            return container_error(v, f->type == FT_INT ? "java.lang.Integer" : "java.lang.Long", err);
        return type_error(err, "%s cannot be converted to %s", token_name(v), name);
    }

    case FT_BLOB:
        if (json_is_string(v))
            return check_base64(json_string_value(v), json_string_length(v), err);
        if (json_is_array(v) || json_is_object(v))
            return container_error(v, "java.nio.ByteBuffer", err);
        return type_error(err, "only base-64-encoded strings are convertible to bytes");

    case FT_LIST:
    case FT_PLIST:
        if (json_is_array(v))
            return check_elements(f->elem, v, err);
        if (json_is_object(v))
            return type_error(err, "Start of structure or map found where not expected");
        return type_error(err, "%s", f->type == FT_LIST ? "Unexpected field type" : CAST_MESSAGE);

    case FT_MAP:
    case FT_PMAP:
        if (json_is_object(v))
            return check_elements(f->elem, v, err);
        if (json_is_array(v))
            return type_error(err, "Unrecognized collection type java.util.Map<java.lang.String, %s%s>",
                              strchr(java, '.') != NULL ? "" : NS, java);
        return type_error(err, "%s", f->type == FT_MAP ? "Unexpected field type" : CAST_MESSAGE);

    case FT_STRUCT:
        if (json_is_object(v))
            return check_members(f->members, v, err);
        if (json_is_array(v))
            return type_error(err, "Unrecognized collection type class " NS "%s", java);
        return type_error(err, "%s", pos == POS_MEMBER ? "Unexpected field type" : "Unexpected value type in payload");
    }
    return err_set(err, ERR_INTERNAL, "reqspec: bad field type %d", (int)f->type);
}

/* ====================================================================================== */
/* Stage 2: constraints (one aggregated ValidationException)                              */
/* ====================================================================================== */

#define MAX_VIOLATIONS 10 /* DynamoDB reports at most ten */
#define MAX_FRAMES 32     /* deeper than any spec */
#define NAME_PATTERN_TEXT "[a-zA-Z0-9_.-]+"

enum frame_kind { FR_NAME, FR_INDEX, FR_KEY };

struct frame {
    enum frame_kind kind;
    const char *text; /* FR_NAME: wire name (printed lower-first); FR_KEY: map key */
    size_t index;     /* FR_INDEX: zero-based position (printed one-based) */
};

struct violations {
    struct frame frames[MAX_FRAMES]; /* path of the value being checked; formatted only on error */
    int depth;
    int count;
    FILE *out; /* opened on the first violation: the happy path allocates nothing */
    char *text;
    size_t text_len;
    int oom;
    int as_sent; /* the violation being recorded names no value, and wire names (AS_SENT) */
};

static int pattern_ok(enum pattern p, const char *s, size_t n)
{
    if (p != PAT_NAME)
        return 1;
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '-'))
            return 0;
    }
    return 1;
}

static int tolower_ascii(int c);

/* Prints a value as DynamoDB echoes it: strings raw, lists as "[a, b]", a structure of the request
 * model as its Java toString "KeySchemaElement(attributeName=pk, keyType=HASH)" (members in spec
 * order, absent ones null: capture 2026-08-12-wording-drift c_ct_3keys, us-east-1; other regions
 * print an unreproducible "...KeySchemaElement@ad28eb1d"), other objects as compact JSON. f is the
 * spec row of v, or NULL when unknown. */
static void write_value(FILE *out, const struct field *f, const json_t *v)
{
    char *dump;
    size_t i;
    json_t *e;

    switch (json_typeof(v)) {
    case JSON_STRING:
        fwrite(json_string_value(v), 1, json_string_length(v), out);
        break;
    case JSON_INTEGER:
        fprintf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        break;
    case JSON_REAL: {
        /* the shortest text that reads back as the same double, as Java prints it */
        char num[32];
        for (int precision = 1; precision <= 17; precision++) {
            snprintf(num, sizeof num, "%.*g", precision, json_real_value(v));
            if (strtod(num, NULL) == json_real_value(v))
                break;
        }
        fputs(num, out);
        break;
    }
    case JSON_TRUE:
        fputs("true", out);
        break;
    case JSON_FALSE:
        fputs("false", out);
        break;
    case JSON_NULL:
        fputs("null", out);
        break;
    case JSON_ARRAY:
        fputc('[', out);
        json_array_foreach(v, i, e) {
            if (i > 0)
                fputs(", ", out);
            write_value(out, f != NULL ? f->elem : NULL, e);
        }
        fputc(']', out);
        break;
    case JSON_OBJECT:
        if (f != NULL && f->type == FT_MAP && f->java_map) {
            const char *key;
            json_t *mv;
            int first = 1;
            fputc('{', out);
            json_object_foreach((json_t *)v, key, mv) {
                fprintf(out, "%s%s=", first ? "" : ", ", key);
                write_value(out, f->elem, mv);
                first = 0;
            }
            fputc('}', out);
            break;
        }
        if (f != NULL && f->type == FT_STRUCT && f->members != NULL && f->members != av_members &&
            f->java != NULL) {
            fprintf(out, "%s(", f->java);
            for (const struct field *m = f->members; m->name != NULL; m++) {
                const json_t *mv = json_object_get(v, m->name);
                fprintf(out, "%s%c%s=", m == f->members ? "" : ", ", tolower_ascii(m->name[0]), m->name + 1);
                if (mv == NULL)
                    fputs("null", out);
                else
                    write_value(out, m, mv);
            }
            fputc(')', out);
            break;
        }
        dump = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        if (dump != NULL)
            fputs(dump, out);
        free(dump);
        break;
    }
}

static int tolower_ascii(int c)
{
    return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

/* Writes the member path: 'keySchema.1.member.attributeName', 'requestItems.t.member.keys'
 * (as_sent: with the wire names, 'RequestItems.t.member.Keys'). */
static void write_path(FILE *out, const struct violations *vs, int as_sent)
{
    for (int i = 0; i < vs->depth && i < MAX_FRAMES; i++) {
        const struct frame *fr = &vs->frames[i];
        switch (fr->kind) {
        case FR_NAME:
            if (i > 0)
                fputc('.', out);
            fputc(as_sent ? fr->text[0] : tolower_ascii(fr->text[0]), out);
            fputs(fr->text + 1, out);
            break;
        case FR_INDEX:
            fprintf(out, ".%zu.member", fr->index + 1);
            break;
        case FR_KEY:
            fprintf(out, ".%s.member", fr->text);
            break;
        }
    }
}

/* Starts one more violation in the buffer (opening it on the first); 0 if it may be written. */
static int violation_start(struct violations *vs)
{
    if (vs->count >= MAX_VIOLATIONS || vs->oom)
        return -1;
    if (vs->out == NULL) {
        vs->out = open_memstream(&vs->text, &vs->text_len);
        if (vs->out == NULL) {
            vs->oom = 1;
            return -1;
        }
    } else {
        fputs("; ", vs->out);
    }
    vs->count++;
    return 0;
}

/* Records "Value <v> at '<path>' failed to satisfy constraint: <what>" (v NULL prints null);
 * f is v's spec row (for echoing structures), or NULL. */
__attribute__((format(printf, 4, 5)))
static void violation(struct violations *vs, const struct field *f, const json_t *v, const char *fmt, ...)
{
    va_list ap;

    if (violation_start(vs) < 0)
        return;
    fputs("Value ", vs->out);
    if (vs->as_sent) {
        fputs("at '", vs->out);
    } else {
        if (v == NULL) {
            fputs("null", vs->out);
        } else {
            fputc('\'', vs->out);
            write_value(vs->out, f, v);
            fputc('\'', vs->out);
        }
        fputs(" at '", vs->out);
    }
    write_path(vs->out, vs, vs->as_sent);
    fputs("' failed to satisfy constraint: ", vs->out);
    va_start(ap, fmt);
    vfprintf(vs->out, fmt, ap);
    va_end(ap);
}

/* Records a violation given as whole text (a row's enum_text). */
static void violation_text(struct violations *vs, const char *text)
{
    if (violation_start(vs) == 0)
        fputs(text, vs->out);
}

/* Raises the aggregated ValidationException for what was recorded; frees the buffer. */
static int raise_violations(struct violations *vs, struct err *err)
{
    int rc = 0;

    if (vs->out != NULL)
        fclose(vs->out);
    if (vs->oom)
        rc = err_set(err, ERR_INTERNAL, "out of memory");
    else if (vs->count > 0)
        rc = err_set(err, ERR_VALIDATION, "%d validation error%s detected: %s", vs->count,
                     vs->count > 1 ? "s" : "", vs->text);
    free(vs->text);
    vs->out = NULL;
    vs->text = NULL;
    return rc;
}

static void push(struct violations *vs, enum frame_kind kind, const char *text, size_t index)
{
    if (vs->depth < MAX_FRAMES)
        vs->frames[vs->depth] = (struct frame){kind, text, index};
    vs->depth++;
}

static void pop(struct violations *vs)
{
    vs->depth--;
}

/* A row with no constraint anywhere below it: its data need not be walked (every AttributeValue,
 * most maps and lists). Walks the spec, not the data, and stops at AttributeValue. */
static int row_plain(const struct field *f)
{
    if (f->not_null || f->has_min || f->has_max || f->pattern != PAT_NONE || f->enums != NULL ||
        f->keys != NULL || f->values != NULL)
        return 0;
    if (f->members == av_members)
        return 1;
    if (f->members != NULL)
        for (const struct field *m = f->members; m->name != NULL; m++)
            if (!row_plain(m))
                return 0;
    return f->elem == NULL || row_plain(f->elem);
}

static size_t value_length(const json_t *v)
{
    if (json_is_string(v))
        return utf16_length(json_string_value(v), json_string_length(v));
    if (json_is_array(v))
        return json_array_size(v);
    return json_object_size(v);
}

static void check_pattern(struct violations *vs, const struct field *f, const json_t *v)
{
    if (f->pattern != PAT_NONE && json_is_string(v) &&
        !pattern_ok(f->pattern, json_string_value(v), json_string_length(v)))
        violation(vs, f, v, "Member must satisfy regular expression pattern: " NAME_PATTERN_TEXT);
}

static void check_bounds(struct violations *vs, const struct field *f, const json_t *v)
{
    if (f->type == FT_INT || f->type == FT_LONG) {
        long long n = json_integer_value(v);
        if (f->has_min && n < f->min)
            violation(vs, f, v, "Member must have value greater than or equal to %lld", f->min);
        if (f->has_max && n > f->max)
            violation(vs, f, v, "Member must have value less than or equal to %lld", f->max);
        return;
    }
    if (f->has_min || f->has_max) {
        long long len = (long long)value_length(v);
        if (f->has_min && len < f->min)
            violation(vs, f, v, "Member must have length greater than or equal to %lld", f->min);
        if (f->has_max && len > f->max) {
            vs->as_sent = f->as_sent;
            violation(vs, f, v, "Member must have length less than or equal to %lld", f->max);
            vs->as_sent = 0;
        }
    }
}

static void check_enum(struct violations *vs, const struct field *f, const json_t *v)
{
    char list[256];
    size_t used = 0;

    if (f->enums == NULL || !json_is_string(v))
        return;
    for (const char *const *e = f->enums; *e != NULL; e++)
        if (strcmp(*e, json_string_value(v)) == 0)
            return;
    if (f->enum_text != NULL) {
        violation_text(vs, f->enum_text);
        return;
    }
    for (const char *const *e = f->enums; *e != NULL && used < sizeof list; e++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", e == f->enums ? "" : ", ", *e);
    violation(vs, f, v, "Member must satisfy enum value set: [%s]", list);
}

/* One violation per offending key / value, each echoing the whole map (DynamoDB's format). */
static void check_map_entries(struct violations *vs, const struct field *f, const json_t *map)
{
    const char *key;
    json_t *v;

    if (f->keys != NULL) {
        const struct mapcheck *k = f->keys;
        json_object_foreach((json_t *)map, key, v) {
            size_t n = strlen(key), len = utf16_length(key, n);
            if ((long long)len < k->min || (long long)len > k->max || !pattern_ok(k->pattern, key, n))
                violation(vs, f, map, "Map keys must satisfy constraint: [Member must have length less than or "
                          "equal to %lld, Member must have length greater than or equal to %lld, Member must "
                          "satisfy regular expression pattern: " NAME_PATTERN_TEXT "]", k->max, k->min);
        }
    }
    if (f->values != NULL) {
        const struct mapcheck *c = f->values;
        json_object_foreach((json_t *)map, key, v) {
            long long len = (long long)value_length(v);
            if (!json_is_null(v) && (len < c->min || len > c->max))
                violation(vs, f, map, "Map value must satisfy constraint: [Member must have length less than "
                          "or equal to %lld, Member must have length greater than or equal to %lld]",
                          c->max, c->min);
        }
    }
}

static void check_row(struct violations *vs, const struct field *f, const json_t *v);

static void check_children(struct violations *vs, const struct field *f, const json_t *v)
{
    const char *key;
    const json_t *e;
    size_t i;

    if (f->type == FT_STRUCT && f->members != av_members) {
        for (const struct field *m = f->members; m->name != NULL && vs->count < MAX_VIOLATIONS; m++) {
            push(vs, FR_NAME, m->name, 0);
            check_row(vs, m, json_object_get(v, m->name));
            pop(vs);
        }
    } else if ((f->type == FT_LIST || f->type == FT_PLIST) && !row_plain(f->elem)) {
        json_array_foreach(v, i, e) {
            if (vs->count >= MAX_VIOLATIONS)
                break;
            push(vs, FR_INDEX, NULL, i);
            check_row(vs, f->elem, e);
            pop(vs);
        }
    } else if ((f->type == FT_MAP || f->type == FT_PMAP) && !row_plain(f->elem)) {
        json_object_foreach((json_t *)v, key, e) {
            if (vs->count >= MAX_VIOLATIONS)
                break;
            push(vs, FR_KEY, key, 0);
            check_row(vs, f->elem, e);
            pop(vs);
        }
    }
}

/* Every constraint of one row, in DynamoDB's order, then its children. v NULL = absent. */
static void check_row(struct violations *vs, const struct field *f, const json_t *v)
{
    if (vs->count >= MAX_VIOLATIONS)
        return;
    if (v == NULL || json_is_null(v)) {
        if (f->not_null)
            violation(vs, f, NULL, "Member must not be null");
        return;
    }
    if (f->pattern_first)
        check_pattern(vs, f, v);
    check_bounds(vs, f, v);
    if (!f->pattern_first)
        check_pattern(vs, f, v);
    check_enum(vs, f, v);
    if (json_is_object(v) && (f->type == FT_MAP || f->type == FT_PMAP))
        check_map_entries(vs, f, v);
    check_children(vs, f, v);
}

/* ====================================================================================== */
/* Entry point                                                                            */
/* ====================================================================================== */

int reqspec_check(const char *op, json_t *body, struct err *err)
{
    const struct field *spec = NULL;
    struct violations vs = {.depth = 0};

    for (size_t i = 0; i < sizeof op_specs / sizeof op_specs[0]; i++)
        if (strcmp(op_specs[i].op, op) == 0) {
            spec = op_specs[i].spec;
            break;
        }
    if (spec == NULL)
        return 0;
    if (!json_is_object(body))
        return err_set_bare(err, ERR_SERIALIZATION);

    /* 1. wire types, dropping unknown and null members */
    if (check_members(spec, body, err) < 0)
        return -1;

    /* 2. required parameters (and members with their own absent/empty sentence); a table name
     *    (and UpdateItem's ReturnValues) is judged alone, first */
    for (const struct field *f = spec; f->name != NULL; f++) {
        const json_t *v = json_object_get(body, f->name);
        if (f->required && v == NULL)
            return err_set(err, ERR_VALIDATION,
                           "The parameter '%s' is required but was not present in the request", f->name);
        if (f->if_absent != NULL && v == NULL)
            return err_set(err, ERR_VALIDATION, "%s", f->if_absent);
        if (f->if_empty != NULL && v != NULL && value_length(v) == 0)
            return err_set(err, ERR_VALIDATION, "%s", f->if_empty);
        if (f->alone && (v != NULL || f->not_null)) {
            push(&vs, FR_NAME, f->name, 0);
            check_row(&vs, f, v);
            pop(&vs);
            if (vs.count > 0 || vs.oom)
                return raise_violations(&vs, err);
        }
    }

    /* 3. every member constraint, at most ten reported; a member with its own words for a value
     *    under its minimum (Query's Limit) uses them when it is the only violation */
    {
        const struct field *below = NULL;
        for (const struct field *f = spec; f->name != NULL && vs.count < MAX_VIOLATIONS; f++) {
            const json_t *v = json_object_get(body, f->name);
            if (f->if_below != NULL && json_is_integer(v) && f->has_min &&
                json_integer_value(v) < f->min)
                below = f;
            push(&vs, FR_NAME, f->name, 0);
            check_row(&vs, f, v);
            pop(&vs);
        }
        if (below != NULL && vs.count == 1 && !vs.oom) {
            vs.count = 0;
            raise_violations(&vs, NULL);
            return err_set(err, ERR_VALIDATION, "%s", below->if_below);
        }
    }
    return raise_violations(&vs, err);
}
