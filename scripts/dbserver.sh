#!/usr/bin/env bash
# A private database server for tests and benchmarks, in a data directory of the build — never a
# system service. Listens only on a Unix socket inside that directory (no TCP port).
#
#   scripts/dbserver.sh start postgres   # prints BANK_SERVER_OWNER_URL=… and BANK_SERVER_READER_URL=…
#   scripts/dbserver.sh url postgres     # the same two lines for a server already running
#   scripts/dbserver.sh stop postgres
#
# Roles (least privilege): bank_owner loads the data (python -m db.build --target "$BANK_SERVER_OWNER_URL");
# bank_reader is what the app connects as: it may read the bank schema, never write it, and is
# denied the personal column customer_base.name (granted by db.server_load after each load).
# BANK_SERVER_DIR (default build/dbserver, relative to the project) holds one directory per server; the
# server runs as the package's postgres user when started by root, so every directory above it must be
# traversable by that user.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="${BANK_SERVER_DIR:-build/dbserver}"
[[ "$ROOT" = /* ]] || ROOT="$(pwd)/$ROOT"
cmd="${1:-}"; kind="${2:-postgres}"

pg_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/pg_ctl" ] && { echo "$d"; return; }; done
  echo "PostgreSQL server binaries not found: run scripts/install_system_deps.sh" >&2; exit 1
}

# PostgreSQL refuses to run as root: run its programs as the package's postgres user.
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

pg_urls() {
  local sock="$ROOT/postgres/socket"
  echo "BANK_SERVER_OWNER_URL=postgresql+psycopg://bank_owner@/bank?host=$sock"
  echo "BANK_SERVER_READER_URL=postgresql+psycopg://bank_reader@/bank?host=$sock"
}

pg_start() {
  local bin data sock
  bin="$(pg_bin)"; data="$ROOT/postgres/data"; sock="$ROOT/postgres/socket"
  mkdir -p "$ROOT/postgres"
  mkdir -p "$sock"; chmod 700 "$sock"
  [ "$(id -u)" -eq 0 ] && chown -R postgres "$ROOT/postgres"
  if [ ! -s "$data/PG_VERSION" ]; then
    as_pg "$bin/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if ! as_pg "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    as_pg "$bin/pg_ctl" -D "$data" -l "$ROOT/postgres/server.log" -w \
      -o "-c listen_addresses='' -c unix_socket_directories='$sock' -c fsync=off" start >/dev/null
  fi
  as_pg "$bin/psql" -h "$sock" -U postgres -d postgres -v ON_ERROR_STOP=1 -q >/dev/null <<'SQL'
SELECT 'CREATE ROLE bank_owner LOGIN' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bank_owner')\gexec
SELECT 'CREATE ROLE bank_reader LOGIN' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bank_reader')\gexec
SELECT 'CREATE DATABASE bank OWNER bank_owner' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'bank')\gexec
SQL
  as_pg "$bin/psql" -h "$sock" -U postgres -d bank -v ON_ERROR_STOP=1 -q >/dev/null <<'SQL'
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
REVOKE ALL ON DATABASE bank FROM PUBLIC;
GRANT CONNECT ON DATABASE bank TO bank_reader;
GRANT CONNECT, CREATE ON DATABASE bank TO bank_owner;
ALTER ROLE bank_reader SET default_transaction_read_only = on;
ALTER ROLE bank_reader SET statement_timeout = '30s';
SQL
  pg_urls
}

pg_stop() {
  local data="$ROOT/postgres/data"
  [ -s "$data/PG_VERSION" ] || return 0
  as_pg "$(pg_bin)/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
}

case "$cmd:$kind" in
  start:postgres) pg_start ;;
  url:postgres)   pg_urls ;;
  stop:postgres)  pg_stop ;;
  *) echo "usage: $0 start|url|stop postgres" >&2; exit 2 ;;
esac
