#!/usr/bin/env bash
# Start a PostgreSQL server for the test suite and print the URL of an empty database on it, for
#   export RASD_TEST_POSTGRES=$(scripts/test_postgres.sh)
# As root (CI) it starts the Debian cluster (`apt-get install postgresql`) and gives root a superuser role;
# as another user it runs a private server from Debian's or PATH's initdb in $RASD_PG_DIR (default /tmp/rasd-pg-$USER),
# listening only on a Unix socket there. Running it again reuses the running server.
set -euo pipefail
DB=rasd_test

if [ "$(id -u)" = 0 ] && command -v pg_lsclusters >/dev/null 2>&1; then
  read -r VER NAME PORT STATUS _ < <(pg_lsclusters --no-header | head -n 1) || true
  if [ -z "${VER:-}" ]; then
    pg_createcluster --start 15 main >/dev/null 2>&1 || pg_createcluster --start "$(ls /usr/lib/postgresql | sort -n | tail -1)" main >/dev/null
    read -r VER NAME PORT STATUS _ < <(pg_lsclusters --no-header | head -n 1)
  fi
  [ "$STATUS" = online ] || pg_ctlcluster "$VER" "$NAME" start >&2
  su postgres -c "psql -p $PORT -tAc \"SELECT 1 FROM pg_roles WHERE rolname = 'root'\"" | grep -q 1 \
    || su postgres -c "createuser -p $PORT --superuser root" >&2
  psql -p "$PORT" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1 \
    || createdb -p "$PORT" "$DB" >&2
  echo "postgresql:///$DB?host=/var/run/postgresql&port=$PORT"
  exit 0
fi

BIN=$(dirname "$(command -v initdb 2>/dev/null || ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -1)")
[ -x "$BIN/initdb" ] || { echo "no PostgreSQL server found (install Debian's postgresql package)" >&2; exit 1; }
DIR=${RASD_PG_DIR:-/tmp/rasd-pg-$(id -un)}
PORT=${RASD_PG_PORT:-5439}
if [ ! -f "$DIR/data/PG_VERSION" ]; then
  mkdir -p "$DIR"
  "$BIN/initdb" -D "$DIR/data" -U "$(id -un)" --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
fi
if ! "$BIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
  "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/log" -w \
    -o "-k $DIR -p $PORT -c listen_addresses='' -c fsync=off" start >/dev/null
fi
"$BIN/psql" -h "$DIR" -p "$PORT" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1 \
  || "$BIN/createdb" -h "$DIR" -p "$PORT" "$DB"
echo "postgresql:///$DB?host=$DIR&port=$PORT"
