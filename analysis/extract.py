"""Step 2: extraction. Reads each article once (attribution, sentence by sentence) and builds
both the claims rows and the estimate rows from that reading.

Two entry points:
- `extract_frames(corpus)` for a corpus already loaded (notebooks, report, tests);
- `extract_folder(folder, out)` for the `extract` command: worker processes read, extract and
  format whole batches of files as lines of the output tables and send back only metadata and
  those lines, so a large corpus is never held in memory and both cores work. Each article's
  lines are in table order and articles are joined in id order, so the files do not depend
  on how the work was split.
"""

from __future__ import annotations

import functools
import hashlib
import os
import sys
import contextlib
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is imported where frames are built: worker processes never need it
    from concurrent.futures import Executor, Future

    import pandas as pd

from . import claims as claims_module
from . import estimates as estimates_module
from .attribution import attribute_article
from .corrections import RESULT_COLUMNS, Correction, Corrections, Outcome, apply_corrections, result_rows
from .cache import ArticleCache, StagedCache, article_key, fingerprint
from .cluster import WorkerView, check_workers, file_digest
from .lexicon import Lexicon, LexiconError, load_lexicon
from .load import (DEFAULT_MAX_BYTES, PARALLEL_MIN_FILES, Article, Corpus, FolderPlan, Job, Rejected, file_bytes,
                   finish_corpus, plan_folder, read_article, run_batches)
from .topic import Topic, build_topic

PARALLEL_MIN_ARTICLES = 400
BATCH_SIZE = 100


def extract_article(article: Article, lex: Lexicon, topic: Topic, terms: estimates_module.EstimateTerms,
                    corrections: Iterable[Correction] = ()) -> tuple[list[dict], list[dict], list[Outcome]]:
    """One article -> (claim rows, estimate rows, what became of its corrections), from one
    reading of its sentences. The figures come first: a statement that carries a troop figure
    is about the troops. The reviewer's corrections are applied last, to both tables."""
    readings = attribute_article(article, lex, topic)
    estimate_rows = estimates_module.article_estimates(article, readings, terms, topic, lex.hedge_re,
                                                       lex.openers["hedge_re"])
    figures = {(row["start"], row["end"]) for row in estimate_rows if row["kind"] != "context"}
    claim_rows = claims_module.article_claims(article, readings, lex, topic, figures)
    corrections = list(corrections)
    if not corrections:
        return claim_rows, estimate_rows, []
    return apply_corrections(article, claim_rows, estimate_rows, corrections)


@functools.lru_cache(maxsize=8)
def extraction_rules(lexicon_dir: str | None = None,
                     topic_dir: str | None = None) -> tuple[Lexicon, Topic, estimates_module.EstimateTerms]:
    """The vocabularies and the topic every article is read with, compiled once per process."""
    lex = load_lexicon(lexicon_dir, topic_dir)
    return lex, build_topic(lex), estimates_module.load_estimate_terms(lex.topic_folder)


def check_vocabulary_folders(lexicon: Path | None, topic: Path | None, lexicon_text: str | None = None,
                             topic_text: str | None = None) -> None:
    """Read and compile every vocabulary the run will use, before it starts: the shared
    folder, the topic folder's terms, estimate terms, patterns and labels. LexiconError (a
    ValueError) with one line naming the folder, or the file and line, of the first problem."""
    from .topic import topic_labels

    for folder, text, what in ((lexicon, lexicon_text, "lexicon"), (topic, topic_text, "topic")):
        if folder is not None and not folder.is_dir():
            raise LexiconError(f"{text or folder}: {what} folder not found")
    lexicon_dir, topic_dir = (str(lexicon) if lexicon else None), (str(topic) if topic else None)
    extraction_rules(lexicon_dir, topic_dir)
    topic_labels(topic_dir)


@dataclass(frozen=True)
class Batch:
    """A slice of the work for one worker: articles already loaded or files to read (Jobs),
    the folders of the rules to read them with, the corrections, and what to send back:
    the rows themselves (`rows`, for frames) or only the tables' lines (raw or
    spreadsheet-safe)."""

    items: list
    lexicon_dir: str | None
    topic_dir: str | None
    corrections: Corrections | None
    rows: bool
    raw: bool = False


def _extract_batch(batch: Batch) -> list[ExtractedArticle | Rejected]:
    """Worker: read (when given files) and extract each article of a batch, in order."""
    lex, topic, terms = extraction_rules(batch.lexicon_dir, batch.topic_dir)
    corrections = batch.corrections or Corrections()
    results: list[ExtractedArticle | Rejected] = []
    for item in batch.items:
        # An Article already read, a Job (a file to read) or a Job with the file's bytes (for a
        # cluster worker that does not see this machine's files).
        article = item if isinstance(item, Article) else read_article(Path(item[0]), item[1], item[2], item[3],
                                                                      item[4] if len(item) > 4 else None)
        if isinstance(article, Rejected):
            results.append(article)
            continue
        found = extract_article(article, lex, topic, terms, corrections.for_article(article.article_id))
        results.append(_extracted(article, *found, raw=batch.raw, keep_rows=batch.rows))
    return results


# The metadata of a loaded Article that its result depends on besides its text (whose file
# bytes its sha256 names).
_ARTICLE_KEY_FIELDS = ("article_id", "file", "date", "date_source", "outlet", "title", "url", "sha256", "warnings",
                       "duplicate_key")


def _cache_key(item: Article | Job, corrections: Corrections, mode: str, fingerprint: str) -> str | None:
    """The cache key of one article's result: its file's bytes (for an Article already read,
    their sha256 and its metadata), its manifest row, the corrections that touch it, the
    result's form (`mode`) and the rules' fingerprint. None for a file that cannot be read
    (it is rejected, which costs nothing to redo)."""
    if isinstance(item, Article):
        data = item.sha256.encode()
        row = {name: ascii(getattr(item, name)) for name in _ARTICLE_KEY_FIELDS}
        article_id = item.article_id
    else:
        path, article_id, max_bytes, entry = item
        data = file_bytes(path, max_bytes)  # the str path: a Path per article costs more than the read
        if isinstance(data, str):
            return None
        # ascii(): a file name that is not UTF-8 (surrogates) is still a key
        row = {"article_id": ascii(article_id), "file": ascii(os.path.basename(path)), "max_bytes": str(max_bytes),
               **{f"manifest:{key}": ascii(value) for key, value in (entry or {}).items()}}
    lines = [ascii(correction) for correction in corrections.for_article(article_id)]
    return article_key(data, row, [mode, *lines], fingerprint)


def worker_view(lexicon_dir: str | None, topic_dir: str | None, samples: dict[str, str]) -> WorkerView:
    """Run on each cluster worker before any work: the fingerprint of the rules it would read
    with ("" when it cannot read the vocabulary folders) and whether it reads each sample file
    with the digest this machine read."""
    try:
        lex, _, _ = extraction_rules(lexicon_dir, topic_dir)
        rules = fingerprint([Path(lex.folder), Path(lex.topic_folder)])
    except (OSError, ValueError):
        rules = ""
    return WorkerView(rules, all(file_digest(path) == digest for path, digest in samples.items()))


def _for_cluster(client: object, items: list, lexicon_dir: str | None, topic_dir: str | None,
                 send_bytes: bool | None) -> list:
    """The items as the cluster's workers get them, after checking the workers read with the
    same rules (cluster.check_workers): Jobs keep their paths when every worker reads the
    files as this machine does, else they carry the files' bytes."""
    lex, _, _ = extraction_rules(lexicon_dir, topic_dir)
    rules = fingerprint([Path(lex.folder), Path(lex.topic_folder)])
    jobs = [item for item in items if not isinstance(item, Article)]
    samples = {}
    for path, _, max_bytes, _ in jobs[:3]:
        data = file_bytes(Path(path), max_bytes)
        if isinstance(data, bytes):
            samples[str(path)] = hashlib.sha256(data).hexdigest()
    shared = check_workers(client, rules, worker_view, lexicon_dir, topic_dir, samples)
    if not jobs or (shared if send_bytes is None else not send_bytes):
        return items
    carried = []
    for item in items:
        if isinstance(item, Article):
            carried.append(item)
            continue
        data = file_bytes(Path(item[0]), item[2])
        # A file this machine cannot read stays a Job: the worker gives the same rejection.
        carried.append(item if isinstance(data, str) else (*item, data))
    return carried


@dataclass
class CacheStats:
    """What a run took from the cache and what it extracted."""

    hits: int = 0
    extracted: int = 0
    warnings: list[str] = field(default_factory=list)


def open_cache(folder: str | Path | None, lexicon_dir: str | None = None, topic_dir: str | None = None,
               staged: str | Path | None = None) -> ArticleCache | StagedCache | None:
    """The per-article cache in `folder` for the rules of these vocabulary folders (None: no
    cache). Its fingerprint covers the shared and topic vocabularies and the package's code.
    `staged`: the cache folder of a run being staged (OUT's is `folder`): entries are read from
    both and written only there (cache.StagedCache)."""
    if folder is None:
        return None
    lex, _, _ = extraction_rules(lexicon_dir, topic_dir)
    rules = fingerprint([Path(lex.folder), Path(lex.topic_folder)])
    if staged is not None:
        return StagedCache(ArticleCache(Path(folder), rules), ArticleCache(Path(staged), rules))
    return ArticleCache(Path(folder), rules)


def extract_batches(items: list, lexicon_dir: str | None, topic_dir: str | None, corrections: Corrections | None,
                    rows: bool, raw: bool = False, workers: int = 1,
                    progress: Callable[[int, int], None] | None = None, cache: ArticleCache | None = None,
                    stats: CacheStats | None = None, client: object = None,
                    send_bytes: bool | None = None) -> list[ExtractedArticle | Rejected]:
    """Every article of `items` (Articles or Jobs) extracted, in batches of BATCH_SIZE over
    `workers` processes, results in the items' order: the one loop both the in-memory path
    (extract_tables) and the streaming path (extract_folder) run.

    With a `cache`, an article whose key (_cache_key) is stored is taken from it and only the
    others are extracted; every result extracted is stored, and entries this run did not use
    are removed. `stats` counts both and collects the cache's warnings.

    `client`: a dask.distributed Client (analysis.cluster) to run the batches on instead of
    local processes; its workers are checked first, and sent the files' bytes rather than
    their paths when they do not read the files as this machine does (`send_bytes` forces
    either)."""
    stats = stats if stats is not None else CacheStats()
    results: list[ExtractedArticle | Rejected | None] = [None] * len(items)
    keys: list[str | None] = [None] * len(items)
    if cache is not None:
        mode = f"rows={rows} raw={raw}"
        for index, item in enumerate(items):
            keys[index] = _cache_key(item, corrections or Corrections(), mode, cache.fingerprint)
        stored = cache.get_many(key for key in keys if key)
        for index, key in enumerate(keys):
            hit = stored.get(key) if key else None
            if isinstance(hit, ExtractedArticle):
                results[index] = hit
    todo = [index for index, result in enumerate(results) if result is None]
    stats.hits += len(items) - len(todo)
    stats.extracted += len(todo)
    pending = [items[index] for index in todo]
    if client is not None and pending:
        pending = _for_cluster(client, pending, lexicon_dir, topic_dir, send_bytes)
    batches = [Batch(pending[i:i + BATCH_SIZE], lexicon_dir, topic_dir, corrections, rows, raw)
               for i in range(0, len(pending), BATCH_SIZE)]
    found = run_batches(_extract_batch, batches, workers, progress,
                        [len(b.items) for b in batches], client)
    for index, result in zip(todo, (result for batch in found for result in batch)):
        results[index] = result
        if cache is not None and keys[index] and isinstance(result, ExtractedArticle):
            cache.put(keys[index], result)
    if cache is not None:
        cache.prune({key for key in keys if key})
        stats.warnings.extend(cache.warnings)
    return results  # type: ignore[return-value]


@dataclass
class Tables:
    """The extraction's tables: claims, estimates and the corrections with what became of them."""

    claims: pd.DataFrame
    estimates: pd.DataFrame
    corrections: pd.DataFrame


def extract_tables(corpus: Corpus, lexicon_dir: str | None = None, workers: int | None = None,
                   progress: Callable[[int, int], None] | None = None,
                   corrections: Corrections | None = None, topic_dir: str | None = None,
                   cache: ArticleCache | None = None, stats: CacheStats | None = None,
                   client: object = None) -> Tables:
    """Corpus -> the claims, estimates and corrections tables, the reviewer's corrections
    (analysis.corrections) applied.

    `workers`: processes to use (default: all cores when the corpus has at least
    PARALLEL_MIN_ARTICLES articles, else 1). `progress(done, total)` is called per batch.
    `cache`: per-article results kept between runs (open_cache); `stats` counts its use.
    `client`: a dask.distributed Client to run on (analysis.cluster)."""
    import pandas as pd

    articles = corpus.articles
    if workers is None:
        workers = (os.cpu_count() or 1) if len(articles) >= PARALLEL_MIN_ARTICLES else 1
    found: list[ExtractedArticle] = extract_batches(articles, lexicon_dir, topic_dir, corrections, rows=True,
                                                    workers=workers, progress=progress, cache=cache,
                                                    stats=stats, client=client)  # type: ignore[assignment]
    return tables_of(found, corrections)


def tables_of(found: list[ExtractedArticle], corrections: Corrections | None) -> Tables:
    """The tables of these extracted articles (extracted with rows=True), in their order; the
    rows are dropped from the articles as they go into the frames."""
    import pandas as pd

    claim_rows = [row for article in found for row in article.claim_rows]
    estimate_rows = [row for article in found for row in article.estimate_rows]
    outcomes = {outcome.line: outcome for article in found for outcome in article.outcomes}
    for article in found:
        article.claim_rows, article.estimate_rows = [], []
    return Tables(claims_module.rows_to_frame(claim_rows), estimates_module.rows_to_frame(estimate_rows),
                  pd.DataFrame(result_rows(corrections or Corrections(), outcomes), columns=RESULT_COLUMNS))


def extract_run(plan: FolderPlan, lexicon_dir: str | None = None, corrections: Corrections | None = None,
                topic_dir: str | None = None, cache: ArticleCache | None = None, stats: CacheStats | None = None,
                client: object = None, keep: Callable[[Corpus], Corpus] | None = None,
                workers: int | None = None) -> tuple[Corpus, Tables]:
    """A planned folder (load.plan_folder) -> (its corpus, the tables of the articles `keep`
    leaves in it), the reviewer's corrections applied: the same tables as load_corpus +
    extract_tables, but workers read the files and only the articles' metadata comes back,
    so no article's text stays in memory (Corpus.full_article reads one again). `keep`: a
    filter of the corpus (load.filter_by_date, filter_by_outlet); the articles it drops are
    extracted all the same (their dates are known only once they are read) and left out."""
    corpus = extract_plan(plan, lexicon_dir, topic_dir, corrections, rows=True, workers=workers, cache=cache,
                          stats=stats, client=client)
    if keep is not None:
        corpus = keep(corpus)
    return corpus, tables_of(corpus.articles, corrections)  # type: ignore[arg-type]


def extract_plan(plan: FolderPlan, lexicon_dir: str | None, topic_dir: str | None, corrections: Corrections | None,
                 rows: bool, raw: bool = False, workers: int | None = None,
                 progress: Callable[[int, int], None] | None = None, cache: ArticleCache | None = None,
                 stats: CacheStats | None = None, client: object = None) -> Corpus:
    """The corpus of a planned folder, its files read and extracted by the workers
    (extract_batches; `workers` defaults to all cores from PARALLEL_MIN_FILES files), holding
    ExtractedArticles: what extract_run and extract_folder both start from."""
    if workers is None:
        workers = (os.cpu_count() or 1) if len(plan.jobs) >= PARALLEL_MIN_FILES else 1
    return finish_corpus(plan, extract_batches(plan.jobs, lexicon_dir, topic_dir, corrections, rows=rows, raw=raw,
                                               workers=workers, progress=progress, cache=cache, stats=stats,
                                               client=client))


def extract_frames(corpus: Corpus, lexicon_dir: str | None = None, workers: int | None = None,
                   progress: Callable[[int, int], None] | None = None,
                   topic_dir: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Corpus -> (claims table, estimates table), as the rules find them (no corrections)."""
    tables = extract_tables(corpus, lexicon_dir, workers, progress, topic_dir=topic_dir)
    return tables.claims, tables.estimates


# The estimate columns the growth chart reads (chart.growth_points); workers send only these.
CHART_INPUT_COLUMNS = ["row_id", "article_id", "date", "party", "kind", "low", "high", "qualifier", "band_low", "band_high",
                       "phrase", "start"]
# The claim columns the claims timeline reads (chart.timeline_points).
TIMELINE_INPUT_COLUMNS = ["row_id", "date", "party", "stance"]


@dataclass
class ExtractedArticle:
    """An article's metadata and what was extracted from it, without its text (what workers
    send back): its lines of claims.csv and estimates.csv, counts, and its charted figures."""

    article_id: str
    file: str
    date: str
    date_source: str
    outlet: str
    title: str
    url: str
    n_chars: int
    n_sentences: int
    sha256: str
    warnings: tuple[str, ...]
    duplicate_key: str
    claims_csv: str = ""
    estimates_csv: str = ""
    stance_counts: dict[str, int] = field(default_factory=dict)
    n_estimates: int = 0
    chart_rows: list[tuple] = field(default_factory=list)
    timeline_rows: list[tuple] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)  # what became of its corrections
    claim_rows: list[dict] = field(default_factory=list)     # the rows themselves, when asked for (frames)
    estimate_rows: list[dict] = field(default_factory=list)


def _extracted(article: Article, claim_rows: list[dict], estimate_rows: list[dict],
               outcomes: list[Outcome], raw: bool = False, keep_rows: bool = False) -> ExtractedArticle:
    """What goes back from a worker for one article: its metadata and either its rows
    (`keep_rows`) or its lines of the tables with the counts and chart inputs."""
    extracted = ExtractedArticle(
        article.article_id, article.file, article.date, article.date_source, article.outlet,
        article.title, article.url, article.n_chars, article.n_sentences, article.sha256,
        article.warnings, article.duplicate_key, outcomes=outcomes)
    if keep_rows:
        extracted.claim_rows, extracted.estimate_rows = claim_rows, estimate_rows
        return extracted
    for row in claim_rows:
        extracted.stance_counts[row["stance"]] = extracted.stance_counts.get(row["stance"], 0) + 1
    extracted.claims_csv = claims_module.rows_to_csv(claim_rows, raw)
    extracted.estimates_csv = estimates_module.rows_to_csv(estimate_rows, raw)
    extracted.n_estimates = len(estimate_rows)
    extracted.chart_rows = [tuple(row[column] for column in CHART_INPUT_COLUMNS)
                            for row in estimate_rows if row["kind"] in estimates_module.CHARTED_KINDS]
    extracted.timeline_rows = [tuple(row[column] for column in TIMELINE_INPUT_COLUMNS) for row in claim_rows]
    return extracted


@dataclass
class FolderExtraction:
    """What `extract_folder` read and wrote: the corpus (ExtractedArticle metadata, rejected
    files), counts by stance, the number of estimates and the files written."""

    corpus: Corpus
    stance_counts: dict[str, int]
    n_estimates: int
    written: list[Path]
    corrections: pd.DataFrame  # every correction and what became of it (tables/corrections.csv)
    cache: CacheStats = field(default_factory=lambda: CacheStats())  # articles from the cache, extracted


def extract_folder(articles_dir: str | Path, out_dir: str | Path, manifest: str | Path | None = None,
                   max_bytes: int = DEFAULT_MAX_BYTES, lexicon_dir: str | None = None, workers: int | None = None,
                   progress: Callable[[int, int], None] | None = None, log_scale: object = "auto",
                   corrections: Corrections | None = None, raw: bool = False, xlsx: bool = False,
                   topic_dir: str | None = None, cache: ArticleCache | None = None,
                   client: object = None, previous_out: str | Path | bool | None = None) -> FolderExtraction:
    """Folder -> OUT/tables/*.csv (and tables.xlsx) and the growth figure, the same files as load_corpus +
    extract_tables + write_tables_and_figure, byte for byte; `corrections` applied.

    Worker processes read, extract and format whole batches of files as table lines; neither
    the articles' text nor their rows as objects are sent between processes or kept, so a
    large corpus stays small in memory and both cores do the formatting too. `workers`
    defaults to all cores from PARALLEL_MIN_FILES files. `cache`: per-article results kept
    between runs (open_cache): only articles it does not hold are read and extracted. `client`:
    a dask.distributed Client whose cluster does the per-article work (analysis.cluster).
    `previous_out`: the folder of the run this one replaces (default: `out_dir` itself), whose
    database's rows of unchanged articles are copied rather than converted again; False: none."""
    stats = CacheStats()
    plan = plan_folder(articles_dir, manifest, max_bytes)
    with database_process(_database_aside(len(plan.jobs))) as process:
        corpus = extract_plan(plan, lexicon_dir, topic_dir, corrections, rows=False, raw=raw, workers=workers,
                              progress=progress, cache=cache, stats=stats, client=client)
        return _write_folder_run(corpus, out_dir, log_scale, corrections, raw, xlsx, topic_dir, stats, previous_out,
                                 process)


def _write_folder_run(corpus: Corpus, out_dir: str | Path, log_scale: object, corrections: Corrections | None,
                      raw: bool, xlsx: bool, topic_dir: str | None, stats: CacheStats,
                      previous_out: str | Path | bool | None, process: Executor | None) -> FolderExtraction:
    """extract_folder's files, from its extracted corpus."""
    import pandas as pd

    from .tables import TABLE_FILES, write_csv_text, write_tables

    articles: list[ExtractedArticle] = corpus.articles  # type: ignore[assignment]
    stance_counts: dict[str, int] = {}
    for article in articles:
        for stance, count in article.stance_counts.items():
            stance_counts[stance] = stance_counts.get(stance, 0) + count
    folder = Path(out_dir) / "tables"
    outcomes = {outcome.line: outcome for a in articles for outcome in a.outcomes}
    review = pd.DataFrame(result_rows(corrections or Corrections(), outcomes), columns=RESULT_COLUMNS)
    written = write_tables({"articles": corpus.articles_frame(), "rejected": corpus.rejected_frame(),
                            "corrections": review}, out_dir, raw)
    claim_sizes: list[int] = []
    estimate_sizes: list[int] = []
    written.append(write_csv_text(claims_module.CLAIM_COLUMNS, (a.claims_csv for a in articles),
                                  folder / TABLE_FILES["claims"], claim_sizes))
    written.append(write_csv_text(estimates_module.ESTIMATE_COLUMNS, (a.estimates_csv for a in articles),
                                  folder / TABLE_FILES["estimates"], estimate_sizes))
    # Each article's share of the two large tables: the database copies the rows of the articles
    # whose lines the previous run's database already holds (database.write_database).
    ids = [a.article_id for a in articles]
    blocks = {"claims": list(zip(ids, claim_sizes)), "estimates": list(zip(ids, estimate_sizes))}
    n_estimates = sum(a.n_estimates for a in articles)
    chart_input = pd.DataFrame([row for a in articles for row in a.chart_rows], columns=CHART_INPUT_COLUMNS)
    timeline_input = pd.DataFrame([row for a in articles for row in a.timeline_rows], columns=TIMELINE_INPUT_COLUMNS)
    for article in articles:
        # The lines are on disk: kept on the articles they would hold the tables' size in memory
        # for as long as the corpus lives.
        article.claims_csv = article.estimates_csv = ""
        article.chart_rows = article.timeline_rows = []
    chart_input = chart_input.astype({**dict.fromkeys(estimates_module.FLOAT_COLUMNS, "float64"), "start": "int64"})
    # The growth table from the chart's rows; extract writes no evidence pages.
    written += _figures_database_workbook(out_dir, chart_input, timeline_input, log_scale, raw, frozenset(), xlsx,
                                          topic_dir, process is not None, blocks,
                                          out_dir if previous_out is None else previous_out, process)
    return FolderExtraction(corpus, stance_counts, n_estimates, written, review, stats)


PROGRESS_MIN_ARTICLES = 1000


def print_progress(done: int, total: int) -> None:
    """Progress line per batch for long extractions (stderr); silent below PROGRESS_MIN_ARTICLES."""
    if total >= PROGRESS_MIN_ARTICLES:
        print(f"extract: {done}/{total} articles", file=sys.stderr, flush=True)


class Unfinished(contextlib.ExitStack):
    """What write_tables_and_figure leaves to finish in the database's process while the caller
    goes on (the report runs its notebooks meanwhile): the database, then the workbook, whose
    Future (of its path, None when too large) is `workbook` (None when nothing was left).
    Closing it waits for both and raises their errors."""

    workbook: Future | None = None


def write_tables_and_figure(tables: dict[str, pd.DataFrame], out_dir: str | Path, log_scale: object = "auto",
                            raw: bool = False, evidence_articles: frozenset[str] | None = None,
                            xlsx: bool = False, topic_dir: str | None = None,
                            later: Unfinished | None = None) -> list[Path]:
    """The files `extract` and `report` both write: OUT/tables/*.csv, the growth figure
    (OUT/figures/estimate_growth.png, .svg, .csv) drawn from the estimates table and the claims
    timeline (OUT/figures/claims_timeline.*) drawn from the claims table; last OUT/tables/tables.xlsx,
    the CSV files just written as one workbook (workbook.write_workbook). Returns those paths.

    Then OUT/claims.db and OUT/metadata.json, the same tables as one SQLite database for
    Datasette (database.write_database; `evidence_articles`: the articles that get an evidence
    page, None for all); they lie beside tables/ and are not in the list returned.

    `later`: when given and the database has a process of its own, the database and the
    workbook are left to finish there while the caller goes on (the report runs its notebooks):
    the workbook is then not in the list returned but in `later.workbook` (Unfinished).
    Otherwise both are written before it returns."""
    from .tables import write_tables

    written = write_tables(tables, out_dir, raw)
    return written + _figures_database_workbook(out_dir, tables["estimates"], tables["claims"], log_scale, raw,
                                                evidence_articles, xlsx, topic_dir,
                                                _database_aside(len(tables["articles"])), later=later)


def _figures_database_workbook(out_dir: str | Path, estimates: pd.DataFrame, claims: pd.DataFrame, log_scale: object,
                               raw: bool, evidence_articles: frozenset[str] | None, xlsx: bool, topic_dir: str | None,
                               background: bool, blocks: dict[str, list[tuple[str, int]]] | None = None,
                               previous_dir: str | Path | bool | None = None,
                               process: Executor | None = None,
                               later: Unfinished | None = None) -> list[Path]:
    """From the CSV tables on disk: the growth figure and the claims timeline, drawn here, while
    OUT/claims.db and OUT/metadata.json (database_writer; not in the list returned) and then
    OUT/tables/tables.xlsx are written in the database's process when `background` (openpyxl
    takes seconds on a thousand articles), else here after the figures. `estimates`, `claims`:
    frames with the columns the charts read. Returns the figure files and the workbook."""
    from .chart import growth_points, write_claims_timeline, write_growth_figure
    from .workbook import WORKBOOK_ROW_LIMIT, write_workbook

    limit = None if xlsx else WORKBOOK_ROW_LIMIT
    points = growth_points(estimates)  # once, for the chart and the database's growth table
    writer = database_writer(out_dir, estimates, raw, evidence_articles, topic_dir, background, blocks=blocks,
                             previous_dir=previous_dir, points=points, process=process)
    if later is not None and background:
        # The caller's stack keeps the database's process: it finishes the database and the
        # workbook while the caller goes on, and closing the stack waits for them.
        aside = later.enter_context(writer)
        later.workbook = aside.submit(write_workbook, out_dir, limit)
        return (write_growth_figure(estimates, out_dir, log_scale=log_scale, topic_dir=topic_dir, points=points)
                + write_claims_timeline(claims, out_dir))
    with writer as aside:
        book_done = aside.submit(write_workbook, out_dir, limit) if aside is not None else None
        written = (write_growth_figure(estimates, out_dir, log_scale=log_scale, topic_dir=topic_dir, points=points)
                   + write_claims_timeline(claims, out_dir))
        book = book_done.result() if book_done is not None else write_workbook(out_dir, limit)
    return written + ([book] if book is not None else [])


def _database_aside(n_articles: int) -> bool:
    """Whether the database is worth a process of its own: a corpus as large as the one the
    workers share, on more than one core (a process costs about a second to start)."""
    return n_articles >= PARALLEL_MIN_FILES and (os.cpu_count() or 1) > 1


@contextmanager
def database_writer(out_dir: str | Path, estimates: pd.DataFrame, raw: bool,
                    evidence_articles: frozenset[str] | None, topic_dir: str | None, background: bool,
                    blocks: dict[str, list[tuple[str, int]]] | None = None,
                    previous_dir: str | Path | bool | None = None, points: pd.DataFrame | None = None,
                    process: Executor | None = None):
    """OUT/claims.db and OUT/metadata.json (database.write_database), written from the CSV
    tables already on disk while the block draws the figures: in a second process when
    `background` (a large corpus, whose database takes seconds on a core the figures leave
    idle), else after the block. Its errors are raised when the block ends, as in-process.
    `blocks`, `previous_dir`: see write_database (False: no previous run). `points`: the
    chart's growth_points(estimates), when the caller has them. `process`: the database_process
    to use when `background` (default: one started here). Yields that process (None when not
    `background`): work submitted to it runs after the database."""
    from .chart import estimate_growth
    from .database import growth_rows, write_database

    previous = None if previous_dir is False else previous_dir
    # The growth table made here, from the chart's points: the database's process is sent plain
    # rows and needs neither pandas nor matplotlib (a second of imports on a busy core).
    growth = growth_rows(estimate_growth(estimates, points))
    if not background:
        yield None
        write_database(out_dir, None, raw=raw, evidence_articles=evidence_articles, topic_dir=topic_dir,
                       blocks=blocks, previous_dir=previous, growth=growth)
        return
    with contextlib.ExitStack() as stack:
        if process is None:
            process = stack.enter_context(database_process(True))
        done = process.submit(write_database, out_dir, None, raw, evidence_articles, topic_dir, blocks, previous,
                              growth)
        try:
            yield process
        except BaseException:  # the block's error is the one to see; the pool waits for the database
            done.cancel()
            raise
        done.result()


def _ready_for_database() -> None:
    """Run first in the database's process: its imports, while the main process extracts."""
    import openpyxl  # noqa: F401
    import sqlite_utils  # noqa: F401

    from . import database, workbook  # noqa: F401


@contextmanager
def database_process(wanted: bool):
    """A process of its own for the database (database_writer's `process`), started now so that
    its start and imports (about half a second) overlap the extraction; None unless `wanted`."""
    if not wanted:
        yield None
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # Spawned, not forked, as load.run_batches' workers are (a notebook kernel is unsafe to fork).
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        pool.submit(_ready_for_database)
        yield pool
