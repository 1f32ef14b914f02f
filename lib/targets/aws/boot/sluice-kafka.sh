#!/bin/bash
# Installs Apache Kafka on a broker VM of the Apache Kafka engine. Sourced by sluice-boot (as root)
# once the data volume is mounted: the settings (boot.env), ROOT, log and die are sluice-boot's. It
# writes kafka.service; sluice-boot hardens and starts it.
#
#   1. Java: Amazon Corretto 21 from Amazon Linux's repositories (served from S3, reached through the
#      VPC's S3 gateway endpoint: the brokers have no internet egress);
#   2. Kafka's jars from the cluster's bucket (uploaded at synth), unpacked once per distribution;
#   3. server.properties from the template the user data wrote, with the administrator's password
#      read from Secrets Manager (never in user data); readable by root and the kafka user only;
#   4. the log directory formatted for KRaft once (`--ignore-formatted` leaves a formatted one alone,
#      so a replacement instance keeps the volume's data);
#   5. kafka.service (sluice-boot adds the hardening drop-in both engines' units share).

PASSWORD_PLACEHOLDER="@ADMIN_PASSWORD@"
for var in SLUICE_KAFKA_KEY SLUICE_KAFKA_CLUSTER_ID SLUICE_KAFKA_HEAP_MIB SLUICE_KAFKA_PROPERTIES; do
  [ -n "${!var:-}" ] || die "$var is not set in $ENV_FILE"
done
[ -r "$ROOT$SLUICE_KAFKA_PROPERTIES" ] || die "missing $SLUICE_KAFKA_PROPERTIES (written by the user data)"

# --- 1. Java ------------------------------------------------------------------------------------
command -v java >/dev/null 2>&1 || dnf install -y -q java-21-amazon-corretto-headless >/dev/null
java_bin=$(command -v java) || die "Java is not installed"

# --- 2. Kafka's jars ----------------------------------------------------------------------------
name=$(basename "$SLUICE_KAFKA_KEY")
name="${name%.*}"
home="$ROOT/opt/kafka/$name"
if [ ! -d "$home/libs" ]; then
  partial="$home.partial"
  rm -rf "$partial" "$partial.download"
  mkdir -p "$partial"
  aws s3 cp --region "$SLUICE_REGION" --only-show-errors \
    "s3://$SLUICE_BUCKET/$SLUICE_KAFKA_KEY" "$partial.download"
  case "$SLUICE_KAFKA_KEY" in
  *.tgz) tar -xzf "$partial.download" -C "$partial" ;;
  *.zip) unzip -q -o "$partial.download" -d "$partial" ;;
  *) die "$SLUICE_KAFKA_KEY is neither a .tgz nor a .zip" ;;
  esac
  rm -f "$partial.download"
  # Apache's release has a top directory (kafka_2.13-<version>/libs); a zipped directory has none.
  libs=$(find "$partial" -maxdepth 2 -type d -name libs | head -n 1)
  [ -n "$libs" ] || die "s3://$SLUICE_BUCKET/$SLUICE_KAFKA_KEY has no libs/ directory"
  mv "$(dirname "$libs")" "$home"
  rm -rf "$partial"
fi
ln -sfn "$home" "$ROOT/opt/kafka/current"

# --- 3. server.properties -----------------------------------------------------------------------
id -u kafka >/dev/null 2>&1 || useradd --system --home-dir "$SLUICE_DATA_DIR/kafka" --shell /sbin/nologin kafka
install -d -o kafka -g kafka -m 0750 "$ROOT$SLUICE_DATA_DIR/kafka"
install -d -o root -g kafka -m 0750 "$ROOT/etc/kafka"
password=""
if [ -n "${SLUICE_ADMIN_SECRET_ARN:-}" ]; then
  password=$(aws secretsmanager get-secret-value --region "$SLUICE_REGION" \
    --secret-id "$SLUICE_ADMIN_SECRET_ARN" --query SecretString --output text)
  # The password goes into a sed replacement and a JAAS string: Sluice generates UUIDs, which are safe.
  case "$password" in
  '' | *[!A-Za-z0-9._~-]*) die "the administrator's secret holds characters a JAAS setting cannot take; use letters, digits and ._~-" ;;
  esac
elif grep -q "$PASSWORD_PLACEHOLDER" "$ROOT$SLUICE_KAFKA_PROPERTIES"; then
  die "$SLUICE_KAFKA_PROPERTIES needs the administrator's password but SLUICE_ADMIN_SECRET_ARN is empty"
fi
properties="$ROOT/etc/kafka/server.properties"
(
  umask 027
  sed "s/$PASSWORD_PLACEHOLDER/$password/g" "$ROOT$SLUICE_KAFKA_PROPERTIES" >"$properties.new"
)
chgrp kafka "$properties.new"
mv -f "$properties.new" "$properties"

# Kafka 4 logs through Log4j 2, 3.x through reload4j: both to the journal (stdout).
cat >"$ROOT/etc/kafka/log4j2.properties" <<'LOG4J2'
status = warn
appender.stdout.type = Console
appender.stdout.name = STDOUT
appender.stdout.layout.type = PatternLayout
appender.stdout.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.stdout.ref = STDOUT
LOG4J2
cat >"$ROOT/etc/kafka/log4j.properties" <<'LOG4J'
log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
LOG4J

# --- 4. format the log directory once -----------------------------------------------------------
classpath="/opt/kafka/current/libs/*"
log4j_options=(-Dlog4j2.configurationFile=/etc/kafka/log4j2.properties -Dlog4j.configuration=file:/etc/kafka/log4j.properties)
runuser -u kafka -- "$java_bin" "${log4j_options[@]}" -cp "$ROOT$classpath" kafka.tools.StorageTool \
  format --cluster-id "$SLUICE_KAFKA_CLUSTER_ID" --config "$properties" --ignore-formatted >&2 ||
  die "kafka-storage format failed on $SLUICE_DATA_DIR/kafka"

# --- 5. kafka.service ---------------------------------------------------------------------------
heap="${SLUICE_KAFKA_HEAP_MIB}"
cat >"$ROOT/etc/systemd/system/kafka.service" <<UNIT
[Unit]
Description=Apache Kafka broker $SLUICE_NODE_ID of Sluice cluster $SLUICE_CLUSTER
After=network-online.target
Wants=network-online.target
RequiresMountsFor=$SLUICE_DATA_DIR

[Service]
User=kafka
Group=kafka
ExecStart=$java_bin -Xms${heap}m -Xmx${heap}m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -Djava.awt.headless=true ${log4j_options[*]} -cp $classpath kafka.Kafka /etc/kafka/server.properties
# The JVM exits 143 on SIGTERM after a controlled shutdown.
SuccessExitStatus=143
TimeoutStopSec=180

[Install]
WantedBy=multi-user.target
UNIT
log "Apache Kafka $name installed for broker $SLUICE_NODE_ID of $SLUICE_CLUSTER"
