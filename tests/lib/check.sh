# Shared harness of the shell tests (tests/cli, tests/sql, tests/alembic):
#   source "$SRC/tests/lib/check.sh"
# Each check prints "ok   - ..." or "FAIL - ..." with the reason indented
# below; `finish` prints "N passed, M failed" and exits non-zero when any
# check failed.  Commands a test runs leave RC, OUT and ERR behind (and the
# raw streams in $WORK/out and $WORK/err) for the assertions below.

PASS=0
FAIL=0

# check DESCRIPTION COMMAND...: passes when COMMAND succeeds.
check() {
  local desc=$1; shift
  if "$@"; then PASS=$((PASS + 1)); echo "ok   - $desc"
  else FAIL=$((FAIL + 1)); echo "FAIL - $desc"; fi
}
finish() { echo; echo "$PASS passed, $FAIL failed"; [ "$FAIL" -eq 0 ]; exit $?; }

show_outputs() {
  echo "    exit code: ${RC:-?}"
  echo "    stdout: $(head -c 1500 "$WORK/out" 2>/dev/null)"
  echo "    stderr: $(head -c 900 "$WORK/err" 2>/dev/null)"
}
rc_is() { [ "$RC" -eq "$1" ] || { echo "    expected exit code $1, got $RC"; show_outputs; return 1; }; }

# eq GOT EXPECTED: a short diff for multi-line values.
eq() {
  [ "$1" = "$2" ] && return 0
  if [ "$(wc -l <<<"$1")" -gt 3 ] || [ "$(wc -l <<<"$2")" -gt 3 ]; then
    echo "    differs (- expected, + got):"; diff <(printf '%s\n' "$2") <(printf '%s\n' "$1") | head -n 20 | sed 's/^/      /'
  else
    echo "    expected: '$2'"; echo "    got:      '$1'"
  fi
  return 1
}
has() { grep -qF -- "$2" <<<"$1" || { echo "    '$2' not found in:"; head -c 1500 <<<"$1" | sed 's/^/      /'; return 1; }; }
lacks() { ! grep -qF -- "$2" <<<"$1" || { echo "    '$2' unexpectedly found"; return 1; }; }
matches() { grep -qE -- "$2" <<<"$1" || { echo "    no line matches /$2/ in:"; head -c 1500 <<<"$1" | sed 's/^/      /'; return 1; }; }
count_lines() { grep -cE -- "$2" <<<"$1" || true; } # count_lines TEXT REGEX
empty() { [ -z "$1" ] || { echo "    expected no output, got: $(head -c 300 <<<"$1")"; return 1; }; }
words() { tr -s ' \n' '\n' <<<"$1" | sed '/^$/d' | sort | tr '\n' ' ' | sed 's/ $//'; } # sorted, one line

# json_ok TEXT [PYTHON_EXPRESSION over `d`]: TEXT parses and the expression is true.
# Debian's python3, not a pyenv one earlier on PATH.
json_ok() {
  /usr/bin/python3 -c '
import json, sys
d = json.loads(sys.stdin.read())
expr = sys.argv[1] if len(sys.argv) > 1 else "True"
if not eval(expr):
    print("    JSON check failed: " + expr); sys.exit(1)
' "${2:-True}" <<<"$1" || { echo "    JSON was: $(head -c 400 <<<"$1")"; return 1; }
}

# PostgreSQL's client programs of the newest installed server version.
PGBIN=${DBOPS_PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
PSQL=$PGBIN/psql
PG_DUMP=$PGBIN/pg_dump
PG_RESTORE=$PGBIN/pg_restore

# schema_of URL: pg_dump -s without the lines that differ between dumps of
# equal schemas (comments, \restrict keys), and without dbops' checksums of
# what it applied (dbops_applied_revisions: dbops' bookkeeping, absent where Alembic ran).
schema_of() { "$PG_DUMP" -s -T dbops_applied_revisions -d "$1" | grep -vE '^(--|\\restrict|\\unrestrict)'; }

# Debian's Alembic with a clean Python environment.
ALEMBIC=/usr/bin/alembic
alembic_clean() { env -u PYTHONPATH -u PYTHONHOME -u VIRTUAL_ENV PYTHONDONTWRITEBYTECODE=1 "$ALEMBIC" "$@"; }

# isolated_workdir NAME: a fresh $WORK, removed on exit, holding dbops'
# profiles and journal (XDG directories); no keychain, and nothing in the
# environment that would pick a repository or a database for the test.
isolated_workdir() {
  unset DBOPS_MIGRATIONS DATABASE_URL PGDATABASE DBOPS_ALEMBIC
  export DBOPS_KEYCHAIN=off
  WORK=$(mktemp -d "/tmp/dbops-$1.XXXXXX")
  chmod 755 "$WORK" # the postgres OS user may need to read files here
  export XDG_CONFIG_HOME="$WORK/config" XDG_DATA_HOME="$WORK/data"
  trap 'rm -rf "$WORK"' EXIT
}
# local_url DB: the test server's database DB as the postgres role (tests/with-postgres.sh sets PGPORT).
local_url() { echo "postgresql://postgres@127.0.0.1:$PGPORT/$1"; }

# capture COMMAND...: runs it and sets RC, OUT and ERR (the streams also stay
# in $WORK/out and $WORK/err for show_outputs).
capture() {
  set +e
  "$@" >"$WORK/out" 2>"$WORK/err"
  RC=$?
  set -e
  OUT=$(cat "$WORK/out"); ERR=$(cat "$WORK/err")
}
# alembic DB ARGS...: Debian's Alembic on $PROJECT/alembic.ini, online against
# the test server's database DB (its env.py reads DBOPS_ALEMBIC_URL), run from
# $WORK so no __pycache__ lands in the source tree; through capture.
alembic() {
  local db=$1; shift
  capture env -C "$WORK" -u PYTHONPATH -u PYTHONHOME -u VIRTUAL_ENV PYTHONDONTWRITEBYTECODE=1 \
    DBOPS_ALEMBIC_URL="$(local_url "$db")" "$ALEMBIC" -c "$PROJECT/alembic.ini" "$@"
}
