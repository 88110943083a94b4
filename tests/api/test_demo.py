"""test_demo.py — the workshop exercise end to end, and the pieces `make demo` is made of: the sample
data generator (fixtures/gen_logfile.py), the loader (fixtures/load_logfile.py), the example table
definitions (schema/tables/*.json), and tests/cli/demo.sh itself with a small data set.

What the workshop fixes (../shared/workshop/WORKSHOP.md): the CSV format (no header, 10 columns,
UTF-8, url and useragent double-quoted, zero-padded hourofday, GMT-0700), the item the lab's loader
makes of a row (four numbers, the rest strings, PK/GSI_1_PK, servererror only for 500), the two
tables' definitions, and the end state: the replica holds exactly the rows written after the stream
was enabled.
Order: functionality only (these exercise the project's own tools, not request validation).
"""
import csv
import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import util

REPO = Path(__file__).resolve().parents[2]
GEN = REPO / "fixtures/gen_logfile.py"
LOAD = REPO / "fixtures/load_logfile.py"
PYTHON = "/usr/bin/python3"
ROW = re.compile(r'^(\d+),(\d{1,3}(?:\.\d{1,3}){3}),(\d{4}-\d{2}-\d{2}),(\d{2}),GMT-0700,([A-Z]+),'
                 r'"([^"\n]*)",(\d{3}),(\d+),"([^"\n]*)"$')


def generate(rows, start=1, seed=1):
    out = subprocess.run([PYTHON, str(GEN), "--rows", str(rows), "--start", str(start),
                          "--seed", str(seed)], check=True, capture_output=True)
    return out.stdout.decode("utf-8")


def expected_item(row):
    """The lab loader's item for a CSV row, written out independently of the loader, in the
    low-level AttributeValue form."""
    requestid, host, date, hour, tz, method, url, code, sent, agent = row
    item = {"requestid": {"N": str(int(requestid))}, "host": {"S": host}, "date": {"S": date},
            "hourofday": {"N": str(int(hour))}, "timezone": {"S": tz}, "method": {"S": method},
            "url": {"S": url}, "responsecode": {"N": str(int(code))},
            "bytessent": {"N": str(int(sent))}, "useragent": {"S": agent},
            "PK": {"S": f"request#{requestid}"}, "GSI_1_PK": {"S": f"host#{host}"}}
    if int(code) == 500:
        item["servererror"] = {"S": "5xx"}
    return item


def item_size(item):
    """DynamoDB's item size: names plus values (S: UTF-8 bytes; N: about 1 byte per 2 digits + 1)."""
    size = 0
    for name, value in item.items():
        size += len(name.encode("utf-8"))
        if "S" in value:
            size += len(value["S"].encode("utf-8"))
        else:
            digits = value["N"].lstrip("-").lstrip("0") or "0"
            size += (len(digits) + 1) // 2 + 1
    return size


def run_loader(url, table, path, *extra):
    """Runs the loader against url with the test credentials; returns the CompletedProcess."""
    env = dict(os.environ, AWS_ACCESS_KEY_ID=util.ACCESS_KEY, AWS_SECRET_ACCESS_KEY=util.SECRET_KEY,
               AWS_DEFAULT_REGION=util.REGION)
    return subprocess.run([PYTHON, str(LOAD), "--endpoint-url", url, "--table", table, str(path),
                           *extra], capture_output=True, text=True, env=env, timeout=300)


def create_from_schema(dynamodb, name, file_name):
    """CreateTable with schema/tables/<file_name> under another table name; waits until ACTIVE."""
    params = json.loads((REPO / "schema/tables" / file_name).read_text())
    params["TableName"] = name
    dynamodb.create_table(**params)
    return util.wait_active(dynamodb, name)


def scan_all(dynamodb, table):
    items, kwargs = [], {}
    while True:
        page = dynamodb.scan(TableName=table, ConsistentRead=True, **kwargs)
        items += page["Items"]
        if "LastEvaluatedKey" not in page:
            return items
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


# ---------------------------------------------------------------------------------------------
# The generator
# ---------------------------------------------------------------------------------------------

def test_generator_writes_the_labs_csv_format():
    # Why: the loader, the README and the demo rely on the lab's exact format, and students compare
    # our sample data with the lab's files.
    text = generate(600, start=4001)
    assert text.endswith("\n") and "\r" not in text
    lines = text.split("\n")[:-1]
    assert len(lines) == 600
    for k, line in enumerate(lines, 4001):
        m = ROW.match(line)
        assert m, f"row {k} is not in the lab's format: {line!r}"
        assert int(m.group(1)) == k
        assert all(0 <= int(part) <= 255 for part in m.group(2).split("."))
        assert 0 <= int(m.group(4)) <= 23
    rows = list(csv.reader(io.StringIO(text)))
    assert {len(r) for r in rows} == {10}
    assert (rows[0][2], rows[0][3]) == ("2009-07-21", "06")   # 9 s per requestid from 2009-07-20 20:00
    assert sum(r[7] == "500" for r in rows) >= 3
    assert any(not line.isascii() for line in lines), "no multi-byte characters"


def test_generator_is_deterministic_and_independent_of_the_split():
    # Why: the demo generates base and stream files separately; a row must not depend on which
    # file it is in, and the same seed must give the same data on every machine.
    whole = generate(300, start=1)
    assert whole == generate(300, start=1)
    assert generate(100, start=1) + generate(200, start=101) == whole
    assert generate(300, start=1, seed=2) != whole


def test_generated_items_are_the_labs_sizes():
    # Why: the lab's items are 170-490 bytes; benchmarks and capacity figures assume that shape.
    rows = list(csv.reader(io.StringIO(generate(2000, start=4001))))
    sizes = [item_size(expected_item(r)) for r in rows]
    assert 170 <= min(sizes) and max(sizes) <= 490
    assert 250 <= sum(sizes) / len(sizes) <= 330


# ---------------------------------------------------------------------------------------------
# The loader and the table definitions
# ---------------------------------------------------------------------------------------------

def test_schema_tables_are_the_exercises(dynamodb):
    # Why: schema/tables/*.json are the exercise's CreateTable definitions (WORKSHOP.md "The tables");
    # they must create tables DynamoDB accepts, with the exercise's keys, throughput and GSI_1.
    expected = {"logfile.json": ((5, 5), ["bytessent"], (5, 5)),
                "logfile_replica.json": ((10, 5), ["bytessent", "requestid", "host"], (10, 5))}
    for file_name, (table_tp, gsi_attrs, gsi_tp) in expected.items():
        params = json.loads((REPO / "schema/tables" / file_name).read_text())
        assert params["TableName"] == file_name[:-5]
        assert params["Tags"] == [{"Key": "workshop-design-patterns", "Value": "targeted-for-cleanup"}]
        name = create_from_schema(dynamodb, util.unique_name(file_name[:-5]), file_name)
        try:
            table = dynamodb.describe_table(TableName=name)["Table"]
            assert table["KeySchema"] == [{"AttributeName": "PK", "KeyType": "HASH"}]
            assert sorted((a["AttributeName"], a["AttributeType"]) for a in table["AttributeDefinitions"]) \
                == [("GSI_1_PK", "S"), ("PK", "S")]
            tp = table["ProvisionedThroughput"]
            assert (tp["ReadCapacityUnits"], tp["WriteCapacityUnits"]) == table_tp
            [gsi] = table["GlobalSecondaryIndexes"]
            assert gsi["IndexName"] == "GSI_1"
            assert gsi["KeySchema"] == [{"AttributeName": "GSI_1_PK", "KeyType": "HASH"}]
            assert gsi["Projection"] == {"ProjectionType": "INCLUDE", "NonKeyAttributes": gsi_attrs}
            tp = gsi["ProvisionedThroughput"]
            assert (tp["ReadCapacityUnits"], tp["WriteCapacityUnits"]) == gsi_tp
        finally:
            util.delete_table(dynamodb, name)


def test_loader_shapes_items_like_the_lab(url, dynamodb, tmp_path):
    # Why: the replica check and every exercise query depend on the lab loader's item shape:
    # numbers for requestid/hourofday/responsecode/bytessent, PK/GSI_1_PK prefixes, servererror
    # only on 500 rows; quoted columns may hold commas and multi-byte characters.
    handmade = ('1,198.51.100.7,2009-07-20,05,GMT-0700,GET,"/a,b?q=x\u2013y",500,0,'
                '"Mozilla/5.0 (KHTML, like Gecko) caf\u00e9"\n'
                '2,198.51.100.8,2009-07-20,05,GMT-0700,POST,"/",200,17935,"curl/7.19"\n')
    text = handmade + generate(298, start=3)
    path = tmp_path / "rows.csv"
    path.write_text(text, encoding="utf-8")
    name = create_from_schema(dynamodb, util.unique_name("logfile"), "logfile.json")
    try:
        out = run_loader(url, name, path)
        assert out.returncode == 0, out.stderr
        summary = out.stdout.strip().splitlines()[-1]
        assert re.fullmatch(rf"loaded rows\.csv into {name}: 300 rows, 300 items written, "
                            r"[0-9.]+ s, [0-9]+ items/s", summary), summary
        got = {i["PK"]["S"]: i for i in scan_all(dynamodb, name)}
        want = {f"request#{r[0]}": expected_item(r) for r in csv.reader(io.StringIO(text))}
        assert got == want
        assert got["request#1"]["servererror"] == {"S": "5xx"}
        assert "servererror" not in got["request#2"]
        assert got["request#1"]["hourofday"] == {"N": "5"}
    finally:
        util.delete_table(dynamodb, name)


def test_loader_parallel_uses_batch_write_item(url, dynamodb, tmp_path):
    # Why: --parallel is the lab's parallel loader (BatchWriteItem through boto3's batch_writer from
    # several threads): same items, every row written once.
    text = generate(500, start=1)
    path = tmp_path / "rows.csv"
    path.write_text(text, encoding="utf-8")
    name = create_from_schema(dynamodb, util.unique_name("logfile"), "logfile.json")
    try:
        out = run_loader(url, name, path, "--parallel", "--threads", "3")
        assert out.returncode == 0, out.stderr
        assert ": 500 rows, 500 items written, " in out.stdout
        assert "BatchWriteItem x3" in out.stderr
        got = {i["PK"]["S"]: i for i in scan_all(dynamodb, name)}
        assert got == {f"request#{r[0]}": expected_item(r) for r in csv.reader(io.StringIO(text))}
    finally:
        util.delete_table(dynamodb, name)


def test_loader_reports_a_malformed_row(url, tmp_path):
    # Why: a truncated or hand-edited file must stop the load with the line number, not write a
    # half-shaped item.
    path = tmp_path / "bad.csv"
    path.write_text(generate(2) + '3,198.51.100.9,2009-07-20,05,GMT-0700,GET,"/"\n', encoding="utf-8")
    out = run_loader(url, util.unique_name("never"), path)
    assert out.returncode == 1
    assert "line 3: 7 columns, expected 10" in out.stderr


# ---------------------------------------------------------------------------------------------
# make demo
# ---------------------------------------------------------------------------------------------

def demo_binary():
    """The server the demo starts: $DYNASTREAM_BIN, else the sanitizer build, else the release one."""
    if os.environ.get("DYNASTREAM_BIN"):
        return os.environ["DYNASTREAM_BIN"]
    for candidate in (REPO / "build/asan/dynastream", REPO / "build/dynastream"):
        if candidate.exists():
            return str(candidate)
    return None


@pytest.mark.server_only("the demo starts its own dynastream with --replicate")
def test_demo_script_with_a_small_data_set():
    # Why: `make demo` is the exercise a student follows (issue 7): every CLI step must work and the
    # replica must end up equal, item for item, to what was written after the stream was enabled.
    if shutil.which("aws") is None:
        pytest.skip("no AWS CLI on PATH")
    binary = demo_binary()
    if binary is None:
        pytest.skip("no dynastream binary (run make)")
    env = dict(os.environ, DEMO_ROWS="100,200", DYNASTREAM_BIN=binary)
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1:halt_on_error=1")
    out = subprocess.run(["sh", str(REPO / "tests/cli/demo.sh")], capture_output=True, text=True,
                         env=env, timeout=600)
    lines = out.stdout.strip().splitlines()
    assert out.returncode == 0 and lines and lines[-1].startswith("demo: OK"), \
        f"demo.sh exited {out.returncode}:\n{out.stdout[-6000:]}\n{out.stderr[-2000:]}"
    assert "logfile 300 items (100 before the stream, 200 after), logfile_replica 200 items" in lines[-1]
    assert re.search(r"/stream/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$", out.stdout, re.M)
    assert "dynastream exited 0" in out.stdout
