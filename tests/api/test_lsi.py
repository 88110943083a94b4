"""test_lsi.py — local secondary indexes: Query and Scan with IndexName on LSIs with ALL, KEYS_ONLY
and INCLUDE projections, every range condition on the index range key, strongly consistent reads,
attributes not projected fetched from the table (Select ALL_ATTRIBUTES, ProjectionExpression) and what
that costs, sparse indexes, the index kept up to date by writes, LastEvaluatedKey holding the index key
and the table key (paging across ties), and the errors (key conditions, ExclusiveStartKey, index key
types and empty values on writes).

Order: validation, functionality (dynalite). Expected messages are real DynamoDB's: dynalite's
test/query.js, test/scan.js and test/putItem.js (recorded against DynamoDB) and the
nubo-db/dynamodb-conformance suite (tests/tier1/query/lsi.test.ts, select.test.ts,
tests/tier1/scan/lsi*.test.ts). DynamoDB Local's different words are `local=`; where it behaves
differently the test is marked local_differs. Each test writes its own table partition.
"""
import pytest

import util
from util import raises

INVALID = "One or more parameter values were invalid: "
START_INVALID = "The provided starting key is invalid"
SCHEMA = "The provided key element does not match the schema"


def S(value):
    return {"S": value}


def N(value):
    return {"N": value}


LSIS = [
    {"IndexName": "lall", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "l1", "KeyType": "RANGE"}],
     "Projection": {"ProjectionType": "ALL"}},
    {"IndexName": "lkeys", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "l2", "KeyType": "RANGE"}],
     "Projection": {"ProjectionType": "KEYS_ONLY"}},
    {"IndexName": "linc", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "l3", "KeyType": "RANGE"}],
     "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["a1"]}},
]
ATTRS = [{"AttributeName": a, "AttributeType": t} for a, t in (("l1", "S"), ("l2", "N"), ("l3", "S"))]


@pytest.fixture(scope="module")
def l_table(dynamodb):
    """pk (S) + sk (S) with LSIs lall (l1 S; ALL), lkeys (l2 N; KEYS_ONLY), linc (l3 S; INCLUDE a1)."""
    name = util.create_table(dynamodb, util.unique_name("lsi"), [("pk", "S"), ("sk", "S")],
                             AttributeDefinitions=ATTRS, LocalSecondaryIndexes=LSIS)
    yield name
    util.delete_table(dynamodb, name)


def iq(dynamodb, table, index, pk, condition="", values=None, **params):
    """Query of an index partition: 'pk = :p' plus an optional range condition."""
    return dynamodb.query(TableName=table, IndexName=index,
                          KeyConditionExpression="pk = :p" + (" AND " + condition if condition else ""),
                          ExpressionAttributeValues={":p": S(pk), **(values or {})}, **params)


def sks(page):
    return [i["sk"]["S"] for i in page["Items"]]


def partition(dynamodb, table, items):
    """Writes the items into a new partition; returns its key."""
    pk = util.unique_key("p")
    util.put_items(dynamodb, table, [{"pk": S(pk), **item} for item in items])
    return pk


# =============================================================================================
# Validation
# =============================================================================================

def test_lsi_unknown_index(dynamodb, l_table):
    # why: dynalite "non-existent index name".
    with raises("ValidationException", "The table does not have the specified index: nope"):
        iq(dynamodb, l_table, "nope", "x")


@pytest.mark.parametrize("condition, values, message, local", [
    ("sk = :s", {":s": S("a")}, "Query condition missed key schema element: l1", "Query condition missed key schema element"),
    ("l1 = :s", {":s": N("1")}, INVALID + "Condition parameter type does not match schema type", None),
    ("l1 <> :s", {":s": S("a")}, "Invalid operator used in KeyConditionExpression: <>", None),
], ids=["table-range", "value-type", "operator"])
def test_lsi_key_condition_errors(dynamodb, l_table, condition, values, message, local):
    # why: dynalite "ExclusiveStartKey with local index and missing part" (a condition on the table's
    # range key names the index's) and the key-condition rules applied to the index's key schema.
    with raises("ValidationException", message, local=local):
        iq(dynamodb, l_table, "lall", "x", condition, values)


def test_lsi_filter_on_index_range_key(dynamodb, l_table):
    # why: dynalite "range key in FilterExpression", with the index's key schema.
    with raises("ValidationException", "Filter Expression can only contain non-primary key attributes: Primary key "
                                       "attribute: l1"):
        iq(dynamodb, l_table, "lall", "x", values={":v": S("a")}, FilterExpression="l1 = :v")


@pytest.mark.parametrize("start", [
    {"pk": S("x"), "sk": S("a")},
    {"pk": S("x"), "l1": S("a")},
    {"pk": S("x"), "sk": S("a"), "l1": S("a"), "z": S("a")},
], ids=["no-index-key", "no-table-range", "extra"])
def test_lsi_start_key_not_a_key(dynamodb, l_table, start):
    # why: dynalite "ExclusiveStartKey is invalid for local index" / "local range in ExclusiveStartKey is
    # invalid": the table key and the index range key, exactly.
    with raises("ValidationException", START_INVALID, local="Exclusive Start Key must have same size as table's key schema"):
        iq(dynamodb, l_table, "lall", "x", ExclusiveStartKey=start)


@pytest.mark.parametrize("start, message", [
    ({"pk": S("x"), "sk": S("a"), "l1": N("1")}, SCHEMA),
    ({"pk": S("x"), "sk": N("1"), "l1": S("a")}, START_INVALID + ": " + SCHEMA),
], ids=["index-range-type", "table-range-type"])
def test_lsi_start_key_wrong_type(dynamodb, l_table, start, message):
    # why: dynalite "hash in ExclusiveStartKey and KeyConditions but local has incorrect schema" (the key
    # check's words alone) and "range in ExclusiveStartKey is invalid, but hash and local are ok" (with
    # the starting-key prefix).
    with raises("ValidationException", message, local="Type mismatch for attribute to update"):
        iq(dynamodb, l_table, "lall", "x", ExclusiveStartKey=start)


@pytest.mark.local_differs("DynamoDB Local answers the range-predicate message")
def test_lsi_start_key_in_another_partition(dynamodb, l_table):
    # why: dynalite "ExclusiveStartKey with local index and out-of-bounds hash key".
    with raises("ValidationException", "The provided starting key is outside query boundaries based on provided conditions"):
        iq(dynamodb, l_table, "lall", "x", ExclusiveStartKey={"pk": S("y"), "sk": S("a"), "l1": S("a")})


def test_lsi_start_key_outside_range_condition(dynamodb, l_table):
    # why: dynalite "ExclusiveStartKey with local index and not matching predicate".
    with raises("ValidationException", "The provided starting key does not match the range key predicate"):
        iq(dynamodb, l_table, "lall", "x", "l1 > :v", {":v": S("b")},
           ExclusiveStartKey={"pk": S("x"), "sk": S("a"), "l1": S("a")})


@pytest.mark.parametrize("item, index, attr, expected, actual", [
    ({"l1": N("1")}, "lall", "l1", "S", "N"),
    ({"l2": S("1")}, "lkeys", "l2", "N", "S"),
    ({"l3": {"B": b"1"}}, "linc", "l3", "S", "B"),
])
def test_lsi_put_item_index_key_type(dynamodb, l_table, item, index, attr, expected, actual):
    # why: dynalite putItem "Type mismatch for Index Key ... IndexName: index1".
    with raises("ValidationException", INVALID + f"Type mismatch for Index Key {attr} Expected: {expected} Actual: "
                                       f"{actual} IndexName: {index}",
                local=INVALID + "Type mismatch for Index Key"):
        dynamodb.put_item(TableName=l_table, Item={"pk": S("x"), "sk": S(util.unique_key()), **item})


def test_lsi_put_item_empty_index_key(dynamodb, l_table):
    # why: the empty-string rule of secondary index keys (conformance tier3 error-messages' text).
    with raises("ValidationException", "One or more parameter values are not valid. A value specified for a secondary "
                                       "index key is not supported. The AttributeValue for a key attribute cannot "
                                       "contain an empty string value. IndexName: linc, IndexKey: l3"):
        dynamodb.put_item(TableName=l_table, Item={"pk": S("x"), "sk": S(util.unique_key()), "l3": S("")})


# =============================================================================================
# Functionality
# =============================================================================================

ORDERED = [("s1", "1"), ("s2", "2"), ("s3", "10"), ("s4", "a"), ("s5", "b"), ("s6", "aa"), ("s7", "ab"), ("s8", "A"),
           ("s9", "B")]


@pytest.fixture(scope="module")
def ordered(dynamodb, l_table):
    """A partition whose items' l1 values sort differently from their sk (dynalite's index strings)."""
    pk = partition(dynamodb, l_table, [{"sk": S(sk), "l1": S(l1), "data": S(sk)} for sk, l1 in ORDERED])
    partition(dynamodb, l_table, [{"sk": S("s1"), "l1": S("0")}])   # a neighbour partition
    return pk


def test_lsi_order(dynamodb, l_table, ordered):
    # why: dynalite "items in order for secondary index strings": the partition in index order (bytes),
    # only that partition, strongly consistent reads allowed, both directions.
    page = iq(dynamodb, l_table, "lall", ordered, ConsistentRead=True)
    want = [sk for sk, l1 in sorted(ORDERED, key=lambda e: e[1].encode())]
    assert sks(page) == want and page["Count"] == page["ScannedCount"] == 9
    assert page["Items"][0] == {"pk": S(ordered), "sk": S("s1"), "l1": S("1"), "data": S("s1")}
    assert sks(iq(dynamodb, l_table, "lall", ordered, ScanIndexForward=False)) == want[::-1]


@pytest.mark.parametrize("condition, values, expected", [
    ("l1 <= :c", {":c": S("a")}, ["s1", "s3", "s2", "s8", "s9", "s4"]),
    ("l1 = :c", {":c": S("a")}, ["s4"]),
    ("l1 >= :c", {":c": S("a")}, ["s4", "s6", "s7", "s5"]),
    ("l1 > :c", {":c": S("a")}, ["s6", "s7", "s5"]),
    ("l1 < :c", {":c": S("a")}, ["s1", "s3", "s2", "s8", "s9"]),
    ("l1 BETWEEN :c AND :d", {":c": S("a"), ":d": S("ab")}, ["s4", "s6", "s7"]),
    ("begins_with(l1, :c)", {":c": S("a")}, ["s4", "s6", "s7"]),
], ids=["le", "eq", "ge", "gt", "lt", "between", "begins_with"])
def test_lsi_range_conditions(dynamodb, l_table, ordered, condition, values, expected):
    # why: dynalite "calculate comparisons correctly for secondary indexes".
    assert sks(iq(dynamodb, l_table, "lall", ordered, condition, values, ConsistentRead=True)) == expected


def test_lsi_number_range_key(dynamodb, l_table):
    # why: an N index range key orders numerically.
    pk = partition(dynamodb, l_table, [{"sk": S(f"s{i}"), "l2": N(v)} for i, v in enumerate(["10", "-2", "0.5", "3"])])
    assert [i["l2"]["N"] for i in iq(dynamodb, l_table, "lkeys", pk)["Items"]] == ["-2", "0.5", "3", "10"]


def test_lsi_projections(dynamodb, l_table):
    # why: conformance tier1 query/lsi "ALL projection"/"INCLUDE projection": ALL answers whole items,
    # KEYS_ONLY the table and index keys, INCLUDE those plus the included attributes.
    item = {"sk": S("s"), "l1": S("a"), "l2": N("1"), "l3": S("c"), "a1": S("x"), "a2": S("y")}
    pk = partition(dynamodb, l_table, [item])
    keys = {"pk": S(pk), "sk": S("s")}
    assert iq(dynamodb, l_table, "lall", pk)["Items"] == [{"pk": S(pk), **item}]
    assert iq(dynamodb, l_table, "lkeys", pk)["Items"] == [{**keys, "l2": N("1")}]
    assert iq(dynamodb, l_table, "linc", pk)["Items"] == [{**keys, "l3": S("c"), "a1": S("x")}]
    assert iq(dynamodb, l_table, "linc", pk, Select="ALL_PROJECTED_ATTRIBUTES")["Items"] == [{**keys, "l3": S("c"), "a1": S("x")}]


def test_lsi_select_all_attributes_fetches_from_the_table(dynamodb, l_table):
    # why: conformance tier1 query/select "Select ALL_ATTRIBUTES on LSI returns all base table attributes"
    # (allowed on an LSI whatever its projection, unlike on a GSI).
    items = [{"sk": S(f"s{i}"), "l2": N(str(i)), "a1": S("x"), "a2": S("y")} for i in range(3)]
    pk = partition(dynamodb, l_table, items)
    page = iq(dynamodb, l_table, "lkeys", pk, Select="ALL_ATTRIBUTES", ConsistentRead=True)
    assert page["Items"] == [{"pk": S(pk), **i} for i in items]


def test_lsi_projection_of_attribute_not_projected(dynamodb, l_table):
    # why: an LSI fetches attributes it does not project from the table (developer guide, "Local
    # secondary indexes": "DynamoDB fetches those attributes from the base table").
    pk = partition(dynamodb, l_table, [{"sk": S("s"), "l3": S("c"), "a1": S("x"), "a2": S("y")}])
    assert iq(dynamodb, l_table, "linc", pk, ProjectionExpression="a2, l3")["Items"] == [{"a2": S("y"), "l3": S("c")}]


def test_lsi_consumed_capacity_of_projected_read(dynamodb, l_table):
    # why: dynalite "only return projected attributes by default for secondary indexes": a read within
    # the projection is charged to the index only.
    pk = partition(dynamodb, l_table, [{"sk": S(f"s{i}"), "l2": N(str(i))} for i in range(3)])
    page = iq(dynamodb, l_table, "lkeys", pk, ConsistentRead=True, ReturnConsumedCapacity="INDEXES")
    assert page["ConsumedCapacity"] == {"TableName": l_table, "CapacityUnits": 1.0, "Table": {"CapacityUnits": 0.0},
                                        "LocalSecondaryIndexes": {"lkeys": {"CapacityUnits": 1.0}}}
    page = iq(dynamodb, l_table, "lkeys", pk, ReturnConsumedCapacity="TOTAL")
    assert page["ConsumedCapacity"] == {"TableName": l_table, "CapacityUnits": 0.5}


@pytest.mark.local_differs("DynamoDB Local rounds each item fetched from the table up to 4 KB on its own")
def test_lsi_consumed_capacity_of_fetches(dynamodb, l_table):
    # why: items fetched from the table are charged to the table, each fetch a read of its own
    # rounded up to 4 KB (three small items: three units consistent); the index read is charged on
    # its total size. Conformance tier2/partiql/indexQualifier (captured on AWS): a bounded
    # reach-back (Limit 1) costs less than reading three rows, which a charge on the fetched items'
    # total size (dynalite's) would not.
    pk = partition(dynamodb, l_table, [{"sk": S(f"s{i}"), "l2": N(str(i)), "a2": S("y")} for i in range(3)])
    page = iq(dynamodb, l_table, "lkeys", pk, Select="ALL_ATTRIBUTES", ConsistentRead=True, ReturnConsumedCapacity="INDEXES")
    assert page["ConsumedCapacity"] == {"TableName": l_table, "CapacityUnits": 4.0, "Table": {"CapacityUnits": 3.0},
                                        "LocalSecondaryIndexes": {"lkeys": {"CapacityUnits": 1.0}}}
    one = iq(dynamodb, l_table, "lkeys", pk, Select="ALL_ATTRIBUTES", Limit=1, ReturnConsumedCapacity="INDEXES")
    assert one["ConsumedCapacity"]["Table"] == {"CapacityUnits": 0.5}


def test_lsi_sparse(dynamodb, l_table):
    # why: conformance tier1 query/lsi "returns items only from the queried partition", sparse: items
    # without the index range key are not in the index.
    pk = partition(dynamodb, l_table, [{"sk": S("a"), "l1": S("x")}, {"sk": S("b")}, {"sk": S("c"), "l2": N("1")}])
    assert sks(iq(dynamodb, l_table, "lall", pk)) == ["a"]
    assert sks(iq(dynamodb, l_table, "lkeys", pk)) == ["c"]
    assert iq(dynamodb, l_table, "linc", pk)["Items"] == []


def test_lsi_follows_item_changes(dynamodb, l_table):
    # why: a changed index key moves the entry, a removed one takes it out, projected attributes are
    # refreshed, a delete removes it.
    pk = partition(dynamodb, l_table, [{"sk": S("a"), "l3": S("m"), "a1": S("one")}, {"sk": S("b"), "l3": S("n")}])
    key = {"pk": S(pk), "sk": S("a")}
    assert sks(iq(dynamodb, l_table, "linc", pk)) == ["a", "b"]
    dynamodb.update_item(TableName=l_table, Key=key, UpdateExpression="SET l3 = :v, a1 = :a",
                         ExpressionAttributeValues={":v": S("z"), ":a": S("two")})
    page = iq(dynamodb, l_table, "linc", pk)
    assert sks(page) == ["b", "a"] and page["Items"][1]["a1"] == S("two")
    dynamodb.update_item(TableName=l_table, Key=key, UpdateExpression="REMOVE l3")
    assert sks(iq(dynamodb, l_table, "linc", pk)) == ["b"]
    dynamodb.delete_item(TableName=l_table, Key={"pk": S(pk), "sk": S("b")})
    assert sks(iq(dynamodb, l_table, "linc", pk)) == []


def test_lsi_last_evaluated_key_and_paging(dynamodb, l_table, ordered):
    # why: dynalite: the LastEvaluatedKey of an LSI query is the table key plus the index range key, and
    # paging with it walks the index order.
    page = iq(dynamodb, l_table, "lall", ordered, Limit=2)
    assert page["LastEvaluatedKey"] == {"pk": S(ordered), "sk": S("s3"), "l1": S("10")}
    seen, start = [], None
    while True:
        page = iq(dynamodb, l_table, "lall", ordered, Limit=2, **({"ExclusiveStartKey": start} if start else {}))
        seen += sks(page)
        start = page.get("LastEvaluatedKey")
        if not start:
            break
    assert seen == [sk for sk, l1 in sorted(ORDERED, key=lambda e: e[1].encode())]


@pytest.mark.parametrize("forward", [True, False], ids=["ascending", "descending"])
def test_lsi_pages_across_tied_index_keys(dynamodb, l_table, forward):
    # why: conformance tier1 query/lsi "LSI pagination across tied sort keys": items sharing the index
    # range key page one at a time, each once, with LastEvaluatedKey {pk, sk, l1}.
    pk = partition(dynamodb, l_table, [{"sk": S(f"s-{i}"), "l1": S("tie")} for i in range(4)])
    seen, start, pages = [], None, 0
    while True:
        page = iq(dynamodb, l_table, "lall", pk, "l1 = :v", {":v": S("tie")}, Limit=1, ConsistentRead=True,
                  ScanIndexForward=forward, **({"ExclusiveStartKey": start} if start else {}))
        pages += 1
        seen += sks(page)
        start = page.get("LastEvaluatedKey")
        if not start:
            break
        assert set(start) == {"pk", "sk", "l1"}
    assert pages <= 5 and sorted(seen) == [f"s-{i}" for i in range(4)] and len(set(seen)) == 4


def test_lsi_scan(dynamodb, new_table):
    # why: conformance tier1 scan/lsi: a Scan of an LSI returns its entries (sparse), projected, strongly
    # consistent if asked, and pages with the index key in LastEvaluatedKey.
    name = new_table([("pk", "S"), ("sk", "S")], AttributeDefinitions=ATTRS, LocalSecondaryIndexes=LSIS)
    util.put_items(dynamodb, name, [{"pk": S(f"p{i % 3}"), "sk": S(f"s{i}"), "l3": S(f"r{i}"), "a1": S("x"), "a2": S("y")}
                                    for i in range(10)] + [{"pk": S("p0"), "sk": S("bare")}])
    seen, start = [], None
    while True:
        page = dynamodb.scan(TableName=name, IndexName="linc", Limit=4, ConsistentRead=True,
                             **({"ExclusiveStartKey": start} if start else {}))
        seen += page["Items"]
        start = page.get("LastEvaluatedKey")
        if not start:
            break
        assert set(start) == {"pk", "sk", "l3"}
    assert sorted(i["sk"]["S"] for i in seen) == sorted(f"s{i}" for i in range(10))
    assert all(set(i) == {"pk", "sk", "l3", "a1"} for i in seen)


@pytest.mark.emulator_only("DynamoDB updates ItemCount and IndexSizeBytes about every six hours")
def test_lsi_describe_table_statistics(dynamodb, new_table):
    # why: DescribeTable shows each LSI's ItemCount (sparse items excluded) and IndexSizeBytes.
    name = new_table([("pk", "S"), ("sk", "S")], AttributeDefinitions=ATTRS, LocalSecondaryIndexes=LSIS)
    util.put_items(dynamodb, name, [{"pk": S("p"), "sk": S(f"s{i}"), "l1": S("a"), **({"l2": N("1")} if i < 2 else {})}
                                    for i in range(5)])
    desc = {i["IndexName"]: i for i in dynamodb.describe_table(TableName=name)["Table"]["LocalSecondaryIndexes"]}
    assert (desc["lall"]["ItemCount"], desc["lkeys"]["ItemCount"], desc["linc"]["ItemCount"]) == (5, 2, 0)
    assert desc["lall"]["IndexSizeBytes"] > desc["lkeys"]["IndexSizeBytes"] > 0 == desc["linc"]["IndexSizeBytes"]
