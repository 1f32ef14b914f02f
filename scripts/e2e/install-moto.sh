#!/usr/bin/env bash
# Installs moto (a local emulator of AWS APIs, from PyPI) in server mode, with boto3, into a venv
# cached under $SLUICE_E2E_CACHE: the AWS boot test serves S3, Secrets Manager and SSM from it.
# Prints the venv's bin directory on stdout. Idempotent.
set -euo pipefail
# shellcheck source=scripts/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

MOTO_VERSION=5.2.6
venv="$SLUICE_E2E_CACHE/moto-$MOTO_VERSION"
if [ ! -x "$venv/bin/moto_server" ]; then
  # Any Python 3 with venv will do; Debian's needs python3-venv.
  python=$(command -v python3 || true)
  if [ -z "$python" ] || ! "$python" -c 'import venv, ensurepip' 2>/dev/null; then
    apt_install python3 python3-venv
    python=/usr/bin/python3
  fi
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check "moto[server]==$MOTO_VERSION" >&2
  log "installed moto $MOTO_VERSION into $venv"
fi
echo "$venv/bin"
