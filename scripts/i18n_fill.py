#!/usr/bin/env python3
"""Fill translation catalogs from JSON files, or list what is still untranslated.

    python scripts/i18n_fill.py todo [LANG]        # JSON list of message ids lacking a translation
    python scripts/i18n_fill.py fill PART.json ... # write translations into dashboard/translations/*/messages.po
    python scripts/i18n_fill.py compile            # messages.po → messages.mo, every language

``compile`` is Babel's ``write_mo`` without ``pybabel compile``'s %-format check: units such as "% of age
group" read to that check as Python %-formats ("% o"), and their translations ("% de la …") fail it. The app
formats with named braces only (``{n}``), which ``tests/test_i18n.py`` checks in every translation.

A part file maps each English message id to its translations:
``{"Overall score": {"fr": "Score global", "de": "Gesamtwert", ...}, ...}``; a plural message id is
``"{n} region|{n} regions"`` with a list of forms per language (``["{n} región", "{n} regiones"]``).
Run ``scripts/i18n.sh update`` first (so the catalogs know every message id) and ``compile`` after.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
T = ROOT / "dashboard" / "translations"


def catalogs():
    for po in sorted(T.glob("*/LC_MESSAGES/messages.po")):
        yield po.parent.parent.name, po


def _key(message) -> str:
    return "|".join(message.id) if isinstance(message.id, tuple) else message.id


def _done(message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(strings) and not message.fuzzy


def todo(only: str | None = None) -> dict[str, list[str]]:
    missing: dict[str, list[str]] = {}
    for lang, po in catalogs():
        if only and lang != only:
            continue
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=lang)
        for message in catalog:
            if message.id and not _done(message):
                missing.setdefault(_key(message), []).append(lang)
    return missing


def fill(parts: list[Path]) -> None:
    table: dict[str, dict[str, object]] = {}
    for part in parts:
        for msgid, per_lang in json.loads(part.read_text(encoding="utf-8")).items():
            for lang, value in per_lang.items():  # the first file to translate a message wins
                table.setdefault(msgid, {}).setdefault(lang, value)
    for lang, po in catalogs():
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=lang)
        changed = 0
        for message in catalog:
            if not message.id:
                continue
            value = table.get(_key(message), {}).get(lang)
            if not value:
                continue
            if isinstance(message.id, tuple):
                forms = list(value) if isinstance(value, list) else [value]
                n = catalog.num_plurals
                forms = (forms + [forms[-1]] * n)[:n]
                message.string = tuple(forms)
            else:
                message.string = value if isinstance(value, str) else value[0]
            message.flags.discard("fuzzy")
            changed += 1
        with po.open("wb") as fh:
            write_po(fh, catalog, width=0, omit_header=False, sort_by_file=False, ignore_obsolete=True,
                     include_previous=False)
        print(f"{lang}: {changed} translations written")


def compile_all() -> None:
    for lang, po in catalogs():
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=lang)
        with po.with_suffix(".mo").open("wb") as fh:
            write_mo(fh, catalog, use_fuzzy=False)
        done = sum(1 for m in catalog if m.id and _done(m))
        print(f"{lang}: {done} of {len(catalog)} messages translated, compiled")


if __name__ == "__main__":
    if sys.argv[1:] == ["compile"]:
        compile_all()
    elif len(sys.argv) >= 2 and sys.argv[1] == "todo":
        json.dump(todo(sys.argv[2] if len(sys.argv) > 2 else None), sys.stdout, ensure_ascii=False, indent=1)
        print()
    elif len(sys.argv) >= 3 and sys.argv[1] == "fill":
        fill([Path(p) for p in sys.argv[2:]])
    else:
        print(__doc__)
        sys.exit(2)
