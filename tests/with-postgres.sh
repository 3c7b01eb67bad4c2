#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL server started for it alone:
#   tests/with-postgres.sh COMMAND [ARGS...]
# PGHOST/PGPORT/PGUSER point at the server; DBOPS_TEST_PG_URL is its URL.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../scripts/pg-temp-server.sh
source "$here/../scripts/pg-temp-server.sh"
pg_temp_start
export DBOPS_TEST_PG_URL="postgresql://postgres@127.0.0.1:$PGPORT/postgres"
export DBOPS_KEYCHAIN=${DBOPS_KEYCHAIN:-off}
"$@"
