"""DescribeLimits: what tools ask before anything else (Time to Live: test_ttl.py)."""


def test_describe_limits(dynamodb):
    # why: DynamoDB's default quotas (developer guide "Service quotas"), as DynamoDB Local gives them.
    limits = dynamodb.describe_limits()
    assert {k: limits[k] for k in ("AccountMaxReadCapacityUnits", "AccountMaxWriteCapacityUnits",
                                   "TableMaxReadCapacityUnits", "TableMaxWriteCapacityUnits")} == {
        "AccountMaxReadCapacityUnits": 80000, "AccountMaxWriteCapacityUnits": 80000,
        "TableMaxReadCapacityUnits": 40000, "TableMaxWriteCapacityUnits": 40000}
