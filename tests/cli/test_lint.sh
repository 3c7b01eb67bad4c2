#!/usr/bin/env bash
# `dbops lint` and the lint part of `dbops check` (no database): text, JSON
# and SARIF shapes, suppressions, lint.conf severities and exit codes.
#
#   tests/cli/test_lint.sh DBOPS_BINARY [SOURCE_DIR]
set -euo pipefail

[ $# -ge 1 ] || { echo "usage: $0 DBOPS_BINARY [SOURCE_DIR]" >&2; exit 2; }
DBOPS=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=$(cd "${2:-$SCRIPT_DIR/../..}" && pwd)
# shellcheck source=tests/lib/check.sh
source "$SRC/tests/lib/check.sh"
isolated_workdir lint-test
run() { capture "$DBOPS" "$@"; }

# ------------------------------------------------------------------ a plain SQL file
cat >"$WORK/unsafe.sql" <<'SQL'
SET lock_timeout = '2s';
BEGIN;
CREATE TABLE fresh (id bigint);
CREATE INDEX ix_fresh ON fresh (id);
CREATE INDEX ix_accounts_email ON accounts (email);
ALTER TABLE accounts ADD CONSTRAINT fk_user FOREIGN KEY (user_id) REFERENCES users (id);
-- dbops: allow ban-drop-column: the application stopped reading it in release 41
ALTER TABLE accounts DROP COLUMN legacy;
COMMIT;
SQL
run lint "$WORK/unsafe.sql"
check "lint: warnings only: exit 0" rc_is 0
check "lint: CREATE INDEX on an existing table, at its line" \
  matches "$OUT" "unsafe.sql:5:1: warning: .*\[require-concurrent-index-creation\]$"
check "lint: CREATE INDEX on a table created in the same transaction is exempt" lacks "$OUT" "unsafe.sql:4:"
check "lint: the foreign key, at the constraint's column" \
  matches "$OUT" "unsafe.sql:6:[0-9]+: warning: .*\[adding-foreign-key-constraint\]$"
check "lint: the safe form follows a finding" has "$OUT" "safe form: CREATE INDEX CONCURRENTLY"
check "lint: an allow comment with a reason silences its rule" lacks "$OUT" "ban-drop-column"
check "lint: summary on stderr" has "$ERR" "0 error(s), 3 warning(s)"

run lint --json "$WORK/unsafe.sql"
check "lint --json: exit 0, 3 findings with file, line, column, rule, severity, message, suggestion" \
  json_ok "$OUT" 'd["errors"] == 0 and d["warnings"] == 3 and all(set(f) >= {"file","line","column","rule","severity","message","suggestion"} for f in d["findings"]) and d["findings"][0]["line"] == 5'

run lint --sarif "$WORK/unsafe.sql"
check "lint --sarif: SARIF 2.1.0 with the rules and located results" \
  json_ok "$OUT" 'd["version"] == "2.1.0" and d["runs"][0]["tool"]["driver"]["name"] == "dbops" and len(d["runs"][0]["tool"]["driver"]["rules"]) == 23 and len(d["runs"][0]["results"]) == 3 and d["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 5 and d["runs"][0]["results"][0]["ruleId"] == "require-concurrent-index-creation"'

# ------------------------------------------------------------------ errors and severities
printf 'BEGIN;\n-- dbops: allow ban-drop-table\nDROP TABLE accounts;\nCOMMIT;\n' >"$WORK/noreason.sql"
run lint "$WORK/noreason.sql"
check "lint: an allow comment without a reason is an error: exit 1" rc_is 1
check "lint: ... reported at the comment's line" matches "$OUT" "noreason.sql:2:1: error: .*\[dbops-allow\]$"
check "lint: ... and silences nothing" has "$OUT" "[ban-drop-table]"

printf 'ban-drop-table = error\nrequire-timeout-settings = off\n' >"$WORK/lint.conf"
printf 'DROP TABLE IF EXISTS accounts;\n' >"$WORK/drop.sql"
run lint --config "$WORK/lint.conf" "$WORK/drop.sql"
check "lint --config: a rule raised to error: exit 1" rc_is 1
check "lint --config: ... printed as an error" matches "$OUT" "drop.sql:1:1: error: .*\[ban-drop-table\]$"
check "lint --config: a rule turned off is not reported" lacks "$OUT" "require-timeout-settings"

printf 'ban-drop-tabel = error\n' >"$WORK/typo.conf"
run lint --config "$WORK/typo.conf" "$WORK/drop.sql"
check "lint --config with an unknown rule: exit 2 at its line" rc_is 2
check "lint --config with an unknown rule: names file and line" has "$ERR" "typo.conf:1"

run lint "$WORK/missing.sql"
check "lint on a missing file: exit 2" rc_is 2
printf "SELECT 'unterminated;\n" >"$WORK/broken.sql"
run lint "$WORK/broken.sql"
check "lint on SQL that does not split: exit 2" rc_is 2
run lint --json --sarif "$WORK/drop.sql"
check "lint --json --sarif: usage error, exit 2" rc_is 2

run lint --rules
check "lint --rules lists 23 rules" eq "$(count_lines "$OUT" '^[a-z-]+	(warning|error|off)	')" 23
run lint --locks
check "lint --locks prints the lock table with its documentation" has "$OUT" "sql-altertable.html"

# ------------------------------------------------------------------ a repository
REPO="$WORK/repo"
mkdir -p "$REPO/versions"
cat >"$REPO/versions/0001_a.sql" <<'SQL'
-- revision: aaaa00000001
-- down_revision: none
-- message: create t

-- +upgrade
CREATE TABLE t (id bigint PRIMARY KEY, a text);
CREATE INDEX ix_t_a ON t (a);

-- +downgrade
DROP TABLE t;
SQL
cat >"$REPO/versions/0002_b.sql" <<'SQL'
-- revision: bbbb00000002
-- down_revision: aaaa00000001
-- message: index t

-- +upgrade
CREATE INDEX ix_t_id_a ON t (id, a);

-- +downgrade
DROP INDEX ix_t_id_a;
SQL
run --migrations "$REPO" lint
check "lint (repository): warnings: exit 0" rc_is 0
check "lint (repository): the index on the table created in the same revision is exempt" lacks "$OUT" "0001_a.sql:7:"
check "lint (repository): the index on a table of an earlier revision is reported" \
  matches "$OUT" "0002_b.sql:6:1: warning: .*\[require-concurrent-index-creation\]$"
check "lint (repository): dbops sets lock_timeout itself" lacks "$OUT" "require-timeout-settings"
run --migrations "$REPO" lint --from aaaa00000001 --to head
check "lint --from/--to: only the revisions in the range" lacks "$OUT" "0001_a.sql"
check "lint --from/--to: ... which are reported" has "$OUT" "0002_b.sql:6:1"
run --migrations "$REPO" lint "$REPO/versions/0002_b.sql"
check "lint FILE on a migration file reads it as dbops runs it" lacks "$OUT" "require-timeout-settings"

run --migrations "$REPO" check
check "check: lint warnings do not fail it" rc_is 0
check "check: lint summary on stderr" has "$ERR" "lint: 0 error(s), 3 warning(s)"
printf 'require-concurrent-index-creation = error\n' >"$REPO/lint.conf"
run --migrations "$REPO" check
check "check: an error-severity finding (lint.conf) fails it with exit 1" rc_is 1
check "check: ... named with file:line" has "$ERR" "0002_b.sql:6:1: error:"
run --migrations "$REPO" check --json
check "check --json: the lint findings, exit 1" \
  json_ok "$OUT" 'd["problems"] == [] and any(f["rule"] == "require-concurrent-index-creation" and f["severity"] == "error" for f in d["lint"])'
printf 'no-such-rule = error\n' >"$REPO/lint.conf"
run --migrations "$REPO" check
check "check: a bad lint.conf is bad input: exit 2" rc_is 2

finish
