#!/usr/bin/env bash
# The C kernel tests (native/test/test_kernels.c): natively with the full shape cube, then, where the cross compilers
# and qemu-user exist, as static binaries (no sysroot needed) under emulated boards with the quick shape set:
#   qemu-aarch64 -cpu cortex-a53 (Pi 3 / Zero 2 W), cortex-a72 (Pi 4), cortex-a76 (Pi 5); qemu-arm -cpu cortex-a7
#   (Pi 2; the armhf build that 32-bit Raspberry Pi OS runs on every Pi from the 2 on).
# Prints one line per run and what it skipped; exits non-zero if any build or run fails.
#
# Usage: scripts/cross-test.sh [--full-emulated] [--sanitize]
#   --full-emulated  the full shape cube under qemu too (about 90 s per emulated CPU instead of 12)
#   --sanitize       also run the native test under AddressSanitizer + UndefinedBehaviorSanitizer, and
#                    ThreadSanitizer (quick shapes; about 30 s more)
# Needs: gcc (+ libsimde-dev on x86-64); for emulation gcc-aarch64-linux-gnu, gcc-arm-linux-gnueabihf, qemu-user.
set -uo pipefail
source "$(cd "$(dirname "$0")" && pwd)/native-env.sh"

emulated_mode=--quick sanitize=0
for arg in "$@"; do
  case "$arg" in
    --full-emulated) emulated_mode="" ;;
    --sanitize) sanitize=1 ;;
    *) echo "usage: $0 [--full-emulated] [--sanitize]" >&2; exit 2 ;;
  esac
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0

# build_test ARCH OUT [extra flags]: the test linked with the kernels (not the JNI glue)
build_test() {
  local arch=$1 out=$2 cc simde=""
  shift 2
  cc=$(et_cc "$arch")
  [ -n "$cc" ] || return 3
  if [ "$arch" = x86_64 ]; then simde=$(et_simde_flags) || { echo "FAIL build $arch: SIMDe headers not found (libsimde-dev)"; return 1; }; fi
  local srcs=("$et_native/test/test_kernels.c")
  for s in "${et_sources_lib[@]}"; do srcs+=("$et_native/src/$s"); done
  # shellcheck disable=SC2086
  if ! "$cc" $et_common_cflags $(et_arch_flags "$arch") -I"$et_native/include" -I"$et_native/src" $simde "$@" \
      -o "$out" "${srcs[@]}" -lm > "$work/build-$arch.log" 2>&1; then
    echo "FAIL build $arch ($(basename "$cc")):"
    sed 's/^/  /' "$work/build-$arch.log"
    return 1
  fi
  if [ -s "$work/build-$arch.log" ]; then
    echo "warnings building $arch:"
    sed 's/^/  /' "$work/build-$arch.log"
  fi
  return 0
}

# run LABEL COMMAND...: one line with the result and the time
run() {
  local label=$1 start end line rc
  shift
  start=$(date +%s.%N)
  "$@" > "$work/run.log" 2>&1
  rc=$?
  end=$(date +%s.%N)
  line=$(tail -n 1 "$work/run.log")
  if [ $rc -eq 0 ]; then
    printf 'PASS %-34s %5.1f s  %s\n' "$label" "$(echo "$end - $start" | bc)" "$line"
  else
    printf 'FAIL %-34s %5.1f s  exit %d\n' "$label" "$(echo "$end - $start" | bc)" "$rc"
    sed 's/^/  /' "$work/run.log" | head -n 40
    failed=1
  fi
}

host=$(et_host_arch)
if [ -z "$host" ]; then
  echo "skip native: no native build for $(uname -m)"
else
  # dynamically linked with the library's glibc pinning, so the pinned symbol versions are exercised
  if build_test "$host" "$work/test-native" -DET_GLIBC_PIN; then
    run "native $host" "$work/test-native"
  else
    [ $? -eq 3 ] && echo "skip native $host: no compiler" || failed=1
  fi
fi

if [ $sanitize = 1 ] && [ -n "$host" ]; then
  if build_test "$host" "$work/test-asan" -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all; then
    run "native $host asan+ubsan" "$work/test-asan" --quick
  else failed=1; fi
  if build_test "$host" "$work/test-tsan" -O1 -g -fsanitize=thread; then
    run "native $host tsan" "$work/test-tsan" --quick
  else failed=1; fi
fi

emulate() { # ARCH QEMU CPU...
  local arch=$1 qemu=$2 cc
  shift 2
  cc=$(et_cc "$arch")
  if [ -z "$cc" ]; then echo "skip $arch under qemu: $(et_triplet "$arch")-gcc not found (apt-get install gcc-$(et_triplet "$arch"))"; return; fi
  if ! command -v "$qemu" > /dev/null 2>&1; then echo "skip $arch under qemu: $qemu not found (apt-get install qemu-user)"; return; fi
  build_test "$arch" "$work/test-$arch" -static || { failed=1; return; }
  for cpu in "$@"; do
    run "$qemu -cpu $cpu" "$qemu" -cpu "$cpu" "$work/test-$arch" $emulated_mode
  done
}

emulate aarch64 qemu-aarch64 cortex-a53 cortex-a72 cortex-a76
emulate armhf qemu-arm cortex-a7

exit $failed
