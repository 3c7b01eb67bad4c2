#!/usr/bin/env bash
# The README's first command: DbOps Console on a throwaway "production"
# database that is 23 revisions behind.
#
#   scripts/demo.sh                     # the console, connected to "Demo production"
#   scripts/demo.sh --keep              # ... and leave the server running afterwards
#   scripts/demo.sh --headless          # the whole story with `dbops`, no GUI
#   scripts/demo.sh --screenshot FILE   # a PNG of the console (Xvfb when there is no display)
#
# Steps: install the Debian packages (scripts/install-deps.sh), build the Qt 6
# flavor into build/qt6 (targets dbops and dbops-console only), start a local
# PostgreSQL on a free port of 127.0.0.1 with its data in
# ${XDG_CACHE_HOME:-~/.cache}/dbops-demo/pgdata, create the database
# `portfolio` at the production revision 19c513d3bf90 with `dbops upgrade`,
# load sample data (scripts/demo-data.sql), create the SELECT-only role
# `support`, and save two profiles, "Demo production" and "Demo support"
# (re-running updates them).  Then it opens the console; the server stops
# when the console closes, unless --keep.
#
# Environment:
#   DBOPS_BUILD_DIR   use this build directory (default build/qt6); when the
#                     binaries are there already nothing is built
#   DBOPS_SKIP_DEPS=1 do not run scripts/install-deps.sh
#   DBOPS_KEYCHAIN    --headless sets it to "off" (no keyring prompt); the
#                     demo profiles have no password either way (trust auth)
#   XDG_CONFIG_HOME, XDG_DATA_HOME, XDG_CACHE_HOME
#                     where the profiles, the run journal and the server's
#                     data go (the defaults are the user's own: the demo's
#                     profiles stay for the console to show)
#
# Exit status: 0 when everything worked (in --headless: every step had its
# expected exit code), 1 otherwise, 2 for bad usage.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PROD_REV=19c513d3bf90
DB=portfolio
PROD_PROFILE="Demo production"
SUPPORT_PROFILE="Demo support"

mode=gui
keep=0
screenshot=
screenshot_delay=4000

usage() {
  sed -n '2,/^set -uo/p' "$0" | sed -e '/^set -uo/d' -e 's/^# \{0,1\}//'
  cat <<'EOF'

Options:
  --headless             run the story with the CLI instead of the console
  --keep                 reuse the data directory and leave the server running
  --screenshot FILE      save a PNG of the console window, then stop
  --screenshot-delay MS  wait this long before the screenshot (default 4000)
  -h, --help             this help
EOF
}

while [ $# -gt 0 ]; do
  case $1 in
    --headless) mode=headless ;;
    --keep) keep=1 ;;
    --screenshot)
      [ $# -ge 2 ] || { echo "demo.sh: --screenshot needs a FILE" >&2; exit 2; }
      mode=screenshot; screenshot=$2; shift ;;
    --screenshot=*) mode=screenshot; screenshot=${1#--screenshot=} ;;
    --screenshot-delay)
      [ $# -ge 2 ] || { echo "demo.sh: --screenshot-delay needs MS" >&2; exit 2; }
      screenshot_delay=$2; shift ;;
    --screenshot-delay=*) screenshot_delay=${1#--screenshot-delay=} ;;
    -h | --help) usage; exit 0 ;;
    *) echo "demo.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done
case $screenshot_delay in '' | *[!0-9]*) echo "demo.sh: --screenshot-delay needs a whole number of ms" >&2; exit 2 ;; esac
if [ "$mode" = screenshot ]; then
  [ -n "$screenshot" ] || { echo "demo.sh: --screenshot needs a FILE" >&2; exit 2; }
  case $screenshot in /*) ;; *) screenshot="$(pwd)/$screenshot" ;; esac
  mkdir -p "$(dirname "$screenshot")" || exit 1
fi

if [ -t 1 ]; then
  say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
else
  say() { printf '\n== %s\n' "$*"; }
fi
die() { echo "demo.sh: $*" >&2; exit 1; }

have_display() { [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; }
if [ "$mode" = gui ] && ! have_display; then
  die "no display (DISPLAY and WAYLAND_DISPLAY are unset): run 'scripts/demo.sh --headless' for the CLI story, or --screenshot FILE"
fi

# ------------------------------------------------------------ 1. packages
if [ "${DBOPS_SKIP_DEPS:-0}" = 1 ]; then
  say "Dependencies: skipped (DBOPS_SKIP_DEPS=1)"
else
  say "Dependencies: scripts/install-deps.sh"
  "$ROOT/scripts/install-deps.sh" || die "installing the dependencies failed"
fi

# ------------------------------------------------------------ 2. build
BUILD_DIR=${DBOPS_BUILD_DIR:-$ROOT/build/qt6}
case $BUILD_DIR in /*) ;; *) BUILD_DIR="$(pwd)/$BUILD_DIR" ;; esac
DBOPS="$BUILD_DIR/app/cli/dbops"
CONSOLE="$BUILD_DIR/app/console/dbops-console"
needed=("$DBOPS")
[ "$mode" = headless ] || needed+=("$CONSOLE")
all_built() { local b; for b in "${needed[@]}"; do [ -x "$b" ] || return 1; done; }

if [ -n "${DBOPS_BUILD_DIR:-}" ] && all_built; then
  say "Build: using $BUILD_DIR (DBOPS_BUILD_DIR)"
else
  say "Build: Qt 6 flavor in $BUILD_DIR (dbops, dbops-console)"
  if [ ! -f "$BUILD_DIR/CMakeCache.txt" ]; then
    cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDBOPS_QT_MAJOR=6 \
      || die "configuring $BUILD_DIR failed"
  fi
  cmake --build "$BUILD_DIR" --target dbops dbops-console || die "building failed"
  all_built || die "the build did not produce ${needed[*]}"
fi

# Everything below uses this repository's migrations, whatever the environment says.
export DBOPS_MIGRATIONS="$ROOT/migrations"
unset DATABASE_URL PGSERVICE
if [ "$mode" = headless ]; then
  export DBOPS_KEYCHAIN=${DBOPS_KEYCHAIN:-off}
fi

# ------------------------------------------------------------ 3. server
# shellcheck source=scripts/pg-temp-server.sh
source "$ROOT/scripts/pg-temp-server.sh"
as_server_user() { pg_temp__as_server_user "$@"; }

DEMO_HOME="${XDG_CACHE_HOME:-$HOME/.cache}/dbops-demo"
mkdir -p "$DEMO_HOME" || die "cannot create $DEMO_HOME"
DEMO_HOME=$(cd "$DEMO_HOME" && pwd)
PGDATA_DIR="$DEMO_HOME/pgdata"
if [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$DEMO_HOME" 2>/dev/null; then
  # As root the server runs as the postgres OS user, which cannot enter a
  # private home (/root is 0700): keep only the server's data elsewhere.
  PGDATA_DIR="/var/tmp/dbops-demo-$(id -un)/pgdata"
  { mkdir -p "$(dirname "$PGDATA_DIR")" && chmod 755 "$(dirname "$PGDATA_DIR")"; } || die "cannot create $PGDATA_DIR"
  echo "note: the postgres OS user cannot enter $DEMO_HOME; the server's data goes to $PGDATA_DIR"
fi
BACKUP_DIR="$DEMO_HOME/backups"
OUT="$DEMO_HOME/step.out" # the output of the current --headless step

server_running() { [ -f "$PGDATA_DIR/postmaster.pid" ] && as_server_user "$(pg_temp__bindir)/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1; }
if server_running; then
  echo "Stopping the demo server still running in $PGDATA_DIR (an earlier --keep)"
  as_server_user "$(pg_temp__bindir)/pg_ctl" -D "$PGDATA_DIR" -m fast -w stop >/dev/null || die "cannot stop it"
fi
if [ "$keep" = 0 ]; then
  rm -rf "$PGDATA_DIR" "$PGDATA_DIR.initdb.log" "$BACKUP_DIR"
fi
reused=0
[ -f "$PGDATA_DIR/PG_VERSION" ] && reused=1

say "PostgreSQL: $([ "$reused" = 1 ] && echo "reusing" || echo "new") data directory $PGDATA_DIR"
pg_temp_start "$PGDATA_DIR" || die "the server did not start"
PORT=$PGPORT
PG_CTL="$DBOPS_PG_BINDIR/pg_ctl"

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  rm -f "$OUT"
  if [ "$keep" = 1 ]; then
    # pg-temp-server.sh would stop it: leave it running, say how to stop it.
    print_keep_help
  else
    pg_temp_stop
    rm -rf "$PGDATA_DIR" "$PGDATA_DIR.initdb.log"
  fi
  exit "$rc"
}
print_keep_help() {
  local stop="$PG_CTL -D '$PGDATA_DIR' stop"
  [ "$(id -u)" -eq 0 ] && stop="runuser -u postgres -- $stop"
  cat <<EOF

The demo server keeps running (--keep): PostgreSQL on 127.0.0.1:$PORT, data in $PGDATA_DIR
  connect:  psql 'postgresql://postgres@127.0.0.1:$PORT/$DB'
            $DBOPS -p '$PROD_PROFILE' current
            $CONSOLE -p '$PROD_PROFILE'
  stop:     $stop
  start over: run scripts/demo.sh without --keep
EOF
}
trap cleanup EXIT
trap 'exit 130' INT TERM
echo "Listening on 127.0.0.1:$PORT (trust authentication, local connections only)"

psql_admin() { PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U postgres "$@"; }

# ------------------------------------------------------------ 4. database
PROD_URL="postgresql://postgres@127.0.0.1:$PORT/$DB?sslmode=disable"
db_exists=$(psql_admin -d postgres -Atc "SELECT count(*) FROM pg_database WHERE datname = '$DB'") || die "cannot query the server"
if [ "$db_exists" = 1 ] && [ "$mode" != headless ]; then
  say "Database $DB: kept as it was (--keep); run without --keep to start over"
else
  say "Database $DB at the production revision $PROD_REV"
  psql_admin -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB" || die "cannot create $DB"
  echo "\$ dbops -d '$PROD_URL' upgrade $PROD_REV"
  "$DBOPS" -d "$PROD_URL" upgrade "$PROD_REV" || die "dbops upgrade $PROD_REV failed"

  say "Sample data: scripts/demo-data.sql"
  psql_admin -d "$DB" --single-transaction -f "$ROOT/scripts/demo-data.sql" || die "loading the sample data failed"
  psql_admin -d "$DB" -At -F ' ' -c "
    SELECT 'users ' || (SELECT count(*) FROM users) || ', portfolios ' || (SELECT count(*) FROM portfolios)
        || ', positions ' || (SELECT count(*) FROM positions) || ', portfolio_snapshots ' || (SELECT count(*) FROM portfolio_snapshots)
        || ', market_data_cache ' || (SELECT count(*) FROM market_data_cache) || ', factor_definitions '
        || (SELECT count(*) FROM factor_definitions) || ' (' || (SELECT count(*) FILTER (WHERE is_active) FROM factor_definitions)
        || ' active, Short Interest ' || (SELECT CASE WHEN is_active THEN 'active' ELSE 'inactive' END FROM factor_definitions WHERE name = 'Short Interest') || ')'"
fi

say "Role support: LOGIN, SELECT only"
psql_admin -d postgres \
  -c "DO \$\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'support') THEN CREATE ROLE support LOGIN; END IF; END\$\$" \
  || die "cannot create the role support"
psql_admin -d "$DB" \
  -c "GRANT CONNECT ON DATABASE $DB TO support" \
  -c "GRANT USAGE ON SCHEMA public TO support" \
  -c "GRANT SELECT ON ALL TABLES IN SCHEMA public TO support" \
  -c "ALTER DEFAULT PRIVILEGES FOR ROLE postgres IN SCHEMA public GRANT SELECT ON TABLES TO support" \
  || die "cannot grant to support"
echo "GRANT CONNECT, USAGE ON SCHEMA public, SELECT ON ALL TABLES (and on tables created later) TO support"

# ------------------------------------------------------------ 5. profiles
profile_exists() {
  "$DBOPS" profile list --json 2>/dev/null | python3 -c '
import json, sys
names = [p["name"] for p in json.load(sys.stdin)["profiles"]]
sys.exit(0 if sys.argv[1] in names else 1)' "$1"
}
# save_profile NAME EDIT_ONLY_FLAGS -- FIELD OPTIONS...: add, or edit when it exists.
save_profile() {
  local name=$1 edit_flags=$2
  shift 3
  if profile_exists "$name"; then
    # shellcheck disable=SC2086
    "$DBOPS" profile edit "$name" "$@" $edit_flags
  else
    "$DBOPS" profile add "$name" "$@"
  fi
}
say "Profiles: \"$PROD_PROFILE\" and \"$SUPPORT_PROFILE\""
common=(--host 127.0.0.1 --port "$PORT" --dbname "$DB" --sslmode disable --migrations "$ROOT/migrations")
# sslmode=disable on purpose: the local demo server has no TLS (production
# profiles default to require, and dbops warns about anything but verify-full).
save_profile "$PROD_PROFILE" "--no-read-only" -- "${common[@]}" --user postgres --production --color '#c0392b' \
  || die "cannot save the profile \"$PROD_PROFILE\""
save_profile "$SUPPORT_PROFILE" "--no-production" -- "${common[@]}" --user support --read-only --color '#2471a3' \
  || die "cannot save the profile \"$SUPPORT_PROFILE\""
"$DBOPS" profile list

# ------------------------------------------------------------ 6. the story
run_console() {
  local args=(--migrations "$ROOT/migrations" -p "$PROD_PROFILE")
  if [ "$mode" = screenshot ]; then
    args+=(--screenshot "$screenshot" --screenshot-delay "$screenshot_delay")
    say "Screenshot: dbops-console ${args[*]}"
    if have_display; then
      "$CONSOLE" "${args[@]}"
    else
      command -v xvfb-run >/dev/null || die "no display and no xvfb-run (install the xvfb package)"
      xvfb-run -a -s "-screen 0 1600x1000x24" "$CONSOLE" "${args[@]}"
    fi
    local rc=$?
    [ "$rc" -eq 0 ] || die "dbops-console exited with $rc"
    [ -s "$screenshot" ] || die "no screenshot was written to $screenshot"
    echo "Wrote $screenshot"
  else
    if [ "$keep" = 1 ]; then
      say "Console: dbops-console -p \"$PROD_PROFILE\" (--keep: the server keeps running when it closes)"
    else
      say "Console: dbops-console -p \"$PROD_PROFILE\" (the server stops when it closes)"
    fi
    "$CONSOLE" "${args[@]}" || die "dbops-console exited with $?"
  fi
}

STEP=0
STEP_TITLE=()
STEP_RESULT=() # "ok" or why not
# step EXPECTED_EXIT "TITLE" dbops-ARGS...: prints a header, the command and
# its output, and records whether the exit code was the expected one.
step() {
  local expected=$1 title=$2 a shown=(dbops)
  shift 2
  STEP=$((STEP + 1))
  printf '\n========== Step %d: %s (expect exit %s)\n' "$STEP" "$title" "$expected"
  for a in "$@"; do
    case $a in *' '*) shown+=("\"$a\"") ;; *) shown+=("$a") ;; esac
  done
  echo "\$ ${shown[*]}"
  "$DBOPS" "$@" >"$OUT" 2>&1 </dev/null
  local rc=$?
  cat "$OUT"
  STEP_TITLE[STEP]="exit $rc  $title"
  if [ "$rc" -eq "$expected" ]; then
    STEP_RESULT[STEP]=ok
    echo "---------- exit $rc, as expected"
  else
    STEP_RESULT[STEP]="exit $rc, wanted $expected"
    echo "---------- exit $rc: UNEXPECTED, wanted $expected"
  fi
}
# expect TEXT: the last step's output holds TEXT.
expect() {
  grep -qF -- "$1" "$OUT" && return 0
  echo "---------- UNEXPECTED: the output lacks '$1'"
  if [ "${STEP_RESULT[STEP]}" = ok ]; then STEP_RESULT[STEP]="output lacks '$1'"
  else STEP_RESULT[STEP]+="; output lacks '$1'"; fi
}

run_headless() {
  local P=(-p "$PROD_PROFILE") S=(-p "$SUPPORT_PROFILE")
  say "The story, headless: production is 23 revisions behind"
  step 0 "Where does production stand?" "${P[@]}" current
  expect "Pending:  23 revision(s)"
  step 1 "Schema audit against head" "${P[@]}" audit --only-problems
  expect "7 tables MISSING"
  step 1 "Data checks fail" "${P[@]}" checks
  step 0 "Upgrade to head, guarded, after a pg_dump backup" "${P[@]}" upgrade --confirm "$DB" --backup "$BACKUP_DIR"
  expect "Backup: "
  step 0 "At head now" "${P[@]}" current --check
  step 0 "The schema audit passes" "${P[@]}" audit --only-problems
  step 1 "Checks as support: 'Short Interest' is still active" "${S[@]}" checks
  expect "is_active = true"
  step 2 "The fix through the read-only profile is refused" "${S[@]}" fix short-interest-inactive
  expect "read-only"
  step 0 "The fix through the production profile, confirmed" "${P[@]}" fix short-interest-inactive --confirm "$DB"
  step 0 "Every check passes" "${P[@]}" checks
  step 0 "The run journal" journal --limit 10
  expect "fix short-interest-inactive"
  step 0 "Roll back to the production revision" "${P[@]}" downgrade "$PROD_REV" --confirm "$DB" --accept-data-loss
  step 1 "Behind again" "${P[@]}" current --check
  expect "Pending:  23 revision(s)"
  step 0 "Upgrade again" "${P[@]}" upgrade --confirm "$DB"
  step 0 "At head, checks pass" "${P[@]}" checks
  step 0 "At head" "${P[@]}" current --check

  say "Summary"
  local i failed=0
  for ((i = 1; i <= STEP; i++)); do
    if [ "${STEP_RESULT[i]}" = ok ]; then
      printf 'ok    %2d  %s\n' "$i" "${STEP_TITLE[i]}"
    else
      printf 'FAIL  %2d  %s  (%s)\n' "$i" "${STEP_TITLE[i]}" "${STEP_RESULT[i]}"
      failed=$((failed + 1))
    fi
  done
  if [ "$failed" -eq 0 ]; then
    echo "demo: all $STEP steps had their expected exit codes"
    return 0
  fi
  echo "demo: $failed of $STEP steps FAILED"
  return 1
}

case $mode in
  headless) run_headless; exit $? ;;
  screenshot) run_console; exit 0 ;;
  gui) run_console; exit 0 ;;
esac
