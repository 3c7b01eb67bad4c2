#!/usr/bin/env bash
# The sanitizer builds (clang, Qt 6), each building only what its tests run:
#
#   build/asan  AddressSanitizer + LeakSanitizer + UndefinedBehaviorSanitizer
#               (with DBOPS_BUILD_FUZZERS=ON, so scripts/fuzz.sh reuses its
#               core): the core, CLI and database tests (labels core, cli,
#               postgres), not the widget ones (labels ui, guarded) nor
#               verify_team_migrations (psql only, none of our code).
#   build/tsan  ThreadSanitizer: the threaded tests ($TSAN_TESTS below).
#
# The targets come from the selected tests' commands, so a new core or CLI
# test is picked up without a change here.  Suppressions (third-party code
# only, each with its reason) live in tests/sanitizers/.  -O0: the compile
# time is what counts on CI's two cores, and the tests wait on PostgreSQL.
#
#   scripts/sanitize.sh [asan|tsan]...   (default: both)
#
# Ends with "sanitizers: ASan+UBSan P/N, TSan P/N"; exits non-zero when a
# build or a test fails.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
root=$(pwd)
jobs=$(nproc 2>/dev/null || echo 2)
supp="$root/tests/sanitizers"
status=0
summaries=()

# The threaded tests: the catalog's helper connection thread
# (SnapshotHelperConnection, LibpqPipeline), the parallel statement split and
# Alembic read and the CLI's splitter thread (cli.parallel_split), the CLI
# audit's read-ahead (std::async), the QThread designs (DatabaseController and
# its worker, RepositoryLoader, ConnectionTester; Qt's queued handoffs made
# visible by app/core/common/ThreadHandoff).  Not here, see
# tests/sanitizers/README.md: QProcess (BackupRunner, hence runner_cli's
# --backup runs), whose clone() crashes clang 14's TSan runtime, and the
# fleet's pool (postgres.fleet), whose threads meet inside QtSql's registry.
TSAN_TESTS='^(postgres\.tst_catalog|cli\.parallel_split|postgres\.audit|postgres\.tst_controller|postgres\.tst_connectiontester)$'

launcher=()
command -v ccache >/dev/null 2>&1 && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)

# configure DIR SANITIZERS [CMAKE_ARGS...]
configure() {
  local dir=$1 sanitize=$2; shift 2
  mkdir -p "$dir"
  CC=clang CXX=clang++ cmake -S "$root" -B "$dir" -G Ninja -DDBOPS_QT_MAJOR=6 \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O0 -gline-tables-only -DNDEBUG" \
    "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O0 -gline-tables-only -DNDEBUG" \
    -DDBOPS_SANITIZE="$sanitize" "${launcher[@]}" "$@" >"$dir/configure.log" 2>&1 \
    || { cat "$dir/configure.log"; return 1; }
}

# selected_targets DIR CTEST_ARGS...: the targets of this build that the
# selected tests run: the executables under DIR named in their add_test()
# lines (ctest leaves out the command of a test whose program is not built yet).
selected_targets() {
  local dir=$1; shift
  ctest --test-dir "$dir" --show-only=json-v1 "$@" | /usr/bin/python3 -c '
import glob, json, os, re, shlex, sys
build = os.path.realpath(sys.argv[1])
selected = {test["name"] for test in json.load(sys.stdin)["tests"]}
targets = set()
for testfile in glob.glob(os.path.join(build, "**", "CTestTestfile.cmake"), recursive=True):
    for name, args in re.findall(r"^add_test\(\[=\[(.*?)\]=\] (.*)\)$", open(testfile).read(), re.M):
        if name in selected:
            for arg in shlex.split(args):
                if arg.startswith(build + os.sep):
                    targets.add(os.path.basename(arg))
print(" ".join(sorted(targets)))
' "$dir"
}

# run_tests DIR NAME CTEST_ARGS...: builds the selected tests' targets and runs them.
run_tests() {
  local dir=$1 name=$2; shift 2
  local targets
  targets=$(selected_targets "$dir" "$@")
  if [ -z "$targets" ]; then
    echo "$name: no tests selected" >&2; summaries+=("$name: NO TESTS"); return 1
  fi
  echo "=== $name: build ($dir): $targets ==="
  # shellcheck disable=SC2086 # one word per target
  cmake --build "$dir" -j "$jobs" --target $targets || { summaries+=("$name: BUILD FAILED"); return 1; }
  echo "=== $name: tests ==="
  # Every report also goes to a file (log_path in the *SAN_OPTIONS): a shell
  # test that expects a failing exit code and swallows dbops' stderr cannot
  # hide one.
  rm -rf "$dir/sanitizer-reports" && mkdir -p "$dir/sanitizer-reports"
  local log="$dir/ctest.log"
  ctest --test-dir "$dir" --output-on-failure -j "$jobs" --timeout 900 "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  # "100% tests passed, 0 tests failed out of 25" -> "25/25"
  local counts reports
  counts=$(sed -nE 's/.*tests passed, ([0-9]+) tests? failed out of ([0-9]+).*/\1 \2/p' "$log" \
    | awk '{ print $2 - $1 "/" $2 }')
  reports=$(find "$dir/sanitizer-reports" -type f | wc -l)
  if [ "$reports" -gt 0 ]; then
    echo "=== $name: $reports sanitizer report(s) ($dir/sanitizer-reports) ==="
    for report in "$dir"/sanitizer-reports/*; do echo "--- $report"; head -n 60 "$report"; done
    rc=1
    counts="$counts with $reports sanitizer report(s)"
  fi
  summaries+=("$name ${counts:-FAILED}")
  return "$rc"
}

asan() {
  configure build/asan address,undefined -DDBOPS_BUILD_FUZZERS=ON || { summaries+=("ASan+UBSan: CONFIGURE FAILED"); return 1; }
  # detect_leaks: LSan runs at exit.  abort_on_error off: a report fails the
  # test with ASan's exit code instead of a core dump.
  local reports=$root/build/asan/sanitizer-reports
  ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1:log_path=$reports/asan" \
  LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0" \
  UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:suppressions=$supp/ubsan.supp:log_path=$reports/ubsan" \
    run_tests build/asan ASan+UBSan -L 'core|postgres|cli' -LE 'ui|guarded' -E '^postgres\.verify_team_migrations$'
}

tsan() {
  configure build/tsan thread || { summaries+=("TSan: CONFIGURE FAILED"); return 1; }
  # second_deadlock_stack: both stacks of a lock-order report.
  local options="halt_on_error=1:second_deadlock_stack=1:suppressions=$supp/tsan.supp:print_suppressions=0"
  local rc=0
  TSAN_OPTIONS="$options:log_path=$root/build/tsan/sanitizer-reports/tsan" \
    run_tests build/tsan TSan -R "$TSAN_TESTS" || rc=1
  # The canary: a deliberate race in test code must still be reported with
  # the same suppressions, or a clean TSan run proves nothing.
  local canary=$root/build/tsan/canary-reports
  rm -rf "$canary" && mkdir -p "$canary"
  if ! cmake --build build/tsan --target race_canary >/dev/null; then
    summaries+=("TSan canary: BUILD FAILED"); return 1
  fi
  # Each deliberate race on its own (a run stops at its first report).
  local race
  for race in unsynchronisedWritesAreReported aWorkerRaceIsReportedDespiteTheHandoffs; do
    TSAN_OPTIONS="$options:log_path=$canary/$race" build/tsan/tests/sanitizers/race_canary "$race" >/dev/null 2>&1
    if grep -qs "ThreadSanitizer: data race" "$canary/$race".*; then
      echo "=== TSan canary $race: the deliberate race was reported ==="
    else
      echo "=== TSan canary $race: the deliberate race was NOT reported (tsan.supp or ThreadHandoff hides too much?) ==="
      summaries+=("TSan canary $race: NOT REPORTED"); rc=1
    fi
  done
  return "$rc"
}

mkdir -p build
for which in "${@:-asan tsan}"; do
  for one in $which; do
    case $one in
      asan) asan || status=1 ;;
      tsan) tsan || status=1 ;;
      *) echo "usage: $0 [asan|tsan]..." >&2; exit 2 ;;
    esac
  done
done

line=$(printf '%s, ' "${summaries[@]}")
echo "sanitizers: ${line%, }"
exit "$status"
