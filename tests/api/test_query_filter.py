"""test_query_filter.py — the legacy parameters of Query and Scan: KeyConditions (every
ComparisonOperator a key takes, and the errors of those it does not), QueryFilter and ScanFilter (every
ComparisonOperator, ConditionalOperator AND/OR), AttributesToGet, and the rule that legacy and
expression parameters do not mix.

Order: validation, functionality (dynalite). Expected messages are real DynamoDB's: dynalite's
test/query.js and test/scan.js (recorded against DynamoDB) and the nubo-db/dynamodb-conformance suite
(tests/tier3/legacy-api/queryFilter.test.ts and scanFilter.test.ts). DynamoDB Local's different words are
`local=`; where it behaves differently the test is marked local_differs.
"""
import re

import pytest

import util
from util import raises

ONE = "1 validation error detected: "
INVALID = "One or more parameter values were invalid: "
OPERATORS = "[IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]"
NOT_INDEXABLE = "Attempted conditional constraint is not an indexable operation"


def S(value):
    return {"S": value}


def N(value):
    return {"N": value}


def cond(operator, *values):
    """A legacy Condition; AttributeValueList is left out when no value is given."""
    return {"ComparisonOperator": operator, **({"AttributeValueList": list(values)} if values else {})}


ITEMS = {
    "alpha": {"val": N("1"), "tag": S("hello-world"), "tags": {"SS": ["x", "y"]}, "flag": {"BOOL": True}},
    "beta": {"val": N("2"), "tag": S("hello-there"), "flag": {"BOOL": False}},
    "delta": {"val": N("4"), "tag": S("hello-again"), "b": {"B": b"\x01\x02"}},
    "epsilon": {"val": N("5"), "tag": S("world")},
    "gamma": {"val": S("3"), "tag": S("goodbye"), "tags": {"SS": ["z"]}},
    "zeta": {},
}
HASH = {"pk": cond("EQ", S("legacy"))}


@pytest.fixture(scope="module")
def lg_table(dynamodb):
    """pk (S) + sk (S): ITEMS in partition 'legacy', nothing else (so Scan sees the same items)."""
    name = util.create_table(dynamodb, util.unique_name("legacy"), [("pk", "S"), ("sk", "S")])
    util.put_items(dynamodb, name, [{"pk": S("legacy"), "sk": S(k), **v} for k, v in ITEMS.items()])
    yield name
    util.delete_table(dynamodb, name)


def query(dynamodb, table, key_conditions, **params):
    return dynamodb.query(TableName=table, KeyConditions=key_conditions, ConsistentRead=True, **params)


def sks(page):
    return [i["sk"]["S"] for i in page["Items"]]


# =============================================================================================
# Validation: KeyConditions
# =============================================================================================

@pytest.mark.parametrize("conditions", [{}, {"pk": cond("EQ", S("a")), "sk": cond("EQ", S("a")), "x": cond("EQ", S("a"))}],
                         ids=["none", "three"])
def test_key_conditions_count(dynamodb, lg_table, conditions):
    # why: dynalite "incorrect number of KeyConditions".
    with raises("ValidationException", "Conditions can be of length 1 or 2 only",
                local="Conditions must be at least length 1" if not conditions else None):
        query(dynamodb, lg_table, conditions)


def test_key_conditions_operator_not_in_enum(dynamodb, lg_table):
    # why: dynalite "incorrect attributes": the operator is one of the enum.
    with raises("ValidationException", ONE + "Value 'XX' at 'keyConditions.sk.member.comparisonOperator' failed to "
                                             "satisfy constraint: Member must satisfy enum value set: " + OPERATORS,
                local="Comparison type does not exist in DynamoDB"):
        query(dynamodb, lg_table, {**HASH, "sk": cond("XX", S("a"))})


@pytest.mark.parametrize("condition", [cond("EQ"), cond("EQ", S("a"), S("b")), cond("BETWEEN", S("a")),
                                       cond("LT"), cond("BEGINS_WITH", S("a"), S("b"))],
                         ids=["EQ-0", "EQ-2", "BETWEEN-1", "LT-0", "BEGINS_WITH-2"])
def test_key_conditions_argument_count(dynamodb, lg_table, condition):
    # why: dynalite "incorrect number of KeyConditions arguments".
    with raises("ValidationException", INVALID + "Invalid number of argument(s) for the "
                                       f"{condition['ComparisonOperator']} ComparisonOperator"):
        query(dynamodb, lg_table, {**HASH, "sk": condition})


@pytest.mark.parametrize("operator", ["LT", "GE", "BETWEEN"])
def test_key_conditions_operator_not_for_type(dynamodb, lg_table, operator):
    # why: dynalite "invalid ComparisonOperator types" (KeyConditions): order comparisons take S, N or B.
    values = [{"BOOL": True}] * (2 if operator == "BETWEEN" else 1)
    with raises("ValidationException", INVALID + f"ComparisonOperator {operator} is not valid for BOOL AttributeValue type"):
        query(dynamodb, lg_table, {**HASH, "sk": cond(operator, *values)})


def test_key_conditions_begins_with_number(dynamodb, lg_table):
    # why: dynalite "invalid BEGINS_WITH ComparisonOperator types".
    with raises("ValidationException", INVALID + "ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type"):
        query(dynamodb, lg_table, {**HASH, "sk": cond("BEGINS_WITH", N("1"))})


def test_key_conditions_between_reversed(dynamodb, lg_table):
    # why: dynalite "BETWEEN arguments are in the incorrect order".
    with raises("ValidationException", "The BETWEEN condition was provided a range where the lower bound is greater "
                                       "than the upper bound"):
        query(dynamodb, lg_table, {**HASH, "sk": cond("BETWEEN", S("b"), S("a"))})


@pytest.mark.parametrize("condition", [cond("NULL"), cond("NOT_NULL"), cond("CONTAINS", S("a")),
                                       cond("NOT_CONTAINS", S("a")), cond("IN", S("a")), cond("NE", S("a"))],
                         ids=["NULL", "NOT_NULL", "CONTAINS", "NOT_CONTAINS", "IN", "NE"])
@pytest.mark.local_differs("DynamoDB Local answers InternalFailure or 'Only scalar types can be used as Range Key values'")
def test_key_conditions_not_indexable_on_range(dynamodb, lg_table, condition):
    # why: dynalite "unsupported comparison on range".
    with raises("ValidationException", NOT_INDEXABLE):
        query(dynamodb, lg_table, {**HASH, "sk": condition})


@pytest.mark.local_differs("DynamoDB Local answers 'Only scalar types can be used as Hash Key values'")
def test_key_conditions_not_indexable_on_hash(dynamodb, lg_table):
    # why: dynalite "querying with non-indexable operations".
    with raises("ValidationException", NOT_INDEXABLE):
        query(dynamodb, lg_table, {"pk": cond("NULL")})


@pytest.mark.parametrize("condition", [cond("GT", S("a")), cond("LE", S("a")), cond("BEGINS_WITH", S("a")),
                                       cond("BETWEEN", S("a"), S("b"))], ids=["GT", "LE", "BEGINS_WITH", "BETWEEN"])
def test_key_conditions_hash_needs_eq(dynamodb, lg_table, condition):
    # why: dynalite "querying with unsupported conditions".
    with raises("ValidationException", "Query key condition not supported"):
        query(dynamodb, lg_table, {"pk": condition})


def test_key_conditions_missing_hash(dynamodb, lg_table):
    # why: dynalite "hash in ExclusiveStartKey but not in query" (KeyConditions on the range key only).
    with raises("ValidationException", "Query condition missed key schema element: pk",
                local="Query condition missed key schema element"):
        query(dynamodb, lg_table, {"sk": cond("EQ", S("a"))})


def test_key_conditions_value_type(dynamodb, lg_table):
    # why: dynalite "mismatching param type" (the same text as for expressions).
    with raises("ValidationException", INVALID + "Condition parameter type does not match schema type"):
        query(dynamodb, lg_table, {"pk": cond("EQ", N("1"))})


# =============================================================================================
# Validation: QueryFilter, ScanFilter, mixing, AttributesToGet
# =============================================================================================

@pytest.mark.parametrize("attr", ["pk", "sk"])
def test_query_filter_on_key(dynamodb, lg_table, attr):
    # why: dynalite "hash/range key in QueryFilter".
    with raises("ValidationException", f"QueryFilter can only contain non-primary key attributes: Primary key attribute: {attr}"):
        query(dynamodb, lg_table, HASH, QueryFilter={attr: cond("EQ", S("a"))})


def test_query_filter_in_list_of_mixed_types(dynamodb, lg_table):
    # why: dynalite "AttributeValueList has different types" (an IN list holds one type).
    with raises("ValidationException", INVALID + "AttributeValues inside AttributeValueList must be of same type"):
        query(dynamodb, lg_table, HASH, QueryFilter={"val": cond("IN", N("1"), S("3"))})


def test_query_filter_operator_not_in_enum(dynamodb, lg_table):
    # why: dynalite "incorrect attributes" (queryFilter.<name>.member.comparisonOperator).
    with raises("ValidationException", ONE + "Value 'XX' at 'queryFilter.val.member.comparisonOperator' failed to "
                                             "satisfy constraint: Member must satisfy enum value set: " + OPERATORS,
                local="Comparison type does not exist in DynamoDB"):
        query(dynamodb, lg_table, HASH, QueryFilter={"val": cond("XX", N("1"))})


@pytest.mark.parametrize("condition, message", [
    (cond("GT", N("1"), N("2")), "Invalid number of argument(s) for the GT ComparisonOperator"),
    (cond("NULL", S("a")), "Invalid number of argument(s) for the NULL ComparisonOperator"),
    (cond("IN"), "Invalid number of argument(s) for the IN ComparisonOperator"),
    (cond("GT", {"BOOL": True}), "ComparisonOperator GT is not valid for BOOL AttributeValue type"),
    (cond("CONTAINS", {"SS": ["a"]}), "ComparisonOperator CONTAINS is not valid for SS AttributeValue type"),
    (cond("BEGINS_WITH", N("1")), "ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type"),
], ids=["GT-2", "NULL-1", "IN-0", "GT-BOOL", "CONTAINS-SS", "BEGINS_WITH-N"])
def test_scan_filter_bad_condition(dynamodb, lg_table, condition, message):
    # why: dynalite scan "incorrect number of ScanFilter arguments" and "invalid ComparisonOperator types".
    with raises("ValidationException", INVALID + message):
        dynamodb.scan(TableName=lg_table, ScanFilter={"val": condition})


@pytest.mark.local_differs("DynamoDB Local checks the operator's use before its value")
def test_scan_filter_conditional_operator_not_in_enum(dynamodb, lg_table):
    # why: dynalite "incorrect attributes" (ConditionalOperator is AND or OR).
    with raises("ValidationException", ONE + "Value 'XOR' at 'conditionalOperator' failed to satisfy constraint: "
                                             "Member must satisfy enum value set: [OR, AND]"):
        dynamodb.scan(TableName=lg_table, ScanFilter={"val": cond("EQ", N("1"))}, ConditionalOperator="XOR")


@pytest.mark.parametrize("params, legacy, modern", [
    ({"KeyConditions": HASH, "KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": {":p": S("legacy")}},
     "KeyConditions", "KeyConditionExpression"),
    ({"KeyConditions": HASH, "QueryFilter": {"val": cond("EQ", N("1"))}, "FilterExpression": "val = :v",
      "ExpressionAttributeValues": {":v": N("1")}}, "QueryFilter", "FilterExpression"),
    ({"KeyConditionExpression": "pk = :p", "QueryFilter": {"val": cond("EQ", N("1"))},
      "ExpressionAttributeValues": {":p": S("legacy")}}, "QueryFilter", "KeyConditionExpression"),
    ({"KeyConditions": HASH, "AttributesToGet": ["val"], "ProjectionExpression": "val"},
     "AttributesToGet", "ProjectionExpression"),
], ids=["key-conditions", "filter", "filter-with-kce", "projection"])
def test_query_legacy_and_expression_do_not_mix(dynamodb, lg_table, params, legacy, modern):
    # why: conformance legacy-api/queryFilter "Mixing KeyConditions with KeyConditionExpression" and
    # dynalite "all expressions and non-expression" (the message lists both sides).
    with raises("ValidationException", "Can not use both expression and non-expression parameters in the same "
                                       f"request: Non-expression parameters: {{{legacy}}} Expression parameters: {{{modern}}}"):
        dynamodb.query(TableName=lg_table, **params)


def test_scan_filter_and_filter_expression_do_not_mix(dynamodb, lg_table):
    # why: conformance legacy-api/scanFilter "Mixing ScanFilter with FilterExpression".
    with raises("ValidationException", "Can not use both expression and non-expression parameters in the same "
                                       "request: Non-expression parameters: {ScanFilter} Expression parameters: "
                                       "{FilterExpression}"):
        dynamodb.scan(TableName=lg_table, ScanFilter={"val": cond("EQ", N("10"))}, FilterExpression="val = :v",
                      ExpressionAttributeValues={":v": N("10")})


def test_query_values_without_expression(dynamodb, lg_table):
    # why: dynalite "ExpressionAttributeValues but no expressions" (Query names both expressions).
    with raises("ValidationException", "ExpressionAttributeValues can only be specified when using expressions: "
                                       "FilterExpression and KeyConditionExpression are null"):
        query(dynamodb, lg_table, HASH, ExpressionAttributeValues={":a": S("a")})


def test_query_attributes_to_get_with_all_attributes(dynamodb, lg_table):
    # why: the AttributesToGet form of conformance tier1 query/select's ProjectionExpression rule.
    text = "Cannot specify the AttributesToGet when choosing to get ALL_ATTRIBUTES"
    with raises("ValidationException", re.compile("(?:" + re.escape(ONE) + ")?" + re.escape(text))):
        query(dynamodb, lg_table, HASH, AttributesToGet=["val"], Select="ALL_ATTRIBUTES")


def test_query_attributes_to_get_duplicate(dynamodb, lg_table):
    # why: dynalite scan "duplicate values in AttributesToGet".
    with raises("ValidationException", INVALID + "Duplicate value in attribute name: val",
                local="Cannot have two attributes with the same name"):
        query(dynamodb, lg_table, HASH, AttributesToGet=["val", "val"])


@pytest.mark.local_differs("DynamoDB Local accepts an empty AttributesToGet")
def test_query_attributes_to_get_empty(dynamodb, lg_table):
    # why: dynalite "incorrect attributes": AttributesToGet has at least one name.
    with raises("ValidationException", ONE + "Value '[]' at 'attributesToGet' failed to satisfy constraint: Member "
                                             "must have length greater than or equal to 1"):
        query(dynamodb, lg_table, HASH, AttributesToGet=[])


# =============================================================================================
# Functionality
# =============================================================================================

@pytest.mark.parametrize("condition, expected", [
    (None, ["alpha", "beta", "delta", "epsilon", "gamma", "zeta"]),
    (cond("EQ", S("delta")), ["delta"]),
    (cond("LE", S("delta")), ["alpha", "beta", "delta"]),
    (cond("LT", S("delta")), ["alpha", "beta"]),
    (cond("GE", S("epsilon")), ["epsilon", "gamma", "zeta"]),
    (cond("GT", S("delta")), ["epsilon", "gamma", "zeta"]),
    (cond("BEGINS_WITH", S("e")), ["epsilon"]),
    (cond("BETWEEN", S("beta"), S("epsilon")), ["beta", "delta", "epsilon"]),
], ids=["hash-only", "EQ", "LE", "LT", "GE", "GT", "BEGINS_WITH", "BETWEEN"])
def test_key_conditions(dynamodb, lg_table, condition, expected):
    # why: conformance legacy-api/queryFilter and dynalite "query a range table with EQ/LE/LT/GE/GT/
    # BEGINS_WITH/BETWEEN": each operator selects the same range as its expression form.
    conditions = {**HASH, **({"sk": condition} if condition else {})}
    page = query(dynamodb, lg_table, conditions)
    assert sks(page) == expected and page["Count"] == page["ScannedCount"] == len(expected)


def test_key_conditions_descending_and_paging(dynamodb, lg_table):
    # why: conformance legacy-api/queryFilter "ScanIndexForward works with KeyConditions"; paging
    # works the same as with expressions.
    assert sks(query(dynamodb, lg_table, HASH, ScanIndexForward=False)) == ["zeta", "gamma", "epsilon", "delta", "beta", "alpha"]
    first = query(dynamodb, lg_table, HASH, Limit=4)
    assert first["LastEvaluatedKey"] == {"pk": S("legacy"), "sk": S("epsilon")}
    assert sks(query(dynamodb, lg_table, HASH, ExclusiveStartKey=first["LastEvaluatedKey"])) == ["gamma", "zeta"]


FILTERS = [
    ("EQ", {"val": cond("EQ", N("2"))}, ["beta"]),
    ("EQ-BOOL", {"flag": cond("EQ", {"BOOL": True})}, ["alpha"]),
    ("EQ-SS-any-order", {"tags": cond("EQ", {"SS": ["y", "x"]})}, ["alpha"]),
    ("NE", {"val": cond("NE", N("2"))}, ["alpha", "delta", "epsilon", "gamma", "zeta"]),
    ("LE", {"val": cond("LE", N("2"))}, ["alpha", "beta"]),
    ("LT", {"val": cond("LT", N("5"))}, ["alpha", "beta", "delta"]),
    ("GE", {"val": cond("GE", N("4"))}, ["delta", "epsilon"]),
    ("GT", {"val": cond("GT", S("2"))}, ["gamma"]),
    ("NOT_NULL", {"tags": cond("NOT_NULL")}, ["alpha", "gamma"]),
    ("NULL", {"val": cond("NULL")}, ["zeta"]),
    ("CONTAINS-S", {"tag": cond("CONTAINS", S("hello"))}, ["alpha", "beta", "delta"]),
    ("CONTAINS-SS", {"tags": cond("CONTAINS", S("z"))}, ["gamma"]),
    ("CONTAINS-B", {"b": cond("CONTAINS", {"B": b"\x02"})}, ["delta"]),
    ("NOT_CONTAINS", {"tag": cond("NOT_CONTAINS", S("hello"))}, ["epsilon", "gamma"]),
    ("BEGINS_WITH", {"tag": cond("BEGINS_WITH", S("hello-t"))}, ["beta"]),
    ("IN", {"val": cond("IN", N("1"), N("5"), N("3"))}, ["alpha", "epsilon"]),
    ("BETWEEN", {"val": cond("BETWEEN", N("2"), N("4"))}, ["beta", "delta"]),
    ("AND", {"val": cond("GT", N("1")), "tag": cond("BEGINS_WITH", S("hello"))}, ["beta", "delta"]),
]


@pytest.mark.parametrize("qf, expected", [f[1:] for f in FILTERS], ids=[f[0] for f in FILTERS])
def test_query_filter(dynamodb, lg_table, qf, expected):
    # why: conformance legacy-api/queryFilter (EQ, CONTAINS, BOOL) and dynalite's scan functionality for
    # the other operators: values of another type do not match; NE, NOT_CONTAINS and NULL match absent
    # attributes only where the expression forms do (NE and NULL do, NOT_CONTAINS does not).
    page = query(dynamodb, lg_table, HASH, QueryFilter=qf)
    assert sks(page) == expected and page["ScannedCount"] == len(ITEMS)


@pytest.mark.parametrize("qf, expected", [f[1:] for f in FILTERS], ids=[f[0] for f in FILTERS])
def test_scan_filter(dynamodb, lg_table, qf, expected):
    # why: conformance legacy-api/scanFilter: ScanFilter takes the same conditions as QueryFilter.
    page = dynamodb.scan(TableName=lg_table, ScanFilter=qf, ConsistentRead=True)
    assert sorted(sks(page)) == expected and page["ScannedCount"] == len(ITEMS)


@pytest.mark.parametrize("operator, expected", [("AND", ["alpha"]), ("OR", ["alpha", "delta", "epsilon", "gamma"])])
def test_conditional_operator(dynamodb, lg_table, operator, expected):
    # why: conformance legacy-api/scanFilter "Multiple ScanFilter conditions with ConditionalOperator":
    # AND needs every condition, OR any.
    qf = {"val": cond("LT", N("2")), "tags": cond("NOT_NULL")}
    qf_or = {"val": cond("GE", N("4")), "tags": cond("NOT_NULL")}
    page = query(dynamodb, lg_table, HASH, QueryFilter=qf if operator == "AND" else qf_or, ConditionalOperator=operator)
    assert sks(page) == expected
    page = dynamodb.scan(TableName=lg_table, ScanFilter=qf if operator == "AND" else qf_or, ConditionalOperator=operator)
    assert sorted(sks(page)) == expected


def test_query_attributes_to_get(dynamodb, lg_table):
    # why: dynalite "only return requested attributes" (AttributesToGet): absent ones are left out.
    page = query(dynamodb, lg_table, {**HASH, "sk": cond("LE", S("beta"))}, AttributesToGet=["val", "tags"])
    assert page["Items"] == [{"val": N("1"), "tags": {"SS": ["x", "y"]}}, {"val": N("2")}]


def test_query_filter_with_limit_and_count(dynamodb, lg_table):
    # why: dynalite "Limit items if requested and QueryFilter" / "LastEvaluatedKey even if only Count is
    # selected and QueryFilter": Limit counts what was read.
    page = query(dynamodb, lg_table, HASH, QueryFilter={"tag": cond("CONTAINS", S("hello"))}, Limit=2, Select="COUNT")
    assert (page["Count"], page["ScannedCount"]) == (2, 2) and "Items" not in page
    assert page["LastEvaluatedKey"] == {"pk": S("legacy"), "sk": S("beta")}
    page = query(dynamodb, lg_table, HASH, QueryFilter={"val": cond("EQ", N("2"))}, Limit=3)
    assert (sks(page), page["ScannedCount"]) == (["beta"], 3)
