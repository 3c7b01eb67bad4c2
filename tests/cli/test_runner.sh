#!/usr/bin/env bash
# CLI tests of the guarded write commands (upgrade, downgrade, rollback) on a
# real PostgreSQL server:
#
#   tests/with-postgres.sh tests/cli/test_runner.sh DBOPS_BINARY [SOURCE_DIR]
#
# Needs PGHOST/PGPORT/PGUSER (superuser, trust auth) as tests/with-postgres.sh
# exports them.  Uses the bundled migrations (SOURCE_DIR/migrations) for the
# seed scenario and the fixture repositories in SOURCE_DIR/tests/data/runner/
# for failures, locks, Ctrl-C, profiles, backups, JSON progress and the journal.
# Prints one line per check and ends with "N passed, M failed"; exits non-zero
# when any check failed.
set -euo pipefail

[ $# -ge 1 ] || { echo "usage: $0 DBOPS_BINARY [SOURCE_DIR]" >&2; exit 2; }
DBOPS=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=$(cd "${2:-$SCRIPT_DIR/../..}" && pwd)
# shellcheck source=tests/lib/check.sh
source "$SRC/tests/lib/check.sh"
MIG="$SRC/migrations"
DATA="$SRC/tests/data/runner"
PROD_REV=19c513d3bf90
HEAD_REV=792ffb1ab1ad

[ -x "$DBOPS" ] || { echo "FATAL: $DBOPS is not executable" >&2; exit 2; }
[ -n "${PGPORT:-}" ] || { echo "FATAL: PGPORT is not set: run through tests/with-postgres.sh" >&2; exit 2; }
# The client tools of the newest installed PostgreSQL (the server's own bindir first).
for tool in "$PSQL" "$PG_DUMP" "$PG_RESTORE"; do [ -x "$tool" ] || { echo "FATAL: $tool not found" >&2; exit 2; }; done

unset DBOPS_MIGRATIONS DATABASE_URL PGDATABASE
export DBOPS_KEYCHAIN=off
WORK=$(mktemp -d /tmp/dbops-runner-test.XXXXXX)
export XDG_CONFIG_HOME="$WORK/config" XDG_DATA_HOME="$WORK/data"
JOURNAL="$XDG_DATA_HOME/dbops/journal.jsonl"
BACKGROUND=()
cleanup() {
  local pid
  for pid in "${BACKGROUND[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

# A role with a password: every URL below carries it, and it must never show
# up in any output or in the journal.  (The test server trusts local
# connections, so libpq sends it without the server asking for it.)
PW='Runner-Pw-7fQ2xZ9k'
ROLE=runner_pw
url() { echo "postgresql://$ROLE:$PW@127.0.0.1:$PGPORT/$1"; }
admin_url() { echo "postgresql://postgres@127.0.0.1:$PGPORT/${1:-postgres}"; }

# ------------------------------------------------------------------ helpers

# run [VAR=VALUE...] ARGS...: runs dbops; sets RC, OUT, ERR.  Every output is
# also appended to $WORK/all-outputs (searched for the password at the end).
run() {
  local env=()
  while [[ $# -gt 0 && "$1" == *=* && "$1" != -* ]]; do env+=("$1"); shift; done
  set +e
  env "${env[@]}" "$DBOPS" "$@" >"$WORK/out" 2>"$WORK/err"
  RC=$?
  set -e
  OUT=$(cat "$WORK/out")
  ERR=$(cat "$WORK/err")
  local args="$*"
  { echo "### dbops ${args//$PW/PASSWORD}"; cat "$WORK/out" "$WORK/err"; } >>"$WORK/all-outputs"
}

less_than() { [ "$1" -lt "$2" ] || { echo "    $1 is not less than $2"; return 1; }; }
file_lacks() { # file_lacks FILE TEXT
  ! grep -qF -- "$2" "$1" || { echo "    '$2' found in $1:"; grep -nF -- "$2" "$1" | head -n 5 | sed 's/^/      /'; return 1; }
}

# sql DB QUERY: one query as the admin, unaligned, tuples only.
sql() { "$PSQL" -X -q -A -t -v ON_ERROR_STOP=1 -d "$(admin_url "$1")" -c "$2"; }
createdb() {
  sql postgres "CREATE DATABASE $1 OWNER $ROLE" >/dev/null
}
# version DB: the version table's rows, space-separated; "none" without the table.
version() {
  if [ "$(sql "$1" "SELECT to_regclass('public.alembic_version') IS NOT NULL")" = t ]; then
    sql "$1" "SELECT coalesce(string_agg(version_num, ' ' ORDER BY version_num), '') FROM alembic_version"
  else
    echo none
  fi
}
# user_tables DB: the tables of schema public, space-separated.
user_tables() { sql "$1" "SELECT coalesce(string_agg(tablename, ' ' ORDER BY tablename), '') FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'dbops_applied_revisions'"; }
# schema DB: pg_dump -s without comments and the \restrict lines (random keys).
schema() { schema_of "$(admin_url "$1")"; }

# The journal: each write run adds exactly one record; journal_gained OUTCOME
# checks that the line count grew by one and the new record's outcome.
JOURNAL_LINES=0
journal_count() { if [ -f "$JOURNAL" ]; then wc -l <"$JOURNAL"; else echo 0; fi; }
last_record() { tail -n 1 "$JOURNAL"; }
journal_gained() { # journal_gained OUTCOME [PYTHON_EXPRESSION over r]
  local now; now=$(journal_count)
  [ "$now" -eq $((JOURNAL_LINES + 1)) ] || { echo "    journal has $now records, expected $((JOURNAL_LINES + 1))"; JOURNAL_LINES=$now; return 1; }
  JOURNAL_LINES=$now
  json_ok "$(last_record)" 'd["outcome"] == "'"$1"'" and ('"${2:-True}"')'
}
journal_unchanged() {
  local now; now=$(journal_count)
  [ "$now" -eq "$JOURNAL_LINES" ] || { echo "    journal has $now records, expected $JOURNAL_LINES"; JOURNAL_LINES=$now; return 1; }
}
json_lines_ok() { # json_lines_ok TEXT PYTHON_EXPRESSION over `events` (a list of dicts, one per line)
  python3 -c '
import json, sys
events = []
for n, line in enumerate(sys.stdin.read().splitlines(), 1):
    try:
        events.append(json.loads(line))
    except ValueError as e:
        print("    line %d is not JSON (%s): %r" % (n, e, line[:200])); sys.exit(1)
if not eval(sys.argv[1]):
    print("    JSON lines check failed: " + sys.argv[1]); sys.exit(1)
' "$2" <<<"$1" || { echo "    stdout was: $(head -c 600 <<<"$1")"; return 1; }
}

# wait_for DB REGEX_OF_QUERY: until a session of DB runs a matching statement (20 s at most).
wait_for_query() {
  for _ in $(seq 1 200); do
    [ "$(sql "$1" "SELECT count(*) FROM pg_stat_activity WHERE datname = '$1' AND state = 'active' AND pid <> pg_backend_pid() AND query ~ '$2'")" -ge 1 ] && return 0
    sleep 0.1
  done
  echo "    no session of $1 ran /$2/ within 20 s"
  return 1
}

# The migration lock key, computed here from the documented formula: the first
# 8 bytes of SHA-256("dbops:" + version table) as a signed 64-bit integer.
LOCK_KEY=$(python3 -c 'import hashlib; print(int.from_bytes(hashlib.sha256(b"dbops:alembic_version").digest()[:8], "big", signed=True))')

sql postgres "CREATE ROLE $ROLE LOGIN SUPERUSER PASSWORD '$PW'" >/dev/null

# ------------------------------------------------------------------ the seed scenario
createdb seed
run -d "$(url seed)" upgrade "$PROD_REV"
check "upgrade $PROD_REV on an empty database: exit 0" rc_is 0
check "upgrade $PROD_REV: the version table says $PROD_REV" eq "$(version seed)" "$PROD_REV"
check "upgrade $PROD_REV: stderr reports the final state" has "$ERR" "the database is at $PROD_REV"
check "upgrade $PROD_REV: journal gained a success record base -> $PROD_REV" \
  journal_gained success 'd["action"] == "upgrade" and d["from"] == [] and d["to"] == ["'$PROD_REV'"] and len(d["steps"]) == 10'
schema seed >"$WORK/schema-at-prod.sql"

run -d "$(url seed)" current
check "current: exit 0" rc_is 0
check "current: at $PROD_REV" matches "$OUT" "^Current: +$PROD_REV, seed factor definitions$"
check "current: 23 pending" matches "$OUT" '^Pending: +23 revision\(s\)$'
run -d "$(url seed)" current --check
check "current --check behind head: exit 1" rc_is 1

run -d "$(url seed)" upgrade --sql
UP_SQL=$OUT
cp "$WORK/out" "$WORK/upgrade.sql"
check "upgrade --sql: exit 0" rc_is 0
check "upgrade --sql: SET LOCAL lock_timeout (10 s default) after BEGIN" \
  eq "$(grep -A2 -m1 '^BEGIN;$' <<<"$UP_SQL")" "BEGIN;

SET LOCAL lock_timeout = '10000ms';"
check "upgrade --sql: 23 '-- Running upgrade' lines" eq "$(count_lines "$UP_SQL" '^-- Running upgrade ')" 23
check "upgrade --sql: starts at $PROD_REV, ends at $HEAD_REV" \
  eq "$(grep -- '^-- Running upgrade' <<<"$UP_SQL" | sed -n '1p;$p')" "-- Running upgrade $PROD_REV -> 0b7e3d9a2c45
-- Running upgrade 5a9f6c1d0e84 -> $HEAD_REV"
run --migrations "$MIG" sql upgrade --from "$PROD_REV" --to head
check "upgrade --sql without its SET LOCAL lines is exactly 'dbops sql upgrade --from $PROD_REV'" \
  eq "$(python3 -c 'import sys; print(sys.stdin.read().replace("SET LOCAL lock_timeout = '"'10000ms'"';\n\n", ""), end="")' <"$WORK/upgrade.sql")" "$OUT"
check "upgrade --sql: ran nothing" eq "$(version seed)" "$PROD_REV"
check "upgrade --sql: not journaled" journal_unchanged

run -d "$(url seed)" upgrade
check "upgrade (to head): exit 0" rc_is 0
check "upgrade: progress names every step, [1/23] to [23/23]" \
  eq "$(count_lines "$ERR" '^\[[0-9]+/23\] [0-9a-f]{12} ')/$(grep -m1 -oE '^\[1/23\] [0-9a-f]{12}' <<<"$ERR")/$(grep -oE '^\[23/23\] [0-9a-f]{12}' <<<"$ERR")" \
  "23/[1/23] 0b7e3d9a2c45/[23/23] $HEAD_REV"
check "upgrade: the version table says $HEAD_REV" eq "$(version seed)" "$HEAD_REV"
check "upgrade: journal gained a success record $PROD_REV -> $HEAD_REV with 23 applied steps" \
  journal_gained success 'd["from"] == ["'$PROD_REV'"] and d["to"] == ["'$HEAD_REV'"] and len(d["steps"]) == 23 and all(s["outcome"] == "applied" for s in d["steps"]) and d["transaction_mode"] == "all" and d["database_user"] == "'$ROLE'"'
check "upgrade: the journal's sql_sha256 is the SHA-256 of what 'upgrade --sql' printed" \
  json_ok "$(last_record)" 'd["sql_sha256"] == "'"$(sha256sum <"$WORK/upgrade.sql" | cut -d' ' -f1)"'"'
run -d "$(url seed)" current --check
check "current --check at head: exit 0" rc_is 0
run -d "$(url seed)" upgrade
check "upgrade at head: exit 0, nothing to do" eq "$RC:$(grep -c 'Nothing to do' <<<"$ERR")" "0:1"
check "upgrade with nothing to do: not journaled" journal_unchanged

run -d "$(url seed)" downgrade "$PROD_REV"
check "downgrade $PROD_REV: exit 0" rc_is 0
check "downgrade: the version table says $PROD_REV" eq "$(version seed)" "$PROD_REV"
check "downgrade: journal gained a success record" \
  journal_gained success 'd["action"] == "downgrade" and d["from"] == ["'$HEAD_REV'"] and d["to"] == ["'$PROD_REV'"] and len(d["steps"]) == 23'
check "downgrade: pg_dump -s equals the schema before the upgrade" eq "$(schema seed)" "$(cat "$WORK/schema-at-prod.sql")"

run -d "$(url seed)" upgrade +2
check "upgrade +2: exit 0, at 6a1f4c8e9b03" eq "$RC:$(version seed)" "0:6a1f4c8e9b03"
check "upgrade +2: journaled" journal_gained success
run -d "$(url seed)" rollback "$PROD_REV"
check "rollback (alias of downgrade) $PROD_REV: exit 0" rc_is 0
check "rollback: back at $PROD_REV" eq "$(version seed)" "$PROD_REV"
check "rollback: journaled as a downgrade" journal_gained success 'd["action"] == "downgrade" and len(d["steps"]) == 2'
check "rollback: pg_dump -s equals the schema before" eq "$(schema seed)" "$(cat "$WORK/schema-at-prod.sql")"
run -d "$(url seed)" rollback
check "rollback without a target: exit 2" rc_is 2
check "rollback without a target: not journaled, nothing changed" eq "$(journal_count):$(version seed)" "$JOURNAL_LINES:$PROD_REV"

# ------------------------------------------------------------------ exit codes
# 4: a statement fails; the file:line:column of the failing statement and the SQLSTATE.
FAILING="$DATA/failing"
FAILING_FILE="$FAILING/versions/0002_f1f1f1f10002_insert_from_missing_table.sql"
createdb failing
run --migrations "$FAILING" -d "$(url failing)" upgrade
check "failing revision: exit 4" rc_is 4
check "failing revision: stderr has FILE:10:20 of the failing statement" has "$ERR" "dbops: error: $FAILING_FILE:10:20: "
check "failing revision: stderr has SQLSTATE 42P01" has "$ERR" "[SQLSTATE 42P01]"
check "failing revision (--transaction all): nothing changed" eq "$(version failing)|$(user_tables failing)" "none|"
check "failing revision: journal gained a failed record with the error" \
  journal_gained failed '"42P01" in d["error"] and d["to"] == ["f1f1f1f10003"] and d["steps"] == []'
run --migrations "$FAILING" -d "$(url failing)" upgrade --transaction per-revision
check "failing revision, per-revision: exit 4" rc_is 4
check "failing revision, per-revision: revision 1 stays" eq "$(version failing)|$(user_tables failing)" "f1f1f1f10001|alembic_version fail_one"
check "failing revision, per-revision: journaled" journal_gained failed 'len(d["steps"]) == 1 and d["steps"][0]["revision"] == "f1f1f1f10001"'

# 2: an unknown target, a bad option.
createdb linear
run --migrations "$DATA/linear" -d "$(url linear)" upgrade ffffffffffff
check "unknown target: exit 2" rc_is 2
check "unknown target: stderr names it" has "$ERR" "ffffffffffff"
run --migrations "$DATA/linear" -d "$(url linear)" upgrade --transaction sometimes
check "bad --transaction: exit 2" rc_is 2
check "exit 2 runs: nothing changed, not journaled" eq "$(version linear):$(journal_count)" "none:$JOURNAL_LINES"

# 6: another run holds the migration lock (a psql session holding the advisory lock).
"$PSQL" -X -q -d "$(admin_url linear)" -c "SELECT pg_advisory_lock($LOCK_KEY)" -c "SELECT pg_sleep(120)" >/dev/null 2>&1 &
HOLDER_PSQL=$!
BACKGROUND+=("$HOLDER_PSQL")
HOLDER_PID=
for _ in $(seq 1 100); do
  HOLDER_PID=$(sql linear "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1 AND ((classid::bigint << 32) | objid::bigint) = ($LOCK_KEY)::bigint")
  [ -n "$HOLDER_PID" ] && break
  sleep 0.1
done
check "a psql session holds the migration lock (key from the documented formula)" matches "$HOLDER_PID" '^[0-9]+$'
run --migrations "$DATA/linear" -d "$(url linear)" upgrade
check "lock held: exit 6" rc_is 6
check "lock held: stderr names the holder's pid" has "$ERR" "pid $HOLDER_PID "
check "lock held: nothing changed" eq "$(version linear)" none
check "lock held: journal gained a lock-held record" journal_gained lock-held
LOCK_WAIT_START=$(date +%s%N)
run --migrations "$DATA/linear" -d "$(url linear)" upgrade --lock-wait 1
LOCK_WAIT_MS=$(( ($(date +%s%N) - LOCK_WAIT_START) / 1000000 ))
check "--lock-wait 1 while the lock stays held: exit 6 after waiting about 1 s" \
  eq "$RC:$([ "$LOCK_WAIT_MS" -ge 1000 ] && [ "$LOCK_WAIT_MS" -lt 5000 ] && echo waited)" "6:waited"
check "--lock-wait 1: stderr names the holder and the wait" eq "$(grep -c "pid $HOLDER_PID .*(waited 1 s)" <<<"$ERR")" 1
check "--lock-wait 1: journal gained a lock-held record" journal_gained lock-held
check "--lock-wait 1: nothing changed" eq "$(version linear)" none
# --lock-wait: the holder lets go after a second.
( sleep 1; sql linear "SELECT pg_terminate_backend($HOLDER_PID)" >/dev/null ) &
BACKGROUND+=("$!")
run --migrations "$DATA/linear" -d "$(url linear)" upgrade --lock-wait 10
check "--lock-wait 10 while the holder lets go after 1 s: exit 0" rc_is 0
check "--lock-wait: at head" eq "$(version linear)" a1a1a1a10003
check "--lock-wait: journaled" journal_gained success
wait "$HOLDER_PSQL" 2>/dev/null || true

# 5: Ctrl-C (SIGINT) while a statement runs: cancelled server-side, rolled back.
createdb slow
run --migrations "$DATA/slow" -d "$(url slow)" upgrade 5e5e5e5e0001
check "slow fixture at revision 1: exit 0" rc_is 0
check "slow fixture at revision 1: journaled" journal_gained success
set +e
"$DBOPS" --migrations "$DATA/slow" -d "$(url slow)" upgrade >"$WORK/out" 2>"$WORK/err" &
DBOPS_PID=$!
set -e
BACKGROUND+=("$DBOPS_PID")
check "Ctrl-C: the run reaches pg_sleep" wait_for_query slow 'pg_sleep'
SIGINT_AT=$(date +%s%N)
kill -INT "$DBOPS_PID"
set +e
wait "$DBOPS_PID"
RC=$?
set -e
ELAPSED_MS=$(( ($(date +%s%N) - SIGINT_AT) / 1000000 ))
OUT=$(cat "$WORK/out"); ERR=$(cat "$WORK/err")
{ echo "### dbops upgrade (SIGINT)"; cat "$WORK/out" "$WORK/err"; } >>"$WORK/all-outputs"
check "Ctrl-C: exit 5" rc_is 5
check "Ctrl-C: dbops stopped within 5 s of the signal (not after the 30 s sleep)" less_than "$ELAPSED_MS" 5000
check "Ctrl-C: the version is unchanged, revision 2 rolled back" eq "$(version slow)|$(user_tables slow)" "5e5e5e5e0001|alembic_version slow_config"
check "Ctrl-C: no statement of the run is left on the server" \
  eq "$(sql slow "SELECT count(*) FROM pg_stat_activity WHERE datname = 'slow' AND query ~ 'pg_sleep' AND pid <> pg_backend_pid()")" 0
check "Ctrl-C: stderr says cancelled" has "$ERR" "cancelled"
check "Ctrl-C: journal gained a cancelled record" journal_gained cancelled

# 3: the server terminates the run's backend (an admin's pg_terminate_backend).
sql slow "UPDATE slow_config SET seconds = 30" >/dev/null
set +e
"$DBOPS" --migrations "$DATA/slow" -d "$(url slow)" upgrade --transaction per-revision >"$WORK/out" 2>"$WORK/err" &
DBOPS_PID=$!
set -e
BACKGROUND+=("$DBOPS_PID")
check "backend killed: the run reaches pg_sleep" wait_for_query slow 'pg_sleep'
check "backend killed: pg_terminate_backend of the run's backend" \
  eq "$(sql slow "SELECT bool_and(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = 'slow' AND state = 'active' AND query ~ 'pg_sleep' AND pid <> pg_backend_pid()")" t
set +e
wait "$DBOPS_PID"
RC=$?
set -e
OUT=$(cat "$WORK/out"); ERR=$(cat "$WORK/err")
{ echo "### dbops upgrade (backend terminated)"; cat "$WORK/out" "$WORK/err"; } >>"$WORK/all-outputs"
check "backend killed: exit 3" rc_is 3
check "backend killed: stderr says the connection was lost and where the database truly is" \
  eq "$(grep -c 'connection was lost' <<<"$ERR")/$(grep -c 'the database is now at 5e5e5e5e0001' <<<"$ERR")" "1/1"
check "backend killed: version unchanged" eq "$(version slow)|$(user_tables slow)" "5e5e5e5e0001|alembic_version slow_config"
check "backend killed: journal gained a connection-lost record" journal_gained connection-lost
sql slow "UPDATE slow_config SET seconds = 0" >/dev/null
run --migrations "$DATA/slow" -d "$(url slow)" upgrade
check "backend killed: a re-run completes" eq "$RC:$(version slow)" "0:5e5e5e5e0002"
check "backend killed: the re-run is journaled" journal_gained success

# A non-transactional revision (CREATE INDEX CONCURRENTLY) between two transactional ones.
createdb nontx
run --migrations "$DATA/nontransactional" -d "$(url nontx)" upgrade
check "non-transactional revision: exit 0, at head" eq "$RC:$(version nontx)" "0:c0c0c0c00003"
check "non-transactional revision: both indexes valid" \
  eq "$(sql nontx "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname IN ('ix_nt_items_name', 'ux_nt_items_id_name') AND i.indisvalid")" 2
check "non-transactional revision: one progress line per revision ([1/3], [2/3], [3/3])" \
  eq "$(grep -oE '^\[[0-9]/3\] [0-9a-f]{12}' <<<"$ERR" | tr '\n' ' ')" "[1/3] c0c0c0c00001 [2/3] c0c0c0c00002 [3/3] c0c0c0c00003 "
check "non-transactional revision: the journal has one step per revision" \
  journal_gained success '[s["revision"] for s in d["steps"]] == ["c0c0c0c00001", "c0c0c0c00002", "c0c0c0c00003"]'

# ------------------------------------------------------------------ production profile
createdb proddb
if "$DBOPS" --help | grep -qE '^  profile '; then
  run profile add prodtest --host 127.0.0.1 --port "$PGPORT" --dbname proddb --user "$ROLE" --sslmode disable --production
  check "profile add prodtest --production: exit 0" rc_is 0
else
  # No 'profile' command: write the profile store (QSettings INI) directly.
  mkdir -p "$XDG_CONFIG_HOME/dbops"
  cat >"$XDG_CONFIG_HOME/dbops/profiles.conf" <<EOF
[profile-$(printf %s prodtest | od -An -tx1 | tr -d ' \n')]
name=prodtest
host=127.0.0.1
port=$PGPORT
database=proddb
user=$ROLE
sslmode=disable
production=true
EOF
fi
run -p prodtest --migrations "$DATA/linear" upgrade
check "production profile without --confirm: exit 2" rc_is 2
check "production profile without --confirm: stderr asks for --confirm proddb" has "$ERR" "--confirm proddb"
run -p prodtest --migrations "$DATA/linear" upgrade --confirm otherdb
check "production profile with the wrong --confirm: exit 2" rc_is 2
check "production refusals: nothing changed, not journaled" eq "$(version proddb):$(journal_count)" "none:$JOURNAL_LINES"
run -p prodtest --migrations "$DATA/linear" stamp head
check "production profile: stamp without --confirm: exit 2" rc_is 2
run -p prodtest --migrations "$DATA/linear" downgrade base
check "production profile: downgrade without --confirm: exit 2" rc_is 2
check "production refusals of stamp and downgrade: nothing changed, not journaled" eq "$(version proddb):$(journal_count)" "none:$JOURNAL_LINES"
run -p prodtest --migrations "$DATA/linear" upgrade --sql
check "production profile: --sql needs no --confirm (prints only)" eq "$RC:$(count_lines "$OUT" '^-- Running upgrade ')" "0:3"
run -p prodtest --migrations "$DATA/linear" upgrade --confirm proddb
check "production profile with --confirm proddb: exit 0" rc_is 0
check "production profile: at head" eq "$(version proddb)" a1a1a1a10003
check "production profile: journaled with the profile name" journal_gained success 'd["profile"] == "prodtest"'

# ------------------------------------------------------------------ --backup
run --migrations "$DATA/linear" -d "$(url proddb)" downgrade base --backup "$WORK/backups"
check "downgrade base --backup DIR: exit 0" rc_is 0
DUMPS=$(find "$WORK/backups" -name '*.dump' 2>/dev/null | sort)
check "--backup: exactly one .dump file" eq "$(grep -c . <<<"$DUMPS" || true)" 1
if [ -n "$DUMPS" ]; then
  set +e; TOC=$("$PG_RESTORE" -l "$DUMPS" 2>&1); PGR_RC=$?; set -e
  check "--backup: pg_restore -l reads the dump" eq "$PGR_RC" 0
  check "--backup: the dump holds the tables from before the downgrade" \
    eq "$(grep -cE 'TABLE public (lin_a|lin_b|alembic_version) ' <<<"$TOC")" 3
  check "--backup: the journal record names the dump" journal_gained success 'd["backup"] == "'"$DUMPS"'" and d["action"] == "downgrade"'
else
  check "--backup: journaled" journal_gained success
fi
check "--backup: then the downgrade ran (to base: no tables, no version table)" eq "$(version proddb)|$(user_tables proddb)" "none|"

# ------------------------------------------------------------------ --json progress
createdb jsondb
run --migrations "$DATA/linear" -d "$(url jsondb)" upgrade --json
check "upgrade --json: exit 0" rc_is 0
check "upgrade --json: every stdout line is a JSON object with an event" \
  json_lines_ok "$OUT" 'all(isinstance(e, dict) and "event" in e for e in events)'
check "upgrade --json: the lock first, 3 steps started and finished in order, then 'finished'" \
  json_lines_ok "$OUT" 'events[0]["event"] == "lock" and [e["revision"] for e in events if e["event"] == "step-started"] == ["a1a1a1a10001", "a1a1a1a10002", "a1a1a1a10003"] and len([e for e in events if e["event"] == "step-finished"]) == 3 and events[-1]["event"] == "finished"'
check "upgrade --json: steps are numbered 1..3 of 3" \
  json_lines_ok "$OUT" '[(e["step"], e["steps"]) for e in events if e["event"] == "step-started"] == [(1, 3), (2, 3), (3, 3)]'
check "upgrade --json: the notice of revision 2" \
  json_lines_ok "$OUT" '[e["text"] for e in events if e["event"] == "notice"] == ["NOTICE: lin_b created by runner"]'
check "upgrade --json: finished with outcome success at the head" \
  json_lines_ok "$OUT" 'events[-1]["outcome"] == "success" and events[-1]["heads"] == ["a1a1a1a10003"] and events[-1]["error"] == ""'
check "upgrade --json: journaled" journal_gained success
createdb jsonfail
run --migrations "$FAILING" -d "$(url jsonfail)" upgrade --json
check "failing upgrade --json: exit 4, 'finished' says failed with the SQLSTATE" \
  eq "$RC:$(json_lines_ok "$OUT" 'events[-1]["event"] == "finished" and events[-1]["outcome"] == "failed" and "42P01" in events[-1]["error"] and events[-1]["heads"] == []' && echo parsed)" "4:parsed"
check "failing upgrade --json: journaled" journal_gained failed

# ------------------------------------------------------------------ the journal
check "journal: one record per write run ($JOURNAL_LINES)" eq "$(journal_count)" "$JOURNAL_LINES"
check "journal: every line is a JSON record with an outcome, a target and the SQL's hash" \
  json_lines_ok "$(cat "$JOURNAL")" 'all(e["outcome"] in ("success", "failed", "cancelled", "lock-held", "version-mismatch", "connection-lost") and e["target"] and len(e["sql_sha256"]) == 64 for e in events)'
check "journal: targets name the role, never the password" \
  json_lines_ok "$(cat "$JOURNAL")" 'all(e["target"].startswith("'$ROLE'@") for e in events)'
check "journal: the password appears nowhere in it" file_lacks "$JOURNAL" "$PW"
check "outputs: the password appears in no stdout or stderr of any run" file_lacks "$WORK/all-outputs" "$PW"
check "outputs: the search above looked at real text (the runs name $ROLE@127.0.0.1)" \
  has "$(cat "$WORK/all-outputs")" "$ROLE@127.0.0.1:$PGPORT/"

finish
