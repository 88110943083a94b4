"""test_key_condition_expression.py — Query's KeyConditionExpression: its grammar, the errors of each
way it can be wrong, and every operator on the range key (=, <, <=, >, >=, BETWEEN, begins_with)
for N, S and B keys, with the value on either side.

Order: validation, functionality (dynalite). Expected messages are real DynamoDB's: the
nubo-db/dynamodb-conformance suite (tests/tier1/query, tests/tier3/error-messages/query.test.ts) where
it pins them, else dynalite's test/query.js (recorded against DynamoDB). DynamoDB Local's different
words are given as `local=`. Ordering of whole partitions is test_query.py's; KeyConditions (legacy)
are test_query_filter.py's.
"""
import re
from decimal import Decimal

import pytest

import util
from util import raises

INVALID = "One or more parameter values were invalid: "
TYPE_MISMATCH = INVALID + "Condition parameter type does not match schema type"
NOT_SUPPORTED = "Query key condition not supported"
ONE_PER_KEY = "KeyConditionExpressions must only contain one condition per key"
LOCAL_MISSED = "Query condition missed key schema element"

NUMS = ["-1e10", "-5", "-0.5", "0", "0.001", "2", "10", "1e10"]
STRS = ["a", "ab", "abc", "abd", "b", "ba", "c"]
BINS = [b"\x00", b"\x01", b"\x01\x02", b"\x7f", b"\x80", b"\xfe", b"\xff", b"\xff\x00", b"\xff\xff"]


def S(value):
    return {"S": value}


def N(value):
    return {"N": value}


def B(value):
    return {"B": value}


@pytest.fixture(scope="module")
def n_table(dynamodb):
    """pk (S) + sk (N): partition 'p' holds NUMS, partition 'q' one item sk 0."""
    name = util.create_table(dynamodb, util.unique_name("kce-n"), [("pk", "S"), ("sk", "N")])
    util.put_items(dynamodb, name, [{"pk": S("p"), "sk": N(v)} for v in NUMS] + [{"pk": S("q"), "sk": N("0")}])
    yield name
    util.delete_table(dynamodb, name)


@pytest.fixture(scope="module")
def s_table(dynamodb):
    """pk (S) + sk (S): partition 'p' holds STRS."""
    name = util.create_table(dynamodb, util.unique_name("kce-s"), [("pk", "S"), ("sk", "S")])
    util.put_items(dynamodb, name, [{"pk": S("p"), "sk": S(v)} for v in STRS])
    yield name
    util.delete_table(dynamodb, name)


@pytest.fixture(scope="module")
def b_table(dynamodb):
    """pk (S) + sk (B): partition 'p' holds BINS."""
    name = util.create_table(dynamodb, util.unique_name("kce-b"), [("pk", "S"), ("sk", "B")])
    util.put_items(dynamodb, name, [{"pk": S("p"), "sk": B(v)} for v in BINS])
    yield name
    util.delete_table(dynamodb, name)


def query(dynamodb, table, expression, values, names=None, **params):
    """One Query (ConsistentRead, no paging needed for these small partitions)."""
    if names:
        params["ExpressionAttributeNames"] = names
    return dynamodb.query(TableName=table, KeyConditionExpression=expression, ExpressionAttributeValues=values,
                          ConsistentRead=True, **params)


def sks(page, kind):
    """The range keys of a page, as Decimals (N), str (S) or bytes (B)."""
    return [Decimal(i["sk"]["N"]) if kind == "N" else i["sk"][kind] for i in page["Items"]]


# =============================================================================================
# Validation
# =============================================================================================

def test_kce_empty(dynamodb, n_table):
    # why: conformance tier3 query "empty KeyConditionExpression" (exact text).
    with raises("ValidationException", "Invalid KeyConditionExpression: The expression can not be empty;"):
        dynamodb.query(TableName=n_table, KeyConditionExpression="", ExpressionAttributeValues={":v": S("val")})


@pytest.mark.parametrize("expression", ["pk = :p AND", "pk = :p sk = :p", "pk == :p", "(pk = :p", "pk = :p AND sk BETWEEN :p"])
def test_kce_syntax_error(dynamodb, n_table, expression):
    # why: dynalite "syntax errors in KeyConditionExpression" (/^Invalid KeyConditionExpression: Syntax error; /).
    with raises("ValidationException", re.compile(r"Invalid KeyConditionExpression: Syntax error; token: .*")):
        query(dynamodb, n_table, expression, {":p": S("p")})


@pytest.mark.parametrize("expression", ["((pk = :p))", "((pk = :p)) AND ((sk = :v))", "(((pk = :p) AND (sk = :v)))"])
def test_kce_redundant_parentheses(dynamodb, n_table, expression):
    # why: conformance tier3 query "redundant parentheses in KeyConditionExpression" (exact text); its
    # tier1 keyConditionParens notes that `((x)) AND ((y))` is refused the same way.
    values = {":p": S("p"), ":v": N("1")} if ":v" in expression else {":p": S("p")}
    with raises("ValidationException", "Invalid KeyConditionExpression: The expression has redundant parentheses;"):
        query(dynamodb, n_table, expression, values)


@pytest.mark.parametrize("expression", ["sk = :v", "attr1 = :v"], ids=["range-only", "non-key"])
def test_kce_missing_hash_key(dynamodb, n_table, expression):
    # why: conformance tier3 query "missing hash key" and "non-key attribute" (exact text names the key).
    with raises("ValidationException", "Query condition missed key schema element: pk", local=LOCAL_MISSED):
        query(dynamodb, n_table, expression, {":v": N("1")})


def test_kce_condition_on_non_key_attribute(dynamodb, n_table):
    # why: dynalite "missing range element": a second condition on another attribute names the range key.
    with raises("ValidationException", "Query condition missed key schema element: sk", local=LOCAL_MISSED):
        query(dynamodb, n_table, "pk = :p AND x = :v", {":p": S("p"), ":v": N("1")})


def test_kce_extra_condition_on_hash_only_table(dynamodb, table_s):
    # why: dynalite "querying with unsupported conditions": a hash-only table takes one condition.
    with raises("ValidationException", NOT_SUPPORTED):
        query(dynamodb, table_s, "pk = :p AND x = :p", {":p": S("p")})


@pytest.mark.parametrize("expression", ["pk > :p", "pk < :p", ":p <= pk", ":p >= pk", "begins_with(pk, :p)",
                                        "pk BETWEEN :p AND :p"])
def test_kce_hash_key_needs_equality(dynamodb, n_table, expression):
    # why: dynalite "querying with unsupported conditions": only = applies to the partition key.
    with raises("ValidationException", NOT_SUPPORTED):
        query(dynamodb, n_table, expression, {":p": S("p")})


@pytest.mark.parametrize("expression", ["pk = :p AND sk > :v AND sk < :v", "pk = :p AND pk = :p AND sk = :v"])
def test_kce_two_conditions_on_one_key(dynamodb, n_table, expression):
    # why: dynalite "multiple conditions per key".
    with raises("ValidationException", ONE_PER_KEY):
        query(dynamodb, n_table, expression, {":p": S("p"), ":v": N("1")})


@pytest.mark.parametrize("expression, operator", [
    ("pk = :p OR sk > :v", "OR"),
    ("NOT pk = :p", "NOT"),
    ("pk = :p AND sk <> :v", "<>"),
    ("pk = :p AND sk IN (:v)", "IN"),
    ("pk = :p AND attribute_exists(sk)", "attribute_exists"),
    ("pk = :p AND attribute_not_exists(sk)", "attribute_not_exists"),
    ("pk = :p AND contains(sk, :v)", "contains"),
    ("pk = :p AND attribute_type(sk, :t)", "attribute_type"),
])
def test_kce_invalid_operator(dynamodb, n_table, expression, operator):
    # why: dynalite "invalid operators" / "invalid operator": only =, <, <=, >, >=, BETWEEN, begins_with, AND.
    values = {":p": S("p"), ":v": N("1"), ":t": S("N")}
    values = {k: v for k, v in values.items() if k in expression}
    with raises("ValidationException", "Invalid operator used in KeyConditionExpression: " + operator):
        query(dynamodb, n_table, expression, values)


def test_kce_nested_operation(dynamodb, n_table):
    # why: dynalite "nested operations": size() cannot appear in a key condition.
    with raises("ValidationException", "KeyConditionExpressions cannot contain nested operations"):
        query(dynamodb, n_table, "pk = :p AND sk > size(x)", {":p": S("p")})


def test_kce_nested_attribute(dynamodb, n_table):
    # why: conformance tier1 query/keyConditionSemantics "rejects a nested path on a key attribute" and
    # dynalite "nested attributes" (real DynamoDB's words; DynamoDB Local gives the filter's words).
    with raises("ValidationException", "KeyConditionExpressions cannot have conditions on nested attributes",
                local="Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: sk"):
        query(dynamodb, n_table, "#pk = :p AND #sk.foo = :v", {":p": S("p"), ":v": S("x")},
              names={"#pk": "pk", "#sk": "sk"})


def test_kce_two_attribute_names_in_one_condition(dynamodb, n_table):
    # why: dynalite "multiple attribute names": a condition compares a key with a value, not an attribute.
    with raises("ValidationException",
                "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition"):
        query(dynamodb, n_table, "pk = :p AND sk > x", {":p": S("p")})


def test_kce_no_key_attribute(dynamodb, n_table):
    # why: dynalite "no key attribute": a condition between two values names no key.
    with raises("ValidationException", "Invalid condition in KeyConditionExpression: No key attribute specified"):
        query(dynamodb, n_table, ":p = :p", {":p": S("p")})


@pytest.mark.parametrize("expression, operator", [
    ("pk = :p AND begins_with(:s, sk)", "begins_with"),
    ("pk = :p AND :s BETWEEN sk AND :s", "BETWEEN"),
])
def test_kce_key_must_be_first_operand(dynamodb, s_table, expression, operator):
    # why: dynalite "no key attribute as first operator": BETWEEN and begins_with take the key first.
    with raises("ValidationException", f"Invalid condition in KeyConditionExpression: {operator} operator must "
                                       "have the key attribute as its first operand"):
        query(dynamodb, s_table, expression, {":p": S("p"), ":s": S("a")})


@pytest.mark.parametrize("expression, values", [
    ("pk = :p", {":p": N("1")}),
    ("pk = :p AND sk = :v", {":p": S("p"), ":v": S("1")}),
    ("pk = :p AND sk > :v", {":p": S("p"), ":v": B(b"1")}),
    (":v < sk AND pk = :p", {":p": S("p"), ":v": S("1")}),
    ("pk = :p AND sk BETWEEN :v AND :w", {":p": S("p"), ":v": S("1"), ":w": S("2")}),
], ids=["hash", "range-eq", "range-gt", "reversed", "between"])
def test_kce_value_type_differs_from_schema(dynamodb, n_table, expression, values):
    # why: dynalite "mismatching param type": a key value must have the key's type.
    with raises("ValidationException", TYPE_MISMATCH):
        query(dynamodb, n_table, expression, values)


def test_kce_begins_with_on_number_key(dynamodb, n_table):
    # why: begins_with takes S or B operands only (dynalite's operand-type rule, as for FilterExpression).
    with raises("ValidationException", "Invalid KeyConditionExpression: Incorrect operand type for operator or "
                                       "function; operator or function: begins_with, operand type: N"):
        query(dynamodb, n_table, "pk = :p AND begins_with(sk, :v)", {":p": S("p"), ":v": N("1")})


def test_kce_begins_with_string_on_number_key(dynamodb, n_table):
    # why: a string prefix on an N range key is a type mismatch with the schema.
    with raises("ValidationException", TYPE_MISMATCH):
        query(dynamodb, n_table, "pk = :p AND begins_with(sk, :v)", {":p": S("p"), ":v": S("1")})


def test_kce_between_bounds_of_different_types(dynamodb, n_table):
    # why: dynalite "KeyConditionExpression BETWEEN args have different types" (exact text).
    with raises("ValidationException", "Invalid KeyConditionExpression: The BETWEEN operator requires same data "
                                       "type for lower and upper bounds; lower bound operand: AttributeValue: {N:5}, "
                                       "upper bound operand: AttributeValue: {S:2}"):
        query(dynamodb, n_table, "pk = :p AND sk BETWEEN :a AND :b", {":p": S("p"), ":a": N("5"), ":b": S("2")})


@pytest.mark.parametrize("table, low, high, shown", [
    ("n_table", N("5"), N("2"), "{N:5}, upper bound operand: AttributeValue: {N:2}"),
    ("s_table", S("b"), S("a"), "{S:b}, upper bound operand: AttributeValue: {S:a}"),
], ids=["N", "S"])
def test_kce_between_bounds_reversed(dynamodb, request, table, low, high, shown):
    # why: dynalite "KeyConditionExpression BETWEEN args are in the incorrect order" (exact text).
    with raises("ValidationException", "Invalid KeyConditionExpression: The BETWEEN operator requires upper bound "
                                       "to be greater than or equal to lower bound; lower bound operand: "
                                       "AttributeValue: " + shown):
        query(dynamodb, request.getfixturevalue(table), "pk = :p AND sk BETWEEN :a AND :b",
              {":p": S("p"), ":a": low, ":b": high})


def test_kce_undefined_value(dynamodb, n_table):
    # why: an expression value the request does not define (the expression layer's standard text).
    with raises("ValidationException", "Invalid KeyConditionExpression: An expression attribute value used in "
                                       "expression is not defined; attribute value: :v"):
        query(dynamodb, n_table, "pk = :p AND sk = :v", {":p": S("p")})


def test_kce_undefined_name(dynamodb, n_table):
    # why: an expression name the request does not define.
    with raises("ValidationException", "Invalid KeyConditionExpression: An expression attribute name used in the "
                                       "document path is not defined; attribute name: #k"):
        query(dynamodb, n_table, "#k = :p", {":p": S("p")})


def test_kce_unused_name(dynamodb, n_table):
    # why: conformance tier3 query "unused ExpressionAttributeNames" (exact text, no envelope).
    with raises("ValidationException", "Value provided in ExpressionAttributeNames unused in expressions: keys: {#unused}"):
        query(dynamodb, n_table, "pk = :p", {":p": S("p")}, names={"#unused": "someattr"})


def test_kce_unused_value(dynamodb, n_table):
    # why: a value no expression uses is refused like an unused name.
    with raises("ValidationException", "Value provided in ExpressionAttributeValues unused in expressions: keys: {:q}"):
        query(dynamodb, n_table, "pk = :p", {":p": S("p"), ":q": S("q")})


def test_kce_reserved_word(dynamodb, n_table):
    # why: reserved words need a #name in key conditions too.
    with raises("ValidationException", "Invalid KeyConditionExpression: Attribute name is a reserved keyword; "
                                       "reserved keyword: name"):
        query(dynamodb, n_table, "pk = :p AND name = :p", {":p": S("p")})


# =============================================================================================
# Functionality
# =============================================================================================

def D(values):
    return [Decimal(v) for v in values]


@pytest.mark.parametrize("condition, expected", [
    ("sk = :v", ["0.001"]),
    ("sk < :v", ["-1e10", "-5", "-0.5", "0"]),
    ("sk <= :v", ["-1e10", "-5", "-0.5", "0", "0.001"]),
    ("sk > :v", ["2", "10", "1e10"]),
    ("sk >= :v", ["0.001", "2", "10", "1e10"]),
], ids=["eq", "lt", "le", "gt", "ge"])
def test_kce_comparison_on_number_range_key(dynamodb, n_table, condition, expected):
    # why: each comparison on an N range key selects by numeric value, in ascending order.
    page = query(dynamodb, n_table, "pk = :p AND " + condition, {":p": S("p"), ":v": N("0.001")})
    assert sks(page, "N") == D(expected)
    assert page["Count"] == page["ScannedCount"] == len(expected)


@pytest.mark.parametrize("condition, expected", [
    (":v = sk", ["-5"]),
    (":v > sk", ["-1e10"]),
    (":v >= sk", ["-1e10", "-5"]),
    (":v < sk", ["-0.5", "0", "0.001", "2", "10", "1e10"]),
    (":v <= sk", ["-5", "-0.5", "0", "0.001", "2", "10", "1e10"]),
], ids=["eq", "gt", "ge", "lt", "le"])
def test_kce_value_on_the_left(dynamodb, n_table, condition, expected):
    # why: conformance tier1 keyConditionSemantics "accepts a reversed-operand sort-key comparison":
    # ':v > sk' means 'sk < :v'.
    page = query(dynamodb, n_table, condition + " AND pk = :p", {":p": S("p"), ":v": N("-5")})
    assert sks(page, "N") == D(expected)


@pytest.mark.parametrize("low, high, expected", [
    ("-5", "2", ["-5", "-0.5", "0", "0.001", "2"]),
    ("0", "0", ["0"]),
    ("-1e11", "1e11", NUMS),
    ("3", "9", []),
    ("-0.6", "-0.4", ["-0.5"]),
], ids=["span", "equal-bounds", "all", "empty-gap", "narrow"])
def test_kce_between_on_number_range_key(dynamodb, n_table, low, high, expected):
    # why: BETWEEN includes both bounds, numerically.
    page = query(dynamodb, n_table, "pk = :p AND sk BETWEEN :a AND :b", {":p": S("p"), ":a": N(low), ":b": N(high)})
    assert sks(page, "N") == D(expected)


def test_kce_hash_key_alone(dynamodb, n_table):
    # why: equality on the hash key alone returns that partition only.
    assert sks(query(dynamodb, n_table, "pk = :p", {":p": S("q")}), "N") == [0]


def test_kce_hash_key_not_present(dynamodb, n_table):
    # why: a partition with no items is an empty answer, not an error.
    page = query(dynamodb, n_table, "pk = :p AND sk > :v", {":p": S("nobody"), ":v": N("0")})
    assert (page["Items"], page["Count"], page["ScannedCount"]) == ([], 0, 0)
    assert "LastEvaluatedKey" not in page


@pytest.mark.parametrize("expression", [
    "(pk = :p) AND (sk = :v)",
    "(pk = :p AND sk = :v)",
    "(pk = :p AND (sk = :v))",
    "sk = :v AND pk = :p",
    "#h = :p AND #r = :v",
], ids=["each", "whole", "nested", "range-first", "names"])
def test_kce_forms(dynamodb, n_table, expression):
    # why: conformance tier1 query/keyConditionParens (latest: one level of nesting is accepted),
    # either order, #names.
    names = {"#h": "pk", "#r": "sk"} if "#" in expression else None
    assert sks(query(dynamodb, n_table, expression, {":p": S("p"), ":v": N("2")}, names=names), "N") == [2]


def test_kce_names_for_reserved_words(dynamodb, new_table):
    # why: key attributes named with reserved words are usable through #names.
    name = new_table([("name", "S"), ("date", "N")])
    util.put_items(dynamodb, name, [{"name": S("x"), "date": N(str(i))} for i in range(3)])
    page = query(dynamodb, name, "#n = :n AND #d > :d", {":n": S("x"), ":d": N("0")},
                 names={"#n": "name", "#d": "date"})
    assert [i["date"]["N"] for i in page["Items"]] == ["1", "2"]


@pytest.mark.parametrize("condition, values, expected", [
    ("begins_with(sk, :v)", {":v": S("ab")}, ["ab", "abc", "abd"]),
    ("begins_with(sk, :v)", {":v": S("abc")}, ["abc"]),
    ("begins_with(sk, :v)", {":v": S("z")}, []),
    ("sk BETWEEN :v AND :w", {":v": S("ab"), ":w": S("b")}, ["ab", "abc", "abd", "b"]),
    ("sk > :v", {":v": S("abc")}, ["abd", "b", "ba", "c"]),
    ("sk < :v", {":v": S("b")}, ["a", "ab", "abc", "abd"]),
    ("sk >= :v", {":v": S("b")}, ["b", "ba", "c"]),
    ("sk <= :v", {":v": S("ab")}, ["a", "ab"]),
], ids=["bw-ab", "bw-exact", "bw-none", "between", "gt", "lt", "ge", "le"])
def test_kce_on_string_range_key(dynamodb, s_table, condition, values, expected):
    # why: S range keys compare by bytes; a prefix sorts before its extensions; begins_with selects
    # the whole run of keys starting with the prefix.
    page = query(dynamodb, s_table, "pk = :p AND " + condition, {":p": S("p"), **values})
    assert sks(page, "S") == expected


@pytest.mark.parametrize("condition, values, expected", [
    ("begins_with(sk, :v)", {":v": B(b"\x01")}, [b"\x01", b"\x01\x02"]),
    ("begins_with(sk, :v)", {":v": B(b"\xff")}, [b"\xff", b"\xff\x00", b"\xff\xff"]),
    ("begins_with(sk, :v)", {":v": B(b"\xff\xff")}, [b"\xff\xff"]),
    ("sk > :v", {":v": B(b"\x7f")}, [b"\x80", b"\xfe", b"\xff", b"\xff\x00", b"\xff\xff"]),
    ("sk < :v", {":v": B(b"\x01\x02")}, [b"\x00", b"\x01"]),
    ("sk BETWEEN :v AND :w", {":v": B(b"\x01"), ":w": B(b"\x80")}, [b"\x01", b"\x01\x02", b"\x7f", b"\x80"]),
    ("sk = :v", {":v": B(b"\x00")}, [b"\x00"]),
], ids=["bw-01", "bw-ff", "bw-ffff", "gt-unsigned", "lt", "between", "eq-zero-byte"])
def test_kce_on_binary_range_key(dynamodb, b_table, condition, values, expected):
    # why: B range keys compare as unsigned bytes (0x80 above 0x7f); begins_with works on B, including
    # prefixes of 0xff bytes whose successor cannot be formed by incrementing the last byte.
    page = query(dynamodb, b_table, "pk = :p AND " + condition, {":p": S("p"), **values})
    assert sks(page, "B") == expected


def test_kce_multibyte_begins_with(dynamodb, new_table):
    # why: begins_with on strings with multi-byte UTF-8 characters matches whole characters' bytes.
    name = new_table([("pk", "S"), ("sk", "S")])
    keys = ["é", "éa", "é\U0001d11e", "e", "ê", "\U0001d11e"]
    util.put_items(dynamodb, name, [{"pk": S("p"), "sk": S(k)} for k in keys])
    page = query(dynamodb, name, "pk = :p AND begins_with(sk, :v)", {":p": S("p"), ":v": S("é")})
    assert sks(page, "S") == ["é", "éa", "é\U0001d11e"]
    page = query(dynamodb, name, "pk = :p AND sk > :v", {":p": S("p"), ":v": S("\uffff")})
    assert sks(page, "S") == ["\U0001d11e"]


@pytest.mark.parametrize("condition", ["sk < :v", "sk >= :v", "sk BETWEEN :v AND :w", "begins_with(sk, :b)"])
def test_kce_range_condition_descending(dynamodb, s_table, condition):
    # why: every range condition also reads backwards with ScanIndexForward=false.
    values = {":p": S("p"), ":v": S("ab"), ":w": S("b"), ":b": S("ab")}
    values = {k: v for k, v in values.items() if k in condition or k == ":p"}
    forward = sks(query(dynamodb, s_table, "pk = :p AND " + condition, values), "S")
    backward = sks(query(dynamodb, s_table, "pk = :p AND " + condition, values, ScanIndexForward=False), "S")
    assert forward and backward == forward[::-1]
