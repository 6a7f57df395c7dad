# Sourced by test.sh (set -euo pipefail is on): installs the pinned openai Node SDK for NodeSdkTest (npm ci in
# spillway-gateway/src/test/node-sdk, from its lockfile). Never fails the run: without node or npm the test is
# skipped, or fails when CI is set. Prints one line saying what it did.
ensure_node_sdk() {
  local sdk_dir="${root:-.}/spillway-gateway/src/test/node-sdk"
  if [ -d "$sdk_dir/node_modules/openai" ] && [ -d "$sdk_dir/node_modules/ws" ]; then
    echo "test.sh: Node SDK test ready (openai and ws present)." >&2
    return 0
  fi
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "test.sh: Node SDK test: node/npm not installed; NodeSdkTest is skipped (or fails, when CI is set)." >&2
    return 0
  fi
  if (cd "$sdk_dir" && npm ci --no-audit --no-fund >/dev/null 2>&1); then
    echo "test.sh: Node SDK test: npm ci installed openai and ws." >&2
  else
    echo "test.sh: Node SDK test: npm ci failed in $sdk_dir; NodeSdkTest is skipped (or fails, when CI is set)." >&2
  fi
}
ensure_node_sdk || true
