"""Integration Lab domain: a mutual-learning database of regional integration practices.

- :mod:`~dashboard.lab.models` — SQLAlchemy 2 models; :mod:`~dashboard.lab.migrations` — Alembic (``upgrade(url)``)
- :mod:`~dashboard.lab.db` — engine/sessions from ``dashboard.config.db_url()``
- :mod:`~dashboard.lab.records` — ``PracticeRecord`` (a practice, its kind and badge), ``PracticeFilter``
- :mod:`~dashboard.lab.repository` — list/filter/search, get, submit (commit + read-back), approve/reject, export
- :mod:`~dashboard.lab.validation` — questionnaire validation, the honeypot field
- :mod:`~dashboard.lab.vocab` — vocabularies, and ``Regions`` (the dataset's regions and the other EU/EFTA NUTS units)
- :mod:`~dashboard.lab.nuts` — the EU/EFTA NUTS 2021/2024 units (levels 1–3) of the boundary files
- :mod:`~dashboard.lab.guard` — rate limits per client, same-origin check, form tokens, ``receive`` (every submission)
- :mod:`~dashboard.lab.seed` — the source-based and illustrative seed practices of ``seed_practices.json``

Nothing here imports Dash, the app state, pages, callbacks, components or routes (``db`` and ``guard`` read
the current Flask request or app, importing Flask when called). The screens are
``views/lab.py``, ``components/lab.py``, ``figures/lab_map.py``, ``pages/lab*.py`` and ``callbacks/lab.py``;
the HTTP routes ``routes/lab_api.py`` and ``routes/lab_admin.py``; the commands ``cli/lab.py``.
"""
