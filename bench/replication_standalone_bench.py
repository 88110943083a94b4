#!/usr/bin/python3
"""replication_standalone_bench.py — the `standalone` workload of bench/run.sh: replication lag of
build/dynastream-replicator, the standalone replicator, polling a source server over HTTP — the
figure a user of Amazon's DynamoDB Local gets today with a polling consumer, and the same for
dynastream as the source. Standard library only.

  replication_standalone_bench.py REPLICATOR DYNASTREAM SOURCE_PORT WORKDIR [SECONDS [RATE [POLLS]]]

SOURCE_PORT is the server under test (started by run.sh). For each polling interval in POLLS
(comma-separated ms, default "250,0": Lambda's four polls a second, and back to back) it creates a
fresh source table (stream NEW_IMAGE) there, starts a target dynastream of its own (DYNASTREAM
--in-memory) with a replica table (stream NEW_IMAGE, to observe the replica's commits), runs
REPLICATOR from the one to the other, and makes RATE (default 1000) paced PutItems per second for
SECONDS (default 5) from one keep-alive connection.
Lag = when a consumer process tailing the replica's stream (GetRecords in a tight loop on the target
dynastream, well under a millisecond a round) got the replica's record of the key - when the writer
got the write's acknowledgement from the source (CLOCK_MONOTONIC across processes).
Prints one tab-separated row per interval for run.sh's add_row:
  workload conns rate p50_us p99_us errors
(rate = acknowledged writes/s, which falls short of RATE when the source cannot take them from one
connection; errors = writes not seen in the replica within 15 s) and, to stderr, the max lag and the
p99 of each half of the phase (flat when the replicator keeps up). Logs and checkpoints stay in
WORKDIR. Everything started here is stopped by pid at the end.
"""
import http.client
import json
import multiprocessing
import os
import re
import signal
import subprocess
import sys
import time

from benchlib import Failed, connect, free_port, item, ok, percentile

ACCESS_KEY = "bench"     # the key of run.sh's other requests (tables are kept per access key)
SEEN_TIMEOUT_S = 15.0


def ddb(conn, op, body):
    return ok(conn, op, body)


def streams(conn, op, body):
    return ok(conn, "Streams." + op, body)


def create_table(port, name):
    conn = connect(port)
    ddb(conn, "CreateTable", {
        "TableName": name, "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}})
    deadline = time.monotonic() + 60
    while True:
        table = ddb(conn, "DescribeTable", {"TableName": name})["Table"]
        if table["TableStatus"] == "ACTIVE":
            return table["LatestStreamArn"]
        if time.monotonic() > deadline:
            raise Failed("table %s never became ACTIVE" % name)
        time.sleep(0.05)


def start(args, log, ready):
    """Starts a process with output in log; ready(text) -> value once it is up (bounded)."""
    env = dict(os.environ, AWS_ACCESS_KEY_ID=ACCESS_KEY, AWS_SECRET_ACCESS_KEY="bench",
               AWS_REGION="us-east-1")
    with open(log, "wb") as out:   # a fresh log: ready() must not find an earlier run's lines
        proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                env=env)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        value = ready(open(log, errors="replace").read())
        if value is not None:
            return proc, value
        if proc.poll() is not None:
            raise Failed("%s exited at start-up (see %s)" % (args[0], log))
        time.sleep(0.02)
    stop(proc)
    raise Failed("%s did not start within 20 s (see %s)" % (args[0], log))


def stop(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def answers(port):
    try:
        ddb(connect(port), "ListTables", {})
        return True
    except (OSError, http.client.HTTPException, Failed):
        return False


def status(url):
    host, port = re.match(r"http://([^:/]+):(\d+)", url).groups()
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    conn.request("GET", "/replicator")
    return json.loads(conn.getresponse().read())


def consumer(port, arn, stop_event, ready, out):
    """Child process: tails the replica's stream from LATEST; sends {key: monotonic first seen}."""
    try:
        conn = connect(port)
        shards = streams(conn, "DescribeStream", {"StreamArn": arn})["StreamDescription"]["Shards"]
        it = streams(conn, "GetShardIterator", {"StreamArn": arn, "ShardId": shards[-1]["ShardId"],
                                                "ShardIteratorType": "LATEST"})["ShardIterator"]
        seen = {}
        ready.set()
        while not stop_event.is_set():
            page = streams(conn, "GetRecords", {"ShardIterator": it, "Limit": 1000})
            now = time.monotonic()
            for record in page["Records"]:
                seen.setdefault(record["dynamodb"]["Keys"]["pk"]["S"], now)
            it = page.get("NextShardIterator")
            if it is None:
                raise Failed("the replica's shard closed during the measurement")
            if not page["Records"]:
                time.sleep(0.0002)
        out.send(seen)
    except Exception as e:   # reported by the parent
        out.send("consumer: %r" % e)


def paced_writes(port, table, rate, seconds, acks):
    conn = connect(port)
    interval, n = 1.0 / rate, 0
    begin = time.monotonic()
    while True:
        due = begin + n * interval
        now = time.monotonic()
        if due - begin >= seconds:
            break
        if due > now:
            time.sleep(due - now)
        key = "k%07d" % n
        ddb(conn, "PutItem", {"TableName": table, "Item": item(key)})
        acks[key] = time.monotonic()
        n += 1
    return n / (time.monotonic() - begin)


def phase(replicator, dynastream, source_port, workdir, seconds, rate, poll_ms):
    tag = "p%d" % poll_ms
    src = "standalone_src_%s_%d" % (tag, os.getpid())
    dst = "standalone_dst_%s" % tag
    procs = []
    try:
        target_port = free_port()
        target, _ = start([dynastream, "--in-memory", "--port", str(target_port)],
                          os.path.join(workdir, "standalone-target-%s.log" % tag),
                          lambda text: True if answers(target_port) else None)
        procs.append(target)
        create_table(source_port, src)
        dst_arn = create_table(target_port, dst)
        checkpoint = os.path.join(workdir, "standalone-%s.db" % tag)
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(checkpoint + suffix):
                os.unlink(checkpoint + suffix)
        repl, status_url = start(
            [replicator, "--source-endpoint", "http://127.0.0.1:%d" % source_port, "--source-table", src,
             "--target-endpoint", "http://127.0.0.1:%d" % target_port, "--target-table", dst,
             "--poll-interval-ms", str(poll_ms), "--checkpoint-db", checkpoint, "--status-port", "0"],
            os.path.join(workdir, "standalone-replicator-%s.log" % tag),
            lambda text: (re.search(r"status: (http://\S+)", text) or [None, None])[1])
        procs.append(repl)
        deadline = time.monotonic() + 20
        while status(status_url)["State"] != "Enabled":
            if time.monotonic() > deadline:
                raise Failed("the replicator did not attach: %r" % status(status_url))
            time.sleep(0.02)

        ctx = multiprocessing.get_context("fork")
        stop_event, ready = ctx.Event(), ctx.Event()
        parent_end, child_end = ctx.Pipe(duplex=False)
        cons = ctx.Process(target=consumer, args=(target_port, dst_arn, stop_event, ready, child_end))
        cons.start()
        if not ready.wait(30):
            cons.kill()
            raise Failed("the consumer did not start")
        acks = {}
        try:
            achieved = paced_writes(source_port, src, rate, seconds, acks)
            deadline = time.monotonic() + SEEN_TIMEOUT_S
            while time.monotonic() < deadline and status(status_url)["RecordsProcessed"] < len(acks):
                time.sleep(0.05)
            time.sleep(0.3)   # a few more GetRecords rounds for the consumer
        finally:
            stop_event.set()
        seen = parent_end.recv() if parent_end.poll(60) else "consumer: no answer"
        cons.join(10)
        if isinstance(seen, str):
            raise Failed(seen)
        samples, missing = [], 0
        for key, acked in sorted(acks.items(), key=lambda kv: kv[1]):
            if key in seen:
                samples.append(max(0.0, seen[key] - acked) * 1e6)
            else:
                missing += 1
        half = len(samples) // 2
        st = status(status_url)
        print("standalone poll %d ms: %d writes at %.0f/s, lag p50 %.1f ms, p99 %.1f ms, max %.1f ms; p99 "
              "first half %.1f ms, second half %.1f ms; %d not seen; replicator: %d records, last "
              "IteratorAge %d ms, %d GetRecords calls" % (
                  poll_ms, len(acks), achieved, percentile(samples, 0.5) / 1e3,
                  percentile(samples, 0.99) / 1e3, (max(samples) if samples else 0) / 1e3,
                  percentile(samples[:half], 0.99) / 1e3, percentile(samples[half:], 0.99) / 1e3,
                  missing, st["RecordsProcessed"], st["IteratorAgeMilliseconds"], st["GetRecordsCalls"]),
              file=sys.stderr)
        print("StandaloneLag poll=%dms\t1\t%.1f\t%.0f\t%.0f\t%d" % (
            poll_ms, achieved, percentile(samples, 0.5), percentile(samples, 0.99), missing))
        sys.stdout.flush()
    finally:
        for p in reversed(procs):
            stop(p)
        try:
            ddb(connect(source_port), "DeleteTable", {"TableName": src})
        except (OSError, http.client.HTTPException, Failed):
            pass


def main():
    if len(sys.argv) < 5:
        raise Failed("usage: replication_standalone_bench.py REPLICATOR DYNASTREAM SOURCE_PORT WORKDIR "
                     "[SECONDS [RATE [POLLS]]]")
    replicator, dynastream, source_port, workdir = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    seconds = float(sys.argv[5]) if len(sys.argv) > 5 else 5.0
    rate = float(sys.argv[6]) if len(sys.argv) > 6 else 1000.0
    polls = [int(p) for p in (sys.argv[7] if len(sys.argv) > 7 else "250,0").split(",") if p != ""]
    for exe in (replicator, dynastream):
        if not os.access(exe, os.X_OK):
            raise Failed("%s is not built (make)" % exe)
    os.makedirs(workdir, exist_ok=True)
    for poll_ms in polls:
        phase(replicator, dynastream, source_port, workdir, seconds, rate, poll_ms)


if __name__ == "__main__":
    try:
        main()
    except Failed as e:
        print("replication_standalone_bench: %s" % e, file=sys.stderr)
        sys.exit(1)
