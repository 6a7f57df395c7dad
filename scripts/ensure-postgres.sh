# Sourced by test.sh (under set -euo pipefail): makes a PostgreSQL answer on 127.0.0.1:5432 for the ledger tests
# (user postgres with trust authentication on loopback; a cluster this script installs is set up so), and leaves
# the server binaries (initdb, pg_ctl) installed for the outage test's private cluster. Prints one line saying what
# it did.
# Never fails the run: without PostgreSQL the ledger tests are skipped, or fail when CI is set.
spillway_ensure_postgres() {
  local said="test.sh: PostgreSQL"
  pg_up() {
    if command -v pg_isready >/dev/null 2>&1; then
      pg_isready -q -h 127.0.0.1 -p 5432 >/dev/null 2>&1
    else
      (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null
    fi
  }
  wait_up() {
    local _
    for _ in $(seq 1 100); do
      pg_up && return 0
      sleep 0.1
    done
    return 1
  }
  start_cluster() {
    # The Debian cluster (named main) of every installed version; the package starts one only where systemd runs.
    command -v pg_ctlcluster >/dev/null 2>&1 || return 1
    [ -d /etc/postgresql ] || return 1
    local version started=1
    for version in $(ls /etc/postgresql 2>/dev/null); do
      if [ -d "/etc/postgresql/$version/main" ]; then
        pg_ctlcluster --skip-systemctl-redirect "$version" main start >/dev/null 2>&1 && started=0
      fi
    done
    [ "$started" -eq 0 ] && wait_up
  }

  trust_loopback() {
    # Only for a cluster this script just installed: the tests connect as postgres without a password.
    local hba
    for hba in /etc/postgresql/*/main/pg_hba.conf; do
      [ -f "$hba" ] || continue
      grep -q '^host all postgres 127.0.0.1/32 trust' "$hba" || sed -i '1i host all postgres 127.0.0.1/32 trust' "$hba"
    done
  }

  have_server_binaries() {
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1
  }
  install_package() {
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null 2>&1 && return 0
    apt-get update -qq >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null 2>&1
  }

  if pg_up; then
    if have_server_binaries; then
      echo "$said already answers on 127.0.0.1:5432." >&2
    elif [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1 && install_package; then
      echo "$said already answers on 127.0.0.1:5432; installed postgresql with apt-get for the outage test's initdb/pg_ctl." >&2
    else
      echo "$said already answers on 127.0.0.1:5432, but initdb/pg_ctl are missing; the outage test will be skipped (or fail, when CI is set)." >&2
    fi
    return 0
  fi
  if start_cluster; then
    echo "$said: started the existing cluster with pg_ctlcluster on 127.0.0.1:5432." >&2
    return 0
  fi
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "$said: none on 127.0.0.1:5432 and installing one needs root and apt-get; ledger PostgreSQL tests will be skipped (or fail, when CI is set)." >&2
    return 0
  fi
  if ! install_package; then
    echo "$said: apt-get could not install postgresql; ledger PostgreSQL tests will be skipped (or fail, when CI is set)." >&2
    return 0
  fi
  trust_loopback
  if pg_up; then
    local version
    for version in $(ls /etc/postgresql 2>/dev/null); do
      pg_ctlcluster --skip-systemctl-redirect "$version" main reload >/dev/null 2>&1 || true
    done
  fi
  if pg_up || start_cluster; then
    echo "$said: installed postgresql with apt-get and started it on 127.0.0.1:5432 (trust for postgres on loopback)." >&2
  else
    echo "$said: installed postgresql with apt-get, but it does not answer on 127.0.0.1:5432." >&2
  fi
  return 0
}
spillway_ensure_postgres || true
unset -f spillway_ensure_postgres pg_up wait_up start_cluster trust_loopback have_server_binaries install_package
