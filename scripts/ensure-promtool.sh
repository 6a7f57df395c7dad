# Sourced by test.sh (set -euo pipefail is on): makes promtool available for the /metrics exposition test, which
# checks Spillway's output with Prometheus's own parser. Never fails the run: without promtool that test is skipped,
# or fails when CI is set.
ensure_promtool() {
  command -v promtool >/dev/null 2>&1 && return 0
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: promtool is not installed (apt-get install prometheus needs root); the promtool check will be skipped." >&2
    return 0
  fi
  echo "test.sh: installing promtool (Debian package prometheus) with apt-get ..." >&2
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null 2>&1; then
    apt-get update -qq >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null 2>&1 \
      || echo "test.sh: apt-get could not install prometheus; the promtool check will be skipped (or fail, when CI is set)." >&2
  fi
}
ensure_promtool
