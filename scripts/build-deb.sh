#!/usr/bin/env bash
# Builds target/edgetrain_<version>_all.deb from the runnable jar (run by `mvn package` after the shade step):
#   scripts/build-deb.sh PROJECT_VERSION JAR OUTDIR
# One package for every board: the jar carries each architecture's native library. Built with dpkg-deb alone (no
# debhelper); packaging/deb/ holds the unit, the conffile, the launcher and the maintainer scripts. Without dpkg-deb
# (not Debian) it says so and builds nothing.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
[ $# -eq 3 ] || { echo "usage: build-deb.sh PROJECT_VERSION JAR OUTDIR" >&2; exit 2; }
version=${1//-SNAPSHOT/~snapshot}   # 0.1.0-SNAPSHOT sorts before 0.1.0 as 0.1.0~snapshot
jar=$2 out=$3
if ! command -v dpkg-deb >/dev/null 2>&1; then
  echo "build-deb.sh: dpkg-deb not found: no .deb built (Debian's dpkg package has it)" >&2
  exit 0
fi
pkg=$out/deb/edgetrain
rm -rf "$pkg"
src=$here/packaging/deb
install -d "$pkg/DEBIAN" "$pkg/usr/bin" "$pkg/usr/share/man/man1" "$pkg/usr/share/edgetrain/boards" "$pkg/lib/systemd/system" "$pkg/etc/edgetrain" \
  "$pkg/usr/share/doc/edgetrain"
install -m 755 "$src/edgetrain" "$pkg/usr/bin/edgetrain"
install -m 644 "$jar" "$pkg/usr/share/edgetrain/edgetrain.jar"
install -m 755 "$src/choose-board" "$pkg/usr/share/edgetrain/choose-board"
# the class list for the postinst's class-data archive: the classes a run of the default daemon loads, its periodic
# work included (log lines, held-out evaluation, checkpoints and their pruning), which the packaged config does only
# every 1,000-5,000 steps: a class first loaded there would come from the jar, outside the archive, on every board
list=$(mktemp -d)
sed -e 's/^rate_hz = 100 /rate_hz = 2000 /' -e 's/^checkpoint_every = 5000 /checkpoint_every = 100 /' \
    -e 's/^log_every = 1000/log_every = 50/' -e 's/^eval_every = 1000/eval_every = 50/' "$src/edgetrain.conf" > "$list/fast.conf"
[ "$(grep -cE '^(rate_hz = 2000|checkpoint_every = 100|log_every = 50|eval_every = 50)( |$)' "$list/fast.conf")" = 4 ] ||
  { echo "build-deb.sh: $src/edgetrain.conf changed: the class-list run's overrides no longer apply" >&2; exit 1; }
if java -Xshare:off -XX:DumpLoadedClassList="$list/classes.lst" -jar "$jar" run --config "$list/fast.conf" --state-dir "$list/state" \
    --steps 450 >"$list/run.log" 2>&1 && [ -s "$list/classes.lst" ]; then
  install -m 644 "$list/classes.lst" "$pkg/usr/share/edgetrain/classes.lst"
else
  echo "build-deb.sh: recording the class list failed:" >&2; tail -n 5 "$list/run.log" >&2; rm -rf "$list"; exit 1
fi
rm -rf "$list"
install -m 644 "$here"/boards/*.conf "$pkg/usr/share/edgetrain/boards/"
install -m 644 "$src/edgetrain.service" "$pkg/lib/systemd/system/edgetrain.service"
install -m 644 "$src/edgetrain.conf" "$pkg/etc/edgetrain/edgetrain.conf"
install -m 644 "$src/copyright" "$pkg/usr/share/doc/edgetrain/copyright"
gzip -9n < "$src/edgetrain.1" > "$pkg/usr/share/man/man1/edgetrain.1.gz"
chmod 644 "$pkg/usr/share/man/man1/edgetrain.1.gz"
gzip -9n < "$here/README.md" > "$pkg/usr/share/doc/edgetrain/README.md.gz"
# the changelog's date is the last commit's, so two builds of one commit are the same bytes
when=$(cd "$here" && git log -1 --format=%cD 2>/dev/null || date -R)
printf 'edgetrain (%s) unstable; urgency=medium\n\n  * Built from the edgetrain repository; see README.md.\n\n -- %s  %s\n' \
  "$version" "edgetrain maintainers <maintainers@edgetrain.invalid>" "$when" | gzip -9n > "$pkg/usr/share/doc/edgetrain/changelog.gz"
chmod 644 "$pkg/usr/share/doc/edgetrain/"*
for f in postinst prerm postrm conffiles; do install -m 644 "$src/$f" "$pkg/DEBIAN/$f"; done
chmod 755 "$pkg/DEBIAN/postinst" "$pkg/DEBIAN/prerm" "$pkg/DEBIAN/postrm"
size=$(du -k -s --exclude=DEBIAN "$pkg" | cut -f1)
cat > "$pkg/DEBIAN/control" <<CONTROL
Package: edgetrain
Version: $version
Architecture: all
Maintainer: edgetrain maintainers <maintainers@edgetrain.invalid>
Installed-Size: $size
Depends: default-jre-headless (>= 2:1.17) | java17-runtime-headless, adduser, init-system-helpers (>= 1.52)
Section: science
Priority: optional
Homepage: https://edgetrain.invalid/
Description: on-device training of small neural networks for ARM boards
 edgetrain trains neural networks on Raspberry Pi-class boards: fixed memory
 arena, no allocation per step, NEON kernels, a daemon that learns from the
 board's sensors as a systemd service, with checkpoints and a status page.
CONTROL
(cd "$pkg" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum > DEBIAN/md5sums)
chmod 644 "$pkg/DEBIAN/md5sums"
deb=$out/edgetrain_${version}_all.deb
SOURCE_DATE_EPOCH=$(cd "$here" && git log -1 --format=%ct 2>/dev/null || date +%s) \
  dpkg-deb --root-owner-group -Zxz --build "$pkg" "$deb" >/dev/null
echo "built $deb"
