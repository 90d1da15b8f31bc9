#!/usr/bin/env bash
# The default daemon's memory on an emulated board, the way the package runs it: the packaged config (simulated
# sensor at 100 Hz), the board profile's heap and JVM options, the launcher's 64-bit alignment flag; after N seconds
# it prints resident (VmRSS), private (RssAnon), file-backed (RssFile; the guest's files live in its initramfs, so the
# JVM's own code counts as RssShmem there) and proportional (Pss) memory and the threads.
#   scripts/measure-daemon-memory.sh [--arch arm64|armhf|host] [--cpu C] [--mem MB] [--board PROFILE] [--seconds 60] [--cds] [--extra 'JVM OPTIONS']
# Defaults: arm64, cortex-a53, 1024 MB (arm-vm unpacks its 250 MB root into RAM: 512 MB does not boot), pi-zero-2w (armhf: cortex-a7, profile armhf), 60 s. --cds first builds the
# application's class-data archive in the guest with the same options (as the package's postinst does), then measures
# with it (mapped where it was made, as the package's launcher does). --extra adds JVM options to the profile's (to
# judge one). It also lists the resident and private kB of each mapping. Needs root (../shared/tools/arm-vm) and target/edgetrain.jar.
# --arch host runs the same steps on this machine's JVM instead of a guest (no root; the x86-64 figures in the README).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
arch=arm64 cpu= mem=1024 board= seconds=60 cds=0 extra=
while [ $# -gt 0 ]; do
  case "$1" in
    --arch) arch=$2; shift 2 ;;
    --cpu) cpu=$2; shift 2 ;;
    --mem) mem=$2; shift 2 ;;
    --board) board=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --cds) cds=1; shift ;;
    --extra) extra=$2; shift 2 ;;
    *) echo "measure-daemon-memory.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done
case "$arch" in
  arm64) cpu=${cpu:-cortex-a53}; board=${board:-pi-zero-2w} ;;
  armhf) cpu=${cpu:-cortex-a7}; board=${board:-armhf} ;;
  host) board=${board:-pi-zero-2w} ;;
  *) echo "measure-daemon-memory.sh: --arch is arm64, armhf or host" >&2; exit 2 ;;
esac
profile=$here/boards/$board.conf
[ -f "$profile" ] || { echo "measure-daemon-memory.sh: no board profile $profile" >&2; exit 2; }
value() { sed -n "s/^$1[[:space:]]*=[[:space:]]*\([^#]*\).*/\1/p" "$profile" | sed 's/[[:space:]]*$//' | head -n 1; }
opts="-Xms4m -Xmx$(value heap) $(value jvm_options) $extra"
# as the launcher: the alignment flag on 64-bit JVMs only (a 32-bit JVM refuses to start with it)
if [ "$arch" = armhf ]; then opts=$(echo "$opts" | sed 's/-XX:ObjectAlignmentInBytes=16//'); else opts="-XX:ObjectAlignmentInBytes=16 $opts"; fi
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
cp "$here/target/edgetrain.jar" "$here/packaging/deb/edgetrain.conf" "$d/"
cat > "$d/run.sh" <<RUN
# the guest mounts this folder at /work; on the host it is the folder itself
W=\${W:-/work} T=\${T:-/tmp}
opts="$opts"
if [ $cds = 1 ]; then
  # as scripts/build-deb.sh records the package's list: the periodic work (log lines, evaluation, checkpoints) included
  sed -e 's/^rate_hz = 100 /rate_hz = 2000 /' -e 's/^checkpoint_every = 5000 /checkpoint_every = 100 /' \\
      -e 's/^log_every = 1000/log_every = 50/' -e 's/^eval_every = 1000/eval_every = 50/' \$W/edgetrain.conf > \$T/fast.conf
  java \$opts -XX:DumpLoadedClassList=\$T/classes.lst -jar \$W/edgetrain.jar run --config \$T/fast.conf --state-dir \$T/cds-state --steps 450 >/dev/null 2>&1
  java \$opts -Xshare:dump -XX:SharedClassListFile=\$T/classes.lst -XX:SharedArchiveFile=\$T/edgetrain.jsa -cp \$W/edgetrain.jar >/dev/null 2>&1 || echo "archive dump failed"
  opts="\$opts -XX:SharedArchiveFile=\$T/edgetrain.jsa -Xshare:auto -XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0"
  echo "class-data archive: \$(wc -l < \$T/classes.lst) classes, \$(( \$(wc -c < \$T/edgetrain.jsa) / 1024 )) KiB"
fi
echo "options: \$opts"
java \$opts -jar \$W/edgetrain.jar run --config \$W/edgetrain.conf --state-dir \$T/state > \$T/out.log 2>&1 &
pid=\$!
sleep $seconds
echo "after $seconds s:"
grep -E '^(VmRSS|RssAnon|RssFile|RssShmem|Threads):' /proc/\$pid/status
grep -E '^Pss:' /proc/\$pid/smaps_rollup
# where the pages are: resident and private (Anonymous) kB per mapping, by file and permissions (heap, metaspace,
# stacks and malloc are unnamed), largest first
awk '/^[0-9a-f]+-[0-9a-f]+ /{k=\$2" "(\$6==""?"[anon]":\$6)} /^Rss:/{r[k]+=\$2} /^Anonymous:/{a[k]+=\$2} END{for(k in r) if(r[k]>=256) print "  resident " r[k] " kB, private " a[k] " kB: " k}' /proc/\$pid/smaps | sort -k2 -n -r
kill \$pid
wait \$pid
tail -n 2 \$T/out.log
RUN
if [ "$arch" = host ]; then
  echo "host $(uname -m), profile $board, $seconds s$( [ $cds = 1 ] && echo ', with the class-data archive')"
  mkdir -p "$d/t"
  W="$d" T="$d/t" bash "$d/run.sh"
  exit
fi
echo "$arch $cpu ${mem} MB, profile $board, $seconds s$( [ $cds = 1 ] && echo ', with the class-data archive')"
"$here/../shared/tools/arm-vm" --arch "$arch" --cpu "$cpu" --mem "$mem" --smp 4 "$d" 2>&1 | grep -v '^\s*$'
