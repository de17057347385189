"""Step 2b: the estimates table. Every figure about North Korean military personnel, parsed
into (low, high, qualifier), classified by kind and attributed like the claims table.

A number becomes a row when it counts people (a personnel word follows it, or it stands alone
in a statement about North Korean troops: "their numbers expected to rise to around 12,000")
and nothing marks it as something else: a unit ("30 km", "40 percent", "$2 billion"), a year
or a date, or another force ("1,200 Russian casualties", "50,000 Russian and North Korean
troops"). Kinds, in order of precedence:
- `casualties`: killed, wounded, captured, missing ... near the figure;
- `context`: about North Korean personnel but no deployment count (army size, "every 30
  soldiers", deserters);
- `projected`: expected, planned, could rise to, will send ... in the clause before the figure;
- `current`: everything else (present now, already sent, "another 1,500").
The words behind each decision are in `lexicon/estimate_terms.csv`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is imported where frames are built: worker processes never need it
    import pandas as pd

from .attribution import Attribution, SentenceReading
from .lexicon import LexiconError, Openers, _rows, _word_pattern, is_word_char, load_lexicon
from .load import Article
from .numbers import NumberPhrase, find_number_phrases
from .tables import csv_lines
from .topic import _OTHER_FORCE, Topic

ESTIMATE_COLUMNS = [
    "article_id", "date", "sentence_no", "party", "speaker", "kind", "low", "high", "qualifier",
    "band_low", "band_high", "phrase", "hedged", "hedge", "cue", "attribution", "sentence",
    "start", "end",
]
KINDS = ("current", "projected", "casualties", "context")
CHARTED_KINDS = ("current", "projected", "casualties")  # context figures are not deployment counts

_MONTHS = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s*$")
_CURRENCY_BEFORE = re.compile(r"(?:[$€£₩¥]|\bUSD|\bUS\$|\bKRW)\s*$")
_CLAUSE_BREAK = re.compile(r"[,;:()]|\s(?:while|but|and|whereas|although|though)\s|--|\u2014")
_TIME_AFTER = re.compile(r"\s*(?::\d|(?:a\.m\.|p\.m\.|am\b|pm\b|GMT|UTC|BST))", re.IGNORECASE)  # match(text, pos)
_NUMBER_WORD_START = re.compile(r"\d")
# Sentence-relative: "1.2 million-strong army", "12,000-strong contingent".
_STRONG = re.compile(r"^\s*-?\s*strong\s+(\w+)", re.IGNORECASE)


# Where the words after a number stop describing what it counts: "10,000 [troops] in Kursk",
# "the 8,000 [] it reported", "a total of 10,000 [] by December", "the 10,000 [] cited by".
_NOUN_PHRASE_END = re.compile(
    r"[,.;:()]|\b(?:in|to|at|on|from|by|within|over|before|after|during|since|until|as|last|this|next|who|that|"
    r"which|were|are|was|is|have|had|has|will|would|could|may|might|it|they|he|she|we|cited|reported|given|"
    r"quoted|estimated|announced|put|and\s+\d)\b")
_RANKS = re.compile(r"\s*(?:\w+\s+){0,2}?(?:generals?|officers?|commanders?|colonels?|interpreters?)\b", re.IGNORECASE)
# A sentence that speaks of a count: its bare numbers are counts ("puts the figure at about
# 11,000, while Kyiv says there are nearly 12,000").
_COUNT_WORDS = re.compile(r"\b(?:estimate|estimates|figure|number|total|tally|count|toll|contingent|force)\b",
                          re.IGNORECASE)
# "decided to send roughly 12,000", "preparing to send more troops, possibly several thousand"
_FUTURE_SEND = re.compile(
    r"\b(?:to|will|would|could|may|might|shall)\s+(?:\w+\s+)?(?:send|dispatch|deploy|be\s+sent|be\s+deployed|"
    r"rise|increase|grow|reach|rotate)\b|\b(?:plans?|planning|preparing|prepares|intends?|decided)\s+to\b",
    re.IGNORECASE)
# "3,000 more soldiers could be sent", "a few thousand more to arrive"
_FUTURE_AFTER = re.compile(
    r"\b(?:could|would|will|may|might)\s+(?:\w+\s+)?(?:be\s+)?(?:sent|deployed|dispatched|moved|transferred|"
    r"rotated|brought|arrive|join|follow)\b|"
    r"\bto\s+(?:be\s+sent|be\s+deployed|be\s+moved|arrive|follow|join)\b|^\s*(?:more\s+)?(?:are|is)\s+expected\b|"
    r"\b(?:due|set|scheduled|slated|expected|poised)\s+to\b",
    re.IGNORECASE)
_ALREADY = re.compile(r"\b(?:already|have\s+been|has\s+been|had\s+been|are\s+now|currently)\b", re.IGNORECASE)


@dataclass(frozen=True)
class EstimateTerms:
    """Compiled word lists of estimate_terms.csv, one pattern per role."""

    personnel: re.Pattern
    unit: re.Pattern
    other_force: re.Pattern
    casualties: re.Pattern
    projected: re.Pattern
    current: re.Pattern
    context: re.Pattern


@functools.lru_cache(maxsize=8)
def load_estimate_terms(folder: str | None = None) -> EstimateTerms:
    """Read estimate_terms.csv from the lexicon folder (default: the package's own)."""
    base = Path(load_lexicon(folder).folder)
    rows = _rows(base / "estimate_terms.csv", ("term", "role"))
    by_role: dict[str, list[str]] = {}
    for row in rows:
        by_role.setdefault(row["role"], []).append(row["term"])
    missing = [r for r in EstimateTerms.__dataclass_fields__ if r not in by_role]
    if missing:
        raise LexiconError(f"{base / 'estimate_terms.csv'}: no terms for role(s) {', '.join(missing)}")
    patterns = {}
    for role in EstimateTerms.__dataclass_fields__:
        words = by_role[role]
        # "%" has no word boundary; it must follow the number directly.
        literal = [w for w in words if w.isalpha() or " " in w or "-" in w]
        pattern = _word_pattern(literal)
        if "%" in words:
            pattern = re.compile(rf"%|{pattern.pattern}", re.IGNORECASE)
        patterns[role] = pattern
    return EstimateTerms(**patterns)


def _clause_before(text: str, start: int, words: int = 10) -> str:
    """The words of the same clause before `start` (at most `words` words)."""
    head = text[:start]
    breaks = list(_CLAUSE_BREAK.finditer(head))
    if breaks:
        head = head[breaks[-1].end():]
    return " ".join(head.split()[-words:])


def _clause_after(text: str, end: int, words: int = 8) -> str:
    tail = text[end:]
    found = _CLAUSE_BREAK.search(tail)
    if found:
        tail = tail[:found.start()]
    return " ".join(tail.split()[:words])


_YEAR = re.compile(r"(?:19|20)\d\d")
_MONTH_AFTER = re.compile(r"\s*(?:January|February|March|April|May|June|July|August|September|October|November|"
                          r"December|Jan\.|Feb\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)")
_ORDINAL_AFTER = re.compile(r"(?:st|nd|rd|th)\b")
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_CURRENCY_SIGNS = ("$", "€", "£", "₩", "¥")
# The text before a number is read through a window this wide; the patterns above decide when
# a word or a run of spaces reaches its edge.
_BEFORE_WINDOW = 24


def _month_before(text: str, start: int) -> bool:
    """True when a month name ("Oct", "Oct.", "October") ends right before `start`, spaces aside:
    `_MONTHS.search(text[:start])`, without scanning the whole sentence for every number."""
    lo = max(0, start - _BEFORE_WINDOW)
    head = text[lo:start].rstrip()
    if lo > 0 and len(head) < 12:
        return bool(_MONTHS.search(text[:start]))  # a long word or run of spaces reaches the window edge
    if head.endswith("."):
        head = head[:-1]
    letters = len(head) - len(head.rstrip("abcdefghijklmnopqrstuvwxyz"))
    capital = len(head) - letters - 1
    if capital < 0 and lo > 0:
        return bool(_MONTHS.search(text[:start]))  # the word began before the window
    if capital < 0 or not head[capital:].startswith(_MONTH_NAMES):
        return False
    before = lo + capital - 1
    return before < 0 or not is_word_char(text[before])


def _currency_before(text: str, start: int) -> bool:
    """True when a currency sign or code ends right before `start`, spaces aside:
    `_CURRENCY_BEFORE.search(text[:start])`, without scanning the whole sentence."""
    lo = max(0, start - _BEFORE_WINDOW)
    head = text[lo:start].rstrip()
    if lo > 0 and len(head) < 5:
        return bool(_CURRENCY_BEFORE.search(text[:start]))
    if head.endswith(_CURRENCY_SIGNS):
        return True
    if head.endswith(("USD", "KRW")):
        before = lo + len(head) - 4
        return before < 0 or not is_word_char(text[before])
    return False


def _markup_before(text: str, start: int) -> bool:
    """True for "alert(1)", "id=2": a word character and then "(", "[" or "=" right before the
    number (or before a newline there), what the pattern \\w[(\\[=]$ finds in text[:start]."""
    end = start - 1 if start and text[start - 1] == "\n" else start
    candidates = [start] if end == start else [start, end]
    return any(pos >= 2 and text[pos - 1] in "([=" and is_word_char(text[pos - 2]) for pos in candidates)


def _is_calendar(text: str, phrase: NumberPhrase) -> bool:
    """Years, dates and clock times."""
    digits = phrase.phrase.strip()
    if phrase.qualifier == "exact" and _YEAR.fullmatch(digits):
        return True
    if _month_before(text, phrase.start):
        return True
    if _MONTH_AFTER.match(text, phrase.end):
        return True
    if _ORDINAL_AFTER.match(text, phrase.end):
        return True
    return bool(_TIME_AFTER.match(text, phrase.end))


def personnel_figure(text: str, phrase: NumberPhrase, terms: EstimateTerms, topic: Topic,
                     about_nk: bool) -> bool:
    """True when the number phrase counts North Korean military personnel.

    `about_nk`: the sentence (or the one before) is about North Korean troops."""
    if _currency_before(text, phrase.start) or _is_calendar(text, phrase):
        return False
    if _markup_before(text, phrase.start):
        return False  # "alert(1)", "id=2": code or markup, not a count
    after = text[phrase.end:phrase.end + 60]
    after_words = " ".join(after.split()[:5])
    strong = _STRONG.match(after)
    first_after = after_words.split(" ")[0] if after_words else ""
    if after.startswith("%") or terms.unit.match(after.lstrip(" -")) or (
            first_after and terms.unit.fullmatch(first_after.strip(".,;:"))):
        return False
    before_words = " ".join(text[:phrase.start].split()[-6:])
    if _AGED_BEFORE.search(before_words):
        return False  # "aged 20 and 26"
    noun_phrase = _NOUN_PHRASE_END.split(after, maxsplit=1)[0]
    if terms.other_force.search(noun_phrase) or _OWN_FORCE.search(noun_phrase):
        return False  # "1,200 Russian casualties", "50,000 Russian and North Korean troops", "its own troops"
    if _OTHER_FORCE.search(f"{before_words} {phrase.phrase} {noun_phrase}"):
        return False  # "Moscow lost more than 1,500 soldiers"
    if _RATE.search(noun_phrase):
        return False  # a rate, not a count
    if terms.unit.search(noun_phrase) and not terms.personnel.search(noun_phrase):
        return False  # "3,000 artillery shells"
    names_nk = topic.names_subject(noun_phrase) or bool(_KOREANS.search(noun_phrase))
    if strong or terms.personnel.search(" ".join(noun_phrase.split()[:4])):
        return names_nk or about_nk
    # A figure standing alone counts people only in a statement about North Korean troops, and
    # only where something before it says so ("numbers expected to rise to", "estimated at").
    before = _clause_before(text, phrase.start, 6).lower().rstrip(' "\'')
    standalone = not noun_phrase.strip(' "\'') or _MORE_AFTER.match(noun_phrase)
    if standalone and phrase.qualifier != "vague" and (phrase.high or 0) < 100 \
            and not _OF_THEM.match(noun_phrase):
        return False  # a small bare number ("rose to 3") is no troop count without a noun
    if about_nk and standalone and (topic.names_personnel(text) or _COUNT_WORDS.search(text)):
        return bool(_COUNT_LEAD_IN.search(before)) or phrase.qualifier != "exact" or not before
    return False


# Patterns of personnel_figure and figure_kind, compiled once.
_AGED_BEFORE = re.compile(r"\b(?:aged|ages?|ages\s+of)\s+(?:\d+\s+(?:and|to))?\s*$", re.IGNORECASE)
_OWN_FORCE = re.compile(r"\b(?:its|their)\s+own\b")
_RATE = re.compile(r"\b(?:a|per|each)\s+(?:day|week|month)\b|\bdaily\b", re.IGNORECASE)
_KOREANS = re.compile(r"\bKoreans?\b")
_MORE_AFTER = re.compile(r"^[\s\"']*(?:more|others|of\s+them|so|or\s+so)\b")
_OF_THEM = re.compile(r"^[\s\"']*of\s+(?:them|those|whom)\b")
_CLAUSE_WORD = re.compile(r"\b(?:to|which|who|whom|that|while|whereas)\b")
_EVERY_BEFORE = re.compile(r"\b(?:every|per|each|for\s+every)\s*$", re.IGNORECASE)
_EVERY_AFTER = re.compile(r"\b(?:every|per|for\s+each)\s+\d", re.IGNORECASE)
_ARMY = re.compile(r"(?:army|military|armed)", re.IGNORECASE)
_DESERTERS = re.compile(r"\b(?:deserted|deserters|defected|defectors)\b", re.IGNORECASE)
_COUNT_LEAD_IN = re.compile(r"\b(?:to|at|of|reach|reached|total|totals|totalled|totaled|numbering|number|"
                            r"numbers|figure|estimated|some|about|around|another|than|least|many|in\s+the)\s*$")
_NUMBER_WORD = re.compile(r"(?i)\b(?:thousand|hundred|dozen|million|ten|twelve|eleven|handful|small number)")


# "About 1,500 more, it added, could be sent": the attribution is an aside inside the clause.
_PARENTHETICAL_ATTRIBUTION = re.compile(
    r",\s*(?:[\w'’.-]+\s+){1,5}?(?:said|says|added|adds|noted|told\s+\w+|stressed|warned|estimated|believes)\s*,",
    re.IGNORECASE)


def figure_kind(text: str, phrase: NumberPhrase, terms: EstimateTerms) -> str:
    """current / projected / casualties / context for a personnel figure in its sentence."""
    before = _clause_before(text, phrase.start, 8)
    tail = text[phrase.end:]
    aside = _PARENTHETICAL_ATTRIBUTION.search(tail)
    if aside and not tail[:aside.start()].strip(" ,").count(" ") > 2:
        tail = tail[:aside.start()] + " " + tail[aside.end():]
    after = _clause_after(tail, 0, 8)
    right_before = " ".join(text[:phrase.start].split()[-2:])
    # Casualty words count next to the figure ("3,000 killed", "killing or wounding some 200"),
    # not in a later clause ("3,000 fresh troops to replace those lost").
    own_clause = _CLAUSE_WORD.split(after, maxsplit=1)[0]
    near = f"{' '.join(before.split()[-4:])} {' '.join(own_clause.split()[:9])}"
    if terms.casualties.search(near):
        return "casualties"
    if _EVERY_BEFORE.search(right_before) or \
            _EVERY_AFTER.search(after):
        return "context"
    strong = _STRONG.match(text[phrase.end:phrase.end + 40])
    if strong and _ARMY.match(strong.group(1)):
        return "context"
    if terms.context.search(" ".join(after.split()[:4])) or (phrase.high or 0) >= 500_000:
        return "context"
    if (phrase.high or 0) < 100 and _RANKS.match(after):
        return "context"  # "including three generals": officers within the force, not its size
    if _DESERTERS.search(f"{before} {after}"):
        return "context"
    wide_before = " ".join(text[:phrase.start].split()[-12:])
    future = terms.projected.search(before) or _FUTURE_AFTER.search(after) or _FUTURE_SEND.search(wide_before)
    if future and not _ALREADY.search(f"{before} {after}"):
        return "projected"
    return "current"


def _attribution_for(reading: SentenceReading, offset: int) -> Attribution | None:
    """The innermost attribution whose statement covers `offset`; outlets relaying others last."""
    covering = [a for a in reading.attributions if a.scope_start <= offset < max(a.scope_end, a.scope_start + 1)]
    direct = [a for a in covering if not a.relayed]
    pool = direct or covering
    if pool:
        return max(pool, key=lambda a: a.scope_start)
    # A figure outside every statement's scope ("..., the Pentagon said, raising an estimate of
    # 3,000") still sits in an attributed sentence: it goes to the nearest speaker there.
    speakers = [a for a in reading.attributions if not a.relayed and a.cue_start >= 0]
    if not speakers:
        return None
    return min(speakers, key=lambda a: (abs(a.cue_start - offset), a.cue_start))


def article_estimates(article: Article, readings: list[SentenceReading], terms: EstimateTerms,
                      topic: Topic, hedge_re: re.Pattern, hedge_openers: Openers | None = None) -> list[dict]:
    """Estimate rows of one article: one per personnel figure, in text order. `hedge_openers`:
    the first words of hedge_re's phrases (Lexicon.openers), to skip sentences without any."""
    rows: list[dict] = []
    for reading in readings:
        text = reading.text
        if not _NUMBER_WORD_START.search(text) and not _NUMBER_WORD.search(text):
            continue
        about_nk = topic.names_subject(text) or reading.context_subject
        if not about_nk:
            continue
        sentence = reading.sentence
        for phrase in find_number_phrases(text):
            if not personnel_figure(text, phrase, terms, topic, about_nk):
                continue
            attribution = _attribution_for(reading, phrase.start)
            start, end = (attribution.scope_start, attribution.scope_end) if attribution else (0, len(text))
            hedge = hedge_re.search(text[start:end]) if reading.may_match(hedge_openers, start, end) else None
            rows.append({
                "article_id": article.article_id,
                "date": article.date,
                "sentence_no": sentence.sentence_no,
                "party": attribution.parties[0] if attribution else "",
                "speaker": attribution.speaker if attribution else "",
                "kind": figure_kind(text, phrase, terms),
                "low": phrase.low,
                "high": phrase.high,
                "qualifier": phrase.qualifier,
                "band_low": phrase.band_low,
                "band_high": phrase.band_high,
                "phrase": sentence.text[phrase.start:phrase.end],
                "hedged": bool(hedge),
                "hedge": hedge.group(0) if hedge else "",
                "cue": attribution.cue if attribution else "",
                "attribution": attribution.frame if attribution else "",
                "sentence": sentence.text,
                "start": sentence.start + phrase.start,
                "end": sentence.start + phrase.end,
            })
    return rows


FLOAT_COLUMNS = ("low", "high", "band_low", "band_high")  # float64 in the frame: 2000 is "2000.0"
ESTIMATE_ORDER = ("article_id", "start", "end")  # the table's sort order


def _csv_value(column: str, value):
    if column in FLOAT_COLUMNS and value is not None:
        return float(value)
    return value


def rows_to_csv(rows: Iterable[dict]) -> str:
    """Estimate rows -> the lines of estimates.csv they make (no header), in the table's order:
    the same text `rows_to_frame` and `tables.write_csv` give, without building a frame."""
    ordered = sorted(rows, key=itemgetter(*ESTIMATE_ORDER))
    return csv_lines([_csv_value(column, row[column]) for column in ESTIMATE_COLUMNS] for row in ordered)


def rows_to_frame(rows: Iterable[dict]) -> pd.DataFrame:
    """Estimate rows -> DataFrame with ESTIMATE_COLUMNS, sorted by article and offset."""
    import pandas as pd

    frame = pd.DataFrame(list(rows), columns=ESTIMATE_COLUMNS)
    frame = frame.astype({"sentence_no": "int64", "start": "int64", "end": "int64", "hedged": "bool",
                          **dict.fromkeys(FLOAT_COLUMNS, "float64")})
    return frame.sort_values(list(ESTIMATE_ORDER), kind="stable").reset_index(drop=True)


def estimates_table(corpus, lexicon_dir: str | None = None) -> pd.DataFrame:
    """Corpus -> the estimates table (columns ESTIMATE_COLUMNS), one row per personnel figure."""
    from .extract import extract_frames

    return extract_frames(corpus, lexicon_dir)[1]
