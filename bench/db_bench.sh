#!/usr/bin/env bash
# Database benchmarks of dbops against the stock PostgreSQL clients, on a
# throwaway PostgreSQL server (scripts/pg-temp-server.sh), in one run:
#
#  (a) upgrade 19c513d3bf90 -> 792ffb1ab1ad (23 revisions, demo data loaded):
#        dbops -d URL_A upgrade
#      vs
#        psql -X -1 -v ON_ERROR_STOP=1 -f script.sql -d URL_B
#      where script.sql is `dbops sql upgrade --from 19c513d3bf90 --to head`
#      without its BEGIN;/COMMIT; lines (-1 wraps it in one transaction).
#      Both databases are fresh copies (CREATE DATABASE ... TEMPLATE) of one
#      prepared at 19c513d3bf90 each round; the order alternates per round.
#      After the first round the two schemas are compared (pg_dump --schema-only).
#  (b) audit of a generated schema (default 2,000 tables x 20 columns, with
#      indexes and foreign keys, bench/gen_schema.py):
#        dbops -d URL audit --format json --output /dev/null
#      once against the bundled migrations (schema/head.json: the 2,000 tables
#      are all EXTRA, the bundled tables all MISSING, exit 1) and once against
#      a generated one-revision repository whose head.json IS that schema (every
#      object EXISTS and is compared field by field, exit 0), vs
#        pg_dump --schema-only -d URL -f /dev/null
#  (c) audit of a large generated schema (--big-tables, default 20,000 tables
#      x --columns): dbops audit time and peak memory (RSS), against the
#      bundled head.json (every table EXTRA) and with --big-matched also
#      against its own head.json (a one-off `dbops snapshot` replay, kept in the
#      work directory); vs pg_dump --schema-only, which takes a lock per table
#      and fails with "out of shared memory" under the server's default
#      max_locks_per_transaction (64): then the row says so instead of a ratio.
#      The audit takes no table locks.  --big-tables 0 leaves it out.
#  (d) with --gui-stall EXE: bench/gui_bench.sh on the same server (--gui-runs N, default 5).
#
# --skip-upgrade leaves out (a).
#
# Prints best and median wall time (and the client's CPU time) per command
# and the ratios; --markdown FILE also writes the tables.
#
#   bench/db_bench.sh --dbops build/bench/app/cli/dbops [--gui-stall build/bench/bench/dbops-gui-stall [--gui-runs 5]]
#       [--rounds 10] [--audit-runs 5] [--tables 2000] [--columns 20] [--skip-upgrade]
#       [--big-tables 20000] [--big-runs 3] [--big-matched] [--workdir DIR] [--markdown FILE]
set -uo pipefail

DBOPS=
GUI_STALL=
GUI_RUNS=5
ROUNDS=10
AUDIT_RUNS=5
TABLES=2000
COLUMNS=20
WORKDIR=/tmp/dbops-dbbench
MARKDOWN=
SKIP_UPGRADE=0
BIG_TABLES=20000
BIG_RUNS=3
BIG_MATCHED=0
while [ $# -gt 0 ]; do
  case "$1" in
    --skip-upgrade) SKIP_UPGRADE=1; shift ;;
    --big-tables) BIG_TABLES=$2; shift 2 ;;
    --big-runs) BIG_RUNS=$2; shift 2 ;;
    --big-matched) BIG_MATCHED=1; shift ;;
    --dbops) DBOPS=$2; shift 2 ;;
    --gui-stall) GUI_STALL=$2; shift 2 ;;
    --gui-runs) GUI_RUNS=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --audit-runs) AUDIT_RUNS=$2; shift 2 ;;
    --tables) TABLES=$2; shift 2 ;;
    --columns) COLUMNS=$2; shift 2 ;;
    --workdir) WORKDIR=$2; shift 2 ;;
    --markdown) MARKDOWN=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "db_bench.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
DBOPS=$(readlink -f "$DBOPS" 2>/dev/null || true)
[ -n "$DBOPS" ] && [ -x "$DBOPS" ] || { echo "db_bench.sh: --dbops PATH required" >&2; exit 2; }
WORKDIR=$(mkdir -p "$WORKDIR" && cd "$WORKDIR" && pwd)
export DBOPS

# shellcheck source=bench_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/bench_lib.sh"
MIGRATIONS="$BENCH_ROOT/migrations"
LOG="$WORKDIR/db_bench.log"
: >"$LOG"

echo "machine: $(uname -srm), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg); dbops $DBOPS"
bench_setup "$WORKDIR" "$TABLES" "$COLUMNS"
echo "client tools: $("$PG_BIN/psql" --version), $("$PG_BIN/pg_dump" --version)"

fail=0
md=("| operation | dbops best | dbops median | dbops CPU (median) | reference | ref. best | ref. median | ref. CPU (median) | dbops/ref. (median) | dbops/ref. (best) |")
md+=("|---|---:|---:|---:|---|---:|---:|---:|---:|---:|")

# --- (a) upgrade ---------------------------------------------------------------
if [ "$SKIP_UPGRADE" = 0 ]; then
SCRIPT="$WORKDIR/upgrade-19c513d3bf90-head.sql"
"$DBOPS" --migrations "$MIGRATIONS" sql upgrade --from 19c513d3bf90 --to head \
  | grep -v -x -e 'BEGIN;' -e 'COMMIT;' >"$SCRIPT" || bench_die "dbops sql upgrade failed"
HEAD=$("$DBOPS" --migrations "$MIGRATIONS" heads | awk '{print $1; exit}')
echo
echo "(a) upgrade 19c513d3bf90 -> $HEAD: $(grep -c '^-- Running upgrade' "$SCRIPT") revisions, $ROUNDS rounds"
d_wall=() d_cpu=() p_wall=() p_cpu=()
run_dbops_upgrade() {
  bench_time "$DBOPS" --migrations "$MIGRATIONS" -d "$(bench_url up_a)" upgrade >/dev/null 2>>"$LOG"
  [ "$BENCH_RC" = 0 ] || { echo "  dbops upgrade failed (exit $BENCH_RC), see $LOG"; fail=1; }
  d_wall+=("$BENCH_WALL"); d_cpu+=("$BENCH_CPU")
}
run_psql_upgrade() {
  bench_time "$PG_BIN/psql" -X -q -1 -v ON_ERROR_STOP=1 -f "$SCRIPT" -d "$(bench_url up_b)" >/dev/null 2>>"$LOG"
  [ "$BENCH_RC" = 0 ] || { echo "  psql -1 -f failed (exit $BENCH_RC), see $LOG"; fail=1; }
  p_wall+=("$BENCH_WALL"); p_cpu+=("$BENCH_CPU")
}
for r in $(seq 1 "$ROUNDS"); do
  bench_createdb up_a bench_up_tpl
  bench_createdb up_b bench_up_tpl
  bench_psql -d postgres -c CHECKPOINT >/dev/null
  if [ $((r % 2)) = 1 ]; then run_dbops_upgrade; run_psql_upgrade; else run_psql_upgrade; run_dbops_upgrade; fi
  for db in up_a up_b; do
    v=$(bench_psql -d "$db" -tAc "SELECT string_agg(version_num, ',') FROM alembic_version")
    [ "$v" = "$HEAD" ] || { echo "  round $r: $db is at '$v', not $HEAD"; fail=1; }
  done
  if [ "$r" = 1 ]; then
    "$PG_BIN/pg_dump" --schema-only -d "$(bench_url up_a)" | grep -v -e '^--' -e '^\\restrict' -e '^\\unrestrict' >"$WORKDIR/up_a.schema.sql"
    "$PG_BIN/pg_dump" --schema-only -d "$(bench_url up_b)" | grep -v -e '^--' -e '^\\restrict' -e '^\\unrestrict' >"$WORKDIR/up_b.schema.sql"
    if diff -q "$WORKDIR/up_a.schema.sql" "$WORKDIR/up_b.schema.sql" >/dev/null; then
      echo "  round 1: both databases end with the same schema (pg_dump --schema-only identical)"
    else
      echo "  round 1: the schemas DIFFER: diff $WORKDIR/up_a.schema.sql $WORKDIR/up_b.schema.sql"; fail=1
    fi
  fi
  printf '  round %2d: dbops %.3f s (cpu %s)   psql %.3f s (cpu %s)\n' "$r" "${d_wall[-1]}" "${d_cpu[-1]}" "${p_wall[-1]}" "${p_cpu[-1]}"
done
bench_psql -d postgres -c 'DROP DATABASE up_a WITH (FORCE)' -c 'DROP DATABASE up_b WITH (FORCE)' >/dev/null
read -r db dm <<<"$(bench_stats "${d_wall[@]}")"
read -r pb pm <<<"$(bench_stats "${p_wall[@]}")"
read -r _ dcm <<<"$(bench_stats "${d_cpu[@]}")"
read -r _ pcm <<<"$(bench_stats "${p_cpu[@]}")"
ratio_m=$(awk -v a="$dm" -v b="$pm" 'BEGIN { printf "%.2f", a / b }')
ratio_b=$(awk -v a="$db" -v b="$pb" 'BEGIN { printf "%.2f", a / b }')
verdict=$(awk -v r="$ratio_m" 'BEGIN { print (r <= 1.2) ? "met" : "NOT met" }')
printf '  dbops upgrade: best %.3f s, median %.3f s (client CPU median %.3f s)\n' "$db" "$dm" "$dcm"
printf '  psql -1 -f:    best %.3f s, median %.3f s (client CPU median %.3f s)\n' "$pb" "$pm" "$pcm"
echo "  dbops/psql: ${ratio_m}x median, ${ratio_b}x best (goal: at most 1.2x: $verdict)"
md+=("$(printf '| upgrade 19c513d3bf90 → head (23 revisions, %s rounds) | %.3f s | %.3f s | %.3f s | psql -1 -f | %.3f s | %.3f s | %.3f s | %sx | %sx |' \
  "$ROUNDS" "$db" "$dm" "$dcm" "$pb" "$pm" "$pcm" "$ratio_m" "$ratio_b")")
fi

# --- (b) audit -----------------------------------------------------------------
echo
URL=$(bench_url bench_schema)
counts=$(bench_psql -d bench_schema -tA -F' ' -c "SELECT
  (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r'),
  (SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped),
  (SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'),
  (SELECT count(*) FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace WHERE n.nspname = 'public' AND k.contype = 'f'),
  (SELECT count(*) FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace WHERE n.nspname = 'public'),
  (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'S')")
read -r n_tab n_col n_idx n_fk n_con n_seq <<<"$counts"
echo "(b) audit of bench_schema: $n_tab tables, $n_col columns, $n_idx indexes, $n_con constraints ($n_fk foreign keys), $n_seq sequences; $AUDIT_RUNS runs each"
declare -A AW=() AC=()
audit_case() { # name expected-exit-codes command...
  local name=$1 ok=$2
  shift 2
  bench_time "$@" >/dev/null 2>>"$LOG"
  case " $ok " in *" $BENCH_RC "*) ;; *) echo "  $name: unexpected exit $BENCH_RC, see $LOG"; fail=1 ;; esac
  AW[$name]+="$BENCH_WALL "
  AC[$name]+="$BENCH_CPU "
}
# One untimed run of each, to show what the audits report.
for spec in "bundled:$MIGRATIONS" "matched:$BENCH_SCHEMA_REPO"; do
  name=${spec%%:*} repo=${spec#*:}
  "$DBOPS" --migrations "$repo" -d "$URL" audit --format json --output "$WORKDIR/audit-$name.json" >"$WORKDIR/audit-$name.txt" 2>>"$LOG"
  rc=$?
  echo "  audit vs $name head.json: exit $rc, $(wc -c <"$WORKDIR/audit-$name.json") bytes of JSON; $(grep -m1 -E '^(OK|FAILED)' "$WORKDIR/audit-$name.txt" | cut -c1-150)"
  if [ "$rc" -gt 1 ]; then echo "  audit error: $(tail -3 "$LOG")"; fail=1; fi
done
for _ in $(seq 1 "$AUDIT_RUNS"); do
  audit_case audit_bundled "0 1" "$DBOPS" --migrations "$MIGRATIONS" -d "$URL" audit --format json --output /dev/null
  audit_case audit_matched "0" "$DBOPS" --migrations "$BENCH_SCHEMA_REPO" -d "$URL" audit --format json --output /dev/null
  audit_case pg_dump "0" "$PG_BIN/pg_dump" --schema-only -d "$URL" -f /dev/null
done
# shellcheck disable=SC2086
read -r gb gm <<<"$(bench_stats ${AW[pg_dump]})"
# shellcheck disable=SC2086
read -r _ gcm <<<"$(bench_stats ${AC[pg_dump]})"
printf '  %-34s best %.3f s, median %.3f s (client CPU median %.3f s)   runs: %s\n' "pg_dump --schema-only" "$gb" "$gm" "$gcm" "${AW[pg_dump]}"
for name in audit_bundled audit_matched; do
  # shellcheck disable=SC2086
  read -r ab am <<<"$(bench_stats ${AW[$name]})"
  # shellcheck disable=SC2086
  read -r _ acm <<<"$(bench_stats ${AC[$name]})"
  label="dbops audit (${name#audit_} head.json)"
  r_m=$(awk -v a="$am" -v b="$gm" 'BEGIN { printf "%.2f", a / b }')
  r_b=$(awk -v a="$ab" -v b="$gb" 'BEGIN { printf "%.2f", a / b }')
  v1=$(awk -v a="$am" 'BEGIN { print (a < 0.5) ? "met" : "NOT met" }')
  v2=$(awk -v r="$r_m" 'BEGIN { print (r <= 0.5) ? "met" : "NOT met" }')
  printf '  %-34s best %.3f s, median %.3f s (client CPU median %.3f s)   runs: %s\n' "$label" "$ab" "$am" "$acm" "${AW[$name]}"
  declare "SMALL_MEDIAN_${name#audit_}=$am" "SMALL_RATIO_${name#audit_}=$r_m"
  echo "    dbops/pg_dump: ${r_m}x median, ${r_b}x best (goals: under 0.5 s: $v1; at least 2x faster than pg_dump: $v2)"
  md+=("$(printf '| %s, %s tables (%s runs) | %.3f s | %.3f s | %.3f s | pg_dump --schema-only | %.3f s | %.3f s | %.3f s | %sx | %sx |' \
    "$label" "$n_tab" "$AUDIT_RUNS" "$ab" "$am" "$acm" "$gb" "$gm" "$gcm" "$r_m" "$r_b")")
done

# --- (c) audit of a large schema ---------------------------------------------
big_md=()
if [ "$BIG_TABLES" -gt 0 ]; then
  echo
  bench_big_schema bench_big "$BIG_TABLES" "$COLUMNS"
  BIG_URL=$(bench_url bench_big)
  big_specs=("bundled:$MIGRATIONS")
  if [ "$BIG_MATCHED" = 1 ]; then
    if [ ! -f "$BENCH_BIG_REPO/schema/head.json" ]; then
      t0=$EPOCHREALTIME
      "$DBOPS" --migrations "$BENCH_BIG_REPO" snapshot --shadow "$(bench_url postgres)" >&2 \
        || bench_die "dbops snapshot of the $BIG_TABLES-table repository failed"
      bench_say "  snapshot (replay on a shadow database) in $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s"
    fi
    "$DBOPS" --migrations "$BENCH_BIG_REPO" -d "$BIG_URL" stamp head >/dev/null 2>>"$LOG" \
      || bench_die "dbops stamp head of bench_big failed"
    big_specs+=("matched:$BENCH_BIG_REPO")
  fi
  max_locks=$(bench_psql -d postgres -tAc "SHOW max_locks_per_transaction")
  echo "(c) audit of bench_big: $BIG_TABLES tables x $COLUMNS columns; $BIG_RUNS runs each; server max_locks_per_transaction = $max_locks"
  : >"$BENCH__RSS_LOG"
  bench_time_rss "$PG_BIN/pg_dump" --schema-only -d "$BIG_URL" -f "$WORKDIR/big.pg_dump.sql"
  dump_rc=$BENCH_RC dump_wall=$BENCH_WALL dump_rss=$BENCH_RSS_KB
  rm -f "$WORKDIR/big.pg_dump.sql"
  if [ "$dump_rc" = 0 ]; then
    dump_text=$(printf 'pg_dump --schema-only %.3f s, %d MB' "$dump_wall" $((dump_rss / 1024)))
  else
    why=$(grep -m1 -o -E 'out of shared memory|max_locks_per_transaction|error: .*' "$BENCH__RSS_LOG" | tail -1)
    dump_text="pg_dump --schema-only FAILED after $(printf '%.1f' "$dump_wall") s (${why:-exit $dump_rc})"
  fi
  echo "  $dump_text"
  for spec in "${big_specs[@]}"; do
    name=${spec%%:*} repo=${spec#*:}
    walls=() cpus=() rss_max=0
    for _ in $(seq 1 "$BIG_RUNS"); do
      bench_time_rss "$DBOPS" --migrations "$repo" -d "$BIG_URL" audit --format json --output /dev/null
      case "$BENCH_RC" in 0|1) ;; *) echo "  audit vs $name head.json: exit $BENCH_RC, see $BENCH__RSS_LOG"; fail=1 ;; esac
      walls+=("$BENCH_WALL"); cpus+=("$BENCH_CPU")
      [ "$BENCH_RSS_KB" -gt "$rss_max" ] && rss_max=$BENCH_RSS_KB
    done
    read -r bb bm <<<"$(bench_stats "${walls[@]}")"
    read -r _ bcm <<<"$(bench_stats "${cpus[@]}")"
    v1=$(awk -v a="$bm" 'BEGIN { print (a < 3) ? "met" : "NOT met" }')
    v2=$(awk -v m="$rss_max" 'BEGIN { print (m < 250 * 1024) ? "met" : "NOT met" }')
    printf '  dbops audit (%s head.json): best %.3f s, median %.3f s (client CPU median %.3f s), peak RSS %d MB   runs: %s\n' \
      "$name" "$bb" "$bm" "$bcm" $((rss_max / 1024)) "${walls[*]}"
    echo "    goals: under 3 s: $v1; under 250 MB: $v2"
    # Issue 12's row: 2,000 tables at least 2x faster than pg_dump -s (same
    # run, (b)); 20,000 under 3 s and 250 MB; both linear: ten times the
    # tables take at most 12 times the time of (b)'s audit against the same
    # kind of head.json.
    small_var="SMALL_MEDIAN_$name" small_ratio_var="SMALL_RATIO_$name"
    small=${!small_var:-} small_ratio=${!small_ratio_var:-}
    if [ -n "$small" ]; then
      scale=$(awk -v a="$bm" -v b="$small" 'BEGIN { printf "%.1f", a / b }')
      tables_scale=$(awk -v a="$BIG_TABLES" -v b="$n_tab" 'BEGIN { printf "%.0f", a / b }')
      v3=$(awk -v s="$scale" -v t="$tables_scale" 'BEGIN { print (s <= 1.2 * t) ? "met" : "NOT met" }')
      v4=$(awk -v r="$small_ratio" 'BEGIN { print (r <= 0.5) ? "met" : "NOT met" }')
      echo "    row: $n_tab tables ${small_ratio}x pg_dump's time (at least 2x faster: $v4); $BIG_TABLES tables $(printf '%.3f' "$bm") s ($v1), $((rss_max / 1024)) MB ($v2); ${tables_scale}x the tables, ${scale}x the time (linear, at most $(awk -v t="$tables_scale" 'BEGIN { printf "%.0f", 1.2 * t }')x: $v3)"
    fi
    if [ "$dump_rc" = 0 ]; then
      ratio=$(awk -v a="$bm" -v b="$dump_wall" 'BEGIN { printf "%.2fx", a / b }')
    else
      ratio="pg_dump failed"
    fi
    big_md+=("$(printf '| dbops audit (%s head.json), %s tables (%s runs) | %.3f s | %.3f s | %.3f s | %d MB | %s | %s |' \
      "$name" "$BIG_TABLES" "$BIG_RUNS" "$bb" "$bm" "$bcm" $((rss_max / 1024)) "$dump_text" "$ratio")")
  done
  bench_psql -d postgres -c 'DROP DATABASE bench_big WITH (FORCE)' >/dev/null
fi

echo
printf '%s\n' "${md[@]}"
if [ "${#big_md[@]}" -gt 0 ]; then
  echo
  printf '%s\n' "| large schema | dbops best | dbops median | dbops CPU (median) | dbops peak RSS | reference | dbops/ref. (median) |" \
    "|---|---:|---:|---:|---:|---|---:|" "${big_md[@]}"
fi
if [ -n "$MARKDOWN" ]; then
  {
    echo "<!-- bench/db_bench.sh, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, load at the end $(cut -d' ' -f1-3 /proc/loadavg) -->"
    printf '%s\n' "${md[@]}"
    if [ "${#big_md[@]}" -gt 0 ]; then
      echo
      printf '%s\n' "| large schema | dbops best | dbops median | dbops CPU (median) | dbops peak RSS | reference | dbops/ref. (median) |" \
        "|---|---:|---:|---:|---:|---|---:|" "${big_md[@]}"
    fi
  } >"$MARKDOWN"
fi

# --- (d) GUI -------------------------------------------------------------------
if [ -n "$GUI_STALL" ]; then
  echo
  gui_md=()
  [ -n "$MARKDOWN" ] && gui_md=(--markdown "${MARKDOWN%.md}-gui.md")
  /bin/bash "$BENCH_ROOT/bench/gui_bench.sh" --dbops "$DBOPS" --gui-stall "$GUI_STALL" --workdir "$WORKDIR" \
    --tables "$TABLES" --columns "$COLUMNS" --runs "$GUI_RUNS" "${gui_md[@]}" || fail=1
fi
exit "$fail"
