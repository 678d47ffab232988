"""A row with more cells than the header is refused with its row and column, wherever it is: pandas cut the first
data row of a CSV to the header silently (a warning, the cells lost) and an XLSX row's extra cells were dropped."""

from __future__ import annotations

import warnings

import openpyxl
import pytest

from dashboard.errors import InputError
from dashboard.tabular.schema import read_frame


@pytest.mark.parametrize("text, row, column", [
    ("a,b\n1,2,3\n", 2, "C"),          # the first data row: was cut to "1,2" without a word
    ("a,b\n1,2,3,4,5\n", 2, "C"),
    ("a,b\n1,2\n3,4,x\n", 3, "C"),
    ("a;b\n1;2\n3;4;x\n", 3, "C"),
])
def test_a_csv_row_longer_than_the_header_is_refused(tmp_path, text, row, column):
    path = tmp_path / "scores.csv"
    path.write_text(text)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # and no pandas warning on the way
        with pytest.raises(InputError) as err:
            read_frame(path)
    assert (err.value.file, err.value.row, err.value.column) == ("scores.csv", row, column)
    assert "more cells than the header" in str(err.value)


def test_a_row_may_end_with_one_empty_cell_more(tmp_path):
    path = tmp_path / "scores.csv"
    path.write_text("a,b\n1,2,\n3,4\n5,6,\n")  # a trailing delimiter loses nothing
    assert read_frame(path).values.tolist() == [["1", "2"], ["3", "4"], ["5", "6"]]


def test_an_xlsx_row_longer_than_the_header_is_refused(tmp_path):
    book = openpyxl.Workbook()
    for values in (["a", "b"], ["1", "2"], ["3", "4", None, "lost"]):
        book.active.append(values)
    path = tmp_path / "scores.xlsx"
    book.save(path)
    with pytest.raises(InputError) as err:
        read_frame(path)
    assert (err.value.file, err.value.row, err.value.column) == ("scores.xlsx", 3, "D")
