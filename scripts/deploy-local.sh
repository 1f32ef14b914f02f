#!/usr/bin/env bash
# Deploys apps/local (the default cluster) to the local Docker engine.
set -euo pipefail
cd "$(dirname "$0")/.."
export CHECKPOINT_DISABLE=1
exec npx cdktf deploy --auto-approve "$@"
