"""OUT/tables/tables.xlsx (analysis.workbook): one sheet per CSV table, cells typed per column,
text never turned into a formula, the same bytes on every run, cut sheets said on a notes sheet."""

from __future__ import annotations

import csv
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from analysis import workbook
from analysis.paths import PROJECT_ROOT, SEEDS_DIR
from analysis.tables import TABLE_FILES, csv_lines, write_csv_text

HYPERLINK = '=HYPERLINK("http://example.com/x","click") said the spokesman, "=1+1".'
CLAIMS_COLUMNS = ["row_id", "article_id", "sentence_no", "low", "hedged", "mixed", "blank", "sentence"]
CLAIMS_ROWS = [
    ["007-c0", "007", 3, 2000.0, True, 12, None, HYPERLINK],
    ["007-c1", "012", 10, 1500.5, False, "n/a", None, "+44 said Seoul"],
    ["a b-c0", "a b", 0, "", "", 5, None, "-1 officials"],
    ["a b-c1", "0", -2, 1e20, True, 7, None, "@here #N/A"],
    ["x-c9", "00", 1, -3, False, 8, None, "#N/A"],
    ["x-c10", "x", 2, 3, True, 9, None, "\tTabbed\rline, with a bell \x07"],
]


def _write_tables(out: Path, claims_rows=CLAIMS_ROWS) -> None:
    """Every table of TABLE_FILES, as the pipeline writes them; only claims has rows."""
    folder = out / "tables"
    for name, file in TABLE_FILES.items():
        if name == "claims":
            write_csv_text(CLAIMS_COLUMNS, [csv_lines(claims_rows)], folder / file)
        else:
            write_csv_text(["row_id", "note"], [], folder / file)


def _csv(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def _sheet_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return "".join(archive.read(n).decode("utf-8") for n in archive.namelist() if n.startswith("xl/worksheets/"))


@pytest.fixture()
def book(tmp_path) -> Path:
    _write_tables(tmp_path)
    return workbook.write_workbook(tmp_path)


def test_one_sheet_per_table_with_the_csv_rows(book, tmp_path):
    assert book == tmp_path / "tables" / "tables.xlsx"
    loaded = load_workbook(book)
    assert loaded.sheetnames == [*TABLE_FILES, "notes"]  # notes: the bell character (below)
    for name, file in TABLE_FILES.items():
        rows = _csv(tmp_path / "tables" / file)
        sheet = loaded[name]
        assert sheet.max_row == len(rows), name
        assert [c.value for c in sheet[1]] == rows[0]
        assert sheet[1][0].font.b and sheet.freeze_panes == "A2"


def test_cells_are_typed_per_column(book):
    sheet = load_workbook(book)["claims"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    column = {name: [row[i] for row in rows] for i, name in enumerate(CLAIMS_COLUMNS)}
    assert column["article_id"] == ["007", "012", "a b", "0", "00", "x"]  # ids stay text, zeros kept
    assert column["sentence_no"] == [3, 10, 0, -2, 1, 2] and all(type(v) is int for v in column["sentence_no"])
    assert column["low"] == [2000, 1500.5, None, 1e20, -3, 3]  # a float column: numbers, empty stays empty
    assert column["hedged"] == [True, False, None, True, False, True]
    assert column["mixed"] == ["12", "n/a", "5", "7", "8", "9"]  # one text value: the whole column is text
    assert column["blank"] == [None] * 6


def test_formula_looking_text_stays_text(book):
    cells = list(load_workbook(book)["claims"].iter_rows(min_row=2, min_col=8, max_col=8, values_only=True))
    sentences = [row[0] for row in cells]
    assert sentences[0] == HYPERLINK
    assert sentences[1:5] == ["+44 said Seoul", "-1 officials", "@here #N/A", "#N/A"]
    assert sentences[5].startswith("\tTabbed") and sentences[5].endswith("a bell \\x07")  # XML cannot hold \x07
    xml = _sheet_xml(book)
    assert "<f>" not in xml and "<f " not in xml and 't="e"' not in xml


def test_changed_texts_are_noted(tmp_path):
    _write_tables(tmp_path, CLAIMS_ROWS + [["y-c0", "y", 1, 1, True, 1, None, "x" * (workbook.MAX_CELL_CHARS + 5)]])
    loaded = load_workbook(workbook.write_workbook(tmp_path))
    assert loaded.sheetnames == [*TABLE_FILES, "notes"]
    assert len(loaded["claims"].cell(row=8, column=8).value) == workbook.MAX_CELL_CHARS
    notes = [(sheet, note) for sheet, note in loaded["notes"].iter_rows(min_row=2, values_only=True)]
    assert [sheet for sheet, _ in notes] == ["claims", "claims"]
    assert "1 texts cut at 32,767 characters" in notes[0][1] and "control characters" in notes[1][1]


def test_the_same_tables_give_the_same_bytes(tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    _write_tables(first)
    _write_tables(second)
    data = workbook.write_workbook(first).read_bytes()
    assert workbook.write_workbook(second).read_bytes() == data
    assert workbook.write_workbook(first).read_bytes() == data  # and again, over the old file
    with zipfile.ZipFile(first / "tables" / "tables.xlsx") as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert core.count("1980-01-01T00:00:00Z") == 2  # created and modified: not the clock
    assert sorted(p.name for p in (first / "tables").iterdir()) == sorted([*TABLE_FILES.values(), "tables.xlsx"])


def test_a_table_longer_than_a_sheet_is_cut_and_noted(tmp_path, monkeypatch):
    monkeypatch.setattr(workbook, "MAX_ROWS", 4)  # header + 3 rows a sheet
    _write_tables(tmp_path)
    loaded = load_workbook(workbook.write_workbook(tmp_path))
    assert loaded.sheetnames == [*TABLE_FILES, "notes"]
    claims = [row for row in loaded["claims"].iter_rows(values_only=True)]
    assert [row[0] for row in claims] == ["row_id", "007-c0", "007-c1", "a b-c0"]  # the first rows, in order
    notes = list(loaded["notes"].iter_rows(values_only=True))
    assert notes[0] == ("sheet", "note")
    cut = [note for sheet, note in notes[1:] if sheet == "claims" and note.startswith("cut:")]
    assert cut == ["cut: the sheet holds the first 3 of 6 rows (Excel's limit is 4 rows a sheet); "
                   "tables/claims.csv has every row"]


def test_extract_on_seeds_writes_the_workbook(tmp_path):
    done = subprocess.run([sys.executable, "-m", "analysis", "extract", "--articles", str(SEEDS_DIR),
                           "--out", str(tmp_path)], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    book = tmp_path / "tables" / "tables.xlsx"
    loaded = load_workbook(book)
    assert loaded.sheetnames == list(TABLE_FILES)  # no notes sheet: nothing had to change
    for name, file in TABLE_FILES.items():
        assert loaded[name].max_row == len(_csv(tmp_path / "tables" / file)), name
    claims = loaded["claims"]
    header = [c.value for c in claims[1]]
    first = [c.value for c in claims[2]]
    assert isinstance(first[header.index("sentence_no")], int)
    assert isinstance(first[header.index("hedged")], bool)
    assert isinstance(first[header.index("row_id")], str)
    assert "<f>" not in _sheet_xml(book)


def test_a_large_run_writes_the_workbook_only_when_asked(tmp_path, monkeypatch, capsys):
    from analysis import workbook as workbook_module
    from analysis.cli import main

    monkeypatch.setattr(workbook_module, "WORKBOOK_ROW_LIMIT", 5)  # the seeds hold 31 table rows
    out = tmp_path / "out"
    assert main(["extract", "--out", str(out)]) == 0
    assert not (out / "tables" / "tables.xlsx").exists()
    assert "tables/tables.xlsx not written" in capsys.readouterr().out
    assert main(["extract", "--out", str(out), "--xlsx"]) == 0
    assert (out / "tables" / "tables.xlsx").is_file()
