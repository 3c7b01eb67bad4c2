#!/usr/bin/env bash
# Throwaway PostgreSQL server for tests, benchmarks and the demo.
#
# Source this file, then call `pg_temp_start`; it exports PGHOST, PGPORT,
# PGUSER and DBOPS_PG_DATADIR, and installs an EXIT trap that stops the
# server and deletes its data directory.  Works as root (the server runs as the
# `postgres` OS user, since initdb and postgres refuse root) and as a normal
# user.  Listens on 127.0.0.1 only, on a free port, with trust auth.
#
#   source scripts/pg-temp-server.sh
#   pg_temp_start            # or: pg_temp_start /some/persistent/dir
#   psql -d postgres -c 'select 1'

pg_temp__bindir() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    if [ -x "$d/initdb" ]; then echo "$d"; fi
  done | sort -V | tail -n 1
}

pg_temp__as_server_user() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

pg_temp__free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$(( (RANDOM % 20000) + 30000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  echo "pg-temp-server: no free port found" >&2
  return 1
}

# pg_temp_start [DATADIR]: with DATADIR the directory is kept after stop.
pg_temp_start() {
  local bindir datadir keep=0
  bindir=$(pg_temp__bindir)
  if [ -z "$bindir" ]; then
    echo "pg-temp-server: PostgreSQL server binaries not found (install the postgresql package)" >&2
    return 1
  fi
  if [ -n "${1:-}" ]; then
    datadir=$1
    keep=1
    mkdir -p "$datadir"
  else
    datadir=$(mktemp -d /tmp/dbops-pg.XXXXXX)
  fi
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$datadir"
    chmod 700 "$datadir"
  fi
  export DBOPS_PG_BINDIR=$bindir
  export DBOPS_PG_DATADIR=$datadir
  export DBOPS_PG_KEEP=$keep
  if [ ! -f "$datadir/PG_VERSION" ]; then
    pg_temp__as_server_user "$bindir/initdb" -D "$datadir" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$datadir.initdb.log" 2>&1 \
      || pg_temp__as_server_user "$bindir/initdb" -D "$datadir" -U postgres -A trust -E UTF8 --no-locale >"$datadir.initdb.log" 2>&1 \
      || { echo "pg-temp-server: initdb failed:" >&2; cat "$datadir.initdb.log" >&2; return 1; }
  fi
  # Tests run in parallel: two may pick the same free port at once, so a
  # failed start is retried on another port.
  local port attempt started=0
  for attempt in 1 2 3 4 5; do
    port=$(pg_temp__free_port) || return 1
    if pg_temp__as_server_user "$bindir/pg_ctl" -D "$datadir" -w -t 60 -l "$datadir/server.log" \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $datadir -c fsync=off -c full_page_writes=off -c synchronous_commit=off" \
      start >/dev/null; then
      started=1
      break
    fi
    echo "pg-temp-server: start on port $port failed (attempt $attempt), retrying" >&2
  done
  if [ "$started" != 1 ]; then
    echo "pg-temp-server: server did not start:" >&2
    cat "$datadir/server.log" >&2
    return 1
  fi
  export PGHOST=127.0.0.1
  export PGPORT=$port
  export PGUSER=postgres
  export PGDATABASE=postgres
  unset PGPASSWORD PGSERVICE PGSSLMODE
  trap pg_temp_stop EXIT
}

pg_temp_stop() {
  if [ -n "${DBOPS_PG_DATADIR:-}" ] && [ -f "$DBOPS_PG_DATADIR/postmaster.pid" ]; then
    pg_temp__as_server_user "$DBOPS_PG_BINDIR/pg_ctl" -D "$DBOPS_PG_DATADIR" -m fast -w stop >/dev/null 2>&1 || true
  fi
  if [ "${DBOPS_PG_KEEP:-0}" = 0 ] && [ -n "${DBOPS_PG_DATADIR:-}" ]; then
    rm -rf "$DBOPS_PG_DATADIR" "$DBOPS_PG_DATADIR.initdb.log"
  fi
  DBOPS_PG_DATADIR=
}
