#!/bin/sh
# smoke.sh — AWS CLI smoke test: starts build/dynastream on a free loopback port with --in-memory,
# runs the README's session (create-table, put-item, get-item, describe-table, list-tables, scan,
# delete-item, execute-statement (PartiQL), update-time-to-live, describe-time-to-live,
# delete-table) and the workshop's table shape (GSI, wait table-exists, update-table) with
# --endpoint-url, checks each output with grep, stops the server with SIGTERM and checks it
# exits 0. Prints "cli: N passed, N failed"; exits 1 on failure.
# Environment: DYNASTREAM_BIN (binary), DYNASTREAM_URL (use a running endpoint instead, e.g.
# DynamoDB Local), AWS (the CLI to run, default aws).
set -u

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${DYNASTREAM_BIN:-$ROOT/build/dynastream}
AWS=${AWS:-aws}
WORK=$(mktemp -d)
PID=""
passed=0
failed=0

cleanup() {
    [ -n "$PID" ] && kill "$PID" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 2' INT TERM

# Dummy credentials and no user configuration, so nothing outside the test changes the outcome.
AWS_ACCESS_KEY_ID=AKIDSMOKETEST
AWS_SECRET_ACCESS_KEY=smoke-test-secret
AWS_DEFAULT_REGION=us-east-1
AWS_CONFIG_FILE=$WORK/none
AWS_SHARED_CREDENTIALS_FILE=$WORK/none
AWS_PAGER=""
export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_DEFAULT_REGION AWS_CONFIG_FILE \
    AWS_SHARED_CREDENTIALS_FILE AWS_PAGER

pass() { passed=$((passed + 1)); echo "ok   $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; sed 's/^/     | /' "$WORK/out" | head -20; }

# check NAME PATTERN CMD...: runs the CLI command; passes if it exits 0 and its output matches
# (an empty PATTERN: exit status only).
check() {
    name=$1 pattern=$2
    shift 2
    if "$AWS" dynamodb --endpoint-url "$URL" "$@" >"$WORK/out" 2>&1 \
            && { [ -z "$pattern" ] || grep -q -- "$pattern" "$WORK/out"; }; then
        pass "$name"
    else
        fail "$name"
    fi
}

# check_error NAME PATTERN CMD...: passes if the command fails and its output matches.
check_error() {
    name=$1 pattern=$2
    shift 2
    if ! "$AWS" dynamodb --endpoint-url "$URL" "$@" >"$WORK/out" 2>&1 && grep -q -- "$pattern" "$WORK/out"; then
        pass "$name"
    else
        fail "$name"
    fi
}

if [ -n "${DYNASTREAM_URL:-}" ]; then
    URL=$DYNASTREAM_URL
else
    if [ ! -x "$BIN" ]; then
        echo "smoke.sh: no server binary at $BIN (run make)" >&2
        echo "cli: 0 passed, 1 failed"
        exit 1
    fi
    PORT=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    URL=http://127.0.0.1:$PORT
    "$BIN" --port "$PORT" --host 127.0.0.1 --in-memory >"$WORK/server.log" 2>&1 &
    PID=$!
    tries=0
    until curl -s -o /dev/null "$URL/"; do   # readiness: poll, at most 200 x 50 ms
        tries=$((tries + 1))
        if [ "$tries" -ge 200 ] || ! kill -0 "$PID" 2>/dev/null; then
            echo "smoke.sh: server did not answer on $URL" >&2
            cat "$WORK/server.log" >&2
            echo "cli: 0 passed, 1 failed"
            exit 1
        fi
        sleep 0.05
    done
fi

# The README's "Try it" session, on a table name of its own.
TABLE=smoke_logfile_$$
KEY='{"PK": {"S": "request#1"}}'
check "create-table" "\"TableName\": \"$TABLE\"" create-table --table-name "$TABLE" \
    --attribute-definitions AttributeName=PK,AttributeType=S \
    --key-schema AttributeName=PK,KeyType=HASH --billing-mode PAY_PER_REQUEST
check "put-item" "" put-item --table-name "$TABLE" \
    --item '{"PK": {"S": "request#1"}, "bytessent": {"N": "2326"}, "url": {"S": "/index.html \u2013 home"}}'
check "get-item" '"2326"' get-item --table-name "$TABLE" --key "$KEY"
check "get-item (text)" "request#1" get-item --table-name "$TABLE" --key "$KEY" --output text
check "describe-table" '"TableStatus": "ACTIVE"' describe-table --table-name "$TABLE"
check "list-tables" "\"$TABLE\"" list-tables
check "scan" '"Count": 1' scan --table-name "$TABLE"
check "delete-item" "" delete-item --table-name "$TABLE" --key "$KEY"
if "$AWS" dynamodb --endpoint-url "$URL" get-item --table-name "$TABLE" --key "$KEY" >"$WORK/out" 2>&1 \
        && ! grep -q '"Item"' "$WORK/out"; then
    pass "get-item after delete-item finds nothing"
else
    fail "get-item after delete-item finds nothing"
fi
check "execute-statement INSERT" '"Items": \[\]' execute-statement \
    --statement "INSERT INTO \"$TABLE\" VALUE {'PK': 'partiql#1', 'note': 'via PartiQL'}"
check "execute-statement SELECT" '"via PartiQL"' execute-statement \
    --statement "SELECT * FROM \"$TABLE\" WHERE PK = ?" --parameters '[{"S": "partiql#1"}]'
check_error "execute-statement INSERT again" "DuplicateItemException" execute-statement \
    --statement "INSERT INTO \"$TABLE\" VALUE {'PK': 'partiql#1'}"
check "update-time-to-live" '"AttributeName": "expires"' update-time-to-live --table-name "$TABLE" \
    --time-to-live-specification Enabled=true,AttributeName=expires
check "describe-time-to-live" '"TimeToLiveStatus": "ENABLED"' describe-time-to-live --table-name "$TABLE"
check "delete-table" "\"TableName\": \"$TABLE\"" delete-table --table-name "$TABLE"
check_error "describe-table after delete-table" "ResourceNotFoundException" describe-table --table-name "$TABLE"

# The workshop's table shape: provisioned, a GSI with an INCLUDE projection, the CLI's waiter
# (it polls every 20 s unless the table is ACTIVE at once), and the throughput raise.
TABLE=smoke_workshop_$$
check "create-table (workshop shape)" '"IndexName": "GSI_1"' create-table --table-name "$TABLE" \
    --attribute-definitions AttributeName=PK,AttributeType=S AttributeName=GSI_1_PK,AttributeType=S \
    --key-schema AttributeName=PK,KeyType=HASH \
    --provisioned-throughput ReadCapacityUnits=5,WriteCapacityUnits=5 \
    --global-secondary-indexes 'IndexName=GSI_1,KeySchema=[{AttributeName=GSI_1_PK,KeyType=HASH}],Projection={ProjectionType=INCLUDE,NonKeyAttributes=[bytessent]},ProvisionedThroughput={ReadCapacityUnits=5,WriteCapacityUnits=5}'
check "wait table-exists" "" wait table-exists --table-name "$TABLE"
check "update-table" '"TableName"' update-table --table-name "$TABLE" \
    --provisioned-throughput ReadCapacityUnits=100,WriteCapacityUnits=100
check "describe-table after update-table" '"ReadCapacityUnits": 100' describe-table --table-name "$TABLE"
check "delete-table (workshop shape)" "" delete-table --table-name "$TABLE"

if [ -n "$PID" ]; then
    kill -TERM "$PID"
    if wait "$PID"; then
        pass "server exits 0 on SIGTERM"
    else
        cp "$WORK/server.log" "$WORK/out"
        fail "server exits 0 on SIGTERM"
    fi
    PID=""
fi

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
