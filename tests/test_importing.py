"""Published score tables in as published: wide and long, CSV and XLSX, names and NUTS 2024 codes, title rows,
labels; the preview says what was recognised, what was not, and what would change."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from dashboard import importing, scoring
from dashboard.errors import InputError
from dashboard.importing import vocab

DIMS = list(scoring.DIMENSIONS)


def wide_rows(dataset, names: str = "name_local", delta: float = 0.0, lisbon: str | None = "PT1A") -> list[list[str]]:
    """Header + one row per region: the embedded scores (+ delta), regions by name (Lisbon by ``lisbon``)."""
    header = ["Region", "Country"] + [scoring.dimension_label(d, short=True) for d in DIMS]
    rows = [header]
    for rid, scores in dataset.wide_scores.iterrows():
        region = dataset.region(rid)
        label = lisbon if (rid == "PT17" and lisbon) else region[names] if names != "id" else rid
        rows.append([label, region["country_name"]] + [repr(min(100.0, v + delta)) for v in scores[DIMS]])
    return rows


def csv_bytes(rows, delimiter=",", decimal=".", encoding="utf-8") -> bytes:
    lines = [delimiter.join(c.replace(".", decimal) if c[:1].isdigit() else c for c in row) for row in rows]
    return ("\n".join(lines) + "\n").encode(encoding)


def xlsx_bytes(sheets: dict[str, list[list]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append([float(c) if isinstance(c, str) and c.replace(".", "", 1).isdigit() else c for c in row])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def expected(dataset, delta=0.0) -> pd.Series:
    return dataset.scores.set_index(["region_id", "dimension"])["score"].add(delta).clip(upper=100)


def got(preview) -> pd.Series:
    return preview.scores.set_index(["region_id", "dimension"])["score"]


# ------------------------------------------------------------------------------------------------


def test_wide_csv_with_title_rows_semicolons_comma_decimals_padded_header_and_names(dataset):
    rows = [["MIPEX-R 2021: regional results"], ["Scores on a 0-100 scale"], []]
    rows += [[f"  {c} " for c in wide_rows(dataset)[0]]] + wide_rows(dataset)[1:]
    rows += [["Average", ""] + ["50"] * len(DIMS), ["Source: CIDOB and MPG"]]
    content = csv_bytes(rows, delimiter=";", decimal=",")

    preview = importing.preview_import([("results.csv", content)], dataset, edition=2021)

    assert preview.ok, preview.lines()
    assert preview.editions == (2021,)
    pd.testing.assert_series_equal(got(preview).sort_index(), expected(dataset).sort_index(), check_names=False)
    res = preview.files[0]
    assert res.shape == "wide" and res.table.header_row == 4 and res.table.delimiter == ";"
    assert res.regions["PT1A"].region_id == "PT17" and res.regions["PT1A"].how == "NUTS 2024 code"
    assert res.regions["Região Autónoma dos Açores"].how == "name"
    text = "\n".join(preview.lines())
    assert "'PT1A' → PT17 (NUTS 2024 code)" in text
    assert "header on row 4 (rows 1–3: title or notes, skipped)" in text and "semicolons" in text
    assert "'Labour market' → area:labour_market" in text and "'TCN' → target:TCN" in text
    assert "row 30 'Average' (an aggregate, not a region)" in text and "row 31" in text and "a note" in text
    assert "column B 'Country' (context column)" in text
    assert "Everything was recognised." in text


@pytest.mark.parametrize("delimiter, name", [("\t", "tabs"), ("|", "vertical bars"), (",", "commas")])
def test_delimiters_detected(dataset, delimiter, name):
    content = csv_bytes(wide_rows(dataset, names="name_en"), delimiter=delimiter)
    preview = importing.preview_import([("t.txt", content)], dataset, edition=2021)
    assert preview.ok, preview.lines()
    assert f"columns separated by {name}" in preview.lines()[1]


def test_encodings_utf8_bom_and_windows_fallback_are_stated(dataset):
    rows = wide_rows(dataset)
    bom = importing.preview_import([("b.csv", b"\xef\xbb\xbf" + csv_bytes(rows))], dataset, edition=2021)
    assert bom.ok and "encoding UTF-8 with BOM" in bom.lines()[1]
    cp = importing.preview_import([("w.csv", csv_bytes(rows, delimiter=";", encoding="cp1252"))], dataset,
                                  edition=2021)
    assert cp.ok and "Windows-1252 (not UTF-8" in cp.lines()[1]
    assert cp.files[0].regions["Região Autónoma dos Açores"].region_id == "PT20"


def test_long_table_with_labels_codes_and_edition_column(dataset):
    rows = [["NUTS code", "Dimension", "Year", "Score"]]
    for rid, dim, score in dataset.scores[["region_id", "dimension", "score"]].itertuples(index=False):
        label = scoring.dimension_label(dim)
        code = "PT1B" if rid == "PT17" else rid
        rows.append([code, label, "2021", f"{score:.2f}"])
        rows.append([code, dim, "2019", f"{max(0.0, score - 5):.2f}"])  # the key form too
    preview = importing.preview_import([("long.csv", csv_bytes(rows))], dataset)
    assert preview.ok, preview.lines()
    assert preview.editions == (2019, 2021)
    scores = preview.scores.set_index(["region_id", "dimension", "edition"])["score"]
    assert scores[("PT20", "overall", 2021)] == pytest.approx(56)
    assert scores[("PT20", "overall", 2019)] == pytest.approx(51)
    assert preview.files[0].shape == "long"
    text = "\n".join(preview.lines())
    assert "'Labour market' → area:labour_market" in text and "'PT1B' → PT17 (NUTS 2024 code)" in text
    assert "from column C 'Year'" in text
    assert "Edition 2019 is new; compared with edition 2021 now shown (ILLUSTRATIVE)" in text


def test_long_table_without_header_names_uses_content(dataset):
    rows = [["region_id", "dimension", "score"]]
    rows += [["Lisboa", "area:health", "61"], ["azores", "Health", "40,5"], ["ES51", "health", ""]]
    preview = importing.preview_import([("l.csv", csv_bytes(rows, delimiter=";"))], dataset, edition=2022)
    assert preview.ok, preview.lines()
    s = preview.scores.set_index(["region_id", "dimension"])["score"]
    assert s[("PT17", "area:health")] == 61 and s[("PT20", "area:health")] == 40.5
    assert pd.isna(s[("ES51", "area:health")])
    assert preview.files[0].regions["Lisboa"].describe() == "Lisboa → PT17 (name)"
    assert preview.files[0].missing == 1


def test_xlsx_with_title_row_and_a_notes_sheet(dataset):
    rows = [["MIPEX-R results 2021"], []] + wide_rows(dataset, names="name_en", lisbon="Lisboa")
    content = xlsx_bytes({"About": [["Notes on the data"], ["Scores 0-100"]], "Scores": rows})
    preview = importing.preview_import([("mipexr.xlsx", content)], dataset, edition=2021)
    assert preview.ok, preview.lines()
    res = preview.files[0]
    assert res.table.sheet == "Scores" and res.table.header_row == 3 and res.table.kind == "XLSX"
    pd.testing.assert_series_equal(got(preview).sort_index(), expected(dataset).sort_index(), check_names=False)
    assert "sheet 'Scores'" in preview.lines()[1]


def test_xlsx_with_several_tables_asks_for_a_sheet(dataset):
    table = wide_rows(dataset, names="id")
    content = xlsx_bytes({"2019": table, "2021": table})
    preview = importing.preview_import([("two.xlsx", content)], dataset, edition=2021)
    assert not preview.ok
    message = preview.problems.items[0].message
    assert "several sheets look like score tables: '2019', '2021'" in message and "--sheet" in message
    chosen = importing.preview_import([("two.xlsx", content)], dataset, edition=2019, sheet="2019")
    assert chosen.ok and chosen.files[0].table.sheet == "2019"
    missing = importing.preview_import([("two.xlsx", content)], dataset, edition=2019, sheet="2020")
    assert "no sheet named '2020'; the sheets are: '2019', '2021'" in missing.problems.items[0].message


def test_lisbon_nuts_2024_halves_merge_when_equal_and_conflict_when_not(dataset):
    header = ["region", "Overall score", "Health"]
    same = [header, ["PT1A", "60", "50"], ["PT1B", "60", "50"], ["PT1A+PT1B", "60", "50"]]
    preview = importing.preview_import([("s.csv", csv_bytes(same))], dataset, edition=2021)
    assert preview.ok and len(preview.scores) == 2
    assert preview.files[0].regions["PT1A+PT1B"].how == "NUTS 2024 codes"
    assert any("both stand for PT17" in m for m in preview.files[0].merged)
    differ = [header, ["PT1A", "60", "50"], ["PT1B", "61", "50"]]
    bad = importing.preview_import([("d.csv", csv_bytes(differ))], dataset, edition=2021)
    assert not bad.ok
    assert "d.csv, row 3: 'PT1B' gives PT17 a Overall score score of 61, but row 2 'PT1A' gives 60" in \
        bad.problems.items[0].message


def test_what_is_not_recognised_is_named_with_row_and_column(dataset):
    rows = [["Region", "Overall score", "Labour market", "Happiness"],
            ["Atlantis", "50", "50", "1"], ["Vienna", "abc", "150", ""], ["Lisbn", "40", "", ""]]
    preview = importing.preview_import([("x.csv", csv_bytes(rows))], dataset, edition=2021)
    assert not preview.ok
    messages = [e.message for e in preview.problems.items]
    assert "x.csv, row 1, column 'Happiness': not a known dimension, region, edition or context column" in messages
    assert "x.csv, row 2, column 'Region': region 'Atlantis' is not one of the 25 loaded regions" in messages
    assert "x.csv, row 3, column 'Overall score': value 'abc' is not a number" in messages
    assert "x.csv, row 3, column 'Labour market': value 150 is outside 0–100" in messages
    assert any("row 4" in m and "did you mean Lisbon Metropolitan Area?" in m for m in messages)
    text = "\n".join(preview.lines())
    assert "Not recognised (5):" in text and "nothing will be imported" in text
    with pytest.raises(InputError):
        importing.write_package(preview, dataset)


def test_no_edition_is_a_problem(dataset):
    preview = importing.preview_import([("n.csv", csv_bytes(wide_rows(dataset)))], dataset)
    assert not preview.ok
    assert "no edition" in preview.problems.items[-1].message


def test_differences_from_the_current_data(dataset):
    rows = wide_rows(dataset, names="id")
    pt20 = next(r for r in rows if r[0] == "PT20")
    old_health = dataset.wide_scores.loc["PT20", "area:health"]
    pt20[2] = "58"  # overall
    pt20[2 + DIMS.index("area:health")] = ""
    preview = importing.preview_import([("d.csv", csv_bytes(rows))], dataset, edition=2021)
    assert preview.ok
    assert preview.counts["changed"] >= 1 and preview.counts["now missing"] == 1
    changed = {(d.region_id, d.dimension): (d.old, d.new) for d in preview.differences
               if d.region_id == "PT20"}
    assert changed[("PT20", "overall")] == (pytest.approx(56), 58)
    assert changed[("PT20", "area:health")] == (pytest.approx(old_health), None)
    text = "\n".join(preview.lines())
    assert "Azores (PT20) · Overall score (2021): 56 → 58" in text
    assert "Compared with edition 2021 of the data now loaded (ILLUSTRATIVE)" in text


@pytest.mark.parametrize("content, rule", [
    (b"region;overall\nregion,overall\nPT20;56\n", "row 2: the columns could be separated by commas or by semicolons"),
    (b"region,overall\n", "no data rows"),
    (b"just,some,words\n1,2,3\n", "no header row found in the first 30 rows"),
    (b"\x00\x01\x02binary", "not a text table"),
    (b"", "the file is empty"),
])
def test_unreadable_files_are_refused_with_the_rule(dataset, content, rule):
    preview = importing.preview_import([("bad.csv", content)], dataset, edition=2021)
    assert not preview.ok
    assert rule in preview.problems.items[0].message and preview.problems.items[0].file == "bad.csv"


def test_bounded_messages_and_lines(dataset):
    rows = [["Region", "Overall score"]] + [[f"Nowhere {i}", "50"] for i in range(500)]
    preview = importing.preview_import([("many.csv", csv_bytes(rows))], dataset, edition=2021)
    assert preview.problems.total == 500 and len(preview.problems.items) == 50
    lines = preview.lines()
    assert "  … and 450 more" in lines and len(lines) < 80
    error = preview.error()
    assert str(error).count("\n") == 50 and str(error).endswith("… and 450 more problem(s)")


def test_long_file_name_and_long_values_are_shortened(dataset):
    name = "é" * 300 + ".csv"
    rows = [["Region", "Overall score"], ["x" * 5000, "50"]]
    preview = importing.preview_import([(name, csv_bytes(rows))], dataset, edition=2021)
    error = preview.problems.items[0]
    assert len(error.file.encode("utf-8")) <= 255 and error.file.endswith("….csv")
    assert "(5,000 characters)" in error.message and len(error.message) < 600


def test_over_long_header_cell_is_refused_up_front(dataset):
    content = ("Region,Overall score," + "y" * 300 + "\nPT20,56,1\n").encode()
    preview = importing.preview_import([("h.csv", content)], dataset, edition=2021)
    message = preview.problems.items[0].message
    assert "h.csv, row 1, column 'C': the column name is 300 characters long (the limit is 200)" in message


@pytest.mark.parametrize("text, key", [
    ("Labour market", "area:labour_market"), ("labour_market", "area:labour_market"),
    ("area:labour_market", "area:labour_market"), ("Labor market", "area:labour_market"),
    ("ANTI-DISCRIMINATION", "area:antidiscrimination"), ("Anti discrimination", "area:antidiscrimination"),
    ("Culture and religion", "area:culture_religion"), ("Social security & assistance", "area:social_security"),
    ("Formulation", "phase:formulation"), ("Policy output", "phase:policy_output"),
    ("policy_output", "phase:policy_output"),
    ("Actors & relations", "element:actors_relations"), ("TCN", "target:TCN"),
    ("Third-country nationals (TCN)", "target:TCN"), ("Beneficiaries of international protection", "target:BIP"),
    ("Overall score", "overall"), ("overall", "overall"), ("Área: Éducation", "area:education"),
    ("Area: Education", "area:education"),
    ("Health score", "area:health"), ("Region", None), ("score", None),
])
def test_dimension_vocabulary(text, key):
    assert vocab.dimension_key(text) == key


@pytest.mark.parametrize("value, region_id, how", [
    ("pt17", "PT17", "NUTS 2021 code"), ("PT1A", "PT17", "NUTS 2024 code"), ("pt1b", "PT17", "NUTS 2024 code"),
    ("Lisboa", "PT17", "name"), ("AREA METROPOLITANA DE LISBOA", "PT17", "name"), ("Açores", "PT20", "name"),
    ("Azores", "PT20", "name"), ("Skane lan", "SE224", "name"), ("Vlaams Gewest (Flanders)", "BE2", "name"),
    ("Bolzano/Bozen", "ITH1", "name"), ("Mecklenburg Vorpommern", "DE80", "name"), ("Catalunya", "ES51", "name"),
])
def test_region_matching(dataset, value, region_id, how):
    found = importing.RegionMatcher(dataset).match(value)
    assert found is not None and (found.region_id, found.how) == (region_id, how)


def test_read_table_from_a_path_and_a_folder(dataset, tmp_path):
    path = tmp_path / "w.csv"
    path.write_bytes(csv_bytes(wide_rows(dataset)))
    table = importing.read_table(path)
    assert table.kind == "CSV" and table.header_row == 1 and table.encoding == "UTF-8"
    with pytest.raises(InputError, match="folder"):
        importing.read_table(tmp_path)
    with pytest.raises(InputError, match="not found"):
        importing.read_table(tmp_path / "nope.csv")


def test_written_package_takes_the_unchanged_answers_as_loaded(dataset, tmp_path, monkeypatch):
    """write_package copies the answers unchanged: the new package uses them as loaded (no second read), and
    the result is what a fresh load of the written folder gives."""
    from dashboard import data
    from dashboard.tabular import schema

    preview = importing.preview_import([("w.csv", csv_bytes(wide_rows(dataset, delta=1.0)))], dataset, edition=2024)
    assert preview.ok, preview.lines()
    read, original = [], schema.read_frame
    monkeypatch.setattr(schema, "read_frame", lambda path, *a, **k: read.append(path.name) or original(path, *a, **k))
    result = importing.write_package(preview, dataset, tmp_path / "out", source="test")
    assert "scores.csv" in read and "answers.csv" not in read
    monkeypatch.setattr(schema, "read_frame", original)
    fresh = data.load_dataset(tmp_path / "out")
    pd.testing.assert_frame_equal(fresh.answers, result.dataset.answers)
    pd.testing.assert_frame_equal(fresh.wide_scores, result.dataset.wide_scores)
    assert result.dataset.editions == fresh.editions == (2024,)
