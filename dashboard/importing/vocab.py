"""What a published table's words mean: dimension labels and keys, the names of region, dimension, score and
edition columns, context columns that are fine to ignore (pure).

Everything is compared in a *compact* form: folded (case and accents), ``&`` read as "and", every other
punctuation mark and space removed — so "Anti-discrimination", "antidiscrimination", "ANTI DISCRIMINATION" and
"area:antidiscrimination" all meet, and so do "Actors & relations", "actors_relations" and "Actors and relations".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from dashboard import scoring
from dashboard.tabular.limits import MAX_LABEL_CHARS

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_PAREN = re.compile(r"\s*\(([^)]*)\)\s*")


@lru_cache(maxsize=16384)
def _compact(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("&", " and ").replace("ß", "ss"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return _NON_ALNUM.sub("", plain)


def compact(text: object) -> str:
    """``"Social security & assistance"`` → ``"socialsecurityandassistance"``; ``"Área"`` → ``"area"``.
    Text over :data:`MAX_LABEL_CHARS` is not folded (it cannot be a name) and gives ``""``."""
    text = str(text)
    return "" if len(text) > MAX_LABEL_CHARS else _compact(text)


def _variants(label: str) -> set[str]:
    """A label, without its parenthesis, and the parenthesis alone: "Third-country nationals (TCN)" → three."""
    out = {compact(label)}
    inner = _PAREN.search(label)
    if inner:
        out.add(compact(_PAREN.sub(" ", label)))
        out.add(compact(inner.group(1)))
    return {v for v in out if v}


def _dimension_aliases() -> dict[str, str]:
    aliases: dict[str, str] = {}
    extra = {
        "overall": ("overall", "overall score", "total", "total score", "mipex-r", "mipex-r score", "overall mipex-r",
                    "mipexr overall"),
        "area:labour_market": ("labor market", "labour market mobility", "employment"),
        "area:antidiscrimination": ("anti discrimination", "non-discrimination", "discrimination"),
        "area:culture_religion": ("culture", "culture and religion", "religion"),
        "area:social_security": ("social security", "social assistance", "social security and assistance",
                                 "welfare"),
        "area:language": ("languages", "language learning"),
        "element:actors_relations": ("actors", "actors and relations", "actors relations"),
        "element:actions": ("action",),
        "phase:policy_output": ("output", "outputs", "policy outputs"),
        "phase:formulation": ("policy formulation",),
        "phase:implementation": ("policy implementation",),
        "phase:evaluation": ("policy evaluation", "monitoring and evaluation"),
        "target:TCN": ("third country nationals", "third-country nationals", "non-eu citizens"),
        "target:BIP": ("beneficiaries of international protection", "refugees", "international protection"),
    }
    for key in scoring.DIMENSIONS:
        suffix = key.split(":", 1)[-1]
        # the English labels (the module is built once, whatever the language of the request that imports it)
        words = {key, suffix, scoring.LABELS.english(suffix), scoring.SHORT_LABELS.english(suffix),
                 *extra.get(key, ())}
        for word in words:
            for variant in _variants(word):
                aliases.setdefault(variant, key)
    return aliases


#: compact alias → dimension key (``"labourmarket"`` → ``"area:labour_market"``).
DIMENSION_ALIASES: dict[str, str] = _dimension_aliases()
#: Words a column header may put before a dimension ("Area: Health", "Policy area – Health", "Phase Formulation").
_AXIS_PREFIXES = ("policyarea", "area", "governanceelement", "element", "governanceprocess", "policycycle", "phase",
                  "targetpopulation", "targetgroup", "target", "dimension", "score")


def dimension_key(text: object) -> str | None:
    """A dimension as a published table may write it (key, bare key, label, short label) → its key, or None."""
    return _dimension_key(compact(text))


@lru_cache(maxsize=4096)
def _dimension_key(key: str) -> str | None:
    if not key:
        return None
    if key in DIMENSION_ALIASES:
        return DIMENSION_ALIASES[key]
    for prefix in _AXIS_PREFIXES:
        if key.startswith(prefix) and key[len(prefix):] in DIMENSION_ALIASES:
            return DIMENSION_ALIASES[key[len(prefix):]]
    for suffix in ("score", "scores"):
        if key.endswith(suffix) and key[: -len(suffix)] in DIMENSION_ALIASES:
            return DIMENSION_ALIASES[key[: -len(suffix)]]
    return None


def _words(*names: str) -> frozenset[str]:
    return frozenset(compact(n) for n in names)


#: Headers of a column naming the regions (codes or names).
REGION_HEADERS = _words("region_id", "region", "regions", "region code", "region name", "nuts", "nuts id", "nuts code",
                        "nuts 2021", "nuts 2024", "nuts2021 id", "nuts2024 id", "nuts 2021 code", "nuts 2024 code",
                        "code", "geo", "geo code", "name", "name_en", "name_local", "english name", "local name",
                        "territory", "mipex region", "mipex-r region")
#: Headers of a region column that holds codes (preferred when a table has a code and a name column).
CODE_HEADERS = _words("region_id", "region code", "nuts", "nuts id", "nuts code", "nuts 2021", "nuts 2024",
                      "nuts2021 id", "nuts2024 id", "nuts 2021 code", "nuts 2024 code", "code", "geo", "geo code")
#: Headers of the dimension column of a long table.
DIMENSION_HEADERS = _words("dimension", "dimensions", "dimension key", "dimension label", "indicator", "measure",
                           "variable", "policy area", "axis", "category")
#: Headers of the score column of a long table.
SCORE_HEADERS = _words("score", "scores", "value", "points", "result", "mipex-r score")
#: Headers of an edition column.
EDITION_HEADERS = _words("edition", "year", "edition year", "wave", "release")
#: Context columns a published table may carry; read past without complaint.
CONTEXT_HEADERS = _words("country", "country code", "country name", "country_name", "nuts level", "nuts_level", "level",
                         "rank", "ranking", "position", "group", "classification", "notes", "note", "comment",
                         "comments", "source", "sources", "partner region", "partner_region", "label", "labels",
                         "nuts2024_ids", "aliases", "unit", "scale")
#: Region cells that are aggregates or notes, not regions ("Average", "All regions").
AGGREGATE_ROWS = _words("average", "mean", "median", "total", "all regions", "all", "eu average", "regional average",
                        "mipex-r average", "minimum", "maximum", "min", "max")


def header_kind(text: object) -> str | None:
    """What a header cell announces: ``"dimension"`` (a wide table's dimension column), ``"region"``,
    ``"dimension-column"``, ``"score"``, ``"edition"``, ``"context"`` or None."""
    key = compact(text)
    if not key:
        return None
    if key in REGION_HEADERS:
        return "region"
    if key in EDITION_HEADERS:
        return "edition"
    if key in SCORE_HEADERS:
        return "score"
    if key in DIMENSION_HEADERS:
        return "dimension-column"
    if dimension_key(text):
        return "dimension"
    if key in CONTEXT_HEADERS:
        return "context"
    return None


def split_codes(text: str) -> list[str]:
    """``"PT1A+PT1B"``, ``"PT1A; PT1B"``, ``"PT1A/PT1B"`` → the codes; anything else → []."""
    parts = [p.strip() for p in re.split(r"[+;/,&]", text) if p.strip()]
    if len(parts) > 1 and all(re.fullmatch(r"[A-Za-z]{2}[0-9A-Za-z]{1,3}", p) for p in parts):
        return parts
    return []
