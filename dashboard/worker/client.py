"""The web side of :mod:`dashboard.worker`: send an export job to the Celery workers and wait for the file."""

from __future__ import annotations

import logging
import os
import threading

from dashboard.errors import ExportError
from dashboard.i18n import N_

log = logging.getLogger(__name__)

UNAVAILABLE_TEXT = N_("The export service is unavailable; try again in a moment.")
#: Local mode even with Redis set (``MIPEXR_EXPORT_MODE=local``): Redis then holds only the caches and limits.
MODE_ENV = "MIPEXR_EXPORT_MODE"


def enabled() -> bool:
    """Whether exports go to Celery workers: ``MIPEXR_REDIS_URL`` set and ``MIPEXR_EXPORT_MODE`` not ``local``."""
    from dashboard.worker.app import redis_url

    return bool(redis_url()) and os.environ.get(MODE_ENV, "celery").strip().lower() != "local"


_apps: dict[str, object] = {}
_apps_lock = threading.Lock()


def _app(url: str):
    """The Celery app that sends to ``url`` (one per URL, made on first use: the URL is read per call)."""
    from dashboard.worker.app import make_celery

    with _apps_lock:
        if url not in _apps:
            _apps[url] = make_celery(url)
        return _apps[url]


def run(source, fingerprint: str, job: dict, timeout: float | None = None):
    """The file ``job`` describes, made by a Celery worker (waits at most ``timeout`` s, default
    ``MIPEXR_EXPORT_WAIT``). Raises :class:`ExportError` (reason ``timeout`` / ``unavailable`` / the
    worker's reason) with a plain message."""
    from celery.exceptions import TimeoutError as CeleryTimeout

    from dashboard.export.jobs import from_wire
    from dashboard.export.pool import wait_setting
    from dashboard.worker.app import QUEUE, TASK, redis_url

    timeout = timeout if timeout is not None else wait_setting()
    try:
        result = _app(redis_url()).send_task(TASK, args=[list(source), fingerprint, job], queue=QUEUE)
        answer = result.get(timeout=timeout, propagate=True, disable_sync_subtasks=False)
    except CeleryTimeout as exc:
        raise ExportError("no export worker answered in time", reason="timeout") from exc
    except ExportError:
        raise
    except Exception as exc:  # noqa: BLE001 - broker or result store down, worker lost the job
        log.warning("export queue unavailable: %s: %s", type(exc).__name__, exc)
        raise ExportError(UNAVAILABLE_TEXT, reason="unavailable") from exc
    if "error" in answer:
        raise ExportError(answer["error"], reason=answer.get("reason") or "failed")
    return from_wire(answer["value"], job["kind"])
