#!/usr/bin/env bash
# Installs what the test suite needs from Debian's packages and starts PostgreSQL if it is stopped.
set -euo pipefail
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

if ! command -v chromium >/dev/null 2>&1; then
  echo "Installing Debian chromium for browser tests…"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
  if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    echo "Starting PostgreSQL…"
    for v in $(ls /etc/postgresql); do
      $SUDO pg_ctlcluster --skip-systemctl-redirect "$v" main start || true
    done
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
fi

# axe-core for the accessibility browser tests, pinned in tests/a11y/package-lock.json.
A11Y="$(cd "$(dirname "$0")/.." && pwd)/tests/a11y"
if ! command -v npm >/dev/null 2>&1; then
  echo "Installing Debian npm for axe-core…"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq npm >/dev/null
fi
if [ ! -f "$A11Y/node_modules/axe-core/axe.min.js" ] \
  || [ "$A11Y/package-lock.json" -nt "$A11Y/node_modules/.package-lock.json" ]; then
  echo "Installing axe-core (npm ci)…"
  npm ci --prefix "$A11Y" --no-audit --no-fund --silent
fi
