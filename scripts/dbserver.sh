#!/usr/bin/env bash
# A private database server for tests and benchmarks, in a data directory of the build — never a
# system service. Listens only on a Unix socket inside that directory (no TCP port).
#
#   scripts/dbserver.sh start postgres|mysql   # prints BANK_SERVER_OWNER_URL=… and BANK_SERVER_READER_URL=…
#   scripts/dbserver.sh url postgres|mysql     # the same two lines for a server already running
#   scripts/dbserver.sh stop postgres|mysql    # (mysql is MariaDB, the MySQL dialect)
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
  echo "BANK_SERVER_OWNER_URL='postgresql+psycopg://bank_owner@/bank?host=$sock'"
  echo "BANK_SERVER_READER_URL='postgresql+psycopg://bank_reader@/bank?host=$sock'"
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

my_urls() {
  local sock="$ROOT/mysql/mysqld.sock"
  echo "BANK_SERVER_OWNER_URL='mysql+pymysql://bank_owner@localhost/bank?unix_socket=$sock&charset=utf8mb4'"
  echo "BANK_SERVER_READER_URL='mysql+pymysql://bank_reader@localhost/bank?unix_socket=$sock&charset=utf8mb4'"
}

my_client() { mariadb --no-defaults --socket="$ROOT/mysql/mysqld.sock" -uroot "$@"; }

my_start() {
  local data="$ROOT/mysql/data" sock="$ROOT/mysql/mysqld.sock" i
  command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] || {
    echo "MariaDB server not found: run scripts/install_system_deps.sh" >&2; exit 1; }
  mkdir -p "$ROOT/mysql"
  if [ ! -d "$data/mysql" ]; then
    mariadb-install-db --no-defaults --datadir="$data" --user="$(id -un)" --skip-test-db \
      --auth-root-authentication-method=socket >/dev/null
  fi
  if ! mariadb-admin --no-defaults --socket="$sock" -uroot ping >/dev/null 2>&1; then
    /usr/sbin/mariadbd --no-defaults --datadir="$data" --socket="$sock" --skip-networking \
      --pid-file="$ROOT/mysql/mysqld.pid" --log-error="$ROOT/mysql/server.log" --user="$(id -un)" \
      --character-set-server=utf8mb4 --collation-server=utf8mb4_bin --innodb-flush-log-at-trx-commit=0 \
      </dev/null >>"$ROOT/mysql/server.log" 2>&1 &
    for i in $(seq 1 60); do
      mariadb-admin --no-defaults --socket="$sock" -uroot ping >/dev/null 2>&1 && break
      sleep 0.5
    done
  fi
  my_client >/dev/null <<'SQL'
CREATE DATABASE IF NOT EXISTS bank CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
CREATE DATABASE IF NOT EXISTS bank_load CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
CREATE DATABASE IF NOT EXISTS bank_old CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
CREATE USER IF NOT EXISTS bank_owner@localhost;
CREATE USER IF NOT EXISTS bank_reader@localhost WITH MAX_STATEMENT_TIME 30;
GRANT ALL ON bank.* TO bank_owner@localhost WITH GRANT OPTION;
GRANT ALL ON bank_load.* TO bank_owner@localhost;
GRANT ALL ON bank_old.* TO bank_owner@localhost;
SQL
  my_urls
}

my_stop() {
  local pid="$ROOT/mysql/mysqld.pid"
  [ -s "$pid" ] || return 0
  kill "$(cat "$pid")" 2>/dev/null || true
  for _ in $(seq 1 60); do [ -e "$pid" ] || break; sleep 0.5; done
}

case "$cmd:$kind" in
  start:postgres) pg_start ;;
  url:postgres)   pg_urls ;;
  stop:postgres)  pg_stop ;;
  start:mysql)    my_start ;;
  url:mysql)      my_urls ;;
  stop:mysql)     my_stop ;;
  *) echo "usage: $0 start|url|stop postgres|mysql" >&2; exit 2 ;;
esac
