"""test_streams.py — DynamoDB Streams: ListStreams, DescribeStream, GetShardIterator, GetRecords, and
the records that PutItem, UpdateItem, DeleteItem, BatchWriteItem and TransactWriteItems leave.

Order: serialization, validation, functionality (dynalite). Ground truth: the DynamoDB Streams API
reference (record shape, the GetRecords example), ScyllaDB Alternator's test/alternator/
test_streams.py (its tests pass against real DynamoDB), nubo-db/dynamodb-conformance
tests/tier2/streams/basic.test.ts, captures of real UpdateTable behaviour (ack-api-quirks
DDB-TABLE-050), and DynamoDB Local, whose different words are given as `local=`.
Tests that need a shortened shard rotation or retention start their own server (server_factory,
skipped with --url). Known gaps of the server are marked xfail(strict=True) when the endpoint is
dynastream (known_gap), with our answer, DynamoDB's and the evidence in the reason; against DynamoDB
Local or AWS those tests run as ordinary ones.
"""
import base64
import datetime
import re
import threading
import time
from pathlib import Path

import pytest

import util
from util import raises, violation, violations

GET_RECORDS = "DynamoDBStreams_20120810.GetRecords"
VIEWS = ("KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES")
HASH = (("pk", "S"),)
HASH_RANGE = (("pk", "S"), ("sk", "S"))
LABEL_RE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}")
SHARD_ID_RE = re.compile(r"shardId-\d{20}-[0-9a-f]{8}")
SEQ_RE = re.compile(r"\d{21,40}")
RECORD_KEYS = {"eventID", "eventName", "eventVersion", "eventSource", "awsRegion", "dynamodb"}
INVALID = "One or more parameter values were invalid: "
BAD_SEQ = INVALID + "Invalid SequenceNumber"
SEQ_NOT_ALLOWED = INVALID + "SequenceNumber should not be passed for this iterator type"
TRIMMED = "The operation attempted to read past the oldest stream record in a shard."
LOCAL_500 = "DynamoDB Local answers this with a 500 InternalFailure"
LOCAL_LAX = "DynamoDB Local does not validate this parameter"
REPO = Path(__file__).resolve().parents[2]


def S(value):
    return {"S": value}


def N(value):
    return {"N": value}


# ---------------------------------------------------------------------------------------------
# Helpers: streams of new tables, shards, iterators, reading
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def streams(url):
    """A boto3 DynamoDB Streams client for the endpoint under test (no validation, no retries)."""
    return util.client_for(url, service="dynamodbstreams")


@pytest.fixture
def stream_table(dynamodb, new_table):
    """Factory: a new table with a stream of this view type; returns (table name, stream ARN)."""
    def make(view="NEW_AND_OLD_IMAGES", keys=HASH):
        name = new_table(keys, StreamSpecification={"StreamEnabled": True, "StreamViewType": view})
        return name, dynamodb.describe_table(TableName=name)["Table"]["LatestStreamArn"]
    return make


def built(op):
    """False when the dynastream under test has no row for `op` in server/ops.def yet."""
    if util.DIALECT != "dynastream":
        return True
    return re.search(rf"\bOP\(\w+,\s*{op}\s*,", (REPO / "server/ops.def").read_text()) is not None


def known_gap(request, reason):
    """Marks the running test xfail(strict=True) when the endpoint is dynastream, which is known to
    answer differently from DynamoDB here; `reason` names the request, our answer, DynamoDB's and the
    evidence. Against DynamoDB Local or AWS the test runs as an ordinary test."""
    if util.DIALECT == "dynastream":
        request.applymarker(pytest.mark.xfail(strict=True, reason=reason))


def shards_of(streams, arn, limit=None):
    """Every shard of the stream, following DescribeStream's LastEvaluatedShardId (bounded)."""
    shards, start = [], None
    for _ in range(1000):
        params = {"StreamArn": arn}
        if limit:
            params["Limit"] = limit
        if start:
            params["ExclusiveStartShardId"] = start
        desc = streams.describe_stream(**params)["StreamDescription"]
        if limit:
            assert len(desc["Shards"]) <= limit
        shards += desc["Shards"]
        start = desc.get("LastEvaluatedShardId")
        if not start:
            return shards
        assert start == shards[-1]["ShardId"]
    raise AssertionError("DescribeStream paging never ended")


def lineage_order(shards):
    """The shards with every parent before its children (a parent not listed counts as trimmed)."""
    by_id = {s["ShardId"]: s for s in shards}
    done, out = set(), []

    def visit(shard):
        if shard["ShardId"] in done:
            return
        if shard.get("ParentShardId") in by_id:
            visit(by_id[shard["ParentShardId"]])
        done.add(shard["ShardId"])
        out.append(shard)

    for shard in shards:
        visit(shard)
    return out


def iterator(streams, arn, shard_id, kind="TRIM_HORIZON", seq=None):
    params = {"StreamArn": arn, "ShardId": shard_id, "ShardIteratorType": kind}
    if seq is not None:
        params["SequenceNumber"] = seq
    return streams.get_shard_iterator(**params)["ShardIterator"]


def drain(streams, it, limit=None):
    """Reads from `it` until a page is empty (an open shard's end for now) or has no
    NextShardIterator (a closed shard's end); returns (records, the iterator to go on with)."""
    records = []
    for _ in range(100000):
        page = streams.get_records(ShardIterator=it, **({"Limit": limit} if limit else {}))
        if limit:
            assert len(page["Records"]) <= limit
        records += page["Records"]
        it = page.get("NextShardIterator")
        if it is None or not page["Records"]:
            return records, it
    raise AssertionError("GetRecords never reached the end of the shard")


def read_stream(streams, arn):
    """Every record of the stream, as a consumer reads it: shards parents first, each from
    TRIM_HORIZON to its end."""
    records = []
    for shard in lineage_order(shards_of(streams, arn)):
        records += drain(streams, iterator(streams, arn, shard["ShardId"]))[0]
    return records


def first_shard(streams, arn):
    return shards_of(streams, arn)[0]["ShardId"]


def summary(records):
    """(eventName, Keys, OldImage, NewImage) of each record, for comparing whole sequences."""
    return [(r["eventName"], r["dynamodb"]["Keys"], r["dynamodb"].get("OldImage"), r["dynamodb"].get("NewImage"))
            for r in records]


def seq_numbers(records):
    return [int(r["dynamodb"]["SequenceNumber"]) for r in records]


def strictly_increasing(values):
    return all(a < b for a, b in zip(values, values[1:]))


def item_size(item):
    """DynamoDB's size of an item of S attributes: name bytes plus value bytes."""
    return sum(len(k.encode()) + len(v["S"].encode()) for k, v in item.items())


def raw_get_records(url, it, **params):
    """GetRecords sent raw, so the JSON is seen exactly as the server wrote it (boto3 would turn
    ApproximateCreationDateTime into a datetime and drop unknown members)."""
    status, _, body, raw = util.raw_request(url, target=GET_RECORDS, body={"ShardIterator": it, **params})
    assert status == 200, raw
    return body


def forge_issued_ms(it, issued_ms):
    """The same iterator with another issue time. Emulator iterators (ours and DynamoDB Local's) are
    '<stream ARN>|001|<base64 of fields separated by |>' whose last field is the issue time in ms."""
    prefix, payload = it.split("|001|")
    fields = base64.b64decode(payload).decode().split("|")
    fields[-1] = str(issued_ms).zfill(len(fields[-1]))
    return prefix + "|001|" + base64.b64encode("|".join(fields).encode()).decode()


# =============================================================================================
# Serialization: a member of the wrong JSON type is a SerializationException naming the Java types
# (the same deserializer as DynamoDB's other operations). DynamoDB Local answers these with 500s
# or treats them as not found, so they are skipped there.
# =============================================================================================

@pytest.mark.local_differs(LOCAL_500)
def test_get_records_iterator_not_string(streams):
    # why: ShardIterator is a string; a number is refused before the iterator is even looked at.
    with raises("SerializationException", "NUMBER_VALUE cannot be converted to String"):
        streams.get_records(ShardIterator=5)


@pytest.mark.local_differs(LOCAL_500)
def test_get_records_limit_not_integer(streams):
    # why: Limit is an Integer; a JSON string is not converted.
    with raises("SerializationException", "STRING_VALUE cannot be converted to Integer"):
        streams.get_records(ShardIterator="x" * 60, Limit="10")


@pytest.mark.local_differs(LOCAL_500)
def test_describe_stream_arn_not_string(streams):
    # why: StreamArn is a string in every Streams operation.
    with raises("SerializationException", "NUMBER_VALUE cannot be converted to String"):
        streams.describe_stream(StreamArn=12345)


@pytest.mark.local_differs(LOCAL_500)
def test_list_streams_limit_not_integer(streams):
    # why: ListStreams' Limit goes through the same Integer deserializer.
    with raises("SerializationException", "STRING_VALUE cannot be converted to Integer"):
        streams.list_streams(Limit="x")


# =============================================================================================
# Validation: model constraints (one aggregated message), then the Streams service's own checks
# =============================================================================================

@pytest.mark.local_differs("DynamoDB Local answers 'No ShardId specified.'")
def test_get_shard_iterator_nothing_given(streams):
    # why: the three required members are reported together, in the model's order.
    with raises("ValidationException", violations(
            violation(None, "streamArn", "not be null"), violation(None, "shardId", "not be null"),
            violation(None, "shardIteratorType", "not be null"))):
        streams.get_shard_iterator()


@pytest.mark.local_differs(LOCAL_500)
def test_get_shard_iterator_constraints_aggregated(streams):
    # why: every member's length and enum constraint is checked before anything is looked up.
    with raises("ValidationException", violations(
            violation("short", "streamArn", "have length greater than or equal to 37"),
            violation("x", "shardId", "have length greater than or equal to 28"),
            violation("bulle", "shardIteratorType",
                      "satisfy enum value set: [TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER]"),
            violation("1", "sequenceNumber", "have length greater than or equal to 21"))):
        streams.get_shard_iterator(StreamArn="short", ShardId="x", ShardIteratorType="bulle", SequenceNumber="1")


def test_get_shard_iterator_sequence_number_too_long(streams, stream_table):
    # why: a sequence number has at most 40 characters (Alternator passes a 44-character one to DynamoDB).
    name, arn = stream_table()
    with raises("ValidationException", violations(violation(
            "1" * 41, "sequenceNumber", "have length less than or equal to 40"))):
        streams.get_shard_iterator(StreamArn=arn, ShardId=first_shard(streams, arn),
                                   ShardIteratorType="AT_SEQUENCE_NUMBER", SequenceNumber="1" * 41)


@pytest.mark.local_differs("DynamoDB Local says 'Invalid ShardIterator' for every malformed request")
def test_get_records_constraints_aggregated(streams):
    # why: an empty iterator and a zero Limit are both model violations, reported together.
    with raises("ValidationException", violations(
            violation("", "shardIterator", "have length greater than or equal to 1"),
            violation("0", "limit", "have value greater than or equal to 1"))):
        streams.get_records(ShardIterator="", Limit=0)


@pytest.mark.local_differs("DynamoDB Local says 'Invalid ShardIterator' for every malformed request")
def test_get_records_iterator_too_long(streams):
    # why: an iterator has at most 2048 characters.
    with raises("ValidationException", violations(violation(
            "i" * 2049, "shardIterator", "have length less than or equal to 2048"))):
        streams.get_records(ShardIterator="i" * 2049)


@pytest.mark.parametrize("limit", [0, -1])
def test_get_records_limit_below_one(streams, stream_table, limit):
    # why: Limit is at least 1 (Alternator: 0 and -1 are ValidationExceptions on DynamoDB).
    name, arn = stream_table()
    it = iterator(streams, arn, first_shard(streams, arn), "LATEST")
    with raises("ValidationException", violations(violation(
            str(limit), "limit", "have value greater than or equal to 1"))):
        streams.get_records(ShardIterator=it, Limit=limit)


def test_get_records_limit_above_1000(streams, stream_table):
    # why: GetRecords reads at most 1000 records; DynamoDB refuses a larger Limit with a
    # ValidationException about the limit (Alternator's test_get_records_too_high_limit).
    name, arn = stream_table()
    it = iterator(streams, arn, first_shard(streams, arn), "LATEST")
    assert streams.get_records(ShardIterator=it, Limit=1000)["Records"] == []
    with raises("ValidationException", violations(violation(
            "1001", "limit", "have value less than or equal to 1000")),
            local=INVALID + "Limit should be less than or equal to 1000"):
        streams.get_records(ShardIterator=it, Limit=1001)


def test_describe_stream_limit_range(streams, stream_table):
    # why: DescribeStream returns at most 100 shards a page; 0 and 101 are both refused.
    name, arn = stream_table()
    with raises("ValidationException", violations(violation("0", "limit", "have value greater than or equal to 1"))):
        streams.describe_stream(StreamArn=arn, Limit=0)
    with raises("ValidationException", violations(violation("101", "limit", "have value less than or equal to 100")),
                local=INVALID + "Limit cannot be greater than the maximum: 100"):
        streams.describe_stream(StreamArn=arn, Limit=101)


def test_list_streams_limit_range(streams):
    # why: ListStreams returns at most 100 streams a page (Alternator: 100000 is refused on DynamoDB).
    with raises("ValidationException", violations(violation("0", "limit", "have value greater than or equal to 1"))):
        streams.list_streams(Limit=0)
    with raises("ValidationException", violations(violation("101", "limit", "have value less than or equal to 100")),
                local=INVALID + "Limit cannot be greater than the maximum allowed size: 100"):
        streams.list_streams(Limit=101)


@pytest.mark.local_differs(LOCAL_LAX)
def test_list_streams_table_name_pattern(streams):
    # why: the TableName filter obeys the table-name constraints.
    with raises("ValidationException", violations(violation(
            "bad name!", "tableName", "satisfy regular expression pattern: [a-zA-Z0-9_.-]+"))):
        streams.list_streams(TableName="bad name!")


@pytest.mark.parametrize("kind", ["AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER"])
def test_get_shard_iterator_sequence_number_required(streams, stream_table, kind):
    # why: the two positional iterator types need a sequence number (Alternator, against DynamoDB).
    name, arn = stream_table()
    with raises("ValidationException", BAD_SEQ):
        streams.get_shard_iterator(StreamArn=arn, ShardId=first_shard(streams, arn), ShardIteratorType=kind)


@pytest.mark.parametrize("kind", ["TRIM_HORIZON", "LATEST"])
def test_get_shard_iterator_sequence_number_not_allowed(dynamodb, streams, stream_table, kind):
    # why: TRIM_HORIZON and LATEST take no sequence number, even a valid one (Alternator, against DynamoDB).
    name, arn = stream_table()
    dynamodb.put_item(TableName=name, Item={"pk": S("a")})
    shard = first_shard(streams, arn)
    seq = drain(streams, iterator(streams, arn, shard))[0][0]["dynamodb"]["SequenceNumber"]
    with raises("ValidationException", SEQ_NOT_ALLOWED):
        streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType=kind, SequenceNumber=seq)


@pytest.mark.local_differs(LOCAL_500)
@pytest.mark.parametrize("seq", ["1234567890abcdefghijk", "9" * 21, "0" * 21])
def test_get_shard_iterator_bad_sequence_number(dynamodb, streams, stream_table, seq):
    # why: a sequence number that is not digits, lies beyond the shard, or is zero names no record.
    name, arn = stream_table()
    dynamodb.put_item(TableName=name, Item={"pk": S("a")})
    with raises("ValidationException", BAD_SEQ):
        streams.get_shard_iterator(StreamArn=arn, ShardId=first_shard(streams, arn),
                                   ShardIteratorType="AT_SEQUENCE_NUMBER", SequenceNumber=seq)


def test_describe_stream_unknown_arn(streams, stream_table):
    # why: a well-formed ARN of no stream is ResourceNotFoundException naming the ARN (DynamoDB Local alike).
    name, arn = stream_table()
    gone = arn[:-3] + ("999" if not arn.endswith("999") else "998")
    with raises("ResourceNotFoundException", f"Requested resource not found: Stream: {gone} not found"):
        streams.describe_stream(StreamArn=gone)


def test_get_shard_iterator_unknown_arn(streams, stream_table):
    # why: the same for GetShardIterator (DynamoDB Local words it differently).
    name, arn = stream_table()
    gone = arn[:-3] + ("999" if not arn.endswith("999") else "998")
    with raises("ResourceNotFoundException", f"Requested resource not found: Stream: {gone} not found",
                local="Stream does not exist"):
        streams.get_shard_iterator(StreamArn=gone, ShardId=first_shard(streams, arn), ShardIteratorType="LATEST")


@pytest.mark.local_differs("DynamoDB Local ignores an unknown ExclusiveStartStreamArn")
def test_list_streams_unknown_start_arn(streams, stream_table):
    # why: paging from a stream that does not exist cannot continue.
    name, arn = stream_table()
    gone = arn[:-3] + ("999" if not arn.endswith("999") else "998")
    with raises("ResourceNotFoundException", f"Requested resource not found: Stream: {gone} not found"):
        streams.list_streams(ExclusiveStartStreamArn=gone)


def test_get_shard_iterator_unknown_shard(streams, stream_table):
    # why: a shard id the stream does not have is ResourceNotFoundException (Alternator, against DynamoDB).
    name, arn = stream_table()
    with raises("ResourceNotFoundException", "Requested resource not found: Shard does not exist",
                local="Shard does not exist"):
        streams.get_shard_iterator(StreamArn=arn, ShardId="shardId-00000000000000000000-00000000",
                                   ShardIteratorType="LATEST")


MALFORMED_ARN_REASON = (
    "server answers ResourceNotFoundException 'Requested resource not found: Stream: <arn> not found' for a "
    "string that is not a stream ARN at all; DynamoDB answers ValidationException 'Invalid StreamArn' "
    "(Alternator's test_describe_nonexistent_stream / test_get_shard_iterator_for_nonexistent_stream / "
    "test_list_streams_with_nonexistent_last_stream pass against DynamoDB with these strings; aws-sdk-js "
    "integration test: describeStream {StreamArn: 'fake-stream'} -> ValidationException /Invalid StreamArn/)")
INVALID_ARN = re.compile(r"(?s).*Invalid StreamArn.*")


@pytest.mark.local_differs("DynamoDB Local answers ResourceNotFoundException")
def test_describe_stream_malformed_arn(request, streams):
    # why: a string that cannot be a stream ARN is a validation error, not a missing stream. Only the
    # words 'Invalid StreamArn' are pinned by the evidence.
    with raises("ValidationException", INVALID_ARN):
        streams.describe_stream(StreamArn="sdfadfsdfnlfkajakfgjalksfgklasjklasdjfklasdfasdfgasf")


@pytest.mark.local_differs("DynamoDB Local answers ResourceNotFoundException")
def test_get_shard_iterator_malformed_arn(request, streams):
    # why: as for DescribeStream: a malformed ARN is a ValidationException.
    with raises("ValidationException", INVALID_ARN):
        streams.get_shard_iterator(StreamArn="sdfadfsddafgdafsgjnadflkgnalngalsdfnlkasnlkasdfasdfasf",
                                   ShardId="shardId-00000000000000000000-00000000", ShardIteratorType="LATEST")


@pytest.mark.local_differs("DynamoDB Local ignores a malformed ExclusiveStartStreamArn")
def test_list_streams_malformed_start_arn(request, streams):
    # why: ListStreams refuses a malformed ExclusiveStartStreamArn the same way.
    with raises("ValidationException", INVALID_ARN):
        streams.list_streams(ExclusiveStartStreamArn="kossaapaaasdafsdaasdasdasdasasdasfadfadfasdasdas")


@pytest.mark.parametrize("it", ["sdfsdfsgagaddafgagasgasgasdfasdfasdfasdfasdgasdasdgasdg",
                                "arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/2026-01-01T00:00:00.000|001|!!!!"])
def test_get_records_invalid_iterator(streams, it):
    # why: an iterator the service did not hand out is a ValidationException (Alternator, against DynamoDB).
    with raises("ValidationException", "Invalid ShardIterator"):
        streams.get_records(ShardIterator=it)


@pytest.mark.local_differs("DynamoDB Local accepts an iterator moved onto another stream's ARN")
def test_get_records_iterator_of_another_stream(streams, stream_table):
    # why: an iterator cannot be re-pointed at another stream by editing its ARN part.
    name_a, arn_a = stream_table()
    name_b, arn_b = stream_table()
    it = iterator(streams, arn_a, first_shard(streams, arn_a))
    with raises("ValidationException", "Invalid ShardIterator"):
        streams.get_records(ShardIterator=arn_b + "|001|" + it.split("|001|")[1])


@pytest.mark.emulator_only("forges an old iterator by rewriting its issue time; real iterators are opaque")
def test_get_records_expired_iterator(streams, stream_table):
    # why: iterators live 15 minutes; an older one is ExpiredIteratorException (DynamoDB Local's message is empty).
    name, arn = stream_table()
    it = iterator(streams, arn, first_shard(streams, arn))
    old = forge_issued_ms(it, int(time.time() * 1000) - 16 * 60 * 1000)
    stamp = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}"
    with raises("ExpiredIteratorException",
                re.compile(rf"Iterator expired\. The iterator was created at time {stamp} while right now it is "
                           rf"{stamp}\. The iterator is valid for 15 minutes\."), local=""):
        streams.get_records(ShardIterator=old)
    # fourteen minutes is still fine
    assert streams.get_records(ShardIterator=forge_issued_ms(it, int(time.time() * 1000) - 14 * 60 * 1000))["Records"] == []


# =============================================================================================
# Functionality: tables, stream ids and DescribeTable
# =============================================================================================

def test_stream_ids_and_formats(dynamodb, streams):
    # why: SDKs and consoles parse these: label ISO-8601 with milliseconds, ARN '<table ARN>/stream/<label>',
    # shard ids 'shardId-<20 digits>-<8 hex>', and the same values in CreateTable, DescribeTable,
    # UpdateTable, ListStreams and DescribeStream (Alternator test_latest_stream_arn/label, #7157/#7162).
    name = util.unique_name()
    created = dynamodb.create_table(
        TableName=name, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"})["TableDescription"]
    try:
        util.wait_active(dynamodb, name)
        table = dynamodb.describe_table(TableName=name)["Table"]
        label, arn = table["LatestStreamLabel"], table["LatestStreamArn"]
        assert table["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}
        assert LABEL_RE.fullmatch(label), label
        assert arn == f"{table['TableArn']}/stream/{label}"
        assert (created["LatestStreamLabel"], created["LatestStreamArn"]) == (label, arn)
        assert created["StreamSpecification"] == table["StreamSpecification"]
        when = datetime.datetime.strptime(label, "%Y-%m-%dT%H:%M:%S.%f").replace(tzinfo=datetime.timezone.utc)
        assert abs((when - datetime.datetime.now(datetime.timezone.utc)).total_seconds()) < 120
        updated = dynamodb.update_table(TableName=name, BillingMode="PAY_PER_REQUEST")["TableDescription"]
        assert (updated["LatestStreamLabel"], updated["LatestStreamArn"]) == (label, arn)
        util.wait_active(dynamodb, name)

        listed = streams.list_streams(TableName=name)["Streams"]
        assert listed == [{"StreamArn": arn, "TableName": name, "StreamLabel": label}]
        desc = streams.describe_stream(StreamArn=arn)["StreamDescription"]
        assert (desc["StreamArn"], desc["StreamLabel"], desc["StreamStatus"], desc["StreamViewType"],
                desc["TableName"]) == (arn, label, "ENABLED", "NEW_IMAGE", name)
        assert desc["KeySchema"] == [{"AttributeName": "pk", "KeyType": "HASH"}]
        assert abs((desc["CreationRequestDateTime"] - when).total_seconds()) < 5
        assert "LastEvaluatedShardId" not in desc
        [shard] = desc["Shards"]
        assert SHARD_ID_RE.fullmatch(shard["ShardId"]), shard
        assert "ParentShardId" not in shard
        start = shard["SequenceNumberRange"]["StartingSequenceNumber"]
        assert SEQ_RE.fullmatch(start) and "EndingSequenceNumber" not in shard["SequenceNumberRange"]
    finally:
        util.delete_table(dynamodb, name)


def test_table_without_stream(dynamodb, streams, new_table):
    # why: a table created without a stream (or with StreamEnabled false) shows none of the stream
    # members and has no stream to list (ack-api-quirks DDB-TABLE-029: never-enabled tables report none).
    name = new_table(StreamSpecification={"StreamEnabled": False})
    table = dynamodb.describe_table(TableName=name)["Table"]
    assert not {"StreamSpecification", "LatestStreamArn", "LatestStreamLabel"} & set(table)
    assert streams.list_streams(TableName=name)["Streams"] == []


# =============================================================================================
# Functionality: records of PutItem, UpdateItem, DeleteItem
# =============================================================================================

@pytest.mark.parametrize("view", VIEWS)
def test_record_shape_per_view_type(url, dynamodb, streams, stream_table, view):
    # why: each view type carries exactly its images, and every record has DynamoDB's shape: six
    # top-level members (no eventSourceARN, which Lambda adds), eventVersion 1.1, eventSource
    # aws:dynamodb, awsRegion of the table, ApproximateCreationDateTime in epoch seconds rounded down to
    # the minute (API reference example: 1.46480646E9), 21+ digit increasing sequence numbers, and
    # SizeBytes = size of Keys plus the images (API reference example: 41 for its keys).
    name, arn = stream_table(view, HASH_RANGE)
    region = dynamodb.describe_table(TableName=name)["Table"]["TableArn"].split(":")[3]
    key = {"pk": S("k\u00e9y"), "sk": S("1")}
    first, second = {**key, "a": S("one")}, {**key, "a": S("two"), "b": S("x" * 10)}
    before = time.time()
    dynamodb.put_item(TableName=name, Item=first)
    dynamodb.put_item(TableName=name, Item=second)
    dynamodb.delete_item(TableName=name, Key=key)
    after = time.time()
    body = raw_get_records(url, iterator(streams, arn, first_shard(streams, arn)))
    assert set(body) == {"Records", "NextShardIterator"}
    records = body["Records"]
    expected = [("INSERT", None, first), ("MODIFY", first, second), ("REMOVE", second, None)]
    assert [r["eventName"] for r in records] == [e[0] for e in expected]
    for record, (event, old, new) in zip(records, expected):
        assert set(record) == RECORD_KEYS, record
        assert (record["eventVersion"], record["eventSource"], record["awsRegion"]) == ("1.1", "aws:dynamodb", region)
        assert isinstance(record["eventID"], str) and record["eventID"]
        ddb = dict(record["dynamodb"])
        stamp, seq, size = ddb.pop("ApproximateCreationDateTime"), ddb.pop("SequenceNumber"), ddb.pop("SizeBytes")
        want = {"Keys": key, "StreamViewType": view}
        if view in ("NEW_IMAGE", "NEW_AND_OLD_IMAGES") and new:
            want["NewImage"] = new
        if view in ("OLD_IMAGE", "NEW_AND_OLD_IMAGES") and old:
            want["OldImage"] = old
        assert ddb == want
        assert size == sum(item_size(i) for i in (want["Keys"], want.get("NewImage", {}), want.get("OldImage", {})))
        assert isinstance(stamp, (int, float)) and stamp == int(stamp) and stamp % 60 == 0, stamp
        assert int(before // 60 * 60) <= stamp <= after
        assert SEQ_RE.fullmatch(seq), seq
    assert strictly_increasing(seq_numbers(records))
    assert len({r["eventID"] for r in records}) == 3


def test_update_item_events(dynamodb, streams, stream_table):
    # why: UpdateItem that creates an item is an INSERT, one that changes it a MODIFY with whole images
    # (not just the changed attributes), REMOVE of every attribute but the key leaves a key-only image,
    # and an update with no expression on a missing key creates an empty item: INSERT with the key only
    # (Alternator test_streams_new_and_old_images / test_streams_updateitem_old_image_empty_item).
    name, arn = stream_table()
    k1, k2 = {"pk": S("u1")}, {"pk": S("u2")}
    dynamodb.update_item(TableName=name, Key=k1, UpdateExpression="SET x = :v", ExpressionAttributeValues={":v": N("2")})
    dynamodb.update_item(TableName=name, Key=k1, UpdateExpression="SET y = :v", ExpressionAttributeValues={":v": N("3")})
    dynamodb.update_item(TableName=name, Key=k1, UpdateExpression="REMOVE x, y")
    dynamodb.update_item(TableName=name, Key=k1, UpdateExpression="SET z = :v", ExpressionAttributeValues={":v": N("4")})
    dynamodb.delete_item(TableName=name, Key=k1)
    dynamodb.update_item(TableName=name, Key=k2)
    assert summary(read_stream(streams, arn)) == [
        ("INSERT", k1, None, {**k1, "x": N("2")}),
        ("MODIFY", k1, {**k1, "x": N("2")}, {**k1, "x": N("2"), "y": N("3")}),
        ("MODIFY", k1, {**k1, "x": N("2"), "y": N("3")}, k1),
        ("MODIFY", k1, k1, {**k1, "z": N("4")}),
        ("REMOVE", k1, {**k1, "z": N("4")}, None),
        ("INSERT", k2, None, k2),
    ]


def test_put_item_replacing_is_one_modify(dynamodb, streams, stream_table):
    # why: replacing an item is one MODIFY with the old and new items, not a REMOVE and an INSERT
    # (Alternator test_streams_putitem_new_items_override_old, #6930).
    name, arn = stream_table()
    k = {"pk": S("p")}
    items = [{**k, "a": N("1")}, {**k, "b": N("2")}, {**k, "a": N("3"), "b": N("4")}, k]
    for item in items:
        dynamodb.put_item(TableName=name, Item=item)
    assert summary(read_stream(streams, arn)) == [("INSERT", k, None, items[0])] + [
        ("MODIFY", k, old, new) for old, new in zip(items, items[1:])]


@pytest.mark.local_differs("DynamoDB Local writes an empty map as {} (no M) in stream images")
def test_records_of_all_types_and_number_keys(dynamodb, streams, stream_table):
    # why: images carry every attribute type unchanged, and number keys keep DynamoDB's normalised form.
    name, arn = stream_table("NEW_IMAGE", (("pk", "N"), ("sk", "B")))
    item = {"pk": N("1.50"), "sk": {"B": b"\x00\xff"}, "s": S("\U0001F600"), "n": N("-0.0010"), "t": {"BOOL": True},
            "z": {"NULL": True}, "ss": {"SS": ["b", "a"]}, "ns": {"NS": ["2", "1"]}, "bs": {"BS": [b"\x01"]},
            "l": {"L": [S("x"), {"M": {"q": N("7")}}]}, "m": {"M": {}}}
    dynamodb.put_item(TableName=name, Item=item)
    [record] = read_stream(streams, arn)
    stored = dynamodb.get_item(TableName=name, Key={"pk": N("1.5"), "sk": {"B": b"\x00\xff"}})["Item"]
    assert record["dynamodb"]["Keys"] == {"pk": N("1.5"), "sk": {"B": b"\x00\xff"}}
    assert record["dynamodb"]["NewImage"] == stored


def test_many_updates_to_one_key_in_order(dynamodb, streams, stream_table):
    # why: the records of one item come in the order of its changes, each OldImage being the previous
    # NewImage, with strictly increasing sequence numbers (Alternator #7424: SDKs compare them as numbers).
    name, arn = stream_table()
    k = {"pk": S("counter")}
    for _ in range(60):
        dynamodb.update_item(TableName=name, Key=k, UpdateExpression="ADD n :one", ExpressionAttributeValues={":one": N("1")})
    records = read_stream(streams, arn)
    assert [r["eventName"] for r in records] == ["INSERT"] + ["MODIFY"] * 59
    assert [r["dynamodb"]["NewImage"]["n"]["N"] for r in records] == [str(i) for i in range(1, 61)]
    assert [r["dynamodb"].get("OldImage") for r in records[1:]] == [r["dynamodb"]["NewImage"] for r in records[:-1]]
    assert strictly_increasing(seq_numbers(records))


def test_no_record_for_writes_that_change_nothing(dynamodb, streams, stream_table):
    # why: DynamoDB writes no record for a write that leaves the item as it was: the same item put again
    # (even with its attributes in another order), an update to the same values, REMOVE of an absent
    # attribute, a failed condition, a delete of a missing item (Alternator do_updates_1; Developer
    # Guide: an operation that does not change the item writes no stream record).
    name, arn = stream_table()
    k = {"pk": S("same")}
    item = {**k, "a": S("x"), "b": N("1")}
    dynamodb.put_item(TableName=name, Item=item)
    dynamodb.put_item(TableName=name, Item=item)
    dynamodb.put_item(TableName=name, Item={"b": N("1.0"), "a": S("x"), **k})
    dynamodb.update_item(TableName=name, Key=k, UpdateExpression="SET a = :a", ExpressionAttributeValues={":a": S("x")})
    dynamodb.update_item(TableName=name, Key=k, UpdateExpression="REMOVE nothere")
    with raises("ConditionalCheckFailedException", "The conditional request failed"):
        dynamodb.put_item(TableName=name, Item={**k, "a": S("y")}, ConditionExpression="attribute_not_exists(pk)")
    with raises("ConditionalCheckFailedException", "The conditional request failed"):
        dynamodb.update_item(TableName=name, Key=k, UpdateExpression="SET a = :a", ConditionExpression="b = :two",
                             ExpressionAttributeValues={":a": S("y"), ":two": N("2")})
    with raises("ConditionalCheckFailedException", "The conditional request failed"):
        dynamodb.delete_item(TableName=name, Key=k, ConditionExpression="attribute_not_exists(a)")
    dynamodb.delete_item(TableName=name, Key={"pk": S("missing")})
    assert summary(read_stream(streams, arn)) == [("INSERT", k, None, item)]


@pytest.mark.parametrize("view", VIEWS)
def test_records_of_batch_write_item(dynamodb, streams, stream_table, view):
    # why: BatchWriteItem goes through the same write path: one record per changed item, in request
    # order per table, none for deleting a missing item or re-putting an identical one.
    if not built("BatchWriteItem"):
        pytest.skip("not built yet")
    name_a, arn_a = stream_table(view)
    name_b, arn_b = stream_table(view)
    old = {"pk": S("old"), "v": S("1")}
    same = {"pk": S("same"), "v": S("s")}
    dynamodb.put_item(TableName=name_a, Item=old)
    dynamodb.put_item(TableName=name_a, Item=same)
    new_a, new_b = {"pk": S("new"), "v": S("2")}, {"pk": S("b1"), "v": S("3")}
    result = dynamodb.batch_write_item(RequestItems={
        name_a: [{"PutRequest": {"Item": new_a}}, {"DeleteRequest": {"Key": {"pk": S("old")}}},
                 {"DeleteRequest": {"Key": {"pk": S("missing")}}}, {"PutRequest": {"Item": same}}],
        name_b: [{"PutRequest": {"Item": new_b}}]})
    assert result["UnprocessedItems"] == {}
    records_a, records_b = read_stream(streams, arn_a), read_stream(streams, arn_b)
    new_image = view in ("NEW_IMAGE", "NEW_AND_OLD_IMAGES")
    old_image = view in ("OLD_IMAGE", "NEW_AND_OLD_IMAGES")
    assert [(r["eventName"], r["dynamodb"]["Keys"]) for r in records_a[:2]] == [
        ("INSERT", {"pk": S("old")}), ("INSERT", {"pk": S("same")})]
    # the order of different items' records within one batch is not DynamoDB's promise
    assert sorted(summary(records_a[2:]), key=lambda r: r[1]["pk"]["S"]) == [
        ("INSERT", {"pk": S("new")}, None, new_a if new_image else None),
        ("REMOVE", {"pk": S("old")}, old if old_image else None, None)]
    assert summary(records_b) == [("INSERT", {"pk": S("b1")}, None, new_b if new_image else None)]
    assert all(r["dynamodb"]["StreamViewType"] == view for r in records_a + records_b)


def test_records_of_transact_write_items(dynamodb, streams, stream_table):
    # why: a transaction's writes each leave their record (ConditionCheck leaves none), in the
    # transaction's one commit.
    if not built("TransactWriteItems"):
        pytest.skip("not built yet")
    name, arn = stream_table()
    dynamodb.put_item(TableName=name, Item={"pk": S("u"), "n": N("1")})
    dynamodb.put_item(TableName=name, Item={"pk": S("d"), "n": N("1")})
    dynamodb.put_item(TableName=name, Item={"pk": S("c"), "n": N("1")})
    dynamodb.transact_write_items(TransactItems=[
        {"Put": {"TableName": name, "Item": {"pk": S("p"), "n": N("5")}}},
        {"Update": {"TableName": name, "Key": {"pk": S("u")}, "UpdateExpression": "SET n = :two",
                    "ExpressionAttributeValues": {":two": N("2")}}},
        {"Delete": {"TableName": name, "Key": {"pk": S("d")}}},
        {"ConditionCheck": {"TableName": name, "Key": {"pk": S("c")}, "ConditionExpression": "attribute_exists(pk)"}}])
    records = read_stream(streams, arn)[3:]
    assert sorted(summary(records), key=lambda r: r[1]["pk"]["S"]) == [
        ("REMOVE", {"pk": S("d")}, {"pk": S("d"), "n": N("1")}, None),
        ("INSERT", {"pk": S("p")}, None, {"pk": S("p"), "n": N("5")}),
        ("MODIFY", {"pk": S("u")}, {"pk": S("u"), "n": N("1")}, {"pk": S("u"), "n": N("2")})]
    assert strictly_increasing(seq_numbers(records))


def test_no_records_for_cancelled_transaction(dynamodb, streams, stream_table):
    # why: a cancelled transaction changes nothing, so none of its writes may leave a record.
    if not built("TransactWriteItems"):
        pytest.skip("not built yet")
    name, arn = stream_table()
    dynamodb.put_item(TableName=name, Item={"pk": S("c"), "n": N("1")})
    with pytest.raises(dynamodb.exceptions.TransactionCanceledException):
        dynamodb.transact_write_items(TransactItems=[
            {"Put": {"TableName": name, "Item": {"pk": S("p"), "n": N("5")}}},
            {"Delete": {"TableName": name, "Key": {"pk": S("c")}}},
            {"ConditionCheck": {"TableName": name, "Key": {"pk": S("x")}, "ConditionExpression": "attribute_exists(pk)"}}])
    assert summary(read_stream(streams, arn)) == [("INSERT", {"pk": S("c")}, None, {"pk": S("c"), "n": N("1")})]


# =============================================================================================
# Functionality: iterators and paging
# =============================================================================================

def test_iterator_types(dynamodb, streams, stream_table):
    # why: TRIM_HORIZON reads from the oldest record, LATEST only what comes after it,
    # AT_SEQUENCE_NUMBER from that record and AFTER_SEQUENCE_NUMBER from the next one; the shard's
    # StartingSequenceNumber works as an AT_SEQUENCE_NUMBER start (Alternator test_streams_*_sequence_number,
    # test_streams_trim_horizon, test_streams_starting_sequence_number).
    name, arn = stream_table("KEYS_ONLY")
    keys = [{"pk": S(f"i{i}")} for i in range(4)]
    for k in keys[:3]:
        dynamodb.put_item(TableName=name, Item=k)
    shard = shards_of(streams, arn)[0]
    shard_id = shard["ShardId"]
    latest = iterator(streams, arn, shard_id, "LATEST")
    dynamodb.put_item(TableName=name, Item=keys[3])
    everything, _ = drain(streams, iterator(streams, arn, shard_id))
    assert [r["dynamodb"]["Keys"] for r in everything] == keys
    seqs = [r["dynamodb"]["SequenceNumber"] for r in everything]
    assert [r["dynamodb"]["Keys"] for r in drain(streams, latest)[0]] == keys[3:]
    assert [r["dynamodb"]["Keys"] for r in drain(streams, iterator(streams, arn, shard_id, "AT_SEQUENCE_NUMBER", seqs[1]))[0]] == keys[1:]
    assert [r["dynamodb"]["Keys"] for r in drain(streams, iterator(streams, arn, shard_id, "AFTER_SEQUENCE_NUMBER", seqs[1]))[0]] == keys[2:]
    start = shard["SequenceNumberRange"]["StartingSequenceNumber"]
    assert int(start) <= int(seqs[0])
    assert [r["dynamodb"]["Keys"] for r in drain(streams, iterator(streams, arn, shard_id, "AT_SEQUENCE_NUMBER", start))[0]] == keys
    page = streams.get_records(ShardIterator=iterator(streams, arn, shard_id, "AFTER_SEQUENCE_NUMBER", seqs[-1]))
    assert page["Records"] == [] and "NextShardIterator" in page


def test_get_records_follows_new_writes(dynamodb, streams, stream_table):
    # why: the AWS-documented polling loop: a read at the end returns no records and a NextShardIterator,
    # the same record is never returned twice, and a later write shows up at that iterator
    # (Alternator test_streams_no_records, test_streams_last_result, test_streams_another_result).
    name, arn = stream_table("KEYS_ONLY")
    it = iterator(streams, arn, first_shard(streams, arn), "LATEST")
    page = streams.get_records(ShardIterator=it)
    assert page["Records"] == [] and page["NextShardIterator"]
    dynamodb.put_item(TableName=name, Item={"pk": S("one")})
    page = streams.get_records(ShardIterator=page["NextShardIterator"])
    assert [r["dynamodb"]["Keys"] for r in page["Records"]] == [{"pk": S("one")}]
    page = streams.get_records(ShardIterator=page["NextShardIterator"])
    assert page["Records"] == []
    dynamodb.put_item(TableName=name, Item={"pk": S("one"), "v": S("again")})
    page = streams.get_records(ShardIterator=page["NextShardIterator"])
    assert [(r["eventName"], r["dynamodb"]["Keys"]) for r in page["Records"]] == [("MODIFY", {"pk": S("one")})]
    # an iterator can be used again: it names a position, not a cursor that moves
    again = streams.get_records(ShardIterator=it)
    assert [r["eventName"] for r in again["Records"]] == ["INSERT", "MODIFY"]


def test_get_records_limit_paging(dynamodb, streams, stream_table):
    # why: Limit caps each page; following NextShardIterator reads every record once, in order.
    name, arn = stream_table("KEYS_ONLY")
    keys = [{"pk": S(f"p{i:02}")} for i in range(10)]
    for k in keys:
        dynamodb.put_item(TableName=name, Item=k)
    it = iterator(streams, arn, first_shard(streams, arn))
    sizes, seen = [], []
    for _ in range(10):
        page = streams.get_records(ShardIterator=it, Limit=3)
        sizes.append(len(page["Records"]))
        seen += [r["dynamodb"]["Keys"] for r in page["Records"]]
        it = page["NextShardIterator"]
        if not page["Records"]:
            break
    assert sizes == [3, 3, 3, 1, 0]
    assert seen == keys


@pytest.mark.local_differs("DynamoDB Local returns more than 1 MB in one GetRecords")
def test_get_records_one_megabyte_page(dynamodb, streams, stream_table):
    # why: GetRecords returns at most 1 MB of records a call (API reference), the rest on later pages.
    name, arn = stream_table("NEW_IMAGE")
    items = [{"pk": S(f"big{i}"), "v": S(str(i) * 350_000)} for i in range(4)]
    for item in items:
        dynamodb.put_item(TableName=name, Item=item)
    it = iterator(streams, arn, first_shard(streams, arn))
    first = streams.get_records(ShardIterator=it)
    assert 1 <= len(first["Records"]) < 4
    assert sum(r["dynamodb"]["SizeBytes"] for r in first["Records"]) <= 1024 * 1024
    rest, _ = drain(streams, first["NextShardIterator"])
    assert [r["dynamodb"]["Keys"]["pk"]["S"] for r in first["Records"] + rest] == [f"big{i}" for i in range(4)]


def test_describe_stream_paging_and_exclusive_start(streams, stream_table):
    # why: ExclusiveStartShardId of the last shard gives an empty page, not the list again
    # (Alternator list_shards, which runs against DynamoDB).
    name, arn = stream_table()
    shards = shards_of(streams, arn, limit=1)
    assert shards == shards_of(streams, arn)
    desc = streams.describe_stream(StreamArn=arn, ExclusiveStartShardId=shards[-1]["ShardId"])["StreamDescription"]
    assert desc["Shards"] == [] and "LastEvaluatedShardId" not in desc


@pytest.mark.local_differs("DynamoDB Local answers an unknown ExclusiveStartShardId with an error")
def test_describe_stream_unknown_exclusive_start(request, streams, stream_table):
    # why: DescribeStream pages by shard id; an unknown start id sorting after every shard leaves nothing.
    name, arn = stream_table()
    desc = streams.describe_stream(StreamArn=arn, ExclusiveStartShardId="shardId-99999999999999999999-ffffffff")
    assert desc["StreamDescription"]["Shards"] == []


@pytest.mark.local_differs("DynamoDB Local's LastEvaluatedStreamArn is not the page's last stream")
def test_list_streams_paging_and_filter(dynamodb, streams, stream_table):
    # why: ListStreams pages with Limit and ExclusiveStartStreamArn (each stream once; Alternator
    # test_list_streams_paged) and filters by TableName, in DynamoDB's member shape.
    made = [stream_table("KEYS_ONLY") for _ in range(3)]
    wanted = {arn: name for name, arn in made}
    seen, start = [], None
    for _ in range(10000):
        page = streams.list_streams(Limit=2, **({"ExclusiveStartStreamArn": start} if start else {}))
        assert len(page["Streams"]) <= 2
        seen += page["Streams"]
        start = page.get("LastEvaluatedStreamArn")
        if not start:
            break
        assert start == page["Streams"][-1]["StreamArn"]
    arns = [s["StreamArn"] for s in seen]
    assert len(arns) == len(set(arns))
    for arn, name in wanted.items():
        [entry] = [s for s in seen if s["StreamArn"] == arn]
        assert entry == {"StreamArn": arn, "TableName": name, "StreamLabel": arn.rsplit("/", 1)[1]}
    name, arn = made[1]
    assert [s["StreamArn"] for s in streams.list_streams(TableName=name)["Streams"]] == [arn]
    assert streams.list_streams(TableName=util.unique_name("none"))["Streams"] == []


@pytest.mark.parametrize("kind", ["AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER"])
def test_sequence_iterator_on_new_empty_shard(request, dynamodb, streams, stream_table, kind):
    # why: a consumer that starts at StartingSequenceNumber (as DescribeStream gives it) must work on a new
    # stream too, and then see the first write.
    name, arn = stream_table("KEYS_ONLY")
    shard = shards_of(streams, arn)[0]
    start = shard["SequenceNumberRange"]["StartingSequenceNumber"]
    it = iterator(streams, arn, shard["ShardId"], kind, start)
    dynamodb.put_item(TableName=name, Item={"pk": S("first")})
    records, _ = drain(streams, it)
    assert [r["dynamodb"]["Keys"] for r in records] == ([{"pk": S("first")}] if kind == "AT_SEQUENCE_NUMBER" else [])


@pytest.mark.local_differs("DynamoDB Local also loses the position (TrimmedDataAccessException after the write)")
def test_idle_consumer_survives_writes_to_other_tables(request, dynamodb, streams, stream_table):
    # why: a consumer polling a quiet table with LATEST (the AWS-documented loop) must not lose its place
    # because some other table is busy, and must then see its own table's next write.
    quiet, quiet_arn = stream_table("KEYS_ONLY")
    busy, busy_arn = stream_table("KEYS_ONLY")
    it = iterator(streams, quiet_arn, first_shard(streams, quiet_arn), "LATEST")
    for i in range(3):
        dynamodb.put_item(TableName=busy, Item={"pk": S(f"b{i}")})
    end = time.monotonic() + 2.5    # over two maintenance periods (1 s at the default rotation)
    while time.monotonic() < end:   # the consumer keeps polling its quiet shard
        page = streams.get_records(ShardIterator=it)
        assert page["Records"] == []
        it = page["NextShardIterator"]
        time.sleep(0.1)
    dynamodb.put_item(TableName=quiet, Item={"pk": S("mine")})
    page = streams.get_records(ShardIterator=it)
    assert [r["dynamodb"]["Keys"] for r in page["Records"]] == [{"pk": S("mine")}]


def test_polling_consumer_latency(url, dynamodb, streams, stream_table):
    # why: a consumer polling GetRecords in a loop must see each write within milliseconds of its
    # acknowledgement (issue 6: "within milliseconds"); bound p99 < 100 ms over 200 writes.
    name, arn = stream_table("KEYS_ONLY")
    start_it = iterator(streams, arn, first_shard(streams, arn), "LATEST")
    seen, stop, failures = {}, threading.Event(), []

    def consume():
        client = util.client_for(url, service="dynamodbstreams")
        it = start_it
        try:
            while not stop.is_set():
                page = client.get_records(ShardIterator=it)
                now = time.monotonic()
                for record in page["Records"]:
                    seen[record["dynamodb"]["Keys"]["pk"]["S"]] = now
                it = page["NextShardIterator"]
        except Exception as e:   # reported by the main thread
            failures.append(e)

    consumer = threading.Thread(target=consume)
    consumer.start()
    acked = {}
    try:
        for i in range(200):
            key = f"lat{i:03}"
            dynamodb.put_item(TableName=name, Item={"pk": S(key)})
            acked[key] = time.monotonic()
            deadline = acked[key] + 2.0
            while key not in seen and time.monotonic() < deadline and not failures:
                time.sleep(0.0002)
    finally:
        stop.set()
        consumer.join(10)
    assert not failures, failures
    assert set(seen) == set(acked)
    lags = sorted(max(0.0, seen[k] - acked[k]) for k in acked)
    p50, p99 = lags[len(lags) // 2], lags[int(len(lags) * 0.99) - 1]
    print(f"stream lag over {len(lags)} writes: p50 {p50 * 1000:.2f} ms, p99 {p99 * 1000:.2f} ms, "
          f"max {lags[-1] * 1000:.2f} ms")
    assert p99 < 0.100, (p50, p99)


# =============================================================================================
# Functionality: disabling, re-enabling, deleting the table
# =============================================================================================

def test_disable_and_reenable(dynamodb, streams, stream_table):
    # why: disabling closes the stream (DISABLED, every shard with an EndingSequenceNumber) but leaves
    # it readable with its records, and LatestStreamArn/Label stay; re-enabling makes a new stream with
    # a new label and ARN; writes in between leave no record anywhere (ack-api-quirks DDB-TABLE-050,
    # Alternator test_streams_disabled_stream).
    name, old_arn = stream_table("KEYS_ONLY")
    dynamodb.put_item(TableName=name, Item={"pk": S("before")})
    old_label = dynamodb.describe_table(TableName=name)["Table"]["LatestStreamLabel"]
    dynamodb.update_table(TableName=name, StreamSpecification={"StreamEnabled": False})
    util.wait_active(dynamodb, name)
    table = dynamodb.describe_table(TableName=name)["Table"]
    assert (table["LatestStreamArn"], table["LatestStreamLabel"]) == (old_arn, old_label)
    assert table.get("StreamSpecification", {}).get("StreamEnabled") is not True
    desc = streams.describe_stream(StreamArn=old_arn)["StreamDescription"]
    assert (desc["StreamStatus"], desc["StreamViewType"], desc["TableName"]) == ("DISABLED", "KEYS_ONLY", name)
    assert all(SEQ_RE.fullmatch(s["SequenceNumberRange"].get("EndingSequenceNumber", "")) for s in desc["Shards"])
    dynamodb.put_item(TableName=name, Item={"pk": S("between")})
    records = read_stream(streams, old_arn)
    assert [r["dynamodb"]["Keys"] for r in records] == [{"pk": S("before")}]
    page = streams.get_records(ShardIterator=iterator(streams, old_arn, desc["Shards"][-1]["ShardId"], "LATEST"))
    assert page["Records"] == [] and "NextShardIterator" not in page

    time.sleep(0.002)   # labels have millisecond resolution
    dynamodb.update_table(TableName=name, StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"})
    util.wait_active(dynamodb, name)
    table = dynamodb.describe_table(TableName=name)["Table"]
    new_arn, new_label = table["LatestStreamArn"], table["LatestStreamLabel"]
    assert table["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}
    assert new_arn != old_arn and new_label > old_label and new_arn == f"{table['TableArn']}/stream/{new_label}"
    assert sorted(s["StreamArn"] for s in streams.list_streams(TableName=name)["Streams"]) == sorted([old_arn, new_arn])
    assert streams.describe_stream(StreamArn=new_arn)["StreamDescription"]["StreamStatus"] == "ENABLED"
    dynamodb.put_item(TableName=name, Item={"pk": S("after")})
    assert summary(read_stream(streams, new_arn)) == [("INSERT", {"pk": S("after")}, None, {"pk": S("after")})]
    assert len(read_stream(streams, old_arn)) == 1


def test_disabled_stream_specification_absent(request, dynamodb, stream_table):
    # why: after disabling, a table describes like one that never had a stream except for LatestStreamArn/Label.
    name, arn = stream_table("KEYS_ONLY")
    dynamodb.update_table(TableName=name, StreamSpecification={"StreamEnabled": False})
    util.wait_active(dynamodb, name)
    table = dynamodb.describe_table(TableName=name)["Table"]
    assert "StreamSpecification" not in table and table["LatestStreamArn"] == arn


def test_enable_twice_and_disable_twice(dynamodb, stream_table, new_table):
    # why: a stream cannot be enabled again (not even to change its view type) or disabled when there is
    # none, in DynamoDB's words (ack-api-quirks DDB-TABLE-050, captured 2026-10-09).
    name, arn = stream_table("KEYS_ONLY")
    for view in ("KEYS_ONLY", "NEW_IMAGE"):
        with raises("ValidationException", f"Table already has an enabled stream: TableName: {name}",
                    local="Table already has an enabled stream"):
            dynamodb.update_table(TableName=name, StreamSpecification={"StreamEnabled": True, "StreamViewType": view})
    plain = new_table()
    with raises("ValidationException", f"Table has no stream to disable: TableName: {plain}",
                local="Table has no stream to disable"):
        dynamodb.update_table(TableName=plain, StreamSpecification={"StreamEnabled": False})


def test_delete_table_disables_stream(dynamodb, streams, stream_table):
    # why: deleting the table disables its stream, which stays listed and readable (ack-api-quirks:
    # old streams stay listable as DISABLED even after DeleteTable).
    name, arn = stream_table("NEW_AND_OLD_IMAGES")
    dynamodb.put_item(TableName=name, Item={"pk": S("kept")})
    dynamodb.delete_table(TableName=name)
    for _ in range(300):
        desc = streams.describe_stream(StreamArn=arn)["StreamDescription"]
        if desc["StreamStatus"] == "DISABLED":
            break
        time.sleep(0.1)
    assert desc["StreamStatus"] == "DISABLED"
    assert all("EndingSequenceNumber" in s["SequenceNumberRange"] for s in desc["Shards"])
    assert arn in [s["StreamArn"] for s in streams.list_streams(TableName=name)["Streams"]]
    assert summary(read_stream(streams, arn)) == [("INSERT", {"pk": S("kept")}, None, {"pk": S("kept")})]


# =============================================================================================
# Functionality with a shortened shard rotation or retention (own servers)
# =============================================================================================

def own_server(server_factory, *flags):
    server = server_factory("--in-memory", *flags)
    return server, util.client_for(server.url), util.client_for(server.url, service="dynamodbstreams")


def make_stream_table(client, view="KEYS_ONLY"):
    name = util.create_table(client, util.unique_name(), list(HASH),
                             StreamSpecification={"StreamEnabled": True, "StreamViewType": view})
    return name, client.describe_table(TableName=name)["Table"]["LatestStreamArn"]


def write_for(client, name, seconds, prefix="w"):
    """PutItem of new keys for `seconds`; returns the keys in the order they were acknowledged."""
    keys, end = [], time.monotonic() + seconds
    while time.monotonic() < end:
        key = f"{prefix}{len(keys):05}"
        client.put_item(TableName=name, Item={"pk": S(key)})
        keys.append(key)
        time.sleep(0.002)
    return keys


def eventually(condition, seconds=15.0, what="condition"):
    """Polls condition() until it is true (returns its value) or fails after `seconds`: the
    maintenance pass runs about once a second, later on a loaded machine."""
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value:
            return value
        assert time.monotonic() < deadline, f"{what} did not happen within {seconds} s"
        time.sleep(0.1)


def stop_cleanly(server):
    rc = server.stop()
    assert server.problems(rc) == "", server.log()[-5000:]


@pytest.mark.server_only("starts its own server with --shard-rotation 1")
def test_shard_rotation_and_lineage(server_factory):
    # why: shards close after the rotation period and get a child: closed shards have an
    # EndingSequenceNumber, each child names its parent, ids sort in creation order (Alternator #7409),
    # and reading parents before children yields every record exactly once, in order; a drained closed
    # shard ends without NextShardIterator (API reference: null once the shard is closed).
    server, client, streams_ = own_server(server_factory, "--shard-rotation", "1")
    name, arn = make_stream_table(client)
    keys = []
    for _ in range(20):   # at most ~10 s: until the first shard has a grandchild
        keys += write_for(client, name, 0.5, prefix=f"w{len(keys):05}-")
        if len(shards_of(streams_, arn)) >= 3:
            break
    shards = shards_of(streams_, arn)
    assert len(shards) >= 3
    assert [s["ShardId"] for s in shards] == sorted(s["ShardId"] for s in shards)
    assert "ParentShardId" not in shards[0]
    for parent, child in zip(shards, shards[1:]):
        assert child["ParentShardId"] == parent["ShardId"]
        assert SEQ_RE.fullmatch(parent["SequenceNumberRange"]["EndingSequenceNumber"])
        assert int(parent["SequenceNumberRange"]["StartingSequenceNumber"]) <= \
            int(parent["SequenceNumberRange"]["EndingSequenceNumber"]) <= \
            int(child["SequenceNumberRange"]["StartingSequenceNumber"])
    all_records = []
    for shard in lineage_order(shards):
        rng = shard["SequenceNumberRange"]
        records, nxt = drain(streams_, iterator(streams_, arn, shard["ShardId"]), limit=100)
        seqs = seq_numbers(records)
        if records:
            assert int(rng["StartingSequenceNumber"]) <= seqs[0]
        if "EndingSequenceNumber" in rng:
            assert nxt is None
            assert not records or seqs[-1] <= int(rng["EndingSequenceNumber"])
            # LATEST on a closed shard: nothing, and the end of the shard
            page = streams_.get_records(ShardIterator=iterator(streams_, arn, shard["ShardId"], "LATEST"))
            assert page["Records"] == [] and "NextShardIterator" not in page
        if all_records and records:
            assert int(rng["StartingSequenceNumber"]) > seq_numbers(all_records)[-1]   # after the parent's
        all_records += records
    assert [r["dynamodb"]["Keys"]["pk"]["S"] for r in all_records] == keys
    assert strictly_increasing(seq_numbers(all_records))
    paged = [s["ShardId"] for s in shards_of(streams_, arn, limit=1)]
    assert paged[:len(shards)] == [s["ShardId"] for s in shards]
    stop_cleanly(server)


@pytest.mark.server_only("starts its own server with --shard-rotation 1")
def test_consumer_follows_shards_while_writes_go_on(server_factory):
    # why: the KCL-style loop (DescribeStream, read each shard to its end, parents before children,
    # move on to the child) run live against rotating shards sees every change exactly once, in order.
    server, client, streams_ = own_server(server_factory, "--shard-rotation", "1")
    name, arn = make_stream_table(client)
    written, done = [], threading.Event()

    def writer():
        try:
            written.extend(write_for(util.client_for(server.url), name, 2.5))
        finally:
            done.set()

    thread = threading.Thread(target=writer)
    thread.start()
    got, finished, positions = [], set(), {}
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        writes_over = done.is_set()
        for shard in lineage_order(shards_of(streams_, arn)):
            sid = shard["ShardId"]
            if sid in finished or (shard.get("ParentShardId") and shard["ParentShardId"] not in finished):
                continue
            it = positions.get(sid) or iterator(streams_, arn, sid)
            records, it = drain(streams_, it)
            got += [r["dynamodb"]["Keys"]["pk"]["S"] for r in records]
            if it is None:
                finished.add(sid)
            else:
                positions[sid] = it
        if writes_over and len(got) >= len(written):
            break
        time.sleep(0.01)
    thread.join(30)
    assert got == written
    stop_cleanly(server)


@pytest.mark.server_only("starts its own server with --stream-retention 3")
def test_retention_trims_records(server_factory):
    # why: records older than the retention period are trimmed: TRIM_HORIZON then starts at the oldest
    # kept record, StartingSequenceNumber moves up, and an iterator or sequence number pointing at a
    # trimmed record is TrimmedDataAccessException (API reference, TrimmedDataAccessException; the
    # message is DynamoDB Local's, the API reference documents "The data you are trying to access has
    # been trimmed." as its description).
    server, client, streams_ = own_server(server_factory, "--stream-retention", "3")
    name, arn = make_stream_table(client)
    for i in range(3):
        client.put_item(TableName=name, Item={"pk": S(f"old{i}")})
    shard = first_shard(streams_, arn)
    horizon = iterator(streams_, arn, shard)
    old_seqs = [r["dynamodb"]["SequenceNumber"] for r in drain(streams_, horizon)[0]]
    assert len(old_seqs) == 3
    time.sleep(3.1)
    client.put_item(TableName=name, Item={"pk": S("new")})
    def trimmed_to_one():
        # a fresh TRIM_HORIZON iterator can itself be overtaken by the trimming pass before it is
        # read (it then points at records that are gone): try again with a new one
        try:
            return len(drain(streams_, iterator(streams_, arn, shard))[0]) == 1
        except streams_.exceptions.TrimmedDataAccessException:
            return False
    eventually(trimmed_to_one, what="trimming")
    [kept] = drain(streams_, iterator(streams_, arn, shard))[0]
    assert kept["dynamodb"]["Keys"] == {"pk": S("new")}
    [desc_shard] = shards_of(streams_, arn)
    assert desc_shard["SequenceNumberRange"]["StartingSequenceNumber"] == kept["dynamodb"]["SequenceNumber"]
    with raises("TrimmedDataAccessException", TRIMMED):
        streams_.get_records(ShardIterator=horizon)
    for kind in ("AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER"):
        with raises("TrimmedDataAccessException", TRIMMED):
            streams_.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType=kind, SequenceNumber=old_seqs[0])
    stop_cleanly(server)


@pytest.mark.server_only("starts its own server with --stream-retention 2")
def test_trimmed_sequence_number_in_emptied_shard(request, server_factory):
    # why: whether or not newer records exist, a trimmed sequence number is reported as trimmed.
    server, client, streams_ = own_server(server_factory, "--stream-retention", "2")
    name, arn = make_stream_table(client)
    client.put_item(TableName=name, Item={"pk": S("gone")})
    shard = first_shard(streams_, arn)
    [record] = drain(streams_, iterator(streams_, arn, shard))[0]
    time.sleep(2.1)
    eventually(lambda: drain(streams_, iterator(streams_, arn, shard))[0] == [], what="trimming")
    try:
        with raises("TrimmedDataAccessException", TRIMMED):
            streams_.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="AT_SEQUENCE_NUMBER",
                                        SequenceNumber=record["dynamodb"]["SequenceNumber"])
    finally:
        stop_cleanly(server)


@pytest.mark.server_only("starts its own server with --stream-retention 2")
def test_retention_removes_disabled_streams(server_factory):
    # why: a disabled stream stays readable for the retention period and is gone after it.
    server, client, streams_ = own_server(server_factory, "--stream-retention", "2")
    name, arn = make_stream_table(client)
    client.put_item(TableName=name, Item={"pk": S("x")})
    client.update_table(TableName=name, StreamSpecification={"StreamEnabled": False})
    assert len(read_stream(streams_, arn)) == 1
    time.sleep(2.1)
    eventually(lambda: arn not in [s["StreamArn"] for s in streams_.list_streams()["Streams"]],
               what="removal of the disabled stream")
    with raises("ResourceNotFoundException", f"Requested resource not found: Stream: {arn} not found"):
        streams_.describe_stream(StreamArn=arn)
    assert streams_.list_streams(TableName=name)["Streams"] == []
    stop_cleanly(server)
