"""The process-wide current dataset, with "last good data" semantics.

The app always serves ``current()``. An import (:func:`import_file`) validates the new data
completely in a temporary copy first; on any problem the error is returned and the current
dataset is untouched, so the app keeps serving the last good data.

One process holds one state: run the app single-process (``python -m dashboard serve`` uses
waitress with threads), or give every worker the same ``MIPEXR_DATA_DIR``.
"""

from __future__ import annotations

import threading
from pathlib import Path

from dashboard import data
from dashboard.errors import InputError

_lock = threading.RLock()
_current: data.Dataset | None = None
_data_dir: Path | None = None
_history: list[str] = []


def configure(data_dir: Path | str | None) -> None:
    """Choose the data folder (None = ``MIPEXR_DATA_DIR`` or the embedded ``data/``); loads lazily."""
    global _current, _data_dir
    with _lock:
        _data_dir = Path(data_dir) if data_dir else None
        _current = None


def current() -> data.Dataset:
    """The dataset the app serves (loaded and validated on first use)."""
    global _current
    with _lock:
        if _current is None:
            _current = data.load_dataset(_data_dir)
        return _current


def set_current(dataset: data.Dataset) -> None:
    global _current
    with _lock:
        _current = dataset


def import_file(resource: str, filename: str, content: bytes, illustrative: bool = False) -> tuple[bool, str]:
    """Validate and switch to an uploaded file. Returns (ok, message); on failure nothing changes."""
    base = current()
    try:
        new = data.replace_resource(base, resource, filename, content, illustrative=illustrative)
    except InputError as exc:
        return False, f"Not imported — the app keeps the previous data.\n{exc}"
    with _lock:
        set_current(new)
        _history.append(f"{filename} → {resource}")
    return True, f"Imported {filename} as {resource}: {len(new.regions)} regions, {len(new.framework)} indicators."


def reset() -> None:
    """Back to the configured data folder. The folder is loaded and validated first: on a problem its
    :class:`~dashboard.errors.InputError` is raised and the current data stay (last good data)."""
    with _lock:
        folder = _data_dir
    fresh = data.load_dataset(folder)
    with _lock:
        if _data_dir == folder:
            set_current(fresh)


def history() -> list[str]:
    with _lock:
        return list(_history)
