#!/usr/bin/env bash
# The Docker end-to-end suite (`npm run test:e2e`): installs and starts Docker Engine, builds the local
# Node base image, the local Apache Kafka image and the AWS boot test's Debian VM image (debootstrap) and moto, installs the Java client, builds the kreuzwerker/docker provider into a Terraform filesystem mirror (started
# first, in the background, because it is the slow part), then runs the vitest `e2e` project.
# Prints the time each phase took. Safe to re-run: every phase reuses what an earlier run left.
# Extra arguments go to vitest (e.g. `-t "destroys"`).
set -euo pipefail
cd "$(dirname "$0")/../.."
here=scripts/e2e
# shellcheck source=scripts/e2e/lib.sh
. "$here/lib.sh"
export CI="${CI:-true}"

timings=()
t0=$(date +%s)
phase() { # phase NAME COMMAND...: runs COMMAND, records how long it took
  local name="$1" start code=0
  shift
  start=$(date +%s)
  log "=== $name"
  "$@" || code=$?
  timings+=("$(printf '%-28s %5d s%s' "$name" "$(($(date +%s) - start))" "$([ "$code" = 0 ] || echo " (failed: exit $code)")")")
  return "$code"
}
report() {
  local code=$?
  printf '\n--- e2e phase timings ---\n' >&2
  printf '%s\n' "${timings[@]}" >&2
  printf '%-28s %5d s (exit %d)\n' "total" "$(($(date +%s) - t0))" "$code" >&2
}
trap report EXIT

# The provider build takes minutes on 2 cores: start it now, wait for it after the quick phases.
providers_log="$SLUICE_E2E_CACHE/install-providers.log"
providers_start=$(date +%s)
bash "$here/install-providers.sh" >"$providers_log" 2>&1 &
providers_pid=$!

phase "docker engine" bash "$here/install-docker.sh"
phase "base image" bash "$here/build-base-image.sh"
# Apache Kafka for apps/kafka-cluster: a local image from Maven Central jars (no registry here), and
# the Java client programs of the integration suite that drive it.
phase "kafka image" bash scripts/kafka/build-image.sh --reuse
# phase_export NAME VAR SCRIPT: a phase whose script prints a value on stdout (a path, an image tag),
# kept under $SLUICE_E2E_CACHE and exported as VAR for the tests.
phase_export() {
  local name="$1" var="$2" script="$3" file="$SLUICE_E2E_CACHE/$2"
  phase "$name" bash -c 'bash "$1" >"$2"' _ "$script" "$file"
  export "$var=$(cat "$file")"
}
# The AWS boot test: a Debian "VM" image (debootstrap, cached) and moto (PyPI) for S3/Secrets/SSM.
phase_export "boot VM image" SLUICE_BOOT_VM_IMAGE "$here/build-boot-vm-image.sh"
phase_export "moto" SLUICE_MOTO_BIN "$here/install-moto.sh"
# Apache Kafka for the AWS Kafka boot test: the jars the kafka image phase fetched (a libs/ directory).
phase_export "kafka distribution" SLUICE_KAFKA_DISTRIBUTION scripts/kafka/fetch-kafka.sh
phase_export "java clients" SLUICE_IT_JAVA_CP scripts/integration/install-clients.sh
# Debian's librdkafka cannot log in to Apache Kafka 4 with SCRAM: kcat gets a current one.
phase_export "librdkafka for kcat" SLUICE_KCAT_LIBRARY_PATH "$here/install-librdkafka.sh"

log "=== providers (started in the background; log: $providers_log)"
if ! wait "$providers_pid"; then
  tail -n 40 "$providers_log" >&2
  die "install-providers.sh failed (full log: $providers_log)"
fi
grep -E '^\[[0-9:]+\] ' "$providers_log" >&2 || true
timings+=("$(printf '%-28s %5d s' "providers (background)" "$(($(date +%s) - providers_start))")")

# shellcheck source=/dev/null
. "$SLUICE_E2E_CACHE/env.sh"
export SLUICE_BASE_IMAGE="${SLUICE_BASE_IMAGE:-sluice/node-base:local}"
phase "terraform smoke" bash "$here/smoke-provider.sh"
phase "vitest e2e" npx vitest run --project e2e "$@" </dev/null
