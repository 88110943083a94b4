"""test_restart.py — durability: what a server on --db-path acknowledged is there after a restart,
whether it was stopped with SIGTERM or killed with SIGKILL.

Each test starts its own dynastream processes on a fresh directory (server_factory), so these run
only against our binary (skipped with --url).
"""
import glob
import os
import threading

import pytest

import util

pytestmark = pytest.mark.server_only("starts its own dynastream processes on a --db-path")


def S(value):
    return {"S": value}


def N(value):
    return {"N": value}


ITEMS = [
    {"pk": S("a"), "sk": N("1"), "s": S("en \u2013 dash \U0001F600"), "n": N("-1500"), "b": {"B": bytes(range(256))},
     "ss": {"SS": ["x", "y"]}, "ns": {"NS": ["1", "2.5"]}, "bs": {"BS": [b"\x00", b"\xff"]},
     "m": {"M": {"l": {"L": [{"NULL": True}, {"BOOL": False}, {"M": {}}]}}}, "e": S("")},
    {"pk": S("a"), "sk": N("-2"), "big": S("z" * 300000)},
    {"pk": S("b"), "sk": N("0")},
]


def sets_sorted(item):
    return {k: ({t: sorted(v)} if t in ("SS", "NS", "BS") else {t: v}) for k, av in item.items() for t, v in av.items()}


def make_table(client):
    return util.create_table(
        client, "restart_table", [("pk", "S"), ("sk", "N")], BillingMode="PROVISIONED",
        ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 6},
        AttributeDefinitions=[{"AttributeName": "g", "AttributeType": "S"}],
        GlobalSecondaryIndexes=[{"IndexName": "GSI_1", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                 "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["bytessent"]},
                                 "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}}],
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"})


def stop_cleanly(server):
    rc = server.stop()
    assert server.problems(rc) == "", server.log()[-5000:]


def test_restart_after_sigterm(server_factory, tmp_path):
    # why: tables, their settings and every item survive a clean shutdown and start-up on the same directory.
    db = tmp_path / "db"
    db.mkdir()
    first = server_factory("--db-path", str(db), log_name="first.log")
    client = util.client_for(first.url)
    name = make_table(client)
    for item in ITEMS:
        client.put_item(TableName=name, Item=item)
    client.put_item(TableName=name, Item={"pk": S("gone"), "sk": N("1")})
    client.delete_item(TableName=name, Key={"pk": S("gone"), "sk": N("1")})
    client.put_item(TableName=name, Item={"pk": S("b"), "sk": N("0"), "v": S("second version")})
    before = client.describe_table(TableName=name)["Table"]
    stop_cleanly(first)

    second = server_factory("--db-path", str(db), log_name="second.log")
    client = util.client_for(second.url)
    after = client.describe_table(TableName=name)["Table"]
    for key in ("TableArn", "CreationDateTime", "KeySchema", "AttributeDefinitions", "GlobalSecondaryIndexes",
                "StreamSpecification", "LatestStreamArn", "ItemCount", "TableSizeBytes"):
        assert after.get(key) == before.get(key), key
    assert after["ProvisionedThroughput"]["ReadCapacityUnits"] == 5
    assert client.list_tables()["TableNames"] == [name]
    for item in ITEMS[:2]:
        got = client.get_item(TableName=name, Key={"pk": item["pk"], "sk": item["sk"]}, ConsistentRead=True)["Item"]
        assert sets_sorted(got) == sets_sorted(item)
    assert client.get_item(TableName=name, Key={"pk": S("b"), "sk": N("0")})["Item"]["v"] == S("second version")
    assert "Item" not in client.get_item(TableName=name, Key={"pk": S("gone"), "sk": N("1")})
    assert client.scan(TableName=name)["Count"] == len(ITEMS)
    # the per-access-key namespace is stored too: another key still sees nothing
    assert util.client_for(second.url, access_key="AKIDOTHERKEY").list_tables()["TableNames"] == []
    stop_cleanly(second)


def test_restart_after_deleted_table(server_factory, tmp_path):
    # why: a deleted table stays deleted, and a new one of the same name starts empty, after a restart.
    db = tmp_path / "db"
    db.mkdir()
    first = server_factory("--db-path", str(db), log_name="first.log")
    client = util.client_for(first.url)
    util.create_table(client, "kept", [("pk", "S")])
    util.create_table(client, "dropped", [("pk", "S")])
    client.put_item(TableName="dropped", Item={"pk": S("x")})
    client.delete_table(TableName="dropped")
    stop_cleanly(first)
    second = server_factory("--db-path", str(db), log_name="second.log")
    client = util.client_for(second.url)
    assert client.list_tables()["TableNames"] == ["kept"]
    util.create_table(client, "dropped", [("pk", "S")])
    assert client.scan(TableName="dropped")["Count"] == 0
    stop_cleanly(second)


def test_acknowledged_writes_survive_kill_9(server_factory, tmp_path):
    # why: an acknowledged write is durable (WAL, synchronous=NORMAL) even if the process is killed mid-load.
    db = tmp_path / "db"
    db.mkdir()
    first = server_factory("--db-path", str(db), log_name="first.log")
    name = util.create_table(util.client_for(first.url), "load", [("pk", "S"), ("sk", "N")])
    acked = [[] for _ in range(4)]
    enough = threading.Event()
    stop = threading.Event()

    def writer(n):
        client = util.client_for(first.url)
        i = 0
        while not stop.is_set():
            item = {"pk": S(f"w{n}"), "sk": N(str(i)), "v": S("x" * (i % 700))}
            try:
                client.put_item(TableName=name, Item=item)
            except Exception:   # the kill: unacknowledged, may or may not be there
                return
            acked[n].append(item)
            if sum(map(len, acked)) >= 400:
                enough.set()
            i += 1

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    assert enough.wait(120), "writers never reached 400 acknowledged puts"
    first.kill()   # SIGKILL while the writers are still going
    stop.set()
    for t in threads:
        t.join(30)

    second = server_factory("--db-path", str(db), log_name="second.log")
    client = util.client_for(second.url)
    for items in acked:
        for item in items:
            got = client.get_item(TableName=name, Key={"pk": item["pk"], "sk": item["sk"]}, ConsistentRead=True)
            assert got.get("Item") == item, item["pk"]["S"] + "/" + item["sk"]["N"]
    # whatever else is there is whole: each writer's items form a gap-free prefix of what it sent
    for n in range(4):
        pages, start = [], None
        while True:
            page = client.scan(TableName=name, **({"ExclusiveStartKey": start} if start else {}))
            pages += [i for i in page["Items"] if i["pk"] == S(f"w{n}")]
            start = page.get("LastEvaluatedKey")
            if not start:
                break
        seqs = sorted(int(i["sk"]["N"]) for i in pages)
        assert seqs == list(range(len(seqs)))
        assert len(acked[n]) <= len(seqs) <= len(acked[n]) + 1   # at most the one in flight
    stop_cleanly(second)


@pytest.mark.server_only("looks at the RAM directory of its own --in-memory servers")
@pytest.mark.skipif(not os.access("/dev/shm", os.W_OK), reason="no writable /dev/shm")
def test_in_memory_leftovers_of_a_killed_server_are_removed(server_factory):
    # why: --in-memory keeps its database in a private directory on /dev/shm (RAM), removed at exit;
    # a server killed with SIGKILL cannot remove it, so the next --in-memory server does, or RAM
    # would fill up with dead servers' databases.
    def own_dirs(pid):
        return glob.glob(f"/dev/shm/dynastream-{pid}-*")

    first = server_factory("--in-memory", log_name="first.log")
    pid = first.proc.pid
    util.client_for(first.url).list_tables()
    assert len(own_dirs(pid)) == 1
    first.kill()
    assert len(own_dirs(pid)) == 1            # left behind
    second = server_factory("--in-memory", log_name="second.log")
    util.client_for(second.url).list_tables()
    assert own_dirs(pid) == []
    assert len(own_dirs(second.proc.pid)) == 1
    second.stop()
    assert own_dirs(second.proc.pid) == []   # a clean stop removes its own
