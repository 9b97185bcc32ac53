#!/usr/bin/env bash
# Prepares an unpacked Keycloak distribution for production mode: installs keycloak.conf (beside this
# script) as its conf/keycloak.conf and runs `kc.sh build` when the build options changed. The built
# state (lib/quarkus) is cached by the hash of keycloak.conf and the distribution's version under
# MEDLEDGER_KEYCLOAK_BUILD_CACHE (default ~/.cache/medledger/keycloak-build), so a fresh unpack (a new
# test run, a new bin/run installation) reuses it instead of building again (~50 s).
#
#   wildfly-config/keycloak/build-keycloak.sh KEYCLOAK_HOME
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
home=${1:?usage: build-keycloak.sh KEYCLOAK_HOME}
[ -x "$home/bin/kc.sh" ] || { echo "build-keycloak.sh: no Keycloak distribution at $home" >&2; exit 1; }
hash=$( (basename "$home"; cat "$here/keycloak.conf") | sha256sum | cut -d' ' -f1)
stamp=$home/lib/quarkus/medledger-build.sha256
cp "$here/keycloak.conf" "$home/conf/keycloak.conf"
if [ "$(cat "$stamp" 2>/dev/null)" = "$hash" ]; then
  exit 0
fi
cache=${MEDLEDGER_KEYCLOAK_BUILD_CACHE:-$HOME/.cache/medledger/keycloak-build}/$hash
if [ -f "$cache/medledger-build.sha256" ]; then
  echo "build-keycloak.sh: reusing the cached build $cache"
  rm -rf "$home/lib/quarkus"
  cp -a "$cache" "$home/lib/quarkus"
  exit 0
fi
echo "build-keycloak.sh: kc.sh build (the build options changed)"
"$home/bin/kc.sh" build >"$home/build.log" 2>&1 || { echo "build-keycloak.sh: kc.sh build failed; see $home/build.log" >&2; exit 1; }
echo "$hash" > "$stamp"
mkdir -p "$(dirname "$cache")"
tmp=$(mktemp -d "$(dirname "$cache")/.tmp.XXXXXX")
cp -a "$home/lib/quarkus/." "$tmp/"
mv -T "$tmp" "$cache" 2>/dev/null || rm -rf "$tmp"
