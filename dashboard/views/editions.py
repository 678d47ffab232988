"""Editions on screen and in files (pure): which edition a view shows (``edition=2024``) and which earlier
edition a change is measured from (``since=2021``), read from the URL through :mod:`dashboard.query`
(lenient on pages, strict for exports), and the numbers of the change.

With one edition (the embedded data: 2021) nothing here adds anything to a page: :attr:`EditionChoice.several`
is False, the parsers ignore ``edition``/``since`` values that name the one edition and drop others with a
note, and the source line states the edition.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from dashboard import query, scoring
from dashboard.data import Dataset
from dashboard.i18n import _


@dataclass(frozen=True)
class EditionChoice:
    """The edition shown, the earlier edition a change is measured from (None: no change), plain-words notes
    for values that had to fall back, and every edition of the data (oldest first)."""

    edition: int | None
    since: int | None = None
    editions: tuple[int, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def several(self) -> bool:
        """Whether the data have two or more editions (only then do the pages offer a choice)."""
        return len(self.editions) >= 2

    @property
    def latest(self) -> int | None:
        return self.editions[-1] if self.editions else None

    def params(self) -> dict[str, str]:
        """The URL keys of this choice (``edition`` only when not the latest; ``since`` when set)."""
        out: dict[str, str] = {}
        if self.edition is not None and self.edition != self.latest:
            out["edition"] = str(self.edition)
        if self.since is not None:
            out["since"] = str(self.since)
        return out


def parse_editions(dataset: Dataset, edition: Any = None, since: Any = None, strict: bool = False) -> EditionChoice:
    """``edition``/``since`` as given in a URL or a command → an :class:`EditionChoice`.

    Lenient (pages): an edition the data do not have falls back to the latest with a note; a ``since`` that is
    not another edition is dropped with a note. Strict (exports): :class:`~dashboard.errors.UnknownOption`."""
    editions = tuple(dataset.editions)
    latest = editions[-1] if editions else dataset.edition
    if strict:
        shown = query.check_edition(edition, editions, latest)
        return EditionChoice(shown, query.check_since(since, editions, shown), editions)
    shown, note = query.parse_edition(edition, editions, latest)
    earlier, since_note = query.parse_since(since, editions, shown)
    return EditionChoice(shown, earlier, editions, tuple(n for n in (note, since_note) if n))


def from_params(dataset: Dataset, params: Mapping[str, Any] | None, strict: bool = True) -> EditionChoice:
    """:func:`parse_editions` of a request's parameters (``edition``, ``since``; first value of a repeated key)."""
    params = params or {}
    return parse_editions(dataset, query.first(params, query.EDITION_KEYS), query.first(params, query.SINCE_KEYS),
                          strict=strict)


def shown(dataset: Dataset, choice: EditionChoice) -> Dataset:
    """The dataset showing the chosen edition (the same object when it already does)."""
    if choice.edition is None or choice.edition == dataset.edition:
        return dataset
    return dataset.with_edition(choice.edition)


def change_label(since: int) -> str:
    """"Change since 2021", in the current language."""
    return _("Change since {edition}").format(edition=since)


def change_wide(dataset: Dataset, edition: int, since: int) -> pd.DataFrame:
    """region × dimension: the score of ``edition`` minus the score of ``since``, in points (NaN when either
    is missing); regions and dimensions as in ``wide_scores``."""
    now = dataset.with_edition(edition).wide_scores
    then = dataset.with_edition(since).wide_scores.reindex(index=now.index, columns=now.columns)
    return now - then


def change_table(dataset: Dataset, edition: int, since: int) -> pd.DataFrame:
    """:meth:`Dataset.scores_table` of ``edition`` with every dimension column replaced by the change since
    ``since`` (points): what the change map colours and ranks."""
    table = dataset.with_edition(edition).scores_table()
    change = change_wide(dataset, edition, since)
    dims = [d for d in scoring.DIMENSIONS if d in table.columns]
    table[dims] = change.reindex(index=table.index, columns=dims)
    return table


def profile_editions(dataset: Dataset, region_id: str, edition: int | None, since: int | None) -> tuple[
        pd.DataFrame, int | None]:
    """One region's scores in every edition, one row per dimension: ``dimension``, ``label``, a column per
    edition (``"2021"``, ``"2024"`` …) and ``change`` = shown edition minus the reference edition.

    The reference is ``since`` when given, else the edition just before the shown one (None when the shown
    edition is the oldest: no ``change`` column). Returns (table, reference edition)."""
    editions = list(dataset.editions)
    shown_ed = edition if edition is not None else (editions[-1] if editions else None)
    reference = since
    if reference is None and shown_ed in editions and editions.index(shown_ed) > 0:
        reference = editions[editions.index(shown_ed) - 1]
    dims = list(scoring.DIMENSIONS)
    table = pd.DataFrame({"dimension": dims, "label": [scoring.dimension_label(d) for d in dims]})
    for ed in editions:
        wide = dataset.with_edition(ed).wide_scores
        table[str(ed)] = [wide.at[region_id, d] if region_id in wide.index else float("nan") for d in dims]
    if reference is not None and shown_ed is not None:
        table["change"] = table[str(shown_ed)] - table[str(reference)]
    return table, reference
