"""``python -m dashboard datasets …``: the shared data as versions in the database (the server's own path).

    datasets list                                  saved versions, newest first; which one is published
    datasets show ID                               one version as JSON (files, checksums, who saved it)
    datasets save DIR [--source TEXT] [--edition YEAR ...] [--note TEXT]
                                                   validate a data package folder and save it as a version
    datasets publish ID [--expected-generation N]  show version ID to everyone (every worker within seconds)
    datasets rollback                              show again what was shown before the last change
    datasets reset                                 show the embedded data again
    datasets history                               who changed the published data, when, from what to what
    datasets export ID DIR                         write a version's package to a new folder
    datasets purge-workspaces                      delete expired private workspaces
    datasets upgrade                               migrate the dataset tables to the newest schema

The command line may always publish (it runs on the server); the web needs ``MIPEXR_ADMIN_TOKEN``. Every
command takes ``--db-url URL`` (default ``MIPEXR_DB_URL`` or the SQLite file in the var folder) and
``--by NAME`` for the audit (default ``cli:<user>@<host>``). Problems print one line and exit with status 2.
"""

from __future__ import annotations

import argparse
import json
import sys


def add_parsers(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the ``datasets`` command (with its sub-commands) to the CLI's sub-parsers."""
    parser = subparsers.add_parser("datasets", help="shared data versions: list, save, publish, rollback, reset",
                                   description=__doc__.split("\n\n")[0],
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db-url", default=None, help="database URL (default: MIPEXR_DB_URL or var/lab.sqlite3)")
    common.add_argument("--by", default=None, help="your name for the audit (default: cli:<user>@<host>)")
    sub = parser.add_subparsers(dest="datasets_command", metavar="COMMAND", required=True)

    p = sub.add_parser("list", parents=[common], help="saved versions, newest first")
    p.add_argument("--json", action="store_true", help="print JSON")
    p = sub.add_parser("show", parents=[common], help="one version as JSON")
    p.add_argument("id")
    p = sub.add_parser("save", parents=[common], help="validate a data package folder and save it as a version")
    p.add_argument("dir", help="folder with datapackage.json and the files it names")
    p.add_argument("--source", default="", help="where the data comes from (shown with the data)")
    p.add_argument("--edition", action="append", default=[], metavar="YEAR",
                   help="edition year of the scores (repeatable, or comma-separated)")
    p.add_argument("--note", default="", help="a note for the maintainers")
    p = sub.add_parser("publish", parents=[common], help="show a version to everyone")
    p.add_argument("id")
    p.add_argument("--expected-generation", type=int, default=None, metavar="N",
                   help="only if the published generation is still N (refused if someone published meanwhile)")
    for name, text in (("rollback", "show again what was shown before the last change"),
                       ("reset", "show the embedded data again")):
        p = sub.add_parser(name, parents=[common], help=text)
        p.add_argument("--expected-generation", type=int, default=None, metavar="N",
                       help="only if the published generation is still N")
    p = sub.add_parser("history", parents=[common], help="changes of the published data, newest first")
    p.add_argument("--limit", type=int, default=20)
    p = sub.add_parser("export", parents=[common], help="write a version's package to a new folder")
    p.add_argument("id")
    p.add_argument("dir", help="a folder that does not exist yet (or is empty)")
    sub.add_parser("purge-workspaces", parents=[common], help="delete expired private workspaces")
    sub.add_parser("upgrade", parents=[common], help="migrate the dataset tables to the newest schema")
    parser.set_defaults(func=run)
    return parser


def _default_by() -> str:
    import getpass
    import socket

    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (containers)
        user = "unknown"
    return f"cli:{user}@{socket.gethostname()}"[:200]


def _editions(values: list[str]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def run(args: argparse.Namespace) -> int:
    """Execute a parsed ``datasets`` command; returns the exit status (errors leave as ``UserError``)."""
    from dashboard import datasets
    from dashboard.datasets import db, migrations

    url = args.db_url or None
    out = sys.stdout
    cmd = args.datasets_command
    try:
        migrations.upgrade(url)  # every command works on an up-to-date schema
    except Exception as exc:  # noqa: BLE001 - one line, not a traceback
        raise datasets.StoreUnavailable(f"cannot prepare the dataset tables in {db.redact(url)}: "
                                        f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}") from exc
    by = args.by or _default_by()
    if cmd == "upgrade":
        print(f"dataset tables in {db.redact(url)} are at revision {migrations.current_revision(url)}", file=out)
        return 0
    if cmd == "list":
        pointer = datasets.published(url=url)
        versions = datasets.list_versions(url=url)
        if args.json:
            payload = {"published": pointer._asdict(), "versions": [_private(v) for v in versions]}
            print(json.dumps(payload, ensure_ascii=False, indent=2), file=out)
            return 0
        shown = "the embedded data" if pointer.version_id is None else f"version {pointer.version_id}"
        print(f"published: {shown} (generation {pointer.generation})", file=out)
        for v in versions:
            print(_line(v), file=out)
        if not versions:
            print("no saved versions (save one with: python -m dashboard datasets save DIR)", file=out)
        return 0
    if cmd == "show":
        print(json.dumps(_private(datasets.get_version(args.id, url=url)), ensure_ascii=False, indent=2), file=out)
        return 0
    if cmd == "save":
        from dashboard import data

        files = datasets.read_package_dir(args.dir)
        info = datasets.save_version(files, validate=lambda folder: data.load_dataset(folder), created_by=by,
                                     source=args.source, editions=_editions(args.edition), note=args.note, url=url)
        print(f"saved version {info.id}: {len(info.files)} files, {info.total_bytes:,} bytes "
              f"(publish it with: python -m dashboard datasets publish {info.id})", file=out)
        return 0
    if cmd == "publish":
        result = datasets.publish(args.id, by=by, expected_generation=args.expected_generation, url=url)
        print(f"published version {result.version_id} (generation {result.generation}); "
              f"every worker shows it within a few seconds", file=out)
        return 0
    if cmd in ("rollback", "reset"):
        change = datasets.rollback if cmd == "rollback" else datasets.reset
        result = change(by=by, expected_generation=args.expected_generation, url=url)
        shown = "the embedded data" if result.version_id is None else f"version {result.version_id}"
        print(f"{cmd}: {shown} is published (generation {result.generation})", file=out)
        return 0
    if cmd == "history":
        for r in datasets.audit_log(limit=args.limit, url=url):
            print(f"{r.at:%Y-%m-%d %H:%M:%S}Z  generation {r.generation}  {r.action}: "
                  f"{_name(r.from_version_id)} -> {_name(r.to_version_id)}  by {r.by}", file=out)
        return 0
    if cmd == "export":
        path = datasets.materialise(args.id, args.dir, url=url)
        print(f"wrote version {args.id} to {path}", file=out)
        return 0
    if cmd == "purge-workspaces":
        print(f"deleted {datasets.purge_expired(url=url)} expired private workspace(s)", file=out)
        return 0
    raise AssertionError(f"unhandled datasets command {cmd!r}")  # pragma: no cover - argparse restricts it


def _name(version_id) -> str:
    return "embedded" if version_id is None else f"#{version_id}"


def _line(v) -> str:
    editions = ",".join(map(str, v.editions)) or "-"
    mark = "  [published]" if v.published else ""
    source = f"  {v.source}" if v.source else ""
    return (f"#{v.id}  {v.created_at:%Y-%m-%d %H:%M}Z  editions {editions}  {len(v.files)} files "
            f"{v.total_bytes:,} bytes  by {v.created_by}{source}{mark}")


def _private(v) -> dict:
    """The maintainer's view: public metadata plus who saved it."""
    return {**v.public_dict(), "created_by": v.created_by}
