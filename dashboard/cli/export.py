"""``python -m dashboard export`` and ``python -m dashboard brief`` .

Examples::

    python -m dashboard export --chart map --measure area:health --format png --out map.png
    python -m dashboard export --chart radar --region PT20 --region ES51 --format svg --out radar.svg
    python -m dashboard export --chart ranking --measure overall --size a4 --format pdf --out ranking.pdf
    python -m dashboard brief --region PT20 --out azores.pdf
    python -m dashboard brief --region PT20 ES51 ITF3 --out comparison.pdf      # 2–4 regions: comparison
    python -m dashboard brief --region PT20 --out azores.html                    # printable HTML page

Everything is validated before anything is rendered; an unknown region, measure, chart, format or size
(and a missing Chromium) prints one line ``error: …`` and exits with status 2, and no file is written
(:mod:`dashboard.cli.files`).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from dashboard.constants import EXPORT_CHARTS, EXPORT_SIZES, IMAGE_FORMATS, MAX_COMPARE
from dashboard.errors import UnknownOption
from dashboard.query import split_values


def _dataset(args: argparse.Namespace):
    from dashboard import data

    return data.load_dataset(getattr(args, "data_dir", None))


def _format_of(args: argparse.Namespace) -> str:
    if args.format:
        fmt = args.format.strip().lower()
        if fmt not in IMAGE_FORMATS:
            raise UnknownOption(f"unknown format {args.format!r}; expected one of: {', '.join(IMAGE_FORMATS)}")
        return fmt
    suffix = Path(args.out).suffix.lower().lstrip(".")
    if suffix in IMAGE_FORMATS:
        return suffix
    raise UnknownOption(f"give --format png|svg|pdf (the file name {args.out!r} does not say which)")


def _cmd_export(args: argparse.Namespace) -> int:
    from dashboard.cli.files import check_output, write_bytes
    from dashboard.export.images import SIZES, chart_export, check_size
    from dashboard.views.common import check_regions

    fmt = _format_of(args)
    out = check_output(args.out)
    if out.suffix.lower().lstrip(".") not in ("", fmt):
        raise UnknownOption(f"--out {args.out!r} does not end in .{fmt} (the --format)")
    dataset = _dataset(args)
    # Validate every option before starting the browser, so a typo fails fast and writes nothing.
    spec_regions = check_regions(dataset, args.region or [])
    check_size(args.size)
    data, _name = chart_export(
        dataset, args.chart, fmt, args.size, region_ids=spec_regions, measure=args.measure, axis=args.axis,
        countries=args.country or [], sort=args.sort, title=args.title,
    )
    write_bytes(out, data)
    print(f"wrote {args.chart} chart ({fmt.upper()}, {SIZES[args.size].label}) to {out}")
    return 0


def _cmd_brief(args: argparse.Namespace) -> int:
    from dashboard.cli.files import check_output, write_bytes
    from dashboard.export.brief import brief_html, brief_pdf
    from dashboard.views.common import check_regions

    out = check_output(args.out)
    kind = out.suffix.lower().lstrip(".")
    if kind not in ("pdf", "html"):
        raise UnknownOption(f"--out {args.out!r} must end in .pdf or .html")
    dataset = _dataset(args)
    ids = check_regions(dataset, args.region or [], 1, MAX_COMPARE, "a brief")
    if kind == "pdf":
        content = brief_pdf(dataset, ids)
    else:
        content = brief_html(dataset, ids, charts="svg").encode("utf-8")
    write_bytes(out, content)
    what = "comparison brief" if len(ids) > 1 else "regional brief"
    print(f"wrote {what} of {', '.join(ids)} ({kind.upper()}) to {out}")
    return 0


class _Extend(argparse.Action):
    """``--region A --region B`` and ``--region A B`` and ``--region A,B`` all give [A, B]."""

    def __call__(self, parser, namespace, values, option_string=None):
        items = list(getattr(namespace, self.dest, None) or [])
        items += split_values(values)
        setattr(namespace, self.dest, items)


def add_parsers(subparsers) -> None:
    """Add ``export`` and ``brief`` to the ``python -m dashboard`` command line."""
    p = subparsers.add_parser(
        "export", help="export a chart as PNG, SVG or PDF (needs Chromium)",
        description="Export one of the dashboard's charts with title, source line, date and the "
                    "illustrative mark (maps: the EuroGeographics credit).",
    )
    p.add_argument("--chart", required=True, choices=EXPORT_CHARTS, help="which chart")
    p.add_argument("--region", nargs="+", action=_Extend, metavar="ID",
                   help="region id(s) (NUTS 2021 code), repeatable: radar/target 1–4, compare 2–4, "
                        "map: the outlined region, ranking/heatmap: filter")
    p.add_argument("--measure", help="dimension key, e.g. overall, area:health, phase:evaluation (map, ranking)")
    p.add_argument("--axis", help="radar axis (area, element, phase); heatmap columns; compare: element/phase "
                                  "→ governance bars")
    p.add_argument("--country", nargs="+", action=_Extend, metavar="CC", help="ranking/heatmap: country filter")
    p.add_argument("--sort", help="ranking order: desc (default), asc or name")
    p.add_argument("--format", help="png, svg or pdf (default: from --out)")
    p.add_argument("--size", default=EXPORT_SIZES[0], choices=list(EXPORT_SIZES),
                   help="slide (16:9, 1920×1080 PNG; default) or a4 (A4 landscape)")
    p.add_argument("--title", help="title printed on the image (default: the chart's)")
    p.add_argument("--out", required=True, help="output file")
    p.set_defaults(func=_cmd_export)

    p = subparsers.add_parser(
        "brief", help="one-click brief of a region (PDF or HTML); 2–4 regions make a comparison brief",
        description="Write the A4 brief: score and group, radars, strengths and room for development, "
                    "context statistics, similar regions, methodology note and sources.",
    )
    p.add_argument("--region", nargs="+", action=_Extend, required=True, metavar="ID",
                   help="region id(s); two to four make a comparison brief")
    p.add_argument("--out", required=True, help="output file: .pdf (A4, vector charts) or .html (printable page)")
    p.set_defaults(func=_cmd_brief)

