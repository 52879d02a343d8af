#!/usr/bin/env bash
# Issue 3's benchmark: sessions, events and all four recorders (bench/configs/tracing.yaml, the "features"
# target) against bare passthrough (bench/configs/bare.yaml, the "gatehouse" target), with the mock served
# directly and through nginx, in one bench/run.sh run. The recorders write to a temp dir, removed afterwards
# (KEEP_RECORDS=1 keeps it); the summary adds what they wrote and dropped.
# Leave 5 minutes between runs: on ext4 without a journal, creating files in the minutes after hundreds of
# thousands were deleted (the previous run's) is far slower, and that alone moved the ratio here.
set -euo pipefail
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BENCH_RECORD_DIR="$(mktemp -d /tmp/gatehouse-bench-records.XXXXXX)"
export BENCH_RECORD_DIR
[ -n "${KEEP_RECORDS:-}" ] || trap 'rm -rf "$BENCH_RECORD_DIR"' EXIT
GATEHOUSE_CONFIG="$BENCH/configs/bare.yaml" FEATURES_CONFIG="$BENCH/configs/tracing.yaml" "$BENCH/run.sh"
latest="$(ls -d "$BENCH"/out/*/ | grep -E '/[0-9]{8}-[0-9]{6}/$' | sort | tail -1)"
{
  echo
  echo "Recorders (from the features gateway's /metrics at the end of the run):"
  grep -E '^gatehouse_recorder_(written|dropped)_total' "$latest/features-metrics.txt" | sed 's/^/    /' || true
  echo "Written to disk: $(du -sh "$BENCH_RECORD_DIR" | cut -f1) in $(find "$BENCH_RECORD_DIR" -type f | wc -l) files."
} | tee -a "$latest/summary.md"
