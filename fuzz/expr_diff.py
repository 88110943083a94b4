#!/usr/bin/python3
"""expr_diff.py — differential test of the expression engine against DynamoDB Local.

Generates random expressions (valid ones, then mutated at the token level), sends each to
DynamoDB Local through the operation that carries it and to fuzz/expr_cli, and prints every case
where the two disagree on the error message (or on success). Usage:
    fuzz/expr_diff.py --cli build/expr_cli [--url http://127.0.0.1:8001] [--n 500] [--seed 1]
DynamoDB Local needs two tables: expr_h (pk S) and expr_hr (pk S, sk N); they are created if
missing. Only the verdict is compared (evaluation results are covered by the unit tests)."""
import argparse, json, random, re, subprocess, sys, urllib.request, urllib.error

def call(url, op, body):
    req = urllib.request.Request(url, data=json.dumps(body).encode(), headers={
        'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'DynamoDB_20120810.' + op,
        'Authorization': 'AWS4-HMAC-SHA256 Credential=x/20260101/us-east-1/dynamodb/aws4_request, '
                         'SignedHeaders=host, Signature=abc', 'X-Amz-Date': '20260101T000000Z'})
    try:
        with urllib.request.urlopen(req) as r:
            return None
    except urllib.error.HTTPError as e:
        raw = e.read()
        try:
            d = json.loads(raw)
        except ValueError:
            return 'HTTP %d' % e.code
        name = d.get('__type', '').split('#')[-1]
        if name == 'ConditionalCheckFailedException':
            return None
        return '%s: %s' % (name, d.get('Message', d.get('message')))

def ensure_tables(url):
    for t, ks, ad in [('expr_h', [('pk', 'HASH')], [('pk', 'S')]),
                      ('expr_hr', [('pk', 'HASH'), ('sk', 'RANGE')], [('pk', 'S'), ('sk', 'N')])]:
        call(url, 'CreateTable', {'TableName': t, 'BillingMode': 'PAY_PER_REQUEST',
             'KeySchema': [{'AttributeName': a, 'KeyType': k} for a, k in ks],
             'AttributeDefinitions': [{'AttributeName': a, 'AttributeType': k} for a, k in ad]})

NAMES = {'#a': 'a', '#b': 'b', '#st': 'status', '#pk': 'pk', '#sk': 'sk'}
VALUES = {':s': {'S': 'x'}, ':s2': {'S': 'y'}, ':n': {'N': '1'}, ':n2': {'N': '2'},
          ':b': {'B': 'AAE='}, ':ss': {'SS': ['x']}, ':ns': {'NS': ['1']}, ':l': {'L': []},
          ':m': {'M': {}}, ':t': {'BOOL': True}, ':nul': {'NULL': True}, ':ty': {'S': 'S'}}
IDS = ['a', 'b', 'c', 'size', 'status', 'pk', 'sk', 'x1', 'name']
FUNCS = ['attribute_exists', 'attribute_not_exists', 'attribute_type', 'begins_with', 'contains',
         'size', 'foo', 'if_not_exists', 'list_append']

def r_path(rnd):
    p = rnd.choice(IDS + list(NAMES) + ['#zz'])
    for _ in range(rnd.choice([0, 0, 0, 1, 2])):
        p += rnd.choice(['.' + rnd.choice(IDS), '[%d]' % rnd.choice([0, 1, 2, 99999999999]),
                         '.' + rnd.choice(list(NAMES))])
    return p

def r_operand(rnd, d=0):
    c = rnd.random()
    if c < 0.45 or d > 2:
        return r_path(rnd)
    if c < 0.8:
        return rnd.choice(list(VALUES) + [':zz'])
    if c < 0.9:
        f = rnd.choice(FUNCS)
        return '%s(%s)' % (f, ', '.join(r_operand(rnd, d + 1) for _ in range(rnd.choice([1, 1, 2, 2, 3]))))
    return '(' + r_operand(rnd, d + 1) + ')'

def r_cond(rnd, d=0):
    c = rnd.random()
    if d > 3 or c < 0.35:
        return '%s %s %s' % (r_operand(rnd), rnd.choice(['=', '<>', '<', '<=', '>', '>=']), r_operand(rnd))
    if c < 0.45:
        return '%s BETWEEN %s AND %s' % (r_operand(rnd), r_operand(rnd), r_operand(rnd))
    if c < 0.52:
        return '%s IN (%s)' % (r_operand(rnd), ', '.join(r_operand(rnd) for _ in range(rnd.choice([1, 2, 3]))))
    if c < 0.65:
        f = rnd.choice(FUNCS)
        return '%s(%s)' % (f, ', '.join(r_operand(rnd) for _ in range(rnd.choice([1, 2, 2, 3]))))
    if c < 0.72:
        return 'NOT ' + r_cond(rnd, d + 1)
    if c < 0.82:
        return '(' + r_cond(rnd, d + 1) + ')'
    return '%s %s %s' % (r_cond(rnd, d + 1), rnd.choice(['AND', 'OR', 'and']), r_cond(rnd, d + 1))

def r_value(rnd, d=0):
    c = rnd.random()
    if c < 0.5:
        return r_operand(rnd)
    if c < 0.75:
        return '%s %s %s' % (r_operand(rnd), rnd.choice(['+', '-']), r_operand(rnd))
    if c < 0.9:
        f = rnd.choice(['if_not_exists', 'list_append', 'size', 'foo'])
        return '%s(%s)' % (f, ', '.join(r_operand(rnd) for _ in range(rnd.choice([1, 2, 2, 3]))))
    return '(' + r_value(rnd, d + 1) + ')'

def r_update(rnd):
    secs = []
    for _ in range(rnd.choice([1, 1, 2, 3])):
        s = rnd.choice(['SET', 'REMOVE', 'ADD', 'DELETE'])
        acts = []
        for _ in range(rnd.choice([1, 1, 2, 3])):
            if s == 'SET':
                acts.append('%s = %s' % (r_path(rnd), r_value(rnd)))
            elif s == 'REMOVE':
                acts.append(r_path(rnd))
            else:
                acts.append('%s %s' % (r_path(rnd), rnd.choice(list(VALUES) + [':zz'])))
        secs.append(s + ' ' + ', '.join(acts))
    return ' '.join(secs)

def r_projection(rnd):
    return ', '.join(r_path(rnd) for _ in range(rnd.choice([1, 2, 3])))

def r_key(rnd):
    parts = [rnd.choice(['pk = :s', ':s = pk', '#pk = :s', 'pk = :n', 'pk < :s'])]
    for _ in range(rnd.choice([0, 1, 1, 2])):
        parts.append(rnd.choice(['sk = :n', 'sk < :n', ':n >= sk', 'sk BETWEEN :n AND :n2',
                                 'begins_with(sk, :s)', 'sk BETWEEN :n2 AND :n', 'b = :n',
                                 'sk.x = :n', 'a.b = :n', 'size(sk) = :n', 'sk <> :n',
                                 'contains(sk, :n)', '#sk = :s', 'sk IN (:n)']))
    rnd.shuffle(parts)
    return rnd.choice([' AND ', ' AND ', ' OR ']).join(parts)

TOKEN_RE = re.compile(r'\s+|[A-Za-z][A-Za-z0-9_]*|[#:][A-Za-z0-9_]+|\d+|<>|<=|>=|.', re.S)
NOISE = ['(', ')', ',', '.', '[', ']', '=', '<', 'AND', 'OR', 'NOT', 'BETWEEN', 'IN', 'SET',
         '+', '-', ':s', '#a', 'a', '1', '01', '"', '_', 'é', ';', '((', '))']

def mutate(rnd, s):
    toks = [t for t in TOKEN_RE.findall(s)]
    for _ in range(rnd.choice([1, 1, 2])):
        if not toks:
            break
        i = rnd.randrange(len(toks))
        c = rnd.random()
        if c < 0.4:
            del toks[i]
        elif c < 0.7:
            toks.insert(i, rnd.choice(NOISE) + rnd.choice(['', ' ']))
        else:
            toks[i] = rnd.choice(NOISE)
    return ''.join(toks)

KINDS = {'condition': r_cond, 'filter': r_cond, 'update': r_update, 'projection': r_projection,
         'key': r_key}
PREFIX = {'condition': 'ConditionExpression', 'filter': 'FilterExpression', 'update': 'UpdateExpression',
          'projection': 'ProjectionExpression', 'key': 'KeyConditionExpression'}

def used(keys, e):
    return {k: v for k, v in keys.items() if re.search(re.escape(k) + r'(?![A-Za-z0-9_])', e)}

def ddb(url, kind, e, names, values, n):
    b = {}
    if names:
        b['ExpressionAttributeNames'] = names
    if values:
        b['ExpressionAttributeValues'] = values
    if kind == 'condition':
        b.update({'TableName': 'expr_h', 'Key': {'pk': {'S': 'diff_none'}}, 'ConditionExpression': e})
        return call(url, 'DeleteItem', b)
    if kind == 'filter':
        b.update({'TableName': 'expr_h', 'FilterExpression': e, 'Limit': 1})
        return call(url, 'Scan', b)
    if kind == 'projection':
        b.update({'TableName': 'expr_h', 'Key': {'pk': {'S': 'diff_none'}}, 'ProjectionExpression': e})
        return call(url, 'GetItem', b)
    if kind == 'key':
        b.update({'TableName': 'expr_hr', 'KeyConditionExpression': e})
        return call(url, 'Query', b)
    key = {'pk': {'S': 'diff_upd_%d' % n}}
    b.update({'TableName': 'expr_h', 'Key': key, 'UpdateExpression': e})
    r = call(url, 'UpdateItem', b)
    call(url, 'DeleteItem', {'TableName': 'expr_h', 'Key': key})
    return r

def normalize(kind, msg):
    """Known, deliberate differences from DynamoDB Local."""
    if msg is None:
        return None
    # Real DynamoDB names the missing key attribute; DynamoDB Local does not.
    m = re.match(r'(ValidationException: Query condition missed key schema element)$', msg)
    if m:
        return None if kind != 'key' else msg + ': ?'
    # GetItem refuses projections inside key attributes: the operation's check, not the engine's.
    if kind == 'projection' and 'Key attributes must be scalars' in msg:
        return None
    return msg

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--cli', required=True)
    ap.add_argument('--url', default='http://127.0.0.1:8001')
    ap.add_argument('--n', type=int, default=500)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--kinds', default='condition,filter,update,projection,key')
    ap.add_argument('--mutate', type=float, default=0.5)
    a = ap.parse_args()
    ensure_tables(a.url)
    rnd = random.Random(a.seed)
    cli = subprocess.Popen([a.cli], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    kinds = a.kinds.split(',')
    bad = 0
    for n in range(a.n):
        kind = rnd.choice(kinds)
        e = KINDS[kind](rnd)
        if rnd.random() < a.mutate:
            e = mutate(rnd, e)
        names, values = used(NAMES, e), used(VALUES, e)
        if rnd.random() < 0.1:
            names['#unused'] = 'u'
        if rnd.random() < 0.1 and kind != 'projection':   # GetItem takes no values
            values[':unused'] = {'S': 'u'}
        expected = ddb(a.url, kind, e, names, values, n)
        cli.stdin.write(json.dumps({'kind': kind, 'expr': e, 'names': names or None,
                                    'values': values or None}) + '\n')
        cli.stdin.flush()
        got = cli.stdout.readline().strip()
        got = None if got.startswith('OK') else got[4:]
        expected = normalize(kind, expected)
        if got is not None and expected is not None and expected.endswith(': ?'):
            got = re.sub(r': [^:]*$', ': ?', got)
        if expected != got:
            bad += 1
            print('%s %r\n   ddb: %s\n   cli: %s' % (kind, e, expected, got))
    print('%d cases, %d differences' % (a.n, bad))

if __name__ == '__main__':
    main()
