"""test_partiql.py — PartiQL: ExecuteStatement (INSERT, SELECT, UPDATE, DELETE, RETURNING, parameters,
paging, capacity, the index qualifier), BatchExecuteStatement and ExecuteTransaction, and the stream
records that PartiQL writes leave.

Expected behaviour and words are real DynamoDB's as pinned by nubo-db/dynamodb-conformance (tier2/
partiql/executeStatement, batchExecuteStatement, executeTransaction, comparison and indexQualifier;
tier3/error-messages/partiql and partiqlIndexQualifier; captured against AWS in 2026). Where those
files pin no exact text, a test checks the error code and a part of the message the captures agree on.
The facts it relies on: INSERT is not an upsert (DuplicateItemException); UPDATE is not an upsert
either (ConditionalCheckFailedException on a missing item); a non-key predicate in the WHERE of an
UPDATE or DELETE is a condition on the existing item, and a DELETE of a missing item succeeds
silently; writes must name the whole primary key; a write answers "Items": []; RETURNING lands on
Items (MODIFIED gives only the changed attributes, never the key); DELETE takes only RETURNING ALL OLD
*; BatchExecuteStatement reports each member's failure as Error {Code, Message} with the short code
(ResourceNotFound, ValidationError, DuplicateItem, ConditionalCheckFailed) and honours RETURNING;
ExecuteTransaction refuses RETURNING and index reads before running anything.
Each test uses its own keys in the shared tables, or a table of its own.
"""
import re
import time

import pytest

import util
from util import raises

FAILED = "The conditional request failed"
DUPLICATE = "Duplicate primary key exists in table"
NO_KEY = "Where clause does not contain a mandatory equality on all key attributes"
PARAM_COUNT = "Number of parameters in request and statement don't match."
MALFORMED = "Statement wasn't well formed, can't be processed"
BATCH_SELECT_KEY = "Select statements within BatchExecuteStatement must specify the primary key in the where clause."


def S(value):
    return {"S": value}


def N(value):
    return {"N": value}


def starting(prefix):
    """A raises() message pattern: the text begins with `prefix`."""
    return re.compile(re.escape(prefix) + ".*", re.S)


def containing(part):
    """A raises() message pattern: the text holds `part` somewhere."""
    return re.compile(".*" + re.escape(part) + ".*", re.S)


def run(dynamodb, statement, *params, **kw):
    """ExecuteStatement with positional parameters (typed values)."""
    if params:
        kw["Parameters"] = list(params)
    return dynamodb.execute_statement(Statement=statement, **kw)


def get(dynamodb, table, key):
    return dynamodb.get_item(TableName=table, Key=key, ConsistentRead=True).get("Item")


def pks(items):
    return sorted(i["pk"]["S"] for i in items)


# ---------------------------------------------------------------------------------------------
# A table with secondary indexes, as the conformance suite's partiqlIndexTableDef: pk/sk (S), GSIs
# gsi-all (gsiPk; ALL), gsi-inc (gsiPk2; INCLUDE projattr), gsi-keys (gsiPk2; KEYS_ONLY), LSIs
# lsi-all (lsiSk; ALL), lsi-keys (lsiSk2; KEYS_ONLY), lsi-inc (lsiSk3; INCLUDE projattr).
# ---------------------------------------------------------------------------------------------

def _gsi(name, hash_key, projection, non_key=None):
    proj = {"ProjectionType": projection}
    if non_key:
        proj["NonKeyAttributes"] = non_key
    return {"IndexName": name, "KeySchema": [{"AttributeName": hash_key, "KeyType": "HASH"}], "Projection": proj}


def _lsi(name, range_key, projection, non_key=None):
    proj = {"ProjectionType": projection}
    if non_key:
        proj["NonKeyAttributes"] = non_key
    return {"IndexName": name, "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                             {"AttributeName": range_key, "KeyType": "RANGE"}],
            "Projection": proj}


def _indexed_item(sk, gsi_pk, n):
    return {"pk": S("p"), "sk": S(sk), "gsiPk": S(gsi_pk), "gsiPk2": S("y"), "lsiSk": S(f"l{n}"),
            "lsiSk2": S(f"k{n}"), "lsiSk3": S(f"m{n}"), "projattr": S(f"proj{n}"), "nonproj": S(f"np{n}")}


IX_ITEMS = [
    _indexed_item("s1", "x", 1),
    _indexed_item("s2", "z", 2),
    {"pk": S("p"), "sk": S("s3"), "nonproj": S("np3")},   # no index attribute: in no index
    _indexed_item("s4", "x", 4),
]


@pytest.fixture(scope="module")
def ix_table(dynamodb):
    name = util.create_table(
        dynamodb, util.unique_name("pqix"), [("pk", "S"), ("sk", "S")],
        AttributeDefinitions=[{"AttributeName": a, "AttributeType": "S"}
                              for a in ("gsiPk", "gsiPk2", "lsiSk", "lsiSk2", "lsiSk3")],
        GlobalSecondaryIndexes=[_gsi("gsi-all", "gsiPk", "ALL"),
                                _gsi("gsi-inc", "gsiPk2", "INCLUDE", ["projattr"]),
                                _gsi("gsi-keys", "gsiPk2", "KEYS_ONLY")],
        LocalSecondaryIndexes=[_lsi("lsi-all", "lsiSk", "ALL"),
                               _lsi("lsi-keys", "lsiSk2", "KEYS_ONLY"),
                               _lsi("lsi-inc", "lsiSk3", "INCLUDE", ["projattr"])])
    for item in IX_ITEMS:
        dynamodb.put_item(TableName=name, Item=item)
    # A GSI fills asynchronously on AWS (at once on emulators): wait, bounded, until both are full.
    deadline = time.monotonic() + 60
    for index, attr, value, count in (("gsi-all", "gsiPk", "x", 2), ("gsi-keys", "gsiPk2", "y", 3)):
        while dynamodb.query(TableName=name, IndexName=index, KeyConditionExpression=f"{attr} = :v",
                             ExpressionAttributeValues={":v": S(value)})["Count"] != count:
            assert time.monotonic() < deadline, f"{index} never filled"
            time.sleep(0.2)
    yield name
    util.delete_table(dynamodb, name)


# =============================================================================================
# INSERT
# =============================================================================================

def test_insert_stores_each_literal_type(dynamodb, table_s):
    # why: a VALUE tuple's literals become typed attributes: string, number, boolean, null, map,
    # list and a <<set>>; the write answers an empty Items list and no NextToken.
    k = util.unique_key()
    resp = run(dynamodb, f"INSERT INTO \"{table_s}\" VALUE {{'pk': '{k}', 's': 'text', 'n': 15, 'f': 1.5, "
                         f"'b': true, 'z': null, 'm': {{'a': 'b'}}, 'l': [1, 'x'], 'ss': <<'p', 'q'>>}}")
    assert resp["Items"] == []
    assert "NextToken" not in resp
    item = get(dynamodb, table_s, {"pk": S(k)})
    assert sorted(item.pop("ss")["SS"]) == ["p", "q"]
    assert item == {"pk": S(k), "s": S("text"), "n": N("15"), "f": N("1.5"), "b": {"BOOL": True},
                    "z": {"NULL": True}, "m": {"M": {"a": S("b")}}, "l": {"L": [N("1"), S("x")]}}


@pytest.mark.local_differs('DynamoDB Local names the error DuplicateItem, DynamoDB DuplicateItemException')
def test_insert_on_existing_key_is_duplicate(dynamodb, table_s):
    # why: INSERT is not an upsert: an existing primary key is refused and the item kept.
    k = util.unique_key()
    run(dynamodb, f"INSERT INTO \"{table_s}\" VALUE {{'pk': '{k}', 'v': 'first'}}")
    with raises("DuplicateItemException", DUPLICATE):
        run(dynamodb, f"INSERT INTO \"{table_s}\" VALUE {{'pk': '{k}', 'v': 'second'}}")
    assert get(dynamodb, table_s, {"pk": S(k)}) == {"pk": S(k), "v": S("first")}


def test_insert_with_parameters(dynamodb, table_s):
    # why: each ? takes the next Parameters value, with the type the value names (here a set).
    k = util.unique_key()
    run(dynamodb, f"INSERT INTO \"{table_s}\" VALUE {{'pk': ?, 'v': ?, 'tags': ?}}",
        S(k), S("param"), {"SS": ["a", "b"]})
    item = get(dynamodb, table_s, {"pk": S(k)})
    assert item["v"] == S("param") and sorted(item["tags"]["SS"]) == ["a", "b"]


@pytest.mark.parametrize("statement, params", [
    ("INSERT INTO \"{t}\" VALUE {{'pk': ?, 'v': ?}}", [S("only-one")]),
    ("SELECT * FROM \"{t}\" WHERE pk = ?", []),
], ids=["insert", "select"])
def test_too_few_parameters(dynamodb, table_s, statement, params):
    # why: a ? with no value left is refused before anything runs.
    with raises("ValidationException", PARAM_COUNT):
        run(dynamodb, statement.format(t=table_s), *params)
    if statement.startswith("INSERT"):
        assert get(dynamodb, table_s, {"pk": S("only-one")}) is None


# =============================================================================================
# SELECT
# =============================================================================================

def test_select_by_key_returns_the_item(dynamodb, table_s):
    k = util.unique_key()
    dynamodb.put_item(TableName=table_s, Item={"pk": S(k), "v": S("hello"), "n": N("3")})
    resp = run(dynamodb, f"SELECT * FROM \"{table_s}\" WHERE pk = '{k}'")
    assert resp["Items"] == [{"pk": S(k), "v": S("hello"), "n": N("3")}]
    assert "NextToken" not in resp


def test_select_missing_key_gives_empty_list(dynamodb, table_s):
    resp = run(dynamodb, f"SELECT * FROM \"{table_s}\" WHERE pk = '{util.unique_key()}'")
    assert resp["Items"] == []


def test_select_with_comparison_filter(dynamodb, table_s):
    # why: a non-key comparison filters the keyed read: 30 > 20 keeps the item, 30 > 40 drops it.
    k = util.unique_key()
    dynamodb.put_item(TableName=table_s, Item={"pk": S(k), "age": N("30")})
    assert len(run(dynamodb, f"SELECT * FROM \"{table_s}\" WHERE pk = '{k}' AND age > 20")["Items"]) == 1
    assert run(dynamodb, f"SELECT * FROM \"{table_s}\" WHERE pk = '{k}' AND age > 40")["Items"] == []
    assert len(run(dynamodb, f"SELECT * FROM \"{table_s}\" WHERE pk = '{k}' AND age <= 30")["Items"]) == 1


def test_select_begins_with_on_sort_key(dynamodb, table_ss):
    k = util.unique_key()
    for sk in ("prefix-a", "prefix-b", "other-c"):
        dynamodb.put_item(TableName=table_ss, Item={"pk": S(k), "sk": S(sk)})
    items = run(dynamodb, f"SELECT * FROM \"{table_ss}\" WHERE pk = '{k}' AND begins_with(\"sk\", 'prefix-')")["Items"]
    assert sorted(i["sk"]["S"] for i in items) == ["prefix-a", "prefix-b"]


def test_select_partition_with_sort_key_range(dynamodb, table_sn):
    # why: a hash-key equality with a sort-key BETWEEN reads part of one partition.
    k = util.unique_key()
    for sk in range(1, 7):
        dynamodb.put_item(TableName=table_sn, Item={"pk": S(k), "sk": N(str(sk))})
    items = run(dynamodb, f"SELECT * FROM \"{table_sn}\" WHERE pk = '{k}' AND sk BETWEEN 2 AND 4")["Items"]
    assert sorted(int(i["sk"]["N"]) for i in items) == [2, 3, 4]


def test_select_in_on_partition_key(dynamodb, table_s):
    # why: IN on the partition key reads each listed key, and only those.
    a, b, c = (util.unique_key() for _ in range(3))
    for k in (a, b, c):
        dynamodb.put_item(TableName=table_s, Item={"pk": S(k)})
    items = run(dynamodb, f"SELECT * FROM \"{table_s}\" WHERE pk IN ['{a}', '{b}']")["Items"]
    assert pks(items) == sorted([a, b])


@pytest.mark.local_differs('DynamoDB Local returns no ConsumedCapacity for PartiQL')
def test_select_in_pages_across_keys(dynamodb, new_table):
    # why: IN on the partition key is one Query per listed key (not a scan of the table); Limit
    # and NextToken carry on from key to key, each item read once.
    table = new_table([("pk", "S"), ("sk", "N")])
    keys = [util.unique_key() for _ in range(3)]
    for k in keys:
        for n in range(3):
            dynamodb.put_item(TableName=table, Item={"pk": S(k), "sk": N(str(n))})
    for n in range(50):
        dynamodb.put_item(TableName=table, Item={"pk": S(f"other-{n}"), "sk": N("0")})
    stmt = f"SELECT pk, sk FROM \"{table}\" WHERE pk IN [?, ?, ?] AND sk < 2"
    seen, token, pages = [], None, 0
    while True:
        kw = {"Limit": 2, "ReturnConsumedCapacity": "TOTAL"}
        if token:
            kw["NextToken"] = token
        resp = run(dynamodb, stmt, *(S(k) for k in keys), **kw)
        seen += [(i["pk"]["S"], i["sk"]["N"]) for i in resp["Items"]]
        assert resp["ConsumedCapacity"]["CapacityUnits"] > 0
        pages += 1
        token = resp.get("NextToken")
        if not token:
            break
        assert pages < 10
    assert sorted(seen) == sorted((k, str(n)) for k in keys for n in range(2))


def test_select_is_missing_and_is_not_missing(dynamodb, table_s):
    # why: IS MISSING holds when the item lacks the attribute, IS NOT MISSING when it has it.
    has, lacks = util.unique_key(), util.unique_key()
    dynamodb.put_item(TableName=table_s, Item={"pk": S(has), "kind": S("alpha")})
    dynamodb.put_item(TableName=table_s, Item={"pk": S(lacks)})
    pair = f"pk IN ['{has}', '{lacks}']"
    assert pks(run(dynamodb, f"SELECT * FROM \"{table_s}\" WHERE {pair} AND \"kind\" IS MISSING")["Items"]) == [lacks]
    assert pks(run(dynamodb, f"SELECT * FROM \"{table_s}\" WHERE {pair} AND \"kind\" IS NOT MISSING")["Items"]) == [has]


def test_select_not_predicate(dynamodb, table_s):
    # why: NOT negates a function predicate; only 'beta' does not begin with 'al'.
    a, b = util.unique_key(), util.unique_key()
    dynamodb.put_item(TableName=table_s, Item={"pk": S(a), "kind": S("alpha")})
    dynamodb.put_item(TableName=table_s, Item={"pk": S(b), "kind": S("beta")})
    items = run(dynamodb, f"SELECT * FROM \"{table_s}\" WHERE pk IN ['{a}', '{b}'] "
                          f"AND NOT begins_with(\"kind\", 'al')")["Items"]
    assert pks(items) == [b]


def test_select_nested_path_named_by_last_component(dynamodb, table_s):
    # why: a projected nested path comes back under its last component: SELECT m.sub gives "sub".
    k = util.unique_key()
    dynamodb.put_item(TableName=table_s, Item={"pk": S(k), "m": {"M": {"sub": S("deep"), "other": S("no")}}})
    assert run(dynamodb, f"SELECT m.sub FROM \"{table_s}\" WHERE pk = '{k}'")["Items"] == [{"sub": S("deep")}]


def test_select_named_attributes_only(dynamodb, table_s):
    # why: a projection list returns just those attributes; one the item lacks is left out.
    k = util.unique_key()
    dynamodb.put_item(TableName=table_s, Item={"pk": S(k), "m": {"M": {"a": S("b")}}, "extra": S("not me")})
    items = run(dynamodb, f"SELECT pk, m, absent FROM \"{table_s}\" WHERE pk = '{k}'")["Items"]
    assert items == [{"pk": S(k), "m": {"M": {"a": S("b")}}}]


def test_select_without_where_pages_with_limit(dynamodb, new_table):
    # why: SELECT with no WHERE scans the table; Limit bounds each page and NextToken continues,
    # so following the tokens returns every item exactly once.
    table = new_table()
    keys = [f"item{i}" for i in range(7)]
    for k in keys:
        dynamodb.put_item(TableName=table, Item={"pk": S(k)})
    seen, token, pages = [], None, 0
    for _ in range(20):
        resp = dynamodb.execute_statement(Statement=f"SELECT * FROM \"{table}\"", Limit=3,
                                          **({"NextToken": token} if token else {}))
        if pages == 0:
            assert len(resp["Items"]) == 3 and resp.get("NextToken")
        assert len(resp["Items"]) <= 3
        pages += 1
        seen += [i["pk"]["S"] for i in resp["Items"]]
        token = resp.get("NextToken")
        if not token:
            break
    assert not token, "paging never ended"
    assert sorted(seen) == keys


@pytest.mark.local_differs('DynamoDB Local returns no ConsumedCapacity for PartiQL')
def test_consumed_capacity_only_when_asked(dynamodb, table_s):
    # why: ReturnConsumedCapacity TOTAL adds the table's ConsumedCapacity; without it there is none.
    k = util.unique_key()
    dynamodb.put_item(TableName=table_s, Item={"pk": S(k), "v": N("1")})
    statement = f"SELECT * FROM \"{table_s}\" WHERE pk = '{k}'"
    assert "ConsumedCapacity" not in run(dynamodb, statement)
    capacity = run(dynamodb, statement, ReturnConsumedCapacity="TOTAL")["ConsumedCapacity"]
    assert capacity["TableName"] == table_s
    assert capacity["CapacityUnits"] > 0


# =============================================================================================
# Comparison of non-scalar values (through Parameters) and the ordering operators
# =============================================================================================

@pytest.mark.parametrize("stored, probe, matches", [
    ({"SS": ["a", "b", "c"]}, {"SS": ["c", "a", "b"]}, True),
    ({"M": {"x": N("1"), "y": N("2")}}, {"M": {"y": N("2"), "x": N("1")}}, True),
    ({"L": [S("a"), S("b")]}, {"L": [S("b"), S("a")]}, False),
    ({"SS": ["a", "b", "c"]}, {"SS": ["a", "b", "d"]}, False),
], ids=["SS-permuted", "M-reordered", "L-permuted", "SS-different"])
def test_equality_of_non_scalar_values(dynamodb, table_s, stored, probe, matches):
    # why: sets and maps compare by content, a list by its order; <> is the exact complement.
    k = util.unique_key()
    dynamodb.put_item(TableName=table_s, Item={"pk": S(k), "val": stored})
    eq = run(dynamodb, f"SELECT pk FROM \"{table_s}\" WHERE pk = ? AND val = ?", S(k), probe)["Items"]
    ne = run(dynamodb, f"SELECT pk FROM \"{table_s}\" WHERE pk = ? AND val <> ?", S(k), probe)["Items"]
    assert (len(eq), len(ne)) == ((1, 0) if matches else (0, 1))


@pytest.mark.parametrize("op", ["<", ">="])
def test_ordering_operator_refuses_bool_operand(dynamodb, table_s, op):
    # why: an ordering operator refuses an operand of a type with no order, naming the operator.
    with raises("ValidationException",
                f"Incorrect operand type for operator or function; operator or function: {op}, operand type: BOOL"):
        run(dynamodb, f"SELECT pk FROM \"{table_s}\" WHERE pk = 'x' AND val {op} ?", {"BOOL": True})


# =============================================================================================
# UPDATE
# =============================================================================================

def test_update_set(dynamodb, table_s):
    k = util.unique_key()
    dynamodb.put_item(TableName=table_s, Item={"pk": S(k), "v": S("before"), "keep": S("same")})
    resp = run(dynamodb, f"UPDATE \"{table_s}\" SET v = 'after' SET added = 7 WHERE pk = '{k}'")
    assert resp["Items"] == []
    assert get(dynamodb, table_s, {"pk": S(k)}) == {"pk": S(k), "v": S("after"), "keep": S("same"), "added": N("7")}


def test_update_remove(dynamodb, table_s):
    k = util.unique_key()
    dynamodb.put_item(TableName=table_s, Item={"pk": S(k), "gone": S("x"), "keep": S("stay")})
    run(dynamodb, f"UPDATE \"{table_s}\" REMOVE gone WHERE pk = '{k}'")
    assert get(dynamodb, table_s, {"pk": S(k)}) == {"pk": S(k), "keep": S("stay")}


def test_update_increment(dynamodb, table_s):
    # why: SET n = n + 1 reads the current value; twice gives +2.
    k = util.unique_key()
    dynamodb.put_item(TableName=table_s, Item={"pk": S(k), "n": N("41")})
    for _ in range(2):
        run(dynamodb, f"UPDATE \"{table_s}\" SET n = n + 1 WHERE pk = '{k}'")
    assert get(dynamodb, table_s, {"pk": S(k)})["n"] == N("43")


def test_update_missing_item_fails_condition(dynamodb, table_s):
    # why: PartiQL UPDATE is not an upsert: a missing item fails the implied existence condition.
    k = util.unique_key()
    with raises("ConditionalCheckFailedException", FAILED):
        run(dynamodb, f"UPDATE \"{table_s}\" SET v = 'new' WHERE pk = '{k}'")
    assert get(dynamodb, table_s, {"pk": S(k)}) is None


def test_update_with_true_predicate_applies(dynamodb, table_s):
    k = util.unique_key()
    dynamodb.put_item(TableName=table_s, Item={"pk": S(k), "name": S("alpha"), "n": N("5")})
    run(dynamodb, f"UPDATE \"{table_s}\" SET n = 9 WHERE pk = '{k}' AND \"name\" = 'alpha'")
    assert get(dynamodb, table_s, {"pk": S(k)})["n"] == N("9")


def test_update_with_false_predicate_fails(dynamodb, table_s):
    # why: a non-key predicate is a condition on the item; false leaves it untouched.
    k = util.unique_key()
    dynamodb.put_item(TableName=table_s, Item={"pk": S(k), "name": S("alpha"), "n": N("5")})
    with raises("ConditionalCheckFailedException", FAILED):
        run(dynamodb, f"UPDATE \"{table_s}\" SET n = 9 WHERE pk = '{k}' AND \"name\" = 'beta'")
    assert get(dynamodb, table_s, {"pk": S(k)})["n"] == N("5")


@pytest.mark.parametrize("statement", [
    "UPDATE \"{t}\" SET v = 'x' WHERE \"name\" = 'alpha'",
    "DELETE FROM \"{t}\" WHERE \"name\" = 'alpha'",
], ids=["update", "delete"])
def test_write_without_key_in_where(dynamodb, table_s, statement):
    # why: a write must name its item by an equality on every key attribute.
    with raises("ValidationException", NO_KEY):
        run(dynamodb, statement.format(t=table_s))


def test_write_without_sort_key_in_where(dynamodb, table_ss):
    # why: on a hash+range table the sort key is mandatory too; nothing is deleted.
    k = util.unique_key()
    dynamodb.put_item(TableName=table_ss, Item={"pk": S(k), "sk": S("s")})
    with raises("ValidationException", NO_KEY):
        run(dynamodb, f"DELETE FROM \"{table_ss}\" WHERE pk = '{k}'")
    assert get(dynamodb, table_ss, {"pk": S(k), "sk": S("s")}) is not None


# =============================================================================================
# DELETE
# =============================================================================================

def test_delete_removes_the_item(dynamodb, table_ss):
    k = util.unique_key()
    dynamodb.put_item(TableName=table_ss, Item={"pk": S(k), "sk": S("a")})
    dynamodb.put_item(TableName=table_ss, Item={"pk": S(k), "sk": S("b")})
    resp = run(dynamodb, f"DELETE FROM \"{table_ss}\" WHERE pk = '{k}' AND sk = 'a'")
    assert resp["Items"] == []
    assert get(dynamodb, table_ss, {"pk": S(k), "sk": S("a")}) is None
    assert get(dynamodb, table_ss, {"pk": S(k), "sk": S("b")}) is not None


def test_delete_with_true_predicate(dynamodb, table_s):
    k = util.unique_key()
    dynamodb.put_item(TableName=table_s, Item={"pk": S(k), "name": S("alpha")})
    run(dynamodb, f"DELETE FROM \"{table_s}\" WHERE pk = '{k}' AND NOT begins_with(\"name\", 'zz')")
    assert get(dynamodb, table_s, {"pk": S(k)}) is None


def test_delete_with_false_predicate_fails(dynamodb, table_s):
    k = util.unique_key()
    dynamodb.put_item(TableName=table_s, Item={"pk": S(k), "name": S("alpha")})
    with raises("ConditionalCheckFailedException", FAILED):
        run(dynamodb, f"DELETE FROM \"{table_s}\" WHERE pk = '{k}' AND \"name\" = 'beta'")
    assert get(dynamodb, table_s, {"pk": S(k)}) == {"pk": S(k), "name": S("alpha")}


def test_delete_missing_item_with_predicate_is_silent(dynamodb, table_s):
    # why: with no item the condition is never evaluated: success, not ConditionalCheckFailed.
    k = util.unique_key()
    assert run(dynamodb, f"DELETE FROM \"{table_s}\" WHERE pk = '{k}' AND \"name\" = 'x'")["Items"] == []
    assert get(dynamodb, table_s, {"pk": S(k)}) is None


# =============================================================================================
# RETURNING
# =============================================================================================

def _seed_for_returning(dynamodb, table):
    k = util.unique_key()
    dynamodb.put_item(TableName=table, Item={"pk": S(k), "v": S("old"), "keep": S("same")})
    return k


@pytest.mark.parametrize("returning, expected", [
    ("ALL OLD", lambda k: {"pk": S(k), "v": S("old"), "keep": S("same")}),
    ("ALL NEW", lambda k: {"pk": S(k), "v": S("new"), "keep": S("same")}),
    ("MODIFIED OLD", lambda k: {"v": S("old")}),
    ("MODIFIED NEW", lambda k: {"v": S("new")}),
])
def test_update_returning(dynamodb, table_s, returning, expected):
    # why: RETURNING lands on Items; ALL is the whole item (key included), MODIFIED only the changed
    # attribute (no key); the write applies either way.
    k = _seed_for_returning(dynamodb, table_s)
    resp = run(dynamodb, f"UPDATE \"{table_s}\" SET v = 'new' WHERE pk = '{k}' RETURNING {returning} *")
    assert resp["Items"] == [expected(k)]
    assert get(dynamodb, table_s, {"pk": S(k)})["v"] == S("new")


def test_update_remove_returning_modified_new_is_empty(dynamodb, table_s):
    # why: a removed attribute has no new value, so MODIFIED NEW projects no row at all.
    k = _seed_for_returning(dynamodb, table_s)
    assert run(dynamodb, f"UPDATE \"{table_s}\" REMOVE v WHERE pk = '{k}' RETURNING MODIFIED NEW *")["Items"] == []
    assert "v" not in get(dynamodb, table_s, {"pk": S(k)})


def test_delete_returning_all_old(dynamodb, table_s):
    k = _seed_for_returning(dynamodb, table_s)
    resp = run(dynamodb, f"DELETE FROM \"{table_s}\" WHERE pk = '{k}' RETURNING ALL OLD *")
    assert resp["Items"] == [{"pk": S(k), "v": S("old"), "keep": S("same")}]
    assert get(dynamodb, table_s, {"pk": S(k)}) is None
    # a second delete finds nothing: an empty list, not an error
    assert run(dynamodb, f"DELETE FROM \"{table_s}\" WHERE pk = '{k}' RETURNING ALL OLD *")["Items"] == []


@pytest.mark.parametrize("returning", ["MODIFIED OLD", "ALL NEW"])
def test_delete_refuses_other_returning(dynamodb, table_s, returning):
    # why: DELETE takes only RETURNING ALL OLD *; the refused statement deletes nothing.
    k = _seed_for_returning(dynamodb, table_s)
    with raises("ValidationException", f"Invalid returning clause: RETURNING {returning} *. "
                                       "Only RETURNING ALL OLD * is allowed in DELETE statements."):
        run(dynamodb, f"DELETE FROM \"{table_s}\" WHERE pk = '{k}' RETURNING {returning} *")
    assert get(dynamodb, table_s, {"pk": S(k)}) is not None


# =============================================================================================
# Statement errors
# =============================================================================================

def test_syntax_error(dynamodb, table_s):
    with raises("ValidationException", starting(MALFORMED)):
        run(dynamodb, f"SELECTT * FROMM \"{table_s}\"")


@pytest.mark.local_differs('DynamoDB Local words it "Cannot do operations on a non-existent table"')
def test_missing_table(dynamodb):
    with raises("ResourceNotFoundException", containing("Requested resource not found")):
        run(dynamodb, f"SELECT * FROM \"{util.unique_name('absent')}\" WHERE pk = 'x'")


# =============================================================================================
# The index qualifier: SELECT ... FROM "table"."index"
# =============================================================================================

def test_index_select_returns_only_index_members(dynamodb, ix_table):
    # why: a qualified read sees the index's items (s2 has another gsiPk, s3 none), the table all four.
    via_index = run(dynamodb, f"SELECT pk, sk FROM \"{ix_table}\".\"gsi-all\" WHERE gsiPk = 'x'")["Items"]
    assert sorted(i["sk"]["S"] for i in via_index) == ["s1", "s4"]
    via_table = run(dynamodb, f"SELECT pk, sk FROM \"{ix_table}\" WHERE pk = 'p'")["Items"]
    assert sorted(i["sk"]["S"] for i in via_table) == ["s1", "s2", "s3", "s4"]


def test_index_select_star_on_keys_only_gsi(dynamodb, ix_table):
    # why: * on a KEYS_ONLY GSI is the index's projection: its key and the table key, nothing else.
    items = run(dynamodb, f"SELECT * FROM \"{ix_table}\".\"gsi-keys\" WHERE gsiPk2 = 'y'")["Items"]
    assert sorted(i["sk"]["S"] for i in items) == ["s1", "s2", "s4"]
    assert all(sorted(i) == ["gsiPk2", "pk", "sk"] for i in items)


def test_index_select_star_on_keys_only_lsi(dynamodb, ix_table):
    # why: the same on an LSI; s3 lacks the LSI sort key so it is not in the index.
    items = run(dynamodb, f"SELECT * FROM \"{ix_table}\".\"lsi-keys\" WHERE pk = 'p'")["Items"]
    assert sorted(i["sk"]["S"] for i in items) == ["s1", "s2", "s4"]
    assert all(sorted(i) == ["lsiSk2", "pk", "sk"] for i in items)


def test_index_consistent_read_on_lsi_accepted(dynamodb, ix_table):
    items = run(dynamodb, f"SELECT pk, sk FROM \"{ix_table}\".\"lsi-all\" WHERE pk = 'p'", ConsistentRead=True)["Items"]
    assert sorted(i["sk"]["S"] for i in items) == ["s1", "s2", "s4"]


@pytest.mark.local_differs('DynamoDB Local appends the index name to the message')
@pytest.mark.parametrize("source, message", [
    ('"{t}"."no-such-index"', "The table does not have the specified index"),
    ('"{t}"."gsi-all"."extra"', "A path may contain at most 2 components in the FROM clause"),
    ('"{t}".""', "Path component cannot be an empty string"),
    ('""', "Path component cannot be an empty string"),
], ids=["unknown-index", "three-components", "empty-index", "empty-table"])
def test_index_qualifier_errors(dynamodb, ix_table, source, message):
    with raises("ValidationException", message):
        run(dynamodb, f"SELECT * FROM {source.format(t=ix_table)} WHERE pk = 'p'")


@pytest.mark.local_differs("DynamoDB Local uses Query's wording")
def test_index_consistent_read_on_gsi_refused(dynamodb, ix_table):
    with raises("ValidationException", "Strongly consistent read is not supported on Global Secondary Indexes"):
        run(dynamodb, f"SELECT * FROM \"{ix_table}\".\"gsi-all\" WHERE gsiPk = 'x'", ConsistentRead=True)


@pytest.mark.local_differs('DynamoDB Local accepts unprojected attributes on a keyed GSI read')
def test_index_unprojected_filter_refused_when_keyed(dynamodb, ix_table):
    # why: a keyed index read may not filter on what the index does not project; unkeyed (a scan
    # of the index) the same filter is accepted and matches nothing, as the index lacks it.
    with raises("ValidationException", "One or more parameter values were invalid: Secondary index "
                "gsi-inc does not project one or more filter attributes: [nonproj]"):
        run(dynamodb, f"SELECT pk FROM \"{ix_table}\".\"gsi-inc\" WHERE gsiPk2 = 'y' AND nonproj = 'np1'")
    assert run(dynamodb, f"SELECT pk FROM \"{ix_table}\".\"gsi-inc\" WHERE nonproj = 'np1'")["Items"] == []
    with raises("ValidationException", "One or more parameter values were invalid: Global secondary "
                "index gsi-inc does not project [nonproj]"):
        run(dynamodb, f"SELECT nonproj FROM \"{ix_table}\".\"gsi-inc\" WHERE gsiPk2 = 'y'")


@pytest.mark.local_differs('DynamoDB Local returns no ConsumedCapacity for PartiQL')
def test_index_lsi_fetch_charged_per_item_fetched(dynamodb, ix_table):
    # why: an LSI read of an unprojected attribute fetches each item from the table, and each fetch
    # is a read of its own: fewer rows (Limit 1) cost less on the table arm.
    stmt = f"SELECT nonproj FROM \"{ix_table}\".\"lsi-keys\" WHERE pk = 'p'"
    one = run(dynamodb, stmt, Limit=1, ReturnConsumedCapacity="INDEXES")
    every = run(dynamodb, stmt, ReturnConsumedCapacity="INDEXES")
    assert [i["nonproj"]["S"] for i in one["Items"]] == ["np1"]
    assert sorted(i["nonproj"]["S"] for i in every["Items"]) == ["np1", "np2", "np4"]
    assert one["ConsumedCapacity"]["Table"]["CapacityUnits"] == 0.5
    assert every["ConsumedCapacity"]["Table"]["CapacityUnits"] == 1.5


@pytest.mark.local_differs('DynamoDB Local accepts a token of another index')
def test_next_token_is_bound_to_its_statement(dynamodb, ix_table):
    # why: a token continues the read that minted it; replayed on another index or statement it
    # is refused, not read as a starting key of the other one.
    first = run(dynamodb, f"SELECT pk, sk FROM \"{ix_table}\".\"gsi-inc\" WHERE gsiPk2 = 'y'", Limit=1)
    rest = run(dynamodb, f"SELECT pk, sk FROM \"{ix_table}\".\"gsi-inc\" WHERE gsiPk2 = 'y'",
               NextToken=first["NextToken"])
    assert len(first["Items"]) == 1 and len(rest["Items"]) == 2
    assert first["Items"][0] not in rest["Items"]
    with raises("ValidationException", "NextToken does not match request"):
        run(dynamodb, f"SELECT pk, sk FROM \"{ix_table}\".\"gsi-keys\" WHERE gsiPk2 = 'y'",
            NextToken=first["NextToken"])
    with raises("ValidationException", "Invalid NextToken"):
        run(dynamodb, f"SELECT pk, sk FROM \"{ix_table}\" WHERE pk = 'p'", NextToken="bm90IGEgdG9rZW4=")


def test_insert_into_index_refused(dynamodb, ix_table):
    with raises("ValidationException",
                "FROM clause may only contain a single table name in data manipulation statements"):
        run(dynamodb, f"INSERT INTO \"{ix_table}\".\"gsi-all\" VALUE {{'pk': 'w1', 'sk': 'w1'}}")
    for statement in (f"UPDATE \"{ix_table}\".\"gsi-all\" SET v = 1 WHERE pk = 'p' AND sk = 's1'",
                      f"DELETE FROM \"{ix_table}\".\"gsi-all\" WHERE pk = 'p' AND sk = 's1'"):
        with raises("ValidationException", "This operation is not supported on an index"):
            run(dynamodb, statement)


# =============================================================================================
# BatchExecuteStatement
# =============================================================================================

def test_batch_selects(dynamodb, table_s):
    # why: each member's answer is in request order, with its TableName and the Item it found;
    # a key that names no item gives no Item.
    a, b = util.unique_key(), util.unique_key()
    dynamodb.put_item(TableName=table_s, Item={"pk": S(a), "v": S("one")})
    dynamodb.put_item(TableName=table_s, Item={"pk": S(b), "v": S("two")})
    responses = dynamodb.batch_execute_statement(Statements=[
        {"Statement": f"SELECT * FROM \"{table_s}\" WHERE pk = '{a}'"},
        {"Statement": f"SELECT * FROM \"{table_s}\" WHERE pk = ?", "Parameters": [S(b)]},
        {"Statement": f"SELECT * FROM \"{table_s}\" WHERE pk = '{util.unique_key()}'"},
    ])["Responses"]
    assert responses[:2] == [{"TableName": table_s, "Item": {"pk": S(a), "v": S("one")}},
                             {"TableName": table_s, "Item": {"pk": S(b), "v": S("two")}}]
    assert len(responses) == 3 and "Item" not in responses[2] and "Error" not in responses[2]


def test_batch_member_on_missing_table(dynamodb, table_s):
    # why: a missing table fails only its member, with the short code ResourceNotFound.
    k = util.unique_key()
    dynamodb.put_item(TableName=table_s, Item={"pk": S(k)})
    responses = dynamodb.batch_execute_statement(Statements=[
        {"Statement": f"SELECT * FROM \"{table_s}\" WHERE pk = '{k}'"},
        {"Statement": f"SELECT * FROM \"{util.unique_name('absent')}\" WHERE pk = 'x'"},
    ])["Responses"]
    assert responses[0]["Item"] == {"pk": S(k)} and "Error" not in responses[0]
    assert responses[1]["Error"]["Code"] == "ResourceNotFound"
    assert "Item" not in responses[1]


@pytest.mark.local_differs('DynamoDB Local echoes the statement instead of "Expected data manipulation"')
def test_batch_malformed_member(dynamodb, table_s):
    # why: a member that does not parse is a per-member ValidationError; its sibling still runs.
    k = util.unique_key()
    dynamodb.put_item(TableName=table_s, Item={"pk": S(k), "v": S("valid")})
    responses = dynamodb.batch_execute_statement(Statements=[
        {"Statement": f"SLECT * FROM \"{table_s}\" WHERE pk = '{k}'"},
        {"Statement": f"SELECT * FROM \"{table_s}\" WHERE pk = '{k}'"},
    ])["Responses"]
    assert responses[0]["Error"] == {"Code": "ValidationError",
                                     "Message": MALFORMED + ": Expected data manipulation"}
    assert responses[1]["Item"] == {"pk": S(k), "v": S("valid")} and "Error" not in responses[1]


@pytest.mark.local_differs('DynamoDB Local says "Only single item select is supported"')
def test_batch_select_must_name_the_primary_key(dynamodb, table_s, table_ss, ix_table):
    # why: a batch SELECT reads one item by its full primary key: a non-key filter, a partial key
    # and an index-qualified read are each refused in their own member; a sibling still runs.
    k = util.unique_key()
    dynamodb.put_item(TableName=table_s, Item={"pk": S(k)})
    responses = dynamodb.batch_execute_statement(Statements=[
        {"Statement": f"SELECT * FROM \"{table_s}\" WHERE v = 'a'"},
        {"Statement": f"SELECT * FROM \"{table_ss}\" WHERE pk = 'x'"},
        {"Statement": f"SELECT * FROM \"{ix_table}\".\"gsi-all\" WHERE gsiPk = 'x'"},
        {"Statement": f"SELECT * FROM \"{table_s}\" WHERE pk = '{k}'"},
    ])["Responses"]
    for r in responses[:3]:
        assert r["Error"] == {"Code": "ValidationError", "Message": BATCH_SELECT_KEY}
    assert responses[3]["Item"] == {"pk": S(k)}


def test_batch_writes(dynamodb, table_s):
    # why: INSERT, UPDATE and DELETE members all apply, each answered with its TableName.
    ins, upd, dele = (util.unique_key() for _ in range(3))
    dynamodb.put_item(TableName=table_s, Item={"pk": S(upd), "v": S("before")})
    dynamodb.put_item(TableName=table_s, Item={"pk": S(dele)})
    responses = dynamodb.batch_execute_statement(Statements=[
        {"Statement": f"INSERT INTO \"{table_s}\" VALUE {{'pk': '{ins}', 'v': 'new'}}"},
        {"Statement": f"UPDATE \"{table_s}\" SET v = 'after' WHERE pk = '{upd}'"},
        {"Statement": f"DELETE FROM \"{table_s}\" WHERE pk = ?", "Parameters": [S(dele)]},
    ])["Responses"]
    assert len(responses) == 3
    assert all("Error" not in r and r.get("TableName") == table_s for r in responses)
    assert get(dynamodb, table_s, {"pk": S(ins)}) == {"pk": S(ins), "v": S("new")}
    assert get(dynamodb, table_s, {"pk": S(upd)}) == {"pk": S(upd), "v": S("after")}
    assert get(dynamodb, table_s, {"pk": S(dele)}) is None


def test_batch_write_failures_per_member(dynamodb, table_s):
    # why: a duplicate INSERT and a failed predicate fail only their members (DuplicateItem,
    # ConditionalCheckFailed, each echoing its TableName); the good member applies.
    dup, cond, good = (util.unique_key() for _ in range(3))
    dynamodb.put_item(TableName=table_s, Item={"pk": S(dup), "v": S("orig")})
    dynamodb.put_item(TableName=table_s, Item={"pk": S(cond), "v": S("here")})
    responses = dynamodb.batch_execute_statement(Statements=[
        {"Statement": f"INSERT INTO \"{table_s}\" VALUE {{'pk': ?, 'v': 'dup'}}", "Parameters": [S(dup)]},
        {"Statement": f"UPDATE \"{table_s}\" SET touched = 'yes' WHERE pk = ? AND v = ?",
         "Parameters": [S(cond), S("wrong")]},
        {"Statement": f"INSERT INTO \"{table_s}\" VALUE {{'pk': ?}}", "Parameters": [S(good)]},
    ])["Responses"]
    assert [r.get("Error", {}).get("Code") for r in responses] == ["DuplicateItem", "ConditionalCheckFailed", None]
    assert responses[0]["TableName"] == table_s and responses[1]["TableName"] == table_s
    assert get(dynamodb, table_s, {"pk": S(dup)})["v"] == S("orig")
    assert "touched" not in get(dynamodb, table_s, {"pk": S(cond)})
    assert get(dynamodb, table_s, {"pk": S(good)}) == {"pk": S(good)}


def test_batch_honours_returning(dynamodb, table_s):
    # why: unlike ExecuteTransaction, a batch member's RETURNING is honoured, on Responses[i].Item.
    gone, upd = util.unique_key(), util.unique_key()
    dynamodb.put_item(TableName=table_s, Item={"pk": S(gone), "v": S("bye")})
    dynamodb.put_item(TableName=table_s, Item={"pk": S(upd), "v": S("old")})
    responses = dynamodb.batch_execute_statement(Statements=[
        {"Statement": f"DELETE FROM \"{table_s}\" WHERE pk = '{gone}' RETURNING ALL OLD *"},
        {"Statement": f"UPDATE \"{table_s}\" SET v = 'new' WHERE pk = '{upd}' RETURNING MODIFIED NEW *"},
    ])["Responses"]
    assert responses[0]["Item"] == {"pk": S(gone), "v": S("bye")}
    assert responses[1]["Item"] == {"v": S("new")}
    assert get(dynamodb, table_s, {"pk": S(gone)}) is None


@pytest.mark.local_differs('DynamoDB Local says "The statement was empty."')
def test_batch_refuses_empty_statements(dynamodb):
    with raises("ValidationException", containing("tatements")):
        dynamodb.batch_execute_statement(Statements=[])


def test_update_set_add_and_set_delete(dynamodb, table_s):
    # why: set_add/set_delete assign a set to itself plus or minus members (UpdateItem's ADD and
    # DELETE); deleting the last member removes the attribute.
    k = util.unique_key()
    dynamodb.put_item(TableName=table_s, Item={"pk": S(k), "s": {"SS": ["x"]}, "n": {"NS": ["1"]}})
    resp = run(dynamodb, f"UPDATE \"{table_s}\" SET s = set_add(s, <<'y', 'z'>>) "
                         f"SET n = set_delete(n, <<1>>) WHERE pk = '{k}' RETURNING ALL NEW *")
    item = resp["Items"][0]
    assert sorted(item["s"]["SS"]) == ["x", "y", "z"]
    assert "n" not in item


@pytest.mark.local_differs('DynamoDB Local appends the source position ("at 1:53:1")')
@pytest.mark.parametrize("assignment, message", [
    ("s = set_add(t, <<'y'>>)", "The first argument to SET_ADD must equal the assignment value"),
    ("s = set_delete(s, 'y')", "The second argument to SET_DELETE must be a value with type SET"),
    ("s = set_add(s)", "SET_ADD must have exactly two arguments"),
])
def test_update_set_function_misuse(dynamodb, table_s, assignment, message):
    k = util.unique_key()
    dynamodb.put_item(TableName=table_s, Item={"pk": S(k), "s": {"SS": ["x"]}})
    with raises("ValidationException", message):
        run(dynamodb, f"UPDATE \"{table_s}\" SET {assignment} WHERE pk = '{k}'")
    assert get(dynamodb, table_s, {"pk": S(k)})["s"] == {"SS": ["x"]}


@pytest.mark.local_differs('DynamoDB Local fails ORDER BY ... DESC with InternalFailure')
def test_select_order_by_sort_key_descending(dynamodb, table_sn):
    # why: ORDER BY the sort key DESC reads the partition backwards (Query's ScanIndexForward).
    k = util.unique_key()
    for n in (3, 1, 2):
        dynamodb.put_item(TableName=table_sn, Item={"pk": S(k), "sk": N(str(n))})
    resp = run(dynamodb, f"SELECT sk FROM \"{table_sn}\" WHERE pk = ? ORDER BY sk DESC", S(k))
    assert [i["sk"]["N"] for i in resp["Items"]] == ["3", "2", "1"]


@pytest.mark.parametrize("tail, message", [
    ("ORDER BY sk", "Must have WHERE clause in the statement when using ORDER BY clause."),
    ("WHERE sk = 1 ORDER BY sk", "Must have at least one non-optional hash key condition in WHERE "
                                 "clause when using ORDER BY clause."),
    ("WHERE pk = 'a' ORDER BY v", "Variable reference v in ORDER BY clause must be part of the primary key"),
])
def test_select_order_by_errors(dynamodb, table_sn, tail, message):
    with raises("ValidationException", message):
        run(dynamodb, f"SELECT * FROM \"{table_sn}\" {tail}")


def test_exists_only_in_transactions(dynamodb, table_s):
    with raises("ValidationException", "EXISTS can only be used in ExecuteTransaction write requests."):
        run(dynamodb, f"EXISTS(SELECT * FROM \"{table_s}\" WHERE pk = 'a')")


# =============================================================================================
# ExecuteTransaction
# =============================================================================================

def test_transaction_insert_and_update(dynamodb, table_s):
    ins, upd = util.unique_key(), util.unique_key()
    dynamodb.put_item(TableName=table_s, Item={"pk": S(upd), "v": S("before"), "n": N("1")})
    dynamodb.execute_transaction(TransactStatements=[
        {"Statement": f"INSERT INTO \"{table_s}\" VALUE {{'pk': '{ins}', 'v': 'txn-new'}}"},
        {"Statement": f"UPDATE \"{table_s}\" SET v = 'txn-after' SET n = n + 1 WHERE pk = ?", "Parameters": [S(upd)]},
    ])
    assert get(dynamodb, table_s, {"pk": S(ins)}) == {"pk": S(ins), "v": S("txn-new")}
    assert get(dynamodb, table_s, {"pk": S(upd)}) == {"pk": S(upd), "v": S("txn-after"), "n": N("2")}


def test_transaction_duplicate_insert_cancels_everything(dynamodb, table_s):
    # why: one failing statement cancels the whole transaction; nothing else applies.
    dup, fresh, upd = (util.unique_key() for _ in range(3))
    dynamodb.put_item(TableName=table_s, Item={"pk": S(dup), "v": S("existing")})
    dynamodb.put_item(TableName=table_s, Item={"pk": S(upd), "v": S("before")})
    with raises("TransactionCanceledException", starting("Transaction cancelled")):
        dynamodb.execute_transaction(TransactStatements=[
            {"Statement": f"INSERT INTO \"{table_s}\" VALUE {{'pk': '{fresh}', 'v': 'rolled back'}}"},
            {"Statement": f"INSERT INTO \"{table_s}\" VALUE {{'pk': '{dup}', 'v': 'should fail'}}"},
            {"Statement": f"UPDATE \"{table_s}\" SET v = 'after' WHERE pk = '{upd}'"},
        ])
    assert get(dynamodb, table_s, {"pk": S(fresh)}) is None
    assert get(dynamodb, table_s, {"pk": S(dup)})["v"] == S("existing")
    assert get(dynamodb, table_s, {"pk": S(upd)})["v"] == S("before")


def test_transaction_exists_is_a_condition_check(dynamodb, table_s):
    # why: EXISTS(SELECT ... WHERE key AND condition) checks an item without writing it: the
    # transaction applies only while the condition holds on an existing item.
    k, fresh = util.unique_key(), util.unique_key()
    dynamodb.put_item(TableName=table_s, Item={"pk": S(k), "n": N("3")})
    check = f"EXISTS(SELECT * FROM \"{table_s}\" WHERE pk = '{k}' AND n = ?)"
    insert = f"INSERT INTO \"{table_s}\" VALUE {{'pk': '{fresh}'}}"
    with raises("TransactionCanceledException",
                "Transaction cancelled, please refer cancellation reasons for specific reasons "
                "[ConditionalCheckFailed, None]"):
        dynamodb.execute_transaction(TransactStatements=[
            {"Statement": check, "Parameters": [N("4")]}, {"Statement": insert}])
    assert get(dynamodb, table_s, {"pk": S(fresh)}) is None
    dynamodb.execute_transaction(TransactStatements=[
        {"Statement": check, "Parameters": [N("3")]}, {"Statement": insert}])
    assert get(dynamodb, table_s, {"pk": S(fresh)}) == {"pk": S(fresh)}
    assert get(dynamodb, table_s, {"pk": S(k)}) == {"pk": S(k), "n": N("3")}


def test_transaction_exists_needs_the_key(dynamodb, table_s):
    with raises("ValidationException", "Validation failed in TransactStatements[0]: EXISTS() must "
                "contain a single item read with additional condition"):
        dynamodb.execute_transaction(TransactStatements=[
            {"Statement": f"EXISTS(SELECT * FROM \"{table_s}\" WHERE n = 3)"},
            {"Statement": f"INSERT INTO \"{table_s}\" VALUE {{'pk': '{util.unique_key()}'}}"}])


def test_transaction_refuses_returning(dynamodb, table_s):
    # why: RETURNING is refused up front as a ValidationException (not a cancellation); nothing applies.
    k = util.unique_key()
    dynamodb.put_item(TableName=table_s, Item={"pk": S(k), "v": S("old")})
    with raises("ValidationException",
                "Validation failed in TransactStatements[0]: RETURNING clause is not supported in ExecuteTransaction."):
        dynamodb.execute_transaction(TransactStatements=[
            {"Statement": f"UPDATE \"{table_s}\" SET v = 'new' WHERE pk = '{k}' RETURNING ALL NEW *"}])
    assert get(dynamodb, table_s, {"pk": S(k)})["v"] == S("old")


def test_transaction_refuses_index_read(dynamodb, ix_table):
    with raises("ValidationException",
                "Validation failed in TransactStatements[0]: Reads on indices are not supported within transactions."):
        dynamodb.execute_transaction(TransactStatements=[
            {"Statement": f"SELECT * FROM \"{ix_table}\".\"gsi-all\" WHERE gsiPk = 'x'"}])


def test_transaction_of_selects(dynamodb, ix_table):
    # why: a read transaction answers each SELECT's item in Responses, in statement order.
    responses = dynamodb.execute_transaction(TransactStatements=[
        {"Statement": f"SELECT * FROM \"{ix_table}\" WHERE pk = 'p' AND sk = 's4'"},
        {"Statement": f"SELECT * FROM \"{ix_table}\" WHERE pk = ? AND sk = ?", "Parameters": [S("p"), S("s3")]},
    ])["Responses"]
    assert [r["Item"] for r in responses] == [IX_ITEMS[3], IX_ITEMS[2]]


@pytest.mark.local_differs('DynamoDB Local says "ExecutePartiQLTransaction can not have empty statement."')
def test_transaction_refuses_empty_statements(dynamodb):
    with raises("ValidationException", containing("ransactStatements")):
        dynamodb.execute_transaction(TransactStatements=[])


# =============================================================================================
# Streams
# =============================================================================================

def _stream_records(streams, arn):
    """Every record of a new table's stream (its one shard, from TRIM_HORIZON to an empty page)."""
    records = []
    for shard in streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]:
        it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"],
                                        ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        for _ in range(100):
            page = streams.get_records(ShardIterator=it)
            records += page["Records"]
            it = page.get("NextShardIterator")
            if not it or not page["Records"]:
                break
    return records


@pytest.mark.local_differs('DynamoDB Local answers a duplicate INSERT with DuplicateItem, not DuplicateItemException')
def test_partiql_writes_leave_stream_records(dynamodb, url, new_table):
    # why: PartiQL writes go through the same write path: INSERT, MODIFY and REMOVE records with the
    # images; a refused write (duplicate INSERT) and a failed predicate leave none.
    streams = util.client_for(url, service="dynamodbstreams")
    table = new_table(StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
    arn = dynamodb.describe_table(TableName=table)["Table"]["LatestStreamArn"]
    key = {"pk": S("s")}
    run(dynamodb, f"INSERT INTO \"{table}\" VALUE {{'pk': 's', 'n': 1}}")
    with raises("DuplicateItemException", DUPLICATE):
        run(dynamodb, f"INSERT INTO \"{table}\" VALUE {{'pk': 's', 'n': 5}}")
    run(dynamodb, f"UPDATE \"{table}\" SET n = n + 1 WHERE pk = 's'")
    with raises("ConditionalCheckFailedException", FAILED):
        run(dynamodb, f"DELETE FROM \"{table}\" WHERE pk = 's' AND n = 7")
    run(dynamodb, f"DELETE FROM \"{table}\" WHERE pk = 's'")
    one, two = {**key, "n": N("1")}, {**key, "n": N("2")}
    got = [(r["eventName"], r["dynamodb"]["Keys"], r["dynamodb"].get("OldImage"), r["dynamodb"].get("NewImage"))
           for r in _stream_records(streams, arn)]
    assert got == [("INSERT", key, None, one), ("MODIFY", key, one, two), ("REMOVE", key, two, None)]


def test_deeply_nested_statement_refused(dynamodb, table_s):
    # why: a statement nested beyond the parser's bound gets a validation error, not a crash.
    with raises("ValidationException", starting(MALFORMED)):
        run(dynamodb, f"SELECT * FROM \"{table_s}\" WHERE " + "(" * 1000 + "a = 1" + ")" * 1000)
    with raises("ValidationException", starting(MALFORMED)):
        run(dynamodb, f"SELECT * FROM \"{table_s}\" WHERE a = " + "[" * 1000 + "]" * 1000)
    # a nesting the parser takes is still answered (the condition matches nothing)
    assert run(dynamodb, f"SELECT * FROM \"{table_s}\" WHERE " + "(" * 50 + "a = 1" + ")" * 50)["Items"] == []


def test_null_member_statement(url, table_s):
    status, _, body, _ = util.raw_request(url, target="DynamoDB_20120810.BatchExecuteStatement", body={
        "Statements": [None, {"Statement": f"SELECT * FROM \"{table_s}\" WHERE pk = 'none'"}]})
    assert status == 200
    assert body["Responses"][0]["Error"]["Code"] == "ValidationError"
    assert "Error" not in body["Responses"][1]
    status, _, body, _ = util.raw_request(url, target="DynamoDB_20120810.ExecuteTransaction",
                                          body={"TransactStatements": [None]})
    assert status == 400 and util.error_of(body)[0] == "ValidationException"


def test_transaction_of_reads_and_writes_refused(dynamodb, table_s):
    k = util.unique_key()
    with raises("ValidationException",
                "ExecuteTransaction API does not support both read and write operations in the same request."):
        dynamodb.execute_transaction(TransactStatements=[
            {"Statement": f"SELECT * FROM \"{table_s}\" WHERE pk = '{k}'"},
            {"Statement": f"INSERT INTO \"{table_s}\" VALUE {{'pk': '{k}'}}"}])
    assert get(dynamodb, table_s, {"pk": S(k)}) is None


def test_batch_of_reads_and_writes_refused(dynamodb, table_s):
    k = util.unique_key()
    with raises("ValidationException", "Read and write requests together in the same batch is not supported."):
        dynamodb.batch_execute_statement(Statements=[
            {"Statement": f"SELECT * FROM \"{table_s}\" WHERE pk = '{k}'"},
            {"Statement": f"INSERT INTO \"{table_s}\" VALUE {{'pk': '{k}'}}"}])
    assert get(dynamodb, table_s, {"pk": S(k)}) is None
