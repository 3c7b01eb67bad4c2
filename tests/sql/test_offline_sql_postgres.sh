#!/usr/bin/env bash
# The offline SQL of `dbops sql` against a real PostgreSQL server.
#
#   tests/sql/test_offline_sql_postgres.sh DBOPS_BINARY [SOURCE_DIR]
#
# Starts a throwaway server (scripts/pg-temp-server.sh), pipes the scripts
# `dbops sql upgrade|downgrade` prints into `psql -v ON_ERROR_STOP=1` and checks
# the resulting databases: the production database at 19c513d3bf90 upgraded to
# head and downgraded to base (one transaction and per revision), a full
# upgrade downgraded to 19c513d3bf90 compared with pg_dump, and the atomicity
# of a one-transaction script whose second revision fails.
# Prints one line per check, ends with "N passed, M failed", exits non-zero on
# any failure (77 when the PostgreSQL server binaries are not installed).
set -euo pipefail

[ $# -ge 1 ] || { echo "usage: $0 DBOPS_BINARY [SOURCE_DIR]" >&2; exit 2; }
DBOPS=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=$(cd "${2:-$SCRIPT_DIR/../..}" && pwd)
# shellcheck source=tests/lib/check.sh
source "$SRC/tests/lib/check.sh"
MIG="$SRC/migrations"
ATOMIC="$SRC/tests/data/cli/atomicity"
PROD_REV=19c513d3bf90
HEAD_REV=792ffb1ab1ad
NEW_TABLES=(equity_changes position_realized_events batch_run_tracking spread_factor_definitions
            position_volatility ai_insights ai_insight_templates)
PROD_TABLES=(users portfolios positions portfolio_snapshots market_data_cache company_profiles target_prices
             factor_definitions factor_exposures)
NEW_COLUMNS=(beta_calculated_90d beta_provider_1y realized_volatility_21d hhi target_price_return_eoy)
NEW_TYPES=(batch_run_status insight_type)

[ -x "$DBOPS" ] || { echo "FATAL: $DBOPS is not executable" >&2; exit 2; }
unset DBOPS_MIGRATIONS
for tool in psql pg_dump; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool not installed"; exit 77; }
done
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { echo "SKIP: PostgreSQL server binaries not installed"; exit 77; }

WORK=$(mktemp -d /tmp/dbops-offline-sql.XXXXXX)
chmod 755 "$WORK"
trap 'rm -rf "$WORK"' EXIT


# shellcheck source=/dev/null
source "$SRC/scripts/pg-temp-server.sh"
pg_temp_start
trap 'pg_temp_stop; rm -rf "$WORK"' EXIT

# ------------------------------------------------------------------ helpers
q() { psql -X -v ON_ERROR_STOP=1 -qAt -d "$1" -c "$2"; } # q DB SQL
createdb_() { psql -X -v ON_ERROR_STOP=1 -q -d postgres -c "CREATE DATABASE $1" >/dev/null; }

# pipe DB DBOPS_ARGS...: `dbops ARGS | psql -v ON_ERROR_STOP=1 -d DB -f -`.
# Sets DBOPS_RC, PSQL_RC; psql's output is in $WORK/psql.log.
pipe() {
  local db=$1; shift
  set +e
  "$DBOPS" "$@" 2>"$WORK/dbops.err" | psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f - >"$WORK/psql.log" 2>&1
  local st=("${PIPESTATUS[@]}")
  set -e
  DBOPS_RC=${st[0]}
  PSQL_RC=${st[1]}
}
piped_ok() {
  [ "$DBOPS_RC" -eq 0 ] && [ "$PSQL_RC" -eq 0 ] && return 0
  echo "    dbops exit $DBOPS_RC, psql exit $PSQL_RC"
  sed 's/^/    dbops: /' "$WORK/dbops.err" | head -n 10
  sed 's/^/    psql: /' "$WORK/psql.log" | head -n 10
  return 1
}
version_is() { # version_is DB REV: alembic_version holds exactly REV
  eq "$(q "$1" "SELECT string_agg(version_num, ',') FROM alembic_version" 2>&1)" "$2"
}
no_version_table() { eq "$(q "$1" "SELECT to_regclass('public.alembic_version') IS NULL")" t; }
table_exists() { [ "$(q "$1" "SELECT to_regclass('public.$2') IS NOT NULL")" = t ]; }
tables_exist() { # tables_exist DB TABLE...
  local db=$1 t missing=(); shift
  for t in "$@"; do table_exists "$db" "$t" || missing+=("$t"); done
  [ "${#missing[@]}" -eq 0 ] || { echo "    missing: ${missing[*]}"; return 1; }
}
tables_absent() {
  local db=$1 t present=(); shift
  for t in "$@"; do table_exists "$db" "$t" && present+=("$t"); done
  [ "${#present[@]}" -eq 0 ] || { echo "    still there: ${present[*]}"; return 1; }
}
column_count() { # column_count DB TABLE COLUMN...: how many of the columns exist
  local db=$1 table=$2; shift 2
  q "$db" "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '$table'
           AND column_name IN ($(printf "'%s'," "$@" | sed 's/,$//'))"
}
types_exist() {
  local db=$1; shift
  eq "$(q "$db" "SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                 WHERE n.nspname = 'public' AND t.typtype = 'e' AND t.typname IN ($(printf "'%s'," "$@" | sed 's/,$//'))")" "$#"
}
public_is_empty() { # no relations (tables, sequences, indexes, views), types or functions in public
  local counts
  counts=$(q "$1" "SELECT
      (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p'))
      || ' tables, ' || (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'S')
      || ' sequences, ' || (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public')
      || ' relations, ' || (SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public')
      || ' types, ' || (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public')
      || ' functions'")
  eq "$counts" "0 tables, 0 sequences, 0 relations, 0 types, 0 functions"
}
# pg_dump -s without comments, SET lines and the random \restrict key.
schema_dump() {
  pg_dump -s --no-owner --no-privileges -d "$1" \
    | grep -Ev '^(--|SET |SELECT pg_catalog\.set_config|\\restrict|\\unrestrict)' | sed '/^$/d'
}
# Row counts of every table in public, and the seeded factor definitions
# without their random ids and timestamps.
data_fingerprint() {
  local t
  for t in $(q "$1" "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"); do
    echo "$t: $(q "$1" "SELECT count(*) FROM public.$t")"
  done
  if table_exists "$1" factor_definitions; then
    q "$1" "SELECT name || '|' || factor_type || '|' || coalesce(description, '') || '|' || is_active FROM factor_definitions ORDER BY name"
  fi
}
same_dump() { # same_dump KIND DB1 DB2
  "$1" "$2" >"$WORK/$2.dump"
  "$1" "$3" >"$WORK/$3.dump"
  diff -u "$WORK/$3.dump" "$WORK/$2.dump" >"$WORK/dump.diff" && return 0
  echo "    $1 of $2 differs from $3:"; head -n 30 "$WORK/dump.diff" | sed 's/^/      /'
  return 1
}

createdb_ empty_reference
check "reference: pg_dump -s of an empty database has no CREATE statements" \
  bash -c '! grep -q CREATE <<<"$1"' _ "$(schema_dump empty_reference)"

# ------------------------------------------------------------------ production database, both transaction modes
# round_trip DB [--transaction MODE]: base -> PROD_REV -> head -> base
round_trip() {
  local db=$1; shift
  local mode=("$@") tag=${*:-all}
  tag=${tag#--transaction }
  createdb_ "$db"

  pipe "$db" --migrations "$MIG" sql upgrade --to "$PROD_REV" "${mode[@]}"
  check "[$tag] sql upgrade --to $PROD_REV | psql: succeeds" piped_ok
  check "[$tag] at $PROD_REV: alembic_version = $PROD_REV" version_is "$db" "$PROD_REV"
  check "[$tag] at $PROD_REV: the 9 production tables exist" tables_exist "$db" "${PROD_TABLES[@]}"
  check "[$tag] at $PROD_REV: none of the 7 new tables exist" tables_absent "$db" "${NEW_TABLES[@]}"
  check "[$tag] at $PROD_REV: none of the new portfolio_snapshots columns exist" \
    eq "$(column_count "$db" portfolio_snapshots "${NEW_COLUMNS[@]}")" 0
  check "[$tag] at $PROD_REV: 12 factor definitions" eq "$(q "$db" 'SELECT count(*) FROM factor_definitions')" 12
  schema_dump "$db" >"$WORK/$db.at_prod.schema"

  pipe "$db" --migrations "$MIG" sql upgrade --from "$PROD_REV" --to head "${mode[@]}"
  check "[$tag] sql upgrade --from $PROD_REV --to head | psql: succeeds" piped_ok
  check "[$tag] at head: alembic_version = $HEAD_REV (one row)" version_is "$db" "$HEAD_REV"
  check "[$tag] at head: the 7 new tables exist" tables_exist "$db" "${NEW_TABLES[@]}"
  check "[$tag] at head: the new portfolio_snapshots columns exist" \
    eq "$(column_count "$db" portfolio_snapshots "${NEW_COLUMNS[@]}")" "${#NEW_COLUMNS[@]}"
  check "[$tag] at head: enum types batch_run_status and insight_type exist" types_exist "$db" "${NEW_TYPES[@]}"
  check "[$tag] at head: seed rows in spread_factor_definitions and ai_insight_templates" \
    eq "$(q "$db" 'SELECT (SELECT count(*) FROM spread_factor_definitions) || '"'/'"' || (SELECT count(*) FROM ai_insight_templates)')" "4/4"
  check "[$tag] at head: factor_definitions untouched (12 rows)" eq "$(q "$db" 'SELECT count(*) FROM factor_definitions')" 12

  pipe "$db" --migrations "$MIG" sql downgrade --from head --to base "${mode[@]}"
  check "[$tag] sql downgrade --from head --to base | psql: succeeds" piped_ok
  check "[$tag] at base: alembic_version is gone" no_version_table "$db"
  check "[$tag] at base: no tables, sequences, relations, types or functions in public" public_is_empty "$db"
  check "[$tag] at base: pg_dump -s equals an empty database's" same_dump schema_dump "$db" empty_reference
}
round_trip at_prod
round_trip at_prod_per_revision --transaction per-revision

# ------------------------------------------------------------------ full upgrade, downgrade to production
createdb_ straight_to_prod
pipe straight_to_prod --migrations "$MIG" sql upgrade --to "$PROD_REV"
check "straight_to_prod: sql upgrade --to $PROD_REV | psql: succeeds" piped_ok

createdb_ down_to_prod
pipe down_to_prod --migrations "$MIG" sql upgrade --to head
check "down_to_prod: sql upgrade --to head (from an empty database) | psql: succeeds" piped_ok
check "down_to_prod: alembic_version = $HEAD_REV" version_is down_to_prod "$HEAD_REV"
check "down_to_prod: the 7 new tables exist" tables_exist down_to_prod "${NEW_TABLES[@]}"
pipe down_to_prod --migrations "$MIG" sql downgrade --from head --to "$PROD_REV"
check "down_to_prod: sql downgrade --from head --to $PROD_REV | psql: succeeds" piped_ok
check "down_to_prod: alembic_version = $PROD_REV" version_is down_to_prod "$PROD_REV"
check "down_to_prod: none of the 7 new tables exist" tables_absent down_to_prod "${NEW_TABLES[@]}"
check "down_to_prod: the new enum types are gone" \
  eq "$(q down_to_prod "SELECT count(*) FROM pg_type WHERE typname IN ('batch_run_status', 'insight_type')")" 0
check "down_to_prod: pg_dump -s equals a database upgraded straight to $PROD_REV" \
  same_dump schema_dump down_to_prod straight_to_prod
check "down_to_prod: same rows as straight_to_prod (row counts, factor definitions)" \
  same_dump data_fingerprint down_to_prod straight_to_prod
check "straight_to_prod: the fingerprint has the 12 factor definitions" \
  grep -qx "factor_definitions: 12" "$WORK/straight_to_prod.dump"
check "at_prod (one transaction): pg_dump -s at $PROD_REV equals straight_to_prod" \
  eq "$(cat "$WORK/at_prod.at_prod.schema")" "$(schema_dump straight_to_prod)"
check "at_prod_per_revision: pg_dump -s at $PROD_REV equals straight_to_prod" \
  eq "$(cat "$WORK/at_prod_per_revision.at_prod.schema")" "$(schema_dump straight_to_prod)"

# ------------------------------------------------------------------ non-transactional revision
# tests/data/cli/nontransactional: revision 2 is '-- transactional: false' and runs
# CREATE INDEX CONCURRENTLY, which PostgreSQL refuses inside a transaction block.
NT="$SRC/tests/data/cli/nontransactional"
for mode in all per-revision; do
  db=nontransactional_${mode//-/_}
  createdb_ "$db"
  pipe "$db" --migrations "$NT" sql upgrade --transaction "$mode"
  check "nontransactional [$mode]: sql upgrade | psql: succeeds (CONCURRENTLY outside a transaction)" piped_ok
  check "nontransactional [$mode]: alembic_version = 3c4d5e6f7081" version_is "$db" 3c4d5e6f7081
  check "nontransactional [$mode]: the concurrent index exists and is valid" \
    eq "$(q "$db" "SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass('public.ix_widgets_name')")" t
  pipe "$db" --migrations "$NT" sql downgrade --from head --to base --transaction "$mode"
  check "nontransactional [$mode]: sql downgrade --to base | psql: succeeds" piped_ok
  check "nontransactional [$mode]: public is empty again" public_is_empty "$db"
done

# ------------------------------------------------------------------ atomicity
# tests/data/cli/atomicity: revision 1 creates and fills alpha, revision 2 creates
# beta and then alters a table that does not exist, revision 3 creates gamma.
createdb_ atomic_all
pipe atomic_all --migrations "$ATOMIC" sql upgrade
check "atomicity: dbops prints the script (exit 0)" eq "$DBOPS_RC" 0
check "atomicity: psql stops with an error (ON_ERROR_STOP)" test "$PSQL_RC" -ne 0
check "atomicity: the error is the missing table" grep -q 'relation "missing_table" does not exist' "$WORK/psql.log"
check "atomicity: no alembic_version table (one transaction rolled back)" no_version_table atomic_all
check "atomicity: no table from revision 1 (alpha)" tables_absent atomic_all alpha
check "atomicity: no table from revisions 2 and 3 (beta, gamma)" tables_absent atomic_all beta gamma
check "atomicity: database unchanged (pg_dump -s equals an empty database's)" \
  same_dump schema_dump atomic_all empty_reference

# The same script per revision commits revision 1 before revision 2 fails: this
# shows the checks above can tell a rolled-back run from a partial one.
createdb_ atomic_per_revision
pipe atomic_per_revision --migrations "$ATOMIC" sql upgrade --transaction per-revision
check "atomicity per revision: psql stops with an error" test "$PSQL_RC" -ne 0
check "atomicity per revision: revision 1 committed (alembic_version = aa11bb22cc33)" \
  version_is atomic_per_revision aa11bb22cc33
check "atomicity per revision: alpha exists with its row" eq "$(q atomic_per_revision 'SELECT count(*) FROM alpha' 2>&1)" 1
check "atomicity per revision: revision 2 rolled back (no beta), revision 3 never ran (no gamma)" \
  tables_absent atomic_per_revision beta gamma

finish
