# Shared checks for bin/run and bin/test (sourced, not executed).

die() {
  echo "medledger: $*" >&2
  exit 1
}

require_java17() {
  command -v java >/dev/null 2>&1 || die "Java 17 or newer is required (no 'java' on PATH)"
  command -v mvn >/dev/null 2>&1 || die "Apache Maven is required (no 'mvn' on PATH)"
  local v
  v=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  case "$v" in
    1.*|"") die "Java 17 or newer is required (found ${v:-unknown})" ;;
  esac
  [ "$v" -ge 17 ] 2>/dev/null || die "Java 17 or newer is required (found $v)"
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

require_free_ports() {
  local p
  for p in "$@"; do
    if port_in_use "$p"; then
      die "port $p on 127.0.0.1 is already in use; stop what listens there (ss -ltnp 'sport = :$p') and retry"
    fi
  done
}

# The installation's secrets: one random value per purpose (none reused), generated once into a file only
# the owner reads, loaded as unexported shell variables; each process gets only those it needs
# (secrets_for), through its environment, never a command line or a configuration file (with_secrets).
MEDLEDGER_SECRETS=(MEDLEDGER_CREDENTIAL_STORE_PASSWORD MEDLEDGER_PORTAL_CLIENT_SECRET MEDLEDGER_SERVER_CLIENT_SECRET
  KC_BOOTSTRAP_ADMIN_PASSWORD MEDLEDGER_CA_PASSWORD MEDLEDGER_TLS_CA_PASSWORD MEDLEDGER_TRUSTSTORE_PASSWORD
  MEDLEDGER_DOCTOR_KEY_PASSWORD MEDLEDGER_OCSP_KEY_PASSWORD MEDLEDGER_DB_PASSWORD MEDLEDGER_KEYCLOAK_DB_PASSWORD)
# Every process kind bin/run starts that receives a secret.
MEDLEDGER_SECRET_ROLES=(wildfly-config wildfly wildfly-postgresql postgresql consortium-membership keycloak
  keycloak-postgresql keycloak-realm ocsp-responder crl-publisher medical-authority medical-authority-trust medical-authority-doctor
  medical-authority-ocsp tls-authority)

# load_secrets FILE: creates the missing secrets in FILE (mode 0600) and loads all of them, unexported.
load_secrets() {
  local file=$1 var name value
  touch "$file"
  chmod 600 "$file"
  for var in "${MEDLEDGER_SECRETS[@]}"; do
    grep -q "^$var=" "$file" || echo "$var=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')" >> "$file"
  done
  while IFS='=' read -r name value; do
    case " ${MEDLEDGER_SECRETS[*]} " in *" $name "*) printf -v "$name" '%s' "$value" ;; esac
  done < "$file"
  for var in "${MEDLEDGER_SECRETS[@]}"; do export -n "$var" 2>/dev/null || true; done
}

# secrets_for ROLE: what a process of ROLE receives, each NAME (the secret of that name) or NAME=SOURCE (the
# secret SOURCE under the name NAME). Anything not listed here it does not get.
secrets_for() {
  case "$1" in
    wildfly-config|consortium-membership) echo MEDLEDGER_CREDENTIAL_STORE_PASSWORD ;;  # the server's key stores
    wildfly) echo MEDLEDGER_CREDENTIAL_STORE_PASSWORD MEDLEDGER_PORTAL_CLIENT_SECRET MEDLEDGER_SERVER_CLIENT_SECRET ;;
    wildfly-postgresql) echo MEDLEDGER_CREDENTIAL_STORE_PASSWORD MEDLEDGER_PORTAL_CLIENT_SECRET MEDLEDGER_SERVER_CLIENT_SECRET \
      MEDLEDGER_DB_PASSWORD ;;
    postgresql) echo MEDLEDGER_DB_PASSWORD MEDLEDGER_KEYCLOAK_DB_PASSWORD ;;             # creates the two roles
    keycloak) echo KC_BOOTSTRAP_ADMIN_PASSWORD KC_HTTPS_TRUST_STORE_PASSWORD=MEDLEDGER_TRUSTSTORE_PASSWORD ;;
    keycloak-postgresql) echo KC_BOOTSTRAP_ADMIN_PASSWORD KC_HTTPS_TRUST_STORE_PASSWORD=MEDLEDGER_TRUSTSTORE_PASSWORD \
      KC_DB_PASSWORD=MEDLEDGER_KEYCLOAK_DB_PASSWORD ;;                                   # its own database's role
    keycloak-realm) echo MEDLEDGER_KEYCLOAK_ADMIN_PASSWORD=KC_BOOTSTRAP_ADMIN_PASSWORD MEDLEDGER_PORTAL_CLIENT_SECRET \
      MEDLEDGER_SERVER_CLIENT_SECRET ;;                                                  # the realm's client secrets
    ocsp-responder) echo MEDLEDGER_OCSP_KEY_PASSWORD ;;                                  # the delegated key, not the CA's
    crl-publisher|medical-authority) echo MEDLEDGER_CA_PASSWORD ;;
    medical-authority-trust) echo MEDLEDGER_CA_PASSWORD MEDLEDGER_TRUSTSTORE_PASSWORD ;;
    medical-authority-doctor) echo MEDLEDGER_CA_PASSWORD MEDLEDGER_DOCTOR_KEY_PASSWORD ;;
    medical-authority-ocsp) echo MEDLEDGER_CA_PASSWORD MEDLEDGER_OCSP_KEY_PASSWORD ;;
    tls-authority) echo MEDLEDGER_CA_PASSWORD=MEDLEDGER_TLS_CA_PASSWORD ;;
    *) echo "medledger: no secrets defined for '$1'" >&2; return 1 ;;
  esac
}

# exec_with_secrets ROLE COMMAND [ARGS...]: replaces the current (sub)shell by COMMAND with exactly the secrets
# of ROLE in its environment; every other secret, under any name a role uses, is removed from it. For
# background servers: ( exec_with_secrets ROLE setsid SERVER ... ) & keeps $! the server's pid.
exec_with_secrets() {
  local role=$1 spec m src name r
  shift
  spec=$(secrets_for "$role") || exit 1
  declare -A give=()
  for m in $spec; do
    src=${m#*=}
    [ -n "${!src+x}" ] || { echo "medledger: secret $src is not loaded" >&2; exit 1; }
    give[${m%%=*}]=${!src}
  done
  for r in "${MEDLEDGER_SECRET_ROLES[@]}"; do
    for m in $(secrets_for "$r"); do unset "${m%%=*}" "${m#*=}"; done
  done
  for name in "${!give[@]}"; do export "$name=${give[$name]}"; done
  exec "$@"
}

# with_secrets ROLE COMMAND [ARGS...]: runs COMMAND in a subshell as exec_with_secrets does and waits for it.
with_secrets() {
  ( exec_with_secrets "$@" )
}
