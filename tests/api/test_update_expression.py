"""test_update_expression.py — UpdateItem with an UpdateExpression: SET (with +, -, if_not_exists,
list_append), REMOVE (attributes, map keys, list elements), ADD (numbers and sets), DELETE (from
sets), clause and path rules, key attributes, UpdateItem creating (or not creating) the item, every
ReturnValues mode including nested paths, the item size limit after an update, and exact decimal
arithmetic with its overflow and precision errors.

Ground truth is real DynamoDB: exact messages from nubo-db/dynamodb-conformance
(tests/tier3/error-messages/updateItem, captures/*.json, tests/tier3/limits/itemSizeBySurface) and,
where it is silent, Alternator's test_update_expression.py / test_returnvalues.py / test_item.py
(run against DynamoDB); behaviour cross-checked with DynamoDB Local, which differs on UPDATED_OLD /
UPDATED_NEW of nested paths (it returns whole top-level attributes) and on the update size ceiling.
Request-validation errors carry a regional "1 validation error detected: " prefix, floated with
util.enveloped(); errors found while applying the update to the item do not have it.

Order: serialization, validation, functionality (dynalite).
"""
import re

import pytest

import util
from util import enveloped, raises

CCF = "ConditionalCheckFailedException"
KEY_PART = "One or more parameter values were invalid: Cannot update attribute {}. This attribute is part of the key"
MISSING = "The provided expression refers to an attribute that does not exist in the item"
BAD_OPERAND = "An operand in the update expression has an incorrect data type"
BAD_PATH = "The document path provided in the update expression is invalid for update"
OVERFLOW = "Number overflow. Attempting to store a number with magnitude larger than supported range"
UNDERFLOW = "Number underflow. Attempting to store a number with magnitude smaller than supported range"
LOCAL_PRECISION = "DynamoDB only supports precision up to 38 digits"
UPDATE_TOO_BIG = "Item size to update has exceeded the maximum allowed size"
ITEM_LIMIT = 409_600
LOCAL_WHOLE = "DynamoDB Local returns whole top-level attributes for UPDATED_OLD/UPDATED_NEW"


def S(value):
    return {"S": value}


def N(value):
    return {"N": value}


def invalid(text):
    """An UpdateExpression validation error."""
    return enveloped("Invalid UpdateExpression: " + text)


def used_values(expression, values):
    """The entries of `values` whose placeholder appears in `expression`."""
    return {k: v for k, v in values.items() if re.search(re.escape(k) + r"(?![A-Za-z0-9_])", expression)}


def sets_sorted(item):
    """The item with set members sorted (DynamoDB promises no order), recursively."""
    def norm(av):
        (kind, value), = av.items()
        if kind in ("SS", "NS", "BS"):
            return {kind: sorted(value)}
        if kind == "M":
            return {"M": {k: norm(v) for k, v in value.items()}}
        if kind == "L":
            return {"L": [norm(v) for v in value]}
        return av
    return {k: norm(v) for k, v in item.items()}


class Item:
    """One item of a test's own in a shared table: put it, update it, read it back."""

    def __init__(self, dynamodb, table, attrs=None, key=None):
        self.dynamodb, self.table = dynamodb, table
        self.key = key or {"pk": S(util.unique_key())}
        if attrs is not None:
            dynamodb.put_item(TableName=table, Item={**self.key, **attrs})

    def update(self, expression, values=None, names=None, **params):
        if values:
            params["ExpressionAttributeValues"] = values
        if names:
            params["ExpressionAttributeNames"] = names
        return self.dynamodb.update_item(TableName=self.table, Key=self.key, UpdateExpression=expression, **params)

    def get(self):
        """The stored item without its key, or None when there is none."""
        item = self.dynamodb.get_item(TableName=self.table, Key=self.key, ConsistentRead=True).get("Item")
        return None if item is None else sets_sorted({k: v for k, v in item.items() if k not in self.key})


# =============================================================================================
# Serialization
# =============================================================================================

@pytest.mark.local_differs("DynamoDB Local answers a list where a string belongs with 500 InternalFailure")
def test_update_expression_not_a_string(url, table_s):
    # why: UpdateExpression is a string; a list is refused while parsing (dynalite's wording).
    status, _, body, raw = util.raw_request(url, target="DynamoDB_20120810.UpdateItem", body={
        "TableName": table_s, "Key": {"pk": S("a")}, "UpdateExpression": ["SET a = :v"]})
    assert (status, util.error_of(body)) == (400, ("SerializationException",
                                                   "Unrecognized collection type class java.lang.String")), raw


# =============================================================================================
# Validation: syntax and clauses
# =============================================================================================

def test_syntax_error_conformance_case(dynamodb, table_s):
    # why: the conformance suite's exact case (u_upd_syntax).
    with raises("ValidationException", invalid('Syntax error; token: "INVALID", near: "INVALID SYNTAX"')):
        Item(dynamodb, table_s).update("INVALID SYNTAX HERE", {":v": S("val")})


SYNTAX_ERRORS = [
    ("SET", "<EOF>", "SET"), ("SET a", "<EOF>", "a"), ("SET a = ", "<EOF>", "= "), ("SET a = :v,", "<EOF>", ","),
    ("REMOVE", "<EOF>", "REMOVE"), ("ADD a", "<EOF>", "a"), ("ADD a :n, ", "<EOF>", ", "), ("DELETE a", "<EOF>", "a"),
    ("UPDATE a = :v", "UPDATE", "UPDATE a"), ("SET :v = :w", ":v", "SET :v ="), ("REMOVE :v", ":v", "REMOVE :v"),
    ("SET a = :n + :n + :n", "+", ":n + :n"), ("SET a = :n + (:n - :n)", "-", ":n - :n"),
    ("SET c = if_not_exists(c, :n+:n)", "+", ":n+:n"), ("SET a[:n] = :v", ":n", "[:n]"), ("SET _a = :v", "_", "SET _a"),
]


@pytest.mark.parametrize("expression, token, near", SYNTAX_ERRORS, ids=[e for e, _, _ in SYNTAX_ERRORS])
def test_syntax_error(dynamodb, table_s, expression, token, near):
    # why: only the four clauses exist, + and - take exactly two operands, list indexes are literals.
    values = used_values(expression, {":v": S("x"), ":w": S("y"), ":n": N("1")})
    with raises("ValidationException", invalid(f'Syntax error; token: "{token}", near: "{near}"')):
        Item(dynamodb, table_s).update(expression, values)


def test_empty_update_expression(dynamodb, table_s):
    # why: an empty UpdateExpression is refused (unlike an empty AttributeUpdates; conformance u_upd_empty).
    with raises("ValidationException", invalid("The expression can not be empty;")):
        Item(dynamodb, table_s).update("")


@pytest.mark.parametrize("expression, clause", [
    ("SET a = :v SET b = :v", "SET"), ("REMOVE a REMOVE b", "REMOVE"), ("ADD a :n ADD b :n", "ADD"),
    ("DELETE a :ss DELETE b :ss", "DELETE"), ("SET a = :v REMOVE c SET b = :v", "SET"),
])
def test_clause_once(dynamodb, table_s, expression, clause):
    # why: each clause appears at most once, even when interleaved with others.
    values = used_values(expression, {":v": S("x"), ":n": N("1"), ":ss": {"SS": ["a"]}})
    with raises("ValidationException", invalid(f'The "{clause}" section can only be used once in an update '
                                               "expression;")):
        Item(dynamodb, table_s).update(expression, values)


def overlap(one, two):
    return invalid("Two document paths overlap with each other; must remove or rewrite one of these paths; "
                   f"path one: {one}, path two: {two}")


def conflict(one, two):
    return invalid("Two document paths conflict with each other; must remove or rewrite one of these paths; "
                   f"path one: {one}, path two: {two}")


@pytest.mark.parametrize("expression, message", [
    ("SET a = :v, a = :v", overlap("[a]", "[a]")),
    ("SET a = :v REMOVE a", overlap("[a]", "[a]")),
    ("REMOVE a SET a = :v", overlap("[a]", "[a]")),
    ("SET #a1 = :v, #a2 = :v", overlap("[a]", "[a]")),
    ("SET m = :v, m.x = :v", overlap("[m]", "[m, x]")),
    ("SET m.x = :v, m = :v", overlap("[m, x]", "[m]")),
    ("SET m.x = :v, m.x = :v", overlap("[m, x]", "[m, x]")),
    ("SET a.b = :v, a.b.c.d.e = :v", overlap("[a, b]", "[a, b, c, d, e]")),
    ("SET l[0] = :v, l[0] = :v", overlap("[l, [0]]", "[l, [0]]")),
    ("SET l[0] = :v REMOVE l[0]", overlap("[l, [0]]", "[l, [0]]")),
    ("SET l[0] = :v REMOVE l", overlap("[l, [0]]", "[l]")),
    ("REMOVE l[0], l[0]", overlap("[l, [0]]", "[l, [0]]")),
    ("SET a[1][1] = :v, a[1] = :v", overlap("[a, [1], [1]]", "[a, [1]]")),
    ("ADD n :n SET n = :v", overlap("[n]", "[n]")),
    ("SET a.b = :v, a[1] = :v", conflict("[a, b]", "[a, [1]]")),
    ("SET a[1] = :v, a.b = :v", conflict("[a, [1]]", "[a, b]")),
    ("SET a.b.c = :v, a.b[2] = :v", conflict("[a, b, c]", "[a, b, [2]]")),
])
def test_overlapping_paths(dynamodb, table_s, expression, message):
    # why: an update may not write a path twice, a path and its parent, or a path as both map and
    # list; checked on the expression alone, whatever the item holds.
    values = used_values(expression, {":v": S("x"), ":n": N("1")})
    names = {"#a1": "a", "#a2": "a"} if "#a1" in expression else None
    with raises("ValidationException", message):
        Item(dynamodb, table_s).update(expression, values, names)


def test_sibling_paths_do_not_overlap(dynamodb, table_s):
    # why: disjoint paths into the same attributes are fine (Alternator test_update_expression_multi_nested).
    item = Item(dynamodb, table_s, {"a": {"M": {"x": N("3"), "y": N("4"), "c": {"M": {"y": N("3")}}}},
                                    "b": {"M": {"x": N("1"), "y": N("2")}}})
    item.update("SET a.b = :v1, a.c.d = :v2, b.x = :v3 REMOVE a.x, b.y",
                {":v1": N("10"), ":v2": S("dog"), ":v3": N("17")})
    assert item.get() == {"a": {"M": {"y": N("4"), "b": N("10"), "c": {"M": {"y": N("3"), "d": S("dog")}}}},
                          "b": {"M": {"x": N("17")}}}


FUNCTION_ERRORS = [
    ("SET a = foo(b)", "Invalid function name; function: foo"),
    ("SET a = LIST_APPEND(:l, :l)", "Invalid function name; function: LIST_APPEND"),
    ("SET a = size(b)", "The function is not allowed in an update expression; function: size"),
    ("SET a = list_append(:l)", "Incorrect number of operands for operator or function; operator or function: "
                                "list_append, number of operands: 1"),
    ("SET a = list_append(:l, :l, :l)", "Incorrect number of operands for operator or function; operator or "
                                        "function: list_append, number of operands: 3"),
    ("SET a = if_not_exists(b)", "Incorrect number of operands for operator or function; operator or function: "
                                 "if_not_exists, number of operands: 1"),
    ("SET a = if_not_exists(:v, :v)", "Operator or function requires a document path; operator or function: "
                                      "if_not_exists"),
    ("SET a = list_append(list_append(:l, :l), :l)", "The function is not allowed to be used this way in an "
                                                     "expression; function: list_append"),
    ("SET a = list_append(b, :v)", "Incorrect operand type for operator or function; operator or function: "
                                   "list_append, operand type: S"),
    ("SET a = b + :v", "Incorrect operand type for operator or function; operator or function: +, operand type: S"),
    ("SET a = :n - :l", "Incorrect operand type for operator or function; operator or function: -, operand type: L"),
    ("ADD a :v", "Incorrect operand type for operator or function; operator: ADD, operand type: STRING, "
                 "typeSet: ALLOWED_FOR_ADD_OPERAND"),
    ("ADD a :l", "Incorrect operand type for operator or function; operator: ADD, operand type: LIST, "
                 "typeSet: ALLOWED_FOR_ADD_OPERAND"),
    ("DELETE a :n", "Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER, "
                    "typeSet: ALLOWED_FOR_DELETE_OPERAND"),
    ("DELETE a :v", "Incorrect operand type for operator or function; operator: DELETE, operand type: STRING, "
                    "typeSet: ALLOWED_FOR_DELETE_OPERAND"),
]


@pytest.mark.parametrize("expression, message", FUNCTION_ERRORS, ids=[e for e, _ in FUNCTION_ERRORS])
def test_function_and_operand_errors(dynamodb, table_s, expression, message):
    # why: function names (case-sensitive), arities, path operands and the types of constant operands
    # are checked before the item is read.
    values = used_values(expression, {":v": S("x"), ":n": N("1"), ":l": {"L": [S("z")]}})
    with raises("ValidationException", invalid(message)):
        Item(dynamodb, table_s).update(expression, values)


@pytest.mark.parametrize("expression, word", [
    ("SET status = :v", "status"), ("SET a = if_not_exists(missing, :v)", "missing"), ("REMOVE m.name", "name"),
    ("ADD count :n", "count"), ("DELETE items :ss", "items"), ("SET a = list_append(data, :l)", "data"),
])
def test_reserved_word(dynamodb, table_s, expression, word):
    # why: reserved words are refused anywhere in an update, on either side of =.
    values = used_values(expression, {":v": S("x"), ":n": N("1"), ":ss": {"SS": ["a"]}, ":l": {"L": []}})
    with raises("ValidationException", invalid(f"Attribute name is a reserved keyword; reserved keyword: {word}")):
        Item(dynamodb, table_s).update(expression, values)


def test_undefined_value(dynamodb, table_s):
    # why: conformance u_upd_missing_eav.
    with raises("ValidationException", invalid("An expression attribute value used in expression is not defined; "
                                               "attribute value: :v")):
        Item(dynamodb, table_s).update("SET attr1 = :v")


def test_undefined_value_in_condition(dynamodb, table_s):
    # why: the condition's own placeholders are checked in its name (conformance, 2026-10-09).
    with raises("ValidationException", enveloped("Invalid ConditionExpression: An expression attribute value used in "
                                                 "expression is not defined; attribute value: :v")):
        Item(dynamodb, table_s).update("SET b = :w", {":w": S("x")}, ConditionExpression="a = :v")


def test_undefined_name(dynamodb, table_s):
    # why: every #name used must be defined.
    with raises("ValidationException", invalid("An expression attribute name used in the document path is not "
                                               "defined; attribute name: #name")):
        Item(dynamodb, table_s).update("SET #name = :v", {":v": S("x")}, {"#wrong": "a"})


def test_unused_name(dynamodb, table_s):
    # why: conformance u_upd_unused_ean.
    with raises("ValidationException", enveloped("Value provided in ExpressionAttributeNames unused in expressions: "
                                                 "keys: {#unused}")):
        Item(dynamodb, table_s).update("SET attr1 = :v", {":v": S("val")}, {"#unused": "someattr"})


def test_unused_value(dynamodb, table_s):
    # why: conformance u_upd_unused_eav; names used only on the right of = count as used.
    with raises("ValidationException", enveloped("Value provided in ExpressionAttributeValues unused in expressions: "
                                                 "keys: {:unused}")):
        Item(dynamodb, table_s).update("SET #one = #two", {":unused": S("extra")}, {"#one": "c", "#two": "a"})


def test_values_without_expression(dynamodb, table_s):
    # why: values need an expression; newer regions drop the tail and add the envelope.
    pattern = re.compile(r"(?:1 validation error detected: ExpressionAttributeValues can only be specified when "
                         r"using expressions|ExpressionAttributeValues can only be specified when using expressions: "
                         r"UpdateExpression and ConditionExpression are null)")
    with raises("ValidationException", pattern):
        dynamodb.update_item(TableName=table_s, Key={"pk": S("a")}, ExpressionAttributeValues={":v": S("x")})


def test_empty_set_value(dynamodb, table_s):
    # why: values are validated like items; an empty set is never a value, even for DELETE.
    with raises("ValidationException", enveloped("ExpressionAttributeValues contains invalid value: One or more "
                                                 "parameter values were invalid: An number set  may not be empty "
                                                 "for key :e")):
        Item(dynamodb, table_s).update("DELETE ns :e", {":e": {"NS": []}})


# =============================================================================================
# Validation: key attributes
# =============================================================================================

@pytest.mark.parametrize("expression", ["SET pk = :v", "REMOVE pk", "ADD pk :n", "DELETE pk :ss", "SET pk.x = :v",
                                        "SET a = :v, pk = :v"])
def test_hash_key_not_updatable(dynamodb, table_s, expression):
    # why: no action may touch a key attribute (conformance u_upd_hashkey, no envelope in any region).
    values = used_values(expression, {":v": S("x"), ":n": N("1"), ":ss": {"SS": ["a"]}})
    item = Item(dynamodb, table_s)
    with raises("ValidationException", KEY_PART.format("pk")):
        item.update(expression, values)
    assert item.get() is None


def test_range_key_not_updatable(dynamodb, table_ss):
    # why: the range key too (conformance u_upd_rangekey).
    with raises("ValidationException", KEY_PART.format("sk")):
        Item(dynamodb, table_ss, key={"pk": S(util.unique_key()), "sk": S("sk1")}).update("SET sk = :v", {":v": S("n")})


def test_key_can_be_read(dynamodb, table_sn):
    # why: key attributes may be read on the right of = (Alternator test_update_expression_set_key).
    item = Item(dynamodb, table_sn, key={"pk": S(util.unique_key()), "sk": N("7")})
    item.update("SET n = #p, nn = #c + #c", names={"#p": "pk", "#c": "sk"})
    assert item.get() == {"n": item.key["pk"], "nn": N("14")}


# =============================================================================================
# Functionality: SET
# =============================================================================================

def test_update_creates_item(dynamodb, table_s):
    # why: UpdateItem on a missing item creates it (conformance updateItem/basic).
    item = Item(dynamodb, table_s)
    item.update("SET #d = :v", {":v": S("created")}, {"#d": "data"})
    assert item.get() == {"data": S("created")}


def test_update_without_expression_creates_item(dynamodb, table_s):
    # why: an UpdateItem with nothing to do still creates the item with just its key.
    item = Item(dynamodb, table_s)
    assert dynamodb.update_item(TableName=table_s, Key=item.key, ReturnValues="ALL_NEW")["Attributes"] == item.key
    assert item.get() == {}


def test_set_merges(dynamodb, table_s):
    # why: SET changes the named attributes and keeps the others (unlike PutItem).
    item = Item(dynamodb, table_s, {"a": S("hi"), "b": S("keep")})
    item.update("SET a = :v, c = :w", {":v": S("hey"), ":w": N("1")})
    assert item.get() == {"a": S("hey"), "b": S("keep"), "c": N("1")}


def test_set_copies_attribute(dynamodb, table_s):
    # why: the right side may be a path, read from the item before the update.
    item = Item(dynamodb, table_s, {"a": S("hello"), "m": {"M": {"c": {"M": {"x": N("7")}}}}})
    item.update("SET b = a, z = m.c.x, a = a")
    assert item.get() == {"a": S("hello"), "b": S("hello"), "z": N("7"), "m": {"M": {"c": {"M": {"x": N("7")}}}}}


@pytest.mark.parametrize("expression", ["SET c = z", "SET z = z", "SET x = :v, y = x", "SET a = nope + :n",
                                        "SET a = list_append(nope, :l)", "SET a = list_append(:l, nope)"])
def test_set_from_missing_attribute(dynamodb, table_s, expression):
    # why: reading an attribute that does not exist fails; values are read before any write, so an
    # attribute SET earlier in the same expression does not exist yet either.
    item = Item(dynamodb, table_s, {"a": S("hello")})
    with raises("ValidationException", MISSING):
        item.update(expression, used_values(expression, {":v": N("4"), ":n": N("1"), ":l": {"L": []}}))


def test_set_from_missing_item(dynamodb, table_s):
    # why: the same on an item that does not exist, which is then not created.
    item = Item(dynamodb, table_s)
    with raises("ValidationException", MISSING):
        item.update("SET c = z")
    assert item.get() is None


def test_set_plus_minus(dynamodb, table_s):
    # why: + and - on numbers, either side a path or a value.
    item = Item(dynamodb, table_s, {"a": N("2")})
    item.update("SET a = a + :v", {":v": N("3")})
    item.update("SET a = :v + a", {":v": N("4")})
    item.update("SET b = :v - a", {":v": N("10")})
    item.update("SET c = a - b, d = :x + :y", {":x": N("4"), ":y": N("3")})
    assert item.get() == {"a": N("9"), "b": N("1"), "c": N("8"), "d": N("7")}


def test_set_plus_on_nested_paths(dynamodb, table_s):
    # why: arithmetic reads and writes nested paths (conformance updateItem/paths).
    item = Item(dynamodb, table_s, {"m": {"M": {"counter": N("10"), "l": {"L": [N("1")]}}}})
    item.update("SET #m.#c = #m.#c + :inc, m.l[0] = m.l[0] - :inc", {":inc": N("5")}, {"#m": "m", "#c": "counter"})
    assert item.get() == {"m": {"M": {"counter": N("15"), "l": {"L": [N("-4")]}}}}


@pytest.mark.parametrize("expression", ["SET a = s + :n", "SET a = :n - s", "SET a = l + :n"])
def test_set_plus_on_non_number(dynamodb, table_s, expression):
    # why: an attribute of another type is only known when the item is read: a different message.
    item = Item(dynamodb, table_s, {"s": S("str"), "l": {"L": []}})
    with raises("ValidationException", BAD_OPERAND):
        item.update(expression, {":n": N("1")})


def test_if_not_exists(dynamodb, table_s):
    # why: if_not_exists(path, v) is the path's value when it exists, else v (conformance updateItem/basic).
    item = Item(dynamodb, table_s, {"existing": S("keep-me"), "myval": S("original")})
    item.update("SET existing = if_not_exists(existing, :d), newone = if_not_exists(newone, :d2), "
                "#bk = if_not_exists(#bk, #mv)", {":d": S("default"), ":d2": S("created")},
                {"#bk": "backup", "#mv": "myval"})
    assert item.get() == {"existing": S("keep-me"), "newone": S("created"), "myval": S("original"),
                          "backup": S("original")}


def test_if_not_exists_plus(dynamodb, table_s):
    # why: f(x) + y is allowed (the counter-with-default idiom).
    item = Item(dynamodb, table_s)
    item.update("SET b = if_not_exists(b, :zero) + :one", {":zero": N("0"), ":one": N("1")})
    item.update("SET b = if_not_exists(b, :zero) + :one", {":zero": N("0"), ":one": N("1")})
    assert item.get() == {"b": N("2")}


def test_list_append(dynamodb, table_s):
    # why: list_append concatenates in argument order; paths and values mix.
    item = Item(dynamodb, table_s, {"vals": {"L": [S("a"), S("b")]}})
    item.update("SET vals = list_append(vals, :new), front = list_append(:new, vals), twice = list_append(vals, vals)",
                {":new": {"L": [S("c"), N("1")]}})
    assert item.get() == {"vals": {"L": [S("a"), S("b"), S("c"), N("1")]},
                          "front": {"L": [S("c"), N("1"), S("a"), S("b")]},
                          "twice": {"L": [S("a"), S("b"), S("a"), S("b")]}}


@pytest.mark.parametrize("value", [N("7"), S("hello"), {"SS": ["x"]}, {"M": {"a": N("3")}}])
def test_list_append_non_list(dynamodb, table_s, value):
    # why: list_append of an attribute that is not a list is an operand type error.
    item = Item(dynamodb, table_s, {"b": value})
    with raises("ValidationException", BAD_OPERAND):
        item.update("SET a = list_append(b, :l)", {":l": {"L": [N("1")]}})


def test_set_list_element(dynamodb, table_s):
    # why: SET l[i] replaces one element.
    item = Item(dynamodb, table_s, {"l": {"L": [S("one"), S("two"), S("three")]}})
    item.update("SET l[1] = :v", {":v": S("hello")})
    assert item.get() == {"l": {"L": [S("one"), S("hello"), S("three")]}}


def test_set_beyond_list_end_appends(dynamodb, table_s):
    # why: an index past the end appends; several are appended in index order (developer guide).
    item = Item(dynamodb, table_s, {"l": {"L": [S("one"), S("two"), S("three")]}})
    item.update("SET l[7] = :v", {":v": S("hello")})
    item.update("SET l[84] = :a1, l[37] = :a2, l[17] = :a3, l[50] = :a4",
                {":a1": S("a1"), ":a2": S("a2"), ":a3": S("a3"), ":a4": S("a4")})
    assert item.get() == {"l": {"L": [S(x) for x in ("one", "two", "three", "hello", "a3", "a2", "a4", "a1")]}}


def test_set_first_element_of_empty_list(dynamodb, table_s):
    # why: conformance updateItem/paths.
    item = Item(dynamodb, table_s, {"l": {"L": []}})
    item.update("SET l[0] = :v", {":v": S("first")})
    assert item.get() == {"l": {"L": [S("first")]}}


def test_set_nested(dynamodb, table_s):
    # why: SET into an existing map adds or replaces one key; deep paths mix keys and indexes.
    item = Item(dynamodb, table_s, {"a": {"M": {"b": N("3"), "c": {"L": [S("hi"), {"M": {"x": {"M": {
        "y": {"L": [N("3"), N("5"), N("7")]}}}}}]}}}})
    item.update("SET a.c[1].#name.y[1] = :v, a.d = :w", {":v": N("9"), ":w": S("new")}, {"#name": "x"})
    assert item.get() == {"a": {"M": {"b": N("3"), "d": S("new"), "c": {"L": [S("hi"), {"M": {"x": {"M": {
        "y": {"L": [N("3"), N("9"), N("7")]}}}}}]}}}}


def test_set_dotted_name_is_top_level(dynamodb, table_s):
    # why: #a naming "a.b" is one attribute literally called "a.b".
    item = Item(dynamodb, table_s)
    item.update("SET #a = :v", {":v": N("3")}, {"#a": "a.b"})
    assert item.get() == {"a.b": N("3")}


@pytest.mark.parametrize("attrs, expression", [
    ({"a": S("hello")}, "SET a.c = :v"), ({"b": {"L": [S("hi")]}}, "SET b.c = :v"), ({}, "SET c.c = :v"),
    ({}, "SET nope.x.y = :v"), ({"a": S("hello")}, "SET a[0] = :v"),
    ({}, "SET b[0] = :v"), ({"m": {"M": {}}}, "SET m.x.y = :v"), ({"a": S("hello")}, "REMOVE a.c"),
    ({"a": S("hello")}, "REMOVE a[0]"), ({"x": N("1")}, "REMOVE c.c"), ({"x": N("1")}, "REMOVE b[0]"),
    ({"a": S("hello")}, "ADD a.b :n"),
])
def test_invalid_document_path(dynamodb, table_s, attrs, expression):
    # why: a path through a missing attribute, or through a value of the wrong kind, cannot be written.
    item = Item(dynamodb, table_s, attrs)
    with raises("ValidationException", BAD_PATH):
        item.update(expression, used_values(expression, {":v": N("7"), ":n": N("1")}))


def test_set_empty_containers_and_strings(dynamodb, table_s):
    # why: empty lists, maps, strings and binaries are values like any other (Alternator).
    item = Item(dynamodb, table_s)
    item.update("SET d = :l, e = :m, f = :s, g = :b", {":l": {"L": []}, ":m": {"M": {}}, ":s": S(""), ":b": {"B": b""}})
    assert item.get() == {"d": {"L": []}, "e": {"M": {}}, "f": S(""), "g": {"B": b""}}


# =============================================================================================
# Functionality: REMOVE
# =============================================================================================

def test_remove(dynamodb, table_s):
    # why: REMOVE drops top-level attributes and map keys; missing ones are ignored.
    item = Item(dynamodb, table_s, {"keep": S("yes"), "drop": S("no"), "m": {"M": {"nested": S("gone"), "k": S("stay")}}})
    item.update("REMOVE #d, m.nested, ghost, m.ghost", names={"#d": "drop"})
    assert item.get() == {"keep": S("yes"), "m": {"M": {"k": S("stay")}}}


def test_remove_list_elements(dynamodb, table_s):
    # why: REMOVE l[i] deletes elements and shifts the rest; indexes refer to the original list.
    item = Item(dynamodb, table_s, {"l": {"L": [S(x) for x in "abcdef"]}})
    item.update("REMOVE l[1], l[0], l[4]")
    assert item.get() == {"l": {"L": [S("c"), S("d"), S("f")]}}


def test_remove_then_set_uses_original_indexes(dynamodb, table_s):
    # why: REMOVE a[1] SET a[3] sets the element that was a[3] before the removal, in either order.
    for expression in ("REMOVE l[1] SET l[3] = :v", "SET l[3] = :v REMOVE l[1]"):
        item = Item(dynamodb, table_s, {"l": {"L": [N(str(i)) for i in range(2, 8)]}})
        item.update(expression, {":v": N("17")})
        assert item.get() == {"l": {"L": [N("2"), N("4"), N("17"), N("6"), N("7")]}}


def test_remove_beyond_list_end(dynamodb, table_s):
    # why: removing past the end of a list, or a missing map key, changes nothing.
    attrs = {"a": {"M": {"x": N("3")}}, "b": {"L": [S("hi")]}}
    item = Item(dynamodb, table_s, attrs)
    item.update("REMOVE a.y, b[7], c")
    assert item.get() == attrs


def test_remove_last_members_leaves_empty_containers(dynamodb, table_s):
    # why: maps and lists may be empty, unlike sets.
    item = Item(dynamodb, table_s, {"m": {"M": {"b": N("1")}}, "l": {"L": [N("1")]}})
    item.update("REMOVE m.b, l[0]")
    assert item.get() == {"m": {"M": {}}, "l": {"L": []}}


@pytest.mark.local_differs("DynamoDB Local creates the item")
def test_remove_on_missing_item_does_not_create(dynamodb, table_s):
    # why: an update that only removes does not create a missing item, and ALL_NEW returns nothing
    # (Alternator test_item.py::test_update_item_non_existent and test_returnvalues, against DynamoDB).
    item = Item(dynamodb, table_s)
    assert "Attributes" not in item.update("REMOVE b", ReturnValues="ALL_NEW")
    assert item.get() is None


@pytest.mark.local_differs("DynamoDB Local refuses a nested REMOVE on a missing item")
@pytest.mark.parametrize("expression", ["REMOVE x.y", "REMOVE x[0]"])
def test_remove_nested_on_missing_item(dynamodb, table_s, expression):
    # why: on a missing item even a nested REMOVE is silently ignored (Alternator marks it xfail
    # "for unknown reason, DynamoDB allows REMOVE x.y when item doesn't exist").
    item = Item(dynamodb, table_s)
    item.update(expression)
    assert item.get() is None


# =============================================================================================
# Functionality: ADD and DELETE
# =============================================================================================

def test_add_number(dynamodb, table_s):
    # why: ADD adds to a number, starts a missing one at 0, and creates a missing item.
    item = Item(dynamodb, table_s, {"count": N("10")})
    item.update("ADD #c :v, fresh :w", {":v": N("3"), ":w": N("-2.5")}, {"#c": "count"})
    assert item.get() == {"count": N("13"), "fresh": N("-2.5")}
    new = Item(dynamodb, table_s)
    new.update("ADD b :v", {":v": N("8")})
    assert new.get() == {"b": N("8")}


@pytest.mark.parametrize("kind, old, add, union, created", [
    ("SS", ["a", "b"], ["b", "c"], ["a", "b", "c"], ["b", "c"]),
    ("NS", ["1", "2"], ["2.0", "3"], ["1", "2", "3"], ["2", "3"]),
    ("BS", [b"\x01"], [b"\x01", b"\x02"], [b"\x01", b"\x02"], [b"\x01", b"\x02"]),
])
def test_add_to_set(dynamodb, table_s, kind, old, add, union, created):
    # why: ADD on a set is a union (numbers compared by value); a missing set is created.
    item = Item(dynamodb, table_s, {"s": {kind: old}})
    item.update("ADD s :v, t :w", {":v": {kind: add}, ":w": {kind: created}})
    assert item.get() == {"s": {kind: union}, "t": {kind: created}}


def test_add_nested_number(dynamodb, table_s):
    # why: ADD works on a nested path whose parent exists.
    item = Item(dynamodb, table_s, {"m": {"M": {"x": N("1")}}})
    item.update("ADD m.x :n, m.y :n", {":n": N("1")})
    assert item.get() == {"m": {"M": {"x": N("2"), "y": N("1")}}}


@pytest.mark.parametrize("attrs, value", [
    ({"a": S("hi")}, N("1")), ({"a": {"SS": ["x"]}}, N("1")), ({"a": {"SS": ["x"]}}, {"NS": ["1"]}),
    ({"a": {"NS": ["1"]}}, {"SS": ["x"]}), ({"a": {"L": [N("1")]}}, {"NS": ["3"]}), ({"a": N("1")}, {"NS": ["1"]}),
])
def test_add_type_mismatch(dynamodb, table_s, attrs, value):
    # why: ADD needs the attribute to be a number or a set of the value's type.
    item = Item(dynamodb, table_s, attrs)
    with raises("ValidationException", BAD_OPERAND):
        item.update("ADD a :v", {":v": value})
    assert item.get() == attrs


@pytest.mark.parametrize("kind, old, delete, left", [
    ("SS", ["a", "b", "c"], ["b", "x"], ["a", "c"]),
    ("NS", ["1", "2", "3"], ["2.0"], ["1", "3"]),
    ("BS", [b"\x01", b"\x02"], [b"\x02"], [b"\x01"]),
])
def test_delete_from_set(dynamodb, table_s, kind, old, delete, left):
    # why: DELETE removes members; members that are not there are ignored.
    item = Item(dynamodb, table_s, {"s": {kind: old}})
    item.update("DELETE s :v", {":v": {kind: delete}})
    assert item.get() == {"s": {kind: left}}


def test_delete_every_member_removes_attribute(dynamodb, table_s):
    # why: a set cannot be empty, so emptying it removes the attribute (conformance updateItem/basic).
    item = Item(dynamodb, table_s, {"tags": {"SS": ["a", "b"]}, "other": S("x")})
    item.update("DELETE #t :v", {":v": {"SS": ["a", "b"]}}, {"#t": "tags"})
    assert item.get() == {"other": S("x")}


def test_delete_from_missing_attribute(dynamodb, table_s):
    # why: deleting from a set that does not exist does nothing.
    item = Item(dynamodb, table_s, {"other": S("x")})
    item.update("DELETE tags :v", {":v": {"SS": ["a"]}})
    assert item.get() == {"other": S("x")}


@pytest.mark.local_differs("DynamoDB Local creates the item")
def test_delete_on_missing_item_does_not_create(dynamodb, table_s):
    # why: like REMOVE, a DELETE-only update does not create a missing item (the same rule Alternator
    # pins for AttributeUpdates DELETE with a set Value against DynamoDB).
    item = Item(dynamodb, table_s)
    item.update("DELETE tags :v", {":v": {"SS": ["a"]}})
    assert item.get() is None


@pytest.mark.parametrize("attrs, value", [
    ({"a": {"SS": ["x"]}}, {"NS": ["1"]}), ({"a": {"NS": ["1"]}}, {"SS": ["1"]}), ({"a": S("x")}, {"SS": ["x"]}),
    ({"a": {"L": [S("x")]}}, {"SS": ["x"]}),
])
def test_delete_type_mismatch(dynamodb, table_s, attrs, value):
    # why: DELETE needs a set of the value's type.
    item = Item(dynamodb, table_s, attrs)
    with raises("ValidationException", BAD_OPERAND):
        item.update("DELETE a :v", {":v": value})


def test_all_clauses_together(dynamodb, table_s):
    # why: the four clauses combine in one update, in any order, case-insensitive.
    item = Item(dynamodb, table_s, {"a": S("x"), "n": N("1"), "s": {"SS": ["p", "q"]}, "r": S("gone")})
    item.update("delete s :d add n :one remove r set a = :v", {":d": {"SS": ["p"]}, ":one": N("1"), ":v": S("y")})
    assert item.get() == {"a": S("y"), "n": N("2"), "s": {"SS": ["q"]}}


# =============================================================================================
# Functionality: ReturnValues
# =============================================================================================

def test_return_values_none(dynamodb, table_s):
    # why: NONE (the default) returns no attributes.
    item = Item(dynamodb, table_s, {"a": S("hi")})
    for params in ({}, {"ReturnValues": "NONE"}):
        assert "Attributes" not in item.update("SET b = :v", {":v": S("x")}, **params)


def test_return_values_all_old(dynamodb, table_s):
    # why: ALL_OLD returns the whole item before the update, nothing when there was none.
    item = Item(dynamodb, table_s, {"a": S("hi"), "b": S("dog")})
    got = item.update("SET b = :v", {":v": S("cat")}, ReturnValues="ALL_OLD")["Attributes"]
    assert got == {**item.key, "a": S("hi"), "b": S("dog")}
    assert "Attributes" not in Item(dynamodb, table_s).update("SET b = :v", {":v": S("c")}, ReturnValues="ALL_OLD")


def test_return_values_all_new(dynamodb, table_s):
    # why: ALL_NEW returns the whole item after the update, key included, removed attributes excluded.
    item = Item(dynamodb, table_s, {"a": S("hi"), "b": S("dog")})
    got = item.update("SET b = :v REMOVE a", {":v": S("cat")}, ReturnValues="ALL_NEW")["Attributes"]
    assert got == {**item.key, "b": S("cat")}
    new = Item(dynamodb, table_s)
    assert new.update("SET b = :v", {":v": S("c")}, ReturnValues="ALL_NEW")["Attributes"] == {**new.key, "b": S("c")}


def test_return_values_updated_old(dynamodb, table_s):
    # why: UPDATED_OLD returns the old values of the attributes written that existed, rewrites and
    # removals included, new ones not (Alternator test_update_item_returnvalues_updated_old).
    item = Item(dynamodb, table_s, {"a": S("hi"), "b": S("dog"), "r": S("x")})
    got = item.update("SET b = :v, c = :v REMOVE r, nope", {":v": S("cat")}, ReturnValues="UPDATED_OLD")
    assert got["Attributes"] == {"b": S("dog"), "r": S("x")}
    got = item.update("SET b = :v", {":v": S("cat")}, ReturnValues="UPDATED_OLD")
    assert got["Attributes"] == {"b": S("cat")}
    assert "Attributes" not in item.update("SET d = :v", {":v": S("new")}, ReturnValues="UPDATED_OLD")


def test_return_values_updated_new(dynamodb, table_s):
    # why: UPDATED_NEW returns the new values of the attributes written, not removed ones nor keys.
    item = Item(dynamodb, table_s, {"a": N("1"), "b": S("dog")})
    got = item.update("SET a = a + :one, c = :v REMOVE b", {":one": N("1"), ":v": S("hello")}, ReturnValues="UPDATED_NEW")
    assert got["Attributes"] == {"a": N("2"), "c": S("hello")}
    assert "Attributes" not in item.update("REMOVE c", ReturnValues="UPDATED_NEW")
    new = Item(dynamodb, table_s)
    assert new.update("ADD n :one", {":one": N("1")}, ReturnValues="UPDATED_NEW")["Attributes"] == {"n": N("1")}


NESTED = {"a": {"M": {"b": S("dog"), "c": {"L": [N("1"), N("2"), N("3")]}}}, "d": S("cat")}


@pytest.mark.local_differs(LOCAL_WHOLE)
@pytest.mark.parametrize("expression, values, mode, expected", [
    ("SET a.b = :v", {":v": S("hi")}, "UPDATED_OLD", {"a": {"M": {"b": S("dog")}}}),
    ("SET a.c[1] = :v", {":v": N("7")}, "UPDATED_OLD", {"a": {"M": {"c": {"L": [N("2")]}}}}),
    ("SET a.c[1] = :v, a.b = :w", {":v": N("8"), ":w": S("x")}, "UPDATED_OLD",
     {"a": {"M": {"b": S("dog"), "c": {"L": [N("2")]}}}}),
    ("REMOVE a.c[1], a.c[5]", {}, "UPDATED_OLD", {"a": {"M": {"c": {"L": [N("2")]}}}}),
    ("SET a.b = :v", {":v": S("hello")}, "UPDATED_NEW", {"a": {"M": {"b": S("hello")}}}),
    ("SET a.c[1] = :v, a.b = :w", {":v": N("8"), ":w": S("x")}, "UPDATED_NEW",
     {"a": {"M": {"b": S("x"), "c": {"L": [N("8")]}}}}),
    ("SET a.x1 = :v", {":v": N("8")}, "UPDATED_NEW", {"a": {"M": {"x1": N("8")}}}),
    ("ADD a.c[0] :v", {":v": N("1")}, "UPDATED_NEW", {"a": {"M": {"c": {"L": [N("2")]}}}}),
    # the new element at the removed index is "updated" (Alternator: "very odd, but this is what DynamoDB does")
    ("REMOVE a.c[1]", {}, "UPDATED_NEW", {"a": {"M": {"c": {"L": [N("3")]}}}}),
])
def test_return_values_nested(dynamodb, table_s, expression, values, mode, expected):
    # why: UPDATED_OLD/UPDATED_NEW of a nested path return only that path, in its hierarchy
    # (Alternator test_update_item_returnvalues_nested, against DynamoDB).
    item = Item(dynamodb, table_s, NESTED)
    assert item.update(expression, values, ReturnValues=mode)["Attributes"] == expected


@pytest.mark.parametrize("expression, mode", [("SET a.x1 = :v", "UPDATED_OLD"), ("SET a.c[100] = :v", "UPDATED_NEW")])
def test_return_values_nested_nothing(dynamodb, table_s, expression, mode):
    # why: a new sub-attribute has no old value; an element set past the end is not "at" its index.
    item = Item(dynamodb, table_s, NESTED)
    assert "Attributes" not in item.update(expression, {":v": N("8")}, ReturnValues=mode)


def test_return_values_all_new_nested(dynamodb, table_s):
    # why: ALL_NEW shows a nested update inside the whole item.
    item = Item(dynamodb, table_s, NESTED)
    got = item.update("SET a.c[1] = :v, a.b = :w", {":v": N("3"), ":w": S("x")}, ReturnValues="ALL_NEW")
    assert got["Attributes"] == {**item.key, "a": {"M": {"b": S("x"), "c": {"L": [N("1"), N("3"), N("3")]}}},
                                 "d": S("cat")}


@pytest.mark.parametrize("mode", ["ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"])
def test_return_values_with_failed_condition(dynamodb, table_s, mode):
    # why: a failed condition returns the error, not attributes, and writes nothing.
    item = Item(dynamodb, table_s, {"a": S("x")})
    with raises(CCF, "The conditional request failed"):
        item.update("SET a = :v", {":v": S("y")}, ConditionExpression="a = :v", ReturnValues=mode)
    assert item.get() == {"a": S("x")}


# =============================================================================================
# Functionality: item size after the update
# =============================================================================================

def padded_update(dynamodb, table, key_value, total):
    """SET b to a string that makes the item pk=<key_value>, b=<pad> exactly `total` bytes."""
    pad = total - len("pk") - len(key_value) - len("b")
    return dynamodb.update_item(TableName=table, Key={"pk": S(key_value)}, UpdateExpression="SET b = :p",
                                ExpressionAttributeValues={":p": S("y" * pad)})


@pytest.fixture
def big_keys(dynamodb, table_s):
    """Key values of large items a test writes; deleted afterwards."""
    keys = []
    yield keys
    for key in keys:
        dynamodb.delete_item(TableName=table_s, Key={"pk": S(key)})


def test_update_at_size_limit_long_key(dynamodb, table_s, big_keys):
    # why: with a key over 20 bytes, the item itself is capped at exactly 409,600 bytes
    # (conformance itemSizeBySurface, eu-west-2 2026-08-18).
    big_keys += [util.unique_key("k").ljust(100, "k"), util.unique_key("j").ljust(100, "j")]
    padded_update(dynamodb, table_s, big_keys[0], ITEM_LIMIT)
    with raises("ValidationException", UPDATE_TOO_BIG):
        padded_update(dynamodb, table_s, big_keys[1], ITEM_LIMIT + 1)


@pytest.mark.local_differs("DynamoDB Local caps updates flat at 409,600 bytes")
def test_update_size_ceiling_short_key(dynamodb, table_s, big_keys):
    # why: standalone UpdateItem measures what it writes plus 3 bytes and 19 per SET, not the key:
    # with a one-byte key the ceiling is 409,581 (conformance itemSizeBySurface, eu-west-2).
    ceiling = ITEM_LIMIT - 19
    big_keys += ["Q", "R"]   # one-character keys no other test uses
    padded_update(dynamodb, table_s, "Q", ceiling)
    with raises("ValidationException", UPDATE_TOO_BIG):
        padded_update(dynamodb, table_s, "R", ceiling + 1)


def test_update_growing_item_too_big(dynamodb, table_s, big_keys):
    # why: the limit counts what the item already holds plus what the update adds.
    item = Item(dynamodb, table_s, {"a": S("x" * 300_000)})
    big_keys.append(item.key["pk"]["S"])
    with raises("ValidationException", UPDATE_TOO_BIG):
        item.update("SET b = :v", {":v": S("y" * 150_000)})
    assert item.get() == {"a": S("x" * 300_000)}


# =============================================================================================
# Functionality: exact decimal arithmetic
# =============================================================================================

@pytest.mark.parametrize("expression, a, b, result", [
    ("SET r = :a + :b", "0.1", "0.2", "0.3"),
    ("SET r = :a - :b", "0.3", "0.1", "0.2"),
    ("SET r = :a + :b", "1", "10000000000000000000000", "10000000000000000000001"),
    ("SET r = :a - :b", "100000000000000000000.00000001", "1", "99999999999999999999.00000001"),
    ("SET r = :a + :b", "-5", "5", "0"),
    ("SET r = :a + :b", "99999999999999999999999999999999999999", "1", "100000000000000000000000000000000000000"),
    ("SET r = :a - :b", "1", "0.99999999999999999999999999999999999999", "0.00000000000000000000000000000000000001"),
    ("ADD r :b", None, "12345678901234567890123456789012345678", "12345678901234567890123456789012345678"),
])
def test_exact_arithmetic(dynamodb, table_s, expression, a, b, result):
    # why: + - and ADD are exact decimal operations within 38 significant digits (no binary floats;
    # moto PR 10092 lists DynamoDB's 0.2 and 99999999999999999999.00000001).
    item = Item(dynamodb, table_s)
    item.update(expression, used_values(expression, {":a": N(a or "0"), ":b": N(b)}))
    assert item.get() == {"r": N(result)}


@pytest.mark.parametrize("a, b, op", [("9.9e125", "9.9e125", "+"), ("9e125", "-9e125", "-"),
                                      ("-9.9999999999999999999999999999999999999e125", "1e88", "-")])
def test_arithmetic_overflow(dynamodb, table_s, a, b, op):
    # why: a result of magnitude 10^126 or more is refused (conformance numberPrecision).
    with raises("ValidationException", OVERFLOW):
        Item(dynamodb, table_s).update(f"SET r = :a {op} :b", {":a": N(a), ":b": N(b)})


def test_arithmetic_underflow(dynamodb, table_s):
    # why: a non-zero result below 10^-130 is refused.
    with raises("ValidationException", UNDERFLOW):
        Item(dynamodb, table_s).update("SET r = :a - :b", {":a": N("1.5e-130"), ":b": N("1e-130")})


@pytest.mark.parametrize("a, op", [("1e50", "+"), ("1e50", "-")])
def test_arithmetic_beyond_38_digits(dynamodb, table_s, a, op):
    # why: a result needing more than 38 digits is refused, and DynamoDB words it as an overflow
    # (Alternator test_update_expression_plus_imprecise: "Strangely, DynamoDB says that the error is:
    # 'Number overflow. ...'"); Local says its precision sentence.
    with raises("ValidationException", OVERFLOW, local=LOCAL_PRECISION):
        Item(dynamodb, table_s).update(f"SET r = :a {op} :b", {":a": N(a), ":b": N("1")})


def test_add_beyond_38_digits(dynamodb, table_s):
    # why: ADD follows the same rule as +.
    item = Item(dynamodb, table_s, {"r": N("1e50")})
    with raises("ValidationException", OVERFLOW, local=LOCAL_PRECISION):
        item.update("ADD r :b", {":b": N("1")})
    assert item.get() == {"r": N("100000000000000000000000000000000000000000000000000")}
