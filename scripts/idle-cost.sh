#!/usr/bin/env bash
# Idle cost of the daemon at a real sensor rate (issue 16.5): starts the default daemon (the packaged simulated sensor,
# examples/daemon-sim.conf) with source.rate_hz = RATE on its own source thread, with the small boards' JVM options
# (the pi-zero-2w profile: serial GC, C1 only, 256 KB stacks, 48 MB heap, and its [engine] settings: 2 threads, native
# kernels where the library loads), waits WARMUP seconds, then reads the
# process's CPU ticks from /proc/PID/stat (utime + stime) over SECONDS and prints the share of one core, per thread too.
#   scripts/idle-cost.sh [RATE=100] [WARMUP=20] [SECONDS=30]
# LAYERS='dense(512) leaky_relu dense(96)' replaces the model's layers: products that large (from 2^19 multiply-adds)
# go to the native worker pool, whose idle workers are then part of the figure.
# Needs target/edgetrain.jar (mvn -B package -DskipTests) and Linux /proc. JAR=... runs another jar; JAVA_OPTS=... other options.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rate=${1:-100} warmup=${2:-20} seconds=${3:-30}
jar=${JAR:-$root/target/edgetrain.jar}
[ -f "$jar" ] || { echo "idle-cost: $jar is missing; run mvn -B package -DskipTests" >&2; exit 2; }
opts=${JAVA_OPTS:--Xms4m -Xmx48m -XX:+UseSerialGC -Xss256k -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:ReservedCodeCacheSize=8m}
dir=$(mktemp -d)
trap 'kill -TERM $pid 2>/dev/null || true; rm -rf "$dir"' EXIT
sed "s/^rate_hz = 0 .*/rate_hz = $rate/" "$root/examples/daemon-sim.conf" > "$dir/d.conf"
printf '\n[engine]\nboard = %s\n' "${BOARD:-pi-zero-2w}" >> "$dir/d.conf"   # its threads and kernels; BOARD=x86-64 for the desktop's
if [ -n "${LAYERS:-}" ]; then sed -i "s/^layers = .*/layers = $LAYERS/" "$dir/d.conf"; fi
grep -q "^rate_hz = $rate" "$dir/d.conf" || { echo "idle-cost: could not set rate_hz in the config" >&2; exit 1; }
java $opts -jar "$jar" run --config "$dir/d.conf" --state-dir "$dir/st" > "$dir/out.log" 2>&1 &
pid=$!
sleep "$warmup"
kill -0 $pid 2>/dev/null || { echo "idle-cost: the daemon ended early:"; cat "$dir/out.log"; exit 1; }
hz=$(getconf CLK_TCK)
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
threads() { for t in /proc/$pid/task/*; do echo "${t##*/} $(awk '{print $14 + $15}' "$t/stat" 2>/dev/null) $(tr ' ' _ < "$t/comm" 2>/dev/null)"; done; }
t0=$(ticks); threads | sort > "$dir/t0"
sleep "$seconds"
t1=$(ticks); threads | sort > "$dir/t1"
kill -TERM $pid; wait $pid || true
pct=$(awk -v d=$((t1 - t0)) -v hz="$hz" -v s="$seconds" 'BEGIN { printf "%.2f", 100 * d / hz / s }')
echo "idle-cost: $pct % of one core at source.rate_hz = $rate ($((t1 - t0)) ticks at $hz/s over $seconds s after $warmup s of warm-up; $(uname -m), $(java -version 2>&1 | head -n 1))"
# the busiest threads over the interval (names as the JVM sets them)
join "$dir/t1" "$dir/t0" 2>/dev/null | awk -v hz="$hz" -v s="$seconds" '$2 - $4 > 0 { printf "  thread %-8s %-18s %.2f %%\n", $1, $3, 100 * ($2 - $4) / hz / s }' | sort -k4 -rn | head -n 6
grep -E "stopped at step" "$dir/out.log" | sed 's/^/  /'
