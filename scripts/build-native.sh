#!/usr/bin/env bash
# Builds the JNI library libedgetrain.so: OUTDIR/linux-<arch>/libedgetrain.so, stripped, exporting only Java_* and
# JNI_OnLoad.
#
# Usage: scripts/build-native.sh [host|x86_64|aarch64|armhf|all] [OUTDIR]
#   host (default)  this machine's architecture
#   all             every architecture whose compiler is installed; the others are skipped with one line each
#   OUTDIR          default <repo>/target/classes/native (where the jar takes /native/linux-<arch>/ from)
# Compilers: gcc (x86_64, with SIMDe: apt-get install libsimde-dev), aarch64-linux-gnu-gcc, arm-linux-gnueabihf-gcc
# (apt-get install gcc-aarch64-linux-gnu gcc-arm-linux-gnueabihf); CC_<arch> overrides. JNI headers from JAVA_HOME
# (derived from javac when unset).
# Exits non-zero if a requested architecture fails to build (for `all`, a missing compiler is a skip, not a failure).
set -euo pipefail
source "$(cd "$(dirname "$0")" && pwd)/native-env.sh"

target=${1:-host}
outdir=${2:-$et_root/target/classes/native}
mkdir -p "$outdir"
outdir=$(cd "$outdir" && pwd)

if [ -z "${JAVA_HOME:-}" ]; then
  javac_path=$(command -v javac || true)
  [ -n "$javac_path" ] || { echo "build-native: JAVA_HOME is not set and javac is not on PATH" >&2; exit 2; }
  JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$javac_path")")")
fi
if [ ! -f "$JAVA_HOME/include/jni.h" ]; then
  echo "build-native: no jni.h under JAVA_HOME=$JAVA_HOME/include (a JDK, not a JRE, is needed)" >&2
  exit 2
fi
jni_flags="-I$JAVA_HOME/include -I$JAVA_HOME/include/linux"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# only the JNI entry points leave the library (libgcc's helpers included)
printf '{\n  global: Java_*; JNI_OnLoad;\n  local: *;\n};\n' > "$work/exports.map"

# build_arch ARCH: 0 built, 1 failed, 3 skipped (no compiler), 4 skipped (no SIMDe); prints one line
build_arch() {
  local arch=$1 cc strip simde="" out objs=() src desc
  cc=$(et_cc "$arch")
  [ -n "$cc" ] || return 3
  if [ "$arch" = x86_64 ]; then
    simde=$(et_simde_flags) || return 4
  fi
  strip=$(et_strip "$cc")
  mkdir -p "$work/$arch" "$outdir/linux-$arch"
  # ET_GLIBC_PIN: bind to the oldest versions of the few glibc symbols that have newer ones (glibc_compat.h)
  local cflags="$et_common_cflags -fPIC -fvisibility=hidden -DET_GLIBC_PIN -I$et_native/include -I$et_native/src $simde"
  for src in "${et_sources_lib[@]}"; do
    # shellcheck disable=SC2086
    "$cc" $cflags $(et_arch_flags "$arch") -c "$et_native/src/$src" -o "$work/$arch/${src%.c}.o" || { echo "FAIL $arch: $src" >&2; return 1; }
    objs+=("$work/$arch/${src%.c}.o")
  done
  # shellcheck disable=SC2086
  "$cc" $cflags $(et_base_flags "$arch") $jni_flags -c "$et_native/src/jni_glue.c" -o "$work/$arch/jni_glue.o" || { echo "FAIL $arch: jni_glue.c" >&2; return 1; }
  objs+=("$work/$arch/jni_glue.o")
  # shellcheck disable=SC2086
  "$cc" $cflags $(et_base_flags "$arch") $jni_flags -c "$et_native/src/jni_fixed.c" -o "$work/$arch/jni_fixed.o" || { echo "FAIL $arch: jni_fixed.c" >&2; return 1; }
  objs+=("$work/$arch/jni_fixed.o")
  out="$outdir/linux-$arch/libedgetrain.so"
  # shellcheck disable=SC2086
  # libpthread.so.0 named explicitly: on glibc < 2.34 pthread_* live there (on newer glibc it is an empty stub)
  "$cc" -shared -pthread $(et_arch_flags "$arch") -o "$work/$arch/libedgetrain.so" "${objs[@]}" -lm \
    -Wl,--no-as-needed -l:libpthread.so.0 -Wl,--as-needed \
    -Wl,--version-script="$work/exports.map" -Wl,--exclude-libs,ALL -Wl,-z,noexecstack -Wl,-z,relro -Wl,-z,now \
    -Wl,--as-needed || { echo "FAIL $arch: link" >&2; return 1; }
  "$strip" --strip-unneeded "$work/$arch/libedgetrain.so" || { echo "FAIL $arch: $strip" >&2; return 1; }
  mv -f "$work/$arch/libedgetrain.so" "$out"
  desc=$(LC_ALL=C grep -a -o -m1 -E '(x86-64 neon-via-simde[a-z0-9 -]*|aarch64 neon|armv7 neon-vfpv4)' "$out" | head -n 1 || true)
  local glibc
  glibc=$(LC_ALL=C grep -a -o -E 'GLIBC_2\.[0-9.]+' "$out" | sort -t. -k2,2n -k3,3n -u | tail -n 1)
  echo "built $arch: ${out#"$et_root"/} ($desc, $(($(stat -c %s "$out") / 1024)) KiB, needs $glibc, $(basename "$cc"))"
  return 0
}

case "$target" in
  host)
    arch=$(et_host_arch)
    [ -n "$arch" ] || { echo "build-native: no library for this machine ($(uname -m)); Java kernels only" >&2; exit 1; }
    archs=("$arch") ;;
  x86_64 | aarch64 | armhf) archs=("$target") ;;
  all) archs=(x86_64 aarch64 armhf) ;;
  *) echo "usage: $0 [host|x86_64|aarch64|armhf|all] [OUTDIR]" >&2; exit 2 ;;
esac

failed=0
for arch in "${archs[@]}"; do
  set +e
  build_arch "$arch"
  rc=$?
  set -e
  if [ $rc -eq 3 ] || [ $rc -eq 4 ]; then
    # a bare machine still builds a working jar (Java kernels); CI=true tests make a missing host library fail
    why="no compiler: $(et_triplet "$arch")-gcc not found (apt-get install gcc-$(et_triplet "$arch" | tr _ -), or set CC_$arch)"
    [ $rc -eq 3 ] || why="SIMDe headers (simde/arm/neon.h) not found (apt-get install libsimde-dev, or set SIMDE_INCLUDE)"
    if [ "$target" = all ]; then echo "skip $arch: $why"; else echo "FAIL $arch: $why" >&2; failed=1; fi
  elif [ $rc -ne 0 ]; then
    failed=1
  fi
done
exit $failed
