"""test_scan.py — Scan, the basic part: whole-table scans, Limit and ExclusiveStartKey paging.

Order: validation, functionality (dynalite). Expected messages are DynamoDB's (dynalite's suite,
recorded against DynamoDB), with DynamoDB Local's different words as `local=`.
Later, in this file: FilterExpression/ScanFilter, ProjectionExpression/AttributesToGet, Select,
Segment/TotalSegments, IndexName, the 1 MB page limit, ConsumedCapacity of scans.
"""
import pytest

import util
from util import raises, violation, violations

NULL_TABLE_NAME = "Value null at 'tableName' failed to satisfy constraint: Member must not be null"
BAD_START = "The provided starting key is invalid: The provided key element does not match the schema"


def S(value):
    return {"S": value}


def N(value):
    return {"N": value}


ITEMS = [{"pk": S(h), "sk": N(str(r)), "v": S(f"{h}{r}")} for h in "abcde" for r in range(-2, 3)]


@pytest.fixture(scope="module")
def scan_table(dynamodb):
    """A hash+range table of its own holding exactly ITEMS (25 items over 5 partitions)."""
    name = util.create_table(dynamodb, util.unique_name("scan"), [("pk", "S"), ("sk", "N")])
    for item in ITEMS:
        dynamodb.put_item(TableName=name, Item=item)
    yield name
    util.delete_table(dynamodb, name)


def key_of(item):
    return (item["pk"]["S"], item["sk"]["N"])


def scan_all(dynamodb, table, limit):
    """Every page of a Scan with this Limit, checking each page on the way."""
    pages, start = [], None
    for _ in range(len(ITEMS) + 2):
        params = {"Limit": limit} if limit else {}
        if start:
            params["ExclusiveStartKey"] = start
        page = dynamodb.scan(TableName=table, **params)
        pages.append(page)
        assert page["Count"] == len(page["Items"]) == page["ScannedCount"]
        if limit:
            assert page["Count"] <= limit
        start = page.get("LastEvaluatedKey")
        if start is None:
            return pages
        assert set(start) == {"pk", "sk"}                 # only the key attributes
        assert key_of(start) == key_of(page["Items"][-1])  # the last item returned
    raise AssertionError("Scan never ended")


# =============================================================================================
# Validation
# =============================================================================================

def test_scan_table_name_missing(dynamodb):
    # why: TableName is required; DynamoDB prefixes the count of errors, Local does not.
    with raises("ValidationException", "1 validation error detected: " + NULL_TABLE_NAME, local=NULL_TABLE_NAME):
        dynamodb.scan()


def test_scan_table_not_found(dynamodb):
    # why: Scan of a missing table.
    with raises("ResourceNotFoundException", "Requested resource not found",
                local="Cannot do operations on a non-existent table"):
        dynamodb.scan(TableName=util.unique_name())


@pytest.mark.parametrize("limit", [0, -1])
def test_scan_limit_too_low(dynamodb, scan_table, limit):
    # why: Limit is at least 1.
    with raises("ValidationException", violations(violation(str(limit), "limit", "have value greater than or equal to 1")),
                local="Limit must be greater than or equal to 1"):
        dynamodb.scan(TableName=scan_table, Limit=limit)


@pytest.mark.parametrize("start", [{"pk": S("a")}, {"pk": S("a"), "sk": N("1"), "x": S("1")}],
                         ids=["too-few", "too-many"])
def test_scan_start_key_wrong_size(dynamodb, scan_table, start):
    # why: ExclusiveStartKey is exactly a key of the table.
    with raises("ValidationException", BAD_START, local="Exclusive Start Key must have same size as table's key schema"):
        dynamodb.scan(TableName=scan_table, ExclusiveStartKey=start)


def test_scan_start_key_wrong_type(dynamodb, scan_table):
    # why: ExclusiveStartKey values have the key's types (Local's words come from UpdateItem).
    with raises("ValidationException", BAD_START, local="Type mismatch for attribute to update"):
        dynamodb.scan(TableName=scan_table, ExclusiveStartKey={"pk": S("a"), "sk": S("1")})


def test_scan_start_key_empty(dynamodb, scan_table):
    # why: an empty ExclusiveStartKey is not "from the start".
    with raises("ValidationException", BAD_START, local="The provided starting key is invalid"):
        dynamodb.scan(TableName=scan_table, ExclusiveStartKey={})


# =============================================================================================
# Functionality
# =============================================================================================

def test_scan_whole_table(dynamodb, scan_table):
    # why: without Limit a small table comes back in one page, with counts and no LastEvaluatedKey.
    page = dynamodb.scan(TableName=scan_table)
    assert page["Count"] == page["ScannedCount"] == len(ITEMS)
    assert "LastEvaluatedKey" not in page
    assert sorted(map(key_of, page["Items"])) == sorted(map(key_of, ITEMS))
    by_key = {key_of(item): item for item in page["Items"]}
    assert all(by_key[key_of(item)] == item for item in ITEMS)


@pytest.mark.parametrize("limit", [1, 2, 7, 24, 25, 26, 100])
def test_scan_paging(dynamodb, scan_table, limit):
    # why: paging with any Limit returns every item exactly once and ends without LastEvaluatedKey.
    pages = scan_all(dynamodb, scan_table, limit)
    keys = [key_of(item) for page in pages for item in page["Items"]]
    assert sorted(keys) == sorted(map(key_of, ITEMS))
    assert len(keys) == len(set(keys))
    assert all(page["Count"] == limit for page in pages[:-1])


def test_scan_keeps_partition_order(dynamodb, scan_table):
    # why: within one hash key, items come back in range-key order (numeric, negatives first).
    items = [item for page in scan_all(dynamodb, scan_table, 4) for item in page["Items"]]
    for h in "abcde":
        assert [item["sk"]["N"] for item in items if item["pk"]["S"] == h] == ["-2", "-1", "0", "1", "2"]


def test_scan_start_key_of_deleted_item(dynamodb, new_table):
    # why: ExclusiveStartKey is a position; the item it names need not exist any more.
    name = new_table([("pk", "S")])
    for i in range(6):
        dynamodb.put_item(TableName=name, Item={"pk": S(f"k{i}")})
    first = dynamodb.scan(TableName=name, Limit=2)
    dynamodb.delete_item(TableName=name, Key=first["LastEvaluatedKey"])
    seen = [item["pk"]["S"] for item in first["Items"]]
    start = first["LastEvaluatedKey"]
    while start:
        page = dynamodb.scan(TableName=name, Limit=2, ExclusiveStartKey=start)
        seen += [item["pk"]["S"] for item in page["Items"]]
        start = page.get("LastEvaluatedKey")
    assert sorted(seen) == [f"k{i}" for i in range(6)]


def test_scan_empty_table(dynamodb, new_table):
    # why: an empty table scans to an empty page without LastEvaluatedKey.
    page = dynamodb.scan(TableName=new_table([("pk", "S")]))
    assert (page["Items"], page["Count"], page["ScannedCount"]) == ([], 0, 0)
    assert "LastEvaluatedKey" not in page


def test_scan_hash_only_table(dynamodb, new_table):
    # why: a hash-only table's LastEvaluatedKey holds just the hash key; number keys page correctly.
    name = new_table([("pk", "N")])
    for i in range(10):
        dynamodb.put_item(TableName=name, Item={"pk": N(str(i * 10 - 45))})
    seen, start = [], None
    while True:
        page = dynamodb.scan(TableName=name, Limit=3, **({"ExclusiveStartKey": start} if start else {}))
        seen += [item["pk"]["N"] for item in page["Items"]]
        start = page.get("LastEvaluatedKey")
        if not start:
            break
        assert list(start) == ["pk"]
    assert sorted(seen, key=int) == [str(i * 10 - 45) for i in range(10)]
