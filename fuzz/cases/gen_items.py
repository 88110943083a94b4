"""gen_items.py — the list of data-driven expression cases (evaluation, updates and projections against items), written as JSON lines for
fuzz/make_cases.py, which records DynamoDB Local's answer for each into tests/unit/cases/expr/.
Run from the repository root: python3 fuzz/cases/gen_items.py && fuzz/make_cases.py --cli build/expr_cli fuzz/cases/items.jsonl"""
import json, re
N_ = lambda s: {'N': s}; S_ = lambda s: {'S': s}; L_ = lambda *a: {'L': list(a)}; M_ = lambda **k: {'M': k}
ITEM = {'s': S_('héllo'), 'n': N_('10'), 'b': {'B': 'AAEC'}, 'ss': {'SS': ['x', 'y']}, 'ns': {'NS': ['1', '2.0']},
        'bs': {'BS': ['AA==']}, 'l': L_(S_('x'), N_('1'), M_(k=S_('v')), L_(N_('1'))), 'm': M_(k=S_('v'), n=N_('1')),
        'nul': {'NULL': True}, 't': {'BOOL': True}, 'e': S_(''), 'emo': S_('😀a'), 'z': N_('-0.5')}
V = {':s': S_('héllo'), ':h': S_('hé'), ':n': N_('10'), ':n1': N_('1'), ':n2': N_('2'), ':nx': N_('10.0'),
     ':ss': {'SS': ['y', 'x']}, ':ns': {'NS': ['2', '1']}, ':x': S_('x'), ':y': S_('y'), ':m': M_(k=S_('v')),
     ':l1': L_(N_('1')), ':b': {'B': 'AAE='}, ':b0': {'B': 'AA=='}, ':t': {'BOOL': True}, ':nul': {'NULL': True},
     ':S': S_('S'), ':SS': S_('SS'), ':e': S_(''), ':L': S_('L'), ':M': S_('M'), ':N': S_('N'), ':B': S_('B'),
     ':NULL': S_('NULL'), ':BOOL': S_('BOOL'), ':NS': S_('NS'), ':BS': S_('BS'), ':five': N_('5'), ':three': N_('3'),
     ':zero': N_('0'), ':four': N_('4'), ':ml': M_(k=S_('v'), n=N_('1')),
     ':lfull': L_(S_('x'), N_('1'), M_(k=S_('v')), L_(N_('1'))), ':neg': N_('-1'), ':half': N_('-0.50')}
def used(keys, e):
    return {k: v for k, v in keys.items() if re.search(re.escape(k) + r'(?![A-Za-z0-9_])', e)} or None
out = []
def add(prefix, kind, exprs, item, values=V, names=None):
    for e in exprs:
        n = len([c for c in out if c['id'].startswith(prefix)]) + 1
        c = {'id': '%s-%03d' % (prefix, n), 'kind': kind, 'expr': e, 'item': item}
        v = used(values, e)
        if v: c['values'] = v
        nm = used(names or {}, e)
        if nm: c['names'] = nm
        out.append(c)
add('eval', 'condition', '''zz = :n
zz <> :n
NOT zz = :n
zz < :n
zz = zy
zz <> zy
zz IN (:n)
NOT zz IN (:n)
zz BETWEEN :n AND :n
contains(zz, :x)
NOT contains(zz, :x)
begins_with(zz, :x)
size(zz) = :n2
size(zz) <> :n2
size(zz) < :n2
attribute_type(zz, :S)
NOT attribute_type(zz, :S)
n <> :s
n = :nx
n < :s
s > :h
s BETWEEN :h AND :s
n BETWEEN :n1 AND :n
n BETWEEN :s AND :s
s IN (:n, :s)
n IN (:nx)
ss = :ss
ns = :ns
ss <> :ss
m = :ml
m = :m
l = :lfull
contains(s, :h)
contains(s, :e)
contains(ss, :x)
contains(ns, :n1)
contains(ns, :n2)
contains(l, :x)
contains(l, :n1)
contains(l, :m)
contains(l, :l1)
contains(b, :b)
contains(bs, :b0)
contains(m, :x)
contains(n, :n1)
contains(s, :ss)
contains(:ss, :x)
contains(l, :l1)
begins_with(s, :h)
begins_with(s, :e)
begins_with(b, :b)
begins_with(n, :s)
begins_with(ss, :x)
begins_with(:x, :x)
size(s) = :five
size(emo) = :n2
size(emo) = :three
size(b) = :three
size(ss) = :n2
size(ns) = :n2
size(l) = :four
size(m) = :n2
size(n) = :n2
size(nul) = :n1
size(t) = :n1
size(e) = :zero
size(e) < :n1
size(:x) = :n1
size(:ss) = :n1
size(s) BETWEEN :n1 AND :five
attribute_type(s, :S)
attribute_type(ss, :SS)
attribute_type(l, :L)
attribute_type(m, :M)
attribute_type(nul, :NULL)
attribute_type(t, :BOOL)
attribute_type(n, :N)
attribute_type(b, :B)
attribute_type(ns, :NS)
attribute_type(bs, :BS)
attribute_type(n, :S)
attribute_type(:x, :S)
attribute_exists(l[0])
attribute_exists(l[9])
attribute_exists(m.k)
attribute_exists(m.zz)
attribute_exists(s.x)
attribute_exists(s[0])
attribute_not_exists(s[0])
attribute_exists(l[2].k)
l[2].k = :x
l[3][0] = :n1
m.k = s
t = :t
nul = :nul
nul <> :nul
:n = :nx
:n < :n
:s BETWEEN :h AND :s
m.k BETWEEN :h AND :s
b < :b
b > :b
b > :b0
z < :zero
z = :half
z > :neg
NOT n = :n AND s = :s
NOT (n = :n AND s = :s)
n = :n OR s = :x AND t = :nul
(n = :n OR s = :x) AND t = :nul
NOT n = :n OR s = :s
n = :n AND NOT NOT s = :s
:ss IN (:ss, :x)
:x IN (:ss)
s IN (m.k, l[0])
l[0] IN (:x)
zz IN (zy)'''.split('\n'), ITEM)
add('eval', 'condition', ['attribute_not_exists(pk)', 'attribute_exists(zz)', 'zz <> :n', 'NOT zz = :n', 'size(zz) <> :n2'], {})
# --- updates --------------------------------------------------------------------------------
UV = {':n': N_('1'), ':five': N_('5'), ':x': S_('x'), ':l': L_(N_('9')), ':ss': {'SS': ['b', 'a']}, ':ssca': {'SS': ['c', 'a']},
      ':sscx': {'SS': ['c', 'x']}, ':ns': {'NS': ['1', '2']}, ':big': N_('99999999999999999999999999999999999999'),
      ':one': N_('1'), ':m': M_(), ':bs': {'BS': ['AQ==']}, ':nsd': {'NS': ['2.0']}, ':half': N_('0.25')}
L4 = {'a': L_(N_('0'), N_('1'), N_('2'), N_('3'))}
add('apply', 'update', ['REMOVE a[0], a[1]', 'REMOVE a[1], a[0]', 'REMOVE a[9]', 'SET a[5] = :five', 'SET a[5] = :five, a[7] = :x',
    'SET a[7] = :five, a[5] = :x', 'SET a[1] = :five REMOVE a[0]', 'SET a[0] = a[1], a[1] = a[0]', 'SET a[9] = :x REMOVE a[0]',
    'REMOVE a[3], a[0] SET a[1] = :x', 'SET b = list_append(a, :l)', 'SET b = list_append(:l, a)', 'ADD a[7] :five',
    'ADD a[1] :five', 'SET a[2] = :x, a[9] = :x, a[8] = :five REMOVE a[0]'], L4, values=UV)
add('apply', 'update', ['SET a = b, b = a', 'SET a = b + :n', 'SET a = :n - b', 'SET c = a + b', 'SET c = if_not_exists(c, a) + :n',
    'SET a = if_not_exists(a, :five)', 'REMOVE a, b', 'REMOVE zz', 'SET a = a + :big', 'ADD a :big'], {'a': N_('1'), 'b': N_('2')}, values=UV)
add('apply', 'update', ['SET a.b = :n', 'SET a[0] = :n', 'REMOVE a.b', 'REMOVE a[0]', 'SET a = b', 'SET a = b + :n',
    'SET a = if_not_exists(b, :n) + :n', 'SET a = list_append(b, :l)', 'ADD a :five', 'ADD a :ss', 'DELETE a :ss',
    'ADD a.b :five', 'SET a = :x', 'REMOVE a', 'ADD a :ns', 'SET pk = :x', 'SET pk.x = :x', 'REMOVE pk', 'ADD pk :n'], {}, values=UV)
add('apply', 'update', ['SET a = b + :n', 'SET a = list_append(b, :l)', 'ADD b :five', 'ADD b :ss', 'DELETE b :ss',
    'SET a = b - :n', 'SET c = list_append(:l, :l)'], {'b': S_('x')}, values=UV)
add('apply', 'update', ['ADD a :ss', 'DELETE a :ssca', 'DELETE a :sscx', 'DELETE a :ns', 'ADD a :ns', 'ADD a :n'],
    {'a': {'SS': ['c', 'a']}}, values=UV)
add('apply', 'update', ['ADD a :ns', 'DELETE a :nsd', 'DELETE a :ns'], {'a': {'NS': ['1.0', '2']}}, values=UV)
add('apply', 'update', ['SET a.b = :n', 'SET a.b.c = :n', 'REMOVE a.b.c', 'REMOVE a.x', 'ADD a.b :five', 'SET a.x = a.y',
    'DELETE a.s :ss', 'ADD a.s :ss', 'DELETE a.s :ssca', 'SET a.s = list_append(a.l, a.l)', 'REMOVE a.l[0], a.l[5]',
    'SET a.l[1] = a.l[0], a.l[0] = a.l[1]', 'ADD a.l[0] :five'], {'a': M_(s={'SS': ['a']}, l=L_(N_('1'), N_('2')), y=S_('yy'))}, values=UV)
add('apply', 'update', ['SET a = a + :half', 'SET a = a - :half', 'ADD a :half'], {'a': N_('0.75')}, values=UV)
add('uorder', 'update', ['SET sk.pk = :n, c = x1[2]', 'SET q.pk = :n, c = x1[2]', 'SET a.b = x1', 'SET c = x1, a.b = :n',
    'SET a.b = :n, c = x1', 'SET size.a = :n, b = x1.size[1]', 'SET pk = x1, a.b = :n', 'SET a.b = :n, pk = :n'], {}, values=UV)
add('uorder', 'update', ['ADD a :n, a2.x :n', 'ADD a :n, b.c :n', 'ADD b.c :n, a :n', 'SET c = c + :n, a.x = :n',
    'SET a.x = :n, c = c + :n', 'SET q = q + :n, p.x = :n', 'SET p.x = :n, q = q + :n', 'DELETE b :ns ADD a :n',
    'SET c = x1 ADD a :n', 'ADD a :n SET c = x1'], {'a': S_('s'), 'a2': S_('s'), 'c': S_('s'), 'q': S_('s'), 'b': {'SS': ['a']}}, values=UV)
# --- projections ----------------------------------------------------------------------------
PI = {'a': M_(b=N_('1'), c=L_(N_('0'), N_('1'), M_(x=N_('5'), y=N_('6')), N_('3')), d=S_('x')),
      'e': L_(L_(N_('1'), N_('2')), L_(N_('3'))), 'f': S_('f'), 'x.y': S_('dot')}
add('project', 'projection', ['a.b', 'a.c[1]', 'a.c[3], a.c[1]', 'a.c[2].x', 'a.c[9]', 'a.c[2].x, a.c[0]', 'e[1][0], e[0][1]',
    'a.b, f', 'a.c[2].x, a.c[2].y', 'zz', 'a.zz', 'a.b.c', 'a[0]', 'e[0].x', 'a.c[1], a.c[2].y, a.c[9]', 'f[0]', '#a',
    '#dot', 'a', 'e[1], e[0]', 'a.d, a.c[0], a.b'], PI, names={'#a': 'a', '#dot': 'x.y'})
with open('fuzz/cases/items.jsonl', 'w') as f:
    for c in out:
        f.write(json.dumps(c, ensure_ascii=False) + '\n')
print(len(out))
