"""Exported chart images never clip their title (issue 14): the header block is planned from a one-line title
and a subtitle, and rendered PNGs (kaleido on Debian Chromium) have no title ink in their top rows."""

from __future__ import annotations

import struct
import zlib

import pytest

from dashboard.export import images
from dashboard.views import charts as vcharts


def png_top_rows(data: bytes, n_rows: int):
    """Yield the first ``n_rows`` pixel rows of an 8-bit RGB/RGBA non-interlaced PNG (what kaleido writes), decoded
    with zlib and the five PNG row filters: no imaging library needed."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    pos, idat, width, bpp = 8, [], 0, 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, _height, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and ctype in (2, 6) and interlace == 0, "an 8-bit RGB(A) PNG"
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
        pos += 12 + length
    stride = width * bpp
    raw = zlib.decompressobj().decompress(b"".join(idat), (stride + 1) * n_rows)
    prev = bytearray(stride)
    for y in range(n_rows):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], (prev[i - bpp] if i >= bpp else 0)
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        yield [tuple(line[i:i + 3]) for i in range(0, stride, bpp)]
        prev = line


def first_ink_row(data: bytes, n_rows: int, darker_than: int = 200) -> int | None:
    """Index of the first row with a pixel darker than ``darker_than`` in every channel's minimum (text ink on
    the white paper), or None within ``n_rows``."""
    for y, row in enumerate(png_top_rows(data, n_rows)):
        if any(min(px) < darker_than for px in row):
            return y
    return None


def test_png_decoder_finds_ink_where_it_is(warm_browser):
    """The checker can fail: the title the exports had before (two lines and a subtitle, anchored at its top
    14 px down) is pushed above the image by plotly.js, and its ink is found at row 0."""
    import plotly.graph_objects as go

    fig = go.Figure(go.Bar(x=[1], y=[1]))
    fig.update_layout(title=dict(text="<b>Title</b><br><sup>second line</sup>", y=1 - 14 / 720, yanchor="top",
                                 yref="container", x=0.012, xref="container", font=dict(size=20),
                                 subtitle=dict(text="<b>MARK</b>")),
                      margin=dict(t=160), paper_bgcolor="#ffffff")
    clipped = images.render_image(fig, "png", "slide", browser=warm_browser)
    assert first_ink_row(clipped, 20) == 0


def test_title_block_is_one_line_plus_subtitle():
    title, sub = images.title_block("Overall score: regions ranked (0–100)<br><sup>all regions; 25</sup>",
                                    "Illustrative data")
    assert title == "<b>Overall score: regions ranked (0–100)</b>" and "<br>" not in title
    assert sub.split("<br>")[0] == "all regions; 25"
    assert "ILLUSTRATIVE DATA" in sub.split("<br>")[1] and images.ILLUSTRATIVE_COLOR in sub
    assert images.title_block("One line", None) == ("<b>One line</b>", "")
    # a title wrapped for a phone is one line again on the image
    assert images.title_block("Overall score on the Health<br>indicators: regions ranked<br><sup>IT</sup>", None) \
        == ("<b>Overall score on the Health indicators: regions ranked</b>", "IT")


@pytest.mark.parametrize("size", list(images.SIZES))
def test_decorated_title_is_one_line_and_the_header_fits_the_margin(dataset, size):
    spec = vcharts.build_chart(dataset, "ranking", areas=["health"])
    out = images.decorate_for_export(spec.fig, None, dataset, False, size=size)
    assert "<br>" not in out.layout.title.text, "plotly.js pushes a title of several lines above the image"
    assert out.layout.title.yanchor == "top" and out.layout.title.yref == "container"
    assert (1 - out.layout.title.y) * images.SIZES[size].height == pytest.approx(images.TITLE_TOP_PX)
    sub_lines = out.layout.title.subtitle.text.count("<br>") + 1
    assert out.layout.margin.t >= images.TITLE_TOP_PX + 28 + 21 * sub_lines


@pytest.mark.parametrize("chart,params,size", [
    ("ranking", {"areas": ["health"]}, "slide"),  # a two-line title: the case that was cut off
    ("ranking", {"areas": ["health"]}, "a4"),
    ("heatmap", {"countries": ["IT"]}, "slide"),
    ("radar", {"region_ids": ["PT20", "ES51"]}, "a4"),
])
def test_exported_png_top_rows_are_free_of_title_ink(dataset, warm_browser, chart, params, size):
    content, name = images.chart_export(dataset, chart, "png", size, browser=warm_browser, **params)
    scale = images.SIZES[size].scale
    first = first_ink_row(content, int(70 * scale))
    assert first is not None, f"{name}: no title drawn in the header"
    assert first >= int((images.TITLE_TOP_PX - 6) * scale), f"{name}: title ink at row {first}: clipped"
