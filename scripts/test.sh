#!/usr/bin/env bash
# The README's test command: installs what is missing, builds both flavors
# (Qt 6 in build/qt6, Qt 5 in build/qt5) and runs every test in each, then
# the sanitizer builds and the fuzz smoke run.
# Exits non-zero when anything fails.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

scripts/install-deps.sh || { echo "test.sh: installing dependencies failed" >&2; exit 1; }

jobs=$(nproc 2>/dev/null || echo 2)
status=0
summaries=()

run_flavor() {
  local major=$1 dir="build/qt$1"
  echo "=== Qt $major flavor: configure and build ($dir) ==="
  if ! cmake -S "$root" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDBOPS_QT_MAJOR="$major" \
      -DCMAKE_INSTALL_PREFIX=/usr -DDBOPS_WERROR=ON >"$dir.configure.log" 2>&1; then
    cat "$dir.configure.log"; return 1
  fi
  tail -n 3 "$dir.configure.log"
  cmake --build "$dir" -j "$jobs" || return 1
  echo "=== Qt $major flavor: tests ==="
  local log="$dir/ctest.log"
  ctest --test-dir "$dir" --output-on-failure -j "$jobs" --timeout 900 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  summaries+=("Qt $major: $(grep -E 'tests passed|tests failed' "$log" | tail -n 1)")
  return "$rc"
}

mkdir -p build
run_flavor 6 || status=1
run_flavor 5 || status=1

# The core, CLI and database tests under ASan+UBSan (build/asan, which also
# builds the fuzzers) and the threaded tests TSan can check (build/tsan):
# tests/sanitizers/README.md.
echo "=== sanitizers (clang: ASan+UBSan, TSan) ==="
if scripts/sanitize.sh >build/sanitize.log 2>&1; then
  summaries+=("$(tail -n 1 build/sanitize.log)")
else
  tail -n 150 build/sanitize.log; summaries+=("$(tail -n 1 build/sanitize.log) FAILED"); status=1
fi

echo "=== fuzz smoke run (libFuzzer in build/asan, every target from its seed corpus) ==="
if scripts/fuzz.sh 10 build/asan >build/fuzz.log 2>&1; then
  summaries+=("$(tail -n 1 build/fuzz.log)")
else
  cat build/fuzz.log; summaries+=("fuzz: FAILED"); status=1
fi

echo
echo "=== summary ==="
for s in "${summaries[@]}"; do echo "$s"; done
exit "$status"
