#!/usr/bin/env bash
# Issue 3's benchmark: sessions, events and all four recorders (bench/configs/tracing.yaml, the "features"
# target) against bare passthrough (bench/configs/bare.yaml, the "gatehouse" target), with the mock served
# directly and through nginx, in one bench/run.sh run. The recorders write to a temp dir, removed afterwards
# (KEEP_RECORDS=1 keeps it); the summary adds what they wrote and dropped.
# Leave 5 minutes between runs: on ext4 without a journal, creating files in the minutes after hundreds of
# thousands were deleted (the previous run's) is far slower, and that alone moved the ratio here.
# Afterwards bench/RecordingFloor.java measures the least CPU the recordings of a call can cost here (the kernel's
# file work and Jackson encoding the records, nothing else), and the summary turns it into the highest ratio any
# recorder code could reach in this run: bare CPU per call ÷ (bare CPU per call + that floor).
set -euo pipefail
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BENCH_RECORD_DIR="$(mktemp -d /tmp/gatehouse-bench-records.XXXXXX)"
export BENCH_RECORD_DIR
# A run writes about 10 GB (a million files): refuse to start rather than fill the disk halfway through.
free_gb="$(df -P -BG "$BENCH_RECORD_DIR" | awk 'NR == 2 {sub(/G$/, "", $4); print $4}')"
if [ "${free_gb:-0}" -lt "${MIN_FREE_GB:-20}" ]; then
  rmdir "$BENCH_RECORD_DIR"
  echo "tracing.sh: only ${free_gb} GB free under /tmp; a run writes about 10 GB (MIN_FREE_GB=${MIN_FREE_GB:-20})" >&2
  exit 1
fi
[ -n "${KEEP_RECORDS:-}" ] || trap 'rm -rf "$BENCH_RECORD_DIR"' EXIT
GATEHOUSE_CONFIG="$BENCH/configs/bare.yaml" FEATURES_CONFIG="$BENCH/configs/tracing.yaml" "$BENCH/run.sh"
latest="$(ls -d "$BENCH"/out/*/ | grep -E '/[0-9]{8}-[0-9]{6}/$' | sort | tail -1)"
{
  echo
  echo "Recorders (from the features gateway's /metrics at the end of the run):"
  grep -E '^gatehouse_recorder_(written|dropped)_total' "$latest/features-metrics.txt" | sed 's/^/    /' || true
  echo "Written to disk: $(du -sh "$BENCH_RECORD_DIR" | cut -f1) in $(find "$BENCH_RECORD_DIR" -type f | wc -l) files."
} | tee -a "$latest/summary.md"
# shellcheck source=bench/lib.sh
. "$BENCH/lib.sh"
JAVA_BIN="$(find_java)" || die "no JDK 21+ found"
"$JAVA_BIN" -cp "$ROOT/target/gatehouse.jar" "$BENCH/RecordingFloor.java" "$BENCH_RECORD_DIR" >"$latest/recording-floor.txt"
{
  echo
  echo "Recording floor (bench/RecordingFloor.java: kernel file work and JSON encoding of what the recorders wrote):"
  sed 's/^/    /' "$latest/recording-floor.txt"
  for mode in plain stream; do
    # The bare gateway's row: machine CPU per call = (gateway + mock + wrk + other) cores / req/s.
    awk -F'|' -v mode="$mode" '$2 ~ "^ " mode " $" && $3 ~ /^ gatehouse $/ {
        gsub(/ /, ""); cores = $10 + $11 + $12 + $13; printf "%s %.1f\n", mode, cores * 1e6 / $4 }' "$latest/summary.md"
  done | while read -r mode bare_us; do
    floor_us="$(awk -v m="$mode" '$1 == "floor_us_per_call" && $2 == m {print $3}' "$latest/recording-floor.txt")"
    [ -n "$floor_us" ] || continue
    awk -v m="$mode" -v b="$bare_us" -v f="$floor_us" 'BEGIN {
      printf "Highest reachable, %s: bare %.0f µs of machine CPU per call, recording floor %.0f µs: %.2f× bare\n", m, b, f, b / (b + f) }'
  done
} | tee -a "$latest/summary.md"
