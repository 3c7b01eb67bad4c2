#!/usr/bin/env bash
# dbops lint against squawk (the npm package squawk-cli), rule ids per file,
# on tests/lint/corpus/*.sql (one file per rule, after squawk's own examples)
# and this repository's migrations/versions/*.sql.  Only rules both tools
# have are compared; every other difference must be listed, with its reason,
# in tests/lint/squawk_differences.txt (and docs/lint.md).
#
#   tests/lint/compare_squawk.sh DBOPS_BINARY [SOURCE_DIR]
#
# Exit 77 (skipped) when squawk is not on PATH.
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 DBOPS_BINARY [SOURCE_DIR]" >&2; exit 2; }
DBOPS=$1
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=$(cd "${2:-$SCRIPT_DIR/../..}" && pwd)
SQUAWK=${SQUAWK:-$(command -v squawk || true)}
if [ -z "$SQUAWK" ]; then
  echo "SKIP: squawk is not installed (npm install -g squawk-cli)"
  exit 77
fi
echo "squawk: $("$SQUAWK" --version)"

/usr/bin/python3 - "$DBOPS" "$SQUAWK" "$SRC" <<'PY'
import fnmatch, json, os, subprocess, sys

dbops, squawk, src = sys.argv[1:4]
# squawk's names for our rules, where they differ.
alias = {"prefer-timestamp-tz": "prefer-timestamptz",
         "require-lock-timeout": "require-timeout-settings",
         "require-statement-timeout": "require-timeout-settings"}
ours = {line.split("\t")[0] for line in subprocess.run(
    [dbops, "lint", "--rules"], capture_output=True, text=True, check=True).stdout.splitlines()}

allowed = []
for line in open(os.path.join(src, "tests/lint/squawk_differences.txt")):
    line = line.strip()
    if line and not line.startswith("#"):
        glob, rule, side, _reason = (line.split(None, 3) + [""])[:4]
        allowed.append((glob, rule, side))

def is_allowed(path, rule, side):
    return any(fnmatch.fnmatch(path, g) and rule == r and side == s for g, r, s in allowed)

files = sorted(os.path.join("tests/lint/corpus", f) for f in os.listdir(os.path.join(src, "tests/lint/corpus")))
files += sorted(os.path.join("migrations/versions", f) for f in os.listdir(os.path.join(src, "migrations/versions")))
passed = failed = 0
used = set()
for path in files:
    full = os.path.join(src, path)
    text = open(full, encoding="utf-8").read()
    args = [squawk, "--reporter", "json"]
    # dbops runs a revision in one transaction unless '-- transactional: false'.
    if path.startswith("migrations/") and "-- transactional: false" not in text:
        args.append("--assume-in-transaction")
    out = subprocess.run(args + [full], capture_output=True, text=True).stdout
    theirs = {alias.get(v["rule_name"], v["rule_name"]) for v in json.loads(out or "[]")} & ours
    result = subprocess.run([dbops, "lint", "--json", full], capture_output=True, text=True, cwd=src)
    mine = {f["rule"] for f in json.loads(result.stdout)["findings"]} & ours
    problems = []
    for rule in sorted(mine - theirs):
        if is_allowed(path, rule, "dbops-only"):
            used.add((rule, "dbops-only"))
        else:
            problems.append(f"{rule} only from dbops")
    for rule in sorted(theirs - mine):
        if is_allowed(path, rule, "squawk-only"):
            used.add((rule, "squawk-only"))
        else:
            problems.append(f"{rule} only from squawk")
    if problems:
        failed += 1
        print(f"FAIL - {path}: " + "; ".join(problems))
    else:
        passed += 1
        print(f"ok - {path}: {' '.join(sorted(mine)) or '(no findings)'}")
print(f"\n{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
