#!/usr/bin/env bash
# Imports the certificate chain the installation's authority issued for the server's TLS key into
# the server's TLS key store (configure-tls-certificate.cli), offline, like prepare-server.sh.
#
#   install-tls-certificate.sh JBOSS_HOME CHAIN.pem
#   install-tls-certificate.sh JBOSS_HOME --from-key-store
#
# CHAIN.pem certifies the key of standalone/configuration/medledger-tls.csr (leaf first, then the
# authority), e.g. from
#   medledger ca server-cert --dir AUTHORITY --host HOST --csr JBOSS_HOME/standalone/configuration/medledger-tls.csr --cert-out CHAIN.pem
# --from-key-store installs the chain the key store already holds (bin/restore: the key store came
# back from the backup with its chain, prepare-server.sh rebuilt the configuration without it), read
# back with read-alias in an embedded server; it exits with 3 and changes nothing when the store
# holds only configure-tls.cli's self-signed certificate (nobody certified the key).
# A server certificate that is expired or not yet valid is refused (exit 4), nothing changed.
# Environment: MEDLEDGER_CREDENTIAL_STORE_PASSWORD (the store holds the TLS key store's password).
# Restart WildFly afterwards.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
usage="usage: install-tls-certificate.sh JBOSS_HOME CHAIN.pem|--from-key-store"
jboss_home=${1:?$usage}
source=${2:?$usage}
: "${MEDLEDGER_CREDENTIAL_STORE_PASSWORD:?MEDLEDGER_CREDENTIAL_STORE_PASSWORD must be set}"
umask 077
vars=$(mktemp) ca=$(mktemp) read=$(mktemp) leaf=$(mktemp)
trap 'rm -f "$vars" "$ca" "$read" "$read.pem" "$leaf"' EXIT
if [ "$source" = --from-key-store ]; then
  # each certificate of the chain is printed as "encoded" => "30:82:..." (DER, hex), leaf first
  printf '%s\n' "embed-server --server-config=standalone-medledger.xml --std-out=discard --stability=community" \
    "/subsystem=elytron/key-store=medledger-tls:read-alias(alias=server, verbose=true)" "stop-embedded-server" > "$read"
  out=$(JAVA_OPTS="${JAVA_OPTS:-} -Djava.awt.headless=true" "$jboss_home/bin/jboss-cli.sh" --file="$read" 2>&1) \
    && grep -q '"outcome" => "success"' <<<"$out" || { echo "$out" >&2; echo "cannot read the TLS key store of $jboss_home" >&2; exit 1; }
  sed -n 's/^ *"encoded" => "\([0-9a-fA-F:]*\)",*$/\1/p' <<<"$out" | while read -r der; do
    echo "-----BEGIN CERTIFICATE-----"
    printf '%s' "${der//:/}" | perl -e 'local $/; print pack("H*", <STDIN>)' | base64 -w 64
    echo "-----END CERTIFICATE-----"
  done > "$read.pem"
  if [ "$(grep -c 'BEGIN CERTIFICATE' "$read.pem")" -lt 2 ]; then
    echo "the TLS key store of $jboss_home holds no chain from an authority (a single certificate: the self-signed one of configure-tls.cli)" >&2
    exit 3
  fi
  chain=$read.pem described="the TLS key store of $jboss_home"
else
  chain=$(cd "$(dirname "$source")" && pwd)/$(basename "$source")
  described=$chain
fi
[ -f "$chain" ] || { echo "no such file: $chain" >&2; exit 1; }
case "$chain" in *[[:space:]\"\']*) echo "the chain's path must not contain blanks or quotes" >&2; exit 1 ;; esac
# the authority's certificate: the chain's last, the server's trust anchor for its outgoing calls
awk '/-----BEGIN CERTIFICATE-----/ { block = "" } { block = block $0 "\n" } /-----END CERTIFICATE-----/ { last = block }
     END { printf "%s", last }' "$chain" > "$ca"
grep -q 'BEGIN CERTIFICATE' "$ca" || { echo "no certificate in $chain" >&2; exit 1; }
# the server's own certificate (the chain's first) must be valid now: browsers and the other nodes
# refuse an expired one, so installing it would only break HTTPS; nothing is changed (exit 4)
awk '/-----BEGIN CERTIFICATE-----/ { n++ } n == 1 { print } /-----END CERTIFICATE-----/ && n == 1 { exit }' "$chain" > "$leaf"
validity=$("${JAVA_HOME:+$JAVA_HOME/bin/}keytool" -J-Duser.language=en -J-Duser.region=US -J-Duser.timezone=UTC -printcert -file "$leaf" 2>/dev/null \
  | sed -n 's/^Valid from: \(.*\) until: \(.*\)$/\1|\2/p' | head -n1)
[ -n "$validity" ] && not_before=$(date -u -d "${validity%%|*}" +%s 2>/dev/null) && not_after=$(date -u -d "${validity##*|}" +%s 2>/dev/null) \
  || { echo "cannot read the validity of the server certificate in $described" >&2; exit 1; }
now=$(date -u +%s)
if [ "$now" -ge "$not_after" ] || [ "$now" -lt "$not_before" ]; then
  echo "the server certificate in $described is not valid now (valid from ${validity%%|*} until ${validity##*|}):" \
    "certify the server's key again (medledger ca server-cert --csr ...); nothing was installed" >&2
  exit 4
fi
printf 'set tls_chain=%s\nset tls_ca=%s\n' "$chain" "$ca" > "$vars"
# the OpenID Connect client's trust store (configure-tls-certificate.cli): the authority alone, a
# public certificate, stored without MAC or encryption (the client opens it with any password)
oidc_trust=$jboss_home/standalone/configuration/medledger-oidc-trust.p12
rm -f "$oidc_trust"
"${JAVA_HOME:+$JAVA_HOME/bin/}keytool" -importcert -noprompt -alias installation-authority -file "$ca" -keystore "$oidc_trust" -storetype PKCS12 \
  -storepass not-protected -J-Dkeystore.pkcs12.certProtectionAlgorithm=NONE -J-Dkeystore.pkcs12.macAlgorithm=NONE >/dev/null 2>&1 \
  || { echo "keytool could not write $oidc_trust" >&2; exit 1; }
"$here/apply.sh" "$jboss_home" standalone-medledger.xml "$vars" "$here/configure-tls-certificate.cli"
chmod 600 "$jboss_home/standalone/configuration/medledger-tls.p12" "$jboss_home/standalone/configuration/medledger-tls-trust.p12" "$oidc_trust"
if [ "$source" = --from-key-store ]; then
  echo "installed the TLS certificate chain of the key store (issued by $(sed -n 's/^ *"issuer" => "\(.*\)",$/\1/p' <<<"$out" | head -n1))"
else
  echo "installed the TLS certificate chain $chain"
fi
