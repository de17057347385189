"""Step 2a: the claims table. Who asserts that North Korean troops are in Russia, who denies
it, and who pointedly does neither; one row per (sentence, party, stance), with evidence.

A row needs a speaker: the outlet's own unattributed narration is nobody's claim. Stance:
- `non_denial` when the speaker's words carry a non-denial cue ("did not deny", "declined to
  comment"), which always wins over a denial cue;
- `denial` when a denial verb's object is the troop reports ("dismissed the allegations",
  "denied sending troops") or the statement calls them a hoax, groundless, fake ...;
- `claim` otherwise, when the statement is about the topic.
`hedged` is true when the statement carries a hedge (likely, may, reportedly ...).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from operator import itemgetter
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is imported where frames are built: worker processes never need it
    import pandas as pd

from .attribution import (PRONOUN_WORDS, Attribution, SentenceReading, denies_other_sides_claims,
                          check_reasons, denial_object_is_topic, names_reports,
                          passive_subject_is_topic, figure_source)
from .lexicon import Lexicon
from .load import Article
from .schema import TABLES
from .tables import csv_lines
from .topic import Topic

CLAIM_COLUMNS = list(TABLES["claims"].columns)
REVIEW_VALUES = ("auto", "corrected", "added")  # how a row came to be: the rules, or a reviewer


def claim_row_id(article_id: str, sentence_start: int, party: str, stance: str) -> str:
    """A claim row's id: its article, where its sentence starts in the body, its party and
    stance ("seed_a-c4539-USA-claim"). It stays the same across runs, when other articles
    are added and when rules change without moving or changing the row."""
    return f"{article_id}-c{sentence_start}-{party}-{stance}"
STANCES = ("claim", "denial", "non_denial")


@dataclass(frozen=True, slots=True)
class Judgement:
    """The stance of one attribution and the words that set it."""

    stance: str
    cue: str
    cue_start: int   # sentence-relative; -1 when the cue is in another sentence
    cue_end: int
    hedge: str
    topic_carried: bool = False  # about the topic only through the sentences around it


# Denial words that are adjectives: before a noun they deny the reports only when the noun is one.
_ATTRIBUTIVE_CUES = {"fake", "fabricated", "baseless", "groundless", "unfounded", "absurd", "false"}
_REPORT_NOUNS = {"news", "report", "reports", "reporting", "claim", "claims", "allegation", "allegations",
                 "accusation", "accusations", "rumour", "rumours", "rumor", "rumors", "story", "stories",
                 "information", "speculation", "propaganda", "narrative", "narratives", "account", "accounts"}
# The word right after an adjective cue, with nothing but a space between ('"groundless" and' is
# predicative: the quote closes before the next word).
_NEXT_WORD = re.compile(r" +([A-Za-z]+)")
_FUNCTION_WORDS = {"and", "or", "but", "by", "to", "in", "on", "at", "from", "for", "with", "as", "that", "which",
                   "who", "said", "says", "the", "a", "an", "of", "after", "before", "while", "than"}


# What ties a statement to the one before: a word pointing back, or a count.
_GOES_ON = re.compile(r"\b(?:this|these|those|it|they|them|their|such|you|your|figure|figures|number|numbers|data|"
                      r"estimate|estimates)\b", re.IGNORECASE)
# "She said so at a forum in Warsaw": where a statement was made, not a new statement.
_META = re.compile(r"\s*(?:this|that|so|it)\s+(?:in|at|on|during|to|when|while|after|before|last|earlier)\b",
                   re.IGNORECASE)
# A continued statement that turns to another matter is no longer about the troops.
_OTHER_MATTER = re.compile(r"\b(?:sanctions?|economy|economic|oil|gas|grain|exports?|imports?|trade|tariffs?|"
                           r"elections?|banks?|currency|prices?|markets?|nuclear\s+(?:test|programme|program)|"
                           r"humanitarian|aid|ceasefire|peace|negotiations|energy|funding|reconstruction|"
                           r"contribution|climate)\b", re.IGNORECASE)
# What a refusal is about: "declined to comment [on whether any exports were discussed]".
_NON_DENIAL_SUBJECT = re.compile(r"\s+(?:on|about|whether|when|how|if)\b([^.;,\"“”]{0,100})", re.IGNORECASE)
# A refusal whose verb takes what it refuses as its object: "would not discuss the troops".
_TRANSITIVE_REFUSAL = re.compile(r"\b(?:disclose|discuss|confirm|confirmed|acknowledge|acknowledged)$", re.IGNORECASE)
_DIRECT_OBJECT = re.compile(r"(\s+(?:the|any|its|their|his|her|such|this|that|these|those|details|information)\b"
                            r"[^.;,\"“”]{0,100})", re.IGNORECASE)
_WHEN_NOT_WHAT = re.compile(r"\s*(?:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b|"
                            r"(?:January|February|March|April|May|June|July|August|September|October|November|"
                            r"December)\s+\d{1,2}\b|the\s+(?:same\s+)?day\b|\s*$)")
_ABOUT_REPORTS = re.compile(r"\b(?:reports?|claims?|allegations?|remarks|comments|statements?|"
                            r"(?:the|this|that)\s+(?:matter|issue|subject|topic)|"
                            r"briefing|assessment|findings|question|questions|prisoners|capture)\b|"
                            r"^\s*(?:it|them|this|that)\s*$",
                            re.IGNORECASE)


# "refused to comment on the figures": the counts of the story's own reports, unless they are
# counts of another matter ("the export figures").
_ABOUT_COUNTS = re.compile(r"\b(?:figures?|numbers?|estimates?|count|counts|tally|toll|casualties|losses)\b",
                           re.IGNORECASE)


def _denies_another_matter(before_word: str, topic: Topic) -> bool:
    """"called the new sanctions a provocation": what the denial word is said of is another
    matter (sanctions, the economy, talks ...), with neither the reports nor the troops named."""
    return bool(_OTHER_MATTER.search(before_word)) and not (
        names_reports(before_word, topic) or topic.names_subject(before_word) or topic.names_personnel(before_word))


def _denial_word(reading: SentenceReading, start: int, end: int, lex: Lexicon):
    """The first denial word of a statement (reading.text[start:end]) that is not part of a
    name ("Center for Countering Disinformation"), or None; offsets in the statement."""
    matches = reading.finditer(lex.denial_word_re, lex.openers["denial_word_re"], start, end)
    if not matches:
        return None
    scope = reading.text[start:end]
    names = [(m.start(), m.end()) for m in reading.finditer(lex.actor_re, lex.openers["actor_re"], start, end)]
    for match in matches:
        if any(s <= match.start() < e for s, e in names):
            continue
        following = _NEXT_WORD.match(scope, match.end())
        if following and match.group(0).lower() in _ATTRIBUTIVE_CUES and \
                following.group(1).lower() not in _REPORT_NOUNS | _FUNCTION_WORDS:
            continue  # "fake identity papers" describes papers, not the reports
        return match
    return None


def judge(reading: SentenceReading, attribution: Attribution, lex: Lexicon, topic: Topic,
          continues: bool = False, holds_figure: bool = False) -> Judgement | None:
    """Stance of one attribution in its sentence, or None when it is not a statement about the topic.

    `continues`: the speaker goes on from a statement about the topic in the sentence before
    ("He added that this ..."): the statement is about the topic unless it turns to materiel
    or another matter.
    `holds_figure`: a troop figure stands in the statement ("officials presume 1,500 more
    are in Russia"): it is about the topic."""
    text = reading.text
    scope_start, scope_end = attribution.scope_start, attribution.scope_end
    scope = text[scope_start:scope_end]
    hedge_match = reading.search(lex.hedge_re, lex.openers["hedge_re"], scope_start, scope_end)
    hedge = hedge_match.group(0) if hedge_match else ""
    sentence_subject = topic.names_subject(text)
    # A quote that goes on carries the topic only from a statement about it: in '"Images are
    # a serious thing. If there are images, they reflect something."' they are the images.
    context = reading.context_subject and (attribution.frame != "quote" or continues)
    about_topic = topic.is_about(scope, sentence_subject, context)
    if not about_topic and len(reading.attributions) == 1 and len(scope.split()) < 4:
        about_topic = topic.is_about(text, sentence_subject, context)
    about_topic = about_topic or holds_figure or attribution.subject_personnel
    if not about_topic and continues and not sentence_subject and len(scope.split()) >= 6 \
            and _GOES_ON.search(scope) and not _META.match(scope) and not topic.materiel.search(scope) \
            and not _OTHER_MATTER.search(scope):
        about_topic = True
    reports_mentioned = about_topic or reading.context_subject or sentence_subject
    topic_carried = not sentence_subject

    denial_word = _denial_word(reading, scope_start, scope_end, lex)
    non_denial = None
    if attribution.is_non_denial:
        non_denial = (attribution.cue, attribution.cue_start, attribution.cue_end)
    else:
        found = reading.search(lex.non_denial_re, lex.openers["non_denial_re"], scope_start, scope_end)
        # "called it fake news and said he had nothing to add": a denial word outside the
        # non-denial phrase stands (one inside it, "did not call it fake", does not).
        denial_outside = bool(found and denial_word and not found.start() <= denial_word.start() < found.end())
        if found and not denial_outside:
            start = attribution.scope_start + found.start()
            non_denial = (text[start:start + len(found.group(0))], start, start + len(found.group(0)))
    if non_denial and attribution.is_non_denial and denial_word and reports_mentioned \
            and not denies_other_sides_claims(scope[:denial_word.start()], topic) \
            and not _OTHER_MATTER.search(scope):
        # "would not comment on the fabrications of the Kyiv regime": what the refusal names,
        # it calls false (not so "the fake news about sanctions": another matter).
        start = attribution.scope_start + denial_word.start()
        end = attribution.scope_start + denial_word.end()
        return Judgement("denial", reading.sentence.text[start:end], start, end, "", topic_carried)
    if non_denial:
        # "Asked about the prisoners, Peskov said he could not comment": the question sets the topic.
        if not (reports_mentioned or topic.names_personnel(text)):
            return None
        subject = _NON_DENIAL_SUBJECT.match(text, non_denial[2]) if non_denial[2] >= 0 else None
        if subject is None and non_denial[2] >= 0 and _TRANSITIVE_REFUSAL.search(non_denial[0]):
            subject = _DIRECT_OBJECT.match(text, non_denial[2])  # "would not disclose [the timing of the talks]"
        if subject and _WHEN_NOT_WHAT.match(subject.group(1)):
            subject = None  # "declined to comment on Friday": when, not what about
        if subject and not (topic.names_subject(subject.group(1)) or topic.names_personnel(subject.group(1))
                            or _ABOUT_REPORTS.search(subject.group(1))
                            or (_ABOUT_COUNTS.search(subject.group(1)) and not _OTHER_MATTER.search(subject.group(1)))):
            return None  # "declined to comment on the timing": a refusal about something else
        cue, start, end = non_denial
        return Judgement("non_denial", reading.sentence.text[start:end] if start >= 0 else cue, start, end, "", topic_carried)

    if attribution.is_denial_verb:
        if attribution.frame == "by":   # "a claim denied by Moscow": the object comes first
            object_is_topic = denial_object_is_topic(text, len(text), topic, text[:attribution.cue_start]) or \
                passive_subject_is_topic(text[:attribution.cue_start], topic)
        elif attribution.frame == "noun":  # "Russian denials", "Moscow's denial"
            object_is_topic = True
        else:
            object_is_topic = denial_object_is_topic(text, attribution.cue_end, topic, text[:max(0, attribution.speaker_start)])
        if not (reports_mentioned and object_is_topic):
            return None  # "Kyiv denied that its troops had withdrawn", "deny access"
        if denial_word:
            start = attribution.scope_start + denial_word.start()
            end = attribution.scope_start + denial_word.end()
            return Judgement("denial", reading.sentence.text[start:end], start, end, "", topic_carried)
        return Judgement("denial", attribution.cue, attribution.cue_start, attribution.cue_end, "", topic_carried)
    if denial_word and reports_mentioned and not denies_other_sides_claims(scope[:denial_word.start()], topic) \
            and not _denies_another_matter(scope[:denial_word.start()], topic):
        start = attribution.scope_start + denial_word.start()
        end = attribution.scope_start + denial_word.end()
        return Judgement("denial", reading.sentence.text[start:end], start, end, "", topic_carried)
    if not about_topic:
        return None
    absent = topic.rules.absence.search(scope)
    if absent and not denies_other_sides_claims(scope[:absent.start()], topic):
        # "there are no North Korean soldiers here", "they are workers, not soldiers": the
        # speaker's own words deny the subject is there.
        start, end = attribution.scope_start + absent.start(), attribution.scope_start + absent.end()
        return Judgement("denial", reading.sentence.text[start:end], start, end, "", topic_carried)
    return Judgement("claim", attribution.cue, attribution.cue_start, attribution.cue_end, hedge, topic_carried)


def article_claims(article: Article, readings: list[SentenceReading], lex: Lexicon, topic: Topic,
                   figures: set[tuple[int, int]] | frozenset[tuple[int, int]] = frozenset()) -> list[dict]:
    """Claim rows of one article (one per sentence, party and stance). `figures`: the body
    (start, end) offsets of its troop figures (estimates.article_estimates): a statement holding one is
    about the troops."""
    rows: list[dict] = []
    previous: tuple[int, set[str], set[str]] | None = None  # paragraph, parties and speakers of the last topic row
    for reading in readings:
        sentence = reading.sentence
        merged: dict[tuple[str, str], dict] = {}
        judged = [(a, judge(reading, a, lex, topic, _continues(a, reading, previous),
                            _holds_figure(a, reading, figures)))
                  for a in reading.attributions if not a.relayed]
        # A speaker who calls the reports fake and then "he had nothing to add" has denied them.
        deniers = [a for a, j in judged if j is not None and j.stance == "denial" and not a.background]
        for attribution, judgement in judged:
            if judgement is None or (judgement.stance == "non_denial" and any(
                    d.speaker == attribution.speaker or (attribution.speaker.lower() in PRONOUN_WORDS
                                                         and set(d.parties) & set(attribution.parties))
                    for d in deniers)):
                continue
            for party in attribution.parties:
                key = (party, judgement.stance)
                if key in merged:
                    row = merged[key]
                    if attribution.speaker not in row["speaker"].split("; "):
                        row["speaker"] += "; " + attribution.speaker
                    row["hedged"] = row["hedged"] or bool(judgement.hedge)
                    row["hedge"] = row["hedge"] or judgement.hedge
                    continue
                offset = sentence.start
                merged[key] = {
                    "row_id": claim_row_id(article.article_id, sentence.start, party, judgement.stance),
                    "article_id": article.article_id,
                    "date": article.date,
                    "sentence_no": sentence.sentence_no,
                    "speaker": attribution.speaker,
                    "party": party,
                    "stance": judgement.stance,
                    "hedged": bool(judgement.hedge),
                    "hedge": judgement.hedge,
                    "cue": judgement.cue,
                    "attribution": attribution.frame,
                    "sentence": sentence.text,
                    "start": sentence.start,
                    "end": sentence.end,
                    "cue_start": offset + judgement.cue_start if judgement.cue_start >= 0 else -1,
                    "cue_end": offset + judgement.cue_end if judgement.cue_start >= 0 else -1,
                    "check": check_reasons(attribution, judgement.topic_carried,
                                           reading.text[attribution.scope_start:attribution.scope_end]),
                    "review": "auto",
                }
        rows.extend(merged.values())
        previous = (sentence.paragraph_no, {row["party"] for row in merged.values()},
                    {a.speaker for a, j in judged if j is not None}) if merged else None
    return rows


def _holds_figure(attribution: Attribution, reading: SentenceReading,
                  figures: set[tuple[int, int]] | frozenset[tuple[int, int]]) -> bool:
    """True when a troop figure starts inside the attribution's statement, or the attribution
    is the figure's own source named right after it ("the 8,000 that US officials reported")."""
    if not figures:
        return False
    sentence_start = reading.sentence.start
    start, end = sentence_start + attribution.scope_start, sentence_start + attribution.scope_end
    return any(start <= offset < end for offset, _ in figures) or any(
        sentence_start <= figure_start and figure_end <= reading.sentence.end
        and figure_source(reading, figure_end - sentence_start) is attribution for figure_start, figure_end in figures)


def _continues(attribution: Attribution, reading: SentenceReading,
               previous: tuple[int, set[str], set[str]] | None) -> bool:
    """True when the attribution's speaker goes on from the topic statement of the sentence
    just before, in the same paragraph or the next: the same speaker again, or a pronoun, a
    description or a continued quote for a speaker of the same party."""
    if previous is None or reading.sentence.paragraph_no - previous[0] > 1:
        return False
    if attribution.speaker in previous[2] or attribution.speaker.split()[-1:] in [p.split()[-1:] for p in previous[2]]:
        return True  # the same speaker again ("Russian President Vladimir Putin" ... "Putin said")
    return bool(attribution.carried) and bool(set(attribution.parties) & previous[1])




CLAIM_ORDER = TABLES["claims"].sort


def rows_to_csv(rows: Iterable[dict], raw: bool = False) -> str:
    """Claim rows -> the lines of claims.csv they make (no header), in the table's order:
    the same text `rows_to_frame` and `tables.write_csv` give, without building a frame."""
    ordered = sorted(rows, key=itemgetter(*CLAIM_ORDER))
    return csv_lines(([row[column] for column in CLAIM_COLUMNS] for row in ordered), raw)


def rows_to_frame(rows: Iterable[dict]) -> pd.DataFrame:
    """Claim rows -> DataFrame with CLAIM_COLUMNS, sorted by article, sentence, party, stance."""
    import pandas as pd

    frame = pd.DataFrame(list(rows), columns=CLAIM_COLUMNS)
    frame = frame.sort_values(list(CLAIM_ORDER), kind="stable")
    frame = frame.astype(TABLES["claims"].frame_types())
    return frame.reset_index(drop=True)


def _date_key(frame: pd.DataFrame) -> pd.Series:
    return frame["date"].where(frame["date"] != "", "9999-99-99")


def stance_matrix(claims: pd.DataFrame) -> pd.DataFrame:
    """Party x stance counts (all three stances as columns, parties sorted, a total column)."""
    import pandas as pd

    matrix = pd.crosstab(claims["party"], claims["stance"]).reindex(columns=list(STANCES), fill_value=0)
    matrix["total"] = matrix.sum(axis=1)
    matrix.columns.name = None
    return matrix.sort_index()


def first_and_last(claims: pd.DataFrame) -> pd.DataFrame:
    """For each party: what it said first and last (by article date, then article and sentence).

    Columns: party, n_rows, first_date, first_stance, first_article, first_sentence, last_date,
    last_stance, last_article, last_sentence. Undated rows sort after dated ones."""
    import pandas as pd

    columns = ["party", "n_rows", "first_date", "first_stance", "first_article", "first_sentence",
               "last_date", "last_stance", "last_article", "last_sentence"]
    if claims.empty:
        return pd.DataFrame(columns=columns)
    ordered = claims.assign(_key=_date_key(claims)).sort_values(
        ["party", "_key", "article_id", "sentence_no"], kind="stable")
    rows = []
    for party, group in ordered.groupby("party", sort=True):
        first, last = group.iloc[0], group.iloc[-1]
        rows.append([party, len(group), first["date"], first["stance"], first["article_id"], first["sentence"],
                     last["date"], last["stance"], last["article_id"], last["sentence"]])
    return pd.DataFrame(rows, columns=columns)


def stance_summary(claims: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Claims table -> (party x stance counts, each party's first and last statement)."""
    return stance_matrix(claims), first_and_last(claims)
