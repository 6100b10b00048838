#!/usr/bin/env bash
# Measures Limner and labelme side by side in one run (tests/bench/labelme-side-by-side.py):
# first frame of a large image, opening a 5,000-polygon labelme file, and COCO
# from 1,000 labelme files. Not part of `meson test`; takes several minutes.
#   build-aux/bench-labelme.sh [--runs N] [--files N] [--only a|b|c]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
# shellcheck source=deps.sh
. "$here/deps.sh"
# labelme 5.1.1 and its examples (labelme2coco.py) are Debian 12 packages.
limner_install_deps labelme labelme-examples

builddir="$top/build"
if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" "$top"
fi
ninja -C "$builddir" src/cli/limner-cli tests/bench/limner-bench

exec /usr/bin/python3 "$top/tests/bench/labelme-side-by-side.py" --build "$builddir" "$@"
