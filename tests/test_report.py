"""The report command: committed outputs are fresh, parameters are checked before anything
runs, HTML never carries article text unescaped, failures are reported per notebook, and
the evidence pages highlight what was extracted.

Nothing here hard-codes extraction results: expectations come from the CSV files of the run."""

from __future__ import annotations

import csv
import html
import re
import shutil
from argparse import Namespace
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import evidence, report, views
from analysis.cli import main
from analysis.paths import NOTEBOOKS_DIR, OUTPUTS_DIR, SEEDS_DIR

from conftest import EVIDENCE_LIMIT, HOSTILE_ID, IMG_PAYLOAD, SCRIPT_PAYLOAD

STALE = "outputs/ is stale or incomplete: run `make report` (python -m analysis report) and commit outputs/"


def read_csv(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def visible_text(page: str) -> str:
    parser = Balanced()
    parser.feed(page)
    return "".join(parser.text)


def report_pages(out: Path) -> list[Path]:
    return [out / "index.html", *sorted((out / "html").glob("*.html")), *sorted((out / "html" / "articles").glob("*.html"))]


class Links(HTMLParser):
    """Every href and src of a page, and every tag name seen."""

    def __init__(self):
        super().__init__()
        self.targets: list[str] = []
        self.tags: list[str] = []
        self.handlers: list[str] = []
        self.scripts: list[str] = []  # the src of every script element ("" for an inline one)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "script":
            self.scripts.append(dict(attrs).get("src") or "")
        self.targets.extend(v for k, v in attrs if k in ("href", "src") and v)
        self.handlers.extend(f"<{tag} {k}>" for k, _ in attrs if k.lower().startswith("on"))
        if tag == "img" and dict(attrs).get("src") == "x":
            self.handlers.append("<img src=x>")


# --- committed outputs -------------------------------------------------------------------------


def test_committed_tables_and_figures_match_a_fresh_extraction(tmp_path):
    values = {"articles_dir": "seeds", "manifest": "", "date_from": "", "date_to": "", "lexicon_dir": "",
              "max_bytes": 5 * 1024 * 1024}
    run, _ = report.build(values)
    written = report.write_extraction(run, tmp_path)
    fresh = sorted(p.relative_to(tmp_path).as_posix() for p in written)
    committed = sorted(p.relative_to(OUTPUTS_DIR).as_posix()
                       for folder in ("tables", "figures") for p in (OUTPUTS_DIR / folder).glob("*") if p.is_file())
    assert committed == fresh, f"{STALE}\nfiles differ: committed {committed}, fresh {fresh}"
    changed = [name for name in fresh if (tmp_path / name).read_bytes() != (OUTPUTS_DIR / name).read_bytes()]
    assert not changed, f"{STALE}\nchanged: {', '.join(changed)}"


def test_committed_report_is_complete():
    for name in ("index.html", "index.png", "html/articles/index.html"):
        assert (OUTPUTS_DIR / name).is_file(), f"{STALE} (missing {name})"
    for notebook in report.notebook_paths():
        assert (OUTPUTS_DIR / "notebooks" / notebook.name).is_file(), f"{STALE} (missing notebooks/{notebook.name})"
        assert (OUTPUTS_DIR / "html" / f"{notebook.stem}.html").is_file(), f"{STALE} (missing html/{notebook.stem}.html)"


def test_stored_notebooks_carry_no_run_to_run_metadata():
    for path in [*report.notebook_paths(), *sorted((OUTPUTS_DIR / "notebooks").glob("*.ipynb"))]:
        nb = nbformat.read(path, as_version=4)
        for key in report.VOLATILE_PAPERMILL_KEYS:
            assert key not in nb.metadata.get("papermill", {}), f"{path.name}: metadata.papermill.{key}"
        for cell in nb.cells:
            assert "execution" not in cell.metadata, f"{path.name}: cell {cell.get('id')} has metadata.execution"
            assert "papermill" not in cell.metadata, f"{path.name}: cell {cell.get('id')} has metadata.papermill"
            if cell.cell_type == "code" and cell.outputs:
                assert cell.execution_count is not None, f"{path.name}: cell {cell.get('id')} has outputs, no count"


def test_every_notebook_has_one_typed_parameters_cell():
    specs = report.parameter_specs(report.notebook_paths())
    for name in ("articles_dir", "manifest", "output_dir", "date_from", "date_to", "lexicon_dir", "max_rows"):
        assert name in specs and len(specs[name].notebooks) == len(report.notebook_paths()), name
        assert specs[name].help, f"{name} has no comment for papermill --help-notebook"
    assert specs["max_rows"].type_name == "int"
    assert specs["articles_dir"].type_name == "str"
    assert specs["log_scale"].type_name == "str"
    assert specs["parties"].type_name == "list" and specs["outlets"].type_name == "list"
    for path in report.notebook_paths():
        nb = nbformat.read(path, as_version=4)
        tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(tagged) == 1, path.name


# --- parameters --------------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "type_name", "expected"), [
    ("12", "int", 12), (" 7 ", "int", 7), ("2.5", "float", 2.5), ("3", "float", 3.0),
    ("true", "bool", True), ("Yes", "bool", True), ("1", "bool", True),
    ("false", "bool", False), ("no", "bool", False), ("0", "bool", False),
    ("seeds", "str", "seeds"), ("", "str", ""),
])
def test_values_are_converted_to_the_declared_type(raw, type_name, expected):
    value = report.convert_value("x", raw, type_name)
    assert value == expected and type(value) is type(expected)


@pytest.mark.parametrize(("raw", "type_name"), [("abc", "int"), ("1.5", "int"), ("x", "float"), ("maybe", "bool")])
def test_values_of_the_wrong_type_are_refused(raw, type_name):
    with pytest.raises(report.ReportError, match=f"expects {type_name}"):
        report.convert_value("x", raw, type_name)


@pytest.mark.parametrize(("extra", "message"), [
    (["--articles", "no-such-folder"], "articles folder not found"),
    (["-p", "no_such_parameter", "1"], "unknown parameter"),
    (["-p", "max_rows", "many"], "max_rows expects int"),
    (["-p", "log_scale", "perhaps"], "log_scale must be auto, log or linear"),
    (["-p", "date_from", "12/10/2024"], "date_from expects a date"),
    (["-p", "date_from", "2024-11-01", "-p", "date_to", "2024-10-01"], "is after"),
    (["-p", "max_rows", "0"], "max_rows must be at least 1"),
    (["--manifest", "seeds/no-manifest.csv"], "manifest file not found"),
    (["--evidence-limit", "-1"], "evidence-limit"),
])
def test_bad_input_stops_before_any_notebook_runs(tmp_path, capsys, extra, message):
    out = tmp_path / "out"
    code = main(["report", "--out", str(out), "--no-screenshot", *extra])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1, err
    assert not out.exists(), "the report wrote files before refusing its input"


# --- the report on seeds + a hostile article ---------------------------------------------------


def test_report_run_succeeds(hostile_report):
    assert hostile_report.exit_code == 0, hostile_report.stdout + hostile_report.stderr
    for notebook in report.notebook_paths():
        assert f"ran {notebook.name} in" in hostile_report.stdout
        assert (hostile_report.out / "notebooks" / notebook.name).is_file()
        assert (hostile_report.out / "html" / f"{notebook.stem}.html").is_file()
    for name in ("articles", "rejected", "claims", "estimates"):
        assert (hostile_report.out / "tables" / f"{name}.csv").is_file()
    for ext in ("png", "svg", "csv"):
        assert (hostile_report.out / "figures" / f"estimate_growth.{ext}").is_file()


def test_parameters_reach_the_notebooks_typed(hostile_report):
    for notebook in report.notebook_paths():
        nb = nbformat.read(hostile_report.out / "notebooks" / notebook.name, as_version=4)
        parameters = nb.metadata.papermill.parameters
        assert parameters["max_rows"] == 150 and type(parameters["max_rows"]) is int
        assert parameters["articles_dir"] == str(hostile_report.articles)
        assert "start_time" not in nb.metadata.papermill
        injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
        assert [c.id for c in injected] == ["injected-parameters"]
    growth = nbformat.read(hostile_report.out / "notebooks" / "03-estimate-growth.ipynb", as_version=4)
    assert growth.metadata.papermill.parameters["log_scale"] == "linear"  # "no" as the chart reads it


def test_payload_sentences_are_extracted(hostile_report):
    """The safety checks below only mean something if the payloads reach the tables."""
    claims = read_csv(hostile_report.out / "tables" / "claims.csv")
    sentences = [r["sentence"] for r in claims if r["article_id"] == HOSTILE_ID]
    assert any(SCRIPT_PAYLOAD in s for s in sentences), "the <script> sentence is no longer extracted"
    assert any(IMG_PAYLOAD in s for s in sentences), "the <img> sentence is no longer extracted"


def test_no_page_carries_the_payloads_unescaped(hostile_report):
    pages = report_pages(hostile_report.out)
    evidence_page = hostile_report.out / "html" / "articles" / evidence.evidence_file_name(HOSTILE_ID)
    assert evidence_page in pages
    for page in pages:
        text = page.read_text(encoding="utf-8")
        # The one script a page may load is the project's table script, from a file, never inline.
        script_tags = re.findall(r"<script\b[^>]*>.*?</script>", text, flags=re.IGNORECASE | re.DOTALL)
        assert all(re.fullmatch(r'<script (defer="" )?src="(html/)?assets/tables\.js"( defer)?></script>', tag) for tag in script_tags), \
            f"{page.name}: {script_tags}"
        assert text.lower().count("<script") == len(script_tags), f"{page.name}: an unclosed <script> tag"
        assert "<img src=x" not in text.lower(), f"{page.name}: the <img> payload as markup"
        parser = Links()
        parser.feed(text)
        assert all(src.endswith("assets/tables.js") for src in parser.scripts) and not parser.handlers, \
            f"{page.name}: {parser.scripts} {parser.handlers}"
    escaped_script = html.escape(SCRIPT_PAYLOAD, quote=False)
    escaped_img = html.escape(IMG_PAYLOAD, quote=False)
    assert escaped_script in (hostile_report.out / "index.html").read_text(encoding="utf-8")  # the title
    claims_report = (hostile_report.out / "html" / "02-claims-and-denials.html").read_text(encoding="utf-8")
    assert escaped_script in claims_report and escaped_img in claims_report
    # On the evidence page highlights may cut the payload into pieces: check the text a reader sees.
    raw = evidence_page.read_text(encoding="utf-8")
    assert "&lt;script&gt;" in raw and "&lt;img src=x onerror=" in raw
    seen = visible_text(raw)
    assert SCRIPT_PAYLOAD in seen and IMG_PAYLOAD in seen


def test_index_counts_match_the_csv_files(hostile_report):
    tables = hostile_report.out / "tables"
    claims = read_csv(tables / "claims.csv")
    estimates = read_csv(tables / "estimates.csv")
    expected = {
        "articles": len(read_csv(tables / "articles.csv")),
        "rejected": len(read_csv(tables / "rejected.csv")),
        "claims_rows": len(claims),
        "claims": sum(r["stance"] == "claim" for r in claims),
        "denials": sum(r["stance"] == "denial" for r in claims),
        "non_denials": sum(r["stance"] == "non_denial" for r in claims),
        "estimates": len(estimates),
        "deployment": sum(r["kind"] in ("current", "projected") for r in estimates),
        "casualties": sum(r["kind"] == "casualties" for r in estimates),
        "earlier": sum(r["kind"] == "earlier" for r in estimates),
        "context": sum(r["kind"] == "context" for r in estimates),
    }
    index = (hostile_report.out / "index.html").read_text(encoding="utf-8")
    shown = {k: int(v.replace(",", "")) for k, v in re.findall(r'data-count="(\w+)">([\d,]+)<', index)}
    assert shown == expected
    # The parts add up to each table's rows.
    assert shown["claims"] + shown["denials"] + shown["non_denials"] == shown["claims_rows"]
    assert shown["deployment"] + shown["casualties"] + shown["earlier"] + shown["context"] == shown["estimates"]


def test_every_link_of_the_report_resolves(hostile_report):
    for page in report_pages(hostile_report.out):
        parser = Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for target in parser.targets:
            parts = urlsplit(target)
            if parts.scheme or not parts.path:
                continue
            assert (page.parent / unquote(parts.path)).exists(), f"{page.name}: broken link {target}"


def test_evidence_limit_writes_the_first_pages_and_says_so(hostile_report):
    articles = sorted(r["article_id"] for r in read_csv(hostile_report.out / "tables" / "articles.csv"))
    pages = sorted(p.name for p in (hostile_report.out / "html" / "articles").glob("*.html") if p.name != "index.html")
    assert pages == sorted(evidence.evidence_file_name(a) for a in articles[:EVIDENCE_LIMIT])
    index = (hostile_report.out / "index.html").read_text(encoding="utf-8")
    assert f"for {EVIDENCE_LIMIT} of {len(articles)} articles" in index


def test_evidence_page_marks_every_extracted_row(hostile_report):
    page = (hostile_report.out / "html" / "articles" / evidence.evidence_file_name(HOSTILE_ID)).read_text(encoding="utf-8")
    claims = [r for r in read_csv(hostile_report.out / "tables" / "claims.csv") if r["article_id"] == HOSTILE_ID]
    figures = [r for r in read_csv(hostile_report.out / "tables" / "estimates.csv") if r["article_id"] == HOSTILE_ID]
    for row in claims:
        assert f'id="s{row["start"]}-{row["end"]}"' in page
        assert re.search(rf'<mark class="{row["stance"]}\b', page) or 'class="mixed' in page
    for row in figures:
        assert f'id="e{row["start"]}-{row["end"]}"' in page
        assert f">{html.escape(row['phrase'], quote=False)}</mark>" in page


def test_tables_in_reports_are_capped_with_a_note(tmp_path):
    frame = pd.DataFrame({"article_id": [f"a{i}" for i in range(12)], "sentence": [SCRIPT_PAYLOAD] * 12})
    view = views.table(frame, max_rows=5, source="tables/claims.csv")
    assert repr(view).splitlines()[0] == "showing 5 of 12 rows; full table: tables/claims.csv"
    assert len(repr(view).splitlines()) == 1 + 1 + 5
    rendered = view._repr_html_()
    assert 'showing 5 of 12 rows; full table: <a href="../tables/claims.csv">tables/claims.csv</a>' in rendered
    assert "<script>" not in rendered and html.escape(SCRIPT_PAYLOAD, quote=False) in rendered
    assert rendered.count("<tr") == 1 + 5


def test_a_failing_notebook_is_reported_and_kept(tmp_path, capsys):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    params = nbformat.v4.new_code_cell('articles_dir: str = "seeds"  # folder of .txt articles\n'
                                       'max_rows: int = 200  # rows shown')
    params.metadata["tags"] = ["parameters"]

    def write(name, *sources):
        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nb.cells = [nbformat.v4.new_markdown_cell(f"# {name}"), params,
                    *(nbformat.v4.new_code_cell(s) for s in sources)]
        nbformat.write(nb, notebooks / f"{name}.ipynb")

    write("01-fine", "print('fine', max_rows)")
    write("02-broken", "print('before')", "raise RuntimeError('boom in the second cell')", "print('after')")
    write("03-also-fine", "print('still runs')")
    out = tmp_path / "out"
    args = Namespace(articles=str(SEEDS_DIR), manifest=None, out=str(out), lexicon=None, corrections=None, max_bytes=5 * 1024 * 1024,
                     parameter=[["max_rows", "3"]], keep_input=True, timeout=60, evidence_limit=0, screenshot=False)
    code = report.run_report(args, notebooks_dir=notebooks)
    captured = capsys.readouterr()
    assert code == 1
    assert "FAILED 02-broken.ipynb" in captured.out
    assert "RuntimeError: boom in the second cell" in captured.out
    assert "In [4] (cell 5 of the executed notebook: raise RuntimeError(" in captured.out
    assert "02-broken.ipynb" in captured.err
    partial = nbformat.read(out / "notebooks" / "02-broken.ipynb", as_version=4)
    errors = [o for c in partial.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors and errors[0].ename == "RuntimeError"
    for name in ("01-fine", "02-broken", "03-also-fine"):
        assert (out / "html" / f"{name}.html").is_file()
    broken = (out / "html" / "02-broken.html").read_text(encoding="utf-8")
    assert "before" in broken and "RuntimeError" in broken
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "failed" in index and "boom in the second cell" in index
    assert "for 0 of" in index


# --- evidence mark-up --------------------------------------------------------------------------


class Balanced(HTMLParser):
    """Text content of a fragment, and whether its tags nest properly."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []
        self.ok = True

    def handle_starttag(self, tag, attrs):
        if tag != "a":
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag == "a":
            return
        self.ok = self.ok and bool(self.stack) and self.stack.pop() == tag

    def handle_data(self, data):
        self.text.append(data)


def parse(fragment: str) -> Balanced:
    parser = Balanced()
    parser.feed(fragment)
    parser.close()
    return parser


def test_a_figure_inside_a_claim_sentence_is_marked_in_both():
    text = "Intro. Officials said 3,000 <b>soldiers</b> arrived. End."
    sentence = (7, text.index(" End"))
    figure = (text.index("3,000"), text.index("3,000") + 5)
    spans = [evidence.Span(*sentence, "claim", "claim by UKR", "s"), evidence.Span(*figure, "estimate", "3,000", "e")]
    marked = evidence.mark_up(text, spans)
    assert '<mark class="claim estimate" title="claim by UKR | 3,000">3,000</mark>' in marked
    assert '<mark class="claim" title="claim by UKR">Officials said </mark>' in marked
    assert "&lt;b&gt;soldiers&lt;/b&gt;" in marked and "<b>" not in marked
    parsed = parse(marked)
    assert parsed.ok and "".join(parsed.text) == text


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="ab <>&\"'\n", max_size=40),
       st.lists(st.tuples(st.integers(0, 45), st.integers(0, 45), st.sampled_from(["claim", "denial", "estimate", "cue"])),
                max_size=6))
def test_marking_up_keeps_the_text_and_nests_tags(text, raw_spans):
    spans = [evidence.Span(a, b, css, f"{css} <{a}>", f"x{a}-{b}") for a, b, css in raw_spans]
    marked = evidence.mark_up(text, spans)
    parsed = parse(marked)
    assert parsed.ok and not parsed.stack
    assert "".join(parsed.text) == text
    assert "<" not in re.sub(r"</?(mark|a)\b[^>]*>", "", marked)


@pytest.mark.parametrize("article_id", [
    "plain_id-1", "with space", "quote\"double", "it's", "Ünïcødé 北", "a/b", "..", ".hidden", "index", "x" * 300,
    "<script>", "100%#?&", "INDEX-3",
])
def test_evidence_file_names_are_safe(article_id, tmp_path):
    name = evidence.evidence_file_name(article_id)
    assert "/" not in name and "\\" not in name and not name.startswith(".")
    assert len(name.encode("utf-8")) <= 255 and not re.fullmatch(r"index(-\d+)?\.html", name, re.IGNORECASE)
    (tmp_path / name).write_text("ok", encoding="utf-8")
    link = html.unescape(evidence.href(name))
    assert not re.search(r"[\s\"'<>#?&]", link), link
    assert (tmp_path / unquote(link)).read_text(encoding="utf-8") == "ok"


def test_evidence_file_names_are_unique():
    ids = ["a/b", "a_b", "a:b", "A/B", "index", "Index", "index-2", "x" * 300, "x" * 301]
    names = [evidence.evidence_file_name(i) for i in ids]
    assert len({n.casefold() for n in names}) == len(ids)


def test_evidence_listing_is_paged(tmp_path):
    from analysis.load import load_corpus

    folder = tmp_path / "articles"
    folder.mkdir()
    for number in range(5):
        (folder / f"art {number}.txt").write_text(f"Article number {number} says nothing of note.\n", encoding="utf-8")
    corpus = load_corpus(folder)
    empty_claims = pd.DataFrame(columns=["article_id", "stance", "start", "end", "cue_start", "cue_end"])
    empty_estimates = pd.DataFrame(columns=["article_id", "start", "end"])
    rows = evidence.write_evidence_pages(corpus.articles, empty_claims, empty_estimates, tmp_path / "out",
                                         limit=4, per_listing=3)
    listings = sorted(p.name for p in (tmp_path / "out" / "html" / "articles").glob("index*.html"))
    assert [a.article_id for a, _, _ in rows] == ["art 0", "art 1", "art 2", "art 3"]
    assert listings == ["index-2.html", "index.html"]
    first = (tmp_path / "out" / "html" / "articles" / "index.html").read_text(encoding="utf-8")
    assert "Evidence pages for 4 of 5 articles" in first and 'href="index-2.html">next' in first
    assert "Showing 1-3 of 4 evidence pages" in first


def test_notebooks_reuse_the_reports_extraction(tmp_path, monkeypatch):
    run, _ = views.build_run("seeds")
    marked = views.Run(**{**run.__dict__, "problems": ["from the cache"]})
    monkeypatch.setenv(views.CACHE_ENV, str(views.save_run_cache(marked, tmp_path / "run.pickle")))
    assert views.load_run("seeds").problems == ["from the cache"]
    assert views.load_run(str(SEEDS_DIR)).problems == ["from the cache"]  # same folder, spelled differently
    assert views.load_run("seeds", date_from="2024-10-20").problems != ["from the cache"]  # other inputs


def test_refreshing_a_notebook_twice_changes_nothing(tmp_path):
    shutil.copy(NOTEBOOKS_DIR / "01-corpus.ipynb", tmp_path / "01-corpus.ipynb")
    assert report.refresh_notebooks(tmp_path) == 0
    first = (tmp_path / "01-corpus.ipynb").read_bytes()
    assert report.refresh_notebooks(tmp_path) == 0
    assert (tmp_path / "01-corpus.ipynb").read_bytes() == first
    nb = nbformat.read(tmp_path / "01-corpus.ipynb", as_version=4)
    assert "papermill" not in nb.metadata
    assert all(c.execution_count for c in nb.cells if c.cell_type == "code")


def test_an_earlier_estimate_is_charted_but_never_a_first_or_latest_figure(tmp_path):
    from analysis.chart import estimate_growth, growth_points
    from analysis.extract import extract_frames
    from analysis.load import load_corpus

    (tmp_path / "a.txt").write_text(
        "date: 2024-11-20\n\nA US official said the number of North Korean troops in Russia had risen to 12,000, "
        "up from an earlier estimate of 10,000.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text(
        "date: 2024-11-01\n\nThe Pentagon said about 8,000 North Korean soldiers were in the Kursk region.\n",
        encoding="utf-8")
    _, estimates = extract_frames(load_corpus(tmp_path))
    assert sorted(zip(estimates["kind"], estimates["low"])) == [("current", 8000), ("current", 12000), ("earlier", 10000)]
    points = growth_points(estimates)
    assert "earlier" in set(points["kind"])
    growth = estimate_growth(estimates).set_index(["party", "kind"])
    row = growth.loc[("USA", "current")]
    assert (row["first_low"], row["latest_low"], row["n_figures"]) == (8000, 12000, 2)
    assert "earlier" not in set(growth.reset_index()["kind"])


def test_small_runs_execute_notebooks_side_by_side_in_order(monkeypatch):
    """report.execute_notebooks: results in the notebooks' order whatever order they finish in,
    several kernels at once for a small run, one at a time for a large one; stopped, it starts
    nothing more and returns only once the running notebooks have finished."""
    import threading
    import time as clock

    running, peak, finished, lock = [0], [0], [], threading.Lock()

    def fake(name, seconds):
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        clock.sleep(seconds)
        with lock:
            running[0] -= 1
            finished.append(name)
        return report.NotebookResult(name, name, seconds, "")

    monkeypatch.setattr(report, "execute_notebook", fake)
    monkeypatch.setattr(report, "ensure_kernel", lambda: report.KERNEL_NAME)
    jobs = [("01", 0.3), ("02", 0.05), ("03", 0.15)]
    assert report.notebook_workers(2, 3) == 3 and report.notebook_workers(10_000, 3) == 1
    assert [r.name for r in report.execute_notebooks(jobs, 3)] == ["01", "02", "03"]
    assert peak[0] == 3 and finished == ["02", "03", "01"]  # they ran at once and finished out of order

    peak[0], finished[:] = 0, []
    assert [r.name for r in report.execute_notebooks(jobs, 1)] == ["01", "02", "03"] and peak[0] == 1

    peak[0], finished[:] = 0, []
    results = report.execute_notebooks([("01", 0.05), ("02", 0.4), ("03", 0.4), ("04", 0.05)], 2)
    assert next(results).name == "01"
    results.close()  # the caller stops (Ctrl-C, an error) while 02 and 03 run
    assert running[0] == 0 and sorted(finished) == ["01", "02", "03"]  # 04 never started


def test_a_rerun_copies_the_evidence_pages_whose_inputs_did_not_change(tmp_path):
    """evidence.write_evidence_pages with the previous run's pages: a page whose article, rows,
    topic and rules are unchanged is copied (a page planted there, its record made to match,
    comes through), any other is built; a page edited by hand or other rules build it again."""
    import hashlib
    import json

    from analysis.extract import extract_frames
    from analysis.load import load_corpus

    corpus = load_corpus(SEEDS_DIR)
    claims, estimates = extract_frames(corpus)
    first, second, third = tmp_path / "first", tmp_path / "second", tmp_path / "third"
    assert all(not (folder / "html" / "articles").exists() for folder in (first, second))
    evidence.write_evidence_pages(corpus.articles, claims, estimates, first,
                                  earlier=evidence.EarlierPages(second / "html" / "articles", "rules-1"))
    pages = first / "html" / "articles"
    record = json.loads((pages / evidence.PAGE_INPUTS).read_text(encoding="utf-8"))
    names = sorted(record)
    assert names == sorted(evidence.evidence_file_name(a.article_id) for a in corpus.articles) and len(names) == 2
    built = {name: (pages / name).read_bytes() for name in names}
    assert all(record[name][1] == hashlib.sha256(built[name]).hexdigest() for name in names)

    planted = built[names[0]].replace(b"</body>", b"<p>planted</p></body>")
    (pages / names[0]).write_bytes(planted)
    record[names[0]][1] = hashlib.sha256(planted).hexdigest()
    (pages / evidence.PAGE_INPUTS).write_text(json.dumps(record), encoding="utf-8")
    (pages / names[1]).write_bytes(built[names[1]] + b"<!-- edited by hand -->")
    evidence.write_evidence_pages(corpus.articles, claims, estimates, second,
                                  earlier=evidence.EarlierPages(pages, "rules-1"))
    copied = second / "html" / "articles"
    assert (copied / names[0]).read_bytes() == planted  # copied, not built
    assert (copied / names[1]).read_bytes() == built[names[1]]  # edited: built again

    evidence.write_evidence_pages(corpus.articles, claims, estimates, third,
                                  earlier=evidence.EarlierPages(copied, "rules-2"))
    assert (third / "html" / "articles" / names[0]).read_bytes() == built[names[0]]  # other rules: built
    evidence.write_evidence_pages(corpus.articles, claims, estimates, third)
    assert not (third / "html" / "articles" / evidence.PAGE_INPUTS).exists()  # no earlier pages: no record
