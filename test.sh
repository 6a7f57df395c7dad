#!/usr/bin/env bash
# The project's test command: picks a JDK >= 21 and runs the whole Maven build with every test.
# Extra arguments go to Maven (for example: ./test.sh -pl spillway-core).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$root/scripts/find-jdk.sh"
cd "$root"

# The Redis limit-store tests need a Redis on 127.0.0.1:6379: they are skipped without one, except
# when CI is set, where they fail. Idempotent: nothing happens when a Redis already answers; otherwise
# start redis-server (installing it with apt-get first when root). Never fails the script itself.
ensure_redis() {
  redis_up() {
    if command -v redis-cli >/dev/null 2>&1; then
      redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG
    else
      (exec 3<>/dev/tcp/127.0.0.1/6379 && printf 'PING\r\n' >&3 && timeout 2 head -c 5 <&3 | grep -q PONG) 2>/dev/null
    fi
  }
  redis_up && return 0
  if ! command -v redis-server >/dev/null 2>&1; then
    if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
      echo "test.sh: no Redis on 127.0.0.1:6379 and redis-server is not installed; installing it needs root and apt-get." >&2
      echo "test.sh: Redis tests will be skipped (or fail, when CI is set)." >&2
      return 0
    fi
    echo "test.sh: installing redis-server with apt-get ..." >&2
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null 2>&1; then
      apt-get update -qq >/dev/null 2>&1 || true
      if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null 2>&1; then
        echo "test.sh: apt-get could not install redis-server; Redis tests will be skipped (or fail, when CI is set)." >&2
        return 0
      fi
    fi
    redis_up && return 0 # the package may have started its own service
  fi
  if ! redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null 2>&1; then
    echo "test.sh: redis-server would not start on 127.0.0.1:6379." >&2
    return 0
  fi
  for _ in $(seq 1 50); do
    if redis_up; then
      echo "test.sh: started redis-server on 127.0.0.1:6379 (no persistence)." >&2
      return 0
    fi
    sleep 0.1
  done
  echo "test.sh: redis-server started but does not answer PING on 127.0.0.1:6379." >&2
}
ensure_redis

# Other services the tests use, each made available by its own script (sourced; each never fails the run):
# PostgreSQL for the ledger, Chromium + playwright-core for the dashboard's browser test, the openai Node SDK for
# NodeSdkTest, promtool for /metrics.
for extra in scripts/ensure-postgres.sh scripts/ensure-browser.sh scripts/ensure-node-sdk.sh scripts/ensure-promtool.sh; do
  if [ -f "$extra" ]; then . "$extra"; fi
done

exec ./mvnw -B verify "$@"
