"""Step 2: extraction. Reads each article once (attribution, sentence by sentence) and builds
both the claims rows and the estimate rows from that reading.

Large corpora are split into batches read by worker processes (both cores of a small
machine); the rows are then sorted, so the result does not depend on how work was split."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

import pandas as pd

from . import claims as claims_module
from . import estimates as estimates_module
from .attribution import attribute_article
from .lexicon import load_lexicon
from .load import Article, Corpus
from .topic import build_topic

PARALLEL_MIN_ARTICLES = 400
BATCH_SIZE = 250


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
    claim_rows: list[dict] = []
    estimate_rows: list[dict] = []
    if workers <= 1 or len(articles) < 2:
        for begin in range(0, len(articles), BATCH_SIZE):
            batch = articles[begin:begin + BATCH_SIZE]
            found = extract_rows(batch, lexicon_dir)
            claim_rows.extend(found[0])
            estimate_rows.extend(found[1])
            if progress:
                progress(min(begin + BATCH_SIZE, len(articles)), len(articles))
    else:
        batches = [(articles[i:i + BATCH_SIZE], lexicon_dir) for i in range(0, len(articles), BATCH_SIZE)]
        done = 0
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for (batch, _), found in zip(batches, pool.map(_batch_worker, batches)):
                claim_rows.extend(found[0])
                estimate_rows.extend(found[1])
                done += len(batch)
                if progress:
                    progress(done, len(articles))
    return claims_module.rows_to_frame(claim_rows), estimates_module.rows_to_frame(estimate_rows)


def print_progress(done: int, total: int) -> None:
    """Progress line for long extractions (written to stderr)."""
    print(f"extract: {done}/{total} articles", file=sys.stderr, flush=True)
