#!/usr/bin/env bash
# What a browser polling the status page costs the training daemon, measured in one run.
#   scripts/bench-status-page.sh [--rounds 20] [--phase 3] [--client chromium|curl|both] [--board PROFILE] [--no-pin]
# Starts the packaged default daemon (scripts/edgetrain run, the board profile's JVM options if --board is given) with
# the simulated sensor pumped as fast as training takes it (rate_hz = 0: training is CPU-bound, the worst case for
# a page competing with it) and the status page on a free loopback port. On a board the browser runs on another
# machine; to stand for that here the daemon (all its threads: training, status server, GC) is pinned with taskset to
# one core and the client (and this script's own curl/awk) to another, unless --no-pin or the machine has one core.
# After a warm-up it alternates short phases of --phase seconds: without a client, then with one fetching the page
# every second -- headless Chromium reloading it (?refresh=1; one browser for the whole run, paused with SIGSTOP
# between its phases so its start-up is not counted) and/or curl (the daemon's own cost: parsing, making and sending
# the page). The speed of each phase comes from the daemon's own counter (edgetrain_steps_total in /metrics, read at
# the phase's ends); the CPU time from /proc: the whole JVM, its training thread and its status thread
# (edgetrain-status). Each polled phase is compared with the mean of the unpolled phases just before and after it
# (which cancels a drift of the machine's load); the figure is the median of those ratios, with their quartiles and
# range as the spread, and the medians of the raw phases.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
rounds=20 phase=3 client=chromium board= warmup=15 pin=1
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --phase) phase=$2; shift 2 ;;
    --client) client=$2; shift 2 ;;
    --board) board=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --no-pin) pin=0; shift ;;
    *) echo "bench-status-page.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done
case "$client" in curl|chromium|both) ;; *) echo "bench-status-page.sh: --client is curl, chromium or both" >&2; exit 2 ;; esac
command -v curl >/dev/null || { echo "bench-status-page.sh: needs curl (apt-get install curl)" >&2; exit 2; }
cores=$(nproc)
if [ "$pin" = 1 ] && [ "$cores" -ge 2 ]; then
  command -v taskset >/dev/null || { echo "bench-status-page.sh: pinning needs taskset (apt-get install util-linux) or --no-pin" >&2; exit 2; }
  dcore=0 ccore=1
else
  pin=0
fi
chromium=
if [ "$client" != curl ]; then
  for c in /usr/bin/chromium /usr/bin/chromium-browser; do [ -x "$c" ] && chromium=$c && break; done
  [ -n "$chromium" ] || { echo "bench-status-page.sh: --client $client needs chromium (apt-get install chromium), or use --client curl" >&2; exit 2; }
  command -v setsid >/dev/null || { echo "bench-status-page.sh: --client $client needs setsid (util-linux)" >&2; exit 2; }
fi
d=$(mktemp -d)
daemon= poller= browser=
cleanup() {
  [ -n "$poller" ] && kill "$poller" 2>/dev/null || true
  if [ -n "$browser" ]; then kill -CONT -- "-$browser" 2>/dev/null || true; kill -- "-$browser" 2>/dev/null || true; fi
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
pinned=
[ "$pin" = 1 ] && pinned="taskset -c $dcore"
# the launcher builds the jar first when it is missing or stale: do that before the clock matters
[ -f "$here/target/edgetrain.jar" ] || "$here/scripts/edgetrain" --help > /dev/null 2>&1 || true
JAVA_OPTS=$opts $pinned "$here/scripts/edgetrain" run --config "$d/bench.conf" --state-dir "$d/state" > "$d/daemon.log" 2>&1 &
daemon=$!
# this script (its curl, awk) and the clients it starts run on the other core
[ "$pin" = 1 ] && taskset -cp "$ccore" $$ > /dev/null
steps() { curl -s --max-time 5 "http://127.0.0.1:$port/metrics" | sed -n 's/^edgetrain_steps_total \([0-9]*\)$/\1/p'; }
# the steps taken and the status pages made (which shows the client really polled), from one scrape
counters() { curl -s --max-time 5 "http://127.0.0.1:$port/metrics" \
  | awk '$1 == "edgetrain_steps_total" {s = $2} $1 == "edgetrain_status_pages_total" {p = $2} END {print s + 0, p + 0}'; }
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
  elif [ -z "$browser" ]; then # one browser for the run, in its own process group so it can be paused as a whole
    setsid "$chromium" --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
      --disable-component-update --disable-sync --user-data-dir="$d/chromium" --remote-debugging-port=0 \
      "http://127.0.0.1:$port/?refresh=1" > "$d/chromium.log" 2>&1 &
    browser=$!
    sleep 5 # started and loading the page: its start-up is not the polling's cost
  else
    kill -CONT -- "-$browser"
  fi
}
stop_poller() { # $1: curl or chromium
  if [ "$1" = curl ]; then
    pkill -P "$poller" 2>/dev/null || true
    kill "$poller" 2>/dev/null || true
    wait "$poller" 2>/dev/null || true
    poller=
  else
    kill -STOP -- "-$browser"
  fi
  sleep 1 # a reply in flight is finished before the next unpolled phase
}
# one phase: steps/s, steps per CPU second of the training thread (the JVM's main thread, named java), JVM CPU and
# status thread CPU (% of a core), status pages made
measure() {
  local s0 p0 c0 m0 q0 t0 s1 p1 c1 m1 q1 t1
  read -r s0 p0 < <(counters); c0=$(ticks); m0=$(thread_ticks java); q0=$(thread_ticks edgetrain-statu); t0=$(date +%s.%N)
  sleep "$phase"
  read -r s1 p1 < <(counters); c1=$(ticks); m1=$(thread_ticks java); q1=$(thread_ticks edgetrain-statu); t1=$(date +%s.%N)
  awk -v s="$((s1 - s0))" -v c="$((c1 - c0))" -v m="$((m1 - m0))" -v q="$((q1 - q0))" -v t0="$t0" -v t1="$t1" -v hz="$hz" -v p="$((p1 - p0))" \
    'BEGIN { t = t1 - t0; printf "%.0f %.0f %.1f %.2f %d\n", s / t, (m > 0 ? s * hz / m : 0), 100 * c / hz / t, 100 * q / hz / t, p }'
}
median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2)}'; }

clients=$client
[ "$client" = both ] && clients="chromium curl"
echo "status page polling: default daemon, rate_hz = 0, ${board:-no board profile}, $rounds rounds of ${phase} s without / ${phase} s with, after ${warmup} s"
if [ "$pin" = 1 ]; then
  echo "pinned: the daemon (every JVM thread) on CPU $dcore, the client and this script on CPU $ccore (taskset; $cores cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
else
  echo "not pinned: the daemon and the client share all $cores cores (load $(cut -d' ' -f1-3 /proc/loadavg))"
fi
echo "page: $(curl -s "http://127.0.0.1:$port/" | wc -c) bytes; each phase's figures: steps/s, steps per CPU second of the training thread, JVM CPU %, status thread CPU %, pages made"
for c in $clients; do
  : > "$d/without"; : > "$d/with"; : > "$d/ratio"
  w=$(measure); echo "$w" >> "$d/without"; echo "  $c round 0: without $w"
  for r in $(seq 1 "$rounds"); do
    start_poller "$c"; p=$(measure); stop_poller "$c"; echo "$p" >> "$d/with"
    w1=$(measure); echo "$w1" >> "$d/without"
    echo "  $c round $r: with $p | without $w1"
    # this polled phase against the unpolled phases either side of it: wall clock and per training-thread CPU second
    awk -v a="$w" -v p="$p" -v b="$w1" 'BEGIN { split(a, x, " "); split(p, y, " "); split(b, z, " ")
      printf "%.4f %.4f\n", 2 * y[1] / (x[1] + z[1]), (x[2] + z[2] > 0 ? 2 * y[2] / (x[2] + z[2]) : 1) }' >> "$d/ratio"
    w=$w1
  done
  col() { cut -d' ' -f"$1" "$d/$2" | median; }
  # quartiles and range of the per-round ratios, as % change
  spread() { cut -d' ' -f"$1" "$d/ratio" | sort -n | awk '{v[NR] = 100 * ($1 - 1)} END {
    q1 = v[int((NR + 3) / 4)]; q3 = v[NR + 1 - int((NR + 3) / 4)]
    printf "quartiles %+.1f / %+.1f %%, range %+.1f / %+.1f %%", q1, q3, v[1], v[NR] }'; }
  # the status thread's share is the mean over all polled phases: one page is a few clock ticks of CPU at most
  qp=$(awk '{q += $4} END {printf "%.2f", q / NR}' "$d/with")
  pages=$(awk '{p += $5} END {print p}' "$d/with")
  awk -v c="$c" -v sw="$(col 1 without)" -v sp="$(col 1 with)" -v ew="$(col 2 without)" -v ep="$(col 2 with)" \
      -v cw="$(col 3 without)" -v cp="$(col 3 with)" -v qp="$qp" -v rw="$(col 1 ratio)" -v re="$(col 2 ratio)" \
      -v sw1="$(spread 1)" -v se1="$(spread 2)" -v n="$rounds" -v pages="$pages" -v t="$phase" 'BEGIN {
    printf "%s polling every second, %d rounds: %d pages made in %d s polled\n", c, n, pages, n * t
    printf "  steps/s, each polled phase against the unpolled ones either side: median %+.1f %% (%s)\n", 100 * (rw - 1), sw1
    printf "  steps per CPU second of the training thread, the same way: median %+.1f %% (%s)\n", 100 * (re - 1), se1
    printf "  medians of the phases without / with: steps/s %.0f / %.0f; per training-thread CPU second %.0f / %.0f\n", sw, sp, ew, ep
    printf "  JVM CPU %.1f / %.1f %% of a core; the status thread (serving the page) %.2f %% of a core while polled (mean)\n", cw, cp, qp }'
done
# the page's own cost, made and fetched back to back
t0=$(date +%s.%N); for _ in $(seq 1 20); do curl -s -o /dev/null "http://127.0.0.1:$port/"; done; t1=$(date +%s.%N)
awk -v t0="$t0" -v t1="$t1" 'BEGIN {printf "page made and fetched back to back: %.1f ms (mean of 20, curl included)\n", (t1 - t0) * 50}'
kill -0 "$daemon" 2>/dev/null || { echo "bench-status-page.sh: the daemon stopped:" >&2; tail -n 5 "$d/daemon.log" >&2; exit 1; }
