#!/usr/bin/env bash
# Installs the real Kafka clients the integration suite drives, and compiles its Java programs.
#   - Debian: kcat (librdkafka), python3-kafka (kafka-python), python3-confluent-kafka, all for
#     /usr/bin/python3 (not a pyenv python3 that may come first on PATH);
#   - Maven Central: org.apache.kafka:kafka-clients (KAFKA_VERSION) + slf4j-nop, with Maven;
#   - javac: test/integration/java/*.java against that client.
# Idempotent; safe as root with CI=true and no stdin. Prints the Java classpath on stdout.
# Env: KAFKA_VERSION, SLUICE_CACHE_DIR.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=scripts/kafka/lib.sh
. "$root/scripts/kafka/lib.sh"
version=${KAFKA_VERSION:-$KAFKA_DEFAULT_VERSION}

{
  apt_install kcat python3-kafka python3-confluent-kafka
  /usr/bin/python3 -c 'import kafka, confluent_kafka' || {
    echo "kafka-python / confluent-kafka not importable by /usr/bin/python3" >&2
    exit 1
  }
  ensure_java_and_maven
} >&2

cache=$(sluice_cache_dir)
client="$cache/java-client-$version"
if [ ! -f "$client/.complete" ]; then
  rm -rf "$client"
  mkdir -p "$client/pom"
  cat >"$client/pom/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.sluice.local</groupId>
  <artifactId>java-client</artifactId>
  <version>$version</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-clients</artifactId><version>$version</version></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-nop</artifactId><version>1.7.36</version></dependency>
  </dependencies>
</project>
POM
  echo "fetching kafka-clients $version from Maven Central into $client/libs" >&2
  mvn_batch -f "$client/pom/pom.xml" \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -DoutputDirectory="$client/libs" -DincludeScope=runtime >&2
  test -f "$client/libs/kafka-clients-$version.jar"
  touch "$client/.complete"
fi

# Always recompiled (a second or two): the sources live in the checkout and change with it.
classes="$cache/integration-java/classes"
rm -rf "$classes"
mkdir -p "$classes"
javac -nowarn -d "$classes" -cp "$client/libs/*" "$root"/test/integration/java/*.java >&2
echo "$classes:$client/libs/*"
