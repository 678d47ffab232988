"""Production serving: the gunicorn configuration (:mod:`.gunicorn_conf`), the gunicorn runner used by
``python -m dashboard serve`` (:mod:`.runner`), and the HTTP layer every app gets from
:func:`dashboard.serving.http.init_app` (compression, cache headers, ``/healthz``, ``/readyz``).

This package sits with the entry points (``cli/``, ``routes/``): it may import anything below it and
nothing below imports it.
"""
