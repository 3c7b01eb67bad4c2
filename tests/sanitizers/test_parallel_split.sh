#!/usr/bin/env bash
# The parallel paths of `dbops` on repositories large enough to take them
# (no database):
#   - MigrationRepository splits every file's SQL on several threads once a
#     repository holds 64 files or more (forEachInParallel),
#   - the CLI splits on its own thread while the main thread goes on
#     (CliContext::repositoryWithSql),
#   - AlembicProject reads the scripts of 64 or more revisions on several
#     threads.
# The bundled repository (33 files) and the fixtures are too small for any
# of them, so this test writes a 300-revision repository and a 300-revision
# Alembic project.  Under ThreadSanitizer (scripts/sanitize.sh) a data race
# in these paths fails the test; in every build it checks that the parallel
# result is the serial one: every revision, every statement, in file order,
# and every broken file reported.
#
#   tests/sanitizers/test_parallel_split.sh DBOPS_BINARY [SOURCE_DIR]
set -euo pipefail

[ $# -ge 1 ] || { echo "usage: $0 DBOPS_BINARY [SOURCE_DIR]" >&2; exit 2; }
DBOPS=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=$(cd "${2:-$SCRIPT_DIR/../..}" && pwd)
# shellcheck source=tests/lib/check.sh
source "$SRC/tests/lib/check.sh"
[ -x "$DBOPS" ] || { echo "FATAL: $DBOPS is not executable" >&2; exit 2; }
isolated_workdir parallel-split
COUNT=300

run() {
  set +e
  "$DBOPS" "$@" >"$WORK/out" 2>"$WORK/err"
  RC=$?
  set -e
  OUT=$(cat "$WORK/out")
  ERR=$(cat "$WORK/err")
}
# ids N: revision N's id, its parent's (or none) and its file name in REV,
# DOWN and FILE, without a subshell (600 files to write).
ids() {
  printf -v REV 'a%011d' "$1"
  DOWN=none
  (($1 > 1)) && printf -v DOWN 'a%011d' $(($1 - 1))
  FILE=${REV}_table_$1
}

# A linear native repository: revision N creates table t_N and adds a
# column with a quoted semicolon, so a wrong split shows.
write_repository() {
  local dir=$1 n
  mkdir -p "$dir/versions"
  for ((n = 1; n <= COUNT; n++)); do
    ids "$n"
    {
      printf -- '-- revision: %s\n-- down_revision: %s\n-- message: table %d\n\n-- +upgrade\n' "$REV" "$DOWN" "$n"
      printf 'CREATE TABLE t_%d (id int PRIMARY KEY);\n' "$n"
      printf "ALTER TABLE t_%d ADD COLUMN note text DEFAULT 'a;b %d';\n" "$n" "$n"
      printf -- '\n-- +downgrade\nDROP TABLE t_%d;\n' "$n"
    } >"$dir/versions/$FILE.sql"
  done
}

# ------------------------------------------------------------------ native repository
REPO="$WORK/repo"
write_repository "$REPO"

run --migrations "$REPO" check
check "check: $COUNT files split in parallel, exit 0" rc_is 0

run --migrations "$REPO" sql upgrade base:head
check "sql upgrade: exit 0" rc_is 0
expected_creates=$(for ((n = 1; n <= COUNT; n++)); do echo "CREATE TABLE t_$n (id int PRIMARY KEY);"; done)
check "sql upgrade: every CREATE TABLE, in revision order" \
  eq "$(grep -E '^CREATE TABLE t_' <<<"$OUT")" "$expected_creates"
expected_alters=$(for ((n = 1; n <= COUNT; n++)); do
  echo "ALTER TABLE t_$n ADD COLUMN note text DEFAULT 'a;b $n';"
done)
check "sql upgrade: every ALTER TABLE whole (the quoted ';' does not split it)" \
  eq "$(grep -E '^ALTER TABLE t_' <<<"$OUT")" "$expected_alters"

run --migrations "$REPO" sql downgrade head:base
check "sql downgrade: exit 0" rc_is 0
expected_drops=$(for ((n = COUNT; n >= 1; n--)); do echo "DROP TABLE t_$n;"; done)
check "sql downgrade: every DROP TABLE, newest first" eq "$(grep -E '^DROP TABLE t_' <<<"$OUT")" "$expected_drops"

# Two broken files far apart: both reported, each at its file and line.
BROKEN="$WORK/broken"
write_repository "$BROKEN"
for n in 17 250; do
  sed -i "s/^CREATE TABLE t_$n (id int PRIMARY KEY);/CREATE TABLE t_$n (id int PRIMARY KEY;/" \
    "$BROKEN/versions/$(ids "$n" && echo "$FILE").sql"
done
run --migrations "$BROKEN" sql upgrade base:head
check "broken files: exit 2" rc_is 2
check "broken files: the first is reported at file:line" \
  matches "$ERR" "a00000000017_table_17\.sql:6"
check "broken files: the second is reported at file:line" \
  matches "$ERR" "a00000000250_table_250\.sql:6"

# ------------------------------------------------------------------ Alembic project
ALEMBIC_DIR="$WORK/alembic"
mkdir -p "$ALEMBIC_DIR/versions"
printf '[alembic]\nscript_location = %%(here)s\n' >"$ALEMBIC_DIR/alembic.ini"
for ((n = 1; n <= COUNT; n++)); do
  ids "$n"
  down=None
  ((n > 1)) && down="'$DOWN'"
  cat >"$ALEMBIC_DIR/versions/$FILE.py" <<EOF
"""table $n

Revision ID: $REV
Revises:
"""
from alembic import op

revision = '$REV'
down_revision = $down
branch_labels = None
depends_on = None


def upgrade():
    op.execute("CREATE TABLE t_$n (id int)")


def downgrade():
    op.execute("DROP TABLE t_$n")
EOF
done
run --alembic "$ALEMBIC_DIR" history
check "alembic history: $COUNT scripts read in parallel, exit 0" rc_is 0
check "alembic history: every revision once" eq "$(grep -oE 'a[0-9]{11}' <<<"$OUT" | sort -u | wc -l)" "$COUNT"
run --alembic "$ALEMBIC_DIR" heads
check "alembic heads: the last revision" has "$OUT" "$(ids "$COUNT" && echo "$REV")"

finish
