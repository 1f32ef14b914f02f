#!/usr/bin/env bash
# Shared helpers for the e2e set-up scripts (sourced, not executed).
# Everything that outlives one run (Go caches, the Terraform provider mirror, the CLI config, logs) lives
# under $SLUICE_E2E_CACHE so that a fresh clone on the same machine reuses it.

export SLUICE_E2E_CACHE="${SLUICE_E2E_CACHE:-${HOME:-/root}/.cache/sluice-e2e}"
export CHECKPOINT_DISABLE=1 DEBIAN_FRONTEND=noninteractive
mkdir -p "$SLUICE_E2E_CACHE"

# log MESSAGE: timestamped progress line on stderr.
log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# die MESSAGE: stop with an error.
die() { log "ERROR: $*"; exit 1; }

# apt_install PKG...: installs Debian packages; refreshes the package lists only when a package has no
# install candidate, because `apt-get update` is the slow part. Serialized between our own scripts with
# flock; waits for (and retries past) other jobs that hold apt's locks.
apt_install() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  (
    flock 9
    local apt=(apt-get -o DPkg::Lock::Timeout=600 -y -qq)
    if ! "${apt[@]}" install --no-install-recommends "${missing[@]}" </dev/null >/dev/null 2>&1; then
      log "apt-get update (needed for: ${missing[*]})"
      for attempt in 1 2 3 4 5; do
        "${apt[@]}" update </dev/null >/dev/null && break
        [ "$attempt" = 5 ] && die "apt-get update failed"
        sleep 10
      done
      "${apt[@]}" install --no-install-recommends "${missing[@]}" </dev/null >/dev/null
    fi
  ) 9>/var/lock/sluice-e2e-apt.lock
  log "installed: ${missing[*]}"
}
