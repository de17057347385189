"""Precision and recall of the extraction against a hand-annotated set.

An annotated set is a folder with `articles/*.txt`, `claims.csv` (article_id, sentence_key,
party, stance, hedged, speaker) and `estimates.csv` (article_id, sentence_key, phrase, low,
high, qualifier, kind, party); see tests/eval/GUIDELINES.md. `sentence_key` names the sentence
of a gold row. How rows are matched (greedily, one predicted row to one gold row):

- claims, and stances (denials and non-denials together): a predicted row of the same
  sentence with the same party and stance;
- figures, by kind and numbers: a predicted row in the same sentence with the same kind and the
  same low/high (two vague figures have the same numbers); party is then scored on the rows
  found. Rows agreeing on party are paired first;
- figures, by overlap: the predicted phrase overlaps the annotated one, whatever its kind.

Figures of kind `context` are not scored (the guidelines do not count them as deployment
figures); figures of kind `earlier` are scored as `current`, the kind the guidelines give a
previous estimate."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .extract import extract_frames
from .load import Corpus, load_corpus, normalise_for_matching

SCORED_KINDS = ("current", "projected", "casualties")
STANCE_KINDS = ("denial", "non_denial")


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


@dataclass(frozen=True)
class Miss:
    """A gold row not found, or a predicted row that matched nothing (for reading errors)."""

    table: str        # claims or estimates
    side: str         # missed (gold) or extra (predicted)
    article_id: str
    sentence: str
    detail: str


Span = tuple[int, int] | None


def _sentence_spans(corpus: Corpus) -> dict[str, list[tuple[int, int]]]:
    return {a.article_id: [(s.start, s.end) for s in a.sentences] for a in corpus.articles}


def _sentence_of(corpus: Corpus, article_id: str, key: str) -> Span:
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


def _match(gold: list[tuple], predicted: list[tuple], *agreements: Callable[[tuple, tuple], bool]) -> list[tuple[int, int]]:
    """Greedy one-to-one matching, one pass per agreement (the strictest first); returns the
    (gold index, predicted index) pairs."""
    used_gold: set[int] = set()
    used_predicted: set[int] = set()
    pairs = []
    for agree in agreements:
        for gi, g in enumerate(gold):
            if gi in used_gold:
                continue
            for pi, p in enumerate(predicted):
                if pi not in used_predicted and agree(g, p):
                    used_gold.add(gi)
                    used_predicted.add(pi)
                    pairs.append((gi, pi))
                    break
    return sorted(pairs)


def _score(name: str, gold: list, predicted: list, pairs: list) -> Score:
    return Score(name, len(gold), len(predicted), len(pairs), len(pairs))


@dataclass(frozen=True)
class GoldClaim:
    article_id: str
    span: Span
    party: str
    stance: str
    hedged: bool


@dataclass(frozen=True)
class PredictedClaim:
    article_id: str
    span: Span
    party: str
    stance: str
    hedged: bool


def _gold_claims(gold: pd.DataFrame, corpus: Corpus) -> list[GoldClaim]:
    return [GoldClaim(r.article_id, _sentence_of(corpus, r.article_id, r.sentence_key), r.party, r.stance,
                      str(r.hedged).lower() == "true") for r in gold.itertuples(index=False)]


def _predicted_claims(claims: pd.DataFrame) -> list[PredictedClaim]:
    return [PredictedClaim(r.article_id, (int(r.start), int(r.end)), r.party, r.stance, bool(r.hedged))
            for r in claims.itertuples(index=False)]


def _same_claim(g: GoldClaim, p: PredictedClaim) -> bool:
    return g.article_id == p.article_id and g.span == p.span and g.party == p.party and g.stance == p.stance


def score_claims(claims: pd.DataFrame, gold: pd.DataFrame, corpus: Corpus) -> list[Score]:
    """Claims: every stance (sentence, party, stance), each stance, denials and non-denials
    together, sentence and stance ignoring party, and hedged on the rows found."""
    gold_rows = _gold_claims(gold, corpus)
    predicted = _predicted_claims(claims)
    pairs = _match(gold_rows, predicted, _same_claim)
    scores = [_score("claims: sentence+party+stance", gold_rows, predicted, pairs)]
    for stance in ("claim", "denial", "non_denial"):
        g = [x for x in gold_rows if x.stance == stance]
        p = [x for x in predicted if x.stance == stance]
        scores.append(_score(f"claims: {stance}", g, p, _match(g, p, _same_claim)))
    g = [x for x in gold_rows if x.stance in STANCE_KINDS]
    p = [x for x in predicted if x.stance in STANCE_KINDS]
    scores.append(_score("stances: denial+non_denial", g, p, _match(g, p, _same_claim)))
    loose_gold = sorted({(x.article_id, x.span or (-1, -1), x.stance) for x in gold_rows})
    loose_pred = sorted({(x.article_id, x.span, x.stance) for x in predicted})
    scores.append(_score("claims: sentence+stance (any party)", loose_gold, loose_pred,
                         _match(loose_gold, loose_pred, lambda a, b: a == b)))
    hedge_agree = sum(1 for gi, pi in pairs if gold_rows[gi].hedged == predicted[pi].hedged)
    scores.append(Score("claims: hedged agrees (on found)", len(pairs), len(pairs), hedge_agree, hedge_agree))
    return scores


@dataclass(frozen=True)
class Figure:
    """A figure, gold or predicted: its sentence, phrase offsets (-1 when the gold phrase was
    not found in its sentence), kind, party, qualifier and numbers (None for vague)."""

    article_id: str
    span: Span
    start: int
    end: int
    kind: str
    party: str
    qualifier: str
    low: float | None
    high: float | None
    phrase: str = ""


def _number(value) -> float | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or str(value) == "":
        return None
    return float(value)


def _gold_figures(gold: pd.DataFrame, corpus: Corpus) -> list[Figure]:
    bodies = {a.article_id: a for a in corpus.articles}
    figures = []
    for row in gold.itertuples(index=False):
        if row.kind not in SCORED_KINDS:
            continue
        span = _sentence_of(corpus, row.article_id, row.sentence_key)
        start = -1
        if span is not None:
            start = bodies[row.article_id].body_norm.find(normalise_for_matching(str(row.phrase)), span[0], span[1])
        end = start + len(str(row.phrase)) if start >= 0 else -1
        party = "" if pd.isna(row.party) else str(row.party)
        figures.append(Figure(row.article_id, span, start, end, row.kind, party, row.qualifier,
                              _number(row.low), _number(row.high), str(row.phrase)))
    return figures


def _predicted_figures(estimates: pd.DataFrame, corpus: Corpus) -> list[Figure]:
    spans = _sentence_spans(corpus)
    figures = []
    for r in estimates.itertuples(index=False):
        if _SCORED_AS.get(r.kind, r.kind) not in SCORED_KINDS:
            continue
        span = next(((s, e) for s, e in spans.get(r.article_id, []) if s <= r.start < e), None)
        figures.append(Figure(r.article_id, span, int(r.start), int(r.end), r.kind, r.party or "", r.qualifier,
                              _number(r.low), _number(r.high), str(r.phrase)))
    return figures


# The guidelines annotate a previous estimate as the current figure it was when given; the
# extraction's `earlier` refines that kind, so it is scored as `current`.
_SCORED_AS = {"earlier": "current"}


def _same_figure(g: Figure, p: Figure) -> bool:
    return g.article_id == p.article_id and g.span is not None and g.span == p.span \
        and g.kind == _SCORED_AS.get(p.kind, p.kind) and (g.low, g.high) == (p.low, p.high)


def _overlapping(g: Figure, p: Figure) -> bool:
    return g.article_id == p.article_id and 0 <= g.start < p.end and p.start < g.end


def score_estimates(estimates: pd.DataFrame, gold: pd.DataFrame, corpus: Corpus) -> list[Score]:
    """Figures (current/projected/casualties): found by kind and numbers, party on those found,
    found by overlap, and kind, party, qualifier and low/high agreement on the overlaps."""
    gold_rows = _gold_figures(gold, corpus)
    predicted = _predicted_figures(estimates, corpus)
    pairs = _match(gold_rows, predicted, lambda g, p: _same_figure(g, p) and g.party == p.party, _same_figure)
    scores = [_score("figures: kind+numbers", gold_rows, predicted, pairs)]
    party_right = sum(1 for gi, pi in pairs if gold_rows[gi].party == predicted[pi].party)
    scores.append(Score("figures: party right (on found)", len(pairs), len(pairs), party_right, party_right))
    overlaps = _match(gold_rows, predicted, _overlapping)
    scores.append(_score("figures: overlap", gold_rows, predicted, overlaps))
    for name, attribute in (("kind", "kind"), ("party", "party"), ("qualifier", "qualifier")):
        agree = sum(1 for gi, pi in overlaps
                    if getattr(gold_rows[gi], attribute) == getattr(predicted[pi], attribute))
        scores.append(Score(f"figures: {name} agrees (on overlap)", len(overlaps), len(overlaps), agree, agree))
    values = sum(1 for gi, pi in overlaps if (gold_rows[gi].low, gold_rows[gi].high) ==
                 (predicted[pi].low, predicted[pi].high))
    scores.append(Score("figures: low/high agree (on overlap)", len(overlaps), len(overlaps), values, values))
    return scores


def _read_gold(base: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    gold_claims = pd.read_csv(base / "claims.csv", dtype=str, keep_default_na=False)
    gold_estimates = pd.read_csv(base / "estimates.csv", dtype={"phrase": str, "party": str},
                                 keep_default_na=False, na_values={"low": [""], "high": [""]})
    return gold_claims, gold_estimates


@dataclass
class Evaluation:
    """The scores of one annotated set and the rows behind its errors."""

    folder: Path
    scores: pd.DataFrame
    misses: list[Miss]

    def measure(self, name: str) -> pd.Series:
        return self.scores.set_index("measure").loc[name]


def _sentence_text(corpus: Corpus, article_id: str, span: Span) -> str:
    article = next((a for a in corpus.articles if a.article_id == article_id), None)
    if article is None or span is None:
        return "(sentence not found)"
    return " ".join(article.body[span[0]:span[1]].split())


def _misses(corpus: Corpus, claims: pd.DataFrame, estimates: pd.DataFrame, gold_claims: pd.DataFrame,
            gold_estimates: pd.DataFrame) -> list[Miss]:
    misses: list[Miss] = []
    gold_rows, predicted = _gold_claims(gold_claims, corpus), _predicted_claims(claims)
    pairs = _match(gold_rows, predicted, _same_claim)
    found_gold, found_predicted = {g for g, _ in pairs}, {p for _, p in pairs}
    for i, g in enumerate(gold_rows):
        if i not in found_gold:
            others = [f"{p.party} {p.stance}" for p in predicted if p.article_id == g.article_id and p.span == g.span]
            misses.append(Miss("claims", "missed", g.article_id, _sentence_text(corpus, g.article_id, g.span),
                               f"{g.party} {g.stance}; predicted here: {', '.join(others) or 'nothing'}"))
    for i, p in enumerate(predicted):
        if i not in found_predicted:
            misses.append(Miss("claims", "extra", p.article_id, _sentence_text(corpus, p.article_id, p.span),
                               f"{p.party} {p.stance}"))
    figures, predicted_figures = _gold_figures(gold_estimates, corpus), _predicted_figures(estimates, corpus)
    pairs = _match(figures, predicted_figures, lambda g, p: _same_figure(g, p) and g.party == p.party, _same_figure)
    found_gold, found_predicted = {g for g, _ in pairs}, {p for _, p in pairs}
    for gi, pi in pairs:
        g, p = figures[gi], predicted_figures[pi]
        if g.party != p.party:
            misses.append(Miss("estimates", "party", g.article_id, _sentence_text(corpus, g.article_id, g.span),
                               f"{g.phrase!r} party {g.party or '-'}, predicted {p.party or '-'}"))
    for i, g in enumerate(figures):
        if i not in found_gold:
            others = [f"{p.phrase!r} {p.kind} {p.low}-{p.high} {p.party or '-'}" for p in predicted_figures
                      if p.article_id == g.article_id and p.span == g.span]
            misses.append(Miss("estimates", "missed", g.article_id, _sentence_text(corpus, g.article_id, g.span),
                               f"{g.phrase!r} {g.kind} {g.low}-{g.high} {g.party or '-'}; "
                               f"predicted here: {', '.join(others) or 'nothing'}"))
    for i, p in enumerate(predicted_figures):
        if i not in found_predicted:
            misses.append(Miss("estimates", "extra", p.article_id, _sentence_text(corpus, p.article_id, p.span),
                               f"{p.phrase!r} {p.kind} {p.low}-{p.high} {p.party or '-'}"))
    return misses


def set_topic(folder: Path) -> str | None:
    """The topic folder an annotated set belongs to: the folder holding it when the set is a
    topic's `examples/` (analysis/topics/<name>/examples), else None (the bundled topic)."""
    base = folder.resolve()
    if base.name == "examples" and (base.parent / "patterns.csv").is_file():
        return str(base.parent)
    return None


def evaluate_set(folder: str | Path, lexicon_dir: str | None = None, topic_dir: str | None = None) -> Evaluation:
    """Score the extraction on an annotated folder: every measure, and the errors behind them.
    `topic_dir`: the story's folder (default: set_topic(folder))."""
    base = Path(folder)
    corpus = load_corpus(base / "articles")
    claims, estimates = extract_frames(corpus, lexicon_dir, topic_dir=topic_dir or set_topic(base))
    gold_claims, gold_estimates = _read_gold(base)
    scores = score_claims(claims, gold_claims, corpus) + score_estimates(estimates, gold_estimates, corpus)
    return Evaluation(base, pd.DataFrame([s.row() for s in scores]),
                      _misses(corpus, claims, estimates, gold_claims, gold_estimates))


def evaluate(folder: str | Path, lexicon_dir: str | None = None, topic_dir: str | None = None) -> pd.DataFrame:
    """Score the extraction on an annotated folder -> one row per measure
    (measure, gold, predicted, precision, recall, f1)."""
    return evaluate_set(folder, lexicon_dir, topic_dir).scores


# The columns of the summary table: (heading, measure, what of it).
SUMMARY_COLUMNS = (
    ("figures P", "figures: kind+numbers", "precision"),
    ("figures R", "figures: kind+numbers", "recall"),
    ("figures F1", "figures: kind+numbers", "f1"),
    ("party", "figures: party right (on found)", "precision"),
    ("overlap F1", "figures: overlap", "f1"),
    ("stances P", "stances: denial+non_denial", "precision"),
    ("stances R", "stances: denial+non_denial", "recall"),
    ("stances F1", "stances: denial+non_denial", "f1"),
    ("claims P", "claims: claim", "precision"),
    ("claims R", "claims: claim", "recall"),
    ("claims F1", "claims: claim", "f1"),
    ("all rows F1", "claims: sentence+party+stance", "f1"),
)


def summary(evaluations: list[tuple[str, Evaluation]]) -> pd.DataFrame:
    """One row per labelled set, the headline measures as columns (SUMMARY_COLUMNS), plus the
    gold counts of figures and stances."""
    rows = []
    for label, evaluation in evaluations:
        scores = evaluation.scores.set_index("measure")
        row = {"set": label, "figures": int(scores.loc["figures: kind+numbers", "gold"]),
               "stances": int(scores.loc["stances: denial+non_denial", "gold"]),
               "claims": int(scores.loc["claims: claim", "gold"])}
        for heading, measure, field in SUMMARY_COLUMNS:
            row[heading] = float(scores.loc[measure, field])
        rows.append(row)
    return pd.DataFrame(rows)
