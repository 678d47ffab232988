#!/usr/bin/env bash
# Translation catalogs (Babel / gettext). Usage:
#   scripts/i18n.sh extract   # texts from code, templates and the embedded data → dashboard/translations/messages.pot
#   scripts/i18n.sh update    # extract, then merge the template into every language's messages.po
#   scripts/i18n.sh compile   # messages.po → messages.mo (what the app reads)
#   scripts/i18n.sh init xx   # start a new language xx (then add it to dashboard/i18n LANGUAGES)
#   scripts/i18n.sh check     # tests/test_i18n.py: every message translated in every language, placeholders kept
set -euo pipefail
cd "$(dirname "$0")/.."
PYBABEL="${PYBABEL:-.venv/bin/pybabel}"
T=dashboard/translations
case "${1:-}" in
  extract)
    "$PYBABEL" -q extract -F babel.cfg -k N_ -k ngettext:1,2 -k pgettext:1c,2 --no-wrap --sort-by-file \
      --project "MIPEX-R Explorer" --copyright-holder "MIPEX-R Explorer contributors" \
      --no-location -o "$T/messages.pot" . ;;
  update)
    "$0" extract
    "$PYBABEL" -q update -i "$T/messages.pot" -d "$T" --no-wrap --ignore-obsolete --no-fuzzy-matching ;;
  compile)
    # Babel's write_mo; see scripts/i18n_fill.py for why not `pybabel compile` (it rejects "% of …" units)
    "${PYTHON:-.venv/bin/python}" scripts/i18n_fill.py compile ;;
  init)
    "$PYBABEL" -q init -i "$T/messages.pot" -d "$T" -l "${2:?language code}" --no-wrap ;;
  check)
    .venv/bin/python -m pytest -q -o addopts="" tests/test_i18n.py ;;
  *) sed -n 2,8p "$0"; exit 2 ;;
esac
