"""``python -m dashboard export`` and ``python -m dashboard brief`` .

Examples::

    python -m dashboard export --chart map --measure area:health --format png --out map.png
    python -m dashboard export --chart radar --region PT20 --region ES51 --format svg --out radar.svg
    python -m dashboard export --chart ranking --measure overall --size a4 --format pdf --out ranking.pdf
    python -m dashboard export --chart outcomes --x area:labour_market --y unemployment_non_eu --mode gap \
        --region PT20 --format pdf --out outcomes.pdf
    python -m dashboard brief --region PT20 --out azores.pdf
    python -m dashboard brief --region PT20 --appendix questions --out azores-questions.pdf
    python -m dashboard brief --region PT20 ES51 ITF3 --out comparison.pdf      # 2–4 regions: comparison
    python -m dashboard brief --region PT20 --out azores.html                    # printable HTML page
    python -m dashboard brief --region SE11 --lang sv --out stockholm.pdf        # in Swedish
    python -m dashboard export --chart map --lang fr --format svg --out carte.svg

``--lang`` (one of :data:`dashboard.i18n.LANGUAGES`, default ``en``) makes the file in that language: titles,
captions, footers, the brief's headings and tables (the messages printed here stay English).

Everything is validated before anything is rendered — the output path first (a folder, a read-only or
missing folder that cannot be made), then the options; an unknown region, measure, chart, format or size,
a missing Chromium or a file-system error (no space left, …) prints one line ``error: …`` and exits with
status 2, and no file is written (:mod:`dashboard.cli.files`). With ``MIPEXR_PUBLIC_URL`` set, the file
quotes the dashboard view it shows (:mod:`dashboard.export.links`).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from dashboard.constants import EXPORT_CHARTS, EXPORT_SIZES, IMAGE_FORMATS, MAX_COMPARE
from dashboard.errors import UnknownOption
from dashboard.i18n import DEFAULT as DEFAULT_LANG
from dashboard.i18n import LANGUAGES


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


#: The page that shows each chart (for the link a file quotes when ``MIPEXR_PUBLIC_URL`` is set).
CHART_PAGES = {"map": "/", "ranking": "/explore", "heatmap": "/explore", "compare": "/compare",
               "outcomes": "/outcomes"}


def _chart_link(name: str, q) -> str | None:
    from dashboard.export import links
    from dashboard.views.charts import chart_params

    if not links.public_url():
        return None  # a relative link means nothing in a file on disk
    page = CHART_PAGES.get(name)
    if page is None:  # radar / target: the region page, or the comparison of several
        return links.brief_link(q.region_ids)
    return links.view_link(page, chart_params(q))


def _cmd_export(args: argparse.Namespace) -> int:
    from dashboard import i18n

    with i18n.use(getattr(args, "lang", None) or DEFAULT_LANG):
        return _export(args)


def _export(args: argparse.Namespace) -> int:
    from dashboard.cli.files import check_output, write_bytes
    from dashboard.export.images import SIZES, chart_export, check_size
    from dashboard.views.charts import normalise_chart

    out = check_output(args.out)
    fmt = _format_of(args)
    if out.suffix.lower().lstrip(".") not in ("", fmt):
        raise UnknownOption(f"--out {args.out!r} does not end in .{fmt} (the --format)")
    dataset = _dataset(args)
    # Validate every option before starting the browser, so a typo fails fast and writes nothing.
    check_size(args.size)
    name, q = normalise_chart(dataset, args.chart, args.region or [], args.measure, args.axis, args.country or [],
                              args.sort, x=args.x, y=args.y, mode=args.mode, edition=args.edition,
                              since=args.since)
    data, _name = chart_export(
        dataset, name, fmt, args.size, region_ids=q.region_ids, measure=q.measure, axis=q.axis,
        countries=q.countries, sort=q.sort, x=q.x, y=q.y, mode=q.mode, edition=q.edition, since=q.since,
        title=args.title, url=_chart_link(name, q),
    )
    write_bytes(out, data)
    print(f"wrote {args.chart} chart ({fmt.upper()}, {SIZES[args.size].label}) to {out}")
    return 0


def _cmd_brief(args: argparse.Namespace) -> int:
    from dashboard import i18n

    with i18n.use(getattr(args, "lang", None) or DEFAULT_LANG):
        return _brief(args)


def _brief(args: argparse.Namespace) -> int:
    from dashboard.cli.files import check_output, write_bytes
    from dashboard.export import links
    from dashboard.export.brief import brief_html, brief_pdf
    from dashboard.views.brief import check_appendix
    from dashboard.views.common import check_regions

    out = check_output(args.out)
    kind = out.suffix.lower().lstrip(".")
    if kind not in ("pdf", "html"):
        raise UnknownOption(f"--out {args.out!r} must end in .pdf or .html")
    dataset = _dataset(args)
    from dashboard.views.editions import parse_editions

    ids = check_regions(dataset, args.region or [], 1, MAX_COMPARE, "a brief")
    appendix = check_appendix(args.appendix)
    choice = parse_editions(dataset, args.edition, args.since, strict=True)  # before the browser starts
    link = links.brief_link(ids, choice.params()) if links.public_url() else None  # relative: meaningless on disk
    if kind == "pdf":
        content = brief_pdf(dataset, ids, view_url=link, appendix=appendix, edition=choice.edition,
                            since=choice.since)
    else:
        content = brief_html(dataset, ids, charts="svg", view_url=link, appendix=appendix, edition=choice.edition,
                             since=choice.since).encode("utf-8")
    write_bytes(out, content)
    what = "comparison brief" if len(ids) > 1 else "regional brief"
    print(f"wrote {what} of {', '.join(ids)} ({kind.upper()}) to {out}")
    return 0


class _Extend(argparse.Action):
    """``--region A --region B`` and ``--region A B`` and ``--region A,B`` all give [A, B]."""

    def __call__(self, parser, namespace, values, option_string=None):
        items = list(getattr(namespace, self.dest, None) or [])
        from dashboard.query import (
            split_values,  # here, not at the top: --help must not load pandas
        )

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
                        "map/outcomes: the outlined/highlighted region, ranking/heatmap: filter")
    p.add_argument("--measure", help="dimension key, e.g. overall, area:health, phase:evaluation (map, ranking)")
    p.add_argument("--axis", help="radar axis (area, element, phase); heatmap columns; compare: element/phase "
                                  "→ governance bars")
    p.add_argument("--country", nargs="+", action=_Extend, metavar="CC", help="ranking/heatmap: country filter")
    p.add_argument("--sort", help="ranking order: desc (default), asc or name")
    p.add_argument("--x", help="outcomes: the governance dimension across (default area:labour_market)")
    p.add_argument("--y", help="outcomes: the outcome indicator up (default employment_rate_non_eu)")
    p.add_argument("--mode", help="outcomes: value (default) or gap (to nationals)")
    p.add_argument("--format", help="png, svg or pdf (default: from --out)")
    p.add_argument("--size", default=EXPORT_SIZES[0], choices=list(EXPORT_SIZES),
                   help="slide (16:9, 1920×1080 PNG; default) or a4 (A4 landscape)")
    p.add_argument("--title", help="title printed on the image (default: the chart's)")
    _edition_args(p, "map: colour the change since this earlier edition")
    _lang_arg(p)
    p.add_argument("--out", required=True, help="output file")
    p.set_defaults(func=_cmd_export)

    p = subparsers.add_parser(
        "brief", help="one-click brief of a region (PDF or HTML); 2–4 regions make a comparison brief",
        description="Write the A4 brief: score and group, radars, strengths and room for development, "
                    "context statistics, similar regions, methodology note and sources.",
    )
    p.add_argument("--region", nargs="+", action=_Extend, required=True, metavar="ID",
                   help="region id(s); two to four make a comparison brief")
    p.add_argument("--appendix", metavar="NAME",
                   help="add an appendix: 'questions' (the questions behind each dimension: answer, points, "
                        "average); none by default")
    _edition_args(p, "add the change of the overall score since this earlier edition")
    _lang_arg(p)
    p.add_argument("--out", required=True, help="output file: .pdf (A4, vector charts) or .html (printable page)")
    p.set_defaults(func=_cmd_brief)


def _lang_arg(p) -> None:
    p.add_argument("--lang", default=DEFAULT_LANG, choices=list(LANGUAGES),
                   help="language of the file's texts (default en): " + ", ".join(LANGUAGES))


def _edition_args(p, since_help: str) -> None:
    p.add_argument("--edition", metavar="YEAR", help="edition shown (default: the latest of the data)")
    p.add_argument("--since", metavar="YEAR", help=since_help)

