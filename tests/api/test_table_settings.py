"""test_table_settings.py — settings kept with a table: point-in-time recovery
(Update/DescribeContinuousBackups), Contributor Insights (Update/Describe/ListContributorInsights)
and resource-based policies (Put/Get/DeleteResourcePolicy).

Expected behaviour is real DynamoDB's (nubo-db/dynamodb-conformance tests/tier2/backups/continuous,
contributorInsights/basic and resourcePolicy/basic; the API reference and its CLI examples): a new
table has continuous backups ENABLED and point-in-time recovery DISABLED; enabling it shows at the
next describe with a recovery window; Contributor Insights starts DISABLED, answers ENABLING, and an
enabled table is listed; a table without a policy is PolicyNotFoundException, Put answers a
RevisionId that Get returns, Put of the same document is idempotent, ExpectedRevisionId guards
changes (NO_POLICY: only if none), Delete leaves PolicyNotFoundException and is idempotent.
Debian's boto3 1.26 predates the resource-policy operations and RecoveryPeriodInDays, so those
requests go out as signed raw JSON.
"""
import json
from unittest.mock import ANY

import pytest

import util
from util import raises

pytestmark = pytest.mark.local_differs('DynamoDB Local does not implement these settings (UnknownOperationException)')


@pytest.fixture
def table(dynamodb, new_table):
    return new_table([("pk", "S"), ("sk", "S")],
                     AttributeDefinitions=[{"AttributeName": "g", "AttributeType": "S"}],
                     GlobalSecondaryIndexes=[{"IndexName": "by_g",
                                              "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                              "Projection": {"ProjectionType": "ALL"}}],
                     StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"})


def call(url, op, body):
    """A signed raw request: (status, short error code or None, parsed body)."""
    status, _, parsed, _ = util.raw_request(url, target=f"DynamoDB_20120810.{op}", body=body)
    code, message = util.error_of(parsed)
    return status, (code, message) if status != 200 else None, parsed


# =============================================================================================
# Point-in-time recovery
# =============================================================================================

def test_new_table_has_pitr_disabled(dynamodb, table):
    desc = dynamodb.describe_continuous_backups(TableName=table)["ContinuousBackupsDescription"]
    assert desc == {"ContinuousBackupsStatus": "ENABLED",
                    "PointInTimeRecoveryDescription": {"PointInTimeRecoveryStatus": "DISABLED"}}


def test_enable_and_disable_pitr(dynamodb, table):
    resp = dynamodb.update_continuous_backups(
        TableName=table, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
    pitr = resp["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
    assert pitr["PointInTimeRecoveryStatus"] == "ENABLED"
    desc = dynamodb.describe_continuous_backups(TableName=table)["ContinuousBackupsDescription"]
    pitr = desc["PointInTimeRecoveryDescription"]
    assert pitr["PointInTimeRecoveryStatus"] == "ENABLED"
    assert pitr["EarliestRestorableDateTime"] <= pitr["LatestRestorableDateTime"]
    dynamodb.update_continuous_backups(
        TableName=table, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": False})
    desc = dynamodb.describe_continuous_backups(TableName=table)["ContinuousBackupsDescription"]
    assert desc["PointInTimeRecoveryDescription"] == {"PointInTimeRecoveryStatus": "DISABLED"}


def test_pitr_recovery_period_and_table_arn(url, dynamodb, table):
    arn = dynamodb.describe_table(TableName=table)["Table"]["TableArn"]
    status, error, body = call(url, "UpdateContinuousBackups", {
        "TableName": arn, "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True,
                                                               "RecoveryPeriodInDays": 7}})
    assert (status, error) == (200, None)
    assert body["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]["RecoveryPeriodInDays"] == 7
    status, error, body = call(url, "UpdateContinuousBackups", {
        "TableName": table, "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True,
                                                                 "RecoveryPeriodInDays": 0}})
    assert (status, error) == (400, ("ValidationException", "1 validation error detected: Value '0' at "
                                     "'pointInTimeRecoverySpecification.recoveryPeriodInDays' failed to satisfy "
                                     "constraint: Member must have value greater than or equal to 1"))
    status, error, body = call(url, "UpdateContinuousBackups", {
        "TableName": table, "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": False,
                                                                 "RecoveryPeriodInDays": 7}})
    assert (status, error) == (400, ("ValidationException", "Invalid Request: Cannot specify "
                                     "RecoveryPeriodInDays when disabling point-in-time recovery."))


def test_pitr_of_missing_table(dynamodb):
    name = util.unique_name("absent")
    with raises("TableNotFoundException", f"Table not found: {name}"):
        dynamodb.describe_continuous_backups(TableName=name)
    with raises("TableNotFoundException", f"Table not found: {name}"):
        dynamodb.update_continuous_backups(
            TableName=name, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})


def test_pitr_setting_is_not_shown_by_describe_table(dynamodb, table):
    dynamodb.update_continuous_backups(
        TableName=table, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
    assert "PointInTimeRecovery" not in dynamodb.describe_table(TableName=table)["Table"]


# =============================================================================================
# Contributor Insights
# =============================================================================================

def test_contributor_insights_lifecycle(dynamodb, table):
    assert dynamodb.describe_contributor_insights(TableName=table) == {
        "TableName": table, "ContributorInsightsStatus": "DISABLED", "ResponseMetadata": ANY}
    resp = dynamodb.update_contributor_insights(TableName=table, ContributorInsightsAction="ENABLE")
    assert (resp["TableName"], resp["ContributorInsightsStatus"]) == (table, "ENABLING")
    desc = dynamodb.describe_contributor_insights(TableName=table)
    assert desc["ContributorInsightsStatus"] in ("ENABLING", "ENABLED")
    # the table has a sort key: partition- and sort-key rules, for accessed and throttled keys
    assert sorted(r.split("-")[1] for r in desc["ContributorInsightsRuleList"]) == ["PKC", "PKT", "SKC", "SKT"]
    # enabling again in the same mode changes nothing
    again = dynamodb.update_contributor_insights(TableName=table, ContributorInsightsAction="ENABLE")
    assert again["ContributorInsightsStatus"] == "ENABLED"
    listed = [s for s in dynamodb.list_contributor_insights()["ContributorInsightsSummaries"]
              if s["TableName"] == table]
    assert [(s["TableName"], s["ContributorInsightsStatus"]) for s in listed] == [(table, "ENABLED")]
    resp = dynamodb.update_contributor_insights(TableName=table, ContributorInsightsAction="DISABLE")
    assert resp["ContributorInsightsStatus"] == "DISABLING"
    desc = dynamodb.describe_contributor_insights(TableName=table)
    # a disabled setting keeps its mode and time, and has no rules
    assert desc["ContributorInsightsStatus"] == "DISABLED" and "LastUpdateDateTime" in desc
    assert "ContributorInsightsRuleList" not in desc
    assert dynamodb.list_contributor_insights(TableName=table)["ContributorInsightsSummaries"] == []
    assert dynamodb.update_contributor_insights(
        TableName=table, ContributorInsightsAction="DISABLE")["ContributorInsightsStatus"] == "DISABLED"


def test_contributor_insights_throttled_keys_mode(url, table):
    # (raw requests: Debian's boto3 1.26 does not know ContributorInsightsMode)
    status, error, resp = call(url, "UpdateContributorInsights", {"TableName": table, "ContributorInsightsAction": "ENABLE"})
    assert (status, resp["ContributorInsightsMode"]) == (200, "ACCESSED_AND_THROTTLED_KEYS")
    status, error, resp = call(url, "UpdateContributorInsights", {
        "TableName": table, "ContributorInsightsAction": "ENABLE", "ContributorInsightsMode": "THROTTLED_KEYS"})
    assert (status, resp["ContributorInsightsStatus"], resp["ContributorInsightsMode"]) == (
        200, "ENABLING", "THROTTLED_KEYS")
    _, _, listed = call(url, "ListContributorInsights", {"TableName": table})
    assert listed["ContributorInsightsSummaries"] == [{"TableName": table, "ContributorInsightsStatus": "ENABLED",
                                                       "ContributorInsightsMode": "THROTTLED_KEYS"}]
    _, _, desc = call(url, "DescribeContributorInsights", {"TableName": table})
    assert sorted(r.split("-")[1] for r in desc["ContributorInsightsRuleList"]) == ["PKT", "SKT"]


def test_contributor_insights_of_an_index(dynamodb, table):
    dynamodb.update_contributor_insights(TableName=table, IndexName="by_g", ContributorInsightsAction="ENABLE")
    assert dynamodb.describe_contributor_insights(TableName=table, IndexName="by_g")["ContributorInsightsStatus"] == "ENABLED"
    assert dynamodb.describe_contributor_insights(TableName=table)["ContributorInsightsStatus"] == "DISABLED"
    listed = dynamodb.list_contributor_insights(TableName=table)["ContributorInsightsSummaries"]
    assert [(s["TableName"], s.get("IndexName")) for s in listed] == [(table, "by_g")]
    with raises("ResourceNotFoundException", f"Requested resource not found: Index: nope not found for table: {table}"):
        dynamodb.describe_contributor_insights(TableName=table, IndexName="nope")


def test_contributor_insights_of_missing_table(dynamodb):
    name = util.unique_name("absent")
    with raises("ResourceNotFoundException", f"Requested resource not found: Table: {name} not found"):
        dynamodb.describe_contributor_insights(TableName=name)


# =============================================================================================
# Resource-based policies
# =============================================================================================

def policy_for(arn, action="dynamodb:GetItem"):
    return json.dumps({"Version": "2012-10-17", "Statement": [{
        "Sid": "test", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{arn.split(':')[4]}:root"},
        "Action": action, "Resource": arn}]})


@pytest.fixture
def table_arn(dynamodb, table):
    return dynamodb.describe_table(TableName=table)["Table"]["TableArn"]


def test_policy_lifecycle(url, table, table_arn):
    not_found = ("PolicyNotFoundException",
                 f"Resource-based policy not found for the provided ResourceArn: {table_arn}")
    assert call(url, "GetResourcePolicy", {"ResourceArn": table_arn})[:2] == (400, not_found)
    document = policy_for(table_arn)
    status, error, put = call(url, "PutResourcePolicy", {"ResourceArn": table_arn, "Policy": document})
    assert (status, error) == (200, None) and put["RevisionId"]
    status, error, again = call(url, "PutResourcePolicy", {"ResourceArn": table_arn, "Policy": document})
    assert again["RevisionId"] == put["RevisionId"]                       # idempotent
    status, error, got = call(url, "GetResourcePolicy", {"ResourceArn": table_arn})
    assert got == {"Policy": document, "RevisionId": put["RevisionId"]}
    status, error, changed = call(url, "PutResourcePolicy", {"ResourceArn": table_arn,
                                                             "Policy": policy_for(table_arn, "dynamodb:Query")})
    assert changed["RevisionId"] != put["RevisionId"]
    status, error, deleted = call(url, "DeleteResourcePolicy", {"ResourceArn": table_arn})
    assert (status, deleted) == (200, {"RevisionId": changed["RevisionId"]})
    assert call(url, "GetResourcePolicy", {"ResourceArn": table_arn})[:2] == (400, not_found)
    assert call(url, "DeleteResourcePolicy", {"ResourceArn": table_arn})[:2] == (200, None)


def test_policy_delete_without_policy_and_expected_revision(url, table, table_arn):
    assert call(url, "DeleteResourcePolicy", {"ResourceArn": table_arn})[2] == {}
    status, error, _ = call(url, "DeleteResourcePolicy", {"ResourceArn": table_arn, "ExpectedRevisionId": "123456789"})
    assert (status, error) == (400, ("PolicyNotFoundException", "Resource-based policy not found for the provided "
                                     "ResourceArn: Requested update for policy with revision id 123456789, but "
                                     f"table {table} has no associated policy."))


def test_policy_expected_revision(url, table, table_arn):
    document = policy_for(table_arn)
    status, error, first = call(url, "PutResourcePolicy", {"ResourceArn": table_arn, "Policy": document,
                                                           "ExpectedRevisionId": "NO_POLICY"})
    assert status == 200
    rev = first["RevisionId"]
    status, error, _ = call(url, "PutResourcePolicy", {"ResourceArn": table_arn, "Policy": document,
                                                       "ExpectedRevisionId": "NO_POLICY"})
    assert (status, error) == (400, ("PolicyNotFoundException",
                                     "Resource-based policy not found for the provided ResourceArn: Requested "
                                     f"policy update expecting none to be present for table {table}, but a "
                                     f"policy exists with revision id {rev}."))
    status, error, _ = call(url, "DeleteResourcePolicy", {"ResourceArn": table_arn, "ExpectedRevisionId": "123"})
    assert (status, error) == (400, ("PolicyNotFoundException",
                                     "Resource-based policy not found for the provided ResourceArn: Requested "
                                     f"update for policy with revision id 123, but the policy associated to "
                                     f"target table {table} has revision id {rev}."))
    assert call(url, "DeleteResourcePolicy", {"ResourceArn": table_arn, "ExpectedRevisionId": rev})[0] == 200


def test_policy_on_the_stream(url, dynamodb, table, table_arn):
    stream_arn = dynamodb.describe_table(TableName=table)["Table"]["LatestStreamArn"]
    document = policy_for(stream_arn, "dynamodb:GetRecords")
    assert call(url, "PutResourcePolicy", {"ResourceArn": stream_arn, "Policy": document})[0] == 200
    assert call(url, "GetResourcePolicy", {"ResourceArn": stream_arn})[2]["Policy"] == document
    # the table's own policy is a separate one
    assert call(url, "GetResourcePolicy", {"ResourceArn": table_arn})[1][0] == "PolicyNotFoundException"


def test_policy_of_missing_table(url, table_arn):
    arn = table_arn.rsplit("/", 1)[0] + "/" + util.unique_name("absent")
    status, error, _ = call(url, "GetResourcePolicy", {"ResourceArn": arn})
    assert (status, error) == (400, ("ResourceNotFoundException",
                                     f"Requested resource not found: Table: {arn.rsplit('/', 1)[1]} not found"))


def test_policy_goes_with_its_table(url, dynamodb, new_table):
    name = new_table([("pk", "S")])
    arn = dynamodb.describe_table(TableName=name)["Table"]["TableArn"]
    assert call(url, "PutResourcePolicy", {"ResourceArn": arn, "Policy": policy_for(arn)})[0] == 200
    util.delete_table(dynamodb, name)
    util.create_table(dynamodb, name, [("pk", "S")])
    assert call(url, "GetResourcePolicy", {"ResourceArn": arn})[1][0] == "PolicyNotFoundException"


@pytest.mark.parametrize("arn, message", [
    ("plain-name", "One or more parameter values were invalid: ARNs must start with 'arn:': plain-name"),
    ("arn:aws:dynamodb:eu-west-9:000000000000:table/x", "One or more parameter values were invalid: Invalid "
     "resource Arn: arn:aws:dynamodb:eu-west-9:000000000000:table/x"),
])
def test_policy_arn_forms(url, arn, message):
    assert call(url, "GetResourcePolicy", {"ResourceArn": arn})[:2] == (400, ("ValidationException", message))


def test_policy_stream_label_unknown(url, dynamodb, table, table_arn):
    status, error, _ = call(url, "GetResourcePolicy", {"ResourceArn": table_arn + "/stream/2000-01-01T00:00:00.000"})
    assert (status, error) == (400, ("ResourceNotFoundException", "Requested resource not found: Stream: "
                                     f"2000-01-01T00:00:00.000 not found for Table: {table}"))


@pytest.mark.parametrize("document, message", [
    ("not json", "One or more parameter values were invalid: Invalid policy document: This policy contains invalid Json"),
    ("null", "One or more parameter values were invalid: Invalid policy document: This text appears not to be a policy"),
    ('{"Version":"2012-10-17","Statement":[]}',
     "One or more parameter values were invalid: Invalid policy document: Could not parse the policy: Statement is empty!"),
    ('{"Version":"2012-10-17","Statement":[{"Action":"dynamodb:GetItem","Resource":"*"}]}',
     "One or more parameter values were invalid: Invalid policy document: Missing required field Effect"),
    ('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"dynamodb:GetItem","Resource":"*"}]}',
     "Resource-based policy grants unbounded access in one or more elements. Please revise the policy to "
     "ensure least-privilege form of access"),
    (" " * 20481, "One or more parameter values were invalid: Maximum policy size of 20480 bytes exceeded"),
])
def test_policy_document_checks(url, table_arn, document, message):
    assert call(url, "PutResourcePolicy", {"ResourceArn": table_arn, "Policy": document})[:2] == (
        400, ("ValidationException", message))
    assert call(url, "GetResourcePolicy", {"ResourceArn": table_arn})[1][0] == "PolicyNotFoundException"


def test_policy_revision_is_the_change_time(url, table_arn):
    import time
    before = int(time.time() * 1000)
    rev = call(url, "PutResourcePolicy", {"ResourceArn": table_arn, "Policy": policy_for(table_arn)})[2]["RevisionId"]
    assert len(rev) == 13 and before - 5000 <= int(rev) <= int(time.time() * 1000) + 5000


def test_contributor_insights_list_pages(dynamodb, table):
    dynamodb.update_contributor_insights(TableName=table, ContributorInsightsAction="ENABLE")
    dynamodb.update_contributor_insights(TableName=table, IndexName="by_g", ContributorInsightsAction="ENABLE")
    first = dynamodb.list_contributor_insights(TableName=table, MaxResults=1)
    assert len(first["ContributorInsightsSummaries"]) == 1 and first["NextToken"]
    second = dynamodb.list_contributor_insights(TableName=table, MaxResults=1, NextToken=first["NextToken"])
    assert "NextToken" not in second
    names = [s.get("IndexName") for s in first["ContributorInsightsSummaries"] + second["ContributorInsightsSummaries"]]
    assert sorted(names, key=str) == sorted([None, "by_g"], key=str)


def test_contributor_insights_of_a_deleted_gsi_are_gone(dynamodb, table):
    dynamodb.update_contributor_insights(TableName=table, IndexName="by_g", ContributorInsightsAction="ENABLE")
    dynamodb.update_table(TableName=table, GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "by_g"}}])
    util.wait_active(dynamodb, table)
    assert dynamodb.list_contributor_insights(TableName=table)["ContributorInsightsSummaries"] == []


def test_policy_given_at_creation(url, dynamodb):
    name = util.unique_name("withpolicy")
    arn = f"arn:aws:dynamodb:{util.REGION}:000000000000:table/{name}"
    body = {"TableName": name, "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}], "BillingMode": "PAY_PER_REQUEST"}
    try:
        status, error, _ = call(url, "CreateTable", dict(body, ResourcePolicy="not json"))
        assert (status, error) == (400, ("ValidationException", "One or more parameter values were invalid: "
                                         "Invalid policy document: This policy contains invalid Json"))
        assert call(url, "DescribeTable", {"TableName": name})[0] == 400
        document = policy_for(arn)
        status, error, created = call(url, "CreateTable", dict(body, ResourcePolicy=document))
        assert status == 200 and "ResourcePolicy" not in created["TableDescription"]
        status, error, got = call(url, "GetResourcePolicy", {"ResourceArn": arn})
        assert status == 200 and got["Policy"] == document and len(got["RevisionId"]) == 13
    finally:
        util.delete_table(dynamodb, name)
