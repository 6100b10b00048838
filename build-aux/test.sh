#!/usr/bin/env bash
# Sets everything up and runs the whole test suite. Display tests run under
# xvfb-run. The last line printed is "N passed, N failed".
#   build-aux/test.sh               normal build in build-test/
#   LIMNER_SANITIZE=1 build-aux/test.sh   AddressSanitizer + UBSan in build-asan/
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
# shellcheck source=deps.sh
. "$here/deps.sh"
limner_install_deps || { echo "could not install the packages Limner needs"; echo "0 passed, 1 failed"; exit 1; }

if [ "${LIMNER_SANITIZE:-0}" = 1 ]; then
  builddir="$top/build-asan"
  setup_args=(-Db_sanitize=address,undefined -Db_lundef=false)
else
  builddir="$top/build-test"
  setup_args=()
fi

if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" "$top" "${setup_args[@]}" || { echo "0 passed, 1 failed"; exit 1; }
fi
if ! ninja -C "$builddir"; then
  echo "the build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}"
xvfb-run -a -s "-screen 0 1600x1000x24" \
  meson test -C "$builddir" --print-errorlogs --num-processes 2 "$@"
status=$?

log="$builddir/meson-logs/testlog.json"
passed=0
failed=0
if [ -f "$log" ]; then
  passed=$(grep -c '"result": "OK"' "$log" || true)
  failed=$(grep -Ec '"result": "(FAIL|TIMEOUT|ERROR|UNEXPECTEDPASS)"' "$log" || true)
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1
fi
echo "$passed passed, $failed failed"
exit "$status"
