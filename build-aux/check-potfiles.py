#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks that po/POTFILES.in lists every source file with translatable strings.

Usage: check-potfiles.py SOURCE_ROOT

A file needs listing when it contains _( N_( C_( NC_( ngettext( / g_dngettext(
(C, headers) or translatable="yes" (GtkBuilder .ui, .xml). Files listed must exist.
Exit status 1 names every file that is missing from, or stale in, POTFILES.in.
"""
import os
import re
import sys

MARKERS_C = re.compile(r'(?<![A-Za-z0-9_])(?:N?C?_|g_dn?gettext|n?gettext|g_dpgettext2?)\s*\(')
MARKER_UI = re.compile(r'translatable\s*=\s*"(?:yes|true|1)"')
SCANNED_DIRS = ['src']


def needs_translation(path):
    with open(path, encoding='utf-8', errors='replace') as f:
        text = f.read()
    if path.endswith(('.c', '.h')):
        # Ignore comments so that a comment mentioning _( does not count.
        text = re.sub(r'/\*.*?\*/', '', text, flags=re.S)
        text = re.sub(r'//[^\n]*', '', text)
        return MARKERS_C.search(text) is not None
    if path.endswith(('.ui', '.xml')):
        return MARKER_UI.search(text) is not None
    return False


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    root = sys.argv[1]
    potfiles = os.path.join(root, 'po', 'POTFILES.in')
    listed = set()
    with open(potfiles, encoding='utf-8') as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith('#'):
                listed.add(line)

    needed = set()
    for top in SCANNED_DIRS:
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith('.'))
            for name in sorted(filenames):
                path = os.path.join(dirpath, name)
                if needs_translation(path):
                    needed.add(os.path.relpath(path, root))

    missing = sorted(needed - listed)
    stale = sorted(p for p in listed if not os.path.exists(os.path.join(root, p)))

    for p in missing:
        print(f'{p}: has translatable strings but is not listed in po/POTFILES.in')
    for p in stale:
        print(f'po/POTFILES.in: lists {p}, which does not exist')
    if missing or stale:
        return 1
    print(f'po/POTFILES.in lists all {len(needed)} source files with translatable strings')
    return 0


if __name__ == '__main__':
    sys.exit(main())
