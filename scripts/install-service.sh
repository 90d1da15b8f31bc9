#!/usr/bin/env bash
# Installs edgetrain as a systemd service on a board (run as root):
#   sudo scripts/install-service.sh --board pi4 --config /etc/edgetrain/edgetrain.conf [--jar target/edgetrain.jar] [--dry-run]
# Creates the user `edgetrain` (in groups i2c, spi, gpio when they exist), copies the jar to /opt/edgetrain, writes
# /etc/systemd/system/edgetrain.service from boards/edgetrain.service with the board profile's heap and JVM options,
# and enables and starts it. The log goes to /var/lib/edgetrain/logs (daemon.state_dir) and warnings to journald:
#   journalctl -u edgetrain -f
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
board="" config="" jar="$here/target/edgetrain.jar" dry=0
while [ $# -gt 0 ]; do
  case "$1" in
    --board) board=$2; shift 2 ;;
    --config) config=$2; shift 2 ;;
    --jar) jar=$2; shift 2 ;;
    --dry-run) dry=1; shift ;;
    *) echo "install-service.sh: unknown option '$1'; usage: --board NAME --config FILE [--jar FILE] [--dry-run]" >&2; exit 2 ;;
  esac
done
profile="$here/boards/$board.conf"
[ -n "$board" ] && [ -f "$profile" ] || { echo "install-service.sh: --board: found '$board'; allowed: $(cd "$here/boards" && ls *.conf | sed 's/\.conf$//' | tr '\n' ' ')" >&2; exit 2; }
[ -n "$config" ] && [ -f "$config" ] || { echo "install-service.sh: --config: file '$config' not found" >&2; exit 2; }
[ -f "$jar" ] || { echo "install-service.sh: --jar: $jar not found (build it: mvn -B package)" >&2; exit 2; }

value() { sed -n "s/^$1[[:space:]]*=[[:space:]]*\([^#]*\).*/\1/p" "$profile" | sed 's/[[:space:]]*$//' | head -n 1; }
heap=$(value heap)
jvm=$(value jvm_options)
[ -n "$heap" ] || { echo "install-service.sh: $profile has no 'heap =' line" >&2; exit 2; }

unit=$(sed -e "s|@HEAP@|$heap|" -e "s|@JVM_OPTIONS@|$jvm|" -e "s|@JAR@|/opt/edgetrain/edgetrain.jar|" \
           -e "s|@CONFIG@|/etc/edgetrain/edgetrain.conf|" "$here/boards/edgetrain.service")
if [ $dry -eq 1 ]; then
  echo "$unit"
  exit 0
fi
[ "$(id -u)" -eq 0 ] || { echo "install-service.sh: run as root (sudo)" >&2; exit 1; }
id edgetrain >/dev/null 2>&1 || useradd --system --home /var/lib/edgetrain --shell /usr/sbin/nologin edgetrain
for g in i2c spi gpio dialout; do getent group "$g" >/dev/null && usermod -aG "$g" edgetrain; done
install -d -m 755 /opt/edgetrain /etc/edgetrain
install -m 644 "$jar" /opt/edgetrain/edgetrain.jar
install -m 644 "$config" /etc/edgetrain/edgetrain.conf
echo "$unit" > /etc/systemd/system/edgetrain.service
systemctl daemon-reload
systemctl enable --now edgetrain.service
echo "installed: systemctl status edgetrain; journalctl -u edgetrain -f; log in /var/lib/edgetrain/logs/edgetrain.log"
