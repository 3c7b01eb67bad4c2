#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL server started for it alone:
#   tests/with-postgres.sh COMMAND [ARGS...]
# PGHOST/PGPORT/PGUSER point at the server; DBOPS_TEST_PG_URL is its URL.
# A test that loses the server mid-way stops it and starts it again (same
# port, same data) with "$DBOPS_TEST_PG_CONTROL" --server stop|start.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../scripts/pg-temp-server.sh
source "$here/../scripts/pg-temp-server.sh"
if [ "${1:-}" = --server ]; then
  case "${2:-}" in
    stop) pg_temp__as_server_user "$DBOPS_PG_BINDIR/pg_ctl" -D "$DBOPS_PG_DATADIR" -m fast -w stop >/dev/null ;;
    start) pg_temp__as_server_user "$DBOPS_PG_BINDIR/pg_ctl" -D "$DBOPS_PG_DATADIR" -w -t 60 -l "$DBOPS_PG_DATADIR/server.log" \
      -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $DBOPS_PG_DATADIR -c fsync=off -c full_page_writes=off -c synchronous_commit=off" \
      start >/dev/null ;;
    *) echo "usage: with-postgres.sh --server stop|start (inside a with-postgres.sh run)" >&2; exit 2 ;;
  esac
  exit 0
fi
pg_temp_start
export DBOPS_TEST_PG_URL="postgresql://postgres@127.0.0.1:$PGPORT/postgres"
export DBOPS_KEYCHAIN=${DBOPS_KEYCHAIN:-off}
export DBOPS_TEST_PG_CONTROL="$here/with-postgres.sh"
"$@"
