"""DescribeLimits and DescribeTimeToLive: what tools ask before anything else."""
import util
from util import raises


def test_describe_limits(dynamodb):
    # why: DynamoDB's default quotas (developer guide "Service quotas"), as DynamoDB Local gives them.
    limits = dynamodb.describe_limits()
    assert {k: limits[k] for k in ("AccountMaxReadCapacityUnits", "AccountMaxWriteCapacityUnits",
                                   "TableMaxReadCapacityUnits", "TableMaxWriteCapacityUnits")} == {
        "AccountMaxReadCapacityUnits": 80000, "AccountMaxWriteCapacityUnits": 80000,
        "TableMaxReadCapacityUnits": 40000, "TableMaxWriteCapacityUnits": 40000}


def test_describe_time_to_live_disabled(dynamodb, table_s):
    # why: a table without TTL reports DISABLED (API reference, TimeToLiveDescription).
    assert dynamodb.describe_time_to_live(TableName=table_s)["TimeToLiveDescription"] == {
        "TimeToLiveStatus": "DISABLED"}


def test_describe_time_to_live_missing_table(dynamodb):
    # why: an unknown table is ResourceNotFoundException with DescribeTable's words.
    name = util.unique_name("nope")
    with raises("ResourceNotFoundException", f"Requested resource not found: Table: {name} not found",
                local="Cannot do operations on a non-existent table"):
        dynamodb.describe_time_to_live(TableName=name)
