#!/usr/bin/env bash
# Deploys apps/local (the default cluster) to the local Docker engine.
# Offline machines: `. ~/.cache/sluice-e2e/env.sh` first (built by scripts/e2e/install-providers.sh), which points
# TF_CLI_CONFIG_FILE at a filesystem mirror; `terraform providers lock` ignores mirrors and asks the registry, so
# the lock step is skipped whenever a CLI config is set.
set -euo pipefail
cd "$(dirname "$0")/.."
export CHECKPOINT_DISABLE=1
extra=()
if [ -n "${TF_CLI_CONFIG_FILE:-}" ]; then extra+=(--skip-provider-lock); fi
exec npx cdktf deploy --auto-approve "${extra[@]}" "$@"
