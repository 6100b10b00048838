#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks the Flatpak manifest: valid JSON, the right app id, a GNOME runtime,
jansson and libvips built as modules from checksummed archives, and Limner
itself built with meson last.

Usage: check-flatpak-manifest.py MANIFEST APP_ID
"""
import json
import re
import sys


def fail(manifest, message):
    print(f'{manifest}: {message}')
    return 1


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    manifest, app_id = sys.argv[1], sys.argv[2]
    try:
        with open(manifest, encoding='utf-8') as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        return fail(manifest, f'is not valid JSON: {e}')

    if data.get('id', data.get('app-id')) != app_id:
        return fail(manifest, f'the id is {data.get("id")!r}, not {app_id!r}')
    if data.get('runtime') != 'org.gnome.Platform' or data.get('sdk') != 'org.gnome.Sdk':
        return fail(manifest, 'must use the org.gnome.Platform runtime and org.gnome.Sdk')
    if not str(data.get('runtime-version', '')).strip():
        return fail(manifest, 'has no runtime-version')
    if data.get('command') != 'limner':
        return fail(manifest, 'the command must be "limner"')

    modules = data.get('modules', [])
    names = [m.get('name') for m in modules if isinstance(m, dict)]
    for required in ('jansson', 'libvips'):
        if required not in names:
            return fail(manifest, f'has no {required} module')
    if not names or names[-1] != 'limner':
        return fail(manifest, 'must build the limner module last')
    if modules[-1].get('buildsystem') != 'meson':
        return fail(manifest, 'must build limner with meson')

    for module in modules:
        for source in module.get('sources', []):
            if source.get('type') in ('archive', 'file'):
                if not re.fullmatch(r'https://\S+', source.get('url', '')):
                    return fail(manifest, f'module {module["name"]}: an archive needs an https url')
                if not re.fullmatch(r'[0-9a-f]{64}', source.get('sha256', '')):
                    return fail(manifest, f'module {module["name"]}: an archive needs a sha256')

    print(f'{manifest}: OK ({", ".join(names)})')
    return 0


if __name__ == '__main__':
    sys.exit(main())
