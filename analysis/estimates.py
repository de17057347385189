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
The words behind each decision are in the topic folder's `estimate_terms.csv`.
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

from .attribution import Attribution, SentenceReading, check_reasons, figure_source
from .lexicon import Gated, LexiconError, Openers, vocabulary_rows, word_pattern, is_word_char
from .load import Article
from .numbers import NumberPhrase, find_number_phrases
from .schema import TABLES
from .tables import csv_lines
from .paths import DEFAULT_TOPIC_DIR
from .topic import Topic

ESTIMATE_COLUMNS = list(TABLES["estimates"].columns)


def estimate_row_id(article_id: str, start: int, kind: str) -> str:
    """An estimate row's id: its article, where its phrase starts in the body and its kind
    ("seed_a-e4602-current"): the same across runs, added articles and rule changes that
    keep the figure where it is and what it is."""
    return f"{article_id}-e{start}-{kind}"
KINDS = ("current", "projected", "casualties", "context", "earlier")
# Context figures are not deployment counts and are not charted; earlier figures are charted
# apart (their own marker) but never count as a source's first or latest figure.
CHARTED_KINDS = ("current", "projected", "casualties", "earlier")
GROWTH_KINDS = ("current", "projected", "casualties")

_MONTHS = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s*$")
_CURRENCY_BEFORE = re.compile(r"(?:[$€£₩¥]|\bUSD|\bUS\$|\bKRW)\s*$")
_CLAUSE_BREAK = re.compile(r"[,;:()]|\s(?:while|but|and|whereas|although|though)\s|--|\u2014")
_TIME_AFTER = re.compile(r"\s*(?::\d|(?:a\.m\.|p\.m\.|am\b|pm\b|GMT|UTC|BST))", re.IGNORECASE)  # match(text, pos)
# Sentence-relative: "1.2 million-strong army", "12,000-strong contingent".
_STRONG = re.compile(r"^\s*-?\s*strong\s+(\w+)", re.IGNORECASE)


# Where the words after a number stop describing what it counts: "10,000 [troops] in Kursk",
# "the 8,000 [] it reported", "a total of 10,000 [] by December", "the 10,000 [] cited by".
_NOUN_PHRASE_END = re.compile(
    r"[,.](?!\d)|[;:()]|\b(?:in|to|at|on|from|by|within|over|before|after|during|since|until|as|last|this|next|who|that|"
    r"which|were|are|was|is|have|had|has|will|would|could|may|might|it|they|he|she|we|cited|reported|given|"
    r"quoted|estimated|announced|put|while|whereas|against|alongside|along|near|with|for|fighting|including|among|"
    r"and\s+\d)\b")
_RANKS = re.compile(r"\s*(?:\w+\s+){0,2}?(?:generals?|officers?|commanders?|colonels?|interpreters?)\b", re.IGNORECASE)
# A sentence that speaks of a count: its bare numbers are counts ("puts the figure at about
# 11,000, while Kyiv says there are nearly 12,000").
_COUNT_WORDS = re.compile(r"\b(?:estimate|estimates|figure|number|total|tally|count|toll|contingent|force)\b",
                          re.IGNORECASE)
# "decided to send roughly 12,000", "preparing to send more troops, possibly several thousand"
_FUTURE_SEND = Gated(re.compile(
    r"\b(?:to|will|would|could|may|might|shall)\s+(?:\w+\s+)?(?:send|dispatch|deploy|be\s+sent|be\s+deployed|"
    r"rise|increase|grow|reach|rotate)\b|\b(?:plans?|planning|preparing|prepares|intends?|decided)\s+to\b|"
    r"\b(?:discuss(?:ed|es|ing)?|consider(?:ed|s|ing)?|weigh(?:ed|s|ing)?|talks?\s+(?:on|about)|"
    r"proposals?\s+(?:on|for))\s+(?:\w+\s+)?(?:sending|dispatching|deploying)\b",
    re.IGNORECASE),
                     ('send', 'sent', 'dispatch', 'deploy', 'rise', 'increase', 'grow', 'reach', 'rotate', 'plan', 'prepar', 'intend', 'decided'))
# "3,000 more soldiers could be sent", "a few thousand more to arrive", "the first 1,200 soldiers will head to the border"
_FUTURE_AFTER = re.compile(
    r"\b(?:could|would|will|may|might)\s+(?:\w+\s+)?(?:be\s+)?(?:sent|deployed|dispatched|moved|transferred|"
    r"rotated|brought|arrive|join|follow|deploy|go|head|travel|move|leave|depart|enter|be\s+used)\b|"
    r"\bto\s+(?:be\s+sent|be\s+deployed|be\s+moved|arrive|follow|join)\b|^\s*(?:more\s+)?(?:are|is)\s+expected\b|"
    r"\b(?:due|set|scheduled|slated|expected|poised)\s+to\b",
    re.IGNORECASE)
# "could have sent", "may already have arrived": a guess about the past, not a plan.
_MODAL_PERFECT = re.compile(r"\b(?:could|may|might|would|must|should)\s+(?:\w+\s+)?have\b", re.IGNORECASE)
# "Pyongyang sent some 800 engineers to the border to help ...": already sent, whatever follows.
_SENT_BEFORE = Gated(re.compile(r"\b(?:sent|deployed|dispatched|transferred|(?:has|have|had)\s+(?:already\s+)?"
                          r"(?:sent|deployed|dispatched))\s+(?:\w+\s+)?$", re.IGNORECASE),
                     ('sent', 'deployed', 'dispatched', 'transferred'))
# "They will reinforce the 9,000 troops posted there in spring": a definite group already there.
_THE_BEFORE = re.compile(r"\b(?:the|those|these)\s+$", re.IGNORECASE)
_SENT_AFTER = Gated(re.compile(r"^\s*(?:[\w-]+\s+){0,3}?(?:(?:who|that)\s+(?:were|had\s+been|have\s+been)\s+)?"
                         r"(?:sent|deployed|dispatched|stationed|already)\b", re.IGNORECASE),
                    ('sent', 'deployed', 'dispatched', 'stationed', 'already'))
# A figure the text presents as a previous estimate: "up from an earlier estimate of 3,000",
# "previous assessments of 10,000", "the 8,000 cited earlier".
_EARLIER_BEFORE = Gated(re.compile(
    r"\b(?:(?:up|down|rising|risen|rose|raised|revised|increased)\s+from\s+(?:an?\s+|the\s+|its\s+|their\s+)?"
    r"(?:(?:earlier|previous|prior|initial|original|first)\s+)?(?:(?:estimates?|figures?|assessments?|counts?|tally)"
    r"\s+(?:of\s+)?)?|"
    r"(?:earlier|previous|prior|initial|original|older)\s+(?:\w+\s+)?(?:estimates?|assessments?|figures?|counts?|tally|"
    r"reports?)\s+(?:of|at|(?:had\s+|that\s+)?(?:put|placed|gave|cited)\s+(?:it|the\s+\w+|their\s+\w+)?\s*at)\s+|"
    r"\bthan\s+(?:the|an?)\s+(?:earlier|previous|initial|original)\s+(?:\w+\s+)?(?:of\s+)?|"
    # "had risen to 12,000 from the 10,000 cited last week"
    r"\b(?:risen|rose|rising|rise|grown|grew|growing|increased|climbed|jumped)\s+to\s+(?:[^,;]|,(?=\d)){1,30}?\s+from\s+"
    r"(?:an?\s+|the\s+|its\s+|their\s+)?)$",
    re.IGNORECASE),
                        ('from', 'earlier', 'previous', 'prior', 'initial', 'original', 'older', 'than'))
_EARLIER_AFTER = Gated(re.compile(
    r"^\s*(?:[\w-]+\s+){0,3}?(?:estimated|reported|cited|given|announced|thought)\s+(?:earlier|previously|before|"
    r"last\s+(?:week|month|year))\b", re.IGNORECASE),
                       ('earlier', 'previously', 'before', 'last'))
# The figure is the value of a casualty count: "the toll had reached around 1,100", "losses exceeding 3,800",
# "the number of soldiers killed in combat at 3,000". The casualty word must not be followed
# by a movement verb before the figure ("despite losses, the deployment grew to 12,000").
_VALUE_LEAD_IN = re.compile(
    r"\b(?:at|to|of|reached|reaching|reach|exceeded|exceeding|exceeds|surpassed|topped|totalled|totaled|totalling|"
    r"totaling|hit|passed|is|was|were|are|stood\s+at|stands\s+at|now\s+at|as\s+high\s+as)\s*$", re.IGNORECASE)
# Between a casualty word and a figure, words that make the figure a movement of troops
# (sending), or of the count itself (growth: not after "the number of ... killed").
_SENDING_WORDS = "sent|send|sending|deployed|deploy|deployment|dispatched|arrived"
_SENDING_BETWEEN = re.compile(rf"\b(?:{_SENDING_WORDS})\b|,", re.IGNORECASE)
_MOVEMENT_BETWEEN = re.compile(rf"\b(?:{_SENDING_WORDS}|grew|rose|risen|increased)\b|,", re.IGNORECASE)
_COUNT_OF = re.compile(r"\b(?:number|count|toll|tally|total)\s+of\b", re.IGNORECASE)
# "1,300 troops moved to the border region are now thought to have been killed", "seven sappers
# who were killed": the figure's own predicate is a casualty, past a reduced relative clause.
_CASUALTY_PREDICATE = Gated(re.compile(
    r"^(?:(?!\b(?:after|before|while|when|since|because|and|but|as|where|than)\b)[^,;.\d\"“”]){0,80}?"
    r"\b(?:(?:who|that|which)\s+)?(?:are|were|is|was|have|has|had|been)\s+"
    r"(?:(?:been|be|being|estimated|believed|thought|reported|said|feared|presumed|likely|now|already|reportedly|"
    r"probably|all|either|since|also|to|have|confirmed)\s+){0,5}"
    r"(?:killed|wounded|injured|captured|taken\s+(?:prisoner|captive)|missing|dead|died|perished)\b|"
    # "the families of 101 soldiers who died in Russia"
    r"^[^,;.\d]{0,40}?\b(?:who|that)\s+(?:have\s+|had\s+|reportedly\s+)?(?:died|perished|fell\s+in)\b|"
    # "Two of them, although wounded, survived"
    r"^\s*(?:of\s+them\s*)?,\s*(?:although|though|albeit|both|all|while)?\s*(?:\w+ly\s+)?(?:wounded|injured)\b",
    re.IGNORECASE),
                            ('killed', 'wounded', 'injured', 'captured', 'taken', 'missing', 'dead', 'died', 'perished', 'fell'))
# "Of the dead, 400 were flown home": a part of the dead is still a casualty count.
_PARTITIVE_CASUALTY = Gated(re.compile(
    r"\b(?:of|among)\s+(?:the|those|them|these)?\s*(?:dead|deceased|killed|wounded|injured|casualties|captured|"
    r"prisoners|fallen|captives)\b[^.;\d]{0,20}$", re.IGNORECASE),
                            ('dead', 'deceased', 'killed', 'wounded', 'injured', 'casualties', 'captured', 'prisoners', 'fallen', 'captives'))
# A share of a force ("a third of the 11,000 troops"): the figure is the whole, the share is what
# the predicate counts.
_SHARE_OF_BEFORE = re.compile(r"\b(?:third|thirds|quarter|quarters|half|fifth|fifths|tenth|tenths|fraction|"
                              r"percent|per\s+cent|majority|most|much)\s+of\s+(?:the|its|their|those|an\s+estimated)\s+$",
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
def load_estimate_terms(topic_dir: str | None = None) -> EstimateTerms:
    """Read estimate_terms.csv from the topic folder (default: the bundled story's)."""
    base = Path(topic_dir or DEFAULT_TOPIC_DIR)
    rows = vocabulary_rows(base / "estimate_terms.csv", ("term", "role"))
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
        pattern = word_pattern(literal)
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


def _harmed_are_the_subject(text: str, phrase: NumberPhrase, noun_phrase: str, topic: Topic) -> bool:
    """For a figure that is the object of a harm verb ("killing 28 people", "killing or wounding
    some 200 of them"): True when those harmed are North Korean. "N of them" refers to the last
    force named before; otherwise a sentence that names North Korea before the verb names it as
    the side doing the harm."""
    head = text[:phrase.start]
    if _OF_THEM.match(noun_phrase):
        last = None
        for last in _FORCE_NOUN.finditer(head):
            pass
        return last is not None and topic.names_subject(" ".join(head[:last.start()].split()[-3:]))
    return not topic.names_subject(head)


def personnel_figure(text: str, phrase: NumberPhrase, terms: EstimateTerms, topic: Topic,
                     about_subject: bool) -> bool:
    """True when the number phrase counts North Korean military personnel.

    `about_subject`: the sentence (or the one before) is about North Korean troops."""
    if _currency_before(text, phrase.start) or _is_calendar(text, phrase):
        return False
    if _markup_before(text, phrase.start):
        return False  # "alert(1)", "id=2": code or markup, not a count
    if _ID_BEFORE.search(text, max(0, phrase.start - 14), phrase.start):
        return False  # "Tactical Group No. 84", "Brigade 155": a unit's number, not a count
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
    names_subject = topic.names_subject(noun_phrase) or bool(topic.rules.subject_people.search(noun_phrase))
    if not names_subject and _VICTIMS.match(noun_phrase) and _HARM_BEFORE.search(text, max(0, phrase.start - 20),
                                                                                  phrase.start) \
            and not _harmed_are_the_subject(text, phrase, noun_phrase, topic):
        return False  # "the troops killed at least 500 people": those they killed, not their losses
    if about_subject and _casualty_value(text, phrase, terms, noun_phrase):
        # "the count of North Korean troops who died fighting Ukrainian units at 2,500",
        # "with losses passing 3,800", but not "Russian losses stood at 40,000"
        window = _clause_before(text, phrase.start, 14)
        return topic.names_subject(window) or not (terms.other_force.search(window) or topic.rules.other_force.search(window))
    if not names_subject and topic.rules.other_force.search(f"{before_words} {phrase.phrase} {noun_phrase}"):
        return False  # "Moscow lost more than 1,500 soldiers" (but "Kyiv's marines took three North Korean soldiers")
    if _RATE.search(noun_phrase):
        return False  # a rate, not a count
    if terms.unit.search(noun_phrase) and not terms.personnel.search(noun_phrase):
        return False  # "3,000 artillery shells"
    if not names_subject and topic.rules.including_subject.match(after, len(noun_phrase)):
        return False  # "45,000 troops, among them North Korean units": a combined force
    if (phrase.band_low or 0) >= 20_000 and not names_subject:
        return False  # "tens of thousands of soldiers" with no North Korean in sight: another force
    if _PEOPLE.match(noun_phrase) and (names_subject or (about_subject and _FORCE_NOUN.search(text[:phrase.start]))):
        return True  # "the unit's personnel come to some 900 people"
    of_group = _OUT_OF.match(after)
    if of_group:  # "4,500 of the 7,000 troops": the part counts as the whole
        noun_phrase = _NOUN_PHRASE_END.split(after[of_group.end():], maxsplit=1)[0]
    if not names_subject and _HARM_BEFORE.search(text, max(0, phrase.start - 20), phrase.start) \
            and not _harmed_are_the_subject(text, phrase, noun_phrase, topic):
        return False  # "North Korean troops fired on a unit, killing eight of them": the others' losses
    counted = _OF_THE.sub("", noun_phrase, count=1) if phrase.qualifier == "vague" else noun_phrase
    if strong or terms.personnel.search(" ".join(counted.split()[:4])):
        if phrase.qualifier != "vague" and (phrase.high or 0) < 10 and not names_subject:
            # "the two men", "the case of one soldier": a handful counts only as a loss or a rank
            return figure_kind(text, phrase, terms) in ("casualties", "context") and (names_subject or about_subject)
        return names_subject or about_subject
    if about_subject and not noun_phrase.strip(' "\'') and _ARRIVED_AFTER.match(after, len(noun_phrase)):
        return True  # "... while 700 have already landed"
    if about_subject and _ARRIVED_AFTER.match(after) and _WHOLE_SENT_BEFORE.search(text, max(0, phrase.start - 12),
                                                                                   phrase.start):
        return True  # "add 3,000 to the roughly 11,000 already sent", "out of about 15,000 deployed in total"
    # A figure standing alone counts people only in a statement about North Korean troops, and
    # only where something before it says so ("numbers expected to rise to", "estimated at").
    before = _clause_before(text, phrase.start, 6).lower().rstrip(' "\'')
    standalone = not noun_phrase.strip(' "\'') or _MORE_AFTER.match(noun_phrase)
    if standalone and phrase.qualifier != "vague" and (phrase.high or 0) < 100 \
            and not _OF_THEM.match(noun_phrase):
        return False  # a small bare number ("rose to 3") is no troop count without a noun
    if about_subject and standalone and (topic.names_personnel(text) or _COUNT_WORDS.search(text)):
        return bool(_COUNT_LEAD_IN.search(before)) or phrase.qualifier != "exact" or not before
    return False


# Patterns of personnel_figure and figure_kind, compiled once.
_FORCE_NOUN = re.compile(r"\b(?:troops|soldiers|servicemen|fighters|forces|personnel|units|infantrymen|commandos|"
                         r"marines|engineers|sappers|officers|recruits|conscripts)\b", re.IGNORECASE)
_ID_BEFORE = re.compile(r"(?:\bNo\.|\bNo|#|\bNr\.|\b(?:Brigade|Regiment|Battalion|Group|Unit|Division|Corps|Squad|"
                        r"Detachment|Team))\s*$")
_OF_THE = re.compile(r"^\s*of\s+(?:the\s+|its\s+|their\s+)?")  # "a significant number of the North Korean infantry"
_PEOPLE = re.compile(r"^\s*(?:people|persons|individuals)\b", re.IGNORECASE)
_VICTIMS = re.compile(r"^\s*(?:\w+\s+)?(?:people|persons|civilians|villagers|residents|men|women|children|"
                      r"detainees|prisoners)\b", re.IGNORECASE)
_HARM_BEFORE = re.compile(r"\b(?:killing|killed|kill|kills|wounding|injuring|capturing|captured|eliminating|"
                          r"eliminated|destroying|destroyed)\s+$", re.IGNORECASE)
# "4,500 of the 7,000 troops", "some 1,200 out of the roughly 12,000 soldiers": a part of a force.
_OUT_OF = re.compile(r"^\s*(?:out\s+of|of)\s+(?:(?:the|those|its|their)\s+)?"
                     r"(?:(?:an?\s+)?(?:estimated|reported|some|about|around|roughly|nearly|almost|approximately)\s+)?"
                     r"[\d,]+(?:\s+(?:thousand|million))?\s+", re.IGNORECASE)
# The whole of such a part, seen from before it: "some 1,200 of the roughly [12,000]".
_PART_OF_BEFORE = re.compile(r"\b\d[\d,]*(?:\s+(?:thousand|million))?\s+(?:out\s+)?of\s+(?:(?:the|those|its|their)\s+)?"
                             r"(?:(?:an?\s+)?(?:estimated|reported|some|about|around|roughly|nearly|almost|"
                             r"approximately)\s+)?$", re.IGNORECASE)
_ARRIVED_AFTER = re.compile(
    r"\s*(?:(?:had|have|has)\s+)?(?:already\s+|now\s+|reportedly\s+)?(?:(?:been\s+)?(?:arrived|sent|deployed|dispatched|"
    r"transferred|moved|stationed)|reached|landed|crossed)\b", re.IGNORECASE)
# What stands before a bare count of those already sent: "to the [11,000 already sent]", "out of".
_WHOLE_SENT_BEFORE = re.compile(r"\b(?:the|out\s+of)\s+$", re.IGNORECASE)
_AGED_BEFORE = re.compile(r"\b(?:aged|ages?|ages\s+of)\s+(?:\d+\s+(?:and|to))?\s*$", re.IGNORECASE)
_OWN_FORCE = re.compile(r"\b(?:its|their)\s+own\b")
_RATE = re.compile(r"\b(?:a|per|each)\s+(?:day|week|month)\b|\bdaily\b", re.IGNORECASE)
_MORE_AFTER = re.compile(r"^[\s\"']*(?:more|others|of\s+them|so|or\s+so)\b")
_OF_THEM = re.compile(r"^[\s\"']*of\s+(?:them|those|whom)\b")
_CLAUSE_WORD = re.compile(r"\b(?:to|which|who|whom|that|while|whereas)\b")
_EVERY_BEFORE = re.compile(r"\b(?:every|per|each|for\s+every)\s*$", re.IGNORECASE)
_EVERY_AFTER = re.compile(r"\b(?:every|per|for\s+each)\s+\d", re.IGNORECASE)
_ARMY = re.compile(r"(?:army|military|armed)", re.IGNORECASE)
_DESERTERS = re.compile(r"\b(?:deserted|deserters|defected|defectors|escaped|fled|absconded|went\s+AWOL)\b",
                        re.IGNORECASE)
_GROUP_OF_BEFORE = Gated(re.compile(r"\b(?:in|into)\s+(?:small\s+|large\s+)?(?:groups|teams|squads|cells|units|batches|"
                              r"assault\s+groups)\s+of\s+$", re.IGNORECASE),
                         ('groups', 'teams', 'squads', 'cells', 'units', 'batches'))
_INCLUDING_BEFORE = Gated(re.compile(r"\b(?:including|among\s+them|among\s+whom|of\s+whom)\s+(?:\w+\s+)?$", re.IGNORECASE),
                          ('including', 'among', 'whom'))
_COUNT_LEAD_IN = re.compile(r"\b(?:to|at|of|reach|reached|total|totals|totalled|totaled|numbering|number|"
                            r"numbers|figure|estimated|some|about|around|another|than|least|many|in\s+the|"
                            r"(?:up\s+|down\s+|rising\s+|risen\s+|rose\s+)?from(?:\s+(?:the|its|their|an\s+estimated))?)\s*$")


# "About 1,500 more, it added, could be sent": the attribution is an aside inside the clause.
_PARENTHETICAL_ATTRIBUTION = re.compile(
    r",\s*(?:[\w'’.-]+\s+){1,5}?(?:said|says|added|adds|noted|told\s+\w+|stressed|warned|estimated|believes)\s*,",
    re.IGNORECASE)


def _casualty_value(text: str, phrase: NumberPhrase, terms: EstimateTerms, noun_phrase: str) -> bool:
    """True when the figure is the value of a casualty count named before it in its clause
    ("the toll had reached around 1,100", "put the count of troops who died at about 2,500")."""
    if noun_phrase.strip(" \"'") and not terms.casualties.search(noun_phrase):
        return False  # "... losses, then 3,000 fresh troops": the figure counts something else
    # The lead-in may be the phrase's own qualifier: "casualties exceeded 3,800".
    if not (_VALUE_LEAD_IN.search(text[max(0, phrase.start - 30):phrase.start])
            or _VALUE_LEAD_IN.search(text[max(0, phrase.value_start - 30):phrase.value_start])):
        return False
    window = " ".join(_clause_before(text, phrase.start, 14).split())
    found = None
    for found in terms.casualties.finditer(window):
        pass
    if found is None:
        return False
    between = window[found.end():]
    if _COUNT_OF.search(window, 0, found.start()):
        # "the number of troops killed has risen to about 1,000": the count grows, nobody moves
        return not _SENDING_BETWEEN.search(between)
    return not _MOVEMENT_BETWEEN.search(between)


def figure_kind(text: str, phrase: NumberPhrase, terms: EstimateTerms) -> str:
    """current / projected / casualties / context / earlier for a personnel figure in its sentence."""
    before = _clause_before(text, phrase.start, 8)
    tail = text[phrase.end:]
    aside = _PARENTHETICAL_ATTRIBUTION.search(tail)
    if aside and not tail[:aside.start()].strip(" ,").count(" ") > 2:
        tail = tail[:aside.start()] + " " + tail[aside.end():]
    after = _clause_after(tail, 0, 8)
    right_before = " ".join(text[:phrase.start].split()[-2:])
    head = text[max(0, phrase.start - 120):phrase.start]
    near_tail = tail[:200]  # as far as any pattern on what follows reaches
    head_lower, tail_lower = head.lower(), near_tail.lower()
    if _EARLIER_BEFORE.search(head, lowered=head_lower) or _EARLIER_AFTER.match(near_tail, lowered=tail_lower):
        return "earlier"
    # Casualty words count next to the figure ("3,000 killed", "killing or wounding some 200"),
    # not in a later clause ("3,000 fresh troops to replace those lost").
    own_clause = _CLAUSE_WORD.split(after, maxsplit=1)[0]
    near = f"{' '.join(before.split()[-4:])} {' '.join(own_clause.split()[:9])}"
    noun_phrase = _NOUN_PHRASE_END.split(tail[:60], maxsplit=1)[0]
    if _WHOLE_SENT_BEFORE.search(head[-12:]) and _ARRIVED_AFTER.match(near_tail):
        return "current"  # "4,700 killed or wounded out of about 15,000 deployed": the whole force
    if (_SHARE_OF_BEFORE.search(head) or _PART_OF_BEFORE.search(head)) and not terms.casualties.search(noun_phrase):
        return "current"  # "about a third (or 3,000) of the 11,000 troops have been killed": the whole force
    part_of = _OUT_OF.match(near_tail)
    if part_of and _CASUALTY_PREDICATE.match(near_tail[part_of.end():], lowered=tail_lower[part_of.end():]):
        return "casualties"  # "3,000 of the 11,000 troops have been killed": the part the predicate counts
    if terms.casualties.search(near) or _CASUALTY_PREDICATE.match(near_tail, lowered=tail_lower) \
            or _PARTITIVE_CASUALTY.search(head, lowered=head_lower) or _casualty_value(text, phrase, terms, noun_phrase):
        return "casualties"
    if _EVERY_BEFORE.search(right_before) or _EVERY_AFTER.search(after) or \
            _GROUP_OF_BEFORE.search(head, lowered=head_lower):
        return "context"  # "one interpreter for every 30 soldiers", "fought in groups of 20 to 30 men"
    strong = _STRONG.match(text[phrase.end:phrase.end + 40])
    if strong and _ARMY.match(strong.group(1)):
        return "context"
    if terms.context.search(" ".join(after.split()[:4])) or (phrase.high or 0) >= 500_000:
        return "context"
    if _RANKS.match(after) and ((phrase.high or 0) < 100 or _INCLUDING_BEFORE.search(head, lowered=head_lower)):
        return "context"  # "including three generals", "including 500 officers": within the force, not its size
    if _DESERTERS.search(f"{before} {after}"):
        return "context"
    if _SENT_BEFORE.search(head, lowered=head_lower) or (
            _THE_BEFORE.search(head) and _SENT_AFTER.match(near_tail, lowered=tail_lower)):
        return "current"  # "sent some 800 engineers to help ...", "reinforce the 9,000 troops posted there"
    wide_before = " ".join(text[:phrase.start].split()[-12:])
    plan_before, plan_after = before, after
    if "have" in f"{before} {after}".lower():
        plan_before, plan_after = _MODAL_PERFECT.sub(" ", before), _MODAL_PERFECT.sub(" ", after)
    future = terms.projected.search(plan_before) or _FUTURE_AFTER.search(plan_after) or _FUTURE_SEND.search(wide_before)
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
        about_subject = topic.names_subject(text) or reading.context_subject
        if not about_subject:
            continue
        sentence = reading.sentence
        for phrase in find_number_phrases(text):
            if any(a.speaker_start <= phrase.start < a.speaker_end for a in reading.attributions):
                continue  # "two people familiar with the matter said": the count of sources
            if not personnel_figure(text, phrase, terms, topic, about_subject):
                continue
            attribution = figure_source(reading, phrase.end) or _attribution_for(reading, phrase.start)
            start, end = (attribution.scope_start, attribution.scope_end) if attribution else (0, len(text))
            hedge = reading.search(hedge_re, hedge_openers, start, end)
            kind = figure_kind(text, phrase, terms)
            check = figure_check(attribution, not topic.names_subject(text), phrase, text[start:end])
            if _rejected_by(attribution, phrase):
                # "Moscow denied reports that 10,000 troops ...": the figure is the reports', not
                # the denier's; their source is not named here.
                check = "; ".join(filter(None, (check, f"figure of reports {attribution.speaker} rejects")))
                attribution = None
                party = "UNK"
            else:
                party = attribution.parties[0] if attribution else ""
            rows.append({
                "row_id": estimate_row_id(article.article_id, sentence.start + phrase.start, kind),
                "article_id": article.article_id,
                "date": article.date,
                "sentence_no": sentence.sentence_no,
                "party": party,
                "speaker": attribution.speaker if attribution else "",
                "kind": kind,
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
                "check": check,
                "review": "auto",
                "sentence": sentence.text,
                "start": sentence.start + phrase.start,
                "end": sentence.start + phrase.end,
            })
    return rows


def _rejected_by(attribution: Attribution | None, phrase: NumberPhrase) -> bool:
    """True when the figure stands in what a denial verb or a refusal is about ("denied reports
    that 10,000 ...", "declined to comment on reports that ..."), after its cue."""
    return attribution is not None and (attribution.is_denial_verb or attribution.is_non_denial) \
        and attribution.cue_end >= 0 and phrase.start >= attribution.cue_end


def figure_check(attribution: Attribution | None, topic_carried: bool, phrase: NumberPhrase, statement: str) -> str:
    """The claims table's reasons to check a row (check_reasons), and "vague figure" for a
    figure with no numbers ("thousands", "a small number")."""
    reasons = check_reasons(attribution, topic_carried, statement)
    if phrase.qualifier == "vague":
        reasons = "; ".join(filter(None, (reasons, "vague figure")))
    return reasons


# float64 in the frame: 2000 is "2000.0" in the CSV.
FLOAT_COLUMNS = tuple(column for column, kind in TABLES["estimates"].types.items() if kind == "real")
ESTIMATE_ORDER = TABLES["estimates"].sort


def _csv_value(column: str, value):
    if column in FLOAT_COLUMNS and value is not None:
        return float(value)
    return value


def rows_to_csv(rows: Iterable[dict], raw: bool = False) -> str:
    """Estimate rows -> the lines of estimates.csv they make (no header), in the table's order:
    the same text `rows_to_frame` and `tables.write_csv` give, without building a frame."""
    ordered = sorted(rows, key=itemgetter(*ESTIMATE_ORDER))
    return csv_lines(([_csv_value(column, row[column]) for column in ESTIMATE_COLUMNS] for row in ordered), raw)


def rows_to_frame(rows: Iterable[dict]) -> pd.DataFrame:
    """Estimate rows -> DataFrame with ESTIMATE_COLUMNS, sorted by article and offset."""
    import pandas as pd

    frame = pd.DataFrame(list(rows), columns=ESTIMATE_COLUMNS)
    frame = frame.astype(TABLES["estimates"].frame_types())
    return frame.sort_values(list(ESTIMATE_ORDER), kind="stable").reset_index(drop=True)
