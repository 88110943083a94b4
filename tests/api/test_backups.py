"""test_backups.py — on-demand backups: CreateBackup, DescribeBackup, ListBackups, DeleteBackup,
RestoreTableFromBackup.

Expected behaviour is real DynamoDB's (nubo-db/dynamodb-conformance tests/tier2/backups/onDemand;
the ack-api-quirks captures of October 2026, DDB-BACKUP-001..027 and DDB-TABLE-014/215/216/219): CreateBackup
answers BackupDetails with status CREATING and the backup is AVAILABLE at the next DescribeBackup;
the ARN is the table's ARN + /backup/<14-digit epoch ms>-<8 hex>; a missing table is
TableNotFoundException "Table not found: <name>"; a deleted backup is BackupNotFoundException
"Backup not found: <arn>" at once and leaves ListBackups; ListBackups is in creation order, USER by
default; RestoreTableFromBackup answers the new table CREATING with RestoreSummary {SourceBackupArn,
SourceTableArn, RestoreDateTime, RestoreInProgress: true} (DescribeTable drops it once ACTIVE), and the
restored table holds the items of the moment of the backup, in its indexes too, without the
source's stream; an existing target is TableAlreadyExistsException "Table already exists: <name>".
"""
import re

import pytest

import util
from util import raises

pytestmark = pytest.mark.local_differs('DynamoDB Local does not implement on-demand backups (UnknownOperationException)')


def S(v):
    return {"S": v}


@pytest.fixture
def source(dynamodb, new_table):
    name = new_table([("pk", "S")], AttributeDefinitions=[{"AttributeName": "g", "AttributeType": "S"}],
                     GlobalSecondaryIndexes=[{"IndexName": "by_g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                              "Projection": {"ProjectionType": "KEYS_ONLY"}}],
                     StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"})
    for i in range(5):
        dynamodb.put_item(TableName=name, Item={"pk": S(f"k{i}"), "g": S("x" if i % 2 else "y"), "n": {"N": str(i)}})
    return name


@pytest.fixture
def backups(dynamodb):
    """ARNs to delete after the test."""
    made = []
    yield made
    for arn in made:
        try:
            dynamodb.delete_backup(BackupArn=arn)
        except dynamodb.exceptions.ClientError:
            pass


def create(dynamodb, backups, table, name="bk_test"):
    details = dynamodb.create_backup(TableName=table, BackupName=name)["BackupDetails"]
    backups.append(details["BackupArn"])
    return details


def test_create_answers_creating_then_describe_available(dynamodb, source, backups):
    details = create(dynamodb, backups, source, "bk_first")
    table_arn = dynamodb.describe_table(TableName=source)["Table"]["TableArn"]
    assert re.fullmatch(re.escape(table_arn) + r"/backup/\d{14}-[0-9a-f]{8}", details["BackupArn"])
    assert details["BackupStatus"] == "CREATING"
    assert details["BackupName"] == "bk_first" and details["BackupType"] == "USER"
    assert details["BackupSizeBytes"] > 0
    desc = dynamodb.describe_backup(BackupArn=details["BackupArn"])["BackupDescription"]
    assert desc["BackupDetails"]["BackupStatus"] == "AVAILABLE"
    src = desc["SourceTableDetails"]
    assert src["TableName"] == source and src["TableArn"] == table_arn and src["ItemCount"] == 5
    assert src["BillingMode"] == "PAY_PER_REQUEST"
    assert src["KeySchema"] == [{"AttributeName": "pk", "KeyType": "HASH"}]
    features = desc["SourceTableFeatureDetails"]
    assert [ix["IndexName"] for ix in features["GlobalSecondaryIndexes"]] == ["by_g"]
    assert features["StreamDescription"] == {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}


def test_list_backups_by_table_and_all(dynamodb, source, backups, new_table):
    other = new_table([("pk", "S")])
    mine = create(dynamodb, backups, source, "bk_mine")["BackupArn"]
    theirs = create(dynamodb, backups, other, "bk_theirs")["BackupArn"]
    listed = dynamodb.list_backups(TableName=source)["BackupSummaries"]
    assert [b["BackupArn"] for b in listed] == [mine]
    assert listed[0]["BackupStatus"] == "AVAILABLE" and listed[0]["TableName"] == source
    every = {b["BackupArn"] for b in dynamodb.list_backups()["BackupSummaries"]}
    assert {mine, theirs} <= every
    assert dynamodb.list_backups(TableName=source, BackupType="SYSTEM")["BackupSummaries"] == []


def test_list_backups_pages_with_limit(dynamodb, source, backups):
    arns = {create(dynamodb, backups, source, f"bk_page{i}")["BackupArn"] for i in range(3)}
    seen, start = [], None
    for _ in range(5):
        kw = {"TableName": source, "Limit": 2}
        if start:
            kw["ExclusiveStartBackupArn"] = start
        page = dynamodb.list_backups(**kw)
        seen += [b["BackupArn"] for b in page["BackupSummaries"]]
        start = page.get("LastEvaluatedBackupArn")
        if not start:
            break
    assert sorted(seen) == sorted(arns)


def test_delete_backup_then_not_found(dynamodb, source, backups):
    arn = create(dynamodb, backups, source, "bk_gone")["BackupArn"]
    deleted = dynamodb.delete_backup(BackupArn=arn)["BackupDescription"]
    assert deleted["BackupDetails"]["BackupArn"] == arn
    assert deleted["BackupDetails"]["BackupStatus"] == "DELETED"
    with raises("BackupNotFoundException", f"Backup not found: {arn}"):
        dynamodb.describe_backup(BackupArn=arn)
    with raises("BackupNotFoundException", f"Backup not found: {arn}"):
        dynamodb.delete_backup(BackupArn=arn)
    assert arn not in [b["BackupArn"] for b in dynamodb.list_backups(TableName=source)["BackupSummaries"]]


@pytest.fixture
def target(dynamodb):
    """The name of a restore's target table, deleted after the test."""
    name = util.unique_name("restored")
    yield name
    util.delete_table(dynamodb, name)


def test_restore_holds_the_items_of_the_backup(dynamodb, source, backups, target):
    arn = create(dynamodb, backups, source, "bk_restore")["BackupArn"]
    dynamodb.put_item(TableName=source, Item={"pk": S("later"), "g": S("x")})      # not in the backup
    dynamodb.delete_item(TableName=source, Key={"pk": S("k0")})                      # still in it
    resp = dynamodb.restore_table_from_backup(TargetTableName=target, BackupArn=arn)["TableDescription"]
    source_arn = dynamodb.describe_table(TableName=source)["Table"]["TableArn"]
    assert resp["TableName"] == target and resp["TableStatus"] == "CREATING"
    summary = resp["RestoreSummary"]
    assert summary["SourceBackupArn"] == arn and summary["SourceTableArn"] == source_arn
    assert summary["RestoreInProgress"] is True
    util.wait_active(dynamodb, target)
    table = dynamodb.describe_table(TableName=target)["Table"]
    assert table["ItemCount"] == 5
    assert "RestoreSummary" not in table            # DynamoDB drops it once the table is ACTIVE
    assert "LatestStreamArn" not in table and "StreamSpecification" not in table
    items = dynamodb.scan(TableName=target, ConsistentRead=True)["Items"]
    assert sorted(i["pk"]["S"] for i in items) == [f"k{i}" for i in range(5)]
    by_g = dynamodb.query(TableName=target, IndexName="by_g", KeyConditionExpression="g = :g",
                          ExpressionAttributeValues={":g": S("x")})["Items"]
    assert sorted(i["pk"]["S"] for i in by_g) == ["k1", "k3"]


def test_restore_into_existing_table_refused(dynamodb, source, backups):
    arn = create(dynamodb, backups, source, "bk_exists")["BackupArn"]
    with raises("TableAlreadyExistsException", f"Table already exists: {source}"):
        dynamodb.restore_table_from_backup(TargetTableName=source, BackupArn=arn)


def test_backup_of_missing_table(dynamodb):
    name = util.unique_name("absent")
    with raises("TableNotFoundException", f"Table not found: {name}"):
        dynamodb.create_backup(TableName=name, BackupName="bk_none")


def test_backup_survives_its_table(dynamodb, backups, new_table):
    name = new_table([("pk", "S")])
    dynamodb.put_item(TableName=name, Item={"pk": S("only")})
    arn = create(dynamodb, backups, name, "bk_orphan")["BackupArn"]
    util.delete_table(dynamodb, name)
    assert dynamodb.describe_backup(BackupArn=arn)["BackupDescription"]["BackupDetails"]["BackupStatus"] == "AVAILABLE"


@pytest.mark.parametrize("params, message", [
    ({"BackupName": "bk"}, "1 validation error detected: Value 'bk' at 'backupName' failed to satisfy "
                           "constraint: Member must have length greater than or equal to 3"),
    ({"BackupName": "bad name!"}, "1 validation error detected: Value 'bad name!' at 'backupName' failed to "
                                  "satisfy constraint: Member must satisfy regular expression pattern: "
                                  "[a-zA-Z0-9_.-]+"),
])
def test_create_backup_validation(dynamodb, source, params, message):
    with raises("ValidationException", message):
        dynamodb.create_backup(TableName=source, **params)


def test_list_backups_in_creation_order_and_time_range(dynamodb, source, backups):
    arns = [create(dynamodb, backups, source, f"bk_order{i}")["BackupArn"] for i in range(3)]
    listed = [b["BackupArn"] for b in dynamodb.list_backups(TableName=source)["BackupSummaries"]]
    assert listed == arns
    second = dynamodb.describe_backup(BackupArn=arns[1])["BackupDescription"]["BackupDetails"]
    later = dynamodb.list_backups(TableName=source, TimeRangeLowerBound=second["BackupCreationDateTime"])
    assert arns[1] in [b["BackupArn"] for b in later["BackupSummaries"]]
    with raises("ValidationException", "One or more parameter values were invalid: Time range lower bound "
                                       "must be less than or equal to upper bound"):
        dynamodb.list_backups(TimeRangeLowerBound=2000000000, TimeRangeUpperBound=1000000000)


def test_describe_backup_refuses_a_table_arn(dynamodb, source):
    arn = dynamodb.describe_table(TableName=source)["Table"]["TableArn"]
    with raises("ValidationException", "Invalid Backup ARN"):
        dynamodb.describe_backup(BackupArn=arn + "/not-a-backup-arn-at-all")


@pytest.mark.parametrize("overrides, message", [
    ({"ProvisionedThroughputOverride": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}},
     "Invalid Request: Cannot override ProvisionedThroughput unless BillingMode is PROVISIONED"),
    ({"BillingModeOverride": "PROVISIONED"},
     "Invalid Request: Must override ProvisionedThroughput if BillingMode is overridden to PROVISIONED"),
    ({"GlobalSecondaryIndexOverride": [{"IndexName": "other", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                        "Projection": {"ProjectionType": "ALL"}}]},
     "Invalid Request: Index other does not match a secondary index that existed in the source table and "
     "cannot be created during the restore operation"),
])
def test_restore_override_rules(dynamodb, source, backups, target, overrides, message):
    arn = create(dynamodb, backups, source, "bk_override")["BackupArn"]
    with raises("ValidationException", message):
        dynamodb.restore_table_from_backup(TargetTableName=target, BackupArn=arn, **overrides)
    with raises("ResourceNotFoundException", f"Requested resource not found: Table: {target} not found"):
        dynamodb.describe_table(TableName=target)


def test_restore_with_no_indexes_and_provisioned(dynamodb, source, backups, target):
    arn = create(dynamodb, backups, source, "bk_noidx")["BackupArn"]
    dynamodb.restore_table_from_backup(TargetTableName=target, BackupArn=arn, GlobalSecondaryIndexOverride=[],
                                       BillingModeOverride="PROVISIONED",
                                       ProvisionedThroughputOverride={"ReadCapacityUnits": 3, "WriteCapacityUnits": 4})
    table = dynamodb.describe_table(TableName=target)["Table"]
    assert "GlobalSecondaryIndexes" not in table
    assert table["ProvisionedThroughput"]["ReadCapacityUnits"] == 3
    assert table["ItemCount"] == 5
