"""--shared-db / -sharedDb: one set of tables for every access key and region (as DynamoDB Local's
-sharedDb), while ARNs keep the caller's region."""
import pytest

import util


@pytest.mark.server_only("starts its own server with --shared-db")
def test_shared_db_one_namespace(server_factory):
    # why: without --shared-db each key and region has its own tables (test_manual_requests); with
    # it, a table made with one key in one region is seen with another key in another region.
    server = server_factory("--in-memory", "-sharedDb")
    a = util.client_for(server.url, access_key="keyA", region="us-east-1")
    b = util.client_for(server.url, access_key="keyB", region="eu-west-1")
    name = util.create_table(a, util.unique_name("shared"), [("pk", "S")])
    a.put_item(TableName=name, Item={"pk": {"S": "x"}})
    assert name in b.list_tables()["TableNames"]
    assert b.get_item(TableName=name, Key={"pk": {"S": "x"}})["Item"] == {"pk": {"S": "x"}}
    # the ARN names the region of the request that created the table
    assert b.describe_table(TableName=name)["Table"]["TableArn"].startswith("arn:aws:dynamodb:us-east-1:")
