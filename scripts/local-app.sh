#!/usr/bin/env bash
# Deploys (`deploy`) or destroys (`destroy`) apps/local, the default cluster, on the local Docker engine.
# Offline machines: `. ~/.cache/sluice-e2e/env.sh` first (built by scripts/e2e/install-providers.sh), which points
# TF_CLI_CONFIG_FILE at a filesystem mirror; `terraform providers lock` ignores mirrors and asks the registry, so
# the lock step is skipped whenever a CLI config is set.
# `destroy` removes the containers and the network; by design it keeps the broker's data volume
# (RemovalPolicy.RETAIN) and the image (so a redeploy is quick): the README says how to remove them.
set -euo pipefail
cd "$(dirname "$0")/.."
verb="${1:-}"
case "$verb" in
deploy | destroy) shift ;;
*)
  echo "usage: scripts/local-app.sh deploy|destroy [cdktf options]" >&2
  exit 64
  ;;
esac
export CHECKPOINT_DISABLE=1
extra=()
if [ -n "${TF_CLI_CONFIG_FILE:-}" ]; then extra+=(--skip-provider-lock); fi
exec npx cdktf "$verb" --auto-approve "${extra[@]}" "$@"
