# Helpers shared by bench/run.sh and bench/streams.sh (sourced, not run).
# shellcheck shell=bash

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------- processes we started
STARTED_PIDS=()
TMP_DIR=""

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  local pid
  # newest first: gateway before the upstream it talks to
  for ((i = ${#STARTED_PIDS[@]} - 1; i >= 0; i--)); do
    pid="${STARTED_PIDS[$i]}"
    kill -0 "$pid" 2>/dev/null && kill -TERM "$pid" 2>/dev/null
  done
  local deadline=$((SECONDS + 10))
  for pid in "${STARTED_PIDS[@]}"; do
    while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then
      log "pid $pid ($(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | cut -c1-80)) still running 10 s after SIGTERM; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null
    fi
  done
  wait 2>/dev/null
  if [ -n "$TMP_DIR" ] && [ -d "$TMP_DIR" ] && [ -z "${KEEP_TMP:-}" ]; then rm -rf "$TMP_DIR"; fi
  exit "$rc"
}

install_traps() {
  trap cleanup EXIT
  trap 'log "interrupted"; exit 130' INT
  trap 'log "terminated"; exit 143' TERM
}

# ---------------------------------------------------------------- tools
ensure_tools() {
  local missing=()
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "installing ${missing[*]} with apt-get"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
      || die "apt-get install ${missing[*]} failed"
  else
    die "missing ${missing[*]}; install them (e.g. apt-get install -y ${missing[*]})"
  fi
}

# A JDK 21+: JAVA (env) if given, else JAVA_HOME, PATH, /usr/lib/jvm/*.
java_major() {
  local v
  v="$("$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}')"
  v="${v#1.}"
  echo "${v%%.*}"
}

find_java() {
  local c major candidates=()
  [ -n "${JAVA:-}" ] && candidates+=("$JAVA")
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME/bin/java")
  command -v java >/dev/null 2>&1 && candidates+=("$(command -v java)")
  for c in /usr/lib/jvm/*/bin/java; do [ -x "$c" ] && candidates+=("$c"); done
  for c in "${candidates[@]}"; do
    major="$(java_major "$c" 2>/dev/null || true)"
    if [ -n "$major" ] && [ "$major" -ge 21 ] 2>/dev/null; then echo "$c"; return 0; fi
  done
  return 1
}

# Builds target/gatehouse.jar when missing or older than the sources (SKIP_BUILD=1 to never build),
# then copies it to $TMP_DIR so a rebuild by someone else during the run cannot pull it from under the JVMs.
# Sets JAR.
prepare_jar() {
  local jar="$ROOT/target/gatehouse.jar"
  if [ -z "${SKIP_BUILD:-}" ]; then
    if [ ! -f "$jar" ] || [ -n "$(find "$ROOT/src/main" "$ROOT/pom.xml" -newer "$jar" -print -quit 2>/dev/null)" ]; then
      command -v mvn >/dev/null 2>&1 || die "mvn not found and $jar needs building"
      log "building $jar (mvn -B -q -DskipTests package)"
      local java_home
      java_home="$(cd "$(dirname "$JAVA_BIN")/.." && pwd)"
      if ! (cd "$ROOT" && JAVA_HOME="$java_home" mvn -B -q -DskipTests package >"$TMP_DIR/build.log" 2>&1); then
        tail -30 "$TMP_DIR/build.log" >&2
        [ -f "$jar" ] || die "build failed and there is no jar"
        log "WARNING: build failed (sources being edited?); using the existing $jar from $(date -r "$jar" '+%F %T')"
      fi
    fi
  fi
  [ -f "$jar" ] || die "$jar not found"
  cp "$jar" "$TMP_DIR/gatehouse.jar"
  JAR="$TMP_DIR/gatehouse.jar"
  log "jar: $jar ($(date -r "$jar" '+%F %T'), $(du -h "$jar" | cut -f1))"
}

port_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

check_ports_free() {
  local p
  for p in "$@"; do
    port_free "$p" || die "port $p on 127.0.0.1 is already in use; change the *_PORT variables"
  done
}

# wait_http URL PID NAME [seconds]: until URL answers (any HTTP status), or PID dies.
wait_http() {
  local url="$1" pid="$2" name="$3" limit="${4:-90}" deadline=$((SECONDS + ${4:-90}))
  while [ $SECONDS -lt $deadline ]; do
    kill -0 "$pid" 2>/dev/null || die "$name (pid $pid) exited during startup; see its log in $LOG_DIR"
    if curl -s -o /dev/null -m 2 "$url"; then return 0; fi
    sleep 0.3
  done
  die "$name did not answer on $url within ${limit}s"
}

# start_mock PORT DELAY_MS LOGFILE: starts the Gatehouse mock upstream; sets MOCK_PID and MOCK_JVM_FLAGS.
start_mock() {
  local port="$1" delay="$2" logf="$3"
  # As the launcher does for the gateway: Netty keeps its fast buffer access on JDK 24+ only when this is allowed.
  MOCK_JVM_FLAGS=""
  [ "$(java_major "$JAVA_BIN")" -ge 24 ] && MOCK_JVM_FLAGS="--sun-misc-unsafe-memory-access=allow "
  MOCK_JVM_FLAGS+="${MOCK_JAVA_OPTS:--Xmx1g}"
  # shellcheck disable=SC2086
  "$JAVA_BIN" $MOCK_JVM_FLAGS -jar "$JAR" mock-upstream --port "$port" --delay-ms "$delay" >"$logf" 2>&1 &
  MOCK_PID=$!
  STARTED_PIDS+=("$MOCK_PID")
  local deadline=$((SECONDS + 60))
  until grep -q 'listening on' "$logf" 2>/dev/null; do
    kill -0 "$MOCK_PID" 2>/dev/null || { cat "$logf" >&2; die "mock upstream exited during startup"; }
    [ $SECONDS -lt $deadline ] || die "mock upstream did not print 'listening on' within 60s"
    sleep 0.2
  done
  log "mock upstream pid $MOCK_PID: $(grep -m1 'listening on' "$logf") (delay ${delay} ms)"
}

# start_gatehouse PORT UPSTREAM_URL LOGFILE [CONFIG_FILE]: sets GH_PID and GH_JVM_FLAGS. The flags override the
# file's llm block.
# It goes through the launcher, so the gateway runs with the JVM flags users get, GATEHOUSE_JAVA_OPTS added to them.
start_gatehouse() {
  local port="$1" upstream="$2" logf="$3" config="${4:-}"
  local config_args=()
  [ -n "$config" ] && config_args=(--config "$config")
  # The launcher execs java, so $! is the JVM.
  LLM_API_KEY=bench-upstream-key GATEHOUSE_JAR="$JAR" JAVA_HOME="$(cd "$(dirname "$JAVA_BIN")/.." && pwd)" \
    GATEHOUSE_JAVA_OPTS="${GATEHOUSE_JAVA_OPTS:--Xmx1g}" "$ROOT/gatehouse" run "${config_args[@]}" \
    --base-url "$upstream" --type openai --port "$port" --host 127.0.0.1 --log-level WARN >"$logf" 2>&1 &
  GH_PID=$!
  STARTED_PIDS+=("$GH_PID")
  wait_http "http://127.0.0.1:$port/health" "$GH_PID" "gatehouse" 90
  # What the JVM was really started with: the launcher's flags, then GATEHOUSE_JAVA_OPTS.
  GH_JVM_FLAGS="$(tr '\0' ' ' <"/proc/$GH_PID/cmdline" | sed 's/^[^ ]* //; s/ -jar .*//')"
  log "gatehouse pid $GH_PID on 127.0.0.1:$port -> $upstream (JVM flags: $GH_JVM_FLAGS${config:+, config $config})"
}

# /proc/PID/status field in MB (VmRSS, VmHWM)
proc_mb() {
  awk -v k="$2:" '$1 == k {printf "%.0f", $2 / 1024}' "/proc/$1/status" 2>/dev/null
}

# utime+stime in clock ticks, summed over the pids given
cpu_ticks() {
  local pid total=0 t
  for pid in "$@"; do
    t="$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | awk '{print $12 + $13}')"
    total=$((total + ${t:-0}))
  done
  echo "$total"
}

# busy CPU ticks of the whole machine (user+nice+system+irq+softirq+steal from /proc/stat)
machine_busy_ticks() {
  awk '$1 == "cpu" {print $2 + $3 + $4 + $7 + $8 + $9; exit}' /proc/stat
}

# CPU ticks of this shell's reaped children (cutime+cstime), e.g. a wrk that has just finished
children_ticks() {
  sed 's/^.*) //' "/proc/$$/stat" | awk '{print $14 + $15}'
}

# other_cores PIDS...: cores used over 2 s by everything except the pids given
other_cores() {
  local b0 b1 o0 o1
  b0="$(machine_busy_ticks)"; o0="$(cpu_ticks "$@")"
  sleep 2
  b1="$(machine_busy_ticks)"; o1="$(cpu_ticks "$@")"
  awk -v d=$(( (b1 - b0) - (o1 - o0) )) -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.2f", d / hz / 2}'
}

# wait_quiet LIMIT MAXWAIT PIDS...: waits (up to MAXWAIT s) until other processes use < LIMIT cores.
wait_quiet() {
  local limit="$1" maxwait="$2" other deadline
  shift 2
  deadline=$((SECONDS + maxwait))
  while true; do
    other="$(other_cores "$@")"
    awk -v o="$other" -v l="$limit" 'BEGIN {exit !(o < l)}' && return 0
    if [ $SECONDS -ge $deadline ]; then
      log "WARNING: machine still busy (other processes: $other cores) after ${maxwait}s; measuring anyway"
      return 1
    fi
    log "  waiting for a quiet machine (other processes: $other cores)"
  done
}

# Warns when other processes keep the machine busy (measured over 2 s, our own pids given excluded).
quiet_check() {
  local b0 b1 o0 o1 hz other
  hz="$(getconf CLK_TCK)"
  b0="$(machine_busy_ticks)"; o0="$(cpu_ticks "$@")"
  sleep 2
  b1="$(machine_busy_ticks)"; o1="$(cpu_ticks "$@")"
  other="$(awk -v d=$(( (b1 - b0) - (o1 - o0) )) -v hz="$hz" 'BEGIN {printf "%.2f", d / hz / 2}')"
  if awk -v o="$other" 'BEGIN {exit !(o > 0.10)}'; then
    log "WARNING: other processes use $other cores right now; results will be noisy (check top)"
  else
    log "machine is quiet (other processes: $other cores)"
  fi
}
