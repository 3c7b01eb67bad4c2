#!/usr/bin/env bash
# dbops reads an Alembic project statically (`--alembic PATH`) and sees the
# same revision graph as Alembic itself:
#
#   tests/with-postgres.sh tests/cli/test_alembic_bridge_graph.sh DBOPS_BINARY [SOURCE_DIR]
#
# tests/alembic/bridge_project/ has a linear chain, a branch point, a merge, a
# second base labelled 'audit' in its own version location, and depends_on.
# Debian's /usr/bin/alembic answers the same questions for comparison.  The
# last part needs the server: Alembic upgrades half way, dbops reads where the
# database stands.  Prints one line per check and ends with "N passed, M
# failed"; exits non-zero when any check failed.
set -euo pipefail

[ $# -ge 1 ] || { echo "usage: $0 DBOPS_BINARY [SOURCE_DIR]" >&2; exit 2; }
DBOPS=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=$(cd "${2:-$SCRIPT_DIR/../..}" && pwd)
# shellcheck source=tests/lib/check.sh
source "$SRC/tests/lib/check.sh"
PROJECT="$SRC/tests/alembic/bridge_project"

[ -x "$DBOPS" ] || { echo "FATAL: $DBOPS is not executable" >&2; exit 2; }
[ -x "$ALEMBIC" ] || { echo "FATAL: $ALEMBIC not found (Debian package 'alembic')" >&2; exit 2; }
[ -n "${PGPORT:-}" ] || { echo "FATAL: PGPORT is not set: run through tests/with-postgres.sh" >&2; exit 2; }

isolated_workdir alembic-graph
url() { local_url "$1"; }

# dbops ARGS...: sets RC, OUT, ERR.
dbops() { capture "$DBOPS" "$@"; }

ids_of_history() { grep -oE -- '-> [0-9a-z]{12}' | cut -c4-; }
# Every revision is listed before the revisions it revises (history is newest first).
children_before_parents() {
  awk '
    { line = $0; sub(/, [^,]*$/, "", line)   # drop the message
      split(line, arrow, " -> "); id = substr(arrow[2], 1, 12); pos[id] = NR
      parents[NR] = arrow[1]; ids[NR] = id }
    END {
      bad = 0
      for (n = 1; n <= NR; n++) {
        list = parents[n]; gsub(/\([^)]*\)/, "", list); gsub(/<base>/, "", list)
        k = split(list, p, /[ ,]+/)
        for (i = 1; i <= k; i++) if (p[i] != "" && !(p[i] in pos && pos[p[i]] > n)) { print "    " ids[n] " is not listed before its parent " p[i]; bad = 1 }
      }
      exit bad
    }' <<<"$1"
}

# ------------------------------------------------------------------ history and heads
alembic none history
check "alembic history: exit 0" rc_is 0
ALEMBIC_IDS=$(ids_of_history <<<"$OUT" | sort | tr '\n' ' ')
dbops --alembic "$PROJECT" history
check "dbops --alembic history: exit 0" rc_is 0
DBOPS_HISTORY=$OUT
DBOPS_IDS=$(ids_of_history <<<"$OUT" | sort | tr '\n' ' ')
check "history: the same 9 revisions as alembic history" eq "$DBOPS_IDS" "$ALEMBIC_IDS"
check "... namely all of them" eq "$(wc -w <<<"$DBOPS_IDS")" 9
check "history: every revision before its parents" children_before_parents "$DBOPS_HISTORY"
check "history: the merge lists both parents, as alembic does" \
  matches "$DBOPS_HISTORY" '^2b0000000001, 3c0000000001 -> 4d0000000001 .*\(mergepoint\), merge reports and seed$'
check "history: depends_on on the audit label as written, as alembic prints it" \
  matches "$DBOPS_HISTORY" '^4d0000000001 \(audit\) -> 5e0000000001 \(reports\)'
check "history: the docstring's first line is the message" \
  matches "$DBOPS_HISTORY" '^<base> -> 1a0000000001, create accounts$'

alembic none heads
ALEMBIC_HEADS=$(awk '{print $1}' <<<"$OUT" | sort | tr '\n' ' ')
dbops --alembic "$PROJECT" heads
check "dbops --alembic heads: exit 0" rc_is 0
check "heads: the same as alembic heads ($ALEMBIC_HEADS)" eq "$(awk '{print $1}' <<<"$OUT" | sort | tr '\n' ' ')" "$ALEMBIC_HEADS"
check "heads: the audit base is an effective head, as alembic says" matches "$OUT" '^9z0000000001 \(audit\) \(effective head\)$'

# The ini file, and the option after the command, work too.
dbops heads --alembic "$PROJECT/alembic.ini"
check "--alembic alembic.ini after the command: the same heads" \
  eq "$RC|$(awk '{print $1}' <<<"$OUT" | sort | tr '\n' ' ')" "0|$ALEMBIC_HEADS"

# ------------------------------------------------------------------ show and specifiers
for spec in reports@head audit@head audit 2b00 1a0000000002 head; do
  alembic none show "$spec"
  want=$(grep -oE '^Rev: [0-9a-z]{12}' <<<"$OUT" | head -n 1 || true)
  [ "$spec" = head ] && want="" # alembic refuses 'head' with two heads; so must dbops
  dbops --alembic "$PROJECT" show "$spec"
  got=$(grep -oE '^Rev: [0-9a-z]{12}' <<<"$OUT" | head -n 1 || true)
  check "show $spec: the revision alembic shows (${want:-an error})" eq "$got" "$want"
done
dbops --alembic "$PROJECT" show head
check "show head with two heads: exit 2, as alembic refuses it" rc_is 2
dbops --alembic "$PROJECT" show 1a0000000002
check "show: the revision script's path and Create Date" \
  eq "$RC|$(grep -E '^(Path|Create Date):' <<<"$OUT")" "0|Create Date: 2025-01-11 09:00:00.000000
Path: $PROJECT/versions/1a0000000002_add_account_status_enum.py"
dbops --alembic "$PROJECT" show 9z0000000001 --json
check "show --json: file is the .py in the second version location, labels ['audit']" \
  eq "$RC|$(/usr/bin/python3 -c 'import json,sys; r=json.load(sys.stdin)["revisions"][0]; print(r["file"], r["branch_labels"], r["is_base"])' <<<"$OUT")" \
  "0|$PROJECT/audit_versions/9z0000000001_create_audit_log.py ['audit'] True"

# ------------------------------------------------------------------ bad input
cp -r "$PROJECT" "$WORK/broken"
sed -i 's/^down_revision = .1a0000000002.$/down_revision = parent_of("1a0000000003")/' \
  "$WORK/broken/versions/1a0000000003_create_factors.py"
dbops --alembic "$WORK/broken" history
check "a script that cannot be read statically: exit 2" rc_is 2
check "... named with file:line and what was found" matches "$ERR" \
  "^dbops: error: $WORK/broken/versions/1a0000000003_create_factors.py:12: cannot read down_revision statically: a function call \(parent_of\(\.\.\.\)\)"
sed -i 's/^down_revision = parent_of("1a0000000003")$/down_revision = "1a0000009999"/' \
  "$WORK/broken/versions/1a0000000003_create_factors.py"
dbops --alembic "$WORK/broken" heads
check "a missing down_revision: exit 2 with the .py file:line" \
  eq "$RC|$(head -n 1 <<<"$ERR")" "2|dbops: error: $WORK/broken/versions/1a0000000003_create_factors.py:12: revision 1a0000000003 names down_revision 1a0000009999, which no migration file defines"
dbops --alembic "$SRC/migrations" heads
check "--alembic on a dbops repository: exit 2, 'not an Alembic project'" \
  eq "$RC|$(grep -c 'not an Alembic project' <<<"$ERR")" "2|1"
dbops --alembic "$PROJECT" --migrations "$SRC/migrations" heads
check "--alembic with --migrations: exit 2" rc_is 2
dbops --alembic "$PROJECT" new -m "no .sql files in an Alembic project"
check "new on an Alembic project: exit 2, nothing written" \
  eq "$RC|$(find "$PROJECT" -name '*.sql' | wc -l)" "2|0"

# ------------------------------------------------------------------ current against a real server
"$PSQL" -X -q -v ON_ERROR_STOP=1 -d "$(url postgres)" -c "CREATE DATABASE bridge" >/dev/null
alembic bridge upgrade 3c0000000001
check "alembic upgrade 3c0000000001 (online): exit 0" rc_is 0
alembic bridge upgrade 3c0000000001:heads --sql
ALEMBIC_PENDING=$(grep -c '^-- Running upgrade' <<<"$OUT" || true)
check "alembic counts 5 revisions from 3c0000000001 to the heads" eq "$ALEMBIC_PENDING" 5
dbops --alembic "$PROJECT" -d "$(url bridge)" current
check "dbops --alembic current: names 3c0000000001 and the pending count alembic counts" \
  eq "$RC|$(grep -E '^(Current|Pending):' <<<"$OUT" | tr -s ' ')" "0|Current: 3c0000000001, seed factors (a data migration)
Pending: $ALEMBIC_PENDING revision(s)"
dbops --alembic "$PROJECT" -d "$(url bridge)" current --check
check "dbops --alembic current --check half way: exit 1" rc_is 1
dbops --alembic "$PROJECT" -d "$(url bridge)" current --json
check "current --json: version_table alembic_version, at_head false" \
  eq "$(/usr/bin/python3 -c 'import json,sys; j=json.load(sys.stdin); print(j["version_table"], j["at_head"], j["pending"])' <<<"$OUT")" \
  "alembic_version False 5"
alembic bridge upgrade heads
check "alembic upgrade heads: exit 0" rc_is 0
VERSION_ROWS=$("$PSQL" -X -q -A -t -d "$(url bridge)" -c "SELECT string_agg(version_num, ' ' ORDER BY version_num) FROM alembic_version")
check "alembic_version holds 6f0000000001 (the audit base is implied through depends_on)" eq "$VERSION_ROWS" "6f0000000001"
dbops current -d "$(url bridge)" --alembic "$PROJECT"
check "dbops --alembic current at the heads: the version table's revision, a head, nothing pending" \
  eq "$RC|$(grep -E '^(Current|Pending):' <<<"$OUT" | tr -s ' ')" "0|Current: 6f0000000001 (head), index accounts by name, concurrently (non-transactional)
Pending: 0 revision(s) (up to date)"
dbops --alembic "$PROJECT" -d "$(url bridge)" current --check
check "dbops --alembic current --check at the heads: exit 0" rc_is 0

finish
