#!/usr/bin/env bash
# Sets everything up and runs the whole test suite, in three stages:
#   1. the normal build in build-test/: every test (display tests under xvfb-run);
#   2. AddressSanitizer + UBSan in build-asan/: the core and CLI suites, with
#      the crash loop and the hostile-input corpus;
#   3. clang + libFuzzer in build-fuzz/: each fuzz target for a bounded time.
# The last line printed is "N passed, N failed", summed over the stages.
#   build-aux/test.sh                  all three stages
#   build-aux/test.sh TEST...          stage 1 only, just those tests
#   LIMNER_STAGES="1 3" build-aux/test.sh   only some stages
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
# shellcheck source=deps.sh
. "$here/deps.sh"
limner_install_deps clang libclang-rt-14-dev || {
  echo "could not install the packages Limner needs"; echo "0 passed, 1 failed"; exit 1; }

if [ $# -gt 0 ]; then
  stages=${LIMNER_STAGES:-1}
else
  stages=${LIMNER_STAGES:-1 2 3}
fi

total_passed=0
total_failed=0
overall=0

# Adds a build's meson test log to the totals.
count_log() {
  local log="$1/meson-logs/testlog.json" status=$2 passed=0 failed=0
  if [ -f "$log" ]; then
    passed=$(grep -c '"result": "OK"' "$log" || true)
    failed=$(grep -Ec '"result": "(FAIL|TIMEOUT|ERROR|UNEXPECTEDPASS)"' "$log" || true)
  fi
  if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    failed=1
  fi
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
  [ "$status" -eq 0 ] || overall=1
}

# setup_and_build BUILDDIR [meson setup args...]; a failure counts as one failed test.
setup_and_build() {
  local builddir=$1; shift
  if [ ! -f "$builddir/build.ninja" ]; then
    if ! meson setup "$builddir" "$top" "$@"; then
      total_failed=$((total_failed + 1)); overall=1; return 1
    fi
  fi
  if ! ninja -C "$builddir"; then
    echo "the build in $builddir failed"
    total_failed=$((total_failed + 1)); overall=1; return 1
  fi
}

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

for stage in $stages; do
  case $stage in
    1)
      echo "== Stage 1: the whole suite"
      if setup_and_build "$top/build-test"; then
        xvfb-run -a -s "-screen 0 1600x1000x24" \
          meson test -C "$top/build-test" --print-errorlogs --num-processes 2 "$@"
        count_log "$top/build-test" $?
      fi
      ;;
    2)
      echo "== Stage 2: core and CLI under AddressSanitizer and UBSan"
      if setup_and_build "$top/build-asan" -Db_sanitize=address,undefined -Db_lundef=false; then
        meson test -C "$top/build-asan" --print-errorlogs --num-processes 2 \
          --suite core --suite cli --timeout-multiplier 3
        count_log "$top/build-asan" $?
      fi
      ;;
    3)
      echo "== Stage 3: fuzzing (clang, libFuzzer)"
      if CC=clang setup_and_build "$top/build-fuzz" -Dfuzzing=true \
           -Db_sanitize=address,undefined -Db_lundef=false; then
        meson test -C "$top/build-fuzz" --print-errorlogs --num-processes 2 --suite fuzz
        count_log "$top/build-fuzz" $?
      fi
      ;;
  esac
done

echo "$total_passed passed, $total_failed failed"
exit "$overall"
