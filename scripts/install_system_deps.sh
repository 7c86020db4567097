#!/usr/bin/env bash
# System packages the app and its tests need, from Debian's registry:
#   fonts-wqy-microhei — Chinese labels in static images (the decision tree) and in the test browser
#   chromium           — the real browser the UI tests and screenshots drive through Playwright
# Idempotent: does nothing when both are present.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || need+=(fonts-wqy-microhei)
[ ${#need[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
echo "installing ${need[*]} (apt)"
$SUDO apt-get install -y --no-install-recommends "${need[@]}" >/dev/null \
  || { $SUDO apt-get update >/dev/null && $SUDO apt-get install -y --no-install-recommends "${need[@]}" >/dev/null; }
