"""Integration Lab domain: a mutual-learning database of regional integration practices.

- :mod:`~dashboard.lab.models` — SQLAlchemy 2 models; :mod:`~dashboard.lab.migrations` — Alembic (``upgrade(url)``)
- :mod:`~dashboard.lab.db` — engine/sessions from ``dashboard.config.db_url()``
- :mod:`~dashboard.lab.repository` — list/filter/search, get, submit, approve/reject, export
- :mod:`~dashboard.lab.validation` — questionnaire validation
- :mod:`~dashboard.lab.vocab` — vocabularies, and ``Regions`` (the regions handed down from the app's dataset)
- :mod:`~dashboard.lab.seed` — the source-based and illustrative seed practices of ``seed_practices.json``

Nothing here imports Dash, the app state, pages, callbacks, components or routes. The screens are
``views/lab.py``, ``components/lab.py``, ``figures/lab_map.py``, ``pages/lab*.py`` and ``callbacks/lab.py``;
the HTTP routes ``routes/lab_api.py`` and ``routes/lab_admin.py``; the commands ``cli/lab.py``.
"""
