"""test_table.py — CreateTable, DescribeTable, ListTables, DeleteTable, UpdateTable.

Order: serialization, validation, functionality (dynalite). Expected messages are DynamoDB's: from
dynalite's suite (recorded against DynamoDB) and 2026 captures, cross-checked with DynamoDB Local,
which agrees on behaviour but words most validation errors differently; its words are given as
`local=` so that `--url` against it still runs each test. Where Local behaves differently, not just
words it differently, the test is marked local_differs.
"""
import datetime
import re
import time

import pytest

import util
from util import raises, violation, violations

INVALID_NAME = ("Invalid table/index name.  Table/index names must be between 3 and 255 characters "
                "long, and may contain only the characters a-z, A-Z, 0-9, '_', '-', and '.'")
NULL_TABLE_NAME = "Value null at 'tableName' failed to satisfy constraint: Member must not be null"
NO_KEY_SCHEMA = ("No defined key schema.  A key schema containing at least a hash key must be defined for all "
                 "tables")
LOCAL_NOT_FOUND = "Cannot do operations on a non-existent table"
PT1 = {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}
KS_A = [{"AttributeName": "a", "KeyType": "HASH"}]
KS_AB = KS_A + [{"AttributeName": "b", "KeyType": "RANGE"}]
AD_A = [{"AttributeName": "a", "AttributeType": "S"}]
AD_AB = AD_A + [{"AttributeName": "b", "AttributeType": "S"}]


def not_found(name):
    """DynamoDB's message for a missing table in the table operations."""
    return f"Requested resource not found: Table: {name} not found"


def create(dynamodb, **params):
    """CreateTable with a valid hash+range provisioned table as the base; None removes a field."""
    request = {"TableName": util.unique_name(), "AttributeDefinitions": AD_AB, "KeySchema": KS_AB,
               "ProvisionedThroughput": PT1}
    request.update(params)
    return dynamodb.create_table(**{k: v for k, v in request.items() if v is not None})


def gsi(name="gsi1", keys=(("b", "HASH"),), projection=None, throughput=PT1):
    index = {"IndexName": name, "KeySchema": [{"AttributeName": a, "KeyType": k} for a, k in keys],
             "Projection": projection or {"ProjectionType": "ALL"}}
    if throughput is not None:
        index["ProvisionedThroughput"] = throughput
    return index


def lsi(name="lsi1", keys=(("a", "HASH"), ("c", "RANGE")), projection=None):
    return {"IndexName": name, "KeySchema": [{"AttributeName": a, "KeyType": k} for a, k in keys],
            "Projection": projection or {"ProjectionType": "ALL"}}


AD_ABC = AD_AB + [{"AttributeName": "c", "AttributeType": "N"}]


def serialization_error(url, op, body, message):
    """Sends body raw and expects DynamoDB's SerializationException with message."""
    status, _, parsed, raw = util.raw_request(url, target=f"DynamoDB_20120810.{op}", body=body)
    assert (status, util.error_of(parsed)) == (400, ("SerializationException", message)), raw


# =============================================================================================
# Serialization: DynamoDB answers a field of the wrong JSON type with SerializationException (its
# Java type names leak into the messages, recorded by dynalite against DynamoDB). DynamoDB Local
# answers all of these with a 500 InternalFailure or coerces the value, so they are skipped there.
# =============================================================================================

LOCAL_500 = "DynamoDB Local answers wrongly typed fields with 500 InternalFailure or coerces them"


@pytest.mark.local_differs(LOCAL_500)
def test_create_table_name_not_string(url):
    # why: a number where a string belongs is a SerializationException, not a table named "123".
    serialization_error(url, "CreateTable", {"TableName": 123}, "NUMBER_VALUE cannot be converted to String")


@pytest.mark.local_differs(LOCAL_500)
def test_create_table_key_schema_not_list(url):
    # why: list-typed members reject scalars before any validation runs.
    serialization_error(url, "CreateTable", {"TableName": "abc", "KeySchema": "a"}, "Unexpected field type")


@pytest.mark.local_differs(LOCAL_500)
def test_create_table_key_schema_element_not_struct(url):
    # why: list members are structures; a scalar member is rejected with DynamoDB's wording.
    serialization_error(url, "CreateTable", {"TableName": "abc", "KeySchema": ["a"]},
                        "Unexpected value type in payload")


@pytest.mark.local_differs(LOCAL_500)
def test_create_table_capacity_not_long(url):
    # why: capacity units are Longs; a JSON string is not converted.
    serialization_error(url, "CreateTable",
                        {"TableName": "abc", "ProvisionedThroughput": {"ReadCapacityUnits": "1"}},
                        "STRING_VALUE cannot be converted to Long")


@pytest.mark.local_differs(LOCAL_500)
def test_list_tables_limit_not_integer(url):
    # why: Limit is an Integer; booleans are not numbers in DynamoDB's parser.
    serialization_error(url, "ListTables", {"Limit": True}, "TRUE_VALUE cannot be converted to Integer")


@pytest.mark.local_differs(LOCAL_500)
def test_describe_table_name_is_list(url):
    # why: a list where a string belongs names the Java collection type DynamoDB expected.
    serialization_error(url, "DescribeTable", {"TableName": []},
                        "Unrecognized collection type class java.lang.String")


# =============================================================================================
# Validation: CreateTable. Members' model constraints come first, aggregated in one message
# ("N validation errors detected: ..."), then the semantic rules one at a time. DynamoDB's texts
# are from dynalite's suite (recorded against DynamoDB) and 2026 captures; DynamoDB Local words
# nearly all of these differently, and its text is given as local= so the test still runs there.
# =============================================================================================

def name_violations(name, path="tableName", pattern_first=False):
    """The constraint violations of a table or index name, in DynamoDB's order."""
    parts = []
    if name is not None and len(name) < 3:
        parts.append(violation(name, path, "have length greater than or equal to 3"))
    if name is not None and len(name) > 255:
        parts.append(violation(name, path, "have length less than or equal to 255"))
    if name is not None and not re.fullmatch(r"[a-zA-Z0-9_.-]+", name):
        pattern = violation(name, path, "satisfy regular expression pattern: [a-zA-Z0-9_.-]+")
        parts.insert(0, pattern) if pattern_first else parts.append(pattern)
    return violations(*parts)


BAD_NAMES = ["", "ab", "a" * 256, "abc;", "ab c", "t\u00e5ble"]
BAD_NAME_IDS = ["empty", "two-chars", "256-chars", "semicolon", "space", "non-ascii"]


def test_create_table_name_missing(dynamodb):
    # why: TableName is required, and said so in words of its own.
    with raises("ValidationException", "The parameter 'TableName' is required but was not present in the request",
                local=INVALID_NAME):
        create(dynamodb, TableName=None)


@pytest.mark.parametrize("name", BAD_NAMES, ids=BAD_NAME_IDS)
def test_create_table_invalid_name(dynamodb, name):
    # why: table names are 3..255 characters of [a-zA-Z0-9_.-]; length is reported before pattern.
    with raises("ValidationException", name_violations(name), local=INVALID_NAME):
        create(dynamodb, TableName=name)


def test_create_table_name_checked_alone(dynamodb):
    # why: a bad table name is reported on its own, before the other members' constraints.
    with raises("ValidationException", name_violations("x!"), local=INVALID_NAME):
        create(dynamodb, TableName="x!", KeySchema=[], AttributeDefinitions=[])


@pytest.mark.parametrize("key_schema, message, local", [
    (None, violation(None, "keySchema", "not be null"), NO_KEY_SCHEMA),
    ([], violation("[]", "keySchema", "have length greater than or equal to 1"), NO_KEY_SCHEMA),
], ids=["missing", "empty"])
def test_create_table_no_key_schema(dynamodb, key_schema, message, local):
    # why: a table needs at least a hash key.
    with raises("ValidationException", violations(message), local=local):
        create(dynamodb, KeySchema=key_schema)


def test_create_table_key_schema_too_big(dynamodb):
    # why: at most a hash and a range key; DynamoDB echoes the list (its rendering is not pinned here).
    echo = re.compile(r"1 validation error detected: Value '\[.+\]' at 'keySchema' failed to satisfy "
                      r"constraint: Member must have length less than or equal to 2")
    with raises("ValidationException", echo, local="Key Schema too big.  Key Schema must at most consist of the "
                                                   "hash and range key of a table"):
        create(dynamodb, KeySchema=KS_AB + [{"AttributeName": "c", "KeyType": "RANGE"}])


def test_create_table_several_violations(dynamodb):
    # why: constraint violations of different members are all reported, in DynamoDB's member order.
    with raises("ValidationException", violations(
            violation("-1", "provisionedThroughput.writeCapacityUnits", "have value greater than or equal to 1"),
            violation("-1", "provisionedThroughput.readCapacityUnits", "have value greater than or equal to 1"),
            violation("[]", "keySchema", "have length greater than or equal to 1")), local=NO_KEY_SCHEMA):
        create(dynamodb, AttributeDefinitions=[], KeySchema=[],
               ProvisionedThroughput={"ReadCapacityUnits": -1, "WriteCapacityUnits": -1})


@pytest.mark.parametrize("key_schema, message, local", [
    ([{"AttributeName": "a", "KeyType": "RANGE"}], "Invalid KeySchema: The first KeySchemaElement is not a HASH key type",
     "No Hash Key specified in schema.  All Dynamo DB tables must have exactly one hash key"),
    ([{"AttributeName": "a", "KeyType": "RANGE"}, {"AttributeName": "b", "KeyType": "HASH"}],
     "Invalid KeySchema: The first KeySchemaElement is not a HASH key type",
     "Invalid key order. Hash Key must be specified first in key schema, Range Key must be specifed second"),
    ([{"AttributeName": "a", "KeyType": "HASH"}, {"AttributeName": "b", "KeyType": "HASH"}],
     "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type",
     "Too many hash keys specified.  All Dynamo DB tables must have exactly one hash key"),
    ([{"AttributeName": "a", "KeyType": "HASH"}, {"AttributeName": "a", "KeyType": "HASH"}],
     "Both the Hash Key and the Range Key element in the KeySchema have the same name",
     "Two keys can not have the same name"),
], ids=["range-only", "range-first", "two-hash", "same-name"])
def test_create_table_key_order(dynamodb, key_schema, message, local):
    # why: exactly one hash key, first; an optional range key, second, with another name.
    with raises("ValidationException", message, local=local):
        create(dynamodb, KeySchema=key_schema)


@pytest.mark.parametrize("element, message, local", [
    ({"AttributeName": "a"}, violation(None, "keySchema.1.member.keyType", "not be null"),
     "One or more keys is not specified as being hash or range."),
    ({"AttributeName": "a", "KeyType": "Woop"},
     violation("Woop", "keySchema.1.member.keyType", "satisfy enum value set: [HASH, RANGE]"),
     "No Hash Key specified in schema.  All Dynamo DB tables must have exactly one hash key"),
    ({"KeyType": "HASH"}, violation(None, "keySchema.1.member.attributeName", "not be null"),
     "Attribute name must be specified."),
], ids=["no-key-type", "bad-key-type", "no-name"])
def test_create_table_key_element(dynamodb, element, message, local):
    # why: each key schema element has a name and a KeyType of HASH or RANGE.
    with raises("ValidationException", violations(message), local=local):
        create(dynamodb, KeySchema=[element], AttributeDefinitions=AD_A)


@pytest.mark.parametrize("name, constraint", [("", "have length greater than or equal to 1"),
                                              ("a" * 256, "have length less than or equal to 255")],
                         ids=["empty", "256-chars"])
def test_create_table_key_name_length(dynamodb, name, constraint):
    # why: key attribute names are 1..255 characters, in the definitions and the key schema alike.
    with raises("ValidationException", violations(
            violation(name, "attributeDefinitions.1.member.attributeName", constraint),
            violation(name, "keySchema.1.member.attributeName", constraint)),
            local="Names of key attributes and attributes projected into an index must be between 1 and 255 "
                  "characters, inclusive"):
        create(dynamodb, KeySchema=[{"AttributeName": name, "KeyType": "HASH"}],
               AttributeDefinitions=[{"AttributeName": name, "AttributeType": "S"}])


def test_create_table_no_attribute_definitions(dynamodb):
    # why: key attributes need types.
    with raises("ValidationException", violations(violation(None, "attributeDefinitions", "not be null")),
                local="No Attribute Schema Defined"):
        create(dynamodb, AttributeDefinitions=None, KeySchema=KS_A)


def test_create_table_attribute_definition_empty(dynamodb):
    # why: each attribute definition has a type and a name (reported type first).
    with raises("ValidationException", violations(
            violation(None, "attributeDefinitions.1.member.attributeType", "not be null"),
            violation(None, "attributeDefinitions.1.member.attributeName", "not be null")),
            local="Attribute name must be specified."):
        create(dynamodb, AttributeDefinitions=[{}], KeySchema=KS_A)


@pytest.mark.parametrize("attr_type", ["SS", "BOOL", "x"])
def test_create_table_invalid_attribute_type(dynamodb, attr_type):
    # why: key attributes can only be B, N or S.
    with raises("ValidationException", violations(violation(
            attr_type, "attributeDefinitions.1.member.attributeType", "satisfy enum value set: [B, N, S]")),
            local="Member must satisfy enum value set: [B, N, S]"):
        create(dynamodb, AttributeDefinitions=[{"AttributeName": "a", "AttributeType": attr_type}], KeySchema=KS_A)


def test_create_table_hash_key_not_defined(dynamodb):
    # why: the hash key needs an attribute definition; DynamoDB lists both sides.
    with raises("ValidationException", "One or more parameter values were invalid: Some index key attributes are "
                                       "not defined in AttributeDefinitions. Keys: [a], AttributeDefinitions: [b]",
                local="Hash Key not specified in Attribute Definitions.  Type unknown."):
        create(dynamodb, AttributeDefinitions=[{"AttributeName": "b", "AttributeType": "S"}], KeySchema=KS_A)


def test_create_table_range_key_not_defined(dynamodb):
    # why: with two keys and fewer definitions, DynamoDB answers in other words.
    with raises("ValidationException", "Invalid KeySchema: Some index key attribute have no definition",
                local="Range Key not specified in Attribute Definitions.  Type unknown."):
        create(dynamodb, AttributeDefinitions=AD_A, KeySchema=KS_AB)


def test_create_table_extra_attribute_definition(dynamodb):
    # why: without indexes, the definitions are exactly the key attributes.
    with raises("ValidationException", "One or more parameter values were invalid: Number of attributes in "
                                       "KeySchema does not exactly match number of attributes defined in "
                                       "AttributeDefinitions",
                local="The number of attributes in key schema must match the number of attributes defined in "
                      "attribute definitions."):
        create(dynamodb, AttributeDefinitions=AD_AB, KeySchema=KS_A)


def test_create_table_duplicate_attribute_definition(dynamodb):
    # why: an attribute is defined once.
    with raises("ValidationException", "Attribute Name is duplicated: a",
                local="Cannot have two attributes with the same name"):
        create(dynamodb, AttributeDefinitions=AD_A + [{"AttributeName": "a", "AttributeType": "N"}], KeySchema=KS_A,
               ProvisionedThroughput=None, BillingMode="PAY_PER_REQUEST")


@pytest.mark.parametrize("params", [{}, {"BillingMode": "PROVISIONED"}], ids=["default", "PROVISIONED"])
def test_create_table_provisioned_without_throughput(dynamodb, params):
    # why: PROVISIONED (the default) requires ProvisionedThroughput.
    with raises("ValidationException", "One or more parameter values were invalid: ReadCapacityUnits and "
                                       "WriteCapacityUnits must both be specified when BillingMode is PROVISIONED",
                local="No provisioned throughput specified for the table"):
        create(dynamodb, ProvisionedThroughput=None, **params)


@pytest.mark.parametrize("throughput, message", [
    ({"ReadCapacityUnits": 0, "WriteCapacityUnits": 1},
     violation("0", "provisionedThroughput.readCapacityUnits", "have value greater than or equal to 1")),
    ({"ReadCapacityUnits": 1, "WriteCapacityUnits": 0},
     violation("0", "provisionedThroughput.writeCapacityUnits", "have value greater than or equal to 1")),
    ({"ReadCapacityUnits": 1}, violation(None, "provisionedThroughput.writeCapacityUnits", "not be null")),
    ({"WriteCapacityUnits": 1}, violation(None, "provisionedThroughput.readCapacityUnits", "not be null")),
], ids=["read-0", "write-0", "no-write", "no-read"])
def test_create_table_throughput_too_low(dynamodb, throughput, message):
    # why: both capacities are required and at least 1.
    with raises("ValidationException", violations(message),
                local="Table read and write throughput must be at least 1, and cannot be null"):
        create(dynamodb, ProvisionedThroughput=throughput)


@pytest.mark.parametrize("throughput, which", [({"ReadCapacityUnits": 1000000000001, "WriteCapacityUnits": 1}, "Read"),
                                               ({"ReadCapacityUnits": 1, "WriteCapacityUnits": 1000000000001}, "Write")],
                         ids=["read", "write"])
def test_create_table_throughput_out_of_bounds(dynamodb, throughput, which):
    # why: capacities above 10^12 are out of bounds whatever the account's quota.
    with raises("ValidationException", f"Given value 1000000000001 for {which}CapacityUnits is out of bounds",
                local="Cannot increase provisioned throughput to more than 40,000 units per table"):
        create(dynamodb, ProvisionedThroughput=throughput)


@pytest.mark.local_differs("DynamoDB Local accepts throughput with PAY_PER_REQUEST and ignores it")
def test_create_table_pay_per_request_with_throughput(dynamodb):
    # why: on-demand tables take no throughput.
    with raises("ValidationException", "One or more parameter values were invalid: Neither ReadCapacityUnits "
                                       "nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST"):
        create(dynamodb, BillingMode="PAY_PER_REQUEST")


@pytest.mark.local_differs("DynamoDB Local answers an unknown BillingMode with 500 InternalFailure")
def test_create_table_invalid_billing_mode(dynamodb):
    # why: BillingMode is an enum.
    with raises("ValidationException", violations(violation(
            "FOO", "billingMode", "satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]"))):
        create(dynamodb, BillingMode="FOO")


# --- local secondary indexes ---------------------------------------------------------------

def test_create_table_lsi_on_hash_only_table(dynamodb):
    # why: a local index re-sorts a partition, so the table needs a range key.
    with raises("ValidationException", "One or more parameter values were invalid: Table KeySchema does not have "
                                       "a range key, which is required when specifying a LocalSecondaryIndex",
                local="Local Secondary indices are not allowed on hash tables, only hash and range tables"):
        create(dynamodb, AttributeDefinitions=AD_AB, KeySchema=KS_A,
               LocalSecondaryIndexes=[lsi(keys=(("a", "HASH"), ("b", "RANGE")))])


def test_create_table_lsi_range_key_not_defined(dynamodb):
    # why: index keys need attribute definitions too; DynamoDB lists the index's keys.
    with raises("ValidationException", "One or more parameter values were invalid: Some index key attributes are "
                                       "not defined in AttributeDefinitions. Keys: [a, c], AttributeDefinitions: [a, b]",
                local="Local Secondary Index range key not specified in Attribute Definitions.Type unknown."):
        create(dynamodb, LocalSecondaryIndexes=[lsi()])


def test_create_table_lsi_without_range_key(dynamodb):
    # why: a local index needs its own range key.
    with raises("ValidationException", "One or more parameter values were invalid: Index KeySchema does not have a "
                                       "range key for index: lsi1",
                local="Local secondary indices must have a range key"):
        create(dynamodb, AttributeDefinitions=AD_ABC, LocalSecondaryIndexes=[lsi(keys=(("a", "HASH"),))])


def test_create_table_lsi_other_hash_key(dynamodb):
    # why: a local index shares the table's hash key.
    with raises("ValidationException", "One or more parameter values were invalid: Index KeySchema does not have the "
                                       "same leading hash key as table KeySchema for index: lsi1. index hash key: b, "
                                       "table hash key: a",
                local="Local Secondary indices must have the same hash key as the main table"):
        create(dynamodb, AttributeDefinitions=AD_ABC, LocalSecondaryIndexes=[lsi(keys=(("b", "HASH"), ("c", "RANGE")))])


@pytest.mark.parametrize("kind", ["local", "global"])
def test_create_table_index_without_projection(dynamodb, kind):
    # why: every index states its projection.
    index = lsi() if kind == "local" else gsi()
    del index["Projection"]
    member = "localSecondaryIndexes" if kind == "local" else "globalSecondaryIndexes"
    params = {"LocalSecondaryIndexes": [index]} if kind == "local" else {"GlobalSecondaryIndexes": [index]}
    with raises("ValidationException", violations(violation(None, f"{member}.1.member.projection", "not be null")),
                local="Indexes must have a projection specified"):
        create(dynamodb, AttributeDefinitions=AD_ABC, **params)


def test_create_table_invalid_projection_type(dynamodb):
    # why: ProjectionType is ALL, INCLUDE or KEYS_ONLY.
    with raises("ValidationException", violations(violation(
            "SOME", "localSecondaryIndexes.1.member.projection.projectionType",
            "satisfy enum value set: [ALL, INCLUDE, KEYS_ONLY]")),
            local="Projection type must be INCLUDE, ALL, or KEYS_ONLY"):
        create(dynamodb, AttributeDefinitions=AD_ABC, LocalSecondaryIndexes=[lsi(projection={"ProjectionType": "SOME"})])


def test_create_table_include_without_attributes(dynamodb):
    # why: INCLUDE names the non-key attributes it includes.
    with raises("ValidationException", "One or more parameter values were invalid: ProjectionType is INCLUDE, but "
                                       "NonKeyAttributes is not specified",
                local="If Projection type INCLUDE is specified, some non-key attributes to include in the projection "
                      "must be specified as well"):
        create(dynamodb, AttributeDefinitions=AD_ABC, LocalSecondaryIndexes=[lsi(projection={"ProjectionType": "INCLUDE"})])


@pytest.mark.parametrize("projection_type", ["ALL", "KEYS_ONLY"])
def test_create_table_attributes_without_include(dynamodb, projection_type):
    # why: NonKeyAttributes only go with INCLUDE.
    with raises("ValidationException", f"One or more parameter values were invalid: ProjectionType is "
                                       f"{projection_type}, but NonKeyAttributes is specified",
                local="No attributes should be specified to be projected unless projection type is INCLUDE"):
        create(dynamodb, AttributeDefinitions=AD_ABC, LocalSecondaryIndexes=[
            lsi(projection={"ProjectionType": projection_type, "NonKeyAttributes": ["x"]})])


def test_create_table_duplicate_projected_attribute(dynamodb):
    # why: projected attribute names are a set.
    with raises("ValidationException", "One or more parameter values were invalid: Duplicate element in "
                                       "NonKeyAttributes: x",
                local="Cannot have two attributes with the same name"):
        create(dynamodb, AttributeDefinitions=AD_ABC, LocalSecondaryIndexes=[
            lsi(projection={"ProjectionType": "INCLUDE", "NonKeyAttributes": ["x", "y", "x"]})])


def test_create_table_too_many_projected_attributes(dynamodb):
    # why: at most 100 projected non-key attributes over all indexes (Local's text names LSIs and 20).
    indexes = [gsi(name=f"gsi{i}", throughput=None, projection={
        "ProjectionType": "INCLUDE", "NonKeyAttributes": [f"x{i}_{j}" for j in range(20)]}) for i in range(6)]
    with raises("ValidationException", "One or more parameter values were invalid: Number of projected attributes "
                                       "in all indexes exceeds the per-table limit of 100",
                local="No more than 20 attributes per table can be projected into Local Secondary Indices"):
        create(dynamodb, AttributeDefinitions=AD_AB, KeySchema=KS_A, BillingMode="PAY_PER_REQUEST",
               ProvisionedThroughput=None, GlobalSecondaryIndexes=indexes)


@pytest.mark.parametrize("kind", ["local", "global"])
def test_create_table_duplicate_index_names(dynamodb, kind):
    # why: index names are unique per table.
    params = ({"LocalSecondaryIndexes": [lsi(), lsi()]} if kind == "local"
              else {"GlobalSecondaryIndexes": [gsi(name="lsi1"), gsi(name="lsi1")]})
    with raises("ValidationException", "One or more parameter values were invalid: Duplicate index name: lsi1",
                local=f"Two {kind} secondary indices have the same name"):
        create(dynamodb, AttributeDefinitions=AD_ABC, **params)


def test_create_table_lsi_and_gsi_same_name(dynamodb):
    # why: local and global index names share one namespace.
    with raises("ValidationException", "One or more parameter values were invalid: Duplicate index name: idx",
                local="Local Secondary Indices AND Global Secondary Indices must have different names"):
        create(dynamodb, AttributeDefinitions=AD_ABC, LocalSecondaryIndexes=[lsi(name="idx")],
               GlobalSecondaryIndexes=[gsi(name="idx")])


def test_create_table_too_many_lsis(dynamodb):
    # why: at most 5 local indexes per table.
    with raises("ValidationException", "One or more parameter values were invalid: Number of LocalSecondaryIndexes "
                                       "exceeds per-table limit of 5",
                local="Cannot have more than 5 local secondary indexes per table"):
        create(dynamodb, AttributeDefinitions=AD_ABC, LocalSecondaryIndexes=[lsi(name=f"lsi{i}") for i in range(6)])


@pytest.mark.parametrize("kind", ["local", "global"])
def test_create_table_index_invalid_name(dynamodb, kind):
    # why: index names follow the table-name rule, reported at the index's path.
    if kind == "local":
        params, path = {"LocalSecondaryIndexes": [lsi(name="ls;")]}, "localSecondaryIndexes.1.member.indexName"
    else:
        params, path = {"GlobalSecondaryIndexes": [gsi(name="g1")]}, "globalSecondaryIndexes.1.member.indexName"
    name = "ls;" if kind == "local" else "g1"
    with raises("ValidationException", name_violations(name, path), local=INVALID_NAME):
        create(dynamodb, AttributeDefinitions=AD_ABC, **params)


@pytest.mark.local_differs("DynamoDB Local accepts an empty LocalSecondaryIndexes list")
def test_create_table_empty_lsi_list(dynamodb):
    # why: an empty index list is an error, not "no indexes".
    with raises("ValidationException", "One or more parameter values were invalid: List of LocalSecondaryIndexes "
                                       "is empty"):
        create(dynamodb, LocalSecondaryIndexes=[])


# --- global secondary indexes --------------------------------------------------------------

def test_create_table_empty_gsi_list(dynamodb):
    # why: an empty index list is an error, not "no indexes".
    with raises("ValidationException", "One or more parameter values were invalid: List of GlobalSecondaryIndexes "
                                       "is empty", local="GSI list is empty/invalid"):
        create(dynamodb, GlobalSecondaryIndexes=[])


def test_create_table_gsi_key_not_defined(dynamodb):
    # why: global index keys need attribute definitions.
    with raises("ValidationException", "One or more parameter values were invalid: Some index key attributes are "
                                       "not defined in AttributeDefinitions. Keys: [c], AttributeDefinitions: [a, b]",
                local="Attribute c is not defined in AttributeDefinitions"):
        create(dynamodb, GlobalSecondaryIndexes=[gsi(keys=(("c", "HASH"),))])


def test_create_table_gsi_no_hash_key(dynamodb):
    # why: a global index needs its own hash key, first.
    with raises("ValidationException", "Invalid KeySchema: The first KeySchemaElement is not a HASH key type",
                local="No Hash Key specified in schema.  All Dynamo DB tables must have exactly one hash key"):
        create(dynamodb, GlobalSecondaryIndexes=[gsi(keys=(("b", "RANGE"),))])


def test_create_table_gsi_same_key_names(dynamodb):
    # why: index hash and range key must differ.
    with raises("ValidationException", "Both the Hash Key and the Range Key element in the KeySchema have the same "
                                       "name", local="Two keys can not have the same name"):
        create(dynamodb, GlobalSecondaryIndexes=[gsi(keys=(("b", "HASH"), ("b", "RANGE")))])


def test_create_table_gsi_without_throughput(dynamodb):
    # why: on a PROVISIONED table every global index has its own throughput.
    with raises("ValidationException", "One or more parameter values were invalid: ProvisionedThroughput is not "
                                       "specified for index: gsi1",
                local="No provisioned throughput specified for the global secondary index"):
        create(dynamodb, GlobalSecondaryIndexes=[gsi(throughput=None)])


def test_create_table_gsi_throughput_too_low(dynamodb):
    # why: index capacities are at least 1 too.
    with raises("ValidationException", violations(violation(
            "0", "globalSecondaryIndexes.1.member.provisionedThroughput.readCapacityUnits",
            "have value greater than or equal to 1")),
            local="Global Secondary Index's read and write throughput must be at least 1, and cannot be null"):
        create(dynamodb, GlobalSecondaryIndexes=[gsi(throughput={"ReadCapacityUnits": 0, "WriteCapacityUnits": 1})])


@pytest.mark.local_differs("DynamoDB Local accepts (and ignores) GSI throughput on on-demand tables")
def test_create_table_gsi_throughput_on_demand(dynamodb):
    # why: on-demand tables take no index throughput either.
    with raises("ValidationException", "One or more parameter values were invalid: ProvisionedThroughput "
                                       "should not be specified for index: gsi1 when BillingMode is PAY_PER_REQUEST"):
        create(dynamodb, BillingMode="PAY_PER_REQUEST", ProvisionedThroughput=None, GlobalSecondaryIndexes=[gsi()])


def test_create_table_too_many_gsis(dynamodb):
    # why: at most 20 global indexes per table (the default quota).
    with raises("ValidationException", "One or more parameter values were invalid: GlobalSecondaryIndex count "
                                       "exceeds the per-table limit of 20",
                local="GlobalSecondaryIndex count exceeds the per-table limit"):
        create(dynamodb, GlobalSecondaryIndexes=[gsi(name=f"gsi{i}") for i in range(21)])


# --- streams and tags ----------------------------------------------------------------------

def test_create_table_stream_enabled_missing(dynamodb):
    # why: a StreamSpecification must say whether the stream is on.
    with raises("ValidationException", violations(violation(None, "streamSpecification.streamEnabled", "not be null")),
                local="Stream StreamEnabled was null"):
        create(dynamodb, StreamSpecification={})


def test_create_table_stream_without_view_type(dynamodb):
    # why: an enabled stream needs a view type (DynamoDB's text names UpdateTable's parameter).
    with raises("ValidationException", "One or more parameter values were invalid: Table is being created with a "
                                       "stream enabled, UpdateViewType is required",
                local="Invalid StreamViewType: Stream ViewType must not be null or empty when enabling streams."):
        create(dynamodb, StreamSpecification={"StreamEnabled": True})


def test_create_table_stream_disabled_with_view_type(dynamodb):
    # why: a view type only goes with an enabled stream.
    with raises("ValidationException", "One or more parameter values were invalid: Table is being created with a "
                                       "stream disabled, UpdateViewType should not be specified",
                local="Invalid StreamViewType: Stream StreamEnabled was false but a StreamViewType was present."):
        create(dynamodb, StreamSpecification={"StreamEnabled": False, "StreamViewType": "NEW_IMAGE"})


@pytest.mark.local_differs("DynamoDB Local accepts any StreamViewType (and reports UNKNOWN_TO_SDK_VERSION)")
def test_create_table_invalid_stream_view_type(dynamodb):
    # why: StreamViewType is an enum; DynamoDB lists it in this order (2026 capture).
    with raises("ValidationException", violations(violation(
            "FOO", "streamSpecification.streamViewType",
            "satisfy enum value set: [OLD_IMAGE, KEYS_ONLY, NEW_AND_OLD_IMAGES, NEW_IMAGE]"))):
        create(dynamodb, StreamSpecification={"StreamEnabled": True, "StreamViewType": "FOO"})


TAGGING = "DynamoDB Local does not support tags and ignores them"


@pytest.mark.local_differs(TAGGING)
@pytest.mark.parametrize("tags, message", [
    ([{"Key": "", "Value": "v"}], "The Tag Key provided is invalid, Key: "),
    ([{"Key": "k" * 129, "Value": "v"}], "The Tag Key provided is invalid, Key: " + "k" * 129),
    ([{"Key": "a*b", "Value": ""}], "The Tag Key provided is invalid, Key: a*b"),
    ([{"Key": "k", "Value": "v" * 257}], "The Tag Value provided is invalid, Value: " + "v" * 257),
    ([{"Value": "v"}], "The Tag Key provided is invalid, Key: null"),
    ([{"Key": "k"}], "The Tag Value provided is invalid, Value: null"),
    ([{"Key": "aws:x", "Value": "v"}], "Tag Key cannot be prefixed with aws:, Key: aws:x"),
    ([{"Key": "k", "Value": "v"}, {"Key": "k", "Value": "w"}],
     "Duplicate Tag Keys provided as input: Duplicate Tag Key found k"),
    ([{"Key": f"k{i}", "Value": "v"} for i in range(51)],
     "Number of Tags exceed the current limit for the provided ResourceArn"),
], ids=["key-empty", "key-129", "key-bad-char", "value-257", "no-key", "no-value", "aws-prefix", "duplicate", "51-tags"])
def test_create_table_invalid_tags(dynamodb, tags, message):
    # why: tags follow the tagging rules (keys 1..128, values 0..256, no aws: prefix, unique, at most 50).
    with raises("ValidationException", message):
        create(dynamodb, Tags=tags)


def test_create_table_validation_before_existence(dynamodb, table_s):
    # why: an invalid request for an existing name is a ValidationException, not ResourceInUse.
    with raises("ValidationException", "One or more parameter values were invalid: ReadCapacityUnits and "
                                       "WriteCapacityUnits must both be specified when BillingMode is PROVISIONED",
                local="No provisioned throughput specified for the table"):
        create(dynamodb, TableName=table_s, ProvisionedThroughput=None)


def test_create_table_already_exists(dynamodb, table_s):
    # why: names are unique per account and region.
    with raises("ResourceInUseException", f"Table already exists: {table_s}", local="Cannot create preexisting table"):
        dynamodb.create_table(TableName=table_s, AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                              KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST")


# =============================================================================================
# Validation: DescribeTable, ListTables, DeleteTable, UpdateTable
# =============================================================================================

@pytest.mark.parametrize("op", ["describe_table", "delete_table", "update_table"])
def test_table_name_missing(dynamodb, op):
    # why: TableName is required, and said so in words of its own.
    with raises("ValidationException", "The parameter 'TableName' is required but was not present in the request",
                local=NULL_TABLE_NAME):
        getattr(dynamodb, op)()


@pytest.mark.parametrize("op", ["describe_table", "delete_table", "update_table"])
@pytest.mark.parametrize("name", ["", "ab", "a" * 256, "a;b"], ids=["empty", "short", "long", "bad-char"])
def test_table_name_invalid(dynamodb, op, name):
    # why: names are checked before the table is looked up.
    params = {"BillingMode": "PAY_PER_REQUEST"} if op == "update_table" else {}
    with raises("ValidationException", name_violations(name), local=INVALID_NAME):
        getattr(dynamodb, op)(TableName=name, **params)


@pytest.mark.parametrize("op", ["describe_table", "delete_table"])
def test_table_not_found(dynamodb, op):
    # why: DynamoDB names the missing table; Local has one generic message.
    name = util.unique_name()
    with raises("ResourceNotFoundException", not_found(name), local=LOCAL_NOT_FOUND):
        getattr(dynamodb, op)(TableName=name)


@pytest.mark.parametrize("limit, constraint", [(0, "have value greater than or equal to 1"),
                                               (-1, "have value greater than or equal to 1"),
                                               (101, "have value less than or equal to 100")])
def test_list_tables_limit_invalid(dynamodb, limit, constraint):
    # why: Limit is 1..100.
    local = "Limit in ListTables must be <= 100" if limit > 100 else "Limit must be greater than or equal to 1"
    with raises("ValidationException", violations(violation(str(limit), "limit", constraint)), local=local):
        dynamodb.list_tables(Limit=limit)


@pytest.mark.parametrize("name", ["", "ab", "a;b"], ids=["empty", "short", "bad-char"])
def test_list_tables_invalid_start_name(dynamodb, name):
    # why: ExclusiveStartTableName follows the table-name rule (pattern reported before length here).
    with raises("ValidationException", name_violations(name, "exclusiveStartTableName", pattern_first=True),
                local=INVALID_NAME):
        dynamodb.list_tables(ExclusiveStartTableName=name)


def test_update_table_nothing_to_update(dynamodb, table_s):
    # why: an UpdateTable must change something; DynamoDB lists what it could change.
    with raises("ValidationException", "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "
                                       "GlobalSecondaryIndexUpdates, SSESpecification, ReplicaUpdates, "
                                       "MultiAccountReplicaReady, ReplicaTransitRoleArn, MultiRegionConsistency, "
                                       "DeletionProtectionEnabled, OnDemandThroughput, WarmThroughput or TableClass "
                                       "is required", local="Nothing to update"):
        dynamodb.update_table(TableName=table_s)


def test_update_table_not_found(dynamodb):
    # why: a valid update of a missing table names the table.
    name = util.unique_name()
    with raises("ResourceNotFoundException", not_found(name), local=LOCAL_NOT_FOUND):
        dynamodb.update_table(TableName=name, ProvisionedThroughput=PT1)


def test_update_table_same_throughput(dynamodb, new_table):
    # why: an unchanged throughput is rejected, with both values spelled out.
    name = new_table(BillingMode="PROVISIONED", ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 6})
    with raises("ValidationException", "The provisioned throughput for the table will not change. The requested "
                                       "value equals the current value. Current ReadCapacityUnits provisioned for the "
                                       "table: 5. Requested ReadCapacityUnits: 5. Current WriteCapacityUnits "
                                       "provisioned for the table: 6. Requested WriteCapacityUnits: 6. Refer to the "
                                       "Amazon DynamoDB Developer Guide for current limits and how to request higher "
                                       "limits.", local="The requested throughput value equals the current value"):
        dynamodb.update_table(TableName=name, ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 6})


@pytest.mark.parametrize("throughput, message", [
    ({"ReadCapacityUnits": 0, "WriteCapacityUnits": 6},
     violation("0", "provisionedThroughput.readCapacityUnits", "have value greater than or equal to 1")),
    ({"ReadCapacityUnits": 5}, violation(None, "provisionedThroughput.writeCapacityUnits", "not be null")),
], ids=["zero", "missing-write"])
def test_update_table_throughput_too_low(dynamodb, new_table, throughput, message):
    # why: the CreateTable throughput constraints hold for updates.
    name = new_table(BillingMode="PROVISIONED", ProvisionedThroughput=PT1)
    with raises("ValidationException", violations(message),
                local="Table read and write throughput must be at least 1, and cannot be null"):
        dynamodb.update_table(TableName=name, ProvisionedThroughput=throughput)


def test_update_table_throughput_out_of_bounds(dynamodb, new_table):
    # why: the 10^12 bound holds for updates.
    name = new_table(BillingMode="PROVISIONED", ProvisionedThroughput=PT1)
    with raises("ValidationException", "Given value 1000000000001 for WriteCapacityUnits is out of bounds",
                local="Cannot increase provisioned throughput to more than 40,000 units per table"):
        dynamodb.update_table(TableName=name, ProvisionedThroughput={"ReadCapacityUnits": 1,
                                                                     "WriteCapacityUnits": 1000000000001})


def test_update_table_to_provisioned_without_throughput(dynamodb, new_table):
    # why: switching to PROVISIONED needs a throughput to switch to.
    name = new_table()
    with raises("ValidationException", "One or more parameter values were invalid: ProvisionedThroughput must be "
                                       "specified when BillingMode is PROVISIONED",
                local="No provisioned throughput specified for the table"):
        dynamodb.update_table(TableName=name, BillingMode="PROVISIONED")


@pytest.mark.local_differs("DynamoDB Local ignores throughput sent for an on-demand table")
def test_update_table_throughput_on_demand(dynamodb, new_table):
    # why: an on-demand table takes no throughput.
    name = new_table()
    with raises("ValidationException", "One or more parameter values were invalid: Neither ReadCapacityUnits "
                                       "nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST"):
        dynamodb.update_table(TableName=name, ProvisionedThroughput=PT1)


@pytest.mark.parametrize("spec, message, local", [
    ({"StreamEnabled": True}, "If stream is being enabled then UpdateViewType is required",
     "Invalid StreamViewType: Stream ViewType must not be null or empty when enabling streams."),
    ({"StreamEnabled": False, "StreamViewType": "KEYS_ONLY"},
     "If stream is being disabled, then UpdateViewType must not be specified",
     "Invalid StreamViewType: Stream StreamEnabled was false but a StreamViewType was present."),
], ids=["enable-without-view-type", "disable-with-view-type"])
def test_update_table_stream_specification(dynamodb, table_s, spec, message, local):
    # why: UpdateTable's stream rules mirror CreateTable's, in UpdateTable's own words.
    with raises("ValidationException", "One or more parameter values were invalid: " + message, local=local):
        dynamodb.update_table(TableName=table_s, StreamSpecification=spec)


# =============================================================================================
# Functionality: CreateTable and DescribeTable
# =============================================================================================

ARN_RE = r"arn:aws:dynamodb:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):table/(?P<name>[A-Za-z0-9_.-]+)"
UUID_RE = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def expected_region(is_local):
    # DynamoDB Local puts 'ddblocal' where the region belongs in every ARN.
    return "ddblocal" if is_local else util.REGION


@pytest.mark.local_differs("DynamoDB Local reports ACTIVE at once where DynamoDB says CREATING")
def test_create_table_returns_creating(dynamodb):
    # why: CreateTable's own answer is CREATING in DynamoDB (API reference), even when it is instant.
    name = util.unique_name()
    response = dynamodb.create_table(TableName=name, AttributeDefinitions=AD_A, KeySchema=KS_A,
                                     BillingMode="PAY_PER_REQUEST")
    try:
        assert response["TableDescription"]["TableStatus"] == "CREATING"
    finally:
        util.wait_active(dynamodb, name)   # DynamoDB refuses to delete a table still being created
        dynamodb.delete_table(TableName=name)


@pytest.mark.emulator_only("real DynamoDB takes seconds to create a table")
def test_describe_table_active_at_once(dynamodb):
    # why: the workshop's `aws dynamodb wait table-exists` polls every 20 s; it must see ACTIVE at once.
    name = util.unique_name()
    dynamodb.create_table(TableName=name, AttributeDefinitions=AD_A, KeySchema=KS_A, BillingMode="PAY_PER_REQUEST")
    try:
        assert dynamodb.describe_table(TableName=name)["Table"]["TableStatus"] == "ACTIVE"
    finally:
        dynamodb.delete_table(TableName=name)


def test_create_table_description_matches_describe(dynamodb):
    # why: CreateTable returns the same TableDescription DescribeTable does (status aside).
    name = util.unique_name()
    created = dynamodb.create_table(TableName=name, AttributeDefinitions=AD_AB, KeySchema=KS_AB,
                                    ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 6})
    try:
        created = created["TableDescription"]
        described = dynamodb.describe_table(TableName=name)["Table"]
        for key in ("TableName", "TableArn", "KeySchema", "AttributeDefinitions", "CreationDateTime",
                    "ItemCount", "TableSizeBytes"):
            assert created[key] == described[key], key
        assert created["ProvisionedThroughput"]["ReadCapacityUnits"] == 5
        assert created["ProvisionedThroughput"]["WriteCapacityUnits"] == 6
    finally:
        util.wait_active(dynamodb, name)
        dynamodb.delete_table(TableName=name)


def test_describe_table_shape(dynamodb, new_table, is_local):
    # why: SDKs and the CLI read these fields; each has a fixed form.
    before = datetime.datetime.now(datetime.timezone.utc)
    name = new_table([("pk", "S"), ("sk", "N")])
    table = dynamodb.describe_table(TableName=name)["Table"]
    assert table["TableName"] == name
    assert table["TableStatus"] == "ACTIVE"
    assert table["KeySchema"] == [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}]
    assert table["AttributeDefinitions"] == [{"AttributeName": "pk", "AttributeType": "S"},
                                             {"AttributeName": "sk", "AttributeType": "N"}]
    arn = re.fullmatch(ARN_RE, table["TableArn"])
    assert arn and arn["name"] == name and arn["region"] == expected_region(is_local)
    assert abs((table["CreationDateTime"] - before).total_seconds()) < 120
    assert table["ItemCount"] == 0 and table["TableSizeBytes"] == 0
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    throughput = table["ProvisionedThroughput"]
    assert (throughput["ReadCapacityUnits"], throughput["WriteCapacityUnits"], throughput["NumberOfDecreasesToday"]) == (0, 0, 0)
    for absent in ("LocalSecondaryIndexes", "GlobalSecondaryIndexes", "StreamSpecification", "LatestStreamArn"):
        assert absent not in table


@pytest.mark.local_differs("DynamoDB Local has no TableId")
def test_describe_table_table_id(dynamodb, table_s):
    # why: DynamoDB gives every table a UUID TableId (used by backups and by the stream ARN's owner).
    assert re.fullmatch(UUID_RE, dynamodb.describe_table(TableName=table_s)["Table"]["TableId"])


def test_describe_table_provisioned(dynamodb, new_table):
    # why: a provisioned table reports its throughput; no decreases have happened yet.
    name = new_table(BillingMode="PROVISIONED", ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 6})
    table = dynamodb.describe_table(TableName=name)["Table"]
    throughput = table["ProvisionedThroughput"]
    assert (throughput["ReadCapacityUnits"], throughput["WriteCapacityUnits"], throughput["NumberOfDecreasesToday"]) == (5, 6, 0)
    assert table.get("BillingModeSummary", {"BillingMode": "PROVISIONED"})["BillingMode"] == "PROVISIONED"


def test_describe_table_deletion_protection_raw(url, table_s):
    # why: DeletionProtectionEnabled (false by default) is newer than boto3 1.26, so read it raw.
    status, _, body, raw = util.raw_request(url, target="DynamoDB_20120810.DescribeTable", body={"TableName": table_s})
    assert status == 200, raw
    assert body["Table"]["DeletionProtectionEnabled"] is False


def test_describe_table_indexes(dynamodb, new_table, is_local):
    # why: index descriptions carry their own key schema, projection, sizes and ARN.
    name = new_table([("pk", "S"), ("sk", "N")], BillingMode="PROVISIONED", ProvisionedThroughput=PT1,
                     AttributeDefinitions=[{"AttributeName": "g", "AttributeType": "S"},
                                           {"AttributeName": "l", "AttributeType": "B"}],
                     GlobalSecondaryIndexes=[{
                         "IndexName": "GSI_1", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"},
                                                             {"AttributeName": "sk", "KeyType": "RANGE"}],
                         "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["bytessent"]},
                         "ProvisionedThroughput": {"ReadCapacityUnits": 3, "WriteCapacityUnits": 4}}],
                     LocalSecondaryIndexes=[{
                         "IndexName": "lsi.1", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                                             {"AttributeName": "l", "KeyType": "RANGE"}],
                         "Projection": {"ProjectionType": "KEYS_ONLY"}}])
    table = dynamodb.describe_table(TableName=name)["Table"]
    [g] = table["GlobalSecondaryIndexes"]
    assert g["IndexName"] == "GSI_1"
    assert g["KeySchema"] == [{"AttributeName": "g", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}]
    assert g["Projection"] == {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["bytessent"]}
    assert g["IndexStatus"] == "ACTIVE"
    assert (g["ProvisionedThroughput"]["ReadCapacityUnits"], g["ProvisionedThroughput"]["WriteCapacityUnits"]) == (3, 4)
    assert (g["IndexSizeBytes"], g["ItemCount"]) == (0, 0)
    assert g["IndexArn"] == table["TableArn"] + "/index/GSI_1"
    [l] = table["LocalSecondaryIndexes"]
    assert l["IndexName"] == "lsi.1"
    assert l["KeySchema"] == [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "l", "KeyType": "RANGE"}]
    assert l["Projection"] == {"ProjectionType": "KEYS_ONLY"}
    assert (l["IndexSizeBytes"], l["ItemCount"]) == (0, 0)
    assert l["IndexArn"] == table["TableArn"] + "/index/lsi.1"
    assert "IndexStatus" not in l and "ProvisionedThroughput" not in l


def test_describe_table_on_demand_gsi(dynamodb, new_table):
    # why: the workshop tables' shape: on-demand table, GSI without throughput.
    name = new_table([("PK", "S")], AttributeDefinitions=[{"AttributeName": "GSI_1_PK", "AttributeType": "S"}],
                     GlobalSecondaryIndexes=[{"IndexName": "GSI_1", "KeySchema": [{"AttributeName": "GSI_1_PK", "KeyType": "HASH"}],
                                              "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["bytessent"]}}])
    [g] = dynamodb.describe_table(TableName=name)["Table"]["GlobalSecondaryIndexes"]
    assert g["IndexStatus"] == "ACTIVE" and g["IndexName"] == "GSI_1"


def test_describe_table_stream(dynamodb, new_table):
    # why: the stream ARN is <table ARN>/stream/<label>, the label an ISO-8601 time with milliseconds.
    name = new_table(StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
    table = dynamodb.describe_table(TableName=name)["Table"]
    assert table["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    label = table["LatestStreamLabel"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}", label)
    assert table["LatestStreamArn"] == f"{table['TableArn']}/stream/{label}"


def test_create_table_stream_disabled(dynamodb, new_table):
    # why: StreamEnabled false is accepted and leaves no stream behind.
    name = new_table(StreamSpecification={"StreamEnabled": False})
    table = dynamodb.describe_table(TableName=name)["Table"]
    assert "LatestStreamArn" not in table


def test_create_table_name_limits(dynamodb, new_table):
    # why: 3 and 255 characters, and every allowed character class, are valid names.
    for name in ("a_b", "A.-_9" + "x" * 250):
        assert dynamodb.describe_table(TableName=new_table(TableName=name))["Table"]["TableName"] == name


def test_create_table_max_throughput(dynamodb, new_table):
    # why: 40,000 units is the quota itself, so it is allowed.
    name = new_table(BillingMode="PROVISIONED", ProvisionedThroughput={"ReadCapacityUnits": 40000, "WriteCapacityUnits": 40000})
    assert dynamodb.describe_table(TableName=name)["Table"]["ProvisionedThroughput"]["ReadCapacityUnits"] == 40000


def test_create_table_binary_and_number_keys(dynamodb, new_table):
    # why: every key type combination is accepted.
    name = new_table([("h", "B"), ("r", "N")])
    assert dynamodb.describe_table(TableName=name)["Table"]["AttributeDefinitions"] == [
        {"AttributeName": "h", "AttributeType": "B"}, {"AttributeName": "r", "AttributeType": "N"}]


@pytest.mark.emulator_only("real DynamoDB refreshes ItemCount and TableSizeBytes about every six hours")
def test_describe_table_counts_items(dynamodb, new_table):
    # why: emulators keep ItemCount/TableSizeBytes exact; the size is DynamoDB's item size (names + values).
    name = new_table([("pk", "S"), ("sk", "N")])
    dynamodb.put_item(TableName=name, Item={"pk": {"S": "a"}, "sk": {"N": "1"}, "g": {"S": "x"}, "l": {"B": b"a"}})
    dynamodb.put_item(TableName=name, Item={"pk": {"S": "b"}, "sk": {"N": "1"}})
    table = dynamodb.describe_table(TableName=name)["Table"]
    # 'pk'+'a' 3, 'sk'+N(1) 4, 'g'+'x' 2, 'l'+B 2 = 11; second item 3 + 4 = 7
    assert (table["ItemCount"], table["TableSizeBytes"]) == (2, 18)


# =============================================================================================
# Functionality: ListTables
# =============================================================================================

LIST_NAMES = ["b-t", "B_t", "a.t", "Zed", "abc", "ab1", "_zz", "-zz", "9ab", "aaa"]


@pytest.fixture(scope="module")
def listing(url):
    """A client with an access key of its own, so its tables are the only ones it can list."""
    client = util.client_for(url, access_key=util.unique_name("AKIDLIST").replace("-", ""))
    for name in LIST_NAMES:
        util.create_table(client, name, [("a", "S")])
    yield client
    for name in LIST_NAMES:
        client.delete_table(TableName=name)


def test_list_tables_sorted(listing):
    # why: ListTables returns names in byte order, uppercase before lowercase.
    response = listing.list_tables()
    assert response["TableNames"] == sorted(LIST_NAMES)
    assert "LastEvaluatedTableName" not in response


def test_list_tables_paging(listing):
    # why: Limit pages through the names; LastEvaluatedTableName continues where the page ended.
    seen, start = [], None
    for _ in range(len(LIST_NAMES)):
        response = listing.list_tables(Limit=3, **({"ExclusiveStartTableName": start} if start else {}))
        assert len(response["TableNames"]) <= 3
        seen += response["TableNames"]
        start = response.get("LastEvaluatedTableName")
        if start is None:
            break
        assert start == response["TableNames"][-1]
    assert seen == sorted(LIST_NAMES)


def test_list_tables_start_name_need_not_exist(listing):
    # why: ExclusiveStartTableName is a position, not a table.
    response = listing.list_tables(ExclusiveStartTableName="aab", Limit=3)
    assert response["TableNames"] == ["ab1", "abc", "b-t"]


def test_list_tables_start_after_last(listing):
    # why: starting after the last name gives an empty page without LastEvaluatedTableName.
    response = listing.list_tables(ExclusiveStartTableName="b-t")
    assert response["TableNames"] == [] and "LastEvaluatedTableName" not in response


def test_list_tables_limit_beyond_count(listing):
    # why: a page that holds everything has no LastEvaluatedTableName.
    response = listing.list_tables(Limit=100)
    assert response["TableNames"] == sorted(LIST_NAMES) and "LastEvaluatedTableName" not in response


def test_list_tables_empty_namespace(url):
    # why: a new access key sees no tables.
    client = util.client_for(url, access_key=util.unique_name("AKIDEMPTY").replace("-", ""))
    assert client.list_tables()["TableNames"] == []


# =============================================================================================
# Functionality: DeleteTable
# =============================================================================================

def test_delete_table(dynamodb, is_local):
    # why: DeleteTable answers with the table's description; afterwards the table is gone.
    name = util.create_table(dynamodb, util.unique_name(), [("a", "S")])
    description = dynamodb.delete_table(TableName=name)["TableDescription"]
    assert description["TableName"] == name
    assert description["KeySchema"] == KS_A
    deadline = time.monotonic() + 300
    while True:
        try:
            dynamodb.describe_table(TableName=name)
        except dynamodb.exceptions.ResourceNotFoundException as e:
            err = e.response["Error"]
            assert err["Message"] == (LOCAL_NOT_FOUND if is_local else not_found(name))
            break
        assert time.monotonic() < deadline
        time.sleep(1)
    assert name not in dynamodb.list_tables(ExclusiveStartTableName=name[:-1])["TableNames"]


@pytest.mark.local_differs("DynamoDB Local answers DeleteTable with status ACTIVE where DynamoDB says DELETING")
def test_delete_table_returns_deleting(dynamodb):
    # why: DeleteTable's answer is DELETING in DynamoDB (API reference).
    name = util.create_table(dynamodb, util.unique_name(), [("a", "S")])
    assert dynamodb.delete_table(TableName=name)["TableDescription"]["TableStatus"] == "DELETING"


@pytest.mark.emulator_only("real DynamoDB takes a while to delete a table")
def test_delete_table_then_recreate_is_empty(dynamodb):
    # why: a deleted table's items must not reappear in a new table of the same name.
    name = util.unique_name()
    for round_ in range(2):
        dynamodb.create_table(TableName=name, AttributeDefinitions=AD_A, KeySchema=KS_A, BillingMode="PAY_PER_REQUEST")
        assert dynamodb.scan(TableName=name)["Count"] == 0
        dynamodb.put_item(TableName=name, Item={"a": {"S": "x"}})
        dynamodb.delete_table(TableName=name)


@pytest.mark.emulator_only("real DynamoDB takes a while to delete and create a table")
def test_recreated_table_uses_its_new_key_schema(dynamodb):
    # why: item operations must use the definition of the table as it is now, never one cached
    # from before a DeleteTable/CreateTable of the same name (dynastream caches definitions).
    name = util.unique_name()
    for key in ("a", "b", "a"):
        other = "b" if key == "a" else "a"
        dynamodb.create_table(TableName=name, AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"}],
                              KeySchema=[{"AttributeName": key, "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST")
        dynamodb.put_item(TableName=name, Item={key: {"S": "x"}, "round": {"S": key}})
        assert dynamodb.get_item(TableName=name, Key={key: {"S": "x"}})["Item"]["round"] == {"S": key}
        with raises("ValidationException", "The provided key element does not match the schema"):
            dynamodb.get_item(TableName=name, Key={other: {"S": "x"}})
        dynamodb.delete_table(TableName=name)
        with raises("ResourceNotFoundException", "Requested resource not found"):
            dynamodb.get_item(TableName=name, Key={key: {"S": "x"}})
        with raises("ResourceNotFoundException", "Requested resource not found"):
            dynamodb.put_item(TableName=name, Item={key: {"S": "y"}})


@pytest.mark.emulator_only("real DynamoDB takes a while to delete and create a table")
def test_item_operations_racing_delete_and_create(dynamodb):
    # why: readers and writers on other connections must see a DeleteTable/CreateTable as soon as
    # it is acknowledged: after the last round nothing may be left of earlier definitions.
    import threading
    name = util.unique_name()
    stop = threading.Event()
    errors = []

    def hammer():
        while not stop.is_set():
            for call in (lambda: dynamodb.get_item(TableName=name, Key={"k": {"S": "x"}}),
                         lambda: dynamodb.put_item(TableName=name, Item={"k": {"S": "x"}})):
                try:
                    call()
                except dynamodb.exceptions.ResourceNotFoundException:
                    pass
                except Exception as e:  # a wrong schema or a server error
                    if "does not match the schema" not in str(e) and "Missing the key" not in str(e):
                        errors.append(repr(e))

    threads = [threading.Thread(target=hammer) for _ in range(4)]
    for t in threads:
        t.start()
    try:
        for i in range(6):
            key = "k" if i % 2 == 0 else "n"
            dynamodb.create_table(TableName=name, AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"}],
                                  KeySchema=[{"AttributeName": key, "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST")
            if i < 5:
                dynamodb.delete_table(TableName=name)
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert errors == []
    # the last definition (hash key "n") is the one every connection uses now
    dynamodb.put_item(TableName=name, Item={"n": {"S": "last"}})
    assert dynamodb.get_item(TableName=name, Key={"n": {"S": "last"}})["Item"] == {"n": {"S": "last"}}
    with raises("ValidationException", "The provided key element does not match the schema"):
        dynamodb.get_item(TableName=name, Key={"k": {"S": "x"}})
    dynamodb.delete_table(TableName=name)


def test_delete_table_twice(dynamodb):
    # why: the second delete finds nothing.
    name = util.create_table(dynamodb, util.unique_name(), [("a", "S")])
    dynamodb.delete_table(TableName=name)
    with raises("ResourceNotFoundException", not_found(name), local=LOCAL_NOT_FOUND):
        dynamodb.delete_table(TableName=name)


# =============================================================================================
# Functionality: UpdateTable
# =============================================================================================

def test_update_table_throughput(dynamodb, new_table):
    # why: the workshop raises logfile's throughput to 100/100 and then waits for ACTIVE.
    name = new_table(BillingMode="PROVISIONED", ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5})
    description = dynamodb.update_table(TableName=name, ProvisionedThroughput={"ReadCapacityUnits": 100, "WriteCapacityUnits": 100})
    assert description["TableDescription"]["TableName"] == name
    deadline = time.monotonic() + 300
    while (table := dynamodb.describe_table(TableName=name)["Table"])["TableStatus"] != "ACTIVE":
        assert time.monotonic() < deadline
        time.sleep(1)
    throughput = table["ProvisionedThroughput"]
    assert (throughput["ReadCapacityUnits"], throughput["WriteCapacityUnits"]) == (100, 100)


def test_update_table_to_on_demand_and_back(dynamodb, new_table):
    # why: BillingMode switches both ways and BillingModeSummary follows.
    name = new_table(BillingMode="PROVISIONED", ProvisionedThroughput=PT1)
    dynamodb.update_table(TableName=name, BillingMode="PAY_PER_REQUEST")
    table = dynamodb.describe_table(TableName=name)["Table"]
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert "LastUpdateToPayPerRequestDateTime" in table["BillingModeSummary"]
    assert (table["ProvisionedThroughput"]["ReadCapacityUnits"], table["ProvisionedThroughput"]["WriteCapacityUnits"]) == (0, 0)
    dynamodb.update_table(TableName=name, BillingMode="PROVISIONED",
                          ProvisionedThroughput={"ReadCapacityUnits": 7, "WriteCapacityUnits": 8})
    table = dynamodb.describe_table(TableName=name)["Table"]
    assert table["BillingModeSummary"]["BillingMode"] == "PROVISIONED"
    assert (table["ProvisionedThroughput"]["ReadCapacityUnits"], table["ProvisionedThroughput"]["WriteCapacityUnits"]) == (7, 8)


def test_update_table_keeps_items(dynamodb, new_table):
    # why: changing capacity must not touch the data.
    name = new_table(BillingMode="PROVISIONED", ProvisionedThroughput=PT1)
    dynamodb.put_item(TableName=name, Item={"pk": {"S": "x"}, "v": {"N": "1"}})
    dynamodb.update_table(TableName=name, ProvisionedThroughput={"ReadCapacityUnits": 2, "WriteCapacityUnits": 2})
    assert dynamodb.get_item(TableName=name, Key={"pk": {"S": "x"}})["Item"] == {"pk": {"S": "x"}, "v": {"N": "1"}}
