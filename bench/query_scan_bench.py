#!/usr/bin/python3
"""query_scan_bench.py — the data behind the Query and Scan workloads of bench/run.sh, and the
Query-cost-versus-table-size measurement.

  load PORT PARTITIONS        table benchq (pk S, sk N): PARTITIONS partitions of 10 items each
  load-scan PORT ITEMS        table benchs (pk S): ITEMS items of ~300 bytes (more than 1 MB)
  scale PORT SMALL BIG N      tables benchq_small / benchq_big with SMALL and BIG items (10 per
                              partition), then N sequential Queries of random partitions on each
                              over one keep-alive connection; prints one TSV row per table:
                              workload conns queries/s p50_us p99_us errors

Loading uses BatchWriteItem from 8 threads (PutItem one by one where BatchWriteItem is refused).
Standard library only; talks to any endpoint that speaks DynamoDB's JSON protocol.
"""
import http.client
import json
import random
import sys
import threading
import time

from benchlib import call


def create(port, name, range_key):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    defs = [{"AttributeName": "pk", "AttributeType": "S"}]
    keys = [{"AttributeName": "pk", "KeyType": "HASH"}]
    if range_key:
        defs.append({"AttributeName": "sk", "AttributeType": "N"})
        keys.append({"AttributeName": "sk", "KeyType": "RANGE"})
    status, body = call(conn, "CreateTable", {"TableName": name, "AttributeDefinitions": defs,
                                              "KeySchema": keys, "BillingMode": "PAY_PER_REQUEST"})
    if status != 200 and "ResourceInUse" not in json.dumps(body):
        raise SystemExit(f"CreateTable {name}: {status} {body}")
    for _ in range(600):   # DynamoDB Local may say CREATING for a moment
        status, body = call(conn, "DescribeTable", {"TableName": name})
        if status == 200 and body["Table"]["TableStatus"] == "ACTIVE":
            return
        time.sleep(0.05)
    raise SystemExit(f"{name} never became ACTIVE")


def load(port, name, items, threads=8):
    """Writes the (name, item) list with BatchWriteItem, 25 at a time, from `threads` threads."""
    chunks = [items[i:i + 25] for i in range(0, len(items), 25)]
    errors = []

    def worker(part):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for chunk in part:
            req = {"RequestItems": {name: [{"PutRequest": {"Item": it}} for it in chunk]}}
            for _ in range(100):
                status, body = call(conn, "BatchWriteItem", req)
                if status != 200:
                    errors.append(f"{status} {body}")
                    return
                left = body.get("UnprocessedItems") or {}
                if not left:
                    break
                req = {"RequestItems": left}
    workers = [threading.Thread(target=worker, args=(chunks[i::threads],)) for i in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    if errors:
        raise SystemExit("load failed: " + errors[0][:300])


def partition_items(partitions):
    return [{"pk": {"S": f"q-{p:07d}"}, "sk": {"N": str(s)}, "v": {"S": "x" * 40}}
            for p in range(partitions) for s in range(10)]


def cmd_load(port, partitions):
    create(port, "benchq", True)
    load(port, "benchq", partition_items(partitions))


def cmd_load_scan(port, items):
    create(port, "benchs", False)
    load(port, "benchs", [{"pk": {"S": f"s-{i:08d}"}, "payload": {"S": "x" * 280}}
                          for i in range(items)])


def time_queries(port, name, partitions, n):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    rng = random.Random(7)
    lat = []
    errors = 0
    start = time.perf_counter()
    for _ in range(n):
        p = rng.randrange(partitions)
        t0 = time.perf_counter()
        status, body = call(conn, "Query", {"TableName": name, "KeyConditionExpression": "pk = :p",
                                            "ExpressionAttributeValues": {":p": {"S": f"q-{p:07d}"}}})
        lat.append(time.perf_counter() - t0)
        if status != 200 or body.get("Count") != 10:
            errors += 1
    elapsed = time.perf_counter() - start
    lat.sort()
    return n / elapsed, lat[len(lat) // 2] * 1e6, lat[int(len(lat) * 0.99)] * 1e6, errors


def cmd_scale(port, small, big, n):
    for name, items in (("benchq_small", small), ("benchq_big", big)):
        partitions = max(1, items // 10)
        create(port, name, True)
        t0 = time.perf_counter()
        load(port, name, partition_items(partitions))
        print(f"scale: loaded {partitions * 10} items into {name} in {time.perf_counter() - t0:.1f} s",
              file=sys.stderr)
        qps, p50, p99, errors = time_queries(port, name, partitions, n)
        label = f"Query@{items // 1000}k" if items < 1000000 else f"Query@{items // 1000000}M"
        print(f"{label}\t1\t{qps:.1f}\t{p50:.0f}\t{p99:.0f}\t{errors}")


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    cmd, port = argv[1], int(argv[2])
    if cmd == "load":
        cmd_load(port, int(argv[3]))
    elif cmd == "load-scan":
        cmd_load_scan(port, int(argv[3]))
    elif cmd == "scale":
        cmd_scale(port, int(argv[3]), int(argv[4]), int(argv[5]))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
