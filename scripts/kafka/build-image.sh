#!/usr/bin/env bash
# Builds a local Apache Kafka container image (single-node KRaft) from the same Maven Central
# jars as fetch-kafka.sh, with a Java runtime assembled from this machine's JDK (jlink) and its
# shared libraries, plus dash for the entrypoint. There is no registry here, so nothing is
# pulled: the root filesystem is assembled locally and imported (`docker import`).
#
#   scripts/kafka/build-image.sh [--tag local/apache-kafka:VERSION] [--smoke-test]
#
# The image listens on 0.0.0.0:9092 (clients) and 127.0.0.1:9093 (controller); data in
# /var/lib/kafka (a volume). Env at run time: KAFKA_ADVERTISED_LISTENERS (default
# PLAINTEXT://localhost:9092), KAFKA_CLUSTER_ID (default: one generated at build time),
# KAFKA_HEAP_OPTS (default -Xmx1G -Xms1G), KAFKA_EXTRA_PROPERTIES (lines appended to
# server.properties). --smoke-test runs the image on a free 127.0.0.1 port, waits for it, asks
# kcat for metadata, and removes the container. Idempotent (re-tags). Needs a running dockerd.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/kafka/lib.sh
. "$here/lib.sh"

version=${KAFKA_VERSION:-$KAFKA_DEFAULT_VERSION}
tag="local/apache-kafka:$version"
smoke=0
while [ $# -gt 0 ]; do
  case "$1" in
  --tag) tag=$2; shift 2 ;;
  --smoke-test) smoke=1; shift ;;
  -h | --help) sed -n '2,15p' "$0"; exit 0 ;;
  *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

command -v docker >/dev/null || { echo "docker is not installed" >&2; exit 1; }
docker info >/dev/null 2>&1 || { echo "dockerd is not reachable" >&2; exit 1; }
libs=$("$here/fetch-kafka.sh")
ensure_java_and_maven >&2
jdk=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
[ -d "$jdk/jmods" ] || { echo "$jdk has no jmods: cannot jlink a runtime" >&2; exit 1; }

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,tmp,etc,opt/kafka,var/lib/kafka}
chmod 1777 "$root/tmp"

# A Java runtime with the modules Kafka's broker uses (JMX, SASL/GSSAPI, naming, HTTP, ...).
modules=java.base,java.compiler,java.datatransfer,java.desktop,java.instrument,java.logging,java.management,java.management.rmi,java.naming,java.net.http,java.prefs,java.rmi,java.scripting,java.security.jgss,java.security.sasl,java.sql,java.transaction.xa,java.xml,jdk.crypto.ec,jdk.httpserver,jdk.jfr,jdk.management,jdk.management.agent,jdk.naming.dns,jdk.net,jdk.security.auth,jdk.security.jgss,jdk.unsupported,jdk.zipfs
"$jdk/bin/jlink" --module-path "$jdk/jmods" --add-modules "$modules" --strip-debug \
  --no-header-files --no-man-pages --output "$root/opt/java"

# The shared libraries the runtime and dash need, copied from this machine.
cp -L /bin/dash "$root/bin/sh"
for f in "$root/bin/sh" "$root/opt/java/bin/java" $(find "$root/opt/java/lib" -name '*.so'); do
  ldd "$f" 2>/dev/null | grep -o '/[^ ]*\.so[^ ]*' || true
done | sort -u | while read -r lib; do
  case "$lib" in "$root"/*) continue ;; esac
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$root/etc/passwd"

cp -L "$libs"/*.jar "$root/opt/kafka/"
cluster_id=-
while [ "${cluster_id#-}" != "$cluster_id" ]; do
  cluster_id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
done

# Only dash builtins below: the image has no other tools.
cat >"$root/opt/kafka/entrypoint.sh" <<ENTRY
#!/bin/sh
set -e
data=/var/lib/kafka
props=\$data/server.properties
{
  echo "process.roles=broker,controller"
  echo "node.id=1"
  echo "controller.quorum.voters=1@127.0.0.1:9093"
  echo "listeners=PLAINTEXT://0.0.0.0:9092,CONTROLLER://127.0.0.1:9093"
  echo "advertised.listeners=\${KAFKA_ADVERTISED_LISTENERS:-PLAINTEXT://localhost:9092}"
  echo "controller.listener.names=CONTROLLER"
  echo "inter.broker.listener.name=PLAINTEXT"
  echo "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT"
  echo "log.dirs=\$data/kraft-logs"
  echo "num.partitions=1"
  echo "offsets.topic.replication.factor=1"
  echo "transaction.state.log.replication.factor=1"
  echo "transaction.state.log.min.isr=1"
  echo "share.coordinator.state.topic.replication.factor=1"
  echo "share.coordinator.state.topic.min.isr=1"
  echo "group.initial.rebalance.delay.ms=0"
  echo "\${KAFKA_EXTRA_PROPERTIES:-}"
} >"\$props"
{
  echo "appender.out.type = Console"
  echo "appender.out.name = OUT"
  echo "appender.out.layout.type = PatternLayout"
  echo "appender.out.layout.pattern = [%d] %p %m (%c)%n"
  echo "rootLogger.level = INFO"
  echo "rootLogger.appenderRef.out.ref = OUT"
} >\$data/log4j2.properties
java=/opt/java/bin/java
log="-Dlog4j2.configurationFile=\$data/log4j2.properties"
if [ ! -f "\$data/kraft-logs/meta.properties" ]; then
  \$java "\$log" -cp '/opt/kafka/*' kafka.tools.StorageTool format \\
    -t "\${KAFKA_CLUSTER_ID:-$cluster_id}" -c "\$props" --ignore-formatted
fi
# exec: Kafka is PID 1 and receives docker stop's SIGTERM (a clean shutdown).
exec \$java \${KAFKA_HEAP_OPTS:--Xmx1G -Xms1G} -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \\
  -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true \\
  "\$log" -Dkafka.logs.dir=\$data -cp '/opt/kafka/*' kafka.Kafka "\$props"
ENTRY

echo "importing $tag ($(du -sh "$root" | cut -f1) root filesystem)" >&2
tar -C "$root" -c . | docker import \
  -c 'ENTRYPOINT ["/bin/sh", "/opt/kafka/entrypoint.sh"]' \
  -c 'EXPOSE 9092' \
  -c 'VOLUME /var/lib/kafka' \
  -c 'WORKDIR /var/lib/kafka' \
  -c "LABEL org.opencontainers.image.title=apache-kafka org.opencontainers.image.version=$version" \
  - "$tag" >/dev/null
echo "$tag"

if [ "$smoke" -eq 1 ]; then
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  name="sluice-kafka-smoke-$$"
  docker run -d --name "$name" -p "127.0.0.1:$port:9092" \
    -e "KAFKA_ADVERTISED_LISTENERS=PLAINTEXT://127.0.0.1:$port" -e KAFKA_HEAP_OPTS=-Xmx512m "$tag" >/dev/null
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
