"""Exports made on other machines: a Celery app whose workers make images and PDF briefs for every web worker.

Used when ``MIPEXR_REDIS_URL`` is set (Redis is the broker and the result store). Start a worker with::

    celery -A dashboard.worker worker --queues mipexr-exports --pool threads --concurrency 2

(threads share the worker's one warm Chromium, as the web's render pool does). The web side
(:mod:`dashboard.worker.client`) sends a job (:mod:`dashboard.export.jobs`) naming the shared dataset it
was asked for (``state.source_of``: the configured folder or a published version, read from the shared
database) and its fingerprint; the worker loads that dataset, refuses to make the file if its copy differs
(a folder configured differently), and returns the file. Private workspaces stay with the web process of
their visitor (their files are that visitor's alone).
"""

from dashboard.worker.app import QUEUE, celery, render

__all__ = ["QUEUE", "celery", "render"]
