"""test_vector_indexes.py — CreateTable's VectorIndexes (the 2026 vector search API), control plane
only: validated with DynamoDB's words, kept, and described by DescribeTable (ACTIVE, empty, with an
IndexArn .../index/<name>, SearchSchema round-tripped exactly, no Backfilling member). SearchVectors
itself is not built (UnknownOperationException), and VectorIndexUpdates is refused by UpdateTable
with a ValidationException.

Expected words: nubo-db/dynamodb-conformance tests/tier3/error-messages/vectorIndexes and
tier2/vectorSearch/lifecycle and validation (captured on AWS, 2026). Debian's boto3 1.26 predates
the API, so requests go out as signed raw JSON.
"""
import pytest

import util

pytestmark = pytest.mark.local_differs("DynamoDB Local (2026-01-16) predates vector indexes")


def call(url, op, body):
    status, _, parsed, _ = util.raw_request(url, target=f"DynamoDB_20120810.{op}", body=body)
    return status, parsed


def vix(name="vix", attribute="embedding", dimensions=3, schema=True):
    index = {"IndexName": name, "VectorAttribute": {"AttributeName": attribute}, "Dimensions": dimensions,
             "DistanceFunction": "COSINE", "Projection": {"ProjectionType": "ALL"}}
    if schema:
        index["SearchSchema"] = [{"AttributeName": "tenant", "SearchSchemaElementType": "HASH"},
                                 {"AttributeName": "category", "SearchSchemaElementType": "INLINE_FILTER"}]
    return index


def create_body(name, indexes, **extra):
    body = {"TableName": name, "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": a, "AttributeType": "S"} for a in ("pk", "tenant", "category")],
            "BillingMode": "PAY_PER_REQUEST", "VectorIndexes": indexes}
    body.update(extra)
    return body


@pytest.fixture
def name(dynamodb):
    table = util.unique_name("vec")
    yield table
    util.delete_table(dynamodb, table)


def test_vector_index_is_described(url, name):
    status, created = call(url, "CreateTable", create_body(name, [vix(), vix("wide", "big", 4096, schema=False)]))
    assert status == 200
    status, described = call(url, "DescribeTable", {"TableName": name})
    indexes = {ix["IndexName"]: ix for ix in described["Table"]["VectorIndexes"]}
    ix = indexes["vix"]
    assert (ix["Dimensions"], ix["DistanceFunction"], ix["VectorAttribute"], ix["Projection"]) == (
        3, "COSINE", {"AttributeName": "embedding"}, {"ProjectionType": "ALL"})
    assert ix["SearchSchema"] == vix()["SearchSchema"]
    assert ix["IndexArn"] == described["Table"]["TableArn"] + "/index/vix"
    assert (ix["IndexStatus"], ix["ItemCount"], ix["IndexSizeBytes"]) == ("ACTIVE", 0, 0)
    assert "Backfilling" not in ix
    assert indexes["wide"]["Dimensions"] == 4096
    # the vector attribute needs no AttributeDefinition, and items carry it as a list of numbers
    status, _ = call(url, "PutItem", {"TableName": name, "Item": {
        "pk": {"S": "a"}, "embedding": {"L": [{"N": "0.1"}, {"N": "0.2"}, {"N": "0.3"}]}}})
    assert status == 200


INVALID = "One or more parameter values were invalid: "


@pytest.mark.parametrize("change, message", [
    ({"BillingMode": "PROVISIONED", "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}},
     INVALID + "Vector indexes are only supported for PAY_PER_REQUEST tables"),
    ({"AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}]},
     INVALID + "One element in SearchSchema is not defined in attribute definitions"),
    ({"VectorIndexes": [vix(dimensions=4097)]},
     INVALID + "Number of dimensions must be between 1 and 4096 inclusive."),
    ({"VectorIndexes": [vix(f"vix-{i}") for i in range(6)]},
     INVALID + "VectorIndex count exceeds the per-table limit of 5"),
    ({"VectorIndexes": [vix(), vix("vix2", dimensions=4)]},
     INVALID + "Conflicting attribute definition for 'embedding'. All VectorIndexes on the same vector "
               "attribute must use the same dimensions."),
    ({"VectorIndexes": [vix(dimensions=0)]},
     "1 validation error detected: Value '0' at 'vectorIndexes.1.member.dimensions' failed to satisfy "
     "constraint: Member must have value greater than or equal to 1"),
], ids=["provisioned", "schema-undefined", "too-many-dimensions", "six-indexes", "conflicting-dimensions",
        "zero-dimensions"])
def test_vector_index_validation(url, name, change, message):
    status, body = call(url, "CreateTable", create_body(name, [vix()], **change))
    assert (status, util.error_of(body)) == (400, ("ValidationException", message))
    assert call(url, "DescribeTable", {"TableName": name})[0] == 400


def test_search_and_index_updates_not_built(url, name):
    assert call(url, "CreateTable", create_body(name, [vix()]))[0] == 200
    status, body = call(url, "SearchVectors", {"TableName": name, "IndexName": "vix",
                                               "SearchVector": [{"N": "1"}, {"N": "0"}, {"N": "0"}], "TopK": 1})
    assert (status, util.error_of(body)[0]) == (400, "UnknownOperationException")
    status, body = call(url, "UpdateTable", {"TableName": name, "VectorIndexUpdates": [{"Delete": {"IndexName": "vix"}}]})
    assert (status, util.error_of(body)[0]) == (400, "ValidationException")


def test_restore_keeps_vector_indexes(url, dynamodb, name):
    assert call(url, "CreateTable", create_body(name, [vix()]))[0] == 200
    backup = dynamodb.create_backup(TableName=name, BackupName="bk_vec")["BackupDetails"]["BackupArn"]
    target = util.unique_name("vecrestored")
    try:
        dynamodb.restore_table_from_backup(TargetTableName=target, BackupArn=backup)
        status, described = call(url, "DescribeTable", {"TableName": target})
        assert [ix["IndexName"] for ix in described["Table"]["VectorIndexes"]] == ["vix"]
    finally:
        util.delete_table(dynamodb, target)
        dynamodb.delete_backup(BackupArn=backup)
