#!/usr/bin/env bash
# A private PostgreSQL cluster for one MedLedger server: the Debian PostgreSQL binaries, a data
# directory of its own, loopback only, on a port of its own. Used by `bin/run --db postgresql`
# (under .medledger/postgresql) and by the PostgreSQL run of the integration tests (under target/).
# A hospital running its own PostgreSQL does not need this script: see docs/operations.md.
#
#   postgresql.sh start DIR PORT   initialise DIR once, start, wait, then make the missing roles
#   postgresql.sh roles DIR PORT   create each missing role and its database (below) in the running cluster
#   postgresql.sh running DIR      exit 0 when the cluster of DIR runs
#   postgresql.sh stop DIR         stop the cluster of DIR (fast shutdown), if it runs
#   postgresql.sh dump DIR PORT FILE [DB]   a consistent dump (pg_dump -Fc) of database DB (default medledger)
#   postgresql.sh load DIR PORT FILE [DB]   recreate database DB (owned by the role of that name) from such a dump
#
# Roles, each the owner of the database of its name, created (start, roles) when missing and its
# password is in the environment: "medledger" (the server's, MEDLEDGER_DB_PASSWORD, required by start)
# and "keycloak" (Keycloak's own database, MEDLEDGER_KEYCLOAK_DB_PASSWORD, bin/run --db postgresql).
# An existing role keeps its password. MEDLEDGER_FRESH_DATA=true makes start discard an existing cluster (tests). The superuser "postgres" connects only over the cluster's own Unix socket in
# DIR, which only the cluster's owner can open; TCP connections need a password (scram-sha-256).
# Run as root, the cluster belongs to the "postgres" user (PostgreSQL refuses to run as root).
set -euo pipefail
cmd=${1:?usage: postgresql.sh start|roles|running|stop|dump|load DIR [PORT] [FILE] [DB]}
dir=$(mkdir -p "${2:?DIR missing}" && cd "$2" && pwd)
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
[ -n "$bin" ] && [ -x "$bin/initdb" ] || { echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# make_roles PORT: each role whose password is set and that does not exist yet, with its database. The
# password travels on psql's standard input, never on a command line.
make_roles() {
  local port=$1 role var password
  for role in medledger keycloak; do
    var=MEDLEDGER_DB_PASSWORD
    [ "$role" = medledger ] || var=MEDLEDGER_KEYCLOAK_DB_PASSWORD
    password=${!var:-}
    [ -n "$password" ] || continue
    case "$password" in *"'"*) echo "$var must not contain a quote" >&2; return 1 ;; esac
    if [ "$(as_owner "$bin/psql" -qtA -h "$dir" -p "$port" -U postgres -d postgres \
           -c "SELECT 1 FROM pg_roles WHERE rolname = '$role'")" != 1 ]; then
      printf "CREATE ROLE %s LOGIN PASSWORD '%s';\n" "$role" "$password" \
        | as_owner "$bin/psql" -q -h "$dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -f - >/dev/null
    fi
    if [ "$(as_owner "$bin/psql" -qtA -h "$dir" -p "$port" -U postgres -d postgres \
           -c "SELECT 1 FROM pg_database WHERE datname = '$role'")" != 1 ]; then
      as_owner "$bin/psql" -q -h "$dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
        -c "CREATE DATABASE $role OWNER $role ENCODING 'UTF8'" >/dev/null
    fi
  done
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
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_owner "$bin/initdb" -D "$dir/data" -U postgres -E UTF8 --locale=C.UTF-8 \
        --auth-local=trust --auth-host=scram-sha-256 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    # A server left running from an earlier, interrupted run of the same directory is stopped first.
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgresql.log" -w -t 60 start \
      -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir" >/dev/null \
      || { tail -n 20 "$dir/postgresql.log" >&2; exit 1; }
    make_roles "$port"
    ;;
  roles)
    make_roles "${3:?PORT missing}"
    ;;
  running)
    [ -f "$dir/data/postmaster.pid" ] && as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1
    ;;
  stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null
    fi
    ;;
  dump)
    port=${3:?PORT missing}; file=${4:?FILE missing}; db=${5:-medledger}
    # pg_dump reads one snapshot: the dump is consistent while the server keeps writing.
    as_owner "$bin/pg_dump" -h "$dir" -p "$port" -U postgres -Fc "$db" > "$file"
    ;;
  load)
    port=${3:?PORT missing}; file=${4:?FILE missing}; db=${5:-medledger}
    case "$db" in medledger|keycloak) ;; *) echo "postgresql.sh: unknown database $db" >&2; exit 2 ;; esac
    if [ "$(as_owner "$bin/psql" -qtA -h "$dir" -p "$port" -U postgres -d postgres \
           -c "SELECT 1 FROM pg_roles WHERE rolname = '$db'")" != 1 ]; then
      echo "postgresql.sh: the cluster in $dir has no role $db (set its password, see the head of this script)" >&2
      exit 1
    fi
    as_owner "$bin/psql" -q -h "$dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
      -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db OWNER $db ENCODING 'UTF8'" >/dev/null
    as_owner "$bin/pg_restore" -h "$dir" -p "$port" -U postgres -d "$db" --no-owner --role="$db" --exit-on-error < "$file"
    ;;
  *)
    echo "usage: postgresql.sh start|roles|running|stop|dump|load DIR [PORT] [FILE] [DB]" >&2; exit 2 ;;
esac
