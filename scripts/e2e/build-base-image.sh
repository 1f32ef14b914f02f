#!/usr/bin/env bash
# Builds a local Node.js base image for the broker's Dockerfile (ARG BASE_IMAGE / env SLUICE_BASE_IMAGE),
# because no container registry is reachable here and `FROM node:…` cannot be pulled.
# The image is assembled from this machine's own node binary and the shared libraries it links, plus a
# static busybox (from Debian's busybox-static) for /bin/sh and the small tools a Dockerfile RUN step or a
# HEALTHCHECK may use, and a non-root `node` user (uid/gid 1000, as in the official image).
# Idempotent: skipped when an image with the same tag was built from the same inputs.
set -euo pipefail
# shellcheck source=scripts/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

TAG="${SLUICE_BASE_IMAGE:-sluice/node-base:local}"
NODE_BIN="$(readlink -f "${SLUICE_BASE_NODE:-$(command -v node)}")"
RECIPE_VERSION=1 # bump when the image layout below changes

apt_install busybox-static
BUSYBOX=/bin/busybox
[ -x "$BUSYBOX" ] || die "busybox-static did not provide $BUSYBOX"

inputs="$(printf '%s\n' "recipe $RECIPE_VERSION" "$(sha256sum "$NODE_BIN" "$BUSYBOX")")"
fingerprint="$(printf '%s' "$inputs" | sha256sum | cut -c1-16)"
if [ "$(docker image inspect -f '{{index .Config.Labels "sluice.base.fingerprint"}}' "$TAG" 2>/dev/null)" = "$fingerprint" ]; then
  log "base image $TAG is up to date ($fingerprint)"
  exit 0
fi

root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,etc,home/node,tmp,usr/bin,usr/local/bin,usr/sbin,sbin,app,data}
chmod 1777 "$root/tmp"

# Node and exactly the shared libraries it links (plus the dynamic loader).
cp "$NODE_BIN" "$root/usr/local/bin/node"
ln -s /usr/local/bin/node "$root/usr/bin/node"
for lib in $(ldd "$NODE_BIN" | grep -o '/[^ ]*\.so[^ ]*'); do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done

# busybox: /bin/sh and the usual applets as symlinks (sh, wget, nc, mkdir, chown, …).
cp "$BUSYBOX" "$root/bin/busybox"
for applet in $("$BUSYBOX" --list-full); do
  [ -e "$root/$applet" ] || ln -s /bin/busybox "$root/$applet"
done

cat >"$root/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
node:x:1000:1000:node:/home/node:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PASSWD
cat >"$root/etc/group" <<'GROUP'
root:x:0:
node:x:1000:
nogroup:x:65534:
GROUP
echo 'hosts: files dns' >"$root/etc/nsswitch.conf"
chown -R 1000:1000 "$root/home/node"

log "importing $TAG from $NODE_BIN ($(node --version 2>/dev/null || true)) and busybox"
tar -C "$root" --numeric-owner -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV NODE_VERSION=local' \
  --change "LABEL sluice.base.fingerprint=$fingerprint" \
  --change 'WORKDIR /' \
  --change 'CMD ["node"]' \
  - "$TAG" >/dev/null

# Smoke test: node runs as the non-root user, and the shell works.
docker run --rm --user node "$TAG" node -e 'process.stdout.write(`node ${process.version} uid ${process.getuid()}\n`)'
docker run --rm "$TAG" sh -c 'test -x /bin/sh && wget --help >/dev/null 2>&1; echo "sh ok"'
log "built $TAG ($fingerprint)"
