"""DescribeLimits and DescribeEndpoints: what tools ask before anything else (Time to Live:
test_ttl.py)."""
import pytest

import util


def test_describe_limits(dynamodb):
    # why: DynamoDB's default quotas (developer guide "Service quotas"), as DynamoDB Local gives them.
    limits = dynamodb.describe_limits()
    assert {k: limits[k] for k in ("AccountMaxReadCapacityUnits", "AccountMaxWriteCapacityUnits",
                                   "TableMaxReadCapacityUnits", "TableMaxWriteCapacityUnits")} == {
        "AccountMaxReadCapacityUnits": 80000, "AccountMaxWriteCapacityUnits": 80000,
        "TableMaxReadCapacityUnits": 40000, "TableMaxWriteCapacityUnits": 40000}


@pytest.mark.local_differs("DynamoDB Local answers UnknownOperationException")
def test_describe_endpoints_names_this_server(dynamodb, url):
    # why: SDKs with endpoint discovery on (the Java SDK v1 option, for instance) call
    # DescribeEndpoints and then send requests to the address it names: it must be this server,
    # never AWS. DynamoDB answers with a cache period of 1440 minutes.
    endpoints = dynamodb.describe_endpoints()["Endpoints"]
    if util.DIALECT == "dynastream":
        assert endpoints == [{"Address": url.split("//", 1)[1], "CachePeriodInMinutes": 1440}]
    else:
        assert len(endpoints) >= 1 and endpoints[0]["CachePeriodInMinutes"] == 1440
