#!/usr/bin/env bash
# Set up (first run only) and serve MIPEX-R Explorer on the embedded data: http://127.0.0.1:8050/
# Production mode: gunicorn, several worker processes, compressed responses (dashboard/serving/).
# HOST/PORT override the address, MIPEXR_WORKERS the worker count (README, "Production", lists the rest);
# extra arguments go to `python -m dashboard serve` (e.g. `./run.sh --dev` for Dash's debug server).
set -euo pipefail
cd "$(dirname "$0")"
./scripts/setup.sh --system
exec .venv/bin/python -m dashboard serve "$@"
