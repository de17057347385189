"""Step 5: the report. `python -m analysis report` turns a folder of articles into a folder a
reader can open without Jupyter:

    OUT/tables/*.csv                 the tables (as `python -m analysis extract` writes them)
    OUT/figures/estimate_growth.*    the growth chart (png, svg) and the data it plots (csv)
    OUT/notebooks/<name>.ipynb       each notebook of notebooks/, executed by papermill
    OUT/html/<name>.html             each executed notebook as HTML (code hidden unless --keep-input)
    OUT/html/articles/<id>.html      per article: its text with every extracted row highlighted
    OUT/index.html                   counts, latest figure per source, the chart, links to all of it
    OUT/index.png                    a screenshot of index.html (when Chromium is installed)

Parameters are checked before anything runs: their names and types are read from the
notebooks' `parameters` cells, and `-p NAME VALUE` values are converted to those types. The
corpus is read and extracted once; the notebooks reuse that result (see analysis.views).
Nothing written depends on the clock, so the same inputs give the same files.

`refresh_notebooks()` re-executes notebooks/ in place on seeds/ (the outputs nbval checks).
"""

from __future__ import annotations

import argparse
import ast
import ctypes
import functools
import gc
import html
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from . import cluster, evidence, views
from .corrections import CorrectionsError, find_corrections, read_corrections
from .extract import Unfinished, check_vocabulary_folders, open_cache
from .lexicon import LexiconError
from .topic import topic_labels
from .runfolder import CACHE_NAME, check_output, run_identity, staged_output
from .parameters import FALSE_WORDS, TRUE_WORDS, ParameterError, check_values
from .paths import NOTEBOOKS_DIR, PROJECT_ROOT, display_path, resolve

# The project's own kernel (installed into .venv by `make`, or by ensure_kernel): papermill,
# JupyterLab and a user's own Jupyter all run the notebooks with the project's Python.
KERNEL_NAME = "news-claims"
KERNEL_DISPLAY_NAME = "Python (news-claims)"
# Kernel-process log lines (the warning about unencrypted local TCP, an interrupt at shutdown)
# are noise here; cell errors reach us through the notebook itself.
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL"]
NOTEBOOK_GLOB = "[0-9][0-9]-*.ipynb"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                  "--hide-scrollbars", "--force-device-scale-factor=1"]
# Notebook parameters that the command's own options set (-p NAME VALUE overrides them).
OPTION_PARAMETERS = {"articles_dir": "--articles", "manifest": "--manifest", "output_dir": "--out",
                     "lexicon_dir": "--lexicon", "max_bytes": "--max-bytes", "corrections": "--corrections",
                     "topic_dir": "--topic"}
# papermill's per-run values: dropped so executed notebooks repeat byte for byte.
VOLATILE_PAPERMILL_KEYS = ("start_time", "end_time", "duration")


class ReportError(ValueError):
    """Bad input to the report, found before any notebook runs; the message is one line."""


class BrowserMissing(RuntimeError):
    """Chromium or its driver is not installed."""


@dataclass
class ParameterSpec:
    """One notebook parameter as declared in the parameters cells."""

    name: str
    type_name: str
    default: str
    help: str
    notebooks: list[str] = field(default_factory=list)


@dataclass
class NotebookResult:
    """How one notebook's run went."""

    name: str
    title: str
    seconds: float
    error: str = ""
    html: Path | None = None

    @property
    def ok(self) -> bool:
        return not self.error


# ---------------------------------------------------------------------------------------------
# parameters


def notebook_paths(folder: Path = NOTEBOOKS_DIR) -> list[Path]:
    """The numbered notebooks of a folder, in order."""
    return sorted(Path(folder).glob(NOTEBOOK_GLOB))


def parameter_specs(notebooks: list[Path]) -> dict[str, ParameterSpec]:
    """Name -> ParameterSpec over all notebooks (papermill's inspect_notebook); a name declared
    with different types in two notebooks is an error."""
    from papermill.inspection import inspect_notebook

    specs: dict[str, ParameterSpec] = {}
    for path in notebooks:
        for name, info in inspect_notebook(str(path)).items():
            type_name = str(info.get("inferred_type_name") or "None")
            spec = specs.get(name)
            if spec is None:
                spec = specs[name] = ParameterSpec(name, type_name, str(info.get("default") or ""),
                                                   str(info.get("help") or ""))
            elif spec.type_name != type_name:
                raise ReportError(f"parameter {name} is {spec.type_name} in {spec.notebooks[0]} "
                                  f"but {type_name} in {path.name}")
            spec.notebooks.append(path.name)
    return specs


def convert_value(name: str, raw: str, type_name: str):
    """A command-line string -> the parameter's declared type (int, float, bool, str)."""
    text = raw.strip()
    try:
        if type_name == "int":
            return int(text)
        if type_name == "float":
            return float(text)
    except ValueError:
        raise ReportError(f"parameter {name} expects {type_name}, got {raw!r}") from None
    if type_name == "list":  # "UKR,KOR" on the command line
        return list(views.as_list(text))
    if type_name == "bool":
        if text.lower() in TRUE_WORDS:
            return True
        if text.lower() in FALSE_WORDS:
            return False
        raise ReportError(f"parameter {name} expects bool (true/false, 1/0, yes/no), got {raw!r}")
    return raw


def _default_value(spec: ParameterSpec):
    try:
        return ast.literal_eval(spec.default)
    except (ValueError, SyntaxError):
        return spec.default


def _path_text(value: str | None) -> str:
    """A path as the notebooks get it: project-relative when inside the project."""
    return display_path(resolve(value)) if value else ""


def report_parameters(args: argparse.Namespace, specs: dict[str, ParameterSpec]) -> dict:
    """The run's settings: every declared parameter (default, then the command's options, then
    -p values converted to the declared type) plus the options the notebooks do not declare."""
    values = {name: _default_value(spec) for name, spec in specs.items()}
    values.update({
        "articles_dir": _path_text(args.articles),
        "manifest": _path_text(args.manifest),
        "output_dir": _path_text(args.out),
        "lexicon_dir": _path_text(args.lexicon),
        "max_bytes": int(args.max_bytes),
        "corrections": _path_text(args.corrections),
        "topic_dir": _path_text(getattr(args, "topic", None)),
    })
    for name, raw in args.parameter or []:
        if name not in specs:
            known = ", ".join(sorted(specs)) or "none"
            raise ReportError(f"unknown parameter {name!r} (the notebooks take: {known})")
        values[name] = convert_value(name, raw, specs[name].type_name)
        if name in OPTION_PARAMETERS and isinstance(values[name], str) and values[name]:
            # a path typed on the command line is taken from the current folder
            values[name] = _path_text(str(Path(values[name]).expanduser().absolute()))
    return values


def validate(values: dict, args: argparse.Namespace, notebooks: list[Path]) -> None:
    """Everything that can be checked before a notebook runs; ReportError on the first problem."""
    if not notebooks:
        raise ReportError(f"no notebooks matching {NOTEBOOK_GLOB} in {display_path(NOTEBOOKS_DIR)}")
    articles = resolve(values["articles_dir"])
    if articles is None or not articles.exists():
        raise ReportError(f"{values['articles_dir'] or '(empty)'}: articles folder not found")
    if not articles.is_dir():
        raise ReportError(f"{values['articles_dir']}: not a folder")
    manifest = resolve(values.get("manifest") or None)
    if manifest is not None and not manifest.is_file():
        raise ReportError(f"{values['manifest']}: manifest file not found")
    lexicon = resolve(values.get("lexicon_dir") or None)
    topic = resolve(values.get("topic_dir") or None)
    try:  # every vocabulary and the story's folder, read and compiled before a notebook runs
        check_vocabulary_folders(lexicon, topic, values.get("lexicon_dir"), values.get("topic_dir"))
    except LexiconError as error:
        raise ReportError(str(error)) from error
    try:  # the check the notebooks run themselves; values are normalised ("no" -> "linear")
        check_values(values, str(lexicon) if lexicon else None)
    except ParameterError as error:
        raise ReportError(str(error)) from error
    try:  # a bad corrections file stops the run here, before any notebook
        read_corrections(find_corrections(articles, resolve(values.get("corrections") or None)),
                         str(lexicon) if lexicon else None)
    except CorrectionsError as error:
        raise ReportError(str(error)) from error
    out = resolve(values["output_dir"])
    if out is None or (out.exists() and not out.is_dir()):
        raise ReportError(f"{values['output_dir'] or '(empty)'}: output folder is not a folder")
    if values["max_bytes"] < 1:
        raise ReportError(f"--max-bytes must be at least 1, got {values['max_bytes']}")
    if args.timeout is not None and args.timeout < 1:
        raise ReportError(f"--timeout must be at least 1 second, got {args.timeout}")
    if args.evidence_limit is not None and args.evidence_limit < 0:
        raise ReportError(f"--evidence-limit must be 0 or more, got {args.evidence_limit}")


# ---------------------------------------------------------------------------------------------
# extraction


def build(values: dict, cache: object = None, client: object = None):
    """Read and extract the corpus as the notebooks will: (views.Run, Corpus). `cache`:
    per-article results kept between runs (extract.open_cache; None: no cache)."""
    run, corpus = views.build_run(values["articles_dir"], values.get("manifest") or "", values.get("date_from") or "",
                                  values.get("date_to") or "", values.get("lexicon_dir") or "", values["max_bytes"],
                                  values.get("corrections") or "", values.get("parties") or (),
                                  values.get("outlets") or (), values.get("topic_dir") or "",
                                  cache, client)
    if run.outlets and run.articles.empty:  # a misspelt outlet would give an empty report
        raise ReportError(f"outlets: no article in {run.source} is from {', '.join(run.outlets)} "
                          "(outlet names as in the article header or manifest)")
    return run, corpus


def write_extraction(run: views.Run, out: Path, log_scale: object = "auto", raw: bool = False,
                     xlsx: bool = False, later: Unfinished | None = None) -> list[Path]:
    """OUT/tables/*.csv and OUT/figures/{estimate_growth,claims_timeline}.{png,svg,csv}: the files
    `extract` writes. `later`: see extract.write_tables_and_figure (the database and the workbook
    may finish there while the notebooks run)."""
    from .extract import write_tables_and_figure

    tables = {"articles": run.articles, "rejected": run.rejected, "claims": run.claims, "estimates": run.estimates,
              "corrections": run.corrections}
    return write_tables_and_figure(tables, out, log_scale=log_scale, raw=raw, evidence_articles=run.evidence_articles,
                                   xlsx=xlsx, topic_dir=run.topic_dir or None, later=later)


# ---------------------------------------------------------------------------------------------
# notebooks


@functools.lru_cache(maxsize=1)
def ensure_kernel() -> str:
    """Install the project's kernel into this environment when it is missing or points at
    another Python (a moved checkout); returns its name. Checked once per process."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec(KERNEL_NAME)
        if spec.argv and Path(spec.argv[0]).resolve() == Path(sys.executable).resolve():
            return KERNEL_NAME
    except NoSuchKernel:
        pass
    from ipykernel.kernelspec import install

    install(kernel_name=KERNEL_NAME, display_name=KERNEL_DISPLAY_NAME, prefix=sys.prefix)
    return KERNEL_NAME


def stabilise_notebook(nb: nbformat.NotebookNode, input_path: str = "", output_path: str = "",
                       keep_run_record: bool = True) -> nbformat.NotebookNode:
    """Drop what changes from run to run: papermill's times and durations, nbclient's per-cell
    timing (metadata.execution), and the random ids of cells papermill adds. With
    keep_run_record=False the papermill record goes entirely (source notebooks)."""
    record = nb.metadata.get("papermill")
    if record is not None:
        if keep_run_record:
            for key in VOLATILE_PAPERMILL_KEYS:
                record.pop(key, None)
            record["input_path"] = input_path
            record["output_path"] = output_path
        else:
            del nb.metadata["papermill"]
    for index, cell in enumerate(nb.cells):
        cell.metadata.pop("execution", None)
        cell.metadata.pop("papermill", None)
        tags = cell.metadata.get("tags", [])
        if "injected-parameters" in tags:
            cell["id"] = "injected-parameters"
        elif "papermill-error-cell-tag" in tags:
            cell["id"] = f"papermill-error-{index}"
    return nb


def _stabilise_file(path: Path, input_path: str, output_path: str) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.write(stabilise_notebook(nb, input_path, output_path), path)


def notebook_title(path: Path) -> str:
    """The first markdown heading of a notebook (its file stem when it has none)."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return path.stem


def _failure_text(error: Exception) -> str:
    from papermill.exceptions import PapermillExecutionError

    if isinstance(error, PapermillExecutionError):
        evalue = " ".join(str(error.evalue).split())
        first_line = next((line.strip() for line in str(error.source).splitlines() if line.strip()), "")
        if len(first_line) > 60:
            first_line = first_line[:57] + "..."
        return (f"In [{error.exec_count}] (cell {error.cell_index + 1} of the executed notebook: {first_line}) "
                f"raised {error.ename}: {evalue}")
    message = " ".join(str(error).split()) or "no message"
    return f"{type(error).__name__}: {message[:300]}"


# Notebooks run side by side below this many articles: each kernel holds the run, and three
# kernels of a 10,000-article run would pass the report's 1 GB (one at a time: 780 MB).
CONCURRENT_NOTEBOOKS_MAX_ARTICLES = 400


def notebook_workers(n_articles: int, n_notebooks: int) -> int:
    """How many notebooks run at once: all of them for a small run (a kernel's start is mostly
    waiting, so even two cores gain: 5.7 s -> 2.6 s for the three notebooks on the seeds), one
    at a time for a large one (memory)."""
    return max(1, n_notebooks) if n_articles < CONCURRENT_NOTEBOOKS_MAX_ARTICLES else 1


def execute_notebooks(jobs: list[tuple], workers: int) -> Iterator[NotebookResult]:
    """execute_notebook(*job) for each job, `workers` at a time (threads: each notebook runs in
    its own kernel process), the results yielded in the jobs' order as each is ready. Stopped
    (Ctrl-C, an error), the notebooks not started are dropped and the running ones finish
    before the stop goes on, so nothing writes into the run's folder after it is removed."""
    if workers <= 1:
        for job in jobs:
            yield execute_notebook(*job)
        return
    from concurrent.futures import ThreadPoolExecutor, wait

    ensure_kernel()  # once, before the threads: two installing the kernel at once could race
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="notebook")
    futures = [pool.submit(execute_notebook, *job) for job in jobs]
    try:
        for future in futures:
            yield future.result()
    finally:
        for future in futures:
            future.cancel()
        wait(futures)
        pool.shutdown()


def execute_notebook(source: Path, target: Path, parameters: dict, timeout: int, cwd: Path,
                     recorded_as: Path | None = None) -> NotebookResult:
    """Run one notebook with papermill into `target`; a failure is recorded, not raised (the
    partly executed notebook stays at `target`). `recorded_as`: the path the notebook's
    metadata names as its output (its place in OUT once the staged run is swapped in)."""
    import papermill

    ensure_kernel()

    target.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    error = ""
    try:
        papermill.execute_notebook(str(source), str(target), parameters=parameters, kernel_name=KERNEL_NAME,
                                   execution_timeout=timeout, cwd=str(cwd), progress_bar=False, log_output=False,
                                   extra_arguments=KERNEL_ARGUMENTS)
    except Exception as failure:  # noqa: BLE001 - every failure is reported per notebook
        error = _failure_text(failure)
    seconds = time.monotonic() - started
    if target.exists():
        _stabilise_file(target, display_path(source), display_path(recorded_as or target))
    return NotebookResult(source.stem, notebook_title(source), seconds, error)


# ---------------------------------------------------------------------------------------------
# HTML

REPORT_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 1.5rem auto; max-width: 72rem;
       padding: 0 1rem; color: #1d1d1d; line-height: 1.45; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin-top: 1.8rem; } h3 { font-size: 1.05rem; }
nav { font-size: 0.9rem; margin-bottom: 1rem; }
table { border-collapse: collapse; font-size: 0.82rem; margin: 0.4rem 0 1rem; }
th, td { border: 1px solid #d0d0d0; padding: 0.2rem 0.35rem; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
pre { white-space: pre-wrap; font-size: 0.82rem; background: #f7f7f7; padding: 0.5rem; overflow-x: auto; }
.output_area { overflow-x: auto; }
.output_stderr pre, .output_error pre { background: #fff0f0; }
.caption, .summary { margin: 0.2rem 0; font-size: 0.9rem; color: #444; }
.input_area { border-left: 3px solid #9ab; margin: 0.6rem 0; }
.input_area pre { background: #f4f7fa; }
img { max-width: 100%; height: auto; }
.table-wrap { max-width: 100%; overflow-x: auto; }
.table-wrap table { width: 100%; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.date, span.date { white-space: nowrap; }
td.id { overflow-wrap: anywhere; min-width: 6rem; font-size: 0.78rem; }
td.text { overflow-wrap: anywhere; }
td.party { overflow-wrap: break-word; }
th.sort-header { cursor: pointer; }
th[aria-sort="ascending"]::after { content: " \\25B2"; font-size: 0.7em; }
th[aria-sort="descending"]::after { content: " \\25BC"; font-size: 0.7em; }
.table-tools { margin: 0.3rem 0; font-size: 0.85rem; }
.table-search { font: inherit; padding: 0.15rem 0.35rem; width: 16rem; max-width: 60%; }
.table-count { margin-left: 0.6rem; color: #555; }
.cell { margin-bottom: 0.4rem; }
"""

REPORT_TEMPLATE = """{%- extends 'base.html.j2' -%}
{%- block header -%}
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ resources.metadata.name | escape_html }}</title>
<script src="assets/tables.js" defer></script>
<style>""" + REPORT_CSS + """</style>
{% if resources.global_content_filter.include_input -%}
{% for css in resources.inlining.css -%}
<style>{{ css }}</style>
{% endfor %}
{%- endif %}
</head>
{%- endblock header -%}
{% block body_header %}
<body>
<nav><a href="../index.html">report index</a></nav>
<main>
{% endblock body_header %}
{% block body_footer %}
</main>
</body>
{% endblock body_footer %}
{% block footer %}
</html>
{% endblock footer %}
"""


ASSETS_DIR = Path(__file__).parent / "assets"
TABLE_SCRIPT = "tables.js"


def write_assets(out: Path) -> Path:
    """OUT/html/assets/tables.js: the project's own script that sorts and searches the report
    tables in the page (no network, no library, no markup built from data)."""
    target = out / "html" / "assets" / TABLE_SCRIPT
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes((ASSETS_DIR / TABLE_SCRIPT).read_bytes())
    return target


def make_exporter(keep_input: bool = False):
    """One HTMLExporter for every notebook: a small self-contained page (no scripts, no CDN),
    code cells hidden unless keep_input, images embedded as data: URIs."""
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    return HTMLExporter(
        template_name="classic",
        extra_loaders=[DictLoader({"analysis-report.html.j2": REPORT_TEMPLATE})],
        template_file="analysis-report.html.j2",
        exclude_input=not keep_input,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_anchor_links=True,
    )


def render_html(notebook: Path, target: Path, exporter, title: str) -> Path:
    """An executed notebook -> an HTML page."""
    nb = nbformat.read(notebook, as_version=4)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(body, encoding="utf-8")
    return target


def _e(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _number(value) -> str:
    try:
        if value != value:  # NaN
            return ""
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"
    except (TypeError, ValueError):
        return _e(value)


def _link(path: str, text: str) -> str:
    return f'<a href="{evidence.href(path)}">{_e(text)}</a>'


def _evidence_link(run: views.Run, row_id: str, text: str) -> str:
    """`text` linked to the row's highlighted place on its evidence page, when that page is written."""
    target = views.evidence_href(row_id, "html/articles/", run.evidence_articles)
    return f'<a href="{target}">{_e(text)}</a>' if target else _e(text)


def _review_note(run: views.Run) -> str:
    """The index's line on the reviewer's corrections, and each stale one with its reason."""
    if not run.corrections_file:
        return '<p id="review">No corrections file: every row is as the rules found it.</p>'
    counts = views.review_counts(run)
    stale = run.corrections[run.corrections["status"] == "stale"]
    items = "".join(f"<li>line {int(r.line)}: {_e(r.action)} <code>{_e(r.row_id or r.value)}</code>: {_e(r.reason)}</li>"
                    for r in stale.itertuples())
    stale_list = (f'<p class="failed">Stale corrections (they name rows this run does not have):</p><ul>{items}</ul>'
                  if items else "")
    return (f'<p id="review">Reviewed with <code>{_e(run.corrections_file)}</code>: '
            f'<span data-review="corrected">{counts["corrected"]}</span> corrected, '
            f'<span data-review="added">{counts["added"]}</span> added, '
            f'<span data-review="dropped">{counts["dropped"]}</span> dropped, '
            f'<span data-review="stale">{counts["stale"]}</span> stale '
            f'({_link("tables/corrections.csv", "tables/corrections.csv")}).</p>{stale_list}')


def headline_counts(run: views.Run) -> list[tuple[str, str, int, bool]]:
    """The index's counts as (key, label, count, is a part of the row above): each table's rows,
    then what they are, so the parts add up to the CSV's rows."""
    stances = run.claims["stance"].value_counts()
    kinds = run.estimates["kind"].value_counts()
    return [
        ("articles", "articles", len(run.articles), False),
        ("rejected", "rejected files", len(run.rejected), False),
        ("claims_rows", "statements (claims.csv rows)", len(run.claims), False),
        ("claims", "claims", int(stances.get("claim", 0)), True),
        ("denials", "denials", int(stances.get("denial", 0)), True),
        ("non_denials", "non-denials", int(stances.get("non_denial", 0)), True),
        ("estimates", "figures (estimates.csv rows)", len(run.estimates), False),
        ("deployment", "troops sent or expected (current, projected)",
         int(kinds.get("current", 0) + kinds.get("projected", 0)), True),
        ("casualties", "casualties", int(kinds.get("casualties", 0)), True),
        ("earlier", "earlier estimates recalled", int(kinds.get("earlier", 0)), True),
        ("context", "context (army size, ratios, groups)", int(kinds.get("context", 0)), True),
    ]


def index_page(run: views.Run, values: dict, results: list[NotebookResult], evidence_rows: list,
               max_rows: int, xlsx_written: bool = True) -> str:
    """OUT/index.html: every piece of data escaped with html.escape; links relative to OUT."""
    from .chart import POOLED_PARTIES, estimate_growth, growth_points, outlier_figures

    count_rows = "".join(
        f'<tr class="{"part" if part else "whole"}"><th>{_e(label)}</th><td data-count="{key}">{n:,}</td></tr>'
        for key, label, n, part in headline_counts(run))

    dates = sorted(d for d in run.articles["date"] if d)
    undated = int((run.articles["date"] == "").sum())
    date_range = (f"{_e(dates[0])} to {_e(dates[-1])}" if dates else "no dated articles") + \
        (f"; {undated} undated article{'s' if undated != 1 else ''}" if undated else "")

    growth = estimate_growth(run.estimates)
    # Named sources first: pooled ones (no source given, unnamed, all outlets) are no one's estimate.
    growth = growth.assign(pooled=growth["party"].isin(POOLED_PARTIES)).sort_values(
        ["pooled", "party_name", "kind"], kind="stable")
    latest_rows = "".join(
        f'<tr><td class="party">{_e(r.party_name)}</td><td>{_e(r.kind)}</td>'
        f"<td>{_evidence_link(run, r.latest_row_id, r.latest_phrase)}</td>"
        f'<td class="num" data-sort="{_e(r.latest_low)}">{_number(r.latest_low)}</td>'
        f'<td class="num" data-sort="{_e(r.latest_high)}">{_number(r.latest_high)}</td>'
        f'<td class="date">{_e(r.latest_date)}</td>'
        f"<td>{_evidence_link(run, r.first_row_id, r.first_phrase)} "
        f'(<span class="date">{_e(r.first_date)}</span>)</td><td class="num">{int(r.n_figures)}</td>'
        f'<td class="num">{views.format_number(r.fold_change)}</td></tr>'
        for r in growth.head(max_rows).itertuples()
    )
    latest_note = (f'<p class="note">showing {max_rows} of {len(growth)} rows</p>' if len(growth) > max_rows else "")
    latest = (f'<div class="table-wrap"><table class="sortable" id="latest"><thead><tr><th>source</th><th>kind</th>'
              f"<th>latest figure</th><th>low</th><th>high</th><th>date</th><th>first figure</th><th>figures</th>"
              f"<th>latest / first</th></tr></thead><tbody>{latest_rows}</tbody></table></div>{latest_note}"
              if len(growth) else "<p>No dated troop figures.</p>")
    outliers = outlier_figures(growth_points(run.estimates))
    outlier_note = ("<p>Off the scale (marked at the top edge of the chart, far above the rest of its panel): "
                    + "; ".join(f"{_evidence_link(run, r.row_id, r.phrase)} ({_e(r.party_name)}, {_e(r.kind)}, "
                                f'<span class="date">{_e(r.date)}</span>)' for r in outliers.head(max_rows).itertuples())
                    + ".</p>") if len(outliers) else ""

    report_items = "".join(
        f"<li>{_link(f'html/{r.name}.html', r.title)} "
        f"({_link(f'notebooks/{r.name}.ipynb', 'executed notebook')})"
        + (f' <span class="failed">failed: {_e(r.error)}</span>' if r.error else "") + "</li>"
        for r in results
    )
    table_items = "".join(
        f"<li>{_link(f'tables/{name}.csv', f'tables/{name}.csv')}: {len(frame)} rows</li>"
        for name, frame in (("articles", run.articles), ("rejected", run.rejected), ("claims", run.claims),
                            ("estimates", run.estimates), ("corrections", run.corrections))
    ) + (f"<li>{_link('tables/tables.xlsx', 'tables/tables.xlsx')}: all of them as one Excel workbook</li>"
         if xlsx_written else "") + (
        f"<li>{_link('claims.db', 'claims.db')}: all of them as one SQLite database "
        "(<code>make serve</code> browses it with Datasette)</li>")
    figure_items = "".join(f"<li>{_link(f'figures/{stem}.{ext}', f'figures/{stem}.{ext}')}"
                           f" ({what})</li>" for stem in ("estimate_growth", "claims_timeline")
                           for ext, what in (("png", "image"), ("svg", "vector image"), ("csv", "the data it draws")))
    shown = evidence_rows[:max_rows]
    evidence_items = "".join(
        f"<li>{_link('html/articles/' + name, article.article_id)}"
        + (f" &ndash; {_e(article.title)}" if article.title else "")
        + f" ({_e(article.outlet) + ', ' if article.outlet else ''}{_e(article.date or 'undated')}; {int(c['claims'])} claims, {int(c['denials'])} denials, "
          f"{int(c['non_denials'])} non-denials, {int(c['estimates'])} estimates)</li>"
        for article, name, c in shown
    )
    notes = []
    if len(evidence_rows) < len(run.articles):
        notes.append(f"Evidence pages were written for {len(evidence_rows)} of {len(run.articles)} articles "
                     f"(--evidence-limit; the first articles by id).")
    if len(shown) < len(evidence_rows):
        notes.append(f"Showing {len(shown)} of {len(evidence_rows)} evidence pages here; "
                     f"all of them are listed on the evidence index.")
    evidence_notes = "".join(f'<p class="note">{_e(n)}</p>' for n in notes)
    parameter_rows = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in sorted(values.items()))
    review_note = _review_note(run)
    failed = [r for r in results if r.error]
    failed_note = (f'<p class="failed">{len(failed)} notebook(s) failed; their reports show where.</p>'
                   if failed else "")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>News-claims report: {_e(run.source)}</title>
<script src="html/assets/tables.js" defer></script>
<style>{REPORT_CSS}
.counts td {{ text-align: right; min-width: 4rem; font-weight: bold; }}
.counts tr.part th {{ font-weight: normal; padding-left: 1.4rem; }}
.counts tr.part td {{ font-weight: normal; }}
.failed {{ color: #b00020; }}
.note {{ color: #6a4b00; }}
</style>
</head>
<body>
<h1>{_e(topic_labels(run.topic_dir or None)["report_heading"])}</h1>
<p>Articles from <code>{_e(run.source)}</code>{' (manifest <code>' + _e(run.manifest) + '</code>)' if run.manifest else ''};
article dates: <span id="date-range">{date_range}</span>.</p>
{failed_note}
{review_note}
<h2>Counts</h2>
<table class="counts">{count_rows}</table>
<h2>Latest figure per source</h2>
{latest}
<h2>How the estimates grew</h2>
<p><img id="growth-chart" src="figures/estimate_growth.png" width="1210" height="902"
 alt="Growth chart: troop estimates by article date, one colour per source"></p>
{outlier_note}
<p>Figures from undated articles are not on the chart; they are listed in the estimate-growth report.</p>
<h2>Who said what, when</h2>
<p><img id="claims-timeline" src="figures/claims_timeline.png"
 alt="Timeline: claims, denials and non-denials by source and article date"></p>
<p>Claims, denials and non-denials by source over article dates; the rows are in the claims report.</p>
<h2>Reports</h2>
<ul>{report_items}</ul>
<h2>Tables</h2>
<ul>{table_items}</ul>
<h2>Figures</h2>
<ul>{figure_items}</ul>
<h2>Evidence pages</h2>
<p>Each article's text with every extracted claim, denial, non-denial and troop figure highlighted:
{_link('html/articles/index.html', 'all evidence pages')}.</p>
{evidence_notes}
<ul>{evidence_items}</ul>
<h2>Parameters of this run</h2>
<table>{parameter_rows}</table>
</body>
</html>
"""


# ---------------------------------------------------------------------------------------------
# browser


@contextmanager
def chromium_driver(width: int = 1280, height: int = 1000, single_process: bool = False):
    """Headless Debian Chromium through Selenium, with a throw-away profile and the browser log
    enabled; never downloads a driver. BrowserMissing when chromium or chromedriver is absent.
    `single_process`: browser and renderer in one process (--single-process), which keeps one
    copy of Chromium's memory instead of one per process: for a static page's screenshot."""
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not Path(p).is_file()]
    if missing:
        raise BrowserMissing(f"{', '.join(missing)} not found: install Debian's chromium and chromium-driver "
                             "(apt-get install -y chromium chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    with tempfile.TemporaryDirectory(prefix="analysis-chromium-") as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in CHROMIUM_FLAGS:
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={profile}")
        options.add_argument(f"--window-size={width},{height}")
        if single_process:  # no zygote either: it would only fork renderers this mode never starts
            options.add_argument("--single-process")
            options.add_argument("--no-zygote")
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
        try:
            driver.set_page_load_timeout(60)
            yield driver
        finally:
            driver.quit()


def save_screenshot(driver, page: Path, target: Path, width: int = 1280, max_height: int = 4000) -> Path:
    """Open `page` and save a PNG of the whole page (up to max_height pixels)."""
    driver.set_window_size(width, 1000)
    driver.get(page.resolve().as_uri())
    height = int(driver.execute_script("return document.documentElement.scrollHeight"))
    driver.set_window_size(width, min(max(height, 600), max_height))
    target.parent.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(target))
    return target


def screenshot_index(out: Path) -> Path:
    """OUT/index.png: a screenshot of OUT/index.html (README shows the one of the seed run),
    taken by a single-process Chromium (a third of the memory of the usual process tree; the
    same pixels), or by the usual one when that fails."""
    from selenium.common.exceptions import WebDriverException

    try:
        with chromium_driver(single_process=True) as driver:
            return save_screenshot(driver, out / "index.html", out / "index.png")
    except WebDriverException:  # --single-process is not supported everywhere
        with chromium_driver() as driver:
            return save_screenshot(driver, out / "index.html", out / "index.png")


# ---------------------------------------------------------------------------------------------
# commands


@contextmanager
def _run_cache(run: views.Run):
    """Hand the extracted run to the notebooks' kernels (they inherit this process's environment)."""
    previous = os.environ.get(views.CACHE_ENV)
    with tempfile.TemporaryDirectory(prefix="analysis-run-") as folder:
        os.environ[views.CACHE_ENV] = str(views.save_run_cache(run, Path(folder) / "run.pickle"))
        try:
            yield
        finally:
            if previous is None:
                os.environ.pop(views.CACHE_ENV, None)
            else:
                os.environ[views.CACHE_ENV] = previous


def run_report(args: argparse.Namespace, notebooks_dir: Path = NOTEBOOKS_DIR) -> int:
    """The report command on the notebooks of `notebooks_dir`; returns the exit code
    (0 ok, 1 when a notebook failed; ReportError for bad input, before anything runs)."""
    notebooks = notebook_paths(notebooks_dir)
    if not notebooks:
        raise ReportError(f"no notebooks matching {NOTEBOOK_GLOB} in {display_path(Path(notebooks_dir))}")
    specs = parameter_specs(notebooks)
    values = report_parameters(args, specs)
    validate(values, args, notebooks)
    out = resolve(values["output_dir"])
    max_rows = int(values.get("max_rows", 200))
    identity = run_identity(resolve(values["articles_dir"]), resolve(values.get("manifest") or None),
                            resolve(values.get("corrections") or None), resolve(values.get("lexicon_dir") or None),
                            values["max_bytes"], values.get("date_from") or "", values.get("date_to") or "",
                            values.get("parties") or (), values.get("outlets") or (),
                            resolve(values.get("topic_dir") or None))
    check_output(out, identity, getattr(args, "force", False))  # before the corpus is read
    # Everything is written into a fresh folder beside OUT and swapped in when complete: an
    # interrupted run leaves the previous output, never a mix (runfolder.staged_output). The
    # per-article cache is read from OUT's and written into the staged run's.
    with staged_output(out, identity, getattr(args, "force", False)) as target:
        cache = None
        if not getattr(args, "no_cache", False):
            lexicon, topic = values.get("lexicon_dir") or None, values.get("topic_dir") or None
            lexicon, topic = (str(resolve(lexicon)) if lexicon else None), (str(resolve(topic)) if topic else None)
            cache = (open_cache(resolve(args.cache), lexicon, topic) if getattr(args, "cache", None) else
                     open_cache(out / CACHE_NAME, lexicon, topic, target / CACHE_NAME))
        scheduler = getattr(args, "scheduler", None) or values.get("scheduler") or None
        client = cluster.connect(scheduler) if scheduler else None
        try:
            run, corpus = build(values, cache, client)
        finally:
            if client is not None:
                cluster.close(client)
        # The previous run's evidence pages, copied where nothing that shapes them changed (not
        # with --no-cache, which trusts nothing of the run it replaces).
        earlier = (evidence.EarlierPages(out / "html" / "articles", cache.fingerprint) if cache is not None else None)
        code = _write_report(args, values, specs, notebooks, run, corpus, out, target, max_rows, earlier)
        # The browser starts only after this process has let go of the run: on a large corpus
        # the two together would double the report's peak memory.
        del run, corpus
        release_memory()
        if getattr(args, "screenshot", True):
            _screenshot(target, out)
        return code


def release_memory() -> None:
    """Collect what the run left and hand freed heap pages back to the system (glibc's
    malloc_trim; elsewhere only the collection)."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


def _screenshot(target: Path, out: Path) -> None:
    """OUT/index.png, or a line saying why there is none (the screenshot is a convenience)."""
    try:
        screenshot_index(target)
        print(f"report: screenshot {display_path(out / 'index.png')}", flush=True)
    except BrowserMissing as missing:
        print(f"report: no screenshot ({missing})", flush=True)
    except Exception as failure:  # noqa: BLE001 - the screenshot is a convenience
        print(f"report: no screenshot ({_failure_text(failure)})", flush=True)


def _write_report(args: argparse.Namespace, values: dict, specs: dict, notebooks: list[Path], run: views.Run,
                  corpus, out: Path, target: Path, max_rows: int, earlier: evidence.EarlierPages | None = None) -> int:
    """Write the run into `target` (the staging folder of OUT); messages name OUT."""
    if args.evidence_limit is not None:  # the articles write_evidence_pages will give a page
        run.evidence_articles = frozenset(sorted(a.article_id for a in corpus.articles)[:max(args.evidence_limit, 0)])
    stances = run.claims["stance"].value_counts()
    print(f"report: {len(run.articles)} articles, {len(run.rejected)} rejected; {stances.get('claim', 0)} claims, "
          f"{stances.get('denial', 0)} denials, {stances.get('non_denial', 0)} non-denials, "
          f"{len(run.estimates)} estimates", flush=True)
    results: list[NotebookResult] = []
    # The database and the workbook finish in their own process while the notebooks run (which
    # read neither), when the corpus is large enough to give them one; leaving waits for them.
    with Unfinished() as later:
        written = write_extraction(run, target, log_scale=values.get("log_scale", "auto"),
                                   raw=getattr(args, "raw_csv", False), xlsx=getattr(args, "xlsx", False), later=later)
        print(f"report: wrote {len(written)} tables and figures to {display_path(out)}", flush=True)
        with _run_cache(run):
            jobs = [(source, target / "notebooks" / source.name, {p: values[p] for p in specs
                                                                  if source.name in specs[p].notebooks},
                     args.timeout, PROJECT_ROOT, out / "notebooks" / source.name) for source in notebooks]
            for source, result in zip(notebooks,
                                      execute_notebooks(jobs, notebook_workers(len(run.articles), len(jobs)))):
                results.append(result)
                if result.ok:
                    print(f"report: ran {source.name} in {result.seconds:.1f} s", flush=True)
                else:
                    print(f"report: FAILED {source.name} after {result.seconds:.1f} s: {result.error}; partly "
                          f"executed notebook: {display_path(out / 'notebooks' / source.name)}", flush=True)
        if later.workbook is not None and later.workbook.result() is not None:
            written.append(later.workbook.result())
    if not any(p.name == "tables.xlsx" for p in written):
        from .workbook import SKIPPED_NOTE

        print(f"report: {SKIPPED_NOTE}", flush=True)

    write_assets(target)
    exporter = make_exporter(keep_input=args.keep_input)
    for result in results:
        executed = target / "notebooks" / f"{result.name}.ipynb"
        if executed.exists():
            try:
                result.html = render_html(executed, target / "html" / f"{result.name}.html", exporter, result.title)
            except Exception as failure:  # noqa: BLE001 - a broken page must not stop the others
                result.error = result.error or f"HTML rendering failed: {_failure_text(failure)}"
                print(f"report: could not render {executed.name}: {_failure_text(failure)}", flush=True)
    print(f"report: rendered {sum(r.html is not None for r in results)} HTML reports into "
          f"{display_path(out / 'html')}", flush=True)

    evidence_rows = evidence.write_evidence_pages(corpus.articles, run.claims, run.estimates, target,
                                                  limit=args.evidence_limit, per_listing=max_rows,
                                                  topic_dir=run.topic_dir or None, full_article=corpus.full_article,
                                                  earlier=earlier)
    limited = f" (limited to {args.evidence_limit})" if len(evidence_rows) < len(corpus.articles) else ""
    print(f"report: wrote {len(evidence_rows)} evidence pages{limited}", flush=True)
    (target / "index.html").write_text(index_page(run, values, results, evidence_rows, max_rows,
                                                  (target / "tables" / "tables.xlsx").is_file()), encoding="utf-8")
    print(f"report: open {display_path(out / 'index.html')}", flush=True)

    failed = [r for r in results if r.error]
    if failed:
        print(f"report: {len(failed)} of {len(results)} notebooks failed: "
              f"{', '.join(r.name + '.ipynb' for r in failed)}", file=sys.stderr, flush=True)
        return 1
    return 0


def run_report_command(args: argparse.Namespace) -> int:
    """`python -m analysis report`: see the module docstring."""
    try:
        return run_report(args)
    except (ReportError, evidence.EvidenceError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


def refresh_notebooks(notebooks_dir: Path = NOTEBOOKS_DIR, timeout: int = 600) -> int:
    """Re-execute every notebook in place on seeds/ with its default parameters (kernel started
    in notebooks/, as nbval does), keeping execution counts and dropping run-to-run metadata.
    A notebook that fails is left unchanged; its failed run is kept in a temporary folder."""
    import papermill

    ensure_kernel()

    failures = 0
    scratch = Path(tempfile.mkdtemp(prefix="analysis-refresh-"))
    for source in notebook_paths(notebooks_dir):
        target = scratch / source.name
        started = time.monotonic()
        try:
            papermill.execute_notebook(str(source), str(target), kernel_name=KERNEL_NAME, execution_timeout=timeout,
                                       cwd=str(notebooks_dir), progress_bar=False, log_output=False,
                                       extra_arguments=KERNEL_ARGUMENTS)
        except Exception as failure:  # noqa: BLE001
            failures += 1
            print(f"refresh: FAILED {source.name}: {_failure_text(failure)}; {source.name} left unchanged, "
                  f"failed run in {target}", file=sys.stderr, flush=True)
            continue
        nb = stabilise_notebook(nbformat.read(target, as_version=4), keep_run_record=False)
        nbformat.write(nb, source)
        print(f"refresh: {display_path(source)} in {time.monotonic() - started:.1f} s", flush=True)
    if not failures:
        shutil.rmtree(scratch, ignore_errors=True)
    return 1 if failures else 0


__all__ = ["run_report_command", "run_report", "refresh_notebooks", "chromium_driver", "save_screenshot",
           "screenshot_index", "ReportError", "BrowserMissing"]
