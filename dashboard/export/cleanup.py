"""Clean-up after processes that could not clean up themselves: a web worker killed outright (SIGKILL, the
out-of-memory killer) leaves its export folder (``mipexr-export-<pid>-…`` in the temp folder, see
:mod:`dashboard.export.browser`) and perhaps a Chromium still ending. Gunicorn's master calls
:func:`remove_folders_of` for every worker that exits and once at start (``dashboard.serving.gunicorn_conf``).
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
import time
from pathlib import Path

from dashboard.export.browser import TMP_PREFIX, processes_using


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def _folder_pid(path: Path) -> int | None:
    try:
        return int(path.name[len(TMP_PREFIX):].split("-", 1)[0])
    except ValueError:
        return None


def remove_folders_of(pid: int | None = None, tmp_root: str | Path | None = None, grace: float = 5.0) -> list[Path]:
    """Clean up after processes that could not clean up themselves (a worker killed with SIGKILL, a server
    killed outright): for every export folder of ``pid`` — or, with ``pid=None``, of every process that is
    no longer running — stop the Chromium processes still using it (an orphaned Chromium ends by itself
    when its pipe closes, but may still be writing its profile), then remove the folder. Gunicorn's master
    calls this when a worker exits and once at start. Returns the folders removed."""
    root = Path(tmp_root or tempfile.gettempdir())
    removed = []
    for path in root.glob(f"{TMP_PREFIX}*"):
        owner = _folder_pid(path)
        if owner is None or not path.is_dir() or (owner != pid if pid is not None else _pid_alive(owner)):
            continue
        deadline = time.monotonic() + grace
        while (left := processes_using(path)) and time.monotonic() < deadline:
            for child in left:
                try:
                    os.kill(child, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
            time.sleep(0.05)
        for _unused in range(3):  # a process that was ending may still have created a file
            shutil.rmtree(path, ignore_errors=True)
            if not path.exists():
                break
            time.sleep(0.2)
        removed.append(path)
    return removed
