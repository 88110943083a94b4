"""test_projection_expression.py — ProjectionExpression on GetItem: top-level and nested paths, list
elements, paths that do not exist, #name placeholders, reserved words, overlapping and conflicting
paths, syntax errors and the limits.

Ground truth is real DynamoDB: nubo-db/dynamodb-conformance (tests/tier1/getItem/projection*,
tests/tier3/error-messages/getItem, tests/tier3/limits/reservedWords) and Alternator's
test_projection_expression.py (run against DynamoDB); behaviour cross-checked with DynamoDB Local.
GetItem is a read: its validation errors carry no "1 validation error detected: " envelope in any
capture, so messages are pinned exactly.

Order: serialization, validation, functionality (dynalite).
"""
import re

import pytest

import util
from util import raises

OVERLAP = ("Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of "
           "these paths; path one: {}, path two: {}")
CONFLICT = ("Invalid ProjectionExpression: Two document paths conflict with each other; must remove or rewrite one "
            "of these paths; path one: {}, path two: {}")


def S(value):
    return {"S": value}


def N(value):
    return {"N": value}


def L(*values):
    return {"L": list(values)}


def M(**values):
    return {"M": values}


ITEM = {
    "a": M(b=L(N("2"), N("4"), M(x=S("hi"), y=S("yo"))), c=N("5")),
    "b": S("hello"),
    "a.b": S("dotted"),
    "status": S("on"),
    "l": L(S("l0"), S("l1"), S("l2"), L(S("n0"), S("n1"))),
    "s": {"SS": ["x", "y"]},
}


@pytest.fixture(scope="module")
def key(dynamodb, table_s):
    """The key of one item with nested maps and lists (unique to this module)."""
    value = {"pk": S(util.unique_key("proj"))}
    dynamodb.put_item(TableName=table_s, Item={**value, **ITEM})
    return value


def project(dynamodb, table, key, expression, names=None):
    params = {"ExpressionAttributeNames": names} if names else {}
    return dynamodb.get_item(TableName=table, Key=key, ProjectionExpression=expression, ConsistentRead=True, **params)


# =============================================================================================
# Serialization
# =============================================================================================

@pytest.mark.local_differs("DynamoDB Local coerces true to the text 'true'")
def test_projection_not_a_string(url, table_s):
    # why: ProjectionExpression is a string; a JSON boolean is refused while parsing.
    status, _, body, raw = util.raw_request(url, target="DynamoDB_20120810.GetItem", body={
        "TableName": table_s, "Key": {"pk": S("a")}, "ProjectionExpression": True})
    assert (status, util.error_of(body)) == (400, ("SerializationException", "TRUE_VALUE cannot be converted to String")), raw


# =============================================================================================
# Validation
# =============================================================================================

@pytest.mark.parametrize("expression, token, near", [
    ("!!! INVALID !!!", "!", "!!"),          # the conformance suite's exact case
    ("a,", "<EOF>", ","), (",a", ",", ",a"), ("a,,b", ",", ",,b"), (":v", ":v", ":v"),
    ("size(a)", "(", "size(a"), ("a.b[-1]", "-", "[-1"), ("a b", "b", "a b"), ("a.", "<EOF>", "."),
    ("a[]", "]", "[]"), ("a[x]", "x", "[x]"), ("#", "#", "#"),
])
def test_syntax_error(dynamodb, table_s, expression, token, near):
    # why: a projection is a comma-separated list of paths, nothing else.
    with raises("ValidationException", f'Invalid ProjectionExpression: Syntax error; token: "{token}", near: "{near}"'):
        project(dynamodb, table_s, {"pk": S("a")}, expression)


def test_empty_projection(dynamodb, table_s):
    # why: an empty projection is refused (Alternator test_projection_expression_toplevel_syntax).
    with raises("ValidationException", "Invalid ProjectionExpression: The expression can not be empty;"):
        project(dynamodb, table_s, {"pk": S("a")}, "")


@pytest.mark.parametrize("expression, one, two", [
    ("a, a", "[a]", "[a]"), ("a.b, a.b", "[a, b]", "[a, b]"), ("a[1], a[1]", "[a, [1]]", "[a, [1]]"),
    ("a, a.b", "[a]", "[a, b]"), ("a.b, a", "[a, b]", "[a]"), ("a.b, a.b[2]", "[a, b]", "[a, b, [2]]"),
    ("a, a.b[2].c", "[a]", "[a, b, [2], c]"), ("a.b.d.e, a.b", "[a, b, d, e]", "[a, b]"),
    ("#a, #a.#b", "[a]", "[a, b]"), ("#a, a", "[a]", "[a]"),
])
def test_overlapping_paths(dynamodb, table_s, expression, one, two):
    # why: a path may not repeat or contain another, judged on the resolved paths, item or not
    # (conformance getItem/projectionValidation; Alternator test_projection_expression_path_overlap).
    names = {k: v for k, v in {"#a": "a", "#b": "b"}.items() if k in expression}
    with raises("ValidationException", OVERLAP.format(one, two)):
        project(dynamodb, table_s, {"pk": S("a")}, expression, names)


@pytest.mark.parametrize("expression, one, two", [
    ("a.b, a[1]", "[a, b]", "[a, [1]]"), ("a[1], a.b", "[a, [1]]", "[a, b]"), ("a.b.c, a.b[2]", "[a, b, c]", "[a, b, [2]]"),
])
def test_conflicting_paths(dynamodb, table_s, expression, one, two):
    # why: a path cannot treat the same attribute as both a map and a list.
    with raises("ValidationException", CONFLICT.format(one, two)):
        project(dynamodb, table_s, {"pk": S("a")}, expression)


@pytest.mark.parametrize("expression, word", [("status", "status"), ("pk, status", "status"), ("a.status", "status"),
                                              ("Name", "Name"), ("l[0].data", "data")])
def test_reserved_word(dynamodb, table_s, expression, word):
    # why: reserved words must be aliased in projections too (conformance limits/reservedWords).
    with raises("ValidationException", f"Invalid ProjectionExpression: Attribute name is a reserved keyword; "
                                       f"reserved keyword: {word}"):
        project(dynamodb, table_s, {"pk": S("a")}, expression)


def test_undefined_name(dynamodb, table_s):
    # why: every #name used must be defined.
    with raises("ValidationException", "Invalid ProjectionExpression: An expression attribute name used in the "
                                       "document path is not defined; attribute name: #n2"):
        project(dynamodb, table_s, {"pk": S("a")}, "a.#n2", {"#wrong": "b"})


def test_unused_name(dynamodb, table_s):
    # why: every #name given must be used.
    with raises("ValidationException", "Value provided in ExpressionAttributeNames unused in expressions: "
                                       "keys: {#unused}"):
        project(dynamodb, table_s, {"pk": S("a")}, "#n", {"#n": "a", "#unused": "b"})


def test_names_without_projection(dynamodb, table_s):
    # why: names need an expression to be used in.
    with raises("ValidationException", "ExpressionAttributeNames can only be specified when using expressions"):
        dynamodb.get_item(TableName=table_s, Key={"pk": S("a")}, ExpressionAttributeNames={"#a": "a"})


def test_projection_with_attributes_to_get(dynamodb, table_s):
    # why: the legacy parameter and the expression do not mix.
    with raises("ValidationException", "Can not use both expression and non-expression parameters in the same "
                                       "request: Non-expression parameters: {AttributesToGet} Expression "
                                       "parameters: {ProjectionExpression}"):
        dynamodb.get_item(TableName=table_s, Key={"pk": S("a")}, ProjectionExpression="a", AttributesToGet=["a"])


@pytest.mark.parametrize("index", ["99999999999", "4294967296"])
def test_list_index_out_of_range(dynamodb, table_s, index):
    # why: a list index must fit DynamoDB's integer range.
    with raises("ValidationException", f"Invalid ProjectionExpression: List index is not within the allowable range; "
                                       f"index: [{index}]"):
        project(dynamodb, table_s, {"pk": S("a")}, f"a.b[{index}]")


@pytest.mark.parametrize("path", ["a" + ".b" * 32, "a" + "[0]" * 32], ids=["map", "list"])
def test_path_too_deep(dynamodb, table_s, path):
    # why: a path has at most 32 levels (Alternator test_projection_expression_path_nesting_levels,
    # against DynamoDB: "The document path has too many nesting levels; nesting levels: 33").
    with raises("ValidationException", "Invalid ProjectionExpression: The document path has too many nesting levels; "
                                       "nesting levels: 33"):
        project(dynamodb, table_s, {"pk": S("a")}, path)


def test_path_at_depth_limit(dynamodb, table_s):
    # why: 32 levels are allowed.
    assert "Item" not in project(dynamodb, table_s, {"pk": S(util.unique_key())}, "a" + ".b" * 31)


def test_projection_too_long(dynamodb, table_s):
    # why: projections are at most 4 KB; whether the size is printed varies (see
    # test_condition_expression.py), so that part floats.
    expression = ", ".join(f"a{i:04}" for i in range(700))   # 4,198 characters
    pattern = re.compile(r"Invalid ProjectionExpression: Expression size has exceeded the maximum allowed size;"
                         rf"(?: expression size: {len(expression)})?")
    with raises("ValidationException", pattern):
        project(dynamodb, table_s, {"pk": S("a")}, expression)


# =============================================================================================
# Functionality
# =============================================================================================

@pytest.mark.parametrize("expression, expected", [
    ("b", {"b": S("hello")}),
    ("pk, b", "key+b"),
    ("a", {"a": ITEM["a"]}),
    ("a.c", {"a": M(c=N("5"))}),
    ("a.b", {"a": M(b=ITEM["a"]["M"]["b"])}),
    ("a.b[0]", {"a": M(b=L(N("2")))}),
    ("a.b[2].y", {"a": M(b=L(M(y=S("yo"))))}),
    ("a.b[2].x, a.b[2].y", {"a": M(b=L(M(x=S("hi"), y=S("yo"))))}),
    ("l[2], l[0]", {"l": L(S("l0"), S("l2"))}),                       # compacted, in index order
    ("l[3][1]", {"l": L(L(S("n1")))}),
    ("a.b[0], a.c", {"a": M(b=L(N("2")), c=N("5"))}),
    ("a.c, b", {"a": M(c=N("5")), "b": S("hello")}),
    ("s", {"s": {"SS": ["x", "y"]}}),
    (" a.c ,   b ", {"a": M(c=N("5")), "b": S("hello")}),
])
def test_paths(dynamodb, table_s, key, expression, expected):
    # why: nested paths keep their structure, list elements come back as a compacted list in index
    # order, several paths merge into one item (conformance getItem/projection; Alternator).
    if expected == "key+b":
        expected = {**key, "b": S("hello")}
    got = project(dynamodb, table_s, key, expression)["Item"]
    if "s" in got:
        got["s"]["SS"].sort()
    assert got == expected


@pytest.mark.parametrize("expression", ["x", "a.b[3]", "a.x", "a.x.y", "a.b[3].x", "a.b.x", "a[0]", "a.b[0].x",
                                        "a.b[0][0]", "b.c", "b[0]", "s[0]"])
def test_missing_paths_give_empty_item(dynamodb, table_s, key, expression):
    # why: a path that does not exist in the item (or goes through a value of another kind) is left
    # out; an item with none of them is an empty Item, not a missing one.
    assert project(dynamodb, table_s, key, expression) ["Item"] == {}


def test_missing_paths_ignored_among_others(dynamodb, table_s, key):
    # why: paths that exist are returned even when others in the list do not.
    assert project(dynamodb, table_s, key, "a.x, a.b[0], x, a.b[3].x")["Item"] == {"a": M(b=L(N("2")))}


def test_missing_item(dynamodb, table_s):
    # why: a projection of an item that does not exist returns no Item at all.
    assert "Item" not in project(dynamodb, table_s, {"pk": S(util.unique_key())}, "a, b")


@pytest.mark.parametrize("expression, names, expected", [
    ("#n1.b[0]", {"#n1": "a"}, {"a": M(b=L(N("2")))}),
    ("a.#n2", {"#n2": "c"}, {"a": M(c=N("5"))}),
    ("#n1.#n2", {"#n1": "a", "#n2": "c"}, {"a": M(c=N("5"))}),
    ("#d", {"#d": "a.b"}, {"a.b": S("dotted")}),                     # one component, dot and all
    ("#s", {"#s": "status"}, {"status": S("on")}),                   # reserved word behind a name
    ("#l[1]", {"#l": "l"}, {"l": L(S("l1"))}),
])
def test_name_placeholders(dynamodb, table_s, key, expression, names, expected):
    # why: each #name is exactly one path component (Alternator test_projection_expression_path_dot).
    assert project(dynamodb, table_s, key, expression, names)["Item"] == expected


def test_non_overlapping_siblings(dynamodb, table_s):
    # why: common prefixes are not overlaps (Alternator's negative cases), item or not.
    for expression in ("a, b", "a.b, a.c", "a.b.d, a.b.e", "a[1], a[2]", "a.b, a.c[2]"):
        assert "Item" not in project(dynamodb, table_s, {"pk": S(util.unique_key())}, expression)


def test_projection_on_range_key_table(dynamodb, table_sn):
    # why: key attributes are returned only when projected, on composite keys too.
    key = {"pk": S(util.unique_key()), "sk": N("3")}
    dynamodb.put_item(TableName=table_sn, Item={**key, "v": M(w=S("x"))})
    assert project(dynamodb, table_sn, key, "sk, v.w")["Item"] == {"sk": N("3"), "v": M(w=S("x"))}
