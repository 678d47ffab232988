"""The Data page's logic (pure, no Dash): uploads → a checked data package → a private workspace or a new
shared version; the raw files of what is shown.

Two ways in, one way out:

* :func:`package_from_tables` — published score tables (wide or long, CSV or XLSX, as published) read and
  matched by :mod:`dashboard.importing` (with a preview of what was recognised) into a package whose ``scores``
  are the imported ones, the other parts copied from the data shown now;
* :func:`package_from_resource` — one part of the data package (answers, regions, framework, outcomes, scores)
  replaced by a file in the package's own format;

both give the package's files (``{file name: bytes}``), checked whole by :func:`dashboard.data.load_dataset`,
and never leave a temporary folder behind. :func:`keep_private` stores them as the visitor's workspace;
:func:`publish_for_everyone` (admin token) saves them as a version and publishes it for every worker.
"""

from __future__ import annotations

import base64
import binascii
import json
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from dashboard import data
from dashboard.constants import MAX_FILE_BYTES
from dashboard.data import Dataset
from dashboard.errors import InputError, UserError
from dashboard.i18n import N_, _

#: Said after every refusal (English, N_-marked: show it as ``_(NOT_CHANGED)``).
NOT_CHANGED = N_("Nothing was changed: the dashboard keeps the data it shows.")


@dataclass
class Checked:
    """An upload checked into a package: ``files`` (None when refused), the preview ``lines``, ``editions``."""

    files: dict[str, bytes] | None
    lines: list[str] = field(default_factory=list)
    editions: tuple[int, ...] = ()
    source: str = ""

    @property
    def ok(self) -> bool:
        return self.files is not None


def decode_upload(contents: str, filename: str) -> bytes:
    """``data:<mime>;base64,<payload>`` (what dcc.Upload gives) → bytes, refusing an oversize payload before
    decoding it; :class:`InputError` naming the file otherwise."""
    if not isinstance(contents, str) or "," not in contents:
        raise InputError(filename, _("the upload did not contain a file"))
    header, payload = contents.split(",", 1)
    estimated = len(payload) * 3 // 4
    if estimated > MAX_FILE_BYTES + 3:
        raise data.too_big(filename, estimated)
    if ";base64" not in header:
        raise InputError(filename, _("the upload was not base64-encoded"))
    try:
        content = base64.b64decode(payload, validate=False)
    except (binascii.Error, ValueError) as exc:
        raise InputError(filename, _("the upload could not be decoded ({reason})").format(reason=exc)) from None
    if len(content) > MAX_FILE_BYTES:
        raise data.too_big(filename, len(content))
    if not content.strip():
        raise InputError(filename, _("the file is empty"))
    return content


def _package_files(folder: Path) -> dict[str, bytes]:
    from dashboard import datasets

    return datasets.read_package_dir(folder)


def package_from_tables(current: Dataset, uploads: list[tuple[str, bytes]], edition: int | None = None,
                        source: str | None = None) -> Checked:
    """Published score tables → a checked package (or the preview of what was not recognised)."""
    from dashboard import importing

    preview = importing.preview_import(uploads, current, edition=edition)
    lines = preview.lines()
    if not preview.ok:
        return Checked(None, lines, preview.editions)
    source = (source or "").strip() or "published tables: " + ", ".join(name for name, _content in uploads)
    tmp = Path(tempfile.mkdtemp(prefix="mipexr-upload-"))
    try:
        result = importing.write_package(preview, current, out=tmp / "package", source=source)
        return Checked(_package_files(result.path), lines, preview.editions, source)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def package_from_resource(current: Dataset, resource: str, filename: str, content: bytes,
                          illustrative: bool = False) -> Checked:
    """One part of the package replaced by an uploaded file (checked with the rest) → a package."""
    new = data.replace_resource(current, resource, filename, content, illustrative=illustrative)
    try:
        files = _package_files(new.data_dir)
    finally:
        shutil.rmtree(new.data_dir, ignore_errors=True)
    return Checked(files, [_("{file} read as {part}: {regions} regions, {indicators} indicators; everything else "
                             "kept.").format(file=filename, part=resource, regions=len(new.regions),
                                             indicators=len(new.framework))],
                   tuple(new.editions), f"file {filename} as {resource}")


def keep_private(checked: Checked) -> str:
    """Store a checked package as a new private workspace; returns its id (for the visitor's cookie)."""
    from dashboard import datasets

    return datasets.create_workspace(checked.files, validate=data.load_dataset)


def publish_for_everyone(checked: Checked, token: str | None, expected_generation: int | None):
    """Save a checked package as a new version and publish it for everyone (needs the admin token).

    Raises :class:`~dashboard.datasets.Conflict` when someone else published since the page was opened."""
    from dashboard import datasets

    datasets.require_admin(token)
    info = datasets.save_version(checked.files, validate=data.load_dataset, created_by="web (admin token)",
                                 source=checked.source, editions=checked.editions)
    return datasets.publish(info.id, by="web (admin token)", expected_generation=expected_generation)


def workspace_package(ws_id: str) -> Checked:
    """The visitor's workspace as a package (to publish it for everyone)."""
    from dashboard import datasets

    files = datasets.workspace_files(ws_id)
    return Checked(files, [], (), "a visitor's workspace, published with the admin token")


def shared_change(action: str, token: str | None, expected_generation: int | None):
    """``rollback`` or ``reset`` of the shared data (admin token)."""
    from dashboard import datasets

    datasets.require_admin(token)
    if action == "rollback":
        return datasets.rollback(by="web (admin token)", expected_generation=expected_generation)
    if action == "reset":
        return datasets.reset(by="web (admin token)", expected_generation=expected_generation)
    raise UserError(f"unknown action {action!r}")


def versions(limit: int = 10) -> list:
    """The newest shared versions (public metadata), or [] when the store cannot be reached."""
    from dashboard import datasets

    try:
        return datasets.list_versions(limit=limit)
    except datasets.DatasetError:
        return []


def descriptor(dataset: Dataset) -> dict:
    try:
        return json.loads((dataset.data_dir / "datapackage.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"resources": []}


def raw_files(dataset: Dataset) -> dict[str, Path]:
    """Resource name → its file in the shown data's folder (as stored, CSV or XLSX), plus ``datapackage``."""
    files = {}
    for res in descriptor(dataset).get("resources", []):
        path = dataset.data_dir / res["path"]
        if path.exists():
            files[res["name"]] = path
    if (dataset.data_dir / "datapackage.json").exists():
        files["datapackage"] = dataset.data_dir / "datapackage.json"
    return files


def raw_name(dataset: Dataset, resource: str, path: Path) -> str:
    """The name a raw download gets: the stored name, marked ``-ILLUSTRATIVE`` when that part is illustrative
    (the bytes stay as stored, so the file loads again as it is; the name carries the mark)."""
    if dataset.resource_illustrative.get(resource):
        return f"{path.stem}-ILLUSTRATIVE{path.suffix}"
    return path.name


def raw_file(dataset: Dataset, resource: str) -> tuple[str, bytes]:
    """(file name, bytes) of one raw file; KeyError for an unknown resource."""
    files = raw_files(dataset)
    if resource not in files:
        raise KeyError(f"no file for {resource!r}")
    return raw_name(dataset, resource, files[resource]), files[resource].read_bytes()


def expected_columns(dataset: Dataset) -> dict[str, list[str]]:
    """Resource → the column names its schema expects (from the shown data package)."""
    cols = {r["name"]: [f["name"] for f in r.get("schema", {}).get("fields", [])]
            for r in descriptor(dataset).get("resources", [])}
    cols.setdefault("scores", [f["name"] for f in data.SCORES_SCHEMA["fields"]])
    return cols
