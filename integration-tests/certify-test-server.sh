#!/usr/bin/env bash
# The test installation's TLS authority, made with the project's own command-line client as bin/run
# makes its own: it certifies a test WildFly's TLS key from the certification request
# configure-tls.cli left (ca server-cert --csr), and wildfly-config/install-tls-certificate.sh imports
# the chain, so the test server serves HTTPS only with a certificate from that authority. Keycloak's
# TLS certificate comes from the same authority (ItPki). What the tests trust, explicitly:
#   DIR/tls-authority.pem              the authority's certificate (the tests' HTTP clients)
#   DIR/tls-authority.p12              the same as a PKCS#12 trust store without password protection
#                                      (it holds no secret): the test JVM's javax.net.ssl.trustStore,
#                                      for Arquillian's in-container calls over HTTPS
#   DIR/chromium-home/.pki/nssdb       an NSS database trusting it (the browser tests' Chromium;
#                                      certutil from Debian's libnss3-tools, installed by bin/test)
#
#   certify-test-server.sh CLI_JAR DIR JBOSS_HOME
#
# Environment: MEDLEDGER_CA_PASSWORD (the authority's key store), MEDLEDGER_CREDENTIAL_STORE_PASSWORD
# (the server's credential store); MEDLEDGER_FRESH_DATA=true makes a new authority under DIR first.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cli_jar=${1:?usage: certify-test-server.sh CLI_JAR DIR JBOSS_HOME}
dir=${2:?usage: certify-test-server.sh CLI_JAR DIR JBOSS_HOME}
home=${3:?usage: certify-test-server.sh CLI_JAR DIR JBOSS_HOME}
: "${MEDLEDGER_CA_PASSWORD:?MEDLEDGER_CA_PASSWORD must be set}"
command -v certutil >/dev/null 2>&1 || { echo "certutil is required (apt-get install libnss3-tools; bin/test installs it)" >&2; exit 1; }
ca() { java -jar "$cli_jar" ca "$@" >/dev/null; }
[ "${MEDLEDGER_FRESH_DATA:-false}" = true ] && rm -rf "$dir"
if [ ! -f "$dir/tls-authority.pem" ]; then
  rm -rf "$dir"
  mkdir -p "$dir"
  ca init --dir "$dir/authority" --subject 'CN=MedLedger Test TLS Authority' --days 30
  ca export-trust --dir "$dir/authority" --ca-pem "$dir/tls-authority.pem.tmp"
  nssdb=$dir/chromium-home/.pki/nssdb
  mkdir -p "$nssdb"
  certutil -N -d "sql:$nssdb" --empty-password
  certutil -A -d "sql:$nssdb" -n 'MedLedger Test TLS Authority' -t 'C,,' -i "$dir/tls-authority.pem.tmp"
  mv "$dir/tls-authority.pem.tmp" "$dir/tls-authority.pem"
fi
if [ ! -f "$dir/tls-authority.p12" ]; then
  "${JAVA_HOME:+$JAVA_HOME/bin/}keytool" -importcert -noprompt -alias tls-authority -file "$dir/tls-authority.pem" \
    -keystore "$dir/tls-authority.p12.tmp" -storetype PKCS12 -storepass not-protected \
    -J-Dkeystore.pkcs12.certProtectionAlgorithm=NONE -J-Dkeystore.pkcs12.macAlgorithm=NONE >/dev/null 2>&1
  chmod 600 "$dir/tls-authority.p12.tmp"
  mv "$dir/tls-authority.p12.tmp" "$dir/tls-authority.p12"
fi
name=$(basename "$(dirname "$home")")
ca server-cert --dir "$dir/authority" --host 127.0.0.1 --host localhost \
  --csr "$home/standalone/configuration/medledger-tls.csr" --cert-out "$dir/$name-tls-chain.pem" --days 7
bash "$here/../wildfly-config/install-tls-certificate.sh" "$home" "$dir/$name-tls-chain.pem" >/dev/null
echo "certified the TLS key of $home by $dir/tls-authority.pem"
