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

import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is imported where frames are built: worker processes never need it
    import pandas as pd

from . import claims as claims_module
from . import estimates as estimates_module
from .attribution import attribute_article
from .corrections import RESULT_COLUMNS, Correction, Corrections, Outcome, apply_corrections, result_rows
from .lexicon import Lexicon, load_lexicon
from .load import (DEFAULT_MAX_BYTES, PARALLEL_MIN_FILES, Article, Corpus, Job, Rejected, finish_corpus,
                   plan_folder, read_article, run_batches)
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
    figures = {row["start"] for row in estimate_rows if row["kind"] != "context"}
    claim_rows = claims_module.article_claims(article, readings, lex, topic, figures)
    corrections = list(corrections)
    if not corrections:
        return claim_rows, estimate_rows, []
    return apply_corrections(article, claim_rows, estimate_rows, corrections)


def extract_rows(articles: list[Article], lexicon_dir: str | None = None,
                 corrections: Corrections | None = None) -> tuple[list[dict], list[dict], list[Outcome]]:
    """Articles -> (claim rows, estimate rows, correction outcomes), each article read once."""
    lex = load_lexicon(lexicon_dir)
    topic = build_topic(lex)
    terms = estimates_module.load_estimate_terms(lexicon_dir)
    corrections = corrections or Corrections()
    claim_rows: list[dict] = []
    estimate_rows: list[dict] = []
    outcomes: list[Outcome] = []
    for article in articles:
        claims, estimates, done = extract_article(article, lex, topic, terms, corrections.for_article(article.article_id))
        claim_rows.extend(claims)
        estimate_rows.extend(estimates)
        outcomes.extend(done)
    return claim_rows, estimate_rows, outcomes


def _batch_worker(args: tuple[list[Article], str | None, Corrections | None]):
    articles, lexicon_dir, corrections = args
    return extract_rows(articles, lexicon_dir, corrections)


@dataclass
class Tables:
    """The extraction's tables: claims, estimates and the corrections with what became of them."""

    claims: pd.DataFrame
    estimates: pd.DataFrame
    corrections: pd.DataFrame


def extract_tables(corpus: Corpus, lexicon_dir: str | None = None, workers: int | None = None,
                   progress: Callable[[int, int], None] | None = None,
                   corrections: Corrections | None = None) -> Tables:
    """Corpus -> the claims, estimates and corrections tables, the reviewer's corrections
    (analysis.corrections) applied.

    `workers`: processes to use (default: all cores when the corpus has at least
    PARALLEL_MIN_ARTICLES articles, else 1). `progress(done, total)` is called per batch."""
    import pandas as pd

    articles = corpus.articles
    if workers is None:
        workers = (os.cpu_count() or 1) if len(articles) >= PARALLEL_MIN_ARTICLES else 1
    batches = [(articles[i:i + BATCH_SIZE], lexicon_dir, corrections) for i in range(0, len(articles), BATCH_SIZE)]
    found = run_batches(_batch_worker, batches, workers, progress, [len(b) for b, _, _ in batches])
    claim_rows = [row for claims, _, _ in found for row in claims]
    estimate_rows = [row for _, estimates, _ in found for row in estimates]
    outcomes = {outcome.line: outcome for _, _, done in found for outcome in done}
    return Tables(claims_module.rows_to_frame(claim_rows), estimates_module.rows_to_frame(estimate_rows),
                  pd.DataFrame(result_rows(corrections or Corrections(), outcomes), columns=RESULT_COLUMNS))


def extract_frames(corpus: Corpus, lexicon_dir: str | None = None, workers: int | None = None,
                   progress: Callable[[int, int], None] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Corpus -> (claims table, estimates table), as the rules find them (no corrections)."""
    tables = extract_tables(corpus, lexicon_dir, workers, progress)
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


def _extracted(article: Article, claim_rows: list[dict], estimate_rows: list[dict],
               outcomes: list[Outcome], raw: bool = False) -> ExtractedArticle:
    stances: dict[str, int] = {}
    for row in claim_rows:
        stances[row["stance"]] = stances.get(row["stance"], 0) + 1
    chart_rows = [tuple(row[column] for column in CHART_INPUT_COLUMNS)
                  for row in estimate_rows if row["kind"] in estimates_module.CHARTED_KINDS]
    return ExtractedArticle(
        article.article_id, article.file, article.date, article.date_source, article.outlet,
        article.title, article.url, article.n_chars, article.n_sentences, article.sha256,
        article.warnings, article.duplicate_key,
        claims_module.rows_to_csv(claim_rows, raw), estimates_module.rows_to_csv(estimate_rows, raw),
        stances, len(estimate_rows), chart_rows,
        [tuple(row[column] for column in TIMELINE_INPUT_COLUMNS) for row in claim_rows], outcomes)


def _read_and_extract(args: tuple[list[Job], str | None, Corrections | None, bool]) -> list[ExtractedArticle | Rejected]:
    """Worker: read a batch of files and extract each article; only metadata and table lines go back."""
    jobs, lexicon_dir, corrections, raw = args
    corrections = corrections or Corrections()
    lex = load_lexicon(lexicon_dir)
    topic = build_topic(lex)
    terms = estimates_module.load_estimate_terms(lexicon_dir)
    results: list[ExtractedArticle | Rejected] = []
    for path, article_id, max_bytes, entry in jobs:
        article = read_article(Path(path), article_id, max_bytes, entry)
        if isinstance(article, Rejected):
            results.append(article)
            continue
        results.append(_extracted(article, *extract_article(article, lex, topic, terms,
                                                             corrections.for_article(article_id)), raw=raw))
    return results


@dataclass
class FolderExtraction:
    """What `extract_folder` read and wrote: the corpus (ExtractedArticle metadata, rejected
    files), counts by stance, the number of estimates and the files written."""

    corpus: Corpus
    stance_counts: dict[str, int]
    n_estimates: int
    written: list[Path]
    corrections: pd.DataFrame  # every correction and what became of it (tables/corrections.csv)


def extract_folder(articles_dir: str | Path, out_dir: str | Path, manifest: str | Path | None = None,
                   max_bytes: int = DEFAULT_MAX_BYTES, lexicon_dir: str | None = None, workers: int | None = None,
                   progress: Callable[[int, int], None] | None = None, log_scale: object = "auto",
                   corrections: Corrections | None = None, raw: bool = False, xlsx: bool = False) -> FolderExtraction:
    """Folder -> OUT/tables/*.csv (and tables.xlsx) and the growth figure, the same files as load_corpus +
    extract_tables + tables.write_tables_and_figure, byte for byte; `corrections` applied.

    Worker processes read, extract and format whole batches of files as table lines; neither
    the articles' text nor their rows as objects are sent between processes or kept, so a
    large corpus stays small in memory and both cores do the formatting too. `workers`
    defaults to all cores from PARALLEL_MIN_FILES files."""
    import pandas as pd

    from .chart import write_claims_timeline, write_growth_figure
    from .tables import TABLE_FILES, write_csv_text, write_tables
    from .database import write_database
    from .workbook import WORKBOOK_ROW_LIMIT, write_workbook

    plan = plan_folder(articles_dir, manifest, max_bytes)
    jobs = plan.jobs
    if workers is None:
        workers = (os.cpu_count() or 1) if len(jobs) >= PARALLEL_MIN_FILES else 1
    batches = [(jobs[i:i + BATCH_SIZE], lexicon_dir, corrections, raw) for i in range(0, len(jobs), BATCH_SIZE)]
    found = run_batches(_read_and_extract, batches, workers, progress, [len(b) for b, _, _, _ in batches])
    corpus = finish_corpus(plan, [result for batch in found for result in batch])
    del found
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
    written.append(write_csv_text(claims_module.CLAIM_COLUMNS, (a.claims_csv for a in articles),
                                  folder / TABLE_FILES["claims"]))
    written.append(write_csv_text(estimates_module.ESTIMATE_COLUMNS, (a.estimates_csv for a in articles),
                                  folder / TABLE_FILES["estimates"]))
    n_estimates = sum(a.n_estimates for a in articles)
    chart_input = pd.DataFrame([row for a in articles for row in a.chart_rows], columns=CHART_INPUT_COLUMNS)
    timeline_input = pd.DataFrame([row for a in articles for row in a.timeline_rows], columns=TIMELINE_INPUT_COLUMNS)
    for article in articles:
        # The lines are on disk: kept on the articles they would hold the tables' size in memory
        # for as long as the corpus lives.
        article.claims_csv = article.estimates_csv = ""
        article.chart_rows = article.timeline_rows = []
    chart_input = chart_input.astype({**dict.fromkeys(estimates_module.FLOAT_COLUMNS, "float64"), "start": "int64"})
    written.extend(write_growth_figure(chart_input, out_dir, log_scale=log_scale))
    written.extend(write_claims_timeline(timeline_input, out_dir))
    book = write_workbook(out_dir, None if xlsx else WORKBOOK_ROW_LIMIT)  # OUT/tables/tables.xlsx, from the CSVs
    if book is not None:
        written.append(book)
    # OUT/claims.db and OUT/metadata.json from the CSV files on disk (not in `written`, as for
    # write_tables_and_figure); the growth table from the chart's rows; extract writes no evidence pages.
    write_database(out_dir, chart_input, raw=raw, evidence_articles=frozenset())
    return FolderExtraction(corpus, stance_counts, n_estimates, written, review)


PROGRESS_MIN_ARTICLES = 1000


def print_progress(done: int, total: int) -> None:
    """Progress line per batch for long extractions (stderr); silent below PROGRESS_MIN_ARTICLES."""
    if total >= PROGRESS_MIN_ARTICLES:
        print(f"extract: {done}/{total} articles", file=sys.stderr, flush=True)
