"""Integration Lab data access: list/filter/search, get, submit, moderate, export.

Every function opens its own short transaction on the database at ``url`` (default
:func:`dashboard.config.db_url`) and returns plain frozen records (:class:`PracticeRecord`), never
live ORM objects, so callers (views, callbacks, routes, CLI, tests) need no session handling.
Only ``approved`` practices are public; submissions start ``pending``.

A submission is reported stored only when it is: :func:`store_submission` commits, then reads the row
back by its id in a new session, and raises :class:`~dashboard.lab.db.DatabaseUnavailable` if it cannot.
Every practice is of one kind (:attr:`PracticeRecord.kind`): *source-based* or *illustrative* (the seed,
told apart by ``illustrative``), or *contributed* (sent through the form: no ``seed_key``).

The database stores region ids and country codes only. Where names are needed (reading a filter from a
link, the search text of a new practice, exports) the caller passes ``regions``
(:class:`~dashboard.lab.vocab.Regions`, built from the app's dataset): the Lab has no region table of its own.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import Select, and_, exists, func, select
from sqlalchemy.exc import OperationalError

from dashboard.cells import neutralise
from dashboard.data import fold
from dashboard.lab import db
from dashboard.lab.models import Assessment, Practice, PracticeArea
from dashboard.lab.records import PracticeFilter, PracticeNotFound, PracticeRecord
from dashboard.lab.validation import SubmissionInvalid, validate_submission
from dashboard.lab.vocab import (
    ASPECTS,
    CONTRIBUTION_MODES,
    ILLUSTRATIVE_BADGE,
    ILLUSTRATIVE_NOTE,
    KIND_CONTRIBUTED,
    KIND_ILLUSTRATIVE,
    KIND_SOURCE,
    POLICY_AREAS,
    SOURCE_BADGE,
    STATUSES,
    TARGET_GROUPS,
    Regions,
    area_label,
    contributed_badge,
    target_label,
    target_matches,
)

log = logging.getLogger(__name__)

__all__ = [
    "PracticeFilter",
    "PracticeNotFound",
    "PracticeRecord",
    "SubmissionInvalid",
    "approve",
    "count_practices",
    "counts_by_region",
    "create_practice",
    "create_submission",
    "export_csv",
    "export_json",
    "export_rows",
    "get_practice",
    "practice_regions",
    "prepare_submission",
    "list_pending",
    "reject",
    "search_practices",
    "store_submission",
]


def _search_text(values: Mapping[str, Any], regions: Regions) -> str:
    """Everything a full-text search finds a practice by, folded (:func:`dashboard.data.fold`)."""
    reg = regions.get(values["region_id"])
    parts: list[str] = [
        values.get("title", ""),
        values.get("region_id", ""),
        reg.name_en if reg else "",
        reg.name_local if reg else "",
        reg.country_name if reg else "",
        values.get("responsible_body", ""),
        values.get("description", ""),
        values.get("regional_contribution", ""),
        values.get("lessons_learnt", ""),
        values.get("transferability_tips", ""),
        values.get("submitter_organisation", ""),
        " ".join(area_label(a) for a in values.get("policy_areas", ())),
        target_label(values.get("target_group", "")),
    ]
    for parts_ in (values.get("aspects") or {}).values():
        parts.extend([parts_.get("inspiring", ""), parts_.get("improvement", "")])
    return fold(" \n ".join(p for p in parts if p))


# --------------------------------------------------------------------------------------------
# reading


def _record(p: Practice) -> PracticeRecord:
    aspects = {key: {"inspiring": "", "improvement": ""} for key in ASPECTS}
    for a in p.assessments:
        aspects[a.aspect] = {"inspiring": a.inspiring or "", "improvement": a.improvement or ""}
    order = list(POLICY_AREAS)
    return PracticeRecord(
        id=p.id,
        title=p.title,
        region_id=p.region_id,
        country=p.country,
        year_start=p.year_start,
        year_end=p.year_end,
        policy_areas=tuple(sorted((a.area for a in p.areas), key=lambda x: order.index(x) if x in order else 99)),
        target_group=p.target_group,
        responsible_body=p.responsible_body,
        description=p.description,
        regional_contribution=p.regional_contribution or "",
        contribution_mode=p.contribution_mode,
        lessons_learnt=p.lessons_learnt or "",
        transferability_tips=p.transferability_tips or "",
        aspects=aspects,
        links=tuple(line for line in (p.links or "").splitlines() if line.strip()),
        provenance=p.provenance,
        illustrative=bool(p.illustrative),
        language=p.language,
        status=p.status,
        review_note=p.review_note or "",
        created_at=p.created_at,
        reviewed_at=p.reviewed_at,
        seed_key=p.seed_key,
        submitter_name=p.submitter_name or "",
        submitter_email=p.submitter_email or "",
        submitter_organisation=p.submitter_organisation or "",
    )


def _where(stmt: Select, f: PracticeFilter) -> Select:
    conditions = []
    if f.status != "any":
        conditions.append(Practice.status == f.status)
    if f.regions:
        conditions.append(Practice.region_id.in_(f.regions))
    if f.countries:
        conditions.append(Practice.country.in_(f.countries))
    if f.policy_areas:
        conditions.append(
            exists().where(PracticeArea.practice_id == Practice.id, PracticeArea.area.in_(f.policy_areas))
        )
    if f.target_groups:
        stored = sorted({v for t in f.target_groups for v in target_matches(t)})
        conditions.append(Practice.target_group.in_(stored))
    if f.aspects:
        conditions.append(
            exists().where(
                Assessment.practice_id == Practice.id,
                Assessment.aspect.in_(f.aspects),
                Assessment.inspiring != "",
            )
        )
    if f.illustrative is not None:
        conditions.append(Practice.illustrative.is_(f.illustrative))
    for word in fold(f.text).split()[:12]:
        conditions.append(Practice.search_text.contains(word, autoescape=True))
    return stmt.where(and_(*conditions)) if conditions else stmt


def search_practices(
    filters: PracticeFilter | None = None,
    *,
    url: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[PracticeRecord]:
    """Practices matching ``filters`` (default: all approved), source-based first, newest first."""
    f = filters or PracticeFilter()
    stmt = _where(select(Practice), f).order_by(
        Practice.illustrative.asc(), func.coalesce(Practice.year_start, 0).desc(), Practice.title, Practice.id
    )
    if offset:
        stmt = stmt.offset(offset)
    if limit is not None:
        stmt = stmt.limit(limit)
    with db.session_scope(url) as s:
        return [_record(p) for p in s.scalars(stmt).all()]


def count_practices(filters: PracticeFilter | None = None, *, url: str | None = None) -> int:
    stmt = _where(select(func.count(Practice.id)), filters or PracticeFilter())
    with db.session_scope(url) as s:
        return int(s.scalar(stmt) or 0)


def counts_by_region(filters: PracticeFilter | None = None, *, url: str | None = None) -> dict[str, int]:
    """Region id → number of matching practices (regions with none are left out)."""
    stmt = _where(select(Practice.region_id, func.count(Practice.id)), filters or PracticeFilter()).group_by(
        Practice.region_id
    )
    with db.session_scope(url) as s:
        return {rid: int(n) for rid, n in s.execute(stmt).all()}


def practice_regions(*, url: str | None = None) -> list[str]:
    """The ids of the regions that have at least one published practice."""
    stmt = select(Practice.region_id).where(Practice.status == "approved").distinct().order_by(Practice.region_id)
    with db.session_scope(url) as s:
        return list(s.scalars(stmt).all())


def get_practice(practice_id: int | str, *, include_unapproved: bool = False, url: str | None = None) -> PracticeRecord:
    """One practice; raises :class:`PracticeNotFound` if it does not exist or is not yet public."""
    try:
        pid = int(str(practice_id).strip())
    except (TypeError, ValueError):
        raise PracticeNotFound(practice_id) from None
    if pid < 1 or pid > 2**31 - 1:
        raise PracticeNotFound(practice_id)
    with db.session_scope(url) as s:
        p = s.get(Practice, pid)
        if p is None or (not include_unapproved and p.status != "approved"):
            raise PracticeNotFound(practice_id)
        return _record(p)


def list_pending(*, url: str | None = None) -> list[PracticeRecord]:
    """Submissions waiting for a moderator, oldest first."""
    with db.session_scope(url) as s:
        stmt = select(Practice).where(Practice.status == "pending").order_by(Practice.created_at, Practice.id)
        return [_record(p) for p in s.scalars(stmt).all()]


def list_all(status: str | None = None, *, url: str | None = None) -> list[PracticeRecord]:
    """Every practice (optionally of one status), by id."""
    with db.session_scope(url) as s:
        stmt = select(Practice).order_by(Practice.id)
        if status:
            stmt = stmt.where(Practice.status == status)
        return [_record(p) for p in s.scalars(stmt).all()]


# --------------------------------------------------------------------------------------------
# writing


def _practice_from(values: Mapping[str, Any], regions: Regions) -> Practice:
    p = Practice(
        title=values["title"],
        region_id=values["region_id"],
        country=values.get("country") or regions.country_of(values["region_id"]),
        year_start=values.get("year_start"),
        year_end=values.get("year_end"),
        target_group=values["target_group"],
        responsible_body=values["responsible_body"],
        description=values["description"],
        regional_contribution=values.get("regional_contribution", ""),
        contribution_mode=values.get("contribution_mode") or "direct",
        lessons_learnt=values.get("lessons_learnt", ""),
        transferability_tips=values.get("transferability_tips", ""),
        links="\n".join(values.get("links", ())),
        provenance=values["provenance"],
        illustrative=bool(values.get("illustrative", False)),
        language=values.get("language") or "en",
        status=values.get("status", "pending"),
        review_note=values.get("review_note", ""),
        submitter_name=values.get("submitter_name", ""),
        submitter_email=values.get("submitter_email", ""),
        submitter_organisation=values.get("submitter_organisation", ""),
        seed_key=values.get("seed_key"),
        search_text=_search_text(values, regions),
        created_at=dt.datetime.now(dt.timezone.utc),
    )
    if p.status == "approved":
        p.reviewed_at = p.created_at
    p.areas = [PracticeArea(area=a) for a in dict.fromkeys(values.get("policy_areas", ()))]
    p.assessments = [
        Assessment(aspect=key, inspiring=parts.get("inspiring", ""), improvement=parts.get("improvement", ""))
        for key, parts in (values.get("aspects") or {}).items()
        if key in ASPECTS and (parts.get("inspiring") or parts.get("improvement"))
    ]
    return p


def create_practice(values: Mapping[str, Any], *, regions: Regions, url: str | None = None) -> PracticeRecord:
    """Store already-clean values as they are (used by the seed; submissions go through validation)."""
    if values.get("status", "pending") not in STATUSES:
        raise ValueError(f"unknown status {values.get('status')!r}")
    if values["region_id"] not in regions:
        raise ValueError(f"unknown region {values['region_id']!r}")
    with db.session_scope(url, write=True) as s:
        p = _practice_from(values, regions)
        s.add(p)
        s.flush()
        return _record(p)


def submission_provenance(clean: Mapping[str, Any], when: dt.datetime | None = None) -> str:
    when = when or dt.datetime.now(dt.timezone.utc)
    who = f" by {clean['submitter_organisation']}" if clean.get("submitter_organisation") else ""
    return f"{clean['provenance']} — contributed{who} through the Integration Lab form on {when:%Y-%m-%d}"


#: Pauses before retrying a write that failed on a lost connection or a locked database (nothing committed).
RETRY_DELAYS_S: tuple[float, ...] = (0.2, 0.5)


def _transient(exc: OperationalError) -> bool:
    text = str(getattr(exc, "orig", exc)).lower()
    return bool(getattr(exc, "connection_invalidated", False)) or "locked" in text or "busy" in text


def prepare_submission(data: Mapping[str, Any], *, regions: Regions) -> dict[str, Any]:
    """Validate a questionnaire answer; the values :func:`store_submission` stores (``pending``).

    Raises :class:`SubmissionInvalid` (an ``InputError``) listing every field and its problem."""
    clean = validate_submission(data, regions=regions)
    values = dict(clean)
    values.update(provenance=submission_provenance(clean), status="pending", illustrative=False)
    values.pop("seed_key", None)
    return values


def store_submission(values: Mapping[str, Any], *, regions: Regions, url: str | None = None) -> PracticeRecord:
    """Store prepared values (:func:`prepare_submission`) and return the practice as read back.

    The row is committed, then read back by its id in a new session; only then is it returned. A write
    that failed before committing on a lost connection or a locked database is retried
    (:data:`RETRY_DELAYS_S`); any other database failure propagates. A committed row that cannot be read
    back raises :class:`~dashboard.lab.db.DatabaseUnavailable` (the caller reports it as not stored)."""
    attempt = 0
    while True:
        try:
            with db.session_scope(url, write=True) as s:
                p = _practice_from(values, regions)
                s.add(p)
                s.flush()
                practice_id = p.id
            break  # committed
        except OperationalError as exc:
            if attempt >= len(RETRY_DELAYS_S) or not _transient(exc):
                raise
            log.warning("submission write failed (%s); retrying", type(exc).__name__)
            time.sleep(RETRY_DELAYS_S[attempt])
            attempt += 1
    try:
        rec = get_practice(practice_id, include_unapproved=True, url=url)
    except PracticeNotFound:
        raise db.DatabaseUnavailable(f"submission #{practice_id} was committed but cannot be read back") from None
    if rec.title != values["title"] or rec.region_id != values["region_id"]:
        raise db.DatabaseUnavailable(f"submission #{practice_id} reads back different from what was stored")
    return rec


def create_submission(data: Mapping[str, Any], *, regions: Regions, url: str | None = None) -> PracticeRecord:
    """Validate a questionnaire submission and store it as ``pending`` (:func:`prepare_submission`, then
    :func:`store_submission`): the practice as read back after the commit.

    Raises :class:`SubmissionInvalid` listing every field and its problem; database failures propagate
    (``db.DB_ERRORS``: the caller reports "not stored")."""
    return store_submission(prepare_submission(data, regions=regions), regions=regions, url=url)


def _set_status(practice_id: int | str, status: str, note: str, url: str | None) -> PracticeRecord:
    try:
        pid = int(str(practice_id).strip())
    except (TypeError, ValueError):
        raise PracticeNotFound(practice_id) from None
    with db.session_scope(url, write=True) as s:
        p = s.get(Practice, pid)
        if p is None:
            raise PracticeNotFound(practice_id)
        p.status = status
        p.review_note = (note or "").strip()[:2000]
        p.reviewed_at = dt.datetime.now(dt.timezone.utc)
        s.flush()
        return _record(p)


def approve(practice_id: int | str, *, note: str = "", url: str | None = None) -> PracticeRecord:
    """Publish a practice (pending or rejected → approved)."""
    return _set_status(practice_id, "approved", note, url)


def reject(practice_id: int | str, *, reason: str = "", url: str | None = None) -> PracticeRecord:
    """Refuse a practice; it stays stored (with the reason) but is never shown."""
    return _set_status(practice_id, "rejected", reason, url)


# --------------------------------------------------------------------------------------------
# export

def export_columns() -> list[str]:
    """The CSV columns: ``kind`` is source-based / contributed / illustrative, ``badge`` the text shown on screen
    ("Contributed by <organisation>" for a contributed practice), ``contributed_by_organisation`` empty for the
    seed."""
    cols = [
        "id", "title", "region_id", "region_name", "country", "country_name", "year_start", "year_end",
        "policy_areas", "target_group", "responsible_body", "description", "regional_contribution",
        "contribution_mode", "lessons_learnt", "transferability_tips",
    ]
    for key in ASPECTS:
        cols += [f"{key}_inspiring", f"{key}_improvement"]
    cols += ["links", "provenance", "kind", "badge", "illustrative", "contributed_by_organisation", "language",
             "created_at", "reviewed_at", "path"]
    return cols


def export_rows(filters: PracticeFilter | None = None, *, regions: Regions,
                url: str | None = None) -> list[dict[str, Any]]:
    """Flat rows of the approved practices matching ``filters`` (one column per aspect text)."""
    f = filters or PracticeFilter()
    if f.status != "approved":
        f = replace(f, status="approved")
    rows = []
    for rec in search_practices(f, url=url):
        d = rec.to_public_dict(regions)
        row = {k: d[k] for k in export_columns() if k in d}
        row["policy_areas"] = ";".join(rec.policy_areas)
        row["links"] = " ".join(rec.links)
        for key in ASPECTS:
            row[f"{key}_inspiring"] = rec.aspects[key]["inspiring"]
            row[f"{key}_improvement"] = rec.aspects[key]["improvement"]
        rows.append({c: row.get(c) for c in export_columns()})
    return rows


def export_csv(filters: PracticeFilter | None = None, *, regions: Regions, url: str | None = None) -> str:
    """CSV text (header row first) of the approved practices; formula-like cells neutralised."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=export_columns(), lineterminator="\r\n")
    writer.writeheader()
    for row in export_rows(filters, regions=regions, url=url):
        writer.writerow({k: neutralise("" if v is None else v) for k, v in row.items()})
    return buf.getvalue()


def export_json(filters: PracticeFilter | None = None, *, regions: Regions, url: str | None = None) -> str:
    """JSON document of the approved practices with vocabularies and provenance notes."""
    f = filters or PracticeFilter()
    if f.status != "approved":
        f = replace(f, status="approved")
    practices = [rec.to_public_dict(regions) for rec in search_practices(f, url=url)]
    doc = {
        "title": "MIPEX-R Explorer — Integration Lab practices",
        "generated_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "filters": f.to_query(),
        "count": len(practices),
        "note": ILLUSTRATIVE_NOTE,
        "vocabularies": {
            "kinds": {KIND_SOURCE: SOURCE_BADGE, KIND_CONTRIBUTED: contributed_badge("<organisation>"),
                      KIND_ILLUSTRATIVE: ILLUSTRATIVE_BADGE},
            "policy_areas": POLICY_AREAS,
            "target_groups": TARGET_GROUPS,
            "aspects": ASPECTS,
            "contribution_modes": CONTRIBUTION_MODES,
        },
        "practices": practices,
    }
    return json.dumps(doc, ensure_ascii=False, indent=2)


def summarise(records: Sequence[PracticeRecord] | Iterable[PracticeRecord]) -> str:
    """One line per practice (CLI listings)."""
    lines = []
    for r in records:
        flag = " [illustrative]" if r.illustrative else ""
        lines.append(f"{r.id:>5}  {r.status:<8}  {r.region_id:<6} {r.years_label:<14} {r.title}{flag}")
    return "\n".join(lines)
