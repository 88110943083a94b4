"""util.py — the few helpers the API tests share, kept small on purpose.

raw_request() POSTs arbitrary bytes or JSON with headers of our choosing, for malformed input and for
parameters that Debian's boto3 1.26 does not know (it drops or refuses them); raises() checks an
error's code and exact message; enveloped() floats the regional "1 validation error detected: "
prefix; violation()/violations() spell DynamoDB's aggregated constraint messages; create_table()
makes a table and waits until it is ACTIVE; unique_name() and unique_key() make names no other
test uses; client_for() builds a boto3 client with other credentials or region;
put_items() loads many items at once (PutItem from a small thread pool, as there is no BatchWriteItem).
"""
import concurrent.futures
import contextlib
import datetime
import http.client
import json
import re
import time
import urllib.parse
import uuid

import boto3
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError, ConnectionClosedError, EndpointConnectionError

# Test credentials: DynamoDB Local and dynastream check the header's shape, not the signature.
ACCESS_KEY = "AKIDDYNASTREAMTEST"
SECRET_KEY = "dynastream-test-secret"
REGION = "us-east-1"
JSON_CONTENT_TYPE = "application/x-amz-json-1.0"

# What answers at the endpoint: "dynastream", "dynamodb-local" or "aws"; set by conftest.
DIALECT = "dynastream"


def unique_name(prefix="t"):
    """A table name no other test (or earlier run against a shared endpoint) uses."""
    return f"{prefix}-{uuid.uuid4().hex[:16]}"


def unique_key(prefix="k"):
    """A key value no other test uses, so tests can share tables."""
    return f"{prefix}-{uuid.uuid4().hex}"


@contextlib.contextmanager
def raises(code, message, local=None, status=400):
    """Expects the block to fail with error `code` and exactly `message` (HTTP `status`).

    message: DynamoDB's text, or a compiled regex it must match in full (for echoes of the request
    whose exact rendering is not pinned). local: DynamoDB Local's different text for the same error,
    used only when the endpoint is DynamoDB Local, so the test still runs there.
    """
    with pytest.raises(ClientError) as excinfo:
        yield excinfo
    response = excinfo.value.response
    want = local if (local is not None and DIALECT == "dynamodb-local") else message
    got = (response["Error"]["Code"], response["Error"].get("Message"),
           response["ResponseMetadata"]["HTTPStatusCode"])
    if isinstance(want, re.Pattern):
        assert (got[0], got[2]) == (code, status) and want.fullmatch(got[1] or ""), got
    else:
        assert got == (code, want, status)


ENVELOPE = "1 validation error detected: "


def enveloped(message):
    """DynamoDB's text of a write operation's request-validation error, with the ENVELOPE that
    us-east-1, eu-west-2 and eu-central-1 put in front of it (nubo-db/dynamodb-conformance,
    captures/2026-08-12-wording-drift.json) and ap-southeast-2 and DynamoDB Local do not: a regex
    for raises() that floats the envelope, as the conformance suite does, and pins the rest."""
    return re.compile(f"(?:{re.escape(ENVELOPE)})?{re.escape(message)}")


def violation(value, path, constraint):
    """One constraint violation as DynamoDB's front end words it (value None is JSON null)."""
    shown = "null" if value is None else f"'{value}'"
    return f"Value {shown} at '{path}' failed to satisfy constraint: Member must {constraint}"


def violations(*parts):
    """DynamoDB's aggregated ValidationException message for these violations, in this order."""
    return f"{len(parts)} validation error{'s' if len(parts) > 1 else ''} detected: " + "; ".join(parts)


def create_table(client, name, keys, **params):
    """CreateTable with keys = [(name, type), ...] (hash first), on-demand unless params say
    otherwise; waits (bounded) until ACTIVE, which is immediate on emulators."""
    attr_defs = params.pop("AttributeDefinitions", [])
    params.setdefault("BillingMode", "PAY_PER_REQUEST")
    client.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": a, "KeyType": k} for (a, _), k in zip(keys, ("HASH", "RANGE"))],
        AttributeDefinitions=[{"AttributeName": a, "AttributeType": t} for a, t in keys] + attr_defs,
        **params)
    return wait_active(client, name)


def wait_active(client, name, timeout=300):
    """Polls DescribeTable (bounded) until the table is ACTIVE; immediate on emulators."""
    deadline, delay = time.monotonic() + timeout, 0.01
    while client.describe_table(TableName=name)["Table"]["TableStatus"] != "ACTIVE":
        assert time.monotonic() < deadline, f"table {name} never became ACTIVE"
        time.sleep(delay)
        delay = min(1.0, delay * 2)
    return name


def delete_table(client, name):
    """Best-effort clean-up: a table already gone, or a server already dead, is fine here."""
    try:
        client.delete_table(TableName=name)
    except (client.exceptions.ResourceNotFoundException, EndpointConnectionError, ConnectionClosedError):
        pass


def put_items(client, table, items, threads=16):
    """PutItem of every item, from `threads` threads (boto3 clients are thread-safe); re-raises the
    first failure."""
    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        for _ in pool.map(lambda item: client.put_item(TableName=table, Item=item), items):
            pass


def client_for(url, access_key=ACCESS_KEY, region=REGION, service="dynamodb"):
    """A boto3 client without parameter validation or retries, so the server sees what we send."""
    return boto3.client(
        service, endpoint_url=url, region_name=region,
        aws_access_key_id=access_key, aws_secret_access_key=SECRET_KEY,
        config=Config(retries={"total_max_attempts": 1}, parameter_validation=False))


def sign(full_url, headers, data, access_key=ACCESS_KEY, region=REGION, method="POST"):
    """headers plus a SigV4 Authorization and X-Amz-Date for this request (the test secret key)."""
    req = AWSRequest(method=method, url=full_url, data=data, headers=dict(headers))
    SigV4Auth(Credentials(access_key, SECRET_KEY), "dynamodb", region).add_auth(req)
    return dict(req.headers.items())


def raw_request(url, target="DynamoDB_20120810.ListTables", body=b"{}", auth="sign", date=True,
                headers=None, access_key=ACCESS_KEY, region=REGION, method="POST", path="/"):
    """Send one request; return (status, headers with lower-case names, body, raw body bytes).

    body: bytes are sent as they are; anything else is JSON-encoded.
    target: the X-Amz-Target value, or None to leave the header out.
    auth: "sign" (a real SigV4 signature over what is sent), None (no Authorization header), or
    a string used verbatim as the Authorization header (with an X-Amz-Date header unless date=False).
    The body comes back parsed as JSON when it is JSON, else as bytes.
    """
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    parts = urllib.parse.urlsplit(url)
    hdrs = {"Content-Type": JSON_CONTENT_TYPE}
    if target is not None:
        hdrs["X-Amz-Target"] = target
    if auth == "sign":
        hdrs = sign(url.rstrip("/") + path, hdrs, data, access_key, region, method)
    elif auth is not None:
        hdrs["Authorization"] = auth
        if date:
            hdrs["X-Amz-Date"] = datetime.datetime.utcnow().strftime("%Y%m%dT%H%M%SZ")
    hdrs.update(headers or {})
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        conn.request(method, path, body=data if method != "GET" else None, headers=hdrs)
        resp = conn.getresponse()
        raw = resp.read()
        out_headers = {k.lower(): v for k, v in resp.getheaders()}
        status = resp.status
    finally:
        conn.close()
    try:
        parsed = json.loads(raw) if raw else raw
    except ValueError:
        parsed = raw
    return status, out_headers, parsed, raw


def error_of(body):
    """(short error code, message) of a JSON error body, whichever case the message key uses."""
    if not isinstance(body, dict):
        return None, None
    code = body.get("__type", "").split("#")[-1]
    return code, body.get("message", body.get("Message"))
