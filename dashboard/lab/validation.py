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

from dashboard import i18n
from dashboard.errors import InputError, InputErrors
from dashboard.i18n import N_, _
from dashboard.lab.vocab import (
    ASPECTS,
    CONTRIBUTION_MODES,
    LANGUAGES,
    POLICY_AREAS,
    TARGET_GROUPS,
    Regions,
    Vocabulary,
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

#: "<aspect>: inspiring element" / "<aspect>: room for improvement", the labels of the aspect fields.
ASPECT_PART_LABELS = {"inspiring": N_("{aspect}: inspiring element"),
                      "improvement": N_("{aspect}: room for improvement")}


class _FieldLabels(Vocabulary):
    """:class:`Vocabulary` whose aspect fields are composed in the current language ("Inclusion: inspiring
    element" → "Inkludering: inspirerande inslag")."""

    def __getitem__(self, key: str) -> str:
        if key.startswith("aspect_") and key in self._source:
            aspect, part = key[len("aspect_"):].rsplit("_", 1)
            return i18n.gettext(ASPECT_PART_LABELS[part]).format(aspect=ASPECTS[aspect])
        return super().__getitem__(key)


#: Field → question text, in questionnaire order (the form and the error messages use these), answering in
#: the current language (``FIELD_LABELS.english(field)`` gives the English text).
FIELD_LABELS = _FieldLabels({
    "title": N_("Title of the practice"),
    "region_id": N_("Region"),
    "year_start": N_("Start year"),
    "year_end": N_("End year"),
    "policy_areas": N_("Policy area(s)"),
    "target_group": N_("Target group"),
    "responsible_body": N_("Responsible body"),
    "description": N_("Description"),
    "regional_contribution": N_("What the regional authority contributed"),
    "contribution_mode": N_("How the region contributed"),
    "lessons_learnt": N_("Lessons learnt"),
    "transferability_tips": N_("Tips for transferability"),
    "aspects": N_("Assessment on the 7 aspects"),
    **{
        f"aspect_{key}_{part}": ASPECT_PART_LABELS[part].format(aspect=ASPECTS.english(key))
        for key in ASPECTS
        for part in ("inspiring", "improvement")
    },
    "links": N_("Links"),
    "provenance": N_("Source of this information"),
    "language": N_("Language of the answers"),
    "submitter_name": N_("Your name"),
    "submitter_email": N_("Your e-mail"),
    "submitter_organisation": N_("Your organisation"),
    "consent": N_("Consent to publication"),
})

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
            "error": _("The practice was not stored: please correct the fields listed."),
            "errors": self.field_errors,
        }


def _str(value: Any) -> str:
    """``str(value)``, also for an integer too long to print (Python refuses over 4,300 digits)."""
    try:
        return str(value)
    except ValueError:
        return _("(a number too long to show)")


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
            errors[field] = _("is required (a year such as 2021)")
        return None
    if isinstance(value, bool):
        errors[field] = _("must be a year such as 2021")
        return None
    try:
        number = float(_str(value).strip()) if not isinstance(value, (int, float)) else float(value)
    except (ValueError, OverflowError):
        number = math.nan
    if not math.isfinite(number):
        errors[field] = _("must be a year such as 2021, not {value}").format(value=_show(value, 20))
        return None
    if number != int(number):
        errors[field] = _("must be a whole year such as 2021")
        return None
    year = int(number)
    this_year = dt.date.today().year
    upper = this_year + 1 if field == "year_start" else this_year + 10
    if not MIN_YEAR <= year <= upper:
        errors[field] = _("must be between {low} and {high}").format(low=MIN_YEAR, high=upper)
        return None
    return year


def _flatten_aspects(data: dict[str, Any], errors: dict[str, str]) -> None:
    """Turn a nested ``aspects`` object into the flat ``aspect_<key>_<part>`` fields."""
    nested = data.pop("aspects", None)
    if nested is None:
        return
    if not isinstance(nested, Mapping):
        errors["aspects"] = _("must be an object of aspects, each with 'inspiring' and 'improvement' texts")
        return
    for key, parts in nested.items():
        if key not in ASPECTS:
            errors["aspects"] = _("unknown aspect {value}; known: {known}").format(value=_show(key),
                                                                                   known=", ".join(ASPECTS))
            continue
        if isinstance(parts, str):
            parts = {"inspiring": parts}
        if not isinstance(parts, Mapping):
            errors["aspects"] = _("aspect {value} must be an object with 'inspiring' and 'improvement' "
                                  "texts").format(value=_show(key))
            continue
        for part, text in parts.items():
            if part not in ("inspiring", "improvement"):
                errors["aspects"] = _("aspect {value}: unknown part {part} (use 'inspiring' and "
                                      "'improvement')").format(value=repr(key), part=_show(part))
                continue
            data.setdefault(f"aspect_{key}_{part}", text)


def validate_submission(raw: Mapping[str, Any], *, regions: Regions) -> dict[str, Any]:
    """Check a submission; return the clean values or raise :class:`SubmissionInvalid` with every problem.

    The region may be typed as any code or name ``regions`` resolves (the app's region registry)."""
    if not isinstance(raw, Mapping):
        raise SubmissionInvalid({"form": _("the submission must be an object of fields")})
    data = {_str(k): v for k, v in raw.items() if _str(k) not in _IGNORED_FIELDS}
    errors: dict[str, str] = {}
    _flatten_aspects(data, errors)

    unknown = sorted(k for k in data if k not in KNOWN_FIELDS)
    for key in unknown[:MAX_UNKNOWN]:
        errors[key[:60]] = _("is not a field of the questionnaire")
    if len(unknown) > MAX_UNKNOWN:
        errors["form"] = _("{n} fields are not part of the questionnaire").format(n=len(unknown))

    clean: dict[str, Any] = {}

    for field, (lo, hi) in TEXT_LIMITS.items():
        value = _single(data.get(field))
        if isinstance(value, (list, tuple)):
            errors[field] = _("must be a single text")
            continue
        if value is not None and not isinstance(value, (str, int, float)):
            errors[field] = _("must be text")
            continue
        text = clean_text(value)
        if lo and not text:
            errors[field] = _("is required")
        elif lo and len(text) < lo:
            errors[field] = _("is too short: at least {low} characters (now {n})").format(low=lo, n=len(text))
        elif len(text) > hi:
            errors[field] = _("is too long: at most {high} characters (now {n})").format(high=hi, n=len(text))
        clean[field] = text

    email = clean.get("submitter_email", "")
    if email and "submitter_email" not in errors and not _EMAIL.match(email):
        errors["submitter_email"] = _("does not look like an e-mail address (name@example.org)")

    region_raw = clean_text(_single(data.get("region_id")))
    if not region_raw:
        errors["region_id"] = (_("is required (choose a MIPEX-R region)") if regions.note
                               else _("is required (choose a NUTS region (level 1–3) of the EU or EFTA)"))
    else:
        found = regions.candidates(region_raw)
        if len(found) == 1:
            clean["region_id"] = found[0]
            clean["country"] = regions.country_of(found[0])
        elif found:
            errors["region_id"] = _("{value} names several regions ({codes}): use the NUTS code of the one "
                                    "you mean").format(value=_show(region_raw), codes=", ".join(found[:6]))
        elif regions.note:
            errors["region_id"] = _("{value} is not a MIPEX-R region (use its NUTS code, e.g. ES51 or FR10)").format(
                value=_show(region_raw))
        else:
            errors["region_id"] = _("{value} is not a NUTS region (level 1–3) of the EU or EFTA (use its NUTS "
                                    "code, e.g. ES51 or FR10)").format(value=_show(region_raw))

    clean["year_start"] = _year(data.get("year_start"), "year_start", errors, required=True)
    clean["year_end"] = _year(data.get("year_end"), "year_end", errors, required=False)
    if clean["year_start"] is not None and clean["year_end"] is not None and clean["year_end"] < clean["year_start"]:
        errors["year_end"] = _("must not be before the start year ({year})").format(year=clean["year_start"])

    areas = _as_list(data.get("policy_areas"))
    bad = [a for a in areas if a not in POLICY_AREAS]
    if not areas:
        errors["policy_areas"] = _("choose at least one policy area")
    elif bad:
        errors["policy_areas"] = _("unknown policy area(s) {values}; known: {known}").format(
            values=", ".join(_show(b, 30) for b in bad[:5]), known=", ".join(POLICY_AREAS))
    clean["policy_areas"] = sorted(set(areas) & set(POLICY_AREAS), key=list(POLICY_AREAS).index)

    for field, vocab, wrong in (
        ("target_group", TARGET_GROUPS, N_("{value} is not a target group; use one of {known}")),
        ("contribution_mode", CONTRIBUTION_MODES, N_("{value} is not a contribution mode; use one of {known}")),
    ):
        value = clean_text(_single(data.get(field)))
        if not value:
            errors[field] = _("is required: one of {known}").format(known=", ".join(vocab))
        elif value not in vocab:
            errors[field] = _(wrong).format(value=repr(value[:30]), known=", ".join(vocab))
        clean[field] = value

    language = clean_text(_single(data.get("language"))) or "en"
    if language not in LANGUAGES:
        errors["language"] = _("{value} is not offered; use one of {known}").format(value=repr(language[:10]),
                                                                                   known=", ".join(LANGUAGES))
    clean["language"] = language

    aspects: dict[str, dict[str, str]] = {}
    for key in ASPECTS:
        parts = {}
        for part in ("inspiring", "improvement"):
            field = f"aspect_{key}_{part}"
            text = clean_text(_single(data.get(field)))
            if len(text) > ASPECT_TEXT_MAX:
                errors[field] = _("is too long: at most {high} characters (now {n})").format(high=ASPECT_TEXT_MAX,
                                                                                            n=len(text))
            parts[part] = text
        aspects[key] = parts
    if not any(p["inspiring"] for p in aspects.values()) and "aspects" not in errors:
        errors["aspects"] = _("describe the inspiring element of at least one of the 7 aspects")
    clean["aspects"] = aspects

    links = _links_list(data.get("links"))
    if len(links) > MAX_LINKS:
        errors["links"] = _("at most {high} links (now {n})").format(high=MAX_LINKS, n=len(links))
    for link in links:
        try:
            parsed = urlparse(link)
            ok = parsed.scheme in ("http", "https") and bool(parsed.hostname) and len(link) <= 500
        except ValueError:  # e.g. a malformed IPv6 host "http://[::1"
            ok = False
        if not ok:
            errors["links"] = _("{value} is not a web address starting with http:// or https://").format(
                value=_show(link, 60))
            break
    clean["links"] = list(dict.fromkeys(links))

    consent = _single(data.get("consent"))
    if not (consent is True or (isinstance(consent, (str, int)) and _str(consent).strip().lower() in _TRUE)):
        errors["consent"] = _("please confirm that the answers may be published in the Integration Lab")

    if errors:
        order = list(FIELD_LABELS)
        ordered = dict(sorted(errors.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order)))
        raise SubmissionInvalid(ordered)
    return clean


def describe_errors(field_errors: Mapping[str, str]) -> list[str]:
    """Plain-language lines ("Title of the practice: is required") for a summary box, in the current language."""
    return [_("{field}: {problem}").format(field=FIELD_LABELS.get(field, field), problem=msg)
            for field, msg in field_errors.items()]
