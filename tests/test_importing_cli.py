"""``python -m dashboard import``: preview, dry run exit codes, a new data package marked real, nothing left behind."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from dashboard import cli, config, data, scoring

DIMS = list(scoring.DIMENSIONS)


def wide_csv(dataset, path, shift=0.0, extra_row: str | None = None):
    lines = ["MIPEX-R results (published)", ";".join(["Region"] + [scoring.dimension_label(d) for d in DIMS])]
    for rid, row in dataset.wide_scores.iterrows():
        name = "PT1A" if rid == "PT17" else dataset.region(rid)["name_en"]
        lines.append(";".join([name] + [f"{min(100, v + shift):.1f}".replace(".", ",") for v in row[DIMS]]))
    if extra_row:
        lines.append(extra_row)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(*args):
    return subprocess.run([sys.executable, "-m", "dashboard", *args], capture_output=True, text=True,
                          cwd=config.PROJECT_ROOT, timeout=120)


def test_dry_run_prints_the_preview_and_exits_0(dataset, tmp_path, capsys, _isolated_var_dir):
    src = wide_csv(dataset, tmp_path / "published.csv", shift=1)
    assert cli.main(["import", str(src), "--edition", "2021", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "published.csv: CSV, encoding UTF-8, columns separated by semicolons, header on row 2" in out
    assert "'PT1A' → PT17 (NUTS 2024 code)" in out and "'Labour market' → area:labour_market" in out
    assert "Compared with edition 2021 of the data now loaded (ILLUSTRATIVE)" in out
    assert "Everything was recognised." in out
    assert not (_isolated_var_dir / "datasets").exists()  # a dry run writes nothing


def test_dry_run_exits_2_when_something_is_not_recognised(dataset, tmp_path, capsys):
    src = wide_csv(dataset, tmp_path / "p.csv", extra_row="Atlantis;" + ";".join(["50"] * len(DIMS)))
    assert cli.main(["import", str(src), "--edition", "2021", "--dry-run"]) == 2
    out = capsys.readouterr().out
    assert "p.csv, row 28, column 'Region': region 'Atlantis' is not one of the 25 loaded regions" in out


def test_import_writes_a_package_with_real_scores(dataset, tmp_path, capsys):
    src = wide_csv(dataset, tmp_path / "published.csv", shift=2)
    out_dir = tmp_path / "new-package"
    code = cli.main(["import", str(src), "--edition", "2021", "--source", "MIPEX-R 2021, CIDOB & MPG",
                     "--out", str(out_dir)])
    assert code == 0
    out = capsys.readouterr().out
    assert f"MIPEXR_DATA_DIR={out_dir}" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new-package", "published.csv"]  # no temp folder left

    ds = data.load_dataset(out_dir)
    assert ds.scores_published and ds.editions == (2021,)
    assert ds.resource_illustrative["scores"] is False and ds.scores_illustrative is False
    assert ds.sources["scores"] == "MIPEX-R 2021, CIDOB & MPG"
    assert ds.wide_scores.loc["PT20", "overall"] == pytest.approx(58)
    assert len(ds.answers) == len(dataset.answers) and len(ds.outcomes) == len(dataset.outcomes)  # copied
    desc = json.loads((out_dir / "datapackage.json").read_text(encoding="utf-8"))
    entry = next(r for r in desc["resources"] if r["name"] == "scores")
    assert entry["edition"] == 2021 and entry["illustrative"] is False
    assert entry["imported"]["files"][0]["name"] == "published.csv"
    assert len(entry["imported"]["files"][0]["sha256"]) == 64


def test_second_edition_keeps_the_first(dataset, tmp_path, capsys):
    first = tmp_path / "first"
    assert cli.main(["import", str(wide_csv(dataset, tmp_path / "a.csv")), "--edition", "2021", "--out",
                     str(first)]) == 0
    second = tmp_path / "second"
    assert cli.main(["--data-dir", str(first), "import", str(wide_csv(dataset, tmp_path / "b.csv", shift=3)),
                     "--edition", "2024", "--source", "MIPEX-R 2024", "--out", str(second)]) == 0
    capsys.readouterr()
    ds = data.load_dataset(second)
    assert ds.editions == (2021, 2024) and ds.edition == 2024
    assert ds.with_edition(2021).wide_scores.loc["PT20", "overall"] == pytest.approx(56)
    assert ds.wide_scores.loc["PT20", "overall"] == pytest.approx(59)


def test_default_destination_is_under_the_var_folder(dataset, tmp_path, capsys, _isolated_var_dir):
    assert cli.main(["import", str(wide_csv(dataset, tmp_path / "a.csv")), "--edition", "2021"]) == 0
    capsys.readouterr()
    made = list((_isolated_var_dir / "datasets").iterdir())
    assert len(made) == 1 and made[0].name.startswith("import-") and made[0].name.endswith("-2021")
    assert data.load_dataset(made[0]).scores_published


def test_refused_import_writes_nothing_and_says_one_line(dataset, tmp_path):
    src = wide_csv(dataset, tmp_path / "p.csv", extra_row="Atlantis;" + ";".join(["50"] * len(DIMS)))
    out_dir = tmp_path / "never"
    result = run("import", str(src), "--edition", "2021", "--out", str(out_dir))
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "nothing was imported: 1 problem(s)" in result.stderr
    assert "Traceback" not in result.stderr and "Atlantis" in result.stdout
    assert not out_dir.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.csv"]


def test_existing_destination_and_bad_arguments(dataset, tmp_path, capsys):
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "x.txt").write_text("x")
    src = wide_csv(dataset, tmp_path / "a.csv")
    assert cli.main(["import", str(src), "--edition", "2021", "--out", str(taken)]) == 2
    assert "exists and is not an empty folder" in capsys.readouterr().err
    assert cli.main(["import", str(tmp_path / "missing.csv"), "--edition", "2021"]) == 2
    assert "missing.csv" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["import", str(src), "--edition", "21"])
    assert "is not a year" in capsys.readouterr().err
