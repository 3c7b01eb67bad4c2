#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (build/fuzz) and runs each for a
# short time (seconds per target, default 30) from the seed corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
CC=clang CXX=clang++ cmake -S . -B build/fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DDBOPS_BUILD_FUZZERS=ON -DDBOPS_BUILD_TESTS=OFF >build/fuzz.configure.log 2>&1 || { cat build/fuzz.configure.log; exit 1; }
cmake --build build/fuzz --target fuzz_migration_file
mkdir -p build/fuzz/corpus
cp -n fuzz/corpus/* migrations/versions/*.sql build/fuzz/corpus/ 2>/dev/null || true
ASAN_OPTIONS=detect_leaks=1 build/fuzz/fuzz/fuzz_migration_file -max_total_time="$seconds" -max_len=8192 \
  -print_final_stats=0 build/fuzz/corpus 2>&1 | tail -n 5
echo "fuzz_migration_file: no crash in ${seconds}s"
