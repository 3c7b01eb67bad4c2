#!/usr/bin/env bash
# The pre-flight lock check of `dbops upgrade` / `downgrade` and the live
# figures of `dbops lint -d URL`, on a real server:
#
#   tests/with-postgres.sh tests/cli/test_locks.sh DBOPS_BINARY [SOURCE_DIR]
#
# A background psql holds `BEGIN; LOCK TABLE t IN ACCESS SHARE MODE;`: the
# upgrade (ALTER TABLE t, ACCESS EXCLUSIVE) refuses naming its pid (exit 2);
# with --ignore-blockers it waits for lock_timeout, and goes through once the
# holder is gone.  Prints one line per check and ends with "N passed, M failed".
set -euo pipefail

[ $# -ge 1 ] || { echo "usage: $0 DBOPS_BINARY [SOURCE_DIR]" >&2; exit 2; }
DBOPS=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=$(cd "${2:-$SCRIPT_DIR/../..}" && pwd)
# shellcheck source=tests/lib/check.sh
source "$SRC/tests/lib/check.sh"

[ -x "$DBOPS" ] || { echo "FATAL: $DBOPS is not executable" >&2; exit 2; }
[ -n "${PGPORT:-}" ] || { echo "FATAL: PGPORT is not set: run through tests/with-postgres.sh" >&2; exit 2; }
[ -x "$PSQL" ] || { echo "FATAL: $PSQL not found" >&2; exit 2; }

unset DBOPS_MIGRATIONS DATABASE_URL PGDATABASE
export DBOPS_KEYCHAIN=off
WORK=$(mktemp -d /tmp/dbops-locks-test.XXXXXX)
export XDG_CONFIG_HOME="$WORK/config" XDG_DATA_HOME="$WORK/data" XDG_CACHE_HOME="$WORK/cache"
BACKGROUND=()
cleanup() {
  local pid
  exec 7>&-
  for pid in "${BACKGROUND[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

url() { echo "postgresql://postgres@127.0.0.1:$PGPORT/${1:-locks}"; }
sql() { "$PSQL" -X -q -A -t -v ON_ERROR_STOP=1 -d "$(url)" -c "$1"; }
run() {
  set +e
  "$DBOPS" "$@" >"$WORK/out" 2>"$WORK/err"
  RC=$?
  set -e
  OUT=$(cat "$WORK/out")
  ERR=$(cat "$WORK/err")
}
column_exists() { sql "SELECT count(*) FROM pg_attribute WHERE attrelid = 't'::regclass AND attname = 'flag' AND NOT attisdropped"; }

# A holder: psql in an open transaction holding ACCESS SHARE on t, idle,
# reading its input from a fifo that stays open on fd 7 (closing it ends psql).
HOLDER_PID=
start_holder() {
  exec 7>&-
  rm -f "$WORK/holder.in"
  mkfifo "$WORK/holder.in"
  "$PSQL" -X -q -d "$(url)" <"$WORK/holder.in" >/dev/null 2>&1 &
  BACKGROUND+=("$!")
  exec 7>"$WORK/holder.in"
  echo "BEGIN; LOCK TABLE t IN ACCESS SHARE MODE;" >&7
  HOLDER_PID=
  for _ in $(seq 1 100); do
    HOLDER_PID=$(sql "SELECT pid FROM pg_locks WHERE relation = 't'::regclass AND mode = 'AccessShareLock' AND granted AND pid <> pg_backend_pid()")
    [ -n "$HOLDER_PID" ] && return 0
    sleep 0.1
  done
  echo "    no session took the lock"
  return 1
}
stop_holder() { sql "SELECT pg_terminate_backend($HOLDER_PID)" >/dev/null; }

"$PSQL" -X -q -d "$(url postgres)" -c "CREATE DATABASE locks" >/dev/null
sql "CREATE TABLE t (id integer PRIMARY KEY, payload text); INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 200000) g; ANALYZE t" >/dev/null

REPO="$WORK/repo"
mkdir -p "$REPO/versions"
cat >"$REPO/versions/0001_b10c0000bb01_add_flag.sql" <<'SQL'
-- revision: b10c0000bb01
-- down_revision: none
-- message: add flag
-- create_date: 2025-03-01 10:00:00

-- +upgrade
ALTER TABLE t ADD COLUMN flag boolean;

-- +downgrade
ALTER TABLE t DROP COLUMN flag;
SQL
cat >"$WORK/change.sql" <<'SQL'
ALTER TABLE t ALTER COLUMN id TYPE bigint;
SQL

# ------------------------------------------------------------------ lint, connected
run lint "$WORK/change.sql"
check "lint offline: no live section" lacks "$OUT" "Live impact"
run lint -d "$(url)" "$WORK/change.sql"
check "lint -d: exit 0 or 1 (findings)" matches "$RC" '^[01]$'
check "lint -d: the live section names t with its lock and rewrite" matches "$OUT" '^  t: ACCESS EXCLUSIVE, rewrites; [0-9.]+ MB, about 200000 rows, 1 index\(es\)'
check "lint -d: the index" has "$OUT" "indexes: t_pkey ("
check "lint -d: the estimate" matches "$OUT" 'estimated rewrite: (under 1 s|about [0-9.]+ (s|min|h)) \(an estimate\)'
check "lint -d: the throughput was measured now" has "$OUT" "measured now"
check "lint -d: the throughput is cached 0600" eq "$(stat -c %a "$XDG_CACHE_HOME/dbops/throughput.json")" 600
check "lint -d: nobody in the way yet" lacks "$OUT" "blocked by"
check "start a session holding ACCESS SHARE on t" start_holder
run lint -d "$(url)" --json "$WORK/change.sql"
check "lint -d --json: relation, rows, blocker pid, cached throughput" json_ok "$OUT" \
  'd["live"]["relations"][0]["relation"] == "t" and d["live"]["relations"][0]["rows_estimate"] == 200000 and d["live"]["relations"][0]["lock"] == "ACCESS EXCLUSIVE" and d["live"]["relations"][0]["estimated_seconds"] > 0 and [b["pid"] for b in d["live"]["blockers"]] == ['"$HOLDER_PID"'] and d["live"]["relations"][0]["oldest_transaction_pid"] == '"$HOLDER_PID"' and d["live"]["throughput_cached"]'
run lint -d "$(url)" "$WORK/change.sql"
check "lint -d: text names the blocker" has "$OUT" "blocked by pid $HOLDER_PID (user postgres, application psql, idle in transaction"

# ------------------------------------------------------------------ upgrade refuses, then goes on when told
run --migrations "$REPO" -d "$(url)" upgrade
check "upgrade with a session in the way: exit 2 (refused)" rc_is 2
check "upgrade: the refusal names the pid and the way out" has "$ERR" "pid $HOLDER_PID ("
check "upgrade: the refusal says what it asks for" has "$ERR" "on t (the upgrade asks for ACCESS EXCLUSIVE)"
check "upgrade: the refusal shows the holder's query" has "$ERR" "LOCK TABLE t IN ACCESS SHARE MODE"
check "upgrade: --ignore-blockers is offered" has "$ERR" "(--ignore-blockers)"
check "upgrade refused: nothing ran" eq "$(column_exists)" 0
check "upgrade refused: no version table" eq "$(sql "SELECT to_regclass('alembic_version') IS NULL")" t

START=$(date +%s%N)
run --migrations "$REPO" -d "$(url)" upgrade --ignore-blockers --lock-timeout 1 --retries 0
ELAPSED_MS=$(( ($(date +%s%N) - START) / 1000000 ))
check "--ignore-blockers while the lock stays: the run waits lock_timeout, then fails (exit 4)" rc_is 4
check "--ignore-blockers: it says it runs anyway" has "$ERR" "Running although 1 session(s) hold or wait for locks it needs"
check "--ignore-blockers: it waited about the lock timeout" eq "$([ "$ELAPSED_MS" -ge 1000 ] && echo waited)" waited
check "--ignore-blockers: lock timeout reported" has "$ERR" "lock timeout"
check "--ignore-blockers: nothing changed" eq "$(column_exists)" 0

( sleep 1.5; stop_holder ) &
BACKGROUND+=("$!")
run --migrations "$REPO" -d "$(url)" upgrade --ignore-blockers --lock-timeout 20
check "--ignore-blockers while the holder lets go after 1.5 s: exit 0" rc_is 0
check "--ignore-blockers: the column is there" eq "$(column_exists)" 1

# ------------------------------------------------------------------ downgrade: the same guard
check "start another holder" start_holder
run --migrations "$REPO" -d "$(url)" downgrade base
check "downgrade with a session in the way: exit 2" rc_is 2
check "downgrade: the refusal names the pid" has "$ERR" "the downgrade would wait for 1 other session(s)"
check "downgrade: and the pid" has "$ERR" "pid $HOLDER_PID ("
stop_holder
run --migrations "$REPO" -d "$(url)" downgrade base
check "downgrade once the holder is gone: exit 0" rc_is 0
check "downgrade: the column is gone" eq "$(column_exists)" 0

finish
