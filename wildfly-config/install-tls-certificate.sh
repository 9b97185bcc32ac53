#!/usr/bin/env bash
# Imports the certificate chain the installation's authority issued for the server's TLS key into
# the server's TLS key store (configure-tls-certificate.cli), offline, like prepare-server.sh.
#
#   install-tls-certificate.sh JBOSS_HOME CHAIN.pem
#
# CHAIN.pem certifies the key of standalone/configuration/medledger-tls.csr (leaf first, then the
# authority), e.g. from
#   medledger ca server-cert --dir AUTHORITY --host HOST --csr JBOSS_HOME/standalone/configuration/medledger-tls.csr --cert-out CHAIN.pem
# Environment: MEDLEDGER_CREDENTIAL_STORE_PASSWORD (the store holds the TLS key store's password).
# Restart WildFly afterwards.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
jboss_home=${1:?usage: install-tls-certificate.sh JBOSS_HOME CHAIN.pem}
chain=$(cd "$(dirname "${2:?usage: install-tls-certificate.sh JBOSS_HOME CHAIN.pem}")" && pwd)/$(basename "$2")
[ -f "$chain" ] || { echo "no such file: $chain" >&2; exit 1; }
: "${MEDLEDGER_CREDENTIAL_STORE_PASSWORD:?MEDLEDGER_CREDENTIAL_STORE_PASSWORD must be set}"
case "$chain" in *[[:space:]\"\']*) echo "the chain's path must not contain blanks or quotes" >&2; exit 1 ;; esac
umask 077
vars=$(mktemp)
trap 'rm -f "$vars"' EXIT
ca=$(mktemp)
trap 'rm -f "$vars" "$ca"' EXIT
# the authority's certificate: the chain's last, the server's trust anchor for its outgoing calls
awk '/-----BEGIN CERTIFICATE-----/ { block = "" } { block = block $0 "\n" } /-----END CERTIFICATE-----/ { last = block }
     END { printf "%s", last }' "$chain" > "$ca"
grep -q 'BEGIN CERTIFICATE' "$ca" || { echo "no certificate in $chain" >&2; exit 1; }
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
echo "installed the TLS certificate chain $chain"
