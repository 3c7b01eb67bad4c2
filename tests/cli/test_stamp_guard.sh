#!/usr/bin/env bash
# `dbops stamp` audits first: it refuses when the database lacks what the
# stamp target creates, unless --force --reason; the reason is journaled.
#   tests/cli/test_stamp_guard.sh DBOPS_BINARY SOURCE_DIR   (under tests/with-postgres.sh)
set -euo pipefail
DBOPS=$1
SRC=$2
# shellcheck source=tests/lib/check.sh
source "$SRC/tests/lib/check.sh"
isolated_workdir stamp
createdb stampdb
URL="postgresql://$PGUSER@127.0.0.1:$PGPORT/stampdb"
run() { set +e; "$DBOPS" --migrations "$SRC/migrations" -d "$URL" "$@" >"$WORK/out" 2>"$WORK/err"; RC=$?; set -e; }
version() { psql -X -At -d stampdb -c "SELECT string_agg(version_num, ',') FROM alembic_version"; }

run upgrade 19c513d3bf90
check "setup: database at 19c513d3bf90" test "$RC:$(version)" = "0:19c513d3bf90"

run stamp head
check "stamp head on a database 23 revisions behind: refused with exit 2" test "$RC" = 2
check "the refusal lists the missing tables" grep -q "MISSING table equity_changes" "$WORK/err"
check "the refusal says how to proceed" grep -q "run the upgrade instead" "$WORK/err"
check "nothing changed" test "$(version)" = "19c513d3bf90"

run stamp head --force
check "--force without --reason: exit 2" test "$RC" = 2
check "nothing changed" test "$(version)" = "19c513d3bf90"

run stamp head --force --reason "objects restored from a dump by hand"
check "--force --reason: exit 0" test "$RC" = 0
check "the version table says head" test "$(version)" = "792ffb1ab1ad"
check "the journal keeps the reason" grep -q "forced: objects restored from a dump by hand" "$XDG_DATA_HOME/dbops/journal.jsonl"

run stamp 19c513d3bf90
check "stamp back to 19c513d3bf90 (schema matches it): exit 0" test "$RC" = 0
check "the version table says 19c513d3bf90" test "$(version)" = "19c513d3bf90"

run upgrade
run stamp head
check "at head with every object present, stamp head is allowed" test "$RC" = 0
check "no throwaway shadow database is left" test "$(psql -X -At -d postgres -c "SELECT count(*) FROM pg_database WHERE datname LIKE 'dbops_shadow%'")" = 0

finish
