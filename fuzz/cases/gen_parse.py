"""gen_parse.py — the list of data-driven expression cases (parsing and validation), written as JSON lines for
fuzz/make_cases.py, which records DynamoDB Local's answer for each into tests/unit/cases/expr/.
Run from the repository root: python3 fuzz/cases/gen_parse.py && fuzz/make_cases.py --cli build/expr_cli fuzz/cases/parse.jsonl"""
import json
V = {':s': {'S': 'x'}, ':s2': {'S': 'y'}, ':n': {'N': '1'}, ':n2': {'N': '2'}, ':nx': {'N': '10.50'},
     ':b': {'B': 'AAE='}, ':b0': {'B': 'AA=='}, ':ss': {'SS': ['x']}, ':ns': {'NS': ['1']},
     ':l': {'L': [{'S': 'y'}]}, ':m': {'M': {'k': {'S': 'v'}}}, ':t': {'BOOL': True}, ':nul': {'NULL': True},
     ':ty': {'S': 'SS'}, ':tyS': {'S': 'S'}, ':bad': {'S': 'X'}, ':e': {'S': ''}}
N = {'#a': 'a', '#b': 'b', '#st': 'status', '#pk': 'pk', '#sk': 'sk', '#dot': 'x.y'}
import re
def used(keys, e):
    return {k: v for k, v in keys.items() if re.search(re.escape(k) + r'(?![A-Za-z0-9_])', e)} or None
out = []
def add(prefix, kind, exprs, item=None, names=N, values=V, extra_names=None, extra_values=None, why=None):
    for e in exprs:
        n = len([c for c in out if c['id'].startswith(prefix)]) + 1
        c = {'id': '%s-%03d' % (prefix, n), 'kind': kind, 'expr': e}
        nm = used(names, e) if names is N else names
        vl = used(values, e) if values is V else values
        if extra_names: nm = dict(nm or {}, **extra_names)
        if extra_values: vl = dict(vl or {}, **extra_values)
        if nm: c['names'] = nm
        if vl: c['values'] = vl
        if item is not None: c['item'] = item
        if why: c['why'] = why
        out.append(c)

# --- syntax errors: token and "near" context (previous token .. next token) -----------------
add('syntax', 'condition', ['a = = b', 'a ==', 'a = ', 'a', '(a = b', 'a = b)', 'a = b c', 'a = b AND',
    'a BETWEEN b', '#', ':', 'a.', 'a[', 'a[1', 'a[x]', 'a.1', 'a = :', '  a   =    =    b   c  d e',
    'a <> b <> c', 'a IN ()', 'a IN (b', 'a = 1', 'a = "x"', '1 = a', 'a = b = c', 'a = -b', 'a = b[-1]',
    'a = b;', 'a = b -- c', 'é = b', '_a = b', '1a = b', 'a-b = c', 'a[01] = :s', 'and = b', 'not = :s',
    'set = :s', '# a = b', 'a IN :s', ' = pk', 'a = :s ', '   ', 'size() = :s', 'attribute_exists()',
    'a.:s', ':s.a = :s', 'a[:s] = :s', 'a = b AND NOT', 'NOT', 'a = b OR c', '(a).b = :s', 'a=:s AND(b=:s)x'])
add('syntax', 'update', ['SET', 'REMOVE', 'SET a', 'SET a =', 'SET a = :s,', 'SET a = b + c + d',
    'SET a = b - :n - c', 'SET a = (b + c) - d', 'SET a = b + (c - d)', 'ADD a b', 'DELETE a b',
    'ADD a = :n', 'ADD a :n :n', 'REMOVE a = :s', 'REMOVE :s', 'SET :s = a', 'SET a = b, ', '  ',
    'SET a = if_not_exists(a, b + c)', 'SET a = ((b) c', 'a = :s', 'SET a = :s b', 'ADD b. :s, c :s'])
add('syntax', 'projection', ['a,b,', '(a)', 'a = b', ':s', 'a b', 'size(a)', 'a,,b', ',a', '#a,- '])
add('syntax', 'key', ['pk = :s AND', 'pk.   :s', 'pk = :s sk'])
# --- redundant parentheses, and where ANTLR's prediction reports a syntax error instead ------
add('parens', 'condition', ['((a = :s))', '(a) = :s', '((a)) = :s', '((a = :s)) AND b', '((a))', '((a)) AND b = :s',
    '((a)) =', '((a)) <', '((a)) b', '((size(a))) b', 'size(((a))) b', 'size(((a)) b', '(((a)) = b',
    '(((a))', 'NOT ((a))', 'NOT ((a)) =', 'x = ((a)) b', 'x IN (((a)), b', 'a IN ((:s)), :s)',
    '((a = :s) AND ((b = :s)))', '((NOT a = :s))', '(NOT a = :s)', 'NOT (NOT (a = :s))', 'begins_with(((a)), :s) c',
    '(((a = :s)))', '((size(a))) = :s', '((a) = :s)', '(a = :s) AND ((b', '((a = :s)'])
add('parens', 'update', ['SET a = (b)', 'SET a = ((b))', 'SET a = ((b + c))', 'SET a = ((b)) c', 'SET a = ((b)) + c',
    'SET a = (b) + c', 'SET a = if_not_exists(((b)), :s)'])
# --- reserved words, function names and misuse ------------------------------------------------
add('reserved', 'condition', ['status = :s', 'a = status', 'a.status = :s', '#st = :s', 'size = :s', 'SIZE = :s',
    'convert = :s', 'Status = :s', 'a[1].name = :s', 'status(a)'])
add('reserved', 'update', ['SET status = :s', 'REMOVE status', 'SET a = status', 'ADD name :n'])
add('reserved', 'projection', ['status', 'a.status', 'a, #st'])
add('func', 'condition', ['foo(a)', 'Size(a) = :s', 'BEGINS_WITH(a, :s)', 'size(a)', 'NOT size(a)',
    'attribute_exists(a) = :s', 'a = attribute_exists(b)', 'attribute_exists(a) = foo(b)', 'foo(a) = :s',
    'size(attribute_type(foo(a), :t)) = :s', 'if_not_exists(a, :s)', 'a = list_append(a, :s)',
    'attribute_exists(:s)', 'attribute_exists(a, b)', 'begins_with(a)', 'contains(a)', 'contains(a, :s, :s2)',
    'size(a, b, c) = :s', 'attribute_not_exists(size(a))', 'attribute_exists((a))', 'size(size(a)) = :s',
    'size(:n) = :n', 'size(:t) = :n', 'size(:nul) = :n', 'size(:ss) = :n', 'size(:l) = :n', 'size(:m) = :n',
    'size(:b) = :n', 'begins_with(a, :n)', 'begins_with(:n, a)', 'begins_with(a, :ss)', 'begins_with(a, :b)',
    'begins_with(a, size(b))', 'contains(a, :n)', 'contains(size(a), :s)', 'attribute_type(a, :ty)',
    'attribute_type(a, :bad)', 'attribute_type(a, :n)', 'attribute_type(a, b)', 'attribute_type(a, size(b))',
    'attribute_type(:s, :ty)', 'attribute_type(a, :t)', 'size(a) = attribute_type(a, :ty)',
    'begins_with(#zz)', 'foo(status)', 'size(status) = :s', 'a IN (attribute_exists(b), foo(c))'])
add('func', 'update', ['SET a = foo(a)', 'SET a = size(a)', 'SET a = attribute_exists(a)',
    'SET a = if_not_exists(:s, a)', 'SET a = if_not_exists(a)', 'SET a = list_append(a, :s)',
    'SET a = list_append(:n, :s)', 'SET a = list_append(a, :l, :l)', 'SET a = if_not_exists(a, list_append(a, :l))',
    'SET a = list_append(a, :l) + :n', 'SET a = list_append(list_append(a, :l), :l)',
    'SET a = if_not_exists(if_not_exists(a, :s), :s)', 'SET a = :s + :n', 'SET a = :l + :n', 'SET a = :b - :n',
    'SET a = b + :s', 'SET a = size(:s) + foo(b)', 'SET a = list_append(a, size(b))',
    'SET x = if_not_exists(a, a)', 'SET x = list_append(a, a)', 'SET x = a - a',
    'SET x1 = if_not_exists(:l, #zz), #sk = if_not_exists(:nul, b[0]), a = if_not_exists(b, #b)',
    'SET #a = :s SET a = :ss, name.name = attribute_not_exists(((status)), :ty, #b = (list_append(:m #sk))'])
# --- operands: distinct, comparator types, BETWEEN, IN ---------------------------------------
add('operand', 'condition', ['a = a', 'a.b = a.b', '#a = a', 'a[1] = a[1]', 'a = a.b', ':s = :s', 'contains(a, a)',
    'begins_with(a, a)', 'a BETWEEN a AND :s', 'a IN (b, a)', 'a IN (a)', ':ss < :ss', 'a < :ss', ':m < a',
    'a < :nul', 'a = :nul', 'a <> :m', 'a BETWEEN :ss AND :ss', 'a BETWEEN :t AND :s', 'a BETWEEN :s AND :n',
    'a BETWEEN :s2 AND :s', 'a BETWEEN :n2 AND :n', 'a BETWEEN :nx AND :n', 'a BETWEEN :b AND :b0',
    'a BETWEEN :s AND :s', 'a BETWEEN :b0 AND :b', 'size(a) BETWEEN :n2 AND :n', 'size(a) BETWEEN :s AND :n',
    'a BETWEEN a AND :ss', ':s BETWEEN :s2 AND :s', 'attribute_type(a, (a))', 'attribute_type(a, #a)'])
add('limits', 'condition', ['a IN (' + ', '.join([':s'] * 100) + ')', 'a IN (' + ', '.join([':s'] * 101) + ')',
    'a = :s AND ' * 149 + 'a = :s', 'a = :s AND ' * 150 + 'a = :s', 'NOT ' * 299 + 'a = :s', 'NOT ' * 300 + 'a = :s',
    'size(a) = :s AND ' * 100 + 'a = :s', 'a IN (:s, :s) AND ' * 150 + 'a = :s',
    'a = :s' + ' ' * 4090, 'a = :s' + ' ' * 4091, 'a = :s' + ' ' * 2040 + 'é' * 1024, 'a = :s' + ' ' * 4000 + '😀' * 45,
    'a = :s' + ' ' * 4000 + '😀' * 46, '', 'a[2147483647] = :s', 'a[2147483648] = :s', 'a[99999999999] = :s'])
# --- phases: which error DynamoDB reports when there are several ------------------------------
add('order', 'condition', ['status = :s AND foo(a)', 'foo(a) AND status = :s', '((a = :s)) AND status = :s',
    'status = :s AND #zz = :s', '#zz = :s AND status = :s', '#zz = :s AND a = :zz', 'a = :zz AND #zz = :s',
    'a = :zz AND begins_with(a)', 'begins_with(a) AND a = :zz', 'a = a AND begins_with(a)',
    'begins_with(a, :n) AND a = a', 'size(a) AND status = :s', 'status = :s AND size(a)',
    'a[99999999999] = :s AND status = :s', '#zz = :s AND a[99999999999] = :s', 'a BETWEEN :s2 AND :s AND #zz = :s',
    'a = :s AND ' * 300 + 'foo(a)', 'a = :s AND ' * 300 + '#zz = :s', 'a = :s AND ' * 300 + 'a = ',
    'a IN (' + ', '.join([':s'] * 101) + ') AND #zz = :s', 'a IN (' + ', '.join([':s'] * 101) + ') AND status = :s',
    'attribute_exists(a) = status', 'attribute_exists(status)'])
add('order', 'update', ['SET status = :s SET b = :s', 'SET a = :s SET b = :s SET name = :s', 'SET a = :s SET name = :s SET b = :s',
    'SET a = foo(b) SET c = :s', 'SET a = :s, a = :s SET b = :s', 'SET a = :s, #zz = :s', 'SET #zz = :s, a = :s, a = :s',
    'SET a = :s, a = :s, #zz = :s', 'SET a = :zz, b = :yy', 'SET #zz = :s, #yy = :s', 'SET a = :s + :n, b = list_append(:s, :l)',
    'SET a = :zz + #yy', 'SET a = #yy + :zz', 'SET #yy = :zz', 'ADD a :zz, b :s', 'ADD a :s, b :zz',
    'SET #a = :s, #zz = :s2, a = :s', 'SET #zz = :s2, #a = :s, a = :s', 'SET a = size(:s), b = :zz',
    'SET a = :s REMOVE b SET c = :s REMOVE name', 'DELETE a :ss DELETE b.name :ss DELETE c :ss'])
# --- update sections, paths, operand types -----------------------------------------------------
add('update', 'update', ['SET a = :s SET b = :s2', 'REMOVE a ADD b :n DELETE c :ss SET d = :s', 'SET a = :s, a = :s2',
    'SET a = :s REMOVE a', 'SET a.b = :s, a = :s2', 'SET a.b = :s, a[1] = :s2', 'SET a[1] = :s, a.b = :s2',
    'SET a[1] = :s, a[1].b = :s2', 'SET a.b.c = :s, a.b.d = :s2', 'REMOVE a, a', 'ADD a :n, a :n',
    'ADD a :s', 'ADD a :n', 'ADD a :ss', 'ADD a :l', 'ADD a :m', 'ADD a :t', 'ADD a :nul', 'ADD a :b', 'ADD a :ns',
    'DELETE a :n', 'DELETE a :s', 'DELETE a :ss', 'DELETE a :l', 'ADD a.b :n', 'DELETE a[1] :ss',
    'SET a = :s, b = :s', 'SET a=:s,b=:s', 'SET a = b.c[1].d', 'set a = :s', 'SET a = :s, a = :s, b = :s',
    'SET a = :s, b = :s2, a = :s', 'REMOVE a.b.c, a.b, x', 'SET a.b = :s, a.b.c = :s2, x = :s',
    'SET a = :s, a.b = :s2, a[1] = :s', 'SET a.b = :s, a[1] = :s2, a = :s'])
# --- projections -------------------------------------------------------------------------------
add('proj', 'projection', ['a', 'a, b', 'a, a', 'a.b, a', 'a, a.b', 'a[0], a.b', 'a.b, a[0]', 'a[1], a[0]',
    'a[0], a[0].b', 'a.b.c, a.b.d', '#zz', 'a[99999999999]', 'a.b[1][2].c', 'a . b', '#a.#a', 'a, a, b',
    'a, b, a', 'x, a, a', 'a, x, a', 'a.b.c, a.b, a.b.z', 'c, c.c, c', 'a.b.c, x, a', 'a.b.c, a.z, a, a.y',
    'a, a.b, c', 'a.c, a.c, b[1]', 'b.a, a.a, b.c, a.a.b'])
# --- key conditions ----------------------------------------------------------------------------
add('key', 'key', ['pk = :s', 'pk = :s AND sk = :n', 'sk = :n AND pk = :s', 'pk = :s AND :n > sk',
    'pk = :s AND sk BETWEEN :n AND :n2', 'pk = :s AND begins_with(sk, :s)', 'pk = :s AND sk <> :n',
    'pk = :s OR sk = :n', 'NOT pk = :s', 'pk IN (:s)', 'pk < :s', 'pk = :s AND pk = :s', 'sk = :n',
    'pk = :s AND attribute_exists(sk)', 'pk = :s AND size(sk) = :n', 'pk = :s AND sk = sk2',
    'pk = :s AND sk2 = :n', 'pk.x = :s', 'pk = :s AND sk.x = :n', 'pk = :n', '(pk = :s) AND (sk = :n)',
    ':s = pk', 'pk = :s AND :n BETWEEN sk AND :n', 'pk = :s AND begins_with(:s, sk)', 'pk = :s AND contains(sk, :n)',
    'pk = :s AND sk = :n AND sk2 = :n', 'pk BETWEEN :s AND :s', 'begins_with(pk, :s)', 'pk = :s AND sk < :b',
    'pk = :s AND (sk = :n OR sk = :n2)', ':s = :s', 'pk = :s AND a.b = :n', 'pk = :s AND sk = :n AND sk.x = :n',
    'sk.x = :n OR size(sk) = :n OR pk < :s', '#pk = :s AND #sk = :n', 'pk = :s AND sk BETWEEN :n2 AND :n',
    'pk = :s AND begins_with(sk, :n)'])
# --- placeholders: unused keys and their order -------------------------------------------------
add('params', 'condition', ['a = :s'], extra_names={'#a': 'a', '#b': 'b', '#1': 'z', '#_a': 'w'})
add('params', 'condition', ['#a = :s'], extra_names={'#b': 'b', '#1': 'z', '#_a': 'w'})
add('params', 'condition', ['a = :a'], values={':a': {'S': 'a'}},
    extra_values={k: {'S': 'a'} for k in [':b', ':c', ':d', ':e', ':aa', ':ab', ':x1', ':x2', ':x3', ':x4', ':x5', ':x6', ':x7', ':x8', ':x9']})
add('params', 'condition', ['a = :a'], values={':a': {'S': 'a'}},
    extra_values=dict({':b': {'S': 'a'}, ':x1': {'S': 'a'}}, **{':f%d' % i: {'S': 'a'} for i in range(9)}))
add('params', 'condition', ['a = :a'], values={':a': {'S': 'a'}},
    extra_values=dict({':b': {'S': 'a'}, ':x1': {'S': 'a'}}, **{':f%d' % i: {'S': 'a'} for i in range(10)}))
add('params', 'condition', ['a = :a'], values={':a': {'S': 'a'}},
    extra_values=dict({':b': {'S': 'a'}, ':x1': {'S': 'a'}}, **{':f%d' % i: {'S': 'a'} for i in range(23)}))
add('params', 'condition', ['a = :s'], extra_names={'#unused': 'u'}, extra_values={':unused': {'S': 'u'}})
add('params', 'condition', ['#a = :s'], names={'#a': ''})
add('params', 'condition', ['#a = :s'], names={'a': 'x'})
add('params', 'condition', ['a = :s'], values={':s': {'S': 'x'}, 'b': {'S': 'y'}})
add('params', 'condition', ['a = :s'], values={':s': {}})
add('params', 'condition', ['a = :s'], values={':s': {'SS': []}})
add('params', 'condition', ['#a = :s'], names={'#a': 'x' * 65536})
add('params', 'condition', ['#' + 'a' * 300 + ' = :s'], names={'#' + 'a' * 300: 'x'})

for c in out:
    if c['expr'].endswith('😀' * 45) and not c['expr'].endswith('😀' * 46):
        # DynamoDB splits the emoji into UTF-16 halves and quotes a lone surrogate (not valid
        # UTF-8): we quote the whole character. The point of the case is the size limit.
        c['expected'] = 'CLI'
with open('fuzz/cases/parse.jsonl', 'w') as f:
    for c in out:
        f.write(json.dumps(c, ensure_ascii=False) + '\n')
print(len(out))
