#!/usr/bin/env bash
# Issue 4's benchmark: virtual-key auth (bench/configs/virtual-keys.yaml, the "features" target) against the
# same gateway without auth (bench/configs/bare.yaml, the "gatehouse" target), in one bench/run.sh run. First
# it starts a gateway on the benchmark's store, creates a project and a key without a quota through the
# management CLI, and stops it; every wrk request then carries that key (the mock and the unauthenticated
# gateway ignore it). The store is a temp dir, removed afterwards.
set -euo pipefail
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$BENCH/lib.sh"
install_traps
JAVA_BIN="$(find_java)" || die "no JDK 21+ found (set JAVA=/path/to/java)"
TMP_DIR="$(mktemp -d /tmp/gatehouse-bench-auth.XXXXXX)"   # removed on exit, store included
BENCH_AUTH_DIR="$TMP_DIR/store"
mkdir -m 700 "$BENCH_AUTH_DIR"
export BENCH_AUTH_DIR
prepare_jar
SETUP_PORT=18185
check_ports_free "$SETUP_PORT"
export MANAGEMENT_TOKEN="bench-management-token-$RANDOM$RANDOM"

LLM_API_KEY=bench-upstream-key "$JAVA_BIN" -jar "$JAR" run --config "$BENCH/configs/virtual-keys.yaml" \
  --port "$SETUP_PORT" --log-level WARN >"$TMP_DIR/setup.log" 2>&1 &
SETUP_PID=$!
STARTED_PIDS+=("$SETUP_PID")
wait_http "http://127.0.0.1:$SETUP_PORT/health" "$SETUP_PID" "setup gatehouse" 90
manage() { "$JAVA_BIN" -jar "$JAR" manage --manage-api-base-url "http://127.0.0.1:$SETUP_PORT" --json "$@"; }
PROJECT_ID="$(manage project create --name bench --openai-key bench-project-provider-key | sed -n 's/.*"id" *: *"\([^"]*\)".*/\1/p' | head -1)"
[ -n "$PROJECT_ID" ] || die "could not create the benchmark project"
BENCH_CLIENT_KEY="$(manage key create --project-id "$PROJECT_ID" --name wrk | sed -n 's/.*"token" *: *"\(gh-[^"]*\)".*/\1/p')"
[ -n "$BENCH_CLIENT_KEY" ] || die "could not create the benchmark key"
export BENCH_CLIENT_KEY
kill "$SETUP_PID"; wait "$SETUP_PID" 2>/dev/null || true
log "store ready: project $PROJECT_ID, key ${BENCH_CLIENT_KEY:0:9}…"

SKIP_BUILD=1 GATEHOUSE_CONFIG="$BENCH/configs/bare.yaml" FEATURES_CONFIG="$BENCH/configs/virtual-keys.yaml" "$BENCH/run.sh"
