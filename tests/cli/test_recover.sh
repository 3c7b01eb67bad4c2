#!/usr/bin/env bash
# dbops recover: the state after a failed run, on a real PostgreSQL server:
#
#   tests/with-postgres.sh tests/cli/test_recover.sh DBOPS_BINARY [SOURCE_DIR]
#
# A copy of tests/data/runner/mirror/ (4 linear revisions) whose third
# revision runs outside a transaction (transactional: false) and creates a
# table, an index, then a table someone created by hand already: a
# per-revision upgrade applies 1 and 2 and stops half way through 3.  recover
# must exit 1, name the applied revisions, the failed one, which of its
# objects exist, and print the rollback SQL; an INVALID index (a failed
# CREATE UNIQUE INDEX CONCURRENTLY) is reported with its rebuild SQL;
# recover alone never writes (the schema is unchanged).  Then recover fixes
# it through the guarded path: --rollback-partial (refused while a session
# holds a lock it needs, journaled) and --rebuild-index; after them recover
# exits 0 and the upgrade resumes.
# Prints one line per check and ends with "N passed, M failed".
set -euo pipefail

[ $# -ge 1 ] || { echo "usage: $0 DBOPS_BINARY [SOURCE_DIR]" >&2; exit 2; }
DBOPS=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=$(cd "${2:-$SCRIPT_DIR/../..}" && pwd)
# shellcheck source=tests/lib/check.sh
source "$SRC/tests/lib/check.sh"
R1=0a1b2c3d0001
R2=0a1b2c3d0002
R3=0a1b2c3d0003

[ -x "$DBOPS" ] || { echo "FATAL: $DBOPS is not executable" >&2; exit 2; }
[ -n "${PGPORT:-}" ] || { echo "FATAL: PGPORT is not set: run through tests/with-postgres.sh" >&2; exit 2; }

isolated_workdir recover
REPO="$WORK/repo"
mkdir -p "$REPO"
cp -r "$SRC/tests/data/runner/mirror/versions" "$REPO/"
cat >"$REPO/versions/0003_${R3}_create_mirror_three.sql" <<SQL
-- revision: $R3
-- down_revision: $R2
-- message: create mirror_three
-- create_date: 2025-03-03 10:00:00
-- transactional: false

-- +upgrade
CREATE TABLE mirror_three (
    id integer PRIMARY KEY,
    label text NOT NULL DEFAULT 'three'
);
CREATE INDEX ix_mirror_three_label ON mirror_three (label);
CREATE INDEX ON mirror_three (label, id);
ALTER TABLE mirror_three ADD UNIQUE (label);
CREATE FUNCTION mirror_three_label(p_id integer) RETURNS text LANGUAGE sql STABLE
    AS \$\$ SELECT label FROM mirror_three WHERE id = p_id \$\$;
CREATE TABLE mirror_three_notes (id integer PRIMARY KEY, note text);
ALTER TABLE mirror_three ADD COLUMN note_id integer;

-- +downgrade
DROP FUNCTION mirror_three_label(integer);
DROP TABLE mirror_three_notes;
DROP TABLE mirror_three;
SQL

dbops() { local db=$1; shift; capture "$DBOPS" --migrations "$REPO" -d "$(local_url "$db")" "$@"; }
sql() { "$PSQL" -X -q -A -t -v ON_ERROR_STOP=1 -d "$(local_url "$1")" -c "$2"; }

sql postgres "CREATE DATABASE recovering" >/dev/null

# ------------------------------------------------------------------ a fresh database is consistent
dbops recovering recover
check "recover on an empty database: exit 0, consistent" eq "$RC|$(grep -c 'State: consistent' <<<"$OUT")" "0|1"

# ------------------------------------------------------------------ a per-revision upgrade stops half way
# Someone created the third revision's second table by hand.
sql recovering "CREATE TABLE mirror_three_notes (id integer)"
dbops recovering upgrade --transaction per-revision
check "the per-revision upgrade fails in $R3" eq "$(( RC != 0 ))|$(sql recovering "SELECT version_num FROM alembic_version")" "1|$R2"

schema_before=$(schema_of "$(local_url recovering)")
dbops recovering recover
check "recover after the failed run: exit 1" rc_is 1
check "recover names the applied revisions" has "$OUT" "Applied:  $R1, $R2"
check "recover names the failed run and revision" matches "$OUT" "^Last run: upgrade failed .*stopped at $R3"
check "recover: the table $R3 created exists" has "$OUT" "EXISTS   table mirror_three (line"
check "recover: its index exists" has "$OUT" "EXISTS   index ix_mirror_three_label on mirror_three"
check "recover: the unnamed index, by the name the server gave it" has "$OUT" "EXISTS   index mirror_three_label_id_idx on mirror_three"
check "recover: the unnamed unique constraint, likewise" has "$OUT" "EXISTS   unique constraint mirror_three_label_key on mirror_three"
check "recover: the function, by its signature" has "$OUT" "EXISTS   function mirror_three_label (line"
check "recover: the hand-made table exists" has "$OUT" "EXISTS   table mirror_three_notes"
check "recover: the column after the failure does not" has "$OUT" "missing  column mirror_three.note_id"
check "recover: the rollback SQL drops what exists, newest first" has "$OUT" \
  "$(printf 'DROP TABLE mirror_three_notes;\n     DROP FUNCTION mirror_three_label(pg_catalog.int4);\n     ALTER TABLE mirror_three DROP CONSTRAINT mirror_three_label_key;\n     DROP INDEX mirror_three_label_id_idx;\n     DROP INDEX ix_mirror_three_label;\n     DROP TABLE mirror_three;')"
check "recover offers resume and stamp with a reason" eq \
  "$(grep -c 'dbops upgrade' <<<"$OUT")|$(grep -c "dbops stamp $R3 --force --reason" <<<"$OUT")" "1|1"
check "recover: recovery needed" has "$OUT" "State: recovery needed"
dbops recovering recover --json
check "recover --json: applied, failed, partial objects, rollback" json_ok "$OUT" \
  "not d['consistent'] and d['partial'] and d['applied'] == ['$R1', '$R2'] and d['failed_revision'] == '$R3' and d['checked_revision'] == '$R3' and [(o['name'] or o['table'], o['exists']) for o in d['checked_objects']] == [('mirror_three', True), ('ix_mirror_three_label', True), ('mirror_three_label_id_idx', True), ('mirror_three_label_key', True), ('mirror_three_label', True), ('mirror_three_notes', True), ('note_id', False)] and d['rollback_sql'] == ['DROP TABLE mirror_three_notes;', 'DROP FUNCTION mirror_three_label(pg_catalog.int4);', 'ALTER TABLE mirror_three DROP CONSTRAINT mirror_three_label_key;', 'DROP INDEX mirror_three_label_id_idx;', 'DROP INDEX ix_mirror_three_label;', 'DROP TABLE mirror_three;'] and d['invalid_indexes'] == [] and d['last_run']['outcome'] == 'failed'"
check "recover wrote nothing: the schema is unchanged" eq "$(schema_of "$(local_url recovering)")" "$schema_before"

# ------------------------------------------------------------------ an INVALID index
sql recovering "INSERT INTO mirror_one (id, label) VALUES (1, 'same'), (2, 'same')"
if sql recovering "CREATE UNIQUE INDEX CONCURRENTLY ux_dupes_v ON mirror_one (label)" 2>/dev/null; then
  echo "FATAL: the concurrent unique index on duplicates did not fail" >&2; exit 1
fi
check "the failed concurrent build left ux_dupes_v INVALID" eq \
  "$(sql recovering "SELECT indisvalid FROM pg_index WHERE indexrelid = 'ux_dupes_v'::regclass")" "f"
dbops recovering recover
check "recover reports the INVALID index" has "$OUT" "public.ux_dupes_v on mirror_one: CREATE UNIQUE INDEX ux_dupes_v ON public.mirror_one USING btree (label)"
check "recover prints its concurrent rebuild" has "$OUT" \
  "$(printf 'DROP INDEX CONCURRENTLY public.ux_dupes_v;\n     CREATE UNIQUE INDEX CONCURRENTLY ux_dupes_v ON public.mirror_one USING btree (label);')"
dbops recovering audit --target $R2; [ "$RC" -le 1 ] || show_outputs
check "audit reports the INVALID index as DIFFERS invalid" matches "$OUT" "DIFFERS.*ux_dupes_v|ux_dupes_v.*DIFFERS"
check "audit shows the detail 'invalid'" has "$OUT" "-- invalid"

# ------------------------------------------------------------------ recover fixes it, through the guarded path
JOURNAL="$XDG_DATA_HOME/dbops/journal.jsonl"
schema_before=$(schema_of "$(local_url recovering)")
dbops recovering recover --rollback-partial --sql
check "--rollback-partial --sql: exit 0" rc_is 0
check "--rollback-partial --sql: the drops of what exists, newest first, in one transaction" matches \
  "$(tr '\n' ' ' <<<"$OUT")" "BEGIN; +SET LOCAL lock_timeout = '10000ms'; +DROP TABLE mirror_three_notes; +DROP FUNCTION mirror_three_label\\(pg_catalog.int4\\); +ALTER TABLE mirror_three DROP CONSTRAINT mirror_three_label_key; +DROP INDEX mirror_three_label_id_idx; +DROP INDEX ix_mirror_three_label; +DROP TABLE mirror_three; +COMMIT;"
check "--rollback-partial --sql: the version table is not in it, the comment says it stays" eq "$(grep -c alembic_version <<<"$OUT" || true)|$(grep -c "The version table stays at $R2" <<<"$OUT")" "0|1"
check "--rollback-partial --sql wrote nothing" eq "$(schema_of "$(local_url recovering)")" "$schema_before"
dbops recovering recover --rebuild-index public.no_such_index
check "--rebuild-index of an index that is not INVALID: exit 2, names the INVALID ones" eq \
  "$RC|$(grep -c 'no INVALID index public.no_such_index (INVALID indexes: public.ux_dupes_v)' <<<"$ERR")" "2|1"
dbops recovering recover --rebuild-index
check "--rebuild-index without a name: exit 2" rc_is 2
# A concurrent lock on the table the rollback drops: refused, nothing dropped.
"$PSQL" -X -q -d "$(local_url recovering)" -c "BEGIN; LOCK TABLE mirror_three IN ACCESS SHARE MODE; SELECT pg_sleep(30)" >/dev/null 2>&1 &
locker=$!
for _ in $(seq 50); do
  [ "$(sql recovering "SELECT count(*) FROM pg_locks WHERE relation = 'mirror_three'::regclass AND granted AND pid <> pg_backend_pid()")" = 1 ] && break
  sleep 0.1
done
dbops recovering recover --rollback-partial
check "--rollback-partial with a session holding a lock on mirror_three: refused, exit 2" eq \
  "$RC|$(grep -c 'would wait for 1 other session' <<<"$ERR")" "2|1"
kill "$locker" 2>/dev/null; wait "$locker" 2>/dev/null || true
sql recovering "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'recovering' AND pid <> pg_backend_pid()" >/dev/null
check "the refused rollback dropped nothing" eq "$(schema_of "$(local_url recovering)")" "$schema_before"
dbops recovering recover --rollback-partial
check "--rollback-partial: exit 0" rc_is 0
check "--rollback-partial: the objects are gone, the version table stays at $R2" eq \
  "$(sql recovering "SELECT to_regclass('mirror_three') IS NULL AND to_regclass('mirror_three_notes') IS NULL AND to_regclass('ix_mirror_three_label') IS NULL AND to_regprocedure('mirror_three_label(integer)') IS NULL")|$(sql recovering "SELECT version_num FROM alembic_version")" "t|$R2"
check "--rollback-partial is journaled with its SQL's hash" json_ok "$(tail -n 1 "$JOURNAL")" \
  "d['action'] == 'recover rollback-partial' and d['outcome'] == 'success' and len(d['sql_sha256']) == 64 and d['from'] == ['$R2'] and d['to'] == ['$R2']"
dbops recovering recover --rollback-partial
check "--rollback-partial again: nothing to do, exit 0" eq "$RC|$(grep -c "nothing to roll back: no object $R3 creates exists" <<<"$ERR")" "0|1"
dbops recovering recover --json
check "after the rollback: nothing partial, the index still INVALID, exit 1" json_ok "$OUT" \
  "not d['partial'] and [i['name'] for i in d['invalid_indexes']] == ['ux_dupes_v'] and not d['consistent']"
dbops recovering recover --rebuild-index public.ux_dupes_v
check "--rebuild-index on duplicate rows: the build fails again, exit 4" rc_is 4
check "--rebuild-index failure names the duplicates" has "$ERR" "could not create unique index"
sql recovering "DELETE FROM mirror_one WHERE id = 2"
dbops recovering recover --rebuild-index ux_dupes_v
check "--rebuild-index after the duplicates are gone: exit 0" rc_is 0
check "the index is valid again" eq \
  "$(sql recovering "SELECT indisvalid FROM pg_index WHERE indexrelid = 'ux_dupes_v'::regclass")" "t"
check "--rebuild-index is journaled (autocommit)" json_ok "$(tail -n 1 "$JOURNAL")" \
  "d['action'] == 'recover rebuild-index ux_dupes_v' and d['outcome'] == 'success' and d['transaction_mode'] == 'autocommit'"
dbops recovering recover
check "after the fixes: exit 0, consistent, resume offered" eq \
  "$RC|$(grep -c 'State: consistent' <<<"$OUT")|$(grep -c 'resume: dbops upgrade' <<<"$OUT")" "0|1|1"
dbops recovering upgrade
check "resume: dbops upgrade completes" rc_is 0
dbops recovering recover --json
check "at head: consistent, nothing pending" json_ok "$OUT" "d['consistent'] and d['pending'] == [] and d['next_steps'] == []"

# ------------------------------------------------------------------ no server: exit 3
capture "$DBOPS" --migrations "$REPO" -d "postgresql://postgres@127.0.0.1:1/none" recover
check "recover without a server: exit 3" rc_is 3

finish
