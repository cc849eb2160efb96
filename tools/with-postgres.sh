#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster: initdb into a temporary folder,
# start it on a spare local port, export DATABASE_URL, run "$@", then stop and remove it.
set -euo pipefail
bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
port="${BEACON_TEST_PG_PORT:-54329}"
data=$(mktemp -d /tmp/beacon-pg.XXXXXX)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$data"
cleanup() {
  as_pg "$bindir/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$data"
}
trap cleanup EXIT
as_pg "$bindir/initdb" -D "$data" -A trust -U postgres --no-sync -E UTF8 >/dev/null
as_pg "$bindir/pg_ctl" -D "$data" -w -l "$data/log" \
  -o "-p $port -k $data -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c synchronous_commit=off" \
  start >/dev/null
as_pg "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres beacon
echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') running on 127.0.0.1:$port"
export DATABASE_URL="postgres://postgres@127.0.0.1:$port/beacon"
"$@"
