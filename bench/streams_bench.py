#!/usr/bin/python3
"""streams_bench.py — the `streams` workload of bench/run.sh: DynamoDB Streams read throughput and
the lag from a write's acknowledgement to its record being readable. Standard library only.

  streams_bench.py PORT [RECORDS [WRITES]]

Creates table streams_bench (hash key pk S, on demand, stream NEW_IMAGE) on 127.0.0.1:PORT, then:
  read  preloads RECORDS (default 20000) ~300-byte items with 8 keep-alive connections, and reads
        every record of the stream from TRIM_HORIZON with GetRecords Limit 1000 on one connection,
        shards parents first (after one unmeasured read of the first page);
        rate = records / wall time of the read; p50/p99 = latency of one GetRecords call.
  lag   a consumer process polls GetRecords in a tight loop from a LATEST iterator on its own
        connection while this process makes WRITES (default 1000) PutItems, one every 2 ms or
        slower if a write takes longer; lag = when the consumer got the record - when the writer got
        the write's acknowledgement (CLOCK_MONOTONIC is one clock across processes; a record seen
        before the writer read its own response counts as 0); rate = writes/s of the pacing.
Prints one tab-separated row per measurement for run.sh's add_row:
  workload conns rate p50_us p99_us errors
where errors counts non-200 answers (read) or writes whose record never arrived within 5 s (lag).
Requests carry the same unsigned SigV4-shaped headers as the wrk scripts (bench/benchlib.py).
Exits non-zero with the reason on stderr if the server has no streams or a step fails.
"""
import http.client
import multiprocessing
import sys
import threading
import time

from benchlib import Failed, call, connect, item, ok, percentile

TABLE = "streams_bench"
PRELOAD_THREADS = 8
PACE_S = 0.002               # at most one lag-measurement write per 2 ms
LAG_TIMEOUT_S = 5.0


def setup(port):
    """Creates the table with its stream (waits until ACTIVE); returns the stream ARN."""
    conn = connect(port)
    ok(conn, "CreateTable", {
        "TableName": TABLE, "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}})
    deadline = time.monotonic() + 60
    while True:
        table = ok(conn, "DescribeTable", {"TableName": TABLE})["Table"]
        if table.get("TableStatus") == "ACTIVE" and table.get("LatestStreamArn"):
            return table["LatestStreamArn"]
        if time.monotonic() > deadline:
            raise Failed("table not ACTIVE with a stream after 60 s")
        time.sleep(0.05)


def shards_parents_first(conn, arn):
    shards, start = [], None
    while True:
        body = {"StreamArn": arn}
        if start:
            body["ExclusiveStartShardId"] = start
        desc = ok(conn, "Streams.DescribeStream", body)["StreamDescription"]
        shards += desc["Shards"]
        start = desc.get("LastEvaluatedShardId")
        if not start:
            break
    by_id, done, out = {s["ShardId"]: s for s in shards}, set(), []

    def visit(shard):
        if shard["ShardId"] not in done:
            if shard.get("ParentShardId") in by_id:
                visit(by_id[shard["ParentShardId"]])
            done.add(shard["ShardId"])
            out.append(shard)

    for shard in shards:
        visit(shard)
    return out


def preload(port, count):
    failures = []

    def worker(first):
        conn = connect(port)
        try:
            for i in range(first, count, PRELOAD_THREADS):
                status, body = call(conn, "PutItem", {"TableName": TABLE, "Item": item("r-%07d" % i, i)})
                if status != 200:
                    failures.append("PutItem: HTTP %d %s" % (status, str(body)[:300]))
                    return
        except (OSError, http.client.HTTPException) as e:
            failures.append("connection: %r" % e)
        finally:
            conn.close()

    threads = [threading.Thread(target=worker, args=(t,)) for t in range(PRELOAD_THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        raise Failed("preload: " + failures[0])


def measure_read(port, arn, count):
    """Reads the whole stream with Limit 1000; returns (records/s, p50_us, p99_us, errors)."""
    conn = connect(port)
    shards = shards_parents_first(conn, arn)
    first = ok(conn, "Streams.GetShardIterator", {"StreamArn": arn, "ShardId": shards[0]["ShardId"],
                                                 "ShardIteratorType": "TRIM_HORIZON"})["ShardIterator"]
    ok(conn, "Streams.GetRecords", {"ShardIterator": first, "Limit": 1000})   # warm-up, not measured
    got, calls, errors = 0, [], 0   # any non-200 answer stops the run instead
    t0 = time.monotonic()
    for shard in shards:
        it = ok(conn, "Streams.GetShardIterator", {"StreamArn": arn, "ShardId": shard["ShardId"],
                                                  "ShardIteratorType": "TRIM_HORIZON"})["ShardIterator"]
        while it:
            c0 = time.monotonic()
            status, page = call(conn, "Streams.GetRecords", {"ShardIterator": it, "Limit": 1000})
            calls.append(time.monotonic() - c0)
            if status != 200:
                raise Failed("GetRecords: HTTP %d %s" % (status, str(page)[:300]))
            got += len(page["Records"])
            it = page.get("NextShardIterator") if page["Records"] else None
    elapsed = time.monotonic() - t0
    if got < count:
        raise Failed("read %d records of the %d written" % (got, count))
    calls.sort()
    return got / elapsed, percentile(calls, 0.5) * 1e6, percentile(calls, 0.99) * 1e6, errors


def consumer(port, iterator, expected, ready, out):
    """Child process: polls GetRecords from `iterator` until every expected key is seen (or time runs
    out); sends {key: monotonic time first seen} (or an error string) through `out`."""
    try:
        conn = connect(port)
        seen, it = {}, iterator
        ready.set()
        deadline = time.monotonic() + 60 + expected * LAG_TIMEOUT_S / 100
        while len(seen) < expected and time.monotonic() < deadline:
            page = ok(conn, "Streams.GetRecords", {"ShardIterator": it})
            now = time.monotonic()
            for record in page["Records"]:
                seen.setdefault(record["dynamodb"]["Keys"]["pk"]["S"], now)
            it = page.get("NextShardIterator")
            if it is None:
                raise Failed("the shard closed during the lag measurement")
        out.send(seen)
    except Exception as e:   # reported by the parent
        out.send("consumer: %r" % e)


def measure_lag(port, arn, writes):
    """Returns (writes/s, p50_us, p99_us, missing records)."""
    conn = connect(port)
    shard = shards_parents_first(conn, arn)[-1]["ShardId"]
    it = ok(conn, "Streams.GetShardIterator", {"StreamArn": arn, "ShardId": shard,
                                              "ShardIteratorType": "LATEST"})["ShardIterator"]
    ctx = multiprocessing.get_context("fork")
    ready, (receive, send) = ctx.Event(), ctx.Pipe(duplex=False)
    proc = ctx.Process(target=consumer, args=(port, it, writes, ready, send))
    proc.start()
    if not ready.wait(30):
        proc.kill()
        raise Failed("consumer did not start")
    time.sleep(0.05)
    acked = {}
    t0 = time.monotonic()
    for i in range(writes):
        key = "lag-%06d" % i
        start = time.monotonic()
        ok(conn, "PutItem", {"TableName": TABLE, "Item": item(key, i)})
        acked[key] = time.monotonic()
        rest = PACE_S - (acked[key] - start)
        if rest > 0:
            time.sleep(rest)
    elapsed = time.monotonic() - t0
    if not receive.poll(60 + writes * LAG_TIMEOUT_S / 100):
        proc.kill()
        raise Failed("consumer gave no result")
    seen = receive.recv()
    proc.join(10)
    if isinstance(seen, str):
        raise Failed(seen)
    lags = sorted(max(0.0, seen[k] - t) for k, t in acked.items() if k in seen and seen[k] - t < LAG_TIMEOUT_S)
    missing = writes - len(lags)
    return writes / elapsed, percentile(lags, 0.5) * 1e6, percentile(lags, 0.99) * 1e6, missing


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    port = int(argv[1])
    records = int(argv[2]) if len(argv) > 2 else 20000
    writes = int(argv[3]) if len(argv) > 3 else 1000
    try:
        arn = setup(port)
        preload(port, records)
        rate, p50, p99, errors = measure_read(port, arn, records)
        print("GetRecords\t1\t%.1f\t%.0f\t%.0f\t%d" % (rate, p50, p99, errors))
        sys.stdout.flush()
        rate, p50, p99, missing = measure_lag(port, arn, writes)
        print("StreamLag\t1\t%.1f\t%.0f\t%.0f\t%d" % (rate, p50, p99, missing))
    except (Failed, OSError, http.client.HTTPException, KeyError) as e:
        print("streams_bench: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
