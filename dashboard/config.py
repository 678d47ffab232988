"""Paths and environment settings, in one place.

Environment variables (all optional):

- ``MIPEXR_DATA_DIR``: folder with a ``datapackage.json`` (default: the embedded ``data/``).
- ``MIPEXR_GEO_DIR``: folder with the GISCO boundary files (see :mod:`dashboard.geo`).
- ``MIPEXR_VAR_DIR``: writable folder for the Integration Lab database and imports (default ``var/``).
- ``MIPEXR_DB_URL``: SQLAlchemy URL of the Integration Lab database (default SQLite in the var folder).
- ``BROWSER_PATH``: Chromium used for static image and PDF export (default: discovered).
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
EMBEDDED_DATA_DIR = PROJECT_ROOT / "data"
ASSETS_DIR = PROJECT_ROOT / "assets"
PROJECT_GEO_DIR = PROJECT_ROOT / "geo"
SHARED_GEO_DIR = PROJECT_ROOT.parent / "shared" / "geo"


def data_dir() -> Path:
    return Path(os.environ.get("MIPEXR_DATA_DIR") or EMBEDDED_DATA_DIR)


def var_dir() -> Path:
    path = Path(os.environ.get("MIPEXR_VAR_DIR") or PROJECT_ROOT / "var")
    path.mkdir(parents=True, exist_ok=True)
    return path


def db_url() -> str:
    return os.environ.get("MIPEXR_DB_URL") or f"sqlite:///{var_dir() / 'lab.sqlite3'}"
