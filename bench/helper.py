#!/usr/bin/python3
"""helper.py — the small jobs of bench/run.sh that are awkward in sh; no third-party modules.

  freeport                             print a free TCP port on 127.0.0.1
  launch [--cwd DIR] PIDFILE RESULTFILE LOG TIMEOUT_S PORT -- CMD...
                                       start a server, time its first answer to ListTables, and
                                       stay its parent (run it in the background)
  create-table PORT TABLE              CreateTable (hash key pk S, on demand), wait until ACTIVE
  preload PORT TABLE COUNT [--verify]  PutItem keys item-0000000.. with 8 keep-alive connections
  report ROWS META OUT                 render the Markdown report from run.sh's TSV files

Requests carry the same headers as the wrk scripts (bench/common.lua): a SigV4-shaped
Authorization header, which DynamoDB Local requires (unsigned: MissingAuthenticationToken), and
X-Amz-Date. Signatures are not checked by the servers benchmarked here.
"""
import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time

from benchlib import call, item


def cmd_freeport():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        print(s.getsockname()[1])


def alive(pid):
    """True while PID runs (a zombie, i.e. an exited child not yet reaped, counts as dead)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except OSError:
        return False


def cmd_launch(pidfile, resultfile, log, timeout_s, port, argv, cwd=None):
    """Starts argv as a child (stdout and stderr to LOG, in CWD), writes its pid to PIDFILE at
    once, polls ListTables on PORT until the first answer, and writes "ok <ms>" (milliseconds
    from spawn to that answer) or "fail <reason>" to RESULTFILE. The clock starts after this
    interpreter has started, so it measures the server only. A refused connection is retried
    after BENCH_POLL_US (default 200 µs) rather than in a pure busy loop, which would take a
    core from a starting JVM on a small machine. Any HTTP status counts as an answer (a non-200
    one is reported on stderr). Then it stays the server's parent until the server exits, so
    that the server is reaped (pid 1 of a container may not reap orphans); SIGTERM is passed on.
    On failure it stops the server itself."""
    pause = int(os.environ.get("BENCH_POLL_US", "200")) / 1e6

    def result(text):
        with open(resultfile + ".tmp", "w") as f:
            f.write(text + "\n")
        os.rename(resultfile + ".tmp", resultfile)

    with open(log, "wb") as out:
        t0 = time.monotonic()
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=out, cwd=cwd)
    signal.signal(signal.SIGTERM, lambda *_: proc.poll() is None and proc.terminate())
    with open(pidfile, "w") as f:
        f.write("%d\n" % proc.pid)
    deadline, why = t0 + float(timeout_s), "no answer within %s s" % timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            why = "exited with status %s before answering" % proc.returncode
            break
        conn = http.client.HTTPConnection("127.0.0.1", int(port), timeout=2)
        try:
            status, body = call(conn, "ListTables", {})
            ms = (time.monotonic() - t0) * 1000
            if status != 200:
                print("first answer was HTTP %d: %s" % (status, body), file=sys.stderr)
            result("ok %.1f" % ms)
            return proc.wait()
        except (OSError, http.client.HTTPException):
            if pause:
                time.sleep(pause)
        finally:
            conn.close()
    result("fail " + why)
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return 1


def cmd_create_table(port, table):
    conn = http.client.HTTPConnection("127.0.0.1", int(port), timeout=10)
    status, body = call(conn, "CreateTable", {
        "TableName": table,
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "BillingMode": "PAY_PER_REQUEST"})
    if status != 200:
        print("CreateTable: HTTP %d %s" % (status, body), file=sys.stderr)
        return 1
    # The ceiling probe answers "{}": nothing to wait for. Real servers may say CREATING.
    state = body.get("TableDescription", {}).get("TableStatus", "ACTIVE") if isinstance(body, dict) else "ACTIVE"
    deadline = time.monotonic() + 30
    while state != "ACTIVE":
        if time.monotonic() > deadline:
            print("table %s not ACTIVE after 30 s" % table, file=sys.stderr)
            return 1
        time.sleep(0.05)
        status, body = call(conn, "DescribeTable", {"TableName": table})
        state = body.get("Table", {}).get("TableStatus") if status == 200 else None
    return 0


def cmd_preload(port, table, count, verify):
    """Writes item-0000000 .. item-<count-1> (the keys bench/get.lua reads) and, with --verify,
    reads the first and last back, so that the GetItem workload measures hits."""
    count, nthreads, failures = int(count), 8, []

    def worker(first):
        conn = http.client.HTTPConnection("127.0.0.1", int(port), timeout=30)
        try:
            for i in range(first, count, nthreads):
                status, body = call(conn, "PutItem",
                                    {"TableName": table, "Item": item("item-%07d" % i, i)})
                if status != 200:
                    failures.append("item-%07d: HTTP %d %s" % (i, status, body))
                    return
        except (OSError, http.client.HTTPException) as e:
            failures.append("connection: %r" % e)
        finally:
            conn.close()

    threads = [threading.Thread(target=worker, args=(t,)) for t in range(nthreads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        print("preload failed: %s" % failures[0], file=sys.stderr)
        return 1
    if verify:
        conn = http.client.HTTPConnection("127.0.0.1", int(port), timeout=10)
        for i in (0, count - 1):
            key = "item-%07d" % i
            status, body = call(conn, "GetItem", {"TableName": table, "Key": {"pk": {"S": key}}})
            if status != 200 or not isinstance(body, dict) or \
                    body.get("Item", {}).get("pk", {}).get("S") != key:
                print("preload check: GetItem %s gave HTTP %d %s" % (key, status, body),
                      file=sys.stderr)
                return 1
    return 0


# ---- report ---------------------------------------------------------------------------------

SERVERS = {"dynastream": "dynastream", "ddblocal": "DynamoDB Local",
           "ceiling": "ceiling (HTTP only)"}


def read_tsv(path):
    with open(path) as f:
        return [line.rstrip("\n").split("\t") for line in f if line.strip()]


def ms(us):
    return "%.2f" % (float(us) / 1000)


def ratio(a, b):
    return "%.2f×" % (a / b) if a and b else "–"


def cmd_report(rows_path, meta_path, out_path):
    rows = read_tsv(rows_path) if os.path.exists(rows_path) else []
    meta = {}
    for server, key, value in read_tsv(meta_path) if os.path.exists(meta_path) else []:
        meta.setdefault(server, {})[key] = value
    env = meta.get("run", {})
    order = list(SERVERS)
    workloads = list(dict.fromkeys(r[1] for r in rows))
    rows.sort(key=lambda r: (workloads.index(r[1]), int(r[2]),
                             order.index(r[0]) if r[0] in order else len(order)))
    out = ["# dynastream benchmark", "",
           "%s · %s · %s s per run after %s s of warm-up · wrk %s on loopback, on the same cores "
           "as the server" % (env.get("date", "?"), env.get("machine", "?"), env.get("seconds", "?"),
                              env.get("warmup", "?"), env.get("wrk", "?")), ""]
    for key, text in (("dynastream", "dynastream: %s"), ("ddblocal", "DynamoDB Local: %s"),
                      ("ceiling", "ceiling: %s")):
        if key + "_version" in env:
            out.append("- " + text % env[key + "_version"])
    for server in order:
        if "skipped" in meta.get(server, {}):
            out.append("- **%s skipped**: %s" % (SERVERS[server], meta[server]["skipped"]))

    out += ["", "## Throughput and latency", "",
            "| Workload | Conns | Server | Requests/s | p50 ms | p99 ms | non-2xx | socket errors | |",
            "|---|--:|---|--:|--:|--:|--:|--:|---|"]
    rps = {}
    for server, workload, conns, reqs, p50, p99, non2xx, sockerr in rows:
        flag = "**FLAG: errors**" if int(non2xx) or int(sockerr) else ""
        rps[(server, workload, conns)] = float(reqs)
        out.append("| %s | %s | %s | %.0f | %s | %s | %s | %s | %s |" % (
            workload, conns, SERVERS.get(server, server), float(reqs), ms(p50), ms(p99),
            non2xx, sockerr, flag))

    out += ["", "## Start-up and memory", "",
            "| Server | Start-up to first answer (ms) | RSS after start-up (MiB) | "
            "RSS after workloads (MiB) |", "|---|--:|--:|--:|"]
    for server in order:
        m = meta.get(server, {})
        if "startup_ms" not in m:
            continue
        mib = lambda k: "%.1f" % (int(m[k]) / 1024) if m.get(k) else "–"
        out.append("| %s | %s | %s | %s |" % (SERVERS[server], m["startup_ms"],
                                              mib("rss_start_kb"), mib("rss_end_kb")))

    top = str(max((int(r[2]) for r in rows), default=16))
    out += ["", "## Ratios of requests/s at %s connections" % top, "",
            "| Workload | dynastream / DynamoDB Local | dynastream / ceiling | "
            "DynamoDB Local / ceiling |", "|---|--:|--:|--:|"]
    for workload in workloads:
        get = lambda s: rps.get((s, workload, top))
        out.append("| %s | %s | %s | %s |" % (workload,
                                              ratio(get("dynastream"), get("ddblocal")),
                                              ratio(get("dynastream"), get("ceiling")),
                                              ratio(get("ddblocal"), get("ceiling"))))
    out += ["", "Method: requests/s = completed requests / measured duration; latencies from "
            "wrk's histogram; non-2xx = wrk's count of statuses >= 400 (1xx/3xx do not occur "
            "here); socket errors = connect + read + write + timeout (5 s). Any error flags the "
            "row. Start-up = spawn to the first HTTP answer to ListTables, polled every 200 µs. "
            "RSS = VmRSS 1 s after the first answer and 1 s after the last workload. The ceiling "
            "probe answers \"{}\" to everything, so its GetItem responses are smaller than real "
            "ones."]
    notes = meta.get("notes", {})
    if notes:
        out += ["", "Notes:"] + ["- %s" % v for _, v in sorted(notes.items())]
    text = "\n".join(out) + "\n"
    with open(out_path, "w") as f:
        f.write(text)
    sys.stdout.write(text)
    return 0


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    cmd, args = argv[1], argv[2:]
    if cmd == "freeport":
        return cmd_freeport()
    if cmd == "launch":
        cwd = None
        if args[0] == "--cwd":
            cwd, args = args[1], args[2:]
        sep = args.index("--")
        return cmd_launch(*args[:sep], args[sep + 1:], cwd=cwd)
    if cmd == "create-table":
        return cmd_create_table(*args)
    if cmd == "preload":
        return cmd_preload(args[0], args[1], args[2], "--verify" in args[3:])
    if cmd == "report":
        return cmd_report(*args)
    print("unknown command %s" % cmd, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv) or 0)
