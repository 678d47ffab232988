"""``python -m dashboard export`` / ``brief``: bad options fail with one line and exit 2 and write nothing;
good ones write files that are opened and checked (PNG size, SVG parse, PDF pages and text)."""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from pypdf import PdfReader

from dashboard import scoring
from dashboard.cli import EXIT_BAD_INPUT, main
from dashboard.constants import ILLUSTRATIVE_EXPORT_TEXT

ROOT = Path(__file__).resolve().parent.parent


def _run(args: list[str], capsys) -> tuple[int, str, str]:
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("args,message", [
    (["export", "--chart", "radar", "--region", "XX99", "--format", "png"], "unknown region 'XX99'"),
    (["export", "--chart", "map", "--measure", "area:nope", "--format", "png"], "unknown measure 'area:nope'"),
    (["export", "--chart", "compare", "--region", "PT20", "--format", "svg"], "at least 2 region"),
    (["export", "--chart", "radar", "--region", "PT20", "--format", "gif"], "unknown format 'gif'"),
    (["brief", "--region", "PT20", "ZZ1"], "unknown region 'ZZ1'"),
    (["brief", "--region", "PT20", "ES51", "ITF3", "AT13", "SE224"], "at most 4"),
])
def test_bad_options_exit_2_with_one_line_and_no_file(tmp_path, capsys, args, message):
    fmt = args[args.index("--format") + 1] if "--format" in args else "pdf"
    out = tmp_path / f"out.{fmt}"
    code, _, err = _run([*args, "--out", str(out)], capsys)
    assert code == EXIT_BAD_INPUT
    assert err.startswith("error: ") and message in err and err.count("\n") == 1
    assert not out.exists() and list(tmp_path.iterdir()) == [], "no file and no temporary file left"


def test_brief_needs_pdf_or_html(tmp_path, capsys):
    code, _, err = _run(["brief", "--region", "PT20", "--out", str(tmp_path / "brief.docx")], capsys)
    assert code == EXIT_BAD_INPUT and ".pdf or .html" in err and not any(tmp_path.iterdir())


def test_no_chromium_is_one_line_in_a_real_process(tmp_path):
    """The real command line without a browser: exit 2, a plain message, no traceback, no file."""
    out = tmp_path / "brief.pdf"
    env = {**os.environ, "BROWSER_PATH": str(tmp_path / "no-such-chromium"), "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "dashboard", "brief", "--region", "PT20", "--out", str(out)],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert proc.returncode == EXIT_BAD_INPUT
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("error: Server-side export needs Chromium") and "BROWSER_PATH" in proc.stderr
    assert not out.exists()


def test_export_png_a4(tmp_path, capsys, warm_browser):
    out = tmp_path / "ranking.png"
    code, stdout, _ = _run(["export", "--chart", "ranking", "--measure", "area:health", "--country", "IT", "ES",
                            "--size", "a4", "--out", str(out)], capsys)
    assert code == 0 and "wrote ranking chart" in stdout
    content = out.read_bytes()
    assert content[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", content[16:24]) == (2246, 1588), "A4 landscape at 2× (about 190 dpi)"
    assert out.stat().st_mode & 0o044, "readable like any other file"


def test_export_radar_svg_with_repeated_regions(tmp_path, capsys, warm_browser):
    out = tmp_path / "radar.svg"
    code, _, _ = _run(["export", "--chart", "radar", "--region", "PT20", "--region", "ES51", "--axis", "phase",
                       "--format", "svg", "--out", str(out)], capsys)
    assert code == 0
    root = ET.parse(out).getroot()
    text = " ".join(" ".join(root.itertext()).split())
    assert "Governance process" in text and "Azores" in text and "Catalonia" in text
    assert scoring.SOURCE_LINE in text and ILLUSTRATIVE_EXPORT_TEXT.upper() in text


def test_comparison_brief_pdf(tmp_path, capsys, warm_browser):
    out = tmp_path / "comparison.pdf"
    code, stdout, _ = _run(["brief", "--region", "PT20,ES51", "--out", str(out)], capsys)
    assert code == 0 and "comparison brief of PT20, ES51" in stdout
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert 2 <= len(reader.pages) <= 3
    assert "Azores" in text and "Catalonia" in text and "56" in text
    assert ILLUSTRATIVE_EXPORT_TEXT in text and scoring.SOURCE_LINE in text
