"""The report's run keeps the articles' metadata, not their texts: worker processes read and
extract the files, the evidence pages read each article again (and refuse one whose file
changed since), and the tables are the ones the in-memory path gives."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis import evidence, views
from analysis.extract import ExtractedArticle, extract_tables
from analysis.load import Article, ArticleChanged, filter_by_date, load_corpus

FIXTURES = Path(__file__).parent / "fixtures" / "extraction" / "articles"


@pytest.fixture()
def articles(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    shutil.copytree(FIXTURES, folder)
    return folder


def test_the_run_holds_metadata_and_reads_a_text_again_only_when_asked(articles):
    run, corpus = views.build_run(str(articles))
    assert corpus.articles and all(isinstance(a, ExtractedArticle) for a in corpus.articles)
    assert not any(hasattr(a, "body") for a in corpus.articles)  # no text kept in the run
    first = corpus.articles[0]
    again = corpus.full_article(first)
    assert isinstance(again, Article) and again.sha256 == first.sha256
    assert len(again.body) == first.n_chars and len(again.sentences) == first.n_sentences
    assert run.articles["n_chars"].tolist() == [a.n_chars for a in corpus.articles]


def test_the_tables_equal_the_in_memory_paths_with_a_date_filter(articles):
    run, _ = views.build_run(str(articles), date_from="2024-10-20", date_to="2024-11-30")
    whole = filter_by_date(load_corpus(articles, workers=1), "2024-10-20", "2024-11-30")
    tables = extract_tables(whole, workers=1)
    assert 0 < len(run.articles) < len(list(articles.glob("*.txt")))  # the filter kept some, not all
    assert run.articles.equals(whole.articles_frame())
    pd.testing.assert_frame_equal(run.claims, tables.claims)
    pd.testing.assert_frame_equal(run.estimates, tables.estimates)


def test_an_article_changed_after_extraction_is_refused_by_name(articles, tmp_path):
    run, corpus = views.build_run(str(articles))
    target = corpus.articles[0]
    path = articles / target.file
    path.write_text(path.read_text(encoding="utf-8") + "\nA sentence added later.\n", encoding="utf-8")
    with pytest.raises(ArticleChanged, match=f"{target.file}: changed"):
        corpus.full_article(target)
    with pytest.raises(evidence.EvidenceError, match=f"{target.file}: changed"):
        evidence.write_evidence_pages(corpus.articles, run.claims, run.estimates, tmp_path / "out",
                                      full_article=corpus.full_article)


def test_an_article_removed_after_extraction_is_refused_by_name(articles):
    _, corpus = views.build_run(str(articles))
    target = corpus.articles[-1]
    (articles / target.file).unlink()
    with pytest.raises(ArticleChanged, match=f"{target.file}: cannot be read again"):
        corpus.full_article(target)


def test_evidence_pages_from_metadata_equal_pages_from_loaded_articles(articles, tmp_path):
    run, corpus = views.build_run(str(articles))
    loaded = load_corpus(articles, workers=1)
    evidence.write_evidence_pages(corpus.articles, run.claims, run.estimates, tmp_path / "streamed", limit=5,
                                  full_article=corpus.full_article)
    evidence.write_evidence_pages(loaded.articles, run.claims, run.estimates, tmp_path / "loaded", limit=5)
    streamed = sorted((tmp_path / "streamed" / "html" / "articles").iterdir())
    assert len([p for p in streamed if p.suffix == ".html"]) == 6  # five pages and the listing
    for page in streamed:
        assert page.read_bytes() == (tmp_path / "loaded" / "html" / "articles" / page.name).read_bytes(), page.name
