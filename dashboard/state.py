"""Which dataset a request sees ("last good data" semantics, several workers on several machines).

* **Shared data** — the same for every visitor, worker and machine: the version *published* in the database
  (:mod:`dashboard.datasets`; every worker polls the pointer through a :class:`~dashboard.datasets.Watcher` and
  switches within a few seconds, no restart), or, while nothing is published, the configured data folder
  (``MIPEXR_DATA_DIR`` or the embedded ``data/``). It changes only through an authenticated path: the admin
  token on the Data page / ``/datasets/…`` routes, or ``python -m dashboard datasets …`` on the server.
* **A private workspace** — a visitor's own files, stored in the database under a random id kept in that
  browser's cookie (:data:`WORKSPACE_COOKIE`); only requests carrying that cookie see it, on any worker.

Nothing here is user data held in process memory: the per-process caches below are derived from records in the
database (keyed by version id or workspace checksum) and can be dropped at any time. A version or workspace that
cannot be loaded is logged and the last good data keep being served.
"""

from __future__ import annotations

import atexit
import logging
import shutil
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

from dashboard import data

log = logging.getLogger(__name__)

WORKSPACE_COOKIE = "mipexr_ws"
#: Workspaces kept loaded per process (each is a validated Dataset of a few MB).
WORKSPACE_CACHE = 4

_lock = threading.RLock()
_data_dir: Path | None = None
_watcher = None
_loaded: tuple[object, data.Dataset] | None = None       # (version id or "folder", dataset)
_unavailable_until = 0.0
_root: Path | None = None
_failed: set[object] = set()                               # versions that did not load (not retried each request)
_workspaces: OrderedDict[tuple[str, str], data.Dataset] = OrderedDict()


def _cache_root() -> Path:
    """This process's folder of materialised packages (the raw-file downloads and imports read a dataset's
    folder); removed at exit."""
    global _root
    with _lock:
        if _root is None or not _root.exists():
            _root = Path(tempfile.mkdtemp(prefix="mipexr-data-"))
            atexit.register(shutil.rmtree, _root, True)
        return _root


def _load_files(files: dict[str, bytes], name: str) -> data.Dataset:
    """Write a package's files into this process's cache folder and load (validate) it there."""
    folder = _cache_root() / name
    if folder.exists():
        shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    try:
        for file_name, content in files.items():
            target = folder / file_name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        return data.load_dataset(folder)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def _drop_folder(dataset: data.Dataset) -> None:
    root = _root
    if root is not None and root in dataset.data_dir.parents:
        shutil.rmtree(dataset.data_dir, ignore_errors=True)


def configure(data_dir: Path | str | None) -> None:
    """Choose the data folder used while nothing is published (None = ``MIPEXR_DATA_DIR`` or ``data/``).

    Loads and validates it now, so a bad folder fails at start with its file/row/column message."""
    global _data_dir, _loaded, _unavailable_until
    folder = Path(data_dir) if data_dir else None
    dataset = data.load_dataset(folder)
    with _lock:
        _data_dir = folder
        _loaded = ("folder", dataset)
        _failed.clear()
        _workspaces.clear()
        _unavailable_until = 0.0


def data_dir() -> Path | None:
    return _data_dir


def _watch():
    global _watcher
    if _watcher is None:
        from dashboard import datasets

        with _lock:
            if _watcher is None:
                _watcher = datasets.Watcher()
    return _watcher


def published():
    """``(version id or None, generation)`` of the shared data, as this worker last saw it (None: unknown).

    While the store cannot be reached (no database yet, or it is down) it is asked again only after the
    polling interval, not on every request."""
    global _unavailable_until
    from dashboard import datasets

    if time.monotonic() < _unavailable_until:
        return None
    try:
        return _watch().current()
    except datasets.StoreUnavailable:
        _unavailable_until = time.monotonic() + datasets.watcher.poll_seconds()
        return None


def generation() -> int:
    """A number that changes whenever the shared data do (for caches and optimistic publishing)."""
    pub = published()
    return int(pub.generation) if pub is not None else 0


def shared() -> data.Dataset:
    """The shared dataset: the published version, else the configured folder."""
    global _loaded
    pub = published()
    want = pub.version_id if pub is not None and pub.version_id is not None else "folder"
    with _lock:
        if _loaded is not None and (_loaded[0] == want or want in _failed):
            return _loaded[1]
    try:
        if want == "folder":
            fresh = data.load_dataset(_data_dir)
        else:
            from dashboard import datasets

            fresh = _load_files(datasets.get_files(want), f"version-{want}")
    except Exception:  # noqa: BLE001 - a bad or unreachable version: keep serving the last good data
        log.exception("could not load the shared dataset %s; keeping the last good data", want)
        with _lock:
            _failed.add(want)
            if _loaded is not None:
                return _loaded[1]
        fresh = data.load_dataset(_data_dir)
        want = "folder"
    with _lock:
        old, _loaded = _loaded, (want, fresh)
    if old is not None and old[1] is not fresh:
        _drop_folder(old[1])
    return fresh


def workspace_id() -> str | None:
    """The private workspace id of the current request (its cookie), or None outside a request / without one."""
    try:
        from flask import has_request_context, request
    except ImportError:  # pragma: no cover - Flask ships with Dash
        return None
    if not has_request_context():
        return None
    value = request.cookies.get(WORKSPACE_COOKIE)
    return value if value and 16 <= len(value) <= 128 else None


def workspace(ws_id: str) -> data.Dataset | None:
    """The dataset of a private workspace, or None when it is gone (expired) or cannot be loaded."""
    from dashboard import datasets

    try:
        info = datasets.workspace_info(ws_id)
    except datasets.DatasetError:
        log.warning("workspace store unavailable; serving the shared data", exc_info=True)
        return None
    if info is None:
        return None
    key = (ws_id, info.package_sha256)
    with _lock:
        if key in _workspaces:
            _workspaces.move_to_end(key)
            return _workspaces[key]
    try:
        dataset = _load_files(datasets.workspace_files(ws_id), f"workspace-{info.package_sha256[:16]}")
    except Exception:  # noqa: BLE001 - a workspace that no longer loads: the visitor sees the shared data
        log.exception("could not load workspace %s…", ws_id[:6])
        return None
    with _lock:
        _workspaces[key] = dataset
        while len(_workspaces) > WORKSPACE_CACHE:
            _drop_folder(_workspaces.popitem(last=False)[1])
    return dataset


def current() -> data.Dataset:
    """The dataset this request shows: the visitor's workspace when its cookie names one, else the shared data."""
    ws_id = workspace_id()
    if ws_id:
        dataset = workspace(ws_id)
        if dataset is not None:
            return dataset
    return shared()


def shared_data() -> bool:
    """Whether the current request sees the shared data (no private-workspace cookie). Only what is built
    from the shared data is kept between requests (:mod:`dashboard.views.cache`); a visitor's own files never."""
    return workspace_id() is None


def in_workspace() -> bool:
    """Whether the current request is served from a private workspace."""
    ws_id = workspace_id()
    return bool(ws_id) and workspace(ws_id) is not None


def forget_version(version_id) -> None:
    """Allow a version that failed to load to be tried again (after an administrator fixed the store)."""
    with _lock:
        _failed.discard(version_id)


def set_current(dataset: data.Dataset) -> None:
    """Tests only: serve ``dataset`` as the configured folder's data in this process."""
    global _loaded
    with _lock:
        _loaded = ("folder", dataset)


def refresh() -> None:
    """Ask the database again now (after this worker changed the shared data), instead of at the next poll."""
    global _unavailable_until
    _unavailable_until = 0.0
    if _watcher is not None:
        _watcher.invalidate()


# --------------------------------------------------------------------------------------------
# the same dataset in another process (a Celery worker making an export)

_sources: OrderedDict[object, data.Dataset] = OrderedDict()


def source_of(dataset: data.Dataset) -> tuple | None:
    """How another process finds the shared ``dataset``: ``("folder",)`` (the configured folder) or
    ``("version", id)`` (a published version); None for anything else (a visitor's private workspace,
    which stays with the process serving that visitor)."""
    with _lock:
        if _loaded is None or _loaded[1] is not dataset:
            return None
        return ("folder",) if _loaded[0] == "folder" else ("version", _loaded[0])


def load_source(source: Sequence) -> data.Dataset:
    """The dataset :func:`source_of` named, loaded in this process (a Celery worker): the configured folder,
    or the published version ``id`` (read from the shared database, kept among the last few)."""
    kind = source[0] if source else None
    if kind == "folder":
        with _lock:
            if _loaded is not None and _loaded[0] == "folder":
                return _loaded[1]
        return data.load_dataset(_data_dir)
    if kind == "version" and len(source) == 2:
        version_id = int(source[1])
        with _lock:
            if _loaded is not None and _loaded[0] == version_id:
                return _loaded[1]
            if version_id in _sources:
                _sources.move_to_end(version_id)
                return _sources[version_id]
        from dashboard import datasets

        dataset = _load_files(datasets.get_files(version_id), f"version-{version_id}")
        with _lock:
            _sources[version_id] = dataset
            while len(_sources) > 4:
                _drop_folder(_sources.popitem(last=False)[1])
        return dataset
    raise ValueError(f"unknown dataset source {source!r}")
