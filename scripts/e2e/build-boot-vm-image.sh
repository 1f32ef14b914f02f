#!/usr/bin/env bash
# Builds the "VM" image the AWS boot test runs generated user data in (test/e2e/aws-boot): a Debian
# root file system made by debootstrap from Debian's packages (no container registry here), with what
# an EC2 instance of ours has — systemd (PID 1 in the container, as on the VM), xfsprogs and
# util-linux for the data volume, the AWS CLI, curl, unzip, a Java runtime for Apache Kafka (Corretto on
# Amazon Linux; the boot script installs Java only when `java` is missing) — plus this machine's Node.js at
# /usr/local/bin/node, which stands in for the `dnf install nodejs20` of Amazon Linux (the boot script
# only installs Node.js when `node` is missing).
#
# The debootstrap tree is cached as a tarball under $SLUICE_E2E_CACHE (minutes to build, seconds to
# import); the image is rebuilt only when its inputs change. Prints the image tag on stdout.
set -euo pipefail
# shellcheck source=scripts/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

TAG="${SLUICE_BOOT_VM_IMAGE:-sluice/boot-vm:bookworm}"
SUITE=bookworm
MIRROR="${SLUICE_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
RECIPE_VERSION=2 # bump when the package list or layout below changes
# python3-cffi-backend: debootstrap does not resolve the virtual packages python3-cryptography needs.
PACKAGES=systemd,systemd-sysv,dbus,xfsprogs,util-linux,mount,curl,ca-certificates,unzip,awscli,python3-cffi-backend,iproute2,procps,less,openjdk-17-jre-headless
NODE_BIN="$(readlink -f "${SLUICE_BASE_NODE:-$(command -v node)}")"

apt_install debootstrap
tarball="$SLUICE_E2E_CACHE/boot-vm-$SUITE-r$RECIPE_VERSION.tar"
if [ ! -s "$tarball" ]; then
  root="$(mktemp -d)"
  trap 'rm -rf "$root"' EXIT
  log "debootstrap $SUITE ($PACKAGES) into $root"
  if ! debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$root" "$MIRROR" >&2; then
    tail -n 60 "$root/debootstrap/debootstrap.log" >&2 || true
    die "debootstrap failed"
  fi
  # A container has no consoles or udev to wait for; the journal goes to the container's output.
  chroot "$root" systemctl mask getty@tty1.service console-getty.service systemd-udevd.service \
    systemd-udev-trigger.service systemd-timesyncd.service >/dev/null 2>&1 || true
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  tar -C "$root" -cf "$tarball.tmp" .
  mv "$tarball.tmp" "$tarball"
  rm -rf "$root"
  trap - EXIT
fi

inputs="$(printf '%s\n' "recipe $RECIPE_VERSION" "$(sha256sum "$tarball" "$NODE_BIN")")"
fingerprint="$(printf '%s' "$inputs" | sha256sum | cut -c1-16)"
if [ "$(docker image inspect -f '{{index .Config.Labels "sluice.boot-vm.fingerprint"}}' "$TAG" 2>/dev/null)" = "$fingerprint" ]; then
  log "boot VM image $TAG is up to date ($fingerprint)"
  echo "$TAG"
  exit 0
fi
log "importing $tarball as $TAG"
base="$TAG-rootfs"
docker import "$tarball" "$base" >/dev/null
ctx="$(mktemp -d)"
trap 'rm -rf "$ctx"' EXIT
cp "$NODE_BIN" "$ctx/node"
cat >"$ctx/Dockerfile" <<DOCKERFILE
FROM $base
COPY node /usr/local/bin/node
LABEL sluice.boot-vm.fingerprint=$fingerprint
STOPSIGNAL SIGRTMIN+3
CMD ["/sbin/init"]
DOCKERFILE
docker build -q -t "$TAG" "$ctx" >/dev/null
log "built $TAG ($fingerprint)"
echo "$TAG"
