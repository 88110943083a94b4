"""test_expected.py — the legacy parameters: Expected (Exists/Value and every ComparisonOperator with
its AttributeValueList), ConditionalOperator, AttributeUpdates (PUT/ADD/DELETE) and AttributesToGet,
and the rule that they do not mix with expressions.

Ground truth is real DynamoDB: nubo-db/dynamodb-conformance (tests/tier3/legacy-api/*, the mixing
captures b_put_mix_expr / u_upd_mix), ExtendDB's legacy suite run against DynamoDB
(ConditionalOperator rules and the mixing-message order), Alternator's test_item.py /
test_expected.py (run against DynamoDB) and dynalite's validations (recorded against DynamoDB);
behaviour cross-checked with DynamoDB Local. Write operations' request-validation errors carry a
regional "1 validation error detected: " prefix, floated with util.enveloped().

Order: serialization, validation, functionality (dynalite).
"""
import re

import pytest

import util
from util import enveloped, raises

CCF = "ConditionalCheckFailedException"
CCF_MESSAGE = "The conditional request failed"
INVALID = "One or more parameter values were invalid: "
MIX = ("Can not use both expression and non-expression parameters in the same request: "
       "Non-expression parameters: {{{}}} Expression parameters: {{{}}}")
LOCAL_500 = "DynamoDB Local answers wrongly typed fields with 500 InternalFailure or coerces them"
# "ExpressionAttributeValues can only be specified ..." in its new form (enveloped, no tail) or its old one.
VALUES_WITHOUT_EXPRESSION = re.compile(
    r"(?:1 validation error detected: ExpressionAttributeValues can only be specified when using expressions|"
    r"ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null)")


def S(value):
    return {"S": value}


def N(value):
    return {"N": value}


def cond(op, *values):
    """One Expected/AttributeValueList condition."""
    return {"ComparisonOperator": op, "AttributeValueList": list(values)}


def new_key():
    return {"pk": S(util.unique_key())}


def put_expected(dynamodb, table, expected, item=None, **params):
    return dynamodb.put_item(TableName=table, Item=item or {"pk": S("a")}, Expected=expected, **params)


# =============================================================================================
# Serialization
# =============================================================================================

@pytest.mark.local_differs(LOCAL_500)
def test_expected_not_a_map(url, table_s):
    # why: Expected is a map of conditions (dynalite's wording of the Java type).
    status, _, body, raw = util.raw_request(url, target="DynamoDB_20120810.PutItem", body={
        "TableName": table_s, "Item": {"pk": S("a")}, "Expected": ["a"]})
    assert (status, util.error_of(body)) == (400, ("SerializationException", "Unrecognized collection type "
                                                   "java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810."
                                                   "ExpectedAttributeValue>")), raw


@pytest.mark.local_differs(LOCAL_500)
def test_attribute_update_action_not_a_string(url, table_s):
    # why: Action is a string.
    status, _, body, raw = util.raw_request(url, target="DynamoDB_20120810.UpdateItem", body={
        "TableName": table_s, "Key": {"pk": S("a")}, "AttributeUpdates": {"a": {"Action": 5, "Value": S("x")}}})
    assert (status, util.error_of(body)) == (400, ("SerializationException",
                                                   "NUMBER_VALUE cannot be converted to String")), raw


# =============================================================================================
# Validation: Expected
# =============================================================================================

@pytest.mark.parametrize("condition, message", [
    ({"Exists": True}, "Value must be provided when Exists is true for Attribute: a"),
    ({}, "Value must be provided when Exists is null for Attribute: a"),
    ({"Exists": False, "Value": S("x")}, "Value cannot be used when Exists is false for Attribute: a"),
    ({"Exists": True, **cond("EQ", S("x"))}, "Exists and ComparisonOperator cannot be used together for Attribute: a"),
    ({"Value": S("x"), **cond("EQ", S("x"))}, "Value and AttributeValueList cannot be used together for Attribute: a"),
    ({"AttributeValueList": [S("x")]}, "AttributeValueList can only be used with a ComparisonOperator for Attribute: a"),
    ({"ComparisonOperator": "EQ"}, "Value or AttributeValueList must be used with ComparisonOperator: EQ for "
                                   "Attribute: a"),
], ids=["exists-no-value", "nothing", "not-exists-with-value", "exists-and-operator", "value-and-list",
        "list-without-operator", "operator-without-list"])
def test_condition_shape(dynamodb, table_s, condition, message):
    # why: each condition is Exists/Value or ComparisonOperator/AttributeValueList, never a mix.
    with raises("ValidationException", enveloped(INVALID + message)):
        put_expected(dynamodb, table_s, {"a": condition})


ARITY = [("EQ", 0), ("EQ", 2), ("NE", 2), ("LE", 2), ("LT", 0), ("GE", 2), ("GT", 2), ("BEGINS_WITH", 2),
         ("CONTAINS", 2), ("NOT_CONTAINS", 0), ("NULL", 1), ("NOT_NULL", 1), ("BETWEEN", 1), ("BETWEEN", 3), ("IN", 0)]


@pytest.mark.parametrize("op, count", ARITY, ids=[f"{o}-{c}" for o, c in ARITY])
def test_argument_count(dynamodb, table_s, op, count):
    # why: one value for the comparisons, none for NULL/NOT_NULL, two for BETWEEN, one or more for IN.
    with raises("ValidationException", enveloped(INVALID + f"Invalid number of argument(s) for the {op} "
                                                           "ComparisonOperator")):
        put_expected(dynamodb, table_s, {"a": cond(op, *[N(str(i)) for i in range(count)])})


TYPE_ERRORS = [("LT", {"SS": ["a"]}), ("LE", {"BOOL": True}), ("GT", {"NULL": True}), ("GE", {"L": []}),
               ("LT", {"M": {}}), ("BEGINS_WITH", N("1")), ("BEGINS_WITH", {"SS": ["a"]}), ("CONTAINS", {"SS": ["a"]}),
               ("CONTAINS", {"L": []}), ("NOT_CONTAINS", {"NS": ["1"]}), ("NOT_CONTAINS", {"M": {}}),
               ("IN", {"SS": ["a"]}), ("IN", {"BOOL": True}), ("IN", {"L": []})]


@pytest.mark.parametrize("op, value", TYPE_ERRORS, ids=[f"{o}-{list(v)[0]}" for o, v in TYPE_ERRORS])
def test_operator_type(dynamodb, table_s, op, value):
    # why: ordering needs S, N or B; BEGINS_WITH S or B; CONTAINS and IN take scalar values.
    with raises("ValidationException", enveloped(INVALID + f"ComparisonOperator {op} is not valid for "
                                                           f"{list(value)[0]} AttributeValue type")):
        put_expected(dynamodb, table_s, {"a": cond(op, value)})


@pytest.mark.parametrize("values", [[{"BOOL": True}, {"BOOL": True}], [{"SS": ["a"]}, {"SS": ["b"]}]], ids=["BOOL", "SS"])
def test_between_type(dynamodb, table_s, values):
    # why: BETWEEN bounds are S, N or B.
    kind = list(values[0])[0]
    with raises("ValidationException", enveloped(INVALID + f"ComparisonOperator BETWEEN is not valid for {kind} "
                                                           "AttributeValue type")):
        put_expected(dynamodb, table_s, {"a": cond("BETWEEN", *values)})


@pytest.mark.parametrize("op, values", [("BETWEEN", [S("a"), N("1")]), ("IN", [S("a"), N("1")])])
def test_values_of_one_type(dynamodb, table_s, op, values):
    # why: the values of one BETWEEN or IN share a type.
    with raises("ValidationException", enveloped(INVALID + "AttributeValues inside AttributeValueList must be of "
                                                           "same type")):
        put_expected(dynamodb, table_s, {"a": cond(op, *values)})


def test_between_bounds_reversed(dynamodb, table_s):
    # why: the lower bound may not exceed the upper one.
    with raises("ValidationException", enveloped("The BETWEEN condition was provided a range where the lower bound "
                                                 "is greater than the upper bound")):
        put_expected(dynamodb, table_s, {"a": cond("BETWEEN", S("z"), S("a"))})


def test_operator_not_an_option(dynamodb, table_s):
    # why: ComparisonOperator is an enum, listed in the service model's order (dynalite's spec).
    with raises("ValidationException", enveloped(
            "Value 'FOO' at 'expected.a.member.comparisonOperator' failed to satisfy constraint: Member must satisfy "
            "enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, "
            "CONTAINS]"), local="Comparison type does not exist in DynamoDB"):
        put_expected(dynamodb, table_s, {"a": cond("FOO", S("x"))})


def test_empty_set_in_condition(dynamodb, table_s):
    # why: condition values are validated like any AttributeValue.
    with raises("ValidationException", enveloped(INVALID + "An string set  may not be empty")):
        put_expected(dynamodb, table_s, {"a": {"Value": {"SS": []}}})


@pytest.mark.parametrize("op", ["put_item", "delete_item"])
def test_conditional_operator_without_expected(dynamodb, table_s, op):
    # why: ConditionalOperator needs Expected (ExtendDB's legacy suite, run against DynamoDB; Local agrees).
    params = {"Item": {"pk": S("a")}} if op == "put_item" else {"Key": {"pk": S("a")}}
    with raises("ValidationException", enveloped("ConditionalOperator cannot be used without Filter or Expected")):
        getattr(dynamodb, op)(TableName=table_s, ConditionalOperator="AND", **params)


def test_conditional_operator_without_expected_on_update(dynamodb, table_s):
    # why: the same on UpdateItem, with or without AttributeUpdates.
    with raises("ValidationException", enveloped("ConditionalOperator cannot be used without Filter or Expected")):
        dynamodb.update_item(TableName=table_s, Key={"pk": S("a")}, ConditionalOperator="AND",
                             AttributeUpdates={"a": {"Value": S("v"), "Action": "PUT"}})


@pytest.mark.parametrize("operator", ["AND", "OR"])
def test_conditional_operator_with_one_condition(dynamodb, table_s, operator):
    # why: ConditionalOperator needs at least two conditions to join (ExtendDB's suite; Local agrees;
    # the conformance suite's deep-request capture shows eu-west-2 reporting it for a ScanFilter).
    with raises("ValidationException", enveloped("ConditionalOperator can only be used when Filter or Expected has "
                                                 "two or more elements")):
        put_expected(dynamodb, table_s, {"a": cond("EQ", S("x"))}, ConditionalOperator=operator)


# =============================================================================================
# Validation: mixing with expressions
# =============================================================================================

@pytest.mark.parametrize("op, params, legacy, expression", [
    ("put_item", {"Item": {"pk": S("a")}, "Expected": {"pk": {"Exists": False}},
                  "ConditionExpression": "attribute_not_exists(pk)"}, "Expected", "ConditionExpression"),
    ("delete_item", {"Key": {"pk": S("a")}, "Expected": {"pk": {"Exists": False}},
                     "ConditionExpression": "attribute_not_exists(pk)"}, "Expected", "ConditionExpression"),
    ("update_item", {"Key": {"pk": S("a")}, "UpdateExpression": "SET attr1 = :v",
                     "ExpressionAttributeValues": {":v": S("val")},
                     "AttributeUpdates": {"attr1": {"Value": S("val"), "Action": "PUT"}}},
     "AttributeUpdates", "UpdateExpression"),
    ("update_item", {"Key": {"pk": S("a")}, "UpdateExpression": "SET a = :v", "ExpressionAttributeValues": {":v": S("x")},
                     "Expected": {"a": {"Value": S("y")}}}, "Expected", "UpdateExpression"),
    ("update_item", {"Key": {"pk": S("a")}, "ConditionExpression": "attribute_exists(a)",
                     "AttributeUpdates": {"a": {"Value": S("y"), "Action": "PUT"}}}, "AttributeUpdates",
     "ConditionExpression"),
    ("put_item", {"Item": {"pk": S("a")}, "ConditionalOperator": "AND", "ConditionExpression": "attribute_exists(pk)"},
     "ConditionalOperator", "ConditionExpression"),
    ("put_item", {"Item": {"pk": S("a")}, "Expected": {"a": cond("EQ", S("x"))}, "ConditionalOperator": "AND",
                  "ConditionExpression": "attribute_exists(pk)"}, "Expected, ConditionalOperator", "ConditionExpression"),
    ("update_item", {"Key": {"pk": S("a")}, "AttributeUpdates": {"a": {"Value": S("v"), "Action": "PUT"}},
                     "Expected": {"a": cond("EQ", S("x"))}, "ConditionalOperator": "AND",
                     "UpdateExpression": "SET a = :v", "ConditionExpression": "attribute_exists(pk)",
                     "ExpressionAttributeValues": {":v": S("x")}},
     "AttributeUpdates, Expected, ConditionalOperator", "UpdateExpression, ConditionExpression"),
], ids=["put", "delete", "update", "update-expected", "update-condition", "conditional-operator", "put-all",
        "update-all"])
def test_legacy_and_expressions_do_not_mix(dynamodb, table_s, op, params, legacy, expression):
    # why: one request uses one style; the message lists each side in a fixed order (conformance
    # b_put_mix_expr, u_upd_mix; ExtendDB's full-ordering cases).
    with raises("ValidationException", enveloped(MIX.format(legacy, expression))):
        getattr(dynamodb, op)(TableName=table_s, **params)


def test_attributes_to_get_and_projection_do_not_mix(dynamodb, table_s):
    # why: the same rule on GetItem, a read (no envelope).
    with raises("ValidationException", MIX.format("AttributesToGet", "ProjectionExpression")):
        dynamodb.get_item(TableName=table_s, Key={"pk": S("a")}, AttributesToGet=["a"], ProjectionExpression="a")


@pytest.mark.parametrize("params", [{"ExpressionAttributeNames": {"#a": "a"}},
                                    {"ExpressionAttributeValues": {":a": S("a")}}], ids=["names", "values"])
def test_placeholders_with_legacy_condition(dynamodb, table_s, params):
    # why: placeholders belong to expressions, not to Expected.
    names = "ExpressionAttributeNames" in params
    message = enveloped("ExpressionAttributeNames can only be specified when using expressions") if names \
        else VALUES_WITHOUT_EXPRESSION
    with raises("ValidationException", message):
        put_expected(dynamodb, table_s, {"a": cond("EQ", S("x"))}, **params)


# =============================================================================================
# Validation: AttributeUpdates and AttributesToGet
# =============================================================================================

@pytest.mark.parametrize("update, message", [
    ({"Action": "PUT"}, INVALID + "Only DELETE action is allowed when no attribute value is specified"),
    ({"Action": "ADD"}, INVALID + "Only DELETE action is allowed when no attribute value is specified"),
    ({"Action": "ADD", "Value": S("x")}, INVALID + "ADD action is not supported for the type STRING"),
    ({"Action": "DELETE", "Value": S("x")}, INVALID + "DELETE action with value is not supported for the type STRING"),
    ({"Action": "PUT", "Value": {"SS": []}}, INVALID + "An string set  may not be empty"),
    ({"Action": "ADD", "Value": N("1e200")}, "Number overflow. Attempting to store a number with magnitude larger "
                                             "than supported range"),
], ids=["put-no-value", "add-no-value", "add-string", "delete-string", "empty-set", "overflow"])
def test_attribute_update_shape(dynamodb, table_s, update, message):
    # why: PUT and ADD need a Value; ADD takes numbers and sets, DELETE with a Value takes sets.
    key = new_key()
    with raises("ValidationException", enveloped(message)):
        dynamodb.update_item(TableName=table_s, Key=key, AttributeUpdates={"a": update})
    assert "Item" not in dynamodb.get_item(TableName=table_s, Key=key)


@pytest.mark.local_differs("DynamoDB Local drops the attribute name from its enum message")
def test_attribute_update_action_not_an_option(dynamodb, table_s):
    # why: Action is an enum; an unknown one must not be taken for PUT (dynalite's spec; two other
    # emulators word it identically).
    key = new_key()
    with raises("ValidationException", enveloped("Value 'FOO' at 'attributeUpdates.a.member.action' failed to satisfy "
                                                 "constraint: Member must satisfy enum value set: [ADD, PUT, DELETE]")):
        dynamodb.update_item(TableName=table_s, Key=key, AttributeUpdates={"a": {"Action": "FOO", "Value": S("x")}})
    assert "Item" not in dynamodb.get_item(TableName=table_s, Key=key)


@pytest.mark.parametrize("op", ["update", "expected"])
def test_empty_attribute_name(dynamodb, table_s, op):
    # why: attribute names are never empty, in AttributeUpdates or Expected (as in items; Local's text).
    with raises("ValidationException", enveloped("Empty attribute name")):
        if op == "update":
            dynamodb.update_item(TableName=table_s, Key=new_key(), AttributeUpdates={"": {"Action": "PUT",
                                                                                         "Value": N("1")}})
        else:
            put_expected(dynamodb, table_s, {"": {"Exists": False}})


@pytest.mark.parametrize("table, key, name", [("table_s", {"pk": S("k")}, "pk"),
                                              ("table_sn", {"pk": S("k"), "sk": N("1")}, "sk")])
def test_attribute_update_on_key(request, dynamodb, table, key, name):
    # why: key attributes cannot be updated through AttributeUpdates either.
    with raises("ValidationException", INVALID + f"Cannot update attribute {name}. This attribute is part of the key"):
        dynamodb.update_item(TableName=request.getfixturevalue(table), Key=key,
                             AttributeUpdates={name: {"Action": "PUT", "Value": key[name]}})


@pytest.mark.local_differs("DynamoDB Local accepts an empty AttributesToGet")
def test_attributes_to_get_empty(dynamodb, table_s):
    # why: AttributesToGet has at least one name (service model; dynalite).
    with raises("ValidationException", "1 validation error detected: Value '[]' at 'attributesToGet' failed to "
                                       "satisfy constraint: Member must have length greater than or equal to 1"):
        dynamodb.get_item(TableName=table_s, Key={"pk": S("a")}, AttributesToGet=[])


# =============================================================================================
# Functionality: Expected
# =============================================================================================

STORED = {"s": S("abc"), "n": N("5"), "b": {"B": b"\x01\x02"}, "ss": {"SS": ["a", "b"]}, "ns": {"NS": ["1", "2"]},
          "l": {"L": [S("a"), N("1")]}, "t": {"BOOL": True}, "z": {"NULL": True}}


@pytest.fixture(scope="module")
def stored(dynamodb, table_s):
    """One item of every type (unique to this module); conditions are checked by re-putting it."""
    item = {"pk": S(util.unique_key("exp")), **STORED}
    dynamodb.put_item(TableName=table_s, Item=item)
    return item


def holds(dynamodb, table, item, expected, **params):
    try:
        put_expected(dynamodb, table, expected, item, **params)
        return True
    except dynamodb.exceptions.ConditionalCheckFailedException:
        return False


OPERATORS = [
    ("s", cond("EQ", S("abc")), True), ("s", cond("EQ", S("ab")), False), ("s", cond("EQ", N("1")), False),
    ("nope", cond("EQ", S("abc")), False), ("ss", cond("EQ", {"SS": ["b", "a"]}), True),
    ("l", cond("EQ", {"L": [S("a"), N("1")]}), True), ("t", cond("EQ", {"BOOL": True}), True),
    ("s", cond("NE", S("abc")), False), ("s", cond("NE", S("x")), True), ("nope", cond("NE", S("x")), True),
    ("n", cond("LE", N("5")), True), ("n", cond("LT", N("5")), False), ("n", cond("GE", N("5.0")), True),
    ("n", cond("GT", N("4.99")), True), ("n", cond("GT", S("4")), False), ("s", cond("LT", S("abd")), True),
    ("b", cond("GT", {"B": b"\x01"}), True), ("nope", cond("LT", N("1")), False),
    ("s", cond("BEGINS_WITH", S("ab")), True), ("s", cond("BEGINS_WITH", S("b")), False),
    ("b", cond("BEGINS_WITH", {"B": b"\x01"}), True), ("n", cond("BEGINS_WITH", S("5")), False),
    ("s", cond("CONTAINS", S("bc")), True), ("ss", cond("CONTAINS", S("a")), True), ("ns", cond("CONTAINS", N("3")), False),
    ("l", cond("CONTAINS", N("1")), True), ("nope", cond("CONTAINS", S("a")), False),
    ("s", cond("NOT_CONTAINS", S("x")), True), ("ss", cond("NOT_CONTAINS", S("a")), False),
    ("ns", cond("NOT_CONTAINS", N("3")), True),
    ("nope", cond("NULL"), True), ("s", cond("NULL"), False), ("z", cond("NULL"), False),
    ("s", cond("NOT_NULL"), True), ("nope", cond("NOT_NULL"), False), ("z", cond("NOT_NULL"), True),
    ("n", cond("IN", N("4"), N("5")), True), ("n", cond("IN", N("4"), N("6")), False), ("s", cond("IN", S("abc")), True),
    ("n", cond("BETWEEN", N("5"), N("5")), True), ("n", cond("BETWEEN", N("1"), N("4")), False),
    ("s", cond("BETWEEN", S("a"), S("b")), True), ("b", cond("BETWEEN", {"B": b"\x01"}, {"B": b"\x02"}), True),
]


@pytest.mark.parametrize("name, condition, expected", OPERATORS,
                         ids=[f"{n}-{c['ComparisonOperator']}-{i}" for i, (n, c, _) in enumerate(OPERATORS)])
def test_comparison_operator(dynamodb, table_s, stored, name, condition, expected):
    # why: every ComparisonOperator on matching, non-matching, other-typed and missing attributes
    # (NULL means "does not exist": a NULL-typed value is not NULL).
    assert holds(dynamodb, table_s, stored, {name: condition}) is expected


@pytest.mark.parametrize("condition, expected", [
    ({"Exists": False}, False), ({"Value": S("abc")}, True), ({"Value": S("x")}, False),
    ({"Exists": True, "Value": S("abc")}, True), ({"Value": S("abc"), "ComparisonOperator": "EQ"}, True),
    ({"Value": S("abd"), "ComparisonOperator": "LT"}, True),
])
def test_exists_and_value(dynamodb, table_s, stored, condition, expected):
    # why: Exists false means absent; a bare Value (Exists true by default) means equal; Value may
    # stand for a one-element AttributeValueList.
    assert holds(dynamodb, table_s, stored, {"s": condition}) is expected


def test_exists_false_on_missing_attribute(dynamodb, table_s, stored):
    # why: an absent attribute satisfies Exists false; an absent item satisfies it for any attribute.
    assert holds(dynamodb, table_s, stored, {"nope": {"Exists": False}})
    key = new_key()
    put_expected(dynamodb, table_s, {"pk": {"Exists": False}}, key)
    with raises(CCF, CCF_MESSAGE):
        put_expected(dynamodb, table_s, {"pk": {"Exists": False}}, key)


def test_names_are_literal(dynamodb, table_s):
    # why: Expected names top-level attributes; a dot is part of the name, not a path.
    key = new_key()
    dynamodb.put_item(TableName=table_s, Item={**key, "a.b": S("dot"), "m": {"M": {"b": S("n")}}})
    put_expected(dynamodb, table_s, {"a.b": {"Value": S("dot")}, "m.b": {"Exists": False}},
                 {**key, "a.b": S("dot"), "m": {"M": {"b": S("n")}}})


@pytest.mark.parametrize("operator, second, expected", [
    (None, S("abc"), True), (None, S("x"), False), ("AND", S("x"), False), ("AND", S("abc"), True),
    ("OR", S("x"), True), ("OR", S("abc"), True),
])
def test_conditional_operator(dynamodb, table_s, stored, operator, second, expected):
    # why: conditions are joined by AND unless ConditionalOperator is OR (conformance legacy-api).
    params = {"ConditionalOperator": operator} if operator else {}
    expected_map = {"n": cond("EQ", N("5")), "s": cond("EQ", second)}
    assert holds(dynamodb, table_s, stored, expected_map, **params) is expected
    if operator == "OR":
        assert not holds(dynamodb, table_s, stored, {"n": cond("EQ", N("0")), "s": cond("EQ", S("x"))}, **params)


def test_expected_on_delete_and_update(dynamodb, table_s):
    # why: DeleteItem and UpdateItem take Expected too.
    key = new_key()
    dynamodb.put_item(TableName=table_s, Item={**key, "v": S("one")})
    with raises(CCF, CCF_MESSAGE):
        dynamodb.update_item(TableName=table_s, Key=key, AttributeUpdates={"v": {"Action": "PUT", "Value": S("two")}},
                             Expected={"v": {"Value": S("zero")}})
    dynamodb.update_item(TableName=table_s, Key=key, AttributeUpdates={"v": {"Action": "PUT", "Value": S("two")}},
                         Expected={"v": {"Value": S("one")}})
    with raises(CCF, CCF_MESSAGE):
        dynamodb.delete_item(TableName=table_s, Key=key, Expected={"v": {"Exists": False}})
    dynamodb.delete_item(TableName=table_s, Key=key, Expected={"v": {"Exists": True, "Value": S("two")}})
    assert "Item" not in dynamodb.get_item(TableName=table_s, Key=key)


# =============================================================================================
# Functionality: AttributeUpdates
# =============================================================================================

def updated(dynamodb, table, key, updates, **params):
    """UpdateItem with AttributeUpdates; returns (response, stored item without the key or None)."""
    response = dynamodb.update_item(TableName=table, Key=key, AttributeUpdates=updates, **params)
    item = dynamodb.get_item(TableName=table, Key=key, ConsistentRead=True).get("Item")
    return response, None if item is None else {k: v for k, v in item.items() if k not in key}


def test_put_add_delete_together(dynamodb, table_s):
    # why: conformance legacy-api/attributeUpdates, several actions in one call.
    key = new_key()
    dynamodb.put_item(TableName=table_s, Item={**key, "name": S("old"), "count": N("1"), "extra": S("x")})
    _, item = updated(dynamodb, table_s, key, {"name": {"Action": "PUT", "Value": S("new")},
                                               "count": {"Action": "ADD", "Value": N("9")},
                                               "extra": {"Action": "DELETE"}})
    assert item == {"name": S("new"), "count": N("10")}


@pytest.mark.local_differs("DynamoDB Local ignores an update without Action")
def test_put_is_the_default_action(dynamodb, table_s):
    # why: a Value without Action is a PUT (conformance legacy-api/attributeUpdates).
    key = new_key()
    assert updated(dynamodb, table_s, key, {"col": {"Value": S("written")}})[1] == {"col": S("written")}


@pytest.mark.parametrize("old, value, new", [
    (N("7"), N("2"), N("9")), (N("7"), N("-3.5"), N("3.5")), (None, N("2"), N("2")),
    ({"NS": ["1", "2"]}, {"NS": ["2", "3"]}, {"NS": ["1", "2", "3"]}), (None, {"SS": ["a"]}, {"SS": ["a"]}),
    ({"L": [N("1")]}, {"L": [N("3"), N("1")]}, {"L": [N("1"), N("3"), N("1")]}), (None, {"L": [N("7")]}, {"L": [N("7")]}),
], ids=["number", "negative", "new-number", "set", "new-set", "list", "new-list"])
def test_add(dynamodb, table_s, old, value, new):
    # why: ADD adds numbers, unions sets and (undocumented) appends lists; a missing attribute
    # starts empty (Alternator test_update_item_add, against DynamoDB).
    key = new_key()
    if old is not None:
        dynamodb.put_item(TableName=table_s, Item={**key, "a": old})
    _, item = updated(dynamodb, table_s, key, {"a": {"Action": "ADD", "Value": value}})
    if "NS" in item["a"]:
        item["a"]["NS"].sort()
    assert item == {"a": new}


@pytest.mark.parametrize("old, action, value", [(S("dog"), "ADD", N("1")), ({"NS": ["1"]}, "ADD", {"SS": ["a"]}),
                                                ({"SS": ["x"]}, "DELETE", {"NS": ["1"]})])
def test_type_mismatch(dynamodb, table_s, old, action, value):
    # why: ADD and DELETE need the stored value to match the Value's type (found on the item: no envelope).
    key = new_key()
    dynamodb.put_item(TableName=table_s, Item={**key, "a": old})
    with raises("ValidationException", "Type mismatch for attribute to update"):
        dynamodb.update_item(TableName=table_s, Key=key, AttributeUpdates={"a": {"Action": action, "Value": value}})


@pytest.mark.parametrize("old, value, left", [
    ({"NS": ["1", "2", "3"]}, {"NS": ["2", "5"]}, {"NS": ["1", "3"]}),
    ({"SS": ["dog", "cat"]}, {"SS": ["dog"]}, {"SS": ["cat"]}),
    ({"NS": ["1", "2"]}, {"NS": ["1", "2"]}, None),
])
def test_delete_from_set(dynamodb, table_s, old, value, left):
    # why: DELETE with a set Value removes members; emptying the set removes the attribute.
    key = new_key()
    dynamodb.put_item(TableName=table_s, Item={**key, "a": old, "b": S("keep")})
    _, item = updated(dynamodb, table_s, key, {"a": {"Action": "DELETE", "Value": value}})
    assert item == ({"a": left, "b": S("keep")} if left else {"b": S("keep")})


@pytest.mark.local_differs("DynamoDB Local creates the item")
@pytest.mark.parametrize("update", [{"Action": "DELETE"}, {"Action": "DELETE", "Value": {"NS": ["4"]}}])
def test_delete_on_missing_item_does_not_create(dynamodb, table_s, update):
    # why: an update that only deletes does not create a missing item (Alternator
    # test_update_item_non_existent / test_update_item_delete, against DynamoDB).
    key = new_key()
    assert updated(dynamodb, table_s, key, {"a": update})[1] is None


def test_empty_update_creates_item(dynamodb, table_s):
    # why: AttributeUpdates {} creates the item with just its key and returns nothing for UPDATED_NEW
    # (Alternator test_update_item_returnvalues_updated_new).
    key = new_key()
    response, item = updated(dynamodb, table_s, key, {}, ReturnValues="UPDATED_NEW")
    assert "Attributes" not in response and item == {}


def test_return_values_with_attribute_updates(dynamodb, table_s):
    # why: ReturnValues work the same with the legacy parameter (Alternator #25894 cases).
    key = new_key()
    dynamodb.put_item(TableName=table_s, Item={**key, "a": N("3"), "b": S("dog")})
    response, item = updated(dynamodb, table_s, key, {"a": {"Action": "ADD", "Value": N("2")}}, ReturnValues="ALL_OLD")
    assert response["Attributes"] == {**key, "a": N("3"), "b": S("dog")}
    response, _ = updated(dynamodb, table_s, key, {"a": {"Action": "PUT", "Value": S("x")}}, ReturnValues="UPDATED_OLD")
    assert response["Attributes"] == {"a": N("5")}
    response, _ = updated(dynamodb, table_s, key, {"c": {"Action": "PUT", "Value": S("y")}}, ReturnValues="UPDATED_NEW")
    assert response["Attributes"] == {"c": S("y")}


# =============================================================================================
# Functionality: AttributesToGet
# =============================================================================================

def test_attributes_to_get_names_are_literal(dynamodb, table_s):
    # why: AttributesToGet names top-level attributes only; "m.b" is an attribute called "m.b".
    key = new_key()
    dynamodb.put_item(TableName=table_s, Item={**key, "a.b": S("dot"), "m": {"M": {"b": S("n")}}, "x": S("1")})
    got = dynamodb.get_item(TableName=table_s, Key=key, AttributesToGet=["a.b", "m.b", "pk"])["Item"]
    assert got == {**key, "a.b": S("dot")}


def test_attributes_to_get_reserved_words(dynamodb, table_s):
    # why: reserved words need no placeholders in the legacy parameter.
    key = new_key()
    dynamodb.put_item(TableName=table_s, Item={**key, "status": S("on"), "name": S("n")})
    got = dynamodb.get_item(TableName=table_s, Key=key, AttributesToGet=["status", "name"])["Item"]
    assert got == {"status": S("on"), "name": S("n")}
