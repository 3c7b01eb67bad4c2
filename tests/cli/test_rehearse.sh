#!/usr/bin/env bash
# dbops rehearse against a real PostgreSQL server: the team's 23 pending
# revisions on a copy of a database at 19c513d3bf90 with the demo data
# (round trip green, the database itself untouched: schema, version table,
# row counters), the record it leaves, a rehearsal that fails on the copy
# (file:line, the target still untouched), and a production profile's copy
# going to a throwaway local server, never its own.
#
#   tests/with-postgres.sh tests/cli/test_rehearse.sh DBOPS_BINARY [SOURCE_DIR]
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
isolated_workdir rehearse
RECORDS="$XDG_DATA_HOME/dbops/rehearsals.jsonl"

run() { capture "$DBOPS" --migrations "$MIG" "$@"; }
psql_q() { psql -X -v ON_ERROR_STOP=1 -qAt "$@"; }
revision() { psql_q -d "$1" -c "SELECT string_agg(version_num, ',') FROM alembic_version"; }
# What a write would change: the schema, and the row counters (read after the statistics are flushed).
fingerprint() {
  "$PG_DUMP" --schema-only --no-owner -d "$1" | grep -v -e '^--' -e '^.restrict ' -e '^.unrestrict ' | sha256sum | cut -c1-16
  psql_q -d "$1" -c "SELECT count(*) FROM factor_definitions WHERE is_active"
}
row_writes() {
  sleep 1.2 # the server flushes its counters at most once a second
  psql_q -d "$1" -c "SELECT pg_stat_clear_snapshot()" -c "SELECT tup_inserted + tup_updated + tup_deleted FROM pg_stat_database WHERE datname = '$1'"
}
databases() { psql_q -d postgres -c "SELECT count(*) FROM pg_database WHERE datname LIKE 'dbops_shadow_%'"; }

# ------------------------------------------------------------------ a database at 19c513d3bf90 with the demo data
psql_q -d postgres -c "CREATE DATABASE app"
URL=$(local_url app)
run -d "$URL" upgrade "$PROD_REV"
[ "$RC" -eq 0 ] || { echo "FATAL: preparing app failed"; show_outputs; exit 2; }
psql_q -d app --single-transaction -f "$SRC/scripts/demo-data.sql" >/dev/null
before=$(fingerprint app)
writes_before=$(row_writes app)

run -d "$URL" rehearse --json
check "rehearse: exit 0" rc_is 0
check "rehearse: 23 revisions, round trip green" json_ok "$OUT" \
  "d['ok'] and len(d['revisions']) == 23 and [p['name'] for p in d['phases']] == ['upgrade', 'downgrade', 'upgrade again'] and all(p['ok'] for p in d['phases'])"
check "rehearse: from the production revision to head" json_ok "$OUT" \
  "d['from'] == ['$PROD_REV'] and d['end_heads'] == ['$HEAD_REV']"
check "rehearse: the version table and rehearse.conf's tables copied" json_ok "$OUT" \
  "d['copied_tables'] == ['alembic_version', 'factor_definitions']"
check "rehearse: per revision, time, outcome, locks and what it creates" json_ok "$OUT" \
  "all(r['outcome'] == 'applied' and r['milliseconds'] >= 0 for r in d['revisions']) and any('ACCESS EXCLUSIVE on portfolio_snapshots' in r['locks'] for r in d['revisions']) and any('table ai_insights' in r['created'] for r in d['revisions'])"
check "rehearse: the SQL's SHA-256 is the upgrade's" json_ok "$OUT" "len(d['sql_sha256']) == 64"
sha=$(/usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["sql_sha256"])' <<<"$OUT")
check "the target is untouched: version table" eq "$(revision app)" "$PROD_REV"
check "the target is untouched: schema and data" eq "$(fingerprint app)" "$before"
check "the target is untouched: no row written (pg_stat_database)" eq "$(row_writes app)" "$writes_before"
check "the copy is gone" eq "$(databases)" 0
check "the rehearsal is recorded (0600)" eq "$(stat -c %a "$RECORDS")" 600
check "the record has the SQL's hash" has "$(cat "$RECORDS")" "\"sql_sha256\":\"$sha\""

# The guarded upgrade shows the matching rehearsal (the console ticks "Tested" with it).
run -d "$URL" upgrade --sql
check "upgrade names the matching rehearsal" has "$ERR" "Rehearsal: rehearsed"
run -d "$URL" rehearse
check "text: the phases and the verdict" has "$OUT" "Result:   green: the upgrade, the downgrade and the upgrade again ran on the copy"
check "text: a row per revision" matches "$OUT" "^b61d8f2e4a70 .*applied +ACCESS EXCLUSIVE on portfolio_snapshots"

# ------------------------------------------------------------------ a rehearsal that fails on the copy
psql_q -d postgres -c "CREATE DATABASE broken TEMPLATE app"
psql_q -d broken -c "CREATE TABLE ai_insights (id integer)"
broken_before=$(fingerprint broken)
run -d "$(local_url broken)" rehearse --json
check "failing rehearsal: exit 4" rc_is 4
check "failing rehearsal: the upgrade failed on the copy, file:line named" json_ok "$OUT" \
  "not d['ok'] and not d['phases'][0]['ok'] and 'migrations/versions/' in d['phases'][0]['error'] and 'already exists' in d['phases'][0]['error']"
check "failing rehearsal: no downgrade after a failed upgrade" json_ok "$OUT" "len(d['phases']) == 1"
check "failing rehearsal: the target never saw it" eq "$(revision broken),$(fingerprint broken)" "$PROD_REV,$broken_before"
check "failing rehearsal: recorded as failed" has "$(tail -n 1 "$RECORDS")" '"ok":false'
# The guarded upgrade knows: this exact SQL failed on a copy, so it refuses.
run -d "$(local_url broken)" upgrade
check "upgrade after a failed rehearsal of the same SQL: exit 2" rc_is 2
check "upgrade after a failed rehearsal: says why" has "$ERR" "failed its rehearsal on a copy"
check "upgrade after a failed rehearsal: nothing ran" eq "$(revision broken)" "$PROD_REV"

# ------------------------------------------------------------------ nothing to do, bad input
run -d "$URL" rehearse "$PROD_REV"
check "at the target already: exit 0, nothing to do" has "$RC:$OUT" "0:"
check "at the target already: says so" has "$OUT" "Nothing to do"
run -d "$URL" rehearse nosuchrev
check "an unknown revision: exit 2" rc_is 2

# ------------------------------------------------------------------ production: never its own server
run profile add prod --url "$URL" --production --sslmode disable
run -p prod rehearse --no-round-trip --json
check "production: exit 0" rc_is 0
check "production: the copy went to a throwaway local server" json_ok "$OUT" "'throwaway local' in d['shadow']"
check "production: only the upgrade (--no-round-trip)" json_ok "$OUT" "[p['name'] for p in d['phases']] == ['upgrade']"
check "production: nothing created on its server" eq "$(databases)" 0
check "production: untouched" eq "$(revision app)" "$PROD_REV"
finish
