#!/bin/bash
# Brings the cluster to its manifest: run every minute by sluice-apply.timer on each broker.
# Reads the manifest from SSM Parameter Store and applies it only when it changed since the last
# successful run; principals' passwords come from Secrets Manager (the credentials parameter maps
# each password's environment variable to its secret), never from disk or user data.
set -euo pipefail

ROOT="${SLUICE_ROOT:-}"
STATE="$ROOT$SLUICE_DATA_DIR/.sluice-applied-sha256"
log() { echo "sluice-apply: $*" >&2; }

manifest=$(aws ssm get-parameter --region "$SLUICE_REGION" --name "$SLUICE_MANIFEST_PARAMETER" \
  --query Parameter.Value --output text)
sha=$(printf '%s' "$manifest" | sha256sum | cut -d' ' -f1)
if [ -f "$STATE" ] && [ "$(cat "$STATE")" = "$sha" ]; then
  exit 0
fi

credentials=$(aws ssm get-parameter --region "$SLUICE_REGION" --name "$SLUICE_CREDENTIALS_PARAMETER" \
  --query Parameter.Value --output text)
node_bin=$(command -v node-20 || command -v node)
# {"ENV_NAME": "arn:…"} → one "ENV_NAME arn" line each.
while read -r env arn; do
  [ -n "$env" ] || continue
  value=$(aws secretsmanager get-secret-value --region "$SLUICE_REGION" --secret-id "$arn" \
    --query SecretString --output text)
  export "$env=$value"
done < <(printf '%s' "$credentials" | "$node_bin" -e \
  'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{for(const [k,v] of Object.entries(JSON.parse(s)))console.log(k+" "+v)})')

if [ -n "${SLUICE_ADMIN_SECRET_ARN:-}" ]; then
  SLUICE_ADMIN_PASSWORD=$(aws secretsmanager get-secret-value --region "$SLUICE_REGION" \
    --secret-id "$SLUICE_ADMIN_SECRET_ARN" --query SecretString --output text)
  export SLUICE_ADMIN_PASSWORD
fi

file=$(mktemp)
trap 'rm -f "$file"' EXIT
printf '%s' "$manifest" >"$file"
# shellcheck disable=SC2086 # SLUICE_APPLY_ARGS is a list of flags
"$node_bin" "$ROOT/opt/sluice/current/bin/sluice.mjs" apply "$file" $SLUICE_APPLY_ARGS
printf '%s' "$sha" >"$STATE"
log "applied manifest $sha"
