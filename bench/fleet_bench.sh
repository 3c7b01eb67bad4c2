#!/usr/bin/env bash
# Fleet status speed: `dbops fleet status` on N databases (default 200) of
# one throwaway local server, against the same N databases read one after
# the other with `dbops current` (what a script looping over a URL file
# does), in the same run; best of --runs each (default 3).  Prints both
# times and the ratio.  Goal (docs/benchmarks.md): 200 databases in under
# 2 s on a 2-core machine.
#
#   bench/fleet_bench.sh DBOPS_BINARY [DATABASES] [RUNS]
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 DBOPS_BINARY [DATABASES] [RUNS]" >&2; exit 2; }
DBOPS=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
N=${2:-200}
RUNS=${3:-3}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=$(mktemp -d /tmp/dbops-fleet-bench.XXXXXX)
chmod 755 "$WORK"
export XDG_CONFIG_HOME="$WORK/config" XDG_DATA_HOME="$WORK/data" DBOPS_KEYCHAIN=off
unset DATABASE_URL DBOPS_MIGRATIONS
# shellcheck source=../scripts/pg-temp-server.sh
source "$ROOT/scripts/pg-temp-server.sh"
pg_temp_start >/dev/null || { echo "bench: could not start PostgreSQL" >&2; exit 2; }
trap 'pg_temp_stop; rm -rf "$WORK"' EXIT

psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE fleet_tpl" >/dev/null
psql -X -q -v ON_ERROR_STOP=1 -d fleet_tpl \
  -c "CREATE TABLE alembic_version (version_num varchar(32) NOT NULL PRIMARY KEY)" \
  -c "INSERT INTO alembic_version VALUES ('19c513d3bf90')" >/dev/null
echo "preparing $N databases ..." >&2
for i in $(seq 1 "$N"); do
  echo "CREATE DATABASE fleet_$i TEMPLATE fleet_tpl;"
done | psql -X -q -v ON_ERROR_STOP=1 -d postgres >/dev/null
for i in $(seq 1 "$N"); do echo "postgresql://postgres@127.0.0.1:$PGPORT/fleet_$i"; done >"$WORK/urls.txt"

now() { date +%s.%N; }
best() { printf '%s\n' "$@" | sort -g | head -n 1; }
fleet_times=() loop_times=()
for run in $(seq 1 "$RUNS"); do
  t0=$(now)
  "$DBOPS" --migrations "$ROOT/migrations" fleet status --url-file "$WORK/urls.txt" >"$WORK/fleet.out" \
    || { echo "bench: dbops fleet status failed" >&2; cat "$WORK/fleet.out" >&2; exit 2; }
  fleet_times+=("$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }')")
  t0=$(now)
  while read -r url; do
    "$DBOPS" --migrations "$ROOT/migrations" -d "$url" current >/dev/null || { echo "bench: current failed" >&2; exit 2; }
  done <"$WORK/urls.txt"
  loop_times+=("$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }')")
done
grep -q "Summary: $N behind" "$WORK/fleet.out" || { echo "bench: unexpected fleet status:" >&2; tail -n 2 "$WORK/fleet.out" >&2; exit 2; }
fleet=$(best "${fleet_times[@]}")
loop=$(best "${loop_times[@]}")
printf 'fleet status, %d databases (best of %d)\n' "$N" "$RUNS"
printf '  dbops fleet status (8 jobs):        %6.3f s\n' "$fleet"
printf '  %d x dbops current, one by one:    %6.3f s\n' "$N" "$loop"
awk -v f="$fleet" -v l="$loop" 'BEGIN { printf "  ratio: fleet status is %.1fx faster; goal < 2 s: %s\n", l / f, (f < 2 ? "met" : "NOT met") }'
