"""``python -m dashboard lab …`` through the project's CLI."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import pytest

from dashboard.cli import main
from dashboard.lab import repository as repo

from .helpers import valid_submission

pytestmark = pytest.mark.timeout(60)


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(["lab", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_full_moderation_cycle(capsys, tmp_path, regions):
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    code, out, _ = run(capsys, "--db-url", url, "upgrade")
    assert code == 0 and "revision 0001" in out
    code, out, _ = run(capsys, "--db-url", url, "seed")
    assert code == 0 and "added 17" in out
    assert run(capsys, "--db-url", url, "seed")[1].strip() == "added 0 seed practice(s)"

    rec = repo.create_submission(valid_submission(title="From the form"), regions=regions, url=url)
    code, out, _ = run(capsys, "--db-url", url, "list", "--pending")
    assert code == 0 and "From the form" in out and out.count("\n") == 1
    code, out, _ = run(capsys, "list", "--pending", "--json", "--db-url", url)  # option after the command
    assert json.loads(out)[0]["submitter_email"] == "ana@example.org"
    code, out, _ = run(capsys, "--db-url", url, "show", str(rec.id))
    shown = json.loads(out)
    assert shown["status"] == "pending" and shown["region_name"] == "Catalonia" and shown["country_name"] == "Spain"

    code, out, _ = run(capsys, "--db-url", url, "approve", str(rec.id))
    assert code == 0 and f"approved #{rec.id}" in out
    assert "no pending practices" in run(capsys, "--db-url", url, "list", "--pending")[1]

    csv_path = tmp_path / "out" / "practices.csv"
    code, _, err = run(capsys, "--db-url", url, "export", "--format", "csv", "--out", str(csv_path))
    assert code == 0 and "wrote" in err
    rows = list(csv.DictReader(csv_path.open(encoding="utf-8-sig")))
    assert len(rows) == 18 and "From the form" in {r["title"] for r in rows}

    json_path = tmp_path / "practices.json"
    run(capsys, "--db-url", url, "export", "--format", "json", "--out", str(json_path), "--region", "ES51")
    doc = json.loads(json_path.read_text())
    assert {p["region_id"] for p in doc["practices"]} == {"ES51"} and doc["count"] >= 2

    code, out, _ = run(capsys, "--db-url", url, "reject", str(rec.id), "--reason", "test")
    assert code == 0 and f"rejected #{rec.id}" in out
    code, out, _ = run(capsys, "--db-url", url, "export", "--format", "csv", "--out", "-")
    assert "From the form" not in out
    code, _, err = run(capsys, "--db-url", url, "export", "--out", str(tmp_path))  # a folder: refused, nothing written
    assert code == 2 and err.count("\n") == 1 and "folder" in err


def test_errors_are_one_line_with_exit_code(capsys, tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    code, _, err = run(capsys, "--db-url", url, "approve", "404")
    assert code == 1 and "no practice with id '404'" in err
    code, _, err = run(capsys, "--db-url", url)
    assert code == 2 and "usage" in err


def test_uses_mipexr_db_url(capsys, tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'env.sqlite3'}"
    monkeypatch.setenv("MIPEXR_DB_URL", url)
    assert run(capsys, "seed")[0] == 0
    assert len(repo.search_practices(url=url)) == 17


@pytest.mark.parametrize("module", [["dashboard", "lab"]])
def test_module_entry_point(tmp_path, module):
    url = f"sqlite:///{tmp_path / 'm.sqlite3'}"
    proc = subprocess.run([sys.executable, "-m", *module, "--db-url", url, "list"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and "no practices" in proc.stdout
