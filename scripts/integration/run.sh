#!/usr/bin/env bash
# The real-client compatibility suite (npm run test:integration).
#
#   SLUICE_TARGET=sluice  (default) the Sluice broker, bin/sluice-broker, started by each test file
#   SLUICE_TARGET=kafka   Apache Kafka 4.x (KRaft, Maven Central jars) instead: validates the suite
#   SLUICE_TARGET=both    Kafka first, then Sluice
#
# Installs what it needs (kcat, Python clients, the Java client, Kafka's jars), then runs the
# vitest project `integration`; extra arguments go to vitest (e.g. a test file). Works as root on
# a clean machine with CI=true and no stdin; idempotent. Prints timings.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CI="${CI:-true}"
target=${SLUICE_TARGET:-sluice}
case "$target" in
sluice | kafka) targets=("$target") ;;
both) targets=(kafka sluice) ;;
*) echo "SLUICE_TARGET must be sluice, kafka or both (got $target)" >&2; exit 2 ;;
esac

# The whole run is bounded: each target's vitest run gets at most this long.
suite_timeout=${SLUICE_IT_TIMEOUT:-900}
timings=()
t0=$SECONDS
phase() {
  local name=$1 start=$SECONDS
  shift
  printf '\n--- %s (%s) ---\n' "$name" "$(date -u +%H:%M:%S)"
  local rc=0
  "$@" || rc=$?
  timings+=("$(printf '%-32s %4ds %s' "$name" $((SECONDS - start)) "$([ $rc -eq 0 ] && echo ok || echo "FAILED ($rc)")")")
  return $rc
}
report() {
  printf '\n--- timings ---\n'
  printf '%s\n' "${timings[@]}"
  printf '%-32s %4ds\n' total $((SECONDS - t0))
}
trap report EXIT

# phase runs its command as `"$@" || rc=$?`, where bash turns `set -e` off inside functions: every
# step of a function run as a phase returns its own failure.
install_clients() {
  SLUICE_IT_JAVA_CP=$(bash scripts/integration/install-clients.sh) || return
  export SLUICE_IT_JAVA_CP
}
phase "install clients" install_clients
# Every run needs Kafka's jars: the kafka target runs on them, and the sluice target's
# apply-parity test starts an Apache Kafka beside Sluice. Cached: a no-op once fetched.
phase "fetch Apache Kafka jars" bash scripts/kafka/fetch-kafka.sh

for t in "${targets[@]}"; do
  phase "suite against $t" env SLUICE_TARGET="$t" \
    timeout --kill-after=30 "$suite_timeout" npx vitest run --project integration "$@" </dev/null
done
