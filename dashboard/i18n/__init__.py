"""One translation function for everything a person reads: ``_("text")``, in the language of the current request.

The catalogs are gettext files managed by Babel (``dashboard/translations/<lang>/LC_MESSAGES/messages.po``,
compiled to ``.mo``; ``scripts/i18n.sh`` extracts, updates, compiles and checks them). English is the
source language: message ids are the English texts, so English needs no catalog.

How the language is chosen (``dashboard.i18n.web`` does it per request; tests and the CLI use ``use``):

1. ``?lang=sv`` on the request itself (pages, exports, briefs);
2. ``lang=`` in the page's URL, read from the ``Referer`` of a callback or layout request (Dash's own
   requests carry no query string, but the browser names the page that sent them);
3. the browser's ``Accept-Language``;
4. English.

Rules for code that shows text:

* ``_("Overall score")`` at the moment the text is shown, never at import time (a module constant would
  freeze one language for every visitor). Module constants are marked with ``N_("…")`` for the extractor
  and translated where they are shown: ``_(LABELS[key])``.
* Placeholders are named and filled after translation: ``_("{n} regions").format(n=25)``; a translator can
  move them, and ``tests/test_i18n.py`` fails when a translation loses or renames one.
* Plurals: ``ngettext("{n} region", "{n} regions", n).format(n=n)``.
* Numbers and dates go through ``number``/``decimal``/``date`` here (Babel's locale data): "56,5" in
  French, "56.5" in English.
"""

from __future__ import annotations

import contextvars
import gettext as _gettext
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date as _date
from datetime import datetime as _datetime
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel import dates as _bdates
from babel import numbers as _bnumbers

TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "translations"
DOMAIN = "messages"
DEFAULT = "en"

#: The eight languages of the REGIN questionnaire, each named in its own language (what the switch shows).
LANGUAGES: dict[str, str] = {
    "en": "English",
    "fr": "Français",
    "de": "Deutsch",
    "es": "Español",
    "it": "Italiano",
    "el": "Ελληνικά",
    "pt": "Português",
    "sv": "Svenska",
}

_current: contextvars.ContextVar[str] = contextvars.ContextVar("mipexr_lang", default=DEFAULT)


def normalise(value: object) -> str | None:
    """``"sv"``, ``"sv-SE"``, ``"SV_se"`` → ``"sv"``; anything not offered → None."""
    if not isinstance(value, str):
        return None
    code = value.strip().replace("_", "-").split("-", 1)[0].lower()[:8]
    return code if code in LANGUAGES else None


def current() -> str:
    """The language code of the text being made now (``"en"`` outside any request)."""
    return _current.get()


def set_current(lang: str | None) -> contextvars.Token:
    """Set the language for the rest of this context (a request); returns the token to reset it."""
    return _current.set(normalise(lang) or DEFAULT)


def reset(token: contextvars.Token) -> None:
    _current.reset(token)


@contextmanager
def use(lang: str | None) -> Iterator[str]:
    """``with use("sv"): ...`` makes text in Swedish inside the block (CLI, export jobs, tests)."""
    token = set_current(lang)
    try:
        yield current()
    finally:
        _current.reset(token)


@lru_cache(maxsize=None)
def translations(lang: str) -> _gettext.NullTranslations:
    """The compiled catalog of ``lang`` (read once per process; English and a missing catalog: identity)."""
    if lang == DEFAULT:
        return _gettext.NullTranslations()
    mo = TRANSLATIONS_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
    if not mo.is_file():
        return _gettext.NullTranslations()
    with mo.open("rb") as fh:
        return _gettext.GNUTranslations(fh)


def gettext(message: str) -> str:
    """``message`` in the current language; the English text itself when no translation exists."""
    if not message:
        return message
    return translations(current()).gettext(message)


_ = gettext


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n`` in the current language."""
    return translations(current()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` translated within ``context`` (one English word, two meanings)."""
    return translations(current()).pgettext(context, message)


def N_(message: str) -> str:
    """Marks a module-level text for the extractor without translating it (translate it where shown)."""
    return message


class Labels(Mapping[str, str]):
    """A module-level ``{key: N_("English label")}`` table that answers in the current language.

    ``LABELS["health"]`` → "Santé" in a French request; ``.english(key)`` gives the source text (file
    column names that must not change with the language use it). Iteration order and keys are those given.
    """

    def __init__(self, source: Mapping[str, str] | None = None, /, **more: str):
        self._source = dict(source or {}, **more)

    def __getitem__(self, key: str) -> str:
        return gettext(self._source[key])

    def __iter__(self):
        return iter(self._source)

    def __len__(self) -> int:
        return len(self._source)

    def __contains__(self, key: object) -> bool:
        return key in self._source

    def __or__(self, other: Mapping[str, str]) -> Labels:
        merged = Labels(self._source)
        merged._source.update(other._source if isinstance(other, Labels) else other)
        return merged

    def english(self, key: str) -> str:
        return self._source[key]

    def __repr__(self) -> str:
        return f"Labels({self._source!r})"


def in_sentence(label: str) -> str:
    """A label as it reads inside a sentence: its first letter in lower case ("the overall score", "santé"),
    except German nouns ("Gesundheit") and a label that starts with an abbreviation ("EU", "TCN")."""
    if not label or current() == "de" or (len(label) > 1 and label[1].isupper()):
        return label
    return label[0].lower() + label[1:]


@lru_cache(maxsize=16)
def _parse_locale(lang: str) -> Locale:
    return Locale.parse(lang)


def locale(lang: str | None = None) -> Locale:
    """Babel's locale data of ``lang`` (default: the current language)."""
    return _parse_locale(lang or current())


def _missing(value: object) -> bool:
    """None, NaN (float or numpy) or pandas' NA (whose comparisons are neither true nor false)."""
    if value is None:
        return True
    try:
        return bool(value != value)
    except TypeError:
        return True


def number(value: float | int | None, digits: int = 0, missing: str = "–") -> str:
    """``value`` with ``digits`` decimals in the current language's notation ("1 234,5" in French); ``missing``
    for None, NaN or pandas' NA."""
    if _missing(value):
        return missing
    if value == 0:
        value = 0  # -0.0 and 0.0 are equal keys of the memo: both print as "0"
    try:
        return _decimal(value, digits, current())
    except TypeError:  # an unhashable number type: formatted without the memo
        return _decimal.__wrapped__(value, digits, current())


@lru_cache(maxsize=16384)
def _decimal(value, digits: int, lang: str) -> str:
    """Babel's notation of a number (memoised: Babel takes ~0.1 ms a number, and pages print the same scores
    hundreds of times; equal numbers give the same text, so ``1`` and ``1.0`` may share an entry)."""
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return _bnumbers.format_decimal(value, format=pattern, locale=locale(lang))


def percent(value: float | None, digits: int = 0, missing: str = "–") -> str:
    """A share 0–1 as a percentage in the current language ("12 %" in French)."""
    if _missing(value):
        return missing
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "") + "%"
    return _bnumbers.format_percent(value, format=pattern, locale=locale())


def date(value: _date | _datetime | str | None, format: str = "medium", missing: str = "–") -> str:
    """A date in the current language ("3 déc. 2026")."""
    if value in (None, ""):
        return missing
    if isinstance(value, str):
        try:
            value = _date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, _datetime):
        value = value.date()
    return _bdates.format_date(value, format=format, locale=locale())


def separators() -> str:
    """plotly's ``layout.separators`` for the current language: decimal mark then thousands mark."""
    loc = locale()
    decimal = _bnumbers.get_decimal_symbol(loc)
    group = _bnumbers.get_group_symbol(loc)
    # plotly takes one character each; a narrow no-break space is drawn as a thin space
    return (decimal[:1] or ".") + (group[:1] or ",")


def country_name(code: str, fallback: str | None = None) -> str:
    """A country's name in the current language, from Babel's locale data ("Suède" for SE in French)."""
    key = {"EL": "GR", "UK": "GB"}.get(code.upper(), code.upper()) if code else code
    name = locale().territories.get(key) if key else None
    return name or fallback or code


#: The language a region's own name is written in, by country (and by region where a country has several).
_REGION_LANGUAGE_BY_COUNTRY = {"AT": "de", "DE": "de", "IT": "it", "PT": "pt", "ES": "es", "SE": "sv",
                               "FR": "fr", "EL": "el", "GR": "el", "CY": "el", "LU": "fr"}
_REGION_LANGUAGE_BY_PREFIX = {"BE3": "fr", "BE1": "fr", "BE2": "nl", "ITC2": "it", "CH0": "de"}


def region_language(region_id: str, country: str | None = None) -> str | None:
    """The language of a region's own name (``"pt"`` for PT20), or None when unknown."""
    for prefix, lang in _REGION_LANGUAGE_BY_PREFIX.items():
        if region_id.startswith(prefix):
            return lang
    return _REGION_LANGUAGE_BY_COUNTRY.get((country or region_id[:2]).upper())


def region_name(region_id: str, name_en: str, name_local: str | None = None, country: str | None = None) -> str:
    """The region's local name when the current language is the region's own ("Região Autónoma dos Açores"
    in Portuguese), else its English name (the name every other language's readers know it by in MIPEX-R)."""
    if name_local and region_language(region_id, country) == current() != DEFAULT:
        return name_local
    return name_en


__all__ = ["LANGUAGES", "DEFAULT", "Labels", "N_", "_", "current", "date", "gettext", "ngettext", "number", "percent",
           "pgettext", "region_name", "in_sentence", "separators", "set_current", "use", "country_name", "normalise"]
