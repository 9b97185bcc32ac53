#!/usr/bin/env bash
# Prepares a WildFly installation for MedLedger: a fresh standalone-medledger.xml copied from the
# distribution's standalone.xml, with every configure-*.cli of this directory applied.
# Used by the run command and by the integration-test servers alike. The server then starts with
# --stability=community (configure-metrics.cli says why).
#
#   prepare-server.sh JBOSS_HOME
#
# Environment: MEDLEDGER_CREDENTIAL_STORE_PASSWORD (required: the password of the server's credential
# store, the one secret WildFly keeps in its environment); MEDLEDGER_FRESH_DATA=true also wipes the
# server's data directory, key stores and credential store first (test servers only);
# MEDLEDGER_DB=postgresql configures the datasource on PostgreSQL instead of embedded H2 (with
# MEDLEDGER_PG_DRIVER_JAR, the path of the PostgreSQL JDBC driver jar).
# The TLS key is generated in the server's own key store and its certification request left in
# standalone/configuration/medledger-tls.csr for the installation's authority
# (install-tls-certificate.sh imports the chain it issues).
# The key stores' own passwords are made here, random, for a new credential store only; they exist
# nowhere but in that store (see configure-credential-store.cli).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
jboss_home=${1:?usage: prepare-server.sh JBOSS_HOME}
: "${MEDLEDGER_CREDENTIAL_STORE_PASSWORD:?MEDLEDGER_CREDENTIAL_STORE_PASSWORD must be set}"
config_dir=$jboss_home/standalone/configuration
# Key stores the embedded server generates are readable by their owner only.
umask 077
if [ "${MEDLEDGER_FRESH_DATA:-false}" = true ]; then
  rm -rf "$jboss_home/standalone/data" "$jboss_home/standalone/deployments/"medledger.ear* \
         "$config_dir"/medledger-*.p12 "$config_dir/medledger-credentials.cs" "$config_dir/standalone_xml_history"
fi
if [ -f "$config_dir/medledger-kgc.p12" ] && [ ! -f "$config_dir/medledger-credentials.cs" ]; then
  echo "$config_dir holds a KGC key store of the layout before the credential store (medledger-kgc.p12):" >&2
  echo "move it and the server's data directory aside to start a new installation" >&2
  exit 1
fi
# One random password per key store, for the credential store's new aliases (an existing alias is
# kept): CLI variables in a file only the owner reads, deleted when this script ends.
vars=$(mktemp)
trap 'rm -f "$vars"' EXIT
for alias in kgc_master_keystore kgc_ledger_keystore ledger_producer_keystore hospital_keystore tls_keystore; do
  printf 'set %s=%s\n' "$alias" "$(head -c 24 /dev/urandom | base64 | tr -d '/+=')" >> "$vars"
done
case "${MEDLEDGER_DB:-h2}" in
  h2) datasource=$here/configure-datasource-h2.cli ;;
  postgresql)
    : "${MEDLEDGER_PG_DRIVER_JAR:?MEDLEDGER_PG_DRIVER_JAR must name the PostgreSQL JDBC driver jar}"
    [ -f "$MEDLEDGER_PG_DRIVER_JAR" ] || { echo "no such file: $MEDLEDGER_PG_DRIVER_JAR" >&2; exit 1; }
    # the configuration is rebuilt from standalone.xml: the module is installed afresh as well
    rm -rf "$jboss_home/modules/org/postgresql"
    datasource=$here/configure-datasource-postgresql.cli ;;
  *) echo "MEDLEDGER_DB must be h2 or postgresql" >&2; exit 2 ;;
esac
cp "$config_dir/standalone.xml" "$config_dir/standalone-medledger.xml"
# The blst binding installed as a server module by configure-pairing.cli (docs/pairing.md).
blst_jar=${MEDLEDGER_BLST_JAR:-$HOME/.m2/repository/foundation/icon/blst-java/0.3.2/blst-java-0.3.2.jar}
[ -f "$blst_jar" ] || echo "warning: $blst_jar not found; ABE-CHAIN will use the pure-Java pairing" >&2
JAVA_OPTS="${JAVA_OPTS:-} -Dmedledger.blst.jar=$blst_jar" \
"$here/apply.sh" "$jboss_home" standalone-medledger.xml \
  "$vars" \
  "$datasource" \
  "$here/configure-credential-store.cli" \
  "$here/configure-kgc-keystore.cli" \
  "$here/configure-hospital-keystore.cli" \
  "$here/configure-tls.cli" \
  "$here/configure-openapi.cli" \
  "$here/configure-oidc.cli" \
  "$here/configure-medical-authority.cli" \
  "$here/configure-logging.cli" \
  "$here/configure-api-limits.cli" \
  "$here/configure-pairing.cli" \
  "$here/configure-consortium.cli" \
  "$here/configure-health.cli" \
  "$here/configure-metrics.cli"
chmod 600 "$config_dir"/medledger-*.p12 "$config_dir/medledger-credentials.cs" 2>/dev/null || true
# The server's TLS key is certified by the installation's authority from this request; the chain it
# issues goes in with install-tls-certificate.sh (configure-tls.cli).
chmod 644 "$config_dir/medledger-tls.csr" 2>/dev/null || true
echo "configured $config_dir/standalone-medledger.xml"
