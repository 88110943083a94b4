"""test_transact.py — TransactWriteItems and TransactGetItems: limits, the order of checks, which
faults are plain errors and which are cancellation reasons, CancellationReasons in action order
(with the old item for ALL_OLD), atomicity (a cancelled transaction leaves no trace, not even a
stream record), ClientRequestToken idempotency, capacity, one consistent snapshot for reads, and
serializable transfers from many connections at once.

Order: serialization, validation, functionality (dynalite). Expected messages are real DynamoDB's
as pinned by nubo-db/dynamodb-conformance (tier2/transactions, tier3/error-messages/transact*,
tier3/limits/transactionLimits) and its paritysuite fork (tier3/validation-ordering/transactions,
tier3/limits/itemSizeBySurface and nestingDepth, captured 2026-06 .. 2026-10). Where no capture has
a text, the source is named in the test. DynamoDB Local's different wording is given as `local=`;
where it behaves differently the test is marked local_differs.
"""
import concurrent.futures
import random
import re
import threading

import pytest
from botocore.exceptions import ClientError

import util
from util import raises

ONE = "1 validation error detected: "
INVALID = "One or more parameter values were invalid: "
SCHEMA = "The provided key element does not match the schema"
NOT_FOUND = "Requested resource not found"
LOCAL_NOT_FOUND = "Cannot do operations on a non-existent table"
MULTIPLE = "Transaction request cannot include multiple operations on one item"
EMPTY_KEY = ("One or more parameter values are not valid. The AttributeValue for a key attribute cannot "
             "contain an empty {} value. Key: pk")
ITEM_TOO_BIG = "Item size has exceeded the maximum allowed size"
UPDATE_TOO_BIG = "Item size to update has exceeded the maximum allowed size"
FAILED = "The conditional request failed"
NEST = ("Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond "
        "supported limit")
ITEM_LIMIT = 409_600


def S(value):
    return {"S": value}


def N(value):
    return {"N": value}


def cancelled_message(*codes):
    return f"Transaction cancelled, please refer cancellation reasons for specific reasons [{', '.join(codes)}]"


def get(dynamodb, table, key):
    return dynamodb.get_item(TableName=table, Key=key, ConsistentRead=True).get("Item")


def item_of_size(size, key):
    """An item of exactly `size` bytes in a pk-only table: 'pk' + key + 'p' + padding."""
    return {"pk": S(key), "p": S("y" * (size - 2 - len(key) - 1))}


@pytest.fixture
def cancelled():
    """cancelled(call, *codes) -> CancellationReasons: expects TransactionCanceledException with
    the reason codes in action order and DynamoDB's message listing them."""
    def check(call, *codes):
        with raises("TransactionCanceledException", cancelled_message(*codes)) as excinfo:
            call()
        reasons = excinfo.value.response["CancellationReasons"]
        assert [r["Code"] for r in reasons] == list(codes)
        return reasons
    return check


@pytest.fixture(scope="module")
def table_ix(dynamodb):
    """pk/sk (S) with an LSI lsi1 and a GSI gsi1 both keyed on lsi1sk (S), as the conformance
    suite's compositeTableDef (index key errors name gsi1, the alphabetically first)."""
    name = util.create_table(
        dynamodb, util.unique_name("txix"), [("pk", "S"), ("sk", "S")],
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


def put(table, item, **params):
    return {"Put": {"TableName": table, "Item": item, **params}}


def update(table, key, expression, values=None, **params):
    action = {"TableName": table, "Key": key, "UpdateExpression": expression, **params}
    if values:
        action["ExpressionAttributeValues"] = values
    return {"Update": action}


def delete(table, key, **params):
    return {"Delete": {"TableName": table, "Key": key, **params}}


def check(table, key, condition, **params):
    return {"ConditionCheck": {"TableName": table, "Key": key, "ConditionExpression": condition, **params}}


# =============================================================================================
# Serialization
# =============================================================================================

@pytest.mark.local_differs("DynamoDB Local coerces wrongly typed values")
def test_transact_write_item_value_not_string(url, table_s):
    # why: {"S": 5} is not a string; the whole request is deserialized before anything runs.
    status, _, body, raw = util.raw_request(url, target="DynamoDB_20120810.TransactWriteItems",
                                            body={"TransactItems": [put(table_s, {"pk": {"S": 5}})]})
    assert (status, util.error_of(body)) == (400, ("SerializationException",
                                                   "NUMBER_VALUE cannot be converted to String")), raw


# =============================================================================================
# Validation: members and limits (reported before any action is read)
# =============================================================================================

@pytest.mark.parametrize("op, local", [
    ("transact_write_items", "Value [] at 'transactItems' failed to satisfy constraint: Member must have length "
                             "greater than or equal to 1"),
    ("transact_get_items", "Value null at 'transactItems' failed to satisfy constraint: Member must not be null"),
])
def test_transact_items_empty(dynamodb, op, local):
    # why: at least one action (conformance tier3/error-messages/transact*: 30 of 33 regions echo the list).
    with raises("ValidationException", ONE + "Value '[]' at 'transactItems' failed to satisfy constraint: "
                "Member must have length greater than or equal to 1", local=local):
        getattr(dynamodb, op)(TransactItems=[])


@pytest.mark.parametrize("op", ["transact_write_items", "transact_get_items"])
def test_transact_items_101(dynamodb, table_s, op):
    # why: at most 100 actions (conformance tier3/error-messages/transact*, the echoing cohort's form).
    if op == "transact_write_items":
        items = [put(table_s, {"pk": S(f"k{i}")}) for i in range(101)]
    else:
        items = [{"Get": {"TableName": table_s, "Key": {"pk": S(f"k{i}")}}} for i in range(101)]
    pattern = re.compile(r"1 validation error detected: (?:Value '\[.+\]' at 'transactItems'|Value at "
                         r"'TransactItems') failed to satisfy constraint: Member must have length less than or "
                         r"equal to 100", re.S)
    with raises("ValidationException", pattern, local="Member must have length less than or equal to 100"):
        getattr(dynamodb, op)(TransactItems=items)


def test_transact_token_too_long(dynamodb, table_s):
    # why: ClientRequestToken is 1..36 characters (paritysuite tier3/validation-ordering/transactions,
    # us-east-1's echoing form).
    token = "x" * 37
    with raises("ValidationException", ONE + f"Value '{token}' at 'clientRequestToken' failed to satisfy "
                "constraint: Member must have length less than or equal to 36",
                local=f"Value {token} at 'clientRequestToken' failed to satisfy constraint: Member must have "
                      "length less than or equal to 36"):
        dynamodb.transact_write_items(TransactItems=[put(table_s, {"pk": S("a")})], ClientRequestToken=token)


@pytest.mark.local_differs("DynamoDB Local accepts unknown enum values here")
def test_transact_bad_enums_before_missing_table(dynamodb):
    # why: both enums are reported together, ahead of a missing table (paritysuite
    # tier3/validation-ordering/transactions, exact).
    with raises("ValidationException", "2 validation errors detected: Value 'BOGUS' at 'returnConsumedCapacity' "
                "failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]; "
                "Value 'BOGUS2' at 'returnItemCollectionMetrics' failed to satisfy constraint: Member must "
                "satisfy enum value set: [SIZE, NONE]"):
        dynamodb.transact_write_items(TransactItems=[put(util.unique_name(), {"pk": S("a")})],
                                      ReturnConsumedCapacity="BOGUS", ReturnItemCollectionMetrics="BOGUS2")


@pytest.mark.parametrize("action, message", [
    ({}, "Invalid Request: TransactWriteRequest should contain Delete or Put or Update request"),
    ({"Put": {"TableName": "xyz", "Item": {"pk": S("a")}}, "Delete": {"TableName": "xyz", "Key": {"pk": S("a")}}},
     "TransactItems can only contain one of Check, Put, Update or Delete"),
], ids=["none", "two"])
def test_transact_action_needs_one_kind(dynamodb, action, message):
    # why: each action is exactly one of ConditionCheck, Put, Update, Delete (no capture; DynamoDB
    # Local's and moto's words).
    with raises("ValidationException", message):
        dynamodb.transact_write_items(TransactItems=[action])


def test_transact_condition_check_needs_condition(dynamodb, table_s):
    # why: a ConditionCheck without a ConditionExpression is a member constraint (DynamoDB Local agrees
    # on the path).
    message = ("Value null at 'transactItems.1.member.conditionCheck.conditionExpression' failed to satisfy "
               "constraint: Member must not be null")
    with raises("ValidationException", ONE + message, local=message):
        dynamodb.transact_write_items(TransactItems=[{"ConditionCheck": {"TableName": table_s,
                                                                         "Key": {"pk": S("a")}}}])


# =============================================================================================
# Validation: what each action alone tells, in request order, before any table is looked up
# (paritysuite tier3/validation-ordering/transactions, us-east-1 and eu-west-2 2026-10-09)
# =============================================================================================

def deep(levels):
    value = S("leaf")
    for _ in range(levels):
        value = {"M": {"n": value}}
    return value


def test_transact_syntax_error_before_missing_table(dynamodb, table_s):
    # why: a malformed expression on a later action wins over a missing table on an earlier one.
    with raises("ValidationException", 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "("'):
        dynamodb.transact_write_items(TransactItems=[
            put(util.unique_name(), {"pk": S("a")}),
            check(table_s, {"pk": S("vo-tx-cc")}, "attribute_not_exists(")])


def test_transact_first_failing_action_wins(dynamodb, table_s):
    # why: between two actions that fail validation, the first in request order is reported; a too
    # deep item is reported without the envelope PutItem puts round it.
    with raises("ValidationException", NEST):
        dynamodb.transact_write_items(TransactItems=[
            put(table_s, {"pk": S("vo-tx-deep"), "data": deep(32)}),
            check(table_s, {"pk": S("vo-tx-cc")}, "attribute_not_exists(")])
    with raises("ValidationException", 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "("'):
        dynamodb.transact_write_items(TransactItems=[
            check(table_s, {"pk": S("vo-tx-cc")}, "attribute_not_exists("),
            put(table_s, {"pk": S("vo-tx-deep"), "data": deep(32)})])


@pytest.mark.parametrize("where", ["missing-table-before", "missing-table-after", "duplicate"])
def test_transact_unused_value_first(dynamodb, table_s, where):
    # why: an unused ExpressionAttributeValues entry is refused ahead of a missing table or a duplicate
    # target, wherever they sit (both regions agree, exact).
    unused = check(table_s, {"pk": S("vo-tx-cc")}, "attribute_not_exists(pk)",
                   ExpressionAttributeValues={":v": S("x")})
    other = put(table_s if where == "duplicate" else util.unique_name(), {"pk": S("vo-tx-cc")})
    items = [unused, other] if where == "missing-table-after" else [other, unused]
    with raises("ValidationException", "Value provided in ExpressionAttributeValues unused in expressions: keys: {:v}"):
        dynamodb.transact_write_items(TransactItems=items)


def test_transact_put_too_big(dynamodb, table_s):
    # why: a Put's size is known from the request: one byte over 400 KB is a plain error, not a
    # cancellation (paritysuite tier3/limits/itemSizeBySurface); exactly 400 KB is stored.
    key = util.unique_key()
    with raises("ValidationException", ITEM_TOO_BIG):
        dynamodb.transact_write_items(TransactItems=[put(table_s, item_of_size(ITEM_LIMIT + 1, key))])
    dynamodb.transact_write_items(TransactItems=[put(table_s, item_of_size(ITEM_LIMIT, key))])
    assert get(dynamodb, table_s, {"pk": S(key)}) == item_of_size(ITEM_LIMIT, key)


def test_transact_over_4mb(dynamodb, new_table):
    # why: the items of one transaction total at most 4 MB: 10 items of 350 KB pass, 12 do not
    # (conformance tier3/limits/transactionLimits pins the type; the text is DynamoDB Local's).
    table = new_table()
    items = [put(table, {"pk": S(f"big{i}"), "p": S("x" * 350_000)}) for i in range(12)]   # 4,200,086 bytes
    with raises("ValidationException", "Transaction payload size cannot exceed 4MB. Payload Size: 4200086"):
        dynamodb.transact_write_items(TransactItems=items)
    dynamodb.transact_write_items(TransactItems=items[:10])
    assert dynamodb.describe_table(TableName=table)["Table"]["ItemCount"] == 10


def test_transact_100_actions(dynamodb, new_table):
    # why: 100 actions is the limit, not over it (conformance tier3/limits/transactionLimits).
    table = new_table()
    dynamodb.transact_write_items(TransactItems=[put(table, {"pk": S(f"k{i:03d}")}) for i in range(100)])
    got = dynamodb.transact_get_items(TransactItems=[{"Get": {"TableName": table, "Key": {"pk": S(f"k{i:03d}")}}}
                                                     for i in range(100)])
    assert [r["Item"]["pk"]["S"] for r in got["Responses"]] == [f"k{i:03d}" for i in range(100)]


# =============================================================================================
# Validation: tables, keys, one action per item (plain errors)
# =============================================================================================

def test_transact_missing_table(dynamodb, table_s):
    # why: every table must exist (conformance tier3/error-messages/transactWriteItems, exact).
    with raises("ResourceNotFoundException", NOT_FOUND, local=LOCAL_NOT_FOUND):
        dynamodb.transact_write_items(TransactItems=[put(table_s, {"pk": S("a")}),
                                                     put(util.unique_name(), {"pk": S("a")})])


@pytest.mark.parametrize("second", ["put", "delete", "check"])
def test_transact_multiple_operations_on_one_item(dynamodb, table_s, is_local, second):
    # why: no two actions may target one item, whatever their kinds (conformance
    # tier3/error-messages/transactWriteItems, exact; the AWS documentation's example is a
    # ConditionCheck and an Update); nothing is written.
    if is_local and second == "check":
        pytest.skip("DynamoDB Local lets a ConditionCheck share an item with a write")
    key = {"pk": S(util.unique_key())}
    other = {"put": put(table_s, key), "delete": delete(table_s, key),
             "check": check(table_s, key, "attribute_not_exists(pk)")}[second]
    with raises("ValidationException", MULTIPLE):
        dynamodb.transact_write_items(TransactItems=[update(table_s, key, "SET v = :v", {":v": S("x")}), other])
    assert get(dynamodb, table_s, key) is None


def test_transact_same_key_other_table_is_other_item(dynamodb, table_s, table_sn, is_local):
    # why: an item is a table and a key: the same key in two tables, or two sort keys, are two items;
    # numbers compare by value, so 2 and 2.0 are one item (DynamoDB Local compares their text).
    key = util.unique_key()
    dynamodb.transact_write_items(TransactItems=[
        put(table_s, {"pk": S(key)}), put(table_sn, {"pk": S(key), "sk": N("1")}),
        put(table_sn, {"pk": S(key), "sk": N("2")})])
    with raises("ValidationException", MULTIPLE):
        dynamodb.transact_write_items(TransactItems=[put(table_sn, {"pk": S(key), "sk": N("2")}),
                                                     delete(table_sn, {"pk": S(key), "sk": N("2" if is_local else "2.0")})])


@pytest.mark.parametrize("kind, table, action", [
    ("string", "table_s", lambda t: put(t, {"pk": S("")})),
    ("string", "table_s", lambda t: update(t, {"pk": S("")}, "SET attr1 = :v", {":v": S("x")})),
    ("string", "table_s", lambda t: delete(t, {"pk": S("")})),
    ("string", "table_s", lambda t: check(t, {"pk": S("")}, "attribute_not_exists(pk)")),
    ("binary", "table_b", lambda t: put(t, {"pk": {"B": b""}})),
    ("binary", "table_b", lambda t: update(t, {"pk": {"B": b""}}, "SET attr1 = :v", {":v": S("x")})),
    ("binary", "table_b", lambda t: delete(t, {"pk": {"B": b""}})),
    ("binary", "table_b", lambda t: check(t, {"pk": {"B": b""}}, "attribute_not_exists(pk)")),
], ids=["put-s", "update-s", "delete-s", "check-s", "put-b", "update-b", "delete-b", "check-b"])
def test_transact_empty_key_is_plain_error(dynamodb, request, kind, table, action):
    # why: an empty key value is refused up front as a ValidationException, never a cancellation
    # reason (conformance tier3/error-messages/transactWriteItems, four regions, exact).
    with raises("ValidationException", EMPTY_KEY.format(kind)):
        dynamodb.transact_write_items(TransactItems=[action(request.getfixturevalue(table))])


@pytest.mark.local_differs("DynamoDB Local names lsi1, the first index it holds")
def test_transact_empty_index_key_is_plain_error(dynamodb, table_ix):
    # why: so is an empty index key value, in the put wording for a Put and the update wording for an
    # Update (conformance tier3/error-messages/transactWriteItems, exact).
    with raises("ValidationException", "One or more parameter values are not valid. A value specified for a "
                "secondary index key is not supported. The AttributeValue for a key attribute cannot contain an "
                "empty string value. IndexName: gsi1, IndexKey: lsi1sk"):
        dynamodb.transact_write_items(TransactItems=[put(table_ix, {"pk": S("a"), "sk": S("c"), "lsi1sk": S("")})])
    with raises("ValidationException", "One or more parameter values are not valid. The update expression "
                "attempted to update a secondary index key to a value that is not supported. The AttributeValue "
                "for a key attribute cannot contain an empty string value."):
        dynamodb.transact_write_items(TransactItems=[update(table_ix, {"pk": S("a"), "sk": S("c")},
                                                            "SET lsi1sk = :v", {":v": S("")})])


# =============================================================================================
# Validation: faults of one action are cancellation reasons (ValidationError)
# =============================================================================================

@pytest.mark.parametrize("item, message, local", [
    ({"pk": N("5")}, INVALID + "Type mismatch for key pk expected: S actual: N", INVALID + "Type mismatch for key"),
    ({"pk": {"L": [S("x")]}}, INVALID + "Type mismatch for key pk expected: S actual: L", None),
    ({"other": S("x")}, INVALID + "Missing the key pk in the item", None),
], ids=["wrong-type", "non-scalar", "missing"])
def test_transact_put_key_mismatch_reason(dynamodb, table_s, cancelled, is_local, item, message, local):
    # why: a Put item's mistyped key cancels with PutItem's words as a ValidationError reason
    # (conformance tier3/error-messages/transactWriteItems, exact; missing key: the same family).
    if is_local and local is None:
        pytest.skip("DynamoDB Local answers this with a plain ValidationException")
    reasons = cancelled(lambda: dynamodb.transact_write_items(TransactItems=[put(table_s, item)]), "ValidationError")
    assert reasons[0]["Message"] == (local if is_local else message)


@pytest.mark.parametrize("kind", ["update", "delete", "check"])
@pytest.mark.parametrize("value", [N("5"), {"L": [S("x")]}], ids=["wrong-type", "non-scalar"])
def test_transact_key_mismatch_reason(dynamodb, table_s, cancelled, is_local, kind, value):
    # why: a Key that does not match the schema cancels with the schema-mismatch reason, not the Put
    # form (conformance tier3/error-messages/transactWriteItems, four regions, exact).
    if is_local and "L" in value:
        pytest.skip("DynamoDB Local answers a non-scalar key with a plain ValidationException")
    key = {"pk": value}
    action = {"update": update(table_s, key, "SET attr1 = :v", {":v": S("x")}), "delete": delete(table_s, key),
              "check": check(table_s, key, "attribute_not_exists(pk)")}[kind]
    reasons = cancelled(lambda: dynamodb.transact_write_items(TransactItems=[action]), "ValidationError")
    assert reasons[0]["Message"] == (INVALID + "Type mismatch for key" if is_local else SCHEMA)


@pytest.mark.local_differs("DynamoDB Local's reason says only 'Type mismatch for Index Key'")
@pytest.mark.parametrize("value, actual", [(N("5"), "N"), ({"L": [S("x")]}, "L")], ids=["wrong-type", "non-scalar"])
@pytest.mark.parametrize("kind", ["put", "update"])
def test_transact_index_key_mismatch_reason(dynamodb, table_ix, cancelled, kind, value, actual):
    # why: a mistyped index key cancels, naming gsi1 (conformance tier3/error-messages/transactWriteItems).
    key = {"pk": S(util.unique_key()), "sk": S("a")}
    action = put(table_ix, {**key, "lsi1sk": value}) if kind == "put" else \
        update(table_ix, key, "SET lsi1sk = :v", {":v": value})
    reasons = cancelled(lambda: dynamodb.transact_write_items(TransactItems=[action]), "ValidationError")
    assert reasons[0]["Message"] == \
        INVALID + f"Type mismatch for Index Key lsi1sk Expected: S Actual: {actual} IndexName: gsi1"


def test_transact_update_key_attribute_reason(dynamodb, table_s, cancelled):
    # why: an Update that sets a key attribute cancels with UpdateItem's words (DynamoDB Local agrees).
    reasons = cancelled(lambda: dynamodb.transact_write_items(TransactItems=[
        update(table_s, {"pk": S("a")}, "SET pk = :v", {":v": S("x")})]), "ValidationError")
    assert reasons[0]["Message"] == INVALID + "Cannot update attribute pk. This attribute is part of the key"


@pytest.mark.local_differs("DynamoDB Local reports these with a plain ValidationException")
def test_transact_update_runtime_errors_are_reasons(dynamodb, table_s, cancelled):
    # why: what an Update can only find out on the stored item cancels with a ValidationError reason:
    # a wrong operand type, a finished item over 400 KB with the update wording (paritysuite
    # tier3/limits/itemSizeBySurface; the AWS SDKs' TransactionCanceledException list of messages).
    key = {"pk": S(util.unique_key())}
    dynamodb.put_item(TableName=table_s, Item={**key, "n": S("text")})
    reasons = cancelled(lambda: dynamodb.transact_write_items(TransactItems=[
        put(table_s, {"pk": S(util.unique_key())}),
        update(table_s, key, "SET n = n + :one", {":one": N("1")})]), "None", "ValidationError")
    assert reasons[1]["Message"] == "An operand in the update expression has an incorrect data type"
    padding = "y" * (ITEM_LIMIT - len(key["pk"]["S"]) - 8 - 1)   # pk + key, n + "text", p: 1 byte short
    reasons = cancelled(lambda: dynamodb.transact_write_items(TransactItems=[
        update(table_s, key, "SET p = :p", {":p": S(padding + "zz")})]), "ValidationError")
    assert reasons[0]["Message"] == UPDATE_TOO_BIG
    dynamodb.transact_write_items(TransactItems=[update(table_s, key, "SET p = :p", {":p": S(padding + "z")})])
    assert get(dynamodb, table_s, key)["p"] == S(padding + "z")


def test_transact_every_failure_is_reported(dynamodb, table_s, cancelled):
    # why: every action's outcome is listed in order, None for those that would have succeeded, with
    # a failed condition's message (conformance tier3/error-messages/transactWriteItems, exact).
    a, b, c = (util.unique_key() for _ in range(3))
    dynamodb.put_item(TableName=table_s, Item={"pk": S(a), "attr1": S("exists")})
    dynamodb.put_item(TableName=table_s, Item={"pk": S(c), "attr1": S("exists")})
    reasons = cancelled(lambda: dynamodb.transact_write_items(TransactItems=[
        put(table_s, {"pk": S(a), "attr1": S("over")}, ConditionExpression="attribute_not_exists(pk)"),
        put(table_s, {"pk": S(b), "attr1": S("fresh")}, ConditionExpression="attribute_not_exists(pk)"),
        put(table_s, {"pk": S(c), "attr1": S("over")}, ConditionExpression="attribute_not_exists(pk)")]),
        "ConditionalCheckFailed", "None", "ConditionalCheckFailed")
    assert reasons[0]["Message"] == FAILED and reasons[2]["Message"] == FAILED
    assert reasons[1] == {"Code": "None"}
    assert get(dynamodb, table_s, {"pk": S(b)}) is None


def test_transact_reason_and_validation_together(dynamodb, table_s, cancelled, is_local):
    # why: a failed condition and an action-level validation fault are both listed (DynamoDB Local
    # agrees).
    key = {"pk": S(util.unique_key())}
    dynamodb.put_item(TableName=table_s, Item=key)
    reasons = cancelled(lambda: dynamodb.transact_write_items(TransactItems=[
        put(table_s, key, ConditionExpression="attribute_not_exists(pk)"),
        put(table_s, {"pk": N("1")})]), "ConditionalCheckFailed", "ValidationError")
    assert reasons[1]["Message"] == INVALID + ("Type mismatch for key" if is_local else
                                               "Type mismatch for key pk expected: S actual: N")


def test_transact_plain_error_beats_reasons(dynamodb, table_s):
    # why: a request-level fault on a later action wins over a failed condition on an earlier one.
    key = {"pk": S(util.unique_key())}
    dynamodb.put_item(TableName=table_s, Item=key)
    with raises("ValidationException", EMPTY_KEY.format("string")):
        dynamodb.transact_write_items(TransactItems=[put(table_s, key, ConditionExpression="attribute_not_exists(pk)"),
                                                     put(table_s, {"pk": S("")})])
    with raises("ResourceNotFoundException", NOT_FOUND, local=LOCAL_NOT_FOUND):
        dynamodb.transact_write_items(TransactItems=[put(table_s, key, ConditionExpression="attribute_not_exists(pk)"),
                                                     put(util.unique_name(), {"pk": S("a")})])


def test_transact_get_validation(dynamodb, table_s):
    # why: TransactGetItems refuses a bad projection, a missing table, a duplicate target and an empty
    # key value as plain errors (conformance tier3/error-messages/transactGetItems; DynamoDB Local).
    key = {"pk": S("tgi-pe")}
    with raises("ValidationException", 'Invalid ProjectionExpression: Syntax error; token: "!", near: "!!"'):
        dynamodb.transact_get_items(TransactItems=[{"Get": {"TableName": table_s, "Key": key,
                                                            "ProjectionExpression": "!!!"}}])
    with raises("ResourceNotFoundException", NOT_FOUND, local=LOCAL_NOT_FOUND):
        dynamodb.transact_get_items(TransactItems=[{"Get": {"TableName": util.unique_name(), "Key": key}}])
    with raises("ValidationException", MULTIPLE):
        dynamodb.transact_get_items(TransactItems=[{"Get": {"TableName": table_s, "Key": key}}] * 2)
    with raises("ValidationException", EMPTY_KEY.format("string")):
        dynamodb.transact_get_items(TransactItems=[{"Get": {"TableName": table_s, "Key": {"pk": S("")}}}])


@pytest.mark.local_differs("DynamoDB Local cancels without CancellationReasons")
@pytest.mark.parametrize("key", [{}, {"pk": N("1")}], ids=["empty", "wrong-type"])
def test_transact_get_key_mismatch_reason(dynamodb, table_s, cancelled, key):
    # why: a Get whose Key does not match the schema cancels with a ValidationError reason
    # (conformance tier3/error-messages/transactGetItems).
    reasons = cancelled(lambda: dynamodb.transact_get_items(TransactItems=[
        {"Get": {"TableName": table_s, "Key": {"pk": S("ok")}}},
        {"Get": {"TableName": table_s, "Key": key}}]), "None", "ValidationError")
    assert reasons[1]["Message"] == SCHEMA


# =============================================================================================
# Functionality: TransactWriteItems
# =============================================================================================

def test_transact_put_update_delete(dynamodb, table_s, table_ss):
    # why: Put, Update and Delete over two tables all happen (conformance tier2/transactions), and the
    # answer is empty without ReturnConsumedCapacity.
    a, b, c = ({"pk": S(util.unique_key())} for _ in range(3))
    dynamodb.put_item(TableName=table_s, Item={**b, "data": S("before")})
    dynamodb.put_item(TableName=table_s, Item={**c, "data": S("to-delete")})
    result = dynamodb.transact_write_items(TransactItems=[
        put(table_s, {**a, "data": S("created")}),
        update(table_s, b, "SET #d = :v", {":v": S("after")}, ExpressionAttributeNames={"#d": "data"}),
        delete(table_s, c),
        put(table_ss, {**a, "sk": S("x")})])
    assert {k: v for k, v in result.items() if k != "ResponseMetadata"} == {}
    assert get(dynamodb, table_s, a) == {**a, "data": S("created")}
    assert get(dynamodb, table_s, b) == {**b, "data": S("after")}
    assert get(dynamodb, table_s, c) is None
    assert get(dynamodb, table_ss, {**a, "sk": S("x")}) is not None


def test_transact_condition_check_passes(dynamodb, table_s):
    # why: a ConditionCheck that holds lets the other actions happen (conformance tier2/transactions).
    checked, written = {"pk": S(util.unique_key())}, {"pk": S(util.unique_key())}
    dynamodb.put_item(TableName=table_s, Item={**checked, "status": S("active")})
    dynamodb.transact_write_items(TransactItems=[
        check(table_s, checked, "#s = :v", ExpressionAttributeNames={"#s": "status"},
              ExpressionAttributeValues={":v": S("active")}),
        put(table_s, {**written, "status": S("processed")})])
    assert get(dynamodb, table_s, written)["status"] == S("processed")


def test_transact_cancelled_changes_nothing(dynamodb, table_s, cancelled):
    # why: all or nothing: when one condition fails, the other actions' writes are undone, and the
    # reason carries the old item for ALL_OLD (conformance tier2/transactions).
    existing, fresh, other = ({"pk": S(util.unique_key())} for _ in range(3))
    dynamodb.put_item(TableName=table_s, Item={**existing, "data": S("original")})
    dynamodb.put_item(TableName=table_s, Item={**other, "n": N("1")})
    reasons = cancelled(lambda: dynamodb.transact_write_items(TransactItems=[
        put(table_s, {**fresh, "data": S("new")}),
        update(table_s, other, "SET n = n + :one", {":one": N("1")}),
        put(table_s, {**existing, "data": S("new")}, ConditionExpression="attribute_not_exists(pk)",
            ReturnValuesOnConditionCheckFailure="ALL_OLD")]),
        "None", "None", "ConditionalCheckFailed")
    assert reasons[2] == {"Code": "ConditionalCheckFailed", "Message": FAILED,
                          "Item": {**existing, "data": S("original")}}
    assert get(dynamodb, table_s, fresh) is None
    assert get(dynamodb, table_s, other)["n"] == N("1")
    assert get(dynamodb, table_s, existing)["data"] == S("original")


def test_transact_all_old_only_when_asked(dynamodb, table_s, cancelled):
    # why: without ReturnValuesOnConditionCheckFailure (or with NONE) the reason has no Item, and
    # an item that does not exist has none to return; ConditionCheck takes the option too.
    key = {"pk": S(util.unique_key())}
    dynamodb.put_item(TableName=table_s, Item={**key, "v": S("1")})
    reasons = cancelled(lambda: dynamodb.transact_write_items(TransactItems=[
        check(table_s, key, "v = :x", ExpressionAttributeValues={":x": S("2")}),
        check(table_s, {"pk": S(util.unique_key())}, "attribute_exists(pk)", ReturnValuesOnConditionCheckFailure="ALL_OLD"),
        delete(table_s, {"pk": S(util.unique_key())}, ConditionExpression="attribute_exists(pk)",
               ReturnValuesOnConditionCheckFailure="NONE")]),
        "ConditionalCheckFailed", "ConditionalCheckFailed", "ConditionalCheckFailed")
    assert all("Item" not in r for r in reasons)
    reasons = cancelled(lambda: dynamodb.transact_write_items(TransactItems=[
        check(table_s, key, "v = :x", ExpressionAttributeValues={":x": S("2")},
              ReturnValuesOnConditionCheckFailure="ALL_OLD")]), "ConditionalCheckFailed")
    assert reasons[0]["Item"] == {**key, "v": S("1")}


def test_transact_update_conditions_on_missing_items(dynamodb, table_s, cancelled):
    # why: an Update's condition sees a missing item as absent: attribute_exists cancels and leaves no
    # ghost item, attribute_not_exists creates it (conformance tier2/transactions).
    ghost, created = {"pk": S(util.unique_key())}, {"pk": S(util.unique_key())}
    cancelled(lambda: dynamodb.transact_write_items(TransactItems=[
        update(table_s, ghost, "ADD hit_count :inc", {":inc": N("1")}, ConditionExpression="attribute_exists(pk)")]),
        "ConditionalCheckFailed")
    assert get(dynamodb, table_s, ghost) is None
    dynamodb.transact_write_items(TransactItems=[update(table_s, created, "SET #s = :new", {":new": S("created")},
                                                       ConditionExpression="attribute_not_exists(pk)",
                                                       ExpressionAttributeNames={"#s": "status"})])
    assert get(dynamodb, table_s, created) == {**created, "status": S("created")}


def test_transact_leaves_no_stream_record(url, dynamodb, new_table, cancelled):
    # why: a cancelled transaction leaves no trace, not even in the table's stream; a committed one
    # has one record per item, as single writes do.
    table = new_table(StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
    dynamodb.transact_write_items(TransactItems=[put(table, {"pk": S("a")}), put(table, {"pk": S("b")})])
    cancelled(lambda: dynamodb.transact_write_items(TransactItems=[
        put(table, {"pk": S("c")}), put(table, {"pk": S("a")}, ConditionExpression="attribute_not_exists(pk)")]),
        "None", "ConditionalCheckFailed")
    dynamodb.transact_write_items(TransactItems=[delete(table, {"pk": S("b")})])
    streams = util.client_for(url, service="dynamodbstreams")
    arn = dynamodb.describe_table(TableName=table)["Table"]["LatestStreamArn"]
    records = []
    for shard in streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]:
        iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"],
                                              ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        records += streams.get_records(ShardIterator=iterator)["Records"]
    assert [(r["eventName"], r["dynamodb"]["Keys"]["pk"]["S"]) for r in records] == \
        [("INSERT", "a"), ("INSERT", "b"), ("REMOVE", "b")]


@pytest.mark.local_differs("DynamoDB Local charges one unit per transactional write")
def test_transact_write_capacity(dynamodb, table_s):
    # why: a transaction charges 2 write units per item per KB (conformance tier2/transactions: two
    # small puts cost 4), per table.
    result = dynamodb.transact_write_items(TransactItems=[put(table_s, {"pk": S(util.unique_key()), "v": N("1")}),
                                                          put(table_s, {"pk": S(util.unique_key()), "v": N("1")})],
                                           ReturnConsumedCapacity="TOTAL")
    assert [(c["TableName"], c["CapacityUnits"]) for c in result["ConsumedCapacity"]] == [(table_s, 4.0)]


@pytest.mark.local_differs("DynamoDB Local returns no ItemCollectionMetrics for transactions")
def test_transact_item_collection_metrics(dynamodb, table_ix, table_s):
    # why: with SIZE, writes to a table with local secondary indexes report their item collections.
    key = util.unique_key()
    result = dynamodb.transact_write_items(TransactItems=[put(table_ix, {"pk": S(key), "sk": S("a")}),
                                                          put(table_s, {"pk": S(key)})],
                                           ReturnItemCollectionMetrics="SIZE")
    assert result["ItemCollectionMetrics"] == {
        table_ix: [{"ItemCollectionKey": {"pk": S(key)}, "SizeEstimateRangeGB": [0.0, 1.0]}]}


# =============================================================================================
# Functionality: ClientRequestToken
# =============================================================================================

def test_transact_token_replay_writes_nothing(dynamodb, table_s):
    # why: the same request with the same token succeeds again without running again (conformance
    # tier2/transactions); ReturnConsumedCapacity may differ, as DynamoDB documents for replays.
    key, token = {"pk": S(util.unique_key())}, util.unique_key("tok")[:36]
    items = [update(table_s, key, "ADD n :one", {":one": N("1")})]
    dynamodb.transact_write_items(TransactItems=items, ClientRequestToken=token)
    dynamodb.transact_write_items(TransactItems=items, ClientRequestToken=token)
    dynamodb.transact_write_items(TransactItems=items, ClientRequestToken=token, ReturnConsumedCapacity="TOTAL")
    assert get(dynamodb, table_s, key)["n"] == N("1")
    dynamodb.transact_write_items(TransactItems=items, ClientRequestToken=util.unique_key("tok")[:36])
    assert get(dynamodb, table_s, key)["n"] == N("2")


def test_transact_token_mismatch(dynamodb, table_s):
    # why: the same token with another request is refused (conformance tier2/transactions pins the
    # type; no capture has the text: DynamoDB Local's is empty) and writes nothing.
    key, token = {"pk": S(util.unique_key())}, util.unique_key("tok")[:36]
    dynamodb.transact_write_items(TransactItems=[put(table_s, {**key, "val": S("first")})], ClientRequestToken=token)
    with raises("IdempotentParameterMismatchException", ""):
        dynamodb.transact_write_items(TransactItems=[put(table_s, {**key, "val": S("different")})],
                                      ClientRequestToken=token)
    assert get(dynamodb, table_s, key)["val"] == S("first")


def test_transact_token_ignores_member_order(url, table_s):
    # why: a replay is the same request whatever the order of its JSON members (DynamoDB does not
    # care: localstack issue 6529, checked against AWS).
    key, token = util.unique_key(), util.unique_key("tok")[:36]
    first = {"ClientRequestToken": token, "TransactItems": [
        {"Put": {"TableName": table_s, "Item": {"pk": S(key), "a": S("1"), "b": S("2")}}}]}
    second = {"TransactItems": [{"Put": {"Item": {"b": S("2"), "a": S("1"), "pk": S(key)}, "TableName": table_s}}],
              "ClientRequestToken": token}
    for body in (first, second):
        status, _, parsed, raw = util.raw_request(url, target="DynamoDB_20120810.TransactWriteItems", body=body)
        assert status == 200, raw


def test_transact_cancelled_does_not_bind_token(dynamodb, table_s, cancelled):
    # why: a cancelled transaction changed nothing, so retrying it with its token runs it again and
    # can succeed once the condition holds (DynamoDB Local agrees).
    key, token = {"pk": S(util.unique_key())}, util.unique_key("tok")[:36]
    items = [check(table_s, key, "attribute_exists(pk)"), put(table_s, {"pk": S(key["pk"]["S"] + "-w")})]
    cancelled(lambda: dynamodb.transact_write_items(TransactItems=items, ClientRequestToken=token),
              "ConditionalCheckFailed", "None")
    dynamodb.put_item(TableName=table_s, Item=key)
    dynamodb.transact_write_items(TransactItems=items, ClientRequestToken=token)
    assert get(dynamodb, table_s, {"pk": S(key["pk"]["S"] + "-w")}) is not None


# =============================================================================================
# Functionality: TransactGetItems
# =============================================================================================

def test_transact_get_items(dynamodb, table_s, table_ss):
    # why: Responses come in request order over tables, {} for a missing item (conformance
    # tier2/transactions), a projection applies per Get, and an existing item whose projection
    # matches nothing is {"Item": {}} (DynamoDB Local agrees).
    a, b = util.unique_key(), util.unique_key()
    dynamodb.put_item(TableName=table_s, Item={"pk": S(a), "x": N("1"), "y": N("2")})
    dynamodb.put_item(TableName=table_ss, Item={"pk": S(b), "sk": S("s"), "data": S("comp")})
    result = dynamodb.transact_get_items(TransactItems=[
        {"Get": {"TableName": table_ss, "Key": {"pk": S(b), "sk": S("s")}}},
        {"Get": {"TableName": table_s, "Key": {"pk": S("missing-" + a)}}},
        {"Get": {"TableName": table_s, "Key": {"pk": S(a)}, "ProjectionExpression": "#y",
                 "ExpressionAttributeNames": {"#y": "y"}}},
        {"Get": {"TableName": table_ss, "Key": {"pk": S(b), "sk": S("other")}}}])
    assert result["Responses"] == [{"Item": {"pk": S(b), "sk": S("s"), "data": S("comp")}}, {},
                                   {"Item": {"y": N("2")}}, {}]
    result = dynamodb.transact_get_items(TransactItems=[
        {"Get": {"TableName": table_s, "Key": {"pk": S(a)}, "ProjectionExpression": "nothing"}}])
    assert result["Responses"] == [{"Item": {}}]


def test_transact_get_capacity(dynamodb, table_s):
    # why: 2 read units per item per 4 KB, a missing item included (conformance tier2/transactions:
    # present + missing cost 4); INDEXES shows the table's read units.
    key = util.unique_key()
    dynamodb.put_item(TableName=table_s, Item={"pk": S(key), "v": N("1")})
    result = dynamodb.transact_get_items(TransactItems=[
        {"Get": {"TableName": table_s, "Key": {"pk": S(key)}}},
        {"Get": {"TableName": table_s, "Key": {"pk": S("missing-" + key)}}}], ReturnConsumedCapacity="TOTAL")
    assert sum(c["CapacityUnits"] for c in result["ConsumedCapacity"]) == 4.0
    result = dynamodb.transact_get_items(TransactItems=[{"Get": {"TableName": table_s, "Key": {"pk": S(key)}}}],
                                         ReturnConsumedCapacity="INDEXES")
    table_units = result["ConsumedCapacity"][0]["Table"]
    assert table_units.get("ReadCapacityUnits", table_units["CapacityUnits"]) > 0


# =============================================================================================
# Functionality: concurrency
# =============================================================================================

def test_concurrent_transfers_are_serializable(url, dynamodb, new_table):
    # why: 8 threads × 50 transfers between 10 accounts, each a conditional debit and a credit, with
    # readers taking TransactGetItems snapshots meanwhile: the total never changes, in any snapshot or
    # at the end, and no balance goes negative (the condition and the writes are atomic).
    table = new_table()
    accounts, start, total = 10, 100, 1000
    dynamodb.transact_write_items(TransactItems=[put(table, {"pk": S(f"acct-{i}"), "balance": N(str(start))})
                                                 for i in range(accounts)])
    stop = threading.Event()
    outcomes = {"done": 0, "refused": 0}
    lock = threading.Lock()

    def transfer(seed):
        client, rng = util.client_for(url), random.Random(seed)
        for _ in range(50):
            src, dst = rng.sample(range(accounts), 2)
            amount = str(rng.randint(1, 60))
            while True:
                try:
                    client.transact_write_items(TransactItems=[
                        update(table, {"pk": S(f"acct-{src}")}, "SET balance = balance - :amt", {":amt": N(amount)},
                               ConditionExpression="balance >= :amt"),
                        update(table, {"pk": S(f"acct-{dst}")}, "SET balance = balance + :amt", {":amt": N(amount)})])
                    key = "done"
                except ClientError as e:
                    code = e.response["Error"]["Code"]
                    if code == "TransactionConflictException" or (
                            code == "TransactionCanceledException" and
                            any(r["Code"] == "TransactionConflict" for r in e.response["CancellationReasons"])):
                        continue   # DynamoDB (and Local) may refuse a conflicting transaction: retry
                    assert code == "TransactionCanceledException", e.response
                    assert [r["Code"] for r in e.response["CancellationReasons"]] == \
                        ["ConditionalCheckFailed", "None"]
                    key = "refused"
                with lock:
                    outcomes[key] += 1
                break

    def snapshot_sums():
        client, sums = util.client_for(url), []
        while not stop.is_set():
            try:
                got = client.transact_get_items(TransactItems=[{"Get": {"TableName": table, "Key": {"pk": S(f"acct-{i}")}}}
                                                               for i in range(accounts)])
            except ClientError as e:
                assert e.response["Error"]["Code"] == "TransactionCanceledException", e.response
                continue
            balances = [int(r["Item"]["balance"]["N"]) for r in got["Responses"]]
            assert min(balances) >= 0
            sums.append(sum(balances))
        return sums

    with concurrent.futures.ThreadPoolExecutor(10) as pool:
        readers = [pool.submit(snapshot_sums) for _ in range(2)]
        writers = [pool.submit(transfer, seed) for seed in range(8)]
        for w in writers:
            w.result()
        stop.set()
        snapshots = [s for r in readers for s in r.result()]
    assert outcomes["done"] + outcomes["refused"] == 400 and outcomes["done"] > 0
    assert snapshots and set(snapshots) == {total}
    final = dynamodb.batch_get_item(RequestItems={table: {"Keys": [{"pk": S(f"acct-{i}")} for i in range(accounts)],
                                                          "ConsistentRead": True}})["Responses"][table]
    balances = [int(item["balance"]["N"]) for item in final]
    assert sum(balances) == total and min(balances) >= 0
