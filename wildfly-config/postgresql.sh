#!/usr/bin/env bash
# A private PostgreSQL cluster for one MedLedger server: the Debian PostgreSQL binaries, a data
# directory of its own, loopback only, on a port of its own. Used by `bin/run --db postgresql`
# (under .medledger/postgresql) and by the PostgreSQL run of the integration tests (under target/).
# A hospital running its own PostgreSQL does not need this script: see docs/operations.md.
#
#   postgresql.sh start DIR PORT   initialise DIR once (database and role "medledger"), start, wait
#   postgresql.sh stop DIR         stop the cluster of DIR (fast shutdown), if it runs
#   postgresql.sh dump DIR PORT FILE   a consistent dump (pg_dump -Fc) of the medledger database
#   postgresql.sh load DIR PORT FILE   recreate the medledger database from such a dump
#
# Environment: MEDLEDGER_DB_PASSWORD (start: the password of the role "medledger", set when the
# cluster is created); MEDLEDGER_FRESH_DATA=true makes start discard an existing cluster (tests). The superuser "postgres" connects only over the cluster's own Unix socket in
# DIR, which only the cluster's owner can open; TCP connections need a password (scram-sha-256).
# Run as root, the cluster belongs to the "postgres" user (PostgreSQL refuses to run as root).
set -euo pipefail
cmd=${1:?usage: postgresql.sh start|stop|dump|load DIR [PORT] [FILE]}
dir=$(mkdir -p "${2:?DIR missing}" && cd "$2" && pwd)
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
[ -n "$bin" ] && [ -x "$bin/initdb" ] || { echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
  start)
    port=${3:?PORT missing}
    : "${MEDLEDGER_DB_PASSWORD:?MEDLEDGER_DB_PASSWORD must be set}"
    if [ "$(id -u)" -eq 0 ]; then
      # the server user must reach DIR through its parents (execute permission only, no listing)
      p=$dir
      while [ "$p" != / ]; do p=$(dirname "$p"); chmod o+x "$p" 2>/dev/null || true; done
      chown postgres:postgres "$dir"
    fi
    chmod 700 "$dir"
    if [ "${MEDLEDGER_FRESH_DATA:-false}" = true ] && [ -d "$dir/data" ]; then
      [ -f "$dir/data/postmaster.pid" ] && { as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true; }
      rm -rf "$dir/data"
    fi
    fresh=false
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_owner "$bin/initdb" -D "$dir/data" -U postgres -E UTF8 --locale=C.UTF-8 \
        --auth-local=trust --auth-host=scram-sha-256 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
      fresh=true
    fi
    # A server left running from an earlier, interrupted run of the same directory is stopped first.
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgresql.log" -w -t 60 start \
      -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir" >/dev/null \
      || { tail -n 20 "$dir/postgresql.log" >&2; exit 1; }
    if $fresh; then
      # The password travels on psql's standard input, never on a command line.
      case "$MEDLEDGER_DB_PASSWORD" in *"'"*) echo "MEDLEDGER_DB_PASSWORD must not contain a quote" >&2; exit 1 ;; esac
      printf "CREATE ROLE medledger LOGIN PASSWORD '%s';\nCREATE DATABASE medledger OWNER medledger ENCODING 'UTF8';\n" \
        "$MEDLEDGER_DB_PASSWORD" | as_owner "$bin/psql" -q -h "$dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -f - >/dev/null
    fi
    ;;
  stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null
    fi
    ;;
  dump)
    port=${3:?PORT missing}; file=${4:?FILE missing}
    # pg_dump reads one snapshot: the dump is consistent while the server keeps writing.
    as_owner "$bin/pg_dump" -h "$dir" -p "$port" -U postgres -Fc medledger > "$file"
    ;;
  load)
    port=${3:?PORT missing}; file=${4:?FILE missing}
    as_owner "$bin/psql" -q -h "$dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
      -c "DROP DATABASE IF EXISTS medledger" -c "CREATE DATABASE medledger OWNER medledger ENCODING 'UTF8'" >/dev/null
    as_owner "$bin/pg_restore" -h "$dir" -p "$port" -U postgres -d medledger --no-owner --role=medledger --exit-on-error < "$file"
    ;;
  *)
    echo "usage: postgresql.sh start|stop|dump|load DIR [PORT] [FILE]" >&2; exit 2 ;;
esac
