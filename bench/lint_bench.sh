#!/usr/bin/env bash
# Lint speed: `dbops lint` against squawk on one generated 10,000-statement
# file, in the same run, best of 3 each; prints both times and the ratio.
#
#   bench/lint_bench.sh DBOPS_BINARY [STATEMENTS]
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 DBOPS_BINARY [STATEMENTS]" >&2; exit 2; }
DBOPS=$1
N=${2:-10000}
SQUAWK=${SQUAWK:-$(command -v squawk || true)}
WORK=$(mktemp -d /tmp/dbops-lint-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
FILE=$WORK/big.sql

# A migration-shaped mix: tables, columns, indexes, constraints, renames, drops, data.
/usr/bin/python3 - "$N" >"$FILE" <<'PY'
import sys
n = int(sys.argv[1])
out = ["SET lock_timeout = '2s';", "SET statement_timeout = '60s';", "BEGIN;"]
shapes = [
    "CREATE TABLE t{i} (id bigint PRIMARY KEY, name varchar(40), created timestamp, n integer);",
    "CREATE INDEX ix_t{i}_name ON t{j} (name);",
    "ALTER TABLE t{j} ADD COLUMN c{i} bigint DEFAULT 0;",
    "ALTER TABLE t{j} ADD CONSTRAINT ck_{i} CHECK (n > 0) NOT VALID;",
    "ALTER TABLE t{j} ALTER COLUMN name TYPE text;",
    "INSERT INTO t{j} (id, name) VALUES ({i}, 'row {i}');",
    "UPDATE t{j} SET n = n + 1 WHERE id = {i};",
    "ALTER TABLE t{j} RENAME COLUMN c{i} TO d{i};",
    "DROP INDEX IF EXISTS ix_old_{i};",
    "COMMENT ON TABLE t{j} IS 'table {i}';",
]
for i in range(n - 4):
    out.append(shapes[i % len(shapes)].format(i=i, j=max(0, i - i % len(shapes) - 10)))
out.append("COMMIT;")
print("\n".join(out))
PY
echo "file: $(grep -c ';$' "$FILE") statements, $(wc -c <"$FILE") bytes"

best() { # best COMMAND...: the fastest of 3 runs, in seconds
  local best=""
  for _ in 1 2 3; do
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s.%N)
    best=$(echo "$start $end ${best:-999}" | awk '{d = $2 - $1; print (d < $3 ? d : $3)}')
  done
  echo "$best"
}
DBOPS_TIME=$(best "$DBOPS" lint "$FILE")
echo "dbops lint: ${DBOPS_TIME} s ($("$DBOPS" lint --json "$FILE" | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d["findings"]), "findings")'))"
if [ -z "$SQUAWK" ]; then
  echo "squawk: not installed (npm install -g squawk-cli); no ratio"
  exit 0
fi
SQUAWK_TIME=$(best "$SQUAWK" "$FILE")
echo "squawk:     ${SQUAWK_TIME} s ($("$SQUAWK" --version))"
echo "ratio dbops/squawk: $(echo "$DBOPS_TIME $SQUAWK_TIME" | awk '{printf "%.2f", $1 / $2}')"
