#!/usr/bin/env bash
# A librdkafka new enough for Apache Kafka 4's SCRAM, for Debian's kcat. Debian 12 ships librdkafka
# 2.0.2, which repeats its client nonce in the SCRAM client-final-message (librdkafka#4895, fixed in
# 2.6.1); Kafka 4 refuses that, so Debian's kcat cannot log in to it with SCRAM. The confluent-kafka
# wheel on PyPI bundles a current librdkafka.so.1: this takes it from the wheel (no Python binding is
# installed) and links it as librdkafka.so.1 in a directory of its own. Run kcat with
# LD_LIBRARY_PATH=<printed directory> to use it; kcat is unchanged otherwise.
# Idempotent (cached under ~/.cache/sluice-rdkafka). Prints the directory on stdout.
set -euo pipefail
version=${CONFLUENT_KAFKA_VERSION:-2.16.2}
cache="${SLUICE_RDKAFKA_CACHE:-${HOME:-/root}/.cache/sluice-rdkafka}/$version"
if [ -e "$cache/lib/librdkafka.so.1" ]; then
  echo "$cache/lib"
  exit 0
fi
find_pip() {
  local py
  for py in python3 /usr/bin/python3; do
    if "$py" -m pip --version >/dev/null 2>&1; then pip=("$py" -m pip); return 0; fi
  done
  return 1
}
pip=()
if ! find_pip; then
  # A fresh Debian machine may have no pip at all: Debian's, for /usr/bin/python3.
  # shellcheck source=scripts/kafka/lib.sh
  . "$(cd "$(dirname "$0")/../kafka" && pwd)/lib.sh"
  apt_install python3-pip >&2
  find_pip || { echo "no pip for python3 or /usr/bin/python3, even after apt-get install python3-pip" >&2; exit 1; }
fi
rm -rf "$cache"
mkdir -p "$cache/wheel" "$cache/lib"
# The wheel for any CPython: only its bundled shared library is used.
"${pip[@]}" download --quiet --no-deps --only-binary=:all: --platform manylinux_2_28_x86_64 \
  --python-version 3.11 -d "$cache/wheel" "confluent-kafka==$version" >&2
(cd "$cache/wheel" && python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(".")' ./*.whl)
lib=$(find "$cache/wheel" -name 'librdkafka-*.so.1' | head -n 1)
[ -n "$lib" ] || { echo "no librdkafka in the confluent-kafka $version wheel" >&2; exit 1; }
ln -s "$lib" "$cache/lib/librdkafka.so.1"
if ldd "$cache/lib/librdkafka.so.1" | grep -q 'not found'; then
  ldd "$cache/lib/librdkafka.so.1" >&2
  echo "the bundled librdkafka misses libraries" >&2
  exit 1
fi
echo "$cache/lib"
