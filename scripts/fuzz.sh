#!/usr/bin/env bash
# Runs every libFuzzer target (fuzz/) for SECONDS each (default 15) from its
# committed seed corpus, fuzz/corpus/<target without fuzz_>/.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [BUILD_DIR]
#
# BUILD_DIR, when given, is a build already configured with clang and
# -DDBOPS_BUILD_FUZZERS=ON (an ASan+UBSan build, for example); without it the
# script configures build/fuzz.  It builds `dbops_fuzzers`, copies each seed
# corpus into a working corpus under BUILD_DIR/fuzz-work (new inputs go there,
# never into the source tree), and prints one line per target, then a summary.
# Exits non-zero when a target crashes, leaks, times out or runs out of memory;
# the reproducer's path is printed (rerun it: BUILD_DIR/fuzz/TARGET FILE).
set -uo pipefail

seconds=${1:-15}
build_dir=${2:-}
if ! [[ $seconds =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [BUILD_DIR]" >&2
  exit 2
fi
if [[ -n $build_dir ]]; then
  # Relative to where the script was called from, before the cd below.
  build_dir=$(cd "$build_dir" 2>/dev/null && pwd) || { echo "fuzz.sh: no build directory '$2'" >&2; exit 2; }
fi
cd "$(dirname "$0")/.." || exit 2
root=$(pwd)

if [[ -z $build_dir ]]; then
  build_dir=$root/build/fuzz
  mkdir -p build
  launcher=()
  if command -v ccache >/dev/null; then
    launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
  fi
  CC=clang CXX=clang++ cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DDBOPS_BUILD_FUZZERS=ON -DDBOPS_BUILD_TESTS=OFF "${launcher[@]}" >build/fuzz.configure.log 2>&1 \
    || { cat build/fuzz.configure.log; exit 1; }
elif ! grep -q '^DBOPS_BUILD_FUZZERS:BOOL=ON' "$build_dir/CMakeCache.txt" 2>/dev/null; then
  echo "fuzz.sh: $build_dir is not configured with -DDBOPS_BUILD_FUZZERS=ON" >&2
  exit 2
fi

jobs=()
[[ -n ${DBOPS_BUILD_JOBS:-} ]] && jobs=(-j "$DBOPS_BUILD_JOBS")
cmake --build "$build_dir" --target dbops_fuzzers "${jobs[@]}" >"$build_dir/fuzz-build.log" 2>&1 \
  || { tail -n 60 "$build_dir/fuzz-build.log"; echo "fuzz: build of dbops_fuzzers failed"; exit 1; }

# Target and the longest input worth trying: a file of a few screens is
# enough to reach every branch, and longer inputs only slow the run down.
targets=(
  "migration_file 8192"
  "alembic_ini 4096"
  "python_tokenizer 8192"
  "alembic_script 8192"
  "check_file 4096"
  "head_json 8192"
  "connection_string 1024"
)
for dir in fuzz/corpus/*/; do
  name=$(basename "$dir")
  printf '%s\n' "${targets[@]}" | grep -q "^$name " \
    || { echo "fuzz.sh: fuzz/corpus/$name has no entry in the target list" >&2; exit 2; }
done

# A leak, an ASan report and (in a UBSan build) undefined behaviour all stop the run.
export ASAN_OPTIONS="detect_leaks=1:print_stacktrace=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"

work=$build_dir/fuzz-work
failed=()
for entry in "${targets[@]}"; do
  read -r name max_len <<<"$entry"
  target=fuzz_$name
  binary=$build_dir/fuzz/$target
  corpus=$work/corpus/$name
  artifacts=$work/crashes/$name
  log=$work/$target.log
  mkdir -p "$corpus" "$artifacts"
  cp -n fuzz/corpus/"$name"/* "$corpus"/ 2>/dev/null
  if [[ ! -x $binary ]]; then
    echo "$target: MISSING ($binary was not built)"
    failed+=("$target")
    continue
  fi
  "$binary" -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$artifacts/" "$corpus" >"$log" 2>&1
  rc=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  inputs=$(find "$corpus" -type f | wc -l)
  if [[ $rc -eq 0 ]]; then
    echo "$target: ok, ${runs:-?} runs, $inputs inputs in the working corpus"
  else
    reproducer=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
    echo "$target: FAILED (exit $rc), reproducer: ${reproducer:-none written}, log: $log"
    # What broke and where: the report lines and the frames in the project's code.
    grep -E -A1 'ERROR: |fuzz invariant broken|runtime error' "$log" | grep -v '^--' | head -n 8 | sed 's/^/    /'
    grep -E '^ +#[0-9]+ .* in .*(dbops|LLVMFuzzerTestOneInput)' "$log" | head -n 12 | sed 's/^/    /'
    [[ -n $reproducer ]] && echo "    rerun: $binary $reproducer"
    failed+=("$target")
  fi
done

if [[ ${#failed[@]} -eq 0 ]]; then
  echo "fuzz: ${#targets[@]} targets, no crash in $seconds s each"
  exit 0
fi
echo "fuzz: ${#targets[@]} targets, ${#failed[@]} failed (${failed[*]}) in $seconds s each; reproducers in $work/crashes"
exit 1
