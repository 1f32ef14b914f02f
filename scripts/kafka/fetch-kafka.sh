#!/usr/bin/env bash
# Fetches Apache Kafka (broker, tools, clients, storage and their transitive
# dependencies) from Maven Central into a per-version cache directory, using Maven.
# Prints the libs directory on stdout. Idempotent: a stamp file marks a complete copy.
#
#   scripts/kafka/fetch-kafka.sh            # default KAFKA_VERSION
#   KAFKA_VERSION=4.1.1 scripts/kafka/fetch-kafka.sh
#
# Env: KAFKA_VERSION (default below: the newest 4.x on Maven Central when this was
# written), SLUICE_CACHE_DIR (default ~/.cache/sluice).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/kafka/lib.sh
. "$here/lib.sh"

version=${KAFKA_VERSION:-$KAFKA_DEFAULT_VERSION}
dir=$(kafka_home "$version")
libs="$dir/libs"
if [ -f "$dir/.complete" ]; then
  echo "$libs"
  exit 0
fi

ensure_java_and_maven >&2

mkdir -p "$dir"
rm -rf "$libs" "$dir/pom"
mkdir -p "$dir/pom"
# A throwaway project whose dependencies are the Kafka artifacts we want on the classpath.
deps=""
for a in kafka_2.13 kafka-tools kafka-clients kafka-server kafka-storage kafka-metadata kafka-raft \
  kafka-server-common kafka-group-coordinator kafka-transaction-coordinator kafka-share-coordinator; do
  deps="$deps<dependency><groupId>org.apache.kafka</groupId><artifactId>$a</artifactId><version>$version</version></dependency>"
done
# Kafka 4 logs through SLF4J 1.7 to Log4j 2 (its distribution ships log4j-slf4j-impl); the
# published POMs leave the binding out, so add it, with log4j-api/core at one version.
log4j=${KAFKA_LOG4J_VERSION:-2.25.4}
for a in log4j-api log4j-core log4j-slf4j-impl; do
  deps="$deps<dependency><groupId>org.apache.logging.log4j</groupId><artifactId>$a</artifactId><version>$log4j</version></dependency>"
done
cat >"$dir/pom/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.sluice.local</groupId>
  <artifactId>kafka-runtime</artifactId>
  <version>$version</version>
  <packaging>pom</packaging>
  <dependencies>$deps</dependencies>
</project>
POM

echo "fetching Apache Kafka $version from Maven Central into $libs" >&2
mvn_batch -f "$dir/pom/pom.xml" \
  org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
  -DoutputDirectory="$libs" -DincludeScope=runtime >&2

# Two SLF4J providers would make SLF4J pick one at random and warn; keep Log4j 2's.
rm -f "$libs"/slf4j-reload4j-*.jar "$libs"/slf4j-log4j12-*.jar "$libs"/slf4j-simple-*.jar "$libs"/slf4j-nop-*.jar
test -f "$libs/kafka_2.13-$version.jar"
test -f "$libs/kafka-tools-$version.jar"
touch "$dir/.complete"
echo "$libs"
