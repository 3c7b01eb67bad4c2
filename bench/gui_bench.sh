#!/usr/bin/env bash
# GUI responsiveness benchmark of the console: runs dbops-gui-stall
# (bench/gui_stall.cpp) offscreen (QT_QPA_PLATFORM=offscreen) against a
# throwaway PostgreSQL server, --runs times, each run on a fresh copy of the
# database at 19c513d3bf90 (23 revisions behind) and on the generated
# 2,000-table database (see bench/bench_lib.sh).  Prints time to first window
# (and when the repository, loaded in its own thread, arrived) and the longest
# GUI-thread stall per phase (repository, connect, dialog, run, after-run,
# audit, audit-matched) with what caused it; goals: first window under 400 ms,
# every stall under 16 ms.  A second process per run (--query-url) times the
# query console: a 100,000-row result shown and scrolled (query, query-scroll),
# and its peak memory (query_peak_rss_mb, goal under 200 MB), and (no database)
# the audit panel's schema diff of a 2,000-column table: the time to show it
# when selected (diff_view_ms, drift; diff_view_missing_ms, a MISSING table)
# and the longest stall while selecting and scrolling it (stall_diff_view_ms).
#
#   bench/gui_bench.sh --dbops build/bench/app/cli/dbops --gui-stall build/bench/bench/dbops-gui-stall
#       [--runs 5] [--tables 2000] [--columns 20] [--workdir DIR] [--markdown FILE]
#
# bench/db_bench.sh --gui-stall EXE runs it on its own server at the end.
set -uo pipefail

DBOPS=
GUI_STALL=
RUNS=5
TABLES=2000
COLUMNS=20
WORKDIR=/tmp/dbops-dbbench
MARKDOWN=
while [ $# -gt 0 ]; do
  case "$1" in
    --dbops) DBOPS=$2; shift 2 ;;
    --gui-stall) GUI_STALL=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --tables) TABLES=$2; shift 2 ;;
    --columns) COLUMNS=$2; shift 2 ;;
    --workdir) WORKDIR=$2; shift 2 ;;
    --markdown) MARKDOWN=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "gui_bench.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
DBOPS=$(readlink -f "$DBOPS" 2>/dev/null || true)
GUI_STALL=$(readlink -f "$GUI_STALL" 2>/dev/null || true)
[ -n "$DBOPS" ] && [ -x "$DBOPS" ] || { echo "gui_bench.sh: --dbops PATH required" >&2; exit 2; }
[ -n "$GUI_STALL" ] && [ -x "$GUI_STALL" ] || { echo "gui_bench.sh: --gui-stall PATH required (cmake --build BUILD --target dbops-gui-stall)" >&2; exit 2; }
WORKDIR=$(mkdir -p "$WORKDIR" && cd "$WORKDIR" && pwd)
export DBOPS

# shellcheck source=bench_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/bench_lib.sh"
[ "${DBOPS_BENCH_SERVER_READY:-0}" = 1 ] || \
  echo "machine: $(uname -srm), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
bench_setup "$WORKDIR" "$TABLES" "$COLUMNS"
export QT_QPA_PLATFORM=offscreen
unset QT_LOGGING_RULES

echo "GUI: dbops-gui-stall offscreen, $RUNS runs (load average $(cut -d' ' -f1-3 /proc/loadavg))"
fail=0
keys=(first_window_ms mainwindow_ctor_ms repository_ready_ms stall_repository_ms stall_idle_ms stall_connect_ms
      dialog_open_ms stall_dialog_ms run_ms stall_run_ms stall_after_run_ms stall_audit_ms audit_shown_ms
      second_window_ctor_ms second_repository_ready_ms stall_audit_matched_ms audit_matched_shown_ms
      stall_query_ms query_shown_ms stall_query_scroll_ms query_result_mb query_peak_rss_mb
      stall_diff_view_ms diff_view_ms diff_view_missing_ms diff_view_column_ms)
declare -A VALS=()
for r in $(seq 1 "$RUNS"); do
  bench_createdb gui_up bench_up_tpl
  bench_psql -d postgres -c CHECKPOINT >/dev/null
  out="$WORKDIR/gui_stall.$r.txt"
  "$GUI_STALL" --upgrade-url "$(bench_url gui_up)" --audit-url "$(bench_url bench_schema)" \
    --audit-migrations "$BENCH_SCHEMA_REPO" --migrations "$BENCH_ROOT/migrations" >"$out" 2>"$out.stderr"
  rc=$?
  echo "--- run $r (exit $rc) ---"
  grep -v '^RESULT ' "$out"
  [ "$rc" = 0 ] || { fail=1; echo "  stderr: $(tail -5 "$out.stderr")"; }
  # The query console in a process of its own, so its peak memory is its own.
  qout="$WORKDIR/gui_query.$r.txt"
  "$GUI_STALL" --query-url "$(bench_url postgres)" --diff-columns 2000 --migrations "$BENCH_ROOT/migrations" \
    >"$qout" 2>"$qout.stderr"
  rc=$?
  echo "--- run $r, query console and schema diff (exit $rc) ---"
  grep -v '^RESULT ' "$qout" | sed -n '/^  query/,$p'
  [ "$rc" = 0 ] || { fail=1; echo "  stderr: $(tail -5 "$qout.stderr")"; }
  grep -E '^RESULT (stall_query|query_|stall_diff_view|diff_view)' "$qout" >>"$out"
  for k in "${keys[@]}"; do
    v=$(awk -v k="$k" '$1 == "RESULT" && $2 == k { print $3 }' "$out")
    VALS[$k]+="${v:-nan} "
  done
done
bench_psql -d postgres -c 'DROP DATABASE IF EXISTS gui_up WITH (FORCE)' >/dev/null

summary() { # key -> "min median max" over the runs
  # shellcheck disable=SC2086
  printf '%s\n' ${VALS[$1]} | grep -v nan | sort -g | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "n/a n/a n/a"; exit }
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%.1f %.1f %.1f", v[1], m, v[NR] }'
}
goal() { # value limit
  awk -v a="$1" -v b="$2" 'BEGIN { if (a == "n/a") print "n/a"; else print (a + 0 < b + 0) ? "met" : "**not met**" }'
}
echo
echo "summary over $RUNS runs (min / median / max, ms):"
md=("| measure | min | median | max | goal |" "|---|---:|---:|---:|---|")
for k in "${keys[@]}"; do
  read -r lo me hi <<<"$(summary "$k")"
  case "$k" in
    first_window_ms) g="under 400 ms: $(goal "$me" 400)" ;;
    stall_idle_ms) g="(baseline: scheduling noise)" ;;
    stall_*) g="under 16 ms: $(goal "$hi" 16)" ;;
    query_peak_rss_mb) g="under 200 MB: $(goal "$hi" 200)" ;;
    diff_view_ms|diff_view_missing_ms) g="under 100 ms: $(goal "$hi" 100)" ;;
    *) g="" ;;
  esac
  printf '  %-24s %9s %9s %9s   %s\n' "$k" "$lo" "$me" "$hi" "$g"
  md+=("| $k | $lo | $me | $hi | $g |")
done
if [ -n "$MARKDOWN" ]; then
  {
    echo "<!-- bench/gui_bench.sh, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, load at the end $(cut -d' ' -f1-3 /proc/loadavg) -->"
    printf '%s\n' "${md[@]}"
  } >"$MARKDOWN"
fi
exit "$fail"
