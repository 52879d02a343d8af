#!/usr/bin/env bash
# Memory held by live sessions: starts the mock upstream and Gatehouse (with CONFIG, default
# bench/configs/tracing.yaml: sessions, events and all four recorders), measures the gateway's live heap
# after a full GC, opens SESSIONS new sessions through it (bench/SessionFill.java), checks on /metrics that
# they are all live, and measures the live heap again. Prints the difference, per session and in total.
#
#   bench/sessions-memory.sh                 # SESSIONS=10000
# Env: SESSIONS (10000) CONFIG GATEHOUSE_JAVA_OPTS (-Xmx1g) SKIP_BUILD JAVA
set -euo pipefail

MOCK_PORT=18201
GATEHOUSE_PORT=18203
SESSIONS="${SESSIONS:-10000}"
export GATEHOUSE_JAVA_OPTS="${GATEHOUSE_JAVA_OPTS:--Xmx1g}"
export MOCK_JAVA_OPTS="${MOCK_JAVA_OPTS:--Xmx1g}"

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
install_traps
CONFIG="${CONFIG:-$BENCH_DIR/configs/tracing.yaml}"
TMP_DIR="$(mktemp -d /tmp/gatehouse-sessions.XXXXXX)"
OUT="$BENCH_DIR/out/$(date +%Y%m%d-%H%M%S)-sessions"
mkdir -p "$OUT"

ensure_tools curl
JAVA_BIN="$(find_java)" || die "no JDK 21+ found (set JAVA=/path/to/java)"
JCMD="$(dirname "$JAVA_BIN")/jcmd"
[ -x "$JCMD" ] || die "no jcmd next to $JAVA_BIN"
check_ports_free "$MOCK_PORT" "$GATEHOUSE_PORT"
prepare_jar

start_mock "$MOCK_PORT" 0 "$OUT/mock.log"
# The recorders write under the working directory; keep that in the temp dir.
(cd "$TMP_DIR" && start_gatehouse "$GATEHOUSE_PORT" "http://127.0.0.1:$MOCK_PORT" "$OUT/gatehouse.log" "$CONFIG"
 echo "$GH_PID" >"$TMP_DIR/gh.pid"; echo "$GH_JVM_FLAGS" >"$TMP_DIR/gh.flags")
GH_PID="$(cat "$TMP_DIR/gh.pid")"
GH_JVM_FLAGS="$(cat "$TMP_DIR/gh.flags")"
STARTED_PIDS+=("$GH_PID")

live_heap_kb() { # full GC, then the heap in use, in KB
  "$JCMD" "$GH_PID" GC.run >/dev/null
  sleep 1
  "$JCMD" "$GH_PID" GC.heap_info | awk '/used/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?$/, "", v); print v; exit } }'
}
active_sessions() {
  curl -s "http://127.0.0.1:$GATEHOUSE_PORT/metrics" | awk '/^gatehouse_active_sessions / {printf "%.0f", $2}'
}

URL="http://127.0.0.1:$GATEHOUSE_PORT/v1/chat/completions"
log "one request first, so the classes and pools the sessions use exist before the first measurement"
"$JAVA_BIN" "$BENCH_DIR/SessionFill.java" "$URL" 1 1 >/dev/null
before_sessions="$(active_sessions)"
before="$(live_heap_kb)"
log "live heap before: $before KB with $before_sessions live sessions"
log "opening $SESSIONS sessions"
"$JAVA_BIN" "$BENCH_DIR/SessionFill.java" "$URL" "$SESSIONS" 32 | tee "$OUT/fill.txt"
after_sessions="$(active_sessions)"
after="$(live_heap_kb)"
log "live heap after: $after KB with $after_sessions live sessions"
{
  echo "# Live sessions memory $(date +%Y-%m-%dT%H:%M:%S)"
  echo
  echo "Config: $CONFIG. Gatehouse JVM flags: $GH_JVM_FLAGS. Live heap = heap used right after a full GC (jcmd GC.run, GC.heap_info)."
  echo
  echo "| | live sessions | live heap KB |"
  echo "| --- | ---: | ---: |"
  echo "| before | $before_sessions | $before |"
  echo "| after | $after_sessions | $after |"
  echo
  awk -v a="$after" -v b="$before" -v n="$((after_sessions - before_sessions))" 'BEGIN {
    printf "Difference: %.1f MB for %d sessions, %.0f bytes per session.\n", (a - b) / 1024, n, (a - b) * 1024 / (n > 0 ? n : 1) }'
} | tee "$OUT/summary.md"
