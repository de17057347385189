"""The acceptance criteria of the claims and estimates tables on the two seed articles."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.chart import estimate_growth, growth_points
from analysis.claims import stance_summary
from analysis.extract import extract_frames
from analysis.load import load_corpus
from analysis.paths import SEEDS_DIR

A000 = "000_f0a2ea317c2ec4f5"
A003 = "003_2abaae6c6ae518d7"


@pytest.fixture(scope="module")
def tables():
    corpus = load_corpus(SEEDS_DIR)
    claims, estimates = extract_frames(corpus)
    return corpus, claims, estimates


def rows(claims: pd.DataFrame, article: str, **where) -> pd.DataFrame:
    selected = claims[claims["article_id"] == article]
    for column, value in where.items():
        selected = selected[selected[column] == value]
    return selected


def has_row(claims, article, party, stance, sentence_part, speaker_part=None, hedged=None) -> bool:
    found = rows(claims, article, party=party, stance=stance)
    found = found[found["sentence"].str.contains(sentence_part, regex=False)]
    if speaker_part is not None:
        found = found[found["speaker"].str.contains(speaker_part, regex=False)]
    if hedged is not None:
        found = found[found["hedged"] == hedged]
    return not found.empty


def test_000_russian_denial_by_peskov_with_cue_hoax(tables):
    _, claims, _ = tables
    denial = rows(claims, A000, party="RUS", stance="denial")
    assert len(denial) == 1
    assert "Peskov" in denial.iloc[0]["speaker"]
    assert denial.iloc[0]["cue"] == "hoax"


def test_000_hedged_korean_claim_by_kim_yong_hyun(tables):
    _, claims, _ = tables
    assert has_row(claims, A000, "KOR", "claim", "highly likely", "Kim Yong-hyun", hedged=True)


def test_000_ukrainian_claims_source_official_and_ukraine(tables):
    _, claims, _ = tables
    assert has_row(claims, A000, "UKR", "claim", "thousands of North Korean infantry", "intelligence source")
    assert has_row(claims, A000, "UKR", "claim", "also suggested", "intelligence official")
    assert has_row(claims, A000, "UKR", "claim", "Ukraine claims that")


def test_000_media_claim_and_one_row_per_party(tables):
    _, claims, _ = tables
    assert has_row(claims, A000, "MEDIA", "claim", "Washington Post report")
    first = rows(claims, A000, sentence_no=1)
    assert sorted(first["party"]) == ["KOR", "UKR"]


def test_003_denial_non_denial_and_claims(tables):
    _, claims, _ = tables
    assert has_row(claims, A003, "PRK", "denial", "groundless")
    assert rows(claims, A003, party="PRK", stance="denial").iloc[0]["cue"] == "groundless"
    assert has_row(claims, A003, "RUS", "non_denial", "did not deny", "Putin")
    assert has_row(claims, A003, "UKR", "claim", "announced on Tuesday", "Zelensky")
    assert has_row(claims, A003, "UKR", "claim", "GUR military intelligence")
    assert has_row(claims, A003, "USA", "claim", "Pentagon estimates", "Pentagon")
    assert has_row(claims, A003, "USA", "claim", "Sabrina Singh", "Singh")
    assert has_row(claims, A003, "KOR", "claim", "Lee Seong-kweun and Park Sun-won", "Lee Seong-kweun")
    assert has_row(claims, A003, "KOR", "claim", "According to South Korean intelligence")
    assert has_row(claims, A003, "KOR", "claim", "struggling to communicate", "lawmakers")


def test_no_other_denials_or_non_denials(tables):
    _, claims, _ = tables
    other = claims[claims["stance"] != "claim"]
    assert sorted(zip(other["article_id"], other["party"], other["stance"])) == [
        (A000, "RUS", "denial"), (A003, "PRK", "denial"), (A003, "RUS", "non_denial")]


def test_claim_rows_keep_their_evidence(tables):
    corpus, claims, _ = tables
    bodies = {a.article_id: a.body for a in corpus.articles}
    for row in claims.itertuples():
        assert bodies[row.article_id][row.start:row.end] == row.sentence
        if row.cue_start >= 0:
            assert bodies[row.article_id][row.cue_start:row.cue_end] == row.cue


def test_estimates_are_exactly_the_four_deployment_figures(tables):
    _, _, estimates = tables
    counted = estimates[estimates["kind"] != "context"]
    got = sorted(zip(counted["article_id"], counted["phrase"], counted["kind"], counted["party"],
                     counted["qualifier"]))
    assert got == [
        (A000, "thousands", "current", "UKR", "vague"),
        (A003, "approximately 3,000", "current", "UKR", "approx"),
        (A003, "around 10,000", "current", "USA", "approx"),
        (A003, "around 12,000", "projected", "UKR", "approx"),
    ]
    vague = counted[counted["phrase"] == "thousands"].iloc[0]
    assert pd.isna(vague["low"]) and pd.isna(vague["high"])


def test_army_size_and_ratio_are_context_only(tables):
    _, _, estimates = tables
    for phrase in ("1.2 million", "30"):
        kinds = set(estimates.loc[estimates["phrase"] == phrase, "kind"])
        assert kinds <= {"context"}, (phrase, kinds)


def test_estimate_offsets_point_at_the_phrase(tables):
    corpus, _, estimates = tables
    bodies = {a.article_id: a.body for a in corpus.articles}
    for row in estimates.itertuples():
        assert bodies[row.article_id][row.start:row.end] == row.phrase


def test_chart_points_are_the_four_on_their_dates(tables):
    _, _, estimates = tables
    points = growth_points(estimates)
    assert sorted(zip(points["date"], points["phrase"])) == [
        ("2024-10-12", "thousands"), ("2024-10-29", "approximately 3,000"),
        ("2024-10-29", "around 10,000"), ("2024-10-29", "around 12,000")]
    growth = estimate_growth(estimates).set_index(["party", "kind"])
    assert growth.loc[("UKR", "current"), "first_phrase"] == "thousands"
    assert growth.loc[("UKR", "current"), "latest_phrase"] == "approximately 3,000"
    assert pd.isna(growth.loc[("UKR", "current"), "fold_change"])  # vague -> no made-up fold change


def test_stance_summary_counts_and_first_last(tables):
    _, claims, _ = tables
    matrix, first_last = stance_summary(claims)
    assert list(matrix.columns) == ["claim", "denial", "non_denial", "total"]
    assert matrix.loc["RUS", "denial"] == 1 and matrix.loc["RUS", "non_denial"] == 1
    rus = first_last.set_index("party").loc["RUS"]
    assert (rus["first_date"], rus["first_stance"]) == ("2024-10-12", "denial")
    assert (rus["last_date"], rus["last_stance"]) == ("2024-10-29", "non_denial")
