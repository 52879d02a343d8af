#!/usr/bin/env bash
# Issue 6's benchmark: OpenAI-format chat calls translated to the mock's Anthropic API and back
# (bench/configs/translate-anthropic.yaml, the "features" target) against the same calls passed through untranslated
# to the mock's OpenAI API (bench/configs/bare.yaml, the "gatehouse" target), with the mock served directly and
# through nginx, in one bench/run.sh run. Streamed and plain; the issue's target is streamed >= 0.8x.
set -euo pipefail
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
GATEHOUSE_CONFIG="$BENCH/configs/bare.yaml" FEATURES_CONFIG="$BENCH/configs/translate-anthropic.yaml" "$BENCH/run.sh"
