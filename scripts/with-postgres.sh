#!/usr/bin/env bash
# Run a command against a throw-away PostgreSQL cluster on a loopback port.
#
#   scripts/with-postgres.sh <command...>
#
# Starts a fresh cluster in a temporary directory (fsync off: it is thrown away), exports
# DATABASE_URL for the command, then stops the cluster and removes it, whatever happens.
# Needs PostgreSQL's server binaries (Debian: apt-get install postgresql); .ci/run and
# `make bench` install them when missing.
set -euo pipefail

bindir=""
for candidate in ${PG_BINDIR:-} /usr/lib/postgresql/*/bin; do
  if [ -x "$candidate/initdb" ]; then bindir=$candidate; fi
done
if [ -z "$bindir" ]; then
  echo "PostgreSQL server binaries not found (apt-get install postgresql)." >&2
  exit 2
fi

port=${PG_PORT:-$(( 25432 + RANDOM % 1000 ))}
data=$(mktemp -d /tmp/baladiyati-pg.XXXXXX)

# initdb refuses to run as root: use the postgres system user when we are root.
as_pg=()
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown postgres "$data"
  as_pg=(runuser -u postgres --)
fi

cleanup() {
  "${as_pg[@]}" "$bindir/pg_ctl" -D "$data/db" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$data"
}
trap cleanup EXIT INT TERM

"${as_pg[@]}" "$bindir/initdb" -D "$data/db" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${as_pg[@]}" "$bindir/pg_ctl" -D "$data/db" -l "$data/server.log" -w -t 60 start -o \
  "-p $port -k $data -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c shared_buffers=256MB" >/dev/null
"$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE baladiyati" >/dev/null

export DATABASE_URL="postgres://postgres@127.0.0.1:$port/baladiyati"
echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (throw-away)" >&2
set +e
"$@"
status=$?
set -e
exit $status
