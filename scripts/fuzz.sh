#!/usr/bin/env bash
# The fuzz harness (issue 16.3) for longer than CI's budget: every parser (config, layers, csv, csv-source, model,
# model-crc, safetensors, checkpoint, checkpoint-crc) for SECONDS each, or until MAX_INPUTS each, from SEED.
#   scripts/fuzz.sh [SECONDS=300] [MAX_INPUTS=0 (no limit)] [SEED=16] [TARGETS=a,b (default: all)]
# Findings (input + stack trace) land in target/fuzz/<target>/; keep one as a regression case by copying its .bin into
# src/test/resources/fuzz/<target>/ (every run replays those first).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o test -Dnative.skip=true -Dtest=FuzzTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dedgetrain.fuzz.seconds="${1:-300}" -Dedgetrain.fuzz.inputs="${2:-0}" -Dedgetrain.fuzz.seed="${3:-16}" \
  -Dedgetrain.fuzz.targets="${4:-}" | grep -E '^(fuzz |FINDING|HANG)|Tests run|FAIL'
