"""test_crash.py — crash consistency of the change log: writers under load, `kill -9`, restart on
the same --db-path, then every acknowledged write is in the table and has exactly one stream record,
in the order of that item's changes, and no write that was never acknowledged left a record (the one
write each writer had in flight at the kill may or may not have happened; if its item changed, its
record must be there too).

Starts its own dynastream processes (server_factory) on loopback; bounded in writes and in time.
"""
import random
import threading
import time

import pytest

import util

pytestmark = pytest.mark.server_only("kills and restarts its own dynastream on a --db-path")

WRITERS = 4
KEYS_PER_WRITER = 5
ENOUGH = 1500         # acknowledged writes before the kill
MAX_LOAD_SECONDS = 15  # ... or this long, whichever comes first


def S(value):
    return {"S": value}


def read_stream(streams, arn):
    """Every record of the stream: shards with parents before children, each from TRIM_HORIZON to
    its end (an empty page of an open shard, or no NextShardIterator of a closed one)."""
    shards, start = [], None
    while True:
        desc = streams.describe_stream(StreamArn=arn, **({"ExclusiveStartShardId": start} if start else {}))
        shards += desc["StreamDescription"]["Shards"]
        start = desc["StreamDescription"].get("LastEvaluatedShardId")
        if not start:
            break
    by_id, done, ordered = {s["ShardId"]: s for s in shards}, set(), []

    def visit(shard):
        if shard["ShardId"] not in done:
            if shard.get("ParentShardId") in by_id:
                visit(by_id[shard["ParentShardId"]])
            done.add(shard["ShardId"])
            ordered.append(shard)

    for shard in shards:
        visit(shard)
    records = []
    for shard in ordered:
        it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"],
                                        ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        while it:
            page = streams.get_records(ShardIterator=it)
            records += page["Records"]
            it = page.get("NextShardIterator") if page["Records"] else None
    return records


def writer(url, table, w, acked, in_flight, stop, counter):
    """Owns keys w<w>-k<i>; every write it makes changes its item (new values are unique, deletes only
    of items it knows exist), so each acknowledged write must have exactly one record. Appends
    (key, event, value) to `acked` after the acknowledgement; `in_flight[w]` is the write under way."""
    client = util.client_for(url)
    rnd = random.Random(w)
    keys = [f"w{w}-k{i}" for i in range(KEYS_PER_WRITER)]
    state = dict.fromkeys(keys)          # the value each key holds now (None: no item)
    n = 0
    while not stop.is_set():
        key = rnd.choice(keys)
        n += 1
        value = f"{w}:{n}"
        kind = rnd.choice(["put", "update"] if state[key] is None else ["put", "update", "update", "delete"])
        event = "INSERT" if state[key] is None else ("REMOVE" if kind == "delete" else "MODIFY")
        new = None if kind == "delete" else value
        in_flight[w] = (key, event, new)
        try:
            if kind == "put":
                client.put_item(TableName=table, Item={"pk": S(key), "v": S(value), "pad": S("p" * (n % 300))})
            elif kind == "update":
                client.update_item(TableName=table, Key={"pk": S(key)}, UpdateExpression="SET v = :v",
                                   ExpressionAttributeValues={":v": S(value)})
            else:
                client.delete_item(TableName=table, Key={"pk": S(key)})
        except Exception:   # the kill (or anything else): not acknowledged, left in flight
            return
        acked.append((key, event, new))
        del in_flight[w]
        state[key] = new
        counter.append(1)


def test_acknowledged_writes_have_exactly_one_record_after_kill_9(server_factory, tmp_path):
    # why: the change log is written in the item change's own transaction (DESIGN: "an acknowledged
    # write always has exactly one record, in order; a failed or no-op write has none"); a process
    # killed mid-load must not lose or duplicate a record, nor keep one of a write it never made.
    db = tmp_path / "db"
    db.mkdir()
    first = server_factory("--db-path", str(db), log_name="first.log")
    name = util.create_table(util.client_for(first.url), "crash", [("pk", "S")],
                             StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
    acked = [[] for _ in range(WRITERS)]
    in_flight, stop, counter = {}, threading.Event(), []
    threads = [threading.Thread(target=writer, args=(first.url, name, w, acked[w], in_flight, stop, counter))
               for w in range(WRITERS)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + MAX_LOAD_SECONDS
    while len(counter) < ENOUGH and time.monotonic() < deadline:
        time.sleep(0.01)
    first.kill()          # SIGKILL while the writers are still writing
    stop.set()
    for t in threads:
        t.join(30)
    assert not any(t.is_alive() for t in threads)
    assert len(counter) >= 100, f"only {len(counter)} writes were acknowledged before the kill"

    second = server_factory("--db-path", str(db), log_name="second.log")
    client = util.client_for(second.url)
    streams = util.client_for(second.url, service="dynamodbstreams")
    arn = client.describe_table(TableName=name)["Table"]["LatestStreamArn"]
    records = read_stream(streams, arn)

    seqs = [int(r["dynamodb"]["SequenceNumber"]) for r in records]
    assert all(a < b for a, b in zip(seqs, seqs[1:])), "sequence numbers must strictly increase"
    assert len({r["eventID"] for r in records}) == len(records)
    by_key = {}
    for r in records:
        image = r["dynamodb"].get("NewImage")
        by_key.setdefault(r["dynamodb"]["Keys"]["pk"]["S"], []).append(
            (r["eventName"], image["v"]["S"] if image else None, r["dynamodb"].get("OldImage")))
    expected = {}
    for log in acked:
        for key, event, new in log:
            expected.setdefault(key, []).append((event, new))
    maybe = {key: (event, new) for key, event, new in in_flight.values()}
    assert set(by_key) <= set(expected) | set(maybe), "a record of a key no acknowledged write touched"

    for key in set(expected) | set(maybe):
        got = [(event, new) for event, new, _ in by_key.get(key, [])]
        want = expected.get(key, [])
        # every acknowledged write exactly once, in order; at most the in-flight write after them
        assert got in (want, want + [maybe[key]] if key in maybe else want), (key, got, want, maybe.get(key))
        # each OldImage is the item as the previous record left it
        olds = [old["v"]["S"] if old else None for _, _, old in by_key.get(key, [])]
        assert olds == [None] + [new for _, new in got[:-1]], key
        # the table agrees with the log: the item is as the last record left it
        item = client.get_item(TableName=name, Key={"pk": S(key)}, ConsistentRead=True).get("Item")
        assert (item["v"]["S"] if item else None) == (got[-1][1] if got else None), key

    landed = sum(1 for key in maybe if len(by_key.get(key, [])) > len(expected.get(key, [])))
    print(f"{len(counter)} writes acknowledged, {len(maybe)} in flight at the kill, {landed} of those landed; "
          f"{len(records)} records")

    # the stream goes on after the restart
    client.put_item(TableName=name, Item={"pk": S("after-restart"), "v": S("x")})
    after = read_stream(streams, arn)
    assert len(after) == len(records) + 1 and after[-1]["dynamodb"]["Keys"] == {"pk": S("after-restart")}
    assert int(after[-1]["dynamodb"]["SequenceNumber"]) > seqs[-1]
    rc = second.stop()
    assert second.problems(rc) == "", second.log()[-5000:]
