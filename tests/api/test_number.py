"""test_number.py — DynamoDB's number type through the expression engine: the canonical text numbers
come back in (after PutItem, after UpdateItem, after arithmetic), arithmetic at the 38-digit and
10^125 / 10^-130 edges, magnitude and precision limits of values given in expressions and keys, and
comparisons across magnitudes and signs in conditions.

Ground truth is real DynamoDB: nubo-db/dynamodb-conformance (tests/tier3/limits/numberPrecision),
ExtendDB PR 7 (round trips verified against DynamoDB), Alternator's test_number.py (run against
DynamoDB), dynalite's number checks; DynamoDB Local keeps numbers from UpdateItem and arithmetic in
the caller's text ("1.50", "124.000"), which real DynamoDB does not, so those tests skip it. The
item-level number errors of PutItem are test_item.py's. Write operations' request-validation errors
carry a regional "1 validation error detected: " prefix, floated with util.enveloped().

Order: validation, functionality (dynalite); numbers have no serialization cases of their own.
"""
import pytest

import util
from util import enveloped, raises

OVERFLOW = "Number overflow. Attempting to store a number with magnitude larger than supported range"
UNDERFLOW = "Number underflow. Attempting to store a number with magnitude smaller than supported range"
PRECISION = "Attempting to store more than 38 significant digits in a Number"
LOCAL_PRECISION = "DynamoDB only supports precision up to 38 digits"
NOT_A_NUMBER = "The parameter cannot be converted to a numeric value"
LOCAL_NOT_A_NUMBER = "A value provided cannot be converted into a number"
LOCAL_RAW = "DynamoDB Local returns numbers written by UpdateItem in the caller's text, trailing zeros and all"
MAX = "9.9999999999999999999999999999999999999E+125"
MAX_TEXT = "99999999999999999999999999999999999999" + "0" * 88
MIN_TEXT = "0." + "0" * 129 + "1"


def S(value):
    return {"S": value}


def N(value):
    return {"N": value}


def eav_error(message, key=":v"):
    return enveloped(f"ExpressionAttributeValues contains invalid value: {message} for key {key}")


def set_value(dynamodb, table, value, **params):
    """UPDATED_NEW of SET a = :v on a fresh item."""
    return dynamodb.update_item(TableName=table, Key={"pk": S(util.unique_key())}, UpdateExpression="SET a = :v",
                                ExpressionAttributeValues={":v": value}, ReturnValues="UPDATED_NEW", **params)


def arithmetic(dynamodb, table, expression, a, b):
    """UPDATED_NEW of `expression` (over :a and :b) on a fresh item."""
    values = {k: N(v) for k, v in ((":a", a), (":b", b)) if k in expression}
    return dynamodb.update_item(TableName=table, Key={"pk": S(util.unique_key())}, UpdateExpression=expression,
                                ExpressionAttributeValues=values, ReturnValues="UPDATED_NEW")


# =============================================================================================
# Validation: limits of values in expressions and keys
# =============================================================================================

@pytest.mark.parametrize("number, message, local", [
    ("1e126", OVERFLOW, None), ("-1E+126", OVERFLOW, None), ("11e125", OVERFLOW, None),
    ("1e-131", UNDERFLOW, None), ("-0.9e-130", UNDERFLOW, None),
    ("3.14159265358979323846264338327950288419", PRECISION, LOCAL_PRECISION),
    ("314159265358979323846264338327950288419e30", PRECISION, LOCAL_PRECISION),
    ("abc", NOT_A_NUMBER + ": abc", LOCAL_NOT_A_NUMBER), ("NaN", NOT_A_NUMBER + ": NaN", LOCAL_NOT_A_NUMBER),
    (" 1", NOT_A_NUMBER + ":  1", LOCAL_NOT_A_NUMBER),
])
def test_expression_value_limits(dynamodb, table_s, number, message, local):
    # why: ExpressionAttributeValues are checked like item values and name the offending key
    # (Alternator test_number_magnitude_not_allowed / precision_not_allowed, against DynamoDB).
    with raises("ValidationException", eav_error(message), local=local and
                f"ExpressionAttributeValues contains invalid value: {local} for key :v"):
        set_value(dynamodb, table_s, N(number))


def test_condition_value_limits(dynamodb, table_s):
    # why: values used only in a condition are checked the same way.
    with raises("ValidationException", eav_error(OVERFLOW, ":big")):
        dynamodb.put_item(TableName=table_s, Item={"pk": S("a")}, ConditionExpression="a < :big",
                          ExpressionAttributeValues={":big": N("1e126")})


def test_number_set_member_limits(dynamodb, table_s):
    # why: every member of a number set is checked.
    with raises("ValidationException", eav_error(UNDERFLOW)):
        set_value(dynamodb, table_s, {"NS": ["1", "1e-131"]})


@pytest.mark.parametrize("number, message, local", [("1e126", OVERFLOW, None), ("1e-131", UNDERFLOW, None),
                                                    ("1" * 39, PRECISION, LOCAL_PRECISION)])
def test_number_key_limits(dynamodb, table_n, number, message, local):
    # why: numeric keys obey the same limits on every write (Alternator test_number_magnitude_key).
    with raises("ValidationException", enveloped(message), local=local):
        dynamodb.update_item(TableName=table_n, Key={"pk": N(number)}, UpdateExpression="SET a = :v",
                             ExpressionAttributeValues={":v": S("x")})


@pytest.mark.parametrize("op, a, b, message", [
    ("+", MAX, "1e88", OVERFLOW), ("-", "-" + MAX, "1e88", OVERFLOW), ("+", "9.9e125", "9.9e125", OVERFLOW),
    ("-", "1.5e-130", "1e-130", UNDERFLOW), ("-", "1e-129", "9.1e-130", UNDERFLOW),
])
def test_arithmetic_range(dynamodb, table_s, op, a, b, message):
    # why: a result outside 10^-130 .. 10^126 is refused; found while applying, so no envelope.
    with raises("ValidationException", message):
        arithmetic(dynamodb, table_s, f"SET r = :a {op} :b", a, b)


@pytest.mark.parametrize("op, a, b", [
    ("+", "12345678901234567890123456789012345678", "0.1"),          # 39 significant digits
    ("+", MAX, "1e87"),                                              # would round the maximum
    ("+", "1", "1e-130"),
])
def test_arithmetic_beyond_38_digits(dynamodb, table_s, op, a, b):
    # why: an exact result needing a 39th digit is refused, not rounded; DynamoDB words it as an
    # overflow (Alternator test_update_expression_plus_imprecise: 1e50 + 1, "Strangely, DynamoDB says
    # that the error is: 'Number overflow. ...'"; these edges assume the same rule).
    with raises("ValidationException", OVERFLOW, local=LOCAL_PRECISION):
        arithmetic(dynamodb, table_s, f"SET r = :a {op} :b", a, b)


# =============================================================================================
# Functionality: canonical text
# =============================================================================================

CANONICAL = [
    ("00042", "42"), ("1.0", "1"), ("3.1400", "3.14"), ("1.5E2", "150"), ("1E2", "100"), ("10E-1", "1"),
    ("-0", "0"), ("0.0", "0"), ("-0.0", "0"), ("0e1000", "0"), ("+5", "5"), ("5.", "5"), (".5", "0.5"),
    ("-.5", "-0.5"), ("1e20", "100000000000000000000"), ("1.23e-5", "0.0000123"), ("-17.4E37", "-174" + "0" * 36),
    ("0001.2300", "1.23"), ("1e+5", "100000"),
    ("12345678901234567890123456789012345678", "12345678901234567890123456789012345678"),
    ("123456789012345678901234567890123456780000", "123456789012345678901234567890123456780000"),
    ("0.00000000000000000000000000000000000001", "0.00000000000000000000000000000000000001"),
    (MAX, MAX_TEXT), ("-" + MAX, "-" + MAX_TEXT), ("1E-130", MIN_TEXT), ("-1e-130", "-" + MIN_TEXT),
]


@pytest.mark.parametrize("number, text", CANONICAL, ids=[n for n, _ in CANONICAL])
def test_canonical_after_put(dynamodb, table_s, number, text):
    # why: DynamoDB returns numbers in plain decimal without leading or trailing zeros, whatever was
    # sent (conformance numberPrecision; ExtendDB PR 7, verified against DynamoDB); trailing zeros of
    # an integer and leading zeros of a fraction are not significant digits.
    key = {"pk": S(util.unique_key())}
    dynamodb.put_item(TableName=table_s, Item={**key, "v": N(number)})
    assert dynamodb.get_item(TableName=table_s, Key=key)["Item"]["v"] == N(text)


@pytest.mark.local_differs("DynamoDB Local normalises only top-level numbers")
@pytest.mark.parametrize("number, text", CANONICAL[:6] + CANONICAL[-2:], ids=[n for n, _ in CANONICAL[:6] + CANONICAL[-2:]])
def test_canonical_inside_sets_and_documents(dynamodb, table_s, number, text):
    # why: numbers are one type wherever they sit, so set members and nested numbers come back in
    # the same canonical text (ExtendDB PR 7 normalises every N and NS, verified against DynamoDB).
    key = {"pk": S(util.unique_key())}
    dynamodb.put_item(TableName=table_s, Item={**key, "s": {"NS": [number]}, "m": {"M": {"l": {"L": [N(number)]}}}})
    item = dynamodb.get_item(TableName=table_s, Key=key)["Item"]
    assert (item["s"], item["m"]) == ({"NS": [text]}, {"M": {"l": {"L": [N(text)]}}})


@pytest.mark.local_differs(LOCAL_RAW)
@pytest.mark.parametrize("value, text", [(N("1.50"), N("1.5")), ({"NS": ["1.0", "2.50"]}, {"NS": ["1", "2.5"]}),
                                         ({"M": {"x": N("1.0"), "l": {"L": [N("00.10")]}}},
                                          {"M": {"x": N("1"), "l": {"L": [N("0.1")]}}})])
def test_canonical_after_update(dynamodb, table_s, value, text):
    # why: UpdateItem stores numbers the same way PutItem does.
    got = set_value(dynamodb, table_s, value)["Attributes"]["a"]
    if "NS" in got:
        got["NS"].sort()
    assert got == text


@pytest.mark.local_differs(LOCAL_RAW)
@pytest.mark.parametrize("expression, a, b, result", [
    ("SET r = :a + :b", "123.450", "0.550", "124"), ("SET r = :a + :b", "0.5", "0.5", "1"),
    ("SET r = :a - :b", "5", "5.00", "0"), ("SET r = :a + :b", "1e-130", "-1e-130", "0"),
    ("SET r = :a - :b", "1.0000000000000000000000000000000000001", "1", "0.0000000000000000000000000000000000001"),
])
def test_canonical_after_arithmetic(dynamodb, table_s, expression, a, b, result):
    # why: results are stored like any number: no trailing zeros, zero as "0".
    assert arithmetic(dynamodb, table_s, expression, a, b)["Attributes"] == {"r": N(result)}


def test_number_set_members_equal_by_value(dynamodb, table_s):
    # why: set members are compared as numbers, so adding 1.0 to {1} changes nothing.
    key = {"pk": S(util.unique_key())}
    dynamodb.put_item(TableName=table_s, Item={**key, "s": {"NS": ["1", "2"]}})
    got = dynamodb.update_item(TableName=table_s, Key=key, UpdateExpression="ADD s :v",
                               ExpressionAttributeValues={":v": {"NS": ["1.0", "02"]}}, ReturnValues="ALL_NEW")
    assert sorted(got["Attributes"]["s"]["NS"]) == ["1", "2"]


# =============================================================================================
# Functionality: arithmetic at the edges
# =============================================================================================

@pytest.mark.parametrize("expression, a, b, result", [
    ("SET r = :a + :b", "99999999999999999999999999999999999999", "1", "1" + "0" * 38),
    ("SET r = :a - :b", "-99999999999999999999999999999999999999", "1", "-1" + "0" * 38),
    ("SET r = :a + :b", "12345678901234567890123456789012345678", "1", "12345678901234567890123456789012345679"),
    ("SET r = :a + :b", "1e37", "1", "10000000000000000000000000000000000001"),
    ("SET r = :a - :b", "1e38", "1e38", "0"),
    ("SET r = :a + :b", "1e125", "1e125", "2" + "0" * 125),
    ("SET r = :a + :b", MAX, "0", MAX_TEXT),
    ("SET r = :a - :b", "1e-129", "9e-130", MIN_TEXT),
    ("SET r = :a - :b", "1e-130", "2e-130", "-" + MIN_TEXT),
    ("SET r = :a + :b", "0.1", "0.2", "0.3"),
    ("ADD r :b", None, "-" + MAX_TEXT, "-" + MAX_TEXT),
])
def test_arithmetic_edges(dynamodb, table_s, expression, a, b, result):
    # why: exact decimal arithmetic up to 38 significant digits and across the whole exponent range.
    assert arithmetic(dynamodb, table_s, expression, a, b)["Attributes"] == {"r": N(result)}


def test_add_repeatedly_to_38_digits(dynamodb, table_s):
    # why: a counter at 38 nines moves on to 10^38, which has one significant digit.
    key = {"pk": S(util.unique_key())}
    for value in ("99999999999999999999999999999999999998", "1", "1"):
        got = dynamodb.update_item(TableName=table_s, Key=key, UpdateExpression="ADD c :v",
                                   ExpressionAttributeValues={":v": N(value)}, ReturnValues="UPDATED_NEW")
    assert got["Attributes"] == {"c": N("1" + "0" * 38)}


# =============================================================================================
# Functionality: comparisons across magnitudes and signs
# =============================================================================================

LADDER = ["-" + MAX, "-1e125", "-1", "-1e-130", "0", "1e-130", "0.5", "1", "12345678901234567890123456789012345678",
          "12345678901234567890123456789012345679", "1e38", "1e125", MAX]


@pytest.fixture(scope="module")
def ladder(dynamodb, table_s):
    """Keys of items whose n is LADDER[i], in increasing order."""
    keys = []
    for i, number in enumerate(LADDER):
        key = {"pk": S(util.unique_key(f"num{i}"))}
        dynamodb.put_item(TableName=table_s, Item={**key, "n": N(number)})
        keys.append(key)
    return keys


def holds(dynamodb, table, key, condition, values):
    try:
        dynamodb.update_item(TableName=table, Key=key, UpdateExpression="SET t = :t", ConditionExpression=condition,
                             ExpressionAttributeValues={":t": S("x"), **values})
        return True
    except dynamodb.exceptions.ConditionalCheckFailedException:
        return False


@pytest.mark.parametrize("i", range(len(LADDER)), ids=LADDER)
def test_ordering_against_neighbours(dynamodb, table_s, ladder, i):
    # why: < and > order numbers by value across signs, zero and 250 orders of magnitude, and by the
    # last of 38 digits.
    key = ladder[i]
    for j, other in enumerate(LADDER):
        values = {":o": N(other)}
        assert holds(dynamodb, table_s, key, "n < :o", values) is (i < j), (LADDER[i], other)
        assert holds(dynamodb, table_s, key, "n = :o", values) is (i == j), (LADDER[i], other)
        assert holds(dynamodb, table_s, key, "n >= :o", values) is (i >= j), (LADDER[i], other)


@pytest.mark.parametrize("stored, same", [("100", "1e2"), ("1", "1.000"), ("0", "-0"), ("0.5", "5e-1"),
                                          ("1e-130", "0.1e-129"), (MAX, MAX_TEXT)])
def test_equality_ignores_notation(dynamodb, table_s, stored, same):
    # why: numbers compare by value, not by text.
    key = {"pk": S(util.unique_key())}
    dynamodb.put_item(TableName=table_s, Item={**key, "n": N(stored)})
    assert holds(dynamodb, table_s, key, "n = :o AND n IN (:o) AND n BETWEEN :o AND :o", {":o": N(same)})


@pytest.mark.parametrize("low, high, expected", [("-1e125", "1e-130", True), ("-1", "-1e-130", False),
                                                 ("-0.1", "0.1", True), ("1e-130", "1", False)])
def test_between_across_signs(dynamodb, table_s, low, high, expected):
    # why: BETWEEN bounds straddling zero or tiny magnitudes compare by value.
    key = {"pk": S(util.unique_key())}
    dynamodb.put_item(TableName=table_s, Item={**key, "n": N("0")})
    assert holds(dynamodb, table_s, key, "n BETWEEN :lo AND :hi", {":lo": N(low), ":hi": N(high)}) is expected


def test_number_never_equals_string(dynamodb, table_s):
    # why: N "1" and S "1" are different types: = is false, <> is true.
    key = {"pk": S(util.unique_key())}
    dynamodb.put_item(TableName=table_s, Item={**key, "n": N("1")})
    assert not holds(dynamodb, table_s, key, "n = :o", {":o": S("1")})
    assert holds(dynamodb, table_s, key, "n <> :o", {":o": S("1")})
