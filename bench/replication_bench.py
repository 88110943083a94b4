#!/usr/bin/python3
"""replication_bench.py — the `replication` workload of bench/run.sh: replication lag, from a write's
acknowledgement to the item being in the replica, for dynastream's bundled replicator. Standard
library only (plus wrk for the saturating load).

  replication_bench.py BINARY LOGFILE [SECONDS [RATE]]

Starts its own BINARY --in-memory --replicate bench=bench_replica on a free port (output in LOGFILE),
creates bench_replica (with a NEW_IMAGE stream of its own, to observe the replica's commits) and
bench (stream NEW_IMAGE), then measures two phases of SECONDS (default 5) each:
  steady  RATE (default 1000) PutItems per second from one paced keep-alive connection;
  max     wrk -c16 with bench/put.lua (every key new) as fast as the server takes them, while a probe
          connection makes 200 paced PutItems per second whose lag is measured.
Lag = when a consumer process, polling GetRecords in a tight loop on the replica's stream, got the
replica's record of the key - when the writer got the write's acknowledgement (CLOCK_MONOTONIC is one
clock across processes; a record seen before the writer read its own response counts as 0). The
replica's stream record commits in the same transaction as the replica's item, so this is when the
item became visible in the replica, plus at most one GetRecords round trip.
Prints one tab-separated row per phase for run.sh's add_row:
  workload conns rate p50_us p99_us errors
(rate = acknowledged writes/s; errors = writes not seen in the replica within 10 s) and, to stderr,
max lag, the p99 of each half of the phase (flat, not growing, when the replicator keeps up) and
how long the replica took to catch up after the saturating load stopped.
"""
import http.client
import json
import multiprocessing
import os
import subprocess
import sys
import threading
import time

from benchlib import Failed, connect, free_port, item, ok, percentile

SRC, DST = "bench", "bench_replica"   # SRC is bench/common.lua's table, so put.lua writes into it
PROBE_RATE = 200                      # probe writes/s during the saturating phase
SEEN_TIMEOUT_S = 10.0
POLL_IDLE_S = float(os.environ.get("BENCH_POLL_IDLE_S", "0.0002"))
BENCH_DIR = os.path.dirname(os.path.abspath(__file__))


def start_server(binary, log):
    port = free_port()
    proc = subprocess.Popen([binary, "--in-memory", "--port", str(port), "--replicate", "%s=%s" % (SRC, DST)],
                            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            conn = connect(port)
            ok(conn, "ListTables", {})
            conn.close()
            return proc, port
        except (OSError, http.client.HTTPException, Failed):
            if proc.poll() is not None:
                raise Failed("the server exited at start-up (see its log)")
            time.sleep(0.05)
    proc.kill()
    raise Failed("the server did not answer within 20 s")


def create_tables(port):
    conn = connect(port)
    for name in (DST, SRC):
        ok(conn, "CreateTable", {
            "TableName": name, "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}})
    return ok(conn, "DescribeTable", {"TableName": DST})["Table"]["LatestStreamArn"]


def replicator_status(port):
    conn = connect(port)
    conn.request("GET", "/replicator")
    body = json.loads(conn.getresponse().read())
    conn.close()
    return body["Replicators"][0]


def consumer(port, arn, prefixes, stop, ready, out):
    """Child process: tails the replica's stream (its open shard, from LATEST) and sends back
    {key: monotonic time first seen} for keys starting with one of prefixes."""
    try:
        conn = connect(port)
        shards = ok(conn, "Streams.DescribeStream", {"StreamArn": arn})["StreamDescription"]["Shards"]
        it = ok(conn, "Streams.GetShardIterator", {"StreamArn": arn, "ShardId": shards[-1]["ShardId"],
                                                  "ShardIteratorType": "LATEST"})["ShardIterator"]
        seen = {}
        ready.set()
        while not stop.is_set():
            page = ok(conn, "Streams.GetRecords", {"ShardIterator": it, "Limit": 1000})
            now = time.monotonic()
            for record in page["Records"]:
                key = record["dynamodb"]["Keys"]["pk"]["S"]
                if key.startswith(prefixes):
                    seen.setdefault(key, now)
            it = page.get("NextShardIterator")
            if it is None:
                raise Failed("the replica's shard closed during the measurement")
            if not page["Records"]:
                time.sleep(POLL_IDLE_S)
        out.send(seen)
    except Exception as e:   # reported by the parent
        out.send("consumer: %r" % e)


def paced_writes(port, prefix, rate, seconds, acks):
    """PutItems of new keys at `rate` per second for `seconds`; acks[key] = acknowledgement time."""
    conn = connect(port)
    interval, n = 1.0 / rate, 0
    start = time.monotonic()
    while True:
        due = start + n * interval
        now = time.monotonic()
        if due - start >= seconds:
            break
        if due > now:
            time.sleep(due - now)
        key = "%s%07d" % (prefix, n)
        ok(conn, "PutItem", {"TableName": SRC, "Item": item(key)})
        acks[key] = time.monotonic()
        n += 1
    return n / (time.monotonic() - start)


def lags(acks, seen):
    """Lag samples in µs (ack order) and the number of acknowledged writes never seen."""
    out, missing = [], 0
    for key, acked in sorted(acks.items(), key=lambda kv: kv[1]):
        if key in seen:
            out.append(max(0.0, seen[key] - acked) * 1e6)
        else:
            missing += 1
    return out, missing


def describe(name, samples, missing):
    half = len(samples) // 2
    print("replication %s: %d writes, lag p50 %.0f us, p99 %.0f us, max %.0f us; p99 first half %.0f us, "
          "second half %.0f us; %d not seen" % (
              name, len(samples) + missing, percentile(samples, 0.5), percentile(samples, 0.99),
              max(samples) if samples else 0, percentile(samples[:half], 0.99),
              percentile(samples[half:], 0.99), missing), file=sys.stderr)


def measure(port, arn, prefixes, body):
    """Runs body() (which fills acks) with a consumer process tailing the replica."""
    ctx = multiprocessing.get_context("fork")
    stop, ready = ctx.Event(), ctx.Event()
    parent_end, child_end = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=consumer, args=(port, arn, prefixes, stop, ready, child_end))
    proc.start()
    if not ready.wait(30):
        proc.kill()
        raise Failed("the consumer did not start")
    try:
        achieved, acks, total = body({})
        # let the replica and the consumer catch up with the last writes, then collect
        deadline = time.monotonic() + SEEN_TIMEOUT_S
        while time.monotonic() < deadline and replicator_status(port)["RecordsProcessed"] < total:
            time.sleep(0.05)
        time.sleep(0.2)    # a few more GetRecords rounds for the consumer
    finally:
        stop.set()
    seen = parent_end.recv() if parent_end.poll(60) else "consumer: no answer"
    proc.join(10)
    if isinstance(seen, str):
        raise Failed(seen)
    return achieved, acks, seen


def main():
    if len(sys.argv) < 3:
        raise Failed("usage: replication_bench.py BINARY LOGFILE [SECONDS [RATE]]")
    binary, logfile = sys.argv[1], sys.argv[2]
    seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 5.0
    rate = float(sys.argv[4]) if len(sys.argv) > 4 else 1000.0
    with open(logfile, "ab") as log:
        proc, port = start_server(binary, log)
        try:
            arn = create_tables(port)
            deadline = time.monotonic() + 10   # the mapping attaches to the new stream (one-time)
            while replicator_status(port)["State"] != "Enabled":
                if time.monotonic() > deadline:
                    raise Failed("the replicator did not attach: %r" % replicator_status(port))
                time.sleep(0.01)
            total = [0]

            def steady(acks):
                got = paced_writes(port, "s-", rate, seconds, acks)
                total[0] += len(acks)
                return got, acks, total[0]

            achieved, acks, seen = measure(port, arn, ("s-",), steady)
            samples, missing = lags(acks, seen)
            describe("steady", samples, missing)
            print("ReplicationLag\t1\t%.1f\t%.0f\t%.0f\t%d" % (achieved, percentile(samples, 0.5),
                                                               percentile(samples, 0.99), missing))

            def saturate(acks):
                wrk_out = []

                def run_wrk():
                    env = dict(os.environ, BENCH_DIR=BENCH_DIR)
                    p = subprocess.run(["wrk", "-t2", "-c16", "-d%ds" % int(seconds), "--timeout", "5s",
                                        "-s", os.path.join(BENCH_DIR, "put.lua"), "http://127.0.0.1:%d/" % port,
                                        "--", "repl"], capture_output=True, text=True, env=env)
                    wrk_out.append(p.stdout)

                t = threading.Thread(target=run_wrk)
                t.start()
                paced_writes(port, "p-probe-", PROBE_RATE, seconds, acks)
                t.join()
                line = [l for l in wrk_out[0].splitlines() if l.startswith("BENCH_RESULT ")]
                if not line:
                    raise Failed("wrk failed: " + wrk_out[0][-300:])
                f = line[0].split()
                wrk_requests, wrk_us, wrk_errors = int(f[1]), int(f[2]), int(f[5]) + int(f[6])
                ended = time.monotonic()
                total[0] += wrk_requests - wrk_errors + len(acks)
                # the backlog left when the load stops, and how long the replica takes to drain it
                while replicator_status(port)["RecordsProcessed"] < total[0] and time.monotonic() - ended < 60:
                    time.sleep(0.005)
                print("replication max: wrk %d PutItems (%d errors) in %.1f s, PutItem p50 %s us, p99 %s us; "
                      "replica caught up %.0f ms after the load stopped" % (
                          wrk_requests, wrk_errors, wrk_us / 1e6, f[3], f[4],
                          (time.monotonic() - ended) * 1e3), file=sys.stderr)
                return (wrk_requests + len(acks)) / (wrk_us / 1e6), acks, total[0]

            achieved, acks, seen = measure(port, arn, ("p-probe-",), saturate)
            samples, missing = lags(acks, seen)
            describe("max", samples, missing)
            print("ReplicationLagMax\t16\t%.1f\t%.0f\t%.0f\t%d" % (achieved, percentile(samples, 0.5),
                                                                   percentile(samples, 0.99), missing))
            st = replicator_status(port)
            print("replication: replicator status: %d records processed, %d failed, last IteratorAge %d ms" % (
                st["RecordsProcessed"], st["RecordsFailed"], st["IteratorAgeMilliseconds"]), file=sys.stderr)
        finally:
            proc.terminate()
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


if __name__ == "__main__":
    try:
        main()
    except Failed as e:
        print("replication_bench: %s" % e, file=sys.stderr)
        sys.exit(1)
