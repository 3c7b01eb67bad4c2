#!/usr/bin/env bash
# Every C++ file follows .clang-format:
#
#   tests/style/check_format.sh [SOURCE_DIR]
#
# Uses Debian 12's clang-format (14), which scripts/install-deps.sh installs;
# another major version may format differently, so the version is checked.
# Lists the files that differ and exits 1; `clang-format -i FILE` fixes one.
set -euo pipefail
SRC=$(cd "${1:-$(dirname "${BASH_SOURCE[0]}")/../..}" && pwd)
CLANG_FORMAT=${CLANG_FORMAT:-clang-format}
command -v "$CLANG_FORMAT" >/dev/null || { echo "FATAL: $CLANG_FORMAT not found (Debian package clang-format)" >&2; exit 2; }
version=$("$CLANG_FORMAT" --version | grep -oE 'version [0-9]+' | cut -d' ' -f2)
[ "$version" = 14 ] || echo "note: clang-format $version, the style is checked with 14 in CI" >&2

cd "$SRC"
mapfile -t files < <(find app ui tests bench fuzz -type f \( -name '*.cpp' -o -name '*.h' \) | sort)
bad=0
for f in "${files[@]}"; do
  if ! "$CLANG_FORMAT" --dry-run -Werror "$f" >/dev/null 2>&1; then
    echo "not clang-format clean: $f"
    bad=$((bad + 1))
  fi
done
echo "${#files[@]} files checked, $bad not formatted"
[ "$bad" -eq 0 ]
