#!/usr/bin/env bash
# `dbops audit` and `dbops snapshot` against a real PostgreSQL server.
#
#   tests/cli/test_audit.sh DBOPS_BINARY [SOURCE_DIR]
#
# Runs under tests/with-postgres.sh (PGHOST/PGPORT/PGUSER set); started
# alone, it starts its own throwaway server.  The production database is
# built at 19c513d3bf90 with `dbops sql upgrade | psql`, audited against the
# committed migrations/schema/head.json, upgraded to head and audited again.
# Prints one line per check, ends with "N passed, M failed", exits non-zero
# on any failure (77 when the PostgreSQL server binaries are not installed).
set -euo pipefail

[ $# -ge 1 ] || { echo "usage: $0 DBOPS_BINARY [SOURCE_DIR]" >&2; exit 2; }
DBOPS=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=$(cd "${2:-$SCRIPT_DIR/../..}" && pwd)
# shellcheck source=tests/lib/check.sh
source "$SRC/tests/lib/check.sh"
MIG="$SRC/migrations"
PROD_REV=19c513d3bf90
HEAD_REV=792ffb1ab1ad
# What 19c513d3bf90..head adds, from migrations/README.md and the revisions.
NEW_TABLES="ai_insight_templates ai_insights batch_run_tracking equity_changes position_realized_events position_volatility spread_factor_definitions"
NEW_SNAPSHOT_COLUMNS="beta_calculated_90d beta_calculated_90d_observations beta_calculated_90d_r_squared beta_provider_1y
  effective_num_positions expected_volatility_21d hhi realized_volatility_21d realized_volatility_63d
  target_price_coverage_pct target_price_downside_return target_price_positions_count target_price_return_eoy
  target_price_return_next_year top_10_concentration top_3_concentration volatility_percentile volatility_trend"
NEW_SNAPSHOT_CONSTRAINTS="ck_portfolio_snapshots_beta_90d_r_squared ck_portfolio_snapshots_hhi_range
  ck_portfolio_snapshots_target_price_coverage ck_portfolio_snapshots_volatility_percentile
  ck_portfolio_snapshots_volatility_trend"
# Lookup indexes later revisions put on tables production already has (0031, 0033).
NEW_INDEXES_ON_OLD_TABLES="portfolio_snapshots.ix_portfolio_snapshots_portfolio_latest target_prices.ix_target_prices_symbol"
NEW_ENUMS="batch_run_status insight_type"

[ -x "$DBOPS" ] || { echo "FATAL: $DBOPS is not executable" >&2; exit 2; }
unset DBOPS_MIGRATIONS DATABASE_URL
for tool in psql jq; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool not installed"; exit 77; }
done

WORK=$(mktemp -d /tmp/dbops-audit.XXXXXX)
chmod 755 "$WORK"
if [ -z "${PGPORT:-}" ]; then
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { echo "SKIP: PostgreSQL server binaries not installed"; exit 77; }
  # shellcheck source=/dev/null
  source "$SRC/scripts/pg-temp-server.sh"
  pg_temp_start
  trap 'pg_temp_stop; rm -rf "$WORK"' EXIT
else
  trap 'rm -rf "$WORK"' EXIT
fi


q() { psql -X -v ON_ERROR_STOP=1 -qAt -d "$1" -c "$2"; } # q DB SQL
DB=app_audit
URL="postgresql://$PGUSER@${PGHOST:-127.0.0.1}:$PGPORT/$DB"

# run EXPECTED_RC NAME DBOPS_ARGS...: output in $WORK/NAME.out / .err; true when the exit code matches.
run() {
  local want=$1 name=$2; shift 2
  set +e
  "$DBOPS" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err"
  local rc=$?
  set -e
  [ "$rc" -eq "$want" ] && return 0
  echo "    exit $rc, expected $want: dbops $*"
  sed 's/^/    out: /' "$WORK/$name.out" | head -n 15
  sed 's/^/    err: /' "$WORK/$name.err" | head -n 15
  return 1
}
# jqr NAME FILTER: jq -r over a command's JSON output, one line.
jqr() { jq -r "$2" "$WORK/$1.out" | tr '\n' ' ' | sed 's/ $//'; }
no_shadow_left() { eq "$(q postgres "SELECT count(*) FROM pg_database WHERE datname LIKE 'dbops_shadow_%'")" 0; }

# ------------------------------------------------------------------ production at 19c513d3bf90
q postgres "DROP DATABASE IF EXISTS $DB" >/dev/null
q postgres "CREATE DATABASE $DB" >/dev/null
"$DBOPS" --migrations "$MIG" sql upgrade --to $PROD_REV | psql -X -q -v ON_ERROR_STOP=1 -d $DB -f - >/dev/null
check "production database built at $PROD_REV" eq "$(q $DB 'SELECT version_num FROM alembic_version')" $PROD_REV

check "snapshot --check: the committed head.json is current" run 0 check_committed --migrations "$MIG" snapshot --check
check "snapshot --check says so" grep -q "is up to date ($HEAD_REV)" "$WORK/check_committed.out"

check "audit at $PROD_REV exits 1" run 1 audit_old --migrations "$MIG" -d "$URL" audit
check "audit text: totals name the 7 missing tables" grep -q "^Totals: 7 tables MISSING (with " "$WORK/audit_old.out"
check "audit text: the database is at $PROD_REV" grep -q "(at $PROD_REV)" "$WORK/audit_old.out"
check "audit text: a missing table is a group" grep -q "^table public.equity_changes: MISSING (10 columns" "$WORK/audit_old.out"
check "audit text: a missing column of portfolio_snapshots" \
  grep -Eq "^  MISSING  column +hhi +numeric\(12,4\) NULL$" "$WORK/audit_old.out"
check "audit text: FAILED verdict" grep -q "^FAILED: " "$WORK/audit_old.out"

check "audit --json exits 1" run 1 audit_old_json --migrations "$MIG" -d "$URL" audit --json
check "audit --json parses, ok=false" eq "$(jqr audit_old_json '.ok')" false
check "MISSING tables: exactly the 7 new ones" \
  eq "$(jqr audit_old_json '[.items[] | select(.status == "MISSING" and .kind == "table") | .name] | sort | join(" ")')" \
     "$(words "$NEW_TABLES")"
check "MISSING columns outside missing tables: exactly the new portfolio_snapshots columns" \
  eq "$(jqr audit_old_json '[.items[] | select(.status == "MISSING" and .kind == "column" and (.with_table | not)) | .table + "." + .name] | sort | join(" ")')" \
     "$(words "$(for c in $NEW_SNAPSHOT_COLUMNS; do echo "portfolio_snapshots.$c"; done)")"
check "MISSING constraints outside missing tables: the checks on the new portfolio_snapshots columns" \
  eq "$(jqr audit_old_json '[.items[] | select(.status == "MISSING" and .kind == "constraint" and (.with_table | not)) | .table + "." + .name] | sort | join(" ")')" \
     "$(words "$(for c in $NEW_SNAPSHOT_CONSTRAINTS; do echo "portfolio_snapshots.$c"; done)")"
check "MISSING indexes outside missing tables: the two later lookup indexes" \
  eq "$(jqr audit_old_json '[.items[] | select(.status == "MISSING" and .kind == "index" and (.with_table | not)) | .table + "." + .name] | sort | join(" ")')" \
     "$(words "$NEW_INDEXES_ON_OLD_TABLES")"
check "MISSING enums: the two new types" \
  eq "$(jqr audit_old_json '[.items[] | select(.status == "MISSING" and .kind == "enum") | .name] | sort | join(" ")')" \
     "$(words "$NEW_ENUMS")"
check "every other MISSING item belongs to a missing table" \
  eq "$(jqr audit_old_json '[.items[] | select(.status == "MISSING" and .with_table) | .table] | unique | join(" ")')" \
     "$(words "$NEW_TABLES")"
check "nothing DIFFERS, nothing EXTRA" \
  eq "$(jqr audit_old_json '[.items[] | select(.status == "DIFFERS" or .status == "EXTRA")] | length')" 0
check "the old tables EXIST" \
  eq "$(jqr audit_old_json '[.items[] | select(.status == "EXISTS" and .kind == "table")] | length')" 9
check "JSON totals count every item" \
  eq "$(jqr audit_old_json '.totals.MISSING.table')" 7
check "JSON names both revisions" \
  eq "$(jqr audit_old_json '.database_revisions[0] + " " + .expected.revisions[0]')" "$PROD_REV $HEAD_REV"

check "audit --only-problems leaves out what EXISTS" run 1 audit_old_problems --migrations "$MIG" -d "$URL" audit --only-problems
check "  no EXISTS lines" bash -c "! grep -q '^  EXISTS' '$WORK/audit_old_problems.out'"
check "  users is not listed" bash -c "! grep -q '^table public.users' '$WORK/audit_old_problems.out'"

# The corrective SQL (the console's schema diff shows the same, CorrectiveSql):
# run on a copy, it leaves nothing MISSING.
check "audit --sql: the corrective SQL, exit 1 (problems)" run 1 audit_sql --migrations "$MIG" -d "$URL" audit --sql
check "  it creates the missing tables" grep -q '^CREATE TABLE.*ai_insights' "$WORK/audit_sql.out"
check "  it adds the missing columns" grep -q 'ADD COLUMN.*beta_calculated_90d' "$WORK/audit_sql.out"
"$PSQL" -X -q -d postgres -c "CREATE DATABASE ${DB}_corrected TEMPLATE $DB"
check "  applied to a copy, it runs" "$PSQL" -X -q -v ON_ERROR_STOP=1 -d "${DB}_corrected" -f "$WORK/audit_sql.out"
check "  and the copy then audits clean" run 0 audit_corrected --migrations "$MIG" \
  -d "postgresql://$PGUSER@${PGHOST:-127.0.0.1}:$PGPORT/${DB}_corrected" audit --only-problems
"$PSQL" -X -q -d postgres -c "DROP DATABASE ${DB}_corrected"

check "audit --format html --output FILE" run 1 audit_html --migrations "$MIG" -d "$URL" audit --format html --output "$WORK/audit.html"
check "  a self-contained page with status text" \
  bash -c "grep -q '<!DOCTYPE html>' '$WORK/audit.html' && grep -q '<span class=\"status\">MISSING</span>' '$WORK/audit.html' \
           && ! grep -Eq '<(script|link)' '$WORK/audit.html'"
check "  stdout says where it went" grep -q "^Wrote $WORK/audit.html" "$WORK/audit_html.out"
# --output to something that is not a regular file (a pipe, /dev/null) is
# written in place: replacing it by a renamed temporary file (as for a
# regular file) once turned root's /dev/null into a plain file.
mkfifo "$WORK/report.fifo"
cat "$WORK/report.fifo" >"$WORK/from-fifo.json" &
reader=$!
check "audit --output FIFO: written through the pipe" run 1 audit_fifo --migrations "$MIG" -d "$URL" audit --format json --output "$WORK/report.fifo"
# (a replaced pipe would leave the reader waiting for a writer for ever)
for _ in $(seq 50); do kill -0 "$reader" 2>/dev/null || break; sleep 0.1; done
kill "$reader" 2>/dev/null || true
wait "$reader" 2>/dev/null || true
check "  the pipe is still a pipe" test -p "$WORK/report.fifo"
check "  what came through it is the report" jq -e '.summary' "$WORK/from-fifo.json"

check "audit --target $PROD_REV on the old database exits 0 (replay on the shadow server)" \
  run 0 audit_target --migrations "$MIG" -d "$URL" audit --target $PROD_REV --json
check "  everything EXISTS" eq "$(jqr audit_target '[.items[] | select(.status != "EXISTS")] | length')" 0
check "  the expected side is a replay to $PROD_REV" eq "$(jqr audit_target '.expected.revisions | join(",")')" $PROD_REV
check "no shadow database is left" no_shadow_left

# ------------------------------------------------------------------ upgraded to head
"$DBOPS" --migrations "$MIG" sql upgrade --from $PROD_REV --to head | psql -X -q -v ON_ERROR_STOP=1 -d $DB -f - >/dev/null
check "upgraded to head with dbops sql | psql" eq "$(q $DB 'SELECT version_num FROM alembic_version')" $HEAD_REV
check "audit at head exits 0" run 0 audit_head --migrations "$MIG" -d "$URL" audit --json
check "  everything EXISTS" eq "$(jqr audit_head '[.items[] | select(.status != "EXISTS")] | length')" 0
check "  ok=true, 16 tables" eq "$(jqr audit_head '.ok, .totals.EXISTS.table')" "true 16"
check "audit --target $PROD_REV at head: only EXTRA, exit 0" run 0 audit_extra --migrations "$MIG" -d "$URL" audit --target $PROD_REV --json
check "  the 7 new tables are EXTRA" \
  eq "$(jqr audit_extra '[.items[] | select(.status == "EXTRA" and .kind == "table") | .name] | sort | join(" ")')" "$(words "$NEW_TABLES")"

# A drifted column: DIFFERS, with both sides.
q $DB "ALTER TABLE portfolio_snapshots ALTER COLUMN hhi TYPE numeric(14,4)" >/dev/null
check "a hand-changed column type fails the audit" run 1 audit_drift --migrations "$MIG" -d "$URL" audit --json --only-problems
check "  DIFFERS with expected and actual" \
  eq "$(jqr audit_drift '.items[] | select(.status == "DIFFERS") | .table + "." + .name + ": " + .expected + " -> " + .actual')" \
     "portfolio_snapshots.hhi: numeric(12,4) NULL -> numeric(14,4) NULL"
check "  and only that" eq "$(jqr audit_drift '.items | length')" 1
q $DB "ALTER TABLE portfolio_snapshots ALTER COLUMN hhi TYPE numeric(12,4)" >/dev/null

# ------------------------------------------------------------------ snapshot on a copy
cp -r "$MIG" "$WORK/migrations"
jq '(.tables[] | select(.name == "portfolio_snapshots") | .columns[] | select(.name == "hhi") | .type) = "numeric(99,4)"' \
  "$MIG/schema/head.json" >"$WORK/migrations/schema/head.json"
check "snapshot --check on a tampered copy exits 1" run 1 check_tampered --migrations "$WORK/migrations" snapshot --check
check "  and says it is stale, naming the column" \
  bash -c "grep -q 'is stale' '$WORK/check_tampered.out' && grep -q 'column public.portfolio_snapshots.hhi' '$WORK/check_tampered.out'"
check "  --check does not write" grep -q 'numeric(99,4)' "$WORK/migrations/schema/head.json"
check "snapshot rewrites the copy" run 0 snapshot_copy --migrations "$WORK/migrations" snapshot
check "  identical to the committed file" cmp -s "$MIG/schema/head.json" "$WORK/migrations/schema/head.json"
rm "$WORK/migrations/schema/head.json"
check "snapshot --check without a file exits 1" run 1 check_missing --migrations "$WORK/migrations" snapshot --check
check "audit without head.json is bad input (2)" run 2 audit_nofile --migrations "$WORK/migrations" -d "$URL" audit
check "  and says how to make one" grep -q "run 'dbops snapshot'" "$WORK/audit_nofile.err"

# ------------------------------------------------------------------ failures
check "a failing migration: snapshot exits 3" run 3 snapshot_fail --migrations "$SRC/tests/data/cli/atomicity" snapshot --output "$WORK/x.json"
check "  naming the file:line and SQLSTATE" \
  grep -q "0002_bb22cc33dd44_alter_missing_table.sql:9: .*bb22cc33dd44.*missing_table.*\[SQLSTATE 42P01\]" "$WORK/snapshot_fail.err"
check "  and writing nothing" test ! -e "$WORK/x.json"
check "--shadow URL is used" run 3 shadow_bad --migrations "$MIG" snapshot --check --shadow "postgresql://nobody@127.0.0.1:1/postgres?connect_timeout=2"
check "  the error says it was the shadow server" grep -q "shadow server: cannot connect to nobody@127.0.0.1:1" "$WORK/shadow_bad.err"
check "audit --format xml is bad input (2)" run 2 bad_format --migrations "$MIG" -d "$URL" audit --format xml
check "audit --schema without --target is bad input (2)" run 2 bad_schema --migrations "$MIG" -d "$URL" audit --schema other
check "audit --target nosuchrev is bad input (2)" run 2 bad_target --migrations "$MIG" -d "$URL" audit --target abcdefabcdef
check "audit of an unreachable database is a database error (3)" \
  run 3 bad_db --migrations "$MIG" -d "postgresql://postgres@127.0.0.1:1/x?connect_timeout=2" audit
check "no shadow database is left at the end" no_shadow_left

q postgres "DROP DATABASE IF EXISTS $DB" >/dev/null
finish
