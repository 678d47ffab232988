"""A data package as a ``{relative name: bytes}`` mapping: checks, checksums, and folders on disk.

Pure of the database. The names are relative POSIX paths inside the package (``datapackage.json``,
``answers.csv``, ``tables/scores.csv``…); anything that could escape the folder is refused. A package
is written to disk only inside :func:`package_folder` (a fresh folder under :func:`temp_root`, removed
when the block ends, whether it succeeded or failed) or by :func:`write_package` (all or nothing).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from dashboard import config, i18n
from dashboard.constants import MAX_FILE_BYTES, MB
from dashboard.datasets.errors import DatasetInvalid, PackageRefused
from dashboard.errors import UserError
from dashboard.i18n import _

log = logging.getLogger(__name__)

DESCRIPTOR = "datapackage.json"
#: The descriptor's entry in the ``resource`` column.
DESCRIPTOR_RESOURCE = "datapackage"
MAX_FILES = 64
MAX_NAME_CHARS = 1000
MAX_PART_BYTES = 255
MAX_DESCRIPTOR_BYTES = 1 * MB
#: Largest package (all files together) saved as a version.
MAX_PACKAGE_BYTES = 8 * MAX_FILE_BYTES
TEMP_PREFIX = "mipexr-dataset-"
#: Temp folders older than this are left-overs of a killed process and are swept.
STALE_TEMP_SECONDS = 3600

Validator = Callable[[Path], Any]


@dataclass(frozen=True)
class FileInfo:
    """One file of a package: its name inside the package, its descriptor resource ("" if none), size, sha256."""

    name: str
    resource: str
    size: int
    sha256: str


def check_name(name: Any) -> str:
    """``name`` if it is a safe relative path inside a package, else :class:`PackageRefused`."""
    if not isinstance(name, str) or not name:
        raise PackageRefused(_("a file name is empty or not text"))
    shown = name if len(name) <= 80 else name[:77] + "…"
    if len(name) > MAX_NAME_CHARS:
        raise PackageRefused(_("file name {name} is longer than {max} characters").format(name=repr(shown),
                                                                                        max=MAX_NAME_CHARS))
    if "\\" in name or "\x00" in name or any(ord(c) < 32 for c in name):
        raise PackageRefused(_("file name {name} contains a backslash or a control character").format(
            name=repr(shown)))
    path = PurePosixPath(name)
    if path.is_absolute() or any(part in ("", ".", "..") for part in name.split("/")):
        raise PackageRefused(_("file name {name} must be a plain relative path inside the package").format(
            name=repr(shown)))
    for part in path.parts:
        if len(part.encode("utf-8", "surrogatepass")) > MAX_PART_BYTES:
            raise PackageRefused(_("file name {name}: a part is longer than {max} bytes").format(
                name=repr(shown), max=MAX_PART_BYTES))
    return name


def descriptor_resources(files: Mapping[str, bytes]) -> dict[str, str]:
    """``{file name: resource name}`` from the package's ``datapackage.json`` (refused when unreadable)."""
    raw = files.get(DESCRIPTOR)
    if raw is None:
        raise PackageRefused(_("the package has no {descriptor}").format(descriptor=DESCRIPTOR))
    raw = bytes(raw)
    if len(raw) > MAX_DESCRIPTOR_BYTES:
        raise PackageRefused(_("{descriptor} is larger than {max} MB").format(descriptor=DESCRIPTOR,
                                                                            max=MAX_DESCRIPTOR_BYTES // MB))
    try:
        desc = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise PackageRefused(_("{descriptor}: not valid UTF-8 JSON ({reason})").format(
            descriptor=DESCRIPTOR, reason=str(exc)[:80])) from None
    if not isinstance(desc, dict) or not isinstance(desc.get("resources"), list):
        raise PackageRefused(_("{descriptor}: expected an object with a 'resources' list").format(
            descriptor=DESCRIPTOR))
    mapping = {DESCRIPTOR: DESCRIPTOR_RESOURCE}
    for res in desc["resources"]:
        if isinstance(res, dict) and isinstance(res.get("path"), str) and isinstance(res.get("name"), str):
            mapping[str(PurePosixPath(res["path"]))] = res["name"][:200]
    return mapping


def _too_large(name: str, size: int) -> str:
    return _("{name}: {size} MB is larger than the {max} MB limit").format(
        name=name, size=i18n.number(size / MB, 1), max=MAX_FILE_BYTES // MB)


def check_files(files: Mapping[str, bytes], *, max_bytes: int = MAX_PACKAGE_BYTES) -> list[FileInfo]:
    """Check names, types and sizes of a package's files (before anything is written); their :class:`FileInfo`."""
    if not isinstance(files, Mapping) or not files:
        raise PackageRefused(_("no files were given"))
    if len(files) > MAX_FILES:
        raise PackageRefused(_("{n} files: a package holds at most {max}").format(n=len(files), max=MAX_FILES))
    total = 0
    for name, content in files.items():
        check_name(name)
        if not isinstance(content, (bytes, bytearray, memoryview)):
            raise PackageRefused(_("{name}: the content is not bytes").format(name=name))
        size = len(content)
        if size > MAX_FILE_BYTES:
            raise PackageRefused(_too_large(name, size))
        total += size
    if total > max_bytes:
        raise PackageRefused(_("the files add up to {size} MB, more than the {max} MB allowed").format(
            size=i18n.number(total / MB, 1), max=i18n.number(max_bytes / MB)))
    resources = descriptor_resources(files)
    names = {_folded(n) for n in files}
    if len(names) != len(files):
        raise PackageRefused(_("two file names differ only in letter case"))
    return [FileInfo(name, resources.get(name, ""), len(files[name]), hashlib.sha256(files[name]).hexdigest())
            for name in sorted(files)]


def _folded(name: str) -> str:
    return name.casefold()


def package_sha256(infos: list[FileInfo]) -> str:
    """One checksum for the whole package: sha256 over the sorted ``name NUL sha256 LF`` lines."""
    h = hashlib.sha256()
    for info in sorted(infos, key=lambda i: i.name):
        h.update(info.name.encode("utf-8", "surrogatepass") + b"\x00" + info.sha256.encode("ascii") + b"\n")
    return h.hexdigest()


# --------------------------------------------------------------------------------------------
# folders


def temp_root() -> Path:
    """Where packages are unpacked for validation and loading: ``<MIPEXR_VAR_DIR>/tmp``."""
    root = config.var_dir() / "tmp"
    root.mkdir(parents=True, exist_ok=True)
    return root


def sweep_stale_temp(root: Path | None = None, older_than: float = STALE_TEMP_SECONDS) -> int:
    """Remove temp folders a killed process left behind (older than ``older_than`` seconds); their count."""
    root = root or temp_root()
    limit = time.time() - older_than
    removed = 0
    for entry in root.glob(f"{TEMP_PREFIX}*"):
        try:
            if entry.lstat().st_mtime >= limit:
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
            removed += 1
        except OSError:
            continue
    return removed


def _write_files(folder: Path, files: Mapping[str, bytes]) -> None:
    for name, content in files.items():
        target = folder / check_name(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(bytes(content))


@contextmanager
def package_folder(files: Mapping[str, bytes]) -> Iterator[Path]:
    """The package written to a fresh temp folder for the block; the folder is removed afterwards, always."""
    folder = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=temp_root()))
    try:
        _write_files(folder, files)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run_validator(files: Mapping[str, bytes], validate: Validator) -> Any:
    """``validate(folder)`` on the package unpacked in a temp folder (removed afterwards); its result.

    A :class:`~dashboard.errors.UserError` from the validator keeps its message (file, row, column, rule) as
    :class:`DatasetInvalid`; any other exception is logged and reported in one line as well — an unreadable
    package must never crash the caller.
    """
    if not callable(validate):
        raise TypeError("validate must be a callable taking the package folder")
    try:
        sweep_stale_temp()
    except OSError:  # pragma: no cover - a sweep problem must not block a save
        log.warning("could not sweep stale dataset temp folders", exc_info=True)
    with package_folder(files) as folder:
        try:
            return validate(folder)
        except UserError as exc:
            raise DatasetInvalid(str(exc)) from exc
        except Exception as exc:  # noqa: BLE001 - a loader crash on hostile input is a refusal, not a 500
            log.exception("dataset validator crashed on a package")
            text = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
            raise DatasetInvalid(_("the package could not be loaded ({reason})").format(reason=text)) from exc


def write_package(files: Mapping[str, bytes], dest_dir: Path | str, *, replace: bool = False) -> Path:
    """Write the package to ``dest_dir`` all or nothing: into a sibling temp folder, then renamed into place.

    ``dest_dir`` must not exist (or be an empty folder); ``replace=True`` swaps an existing folder out (the old
    one is moved aside, then deleted). On any failure nothing is left at ``dest_dir`` or beside it.
    """
    dest = Path(dest_dir)
    check_files(files, max_bytes=max(MAX_PACKAGE_BYTES, sum(len(c) for c in files.values())))
    if dest.exists() and not dest.is_dir():
        raise PackageRefused(_("{path} exists and is not a folder").format(path=dest))
    if dest.is_dir() and any(dest.iterdir()) and not replace:
        raise PackageRefused(_("{path} already exists and is not empty (choose a new folder)").format(path=dest))
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.parent))
    aside: Path | None = None
    try:
        _write_files(tmp, files)
        os.chmod(tmp, 0o777 & ~_umask())
        if dest.exists():
            if any(dest.iterdir()):
                aside = Path(tempfile.mkdtemp(prefix=f".{dest.name}.old.", dir=dest.parent))
                os.replace(dest, aside / "old")
            else:
                dest.rmdir()
        os.replace(tmp, dest)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if aside is not None and (aside / "old").exists() and not dest.exists():
            os.replace(aside / "old", dest)  # put the previous folder back
        raise
    finally:
        if aside is not None:
            shutil.rmtree(aside, ignore_errors=True)
    return dest


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def read_package_dir(folder: Path | str) -> dict[str, bytes]:
    """The files of the data package in ``folder``: ``datapackage.json`` and every resource path it names.

    Other files in the folder (scripts, notes) are not part of the package. Limits as :func:`check_files`.
    """
    base = Path(folder)
    if not base.is_dir():
        raise PackageRefused(_("{path} is not a folder").format(path=base))
    descriptor = base / DESCRIPTOR
    if not descriptor.is_file():
        raise PackageRefused(_("{path} has no {descriptor}").format(path=base, descriptor=DESCRIPTOR))
    if descriptor.stat().st_size > MAX_DESCRIPTOR_BYTES:
        raise PackageRefused(_("{path}: larger than {max} MB").format(path=descriptor, max=MAX_DESCRIPTOR_BYTES // MB))
    files = {DESCRIPTOR: descriptor.read_bytes()}
    total = len(files[DESCRIPTOR])
    root = base.resolve()
    for name in descriptor_resources(files):
        if name == DESCRIPTOR:
            continue
        check_name(name)
        path = base / name
        if not path.resolve().is_relative_to(root):
            raise PackageRefused(_("{name}: resolves outside {path}").format(name=name, path=base))
        if not path.is_file():
            raise PackageRefused(_("{descriptor} names {name}, which is not a file in {path}").format(
                descriptor=DESCRIPTOR, name=name, path=base))
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise PackageRefused(_too_large(name, size))
        total += size
        if total > MAX_PACKAGE_BYTES:
            raise PackageRefused(_("the files add up to more than the {max} MB allowed").format(
                max=i18n.number(MAX_PACKAGE_BYTES / MB)))
        files[name] = path.read_bytes()
    return files
