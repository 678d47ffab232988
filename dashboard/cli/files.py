"""Writing output files safely: all or nothing, readable like any other file, and every file-system
problem turned into one plain :class:`~dashboard.errors.UserError` line (exit status 2), never a traceback."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from dashboard.errors import InputError, UserError


class OutputError(UserError):
    """An output path that cannot be written (a folder, no permission, no space)."""


def check_output(path: Path | str) -> Path:
    """Refuse an output path that is a folder before any work is done."""
    path = Path(path)
    if path.is_dir():
        raise OutputError(f"cannot write {path}: it is a folder; give a file name")
    return path


def atomic_write(path: Path | str, write: Callable[[Path], None]) -> None:
    """Call ``write(tmp_path)`` then move the result onto ``path``; nothing is left behind on failure.

    The file gets the permissions any new file would get (umask), not mkstemp's private 0600."""
    path = check_output(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        os.close(fd)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        write(Path(tmp))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_bytes(path: Path | str, content: bytes) -> None:
    atomic_write(path, lambda tmp: tmp.write_bytes(content))


def write_text(path: Path | str, text: str, encoding: str = "utf-8") -> None:
    atomic_write(path, lambda tmp: tmp.write_text(text, encoding=encoding, newline=""))


def input_file(path: Path | str) -> Path:
    """An input path that must be an existing, readable file (a folder or a missing file is a clear error)."""
    path = Path(path)
    if path.is_dir():
        raise InputError(path.name or str(path), f"{path} is a folder; give a file")
    if not path.exists():
        raise InputError(path.name, f"file not found: {path}")
    if not os.access(path, os.R_OK):
        raise InputError(path.name, f"cannot read {path}: permission denied")
    return path
