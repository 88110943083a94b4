"""test_batch.py — BatchWriteItem and BatchGetItem: request limits, per-item validation with
DynamoDB's messages, duplicate keys, UnprocessedItems/UnprocessedKeys (the 16 MB response limit),
ProjectionExpression/AttributesToGet, ConsistentRead, ReturnConsumedCapacity,
ReturnItemCollectionMetrics, secondary indexes, and boto3's batch_writer() as a bulk loader.

Order: serialization, validation, functionality (dynalite). Expected messages are real DynamoDB's
as pinned by nubo-db/dynamodb-conformance (tier1/batch*, tier3/error-messages/batch*,
tier3/limits/batchLimits) and its paritysuite fork (tier3/error-messages/batchWriteItem, captured
2026-06-23 .. 2026-10-09), else dynalite's validations/batch*.js (recorded against DynamoDB); where
DynamoDB Local only words an error differently its text is `local=`, where it behaves differently
the test is marked local_differs.
"""
import concurrent.futures
import re

import boto3
import pytest
from botocore.config import Config

import util
from util import raises

ONE = "1 validation error detected: "
INVALID = "One or more parameter values were invalid: "
SCHEMA = "The provided key element does not match the schema"
DUPLICATES = "Provided list of item keys contains duplicates"
NOT_FOUND = "Requested resource not found"
LOCAL_NOT_FOUND = "Cannot do operations on a non-existent table"
EMPTY_KEY = ("One or more parameter values are not valid. The AttributeValue for a key attribute cannot "
             "contain an empty {} value. Key: pk")
ONE_REQUEST = ("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the "
               "supported datatypes")
TOO_MANY_KEYS = "Too many items requested for the BatchGetItem call"
ITEM_TOO_BIG = "Item size has exceeded the maximum allowed size"
MIX = ("Can not use both expression and non-expression parameters in the same request: "
       "Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}")
LOCAL_KEY_TYPE = INVALID + "Type mismatch for key"
LOCAL_MISSING_KEY = "One of the required keys was not given a value"
LOCAL_KEY_COUNT = "The number of conditions on the keys is invalid"
ITEM_LIMIT = 409_600
RESPONSE_LIMIT = 16 * 1024 * 1024


def S(value):
    return {"S": value}


def N(value):
    return {"N": value}


def put(item):
    return {"PutRequest": {"Item": item}}


def delete(key):
    return {"DeleteRequest": {"Key": key}}


def item_of_size(size, key):
    """An item of exactly `size` bytes in a pk-only table: 'pk' + key + 'x' + padding."""
    return {"pk": S(key), "x": S("y" * (size - 2 - len(key) - 1))}


def get(dynamodb, table, key):
    return dynamodb.get_item(TableName=table, Key=key, ConsistentRead=True).get("Item")


@pytest.fixture(scope="module")
def table_ix(dynamodb):
    """pk/sk (S) with an LSI lsi1 and a GSI gsi1 both keyed on lsi1sk (S), as the conformance
    suite's compositeTableDef: an index key error names gsi1, the alphabetically first."""
    name = util.create_table(
        dynamodb, util.unique_name("batchix"), [("pk", "S"), ("sk", "S")],
        AttributeDefinitions=[{"AttributeName": "lsi1sk", "AttributeType": "S"}],
        LocalSecondaryIndexes=[{"IndexName": "lsi1",
                                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                              {"AttributeName": "lsi1sk", "KeyType": "RANGE"}],
                                "Projection": {"ProjectionType": "ALL"}}],
        GlobalSecondaryIndexes=[{"IndexName": "gsi1",
                                 "KeySchema": [{"AttributeName": "lsi1sk", "KeyType": "HASH"}],
                                 "Projection": {"ProjectionType": "ALL"}}])
    yield name
    util.delete_table(dynamodb, name)


# =============================================================================================
# Serialization: the request map's wire types (reqspec). DynamoDB Local answers with 500s.
# =============================================================================================

@pytest.mark.local_differs("DynamoDB Local answers wrongly typed fields with 500 InternalFailure")
def test_batch_write_item_not_a_map(url, table_s):
    # why: an Item is a map of AttributeValues; a string there fails deserialization.
    status, _, body, raw = util.raw_request(url, target="DynamoDB_20120810.BatchWriteItem",
                                            body={"RequestItems": {table_s: [{"PutRequest": {"Item": "x"}}]}})
    assert (status, util.error_of(body)[0]) == (400, "SerializationException"), raw


# =============================================================================================
# Validation: request shape and limits (before any table is read)
# =============================================================================================

def test_batch_write_empty_request_items(dynamodb):
    # why: an empty RequestItems is refused first, in BatchWriteItem's own sentence (conformance
    # tier3/error-messages/batchWriteItem; still the answer of every region on 2026-09-28).
    with raises("ValidationException", "The requestItems parameter is required for BatchWriteItem",
                local="BatchWriteItem cannot have a null or no requests set"):
        dynamodb.batch_write_item(RequestItems={})


def test_batch_get_empty_request_items(dynamodb):
    # why: BatchGetItem has moved to the validation framework's words in every region (exoego
    # capture 2026-09-28-batch-empty-request-items).
    with raises("ValidationException", ONE + "Value at 'RequestItems' failed to satisfy constraint: "
                "Member must have length greater than or equal to 1",
                local="BatchGetItem must have some requests set"):
        dynamodb.batch_get_item(RequestItems={})


def test_batch_write_26_requests(dynamodb, table_s):
    # why: at most 25 write requests per table (conformance tier3/error-messages/batchWriteItem:
    # either cohort's message, anchored).
    requests = [put({"pk": S(f"k{i}")}) for i in range(26)]
    name = re.escape(table_s)
    pattern = re.compile(
        rf"1 validation error detected: (?:Value '\{{{name}=\[.+\]\}}' at 'requestItems' failed to satisfy "
        r"constraint: Map value must satisfy constraint: \[Member must have length less than or equal to 25, "
        r"Member must have length greater than or equal to 1\]"
        rf"|Value at 'RequestItems\.{name}\.member' failed to satisfy constraint: Member must have length "
        r"less than or equal to 25)", re.S)
    with raises("ValidationException", pattern, local="Too many items requested for the BatchWriteItem call"):
        dynamodb.batch_write_item(RequestItems={table_s: requests})


def test_batch_write_25_requests(dynamodb, table_s):
    # why: 25 is the limit, not over it (conformance tier3/limits/batchLimits).
    prefix = util.unique_key()
    result = dynamodb.batch_write_item(RequestItems={table_s: [put({"pk": S(f"{prefix}-{i}")}) for i in range(25)]})
    assert result["UnprocessedItems"] == {}


def test_batch_get_101_keys_one_table(dynamodb, table_s):
    # why: at most 100 keys per table, in the framework's words (conformance
    # tier3/error-messages/batchGetItem, exact).
    keys = [{"pk": S(f"k{i}")} for i in range(101)]
    with raises("ValidationException", ONE + f"Value at 'RequestItems.{table_s}.member.Keys' failed to satisfy "
                "constraint: Member must have length less than or equal to 100", local=TOO_MANY_KEYS):
        dynamodb.batch_get_item(RequestItems={table_s: {"Keys": keys}})


def test_batch_get_101_keys_over_tables(dynamodb, table_s, table_sn):
    # why: the 100-key limit is on the whole call, not per table (dynalite, recorded against DynamoDB).
    with raises("ValidationException", TOO_MANY_KEYS):
        dynamodb.batch_get_item(RequestItems={
            table_s: {"Keys": [{"pk": S(f"k{i}")} for i in range(60)]},
            table_sn: {"Keys": [{"pk": S(f"k{i}"), "sk": N("1")} for i in range(41)]}})


@pytest.mark.parametrize("request_", [{}, {"PutRequest": {"Item": {"pk": S("a")}},
                                           "DeleteRequest": {"Key": {"pk": S("b")}}}],
                         ids=["neither", "both"])
def test_batch_write_request_needs_one_kind(dynamodb, table_s, request_):
    # why: a WriteRequest is a PutRequest or a DeleteRequest (dynalite's sentence, recorded against
    # DynamoDB; DynamoDB Local agrees), bare as BatchWriteItem's value errors are.
    with raises("ValidationException", ONE_REQUEST):
        dynamodb.batch_write_item(RequestItems={table_s: [request_]})


def test_batch_write_values_before_table_lookup(dynamodb):
    # why: AttributeValues are request validation, before any table is looked up (dynalite's custom
    # step; DynamoDB Local agrees on the order), reported bare, without PutItem's envelope
    # (paritysuite tier3/error-messages/valueLayers, four regions).
    with raises("ValidationException", "The parameter cannot be converted to a numeric value: abc",
                local="A value provided cannot be converted into a number"):
        dynamodb.batch_write_item(RequestItems={util.unique_name(): [put({"pk": S("a"), "n": N("abc")})]})


@pytest.mark.xfail(reason="server (value.c): has only the current validation layer's wording; BatchWriteItem "
                          "runs the older one", strict=False)
@pytest.mark.parametrize("value, message", [
    (N(""), "The parameter cannot be converted to a numeric value"),
    (N("1e2147483647"), "Number underflow. Attempting to store a number with magnitude smaller than supported range"),
    ({"SS": ["b", "a", "b"]}, INVALID + "Input collection [b, a, b] contains duplicates."),
    ({"NS": ["2", "1", "2"]}, "Input collection contains duplicates"),
], ids=["empty-number", "int-exponent", "ss-duplicate", "ns-duplicate"])
def test_batch_write_older_value_layer(dynamodb, table_s, value, message):
    # why: BatchWriteItem checks values in DynamoDB's older layer: a number read as Java's
    # BigDecimal (no colon after an empty one, a 2^31-1 exponent wraps to an underflow) and set
    # members printed as sent (paritysuite tier3/error-messages/valueLayers, four regions).
    with raises("ValidationException", message):
        dynamodb.batch_write_item(RequestItems={table_s: [put({"pk": S("vl"), "x": value})]})


def test_batch_write_item_too_big(dynamodb, table_s):
    # why: one byte over 400 KB is refused with the put wording (paritysuite tier3/limits/
    # itemSizeBySurface, real AWS), before anything is written.
    key = util.unique_key()
    with raises("ValidationException", ITEM_TOO_BIG):
        dynamodb.batch_write_item(RequestItems={table_s: [put({"pk": S(key + "-ok")}),
                                                          put(item_of_size(ITEM_LIMIT + 1, key))]})
    assert get(dynamodb, table_s, {"pk": S(key + "-ok")}) is None


def test_batch_write_item_at_limit(dynamodb, table_s):
    # why: an item of exactly 409,600 bytes is accepted (same source).
    key = util.unique_key()
    dynamodb.batch_write_item(RequestItems={table_s: [put(item_of_size(ITEM_LIMIT, key))]})
    assert get(dynamodb, table_s, {"pk": S(key)}) == item_of_size(ITEM_LIMIT, key)


def test_batch_write_nesting_too_deep(dynamodb, table_s):
    # why: a 32-level document is refused up front (paritysuite tier3/limits/nestingDepth, real AWS),
    # bare like every value error of BatchWriteItem (tier3/error-messages/valueLayers).
    value = S("leaf")
    for _ in range(32):
        value = {"M": {"n": value}}
    with raises("ValidationException", "Nesting Levels have exceeded supported limits: Attributes in the "
                "item have nested levels beyond supported limit"):
        dynamodb.batch_write_item(RequestItems={table_s: [put({"pk": S("a"), "d": value})]})


# =============================================================================================
# Validation: tables and keys (per table, in request order)
# =============================================================================================

def test_batch_write_missing_table(dynamodb, table_s):
    # why: every table must exist; one missing fails the whole call (conformance
    # tier3/error-messages/batchWriteItem) and nothing is written.
    key = util.unique_key()
    with raises("ResourceNotFoundException", NOT_FOUND, local=LOCAL_NOT_FOUND):
        dynamodb.batch_write_item(RequestItems={table_s: [put({"pk": S(key)})],
                                                util.unique_name(): [put({"pk": S(key)})]})
    assert get(dynamodb, table_s, {"pk": S(key)}) is None


@pytest.mark.parametrize("item, local", [
    ({"pk": N("5")}, LOCAL_KEY_TYPE),
    ({"pk": {"L": [S("x")]}}, "Invalid attribute value type"),
    ({"other": S("x")}, LOCAL_MISSING_KEY),
], ids=["wrong-type", "non-scalar", "no-partition-key"])
def test_batch_write_put_key_mismatch(dynamodb, table_s, item, local):
    # why: BatchWriteItem words a put item's missing or mistyped key as a Key's (conformance and
    # paritysuite tier3/error-messages/batchWriteItem, four regions).
    with raises("ValidationException", SCHEMA, local=local):
        dynamodb.batch_write_item(RequestItems={table_s: [put(item)]})


@pytest.mark.parametrize("key, local", [
    ({"other": S("x")}, LOCAL_MISSING_KEY),
    ({"pk": N("5")}, LOCAL_KEY_TYPE),
    ({"pk": S("a"), "x": S("b")}, LOCAL_KEY_COUNT),
], ids=["no-partition-key", "wrong-type", "extra-attribute"])
def test_batch_write_delete_key_mismatch(dynamodb, table_s, key, local):
    # why: a DeleteRequest Key has exactly the key attributes (paritysuite
    # tier3/error-messages/batchWriteItem; dynalite's validateKey).
    with raises("ValidationException", SCHEMA, local=local):
        dynamodb.batch_write_item(RequestItems={table_s: [delete(key)]})


@pytest.mark.parametrize("kind, table, request_", [
    ("string", "table_s", put({"pk": S("")})),
    ("binary", "table_b", put({"pk": {"B": b""}})),
    ("binary", "table_b", delete({"pk": {"B": b""}})),
], ids=["put-string", "put-binary", "delete-binary"])
def test_batch_write_empty_key(dynamodb, request, kind, table, request_):
    # why: key values cannot be empty (conformance tier3/error-messages/batchWriteItem, exact).
    name = request.getfixturevalue(table)
    with raises("ValidationException", EMPTY_KEY.format(kind)):
        dynamodb.batch_write_item(RequestItems={name: [request_]})


@pytest.mark.parametrize("second", ["put", "delete"])
def test_batch_write_duplicate_keys(dynamodb, table_s, second):
    # why: no two requests of a call may touch one item, put or delete (conformance
    # tier3/error-messages/batchWriteItem, exact); nothing is written.
    key = util.unique_key()
    other = put({"pk": S(key), "v": S("2")}) if second == "put" else delete({"pk": S(key)})
    with raises("ValidationException", DUPLICATES):
        dynamodb.batch_write_item(RequestItems={table_s: [put({"pk": S(key), "v": S("1")}), other]})
    assert get(dynamodb, table_s, {"pk": S(key)}) is None


def test_batch_write_duplicate_range_keys(dynamodb, table_sn):
    # why: with a sort key, the whole key decides; numbers compare by value (1 and 1.0 are one item).
    key = S(util.unique_key())
    dynamodb.batch_write_item(RequestItems={table_sn: [put({"pk": key, "sk": N("1")}),
                                                       put({"pk": key, "sk": N("2")})]})
    with raises("ValidationException", DUPLICATES):
        dynamodb.batch_write_item(RequestItems={table_sn: [put({"pk": key, "sk": N("1")}),
                                                           delete({"pk": key, "sk": N("1.0")})]})


@pytest.mark.local_differs("DynamoDB Local names lsi1, or no index, or says 'Invalid attribute value type'")
@pytest.mark.parametrize("value, message", [
    (N("5"), INVALID + "Type mismatch for Index Key lsi1sk Expected: S Actual: N IndexName: gsi1"),
    ({"L": [S("x")]}, INVALID + "Type mismatch for Index Key lsi1sk Expected: S Actual: L IndexName: gsi1"),
    (S(""), "One or more parameter values are not valid. A value specified for a secondary index key is not "
            "supported. The AttributeValue for a key attribute cannot contain an empty string value. "
            "IndexName: gsi1, IndexKey: lsi1sk"),
], ids=["wrong-type", "non-scalar", "empty"])
def test_batch_write_index_key(dynamodb, table_ix, value, message):
    # why: index key attributes are checked like table keys, naming the alphabetically first index
    # (conformance tier3/error-messages/batchWriteItem, four regions).
    with raises("ValidationException", message):
        dynamodb.batch_write_item(RequestItems={table_ix: [put({"pk": S("a"), "sk": S("b"), "lsi1sk": value})]})


def test_batch_get_missing_table(dynamodb, table_s):
    # why: every table must exist (conformance tier3/error-messages/batchGetItem).
    with raises("ResourceNotFoundException", NOT_FOUND, local=LOCAL_NOT_FOUND):
        dynamodb.batch_get_item(RequestItems={table_s: {"Keys": [{"pk": S("a")}]},
                                              util.unique_name(): {"Keys": [{"pk": S("a")}]}})


@pytest.mark.parametrize("key, local", [
    ({"pk": N("1")}, LOCAL_KEY_TYPE),
    ({"pk": S("a"), "x": S("b")}, LOCAL_KEY_COUNT),
    ({"x": S("a")}, LOCAL_MISSING_KEY),
], ids=["wrong-type", "extra", "missing"])
def test_batch_get_key_mismatch(dynamodb, table_s, key, local):
    # why: each key has exactly the table's key attributes (dynalite's validateKey).
    with raises("ValidationException", SCHEMA, local=local):
        dynamodb.batch_get_item(RequestItems={table_s: {"Keys": [key]}})


@pytest.mark.parametrize("kind, table, value", [("string", "table_s", S("")), ("binary", "table_b", {"B": b""})])
def test_batch_get_empty_key(dynamodb, request, kind, table, value):
    # why: lookup keys cannot be empty (conformance tier3/error-messages/batchGetItem, exact).
    with raises("ValidationException", EMPTY_KEY.format(kind)):
        dynamodb.batch_get_item(RequestItems={request.getfixturevalue(table): {"Keys": [{"pk": value}]}})


def test_batch_get_values_are_bare(dynamodb, table_s):
    # why: BatchGetItem reports a bad key value bare, in the current wording (paritysuite
    # tier3/error-messages/valueLayers, four regions); DynamoDB Local words it its own way.
    with raises("ValidationException", "The parameter cannot be converted to a numeric value: abc",
                local="A value provided cannot be converted into a number"):
        dynamodb.batch_get_item(RequestItems={table_s: {"Keys": [{"pk": N("abc")}]}})


def test_batch_get_duplicate_keys(dynamodb, table_s):
    # why: one key twice in a Keys list is refused (conformance tier1 and tier3, exact), before the
    # table is read (dynalite's custom step: a missing table is not reported).
    with raises("ValidationException", DUPLICATES):
        dynamodb.batch_get_item(RequestItems={util.unique_name(): {"Keys": [{"pk": S("a")}, {"pk": S("a")}]}})


def test_batch_get_projection_and_attributes_to_get(dynamodb, table_s):
    # why: one table's block may not mix the legacy and the expression projection (conformance
    # tier3/error-messages/batchGetItem).
    with raises("ValidationException", MIX):
        dynamodb.batch_get_item(RequestItems={table_s: {"Keys": [{"pk": S("a")}], "AttributesToGet": ["pk"],
                                                        "ProjectionExpression": "pk"}})


def test_batch_get_projection_kinds_across_tables(dynamodb, table_s, table_ss):
    # why: nor may two tables of one call (conformance tier3/error-messages/batchGetItem pins the
    # type; the text is the one-table rule's, as DynamoDB Local's).
    with raises("ValidationException", MIX):
        dynamodb.batch_get_item(RequestItems={
            table_s: {"Keys": [{"pk": S("a")}], "ProjectionExpression": "pk"},
            table_ss: {"Keys": [{"pk": S("b"), "sk": S("z")}], "AttributesToGet": ["pk"]}})


@pytest.mark.parametrize("projection, names, paths", [
    ("a, a", None, "[a], path two: [a]"),
    ("#a, #b", {"#a": "a", "#b": "a"}, "[a], path two: [a]"),
    ("a, a.b", None, "[a], path two: [a, b]"),
], ids=["same", "aliases", "parent-child"])
def test_batch_get_projection_overlap(dynamodb, table_s, table_ss, projection, names, paths):
    # why: the projection rules are the read operations', and one bad table block fails the whole
    # call even beside a clean one (conformance tier3/error-messages/batchGetItem, exact).
    spec = {"Keys": [{"pk": S("em-bg-proj")}], "ProjectionExpression": projection}
    if names:
        spec["ExpressionAttributeNames"] = names
    with raises("ValidationException", "Invalid ProjectionExpression: Two document paths overlap with each "
                f"other; must remove or rewrite one of these paths; path one: {paths}"):
        dynamodb.batch_get_item(RequestItems={table_s: spec, table_ss: {"Keys": [{"pk": S("b"), "sk": S("z")}],
                                                                        "ProjectionExpression": "a"}})


def test_batch_get_unused_name(dynamodb, table_s):
    # why: every ExpressionAttributeNames entry of a table block must be used (DynamoDB Local agrees).
    with raises("ValidationException", "Value provided in ExpressionAttributeNames unused in expressions: keys: {#b}"):
        dynamodb.batch_get_item(RequestItems={table_s: {"Keys": [{"pk": S("a")}], "ProjectionExpression": "#a",
                                                        "ExpressionAttributeNames": {"#a": "v", "#b": "x"}}})


def test_batch_get_duplicate_attributes_to_get(dynamodb, table_s):
    # why: AttributesToGet names are unique (dynalite's validations/batchGetItem.js).
    with raises("ValidationException", INVALID + "Duplicate value in attribute name: v"):
        dynamodb.batch_get_item(RequestItems={table_s: {"Keys": [{"pk": S("a")}], "AttributesToGet": ["v", "v"]}})


# =============================================================================================
# Functionality: BatchWriteItem
# =============================================================================================

def test_batch_write_puts_and_deletes(dynamodb, table_s):
    # why: puts and deletes of one call all happen, and UnprocessedItems is {} (present, empty) when
    # everything was written (conformance tier1/batchWriteItem).
    prefix = util.unique_key()
    dynamodb.put_item(TableName=table_s, Item={"pk": S(prefix + "-del"), "v": S("old")})
    result = dynamodb.batch_write_item(RequestItems={table_s: [
        put({"pk": S(prefix + "-1"), "v": N("1")}),
        put({"pk": S(prefix + "-2"), "v": {"SS": ["a", "b"]}}),
        delete({"pk": S(prefix + "-del")}),
        delete({"pk": S(prefix + "-never")})]})
    assert result["UnprocessedItems"] == {}
    assert "ConsumedCapacity" not in result
    assert get(dynamodb, table_s, {"pk": S(prefix + "-1")}) == {"pk": S(prefix + "-1"), "v": N("1")}
    assert get(dynamodb, table_s, {"pk": S(prefix + "-2")})["v"]["SS"] in (["a", "b"], ["b", "a"])
    assert get(dynamodb, table_s, {"pk": S(prefix + "-del")}) is None


def test_batch_write_replaces_items(dynamodb, table_s):
    # why: a PutRequest replaces the whole item, as PutItem does; numbers are stored normalised.
    key = {"pk": S(util.unique_key())}
    dynamodb.put_item(TableName=table_s, Item={**key, "a": S("1"), "b": S("2")})
    dynamodb.batch_write_item(RequestItems={table_s: [put({**key, "c": N("01.50")})]})
    assert get(dynamodb, table_s, key) == {**key, "c": N("1.5")}


def test_batch_write_several_tables(dynamodb, table_s, table_ss):
    # why: one call writes to several tables (conformance tier1/batchWriteItem), and the same key in
    # two tables is two items, not a duplicate.
    key = util.unique_key()
    result = dynamodb.batch_write_item(RequestItems={
        table_s: [put({"pk": S(key), "v": S("h")})],
        table_ss: [put({"pk": S(key), "sk": S("a"), "v": S("c")}), put({"pk": S(key), "sk": S("b")})]})
    assert result["UnprocessedItems"] == {}
    assert get(dynamodb, table_s, {"pk": S(key)})["v"] == S("h")
    assert get(dynamodb, table_ss, {"pk": S(key), "sk": S("a")})["v"] == S("c")
    assert get(dynamodb, table_ss, {"pk": S(key), "sk": S("b")}) is not None


def test_batch_write_capacity_per_table(dynamodb, table_s, table_ss):
    # why: ConsumedCapacity has one entry per table, each write costing 1 unit per started KB of the
    # larger of the old and new item (a delete costs the deleted item's units).
    key = util.unique_key()
    dynamodb.put_item(TableName=table_ss, Item={"pk": S(key), "sk": S("old"), "x": S("y" * 1500)})
    result = dynamodb.batch_write_item(RequestItems={
        table_s: [put(item_of_size(1024, key + "a")), put(item_of_size(1025, key + "b"))],
        table_ss: [delete({"pk": S(key), "sk": S("old")})]}, ReturnConsumedCapacity="TOTAL")
    by_table = {c["TableName"]: c for c in result["ConsumedCapacity"]}
    assert by_table == {table_s: {"TableName": table_s, "CapacityUnits": 3.0},
                        table_ss: {"TableName": table_ss, "CapacityUnits": 2.0}}


def test_batch_write_capacity_indexes(dynamodb, table_ix):
    # why: INDEXES itemises the table and each index the writes touched (the PutItem rules; the
    # figures are DynamoDB Local's too).
    key = util.unique_key()
    result = dynamodb.batch_write_item(RequestItems={table_ix: [put({"pk": S(key), "sk": S("a"), "lsi1sk": S("x")}),
                                                                put({"pk": S(key), "sk": S("b")})]},
                                       ReturnConsumedCapacity="INDEXES")
    assert result["ConsumedCapacity"] == [{
        "TableName": table_ix, "CapacityUnits": 4.0, "Table": {"CapacityUnits": 2.0},
        "LocalSecondaryIndexes": {"lsi1": {"CapacityUnits": 1.0}},
        "GlobalSecondaryIndexes": {"gsi1": {"CapacityUnits": 1.0}}}]


@pytest.mark.local_differs("DynamoDB Local returns no ItemCollectionMetrics for batch writes")
def test_batch_write_item_collection_metrics(dynamodb, table_ix, table_s):
    # why: with SIZE, each write to a table with local secondary indexes reports its item collection;
    # tables without LSIs report nothing.
    key = util.unique_key()
    result = dynamodb.batch_write_item(RequestItems={table_ix: [put({"pk": S(key), "sk": S("a")})],
                                                     table_s: [put({"pk": S(key)})]},
                                       ReturnItemCollectionMetrics="SIZE")
    assert result["ItemCollectionMetrics"] == {
        table_ix: [{"ItemCollectionKey": {"pk": S(key)}, "SizeEstimateRangeGB": [0.0, 1.0]}]}


def test_batch_write_maintains_indexes(dynamodb, table_ix):
    # why: batch writes go through the one write path, so a GSI sees puts and deletes at once.
    tag = util.unique_key()
    dynamodb.batch_write_item(RequestItems={table_ix: [put({"pk": S(tag), "sk": S(str(i)), "lsi1sk": S(tag)})
                                                       for i in range(3)]})
    dynamodb.batch_write_item(RequestItems={table_ix: [delete({"pk": S(tag), "sk": S("0")})]})
    found = dynamodb.query(TableName=table_ix, IndexName="gsi1", KeyConditionExpression="lsi1sk = :t",
                           ExpressionAttributeValues={":t": S(tag)})["Items"]
    assert sorted(item["sk"]["S"] for item in found) == ["1", "2"]


def test_batch_write_updates_item_count(dynamodb, new_table):
    # why: the table statistics follow batch writes like single ones.
    table = new_table()
    dynamodb.batch_write_item(RequestItems={table: [put({"pk": S(str(i)), "x": S("y")}) for i in range(10)]})
    dynamodb.batch_write_item(RequestItems={table: [delete({"pk": S(str(i))}) for i in range(4)]})
    assert dynamodb.describe_table(TableName=table)["Table"]["ItemCount"] == 6


def test_batch_writer_bulk_load(url, new_table):
    # why: boto3's batch_writer() (a bulk loader's tool) buffers puts into calls of 25 and resends
    # UnprocessedItems; a few hundred items, some of them overwritten, all arrive.
    table_name = new_table()
    resource = boto3.resource("dynamodb", endpoint_url=url, region_name=util.REGION,
                              aws_access_key_id=util.ACCESS_KEY, aws_secret_access_key=util.SECRET_KEY,
                              config=Config(retries={"total_max_attempts": 1}))
    table = resource.Table(table_name)
    with table.batch_writer(overwrite_by_pkeys=["pk"]) as writer:
        for i in range(310):
            writer.put_item(Item={"pk": f"item-{i % 300:04d}", "n": i, "payload": "x" * 200})
        writer.delete_item(Key={"pk": "item-0000"})
    client = util.client_for(url)
    items, start = [], None
    while True:
        page = client.scan(TableName=table_name, **({"ExclusiveStartKey": start} if start else {}))
        items += page["Items"]
        start = page.get("LastEvaluatedKey")
        if not start:
            break
    by_key = {item["pk"]["S"]: int(item["n"]["N"]) for item in items}
    assert len(by_key) == 299 and "item-0000" not in by_key
    assert by_key["item-0005"] == 305 and by_key["item-0010"] == 10


# =============================================================================================
# Functionality: BatchGetItem
# =============================================================================================

def test_batch_get_found_and_missing(dynamodb, table_s, table_ss):
    # why: found items come back per table, missing keys are simply absent, every requested table
    # has a (possibly empty) list, and UnprocessedKeys is {} (conformance tier1/batchGetItem).
    key = util.unique_key()
    dynamodb.put_item(TableName=table_s, Item={"pk": S(key + "1"), "v": N("1")})
    dynamodb.put_item(TableName=table_s, Item={"pk": S(key + "2"), "v": N("2")})
    result = dynamodb.batch_get_item(RequestItems={
        table_s: {"Keys": [{"pk": S(key + "1")}, {"pk": S(key + "missing")}, {"pk": S(key + "2")}]},
        table_ss: {"Keys": [{"pk": S(key), "sk": S("nope")}], "ConsistentRead": True}})
    assert sorted(item["v"]["N"] for item in result["Responses"][table_s]) == ["1", "2"]
    assert result["Responses"][table_ss] == []
    assert result["UnprocessedKeys"] == {}


def test_batch_get_projection(dynamodb, table_s):
    # why: a ProjectionExpression returns only the named attributes, the key only if named
    # (conformance tier1/batchGetItem), and a projection matching nothing keeps an empty {} entry.
    key = util.unique_key()
    dynamodb.put_item(TableName=table_s, Item={"pk": S(key), "a": S("alpha"), "b": S("beta"), "c": N("99")})
    result = dynamodb.batch_get_item(RequestItems={table_s: {"Keys": [{"pk": S(key)}],
                                                             "ProjectionExpression": "a, #c",
                                                             "ExpressionAttributeNames": {"#c": "c"}}})
    assert result["Responses"][table_s] == [{"a": S("alpha"), "c": N("99")}]
    result = dynamodb.batch_get_item(RequestItems={table_s: {"Keys": [{"pk": S(key)}],
                                                             "ProjectionExpression": "nonexistent"}})
    assert result["Responses"][table_s] == [{}]


def test_batch_get_attributes_to_get(dynamodb, table_s):
    # why: the legacy AttributesToGet works per table too.
    key = util.unique_key()
    dynamodb.put_item(TableName=table_s, Item={"pk": S(key), "a": S("1"), "b": S("2")})
    result = dynamodb.batch_get_item(RequestItems={table_s: {"Keys": [{"pk": S(key)}], "AttributesToGet": ["b", "z"]}})
    assert result["Responses"][table_s] == [{"b": S("2")}]


def test_batch_get_capacity(dynamodb, table_s, table_ss):
    # why: per table, each key read costs its item's 4 KB units, halved unless ConsistentRead; the
    # setting is per table.
    key = util.unique_key()
    dynamodb.put_item(TableName=table_s, Item=item_of_size(4097, key))
    dynamodb.put_item(TableName=table_ss, Item={"pk": S(key), "sk": S("a")})
    result = dynamodb.batch_get_item(RequestItems={
        table_s: {"Keys": [{"pk": S(key)}], "ConsistentRead": True},
        table_ss: {"Keys": [{"pk": S(key), "sk": S("a")}]}}, ReturnConsumedCapacity="INDEXES")
    by_table = {c["TableName"]: c for c in result["ConsumedCapacity"]}
    assert by_table == {
        table_s: {"TableName": table_s, "CapacityUnits": 2.0, "Table": {"CapacityUnits": 2.0}},
        table_ss: {"TableName": table_ss, "CapacityUnits": 0.5, "Table": {"CapacityUnits": 0.5}}}


def test_batch_get_response_limit(dynamodb, new_table):
    # why: a response holds at most 16 MB: the keys past it come back as UnprocessedKeys, in the form
    # of RequestItems (projection, names and ConsistentRead kept), and asking for those gets the rest.
    table = new_table()
    keys = [f"big-{i:02d}" for i in range(45)]
    for chunk in (keys[:25], keys[25:]):
        dynamodb.batch_write_item(RequestItems={table: [put(item_of_size(ITEM_LIMIT, k)) for k in chunk]})
    spec = {"Keys": [{"pk": S(k)} for k in keys], "ConsistentRead": True,
            "ProjectionExpression": "#p, x", "ExpressionAttributeNames": {"#p": "pk"}}
    first = dynamodb.batch_get_item(RequestItems={table: spec})
    got = first["Responses"][table]
    unprocessed = first["UnprocessedKeys"][table]
    assert 0 < len(unprocessed["Keys"]) and len(got) + len(unprocessed["Keys"]) == 45
    assert len(got) * ITEM_LIMIT <= RESPONSE_LIMIT
    assert {k: v for k, v in unprocessed.items() if k != "Keys"} == \
        {"ConsistentRead": True, "ProjectionExpression": "#p, x", "ExpressionAttributeNames": {"#p": "pk"}}
    second = dynamodb.batch_get_item(RequestItems=first["UnprocessedKeys"])
    assert second["UnprocessedKeys"] == {}
    assert sorted(item["pk"]["S"] for item in got + second["Responses"][table]) == keys


def test_batch_get_sees_batch_writes_concurrently(url, new_table):
    # why: writers and readers of batches on many connections at once see whole items only.
    table = new_table()
    clients = [util.client_for(url) for _ in range(4)]

    def write(n):
        clients[n % 4].batch_write_item(RequestItems={table: [put({"pk": S(f"{n}-{i}"), "n": N(str(n))})
                                                              for i in range(25)]})

    def read(n):
        got = clients[n % 4].batch_get_item(RequestItems={table: {"Keys": [{"pk": S(f"{n}-{i}")}
                                                                           for i in range(25)]}})
        return [item["n"]["N"] for item in got["Responses"][table]]

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        list(pool.map(write, range(16)))
        for n, values in zip(range(16), pool.map(read, range(16))):
            assert values == [str(n)] * 25
