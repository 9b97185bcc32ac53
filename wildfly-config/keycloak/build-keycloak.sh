#!/usr/bin/env bash
# Prepares an unpacked Keycloak distribution for production mode: installs keycloak.conf (beside this
# script) as its conf/keycloak.conf and runs `kc.sh build` when the build options changed. The built
# state (lib/quarkus) is cached by the hash of keycloak.conf, the database vendor and the distribution's
# version under MEDLEDGER_KEYCLOAK_BUILD_CACHE (default ~/.cache/medledger/keycloak-build), so a fresh
# unpack (a new test run, a new bin/run installation) reuses it instead of building again (~50 s), and
# one distribution switches between the two builds by a copy of lib/quarkus.
#
#   wildfly-config/keycloak/build-keycloak.sh KEYCLOAK_HOME [h2|postgres]
#
# h2 (default): keycloak.conf as it is (db=dev-file, an H2 file in the distribution's data/h2).
# postgres: the same with db=postgres (`kc.sh build --db=postgres`); the start then gives --db-url and
# --db-username, and the password as KC_DB_PASSWORD in Keycloak's environment (bin/run --db postgresql).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
home=${1:?usage: build-keycloak.sh KEYCLOAK_HOME [h2|postgres]}
vendor=${2:-h2}
[ -x "$home/bin/kc.sh" ] || { echo "build-keycloak.sh: no Keycloak distribution at $home" >&2; exit 1; }
conf=$(cat "$here/keycloak.conf")
case "$vendor" in
  h2) hash=$( (basename "$home"; echo "$conf") | sha256sum | cut -d' ' -f1) ;;
  postgres)
    grep -q '^db=dev-file$' <<<"$conf" || { echo "build-keycloak.sh: keycloak.conf has no line db=dev-file" >&2; exit 1; }
    conf=$(sed 's/^db=dev-file$/db=postgres/' <<<"$conf")
    hash=$( (basename "$home"; echo "$conf"; echo "vendor=postgres") | sha256sum | cut -d' ' -f1) ;;
  *) echo "build-keycloak.sh: the database vendor is h2 or postgres" >&2; exit 2 ;;
esac
stamp=$home/lib/quarkus/medledger-build.sha256
printf '%s\n' "$conf" > "$home/conf/keycloak.conf"
if [ "$(cat "$stamp" 2>/dev/null)" = "$hash" ]; then
  exit 0
fi
cache=${MEDLEDGER_KEYCLOAK_BUILD_CACHE:-$HOME/.cache/medledger/keycloak-build}/$hash
if [ -f "$cache/medledger-build.sha256" ]; then
  echo "build-keycloak.sh: reusing the cached $vendor build $cache"
  rm -rf "$home/lib/quarkus"
  cp -a "$cache" "$home/lib/quarkus"
  exit 0
fi
echo "build-keycloak.sh: kc.sh build for $vendor (the build options changed)"
rm -f "$stamp"
"$home/bin/kc.sh" build >"$home/build.log" 2>&1 || { echo "build-keycloak.sh: kc.sh build failed; see $home/build.log" >&2; exit 1; }
echo "$hash" > "$stamp"
mkdir -p "$(dirname "$cache")"
tmp=$(mktemp -d "$(dirname "$cache")/.tmp.XXXXXX")
cp -a "$home/lib/quarkus/." "$tmp/"
mv -T "$tmp" "$cache" 2>/dev/null || rm -rf "$tmp"
