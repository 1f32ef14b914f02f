#!/usr/bin/env bash
# Checks the offline Terraform set-up without the app: in a temp dir, a hand-written config using
# kreuzwerker/docker from the filesystem mirror (`terraform init` must not reach any registry) creates a
# network and a container from the local base image running node, then destroys them.
# Needs install-docker.sh, build-base-image.sh and install-providers.sh to have run.
set -euo pipefail
# shellcheck source=scripts/e2e/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=/dev/null
. "$SLUICE_E2E_CACHE/env.sh"
IMAGE="${SLUICE_BASE_IMAGE:-sluice/node-base:local}"
TF="${TERRAFORM_BINARY_NAME:-terraform}"

dir="$(mktemp -d)"
name="sluice-e2e-smoke-$$"
cleanup() {
  (cd "$dir" && "$TF" destroy -auto-approve -input=false -no-color >/dev/null 2>&1) || true
  docker rm -f "$name" >/dev/null 2>&1 || true
  docker network rm "$name" >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT

cat >"$dir/main.tf" <<TF
terraform {
  required_providers {
    docker = {
      source  = "kreuzwerker/docker"
      version = "3.6.2"
    }
  }
}
provider "docker" {}
resource "docker_network" "smoke" {
  name = "$name"
}
resource "docker_container" "smoke" {
  name     = "$name"
  image    = "$IMAGE"
  command  = ["node", "-e", "setInterval(() => {}, 1000)"]
  user     = "node"
  must_run = true
  networks_advanced {
    name = docker_network.smoke.name
  }
}
TF

cd "$dir"
"$TF" init -input=false -no-color >init.log 2>&1 || { cat init.log >&2; die "terraform init failed offline"; }
"$TF" apply -auto-approve -input=false -no-color >apply.log 2>&1 || { cat apply.log >&2; die "terraform apply failed"; }
[ "$(docker inspect -f '{{.State.Running}}' "$name")" = true ] || die "container $name is not running"
docker exec "$name" node -e 'process.exit(process.getuid() === 1000 ? 0 : 1)' || die "container does not run node as uid 1000"
set +e
"$TF" plan -detailed-exitcode -input=false -no-color >plan.log 2>&1
plan=$?
set -e
[ "$plan" = 0 ] || { cat plan.log >&2; die "second plan is not empty (exit $plan)"; }
"$TF" destroy -auto-approve -input=false -no-color >destroy.log 2>&1 || { cat destroy.log >&2; die "terraform destroy failed"; }
! docker inspect "$name" >/dev/null 2>&1 || die "container $name left after destroy"
log "terraform + kreuzwerker/docker from the mirror: init offline, container from $IMAGE runs, empty re-plan, destroy clean"
