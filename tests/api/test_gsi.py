"""test_gsi.py — global secondary indexes: Query and Scan with IndexName on GSIs with ALL, KEYS_ONLY
and INCLUDE projections, sparse indexes, the index kept up to date by PutItem, UpdateItem and
DeleteItem, LastEvaluatedKey holding index and table keys (paging across ties), the errors (unknown
index, ConsistentRead, Select ALL_ATTRIBUTES, attributes not projected, index key types and empty
values on writes, ExclusiveStartKey), ConsumedCapacity INDEXES, DescribeTable's index statistics, and
UpdateTable creating (with back-fill) and deleting a GSI.

Order: validation, functionality (dynalite). Expected messages are real DynamoDB's: dynalite's
test/query.js, test/scan.js, test/putItem.js and test/updateItem.js (recorded against DynamoDB) and the
nubo-db/dynamodb-conformance suite (tests/tier1/query/gsi*.test.ts, tests/tier1/scan/gsi*.test.ts,
tests/tier1/query/select.test.ts, tests/tier3/error-messages). DynamoDB Local's different words are
`local=`; where it behaves differently the test is marked local_differs. Each test writes its own
index partition (a unique index hash key) into the module's table.
"""
import time

import pytest

import util
from util import raises

INVALID = "One or more parameter values were invalid: "
START_INVALID = "The provided starting key is invalid"
LOCAL_MISSED = "Query condition missed key schema element"


def S(value):
    return {"S": value}


def N(value):
    return {"N": value}


GSIS = [
    {"IndexName": "gall", "KeySchema": [{"AttributeName": "g1", "KeyType": "HASH"}, {"AttributeName": "r1", "KeyType": "RANGE"}],
     "Projection": {"ProjectionType": "ALL"}},
    {"IndexName": "gkeys", "KeySchema": [{"AttributeName": "g2", "KeyType": "HASH"}],
     "Projection": {"ProjectionType": "KEYS_ONLY"}},
    {"IndexName": "ginc", "KeySchema": [{"AttributeName": "g3", "KeyType": "HASH"}, {"AttributeName": "r3", "KeyType": "RANGE"}],
     "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["a1"]}},
]
ATTRS = [{"AttributeName": a, "AttributeType": t} for a, t in (("g1", "S"), ("r1", "N"), ("g2", "S"), ("g3", "S"), ("r3", "S"))]


@pytest.fixture(scope="module")
def g_table(dynamodb):
    """pk (S) + sk (S) with GSIs gall (g1 S, r1 N; ALL), gkeys (g2 S; KEYS_ONLY), ginc (g3 S, r3 S;
    INCLUDE a1)."""
    name = util.create_table(dynamodb, util.unique_name("gsi"), [("pk", "S"), ("sk", "S")],
                             AttributeDefinitions=ATTRS, GlobalSecondaryIndexes=GSIS)
    yield name
    util.delete_table(dynamodb, name)


def iq(dynamodb, table, index, condition, values, **params):
    """Query of an index; condition is the KeyConditionExpression."""
    return dynamodb.query(TableName=table, IndexName=index, KeyConditionExpression=condition,
                          ExpressionAttributeValues=values, **params)


def index_pages(dynamodb, table, index, condition, values, max_pages=5000, **params):
    pages, start = [], None
    for _ in range(max_pages):
        page = iq(dynamodb, table, index, condition, values, **params, **({"ExclusiveStartKey": start} if start else {}))
        pages.append(page)
        start = page.get("LastEvaluatedKey")
        if start is None:
            return pages
    raise AssertionError("Query never ended")


def keys(items):
    return [(i["pk"]["S"], i["sk"]["S"]) for i in items]


def wait_for_index(dynamodb, table, index, present=True, timeout=600):
    """Polls DescribeTable (bounded) until the index is ACTIVE (or gone) and the table ACTIVE."""
    deadline, delay = time.monotonic() + timeout, 0.01
    while True:
        desc = dynamodb.describe_table(TableName=table)["Table"]
        found = [i for i in desc.get("GlobalSecondaryIndexes", []) if i["IndexName"] == index]
        ready = (found and found[0]["IndexStatus"] == "ACTIVE") if present else not found
        if ready and desc["TableStatus"] == "ACTIVE":
            return desc
        assert time.monotonic() < deadline, f"index {index} never became {'ACTIVE' if present else 'deleted'}"
        time.sleep(delay)
        delay = min(2.0, delay * 2)


# =============================================================================================
# Validation
# =============================================================================================

@pytest.mark.parametrize("op", ["query", "scan"])
def test_gsi_unknown_index(dynamodb, g_table, op):
    # why: dynalite "non-existent index name" (Query and Scan).
    with raises("ValidationException", "The table does not have the specified index: nope"):
        if op == "query":
            iq(dynamodb, g_table, "nope", "g1 = :g", {":g": S("x")})
        else:
            dynamodb.scan(TableName=g_table, IndexName="nope")


@pytest.mark.parametrize("op", ["query", "scan"])
def test_gsi_consistent_read(dynamodb, g_table, op):
    # why: conformance tier3 query "ConsistentRead on GSI" (exact text); a Scan of a GSI is refused alike.
    with raises("ValidationException", "Consistent reads are not supported on global secondary indexes"):
        if op == "query":
            iq(dynamodb, g_table, "gall", "g1 = :g", {":g": S("x")}, ConsistentRead=True)
        else:
            dynamodb.scan(TableName=g_table, IndexName="gall", ConsistentRead=True)


@pytest.mark.parametrize("op, index", [("query", "gkeys"), ("query", "ginc"), ("scan", "ginc")])
def test_gsi_select_all_attributes_without_all_projection(dynamodb, g_table, op, index):
    # why: dynalite query/scan "specifying ALL_ATTRIBUTES when global index does not have ALL".
    with raises("ValidationException", INVALID + f"Select type ALL_ATTRIBUTES is not supported for global secondary "
                                       f"index {index} because its projection type is not ALL"):
        if op == "query":
            iq(dynamodb, g_table, index, f"{'g2' if index == 'gkeys' else 'g3'} = :g", {":g": S("x")},
               Select="ALL_ATTRIBUTES")
        else:
            dynamodb.scan(TableName=g_table, IndexName=index, Select="ALL_ATTRIBUTES")


@pytest.mark.parametrize("index, projection, missing", [("ginc", "a1, a2", "a2"), ("gkeys", "pk, nothing", "nothing")])
def test_gsi_projection_of_attribute_not_projected(dynamodb, g_table, index, projection, missing):
    # why: a GSI cannot fetch from the table, so asking for an attribute it does not project is refused
    # (the conformance suite's text for the same rule in PartiQL; DynamoDB Local gives it for Query).
    with raises("ValidationException", INVALID + f"Global secondary index {index} does not project [{missing}]"):
        iq(dynamodb, g_table, index, f"{'g2' if index == 'gkeys' else 'g3'} = :g", {":g": S("x")},
           ProjectionExpression=projection)


@pytest.mark.parametrize("condition, values, message, local", [
    ("pk = :g", {":g": S("x")}, "Query condition missed key schema element: g1", LOCAL_MISSED),
    ("g1 = :g AND sk = :g", {":g": S("x")}, "Query condition missed key schema element: r1", LOCAL_MISSED),
    ("g1 > :g", {":g": S("x")}, "Query key condition not supported", None),
    ("g1 = :g AND r1 = :r", {":g": S("x"), ":r": S("1")}, INVALID + "Condition parameter type does not match schema type", None),
], ids=["table-hash", "table-range", "hash-not-eq", "range-type"])
def test_gsi_key_condition_errors(dynamodb, g_table, condition, values, message, local):
    # why: dynalite "querying global with unsupported conditions" and "ExclusiveStartKey with global index
    # and missing part": the index's own key schema applies.
    with raises("ValidationException", message, local=local):
        iq(dynamodb, g_table, "gall", condition, values)


@pytest.mark.parametrize("attr", ["g1", "r1"])
def test_gsi_filter_on_index_key(dynamodb, g_table, attr):
    # why: dynalite "global range key in QueryFilter": a Query's filter may not use the queried keys.
    with raises("ValidationException", "Filter Expression can only contain non-primary key attributes: Primary key "
                                       "attribute: " + attr):
        iq(dynamodb, g_table, "gall", "g1 = :g", {":g": S("x"), ":v": N("1")}, FilterExpression=f"{attr} = :v")


@pytest.mark.parametrize("start", [
    {"pk": S("a")},
    {"pk": S("a"), "sk": S("b")},
    {"pk": S("a"), "sk": S("b"), "g1": S("x")},
    {"g1": S("x"), "r1": N("1")},
    {"pk": S("a"), "sk": S("b"), "g1": S("x"), "r1": N("1"), "z": S("1")},
], ids=["table-hash", "table-key", "no-index-range", "index-key-only", "extra"])
def test_gsi_start_key_not_a_key(dynamodb, g_table, start):
    # why: conformance tier1 query/basic "rejects ExclusiveStartKey missing the index key on a GSI
    # query" and dynalite "ExclusiveStartKey is invalid for global index": index and table keys, exactly.
    with raises("ValidationException", START_INVALID):
        iq(dynamodb, g_table, "gall", "g1 = :g", {":g": S("x")}, ExclusiveStartKey=start)


@pytest.mark.parametrize("start", [
    {"pk": S("a"), "sk": S("b"), "g1": S("x"), "r1": S("1")},
    {"pk": N("1"), "sk": S("b"), "g1": S("x"), "r1": N("1")},
], ids=["index-range-type", "table-hash-type"])
def test_gsi_start_key_wrong_type(dynamodb, g_table, start):
    # why: dynalite "global range in ExclusiveStartKey but bad in query".
    with raises("ValidationException", START_INVALID + ": The provided key element does not match the schema",
                local="Type mismatch for attribute to update"):
        iq(dynamodb, g_table, "gall", "g1 = :g", {":g": S("x")}, ExclusiveStartKey=start)


@pytest.mark.local_differs("DynamoDB Local answers the range-predicate message")
def test_gsi_start_key_in_another_index_partition(dynamodb, g_table):
    # why: dynalite "second global hash in ExclusiveStartKey but outside range".
    with raises("ValidationException", "The provided starting key is outside query boundaries based on provided conditions"):
        iq(dynamodb, g_table, "gall", "g1 = :g", {":g": S("x")},
           ExclusiveStartKey={"pk": S("a"), "sk": S("b"), "g1": S("y"), "r1": N("1")})


@pytest.mark.parametrize("item, index, attr, expected, actual", [
    ({"g1": N("1")}, "gall", "g1", "S", "N"),
    ({"r1": S("1")}, "gall", "r1", "N", "S"),
    ({"g2": {"B": b"1"}}, "gkeys", "g2", "S", "B"),
    ({"r3": N("1")}, "ginc", "r3", "S", "N"),
])
def test_gsi_put_item_index_key_type(dynamodb, g_table, item, index, attr, expected, actual):
    # why: dynalite putItem/batchWriteItem: an index key attribute must have the index key's type.
    with raises("ValidationException", INVALID + f"Type mismatch for Index Key {attr} Expected: {expected} Actual: "
                                       f"{actual} IndexName: {index}",
                local=INVALID + "Type mismatch for Index Key"):
        dynamodb.put_item(TableName=g_table, Item={"pk": S(util.unique_key()), "sk": S("s"), **item})


def test_gsi_update_item_index_key_type(dynamodb, g_table):
    # why: dynalite updateItem "trying to update index key with wrong type".
    with raises("ValidationException", INVALID + "Type mismatch for Index Key g1 Expected: S Actual: N IndexName: gall",
                local=INVALID + "Type mismatch for Index Key"):
        dynamodb.update_item(TableName=g_table, Key={"pk": S(util.unique_key()), "sk": S("s")},
                             UpdateExpression="SET g1 = :n", ExpressionAttributeValues={":n": N("1")})


def test_gsi_put_item_empty_index_key(dynamodb, g_table):
    # why: conformance tier3 error-messages (transactWriteItems/vectorIndexes) text for an empty string
    # in a secondary index key.
    with raises("ValidationException", "One or more parameter values are not valid. A value specified for a secondary "
                                       "index key is not supported. The AttributeValue for a key attribute cannot "
                                       "contain an empty string value. IndexName: gkeys, IndexKey: g2"):
        dynamodb.put_item(TableName=g_table, Item={"pk": S(util.unique_key()), "sk": S("s"), "g2": S("")})


def test_gsi_rejected_write_changes_nothing(dynamodb, g_table):
    # why: a write refused for its index key leaves the item and the index as they were.
    g, pk = util.unique_key("g"), util.unique_key()
    dynamodb.put_item(TableName=g_table, Item={"pk": S(pk), "sk": S("s"), "g1": S(g), "r1": N("1")})
    with raises("ValidationException", INVALID + "Type mismatch for Index Key r1 Expected: N Actual: S IndexName: gall",
                local=INVALID + "Type mismatch for Index Key"):
        dynamodb.put_item(TableName=g_table, Item={"pk": S(pk), "sk": S("s"), "g1": S(g), "r1": S("x")})
    assert keys(iq(dynamodb, g_table, "gall", "g1 = :g", {":g": S(g)})["Items"]) == [(pk, "s")]


# =============================================================================================
# Functionality
# =============================================================================================

def put(dynamodb, table, items):
    util.put_items(dynamodb, table, items)
    return items


def test_gsi_all_projection_in_index_order(dynamodb, g_table):
    # why: conformance tier1 query/gsi: a GSI partition gathers items of many table partitions, whole,
    # ordered by the index range key (N: numerically), both ways.
    g = util.unique_key("g")
    items = put(dynamodb, g_table, [{"pk": S(f"p{i}"), "sk": S(f"s{i}"), "g1": S(g), "r1": N(r), "a1": S(f"x{i}")}
                                    for i, r in enumerate(["10", "-3.5", "0", "1e5", "2"])])
    page = iq(dynamodb, g_table, "gall", "g1 = :g", {":g": S(g)})
    by_r1 = sorted(items, key=lambda i: float(i["r1"]["N"]))
    assert keys(page["Items"]) == keys(by_r1)
    assert page["Items"][0] == {**by_r1[0], "r1": N("-3.5")} and page["Count"] == page["ScannedCount"] == 5
    back = iq(dynamodb, g_table, "gall", "g1 = :g", {":g": S(g)}, ScanIndexForward=False)
    assert keys(back["Items"]) == keys(by_r1)[::-1]


@pytest.mark.parametrize("condition, values, expected", [
    ("g1 = :g AND r1 BETWEEN :a AND :b", {":a": N("2"), ":b": N("4")}, [2, 3, 4]),
    ("g1 = :g AND r1 > :a", {":a": N("3")}, [4, 5]),
    ("g1 = :g AND r1 <= :a", {":a": N("1")}, [0, 1]),
], ids=["between", "gt", "le"])
def test_gsi_range_conditions(dynamodb, g_table, condition, values, expected):
    # why: conformance tier1 query/gsi "composite GSI with hash and range": range conditions on the
    # index range key.
    g = util.unique_key("g")
    put(dynamodb, g_table, [{"pk": S(f"p{r}"), "sk": S("s"), "g1": S(g), "r1": N(str(r))} for r in range(6)])
    page = iq(dynamodb, g_table, "gall", condition, {":g": S(g), **values})
    assert [int(i["r1"]["N"]) for i in page["Items"]] == expected


def test_gsi_keys_only_projection(dynamodb, g_table):
    # why: a KEYS_ONLY index answers the index key and the table key, nothing else.
    g = util.unique_key("g")
    put(dynamodb, g_table, [{"pk": S("k1"), "sk": S("s"), "g2": S(g), "a1": S("x"), "a2": S("y"), "g1": S("z"), "r1": N("1")}])
    page = iq(dynamodb, g_table, "gkeys", "g2 = :g", {":g": S(g)})
    assert page["Items"] == [{"pk": S("k1"), "sk": S("s"), "g2": S(g)}]


def test_gsi_include_projection(dynamodb, g_table):
    # why: conformance tier1 scan/gsi "INCLUDE projection returns only projected attributes": index key,
    # table key and the included attributes.
    g = util.unique_key("g")
    put(dynamodb, g_table, [{"pk": S("i1"), "sk": S("s"), "g3": S(g), "r3": S("r"), "a1": S("x"), "a2": S("y")},
                            {"pk": S("i2"), "sk": S("s"), "g3": S(g), "r3": S("q"), "a2": S("y")}])
    page = iq(dynamodb, g_table, "ginc", "g3 = :g", {":g": S(g)})
    assert page["Items"] == [{"pk": S("i2"), "sk": S("s"), "g3": S(g), "r3": S("q")},
                             {"pk": S("i1"), "sk": S("s"), "g3": S(g), "r3": S("r"), "a1": S("x")}]
    assert iq(dynamodb, g_table, "ginc", "g3 = :g", {":g": S(g)}, Select="ALL_PROJECTED_ATTRIBUTES")["Items"] == page["Items"]
    page = iq(dynamodb, g_table, "ginc", "g3 = :g AND begins_with(r3, :r)", {":g": S(g), ":r": S("r")},
              ProjectionExpression="a1, pk")
    assert page["Items"] == [{"pk": S("i1"), "a1": S("x")}]


def test_gsi_select_count(dynamodb, g_table):
    # why: Select COUNT on an index counts its entries.
    g = util.unique_key("g")
    put(dynamodb, g_table, [{"pk": S(f"c{i}"), "sk": S("s"), "g2": S(g)} for i in range(4)])
    page = iq(dynamodb, g_table, "gkeys", "g2 = :g", {":g": S(g)}, Select="COUNT")
    assert (page["Count"], page["ScannedCount"]) == (4, 4) and "Items" not in page


def test_gsi_sparse(dynamodb, g_table):
    # why: conformance tier1 query/gsi "sparse GSI": an item lacking any of the index's key attributes
    # is not in that index, and is in the indexes whose keys it has.
    g = util.unique_key("g")
    put(dynamodb, g_table, [
        {"pk": S("sp1"), "sk": S("s"), "g1": S(g), "r1": N("1"), "g2": S(g)},
        {"pk": S("sp2"), "sk": S("s"), "g1": S(g), "g2": S(g)},              # no r1: not in gall
        {"pk": S("sp3"), "sk": S("s"), "r1": N("2")},                        # no g1, no g2
        {"pk": S("sp4"), "sk": S("s"), "g1": S(g), "r1": N("3")},            # no g2: not in gkeys
    ])
    assert keys(iq(dynamodb, g_table, "gall", "g1 = :g", {":g": S(g)})["Items"]) == [("sp1", "s"), ("sp4", "s")]
    assert sorted(keys(iq(dynamodb, g_table, "gkeys", "g2 = :g", {":g": S(g)})["Items"])) == [("sp1", "s"), ("sp2", "s")]


def test_gsi_follows_item_changes(dynamodb, g_table):
    # why: the index follows every write of the item: a new index key moves the entry, a changed range
    # key reorders it, a removed key attribute takes it out, a projected attribute is refreshed, and a
    # delete removes it.
    g, h = util.unique_key("g"), util.unique_key("h")
    key = {"pk": S("mv"), "sk": S("s")}

    def at(value):
        return iq(dynamodb, g_table, "gall", "g1 = :g", {":g": S(value)})["Items"]

    dynamodb.put_item(TableName=g_table, Item={**key, "g1": S(g), "r1": N("5"), "a1": S("one")})
    dynamodb.put_item(TableName=g_table, Item={"pk": S("other"), "sk": S("s"), "g1": S(g), "r1": N("3")})
    assert keys(at(g)) == [("other", "s"), ("mv", "s")]
    dynamodb.update_item(TableName=g_table, Key=key, UpdateExpression="SET r1 = :r", ExpressionAttributeValues={":r": N("1")})
    assert keys(at(g)) == [("mv", "s"), ("other", "s")]
    dynamodb.update_item(TableName=g_table, Key=key, UpdateExpression="SET a1 = :a", ExpressionAttributeValues={":a": S("two")})
    assert at(g)[0]["a1"] == S("two")
    dynamodb.put_item(TableName=g_table, Item={**key, "g1": S(h), "r1": N("1")})
    assert keys(at(g)) == [("other", "s")] and keys(at(h)) == [("mv", "s")] and "a1" not in at(h)[0]
    dynamodb.update_item(TableName=g_table, Key=key, UpdateExpression="REMOVE r1")
    assert at(h) == []
    dynamodb.update_item(TableName=g_table, Key=key, UpdateExpression="SET r1 = :r", ExpressionAttributeValues={":r": N("9")})
    assert keys(at(h)) == [("mv", "s")]
    dynamodb.delete_item(TableName=g_table, Key=key)
    assert at(h) == []


def test_gsi_last_evaluated_key_holds_index_and_table_keys(dynamodb, g_table):
    # why: dynalite "query on range global index": the LastEvaluatedKey of an index query is the index
    # key plus the table key of the last item.
    g = util.unique_key("g")
    put(dynamodb, g_table, [{"pk": S(f"l{i}"), "sk": S("s"), "g1": S(g), "r1": N(str(i)), "a1": S("x")} for i in range(3)])
    page = iq(dynamodb, g_table, "gall", "g1 = :g", {":g": S(g)}, Limit=2)
    assert page["LastEvaluatedKey"] == {"pk": S("l1"), "sk": S("s"), "g1": S(g), "r1": N("1")}
    rest = iq(dynamodb, g_table, "gall", "g1 = :g", {":g": S(g)}, ExclusiveStartKey=page["LastEvaluatedKey"])
    assert keys(rest["Items"]) == [("l2", "s")] and "LastEvaluatedKey" not in rest


@pytest.mark.parametrize("forward", [True, False], ids=["ascending", "descending"])
def test_gsi_pages_across_tied_index_keys(dynamodb, g_table, forward):
    # why: conformance tier1 query/gsi "GSI pagination across tied sort keys": items sharing both index
    # keys page one at a time, each once, with LastEvaluatedKey {pk, sk, g1, r1}.
    g = util.unique_key("g")
    put(dynamodb, g_table, [{"pk": S(f"t{i}"), "sk": S(f"s{i % 2}"), "g1": S(g), "r1": N("7")} for i in range(6)])
    pages = index_pages(dynamodb, g_table, "gall", "g1 = :g", {":g": S(g)}, Limit=1, ScanIndexForward=forward)
    assert len(pages) <= 7
    assert all(set(p["LastEvaluatedKey"]) == {"pk", "sk", "g1", "r1"} for p in pages[:-1])
    seen = [k for p in pages for k in keys(p["Items"])]
    assert sorted(seen) == sorted((f"t{i}", f"s{i % 2}") for i in range(6)) and len(set(seen)) == 6


def test_gsi_hash_only_pages_across_one_table_partition(dynamodb, g_table):
    # why: conformance tier1 query/gsiHashOnlyPagination: many items of one table partition share the
    # index hash key; the continuation carries the table range key as the tie-breaker.
    g = util.unique_key("g")
    put(dynamodb, g_table, [{"pk": S("same"), "sk": S(f"s{i}"), "g2": S(g)} for i in range(5)])
    pages = index_pages(dynamodb, g_table, "gkeys", "g2 = :g", {":g": S(g)}, Limit=2)
    assert all(set(p["LastEvaluatedKey"]) == {"pk", "sk", "g2"} for p in pages[:-1])
    assert sorted(k[1] for p in pages for k in keys(p["Items"])) == [f"s{i}" for i in range(5)]


def test_gsi_pages_through_many_items(dynamodb, g_table):
    # why: paging an index partition of hundreds of items visits each once in index order.
    g = util.unique_key("g")
    put(dynamodb, g_table, [{"pk": S(f"m{i:03d}"), "sk": S("s"), "g1": S(g), "r1": N(str(500 - i))} for i in range(300)])
    pages = index_pages(dynamodb, g_table, "gall", "g1 = :g", {":g": S(g)}, Limit=7)
    assert [int(i["r1"]["N"]) for p in pages for i in p["Items"]] == list(range(201, 501))


def test_gsi_consumed_capacity(dynamodb, g_table):
    # why: dynalite "query on basic hash global index": reads of a GSI are charged to the index (0.5 for
    # a small eventually consistent read) and none to the table.
    g = util.unique_key("g")
    put(dynamodb, g_table, [{"pk": S(f"u{i}"), "sk": S("s"), "g1": S(g), "r1": N(str(i))} for i in range(3)])
    total = iq(dynamodb, g_table, "gall", "g1 = :g", {":g": S(g)}, ReturnConsumedCapacity="TOTAL")
    assert total["ConsumedCapacity"] == {"TableName": g_table, "CapacityUnits": 0.5}
    indexes = iq(dynamodb, g_table, "gall", "g1 = :g", {":g": S(g)}, ReturnConsumedCapacity="INDEXES")
    assert indexes["ConsumedCapacity"] == {"TableName": g_table, "CapacityUnits": 0.5, "Table": {"CapacityUnits": 0.0},
                                           "GlobalSecondaryIndexes": {"gall": {"CapacityUnits": 0.5}}}


def test_gsi_scan(dynamodb, new_table):
    # why: conformance tier1 scan/gsi and scan/gsiPagination: a Scan of a GSI returns its entries only
    # (sparse), projected, and pages with LastEvaluatedKey holding index and table keys.
    name = new_table([("ID", "S")], AttributeDefinitions=[{"AttributeName": "Type", "AttributeType": "S"}],
                     GlobalSecondaryIndexes=[{"IndexName": "TypeIndex", "KeySchema": [
                         {"AttributeName": "Type", "KeyType": "HASH"}, {"AttributeName": "ID", "KeyType": "RANGE"}],
                         "Projection": {"ProjectionType": "KEYS_ONLY"}}])
    util.put_items(dynamodb, name, [{"ID": S(f"item-{i:03d}"), "Type": S("widget"), "Num": N(str(i))} for i in range(50)]
                   + [{"ID": S("untyped"), "Num": N("1")}])
    seen, start, pages = [], None, 0
    while True:
        page = dynamodb.scan(TableName=name, IndexName="TypeIndex", Limit=10, **({"ExclusiveStartKey": start} if start else {}))
        pages += 1
        seen += page["Items"]
        start = page.get("LastEvaluatedKey")
        if not start:
            break
        assert set(start) == {"ID", "Type"}
    assert pages <= 6 and len(seen) == 50
    assert all(set(i) == {"ID", "Type"} for i in seen)
    assert sorted(i["ID"]["S"] for i in seen) == [f"item-{i:03d}" for i in range(50)]


def test_gsi_scan_with_filter_and_segments(dynamodb, new_table):
    # why: conformance tier1 scan/gsiPagination "all matching items with filter across paginated GSI
    # scan"; parallel segments of an index are disjoint and complete.
    name = new_table([("ID", "S")], AttributeDefinitions=[{"AttributeName": "Type", "AttributeType": "S"}],
                     GlobalSecondaryIndexes=[{"IndexName": "TypeIndex", "KeySchema": [
                         {"AttributeName": "Type", "KeyType": "HASH"}], "Projection": {"ProjectionType": "ALL"}}])
    util.put_items(dynamodb, name, [{"ID": S(f"item-{i:03d}"), "Type": S(f"t{i % 7}"), "Num": N(str(i))} for i in range(60)])
    found, start = [], None
    while True:
        page = dynamodb.scan(TableName=name, IndexName="TypeIndex", Limit=10, FilterExpression="Num < :n",
                             ExpressionAttributeValues={":n": N("10")}, **({"ExclusiveStartKey": start} if start else {}))
        found += [i["ID"]["S"] for i in page["Items"]]
        start = page.get("LastEvaluatedKey")
        if not start:
            break
    assert sorted(found) == [f"item-{i:03d}" for i in range(10)]
    segments = [[i["ID"]["S"] for i in dynamodb.scan(TableName=name, IndexName="TypeIndex", Segment=s, TotalSegments=3)["Items"]]
                for s in range(3)]
    every = [x for s in segments for x in s]
    assert sorted(every) == [f"item-{i:03d}" for i in range(60)] and len(set(every)) == 60


@pytest.mark.emulator_only("DynamoDB updates ItemCount and IndexSizeBytes about every six hours")
def test_gsi_describe_table_statistics(dynamodb, new_table):
    # why: DescribeTable shows each index's ItemCount (its entries: sparse items excluded) and
    # IndexSizeBytes (zero for an empty index, shrinking when an entry goes).
    name = new_table([("pk", "S"), ("sk", "S")], AttributeDefinitions=ATTRS, GlobalSecondaryIndexes=GSIS)
    util.put_items(dynamodb, name, [{"pk": S(f"d{i}"), "sk": S("s"), "g1": S("g"), "r1": N(str(i)), "g2": S("g"),
                                     "blob": S("x" * 100)} for i in range(4)] + [{"pk": S("d9"), "sk": S("s"), "g2": S("g")}])
    desc = {i["IndexName"]: i for i in dynamodb.describe_table(TableName=name)["Table"]["GlobalSecondaryIndexes"]}
    assert (desc["gall"]["ItemCount"], desc["gkeys"]["ItemCount"], desc["ginc"]["ItemCount"]) == (4, 5, 0)
    assert desc["gall"]["IndexSizeBytes"] > 400 and desc["gkeys"]["IndexSizeBytes"] > 0
    assert desc["ginc"]["IndexSizeBytes"] == 0
    assert all(i["IndexStatus"] == "ACTIVE" for i in desc.values())
    dynamodb.delete_item(TableName=name, Key={"pk": S("d0"), "sk": S("s")})
    after = {i["IndexName"]: i for i in dynamodb.describe_table(TableName=name)["Table"]["GlobalSecondaryIndexes"]}
    assert (after["gall"]["ItemCount"], after["gkeys"]["ItemCount"]) == (3, 4)
    assert after["gall"]["IndexSizeBytes"] < desc["gall"]["IndexSizeBytes"]


def test_gsi_created_by_update_table_is_backfilled(dynamodb, new_table):
    # why: a GSI added by UpdateTable holds the items already in the table (sparse rules apply) once
    # ACTIVE, follows later writes, and after its deletion the name is unknown again.
    name = new_table([("pk", "S")])
    util.put_items(dynamodb, name, [{"pk": S(f"k{i}"), **({"g": S("G" if i % 2 else "H")} if i < 8 else {})}
                                    for i in range(10)])
    dynamodb.update_table(TableName=name, AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                                                {"AttributeName": "g", "AttributeType": "S"}],
                          GlobalSecondaryIndexUpdates=[{"Create": {"IndexName": "late", "KeySchema": [
                              {"AttributeName": "g", "KeyType": "HASH"}], "Projection": {"ProjectionType": "ALL"}}}])
    wait_for_index(dynamodb, name, "late")
    page = iq(dynamodb, name, "late", "g = :g", {":g": S("G")})
    assert sorted(i["pk"]["S"] for i in page["Items"]) == ["k1", "k3", "k5", "k7"]
    dynamodb.put_item(TableName=name, Item={"pk": S("k9"), "g": S("G")})
    assert len(iq(dynamodb, name, "late", "g = :g", {":g": S("G")})["Items"]) == 5
    dynamodb.update_table(TableName=name, GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "late"}}])
    wait_for_index(dynamodb, name, "late", present=False)
    with raises("ValidationException", "The table does not have the specified index: late"):
        iq(dynamodb, name, "late", "g = :g", {":g": S("G")})
    assert dynamodb.scan(TableName=name, Select="COUNT")["Count"] == 10
