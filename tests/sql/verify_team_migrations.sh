#!/usr/bin/env bash
# Standalone verification of the team migration history in migrations/versions/.
#
#   tests/sql/verify_team_migrations.sh [REPO_ROOT]
#
# Starts a throwaway PostgreSQL server (scripts/pg-temp-server.sh), orders the
# revision files by following down_revision links from the base, applies every
# upgrade section in its own transaction (psql -1), checks the schema at the
# production revision and at head, then applies every downgrade in reverse
# order and checks that each downgrade restores the exact pg_dump of the
# database as it was before the matching upgrade, ending with an empty schema.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "${1:-$SCRIPT_DIR/../..}" && pwd)
VERSIONS="$ROOT/migrations/versions"
PROD_REV=19c513d3bf90
HEAD_REV=792ffb1ab1ad
EXPECTED_AFTER_PROD=23
NEW_TABLES=(equity_changes position_realized_events batch_run_tracking spread_factor_definitions
            position_volatility ai_insights ai_insight_templates)
NEW_SNAPSHOT_COLUMNS=(beta_calculated_90d beta_calculated_90d_r_squared beta_calculated_90d_observations
                      beta_provider_1y
                      realized_volatility_21d realized_volatility_63d expected_volatility_21d
                      volatility_trend volatility_percentile
                      hhi effective_num_positions top_3_concentration top_10_concentration
                      target_price_return_eoy target_price_return_next_year target_price_coverage_pct)

PASS=0
FAIL=0
check() { # check DESCRIPTION COMMAND...
  local desc=$1; shift
  if "$@"; then PASS=$((PASS + 1)); echo "ok   - $desc"
  else FAIL=$((FAIL + 1)); echo "FAIL - $desc"; fi
}
summary_and_exit() {
  echo "$PASS passed, $FAIL failed"
  [ "$FAIL" -eq 0 ]
  exit $?
}
die() { echo "FATAL: $*" >&2; FAIL=$((FAIL + 1)); summary_and_exit; }

WORK=$(mktemp -d /tmp/dbops-verify-mig.XXXXXX)
chmod 755 "$WORK"
cleanup_work() { rm -rf "$WORK"; }

# ---------------------------------------------------------------- parse files
header() { # header FILE KEY -> value of "-- KEY: value" in the leading header block
  awk -v key="$2" '
    /^-- \+upgrade/ { exit }
    { if (match($0, "^-- " key ":[ \t]*")) { v = substr($0, RLENGTH + 1); sub(/[ \t\r]+$/, "", v); print v; exit } }
  ' "$1"
}
section() { # section FILE upgrade|downgrade
  if [ "$2" = upgrade ]; then
    awk '/^-- \+downgrade/ { f = 0 } f { print } /^-- \+upgrade/ { f = 1 }' "$1"
  else
    awk 'f { print } /^-- \+downgrade/ { f = 1 }' "$1"
  fi
}

declare -A FILE_OF PARENT_OF CHILD_OF MSG_OF
BASES=()
DUP=0
BADID=0
MULTICHILD=0
shopt -s nullglob
FILES=("$VERSIONS"/*.sql)
[ "${#FILES[@]}" -gt 0 ] || die "no migration files in $VERSIONS"
for f in "${FILES[@]}"; do
  rev=$(header "$f" revision)
  down=$(header "$f" down_revision)
  [[ "$rev" =~ ^[0-9a-f]{12}$ ]] || { echo "bad revision id '$rev' in $f"; BADID=1; }
  [[ "$down" = none || "$down" =~ ^[0-9a-f]{12}$ ]] || { echo "bad down_revision '$down' in $f"; BADID=1; }
  if [ -n "${FILE_OF[$rev]+x}" ]; then echo "duplicate revision $rev"; DUP=1; fi
  FILE_OF[$rev]=$f
  PARENT_OF[$rev]=$down
  MSG_OF[$rev]=$(header "$f" message)
  if [ "$down" = none ]; then BASES+=("$rev")
  else
    if [ -n "${CHILD_OF[$down]+x}" ]; then echo "revision $down has several children"; MULTICHILD=1; fi
    CHILD_OF[$down]=$rev
  fi
done
check "all revision ids are 12 lowercase hex digits" test "$BADID" -eq 0
check "revision ids are unique" test "$DUP" -eq 0
check "history is linear (no revision has two children)" test "$MULTICHILD" -eq 0
check "exactly one base revision" test "${#BASES[@]}" -eq 1
[ "${#BASES[@]}" -eq 1 ] || die "cannot order revisions without a single base"

ORDER=()
rev=${BASES[0]}
while :; do
  ORDER+=("$rev")
  [ -n "${CHILD_OF[$rev]+x}" ] || break
  rev=${CHILD_OF[$rev]}
  [ "${#ORDER[@]}" -le "${#FILES[@]}" ] || die "cycle in down_revision links"
done
check "chain from base reaches every file (${#ORDER[@]}/${#FILES[@]})" test "${#ORDER[@]}" -eq "${#FILES[@]}"
check "head is $HEAD_REV" test "${ORDER[-1]}" = "$HEAD_REV"

PROD_IDX=-1
for i in "${!ORDER[@]}"; do [ "${ORDER[$i]}" = "$PROD_REV" ] && PROD_IDX=$i; done
check "production revision $PROD_REV is in the chain" test "$PROD_IDX" -ge 0
[ "$PROD_IDX" -ge 0 ] || die "production revision missing"
AFTER=$(( ${#ORDER[@]} - PROD_IDX - 1 ))
check "$EXPECTED_AFTER_PROD revisions after $PROD_REV (found $AFTER)" test "$AFTER" -eq "$EXPECTED_AFTER_PROD"

BADFMT=0
for rev in "${ORDER[@]}"; do
  f=${FILE_OF[$rev]}
  for k in message create_date; do
    [ -n "$(header "$f" $k)" ] || { echo "$f: missing $k header"; BADFMT=1; }
  done
  grep -qx -- '-- +upgrade' "$f" && grep -qx -- '-- +downgrade' "$f" || { echo "$f: missing section marker"; BADFMT=1; }
  [ -n "$(section "$f" upgrade | grep -v '^\s*$' || true)" ] || { echo "$f: empty upgrade"; BADFMT=1; }
  [ -n "$(section "$f" downgrade | grep -v '^\s*$' || true)" ] || { echo "$f: empty downgrade"; BADFMT=1; }
  if grep -Eiq '^\s*(BEGIN|COMMIT|ROLLBACK|START TRANSACTION)\b|CONCURRENTLY|^\s*\\' "$f"; then
    echo "$f: contains transaction control, CONCURRENTLY or psql meta-command"; BADFMT=1
  fi
done
check "every file has headers, non-empty upgrade/downgrade, no BEGIN/COMMIT/CONCURRENTLY/meta-commands" test "$BADFMT" -eq 0
PREV_DATE=""
DATES_OK=1
for rev in "${ORDER[@]}"; do
  d=$(header "${FILE_OF[$rev]}" create_date)
  [[ -z "$PREV_DATE" || "$d" > "$PREV_DATE" ]] || { echo "create_date not increasing at $rev"; DATES_OK=0; }
  PREV_DATE=$d
done
check "create_date increases along the chain" test "$DATES_OK" -eq 1

# ---------------------------------------------------------------- server
# shellcheck source=/dev/null
source "$ROOT/scripts/pg-temp-server.sh"
pg_temp_start
trap 'pg_temp_stop; cleanup_work' EXIT
DB=team_migrations_verify
psql -v ON_ERROR_STOP=1 -q -d postgres -c "CREATE DATABASE $DB" >/dev/null
export PGDATABASE=$DB
q() { psql -v ON_ERROR_STOP=1 -X -qAt -d "$DB" -c "$1"; }
dump() { # full dump (schema + data), minus comments and the random \restrict key
  pg_dump --no-owner --no-privileges -d "$DB" | grep -Ev '^(--|\\restrict|\\unrestrict)' | sed '/^$/d'
}
apply_section() { # apply_section REV upgrade|downgrade
  local f=${FILE_OF[$1]} sql="$WORK/$1.$2.sql"
  section "$f" "$2" >"$sql"
  if ! psql -v ON_ERROR_STOP=1 -X -q -1 -d "$DB" -f "$sql" >"$WORK/psql.out" 2>&1; then
    cat "$WORK/psql.out"
    return 1
  fi
}
table_exists() { [ "$(q "SELECT to_regclass('public.$1') IS NOT NULL")" = t ]; }
column_exists() {
  [ "$(q "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '$1' AND column_name = '$2'")" = 1 ]
}
none_of_new_tables_exist() { local t; for t in "${NEW_TABLES[@]}"; do table_exists "$t" && return 1; done; return 0; }
all_new_tables_exist() { local t; for t in "${NEW_TABLES[@]}"; do table_exists "$t" || { echo "missing table $t"; return 1; }; done; }
all_snapshot_columns_exist() {
  local c; for c in "${NEW_SNAPSHOT_COLUMNS[@]}"; do column_exists portfolio_snapshots "$c" || { echo "missing column $c"; return 1; }; done
}
no_snapshot_columns_exist() { local c; for c in "${NEW_SNAPSHOT_COLUMNS[@]}"; do column_exists portfolio_snapshots "$c" && return 1; done; return 0; }
eq() { [ "$1" = "$2" ] || { echo "  expected '$2', got '$1'"; return 1; }; }

# ---------------------------------------------------------------- upgrade pass
UP_OK=1
for i in "${!ORDER[@]}"; do
  rev=${ORDER[$i]}
  dump >"$WORK/before.$i.dump"
  [ "$i" -eq 0 ] || [ -s "$WORK/before.$i.dump" ] || die "pg_dump produced no output before $rev"
  if ! apply_section "$rev" upgrade; then
    echo "upgrade of $rev (${MSG_OF[$rev]}) failed"; UP_OK=0; break
  fi
  if [ "$rev" = "$PROD_REV" ]; then
    check "at $PROD_REV: none of the 7 new tables exist" none_of_new_tables_exist
    check "at $PROD_REV: no new portfolio_snapshots columns exist" no_snapshot_columns_exist
    for t in users portfolios positions portfolio_snapshots factor_definitions; do
      check "at $PROD_REV: table $t exists" table_exists "$t"
    done
    check "at $PROD_REV: 12 factor definitions" eq "$(q 'SELECT count(*) FROM factor_definitions')" 12
    check "at $PROD_REV: 10 active style/macro factors" \
      eq "$(q "SELECT count(*) FROM factor_definitions WHERE is_active AND factor_type IN ('style','macro')")" 10
    check "at $PROD_REV: 'Short Interest' is an active style factor" \
      eq "$(q "SELECT factor_type || '/' || is_active FROM factor_definitions WHERE name = 'Short Interest'")" "style/true"
    SHORT_INTEREST_ROW=$(q "SELECT row_to_json(f)::text FROM factor_definitions f WHERE name = 'Short Interest'")
    FACTORS_AT_PROD=$(q "SELECT string_agg(f::text, E'\n' ORDER BY name) FROM factor_definitions f")
  fi
done
check "all ${#ORDER[@]} upgrades applied (each in its own transaction)" test "$UP_OK" -eq 1
[ "$UP_OK" -eq 1 ] || summary_and_exit

check "at head: all 7 new tables exist" all_new_tables_exist
check "at head: new portfolio_snapshots column groups exist" all_snapshot_columns_exist
check "at head: a new enum type exists" \
  test "$(q "SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public' AND t.typtype = 'e'")" -ge 1
check "at head: latest snapshot lookup index on (portfolio_id, snapshot_date DESC)" \
  eq "$(q "SELECT count(*) FROM pg_indexes WHERE tablename = 'portfolio_snapshots' AND indexdef LIKE '%(portfolio_id, snapshot_date DESC)%'")" 1
check "at head: 'Short Interest' row unchanged since $PROD_REV" \
  eq "$(q "SELECT row_to_json(f)::text FROM factor_definitions f WHERE name = 'Short Interest'")" "$SHORT_INTEREST_ROW"
check "at head: factor_definitions unchanged since $PROD_REV" \
  eq "$(q "SELECT string_agg(f::text, E'\n' ORDER BY name) FROM factor_definitions f")" "$FACTORS_AT_PROD"
check "at head: seed data present in new tables" \
  test "$(q 'SELECT (SELECT count(*) FROM ai_insight_templates) + (SELECT count(*) FROM spread_factor_definitions)')" -gt 0
FKS=$(q "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text IN ('$(IFS=,; echo "${NEW_TABLES[*]}" | sed "s/,/','/g")')")
check "at head: new tables have foreign keys ($FKS)" test "$FKS" -ge 8

# ---------------------------------------------------------------- downgrade pass
DOWN_OK=1
EXACT_OK=1
for (( i = ${#ORDER[@]} - 1; i >= 0; i-- )); do
  rev=${ORDER[$i]}
  if ! apply_section "$rev" downgrade; then
    echo "downgrade of $rev (${MSG_OF[$rev]}) failed"; DOWN_OK=0; break
  fi
  if ! diff -u "$WORK/before.$i.dump" <(dump) >"$WORK/diff.$i"; then
    echo "downgrade of $rev (${MSG_OF[$rev]}) does not restore the previous state:"
    head -n 40 "$WORK/diff.$i"
    EXACT_OK=0
  fi
done
check "all ${#ORDER[@]} downgrades applied in reverse order" test "$DOWN_OK" -eq 1
check "each downgrade restores the exact dump taken before its upgrade" test "$EXACT_OK" -eq 1
SCHEMA=$(pg_dump -s --no-owner --no-privileges -d "$DB")
check "after full downgrade: pg_dump -s has no CREATE TABLE" bash -c '! grep -q "CREATE TABLE" <<<"$1"' _ "$SCHEMA"
check "after full downgrade: pg_dump -s has no CREATE TYPE" bash -c '! grep -q "CREATE TYPE" <<<"$1"' _ "$SCHEMA"
check "after full downgrade: no relations or types left in public" \
  eq "$(q "SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public')
              + (SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public')")" 0

# ---------------------------------------------------------------- re-upgrade
REUP_OK=1
for rev in "${ORDER[@]}"; do apply_section "$rev" upgrade || { echo "re-upgrade of $rev failed"; REUP_OK=0; break; }; done
check "full re-upgrade to head after full downgrade succeeds" test "$REUP_OK" -eq 1

echo
echo "revision chain (${#ORDER[@]} revisions, production at $PROD_REV, head $HEAD_REV):"
for rev in "${ORDER[@]}"; do
  mark=""; [ "$rev" = "$PROD_REV" ] && mark="  <- production"
  echo "  $rev  ${MSG_OF[$rev]}$mark"
done
summary_and_exit
