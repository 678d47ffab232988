"""Seed content of the Integration Lab: the practices in ``seed_practices.json`` (beside this module).

Two kinds of practice, always told apart on screen and in exports:

- **Source-based** (``"illustrative": false``): the six partner regions' pilot actions and responsible
  bodies as the REGIN project pages describe them. Only what the source states is filled in; the
  rest is left empty and shown as "not documented in the sources available offline".
- **Illustrative** (``"illustrative": true``): invented examples that show what a complete, assessed
  practice looks like. They are not documented practices of the regions they are attached to.

:func:`seed` is idempotent: each entry has a stable ``seed_key`` and is inserted only when missing
(a seeded practice a moderator later rejected is not re-added).
"""

from __future__ import annotations

import json
import logging
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from dashboard.lab import db, repository
from dashboard.lab.models import Practice
from dashboard.lab.vocab import Regions

log = logging.getLogger(__name__)

SEED_FILE = Path(__file__).with_name("seed_practices.json")


@lru_cache(maxsize=1)
def _document() -> dict[str, Any]:
    with SEED_FILE.open(encoding="utf-8") as fh:
        return json.load(fh)


def seed_entries() -> list[dict[str, Any]]:
    """All seed practices, source-based first, as values for :func:`repository.create_practice` (approved).

    A practice's provenance is its ``provenance`` texts (keys of the file's ``provenance_texts``) and its
    ``provenance_note``, joined by spaces."""
    doc = _document()
    texts = doc["provenance_texts"]
    out = []
    for entry in doc["practices"]:
        values = {k: v for k, v in entry.items() if k != "provenance_note"}
        parts = [texts[key] for key in entry["provenance"]]
        if entry.get("provenance_note"):
            parts.append(entry["provenance_note"])
        values.update(provenance=" ".join(parts), illustrative=bool(entry["illustrative"]), status="approved",
                      language="en")
        out.append(values)
    return out


def seed(url: str | None = None, *, regions: Regions) -> int:
    """Insert the seed practices that are missing; return how many were added (0 when already seeded).

    A practice of a region that is not in ``regions`` (a dataset without it) is skipped."""
    with db.session_scope(url) as s:
        present = set(s.scalars(select(Practice.seed_key).where(Practice.seed_key.is_not(None))).all())
    added = 0
    for entry in seed_entries():
        if entry["seed_key"] in present:
            continue
        if entry["region_id"] not in regions:
            log.warning("seed practice %s skipped: region %s is not in the loaded data",
                        entry["seed_key"], entry["region_id"])
            continue
        try:
            repository.create_practice(entry, regions=regions, url=url)
            added += 1
        except IntegrityError:  # a concurrent seeder inserted the same key first: fine
            continue
    return added
