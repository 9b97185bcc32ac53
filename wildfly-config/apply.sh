#!/usr/bin/env bash
# Applies configure-*.cli / restore-*.cli scripts to a WildFly server configuration offline,
# inside an embedded server, so the run command and the test servers share one path.
#
#   apply.sh JBOSS_HOME SERVER_CONFIG SCRIPT.cli [SCRIPT.cli ...]
#
# Environment: whatever the scripts reference (MEDLEDGER_CREDENTIAL_STORE_PASSWORD for the
# credential store). The combined script is a file only the owner reads, deleted on exit.
set -euo pipefail
if [ $# -lt 3 ]; then
  echo "usage: $0 JBOSS_HOME SERVER_CONFIG SCRIPT.cli..." >&2
  exit 2
fi
jboss_home=$1; server_config=$2; shift 2
umask 077
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
{
  echo "embed-server --server-config=${server_config} --std-out=discard"
  for script in "$@"; do
    [ -f "$script" ] || { echo "no such script: $script" >&2; exit 2; }
    grep -v '^[[:space:]]*#' "$script"
    echo
  done
  echo "stop-embedded-server"
} > "$tmp"
# jboss-cli prints every operation result; keep its output for diagnosis, fail on the first error.
out=$(JAVA_OPTS="${JAVA_OPTS:-} -Djava.awt.headless=true" "$jboss_home/bin/jboss-cli.sh" --file="$tmp" 2>&1) || {
  echo "$out" >&2
  echo "applying $* to $server_config failed" >&2
  exit 1
}
if grep -q '"outcome" => "failed"' <<<"$out"; then
  echo "$out" >&2
  echo "applying $* to $server_config failed" >&2
  exit 1
fi
