#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: initdb in a fresh temporary
# folder owned by an unprivileged user (postgres when run as root: initdb
# refuses root), the server's Unix socket in that folder and no TCP,
# fsync=on, synchronous_commit=on.
#
#   pg_cluster.sh start STATE_DIR   start one; writes STATE_DIR/uri (libpq URI
#                                   of its "postgres" database) and STATE_DIR/cluster
#   pg_cluster.sh stop STATE_DIR    stop it and remove its folder (also a stale one)
#   pg_cluster.sh restart STATE_DIR SECONDS
#                                   crash it (pg_ctl stop -m immediate), wait,
#                                   and start it again on the same data
set -euo pipefail

cmd=${1:?start or stop}
state=${2:?state folder}
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
[[ -x $bindir/initdb ]] || { echo "pg_cluster: no PostgreSQL server (tools/setup installs postgresql-15)" >&2; exit 1; }

as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

stop() {
  [[ -f $state/cluster ]] || return 0
  local dir
  dir=$(cat "$state/cluster")
  if [[ -d $dir ]]; then
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
  fi
  rm -f "$state/cluster" "$state/uri"
}

start_server() {  # DIR
  as_owner "$bindir/pg_ctl" -D "$1/data" -l "$1/server.log" -w -t 60 start -o \
    "-c listen_addresses='' -c unix_socket_directories='$1' -c fsync=on -c synchronous_commit=on -c max_connections=300" \
    >/dev/null || { cat "$1/server.log" >&2; exit 1; }
}

case $cmd in
  start)
    mkdir -p "$state"
    stop  # a cluster left by an interrupted run
    dir=$(mktemp -d /tmp/objector-pg.XXXXXX)
    echo "$dir" >"$state/cluster"
    user=$(id -un)
    if [[ $(id -u) -eq 0 ]]; then
      chown postgres: "$dir"
      user=postgres
    fi
    as_owner "$bindir/initdb" -D "$dir/data" -U "$user" -E UTF8 --locale=C.UTF-8 -A trust >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; exit 1; }
    start_server "$dir"
    echo "postgresql:///postgres?host=$dir&user=$user" >"$state/uri"
    ;;
  stop) stop ;;
  restart)
    dir=$(cat "$state/cluster")
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null
    sleep "${3:?seconds}"
    start_server "$dir"
    ;;
  *) echo "usage: pg_cluster.sh start|stop|restart STATE_DIR [SECONDS]" >&2; exit 2 ;;
esac
