"""Every URL and command-line parameter is read here (pure): the pages, the callbacks, the export routes,
the export links and the command line all call these functions, so one URL means one view everywhere.

Two modes over one core:

* *lenient* (``parse_*``): a page opened from a link never fails; an unknown value falls back to the
  default and a plain-words note says so;
* *strict* (``check_*``): an export or a command refuses an unknown value with :class:`UnknownOption`
  naming the value and what is allowed (HTTP 400, exit status 2).

Rules shared by both: a repeated key takes its **first** value (``?measure=a&measure=b`` → ``a``);
list values may be comma-, semicolon- or ``+``-separated and repeated keys are joined; region codes are
case-insensitive and resolved by the dataset (NUTS 2021 id, NUTS 2024 successor code or name).

The notes and messages are read by people: they are in the request's language (:mod:`dashboard.i18n`); the
query keys and values they quote are not translated.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from dashboard import i18n, scoring
from dashboard.errors import UnknownOption
from dashboard.i18n import N_, _

DEFAULT_MEASURE = "overall"
REGION_KEYS = ("region", "regions", "r", "ids")
MEASURE_KEYS = ("measure", "dimension")
COUNTRY_KEYS = ("country", "countries")
AREA_KEYS = ("area", "areas")
GROUP_KEYS = ("group", "groups")
SHOWN_MAX = 40  # characters of a bad value quoted back to the user


def shorten(value: Any, limit: int = SHOWN_MAX) -> str:
    """A value as quoted back in a message: at most ``limit`` characters."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def split_values(values: Any) -> list[str]:
    """``["A,B", "C"]`` / ``"A,B"`` / None → ``["A", "B", "C"]`` (blank parts dropped, order kept, no duplicates).

    Commas, semicolons and ``+`` all separate values."""
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    out: list[str] = []
    for value in values:
        for part in str(value).replace(";", ",").replace("+", ",").split(","):
            part = part.strip()
            if part and part not in out:
                out.append(part)
    return out


def one(value: Any) -> str | None:
    """A single query value: the first non-blank of a repeated key, stripped; None when absent or blank."""
    if isinstance(value, (list, tuple)):
        value = next((v for v in value if v not in (None, "") and str(v).strip()), None)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def first(params: Mapping[str, Any], keys: Sequence[str]) -> str | None:
    """The first non-blank value among ``keys`` (aliases, in order of preference)."""
    for key in keys:
        value = one(params.get(key))
        if value is not None:
            return value
    return None


def many(params: Mapping[str, Any], keys: Sequence[str]) -> list[str]:
    """Every value of ``keys`` (aliases), split and de-duplicated, in order."""
    out: list[str] = []
    for key in keys:
        for v in split_values(params.get(key)):
            if v not in out:
                out.append(v)
    return out


def parse_search(search: str | None) -> dict[str, list[str]]:
    """``"?a=1&b=2&b=3"`` → ``{"a": ["1"], "b": ["2", "3"]}`` (the shape Flask's ``request.args`` lists)."""
    from urllib.parse import parse_qs

    return parse_qs((search or "").lstrip("?"), keep_blank_values=False)


# --------------------------------------------------------------------------------------------
# Measures (dimension keys)
# --------------------------------------------------------------------------------------------

def measure_key(value: Any) -> str | None:
    """``"area:health"``, ``"health"`` (a bare area) or ``"overall"`` → the dimension key; None if unknown."""
    text = one(value)
    if text is None:
        return None
    if text in scoring.DIMENSIONS:
        return text
    if f"area:{text}" in scoring.DIMENSIONS:
        return f"area:{text}"
    return None


def parse_measure(value: Any, default: str = DEFAULT_MEASURE) -> tuple[str, str | None]:
    """Lenient: (valid dimension key, note or None). Missing → ``default`` silently; unknown → ``default``
    with a note naming the value."""
    text = one(value)
    if text is None:
        return default, None
    key = measure_key(text)
    if key is not None:
        return key, None
    measure = i18n.in_sentence(scoring.dimension_label(default))
    return default, _("The link asked for the measure “{value}”, which does not exist; showing the {measure} "
                      "instead.").format(value=shorten(text, 60), measure=measure)


def check_measure(value: Any, default: str | None = DEFAULT_MEASURE) -> str | None:
    """Strict: the dimension key, ``default`` when absent; :class:`UnknownOption` when unknown."""
    text = one(value)
    if text is None:
        return default
    key = measure_key(text)
    if key is None:
        raise UnknownOption(_("unknown measure {value}; expected one of: {allowed}").format(
            value=repr(shorten(text)), allowed=", ".join(scoring.DIMENSIONS)))
    return key


# --------------------------------------------------------------------------------------------
# Regions
# --------------------------------------------------------------------------------------------

Resolver = Callable[[str], "str | None"]


def parse_regions(values: Any, resolve: Resolver, maximum: int | None = None,
                  name: Callable[[str], str] | None = None) -> tuple[list[str], list[str]]:
    """Lenient: (known region ids in the given order, no duplicates, at most ``maximum``; notes).

    ``resolve`` maps a typed code or name to a region id or None (``Dataset.resolve_region``).
    Unknown values are dropped and named in a note; extra regions are cut, with a note."""
    notes: list[str] = []
    known: list[str] = []
    unknown: list[str] = []
    for token in split_values(values):
        rid = resolve(token)
        if rid is None:
            unknown.append(token)
        elif rid not in known:
            known.append(rid)
    if unknown:
        shown = ", ".join(shorten(u) for u in unknown[:6]) + (" …" if len(unknown) > 6 else "")
        notes.append(_("Unknown region code(s) in the link, left out: {codes}.").format(codes=shown))
    if maximum is not None and len(known) > maximum:
        dropped = [name(r) if name else r for r in known[maximum:]]
        if len(dropped) > 3:
            shown = _("{regions} and {n} more").format(regions=", ".join(dropped[:3]), n=len(dropped) - 3)
        else:
            shown = ", ".join(dropped)
        notes.append(_("At most {n} regions can be compared; left out: {regions}.").format(n=maximum, regions=shown))
        known = known[:maximum]
    return known, notes


def parse_region(value: Any, resolve: Resolver) -> tuple[str | None, str | None]:
    """Lenient, one region: (id or None, note when a value was given but is not a loaded region)."""
    text = one(value)
    if text is None:
        return None, None
    rid = resolve(text)
    if rid is not None:
        return rid, None
    return None, _("The link asked for the region “{value}”, which is not in the loaded data; no region is "
                   "selected.").format(value=shorten(text))


def check_regions(values: Iterable[str], resolve: Resolver, minimum: int = 0, maximum: int | None = None,
                  what: str = N_("this export"), known_ids: Iterable[str] = ()) -> list[str]:
    """Strict: region ids; :class:`UnknownOption` names an unknown value (and the valid ids) or a wrong count.
    ``what`` names the export in English (N_-marked); the message shows it translated."""
    out: list[str] = []
    for raw in values:
        rid = resolve(str(raw))
        if rid is None:
            listed = ", ".join(sorted(known_ids))
            if listed:
                raise UnknownOption(_("unknown region {value}; known region ids: {ids}").format(
                    value=repr(shorten(raw)), ids=listed))
            raise UnknownOption(_("unknown region {value}").format(value=repr(shorten(raw))))
        if rid not in out:
            out.append(rid)
    what = _(what)
    if len(out) < minimum:
        if maximum is None or maximum != minimum:
            message = _("{what} needs at least {n} region(s) (--region ID / ?region=ID); got {got}")
        else:
            message = _("{what} needs at least exactly {n} region(s) (--region ID / ?region=ID); got {got}")
        raise UnknownOption(message.format(what=what, n=minimum, got=len(out)))
    if maximum is not None and len(out) > maximum:
        raise UnknownOption(_("{what} takes at most {n} regions; got {got}").format(what=what, n=maximum,
                                                                                     got=len(out)))
    return out


# --------------------------------------------------------------------------------------------
# Axis, countries, groups, areas, target
# --------------------------------------------------------------------------------------------

def radar_axes() -> list[str]:
    """Axes with at least three dimensions (a radar needs three spokes): area, element, phase."""
    return [a for a, keys in scoring.AXES.items() if len(keys) >= 3]


def check_axis(value: Any, default: str | None = None, radar: bool = False) -> str | None:
    text = one(value)
    if text is None:
        return default
    allowed = radar_axes() if radar else list(scoring.AXES)
    if text not in allowed:
        raise UnknownOption(_("unknown axis {value}; expected one of: {allowed}").format(
            value=repr(shorten(text)), allowed=", ".join(allowed)))
    return text


def check_countries(values: Iterable[str], known: Iterable[str]) -> list[str]:
    known = set(known)
    out: list[str] = []
    for c in values:
        code = str(c).strip().upper()
        if code not in known:
            raise UnknownOption(_("unknown country {value}; expected one of: {allowed}").format(
                value=repr(shorten(c)), allowed=", ".join(sorted(known))))
        if code not in out:
            out.append(code)
    return out


def check_groups(values: Iterable[str]) -> list[str]:
    out: list[str] = []
    for g in values:
        key = str(g).strip().lower()
        if key not in scoring.GROUPS:
            raise UnknownOption(_("unknown group {value}; expected one of: {allowed}").format(
                value=repr(shorten(g)), allowed=", ".join(scoring.GROUPS)))
        if key not in out:
            out.append(key)
    return out


def area_key(value: str) -> str | None:
    """``"health"`` / ``"area:health"`` → ``"health"``; None if not a policy area."""
    key = value.split(":", 1)[1] if value.startswith("area:") else value
    return key if key in scoring.AREAS else None


def target_key(value: Any) -> str | None:
    """``"tcn"`` / ``"TCN"`` / ``"target:BIP"`` → ``"TCN"`` / ``"BIP"``; None if not a target group."""
    text = one(value)
    if text is None:
        return None
    text = text.split(":", 1)[1] if text.lower().startswith("target:") else text
    return {"tcn": "TCN", "bip": "BIP"}.get(text.lower())


# --------------------------------------------------------------------------------------------
# Editions (``edition=2024`` shown, ``since=2021`` the earlier edition a change is measured from)
# --------------------------------------------------------------------------------------------

EDITION_KEYS = ("edition",)
SINCE_KEYS = ("since",)
#: The "no change" value of a ``since`` control (the same as leaving ``since`` out).
NO_SINCE = "none"


def _year(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() and len(text) == 4 else None


def parse_edition(value: Any, editions: Sequence[int], default: int | None) -> tuple[int | None, str | None]:
    """Lenient: (the edition to show, note or None). Missing → ``default`` silently; an edition the data do
    not have → ``default`` with a note naming the value and the editions there are."""
    text = one(value)
    if text is None or not editions:
        return default, None
    year = _year(text)
    if year in editions:
        return year, None
    have = ", ".join(map(str, editions))
    return default, _("The link asked for the edition “{value}”, which the data do not have ({editions}); "
                      "showing {default} instead.").format(value=shorten(text), editions=have, default=default)


def check_edition(value: Any, editions: Sequence[int], default: int | None) -> int | None:
    """Strict: the edition, ``default`` when absent; :class:`UnknownOption` naming the editions there are."""
    text = one(value)
    if text is None:
        return default
    year = _year(text)
    if year is None or year not in editions:
        have = ", ".join(map(str, editions)) or _("none")
        raise UnknownOption(_("unknown edition {value}; the data have: {editions}").format(
            value=repr(shorten(text)), editions=have))
    return year


def parse_since(value: Any, editions: Sequence[int], edition: int | None) -> tuple[int | None, str | None]:
    """Lenient: (the earlier edition a change is measured from, or None; note). It must be another edition
    of the data than ``edition``; anything else is dropped with a note; ``none`` means no change."""
    text = one(value)
    if text is None or not editions or text.lower() == NO_SINCE:
        return None, None
    year = _year(text)
    if year in editions and year != edition:
        return year, None
    if year == edition:
        return None, _("The change since {edition} is not shown: {edition} is the edition shown.").format(
            edition=year)
    others = ", ".join(str(e) for e in editions if e != edition) or _("none")
    return None, _("The link asked for the change since “{value}”, an edition the data do not have "
                   "(other editions: {editions}); no change is shown.").format(value=shorten(text), editions=others)


def check_since(value: Any, editions: Sequence[int], edition: int | None) -> int | None:
    """Strict: the edition a change is measured from (None when absent); :class:`UnknownOption` when it is
    not another edition of the data (``none``: no change)."""
    text = one(value)
    if text is None or text.lower() == NO_SINCE:
        return None
    year = _year(text)
    if year is None or year not in editions or year == edition:
        others = ", ".join(str(e) for e in editions if e != edition) or _("none")
        raise UnknownOption(_("unknown edition {value} for 'since'; it must be another edition than the one "
                              "shown ({edition}); other editions: {editions}").format(
            value=repr(shorten(text)), edition=edition, editions=others))
    return year


#: The query key of a table's column sort (``tsort=<column id>:asc|desc``; a column id may hold ":").
TABLE_SORT_KEY = "tsort"
TABLE_SORT_ORDERS = ("asc", "desc")


def parse_table_sort(value: Any, columns: Iterable[str]) -> tuple[str, str] | None:
    """``tsort`` from a URL (``overall:desc``) → ``(column id, order)`` when the column is one of ``columns``
    and the order asc/desc; anything else → None (the table opens unsorted: a stale link still opens)."""
    text = one(value)
    if not text or ":" not in text:
        return None
    column, order = text.rsplit(":", 1)
    if order not in TABLE_SORT_ORDERS or column not in set(columns):
        return None
    return column, order

