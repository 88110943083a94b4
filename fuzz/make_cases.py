#!/usr/bin/python3
"""make_cases.py — records DynamoDB Local's answers as data-driven unit-test cases.

Reads a case list (JSON lines: {"id", "kind", "expr", "names"?, "values"?, "item"?}) and writes
tests/unit/cases/expr/<id>/{input,expected}. The expected line is DynamoDB Local's verdict in
expr_cli's format ("ERR ValidationException: <message>", or "OK" / "OK true|false" / "OK <item>"
for successes), so every case is ground truth. Cases where fuzz/expr_cli disagrees are listed;
pass --keep-cli-on-mismatch with a reason to record our answer instead (documented deviations).
Usage: fuzz/make_cases.py --cli build/expr_cli cases.jsonl [--url http://127.0.0.1:8001]"""
import argparse, json, os, subprocess, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from expr_diff import call, ensure_tables, ddb, normalize   # noqa: E402

def canon(v):
    """Set members sorted, so that results compare regardless of set order."""
    if isinstance(v, dict):
        return {k: (sorted(x) if k in ('SS', 'NS', 'BS') else canon(x)) for k, x in v.items()}
    if isinstance(v, list):
        return [canon(x) for x in v]
    return v

def with_item(url, c):
    """DynamoDB Local's result for a case that carries an item."""
    key = {'pk': {'S': 'case_' + c['id']}}
    table = 'expr_h'
    call(url, 'DeleteItem', {'TableName': table, 'Key': key})
    item = dict(c['item']); item.update(key)
    err = call(url, 'PutItem', {'TableName': table, 'Item': item})
    if err:
        return 'ERR ' + err
    b = {'TableName': table, 'Key': key}
    if c.get('names'):
        b['ExpressionAttributeNames'] = dict(c['names'])
    if c.get('values'):
        b['ExpressionAttributeValues'] = dict(c['values'])
    req = urllib_req(url)
    if c['kind'] in ('condition', 'filter'):
        b['ConditionExpression'] = c['expr']
        b['UpdateExpression'] = 'SET zz_probe = :zz_probe'
        b.setdefault('ExpressionAttributeValues', {})[':zz_probe'] = {'S': 'p'}
        status, body = req('UpdateItem', b)
        call(url, 'DeleteItem', {'TableName': table, 'Key': key})
        if status == 200:
            return 'OK true'
        if 'ConditionalCheckFailed' in body.get('__type', ''):
            return 'OK false'
        return 'ERR %s: %s' % (body['__type'].split('#')[-1], body.get('Message', body.get('message')))
    if c['kind'] == 'update':
        b['UpdateExpression'] = c['expr']
        b['ReturnValues'] = 'ALL_NEW'
    elif c['kind'] == 'projection':
        b['ProjectionExpression'] = c['expr']
    status, body = req('UpdateItem' if c['kind'] == 'update' else 'GetItem', b)
    call(url, 'DeleteItem', {'TableName': table, 'Key': key})
    if status != 200:
        return 'ERR %s: %s' % (body['__type'].split('#')[-1], body.get('Message', body.get('message')))
    out = body.get('Attributes' if c['kind'] == 'update' else 'Item', {})
    if c['kind'] == 'update':
        out.pop('pk', None)
    return 'OK ' + json.dumps(canon(out), sort_keys=True, separators=(',', ':'))

def numbers_equal(a, b):
    """Same JSON up to the spelling of numbers ("1.00" vs "1"): DynamoDB Local keeps the scale of
    an arithmetic result, DynamoDB and dynastream normalise it (see number.h)."""
    from decimal import Decimal
    if isinstance(a, dict) and isinstance(b, dict):
        if a.keys() != b.keys():
            return False
        for k in a:
            if k == 'N':
                if Decimal(a[k]) != Decimal(b[k]):
                    return False
            elif k == 'NS':
                if sorted(Decimal(x) for x in a[k]) != sorted(Decimal(x) for x in b[k]):
                    return False
            elif not numbers_equal(a[k], b[k]):
                return False
        return True
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(numbers_equal(x, y) for x, y in zip(a, b))
    return a == b

def urllib_req(url):
    import urllib.request, urllib.error
    def req(op, body):
        r = urllib.request.Request(url, data=json.dumps(body).encode(), headers={
            'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'DynamoDB_20120810.' + op,
            'Authorization': 'AWS4-HMAC-SHA256 Credential=x/20260101/us-east-1/dynamodb/aws4_request, '
                             'SignedHeaders=host, Signature=abc', 'X-Amz-Date': '20260101T000000Z'})
        try:
            with urllib.request.urlopen(r) as resp:
                return 200, json.loads(resp.read() or b'{}')
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b'{}')
    return req

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--cli', required=True)
    ap.add_argument('--url', default='http://127.0.0.1:8001')
    ap.add_argument('--out', default='tests/unit/cases/expr')
    ap.add_argument('cases')
    a = ap.parse_args()
    ensure_tables(a.url)
    cli = subprocess.Popen([a.cli], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    bad = 0
    for n, line in enumerate(open(a.cases)):
        if not line.strip():
            continue
        c = json.loads(line)
        if 'item' in c:
            expected = with_item(a.url, c)
        else:
            r = normalize(c['kind'], ddb(a.url, c['kind'], c['expr'], c.get('names'), c.get('values'), n))
            expected = 'OK' if r is None else 'ERR ' + r
        if c.get('expected'):          # a documented deviation from DynamoDB Local ('CLI': ours)
            expected = c['expected']
        inp = {k: c.get(k) for k in ('kind', 'expr', 'names', 'values', 'item')}
        if c.get('item') is not None:   # the item as stored: with its key
            inp['item'] = dict(c['item'], pk={'S': 'case_' + c['id']})
        cli.stdin.write(json.dumps(inp) + '\n')
        cli.stdin.flush()
        got = cli.stdout.readline().strip()
        if got.startswith('OK {'):
            res = json.loads(got[3:])
            if c['kind'] == 'update':
                res.pop('pk', None)
            got = 'OK ' + json.dumps(canon(res), sort_keys=True, separators=(',', ':'))
        if (got.startswith('OK {') and expected.startswith('OK {') and got != expected and
                numbers_equal(json.loads(got[3:]), json.loads(expected[3:]))):
            print('%s: number spelling differs (DynamoDB Local %s), recording ours' % (c['id'], expected))
            expected = got
        if expected == 'CLI' or (expected.endswith(': ?') and got.startswith(expected[:-3])):
            expected = got             # documented deviation: record our answer
        agree = got == expected or (expected == 'OK' and got.startswith('OK'))
        if not agree:
            bad += 1
            print(("%s %s %r\n   ddb: %s\n   cli: %s" % (c["id"], c["kind"], c["expr"][:200], expected[:400], got[:400])).encode("utf-8", "replace").decode("utf-8"))
        d = os.path.join(a.out, c['id'])
        os.makedirs(d, exist_ok=True)
        inp = {k: c[k] for k in ('kind', 'expr', 'names', 'values', 'item') if c.get(k) is not None}
        if 'item' in inp:
            inp['item'] = dict(inp['item'], pk={'S': 'case_' + c['id']})
        if c.get('why'):
            inp['why'] = c['why']
        with open(os.path.join(d, 'input'), 'w') as f:
            f.write(json.dumps(inp, ensure_ascii=False) + '\n')
        with open(os.path.join(d, 'expected'), 'w') as f:
            f.write(expected + '\n')
    print('%d disagreements' % bad)

if __name__ == '__main__':
    main()
