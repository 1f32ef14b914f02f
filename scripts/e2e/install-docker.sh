#!/usr/bin/env bash
# Makes a Docker Engine answer on /var/run/docker.sock: installs Debian's docker.io when dockerd is missing,
# starts dockerd in the background (its own session, logging to a file) when the socket does not answer,
# then waits for `docker info`. Idempotent: does nothing when the engine already answers.
set -euo pipefail
# shellcheck source=scripts/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

DOCKERD_LOG="${SLUICE_DOCKERD_LOG:-/var/log/sluice-e2e-dockerd.log}"

if docker info >/dev/null 2>&1; then
  log "docker engine already answering ($(docker version -f '{{.Server.Version}}' 2>/dev/null))"
  exit 0
fi

if ! command -v dockerd >/dev/null; then
  [ "$(id -u)" = 0 ] || die "dockerd is missing and installing it needs root"
  apt_install docker.io
fi
# Debian's docker.io ships the CLI too; an older CLI elsewhere on PATH still speaks to the newer daemon.
command -v docker >/dev/null || die "docker CLI not found after installing docker.io"

if ! docker info >/dev/null 2>&1; then
  [ "$(id -u)" = 0 ] || die "the docker engine is not running and starting it needs root"
  log "starting dockerd (log: $DOCKERD_LOG)"
  # setsid: the daemon outlives this script and the CI step; no stdin, so nothing waits on a terminal.
  setsid dockerd >>"$DOCKERD_LOG" 2>&1 </dev/null &
  for _ in $(seq 1 90); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
fi
docker info >/dev/null 2>&1 || { tail -n 30 "$DOCKERD_LOG" >&2 || true; die "docker engine did not answer within 90 s"; }
log "docker engine ready ($(docker version -f '{{.Server.Version}}' 2>/dev/null))"
