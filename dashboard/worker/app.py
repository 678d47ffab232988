"""The Celery app (``celery -A dashboard.worker worker``) and its one task, :func:`render`."""

from __future__ import annotations

import logging
import os

from celery import Celery

from dashboard.errors import ExportError

log = logging.getLogger(__name__)

REDIS_URL_ENV = "MIPEXR_REDIS_URL"
QUEUE = "mipexr-exports"
TASK = "mipexr.render"
#: How long a result waits in Redis for the web worker that asked (seconds).
RESULT_TTL = 600


def redis_url() -> str | None:
    """``MIPEXR_REDIS_URL``, or None when unset (then exports are made in the web process)."""
    return os.environ.get(REDIS_URL_ENV, "").strip() or None


def make_celery(url: str | None = None) -> Celery:
    url = url or redis_url() or "memory://"
    backend = url if url.startswith(("redis://", "rediss://", "unix://")) else "cache+memory://"
    app = Celery("mipexr", broker=url, backend=backend)
    app.conf.update(
        task_default_queue=QUEUE,
        task_serializer="json", result_serializer="json", accept_content=["json"],
        result_expires=RESULT_TTL,
        task_acks_late=True,               # a worker that dies mid-render: the job goes to another worker
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,      # a busy worker does not hoard jobs others could take
        worker_hijack_root_logger=False,
        broker_connection_retry_on_startup=True,
        broker_connection_timeout=3,
        task_publish_retry_policy={"max_retries": 2, "interval_start": 0, "interval_step": 0.5,
                                   "interval_max": 1},  # Redis down: a plain 503 within seconds, not a hang
        broker_transport_options={"visibility_timeout": 3600},
        result_backend_transport_options={"retry_policy": {"timeout": 5.0}},
    )
    return app


celery = make_celery()


@celery.task(name=TASK)
def render(source: list, fingerprint: str, job: dict) -> dict:
    """Make ``job`` from the dataset ``source`` (see :func:`dashboard.state.source_of`). Returns
    ``{"value": …}`` (:func:`dashboard.export.jobs.to_wire`) or ``{"error": message, "reason": reason}``."""
    import socket

    from dashboard import state
    from dashboard.export import jobs

    try:
        dataset = state.load_source(source)
        if dataset.fingerprint != fingerprint:
            raise ExportError("this export worker has different data from the web server that asked; "
                              "check that both use the same data folder and database", reason="stale")
        value = jobs.make(dataset, job)
    except ExportError as exc:
        log.warning("export job refused (%s): %s", exc.reason, exc)
        return {"error": str(exc), "reason": exc.reason}
    except Exception as exc:  # noqa: BLE001 - the web side answers a plain 503; the detail stays in this log
        log.exception("export job failed")
        return {"error": f"{type(exc).__name__}", "reason": "failed"}
    return {"value": jobs.to_wire(value), "worker": f"{socket.gethostname()}:{os.getpid()}"}
