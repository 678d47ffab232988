"""Export jobs as plain data: what to make, as a JSON-able dict, and :func:`make`, which makes it.

A job is made by this process's render pool (:mod:`dashboard.export.pool`) or, when ``MIPEXR_REDIS_URL`` is
set, by a Celery worker on any machine (:mod:`dashboard.worker`). Both call :func:`make` with the same job, so
the file is the same wherever it is made. Jobs are built from the **parsed, validated** request only
(:func:`chart_job`, :func:`brief_pdf_job`, :func:`brief_html_job`); their :func:`key` is the cache key.

Kinds: ``chart`` (an image: ``(bytes, file name)``), ``brief-pdf`` (``bytes``), ``brief-html`` (the SVG page,
``str``). :func:`to_wire` / :func:`from_wire` carry a result through JSON (bytes as base64).

Every job carries its language (``"lang"``: the language current when the job was built, i.e. the
request's); :func:`make` renders inside ``i18n.use(job["lang"])``, so a job made on a pool thread or in a
Celery worker (where no request sets a language) is in the language that was asked, and the cache key
(:func:`key`, made from the whole job) never serves an English file to a Swedish request.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import fields
from typing import Any

from dashboard import i18n
from dashboard.errors import ExportError

KINDS = ("chart", "brief-pdf", "brief-html")


def _plain(value: Any) -> Any:
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    return value


def chart_job(fmt: str, size: str, name: str, query: Any, title: str | None, url: str | None) -> dict:
    """A chart image; ``query`` is the canonical :class:`dashboard.views.charts.ChartQuery`."""
    return {"kind": "chart", "fmt": fmt, "size": size, "chart": name,
            "query": {f.name: _plain(getattr(query, f.name)) for f in fields(query)},
            "title": title, "url": url, "date": dt.date.today().isoformat(), "lang": i18n.current()}


def brief_pdf_job(region_ids: Sequence[str], url: str | None, **options: Any) -> dict:
    return {"kind": "brief-pdf", "region_ids": list(region_ids), "url": url, "options": dict(options),
            "date": dt.date.today().isoformat(), "lang": i18n.current()}


def brief_html_job(region_ids: Sequence[str], url: str | None, pdf_url: str, **options: Any) -> dict:
    return {"kind": "brief-html", "region_ids": list(region_ids), "url": url, "pdf_url": pdf_url,
            "options": dict(options), "date": dt.date.today().isoformat(), "lang": i18n.current()}


def key(job: Mapping[str, Any], dataset_token: str) -> str:
    """The cache key of ``job`` made from the dataset ``dataset_token``: the same for equal jobs, on any machine."""
    text = json.dumps({"job": job, "data": dataset_token}, sort_keys=True, separators=(",", ":"))
    return "mipexr-export:" + hashlib.sha256(text.encode()).hexdigest()


def make(dataset: Any, job: Mapping[str, Any]) -> Any:
    """Make the file ``job`` describes from ``dataset`` (Chromium is this process's warm export browser), in
    the job's language (English for a job without one)."""
    with i18n.use(job.get("lang")):
        return _make(dataset, job)


def _make(dataset: Any, job: Mapping[str, Any]) -> Any:
    kind = job.get("kind")
    if kind == "chart":
        from dashboard.export.images import chart_export

        query = {name: tuple(v) if isinstance(v, list) else v for name, v in job["query"].items()}
        return chart_export(dataset, job["chart"], job["fmt"], job["size"], title=job["title"], url=job["url"],
                            date=dt.date.fromisoformat(job["date"]), **query)
    if kind == "brief-pdf":
        from dashboard.export.brief import brief_pdf

        return brief_pdf(dataset, job["region_ids"], view_url=job["url"], **job.get("options", {}))
    if kind == "brief-html":
        from dashboard.export.brief import brief_html

        return brief_html(dataset, job["region_ids"], charts="svg", plotly_js_url="/export/plotly.min.js",
                          pdf_url=job["pdf_url"], view_url=job["url"], **job.get("options", {}))
    raise ExportError(f"unknown export job {kind!r}", reason="failed")


def to_wire(value: Any) -> Any:
    """A result as JSON-able data (bytes → ``{"b64": …}``, tuples → lists)."""
    if isinstance(value, (bytes, bytearray)):
        return {"b64": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, (tuple, list)):
        return [to_wire(v) for v in value]
    return value


def from_wire(value: Any, kind: str) -> Any:
    """The result :func:`to_wire` carried, in the type :func:`make` returned for ``kind``."""
    def back(v):
        if isinstance(v, dict) and set(v) == {"b64"}:
            return base64.b64decode(v["b64"])
        if isinstance(v, list):
            return [back(x) for x in v]
        return v

    value = back(value)
    return tuple(value) if kind == "chart" else value
