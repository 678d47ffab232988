#!/usr/bin/env bash
# Set up (first run only) and serve MIPEX-R Explorer on the embedded data: http://127.0.0.1:8050/
# HOST/PORT override the address; extra arguments go to `python -m dashboard serve`.
set -euo pipefail
cd "$(dirname "$0")"
./scripts/setup.sh --system
exec .venv/bin/python -m dashboard serve --host "${HOST:-127.0.0.1}" --port "${PORT:-8050}" "$@"
