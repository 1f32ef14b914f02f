# Shared helpers for scripts/kafka/*.sh and scripts/integration/*.sh (sourced, not run).

# The newest Apache Kafka 4.x release with every artifact we need on Maven Central when these
# scripts were written (4.4.0 had kafka_2.13 but not yet kafka-tools / kafka-tools-api).
KAFKA_DEFAULT_VERSION=4.3.1

sluice_cache_dir() {
  echo "${SLUICE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/sluice}"
}

kafka_home() {
  echo "$(sluice_cache_dir)/kafka-$1"
}

# Runs as root on CI; falls back to sudo for a developer account.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi
}

# apt-get install of the given Debian packages, only when some are missing.
apt_install() {
  local missing=()
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "apt-get install ${missing[*]}"
  local i
  # Another process may hold the dpkg lock for a while: wait for it (bounded).
  for i in 1 2 3 4 5 6 7 8 9 10; do
    if as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=120 \
      "${missing[@]}" </dev/null; then
      return 0
    fi
    if [ "$i" -eq 1 ]; then
      as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq -o DPkg::Lock::Timeout=120 </dev/null || true
    fi
    sleep 3
  done
  echo "apt-get install ${missing[*]} failed" >&2
  return 1
}

ensure_java_and_maven() {
  if ! command -v java >/dev/null 2>&1 || ! command -v javac >/dev/null 2>&1; then
    apt_install openjdk-17-jdk-headless
  fi
  command -v mvn >/dev/null 2>&1 || apt_install maven
  local major
  major=$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/{print $2}')
  if [ "${major%%.*}" -lt 17 ]; then
    echo "Apache Kafka 4 needs Java 17 or newer; found $major" >&2
    return 1
  fi
}

# Maven without prompts, colours or download progress noise.
mvn_batch() {
  mvn -B -q -ntp -Dstyle.color=never "$@" </dev/null
}
