#!/usr/bin/env bash
# A throwaway PostgreSQL for the tests: initdb and pg_ctl in a folder of its own, listening on a
# free loopback port, with its socket in that folder. No system service is started or touched.
#
#   postgres-test-cluster.sh start DIR     prints the cluster's URL (postgres://…) on stdout
#   postgres-test-cluster.sh restart DIR   stops it (fast: sessions are cut) and starts it again
#   postgres-test-cluster.sh stop DIR      stops it and removes DIR
#
# Debian's postgresql package is installed when no server is found. When it cannot start, it
# says why on stderr and exits 1: the tests that need it must fail, never skip.
set -euo pipefail

command="${1:-}"
dir="${2:-}"
if [ -z "$command" ] || [ -z "$dir" ]; then
  echo "usage: $0 start|restart|stop DIR" >&2
  exit 2
fi

fail() {
  echo "postgres-test-cluster: PostgreSQL could not be started: $*" >&2
  if [ -f "$dir/server.log" ]; then
    echo "postgres-test-cluster: the server's log ends with:" >&2
    tail -n 20 "$dir/server.log" >&2
  fi
  exit 1
}

# The newest server on the machine, e.g. /usr/lib/postgresql/15/bin.
server_bin() {
  local found
  found="$(ls -d /usr/lib/postgresql/*/bin 2> /dev/null | sort -V | tail -n 1)"
  if [ -n "$found" ] && [ -x "$found/initdb" ] && [ -x "$found/pg_ctl" ]; then echo "$found"; fi
}

install_server() {
  echo "postgres-test-cluster: installing Debian's postgresql package" >&2
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  # the package would create (and start) a system cluster, 'main': a drop-in says not to, for this install only
  local dropin=/etc/postgresql-common/createcluster.d/stepwise-tests.conf
  $SUDO mkdir -p "$(dirname "$dropin")"
  echo "create_main_cluster = off" | $SUDO tee "$dropin" > /dev/null
  $SUDO apt-get update -qq > /dev/null || { $SUDO rm -f "$dropin"; fail "apt-get update failed"; }
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends postgresql > /dev/null || { $SUDO rm -f "$dropin"; fail "apt-get install postgresql failed"; }
  $SUDO rm -f "$dropin"
}

# initdb refuses root: as root, the cluster belongs to the package's postgres user.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  node -e "const s = require('net').createServer(); s.listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); })"
}

case "$command" in
  start)
    started_ns=$(date +%s%N)
    bin="$(server_bin)"
    if [ -z "$bin" ]; then
      install_server
      bin="$(server_bin)"
      [ -n "$bin" ] || fail "no initdb under /usr/lib/postgresql/*/bin after installing postgresql"
    fi
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then
      id postgres > /dev/null 2>&1 || fail "there is no postgres user to run the server as (initdb refuses root)"
      chown postgres "$dir"
      runuser -u postgres -- test -w "$dir" || fail "the postgres user cannot write in $dir (are its parent folders closed to others?)"
    fi
    password="$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')"
    (umask 077 && printf '%s\n' "$password" > "$dir/password")
    [ "$(id -u)" -ne 0 ] || chown postgres "$dir/password"
    # throwaway data: no fsync while initdb writes the template databases
    as_owner "$bin/initdb" -D "$dir/data" -U stepwise --pwfile="$dir/password" --auth-local=trust --auth-host=scram-sha-256 \
      -E UTF8 --locale=C --no-sync --no-instructions > "$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; fail "initdb failed"; }
    port="$(free_port)"
    as_owner "$bin/pg_ctl" start -D "$dir/data" -l "$dir/server.log" -w -t 30 \
      -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir -c max_connections=200" > /dev/null \
      || fail "pg_ctl start did not bring the server up on 127.0.0.1:$port"
    echo "$bin" > "$dir/bin"
    elapsed_ms=$(( ($(date +%s%N) - started_ns) / 1000000 ))
    echo "postgres-test-cluster: PostgreSQL $(basename "$(dirname "$bin")") on 127.0.0.1:$port, started in ${elapsed_ms} ms" >&2
    echo "postgres://stepwise:$password@127.0.0.1:$port/postgres"
    ;;
  restart)
    [ -f "$dir/bin" ] || fail "no cluster in $dir"
    # pg_ctl restart keeps the options the server was started with (postmaster.opts)
    as_owner "$(cat "$dir/bin")/pg_ctl" restart -D "$dir/data" -m fast -w -t 30 > /dev/null || fail "pg_ctl restart failed"
    ;;
  stop)
    if [ -f "$dir/bin" ] && [ -f "$dir/data/postmaster.pid" ]; then
      as_owner "$(cat "$dir/bin")/pg_ctl" stop -D "$dir/data" -m immediate > /dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start|restart|stop DIR" >&2
    exit 2
    ;;
esac
