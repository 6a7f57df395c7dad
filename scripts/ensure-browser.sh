# Sourced by test.sh (set -euo pipefail is on): makes headless Chromium and playwright-core available for the
# dashboard's browser test (DashboardBrowserTest). Never fails the run: whatever is missing, that test is skipped,
# or fails when CI is set. Prints one line saying what it did.
ensure_browser() {
  local browser_dir="${root:-.}/spillway-cli/src/test/browser"
  local did="" missing=""
  if [ ! -x /usr/bin/chromium ]; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
      if DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1 \
        || { apt-get update -qq >/dev/null 2>&1 || true; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1; }; then
        did="installed chromium with apt-get"
      else
        did="apt-get could not install chromium"; missing=1
      fi
    else
      did="no /usr/bin/chromium (installing it needs root and apt-get)"; missing=1
    fi
  fi
  if [ -d "$browser_dir/node_modules/playwright-core" ]; then
    :
  elif command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
    if (cd "$browser_dir" && npm ci --no-audit --no-fund >/dev/null 2>&1); then
      did="${did:+$did; }npm ci installed playwright-core"
    else
      did="${did:+$did; }npm ci failed in $browser_dir"; missing=1
    fi
  else
    did="${did:+$did; }node/npm not installed"; missing=1
  fi
  if [ -z "$did" ]; then
    echo "test.sh: browser test ready (chromium and playwright-core present)." >&2
  elif [ -z "$missing" ]; then
    echo "test.sh: browser test: $did." >&2
  else
    echo "test.sh: browser test: $did; without them DashboardBrowserTest is skipped (or fails, when CI is set)." >&2
  fi
}
ensure_browser || true
