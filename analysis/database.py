"""The output tables as one SQLite database, OUT/claims.db, and its Datasette metadata,
OUT/metadata.json (`make serve` browses both; see README "Browsing with Datasette").

Built after every `extract` and `report` run from the CSV files already written to
OUT/tables/ (read row by row with the csv module, so a large corpus is never held in memory)
plus the growth table (chart.estimate_growth). sqlite-utils creates the tables, indexes and
search indexes; the rows go in through one prepared statement per table that converts each
field in SQL (10,000 articles: about 6 s, the time SQLite needs to write 190 MB):

- tables articles, rejected, claims, estimates, corrections and growth, columns in the CSV
  order and typed from schema.COLUMN_TYPES: integers for counts and offsets, REAL for
  figures, 0/1 for booleans, ISO dates as text (NULL when unknown), everything else text
  exactly as the article or the run gave it (the CSV's spreadsheet-safe apostrophe removed);
- primary keys article_id (articles), file (rejected), row_id (claims, estimates), line
  (corrections), party and kind (growth); foreign keys from claims and estimates to
  articles(article_id) and from growth's first and latest row to estimates(row_id), checked
  when the database is built (corrections has none: a stale correction may name an article
  that is not in the run);
- indexes on article_id, party, stance, kind and date wherever a table has them;
- full-text search (FTS5, Porter stemming) on claims.sentence, estimates.sentence and
  articles.title;
- claims and estimates get `evidence_url`, the row's place on its article's evidence page
  (/static/html/articles/<page>#<row_id>, URL-quoted, with OUT served under /static/); empty
  after `extract`, which writes no pages, and for the articles left out of
  `evidence_articles` (the Datasette plugin also leaves a URL unlinked when its page is
  missing, as with `--evidence-limit`).

Rows go in in the CSV files' order, so the same run gives the same content, and the file is
VACUUMed last, which gives the same bytes for the same content.

`extract` (extract_folder) also says which bytes of claims.csv and estimates.csv are each
article's lines: the two tables are then filled article by article and OUT/.claims-db.json
records, per article, a digest of its lines and evidence page and the rowids of its rows, with
the sha256 of the database it describes. The next run copies the rows of every article whose
digest is unchanged from that database (attached read-only), in runs of neighbouring
articles, and converts only the others: on 10,000 articles with 10 added, the rows of 10
articles are converted instead of 170,000 rows. Rowids are those a conversion of the whole
file gives, and the rows go in in one transaction either way, so the VACUUMed file has the
same bytes as one built from nothing. A database whose sha256 the index does not name (edited,
or written by `report`, which records no index) is not used. Both files are written under
a temporary name in OUT and renamed into place (os.replace): a reader never sees half a file.

metadata.json holds the corpus's title and description (its folder name and counts), each
table's and column's description (schema.py: README's data dictionary), the facets each
table opens with and the articles' label column. Every text in it is plain text (Datasette
escapes "description"; no "*_html" key is ever written), and so is every cell: the project's
plugin (datasette_plugins/evidence_links.py) only wraps an evidence URL the project made in
a link, escaped."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from .topic import topic_labels
from .schema import COLUMN_DESCRIPTIONS, COLUMN_TYPES, DATABASE_ONLY_COLUMNS, TABLE_DESCRIPTIONS
from .tables import FORMULA_STARTS, TABLE_FILES

if TYPE_CHECKING:
    import pandas as pd

DATABASE_FILE = "claims.db"
METADATA_FILE = "metadata.json"
DATABASE_NAME = Path(DATABASE_FILE).stem  # what Datasette calls it: /claims/claims?...
STATIC_MOUNT = "static"  # `datasette --static static:OUT`: OUT's files under /static/
EVIDENCE_PREFIX = f"/{STATIC_MOUNT}/html/articles/"
GROWTH_TABLE = "growth"
PRIMARY_KEYS: dict[str, str | tuple[str, ...]] = {
    "articles": "article_id", "rejected": "file", "claims": "row_id", "estimates": "row_id", "corrections": "line",
    GROWTH_TABLE: ("party", "kind"),
}
FOREIGN_KEYS: dict[str, list[tuple[str, str, str]]] = {
    "claims": [("article_id", "articles", "article_id")],
    "estimates": [("article_id", "articles", "article_id")],
    GROWTH_TABLE: [("first_row_id", "estimates", "row_id"), ("latest_row_id", "estimates", "row_id")],
}
INDEXED_COLUMNS = ("article_id", "party", "stance", "kind", "date")
FTS_COLUMNS = {"claims": ["sentence"], "estimates": ["sentence"], "articles": ["title"]}
FTS_TOKENIZE = "porter"
# Beside claims.db: where each article's rows of the large tables lie in it, so that the next
# run copies the rows of unchanged articles instead of converting them again (module docstring).
ROW_INDEX_FILE = ".claims-db.json"
ROW_INDEX_FORMAT = 1
# The facets each table's page opens with (Datasette's "facets"), where the table has the column.
FACET_COLUMNS = ("party", "stance", "kind", "qualifier", "outlet", "review", "date_source", "status", "action")
_SQL_TYPES = {"integer": int, "real": float, "bool": int, "date": str, "text": str}


class DatabaseError(ValueError):
    """The tables break an invariant the database states (a duplicate key, a row whose
    article is not in the run); the message is one line."""


def evidence_url(article_id: str, row_id: str) -> str:
    """The row's place on its article's evidence page with OUT served under /static/, as
    views.evidence_href quotes it (not HTML-escaped: this is data, escaped where shown)."""
    return _evidence_url_function(None)(article_id, row_id)


def _kind(table: str, column: str) -> str:
    return COLUMN_TYPES.get(table, {}).get(column, "text")


def _frame_value(kind: str, value):
    """A pandas value (growth table) -> stored value."""
    import pandas as pd

    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if kind in ("integer", "bool"):
        return int(value)
    if kind == "real":
        return float(value)
    return str(value)


# The CSV's spreadsheet guard removed in SQL, as tables.unescape_spreadsheet_text does it: a
# leading apostrophe before one of tables.FORMULA_STARTS.
_GUARDED = "substr({p}, 1, 1) = '''' AND substr({p}, 2, 1) IN (" + ", ".join(
    "char(9)" if c == "\t" else "char(13)" if c == "\r" else f"'{c}'" for c in FORMULA_STARTS) + ")"


def _value_sql(kind: str, parameter: str, raw: bool) -> str:
    """The SQL that turns the CSV field bound to `parameter` into the stored value. Integers
    and reals are converted by the columns' type affinity ("12" -> 12, "2000.0" -> 2000.0) and
    checked afterwards (_check_types); empty fields of typed columns are NULL."""
    if kind in ("integer", "real", "date"):
        return f"NULLIF({parameter}, '')"
    if kind == "bool":
        return f"CASE {parameter} WHEN 'True' THEN 1 WHEN 'False' THEN 0 WHEN '' THEN NULL ELSE {parameter} END"
    if raw:
        return parameter
    return f"CASE WHEN {_GUARDED.format(p=parameter)} THEN substr({parameter}, 2) ELSE {parameter} END"


def _insert_sql(table: str, header: list[str], raw: bool) -> tuple[list[str], str]:
    """(the columns, the INSERT statement) for a CSV table's rows bound as they are read."""
    values = [_value_sql(_kind(table, column), f"?{i}", raw) for i, column in enumerate(header, start=1)]
    columns = list(header)
    if "evidence_url" in DATABASE_ONLY_COLUMNS.get(table, {}):
        columns.append("evidence_url")
        values.append(f"evidence_url({values[header.index('article_id')]}, {values[header.index('row_id')]})")
    names = ", ".join(f"[{column}]" for column in columns)
    return columns, f"INSERT INTO [{table}] ({names}) VALUES ({', '.join(values)})"


def _csv_rows(path: Path, width: int) -> Iterator[list[str]]:
    """The CSV's data rows, each checked to have the header's number of fields."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader, None)
        for number, row in enumerate(reader, start=2):
            if len(row) != width:
                raise DatabaseError(f"{path}: line {number} has {len(row)} fields, the header {width}")
            yield row


# More converted ranges than this and the whole table is checked (one scan beats many).
_CHECKED_RANGES = 64


def _check_types(connection: sqlite3.Connection, table: str, columns: list[str],
                 ranges: list[tuple[int, int]] | None = None) -> None:
    """DatabaseError when a typed column holds a value its type did not take (a bug upstream).
    `ranges`: only these rowids were converted (the others were copied from a checked database)."""
    wanted = {"integer": ("integer",), "bool": ("integer",), "real": ("real",)}
    if ranges is not None and not ranges:
        return
    where = ("" if ranges is None or len(ranges) > _CHECKED_RANGES else
             "(" + " OR ".join(f"rowid BETWEEN {int(first)} AND {int(last)}" for first, last in ranges) + ") AND ")
    for column in columns:
        kinds = wanted.get(_kind(table, column))
        if kinds:
            bad = connection.execute(
                f"SELECT [{column}] FROM [{table}] WHERE {where}[{column}] IS NOT NULL AND typeof([{column}]) NOT IN "
                f"({', '.join(repr(k) for k in kinds)}) LIMIT 1").fetchone()
            if bad:
                raise DatabaseError(f"{DATABASE_FILE}: table {table}: column {column} holds {bad[0]!r}, "
                                    f"not a {_kind(table, column)} value")


def _evidence_url_function(evidence_articles: frozenset[str] | None):
    """evidence_url(article_id, row_id) for SQL: "" for rows of articles without a page."""
    from .evidence import evidence_file_name

    pages: dict[str, str] = {}

    def url(article_id: str | None, row_id: str | None) -> str:
        if not article_id or not row_id or (evidence_articles is not None and article_id not in evidence_articles):
            return ""
        page = pages.get(article_id)
        if page is None:
            page = pages[article_id] = quote(EVIDENCE_PREFIX + evidence_file_name(article_id), safe="/")
        return page + "#" + quote(row_id, safe="")

    return url


def _create(db, table: str, columns: list[str]) -> None:
    db[table].create({column: _SQL_TYPES[_kind(table, column)] for column in columns}, pk=PRIMARY_KEYS[table],
                     foreign_keys=FOREIGN_KEYS.get(table, []), not_null=[k for k in _as_tuple(PRIMARY_KEYS[table])])


def _as_tuple(key: str | tuple[str, ...]) -> tuple[str, ...]:
    return (key,) if isinstance(key, str) else key


def _insert(connection: sqlite3.Connection, table: str, statement: str, rows: Iterable) -> None:
    """All rows through one prepared statement (sqlite-utils' insert_all builds each batch's
    SQL and converts each value in Python: 3x the time on 10,000 articles)."""
    try:
        connection.executemany(statement, rows)
    except sqlite3.IntegrityError as error:
        raise DatabaseError(f"{DATABASE_FILE}: table {table}: {error} (the tables break their own keys)") from None


GrowthRows = tuple[list[str], list[list]]  # the growth table's columns and its rows as stored


def growth_rows(growth: pd.DataFrame) -> GrowthRows:
    """The growth frame (chart.estimate_growth) as its columns and stored values: what the
    database's own process is sent, so that it needs neither pandas nor the chart module."""
    kinds = [_kind(GROWTH_TABLE, column) for column in growth.columns]
    return list(growth.columns), [[_frame_value(kind, value) for kind, value in zip(kinds, values)]
                                  for values in growth.itertuples(index=False, name=None)]


@dataclass
class PreviousDatabase:
    """The database of the run being replaced and its row index (ROW_INDEX_FILE), checked to
    belong together: table -> {"create": its CREATE TABLE, "insert": the INSERT that filled it,
    "blocks": {article_id: (digest, first rowid, number of rows)}}."""

    path: Path
    tables: dict[str, dict]


def _digest(block: bytes, page: str) -> str:
    """An article's rows as the database holds them: its CSV lines and its evidence page."""
    return hashlib.sha256(block + b"\0" + page.encode()).hexdigest()[:32]


def _insert_blocks(connection: sqlite3.Connection, table: str, statement: str, source: Path,
                   blocks: list[tuple[str, int]], page_of, previous: dict | None) -> tuple[dict, list[tuple[int, int]]]:
    """Fill `table` article by article from its CSV (`blocks`: each article's id and the size of
    its lines, in file order): an article whose lines and evidence page are those `previous`
    recorded has its rows copied from the previous database (attached as `previous`), in runs
    of neighbouring articles; any other is converted from its lines. The rows get the rowids a
    conversion of the whole file gives (1, 2, ... in file order), so VACUUM gives the same bytes.
    Returns (the table's row index, the rowid ranges converted)."""
    create = connection.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone()[0]
    known = previous if previous and previous.get("create") == create and previous.get("insert") == statement else None
    data = source.read_bytes()
    offset = data.find(b"\n") + 1  # the header is one line
    header_width = len(next(csv.reader([data[:offset].decode("utf-8")]), []))
    if offset == 0 or offset + sum(size for _, size in blocks) != len(data):
        raise DatabaseError(f"{source}: its lines are not the articles' lines the run wrote")
    copy = f"INSERT INTO main.[{table}] SELECT * FROM previous.[{table}] WHERE rowid BETWEEN ? AND ?"
    entries: list[list] = []
    converted: list[tuple[int, int]] = []
    pending: list[int] = []  # [first, last] of the previous rowids to copy next
    next_rowid = 1
    for article_id, size in blocks:
        block = data[offset:offset + size]
        offset += size
        digest = _digest(block, page_of(article_id, "row"))
        kept = known["blocks"].get(article_id) if known else None
        if kept is not None and kept[0] == digest:
            first, count = kept[1], kept[2]
            if count and pending and first == pending[1] + 1:
                pending[1] += count
            elif count:
                if pending:
                    connection.execute(copy, pending)
                pending = [first, first + count - 1]
        else:
            if pending:
                connection.execute(copy, pending)
                pending = []
            rows = list(csv.reader(io.StringIO(block.decode("utf-8"), newline="")))
            if any(len(row) != header_width for row in rows):
                raise DatabaseError(f"{source}: a line of article {article_id} has not the header's "
                                    f"{header_width} fields")
            _insert(connection, table, statement, rows)
            count = len(rows)
            if count:
                converted.append((next_rowid, next_rowid + count - 1))
        entries.append([article_id, digest, next_rowid, count])
        next_rowid += count
    if pending:
        connection.execute(copy, pending)
    return {"create": create, "insert": statement, "blocks": entries}, converted


def build_database(path: Path, tables_dir: Path, growth: GrowthRows | None = None, raw: bool = False,
                   evidence_articles: frozenset[str] | None = None, blocks: dict[str, list[tuple[str, int]]] | None = None,
                   previous: PreviousDatabase | None = None) -> dict[str, dict]:
    """Write the database at `path` (a new file) from the CSV tables in `tables_dir` and the
    growth table `growth` (growth_rows; none when None). `blocks`: for the large tables (claims, estimates), each
    article's id and the size of its lines in the CSV, in order: the tables are then filled
    article by article, the unchanged articles' rows copied from `previous` (_insert_blocks),
    and their row index is returned (empty without `blocks`)."""
    import sqlite_utils

    connection = sqlite3.connect(path, uri=True)
    index: dict[str, dict] = {}
    try:
        connection.execute("PRAGMA journal_mode = MEMORY")  # a scratch file: renamed into place when complete
        connection.execute("PRAGMA synchronous = OFF")
        page_of = _evidence_url_function(evidence_articles)
        connection.create_function("evidence_url", 2, page_of, deterministic=True)
        if previous is not None:
            connection.execute("ATTACH DATABASE ? AS previous", (f"file:{quote(str(previous.path))}?mode=ro",))
        db = sqlite_utils.Database(connection)
        old_limit = csv.field_size_limit()
        csv.field_size_limit(2**31 - 1)  # a sentence may be longer than csv's default 128 KB field
        try:
            for table, file in TABLE_FILES.items():  # articles first: the others refer to it
                source = tables_dir / file
                if not source.is_file():
                    continue
                with source.open(encoding="utf-8", newline="") as handle:
                    header = next(csv.reader(handle), [])
                columns, statement = _insert_sql(table, header, raw)
                _create(db, table, columns)
                if blocks is not None and table in blocks:
                    index[table], converted = _insert_blocks(connection, table, statement, source, blocks[table],
                                                             page_of, previous.tables.get(table) if previous else None)
                    _check_types(connection, table, columns, converted)
                else:
                    _insert(connection, table, statement, _csv_rows(source, len(header)))
                    _check_types(connection, table, columns)
        finally:
            csv.field_size_limit(old_limit)
        # The tables' rows in one transaction, whether copied or converted: the header's change
        # counter then reads the same (the bytes of a warm and a cold build agree); the copies'
        # transaction also holds the attached file until it ends.
        connection.commit()
        if previous is not None:
            connection.execute("DETACH DATABASE previous")
        if growth is not None and "estimates" in db.table_names():
            columns, values = growth
            _create(db, GROWTH_TABLE, columns)
            statement = (f"INSERT INTO [{GROWTH_TABLE}] ({', '.join(f'[{c}]' for c in columns)}) "
                         f"VALUES ({', '.join('?' * len(columns))})")
            _insert(connection, GROWTH_TABLE, statement, values)
        names = set(db.table_names())
        for table in [t for t in (*TABLE_FILES, GROWTH_TABLE) if t in names]:
            columns = set(db[table].columns_dict)
            for column in INDEXED_COLUMNS:
                if column in columns and (column,) != _as_tuple(PRIMARY_KEYS[table]):
                    db[table].create_index([column])
        for table, columns in FTS_COLUMNS.items():
            if table in names:
                db[table].enable_fts(columns, tokenize=FTS_TOKENIZE)
        broken = connection.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            table, rowid, parent, _ = broken[0]
            raise DatabaseError(f"{DATABASE_FILE}: {len(broken)} rows refer to rows that are not there, the first "
                                f"in {table} (rowid {rowid}) to {parent}")
        connection.commit()
        connection.execute("VACUUM")  # compact, and the same bytes for the same content
    finally:
        connection.close()
    return index


def corpus_name(out_dir: Path) -> str:
    """The articles folder's name, from OUT/run.json ("articles" when it has none)."""
    try:
        recorded = json.loads((out_dir / "run.json").read_text(encoding="utf-8"))
        name = Path(str(recorded.get("articles") or "")).name
    except (OSError, ValueError, AttributeError):
        name = ""
    return name or "articles"


def _counts(path: Path) -> dict[str, int | str]:
    connection = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True)
    try:
        names = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        counts: dict[str, int | str] = {
            table: connection.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0] if table in names else 0
            for table in (*TABLE_FILES, GROWTH_TABLE)}
        first, last = (connection.execute("SELECT min(date), max(date) FROM articles").fetchone()
                       if "articles" in names else (None, None))
        counts["first_date"], counts["last_date"] = first or "", last or ""
        counts["linked"] = sum(
            connection.execute(f"SELECT count(*) FROM [{table}] WHERE evidence_url != ''").fetchone()[0]
            for table in ("claims", "estimates") if table in names)
    finally:
        connection.close()
    return counts


def _plain(text: str) -> str:
    """README's markdown text as the plain text Datasette shows: no code backticks (a quoted
    separator, "`; `", keeps quotes)."""
    return text.replace("`; `", '"; "').replace("`", "")


def metadata(out_dir: Path, database: Path, topic_dir: str | None = None) -> dict:
    """Datasette's metadata for the database at `database`: deterministic (names and counts)."""
    counts = _counts(database)
    corpus = corpus_name(out_dir)
    dates = (f", dated {counts['first_date']} to {counts['last_date']}" if counts["first_date"] else "")
    description = (f"Who claims what about {topic_labels(topic_dir)['title']}, who denies it, and how many: the "
                   f"articles of {corpus}/ ({counts['articles']:,} loaded{dates}; {counts['rejected']:,} files "
                   f"rejected), {counts['claims']:,} claim rows, {counts['estimates']:,} troop figures, "
                   f"{counts['corrections']:,} corrections. "
                   + ("A claim or figure's row_id and evidence_url link to its sentence, highlighted, on the "
                      "article's evidence page." if counts["linked"] else
                      "This run wrote no evidence pages (the report command writes them)."))
    connection = sqlite3.connect(f"file:{quote(str(database))}?mode=ro", uri=True)
    try:
        present = {row[0]: [c[1] for c in connection.execute(f"PRAGMA table_info([{row[0]}])")]
                   for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                                 "AND name NOT LIKE '%_fts%' ORDER BY name")}
    finally:
        connection.close()
    tables: dict[str, dict] = {}
    for table in (*TABLE_FILES, GROWTH_TABLE):
        if table not in present:
            continue
        described = COLUMN_DESCRIPTIONS.get(table, {})
        entry: dict = {"description": TABLE_DESCRIPTIONS[table],
                       "columns": {column: _plain(described[column]) for column in present[table]
                                   if column in described}}
        facets = [column for column in FACET_COLUMNS if column in present[table]]
        if facets:
            entry["facets"] = facets
        if table == "articles":
            entry["label_column"] = "title"
        tables[table] = entry
    return {"title": f"News claims: {corpus}", "description": description,
            "databases": {DATABASE_NAME: {"description": description, "tables": tables}}}


def _replace_atomically(target: Path, write) -> Path:
    scratch = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    scratch.unlink(missing_ok=True)
    try:
        write(scratch)
        os.replace(scratch, target)
    finally:
        scratch.unlink(missing_ok=True)
    return target


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def previous_database(out_dir: str | Path) -> PreviousDatabase | None:
    """The database a run in `out_dir` wrote, with its row index, when both are there and belong
    together (the index names the database's sha256); else None: the next build converts
    every row."""
    folder = Path(out_dir)
    try:
        recorded = json.loads((folder / ROW_INDEX_FILE).read_text(encoding="utf-8"))
        if recorded.get("format") != ROW_INDEX_FORMAT or recorded.get("database") != _file_digest(folder / DATABASE_FILE):
            return None
        tables = {table: {"create": entry["create"], "insert": entry["insert"],
                          "blocks": {article_id: (digest, int(first), int(count))
                                     for article_id, digest, first, count in entry["blocks"]}}
                  for table, entry in recorded["tables"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return PreviousDatabase(folder / DATABASE_FILE, tables)


def write_database(out_dir: str | Path, estimates: pd.DataFrame | None = None, raw: bool = False,
                   evidence_articles: frozenset[str] | None = None, topic_dir: str | None = None,
                   blocks: dict[str, list[tuple[str, int]]] | None = None,
                   previous_dir: str | Path | None = None, growth: GrowthRows | None = None) -> list[Path]:
    """Write OUT/claims.db from OUT/tables/*.csv (and the growth table of `estimates`: the
    estimates frame, or any frame with the columns chart.growth_points reads) and
    OUT/metadata.json; returns both paths. `raw`: the CSV files were written with --raw-csv
    (no apostrophe to remove). `evidence_articles`: the articles that get an evidence page
    (None: all; an empty set: none, as for `extract`).

    `blocks` (each article's share of claims.csv and estimates.csv, as extract_folder writes
    them): the database is built article by article and its row index written beside it
    (ROW_INDEX_FILE); with `previous_dir`, the folder of the run being replaced, the rows of
    articles unchanged since that run are copied from its database. The bytes are the same
    either way. `growth`: the growth table already made (growth_rows), instead of `estimates`."""
    out = Path(out_dir)
    if growth is None and estimates is not None:
        from .chart import estimate_growth

        growth = growth_rows(estimate_growth(estimates))
    previous = previous_database(previous_dir) if blocks is not None and previous_dir is not None else None
    index: dict[str, dict] = {}
    (out / ROW_INDEX_FILE).unlink(missing_ok=True)  # it would describe a database about to be replaced
    database = _replace_atomically(out / DATABASE_FILE, lambda scratch: index.update(build_database(
        scratch, out / "tables", growth, raw, evidence_articles, blocks, previous)))
    if blocks is not None:
        recorded = {"format": ROW_INDEX_FORMAT, "database": _file_digest(database), "tables": index}
        _replace_atomically(out / ROW_INDEX_FILE,
                            lambda scratch: scratch.write_text(json.dumps(recorded, separators=(",", ":")) + "\n",
                                                               encoding="utf-8"))
    text = json.dumps(metadata(out, database, topic_dir), indent=2, ensure_ascii=False) + "\n"
    target = _replace_atomically(out / METADATA_FILE, lambda scratch: scratch.write_text(text, encoding="utf-8"))
    return [database, target]
