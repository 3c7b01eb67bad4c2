#!/usr/bin/env bash
# A read-only profile never writes to its server, and its shadow replays
# (`audit --target`, `snapshot`) are no exception: they run on a throwaway
# local server dbops starts itself, or on a shadow server the user names;
# with neither they are refused, saying how to configure one.  Profiles that
# are not read-only keep replaying on the target's server.
#   tests/cli/test_readonly_shadow.sh DBOPS_BINARY SOURCE_DIR   (under tests/with-postgres.sh)
set -euo pipefail
DBOPS=$1
SRC=$2
# shellcheck source=tests/lib/check.sh
source "$SRC/tests/lib/check.sh"
isolated_workdir roshadow
MIG="$SRC/migrations"
REV=19c513d3bf90
q() { psql -X -v ON_ERROR_STOP=1 -qAt -d "$1" -c "$2"; } # q DB SQL

# dbops' temporary folders (the local server's) go here, where the test can
# see what is left behind; the postgres OS user must be able to enter it.
TMP="$WORK/tmp"
mkdir -p "$TMP"
chmod 1777 "$TMP"
run() { capture env TMPDIR="$TMP" "$DBOPS" --migrations "$MIG" "$@"; }
no_bin() { capture env TMPDIR="$TMP" DBOPS_PG_BINDIR=/nonexistent "$DBOPS" --migrations "$MIG" "$@"; }

# Every statement the target server receives goes to its log (the throwaway
# test server's, see scripts/pg-temp-server.sh).
SERVER_LOG="$DBOPS_PG_DATADIR/server.log"
q postgres "ALTER SYSTEM SET log_statement = 'all'"
q postgres "SELECT pg_reload_conf()" >/dev/null
for _ in $(seq 1 50); do
  [ "$(q postgres 'SHOW log_statement')" = all ] && break
  sleep 0.1
done
# Statements about databases the target server received since the setup.
database_ddl() {
  local n
  n=$(grep -cE 'CREATE DATABASE|DROP DATABASE|dbops_shadow_[0-9a-f]' "$SERVER_LOG" || true)
  echo $((n - DDL_SETUP))
}
DDL_SETUP=0
shadows_on_target() { q postgres "SELECT count(*) FROM pg_database WHERE datname LIKE 'dbops\_shadow\_%'"; }
no_local_leftovers() {
  local left running
  left=$(ls -A "$TMP")
  running=$(pgrep -af -- "$TMP" || true)
  [ -z "$left" ] && [ -z "$running" ] && return 0
  echo "    left in $TMP: $left"
  echo "    still running: $running"
  return 1
}

# ------------------------------------------------------------------ setup
createdb appdb
"$DBOPS" --migrations "$MIG" -d "$(local_url appdb)" upgrade $REV >/dev/null 2>&1
# A SELECT-only role that cannot create databases, as support staff have.
q appdb "CREATE ROLE support LOGIN NOCREATEDB NOSUPERUSER;
  GRANT CONNECT ON DATABASE appdb TO support;
  GRANT USAGE ON SCHEMA public TO support;
  GRANT SELECT ON ALL TABLES IN SCHEMA public TO support"
"$DBOPS" profile add support --url "postgresql://support@127.0.0.1:$PGPORT/appdb" --read-only >/dev/null
# Read-only although its role could create databases: the profile decides.
"$DBOPS" profile add ro-admin --url "$(local_url appdb)" --read-only >/dev/null
"$DBOPS" profile add admin --url "$(local_url appdb)" >/dev/null
# A folder an earlier, killed dbops run left behind (its process is gone).
( exit 0 ) &
dead=$!
wait "$dead"
mkdir -p "$TMP/dbops-shadow-stale1/data"
echo "$dead" >"$TMP/dbops-shadow-stale1/dbops.pid"
DDL_SETUP=$(database_ddl) # createdb appdb

# ------------------------------------------------------------------ a local throwaway server
run -p support audit --target $REV
check "read-only, SELECT-only role: audit --target $REV succeeds (exit 0)" rc_is 0
check "it says where the replay ran" has "$ERR" "read-only: replaying the migrations on a throwaway local PostgreSQL"
check "the report names the local server as the expected side" has "$OUT" "throwaway local PostgreSQL"
check "the audit finds the schema at $REV" has "$OUT" "OK: the database has every object"

run -p ro-admin audit --target head --only-problems
check "read-only with a CREATEDB role: audit --target head runs (exit 1: objects MISSING)" rc_is 1
check "it lists what head adds" has "$OUT" "equity_changes"
check "it replayed locally" has "$ERR" "throwaway local PostgreSQL"

run -p support snapshot --check
check "read-only: snapshot --check replays locally and finds head.json current (exit 0)" rc_is 0
check "snapshot --check says so" has "$OUT" "is up to date"

check "no CREATE/DROP DATABASE ever reached the target server" eq "$(database_ddl)" 0
check "no dbops_shadow database on the target server" eq "$(shadows_on_target)" 0
check "the local servers are stopped and their folders gone (the stale one too)" no_local_leftovers

# ------------------------------------------------------------------ no server programs: refused
no_bin -p support audit --target $REV
check "no server programs: audit --target refused with exit 2" rc_is 2
check "the refusal says why" has "$ERR" "profile 'support' is read-only: the shadow replay never writes to its server"
check "the refusal says how to configure a shadow server" has "$ERR" "give --shadow URL, or set the profile's shadow URL"
check "the refusal names the package" has "$ERR" "install the PostgreSQL server package"

no_bin -p support snapshot --check
check "no server programs: snapshot --check refused with exit 2" rc_is 2
check "the refusal says how to configure a shadow server" has "$ERR" "--shadow URL"
check "still no database DDL on the target server" eq "$(database_ddl)" 0

# ------------------------------------------------------------------ an explicit shadow server
no_bin -p support audit --target $REV --shadow "$(local_url postgres)"
check "--shadow URL: audit --target uses that server (exit 0)" rc_is 0
check "the report names it" has "$OUT" "replayed to $REV on postgres@127.0.0.1:$PGPORT/postgres"
# Here the shadow server is the test server itself: the log must show it.
check "the server log sees the shadow database there" test "$(database_ddl)" -gt 0
check "and it was dropped again" eq "$(shadows_on_target)" 0

"$DBOPS" profile edit support --shadow "$(local_url postgres)" >/dev/null
DDL=$(database_ddl)
no_bin -p support snapshot --check
check "the profile's shadow URL: snapshot --check uses it (exit 0)" rc_is 0
check "the replay ran there" test "$(database_ddl)" -gt "$DDL"

# ------------------------------------------------------------------ not read-only: unchanged
DDL=$(database_ddl)
no_bin -p admin audit --target $REV
check "a writable profile still replays on its own server (exit 0)" rc_is 0
check "it created its shadow database there" test "$(database_ddl)" -gt "$DDL"
check "no dbops_shadow database left" eq "$(shadows_on_target)" 0
check "nothing left in the temporary folder" no_local_leftovers

finish
