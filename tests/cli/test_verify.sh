#!/usr/bin/env bash
# dbops verify: checksums of what was applied, on a real PostgreSQL server:
#
#   tests/with-postgres.sh tests/cli/test_verify.sh DBOPS_BINARY [SOURCE_DIR]
#
# A copy of the fixture repository tests/data/runner/mirror/ (4 linear
# revisions) is upgraded by dbops; then one applied revision's file is edited,
# one is deleted, and verify must name each (exit 1), and be clean (exit 0)
# otherwise.  Debian's Alembic (tests/interop/alembic_mirror, the same
# revisions) must still read the version table dbops wrote.  Prints one line
# per check and ends with "N passed, M failed".
set -euo pipefail

[ $# -ge 1 ] || { echo "usage: $0 DBOPS_BINARY [SOURCE_DIR]" >&2; exit 2; }
DBOPS=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=$(cd "${2:-$SCRIPT_DIR/../..}" && pwd)
# shellcheck source=tests/lib/check.sh
source "$SRC/tests/lib/check.sh"
PROJECT="$SRC/tests/interop/alembic_mirror"
R1=0a1b2c3d0001
R2=0a1b2c3d0002
R3=0a1b2c3d0003
R4=0a1b2c3d0004

[ -x "$DBOPS" ] || { echo "FATAL: $DBOPS is not executable" >&2; exit 2; }
[ -x "$ALEMBIC" ] || { echo "FATAL: $ALEMBIC not found (Debian package 'alembic')" >&2; exit 2; }
[ -n "${PGPORT:-}" ] || { echo "FATAL: PGPORT is not set: run through tests/with-postgres.sh" >&2; exit 2; }

isolated_workdir verify
REPO="$WORK/repo"
mkdir -p "$REPO"
cp -r "$SRC/tests/data/runner/mirror/versions" "$REPO/"
R2_FILE="$REPO/versions/0002_${R2}_create_mirror_two.sql"
R4_FILE="$REPO/versions/0004_${R4}_create_mirror_four.sql"

dbops() { local db=$1; shift; capture "$DBOPS" --migrations "$REPO" -d "$(local_url "$db")" "$@"; }
sql() { "$PSQL" -X -q -A -t -v ON_ERROR_STOP=1 -d "$(local_url "$1")" -c "$2"; }

sql postgres "CREATE DATABASE verified" >/dev/null

# ------------------------------------------------------------------ nothing applied yet
dbops verified verify
check "verify on an empty database: exit 0, nothing to verify" eq "$RC|$(grep -c 'nothing applied' <<<"$OUT")" "0|1"

# ------------------------------------------------------------------ upgrade records checksums
dbops verified upgrade
check "dbops upgrade: exit 0" rc_is 0
check "upgrade recorded one checksum per revision, beside the version table" \
  eq "$(sql verified "SELECT string_agg(revision || ':' || length(sha256) || ':' || normalisation, ' ' ORDER BY revision) FROM public.dbops_applied_revisions")" \
  "$R1:64:1 $R2:64:1 $R3:64:1 $R4:64:1"
check "the version table is exactly Alembic's: one column, one row" \
  eq "$(sql verified "SELECT string_agg(column_name, ',') FROM information_schema.columns WHERE table_name = 'alembic_version'")|$(sql verified "SELECT string_agg(version_num, ' ') FROM alembic_version")" \
  "version_num|$R4"
alembic verified current
check "Debian's alembic current after dbops upgrade: $R4 (head)" eq "$RC:$OUT" "0:$R4 (head)"
alembic verified history --indicate-current
check "Debian's alembic history marks $R4 current" has "$OUT" "$R3 -> $R4 (head) (current)"

dbops verified verify
check "verify, clean: exit 0" rc_is 0
check "verify, clean: 4 revisions match" has "$OUT" "Verified: 4 applied revision(s) match their files; clean"
dbops verified verify --json
check "verify --json, clean" json_ok "$OUT" 'd["clean"] and d["verified"] == 4 and d["findings"] == [] and d["checksum_table_exists"]'

# ------------------------------------------------------------------ an applied file edited afterwards
cp "$R2_FILE" "$WORK/r2.orig"
sed -i "s/label text NOT NULL DEFAULT 'two'/label text NOT NULL DEFAULT 'deux'/" "$R2_FILE"
dbops verified verify
check "verify after editing $R2: exit 1" rc_is 1
check "verify names $R2 and its file" matches "$OUT" "revision $R2 \(.*0002_${R2}_create_mirror_two.sql\) changed after it was applied"
check "verify names nothing else" eq "$(grep -c 'changed after' <<<"$OUT")" 1
dbops verified verify --json
check "verify --json: one finding, changed, $R2, both checksums" json_ok "$OUT" \
  "not d['clean'] and [(f['kind'], f['revision']) for f in d['findings']] == [('changed', '$R2')] and len(d['findings'][0]['recorded_sha256']) == 64 and d['findings'][0]['recorded_sha256'] != d['findings'][0]['current_sha256']"
# CRLF line endings alone are no change.
cp "$WORK/r2.orig" "$R2_FILE"
sed -i 's/$/\r/' "$R2_FILE"
dbops verified verify
check "the same file with CRLF line endings: clean, exit 0" rc_is 0
cp "$WORK/r2.orig" "$R2_FILE"

# ------------------------------------------------------------------ an applied revision deleted from disk
mv "$R4_FILE" "$WORK/r4.sql"
dbops verified verify
check "verify after deleting $R4's file: exit 1" rc_is 1
check "verify reports $R4 applied but not on disk" matches "$OUT" "revision $R4 is applied \(in alembic_version\) but no migration file has it"
check "... and still checks the 3 below it" has "$OUT" "Verified: 3 applied revision(s)"
mv "$WORK/r4.sql" "$R4_FILE"

# ------------------------------------------------------------------ a downgrade removes the rows
dbops verified downgrade "$R2"
check "dbops downgrade $R2: exit 0" rc_is 0
check "downgrade removed the rows of $R3 and $R4" \
  eq "$(sql verified "SELECT string_agg(revision, ' ' ORDER BY revision) FROM dbops_applied_revisions")" "$R1 $R2"
alembic verified current
check "Debian's alembic current after dbops downgrade: $R2" eq "$RC:$OUT" "0:$R2"

# ------------------------------------------------------------------ runs refuse while an applied file changed
# (the one guarded path, so the console's runs too: tests/guarded)
R1_FILE="$REPO/versions/0001_${R1}_create_mirror_one.sql"
sed -i "s/DEFAULT 'one'/DEFAULT 'uno'/" "$R1_FILE"
dbops verified upgrade
check "upgrade with an applied file changed: exit 2" rc_is 2
check "upgrade names the changed revision" has "$ERR" "$R1"
check "upgrade says how to go on" has "$ERR" "--accept-changed"
check "nothing ran: still at $R2" eq "$(sql verified "SELECT version_num FROM alembic_version")" "$R2"
dbops verified upgrade --accept-changed "$R1"
check "--accept-changed without --reason: exit 2" rc_is 2
dbops verified upgrade --accept-changed "$R1" --reason "comment added after the fact"
check "--accept-changed with a reason: the upgrade runs, exit 0" rc_is 0
check "... to $R4" eq "$(sql verified "SELECT version_num FROM alembic_version")" "$R4"
dbops verified verify --json
check "the accepted change is recorded: verify is clean, with the reason" json_ok "$OUT" \
  'd["clean"] and d["verified"] == 4'
check "... the reason is kept beside the new checksum" \
  eq "$(sql verified "SELECT accepted_reason FROM dbops_applied_revisions WHERE revision = '$R1'")" "comment added after the fact"
# The edited file stays: what was accepted is what is on disk now.

# ------------------------------------------------------------------ migrated before checksums: not an error
sql postgres "CREATE DATABASE by_alembic" >/dev/null
alembic by_alembic upgrade "$R3"
check "alembic upgrade $R3: exit 0" rc_is 0
dbops by_alembic verify
check "verify of an Alembic-migrated database: exit 0" rc_is 0
check "... no checksum recorded for its 3 revisions, no table created" \
  eq "$(grep -c 'no checksum recorded' <<<"$OUT")|$(sql by_alembic "SELECT to_regclass('dbops_applied_revisions') IS NULL")" "3|t"

# ------------------------------------------------------------------ a read-only role verifies
sql verified "CREATE ROLE verify_reader LOGIN" >/dev/null
sql verified "GRANT SELECT ON ALL TABLES IN SCHEMA public TO verify_reader" >/dev/null
sql verified "ALTER ROLE verify_reader SET default_transaction_read_only = on" >/dev/null
capture "$DBOPS" --migrations "$REPO" -d "postgresql://verify_reader@127.0.0.1:$PGPORT/verified" verify
check "verify as a read-only role: exit 0" rc_is 0

finish
