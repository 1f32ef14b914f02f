#!/usr/bin/env bash
# Builds a local Apache Kafka container image from the same Maven Central jars as fetch-kafka.sh,
# with a Java runtime assembled from this machine's JDK (jlink) and its shared libraries, plus dash
# for the entrypoint. There is no registry here, so nothing is pulled: the root filesystem is
# assembled locally and imported (`docker import`).
#
#   scripts/kafka/build-image.sh [--tag local/apache-kafka:VERSION] [--smoke-test] [--reuse]
#
# --reuse: keep an existing image of that tag built by this same script (a label holds the script's
# hash), instead of rebuilding it.
#
# It follows the official apache/kafka image, so containers configured for one run on the other:
# the same paths (/opt/kafka/libs, /opt/kafka/config written at start, /etc/kafka/docker defaults,
# /var/lib/kafka/data, /mnt/shared/config file input), the same user (appuser, uid 1000), and the
# same environment conventions, applied by the same code (Kafka's own kafka.docker.KafkaDockerWrapper):
# every KAFKA_* variable becomes a server.properties line (KAFKA_ dropped, lower case, `_` → `.`,
# `__` → `_`, `___` → `-`), CLUSTER_ID formats the storage once, KAFKA_HEAP_OPTS and KAFKA_OPTS go
# to the JVM. Without KAFKA_* variables it runs the default single-node KRaft configuration.
# Not reproduced: the official script's derivation of KAFKA_LISTENERS from
# KAFKA_ADVERTISED_LISTENERS (set both) and its SSL keystore helpers.
# --smoke-test runs the image as one KRaft node configured through KAFKA_* variables with a
# read-only root filesystem, asks kcat for a round trip, and removes the container. Idempotent
# (re-tags). Needs a running dockerd.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/kafka/lib.sh
. "$here/lib.sh"

version=${KAFKA_VERSION:-$KAFKA_DEFAULT_VERSION}
tag="local/apache-kafka:$version"
smoke=0
reuse=0
while [ $# -gt 0 ]; do
  case "$1" in
  --tag) tag=$2; shift 2 ;;
  --smoke-test) smoke=1; shift ;;
  --reuse) reuse=1; shift ;;
  -h | --help) sed -n '2,15p' "$0"; exit 0 ;;
  *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

command -v docker >/dev/null || { echo "docker is not installed" >&2; exit 1; }
docker info >/dev/null 2>&1 || { echo "dockerd is not reachable" >&2; exit 1; }
build_hash=$(cat "$0" "$here/lib.sh" | sha256sum | cut -c1-16)-$version
if [ "$reuse" -eq 1 ] && [ "$smoke" -eq 0 ] &&
  [ "$(docker image inspect -f '{{index .Config.Labels "dev.sluice.build"}}' "$tag" 2>/dev/null)" = "$build_hash" ]; then
  echo "reusing $tag (built by this script, $build_hash)" >&2
  echo "$tag"
  exit 0
fi
libs=$("$here/fetch-kafka.sh")
ensure_java_and_maven >&2
jdk=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
[ -d "$jdk/jmods" ] || { echo "$jdk has no jmods: cannot jlink a runtime" >&2; exit 1; }

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,tmp,etc,opt/kafka/libs,opt/kafka/config,opt/kafka/logs,etc/kafka/docker,etc/kafka/secrets,var/lib/kafka/data,mnt/shared/config,home/appuser}
chmod 1777 "$root/tmp"

# A Java runtime with the modules Kafka's broker uses (JMX, SASL/GSSAPI, naming, HTTP, ...).
modules=java.base,java.compiler,java.datatransfer,java.desktop,java.instrument,java.logging,java.management,java.management.rmi,java.naming,java.net.http,java.prefs,java.rmi,java.scripting,java.security.jgss,java.security.sasl,java.sql,java.transaction.xa,java.xml,jdk.crypto.ec,jdk.httpserver,jdk.jfr,jdk.management,jdk.management.agent,jdk.naming.dns,jdk.net,jdk.security.auth,jdk.security.jgss,jdk.unsupported,jdk.zipfs
"$jdk/bin/jlink" --module-path "$jdk/jmods" --add-modules "$modules" --strip-debug \
  --no-header-files --no-man-pages --output "$root/opt/java"

# The shared libraries the runtime, dash and bash need, copied from this machine. bash is there for
# the same reason as in the official image: container health checks use its /dev/tcp.
cp -L /bin/dash "$root/bin/sh"
cp -L /bin/bash "$root/bin/bash"
for f in "$root/bin/sh" "$root/bin/bash" "$root/opt/java/bin/java" $(find "$root/opt/java/lib" -name '*.so'); do
  ldd "$f" 2>/dev/null | grep -o '/[^ ]*\.so[^ ]*' || true
done | sort -u | while read -r lib; do
  case "$lib" in "$root"/*) continue ;; esac
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"
printf 'root:x:0:0:root:/root:/bin/sh\nappuser:x:1000:1000::/home/appuser:/bin/sh\n' >"$root/etc/passwd"
printf 'root:x:0:\nappuser:x:1000:\n' >"$root/etc/group"

cp -L "$libs"/*.jar "$root/opt/kafka/libs/"

# Defaults, as in the official image: a single-node KRaft server and console logging.
cat >"$root/etc/kafka/docker/server.properties" <<'PROPS'
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@localhost:9093
listeners=PLAINTEXT://:9092,CONTROLLER://:9093
advertised.listeners=PLAINTEXT://localhost:9092
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=/var/lib/kafka/data
num.partitions=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
PROPS
log4j() { # log4j TARGET: console logging to stdout (the server) or stderr (tools)
  cat <<YAML
Configuration:
  Appenders:
    Console:
      name: OUT
      target: $1
      PatternLayout:
        pattern: "[%d] %p %m (%c)%n"
  Loggers:
    Root:
      level: INFO
      AppenderRef:
        - ref: OUT
YAML
}
log4j SYSTEM_OUT >"$root/etc/kafka/docker/log4j2.yaml"
log4j SYSTEM_ERR >"$root/etc/kafka/docker/tools-log4j2.yaml"

# Only dash builtins below: the image has no other tools (but bash).
cat >"$root/etc/kafka/docker/run" <<'ENTRY'
#!/bin/sh
# Entry point of the local Apache Kafka image (scripts/kafka/build-image.sh), after the official
# image's: Kafka's KafkaDockerWrapper turns the KAFKA_* variables into /opt/kafka/config/server.properties
# and formats the storage; then the broker runs as PID 1 (docker stop is a clean shutdown).
set -e
java=/opt/java/bin/java
classpath='/opt/kafka/libs/*'
if [ -n "${KAFKA_PROCESS_ROLES:-}" ] && [ -z "${CLUSTER_ID:-}" ]; then
  echo "CLUSTER_ID environment variable is not set (KRaft needs it to format the storage)" >&2
  exit 1
fi
# The default single-node configuration's cluster id, as the official image's defaults have one.
export CLUSTER_ID="${CLUSTER_ID:-5L6g3nShT-eMCtK--X86sw}"
# Formatting a formatted directory fails with "already formatted": that is a restart, not an error.
if ! out=$($java -Dlog4j2.configurationFile=/etc/kafka/docker/tools-log4j2.yaml -cp "$classpath" \
  kafka.docker.KafkaDockerWrapper setup --default-configs-dir /etc/kafka/docker \
  --mounted-configs-dir /mnt/shared/config --final-configs-dir /opt/kafka/config 2>&1); then
  case "$out" in
  *"already formatted"*) ;;
  *) echo "$out" >&2; exit 1 ;;
  esac
fi
# shellcheck disable=SC2086 # the option variables hold several words, as in kafka-run-class.sh
exec $java ${KAFKA_HEAP_OPTS:--Xmx1G -Xms1G} -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
  -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true \
  ${KAFKA_OPTS:-} -Dlog4j2.configurationFile=/opt/kafka/config/log4j2.yaml \
  -Dkafka.logs.dir=/opt/kafka/logs -cp "$classpath" kafka.Kafka /opt/kafka/config/server.properties
ENTRY
chmod 0755 "$root/etc/kafka/docker/run"
# Owned by appuser like in the official image: a named volume mounted there starts with this owner.
chown -R 1000:1000 "$root/opt/kafka/config" "$root/opt/kafka/logs" "$root/var/lib/kafka" \
  "$root/mnt/shared/config" "$root/etc/kafka" "$root/home/appuser"

echo "importing $tag ($(du -sh "$root" | cut -f1) root filesystem)" >&2
tar -C "$root" --numeric-owner -c . | docker import \
  -c 'CMD ["/etc/kafka/docker/run"]' \
  -c 'USER appuser' \
  -c 'EXPOSE 9092' \
  -c 'VOLUME ["/etc/kafka/secrets", "/var/lib/kafka/data", "/mnt/shared/config"]' \
  -c 'WORKDIR /home/appuser' \
  -c "LABEL org.opencontainers.image.title=apache-kafka org.opencontainers.image.version=$version dev.sluice.build=$build_hash" \
  - "$tag" >/dev/null
echo "$tag"

if [ "$smoke" -eq 1 ]; then
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  name="sluice-kafka-smoke-$$"
  # Configured only through KAFKA_* variables, on a read-only root filesystem with the two
  # directories the start writes as tmpfs, the way Sluice runs it.
  docker run -d --name "$name" -p "127.0.0.1:$port:9092" --read-only \
    --tmpfs /opt/kafka/config:uid=1000,gid=1000 --tmpfs /opt/kafka/logs:uid=1000,gid=1000 --tmpfs /tmp \
    -e CLUSTER_ID=4L6g3nShT-eMCtK--X86sw -e KAFKA_NODE_ID=1 -e KAFKA_PROCESS_ROLES=broker,controller \
    -e KAFKA_LISTENERS=PLAINTEXT://:9092,CONTROLLER://:9093 \
    -e "KAFKA_ADVERTISED_LISTENERS=PLAINTEXT://127.0.0.1:$port" \
    -e KAFKA_CONTROLLER_LISTENER_NAMES=CONTROLLER -e KAFKA_CONTROLLER_QUORUM_VOTERS=1@localhost:9093 \
    -e KAFKA_LISTENER_SECURITY_PROTOCOL_MAP=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT \
    -e KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR=1 -e KAFKA_HEAP_OPTS=-Xmx512m "$tag" >/dev/null
  cleanup_smoke() { docker rm -f "$name" >/dev/null 2>&1 || true; rm -rf "$root"; }
  trap cleanup_smoke EXIT
  for _ in $(seq 1 120); do
    docker logs "$name" 2>&1 | grep -q 'Kafka Server started' && break
    [ "$(docker inspect -f '{{.State.Running}}' "$name")" = true ] || break
    sleep 1
  done
  if ! docker logs "$name" 2>&1 | grep -q 'Kafka Server started'; then
    docker logs "$name" 2>&1 | tail -30 >&2
    echo "smoke test: Kafka did not start in the container" >&2
    exit 1
  fi
  echo "smoke-test message" | kcat -b "127.0.0.1:$port" -P -t smoke -X acks=all >&2
  got=$(timeout 60 kcat -b "127.0.0.1:$port" -C -t smoke -o beginning -c 1 -f '%s')
  [ "$got" = "smoke-test message" ] || { echo "smoke test: read back '$got'" >&2; exit 1; }
  echo "smoke test passed (127.0.0.1:$port)" >&2
fi
