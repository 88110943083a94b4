"""test_query.py — Query on a table: parameters and their errors, ExclusiveStartKey checks,
ScanIndexForward, Limit and LastEvaluatedKey paging (thousands of items, 1 MB pages counted before the
filter), Select, Count/ScannedCount, ConsistentRead and ConsumedCapacity, and the order of range keys
(N numerically across magnitudes and signs, S by UTF-8 bytes, B by unsigned bytes).

Order: validation, functionality (dynalite). Expected messages are real DynamoDB's: the
nubo-db/dynamodb-conformance suite where it pins them (tests/tier1/query, the newest
tests/tier3/error-messages/query.test.ts), else dynalite's test/query.js (recorded against DynamoDB);
where the evidence only shows a message is contained in the answer, the test accepts the optional
"1 validation error detected: " envelope. DynamoDB Local's different words are `local=`; where it behaves
differently the test is marked local_differs. Operators of KeyConditionExpression are
test_key_condition_expression.py's, FilterExpression test_filter_expression.py's, indexes test_gsi.py's
and test_lsi.py's, legacy parameters test_query_filter.py's.
"""
import math
import re
from decimal import Decimal

import pytest

import util
from util import raises

ONE = "1 validation error detected: "
NULL_TABLE_NAME = "Value null at 'tableName' failed to satisfy constraint: Member must not be null"
START_INVALID = "The provided starting key is invalid"
SCHEMA = "The provided key element does not match the schema"
LOCAL_START_SIZE = "Exclusive Start Key must have same size as table's key schema"
OUTSIDE = "The provided starting key is outside query boundaries based on provided conditions"
PREDICATE = "The provided starting key does not match the range key predicate"
MB = 1024 * 1024
BIG = 2000              # items in the 'big' partition
BLOB = 100_000          # bytes of the blob attribute of each 'mb' item
MB_ITEMS = 25           # about 2.5 MB in the 'mb' partition


def S(value):
    return {"S": value}


def N(value):
    return {"N": value}


def B(value):
    return {"B": value}


def maybe_enveloped(text):
    """The text, with or without the envelope (the evidence pins only that the answer contains it)."""
    return re.compile("(?:" + re.escape(ONE) + ")?" + re.escape(text))


@pytest.fixture(scope="module")
def q_table(dynamodb):
    """pk (S) + sk (N). Partitions: 'five' (sk 1..5, x 'v1'.., odd BOOL), 'big' (sk 0..BIG-1, tag 'even'
    or 'odd'), 'mb' (MB_ITEMS items with a BLOB-byte string)."""
    name = util.create_table(dynamodb, util.unique_name("query"), [("pk", "S"), ("sk", "N")])
    items = [{"pk": S("five"), "sk": N(str(i)), "x": S(f"v{i}"), "odd": {"BOOL": i % 2 == 1}} for i in range(1, 6)]
    items += [{"pk": S("big"), "sk": N(str(i)), "tag": S("odd" if i % 2 else "even")} for i in range(BIG)]
    items += [{"pk": S("mb"), "sk": N(str(i)), "blob": S(chr(97 + i) * BLOB)} for i in range(MB_ITEMS)]
    util.put_items(dynamodb, name, items)
    yield name
    util.delete_table(dynamodb, name)


def q(dynamodb, table, pk, values=None, **params):
    """Query of one partition (ConsistentRead unless said otherwise); values adds expression values."""
    params.setdefault("ConsistentRead", True)
    return dynamodb.query(TableName=table, KeyConditionExpression="pk = :p",
                          ExpressionAttributeValues={":p": S(pk), **(values or {})}, **params)


def pages_of(dynamodb, table, pk, max_pages=10_000, **params):
    """Every page of a Query of one partition, following LastEvaluatedKey."""
    pages, start = [], None
    for _ in range(max_pages):
        page = q(dynamodb, table, pk, **params, **({"ExclusiveStartKey": start} if start else {}))
        pages.append(page)
        start = page.get("LastEvaluatedKey")
        if start is None:
            return pages
    raise AssertionError("Query never ended")


def sk_numbers(items):
    return [int(i["sk"]["N"]) for i in items]


def item_size(item):
    """DynamoDB's size of an item of S and small integer N attributes: names plus values."""
    size = 0
    for name, value in item.items():
        size += len(name.encode())
        if "S" in value:
            size += len(value["S"].encode())
        else:
            size += 1 + (len(value["N"].lstrip("-")) + 1) // 2   # digits in base-100 plus one byte
    return size


# =============================================================================================
# Validation
# =============================================================================================

def test_query_table_name_missing(dynamodb):
    # why: TableName is required (dynalite "no TableName", with the envelope).
    with raises("ValidationException", ONE + NULL_TABLE_NAME, local=NULL_TABLE_NAME):
        dynamodb.query(KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": S("a")})


def test_query_table_not_found(dynamodb):
    # why: conformance tier1 query/validation "rejects query on non-existent table".
    with raises("ResourceNotFoundException", "Requested resource not found",
                local="Cannot do operations on a non-existent table"):
        dynamodb.query(TableName=util.unique_name(), KeyConditionExpression="pk = :p",
                       ExpressionAttributeValues={":p": S("a")})


def test_query_without_key_condition(dynamodb, q_table):
    # why: conformance tier1 query/validation "rejects query without KeyConditionExpression".
    with raises("ValidationException",
                "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request."):
        dynamodb.query(TableName=q_table)


@pytest.mark.parametrize("limit", [0, -1])
def test_query_limit_too_low(dynamodb, q_table, limit):
    # why: conformance tier3 query "Limit of 0" (newest: no echoed value, member named 'Limit').
    with raises("ValidationException", ONE + "Value at 'Limit' failed to satisfy constraint: Member must have "
                                             "value greater than or equal to 1",
                local="Limit must be greater than or equal to 1"):
        q(dynamodb, q_table, "five", Limit=limit)


def test_query_select_invalid(dynamodb, q_table):
    # why: conformance tier3 query "invalid Select value" (exact text).
    with raises("ValidationException", ONE + "Value 'INVALID_VALUE' at 'select' failed to satisfy constraint: Member "
                "must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]",
                local="Select must be ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES, COUNT, or SPECIFIC_ATTRIBUTES"):
        q(dynamodb, q_table, "five", Select="INVALID_VALUE")


@pytest.mark.local_differs("DynamoDB Local accepts any ReturnConsumedCapacity")
def test_query_return_consumed_capacity_invalid(dynamodb, q_table):
    # why: dynalite "incorrect attributes" (the enum of ReturnConsumedCapacity) and conformance tier3
    # validation-ordering/query (the message names returnConsumedCapacity).
    with raises("ValidationException", ONE + "Value 'BAD' at 'returnConsumedCapacity' failed to satisfy constraint: "
                                             "Member must satisfy enum value set: [INDEXES, TOTAL, NONE]"):
        q(dynamodb, q_table, "five", ReturnConsumedCapacity="BAD")


def test_query_select_specific_attributes_without_projection(dynamodb, q_table):
    # why: conformance tier3 query "Select SPECIFIC_ATTRIBUTES without ProjectionExpression" (Query
    # wraps it in the envelope).
    text = "Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES"
    with raises("ValidationException", ONE + text, local=text):
        q(dynamodb, q_table, "five", Select="SPECIFIC_ATTRIBUTES")


@pytest.mark.parametrize("select, text", [
    ("ALL_ATTRIBUTES", "Cannot specify the ProjectionExpression when choosing to get ALL_ATTRIBUTES"),
    ("COUNT", "Cannot specify the ProjectionExpression when choosing to get only the Count"),
    ("ALL_PROJECTED_ATTRIBUTES", "Cannot specify the ProjectionExpression when choosing to get "
                                 "ALL_PROJECTED_ATTRIBUTES"),
])
def test_query_select_with_projection(dynamodb, q_table, select, text):
    # why: conformance tier1 query/select "Select ALL_ATTRIBUTES with ProjectionExpression is rejected"
    # (a ProjectionExpression asks for SPECIFIC_ATTRIBUTES); the other two are the same rule.
    with raises("ValidationException", maybe_enveloped(text)):
        q(dynamodb, q_table, "five", Select=select, ProjectionExpression="x")


def test_query_all_projected_attributes_needs_an_index(dynamodb, q_table):
    # why: conformance tier1 query/select "Select ALL_PROJECTED_ATTRIBUTES without an IndexName".
    with raises("ValidationException",
                maybe_enveloped("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName")):
        q(dynamodb, q_table, "five", Select="ALL_PROJECTED_ATTRIBUTES")


def test_query_unknown_index(dynamodb, q_table):
    # why: dynalite "non-existent index name".
    with raises("ValidationException", "The table does not have the specified index: whatever"):
        q(dynamodb, q_table, "five", IndexName="whatever")


@pytest.mark.parametrize("start, local", [
    ({"bad": S("p")}, LOCAL_START_SIZE),
    ({}, START_INVALID),
    ({"pk": S("five")}, LOCAL_START_SIZE),
    ({"pk": S("five"), "sk": N("1"), "x": S("1")}, LOCAL_START_SIZE),
    ({"pk": S("five"), "x": N("1")}, START_INVALID),
], ids=["unknown-attribute", "empty", "hash-only", "extra-attribute", "range-missing"])
def test_query_start_key_not_a_key(dynamodb, q_table, start, local):
    # why: conformance tier3 query "malformed ExclusiveStartKey: short invalid-starting-key error" and
    # dynalite "ExclusiveStartKey for range table is invalid": Query answers the short form.
    with raises("ValidationException", START_INVALID, local=local):
        q(dynamodb, q_table, "five", ExclusiveStartKey=start)


@pytest.mark.parametrize("start", [{"pk": N("1"), "sk": N("1")}, {"pk": S("five"), "sk": S("1")},
                                   {"pk": B(b"five"), "sk": N("1")}], ids=["hash-N", "range-S", "hash-B"])
def test_query_start_key_wrong_type(dynamodb, q_table, start):
    # why: dynalite "ExclusiveStartKey does not match hash schema" / "range has incorrect schema": Query
    # answers the key check's words alone.
    with raises("ValidationException", SCHEMA, local="Type mismatch for attribute to update"):
        q(dynamodb, q_table, "five", ExclusiveStartKey=start)


@pytest.mark.local_differs("DynamoDB Local answers the range-predicate message")
def test_query_start_key_in_another_partition(dynamodb, q_table):
    # why: dynalite "ExclusiveStartKey with out-of-bounds hash key".
    with raises("ValidationException", OUTSIDE):
        q(dynamodb, q_table, "five", ExclusiveStartKey={"pk": S("big"), "sk": N("1")})


@pytest.mark.parametrize("condition, start, forward", [
    ("sk > :v", "1", True),
    ("sk >= :v", "2", True),
    ("sk < :v", "4", True),
    ("sk <= :v", "4", False),
    ("sk BETWEEN :v AND :w", "5", True),
], ids=["gt-below", "ge-below", "lt-above", "le-above-descending", "between-above"])
def test_query_start_key_outside_range_condition(dynamodb, q_table, condition, start, forward):
    # why: dynalite "ExclusiveStartKey with non-matching range key": the start key must satisfy the
    # range condition.
    with raises("ValidationException", PREDICATE):
        dynamodb.query(TableName=q_table, KeyConditionExpression="pk = :p AND " + condition,
                       ExpressionAttributeValues={":p": S("five"), ":v": N("3"), **({":w": N("4")} if ":w" in condition else {})},
                       ExclusiveStartKey={"pk": S("five"), "sk": N(start)}, ScanIndexForward=forward)


# =============================================================================================
# Functionality: results, order, Select
# =============================================================================================

def test_query_whole_partition(dynamodb, q_table):
    # why: conformance tier1 query/basic: all items of the partition in ascending order, counts, no
    # LastEvaluatedKey, items exactly as written.
    page = q(dynamodb, q_table, "five")
    assert page["Items"] == [{"pk": S("five"), "sk": N(str(i)), "x": S(f"v{i}"), "odd": {"BOOL": i % 2 == 1}}
                             for i in range(1, 6)]
    assert page["Count"] == page["ScannedCount"] == 5
    assert "LastEvaluatedKey" not in page


def test_query_empty_partition(dynamodb, q_table):
    # why: dynalite "query a hash table when empty": {Count: 0, ScannedCount: 0, Items: []}.
    page = q(dynamodb, q_table, "nobody")
    assert (page["Items"], page["Count"], page["ScannedCount"]) == ([], 0, 0)
    assert "LastEvaluatedKey" not in page


def test_query_scan_index_forward_false(dynamodb, q_table):
    # why: conformance tier1 query/basic "descending order with ScanIndexForward=false".
    assert sk_numbers(q(dynamodb, q_table, "five", ScanIndexForward=False)["Items"]) == [5, 4, 3, 2, 1]
    assert sk_numbers(q(dynamodb, q_table, "five", ScanIndexForward=True)["Items"]) == [1, 2, 3, 4, 5]


def test_query_hash_only_table(dynamodb, table_s):
    # why: dynalite "query a hash table with items": the one item of that key, and nothing else.
    key = util.unique_key()
    dynamodb.put_item(TableName=table_s, Item={"pk": S(key), "v": N("1")})
    page = q(dynamodb, table_s, key)
    assert (page["Items"], page["Count"], page["ScannedCount"]) == ([{"pk": S(key), "v": N("1")}], 1, 1)


def test_query_projection_expression(dynamodb, q_table):
    # why: dynalite "only return requested attributes": absent attributes are left out (an item with
    # none of them is {}), counts are unchanged.
    page = q(dynamodb, q_table, "five", ProjectionExpression="x, nothing")
    assert page["Items"] == [{"x": S(f"v{i}")} for i in range(1, 6)]
    page = q(dynamodb, q_table, "five", ProjectionExpression="nothing")
    assert page["Items"] == [{}] * 5 and page["Count"] == 5


def test_query_select_specific_attributes(dynamodb, q_table):
    # why: conformance tier1 query/select "Select SPECIFIC_ATTRIBUTES with ProjectionExpression succeeds".
    page = q(dynamodb, q_table, "five", Select="SPECIFIC_ATTRIBUTES", ProjectionExpression="#k, sk",
             ExpressionAttributeNames={"#k": "pk"})
    assert page["Items"] == [{"pk": S("five"), "sk": N(str(i))} for i in range(1, 6)]


def test_query_select_all_attributes(dynamodb, q_table):
    # why: ALL_ATTRIBUTES on a table is the default answer.
    assert q(dynamodb, q_table, "five", Select="ALL_ATTRIBUTES")["Items"] == q(dynamodb, q_table, "five")["Items"]


def test_query_select_count(dynamodb, q_table):
    # why: conformance tier1 query/select "Select COUNT returns count without items" (and with a filter
    # Count and ScannedCount differ).
    page = q(dynamodb, q_table, "five", Select="COUNT")
    assert page["Count"] == page["ScannedCount"] == 5 and "Items" not in page
    page = q(dynamodb, q_table, "five", Select="COUNT", FilterExpression="odd = :t",
             values={":t": {"BOOL": True}})
    assert (page["Count"], page["ScannedCount"]) == (3, 5) and "Items" not in page


def test_query_select_count_with_limit(dynamodb, q_table):
    # why: dynalite "return LastEvaluatedKey even if only Count is selected" (with and without filter).
    page = q(dynamodb, q_table, "five", Select="COUNT", Limit=2)
    assert (page["Count"], page["ScannedCount"], page["LastEvaluatedKey"]) == (2, 2, {"pk": S("five"), "sk": N("2")})
    assert "Items" not in page
    page = q(dynamodb, q_table, "five", Select="COUNT", Limit=2, FilterExpression="odd = :t",
             values={":t": {"BOOL": True}})
    assert (page["Count"], page["ScannedCount"], page["LastEvaluatedKey"]) == (1, 2, {"pk": S("five"), "sk": N("2")})


def test_query_filter_counts(dynamodb, q_table):
    # why: conformance tier1 query/basic "ScannedCount reflects pre-filter count".
    page = q(dynamodb, q_table, "five", FilterExpression="x IN (:a, :b)",
             values={":a": S("v2"), ":b": S("v5")})
    assert sk_numbers(page["Items"]) == [2, 5] and (page["Count"], page["ScannedCount"]) == (2, 5)


@pytest.mark.parametrize("limit, expected_count", [(2, 1), (3, 2)])
def test_query_limit_counts_before_the_filter(dynamodb, q_table, limit, expected_count):
    # why: conformance tier1 query/basic "Limit applies to scanned items, not filtered items".
    page = q(dynamodb, q_table, "five", Limit=limit, FilterExpression="odd = :t",
             values={":t": {"BOOL": True}})
    assert (page["Count"], page["ScannedCount"]) == (expected_count, limit)
    assert page["LastEvaluatedKey"] == {"pk": S("five"), "sk": N(str(limit))}


# =============================================================================================
# Functionality: Limit, ExclusiveStartKey, LastEvaluatedKey
# =============================================================================================

@pytest.mark.parametrize("limit", [1, 2, 4])
def test_query_limit_last_evaluated_key(dynamodb, q_table, limit):
    # why: dynalite "only return Limit items": LastEvaluatedKey is the key (only) of the last item returned.
    page = q(dynamodb, q_table, "five", Limit=limit)
    assert sk_numbers(page["Items"]) == list(range(1, limit + 1))
    assert page["LastEvaluatedKey"] == {"pk": S("five"), "sk": N(str(limit))}


def test_query_limit_equal_to_the_partition(dynamodb, q_table):
    # why: dynalite "should not return LastEvaluatedKey if Limit is at least size of response": a Limit
    # equal to the item count still answers a LastEvaluatedKey, a larger one does not, and the page after
    # that key is empty.
    page = q(dynamodb, q_table, "five", Limit=5)
    assert page["Count"] == 5 and page["LastEvaluatedKey"] == {"pk": S("five"), "sk": N("5")}
    rest = q(dynamodb, q_table, "five", ExclusiveStartKey=page["LastEvaluatedKey"])
    assert (rest["Items"], rest["Count"]) == ([], 0) and "LastEvaluatedKey" not in rest
    assert "LastEvaluatedKey" not in q(dynamodb, q_table, "five", Limit=6)


def test_query_start_key_is_exclusive(dynamodb, q_table):
    # why: conformance tier1 query/basic "does not repeat the item equal to ExclusiveStartKey".
    first = q(dynamodb, q_table, "five", Limit=2)
    rest = q(dynamodb, q_table, "five", ExclusiveStartKey=first["LastEvaluatedKey"])
    assert sk_numbers(rest["Items"]) == [3, 4, 5]


def test_query_start_key_between_items(dynamodb, q_table):
    # why: ExclusiveStartKey is a position: a key no item has continues with the next key above it.
    page = q(dynamodb, q_table, "five", ExclusiveStartKey={"pk": S("five"), "sk": N("2.5")})
    assert sk_numbers(page["Items"]) == [3, 4, 5]


def test_query_descending_limit_and_start_key(dynamodb, q_table):
    # why: dynalite "reverse order with Limit" / "with ExclusiveStartKey": the key of the last item
    # returned, and paging continues downwards from it.
    page = q(dynamodb, q_table, "five", ScanIndexForward=False, Limit=2)
    assert sk_numbers(page["Items"]) == [5, 4] and page["LastEvaluatedKey"] == {"pk": S("five"), "sk": N("4")}
    rest = q(dynamodb, q_table, "five", ScanIndexForward=False, ExclusiveStartKey=page["LastEvaluatedKey"])
    assert sk_numbers(rest["Items"]) == [3, 2, 1] and "LastEvaluatedKey" not in rest


def test_query_start_key_with_range_condition(dynamodb, q_table):
    # why: a start key inside the range condition narrows it; the condition still bounds the other end.
    page = dynamodb.query(TableName=q_table, KeyConditionExpression="pk = :p AND sk BETWEEN :a AND :b",
                          ExpressionAttributeValues={":p": S("five"), ":a": N("2"), ":b": N("4")},
                          ExclusiveStartKey={"pk": S("five"), "sk": N("2")}, ConsistentRead=True)
    assert sk_numbers(page["Items"]) == [3, 4]


def test_query_start_key_of_deleted_item(dynamodb, new_table):
    # why: paging survives the deletion of the item the LastEvaluatedKey names.
    name = new_table([("pk", "S"), ("sk", "N")])
    util.put_items(dynamodb, name, [{"pk": S("p"), "sk": N(str(i))} for i in range(6)])
    first = q(dynamodb, name, "p", Limit=3)
    dynamodb.delete_item(TableName=name, Key=first["LastEvaluatedKey"])
    assert sk_numbers(q(dynamodb, name, "p", ExclusiveStartKey=first["LastEvaluatedKey"])["Items"]) == [3, 4, 5]


@pytest.mark.parametrize("limit", [7, 100, 999, BIG, BIG + 1])
@pytest.mark.parametrize("forward", [True, False], ids=["ascending", "descending"])
def test_query_pages_through_thousands(dynamodb, q_table, limit, forward):
    # why: paging with any Limit through thousands of items returns each once, in order, every page but
    # the last full, and ends without LastEvaluatedKey.
    pages = pages_of(dynamodb, q_table, "big", Limit=limit, ScanIndexForward=forward)
    seen = [n for page in pages for n in sk_numbers(page["Items"])]
    assert seen == (list(range(BIG)) if forward else list(range(BIG - 1, -1, -1)))
    assert all(p["Count"] == p["ScannedCount"] == limit for p in pages[:-1])
    assert all(p["LastEvaluatedKey"] == {"pk": S("big"), "sk": p["Items"][-1]["sk"]} for p in pages[:-1])
    assert len(pages) == BIG // limit + 1 if limit <= BIG else len(pages) == 1


def test_query_pages_through_thousands_with_filter(dynamodb, q_table):
    # why: a filter thins each page but paging still visits every item and keeps the order.
    pages = pages_of(dynamodb, q_table, "big", Limit=150, FilterExpression="tag = :t",
                     values={":t": S("odd")})
    assert [n for page in pages for n in sk_numbers(page["Items"])] == list(range(1, BIG, 2))
    assert sum(p["ScannedCount"] for p in pages) == BIG


def test_query_thousands_in_one_page(dynamodb, q_table):
    # why: without Limit a partition under 1 MB comes back whole, without LastEvaluatedKey.
    page = q(dynamodb, q_table, "big")
    assert page["Count"] == page["ScannedCount"] == BIG and "LastEvaluatedKey" not in page
    assert sk_numbers(page["Items"]) == list(range(BIG))


def check_mb_pages(pages):
    """Each page but the last holds at least 1 MB minus an item and stops at the item that reaches 1 MB."""
    assert len(pages) >= 3
    for page in pages[:-1]:
        assert page["ScannedCount"] >= 2 and "LastEvaluatedKey" in page
    return True


def test_query_one_megabyte_pages(dynamodb, q_table):
    # why: a Query reads at most 1 MB per call (the item that reaches the limit is the last one) and
    # answers LastEvaluatedKey; following it returns every item once.
    pages = pages_of(dynamodb, q_table, "mb")
    check_mb_pages(pages)
    for page in pages[:-1]:
        sizes = [item_size(i) for i in page["Items"]]
        assert sum(sizes[:-1]) < MB + 1000 and sum(sizes) >= MB - 50_000, sizes
        assert page["LastEvaluatedKey"] == {"pk": S("mb"), "sk": page["Items"][-1]["sk"]}
    assert [n for p in pages for n in sk_numbers(p["Items"])] == list(range(MB_ITEMS))


@pytest.mark.local_differs("DynamoDB Local applies the 1 MB limit after the filter")
def test_query_one_megabyte_counted_before_the_filter(dynamodb, q_table):
    # why: the 1 MB is what was read, not what the filter kept (developer guide, "Query": "This limit
    # applies before any FilterExpression"): a filter that matches nothing still answers pages of
    # Count 0 with a LastEvaluatedKey, and they cover the partition.
    pages = pages_of(dynamodb, q_table, "mb", FilterExpression="attribute_exists(nothing)")
    check_mb_pages(pages)
    assert all(p["Count"] == 0 and p["Items"] == [] for p in pages)
    assert sum(p["ScannedCount"] for p in pages) == MB_ITEMS


def test_query_one_megabyte_pages_of_count(dynamodb, q_table):
    # why: Select COUNT reads the same items, so it is cut at 1 MB too and answers LastEvaluatedKey.
    pages = pages_of(dynamodb, q_table, "mb", Select="COUNT")
    check_mb_pages(pages)
    assert sum(p["Count"] for p in pages) == MB_ITEMS and all("Items" not in p for p in pages)


def test_query_limit_below_the_megabyte(dynamodb, q_table):
    # why: whichever comes first ends the page: here Limit.
    page = q(dynamodb, q_table, "mb", Limit=3)
    assert page["Count"] == 3 and page["LastEvaluatedKey"] == {"pk": S("mb"), "sk": N("2")}


# =============================================================================================
# Functionality: ConsistentRead and ConsumedCapacity
# =============================================================================================

def test_query_consumed_capacity(dynamodb, q_table):
    # why: dynalite: a small read is 0.5 units eventually consistent, 1 unit strongly; TOTAL names the
    # table, INDEXES adds Table, NONE and no parameter answer none.
    eventual = q(dynamodb, q_table, "five", ConsistentRead=False, ReturnConsumedCapacity="TOTAL")["ConsumedCapacity"]
    strong = q(dynamodb, q_table, "five", ReturnConsumedCapacity="TOTAL")["ConsumedCapacity"]
    indexes = q(dynamodb, q_table, "five", ConsistentRead=False, ReturnConsumedCapacity="INDEXES")["ConsumedCapacity"]
    assert eventual == {"TableName": q_table, "CapacityUnits": 0.5}
    assert strong == {"TableName": q_table, "CapacityUnits": 1.0}
    assert indexes == {"TableName": q_table, "CapacityUnits": 0.5, "Table": {"CapacityUnits": 0.5}}
    assert "ConsumedCapacity" not in q(dynamodb, q_table, "five", ReturnConsumedCapacity="NONE")
    assert "ConsumedCapacity" not in q(dynamodb, q_table, "five")


def test_query_capacity_ignores_filter_and_projection(dynamodb, q_table):
    # why: conformance tier1 query/consumedCapacity: a Query is sized before the filter and projection.
    def units(**params):
        return q(dynamodb, q_table, "mb", Limit=6, ReturnConsumedCapacity="TOTAL", **params)["ConsumedCapacity"]
    plain = units()
    assert units(FilterExpression="attribute_exists(nothing)") == plain
    assert units(ProjectionExpression="sk") == plain
    assert units(Select="COUNT") == plain


def test_query_capacity_of_a_megabyte_page(dynamodb, q_table):
    # why: capacity is the size read rounded up to 4 KB units (halved when eventually consistent).
    page = q(dynamodb, q_table, "mb", ReturnConsumedCapacity="TOTAL")
    size = sum(item_size(i) for i in page["Items"])
    assert abs(page["ConsumedCapacity"]["CapacityUnits"] - math.ceil(size / 4096)) <= 1
    page = q(dynamodb, q_table, "mb", ConsistentRead=False, ReturnConsumedCapacity="TOTAL")
    assert abs(page["ConsumedCapacity"]["CapacityUnits"] - math.ceil(size / 4096) / 2) <= 1


# =============================================================================================
# Functionality: order of range keys
# =============================================================================================

NUMBERS = ["-9.9999999999999999999999999999999999999e125", "-1e10", "-99.1", "-10.1", "-9.9", "-9", "-1.01", "-1",
           "-0.9", "-0.5", "-0.1", "-0.09", "-0.01", "-1e-130", "0", "1e-130", "0.001", "0.01", "0.09", "0.1", "0.9",
           "1", "1.1", "1.9", "2", "9", "9.1", "10", "10.1", "10.9", "99.1", "1e10", "123456789012345678901234567890",
           "9.9999999999999999999999999999999999999e125"]


@pytest.fixture(scope="module")
def n_order(dynamodb):
    """pk (S) + sk (N) with NUMBERS, written in a scrambled order."""
    name = util.create_table(dynamodb, util.unique_name("order-n"), [("pk", "S"), ("sk", "N")])
    util.put_items(dynamodb, name, [{"pk": S("p"), "sk": N(v)} for v in NUMBERS[::2] + NUMBERS[1::2]])
    yield name
    util.delete_table(dynamodb, name)


def test_query_number_order(dynamodb, n_order):
    # why: dynalite "items in order for numbers": N range keys sort numerically across signs and
    # magnitudes (1e-130 .. 1e125), both ways.
    want = [Decimal(v) for v in NUMBERS]
    assert sorted(want) == want
    page = q(dynamodb, n_order, "p")
    assert [Decimal(i["sk"]["N"]) for i in page["Items"]] == want
    page = q(dynamodb, n_order, "p", ScanIndexForward=False)
    assert [Decimal(i["sk"]["N"]) for i in page["Items"]] == want[::-1]


def test_query_number_order_across_pages(dynamodb, n_order):
    # why: the order holds across pages too (LastEvaluatedKey of N keys of every magnitude).
    pages = pages_of(dynamodb, n_order, "p", Limit=3)
    assert [Decimal(i["sk"]["N"]) for p in pages for i in p["Items"]] == [Decimal(v) for v in NUMBERS]


def test_query_number_keys_are_values(dynamodb, new_table):
    # why: 1, 1.0 and 10e-1 are one number: the second write replaces the first, and a condition on any
    # spelling finds it.
    name = new_table([("pk", "S"), ("sk", "N")])
    for spelling in ("1", "1.0", "10e-1"):
        dynamodb.put_item(TableName=name, Item={"pk": S("p"), "sk": N(spelling), "w": S(spelling)})
    page = dynamodb.query(TableName=name, KeyConditionExpression="pk = :p AND sk = :v",
                          ExpressionAttributeValues={":p": S("p"), ":v": N("1.00")}, ConsistentRead=True)
    assert [(Decimal(i["sk"]["N"]), i["w"]["S"]) for i in page["Items"]] == [(1, "10e-1")]


STRINGS = ["", "A", "B", "Z", "a", "aa", "ab", "b", "~", "\x7f", "\u00e9", "\u00ff", "\u0100", "\u20ac", "\uff5a",
           "\U0001d11e", "\U0001f600"]


@pytest.mark.parametrize("kind", ["S", "B"])
def test_query_string_and_binary_order(dynamodb, new_table, kind):
    # why: dynalite "items in order for strings/binary": S range keys sort by UTF-8 bytes (so U+FF5A
    # before U+1D11E, unlike UTF-16), B by unsigned bytes (0x80 above 0x7f).
    name = new_table([("pk", "S"), ("sk", kind)])
    if kind == "S":
        values = [v for v in STRINGS if v]
        want = sorted(values, key=lambda v: v.encode())
    else:
        values = [b"\x00", b"\x00\x00", b"\x01", b"\x01\x02", b"\x02", b"\x7f", b"\x80", b"\x80\x00", b"\xfe",
                  b"\xff", b"\xff\x00", b"\xff\xff"]
        want = sorted(values)
    util.put_items(dynamodb, name, [{"pk": S("p"), "sk": {kind: v}} for v in values[::-1]])
    assert [i["sk"][kind] for i in q(dynamodb, name, "p")["Items"]] == want
    assert [i["sk"][kind] for i in q(dynamodb, name, "p", ScanIndexForward=False)["Items"]] == want[::-1]
    pages = pages_of(dynamodb, name, "p", Limit=2)
    assert [i["sk"][kind] for p in pages for i in p["Items"]] == want
