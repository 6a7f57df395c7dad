#!/usr/bin/env bash
# The project's test command: picks a JDK >= 21 and runs the whole Maven build with every test.
# Extra arguments go to Maven (for example: ./test.sh -pl spillway-core).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$root/scripts/find-jdk.sh"
cd "$root"
exec ./mvnw -B verify "$@"
