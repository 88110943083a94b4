"""test_replicator.py — the bundled replicator (--replicate SRC=DST[,Option=Value...]): a Lambda-like
event source mapping inside the server that keeps DST equal to SRC through SRC's stream, exactly once.

Each test starts its own dynastream with the mapping it needs (server_factory), so the file runs only
against our binary (skipped with --url). Waiting is always a bounded poll (wait_for), never a fixed
sleep. Exactly-once is checked through the replica's own stream: every source change is a distinct
image (a counter incremented with UpdateItem ADD), so a lost record shows as a gap in the replica's
sequence of counter values and a record applied twice as a repeat or a step back.
Options are exercised on a backlog written before the replicating server starts (file mode), which
makes batch boundaries deterministic.
"""
import concurrent.futures
import json
import random
import statistics
import subprocess
import threading
import time

import pytest

import conftest
import util

pytestmark = pytest.mark.server_only("starts dynastream processes with --replicate")

NEW_IMAGE = {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}


def S(v):
    return {"S": v}


def N(v):
    return {"N": str(v)}


def wait_for(what, check, timeout=15.0):
    """Polls check() until it returns a truthy value (returned) or timeout seconds pass (fails)."""
    deadline, delay, last = time.monotonic() + timeout, 0.002, None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(delay)
        delay = min(0.05, delay * 2)
    pytest.fail(f"timed out after {timeout} s waiting for {what}; last: {last!r}")


def status(server):
    """The first mapping's entry of GET /replicator."""
    code, headers, body, raw = util.raw_request(server.url, method="GET", path="/replicator", auth=None)
    assert code == 200, raw
    return body["Replicators"][0]


def scan_all(client, table):
    """Every item of table, keyed by pk."""
    items, kw = {}, {}
    while True:
        page = client.scan(TableName=table, ConsistentRead=True, **kw)
        for it in page["Items"]:
            items[it["pk"]["S"]] = it
        if "LastEvaluatedKey" not in page:
            return items
        kw["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def same_as_source(client, src="src", dst="dst"):
    """True when the replica holds exactly the source's items."""
    return scan_all(client, src) == scan_all(client, dst)


def make_tables(client, src="src", dst="dst", src_stream=NEW_IMAGE, dst_stream=None, **dst_params):
    if dst is not None:
        util.create_table(client, dst, [("pk", "S")],
                          **({"StreamSpecification": dst_stream} if dst_stream else {}), **dst_params)
    if src is not None:
        util.create_table(client, src, [("pk", "S")],
                          **({"StreamSpecification": src_stream} if src_stream else {}))


def stream_records(url, table, attempts=5):
    """All records of table's latest stream, shards in DescribeStream order (parents first). A read
    that retention overtakes (TrimmedDataAccessException, or a shard gone) starts again."""
    streams = util.client_for(url, service="dynamodbstreams")
    for attempt in range(attempts):
        try:
            return _stream_records(url, table, streams)
        except (streams.exceptions.TrimmedDataAccessException,
                streams.exceptions.ResourceNotFoundException):
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


def _stream_records(url, table, streams):
    client = util.client_for(url)
    arn = client.describe_table(TableName=table)["Table"]["LatestStreamArn"]
    shards, kw = [], {}
    while True:
        d = streams.describe_stream(StreamArn=arn, **kw)["StreamDescription"]
        shards += d["Shards"]
        if "LastEvaluatedShardId" not in d:
            break
        kw["ExclusiveStartShardId"] = d["LastEvaluatedShardId"]
    out = []
    for shard in shards:
        it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"],
                                        ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        while it:
            page = streams.get_records(ShardIterator=it, Limit=1000)
            out += page["Records"]
            it = page.get("NextShardIterator") if page["Records"] else None
    return out, len(shards)


def counter_history(records):
    """{pk: [counter values in the order the stream recorded them]} for INSERT/MODIFY records."""
    hist = {}
    for r in records:
        image = r["dynamodb"].get("NewImage")
        if image and "c" in image:
            hist.setdefault(image["pk"]["S"], []).append(int(image["c"]["N"]))
    return hist


def assert_exactly_once(hist, final):
    """Each key's replica history is 1, 2, ..., final[pk]: nothing lost, nothing twice, in order."""
    assert set(hist) == set(final)
    for pk, values in hist.items():
        assert values == list(range(1, final[pk] + 1)), (pk, values[:50])


def bump(client, pk, table="src"):
    """UpdateItem ADD c :1 — every change of the key is a distinct image."""
    client.update_item(TableName=table, Key={"pk": S(pk)}, UpdateExpression="ADD c :one",
                       ExpressionAttributeValues={":one": N(1)})


def stop_cleanly(server):
    """SIGTERM, then the exit status and the sanitizer reports must be clean."""
    rc = server.stop()
    assert server.problems(rc) == "", server.log()[-8000:]


@pytest.fixture
def replicating(server_factory, tmp_path):
    """Starts dynastream with the given flags (--in-memory unless a --db-path is given); returns
    (server, client). Servers left running are stopped and checked at the end."""
    started = []

    def start(*flags, log_name="dynastream.log"):
        args = list(flags)
        if "--db-path" not in args:
            args.append("--in-memory")
        server = server_factory(*args, log_name=log_name)
        started.append(server)
        return server, util.client_for(server.url)

    yield start
    for server in started:
        if server.alive():
            stop_cleanly(server)


def write_backlog(server_factory, db, n, item=lambda i: {"pk": S(f"k{i:03d}"), "v": N(i)}, dst=True):
    """Creates src (with a stream) and, if dst, dst on a --db-path, writes n items to src with no
    replicator running, and stops the server: the next server meets a backlog of n records."""
    server = server_factory("--db-path", str(db), log_name="backlog.log")
    client = util.client_for(server.url)
    make_tables(client, dst="dst" if dst else None)
    for i in range(n):
        client.put_item(TableName="src", Item=item(i))
    stop_cleanly(server)


def failure_lines(path):
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


# ---------------------------------------------------------------------------------------------
# Flags
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("spec, message", [
    ("src", "'src': expected SOURCE=TARGET"),
    ("src=src", "the source and target tables must differ"),
    ("src=dst,BatchSize=0", "BatchSize must be an integer from 1 to 10000, not '0'"),
    ("src=dst,BatchSize=10001", "BatchSize must be an integer from 1 to 10000, not '10001'"),
    ("src=dst,StartingPosition=AT_TIMESTAMP", "StartingPosition must be TRIM_HORIZON or LATEST, not 'AT_TIMESTAMP'"),
    ("src=dst,MaximumRetryAttempts=-2", "MaximumRetryAttempts must be -1 (infinite) or an integer from 0 to 10000, not '-2'"),
    ("src=dst,MaximumRecordAgeInSeconds=0", "MaximumRecordAgeInSeconds must be -1 (infinite) or an integer from 1 to 604800, not '0'"),
    ("src=dst,MaximumBatchingWindowInSeconds=301", "MaximumBatchingWindowInSeconds must be an integer from 0 to 300, not '301'"),
    ("src=dst,BisectBatchOnFunctionError=maybe", "BisectBatchOnFunctionError must be true or false, not 'maybe'"),
    ("src=dst,Parallel=2", "unknown replicator option 'Parallel'"),
])
def test_bad_replicate_flag(spec, message):
    # why: a mistyped mapping must stop the server at start-up with a message naming the problem,
    # not start a replicator that silently does something else.
    proc = subprocess.run([str(conftest.server_binary()), "--in-memory", "--port", "0", "--replicate", spec],
                          capture_output=True, text=True, timeout=30)
    assert proc.returncode == 2
    assert message in proc.stderr, proc.stderr


def test_same_mapping_twice():
    # why: two mappings with one id would share their checkpoints and apply records twice.
    proc = subprocess.run([str(conftest.server_binary()), "--in-memory", "--port", "0", "--replicate", "a=b",
                           "--replicate", "a=b,BatchSize=5"], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 2
    assert "--replicate a=b is given twice" in proc.stderr, proc.stderr


def test_help_documents_options():
    # why: the option syntax is only discoverable through --help.
    out = subprocess.run([str(conftest.server_binary()), "--help"], capture_output=True, text=True, timeout=30).stdout
    for word in ("--replicate SRC=DST[,Option=Value...]", "BatchSize=100", "StartingPosition=TRIM_HORIZON|LATEST",
                 "MaximumBatchingWindowInSeconds=0", "MaximumRetryAttempts=-1", "MaximumRecordAgeInSeconds=-1",
                 "BisectBatchOnFunctionError=false", "OnFailure=FILE", "GET /replicator"):
        assert word in out


# ---------------------------------------------------------------------------------------------
# Status endpoint and internal operations
# ---------------------------------------------------------------------------------------------

def test_status_endpoint(replicating):
    # why: GET /replicator is how users (and make demo) see state, counts and lag, in Lambda's words.
    server, client = replicating("--replicate", "src=dst,BatchSize=50,OnFailure=/dev/null")
    s = wait_for("the waiting state", lambda: status(server)["State"] == "Enabling" and status(server))
    assert s["StateTransitionReason"] == "waiting for table src"
    assert (s["UUID"], s["Source"], s["Target"], s["BatchSize"], s["StartingPosition"],
            s["MaximumBatchingWindowInSeconds"], s["MaximumRetryAttempts"], s["MaximumRecordAgeInSeconds"],
            s["BisectBatchOnFunctionError"], s["ExactlyOnce"], s["OnFailure"], s["LastProcessingResult"]) == \
        ("src=dst", "src", "dst", 50, "TRIM_HORIZON", 0, -1, -1, False, True, "/dev/null", "No records processed")
    make_tables(client, src="src", dst=None, src_stream=None)
    wait_for("the no-stream state", lambda: "waiting for a stream" in status(server)["StateTransitionReason"])
    util.create_table(client, "dst", [("pk", "S")])
    client.update_table(TableName="src", StreamSpecification=NEW_IMAGE)
    arn = client.describe_table(TableName="src")["Table"]["LatestStreamArn"]
    client.put_item(TableName="src", Item={"pk": S("a")})
    s = wait_for("one record processed", lambda: status(server)["RecordsProcessed"] == 1 and status(server))
    assert (s["State"], s["EventSourceArn"], s["LastProcessingResult"], s["RecordsFailed"], s["AccessKeyId"],
            s["Region"]) == ("Enabled", arn, "OK", 0, util.ACCESS_KEY, util.REGION)
    assert 0 <= s["IteratorAgeMilliseconds"] < 5000
    assert s["LastRecordSequenceNumber"] and s["ShardId"].startswith("shardId-")


def test_status_without_replicator(replicating):
    # why: the endpoint answers (an empty list) on a server started without --replicate.
    server, _ = replicating()
    code, headers, body, raw = util.raw_request(server.url, method="GET", path="/replicator", auth=None)
    assert (code, body) == (200, {"Replicators": []})
    assert headers["content-type"].startswith("application/json")


def test_internal_operations_not_reachable_over_http(replicating):
    # why: ReplicateBatch writes any item and checkpoint without a condition; only the in-process
    # replicator may call it.
    server, _ = replicating()
    for op in ("ReplicateBatch", "ReplicatorCheckpoints", "RecordTimes", "FindTable"):
        code, _, body, raw = util.raw_request(server.url, target=f"DynastreamInternal.{op}", body={})
        assert code == 400 and util.error_of(body)[0] == "UnknownOperationException", raw


# ---------------------------------------------------------------------------------------------
# What reaches the replica
# ---------------------------------------------------------------------------------------------

def test_insert_modify_remove(replicating):
    # why: the three event kinds: INSERT and MODIFY put the NewImage verbatim (numbers, sets,
    # binaries and nesting untouched), REMOVE deletes the keys.
    server, client = replicating("--replicate", "src=dst")
    make_tables(client)
    item = {"pk": S("a"), "n": N("-0.000123456789012345678901234567890123"), "ss": {"SS": ["x", "y"]},
            "b": {"B": b"\x00\xff"}, "m": {"M": {"l": {"L": [{"NULL": True}, {"BOOL": False}]}}}}
    client.put_item(TableName="src", Item=item)
    client.put_item(TableName="src", Item={"pk": S("b"), "v": N(1)})
    client.put_item(TableName="src", Item={"pk": S("c"), "v": N(1)})
    client.update_item(TableName="src", Key={"pk": S("b")}, UpdateExpression="SET v = :v, w = :w",
                       ExpressionAttributeValues={":v": N(2), ":w": S("new")})
    client.delete_item(TableName="src", Key={"pk": S("c")})
    wait_for("the replica to match", lambda: same_as_source(client))
    got = client.get_item(TableName="dst", Key={"pk": S("a")})["Item"]
    assert got["n"] == item["n"] and sorted(got["ss"]["SS"]) == ["x", "y"] and got["b"] == item["b"]
    assert client.get_item(TableName="dst", Key={"pk": S("b")})["Item"] == {"pk": S("b"), "v": N(2), "w": S("new")}
    assert "Item" not in client.get_item(TableName="dst", Key={"pk": S("c")})


def test_keys_only_stream_reads_current_item(replicating):
    # why: a KEYS_ONLY stream carries no image; the replicator copies the source item as it is now.
    server, client = replicating("--replicate", "src=dst")
    make_tables(client, src_stream={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"})
    for i in range(5):
        client.put_item(TableName="src", Item={"pk": S(f"k{i}"), "v": N(i)})
    bump(client, "k1")
    client.delete_item(TableName="src", Key={"pk": S("k2")})
    wait_for("the replica to match", lambda: same_as_source(client))


def test_ordering_of_repeated_updates(replicating):
    # why: updates of one key must reach the replica in order, each exactly once (the replica's own
    # stream shows the order in which they were applied).
    server, client = replicating("--replicate", "src=dst")
    make_tables(client, dst_stream=NEW_IMAGE)
    for _ in range(200):
        bump(client, "one")
    wait_for("the last update", lambda: client.get_item(TableName="dst", Key={"pk": S("one")})
             .get("Item", {}).get("c") == N(200))
    records, _ = stream_records(server.url, "dst")
    assert_exactly_once(counter_history(records), {"one": 200})


def test_concurrent_writers(replicating):
    # why: many keys changed by concurrent clients (puts, updates, deletes) end up equal in the replica.
    server, client = replicating("--replicate", "src=dst")
    make_tables(client)

    def writer(w):
        rnd = random.Random(w)
        c = util.client_for(server.url)
        for i in range(150):
            pk = f"k{rnd.randrange(60)}"
            op = rnd.random()
            if op < 0.5:
                bump(c, pk)
            elif op < 0.8:
                c.put_item(TableName="src", Item={"pk": S(pk), "w": N(w), "i": N(i)})
            else:
                c.delete_item(TableName="src", Key={"pk": S(pk)})

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        list(pool.map(writer, range(8)))
    wait_for("the replica to match", lambda: same_as_source(client), timeout=30)
    assert status(server)["RecordsFailed"] == 0


def test_replication_lag_milliseconds(replicating):
    # why: the commit signal wakes the replicator at once: an acknowledged write is in the replica
    # within milliseconds, not after a polling interval.
    server, client = replicating("--replicate", "src=dst")
    make_tables(client)
    lags = []
    for i in range(30):
        client.put_item(TableName="src", Item={"pk": S(f"k{i}"), "v": N(i)})
        t0 = time.monotonic()
        wait_for("the item in the replica", lambda: "Item" in client.get_item(TableName="dst", Key={"pk": S(f"k{i}")}),
                 timeout=5)
        lags.append(time.monotonic() - t0)
    # the GetItem round trip itself is part of each figure (sanitizer build)
    assert statistics.median(lags) < 0.05 and max(lags) < 0.5, lags


# ---------------------------------------------------------------------------------------------
# Streams that change under the replicator
# ---------------------------------------------------------------------------------------------

def test_shard_rotation_during_replication(replicating):
    # why: shards close and get children while records flow; parents are read before children, so
    # the replica still sees every change once and in order.
    server, client = replicating("--replicate", "src=dst", "--shard-rotation", "1")
    make_tables(client, dst_stream=NEW_IMAGE)
    final = {}
    deadline = time.monotonic() + 3.5
    while time.monotonic() < deadline:   # a write load across several rotations
        pk = f"k{random.randrange(5)}"
        bump(client, pk)
        final[pk] = final.get(pk, 0) + 1
    wait_for("the replica to match", lambda: same_as_source(client), timeout=30)
    source_records, source_shards = stream_records(server.url, "src")
    assert source_shards >= 3
    # the replica's own stream rotates too; read it whole and check order and uniqueness
    records, _ = stream_records(server.url, "dst")
    assert_exactly_once(counter_history(records), final)


@pytest.mark.server_only("reads the replicator's checkpoints in the database file")
def test_checkpoints_of_trimmed_shards_are_dropped(replicating, tmp_path):
    # why: a checkpoint is kept per (mapping, shard); once retention has trimmed a shard away its
    # checkpoint goes with it, so a long-running replicator's bookkeeping does not grow forever.
    import sqlite3
    db = tmp_path / "db"
    db.mkdir()
    server, client = replicating("--db-path", str(db), "--replicate", "src=dst",
                                 "--shard-rotation", "1", "--stream-retention", "2")
    make_tables(client)

    def checkpoints():   # the checkpointed shards and the shards that exist, in one snapshot
        con = sqlite3.connect(f"file:{db / 'dynastream.db'}?mode=ro", uri=True, timeout=10,
                              isolation_level=None)
        try:
            con.execute("BEGIN")
            rows = {r[0] for r in con.execute("SELECT shard_id FROM replicator_checkpoints")}
            live = {r[0] for r in con.execute("SELECT shard_id FROM shards")}
            con.execute("COMMIT")
        finally:
            con.close()
        return rows, live

    seen = set()
    deadline = time.monotonic() + 30
    while True:   # writes across many rotations, until an early checkpoint has been dropped
        bump(client, "k")
        rows, live = checkpoints()
        if seen and not seen <= rows:
            break
        seen |= rows
        assert time.monotonic() < deadline, f"checkpoints of trimmed shards kept: {sorted(seen)}"
        time.sleep(0.05)
    # what is left is about shards that still exist, but for the last one or two trimmed (a
    # checkpoint updated after its shard closed outlives it by a maintenance pass)
    assert len(rows - live) <= 2
    wait_for("the replica to match", lambda: same_as_source(client), timeout=30)


def test_missing_target_table_appears_later(replicating):
    # why: a missing target is reported and retried, never a reason to drop records.
    server, client = replicating("--replicate", "src=dst")
    make_tables(client, dst=None)
    for i in range(20):
        client.put_item(TableName="src", Item={"pk": S(f"k{i}"), "v": N(i)})
    s = wait_for("the problem in the status", lambda: status(server)["LastProcessingResult"].startswith("PROBLEM")
                 and status(server))
    assert "ResourceNotFoundException: Requested resource not found: Table: dst not found" in s["LastProcessingResult"]
    assert s["RecordsProcessed"] == 0
    util.create_table(client, "dst", [("pk", "S")])
    wait_for("the replica to match", lambda: same_as_source(client))
    s = wait_for("20 records counted", lambda: status(server)["RecordsProcessed"] == 20 and status(server))
    assert (s["LastProcessingResult"], s["RecordsFailed"]) == ("OK", 0)
    assert s["BatchRetries"] >= 1


def test_stream_disabled_and_enabled_again(replicating):
    # why: the replicator follows the table's latest stream: after a disable/enable it drains the old
    # stream, then reads the new one from its start.
    server, client = replicating("--replicate", "src=dst")
    make_tables(client)
    client.put_item(TableName="src", Item={"pk": S("before"), "v": N(1)})
    wait_for("the first item", lambda: "Item" in client.get_item(TableName="dst", Key={"pk": S("before")}))
    client.update_table(TableName="src", StreamSpecification={"StreamEnabled": False})
    client.put_item(TableName="src", Item={"pk": S("unstreamed"), "v": N(1)})   # no stream: not replicated
    client.update_table(TableName="src", StreamSpecification=NEW_IMAGE)
    arn = client.describe_table(TableName="src")["Table"]["LatestStreamArn"]
    client.put_item(TableName="src", Item={"pk": S("after"), "v": N(2)})
    wait_for("the item written on the new stream", lambda: "Item" in client.get_item(TableName="dst", Key={"pk": S("after")}))
    assert "Item" not in client.get_item(TableName="dst", Key={"pk": S("unstreamed")})
    assert status(server)["EventSourceArn"] == arn


def test_source_table_recreated(replicating):
    # why: deleting the source table disables its stream; a new table of that name with a stream is
    # followed again (its deletes and puts reach the replica).
    server, client = replicating("--replicate", "src=dst")
    make_tables(client)
    client.put_item(TableName="src", Item={"pk": S("one")})
    wait_for("the first item", lambda: "Item" in client.get_item(TableName="dst", Key={"pk": S("one")}))
    client.delete_table(TableName="src")
    wait_for("the waiting state", lambda: status(server)["State"] == "Enabling")
    make_tables(client, dst=None)
    client.put_item(TableName="src", Item={"pk": S("two")})
    wait_for("the item of the new table", lambda: "Item" in client.get_item(TableName="dst", Key={"pk": S("two")}))


def test_two_mappings_from_one_source(replicating):
    # why: --replicate is repeatable; mappings are independent (own checkpoints, own status).
    server, client = replicating("--replicate", "src=dst", "--replicate", "src=dst2,BatchSize=1")
    make_tables(client)
    util.create_table(client, "dst2", [("pk", "S")])
    for i in range(10):
        client.put_item(TableName="src", Item={"pk": S(f"k{i}")})
    wait_for("both replicas", lambda: same_as_source(client) and same_as_source(client, dst="dst2"))
    code, _, body, _ = util.raw_request(server.url, method="GET", path="/replicator", auth=None)
    assert [r["UUID"] for r in body["Replicators"]] == ["src=dst", "src=dst2"]


def test_stop_while_retrying(replicating):
    # why: a batch blocked on a missing table must not hold up shutdown (nor leak: ASan checks).
    server, client = replicating("--replicate", "src=dst")
    make_tables(client, dst=None)
    client.put_item(TableName="src", Item={"pk": S("a")})
    wait_for("the problem in the status", lambda: status(server)["LastProcessingResult"].startswith("PROBLEM"))
    t0 = time.monotonic()
    stop_cleanly(server)
    assert time.monotonic() - t0 < 5
    assert "replicator src=dst: Disabled (stopped)" in server.log()


# ---------------------------------------------------------------------------------------------
# Restarts: nothing lost, nothing applied twice
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("how", ["SIGTERM", "SIGKILL"])
def test_restart_mid_stream(replicating, tmp_path, how):
    # why: the replica write and the checkpoint commit together, so a server stopped (or killed)
    # while replicating resumes exactly where it was: the replica's history of each counter is
    # 1, 2, ..., n with no gap and no repeat.
    db = tmp_path / "db"
    db.mkdir()
    flags = ("--db-path", str(db), "--replicate", "src=dst,BatchSize=3")
    server, client = replicating(*flags, log_name="first.log")
    make_tables(client, dst_stream=NEW_IMAGE)
    keys = [f"k{i}" for i in range(6)]
    stop = threading.Event()

    def writer(pk):
        c = util.client_for(server.url)
        while not stop.is_set():
            try:
                bump(c, pk)
            except Exception:   # the server went away under us: this write may or may not be in
                return

    threads = [threading.Thread(target=writer, args=(pk,)) for pk in keys]
    for t in threads:
        t.start()
    wait_for("records to flow", lambda: status(server)["RecordsProcessed"] > 300, timeout=30)
    if how == "SIGKILL":
        server.kill()
    else:
        stop_cleanly(server)
    stop.set()
    for t in threads:
        t.join()

    server, client = replicating(*flags, log_name="second.log")
    for pk in keys:   # more changes after the restart
        for _ in range(5):
            bump(client, pk)
    wait_for("the replica to match", lambda: same_as_source(client), timeout=30)
    final = {pk: int(item["c"]["N"]) for pk, item in scan_all(client, "src").items()}
    records, _ = stream_records(server.url, "dst")
    assert_exactly_once(counter_history(records), final)


def test_checkpoint_behind_trim_horizon(replicating, server_factory, tmp_path):
    # why: when retention has trimmed records past the checkpoint while no replicator ran, the
    # replicator re-acquires at the trim horizon (with a warning) instead of stalling on an iterator
    # it cannot get.
    db = tmp_path / "db"
    db.mkdir()
    server, client = replicating("--db-path", str(db), "--replicate", "src=dst", log_name="first.log")
    make_tables(client)
    client.put_item(TableName="src", Item={"pk": S("r1")})
    wait_for("r1", lambda: "Item" in client.get_item(TableName="dst", Key={"pk": S("r1")}))
    stop_cleanly(server)

    plain = server_factory("--db-path", str(db), "--stream-retention", "1", log_name="plain.log")
    c = util.client_for(plain.url)
    for pk in ("r2", "r3"):
        c.put_item(TableName="src", Item={"pk": S(pk)})
    wait_for("r2 and r3 to be trimmed", lambda: not [r for r in stream_records(plain.url, "src")[0]
                                                     if r["dynamodb"]["Keys"]["pk"]["S"] in ("r2", "r3")])
    c.put_item(TableName="src", Item={"pk": S("r4")})
    stop_cleanly(plain)

    server, client = replicating("--db-path", str(db), "--replicate", "src=dst", log_name="second.log")
    wait_for("r4", lambda: "Item" in client.get_item(TableName="dst", Key={"pk": S("r4")}))
    assert sorted(scan_all(client, "dst")) == ["r1", "r4"]
    assert "older than the stream's trim horizon" in server.log()


# ---------------------------------------------------------------------------------------------
# Options (Lambda's event source mapping settings)
# ---------------------------------------------------------------------------------------------

def test_batch_size(replicating, server_factory, tmp_path):
    # why: BatchSize caps each batch: a backlog of 50 records goes in batches of 7 (7 x 7 + 1).
    db = tmp_path / "db"
    db.mkdir()
    write_backlog(server_factory, db, 50)
    server, client = replicating("--db-path", str(db), "--replicate", "src=dst,BatchSize=7")
    s = wait_for("the backlog", lambda: status(server)["RecordsProcessed"] == 50 and status(server))
    assert s["BatchesProcessed"] == 8
    assert same_as_source(client)


def test_batch_size_above_get_records_limit(replicating, server_factory, tmp_path):
    # why: BatchSize may exceed GetRecords' 1000-record limit: records of several reads form one batch.
    db = tmp_path / "db"
    db.mkdir()
    write_backlog(server_factory, db, 2500)
    server, client = replicating("--db-path", str(db), "--replicate", "src=dst,BatchSize=2000")
    s = wait_for("the backlog", lambda: status(server)["RecordsProcessed"] == 2500 and status(server), timeout=60)
    assert s["BatchesProcessed"] == 2


def test_batching_window(replicating):
    # why: MaximumBatchingWindowInSeconds gathers records that arrive within the window into one batch.
    server, client = replicating("--replicate", "src=dst,MaximumBatchingWindowInSeconds=2")
    make_tables(client)
    for i in range(5):
        client.put_item(TableName="src", Item={"pk": S(f"k{i}")})
    s = wait_for("the batch", lambda: status(server)["RecordsProcessed"] == 5 and status(server), timeout=10)
    assert s["BatchesProcessed"] == 1


@pytest.mark.parametrize("position, expected", [("TRIM_HORIZON", 13), ("LATEST", 3)])
def test_starting_position(replicating, server_factory, tmp_path, position, expected):
    # why: TRIM_HORIZON replicates what the stream already holds; LATEST only what is written after
    # the mapping starts.
    db = tmp_path / "db"
    db.mkdir()
    write_backlog(server_factory, db, 10)
    server, client = replicating("--db-path", str(db), "--replicate", f"src=dst,StartingPosition={position}")
    wait_for("the mapping to attach", lambda: status(server)["State"] == "Enabled")
    for i in range(3):
        client.put_item(TableName="src", Item={"pk": S(f"new{i}")})
    wait_for("the new items", lambda: all("Item" in client.get_item(TableName="dst", Key={"pk": S(f"new{i}")})
                                          for i in range(3)))
    wait_for(f"{expected} items", lambda: len(scan_all(client, "dst")) == expected)
    # the counters move just after the batch commits
    wait_for(f"{expected} records counted", lambda: status(server)["RecordsProcessed"] == expected)


def test_latest_survives_restart(replicating, server_factory, tmp_path):
    # why: LATEST applies once, when the mapping first starts: after a restart it resumes from its
    # checkpoints and neither replays the old records nor skips the ones written while it was down.
    db = tmp_path / "db"
    db.mkdir()
    write_backlog(server_factory, db, 10)
    flags = ("--db-path", str(db), "--replicate", "src=dst,StartingPosition=LATEST")
    server, client = replicating(*flags, log_name="first.log")
    wait_for("the mapping to attach", lambda: status(server)["State"] == "Enabled")
    stop_cleanly(server)
    plain = server_factory("--db-path", str(db), log_name="plain.log")   # writes while no replicator runs
    util.client_for(plain.url).put_item(TableName="src", Item={"pk": S("while-down")})
    stop_cleanly(plain)
    server, client = replicating(*flags, log_name="second.log")
    wait_for("the item written while down", lambda: "Item" in client.get_item(TableName="dst", Key={"pk": S("while-down")}))
    assert len(scan_all(client, "dst")) == 1


def test_retry_attempts_and_on_failure_file(replicating, tmp_path):
    # why: MaximumRetryAttempts bounds the retries of a failing batch; its records then go to the
    # on-failure destination (shard and sequence range, Lambda's record shape), the checkpoint moves
    # past them, and later records flow again.
    failures = tmp_path / "failed.jsonl"
    server, client = replicating("--replicate", f"src=dst,MaximumRetryAttempts=2,OnFailure={failures}")
    make_tables(client, dst=None)
    for i in range(3):
        client.put_item(TableName="src", Item={"pk": S(f"k{i}")})
    wait_for("3 records reported", lambda: sum(l["DDBStreamBatchInfo"]["batchSize"] for l in failure_lines(failures)) == 3)
    lines = failure_lines(failures)
    seqs = [r["dynamodb"]["SequenceNumber"] for r in stream_records(server.url, "src")[0]]
    assert lines[0]["DDBStreamBatchInfo"]["startSequenceNumber"] == seqs[0]
    assert lines[-1]["DDBStreamBatchInfo"]["endSequenceNumber"] == seqs[-1]
    for line in lines:
        assert line["requestContext"] == {"condition": "RetryAttemptsExhausted", "approximateInvokeCount": 3}
        assert "Table: dst not found" in line["responseContext"]["functionError"]
        info = line["DDBStreamBatchInfo"]
        assert info["shardId"].startswith("shardId-") and info["streamArn"].endswith(
            client.describe_table(TableName="src")["Table"]["LatestStreamArn"].split("/")[-1])
    wait_for("the count of failed records", lambda: status(server)["RecordsFailed"] == 3)
    util.create_table(client, "dst", [("pk", "S")])
    client.put_item(TableName="src", Item={"pk": S("later")})
    wait_for("the later item", lambda: "Item" in client.get_item(TableName="dst", Key={"pk": S("later")}))
    assert list(scan_all(client, "dst")) == ["later"]


def poison_backlog(server_factory, db):
    """8 records; the 6th cannot be written to dst, whose GSI wants g as a number."""
    server = server_factory("--db-path", str(db), log_name="backlog.log")
    client = util.client_for(server.url)
    util.create_table(client, "dst", [("pk", "S")],
                      AttributeDefinitions=[{"AttributeName": "g", "AttributeType": "N"}],
                      GlobalSecondaryIndexes=[{"IndexName": "byg", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                               "Projection": {"ProjectionType": "ALL"}}])
    make_tables(client, dst=None)
    for i in range(8):
        client.put_item(TableName="src", Item={"pk": S(f"k{i}"), "g": S("poison") if i == 5 else N(i)})
    seqs = [r["dynamodb"]["SequenceNumber"] for r in stream_records(server.url, "src")[0]]
    stop_cleanly(server)
    return seqs


def test_bisect_batch_on_function_error(replicating, server_factory, tmp_path):
    # why: with BisectBatchOnFunctionError the failing batch is split until the bad record is alone;
    # the 7 good records are replicated and only the bad one goes to the on-failure file.
    db = tmp_path / "db"
    db.mkdir()
    seqs = poison_backlog(server_factory, db)
    failures = tmp_path / "failed.jsonl"
    server, client = replicating("--db-path", str(db), "--replicate",
                                 f"src=dst,BatchSize=8,BisectBatchOnFunctionError=true,MaximumRetryAttempts=1,OnFailure={failures}")
    wait_for("the bad record reported", lambda: failure_lines(failures))
    wait_for("the good records", lambda: len(scan_all(client, "dst")) == 7)
    [line] = failure_lines(failures)
    info = line["DDBStreamBatchInfo"]
    assert (info["batchSize"], info["startSequenceNumber"], info["endSequenceNumber"]) == (1, seqs[5], seqs[5])
    assert "Type mismatch" in line["responseContext"]["functionError"]
    assert "k5" not in scan_all(client, "dst")


def test_without_bisect_whole_batch_fails(replicating, server_factory, tmp_path):
    # why: the contrast: without bisecting, the whole failing batch is retried and then discarded.
    db = tmp_path / "db"
    db.mkdir()
    seqs = poison_backlog(server_factory, db)
    failures = tmp_path / "failed.jsonl"
    server, client = replicating("--db-path", str(db), "--replicate",
                                 f"src=dst,BatchSize=8,MaximumRetryAttempts=1,OnFailure={failures}")
    [line] = wait_for("the batch reported", lambda: failure_lines(failures))
    info = line["DDBStreamBatchInfo"]
    assert (info["batchSize"], info["startSequenceNumber"], info["endSequenceNumber"]) == (8, seqs[0], seqs[7])
    assert line["requestContext"]["approximateInvokeCount"] == 2
    assert scan_all(client, "dst") == {}
    wait_for("the count of failed records", lambda: status(server)["RecordsFailed"] == 8)


def test_maximum_record_age(replicating, tmp_path):
    # why: MaximumRecordAgeInSeconds discards records that got too old while their batch kept failing
    # (here with unlimited retries), reporting them as RecordAgeExceeded.
    failures = tmp_path / "failed.jsonl"
    server, client = replicating("--replicate", f"src=dst,MaximumRecordAgeInSeconds=1,OnFailure={failures}")
    make_tables(client, dst=None)
    client.put_item(TableName="src", Item={"pk": S("old")})
    t0 = time.monotonic()
    [line] = wait_for("the old record reported", lambda: failure_lines(failures))
    assert time.monotonic() - t0 >= 0.9   # not before it was a second old
    assert line["requestContext"]["condition"] == "RecordAgeExceeded"
    assert line["DDBStreamBatchInfo"]["batchSize"] == 1
    util.create_table(client, "dst", [("pk", "S")])
    client.put_item(TableName="src", Item={"pk": S("young")})
    wait_for("the young item", lambda: "Item" in client.get_item(TableName="dst", Key={"pk": S("young")}))
    assert list(scan_all(client, "dst")) == ["young"]
