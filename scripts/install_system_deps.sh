#!/usr/bin/env bash
# System packages the app and its tests need, from Debian's registry:
#   fonts-wqy-microhei — Chinese labels in static images (the decision tree) and in the test browser
#   chromium           — the real browser the UI tests and screenshots drive through Playwright
#   postgresql-15, mariadb-server
#                      — the servers scripts/dbserver.sh runs privately (no system service is started:
#                        policy-rc.d forbids it during the install)
# Idempotent: does nothing when all are present.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || need+=(fonts-wqy-microhei)
compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null || need+=(postgresql-15)
[ -x /usr/sbin/mariadbd ] || need+=(mariadb-server)
[ ${#need[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
# Packages must not start (or enable) a system service: the project's servers are its own.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
  $SUDO chmod +x /usr/sbin/policy-rc.d
  trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
fi
echo "installing ${need[*]} (apt)"
$SUDO apt-get install -y --no-install-recommends "${need[@]}" >/dev/null \
  || { $SUDO apt-get update >/dev/null && $SUDO apt-get install -y --no-install-recommends "${need[@]}" >/dev/null; }
