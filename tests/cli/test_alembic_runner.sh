#!/usr/bin/env bash
# Alembic and dbops take turns on one database:
#
#   tests/with-postgres.sh tests/cli/test_alembic_runner.sh DBOPS_BINARY [SOURCE_DIR]
#
# tests/interop/alembic_mirror/ is an Alembic project mirroring the dbops
# fixture repository tests/data/runner/mirror/ (4 linear revisions with the
# same ids and SQL).  Debian's /usr/bin/alembic (with SQLAlchemy and psycopg2
# from Debian) runs it; it is called directly, since a python3 earlier on PATH
# may lack SQLAlchemy.  Prints one line per check and ends with
# "N passed, M failed"; exits non-zero when any check failed.
set -euo pipefail

[ $# -ge 1 ] || { echo "usage: $0 DBOPS_BINARY [SOURCE_DIR]" >&2; exit 2; }
DBOPS=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=$(cd "${2:-$SCRIPT_DIR/../..}" && pwd)
# shellcheck source=tests/lib/check.sh
source "$SRC/tests/lib/check.sh"
PROJECT="$SRC/tests/interop/alembic_mirror"
REPO="$SRC/tests/data/runner/mirror"
ALEMBIC=/usr/bin/alembic
R1=0a1b2c3d0001
R2=0a1b2c3d0002
R3=0a1b2c3d0003
R4=0a1b2c3d0004

[ -x "$DBOPS" ] || { echo "FATAL: $DBOPS is not executable" >&2; exit 2; }
[ -x "$ALEMBIC" ] || { echo "FATAL: $ALEMBIC not found (Debian package 'alembic')" >&2; exit 2; }
[ -n "${PGPORT:-}" ] || { echo "FATAL: PGPORT is not set: run through tests/with-postgres.sh" >&2; exit 2; }

isolated_workdir alembic-runner
url() { local_url "$1"; }

# dbops DB ARGS...: sets RC, OUT, ERR.
dbops() {
  local db=$1; shift
  capture "$DBOPS" --migrations "$REPO" -d "$(url "$db")" "$@"
}

sql() { "$PSQL" -X -q -A -t -v ON_ERROR_STOP=1 -d "$(url "$1")" -c "$2"; }
version() {
  if [ "$(sql "$1" "SELECT to_regclass('public.alembic_version') IS NOT NULL")" = t ]; then
    sql "$1" "SELECT coalesce(string_agg(version_num, ' ' ORDER BY version_num), '') FROM alembic_version"
  else
    echo none
  fi
}
user_tables() { sql "$1" "SELECT coalesce(string_agg(tablename, ' ' ORDER BY tablename), '') FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'dbops_applied_revisions'"; }
schema() { schema_of "$(url "$1")"; }

# ------------------------------------------------------------------ the same graph
alembic postgres heads
check "alembic heads: $R4 (head)" eq "$RC:$OUT" "0:$R4 (head)"
alembic postgres history
ALEMBIC_HISTORY=$(grep -oE -- '-> [0-9a-f]{12}' <<<"$OUT" | cut -c4- | tr '\n' ' ')
set +e; DBOPS_HISTORY=$("$DBOPS" --migrations "$REPO" history | grep -oE -- '-> [0-9a-f]{12}' | cut -c4- | tr '\n' ' '); set -e
check "alembic history and dbops history: the same revisions, same order" eq "$ALEMBIC_HISTORY" "$DBOPS_HISTORY"
check "... namely $R4 $R3 $R2 $R1" eq "$DBOPS_HISTORY" "$R4 $R3 $R2 $R1 "

# ------------------------------------------------------------------ Alembic half way, dbops the rest
sql postgres "CREATE DATABASE shared" >/dev/null
alembic shared upgrade "$R2"
check "alembic upgrade $R2: exit 0" rc_is 0
check "alembic upgrade $R2: version $R2, tables of revisions 1-2" \
  eq "$(version shared)|$(user_tables shared)" "$R2|alembic_version mirror_one mirror_two"
dbops shared current
check "dbops current reads Alembic's version table: $R2, 2 pending" \
  eq "$RC|$(grep -E '^(Current|Pending):' <<<"$OUT" | tr -s ' ')" "0|Current: $R2, create mirror_two
Pending: 2 revision(s)"
dbops shared current --check
check "dbops current --check half way: exit 1" rc_is 1
dbops shared upgrade
check "dbops upgrade (finishes what Alembic started): exit 0" rc_is 0
check "dbops upgrade: ran exactly revisions 3 and 4" \
  eq "$(grep -oE '^\[[0-9]/[0-9]\] [0-9a-f]{12}' <<<"$ERR" | tr '\n' ' ')" "[1/2] $R3 [2/2] $R4 "
check "dbops upgrade: version $R4, all four tables" \
  eq "$(version shared)|$(user_tables shared)" "$R4|alembic_version mirror_four mirror_one mirror_three mirror_two"
alembic shared current
check "alembic current after dbops upgrade: $R4 (head)" eq "$RC:$OUT" "0:$R4 (head)"

# ------------------------------------------------------------------ dbops down, Alembic up again
dbops shared downgrade "$R1"
check "dbops downgrade $R1: exit 0" rc_is 0
check "dbops downgrade: version $R1, only mirror_one left" eq "$(version shared)|$(user_tables shared)" "$R1|alembic_version mirror_one"
alembic shared current
check "alembic current after dbops downgrade: $R1" eq "$RC:$OUT" "0:$R1"
alembic shared upgrade head
check "alembic upgrade head after dbops downgrade: exit 0" rc_is 0
check "alembic upgrade head: ran revisions 2, 3, 4" \
  eq "$(grep -oE 'Running upgrade [0-9a-f]{12} -> [0-9a-f]{12}' <<<"$ERR" | tr '\n' ' ')" \
  "Running upgrade $R1 -> $R2 Running upgrade $R2 -> $R3 Running upgrade $R3 -> $R4 "
check "alembic upgrade head: version $R4, all four tables" \
  eq "$(version shared)|$(user_tables shared)" "$R4|alembic_version mirror_four mirror_one mirror_three mirror_two"
dbops shared current --check
check "dbops current --check after alembic upgrade head: exit 0" rc_is 0

# ------------------------------------------------------------------ Alembic's empty version table
# `alembic downgrade base` keeps alembic_version (empty); dbops must start from there.
alembic shared downgrade base
check "alembic downgrade base: exit 0, table kept but empty" eq "$RC|$(version shared)|$(user_tables shared)" "0||alembic_version"
dbops shared current
check "dbops current on the empty version table: base, 4 pending" \
  eq "$RC|$(grep -E '^(Current|Pending):' <<<"$OUT" | tr -s ' ')" "0|Current: base (alembic_version is empty)
Pending: 4 revision(s)"
dbops shared upgrade
check "dbops upgrade from the empty version table: exit 0" rc_is 0
check "dbops upgrade: version $R4, all four tables" \
  eq "$(version shared)|$(user_tables shared)" "$R4|alembic_version mirror_four mirror_one mirror_three mirror_two"
alembic shared current
check "alembic current: $R4 (head)" eq "$RC:$OUT" "0:$R4 (head)"
dbops shared downgrade base
check "dbops downgrade base: exit 0, version table dropped like Alembic's offline downgrade does" \
  eq "$RC|$(version shared)|$(user_tables shared)" "0|none|"
alembic shared current
check "alembic current with no version table: exit 0, nothing printed" eq "$RC:$OUT" "0:"

# ------------------------------------------------------------------ the same schema either way
sql postgres "CREATE DATABASE by_alembic" >/dev/null
sql postgres "CREATE DATABASE by_dbops" >/dev/null
alembic by_alembic upgrade head
check "alembic upgrade head on an empty database: exit 0" rc_is 0
dbops by_dbops upgrade
check "dbops upgrade on an empty database: exit 0" rc_is 0
check "pg_dump -s: the same schema, version table included, whichever tool built it" \
  eq "$(schema by_dbops)" "$(schema by_alembic)"
check "both at $R4" eq "$(version by_dbops)/$(version by_alembic)" "$R4/$R4"

finish
