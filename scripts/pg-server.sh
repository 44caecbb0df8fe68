#!/usr/bin/env bash
# A throwaway PostgreSQL server for the benchmarks and the scale run (the tests start their own, see
# Tests/AugurTestSupport/TestPostgres.swift): initdb into DIR, start on 127.0.0.1 at a free port, one
# database `augur`, trust authentication. As root, the server runs as the postgres user (initdb
# refuses root).
#   scripts/pg-server.sh start DIR    prints the database URL (postgresql://augur@127.0.0.1:PORT/augur)
#   scripts/pg-server.sh stop DIR     stops it and removes DIR
set -euo pipefail
cmd=${1:?usage: pg-server.sh start|stop DIR}
dir=${2:?usage: pg-server.sh start|stop DIR}
bin=${AUGUR_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
[ -x "$bin/initdb" ] || bin=$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")
[ -x "$bin/initdb" ] || { echo "pg-server.sh: PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 3; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "$cmd" in
start)
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
  as_pg "$bin/initdb" -D "$dir/data" -A trust -U augur -E UTF8 --locale=C --no-sync >/dev/null
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  # Settings for a benchmark on a small machine: room for many workers, no fsync (a throwaway server).
  as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -c listen_addresses=127.0.0.1 -k $dir -c max_connections=200 -c shared_buffers=256MB -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start </dev/null >/dev/null 2>&1
  as_pg "$bin/createdb" -h 127.0.0.1 -p "$port" -U augur augur
  echo "$port" > "$dir/port"
  echo "postgresql://augur@127.0.0.1:$port/augur?sslmode=disable"
  ;;
stop)
  [ -d "$dir/data" ] && as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  ;;
*) echo "usage: pg-server.sh start|stop DIR" >&2; exit 64 ;;
esac
