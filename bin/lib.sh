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
