#!/usr/bin/env bash
# Runs every test of the solution.
#
# Installs PostgreSQL and Redis from apt when they are missing (as root), starts a throwaway
# PostgreSQL and a throwaway Redis on free loopback ports inside a temporary directory, hands
# their addresses to the tests through ORLEANSSLM_TEST_* variables, runs `dotnet test`, and
# stops both servers on every exit path. Arguments are passed on to `dotnet test`.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work_dir=""
pg_bin=""
pg_port=""
redis_port=""

log() { printf '[test.sh] %s\n' "$*" >&2; }

as_db_user() {
  # PostgreSQL refuses to run as root; when root, the servers run as the 'postgres' system user.
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

find_pg_bin() {
  local candidate
  candidate="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [[ -n "$candidate" && -x "$candidate/initdb" ]]; then
    printf '%s' "$candidate"
  elif command -v initdb >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v initdb)")"
  fi
}

install_missing_packages() {
  local missing=()
  [[ -n "$(find_pg_bin)" ]] || missing+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  ((${#missing[@]} == 0)) && return 0

  if [[ $(id -u) -ne 0 ]]; then
    log "missing: ${missing[*]}. Install them (sudo apt-get install ${missing[*]}) or run this script as root."
    exit 1
  fi
  log "installing ${missing[*]} from apt"
  # Keep apt from starting the system services: the tests use their own throwaway servers.
  local policy=/usr/sbin/policy-rc.d created_policy=0
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && created_policy=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  ((created_policy)) && rm -f "$policy"
  return 0
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

random_free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    port_in_use "$port" || { printf '%s' "$port"; return; }
  done
}

start_postgres() {
  local data="$work_dir/pg/data" socket="$work_dir/pg/socket" attempt
  mkdir -p "$data" "$socket"
  [[ $(id -u) -eq 0 ]] && chown -R postgres: "$work_dir/pg"
  as_db_user "$pg_bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --no-sync >"$work_dir/pg/initdb.log" 2>&1 ||
    { cat "$work_dir/pg/initdb.log" >&2; return 1; }
  for attempt in 1 2 3 4 5; do
    pg_port="$(random_free_port)"
    if as_db_user "$pg_bin/pg_ctl" -D "$data" -l "$work_dir/pg/server.log" -w -t 30 \
      -o "-p $pg_port -k $socket -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
      start >/dev/null 2>&1; then
      log "PostgreSQL on 127.0.0.1:$pg_port"
      return 0
    fi
    log "PostgreSQL did not start on port $pg_port (attempt $attempt)"
  done
  cat "$work_dir/pg/server.log" >&2
  return 1
}

start_redis() {
  local dir="$work_dir/redis" attempt
  mkdir -p "$dir"
  for attempt in 1 2 3 4 5; do
    redis_port="$(random_free_port)"
    if redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" \
      --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >/dev/null 2>&1; then
      for _ in $(seq 1 50); do
        if port_in_use "$redis_port"; then
          log "Redis on 127.0.0.1:$redis_port"
          return 0
        fi
        sleep 0.1
      done
    fi
    log "Redis did not start on port $redis_port (attempt $attempt)"
  done
  return 1
}

stop_servers() {
  local status=$?
  trap - EXIT INT TERM
  if [[ -n "$work_dir" && -d "$work_dir" ]]; then
    if [[ -f "$work_dir/pg/data/postmaster.pid" ]]; then
      as_db_user "$pg_bin/pg_ctl" -D "$work_dir/pg/data" -m immediate stop >/dev/null 2>&1 || true
    fi
    if [[ -f "$work_dir/redis/redis.pid" ]]; then
      kill "$(cat "$work_dir/redis/redis.pid")" 2>/dev/null || true
    fi
    rm -rf "$work_dir"
  fi
  exit "$status"
}

main() {
  command -v dotnet >/dev/null 2>&1 || { log "the .NET 10 SDK (dotnet) is not on the PATH"; exit 1; }
  install_missing_packages
  pg_bin="$(find_pg_bin)"

  work_dir="$(mktemp -d "${TMPDIR:-/tmp}/orleansslm-test.XXXXXX")"
  chmod 755 "$work_dir"
  trap stop_servers EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  start_postgres
  start_redis

  export ORLEANSSLM_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres"
  export ORLEANSSLM_TEST_REDIS="127.0.0.1:$redis_port"
  export ORLEANSSLM_TEST_PG_BIN="$pg_bin"
  export ORLEANSSLM_TEST_REDIS_SERVER
  ORLEANSSLM_TEST_REDIS_SERVER="$(command -v redis-server)"

  cd "$repo_root"
  ./scripts/check-deploy.sh
  dotnet test OrleansSlm.sln --nologo "$@"
}

main "$@"
