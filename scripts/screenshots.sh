#!/usr/bin/env bash
# Regenerates docs/screenshots/ from a real run: a throwaway PostgreSQL at
# 19c513d3bf90 with the demo data, the console driven by dbops-console-shots
# (audit, guarded dialog, a run caught in progress, after the upgrade), and the
# widget and panel shots.  Needs a built tree: scripts/screenshots.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/qt6}
out=docs/screenshots
cmake --build "$build" --target dbops dbops-console dbops-console-shots dbops-widget-shots dbops-panel-shots
# shellcheck source=pg-temp-server.sh
source scripts/pg-temp-server.sh
pg_temp_start
export DBOPS_KEYCHAIN=off XDG_CONFIG_HOME XDG_DATA_HOME
XDG_CONFIG_HOME=$(mktemp -d); XDG_DATA_HOME=$(mktemp -d)
createdb portfolio
url="postgresql://postgres@127.0.0.1:$PGPORT/portfolio"
"$build/app/cli/dbops" -d "$url" upgrade 19c513d3bf90 2>/dev/null
# -1: one transaction, as scripts/demo.sh loads it (the file uses an ON COMMIT DROP table)
psql -q -1 -v ON_ERROR_STOP=1 -d portfolio -f scripts/demo-data.sql >/dev/null
# The Fleet tab's group: four databases at different revisions.
for db in fleet_a fleet_b fleet_c fleet_d; do createdb "$db"; done
"$build/app/cli/dbops" -d "postgresql://postgres@127.0.0.1:$PGPORT/fleet_a" upgrade head 2>/dev/null
"$build/app/cli/dbops" -d "postgresql://postgres@127.0.0.1:$PGPORT/fleet_b" upgrade 19c513d3bf90 2>/dev/null
"$build/app/cli/dbops" -d "postgresql://postgres@127.0.0.1:$PGPORT/fleet_c" upgrade e85c2a7d1f96 2>/dev/null
"$build/app/cli/dbops" -d "postgresql://postgres@127.0.0.1:$PGPORT/fleet_d" upgrade head 2>/dev/null
mkdir -p "$out"
xvfb-run -a -s "-screen 0 1400x900x24" "$build/tests/ui/dbops-console-shots" "$url" "$out"
xvfb-run -a -s "-screen 0 1400x900x24" "$build/tests/ui/dbops-widget-shots" "$out"
xvfb-run -a -s "-screen 0 1400x900x24" "$build/tests/ui/dbops-panel-shots" "$out"
# The console after its server went away (console-disconnected.png): a fresh
# database at 19c513d3bf90, the console connected and audited, then the server
# stops; the keepalive (5 s) notices it and the shot is taken while it reconnects.
createdb portfolio_lost
lost_url="postgresql://postgres@127.0.0.1:$PGPORT/portfolio_lost"
"$build/app/cli/dbops" -d "$lost_url" upgrade 19c513d3bf90 2>/dev/null
xvfb-run -a -s "-screen 0 1366x768x24" "$build/app/console/dbops-console" -d "$lost_url" \
  --screenshot "$out/console-disconnected.png" --screenshot-delay 14000 &
console=$!
sleep 6
pg_temp__as_server_user "$DBOPS_PG_BINDIR/pg_ctl" -D "$DBOPS_PG_DATADIR" -m fast -w stop >/dev/null
wait "$console"
rm -f "$out/console-checks.png"
ls -1 "$out"
