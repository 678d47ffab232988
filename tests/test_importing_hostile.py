"""Hostile files cost bounded memory and end in a short message naming file, row and column (measured in a
subprocess: the peak RSS (VmHWM) of a fresh interpreter that loaded the app's data, then handled the file)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from dashboard import config

MB = 1024 * 1024

SCRIPT = textwrap.dedent("""
    import json, sys
    from dashboard import data, importing
    kind, size, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    # the issue's file: an answers file whose header ends in one very long cell, then ordinary rows
    if kind.endswith("long-header"):
        head = "region_id,indicator_id,value" + "x" * (size // 2) + "\\n"
        body = "AT13,antidiscrimination.strategy,50\\n" * ((size - len(head)) // 36)
    elif kind.endswith("many-errors"):
        head = "region_id,indicator_id,value\\n"
        body = "".join(f"AT13,antidiscrimination.s{i},{150 + i}\\n" for i in range(size // 40))
    else:  # many columns
        head = ",".join(f"c{i}" for i in range(size // 8)) + "\\n"
        body = "1\\n"
    content = (head + body).encode()
    open(path, "wb").write(content)
    def hwm():  # peak RSS of this process; VmHWM, unlike ru_maxrss, is not inherited from the parent across exec
        return int(next(x for x in open("/proc/self/status") if x.startswith("VmHWM")).split()[1])
    current = data.load_dataset()
    before = hwm()
    message = ""
    try:
        if kind.startswith("package"):
            data.replace_resource(current, "answers", "answers.csv", content)
        elif kind.startswith("scores"):
            data.read_answers_file(path, current.framework, current.regions)
        else:
            preview = importing.preview_import([path], current, edition=2021)
            message = "\\n".join(preview.lines())
    except Exception as exc:
        message = f"{type(exc).__name__}: {exc}"
    peak = hwm()
    print(json.dumps({"before_mb": before / 1024, "peak_mb": peak / 1024, "message": message,
                      "bytes": len(content)}))
""")


def measure(kind: str, size: int, tmp_path) -> dict:
    result = subprocess.run([sys.executable, "-c", SCRIPT, kind, str(size), str(tmp_path / "answers.csv")],
                            capture_output=True, text=True, cwd=config.PROJECT_ROOT, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("kind", ["package-long-header", "scores-long-header", "import-long-header"])
def test_one_mb_file_with_one_long_header_cell(kind, tmp_path):
    got = measure(kind, 1 * MB, tmp_path)
    assert got["peak_mb"] < 200, got
    assert "answers.csv, row 1, column 'C': the column name is 524,293 characters long (the limit is 200)" \
        in got["message"]
    assert len(got["message"]) < 1000


@pytest.mark.parametrize("kind", ["package-long-header", "import-long-header"])
def test_ten_mb_file_with_one_long_header_cell(kind, tmp_path):
    got = measure(kind, 10 * MB, tmp_path)
    assert got["peak_mb"] - got["before_mb"] < 200 and got["peak_mb"] < 400, got
    assert "the column name is 5,242,885 characters long" in got["message"]


def test_one_mb_of_bad_rows_gives_fifty_messages(tmp_path):
    got = measure("package-many-errors", 1 * MB, tmp_path)
    assert got["peak_mb"] < 200, got
    lines = got["message"].splitlines()
    assert len(lines) == 51 and lines[-1].startswith("… and ") and lines[-1].endswith("more problem(s)")
    assert "answers.csv, row 2, column 'indicator_id': unknown indicator id 'antidiscrimination.s0'" in lines[0]


@pytest.mark.parametrize("kind", ["package-many-columns", "import-many-columns"])
def test_too_many_columns_refused_up_front(kind, tmp_path):
    got = measure(kind, 1 * MB, tmp_path)
    assert got["peak_mb"] < 200, got
    assert "answers.csv" in got["message"] and "at most 250" in got["message"]
