# Sourced by build-native.sh, cross-test.sh and bench-native.sh: one place for the native architectures, their
# compilers and flags. Not executable on its own.
#
# Architectures use the jar's names: x86_64, aarch64, armhf. Override a compiler with CC_x86_64, CC_aarch64, CC_armhf.

et_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
et_native="$et_root/native"
et_sources_lib=(kernels_ref.c kernels_neon.c threads.c bench_peak.c kernels_fixed_ref.c kernels_fixed_neon.c kernels_fixed_avx2.c) # + jni_glue.c, jni_fixed.c in the library

# The jar's name for this machine's architecture, or empty.
et_host_arch() {
  case "$(uname -m)" in
    x86_64 | amd64) echo x86_64 ;;
    aarch64 | arm64) echo aarch64 ;;
    armv7* | armv8l | armhf) echo armhf ;;
    *) echo "" ;;
  esac
}

et_triplet() {
  case "$1" in
    x86_64) echo x86_64-linux-gnu ;;
    aarch64) echo aarch64-linux-gnu ;;
    armhf) echo arm-linux-gnueabihf ;;
  esac
}

# The C compiler for an architecture: CC_<arch> if set, else <triplet>-gcc, else plain gcc on a machine of that
# architecture. Prints nothing if there is none.
et_cc() {
  local arch=$1 var="CC_$1" triplet
  triplet=$(et_triplet "$arch")
  if [ -n "${!var:-}" ]; then
    command -v "${!var}" 2>/dev/null || true
  elif command -v "$triplet-gcc" >/dev/null 2>&1; then
    command -v "$triplet-gcc"
  elif [ "$(et_host_arch)" = "$arch" ] && command -v gcc >/dev/null 2>&1; then
    command -v gcc
  fi
}

# strip that belongs to the compiler ($1 = compiler path)
et_strip() {
  local cc=$1 base
  base=$(basename "$cc")
  if [ "${base%-gcc}" != "$base" ] && command -v "${base%-gcc}-strip" >/dev/null 2>&1; then
    command -v "${base%-gcc}-strip"
  else
    echo strip
  fi
}

# Flags of the kernels for an architecture (SIMD level: what the description names).
et_arch_flags() {
  case "$1" in
    x86_64) echo "-march=x86-64-v3" ;; # AVX2 + FMA: SIMDe maps the NEON intrinsics onto them
    aarch64) echo "-march=armv8-a" ;;  # Cortex-A53 and up (Pi 3, Zero 2 W, 4, 5)
    armhf) echo "-march=armv7-a -mfpu=neon-vfpv4 -mfloat-abi=hard" ;; # Cortex-A7 and up in 32-bit mode
  esac
}

# Flags of the JNI glue: the architecture's baseline, so JNI_OnLoad runs (and refuses) on a CPU without the above.
et_base_flags() {
  case "$1" in
    x86_64) echo "-march=x86-64" ;;
    aarch64) echo "-march=armv8-a" ;;
    armhf) echo "-march=armv7-a -mfpu=vfpv3-d16 -mfloat-abi=hard" ;;
  esac
}

# -ffp-contract=off: no implicit fused multiply-add, so the kernels that mirror Java keep Java's bits.
et_common_cflags="-O3 -std=c11 -Wall -Wextra -ffp-contract=off -pthread"

# SIMDe headers for x86_64 (Debian: libsimde-dev); prints the include flag or nothing if missing.
et_simde_flags() {
  local d
  for d in ${SIMDE_INCLUDE:-} /usr/include /usr/local/include; do
    if [ -f "$d/simde/arm/neon.h" ]; then
      [ "$d" = /usr/include ] || echo "-I$d"
      return 0
    fi
  done
  return 1
}
