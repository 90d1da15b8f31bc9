#!/usr/bin/env bash
# Builds native/test/bench_kernels.c for this machine (the same flags as the library) and runs it: GFLOP/s of the
# dense products against the machine's 128-bit FMA peak.
# Usage: scripts/bench-native.sh [batch in out [threads [seconds]]]   (default 32 256 256 2 0.5)
set -euo pipefail
source "$(cd "$(dirname "$0")" && pwd)/native-env.sh"
arch=$(et_host_arch)
[ -n "$arch" ] || { echo "bench-native: no native build for $(uname -m)" >&2; exit 1; }
cc=$(et_cc "$arch")
[ -n "$cc" ] || { echo "bench-native: no C compiler for $arch" >&2; exit 1; }
simde=""
if [ "$arch" = x86_64 ]; then simde=$(et_simde_flags) || { echo "bench-native: SIMDe headers not found (libsimde-dev)" >&2; exit 1; }; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
srcs=("$et_native/test/bench_kernels.c")
for s in "${et_sources_lib[@]}"; do srcs+=("$et_native/src/$s"); done
# shellcheck disable=SC2086
"$cc" $et_common_cflags $(et_arch_flags "$arch") -I"$et_native/include" -I"$et_native/src" $simde -o "$work/bench" "${srcs[@]}" -lm
"$work/bench" "$@"
