#!/usr/bin/env python3
# The code's shape, as docs/architecture.md promises it: no .c file in src/
# over 1,500 lines, no include cycle between modules (a .c, its .h and its
# -private.h count as one module), and nothing that points outside the
# repository for its design. Prints each problem; exits 1 if there is any.
import collections
import glob
import os
import re
import sys

top = sys.argv[1] if len(sys.argv) > 1 else '.'
problems = []

for path in sorted(glob.glob(os.path.join(top, 'src', '*', '*.c'))):
    with open(path, encoding='utf-8') as f:
        n = sum(1 for _ in f)
    if n > 1500:
        problems.append(f'{os.path.relpath(path, top)} has {n} lines (at most 1,500)')


def module(path):
    base = re.sub(r'\.(c|h)$', '', os.path.basename(path))
    return re.sub(r'-private$', '', base)


files = glob.glob(os.path.join(top, 'src', '*', '*.[ch]'))
names = {module(f) for f in files}
edges = collections.defaultdict(set)
for path in files:
    with open(path, encoding='utf-8') as f:
        for inc in re.findall(r'#include "([^"]+)"', f.read()):
            target = module(inc)
            if target in names and target != module(path):
                edges[module(path)].add(target)

# Tarjan's strongly connected components: any with two or more modules is a cycle.
index, low, stack, on_stack, counter = {}, {}, [], set(), [0]
sys.setrecursionlimit(10000)


def visit(v):
    index[v] = low[v] = counter[0]
    counter[0] += 1
    stack.append(v)
    on_stack.add(v)
    for w in edges[v]:
        if w not in index:
            visit(w)
            low[v] = min(low[v], low[w])
        elif w in on_stack:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        component = []
        while True:
            w = stack.pop()
            on_stack.discard(w)
            component.append(w)
            if w == v:
                break
        if len(component) > 1:
            problems.append('include cycle: ' + ' <-> '.join(sorted(component)))


for v in sorted(names):
    if v not in index:
        visit(v)

outside = re.compile(r'\.\./shared|DESIGN\.md')
for pattern in ('README.md', 'docs/*.md', 'src/*/*.[ch]', 'tests/*.c', 'build-aux/*', 'meson.build'):
    for path in glob.glob(os.path.join(top, pattern)):
        if os.path.basename(path) == 'check-structure.py':
            continue
        with open(path, encoding='utf-8', errors='replace') as f:
            for lineno, line in enumerate(f, 1):
                if outside.search(line):
                    problems.append(f'{os.path.relpath(path, top)}:{lineno} points outside the repository')

for p in problems:
    print(p)
sys.exit(1 if problems else 0)
