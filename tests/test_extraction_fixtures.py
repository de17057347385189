"""Extraction behaviours pinned by small articles written for them.

Each `tests/fixtures/extraction/articles/<behaviour>.txt` has its expected rows in
`expected/<behaviour>.claims.csv` (sentence_no, party, stance, hedged) and
`expected/<behaviour>.estimates.csv` (phrase, kind, party, qualifier, low, high). The rows
extracted must be exactly these: a missing row and an extra row both fail."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.extract import extract_frames
from analysis.load import load_corpus

FIXTURES = Path(__file__).parent / "fixtures" / "extraction"
BEHAVIOURS = sorted(p.stem for p in (FIXTURES / "articles").glob("*.txt"))


@pytest.fixture(scope="module")
def extracted():
    corpus = load_corpus(FIXTURES / "articles")
    assert not corpus.rejected, corpus.rejected
    return extract_frames(corpus)


def _expected(name: str, table: str) -> pd.DataFrame:
    return pd.read_csv(FIXTURES / "expected" / f"{name}.{table}.csv", dtype=str, keep_default_na=False)


def _number(value) -> str:
    return "" if pd.isna(value) or value == "" else str(int(float(value)))


def test_every_fixture_has_its_expectations():
    assert len(BEHAVIOURS) >= 15
    for name in BEHAVIOURS:
        for table in ("claims", "estimates"):
            assert (FIXTURES / "expected" / f"{name}.{table}.csv").is_file(), (name, table)


@pytest.mark.parametrize("name", BEHAVIOURS)
def test_claims(extracted, name):
    claims, _ = extracted
    got = claims[claims["article_id"] == name]
    got_rows = sorted((str(r.sentence_no), r.party, r.stance, str(bool(r.hedged))) for r in got.itertuples())
    want = sorted(tuple(r) for r in _expected(name, "claims")[["sentence_no", "party", "stance", "hedged"]]
                  .itertuples(index=False))
    assert got_rows == want, got[["sentence_no", "speaker", "party", "stance", "hedged", "cue"]].to_string()


@pytest.mark.parametrize("name", BEHAVIOURS)
def test_estimates(extracted, name):
    _, estimates = extracted
    got = estimates[estimates["article_id"] == name]
    got_rows = sorted((r.phrase, r.kind, r.party, r.qualifier, _number(r.low), _number(r.high))
                      for r in got.itertuples())
    want = sorted((r.phrase, r.kind, r.party, r.qualifier, _number(r.low), _number(r.high))
                  for r in _expected(name, "estimates").itertuples(index=False))
    assert got_rows == want, got[["phrase", "kind", "party", "speaker", "qualifier", "low", "high"]].to_string()


def test_a_speaker_keeps_the_title_words_before_its_verb(extracted):
    """The speaker as written runs to the verb over words of a title that are no mention
    themselves ("panel", "'s navy"), but not over an adverb ("Kyiv also said")."""
    claims, _ = extracted
    got = claims[claims["article_id"] == "speaker-phrases-with-title-words"]
    assert list(got.sort_values("sentence_no")["speaker"]) == [
        "A UN panel of experts", "A UN panel", "The UN monitoring mission", "A spokesman for South Korea's navy", "Kyiv"]


def test_a_soldier_of_the_subject_speaks_for_no_government(extracted):
    """A captured soldier is named as he is, and speaks for himself, not for his state."""
    claims, _ = extracted
    got = claims[(claims["article_id"] == "soldiers-who-speak") & (claims["party"] == "UNK")]
    assert list(got.sort_values("sentence_no")["speaker"]) == [
        "North Korean soldier", "the North Korean prisoners", "A North Korean soldier captured by Ukrainian forces"]
