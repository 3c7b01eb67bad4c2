#!/usr/bin/env bash
# Connection profiles, data checks, data fixes and the run journal through
# the `dbops` binary, against a real PostgreSQL server.
#
#   tests/with-postgres.sh tests/cli/test_profiles_checks.sh DBOPS_BINARY [SOURCE_DIR]
#
# Needs the server with-postgres.sh starts (PGHOST, PGPORT, PGUSER=postgres).
# The scenario: a database at the production revision 19c513d3bf90 fails the
# checks; after the remaining migrations and the guarded fix it passes; the
# fix is idempotent; a SELECT-only role can run the checks but never a fix;
# a password given in a URL never lands in the profile file, the journal or
# any output.  Prints one line per check and ends with "N passed, M failed";
# exits non-zero when any check failed.
set -euo pipefail

[ $# -ge 1 ] || { echo "usage: $0 DBOPS_BINARY [SOURCE_DIR]" >&2; exit 2; }
DBOPS=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=$(cd "${2:-$SCRIPT_DIR/../..}" && pwd)
# shellcheck source=tests/lib/check.sh
source "$SRC/tests/lib/check.sh"
MIG="$SRC/migrations"
PROD_REV=19c513d3bf90
DB=dbops_pc_app
SECRET='S3cret-Pw_7xq'         # a password given in plain form
SECRET2_ENC='p%40ss%2Fw0rd-Zq9'  # a percent-encoded one ...
SECRET2='p@ss/w0rd-Zq9'          # ... and what it decodes to
SECRET3='typed-Pw-4Kz'           # one typed at --password-prompt

[ -x "$DBOPS" ] || { echo "FATAL: $DBOPS is not executable" >&2; exit 2; }
[ -n "${PGPORT:-}" ] || { echo "FATAL: no server (run through tests/with-postgres.sh)" >&2; exit 2; }
command -v psql >/dev/null || { echo "SKIP: psql not installed"; exit 77; }
isolated_workdir profiles-checks

ALL="$WORK/all-output.log" # every byte dbops printed, searched for passwords at the end
: >"$ALL"

# ------------------------------------------------------------------ helpers

# run ARGS...: runs dbops with stdin from $STDIN (default /dev/null); sets RC, OUT, ERR.
run() {
  set +e
  "$DBOPS" "$@" <"${STDIN:-/dev/null}" >"$WORK/out" 2>"$WORK/err"
  RC=$?
  set -e
  OUT=$(cat "$WORK/out")
  ERR=$(cat "$WORK/err")
  cat "$WORK/out" "$WORK/err" >>"$ALL" # outputs only: the arguments may hold a test password
}
q() { psql -X -v ON_ERROR_STOP=1 -qAt -d "$DB" -c "$1"; } # q SQL: one query on the test database
no_file_has() { # no_file_has DIR TEXT: grep -r finds TEXT nowhere under DIR
  if grep -rqF -- "$2" "$1"; then echo "    found in: $(grep -rlF -- "$2" "$1" | tr '\n' ' ')"; return 1; fi
}
short_interest() { q "SELECT is_active FROM factor_definitions WHERE name = 'Short Interest'"; }
journal_lines() { if [ -f "$XDG_DATA_HOME/dbops/journal.jsonl" ]; then wc -l <"$XDG_DATA_HOME/dbops/journal.jsonl"; else echo 0; fi; }

# ------------------------------------------------------------------ database at the production revision
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "DROP ROLE IF EXISTS support" >/dev/null 2>&1
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE $DB" >/dev/null
set +e
"$DBOPS" --migrations "$MIG" sql upgrade --to "$PROD_REV" | psql -X -q -v ON_ERROR_STOP=1 -d "$DB" >"$WORK/psql.log" 2>&1
PIPE_RC=("${PIPESTATUS[@]}")
set -e
check "database at $PROD_REV: dbops sql | psql succeeded" eq "${PIPE_RC[*]}" "0 0"
check "database at $PROD_REV: version table says so" eq "$(q 'SELECT version_num FROM alembic_version')" "$PROD_REV"

# ------------------------------------------------------------------ profile add / list / show
run profile list
check "profile list with no profiles: exit 0" rc_is 0
check "profile list with no profiles: says how to add one" has "$OUT" "dbops profile add"

run profile add prod --url "postgresql://postgres@127.0.0.1:$PGPORT/$DB" --production --sslmode disable \
  --color '#cc0000' --lock-timeout 5
check "profile add prod (--url, --production): exit 0" rc_is 0
check "profile add prod: confirms" has "$OUT" "Added profile 'prod'"
check "profile add prod: production warning about sslmode" has "$ERR" "sslmode=disable"
check "profile file is in \$XDG_CONFIG_HOME/dbops/profiles.conf" test -f "$XDG_CONFIG_HOME/dbops/profiles.conf"

run profile add prod --host 127.0.0.1
check "profile add of an existing name: exit 2" rc_is 2
check "profile add of an existing name: points to edit" has "$ERR" "dbops profile edit prod"

run profile add staging --host 127.0.0.1 --port "$PGPORT" --dbname "$DB" --user postgres --sslmode prefer \
  --connect-timeout 3 --application-name dbops-test --version-table alembic_version --statement-timeout 30 \
  --migrations "$MIG" --journal-in-database --options "target_session_attrs=any"
check "profile add staging (field flags): exit 0" rc_is 0
check "profile add staging: no warnings (not production)" eq "$ERR" ""

run profile add bad --host h --sslmode sometimes
check "profile add with a bad sslmode: exit 2" rc_is 2
check "profile add with a bad sslmode: names the field" has "$ERR" "field 'sslmode'"
run profile add bad --host h --port many
check "profile add with a bad port: exit 2" rc_is 2
run profile add bad --url "host=h password=$SECRET bogus=1"
check "profile add with a bad URL: exit 2" rc_is 2
check "profile add with a bad URL: names the keyword" has "$ERR" "bogus"
run profile add bad --host h --options "password=$SECRET"
check "profile add with a password in --options: exit 2" rc_is 2
check "profile add with a password in --options: explains" has "$ERR" "password does not belong in the profile file"
run profile show bad
check "refused profiles are not saved" rc_is 2

run profile list
check "profile list: exit 0" rc_is 0
check "profile list: header" matches "$OUT" '^NAME +TARGET +GROUPS +FLAGS$'
check "profile list: prod with target and flag" matches "$OUT" "^prod +postgres@127\.0\.0\.1:$PGPORT/$DB +production$"
check "profile list: staging" matches "$OUT" "^staging +postgres@127\.0\.0\.1:$PGPORT/$DB +journal-in-database$"

run profile list --json
check "profile list --json: exit 0" rc_is 0
check "profile list --json: two profiles with their fields" json_ok "$OUT" \
  "[p['name'] for p in d['profiles']] == ['prod', 'staging'] and d['profiles'][0]['production'] is True and d['profiles'][0]['sslmode'] == 'disable' and d['profiles'][0]['lock_timeout'] == 5 and d['profiles'][1]['statement_timeout'] == 30 and d['profiles'][1]['options'] == 'target_session_attrs=any' and d['profiles'][1]['migrations'] == '$MIG'"

run profile show prod
check "profile show: exit 0" rc_is 0
check "profile show: URL without password" has "$OUT" "postgresql://postgres@127.0.0.1:$PGPORT/$DB"
check "profile show: production" matches "$OUT" '^Production: +yes$'
check "profile show: password state (keychain off)" has "$OUT" "keychain unavailable"
check "profile show: production warning" has "$ERR" "sslmode=disable"
run profile show prod --json
check "profile show --json: fields" json_ok "$OUT" \
  "d['name'] == 'prod' and d['dbname'] == '$DB' and d['color'] == '#cc0000' and d['password'] == 'unavailable' and len(d['warnings']) == 1"
run profile show nosuch
check "profile show of an unknown profile: exit 2, lists the profiles" \
  eval '[ "$RC" -eq 2 ] && grep -qF "profiles: prod, staging" <<<"$ERR"'

run profile test prod
check "profile test prod: exit 0" rc_is 0
check "profile test prod: server version" matches "$OUT" '^Server: +PostgreSQL [0-9]+'
check "profile test prod: user" matches "$OUT" '^User: +postgres$'
check "profile test prod: TLS off" matches "$OUT" '^TLS: +off$'

run profile add badport --host 127.0.0.1 --port 1 --dbname "$DB" --user postgres
run profile test badport
check "profile test on a closed port: exit 3" rc_is 3
check "profile test on a closed port: says it cannot connect, and where" has "$ERR" "cannot connect to postgres@127.0.0.1:1/$DB"
check "profile test on a closed port: libpq's reason" matches "$ERR" 'Connection refused|could not connect'

# ------------------------------------------------------------------ checks at the production revision
run --profile prod --migrations "$MIG" checks
check "checks at $PROD_REV: exit 1" rc_is 1
check "checks at $PROD_REV: table header" matches "$OUT" '^CHECK +EXPECTED +ACTUAL +OK$'
check "checks at $PROD_REV: 10 active factors, not ok" matches "$OUT" '^active style/macro factors +9 active +10 active: .*Short Interest.* +FAIL$'
check "checks at $PROD_REV: Short Interest active, not ok" matches "$OUT" '^Short Interest inactive +is_active = false +is_active = true +FAIL$'
check "checks at $PROD_REV: a new table missing" matches "$OUT" '^table ai_insights +present +missing +FAIL$'
check "checks at $PROD_REV: a base table present" matches "$OUT" '^table users +present +present +ok$'
check "checks at $PROD_REV: 7 tables missing" eq "$(grep -cE '^table .* missing +FAIL$' <<<"$OUT")" 7
check "checks at $PROD_REV: summary" has "$OUT" "3 check(s): 0 ok, 3 failed"
check "checks at $PROD_REV: names the fix" has "$OUT" "dbops fix short-interest-inactive"

run checks --json --profile prod --migrations "$MIG"
check "checks --json: exit 1" rc_is 1
check "checks --json: shape" json_ok "$OUT" \
  "d['ok'] is False and [c['name'] for c in d['checks']] == ['active-style-macro-factors', 'migration-tables-present', 'short-interest-inactive'] and len(d['checks'][1]['rows']) == 16 and d['checks'][2]['fix'] == 'short-interest-inactive' and d['checks'][2]['rows'][0]['ok'] is False"

# ------------------------------------------------------------------ the rest of the migrations
set +e
"$DBOPS" --migrations "$MIG" sql upgrade --from "$PROD_REV" --to head | psql -X -q -v ON_ERROR_STOP=1 -d "$DB" >"$WORK/psql.log" 2>&1
PIPE_RC=("${PIPESTATUS[@]}")
set -e
check "upgrade $PROD_REV -> head with dbops sql | psql" eq "${PIPE_RC[*]}" "0 0"

run -p prod --migrations "$MIG" checks
check "checks at head before the fix: exit 1 (only Short Interest)" rc_is 1
check "checks at head before the fix: every table present" eq "$(grep -cE '^table .* present +present +ok$' <<<"$OUT")" 16
check "checks at head before the fix: summary" has "$OUT" "3 check(s): 1 ok, 2 failed"

# ------------------------------------------------------------------ fix: guards
run -p prod --migrations "$MIG" fix short-interest-inactive
check "fix on a production profile without --confirm: exit 2" rc_is 2
check "fix without --confirm: says how to confirm" has "$ERR" "--confirm $DB"
check "fix without --confirm: nothing changed" eq "$(short_interest)" "t"
check "fix without --confirm: nothing journaled" eq "$(journal_lines)" 0

run -p prod --migrations "$MIG" fix short-interest-inactive --confirm postgres
check "fix with the wrong --confirm: exit 2" rc_is 2
check "fix with the wrong --confirm: says it does not match" has "$ERR" "does not match"
check "fix with the wrong --confirm: nothing changed" eq "$(short_interest)" "t"

run -p prod --migrations "$MIG" fix no-such-fix --confirm "$DB"
check "unknown fix: exit 2" rc_is 2
check "unknown fix: lists the fixes" has "$ERR" "fixes: short-interest-inactive"

run -p prod --migrations "$MIG" fix short-interest-inactive --confirm "$DB" --dry-run
check "fix --dry-run: exit 0" rc_is 0
check "fix --dry-run: would update 1 row" has "$OUT" "UPDATE: 1 row"
check "fix --dry-run: says it rolled back" has "$OUT" "Dry run: rolled back, nothing changed."
check "fix --dry-run: nothing changed" eq "$(short_interest)" "t"
check "fix --dry-run: nothing journaled" eq "$(journal_lines)" 0

# ------------------------------------------------------------------ fix: run, then again
run -p prod --migrations "$MIG" fix short-interest-inactive --confirm "$DB"
check "fix --confirm $DB: exit 0" rc_is 0
check "fix: prints what changed (file:line, 1 row)" matches "$OUT" '^  fixes/short-interest-inactive\.sql:[0-9]+  UPDATE: 1 row  UPDATE factor_definitions SET is_active = FALSE'
check "fix: postcondition true" matches "$OUT" '^Postcondition \(fixes/short-interest-inactive\.sql:[0-9]+\): true$'
check "fix: committed" has "$OUT" "Committed."
check "fix: Short Interest is inactive now" eq "$(short_interest)" "f"
check "fix: journaled" eq "$(journal_lines)" 1
STAMP=$(q "SELECT updated_at FROM factor_definitions WHERE name = 'Short Interest'")

run -p prod --migrations "$MIG" checks
check "checks after the fix: exit 0" rc_is 0
check "checks after the fix: 9 active factors, ok" matches "$OUT" '^active style/macro factors +9 active +9 active: .* +ok$'
check "checks after the fix: the 9 factors by name" has "$OUT" "9 active: Growth, Interest Rate Sensitivity, Low Volatility, Market Beta, Momentum, Oil Price Sensitivity, Quality, Size, Value"
check "checks after the fix: Short Interest inactive" matches "$OUT" '^Short Interest inactive +is_active = false +is_active = false +ok$'
check "checks after the fix: summary" has "$OUT" "3 check(s): 3 ok, 0 failed"

run -p prod --migrations "$MIG" fix short-interest-inactive --confirm "$DB"
check "fix again (idempotent): exit 0" rc_is 0
check "fix again: 0 rows" has "$OUT" "UPDATE: 0 rows"
check "fix again: updated_at untouched" eq "$(q "SELECT updated_at FROM factor_definitions WHERE name = 'Short Interest'")" "$STAMP"
check "fix again: journaled as well" eq "$(journal_lines)" 2

# A fix whose postcondition does not hold: exit 1, rolled back.
cp -r "$MIG" "$WORK/repo"
cat >"$WORK/repo/fixes/broken-postcondition.sql" <<'EOF'
-- fix: broken-postcondition
-- description: changes a description but checks for something else
-- repairs: short-interest-inactive

-- +change
UPDATE factor_definitions SET description = 'changed' WHERE name = 'Momentum';

-- +postcondition
SELECT false;
EOF
run -p prod --migrations "$WORK/repo" fix broken-postcondition --confirm "$DB"
check "fix with a false postcondition: exit 1" rc_is 1
check "fix with a false postcondition: says so, with file:line" matches "$ERR" 'broken-postcondition\.sql:9: the postcondition .* rolled back'
check "fix with a false postcondition: rolled back" eq "$(q "SELECT description FROM factor_definitions WHERE name = 'Momentum'")" "Trailing 12-1 month price momentum"
check "fix with a false postcondition: journaled as failed" eq "$(journal_lines)" 3

cat >"$WORK/repo/checks/zz-broken.sql" <<'EOF'
-- check: zz-broken
-- description: a check file with a write in it

DELETE FROM factor_definitions;
EOF
run -p prod --migrations "$WORK/repo" checks
check "a check file with a DELETE: exit 2" rc_is 2
check "a check file with a DELETE: file:line" matches "$ERR" 'checks/zz-broken\.sql:4:1: a check must be a query'
rm "$WORK/repo/checks/zz-broken.sql"

# A check calling a function the READ ONLY transaction lets through is
# refused from its parse tree, before it runs: the other session lives.
PGAPPNAME=dbops-victim psql -X -q -d "$DB" -c "SELECT pg_sleep(120)" >/dev/null 2>&1 &
VICTIM=$!
victims() { q "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'dbops-victim'"; }
for _ in $(seq 50); do [ "$(victims)" = 1 ] && break; sleep 0.1; done
check "a victim session is running" eq "$(victims)" 1
cat >"$WORK/repo/checks/zz-kill.sql" <<'EOF'
-- check: zz-kill
-- description: ends other sessions (pg_terminate_backend in a comment is fine)

SELECT 'sessions' AS "check", 'none' AS expected, count(*)::text AS actual,
       bool_and(pg_catalog.pg_terminate_backend(pid)) AS ok
  FROM pg_stat_activity WHERE application_name = 'dbops-victim';
EOF
run -p prod --migrations "$WORK/repo" checks
check "a check calling pg_terminate_backend: exit 2" rc_is 2
check "a check calling pg_terminate_backend: file:line:column naming the function" \
  matches "$ERR" 'checks/zz-kill\.sql:5:17: a check must not call pg_catalog\.pg_terminate_backend\(\)'
check "a check calling pg_terminate_backend: the other session is alive" eq "$(victims)" 1
kill "$VICTIM" 2>/dev/null || true
wait "$VICTIM" 2>/dev/null || true
q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'dbops-victim'" >/dev/null
rm "$WORK/repo/checks/zz-kill.sql"

# Every check runs under a statement timeout: 30 s when the profile has none.
cat >"$WORK/repo/checks/zz-timeout.sql" <<'EOF'
-- check: zz-timeout
-- description: shows the statement timeout the checks run under

SELECT 'timeout' AS "check", '30s' AS expected, current_setting('statement_timeout') AS actual,
       current_setting('statement_timeout') = '30s' AS ok;
EOF
run -p prod --migrations "$WORK/repo" checks --json
check "checks run under a 30 s statement timeout by default" json_ok "$OUT" \
  "[c['rows'][0]['actual'] for c in d['checks'] if c['name'] == 'zz-timeout'] == ['30s']"
rm "$WORK/repo/checks/zz-timeout.sql"

# -d with nothing after "//" is no "all defaults" connection.
for url in 'postgres://' 'postgresql://' 'postgresql+psycopg2://'; do
  run -d "$url" --migrations "$MIG" current
  check "-d '$url': exit 2" rc_is 2
  check "-d '$url': names the field and says why" has "$ERR" "--database: empty URL"
done
DATABASE_URL='postgres://' run --migrations "$MIG" current
check "DATABASE_URL=postgres://: exit 2, named" eval '[ "$RC" -eq 2 ] && grep -qF "DATABASE_URL: empty URL" <<<"$ERR"'
run -d "postgres:///$DB" --migrations "$MIG" current
check "-d postgres:///DB (local socket, a database named) is not refused as empty" lacks "$ERR" "empty URL"

# ------------------------------------------------------------------ a read-only profile on a SELECT-only role
psql -X -q -v ON_ERROR_STOP=1 -d "$DB" \
  -c "CREATE ROLE support LOGIN" \
  -c "GRANT CONNECT ON DATABASE $DB TO support" \
  -c "GRANT USAGE ON SCHEMA public TO support" \
  -c "GRANT SELECT ON ALL TABLES IN SCHEMA public TO support" >/dev/null
set +e
psql -X -q -U support -d "$DB" -c "UPDATE factor_definitions SET is_active = true WHERE name = 'Short Interest'" >/dev/null 2>&1
SUPPORT_WRITE_RC=$?
set -e
check "role support really cannot write" eq "$SUPPORT_WRITE_RC" 1

run profile add support --host 127.0.0.1 --port "$PGPORT" --dbname "$DB" --user support --read-only
check "profile add support --read-only: exit 0" rc_is 0
run -p support --migrations "$MIG" checks
check "checks as the SELECT-only role: exit 0" rc_is 0
check "checks as the SELECT-only role: all ok" has "$OUT" "3 check(s): 3 ok, 0 failed"
run -p support --migrations "$MIG" fix short-interest-inactive
check "fix on the read-only profile: exit 2" rc_is 2
check "fix on the read-only profile: refused as read-only" has "$ERR" "profile 'support' is read-only: fix short-interest-inactive refused"
run profile add support-offline --host 127.0.0.1 --port 1 --dbname "$DB" --user support --read-only
run -p support-offline --migrations "$MIG" fix short-interest-inactive --confirm "$DB"
check "read-only refusal comes before connecting (closed port: still exit 2, not 3)" rc_is 2
check "read-only refusal before connecting: no connection error" lacks "$ERR" "cannot connect"
check "refused fixes are not journaled" eq "$(journal_lines)" 3

run -p badport --migrations "$MIG" checks
check "checks on a closed port: exit 3" rc_is 3

run profile edit support --no-read-only --statement-timeout 7
check "profile edit --no-read-only: exit 0" rc_is 0
run profile show support --json
check "profile edit changed only what was given" json_ok "$OUT" \
  "d['read_only'] is False and d['statement_timeout'] == 7 and d['user'] == 'support' and d['port'] == $PGPORT"
run profile edit support --read-only --no-read-only
check "profile edit with contradicting switches: exit 2" rc_is 2
run profile edit nosuch --host h
check "profile edit of an unknown profile: exit 2" rc_is 2

# ------------------------------------------------------------------ passwords never stored in plain text
run profile add secret --url "postgresql://postgres:$SECRET@127.0.0.1:$PGPORT/$DB?sslmode=disable"
check "profile add with a password in the URL (keychain off): exit 0" rc_is 0
check "... the profile is saved" has "$OUT" "Added profile 'secret'"
check "... warns that the password was NOT stored" has "$ERR" "password from the URL was NOT stored"
check "... and says to use ~/.pgpass" has "$ERR" "~/.pgpass"
run profile show secret --json
check "... the profile keeps everything else" json_ok "$OUT" \
  "d['user'] == 'postgres' and d['host'] == '127.0.0.1' and d['port'] == $PGPORT and d['dbname'] == '$DB' and d['sslmode'] == 'disable'"
run profile test secret
check "... and connects (trust auth needs no password)" rc_is 0

run profile add secret2 --url "postgres://app:$SECRET2_ENC@db.invalid:6543/app"
check "profile add with a percent-encoded password: exit 0 with the warning" \
  eval '[ "$RC" -eq 0 ] && grep -qF "NOT stored" <<<"$ERR"'
run profile edit secret --url "postgresql://postgres:$SECRET@127.0.0.1:$PGPORT/$DB"
check "profile edit with a password in the URL: exit 0 with the warning" \
  eval '[ "$RC" -eq 0 ] && grep -qF "NOT stored" <<<"$ERR"'
printf '%s\n' "$SECRET3" >"$WORK/typed"
STDIN="$WORK/typed" run profile edit secret --password-prompt
check "profile edit --password-prompt from a pipe: exit 0" rc_is 0
check "profile edit --password-prompt (keychain off): warns" has "$ERR" "password from the prompt was NOT stored"
run profile add bad --url "postgresql://u:$SECRET@h:99999/d"
check "a bad URL with a password: exit 2" rc_is 2

run profile list
run profile show secret2
run journal --json
for pw in "$SECRET" "$SECRET2" "$SECRET2_ENC" "$SECRET3"; do
  check "password '$pw' is not in \$XDG_CONFIG_HOME" no_file_has "$XDG_CONFIG_HOME" "$pw"
  check "password '$pw' is not in \$XDG_DATA_HOME (journal)" no_file_has "$XDG_DATA_HOME" "$pw"
  check "password '$pw' is in no output of dbops" no_file_has "$ALL" "$pw"
done

# ------------------------------------------------------------------ remove
run profile remove secret2
check "profile remove: exit 0 (keychain off is ignored)" rc_is 0
check "profile remove: confirms" has "$OUT" "Removed profile 'secret2'"
run profile show secret2
check "profile remove: gone" rc_is 2
run profile remove secret2
check "profile remove of an unknown profile: exit 2" rc_is 2

# ------------------------------------------------------------------ journal
run journal --json
check "journal --json: exit 0" rc_is 0
check "journal --json: the fix records, newest first" json_ok "$OUT" \
  "len(d['records']) == 3 and d['records'][0]['action'] == 'fix broken-postcondition' and d['records'][0]['outcome'] == 'failed' and 'postcondition' in d['records'][0]['error'] and all(r['action'] == 'fix short-interest-inactive' and r['outcome'] == 'success' and r['profile'] == 'prod' and r['database_user'] == 'postgres' and r['target'] == 'postgres@127.0.0.1:$PGPORT/$DB' for r in d['records'][1:]) and d['records'][0]['started_at'] >= d['records'][1]['started_at'] >= d['records'][2]['started_at']"
run journal --json --limit 1
check "journal --json --limit 1: one record" json_ok "$OUT" "len(d['records']) == 1"
run journal
check "journal: exit 0" rc_is 0
check "journal: table with the fix" matches "$OUT" "fix short-interest-inactive +prod +postgres@127\.0\.0\.1:$PGPORT/$DB +postgres +success"
run journal --limit many
check "journal --limit many: exit 2" rc_is 2

# ------------------------------------------------------------------ help
for c in "profile add" "profile edit" "profile list" "profile show" "profile remove" "profile test" checks fix journal; do
  # shellcheck disable=SC2086
  run $c --help
  check "$c --help: exit 0 and usage names 'dbops $c'" eval '[ "$RC" -eq 0 ] && grep -qE "^Usage: dbops $c " <<<"$OUT"'
done
run profile
check "profile without a subcommand: exit 2" rc_is 2
run profile frobnicate
check "profile frobnicate: exit 2" rc_is 2
run --help
lists_commands() { local c; for c in "$@"; do grep -qE "^  $c +[A-Z]" <<<"$OUT" || { echo "    '$c' not listed"; return 1; }; done; }
check "--help lists profile, checks, fix and journal" lists_commands profile checks fix journal

psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "DROP ROLE IF EXISTS support" >/dev/null 2>&1 || true
finish
