"""Precision and recall of the extraction against a hand-annotated set.

An annotated set is a folder with `articles/*.txt`, `claims.csv` (article_id, sentence_key,
party, stance, hedged, speaker) and `estimates.csv` (article_id, sentence_key, phrase, low,
high, qualifier, kind, party); see tests/eval/GUIDELINES.md. A gold row is found when a
predicted row of the same article lies in the sentence containing `sentence_key` and agrees:
claims on party and stance; estimates on the figure's position (the predicted phrase overlaps
the annotated one). Context figures are not scored for detection."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .extract import extract_frames
from .load import Corpus, load_corpus, normalise_for_matching

SCORED_KINDS = ("current", "projected", "casualties")


@dataclass(frozen=True)
class Score:
    """Counts and rates of one comparison."""

    name: str
    gold: int
    predicted: int
    matched_gold: int
    matched_predicted: int

    @property
    def precision(self) -> float:
        return self.matched_predicted / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.matched_gold / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def row(self) -> dict:
        return {"measure": self.name, "gold": self.gold, "predicted": self.predicted,
                "precision": round(self.precision, 3), "recall": round(self.recall, 3), "f1": round(self.f1, 3)}


def _sentence_of(corpus: Corpus, article_id: str, key: str) -> tuple[int, int] | None:
    """(start, end) in the body of the sentence containing `key`, or None."""
    article = next((a for a in corpus.articles if a.article_id == article_id), None)
    if article is None:
        return None
    position = article.body_norm.find(normalise_for_matching(key))
    if position < 0:
        return None
    for sentence in article.sentences:
        if sentence.start <= position < sentence.end:
            return sentence.start, sentence.end
    return None


def _match(gold: list[tuple], predicted: list[tuple], agree) -> tuple[int, int, list[tuple[int, int]]]:
    """Greedy one-to-one matching; returns (matched gold, matched predicted, pairs)."""
    used: set[int] = set()
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(predicted):
            if pi not in used and agree(g, p):
                used.add(pi)
                pairs.append((gi, pi))
                break
    return len(pairs), len(pairs), pairs


def score_claims(claims: pd.DataFrame, gold: pd.DataFrame, corpus: Corpus) -> list[Score]:
    """Claims: strict (sentence, party, stance), by stance, and sentence+stance ignoring party."""
    gold_rows = []
    for row in gold.itertuples(index=False):
        span = _sentence_of(corpus, row.article_id, row.sentence_key)
        gold_rows.append((row.article_id, span, row.party, row.stance, str(row.hedged).lower() == "true"))
    predicted = [(r.article_id, (r.start, r.end), r.party, r.stance, bool(r.hedged))
                 for r in claims.itertuples(index=False)]
    scores = []

    def strict(g, p):
        return g[0] == p[0] and g[1] == p[1] and g[2] == p[2] and g[3] == p[3]

    matched, _, pairs = _match(gold_rows, predicted, strict)
    scores.append(Score("claims: sentence+party+stance", len(gold_rows), len(predicted), matched, matched))
    for stance in ("claim", "denial", "non_denial"):
        g = [x for x in gold_rows if x[3] == stance]
        p = [x for x in predicted if x[3] == stance]
        m, _, _ = _match(g, p, strict)
        scores.append(Score(f"claims: {stance}", len(g), len(p), m, m))
    loose_gold = list({(g[0], g[1], g[3]) for g in gold_rows})
    loose_pred = list({(p[0], p[1], p[3]) for p in predicted})
    m, _, _ = _match(loose_gold, loose_pred, lambda g, p: g == p)
    scores.append(Score("claims: sentence+stance (any party)", len(loose_gold), len(loose_pred), m, m))
    hedge_agree = sum(1 for gi, pi in pairs if gold_rows[gi][4] == predicted[pi][4])
    scores.append(Score("claims: hedged agrees (on matched rows)", len(pairs), len(pairs), hedge_agree, hedge_agree))
    return scores


def score_estimates(estimates: pd.DataFrame, gold: pd.DataFrame, corpus: Corpus) -> list[Score]:
    """Estimates: figure detection (current/projected/casualties), then agreement of kind,
    party, qualifier and low/high on the detected figures."""
    bodies = {a.article_id: a for a in corpus.articles}
    gold_rows = []
    for row in gold.itertuples(index=False):
        if row.kind not in SCORED_KINDS:
            continue
        span = _sentence_of(corpus, row.article_id, row.sentence_key)
        start = -1
        if span is not None:
            text = bodies[row.article_id].body_norm
            found = text.find(normalise_for_matching(str(row.phrase)), span[0], span[1])
            start = found
        end = start + len(str(row.phrase)) if start >= 0 else -1
        low = float(row.low) if pd.notna(row.low) and str(row.low) != "" else None
        high = float(row.high) if pd.notna(row.high) and str(row.high) != "" else None
        party = "" if pd.isna(row.party) else str(row.party)
        gold_rows.append((row.article_id, start, end, row.kind, party, row.qualifier, low, high))
    predicted = []
    for r in estimates.itertuples(index=False):
        if r.kind not in SCORED_KINDS:
            continue
        low = None if pd.isna(r.low) else float(r.low)
        high = None if pd.isna(r.high) else float(r.high)
        predicted.append((r.article_id, r.start, r.end, r.kind, r.party or "", r.qualifier, low, high))

    def overlap(g, p):
        return g[0] == p[0] and g[1] >= 0 and g[1] < p[2] and p[1] < g[2]

    matched, _, pairs = _match(gold_rows, predicted, overlap)
    scores = [Score("estimates: figure found", len(gold_rows), len(predicted), matched, matched)]
    for name, index in (("kind", 3), ("party", 4), ("qualifier", 5)):
        agree = sum(1 for gi, pi in pairs if gold_rows[gi][index] == predicted[pi][index])
        scores.append(Score(f"estimates: {name} agrees (on found)", len(pairs), len(pairs), agree, agree))
    value_agree = sum(1 for gi, pi in pairs if gold_rows[gi][6:8] == predicted[pi][6:8])
    scores.append(Score("estimates: low/high agree (on found)", len(pairs), len(pairs), value_agree, value_agree))
    strict = sum(1 for gi, pi in pairs if gold_rows[gi][3:5] == predicted[pi][3:5])
    scores.append(Score("estimates: found with kind+party right", len(gold_rows), len(predicted), strict, strict))
    return scores


def evaluate(folder: str | Path, lexicon_dir: str | None = None) -> pd.DataFrame:
    """Score the extraction on an annotated folder -> one row per measure
    (measure, gold, predicted, precision, recall, f1)."""
    base = Path(folder)
    corpus = load_corpus(base / "articles")
    claims, estimates = extract_frames(corpus, lexicon_dir)
    gold_claims = pd.read_csv(base / "claims.csv", dtype=str, keep_default_na=False)
    gold_estimates = pd.read_csv(base / "estimates.csv", dtype={"phrase": str, "party": str},
                                 keep_default_na=False, na_values={"low": [""], "high": [""]})
    scores = score_claims(claims, gold_claims, corpus) + score_estimates(estimates, gold_estimates, corpus)
    return pd.DataFrame([s.row() for s in scores])
