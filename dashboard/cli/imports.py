"""``python -m dashboard import``: published score tables (CSV/XLSX, wide or long) → preview → a new data package.

Prints the preview (what was recognised, what was not, the first differences from the data now loaded). With
``--dry-run`` it stops there: exit 0 when everything was recognised, 2 otherwise. Without it, and when
everything was recognised, it writes a new data package folder (``--out``, default a new folder under
``MIPEXR_VAR_DIR/datasets``) whose ``scores`` resource holds the imported edition(s), marked real, with the
source; the other resources are copied from the current package. Point the app at it with ``MIPEXR_DATA_DIR``.
"""

from __future__ import annotations

import argparse


def _year(text: str) -> int:
    if not text.isdigit() or not 1990 <= int(text) <= 2100:
        raise argparse.ArgumentTypeError(f"{text!r} is not a year between 1990 and 2100")
    return int(text)


def add_parsers(sub) -> None:
    p = sub.add_parser("import", help="import published score tables (CSV/XLSX, wide or long) as a new data package",
                       description=__doc__.split("\n\n", 1)[1], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("files", nargs="+", metavar="FILE", help="CSV or XLSX score table(s)")
    p.add_argument("--edition", type=_year, help="edition (year) of rows without an edition column, e.g. 2021")
    p.add_argument("--source", help="where the scores come from (shown with every number), e.g. "
                                    "'MIPEX-R 2021, CIDOB & Migration Policy Group'")
    p.add_argument("--sheet", help="the XLSX sheet to read (when several look like score tables)")
    p.add_argument("--dry-run", action="store_true", help="show the preview only; exit 0 if everything was recognised")
    p.add_argument("--out", help="new data package folder (default: a new folder under MIPEXR_VAR_DIR/datasets)")
    p.set_defaults(func=run_import)


def run_import(args: argparse.Namespace) -> int:
    from dashboard import data, importing
    from dashboard.cli.files import input_file
    from dashboard.errors import UserError

    files = [input_file(f) for f in args.files]
    current = data.load_dataset(args.data_dir)
    preview = importing.preview_import(files, current, edition=args.edition, sheet=args.sheet)
    print("\n".join(preview.lines()))
    if args.dry_run:
        return 0 if preview.ok else 2
    error = preview.error()
    if error is not None:
        raise UserError(f"nothing was imported: {error.total:,} problem(s), listed above under 'Not recognised'"
                        if preview.problems else f"nothing was imported: {error}")
    result = importing.write_package(preview, current, out=args.out, source=args.source)
    ds = result.dataset
    print(f"Wrote a data package with published scores (edition(s) {', '.join(map(str, ds.editions))}) to "
          f"{result.path}")
    print(f"Show it: MIPEXR_DATA_DIR={result.path} ./run.sh")
    return 0
