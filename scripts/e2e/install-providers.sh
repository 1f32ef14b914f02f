#!/usr/bin/env bash
# Installs what `cdktf deploy` needs offline: the kreuzwerker/docker provider (built with Go through the Go
# module proxy, placed in a Terraform filesystem mirror), a CLI config that uses that mirror, a Terraform
# binary (OpenTofu from the Go module proxy when `terraform` is missing) and kcat.
# Idempotent: a provider already in the mirror is not rebuilt; the Go caches ($GOMODCACHE, $GOCACHE) are kept.
# Writes $SLUICE_E2E_CACHE/env.sh (TF_CLI_CONFIG_FILE, TERRAFORM_BINARY_NAME, PATH) for the caller to source.
set -euo pipefail
# shellcheck source=scripts/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

# The version the cdktf bindings pin (@cdktf/provider-docker@12 → required_providers docker = "3.6.2").
PROVIDER_VERSION="${SLUICE_DOCKER_PROVIDER_VERSION:-3.6.2}"
# kreuzwerker/docker's go.mod declares this module path (no /v3 suffix), so its tags are not valid module
# versions: v3.6.2 is installed by the commit its tag points at (2f20f8c3ce82, 2025-06-13T21:46:48Z).
MODULE="github.com/terraform-providers/terraform-provider-docker"
MODULE_VERSION="${SLUICE_DOCKER_PROVIDER_MODULE_VERSION:-v0.0.0-20250613214648-2f20f8c3ce82}"
# Fallback when the proxy refuses the pinned commit: the same code published under the repository's own path
# (whose go.mod still names $MODULE, so it is downloaded and built in place rather than `go install`ed).
FALLBACK_MODULE="github.com/kreuzwerker/terraform-provider-docker"
FALLBACK_VERSION="${SLUICE_DOCKER_PROVIDER_FALLBACK_VERSION:-v0.0.0-20260916201441-96d331c98ff4}"

MIRROR="$SLUICE_E2E_CACHE/tf-mirror"
SLOT="$MIRROR/registry.terraform.io/kreuzwerker/docker/$PROVIDER_VERSION/linux_amd64"
BIN="$SLOT/terraform-provider-docker_v$PROVIDER_VERSION"
STAMP="$SLOT/.built-from"
CLI_CONFIG="$SLUICE_E2E_CACHE/terraform.rc"
ENV_FILE="$SLUICE_E2E_CACHE/env.sh"

build_provider() {
  command -v go >/dev/null || die "go is required to build the provider (not found on PATH)"
  local tmp
  tmp="$(mktemp -d)"
  mkdir -p "$SLOT"
  log "building kreuzwerker/docker: go install $MODULE@$MODULE_VERSION"
  if GOBIN="$tmp" nice -n 10 go install -trimpath \
      -ldflags "-s -w -X main.version=$PROVIDER_VERSION" "$MODULE@$MODULE_VERSION"; then
    mv "$tmp/terraform-provider-docker" "$BIN"
    echo "$MODULE@$MODULE_VERSION" >"$STAMP"
  else
    log "WARNING: the Go module proxy does not serve $MODULE@$MODULE_VERSION (the v3.6.2 commit)."
    log "WARNING: falling back to $FALLBACK_MODULE@$FALLBACK_VERSION, installed in the $PROVIDER_VERSION slot."
    local dir
    dir="$(go mod download -json "$FALLBACK_MODULE@$FALLBACK_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
    [ -n "$dir" ] && [ -f "$dir/go.mod" ] || die "could not download $FALLBACK_MODULE@$FALLBACK_VERSION"
    cp -r "$dir" "$tmp/src" && chmod -R u+w "$tmp/src"
    (cd "$tmp/src" && nice -n 10 go build -trimpath \
      -ldflags "-s -w -X main.version=$PROVIDER_VERSION" -o "$BIN" .)
    echo "$FALLBACK_MODULE@$FALLBACK_VERSION" >"$STAMP"
  fi
  rm -rf "$tmp"
}

start=$(date +%s)
if [ -x "$BIN" ] && [ -s "$STAMP" ]; then
  log "provider already in the mirror: $BIN (from $(cat "$STAMP"))"
else
  build_provider
  log "provider built in $(($(date +%s) - start)) s: $BIN (from $(cat "$STAMP"))"
fi

cat >"$CLI_CONFIG" <<RC
# Written by scripts/e2e/install-providers.sh: providers come from the local mirror only (no registry here).
provider_installation {
  filesystem_mirror {
    path    = "$MIRROR"
    include = ["registry.terraform.io/kreuzwerker/docker"]
  }
  direct {
    exclude = ["registry.terraform.io/kreuzwerker/docker"]
  }
}
disable_checkpoint = true
RC

# Terraform: use the machine's; otherwise build OpenTofu from the Go module proxy (cdktf honours
# TERRAFORM_BINARY_NAME=tofu).
TF_NAME=terraform
if ! command -v terraform >/dev/null; then
  TOFU_VERSION="${SLUICE_TOFU_VERSION:-v1.10.10}"
  TF_NAME=tofu
  if [ ! -x "$SLUICE_E2E_CACHE/bin/tofu" ]; then
    log "terraform missing: building OpenTofu $TOFU_VERSION"
    GOBIN="$SLUICE_E2E_CACHE/bin" nice -n 10 go install -trimpath "github.com/opentofu/opentofu/cmd/tofu@$TOFU_VERSION"
  fi
fi

apt_install kcat

cat >"$ENV_FILE" <<ENV
# Written by scripts/e2e/install-providers.sh; source it before running cdktf/terraform for the e2e suite.
export TF_CLI_CONFIG_FILE="$CLI_CONFIG"
export TERRAFORM_BINARY_NAME="$TF_NAME"
export PATH="$SLUICE_E2E_CACHE/bin:\$PATH"
export CHECKPOINT_DISABLE=1
# docker_image builds with the engine's classic builder, as kreuzwerker/docker 3.x does (4.x would switch
# to buildx, which Debian's docker.io 20.10 engine does not ship).
export DOCKER_BUILDKIT=0
ENV
log "wrote $ENV_FILE ($TF_NAME: $(PATH="$SLUICE_E2E_CACHE/bin:$PATH" command -v "$TF_NAME"))"
