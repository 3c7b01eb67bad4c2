# shellcheck shell=bash disable=SC2034  # BENCH_* results are read by the scripts that source this
# Shared by bench/db_bench.sh and bench/gui_bench.sh (source it; not run on its own).
#
# bench_setup WORKDIR TABLES COLUMNS
#   starts a throwaway PostgreSQL (scripts/pg-temp-server.sh; stopped on EXIT)
#   unless DBOPS_BENCH_SERVER_READY=1 says the caller already did, isolates
#   dbops' config/journal in WORKDIR/home, and prepares:
#     bench_up_tpl    template database at 19c513d3bf90 with the demo data
#                     (scripts/demo-data.sql), 23 revisions behind head
#     bench_schema    the generated TABLES x COLUMNS schema (bench/gen_schema.py),
#                     loaded with psql, then stamped at the generated repository's
#                     head (so the matched audit sees a database at head)
#   and WORKDIR/schema-COLS-TABLES/{schema.sql,repo/} (kept; regenerated when
#   bench/gen_schema.py changes; repo/schema/head.json is made with
#   `dbops snapshot` against the throwaway server).
# bench_big_schema DB TABLES COLUMNS (after bench_setup) loads a large schema
# for the large-schema row; bench_time_rss also measures peak memory.
# Exports BENCH_ROOT, BENCH_URL_BASE (postgresql://postgres@127.0.0.1:PORT),
# BENCH_SCHEMA_SQL, BENCH_SCHEMA_REPO, DBOPS, PG_BIN.

BENCH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

bench_say() { printf '%s\n' "$*" >&2; }
bench_die() { printf 'bench: error: %s\n' "$*" >&2; exit 2; }

bench_url() { printf '%s/%s' "$BENCH_URL_BASE" "$1"; }

bench_psql() { "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }

# Drops (if present) and creates database $1, from template $2 (default template0).
bench_createdb() {
  bench_psql -d postgres -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" >/dev/null
  bench_psql -d postgres -c "CREATE DATABASE \"$1\" TEMPLATE \"${2:-template0}\"" >/dev/null
}

# Wall and child-CPU seconds of one command (output discarded unless the
# caller redirects); sets BENCH_WALL, BENCH_CPU and BENCH_RC.  CPU is the
# client's user+sys (bash's `times`, run in this shell: no fork), not the server's.
bench_time() {
  local t0 t1 c0 c1
  bench__child_cpu; c0=$BENCH__CPU
  t0=$EPOCHREALTIME
  "$@"
  BENCH_RC=$?
  t1=$EPOCHREALTIME
  bench__child_cpu; c1=$BENCH__CPU
  BENCH_WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }')
  BENCH_CPU=$(awk -v a="$c0" -v b="$c1" 'BEGIN { printf "%.3f", b - a }')
}

# Children's user+sys seconds so far, into BENCH__CPU.
bench__child_cpu() {
  local line u s
  times >"$BENCH__TIMES"
  line=$(sed -n 2p "$BENCH__TIMES")
  read -r u s <<<"$line"
  BENCH__CPU=$(awk -v u="$u" -v s="$s" 'BEGIN {
    t = 0; n = split(u " " s, f, " ")
    for (i = 1; i <= n; i++) { split(f[i], p, "m"); sub("s", "", p[2]); t += p[1] * 60 + p[2] }
    printf "%.3f", t }')
}
BENCH__TIMES=/dev/null # set by bench_setup (WORKDIR/.times)

# Like bench_time, and BENCH_RSS_KB: the command's peak resident memory
# (getrusage of the child, through python3, which gen_schema.py needs anyway).
bench_time_rss() {
  local out
  bench_time /usr/bin/python3 -c '
import resource, subprocess, sys
rc = subprocess.call(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=open(sys.argv[1], "a"))
with open(sys.argv[1] + ".rss", "w") as f:
    f.write("%d\n" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(rc)' "$BENCH__RSS_LOG" "$@"
  out=$(cat "$BENCH__RSS_LOG.rss" 2>/dev/null)
  BENCH_RSS_KB=${out:-0}
}
BENCH__RSS_LOG=${TMPDIR:-/tmp}/dbops-bench-rss.log # bench_setup: WORKDIR/rss.log

# bench_big_schema DB TABLES COLUMNS: generates (once, kept in the work
# directory) and loads a TABLES x COLUMNS schema into database DB, for the
# large-schema audit row; BENCH_BIG_SQL is its DDL.
bench_big_schema() {
  local db=$1 tables=$2 columns=$3 gen="$BENCH_ROOT/bench/gen_schema.py" dir stamp t0
  dir="$BENCH_WORKDIR/schema-${tables}x${columns}"
  stamp="$(sha256sum "$gen" | cut -c1-16) $tables $columns"
  BENCH_BIG_SQL="$dir/schema.sql" BENCH_BIG_REPO="$dir/repo"
  if [ "$(cat "$dir/stamp" 2>/dev/null)" != "$stamp" ]; then
    rm -rf "$dir"
    mkdir -p "$dir"
    /usr/bin/python3 "$gen" --tables "$tables" --columns "$columns" --sql "$BENCH_BIG_SQL" --repo "$BENCH_BIG_REPO" \
      || bench_die "gen_schema.py --tables $tables failed"
    echo "$stamp" >"$dir/stamp"
  fi
  t0=$EPOCHREALTIME
  bench_say "preparing $db: $tables tables x $columns columns ($(du -h "$BENCH_BIG_SQL" | cut -f1) of DDL)"
  bench_createdb "$db"
  bench_psql -d "$db" -f "$BENCH_BIG_SQL" >/dev/null || bench_die "loading the $tables-table schema failed"
  bench_psql -d "$db" -c "VACUUM ANALYZE" >/dev/null
  bench_say "  loaded in $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s"
}

# "best median" of the numbers given.
bench_stats() {
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%.4f %.4f", v[1], m }'
}

bench_setup() {
  local workdir=$1 tables=$2 columns=$3
  [ -x "${DBOPS:-}" ] || bench_die "dbops not found: ${DBOPS:-} (pass --dbops)"
  mkdir -p "$workdir"
  BENCH__TIMES="$workdir/.times"
  BENCH__RSS_LOG="$workdir/rss.log"
  BENCH_WORKDIR=$workdir
  export HOME_ISOLATED="$workdir/home"
  mkdir -p "$HOME_ISOLATED/config" "$HOME_ISOLATED/data" "$HOME_ISOLATED/cache"
  # dbops' profiles, journal and the console's layout stay out of the user's home.
  export XDG_CONFIG_HOME="$HOME_ISOLATED/config" XDG_DATA_HOME="$HOME_ISOLATED/data" XDG_CACHE_HOME="$HOME_ISOLATED/cache"
  export DBOPS_KEYCHAIN=off
  unset DATABASE_URL DBOPS_MIGRATIONS
  if [ "$(id -u)" -eq 0 ]; then chmod 755 "$workdir"; fi

  if [ "${DBOPS_BENCH_SERVER_READY:-0}" != 1 ]; then
    # shellcheck source=../scripts/pg-temp-server.sh
    source "$BENCH_ROOT/scripts/pg-temp-server.sh"
    pg_temp_start || bench_die "could not start PostgreSQL"
    export DBOPS_BENCH_SERVER_READY=1
  fi
  PG_BIN=${DBOPS_PG_BINDIR:-$(dirname "$(command -v psql)")}
  export PG_BIN
  export BENCH_URL_BASE="postgresql://postgres@127.0.0.1:$PGPORT"
  bench_say "server: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') at $BENCH_URL_BASE"

  # The generated schema and its one-revision repository, kept between runs.
  local gen="$BENCH_ROOT/bench/gen_schema.py" dir stamp
  dir="$workdir/schema-${tables}x${columns}"
  stamp="$(sha256sum "$gen" | cut -c1-16) $tables $columns"
  export BENCH_SCHEMA_SQL="$dir/schema.sql" BENCH_SCHEMA_REPO="$dir/repo"
  if [ "$(cat "$dir/stamp" 2>/dev/null)" != "$stamp" ]; then
    rm -rf "$dir"
    mkdir -p "$dir"
    /usr/bin/python3 "$gen" --tables "$tables" --columns "$columns" --sql "$BENCH_SCHEMA_SQL" --repo "$BENCH_SCHEMA_REPO" \
      || bench_die "gen_schema.py failed"
    echo "$stamp" >"$dir/stamp"
  fi

  if bench_psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'bench_schema'" | grep -q 1; then
    return 0 # prepared by the caller (db_bench.sh running gui_bench.sh)
  fi

  bench_say "preparing bench_up_tpl: dbops upgrade 19c513d3bf90 + scripts/demo-data.sql"
  bench_createdb bench_up_tpl
  "$DBOPS" --migrations "$BENCH_ROOT/migrations" -d "$(bench_url bench_up_tpl)" upgrade 19c513d3bf90 >/dev/null \
    || bench_die "dbops upgrade 19c513d3bf90 failed"
  bench_psql -d bench_up_tpl -1 -f "$BENCH_ROOT/scripts/demo-data.sql" >/dev/null || bench_die "demo data failed"
  bench_psql -d bench_up_tpl -c "VACUUM ANALYZE" >/dev/null

  local t0=$EPOCHREALTIME
  bench_say "preparing bench_schema: $tables tables x $columns columns ($(du -h "$BENCH_SCHEMA_SQL" | cut -f1) of DDL)"
  bench_createdb bench_schema
  # Not -1: thousands of CREATEs in one transaction exceed a default server's lock table.
  bench_psql -d bench_schema -f "$BENCH_SCHEMA_SQL" >/dev/null || bench_die "loading the generated schema failed"
  bench_psql -d bench_schema -c "VACUUM ANALYZE" >/dev/null
  bench_say "  loaded in $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s"
  if [ ! -f "$BENCH_SCHEMA_REPO/schema/head.json" ]; then
    t0=$EPOCHREALTIME
    "$DBOPS" --migrations "$BENCH_SCHEMA_REPO" snapshot --shadow "$(bench_url postgres)" >&2 \
      || bench_die "dbops snapshot of the generated repository failed"
    bench_say "  snapshot (replay on a shadow database) in $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s"
  fi
  # At the generated repository's head, as a database built by it would be.
  "$DBOPS" --migrations "$BENCH_SCHEMA_REPO" -d "$(bench_url bench_schema)" stamp head >/dev/null \
    || bench_die "dbops stamp head of bench_schema failed (does head.json match the loaded schema?)"
}
