"""Server-side validation of a practice submission (the contribution questionnaire).

:func:`validate_submission` takes what a client sent (a JSON object, an HTML form as a dict of
lists, or the Dash form's values) and returns clean values, or raises :class:`SubmissionInvalid`
naming every field with its problem. Nothing is silently dropped: unknown fields are refused too.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlparse

from dashboard.errors import InputError, InputErrors
from dashboard.lab.vocab import ASPECTS, CONTRIBUTION_MODES, LANGUAGES, POLICY_AREAS, TARGET_GROUPS, Regions

FORM_NAME = "practice submission"
MAX_LINKS = 10
MIN_YEAR = 1990

#: (min length, max length) of each text field; min 0 = optional.
TEXT_LIMITS: dict[str, tuple[int, int]] = {
    "title": (5, 200),
    "responsible_body": (3, 300),
    "description": (30, 10_000),
    "regional_contribution": (10, 5_000),
    "lessons_learnt": (10, 5_000),
    "transferability_tips": (10, 5_000),
    "provenance": (5, 1_000),
    "submitter_name": (0, 200),
    "submitter_email": (0, 254),
    "submitter_organisation": (0, 300),
}
ASPECT_TEXT_MAX = 3_000

#: Field → question text, in questionnaire order (the form and the error messages use these).
FIELD_LABELS: dict[str, str] = {
    "title": "Title of the practice",
    "region_id": "Region",
    "year_start": "Start year",
    "year_end": "End year",
    "policy_areas": "Policy area(s)",
    "target_group": "Target group",
    "responsible_body": "Responsible body",
    "description": "Description",
    "regional_contribution": "What the regional authority contributed",
    "contribution_mode": "How the region contributed",
    "lessons_learnt": "Lessons learnt",
    "transferability_tips": "Tips for transferability",
    "aspects": "Assessment on the 7 aspects",
    **{
        f"aspect_{key}_{part}": f"{label}: {'inspiring element' if part == 'inspiring' else 'room for improvement'}"
        for key, label in ASPECTS.items()
        for part in ("inspiring", "improvement")
    },
    "links": "Links",
    "provenance": "Source of this information",
    "language": "Language of the answers",
    "submitter_name": "Your name",
    "submitter_email": "Your e-mail",
    "submitter_organisation": "Your organisation",
    "consent": "Consent to publication",
}

ASPECT_FIELDS = tuple(f"aspect_{key}_{part}" for key in ASPECTS for part in ("inspiring", "improvement"))
KNOWN_FIELDS = frozenset(FIELD_LABELS)
_IGNORED_FIELDS = frozenset({"submit", "csrf_token", "_csrf"})
_TRUE = {"1", "true", "yes", "on", "y"}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class SubmissionInvalid(InputErrors):
    """A refused submission: ``field_errors`` maps each field to its problem (plain words)."""

    def __init__(self, field_errors: Mapping[str, str]):
        self.field_errors: dict[str, str] = dict(field_errors)
        super().__init__([InputError(FORM_NAME, msg, column=field) for field, msg in self.field_errors.items()])

    def as_dict(self) -> dict[str, Any]:
        return {
            "error": "The practice was not stored: please correct the fields listed.",
            "errors": self.field_errors,
        }


def clean_text(value: Any) -> str:
    """Text as stored: NFC, Windows/Mac newlines unified, control characters (incl. NUL) removed, trimmed."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = "\n".join(str(v) for v in value if v is not None)
    text = unicodedata.normalize("NFC", str(value)).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip()


def _single(value: Any) -> Any:
    """One value from a possibly multi-valued form field (a 1-element list becomes its element)."""
    if isinstance(value, (list, tuple)) and len(value) == 1:
        return value[0]
    return value


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in re.split(r"[;,\n]", value) if v.strip()]
    if isinstance(value, Iterable):
        out: list[str] = []
        for v in value:
            out.extend(_as_list(v) if isinstance(v, str) else [str(v)])
        return out
    return [str(value)]


def _links_list(value: Any) -> list[str]:
    """Links as sent: one text with one address per line (or space-separated), or a list of texts."""
    if value is None:
        return []
    items = [value] if isinstance(value, str) else list(value) if isinstance(value, Iterable) else [value]
    out: list[str] = []
    for item in items:
        out.extend(v for v in re.split(r"\s+", clean_text(item)) if v)
    return out


def _year(value: Any, field: str, errors: dict[str, str], *, required: bool) -> int | None:
    value = _single(value)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors[field] = "is required (a year such as 2021)"
        return None
    if isinstance(value, bool):
        errors[field] = "must be a year such as 2021"
        return None
    try:
        number = float(str(value).strip()) if not isinstance(value, (int, float)) else float(value)
    except ValueError:
        errors[field] = f"must be a year such as 2021, not {str(value)[:20]!r}"
        return None
    if number != int(number):
        errors[field] = "must be a whole year such as 2021"
        return None
    year = int(number)
    this_year = dt.date.today().year
    upper = this_year + 1 if field == "year_start" else this_year + 10
    if not MIN_YEAR <= year <= upper:
        errors[field] = f"must be between {MIN_YEAR} and {upper}"
        return None
    return year


def _flatten_aspects(data: dict[str, Any], errors: dict[str, str]) -> None:
    """Turn a nested ``aspects`` object into the flat ``aspect_<key>_<part>`` fields."""
    nested = data.pop("aspects", None)
    if nested is None:
        return
    if not isinstance(nested, Mapping):
        errors["aspects"] = "must be an object {aspect: {inspiring: text, improvement: text}}"
        return
    for key, parts in nested.items():
        if key not in ASPECTS:
            errors["aspects"] = f"unknown aspect {key!r}; known: {', '.join(ASPECTS)}"
            continue
        if isinstance(parts, str):
            parts = {"inspiring": parts}
        if not isinstance(parts, Mapping):
            errors["aspects"] = f"aspect {key!r} must be an object with 'inspiring' and 'improvement' texts"
            continue
        for part, text in parts.items():
            if part not in ("inspiring", "improvement"):
                errors["aspects"] = f"aspect {key!r}: unknown part {part!r} (use 'inspiring' and 'improvement')"
                continue
            data.setdefault(f"aspect_{key}_{part}", text)


def validate_submission(raw: Mapping[str, Any], *, regions: Regions) -> dict[str, Any]:
    """Check a submission; return the clean values or raise :class:`SubmissionInvalid` with every problem.

    The region may be typed as any code or name ``regions`` resolves (the app's region registry)."""
    if not isinstance(raw, Mapping):
        raise SubmissionInvalid({"form": "the submission must be an object of fields"})
    data = {str(k): v for k, v in raw.items() if str(k) not in _IGNORED_FIELDS}
    errors: dict[str, str] = {}
    _flatten_aspects(data, errors)

    unknown = sorted(k for k in data if k not in KNOWN_FIELDS)
    for key in unknown:
        errors[key] = "is not a field of the questionnaire"

    clean: dict[str, Any] = {}

    for field, (lo, hi) in TEXT_LIMITS.items():
        value = _single(data.get(field))
        if isinstance(value, (list, tuple)):
            errors[field] = "must be a single text"
            continue
        if value is not None and not isinstance(value, (str, int, float)):
            errors[field] = "must be text"
            continue
        text = clean_text(value)
        if lo and not text:
            errors[field] = "is required"
        elif lo and len(text) < lo:
            errors[field] = f"is too short: at least {lo} characters (now {len(text)})"
        elif len(text) > hi:
            errors[field] = f"is too long: at most {hi} characters (now {len(text)})"
        clean[field] = text

    email = clean.get("submitter_email", "")
    if email and "submitter_email" not in errors and not _EMAIL.match(email):
        errors["submitter_email"] = "does not look like an e-mail address (name@example.org)"

    region_raw = clean_text(_single(data.get("region_id")))
    if not region_raw:
        errors["region_id"] = "is required (choose one of the MIPEX-R regions)"
    else:
        rid = regions.resolve(region_raw)
        if rid is None:
            errors["region_id"] = (f"{region_raw[:40]!r} is not one of the MIPEX-R regions "
                                   "(use its NUTS code, e.g. ES51)")
        else:
            clean["region_id"] = rid
            clean["country"] = regions.country_of(rid)

    clean["year_start"] = _year(data.get("year_start"), "year_start", errors, required=True)
    clean["year_end"] = _year(data.get("year_end"), "year_end", errors, required=False)
    if clean["year_start"] is not None and clean["year_end"] is not None and clean["year_end"] < clean["year_start"]:
        errors["year_end"] = f"must not be before the start year ({clean['year_start']})"

    areas = _as_list(data.get("policy_areas"))
    bad = [a for a in areas if a not in POLICY_AREAS]
    if not areas:
        errors["policy_areas"] = "choose at least one policy area"
    elif bad:
        errors["policy_areas"] = (f"unknown policy area(s) {', '.join(repr(b) for b in bad)}; "
                                  f"known: {', '.join(POLICY_AREAS)}")
    clean["policy_areas"] = sorted(set(areas) & set(POLICY_AREAS), key=list(POLICY_AREAS).index)

    for field, vocab, what in (
        ("target_group", TARGET_GROUPS, "target group"),
        ("contribution_mode", CONTRIBUTION_MODES, "contribution mode"),
    ):
        value = clean_text(_single(data.get(field)))
        if not value:
            errors[field] = f"is required: one of {', '.join(vocab)}"
        elif value not in vocab:
            errors[field] = f"{value[:30]!r} is not a {what}; use one of {', '.join(vocab)}"
        clean[field] = value

    language = clean_text(_single(data.get("language"))) or "en"
    if language not in LANGUAGES:
        errors["language"] = f"{language[:10]!r} is not offered; use one of {', '.join(LANGUAGES)}"
    clean["language"] = language

    aspects: dict[str, dict[str, str]] = {}
    for key in ASPECTS:
        parts = {}
        for part in ("inspiring", "improvement"):
            field = f"aspect_{key}_{part}"
            text = clean_text(_single(data.get(field)))
            if len(text) > ASPECT_TEXT_MAX:
                errors[field] = f"is too long: at most {ASPECT_TEXT_MAX} characters (now {len(text)})"
            parts[part] = text
        aspects[key] = parts
    if not any(p["inspiring"] for p in aspects.values()) and "aspects" not in errors:
        errors["aspects"] = "describe the inspiring element of at least one of the 7 aspects"
    clean["aspects"] = aspects

    links = _links_list(data.get("links"))
    if len(links) > MAX_LINKS:
        errors["links"] = f"at most {MAX_LINKS} links (now {len(links)})"
    for link in links:
        parsed = urlparse(link)
        if parsed.scheme not in ("http", "https") or not parsed.netloc or len(link) > 500:
            errors["links"] = f"{link[:60]!r} is not a web address starting with http:// or https://"
            break
    clean["links"] = list(dict.fromkeys(links))

    consent = _single(data.get("consent"))
    if not (consent is True or str(consent).strip().lower() in _TRUE):
        errors["consent"] = "please confirm that the answers may be published in the Integration Lab"

    if errors:
        order = list(FIELD_LABELS)
        ordered = dict(sorted(errors.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order)))
        raise SubmissionInvalid(ordered)
    return clean


def describe_errors(field_errors: Mapping[str, str]) -> list[str]:
    """Plain-language lines ("Title of the practice: is required") for a summary box."""
    return [f"{FIELD_LABELS.get(field, field)}: {msg}" for field, msg in field_errors.items()]
