#!/usr/bin/env bash
# The .deb's install -> start -> upgrade -> remove -> purge cycle, as root, in a throwaway Debian root (debootstrap,
# minbase) so the machine itself is untouched: only /proc is mounted into it, and unmounted on exit.
#   sudo scripts/test-deb.sh [target/edgetrain_<version>_all.deb]
# There is no systemd in the throwaway root: "start" runs the unit's ExecStart as the unit's user with the JVM options
# the postinst wrote for the board, for a few steps. The model file of a Raspberry Pi 4 (64-bit) is faked through
# EDGETRAIN_MODEL_FILE / EDGETRAIN_ARCH, so the board choice is checked too. The debootstrap result is cached in
# ${EDGETRAIN_DEB_CACHE:-~/.cache/edgetrain}/bookworm-minbase.tar.gz; Java comes from Debian through the package's
# Depends on every run (apt install ./file.deb, as a user installs it).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
deb=${1:-$(ls "$here"/target/edgetrain_*_all.deb | head -n 1)}
[ "$(id -u)" -eq 0 ] || { echo "test-deb.sh: needs root (debootstrap, chroot)" >&2; exit 2; }
command -v debootstrap >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null; }
cache=${EDGETRAIN_DEB_CACHE:-$HOME/.cache/edgetrain}
mkdir -p "$cache"
start=$(date +%s)
if [ ! -f "$cache/bookworm-minbase.tar.gz" ]; then
  tmp=$(mktemp -d /tmp/edgetrain-debootstrap.XXXXXX)
  debootstrap --variant=minbase bookworm "$tmp" http://deb.debian.org/debian >/dev/null
  tar -C "$tmp" -czf "$cache/bookworm-minbase.tar.gz.part" . && mv "$cache/bookworm-minbase.tar.gz.part" "$cache/bookworm-minbase.tar.gz"
  rm -rf "$tmp"
fi
root=$(mktemp -d /tmp/edgetrain-debroot.XXXXXX)
cleanup() { umount "$root/proc" 2>/dev/null || true; rm -rf "$root"; }
trap cleanup EXIT
tar -C "$root" -xzf "$cache/bookworm-minbase.tar.gz"
mount -t proc proc "$root/proc"
cp /etc/resolv.conf "$root/etc/resolv.conf"
printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d" && chmod 755 "$root/usr/sbin/policy-rc.d" # start nothing
echo "throwaway root ready in $(( $(date +%s) - start )) s"

in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
  EDGETRAIN_MODEL_FILE=/tmp/model EDGETRAIN_ARCH=arm64 "$@"; }
passed=0 failed=0
check() { # NAME COMMAND...: a check of the cycle
  local name=$1; shift
  if "$@"; then passed=$((passed + 1)); echo "ok   $name"; else failed=$((failed + 1)); echo "FAIL $name"; fi
}

printf 'Raspberry Pi 4 Model B Rev 1.4\0' > "$root/tmp/model"
cp "$deb" "$root/tmp/edgetrain.deb"
# the upgrade: the same files as a later version
up=$(mktemp -d); dpkg-deb -R "$deb" "$up/pkg"
v=$(sed -n 's/^Version: //p' "$up/pkg/DEBIAN/control")
sed -i "s/^Version: .*/Version: $v+1/" "$up/pkg/DEBIAN/control"
dpkg-deb --root-owner-group -Zxz --build "$up/pkg" "$root/tmp/edgetrain-up.deb" >/dev/null; rm -rf "$up"

# install
t=$(date +%s)
in_root apt-get update -qq >/dev/null
in_root apt-get install -y -qq --no-install-recommends /tmp/edgetrain.deb > "$root/tmp/install.log" 2>&1 || { cat "$root/tmp/install.log"; exit 1; }
echo "apt install ./edgetrain.deb (with Java from Debian): $(( $(date +%s) - t )) s"
grep '^edgetrain:' "$root/tmp/install.log"
check "postinst says which board profile it chose" grep -q '^edgetrain: board profile pi4 (model: Raspberry Pi 4 Model B Rev 1.4' "$root/tmp/install.log"
check "postinst says enabled, not started" grep -q 'service enabled, not started' "$root/tmp/install.log"
check "system user in i2c spi gpio" sh -c "in_groups=\$(chroot '$root' id -nG edgetrain); for g in i2c spi gpio; do echo \" \$in_groups \" | grep -q \" \$g \" || exit 1; done"
check "system user has no login shell" sh -c "chroot '$root' getent passwd edgetrain | grep -q ':/usr/sbin/nologin$'"
check "state dir owned by the user" sh -c "[ \"\$(chroot '$root' stat -c %U /var/lib/edgetrain)\" = edgetrain ]"
check "config is a conffile" sh -c "chroot '$root' dpkg-query -W -f='\${Conffiles}' edgetrain | grep -q /etc/edgetrain/edgetrain.conf"
check "service enabled" test -L "$root/etc/systemd/system/multi-user.target.wants/edgetrain.service"
check "board drop-in has the pi4 heap" grep -q 'JAVA_OPTS=-Xms4m -Xmx256m' "$root/etc/systemd/system/edgetrain.service.d/board.conf"
check "the class-data archive is made at install" test -s "$root/var/lib/edgetrain/edgetrain.jsa"
check "nothing started" sh -c "! ls '$root/var/lib/edgetrain/' | grep -v '^edgetrain.jsa$' | grep -q ."

# start: the unit's command line as its user, with the board's options
execstart=$(sed -n 's/^ExecStart=//p' "$root/lib/systemd/system/edgetrain.service")
javaopts=$(sed -n 's/^Environment="JAVA_OPTS=\(.*\)"$/\1/p' "$root/etc/systemd/system/edgetrain.service.d/board.conf")
t=$(date +%s)
chroot "$root" runuser -u edgetrain -- env -i PATH=/usr/bin:/bin HOME=/var/lib/edgetrain "JAVA_OPTS=$javaopts" \
  sh -c "cd /var/lib/edgetrain && $execstart --steps 20" > "$root/tmp/run.log" 2>&1 || { cat "$root/tmp/run.log"; }
echo "service command, 20 steps: $(( $(date +%s) - t )) s"
check "the service command trains and checkpoints" sh -c "ls '$root/var/lib/edgetrain/checkpoints/' | grep -q ."
# -Xshare:on: the JVM refuses to start unless it maps the archive
check "the service's options map the class-data archive" sh -c "chroot '$root' runuser -u edgetrain -- env 'JAVA_OPTS=$javaopts -Xshare:on' /usr/bin/edgetrain help >/dev/null 2>&1"
# mapped where it was made (the launcher's -XX:ArchiveRelocationMode=0): its read-only pages stay shared file pages
chroot "$root" runuser -u edgetrain -- env "JAVA_OPTS=$javaopts -Xshare:on -Xlog:cds=info" /usr/bin/edgetrain help > "$root/tmp/cds.log" 2>&1 || true
check "the launcher maps the archive without relocating it" sh -c "grep -q 'Mapped static  region' '$root/tmp/cds.log' && ! grep -q 'alternative address' '$root/tmp/cds.log'"
check "the daemon's log is in the state dir" test -s "$root/var/lib/edgetrain/logs/edgetrain.log"

# upgrade, with a local edit to the conffile
echo "# local edit" >> "$root/etc/edgetrain/edgetrain.conf"
in_root apt-get install -y -qq --no-install-recommends /tmp/edgetrain-up.deb > "$root/tmp/upgrade.log" 2>&1 || { cat "$root/tmp/upgrade.log"; exit 1; }
check "upgrade installs the new version" sh -c "chroot '$root' dpkg-query -W -f='\${Version}' edgetrain | grep -q '+1$'"
check "upgrade keeps the edited conffile" grep -q '^# local edit' "$root/etc/edgetrain/edgetrain.conf"
check "upgrade keeps the checkpoints" sh -c "ls '$root/var/lib/edgetrain/checkpoints/' | grep -q ."
check "upgrade does not announce a fresh install" sh -c "! grep -q 'enabled, not started' '$root/tmp/upgrade.log'"

# remove keeps state and config
in_root dpkg -r edgetrain > "$root/tmp/remove.log" 2>&1 || { cat "$root/tmp/remove.log"; exit 1; }
check "remove deletes the program" test ! -e "$root/usr/share/edgetrain/edgetrain.jar"
check "remove keeps the state" sh -c "ls '$root/var/lib/edgetrain/checkpoints/' | grep -q ."
check "remove keeps the config" test -f "$root/etc/edgetrain/edgetrain.conf"

# purge removes them
in_root dpkg -P edgetrain > "$root/tmp/purge.log" 2>&1 || { cat "$root/tmp/purge.log"; exit 1; }
check "purge removes the state" test ! -e "$root/var/lib/edgetrain"
check "purge removes the config" test ! -e "$root/etc/edgetrain/edgetrain.conf"
check "purge removes the board drop-in" test ! -e "$root/etc/systemd/system/edgetrain.service.d/board.conf"
check "purge removes the enable link" test ! -e "$root/etc/systemd/system/multi-user.target.wants/edgetrain.service"
echo "install cycle: $(( $(date +%s) - start )) s"
echo "deb-cycle: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
