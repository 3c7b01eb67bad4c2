#!/usr/bin/env bash
# Fleet status through the `dbops` binary, against a real PostgreSQL server:
# 50 databases at mixed revisions (up to date, behind at the production
# revision and half way, base, an unknown revision) plus three that cannot
# be reached (a closed port, a database that does not exist, a host that
# does not answer), read in parallel; groups of profiles; bad URL files.
#
#   tests/with-postgres.sh tests/cli/test_fleet.sh DBOPS_BINARY [SOURCE_DIR]
set -euo pipefail

[ $# -ge 1 ] || { echo "usage: $0 DBOPS_BINARY [SOURCE_DIR]" >&2; exit 2; }
DBOPS=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=$(cd "${2:-$SCRIPT_DIR/../..}" && pwd)
# shellcheck source=tests/lib/check.sh
source "$SRC/tests/lib/check.sh"
MIG="$SRC/migrations"
HEAD_REV=792ffb1ab1ad
PROD_REV=19c513d3bf90
MID_REV=2a8d5f1c7e94 # 7 revisions before head
SECRET='Fleet-Pw_9zq' # trust auth takes any password; it must never be printed

[ -x "$DBOPS" ] || { echo "FATAL: $DBOPS is not executable" >&2; exit 2; }
[ -n "${PGPORT:-}" ] || { echo "FATAL: no server (run through tests/with-postgres.sh)" >&2; exit 2; }
command -v psql >/dev/null || { echo "SKIP: psql not installed"; exit 77; }
isolated_workdir fleet

run() { capture "$DBOPS" --migrations "$MIG" "$@"; }
psql_q() { psql -X -v ON_ERROR_STOP=1 -qAt "$@"; }

# ------------------------------------------------------------------ 50 databases at mixed revisions
psql_q -d postgres -c "CREATE DATABASE fleet_tpl" -c "CREATE DATABASE fleet_tpl_base"
psql_q -d fleet_tpl -c "CREATE TABLE alembic_version (version_num varchar(32) NOT NULL PRIMARY KEY)"
revision_of() { # revision_of N: the revision database N is at ('' = base: no version table)
  if [ "$1" -le 20 ]; then echo "$HEAD_REV"
  elif [ "$1" -le 40 ]; then echo "$PROD_REV"
  elif [ "$1" -le 45 ]; then echo "$MID_REV"
  elif [ "$1" -le 48 ]; then echo ""
  else echo "deadbeef0000"; fi
}
: >"$WORK/urls.txt"
echo "# the team's databases" >>"$WORK/urls.txt"
for n in $(seq -w 1 50); do
  rev=$(revision_of "$((10#$n))")
  if [ -n "$rev" ]; then
    psql_q -d postgres -c "CREATE DATABASE fleet_$n TEMPLATE fleet_tpl"
    psql_q -d "fleet_$n" -c "INSERT INTO alembic_version VALUES ('$rev')"
  else
    psql_q -d postgres -c "CREATE DATABASE fleet_$n TEMPLATE fleet_tpl_base"
  fi
  echo "postgresql://postgres:$SECRET@127.0.0.1:$PGPORT/fleet_$n" >>"$WORK/urls.txt"
done
{
  echo
  echo "postgresql://postgres@127.0.0.1:1/closed_port"
  echo "postgresql://postgres@127.0.0.1:$PGPORT/no_such_database"
  echo "postgresql://postgres@10.255.255.1:5432/no_answer"
} >>"$WORK/urls.txt"

# ------------------------------------------------------------------ status of all 53
run fleet status --url-file "$WORK/urls.txt" --connect-timeout 2 --json
check "53 databases, 3 unreachable: exit 3 (database error)" rc_is 3
check "every database is listed, in the file's order" json_ok "$OUT" \
  "len(d['databases']) == 53 and [x['name'].rsplit('/', 1)[1] for x in d['databases']][:50] == ['fleet_%02d' % i for i in range(1, 51)]"
check "summary: 20 up to date, 25 behind, 3 base, 2 unknown, 3 unreachable" json_ok "$OUT" \
  "d['summary'] == {'up to date': 20, 'behind': 25, 'base': 3, 'unknown revision': 2, 'unreachable': 3}"
check "the production revision is 23 behind, half way is 7" json_ok "$OUT" \
  "all(x['pending'] == 23 for x in d['databases'][20:40]) and all(x['pending'] == 7 for x in d['databases'][40:45])"
check "up to date: pending 0, at the head revision" json_ok "$OUT" \
  "all(x['pending'] == 0 and x['revisions'] == ['$HEAD_REV'] and x['state'] == 'up to date' for x in d['databases'][:20])"
check "base: no version table" json_ok "$OUT" \
  "all(not x['version_table_exists'] and x['state'] == 'base' for x in d['databases'][45:48])"
check "an unknown revision is named" json_ok "$OUT" \
  "all(x['unknown_revisions'] == ['deadbeef0000'] for x in d['databases'][48:50])"
check "unreachable ones say why, with the line they came from" json_ok "$OUT" \
  "all(not x['reachable'] and x['error'] for x in d['databases'][50:]) and d['databases'][50]['origin'].endswith('urls.txt:53')"
check "no password in the output" lacks "$OUT$ERR" "$SECRET"

run fleet status --url-file "$WORK/urls.txt" --connect-timeout 2
check "text: a table and a summary line" has "$OUT" "Summary: 20 up to date, 25 behind, 3 base, 2 unknown revision, 3 unreachable"
check "text: the production revision row" matches "$OUT" "fleet_21 +19c513d3bf90 +23 +behind"
check "text: no password" lacks "$OUT$ERR" "$SECRET"

# --check: 0 only when every database is reachable and up to date.
head -n 21 "$WORK/urls.txt" >"$WORK/heads.txt"
run fleet status --url-file "$WORK/heads.txt" --check
check "--check on 20 up-to-date databases: exit 0" rc_is 0
sed -n 2,22p "$WORK/urls.txt" >"$WORK/mixed.txt"
run fleet status --url-file "$WORK/mixed.txt" --check
check "--check with one behind: exit 1" rc_is 1
run fleet status --url-file "$WORK/mixed.txt"
check "without --check, behind is not an error: exit 0" rc_is 0

# Each database's applied revisions are verified (checksums, dbops verify).
psql_q -d postgres -c "CREATE DATABASE fleet_verified"
"$DBOPS" --migrations "$MIG" -d "$(local_url fleet_verified)" upgrade >/dev/null 2>&1
psql_q -d fleet_verified -c "UPDATE dbops_applied_revisions SET sha256 = repeat('0', 64) WHERE revision = '$PROD_REV'"
printf '%s\n%s\n' "$(local_url fleet_01)" "$(local_url fleet_verified)" >"$WORK/verified.txt"
run fleet status --url-file "$WORK/verified.txt" --json
check "verify: a changed applied revision is reported for its database" json_ok "$OUT" \
  "d['databases'][1]['verify']['clean'] is False and '$PROD_REV' in d['databases'][1]['verify']['findings'][0]"
check "verify: a database without checksums is clean (no checksum recorded is no problem)" json_ok "$OUT" \
  "d['databases'][0]['verify']['clean'] is True"
run fleet status --url-file "$WORK/verified.txt" --check
check "verify: --check fails while an applied file changed" rc_is 1
check "verify: the text names it" has "$OUT" "verify: "

# --jobs 1 gives the same answer as the pool.
run fleet status --url-file "$WORK/mixed.txt" --jobs 1 --json
check "--jobs 1: same states" json_ok "$OUT" "d['summary'] == {'up to date': 20, 'behind': 1}"

# --checks runs the repository's read-only data checks on each database.
run fleet status --url-file "$WORK/heads.txt" --checks --json
check "--checks: a result per database (the fleet databases lack the factor tables: failed)" json_ok "$OUT" \
  "all('checks' in x and x['checks']['failed'] > 0 for x in d['databases'])"

# ------------------------------------------------------------------ groups of profiles
for n in 01 21 46; do
  run profile add "eu-$n" --url "$(local_url "fleet_$n")" --group prod-eu --group all
  check "profile add eu-$n --group prod-eu: exit 0" rc_is 0
done
run profile add us-01 --url "$(local_url fleet_02)" --group prod-us
run profile list
check "profile list shows the groups" matches "$OUT" "eu-01 .* all,prod-eu|eu-01 .* prod-eu,all"
run fleet status --group prod-eu --json
check "--group prod-eu: its three profiles" json_ok "$OUT" \
  "[x['name'] for x in d['databases']] == ['eu-01', 'eu-21', 'eu-46'] and [x['state'] for x in d['databases']] == ['up to date', 'behind', 'base']"
run fleet status --group nowhere
check "an unknown group: exit 2" rc_is 2
check "an unknown group: the groups there are" has "$ERR" "groups: all, prod-eu, prod-us"
run profile edit us-01 --no-groups
run profile show us-01 --json
check "profile edit --no-groups" json_ok "$OUT" "d['groups'] == []"
run profile add bad --url "$(local_url fleet_01)" --group 'bad name'
check "a bad group name: exit 2" rc_is 2

# ------------------------------------------------------------------ bad input
printf 'postgresql://postgres@127.0.0.1:%s/fleet_01\n\n# fine so far\npostgresql://[::1\n' "$PGPORT" >"$WORK/bad.txt"
run fleet status --url-file "$WORK/bad.txt"
check "a bad URL: exit 2" rc_is 2
check "a bad URL: named by file:line" has "$ERR" "bad.txt:4"
printf 'no-such-profile\n' >"$WORK/names.txt"
run fleet status --url-file "$WORK/names.txt"
check "an unknown profile name: exit 2, file:line" has "$RC:$ERR" "2:"
check "an unknown profile name: named" has "$ERR" "names.txt:1"
printf '%s\n%s\n' "$(local_url fleet_01)" "$(local_url fleet_01)" >"$WORK/twice.txt"
run fleet status --url-file "$WORK/twice.txt"
check "a database listed twice: exit 2" rc_is 2
run fleet status
check "neither --group nor --url-file: exit 2" rc_is 2
run fleet status --url-file "$WORK/missing.txt"
check "a missing URL file: error names it" has "$ERR" "missing.txt"
run fleet status --url-file "$WORK/heads.txt" --jobs 0
check "--jobs 0: exit 2" rc_is 2

for n in $(seq -w 1 50); do psql_q -d postgres -c "DROP DATABASE fleet_$n"; done
finish
