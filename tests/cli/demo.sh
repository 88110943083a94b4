#!/bin/sh
# demo.sh — `make demo`: the workshop exercise ("Amazon DynamoDB Streams and AWS Lambda", exercise 8
# of the DynamoDB advanced design patterns lab, on the `logfile` table of exercise 1) with the AWS
# CLI, command for command, against a dynastream it starts itself on a free loopback port with
# --in-memory --replicate logfile=logfile_replica (the bundled replicator plays the Lambda function
# and its event source mapping).
#
# It prints each step and command like a walkthrough: create logfile (GSI_1, tags, 5/5) and wait,
# load the base rows one PutItem at a time (fixtures/load_logfile.py, rows from
# fixtures/gen_logfile.py), raise the throughput to 100/100 and wait, create logfile_replica and wait,
# enable the stream (NEW_IMAGE), read LatestStreamArn (checks it ends in /stream/<ISO-8601 with ms>),
# show the replicator's status, load the stream rows (requestids after the base rows), scan the
# replica with --max-items 2 until rows appear (bounded polling), wait (bounded) until it holds every
# stream row, and checks that it equals, item for item, what was written to logfile after the stream
# was enabled. Last line: "demo: OK ..." with the counts and the replication lag (the replicator's
# IteratorAgeMilliseconds from GET /replicator), or "demo: FAILED ...". Then it stops the server
# (SIGTERM; it must exit 0). Exit status 0 on success, 1 on failure.
#
# Environment:
#   DEMO_ROWS       "BASE,STREAM" rows (default 500,2000: the lab's logfile_small1 and
#                   logfile_stream sizes); a single number N means STREAM=N, BASE=N/4
#   DYNASTREAM_BIN  the server binary (default build/dynastream)
#   AWS             the CLI to run (default aws)
#   DEMO_TIMEOUT    seconds the replica may take to fill after the load (default 60)
set -u

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${DYNASTREAM_BIN:-$ROOT/build/dynastream}
AWS=${AWS:-aws}
PYTHON=/usr/bin/python3
TIMEOUT=${DEMO_TIMEOUT:-60}
ROWS=${DEMO_ROWS:-500,2000}
WORK=$(mktemp -d)
PID=""

case $ROWS in
    *[!0-9,]* | ,* | *, | *,*,* | "") echo "demo.sh: DEMO_ROWS must be BASE,STREAM or N, not '$ROWS'" >&2; exit 2 ;;
    *,*) BASE=${ROWS%,*} STREAM=${ROWS#*,} ;;
    *) STREAM=$ROWS BASE=$((ROWS / 4)) ;;
esac
[ "$BASE" -ge 1 ] && [ "$STREAM" -ge 1 ] || { echo "demo.sh: DEMO_ROWS needs at least 1 row each" >&2; exit 2; }

cleanup() {
    [ -n "$PID" ] && kill "$PID" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 2' INT TERM

# Dummy credentials and no user configuration, so nothing outside the demo changes the outcome.
AWS_ACCESS_KEY_ID=AKIDDEMO
AWS_SECRET_ACCESS_KEY=demo-secret
AWS_DEFAULT_REGION=us-east-1
AWS_CONFIG_FILE=$WORK/none
AWS_SHARED_CREDENTIALS_FILE=$WORK/none
AWS_PAGER=""
export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_DEFAULT_REGION AWS_CONFIG_FILE \
    AWS_SHARED_CREDENTIALS_FILE AWS_PAGER

# ---- output helpers ------------------------------------------------------------------------------

step() { printf '\n== %s\n' "$*"; }
note() { printf '   %s\n' "$*"; }

fail() {
    echo
    echo "FAIL: $*"
    if [ -s "$WORK/out" ]; then awk '{ print "     | " $0 }' "$WORK/out" | head -n 30; fi
    if [ -n "$PID" ] && [ -s "$WORK/server.log" ]; then
        echo "     server log (last lines):"
        tail -n 15 "$WORK/server.log" | sed 's/^/     | /'
    fi
    echo "demo: FAILED ($*)"
    exit 1
}

# show WORD...: prints a command the way a student would type it (quoting what the shell needs:
# double quotes where they suffice, as the lab writes its --global-secondary-indexes, else single).
show() {
    line='$'
    for word in "$@"; do
        case $word in
            *[!A-Za-z0-9_./:=,#@%+-]* | "")
                case $word in
                    *[\"\$\`\\!]*) word="'$(printf '%s' "$word" | sed "s/'/'\\\\''/g")'" ;;
                    *) word="\"$word\"" ;;
                esac ;;
        esac
        line="$line $word"
    done
    printf '%s\n' "$line"
}

# excerpt FILE [N]: prints FILE indented, at most N (default 12) lines.
excerpt() {
    n=$(wc -l < "$1")
    max=${2:-12}
    head -n "$max" "$1" | sed 's/^/   /'
    [ "$n" -gt "$max" ] && echo "   ... ($((n - max)) more lines)"
    return 0
}

# summary FILE: the gist of a CLI or status answer: for a table description the fields the
# exercise sets, for the replicator's status its state and options; else an excerpt.
summary() {
    "$PYTHON" - "$1" <<'EOF' || excerpt "$1"
import json, sys
try:
    doc = json.load(open(sys.argv[1]))
except ValueError:
    sys.exit(1)
def tput(d):
    t = d.get("ProvisionedThroughput") or {}
    return f"{t.get('ReadCapacityUnits')} read / {t.get('WriteCapacityUnits')} write"
table = doc.get("TableDescription") or doc.get("Table")
if table:
    keys = ", ".join(f"{k['AttributeName']} {k['KeyType']}" for k in table.get("KeySchema", []))
    print(f"   {table['TableName']}: {table.get('TableStatus')}, key {keys}, {tput(table)}, "
          f"{table.get('ItemCount', 0)} items")
    for g in table.get("GlobalSecondaryIndexes", []):
        proj = g.get("Projection", {})
        keys = ", ".join(f"{k['AttributeName']} {k['KeyType']}" for k in g.get("KeySchema", []))
        print(f"   {g['IndexName']}: key {keys}, {proj.get('ProjectionType')} "
              f"{proj.get('NonKeyAttributes', [])}, {tput(g)}, {g.get('IndexStatus')}")
    if table.get("StreamSpecification"):
        spec = table["StreamSpecification"]
        print(f"   stream: enabled={spec.get('StreamEnabled')}, {spec.get('StreamViewType')}, "
              f"{table.get('LatestStreamArn')}")
    sys.exit(0)
for m in doc.get("Replicators", []):
    print(f"   {m['UUID']}: State {m.get('State')} ({m.get('StateTransitionReason')}), "
          f"LastProcessingResult \"{m.get('LastProcessingResult')}\"")
    print("   " + ", ".join(f"{k} {json.dumps(m[k])}" for k in (
        "BatchSize", "StartingPosition", "MaximumBatchingWindowInSeconds", "MaximumRetryAttempts",
        "MaximumRecordAgeInSeconds", "BisectBatchOnFunctionError", "ExactlyOnce") if k in m))
sys.exit(0 if "Replicators" in doc else 1)
EOF
}

# cli ARGS...: shows and runs `aws dynamodb ARGS --endpoint-url URL`, prints the gist of its
# output, fails the demo if it fails. Its output stays in $WORK/out.
cli() {
    show aws dynamodb "$@" --endpoint-url "$URL"
    "$AWS" dynamodb "$@" --endpoint-url "$URL" >"$WORK/out" 2>&1 || fail "aws dynamodb $1 failed"
    [ -s "$WORK/out" ] && summary "$WORK/out"
    return 0
}

# cli_quiet ARGS...: runs `aws dynamodb ARGS` with output in $WORK/out; returns its status.
cli_quiet() { "$AWS" dynamodb "$@" --endpoint-url "$URL" >"$WORK/out" 2>&1; }

# load TABLE FILE: the fixture loader, shown and run.
load() {
    show fixtures/load_logfile.py --endpoint-url "$URL" "$1" "$2"
    "$PYTHON" "$ROOT/fixtures/load_logfile.py" --endpoint-url "$URL" "$1" "$WORK/$2" >"$WORK/out" 2>"$WORK/progress" \
        || { cat "$WORK/progress" >> "$WORK/out"; fail "loading $2 into $1 failed"; }
    tail -n 1 "$WORK/progress" | tr '\r' '\n' | tail -n 1 | sed 's/^/   /'
    sed 's/^/   /' "$WORK/out"
}

# replicator_status: the server's GET /replicator JSON into $WORK/replicator.json; returns non-zero
# if there is no such endpoint.
replicator_status() {
    code=$(curl -s -o "$WORK/replicator.json" -w '%{http_code}' "$URL/replicator") && [ "$code" = 200 ]
}

# replicator_field NAME: NAME of the logfile=logfile_replica mapping in $WORK/replicator.json
# (empty if absent).
replicator_field() {
    "$PYTHON" - "$WORK/replicator.json" "$1" <<'EOF'
import json, sys
try:
    doc = json.load(open(sys.argv[1]))
except (OSError, ValueError):
    sys.exit(0)
def mappings(x):
    if isinstance(x, dict):
        if "IteratorAgeMilliseconds" in x or "UUID" in x or "Source" in x:
            yield x
        for v in x.values():
            yield from mappings(v)
    elif isinstance(x, list):
        for v in x:
            yield from mappings(v)
found = [m for m in mappings(doc) if m.get("UUID") == "logfile=logfile_replica"
         or (m.get("Source"), m.get("Target")) == ("logfile", "logfile_replica")]
if found and found[0].get(sys.argv[2]) is not None:
    print(found[0][sys.argv[2]])
EOF
}

# ---- the server ------------------------------------------------------------------------------------

echo "dynastream demo: the DynamoDB Streams exercise with the AWS CLI ($BASE base rows, $STREAM stream rows)"
[ -x "$BIN" ] || fail "no server binary at $BIN (run make)"
command -v "$AWS" >/dev/null 2>&1 || fail "no AWS CLI ('$AWS') on PATH"
PORT=$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
URL=http://127.0.0.1:$PORT

step "Start dynastream (the bundled replicator plays the Lambda function of steps 3 and 5)"
show "$(basename "$BIN")" --port "$PORT" --in-memory --replicate logfile=logfile_replica
"$BIN" --port "$PORT" --host 127.0.0.1 --in-memory --replicate logfile=logfile_replica >"$WORK/server.log" 2>&1 &
PID=$!
tries=0
until curl -s -o /dev/null "$URL/"; do   # readiness: poll, at most 200 x 50 ms
    tries=$((tries + 1))
    if [ "$tries" -ge 200 ] || ! kill -0 "$PID" 2>/dev/null; then
        cp "$WORK/server.log" "$WORK/out"
        fail "the server did not answer on $URL"
    fi
    sleep 0.05
done
note "listening on $URL; every command below adds --endpoint-url $URL"

step "Generate the sample data (fixtures/gen_logfile.py, the lab's CSV format)"
show fixtures/gen_logfile.py --rows "$BASE" --start 1 --output logfile_base.csv
"$PYTHON" "$ROOT/fixtures/gen_logfile.py" --rows "$BASE" --start 1 --output "$WORK/logfile_base.csv" \
    || fail "gen_logfile.py failed"
show fixtures/gen_logfile.py --rows "$STREAM" --start $((BASE + 1)) --output logfile_stream.csv
"$PYTHON" "$ROOT/fixtures/gen_logfile.py" --rows "$STREAM" --start $((BASE + 1)) --output "$WORK/logfile_stream.csv" \
    || fail "gen_logfile.py failed"
head -n 1 "$WORK/logfile_stream.csv" | cut -c 1-100 | sed 's/^/   /; s/$/.../'

# ---- exercise 1: the logfile table -------------------------------------------------------------------

step "Exercise 1: create the logfile table (GSI_1, tags, 5/5 throughput) and wait for it"
cli create-table --table-name logfile \
    --attribute-definitions AttributeName=PK,AttributeType=S AttributeName=GSI_1_PK,AttributeType=S \
    --key-schema AttributeName=PK,KeyType=HASH \
    --provisioned-throughput ReadCapacityUnits=5,WriteCapacityUnits=5 \
    --tags Key=workshop-design-patterns,Value=targeted-for-cleanup \
    --global-secondary-indexes "IndexName=GSI_1,KeySchema=[{AttributeName=GSI_1_PK,KeyType=HASH}],Projection={ProjectionType=INCLUDE,NonKeyAttributes=['bytessent']},ProvisionedThroughput={ReadCapacityUnits=5,WriteCapacityUnits=5}"
cli wait table-exists --table-name logfile

step "Exercise 1: load the base rows, one PutItem per row like the lab's loader"
load logfile logfile_base.csv

step "Exercise 1: raise the throughput to 100/100 and wait"
cli update-table --table-name logfile --provisioned-throughput ReadCapacityUnits=100,WriteCapacityUnits=100
cli wait table-exists --table-name logfile

# ---- exercise 8 -------------------------------------------------------------------------------------

step "Exercise 8, step 1: create logfile_replica (10/5, GSI_1 with bytessent, requestid, host) and wait"
cli create-table --table-name logfile_replica \
    --attribute-definitions AttributeName=PK,AttributeType=S AttributeName=GSI_1_PK,AttributeType=S \
    --key-schema AttributeName=PK,KeyType=HASH \
    --provisioned-throughput ReadCapacityUnits=10,WriteCapacityUnits=5 \
    --tags Key=workshop-design-patterns,Value=targeted-for-cleanup \
    --global-secondary-indexes "IndexName=GSI_1,KeySchema=[{AttributeName=GSI_1_PK,KeyType=HASH}],Projection={ProjectionType=INCLUDE,NonKeyAttributes=['bytessent','requestid','host']},ProvisionedThroughput={ReadCapacityUnits=10,WriteCapacityUnits=5}"
cli wait table-exists --table-name logfile_replica

step "Exercise 8, steps 2 and 3: the IAM role and the Lambda function"
note "nothing to do here: the bundled replicator (--replicate logfile=logfile_replica) is the function"

step "Exercise 8, step 4: enable the stream on logfile and read its ARN"
cli update-table --table-name logfile --stream-specification StreamEnabled=true,StreamViewType=NEW_IMAGE
cli describe-table --table-name logfile --query Table.LatestStreamArn --output text
ARN=$(tr -d '\r\n' < "$WORK/out")
echo "$ARN" | grep -Eq '^arn:aws:dynamodb:[a-z0-9-]+:[0-9]{12}:table/logfile/stream/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}$' \
    || fail "LatestStreamArn '$ARN' does not end in /stream/<ISO-8601 timestamp with milliseconds>"
note "ok: the ARN ends in /stream/<ISO-8601 timestamp with milliseconds>"

step "Exercise 8, step 5: the event source mapping (the bundled replicator's status)"
note "Lambda's event source mapping (batch size 100, TRIM_HORIZON) is --replicate's default"
show curl -s "$URL/replicator"
if ! replicator_status; then
    : > "$WORK/out"
    fail "the bundled replicator is not running: no GET /replicator status endpoint"
fi
summary "$WORK/replicator.json"
if grep -q "replicator is not built" "$WORK/server.log" || [ -z "$(replicator_field State)" ]; then
    cp "$WORK/replicator.json" "$WORK/out"
    fail "the bundled replicator is not running: GET /replicator lists no logfile=logfile_replica mapping"
fi

step "Exercise 8, step 6: load the stream rows into logfile"
load logfile logfile_stream.csv

step "Exercise 8, step 6: scan logfile_replica until replicated rows appear"
deadline=$(( $(date +%s) + TIMEOUT ))
scans=0
while :; do
    scans=$((scans + 1))
    if [ "$scans" -eq 1 ] || [ $((scans % 10)) -eq 0 ]; then
        show aws dynamodb scan --table-name logfile_replica --max-items 2 --output text --endpoint-url "$URL"
    fi
    cli_quiet scan --table-name logfile_replica --max-items 2 --output text || fail "scan of logfile_replica failed"
    grep -q "request#" "$WORK/out" && break
    [ "$(date +%s)" -ge "$deadline" ] && fail "no replicated rows in logfile_replica after $TIMEOUT s ($scans scans)"
    sleep 0.2   # polling interval; the loop is bounded by the deadline above
done
excerpt "$WORK/out" 40
[ "$scans" -gt 1 ] && note "(rows appeared at scan $scans)"

step "Check: logfile_replica holds exactly the $STREAM rows written after the stream was enabled"
# The replica may still be catching up on the last rows: count (bounded) until all are there.
counts=0
while :; do
    counts=$((counts + 1))
    cli_quiet scan --table-name logfile_replica --select COUNT --query Count --output text \
        || fail "scan of logfile_replica failed"
    count=$(tr -d '\r\n ' < "$WORK/out")
    [ "$count" = "$STREAM" ] && break
    [ "$(date +%s)" -ge "$deadline" ] && fail "logfile_replica has $count items after $TIMEOUT s, expected $STREAM"
    sleep 0.1   # polling interval, bounded by the deadline
done
show aws dynamodb scan --table-name logfile --output json --endpoint-url "$URL" | sed 's/$/ > logfile.json/'
cli_quiet scan --table-name logfile --output json || fail "scan of logfile failed"
mv "$WORK/out" "$WORK/logfile.json"
show aws dynamodb scan --table-name logfile_replica --output json --endpoint-url "$URL" | sed 's/$/ > logfile_replica.json/'
cli_quiet scan --table-name logfile_replica --output json || fail "scan of logfile_replica failed"
mv "$WORK/out" "$WORK/logfile_replica.json"
"$PYTHON" - "$WORK/logfile.json" "$WORK/logfile_replica.json" "$BASE" "$STREAM" > "$WORK/out" 2>&1 <<'EOF'
import json, sys
source = {i["PK"]["S"]: i for i in json.load(open(sys.argv[1]))["Items"]}
replica = {i["PK"]["S"]: i for i in json.load(open(sys.argv[2]))["Items"]}
base, stream = int(sys.argv[3]), int(sys.argv[4])
expected = {f"request#{k}" for k in range(base + 1, base + stream + 1)}
problems = []
if len(source) != base + stream:
    problems.append(f"logfile has {len(source)} items, expected {base + stream}")
missing = sorted(expected - set(replica))
extra = sorted(set(replica) - expected)
if missing:
    problems.append(f"{len(missing)} stream rows missing from the replica, e.g. {missing[:3]}")
if extra:
    problems.append(f"{len(extra)} items in the replica that were not written after the stream "
                    f"was enabled, e.g. {extra[:3]}")
differ = [pk for pk in sorted(expected & set(replica)) if replica[pk] != source.get(pk)]
if differ:
    pk = differ[0]
    problems.append(f"{len(differ)} replica items differ from the source, e.g. {pk}:\n"
                    f"  source:  {json.dumps(source.get(pk), sort_keys=True)}\n"
                    f"  replica: {json.dumps(replica[pk], sort_keys=True)}")
errors = sum(1 for pk in expected & set(replica) if replica[pk].get("servererror") == {"S": "5xx"})
multibyte = sum(1 for pk in expected & set(replica) if not json.dumps(replica[pk], ensure_ascii=False).isascii())
print("\n".join(problems) if problems else
      f"ok: {len(replica)} replica items equal the source's, item for item "
      f"({errors} with servererror 5xx, {multibyte} with multi-byte characters); "
      f"none of the {base} rows written before the stream was enabled")
sys.exit(1 if problems else 0)
EOF
if ! grep -q '^ok:' "$WORK/out"; then fail "the replica does not equal the source's post-stream changes"; fi
sed 's/^/   /' "$WORK/out"

# The replicator's own figures: lag (IteratorAgeMilliseconds, like Lambda's IteratorAge) and count.
lag="n/a" processed="n/a"
if replicator_status; then
    lag=$(replicator_field IteratorAgeMilliseconds)
    processed=$(replicator_field RecordsProcessed)
    [ -n "$lag" ] && lag="$lag ms" || lag="n/a"
    [ -n "$processed" ] || processed="n/a"
fi
if [ "$scans" -eq 1 ] && [ "$counts" -eq 1 ]; then
    caught_up="complete at the first scan after the load"
else
    caught_up="complete after $scans scans and $counts counts"
fi

step "Stop the server"
kill -TERM "$PID"
if wait "$PID"; then
    note "dynastream exited 0"
    PID=""
else
    status=$?
    PID=""
    cp "$WORK/server.log" "$WORK/out"
    fail "the server exited with status $status on SIGTERM"
fi

echo
echo "demo: OK: logfile $((BASE + STREAM)) items ($BASE before the stream, $STREAM after), logfile_replica $STREAM items, equal item for item; replicator: $processed records processed, replication lag $lag (IteratorAgeMilliseconds); replica $caught_up"
