"""test_ttl.py — Time to Live: UpdateTimeToLive, DescribeTimeToLive, and the deletion of expired items.

Expected behaviour and words are real DynamoDB's, from 2026 captures (nubo-db/dynamodb-conformance:
tests/tier2/ttl/basic.test.ts, and the ack-api-quirks records DDB-TABLE-144..146 and the
request-validation capture of UpdateTimeToLive): the change is visible at once, UpdateTimeToLive echoes
the specification, a disabled TTL names no attribute, no-op changes are refused. Expiry: an item whose
TTL attribute is a Number of epoch seconds in the past (not more than five years) is deleted by the
service, in indexes too, and its stream record has userIdentity {Type: Service, PrincipalId:
dynamodb.amazonaws.com}. Real DynamoDB takes up to days to delete; dynastream sweeps every second,
so the expiry tests are for emulators. Waits poll with a bound; nothing sleeps a fixed time.
"""
import time

import pytest

import util
from util import raises, violation, violations

ATTR_PATH = "timeToLiveSpecification.attributeName"
ENABLED_PATH = "timeToLiveSpecification.enabled"


@pytest.fixture
def table(dynamodb):
    name = util.create_table(dynamodb, util.unique_name("ttl"), [("pk", "S")])
    yield name
    util.delete_table(dynamodb, name)


def describe(dynamodb, name):
    return dynamodb.describe_time_to_live(TableName=name)["TimeToLiveDescription"]


def update(dynamodb, name, enabled, attribute):
    return dynamodb.update_time_to_live(
        TableName=name, TimeToLiveSpecification={"Enabled": enabled, "AttributeName": attribute})


# =============================================================================================
# The setting
# =============================================================================================

def test_fresh_table_is_disabled_without_attribute(dynamodb, table):
    assert describe(dynamodb, table) == {"TimeToLiveStatus": "DISABLED"}


def test_enable_echoes_the_specification_and_describe_shows_it(dynamodb, table):
    response = update(dynamodb, table, True, "expiresAt")
    assert response["TimeToLiveSpecification"] == {"Enabled": True, "AttributeName": "expiresAt"}
    assert "TimeToLiveDescription" not in response
    assert describe(dynamodb, table) == {"TimeToLiveStatus": "ENABLED", "AttributeName": "expiresAt"}


def test_disable_forgets_the_attribute(dynamodb, table):
    update(dynamodb, table, True, "ttl_a")
    response = update(dynamodb, table, False, "ttl_a")
    assert response["TimeToLiveSpecification"] == {"Enabled": False, "AttributeName": "ttl_a"}
    assert describe(dynamodb, table) == {"TimeToLiveStatus": "DISABLED"}


def test_enable_twice_is_refused(dynamodb, table):
    update(dynamodb, table, True, "ttl_a")
    with raises("ValidationException", "TimeToLive is already enabled"):
        update(dynamodb, table, True, "ttl_a")
    assert describe(dynamodb, table) == {"TimeToLiveStatus": "ENABLED", "AttributeName": "ttl_a"}


def test_disable_when_disabled_is_refused(dynamodb, table):
    with raises("ValidationException", "TimeToLive is already disabled"):
        update(dynamodb, table, False, "x")


def test_other_attribute_while_enabled_is_refused(dynamodb, table):
    update(dynamodb, table, True, "ttl_a")
    for enabled in (False, True):
        with raises("ValidationException",
                    "TimeToLive is active on a different AttributeName: current AttributeName is ttl_a",
                    local="TimeToLive is active on a different AttributeName"):
            update(dynamodb, table, enabled, "ttl_b")
    assert describe(dynamodb, table) == {"TimeToLiveStatus": "ENABLED", "AttributeName": "ttl_a"}


@pytest.mark.emulator_only("real DynamoDB refuses a second change within an hour")
def test_disable_then_enable_another_attribute(dynamodb, table):
    update(dynamodb, table, True, "ttl_a")
    update(dynamodb, table, False, "ttl_a")
    update(dynamodb, table, True, "ttl_b")
    assert describe(dynamodb, table) == {"TimeToLiveStatus": "ENABLED", "AttributeName": "ttl_b"}


def test_partition_key_may_be_the_ttl_attribute(dynamodb, table):
    # the capture: TTL on the partition key is accepted
    update(dynamodb, table, True, "pk")
    assert describe(dynamodb, table)["AttributeName"] == "pk"


def test_ttl_is_not_part_of_describe_table(dynamodb, table):
    update(dynamodb, table, True, "expiresAt")
    assert "TimeToLiveAttribute" not in str(dynamodb.describe_table(TableName=table)["Table"])


# =============================================================================================
# Validation
# =============================================================================================

LOCAL_NULL_NAME = "AttributeName cannot be null when time to live is being enabled"
LOCAL_NAME_LENGTH = ("Names of key attributes and attributes projected into an index must be between 1 and "
                     "255 characters, inclusive")


@pytest.mark.parametrize("spec, message, local", [
    ({}, violations(violation(None, ATTR_PATH, "not be null"), violation(None, ENABLED_PATH, "not be null")),
     LOCAL_NULL_NAME),
    ({"Enabled": True}, violations(violation(None, ATTR_PATH, "not be null")), LOCAL_NULL_NAME),
    ({"AttributeName": "ttl"}, violations(violation(None, ENABLED_PATH, "not be null")), LOCAL_NULL_NAME),
    ({"Enabled": True, "AttributeName": ""},
     violations(violation("", ATTR_PATH, "have length greater than or equal to 1")), LOCAL_NAME_LENGTH),
    ({"Enabled": True, "AttributeName": "a" * 256},
     violations(violation("a" * 256, ATTR_PATH, "have length less than or equal to 255")), LOCAL_NAME_LENGTH),
])
def test_specification_members(dynamodb, table, spec, message, local):
    with raises("ValidationException", message, local=local):
        dynamodb.update_time_to_live(TableName=table, TimeToLiveSpecification=spec)
    assert describe(dynamodb, table) == {"TimeToLiveStatus": "DISABLED"}


def test_specification_is_required(dynamodb, table):
    with raises("ValidationException", violations(violation(None, "timeToLiveSpecification", "not be null")),
                local="TimeToLiveSpecification cannot be null"):
        dynamodb.update_time_to_live(TableName=table)


@pytest.mark.local_differs("DynamoDB Local looks the table up first")
def test_specification_checked_before_the_table(dynamodb):
    with raises("ValidationException", violations(violation(None, ATTR_PATH, "not be null"))):
        dynamodb.update_time_to_live(TableName="no-such-table-" + util.unique_key(),
                                     TimeToLiveSpecification={"Enabled": True})


@pytest.mark.parametrize("call", ["update", "describe"])
def test_missing_table(dynamodb, call):
    name = util.unique_name("missing")
    with raises("ResourceNotFoundException", f"Requested resource not found: Table: {name} not found",
                local="Cannot do operations on a non-existent table"):
        if call == "update":
            update(dynamodb, name, True, "ttl")
        else:
            describe(dynamodb, name)


# =============================================================================================
# Expiry (emulators: real DynamoDB deletes within days)
# =============================================================================================

def wait_gone(dynamodb, table, key, timeout=15):
    """Polls (bounded) until the item with this pk is gone."""
    deadline, delay = time.monotonic() + timeout, 0.02
    while "Item" in dynamodb.get_item(TableName=table, Key={"pk": {"S": key}}, ConsistentRead=True):
        assert time.monotonic() < deadline, f"item {key} of {table} was not expired in {timeout} s"
        time.sleep(delay)
        delay = min(0.5, delay * 2)


@pytest.mark.emulator_only("real DynamoDB deletes expired items within days")
def test_expired_items_are_deleted_and_others_kept(dynamodb, table):
    update(dynamodb, table, True, "exp")
    now = int(time.time())
    items = {
        "past": {"N": str(now - 60)},
        "past-decimal": {"N": f"{now - 1}.5"},
        "future": {"N": str(now + 3600)},
        "older-than-five-years": {"N": str(now - 6 * 366 * 86400)},
        "string": {"S": str(now - 60)},
        "list": {"L": [{"N": str(now - 60)}]},
    }
    for key, value in items.items():
        dynamodb.put_item(TableName=table, Item={"pk": {"S": key}, "exp": value})
    dynamodb.put_item(TableName=table, Item={"pk": {"S": "no-attribute"}})
    wait_gone(dynamodb, table, "past")
    wait_gone(dynamodb, table, "past-decimal")
    left = sorted(i["pk"]["S"] for i in dynamodb.scan(TableName=table, ConsistentRead=True)["Items"])
    assert left == ["future", "list", "no-attribute", "older-than-five-years", "string"]
    assert dynamodb.describe_table(TableName=table)["Table"]["ItemCount"] == 5


@pytest.mark.emulator_only("real DynamoDB deletes expired items within days")
def test_expiry_removes_index_entries(dynamodb):
    name = util.create_table(
        dynamodb, util.unique_name("ttl"), [("pk", "S")],
        AttributeDefinitions=[{"AttributeName": "g", "AttributeType": "S"}],
        GlobalSecondaryIndexes=[{"IndexName": "by-g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                 "Projection": {"ProjectionType": "ALL"}}])
    try:
        update(dynamodb, name, True, "exp")
        dynamodb.put_item(TableName=name, Item={"pk": {"S": "a"}, "g": {"S": "x"}, "exp": {"N": "1700000000"}})
        dynamodb.put_item(TableName=name, Item={"pk": {"S": "b"}, "g": {"S": "x"}})
        wait_gone(dynamodb, name, "a")
        found = dynamodb.query(TableName=name, IndexName="by-g", KeyConditionExpression="g = :g",
                               ExpressionAttributeValues={":g": {"S": "x"}})["Items"]
        assert [i["pk"]["S"] for i in found] == ["b"]
    finally:
        util.delete_table(dynamodb, name)


@pytest.mark.emulator_only("real DynamoDB deletes expired items within days")
@pytest.mark.local_differs("DynamoDB Local writes no stream record for a TTL deletion")
def test_expiry_stream_record_names_the_service(dynamodb, url):
    streams = util.client_for(url, service="dynamodbstreams")
    name = util.create_table(dynamodb, util.unique_name("ttl"), [("pk", "S")],
                             StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
    try:
        update(dynamodb, name, True, "exp")
        item = {"pk": {"S": "gone"}, "exp": {"N": str(int(time.time()) - 5)}, "v": {"S": "old"}}
        dynamodb.put_item(TableName=name, Item=item)
        dynamodb.delete_item(TableName=name, Key={"pk": {"S": "user-delete"}})   # deletes nothing
        dynamodb.put_item(TableName=name, Item={"pk": {"S": "kept"}})
        dynamodb.delete_item(TableName=name, Key={"pk": {"S": "kept"}})           # a user's delete
        wait_gone(dynamodb, name, "gone")
        arn = dynamodb.describe_table(TableName=name)["Table"]["LatestStreamArn"]
        shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
        iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard,
                                              ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        records = streams.get_records(ShardIterator=iterator)["Records"]
        removes = [r for r in records if r["eventName"] == "REMOVE"]
        assert [r["dynamodb"]["Keys"]["pk"]["S"] for r in removes] == ["kept", "gone"]
        assert "userIdentity" not in removes[0]
        assert removes[1]["userIdentity"] == {"Type": "Service", "PrincipalId": "dynamodb.amazonaws.com"}
        assert removes[1]["dynamodb"]["OldImage"] == item
    finally:
        util.delete_table(dynamodb, name)


@pytest.mark.emulator_only("real DynamoDB deletes expired items within days")
def test_disabled_ttl_expires_nothing(dynamodb, table):
    update(dynamodb, table, True, "exp")
    update(dynamodb, table, False, "exp")
    dynamodb.put_item(TableName=table, Item={"pk": {"S": "kept"}, "exp": {"N": "1700000000"}})
    # a sentinel on a table whose TTL was enabled after: once the sweeper has deleted it, a sweep
    # has run that began after the disable, and must have left the first table alone
    sentinel = util.create_table(dynamodb, util.unique_name("ttl"), [("pk", "S")])
    try:
        update(dynamodb, sentinel, True, "exp")
        dynamodb.put_item(TableName=sentinel, Item={"pk": {"S": "s"}, "exp": {"N": "1700000000"}})
        wait_gone(dynamodb, sentinel, "s")
        assert "Item" in dynamodb.get_item(TableName=table, Key={"pk": {"S": "kept"}}, ConsistentRead=True)
    finally:
        util.delete_table(dynamodb, sentinel)


@pytest.mark.server_only("counts the items of a table larger than one sweep slice")
@pytest.mark.emulator_only("real DynamoDB deletes expired items within days")
def test_expiry_of_a_table_larger_than_a_slice(dynamodb, table):
    # the sweeper reads 1,000 items a pass and resumes where it stopped: all expired items of a
    # 2,500-item table go, whatever slice they are in
    now = int(time.time())
    items = [{"pk": {"S": f"i{n:05d}"}, "exp": {"N": str(now - 10 if n % 2 else now + 3600)}}
             for n in range(2500)]
    util.put_items(dynamodb, table, items)
    update(dynamodb, table, True, "exp")
    deadline = time.monotonic() + 30
    while dynamodb.describe_table(TableName=table)["Table"]["ItemCount"] != 1250:
        assert time.monotonic() < deadline, "expired items of later slices were not deleted"
        time.sleep(0.1)
    left = dynamodb.scan(TableName=table, Select="COUNT", ConsistentRead=True)["Count"]
    assert left == 1250


@pytest.mark.server_only("starts its own dynastream with hundreds of TTL tables")
def test_every_ttl_table_is_swept_however_many(server_factory):
    # why: the sweeper takes at most 256 tables a pass, in turn: the tables after the first 256
    # must expire their items too.
    server = server_factory("--in-memory")
    client = util.client_for(server.url)
    names = [f"ttl-many-{i:03d}" for i in range(260)]
    for name in names:
        client.create_table(TableName=name, AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST")
        update(client, name, True, "exp")
    for name in names[-3:]:
        client.put_item(TableName=name, Item={"pk": {"S": "old"}, "exp": {"N": "1700000000"}})
    for name in names[-3:]:
        wait_gone(client, name, "old", timeout=20)
