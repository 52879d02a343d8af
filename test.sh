#!/usr/bin/env bash
# Runs the whole test suite. Starts the local services the tests use when they are down (PostgreSQL and Redis
# on 127.0.0.1, as the storage and cache-invalidation tests talk to them for real), so it works on a fresh
# machine; Maven picks a JDK 21+ through the toolchains plugin.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

# wait_for SECONDS WHAT COMMAND...: polls COMMAND until it succeeds, or fails naming WHAT.
wait_for() {
  local deadline=$((SECONDS + $1)) what=$2
  shift 2
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      echo "test.sh: $what is not answering after waiting; the storage tests need it" >&2
      return 1
    fi
    sleep 0.5
  done
}

if ! pg_isready -h 127.0.0.1 -q; then
  echo "test.sh: starting PostgreSQL" >&2
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n 1)" main start
  wait_for 60 "PostgreSQL on 127.0.0.1:5432" pg_isready -h 127.0.0.1 -q
fi
if [[ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" != PONG ]]; then
  echo "test.sh: starting Redis" >&2
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  wait_for 30 "Redis on 127.0.0.1:6379" bash -c '[[ "$(redis-cli -h 127.0.0.1 -p 6379 ping)" == PONG ]]'
fi

exec mvn -B test "$@"
