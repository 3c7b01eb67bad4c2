#!/usr/bin/env bash
# Fleet upgrade (rollout) through the `dbops` binary, against a real
# PostgreSQL server: the canary fails and nothing else is touched;
# --keep-going upgrades the rest and names exactly what failed; running it
# again resumes; production databases need the fleet's name typed once;
# read-only members refuse the rollout before it starts; the JSON and HTML
# reports.
#
#   tests/with-postgres.sh tests/cli/test_fleet_rollout.sh DBOPS_BINARY [SOURCE_DIR]
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

[ -x "$DBOPS" ] || { echo "FATAL: $DBOPS is not executable" >&2; exit 2; }
[ -n "${PGPORT:-}" ] || { echo "FATAL: no server (run through tests/with-postgres.sh)" >&2; exit 2; }
command -v psql >/dev/null || { echo "SKIP: psql not installed"; exit 77; }
isolated_workdir fleet-rollout
JOURNAL="$XDG_DATA_HOME/dbops/journal.jsonl"

run() { capture "$DBOPS" --migrations "$MIG" "$@"; }
psql_q() { psql -X -v ON_ERROR_STOP=1 -qAt "$@"; }
revision() { psql_q -d "$1" -c "SELECT string_agg(version_num, ',') FROM alembic_version"; }

# ------------------------------------------------------------------ 50 databases at mixed revisions
# roll_01..roll_40 at the production revision, roll_41..roll_44 half way,
# roll_45..roll_47 at head, and three that cannot be reached.
MID_REV=2a8d5f1c7e94
psql_q -d postgres -c "CREATE DATABASE roll_tpl" -c "CREATE DATABASE roll_tpl_mid"
run -d "$(local_url roll_tpl)" upgrade "$PROD_REV"
[ "$RC" -eq 0 ] || { echo "FATAL: preparing roll_tpl failed"; show_outputs; exit 2; }
run -d "$(local_url roll_tpl_mid)" upgrade "$MID_REV"
: >"$WORK/fleet.txt"
for n in $(seq -w 1 47); do
  if [ "$((10#$n))" -le 40 ]; then tpl=roll_tpl; else tpl=roll_tpl_mid; fi
  psql_q -d postgres -c "CREATE DATABASE roll_$n TEMPLATE $tpl"
  local_url "roll_$n" >>"$WORK/fleet.txt"
done
# roll_01, the canary, fails: a table a pending revision creates is there already.
psql_q -d roll_01 -c "CREATE TABLE ai_insights (id integer)"
for n in 45 46 47; do run -d "$(local_url "roll_$n")" upgrade head; done
{
  echo "postgresql://postgres@127.0.0.1:1/closed_port"
  echo "postgresql://postgres@127.0.0.1:$PGPORT/no_such_database"
  echo "postgresql://postgres@10.255.255.1:5432/no_answer"
} >>"$WORK/fleet.txt"
untouched() { # untouched FROM TO: roll_FROM .. roll_TO still at the production revision
  local n bad=""
  for n in $(seq -w "$1" "$2"); do [ "$(revision "roll_$n")" = "$PROD_REV" ] || bad="$bad roll_$n"; done
  [ -z "$bad" ] || { echo "    moved:$bad"; return 1; }
}

# ------------------------------------------------------------------ the canary fails: the rest is untouched
run fleet upgrade --url-file "$WORK/fleet.txt" --canary 1 --batch 4 --connect-timeout 2 --json \
  --report "$WORK/report.json" --html "$WORK/report.html"
check "failing canary: exit 4 (a run failed)" rc_is 4
check "failing canary: it failed, everything else not started" json_ok "$OUT" \
  "d['databases'][0]['outcome'] == 'failed' and all(x['outcome'] == 'not started' for x in d['databases'][1:]) and d['stopped']"
check "failing canary: the error names the statement's problem" json_ok "$OUT" \
  "'ai_insights' in d['databases'][0]['error'] and 'already exists' in d['databases'][0]['error']"
check "failing canary: the canary was rolled back" eq "$(revision roll_01)" "$PROD_REV"
check "failing canary: roll_02..roll_40 untouched" untouched 02 40
check "failing canary: roll_41 still half way" eq "$(revision roll_41)" "$MID_REV"
check "failing canary: the JSON report file matches" json_ok "$(cat "$WORK/report.json")" \
  "d['databases'][0]['outcome'] == 'failed' and d['exit_code'] == 4"
check "the JSON report is 0600" eq "$(stat -c %a "$WORK/report.json")" 600
check "the HTML report names the failed canary" has "$(cat "$WORK/report.html")" '<tr class="failed"><td>canary</td>'
check "the HTML report says it stopped" has "$(cat "$WORK/report.html")" "Stopped:"

# ------------------------------------------------------------------ --keep-going: exactly which failed
run fleet upgrade --url-file "$WORK/fleet.txt" --canary 1 --batch 8 --keep-going --connect-timeout 2 --json
check "--keep-going: exit 4 (the first failure's code)" rc_is 4
check "--keep-going: failed = roll_01 (run) and the three unreachable" json_ok "$OUT" \
  "[(x['name'].rsplit('/', 1)[1], x['outcome']) for x in d['databases'] if x['outcome'] not in ('upgraded', 'nothing to do')] == [('roll_01', 'failed'), ('closed_port', 'unreachable'), ('no_such_database', 'unreachable'), ('no_answer', 'unreachable')]"
check "--keep-going: roll_02..roll_44 upgraded from where each stood" json_ok "$OUT" \
  "all(x['outcome'] == 'upgraded' and x['before'] == ['$PROD_REV'] and x['after'] == ['$HEAD_REV'] for x in d['databases'][1:40]) and all(x['outcome'] == 'upgraded' and x['before'] == ['$MID_REV'] for x in d['databases'][40:44])"
check "--keep-going: roll_45..roll_47 had nothing to do" json_ok "$OUT" \
  "all(x['outcome'] == 'nothing to do' for x in d['databases'][44:47])"
check "--keep-going: batches of 8 after the canary" json_ok "$OUT" \
  "[x['batch'] for x in d['databases']] == [0] + [1 + i // 8 for i in range(49)]"
check "--keep-going: the summary counts" json_ok "$OUT" \
  "d['summary'] == {'upgraded': 43, 'nothing to do': 3, 'failed': 1, 'unreachable': 3}"
check "--keep-going: roll_05 and roll_41 are at head" eq "$(revision roll_05),$(revision roll_41)" "$HEAD_REV,$HEAD_REV"

# ------------------------------------------------------------------ resume: the failed one fixed, run again
psql_q -d roll_01 -c "DROP TABLE ai_insights"
grep -v -e closed_port -e no_such_database -e no_answer "$WORK/fleet.txt" >"$WORK/reachable.txt"
run fleet upgrade --url-file "$WORK/reachable.txt" --batch 4
check "resume: exit 0" rc_is 0
check "resume: roll_01 upgraded, the rest already there" has "$OUT" "Summary: 1 upgraded, 46 nothing to do"
check "resume: roll_01 at head" eq "$(revision roll_01)" "$HEAD_REV"
run fleet status --url-file "$WORK/reachable.txt" --check
check "fleet status --check afterwards: every database up to date" rc_is 0

# ------------------------------------------------------------------ production: the fleet's name typed once
for n in 1 2 3; do
  psql_q -d postgres -c "CREATE DATABASE prod_$n TEMPLATE roll_tpl"
  run profile add "eu-$n" --url "$(local_url "prod_$n")" --group prod-eu --production --sslmode disable
done
production_revisions() { echo "$(revision prod_1),$(revision prod_2),$(revision prod_3)"; }
run fleet upgrade --group prod-eu
check "production group without --confirm: exit 2" rc_is 2
check "production group without --confirm: says what to type" has "$ERR" "typing the fleet's name, 'prod-eu'"
check "production group without --confirm: nothing touched" eq "$(production_revisions)" "$PROD_REV,$PROD_REV,$PROD_REV"
run fleet upgrade --group prod-eu --confirm prod-us
check "a wrong --confirm: exit 2, named" has "$RC:$ERR" "2:"
check "a wrong --confirm: it does not match" has "$ERR" "'prod-us' does not match"
lines_before=$(wc -l <"$JOURNAL")
run fleet upgrade --group prod-eu --confirm prod-eu --canary 1 --batch 2
check "--confirm prod-eu: exit 0" rc_is 0
check "--confirm prod-eu: all three upgraded" eq "$(production_revisions)" "$HEAD_REV,$HEAD_REV,$HEAD_REV"
check "journal: one record per database and one for the rollout" eq "$(($(wc -l <"$JOURNAL") - lines_before))" 4
check "journal: the rollout's record says how production was confirmed" \
  has "$(tail -n 1 "$JOURNAL")" "3 production, confirmed by typing the fleet's name"

# ------------------------------------------------------------------ a read-only member refuses the whole rollout
psql_q -d postgres -c "CREATE DATABASE staging_1 TEMPLATE roll_tpl" -c "CREATE DATABASE staging_2 TEMPLATE roll_tpl"
run profile add staging-1 --url "$(local_url staging_1)" --group staging
run profile add staging-ro --url "$(local_url staging_2)" --group staging --read-only
run fleet upgrade --group staging
check "a read-only member: exit 2" rc_is 2
check "a read-only member: named" has "$ERR" "staging-ro"
check "a read-only member: nothing touched" eq "$(revision staging_1)" "$PROD_REV"

run fleet upgrade --group staging --batch 0
check "--batch 0: exit 2" rc_is 2
finish
