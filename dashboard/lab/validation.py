"""Server-side validation of a practice submission (the contribution questionnaire).

:func:`validate_submission` takes what a client sent (a JSON object, an HTML form as a dict of
lists, or the Dash form's values) and returns clean values, or raises :class:`SubmissionInvalid`
naming every field with its problem. Nothing is silently dropped: unknown fields are refused too.
Any input costs time linear in its size and ends in one of those two outcomes (property-tested with
Hypothesis): clean texts are NFC, without control characters or lone surrogates, and within
:data:`TEXT_LIMITS`; error messages are short, one per field, and at most :data:`MAX_UNKNOWN` unknown
fields are named.

The honeypot field (:data:`HONEYPOT_FIELD`) is not a question: the form hides it from people, so a
value in it marks a robot (:func:`honeypot_filled`); validation ignores it.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlparse

from dashboard.errors import InputError, InputErrors
from dashboard.lab.vocab import (
    ASPECTS,
    CONTRIBUTION_MODES,
    LANGUAGES,
    POLICY_AREAS,
    TARGET_GROUPS,
    Regions,
)

FORM_NAME = "practice submission"
MAX_LINKS = 10
MAX_UNKNOWN = 20  # unknown fields named one by one; more are summed up in one line
#: The honeypot: a field people never see (hidden from sight and from screen readers) that robots fill in.
HONEYPOT_FIELD = "website"
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
_IGNORED_FIELDS = frozenset({"submit", "csrf_token", "_csrf", HONEYPOT_FIELD})
_TRUE = {"1", "true", "yes", "on", "y"}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # C0 (but tab and newline), DEL, C1
_SURROGATE = re.compile(r"[\ud800-\udfff]")


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


def _str(value: Any) -> str:
    """``str(value)``, also for an integer too long to print (Python refuses over 4,300 digits)."""
    try:
        return str(value)
    except ValueError:
        return "(a number too long to show)"


def _show(value: Any, n: int = 40) -> str:
    """A short ``repr`` for a message."""
    text = _str(value)
    return repr(text[:n] + ("…" if len(text) > n else ""))


def clean_text(value: Any) -> str:
    """Text as stored: Windows/Mac newlines unified, control characters removed (C0 but tab and newline, NUL
    included; DEL; C1), lone surrogates (which no database can store) replaced by U+FFFD, then NFC, trimmed."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = "\n".join(_str(v) for v in value if v is not None)
    text = _SURROGATE.sub("\ufffd", _str(value)).replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", _CONTROL.sub("", text)).strip()


def honeypot_filled(raw: Any) -> bool:
    """Whether the hidden honeypot field (:data:`HONEYPOT_FIELD`) carries anything: a robot's submission."""
    if not isinstance(raw, Mapping):
        return False
    value = raw.get(HONEYPOT_FIELD)
    if isinstance(value, (list, tuple)):
        return any(clean_text(v) for v in value)
    return bool(clean_text(value)) if not isinstance(value, bool) else value


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
            out.extend(_as_list(v) if isinstance(v, str) else [_str(v)])
        return out
    return [_str(value)]


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
        number = float(_str(value).strip()) if not isinstance(value, (int, float)) else float(value)
    except (ValueError, OverflowError):
        number = math.nan
    if not math.isfinite(number):
        errors[field] = f"must be a year such as 2021, not {_show(value, 20)}"
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
            errors["aspects"] = f"unknown aspect {_show(key)}; known: {', '.join(ASPECTS)}"
            continue
        if isinstance(parts, str):
            parts = {"inspiring": parts}
        if not isinstance(parts, Mapping):
            errors["aspects"] = f"aspect {key!r} must be an object with 'inspiring' and 'improvement' texts"
            continue
        for part, text in parts.items():
            if part not in ("inspiring", "improvement"):
                errors["aspects"] = f"aspect {key!r}: unknown part {_show(part)} (use 'inspiring' and 'improvement')"
                continue
            data.setdefault(f"aspect_{key}_{part}", text)


def validate_submission(raw: Mapping[str, Any], *, regions: Regions) -> dict[str, Any]:
    """Check a submission; return the clean values or raise :class:`SubmissionInvalid` with every problem.

    The region may be typed as any code or name ``regions`` resolves (the app's region registry)."""
    if not isinstance(raw, Mapping):
        raise SubmissionInvalid({"form": "the submission must be an object of fields"})
    data = {_str(k): v for k, v in raw.items() if _str(k) not in _IGNORED_FIELDS}
    errors: dict[str, str] = {}
    _flatten_aspects(data, errors)

    unknown = sorted(k for k in data if k not in KNOWN_FIELDS)
    for key in unknown[:MAX_UNKNOWN]:
        errors[key[:60]] = "is not a field of the questionnaire"
    if len(unknown) > MAX_UNKNOWN:
        errors["form"] = f"{len(unknown)} fields are not part of the questionnaire"

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
    which = "a MIPEX-R region" if regions.note else "a NUTS region (level 1–3) of the EU or EFTA"
    if not region_raw:
        errors["region_id"] = f"is required (choose {which})"
    else:
        found = regions.candidates(region_raw)
        if len(found) == 1:
            clean["region_id"] = found[0]
            clean["country"] = regions.country_of(found[0])
        elif found:
            errors["region_id"] = (f"{_show(region_raw)} names several regions ({', '.join(found[:6])}): "
                                   "use the NUTS code of the one you mean")
        else:
            errors["region_id"] = f"{_show(region_raw)} is not {which} (use its NUTS code, e.g. ES51 or FR10)"

    clean["year_start"] = _year(data.get("year_start"), "year_start", errors, required=True)
    clean["year_end"] = _year(data.get("year_end"), "year_end", errors, required=False)
    if clean["year_start"] is not None and clean["year_end"] is not None and clean["year_end"] < clean["year_start"]:
        errors["year_end"] = f"must not be before the start year ({clean['year_start']})"

    areas = _as_list(data.get("policy_areas"))
    bad = [a for a in areas if a not in POLICY_AREAS]
    if not areas:
        errors["policy_areas"] = "choose at least one policy area"
    elif bad:
        errors["policy_areas"] = (f"unknown policy area(s) {', '.join(_show(b, 30) for b in bad[:5])}; "
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
        try:
            parsed = urlparse(link)
            ok = parsed.scheme in ("http", "https") and bool(parsed.hostname) and len(link) <= 500
        except ValueError:  # e.g. a malformed IPv6 host "http://[::1"
            ok = False
        if not ok:
            errors["links"] = f"{_show(link, 60)} is not a web address starting with http:// or https://"
            break
    clean["links"] = list(dict.fromkeys(links))

    consent = _single(data.get("consent"))
    if not (consent is True or (isinstance(consent, (str, int)) and _str(consent).strip().lower() in _TRUE)):
        errors["consent"] = "please confirm that the answers may be published in the Integration Lab"

    if errors:
        order = list(FIELD_LABELS)
        ordered = dict(sorted(errors.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order)))
        raise SubmissionInvalid(ordered)
    return clean


def describe_errors(field_errors: Mapping[str, str]) -> list[str]:
    """Plain-language lines ("Title of the practice: is required") for a summary box."""
    return [f"{FIELD_LABELS.get(field, field)}: {msg}" for field, msg in field_errors.items()]
