"""OUT/claims.db and OUT/metadata.json (analysis.database), and browsing them with Datasette
as `make serve` does: the database holds the CSV tables typed, keyed, indexed and searchable;
the metadata is README's data dictionary; a real Datasette on a loopback port answers with the
same counts, facets and search hits, links each row to its evidence page, and shows hostile
article text as text in headless Chromium."""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.error import URLError
from urllib.parse import quote, unquote, urlencode, urlsplit
from urllib.request import urlopen

import pandas as pd
import pytest
from selenium.webdriver.common.by import By

from analysis import database, schema
from analysis.chart import GROWTH_COLUMNS, estimate_growth
from analysis.claims import CLAIM_COLUMNS
from analysis.cli import main
from analysis.corrections import RESULT_COLUMNS
from analysis.estimates import ESTIMATE_COLUMNS
from analysis.evidence import evidence_file_name
from analysis.load import ARTICLE_COLUMNS, REJECTED_COLUMNS
from analysis.paths import OUTPUTS_DIR, PROJECT_ROOT, SEEDS_DIR
from analysis.runfolder import RUN_PRODUCTS
from analysis.tables import TABLE_FILES, unescape_spreadsheet_text

from conftest import HOSTILE_ID, IMG_PAYLOAD, SCRIPT_PAYLOAD, assert_no_alert

DATASETTE = Path(sys.executable).with_name("datasette")
PLUGINS_DIR = PROJECT_ROOT / "analysis" / "datasette_plugins"
TABLES = (*TABLE_FILES, "growth")
CSV_COLUMNS = {"articles": ARTICLE_COLUMNS, "rejected": REJECTED_COLUMNS, "claims": CLAIM_COLUMNS,
               "estimates": ESTIMATE_COLUMNS, "corrections": RESULT_COLUMNS, "growth": GROWTH_COLUMNS}
FORMULA_ARTICLE = ("date: 2024-11-04\ntitle: =HYPERLINK(\"http://example.invalid\") troops\n\n"
                   "Ukraine's military intelligence said on Monday that 3,000 North Korean soldiers had arrived in "
                   "Russia.\n\nNo date here and no figure.\n")
CORRECTIONS = """row_id,action,field,value,note
000_f0a2ea317c2ec4f5-c0-KOR-claim,set,party,USA,-a note that looks like a formula
,add,estimates,"article_id=not_in_the_run; sentence=anything; phrase=3,000; kind=current",an article that is not here
,add,estimates,"article_id=003_2abaae6c6ae518d7; sentence=the need for one interpreter; phrase=one; kind=context; party=UKR",added
"""
# The hostile article's folder name, in the title and description of metadata.json.
HOSTILE_FOLDER = "<img src=x onerror=alert(3)> corpus"
WATCH = "window.__xss = false; window.alert = function () { window.__xss = true; };"


# --- helpers ---------------------------------------------------------------------------------


def read_csv(out: Path, table: str) -> list[dict]:
    with (out / "tables" / TABLE_FILES[table]).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def db_rows(path: Path, table: str) -> list[dict]:
    connection = sqlite3.connect(path)
    connection.row_factory = sqlite3.Row
    try:
        return [dict(row) for row in connection.execute(f"SELECT * FROM [{table}] ORDER BY rowid")]
    finally:
        connection.close()


def query(path: Path, sql: str, params=()) -> list[tuple]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()


def expected(table: str, column: str, value: str, raw: bool = False):
    """A CSV field as the database must hold it (written independently of analysis.database)."""
    kind = schema.COLUMN_TYPES.get(table, {}).get(column, "text")
    if kind in ("integer", "real", "bool", "date") and value == "":
        return None
    if kind == "integer":
        return int(value)
    if kind == "real":
        return float(value)
    if kind == "bool":
        return {"True": 1, "False": 0}[value]
    return value if raw or kind == "date" else unescape_spreadsheet_text(value)


def contents(path: Path, without: tuple[str, ...] = ()) -> dict[str, list[dict]]:
    return {table: [{k: v for k, v in row.items() if k not in without} for row in db_rows(path, table)]
            for table in TABLES}


def run_quietly(args: list[str]) -> int:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return main(args)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get_json(url: str) -> dict:
    with urlopen(url, timeout=30) as response:
        return json.load(response)


@contextlib.contextmanager
def datasette(out: Path, log_path: Path):
    """Datasette serving OUT as `make serve` does, on a free loopback port; always stopped."""
    assert DATASETTE.is_file(), f"{DATASETTE} missing: install requirements.lock"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [str(DATASETTE), "serve", str(out / database.DATABASE_FILE), "--metadata", str(out / database.METADATA_FILE),
             "--static", f"{database.STATIC_MOUNT}:{out}", "--plugins-dir", str(PLUGINS_DIR), "--host", "127.0.0.1",
             "--port", str(port)], stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 60
            while True:
                if process.poll() is not None:
                    pytest.fail(f"datasette exited with {process.returncode}: {log_path.read_text()}")
                try:
                    with urlopen(base + "/-/versions.json", timeout=2):
                        break
                except (URLError, OSError):
                    if time.monotonic() > deadline:
                        pytest.fail(f"datasette did not answer within 60 s: {log_path.read_text()}")
                    time.sleep(0.2)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


# --- the database of a report run ------------------------------------------------------------


@pytest.fixture(scope="module")
def out(hostile_report) -> Path:
    """The report on seeds/ plus the hostile article (evidence pages for the first 2 articles)."""
    assert hostile_report.exit_code == 0, hostile_report.stdout + hostile_report.stderr
    return hostile_report.out


def test_the_database_holds_every_csv_table_cell_for_cell(out):
    db = out / database.DATABASE_FILE
    assert db.is_file() and (out / database.METADATA_FILE).is_file()
    for table in TABLE_FILES:
        rows, stored = read_csv(out, table), db_rows(db, table)
        assert len(stored) == len(rows), table
        for row, kept in zip(rows, stored):
            assert {c: expected(table, c, v) for c, v in row.items()} == {c: kept[c] for c in row}, table
    assert [r["row_id"] for r in db_rows(db, "claims")] == [r["row_id"] for r in read_csv(out, "claims")]


def test_values_are_typed(out):
    db = out / database.DATABASE_FILE
    types = dict(query(db, "SELECT name, type FROM pragma_table_info('estimates')"))
    assert types["low"] == types["high"] == "REAL" and types["start"] == types["sentence_no"] == "INTEGER"
    assert types["hedged"] == "INTEGER" and types["date"] == types["sentence"] == "TEXT"
    assert set(query(db, "SELECT DISTINCT typeof(start), typeof(cue_start), typeof(hedged) FROM claims")) == {
        ("integer", "integer", "integer")}
    assert {h for (h,) in query(db, "SELECT DISTINCT hedged FROM claims")} <= {0, 1}
    assert query(db, "SELECT low, high, qualifier FROM estimates WHERE row_id = ?",
                 ("003_2abaae6c6ae518d7-e735-current",)) == [(3000.0, 3000.0, "approx")]
    assert query(db, "SELECT typeof(low), band_low, band_high FROM estimates WHERE row_id = ?",
                 ("000_f0a2ea317c2ec4f5-e673-current",)) == [("null", 2000.0, 9999.0)]
    assert query(db, "SELECT date, n_chars FROM articles WHERE article_id = '000_f0a2ea317c2ec4f5'") == [
        ("2024-10-12", 2158)]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d", d) for (d,) in query(db, "SELECT date FROM claims WHERE date IS NOT NULL"))


def test_keys_foreign_keys_and_indexes(out):
    db = out / database.DATABASE_FILE
    for table, key in database.PRIMARY_KEYS.items():
        pk = [name for name, position in query(db, f"SELECT name, pk FROM pragma_table_info('{table}') WHERE pk > 0 "
                                                   "ORDER BY pk")]
        assert pk == ([key] if isinstance(key, str) else list(key)), table
    for table in ("claims", "estimates"):
        assert query(db, f"SELECT [from], [table], [to] FROM pragma_foreign_key_list('{table}')") == [
            ("article_id", "articles", "article_id")]
    assert sorted(query(db, "SELECT [from], [table], [to] FROM pragma_foreign_key_list('growth')")) == [
        ("first_row_id", "estimates", "row_id"), ("latest_row_id", "estimates", "row_id")]
    assert query(db, "PRAGMA foreign_key_check") == []
    indexed = {(table, column) for table in TABLES for (index,) in query(
        db, f"SELECT name FROM pragma_index_list('{table}')") for (column,) in query(
        db, f"SELECT name FROM pragma_index_info('{index}')")}
    for table, column in [("claims", "party"), ("claims", "stance"), ("claims", "date"), ("estimates", "party"),
                          ("estimates", "kind"), ("estimates", "date"), ("articles", "date"), ("growth", "kind")]:
        assert (table, column) in indexed, (table, column)


def test_full_text_search_finds_the_rows(out):
    db = out / database.DATABASE_FILE
    found = {r for (r,) in query(db, "SELECT row_id FROM claims WHERE rowid IN "
                                     "(SELECT rowid FROM claims_fts WHERE claims_fts MATCH 'hoax')")}
    assert found and found == {r["row_id"] for r in read_csv(out, "claims") if "hoax" in r["sentence"].lower()}
    figures = query(db, "SELECT row_id FROM estimates WHERE rowid IN "
                        "(SELECT rowid FROM estimates_fts WHERE estimates_fts MATCH 'interpreter')")
    assert figures
    titles = query(db, "SELECT article_id FROM articles WHERE rowid IN "
                       "(SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'peskov')")
    assert titles == [(HOSTILE_ID,)]


def test_evidence_urls_name_the_pages_of_the_report(out):
    rows = db_rows(out / database.DATABASE_FILE, "claims")
    assert rows
    for row in rows:
        # --evidence-limit 2: the third article has no page. Its rows may name where the page
        # would be (the plugin shows them unlinked) or nothing, when report passes the limit on.
        has_page = row["article_id"] != "003_2abaae6c6ae518d7"
        if not row["evidence_url"]:
            assert not has_page, row["row_id"]
            continue
        page = quote(evidence_file_name(row["article_id"]), safe="")
        assert row["evidence_url"] == f"/static/html/articles/{page}#{quote(row['row_id'], safe='')}"
        target = unquote(urlsplit(row["evidence_url"]).path)[len("/static/"):]
        assert (out / target).is_file() == has_page, target


def test_metadata_describes_every_table_and_column_as_plain_text(out):
    meta = json.loads((out / database.METADATA_FILE).read_text(encoding="utf-8"))
    assert meta["title"] == "News claims: articles"
    assert "3 loaded" in meta["description"] and "dated 2024-10-12 to 2024-10-29" in meta["description"]
    tables = meta["databases"]["claims"]["tables"]
    assert list(tables) == list(TABLES)
    db = out / database.DATABASE_FILE
    for table, entry in tables.items():
        columns = [name for (name,) in query(db, f"SELECT name FROM pragma_table_info('{table}')")]
        assert list(entry["columns"]) == columns, table
        assert all(entry["columns"].values()) and "`" not in "".join(entry["columns"].values())
        assert entry["description"] == schema.TABLE_DESCRIPTIONS[table]
    assert tables["claims"]["facets"] == ["party", "stance", "review"]
    assert tables["estimates"]["facets"] == ["party", "kind", "qualifier", "review"]
    assert tables["articles"]["facets"] == ["outlet", "date_source"] and tables["articles"]["label_column"] == "title"

    def keys(node):
        if isinstance(node, dict):
            for key, value in node.items():
                yield key
                yield from keys(value)

    assert not [k for k in keys(meta) if k.endswith("_html")], "no text of metadata.json is rendered as HTML"


# --- extract, reruns, the committed outputs --------------------------------------------------


@pytest.fixture(scope="module")
def reviewed_folder(tmp_path_factory) -> Path:
    """Seeds, a formula-like title, an undated article and corrections (one for an article
    that is not in the run)."""
    folder = tmp_path_factory.mktemp("db-articles") / "reviewed"
    shutil.copytree(SEEDS_DIR, folder)
    (folder / "formula.txt").write_text(FORMULA_ARTICLE, encoding="utf-8")
    (folder / "undated.txt").write_text("Seoul's spy agency said thousands of North Korean troops were in Russia.\n",
                                        encoding="utf-8")
    (folder / "corrections.csv").write_text(CORRECTIONS, encoding="utf-8")
    return folder


def test_extract_writes_the_database_of_the_report_path(reviewed_folder, tmp_path):
    from analysis.corrections import find_corrections, read_corrections
    from analysis.extract import extract_folder, extract_tables
    from analysis.load import load_corpus
    from analysis.extract import write_tables_and_figure

    review = read_corrections(find_corrections(reviewed_folder))
    lines, frames = tmp_path / "lines", tmp_path / "frames"
    extract_folder(reviewed_folder, lines, workers=1, corrections=review)
    corpus = load_corpus(reviewed_folder, workers=1)
    tables = extract_tables(corpus, workers=1, corrections=review)
    write_tables_and_figure({"articles": corpus.articles_frame(), "rejected": corpus.rejected_frame(),
                             "claims": tables.claims, "estimates": tables.estimates,
                             "corrections": tables.corrections}, frames)
    line_db, frame_db = lines / database.DATABASE_FILE, frames / database.DATABASE_FILE
    assert contents(line_db, ("evidence_url",)) == contents(frame_db, ("evidence_url",))
    # extract writes no evidence pages, so its rows link nowhere; the report path's rows do.
    assert {r["evidence_url"] for r in db_rows(line_db, "estimates")} == {""}
    assert all(r["evidence_url"].startswith("/static/html/articles/") for r in db_rows(frame_db, "estimates"))
    # The growth table is the notebooks' (chart.estimate_growth of the estimates frame).
    growth = estimate_growth(tables.estimates).astype(object).where(lambda f: f.notna(), None)
    assert [tuple(r.values()) for r in db_rows(frame_db, "growth")] == [tuple(r) for r in growth.itertuples(index=False)]
    assert len(growth) > 0
    # Spreadsheet-safe CSV, original text in the database; a stale correction for a missing
    # article is kept in corrections (which has no foreign key) and added nowhere else.
    assert read_csv(lines, "articles")[2]["title"].startswith("'=HYPERLINK")
    assert query(line_db, "SELECT title FROM articles WHERE article_id = 'formula'") == [
        ('=HYPERLINK("http://example.invalid") troops',)]
    assert query(line_db, "SELECT status, article_id FROM corrections ORDER BY line") == [
        ("applied", "000_f0a2ea317c2ec4f5"), ("stale", "not_in_the_run"), ("applied", "003_2abaae6c6ae518d7")]
    assert query(line_db, "SELECT note FROM corrections WHERE line = 2") == [("-a note that looks like a formula",)]
    assert query(line_db, "SELECT review FROM estimates WHERE sentence LIKE '%one interpreter%' AND phrase = 'one'") == [
        ("added",)]
    assert query(line_db, "SELECT count(*) FROM estimates WHERE date IS NULL") == [(1,)]
    assert query(line_db, "PRAGMA foreign_key_check") == []


def test_raw_csv_texts_are_stored_as_they_are(reviewed_folder, tmp_path):
    assert run_quietly(["extract", "--articles", str(reviewed_folder), "--out", str(tmp_path / "raw"), "--raw-csv"]) == 0
    assert read_csv(tmp_path / "raw", "articles")[2]["title"].startswith("=HYPERLINK")
    assert query(tmp_path / "raw" / database.DATABASE_FILE, "SELECT title FROM articles WHERE article_id = 'formula'") == [
        ('=HYPERLINK("http://example.invalid") troops',)]


def test_a_rerun_gives_the_same_database(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    assert run_quietly(["extract", "--articles", str(SEEDS_DIR), "--out", str(first)]) == 0
    assert run_quietly(["extract", "--articles", str(SEEDS_DIR), "--out", str(second)]) == 0
    assert contents(first / database.DATABASE_FILE) == contents(second / database.DATABASE_FILE)
    # VACUUMed after the same inserts in the same order: the same bytes too (same SQLite).
    assert (first / database.DATABASE_FILE).read_bytes() == (second / database.DATABASE_FILE).read_bytes()
    assert (first / database.METADATA_FILE).read_text() == (second / database.METADATA_FILE).read_text()
    assert not [p.name for p in first.iterdir() if p.name.endswith(".tmp")]


def test_committed_outputs_hold_a_fresh_database_and_metadata(tmp_path):
    from analysis import report

    stale = "outputs/ is stale: run `make report` and commit outputs/"
    run, _ = report.build({"articles_dir": "seeds", "manifest": "", "date_from": "", "date_to": "", "lexicon_dir": "",
                           "max_bytes": 5 * 1024 * 1024})
    shutil.copy(OUTPUTS_DIR / "run.json", tmp_path / "run.json")
    report.write_extraction(run, tmp_path)
    assert (OUTPUTS_DIR / database.DATABASE_FILE).is_file(), stale
    assert contents(OUTPUTS_DIR / database.DATABASE_FILE) == contents(tmp_path / database.DATABASE_FILE), stale
    assert ((OUTPUTS_DIR / database.METADATA_FILE).read_text(encoding="utf-8")
            == (tmp_path / database.METADATA_FILE).read_text(encoding="utf-8")), stale


def test_a_row_whose_article_is_missing_stops_the_database_and_leaves_nothing(tmp_path):
    folder = tmp_path / "tables"
    folder.mkdir()
    (folder / "articles.csv").write_text(",".join(ARTICLE_COLUMNS) + "\na,a.txt,,none,,,,1,1,x,\n", encoding="utf-8")
    claim = dict.fromkeys(CLAIM_COLUMNS, "")
    claim.update(row_id="b-c0-UKR-claim", article_id="b", sentence_no="1", hedged="False", start="0", end="1",
                 cue_start="-1", cue_end="-1")
    (folder / "claims.csv").write_text(",".join(CLAIM_COLUMNS) + "\n" + ",".join(claim.values()) + "\n",
                                       encoding="utf-8")
    with pytest.raises(database.DatabaseError, match="refer to rows that are not there"):
        database.write_database(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tables"]


@pytest.mark.parametrize("raw", [False, True])
def test_fields_are_converted_in_sql_as_in_python(raw):
    from analysis.tables import spreadsheet_text

    texts = ["", "'", "''", "'=", "=1+1", "'=1+1", "''=1", "'a", "-5", "'-5", "@x", "'@x", "\tx", "'\tx", "'\rx",
             "'«=»", "«'=»", "'+'", "plain", "It's"]
    connection = sqlite3.connect(":memory:")
    try:
        for text in texts:
            written = text if raw else spreadsheet_text(text)
            (stored,) = connection.execute(f"SELECT {database._value_sql('text', '?1', raw)}", (written,)).fetchone()
            assert stored == (written if raw else unescape_spreadsheet_text(written)), repr(text)
        for kind, field, value in [("integer", "", None), ("integer", "-1", -1), ("real", "2000.0", 2000.0),
                                   ("bool", "True", 1), ("bool", "False", 0), ("bool", "", None),
                                   ("date", "", None), ("date", "2024-10-12", "2024-10-12")]:
            connection.execute("CREATE TABLE IF NOT EXISTS t (i INTEGER, r REAL, b INTEGER, d TEXT)")
            column = {"integer": "i", "real": "r", "bool": "b", "date": "d"}[kind]
            connection.execute("DELETE FROM t")
            connection.execute(f"INSERT INTO t ({column}) VALUES ({database._value_sql(kind, '?1', raw)})", (field,))
            assert connection.execute(f"SELECT {column} FROM t").fetchone()[0] == value, (kind, field)
    finally:
        connection.close()


def test_a_value_of_the_wrong_type_stops_the_database(tmp_path):
    folder = tmp_path / "tables"
    folder.mkdir()
    (folder / "articles.csv").write_text(",".join(ARTICLE_COLUMNS) + "\na,a.txt,,none,,,,many,1,x,\n",
                                         encoding="utf-8")
    with pytest.raises(database.DatabaseError, match="column n_chars holds 'many'"):
        database.write_database(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tables"]


# --- the data dictionary ---------------------------------------------------------------------


def readme_tables() -> dict[str, dict[str, str]]:
    """README "Outputs": each `tables/X.csv` paragraph's `| column | meaning |` rows."""
    text = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Outputs\n", 1)[1].split("\n## ", 1)[0]
    found: dict[str, dict[str, str]] = {}
    current = None
    for line in section.splitlines():
        heading = re.match(r"^`tables/(\w+)\.csv`", line)
        if heading:
            current = heading.group(1)
            continue
        row = re.match(r"^\|\s*(.+?)\s*\|\s*(.+?)\s*\|\s*$", line)
        if row and current and row.group(1) != "column" and not set(row.group(1)) <= set("- "):
            for name in row.group(1).split(","):
                found.setdefault(current, {})[name.strip()] = row.group(2)
    return found


def test_column_descriptions_are_readmes_data_dictionary():
    documented = readme_tables()
    assert set(documented) == {"articles", "claims", "estimates"}
    assert documented == schema.README_COLUMN_DESCRIPTIONS, "analysis/schema.py and README's Outputs tables differ"


def test_every_column_of_every_table_is_described():
    for table, columns in CSV_COLUMNS.items():
        extra = list(schema.DATABASE_ONLY_COLUMNS.get(table, {}))
        assert list(schema.COLUMN_DESCRIPTIONS[table]) == list(columns) + extra, table
        assert set(schema.COLUMN_TYPES[table]) <= set(columns), table
    # The tables README lists in prose name the same columns.
    text = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    listed = text.split("`tables/corrections.csv` columns:", 1)[1].split("\n\n", 1)[0]
    assert re.findall(r"`(\w+)`", re.sub(r"\([^)]*\)", "", listed)) == RESULT_COLUMNS
    assert "`file`, `reason`" in text


# --- make serve ------------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_serve_runs_datasette_on_loopback_with_the_run():
    shown = subprocess.run(["make", "-n", "serve", "OUT=/tmp/some run", "SERVE_PORT=8123"], cwd=PROJECT_ROOT,
                           capture_output=True, text=True, check=True).stdout
    command = shown[shown.index(".venv/bin/datasette serve"):]
    for part in ('"/tmp/some run/claims.db"', '--metadata "/tmp/some run/metadata.json"',
                 '--static "static:/tmp/some run"', "--plugins-dir analysis/datasette_plugins", "--host 127.0.0.1",
                 "--port 8123"):
        assert part in command, part
    assert "http://127.0.0.1:8123/" in shown
    default = subprocess.run(["make", "-n", "serve"], cwd=PROJECT_ROOT, capture_output=True, text=True,
                             check=True).stdout
    assert '"outputs/claims.db"' in default and "--port 8001" in default


def test_the_plugin_agrees_with_the_database_on_the_urls():
    import importlib.util

    spec = importlib.util.spec_from_file_location("evidence_links", PLUGINS_DIR / "evidence_links.py")
    plugin = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(plugin)  # self-contained: `datasette publish` copies it without analysis/
    assert (plugin.STATIC_MOUNT, plugin.EVIDENCE_PREFIX) == (database.STATIC_MOUNT, database.EVIDENCE_PREFIX)
    assert set(plugin.LINKED) == {t for t, cols in schema.DATABASE_ONLY_COLUMNS.items() if "evidence_url" in cols}


# --- Datasette -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(out, tmp_path_factory):
    with datasette(out, tmp_path_factory.mktemp("datasette") / "datasette.log") as base:
        yield base


def test_datasette_counts_equal_the_csv_files(server, out):
    for table in TABLE_FILES:
        answer = get_json(f"{server}/claims/{table}.json?_size=0")
        assert answer["filtered_table_rows_count"] == len(read_csv(out, table)), table
    growth = query(out / database.DATABASE_FILE, "SELECT count(*) FROM growth")[0][0]
    assert get_json(f"{server}/claims/growth.json?_size=0")["filtered_table_rows_count"] == growth > 0


def test_datasette_facets_on_party(server, out):
    answer = get_json(f"{server}/claims/claims.json?_facet=party&_size=0")
    counts = {r["value"]: r["count"] for r in answer["facet_results"]["party"]["results"]}
    parties = [r["party"] for r in read_csv(out, "claims")]
    assert counts == {party: parties.count(party) for party in set(parties)}
    # Opened by default (metadata "facets"), without asking:
    assert {"party", "stance", "review"} <= set(get_json(f"{server}/claims/claims.json?_size=0")["facet_results"])


def test_datasette_full_text_search_finds_a_seed_sentence(server, out):
    answer = get_json(f"{server}/claims/claims.json?" + urlencode({"_search": "hoax", "_shape": "objects"}))
    found = {row["row_id"] for row in answer["rows"]}
    assert "000_f0a2ea317c2ec4f5-c1044-RUS-denial" in found
    assert found == {r["row_id"] for r in read_csv(out, "claims") if "hoax" in r["sentence"].lower()}
    answer = get_json(f"{server}/claims/estimates.json?" + urlencode({"_search": "interpreter", "_shape": "objects"}))
    assert answer["rows"] and all("interpreter" in row["sentence"] for row in answer["rows"])


def load(driver, url: str) -> None:
    driver.get(url)
    assert_no_alert(driver, url)
    driver.execute_script(WATCH)


def anchors(driver) -> list[tuple[str, str]]:
    return [tuple(pair) for pair in driver.execute_script(
        "return Array.from(document.querySelectorAll('a[href]')).map(a => [a.href, a.textContent])")]


def test_row_ids_link_to_their_evidence_pages(server, driver, out):
    load(driver, f"{server}/claims/claims?" + urlencode({"_search": "hoax"}))
    links = [(href, text) for href, text in anchors(driver) if "/static/html/articles/" in href]
    hostile = [(href, text) for href, text in links if quote(HOSTILE_ID, safe="") in href]
    assert hostile, links
    href, text = hostile[0]
    page = quote(evidence_file_name(HOSTILE_ID), safe="")
    assert href.startswith(f"{server}/static/html/articles/{page}#{quote(HOSTILE_ID, safe='')}-c")
    assert text == href[len(server):]  # the evidence_url cell shows its URL as text
    with urlopen(href.split("#")[0], timeout=30) as response:
        assert response.status == 200 and response.headers["content-type"].startswith("text/html")
    row_id = unquote(urlsplit(href).fragment)
    load(driver, href)
    assert driver.find_elements(By.ID, row_id), f"the evidence page has no #{row_id}"

    # On the row's own page the row_id itself links to the evidence.
    load(driver, f"{server}/claims/claims?" + urlencode({"row_id": row_id}))
    row_pages = [h for h, t in anchors(driver) if t == row_id and "/static/" not in h]
    assert row_pages, "the table links each row_id to its row page"
    load(driver, row_pages[0])
    assert (href, row_id) in anchors(driver)


def test_rows_of_articles_without_a_page_are_not_linked(server, driver):
    load(driver, f"{server}/claims/claims?" + urlencode({"article_id": "003_2abaae6c6ae518d7"}))
    assert "003_2abaae6c6ae518d7-c" in driver.find_element(By.TAG_NAME, "body").text
    assert not [h for h, _ in anchors(driver) if "/static/" in h], "a link to a page the run did not write"


def assert_shown_as_text(driver, where: str, *payloads: str) -> None:
    assert_no_alert(driver, where)
    body = driver.find_element(By.TAG_NAME, "body").text
    for payload in payloads:
        assert payload in body, f"{where}: {payload} not shown as text"
    ran = driver.execute_script(
        "return [window.__xss === true, document.querySelectorAll('img[src=\"x\"]').length, "
        "Array.from(document.scripts).filter(s => s.text.includes('alert(')).length]")
    assert ran == [False, 0, 0], f"{where}: a payload became markup: {ran}"


def test_hostile_text_is_shown_escaped(server, driver):
    for path in ("/claims/claims?" + urlencode({"_search": "hoax"}),
                 "/claims/estimates?" + urlencode({"article_id": HOSTILE_ID}),
                 "/claims/articles"):
        load(driver, server + path)
        time.sleep(0.2)
        payloads = [IMG_PAYLOAD] if "estimates" in path else [SCRIPT_PAYLOAD]
        assert_shown_as_text(driver, path, *payloads)
    source = urlopen(f"{server}/claims/claims?" + urlencode({"_search": "hoax"}), timeout=30).read().decode()
    assert SCRIPT_PAYLOAD not in source and "&lt;script&gt;alert(1)&lt;/script&gt;" in source


def test_hostile_folder_name_in_metadata_is_shown_escaped(driver, tmp_path):
    folder = tmp_path / HOSTILE_FOLDER
    folder.mkdir()
    shutil.copy(SEEDS_DIR / "000_f0a2ea317c2ec4f5.txt", folder)
    out = tmp_path / "out"
    assert run_quietly(["extract", "--articles", str(folder), "--out", str(out)]) == 0
    meta = json.loads((out / database.METADATA_FILE).read_text(encoding="utf-8"))
    assert meta["title"] == f"News claims: {HOSTILE_FOLDER}"
    with datasette(out, tmp_path / "datasette.log") as base:
        for path in ("/", "/claims", "/claims/claims"):  # the title and description: home and database page
            load(driver, base + path)
            assert_shown_as_text(driver, path, *([] if path == "/claims/claims" else [HOSTILE_FOLDER]))


def test_the_database_written_aside_is_the_one_written_in_process(tmp_path):
    """A large corpus's database is written in a second process while the figures draw
    (extract.database_writer): the same bytes as in-process, and its errors still reach the caller."""
    from analysis.extract import database_writer

    source = tmp_path / "source"
    assert run_quietly(["extract", "--articles", str(SEEDS_DIR), "--out", str(source)]) == 0
    estimates = pd.read_csv(source / "tables" / "estimates.csv")
    written = {}
    for background in (False, True):
        out = tmp_path / f"aside_{background}"
        shutil.copytree(source / "tables", out / "tables")
        with database_writer(out, estimates, False, None, None, background=background):
            pass
        written[background] = (out / database.DATABASE_FILE).read_bytes()
    assert written[True] == written[False] and written[True].startswith(b"SQLite format 3")

    broken = tmp_path / "broken"
    shutil.copytree(source / "tables", broken / "tables")
    with (broken / "tables" / "claims.csv").open("a", encoding="utf-8") as claims:
        claims.write("a row,of two fields\n")
    for background in (False, True):
        with pytest.raises(database.DatabaseError, match=r"claims\.csv: line \d+ has 2 fields"):
            with database_writer(broken, estimates, False, None, None, background=background):
                pass
    # The block's own error is the one raised, not the database's.
    with pytest.raises(KeyError, match="from the block"):
        with database_writer(broken, estimates, False, None, None, background=True):
            raise KeyError("from the block")


def _article(day: int, figure: str, speaker: str) -> str:
    return (f"date: 2024-11-{day:02d}\ntitle: Report number {day}\n\n"
            f"{speaker} said on Tuesday that {figure} North Korean soldiers had reached the Kursk region.\n\n"
            "The Kremlin denied that any North Korean troops were fighting in Russia.\n")


def test_a_rerun_copies_unchanged_articles_rows_and_gives_the_cold_bytes(tmp_path):
    """extract keeps where each article's rows lie in claims.db (ROW_INDEX_FILE): the next run
    copies the rows of unchanged articles from the database it replaces and converts only the
    others; the result is byte for byte the database of a run from nothing."""
    articles, out, cold = tmp_path / "articles", tmp_path / "out", tmp_path / "cold"
    articles.mkdir()
    for day, figure in ((4, "3,000"), (5, "8,000"), (6, "10,000"), (7, "11,000")):
        (articles / f"a{day}.txt").write_text(_article(day, figure, "A Ukrainian intelligence officer"),
                                              encoding="utf-8")
    assert run_quietly(["extract", "--articles", str(articles), "--out", str(out)]) == 0
    index = json.loads((out / database.ROW_INDEX_FILE).read_text(encoding="utf-8"))
    assert [entry[0] for entry in index["tables"]["claims"]["blocks"]] == ["a4", "a5", "a6", "a7"]
    assert index["database"] == hashlib.sha256((out / database.DATABASE_FILE).read_bytes()).hexdigest()

    # A reader who edits the database by hand gets it rebuilt: the index no longer names it.
    connection = sqlite3.connect(out / database.DATABASE_FILE)
    connection.execute("UPDATE claims SET speaker = 'hand-edited' WHERE article_id = 'a4'")
    connection.commit()
    connection.close()
    assert database.previous_database(out) is None
    assert run_quietly(["extract", "--articles", str(articles), "--out", str(out)]) == 0
    assert query(out / database.DATABASE_FILE, "SELECT count(*) FROM claims WHERE speaker = 'hand-edited'") == [(0,)]

    # Rows are copied, not converted: a value planted in the previous database (its index made
    # to name it) comes through for the unchanged article a4 and not for the edited a5.
    connection = sqlite3.connect(out / database.DATABASE_FILE)
    connection.execute("UPDATE claims SET cue = 'planted' WHERE article_id IN ('a4', 'a5')")
    connection.commit()
    connection.close()
    planted = json.loads((out / database.ROW_INDEX_FILE).read_text(encoding="utf-8"))
    planted["database"] = hashlib.sha256((out / database.DATABASE_FILE).read_bytes()).hexdigest()
    (out / database.ROW_INDEX_FILE).write_text(json.dumps(planted), encoding="utf-8")
    (articles / "a5.txt").write_text(_article(5, "9,000", "A South Korean lawmaker"), encoding="utf-8")
    assert run_quietly(["extract", "--articles", str(articles), "--out", str(out)]) == 0
    assert query(out / database.DATABASE_FILE, "SELECT DISTINCT article_id FROM claims WHERE cue = 'planted'") == [
        ("a4",)]

    # Unplanted: an article added, one edited, one removed; the bytes of a cold run.
    assert run_quietly(["extract", "--articles", str(articles), "--out", str(out), "--no-cache"]) == 0
    (articles / "a6.txt").unlink()
    (articles / "a3.txt").write_text(_article(3, "2,000", "A NATO spokesperson"), encoding="utf-8")
    (articles / "a7.txt").write_text(_article(7, "12,000", "The Pentagon"), encoding="utf-8")
    assert run_quietly(["extract", "--articles", str(articles), "--out", str(out)]) == 0
    assert run_quietly(["extract", "--articles", str(articles), "--out", str(cold), "--no-cache"]) == 0
    assert (out / database.DATABASE_FILE).read_bytes() == (cold / database.DATABASE_FILE).read_bytes()
    assert (out / database.ROW_INDEX_FILE).read_bytes() == (cold / database.ROW_INDEX_FILE).read_bytes()
    assert query(out / database.DATABASE_FILE, "SELECT DISTINCT article_id FROM claims ORDER BY rowid") == [
        ("a3",), ("a4",), ("a5",), ("a7",)]
    assert database.ROW_INDEX_FILE in RUN_PRODUCTS  # a run without one never keeps the previous run's


def test_a_large_run_writes_its_database_and_workbook_aside_with_the_same_bytes(tmp_path, monkeypatch):
    """From PARALLEL_MIN_FILES articles extract_folder writes claims.db, then tables.xlsx, in a
    process of its own started before the extraction: the same files as in-process."""
    from analysis import extract
    from analysis.load import PARALLEL_MIN_FILES

    articles = tmp_path / "articles"
    articles.mkdir()
    for number in range(PARALLEL_MIN_FILES):  # every text its own figure: no article a duplicate of another
        (articles / f"n{number:04d}.txt").write_text(
            _article(1 + number % 28, f"{3000 + 10 * number:,}", "A Ukrainian intelligence officer"), encoding="utf-8")
    started = []
    real_process = extract.database_process

    def watched(wanted):
        started.append(wanted)
        return real_process(wanted)

    monkeypatch.setattr(extract, "database_process", watched)
    written = {}
    for aside in (True, False):
        monkeypatch.setattr(extract, "_database_aside", lambda n, aside=aside: aside)
        out = tmp_path / f"out_{aside}"
        result = extract.extract_folder(articles, out, xlsx=True, workers=2)
        assert any(path.name == "tables.xlsx" for path in result.written)
        written[aside] = [(out / name).read_bytes() for name in
                          (database.DATABASE_FILE, database.ROW_INDEX_FILE, "tables/tables.xlsx")]
    assert started == [True, False]
    assert written[True] == written[False]
    assert query(tmp_path / "out_True" / database.DATABASE_FILE, "SELECT count(DISTINCT article_id) FROM claims") == [
        (PARALLEL_MIN_FILES,)]


def test_a_report_leaves_the_database_and_workbook_to_finish_while_it_goes_on(tmp_path, monkeypatch):
    """With `later` (the report, while its notebooks run), write_tables_and_figure returns
    before the workbook: its Future is in `later.workbook`, and once `later` is closed
    claims.db and tables.xlsx are the bytes of a run that waited for them."""
    from analysis import extract
    from analysis.extract import Unfinished, write_tables_and_figure
    from analysis.load import load_corpus

    articles = tmp_path / "articles"
    articles.mkdir()
    for number in range(12):
        (articles / f"n{number:02d}.txt").write_text(
            _article(1 + number, f"{3000 + 10 * number:,}", "A Ukrainian intelligence officer"), encoding="utf-8")
    corpus = load_corpus(articles, workers=1)
    found = extract.extract_tables(corpus, workers=1)
    tables = {"articles": corpus.articles_frame(), "rejected": corpus.rejected_frame(), "claims": found.claims,
              "estimates": found.estimates, "corrections": found.corrections}
    monkeypatch.setattr(extract, "_database_aside", lambda n: True)
    files = (database.DATABASE_FILE, "metadata.json", "tables/tables.xlsx")
    waited = write_tables_and_figure(tables, tmp_path / "waited")
    assert any(path.name == "tables.xlsx" for path in waited)
    with Unfinished() as later:
        left = write_tables_and_figure(tables, tmp_path / "left", later=later)
        assert not any(path.name == "tables.xlsx" for path in left)
        assert later.workbook is not None
    assert later.workbook.result() == tmp_path / "left" / "tables" / "tables.xlsx"
    assert [(tmp_path / "left" / name).read_bytes() for name in files] == [
        (tmp_path / "waited" / name).read_bytes() for name in files]
    assert [path.name for path in left] == [path.name for path in waited if path.name != "tables.xlsx"]
