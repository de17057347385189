"""The scorer, and floors on the development sets (FLOORS) so an extraction change that loses
accuracy fails the suite. (The held-out set is scored by `make eval` and never used here or for tuning.)"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.evaluate import evaluate, score_claims, score_estimates, set_topic
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


def _measure(scores, name):
    return next(s for s in scores if s.name == name)


def test_figures_are_found_in_their_sentence_only(dev):
    corpus, _, estimates, _, gold = dev
    found = _measure(score_estimates(estimates, gold, corpus), "figures: kind+numbers")
    shifted = estimates.assign(start=estimates["start"] + 10_000, end=estimates["end"] + 10_000)
    assert _measure(score_estimates(shifted, gold, corpus), "figures: kind+numbers").matched_gold == 0
    assert found.matched_gold > 0


ARTICLE = """date: 2024-11-01

Officials in Seoul said about 3,000 soldiers had arrived. A later wave of 2,000 could follow, they said.

Thousands more were in training, a monitor said.
"""


@pytest.fixture()
def small(tmp_path):
    (tmp_path / "a1.txt").write_text(ARTICLE, encoding="utf-8")
    corpus = load_corpus(tmp_path)
    gold = pd.DataFrame([
        ["a1", "said about 3,000 soldiers", "about 3,000", 3000, 3000, "approx", "current", "KOR"],
        ["a1", "A later wave of 2,000", "2,000", 2000, 2000, "exact", "projected", "KOR"],
        ["a1", "Thousands more were in", "Thousands", None, None, "vague", "current", "UNK"],
    ], columns=["article_id", "sentence_key", "phrase", "low", "high", "qualifier", "kind", "party"])
    return corpus, gold


def _predicted(corpus, rows):
    """Estimate rows (phrase, kind, low, high, party) placed where the phrase stands in the body."""
    body = corpus.articles[0].body_norm
    out = []
    for phrase, kind, low, high, party in rows:
        start = body.index(phrase)
        out.append({"article_id": "a1", "start": start, "end": start + len(phrase), "phrase": phrase, "kind": kind,
                    "low": low, "high": high, "party": party, "qualifier": "exact"})
    return pd.DataFrame(out)


def test_figures_need_the_same_kind_and_numbers_but_not_the_same_party(small):
    corpus, gold = small
    right = _predicted(corpus, [("3,000", "current", 3000.0, 3000.0, "KOR"), ("2,000", "projected", 2000.0, 2000.0, "UNK"),
                                ("Thousands", "current", float("nan"), float("nan"), "UNK")])
    scores = score_estimates(right, gold, corpus)
    assert (_measure(scores, "figures: kind+numbers").matched_gold, _measure(scores, "figures: kind+numbers").gold) == (3, 3)
    assert _measure(scores, "figures: party right (on found)").matched_gold == 2
    wrong = _predicted(corpus, [("3,000", "projected", 3000.0, 3000.0, "KOR"), ("2,000", "projected", 2500.0, 2500.0, "KOR"),
                                ("Thousands", "current", 1000.0, 1000.0, "UNK")])
    scores = score_estimates(wrong, gold, corpus)
    assert _measure(scores, "figures: kind+numbers").matched_gold == 0
    assert _measure(scores, "figures: overlap").matched_gold == 3  # the phrases are right, kind and numbers are not


def test_context_figures_are_not_scored_and_earlier_ones_count_as_current(small):
    corpus, gold = small
    predicted = _predicted(corpus, [("3,000", "earlier", 3000.0, 3000.0, "KOR"), ("2,000", "context", 2000.0, 2000.0, "KOR")])
    scores = score_estimates(predicted, gold, corpus)
    assert _measure(scores, "figures: kind+numbers").predicted == 1
    assert _measure(scores, "figures: kind+numbers").matched_gold == 1


def test_stances_score_denials_and_non_denials_together(dev):
    corpus, claims, _, gold, _ = dev
    scores = score_claims(claims, gold, corpus)
    together = _measure(scores, "stances: denial+non_denial")
    assert together.gold == int(gold["stance"].isin(["denial", "non_denial"]).sum())
    assert together.matched_gold == (_measure(scores, "claims: denial").matched_gold
                                     + _measure(scores, "claims: non_denial").matched_gold)


# (claims F1, estimates F1) floors a little under the scores the rules reach on each set.
# heldout has been a development set since its misses were read; heldout2 has no floor (it is
# only scored, never tuned on); the second topic's examples are scored with their topic folder.
FLOORS = {"dev": (0.90, 0.90), "dev2": (0.88, 0.90), "dev3": (0.75, 0.85), "heldout": (0.85, 0.83),
          "examples": (0.68, 0.80)}
FLOORED_SETS = DEV_SETS + [PROJECT_ROOT / "tests" / "eval" / "heldout",
                           PROJECT_ROOT / "analysis" / "topics" / "wagner_mali" / "examples"]


@pytest.mark.parametrize("folder", FLOORED_SETS, ids=[p.name if p.name != "examples" else p.parent.name
                                                      for p in FLOORED_SETS])
def test_development_sets_stay_above_their_floor(folder):
    claims_floor, estimates_floor = FLOORS.get(folder.name, (0.70, 0.70))
    scores = evaluate(folder, topic_dir=set_topic(folder)).set_index("measure")
    assert scores.loc["claims: sentence+party+stance", "f1"] >= claims_floor, scores.to_string()
    assert scores.loc["figures: kind+numbers", "f1"] >= estimates_floor, scores.to_string()
