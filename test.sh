#!/usr/bin/env bash
# Set up (first run only) and run the whole test suite: unit, callback, Integration Lab (SQLite and a
# real PostgreSQL on loopback), export, and end-to-end tests in headless Debian Chromium.
# Extra arguments go to pytest (e.g. ./test.sh -m "not e2e").
set -euo pipefail
cd "$(dirname "$0")"
./scripts/setup.sh --tests
exec .venv/bin/python -m pytest "$@"
