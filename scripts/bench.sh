#!/usr/bin/env bash
# Side by side on this machine: edgetrain's bench cases, then the same cases in PyTorch (if python3 has torch).
# Usage: scripts/bench.sh [seconds-per-case]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
seconds=${1:-3}
"$here/edgetrain" bench --seconds "$seconds"
echo
if python3 -c 'import torch' 2>/dev/null; then
  python3 "$here/bench_pytorch.py" "$seconds"
else
  echo "pytorch: not installed (pip install torch), skipped"
fi
