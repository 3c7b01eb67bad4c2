#!/usr/bin/env bash
# An Alembic project whose downgrade Alembic cannot render in one run still
# works with dbops, and only the downgrade that cannot be rendered at all is
# unavailable:
#
#   tests/with-postgres.sh tests/cli/test_alembic_partial_downgrade.sh DBOPS_BINARY [SOURCE_DIR]
#
# tests/alembic/partial_downgrade_project/ has two labelled bases
# (7a0000000001 'customers', 8b0000000001 'billing'), their merge
# 9c0000000001, and a branch off 'customers' (7a0000000002, 7a0000000003)
# whose 7a0000000002 raises NotImplementedError in downgrade().  Debian's
# /usr/bin/alembic 1.8 renders `upgrade heads --sql` but fails `downgrade
# heads:base --sql` ("Multiple head revisions are present for given argument
# 'heads'").  dbops renders the upgrade, the downgrades from each head, and
# refuses only a rollback through 7a0000000002.  The last part needs the
# server: dbops and Alembic upgrade two databases to the same schema.  Prints
# one line per check and ends with "N passed, M failed"; exits non-zero when
# any check failed.
set -euo pipefail

[ $# -ge 1 ] || { echo "usage: $0 DBOPS_BINARY [SOURCE_DIR]" >&2; exit 2; }
DBOPS=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=$(cd "${2:-$SCRIPT_DIR/../..}" && pwd)
# shellcheck source=tests/lib/check.sh
source "$SRC/tests/lib/check.sh"
PROJECT="$SRC/tests/alembic/partial_downgrade_project"
A1=7a0000000001 A2=7a0000000002 A3=7a0000000003 M=9c0000000001

[ -x "$DBOPS" ] || { echo "FATAL: $DBOPS is not executable" >&2; exit 2; }
[ -x "$ALEMBIC" ] || { echo "FATAL: $ALEMBIC not found (Debian package 'alembic')" >&2; exit 2; }
[ -n "${PGPORT:-}" ] || { echo "FATAL: PGPORT is not set: run through tests/with-postgres.sh" >&2; exit 2; }

isolated_workdir alembic-partial-downgrade
url() { local_url "$1"; }

# dbops ARGS...: on the project; sets RC, OUT, ERR.
dbops() { capture "$DBOPS" --alembic "$PROJECT" "$@"; }
# alembic_sql ARGS...: Debian's Alembic in offline mode (no database), through capture.
alembic_sql() { capture env -C "$WORK" -u PYTHONPATH -u PYTHONHOME -u VIRTUAL_ENV PYTHONDONTWRITEBYTECODE=1 \
  "$ALEMBIC" -c "$PROJECT/alembic.ini" "$@"; }

sql() { "$PSQL" -X -q -A -t -v ON_ERROR_STOP=1 -d "$(url "$1")" -c "$2"; }
version() { sql "$1" "SELECT coalesce(string_agg(version_num, ' ' ORDER BY version_num), '') FROM alembic_version"; }
user_tables() { sql "$1" "SELECT coalesce(string_agg(tablename, ' ' ORDER BY tablename), '') FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'dbops_applied_revisions'"; }

# ------------------------------------------------------------------ what Alembic itself does
alembic_sql upgrade heads --sql
check "alembic upgrade heads --sql: exit 0" rc_is 0
alembic_sql downgrade heads:base --sql
check "alembic downgrade heads:base --sql fails: Multiple head revisions (the shape this project reproduces)" \
  eq "$RC|$(grep -c "^FAILED: Multiple head revisions are present for given argument 'heads'" <<<"$OUT")" "255|1"
alembic_sql downgrade "$A3:base" --sql
check "alembic downgrade $A3:base --sql fails in $A2's downgrade: NotImplementedError" \
  eq "$RC|$(grep -c '^NotImplementedError: ' <<<"$ERR")" "1|1"

# ------------------------------------------------------------------ the graph (no SQL needed)
dbops heads
check "dbops heads: $A3 and $M" eq "$RC|$(grep -oE '^[0-9a-z]{12}' <<<"$OUT" | sort | tr '\n' ' ')" "0|$A3 $M "

# ------------------------------------------------------------------ upgrade SQL
dbops sql upgrade --from base --to heads
check "dbops sql upgrade --from base --to heads: exit 0" rc_is 0
UPGRADE=$OUT
check "... every revision's upgrade, in Alembic's words" eq "$(grep -cE '^(CREATE TABLE customers|CREATE TABLE invoices|UPDATE customers SET name = btrim\(name\)|ALTER TABLE invoices ADD CONSTRAINT fk_invoices_customer|ALTER TABLE customers ADD COLUMN email)' <<<"$UPGRADE")" 5
check "... and its version-table updates for both heads" \
  eq "$(grep -cE "'($A3|$M)'" <<<"$UPGRADE" | awk '$1 > 0 {print "yes"}')" yes

# ------------------------------------------------------------------ downgrade SQL, per head
dbops sql downgrade --from "$M" --to base
check "dbops sql downgrade --from $M --to base: exit 0 (Alembic's heads:base fails, $M:base does not)" rc_is 0
check "... the merge's and both bases' downgrades" \
  eq "$(grep -cE '^(ALTER TABLE invoices DROP CONSTRAINT fk_invoices_customer|DROP TABLE customers|DROP TABLE invoices);' <<<"$OUT")" 3
dbops sql downgrade --from "$A3" --to "$A2"
check "dbops sql downgrade --from $A3 --to $A2: exit 0 (only $A3's downgrade is needed)" rc_is 0
check "... drops customers.email" has "$OUT" "ALTER TABLE customers DROP COLUMN email;"

# ------------------------------------------------------------------ the one downgrade Alembic cannot render
dbops sql downgrade --from "$A3" --to base
check "dbops sql downgrade --from $A3 --to base: exit 2, nothing printed" eq "$RC|$OUT" "2|"
check "... the refusal names $A2 at its file" \
  matches "$ERR" "versions/${A2}_normalise_customer_names\.py:[0-9]+: .*$A2"
dbops sql downgrade --from "$A2" --to "$A1"
check "dbops sql downgrade --from $A2 --to $A1: exit 2" rc_is 2

# ------------------------------------------------------------------ on a server: the same schema as Alembic's
sql postgres "CREATE DATABASE by_dbops" >/dev/null
sql postgres "CREATE DATABASE by_alembic" >/dev/null
dbops -d "$(url by_dbops)" upgrade heads
check "dbops upgrade heads: exit 0" rc_is 0
check "dbops upgrade: both heads in the version table, both tables" \
  eq "$(version by_dbops)|$(user_tables by_dbops)" "$A3 $M|alembic_version customers invoices"
alembic by_alembic upgrade heads
check "alembic upgrade heads: exit 0" rc_is 0
check "dbops and Alembic: the same pg_dump -s" eq "$(schema_of "$(url by_dbops)")" "$(schema_of "$(url by_alembic)")"

dbops -d "$(url by_dbops)" downgrade base
check "dbops downgrade base: refused (exit 2), naming $A2" \
  eq "$RC|$(grep -c "$A2" <<<"$ERR" | awk '$1 > 0 {print "named"}')" "2|named"
check "... and the database is untouched" \
  eq "$(version by_dbops)|$(user_tables by_dbops)" "$A3 $M|alembic_version customers invoices"

dbops -d "$(url by_dbops)" downgrade "$A2"
check "dbops downgrade $A2: exit 0" rc_is 0
alembic by_alembic downgrade "$A2"
check "alembic downgrade $A2: exit 0" rc_is 0
check "dbops and Alembic downgrade $A2 alike: version rows" eq "$(version by_dbops)" "$(version by_alembic)"
check "... and pg_dump -s" eq "$(schema_of "$(url by_dbops)")" "$(schema_of "$(url by_alembic)")"

finish
