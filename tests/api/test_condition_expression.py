"""test_condition_expression.py — ConditionExpression on PutItem, UpdateItem and DeleteItem: the
grammar (comparators, BETWEEN, IN, AND/OR/NOT and their precedence, parentheses), every function,
document paths, #name/:value placeholders, reserved words, its validation errors, and the
ConditionalCheckFailedException with and without ReturnValuesOnConditionCheckFailure.

Ground truth is real DynamoDB: exact messages from nubo-db/dynamodb-conformance (tests/tier1/putItem,
tests/tier1/updateItem, tests/tier3/error-messages, captures/*.json) and, where it is silent, from
Alternator's and dynalite's suites recorded against DynamoDB; behaviour cross-checked with DynamoDB
Local. Write operations' validation errors carry a regional "1 validation error detected: " prefix,
floated with util.enveloped(). Evaluation tests read one shared item through a conditional PutItem
of that same item, so a condition that holds leaves it unchanged.

Order: serialization, validation, functionality (dynalite).
"""
import re

import pytest

import util
from util import enveloped, raises

CCF = "ConditionalCheckFailedException"
CCF_MESSAGE = "The conditional request failed"
LOCAL_500 = "DynamoDB Local answers wrongly typed fields with 500 InternalFailure or coerces them"


def S(value):
    return {"S": value}


def N(value):
    return {"N": value}


def invalid(text):
    """A ConditionExpression validation error of a write operation."""
    return enveloped("Invalid ConditionExpression: " + text)


def used_values(expression, values):
    """The entries of `values` whose placeholder appears in `expression` (unused ones are an error)."""
    return {k: v for k, v in values.items() if re.search(re.escape(k) + r"(?![A-Za-z0-9_])", expression)}


def conditional_put(dynamodb, table, item, condition, values=None, names=None, **params):
    """PutItem of `item` under `condition`, placeholders given only when there are some."""
    if values:
        params["ExpressionAttributeValues"] = values
    if names:
        params["ExpressionAttributeNames"] = names
    return dynamodb.put_item(TableName=table, Item=item, ConditionExpression=condition, **params)


def call(url, op, body):
    """One raw request (for ReturnValuesOnConditionCheckFailure, which boto3 1.26 drops from
    single-item operations); returns (status, error code, message, parsed body)."""
    status, _, parsed, raw = util.raw_request(url, target=f"DynamoDB_20120810.{op}", body=body)
    code, message = util.error_of(parsed)
    return status, code, message, parsed


# =============================================================================================
# Serialization
# =============================================================================================

@pytest.mark.local_differs(LOCAL_500)
def test_condition_expression_not_a_string(url, table_s):
    # why: ConditionExpression is a string; a JSON number is refused while parsing, not coerced.
    status, code, message, _ = call(url, "PutItem", {"TableName": table_s, "Item": {"pk": S("a")},
                                                     "ConditionExpression": 5})
    assert (status, code, message) == (400, "SerializationException", "NUMBER_VALUE cannot be converted to String")


@pytest.mark.local_differs(LOCAL_500)
def test_expression_attribute_name_not_a_string(url, table_s):
    # why: ExpressionAttributeNames maps placeholders to strings.
    status, code, message, _ = call(url, "PutItem", {
        "TableName": table_s, "Item": {"pk": S("a")}, "ConditionExpression": "#a = :v",
        "ExpressionAttributeNames": {"#a": 5}, "ExpressionAttributeValues": {":v": S("x")}})
    assert (status, code, message) == (400, "SerializationException", "NUMBER_VALUE cannot be converted to String")


# =============================================================================================
# Validation: syntax
# =============================================================================================

SYNTAX_ERRORS = [
    ("a = = b", "=", "= = b"),                 # the conformance suite's own case
    ("whatever", "<EOF>", "whatever"),
    ("a =", "<EOF>", "="),
    ("a", "<EOF>", "a"),
    ("NOT", "<EOF>", "NOT"),
    ("a = :v AND", "<EOF>", "AND"),
    ("a <> :v OR", "<EOF>", "OR"),
    ("a BETWEEN :v", "<EOF>", ":v"),
    ("a IN ()", ")", "()"),
    ("a = :v)", ")", ":v)"),
    ("(a = :v", "<EOF>", ":v"),
    ("a == :v", "=", "== :v"),
    ("a != :v", "!", "a !="),
    ("a ! :v", "!", "a ! :v"),
    ("a = 'x'", "'", "= 'x"),
    ("a = 1", "1", "= 1"),
    ("a + :v = :v", "+", "a + :v"),
    ("a and b", "and", "a and b"),
    ("_hidden = :v", "_", "_hidden"),
    ("1a = :v", "1", "1a"),
    ("a-b = :v", "-", "a-b"),
    ("a[-1] = :v", "-", "[-1"),
    ("a[x] = :v", "x", "[x]"),
    ("a[00] = :v", "0", "00]"),
    ("a[1.5] = :v", ".", "1.5"),
    ("a.0 = :v", "0", ".0 ="),
    ("a..b = :v", ".", "..b"),
    ("[0] = :v", "[", "[0"),
]


@pytest.mark.parametrize("condition, token, near", SYNTAX_ERRORS, ids=[c for c, _, _ in SYNTAX_ERRORS])
def test_syntax_error(dynamodb, table_s, condition, token, near):
    # why: the parser names the offending token and the text around it, word for word.
    with raises("ValidationException", invalid(f'Syntax error; token: "{token}", near: "{near}"')):
        conditional_put(dynamodb, table_s, {"pk": S("a")}, condition, used_values(condition, {":v": S("x")}))


def test_empty_condition(dynamodb, table_s):
    # why: an empty expression is refused with its own message.
    with raises("ValidationException", invalid("The expression can not be empty;")):
        conditional_put(dynamodb, table_s, {"pk": S("a")}, "")


@pytest.mark.parametrize("condition", ["((attribute_not_exists(pk)))", "((a = :v))", "(((a = :v)) AND b = :v)"])
def test_redundant_parentheses(dynamodb, table_s, condition):
    # why: doubled parentheses around the same expression are refused (conformance b_put_redundant_parens).
    with raises("ValidationException", invalid("The expression has redundant parentheses;")):
        conditional_put(dynamodb, table_s, {"pk": S("a")}, condition, used_values(condition, {":v": S("x")}))


def test_expression_too_long(dynamodb, table_s):
    # why: expressions are at most 4 KB; some regions also print the size (Local and the 2026-10
    # conformance capture do, a 2023 UpdateExpression stack trace does not), so that part floats.
    condition = "a = :v" + " AND a = :v" * 373   # 4,109 characters, the conformance suite's case
    pattern = re.compile(r"(?:1 validation error detected: )?Invalid ConditionExpression: Expression size has "
                         r"exceeded the maximum allowed size;(?: expression size: 4109)?")
    with raises("ValidationException", pattern):
        conditional_put(dynamodb, table_s, {"pk": S("a")}, condition, {":v": S("x")})


def test_expression_at_size_limit(dynamodb, table_s):
    # why: exactly 4,096 characters is still allowed.
    condition = "attribute_not_exists(" + "a" * 4074 + ")"
    assert len(condition) == 4096
    conditional_put(dynamodb, table_s, {"pk": S(util.unique_key())}, condition)


def test_too_many_operators(dynamodb, table_s):
    # why: an expression has at most 300 operators.
    condition = " AND ".join(["a = :v"] * 151)   # 151 comparisons + 150 ANDs
    with raises("ValidationException", invalid("The expression contains too many operators; operator count: 301")):
        conditional_put(dynamodb, table_s, {"pk": S("a")}, condition, {":v": S("x")})


@pytest.mark.parametrize("path", ["a" + ".b" * 32, "a" + "[0]" * 32], ids=["map", "list"])
def test_path_too_deep(dynamodb, table_s, path):
    # why: a document path has at most 32 levels (Alternator's projection test, recorded against
    # DynamoDB: "The document path has too many nesting levels; nesting levels: 33").
    with raises("ValidationException", invalid("The document path has too many nesting levels; nesting levels: 33")):
        conditional_put(dynamodb, table_s, {"pk": S("a")}, path + " = :v", {":v": S("x")})


def test_path_at_depth_limit(dynamodb, table_s):
    # why: 32 levels are allowed; on a missing item the comparison is simply false.
    with raises(CCF, CCF_MESSAGE):
        conditional_put(dynamodb, table_s, {"pk": S(util.unique_key())}, "a" + ".b" * 31 + " = :v", {":v": S("x")})


# =============================================================================================
# Validation: functions, operands, IN
# =============================================================================================

FUNCTION_ERRORS = [
    ("foo(a)", "Invalid function name; function: foo"),
    ("SIZE(a) = :n", "Invalid function name; function: SIZE"),                       # case-sensitive
    ("Attribute_Exists(a)", "Invalid function name; function: Attribute_Exists"),
    ("attribute_exists(a, b)", "Incorrect number of operands for operator or function; operator or function: "
                               "attribute_exists, number of operands: 2"),
    ("begins_with(a)", "Incorrect number of operands for operator or function; operator or function: "
                       "begins_with, number of operands: 1"),
    ("attribute_exists(:v)", "Operator or function requires a document path; operator or function: attribute_exists"),
    ("attribute_exists(size(a))", "Operator or function requires a document path; operator or function: "
                                  "attribute_exists"),
    ("size(a)", "The function is not allowed to be used this way in an expression; function: size"),
    ("if_not_exists(a, :v) = :v", "The function is not allowed in a condition expression; function: if_not_exists"),
    ("list_append(a, :v) = :v", "The function is not allowed in a condition expression; function: list_append"),
    ("begins_with(a, :n)", "Incorrect operand type for operator or function; operator or function: begins_with, "
                           "operand type: N"),
    ("begins_with(a, :l)", "Incorrect operand type for operator or function; operator or function: begins_with, "
                           "operand type: L"),
    ("attribute_type(a, :n)", "Incorrect operand type for operator or function; operator or function: "
                              "attribute_type, operand type: N"),
    ("attribute_type(a, :v)", "Invalid attribute type name found; type: x, valid types: "
                              "{N,BS,L,B,NULL,M,S,SS,NS,BOOL}"),
    ("size(:n) = :n", "Incorrect operand type for operator or function; operator or function: size, operand type: N"),
    ("a < :l", "Incorrect operand type for operator or function; operator or function: <, operand type: L"),
    ("a <= :m", "Incorrect operand type for operator or function; operator or function: <=, operand type: M"),
    ("a > :ss", "Incorrect operand type for operator or function; operator or function: >, operand type: SS"),
    ("a >= :t", "Incorrect operand type for operator or function; operator or function: >=, operand type: BOOL"),
    ("a < :z", "Incorrect operand type for operator or function; operator or function: <, operand type: NULL"),
    ("a BETWEEN :t AND :t", "Incorrect operand type for operator or function; operator or function: BETWEEN, "
                            "operand type: BOOL"),
    ("a BETWEEN :n AND :v", "The BETWEEN operator requires same data type for lower and upper bounds; lower bound "
                            "operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:x}"),
    ("a BETWEEN :hi AND :n", "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; "
                             "lower bound operand: AttributeValue: {N:9}, upper bound operand: AttributeValue: {N:1}"),
    ("contains(a, a)", "The first operand must be distinct from the remaining operands for this operator or "
                       "function; operator: contains, first operand: [a]"),
    ("a = a", "The first operand must be distinct from the remaining operands for this operator or function; "
              "operator: =, first operand: [a]"),
    ("a.b < a.b", "The first operand must be distinct from the remaining operands for this operator or function; "
                  "operator: <, first operand: [a, b]"),
    ("a BETWEEN a AND :v", "The first operand must be distinct from the remaining operands for this operator or "
                           "function; operator: BETWEEN, first operand: [a]"),
    ("a IN (:v, a)", "The first operand must be distinct from the remaining operands for this operator or function; "
                     "operator: IN, first operand: [a]"),
]
FUNCTION_VALUES = {":v": S("x"), ":n": N("1"), ":hi": N("9"), ":l": {"L": []}, ":m": {"M": {}},
                   ":ss": {"SS": ["a"]}, ":t": {"BOOL": True}, ":z": {"NULL": True}}


@pytest.mark.parametrize("condition, message", FUNCTION_ERRORS, ids=[c for c, _ in FUNCTION_ERRORS])
def test_semantic_error(dynamodb, table_s, condition, message):
    # why: function names, arities, operand kinds and constant operand types are checked before any
    # item is read, each with its own message.
    with raises("ValidationException", invalid(message)):
        conditional_put(dynamodb, table_s, {"pk": S("a")}, condition, used_values(condition, FUNCTION_VALUES))


def test_contains_same_path_through_name(dynamodb, table_s):
    # why: the distinct-operand rule compares resolved paths (conformance b_put_contains_dup).
    with raises("ValidationException", invalid("The first operand must be distinct from the remaining operands for "
                                               "this operator or function; operator: contains, first operand: [data]")):
        conditional_put(dynamodb, table_s, {"pk": S("a")}, "contains(#a, #a)", names={"#a": "data"})


def test_in_with_100_operands(dynamodb, table_s):
    # why: IN takes up to 100 operands.
    values = {f":v{i}": N(str(i)) for i in range(100)}
    with raises(CCF, CCF_MESSAGE):   # the item does not exist, so a IN (...) is false
        conditional_put(dynamodb, table_s, {"pk": S(util.unique_key())},
                        "a IN (" + ", ".join(values) + ")", values)


def test_in_with_101_operands(dynamodb, table_s):
    # why: the 101st operand is refused, naming the count.
    values = {f":v{i}": N(str(i)) for i in range(101)}
    with raises("ValidationException", invalid("The IN operator is provided with too many operands; "
                                               "number of operands: 101")):
        conditional_put(dynamodb, table_s, {"pk": S("a")}, "a IN (" + ", ".join(values) + ")", values)


# =============================================================================================
# Validation: placeholders and reserved words
# =============================================================================================

@pytest.mark.parametrize("condition, word", [
    ("status = :v", "status"), ("Status = :v", "Status"), ("STATUS = :v", "STATUS"), ("a.Name = :v", "Name"),
    ("data = :v", "data"), ("count = :v", "count"), ("items = :v", "items"), ("value = :v", "value"),
    ("timestamp = :v", "timestamp"), ("date = :v", "date"), ("user = :v", "user"),
    ("attribute_exists(a.b[1].year)", "year"), ("#n.status = :v", "status"),
])
def test_reserved_word(dynamodb, table_s, condition, word):
    # why: reserved words (any case, at any depth of a path) must go through #name placeholders.
    with raises("ValidationException", invalid(f"Attribute name is a reserved keyword; reserved keyword: {word}")):
        conditional_put(dynamodb, table_s, {"pk": S("a")}, condition, used_values(condition, {":v": S("x")}),
                        {"#n": "n"} if "#n" in condition else None)


def test_reserved_word_through_placeholder(dynamodb, table_s):
    # why: the same names are fine behind #name, and the condition then applies to them.
    key = S(util.unique_key())
    dynamodb.put_item(TableName=table_s, Item={"pk": key, "status": S("active")})
    conditional_put(dynamodb, table_s, {"pk": key, "status": S("done")}, "#s = :v", {":v": S("active")},
                    {"#s": "status"})
    with raises(CCF, CCF_MESSAGE):
        conditional_put(dynamodb, table_s, {"pk": key}, "#s = :v", {":v": S("active")}, {"#s": "status"})


def test_undefined_value(dynamodb, table_s):
    # why: every :value used must be defined.
    with raises("ValidationException", invalid("An expression attribute value used in expression is not defined; "
                                               "attribute value: :x")):
        conditional_put(dynamodb, table_s, {"pk": S("a")}, "a = :x", {":v": S("x")})


def test_undefined_value_without_values_map(dynamodb, table_s):
    # why: the same when no ExpressionAttributeValues are given at all.
    with raises("ValidationException", invalid("An expression attribute value used in expression is not defined; "
                                               "attribute value: :v")):
        conditional_put(dynamodb, table_s, {"pk": S("a")}, "#a = :v", names={"#a": "a"})


def test_undefined_name(dynamodb, table_s):
    # why: every #name used must be defined.
    with raises("ValidationException", invalid("An expression attribute name used in the document path is not "
                                               "defined; attribute name: #a")):
        conditional_put(dynamodb, table_s, {"pk": S("a")}, "#a = :v", {":v": S("x")}, {"#b": "a"})


def test_unused_names_listed_sorted(dynamodb, table_s):
    # why: every name given must be used; all the unused ones are listed.
    with raises("ValidationException", enveloped("Value provided in ExpressionAttributeNames unused in expressions: "
                                                 "keys: {#a, #b}")):
        conditional_put(dynamodb, table_s, {"pk": S("a")}, "a = :v", {":v": S("x")}, {"#b": "b", "#a": "a"})


def test_unused_value(dynamodb, table_s):
    # why: every value given must be used.
    with raises("ValidationException", enveloped("Value provided in ExpressionAttributeValues unused in expressions: "
                                                 "keys: {:w}")):
        conditional_put(dynamodb, table_s, {"pk": S("a")}, "a = :v", {":v": S("x"), ":w": S("y")})


@pytest.mark.parametrize("params, message", [
    ({"ExpressionAttributeNames": {}}, "ExpressionAttributeNames must not be empty"),
    ({"ExpressionAttributeValues": {}}, "ExpressionAttributeValues must not be empty"),
    ({"ExpressionAttributeNames": {"a": "x"}}, 'ExpressionAttributeNames contains invalid key: Syntax error; key: "a"'),
    ({"ExpressionAttributeNames": {"#a-b": "x"}},
     'ExpressionAttributeNames contains invalid key: Syntax error; key: "#a-b"'),
    ({"ExpressionAttributeValues": {"v": S("x")}},
     'ExpressionAttributeValues contains invalid key: Syntax error; key: "v"'),
    ({"ExpressionAttributeNames": {"#a": ""}},
     "ExpressionAttributeNames contains invalid value: Empty attribute name for key #a"),
    ({"ExpressionAttributeValues": {":v": {}}},
     "ExpressionAttributeValues contains invalid value: Supplied AttributeValue is empty, must contain exactly one "
     "of the supported datatypes for key :v"),
    ({"ExpressionAttributeValues": {":v": {"SS": []}}},
     "ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: An string set  "
     "may not be empty for key :v"),
], ids=["names-empty", "values-empty", "name-key-no-hash", "name-key-dash", "value-key-no-colon", "empty-name",
        "empty-value", "empty-set-value"])
def test_placeholder_maps(dynamodb, table_s, params, message):
    # why: the placeholder maps are checked before the expression, each problem with its message.
    with raises("ValidationException", enveloped(message)):
        dynamodb.put_item(TableName=table_s, Item={"pk": S("a")}, ConditionExpression="a = :v", **params)


def test_placeholder_key_too_long(dynamodb, table_s):
    # why: placeholder keys are at most 255 characters; the message names the size.
    with raises("ValidationException", enveloped("ExpressionAttributeNames contains invalid key: The expression "
                                                 "attribute map contains a key that is too long; size of key: 301")):
        conditional_put(dynamodb, table_s, {"pk": S("a")}, "#a = :v", {":v": S("x")}, {"#a": "b", "#" + "x" * 300: "c"})


def test_values_without_condition(dynamodb, table_s):
    # why: ExpressionAttributeValues need an expression to be used in; newer regions drop the
    # ": ConditionExpression is null" tail and add the envelope (conformance b_put_eav_no_expr).
    pattern = re.compile(r"(?:1 validation error detected: ExpressionAttributeValues can only be specified when "
                         r"using expressions|ExpressionAttributeValues can only be specified when using expressions: "
                         r"ConditionExpression is null)")
    with raises("ValidationException", pattern):
        dynamodb.put_item(TableName=table_s, Item={"pk": S("a")}, ExpressionAttributeValues={":v": S("x")})


@pytest.mark.parametrize("op, params", [("put_item", {"Item": {"pk": S("a")}}), ("delete_item", {"Key": {"pk": S("a")}})])
def test_names_without_condition(dynamodb, table_s, op, params):
    # why: ExpressionAttributeNames need an expression too.
    with raises("ValidationException", enveloped("ExpressionAttributeNames can only be specified when using "
                                                 "expressions")):
        getattr(dynamodb, op)(TableName=table_s, ExpressionAttributeNames={"#a": "a"}, **params)


@pytest.mark.parametrize("value", ["UPDATED_OLD", "ALL_NEW", "FOO"])
@pytest.mark.parametrize("op", ["PutItem", "UpdateItem", "DeleteItem"])
def test_return_values_on_failure_not_an_option(url, table_s, op, value):
    # why: ReturnValuesOnConditionCheckFailure is ALL_OLD or NONE (the enum as dynalite's spec and
    # Local list it; the prefix around it varies by region, so only the constraint is pinned).
    body = {"TableName": table_s, "ConditionExpression": "attribute_exists(pk)",
            "ReturnValuesOnConditionCheckFailure": value}
    body.update({"Item": {"pk": S("a")}} if op == "PutItem" else {"Key": {"pk": S("a")}})
    if op == "UpdateItem":
        body["UpdateExpression"] = "REMOVE x"
    status, code, message, _ = call(url, op, body)
    assert (status, code) == (400, "ValidationException")
    assert message.endswith("Member must satisfy enum value set: [ALL_OLD, NONE]"), message


# =============================================================================================
# Functionality: evaluation against one item
# =============================================================================================

ITEM = {
    "s": S("abc"), "e": S(""), "u": S("\u00e9\u20ac"), "n": N("5"), "n2": N("-1.5"), "b": {"B": b"\x01\x02\x03"},
    "eb": {"B": b""}, "t": {"BOOL": True}, "z": {"NULL": True}, "ss": {"SS": ["a", "bc"]}, "ns": {"NS": ["1", "2", "3"]},
    "bs": {"BS": [b"\x01"]}, "l": {"L": [S("a"), N("1"), {"M": {"k": S("v")}}, {"L": [S("x")]}]},
    "m": {"M": {"a": N("1"), "b": {"L": [N("0"), N("1"), {"M": {"c": S("deep")}}]}}},
    "big": N("1e100"), "neg": N("-1e100"), "tiny": N("1e-100"), "status": S("on"),
}
VALUES = {
    ":s": S("abc"), ":a": S("a"), ":ab": S("ab"), ":bc": S("bc"), ":x": S("x"), ":e": S(""), ":deep": S("deep"),
    ":n": N("5"), ":n5": N("5.000"), ":zero": N("0"), ":one": N("1"), ":two": N("2"), ":n3": N("3"), ":four": N("4"),
    ":ten": N("10"), ":bigm": N("-1e99"), ":b": {"B": b"\x01"}, ":bb": {"B": b"\x01\x02"}, ":t": {"BOOL": True},
    ":f": {"BOOL": False}, ":z": {"NULL": True}, ":ss": {"SS": ["bc", "a"]}, ":ns": {"NS": ["3", "2", "1"]},
    ":ssx": {"SS": ["a"]}, ":l": {"L": [S("x")]}, ":m": {"M": {"k": S("v")}},
    **{f":{t}": S(t) for t in ("S", "N", "B", "BOOL", "NULL", "SS", "NS", "BS", "L", "M")},
}


@pytest.fixture(scope="module")
def item(dynamodb, table_s):
    """One item holding every type, nested maps and lists (key unique to this module)."""
    value = {"pk": S(util.unique_key("cond")), **ITEM}
    dynamodb.put_item(TableName=table_s, Item=value)
    return value


def holds(dynamodb, table, item, condition, names=None):
    """Whether `condition` holds for the stored `item` (re-putting the same item under it)."""
    try:
        conditional_put(dynamodb, table, item, condition, used_values(condition, VALUES), names)
        return True
    except dynamodb.exceptions.ConditionalCheckFailedException:
        return False


COMPARISONS = [
    ("s = :s", True), ("s = :a", False), ("s <> :s", False), ("s <> :a", True), ("s < :s", False), ("s <= :s", True),
    ("s > :ab", True), ("s >= :s", True), ("s < :x", True),
    ("n = :n5", True), ("n > :n3", True), ("n < :n3", False), ("n <= :n", True), ("n >= :ten", False),
    ("n2 < :zero", True), ("big > :n", True), ("neg < :bigm", True), ("tiny > :zero", True), ("tiny < :one", True),
    ("b > :b", True), ("b = :b", False), ("b < :bb", False), ("b >= :bb", True),
    ("t = :t", True), ("t = :f", False), ("t <> :f", True), ("z = :z", True),
    ("ss = :ss", True), ("ss = :ssx", False), ("ns = :ns", True), ("ss <> :ss", False),   # sets: order-free
    ("l = :l", False), ("l[3] = :l", True), ("m.b[2] = :m", False), ("l[2] = :m", True),
    ("n > n2", True), ("n = n2", False), (":s = s", True), (":one < :ten", True),
    # a different type is never equal, never ordered, always "not equal"
    ("s = :n", False), ("s <> :n", True), ("s < :n", False), ("s >= :n", False), ("n < :s", False),
    # a missing attribute likewise (conformance putItem/conditions)
    ("nope = :s", False), ("nope <> :s", True), ("nope < :s", False), ("nope >= :s", False),
]


@pytest.mark.parametrize("condition, expected", COMPARISONS, ids=[c for c, _ in COMPARISONS])
def test_comparison(dynamodb, table_s, item, condition, expected):
    # why: = <> < <= > >= compare numbers by value, strings and binaries bytewise, sets as sets, and
    # are false (but <> true) across types and on missing attributes.
    assert holds(dynamodb, table_s, item, condition) is expected


BETWEEN_IN = [
    ("n BETWEEN :n3 AND :ten", True), ("n BETWEEN :n AND :n", True), ("n BETWEEN :zero AND :four", False),
    ("s BETWEEN :a AND :s", True), ("s BETWEEN :a AND :ab", False), ("b BETWEEN :b AND :bb", False),
    ("s BETWEEN :zero AND :ten", False), ("nope BETWEEN :a AND :s", False), ("size(s) BETWEEN :two AND :four", True),
    ("n IN (:n3, :n)", True), ("n IN (:n3, :ten)", False), ("n IN (:n3, :s)", False), ("s IN (:one, :s)", True),
    ("ss IN (:ss)", True), ("nope IN (:s)", False), ("size(s) IN (:n3)", True), ("l[1] IN (:one)", True),
]


@pytest.mark.parametrize("condition, expected", BETWEEN_IN, ids=[c for c, _ in BETWEEN_IN])
def test_between_and_in(dynamodb, table_s, item, condition, expected):
    # why: BETWEEN is inclusive and typed; IN matches any operand of the same type.
    assert holds(dynamodb, table_s, item, condition) is expected


LOGIC = [
    ("NOT s = :s", False), ("NOT s <> :s", True), ("NOT NOT s = :s", True), ("NOT(s = :x)", True),
    ("s = :s AND n = :n", True), ("s = :s AND n = :one", False), ("s = :x OR n = :n", True), ("s = :x OR n = :one", False),
    # AND binds tighter than OR, NOT tighter than AND
    ("s = :x AND n = :one OR t = :t", True), ("s = :x AND (n = :one OR t = :t)", False),
    ("s = :s OR n = :one AND t = :z", True), ("(s = :s OR n = :one) AND t = :z", False),
    ("NOT s = :x AND n = :one", False), ("NOT (s = :x AND n = :one)", True),
    ("t = :t OR NOT t = :t AND n = :one", True), ("(t = :t OR NOT t = :t) AND n = :one", False),
    # keywords and function names are case-insensitive / spacing-insensitive where DynamoDB allows it
    ("s = :s and n = :n", True), ("s = :x or n = :n", True), ("not s = :x", True), ("n between :n3 and :ten", True),
    ("n in (:n)", True), ("  s=:s  ", True), ("s\t=\n:s", True), ("begins_with (s, :a)", True),
    # non-redundant parentheses are fine (conformance conditionExpressionParens)
    ("(attribute_exists(s)) AND (attribute_exists(n))", True), ("(attribute_exists(s) AND (attribute_exists(n)))", True),
    ("((s = :s) AND n = :n)", True),
]


@pytest.mark.parametrize("condition, expected", LOGIC, ids=[c for c, _ in LOGIC])
def test_logic(dynamodb, table_s, item, condition, expected):
    # why: AND/OR/NOT follow DynamoDB's precedence (NOT, then AND, then OR); parentheses override.
    assert holds(dynamodb, table_s, item, condition) is expected


FUNCTIONS = [
    ("attribute_exists(s)", True), ("attribute_exists(nope)", False), ("attribute_not_exists(nope)", True),
    ("attribute_not_exists(s)", False), ("attribute_exists(z)", True), ("attribute_exists(e)", True),
    ("attribute_exists(m.b[2].c)", True), ("attribute_exists(m.b[3])", False), ("attribute_exists(l[2].k)", True),
    ("attribute_exists(m.a.x)", False), ("attribute_exists(l[0][0])", False), ("attribute_not_exists(m.b[9])", True),
    ("attribute_type(s, :S)", True), ("attribute_type(n, :N)", True), ("attribute_type(b, :B)", True),
    ("attribute_type(t, :BOOL)", True), ("attribute_type(z, :NULL)", True), ("attribute_type(ss, :SS)", True),
    ("attribute_type(ns, :NS)", True), ("attribute_type(bs, :BS)", True), ("attribute_type(l, :L)", True),
    ("attribute_type(m, :M)", True), ("attribute_type(m.b[2], :M)", True), ("attribute_type(s, :N)", False),
    ("attribute_type(ss, :S)", False), ("attribute_type(nope, :S)", False),
    ("begins_with(s, :ab)", True), ("begins_with(s, :s)", True), ("begins_with(s, :e)", True),
    ("begins_with(s, :x)", False), ("begins_with(b, :b)", True), ("begins_with(b, :bb)", True),
    ("begins_with(s, :b)", False), ("begins_with(b, :a)", False), ("begins_with(n, :ab)", False),
    ("begins_with(ss, :a)", False), ("begins_with(nope, :a)", False),
    ("contains(s, :bc)", True), ("contains(s, :e)", True), ("contains(s, :x)", False), ("contains(ss, :bc)", True),
    ("contains(ss, :x)", False), ("contains(ss, :one)", False), ("contains(ns, :two)", True), ("contains(ns, :ten)", False),
    ("contains(bs, :b)", True), ("contains(b, :b)", True), ("contains(l, :a)", True), ("contains(l, :one)", True),
    ("contains(l, :m)", True), ("contains(l, :l)", True), ("contains(l, :x)", False), ("contains(n, :n)", False),
    ("contains(m, :a)", False), ("contains(nope, :a)", False), ("contains(s, :n)", False),
    ("size(s) = :n3", True), ("size(u) = :two", True), ("size(e) = :zero", True), ("size(b) = :n3", True),
    ("size(eb) = :zero", True), ("size(ss) = :two", True), ("size(ns) = :n3", True), ("size(bs) = :one", True),
    ("size(l) = :four", True), ("size(m) = :two", True), ("size(m.b) = :n3", True), ("size(l[2]) = :one", True),
    ("size(s) > :two", True), ("size(s) = :four", False), ("size(n) = :one", False), ("size(n) <> :one", True),
    ("size(t) = :one", False), ("size(z) = :one", False), ("size(nope) = :zero", False), ("size(nope) <> :zero", True),
    ("size(s) = size(ss)", False), ("size(ns) = size(s)", True), ("size(s) = :s", False), ("size(s) = n", False),
]


@pytest.mark.parametrize("condition, expected", FUNCTIONS, ids=[c for c, _ in FUNCTIONS])
def test_function(dynamodb, table_s, item, condition, expected):
    # why: each function on a matching value, a non-matching one, an attribute of another type (false,
    # not an error) and a missing attribute; size counts characters, bytes, members or elements.
    assert holds(dynamodb, table_s, item, condition) is expected


@pytest.mark.parametrize("condition, names, expected", [
    ("#n = :s", {"#n": "s"}, True), ("#s = :s", {"#s": "status"}, False), ("#m.#a = :one", {"#m": "m", "#a": "a"}, True),
    ("#m.b[2].#c = :deep", {"#m": "m", "#c": "c"}, True), ("#d = :s", {"#d": "m.a"}, False),
    ("attribute_exists(#d)", {"#d": "m.a"}, False), ("#l[1] = :one", {"#l": "l"}, True),
])
def test_name_placeholders(dynamodb, table_s, item, condition, names, expected):
    # why: a #name is one path component, even when its name contains a dot.
    assert holds(dynamodb, table_s, item, condition, names) is expected


def test_dotted_attribute_name(dynamodb, table_s):
    # why: #d naming "a.b" reaches the top-level attribute literally called "a.b", not a.b.
    key = S(util.unique_key())
    dynamodb.put_item(TableName=table_s, Item={"pk": key, "a.b": S("top"), "a": {"M": {"b": S("nested")}}})
    conditional_put(dynamodb, table_s, {"pk": key, "a.b": S("top")}, "#d = :v AND a.b = :w",
                    {":v": S("top"), ":w": S("nested")}, {"#d": "a.b"})


# =============================================================================================
# Functionality: PutItem, UpdateItem, DeleteItem and ConditionalCheckFailedException
# =============================================================================================

def test_put_if_not_exists(dynamodb, table_s):
    # why: attribute_not_exists(pk) is the create-only idiom; the second put fails and changes nothing.
    key = S(util.unique_key())
    conditional_put(dynamodb, table_s, {"pk": key, "v": S("1")}, "attribute_not_exists(pk)")
    with raises(CCF, CCF_MESSAGE):
        conditional_put(dynamodb, table_s, {"pk": key, "v": S("2")}, "attribute_not_exists(pk)")
    assert dynamodb.get_item(TableName=table_s, Key={"pk": key})["Item"] == {"pk": key, "v": S("1")}


def test_condition_on_missing_item(dynamodb, table_s):
    # why: a missing item has no attributes: <> holds, = does not (conformance putItem/conditions).
    key = S(util.unique_key())
    conditional_put(dynamodb, table_s, {"pk": key, "s": S("idle")}, "#s <> :v OR #u < :t",
                    {":v": S("working"), ":t": S("2099")}, {"#s": "status", "#u": "updatedAt"})
    other = S(util.unique_key())
    with raises(CCF, CCF_MESSAGE):
        conditional_put(dynamodb, table_s, {"pk": other}, "#s = :v", {":v": S("working")}, {"#s": "status"})
    assert "Item" not in dynamodb.get_item(TableName=table_s, Key={"pk": other})


def test_update_with_condition(dynamodb, table_s):
    # why: UpdateItem applies the update only when the condition holds on the old item.
    key = S(util.unique_key())
    dynamodb.put_item(TableName=table_s, Item={"pk": key, "score": N("50")})
    dynamodb.update_item(TableName=table_s, Key={"pk": key}, UpdateExpression="SET score = :new",
                         ConditionExpression="score > :min", ExpressionAttributeValues={":new": N("100"), ":min": N("10")})
    with raises(CCF, CCF_MESSAGE):
        dynamodb.update_item(TableName=table_s, Key={"pk": key}, UpdateExpression="SET score = :new",
                             ConditionExpression="score > :min",
                             ExpressionAttributeValues={":new": N("999"), ":min": N("200")})
    assert dynamodb.get_item(TableName=table_s, Key={"pk": key})["Item"]["score"] == N("100")


def test_update_condition_does_not_create(dynamodb, table_s):
    # why: a failed condition on a missing item creates no item (conformance updateItem/conditions).
    key = S(util.unique_key())
    with raises(CCF, CCF_MESSAGE):
        dynamodb.update_item(TableName=table_s, Key={"pk": key}, UpdateExpression="ADD hits :one",
                             ConditionExpression="attribute_exists(pk)", ExpressionAttributeValues={":one": N("1")})
    assert "Item" not in dynamodb.get_item(TableName=table_s, Key={"pk": key})


def test_delete_with_condition(dynamodb, table_s):
    # why: DeleteItem deletes only when the condition holds.
    key = S(util.unique_key())
    dynamodb.put_item(TableName=table_s, Item={"pk": key, "v": S("keep")})
    with raises(CCF, CCF_MESSAGE):
        dynamodb.delete_item(TableName=table_s, Key={"pk": key}, ConditionExpression="v = :v",
                             ExpressionAttributeValues={":v": S("wrong")})
    assert "Item" in dynamodb.get_item(TableName=table_s, Key={"pk": key})
    dynamodb.delete_item(TableName=table_s, Key={"pk": key}, ConditionExpression="v = :v",
                         ExpressionAttributeValues={":v": S("keep")})
    assert "Item" not in dynamodb.get_item(TableName=table_s, Key={"pk": key})


def test_condition_on_range_key_table(dynamodb, table_sn):
    # why: the condition is evaluated against the item with both keys, and may name them.
    key = {"pk": S(util.unique_key()), "sk": N("7")}
    dynamodb.put_item(TableName=table_sn, Item=dict(key, v=S("x")))
    dynamodb.delete_item(TableName=table_sn, Key=key, ConditionExpression="sk = :sk AND attribute_exists(pk)",
                         ExpressionAttributeValues={":sk": N("7")})
    assert "Item" not in dynamodb.get_item(TableName=table_sn, Key=key)


def write_body(op, table, key, item):
    """A Put/Update/Delete request whose condition (s = :v, :v = "cat") fails on `item`."""
    body = {"TableName": table, "ConditionExpression": "s = :v", "ExpressionAttributeValues": {":v": S("cat")}}
    if op == "PutItem":
        body["Item"] = {"pk": key, "s": S("new")}
    else:
        body["Key"] = {"pk": key}
    if op == "UpdateItem":
        body["UpdateExpression"] = "SET t = :v"
    return body


@pytest.mark.parametrize("op", ["PutItem", "UpdateItem", "DeleteItem"])
def test_return_old_item_on_failure(url, dynamodb, table_s, op):
    # why: ReturnValuesOnConditionCheckFailure=ALL_OLD puts the unchanged item into the error body.
    key = S(util.unique_key())
    item = {"pk": key, "s": S("dog"), "n": {"NS": ["1", "2"]}}
    dynamodb.put_item(TableName=table_s, Item=item)
    body = dict(write_body(op, table_s, key, item), ReturnValuesOnConditionCheckFailure="ALL_OLD")
    status, code, message, parsed = call(url, op, body)
    assert (status, code, message) == (400, CCF, CCF_MESSAGE)
    got = parsed["Item"]
    got["n"]["NS"].sort()
    assert got == item
    assert dynamodb.get_item(TableName=table_s, Key={"pk": key})["Item"]["s"] == S("dog")


@pytest.mark.parametrize("op", ["PutItem", "UpdateItem", "DeleteItem"])
@pytest.mark.parametrize("mode", ["NONE", None])
def test_no_old_item_on_failure_without_all_old(url, dynamodb, table_s, op, mode):
    # why: NONE (the default) returns the bare error.
    key = S(util.unique_key())
    dynamodb.put_item(TableName=table_s, Item={"pk": key, "s": S("dog")})
    body = write_body(op, table_s, key, None)
    if mode:
        body["ReturnValuesOnConditionCheckFailure"] = mode
    status, code, message, parsed = call(url, op, body)
    assert (status, code, message) == (400, CCF, CCF_MESSAGE)
    assert "Item" not in parsed


@pytest.mark.parametrize("op", ["PutItem", "UpdateItem", "DeleteItem"])
def test_no_old_item_on_failure_when_missing(url, table_s, op):
    # why: with ALL_OLD and no item there is nothing to return (Alternator test_returnvalues).
    body = dict(write_body(op, table_s, S(util.unique_key()), None), ReturnValuesOnConditionCheckFailure="ALL_OLD")
    status, code, message, parsed = call(url, op, body)
    assert (status, code, message) == (400, CCF, CCF_MESSAGE)
    assert "Item" not in parsed


@pytest.mark.parametrize("op", ["PutItem", "UpdateItem", "DeleteItem"])
def test_return_values_on_failure_ignored_on_success(url, dynamodb, table_s, op):
    # why: a write whose condition holds returns neither Item nor Attributes for this parameter.
    key = S(util.unique_key())
    dynamodb.put_item(TableName=table_s, Item={"pk": key, "s": S("cat")})
    body = dict(write_body(op, table_s, key, None), ReturnValuesOnConditionCheckFailure="ALL_OLD")
    status, _, _, parsed = call(url, op, body)
    assert status == 200 and "Item" not in parsed and "Attributes" not in parsed, parsed
