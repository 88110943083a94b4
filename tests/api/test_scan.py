"""test_scan.py — Scan: whole-table scans, Limit and ExclusiveStartKey paging (thousands of items,
1 MB pages counted before the filter), Select, Count/ScannedCount, parallel scan (Segment and
TotalSegments: segments disjoint and together complete) and their errors, ConsumedCapacity.

Order: validation, functionality (dynalite). Expected messages are DynamoDB's (dynalite's suite,
recorded against DynamoDB, and the nubo-db/dynamodb-conformance suite), with DynamoDB Local's different
words as `local=`. In September 2026 DynamoDB began rewording Scan's parameter errors region by region
(conformance tier3/error-messages/scan.test.ts): where the two cohorts differ the test accepts both
(the exact texts of the older cohort are pinned in test_conformance_foundation.py). FilterExpression is
test_filter_expression.py's, ScanFilter test_query_filter.py's, Scan of an index test_gsi.py's and
test_lsi.py's.
"""
import math
import re

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


BIG = 2000              # items of big_table
BLOB = 100_000          # bytes of the blob attribute of each mb_table item
MB_ITEMS = 25           # about 2.5 MB in mb_table
MB = 1024 * 1024
ONE = "1 validation error detected: "


@pytest.fixture(scope="module")
def big_table(dynamodb):
    """A hash-only table of its own: BIG items pk 'k0000'.., n (N) = i, tag 'odd'/'even'."""
    name = util.create_table(dynamodb, util.unique_name("scan-big"), [("pk", "S")])
    util.put_items(dynamodb, name, [{"pk": S(f"k{i:04d}"), "n": N(str(i)), "tag": S("odd" if i % 2 else "even")}
                                    for i in range(BIG)])
    yield name
    util.delete_table(dynamodb, name)


@pytest.fixture(scope="module")
def mb_table(dynamodb):
    """A hash-only table of its own: MB_ITEMS items of about BLOB bytes each."""
    name = util.create_table(dynamodb, util.unique_name("scan-mb"), [("pk", "S")])
    util.put_items(dynamodb, name, [{"pk": S(f"m{i:02d}"), "blob": S(chr(97 + i) * BLOB)} for i in range(MB_ITEMS)])
    yield name
    util.delete_table(dynamodb, name)


def scan_pages(dynamodb, table, max_pages=10_000, **params):
    """Every page of a Scan with these parameters, following LastEvaluatedKey."""
    pages, start = [], None
    for _ in range(max_pages):
        page = dynamodb.scan(TableName=table, **params, **({"ExclusiveStartKey": start} if start else {}))
        pages.append(page)
        start = page.get("LastEvaluatedKey")
        if start is None:
            return pages
    raise AssertionError("Scan never ended")


def pks(pages):
    return [item["pk"]["S"] for page in pages for item in page["Items"]]


def either(*texts):
    """A pattern matching any of these exact texts (DynamoDB's two wording cohorts)."""
    return re.compile("|".join(re.escape(t) for t in texts))


def item_size(item):
    """DynamoDB's size of an item of S attributes only: names plus UTF-8 values."""
    return sum(len(name.encode()) + len(value["S"].encode()) for name, value in item.items())


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


@pytest.mark.parametrize("total, constraint", [(0, "greater than or equal to 1"), (1000001, "less than or equal to 1000000")])
def test_scan_total_segments_out_of_range(dynamodb, scan_table, total, constraint):
    # why: dynalite "incorrect attributes" (TotalSegments is 1..1000000); the newer cohort drops the
    # echoed value and names the member as 'TotalSegments', as it does for Limit and Segment.
    tail = f" failed to satisfy constraint: Member must have value {constraint}"
    with raises("ValidationException", either(ONE + f"Value '{total}' at 'totalSegments'" + tail,
                                              ONE + "Value at 'TotalSegments'" + tail),
                local=(ONE + "Value '0' at 'segment' failed to satisfy constraint: Member must have value less than "
                       "or equal to -1") if total == 0 else None):
        dynamodb.scan(TableName=scan_table, Segment=0, TotalSegments=total)


@pytest.mark.parametrize("segment, total", [(1, 1), (3, 2), (999999, 999999)])
def test_scan_segment_not_below_total(dynamodb, scan_table, segment, total):
    # why: conformance tier3 scan "Segment >= TotalSegments" (the newer cohort drops the trailer that
    # repeats both numbers); DynamoDB Local words it as a constraint on 'segment'.
    message = "The Segment parameter is zero-based and must be less than parameter TotalSegments"
    with raises("ValidationException",
                either(message, f"{message}: Segment: {segment} is not less than TotalSegments: {total}"),
                local=ONE + f"Value '{segment}' at 'segment' failed to satisfy constraint: Member must have value "
                            f"less than or equal to {total - 1}"):
        dynamodb.scan(TableName=scan_table, Segment=segment, TotalSegments=total)


def test_scan_start_key_of_another_segment(dynamodb, big_table):
    # why: dynalite "ExclusiveStartKey is from different segment": a segment's scan refuses a start
    # key whose hash lies in another segment.
    other = dynamodb.scan(TableName=big_table, Segment=1, TotalSegments=2, Limit=1)["Items"][0]
    with raises("ValidationException", "The provided starting key is invalid: Invalid ExclusiveStartKey. Please use "
                                       "ExclusiveStartKey with correct Segment. TotalSegments: 2 Segment: 0",
                local="Exclusive start key must lie within the segment"):
        dynamodb.scan(TableName=big_table, Segment=0, TotalSegments=2, ExclusiveStartKey={"pk": other["pk"]})


def test_scan_select_specific_attributes_without_projection(dynamodb, scan_table):
    # why: conformance tier3 scan "Select SPECIFIC_ATTRIBUTES without ProjectionExpression" (the newer
    # cohort adds the envelope).
    text = "Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES"
    with raises("ValidationException", either(text, ONE + text), local=text):
        dynamodb.scan(TableName=scan_table, Select="SPECIFIC_ATTRIBUTES")


@pytest.mark.parametrize("select, text", [
    ("ALL_ATTRIBUTES", "Cannot specify the ProjectionExpression when choosing to get ALL_ATTRIBUTES"),
    ("COUNT", "Cannot specify the ProjectionExpression when choosing to get only the Count"),
])
def test_scan_select_with_projection(dynamodb, scan_table, select, text):
    # why: conformance tier1 scan/select "Select ALL_ATTRIBUTES with ProjectionExpression is rejected"
    # (the text is contained in the answer; COUNT is the same rule).
    with raises("ValidationException", either(text, ONE + text)):
        dynamodb.scan(TableName=scan_table, Select=select, ProjectionExpression="v")


def test_scan_unknown_index(dynamodb, scan_table):
    # why: dynalite "non-existent index name".
    with raises("ValidationException", "The table does not have the specified index: whatever"):
        dynamodb.scan(TableName=scan_table, IndexName="whatever")


@pytest.mark.parametrize("projection", ["pk.x", "pk[0]", "v, #k.x"])
def test_scan_projection_into_a_key_attribute(dynamodb, scan_table, projection):
    # why: a key attribute is a scalar, so a path into it is refused in a projection as in a filter
    # (dynalite's scan.js validates both the same way; DynamoDB Local gives this exact text).
    names = {"#k": "sk"} if "#k" in projection else {}
    attr = "sk" if "#k" in projection else "pk"
    with raises("ValidationException", "Key attributes must be scalars; list random access '[]' and map lookup '.' "
                                       "are not allowed: Key: " + attr):
        dynamodb.scan(TableName=scan_table, ProjectionExpression=projection,
                      **({"ExpressionAttributeNames": names} if names else {}))


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


@pytest.mark.parametrize("total", range(1, 9))
def test_scan_parallel_segments_disjoint_and_complete(dynamodb, big_table, total):
    # why: conformance tier1 scan/parallel: for any TotalSegments the segments are disjoint and their
    # union is the whole table.
    seen = [pks(scan_pages(dynamodb, big_table, Segment=s, TotalSegments=total)) for s in range(total)]
    every = [pk for segment in seen for pk in segment]
    assert len(every) == len(set(every)) == BIG
    assert sorted(every) == [f"k{i:04d}" for i in range(BIG)]
    if total > 1:
        assert all(0 < len(segment) < BIG for segment in seen)   # the hash spreads 2000 keys over 8 ranges


@pytest.mark.parametrize("total, limit", [(3, 50), (7, 1)])
def test_scan_parallel_segments_page_within_their_segment(dynamodb, scan_table, big_table, total, limit):
    # why: a segment pages with its own LastEvaluatedKey (which stays inside the segment) and the
    # paged segments still add up to the table.
    table = big_table if limit > 1 else scan_table
    seen = []
    for segment in range(total):
        pages = scan_pages(dynamodb, table, Segment=segment, TotalSegments=total, Limit=limit)
        assert all(p["Count"] <= limit for p in pages)
        whole = dynamodb.scan(TableName=table, Segment=segment, TotalSegments=total)
        assert [i["pk"] for p in pages for i in p["Items"]] == [i["pk"] for i in whole["Items"]]
        seen += [i["pk"]["S"] + str(i.get("sk", {}).get("N", "")) for p in pages for i in p["Items"]]
    assert len(seen) == len(set(seen)) == (BIG if limit > 1 else len(ITEMS))


def test_scan_one_segment_is_the_table(dynamodb, big_table):
    # why: Segment 0 of TotalSegments 1 is the plain Scan, in the same order.
    assert pks([dynamodb.scan(TableName=big_table, Segment=0, TotalSegments=1)]) == \
        pks([dynamodb.scan(TableName=big_table)])


def test_scan_many_more_segments_than_items(dynamodb, scan_table):
    # why: with far more segments than partitions most segments are empty and the union still complete.
    seen = []
    for segment in range(200):
        seen += [key_of(i) for i in dynamodb.scan(TableName=scan_table, Segment=segment, TotalSegments=200)["Items"]]
    assert sorted(seen) == sorted(map(key_of, ITEMS))


def test_scan_segments_with_filter(dynamodb, big_table):
    # why: the filter applies inside each segment; ScannedCount counts the segment's items.
    pages = [dynamodb.scan(TableName=big_table, Segment=s, TotalSegments=4, FilterExpression="tag = :t",
                           ExpressionAttributeValues={":t": S("odd")}) for s in range(4)]
    assert sorted(pks(pages)) == [f"k{i:04d}" for i in range(1, BIG, 2)]
    assert sum(p["ScannedCount"] for p in pages) == BIG


@pytest.mark.parametrize("limit", [333, 1000, BIG, BIG + 1])
def test_scan_pages_through_thousands(dynamodb, big_table, limit):
    # why: paging a Scan through thousands of items visits each once, in the order of a single Scan,
    # every page but the last full.
    pages = scan_pages(dynamodb, big_table, Limit=limit)
    assert pks(pages) == pks([dynamodb.scan(TableName=big_table)])
    assert len(set(pks(pages))) == BIG
    assert all(p["Count"] == p["ScannedCount"] == limit for p in pages[:-1])
    assert all(p["LastEvaluatedKey"] == {"pk": p["Items"][-1]["pk"]} for p in pages[:-1])


def test_scan_limit_equal_to_the_table(dynamodb, scan_table):
    # why: dynalite "should not return LastEvaluatedKey if Limit is large": Limit equal to the item count
    # answers a LastEvaluatedKey, one more does not.
    assert "LastEvaluatedKey" in dynamodb.scan(TableName=scan_table, Limit=len(ITEMS))
    assert "LastEvaluatedKey" not in dynamodb.scan(TableName=scan_table, Limit=len(ITEMS) + 1)


def test_scan_filter_counts(dynamodb, big_table):
    # why: conformance tier1 scan/basic: Count is what the filter kept, ScannedCount what was read.
    page = dynamodb.scan(TableName=big_table, FilterExpression="n < :n", ExpressionAttributeValues={":n": N("10")})
    assert sorted(pks([page])) == [f"k{i:04d}" for i in range(10)]
    assert (page["Count"], page["ScannedCount"]) == (10, BIG)


def test_scan_limit_counts_before_the_filter(dynamodb, big_table):
    # why: conformance tier1 scan/basic "counting scanned-not-matched against Limit".
    page = dynamodb.scan(TableName=big_table, Limit=1, FilterExpression="n > :n", ExpressionAttributeValues={":n": N("1e6")})
    assert (page["Items"], page["Count"], page["ScannedCount"]) == ([], 0, 1)
    assert "LastEvaluatedKey" in page


def test_scan_pages_with_filter(dynamodb, big_table):
    # why: conformance tier1 scan/gsiPagination (on the table): filtered pages add up to the matches.
    pages = scan_pages(dynamodb, big_table, Limit=170, FilterExpression="tag = :t", ExpressionAttributeValues={":t": S("even")})
    assert sorted(pks(pages)) == [f"k{i:04d}" for i in range(0, BIG, 2)]


def test_scan_select_count_pages(dynamodb, big_table):
    # why: Select COUNT answers no Items but still pages with Limit.
    pages = scan_pages(dynamodb, big_table, Select="COUNT", Limit=600)
    assert [p["Count"] for p in pages] == [600, 600, 600, 200]
    assert all("Items" not in p for p in pages) and "LastEvaluatedKey" in pages[0]


def test_scan_projection(dynamodb, scan_table):
    # why: conformance tier1 scan/basic "returns only projected attributes".
    page = dynamodb.scan(TableName=scan_table, ProjectionExpression="v")
    assert sorted(i["v"]["S"] for i in page["Items"]) == sorted(i["v"]["S"] for i in ITEMS)
    assert all(list(i) == ["v"] for i in page["Items"])


def check_mb_pages(pages):
    """Each page but the last stops at the item that reaches 1 MB and answers LastEvaluatedKey."""
    assert len(pages) >= 3
    for page in pages[:-1]:
        assert page["ScannedCount"] >= 2 and "LastEvaluatedKey" in page
    return True


def test_scan_one_megabyte_pages(dynamodb, mb_table):
    # why: a Scan reads at most 1 MB per call (the item that reaches the limit is the last one).
    pages = scan_pages(dynamodb, mb_table)
    check_mb_pages(pages)
    for page in pages[:-1]:
        sizes = [item_size(i) for i in page["Items"]]
        assert sum(sizes[:-1]) < MB + 1000 and sum(sizes) >= MB - 50_000, sizes
    assert sorted(pks(pages)) == [f"m{i:02d}" for i in range(MB_ITEMS)]


@pytest.mark.local_differs("DynamoDB Local applies the 1 MB limit after the filter")
def test_scan_one_megabyte_counted_before_the_filter(dynamodb, mb_table):
    # why: the 1 MB is what was read, not kept (developer guide, "Scan": the limit applies before any
    # FilterExpression): a filter matching nothing still answers LastEvaluatedKey pages of Count 0.
    pages = scan_pages(dynamodb, mb_table, FilterExpression="attribute_exists(nothing)")
    check_mb_pages(pages)
    assert all(p["Count"] == 0 for p in pages) and sum(p["ScannedCount"] for p in pages) == MB_ITEMS


def test_scan_one_megabyte_pages_of_count(dynamodb, mb_table):
    # why: Select COUNT reads the same items, so it is cut at 1 MB too.
    pages = scan_pages(dynamodb, mb_table, Select="COUNT")
    check_mb_pages(pages)
    assert sum(p["Count"] for p in pages) == MB_ITEMS


def test_scan_one_megabyte_pages_per_segment(dynamodb, mb_table):
    # why: each segment has its own 1 MB pages; together they hold every item once.
    seen = []
    for segment in range(2):
        seen += pks(scan_pages(dynamodb, mb_table, Segment=segment, TotalSegments=2))
    assert sorted(seen) == [f"m{i:02d}" for i in range(MB_ITEMS)]


def test_scan_capacity_ignores_filter_and_projection(dynamodb, mb_table):
    # why: conformance tier1 scan/consumedCapacity: a Scan is sized before the filter and projection.
    def units(**params):
        return dynamodb.scan(TableName=mb_table, Limit=6, ReturnConsumedCapacity="TOTAL", **params)["ConsumedCapacity"]
    plain = units()
    assert units(FilterExpression="attribute_exists(nothing)") == plain
    assert units(ProjectionExpression="pk") == plain
    assert units(ProjectionExpression="pk", FilterExpression="attribute_exists(nothing)") == plain


def test_scan_capacity_of_a_page(dynamodb, mb_table):
    # why: capacity is the size read in 4 KB units, halved unless ConsistentRead; INDEXES adds Table.
    page = dynamodb.scan(TableName=mb_table, Limit=5, ConsistentRead=True, ReturnConsumedCapacity="INDEXES")
    units = math.ceil(sum(item_size(i) for i in page["Items"]) / 4096)
    assert abs(page["ConsumedCapacity"]["CapacityUnits"] - units) <= 1
    assert page["ConsumedCapacity"]["Table"] == {"CapacityUnits": page["ConsumedCapacity"]["CapacityUnits"]}
    eventual = dynamodb.scan(TableName=mb_table, Limit=5, ReturnConsumedCapacity="TOTAL")["ConsumedCapacity"]
    assert abs(eventual["CapacityUnits"] - units / 2) <= 1
