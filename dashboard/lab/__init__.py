"""Integration Lab: a mutual-learning database of regional integration practices.

- :mod:`~dashboard.lab.models` — SQLAlchemy 2 models; :mod:`~dashboard.lab.migrations` — Alembic (``upgrade(url)``)
- :mod:`~dashboard.lab.db` — engine/sessions from ``dashboard.config.db_url()``
- :mod:`~dashboard.lab.repository` — list/filter/search, get, submit, approve/reject, export
- :mod:`~dashboard.lab.validation` — questionnaire validation; :mod:`~dashboard.lab.vocab` — vocabularies
- :mod:`~dashboard.lab.seed` — source-based and illustrative seed practices
- :mod:`~dashboard.lab.cli` — ``python -m dashboard lab …``; :mod:`~dashboard.lab.web` — Flask routes
"""
