"""test_filter_expression.py — FilterExpression of Query and Scan: every comparator and function on
items of every attribute type (absent attributes, other types, nested paths, sets, lists, maps, sizes
in UTF-16 code units), the logical operators and their precedence, the errors of the expression and of
its ExpressionAttributeNames/Values, and the key attributes a filter may not touch.

Order: validation, functionality (dynalite). Expected messages are real DynamoDB's: the
nubo-db/dynamodb-conformance suite where it pins them (tests/tier1/query/expressions.test.ts,
tests/tier1/scan/filter*.test.ts, tests/tier3/error-messages/{query,scan}.test.ts), else dynalite's
test/scan.js and test/query.js (recorded against DynamoDB). DynamoDB Local's different words are
`local=`. The functional tests run each filter through Query (one partition) and Scan (the same items
are the whole table) and expect the same answer. Count/ScannedCount and paging with filters are
test_query.py's and test_scan.py's; the legacy QueryFilter/ScanFilter test_query_filter.py's.
"""
import re

import pytest

import util
from util import raises

ONE = "1 validation error detected: "
KEY_SCALAR = "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: "
NOT_PRIMARY = "Filter Expression can only contain non-primary key attributes: Primary key attribute: "


def S(value):
    return {"S": value}


def N(value):
    return {"N": value}


def L(*values):
    return {"L": list(values)}


def M(**values):
    return {"M": values}


ITEMS = {
    1: {"name": S("alice"), "age": N("30"), "tags": {"SS": ["admin", "user"]}, "m": M(nested=S("deep"), n=N("1")),
        "l": L(S("first"), S("second")), "b": {"B": b"\x01\x02\x03"}, "flag": {"BOOL": True}, "nul": {"NULL": True}},
    2: {"name": S("bob"), "age": N("25"), "tags": {"SS": ["user"]}, "m": M(nested=S("other")),
        "l": L(S("alpha"), S("beta")), "flag": {"BOOL": False}},
    3: {"name": S("carol"), "age": N("35"), "tags": {"SS": ["admin", "manager"]}, "m": M(nested=S("deep")),
        "l": L(S("first"), S("gamma")), "nums": {"NS": ["1", "2", "3"]}},
    4: {"name": S("dave"), "age": N("28"), "tags": {"SS": ["viewer"]},
        "m": M(nested=S("v0"), k1=S("v1"), k2=S("v2"), k3=S("v3")), "l": L(S("x"), S("y"), S("z"), S("w")),
        "b": {"B": b"\x01\x02\x03\x04\x05"}, "bins": {"BS": [b"\x01", b"\x02"]}},
    5: {"name": S("\u00e9\U0001d11e"), "age": S("40")},
    6: {"other": S("x")},
    7: {"name": S("Alice"), "age": N("-1"), "l": L(L(S("deep")), M(k=N("7")))},
    8: {"name": S("a"), "age": N("0"), "l": L(), "m": M(), "flag": {"BOOL": True}},
}
ALL = sorted(ITEMS)


@pytest.fixture(scope="module")
def f_table(dynamodb):
    """pk (S) + sk (N): ITEMS in partition 'f', and nothing else (so Scan sees the same items)."""
    name = util.create_table(dynamodb, util.unique_name("filter"), [("pk", "S"), ("sk", "N")])
    util.put_items(dynamodb, name, [{"pk": S("f"), "sk": N(str(k)), **v} for k, v in ITEMS.items()])
    yield name
    util.delete_table(dynamodb, name)


@pytest.fixture(params=["query", "scan"])
def matching(request, dynamodb, f_table):
    """matching(expression, values, names) -> sorted sk of the items the filter keeps, by Query or Scan;
    checks that ScannedCount is every item."""
    def run(expression, values=None, names=None):
        params = {"FilterExpression": expression, "ConsistentRead": True}
        if names:
            params["ExpressionAttributeNames"] = names
        if request.param == "query":
            page = dynamodb.query(TableName=f_table, KeyConditionExpression="pk = :pk",
                                  ExpressionAttributeValues={":pk": S("f"), **(values or {})}, **params)
        else:
            if values:
                params["ExpressionAttributeValues"] = values
            page = dynamodb.scan(TableName=f_table, **params)
        assert page["ScannedCount"] == len(ITEMS) and page["Count"] == len(page["Items"])
        return sorted(int(i["sk"]["N"]) for i in page["Items"])
    return run


def scan(dynamodb, table, expression, values=None, names=None):
    params = {"FilterExpression": expression}
    if values is not None:
        params["ExpressionAttributeValues"] = values
    if names is not None:
        params["ExpressionAttributeNames"] = names
    return dynamodb.scan(TableName=table, **params)


# =============================================================================================
# Validation
# =============================================================================================

def test_filter_empty(dynamodb, f_table):
    # why: dynalite "empty FilterExpression".
    with raises("ValidationException", "Invalid FilterExpression: The expression can not be empty;"):
        scan(dynamodb, f_table, "")


def test_filter_empty_in_query(dynamodb, f_table):
    # why: the same check on Query's filter.
    with raises("ValidationException", "Invalid FilterExpression: The expression can not be empty;"):
        dynamodb.query(TableName=f_table, KeyConditionExpression="pk = :p", FilterExpression="",
                       ExpressionAttributeValues={":p": S("f")})


@pytest.mark.parametrize("expression", ["things are not gonna be ok", "a > 4", "a in b, c", "a in (b,c,)",
                                        "size(a).b > a", "ü > a", "a > between"])
def test_filter_syntax_error(dynamodb, f_table, expression):
    # why: dynalite "syntax errors" (/^Invalid FilterExpression: Syntax error; /).
    with raises("ValidationException", re.compile(r"Invalid FilterExpression: Syntax error; token: .*")):
        scan(dynamodb, f_table, expression)


@pytest.mark.parametrize("expression", ["((#a = :v))", "a = :v AND ((b = :v))", "(((a = :v)) OR b = :v)"])
def test_filter_redundant_parentheses(dynamodb, f_table, expression):
    # why: conformance tier3 scan "redundant parentheses in FilterExpression" (exact text).
    names = {"#a": "data"} if "#a" in expression else None
    with raises("ValidationException", "Invalid FilterExpression: The expression has redundant parentheses;"):
        scan(dynamodb, f_table, expression, {":v": S("x")}, names)


def test_filter_undefined_name(dynamodb, f_table):
    # why: conformance tier3 query "filter references undefined ExpressionAttributeNames" (exact text).
    with raises("ValidationException", "Invalid FilterExpression: An expression attribute name used in the document "
                                       "path is not defined; attribute name: #missing"):
        dynamodb.query(TableName=f_table, KeyConditionExpression="pk = :pk", FilterExpression="#missing = :fv",
                       ExpressionAttributeValues={":pk": S("val"), ":fv": S("x")})


def test_filter_undefined_value(dynamodb, f_table):
    # why: dynalite "missing attribute values".
    with raises("ValidationException", "Invalid FilterExpression: An expression attribute value used in expression "
                                       "is not defined; attribute value: :b"):
        scan(dynamodb, f_table, "a < :b", {":a": S("x")})


def test_filter_unused_value(dynamodb, f_table):
    # why: a value no expression uses is refused.
    with raises("ValidationException", "Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}"):
        scan(dynamodb, f_table, "age = :v", {":v": N("30"), ":w": N("1")})


def test_filter_unused_name(dynamodb, f_table):
    # why: a name no expression uses is refused (conformance tier3 query's text).
    with raises("ValidationException", "Value provided in ExpressionAttributeNames unused in expressions: keys: {#u}"):
        scan(dynamodb, f_table, "age = :v", {":v": N("30")}, {"#u": "x"})


def test_filter_names_without_expression(dynamodb, f_table):
    # why: dynalite "ExpressionAttributeNames but no FilterExpression".
    with raises("ValidationException", "ExpressionAttributeNames can only be specified when using expressions"):
        dynamodb.scan(TableName=f_table, ExpressionAttributeNames={"#a": "a"})


def test_filter_values_without_expression(dynamodb, f_table):
    # why: dynalite "ExpressionAttributeValues but no FilterExpression".
    with raises("ValidationException", "ExpressionAttributeValues can only be specified when using expressions: "
                                       "FilterExpression is null"):
        dynamodb.scan(TableName=f_table, ExpressionAttributeValues={":a": S("a")})


@pytest.mark.parametrize("values, names, message", [
    ({}, None, "ExpressionAttributeValues must not be empty"),
    ({":v": S("x")}, {}, "ExpressionAttributeNames must not be empty"),
    ({"v": S("x")}, None, 'ExpressionAttributeValues contains invalid key: Syntax error; key: "v"'),
    ({":v": S("x")}, {"a": "x"}, 'ExpressionAttributeNames contains invalid key: Syntax error; key: "a"'),
], ids=["empty-values", "empty-names", "bad-value-key", "bad-name-key"])
def test_filter_bad_names_or_values(dynamodb, f_table, values, names, message):
    # why: dynalite "empty/invalid ExpressionAttributeNames/Values".
    with raises("ValidationException", message):
        scan(dynamodb, f_table, "a = :v", values, names)


@pytest.mark.parametrize("expression, function", [("a = a and whatever((:v)) > a", "whatever"),
                                                  ("attRIbute_exIsts(a)", "attRIbute_exIsts")])
def test_filter_invalid_function(dynamodb, f_table, expression, function):
    # why: dynalite "invalid function names" (function names are case-sensitive).
    with raises("ValidationException", "Invalid FilterExpression: Invalid function name; function: " + function):
        scan(dynamodb, f_table, expression, {":v": S("x")} if ":v" in expression else None)


@pytest.mark.parametrize("expression, function, count", [
    ("attribute_exists(a, b)", "attribute_exists", 2),
    ("attribute_type(a)", "attribute_type", 1),
    ("begins_with(a)", "begins_with", 1),
    ("contains(a)", "contains", 1),
    ("size(a, b) > c", "size", 2),
])
def test_filter_function_operand_count(dynamodb, f_table, expression, function, count):
    # why: dynalite "functions with incorrect operands".
    with raises("ValidationException", "Invalid FilterExpression: Incorrect number of operands for operator or "
                                       f"function; operator or function: {function}, number of operands: {count}"):
        scan(dynamodb, f_table, expression)


@pytest.mark.parametrize("expression, value", [
    ("begins_with(#a, :n)", N("1")),
    ("begins_with(#a, :n)", {"BOOL": True}),
    ("attribute_type(#a, :n)", N("1")),
    ("size(:n) > #a", {"NULL": True}),
])
def test_filter_function_operand_type(dynamodb, f_table, expression, value):
    # why: conformance tier3 scan "begins_with with non-string operand" (exact text), dynalite "functions
    # with incorrect operand type".
    function = expression.split("(")[0]
    with raises("ValidationException", "Invalid FilterExpression: Incorrect operand type for operator or function; "
                                       f"operator or function: {function}, operand type: {list(value)[0]}"):
        scan(dynamodb, f_table, expression, {":n": value}, {"#a": "data"})


def test_filter_attribute_type_unknown(dynamodb, f_table):
    # why: dynalite "attribute_type with incorrect value" (the list of types in any order).
    with raises("ValidationException", re.compile(r"Invalid FilterExpression: Invalid attribute type name found; "
                                                  r"type: X, valid types: \{((B|NULL|SS|BOOL|L|BS|N|NS|S|M),?){10}\}")):
        scan(dynamodb, f_table, "attribute_type(age, :t)", {":t": S("X")})


def test_filter_function_needs_a_path(dynamodb, f_table):
    # why: dynalite "functions with attr values instead of paths".
    with raises("ValidationException", "Invalid FilterExpression: Operator or function requires a document path; "
                                       "operator or function: attribute_exists"):
        scan(dynamodb, f_table, "attribute_exists(:a)", {":a": S("1")})


@pytest.mark.parametrize("expression, operator, operand", [
    ("a = a", "=", "[a]"),
    ("#a <> a", "<>", "[a]"),
    ("contains(ab.bc[1].a, ab.bc[1].#a)", "contains", "[ab, bc, [1], a]"),
])
def test_filter_operands_not_distinct(dynamodb, f_table, expression, operator, operand):
    # why: dynalite "non-distinct expressions".
    names = {"#a": "a"} if "#a" in expression else None
    with raises("ValidationException", "Invalid FilterExpression: The first operand must be distinct from the "
                                       f"remaining operands for this operator or function; operator: {operator}, "
                                       f"first operand: {operand}"):
        scan(dynamodb, f_table, expression, None, names)


def test_filter_reserved_word(dynamodb, f_table):
    # why: dynalite "reserved keywords".
    with raises("ValidationException", "Invalid FilterExpression: Attribute name is a reserved keyword; "
                                       "reserved keyword: name"):
        scan(dynamodb, f_table, "name = :v", {":v": S("x")})


def test_filter_between_bounds_reversed(dynamodb, f_table):
    # why: BETWEEN refuses a lower bound above the upper one in a filter as in a key condition.
    with raises("ValidationException", "Invalid FilterExpression: The BETWEEN operator requires upper bound to be "
                                       "greater than or equal to lower bound; lower bound operand: AttributeValue: "
                                       "{N:100}, upper bound operand: AttributeValue: {N:1}"):
        scan(dynamodb, f_table, "age BETWEEN :a AND :b", {":a": N("100"), ":b": N("1")})


@pytest.mark.parametrize("expression, key", [
    ("sk = :v", "sk"),
    ("#k = :v", "pk"),
    ("attribute_exists(x) AND sk > :v", "sk"),
    ("sk[1] = :v", "sk"),
    ("attribute_exists(pk.b)", "pk"),
])
def test_filter_on_key_attribute_in_query(dynamodb, f_table, expression, key):
    # why: dynalite "hash/range key in FilterExpression": a Query's filter may not use its key attributes,
    # nested paths included.
    names = {"#k": "pk"} if "#k" in expression else None
    values = {":p": S("f"), ":v": N("1")} if ":v" in expression else {":p": S("f")}
    local = KEY_SCALAR + key if ("[" in expression or "." in expression) else None
    with raises("ValidationException", NOT_PRIMARY + key, local=local):
        dynamodb.query(TableName=f_table, KeyConditionExpression="pk = :p", FilterExpression=expression,
                       ExpressionAttributeValues=values, **({"ExpressionAttributeNames": names} if names else {}))


@pytest.mark.parametrize("expression", ["attribute_exists(pk.b)", "attribute_exists(#a.b.c)", "attribute_exists(#a[0])",
                                        "attribute_exists(x) and #a.b = :v"])
def test_filter_path_into_key_in_scan(dynamodb, f_table, expression):
    # why: dynalite "non-scalar key access": a Scan may filter on keys, but not into them.
    values = {":v": S("x")} if ":v" in expression else None
    names = {"#a": "pk"} if "#a" in expression else None
    with raises("ValidationException", KEY_SCALAR + "pk"):
        scan(dynamodb, f_table, expression, values, names)


# =============================================================================================
# Functionality
# =============================================================================================

@pytest.mark.parametrize("expression, value, expected", [
    ("#n = :v", S("alice"), [1]),
    ("#n <> :v", S("alice"), [2, 3, 4, 5, 6, 7, 8]),
    ("age < :v", N("28"), [2, 7, 8]),
    ("age <= :v", N("28"), [2, 4, 7, 8]),
    ("age > :v", N("28"), [1, 3]),
    ("age >= :v", N("-1"), [1, 2, 3, 4, 7, 8]),
    ("age = :v", N("30.0"), [1]),
    ("age < :v", S("5"), [5]),
    ("#n < :v", S("b"), [1, 7, 8]),
    ("#n > :v", S("d"), [4, 5]),
    ("flag = :v", {"BOOL": True}, [1, 8]),
    ("nul = :v", {"NULL": True}, [1]),
    ("tags = :v", {"SS": ["user", "admin"]}, [1]),
    ("m = :v", M(nested=S("deep")), [3]),
    ("l = :v", L(S("alpha"), S("beta")), [2]),
    ("b = :v", {"B": b"\x01\x02\x03"}, [1]),
    ("b < :v", {"B": b"\x01\x02\x04"}, [1, 4]),
], ids=["eq-S", "ne-S", "lt-N", "le-N", "gt-N", "ge-N", "eq-N-spelling", "lt-S-vs-other-types", "lt-S", "gt-S-utf8",
        "eq-BOOL", "eq-NULL", "eq-SS-any-order", "eq-M", "eq-L", "eq-B", "lt-B"])
def test_filter_comparisons(matching, expression, value, expected):
    # why: conformance tier1 query/expressions: comparisons select by value within the type of the value;
    # items lacking the attribute or holding another type do not match (except <>, which they satisfy).
    names = {"#n": "name"} if "#n" in expression else None
    assert matching(expression, {":v": value}, names) == expected


@pytest.mark.parametrize("expression, values, expected", [
    ("age BETWEEN :a AND :b", {":a": N("26"), ":b": N("34")}, [1, 4]),
    ("age BETWEEN :a AND :b", {":a": N("30"), ":b": N("30")}, [1]),
    ("#n BETWEEN :a AND :b", {":a": S("b"), ":b": S("d")}, [2, 3]),
    ("#n IN (:a, :b)", {":a": S("alice"), ":b": S("carol")}, [1, 3]),
    ("age IN (:a, :b)", {":a": N("30"), ":b": S("40")}, [1, 5]),
    ("age IN (:a)", {":a": N("99")}, []),
], ids=["between", "between-point", "between-S", "in", "in-mixed-types", "in-none"])
def test_filter_between_and_in(matching, expression, values, expected):
    # why: conformance tier1 query/expressions "BETWEEN on non-key attribute", "attr IN (...)".
    assert matching(expression, values, {"#n": "name"} if "#n" in expression else None) == expected


@pytest.mark.parametrize("expression, values, expected", [
    ("attribute_exists(#n)", {}, [1, 2, 3, 4, 5, 7, 8]),
    ("attribute_not_exists(#n)", {}, [6]),
    ("attribute_exists(m.nested)", {}, [1, 2, 3, 4]),
    ("attribute_exists(l[1])", {}, [1, 2, 3, 4, 7]),
    ("attribute_exists(nul)", {}, [1]),
    ("attribute_type(age, :t)", {":t": S("N")}, [1, 2, 3, 4, 7, 8]),
    ("attribute_type(age, :t)", {":t": S("S")}, [5]),
    ("attribute_type(tags, :t)", {":t": S("SS")}, [1, 2, 3, 4]),
    ("attribute_type(m, :t)", {":t": S("M")}, [1, 2, 3, 4, 8]),
    ("attribute_type(l[0], :t)", {":t": S("L")}, [7]),
    ("attribute_type(nul, :t)", {":t": S("NULL")}, [1]),
    ("attribute_type(flag, :t)", {":t": S("BOOL")}, [1, 2, 8]),
], ids=["exists", "not-exists", "exists-nested", "exists-index", "exists-null", "type-N", "type-S", "type-SS",
        "type-M", "type-nested-L", "type-NULL", "type-BOOL"])
def test_filter_existence_and_type(matching, expression, values, expected):
    # why: conformance tier1 query/expressions "attribute_type"; attribute_exists sees NULL values and
    # nested paths.
    assert matching(expression, values or None, {"#n": "name"} if "#n" in expression else None) == expected


@pytest.mark.parametrize("expression, value, expected", [
    ("begins_with(#n, :v)", S("car"), [3]),
    ("begins_with(#n, :v)", S("a"), [1, 8]),
    ("begins_with(#n, :v)", S("\u00e9"), [5]),
    ("begins_with(b, :v)", {"B": b"\x01\x02"}, [1, 4]),
    ("begins_with(age, :v)", S("4"), [5]),
    ("contains(#n, :v)", S("lic"), [1, 7]),
    ("contains(tags, :v)", S("admin"), [1, 3]),
    ("contains(nums, :v)", N("2"), [3]),
    ("contains(bins, :v)", {"B": b"\x02"}, [4]),
    ("contains(l, :v)", S("first"), [1, 3]),
    ("contains(b, :v)", {"B": b"\x03\x04"}, [4]),
    ("NOT contains(tags, :v)", S("admin"), [2, 4, 5, 6, 7, 8]),
], ids=["bw-S", "bw-short", "bw-multibyte", "bw-B", "bw-on-S-only", "contains-substring", "contains-SS",
        "contains-NS", "contains-BS", "contains-L", "contains-B", "not-contains"])
def test_filter_begins_with_and_contains(matching, expression, value, expected):
    # why: conformance tier1 query/expressions: contains is substring for S and B, membership for sets and
    # lists; begins_with works on S and B.
    assert matching(expression, {":v": value}, {"#n": "name"} if "#n" in expression else None) == expected


@pytest.mark.parametrize("expression, value, expected", [
    ("size(#n) = :v", N("3"), [2, 5]),
    ("size(#n) > :v", N("3"), [1, 3, 4, 7]),
    ("size(l) = :v", N("4"), [4]),
    ("size(l) = :v", N("0"), [8]),
    ("size(m) > :v", N("2"), [4]),
    ("size(tags) = :v", N("1"), [2, 4]),
    ("size(b) > :v", N("3"), [4]),
    ("size(nothing) = :v", N("0"), []),
    ("size(age) = :v", N("2"), [5]),
], ids=["S-utf16", "S-gt", "L", "L-empty", "M", "SS", "B", "absent", "N-has-no-size"])
def test_filter_size(matching, expression, value, expected):
    # why: conformance tier1 query/expressions "size()": strings count UTF-16 code units ('é𝄞' is 3),
    # lists and maps elements, sets members, binaries bytes; absent attributes and numbers have no size.
    assert matching(expression, {":v": value}, {"#n": "name"} if "#n" in expression else None) == expected


@pytest.mark.parametrize("expression, value, expected", [
    ("m.nested = :v", S("deep"), [1, 3]),
    ("l[0] = :v", S("first"), [1, 3]),
    ("l[3] = :v", S("w"), [4]),
    ("l[0][0] = :v", S("deep"), [7]),
    ("l[1].k = :v", N("7"), [7]),
    ("m.n = :v", N("1"), [1]),
    ("l[9] = :v", S("x"), []),
    ("#n.x = :v", S("x"), []),
], ids=["map", "list", "list-last", "list-of-list", "list-of-map", "map-N", "past-the-end", "into-a-string"])
def test_filter_nested_paths(matching, expression, value, expected):
    # why: conformance tier1 query/expressions "nested map path", "list index": paths reach into maps and
    # lists; a path that leads nowhere simply does not match.
    assert matching(expression, {":v": value}, {"#n": "name"} if "#n" in expression else None) == expected


@pytest.mark.parametrize("expression, expected", [
    ("#n = :a AND age > :b", [1]),
    ("#n = :a OR #n = :c", [1, 2]),
    ("NOT #n = :a", [2, 3, 4, 5, 6, 7, 8]),
    ("#n = :c OR #n = :a AND age > :z", [2]),
    ("(#n = :c OR #n = :a) AND age > :z", []),
    ("NOT #n = :a AND age > :b", [3]),
    ("NOT (#n = :a AND age > :b)", [2, 3, 4, 5, 6, 7, 8]),
    ("#n = :c OR (age > :b AND NOT attribute_exists(tags))", [2]),
], ids=["and", "or", "not", "and-before-or", "parentheses", "not-before-and", "not-of-group", "mixed"])
def test_filter_logic_and_precedence(matching, expression, expected):
    # why: conformance tier1 query/expressions "compound AND/OR", "NOT contains"; NOT binds tighter than
    # AND, AND tighter than OR.
    values = {":a": S("alice"), ":b": N("29"), ":c": S("bob"), ":z": N("100")}
    values = {k: v for k, v in values.items() if k in expression}
    assert matching(expression, values, {"#n": "name"}) == expected


def test_filter_on_key_attributes_in_scan(dynamodb, f_table):
    # why: conformance tier1 scan/basic "filter that removes all items": a Scan's filter may use keys.
    page = scan(dynamodb, f_table, "pk = :p AND sk > :s", {":p": S("f"), ":s": N("6")})
    assert sorted(int(i["sk"]["N"]) for i in page["Items"]) == [7, 8]
    page = scan(dynamodb, f_table, "pk = :p", {":p": S("none")})
    assert (page["Count"], page["ScannedCount"]) == (0, len(ITEMS))


def test_filter_and_projection_together(dynamodb, f_table):
    # why: the filter sees the whole item even when the projection returns less of it.
    page = dynamodb.query(TableName=f_table, KeyConditionExpression="pk = :p", FilterExpression="age > :a",
                          ProjectionExpression="#n", ExpressionAttributeNames={"#n": "name"},
                          ExpressionAttributeValues={":p": S("f"), ":a": N("29")})
    assert page["Items"] == [{"name": S("alice")}, {"name": S("carol")}]
