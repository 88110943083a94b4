"""TagResource, UntagResource, ListTagsOfResource: validation, then functionality.

Evidence: nubo-db/dynamodb-conformance tests/tier2/tags/basic.test.ts (real DynamoDB: add, list,
overwrite, remove; an ARN that is not an ARN is a ValidationException) and dynalite's recorded
messages (validations/tagResource.js: "Invalid TableArn: Invalid ResourceArn provided as input",
"Atleast one Tag needs to be provided as Input.", "Requested resource not found: ResourcArn: ...").
"""
import pytest

import util
from util import raises

ACCOUNT = "000000000000"

# DynamoDB Local answers the tagging operations with its own errors (it does not keep tags)
pytestmark = pytest.mark.local_differs("DynamoDB Local does not implement resource tags")


@pytest.fixture(scope="module")
def tagged(dynamodb):
    name = util.create_table(dynamodb, util.unique_name("tags"), [("pk", "S")],
                             Tags=[{"Key": "created", "Value": "yes"}])
    arn = dynamodb.describe_table(TableName=name)["Table"]["TableArn"]
    yield arn
    util.delete_table(dynamodb, name)


def tags_of(dynamodb, arn):
    return {t["Key"]: t["Value"] for t in dynamodb.list_tags_of_resource(ResourceArn=arn)["Tags"]}


def test_tag_resource_not_an_arn(dynamodb):
    # why: conformance tags/basic "rejects TagResource with an invalid ARN format"; dynalite's words.
    with raises("ValidationException", "Invalid TableArn: Invalid ResourceArn provided as input not-a-valid-arn"):
        dynamodb.tag_resource(ResourceArn="not-a-valid-arn", Tags=[{"Key": "env", "Value": "test"}])


def test_tag_resource_no_tags(dynamodb, tagged):
    # why: dynalite "Atleast one Tag needs to be provided as Input." (sic) for an empty list.
    with raises("ValidationException", "Atleast one Tag needs to be provided as Input."):
        dynamodb.tag_resource(ResourceArn=tagged, Tags=[])


@pytest.mark.server_only("the namespace account is dynastream's own, 000000000000")
def test_list_tags_missing_table(dynamodb):
    # why: a table ARN of our own account whose table does not exist (dynalite's recorded words).
    arn = f"arn:aws:dynamodb:{util.REGION}:{ACCOUNT}:table/no_such_table_xyz"
    with raises("ResourceNotFoundException", f"Requested resource not found: ResourcArn: {arn} not found"):
        dynamodb.list_tags_of_resource(ResourceArn=arn)


@pytest.mark.server_only("the namespace account is dynastream's own, 000000000000")
def test_list_tags_other_account(dynamodb):
    # why: another account's table is not ours to see: AccessDeniedException, as DynamoDB answers for
    # an account that is not the caller's (conformance tags/basic, nonexistent ARN of account 0...).
    arn = f"arn:aws:dynamodb:{util.REGION}:111111111111:table/some_table"
    with pytest.raises(dynamodb.exceptions.ClientError) as e:
        dynamodb.list_tags_of_resource(ResourceArn=arn)
    assert e.value.response["Error"]["Code"] == "AccessDeniedException"


def test_create_table_tags_are_listed(dynamodb, tagged):
    # why: CreateTable's Tags are the table's tags.
    assert tags_of(dynamodb, tagged)["created"] == "yes"


def test_tag_untag_overwrite(dynamodb, tagged):
    # why: conformance tags/basic: add, list, add more, overwrite a value, remove keys.
    dynamodb.tag_resource(ResourceArn=tagged, Tags=[{"Key": "env", "Value": "test"},
                                                    {"Key": "project", "Value": "conformity"}])
    assert {"env": "test", "project": "conformity"}.items() <= tags_of(dynamodb, tagged).items()
    dynamodb.tag_resource(ResourceArn=tagged, Tags=[{"Key": "env", "Value": "production"}])
    assert tags_of(dynamodb, tagged)["env"] == "production"
    dynamodb.untag_resource(ResourceArn=tagged, TagKeys=["project", "not-there"])
    after = tags_of(dynamodb, tagged)
    assert "project" not in after and after["env"] == "production"
