"""Reading and writing the command line's files safely: all or nothing, readable like any other file, and
every file-system problem turned into one plain :class:`~dashboard.errors.UserError` line (exit status 2),
never a traceback.

* :func:`check_output` — before any work: refuses an output path that is a folder, sits under a file, or
  whose folder cannot be created or written (permission, read-only file system), by trying it;
* :func:`atomic_write` / :func:`write_bytes` / :func:`write_text` — write a temporary file next to the
  target, flush it to disk, then rename it over the target; on any error (no space, quota, I/O) the
  temporary file is removed and the target is untouched;
* :func:`input_file` — an input must be an existing, readable, regular file (not a folder, a device or
  a pipe, which could be read forever).
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from dashboard.errors import InputError, UserError


class OutputError(UserError):
    """An output path that cannot be written (a folder, no permission, no space)."""


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc) or type(exc).__name__


def _existing_ancestor(folder: Path) -> Path:
    """``folder`` or its nearest ancestor that exists."""
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


def check_output(path: Path | str) -> Path:
    """The output path, checked before any work is done: not a folder, not something other than a file,
    and its folder (or the nearest existing folder it would be created in) writable — tried with a
    temporary file that is removed at once. Nothing else is created. OutputError otherwise."""
    path = Path(path)
    if not str(path).strip():
        raise OutputError("no output file given")
    if path.is_dir():
        raise OutputError(f"cannot write {path}: it is a folder; give a file name")
    if path.exists() and not path.is_file():
        raise OutputError(f"cannot write {path}: it is not a regular file")
    folder = path.parent if str(path.parent) else Path(".")
    base = _existing_ancestor(folder)
    if not base.is_dir():
        raise OutputError(f"cannot write {path}: {base} is a file, not a folder")
    try:
        fd, probe = tempfile.mkstemp(prefix=".mipexr-probe-", dir=base)
    except OSError as exc:
        what = "write in" if base == folder else "create a folder in"
        raise OutputError(f"cannot write {path}: cannot {what} {base}: {_reason(exc)}") from None
    os.close(fd)
    os.unlink(probe)
    return path


def atomic_write(path: Path | str, write: Callable[[Path], None]) -> None:
    """Call ``write(tmp_path)`` then move the result onto ``path``; nothing is left behind on failure.

    The data are flushed to disk (``fsync``) before the rename, so a full disk or a quota is reported here
    and not discovered later. The file gets the permissions any new file would get (umask), not mkstemp's
    private 0600."""
    path = check_output(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        os.close(fd)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {_reason(exc)}") from None
    try:
        write(Path(tmp))
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"cannot write {path}: {_reason(exc)}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_bytes(path: Path | str, content: bytes) -> None:
    atomic_write(path, lambda tmp: tmp.write_bytes(content))


def write_text(path: Path | str, text: str, encoding: str = "utf-8") -> None:
    atomic_write(path, lambda tmp: tmp.write_text(text, encoding=encoding, newline=""))


def input_file(path: Path | str) -> Path:
    """An input path that must be an existing, readable, regular file; InputError (one line naming the
    file) for a folder, a missing file, a device or pipe, or a file that cannot be read."""
    path = Path(path)
    name = path.name or str(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputError(name, f"file not found: {path}") from None
    except OSError as exc:
        raise InputError(name, f"cannot read {path}: {_reason(exc)}") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(name, f"{path} is a folder; give a file")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(name, f"{path} is not a regular file")
    try:
        with path.open("rb") as fh:
            fh.read(1)
    except OSError as exc:
        raise InputError(name, f"cannot read {path}: {_reason(exc)}") from None
    return path
