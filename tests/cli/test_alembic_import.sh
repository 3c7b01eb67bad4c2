#!/usr/bin/env bash
# Alembic's offline mode and `dbops import-alembic` against a real server:
#
#   tests/with-postgres.sh tests/cli/test_alembic_import.sh DBOPS_BINARY [SOURCE_DIR]
#
# tests/alembic/bridge_project is an Alembic project with a linear chain, a
# branch point, a merge, a second base in its own version location, depends_on,
# a data migration (op.bulk_insert), an enum and a non-transactional step
# (autocommit_block).  Debian's /usr/bin/alembic runs it (called directly: a
# python3 earlier on PATH may lack SQLAlchemy).  Whatever builds the schema
# (Alembic, dbops on the imported repository, dbops on scripts imported with
# --from-sql, dbops's bridge mode), pg_dump -s must be the same, and each tool
# must read the other's version rows.  Prints one line per check and ends with
# "N passed, M failed"; exits non-zero when any check failed.
set -euo pipefail

[ $# -ge 1 ] || { echo "usage: $0 DBOPS_BINARY [SOURCE_DIR]" >&2; exit 2; }
DBOPS=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=$(cd "${2:-$SCRIPT_DIR/../..}" && pwd)
# shellcheck source=tests/lib/check.sh
source "$SRC/tests/lib/check.sh"
PROJECT="$SRC/tests/alembic/bridge_project"
FIXTURES="$SRC/tests/data/alembic-offline"
ALEMBIC=/usr/bin/alembic
HEADS="6f0000000001 9z0000000001"
# 9z0000000001 is an effective head (5e0000000001 depends on it): one version row.
ROWS="6f0000000001"

[ -x "$DBOPS" ] || { echo "FATAL: $DBOPS is not executable" >&2; exit 2; }
[ -x "$ALEMBIC" ] || { echo "FATAL: $ALEMBIC not found (Debian package 'alembic')" >&2; exit 2; }
[ -n "${PGPORT:-}" ] || { echo "FATAL: PGPORT is not set: run through tests/with-postgres.sh" >&2; exit 2; }

isolated_workdir alembic-import
url() { local_url "$1"; }

# dbops ARGS...: the binary with its own arguments (give --migrations / -d yourself).
dbops() { capture "$DBOPS" "$@"; }
# alembic_offline ARGS... > FILE: the bridge project's --sql output.
alembic_offline() {
  (cd "$WORK" && env -u PYTHONPATH -u PYTHONHOME -u VIRTUAL_ENV PYTHONDONTWRITEBYTECODE=1 \
     "$ALEMBIC" -c "$PROJECT/alembic.ini" "$@" 2>/dev/null)
}
same_schema() {
  local a b
  a=$(schema "$1"); b=$(schema "$2")
  [ -n "$a" ] && [ "$a" = "$b" ] || { echo "    pg_dump -s of $1 and $2 differ:"; diff <(echo "$a") <(echo "$b") | head -20 | sed 's/^/      /'; return 1; }
}

sql() { "$PSQL" -X -q -A -t -v ON_ERROR_STOP=1 -d "$(url "$1")" -c "$2"; }
createdb() { sql postgres "CREATE DATABASE $1" >/dev/null; }
versions() {
  if [ "$(sql "$1" "SELECT to_regclass('public.alembic_version') IS NOT NULL")" = t ]; then
    sql "$1" "SELECT coalesce(string_agg(version_num, ' ' ORDER BY version_num), '') FROM alembic_version"
  else
    echo none
  fi
}
user_objects() {
  sql "$1" "SELECT coalesce(string_agg(name, ' ' ORDER BY name), '') FROM (
              SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'
              UNION ALL SELECT typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                        WHERE n.nspname = 'public' AND t.typtype = 'e') o"
}
schema() { schema_of "$(url "$1")"; }
# The revision ids of `history` output, newest first (both tools print "... -> ID ...").
history_ids() { grep -oE -- '-> [0-9a-z]{12}' | cut -c4- | tr '\n' ' '; }
# Each revision with its parents ("PARENTS -> ID"), sorted: the graph without the order.
history_edges() { grep -oE -- '^(<base>|[0-9a-z]{12}(, [0-9a-z]{12})*)( \([^)]*\))? -> [0-9a-z]{12}' | sed -E 's/ \([^)]*\) ->/ ->/' | sort; }
# Each revision listed before its parents (history is newest first).
parents_after_children() {
  local line id parents parent seen=" "
  while read -r line; do
    id=${line##*-> }; parents=${line%% -> *}
    [ "$parents" = "<base>" ] && parents=""
    for parent in ${parents//,/ }; do
      case "$seen" in *" $parent "*) echo "    $parent is listed before its child $id"; return 1 ;; esac
    done
    seen="$seen$id "
  done <<<"$1"
}
# same_history CONTEXT OUTPUT: the same graph as Alembic's history, in an order
# that lists every revision before its parents.  The order of siblings is not
# compared: Alembic breaks ties by its revision map's insertion order, which is
# os.listdir() order and so depends on the file system; dbops breaks them by
# file name (as tests/interop/test_alembic_interop.py also checks).
same_history() {
  check "dbops history ($1) = alembic history: the same revisions and parents" \
    eq "$(history_edges <<<"$2")" "$ALEMBIC_EDGES"
  check "dbops history ($1): every revision before its parents" \
    parents_after_children "$(grep -oE -- '^(<base>|[0-9a-z]{12}(, [0-9a-z]{12})*)( \([^)]*\))? -> [0-9a-z]{12}' <<<"$2" | sed -E 's/ \([^)]*\) ->/ ->/')"
}
head_ids() { grep -oE -- '^[0-9a-z]{12}' | sort | tr '\n' ' '; }

# ------------------------------------------------------------------ A: Alembic itself, online
createdb by_alembic
alembic by_alembic upgrade heads
check "alembic upgrade heads (online) on database A: exit 0" rc_is 0
check "A: one version row, $ROWS (9z0000000001 is an effective head)" eq "$(versions by_alembic)" "$ROWS"
alembic by_alembic history
ALEMBIC_HISTORY=$(history_ids <<<"$OUT")
ALEMBIC_EDGES=$(history_edges <<<"$OUT")
check "alembic history: 9 revisions" eq "$(wc -l <<<"$ALEMBIC_EDGES")" "9"
alembic by_alembic heads
ALEMBIC_HEADS=$(head_ids <<<"$OUT")
check "alembic heads: $HEADS" eq "$ALEMBIC_HEADS" "$HEADS "

# ------------------------------------------------------------------ --from-sql: scripts someone generated
alembic_offline upgrade heads --sql >"$WORK/upgrade.sql"
alembic_offline downgrade heads:base --sql >"$WORK/downgrade.sql"
dbops import-alembic --from-sql "$WORK/upgrade.sql" --downgrade-sql "$WORK/downgrade.sql" --out "$WORK/from_sql"
check "import-alembic --from-sql: exit 0" rc_is 0
check "import-alembic --from-sql: summary names 9 revisions and the non-transactional one" \
  matches "$OUT" "^Imported 9 revisions from .*upgrade.sql" && matches "$OUT" "non-transactional.*: 1"
check "one .sql file per revision" eq "$(ls "$WORK/from_sql/versions" | wc -l)" "9"
check "6f0000000001 (autocommit_block) is declared transactional: false" \
  matches "$(cat "$WORK"/from_sql/versions/*_6f0000000001_*.sql)" "^-- transactional: false$"
check "5e0000000001 keeps its depends_on (recovered from Alembic's version-table update)" \
  matches "$(cat "$WORK"/from_sql/versions/*_5e0000000001_*.sql)" "^-- depends_on: 9z0000000001$"
dbops --migrations "$WORK/from_sql" check
check "dbops check on the --from-sql import: exit 0" rc_is 0
dbops --migrations "$WORK/from_sql" history
same_history "--from-sql import" "$OUT"
dbops --migrations "$WORK/from_sql" heads
check "dbops heads (--from-sql import) = alembic heads" eq "$(head_ids <<<"$OUT")" "$ALEMBIC_HEADS"

createdb from_sql
dbops --migrations "$WORK/from_sql" -d "$(url from_sql)" upgrade heads
check "dbops upgrade heads (--from-sql import) on database C: exit 0" rc_is 0
check "C: pg_dump -s equals A's" same_schema from_sql by_alembic
check "C: version rows equal A's" eq "$(versions from_sql)" "$ROWS"
alembic from_sql current
check "alembic current reads dbops's version rows on C" eq "$RC:$(head_ids <<<"$OUT")" "0:$HEADS "
check "C: the seed data (op.bulk_insert) arrived" eq "$(sql from_sql 'SELECT count(*) FROM factors')" "4"
dbops --migrations "$WORK/from_sql" -d "$(url from_sql)" downgrade base
check "dbops downgrade base (--from-sql import): exit 0" rc_is 0
check "C after downgrade base: no user tables, no types, no version rows" \
  eq "$(user_objects from_sql)|$(versions from_sql | sed 's/^none$//')" "|"

# Without --downgrade-sql: no downgrade sections, and dbops says so.
dbops import-alembic --from-sql "$WORK/upgrade.sql" --out "$WORK/upgrade_only"
check "import-alembic --from-sql without --downgrade-sql: exit 0, revisions without a downgrade listed" \
  eq "$RC|$(grep -c 'without a downgrade section' <<<"$OUT")" "0|1"
check "... and the files have no -- +downgrade section" \
  eq "$(cat "$WORK"/upgrade_only/versions/*.sql | grep -c -- '-- +downgrade' || true)" "0"

# ------------------------------------------------------------------ errors name file:line
dbops import-alembic --from-sql "$FIXTURES/bad_marker.sql" --out "$WORK/bad"
check "a marker that does not parse: exit 2, file:line" \
  eq "$RC|$(grep -c "bad_marker.sql:7: cannot read Alembic's marker" <<<"$ERR")" "2|1"
dbops import-alembic --from-sql "$FIXTURES/sql_before_marker.sql" --out "$WORK/bad2"
check "SQL before the first marker: exit 2, file:line" \
  eq "$RC|$(grep -c 'sql_before_marker.sql:8:1: SQL before the first' <<<"$ERR")" "2|1"
dbops import-alembic --from-sql "$WORK/upgrade.sql" --out "$WORK/from_sql"
check "a non-empty --out is refused without --force: exit 2" \
  eq "$RC|$(grep -c 'is not empty' <<<"$ERR")" "2|1"
dbops import-alembic --from-sql "$WORK/upgrade.sql" --downgrade-sql "$WORK/downgrade.sql" --out "$WORK/from_sql" --force
check "... and replaced with --force: exit 0, still 9 files" eq "$RC|$(ls "$WORK/from_sql/versions" | wc -l)" "0|9"

# ------------------------------------------------------------------ the reverse: dbops half way, Alembic the rest
createdb half_way
dbops --migrations "$WORK/from_sql" -d "$(url half_way)" upgrade 1a0000000003
check "dbops upgrade 1a0000000003 (half way) on database D: exit 0" rc_is 0
alembic half_way upgrade heads
check "alembic upgrade heads finishes what dbops started: exit 0" rc_is 0
check "... Alembic ran only the rest (from the branch point on)" \
  eq "$(grep -c 'Running upgrade' <<<"$ERR")" "6"
dbops --migrations "$WORK/from_sql" -d "$(url half_way)" current --check
check "dbops current --check reads Alembic's version rows on D: at head, exit 0" rc_is 0
check "D: pg_dump -s equals A's" same_schema half_way by_alembic

# ------------------------------------------------------------------ import of the project (offline mode via the subprocess)
createdb imported
dbops import-alembic "$PROJECT" --out "$WORK/imported"
check "import-alembic PATH: exit 0" rc_is 0
check "the imported files keep messages, labels, depends_on and dates" \
  matches "$(cat "$WORK"/imported/versions/*_5e0000000001_*.sql)" "^-- message: link accounts to the audit log" &&
  matches "$(cat "$WORK"/imported/versions/*_5e0000000001_*.sql)" "^-- depends_on: audit$" &&
  matches "$(cat "$WORK"/imported/versions/*_2b0000000001_*.sql)" "^-- branch_labels: reports$" &&
  matches "$(cat "$WORK"/imported/versions/*_1a0000000001_*.sql)" "^-- create_date: 2025-01-10 09:00:00$"
dbops --migrations "$WORK/imported" check
check "dbops check on the imported repository: exit 0" rc_is 0
dbops --migrations "$WORK/imported" history
same_history "imported" "$OUT"
dbops --migrations "$WORK/imported" heads
check "dbops heads (imported) = alembic heads" eq "$(head_ids <<<"$OUT")" "$ALEMBIC_HEADS"
dbops --migrations "$WORK/imported" -d "$(url imported)" upgrade heads
check "dbops upgrade heads (imported) on database B: exit 0" rc_is 0
check "B: pg_dump -s equals A's" same_schema imported by_alembic
alembic imported current
check "alembic current reads dbops's version rows on B" eq "$RC:$(head_ids <<<"$OUT")" "0:$HEADS "
dbops import-alembic "$FIXTURES/live_connection_project" --out "$WORK/live"
check "a revision that reads a query result: exit 2, its .py file and line, Alembic's message" \
  eq "$RC|$(grep -cE "versions/bb0000000001_reads.py:19: Alembic's offline mode failed for revision bb0000000001 \(upgrade\): AttributeError" <<<"$ERR")" "2|1"

# ------------------------------------------------------------------ bridge mode: dbops --alembic PATH
dbops --alembic "$PROJECT" history
check "bridge: dbops history: exit 0" rc_is 0
same_history "bridge" "$OUT"
dbops --alembic "$PROJECT" heads
check "bridge: dbops heads = alembic heads" eq "$(head_ids <<<"$OUT")" "$ALEMBIC_HEADS"
dbops --alembic "$PROJECT" sql upgrade --to heads
check "bridge: dbops sql shows Alembic's statements" \
  eq "$RC|$(grep -c "CREATE INDEX CONCURRENTLY ix_accounts_name ON accounts (name);" <<<"$OUT")" "0|1"
createdb bridge
dbops --alembic "$PROJECT" -d "$(url bridge)" upgrade heads
check "bridge: dbops upgrade heads on database E: exit 0" rc_is 0
check "E: pg_dump -s equals A's" same_schema bridge by_alembic
alembic bridge current
check "bridge: alembic current reads dbops's version rows on E" eq "$RC:$(head_ids <<<"$OUT")" "0:$HEADS "
dbops --alembic "$PROJECT" -d "$(url bridge)" audit --target heads --shadow "$(url postgres)" --json
check "bridge: audit --target heads (a replay of Alembic's SQL on the shadow server): exit 0, nothing MISSING" \
  eval 'rc_is 0 && json_ok "$OUT" "d[\"ok\"] and not any(i[\"status\"] == \"MISSING\" for i in d[\"items\"])"'
dbops --alembic "$PROJECT" -d "$(url bridge)" audit --target 1a0000000003 --shadow "$(url postgres)" --json
check "bridge: audit --target 1a0000000003: the later revisions' tables are EXTRA" \
  eval 'json_ok "$OUT" "{\"audit_log\", \"reports\"} <= {i[\"name\"] for i in d[\"items\"] if i[\"status\"] == \"EXTRA\" and i[\"kind\"] == \"table\"}"'
alembic bridge downgrade 1a0000000003
check "bridge: alembic downgrade 1a0000000003 on E: exit 0" rc_is 0
dbops --alembic "$PROJECT" -d "$(url bridge)" current
check "bridge: Alembic left 1a0000000003 and the audit branch's 9z0000000001" \
  eq "$(versions bridge)" "1a0000000003 9z0000000001"
check "bridge: dbops current reads Alembic's version rows (5 pending: 2b, 3c, 4d, 5e, 6f)" \
  eq "$RC|$(grep -E '^Pending:' <<<"$OUT" | tr -s ' ')" "0|Pending: 5 revision(s)"
dbops --alembic "$PROJECT" -d "$(url bridge)" upgrade heads
check "bridge: dbops upgrade heads from there: exit 0, schema equals A's" \
  eval 'rc_is 0 && same_schema bridge by_alembic'

finish
