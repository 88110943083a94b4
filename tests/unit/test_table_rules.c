/* test_table_rules.c — CreateTable's and UpdateTable's table-independent semantic checks, each
 * body first passed through reqspec_check() as the handler does. Expected texts: dynalite's suite
 * (recorded against DynamoDB) and 2026 captures of DynamoDB; DynamoDB Local words most of these
 * differently (e.g. "Two keys can not have the same name"), noted where it matters. */
#include <stdlib.h>

#include "errors.h"
#include "reqspec.h"
#include "table_rules.h"
#include "test.h"

enum which { CREATE, UPDATE };

/* Runs reqspec then the rules; returns the message ("(ok)" when accepted, "reqspec: ..." when the
 * body does not even pass reqspec, which is a bug in the test). */
static const char *rules(enum which which, const char *text)
{
    static char message[4096];
    struct err err = ERR_INIT;
    json_error_t jerr;
    json_t *body = json_loads(text, 0, &jerr);

    if (body == NULL) {
        snprintf(message, sizeof message, "test JSON does not parse: %s", jerr.text);
        return message;
    }
    if (reqspec_check(which == CREATE ? "CreateTable" : "UpdateTable", body, &err) < 0) {
        snprintf(message, sizeof message, "reqspec: %s", err.message != NULL ? err.message : "(null)");
    } else if ((which == CREATE ? table_rules_check_create(body, &err) : table_rules_check_update(body, &err)) < 0) {
        snprintf(message, sizeof message, "%s%s", err.code == ERR_VALIDATION ? "" : "(not a ValidationException) ",
                 err.message != NULL ? err.message : "(null)");
    } else {
        snprintf(message, sizeof message, "(ok)");
    }
    err_clear(&err);
    json_decref(body);
    return message;
}

#define INVALID "One or more parameter values were invalid: "
/* Bodies are written with single quotes for readability; Q() turns them into JSON. */
static const char *q(const char *s)
{
    static char buf[8][8192];
    static int next;
    char *out = buf[next++ % 8];
    size_t i;
    for (i = 0; s[i] != '\0' && i < sizeof buf[0] - 1; i++)
        out[i] = s[i] == '\'' ? '"' : s[i];
    out[i] = '\0';
    return out;
}
#define CREATE_ERR(body, msg) ASSERT_EQ_STR(rules(CREATE, q(body)), (msg))
#define UPDATE_ERR(body, msg) ASSERT_EQ_STR(rules(UPDATE, q(body)), (msg))

#define T "'TableName':'abc',"
#define PT1 "'ProvisionedThroughput':{'ReadCapacityUnits':1,'WriteCapacityUnits':1}"
#define PPR "'BillingMode':'PAY_PER_REQUEST'"
#define DEF_A "{'AttributeName':'a','AttributeType':'S'}"
#define DEF_B "{'AttributeName':'b','AttributeType':'S'}"
#define DEF_C "{'AttributeName':'c','AttributeType':'S'}"
#define DEFS_AB "'AttributeDefinitions':[" DEF_A "," DEF_B "]"
#define HASH(n) "{'AttributeName':'" n "','KeyType':'HASH'}"
#define RANGE(n) "{'AttributeName':'" n "','KeyType':'RANGE'}"
#define KS_A "'KeySchema':[" HASH("a") "]"
#define KS_AB "'KeySchema':[" HASH("a") "," RANGE("b") "]"
#define ALL "'Projection':{'ProjectionType':'ALL'}"

/* ==== CreateTable: billing mode, streams, encryption, table class ============================ */

TEST(rules_create_billing_mode)
{
    /* live 2026 and dynalite; DynamoDB Local accepts PAY_PER_REQUEST with throughput */
    CREATE_ERR("{" T "'AttributeDefinitions':[" DEF_A "]," KS_A "," PPR "," PT1 "}",
               INVALID "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
    CREATE_ERR("{" T "'AttributeDefinitions':[" DEF_A "]," KS_A "}",
               INVALID "ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED");
    CREATE_ERR("{" T "'AttributeDefinitions':[" DEF_A "]," KS_A ",'BillingMode':'PROVISIONED'}",
               INVALID "ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED");
    CREATE_ERR("{" T "'AttributeDefinitions':[]," KS_A ",'ProvisionedThroughput':{'ReadCapacityUnits':1000000000001,"
               "'WriteCapacityUnits':1000000000001}}",
               "Given value 1000000000001 for ReadCapacityUnits is out of bounds");
    CREATE_ERR("{" T "'AttributeDefinitions':[]," KS_A ",'ProvisionedThroughput':{'ReadCapacityUnits':1000000000000,"
               "'WriteCapacityUnits':1000000000001}}",
               "Given value 1000000000001 for WriteCapacityUnits is out of bounds");
}

/* OnDemandThroughput limits only on PAY_PER_REQUEST tables, each at least 1 (-1, "no limit", only on
 * UpdateTable): live probes catalogued by ack-api-quirks DDB-TABLE-442; the round trip itself is
 * nubo-db tier1 createTable/config and updateTable/config. */
TEST(rules_on_demand_throughput)
{
    CREATE_ERR("{" T "'AttributeDefinitions':[" DEF_A "]," KS_A "," PPR ",'OnDemandThroughput':{'MaxReadRequestUnits':10,"
               "'MaxWriteRequestUnits':5}}", "(ok)");
    CREATE_ERR("{" T "'AttributeDefinitions':[" DEF_A "]," KS_A "," PT1 ",'OnDemandThroughput':{'MaxWriteRequestUnits':5}}",
               INVALID "MaxWriteRequestUnits for OnDemandThroughput cannot be specified when the table BillingMode is PROVISIONED");
    CREATE_ERR("{" T "'AttributeDefinitions':[" DEF_A "]," KS_A "," PPR ",'OnDemandThroughput':{'MaxReadRequestUnits':0}}",
               INVALID "Requested MaxReadRequestUnits for OnDemandThroughput for table is outside of valid range");
    CREATE_ERR("{" T "'AttributeDefinitions':[" DEF_A "]," KS_A "," PPR ",'OnDemandThroughput':{'MaxWriteRequestUnits':-1}}",
               INVALID "Requested MaxWriteRequestUnits for OnDemandThroughput for table is outside of valid range");
    CREATE_ERR("{" T "'AttributeDefinitions':[" DEF_A "]," KS_A "," PPR ",'OnDemandThroughput':{}}", "(ok)");
    UPDATE_ERR("{" T "'OnDemandThroughput':{'MaxReadRequestUnits':-1,'MaxWriteRequestUnits':20}}", "(ok)");
    UPDATE_ERR("{" T "'OnDemandThroughput':{'MaxReadRequestUnits':-2}}",
               INVALID "Requested MaxReadRequestUnits for OnDemandThroughput for table is outside of valid range");
}

TEST(rules_create_stream_specification)
{
    /* live 2026. DynamoDB Local: "Invalid StreamViewType: Stream ViewType must not be null or empty
     * when enabling streams." and "... Stream StreamEnabled was false but a StreamViewType was present." */
    CREATE_ERR("{" T "'AttributeDefinitions':[" DEF_A "]," KS_A "," PPR ",'StreamSpecification':{'StreamEnabled':true}}",
               INVALID "Table is being created with a stream enabled, UpdateViewType is required");
    CREATE_ERR("{" T "'AttributeDefinitions':[" DEF_A "]," KS_A "," PPR ",'StreamSpecification':{'StreamEnabled':false,"
               "'StreamViewType':'NEW_IMAGE'}}",
               INVALID "Table is being created with a stream disabled, UpdateViewType should not be specified");
    CREATE_ERR("{" T "'AttributeDefinitions':[" DEF_A "]," KS_A "," PPR ",'StreamSpecification':{'StreamEnabled':false}}",
               "(ok)");
}

TEST(rules_create_sse_and_table_class)
{
    /* live 2026 */
    CREATE_ERR("{" T "'AttributeDefinitions':[" DEF_A "]," KS_A "," PPR ",'SSESpecification':{'Enabled':false,"
               "'SSEType':'KMS','KMSMasterKeyId':'k'}}",
               INVALID "SSEType can not be specified if Enabled is false");
    CREATE_ERR("{" T "'AttributeDefinitions':[" DEF_A "]," KS_A "," PPR ",'SSESpecification':{'Enabled':false,"
               "'KMSMasterKeyId':'k'}}",
               INVALID "KMSMasterKeyId can not be specified if Enabled is false");
    CREATE_ERR("{" T "'AttributeDefinitions':[" DEF_A "]," KS_A "," PPR ",'SSESpecification':{'Enabled':false,"
               "'SSEType':'AES256'}}",
               INVALID "SSEType can not be specified if Enabled is false");
    CREATE_ERR("{" T "'AttributeDefinitions':[" DEF_A "]," KS_A "," PPR ",'SSESpecification':{'Enabled':true,"
               "'SSEType':'AES256'}}",
               INVALID "SSEType AES256 is not supported");
    CREATE_ERR("{" T "'AttributeDefinitions':[" DEF_A "]," KS_A "," PPR ",'SSESpecification':{'Enabled':true,"
               "'KMSMasterKeyId':'alias/aws/dynamodb'}}",
               INVALID "SSEType KMS is required if KMSMasterKeyId is specified");
    CREATE_ERR("{" T "'AttributeDefinitions':[" DEF_A "]," KS_A "," PPR ",'SSESpecification':{}}", "(ok)");
    CREATE_ERR("{" T "'AttributeDefinitions':[" DEF_A "]," KS_A "," PPR ",'SSESpecification':{'SSEType':'KMS'}}", "(ok)");
    CREATE_ERR("{" T "'AttributeDefinitions':[" DEF_A "]," KS_A "," PPR ",'TableClass':'GLACIER'}",
               "Invalid table-class parameter provided. Please try again with a valid table-class value: "
               "[STANDARD, STANDARD_INFREQUENT_ACCESS].");
}

/* ==== CreateTable: key schema ================================================================ */

TEST(rules_create_key_schema)
{
    /* dynalite's suite; "Invalid KeySchema: Some index key attribute have no definition" and "Number
     * of attributes in KeySchema does not exactly match ..." also quoted from DynamoDB in public
     * reports. DynamoDB Local says "Hash Key not specified in Attribute Definitions.  Type unknown.",
     * "Two keys can not have the same name", "The number of attributes in key schema must match ..." */
    CREATE_ERR("{" T "'AttributeDefinitions':[]," "'KeySchema':[" HASH("a") "," HASH("a") "]," PT1 "}",
               "Invalid KeySchema: Some index key attribute have no definition");
    CREATE_ERR("{" T "'AttributeDefinitions':[" DEF_A "]," "'KeySchema':[" HASH("a") "," RANGE("a") "]," PPR "}",
               "Invalid KeySchema: Some index key attribute have no definition");
    CREATE_ERR("{" T "'AttributeDefinitions':[" DEF_B "]," KS_A "," PT1 "}",
               INVALID "Some index key attributes are not defined in AttributeDefinitions. Keys: [a], AttributeDefinitions: [b]");
    CREATE_ERR("{" T DEFS_AB ",'KeySchema':[" HASH("a") "," HASH("a") "]," PT1 "}",
               "Both the Hash Key and the Range Key element in the KeySchema have the same name");
    CREATE_ERR("{" T DEFS_AB ",'KeySchema':[" HASH("a") "," HASH("b") "]," PT1 "}",
               "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
    CREATE_ERR("{" T DEFS_AB ",'KeySchema':[" RANGE("a") "," HASH("b") "]," PT1 "}",
               "Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
    CREATE_ERR("{" T DEFS_AB ",'KeySchema':[" RANGE("a") "," RANGE("b") "]," PT1 "}",
               "Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
    CREATE_ERR("{" T DEFS_AB "," KS_A "," PT1 "}",
               INVALID "Number of attributes in KeySchema does not exactly match number of attributes defined in "
               "AttributeDefinitions");
    CREATE_ERR("{" T "'AttributeDefinitions':[" DEF_A "," DEF_C "," DEF_B "]," KS_AB "," PT1 "}",
               INVALID "Number of attributes in KeySchema does not exactly match number of attributes defined in "
               "AttributeDefinitions");
    /* live 2026 catalogue; DynamoDB Local: "Cannot have two attributes with the same name" */
    CREATE_ERR("{" T "'AttributeDefinitions':[" DEF_A ",{'AttributeName':'a','AttributeType':'N'}]," KS_A "," PPR "}",
               "Attribute Name is duplicated: a");
    CREATE_ERR("{" T DEFS_AB "," KS_AB "," PT1 "}", "(ok)");
}

/* ==== CreateTable: local secondary indexes =================================================== */

#define LSI(name, keys, proj) "{'IndexName':'" name "','KeySchema':[" keys "]," proj "}"

TEST(rules_create_lsi)
{
    CREATE_ERR("{" T DEFS_AB "," KS_A ",'LocalSecondaryIndexes':[]," PT1 "}",
               INVALID "List of LocalSecondaryIndexes is empty");
    CREATE_ERR("{" T DEFS_AB "," KS_A ",'LocalSecondaryIndexes':[" LSI("abc", RANGE("c"), "'Projection':{}") "]," PT1 "}",
               INVALID "Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex");
    CREATE_ERR("{" T DEFS_AB "," KS_AB ",'LocalSecondaryIndexes':[" LSI("abc", RANGE("c") "," RANGE("d"), "'Projection':{}") "]," PT1 "}",
               INVALID "Some index key attributes are not defined in AttributeDefinitions. Keys: [c, d], "
               "AttributeDefinitions: [a, b]");
    CREATE_ERR("{" T DEFS_AB "," KS_AB ",'LocalSecondaryIndexes':[" LSI("abc", RANGE("a"), "'Projection':{}") "]," PT1 "}",
               "Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
    CREATE_ERR("{" T DEFS_AB "," KS_AB ",'LocalSecondaryIndexes':[" LSI("abc", HASH("a") "," HASH("a"), "'Projection':{}") "]," PT1 "}",
               "Both the Hash Key and the Range Key element in the KeySchema have the same name");
    CREATE_ERR("{" T DEFS_AB "," KS_AB ",'LocalSecondaryIndexes':[" LSI("abc", HASH("a") "," HASH("b"), "'Projection':{}") "]," PT1 "}",
               "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
    CREATE_ERR("{" T DEFS_AB "," KS_AB ",'LocalSecondaryIndexes':[" LSI("abc", HASH("b"), "'Projection':{}") "]," PT1 "}",
               INVALID "Index KeySchema does not have a range key for index: abc");
    CREATE_ERR("{" T DEFS_AB "," KS_AB ",'LocalSecondaryIndexes':[" LSI("abc", HASH("b") "," RANGE("a"), "'Projection':{}") "]," PT1 "}",
               INVALID "Index KeySchema does not have the same leading hash key as table KeySchema for index: abc. "
               "index hash key: b, table hash key: a");
    CREATE_ERR("{" T DEFS_AB "," KS_AB ",'LocalSecondaryIndexes':[" LSI("abc", HASH("a") "," RANGE("b"), "'Projection':{}") "]," PT1 "}",
               INVALID "Unknown ProjectionType: null");
    CREATE_ERR("{" T DEFS_AB "," KS_AB ",'LocalSecondaryIndexes':[" LSI("abc", HASH("a") "," RANGE("b"),
               "'Projection':{'NonKeyAttributes':['a']}") "]," PT1 "}",
               INVALID "Unknown ProjectionType: null");
    CREATE_ERR("{" T DEFS_AB "," KS_AB ",'LocalSecondaryIndexes':[" LSI("abc", HASH("a") "," RANGE("b"),
               "'Projection':{'ProjectionType':'ALL','NonKeyAttributes':['a']}") "]," PT1 "}",
               INVALID "ProjectionType is ALL, but NonKeyAttributes is specified");
    CREATE_ERR("{" T DEFS_AB "," KS_AB ",'LocalSecondaryIndexes':[" LSI("abc", HASH("a") "," RANGE("b"),
               "'Projection':{'ProjectionType':'KEYS_ONLY','NonKeyAttributes':['a']}") "]," PT1 "}",
               INVALID "ProjectionType is KEYS_ONLY, but NonKeyAttributes is specified");
    /* live 2026 catalogue */
    CREATE_ERR("{" T DEFS_AB "," KS_AB ",'LocalSecondaryIndexes':[" LSI("abc", HASH("a") "," RANGE("b"),
               "'Projection':{'ProjectionType':'INCLUDE'}") "]," PT1 "}",
               INVALID "ProjectionType is INCLUDE, but NonKeyAttributes is not specified");
    CREATE_ERR("{" T DEFS_AB "," KS_AB ",'LocalSecondaryIndexes':[" LSI("abc", HASH("a") "," RANGE("b"),
               "'Projection':{'ProjectionType':'INCLUDE','NonKeyAttributes':['x','y','x']}") "]," PT1 "}",
               INVALID "Duplicate element in NonKeyAttributes: x");
    CREATE_ERR("{" T DEFS_AB "," KS_AB ",'LocalSecondaryIndexes':[" LSI("abc", HASH("a") "," RANGE("b"), ALL) ","
               LSI("abc", HASH("a") "," RANGE("b"), ALL) "]," PT1 "}",
               INVALID "Duplicate index name: abc");
}

TEST(rules_create_lsi_limit)
{
    CREATE_ERR("{" T DEFS_AB "," KS_AB ",'LocalSecondaryIndexes':["
               LSI("ab1", HASH("a") "," RANGE("b"), ALL) "," LSI("ab2", HASH("a") "," RANGE("b"), ALL) ","
               LSI("ab3", HASH("a") "," RANGE("b"), ALL) "," LSI("ab4", HASH("a") "," RANGE("b"), ALL) ","
               LSI("ab5", HASH("a") "," RANGE("b"), ALL) "," LSI("ab6", HASH("a") "," RANGE("b"), ALL) "]," PT1 "}",
               INVALID "Number of LocalSecondaryIndexes exceeds per-table limit of 5");
}

/* ==== CreateTable: global secondary indexes ================================================== */

#define GSI(name, keys, proj) "{'IndexName':'" name "','KeySchema':[" keys "]," proj "," PT1 "}"
#define GSI_NO_PT(name, keys, proj) "{'IndexName':'" name "','KeySchema':[" keys "]," proj "}"

TEST(rules_create_gsi)
{
    CREATE_ERR("{" T DEFS_AB "," KS_A ",'GlobalSecondaryIndexes':[]," PT1 "}",
               INVALID "List of GlobalSecondaryIndexes is empty");
    CREATE_ERR("{" T DEFS_AB "," KS_A ",'GlobalSecondaryIndexes':[" GSI("abc", RANGE("c"), "'Projection':{}") "]," PT1 "}",
               INVALID "Some index key attributes are not defined in AttributeDefinitions. Keys: [c], "
               "AttributeDefinitions: [a, b]");
    CREATE_ERR("{" T DEFS_AB "," KS_AB ",'GlobalSecondaryIndexes':[" GSI("abc", RANGE("a"), "'Projection':{}") "]," PT1 "}",
               "Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
    /* a GSI needs neither a range key nor the table's hash key: the projection is next */
    CREATE_ERR("{" T DEFS_AB "," KS_AB ",'GlobalSecondaryIndexes':[" GSI("abc", HASH("b"), "'Projection':{}") "]," PT1 "}",
               INVALID "Unknown ProjectionType: null");
    CREATE_ERR("{" T DEFS_AB "," KS_A "," PPR ",'GlobalSecondaryIndexes':[" GSI("gsi", HASH("b"), ALL) "]}",
               INVALID "ProvisionedThroughput should not be specified for index: gsi when BillingMode is PAY_PER_REQUEST");
    /* live 2026 catalogue; DynamoDB Local: "No provisioned throughput specified for the global secondary index" */
    CREATE_ERR("{" T DEFS_AB "," KS_A "," PT1 ",'GlobalSecondaryIndexes':[" GSI_NO_PT("gsi", HASH("b"), ALL) "]}",
               INVALID "ProvisionedThroughput is not specified for index: gsi");
    CREATE_ERR("{" T DEFS_AB "," KS_AB ",'LocalSecondaryIndexes':[" LSI("abc", HASH("a") "," RANGE("b"), ALL) "],"
               "'GlobalSecondaryIndexes':[" GSI("abc", HASH("a") "," RANGE("b"), ALL) "]," PT1 "}",
               INVALID "Duplicate index name: abc");
    CREATE_ERR("{" T DEFS_AB "," KS_A "," PPR ",'GlobalSecondaryIndexes':[" GSI_NO_PT("gsi", HASH("b"), ALL) "]}", "(ok)");
}

TEST(rules_create_gsi_limit)
{
    char body[8192] = "{" T DEFS_AB "," KS_A "," PPR ",'GlobalSecondaryIndexes':[";
    for (int i = 0; i < 21; i++) {
        char one[128];
        snprintf(one, sizeof one, "%s{'IndexName':'gsi%d','KeySchema':[" HASH("b") "]," ALL "}", i ? "," : "", i);
        strcat(body, one);
    }
    strcat(body, "]}");
    CREATE_ERR(body, INVALID "GlobalSecondaryIndex count exceeds the per-table limit of 20");
}

TEST(rules_create_unused_attribute_definitions)
{
    /* quoted from DynamoDB in public reports (definitions as sent, keys used after) */
    CREATE_ERR("{" T "'AttributeDefinitions':[" DEF_A "," DEF_B "," DEF_C "]," KS_A "," PPR
               ",'GlobalSecondaryIndexes':[" GSI_NO_PT("gsi", HASH("b"), ALL) "]}",
               INVALID "Some AttributeDefinitions are not used. AttributeDefinitions: [a, b, c], keys used: [a, b]");
}

TEST(rules_create_projected_attribute_total)
{
    char body[16384] = "{" T DEFS_AB "," KS_A "," PPR ",'GlobalSecondaryIndexes':[";
    for (int i = 0; i < 6; i++) {
        char one[1024];
        int n = snprintf(one, sizeof one, "%s{'IndexName':'gsi%d','KeySchema':[" HASH("b") "],"
                         "'Projection':{'ProjectionType':'INCLUDE','NonKeyAttributes':[", i ? "," : "", i);
        for (int j = 0; j < 20; j++)
            n += snprintf(one + n, sizeof one - (size_t)n, "%s'x%d_%d'", j ? "," : "", i, j);
        snprintf(one + n, sizeof one - (size_t)n, "]}}");
        strcat(body, one);
    }
    strcat(body, "]}");
    CREATE_ERR(body, INVALID "Number of projected attributes in all indexes exceeds the per-table limit of 100");
}

/* ==== Tags =================================================================================== */

TEST(rules_tags)
{
    /* live 2026 catalogue: Tags=[{}] is "Key: null", key-only is "Value: null" */
    CREATE_ERR("{" T "'AttributeDefinitions':[" DEF_A "]," KS_A "," PPR ",'Tags':[{}]}",
               "The Tag Key provided is invalid, Key: null");
    CREATE_ERR("{" T "'AttributeDefinitions':[" DEF_A "]," KS_A "," PPR ",'Tags':[{'Key':'k'}]}",
               "The Tag Value provided is invalid, Value: null");
    CREATE_ERR("{" T "'AttributeDefinitions':[" DEF_A "]," KS_A "," PPR ",'Tags':[{'Key':'','Value':''}]}",
               "The Tag Key provided is invalid, Key: ");
    CREATE_ERR("{" T "'AttributeDefinitions':[" DEF_A "]," KS_A "," PPR ",'Tags':[{'Key':'a*b','Value':''}]}",
               "The Tag Key provided is invalid, Key: a*b");
    CREATE_ERR("{" T "'AttributeDefinitions':[" DEF_A "]," KS_A "," PPR ",'Tags':[{'Key':'aws:x','Value':'v'}]}",
               "Tag Key cannot be prefixed with aws:, Key: aws:x");
    CREATE_ERR("{" T "'AttributeDefinitions':[" DEF_A "]," KS_A "," PPR ",'Tags':[{'Key':'k','Value':'v'},"
               "{'Key':'k','Value':'w'}]}",
               "Duplicate Tag Keys provided as input: Duplicate Tag Key found k");
    CREATE_ERR("{" T "'AttributeDefinitions':[" DEF_A "]," KS_A "," PPR ",'Tags':[{'Key':'k 1_.:/=+-@','Value':''}]}",
               "(ok)");
}

TEST(rules_tags_limit)
{
    char body[8192] = "{" T "'AttributeDefinitions':[" DEF_A "]," KS_A "," PPR ",'Tags':[";
    for (int i = 0; i < 51; i++) {
        char one[64];
        snprintf(one, sizeof one, "%s{'Key':'k%d','Value':'v'}", i ? "," : "", i);
        strcat(body, one);
    }
    strcat(body, "]}");
    CREATE_ERR(body, "Number of Tags exceed the current limit for the provided ResourceArn");
}

/* ==== UpdateTable ============================================================================ */

TEST(rules_update_needs_something_to_do)
{
    /* live 2026 (us-east-1, us-west-2); the list omits members already in the request.
     * DynamoDB Local: "Nothing to update", after the table lookup. */
    UPDATE_ERR("{" T "'AttributeDefinitions':[" DEF_A "]}",
               "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates, "
               "SSESpecification, ReplicaUpdates, MultiAccountReplicaReady, ReplicaTransitRoleArn, "
               "MultiRegionConsistency, DeletionProtectionEnabled, OnDemandThroughput, WarmThroughput or TableClass "
               "is required");
    UPDATE_ERR("{" T "'MultiRegionConsistency':'STRONG'}",
               "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates, "
               "SSESpecification, ReplicaUpdates, MultiAccountReplicaReady, ReplicaTransitRoleArn, "
               "DeletionProtectionEnabled, OnDemandThroughput, WarmThroughput or TableClass is required");
    UPDATE_ERR("{" T "'GlobalTableWitnessUpdates':[{}]}",
               "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates, "
               "SSESpecification, ReplicaUpdates, MultiAccountReplicaReady, ReplicaTransitRoleArn, "
               "MultiRegionConsistency, DeletionProtectionEnabled, OnDemandThroughput, WarmThroughput or TableClass "
               "is required");
    UPDATE_ERR("{" T "'DeletionProtectionEnabled':false}", "(ok)");
}

TEST(rules_update_one_concern_per_call)
{
    /* live 2026: precedence SSE > TableClass > DeletionProtection > WarmThroughput */
    UPDATE_ERR("{" T "'SSESpecification':{'Enabled':true},'DeletionProtectionEnabled':true}",
               INVALID "Server-Side Encryption modification must be the only operation in the request");
    UPDATE_ERR("{" T "'TableClass':'STANDARD','DeletionProtectionEnabled':true}",
               INVALID "TableClass modification must be the only operation in the request");
    UPDATE_ERR("{" T "'DeletionProtectionEnabled':true,'BillingMode':'PAY_PER_REQUEST'}",
               INVALID "DeletionProtection modification must be the only operation in the request");
    UPDATE_ERR("{" T "'WarmThroughput':{'ReadUnitsPerSecond':5},'StreamSpecification':{'StreamEnabled':false}}",
               INVALID "WarmThroughput must be the only operation in the request");
    UPDATE_ERR("{" T "'OnDemandThroughput':{},'StreamSpecification':{'StreamEnabled':false}}",
               INVALID "OnDemandThroughput can only be combined with BillingMode in an UpdateTable request");
    UPDATE_ERR("{" T PT1 ",'StreamSpecification':{'StreamEnabled':false}}",
               INVALID "You cannot modify stream status while updating table IOPS");
    UPDATE_ERR("{" T "'BillingMode':'PROVISIONED'," PT1 ",'StreamSpecification':{'StreamEnabled':false}}",
               INVALID "You cannot modify stream status while updating table IOPS");
    UPDATE_ERR("{" T PT1 ",'GlobalSecondaryIndexUpdates':[{'Delete':{'IndexName':'gsi'}}]}",
               INVALID "You cannot create or delete index while updating table IOPS");
    UPDATE_ERR("{" T "'StreamSpecification':{'StreamEnabled':false},'GlobalSecondaryIndexUpdates':[{'Delete':"
               "{'IndexName':'gsi'}}]}",
               INVALID "You cannot create or delete index while changing stream status");
    /* the two combinations DynamoDB accepts */
    UPDATE_ERR("{" T "'BillingMode':'PAY_PER_REQUEST','StreamSpecification':{'StreamEnabled':true,"
               "'StreamViewType':'KEYS_ONLY'}}", "(ok)");
    UPDATE_ERR("{" T "'BillingMode':'PAY_PER_REQUEST','OnDemandThroughput':{'MaxReadRequestUnits':5}}", "(ok)");
}

TEST(rules_update_billing_and_streams)
{
    UPDATE_ERR("{" T "'BillingMode':'PROVISIONED'}",
               INVALID "ProvisionedThroughput must be specified when BillingMode is PROVISIONED");
    UPDATE_ERR("{" T "'BillingMode':'PAY_PER_REQUEST'," PT1 "}",
               INVALID "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
    UPDATE_ERR("{" T "'ProvisionedThroughput':{'ReadCapacityUnits':1,'WriteCapacityUnits':1000000000001}}",
               "Given value 1000000000001 for WriteCapacityUnits is out of bounds");
    /* live 2026. DynamoDB Local: "Invalid StreamViewType: ..." as for CreateTable */
    UPDATE_ERR("{" T "'StreamSpecification':{'StreamEnabled':true}}",
               INVALID "If stream is being enabled then UpdateViewType is required");
    UPDATE_ERR("{" T "'StreamSpecification':{'StreamEnabled':false,'StreamViewType':'KEYS_ONLY'}}",
               INVALID "If stream is being disabled, then UpdateViewType must not be specified");
    UPDATE_ERR("{" T "'SSESpecification':{'Enabled':true,'SSEType':'AES256'}}", INVALID "SSEType AES256 is not supported");
    UPDATE_ERR("{" T "'TableClass':'X'}",
               "Invalid table-class parameter provided. Please try again with a valid table-class value: "
               "[STANDARD, STANDARD_INFREQUENT_ACCESS].");
    UPDATE_ERR("{" T PT1 "}", "(ok)");
}

TEST(rules_update_gsi_updates)
{
    UPDATE_ERR("{" T "'GlobalSecondaryIndexUpdates':[]}", INVALID "List of GlobalSecondaryIndexUpdates is empty");
    UPDATE_ERR("{" T "'GlobalSecondaryIndexUpdates':[{}]}",
               INVALID "One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, "
               "GlobalSecondaryIndexUpdate.Delete must not be null");
    UPDATE_ERR("{" T "'GlobalSecondaryIndexUpdates':[{'Delete':{'IndexName':'abc'},'Update':{'IndexName':'abd'}}]}",
               INVALID "Only one global secondary index action is allowed per GlobalSecondaryIndexUpdate object");
    UPDATE_ERR("{" T "'GlobalSecondaryIndexUpdates':[{'Delete':{'IndexName':'abc'}},{'Update':{'IndexName':'abc'}}]}",
               INVALID "Only one global secondary index update per index is allowed simultaneously. Index: abc");
    UPDATE_ERR("{" T "'GlobalSecondaryIndexUpdates':[{'Create':{'IndexName':'gsi','KeySchema':[" HASH("b") "]," ALL "}}]}",
               INVALID "AttributeDefinitions is not specified for index: gsi");
    UPDATE_ERR("{" T "'AttributeDefinitions':[" DEF_A "],'GlobalSecondaryIndexUpdates':[{'Create':{'IndexName':'gsi',"
               "'KeySchema':[" HASH("b") "]," ALL "}}]}",
               INVALID "Some index key attributes are not defined in AttributeDefinitions. Keys: [b], "
               "AttributeDefinitions: [a]");
    UPDATE_ERR("{" T DEFS_AB ",'GlobalSecondaryIndexUpdates':[{'Create':{'IndexName':'gsi','KeySchema':["
               RANGE("b") "]," ALL "}}]}",
               "Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
    UPDATE_ERR("{" T DEFS_AB ",'GlobalSecondaryIndexUpdates':[{'Create':{'IndexName':'gsi','KeySchema':["
               HASH("b") "],'Projection':{'ProjectionType':'INCLUDE'}}}]}",
               INVALID "ProjectionType is INCLUDE, but NonKeyAttributes is not specified");
    UPDATE_ERR("{" T DEFS_AB ",'GlobalSecondaryIndexUpdates':[{'Create':{'IndexName':'gsi','KeySchema':["
               HASH("b") "," RANGE("a") "]," ALL "}}]}", "(ok)");
}
