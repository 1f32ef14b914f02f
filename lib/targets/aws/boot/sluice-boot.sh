#!/bin/bash
# Boot script of a Sluice broker on EC2 (Amazon Linux 2023), run once by cloud-init as root.
# Its settings come from /etc/sluice/boot.env, which the generated user data writes first
# (lib/targets/aws/user-data.ts). Secrets are read from Secrets Manager here, never from user data.
#
#   1. find the data volume (Nitro: an NVMe device named by its EBS volume id), wait for it;
#   2. format it only when it is blank; refuse a volume with any other file system or label;
#   3. mount it at the data directory (fstab by UUID);
#   4. fetch the Sluice bundle from S3 and install Node.js (the broker, or `sluice apply` next to
#      Apache Kafka);
#   5. the bundled broker: read the administrator's password, write its unit; Apache Kafka
#      (SLUICE_ENGINE=apache-kafka): sluice-kafka (sourced) installs it and writes kafka.service;
#   6. harden the broker's unit (a drop-in), start it and the apply timer under systemd.
#
# Test seams (test/targets/aws/boot-script.test.ts): SLUICE_ROOT prefixes every path it writes,
# SLUICE_DEV_DIR replaces /dev, SLUICE_WAIT_SECONDS bounds the wait for the volume,
# SLUICE_KAFKA_SCRIPT replaces /usr/local/sbin/sluice-kafka.
set -euo pipefail

ROOT="${SLUICE_ROOT:-}"
DEV_DIR="${SLUICE_DEV_DIR:-/dev}"
ENV_FILE="${SLUICE_BOOT_ENV:-$ROOT/etc/sluice/boot.env}"
WAIT_SECONDS="${SLUICE_WAIT_SECONDS:-600}"
DATA_LABEL="sluice-data"

log() { echo "sluice-boot: $*" >&2; }
die() { log "error: $*"; exit 1; }

[ -r "$ENV_FILE" ] || die "missing $ENV_FILE"
# shellcheck source=/dev/null
. "$ENV_FILE"
for var in SLUICE_REGION SLUICE_CLUSTER SLUICE_NODE_ID SLUICE_BUCKET SLUICE_BUNDLE_KEY \
  SLUICE_DATA_VOLUME_ID SLUICE_DATA_DIR SLUICE_MANIFEST_PARAMETER SLUICE_CREDENTIALS_PARAMETER; do
  [ -n "${!var:-}" ] || die "$var is not set in $ENV_FILE"
done

# --- 1. the data volume -----------------------------------------------------------------------
# Nitro instances expose EBS volumes as NVMe devices; udev names them after the volume id without
# its dash (nvme-Amazon_Elastic_Block_Store_vol0123…). Xen instances keep the attachment name.
volume_device() {
  local id="${SLUICE_DATA_VOLUME_ID/-/}"
  local candidates=("$DEV_DIR/disk/by-id/nvme-Amazon_Elastic_Block_Store_${id}" "$DEV_DIR/sdf" "$DEV_DIR/xvdf")
  local c
  for c in "${candidates[@]}"; do
    if [ -b "$c" ] || [ -f "$c" ]; then
      echo "$c"
      return 0
    fi
  done
  return 1
}

waited=0
until device=$(volume_device); do
  # Terraform attaches the volume after the instance exists: wait for it.
  [ "$waited" -lt "$WAIT_SECONDS" ] || die "data volume $SLUICE_DATA_VOLUME_ID not attached after ${WAIT_SECONDS}s"
  sleep 5
  waited=$((waited + 5))
done
log "data volume $SLUICE_DATA_VOLUME_ID is $device"

# --- 2. format only a blank volume --------------------------------------------------------------
# probe FIELD: blkid's value of FIELD; empty when blkid finds nothing (its exit code 2).
probe() {
  local out code=0
  out=$(blkid -o value -s "$1" "$device") || code=$?
  case "$code" in
  0) echo "$out" ;;
  2) echo "" ;;
  *) die "blkid failed on $device (exit $code)" ;;
  esac
}
fs_type=$(probe TYPE)
fs_label=$(probe LABEL)
if [ -z "$fs_type" ]; then
  # blkid sees no file system; a partition table or any other signature still means "not blank".
  signatures=$(wipefs --no-act --parsable "$device") || die "wipefs failed on $device"
  if [ -n "$signatures" ]; then
    die "$device has signatures but no file system; refusing to format it (inspect it with wipefs)"
  fi
  log "formatting blank $device as xfs ($DATA_LABEL)"
  mkfs.xfs -q -L "$DATA_LABEL" "$device"
elif [ "$fs_type" != "xfs" ] || [ "$fs_label" != "$DATA_LABEL" ]; then
  die "$device holds a foreign file system ($fs_type, label '${fs_label}'); refusing to touch it"
else
  log "$device already holds the broker's data ($fs_type, $fs_label)"
fi

# --- 3. mount it --------------------------------------------------------------------------------
uuid=$(blkid -o value -s UUID "$device")
mkdir -p "$ROOT$SLUICE_DATA_DIR"
if ! grep -q "UUID=$uuid" "$ROOT/etc/fstab" 2>/dev/null; then
  echo "UUID=$uuid $SLUICE_DATA_DIR xfs defaults,nofail,noatime 0 2" >>"$ROOT/etc/fstab"
fi
mountpoint -q "$ROOT$SLUICE_DATA_DIR" || mount "$ROOT$SLUICE_DATA_DIR"
# The broker's own directory on the volume, owned by its dedicated user.
id -u sluice >/dev/null 2>&1 || useradd --system --home-dir "$SLUICE_DATA_DIR" --shell /sbin/nologin sluice
install -d -o sluice -g sluice -m 0750 "$ROOT$SLUICE_DATA_DIR/broker"

# --- 4. the broker bundle and Node.js -----------------------------------------------------------
hash=$(basename "$SLUICE_BUNDLE_KEY" .zip)
app="$ROOT/opt/sluice/$hash"
if [ ! -d "$app" ]; then
  mkdir -p "$app"
  aws s3 cp --region "$SLUICE_REGION" --only-show-errors "s3://$SLUICE_BUCKET/$SLUICE_BUNDLE_KEY" "$app.zip"
  unzip -q -o "$app.zip" -d "$app"
  rm -f "$app.zip"
fi
ln -sfn "$app" "$ROOT/opt/sluice/current"
command -v node >/dev/null 2>&1 || dnf install -y -q nodejs20 nodejs20-npm >/dev/null || dnf install -y -q nodejs
node_bin=$(command -v node-20 || command -v node) || die "Node.js is not installed"

# --- 5. the broker's unit -----------------------------------------------------------------------
if [ "${SLUICE_ENGINE:-bundled}" = "apache-kafka" ]; then
  broker_unit=kafka.service
  # shellcheck source=lib/targets/aws/boot/sluice-kafka.sh
  . "${SLUICE_KAFKA_SCRIPT:-/usr/local/sbin/sluice-kafka}"
else
  broker_unit=sluice-broker.service
  install -d -m 0700 "$ROOT/etc/sluice"
  secrets="$ROOT/etc/sluice/broker.env"
  umask 077
  : >"$secrets"
  if [ -n "${SLUICE_ADMIN_SECRET_ARN:-}" ]; then
    password=$(aws secretsmanager get-secret-value --region "$SLUICE_REGION" \
      --secret-id "$SLUICE_ADMIN_SECRET_ARN" --query SecretString --output text)
    printf 'SLUICE_ADMIN_PASSWORD=%s\n' "$password" >"$secrets"
  fi
  umask 022

  private_ip=$(TOKEN=$(curl -sS -X PUT http://169.254.169.254/latest/api/token \
    -H 'X-aws-ec2-metadata-token-ttl-seconds: 60') &&
    curl -sS -H "X-aws-ec2-metadata-token: $TOKEN" http://169.254.169.254/latest/meta-data/local-ipv4)
  [ -n "$private_ip" ] || die "cannot read the instance's private address from IMDSv2"

  cat >"$ROOT/etc/systemd/system/sluice-broker.service" <<UNIT
[Unit]
Description=Sluice broker $SLUICE_NODE_ID of cluster $SLUICE_CLUSTER
After=network-online.target
Wants=network-online.target
RequiresMountsFor=$SLUICE_DATA_DIR

[Service]
User=sluice
Group=sluice
EnvironmentFile=/etc/sluice/broker.env
Environment=NODE_OPTIONS=--max-old-space-size=${SLUICE_BROKER_HEAP_MIB:-1024}
ExecStart=$node_bin /opt/sluice/current/bin/sluice-broker.mjs ${SLUICE_BROKER_ARGS//@PRIVATE_IP@/$private_ip}

[Install]
WantedBy=multi-user.target
UNIT
fi

# --- 6. hardening, the apply timer, and start ---------------------------------------------------
# The broker's unit, whichever engine, runs under the same hardening: a drop-in of its own.
install -d -m 0755 "$ROOT/etc/systemd/system/$broker_unit.d"
cat >"$ROOT/etc/systemd/system/$broker_unit.d/hardening.conf" <<UNIT
[Service]
MemoryMax=${SLUICE_BROKER_MEMORY_MIB:-infinity}${SLUICE_BROKER_MEMORY_MIB:+M}
Restart=on-failure
RestartSec=5
LimitNOFILE=1048576
NoNewPrivileges=yes
ProtectSystem=strict
ProtectHome=yes
PrivateTmp=yes
PrivateDevices=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectControlGroups=yes
RestrictSUIDSGID=yes
LockPersonality=yes
CapabilityBoundingSet=
ReadWritePaths=$SLUICE_DATA_DIR
UNIT

cat >"$ROOT/etc/systemd/system/sluice-apply.service" <<UNIT
[Unit]
Description=Bring Sluice cluster $SLUICE_CLUSTER to its manifest in SSM ($SLUICE_MANIFEST_PARAMETER)
After=$broker_unit
Requires=$broker_unit

[Service]
Type=oneshot
EnvironmentFile=/etc/sluice/boot.env
ExecStart=/usr/local/sbin/sluice-apply
UNIT

cat >"$ROOT/etc/systemd/system/sluice-apply.timer" <<UNIT
[Unit]
Description=Check Sluice cluster $SLUICE_CLUSTER's manifest every minute

[Timer]
OnBootSec=30s
OnUnitActiveSec=60s
# Every broker of a cluster runs this timer: spread them, so they rarely apply the same change at once
# (when they do, the later one fails a step and converges on its next run).
RandomizedDelaySec=20s

[Install]
WantedBy=timers.target
UNIT

if [ -z "$ROOT" ]; then
  systemctl daemon-reload
  systemctl enable --now "$broker_unit" sluice-apply.timer
else
  log "test root: systemd not touched"
fi
log "broker $SLUICE_NODE_ID of $SLUICE_CLUSTER started from bundle $hash"
