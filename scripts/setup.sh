#!/usr/bin/env bash
# Set up MIPEX-R Explorer on a fresh machine: a virtual environment with the pinned packages, and
# (with --system) the Debian packages it uses: chromium + chromium-driver (image/PDF export and
# browser tests), fonts, postgresql and redis-server (the tests start their own servers on loopback).
# With --tests it also installs axe-core (the accessibility engine the browser tests inject into each page)
# from the npm registry into .cache/npm/ (git-ignored; no CDN at test time).
# Idempotent: re-running skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

want_system=0
for arg in "$@"; do
  case "$arg" in
    --system) want_system=1 ;;
    --tests) want_system=2 ;;
  esac
done

if [ "$want_system" -gt 0 ]; then
  pkgs=()
  command -v chromium >/dev/null 2>&1 || pkgs+=(chromium)
  command -v chromedriver >/dev/null 2>&1 || pkgs+=(chromium-driver)
  [ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || pkgs+=(fonts-dejavu-core)
  if [ "$want_system" -eq 2 ]; then
    ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || command -v pg_ctl >/dev/null 2>&1 || pkgs+=(postgresql)
    command -v redis-server >/dev/null 2>&1 || pkgs+=(redis-server)
  fi
  if [ "${#pkgs[@]}" -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "setup: installing Debian packages: ${pkgs[*]}"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -q >/dev/null
      apt-get install -y -q --no-install-recommends "${pkgs[@]}" >/dev/null
    else
      echo "setup: missing ${pkgs[*]} (not root or no apt-get): exports and browser tests will say so and skip" >&2
    fi
  fi
fi

PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$PY" -m venv .venv
fi
stamp=".venv/.requirements.sha256"
sum=$(sha256sum requirements.txt | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$sum" ]; then
  echo "setup: installing Python packages (requirements.txt)"
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q -r requirements.txt
  # the package itself, editable: `python -m dashboard` and `mipexr` work from any folder
  .venv/bin/python -m pip install -q --no-deps -e .
  echo "$sum" > "$stamp"
fi

# axe-core for the browser tests' accessibility checks: pinned, from the npm registry, into .cache/npm
# (tests/e2e/axe.py reads .cache/npm/node_modules/axe-core/axe.min.js). Skipped when that version is there.
AXE_VERSION="4.10.3"
if [ "$want_system" -eq 2 ]; then
  axe_pkg=".cache/npm/node_modules/axe-core/package.json"
  if ! grep -q "\"version\": \"$AXE_VERSION\"" "$axe_pkg" 2>/dev/null; then
    if command -v npm >/dev/null 2>&1; then
      echo "setup: installing axe-core $AXE_VERSION (npm) into .cache/npm"
      mkdir -p .cache/npm
      npm install --prefix .cache/npm --no-save --no-audit --no-fund --no-package-lock --silent \
        "axe-core@$AXE_VERSION" >/dev/null \
        || echo "setup: axe-core could not be installed: the accessibility browser tests will say so" >&2
    else
      echo "setup: npm not found: the accessibility browser tests will say so and skip" >&2
    fi
  fi
fi
