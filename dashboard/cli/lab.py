"""``python -m dashboard lab …``: moderate, export, seed and migrate the Integration Lab.

    lab list [--pending | --status STATUS]     one line per practice
    lab show ID                                a practice in full (JSON, incl. pending ones)
    lab approve ID [--note TEXT]               publish a submission
    lab reject ID [--reason TEXT]              refuse it (kept, never shown)
    lab export --format csv|json --out FILE    approved practices ("-" = stdout)
    lab seed                                   add the seed practices that are missing
    lab upgrade                                migrate the database to the newest schema

Every command takes ``--db-url URL`` (default ``MIPEXR_DB_URL`` or the SQLite file in the var folder).
Region and country names come from the data package (``--data-dir``, ``MIPEXR_DATA_DIR`` or the embedded
``data/``). SQLAlchemy and the Lab's modules are imported only when a command runs.
"""

from __future__ import annotations

import argparse
import json
import sys

from dashboard.cli import files
from dashboard.errors import UserError


def add_parsers(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the ``lab`` command (with its own sub-commands) to a parent CLI's sub-parsers."""
    lab = subparsers.add_parser(
        "lab",
        help="Integration Lab: list, approve, reject, export, seed, upgrade",
        description=__doc__.split("\n\n")[0],
    )
    _configure(lab)
    return lab


def _configure(lab: argparse.ArgumentParser) -> None:
    lab.add_argument("--db-url", default=None, help="database URL (default: MIPEXR_DB_URL or var/lab.sqlite3)")
    lab.set_defaults(func=run, lab_command=None)
    # --db-url is accepted after the sub-command too (SUPPRESS keeps an earlier value)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db-url", default=argparse.SUPPRESS, help="database URL")
    sub = lab.add_subparsers(dest="lab_command", metavar="COMMAND")
    _add = sub.add_parser

    def add_parser(name, **kw):
        return _add(name, parents=[common], **kw)

    sub.add_parser = add_parser  # type: ignore[method-assign]

    p = sub.add_parser("list", help="list practices (default: all, by id)")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--pending", action="store_true", help="only submissions waiting for approval")
    group.add_argument("--status", help="only practices with this status: pending, approved or rejected")
    p.add_argument("--json", action="store_true", help="print JSON instead of one line per practice")

    p = sub.add_parser("show", help="print one practice as JSON (pending ones included)")
    p.add_argument("id")

    p = sub.add_parser("approve", help="publish a submission")
    p.add_argument("id")
    p.add_argument("--note", default="", help="moderator's note (not shown publicly)")

    p = sub.add_parser("reject", help="refuse a submission (it is kept but never shown)")
    p.add_argument("id")
    p.add_argument("--reason", default="", help="why it was refused")

    p = sub.add_parser("export", help="export the approved practices")
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.add_argument("--out", default="-", help='output file ("-" = standard output)')
    p.add_argument("--region", action="append", default=[], help="only this region (repeatable)")
    p.add_argument("--country", action="append", default=[], help="only this country code (repeatable)")
    p.add_argument("--area", action="append", default=[], help="only this policy area (repeatable)")
    p.add_argument("--target", action="append", default=[], help="only this target group (repeatable)")
    p.add_argument("--aspect", action="append", default=[], help="only practices inspiring on this aspect")
    p.add_argument("-q", "--query", default="", help="full-text search")

    sub.add_parser("seed", help="add the seed practices that are missing (idempotent)")
    sub.add_parser("upgrade", help="migrate the database to the newest schema")


def run(args: argparse.Namespace) -> int:
    """Execute a parsed ``lab`` command; returns the process exit code."""
    from dashboard.lab import db, migrations, repository, seed
    from dashboard.lab.vocab import STATUSES, Regions

    def regions() -> Regions:
        from dashboard import data

        return Regions.from_dataset(data.load_dataset(getattr(args, "data_dir", None)))

    url = getattr(args, "db_url", None) or None
    cmd = getattr(args, "lab_command", None)
    out = sys.stdout
    err = sys.stderr
    if cmd is None:
        print("usage: lab {list,show,approve,reject,export,seed,upgrade} … (see --help)", file=err)
        return 2
    try:
        if cmd == "upgrade":
            migrations.upgrade(url)
            revision = migrations.current_revision(url)
            print(f"Integration Lab database at {db.redact(url)} is at revision {revision}", file=out)
            return 0
        migrations.upgrade(url)  # every command works on an up-to-date schema
        if cmd == "seed":
            added = seed.seed(url, regions=regions())
            print(f"added {added} seed practice(s)", file=out)
            return 0
        if cmd == "list":
            status = "pending" if args.pending else args.status
            if status is not None and status not in STATUSES:
                print(f"error: unknown status {status!r}; expected one of: {', '.join(STATUSES)}", file=err)
                return 2
            records = repository.list_all(status, url=url)
            if args.json:
                names = regions()
                print(json.dumps([_private_dict(r, names) for r in records], ensure_ascii=False, indent=2), file=out)
            elif records:
                print(repository.summarise(records), file=out)
            else:
                print(f"no {status + ' ' if status else ''}practices", file=out)
            return 0
        if cmd == "show":
            rec = repository.get_practice(args.id, include_unapproved=True, url=url)
            print(json.dumps(_private_dict(rec, regions()), ensure_ascii=False, indent=2), file=out)
            return 0
        if cmd == "approve":
            rec = repository.approve(args.id, note=args.note, url=url)
            print(f"approved #{rec.id}: {rec.title}", file=out)
            return 0
        if cmd == "reject":
            rec = repository.reject(args.id, reason=args.reason, url=url)
            print(f"rejected #{rec.id}: {rec.title}", file=out)
            return 0
        if cmd == "export":
            names = regions()
            filters = repository.PracticeFilter.from_query(
                {
                    "region": args.region,
                    "country": args.country,
                    "area": args.area,
                    "target": args.target,
                    "aspect": args.aspect,
                    "q": args.query,
                },
                regions=names,
            )
            if args.format == "csv":
                text, encoding = repository.export_csv(filters, regions=names, url=url), "utf-8-sig"
            else:
                text, encoding = repository.export_json(filters, regions=names, url=url), "utf-8"
            if args.out == "-":
                out.write(text)
            else:
                files.write_text(args.out, text, encoding=encoding)  # all or nothing
                print(f"wrote {args.out}", file=err)
            return 0
    except repository.PracticeNotFound as exc:
        print(f"error: {exc}", file=err)
        return 1
    except UserError:  # a bad data package or output path: one line and exit 2, from dashboard.cli.main
        raise
    except Exception as exc:  # noqa: BLE001 - report any database problem in one line
        print(f"error: {type(exc).__name__}: {exc} (database {db.redact(url)})", file=err)
        return 1
    print(f"unknown lab command {cmd!r}", file=err)
    return 2


def _private_dict(rec, regions) -> dict:
    """The moderator's view: the public fields plus submitter contact and review note."""
    d = rec.to_public_dict(regions)
    d.update(
        submitter_name=rec.submitter_name,
        submitter_email=rec.submitter_email,
        review_note=rec.review_note,
        seed_key=rec.seed_key,
    )
    return d
