"""The `check` column: rows whose evidence is weaker say why, so a reviewer reads them first."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.attribution import CHECK_REASONS
from analysis.extract import extract_frames
from analysis.load import load_corpus

ARTICLE = Path(__file__).parent / "fixtures" / "extraction" / "articles" / "weak-evidence-to-check.txt"


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    folder = tmp_path_factory.mktemp("check")
    (folder / ARTICLE.name).write_bytes(ARTICLE.read_bytes())
    return extract_frames(load_corpus(folder))


def _checks(frame, sentence_no):
    return {r.check for r in frame.itertuples() if r.sentence_no == sentence_no}


def test_a_sentence_naming_speaker_and_subject_needs_no_check(tables):
    claims, estimates = tables
    assert _checks(claims, 1) == {""}
    assert _checks(estimates, 1) == {""}
    assert _checks(claims, 3) == {""}


def test_a_pronoun_speaker_in_a_sentence_without_the_subject_is_flagged_for_both(tables):
    claims, _ = tables
    assert _checks(claims, 2) == {"topic carried; pronoun speaker"}


def test_a_continued_quote_carries_its_speaker_and_says_so(tables):
    claims, _ = tables
    row = claims[claims["sentence_no"] == 4].iloc[0]
    assert (row["speaker"], row["attribution"], row["check"]) == ("Budanov", "quote", "topic carried; speaker carried")


def test_conditional_statements_and_vague_figures_are_flagged(tables):
    claims, estimates = tables
    assert _checks(claims, 5) == {"conditional"}
    assert _checks(estimates, 5) == {"conditional; vague figure"}


def test_every_reason_written_is_a_documented_one(tables):
    claims, estimates = tables
    written = {reason for frame in tables for value in frame["check"] for reason in value.split("; ") if reason}
    assert written <= set(CHECK_REASONS)
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    for reason in CHECK_REASONS:
        assert f"`{reason}`" in readme, reason
