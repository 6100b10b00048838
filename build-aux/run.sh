#!/usr/bin/env bash
# Sets everything up and launches Limner on a demo project.
#   build-aux/run.sh            the demo project in ~/.local/share/limner/demo
#   build-aux/run.sh PROJECT    any project directory
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
# shellcheck source=deps.sh
. "$here/deps.sh"
limner_install_deps

builddir="$top/build"
if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" "$top"
fi
ninja -C "$builddir"

project="${1:-${XDG_DATA_HOME:-$HOME/.local/share}/limner/demo}"
if [ ! -f "$project/project.db" ]; then
  echo "Creating a demo project in $project"
  "$builddir/src/cli/limner-cli" demo "$project" --images 24 --seed 1
fi

export GSETTINGS_SCHEMA_DIR="$builddir/data"
exec "$builddir/src/app/limner" "$project"
