"""test_manual_requests.py — the protocol layer, with hand-made requests: JSON parsing, X-Amz-Target,
the Authorization header's shape, response headers (request id, CRC32), GET /, the 16 MiB body cap,
and per-access-key/region table namespaces.

DynamoDB Local's protocol layer differs a lot from DynamoDB's (it answers most malformed requests with
500 InternalFailure and has its own authentication messages). The expected answers here are
DynamoDB's, as recorded by dynalite against it; such tests are marked local_differs.
"""
import http.client
import json
import socket
import urllib.parse
import zlib

import pytest

import util

SERIALIZATION = {"__type": "com.amazon.coral.service#SerializationException"}
UNKNOWN_OPERATION = {"__type": "com.amazon.coral.service#UnknownOperationException"}
LOCAL_PROTOCOL = "DynamoDB Local answers malformed requests with 500 InternalFailure"
LOCAL_AUTH = "DynamoDB Local does not check the Authorization header's shape the way DynamoDB does"
CREDENTIAL = "Credential=AKIDEXAMPLE/20260101/us-east-1/dynamodb/aws4_request"
SIGNED = "SignedHeaders=host;x-amz-date;x-amz-target"
SIGNATURE = "Signature=0123456789abcdef"


def request_raw(url, method="POST", body=b"", headers=None):
    """One request with exactly these headers (nothing added): (status, headers, raw body)."""
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        conn.request(method, "/", body=body or None, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def still_serving(url):
    status, _, body, raw = util.raw_request(url)
    return status == 200 and "TableNames" in body


# =============================================================================================
# Serialization: the body must be JSON (DynamoDB: SerializationException without a message)
# =============================================================================================

@pytest.mark.local_differs(LOCAL_PROTOCOL)
@pytest.mark.parametrize("body", [b"{", b"habababa", b'{"TableName": }', b"{'a': 1}", b"\xff\xfe"],
                         ids=["truncated", "word", "missing-value", "single-quotes", "not-utf8"])
def test_malformed_json(url, body):
    # why: a body that is not JSON is a SerializationException, and the body says nothing more.
    status, headers, parsed, raw = util.raw_request(url, body=body)
    assert (status, parsed) == (400, SERIALIZATION), raw


@pytest.mark.local_differs(LOCAL_PROTOCOL)
def test_empty_body(url):
    # why: an empty body is not an empty request object.
    status, headers, parsed, raw = util.raw_request(url, body=b"")
    assert (status, parsed) == (400, SERIALIZATION), raw


@pytest.mark.local_differs(LOCAL_PROTOCOL)
def test_json_checked_before_authorization(url):
    # why: DynamoDB parses the body before it looks at the Authorization header.
    status, headers, parsed, raw = util.raw_request(url, body=b"{", auth=None)
    assert (status, parsed) == (400, SERIALIZATION), raw


def test_duplicate_json_keys_last_wins(url, table_s):
    # why: DynamoDB Local takes the last of duplicate keys; the parser must not reject or keep the first.
    body = b'{"TableName": "' + table_s.encode() + b'", "TableName": "' + util.unique_name().encode() + b'"}'
    status, headers, parsed, raw = util.raw_request(url, target="DynamoDB_20120810.DescribeTable", body=body)
    assert status == 400 and util.error_of(parsed)[0] == "ResourceNotFoundException", raw


def test_deeply_nested_json(url, table_s):
    # why: a 100,000-level document must be refused, not crash a recursive parser.
    depth = 100000
    body = (b'{"TableName": "' + table_s.encode() + b'", "Item": {"pk": {"S": "deep"}, "x": '
            + b'{"L": [' * depth + b'{"S": "x"}' + b"]}" * depth + b"}}")
    status, headers, parsed, raw = util.raw_request(url, target="DynamoDB_20120810.PutItem", body=body)
    assert status in (400, 500), raw
    assert still_serving(url)


# =============================================================================================
# Validation: X-Amz-Target
# =============================================================================================

@pytest.mark.parametrize("target", ["DynamoDB_20120810.Nope", "DynamoDB_20120810.listTables"],
                         ids=["unknown", "wrong-case"])
def test_unknown_operation(url, target):
    # why: operation names are exact; an unknown one is UnknownOperationException.
    status, headers, parsed, raw = util.raw_request(url, target=target)
    assert (status, util.error_of(parsed)[0]) == (400, "UnknownOperationException"), raw


@pytest.mark.local_differs(LOCAL_PROTOCOL)
@pytest.mark.parametrize("target", [None, "", "DynamoDB_20120810", "Nope.ListTables", "DynamoDB_20120810.Nope",
                                    "DynamoDB_20120810.ListTables.x"],
                         ids=["missing", "empty", "no-operation", "unknown-service", "unknown-operation", "extra-part"])
def test_unknown_operation_body(url, target):
    # why: DynamoDB's answer to any target it cannot route is this body, without a message.
    status, headers, parsed, raw = util.raw_request(url, target=target)
    assert (status, parsed) == (400, UNKNOWN_OPERATION), raw


# =============================================================================================
# Validation: the Authorization header (shape only; signatures are not checked by default)
# =============================================================================================

@pytest.mark.local_differs(LOCAL_AUTH)
def test_missing_authorization(url):
    # why: a request without Authorization is refused before anything else about it is checked.
    status, headers, parsed, raw = util.raw_request(url, auth=None)
    assert status == 400, raw
    assert util.error_of(parsed) == ("MissingAuthenticationTokenException", "Request is missing Authentication Token")
    assert parsed["__type"] == "com.amazon.coral.service#MissingAuthenticationTokenException"


@pytest.mark.local_differs(LOCAL_AUTH)
@pytest.mark.parametrize("auth, date, missing", [
    (f"AWS4-HMAC-SHA256 {SIGNED}, {SIGNATURE}", True, ["Credential"]),
    (f"AWS4-HMAC-SHA256 {CREDENTIAL}, {SIGNED}", True, ["Signature"]),
    (f"AWS4-HMAC-SHA256 {CREDENTIAL}, {SIGNATURE}", True, ["SignedHeaders"]),
    (f"AWS4-HMAC-SHA256 {CREDENTIAL}, {SIGNED}, {SIGNATURE}", False, ["date"]),
    ("AWS4-", False, ["Credential", "Signature", "SignedHeaders", "date"]),
], ids=["no-credential", "no-signature", "no-signed-headers", "no-date", "nothing"])
def test_incomplete_signature(url, auth, date, missing):
    # why: each missing part of a SigV4 header is named, in this order, then the header is quoted.
    parts = {"Credential": "Authorization header requires 'Credential' parameter. ",
             "Signature": "Authorization header requires 'Signature' parameter. ",
             "SignedHeaders": "Authorization header requires 'SignedHeaders' parameter. ",
             "date": "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "}
    status, headers, parsed, raw = util.raw_request(url, auth=auth, date=date)
    assert status == 400, raw
    assert parsed["__type"] == "com.amazon.coral.service#IncompleteSignatureException"
    assert util.error_of(parsed)[1] == "".join(parts[m] for m in missing) + "Authorization=" + auth


def test_signature_not_verified(url):
    # why: like DynamoDB Local, a well-formed header with a wrong signature is accepted by default.
    auth = f"AWS4-HMAC-SHA256 {CREDENTIAL}, {SIGNED}, {SIGNATURE}"
    status, headers, parsed, raw = util.raw_request(url, auth=auth)
    assert status == 200 and "TableNames" in parsed, raw


# =============================================================================================
# Functionality: response headers
# =============================================================================================

def test_request_id_on_every_response(url, table_s):
    # why: SDKs log x-amzn-RequestId; it is on successes and errors alike, and differs per request.
    ids = set()
    for target, body in (("ListTables", {}), ("DescribeTable", {"TableName": table_s}),
                         ("DescribeTable", {"TableName": util.unique_name()}), ("DescribeTable", {"TableName": "a"})):
        status, headers, parsed, raw = util.raw_request(url, target=f"DynamoDB_20120810.{target}", body=body)
        assert headers.get("x-amzn-requestid"), (status, raw)
        ids.add(headers["x-amzn-requestid"])
    assert len(ids) == 4


def test_crc32_on_success(url, table_s):
    # why: SDKs (boto3 included) verify x-amz-crc32 against the body and retry on mismatch.
    for target, body in (("ListTables", {}), ("DescribeTable", {"TableName": table_s}),
                         ("GetItem", {"TableName": table_s, "Key": {"pk": {"S": "\u00e9\U0001F600"}}})):
        status, headers, parsed, raw = util.raw_request(url, target=f"DynamoDB_20120810.{target}", body=body)
        assert status == 200, raw
        assert headers["x-amz-crc32"] == str(zlib.crc32(raw))
        assert headers["content-type"] == "application/x-amz-json-1.0"
        assert int(headers["content-length"]) == len(raw)


@pytest.mark.local_differs("DynamoDB Local sends no x-amz-crc32 on error responses")
def test_crc32_on_errors(url):
    # why: DynamoDB checksums error bodies too.
    for target, body in (("DescribeTable", {"TableName": util.unique_name()}), ("DescribeTable", {"TableName": "a"}),
                         ("Nope", {})):
        status, headers, parsed, raw = util.raw_request(url, target=f"DynamoDB_20120810.{target}", body=body)
        assert status == 400 and headers["x-amz-crc32"] == str(zlib.crc32(raw)), raw


def test_error_namespaces(url):
    # why: each error type has its own __type namespace, as DynamoDB sends it.
    status, _, parsed, raw = util.raw_request(url, target="DynamoDB_20120810.DescribeTable", body={"TableName": "a"})
    assert parsed["__type"] == "com.amazon.coral.validate#ValidationException", raw
    status, _, parsed, raw = util.raw_request(url, target="DynamoDB_20120810.DescribeTable",
                                              body={"TableName": util.unique_name()})
    assert parsed["__type"] == "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException", raw


def test_json_content_type_accepted(url):
    # why: older SDKs send Content-Type application/json; DynamoDB answers them the same way.
    status, headers, parsed, raw = util.raw_request(url, headers={"Content-Type": "application/json"})
    assert status == 200 and "TableNames" in parsed, raw


def test_path_ignored(url):
    # why: DynamoDB does not route on the HTTP path.
    status, headers, parsed, raw = util.raw_request(url, path="/some/path")
    assert status == 200 and "TableNames" in parsed, raw


def test_keep_alive(url, table_s):
    # why: SDKs reuse connections; several requests on one connection each get their answer.
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    body = json.dumps({"TableName": table_s}).encode()
    headers = util.sign(url + "/", {"Content-Type": util.JSON_CONTENT_TYPE,
                                    "X-Amz-Target": "DynamoDB_20120810.DescribeTable"}, body)
    try:
        for _ in range(3):
            conn.request("POST", "/", body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            assert resp.status == 200 and json.loads(data)["Table"]["TableName"] == table_s
    finally:
        conn.close()


@pytest.mark.local_differs("DynamoDB Local answers GET / with MissingAuthenticationToken")
def test_health_check(url):
    # why: DynamoDB answers an unauthenticated GET / with 200 "healthy: <endpoint>" (load balancers use it).
    status, headers, raw = request_raw(url, method="GET")
    assert status == 200 and raw.startswith(b"healthy: "), raw


# =============================================================================================
# Functionality: request size cap (16 MiB), refused early
# =============================================================================================

BODY_CAP = 16 * 1024 * 1024


def send_headers(url, extra):
    parts = urllib.parse.urlsplit(url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=10)
    head = ("POST / HTTP/1.1\r\nHost: {}\r\nContent-Type: application/x-amz-json-1.0\r\n"
            "X-Amz-Target: DynamoDB_20120810.ListTables\r\nX-Amz-Date: 20260101T000000Z\r\n"
            "Authorization: AWS4-HMAC-SHA256 {}, {}, {}\r\n{}\r\n").format(
        parts.netloc, CREDENTIAL, SIGNED, SIGNATURE, extra)
    sock.sendall(head.encode())
    return sock


def read_status(sock):
    """The status line of the answer, read within the socket timeout."""
    data = b""
    while b"\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data.split(b"\r\n")[0]


@pytest.mark.server_only("DynamoDB Local waits for the whole announced body")
def test_body_cap_content_length(url):
    # why: a 17 MiB Content-Length is refused with 413 before the body arrives.
    sock = send_headers(url, f"Content-Length: {17 * 1024 * 1024}\r\n")
    try:
        sock.sendall(b'{"Limit": 1' + b" " * 1000)
        assert read_status(sock).startswith(b"HTTP/1.1 413"), "no 413 within 10 s"
    finally:
        sock.close()
    assert still_serving(url)


@pytest.mark.server_only("DynamoDB Local's behaviour on huge chunked bodies is not the point here")
def test_body_cap_chunked(url):
    # why: a chunked body has no Content-Length; the cap must hold for it too (refused with 413
    # as soon as it is over, or at the latest when it ends, without keeping the 17 MiB).
    sock = send_headers(url, "Transfer-Encoding: chunked\r\n")
    chunk = b" " * (1024 * 1024)
    status = b""
    try:
        try:
            sock.sendall(b"%x\r\n{\r\n" % 1)
            for _ in range(BODY_CAP // len(chunk) + 1):
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            sock.sendall(b"1\r\n}\r\n0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass   # the server stopped reading early: its answer is waiting
        status = read_status(sock)
    finally:
        sock.close()
    assert status.startswith(b"HTTP/1.1 413"), status
    assert still_serving(url)


@pytest.mark.server_only("exercises our cap exactly")
def test_body_under_cap_is_parsed(url):
    # why: a body just under the cap is read in full and answered normally (here: padded JSON).
    body = b'{"Limit": 1' + b" " * (BODY_CAP - 64) + b"}"
    status, headers, parsed, raw = util.raw_request(url, body=body)
    assert status == 200 and "TableNames" in parsed, raw


# =============================================================================================
# Functionality: table namespaces (per access key id and region, unless --shared-db)
# =============================================================================================

def test_tables_separate_per_access_key(url):
    # why: like DynamoDB Local, each access key id sees its own tables.
    key_a, key_b = (util.unique_name("AKIDA").replace("-", ""), util.unique_name("AKIDB").replace("-", ""))
    a, b = util.client_for(url, access_key=key_a), util.client_for(url, access_key=key_b)
    name = util.create_table(a, util.unique_name(), [("pk", "S")])
    try:
        a.put_item(TableName=name, Item={"pk": {"S": "x"}})
        assert a.list_tables()["TableNames"] == [name]
        assert b.list_tables()["TableNames"] == []
        with pytest.raises(b.exceptions.ResourceNotFoundException):
            b.get_item(TableName=name, Key={"pk": {"S": "x"}})
        util.create_table(b, name, [("other", "N")])   # the same name is free for key B
        assert b.scan(TableName=name)["Count"] == 0
        assert a.scan(TableName=name)["Count"] == 1
        b.delete_table(TableName=name)
    finally:
        a.delete_table(TableName=name)


def test_tables_separate_per_region(url):
    # why: a table lives in one region; the same key in another region does not see it.
    key = util.unique_name("AKIDR").replace("-", "")
    east, west = util.client_for(url, access_key=key), util.client_for(url, access_key=key, region="eu-west-1")
    name = util.create_table(east, util.unique_name(), [("pk", "S")])
    try:
        assert east.list_tables()["TableNames"] == [name]
        assert west.list_tables()["TableNames"] == []
        with pytest.raises(west.exceptions.ResourceNotFoundException):
            west.describe_table(TableName=name)
    finally:
        east.delete_table(TableName=name)


def test_same_key_and_region_share_tables(url):
    # why: a second client with the same key and region sees the same tables (no per-connection state).
    key = util.unique_name("AKIDS").replace("-", "")
    one, two = util.client_for(url, access_key=key), util.client_for(url, access_key=key)
    name = util.create_table(one, util.unique_name(), [("pk", "S")])
    try:
        one.put_item(TableName=name, Item={"pk": {"S": "x"}})
        assert two.get_item(TableName=name, Key={"pk": {"S": "x"}})["Item"] == {"pk": {"S": "x"}}
    finally:
        one.delete_table(TableName=name)
