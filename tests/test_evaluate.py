"""The scorer, and floors on the development sets (FLOORS) so an extraction change that loses
accuracy fails the suite. (The held-out set is scored by `make eval` and never used here or for tuning.)"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.evaluate import evaluate, score_claims, score_estimates
from analysis.extract import extract_frames
from analysis.load import load_corpus
from analysis.paths import PROJECT_ROOT

DEV_SETS = sorted(p for p in (PROJECT_ROOT / "tests" / "eval").glob("dev*") if (p / "claims.csv").is_file())


@pytest.fixture(scope="module")
def dev():
    folder = PROJECT_ROOT / "tests" / "eval" / "dev"
    corpus = load_corpus(folder / "articles")
    claims, estimates = extract_frames(corpus)
    gold_claims = pd.read_csv(folder / "claims.csv", dtype=str, keep_default_na=False)
    gold_estimates = pd.read_csv(folder / "estimates.csv", dtype={"phrase": str, "party": str},
                                 keep_default_na=False, na_values={"low": [""], "high": [""]})
    return corpus, claims, estimates, gold_claims, gold_estimates


def test_predictions_equal_to_gold_score_one(dev):
    corpus, claims, _, _, _ = dev
    as_gold = pd.DataFrame({
        "article_id": claims["article_id"], "sentence_key": claims["sentence"].str[:40],
        "party": claims["party"], "stance": claims["stance"], "hedged": claims["hedged"].map(str),
        "speaker": claims["speaker"]})
    strict = score_claims(claims, as_gold, corpus)[0]
    assert (strict.precision, strict.recall) == (1.0, 1.0)


def test_a_missing_and_a_wrong_row_lower_recall_and_precision(dev):
    corpus, claims, _, gold, _ = dev
    strict = score_claims(claims, gold, corpus)[0]
    fewer = claims.iloc[1:]
    wrong = claims.copy()
    wrong.loc[wrong.index[0], "party"] = "XXX"
    assert score_claims(fewer, gold, corpus)[0].matched_gold <= strict.matched_gold
    worse = score_claims(wrong, gold, corpus)[0]
    assert worse.predicted == strict.predicted
    assert worse.matched_predicted <= strict.matched_predicted


def test_estimates_scorer_counts_overlaps_only(dev):
    corpus, _, estimates, _, gold = dev
    found = score_estimates(estimates, gold, corpus)[0]
    shifted = estimates.assign(start=estimates["start"] + 10_000, end=estimates["end"] + 10_000)
    assert score_estimates(shifted, gold, corpus)[0].matched_gold == 0
    assert found.matched_gold > 0


# (claims F1, estimates F1) floors a little under the scores the rules reach on each set.
FLOORS = {"dev": (0.90, 0.90), "dev2": (0.88, 0.90), "dev3": (0.72, 0.85)}


@pytest.mark.parametrize("folder", DEV_SETS, ids=[p.name for p in DEV_SETS])
def test_development_sets_stay_above_their_floor(folder):
    claims_floor, estimates_floor = FLOORS.get(folder.name, (0.70, 0.70))
    scores = evaluate(folder).set_index("measure")
    assert scores.loc["claims: sentence+party+stance", "f1"] >= claims_floor, scores.to_string()
    assert scores.loc["estimates: found with kind+party right", "f1"] >= estimates_floor, scores.to_string()
