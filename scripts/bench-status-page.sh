#!/usr/bin/env bash
# What a browser polling the status page costs the training daemon, measured in one run.
#   scripts/bench-status-page.sh [--rounds 6] [--phase 6] [--client curl|chromium|both] [--board PROFILE]
# Starts the packaged default daemon (scripts/edgetrain run, the board profile's JVM options if --board is given) with
# the simulated sensor pumped as fast as training takes it (rate_hz = 0: training is CPU-bound, the worst case for
# a page competing with it) and the status page on a free loopback port. After a warm-up it alternates phases of
# --phase seconds: without a client, then with one fetching the page every second -- curl (the daemon's own cost:
# parsing, making and sending the page) and/or headless Chromium reloading it (?refresh=1; the browser runs on this
# machine and competes for its cores, which a browser on a laptop would not). The speed of each phase comes from the
# daemon's own counter (edgetrain_steps_total in /metrics, read at the phase's ends); the CPU time from /proc: the
# whole JVM and its status thread (edgetrain-status). Alternating phases cancel the drift of a machine whose load
# changes; the figure is the median of the polled phases against the median of the unpolled ones.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
rounds=6 phase=6 client=both board= warmup=15
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --phase) phase=$2; shift 2 ;;
    --client) client=$2; shift 2 ;;
    --board) board=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    *) echo "bench-status-page.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done
case "$client" in curl|chromium|both) ;; *) echo "bench-status-page.sh: --client is curl, chromium or both" >&2; exit 2 ;; esac
command -v curl >/dev/null || { echo "bench-status-page.sh: needs curl" >&2; exit 2; }
chromium=
if [ "$client" != curl ]; then
  for c in /usr/bin/chromium /usr/bin/chromium-browser; do [ -x "$c" ] && chromium=$c && break; done
  [ -n "$chromium" ] || { echo "bench-status-page.sh: --client $client needs chromium (apt-get install chromium)" >&2; exit 2; }
fi
d=$(mktemp -d)
daemon= poller=
cleanup() {
  [ -n "$poller" ] && kill "$poller" 2>/dev/null || true
  [ -n "$daemon" ] && kill "$daemon" 2>/dev/null && wait "$daemon" 2>/dev/null || true
  rm -rf "$d"
}
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
{ sed -e 's/^rate_hz = 100 /rate_hz = 0 /' -e "s/^# status_port = 8080 /status_port = $port /" "$here/packaging/deb/edgetrain.conf"
  if [ -n "$board" ]; then printf '[engine]\nboard = %s\n' "$board"; fi; } > "$d/bench.conf"
grep -q "^status_port = $port" "$d/bench.conf" || { echo "bench-status-page.sh: no status_port line to set in packaging/deb/edgetrain.conf" >&2; exit 1; }
opts=${JAVA_OPTS:-}
if [ -n "$board" ]; then
  profile=$here/boards/$board.conf
  [ -f "$profile" ] || { echo "bench-status-page.sh: no board profile $profile" >&2; exit 2; }
  value() { sed -n "s/^$1[[:space:]]*=[[:space:]]*\([^#]*\).*/\1/p" "$profile" | sed 's/[[:space:]]*$//' | head -n 1; }
  opts="-Xms4m -Xmx$(value heap) $(value jvm_options) $opts"
fi
JAVA_OPTS=$opts "$here/scripts/edgetrain" run --config "$d/bench.conf" --state-dir "$d/state" > "$d/daemon.log" 2>&1 &
daemon=$!
steps() { curl -s --max-time 5 "http://127.0.0.1:$port/metrics" | sed -n 's/^edgetrain_steps_total \([0-9]*\)$/\1/p'; }
# CPU ticks (utime + stime) of one of the JVM's threads, by name (the kernel keeps 15 characters of it); the fields
# are counted from the end of the line, as the name in parentheses may hold a space
# (summed over the threads of that name: the JVM's main thread is "java", like the launcher's idle first thread)
thread_ticks() {
  local sum=0 t
  for t in /proc/"$daemon"/task/*; do
    [ "$(cat "$t/comm" 2>/dev/null)" = "$1" ] && sum=$((sum + $(awk '{print $(NF - 38) + $(NF - 37)}' "$t/stat")))
  done
  echo "$sum"
}
ticks() { awk '{print $(NF - 38) + $(NF - 37)}' "/proc/$daemon/stat"; }
hz=$(getconf CLK_TCK)
for _ in $(seq 1 120); do [ -n "$(steps 2>/dev/null)" ] && break; kill -0 "$daemon" 2>/dev/null || { cat "$d/daemon.log" >&2; exit 1; }; sleep 1; done
[ -n "$(steps)" ] || { echo "bench-status-page.sh: the daemon's /metrics did not answer in 120 s" >&2; exit 1; }
sleep "$warmup"

start_poller() { # $1: curl or chromium
  if [ "$1" = curl ]; then
    ( while :; do curl -s -o /dev/null --max-time 5 "http://127.0.0.1:$port/"; sleep 1; done ) 2>/dev/null &
    poller=$!
  else
    "$chromium" --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking --disable-component-update \
      --disable-sync --user-data-dir="$d/chromium" --remote-debugging-port=0 "http://127.0.0.1:$port/?refresh=1" > "$d/chromium.log" 2>&1 &
    poller=$!
    sleep 3 # started and loading the page: its start-up is not the polling's cost
  fi
}
stop_poller() {
  pkill -P "$poller" 2>/dev/null || true
  kill "$poller" 2>/dev/null || true
  wait "$poller" 2>/dev/null || true
  poller=
  sleep 1
}
# one phase: steps/s, steps per CPU second of the training thread (the
# JVM's main thread, named java), JVM CPU and status thread CPU (% of a core)
measure() {
  local s0 c0 m0 q0 t0 s1 c1 m1 q1 t1
  s0=$(steps); c0=$(ticks); m0=$(thread_ticks java); q0=$(thread_ticks edgetrain-statu); t0=$(date +%s.%N)
  sleep "$phase"
  s1=$(steps); c1=$(ticks); m1=$(thread_ticks java); q1=$(thread_ticks edgetrain-statu); t1=$(date +%s.%N)
  awk -v s="$((s1 - s0))" -v c="$((c1 - c0))" -v m="$((m1 - m0))" -v q="$((q1 - q0))" -v t0="$t0" -v t1="$t1" -v hz="$hz" \
    'BEGIN { t = t1 - t0; printf "%.0f %.0f %.1f %.2f\n", s / t, (m > 0 ? s * hz / m : 0), 100 * c / hz / t, 100 * q / hz / t }'
}
median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2)}'; }

clients=$client
[ "$client" = both ] && clients="curl chromium"
echo "status page polling: default daemon, rate_hz = 0, ${board:-no board profile}, $rounds rounds of ${phase} s without / ${phase} s with, after ${warmup} s"
echo "page: $(curl -s "http://127.0.0.1:$port/" | wc -c) bytes; each round's figures: steps/s, steps per CPU second of the training thread, JVM CPU %, status thread CPU %"
for c in $clients; do
  : > "$d/without"; : > "$d/with"
  for r in $(seq 1 "$rounds"); do
    w=$(measure); echo "$w" >> "$d/without"
    start_poller "$c"; p=$(measure); stop_poller 2>/dev/null; echo "$p" >> "$d/with"
    echo "  $c round $r: without $w | with $p"
  done
  col() { cut -d' ' -f"$1" "$d/$2" | median; }
  # the status thread's share is the mean over all polled phases: one page is a few clock ticks of CPU at most
  qp=$(awk '{q += $4} END {printf "%.2f", q / NR}' "$d/with")
  awk -v c="$c" -v sw="$(col 1 without)" -v sp="$(col 1 with)" -v ew="$(col 2 without)" -v ep="$(col 2 with)" \
      -v cw="$(col 3 without)" -v cp="$(col 3 with)" -v qp="$qp" 'BEGIN {
    printf "%s, medians without / with the page polled every second:\n", c
    printf "  steps/s %.0f / %.0f (%+.1f %%); steps per CPU second of the training thread %.0f / %.0f (%+.1f %%)\n", sw, sp, 100 * (sp - sw) / sw, ew, ep, 100 * (ep - ew) / ew
    printf "  JVM CPU %.1f / %.1f %% of a core; the status thread (serving the page) %.2f %% of a core while polled (mean)\n", cw, cp, qp }'
done
# the page's own cost, made and fetched back to back
t0=$(date +%s.%N); for _ in $(seq 1 20); do curl -s -o /dev/null "http://127.0.0.1:$port/"; done; t1=$(date +%s.%N)
awk -v t0="$t0" -v t1="$t1" 'BEGIN {printf "page made and fetched back to back: %.1f ms (mean of 20, curl included)\n", (t1 - t0) * 50}'
kill -0 "$daemon" 2>/dev/null || { echo "bench-status-page.sh: the daemon stopped:" >&2; tail -n 5 "$d/daemon.log" >&2; exit 1; }
