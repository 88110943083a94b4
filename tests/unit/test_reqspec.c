/* test_reqspec.c — reqspec_check(): wire-type SerializationExceptions, required parameters, the
 * table-name rule, aggregated constraint ValidationExceptions (paths, order, the cap of ten) and
 * normalisation, with DynamoDB's exact texts. Expected strings come from dynalite's suite (recorded
 * against DynamoDB) and 2026 captures of DynamoDB; DynamoDB Local answers most of these cases with
 * a 500 InternalFailure or its own wording instead (see the notes on each group). */
#include <stdlib.h>

#include "errors.h"
#include "reqspec.h"
#include "test.h"

struct outcome {
    int rc;
    enum err_code code;
    int capital;      /* body key "Message" */
    char message[8192];
    char body[8192];  /* the normalised body, compact with sorted keys */
};

/* Parses text, runs reqspec_check and records everything a test asserts on. */
static void run(const char *op, const char *text, struct outcome *o)
{
    struct err err = ERR_INIT;
    json_error_t jerr;
    json_t *body = json_loads(text, JSON_DECODE_ANY, &jerr);
    char *dump;

    memset(o, 0, sizeof *o);
    if (body == NULL) {
        snprintf(o->message, sizeof o->message, "test JSON does not parse: %s", jerr.text);
        o->rc = 99;
        return;
    }
    o->rc = reqspec_check(op, body, &err);
    o->code = err.code;
    o->capital = err.capital_message;
    snprintf(o->message, sizeof o->message, "%s", err.message != NULL ? err.message : "(no message)");
    dump = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
    snprintf(o->body, sizeof o->body, "%s", dump != NULL ? dump : "");
    free(dump);
    json_decref(body);
    err_clear(&err);
}

#define EXPECT_SERIALIZATION(op, text, msg)                      \
    do {                                                         \
        struct outcome o_;                                       \
        run((op), (text), &o_);                                  \
        ASSERT_EQ_STR(o_.message, (msg));                        \
        ASSERT_EQ_INT(o_.rc, -1);                                \
        ASSERT_EQ_INT(o_.code, ERR_SERIALIZATION);               \
        ASSERT_EQ_INT(o_.capital, 1);                            \
    } while (0)

#define EXPECT_VALIDATION(op, text, msg)                         \
    do {                                                         \
        struct outcome o_;                                       \
        run((op), (text), &o_);                                  \
        ASSERT_EQ_STR(o_.message, (msg));                        \
        ASSERT_EQ_INT(o_.rc, -1);                                \
        ASSERT_EQ_INT(o_.code, ERR_VALIDATION);                  \
        ASSERT_EQ_INT(o_.capital, 0);                            \
    } while (0)

#define EXPECT_OK(op, text, normalised)                          \
    do {                                                         \
        struct outcome o_;                                       \
        run((op), (text), &o_);                                  \
        ASSERT_EQ_STR(o_.message, "(no message)");               \
        ASSERT_EQ_INT(o_.rc, 0);                                 \
        ASSERT_EQ_STR(o_.body, (normalised));                    \
    } while (0)

#define START_STRUCT "Start of structure or map found where not expected"
#define ONE "1 validation error detected: "

/* ==== wire types: scalars ==================================================================== */
/* DynamoDB Local returns 500 InternalFailure for every one of these (or converts silently);
 * the texts are DynamoDB's as recorded by dynalite's assertType helper. */

TEST(reqspec_string_field_rejects_other_tokens)
{
    EXPECT_SERIALIZATION("DescribeTable", "{\"TableName\":true}", "TRUE_VALUE cannot be converted to String");
    EXPECT_SERIALIZATION("DescribeTable", "{\"TableName\":false}", "FALSE_VALUE cannot be converted to String");
    EXPECT_SERIALIZATION("DescribeTable", "{\"TableName\":23}", "NUMBER_VALUE cannot be converted to String");
    EXPECT_SERIALIZATION("DescribeTable", "{\"TableName\":2147483648}", "NUMBER_VALUE cannot be converted to String");
    EXPECT_SERIALIZATION("DescribeTable", "{\"TableName\":34.56}", "DECIMAL_VALUE cannot be converted to String");
    EXPECT_SERIALIZATION("DescribeTable", "{\"TableName\":[]}", "Unrecognized collection type class java.lang.String");
    EXPECT_SERIALIZATION("DescribeTable", "{\"TableName\":{}}", START_STRUCT);
}

TEST(reqspec_boolean_field_rejects_other_tokens)
{
    EXPECT_SERIALIZATION("GetItem", "{\"ConsistentRead\":\"23\"}", "Unexpected token received from parser");
    EXPECT_SERIALIZATION("GetItem", "{\"ConsistentRead\":23}", "NUMBER_VALUE cannot be converted to Boolean");
    EXPECT_SERIALIZATION("GetItem", "{\"ConsistentRead\":34.56}", "DECIMAL_VALUE cannot be converted to Boolean");
    EXPECT_SERIALIZATION("GetItem", "{\"ConsistentRead\":[]}", "Unrecognized collection type class java.lang.Boolean");
    EXPECT_SERIALIZATION("GetItem", "{\"ConsistentRead\":{}}", START_STRUCT);
}

TEST(reqspec_integer_and_long_fields_reject_other_tokens)
{
    EXPECT_SERIALIZATION("ListTables", "{\"Limit\":\"23\"}", "STRING_VALUE cannot be converted to Integer");
    EXPECT_SERIALIZATION("ListTables", "{\"Limit\":true}", "TRUE_VALUE cannot be converted to Integer");
    EXPECT_SERIALIZATION("ListTables", "{\"Limit\":false}", "FALSE_VALUE cannot be converted to Integer");
    EXPECT_SERIALIZATION("ListTables", "{\"Limit\":[]}", "Unrecognized collection type class java.lang.Integer");
    EXPECT_SERIALIZATION("ListTables", "{\"Limit\":{}}", START_STRUCT);
    EXPECT_SERIALIZATION("CreateTable", "{\"ProvisionedThroughput\":{\"ReadCapacityUnits\":\"23\"}}",
                         "STRING_VALUE cannot be converted to Long");
    EXPECT_SERIALIZATION("CreateTable", "{\"ProvisionedThroughput\":{\"WriteCapacityUnits\":true}}",
                         "TRUE_VALUE cannot be converted to Long");
    EXPECT_SERIALIZATION("CreateTable", "{\"ProvisionedThroughput\":{\"WriteCapacityUnits\":[]}}",
                         "Unrecognized collection type class java.lang.Long");
}

TEST(reqspec_list_map_and_struct_fields_reject_scalars)
{
    EXPECT_SERIALIZATION("CreateTable", "{\"KeySchema\":\"23\"}", "Unexpected field type");
    EXPECT_SERIALIZATION("CreateTable", "{\"KeySchema\":34.56}", "Unexpected field type");
    EXPECT_SERIALIZATION("CreateTable", "{\"KeySchema\":{}}", START_STRUCT);
    EXPECT_SERIALIZATION("CreateTable", "{\"KeySchema\":[23]}", "Unexpected value type in payload");
    EXPECT_SERIALIZATION("CreateTable", "{\"KeySchema\":[[]]}",
                         "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.KeySchemaElement");
    EXPECT_SERIALIZATION("CreateTable", "{\"ProvisionedThroughput\":true}", "Unexpected field type");
    EXPECT_SERIALIZATION("CreateTable", "{\"ProvisionedThroughput\":[]}",
                         "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.ProvisionedThroughput");
    EXPECT_SERIALIZATION("PutItem", "{\"Item\":\"23\"}", "Unexpected field type");
    EXPECT_SERIALIZATION("PutItem", "{\"Item\":[]}",
                         "Unrecognized collection type java.util.Map<java.lang.String, "
                         "com.amazonaws.dynamodb.v20120810.AttributeValue>");
    EXPECT_SERIALIZATION("PutItem", "{\"ExpressionAttributeNames\":[]}",
                         "Unrecognized collection type java.util.Map<java.lang.String, java.lang.String>");
    EXPECT_SERIALIZATION("PutItem", "{\"Expected\":{\"a\":[]}}",
                         "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.ExpectedAttributeValue");
}

TEST(reqspec_batch_parameterized_types)
{
    static const char *cast =
        "class sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl cannot be cast to class "
        "java.lang.Class (sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl and java.lang.Class "
        "are in module java.base of loader 'bootstrap')";
    EXPECT_SERIALIZATION("BatchWriteItem", "{\"RequestItems\":{\"abc\":\"23\"}}", cast);
    EXPECT_SERIALIZATION("BatchWriteItem", "{\"RequestItems\":{\"abc\":{}}}", START_STRUCT);
    EXPECT_SERIALIZATION("BatchWriteItem", "{\"RequestItems\":[]}",
                         "Unrecognized collection type java.util.Map<java.lang.String, "
                         "java.util.List<com.amazonaws.dynamodb.v20120810.WriteRequest>>");
    EXPECT_SERIALIZATION("BatchWriteItem", "{\"RequestItems\":{\"abc\":[{\"PutRequest\":true}]}}",
                         "Unexpected field type");
    EXPECT_SERIALIZATION("BatchGetItem", "{\"RequestItems\":{\"abc\":{\"Keys\":[23]}}}", cast);
    EXPECT_SERIALIZATION("BatchGetItem", "{\"RequestItems\":{\"abc\":{\"Keys\":[[]]}}}",
                         "Unrecognized collection type java.util.Map<java.lang.String, "
                         "com.amazonaws.dynamodb.v20120810.AttributeValue>");
    EXPECT_SERIALIZATION("BatchGetItem", "{\"RequestItems\":{\"abc\":[]}}",
                         "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.KeysAndAttributes");
}

/* ==== wire types: AttributeValue members ===================================================== */

TEST(reqspec_attribute_value_wire_types)
{
    EXPECT_SERIALIZATION("PutItem", "{\"Item\":{\"a\":23}}", "Unexpected value type in payload");
    EXPECT_SERIALIZATION("PutItem", "{\"Item\":{\"a\":[]}}",
                         "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue");
    EXPECT_SERIALIZATION("PutItem", "{\"Item\":{\"a\":{\"S\":5}}}", "NUMBER_VALUE cannot be converted to String");
    EXPECT_SERIALIZATION("PutItem", "{\"Item\":{\"a\":{\"N\":5.5}}}", "DECIMAL_VALUE cannot be converted to String");
    EXPECT_SERIALIZATION("PutItem", "{\"Item\":{\"a\":{\"BOOL\":23}}}", "NUMBER_VALUE cannot be converted to Boolean");
    EXPECT_SERIALIZATION("PutItem", "{\"Item\":{\"a\":{\"NULL\":\"x\"}}}", "Unexpected token received from parser");
    EXPECT_SERIALIZATION("PutItem", "{\"Item\":{\"a\":{\"SS\":\"x\"}}}", "Unexpected field type");
    EXPECT_SERIALIZATION("PutItem", "{\"Item\":{\"a\":{\"SS\":[1]}}}", "NUMBER_VALUE cannot be converted to String");
    EXPECT_SERIALIZATION("PutItem", "{\"Item\":{\"a\":{\"NS\":[true]}}}", "TRUE_VALUE cannot be converted to String");
    EXPECT_SERIALIZATION("PutItem", "{\"Item\":{\"a\":{\"L\":{}}}}", START_STRUCT);
    EXPECT_SERIALIZATION("PutItem", "{\"Item\":{\"a\":{\"L\":[5]}}}", "Unexpected value type in payload");
    EXPECT_SERIALIZATION("PutItem", "{\"Item\":{\"a\":{\"M\":[]}}}",
                         "Unrecognized collection type java.util.Map<java.lang.String, "
                         "com.amazonaws.dynamodb.v20120810.AttributeValue>");
    EXPECT_SERIALIZATION("PutItem", "{\"Item\":{\"a\":{\"M\":{\"b\":{\"L\":[{\"BS\":[5]}]}}}}}",
                         "only base-64-encoded strings are convertible to bytes");
    /* AttributeValue as a struct member (Expected.Value) says "field", not "value" */
    EXPECT_SERIALIZATION("PutItem", "{\"Expected\":{\"a\":{\"Value\":5}}}", "Unexpected field type");
    EXPECT_SERIALIZATION("UpdateItem", "{\"AttributeUpdates\":{\"a\":{\"Value\":{\"S\":[]}}}}",
                         "Unrecognized collection type class java.lang.String");
}

TEST(reqspec_blob_base64)
{
    EXPECT_SERIALIZATION("PutItem", "{\"Item\":{\"a\":{\"B\":true}}}", "only base-64-encoded strings are convertible to bytes");
    EXPECT_SERIALIZATION("PutItem", "{\"Item\":{\"a\":{\"B\":34.56}}}", "only base-64-encoded strings are convertible to bytes");
    EXPECT_SERIALIZATION("PutItem", "{\"Item\":{\"a\":{\"B\":[]}}}", "Unrecognized collection type class java.nio.ByteBuffer");
    EXPECT_SERIALIZATION("PutItem", "{\"Item\":{\"a\":{\"B\":{}}}}", START_STRUCT);
    EXPECT_SERIALIZATION("PutItem", "{\"Item\":{\"a\":{\"B\":\"23456\"}}}",
                         "Base64 encoded length is expected a multiple of 4 bytes but found: 5");
    EXPECT_SERIALIZATION("PutItem", "{\"Item\":{\"a\":{\"B\":\"=+/=\"}}}", "Invalid last non-pad Base64 character dectected");
    EXPECT_SERIALIZATION("PutItem", "{\"Item\":{\"a\":{\"B\":\"+/+=\"}}}", "Invalid last non-pad Base64 character dectected");
    EXPECT_SERIALIZATION("PutItem", "{\"Item\":{\"a\":{\"BS\":[\"YR==\"]}}}", "Invalid last non-pad Base64 character dectected");
    EXPECT_SERIALIZATION("PutItem", "{\"Item\":{\"a\":{\"B\":\"ab-_\"}}}", "Invalid last non-pad Base64 character dectected");
    EXPECT_OK("PutItem",
              "{\"TableName\":\"abc\",\"Item\":{\"a\":{\"B\":\"YQ==\"},\"b\":{\"B\":\"\"},\"c\":{\"BS\":[\"+/8=\",\"AAAA\"]}}}",
              "{\"Item\":{\"a\":{\"B\":\"YQ==\"},\"b\":{\"B\":\"\"},\"c\":{\"BS\":[\"+/8=\",\"AAAA\"]}},\"TableName\":\"abc\"}");
}

TEST(reqspec_first_type_error_in_document_order)
{
    /* the deserializer streams the body: the first bad member as sent is reported */
    EXPECT_SERIALIZATION("PutItem", "{\"ReturnValues\":5,\"TableName\":true}", "NUMBER_VALUE cannot be converted to String");
    EXPECT_SERIALIZATION("PutItem", "{\"TableName\":true,\"ReturnValues\":5}", "TRUE_VALUE cannot be converted to String");
}

TEST(reqspec_body_must_be_an_object)
{
    struct outcome o;
    run("PutItem", "[]", &o);
    ASSERT_EQ_INT(o.rc, -1);
    ASSERT_EQ_INT(o.code, ERR_SERIALIZATION);
    ASSERT_EQ_STR(o.message, "(no message)");
}

/* ==== normalisation ========================================================================== */

TEST(reqspec_drops_unknown_and_null_members)
{
    /* DynamoDB (and Local) ignore members they do not know, at every level */
    EXPECT_OK("ListTables", "{\"Limit\":5,\"Foo\":1,\"ExclusiveStartTableName\":null}", "{\"Limit\":5}");
    EXPECT_OK("GetItem", "{\"TableName\":\"abc\",\"Key\":{\"a\":{\"S\":\"x\",\"Q\":1,\"N\":null}},\"X\":[]}",
              "{\"Key\":{\"a\":{\"S\":\"x\"}},\"TableName\":\"abc\"}");
    EXPECT_OK("DescribeLimits", "{\"TableName\":5}", "{}");
}

TEST(reqspec_converts_booleans_and_floors_integers)
{
    EXPECT_OK("GetItem", "{\"TableName\":\"abc\",\"Key\":{},\"ConsistentRead\":\"YES\"}",
              "{\"ConsistentRead\":true,\"Key\":{},\"TableName\":\"abc\"}");
    EXPECT_OK("GetItem", "{\"TableName\":\"abc\",\"Key\":{},\"ConsistentRead\":\"0\"}",
              "{\"ConsistentRead\":false,\"Key\":{},\"TableName\":\"abc\"}");
    EXPECT_OK("PutItem", "{\"TableName\":\"abc\",\"Item\":{\"a\":{\"NULL\":\"true\"},\"b\":{\"BOOL\":\"no\"}}}",
              "{\"Item\":{\"a\":{\"NULL\":true},\"b\":{\"BOOL\":false}},\"TableName\":\"abc\"}");
    EXPECT_OK("ListTables", "{\"Limit\":1.9}", "{\"Limit\":1}");
    EXPECT_OK("Scan", "{\"TableName\":\"abc\",\"Segment\":1.7,\"TotalSegments\":2.2}",
              "{\"Segment\":1,\"TableName\":\"abc\",\"TotalSegments\":2}");
    /* floored, not truncated: -0.5 becomes -1 and then fails its minimum */
    EXPECT_VALIDATION("Scan", "{\"TableName\":\"abc\",\"Segment\":-0.5}",
                      ONE "Value '-1' at 'segment' failed to satisfy constraint: Member must have value greater "
                          "than or equal to 0");
}

TEST(reqspec_keeps_nulls_inside_lists_and_maps)
{
    EXPECT_OK("PutItem", "{\"TableName\":\"abc\",\"Item\":{\"a\":null,\"b\":{\"L\":[null]}}}",
              "{\"Item\":{\"a\":null,\"b\":{\"L\":[null]}},\"TableName\":\"abc\"}");
}

TEST(reqspec_unknown_operation_passes_unchanged)
{
    EXPECT_OK("ImportTable", "{\"TargetTableName\":5,\"X\":null}",
              "{\"TargetTableName\":5,\"X\":null}");
}

/* ==== required parameters and the table-name rule ============================================ */

TEST(reqspec_required_table_name)
{
    static const char *msg = "The parameter 'TableName' is required but was not present in the request";
    EXPECT_VALIDATION("CreateTable", "{}", msg);
    EXPECT_VALIDATION("DescribeTable", "{\"TableName\":null}", msg);
    EXPECT_VALIDATION("DeleteTable", "{}", msg);
    EXPECT_VALIDATION("DescribeTimeToLive", "{}", msg);
    EXPECT_VALIDATION("UpdateTable", "{}", msg);
    EXPECT_VALIDATION("UpdateTimeToLive", "{\"TimeToLiveSpecification\":{}}", msg);
}

TEST(reqspec_table_name_rule_reported_alone)
{
    /* live 2026: DescribeTable '' gives length then pattern; CreateTable reports only tableName
     * even when KeySchema is empty too. DynamoDB Local: "Invalid table/index name.  Table/index
     * names must be between 3 and 255 characters long, and may contain only the characters a-z,
     * A-Z, 0-9, '_', '-', and '.'" */
    EXPECT_VALIDATION("DescribeTable", "{\"TableName\":\"\"}",
                      "2 validation errors detected: Value '' at 'tableName' failed to satisfy constraint: "
                      "Member must have length greater than or equal to 3; Value '' at 'tableName' failed to "
                      "satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
    EXPECT_VALIDATION("UpdateTable", "{\"TableName\":\"ab\",\"WarmThroughput\":{}}",
                      ONE "Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length "
                          "greater than or equal to 3");
    EXPECT_VALIDATION("CreateTable", "{\"TableName\":\"x!\",\"KeySchema\":[],\"AttributeDefinitions\":[]}",
                      "2 validation errors detected: Value 'x!' at 'tableName' failed to satisfy constraint: "
                      "Member must have length greater than or equal to 3; Value 'x!' at 'tableName' failed "
                      "to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
}

TEST(reqspec_table_name_length_counts_utf16_units)
{
    char text[600];
    char name[300];
    memset(name, 'a', 255);
    name[255] = '\0';
    snprintf(text, sizeof text, "{\"TableName\":\"%s\"}", name);
    EXPECT_OK("DescribeTable", text, text);
    /* 256 characters */
    snprintf(text, sizeof text, "{\"TableName\":\"%sa\"}", name);
    {
        struct outcome o;
        run("DescribeTable", text, &o);
        ASSERT(strstr(o.message, "' at 'tableName' failed to satisfy constraint: Member must have length "
                                 "less than or equal to 255") != NULL);
    }
}

/* ==== aggregated constraints ================================================================= */

TEST(reqspec_not_null_members)
{
    EXPECT_VALIDATION("PutItem", "{}",
                      "2 validation errors detected: Value null at 'tableName' failed to satisfy constraint: "
                      "Member must not be null; Value null at 'item' failed to satisfy constraint: Member must "
                      "not be null");
    EXPECT_VALIDATION("GetItem", "{\"TableName\":\"abc\"}",
                      ONE "Value null at 'key' failed to satisfy constraint: Member must not be null");
}

TEST(reqspec_create_table_member_paths)
{
    /* live 2026: attributeType before attributeName; keySchema members in declaration order */
    EXPECT_VALIDATION("CreateTable", "{\"TableName\":\"abc\",\"AttributeDefinitions\":[{}],\"KeySchema\":[{}]}",
                      "4 validation errors detected: Value null at 'attributeDefinitions.1.member.attributeType' "
                      "failed to satisfy constraint: Member must not be null; Value null at "
                      "'attributeDefinitions.1.member.attributeName' failed to satisfy constraint: Member must "
                      "not be null; Value null at 'keySchema.1.member.attributeName' failed to satisfy "
                      "constraint: Member must not be null; Value null at 'keySchema.1.member.keyType' failed to "
                      "satisfy constraint: Member must not be null");
    EXPECT_VALIDATION("CreateTable", "{\"TableName\":\"abc\",\"AttributeDefinitions\":[],\"KeySchema\":[]}",
                      ONE "Value '[]' at 'keySchema' failed to satisfy constraint: Member must have length "
                          "greater than or equal to 1");
    EXPECT_VALIDATION("CreateTable", "{\"TableName\":\"abc\",\"AttributeDefinitions\":[{\"AttributeName\":\"b\","
                                     "\"AttributeType\":\"SS\"}],\"KeySchema\":[{\"AttributeName\":\"a\",\"KeyType\":\"HASH\"}]}",
                      ONE "Value 'SS' at 'attributeDefinitions.1.member.attributeType' failed to satisfy "
                          "constraint: Member must satisfy enum value set: [B, N, S]");
    EXPECT_VALIDATION("CreateTable", "{\"TableName\":\"abc\",\"AttributeDefinitions\":[],\"KeySchema\":[],"
                                     "\"ProvisionedThroughput\":{\"ReadCapacityUnits\":-1,\"WriteCapacityUnits\":-1}}",
                      "3 validation errors detected: Value '-1' at 'provisionedThroughput.writeCapacityUnits' "
                      "failed to satisfy constraint: Member must have value greater than or equal to 1; Value "
                      "'-1' at 'provisionedThroughput.readCapacityUnits' failed to satisfy constraint: Member "
                      "must have value greater than or equal to 1; Value '[]' at 'keySchema' failed to satisfy "
                      "constraint: Member must have length greater than or equal to 1");
    EXPECT_VALIDATION("CreateTable", "{\"TableName\":\"abc\",\"AttributeDefinitions\":[],\"BillingMode\":\"\","
                                     "\"KeySchema\":[{\"AttributeName\":\"a\",\"KeyType\":\"HASH\"}]}",
                      ONE "Value '' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value "
                          "set: [PROVISIONED, PAY_PER_REQUEST]");
}

TEST(reqspec_key_schema_too_long_echoes_the_list)
{
    /* the list is echoed as Java's toString of its KeySchemaElements (capture
     * 2026-08-12-wording-drift c_ct_3keys, us-east-1), absent members as null */
    EXPECT_VALIDATION("CreateTable",
                      "{\"TableName\":\"abc\",\"AttributeDefinitions\":[],\"KeySchema\":[{\"KeyType\":\"HASH\"},"
                      "{\"AttributeName\":\"a\"},{\"KeyType\":\"Woop\",\"AttributeName\":\"a\"}]}",
                      "4 validation errors detected: Value '[KeySchemaElement(attributeName=null, keyType=HASH), "
                      "KeySchemaElement(attributeName=a, keyType=null), KeySchemaElement(attributeName=a, "
                      "keyType=Woop)]' at 'keySchema' failed to satisfy constraint: "
                      "Member must have length less than or equal to 2; Value null at "
                      "'keySchema.1.member.attributeName' failed to satisfy constraint: Member must not be null; "
                      "Value null at 'keySchema.2.member.keyType' failed to satisfy constraint: Member must not "
                      "be null; Value 'Woop' at 'keySchema.3.member.keyType' failed to satisfy constraint: Member "
                      "must satisfy enum value set: [HASH, RANGE]");
    EXPECT_VALIDATION("CreateTable",
                      "{\"TableName\":\"abc\",\"AttributeDefinitions\":[],\"KeySchema\":[{\"AttributeName\":\"pk\","
                      "\"KeyType\":\"HASH\"},{\"AttributeName\":\"sk\",\"KeyType\":\"RANGE\"},{\"AttributeName\":"
                      "\"extra\",\"KeyType\":\"RANGE\"}]}",
                      ONE "Value '[KeySchemaElement(attributeName=pk, keyType=HASH), KeySchemaElement("
                          "attributeName=sk, keyType=RANGE), KeySchemaElement(attributeName=extra, keyType=RANGE)]' "
                          "at 'keySchema' failed to satisfy constraint: Member must have length less than or equal "
                          "to 2");
}

TEST(reqspec_index_paths_and_gsi_before_lsi)
{
    /* live 2026: the GSI error comes before the LSI error whatever the request order */
    EXPECT_VALIDATION("CreateTable",
                      "{\"TableName\":\"abc\",\"AttributeDefinitions\":[],\"KeySchema\":[{\"AttributeName\":\"pk\","
                      "\"KeyType\":\"HASH\"}],\"LocalSecondaryIndexes\":[{\"IndexName\":\"aa\",\"KeySchema\":[{"
                      "\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"}],\"Projection\":{\"ProjectionType\":\"ALL\"}}],"
                      "\"GlobalSecondaryIndexes\":[{\"IndexName\":\"zz\",\"KeySchema\":[{\"AttributeName\":\"g\","
                      "\"KeyType\":\"HASH\"}],\"Projection\":{\"ProjectionType\":\"ALL\"}}]}",
                      "2 validation errors detected: Value 'zz' at 'globalSecondaryIndexes.1.member.indexName' "
                      "failed to satisfy constraint: Member must have length greater than or equal to 3; Value "
                      "'aa' at 'localSecondaryIndexes.1.member.indexName' failed to satisfy constraint: Member "
                      "must have length greater than or equal to 3");
    EXPECT_VALIDATION("CreateTable",
                      "{\"TableName\":\"abc\",\"AttributeDefinitions\":[],\"KeySchema\":[{\"AttributeName\":\"a\","
                      "\"KeyType\":\"HASH\"}],\"LocalSecondaryIndexes\":[{\"IndexName\":\"abc\",\"KeySchema\":[{"
                      "\"AttributeName\":\"a\",\"KeyType\":\"HASH\"}],\"Projection\":{\"NonKeyAttributes\":[],"
                      "\"ProjectionType\":\"abc\"}}]}",
                      "2 validation errors detected: Value 'abc' at "
                      "'localSecondaryIndexes.1.member.projection.projectionType' failed to satisfy constraint: "
                      "Member must satisfy enum value set: [ALL, INCLUDE, KEYS_ONLY]; Value '[]' at "
                      "'localSecondaryIndexes.1.member.projection.nonKeyAttributes' failed to satisfy constraint: "
                      "Member must have length greater than or equal to 1");
}

TEST(reqspec_stops_at_ten_violations)
{
    EXPECT_VALIDATION("CreateTable",
                      "{\"TableName\":\"abc\",\"AttributeDefinitions\":[],\"KeySchema\":[{\"AttributeName\":\"a\","
                      "\"KeyType\":\"HASH\"}],\"LocalSecondaryIndexes\":[{},{},{},{},{},{},{},{},{}]}",
                      "10 validation errors detected: "
                      "Value null at 'localSecondaryIndexes.1.member.indexName' failed to satisfy constraint: Member must not be null; "
                      "Value null at 'localSecondaryIndexes.1.member.keySchema' failed to satisfy constraint: Member must not be null; "
                      "Value null at 'localSecondaryIndexes.1.member.projection' failed to satisfy constraint: Member must not be null; "
                      "Value null at 'localSecondaryIndexes.2.member.indexName' failed to satisfy constraint: Member must not be null; "
                      "Value null at 'localSecondaryIndexes.2.member.keySchema' failed to satisfy constraint: Member must not be null; "
                      "Value null at 'localSecondaryIndexes.2.member.projection' failed to satisfy constraint: Member must not be null; "
                      "Value null at 'localSecondaryIndexes.3.member.indexName' failed to satisfy constraint: Member must not be null; "
                      "Value null at 'localSecondaryIndexes.3.member.keySchema' failed to satisfy constraint: Member must not be null; "
                      "Value null at 'localSecondaryIndexes.3.member.projection' failed to satisfy constraint: Member must not be null; "
                      "Value null at 'localSecondaryIndexes.4.member.indexName' failed to satisfy constraint: Member must not be null");
}

TEST(reqspec_item_operation_constraints)
{
    /* the item operations' TableName is 1..255 (no length error for 'a;'); ReturnValues is
     * reported without value or path, in DynamoDB's misspelt set (2026-08-12 captures) */
    EXPECT_VALIDATION("PutItem",
                      "{\"TableName\":\"a;\",\"Item\":{},\"ReturnConsumedCapacity\":\"hi\",\"ReturnValues\":\"BOGUS\","
                      "\"ReturnItemCollectionMetrics\":\"x\",\"ConditionalOperator\":\"XOR\"}",
                      "5 validation errors detected: Value 'hi' at 'returnConsumedCapacity' failed to satisfy "
                      "constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]; Value 'a;' at "
                      "'tableName' failed to satisfy constraint: Member must satisfy regular "
                      "expression pattern: [a-zA-Z0-9_.-]+; Value 'XOR' at 'conditionalOperator' failed to "
                      "satisfy constraint: Member must satisfy enum value set: [OR, AND]; Failed to satisfy "
                      "constraint: Member must satisfy enum value set: [ALL_OLD, UPDATED_OLD, ALL_NEW, "
                      "UPDATE_NEW, NONE]; Value 'x' at 'returnItemCollectionMetrics' "
                      "failed to satisfy constraint: Member must satisfy enum value set: [SIZE, NONE]");
    EXPECT_VALIDATION("Query",
                      "{\"TableName\":\"abc\",\"Limit\":0,\"Select\":\"X\",\"QueryFilter\":{\"a\":{}},"
                      "\"KeyConditions\":{\"b\":{\"ComparisonOperator\":\"IS\"}}}",
                      "4 validation errors detected: Value 'X' at 'select' failed to satisfy constraint: Member "
                      "must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, "
                      "ALL_PROJECTED_ATTRIBUTES]; Value null at 'queryFilter.a.member.comparisonOperator' failed "
                      "to satisfy constraint: Member must not be null; Value '0' at 'limit' failed to satisfy "
                      "constraint: Member must have value greater than or equal to 1; Value 'IS' at "
                      "'keyConditions.b.member.comparisonOperator' failed to satisfy constraint: Member must "
                      "satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, "
                      "BEGINS_WITH, GE, CONTAINS]");
    EXPECT_VALIDATION("Scan", "{\"TableName\":\"abc\",\"Segment\":-1,\"TotalSegments\":1000001,\"AttributesToGet\":[]}",
                      "3 validation errors detected: Value '1000001' at 'totalSegments' failed to satisfy "
                      "constraint: Member must have value less than or equal to 1000000; Value '-1' at 'segment' "
                      "failed to satisfy constraint: Member must have value greater than or equal to 0; Value "
                      "'[]' at 'attributesToGet' failed to satisfy constraint: Member must have length greater "
                      "than or equal to 1");
}

/* Real DynamoDB's answers, word for word: captures 2026-08-12-wording-drift (us-east-1, "is") and
 * cross-region-latest (eu-central-1) of nubo-db/dynamodb-conformance. */
TEST(reqspec_item_operations_2026_wording)
{
    static const char *empty_name = ONE "Value at 'TableName' failed to satisfy constraint: Member must have "
                                        "length greater than or equal to 1";
    /* s_put_table_empty / o_put_empty_table_empty_item / o_del_empty_table / o_upd_empty_table */
    EXPECT_VALIDATION("PutItem", "{\"TableName\":\"\",\"Item\":{\"pk\":{\"S\":\"test\"}}}", empty_name);
    EXPECT_VALIDATION("PutItem", "{\"TableName\":\"\",\"Item\":{}}", empty_name);
    EXPECT_VALIDATION("DeleteItem", "{\"TableName\":\"\",\"Key\":{}}", empty_name);
    EXPECT_VALIDATION("UpdateItem", "{\"TableName\":\"\",\"Key\":{}}", empty_name);
    EXPECT_VALIDATION("GetItem", "{\"TableName\":\"\",\"Key\":{}}", empty_name);
    EXPECT_VALIDATION("Scan", "{\"TableName\":\"\",\"Limit\":0}", empty_name);
    /* o_put_empty_table_bad_rv: the empty name stops validation */
    EXPECT_VALIDATION("PutItem", "{\"TableName\":\"\",\"ReturnValues\":\"INVALID\",\"Item\":{}}", empty_name);
    /* s_put_table_null, s_put_table_long, s_put_table_badchars */
    EXPECT_VALIDATION("PutItem", "{\"Item\":{\"pk\":{\"S\":\"test\"}}}",
                      ONE "Value null at 'tableName' failed to satisfy constraint: Member must not be null");
    EXPECT_VALIDATION("PutItem", "{\"TableName\":\"bad table!@#\",\"Item\":{\"pk\":{\"S\":\"test\"}}}",
                      ONE "Value 'bad table!@#' at 'tableName' failed to satisfy constraint: Member must satisfy "
                          "regular expression pattern: [a-zA-Z0-9_.-]+");
    /* a one- or two-character name is valid here; the table lookup answers */
    EXPECT_OK("GetItem", "{\"Key\":{},\"TableName\":\"ab\"}", "{\"Key\":{},\"TableName\":\"ab\"}");
    EXPECT_OK("Scan", "{\"TableName\":\"a\"}", "{\"TableName\":\"a\"}");
    /* o_put_three_bad_enums (us-east-1) */
    EXPECT_VALIDATION("PutItem",
                      "{\"TableName\":\"_conformance_valid_table_name\",\"Item\":{\"pk\":{\"S\":\"test\"}},"
                      "\"ReturnConsumedCapacity\":\"INVALID\",\"ReturnItemCollectionMetrics\":\"INVALID\","
                      "\"ReturnValues\":\"INVALID\"}",
                      "3 validation errors detected: Value 'INVALID' at 'returnConsumedCapacity' failed to satisfy "
                      "constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]; Failed to satisfy "
                      "constraint: Member must satisfy enum value set: [ALL_OLD, UPDATED_OLD, ALL_NEW, UPDATE_NEW, "
                      "NONE]; Value 'INVALID' at 'returnItemCollectionMetrics' failed to satisfy constraint: "
                      "Member must satisfy enum value set: [SIZE, NONE]");
    /* o_del_two_bad_enums */
    EXPECT_VALIDATION("DeleteItem",
                      "{\"TableName\":\"_conformance_valid_table_name\",\"Key\":{\"pk\":{\"S\":\"test\"}},"
                      "\"ReturnValues\":\"INVALID\",\"ReturnConsumedCapacity\":\"INVALID\"}",
                      "2 validation errors detected: Value 'INVALID' at 'returnConsumedCapacity' failed to satisfy "
                      "constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]; Failed to satisfy "
                      "constraint: Member must satisfy enum value set: [ALL_OLD, UPDATED_OLD, ALL_NEW, UPDATE_NEW, "
                      "NONE]");
    /* o_upd_two_bad_enums: UpdateItem's ReturnValues is judged alone */
    EXPECT_VALIDATION("UpdateItem",
                      "{\"TableName\":\"_conformance_valid_table_name\",\"Key\":{\"pk\":{\"S\":\"test\"}},"
                      "\"ReturnValues\":\"INVALID\",\"ReturnConsumedCapacity\":\"INVALID\"}",
                      ONE "Failed to satisfy constraint: Member must satisfy enum value set: [ALL_OLD, UPDATED_OLD, "
                          "ALL_NEW, UPDATE_NEW, NONE]");
}

TEST(reqspec_list_tables_pattern_first)
{
    /* live 2026: ExclusiveStartTableName reports the pattern before the length */
    EXPECT_VALIDATION("ListTables", "{\"Limit\":0,\"ExclusiveStartTableName\":\"\"}",
                      "3 validation errors detected: Value '0' at 'limit' failed to satisfy constraint: Member "
                      "must have value greater than or equal to 1; Value '' at 'exclusiveStartTableName' failed "
                      "to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; "
                      "Value '' at 'exclusiveStartTableName' failed to satisfy constraint: Member must have "
                      "length greater than or equal to 3");
    EXPECT_VALIDATION("ListTables", "{\"Limit\":2147483647}",
                      ONE "Value '2147483647' at 'limit' failed to satisfy constraint: Member must have value "
                          "less than or equal to 100");
}

TEST(reqspec_batch_map_constraints)
{
    /* live 2026 (BatchGetItem): the map is echoed as JSON; requestItems before returnConsumedCapacity */
    EXPECT_VALIDATION("BatchGetItem",
                      "{\"RequestItems\":{\"bad!name\":{\"Keys\":[{\"pk\":{\"S\":\"a\"}}]}},\"ReturnConsumedCapacity\":\"BOGUS\"}",
                      "2 validation errors detected: Value '{\"bad!name\":{\"Keys\":[{\"pk\":{\"S\":\"a\"}}]}}' at "
                      "'requestItems' failed to satisfy constraint: Map keys must satisfy constraint: [Member "
                      "must have length less than or equal to 255, Member must have length greater than or equal "
                      "to 3, Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+]; Value 'BOGUS' at "
                      "'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: "
                      "[INDEXES, TOTAL, NONE]");
    EXPECT_VALIDATION("BatchGetItem", "{\"RequestItems\":{\"abc\":{\"Keys\":[]}}}",
                      ONE "Value '[]' at 'requestItems.abc.member.keys' failed to satisfy constraint: Member must "
                          "have length greater than or equal to 1");
    /* an absent or empty RequestItems is refused first, in words of its own (dynalite's suite for
     * BatchWriteItem, even with bad enums beside it; 2026 captures for BatchGetItem) */
    EXPECT_VALIDATION("BatchGetItem", "{\"RequestItems\":{},\"ReturnConsumedCapacity\":\"hi\"}",
                      ONE "Value at 'RequestItems' failed to satisfy constraint: Member must have length greater "
                          "than or equal to 1");
    EXPECT_VALIDATION("BatchGetItem", "{}",
                      ONE "Value at 'RequestItems' failed to satisfy constraint: Member must not be null");
    EXPECT_VALIDATION("BatchWriteItem", "{\"ReturnConsumedCapacity\":\"hi\",\"ReturnItemCollectionMetrics\":\"hi\"}",
                      "The requestItems parameter is required for BatchWriteItem");
    EXPECT_VALIDATION("BatchWriteItem", "{\"RequestItems\":{}}", "The requestItems parameter is required for BatchWriteItem");
    /* BatchWriteItem echoes its RequestItems as Java prints a Map, {table=[WriteRequest(...)]}
     * (nubo-db tier3/error-messages/batchWriteItem, "> 25 requests", 2026) */
    EXPECT_VALIDATION("BatchWriteItem",
                      "{\"ReturnConsumedCapacity\":\"BOGUS\",\"ReturnItemCollectionMetrics\":\"BOGUS2\","
                      "\"RequestItems\":{\"abc\":[]}}",
                      "3 validation errors detected: Value 'BOGUS' at 'returnConsumedCapacity' failed to satisfy "
                      "constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]; Value 'BOGUS2' at "
                      "'returnItemCollectionMetrics' failed to satisfy constraint: Member must satisfy enum value "
                      "set: [SIZE, NONE]; Value '{abc=[]}' at 'requestItems' failed to satisfy constraint: Map "
                      "value must satisfy constraint: [Member must have length less than or equal to 25, Member "
                      "must have length greater than or equal to 1]");
    EXPECT_VALIDATION("BatchWriteItem", "{\"RequestItems\":{\"abc\":[{\"PutRequest\":{}},{\"DeleteRequest\":{}}]}}",
                      "2 validation errors detected: Value null at 'requestItems.abc.member.1.member.putRequest.item' "
                      "failed to satisfy constraint: Member must not be null; Value null at "
                      "'requestItems.abc.member.2.member.deleteRequest.key' failed to satisfy constraint: Member "
                      "must not be null");
}

TEST(reqspec_transactions)
{
    /* live 2026: clientRequestToken, then returnConsumedCapacity, then returnItemCollectionMetrics */
    char token[64];
    char text[512];
    memset(token, 'x', 37);
    token[37] = '\0';
    snprintf(text, sizeof text,
             "{\"TransactItems\":[{\"Put\":{\"TableName\":\"abc\",\"Item\":{}}}],\"ClientRequestToken\":\"%s\","
             "\"ReturnConsumedCapacity\":\"BOGUS\"}", token);
    {
        char expect[1024];
        snprintf(expect, sizeof expect,
                 "2 validation errors detected: Value '%s' at 'clientRequestToken' failed to satisfy constraint: "
                 "Member must have length less than or equal to 36; Value 'BOGUS' at 'returnConsumedCapacity' "
                 "failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]", token);
        EXPECT_VALIDATION("TransactWriteItems", text, expect);
    }
    EXPECT_VALIDATION("TransactWriteItems", "{\"TransactItems\":[]}",
                      ONE "Value '[]' at 'transactItems' failed to satisfy constraint: Member must have length "
                          "greater than or equal to 1");
    EXPECT_VALIDATION("TransactWriteItems",
                      "{\"TransactItems\":[{\"Update\":{\"TableName\":\"a!c\",\"Key\":{}}},{\"ConditionCheck\":{}}]}",
                      "5 validation errors detected: Value 'a!c' at 'transactItems.1.member.update.tableName' "
                      "failed to satisfy constraint: Member must satisfy regular expression pattern: "
                      "[a-zA-Z0-9_.-]+; Value null at 'transactItems.1.member.update.updateExpression' failed to "
                      "satisfy constraint: Member must not be null; Value null at "
                      "'transactItems.2.member.conditionCheck.tableName' failed to satisfy constraint: Member must "
                      "not be null; Value null at 'transactItems.2.member.conditionCheck.conditionExpression' "
                      "failed to satisfy constraint: Member must not be null; Value null at "
                      "'transactItems.2.member.conditionCheck.key' failed to satisfy constraint: Member must not "
                      "be null");
    EXPECT_VALIDATION("TransactGetItems", "{\"TransactItems\":[{}]}",
                      ONE "Value null at 'transactItems.1.member.get' failed to satisfy constraint: Member must not "
                          "be null");
    EXPECT_OK("TransactWriteItems", "{\"TransactItems\":[{}]}", "{\"TransactItems\":[{}]}");
}

TEST(reqspec_update_table_and_ttl)
{
    /* live 2026: sSESpecification.kMSMasterKeyId (lower-first of each member name) */
    EXPECT_VALIDATION("UpdateTable", "{\"TableName\":\"abc\",\"SSESpecification\":{\"KMSMasterKeyId\":\"\"}}",
                      ONE "Value '' at 'sSESpecification.kMSMasterKeyId' failed to satisfy constraint: Member must "
                          "have length greater than or equal to 1");
    EXPECT_VALIDATION("UpdateTable", "{\"TableName\":\"abc\",\"GlobalSecondaryIndexUpdates\":[{\"Update\":{"
                                     "\"IndexName\":\"gsi1\",\"ProvisionedThroughput\":{}}}]}",
                      "2 validation errors detected: Value null at "
                      "'globalSecondaryIndexUpdates.1.member.update.provisionedThroughput.writeCapacityUnits' "
                      "failed to satisfy constraint: Member must not be null; Value null at "
                      "'globalSecondaryIndexUpdates.1.member.update.provisionedThroughput.readCapacityUnits' "
                      "failed to satisfy constraint: Member must not be null");
    EXPECT_VALIDATION("CreateTable", "{\"TableName\":\"abc\",\"AttributeDefinitions\":[],\"KeySchema\":[{"
                                     "\"AttributeName\":\"a\",\"KeyType\":\"HASH\"}],\"StreamSpecification\":{"
                                     "\"StreamViewType\":\"new_image\"}}",
                      "2 validation errors detected: Value null at 'streamSpecification.streamEnabled' failed to "
                      "satisfy constraint: Member must not be null; Value 'new_image' at "
                      "'streamSpecification.streamViewType' failed to satisfy constraint: Member must satisfy enum "
                      "value set: [OLD_IMAGE, KEYS_ONLY, NEW_AND_OLD_IMAGES, NEW_IMAGE]");
    /* attributeName first: DynamoDB's order (2026 capture, ack-api-quirks ttl_empty_struct) */
    EXPECT_VALIDATION("UpdateTimeToLive", "{\"TableName\":\"abc\",\"TimeToLiveSpecification\":{}}",
                      "2 validation errors detected: Value null at 'timeToLiveSpecification.attributeName' "
                      "failed to satisfy constraint: Member must not be null; Value null at "
                      "'timeToLiveSpecification.enabled' failed to satisfy constraint: Member must not be null");
    EXPECT_VALIDATION("UpdateTimeToLive",
                      "{\"TableName\":\"abc\",\"TimeToLiveSpecification\":{\"AttributeName\":\"\",\"Enabled\":true}}",
                      ONE "Value '' at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member "
                          "must have length greater than or equal to 1");
    EXPECT_VALIDATION("UpdateTimeToLive", "{\"TableName\":\"abc\"}",
                      ONE "Value null at 'timeToLiveSpecification' failed to satisfy constraint: Member must not be "
                          "null");
}

TEST(reqspec_streams_operations)
{
    /* DynamoDB Local gives exactly these for Limit 0 */
    EXPECT_VALIDATION("ListStreams", "{\"Limit\":0}",
                      ONE "Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or "
                          "equal to 1");
    EXPECT_VALIDATION("GetRecords", "{\"ShardIterator\":\"x\",\"Limit\":0}",
                      ONE "Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or "
                          "equal to 1");
    EXPECT_VALIDATION("GetRecords", "{}",
                      ONE "Value null at 'shardIterator' failed to satisfy constraint: Member must not be null");
    EXPECT_VALIDATION("GetShardIterator", "{\"StreamArn\":\"x\",\"ShardId\":\"s\",\"ShardIteratorType\":\"BAD\"}",
                      "3 validation errors detected: Value 'x' at 'streamArn' failed to satisfy constraint: Member "
                      "must have length greater than or equal to 37; Value 's' at 'shardId' failed to satisfy "
                      "constraint: Member must have length greater than or equal to 28; Value 'BAD' at "
                      "'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: "
                      "[TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER]");
    EXPECT_VALIDATION("DescribeStream", "{}",
                      ONE "Value null at 'streamArn' failed to satisfy constraint: Member must not be null");
    /* the upper bounds of Limit are the Streams handlers' (their own words) */
    EXPECT_OK("GetRecords", "{\"ShardIterator\":\"x\",\"Limit\":1001}", "{\"Limit\":1001,\"ShardIterator\":\"x\"}");
}

TEST(reqspec_valid_requests_pass)
{
    EXPECT_OK("CreateTable",
              "{\"TableName\":\"abc\",\"AttributeDefinitions\":[{\"AttributeName\":\"a\",\"AttributeType\":\"S\"}],"
              "\"KeySchema\":[{\"AttributeName\":\"a\",\"KeyType\":\"HASH\"}],\"BillingMode\":\"PAY_PER_REQUEST\","
              "\"StreamSpecification\":{\"StreamEnabled\":true,\"StreamViewType\":\"NEW_IMAGE\"},"
              "\"Tags\":[{\"Key\":\"k\",\"Value\":\"v\"}]}",
              "{\"AttributeDefinitions\":[{\"AttributeName\":\"a\",\"AttributeType\":\"S\"}],\"BillingMode\":"
              "\"PAY_PER_REQUEST\",\"KeySchema\":[{\"AttributeName\":\"a\",\"KeyType\":\"HASH\"}],"
              "\"StreamSpecification\":{\"StreamEnabled\":true,\"StreamViewType\":\"NEW_IMAGE\"},\"TableName\":"
              "\"abc\",\"Tags\":[{\"Key\":\"k\",\"Value\":\"v\"}]}");
    EXPECT_OK("UpdateItem",
              "{\"TableName\":\"t.-_9\",\"Key\":{\"a\":{\"N\":\"1\"}},\"UpdateExpression\":\"SET #b = :b\","
              "\"ExpressionAttributeNames\":{\"#b\":\"b\"},\"ExpressionAttributeValues\":{\":b\":{\"M\":{\"c\":"
              "{\"L\":[{\"NS\":[\"1\"]}]}}}},\"ReturnValuesOnConditionCheckFailure\":\"ALL_OLD\"}",
              "{\"ExpressionAttributeNames\":{\"#b\":\"b\"},\"ExpressionAttributeValues\":{\":b\":{\"M\":{\"c\":"
              "{\"L\":[{\"NS\":[\"1\"]}]}}}},\"Key\":{\"a\":{\"N\":\"1\"}},\"ReturnValuesOnConditionCheckFailure\":"
              "\"ALL_OLD\",\"TableName\":\"t.-_9\",\"UpdateExpression\":\"SET #b = :b\"}");
}
