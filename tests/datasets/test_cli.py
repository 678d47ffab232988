"""``python -m dashboard datasets …``: save, list, show, publish, rollback, reset, history, export, purge."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard import config
from dashboard.cli import main
from dashboard.datasets import audit_log, published

pytestmark = pytest.mark.timeout(120)
PROJECT = Path(__file__).resolve().parents[2]


def run(capsys, *args) -> tuple[int, str, str]:
    code = main(["datasets", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_round_trip(capsys, tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    db = ["--db-url", url]
    code, out, err = run(capsys, "save", str(config.EMBEDDED_DATA_DIR), "--source", "embedded",
                         "--edition", "2021", "--edition", "2022,2023", "--note", "test", "--by", "ops", *db)

    descriptor = json.loads((config.EMBEDDED_DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    n_files = 1 + len(descriptor["resources"])  # the descriptor and one file per resource
    assert code == 0 and out.startswith(f"saved version 1: {n_files} files"), err
    code, out, _ = run(capsys, "list", *db)
    assert code == 0 and out.splitlines()[0] == "published: the embedded data (generation 0)"
    assert "#1 " in out and "editions 2021,2022,2023" in out and "by ops" in out and "[published]" not in out
    code, out, _ = run(capsys, "show", "1", *db)
    shown = json.loads(out)
    assert shown["created_by"] == "ops" and shown["editions"] == [2021, 2022, 2023] and len(shown["files"]) == n_files
    code, out, _ = run(capsys, "publish", "1", "--expected-generation", "0", *db)
    assert code == 0 and "published version 1 (generation 1)" in out
    assert published(url=url) == (1, 1) and audit_log(url=url)[0].by.startswith("cli:")
    code, out, err = run(capsys, "publish", "1", "--expected-generation", "0", *db)
    assert code == 2 and err.startswith("error: someone else published meanwhile") and len(err.splitlines()) == 1
    code, out, _ = run(capsys, "list", "--json", *db)
    assert json.loads(out)["versions"][0]["published"] is True
    code, out, _ = run(capsys, "rollback", *db)
    assert code == 0 and "the embedded data is published (generation 2)" in out
    code, out, err = run(capsys, "rollback", *db)
    assert code == 2 and "nothing to roll back" in err
    run(capsys, "publish", "1", *db)
    code, out, _ = run(capsys, "reset", *db)
    assert code == 0 and published(url=url) == (None, 4)
    code, out, _ = run(capsys, "history", *db)
    assert len(out.splitlines()) == 4 and "reset: #1 -> embedded" in out.splitlines()[0]
    code, out, _ = run(capsys, "export", "1", str(tmp_path / "pkg"), *db)
    assert code == 0 and (tmp_path / "pkg" / "datapackage.json").is_file()
    code, out, err = run(capsys, "export", "1", str(tmp_path / "pkg"), *db)
    assert code == 2 and "not empty" in err
    code, out, _ = run(capsys, "purge-workspaces", *db)
    assert code == 0 and out.strip() == "deleted 0 expired private workspace(s)"
    code, out, _ = run(capsys, "upgrade", *db)
    assert code == 0 and "revision ds0001" in out


def test_cli_errors_are_one_line_exit_2(capsys, tmp_path):
    db = ["--db-url", f"sqlite:///{tmp_path / 'cli.sqlite3'}"]
    for args, expected in ((["publish", "7"], "no dataset version 7"),
                           (["show", "x"], "no dataset version 'x'"),
                           (["save", str(tmp_path)], "has no datapackage.json"),
                           (["save", str(config.EMBEDDED_DATA_DIR), "--edition", "21"], "not a year"),
                           (["list", "--db-url", "postgresql+psycopg://nobody@127.0.0.1:1/none"], "cannot prepare")):
        code, out, err = run(capsys, *args, *db) if "--db-url" not in args else run(capsys, *args)
        assert code == 2, (args, out, err)
        assert err.startswith("error: ") and expected in err and len(err.strip().splitlines()) == 1, err


def test_help_lists_the_command_without_importing_sqlalchemy():
    code = ("import sys; from dashboard.cli import build_parser; build_parser(); "
            "print('sqlalchemy' in sys.modules, 'dashboard.datasets' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=PROJECT, capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(PROJECT), "PATH": "/usr/bin:/bin"}).stdout
    assert out.split() == ["False", "False"]
