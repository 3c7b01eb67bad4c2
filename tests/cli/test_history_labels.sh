#!/usr/bin/env bash
# `dbops history` and `heads` show branch labels and depends_on as Alembic
# does: a label on every revision of its branch (through merges, and up a
# plain line to the base or the branch point), depends_on as written.
#
#   tests/cli/test_history_labels.sh DBOPS_BINARY [SOURCE_DIR]
#
# tests/alembic/labels_project/ holds the shapes (see its versions/); Debian's
# /usr/bin/alembic prints the reference, which needs no database for history.
# Alembic prints a revision's labels from a Python set, in no stable order, so
# the labels inside each "( )" are sorted on both sides before comparing.
set -euo pipefail

[ $# -ge 1 ] || { echo "usage: $0 DBOPS_BINARY [SOURCE_DIR]" >&2; exit 2; }
DBOPS=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=$(cd "${2:-$SCRIPT_DIR/../..}" && pwd)
# shellcheck source=tests/lib/check.sh
source "$SRC/tests/lib/check.sh"
[ -x "$DBOPS" ] || { echo "FATAL: $DBOPS is not executable" >&2; exit 2; }
[ -x "$ALEMBIC" ] || { echo "FATAL: $ALEMBIC not found (Debian package 'alembic')" >&2; exit 2; }

isolated_workdir history-labels
cp -r "$SRC/tests/alembic/labels_project" "$WORK/project"
PROJECT="$WORK/project"

# Sorts the comma-separated words inside every "( )" and the lines themselves.
normalise() {
  /usr/bin/python3 -c '
import re, sys
def sort_group(m):
    return "(" + ", ".join(sorted(w.strip() for w in m.group(1).split(","))) + ")"
for line in sorted(re.sub(r"\(([^()]*)\)", sort_group, l.rstrip("\n")) for l in sys.stdin if l.strip()):
    print(line)'
}

capture alembic_clean -c "$PROJECT/alembic.ini" history
check "alembic history: exit 0" rc_is 0
ALEMBIC_HISTORY=$(normalise <<<"$OUT")
check "alembic history: 13 revisions" eq "$(wc -l <<<"$ALEMBIC_HISTORY")" "13"

capture "$DBOPS" --alembic "$PROJECT" history
check "dbops history: exit 0" rc_is 0
check "dbops history = alembic history (labels on every revision of a branch, depends_on as written)" \
  eq "$(normalise <<<"$OUT")" "$ALEMBIC_HISTORY"
check "history: a label spreads through a merge" has "$OUT" "aaaa00000004, aaaa00000005 -> aaaa00000006 (feature) (mergepoint), merge"
check "history: depends_on as written (a label stays a label)" has "$OUT" "aaaa00000006 (feature) -> aaaa00000007 (feature)"
check "history: the walk up stops at a merge (no label above the labelled revision)" \
  has "$OUT" "aaaa00000001 -> aaaa00000002, before the label"
check "history: the walk up reaches the base of a plain line" \
  has "$OUT" "<base> -> cccc00000001 (addon, plugin), plugin base"

capture "$DBOPS" --alembic "$PROJECT" history --verbose
check "history --verbose: Branch names on an unlabelled revision of the branch" \
  has "$OUT" "Branch names: feature, side"
check "history --verbose: Also depends on, as written" has "$OUT" "Also depends on: feature"

capture alembic_clean -c "$PROJECT/alembic.ini" heads
ALEMBIC_HEADS=$(normalise <<<"$OUT")
capture "$DBOPS" --alembic "$PROJECT" heads
check "dbops heads = alembic heads (with the branch's labels)" eq "$(normalise <<<"$OUT")" "$ALEMBIC_HEADS"

finish
