"""Spreadsheet-safe tables: text that a spreadsheet would run as a formula (=, +, -, @, tab,
CR at the start of a cell) is written with a leading apostrophe in every CSV, by both
writing paths; offsets still point at the article's own text; --raw-csv keeps texts as they
are; the workbook holds the original text as text."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from analysis import tables
from analysis.cli import main

ARTICLE = ("=HYPERLINK(\"http://example.invalid\") Ukraine's military intelligence said on Monday that 3,000 "
           "North Korean soldiers had arrived in Russia.\n\n"
           "+1 more: the Pentagon said about 10,000 North Korean troops were in Russia.\n")
MANIFEST = 'article_id,date,outlet,url,title,date_basis\n@risky,2024-10-20,-Wire,,"=cmd|\' /C calc\'!A0",test\n'


def read(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture()
def folder(tmp_path) -> Path:
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "@risky.txt").write_text(ARTICLE, encoding="utf-8")
    (articles / "manifest.csv").write_text(MANIFEST, encoding="utf-8")
    return articles


def cells(out: Path) -> list[str]:
    return [value for name in ("articles", "claims", "estimates") for row in read(out / "tables" / f"{name}.csv")
            for value in row.values()]


@pytest.mark.parametrize("workers", [1, 2])
def test_no_cell_starts_a_formula(folder, tmp_path, workers):
    out = tmp_path / f"out{workers}"
    assert main(["extract", "--articles", str(folder), "--out", str(out), "--workers", str(workers)]) == 0
    values = cells(out)
    assert not [v for v in values if v.startswith(tables.FORMULA_STARTS)]
    assert "'=cmd|' /C calc'!A0" in values and "'@risky" in values and "'-Wire" in values
    claims = read(out / "tables" / "claims.csv")
    body = ARTICLE  # no header: the body is the text
    first = next(r for r in claims if r["sentence"].startswith("'=HYPERLINK"))
    # The offsets point at the article's own text: the cell minus its apostrophe.
    assert body[int(first["start"]):int(first["end"])] == tables.unescape_spreadsheet_text(first["sentence"])


def test_raw_csv_keeps_texts_as_they_are(folder, tmp_path):
    out = tmp_path / "raw"
    assert main(["extract", "--articles", str(folder), "--out", str(out), "--raw-csv"]) == 0
    values = cells(out)
    assert "=cmd|' /C calc'!A0" in values and "@risky" in values
    assert not any(v.startswith("'=") for v in values)


def test_the_workbook_holds_the_original_text(folder, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "out"
    assert main(["extract", "--articles", str(folder), "--out", str(out)]) == 0
    sheet = load_workbook(out / "tables" / "tables.xlsx")["articles"]
    row = [cell.value for cell in next(sheet.iter_rows(min_row=2, max_row=2))]
    assert "=cmd|' /C calc'!A0" in row and "@risky" in row


def test_escaping_round_trips():
    for text in ["=1+1", "+44 20", "-5", "@here", "\tx", "\rx", "plain", "'quoted'", ""]:
        assert tables.unescape_spreadsheet_text(tables.spreadsheet_text(text)) == text
    assert tables.spreadsheet_text(-5) == -5  # numbers are numbers
