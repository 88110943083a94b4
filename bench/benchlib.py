"""benchlib.py — what the bench/*.py measuring scripts share (standard library only): the request
framing every server here accepts (a SigV4-shaped but unsigned Authorization header, as
bench/common.lua sends), the benchmark item, and percentiles. Imported from the script's own
directory, which Python puts first on sys.path."""
import http.client
import json
import socket

AUTH = ("AWS4-HMAC-SHA256 Credential=bench/20260101/us-east-1/dynamodb/aws4_request, "
        "SignedHeaders=host;x-amz-date, Signature=0000")
PAYLOAD = "x" * 250      # keep in step with bench/common.lua: items of about 300 bytes


class Failed(Exception):
    pass


def headers(op):
    """Headers of operation op; DynamoDB Streams operations are written 'Streams.GetRecords'."""
    target = ("DynamoDBStreams_20120810." + op[8:]) if op.startswith("Streams.") else "DynamoDB_20120810." + op
    return {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": target,
            "Authorization": AUTH, "X-Amz-Date": "20260101T000000Z"}


def call(conn, op, body):
    """One request on a keep-alive connection; returns (status, parsed body or raw text)."""
    conn.request("POST", "/", json.dumps(body), headers(op))
    resp = conn.getresponse()
    data = resp.read()
    try:
        return resp.status, json.loads(data or b"{}")
    except ValueError:
        return resp.status, data.decode("utf-8", "replace")


def ok(conn, op, body):
    """call() that raises Failed unless the answer is HTTP 200; returns the parsed body."""
    status, parsed = call(conn, op, body)
    if status != 200:
        raise Failed("%s: HTTP %d %s" % (op, status, str(parsed)[:300]))
    return parsed


def connect(port, timeout=30):
    return http.client.HTTPConnection("127.0.0.1", int(port), timeout=timeout)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def item(key, n=0):
    """The benchmark item (as bench/common.lua's item_json): about 300 bytes."""
    return {"pk": {"S": key}, "payload": {"S": PAYLOAD}, "n": {"N": str(1000000000 + n)},
            "flag": {"BOOL": True}}


def percentile(values, fraction):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * fraction))] if values else 0.0
