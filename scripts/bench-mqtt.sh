#!/usr/bin/env bash
# MQTT measurements for the README: readings per second the MQTT source sustains into the ring (QoS 0 and 1), and the
# daemon's resident memory without MQTT, with the MQTT output, and with MQTT source and output.
# Needs mosquitto, mosquitto-clients and target/edgetrain.jar (mvn -q package -DskipTests).
#   scripts/bench-mqtt.sh            N=100000 readings at QoS 0, N1=20000 at QoS 1; RSS after SETTLE=20 s
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jar="$root/target/edgetrain.jar"
[ -f "$jar" ] || { echo "build the jar first: mvn -q package -DskipTests" >&2; exit 2; }
N=${N:-100000}
SETTLE=${SETTLE:-20}
JOPTS=${JOPTS:--Xms48m -Xmx48m -XX:+UseSerialGC}
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf 'user %s\nlistener %s 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 1000000\n' "$(id -un)" "$port" > "$tmp/m.conf"
mosquitto -c "$tmp/m.conf" > "$tmp/mosquitto.log" 2>&1 & pids+=($!)
sleep 0.5
awk -v n="$N" 'BEGIN { for (i = 0; i < n; i++) printf "%.4f,%.4f\n", sin(i * 0.1), cos(i * 0.05) }' > "$tmp/lines.csv"
echo "host: $(nproc) cores, $(java -version 2>&1 | head -n 1); broker mosquitto $(mosquitto -h | head -n 1 | awk '{print $3}')"

for qos in ${QOS:-0 1}; do
  # QoS 1 bursts from mosquitto_pub -l beyond ~50,000 messages make mosquitto 2.0.11 drop the publisher ("out of
  # memory"), so QoS 1 runs N1 readings
  n=$N; [ "$qos" = 1 ] && n=${N1:-20000}
  cat > "$tmp/in$qos.conf" <<CONF
[source]
type = mqtt
topics = bench/q$qos
format = csv
columns = a, b
[preprocess]
standardize = off
window = 16
stride = 16
[mqtt]
url = tcp://127.0.0.1:$port
client_id = bench-in-$qos
qos = $qos
CONF
  # reference consumer: mosquitto_sub receiving the same burst
  mosquitto_sub -p "$port" -q "$qos" -t "bench/q$qos" -C "$n" > /dev/null & sub=$!
  # a reading lost on the way (QoS 0 under load) would leave ingest waiting: at most 120 s
  timeout 120 java $JOPTS -jar "$jar" ingest --config "$tmp/in$qos.conf" --samples "$n" --rows 0 > "$tmp/ingest$qos.out" 2>&1 & ing=$!
  pids+=($ing $sub)
  for _ in $(seq 100); do grep -q "connected to" "$tmp/ingest$qos.out" 2>/dev/null && break; sleep 0.1; done
  sleep 0.5
  t0=$(date +%s.%N)
  head -n "$n" "$tmp/lines.csv" | mosquitto_pub -p "$port" -q "$qos" -t "bench/q$qos" -l
  t1=$(date +%s.%N)
  wait "$sub"; t2=$(date +%s.%N)
  wait "$ing" || { echo "QoS $qos: edgetrain ingest did not receive all $n readings within 120 s"; continue; }
  t3=$(date +%s.%N)
  awk -v q="$qos" -v n="$n" -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" 'BEGIN {
    printf "QoS %d: published in %.2f s; mosquitto_sub received all in %.2f s (%.0f/s); edgetrain ingest: %.2f s (%.0f readings/s)\n",
      q, b - a, c - a, n / (c - a), d - a, n / (d - a) }'
  grep "^samples" "$tmp/ingest$qos.out"
done

rss() { # the daemon with config $1, resident set after SETTLE seconds
  java $JOPTS -jar "$jar" run --config "$1" --state-dir "$tmp/state-$2" --fresh > "$tmp/run-$2.out" 2>&1 & local p=$!
  pids+=($p)
  sleep "$SETTLE"
  local kb; kb=$(awk '/VmRSS/ {print $2}' "/proc/$p/status")
  kill "$p"; wait "$p" || true
  echo "$kb"
}
base=$(unzip -p "$jar" demo/daemon-sim.conf)
printf '%s\n' "$base" | sed 's/^rate_hz = 0 .*/rate_hz = 200/' > "$tmp/a.conf"
{ printf '%s\n' "$base" | sed 's/^rate_hz = 0 .*/rate_hz = 200/'; printf 'output = mqtt\n[mqtt]\nurl = tcp://127.0.0.1:%s\nclient_id = rss-b\n' "$port"; } > "$tmp/b.conf"
cat > "$tmp/c.conf" <<CONF
$(printf '%s\n' "$base" | sed -e '/^\[source\]/,/^\[preprocess\]/{/^\[preprocess\]/!d}' -e 's/^\[preprocess\]/[source]\ntype = mqtt\ntopics = rss\/c\nformat = csv\ncolumns = a, b, c\n[preprocess]/')
output = mqtt
[mqtt]
url = tcp://127.0.0.1:$port
client_id = rss-c
CONF
( while true; do awk 'BEGIN { for (i = 0; i < 200; i++) printf "%.3f,%.3f,%.3f\n", sin(i), cos(i), 0 }' | mosquitto_pub -p "$port" -t rss/c -l; sleep 1; done ) & pids+=($!)
[ "${RSS:-1}" = 1 ] || exit 0
a=$(rss "$tmp/a.conf" a); b=$(rss "$tmp/b.conf" b); c=$(rss "$tmp/c.conf" c)
echo "resident memory after ${SETTLE} s ($JOPTS): sim source, log output ${a} kB; + MQTT output ${b} kB (+$((b - a)) kB);" \
  "MQTT source (200 readings/s) + MQTT output ${c} kB (+$((c - a)) kB)"
