"""Step 3: the output tables, written as CSV files with stable names into `OUT/tables/`.

CSV format: UTF-8, comma-separated, "\\n" line ends, header row, no index, rows in the sort
order each table documents; the same inputs give byte-identical files.

Spreadsheet-safe by default: a text cell that begins with =, +, -, @, a tab or a carriage
return would be read as a formula by a spreadsheet (CSV injection), so it is written with a
leading apostrophe, which spreadsheets show as text (OWASP's advice). Offsets still point into
the article body; `raw=True` (`--raw-csv`) writes every text as it is, for programs."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

from .schema import TABLE_FILES  # noqa: F401 - the writers' and readers' name for it


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value: object) -> object:
    """A text that a spreadsheet would read as a formula, with a leading apostrophe; any
    other value unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unescape_spreadsheet_text(value: str) -> str:
    """The text spreadsheet_text escaped, as it was (a leading apostrophe before a formula
    character removed)."""
    if value.startswith("'") and value[1:2] and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def _safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    from pandas.api.types import is_bool_dtype, is_numeric_dtype

    text_columns = [c for c in frame.columns if not is_numeric_dtype(frame[c]) and not is_bool_dtype(frame[c])]
    needs = [c for c in text_columns if frame[c].map(lambda v: isinstance(v, str) and v.startswith(FORMULA_STARTS)).any()]
    if not needs:
        return frame
    return frame.assign(**{c: frame[c].map(spreadsheet_text) for c in needs})


def write_csv(frame: pd.DataFrame, path: Path, raw: bool = False) -> Path:
    """Write one table deterministically (spreadsheet-safe unless `raw`); returns the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not raw:
        frame = _safe_frame(frame)
    # File names that are not valid UTF-8 reach us as surrogate escapes: write them as \x.. text.
    frame.to_csv(path, index=False, encoding="utf-8", errors="backslashreplace", lineterminator="\n")
    return path


def csv_lines(rows: Iterable[Sequence], raw: bool = False) -> str:
    """Rows of values -> CSV lines in write_csv's format (no header), spreadsheet-safe unless
    `raw`. None is written as an empty field, as pandas writes a missing value; floats and
    bools as pandas writes them."""
    buffer = io.StringIO()
    if not raw:
        rows = ([spreadsheet_text(value) for value in row] for row in rows)
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def write_csv_text(columns: Sequence[str], chunks: Iterable[str], path: Path, sizes: list[int] | None = None) -> Path:
    """Write a table from its header and its lines (csv_lines output, already in table order):
    the same bytes write_csv gives for the frame of those rows. Returns the path written.
    `sizes`: a list to which each chunk's size in the file (bytes) is appended."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        handle.write(csv_lines([columns], raw=True).encode("utf-8", "backslashreplace"))
        for chunk in chunks:
            data = chunk.encode("utf-8", "backslashreplace")
            handle.write(data)
            if sizes is not None:
                sizes.append(len(data))
    return path


def write_tables(tables: dict[str, pd.DataFrame], out_dir: str | Path, raw: bool = False) -> list[Path]:
    """Write each table to OUT/tables/<name>.csv; returns the paths written, in TABLE_FILES order."""
    folder = Path(out_dir) / "tables"
    return [write_csv(tables[name], folder / file, raw) for name, file in TABLE_FILES.items() if name in tables]
