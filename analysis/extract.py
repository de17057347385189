"""Step 2: extraction. Reads each article once (attribution, sentence by sentence) and builds
both the claims rows and the estimate rows from that reading.

Two entry points:
- `extract_frames(corpus)` for a corpus already loaded (notebooks, report, tests);
- `extract_folder(folder)` for the `extract` command: worker processes read and extract whole
  batches of files and send back only metadata and rows, so a large corpus is never held in
  memory and both cores work. Rows are sorted at the end, so the result does not depend on
  how the work was split.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import claims as claims_module
from . import estimates as estimates_module
from .attribution import attribute_article
from .lexicon import load_lexicon
from .load import (DEFAULT_MAX_BYTES, PARALLEL_MIN_FILES, Article, Corpus, Job, Rejected, finish_corpus,
                   plan_folder, read_article, run_batches)
from .topic import build_topic

PARALLEL_MIN_ARTICLES = 400
BATCH_SIZE = 100


def extract_rows(articles: list[Article], lexicon_dir: str | None = None) -> tuple[list[dict], list[dict]]:
    """Articles -> (claim rows, estimate rows), each article read once."""
    lex = load_lexicon(lexicon_dir)
    topic = build_topic(lex)
    terms = estimates_module.load_estimate_terms(lexicon_dir)
    claim_rows: list[dict] = []
    estimate_rows: list[dict] = []
    for article in articles:
        readings = attribute_article(article, lex, topic)
        claim_rows.extend(claims_module.article_claims(article, readings, lex, topic))
        estimate_rows.extend(estimates_module.article_estimates(article, readings, terms, topic, lex.hedge_re))
    return claim_rows, estimate_rows


def _batch_worker(args: tuple[list[Article], str | None]) -> tuple[list[dict], list[dict]]:
    articles, lexicon_dir = args
    return extract_rows(articles, lexicon_dir)


def extract_frames(corpus: Corpus, lexicon_dir: str | None = None, workers: int | None = None,
                   progress: Callable[[int, int], None] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Corpus -> (claims table, estimates table).

    `workers`: processes to use (default: all cores when the corpus has at least
    PARALLEL_MIN_ARTICLES articles, else 1). `progress(done, total)` is called per batch."""
    articles = corpus.articles
    if workers is None:
        workers = (os.cpu_count() or 1) if len(articles) >= PARALLEL_MIN_ARTICLES else 1
    batches = [(articles[i:i + BATCH_SIZE], lexicon_dir) for i in range(0, len(articles), BATCH_SIZE)]
    found = run_batches(_batch_worker, batches, workers, progress, [len(b) for b, _ in batches])
    claim_rows = [row for claims, _ in found for row in claims]
    estimate_rows = [row for _, estimates in found for row in estimates]
    return claims_module.rows_to_frame(claim_rows), estimates_module.rows_to_frame(estimate_rows)


@dataclass
class ExtractedArticle:
    """An article's metadata and extracted rows, without its text (what workers send back).
    extract_folder moves the rows into its tables and leaves the lists empty."""

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
    claim_rows: list[dict] = field(default_factory=list)
    estimate_rows: list[dict] = field(default_factory=list)


def _read_and_extract(args: tuple[list[Job], str | None]) -> list[ExtractedArticle | Rejected]:
    """Worker: read a batch of files and extract each article; only metadata and rows go back."""
    jobs, lexicon_dir = args
    lex = load_lexicon(lexicon_dir)
    topic = build_topic(lex)
    terms = estimates_module.load_estimate_terms(lexicon_dir)
    results: list[ExtractedArticle | Rejected] = []
    for path, article_id, max_bytes, entry in jobs:
        article = read_article(Path(path), article_id, max_bytes, entry)
        if isinstance(article, Rejected):
            results.append(article)
            continue
        readings = attribute_article(article, lex, topic)
        results.append(ExtractedArticle(
            article.article_id, article.file, article.date, article.date_source, article.outlet,
            article.title, article.url, article.n_chars, article.n_sentences, article.sha256,
            article.warnings, article.duplicate_key,
            claims_module.article_claims(article, readings, lex, topic),
            estimates_module.article_estimates(article, readings, terms, topic, lex.hedge_re)))
    return results


def extract_folder(articles_dir: str | Path, manifest: str | Path | None = None,
                   max_bytes: int = DEFAULT_MAX_BYTES, lexicon_dir: str | None = None, workers: int | None = None,
                   progress: Callable[[int, int], None] | None = None) -> tuple[Corpus, pd.DataFrame, pd.DataFrame]:
    """Folder -> (corpus of ExtractedArticle metadata and rejected files, claims table, estimates table).

    Same tables as load_corpus + extract_frames, but the text of the articles is never sent
    between processes nor kept. `workers` defaults to all cores from PARALLEL_MIN_FILES files."""
    plan = plan_folder(articles_dir, manifest, max_bytes)
    jobs = plan.jobs
    if workers is None:
        workers = (os.cpu_count() or 1) if len(jobs) >= PARALLEL_MIN_FILES else 1
    batches = [(jobs[i:i + BATCH_SIZE], lexicon_dir) for i in range(0, len(jobs), BATCH_SIZE)]
    found = run_batches(_read_and_extract, batches, workers, progress, [len(b) for b, _ in batches])
    results = [result for batch in found for result in batch]
    corpus = finish_corpus(plan, results)
    claim_rows: list[dict] = []
    estimate_rows: list[dict] = []
    for article in corpus.articles:
        # The rows move into the tables: kept on the articles too they would hold hundreds of
        # MB on a large corpus for as long as the corpus lives.
        claim_rows.extend(article.claim_rows)
        estimate_rows.extend(article.estimate_rows)
        article.claim_rows, article.estimate_rows = [], []
    return corpus, claims_module.rows_to_frame(claim_rows), estimates_module.rows_to_frame(estimate_rows)


PROGRESS_MIN_ARTICLES = 1000


def print_progress(done: int, total: int) -> None:
    """Progress line per batch for long extractions (stderr); silent below PROGRESS_MIN_ARTICLES."""
    if total >= PROGRESS_MIN_ARTICLES:
        print(f"extract: {done}/{total} articles", file=sys.stderr, flush=True)
