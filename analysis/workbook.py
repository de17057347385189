"""The output tables as one Excel workbook: OUT/tables/tables.xlsx, one sheet per table.

Built from the CSV files already written to OUT/tables/ (tables.TABLE_FILES, in that order),
read row by row with the csv module and written with openpyxl's write-only mode, so a large
corpus is never held in memory. The CSV files stay the reference; the workbook is a copy.

Cell types are decided per column from the column's values: a column whose every non-empty
value is an integer holds ints, every value a number holds floats, every value "True" or
"False" holds booleans; any other column is text, so an id such as "007" or "a-e1" stays
text. Empty fields are empty cells. Text is always stored as text, never as a formula or an
error value (no "=HYPERLINK(...)" runs when the file is opened).

What does not fit Excel is said, never dropped silently, on a last sheet "notes" that exists
only when something had to change: a table longer than a sheet (MAX_ROWS rows, header
included) is cut there, the CSV keeping every row; a text longer than MAX_CELL_CHARS is cut;
control characters XML cannot hold are written as \\x.. text.

The same CSV files give a byte-identical workbook: the document's created/modified times and
the zip entries' timestamps are fixed constants."""

from __future__ import annotations

import csv
import datetime
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from .tables import FORMULA_STARTS, TABLE_FILES, unescape_spreadsheet_text

WORKBOOK_FILE = "tables.xlsx"
NOTES_SHEET = "notes"
MAX_ROWS = 1_048_576  # Excel's rows per sheet, the header row included
MAX_CELL_CHARS = 32_767  # Excel's characters per cell
# The fixed time written as the document's created/modified time and on every zip entry
# (1980-01-01, the first date a zip entry can carry): the bytes never depend on the clock.
FIXED_TIME = datetime.datetime(1980, 1, 1)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_CORE_PROPERTIES = "docProps/core.xml"
_COPY_CHUNK = 1 << 20


_INT = re.compile(r"-?(?:0|[1-9][0-9]{0,14})")  # no leading zeros (ids); at most 15 digits (exact in Excel)
_FLOAT = re.compile(r"-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")  # no inf / nan
_BOOLS = {"True": True, "False": False}
# Text openpyxl would store as something else: "=..." as a formula, "#N/A" and the like as errors.
# The other characters a spreadsheet treats as a formula start (+ - @ tab CR) are forced to text too.
_FORMULA_START = FORMULA_STARTS
_ERROR_CODES = frozenset(("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"))
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # not allowed in XML 1.0 (openpyxl refuses them)


def _column_kinds(path: Path, limit: int) -> tuple[list[str], list[str]]:
    """The CSV's header and, per column, "int", "float", "bool" or "text", decided from the
    first `limit` data rows (the rows that go on the sheet)."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        ints, floats, bools = [True] * len(header), [True] * len(header), [True] * len(header)
        seen = [False] * len(header)
        for n, row in enumerate(reader):
            if n >= limit:
                break
            for i, value in enumerate(row[:len(header)]):
                if value == "":
                    continue
                seen[i] = True
                if ints[i] and not _INT.fullmatch(value):
                    ints[i] = False
                if floats[i] and not _FLOAT.fullmatch(value):
                    floats[i] = False
                if bools[i] and value not in _BOOLS:
                    bools[i] = False
    kinds = ["text" if not seen[i] else "int" if ints[i] else "float" if floats[i] else "bool" if bools[i]
             else "text" for i in range(len(header))]
    return header, kinds


def _rows(path: Path) -> Iterator[list[str]]:
    """The CSV's rows after the header."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader, None)
        yield from reader


class _Cells:
    """Turns CSV fields into cell values for one workbook; counts what had to be changed."""

    def __init__(self, sheet) -> None:
        from openpyxl.cell import WriteOnlyCell

        self._cell = WriteOnlyCell
        self.sheet = sheet
        self.cut_texts = 0
        self.escaped_texts = 0

    def text(self, value: str):
        """A text field as a cell that can only be text (the CSV's spreadsheet-safe apostrophe
        removed: a text cell needs no such guard)."""
        value = unescape_spreadsheet_text(value)
        if _ILLEGAL.search(value):
            value = _ILLEGAL.sub(lambda m: f"\\x{ord(m.group()):02x}", value)
            self.escaped_texts += 1
        if len(value) > MAX_CELL_CHARS:
            value = value[:MAX_CELL_CHARS]
            self.cut_texts += 1
        if value.startswith(_FORMULA_START) or value in _ERROR_CODES:
            cell = self._cell(self.sheet, value=None)
            cell._value, cell.data_type = value, "s"  # set directly: assigning .value would make a formula
            return cell
        return value

    def row(self, fields: Sequence[str], kinds: Sequence[str]) -> list:
        values: list = []
        for i, value in enumerate(fields):
            kind = kinds[i] if i < len(kinds) else "text"
            if value == "":
                values.append(None)
            elif kind == "int":
                values.append(int(value))
            elif kind == "float":
                values.append(float(value))
            elif kind == "bool":
                values.append(_BOOLS[value])
            else:
                values.append(self.text(value))
        return values


def _fix_zip(saved: Path, target: Path, core_xml: bytes) -> None:
    """Copy the xlsx `saved` to `target` with constant entry timestamps and attributes and
    `core_xml` as the document properties; entries are streamed, not read whole."""
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED,
                                                             allowZip64=True) as out:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o600 << 16
            if entry.filename == _CORE_PROPERTIES:
                out.writestr(info, core_xml)
                continue
            info.file_size = entry.file_size  # lets zipfile choose zip64 for a huge sheet
            with source.open(entry) as reader, out.open(info, "w") as writer:
                shutil.copyfileobj(reader, writer, _COPY_CHUNK)


# Above this many table rows in all (about 600 claim-dense articles; 1,000 make 40,000) the workbook
# costs more time than the extraction itself (openpyxl writes some 7,000 rows a second), so a
# run writes it only when asked (--xlsx); the CSV files and claims.db always have every row.
WORKBOOK_ROW_LIMIT = 25_000
SKIPPED_NOTE = (f"tables/tables.xlsx not written: the tables hold over {WORKBOOK_ROW_LIMIT:,} rows (--xlsx writes it; "
                "the CSV files and claims.db hold every row)")


def table_rows(out_dir: str | Path) -> int:
    """Lines below the header in OUT/tables/*.csv: the rows, or a few more when texts hold line ends."""
    total = 0
    for file in TABLE_FILES.values():
        path = Path(out_dir) / "tables" / file
        if path.is_file():
            with path.open("rb") as handle:
                total += max(sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b"")) - 1, 0)
    return total


def write_workbook(out_dir: str | Path, row_limit: int | None = WORKBOOK_ROW_LIMIT) -> Path | None:
    """Write OUT/tables/tables.xlsx from the CSV tables in OUT/tables/: one sheet per table
    present, in TABLE_FILES order and named as the table, header row bold and frozen; a
    "notes" sheet last when a table was cut at MAX_ROWS or a text changed. Returns the path,
    or None without writing when the tables hold more than `row_limit` rows (None: no limit)."""
    if row_limit is not None and table_rows(out_dir) > row_limit:
        return None
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.packaging.core import DocumentProperties
    from openpyxl.styles import Font
    from openpyxl.xml.functions import tostring

    folder = Path(out_dir) / "tables"
    target = folder / WORKBOOK_FILE
    limit = MAX_ROWS - 1  # data rows per sheet, below the header
    book = Workbook(write_only=True)
    book.properties = DocumentProperties(creator="analysis", created=FIXED_TIME, modified=FIXED_TIME)
    bold = Font(bold=True)
    notes: list[list[str]] = []
    old_limit = csv.field_size_limit()
    csv.field_size_limit(2**31 - 1)  # a sentence may be longer than csv's default 128 KB field
    try:
        for name, file in TABLE_FILES.items():
            path = folder / file
            if not path.is_file():
                continue
            header, kinds = _column_kinds(path, limit)
            sheet = book.create_sheet(name)
            sheet.freeze_panes = "A2"
            cells = _Cells(sheet)
            heading = []
            for title in header:
                cell = WriteOnlyCell(sheet, value=None)
                cell._value, cell.data_type, cell.font = title, "s", bold
                heading.append(cell)
            sheet.append(heading)
            total = 0
            for fields in _rows(path):
                total += 1
                if total <= limit:
                    sheet.append(cells.row(fields, kinds))
            if total > limit:
                notes.append([name, f"cut: the sheet holds the first {limit:,} of {total:,} rows "
                                    f"(Excel's limit is {MAX_ROWS:,} rows a sheet); tables/{file} has every row"])
            if cells.cut_texts:
                notes.append([name, f"{cells.cut_texts:,} texts cut at {MAX_CELL_CHARS:,} characters "
                                    f"(Excel's limit a cell); tables/{file} has them whole"])
            if cells.escaped_texts:
                notes.append([name, f"{cells.escaped_texts:,} texts had control characters, written as \\x.. "
                                    f"text; tables/{file} has them as they are"])
        if notes:
            sheet = book.create_sheet(NOTES_SHEET)
            cells = _Cells(sheet)
            sheet.append([cells.text("sheet"), cells.text("note")])
            for row in notes:
                sheet.append([cells.text(value) for value in row])
    finally:
        csv.field_size_limit(old_limit)
    if not book.worksheets:
        raise FileNotFoundError(f"no tables to put in {target}: none of {', '.join(TABLE_FILES.values())}")
    folder.mkdir(parents=True, exist_ok=True)
    handle, scratch = tempfile.mkstemp(suffix=".xlsx", dir=folder)
    os.close(handle)
    try:
        book.save(scratch)  # openpyxl stamps `modified` with the clock and the zip entries with it
        book.properties.modified = FIXED_TIME
        _fix_zip(Path(scratch), target, tostring(book.properties.to_tree()))
    finally:
        os.unlink(scratch)
    return target
